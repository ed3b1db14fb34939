"""``{% once %}`` keeps markup per language and named values, and refuses what is one request's own."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def _render(template, **values):
    return template.render(Context(values))


def test_a_part_is_kept_per_named_value_and_language():
    template = Template('{% load i18n once %}{% once n %}{{ n }} {{ extra }} {% translate "Menu" %}{% endonce %}')
    assert _render(template, n=1, extra="first") == "1 first Menu"
    # the same n: the markup kept from the first render, whatever else changed
    assert _render(template, n=1, extra="second") == "1 first Menu"
    assert _render(template, n=2, extra="second") == "2 second Menu"
    with translation.override("ko"):
        assert _render(template, n=1, extra="third") == "1 third 메뉴"


def test_a_part_keeps_a_bounded_number_of_variants(monkeypatch):
    from core.templatetags import once

    monkeypatch.setattr(once, "KEPT_PER_PART", 3)
    template = Template("{% load once %}{% once n %}{{ n }}{% endonce %}")
    for n in range(10):
        assert _render(template, n=n) == str(n)
    [node] = template.nodelist.get_nodes_by_type(once.OnceNode)
    assert 0 < len(node.kept) <= 3


@pytest.mark.parametrize("inner", ["{% csrf_token %}", "{% block b %}{% endblock %}"])
def test_a_part_may_not_hold_what_is_one_requests_own(inner):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load once %}{% once %}" + inner + "{% endonce %}")
