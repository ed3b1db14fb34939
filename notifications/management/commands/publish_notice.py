import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from channels_admin.models import Account
from notifications.models import Audience
from notifications.services import NotAllowed, NoticeError, publish_service_notice


def _when(value, name):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise CommandError(f"{name} must be an ISO date and time with a zone, e.g. 2026-12-01T09:00:00+09:00")
    return parsed


class Command(BaseCommand):
    help = "Publish a service notice on the Notices board of the Admin Center."

    def add_arguments(self, parser):
        parser.add_argument("--title", required=True, help="the notice's title (at most 200 characters)")
        parser.add_argument("--body", required=True, help="the notice's text")
        parser.add_argument("--audience", default=Audience.ALL, choices=Audience.values,
                            help="all managers (default), or the managers of general or of business channels")
        parser.add_argument("--pinned", action="store_true", help="keep it at the top of the board")
        parser.add_argument("--publish-at", help="ISO date and time to publish at (default: now)")
        parser.add_argument("--expires-at", help="ISO date and time to take it off the board (default: never)")
        parser.add_argument("--actor", metavar="EMAIL",
                            help="email of the moderator publishing it (audited; default: the system)")
        parser.add_argument("--json", action="store_true", help="print the notice as JSON")

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = Account.objects.filter(email=options["actor"].strip().lower()).first()
            if actor is None:
                raise CommandError(f"No account with the email {options['actor']!r}.")
        try:
            notice = publish_service_notice(
                actor=actor,
                title=options["title"],
                body=options["body"],
                audience=options["audience"],
                pinned=options["pinned"],
                publish_at=_when(options["publish_at"], "--publish-at"),
                expires_at=_when(options["expires_at"], "--expires-at"),
            )
        except (NoticeError, NotAllowed) as exc:
            raise CommandError(str(exc)) from exc
        data = {
            "id": notice.pk, "title": notice.title, "audience": notice.audience, "pinned": notice.pinned,
            "publish_at": notice.publish_at.isoformat(), "expires_at": notice.expires_at.isoformat() if notice.expires_at else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(f"Published notice {notice.pk} “{notice.title}” for {notice.get_audience_display().lower()}."))
