"""Staff search over channels and accounts."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.permissions import staff_required

from ..forms.moderation import SearchForm
from ..presenters import search as presenter
from ..selectors import search as selectors
from .base import staff_context


@staff_required()
@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    channels, accounts, query = [], [], ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        channels = selectors.search_channels(query)
        accounts = selectors.search_accounts(query)
        if len(channels) == 1 and not accounts and query.startswith("@") and channels[0].handle == query[1:].lower():
            return redirect("staff:channel_case", handle=channels[0].handle)
    return render(
        request,
        "staff/search.html",
        staff_context(
            request,
            form=form,
            query=query,
            channels=presenter.channel_results(channels),
            accounts=presenter.account_results(accounts),
        ),
    )
