"""Staff pages for notifications: service notices, deliveries, retry."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Delivery, DeliveryChannel, DeliveryState, NotificationAuditEvent, ServiceNotice
from notifications.services import request_notification
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _deliveries(recipients, key="restriction:7:applied", event="restriction_applied"):
    return request_notification(event=event, recipients=recipients, key=key, context={"target": "@bakery"})


def _fail(rows, channel=DeliveryChannel.KAKAOTALK, error="KakaoTalk provider result -3000: refused"):
    ids = [r.pk for r in rows if r.channel == channel]
    Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.FAILED, attempts=6, last_error=error)
    return ids


@pytest.mark.parametrize(
    "who, notices_status, deliveries_status",
    [("anonymous", 302, 302), ("stranger", 404, 404), ("viewer", 403, 200), ("moderator", 200, 200), ("senior", 200, 200)],
)
def test_staff_pages_permissions(client, client_for, request, who, notices_status, deliveries_status):
    c = client if who == "anonymous" else client_for(request.getfixturevalue(who))
    assert c.get(reverse("staff_notifications:notices")).status_code == notices_status
    assert c.get(reverse("staff_notifications:deliveries")).status_code == deliveries_status
    if who in ("viewer", "stranger"):
        assert c.post(reverse("staff_notifications:retry"), {"delivery": "1"}).status_code in (403, 404)


def test_moderator_publishes_a_service_notice_and_it_is_audited(client_for, moderator):
    response = client_for(moderator).post(
        reverse("staff_notifications:notices"),
        {"language": "en", "title_en": "Maintenance on Sunday", "body_en": "The Admin Center pauses 02:00–03:00.", "audience": "general", "pinned": "on"},
        follow=True,
    )
    assert "Notice “Maintenance on Sunday” published." in response.content.decode()
    notice = ServiceNotice.objects.get()
    assert (notice.audience, notice.pinned, notice.created_by) == ("general", True, moderator)
    entry = AuditEntry.objects.get(event_type=NotificationAuditEvent.NOTICE_PUBLISHED)
    assert entry.actor == moderator and entry.data["after"]["notice_id"] == notice.pk


def test_invalid_notice_is_refused_and_changes_nothing(client_for, moderator):
    response = client_for(moderator).post(
        reverse("staff_notifications:notices"),
        {"language": "en", "title_en": "", "body_en": "x", "audience": "everyone", "publish_at": "2026-12-02T10:00", "expires_at": "2026-12-01T10:00"},
    )
    assert response.status_code == 400
    assert ServiceNotice.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_withdrawing_takes_the_notice_off_the_board(client_for, moderator, master, channel):
    notice = ServiceNotice.objects.create(title="Old news", body="x")
    client_for(moderator).post(reverse("staff_notifications:withdraw_notice", args=[notice.pk]))
    body = client_for(master).get(reverse("notifications:board")).content.decode()
    assert 'data-testid="service-notice"' not in body
    assert ServiceNotice.objects.get().expires_at is not None


def test_deliveries_page_filters_by_account_and_event(client_for, viewer, master, manager):
    _deliveries([master, manager])
    _deliveries([master], key="restriction:7:lifted", event="restriction_lifted")
    client = client_for(viewer)
    body = client.get(reverse("staff_notifications:deliveries"), {"account": "master@example.com"}).content.decode()
    assert body.count('data-testid="delivery"') == 6
    assert "manager@example.com</a>" not in body
    body = client.get(reverse("staff_notifications:deliveries"), {"event": "restriction_lifted"}).content.decode()
    assert body.count('data-testid="delivery"') == 3
    assert 'Pending <span class="pill-count">3</span>' in body


def test_deliveries_page_rejects_a_bad_filter(client_for, viewer):
    response = client_for(viewer).get(reverse("staff_notifications:deliveries"), {"account": "nobody@example.com"})
    assert response.status_code == 400
    assert "No account with this email." in response.content.decode()


def test_deliveries_page_query_count_is_flat(client_for, viewer, django_assert_num_queries):
    client = client_for(viewer)
    _deliveries(AccountFactory.create_batch(2))
    client.get(reverse("staff_notifications:deliveries"))
    with django_assert_num_queries(1) as few:
        client.get(reverse("staff_notifications:deliveries"))
    _deliveries(AccountFactory.create_batch(30), key="restriction:8:applied")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff_notifications:deliveries"))
    assert response.content.decode().count('data-testid="delivery"') == 50


def test_moderator_retries_one_failed_delivery(client_for, moderator, master, kakaotalk_outbox, django_capture_on_commit_callbacks):
    (failed_id,) = _fail(_deliveries([master]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(reverse("staff_notifications:retry"), {"delivery": failed_id}, follow=True)
    assert "1 failed deliveries will be sent again." in response.content.decode()
    row = Delivery.objects.get(pk=failed_id)
    assert (row.state, row.attempts) == (DeliveryState.SENT, 1)
    assert len(kakaotalk_outbox) == 1
    assert AuditEntry.objects.get(event_type=NotificationAuditEvent.NOTIFICATION_REDELIVERED).data["ids"] == [failed_id]


@pytest.mark.parametrize("delivery", ["abc", "²", "-1", "99999999999999999999"])
def test_retry_of_a_delivery_that_cannot_exist_does_nothing(client_for, moderator, master, delivery):
    _fail(_deliveries([master]))
    response = client_for(moderator).post(reverse("staff_notifications:retry"), {"delivery": delivery}, follow=True)
    assert "No failed delivery to retry." in response.content.decode()
    assert AuditEntry.objects.count() == 0


def test_retry_of_a_delivery_that_did_not_fail_does_nothing(client_for, moderator, master):
    row = _deliveries([master])[0]
    response = client_for(moderator).post(reverse("staff_notifications:retry"), {"delivery": row.pk}, follow=True)
    assert "No failed delivery to retry." in response.content.decode()
    assert AuditEntry.objects.count() == 0



def test_deliveries_page_summarises_per_event_and_state(client_for, viewer, master, manager):
    rows = _deliveries([master, manager])
    _fail(rows)
    _deliveries([master], key="restriction:7:lifted", event="restriction_lifted")
    body = client_for(viewer).get(reverse("staff_notifications:deliveries")).content.decode()
    summary = body[body.index('data-testid="delivery-summary"'):body.index("</table>")]
    assert "Restriction applied" in summary and "Restriction lifted" in summary
    assert '<a href="?event=restriction_applied&amp;state=failed">2</a>' in summary
