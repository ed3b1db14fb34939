"""The staff home: what needs attention now, and two charts."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import charts
from ..selectors import home as home_selectors
from ..forms.moderation import SearchForm
from .base import staff_context, staff_required


@staff_required()
@require_GET
def staff_home(request):
    mondays, by_type = home_selectors.restrictions_per_week()
    return render(
        request,
        "staff/home.html",
        staff_context(
            request,
            counts=home_selectors.get_attention_counts(),
            policy_at=home_selectors.policy_effective_at(),
            share_chart=charts.verified_share_chart(home_selectors.verified_share_by_day()),
            restrictions_chart=charts.restrictions_chart(mondays, by_type),
            search_form=SearchForm(),
        ),
    )
