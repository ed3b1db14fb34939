"""The case pages: everything staff know about one channel or one account."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import permissions
from core.permissions import staff_required

from ..presenters import case_tabs as tab_presenter
from ..presenters import cases as presenter
from ..presenters import queue as queue_presenter
from ..selectors import case_tabs as tab_selectors
from ..selectors import cases as selectors
from .base import staff_context


def _tab_context(request, channel, tab: str, can_moderate: bool) -> dict:
    """What one tab shows; the overview reads the managers and what is in force now."""
    if tab == "overview":
        memberships = selectors.list_case_managers(channel=channel)
        in_force, open_restrictions = tab_selectors.list_in_force(channel, account_ids=[m.account_id for m in memberships])
        managers = selectors.manager_rows(memberships, channel=channel, restrictions=open_restrictions)
        return {
            "managers": presenter.manager_views(managers),
            "restrictions": tab_presenter.in_force_table(in_force, can_moderate=can_moderate),
            "takedown_restriction": next((row.restriction for row in in_force), None),
        }
    if tab == "ended":
        page, rows = tab_selectors.list_ended(channel, request)
        return {"restrictions": tab_presenter.ended_table(page, rows, can_moderate=can_moderate)}
    if tab == "reports":
        page = tab_selectors.list_queue_items(channel, request)
        table = queue_presenter.queue_table(page.items, request=request, can_moderate=can_moderate, show_channel=False)
        return {"queue": table, "page": page}
    if tab == "audit":
        return {"audit": presenter.case_audit(tab_selectors.list_audit(channel), query={"channel": channel.public_id})}
    # posts, messages, broadcasts, paid services: a takedown is kept with the newest open restriction
    takedown = tab_selectors.newest_open_restriction(channel) if can_moderate else None
    page = None if tab == "messages" else tab_selectors.list_content(channel, tab, request)
    items = tab_selectors.list_recent_messages(channel) if page is None else page.items
    kind = tab_presenter.CONTENT_KINDS[tab]
    rows = tab_presenter.content_rows(items, kind=kind, can_take_down=takedown is not None)
    return {"rows": rows, "page": page, "kind": kind, "takedown_restriction": takedown}


def _case_view(tab: str):
    @staff_required()
    @require_GET
    def view(request, handle: str):
        channel = tab_selectors.get_case_channel(handle)
        if channel is None:
            raise Http404
        can_moderate = permissions.can_moderate(request.user)
        context = staff_context(
            request, can_moderate=can_moderate, **tab_presenter.case_page(channel, tab),
            **_tab_context(request, channel, tab, can_moderate),
        )
        if can_moderate and "takedown_restriction" not in context:
            # Content is taken down from every tab; a takedown is kept with the newest open restriction.
            context["takedown_restriction"] = tab_selectors.newest_open_restriction(channel)
        # Asked for by the tab bar (htmx): the tab bar and the tab, into the page already shown.
        template = "staff/case_tabs/_body.html" if request.htmx and not request.htmx.boosted else "staff/channel_case.html"
        return render(request, template, context)

    view.__name__ = view.__qualname__ = f"channel_case_{tab.replace('-', '_')}"
    view.__doc__ = f"The {tab} tab of a channel's case page."
    return view


channel_case = _case_view("overview")
CASE_TAB_VIEWS = {slug: _case_view(slug) for slug in tab_presenter.TAB_SLUGS if slug != "overview"}


@staff_required()
@require_GET
def account_case(request, pk: int):
    case = selectors.get_account_case(pk=pk, page=request.GET.get("page"))
    if case is None:
        raise Http404
    can_moderate = permissions.can_moderate(request.user)
    return render(
        request,
        "staff/account_case.html",
        staff_context(request, can_moderate=can_moderate, **presenter.account_case_page(case, can_moderate=can_moderate)),
    )
