"""Staff: the audit trail, filtered by channel, account, actor and dates."""

from django.shortcuts import render

from core.paging import keyset_page
from core.permissions import staff_required
from restrictions import selectors

from ..forms.sanctions import AuditFilterForm
from ..presenters.audit import audit_list_html
from .base import PAGE_SIZE


@staff_required()
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = selectors.list_audit_entries().none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        entries = selectors.list_audit_entries(**{k: v for k, v in filters.items() if v})
    page = keyset_page(entries, request, size=PAGE_SIZE)
    return render(
        request,
        "staff/sanctions/audit_list.html",
        {"form": form, "page": page, "rows": audit_list_html(page.items)},
    )
