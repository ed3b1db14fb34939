"""Appeals: filed once within the window by an affected manager, decided by a senior moderator."""

from datetime import timedelta

import pytest
import time_machine

from channels_admin.models import Post
from core.models import AuditEntry
from notifications.models import Delivery
from restrictions import services
from restrictions.models import Appeal, Takedown
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_a_manager_appeals_once_within_the_window(restriction, manager, master):
    appeal = services.file_appeal(restriction=restriction, account=manager, text="  We removed the ads.  ")
    assert (appeal.state, appeal.text, appeal.account) == ("pending", "We removed the ads.", manager)
    entry = AuditEntry.objects.get(event_type="appeal_filed")
    assert (entry.actor, entry.restriction) == (manager, restriction)
    # every affected manager hears that the appeal was received, by each channel
    received = Delivery.objects.filter(notification__event="appeal_filed", notification__restriction=restriction)
    assert sorted(received.values_list("notification__recipient__email", "channel")) == sorted(
        (who.email, channel) for who in (master, manager) for channel in ("email", "notice", "kakaotalk")
    )
    with pytest.raises(services.AppealError, match="once"):
        services.file_appeal(restriction=restriction, account=master, text="Again")
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_appeal_needs_a_text_of_at_most_2000_characters(restriction, manager, text):
    with pytest.raises(services.AppealError):
        services.file_appeal(restriction=restriction, account=manager, text=text)
    assert not Appeal.objects.exists() and not AuditEntry.objects.filter(event_type="appeal_filed").exists()


def test_an_appeal_of_exactly_2000_characters_is_accepted(restriction, manager):
    assert len(services.file_appeal(restriction=restriction, account=manager, text="x" * 2000).text) == 2000


def test_only_an_affected_manager_may_appeal(restriction, stranger, moderator):
    with pytest.raises(services.AppealError):
        services.file_appeal(restriction=restriction, account=stranger, text="Not mine")
    with pytest.raises(services.AppealError):
        services.file_appeal(restriction=restriction, account=moderator, text="Staff")


def test_the_appeal_window_is_a_setting(restriction, manager, settings):
    settings.APPEAL_WINDOW_DAYS = 3
    with time_machine.travel(restriction.starts_at + timedelta(days=3, minutes=1)):
        with pytest.raises(services.AppealError, match="ended"):
            services.file_appeal(restriction=restriction, account=manager, text="Late")
    with time_machine.travel(restriction.starts_at + timedelta(days=2)):
        services.file_appeal(restriction=restriction, account=manager, text="In time")


def test_an_unconfirmed_permanent_or_a_lifted_restriction_cannot_be_appealed(senior, moderator, channel, manager):
    permanent = services.apply_restriction(
        actor=senior, type="permanent", scope="all", reason="terms", channel=channel, manager_message="x"
    )
    with pytest.raises(services.AppealError):
        services.file_appeal(restriction=permanent, account=manager, text="Why?")
    services.lift_restriction(restriction=permanent, actor=senior, reason="declined")
    warning = services.apply_restriction(actor=moderator, type="warning", scope="posts", reason="terms", channel=channel)
    services.lift_restriction(restriction=warning, actor=moderator, reason="withdrawn")
    with pytest.raises(services.AppealError):
        services.file_appeal(restriction=warning, account=manager, text="Why?")


def test_overturning_lifts_restores_audits_and_tells_every_manager(moderator, senior, channel, restriction, master, manager):
    # given two posts taken down with the restriction, and an appeal
    posts = [PostFactory(channel=channel), PostFactory(channel=channel)]
    for post in posts:
        services.take_down_content(actor=moderator, restriction=restriction, content=post)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Misunderstanding.")
    # when a senior moderator overturns it
    services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="The posts were fine.")
    # then the restriction is lifted, the posts are back, the appeal is closed
    restriction.refresh_from_db()
    appeal.refresh_from_db()
    assert (restriction.state, restriction.lift_reason, restriction.ended_by) == ("lifted", "The posts were fine.", senior)
    assert Post.objects.visible().filter(pk__in=[p.pk for p in posts]).count() == 2
    assert not Takedown.objects.filter(restored_at__isnull=True).exists()
    assert (appeal.state, appeal.decided_by, appeal.decision_note) == ("overturned", senior, "The posts were fine.")
    # and every step is audited
    events = list(AuditEntry.objects.filter(restriction=restriction).order_by("id").values_list("event_type", flat=True))
    assert events[-4:] == ["restriction_lifted", "content_restored", "content_restored", "appeal_overturned"]
    # and both managers are told once through each channel
    told = Delivery.objects.filter(notification__event="appeal_overturned")
    assert sorted((d.notification.recipient.email, d.channel) for d in told) == sorted(
        (m.email, c) for m in (master, manager) for c in ("email", "notice", "kakaotalk")
    )
    assert told.first().notification.context["appeal_note"] == "The posts were fine."
    # and it cannot be decided twice
    with pytest.raises(services.WrongState):
        services.decide_appeal(appeal=appeal, actor=senior, overturn=False, note="changed my mind")


def test_upholding_keeps_the_restriction_and_the_takedowns(moderator, senior, channel, restriction, manager):
    post = PostFactory(channel=channel)
    services.take_down_content(actor=moderator, restriction=restriction, content=post)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Please.")
    services.decide_appeal(appeal=appeal, actor=senior, overturn=False, note="The ads broke the policy.")
    restriction.refresh_from_db()
    assert restriction.state == "active"
    assert not Post.objects.visible().filter(pk=post.pk).exists()
    assert Appeal.objects.get().state == "upheld"
    assert AuditEntry.objects.filter(event_type="appeal_upheld", actor=senior).exists()
    assert Delivery.objects.filter(notification__event="appeal_upheld").count() == 6


def test_overturning_an_expired_restriction_restores_its_content(moderator, senior, channel, restriction, manager):
    post = PostFactory(channel=channel)
    services.take_down_content(actor=moderator, restriction=restriction, content=post)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Please.")
    with time_machine.travel(restriction.ends_at + timedelta(minutes=1)):
        services.expire_due_restrictions()
        services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="Wrong call.")
    restriction.refresh_from_db()
    assert restriction.state == "expired"
    assert Post.objects.visible().filter(pk=post.pk).exists()


@pytest.mark.parametrize("who", ["viewer", "moderator"])
def test_only_senior_moderators_decide_appeals(request, restriction, manager, who):
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Please.")
    with pytest.raises(services.NotAllowed):
        services.decide_appeal(appeal=appeal, actor=request.getfixturevalue(who), overturn=True, note="x")
    assert Appeal.objects.get().state == "pending"


def test_a_decision_needs_a_note(restriction, manager, senior):
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Please.")
    with pytest.raises(services.InvalidRestriction):
        services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="  ")


def test_the_appeal_deadline_is_in_the_context(restriction, settings):
    settings.APPEAL_WINDOW_DAYS = 10
    assert services.notification_context(restriction)["appeal_deadline"] == (restriction.starts_at + timedelta(days=10)).isoformat()
