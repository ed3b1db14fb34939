"""Staff two-factor sign-in: enrolment on the first staff sign-in (QR code drawn here and the
secret as text), a code after each sign-in, recovery codes, and a fresh code before applying or
lifting a restriction, deciding an appeal or moving the chat policy date."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor
from core.models import AuditEntry
from restrictions.models import Appeal, RestrictionState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_2FA_REQUIRED = True
    settings.STAFF_STEP_UP_SECONDS = 600


def _code(device) -> str:
    """The app's current code. A TOTP code works once, so each call starts a fresh time step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return f"{TOTP(device.bin_key).token():06d}"


def _enrol(account) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.pending_device(account)
    codes = two_factor.confirm_enrolment(actor=account, device=device, token=_code(device))
    device.refresh_from_db()
    return device, codes


def _sign_in_with_code(client, device):
    response = client.post(reverse("staff:two_factor_verify"), {"code": _code(device), "next": "/staff/"})
    assert response.status_code == 302, response.content.decode()[:500]


def _events(code):
    return list(AuditEntry.objects.filter(event_type=code))


def test_first_staff_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(client_for, moderator):
    client = client_for(moderator)

    # given: a moderator who signed in with a password only
    to_setup = client.get("/staff/queue/")
    assert to_setup.status_code == 302
    assert to_setup["Location"] == reverse("staff:two_factor_setup") + "?next=%2Fstaff%2Fqueue%2F"

    # when: the setup page is shown, the QR code is drawn in the page, and the secret is in text
    page = client.get(to_setup["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert "<svg" in page and "<path" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") == two_factor.secret_text(device).replace(" ", "")

    # a wrong code is refused and nothing is confirmed
    wrong = client.post(to_setup["Location"], {"code": "000000", "next": "/staff/queue/"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()

    # the right one confirms, shows ten recovery codes and lets the moderator in
    done = client.post(to_setup["Location"], {"code": _code(device), "next": "/staff/queue/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/staff/queue/"' in done.content.decode()
    assert client.get("/staff/queue/").status_code == 200
    (enrolled,) = _events(two_factor.TwoFactorAuditEvent.ENROLLED)
    assert enrolled.actor == moderator and enrolled.data["recovery_codes"] == 10

    # and the setup page cannot be used again to replace the authenticator
    assert client.get(reverse("staff:two_factor_setup"))["Location"].startswith(reverse("staff:two_factor_verify"))


def test_an_enrolled_staff_member_enters_a_code_after_each_sign_in(client_for, senior):
    device, _codes = _enrol(senior)
    client = client_for(senior)

    to_verify = client.get("/staff/")
    assert to_verify["Location"] == reverse("staff:two_factor_verify") + "?next=%2Fstaff%2F"
    assert client.post(reverse("staff:two_factor_verify"), {"code": "123456"}).status_code == 400

    response = client.post(reverse("staff:two_factor_verify"), {"code": _code(device), "next": "/staff/"})

    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert not _events(two_factor.TwoFactorAuditEvent.STEPPED_UP)  # signing in is not a step-up


def test_a_recovery_code_works_once_and_is_audited(client_for, viewer):
    _device, codes = _enrol(viewer)
    client = client_for(viewer)

    first = client.post(reverse("staff:two_factor_verify"), {"code": codes[0].upper(), "next": "/staff/"}, follow=True)
    assert first.status_code == 200 and "You used a recovery code" in first.content.decode()
    (used,) = _events(two_factor.TwoFactorAuditEvent.RECOVERY_CODE_USED)
    assert used.actor == viewer and used.data["recovery_codes_left"] == 9
    assert StaticToken.objects.filter(token=codes[0]).count() == 0

    client.logout()
    client = client_for(viewer)
    again = client.post(reverse("staff:two_factor_verify"), {"code": codes[0], "next": "/staff/"})
    assert again.status_code == 400
    assert client.get("/staff/").status_code == 302


def test_the_django_admin_needs_the_code_too(client_for, senior):
    _enrol(senior)
    response = client_for(senior).get("/django-admin/")

    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:two_factor_verify"))


def test_managers_are_not_asked_for_a_second_factor(client_for, master, channel):
    assert client_for(master).get(reverse("channels_admin:dashboard")).status_code == 200


def test_with_two_factor_off_staff_reach_the_area_with_a_password_alone(client_for, moderator, settings):
    settings.STAFF_2FA_REQUIRED = False

    assert client_for(moderator).get("/staff/queue/").status_code == 200


def _stale(client):
    session = client.session
    session[two_factor.CHECKED_AT_SESSION_KEY] = time.time() - 601
    session.save()


def test_lifting_a_restriction_after_the_step_up_window_asks_for_a_code_first(client_for, moderator, restrict, channel):
    restriction = restrict(channel=channel, type="warning", scope="posts")
    device, _codes = _enrol(moderator)
    client = client_for(moderator)
    _sign_in_with_code(client, device)
    _stale(client)
    detail = reverse("staff:restriction_detail", args=[restriction.pk])

    # when: the lift is posted with a code older than the window
    asked = client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "Resolved."},
                        HTTP_REFERER="http://testserver" + detail)

    # then: nothing is lifted; the moderator is asked for a code and sent back to the page
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("staff:two_factor_verify") + "?")
    assert "step_up=1" in asked["Location"]
    restriction.refresh_from_db()
    assert restriction.state != RestrictionState.LIFTED
    back = client.post(asked["Location"], {"code": _code(device), "next": "http://testserver" + detail})
    assert back["Location"] == "http://testserver" + detail
    (stepped,) = _events(two_factor.TwoFactorAuditEvent.STEPPED_UP)
    assert stepped.actor == moderator and stepped.data == {"by": "authenticator"}

    # and now the lift goes through
    client.post(reverse("staff:lift_restriction", args=[restriction.pk]), {"reason": "Resolved."})
    restriction.refresh_from_db()
    assert restriction.state == RestrictionState.LIFTED


def test_a_fresh_code_is_not_asked_again_within_the_window(client_for, moderator, channel):
    device, _codes = _enrol(moderator)
    client = client_for(moderator)
    _sign_in_with_code(client, device)

    assert client.get(reverse("staff:restrict_channel", args=[channel.handle])).status_code == 200


@pytest.mark.parametrize("page", ["restrict_channel", "chat_policy_post", "appeal_post"])
def test_applying_deciding_and_moving_the_policy_ask_for_a_code_after_the_window(client_for, senior, channel, restrict,
                                                                                  master, page):
    device, _codes = _enrol(senior)
    client = client_for(senior)
    _sign_in_with_code(client, device)
    _stale(client)
    before = AuditEntry.objects.count()

    if page == "restrict_channel":
        response = client.get(reverse("staff:restrict_channel", args=[channel.handle]))
    elif page == "chat_policy_post":
        response = client.post(reverse("staff:chat_policy"), {"effective_at": "2030-01-01T00:00", "reason": "Moved."})
    else:
        from restrictions import services

        restriction = restrict(channel=channel, type="warning", scope="posts")
        appeal = services.file_appeal(restriction=restriction, account=master, text="The post was a mistake.")
        before = AuditEntry.objects.count()
        response = client.post(reverse("staff:appeal_detail", args=[appeal.pk]), {"decision": "overturn", "note": "ok"})
        assert Appeal.objects.get(pk=appeal.pk).decided_by is None

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:two_factor_verify") + "?")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("language, title", [("ko", "2단계 인증 설정"), ("vi", "Thiết lập xác thực hai bước")])
def test_the_setup_page_speaks_the_staff_members_language(client_for, moderator, language, title):
    moderator.preferred_language = language
    moderator.save(update_fields=["preferred_language"])

    page = client_for(moderator).get(reverse("staff:two_factor_setup"))

    with translation.override(language):
        assert title in page.content.decode()
