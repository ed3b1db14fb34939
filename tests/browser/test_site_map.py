"""Every URL pattern that renders a page is walked by the browser tests, or is exempt with why."""

from .site_map import EXEMPT, PAGES, exempt_prefix, url_patterns


def test_every_url_pattern_is_walked_or_exempt_with_a_reason():
    walked = {page.name for page in PAGES if not page.path}
    missing = [
        f"{name}  ({route})" for name, route in url_patterns() if name not in walked and name not in EXEMPT and not exempt_prefix(route)
    ]
    assert not missing, "URL patterns neither walked nor exempt (add them to PAGES or EXEMPT in tests/browser/site_map.py):\n" + "\n".join(missing)


def test_the_site_map_names_only_patterns_that_exist():
    names = {name for name, _route in url_patterns()}
    stale = sorted({page.name for page in PAGES if not page.path} - names) + sorted(set(EXEMPT) - names)
    assert not stale, f"in site_map.py but no longer a URL pattern: {stale}"


def test_every_role_walks_some_page():
    from .site_map import ROLES

    assert {role for page in PAGES for role in page.roles} == set(ROLES)
