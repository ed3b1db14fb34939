"""Identity verification: the sandbox flow, rate limit, same person on two accounts, refusal
for a permanently restricted person, and how CI/DI are kept."""

import logging
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_admin.identity_providers import ProviderResult
from channels_admin.models import IdentityVerification
from channels_admin.selectors.chat_access import decide_chat_access
from channels_admin.selectors.identity import list_identity_matches
from channels_admin.services import identity
from core.models import AuditEntry
from notifications.models import Delivery
from restrictions.models import Restriction, RestrictionType
from restrictions.services.sweep import enforce_chat_verification
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db

RAW_CI = "CI-RAW-0123456789-ABCDEFGHIJ-person-identifier"
RAW_DI = "DI-RAW-9876543210-site-identifier"


def _sandbox_form(**overrides):
    return {"name": "Nguyen Thi Lan", "birth_date": "1991-02-03", "phone": "+84900000101", "carrier": "SKT", "outcome": "verified"} | overrides


def _verify_in_sandbox(client, **form):
    start = client.post(reverse("channels_admin:identity_verify"))
    assert start.status_code == 302 and "/identity/sandbox/" in start["Location"]
    back = client.post(start["Location"], _sandbox_form(**form))
    assert back.status_code == 302 and back["Location"].startswith(reverse("channels_admin:identity_return"))
    return client.get(back["Location"], follow=True)


def _result(verification, **fields):
    return ProviderResult(
        ref=verification.provider_ref, status="verified", method="mobile_carrier", name="Lan", birth_date=date(1991, 2, 3),
        phone="+84900000101", carrier="SKT", ci=RAW_CI, di=RAW_DI, **fields,
    )


def test_an_unverified_manager_verifies_in_the_sandbox_and_may_then_chat(client_for, manager, channel, caplog):
    # given a manager restricted by the sweep
    enforce_chat_verification()
    pending = Restriction.objects.get(account=manager, type="verification_pending", state="active")
    client = client_for(manager)
    assert decide_chat_access(account=manager, channel=channel).reason == "identity_verification_required"

    # when
    with caplog.at_level(logging.DEBUG):
        page = _verify_in_sandbox(client)

    # then
    assert "Your identity is verified. You can now use 1:1 chat." in page.content.decode()
    manager.refresh_from_db()
    assert manager.identity_verified_at is not None
    verification = IdentityVerification.objects.get(account=manager)
    assert (verification.state, verification.method, verification.verified_name, verification.carrier) == (
        "verified", "mobile_carrier", "Nguyen Thi Lan", "SKT"
    )
    assert verification.verified_birth_date == date(1991, 2, 3) and verification.verified_phone == "+84900000101"
    assert decide_chat_access(account=manager, channel=channel).reason == "allowed"
    # the restriction lifted in the same transaction, audited and told
    pending.refresh_from_db()
    assert pending.state == "lifted" and pending.lift_reason == "Identity verified."
    assert AuditEntry.objects.filter(event_type="identity_verified", account=manager).count() == 1
    assert AuditEntry.objects.filter(event_type="restriction_lifted", restriction=pending).count() == 1
    assert Delivery.objects.filter(notification__restriction=pending, notification__event="verification_completed").count() == 3
    # and the person identifiers are nowhere in clear
    assert "sandbox-ci" not in caplog.text


def test_verification_lifts_the_restriction_without_waiting_for_the_sweep(manager, channel):
    enforce_chat_verification()
    verification = identity.start_identity_verification(account=manager)

    identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification))

    assert not Restriction.objects.filter(account=manager, state="active").exists()
    assert enforce_chat_verification().applied == 0


def test_ci_and_di_are_kept_only_as_keyed_hashes(manager, settings):
    verification = identity.start_identity_verification(account=manager)

    identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification))

    verification.refresh_from_db()
    stored = " ".join(str(v) for v in IdentityVerification.objects.values().get().values())
    assert RAW_CI not in stored and RAW_DI not in stored
    assert len(verification.ci_hash) == 64 and verification.ci_hash == identity.hash_person_identifier("ci:" + RAW_CI)
    settings.IDENTITY_HASH_KEY = "another-key"
    assert identity.hash_person_identifier("ci:" + RAW_CI) != verification.ci_hash
    audit = " ".join(str(e.data) + e.reason for e in AuditEntry.objects.all())
    assert RAW_CI not in audit and RAW_DI not in audit and verification.ci_hash not in audit
    assert RAW_CI not in repr(_result(verification))


def test_a_failed_verification_changes_nothing_but_its_own_state(client_for, manager):
    page = _verify_in_sandbox(client_for(manager), outcome="failed")

    assert "The verification failed. You can try again." in page.content.decode()
    manager.refresh_from_db()
    assert manager.identity_verified_at is None
    assert IdentityVerification.objects.get().state == "failed"
    assert AuditEntry.objects.filter(event_type="identity_verification_failed").count() == 1


def test_an_attempt_finished_too_late_expires(manager):
    verification = identity.start_identity_verification(account=manager)
    IdentityVerification.objects.filter(pk=verification.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    result = identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification))

    assert result.state == "expired"
    manager.refresh_from_db()
    assert manager.identity_verified_at is None


def test_unfinished_attempts_expire_in_the_housekeeping_task(manager):
    verification = identity.start_identity_verification(account=manager)
    IdentityVerification.objects.filter(pk=verification.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    from channels_admin.tasks import prune_webhook_receipts

    prune_webhook_receipts()

    verification.refresh_from_db()
    assert verification.state == "expired"


def test_applying_a_result_twice_changes_nothing_the_second_time(manager):
    verification = identity.start_identity_verification(account=manager)
    identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification))
    entries = AuditEntry.objects.count()

    again = identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification, is_foreigner=True))

    assert again.state == "verified" and again.is_foreigner is None
    assert AuditEntry.objects.count() == entries


def test_attempts_are_rate_limited_per_account(client_for, manager, settings):
    # given
    settings.IDENTITY_MAX_ATTEMPTS = 2
    client = client_for(manager)
    client.post(reverse("channels_admin:identity_verify"))
    client.post(reverse("channels_admin:identity_verify"))

    # when
    page = client.post(reverse("channels_admin:identity_verify"), follow=True)

    # then
    assert "Too many verification attempts. Try again in 60 minutes." in page.content.decode()
    assert IdentityVerification.objects.filter(account=manager).count() == 2
    assert list(IdentityVerification.objects.values_list("state", flat=True).order_by("id")) == ["expired", "pending"]
    # another account is not affected
    other = AccountFactory()
    assert identity.start_identity_verification(account=other).is_pending


def test_attempts_older_than_the_window_do_not_count(manager, settings):
    settings.IDENTITY_MAX_ATTEMPTS = 1
    first = identity.start_identity_verification(account=manager)
    IdentityVerification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=61))

    assert identity.start_identity_verification(account=manager).is_pending


def test_a_verified_account_cannot_start_again(client_for, master):
    page = client_for(master).post(reverse("channels_admin:identity_verify"), follow=True)

    assert "Your identity is already verified." in page.content.decode()
    assert not IdentityVerification.objects.exists()


def test_the_same_person_on_a_second_account_is_flagged_for_staff(manager):
    # given the person verified another account
    first_account = AccountFactory()
    first = identity.start_identity_verification(account=first_account)
    identity.apply_identity_result(ref=first.provider_ref, result=_result(first))

    # when they verify this one too
    second = identity.start_identity_verification(account=manager)
    result = identity.apply_identity_result(ref=second.provider_ref, result=_result(second))

    # then it succeeds, flagged
    assert result.state == "verified" and result.duplicate_of == first_account
    flag = AuditEntry.objects.get(event_type="identity_duplicate_flagged")
    assert flag.account == manager and flag.data["matched_account_id"] == first_account.pk
    assert list(list_identity_matches()) == [result]


@pytest.mark.parametrize("where", ["account", "mastered_channel"])
def test_a_person_whose_other_account_is_permanently_restricted_cannot_verify(client_for, manager, channel, restrict, where):
    # given the person's first account is under a permanent restriction
    first_account = AccountFactory()
    first = identity.start_identity_verification(account=first_account)
    identity.apply_identity_result(ref=first.provider_ref, result=_result(first))
    if where == "account":
        permanent = restrict(account=first_account, type=RestrictionType.PERMANENT, scope="all")
    else:
        permanent = restrict(channel=make_channel(master=first_account), type=RestrictionType.PERMANENT, scope="all")
    enforce_chat_verification()

    # when they try to verify a new account
    second = identity.start_identity_verification(account=manager)
    result = identity.apply_identity_result(ref=second.provider_ref, result=_result(second))

    # then the verification fails, staff see the match, and chat stays closed
    assert result.state == "failed" and result.failure_code == "permanently_restricted_person"
    assert result.duplicate_of == first_account and result.blocked_by == permanent
    manager.refresh_from_db()
    assert manager.identity_verified_at is None
    assert decide_chat_access(account=manager, channel=channel).reason == "identity_verification_required"
    assert Restriction.objects.filter(account=manager, type="verification_pending", state="active").exists()
    assert AuditEntry.objects.filter(event_type="identity_duplicate_flagged", account=manager, restriction=permanent).exists()
    assert AuditEntry.objects.filter(event_type="identity_verification_failed", account=manager).exists()
    assert list(list_identity_matches()) == [result]


def test_the_refusal_message_is_clear_in_the_browser(client_for, manager, restrict):
    first_account = AccountFactory()
    _verify_in_sandbox(client_for(first_account))
    restrict(account=first_account, type=RestrictionType.PERMANENT, scope="all")

    page = _verify_in_sandbox(client_for(manager))

    assert "another account of the same person is permanently restricted" in page.content.decode()


def test_the_sandbox_page_belongs_to_its_account_only(client_for, manager, stranger):
    verification = identity.start_identity_verification(account=manager)
    url = reverse("channels_admin:identity_sandbox", args=[verification.provider_ref])

    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).post(url, _sandbox_form()).status_code == 404


def test_the_sandbox_page_does_not_exist_with_a_real_provider(client_for, manager, settings):
    verification = identity.start_identity_verification(account=manager)
    settings.IDENTITY_PROVIDER = "http"

    response = client_for(manager).get(reverse("channels_admin:identity_sandbox", args=[verification.provider_ref]))

    assert response.status_code == 404


def test_returning_with_another_accounts_verification_changes_nothing_and_is_logged(client_for, manager, stranger, caplog):
    # given the stranger's attempt was finished at the provider
    verification = identity.start_identity_verification(account=stranger)
    from channels_admin.identity_providers import SandboxProvider

    SandboxProvider().record(_result(verification))

    # when the manager presents it as theirs
    with caplog.at_level(logging.WARNING):
        page = client_for(manager).get(
            reverse("channels_admin:identity_return") + f"?identityVerificationId={verification.provider_ref}", follow=True
        )

    # then
    assert "This verification belongs to another account." in page.content.decode()
    verification.refresh_from_db()
    assert verification.state == "pending"
    stranger.refresh_from_db()
    manager.refresh_from_db()
    assert stranger.identity_verified_at is None and manager.identity_verified_at is None
    assert "code=not_yours" in caplog.text and RAW_CI not in caplog.text


def test_returning_with_an_unknown_id_changes_nothing(client_for, manager):
    page = client_for(manager).get(reverse("channels_admin:identity_return") + "?identityVerificationId=idv-nope", follow=True)

    assert "This verification is unknown." in page.content.decode()
    assert not IdentityVerification.objects.exists()


def test_the_verification_page_shows_the_state(client_for, manager, master):
    body = client_for(manager).get(reverse("channels_admin:identity_verify")).content.decode()
    assert 'data-testid="start-verification"' in body

    body = client_for(master).get(reverse("channels_admin:identity_verify")).content.decode()
    assert "Your identity was verified on" in body and 'data-testid="start-verification"' not in body


@pytest.mark.parametrize(("who", "status"), [("viewer", 200), ("moderator", 200), ("senior", 200), ("manager", 404)])
def test_staff_see_the_same_person_matches(client_for, request, restrict, who, status):
    # given a refused attempt and a flagged one
    first_account = AccountFactory(email="first@example.com")
    first = identity.start_identity_verification(account=first_account)
    identity.apply_identity_result(ref=first.provider_ref, result=_result(first))
    flagged_account = AccountFactory(email="second@example.com")
    second = identity.start_identity_verification(account=flagged_account)
    identity.apply_identity_result(ref=second.provider_ref, result=_result(second))
    restrict(account=first_account, type=RestrictionType.PERMANENT, scope="all")
    refused_account = AccountFactory(email="third@example.com")
    third = identity.start_identity_verification(account=refused_account)
    identity.apply_identity_result(ref=third.provider_ref, result=_result(third))

    # when
    response = client_for(request.getfixturevalue(who)).get(reverse("staff:identity_matches"))

    # then
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "second@example.com" in body and "third@example.com" in body and "first@example.com" in body
        assert "refused: Permanent restriction on the other account" in body
        assert RAW_CI not in body


# --- ban evasion through another channel ------------------------------------------------------


def test_the_master_of_a_permanently_restricted_channel_cannot_verify_to_chat_elsewhere(client_for, manager, channel, restrict):
    # given the manager is also the master of another channel, permanently restricted
    banned = make_channel(master=manager, handle="banned-shop")
    permanent = restrict(channel=banned, type=RestrictionType.PERMANENT, scope="all")
    # when they verify their identity (the first account of this person)
    attempt = identity.start_identity_verification(account=manager)
    result = identity.apply_identity_result(ref=attempt.provider_ref, result=_result(attempt))
    # then it is refused, with the restriction, and staff see it on the identity-match page
    assert (result.state, result.failure_code, result.blocked_by) == ("failed", "permanently_restricted_own", permanent)
    manager.refresh_from_db()
    assert manager.identity_verified_at is None
    assert list(list_identity_matches()) == [result]
    page = client_for(AccountFactory(viewer=True)).get(reverse("staff:identity_matches")).content.decode()
    assert 'data-testid="identity-refused-channel"' in page and "@banned-shop" in page


def test_a_person_who_handed_over_a_channel_now_banned_is_verified_but_flagged(client_for, manager, restrict):
    from channels_admin.models import ChannelAuditEvent
    from core.audit import record_audit

    # given the same person's first account once mastered a channel, handed it over, and it is now banned
    first_account = AccountFactory()
    first = identity.start_identity_verification(account=first_account)
    identity.apply_identity_result(ref=first.provider_ref, result=_result(first))
    banned = make_channel(handle="sold-shop")
    record_audit(event_type=ChannelAuditEvent.MASTER_TRANSFERRED, actor=first_account, channel=banned,
                 data={"before": {"master": first_account.pk}, "after": {"master": None}})
    permanent = restrict(channel=banned, type=RestrictionType.PERMANENT, scope="all")
    # when the person verifies a new account
    second = identity.start_identity_verification(account=manager)
    result = identity.apply_identity_result(ref=second.provider_ref, result=_result(second))
    # then it is verified, flagged for staff with the restriction
    assert (result.state, result.flagged_for, result.duplicate_of) == ("verified", permanent, first_account)
    assert AuditEntry.objects.filter(event_type="identity_duplicate_flagged", account=manager, restriction=permanent).exists()
    page = client_for(AccountFactory(viewer=True)).get(reverse("staff:identity_matches")).content.decode()
    assert 'data-testid="identity-flagged-channel"' in page and "@sold-shop" in page


def test_the_owners_refusal_message_is_clear_in_the_browser(client_for, manager, restrict):
    restrict(channel=make_channel(master=manager, handle="banned"), type=RestrictionType.PERMANENT, scope="all")
    page = _verify_in_sandbox(client_for(manager))
    assert "a channel it is the master of, is permanently restricted" in page.content.decode()
