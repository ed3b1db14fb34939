"""The registry of content kinds, and the enums and dispatch tables derived from it."""

import pytest
from django.db.models.signals import post_save

from channels_admin.models import MessageDirection
from channels_admin.models.content_kinds import CONTENT_KINDS, TAKEDOWN_ORDER, scanned_kinds, takedown_kinds
from restrictions.models import Takedown, TakedownKind
from restrictions.services import takedowns
from staff import fraud
from staff.models import REPORTABLE_KINDS, QueueItem, Report, TargetKind
from tests.factories import BroadcastFactory, ChannelFactory, MessageFactory, PaidServiceFactory, PostFactory


def _choices(enum):
    return [(value, str(label)) for value, label in enum.choices]


def test_the_enums_keep_their_codes_labels_and_order():
    assert _choices(TargetKind) == [
        ("channel", "Channel"), ("profile", "Channel profile"), ("post", "Post"), ("message", "Message"),
        ("broadcast", "Broadcast message"), ("paid_service", "Paid service"), ("end_user", "End user"),
    ]
    assert _choices(TakedownKind) == [
        ("post", "Post"), ("profile", "Channel profile"), ("message", "1:1 chat message"),
        ("broadcast", "Broadcast message"), ("paid_service", "Paid service"),
    ]
    assert REPORTABLE_KINDS == [TargetKind.CHANNEL, TargetKind.POST, TargetKind.MESSAGE, TargetKind.PAID_SERVICE]
    assert TargetKind.PAID_SERVICE == "paid_service" and TakedownKind.PROFILE == "profile"


def test_the_enums_agree_with_the_registry():
    assert [(k.code, k.label) for k in CONTENT_KINDS.values()] == list(zip(TargetKind.values, TargetKind.labels, strict=True))
    assert TakedownKind.values == [kind.code for kind in takedown_kinds()]
    assert set(TAKEDOWN_ORDER) == {k.code for k in CONTENT_KINDS.values() if k.can_be_taken_down}
    for kind in takedown_kinds():
        assert TakedownKind(kind.code).label == (kind.takedown_label or kind.label)
    assert [k.value for k in REPORTABLE_KINDS] == [k.code for k in CONTENT_KINDS.values() if k.reportable]
    for model in (QueueItem, Report):
        assert model._meta.get_field("target_kind").choices == TargetKind.choices
    assert Takedown._meta.get_field("kind").choices == TakedownKind.choices


def test_every_field_the_registry_names_exists_on_its_model():
    for kind in CONTENT_KINDS.values():
        names = {f.name for f in kind.model._meta.get_fields()}
        named = [kind.hidden_field, kind.changed_field, kind.summary_field, *kind.snapshot_fields, *kind.scan_fields]
        named += [name for name, _value in kind.scan_only]
        assert {name for name in named if name} <= names, kind.code
        if kind.channel_path:
            assert kind.model._meta.get_field(kind.channel_path.split("__")[0])


def test_the_takedown_tables_come_from_the_registry():
    assert {k.code: k.model for k in CONTENT_KINDS.values() if k.can_be_taken_down} == takedowns.CONTENT_MODELS
    # A model holds at most one kind that can be taken down, or one that is scanned: both are found by the model.
    assert len({k.model for k in takedown_kinds()}) == len(takedown_kinds())
    assert len({k.model for k in scanned_kinds()}) == len(scanned_kinds())


def test_the_fraud_scanner_listens_to_every_scanned_model():
    for kind in scanned_kinds():
        assert post_save.has_listeners(kind.model)


@pytest.mark.django_db
def test_each_kind_reaches_its_channel_hides_snapshots_and_scans_as_before():
    channel = ChannelFactory(name="Bakery", description="Fresh bread")
    post = PostFactory(channel=channel, title="Sale", body="Half price")
    message = MessageFactory(conversation__channel=channel, direction=MessageDirection.OUTBOUND, text="Hello")
    broadcast = BroadcastFactory(channel=channel, text="News")
    paid = PaidServiceFactory(channel=channel, name="Coupon", description="Ten percent")
    rows = {"profile": channel, "post": post, "message": message, "broadcast": broadcast, "paid_service": paid}

    for code, row in rows.items():
        kind = CONTENT_KINDS[code]
        assert kind.channel_id_of(row) == channel.pk
        assert takedowns.kind_of(row) == code
        assert kind.model.objects.filter(kind.in_channel(channel), pk=row.pk).exists()
        assert not kind.is_hidden(row)
    assert fraud.content_text("post", post) == "Sale\nHalf price"
    assert fraud.content_text("profile", channel) == "Bakery\nFresh bread"
    assert fraud.content_text("message", message) == "Hello"
    assert fraud.content_text("paid_service", paid) == "Coupon\nTen percent"
    assert takedowns.content_snapshot("message", message) == {"text": "Hello", "direction": "out"}
    assert takedowns.content_snapshot("profile", channel) == {
        "name": "Bakery", "picture_url": channel.picture_url, "description": "Fresh bread",
    }
    assert CONTENT_KINDS["channel"].channel_id_of(channel) == channel.pk
    with pytest.raises(ValueError):
        fraud.content_text("channel", channel)
    inbound = MessageFactory(conversation__channel=channel, direction=MessageDirection.INBOUND)
    assert not CONTENT_KINDS["message"].is_scanned_row(inbound)
