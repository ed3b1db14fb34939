"""queue_item: the queue page's claim / release / resolve / dismiss from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from staff.models import QueueItem
from staff.services.moderation import file_report
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(channel):
    post = PostFactory(channel=channel)
    return file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud").item


def run(*args):
    out = StringIO()
    call_command("queue_item", *args, stdout=out)
    return out.getvalue()


def test_help(capsys):
    with pytest.raises(SystemExit):
        call_command("queue_item", "--help")
    out = capsys.readouterr().out
    assert "--json" in out and "claim" in out and "dismiss" in out


def test_claim_release_resolve_with_json_and_audit(item, moderator):
    assert json.loads(run(str(item.pk), "claim", "--actor", moderator.email, "--json"))["claimed_by"] == moderator.email
    assert json.loads(run(str(item.pk), "release", "--actor", moderator.email, "--json"))["state"] == "open"
    data = json.loads(run(str(item.pk), "resolve", "--actor", moderator.email, "--note", "Post taken down.", "--json"))
    assert (data["state"], data["decided_by"], data["decision_note"]) == ("resolved", moderator.email, "Post taken down.")
    assert set(AuditEntry.objects.values_list("event_type", flat=True)) >= {
        "queue_item_claimed", "queue_item_released", "report_resolved"
    }
    assert "resolved" in run(str(item.pk))


def test_refusals_are_clear_and_change_nothing(item, moderator, senior, viewer):
    with pytest.raises(CommandError, match="staff role"):
        run(str(item.pk), "claim", "--actor", viewer.email)
    run(str(item.pk), "claim", "--actor", senior.email)
    with pytest.raises(CommandError, match="already handling"):
        run(str(item.pk), "claim", "--actor", moderator.email)
    with pytest.raises(CommandError, match="--actor is required"):
        run(str(item.pk), "dismiss")
    with pytest.raises(CommandError, match="No queue item #999"):
        run("999", "claim", "--actor", moderator.email)
    with pytest.raises(CommandError, match="2000"):
        run(str(item.pk), "dismiss", "--actor", moderator.email, "--note", "x" * 2001)
    refreshed = QueueItem.objects.get(pk=item.pk)
    assert (refreshed.state, refreshed.claimed_by) == ("claimed", senior)
