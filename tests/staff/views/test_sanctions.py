"""The staff screens for sanctions: apply form with history and escalation, change, lift,
confirm, takedowns, appeal decisions and the audit trail filters."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels_admin.models import Post
from core.models import AuditEntry
from restrictions import selectors, services
from restrictions.models import Appeal, Restriction
from tests.factories import PostFactory, make_channel

pytestmark = pytest.mark.django_db

APPLY = {
    "type": "temporary",
    "scope": ["chat", "posts"],
    "reason": "operation_policy",
    "days": "7",
    "manager_message": "Please stop the ads.",
    "staff_note": "three reports",
}


def restrict(actor, channel, **overrides):
    fields = {"type": "temporary", "scope": ["posts"], "reason": "terms", "days": 3, "manager_message": "x", **overrides}
    if fields["type"] != "temporary":
        fields.pop("days")
    return services.apply_restriction(actor=actor, channel=channel, **fields)


def test_the_apply_form_is_where_the_case_page_links(channel, manager):
    assert reverse("staff:restrict_channel", args=["bakery"]) == "/staff/channels/bakery/restrict/"
    assert reverse("staff:restrict_account", args=[manager.pk]) == f"/staff/accounts/{manager.pk}/restrict/"


@pytest.mark.parametrize(
    "who, status", [("viewer", HTTPStatus.FORBIDDEN), ("manager", HTTPStatus.NOT_FOUND), ("moderator", HTTPStatus.OK)]
)
def test_who_may_open_the_apply_form(client_for, request, channel, who, status):
    assert client_for(request.getfixturevalue(who)).get("/staff/channels/bakery/restrict/").status_code == status


def test_the_apply_form_shows_history_escalation_and_permanent_impact(client_for, channel, moderator, master, manager):
    # given a warning and a temporary restriction on record
    restrict(moderator, channel, type="warning")
    restrict(moderator, channel)
    PostFactory(channel=channel)
    # when a moderator opens the form
    response = client_for(moderator).get("/staff/channels/bakery/restrict/")
    body = response.content.decode()
    # then the prior sanctions are listed and the next step of the ladder is suggested
    assert 'data-testid="prior-sanctions"' in body and "Temporary restriction" in body and "Warning" in body
    assert response.context["suggestion"] == "activity"
    assert response.context["form"].initial["type"] == "activity"
    # and what a permanent restriction would block
    assert master.email in body and manager.email in body
    assert response.context["impact"]["posts"] == 1


def _history_of(channel, kinds):
    from tests.factories import RestrictionFactory

    return [RestrictionFactory(channel=channel, type=kind, expired=True) for kind in kinds]


def test_a_long_history_is_counted_by_type_and_only_the_newest_are_listed(client_for, channel, moderator):
    # given 12 ended warnings and 3 ended temporary restrictions
    _history_of(channel, ["warning"] * 12 + ["temporary"] * 3)
    # when a moderator opens the form
    body = client_for(moderator).get("/staff/channels/bakery/restrict/").content.decode()
    # then every sanction is counted by type, the newest ten listed, and the others linked
    counts = body[body.index('data-testid="sanction-counts"'):body.index('data-testid="prior-sanctions"')]
    assert "15 sanctions on record" in counts
    assert "<th scope=\"row\">Warning</th><td>12</td><td>0</td>" in counts
    assert "<th scope=\"row\">Temporary restriction</th><td>3</td><td>0</td>" in counts
    listed = body[body.index('data-testid="prior-sanctions"'):body.index('data-testid="all-sanctions"')]
    assert listed.count("<tr>") == 1 + selectors.RECENT_SANCTIONS  # the header row and ten
    assert "5 older sanctions: see them all" in body
    assert f'href="{reverse("staff:restriction_list")}?channel=%40bakery"' in body
    # and the next step follows the heaviest sanction that counts
    assert 'data-testid="suggested-step">Activity restriction' in body


def test_the_apply_form_reads_at_most_three_queries_whatever_the_history(
    client_for, channel, moderator, django_assert_max_num_queries
):
    client = client_for(moderator)
    client.get("/staff/channels/bakery/restrict/")
    with django_assert_max_num_queries(3) as few:
        client.get("/staff/channels/bakery/restrict/")
    at_none = len(few.captured_queries)
    _history_of(channel, ["warning"] * 30 + ["activity"] * 5)
    client.get("/staff/channels/bakery/restrict/")  # the history changed: counted afresh once
    with django_assert_max_num_queries(at_none):
        assert "35 sanctions on record" in client.get("/staff/channels/bakery/restrict/").content.decode()


def test_a_sanction_applied_or_overturned_shows_in_the_history_on_the_next_request(
    client_for, channel, moderator, senior, manager
):
    client = client_for(senior)
    assert "No sanctions on record." in client.get("/staff/channels/bakery/restrict/").content.decode()
    restriction = restrict(moderator, channel)
    body = client.get("/staff/channels/bakery/restrict/").content.decode()
    assert "1 sanction on record" in body and 'data-testid="suggested-step">Activity restriction' in body
    appeal = services.file_appeal(restriction=restriction, account=manager, text="no")
    services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="right")
    body = client.get("/staff/channels/bakery/restrict/").content.decode()
    assert "<th scope=\"row\">Temporary restriction</th><td>1</td><td>1</td>" in body
    assert "(overturned on appeal)" in body and 'data-testid="suggested-step">Warning' in body


@pytest.mark.parametrize(
    "history, suggestion",
    [
        ([], "warning"),
        (["warning"], "temporary"),
        (["warning", "warning"], "temporary"),
        (["temporary"], "activity"),
        (["warning", "activity"], "permanent"),
        (["permanent"], "permanent"),
    ],
)
def test_escalation_ladder(history, suggestion):
    assert selectors.suggest_next_type(history) == suggestion


def test_a_sanction_overturned_on_appeal_does_not_count(moderator, senior, channel, manager):
    restriction = restrict(moderator, channel)
    assert selectors.get_sanction_history(channel=channel).suggestion == "activity"
    appeal = services.file_appeal(restriction=restriction, account=manager, text="no")
    services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="right")
    history = selectors.get_sanction_history(channel=channel)
    assert history.suggestion == "warning"
    assert [(c.type, c.on_record, c.counted) for c in history.counts] == [("temporary", 1, 0)]


def test_applying_from_the_form(client_for, channel, moderator):
    response = client_for(moderator).post("/staff/channels/bakery/restrict/", APPLY)
    restriction = Restriction.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("staff:restriction_detail", args=[restriction.pk])
    assert (restriction.scope, restriction.staff_note) == ("chat,posts", "three reports")


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"scope": []}, "Choose at least one feature"),
        ({"days": ""}, "needs an end"),
        ({"type": "permanent"}, "Confirm that you want"),
        ({"manager_message": ""}, "This field is required"),
        ({"days": "3", "ends_at": "2031-01-01T10:00"}, "either a number of days"),
        ({"reason": "vibes"}, "Select a valid choice"),
    ],
)
def test_the_apply_form_explains_what_is_wrong(client_for, channel, senior, changes, error):
    response = client_for(senior).post("/staff/channels/bakery/restrict/", {**APPLY, **changes})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert error in response.content.decode()
    assert not Restriction.objects.exists()


def test_a_moderator_cannot_apply_a_permanent_restriction_from_the_form(client_for, channel, moderator):
    response = client_for(moderator).post("/staff/channels/bakery/restrict/", {**APPLY, "type": "permanent", "confirm_permanent": "on"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only a senior moderator" in response.content.decode()
    assert not Restriction.objects.exists()


def test_permanent_from_the_form_then_confirmed_by_a_second_senior(client, client_for, channel, senior, second_senior):
    client_for(senior).post("/staff/channels/bakery/restrict/", {**APPLY, "type": "permanent", "days": "", "confirm_permanent": "on"})
    restriction = Restriction.objects.get()
    assert (restriction.state, restriction.scope) == ("scheduled", "all")
    detail = client.get(reverse("staff:restriction_detail", args=[restriction.pk])).content.decode()
    assert 'data-testid="needs-confirmation"' in detail and "Confirm the permanent restriction" not in detail
    assert 'data-testid="permanent-impact"' in detail and "master@example.com" in detail and "manager@example.com" in detail
    # the author's own confirmation is refused
    client.post(reverse("staff:confirm_restriction", args=[restriction.pk]))
    assert Restriction.objects.get().state == "scheduled"
    client.logout()
    second = client_for(second_senior)
    assert "Confirm the permanent restriction" in second.get(reverse("staff:restriction_detail", args=[restriction.pk])).content.decode()
    ask = second.post(reverse("staff:confirm_restriction", args=[restriction.pk])).content.decode()
    assert 'data-testid="confirm-page"' in ask and "master@example.com" in ask  # the impact, once more
    assert Restriction.objects.get().state == "scheduled"
    second.post(reverse("staff:confirm_restriction", args=[restriction.pk]), {"confirmed": "yes"})
    assert Restriction.objects.get().state == "active"


def test_restricting_an_account_from_the_form(client_for, manager, moderator):
    response = client_for(moderator).post(f"/staff/accounts/{manager.pk}/restrict/", {**APPLY, "scope": ["chat"]})
    assert response.status_code == HTTPStatus.FOUND
    assert Restriction.objects.get().account == manager


def test_modify_and_lift_from_the_detail_page(client_for, channel, moderator):
    restriction = restrict(moderator, channel)
    client = client_for(moderator)
    bad = client.post(reverse("staff:modify_restriction", args=[restriction.pk]), {"scope": ["chat"], "ends_at": "", "note": "x"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST and "needs an end" in bad.content.decode()
    ok = client.post(
        reverse("staff:modify_restriction", args=[restriction.pk]),
        {"scope": ["chat", "posts"], "ends_at": restriction.ends_at.strftime("%Y-%m-%dT%H:%M"), "note": "wider"},
    )
    assert ok.status_code == HTTPStatus.FOUND
    assert Restriction.objects.get().scope == "chat,posts"
    no_reason = client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": ""})
    assert no_reason.status_code == HTTPStatus.BAD_REQUEST
    ask = client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "resolved"})
    assert ask.status_code == HTTPStatus.OK and 'data-testid="confirm-page"' in ask.content.decode()
    assert Restriction.objects.get().state == "active"
    client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "resolved", "confirmed": "yes"})
    assert Restriction.objects.get().state == "lifted"
    page = client.get(reverse("staff:restriction_detail", args=[restriction.pk])).content.decode()
    assert "Restriction lifted" in page and "Restriction modified" in page


def test_a_viewer_sees_but_cannot_change(client_for, channel, moderator, viewer):
    restriction = restrict(moderator, channel)
    client = client_for(viewer)
    assert client.get(reverse("staff:restriction_detail", args=[restriction.pk])).status_code == HTTPStatus.OK
    assert client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "x"}).status_code == HTTPStatus.FORBIDDEN
    assert Restriction.objects.get().state == "active"


def test_take_down_and_restore_from_the_detail_page(client_for, channel, moderator):
    restriction = restrict(moderator, channel)
    post = PostFactory(channel=channel, title="Free unlock of 1:1 chat")
    client = client_for(moderator)
    page = client.get(reverse("staff:restriction_detail", args=[restriction.pk])).content.decode()
    assert "Free unlock of 1:1 chat" in page
    ask = client.post(reverse("staff:take_down", args=[restriction.pk]), {"kind": "post", "object_id": post.pk})
    assert 'data-testid="confirm-page"' in ask.content.decode() and "Free unlock of 1:1 chat" in ask.content.decode()
    assert Post.objects.visible().filter(pk=post.pk).exists()
    client.post(reverse("staff:take_down", args=[restriction.pk]), {"kind": "post", "object_id": post.pk, "confirmed": "yes"})
    assert not Post.objects.visible().filter(pk=post.pk).exists()
    missing = client.post(reverse("staff:take_down", args=[restriction.pk]), {"kind": "post", "object_id": 999999}, follow=True)
    assert "That content does not exist." in missing.content.decode()
    takedown = restriction.takedowns.get()
    client.post(reverse("staff:restore_takedown", args=[takedown.pk]), {"reason": "fine after all"})
    assert Post.objects.visible().filter(pk=post.pk).exists()


def test_appeal_decision_pages(client_for, channel, moderator, senior, manager):
    restriction = restrict(moderator, channel)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="We fixed it.")
    mod = client_for(moderator)
    listing = mod.get(reverse("staff:appeal_list")).content.decode()
    assert "We fixed it." in listing
    assert mod.post(reverse("staff:appeal_detail", args=[appeal.pk]), {"decision": "overturn", "note": "x"}).status_code == HTTPStatus.FORBIDDEN
    lead = client_for(senior)
    assert lead.post(reverse("staff:appeal_detail", args=[appeal.pk]), {"decision": "overturn", "note": ""}).status_code == HTTPStatus.BAD_REQUEST
    response = lead.post(reverse("staff:appeal_detail", args=[appeal.pk]), {"decision": "overturn", "note": "Agreed."})
    assert response.status_code == HTTPStatus.FOUND
    assert Appeal.objects.get().state == "overturned" and Restriction.objects.get().state == "lifted"
    assert "Overturned" in lead.get(reverse("staff:appeal_detail", args=[appeal.pk])).content.decode()


def test_audit_trail_filters_by_channel_account_actor_and_date(client_for, channel, moderator, senior, manager, viewer):
    other = make_channel(handle="other")
    restrict(moderator, channel)
    restrict(senior, other)
    services.apply_restriction(actor=moderator, type="warning", scope="chat", reason="terms", account=manager)
    client = client_for(viewer)

    def ids(query):
        return [e.pk for e in client.get(reverse("staff:audit_list"), query).context["page"]]

    assert len(ids({})) == 3
    assert ids({"channel": "@bakery"}) == list(AuditEntry.objects.filter(channel=channel).values_list("pk", flat=True))
    assert ids({"account": manager.email}) == list(AuditEntry.objects.filter(account=manager).values_list("pk", flat=True))
    assert ids({"actor": senior.email}) == list(AuditEntry.objects.filter(actor=senior).values_list("pk", flat=True))
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    assert len(ids({"date_from": today, "date_to": today})) == 3
    assert ids({"date_from": "2001-01-01", "date_to": "2001-01-02"}) == []
    bad = client.get(reverse("staff:audit_list"), {"channel": "@nowhere", "date_from": "x"})
    assert bad.status_code == HTTPStatus.OK and "No channel @nowhere" in bad.content.decode()
    assert list(bad.context["page"]) == []


@pytest.mark.parametrize("url", ["/staff/restrictions/", "/staff/appeals/?state=", "/staff/audit/", "/staff/channels/bakery/restrict/"])
def test_list_pages_cost_the_same_queries_at_10_and_1000_rows(client_for, channel, moderator, manager, url):
    client = client_for(moderator)

    def grow(n):
        # restrictions on the case channel and on other channels, each with an appeal and audit entries
        from core.audit import AuditRecord, record_audit_many

        others = [make_channel() for _ in range(3)]
        rows = Restriction.objects.bulk_create(
            Restriction(channel=[channel, *others][i % 4], type="warning", scope="posts", reason="terms", created_by=moderator)
            for i in range(n)
        )
        Appeal.objects.bulk_create(Appeal(restriction=r, account=manager, text="please") for r in rows)
        record_audit_many(
            AuditRecord(event_type="restriction_applied", actor_id=moderator.pk, channel_id=r.channel_id, restriction_id=r.pk)
            for r in rows
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(ctx)

    grow(10)
    count()  # the first request keeps the account and its unread count for the next
    small = count()
    grow(990)  # 1,000 restrictions, appeals and audit entries
    count()  # what is kept between requests and changed (new channels) is read afresh once
    assert count() == small


def test_the_restriction_page_shows_its_appeal_and_offers_changes_only_while_open(client_for, channel, moderator, viewer, manager):
    restriction = restrict(moderator, channel)
    url = reverse("staff:restriction_detail", args=[restriction.pk])

    # without an appeal: when it may still be appealed, and the forms for a moderator only
    page = client_for(moderator).get(url).content.decode()
    assert "None yet; possible until" in page and "Save the change" in page and "Lift the restriction" in page
    client = client_for(viewer)
    assert "Save the change" not in client.get(url).content.decode()

    # with an appeal: its state links to it, for the same number of queries
    with CaptureQueriesContext(connection) as without_appeal:
        client.get(url)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="We fixed it.")
    with CaptureQueriesContext(connection) as with_appeal:
        page = client.get(url).content.decode()
    assert f'href="{reverse("staff:appeal_detail", args=[appeal.pk])}">Waiting for a decision' in page
    assert len(with_appeal) == len(without_appeal)

    # once lifted: no forms, even for a moderator
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    page = client_for(moderator).get(url).content.decode()
    assert "Save the change" not in page and "Lift the restriction" not in page and "Restriction lifted" in page
