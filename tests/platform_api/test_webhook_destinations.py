"""Where webhooks may go: no private, loopback or otherwise non-public address, checked when an
endpoint is saved and again by the sender on the address it connects to (DNS rebinding)."""

import ipaddress
import json
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from platform_api import delivery, destinations, services
from platform_api.models import EndpointState, MessageState, WebhookEndpoint, WebhookMessage
from restrictions import services as sanctions

from .receiver import Receiver

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"


class FakeDns:
    """Answers (an address or a tuple of them) for made-up names under .test, in turn (the last
    one repeats); another .test name
    is not found; every other name or address goes to the system's resolver."""

    def __init__(self, **names):
        self.names = {f"{name}.test": list(answers) for name, answers in names.items()}
        self.asked: list[str] = []

    def __call__(self, host, port):
        if not host.endswith(".test"):
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        self.asked.append(host)
        answers = self.names.get(host)
        if answers is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in ([answer] if isinstance(answer, str) else answer)]


@pytest.fixture
def guard(settings):
    """Production's rules: https only, public addresses only."""
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    return settings


@pytest.fixture
def dns(monkeypatch):
    def install(**names):
        fake = FakeDns(**names)
        monkeypatch.setattr(destinations, "_getaddrinfo", fake)
        return fake

    return install


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "a loopback address"), ("127.8.9.10", "a loopback address"), ("10.1.2.3", "a private address"),
    ("172.16.0.1", "a private address"), ("192.168.1.1", "a private address"), ("169.254.169.254", "a link-local address"),
    ("224.0.0.1", "a multicast address"), ("240.0.0.1", "a reserved address"), ("2001:db8::1", "a private address"), ("0.0.0.0", "an unspecified address"),
    ("100.64.0.1", "an address that is not public"), ("::1", "a loopback address"), ("::", "an unspecified address"),
    ("fe80::1", "a link-local address"), ("fc00::1", "a private address"), ("ff02::1", "a multicast address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("::ffff:10.0.0.1", "a private address"),
    ("2002:a00:1::", "a private address"),  # 6to4 of 10.0.0.1
    ("64:ff9b::a9fe:a9fe", "a link-local address"),  # NAT64 of 169.254.169.254
    (PUBLIC, None), ("2606:4700:4700::1111", None), ("::ffff:" + PUBLIC, None),
])
def test_every_address_that_is_not_public_is_named(address, kind):
    assert destinations.forbidden_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(("url", "says"), [
    ("https://127.0.0.1/hooks", "127.0.0.1 is a loopback address"),
    ("https://10.0.0.5:8443/hooks", "10.0.0.5 is a private address"),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("https://[::1]/hooks", "::1 is a loopback address"),
    ("https://[::ffff:127.0.0.1]/hooks", "::ffff:127.0.0.1 is a loopback address"),
    ("https://[fd12:3456::1]/hooks", "fd12:3456::1 is a private address"),
    ("https://localhost/hooks", "localhost resolves to 127.0.0.1, a loopback address"),
    ("https://rebind.test/hooks", "rebind.test resolves to 127.0.0.1, a loopback address"),
    ("https://mixed.test/hooks", "mixed.test resolves to 192.168.0.7, a private address"),
    ("https://nowhere.test/hooks", "The host nowhere.test could not be found"),
    ("http://hooks.test/hooks", "The endpoint must use https."),
    ("https://user:secret@hooks.test/hooks", "Leave the user name and password out of the URL"),
    ("ftp://hooks.test/hooks", "Enter the endpoint's full URL"),
    ("https://2130706433/hooks", "Enter the endpoint's full URL"),  # 127.0.0.1 written as a number
])
def test_an_endpoint_that_is_not_public_https_is_refused_when_saved(guard, dns, senior, url, says):
    dns(rebind=["127.0.0.1"], hooks=[PUBLIC], mixed=[(PUBLIC, "192.168.0.7")])
    with pytest.raises(services.ApiClientError) as error:
        services.create_webhook_endpoint(url=url, event_types=["chat_access.changed"], actor=senior)
    assert error.value.field == "url"
    assert says in str(error.value)
    assert not WebhookEndpoint.objects.exists()


def test_a_public_https_endpoint_is_saved(guard, dns, senior):
    resolver = dns(hooks=[PUBLIC])
    endpoint = services.create_webhook_endpoint(url="https://hooks.test/in", event_types=["chat_access.changed"], actor=senior)
    assert endpoint.url == "https://hooks.test/in" and resolver.asked == ["hooks.test"]


@pytest.mark.parametrize(("language", "says"), [
    ("ko", "10.0.0.5은(는) 사설 주소입니다. 웹훅은 공인 인터넷 주소로만 보냅니다."),
    ("vi", "10.0.0.5 là một địa chỉ mạng riêng: webhook chỉ được gửi tới địa chỉ Internet công cộng."),
    ("en", "10.0.0.5 is a private address: webhooks go only to public internet addresses."),
])
def test_the_staff_page_says_why_in_the_readers_language(guard, client_for, senior, language, says):
    senior.preferred_language = language
    senior.save()
    response = client_for(senior).post("/staff/platform/webhooks/", {
        "url": "https://10.0.0.5/hooks", "event_types": ["chat_access.changed"], "description": ""})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def _send_one(senior, moderator, channel, url):
    endpoint = services.create_webhook_endpoint(url=url, event_types=["restriction.applied"], actor=senior)
    sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    return endpoint


def test_the_sender_connects_to_the_address_it_checked(settings, dns, senior, moderator, channel, monkeypatch):
    # given a name only the checked resolver knows (the system's would not find it), and a
    # proxy in the environment that nothing listens at
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with Receiver("") as receiver:
        resolver = dns(hooks=["127.0.0.1"])
        port = receiver.url.split(":")[2].split("/")[0]
        endpoint = _send_one(senior, moderator, channel, f"http://hooks.test:{port}/hooks")
        receiver.secret = endpoint.secret
        resolver.asked.clear()
        # when
        delivery.send_due()
    # then it was delivered, straight to the address that resolver gave
    assert WebhookMessage.objects.get().state == MessageState.SENT
    assert len(receiver.accepted) == 1 and resolver.asked == ["hooks.test"]


def test_a_host_that_turns_private_after_the_check_is_never_connected_to(guard, dns, senior, moderator, channel):
    # given an endpoint saved while its name resolved to a public address
    with Receiver("") as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        resolver = dns(rebind=[PUBLIC, "127.0.0.1"])
        guard.WEBHOOK_ALLOW_HTTP = True  # the receiver speaks plain http; the address is what is refused
        endpoint = _send_one(senior, moderator, channel, f"http://rebind.test:{port}/hooks")
        receiver.secret = endpoint.secret
        # when the name now resolves to the receiver on 127.0.0.1 (DNS rebinding)
        result = delivery.send_due()
        # then nothing reached it
        assert receiver.deliveries == [] and resolver.asked == ["rebind.test", "rebind.test"]
    assert (result.sent, result.failed) == (0, 1)
    message = WebhookMessage.objects.get()
    assert message.state == MessageState.FAILED and message.attempts == 1
    assert message.last_error == ("Not sent: rebind.test resolves to 127.0.0.1, a loopback address: "
                                  "webhooks go only to public internet addresses.")
    # the endpoint is disabled, audited and staff told; nothing is tried again
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED and "127.0.0.1" in endpoint.disabled_reason
    assert AuditEntry.objects.filter(event_type="webhook_endpoint_disabled").count() == 1
    assert [m.to for m in mail.outbox if "Webhook endpoint disabled" in m.subject] == [[senior.email]]
    assert delivery.send_due().failed == 0
    message.refresh_from_db()
    assert message.attempts == 1


def test_an_endpoint_on_this_machine_is_refused_at_send_time_once_the_guard_is_on(settings, senior, moderator, channel):
    # given an endpoint on 127.0.0.1 saved while private hosts were allowed, reached by name
    with Receiver("") as receiver:
        endpoint = _send_one(senior, moderator, channel, receiver.url.replace("127.0.0.1", "localhost"))
        receiver.secret = endpoint.secret
        settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
        delivery.send_due()
        assert receiver.deliveries == []
    message = WebhookMessage.objects.get()
    assert message.state == MessageState.FAILED
    assert message.last_error.startswith("Not sent: localhost resolves to 127.0.0.1, a loopback address")
    # staff may still disable it or give it a new secret; enabling it again is refused while its host is private
    services.change_webhook_endpoint(endpoint_id=endpoint.pk, actor=senior, rotate_secret=True)
    with pytest.raises(services.ApiClientError, match="a loopback address"):
        services.change_webhook_endpoint(endpoint_id=endpoint.pk, actor=senior, enabled=True)


def test_plain_http_is_refused_at_send_time_where_only_https_is_allowed(settings, senior, moderator, channel):
    endpoint = _send_one(senior, moderator, channel, "http://127.0.0.1:9/hooks")
    settings.WEBHOOK_ALLOW_HTTP = False
    delivery.send_due()
    message = WebhookMessage.objects.get()
    assert (message.state, message.last_error) == (MessageState.FAILED, "Not sent: The endpoint must use https.")
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED


def test_the_command_subscribes_an_endpoint_and_says_why_it_refuses_one(guard, dns, senior, capsys):
    dns(hooks=[PUBLIC])
    call_command("create_webhook_endpoint", "https://hooks.test/in", "--events", "chat_access.changed,restriction.applied",
                 "--actor", senior.email, "--json")
    out = json.loads(capsys.readouterr().out)
    endpoint = WebhookEndpoint.objects.get()
    assert out == {"endpoint": endpoint.pk, "url": "https://hooks.test/in", "events": ["chat_access.changed", "restriction.applied"],
                   "secret": endpoint.secret}
    assert AuditEntry.objects.filter(event_type="webhook_endpoint_created", actor=senior).count() == 1
    with pytest.raises(CommandError, match="169.254.169.254 is a link-local address"):
        call_command("create_webhook_endpoint", "https://169.254.169.254/latest", "--events", "chat_access.changed",
                     "--actor", senior.email)
    assert WebhookEndpoint.objects.count() == 1


def test_an_https_endpoint_is_checked_on_its_connection_too(guard, dns, senior, moderator, channel):
    dns(turns=[PUBLIC, "10.9.8.7"])
    _send_one(senior, moderator, channel, "https://turns.test/hooks")
    assert delivery.send_due().failed == 1
    assert WebhookMessage.objects.get().last_error.startswith("Not sent: turns.test resolves to 10.9.8.7, a private address")
