"""Template tags of the staff pages. They hand data to templates and build no markup."""

from django import template

from ..presenters.nav import nav_links

register = template.Library()


@register.inclusion_tag("staff/includes/nav.html", takes_context=True)
def staff_nav(context):
    """The links of the staff menu, the current page marked."""
    return {"links": nav_links(context["request"])}
