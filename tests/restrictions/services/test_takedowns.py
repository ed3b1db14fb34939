"""Takedowns kept with their sanction: the content is hidden but kept, and can be restored."""

import pytest

from channels_admin.models import Broadcast, Channel, Message, PaidService, Post
from core.models import AuditEntry
from restrictions import services
from restrictions.models import Takedown
from tests.factories import AccountFactory, BroadcastFactory, MessageFactory, PaidServiceFactory, PostFactory, make_channel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make, kind, model, hidden_field",
    [
        (lambda ch: PostFactory(channel=ch), "post", Post, "taken_down_at"),
        (lambda ch: BroadcastFactory(channel=ch), "broadcast", Broadcast, "taken_down_at"),
        (lambda ch: PaidServiceFactory(channel=ch), "paid_service", PaidService, "taken_down_at"),
        (lambda ch: MessageFactory(conversation__channel=ch, direction="out"), "message", Message, "taken_down_at"),
        (lambda ch: ch, "profile", Channel, "profile_taken_down_at"),
    ],
)
def test_take_down_hides_the_content_keeps_it_and_restore_brings_it_back(moderator, channel, make, kind, model, hidden_field):
    restriction = services.apply_restriction(
        actor=moderator, type="temporary", scope="all", reason="terms", channel=channel, days=7, manager_message="Scam."
    )
    content = make(channel)
    # when a moderator takes it down with the restriction
    takedown = services.take_down_content(actor=moderator, restriction=restriction, content=content)
    # then it is hidden but still stored, with the sanction and a copy of what was shown
    row = model.objects.get(pk=content.pk)
    assert getattr(row, hidden_field) is not None
    if hidden_field == "taken_down_at":
        assert not model.objects.visible().filter(pk=content.pk).exists()
    assert (takedown.restriction, takedown.kind, takedown.object_id) == (restriction, kind, content.pk)
    assert takedown.snapshot
    entry = AuditEntry.objects.get(event_type="content_taken_down")
    assert (entry.actor, entry.channel_id, entry.data["kind"]) == (moderator, channel.pk, kind)
    # and taking it down twice is refused
    with pytest.raises(services.TakedownError):
        services.take_down_content(actor=moderator, restriction=restriction, content=model.objects.get(pk=content.pk))
    # when it is restored
    services.restore_content(actor=moderator, takedown=takedown, reason="Taken down by mistake.")
    assert getattr(model.objects.get(pk=content.pk), hidden_field) is None
    takedown.refresh_from_db()
    assert takedown.restored_by == moderator and takedown.restored_at is not None
    assert AuditEntry.objects.filter(event_type="content_restored", reason="Taken down by mistake.").exists()


def test_content_of_another_channel_cannot_be_taken_down_with_this_restriction(moderator, restriction):
    other_post = PostFactory(channel=make_channel())
    with pytest.raises(services.TakedownError):
        services.take_down_content(actor=moderator, restriction=restriction, content=other_post)
    assert not Takedown.objects.exists()


def test_an_account_restriction_can_take_down_content_of_the_accounts_channels(moderator, channel, manager):
    restriction = services.apply_restriction(
        actor=moderator, type="activity", scope="posts", reason="impersonation_fraud", account=manager, manager_message="x",
        days=30,
    )
    takedown = services.take_down_content(actor=moderator, restriction=restriction, content=PostFactory(channel=channel))
    assert takedown.channel == channel


def test_a_viewer_cannot_take_down_and_an_ended_restriction_takes_nothing_down(viewer, moderator, channel, restriction):
    post = PostFactory(channel=channel)
    with pytest.raises(services.NotAllowed):
        services.take_down_content(actor=viewer, restriction=restriction, content=post)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="done")
    with pytest.raises(services.WrongState):
        services.take_down_content(actor=moderator, restriction=restriction, content=post)


def test_a_non_staff_account_cannot_restore(channel, restriction, moderator):
    takedown = services.take_down_content(actor=moderator, restriction=restriction, content=PostFactory(channel=channel))
    with pytest.raises(services.NotAllowed):
        services.restore_content(actor=AccountFactory(), takedown=takedown, reason="x")
    with pytest.raises(services.TakedownError):
        services.restore_content(actor=moderator, takedown=takedown, reason="")
    assert not Post.objects.visible().filter(pk=takedown.object_id).exists()


# --- what a takedown hangs on ----------------------------------------------------------------


def test_an_unconfirmed_permanent_restriction_takes_nothing_down(moderator, senior, channel):
    # given a permanent restriction one senior moderator applied: the managers were never told
    permanent = services.apply_restriction(
        actor=senior, type="permanent", scope="all", reason="terms", channel=channel, manager_message="Fraud."
    )
    post = PostFactory(channel=channel)
    # when a moderator hides a post under it, then it is refused and the post stays
    with pytest.raises(services.TakedownError, match="confirmation"):
        services.take_down_content(actor=moderator, restriction=permanent, content=post)
    assert Post.objects.visible().filter(pk=post.pk).exists() and not Takedown.objects.exists()
    # once a second senior moderator confirms it (and so tells the managers), it does
    services.confirm_restriction(restriction=permanent, actor=AccountFactory(senior=True))
    assert services.take_down_content(actor=moderator, restriction=permanent, content=post).kind == "post"


def test_a_scheduled_restriction_is_not_in_force_and_takes_nothing_down(moderator, channel):
    from datetime import timedelta

    from django.utils import timezone

    later = services.apply_restriction(
        actor=moderator, type="temporary", scope="posts", reason="terms", channel=channel, days=3,
        starts_at=timezone.now() + timedelta(days=1), manager_message="From tomorrow.",
    )
    with pytest.raises(services.WrongState, match="in force"):
        services.take_down_content(actor=moderator, restriction=later, content=PostFactory(channel=channel))


def test_a_warning_cannot_hide_the_channel_profile(moderator, channel):
    warning = services.apply_restriction(
        actor=moderator, type="warning", scope="all", reason="terms", channel=channel, manager_message="Careful."
    )
    with pytest.raises(services.TakedownError, match="warning cannot hide the channel profile"):
        services.take_down_content(actor=moderator, restriction=warning, content=channel)
    channel.refresh_from_db()
    assert channel.profile_taken_down_at is None and not Takedown.objects.exists()
    # the single offending post its scope names it may take down
    assert services.take_down_content(actor=moderator, restriction=warning, content=PostFactory(channel=channel)).kind == "post"


@pytest.mark.parametrize(
    "scope, make",
    [
        ("chat", lambda ch: PostFactory(channel=ch)),
        ("posts", lambda ch: ch),
        ("posts", lambda ch: BroadcastFactory(channel=ch)),
        ("broadcast", lambda ch: PaidServiceFactory(channel=ch)),
        ("paid_services", lambda ch: MessageFactory(conversation__channel=ch, direction="out")),
    ],
)
def test_a_restriction_takes_down_only_what_its_scope_covers(moderator, channel, scope, make):
    restriction = services.apply_restriction(
        actor=moderator, type="temporary", scope=scope, reason="terms", channel=channel, days=3, manager_message="x"
    )
    with pytest.raises(services.TakedownError, match="whose scope covers it"):
        services.take_down_content(actor=moderator, restriction=restriction, content=make(channel))
    assert not Takedown.objects.exists()
