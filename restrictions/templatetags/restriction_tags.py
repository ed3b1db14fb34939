"""Restriction banners for the Admin Center pages: ``{% load restriction_tags %}``."""

from django import template

from .. import selectors
from ..models import RestrictionType, Scope

register = template.Library()


@register.inclusion_tag("channels_admin/content/_banners.html", takes_context=True)
def restriction_banners(context, channel):
    """Every restriction the signed-in manager is under in ``channel``: one query."""
    user = context["request"].user
    restrictions = selectors.list_open_restrictions_for_channel(channel=channel, account=user)
    read_only = any(r.type == RestrictionType.PERMANENT and r.state == "active" for r in restrictions)
    return {"restrictions": restrictions, "read_only": read_only, "channel": channel}


@register.filter
def scope_labels(restriction):
    labels = dict(Scope.choices)
    return ", ".join(str(labels.get(code, code)) for code in restriction.scope_codes)


@register.simple_tag(takes_context=True)
def channel_is_read_only(context, channel) -> bool:
    """``{% channel_is_read_only channel as read_only %}``: hides what the server would refuse."""
    return selectors.is_read_only(channel=channel, account=context["request"].user)
