"""Accounts, channels, their managers and the content channels publish.

``content_kinds`` beside this module describes each kind of content for the other domains."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from core.roles import StaffRole


class Language(models.TextChoices):
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")
    VIETNAMESE = "vi", _("Vietnamese")


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("%(zone)s is not a time zone name such as Asia/Seoul.") % {"zone": value}) from exc


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An account needs an email address.")
        account = self.model(email=self.normalize_email(email).lower(), **fields)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("staff_role", StaffRole.SENIOR_MODERATOR)
        return self._create(email, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    """One person's login. The email is the username."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("name"), max_length=100, blank=True)
    phone_number = PhoneNumberField(_("phone number"), blank=True, help_text=_("International format, e.g. +82 10 1234 5678"))
    preferred_language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.KOREAN
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        db_default="",  # bulk loaders that COPY rows without this column still get "the service's zone"
        validators=[validate_time_zone],
        help_text=_("Dates are shown in this zone, e.g. Asia/Seoul or Asia/Ho_Chi_Minh. Empty: the service's zone."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    staff_role = models.CharField(_("staff role"), max_length=20, choices=StaffRole.choices, blank=True)
    # Set by channels_admin.services when an identity verification completes; kept on the
    # account so the chat decision needs no join.
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_staff=True) | Q(staff_role=""), name="account_staff_role_only_for_staff"
            ),
        ]
        indexes = [models.Index(fields=["phone_number"], name="account_phone_idx")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def zone(self) -> ZoneInfo:
        """The zone this person reads dates in: their own, else the service's."""
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)

    @property
    def is_identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email.split("@")[0]


handle_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9_-]{1,28}[a-z0-9])?$",
    _("A public id has 3 to 30 lowercase letters, digits, '-' or '_', and starts and ends with a letter or digit."),
)


class ChannelKind(models.TextChoices):
    GENERAL = "general", _("General channel")
    BUSINESS = "business", _("Business channel")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Channel(models.Model):
    """A public presence end users chat with and follow. Shown as ``@handle``."""

    handle = models.CharField(_("public id"), max_length=30, unique=True, validators=[handle_validator])
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    picture_url = models.CharField(_("picture"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices, default=ChannelKind.GENERAL)
    business_verified_at = models.DateTimeField(_("business verified at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE)
    # A profile takedown hides name, picture and description until it is restored.
    profile_taken_down_at = models.DateTimeField(_("profile taken down at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["handle"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="business", business_verified_at__isnull=False) | Q(kind="general", business_verified_at__isnull=True)),
                name="channel_business_verified_iff_business",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="channel_name_idx")]

    def __str__(self):
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"@{self.handle}"

    @property
    def is_business(self) -> bool:
        return self.kind == ChannelKind.BUSINESS

    @staticmethod
    def normalize_handle(value: str) -> str:
        return value.strip().lstrip("@").lower()


class ManagerRole(models.TextChoices):
    MASTER = "master", _("Master")
    MANAGER = "manager", _("Manager")


class ChannelManager(models.Model):
    """An account's membership in a channel. Exactly one master per channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="managers", verbose_name=_("channel"))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=10, choices=ManagerRole.choices, default=ManagerRole.MANAGER)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("channel manager")
        verbose_name_plural = _("channel managers")
        ordering = ["channel_id", "-role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "account"], name="manager_unique_per_channel"),
            models.UniqueConstraint(fields=["channel"], condition=Q(role="master"), name="manager_one_master_per_channel"),
        ]

    def __str__(self):
        return f"{self.account} ({self.get_role_display()}) in {self.channel}"


class ManagerInvitation(models.Model):
    """A master's invitation to an email address to become a manager of a channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("manager invitation")
        verbose_name_plural = _("manager invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.channel}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class TakedownMixin(models.Model):
    """Content that staff can take down: hidden from everyone but kept for appeal and audit."""

    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_taken_down(self) -> bool:
        return self.taken_down_at is not None


class VisibleQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(taken_down_at__isnull=True)


class Post(TakedownMixin):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts", verbose_name=_("channel"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["channel", "-created_at", "-id"], name="post_channel_recent_idx")]

    def __str__(self):
        return self.title


class Broadcast(TakedownMixin):
    """A message a channel sends to all its followers."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="broadcasts", verbose_name=_("channel"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("text"), max_length=1000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast message")
        verbose_name_plural = _("broadcast messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["channel", "-created_at", "-id"], name="broadcast_channel_recent_idx")]

    def __str__(self):
        return self.text[:50]


class PaidServiceKind(models.TextChoices):
    COUPON = "coupon", _("Paid coupon")
    SUBSCRIPTION = "subscription", _("Subscription")


class PaidService(TakedownMixin):
    """Something a channel sells through the platform."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="paid_services", verbose_name=_("channel"))
    kind = models.CharField(_("kind"), max_length=20, choices=PaidServiceKind.choices, default=PaidServiceKind.COUPON)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    price_krw = models.PositiveIntegerField(_("price (KRW)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("paid service")
        verbose_name_plural = _("paid services")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class EndUser(models.Model):
    """A messenger user who talks to channels. Known by the messenger's user id."""

    external_id = models.CharField(_("user id"), max_length=64, unique=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("end user")
        verbose_name_plural = _("end users")

    def __str__(self):
        return self.display_name or self.external_id


class Conversation(models.Model):
    """A 1:1 chat between a channel and one end user."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("channel"))
    end_user = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("user"))
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    unread_count = models.PositiveIntegerField(_("unread"), default=0)  # inbound messages managers have not read
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "end_user"], name="conversation_one_per_user")]
        indexes = [models.Index(fields=["channel", "-last_message_at", "-id"], name="conversation_inbox_idx")]

    def __str__(self):
        return f"{self.channel} ↔ {self.end_user}"


class MessageDirection(models.TextChoices):
    INBOUND = "in", _("From the user")
    OUTBOUND = "out", _("From the channel")


class Message(TakedownMixin):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=MessageDirection.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("text"), max_length=2000)
    external_id = models.CharField(max_length=100, blank=True)  # the inbound webhook's id
    created_at = models.DateTimeField(default=timezone.now)
    # An end user's message that solicits the manager (an offer to unlock chat or to verify on
    # their behalf, a request for codes, a claim to be staff): the thread shows a warning on it.
    # Set by the fraud scanner through ``services.chat.warn_of_solicitation``; it never blocks a reply.
    solicitation_warning = models.BooleanField(_("solicitation warning"), default=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at", "id"], name="message_thread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="message_external_id_unique"),
        ]

    def __str__(self):
        return self.text[:50]


class ChatPolicy(models.Model):
    """The 1:1 chat identity rule's effective date (R1): one row, changed only through
    ``channels_admin.services.chat_policy.set_chat_policy``. Without a row the setting's default holds."""

    effective_at = models.DateTimeField(_("effective from"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("chat policy")
        verbose_name_plural = _("chat policy")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="chat_policy_single_row")]

    def __str__(self):
        return f"1:1 chat identity rule from {self.effective_at.isoformat()}"


class VerificationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class VerificationMethod(models.TextChoices):
    MOBILE_CARRIER = "mobile_carrier", _("Mobile carrier")
    CERTIFICATE = "certificate", _("Certificate")
    SIMPLE_AUTH = "simple_auth", _("Simple authentication app")


class IdentityVerification(models.Model):
    """One attempt to verify the identity of an account (not of a channel).

    ``provider_ref`` is the id the app chose and gave the provider; results are fetched by it.
    The provider's person identifiers (CI, DI) are kept only as HMAC-SHA256 digests under
    ``settings.IDENTITY_HASH_KEY`` (held in the environment, never in the database), enough to
    recognise the same person on another account and nothing more.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_verifications", verbose_name=_("account")
    )
    provider = models.CharField(_("provider"), max_length=20)
    provider_ref = models.CharField(_("verification id"), max_length=80, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=VerificationState.choices, default=VerificationState.PENDING)
    method = models.CharField(_("method"), max_length=20, choices=VerificationMethod.choices, blank=True)
    verified_name = models.CharField(_("verified name"), max_length=100, blank=True)
    verified_birth_date = models.DateField(_("verified birth date"), null=True, blank=True)
    verified_phone = models.CharField(_("verified phone"), max_length=32, blank=True)
    carrier = models.CharField(_("carrier"), max_length=20, blank=True)
    is_foreigner = models.BooleanField(_("foreign national"), null=True, blank=True)
    ci_hash = models.CharField(max_length=64, blank=True, db_index=True)
    di_hash = models.CharField(max_length=64, blank=True)
    # Staff flags: the same person already verified another account (R-duplicate), and the
    # permanent restriction that made the attempt fail.
    duplicate_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("same person as"),
    )
    blocked_by = models.ForeignKey(
        "restrictions.Restriction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("refused because of"),
    )
    # Verified, but flagged for staff: a permanently restricted channel this person manages or
    # once mastered (ban evasion through another channel is for staff to judge).
    flagged_for = models.ForeignKey(
        "restrictions.Restriction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("flagged because of"),
    )
    failure_code = models.CharField(_("failure"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="verified") | Q(completed_at__isnull=False, ci_hash__gt=""),
                name="identity_verified_has_person_and_time",
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="identity_account_recent_idx")]

    def __str__(self):
        return f"{self.account} · {self.get_state_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state == VerificationState.PENDING


class ChannelAuditEvent(models.TextChoices):
    """What channels, managers, identity and the chat policy write to the audit trail."""

    CHAT_POLICY_CHANGED = "chat_policy_changed", _("Chat policy changed")
    IDENTITY_VERIFIED = "identity_verified", _("Identity verified")
    IDENTITY_VERIFICATION_FAILED = "identity_verification_failed", _("Identity verification failed")
    IDENTITY_DUPLICATE_FLAGGED = "identity_duplicate_flagged", _("Same person on another account")
    MANAGER_INVITED = "manager_invited", _("Manager invited")
    MANAGER_ADDED = "manager_added", _("Manager added")
    MANAGER_REMOVED = "manager_removed", _("Manager removed")
    MASTER_TRANSFERRED = "master_transferred", _("Master role handed over")
    STAFF_ROLE_CHANGED = "staff_role_changed", _("Staff role changed")
