"""Template tags of the staff pages. They hand data to templates and build no markup."""

from django import template

from ..presenters.nav import nav_links

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_nav_links(context):
    """``{% staff_nav_links as links %}``: the links of the staff menu, the current page marked.
    The same tuple for every page of one language, role and current link, so the menu's markup
    can be kept per tuple (``{% once links %}``)."""
    return nav_links(context["request"])
