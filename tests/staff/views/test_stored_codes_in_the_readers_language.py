"""What the code stored as a code (or as one fixed English sentence) reads in the staff
member's own language; what staff typed reads as typed."""

import re

import pytest
from django.urls import reverse

from core.audit import record_audit
from restrictions.models import RestrictionAuditEvent
from restrictions.services.sweep import LIFT_REASON_POLICY
from tests.factories import AccountFactory, DeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_lead(db):
    return AccountFactory(senior=True, preferred_language="ko")


def _reasons(body: str) -> list[str]:
    table = body[body.index('data-testid="audit-list"') :]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[: table.index("</table>")], re.S)
    return [re.findall(r"<td>(.*?)</td>", row, re.S)[-1].strip() for row in rows[1:]]


def test_audit_reasons_written_by_the_code_read_in_the_readers_language(client_for, channel, korean_lead):
    # given: a restriction applied in English without a note, one with a note typed in Korean,
    # a sweep lift and a failed identity check
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel,
                 reason="Impersonation or fraud", data={"after": {"reason": "impersonation_fraud"}, "staff_note": ""})
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel,
                 reason="신고 3건 확인", data={"after": {"reason": "terms"}, "staff_note": "신고 3건 확인"})
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_LIFTED, channel=channel, reason=LIFT_REASON_POLICY)
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel, reason="identity_unverified")

    # when
    body = client_for(korean_lead).get(reverse("staff:audit_list")).content.decode()

    # then: newest first
    assert _reasons(body) == ["본인인증 미완료", "1:1 채팅 본인인증 규칙이 아직 시행되지 않았어요.", "신고 3건 확인", "사칭 또는 사기"]


def test_the_delivery_counts_name_each_state_in_the_readers_language(client_for, korean_lead):
    DeliveryFactory.create_batch(2, sent=True)
    DeliveryFactory(failed=True)

    body = client_for(korean_lead).get(reverse("staff_notifications:deliveries")).content.decode()
    counts = body[body.index('data-testid="delivery-counts"') :]
    counts = counts[: counts.index("</p>")]

    assert "sent:" not in counts and "failed:" not in counts
    assert re.findall(r'class="status status-(\w+)">([^<]+) <span class="pill-count">(\d+)</span>', counts) == [
        ("sent", "발송 완료", "2"),
        ("failed", "실패", "1"),
    ]
