"""A person's own settings page: the language they are spoken to in and the zone they read
dates in."""

import re
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse

from notifications.models import Notice

pytestmark = pytest.mark.django_db

URL = reverse("channels_admin:account_settings")


def test_the_header_links_to_the_settings_page_which_shows_the_current_choices(client_for, master):
    master.preferred_language = "en"
    master.time_zone = "Asia/Ho_Chi_Minh"
    master.save()
    client = client_for(master)
    assert f'href="{URL}"' in client.get(reverse("channels_admin:dashboard")).content.decode()
    body = client.get(URL).content.decode()
    assert '<option value="en" selected>' in body
    assert '<option value="Asia/Ho_Chi_Minh" selected>' in body
    assert "The service&#x27;s time zone (Asia/Seoul)" in body


def test_saving_switches_language_and_zone_and_dates_follow(client_for, master):
    master.preferred_language = "en"
    master.save()
    notice = Notice.objects.create(recipient=master, event="restriction_applied", title="T", body="B",
                                   created_at=datetime(2026, 3, 1, 12, 0, tzinfo=dt_timezone.utc))
    client = client_for(master)
    response = client.post(URL, {"language": "vi", "time_zone": "America/New_York"}, follow=True)
    assert "Đã lưu cài đặt của bạn." in response.content.decode()
    master.refresh_from_db()
    assert (master.preferred_language, master.time_zone) == ("vi", "America/New_York")
    body = client.get(reverse("notifications:notice_detail", args=[notice.pk])).content.decode()
    assert "07:00, 1 tháng 3, 2026" in body  # 12:00 UTC read in New York (EST, UTC-5), in Vietnamese


def test_an_empty_zone_means_the_service_zone(client_for, master):
    master.time_zone = "Europe/Berlin"
    master.save()
    client_for(master).post(URL, {"language": "ko", "time_zone": ""})
    master.refresh_from_db()
    assert master.time_zone == ""


@pytest.mark.parametrize("data", [
    {"language": "xx", "time_zone": "Asia/Seoul"},
    {"language": "en", "time_zone": "Mars/Olympus_Mons"},
    {"language": "en", "time_zone": "x" * 500},
    {},
])
def test_unknown_values_are_refused_with_an_error_and_nothing_changes(client_for, master, data):
    master.preferred_language = "en"
    master.time_zone = "Asia/Seoul"
    master.save()
    response = client_for(master).post(URL, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    master.refresh_from_db()
    assert (master.preferred_language, master.time_zone) == ("en", "Asia/Seoul")


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_time_zone_picker_offers_the_common_zones_first_then_each_region(client_for, master):
    master.preferred_language = "ko"
    master.save()

    body = client_for(master).get(URL).content.decode()
    picker = body[body.index('<select name="time_zone"') : body.index("</select>", body.index('<select name="time_zone"'))]
    groups = re.findall(r'<optgroup label="([^"]+)">', picker)
    common = picker[picker.index('<optgroup label="자주 쓰는 시간대">') : picker.index("</optgroup>")]

    assert groups[0] == "자주 쓰는 시간대"
    assert {"아시아", "유럽", "아메리카", "태평양"} <= set(groups[1:])
    assert re.findall(r'<option value="([^"]+)"', common)[:3] == ["Asia/Seoul", "Asia/Ho_Chi_Minh", "UTC"]
    assert "서울 (UTC+09:00)" in common and "호찌민 (UTC+07:00)" in common
    assert picker.count('value="Asia/Seoul"') == 1  # a common zone is not listed twice
    assert "US/Pacific" not in picker


def test_a_common_zone_outside_the_regions_can_be_chosen(client_for, master):
    client_for(master).post(URL, {"language": "en", "time_zone": "UTC"})

    master.refresh_from_db()
    assert master.time_zone == "UTC"


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [("senior", "/staff/"), ("viewer", "/staff/"), ("master", "/")],
)
def test_staff_land_in_the_staff_area_after_signing_in_and_managers_on_their_channels(request, client, password, who, lands_on):
    account = request.getfixturevalue(who)

    response = client.post(reverse("login"), {"username": account.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_a_next_address_still_wins_for_staff(client, senior, password):
    response = client.post(reverse("login") + "?next=/notifications/notices/", {"username": senior.email, "password": password})

    assert response["Location"] == "/notifications/notices/"
