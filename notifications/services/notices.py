"""Service notices on the Notices board, in several languages, and the personal notices of
the inbox (read marks)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_audit
from core.permissions import can_moderate

from ..models import NOTICE_LANGUAGES, Audience, Notice, NotificationAuditEvent, ServiceNotice
from ..selectors import notices_changed


class NoticeError(Exception):
    """A service notice that cannot be published as asked; the message says why."""


class NotAllowed(Exception):
    """The actor's staff role does not allow this action; nothing was written. The message is
    for people."""


def _require_moderator(actor, message) -> None:
    """Moderators and senior moderators, as the staff pages require; None is the system (an
    operator's command, the demo seed)."""
    if actor is not None and not can_moderate(actor):
        raise NotAllowed(message)


def mark_notice_read(*, actor, notice: Notice) -> bool:
    """Mark one of the actor's own notices read. Returns False when it already was."""
    if notice.recipient_id != actor.pk:
        raise PermissionError("not your notice")
    if notice.read_at is not None:
        return False
    notice.read_at = timezone.now()
    notices_changed(actor.pk)
    return Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at) == 1


def mark_all_notices_read(*, actor) -> int:
    """Mark every unread notice of the actor read, in one UPDATE. Returns how many."""
    notices_changed(actor.pk)
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _check_original(title: str, body: str) -> None:
    if not title:
        raise NoticeError(_("A notice needs a title."))
    if len(title) > 200:
        raise NoticeError(_("The title can have at most 200 characters."))
    if not body:
        raise NoticeError(_("A notice needs a text."))
    if len(body) > 20000:
        raise NoticeError(_("The text can have at most 20,000 characters."))


def _check_text(title: str, body: str, language: str, *, original: bool) -> None:
    name = _language_name(language)
    if not title and not body and not original:
        return
    if original:
        _check_original(title, body)
    if not title:
        raise NoticeError(_("The %(language)s version needs a title.") % {"language": name})
    if len(title) > 200:
        raise NoticeError(_("The %(language)s title can have at most 200 characters.") % {"language": name})
    if not body:
        raise NoticeError(_("The %(language)s version needs a text.") % {"language": name})
    if len(body) > 20000:
        raise NoticeError(_("The %(language)s text can have at most 20,000 characters.") % {"language": name})


def _clean_translations(translations, language: str) -> dict:
    """``{"ko": (title, body) or {"title": …, "body": …}}`` → the stored form, complete
    versions only, the original's language left out (it is ``title`` and ``body``)."""
    cleaned = {}
    for code, text in (translations or {}).items():
        if code not in NOTICE_LANGUAGES:
            raise NoticeError(_("Unknown language %(language)s: use ko, en or vi.") % {"language": code})
        title, body = (text.get("title"), text.get("body")) if isinstance(text, dict) else text
        title, body = (title or "").strip(), (body or "").strip()
        if code == language:
            raise NoticeError(_("The %(language)s version is the original: give it once.") % {"language": _language_name(code)})
        _check_text(title, body, code, original=False)
        if title:
            cleaned[code] = {"title": title, "body": body}
    return cleaned


@transaction.atomic
def publish_service_notice(
    *,
    actor,
    title: str,
    body: str,
    language: str | None = None,
    translations: dict | None = None,
    audience: str = Audience.ALL,
    publish_at=None,
    expires_at=None,
    pinned: bool = False,
) -> ServiceNotice:
    """Publish a notice on the Notices board for all managers or the managers of one kind of
    channel. ``title`` and ``body`` are the original, in ``language`` (default: the site's);
    ``translations`` adds other languages (``{"ko": (title, body)}``); each reader gets their
    own language, else the original. Audits NOTICE_PUBLISHED. ``actor`` is a moderator or
    senior moderator (else NotAllowed), or None for the system (the demo seed, a script)."""
    _require_moderator(actor, _("Only a moderator can publish service notices."))
    language = language or settings.LANGUAGE_CODE
    if language not in NOTICE_LANGUAGES:
        raise NoticeError(_("Unknown language %(language)s: use ko, en or vi.") % {"language": language})
    title, body = (title or "").strip(), (body or "").strip()
    _check_text(title, body, language, original=True)
    translations = _clean_translations(translations, language)
    if audience not in Audience.values:
        raise NoticeError(_("Unknown audience %(audience)s: use all, general or business.") % {"audience": audience})
    publish_at = publish_at or timezone.now()
    if expires_at is not None and expires_at <= publish_at:
        raise NoticeError(_("The notice must expire after it is published."))
    notice = ServiceNotice.objects.create(
        title=title, body=body, language=language, translations=translations, audience=audience,
        publish_at=publish_at, expires_at=expires_at, pinned=pinned, created_by=actor,
    )
    record_audit(
        event_type=NotificationAuditEvent.NOTICE_PUBLISHED,
        actor=actor,
        data={"after": {"notice_id": notice.pk, "title": title, "language": language,
                        "languages": sorted(notice.texts), "audience": audience, "pinned": pinned,
                        "publish_at": publish_at.isoformat(), "expires_at": expires_at.isoformat() if expires_at else None}},
    )
    return notice


@transaction.atomic
def withdraw_service_notice(*, actor, notice: ServiceNotice) -> ServiceNotice:
    """Take a notice off the board now (it expires). Audited as NOTICE_PUBLISHED with the change.
    ``actor`` as for ``publish_service_notice``."""
    _require_moderator(actor, _("Only a moderator can withdraw service notices."))
    notice = ServiceNotice.objects.select_for_update().get(pk=notice.pk)
    now = timezone.now()
    if notice.expires_at is not None and notice.expires_at <= now:
        return notice
    before = notice.expires_at
    notice.expires_at = now
    if notice.publish_at >= now:  # never shown: keep the row valid (expires after publish)
        notice.publish_at = now - timedelta(microseconds=1)
    notice.save(update_fields=["expires_at", "publish_at"])
    record_audit(
        event_type=NotificationAuditEvent.NOTICE_PUBLISHED,
        actor=actor,
        reason="withdrawn",
        data={"before": {"notice_id": notice.pk, "expires_at": before.isoformat() if before else None},
              "after": {"notice_id": notice.pk, "expires_at": notice.expires_at.isoformat()}},
    )
    return notice


