"""The staff page of API clients, the commands, and the docs served without any CDN."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from platform_api.models import ApiClient

pytestmark = pytest.mark.django_db


def test_a_senior_creates_a_client_and_sees_its_key_once(client_for, senior, api_get, channel):
    page = client_for(senior)
    response = page.post("/staff/platform/clients/", {"name": "chat relay", "scopes": ["chat_access:read"]})
    assert response.status_code == 200
    key = re.search(r'data-testid="issued-key-value">(ack_[0-9a-f_]+)<', response.content.decode()).group(1)
    assert api_get("/chat-access", key, account="master@example.com", channel="@bakery").status_code == 200
    listing = page.get("/staff/platform/clients/").content.decode()
    assert "chat relay" in listing and key not in listing and key.split("_")[1] in listing


def test_the_form_names_a_bad_field(client_for, senior):
    response = client_for(senior).post("/staff/platform/clients/", {"name": "", "scopes": []})
    assert response.status_code == 400
    assert ApiClient.objects.count() == 0


@pytest.mark.parametrize("who", ["moderator", "viewer"])
def test_other_staff_may_not(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get("/staff/platform/clients/")
    assert response.status_code == 403


def test_rotate_and_revoke_from_the_page(client_for, senior, issue_key):
    issue_key("chat_access:read", name="relay")
    relay = ApiClient.objects.get(name="relay")
    page = client_for(senior)
    response = page.post(f"/staff/platform/clients/{relay.pk}/rotate/")
    assert response.status_code == 200 and b"issued-key-value" in response.content
    assert relay.keys.count() == 2
    page.post(f"/staff/platform/clients/{relay.pk}/revoke/")
    relay.refresh_from_db()
    assert relay.revoked_at is not None and not relay.keys.filter(revoked_at__isnull=True).exists()


def test_commands_create_rotate_and_revoke(capsys, senior):
    call_command("create_api_client", "relay", "--scopes", "chat_access:read,reports:write", "--actor", senior.email, "--json")
    created = json.loads(capsys.readouterr().out)
    assert created["scopes"] == ["chat_access:read", "reports:write"] and created["key"].startswith("ack_")
    call_command("rotate_api_key", str(created["client"]), "--actor", senior.email, "--json")
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["key"] != created["key"]
    call_command("revoke_api_client", str(created["client"]), "--actor", senior.email)
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_client", "other", "--scopes", "everything", "--actor", senior.email)
    with pytest.raises(CommandError, match="No account"):
        call_command("revoke_api_client", "1", "--actor", "nobody@example.com")


def test_the_schema_and_the_docs_load_nothing_from_elsewhere(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/chat-access", "/api/v1/chat-access/batch", "/api/v1/reports", "/api/v1/chat/messages",
            "/api/v1/channels/{handle}/restrictions", "/api/v1/accounts/{account_id}/restrictions"} <= set(schema["paths"])
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
