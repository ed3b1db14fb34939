"""Django's admin list of restrictions stays cheap on a large table: fifty rows a page, one
count (none over the whole table where PostgreSQL estimates it), no query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin import EstimatedCountPaginator
from restrictions.models import Restriction
from tests.factories import AccountFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:restrictions_restriction_changelist")


@pytest.fixture
def admin_client_for_superuser(client):
    client.force_login(AccountFactory(is_staff=True, is_superuser=True), backend="django.contrib.auth.backends.ModelBackend")
    return client


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"] and "restrictions_restriction" in q["sql"]]


def test_the_list_shows_fifty_rows_with_a_query_count_that_does_not_grow(admin_client_for_superuser):
    RestrictionFactory.create_batch(3, expired=True)
    admin_client_for_superuser.get(LIST)
    with CaptureQueriesContext(connection) as few:
        admin_client_for_superuser.get(LIST)
    RestrictionFactory.create_batch(60, expired=True)
    with CaptureQueriesContext(connection) as many:
        page = admin_client_for_superuser.get(LIST)
    assert len(many) == len(few)
    assert len(_counts(many.captured_queries)) <= 1  # no second count for "show all"
    assert page.content.decode().count('<th class="field-id">') == 50
    assert "63 restrictions" in page.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_the_unfiltered_list_of_a_large_table_is_numbered_from_the_estimate(admin_client_for_superuser, monkeypatch):
    RestrictionFactory.create_batch(30, expired=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE restrictions_restriction")
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 10)
    with CaptureQueriesContext(connection) as unfiltered:
        assert admin_client_for_superuser.get(LIST).status_code == 200
    assert _counts(unfiltered.captured_queries) == []
    # a filtered list is counted exactly
    Restriction.objects.filter(pk=Restriction.objects.order_by("pk").values("pk")[:1]).update(state="lifted")
    with CaptureQueriesContext(connection) as filtered:
        page = admin_client_for_superuser.get(LIST, {"state__exact": "lifted"}).content.decode()
    assert len(_counts(filtered.captured_queries)) == 1 and "1 restriction" in page


def test_the_paginator_counts_exactly_below_its_threshold_and_when_filtered():
    RestrictionFactory.create_batch(4, expired=True)
    assert EstimatedCountPaginator(Restriction.objects.order_by("-pk"), 50).count == 4
    assert EstimatedCountPaginator(Restriction.objects.filter(state="active").order_by("-pk"), 50).count == 0
