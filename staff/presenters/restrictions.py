"""What the restriction list and a restriction's page show."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from core import permissions
from core.dates import format_when
from core.events import audit_event_label
from core.fragments import render_rows
from restrictions import services
from restrictions.models import (
    Reason,
    Restriction,
    RestrictionState,
    RestrictionType,
    Scope,
    TakedownKind,
)

from .audit import AuditReasons
from .common import labels_of, short_datetime, url_for_each


@dataclass(slots=True)
class RestrictionListRow:
    pk: int
    url: str
    type_label: str
    target_label: str
    scope_label: str
    reason_label: str
    until: str  # "until 2026-12-06 10:00", "until staff lift it", "permanently"...
    state: str
    state_label: str


def restriction_list_rows(restrictions) -> list[RestrictionListRow]:
    """One page of the restriction list (its restrictions come with their channel and account)."""
    types, scopes, reasons, states = labels_of(RestrictionType), labels_of(Scope), labels_of(Reason), labels_of(RestrictionState)
    restriction_url = url_for_each("staff:restriction_detail")
    return [
        RestrictionListRow(
            pk=r.pk,
            url=restriction_url(r.pk),
            type_label=types.get(r.type, r.type),
            target_label=r.target_label,
            scope_label=", ".join(scopes.get(code, code) for code in r.scope_codes),
            reason_label=reasons.get(r.reason, r.reason),
            until=r.get_until_display(),
            state=r.state,
            state_label=states.get(r.state, r.state),
        )
        for r in restrictions
    ]


def restriction_list_html(restrictions):
    """The rows of the restriction list, each drawn once (``staff/rows/restriction.html``)."""
    return render_rows("staff/rows/restriction.html", restrictions, present=restriction_list_rows, name="r")


def reader_languages(accounts) -> list[dict]:
    """Who will read a free-text message, by language, most readers first: ``[{"code": "ko",
    "name": "Korean", "count": 2}]``. Staff write the message once; this says in what."""
    names = dict(settings.LANGUAGES)
    seen, counts = set(), Counter()
    for account in accounts:
        if account.pk not in seen:
            seen.add(account.pk)
            counts[account.preferred_language or settings.LANGUAGE_CODE] += 1
    return [{"code": code, "name": str(names.get(code, code)), "count": n} for code, n in counts.most_common()]


def apply_page(*, channel, account, history, ladder, impact, can_apply_permanent: bool) -> dict:
    """The form to restrict a channel or an account: its prior sanctions (counted by type, the
    newest listed, a link to them all) and the escalation ladder with the suggested next step."""
    types = labels_of(RestrictionType)
    return {
        "channel": channel,
        "account": account,
        "target_label": channel.public_id if channel else account.email,
        "history": history,
        "sanction_counts": [
            {"type": c.type, "label": types.get(c.type, c.type), "on_record": c.on_record, "discounted": c.on_record - c.counted}
            for c in history.counts
        ],
        "sanctions": history.recent,
        "more_sanctions": history.total - len(history.recent),
        "all_sanctions_url": (
            f"{reverse('staff:restriction_list')}?{urlencode({'channel': channel.public_id})}" if channel
            else reverse("staff:account_case", args=[account.pk])
        ),
        "suggestion": history.suggestion,
        "ladder": [(code, types.get(code, code)) for code in ladder],
        "suggestion_label": types.get(history.suggestion, history.suggestion),
        "impact": impact,
        "can_apply_permanent": can_apply_permanent,
        "reader_languages": reader_languages(
            [m.account for m in impact["managers"]] if channel else [account]
        ),
    }


def needs_confirmation(restriction: Restriction) -> bool:
    """A restriction permanent in effect waits, scheduled, for a second senior moderator's confirmation."""
    return restriction.awaits_confirmation and restriction.state == RestrictionState.SCHEDULED


@dataclass(slots=True)
class TakedownRow:
    pk: int
    kind_label: str
    object_id: int
    snapshot: dict  # the content as it was shown, field by field
    taken_down: str  # "2026-01-03 09:00 · kim@example.com"
    restored: str  # "2026-01-04 10:00 · the reason", or "" while it stays down


def takedown_rows(takedowns) -> list[TakedownRow]:
    """A restriction's takedowns, each read with who took it down."""
    kinds = labels_of(TakedownKind)
    return [
        TakedownRow(
            pk=t.pk,
            kind_label=kinds.get(t.kind, t.kind),
            object_id=t.object_id,
            snapshot=t.snapshot or {},
            taken_down=f"{short_datetime(t.taken_down_at)} · {t.taken_down_by.email if t.taken_down_by_id else ''}",
            restored=f"{short_datetime(t.restored_at)} · {t.restore_reason}" if t.restored_at else "",
        )
        for t in takedowns
    ]


@dataclass(slots=True)
class TakedownCandidate:
    kind: str  # a takedown kind: post, broadcast, paid_service, message
    content: object


@dataclass(slots=True)
class TakedownCandidates:
    kinds: list[str]  # the kinds listed: the page draws one form for each
    rows: str  # the content, each row drawn once (staff/rows/takedown_candidate.html)


# The candidates' lists (selectors.restrictions.list_takedown_candidates) and the kind each takes down.
_CANDIDATE_KINDS = {"posts": "post", "broadcasts": "broadcast", "paid_services": "paid_service", "messages": "message"}


def takedown_candidates(content: dict[str, list]) -> TakedownCandidates:
    """What a moderator may take down with the restriction, newest first in each kind."""
    candidates = [TakedownCandidate(kind, item) for key, kind in _CANDIDATE_KINDS.items() for item in content.get(key, [])]
    rows = render_rows("staff/rows/takedown_candidate.html", candidates, present=list)
    return TakedownCandidates(kinds=sorted({c.kind for c in candidates}), rows=rows)


@dataclass(slots=True)
class RestrictionAuditRow:
    when: str
    event_label: str
    actor: str  # the actor's email, or "" for the system
    reason: str


def restriction_audit_rows(entries) -> list[RestrictionAuditRow]:
    reason_of = AuditReasons()
    return [
        RestrictionAuditRow(
            when=format_when(e.created_at),
            event_label=audit_event_label(e.event_type),
            actor=e.actor.email if e.actor_id else "",
            reason=reason_of(e),
        )
        for e in entries
    ]


def restriction_page(restriction: Restriction, *, user, impact, takedowns, audit_entries, content) -> dict:
    """A restriction's page: what it is, whether it waits for a second senior moderator, and
    what the reader may still do with it."""
    can_moderate = permissions.can_moderate(user)
    return {
        "restriction": restriction,
        "impact": impact,
        "appeal": getattr(restriction, "appeal", None),  # loaded with the restriction; None when there is none
        "takedowns": takedown_rows(takedowns),
        "audit_entries": restriction_audit_rows(audit_entries),
        "content": content,
        "candidates": takedown_candidates(content) if can_moderate else None,
        "is_open": restriction.is_open,
        "needs_confirmation": needs_confirmation(restriction),
        "can_senior": permissions.can_decide_senior(user),
        "can_moderate": can_moderate,
        "appeal_deadline": services.appeal_deadline(restriction),
    }
