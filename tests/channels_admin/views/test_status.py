"""A channel's status page: what limits its managers, why, until when and what to do; the
badges, banners and blocked pages that lead there; the promise made after verifying."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from restrictions import services
from restrictions.models import Restriction, RestrictionState, RestrictionType
from restrictions.services.sweep import enforce_chat_verification
from tests.channels_admin.services.test_identity import _verify_in_sandbox
from tests.factories import PostFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

STATUS = reverse("channels_admin:channel_status", args=["bakery"])


def _page(client):
    response = client.get(STATUS)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_url_is_the_channels_own(channel):
    assert STATUS == "/channels/bakery/status/"


def test_a_channel_without_restrictions_reads_as_clear(client_for, channel, manager):
    body = _page(client_for(manager))
    assert 'data-testid="status-clear"' in body
    assert "No restriction limits you in this channel." in body
    assert ">Active</span>" in body


def test_an_active_restriction_says_what_it_blocks_until_when_why_and_how_to_appeal(client_for, channel, manager, moderator):
    restriction = services.apply_restriction(
        actor=moderator, channel=channel, type="temporary", scope=["chat", "posts"], reason="operation_policy",
        manager_message="Stop the spam.", days=3,
    )
    body = _page(client_for(manager))
    assert 'data-testid="status-in-force"' in body
    assert "1:1 chat, Posts" in body
    assert "Channel operation policy" in body and "Stop the spam." in body
    assert "Until " in body
    assert 'data-step="appeal"' in body
    assert reverse("channels_admin:restriction_detail", args=[restriction.pk]) + "#appeal" in body
    assert ">Restricted</span>" in body


def test_scheduled_ended_and_appealed_restrictions_each_read_as_what_they_are(client_for, channel, manager, moderator):
    scheduled = RestrictionFactory(channel=channel, scheduled=True, type=RestrictionType.TEMPORARY, scope="posts")
    RestrictionFactory(channel=channel, lifted=True, scope="broadcast")
    appealed = services.apply_restriction(actor=moderator, channel=channel, type="activity", scope=["profile"],
                                          reason="terms", days=30)
    services.file_appeal(restriction=appealed, account=manager, text="We removed the post.")
    body = _page(client_for(manager))
    scheduled_part = body.split('data-testid="status-scheduled"')[1].split("</section>")[0]
    assert "Posts" in scheduled_part and f"#{scheduled.pk}" not in scheduled_part
    ended_part = body.split('data-testid="status-ended"')[1].split("</section>")[0]
    assert "Broadcast messages" in ended_part and "Lifted on " in ended_part
    in_force_part = body.split('data-testid="status-in-force"')[1].split("</section>")[0]
    assert "Broadcast messages" not in in_force_part
    assert 'data-step="appeal_pending"' in in_force_part and "A senior moderator will decide" in in_force_part


def test_verification_pending_offers_verification_not_an_appeal(client_for, channel, manager):
    enforce_chat_verification()
    restriction = Restriction.objects.get(account=manager, type=RestrictionType.VERIFICATION_PENDING)
    client = client_for(manager)
    body = _page(client)
    assert 'data-step="verify"' in body and reverse("channels_admin:identity_verify") in body
    assert "Appeal" not in body.split('data-testid="status-in-force"')[1].split("</section>")[0]
    detail = client.get(reverse("channels_admin:restriction_detail", args=[restriction.pk])).content.decode()
    assert "cannot be appealed" not in detail
    assert 'data-testid="verify-instead"' in detail and reverse("channels_admin:identity_verify") in detail


def test_takedowns_are_listed_with_their_restriction(client_for, channel, manager, moderator):
    post = PostFactory(channel=channel, title="Cheap loans", body="Click here")
    restriction = services.apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts"], reason="terms", days=30)
    services.take_down_content(actor=moderator, restriction=restriction, content=post)
    body = _page(client_for(manager))
    part = body.split('data-testid="status-takedowns"')[1].split("</section>")[0]
    assert "Cheap loans" in part
    assert reverse("channels_admin:restriction_detail", args=[restriction.pk]) in part


def test_a_permanent_ban_never_reads_as_active(client_for, channel, manager):
    RestrictionFactory(channel=channel, type=RestrictionType.PERMANENT)
    client = client_for(manager)
    detail = client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    dashboard = client.get(reverse("channels_admin:dashboard")).content.decode()
    for body in (detail, dashboard, _page(client)):
        assert "Permanently restricted" in body
    assert 'data-testid="channel-badge">Active<' not in detail + dashboard
    assert f'href="{STATUS}" data-testid="channel-badge">Permanently restricted</a>' in detail
    assert 'data-step="no_end"' in _page(client) or 'data-step="appeal"' in _page(client)


def test_a_warning_leaves_the_channel_active(client_for, channel, manager):
    RestrictionFactory(channel=channel, type=RestrictionType.WARNING, scope="all")
    body = _page(client_for(manager))
    assert ">Active</span>" in body and "Nothing: a warning is kept on record." in body


def test_banners_blocked_pages_and_the_chat_page_link_to_the_status_page(client_for, channel, manager, moderator, set_policy):
    set_policy(timezone.now() - timedelta(days=1))
    services.apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat", "posts"], reason="terms", days=30)
    client = client_for(manager)
    detail = client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert f'<a href="{STATUS}" data-testid="status-link">' in detail  # the banner
    nav = detail.split('data-testid="channel-nav"')[1].split("</nav>")[0]
    assert f'<a href="{STATUS}" class="sidenav-link sidenav-status">' in nav  # the channel's menu
    blocked = client.get(reverse("channels_admin:post_create", args=["bakery"]))
    assert blocked.status_code == HTTPStatus.FORBIDDEN and STATUS in blocked.content.decode()
    chat = client.get(reverse("channels_admin:chat_inbox", args=["bakery"]))
    body = chat.content.decode()
    assert chat.status_code == HTTPStatus.FORBIDDEN
    assert "Business terms of use" in body and STATUS in body


def test_another_channels_status_is_404(client_for, channel, stranger):
    assert client_for(stranger).get(STATUS).status_code == HTTPStatus.NOT_FOUND


def test_an_ended_restriction_never_reads_as_in_force(client_for, channel, manager):
    restriction = RestrictionFactory(channel=channel, expired=True, type=RestrictionType.TEMPORARY)
    detail = client_for(manager).get(reverse("channels_admin:restriction_detail", args=[restriction.pk])).content.decode()
    assert "In force" not in detail
    assert "Ended" in detail and "Expired" in detail


@pytest.mark.parametrize("language, expected", [
    ("ko", ["채널 상태", "적용 중인 이용 제한", "이의 제기", "이용 제한 중"]),
    ("vi", ["Trạng thái kênh", "Các hạn chế đang có hiệu lực", "Khiếu nại", "Đang bị hạn chế"]),
])
def test_the_status_page_speaks_the_managers_language(client_for, channel, manager, moderator, language, expected):
    manager.preferred_language = language
    manager.save(update_fields=["preferred_language"])
    services.apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts"], reason="terms", days=30)
    body = _page(client_for(manager))
    for text in expected:
        assert text in body


def test_after_verifying_a_manager_still_restricted_is_not_told_chat_works(client_for, channel, manager, moderator):
    enforce_chat_verification()
    services.apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat"], reason="terms", days=30)
    page = _verify_in_sandbox(client_for(manager)).content.decode()
    assert "You can now use 1:1 chat" not in page
    assert "1:1 chat stays restricted in @bakery" in page


def test_after_verifying_a_free_manager_is_told_chat_works(client_for, channel, manager):
    enforce_chat_verification()
    page = _verify_in_sandbox(client_for(manager)).content.decode()
    assert "Your identity is verified. You can now use 1:1 chat." in page
    assert Restriction.objects.get(account=manager, type="verification_pending").state == RestrictionState.LIFTED
