"""Staff confirm before what is hard to undo: the page says what will happen, and only the
confirmed POST does it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from channels_admin.models import Post
from restrictions.models import Restriction
from restrictions.services import apply_restriction
from tests.factories import AccountFactory, PostFactory

pytestmark = pytest.mark.django_db


def _facts(body):
    return body.split('data-testid="confirm-facts"')[1].split("</ul>")[0]


def test_lifting_says_what_comes_back_and_what_still_blocks(client_for, channel, moderator):
    lifted = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat", "posts"], reason="terms", days=30)
    other = apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["chat"], reason="terms", days=2)
    response = client_for(moderator).post(reverse("staff:lift_restriction", args=[lifted.pk]), {"reason": "Fixed."})
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    facts = _facts(body)
    assert "Usable again: Posts." in facts
    assert f"Still blocked by #{other.pk} Temporary restriction: 1:1 chat" in facts
    assert "“Fixed.”" in facts
    # the confirming form carries the reason and the confirmation
    assert '<input type="hidden" name="reason" value="Fixed.">' in body
    assert '<input type="hidden" name="confirmed" value="yes">' in body
    assert Restriction.objects.get(pk=lifted.pk).state == "active"


def test_a_takedown_from_the_case_page_asks_first(client_for, channel, moderator):
    restriction = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts"], reason="terms", days=30)
    post = PostFactory(channel=channel, title="Unlock chat for a fee")
    client = client_for(moderator)
    response = client.post(reverse("staff:take_down", args=[restriction.pk]), {"kind": "post", "object_id": post.pk})
    body = response.content.decode()
    assert "Take this content down?" in body and "Unlock chat for a fee" in body
    assert f"It is kept with restriction #{restriction.pk}, not deleted" in body
    assert Post.objects.visible().filter(pk=post.pk).exists()


def test_the_confirmation_speaks_korean(client_for, channel, moderator):
    lead = AccountFactory(moderator=True, preferred_language="ko")
    restriction = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts"], reason="terms", days=30)
    body = client_for(lead).post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "해결됨"}).content.decode()
    assert "이용 제한 #" in body and "해제할까요?" in body and "다시 이용할 수 있는 기능: 게시물." in body
