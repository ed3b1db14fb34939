"""What the deliveries page shows of each delivery, and the notices page of each notice."""

from dataclasses import dataclass

from core.fragments import render_rows
from notifications.models import DeliveryChannel, DeliveryState, NotificationEvent

from .common import labels_of, short_datetime


@dataclass(slots=True)
class DeliveryRow:
    pk: int
    created: str
    event: str
    event_label: str
    restriction_id: int | None
    recipient_email: str  # the account's address, or the invited address with no account yet
    has_account: bool
    channel_label: str
    state: str
    state_label: str
    attempts: int
    sent: str
    last_error: str


def _rows(deliveries) -> list[DeliveryRow]:
    events, channels, states = labels_of(NotificationEvent), labels_of(DeliveryChannel), labels_of(DeliveryState)
    rows = []
    for d in deliveries:
        n = d.notification
        recipient = n.recipient if n.recipient_id else None
        rows.append(DeliveryRow(
            pk=d.pk,
            created=short_datetime(n.created_at),
            event=n.event,
            event_label=events.get(n.event, n.event),
            restriction_id=n.restriction_id,
            recipient_email=recipient.email if recipient else (n.invitation.email if n.invitation_id else ""),
            has_account=recipient is not None,
            channel_label=channels.get(d.channel, d.channel),
            state=d.state,
            state_label=states.get(d.state, d.state),
            attempts=d.attempts,
            sent=short_datetime(d.sent_at) if d.sent_at else "",
            last_error=d.last_error,
        ))
    return rows


def delivery_rows(deliveries, *, can_retry: bool):
    """One page of deliveries, drawn row by row (``staff/rows/delivery.html``); a failed one
    has a retry button for those who may retry it."""
    return render_rows("staff/rows/delivery.html", deliveries, present=_rows, shared={"can_retry": can_retry})


def service_notice_rows(notices) -> str:
    """The published service notices, each row drawn once for what it shows."""
    return render_rows("staff/rows/service_notice.html", notices, present=list, name="item")
