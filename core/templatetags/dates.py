"""``{{ value|when }}``, ``{{ value|when:"date" }}``: the one date filter of every template (a
builtin, no ``{% load %}`` needed). Styles and formats: ``core.dates``."""

from django import template

from ..dates import format_when

register = template.Library()


@register.filter(expects_localtime=False)
def when(value, style="datetime"):
    """The date in the reader's language and time zone; "" for none."""
    return format_when(value, style)
