"""confirm_restriction, take_down_content, restore_content, file_appeal, decide_appeal: the same
services and refusals as the pages, JSON out, a non-zero exit and nothing written on a refusal."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from channels_admin.models import Post
from core.models import AuditEntry
from notifications.models import Delivery
from restrictions import services
from restrictions.models import Appeal, Restriction, Takedown
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def posts_restriction(moderator, channel):
    return services.apply_restriction(
        actor=moderator, type="temporary", scope="posts", reason="terms", channel=channel, days=7, manager_message="Ads."
    )


@pytest.mark.parametrize("name", ["confirm_restriction", "take_down_content", "restore_content", "file_appeal", "decide_appeal"])
def test_every_command_explains_itself(name, capsys):
    with pytest.raises(SystemExit) as done:
        call_command(name, "--help")
    assert done.value.code == 0
    assert "--json" in capsys.readouterr().out


def test_confirm_restriction_needs_a_second_senior_moderator(senior, second_senior, channel):
    restriction = services.apply_restriction(
        actor=senior, type="permanent", scope="all", reason="terms", channel=channel, manager_message="Fraud."
    )
    with pytest.raises(CommandError, match="second senior moderator"):
        run("confirm_restriction", str(restriction.pk), "--actor", senior.email)
    assert not Delivery.objects.exists()
    data = json.loads(run("confirm_restriction", str(restriction.pk), "--actor", second_senior.email, "--json"))
    assert (data["id"], data["state"], data["confirmed"]) == (restriction.pk, "active", True)
    assert Delivery.objects.filter(notification__restriction=restriction, notification__event="restriction_applied").count() == 6
    with pytest.raises(CommandError, match="No restriction #999"):
        run("confirm_restriction", "999", "--actor", second_senior.email)


def test_take_down_and_restore_content(moderator, channel, posts_restriction):
    post = PostFactory(channel=channel)
    data = json.loads(run("take_down_content", "--restriction", str(posts_restriction.pk), "--kind", "post", "--id", str(post.pk),
                          "--actor", moderator.email, "--reason", "Scam link.", "--json"))
    assert (data["kind"], data["object_id"], data["restriction"], data["channel"]) == ("post", post.pk, posts_restriction.pk, "@bakery")
    assert not Post.objects.visible().filter(pk=post.pk).exists()
    assert AuditEntry.objects.get(event_type="content_taken_down").reason == "Scam link."
    with pytest.raises(CommandError, match="reason|Say why"):
        run("restore_content", str(data["id"]), "--actor", moderator.email, "--reason", "  ")
    plain = run("restore_content", str(data["id"]), "--actor", moderator.email, "--reason", "Taken down by mistake.")
    assert "restored" in plain
    assert Post.objects.visible().filter(pk=post.pk).exists()


@pytest.mark.parametrize(
    "args, error",
    [
        (["--kind", "profile"], "covers Posts, not Channel profile"),
        (["--kind", "post", "--id", "999999"], "No post #999999"),
        (["--restriction", "999999"], "No restriction #999999"),
        (["--actor", "viewer@example.com"], "Only moderators"),
        (["--actor", "ghost@example.com"], "no account"),
    ],
)
def test_take_down_refusals_write_nothing(moderator, viewer, channel, posts_restriction, args, error):
    post = PostFactory(channel=channel)
    values = {"--restriction": str(posts_restriction.pk), "--kind": "post", "--id": str(post.pk), "--actor": moderator.email}
    if "--kind" in args and args[args.index("--kind") + 1] == "profile":
        values["--id"] = str(channel.pk)
    values.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=error):
        run("take_down_content", *[part for pair in values.items() for part in pair])
    assert not Takedown.objects.exists()
    assert not AuditEntry.objects.filter(event_type="content_taken_down").exists()


def test_file_and_decide_an_appeal(manager, senior, moderator, channel, posts_restriction):
    post = PostFactory(channel=channel)
    services.take_down_content(actor=moderator, restriction=posts_restriction, content=post)
    with pytest.raises(CommandError, match="Only a manager"):
        run("file_appeal", str(posts_restriction.pk), "--account", moderator.email, "--text", "Not mine.")
    appeal_id = int(run("file_appeal", str(posts_restriction.pk), "--account", manager.email, "--text", "We removed the ads."))
    with pytest.raises(CommandError, match="already been appealed"):
        run("file_appeal", str(posts_restriction.pk), "--account", manager.email, "--text", "Again.")
    with pytest.raises(CommandError, match="senior moderator"):
        run("decide_appeal", str(appeal_id), "--actor", moderator.email, "--overturn", "--note", "Fine.")
    with pytest.raises(CommandError, match="Explain"):
        run("decide_appeal", str(appeal_id), "--actor", senior.email, "--overturn", "--note", " ")
    assert Appeal.objects.get(pk=appeal_id).state == "pending"
    data = json.loads(run("decide_appeal", str(appeal_id), "--actor", senior.email, "--overturn", "--note", "Fine now.", "--json"))
    assert (data["state"], data["decided_by"], data["decision_note"]) == ("overturned", senior.email, "Fine now.")
    assert Restriction.objects.get(pk=posts_restriction.pk).state == "lifted"
    assert Post.objects.visible().filter(pk=post.pk).exists()
    with pytest.raises(CommandError, match="already been decided"):
        run("decide_appeal", str(appeal_id), "--actor", senior.email, "--uphold", "--note", "No.")


def test_decide_appeal_needs_exactly_one_decision(senior):
    with pytest.raises(CommandError):
        run("decide_appeal", "1", "--actor", senior.email, "--note", "x")
    with pytest.raises(CommandError):
        run("decide_appeal", "1", "--actor", senior.email, "--note", "x", "--uphold", "--overturn")
