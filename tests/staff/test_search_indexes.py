"""Staff search stays fast on a large table: on PostgreSQL every search shape is answered
from an index (migration restrictions 0003), never by reading the whole table."""

import pytest
from django.db import connection

from channels_admin.models import Account, Channel
from staff.selectors import search as search_selectors

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search indexes are PostgreSQL's")

ROWS = 60_000


@pytest.fixture
def large_tables(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO channels_admin_channel (handle, name, description, picture_url, kind, status, created_at)
            SELECT 'shop-' || n, 'Shop number ' || n, '', '', 'general', 'active', now()
            FROM generate_series(1, %s) AS n
            """,
            [ROWS],
        )
        cursor.execute(
            """
            INSERT INTO channels_admin_account (password, is_superuser, email, full_name, phone_number, preferred_language,
                                                is_active, is_staff, staff_role, date_joined)
            SELECT '!', false, 'person' || n || '@example.com', '', '+8210' || lpad(n::text, 8, '0'), 'ko',
                   true, false, '', now()
            FROM generate_series(1, %s) AS n
            """,
            [ROWS],
        )
        cursor.execute("ANALYZE channels_admin_channel")
        cursor.execute("ANALYZE channels_admin_account")


SEARCH_SHAPES = {
    "public id prefix": lambda: Channel.objects.filter(handle__startswith="shop-4242"),
    "name contains": lambda: Channel.objects.filter(name__icontains="number 4242"),
    "email prefix": lambda: Account.objects.filter(email__startswith="person4242@"),
    "phone prefix": lambda: Account.objects.filter(phone_number__startswith="+82100004242"),
    "what the search box asks for a channel": lambda: search_selectors.channel_search_queryset("number 4242"),
    "what the search box asks for an account": lambda: search_selectors.account_search_queryset("010-0000-4242"),
}


def test_each_search_shape_uses_an_index_and_finds_its_rows(large_tables):
    # One large table for every shape: filling it is the slow part.
    for shape, queryset in SEARCH_SHAPES.items():
        plan = queryset().explain()
        assert "Seq Scan" not in plan, f"{shape}:\n{plan}"

    assert [c.handle for c in search_selectors.search_channels("@shop-59999")] == ["shop-59999"]
    assert "shop-4242" in [c.handle for c in search_selectors.search_channels("number 4242")]
    assert [a.email for a in search_selectors.search_accounts("010-0005-9999")] == ["person59999@example.com"]
