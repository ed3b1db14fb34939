"""Two moderators acting on the same channel at once, each on their own PostgreSQL connection.

The services lock the channel row (then the restriction row) before they read what they
check, so the second one waits for the first to commit and then sees its result."""

import threading

import pytest
from django.db import connection, connections

from core.models import AuditEntry
from restrictions import services
from restrictions.models import Restriction
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections with row locks: PostgreSQL only"),
]


def run_at_once(*calls):
    """Run each call in its own thread (so its own database connection), released together.
    Returns each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001  (the test inspects it)
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _apply(actor, channel, scope):
    return lambda: services.apply_restriction(
        actor=actor, type="temporary", scope=scope, reason="operation_policy", channel=channel, days=3, manager_message="x"
    )


def test_two_moderators_restricting_the_same_feature_at_once_make_one_restriction(channel, moderator):
    other = AccountFactory(moderator=True)
    for _ in range(3):  # a few rounds, so the race really happens
        Restriction.objects.filter(channel=channel, state="active").update(state="lifted", ended_at=channel.created_at)
        results = run_at_once(_apply(moderator, channel, ["chat"]), _apply(other, channel, ["chat", "posts"]))
        made = [r for r in results if isinstance(r, Restriction)]
        refused = [r for r in results if isinstance(r, services.ConflictingRestriction)]
        assert len(made) == 1 and len(refused) == 1, results
        assert Restriction.objects.filter(channel=channel, state="active").count() == 1


def test_lift_and_modify_at_once_never_leave_a_change_after_the_lift(channel, moderator):
    other = AccountFactory(moderator=True)
    restriction = _apply(moderator, channel, ["chat"])()
    results = run_at_once(
        lambda: services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved"),
        lambda: services.modify_restriction(restriction=restriction, actor=other, scope=["chat", "posts"], note="wider"),
    )
    restriction.refresh_from_db()
    assert restriction.state == "lifted"
    events = list(AuditEntry.objects.filter(restriction=restriction).order_by("id").values_list("event_type", flat=True))
    assert events[-1] == "restriction_lifted"
    if isinstance(results[1], Exception):
        assert isinstance(results[1], services.WrongState)
        assert "restriction_modified" not in events
    else:
        assert restriction.scope == "chat,posts"


def test_confirm_and_decline_of_a_permanent_at_once_agree(channel, senior, second_senior):
    third = AccountFactory(senior=True)
    restriction = services.apply_restriction(
        actor=senior, type="permanent", scope="all", reason="impersonation_fraud", channel=channel, manager_message="x"
    )
    results = run_at_once(
        lambda: services.confirm_restriction(restriction=restriction, actor=second_senior),
        lambda: services.lift_restriction(restriction=restriction, actor=third, reason="declined"),
    )
    restriction.refresh_from_db()
    assert restriction.state == "lifted"  # the lift wins either way: before the confirmation, or after it
    assert sum(isinstance(r, services.WrongState) for r in results) <= 1


def test_two_seniors_deciding_one_appeal_at_once_decide_it_once(channel, moderator, manager, senior, second_senior):
    restriction = _apply(moderator, channel, ["posts"])()
    appeal = services.file_appeal(restriction=restriction, account=manager, text="Please")
    results = run_at_once(
        lambda: services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="ok"),
        lambda: services.decide_appeal(appeal=appeal, actor=second_senior, overturn=False, note="no"),
    )
    assert sum(isinstance(r, services.WrongState) for r in results) == 1
    assert AuditEntry.objects.filter(event_type__in=["appeal_upheld", "appeal_overturned"]).count() == 1


def test_expiry_running_twice_at_once_expires_each_restriction_once(channel, moderator):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_channel

    for _ in range(6):
        _apply(moderator, make_channel(), ["chat"])()
    later = timezone.now() + timedelta(days=4)
    results = run_at_once(
        lambda: services.expire_due_restrictions(now=later), lambda: services.expire_due_restrictions(now=later)
    )
    assert sum(results) == 6
    assert AuditEntry.objects.filter(event_type="restriction_expired").count() == 6


def test_a_verification_in_flight_during_the_chat_verification_sweep_is_not_missed(channel, manager):
    """The sweep reads its candidates while a verification has the manager's account locked
    and marked verified, not yet committed: the sweep must wait for it and not leave the
    manager restricted once both have committed."""
    from django.db import transaction
    from django.utils import timezone

    from channels_admin.models import Account
    from restrictions.services import verification_pending as bulk
    from restrictions.services.sweep import enforce_chat_verification

    locked, go = threading.Event(), threading.Event()
    outcome: dict = {}

    def verify():
        try:
            with transaction.atomic():
                account = Account.objects.select_for_update().get(pk=manager.pk)
                account.identity_verified_at = timezone.now()
                account.save(update_fields=["identity_verified_at"])
                locked.set()
                go.wait(timeout=20)
                outcome["lifted"] = bulk.lift_verification_pending(
                    account_ids=[manager.pk], reason="verified", event="verification_completed"
                )
        finally:
            connections.close_all()

    def sweep():
        try:
            outcome["sweep"] = enforce_chat_verification()
        except Exception as exc:  # noqa: BLE001  (the test inspects it)
            outcome["sweep"] = exc
        finally:
            connections.close_all()

    verifier = threading.Thread(target=verify)
    verifier.start()
    assert locked.wait(timeout=20)
    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    # Let the verification commit only once the sweep waits for its lock (or has finished).
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0] or not sweeper.is_alive():
                break
        threading.Event().wait(0.05)
    go.set()
    verifier.join(timeout=30)
    sweeper.join(timeout=30)

    assert not isinstance(outcome["sweep"], Exception), outcome["sweep"]
    open_pending = Restriction.objects.filter(account=manager, type="verification_pending", state__in=["scheduled", "active"])
    assert not open_pending.exists()
