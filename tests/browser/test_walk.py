"""Every page, as every role, in Korean and Vietnamese, on a laptop and a phone.

Each visit fails on: an answer other than the page's (``status``), a page wider than the window
(``overflow``), an English sentence on a Korean or Vietnamese page (``english``), an error in
the browser console (``console``), a WCAG 2.x A/AA violation found by axe-core (``axe``).
The pages come from ``site_map.py``; ``KNOWN`` lists the findings still waiting for a fix.
"""

from dataclasses import dataclass

import pytest

from .site_map import EXEMPT, ROLES, visits
from .walk import WIDTHS

pytestmark = pytest.mark.browser

LANGUAGES = ("ko", "vi")


@dataclass(frozen=True)
class Known:
    """A finding that still fails, and why: the visit is an expected failure (strict: once it
    passes, the test fails until the entry is removed)."""

    page: str
    check: str
    why: str
    roles: tuple[str, ...] = tuple(ROLES)
    languages: tuple[str, ...] = LANGUAGES
    widths: tuple[int, ...] = tuple(WIDTHS)

    def covers(self, language, width, role, page) -> bool:
        return page.name == self.page and role in self.roles and language in self.languages and width in self.widths


KNOWN: list[Known] = []

VISITS = visits(LANGUAGES, tuple(WIDTHS))


@pytest.mark.parametrize(
    ("language", "width", "role", "page"), VISITS, ids=[f"{lang}-{width}-{role}-{page.label}" for lang, width, role, page in VISITS]
)
def test_page(walk, language, width, role, page):
    findings = walk.visit(role, language, width, page)
    failing = {check: lines for check, lines in findings.items() if lines}
    expected = {known.check: known.why for known in KNOWN if known.covers(language, width, role, page)}
    unexpected = {check: lines for check, lines in failing.items() if check not in expected}
    report = "\n".join(f"  [{check}] {line}" for check, lines in failing.items() for line in lines)
    where = f"{page.url(walk.ids, role)} as {role} in {language} at {width} px"
    assert not unexpected, f"{where}:\n{report}"
    fixed = sorted(set(expected) - set(failing))
    assert not fixed, f"{where}: {', '.join(fixed)} now passes; remove it from KNOWN"
    if expected:
        pytest.xfail("; ".join(f"{check}: {why}" for check, why in expected.items()))


@pytest.mark.parametrize("name", sorted(EXEMPT))
def test_an_exempt_pattern_answers_what_it_says(walk, name):
    from django.test import Client
    from django.urls import reverse

    from channels_admin.models import Account

    exempt = EXEMPT[name]
    client = Client()
    if ROLES[exempt.role]:
        client.force_login(Account.objects.get(email=ROLES[exempt.role]))
    response = client.get(reverse(name, kwargs=exempt.kwargs(walk.ids, exempt.role) if exempt.kwargs else None))
    content_type = response.get("Content-Type", "")
    if exempt.answers == "405":
        assert response.status_code == 405, f"{name} answers a GET with {response.status_code}: walk it in site_map.PAGES"
    elif exempt.answers == "302":
        assert response.status_code == 302, f"{name} answers {response.status_code}, not a redirect"
    elif exempt.answers == "not-html":
        assert response.status_code == 200 and "text/html" not in content_type, f"{name}: {response.status_code} {content_type}"
    elif exempt.answers == "fragment":
        assert response.status_code == 200 and b"<html" not in response.content.lower(), f"{name} renders a whole page"
