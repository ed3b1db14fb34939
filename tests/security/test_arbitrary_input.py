"""Arbitrary values posted to every form and webhook: never a server error, and a refused
request writes nothing. The forms are found from the URL resolver and their field names from
the page that shows them, so new forms are covered without editing this file."""

import re

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_url_authorization import _urls, restrict, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
EXTRA_FIELDS = ["type", "scope", "reason", "days", "ends_at", "starts_at", "text", "email", "q", "note", "decision",
                "state", "handle", "name", "kind", "object_id", "action", "next", "language", "outcome", "title", "body"]
SKIP = ("/accounts/logout", "/i18n/setlang", "/django-admin/")

values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e309", "NaN", "chat", "all", "permanent", "temporary",
                     "2023-13-45", "2026-12-01T10:00", "@bakery", "<script>alert(1)</script>", "' OR 1=1 --", "\x00",
                     "🙂" * 50, "a" * 5000]),
    st.lists(st.text(max_size=10), max_size=3),
)


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in ("channels_admin", "restrictions", "notifications"):
            counts[model._meta.label] = model._default_manager.count()
    return counts


def _post_targets(client, world):
    targets = []
    for path, _ in _urls(world):
        if path.startswith(SKIP):
            continue
        page = client.get(path)
        if page.status_code >= 500:
            pytest.fail(f"GET {path} -> {page.status_code}")
        names = sorted({n for n in FIELD.findall(page.content.decode(errors="replace")) if n != "csrfmiddlewaretoken"})
        targets.append((path, names or EXTRA_FIELDS))
    return targets


@pytest.mark.parametrize("role", ["senior", "manager", "stranger"])
def test_arbitrary_form_posts_never_fail_and_refusals_write_nothing(client, world, role):
    account = world["accounts"][role]
    if role == "manager":
        account = account.__class__.objects.get(memberships__channel__handle=world["handle"], memberships__role="master")
    client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    targets = _post_targets(client, world)
    assert targets
    problems = []

    for path, names in targets:
        keys = st.sampled_from(names + EXTRA_FIELDS[:4])

        @settings(max_examples=8, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(data=st.dictionaries(keys, values, max_size=8))
        def post(data):
            before = _counts()
            clean = {k: ([x.replace("\x00", "") for x in v] if isinstance(v, list) else v.replace("\x00", "")) for k, v in data.items()}
            response = client.post(path, clean)
            if response.status_code >= 500:
                problems.append(f"POST {path} {clean!r} -> {response.status_code}")
            elif response.status_code >= 400 or response.status_code == 200:
                after = _counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                if changed and response.status_code != 200:
                    problems.append(f"POST {path} {clean!r} -> {response.status_code} but wrote {changed}")

        post()
        if problems:
            break
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("webhook", ["/webhooks/chat/", "/webhooks/identity/"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       webhook_id=st.text(max_size=40), timestamp=st.one_of(st.integers(), st.text(max_size=12)),
       signature=st.one_of(st.text(max_size=80), st.just("v1,AAAA"), st.just("")))
def test_arbitrary_webhooks_are_refused_and_write_nothing(client, webhook, body, webhook_id, timestamp, signature):
    before = _counts()
    headers = {"webhook-id": webhook_id.encode("ascii", "ignore").decode(),
               "webhook-timestamp": str(timestamp).encode("ascii", "ignore").decode(),
               "webhook-signature": signature.encode("ascii", "ignore").decode()}

    response = client.post(webhook, data=body, content_type="application/json", headers=headers)

    assert 400 <= response.status_code < 500
    assert _counts() == before
