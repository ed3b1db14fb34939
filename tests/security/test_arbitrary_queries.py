"""Arbitrary query strings on every page a signed-in person can open: never a server error.
The keys are those the page's own links and filter forms use (paging cursors, filters,
search), plus common ones; the values are what a hand-edited address can hold."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_url_authorization import _urls, restrict, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"]*\?[^"]*)"')
FIELD = re.compile(r'<(?:input|select)[^>]*\bname="([^"]+)"')
COMMON = ["page", "before", "after", "cursor", "q", "state", "event", "channel", "type", "kind", "tab", "next", "older"]
SKIP = ("/accounts/logout", "/i18n/setlang", "/django-admin/", "/api/")

values = st.one_of(
    st.text(max_size=30).map(lambda v: v.replace("\x00", "")),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e309", "NaN", "abc", "2023-13-45", "2026-12-01T10:00",
                     "9999-12-31", "0001-01-01", "@", "@nobody", "%", "_", "' OR 1=1 --", "🙂" * 20, "a" * 3000,
                     "1,2", "[]", "{}", "true", "²", "١٢", "9223372036854775808"]),
)


def _query_keys(html: str) -> list[str]:
    keys = set(FIELD.findall(html)) - {"csrfmiddlewaretoken"}
    for link in LINK.findall(html):
        keys.update(k for k, _v in parse_qsl(urlsplit(link.replace("&amp;", "&")).query, keep_blank_values=True))
    return sorted(keys)


@pytest.mark.parametrize("role", ["senior", "manager"])
def test_arbitrary_queries_never_fail(client, world, role):
    account = world["accounts"][role]
    if role == "manager":
        account = account.__class__.objects.get(memberships__channel__handle=world["handle"], memberships__role="master")
    client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    problems = []
    for path, _pattern in _urls(world):
        if path.startswith(SKIP):
            continue
        page = client.get(path)
        if page.status_code != 200:
            continue
        _fuzz(client, path, _query_keys(page.content.decode(errors="replace")) + COMMON, problems)
    assert not problems, "\n".join(problems[:10])


def _fuzz(client, path: str, keys: list[str], problems: list[str]) -> None:
    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(query=st.dictionaries(st.sampled_from(keys), values, min_size=1, max_size=4))
    def get(query):
        response = client.get(path, query)
        if response.status_code >= 500:
            problems.append(f"GET {path} {query!r} -> {response.status_code}")

    get()
