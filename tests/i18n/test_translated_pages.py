"""A Korean and a Vietnamese account see the Admin Center and the staff area in their language."""

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db

# (language, words the page must show, the English they replace)
DASHBOARD = {
    "ko": ["내 채널", "일반 채널", "마스터", "1:1 채팅 열기", "로그아웃"],
    "vi": ["Kênh của tôi", "Kênh thường", "Chủ kênh", "Mở trò chuyện 1:1", "Đăng xuất"],
}
CHAT = {
    "ko": ["1:1 채팅", "아직 대화가 없습니다."],
    "vi": ["Trò chuyện 1:1", "Chưa có cuộc trò chuyện nào."],
}
STAFF_HOME = {
    "ko": ["운영자 홈", "확인 필요", "검토 대기열", "결정 대기 중인 이의 제기", "사기 탐지 규칙"],
    "vi": ["Trang chủ vận hành", "Cần chú ý", "Hàng đợi kiểm duyệt", "khiếu nại đang chờ quyết định", "Quy tắc phát hiện lừa đảo"],
}
ENGLISH = ["My channels", "Log out", "Staff home", "Needs attention", "No conversations yet"]


def page(client_for, account, url):
    response = client_for(account).get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_translated(body, language, words):
    assert f'<html lang="{language}">' in body
    for word in words:
        assert word in body
    for english in ENGLISH:
        assert english not in body


@pytest.mark.parametrize("language", ["ko", "vi"])
def test_dashboard_speaks_the_managers_language(client_for, language):
    master = AccountFactory(preferred_language=language, verified=True)
    make_channel(master=master, handle="bakery", name="Bakery")

    body = page(client_for, master, reverse("channels_admin:dashboard"))

    assert_translated(body, language, DASHBOARD[language])


@pytest.mark.parametrize("language", ["ko", "vi"])
def test_chat_screen_speaks_the_managers_language(client_for, language):
    master = AccountFactory(preferred_language=language, verified=True)
    make_channel(master=master, handle="bakery", name="Bakery")

    body = page(client_for, master, reverse("channels_admin:chat_inbox", args=["bakery"]))

    assert_translated(body, language, CHAT[language])


@pytest.mark.parametrize("language", ["ko", "vi"])
def test_chat_gate_asks_an_unverified_manager_to_verify_in_their_language(client_for, language):
    master = AccountFactory(preferred_language=language)
    make_channel(master=master, handle="bakery", name="Bakery")

    body = page(client_for, master, reverse("channels_admin:channel_detail", args=["bakery"]))

    expected = {"ko": "본인인증", "vi": "xác minh danh tính"}[language]
    assert expected in body
    assert "Verify your identity" not in body


@pytest.mark.parametrize("language", ["ko", "vi"])
def test_staff_home_speaks_the_staff_members_language(client_for, language):
    moderator = AccountFactory(preferred_language=language, moderator=True)

    body = page(client_for, moderator, reverse("staff:home"))

    assert_translated(body, language, STAFF_HOME[language])


def test_an_english_account_still_sees_english(client_for):
    master = AccountFactory(preferred_language="en", verified=True)
    make_channel(master=master, handle="bakery", name="Bakery")

    body = page(client_for, master, reverse("channels_admin:dashboard"))

    assert "My channels" in body
    assert "내 채널" not in body


@pytest.mark.parametrize("language", ["ko", "en", "vi"])
def test_the_language_switcher_names_each_language_in_itself(client_for, language):
    body = page(client_for, AccountFactory(preferred_language=language), reverse("channels_admin:dashboard"))
    assert '<option value="ko"' in body and ">한국어</option>" in body
    assert ">English</option>" in body and ">Tiếng Việt</option>" in body
    assert f'<option value="{language}" selected>' in body
