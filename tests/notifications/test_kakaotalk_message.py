"""Where a KakaoTalk message is built: ``kakaotalk.build_kakaotalk_message`` from the shared message templates."""

import pytest

from notifications.exceptions import PermanentDeliveryError
from notifications.kakaotalk import build_kakaotalk_message
from notifications.models import Delivery, DeliveryChannel, Notification, NotificationEvent
from notifications.rendering import render_message
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _delivery(recipient, context, event=NotificationEvent.RESTRICTION_APPLIED):
    notification = Notification(event=event, recipient=recipient, context=context, key=f"restriction:7:applied:{recipient.pk}")
    return Delivery(notification=notification, channel=DeliveryChannel.KAKAOTALK)


def test_the_message_is_the_short_text_and_the_parameters_of_the_shared_templates(restriction_context, settings):
    recipient = AccountFactory(preferred_language="ko")
    message = build_kakaotalk_message(_delivery(recipient, restriction_context))
    rendered = render_message(event=NotificationEvent.RESTRICTION_APPLIED, recipient=recipient, context=restriction_context)

    assert message.content == rendered.short
    assert message.template_parameter == rendered.parameters
    assert message.template_code == settings.KAKAOTALK_TEMPLATE_CODES[NotificationEvent.RESTRICTION_APPLIED]
    assert message.recipient_no == str(recipient.phone_number)
    assert message.language == "ko"
    assert message.buttons == [{"ordering": 1, "type": "WL", "name": rendered.open_label, "linkMo": rendered.link,
                                "linkPc": rendered.link}]


def test_no_phone_number_or_no_template_code_is_a_permanent_error(restriction_context, settings):
    with pytest.raises(PermanentDeliveryError):
        build_kakaotalk_message(_delivery(AccountFactory(phone_number=""), restriction_context))
    settings.KAKAOTALK_TEMPLATE_CODES = {}
    with pytest.raises(PermanentDeliveryError):
        build_kakaotalk_message(_delivery(AccountFactory(), restriction_context))
