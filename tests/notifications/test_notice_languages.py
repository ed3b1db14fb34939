"""Service notices in the reader's language: the versions, the fallback order, the service,
the staff form, the command and the seeded policy notice."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import ServiceNotice
from notifications.services import NoticeError, publish_service_notice
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _notice(**fields):
    return publish_service_notice(actor=None, **{"title": "Maintenance", "body": "Down on Sunday.", **fields})


def test_each_reader_gets_their_language_else_the_original_else_another():
    notice = _notice(language="en", translations={"ko": ("점검 안내", "일요일에 점검합니다.")})
    assert notice.text_for("ko").title == "점검 안내"
    assert notice.text_for("ko-kr").title == "점검 안내"
    assert notice.text_for("vi").title == "Maintenance"  # no Vietnamese: the original
    assert notice.missing_languages == ["vi"]
    # an original in Korean and only a Vietnamese version: English readers get the Korean original
    other = _notice(title="점검 안내", body="일요일", language="ko", translations={"vi": ("Bảo trì", "Chủ nhật")})
    assert other.text_for("en").language == "ko"


@pytest.mark.parametrize("fields, message", [
    ({"translations": {"ko": ("점검", "")}}, "The Korean version needs a text."),
    ({"translations": {"vi": ("", "Chủ nhật")}}, "The Vietnamese version needs a title."),
    ({"translations": {"en": ("Again", "Twice")}}, "The English version is the original: give it once."),
    ({"translations": {"fr": ("Maintenance", "Dimanche")}}, "Unknown language fr: use ko, en or vi."),
    ({"language": "ja"}, "Unknown language ja: use ko, en or vi."),
    ({"title": ""}, "A notice needs a title."),
])
def test_incomplete_versions_are_refused_and_nothing_is_written(fields, message):
    with pytest.raises(NoticeError, match=message):
        _notice(**fields)
    assert not ServiceNotice.objects.exists()


@pytest.mark.parametrize("language, title, body", [
    ("ko", "점검 안내", "일요일 새벽에 점검합니다."),
    ("en", "Maintenance", "Down on Sunday."),
    ("vi", "Bảo trì", "Hệ thống tạm dừng vào Chủ nhật."),
])
def test_the_board_and_the_notice_page_speak_the_readers_language(client_for, channel, language, title, body):
    notice = _notice(language="en", translations={"ko": ("점검 안내", "일요일 새벽에 점검합니다."),
                                                  "vi": ("Bảo trì", "Hệ thống tạm dừng vào Chủ nhật.")})
    reader = AccountFactory(preferred_language=language)
    channel.managers.create(account=reader, role="manager")
    client = client_for(reader)
    board = client.get(reverse("notifications:board")).content.decode()
    assert f'<strong lang="{language}">{title}</strong>' in board
    page = client.get(reverse("notifications:service_notice_detail", args=[notice.pk])).content.decode()
    assert f"<h1>{title}</h1>" in page and body in page


def test_the_staff_form_edits_every_language_and_shows_the_missing_ones(client_for, moderator):
    client = client_for(moderator)
    empty = client.get(reverse("staff_notifications:notices")).content.decode()
    for code in ("ko", "en", "vi"):
        assert f'data-testid="notice-version-{code}"' in empty
        assert f'name="title_{code}"' in empty and f'name="body_{code}"' in empty
    # a Korean original with a title but no text, and an English title without its text
    response = client.post(reverse("staff_notifications:notices"), {
        "language": "ko", "title_ko": "점검 안내", "body_ko": "", "title_en": "Maintenance", "audience": "all",
    })
    assert response.status_code == 400 and not ServiceNotice.objects.exists()
    page = response.content.decode()
    assert "The original language needs a text." in page and "A title needs its text." in page
    vi_part = page.split('data-testid="notice-version-vi"')[1].split("</fieldset>")[0]
    assert 'data-testid="version-missing"' in vi_part
    # then complete in Korean and English
    client.post(reverse("staff_notifications:notices"), {
        "language": "ko", "title_ko": "점검 안내", "body_ko": "일요일", "title_en": "Maintenance", "body_en": "Sunday",
        "audience": "all",
    })
    notice = ServiceNotice.objects.get()
    assert (notice.language, notice.title, notice.translations) == ("ko", "점검 안내", {"en": {"title": "Maintenance", "body": "Sunday"}})
    listing = client.get(reverse("staff_notifications:notices")).content.decode()
    assert "vi missing" in listing.split('data-testid="notice-languages"')[1].split("</td>")[0]


def test_the_staff_form_speaks_korean(client_for):
    lead = AccountFactory(moderator=True, preferred_language="ko")
    page = client_for(lead).get(reverse("staff_notifications:notices")).content.decode()
    assert "원문 언어" in page and "없음" in page


def test_publish_notice_takes_a_title_and_text_per_language():
    out = StringIO()
    call_command(
        "publish_notice", "--language", "ko", "--title-ko", "점검 안내", "--body-ko", "일요일",
        "--title-vi", "Bảo trì", "--body-vi", "Chủ nhật", "--json", stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["language"] == "ko" and data["languages"] == ["ko", "vi"] and data["missing_languages"] == ["en"]
    notice = ServiceNotice.objects.get()
    assert notice.text_for("vi").body == "Chủ nhật" and notice.text_for("en").title == "점검 안내"


def test_publish_notice_keeps_title_and_body_as_the_original():
    out = StringIO()
    call_command("publish_notice", "--title", "Maintenance", "--body", "Sunday", "--title-ko", "점검", "--body-ko", "일요일",
                 stdout=out)
    notice = ServiceNotice.objects.get()
    assert (notice.language, notice.title, notice.text_for("ko").title) == ("en", "Maintenance", "점검")
    assert "No version in vi" in out.getvalue()


def test_publish_notice_with_one_version_takes_it_as_the_original():
    call_command("publish_notice", "--title-vi", "Bảo trì", "--body-vi", "Chủ nhật", stdout=StringIO())
    assert ServiceNotice.objects.get().language == "vi"


@pytest.mark.parametrize("args, message", [
    (["--title", "A", "--body", "B", "--title-en", "C", "--body-en", "D"], "do not give --title-en as well"),
    (["--language", "ko", "--title-vi", "A", "--body-vi", "B"], "Give the original \\(ko\\) version"),
    (["--title-ko", "점검"], "The Korean version needs a text|A notice needs a text"),
])
def test_publish_notice_refuses_unclear_versions(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("publish_notice", *args, stdout=StringIO())
    assert not ServiceNotice.objects.exists()


def test_the_seeded_policy_notice_says_everything_in_every_language():
    from staff.demo_notices import seed_demo_notices

    seed_demo_notices()
    notice = ServiceNotice.objects.get()
    required = {
        "ko": ["2023년 12월 4일", "모든 채널 관리자", "비즈니스 채널", "1:1 채팅 이용이 제한", "영구 제한", "카카오톡", "판매", "대행"],
        "en": ["4 December 2023", "all channel managers", "business channels", "cannot use 1:1 chat", "permanent restriction",
               "KakaoTalk", "never sells", "outside company"],
        "vi": ["4/12/2023", "tất cả quản trị viên kênh", "kênh doanh nghiệp", "không dùng được trò chuyện 1:1",
               "hạn chế vĩnh viễn", "KakaoTalk", "không bao giờ bán", "công ty bên ngoài"],
    }
    for language, phrases in required.items():
        text = notice.text_for(language)
        assert text.language == language
        for phrase in phrases:
            assert phrase in text.body, (language, phrase)
