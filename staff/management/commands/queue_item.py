import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account
from staff.models import QueueItem
from staff.services import moderation

ACTIONS = {
    "claim": moderation.claim_item,
    "release": moderation.release_item,
    "resolve": moderation.resolve_item,
    "dismiss": moderation.dismiss_item,
}


def _iso(value):
    return value.isoformat() if value is not None else None


def item_as_dict(item: QueueItem) -> dict:
    return {
        "id": item.pk,
        "state": item.state,
        "source": item.source,
        "channel": item.channel.public_id,
        "target_kind": item.target_kind,
        "target_id": item.target_id,
        "reason": item.reason,
        "reports": item.report_count,
        "score": item.score,
        "claimed_by": item.claimed_by.email if item.claimed_by_id else None,
        "claimed_at": _iso(item.claimed_at),
        "decided_by": item.decided_by.email if item.decided_by_id else None,
        "decided_at": _iso(item.decided_at),
        "decision_note": item.decision_note,
    }


class Command(BaseCommand):
    help = (
        "Act on a moderation queue item as the queue page does: claim it, release it back to the queue, resolve it "
        "(acted upon) or dismiss it (no action needed), with an optional note for resolve and dismiss. Audited. "
        "Without an action, prints the item."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The queue item's id.")
        parser.add_argument("action", nargs="?", choices=sorted(ACTIONS), help="What to do; leave out to only show the item.")
        parser.add_argument("--actor", help="Email of the moderator acting (required with an action).")
        parser.add_argument("--note", default="", help="Why it is resolved or dismissed (up to 2,000 characters).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the item as JSON.")

    def handle(self, *args, id, action=None, actor=None, note="", as_json=False, **options):  # noqa: A002
        item = QueueItem.objects.filter(pk=id).first()
        if item is None:
            raise CommandError(f"No queue item #{id}.")
        if action is not None:
            if not actor:
                raise CommandError("--actor is required with an action.")
            if note and action not in ("resolve", "dismiss"):
                raise CommandError("--note goes with resolve or dismiss.")
            staff = Account.objects.filter(email=actor.strip().lower()).first()
            if staff is None:
                raise CommandError(f"--actor: no account with the email {actor!r}.")
            kwargs = {"note": note} if action in ("resolve", "dismiss") else {}
            try:
                with contextlib.redirect_stdout(sys.stderr):
                    ACTIONS[action](item=item, actor=staff, **kwargs)
            except moderation.ModerationError as exc:
                raise CommandError(str(exc)) from exc
        item = QueueItem.objects.select_related("channel", "claimed_by", "decided_by").get(pk=id)
        if as_json:
            self.stdout.write(json.dumps(item_as_dict(item), ensure_ascii=False))
        else:
            who = f" by {item.claimed_by.email}" if item.claimed_by_id and item.state == "claimed" else ""
            self.stdout.write(f"Queue item #{item.pk} ({item.target_kind} #{item.target_id} in {item.channel.public_id}): {item.state}{who}.")
