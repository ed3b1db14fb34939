"""What the case pages of a channel and of an account show: the case's managers, channels,
restrictions, notifications and audit trail as rows of labels and links."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channels_admin.models import ChannelKind, ChannelStatus, Language, ManagerRole, VerificationState
from core.events import audit_event_label
from core.fragments import render_rows
from core.roles import StaffRole
from notifications.models import DeliveryChannel, DeliveryState, NotificationEvent
from restrictions.models import AppealState, Reason, RestrictionState, RestrictionType, Scope

from ..selectors.cases import CASE_AUDIT_LIMIT, AccountCase, CaseRestriction, CaseRestrictions, ManagerRow
from .audit import AuditReasons
from .common import labels_of, optional_url, page_links, short_datetime, url_for_each

CHAT_DECISION_LABELS = {
    "allowed": _("Allowed"),
    "identity_verification_required": _("Identity verification required"),
    "restricted": _("Restricted"),
    "not_a_manager": _("Not a manager"),
}


# --- the headers -------------------------------------------------------------------------


@dataclass(slots=True)
class ChannelHeader:
    kind_label: str
    status_label: str
    apply_url: str


def channel_header(channel) -> ChannelHeader:
    return ChannelHeader(
        kind_label=labels_of(ChannelKind).get(channel.kind, channel.kind),
        status_label=labels_of(ChannelStatus).get(channel.status, channel.status),
        apply_url=reverse("staff:restrict_channel", args=[channel.handle]),
    )


@dataclass(slots=True)
class AccountHeader:
    language_label: str
    staff_role_label: str
    verification_state: str  # the latest attempt's state, or ""
    verification_label: str
    apply_url: str


def account_header(account, verification) -> AccountHeader:
    state = verification.state if verification is not None else ""
    return AccountHeader(
        language_label=labels_of(Language).get(account.preferred_language, account.preferred_language),
        staff_role_label=labels_of(StaffRole).get(account.staff_role, account.staff_role),
        verification_state=state,
        verification_label=labels_of(VerificationState).get(state, state),
        apply_url=reverse("staff:restrict_account", args=[account.pk]),
    )


# --- managers and channels ---------------------------------------------------------------


@dataclass(slots=True)
class ManagerView:
    account_url: str
    email: str
    full_name: str
    role_label: str
    verification_state: str  # a CSS class suffix; "" when never attempted
    verification_label: str
    chat_decision: str
    chat_label: str


def manager_views(rows: list[ManagerRow]) -> list[ManagerView]:
    roles = labels_of(ManagerRole)
    verifications = labels_of(VerificationState)
    decisions = {code: str(label) for code, label in CHAT_DECISION_LABELS.items()}
    account_url = url_for_each("staff:account_case")
    views = []
    for row in rows:
        m = row.membership
        views.append(ManagerView(
            account_url=account_url(m.account_id),
            email=m.account.email,
            full_name=m.account.get_full_name(),
            role_label=roles.get(m.role, m.role),
            verification_state=row.verification_state,
            verification_label=verifications.get(row.verification_state, row.verification_state),
            chat_decision=row.chat_decision,
            chat_label=decisions.get(row.chat_decision, row.chat_decision),
        ))
    return views


@dataclass(slots=True)
class MembershipView:
    case_url: str
    public_id: str
    name: str
    role_label: str
    kind: str
    kind_label: str


def memberships_list(memberships) -> str:
    """The channels an account manages, each item drawn once for what it shows."""
    return render_rows("staff/rows/membership.html", memberships, present=membership_views, name="m")


def membership_views(memberships) -> list[MembershipView]:
    roles, kinds = labels_of(ManagerRole), labels_of(ChannelKind)
    case_url = url_for_each("staff:channel_case")
    return [
        MembershipView(
            case_url=case_url(m.channel.handle),
            public_id=m.channel.public_id,
            name=m.channel.name,
            role_label=roles.get(m.role, m.role),
            kind=m.channel.kind,
            kind_label=kinds.get(m.channel.kind, m.channel.kind),
        )
        for m in memberships
    ]


@dataclass(slots=True)
class DeliveryView:
    when: str
    event_label: str
    channel_label: str
    state: str
    state_label: str
    error: str


def recent_deliveries(deliveries) -> str:
    """An account's recent notifications, each row drawn once for what it shows."""
    return render_rows("staff/rows/recent_delivery.html", deliveries, present=delivery_views, name="d")


def delivery_views(deliveries) -> list[DeliveryView]:
    events, channels, states = labels_of(NotificationEvent), labels_of(DeliveryChannel), labels_of(DeliveryState)
    return [
        DeliveryView(
            when=short_datetime(d.notification.created_at),
            event_label=events.get(d.notification.event, d.notification.event),
            channel_label=channels.get(d.channel, d.channel),
            state=d.state,
            state_label=states.get(d.state, d.state),
            error=Truncator(d.last_error).chars(60) if d.last_error else "",
        )
        for d in deliveries
    ]


# --- restrictions ------------------------------------------------------------------------


@dataclass(slots=True)
class DeliveryChip:
    state: str
    label: str
    count: int
    url: str  # the deliveries page filtered to these, or "" when that page is not installed
    error: str  # the latest error, shortened, for failed deliveries


@dataclass(slots=True)
class RestrictionRow:
    pk: int
    group: str  # "in-force" or "history"
    type_label: str
    scope_label: str
    reason_label: str
    by: str  # "by Kim, confirmed by Lee", or ""
    state: str
    state_label: str
    period: str  # "2026-01-01 10:00 – 2026-01-08 10:00"
    ended: str  # "ended 2026-01-03 09:00: appeal upheld", or ""
    appeal_url: str  # "" when there is no appeal
    appeal_state: str
    appeal_label: str
    appeal_decided_by: str
    deliveries: list[DeliveryChip]
    url: str
    open_label: str
    action_text: str  # "Modify or lift" while a moderator can, else "Details"


@dataclass(slots=True)
class RestrictionGroup:
    heading: str
    rows: str  # the rows, each drawn once (staff/rows/case_restriction.html)


@dataclass(slots=True)
class RestrictionTable:
    """A case's restrictions: the ones in force, then a page of ended ones, each group under
    its heading, with the links to the other pages of ended ones."""

    groups: list[RestrictionGroup]
    page: object  # the page of ended restrictions
    page_links: list[int | None]
    keyset: bool = False  # the page is a keyset page (older / newer links, no page numbers)

    def __bool__(self) -> bool:
        return bool(self.groups)


class _RestrictionLabels:
    """Every code a restriction row shows, translated once per page."""

    def __init__(self, can_moderate: bool):
        self.types, self.scopes, self.reasons = labels_of(RestrictionType), labels_of(Scope), labels_of(Reason)
        self.states, self.appeal_states = labels_of(RestrictionState), labels_of(AppealState)
        self.delivery_states = labels_of(DeliveryState)
        self.deliveries_url = optional_url("staff_notifications:deliveries")
        self.restriction_url = url_for_each("staff:restriction_detail")
        self.appeal_url = url_for_each("staff:appeal_detail")
        self.by, self.confirmed_by = gettext("by %(who)s"), gettext("confirmed by %(who)s")
        self.ended = gettext("ended %(when)s")
        self.open = gettext("Open restriction %(n)s")
        self.no_end = gettext("no end")
        self.modify = gettext("Modify or lift") if can_moderate else ""
        self.details = gettext("Details")


def restriction_table(restrictions: CaseRestrictions, *, can_moderate: bool) -> RestrictionTable:
    if not restrictions:
        return RestrictionTable(groups=[], page=restrictions.page, page_links=[])
    groups = []
    if restrictions.in_force:
        groups.append(restriction_group(gettext("In force or scheduled"), restrictions.in_force, can_moderate=can_moderate))
    if restrictions.history:
        n = restrictions.page.paginator.count
        groups.append(restriction_group(
            ngettext("%(n)s ended restriction", "%(n)s ended restrictions", n) % {"n": n},
            restrictions.history, can_moderate=can_moderate,
        ))
    return RestrictionTable(groups=groups, page=restrictions.page, page_links=page_links(restrictions.page))


def restriction_group(heading: str, rows: list[CaseRestriction], *, can_moderate: bool) -> RestrictionGroup:
    """Restrictions under one heading, each row drawn once for what it shows."""
    html = render_rows("staff/rows/case_restriction.html", rows, vary=(can_moderate,),
                       present=lambda missed: restriction_rows(missed, can_moderate=can_moderate))
    return RestrictionGroup(heading, html)


def restriction_rows(rows: list[CaseRestriction], *, can_moderate: bool) -> list[RestrictionRow]:
    labels = _RestrictionLabels(can_moderate)
    return [_restriction_row(row, labels) for row in rows]


def _restriction_row(row: CaseRestriction, labels: _RestrictionLabels) -> RestrictionRow:
    r, appeal = row.restriction, row.appeal
    by = ""
    if r.created_by_id:
        by = labels.by % {"who": r.created_by.get_short_name()}
        if r.confirmed_by_id:
            by += ", " + labels.confirmed_by % {"who": r.confirmed_by.get_short_name()}
    ended = ""
    if r.ended_at:
        ended = labels.ended % {"when": short_datetime(r.ended_at)}
        if r.lift_reason:
            ended += ": " + r.lift_reason
    deliveries_url = labels.deliveries_url
    return RestrictionRow(
        pk=r.pk,
        group="in-force" if row.is_open else "history",
        type_label=labels.types.get(r.type, r.type),
        scope_label=", ".join(labels.scopes.get(code, code) for code in r.scope_codes),
        reason_label=labels.reasons.get(r.reason, r.reason),
        by=by,
        state=r.state,
        state_label=labels.states.get(r.state, r.state),
        period=f"{short_datetime(r.starts_at)} – {short_datetime(r.ends_at) if r.ends_at else labels.no_end}",
        ended=ended,
        appeal_url=labels.appeal_url(appeal.pk) if appeal else "",
        appeal_state=appeal.state if appeal else "",
        appeal_label=labels.appeal_states.get(appeal.state, appeal.state) if appeal else "",
        appeal_decided_by=appeal.decided_by.get_short_name() if appeal and appeal.decided_by_id else "",
        deliveries=[
            DeliveryChip(
                state=d.state,
                label=labels.delivery_states.get(d.state, d.state),
                count=d.count,
                url=f"{deliveries_url}?restriction={r.pk}&state={d.state}" if deliveries_url else "",
                error=Truncator(d.error).chars(60) if d.error else "",
            )
            for d in row.deliveries
        ],
        url=labels.restriction_url(r.pk),
        open_label=labels.open % {"n": r.pk},
        action_text=labels.modify if labels.modify and row.is_open else labels.details,
    )


# --- audit trail -------------------------------------------------------------------------


@dataclass(slots=True)
class AuditRow:
    when: str
    event_label: str
    actor: str  # the actor's short name, or "" for an automatic entry
    reason: str


@dataclass(slots=True)
class CaseAudit:
    rows: str  # the entries, each drawn once (staff/rows/case_audit_entry.html)
    more_url: str  # the audit trail page for older entries, or "" when the case page shows them all

    def __bool__(self) -> bool:
        return bool(self.rows)


def case_audit(entries, *, query: dict[str, str]) -> CaseAudit:
    rows = render_rows("staff/rows/case_audit_entry.html", entries, present=audit_rows, name="e")
    more = f"{reverse('staff:audit_list')}?{urlencode(query)}" if len(entries) >= CASE_AUDIT_LIMIT else ""
    return CaseAudit(rows=rows, more_url=more)


def audit_rows(entries) -> list[AuditRow]:
    reason_of = AuditReasons()
    return [
        AuditRow(
            when=short_datetime(e.created_at),
            event_label=audit_event_label(e.event_type),
            actor=e.actor.get_short_name() if e.actor_id else "",
            reason=reason_of(e),
        )
        for e in entries
    ]


# --- the pages ---------------------------------------------------------------------------


def account_case_page(case: AccountCase, *, can_moderate: bool) -> dict:
    """The account case page's context."""
    return {
        "case": case,
        "account": case.account,
        "header": account_header(case.account, case.verification),
        "memberships": memberships_list(case.memberships),
        "restrictions": restriction_table(case.restrictions, can_moderate=can_moderate),
        "deliveries": recent_deliveries(case.recent_deliveries),
        "audit": case_audit(case.audit, query={"account": case.account.email}),
    }
