"""Sanctions on channels and accounts: restrictions, takedowns and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from channels_admin.models.content_kinds import CONTENT_KINDS, takedown_kinds, text_choices
from core.dates import format_when


class RestrictionType(models.TextChoices):
    WARNING = "warning", _("Warning")
    TEMPORARY = "temporary", _("Temporary restriction")
    ACTIVITY = "activity", _("Activity restriction")
    PERMANENT = "permanent", _("Permanent restriction")
    VERIFICATION_PENDING = "verification_pending", _("Pending identity verification")


class Scope(models.TextChoices):
    CHAT = "chat", _("1:1 chat")
    POSTS = "posts", _("Posts")
    BROADCAST = "broadcast", _("Broadcast messages")
    PROFILE = "profile", _("Channel profile")
    PAID_SERVICES = "paid_services", _("Paid services")
    ALL = "all", _("All features")


class Reason(models.TextChoices):
    TERMS = "terms", _("Business terms of use")
    OPERATION_POLICY = "operation_policy", _("Channel operation policy")
    GUIDE_OBLIGATIONS = "guide_obligations", _("Obligations of the channel guide")
    IMPERSONATION_FRAUD = "impersonation_fraud", _("Impersonation or fraud")
    IDENTITY_UNVERIFIED = "identity_unverified", _("Identity not verified")
    HEALTHY_ENVIRONMENT = "healthy_environment", _("Harm to a healthy service environment")


class RestrictionState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", pgettext_lazy("restriction state", "Active")
    EXPIRED = "expired", _("Expired")
    LIFTED = "lifted", _("Lifted")


class Standing(models.TextChoices):
    """How a channel stands for one of its managers, from the restrictions in force (the badge
    on the dashboard and the channel page). A warning blocks nothing and leaves it active."""

    ACTIVE = "active", pgettext_lazy("channel standing", "Active")
    RESTRICTED = "restricted", pgettext_lazy("channel standing", "Restricted")
    PERMANENTLY_RESTRICTED = "permanent", pgettext_lazy("channel standing", "Permanently restricted")


# A restriction is open until it expires or is lifted: scheduled ones count, because they are
# announced, may be appealed and carry takedowns already.
OPEN_RESTRICTION_STATES = (RestrictionState.SCHEDULED, RestrictionState.ACTIVE)
CLOSED_RESTRICTION_STATES = (RestrictionState.EXPIRED, RestrictionState.LIFTED)
# A four-eyes restriction one senior moderator applied and no second has confirmed: scheduled,
# blocking nothing, and never told to the managers.
AWAITING_CONFIRMATION = Q(needs_confirmation=True, confirmed_by__isnull=True)


class RestrictionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=RestrictionState.ACTIVE)

    def open(self):
        return self.filter(state__in=OPEN_RESTRICTION_STATES)

    def in_force(self, now=None):
        """Active and not past its end. The expiry task moves due rows to ``expired`` within a
        minute; until it has run, a restriction whose end has passed already blocks nothing."""
        return self.active().filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now or timezone.now()))

    def covering(self, feature: str):
        """Restrictions whose scope blocks ``feature`` (a Scope code). ``all`` covers everything."""
        return self.filter(Q(scope__regex=rf"(^|,)({feature}|all)(,|$)"))


class Restriction(models.Model):
    """A sanction on a channel or an account.

    ``scope`` holds the blocked features as sorted, comma-joined Scope codes (``chat,posts``
    or ``all``), so one indexed text column answers "does this cover chat" on PostgreSQL and
    on SQLite alike.
    """

    # Looked up through the (channel, state) and (account, state) indexes below, which lead with
    # these columns; single-column indexes beside them tempted the planner into visiting every
    # restriction a channel ever had to find the few still open.
    channel = models.ForeignKey(
        "channels_admin.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="restrictions",
        db_index=False,
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="restrictions",
        db_index=False,
    )
    type = models.CharField(_("type"), max_length=24, choices=RestrictionType.choices)
    scope = models.CharField(_("scope"), max_length=120)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    staff_note = models.TextField(_("note for staff"), blank=True, max_length=2000)
    manager_message = models.TextField(_("message to the manager"), blank=True, max_length=2000)
    state = models.CharField(_("state"), max_length=10, choices=RestrictionState.choices, default=RestrictionState.ACTIVE)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Four eyes: a restriction that is permanent in effect (permanent, or longer than a moderator
    # may impose) waits, scheduled and untold, until a second senior moderator confirms it.
    needs_confirmation = models.BooleanField(_("needs a second senior moderator"), default=False, db_default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lift_reason = models.TextField(_("reason for lifting"), blank=True, max_length=2000)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel__isnull=False, account__isnull=True) | Q(channel__isnull=True, account__isnull=False)),
                name="restriction_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(type="temporary") | Q(ends_at__isnull=False), name="restriction_temporary_has_end"
            ),
            models.CheckConstraint(
                condition=~Q(type="permanent") | Q(ends_at__isnull=True), name="restriction_permanent_has_no_end"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="restriction_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(type="verification_pending") | Q(scope="chat", account__isnull=False),
                name="restriction_verification_pending_is_account_chat",
            ),
            models.CheckConstraint(condition=~Q(scope=""), name="restriction_scope_not_empty"),
            models.CheckConstraint(
                condition=~Q(type="permanent") | Q(scope="all"), name="restriction_permanent_covers_all"
            ),
            # A permanent restriction (and any other that is permanent in effect) takes effect only
            # once a second senior moderator confirms it.
            models.CheckConstraint(
                condition=~Q(type="permanent") | Q(needs_confirmation=True), name="restriction_permanent_needs_confirmation"
            ),
            models.CheckConstraint(
                condition=~Q(needs_confirmation=True, state="active") | Q(confirmed_by__isnull=False),
                name="restriction_active_four_eyes_is_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("created_by")),
                name="restriction_confirmed_by_someone_else",
            ),
            models.CheckConstraint(
                condition=(Q(state__in=[*CLOSED_RESTRICTION_STATES], ended_at__isnull=False)
                           | Q(state__in=[*OPEN_RESTRICTION_STATES], ended_at__isnull=True)),
                name="restriction_ended_iff_closed",
            ),
            # At most one open verification_pending restriction per account: the sweep relies on it.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(type="verification_pending", state__in=[*OPEN_RESTRICTION_STATES]),
                name="restriction_one_open_verification_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "state"], name="restriction_channel_state_idx"),
            models.Index(fields=["account", "state"], name="restriction_account_state_idx"),
            models.Index(fields=["state", "ends_at"], name="restriction_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} on {self.target_label}"

    @property
    def target_label(self) -> str:
        return str(self.channel) if self.channel_id else str(self.account)

    @property
    def scope_codes(self) -> list[str]:
        return [code for code in self.scope.split(",") if code]

    @property
    def is_open(self) -> bool:
        """Scheduled or active: not yet expired or lifted."""
        return self.state in OPEN_RESTRICTION_STATES

    @property
    def awaits_confirmation(self) -> bool:
        """Applied by one senior moderator, not yet confirmed by a second: never told to anyone."""
        return self.needs_confirmation and self.confirmed_by_id is None

    @property
    def is_announced(self) -> bool:
        """Told to the managers: everything but a four-eyes restriction nobody confirmed."""
        return not self.awaits_confirmation

    def in_force_at(self, now) -> bool:
        """What ``RestrictionQuerySet.in_force`` says of this row."""
        return self.state == RestrictionState.ACTIVE and (self.ends_at is None or self.ends_at > now)

    def covers(self, feature: str) -> bool:
        codes = self.scope_codes
        return Scope.ALL in codes or feature in codes

    def get_until_display(self) -> str:
        """“until 2026-12-06 10:00”, “until staff lift it” or “permanently”, for people, in the
        active language and time zone (the manager's banners and the staff pages say it alike)."""
        if self.type == RestrictionType.PERMANENT:
            return gettext("permanently")
        if self.type == RestrictionType.VERIFICATION_PENDING:
            return gettext("until your identity is verified")
        if self.ends_at is None:
            return gettext("until staff lift it")
        return gettext("until %(date)s") % {"date": format_when(self.ends_at)}


# What can be taken down, as described once in channels_admin.models.content_kinds: POST, PROFILE,
# MESSAGE, BROADCAST, PAID_SERVICE.
TakedownKind = text_choices("TakedownKind", takedown_kinds(), module=__name__, takedown=True)


class Takedown(models.Model):
    """Content removed together with a sanction. The content row stays (its ``taken_down_at``
    hides it from managers and users); this row says which sanction removed it, keeps a copy of
    what was shown, and records the restore when an appeal overturns the sanction."""

    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="takedowns", verbose_name=_("restriction"))
    channel = models.ForeignKey("channels_admin.Channel", on_delete=models.PROTECT, related_name="+", verbose_name=_("channel"))
    kind = models.CharField(_("kind"), max_length=20, choices=TakedownKind.choices)
    object_id = models.BigIntegerField(_("content id"))
    snapshot = models.JSONField(_("content as shown"), default=dict, blank=True)
    taken_down_at = models.DateTimeField(_("taken down"), default=timezone.now)
    taken_down_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)
    restored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    restore_reason = models.TextField(_("reason for restoring"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")
        ordering = ["-taken_down_at", "-id"]
        constraints = [
            # A piece of content is taken down by at most one sanction at a time.
            models.UniqueConstraint(
                fields=["kind", "object_id"], condition=Q(restored_at__isnull=True), name="takedown_one_open_per_content"
            ),
            models.CheckConstraint(
                condition=Q(restored_at__isnull=True) | Q(restored_at__gte=models.F("taken_down_at")),
                name="takedown_restored_after_taken_down",
            ),
        ]
        indexes = [models.Index(fields=["restriction", "restored_at"], name="takedown_restriction_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.restored_at is None

    @property
    def headline(self) -> str:
        """What names the content to its managers: the first field the content kind keeps (a
        post's title, a message's text), read by name, since PostgreSQL's JSON reorders keys."""
        fields = CONTENT_KINDS[self.kind].snapshot_fields if self.kind in CONTENT_KINDS else ()
        return str(self.snapshot.get(fields[0], "")) if fields else ""


class AppealState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld")
    OVERTURNED = "overturned", _("Overturned")


class Appeal(models.Model):
    """A manager's objection to a restriction: one per restriction, decided by a senior moderator."""

    restriction = models.OneToOneField(Restriction, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("restriction"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("filed by"))
    text = models.TextField(_("appeal"), max_length=2000)
    state = models.CharField(_("state"), max_length=12, choices=AppealState.choices, default=AppealState.PENDING)
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision_note = models.TextField(_("decision note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="pending", decided_at__isnull=True, decided_by__isnull=True)
                           | (~Q(state="pending") & Q(decided_at__isnull=False))),
                name="appeal_decided_iff_not_pending",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="appeal_text_not_empty"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="appeal_queue_idx")]

    def __str__(self):
        return f"Appeal on restriction #{self.restriction_id}"


class RestrictionAuditEvent(models.TextChoices):
    """What the sanctions domain writes to the audit trail (registered in ``apps.py``)."""

    RESTRICTION_APPLIED = "restriction_applied", _("Restriction applied")
    RESTRICTION_CONFIRMED = "restriction_confirmed", _("Restriction confirmed")
    RESTRICTION_STARTED = "restriction_started", _("Scheduled restriction started")
    RESTRICTION_MODIFIED = "restriction_modified", _("Restriction modified")
    RESTRICTION_LIFTED = "restriction_lifted", _("Restriction lifted")
    RESTRICTION_EXPIRED = "restriction_expired", _("Restriction expired")
    CONTENT_TAKEN_DOWN = "content_taken_down", _("Content taken down")
    CONTENT_RESTORED = "content_restored", _("Content restored")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal overturned")
