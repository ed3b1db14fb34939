"""Changes to accounts: their own settings (language, time zone) and, by senior staff, their
staff role."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import record_audit
from core.permissions import can_decide_senior
from core.roles import StaffRole

from ..models import Account, ChannelAuditEvent


@transaction.atomic
def set_preferred_language(*, account: Account, language: str) -> None:
    account.preferred_language = language
    account.full_clean(validate_unique=False, exclude=["password"])
    account.save(update_fields=["preferred_language"])


@transaction.atomic
def update_account_settings(*, account: Account, language: str, time_zone: str) -> None:
    """The language the Admin Center, emails and notices speak to ``account``, and the zone it
    reads dates in ("" for the service's zone). Raises ValidationError and saves nothing when
    either is not one the service knows."""
    account.preferred_language = language
    account.time_zone = time_zone
    account.full_clean(validate_unique=False, exclude=["password"])
    account.save(update_fields=["preferred_language", "time_zone"])


# --- staff roles ----------------------------------------------------------------------------


class StaffRoleError(Exception):
    """A staff role change that is refused; nothing was written. The message is for people."""


class StaffRoleNotAllowed(StaffRoleError):
    """The actor may not change this account's staff role."""


class UnknownStaffRole(StaffRoleError):
    """The role is none of ``StaffRole``'s values."""


class InactiveAccount(StaffRoleError):
    """A role is granted only to an active account."""


def _check_actor(*, actor: Account | None, account: Account) -> None:
    if actor is None:  # the system: the demo seed, a migration
        return
    superuser = actor.is_active and actor.is_superuser
    if not (superuser or can_decide_senior(actor)):
        raise StaffRoleNotAllowed(_("Only a senior moderator or a superuser can change staff roles."))
    if actor.pk == account.pk:
        raise StaffRoleNotAllowed(_("Nobody can change their own staff role."))
    if account.is_superuser and not superuser:
        raise StaffRoleNotAllowed(_("Only a superuser can change the staff role of a superuser."))


@transaction.atomic
def set_staff_role(*, account: Account, role: str | None, actor: Account | None) -> bool:
    """Grant ``role`` (a ``StaffRole`` value) to ``account``, or revoke its staff role with ""
    or None. ``is_staff`` follows: set with a role, cleared without one (a superuser keeps it,
    or Django admin would lock them out). ``actor`` is a senior moderator or a superuser, never
    the account itself; None only for the system. Audits STAFF_ROLE_CHANGED with before and
    after. Returns False, writing nothing, when the account already has that role."""
    role = str(role or "").strip()
    if role and role not in StaffRole.values:
        raise UnknownStaffRole(
            _("Unknown staff role %(role)s: use %(roles)s, or none to revoke.")
            % {"role": role, "roles": ", ".join(StaffRole.values)}
        )
    locked = Account.objects.select_for_update().get(pk=account.pk)
    _check_actor(actor=actor, account=locked)
    if role and not locked.is_active:
        raise InactiveAccount(_("%(email)s is deactivated; a staff role is granted only to an active account.") % {"email": locked.email})
    is_staff = bool(role) or locked.is_superuser
    before = {"staff_role": locked.staff_role, "is_staff": locked.is_staff}
    after = {"staff_role": role, "is_staff": is_staff}
    if before == after:
        return False
    locked.staff_role, locked.is_staff = role, is_staff
    locked.save(update_fields=["staff_role", "is_staff"])
    account.staff_role, account.is_staff = role, is_staff
    record_audit(
        event_type=ChannelAuditEvent.STAFF_ROLE_CHANGED, actor=actor, account=locked, data={"before": before, "after": after}
    )
    return True
