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
    charts = selectors.get_home_charts()
    return render(
        request,
        "staff/home.html",
        staff_context(
            request,
            search_form=SearchForm(),
            **presenter.home_page(
                counts=selectors.get_attention_counts(),
                policy_at=selectors.policy_effective_at(),
                charts=charts,
            ),
        ),
    )
