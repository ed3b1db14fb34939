import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench import loaddata
from channels_admin.models import Account, Channel, ChannelManager, Message
from notifications.models import Delivery, Notice
from restrictions.audit import entry_digest
from restrictions.models import AuditEntry, Restriction

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the load generator writes with PostgreSQL's COPY")

TINY = ["--channels", "90", "--managers-per-channel", "2", "--conversations", "30", "--heavy-conversations", "15",
        "--messages-per-conversation", "3", "--restrictions", "40"]


def _generate(capsys, *extra):
    call_command("generate_load_data", *TINY, "--json", *extra)
    return json.loads(capsys.readouterr().out)


def test_fills_every_table_with_the_counts_asked_for(db, capsys):
    # when
    result = _generate(capsys)

    # then
    assert Channel.objects.count() == 90
    assert ChannelManager.objects.count() == 180
    assert Account.objects.count() == 180 + len(loaddata.PERSONAS)
    assert Message.objects.count() == 90
    assert Restriction.objects.count() == 40
    assert result["rows"]["deliveries"] == Delivery.objects.count() > 0
    assert Notice.objects.filter(recipient__email="bench-light@bench.example").count() == 10
    assert ChannelManager.objects.filter(account__email="bench-heavy@bench.example").count() == loaddata.HEAVY_CHANNELS


def test_the_audit_trail_is_a_valid_hash_chain(db, capsys):
    _generate(capsys)

    prev = ""
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.entry_hash == entry_digest(entry)
        prev = entry.entry_hash


def test_rows_reference_each_other_and_sequences_continue(db, capsys):
    _generate(capsys)

    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FROM notifications_delivery d
                          LEFT JOIN channels_admin_account a ON a.id = d.recipient_id WHERE a.id IS NULL""")
        assert cursor.fetchone()[0] == 0
    # new rows made the ordinary way get fresh ids
    account = Account.objects.create_user("after@example.com", "x")
    assert account.pk > max(Account.objects.exclude(pk=account.pk).values_list("pk", flat=True))


def test_the_same_seed_gives_the_same_data(db, capsys):
    _generate(capsys, "--seed", "7")
    first = list(Restriction.objects.order_by("id").values_list("type", "scope", "state", "channel_id", "account_id"))
    _generate(capsys, "--seed", "7", "--flush")
    assert list(Restriction.objects.order_by("id").values_list("type", "scope", "state", "channel_id", "account_id")) == first


def test_refuses_a_database_that_already_has_data(db, capsys):
    Account.objects.create_user("someone@example.com", "x")

    with pytest.raises(CommandError, match="already has"):
        call_command("generate_load_data", *TINY)

    assert Account.objects.count() == 1


def test_refuses_impossible_sizes(db):
    with pytest.raises(CommandError, match="--channels must be at least"):
        call_command("generate_load_data", "--channels", "5")
