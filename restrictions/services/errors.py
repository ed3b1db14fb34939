"""The errors the restriction services raise. Each message is for people and translated;
views show it as it is, commands print it and exit non-zero."""

from django.utils.translation import gettext_lazy as _


class RestrictionError(Exception):
    """Base class: the change was refused and nothing was written."""

    default_message = _("This change is not allowed.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self):
        return str(self.message)


class NotAllowed(RestrictionError):
    """The actor's staff role does not allow this action."""

    default_message = _("Your staff role does not allow this action.")


class InvalidRestriction(RestrictionError):
    """The type, scope, reason, period or texts do not make a valid restriction."""

    default_message = _("These restriction details are not valid.")

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictingRestriction(RestrictionError):
    """The target already has an open restriction that this one would contradict."""

    default_message = _("This target already has an open restriction of that kind.")


class WrongState(RestrictionError):
    """The restriction (or appeal, or takedown) is not in a state that allows this action."""

    default_message = _("This restriction has changed meanwhile; reload the page.")


class FourEyesRequired(RestrictionError):
    """A permanent restriction must be confirmed by a second senior moderator."""

    default_message = _("A second senior moderator, not the one who applied it, must confirm a permanent restriction.")


class TakedownError(RestrictionError):
    default_message = _("This content cannot be taken down or restored.")


class AppealError(RestrictionError):
    default_message = _("This appeal cannot be filed.")


class FeatureBlocked(RestrictionError):
    """A manager tried a feature that an active restriction blocks. Carries the restriction."""

    default_message = _("A restriction blocks this feature.")

    def __init__(self, restriction, message=None):
        super().__init__(message)
        self.restriction = restriction
