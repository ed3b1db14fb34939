"""Messages to managers: the lifted text says what is usable again and what still blocks, the
in-app notice has a button instead of a raw address, links use SITE_URL, long Korean and
Vietnamese subjects keep their first word on the Subject line, and ``make run`` sets
SITE_URL from HOST and PORT."""

import email
import email.policy
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from notifications.mail import ProductEmail
from notifications.models import Notice
from restrictions.services import apply_restriction, lift_restriction

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _lift(moderator, restriction, capture):
    with capture(execute=True):
        lift_restriction(restriction=restriction, actor=moderator, reason="Resolved.")


def test_lifted_names_what_is_usable_again_and_what_still_blocks(
    channel, master, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://admin.example"
    with django_capture_on_commit_callbacks(execute=True):
        lifted = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat", "posts"], reason="terms", days=30)
        apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["chat"], reason="terms", days=3)
    mailoutbox.clear()
    _lift(moderator, lifted, django_capture_on_commit_callbacks)
    mail = next(m for m in mailoutbox if m.to == [master.email])
    assert "Usable again: Posts." in mail.body
    assert "Other restrictions still block:" in mail.body
    assert "- Temporary restriction: 1:1 chat (until " in mail.body
    assert "Every feature it blocked can be used again" not in mail.body
    assert f"https://admin.example/restrictions/{lifted.pk}/" in mail.body
    html = mail.alternatives[0][0]
    assert "<li>Temporary restriction: 1:1 chat (until " in html


def test_lifted_with_nothing_else_in_force_names_every_feature_back(
    channel, master, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts", "profile"],
                                        reason="terms", days=30)
    mailoutbox.clear()
    _lift(moderator, restriction, django_capture_on_commit_callbacks)
    body = next(m for m in mailoutbox if m.to == [master.email]).body
    assert "Every feature it blocked can be used again: Posts, Channel profile." in body
    assert "still block" not in body


@pytest.mark.parametrize("language, usable, still", [
    ("ko", "다시 이용할 수 있는 기능: 게시물.", "다른 이용 제한이 계속 적용되는 기능:"),
    ("vi", "Có thể dùng lại: Bài đăng.", "Các hạn chế khác vẫn chặn:"),
])
def test_lifted_speaks_the_managers_language(channel, master, moderator, mailoutbox, django_capture_on_commit_callbacks,
                                             language, usable, still):
    master.preferred_language = language
    master.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        lifted = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat", "posts"], reason="terms", days=30)
        apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["chat"], reason="terms", days=2)
    mailoutbox.clear()
    _lift(moderator, lifted, django_capture_on_commit_callbacks)
    body = next(m for m in mailoutbox if m.to == [master.email]).body
    assert usable in body and still in body


def test_the_in_app_notice_has_a_button_not_a_raw_address(
    channel, master, moderator, client_for, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://admin.example"
    with django_capture_on_commit_callbacks(execute=True):
        restriction = apply_restriction(actor=moderator, channel=channel, type="activity", scope=["posts"], reason="terms", days=30)
    notice = Notice.objects.get(recipient=master)
    assert "http" not in notice.body
    page = client_for(master).get(reverse("notifications:notice_detail", args=[notice.pk])).content.decode()
    assert f"<a class=\"btn\" href=\"/restrictions/{restriction.pk}/\">" in page  # in the app itself, a relative link


@pytest.mark.parametrize("subject", [
    "채널 @demo-bakery에 대한 이용 제한(활동 제한)이 적용되었습니다: 1:1 채팅, 게시물, 메시지 발송, 유료 서비스",
    "Hạn chế đối với kênh @demo-bakery đã được áp dụng (hạn chế hoạt động): trò chuyện 1:1, bài đăng, tin nhắn",
    "A restriction was applied on @demo-bakery (activity restriction): 1:1 chat, posts, broadcast messages, paid services",
    "짧은 제목",
])
def test_long_subjects_are_not_folded_to_a_leading_space(subject):
    raw = ProductEmail(subject=subject, body="x", from_email="a@example.com", to=["b@example.com"]).message().as_bytes()
    header_lines = raw.decode().split("\n\n")[0].splitlines()
    subject_line = next(line for line in header_lines if line.startswith("Subject:"))
    assert subject_line.strip() != "Subject:"  # the first word is on the Subject line
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject


def test_a_korean_restriction_email_has_a_clean_subject(channel, master, moderator, mailoutbox, django_capture_on_commit_callbacks):
    master.preferred_language = "ko"
    master.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_restriction(actor=moderator, channel=channel, type="activity", scope=["chat", "posts", "broadcast"], reason="terms", days=30)
    mail = next(m for m in mailoutbox if m.to == [master.email])
    parsed = email.message_from_bytes(mail.message().as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == mail.subject and not parsed["Subject"].startswith(" ")


def test_verification_completed_promises_nothing_the_gate_may_refuse(master):
    from notifications.rendering import render_message

    message = render_message(event="verification_completed", recipient=master, context={})
    assert "every channel you manage" not in message.text
    assert "status page" in message.text


def test_make_run_derives_site_url_from_host_and_port():
    out = subprocess.run(["make", "-n", "run", "HOST=10.1.2.3", "PORT=9001"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "export SITE_URL='http://10.1.2.3:9001'" in out and "runserver 10.1.2.3:9001" in out
    default = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "export SITE_URL='http://127.0.0.1:8000'" in default
