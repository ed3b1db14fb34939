"""The staff home: what needs attention now, and two charts."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import staff_required

from ..forms.moderation import SearchForm
from ..presenters import home as presenter
from ..selectors import home as selectors
from .base import staff_context


@staff_required()
@require_GET
def staff_home(request):
    mondays, by_type = selectors.restrictions_per_week()
    return render(
        request,
        "staff/home.html",
        staff_context(
            request,
            search_form=SearchForm(),
            **presenter.home_page(
                counts=selectors.get_attention_counts(),
                policy_at=selectors.policy_effective_at(),
                share_by_day=selectors.verified_share_by_day(),
                mondays=mondays,
                restrictions_by_type=by_type,
            ),
        ),
    )
