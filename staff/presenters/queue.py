"""What the moderation queue, a queue item and a case page's reports show of queue items."""

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from channels_admin.models import ChannelKind
from core.dates import format_when
from core.fragments import age_step, render_rows
from staff.fraud import highlight_segments
from staff.fraud_defaults import rule_label
from staff.models import FraudCategory, QueueItem, QueueItemSource, QueueState, ReportReason, TargetKind

from .common import labels_of, url_for_each


@dataclass(slots=True)
class QueueActions:
    """Claim or release, resolve or dismiss one item. The actions' URLs are the item's URL and
    the action (``queue/<pk>/<action>/``)."""

    pk: int
    hold_url: str  # claim or release; "" when the item is held by someone else
    hold_label: str
    hold_text: str
    resolve_url: str
    dismiss_url: str
    note_label: str
    resolve_label: str
    dismiss_label: str


@dataclass(slots=True)
class QueueRow:
    pk: int
    url: str
    opened: str  # the full date and time, for the title
    opened_ago: str
    source: str
    source_label: str
    reports: str  # "3 reports", or "" for a single one
    channel_url: str
    channel_public_id: str
    channel_kind: str
    channel_kind_label: str
    target_kind_label: str
    target_text: str
    segments: list | None  # the excerpt split by what the fraud rules matched
    reason_label: str
    state: str
    state_label: str
    claimed_by: str
    actions: QueueActions | None


@dataclass(slots=True)
class QueueTable:
    rows: str  # the rows, each drawn once (core.fragments)
    actionable: list[int]  # the items a moderator may act on: the page draws their forms
    back: str  # where an action comes back to

    def __bool__(self) -> bool:
        return bool(self.rows)


class _Labels:
    """The labels of every code a queue row shows, translated once per page rather than once
    per row."""

    def __init__(self):
        self.source = labels_of(QueueItemSource)
        self.target_kind = labels_of(TargetKind)
        self.reason = labels_of(ReportReason)
        self.state = labels_of(QueueState)
        self.channel_kind = labels_of(ChannelKind)


def action_texts() -> dict[str, str]:
    return {
        "claim": gettext("Claim"), "release": gettext("Release"), "resolve": gettext("Resolve"),
        "dismiss": gettext("Dismiss"), "note": gettext("Note (optional)"),
        "matched": gettext("matched:"),  # before each highlighted match, for screen readers
    }


def queue_actions(item: QueueItem, *, url: str, user, can_moderate: bool, texts: dict[str, str]) -> QueueActions | None:
    """What a moderator may do with an open item; None for others and for closed items."""
    if not (can_moderate and item.is_open):
        return None
    n = {"n": item.pk}
    hold_url = hold_label = hold_text = ""
    if item.state == QueueState.OPEN:
        hold_url, hold_label, hold_text = f"{url}claim/", gettext("Claim item %(n)s") % n, texts["claim"]
    elif item.claimed_by_id == getattr(user, "pk", None):
        hold_url, hold_label, hold_text = f"{url}release/", gettext("Release item %(n)s") % n, texts["release"]
    return QueueActions(
        pk=item.pk,
        hold_url=hold_url,
        hold_label=hold_label,
        hold_text=hold_text,
        resolve_url=f"{url}resolve/",
        dismiss_url=f"{url}dismiss/",
        note_label=gettext("Note for item %(n)s") % n,
        resolve_label=gettext("Resolve item %(n)s") % n,
        dismiss_label=gettext("Dismiss item %(n)s") % n,
    )


def evidence_segments(item: QueueItem) -> list | None:
    if not item.evidence:
        return None
    return highlight_segments(item.excerpt, item.evidence)


def queue_table(items: list[QueueItem], *, request, can_moderate: bool, show_channel: bool = True) -> QueueTable:
    """A table of queue items (the queue, a channel's reports): each with its labels, its
    highlighted evidence and, for moderators, its actions. The items come with ``target_text``
    (``selectors.queue.with_target_text``). A row is drawn once for what it shows; it also
    shows whether the reader holds the item and how long ago it was opened."""
    user, now = request.user, timezone.now()

    def present(missed: list[QueueItem]) -> list[QueueRow]:
        return queue_rows(missed, user=user, can_moderate=can_moderate, show_channel=show_channel, texts=texts)

    texts = action_texts()
    rows = render_rows(
        "staff/rows/queue_item.html", items, present=present,
        shared={"show_channel": show_channel, "texts": texts}, vary=(can_moderate,),
        vary_row=lambda item: (item.claimed_by_id == user.pk, age_step(item.created_at, now)),
    )
    actionable = [item.pk for item in items if can_moderate and item.is_open]
    return QueueTable(rows=rows, actionable=actionable, back=request.get_full_path())


def queue_rows(items: list[QueueItem], *, user, can_moderate: bool, show_channel: bool, texts: dict[str, str]) -> list[QueueRow]:
    labels = _Labels()
    item_url, case_url = url_for_each("staff:queue_item"), url_for_each("staff:channel_case")
    rows = []
    for item in items:
        url = item_url(item.pk)
        channel = item.channel
        count = item.report_count
        rows.append(QueueRow(
            pk=item.pk,
            url=url,
            opened=format_when(item.created_at),
            opened_ago=naturaltime(item.created_at),
            source=item.source,
            source_label=labels.source.get(item.source, item.source),
            reports=ngettext("%(counter)s report", "%(counter)s reports", count) % {"counter": count} if count > 1 else "",
            channel_url=case_url(channel.handle) if show_channel else "",
            channel_public_id=channel.public_id,
            channel_kind=channel.kind,
            channel_kind_label=labels.channel_kind.get(channel.kind, channel.kind),
            target_kind_label=labels.target_kind.get(item.target_kind, item.target_kind),
            target_text=item.target_text,
            segments=evidence_segments(item),
            reason_label=labels.reason.get(item.reason, item.reason),
            state=item.state,
            state_label=labels.state.get(item.state, item.state),
            claimed_by=item.claimed_by.get_short_name() if item.claimed_by_id else "",
            actions=queue_actions(item, url=url, user=user, can_moderate=can_moderate, texts=texts),
        ))
    return rows


def queue_state_tabs(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(state, label, count) for the queue's state tabs."""
    return [(state, str(label), counts[state]) for state, label in QueueState.choices]


@dataclass(slots=True)
class QueueItemPage:
    item: QueueItem
    source_label: str
    target_kind_label: str
    reason_label: str
    state_label: str
    channel_url: str
    target_text: str
    segments: list | None
    evidence: list[tuple[str, str, str]]  # (matched text, category, rule) in the reader's language
    actions: QueueActions | None
    actionable: list[int]  # the item, when the reader may act on it: the page draws its forms
    back: str
    texts: dict[str, str]


def item_reports(reports) -> str:
    """The reports grouped in an item, each row drawn once for what it shows."""
    return render_rows("staff/rows/item_report.html", reports, present=list, name="r")


def evidence_rows(item: QueueItem) -> list[tuple[str, str, str]]:
    categories = labels_of(FraudCategory)
    return [
        (e.get("text", ""), categories.get(e.get("category", ""), e.get("category", "")), rule_label(e.get("rule", "")))
        for e in item.evidence or []
    ]


def queue_item_page(item: QueueItem, *, request, can_moderate: bool) -> QueueItemPage:
    labels, texts = _Labels(), action_texts()
    url = reverse("staff:queue_item", args=[item.pk])
    actions = queue_actions(item, url=url, user=request.user, can_moderate=can_moderate, texts=texts)
    return QueueItemPage(
        item=item,
        source_label=labels.source.get(item.source, item.source),
        target_kind_label=labels.target_kind.get(item.target_kind, item.target_kind),
        reason_label=labels.reason.get(item.reason, item.reason),
        state_label=labels.state.get(item.state, item.state),
        channel_url=reverse("staff:channel_case", args=[item.channel.handle]),
        target_text=item.target_text,
        segments=evidence_segments(item),
        evidence=evidence_rows(item),
        actions=actions,
        actionable=[item.pk] if actions else [],
        back=request.get_full_path(),
        texts=texts,
    )
