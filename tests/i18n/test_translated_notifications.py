"""The demo story in two languages: restricting @demo-bakery tells its Korean master and its
Vietnamese manager by email, Admin Center notice and KakaoTalk, each in their own language."""

import pytest
from django.core.management import call_command

from channels_admin.models import Account, Channel
from notifications.models import Notice
from restrictions.services.sanctions import apply_restriction

pytestmark = pytest.mark.django_db

KO = "verified@demo.example"
VI = "unverified@demo.example"

# Words of the catalogue each message must carry: the type, the blocked feature, the reason.
EXPECTED = {
    KO: {
        "subject": "@demo-bakery 이용 제한 안내",
        "body": [
            "님, 안녕하세요.",
            "@demo-bakery이(가) 채널 운영정책을 위반하여 운영자가 이용을 제한했습니다.",
            "이용 제한: 일시 제한",
            "제한 기능: 게시물",
            "사유: 채널 운영정책",
            "관리자센터에서 보기",
        ],
        "html": ["님, 안녕하세요.", ">일시 제한<", ">게시물<", ">채널 운영정책<", ">관리자센터에서 보기<"],
        "short": ["일시 제한", "게시물", "채널 운영정책", "이의 제기 방법"],
        "button": "관리자센터 열기",
    },
    VI: {
        "subject": "Thông báo hạn chế đối với @demo-bakery",
        "body": [
            "Xin chào",
            "Đội ngũ vận hành đã hạn chế @demo-bakery do vi phạm chính sách kênh.",
            "Hạn chế: Hạn chế tạm thời",
            "Tính năng bị chặn: Bài đăng",
            "Lý do: Chính sách vận hành kênh",
            "Mở trong Trung tâm quản trị",
        ],
        "html": ["Xin chào", ">Hạn chế tạm thời<", ">Bài đăng<", ">Chính sách vận hành kênh<", ">Mở trong Trung tâm quản trị<"],
        "short": ["Hạn chế tạm thời", "Bài đăng", "Chính sách vận hành kênh", "Cách khiếu nại"],
        "button": "Mở Trung tâm quản trị",
    },
}
ENGLISH = ["Hello", "Our staff restricted", "Temporary restriction", "Blocked features", "Channel operation policy"]


def test_restricting_the_demo_bakery_tells_each_manager_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox, kakaotalk_outbox
):
    # given
    call_command("seed_demo", verbosity=0)
    moderator = Account.objects.get(email="moderator@demo.example")
    bakery = Channel.objects.get(handle="demo-bakery")
    phones = dict(Account.objects.filter(email__in=EXPECTED).values_list("phone_number", "email"))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        apply_restriction(
            actor=moderator, type="temporary", scope=["posts"], reason="operation_policy", channel=bakery, days=7,
        )

    # then: one email each, subject and body in the manager's language
    emails = {m.to[0]: m for m in mailoutbox}
    assert sorted(emails) == sorted(EXPECTED)
    for address, expected in EXPECTED.items():
        email = emails[address]
        html = email.alternatives[0][0]
        assert email.subject == expected["subject"]
        for words in expected["body"]:
            assert words in email.body
        for words in expected["html"]:
            assert words in html
        for english in ENGLISH:
            assert english not in email.body
            assert english not in email.subject

    # and one Admin Center notice each
    for address, expected in EXPECTED.items():
        notice = Notice.objects.get(recipient__email=address, event="restriction_applied")
        assert notice.title == expected["subject"]
        for words in expected["short"]:
            assert words in notice.body
        for english in ENGLISH:
            assert english not in notice.body

    # and one KakaoTalk notification each
    talks = {phones[str(m.recipient_no)]: m for m in kakaotalk_outbox}
    assert sorted(talks) == sorted(EXPECTED)
    for address, expected in EXPECTED.items():
        talk = talks[address]
        assert talk.language == {KO: "ko", VI: "vi"}[address]
        for words in expected["short"]:
            assert words in talk.content
        assert talk.buttons[0]["name"] == expected["button"]
        assert talk.template_parameter["restriction"] in expected["short"]
        for english in ENGLISH:
            assert english not in talk.content
