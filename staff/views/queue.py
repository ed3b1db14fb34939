"""The moderation queue, one queue item and what a moderator does with it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import permissions
from core.paging import cursor_from
from core.permissions import staff_required

from ..forms.moderation import CloseItemForm, QueueFilterForm
from ..models import QueueItem
from ..presenters import queue as presenter
from ..selectors import queue as selectors
from ..services import moderation
from .base import staff_context


@staff_required()
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters(**(form.cleaned_data if form.is_valid() else {}))
    items = selectors.list_queue(filters=filters, after_id=cursor_from(request, "after"))
    counts = selectors.count_queue_by_state(filters=filters)
    query = request.GET.copy()
    query.pop("after", None)
    can_moderate = permissions.can_moderate(request.user)
    return render(
        request,
        "staff/queue.html",
        staff_context(
            request,
            can_moderate=can_moderate,
            form=form,
            queue=presenter.queue_table(items, request=request, can_moderate=can_moderate),
            counts=presenter.queue_state_tabs(counts),
            active_state=filters.state,
            filter_query=query.urlencode(),
            next_after=items[-1].pk if len(items) == selectors.QUEUE_PAGE_SIZE else None,
        ),
    )


@staff_required()
@require_GET
def queue_item(request, pk: int):
    item = selectors.get_queue_item(pk=pk)
    if item is None:
        raise Http404
    can_moderate = permissions.can_moderate(request.user)
    return render(
        request,
        "staff/queue_item.html",
        staff_context(
            request,
            can_moderate=can_moderate,
            shown=presenter.queue_item_page(item, request=request, can_moderate=can_moderate),
            item=item,
            reports=presenter.item_reports(selectors.list_item_reports(item=item)),
        ),
    )


_ACTIONS = {
    "claim": (moderation.claim_item, gettext_lazy("You are handling this item now.")),
    "release": (moderation.release_item, gettext_lazy("The item is back in the queue.")),
    "resolve": (moderation.resolve_item, gettext_lazy("Resolved.")),
    "dismiss": (moderation.dismiss_item, gettext_lazy("Dismissed: no action needed.")),
}


@staff_required(permissions.can_moderate)
@require_POST
def queue_action(request, pk: int, action: str):
    if action not in _ACTIONS:
        raise Http404
    item = get_object_or_404(QueueItem, pk=pk)
    service, done = _ACTIONS[action]
    kwargs = {}
    if action in ("resolve", "dismiss"):
        form = CloseItemForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("note", [])) or _("Check the note."))
            return _back(request, item)
        kwargs["note"] = form.cleaned_data["note"]
    try:
        service(item=item, actor=request.user, **kwargs)
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return _back(request, item)


def _back(request, item):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("staff:queue_item", pk=item.pk)
