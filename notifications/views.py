"""A manager's notification inbox and the Notices board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fragments import render_rows
from core.paging import cursor_from

from . import selectors, services


@login_required
def inbox(request):
    page = selectors.list_inbox(account=request.user, before=cursor_from(request))
    # Each notice drawn once for what it shows (read or not), in the reader's language and zone.
    rows = render_rows("notifications/rows/notice.html", page.items, present=list, name="notice",
                       shared={"inbox_url": reverse("notifications:inbox")})
    return render(request, "notifications/inbox.html", {"page": page, "notices": page.items, "rows": rows})


@login_required
def notice_detail(request, notice_id):
    notice = selectors.get_notice_for_account(account=request.user, notice_id=notice_id)
    services.mark_notice_read(actor=request.user, notice=notice)  # opening a notice reads it
    return render(request, "notifications/notice_detail.html", {"notice": notice})


@login_required
@require_POST
def mark_read(request, notice_id):
    notice = selectors.get_notice_for_account(account=request.user, notice_id=notice_id)
    services.mark_notice_read(actor=request.user, notice=notice)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_notices_read(actor=request.user)
    messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def board(request):
    return render(request, "notifications/board.html", {"service_notices": selectors.list_board(account=request.user)})


@login_required
def service_notice_detail(request, notice_id):
    notice = selectors.get_service_notice_for_account(account=request.user, notice_id=notice_id)
    return render(request, "notifications/service_notice_detail.html", {"service_notice": notice, "text": notice.shown})
