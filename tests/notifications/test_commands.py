"""The notification commands: publish_notice, notification_log, redeliver_notifications."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Delivery, DeliveryChannel, DeliveryState, ServiceNotice
from notifications.services import request_notification

pytestmark = pytest.mark.django_db


def _deliveries(recipients, key="restriction:7:applied", event="restriction_applied"):
    return request_notification(event=event, recipients=recipients, key=key, context={"target": "@bakery"})


def _fail(rows, channel=DeliveryChannel.KAKAOTALK, error="KakaoTalk provider result -3000: refused"):
    ids = [r.pk for r in rows if r.channel == channel]
    Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.FAILED, attempts=6, last_error=error)
    return ids


def test_publish_notice_command(capsys):
    out = StringIO()
    call_command("publish_notice", "--title", "Policy update", "--body", "Read it.", "--audience", "business", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["title"] == "Policy update" and data["audience"] == "business"
    assert ServiceNotice.objects.get().created_by is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--title", " ", "--body", "x"], "A notice needs a title."),
        (["--title", "T", "--body", "x", "--expires-at", "yesterday"], "--expires-at must be an ISO date"),
        (["--title", "T", "--body", "x", "--publish-at", "2026-12-02T00:00:00+09:00", "--expires-at", "2026-12-01T00:00:00+09:00"],
         "The notice must expire after it is published."),
    ],
)
def test_publish_notice_command_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("publish_notice", *args, stdout=StringIO())
    assert ServiceNotice.objects.count() == 0


def test_notification_log_json(master):
    _deliveries([master])
    out = StringIO()
    call_command("notification_log", "--account", "Master@Example.com", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert sorted(r["channel"] for r in rows) == ["email", "kakaotalk", "notice"]
    assert set(rows[0]) >= {"event", "channel", "state", "attempts", "created_at", "sent_at"}
    assert {r["event"] for r in rows} == {"restriction_applied"}


def test_notification_log_unknown_account():
    with pytest.raises(CommandError, match="No account with the email 'ghost@example.com'"):
        call_command("notification_log", "--account", "ghost@example.com")


def test_redeliver_failed_command_resends_only_failed_rows(master, mailoutbox, kakaotalk_outbox, django_capture_on_commit_callbacks):
    rows = _deliveries([master])
    failed = _fail(rows)
    out = StringIO()
    call_command("redeliver_notifications", "--failed", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"mode": "failed", "dry_run": True, "would_retry": 1}
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("redeliver_notifications", "--failed", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"mode": "failed", "dry_run": False, "retried": 1}
    assert Delivery.objects.get(pk=failed[0]).state == DeliveryState.SENT
    assert len(kakaotalk_outbox) == 1 and mailoutbox == []  # the pending email was not touched by --failed


def test_redeliver_pending_command_publishes_due_rows(master, mailoutbox):
    _deliveries([master])  # publish lost: still pending and marked queued
    out = StringIO()
    call_command("redeliver_notifications", "--json", stdout=out)
    assert json.loads(out.getvalue())["published"] == 3
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 3
    assert len(mailoutbox) == 1


def test_redeliver_refuses_filters_without_failed():
    with pytest.raises(CommandError, match="--event and --account go with --failed"):
        call_command("redeliver_notifications", "--event", "restriction_applied")
