import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from channels_admin.models import Account
from notifications.models import NOTICE_LANGUAGES, Audience
from notifications.services import NotAllowed, NoticeError, publish_service_notice


def _when(value, name):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise CommandError(f"{name} must be an ISO date and time with a zone, e.g. 2026-12-01T09:00:00+09:00")
    return parsed


def _texts(options):
    """(title, body, language, translations) from --title/--body (the original) and the
    --title-XX/--body-XX versions."""
    given = {
        code: (options[f"title_{code}"], options[f"body_{code}"])
        for code in NOTICE_LANGUAGES if options[f"title_{code}"] is not None or options[f"body_{code}"] is not None
    }
    language = options["language"]
    if language is None:
        language = next(iter(given)) if len(given) == 1 and options["title"] is None else settings.LANGUAGE_CODE
    if options["title"] is not None or options["body"] is not None:
        if language in given:
            raise CommandError(f"--title/--body are the {language} version: do not give --title-{language} as well.")
        given[language] = (options["title"], options["body"])
    if language not in given:
        raise CommandError(f"Give the original ({language}) version: --title-{language} and --body-{language}, or --title and --body.")
    title, body = given.pop(language)
    return title or "", body or "", language, given


class Command(BaseCommand):
    help = (
        "Publish a service notice on the Notices board of the Admin Center, in one or more languages: "
        "each manager reads their own language, else the original (--language), else another."
    )

    def add_arguments(self, parser):
        parser.add_argument("--title", help="the title in the original language (at most 200 characters)")
        parser.add_argument("--body", help="the text in the original language")
        parser.add_argument("--language", choices=NOTICE_LANGUAGES,
                            help=f"the original language (default: {settings.LANGUAGE_CODE}, or the only one given)")
        for code in NOTICE_LANGUAGES:
            parser.add_argument(f"--title-{code}", metavar="TITLE", help=f"the title in {code}")
            parser.add_argument(f"--body-{code}", metavar="TEXT", help=f"the text in {code}")
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
        title, body, language, translations = _texts(options)
        try:
            notice = publish_service_notice(
                actor=actor,
                title=title,
                body=body,
                language=language,
                translations=translations,
                audience=options["audience"],
                pinned=options["pinned"],
                publish_at=_when(options["publish_at"], "--publish-at"),
                expires_at=_when(options["expires_at"], "--expires-at"),
            )
        except (NoticeError, NotAllowed) as exc:
            raise CommandError(str(exc)) from exc
        data = {
            "id": notice.pk, "title": notice.title, "language": notice.language, "languages": sorted(notice.texts),
            "missing_languages": notice.missing_languages, "audience": notice.audience, "pinned": notice.pinned,
            "publish_at": notice.publish_at.isoformat(), "expires_at": notice.expires_at.isoformat() if notice.expires_at else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Published notice {notice.pk} “{notice.title}” for {notice.get_audience_display().lower()}"
                f" in {', '.join(sorted(notice.texts))}."
            ))
            if notice.missing_languages:
                self.stdout.write(f"No version in {', '.join(notice.missing_languages)}: those readers get the original.")
