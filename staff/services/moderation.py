"""Writes for the moderation queue: user reports, automatic fraud flags, claim / resolve /
dismiss, and the fraud rules. Every staff action and every automatic flag is audited."""

import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import Channel
from channels_admin.models.content_kinds import CONTENT_KINDS, scanned_kinds
from core import permissions
from core.audit import record_audit
from staff import fraud
from staff.fraud_defaults import DEFAULT_RULES
from staff.models import (
    FLAG_REASON,
    OPEN_STATES,
    REPORTABLE_KINDS,
    FraudRule,
    ModerationAuditEvent,
    QueueItem,
    QueueItemSource,
    QueueState,
    Report,
    ReportReason,
    TargetKind,
)

logger = logging.getLogger(__name__)


class ModerationError(Exception):
    """A request the queue refuses; the message is fit to show."""


class NotAllowed(ModerationError):
    pass


def _require(predicate, actor) -> None:
    if not predicate(actor):
        raise NotAllowed(_("Your staff role does not allow this."))


# --- user reports ------------------------------------------------------------------------


def _target_exists(*, channel: Channel, kind: str, target_id: int | None) -> bool:
    content_kind = CONTENT_KINDS.get(kind)
    if content_kind is None:
        return False
    if not content_kind.channel_path:  # the channel itself, or its profile
        return target_id in (None, channel.pk)
    return content_kind.model.objects.filter(content_kind.in_channel(channel), pk=target_id).exists()


@transaction.atomic
def file_report(
    *,
    channel: Channel,
    reporter_external_id: str,
    target_kind: str,
    target_id: int | None,
    reason: str,
    text: str = "",
    external_id: str = "",
) -> Report:
    """File an end user's report. Joins the open queue item for the same target and reason
    (duplicates are grouped) or opens one. A repeated ``external_id`` returns the first report."""
    if external_id:
        existing = Report.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing
    reporter_external_id = (reporter_external_id or "").strip()
    if not reporter_external_id or len(reporter_external_id) > 64:
        raise ModerationError(_("A report needs the reporter's user id (at most 64 characters)."))
    if target_kind not in REPORTABLE_KINDS:
        raise ModerationError(_("Reports can be about a channel, a post, a message or a paid service."))
    if reason not in ReportReason.values:
        raise ModerationError(_("Choose a reason from the list."))
    if len(text or "") > 2000:
        raise ModerationError(_("Keep the details under 2000 characters."))
    if target_kind == TargetKind.CHANNEL:
        target_id = channel.pk
    if not _target_exists(channel=channel, kind=target_kind, target_id=target_id):
        raise ModerationError(_("There is no such item in this channel."))
    item, _created = _open_item(
        source=QueueItemSource.REPORT, channel=channel, target_kind=target_kind, target_id=target_id, reason=reason
    )
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1, updated_at=timezone.now())
    return Report.objects.create(
        item=item,
        channel=channel,
        reporter_external_id=reporter_external_id,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason,
        text=(text or "").strip(),
        state=item.state,
        external_id=external_id,
    )


def _open_item(*, source, channel, target_kind, target_id, reason, **defaults) -> tuple[QueueItem, bool]:
    """The open queue item for this target (locked) and whether it was just created. Two
    requests racing to create it meet at the partial unique index; the loser joins the winner's."""
    lookup = {"source": source, "target_kind": target_kind, "target_id": target_id, "reason": reason}
    item = QueueItem.objects.select_for_update().filter(state__in=OPEN_STATES, **lookup).first()
    if item is not None:
        return item, False
    try:
        with transaction.atomic():
            return QueueItem.objects.create(channel=channel, **lookup, **defaults), True
    except IntegrityError:
        return QueueItem.objects.select_for_update().get(state__in=OPEN_STATES, **lookup), False


# --- automatic flags ---------------------------------------------------------------------


def flag_content(*, kind: str, obj) -> QueueItem | None:
    """Scan one piece of content and hold the result in the queue: a hit opens a flag (or
    refreshes the open one) with the matched evidence. Nothing is taken down. Audits
    FLAG_RAISED when a flag opens."""
    content_kind = CONTENT_KINDS[kind]
    if content_kind.is_hidden(obj):
        return None
    result = fraud.scan_text(content_kind.scan_text(obj))
    if not result.is_hit or _already_dismissed(kind=kind, target_id=obj.pk, text=result.text):
        return None
    with transaction.atomic():
        channel = Channel(pk=content_kind.channel_id_of(obj))
        item, created = _open_item(
            source=QueueItemSource.FLAG,
            channel=channel,
            target_kind=kind,
            target_id=obj.pk,
            reason=FLAG_REASON,
            excerpt=result.text,
            evidence=result.evidence,
            score=result.score,
        )
        if created:
            record_audit(
                event_type=ModerationAuditEvent.FLAG_RAISED,
                channel=channel,
                data={"item": item.pk, "kind": kind, "id": obj.pk, "score": result.score, "categories": result.categories},
            )
        elif item.excerpt != result.text or item.evidence != result.evidence:
            # The content changed and still matches: keep what staff see current.
            item.excerpt, item.evidence, item.score, item.updated_at = result.text, result.evidence, result.score, timezone.now()
            item.save(update_fields=["excerpt", "evidence", "score", "updated_at"])
    return item


def _already_dismissed(*, kind: str, target_id: int, text: str) -> bool:
    """Staff dismissed a flag on exactly this text: saving it again unchanged (or rescanning)
    must not bring it back. Any change to the text is scanned afresh."""
    latest = (
        QueueItem.objects.filter(source=QueueItemSource.FLAG, target_kind=kind, target_id=target_id)
        .order_by("-created_at", "-id")
        .values_list("state", "excerpt")
        .first()
    )
    return latest is not None and latest[0] == QueueState.DISMISSED and latest[1] == text


def scan_saved_content(kind: str, obj) -> None:
    """The post_save hook. A scanner failure must never fail the manager's save, so it is
    contained in a savepoint and logged."""
    try:
        with transaction.atomic():
            flag_content(kind=kind, obj=obj)
    except Exception:  # noqa: BLE001 - logged; the content itself is saved either way
        logger.exception("fraud scan failed for %s %s", kind, getattr(obj, "pk", None))


def iter_scannable(*, since=None):
    """(kind, queryset) for every kind of content the scanner reads, oldest first. With
    ``since``, only rows changed since then; rows that carry no change time (channel
    profiles) are all rescanned."""
    scannable = []
    for kind in scanned_kinds():
        qs = kind.model.objects.filter(**dict(kind.scan_only))
        if kind.related_for_channel():
            qs = qs.select_related(*kind.related_for_channel())
        if since is not None and kind.changed_field:
            qs = qs.filter(**{f"{kind.changed_field}__gte": since})
        scannable.append((kind.code, qs.order_by("id")))
    return scannable


# --- claim / resolve / dismiss -----------------------------------------------------------


def _lock(item: QueueItem) -> QueueItem:
    return QueueItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def claim_item(*, item: QueueItem, actor) -> QueueItem:
    """Take an open queue item so other moderators see someone is on it. Audits QUEUE_ITEM_CLAIMED."""
    _require(permissions.can_moderate, actor)
    item = _lock(item)
    if item.state == QueueState.CLAIMED and item.claimed_by_id == actor.pk:
        return item
    if item.state != QueueState.OPEN:
        if item.state == QueueState.CLAIMED:
            raise ModerationError(_("%(who)s is already handling this item.") % {"who": item.claimed_by})
        raise ModerationError(_("This item is already closed."))
    item.state, item.claimed_by, item.claimed_at = QueueState.CLAIMED, actor, timezone.now()
    item.save(update_fields=["state", "claimed_by", "claimed_at"])
    item.reports.update(state=QueueState.CLAIMED)
    record_audit(event_type=ModerationAuditEvent.QUEUE_ITEM_CLAIMED, actor=actor, channel=item.channel, data={"item": item.pk})
    return item


@transaction.atomic
def release_item(*, item: QueueItem, actor) -> QueueItem:
    """Give a claimed item back to the queue. Audits QUEUE_ITEM_RELEASED with who held it."""
    _require(permissions.can_moderate, actor)
    item = _lock(item)
    if item.state != QueueState.CLAIMED:
        return item
    held_by = item.claimed_by_id
    item.state, item.claimed_by, item.claimed_at = QueueState.OPEN, None, None
    item.save(update_fields=["state", "claimed_by", "claimed_at"])
    item.reports.update(state=QueueState.OPEN)
    record_audit(
        event_type=ModerationAuditEvent.QUEUE_ITEM_RELEASED, actor=actor, channel=item.channel, data={"item": item.pk, "held_by": held_by}
    )
    return item


def _close(*, item: QueueItem, actor, note: str, state: str, event: str) -> QueueItem:
    _require(permissions.can_moderate, actor)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ModerationError(_("Keep the note under 2000 characters."))
    item = _lock(item)
    if item.state == state:
        return item
    if item.state not in OPEN_STATES:
        raise ModerationError(_("This item is already closed."))
    before = item.state
    item.state, item.decided_by, item.decided_at, item.decision_note = state, actor, timezone.now(), note
    if item.claimed_by_id is None:
        item.claimed_by, item.claimed_at = actor, item.decided_at
    item.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "claimed_by", "claimed_at"])
    item.reports.update(state=state)
    record_audit(
        event_type=event,
        actor=actor,
        channel=item.channel,
        reason=note,
        data={"item": item.pk, "source": item.source, "before": before, "after": state, "reports": item.report_count},
    )
    return item


@transaction.atomic
def resolve_item(*, item: QueueItem, actor, note: str = "") -> QueueItem:
    """Close a queue item as acted upon (the takedown or restriction is its own action).
    Audits REPORT_RESOLVED."""
    return _close(item=item, actor=actor, note=note, state=QueueState.RESOLVED, event=ModerationAuditEvent.REPORT_RESOLVED)


@transaction.atomic
def dismiss_item(*, item: QueueItem, actor, note: str = "") -> QueueItem:
    """Close a queue item as needing no action. Audits REPORT_DISMISSED."""
    return _close(item=item, actor=actor, note=note, state=QueueState.DISMISSED, event=ModerationAuditEvent.REPORT_DISMISSED)


# --- fraud rules -------------------------------------------------------------------------

RULE_FIELDS = ("name", "category", "language", "pattern", "weight", "is_active")


def validate_pattern(pattern: str) -> None:
    try:
        compiled = fraud.compile_pattern(pattern)
    except re.error as exc:
        raise ModerationError(_("The pattern is not a valid regular expression: %(error)s") % {"error": exc}) from exc
    if compiled.match(""):
        raise ModerationError(_("The pattern matches empty text, so it would match everything."))


@transaction.atomic
def save_fraud_rule(*, actor, rule: FraudRule | None = None, **fields) -> FraudRule:
    """Create or change a fraud rule (senior moderators). Audits FRAUD_RULE_CHANGED with
    before/after; every process picks the change up on its next scan."""
    _require(permissions.can_decide_senior, actor)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "pattern" in fields:
        validate_pattern(fields["pattern"])
    if rule is None:
        before = {}
        rule = FraudRule(**fields)
    else:
        rule = FraudRule.objects.select_for_update().get(pk=rule.pk)
        before = {name: getattr(rule, name) for name in RULE_FIELDS}
        for name, value in fields.items():
            setattr(rule, name, value)
    after = {name: getattr(rule, name) for name in RULE_FIELDS}
    if before == after:
        return rule
    rule.updated_by, rule.updated_at = actor, timezone.now()
    rule.save()
    record_audit(
        event_type=ModerationAuditEvent.FRAUD_RULE_CHANGED,
        actor=actor,
        data={"rule": rule.pk, "before": before, "after": after},
    )
    # Now for this transaction, and again once the change is visible to every process.
    fraud.invalidate_rules()
    transaction.on_commit(fraud.invalidate_rules)
    return rule


def ensure_default_rules(rule_model=FraudRule) -> int:
    """Create the default rules that do not exist yet (by name). Returns how many it made."""
    existing = set(rule_model.objects.values_list("name", flat=True))
    missing = [rule_model(**rule) for rule in DEFAULT_RULES if rule["name"] not in existing]
    rule_model.objects.bulk_create(missing)
    if missing and rule_model is FraudRule:
        transaction.on_commit(fraud.invalidate_rules)
    return len(missing)


def fraud_threshold() -> int:
    return settings.FRAUD_FLAG_THRESHOLD
