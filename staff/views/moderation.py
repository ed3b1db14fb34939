"""The moderation queue, staff search, the case pages and the fraud rules."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import permissions

from ..selectors import cases as cases_selectors, queue as queue_selectors, search as search_selectors
from ..services import moderation
from ..fraud import highlight_segments
from ..forms.moderation import CloseItemForm, FraudRuleForm, QueueFilterForm, SearchForm
from ..models import FraudRule, QueueItem, QueueState
from .base import staff_context, staff_required

# --- the queue ---------------------------------------------------------------------------


@staff_required()
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = queue_selectors.QueueFilters(**(form.cleaned_data if form.is_valid() else {}))
    try:
        after = int(request.GET.get("after", "") or 0)
    except ValueError:
        after = 0
    items = queue_selectors.list_queue(filters=filters, after_id=after or None)
    rows = _queue_rows(items)
    counts = queue_selectors.count_queue_by_state(filters=filters)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "staff/queue.html",
        staff_context(
            request,
            form=form,
            rows=rows,
            counts=[(state, label, counts[state]) for state, label in QueueState.choices],
            active_state=filters.state,
            filter_query=query.urlencode(),
            next_after=items[-1].pk if len(items) == queue_selectors.QUEUE_PAGE_SIZE else None,
            close_form=CloseItemForm(),
        ),
    )


def _queue_rows(items: list[QueueItem]) -> list[dict]:
    """What a queue row shows of each item (``queue_rows``): the target's text, the highlighted evidence
    and the labels of its codes."""
    labels = queue_selectors.queue_item_labels(items)
    return [
        {
            "item": item,
            "label": item.target_text,  # read with the items (queue_selectors.with_target_text)
            "segments": _segments(item),
            "labels": labels[item.pk],
        }
        for item in items
    ]


def _segments(item: QueueItem):
    if not item.evidence:
        return None
    return highlight_segments(item.excerpt, item.evidence)


@staff_required()
@require_GET
def queue_item(request, pk: int):
    item = queue_selectors.get_queue_item(pk=pk)
    if item is None:
        raise Http404
    return render(
        request,
        "staff/queue_item.html",
        staff_context(
            request,
            item=item,
            label=item.target_text,
            segments=_segments(item),
            reports=queue_selectors.list_item_reports(item=item),
            close_form=CloseItemForm(),
        ),
    )


_ACTIONS = {
    "claim": (moderation.claim_item, _("You are handling this item now.")),
    "release": (moderation.release_item, _("The item is back in the queue.")),
    "resolve": (moderation.resolve_item, _("Resolved.")),
    "dismiss": (moderation.dismiss_item, _("Dismissed: no action needed.")),
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


# --- search ------------------------------------------------------------------------------


@staff_required()
@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    channels, accounts, query = [], [], ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        channels = search_selectors.search_channels(query)
        accounts = search_selectors.search_accounts(query)
        if len(channels) == 1 and not accounts and query.startswith("@") and channels[0].handle == query[1:].lower():
            return redirect("staff:channel_case", handle=channels[0].handle)
        for channel in channels:
            channel.case_url = reverse("staff:channel_case", args=[channel.handle])
    return render(
        request,
        "staff/search.html",
        staff_context(request, form=form, query=query, channels=channels, accounts=accounts),
    )


# --- case pages --------------------------------------------------------------------------


@staff_required()
@require_GET
def channel_case(request, handle: str):
    case = cases_selectors.get_channel_case(handle=handle, page=request.GET.get("page"))
    if case is None:
        raise Http404
    return render(
        request,
        "staff/channel_case.html",
        staff_context(
            request,
            case=case,
            channel=case.channel,
            manager_rows=cases_selectors.manager_rows(case.managers, channel=case.channel),
            restrictions=case.restrictions,
            takedown_restriction=case.restrictions.takedown_restriction,
            audit_query=urlencode({"channel": case.channel.public_id}),
            audit_limit=cases_selectors.CASE_AUDIT_LIMIT,
            queue_rows=_queue_rows(case.queue_items),
            close_form=CloseItemForm(),
        ),
    )


@staff_required()
@require_GET
def account_case(request, pk: int):
    case = cases_selectors.get_account_case(pk=pk, page=request.GET.get("page"))
    if case is None:
        raise Http404
    return render(
        request,
        "staff/account_case.html",
        staff_context(
            request,
            case=case,
            account=case.account,
            restrictions=case.restrictions,
            audit_query=urlencode({"account": case.account.email}),
            audit_limit=cases_selectors.CASE_AUDIT_LIMIT,
        ),
    )


# --- fraud rules -------------------------------------------------------------------------


@staff_required()
@require_GET
def fraud_rules(request):
    return render(
        request,
        "staff/fraud_rules.html",
        staff_context(request, rules=queue_selectors.list_fraud_rules(), threshold=moderation.fraud_threshold()),
    )


@staff_required(permissions.can_decide_senior)
def fraud_rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(FraudRule, pk=pk) if pk else None
    form = FraudRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.save_fraud_rule(actor=request.user, rule=rule, **form.cleaned_data)
        except moderation.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved. New content is scanned with it from now on."))
            return redirect(reverse("staff:fraud_rules"))
    return render(request, "staff/fraud_rule_form.html", staff_context(request, form=form, rule=rule))
