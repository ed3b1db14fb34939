"""The chat-verification sweep at a size that takes its bulk paths (the audit entries by COPY)."""

import pytest
from django.db import connection
from django.utils import timezone

from channels_admin.models import Account, ChannelAuditEvent, ChannelManager, ManagerRole
from core.audit import entry_digest, record_audit
from core.models import AuditEntry
from notifications.models import Delivery, DeliveryState
from restrictions.models import Restriction, RestrictionAuditEvent, RestrictionType
from restrictions.services.sweep import enforce_chat_verification
from tests.factories import ChannelFactory

UNVERIFIED = 520  # 1,560 delivery rows and 520 audit entries: above the COPY threshold


def _managers(channel, n, *, prefix, verified=False, phone=True):
    accounts = Account.objects.bulk_create(
        Account(email=f"{prefix}{i}@example.com", phone_number=f"+8210{30000000 + i:08d}" if phone else "",
                identity_verified_at=timezone.now() if verified else None)
        for i in range(n)
    )
    ChannelManager.objects.bulk_create(ChannelManager(channel=channel, account=a, role=ManagerRole.MANAGER) for a in accounts)
    return accounts


@pytest.mark.django_db
def test_the_sweep_restricts_every_unverified_general_manager_once_with_audit_and_deliveries():
    # given
    general, business = ChannelFactory(), ChannelFactory(business=True)
    with_phone = _managers(general, UNVERIFIED - 10, prefix="u")
    without_phone = _managers(general, 10, prefix="nophone", phone=False)
    _managers(general, 15, prefix="v", verified=True)
    _managers(business, 12, prefix="b")
    record_audit(event_type=ChannelAuditEvent.CHAT_POLICY_CHANGED)  # the chain continues from an existing entry

    # when
    result = enforce_chat_verification()

    # then
    assert result.applied == UNVERIFIED
    restricted = Restriction.objects.filter(type=RestrictionType.VERIFICATION_PENDING, state="active")
    assert set(restricted.values_list("account_id", flat=True)) == {a.pk for a in with_phone + without_phone}
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == UNVERIFIED + 1
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.entry_hash
        assert entry.entry_hash == entry_digest(entry)
    assert {e.restriction_id for e in entries[1:]} == set(restricted.values_list("pk", flat=True))
    deliveries = Delivery.objects.filter(notification__event="verification_required")
    assert deliveries.count() == 3 * UNVERIFIED
    assert deliveries.filter(state=DeliveryState.SKIPPED).count() == 10
    assert set(deliveries.filter(channel="kakaotalk", state=DeliveryState.SKIPPED).values_list("notification__recipient_id", flat=True)) == {
        a.pk for a in without_phone
    }
    first = restricted.order_by("pk").first()
    told = Delivery.objects.get(notification__recipient_id=first.account_id, channel="email").notification
    assert told.context["restriction_id"] == first.pk


@pytest.mark.django_db
def test_a_second_sweep_changes_nothing():
    general = ChannelFactory()
    _managers(general, UNVERIFIED, prefix="u")
    enforce_chat_verification()
    counts = (Restriction.objects.count(), AuditEntry.objects.count(), Delivery.objects.count())

    result = enforce_chat_verification()

    assert result.applied == 0 and result.lifted == 0
    assert (Restriction.objects.count(), AuditEntry.objects.count(), Delivery.objects.count()) == counts


@pytest.mark.django_db
def test_the_sweep_hands_its_deliveries_to_the_workers_after_commit(settings, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import delivery, tasks

    general = ChannelFactory()
    _managers(general, UNVERIFIED, prefix="u")
    _managers(general, 3, prefix="nophone", phone=False)
    published, dispatched = [], []
    monkeypatch.setattr(tasks.send_deliveries, "delay", lambda ids: published.extend(ids))
    monkeypatch.setattr(tasks.sweep_deliveries, "delay", lambda: dispatched.append(1))

    # a sweep small enough for the fast path publishes the pending rows' ids after commit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enforce_chat_verification()
    assert published == [] and dispatched == []
    for callback in callbacks:
        callback()
    pending = Delivery.objects.filter(state=DeliveryState.PENDING)
    assert sorted(published) == sorted(pending.values_list("pk", flat=True))
    assert pending.count() == 3 * (UNVERIFIED + 3) - 3 and not pending.filter(queued_until=None).exists()

    # a larger one leaves them to one dispatch task, which the outbox sweep serves
    settings.NOTIFICATIONS_FAST_PATH_MAX = 5
    published.clear()
    _managers(general, 4, prefix="late")
    with django_capture_on_commit_callbacks(execute=True):
        assert enforce_chat_verification().applied == 4
    assert dispatched == [1] and published == []
    late = Delivery.objects.filter(notification__recipient__email__startswith="late")
    assert late.count() == 12 and not late.exclude(queued_until=None).exists()
    delivery.sweep()
    assert sorted(published) == sorted(late.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_failing_sweep_writes_nothing(monkeypatch):
    from restrictions.services import verification_pending as bulk

    general = ChannelFactory()
    _managers(general, UNVERIFIED, prefix="u")

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(bulk, "request_notifications_from_query", broken)  # PostgreSQL
    monkeypatch.setattr(bulk, "request_notifications", broken)  # SQLite
    with pytest.raises(RuntimeError):
        enforce_chat_verification()
    assert (Restriction.objects.count(), AuditEntry.objects.count(), Delivery.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based INSERT is PostgreSQL's")
def test_a_verification_pending_written_while_the_sweep_reads_its_candidates_is_kept_and_not_doubled():
    # given a moderator's verification_pending for one candidate, written once the sweep has
    # read its candidates
    general = ChannelFactory()
    accounts = _managers(general, 5, prefix="u")
    target = accounts[2]
    moderator_wrote = []

    def moderator_writes(execute, sql, params, many, context):
        if sql.startswith("CREATE TEMP TABLE _verification_pending_applied") and not moderator_wrote:
            moderator_wrote.append(Restriction.objects.create(
                account=target, type="verification_pending", scope="chat", reason="identity_unverified",
                state="active", starts_at=timezone.now(),
            ))
        return execute(sql, params, many, context)

    # when
    with connection.execute_wrapper(moderator_writes):
        result = enforce_chat_verification()

    # then the others are restricted, the moderator's restriction is the target's only one
    assert result.applied == 4
    open_pending = Restriction.objects.filter(type=RestrictionType.VERIFICATION_PENDING, state="active")
    assert sorted(open_pending.values_list("account_id", flat=True)) == sorted(a.pk for a in accounts)
    assert list(open_pending.filter(account=target)) == moderator_wrote
    assert AuditEntry.objects.filter(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED).count() == 4
    assert not Delivery.objects.filter(notification__recipient=target).exists()


def _work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is PostgreSQL's")
def test_the_sweep_gives_its_joins_and_sorts_more_memory_for_its_own_transaction_only(monkeypatch):
    from restrictions.services import verification_pending as bulk

    _managers(ChannelFactory(), 3, prefix="u")
    before, seen = _work_mem(), []
    real = bulk.request_notifications_from_query

    def watched(**kwargs):
        seen.append(_work_mem())
        return real(**kwargs)

    monkeypatch.setattr(bulk, "request_notifications_from_query", watched)
    assert enforce_chat_verification().applied == 3
    assert seen == [bulk.SWEEP_WORK_MEM]
    assert _work_mem() == before != bulk.SWEEP_WORK_MEM
