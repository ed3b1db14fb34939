import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from restrictions.models import Restriction

pytestmark = pytest.mark.django_db


def test_one_round_runs_every_periodic_task_and_expires_what_is_due(channel):
    # given a temporary restriction whose end has passed
    now = timezone.now()
    restriction = Restriction.objects.create(
        channel=channel, type="temporary", scope="posts", reason="terms",
        state="active", starts_at=now - timedelta(days=2), ends_at=now - timedelta(minutes=1),
    )
    # when the embedded periodic runner does one round
    out = StringIO()
    call_command("run_periodic", "--once", "--json", stdout=out)
    # then every task of the beat schedule ran, and the restriction expired
    outcome = json.loads(out.getvalue())
    assert "restrictions.expire_due_restrictions" in outcome
    assert set(outcome.values()) == {"ok"}
    restriction.refresh_from_db()
    assert restriction.state == "expired"


def test_a_non_positive_interval_is_refused():
    with pytest.raises(CommandError, match="positive"):
        call_command("run_periodic", "--interval", "0")
