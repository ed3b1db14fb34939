"""factory_boy factories for every model the tests build."""

from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone
from factory.django import DjangoModelFactory

from channels_admin.models import (
    Account,
    Broadcast,
    Channel,
    ChannelKind,
    ChannelManager,
    Conversation,
    EndUser,
    ManagerRole,
    Message,
    MessageDirection,
    PaidService,
    Post,
)
from core.roles import StaffRole
from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notification, NotificationEvent
from restrictions.models import Reason, Restriction, RestrictionState, RestrictionType, Scope
from staff.models import QueueItem, QueueItemSource, QueueState, Report, ReportReason, TargetKind

PASSWORD = "test-pass-2023"


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    phone_number = factory.Sequence(lambda n: f"+8210{20000000 + n:08d}")
    preferred_language = "en"
    password = factory.django.Password(PASSWORD)

    class Params:
        verified = factory.Trait(identity_verified_at=factory.LazyFunction(timezone.now))
        moderator = factory.Trait(is_staff=True, staff_role=StaffRole.MODERATOR)
        senior = factory.Trait(is_staff=True, staff_role=StaffRole.SENIOR_MODERATOR)
        viewer = factory.Trait(is_staff=True, staff_role=StaffRole.VIEWER)


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel

    handle = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"Channel {n}")
    kind = ChannelKind.GENERAL

    class Params:
        business = factory.Trait(kind=ChannelKind.BUSINESS, business_verified_at=factory.LazyFunction(timezone.now))


class ChannelManagerFactory(DjangoModelFactory):
    class Meta:
        model = ChannelManager

    channel = factory.SubFactory(ChannelFactory)
    account = factory.SubFactory(AccountFactory)
    role = ManagerRole.MANAGER


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    channel = factory.SubFactory(ChannelFactory)
    title = factory.Sequence(lambda n: f"Post {n}")
    body = "Opening hours 9:00-18:00."


class BroadcastFactory(DjangoModelFactory):
    class Meta:
        model = Broadcast

    channel = factory.SubFactory(ChannelFactory)
    text = "Sale this weekend."


class PaidServiceFactory(DjangoModelFactory):
    class Meta:
        model = PaidService

    channel = factory.SubFactory(ChannelFactory)
    name = factory.Sequence(lambda n: f"Coupon {n}")
    price_krw = 1000


class EndUserFactory(DjangoModelFactory):
    class Meta:
        model = EndUser

    external_id = factory.Sequence(lambda n: f"U{n:05d}")
    display_name = factory.Faker("first_name")


class ConversationFactory(DjangoModelFactory):
    class Meta:
        model = Conversation

    channel = factory.SubFactory(ChannelFactory)
    end_user = factory.SubFactory(EndUserFactory)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    direction = MessageDirection.INBOUND
    text = "Hello!"


CLOSED_STATES = (RestrictionState.EXPIRED, RestrictionState.LIFTED)


def _restriction_start(o):
    now = timezone.now()
    if o.state == RestrictionState.SCHEDULED:
        return now + timedelta(days=1)
    if o.state == RestrictionState.EXPIRED:
        return now - timedelta(days=8)
    return now - timedelta(hours=1)


def _restriction_end(o):
    if o.type == RestrictionType.TEMPORARY:
        return o.starts_at + timedelta(days=7)
    return None


def _restriction_ended_at(o):
    if o.state == RestrictionState.EXPIRED:
        return o.ends_at or timezone.now()
    return timezone.now() if o.state == RestrictionState.LIFTED else None


class RestrictionFactory(DjangoModelFactory):
    """A restriction as the services would have stored it, within the table's check constraints.

    Choose ``type`` and ``state`` and the rest follows: a temporary one ends 7 days after its
    start, a permanent one covers ``all`` and is created and confirmed by two senior moderators
    (``unconfirmed=True`` leaves it scheduled and waiting), ``verification_pending`` targets an
    account's chat, a closed one has ``ended_at``. The target is a new channel unless
    ``account`` (or ``on_account=True``) is given.
    """

    class Meta:
        model = Restriction

    class Params:
        on_account = False
        unconfirmed = False
        lifted = factory.Trait(state=RestrictionState.LIFTED, lift_reason="Resolved with the manager.")
        expired = factory.Trait(state=RestrictionState.EXPIRED)
        scheduled = factory.Trait(state=RestrictionState.SCHEDULED)

    type = RestrictionType.ACTIVITY
    state = factory.LazyAttribute(lambda o: RestrictionState.SCHEDULED if o.unconfirmed else RestrictionState.ACTIVE)
    account = factory.Maybe(
        factory.LazyAttribute(lambda o: o.on_account or o.type == RestrictionType.VERIFICATION_PENDING),
        yes_declaration=factory.SubFactory(AccountFactory),
        no_declaration=None,
    )
    channel = factory.Maybe("account", yes_declaration=None, no_declaration=factory.SubFactory(ChannelFactory))
    scope = factory.LazyAttribute(lambda o: Scope.ALL if o.type == RestrictionType.PERMANENT else Scope.CHAT)
    reason = factory.LazyAttribute(
        lambda o: Reason.IDENTITY_UNVERIFIED if o.type == RestrictionType.VERIFICATION_PENDING else Reason.OPERATION_POLICY
    )
    starts_at = factory.LazyAttribute(_restriction_start)
    ends_at = factory.LazyAttribute(_restriction_end)
    ended_at = factory.LazyAttribute(_restriction_ended_at)
    created_by = factory.Maybe(
        factory.LazyAttribute(lambda o: o.type == RestrictionType.PERMANENT),
        yes_declaration=factory.SubFactory(AccountFactory, senior=True),
        no_declaration=None,
    )
    needs_confirmation = factory.LazyAttribute(lambda o: o.type == RestrictionType.PERMANENT)
    confirmed_by = factory.Maybe(
        factory.LazyAttribute(lambda o: o.type == RestrictionType.PERMANENT and not o.unconfirmed),
        yes_declaration=factory.SubFactory(AccountFactory, senior=True),
        no_declaration=None,
    )


class NotificationFactory(DjangoModelFactory):
    """One change told to one account."""

    class Meta:
        model = Notification

    event = NotificationEvent.RESTRICTION_APPLIED
    recipient = factory.SubFactory(AccountFactory)
    restriction = None
    context = factory.LazyAttribute(lambda o: {"target": str(o.restriction.target_label)} if o.restriction else {})
    key = factory.Sequence(lambda n: f"test:{n}")


class DeliveryFactory(DjangoModelFactory):
    """One outbox row (a notification of its own through one channel), pending unless
    ``sent``, ``failed`` or ``skipped`` says otherwise; ``recipient``, ``restriction`` and
    ``event`` are its notification's."""

    class Meta:
        model = Delivery

    class Params:
        sent = factory.Trait(state=DeliveryState.SENT, attempts=1, sent_at=factory.LazyFunction(timezone.now))
        failed = factory.Trait(state=DeliveryState.FAILED, attempts=6, last_error="provider refused the message")
        skipped = factory.Trait(state=DeliveryState.SKIPPED, channel=DeliveryChannel.KAKAOTALK, last_error="no phone number")
        recipient = factory.SubFactory(AccountFactory)
        restriction = None
        event = NotificationEvent.RESTRICTION_APPLIED

    notification = factory.SubFactory(
        NotificationFactory, recipient=factory.SelfAttribute("..recipient"), restriction=factory.SelfAttribute("..restriction"),
        event=factory.SelfAttribute("..event"),
    )
    channel = DeliveryChannel.EMAIL
    state = DeliveryState.PENDING


class QueueItemFactory(DjangoModelFactory):
    """A moderation queue entry about a channel; ``flag=True`` makes it the scanner's flag on a
    new post. ``ReportFactory`` adds the reports a report item groups."""

    class Meta:
        model = QueueItem

    class Params:
        flag = factory.Trait(
            source=QueueItemSource.FLAG,
            reason=ReportReason.FRAUD,
            target_kind=TargetKind.POST,
            # The post's own text is harmless: saving scam text would make the scanner open a
            # second flag on it.
            target_id=factory.LazyAttribute(lambda o: PostFactory(channel=o.channel).pk),
            excerpt="Free 1:1 chat unlock, contact us on zalo",
            evidence=[{"start": 0, "end": 4, "text": "Free", "rule": "Free or for a fee", "category": "price"}],
            score=20,
        )
        claimed = factory.Trait(
            state=QueueState.CLAIMED,
            claimed_by=factory.SubFactory(AccountFactory, moderator=True),
            claimed_at=factory.LazyFunction(timezone.now),
        )
        resolved = factory.Trait(
            state=QueueState.RESOLVED,
            decided_by=factory.SubFactory(AccountFactory, moderator=True),
            decided_at=factory.LazyFunction(timezone.now),
            decision_note="Restricted the channel.",
        )
        dismissed = factory.Trait(
            state=QueueState.DISMISSED,
            decided_by=factory.SubFactory(AccountFactory, moderator=True),
            decided_at=factory.LazyFunction(timezone.now),
            decision_note="Nothing wrong.",
        )

    source = QueueItemSource.REPORT
    channel = factory.SubFactory(ChannelFactory)
    target_kind = TargetKind.CHANNEL
    target_id = factory.SelfAttribute("channel.pk")  # a channel target is the channel itself
    reason = ReportReason.SPAM
    state = QueueState.OPEN


class ReportFactory(DjangoModelFactory):
    """An end user's report, joined to its queue item and counted there as ``file_report`` does."""

    class Meta:
        model = Report
        skip_postgeneration_save = True

    item = factory.SubFactory(QueueItemFactory)
    channel = factory.SelfAttribute("item.channel")
    reporter_external_id = factory.Sequence(lambda n: f"U{n:05d}")
    target_kind = factory.SelfAttribute("item.target_kind")
    target_id = factory.SelfAttribute("item.target_id")
    reason = factory.SelfAttribute("item.reason")
    state = factory.SelfAttribute("item.state")

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        if create:
            QueueItem.objects.filter(pk=obj.item_id).update(report_count=F("report_count") + 1)
            obj.item.refresh_from_db(fields=["report_count"])


def make_channel(*, master=None, managers=(), **fields) -> Channel:
    """A channel with a master (made up if not given) and any further managers."""
    channel = ChannelFactory(**fields)
    ChannelManagerFactory(channel=channel, account=master or AccountFactory(), role=ManagerRole.MASTER)
    for account in managers:
        ChannelManagerFactory(channel=channel, account=account, role=ManagerRole.MANAGER)
    return channel
