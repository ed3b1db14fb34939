"""``make bench`` measures every page: each URL pattern of the project is either benched
(``bench.pages.PAGES``) or left out by name or prefix with the reason (``EXEMPT``,
``EXEMPT_PREFIXES``). A new page that is in neither fails here."""

from django.urls import URLPattern, URLResolver, get_resolver

from bench.pages import EXEMPT, EXEMPT_PREFIXES, PAGES


def _patterns(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name


def _project_patterns():
    return [(route, name) for route, name in _patterns(get_resolver().url_patterns)
            if not any(route.startswith(prefix) for prefix in EXEMPT_PREFIXES)]


def test_every_url_of_the_project_is_benched_or_exempt_with_a_reason():
    benched = {url_name for _label, _persona, url_name, _args, _query in PAGES}
    unnamed = [route for route, name in _project_patterns() if not name]
    forgotten = sorted(name for _route, name in _project_patterns() if name and name not in benched and name not in EXEMPT)
    assert unnamed == [] and forgotten == [], "add each page to bench/pages.py: PAGES, or EXEMPT with why"


def test_the_lists_name_only_urls_that_exist_and_give_every_exemption_a_reason():
    names = {name for _route, name in _patterns(get_resolver().url_patterns) if name}
    benched = {url_name for _label, _persona, url_name, _args, _query in PAGES}
    assert sorted((benched | set(EXEMPT)) - names) == []
    assert not benched & set(EXEMPT)
    assert all(reason.strip() for reason in [*EXEMPT.values(), *EXEMPT_PREFIXES.values()])


def test_every_case_tab_and_the_staff_home_are_benched():
    benched = {url_name for _label, _persona, url_name, _args, _query in PAGES}
    tabs = {name for _route, name in _project_patterns() if name and name.startswith("staff:channel_case")}
    assert len(tabs) == 8 and tabs <= benched
    assert {"staff:home", "admin:restrictions_restriction_changelist"} <= benched
