"""What the audit trail page shows of each entry."""

from dataclasses import dataclass

from core.events import audit_event_label

from .common import short_datetime, url_for_each


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
            reason=e.reason or "",
        ))
    return rows
