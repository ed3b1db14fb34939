"""Staff pages: service notices (publish, withdraw) and the deliveries of every notification."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.ids import parse_id
from core.paging import cursor_from
from core.permissions import staff_required
from notifications import selectors, services
from notifications.models import Delivery, DeliveryState, ServiceNotice

from ..forms.notifications import DeliveryFilterForm, ServiceNoticeForm
from ..presenters.deliveries import delivery_rows, service_notice_rows


@staff_required(permissions.can_moderate)
def notices(request):
    form = ServiceNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        title, body, translations = form.texts()
        try:
            notice = services.publish_service_notice(
                actor=request.user, title=title, body=body, language=data["language"], translations=translations,
                audience=data["audience"], publish_at=data["publish_at"], expires_at=data["expires_at"],
                pinned=data["pinned"],
            )
        except services.NoticeError as exc:
            form.add_error(None, str(exc))
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, _("Notice “%(title)s” published.") % {"title": notice.title})
            return redirect("staff_notifications:notices")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "staff/notices.html",
        {"form": form, "service_notices": service_notice_rows(selectors.list_service_notices_for_staff())}, status=status,
    )


@staff_required(permissions.can_moderate)
@require_POST
def withdraw_notice(request, notice_id):
    notice = get_object_or_404(ServiceNotice, pk=notice_id)
    try:
        services.withdraw_service_notice(actor=request.user, notice=notice)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("Notice “%(title)s” withdrawn.") % {"title": notice.title})
    return redirect("staff_notifications:notices")


def _filter(request):
    form = DeliveryFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, selectors.DeliveryFilter(
            event=d["event"], channel=d["channel"], state=d["state"], account=d["account"], restriction_id=d["restriction"]
        )
    return form, selectors.DeliveryFilter() if not form.is_bound else None


@staff_required()
def deliveries(request):
    form, delivery_filter = _filter(request)
    if delivery_filter is None:
        return render(request, "staff/deliveries.html", {"form": form, "page": None, "counts": {}}, status=400)
    page = selectors.list_deliveries(delivery_filter, before=cursor_from(request))
    summary = selectors.summarize_deliveries(delivery_filter)
    counts: dict[str, int] = {}
    for row in summary.rows:
        for state, n in row["states"].items():
            counts[state] = counts.get(state, 0) + n
    can_retry = permissions.can_moderate(request.user)
    query = request.GET.copy()
    query.pop("before", None)
    # Each state named in the reader's language, in the order of the choices: "발송됨 9", not "sent: 9".
    state_counts = [(state, label, counts[state]) for state, label in DeliveryState.choices if state in counts]
    return render(
        request,
        "staff/deliveries.html",
        {"form": form, "page": page, "rows": delivery_rows(page.items, can_retry=can_retry), "counts": counts, "state_counts": state_counts, "summary": summary.rows, "counted_at": summary.counted_at,
         "query": query.urlencode(), "can_retry": can_retry, "can_moderate": can_retry,
         # The retry button counts now, over the index of unsent rows: it must match what it retries.
         "failed": selectors.count_failed_deliveries(delivery_filter) if can_retry else 0},
    )


@staff_required(permissions.can_moderate)
@require_POST
def retry(request):
    """Retry one failed delivery (``delivery``) or every failed one matching the filter."""
    back = request.POST.get("back", "")
    if request.POST.get("delivery"):
        pk = parse_id(request.POST["delivery"])
        qs = Delivery.objects.filter(pk=pk) if pk is not None else Delivery.objects.none()
    else:
        form = DeliveryFilterForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The filter is not valid; nothing was retried."))
            return redirect("staff_notifications:deliveries")
        d = form.cleaned_data
        qs = selectors.filter_deliveries(
            selectors.DeliveryFilter(event=d["event"], channel=d["channel"], state=d["state"], account=d["account"],
                                     restriction_id=d["restriction"])
        )
    try:
        result = services.redeliver_failed(actor=request.user, deliveries=qs)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    if result.reset:
        messages.success(request, _("%(count)d failed deliveries will be sent again.") % {"count": result.reset})
    else:
        messages.info(request, _("No failed delivery to retry."))
    target = redirect("staff_notifications:deliveries")
    if back.startswith("?"):
        # Only the filter comes back, re-encoded: a raw value could carry a line break into the header.
        query = QueryDict(back[1:]).urlencode()
        if query:
            target["Location"] += "?" + query
    return target
