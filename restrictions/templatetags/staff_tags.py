"""Small helpers for the staff templates."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name, *args, **kwargs):
    """The URL of a page another area provides, or "" when that area is not installed, so a
    link to it is left out instead of breaking the page."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""
