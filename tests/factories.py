"""factory_boy factories for every model the tests build."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.roles import StaffRole
from channels_admin.models import Account, Broadcast, Channel, ChannelKind, ChannelManager, Conversation, EndUser, ManagerRole, Message, MessageDirection, PaidService, Post

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


def make_channel(*, master=None, managers=(), **fields) -> Channel:
    """A channel with a master (made up if not given) and any further managers."""
    channel = ChannelFactory(**fields)
    ChannelManagerFactory(channel=channel, account=master or AccountFactory(), role=ManagerRole.MASTER)
    for account in managers:
        ChannelManagerFactory(channel=channel, account=account, role=ManagerRole.MANAGER)
    return channel
