"""The staff form for a message to managers says in which languages its readers read it."""

import pytest
from django.urls import reverse

from restrictions import services
from tests.factories import AccountFactory, RestrictionFactory

pytestmark = pytest.mark.django_db


def _part(body):
    return body.split('data-testid="reader-languages"')[1].split("</p>")[0]


def test_the_restrict_form_counts_the_managers_by_language(client_for, channel, master, manager, moderator):
    master.preferred_language, manager.preferred_language = "ko", "vi"
    master.save(), manager.save()
    channel.managers.create(account=AccountFactory(preferred_language="ko"), role="manager")
    body = client_for(moderator).get(reverse("staff:restrict_channel", args=["bakery"])).content.decode()
    part = _part(body)
    assert "Korean (2 managers)" in part and "Vietnamese (1 manager)" in part
    assert part.index("Korean") < part.index("Vietnamese")
    assert "write it in each of these languages" in part


def test_an_account_restriction_names_that_accounts_language(client_for, manager, moderator):
    manager.preferred_language = "vi"
    manager.save()
    body = client_for(moderator).get(reverse("staff:restrict_account", args=[manager.pk])).content.decode()
    assert "Vietnamese (1 manager)" in _part(body) and "write it in this language" in _part(body)


def test_a_korean_moderator_reads_the_hint_in_korean(client_for, channel, master, manager):
    master.preferred_language = manager.preferred_language = "vi"
    master.save(), manager.save()
    lead = AccountFactory(moderator=True, preferred_language="ko")
    body = client_for(lead).get(reverse("staff:restrict_channel", args=["bakery"])).content.decode()
    assert "베트남어(관리자 2명)" in _part(body)


def test_the_change_and_lift_forms_say_who_reads_their_text(client_for, channel, master, manager, moderator):
    master.preferred_language, manager.preferred_language = "ko", "vi"
    master.save(), manager.save()
    restriction = RestrictionFactory(channel=channel, type="temporary")
    body = client_for(moderator).get(reverse("staff:restriction_detail", args=[restriction.pk])).content.decode()
    hints = body.split('data-testid="reader-languages"')[1:]
    assert len(hints) == 2  # under the change's note and under the lift's reason
    assert all("Korean (1 manager)" in h.split("</p>")[0] and "Vietnamese (1 manager)" in h.split("</p>")[0] for h in hints)


def test_the_appeal_decision_says_who_reads_the_note(client_for, channel, master, manager, senior):
    master.preferred_language = manager.preferred_language = "vi"
    master.save(), manager.save()
    restriction = RestrictionFactory(channel=channel, type="temporary")
    appeal = services.file_appeal(restriction=restriction, account=manager, text="We fixed it.")
    body = client_for(senior).get(reverse("staff:appeal_detail", args=[appeal.pk])).content.decode()
    assert "Vietnamese (2 managers)" in _part(body) and "write it in this language" in _part(body)
