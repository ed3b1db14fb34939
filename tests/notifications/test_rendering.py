"""What the messages say: per event, in the recipient's language and the site's time zone."""

import pytest

from notifications.models import Delivery, DeliveryChannel, Notice, NotificationEvent
from notifications.rendering import render_message
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

RESTRICTION_EVENTS = [e for e in NotificationEvent.values if e != NotificationEvent.MANAGER_INVITED]


@pytest.mark.parametrize("event", RESTRICTION_EVENTS)
def test_every_event_renders_subject_text_html_and_short_text(event, master, restriction_context):
    message = render_message(event=event, recipient=master, context=restriction_context)
    assert message.subject and "\n" not in message.subject
    assert message.text.startswith(f"Hello {master.get_short_name()},")
    assert '<html lang="en">' in message.html
    assert "http://127.0.0.1:8000/channels/bakery/" in message.text and message.link in message.html
    assert not message.short.startswith("Hello")


def test_applied_says_what_why_until_what_to_do_and_how_to_appeal(master, restriction_context, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    text = render_message(event="restriction_applied", recipient=master, context=restriction_context).text
    assert "Our staff restricted @bakery" in text
    assert "Restriction: Temporary restriction" in text
    assert "Blocked features: 1:1 chat, Posts" in text
    assert "Reason: Impersonation or fraud" in text
    assert "Message from our staff: Your channel offered to unlock 1:1 chat for a fee." in text
    assert "Until: Dec. 6, 2026, 10:00 AM" in text  # 01:00 UTC is 10:00 in Seoul
    assert "How to appeal:" in text and "(deadline: Dec. 29, 2026, 10:00 AM)" in text


@pytest.mark.parametrize(("reason", "language", "sentence"), [
    ("terms", "en", "Our staff restricted @bakery because it broke the business terms of use."),
    ("operation_policy", "en", "Our staff restricted @bakery because it broke the channel policy."),
    ("guide_obligations", "en", "Our staff restricted @bakery because it did not meet the obligations of the channel guide."),
    ("impersonation_fraud", "en", "Our staff restricted @bakery because it was used to impersonate others or to defraud users."),
    ("identity_unverified", "en", "Our staff restricted @bakery until the manager's identity is verified."),
    ("healthy_environment", "en", "Our staff restricted @bakery because it harmed a healthy service environment."),
    ("impersonation_fraud", "ko", "@bakery이(가) 사칭 또는 사기에 이용되어 운영자가 이용을 제한했습니다."),
    ("terms", "vi", "Đội ngũ vận hành đã hạn chế @bakery do vi phạm điều khoản sử dụng dành cho doanh nghiệp."),
])
def test_applied_words_its_why_by_the_reason(master, restriction_context, reason, language, sentence):
    master.preferred_language = language
    message = render_message(event="restriction_applied", recipient=master, context=restriction_context | {"reason": reason})
    assert sentence in message.text
    assert sentence in message.html
    assert sentence in message.short


def test_activity_restriction_without_end_says_until_lifted(master, restriction_context):
    context = restriction_context | {"type": "activity", "ends_at": None}
    text = render_message(event="restriction_applied", recipient=master, context=context).text
    assert "Until: until our staff lift it" in text


def test_lifted_uses_the_lift_wording_and_offers_no_appeal(master, restriction_context):
    context = restriction_context | {"lift_reason": "The posts were edited."}
    message = render_message(event="restriction_lifted", recipient=master, context=context)
    assert message.subject == "Restriction on @bakery lifted"
    assert "Our staff lifted the restriction on @bakery" in message.text
    assert "Reason for lifting: The posts were edited." in message.text
    assert "How to appeal" not in message.text and "Until:" not in message.text


def test_unknown_codes_and_missing_dates_do_not_break_rendering(master):
    message = render_message(event="restriction_applied", recipient=master, context={"type": "nonsense", "ends_at": "not a date"})
    assert "Restriction: nonsense" in message.text


@pytest.mark.parametrize("language", ["ko", "vi", "en"])
def test_messages_render_in_the_recipients_language(language, restriction_context, notify, mailoutbox, kakaotalk_outbox):
    recipient = AccountFactory(preferred_language=language)
    notify([recipient])
    (email,) = mailoutbox
    assert f'<html lang="{language}">' in email.alternatives[0][0]
    assert email.extra_headers["Content-Language"] == language
    assert kakaotalk_outbox[0].language == language


def test_email_has_text_and_html_parts_and_a_stable_message_id(notify, master, mailoutbox):
    notify([master])
    (email,) = mailoutbox
    assert email.to == ["master@example.com"]
    assert email.subject == "Restriction on @bakery"
    assert email.alternatives[0][1] == "text/html"
    row = Delivery.objects.get(channel=DeliveryChannel.EMAIL)
    assert email.extra_headers["Message-ID"] == row.provider_message_id
    assert email.extra_headers["Message-ID"].endswith("@admin-center.example>")


def test_notice_and_kakaotalk_carry_the_same_facts(notify, master, kakaotalk_outbox):
    notify([master])
    notice = Notice.objects.get()
    assert notice.title == "Restriction on @bakery"
    assert "Blocked features: 1:1 chat, Posts" in notice.body
    assert notice.link == "/channels/bakery/"
    (message,) = kakaotalk_outbox
    assert message.template_code == "AC_RST_APPLIED"
    assert message.template_parameter["restriction"] == "Temporary restriction"
    assert message.template_parameter["scope"] == "1:1 chat, Posts"
    assert message.buttons[0]["linkMo"] == "http://127.0.0.1:8000/channels/bakery/"
    assert message.content == notice.body


def test_modified_shows_the_terms_before_the_change(master, restriction_context):
    context = restriction_context | {"previous": {"scope": ["chat"], "ends_at": None}, "note": "Extended to posts."}
    text = render_message(event="restriction_modified", recipient=master, context=context).text
    assert "Our staff changed the restriction on @bakery" in text
    assert "Before the change: 1:1 chat; no end date" in text
    assert "Why it changed: Extended to posts." in text
    assert "Blocked features: 1:1 chat, Posts" in text


@pytest.mark.parametrize("event, wording", [("appeal_upheld", "upheld the restriction"), ("appeal_overturned", "overturned the restriction")])
def test_appeal_decisions_carry_the_decision_note(event, wording, master, restriction_context):
    context = restriction_context | {"appeal_note": "The evidence shows the solicitation."}
    message = render_message(event=event, recipient=master, context=context)
    assert wording in message.text
    assert "Our note on the decision: The evidence shows the solicitation." in message.text
    assert "Our note on the decision: The evidence shows the solicitation." in message.html


def test_embedded_console_email_goes_to_stderr_so_json_on_stdout_stays_clean(capsys):
    from django.core.mail import EmailMessage

    from notifications.mail import StderrEmailBackend

    StderrEmailBackend().send_messages([EmailMessage("Subject", "Body", to=["a@example.com"])])
    captured = capsys.readouterr()
    assert "Subject: Subject" in captured.err and captured.out == ""


def test_an_appeal_received_message_says_the_restriction_stays_until_the_decision(master, restriction_context):
    message = render_message(event="appeal_filed", recipient=master, context=restriction_context)
    assert "We received an appeal against the restriction on" in message.subject + message.text
    assert "A senior moderator will review it" in message.text
    assert "A senior moderator will review it" in message.html
