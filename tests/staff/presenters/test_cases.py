"""The case presenter: restriction rows grouped and labelled, managers' states named, the audit
trail linking on when it has more. No queries: the selectors read everything."""

from datetime import timedelta

from django.utils import timezone, translation

from core.audit import record_audit
from restrictions.models import Appeal, Restriction, RestrictionAuditEvent
from staff.presenters.cases import audit_rows, case_audit, manager_views, restriction_rows, restriction_table
from staff.selectors.case_tabs import list_audit
from staff.selectors.cases import CASE_AUDIT_LIMIT, list_case_managers, list_case_restrictions, manager_rows
from tests.factories import DeliveryFactory


def restrict(channel, moderator, **fields):
    fields.setdefault("state", "active")
    fields.setdefault("ends_at", timezone.now() + timedelta(days=7))
    return Restriction.objects.create(
        channel=channel, type="temporary", scope="posts,chat", reason="terms", created_by=moderator, **fields
    )


def test_restrictions_in_force_come_before_the_ended_ones_each_under_its_heading(channel, moderator, django_assert_num_queries):
    active = restrict(channel, moderator)
    ended = restrict(channel, moderator, state="lifted", ended_at=timezone.now(), lift_reason="resolved")
    Appeal.objects.create(restriction=active, account=moderator, text="please")
    DeliveryFactory(channel="email", recipient=moderator, restriction=active, state="failed", last_error="x" * 100)
    restrictions = list_case_restrictions(channel=channel)

    with django_assert_num_queries(0), translation.override("en"):
        table = restriction_table(restrictions, can_moderate=True)

    (in_force, history) = table.groups
    assert in_force.heading == "In force or scheduled" and history.heading == "1 ended restriction"
    assert f'data-restriction-id="{active.pk}"' in in_force.rows and f'data-restriction-id="{ended.pk}"' in history.rows
    with translation.override("en"):
        (row,) = restriction_rows(restrictions.in_force, can_moderate=True)
    assert (row.pk, row.group, row.type_label, row.scope_label) == (active.pk, "in-force", "Temporary restriction", "Posts, 1:1 chat")
    assert row.state_label == "Active" and row.action_text == "Modify or lift" and row.by.startswith("by ")
    assert row.appeal_url == f"/staff/appeals/{active.appeal.pk}/" and row.appeal_label
    (chip,) = row.deliveries
    assert chip.url == f"/staff/notifications/?restriction={active.pk}&state=failed" and len(chip.error) == 60
    (old,) = restriction_rows(restrictions.history, can_moderate=True)
    assert old.pk == ended.pk and old.ended.endswith(": resolved") and old.action_text == "Details"
    assert table.page_links == [1]


def test_a_viewer_only_opens_the_details(channel, moderator):
    restrict(channel, moderator)
    (row,) = restriction_rows(list_case_restrictions(channel=channel).in_force, can_moderate=False)
    assert row.action_text == "Details"
    (group,) = restriction_table(list_case_restrictions(channel=channel), can_moderate=False).groups
    assert "Modify or lift" not in group.rows and "Details" in group.rows


def test_no_restrictions_make_an_empty_table(channel):
    assert not restriction_table(list_case_restrictions(channel=channel), can_moderate=True)


def test_managers_are_named_with_their_verification_and_chat_decision(channel, django_assert_num_queries):
    rows = manager_rows(list_case_managers(channel=channel), channel=channel)

    with django_assert_num_queries(0), translation.override("en"):
        views = {view.email: view for view in manager_views(rows)}

    assert views["master@example.com"].verification_label == "Verified"
    assert views["manager@example.com"].chat_label == "Identity verification required"
    assert views["manager@example.com"].account_url.startswith("/staff/accounts/")


def test_the_audit_trail_links_to_older_entries_only_when_the_case_page_is_full(channel):
    for _ in range(CASE_AUDIT_LIMIT - 1):
        record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel)
    short = case_audit(list_audit(channel), query={"channel": "@bakery"})
    assert short.rows.count("<tr>") == CASE_AUDIT_LIMIT - 1 and short.more_url == ""
    (first, *_rest) = audit_rows(list_audit(channel))
    assert first.actor == "" and first.event_label

    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel)
    full = case_audit(list_audit(channel), query={"channel": "@bakery"})
    assert full.more_url == "/staff/audit/?channel=%40bakery"
