"""What the audit trail page shows of each entry."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from core.events import audit_event_label
from core.fragments import render_rows
from restrictions.models import Reason
from restrictions.services.sweep import LIFT_REASON_NOT_NEEDED, LIFT_REASON_POLICY

from ..models import ReportReason
from .common import labels_of, short_datetime, url_for_each

# Reasons the code itself writes to the audit trail, stored once in English and shown in the
# reader's language. What staff type is shown as typed.
_WRITTEN_BY_THE_CODE = {
    LIFT_REASON_POLICY: LIFT_REASON_POLICY,
    LIFT_REASON_NOT_NEEDED: LIFT_REASON_NOT_NEEDED,
    "provider_failed": gettext_noop("The identity provider could not confirm the person."),
    "permanently_restricted_person": gettext_noop("The same person is under a permanent restriction on another account."),
    "withdrawn": gettext_noop("Notice withdrawn"),
}


class AuditReasons:
    """The "why" of audit entries in the reader's language, one translation per code and page.
    A restriction applied without a staff note stored its reason's label in the language of
    whoever applied it; any language's label of a reason reads as that reason. No query: the
    entry's ``data`` is not read (the list pages leave it unloaded)."""

    def __init__(self):
        self.restriction_reasons = labels_of(Reason)
        self.report_reasons = labels_of(ReportReason)
        self.stored_labels = _labels_in_every_language()

    def __call__(self, entry) -> str:
        reason = entry.reason or ""
        code = self.stored_labels.get(reason, reason)
        if code in self.restriction_reasons:
            return self.restriction_reasons[code]
        if code in self.report_reasons:
            return self.report_reasons[code]
        if code in _WRITTEN_BY_THE_CODE:
            return gettext(_WRITTEN_BY_THE_CODE[code])
        return reason


@functools.cache
def _labels_in_every_language() -> dict[str, str]:
    """{label of a restriction reason in any language: its code}."""
    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.update({str(label): code for code, label in Reason.choices})
    return labels


@dataclass(slots=True)
class AuditListRow:
    pk: int
    when: str
    event_label: str
    restriction_id: int | None
    restriction_url: str
    actor: str  # the actor's email, or "" for the system
    channel: str
    account: str
    reason: str


def audit_rows(entries) -> list[AuditListRow]:
    """One page of the audit trail (``restrictions.selectors.list_audit_entries`` reads each
    entry's actor, channel and account with it)."""
    labels: dict[str, str] = {}
    reason_of = AuditReasons()
    restriction_url = url_for_each("staff:restriction_detail")
    rows = []
    for e in entries:
        if e.event_type not in labels:
            labels[e.event_type] = audit_event_label(e.event_type)
        rows.append(AuditListRow(
            pk=e.pk,
            when=short_datetime(e.created_at),
            event_label=labels[e.event_type],
            restriction_id=e.restriction_id,
            restriction_url=restriction_url(e.restriction_id) if e.restriction_id else "",
            actor=e.actor.email if e.actor_id else "",
            channel=e.channel.public_id if e.channel_id else "",
            account=e.account.email if e.account_id else "",
            reason=reason_of(e),
        ))
    return rows


def audit_list_html(entries):
    """The rows of the audit trail page, each drawn once (``staff/rows/audit_entry.html``)."""
    return render_rows("staff/rows/audit_entry.html", entries, present=audit_rows, name="e")
