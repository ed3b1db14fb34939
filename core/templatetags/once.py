"""``{% once a b %}…{% endonce %}``: markup that is the same on every page for one language and
the values it names, rendered once per process and kept with the template.

The page frame (the header, the language switcher, the menus) is on every page and is mostly
the same markup: rendering its translations, URLs and loops anew each time cost about as much
as a short page. What does change within it stays outside the part (a CSRF token, the path the
language switcher returns to, the account's email), so no value of one request is ever shown
to another. A part may hold neither a ``{% csrf_token %}`` nor a ``{% block %}``: the first is
per request, and a block's content would be the first page's for every page.

The kept markup lives on the compiled template's node (a reloaded template starts afresh) and
is keyed on the active language, the URL prefix and the named values; a part keeps at most
``KEPT_PER_PART`` variants (it starts afresh when full), so a value with many possible values
(a channel's handle) is kept for the channels in use, never without bound. Django's own ``{% cache %}`` tag goes through a cache
backend and builds a hashed key on every use, which would cost more than some parts do."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

KEPT_PER_PART = 512


class OnceNode(template.Node):
    # Not walked for blocks: a part holds none, and ``{% extends %}`` walks the parent's whole
    # tree for them on every render.
    child_nodelists = ()

    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on
        self.kept: dict[tuple, str] = {}

    def render(self, context):
        key = (get_language(), get_script_prefix(), *(value.resolve(context) for value in self.vary_on))
        markup = self.kept.get(key)
        if markup is None:
            markup = self.nodelist.render(context)
            if len(self.kept) >= KEPT_PER_PART:
                self.kept.clear()  # bounded; the variants in use come back at their next request
            self.kept[key] = markup
        return markup


@register.tag
def once(parser, token):
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    for node_type, what in ((CsrfTokenNode, "a CSRF token"), (BlockNode, "a block")):
        if nodelist.get_nodes_by_type(node_type):
            raise template.TemplateSyntaxError(f"{{% once %}} may not hold {what}: it is rendered for one request only")
    return OnceNode(nodelist, [parser.compile_filter(bit) for bit in bits])
