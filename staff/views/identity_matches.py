"""Identity verifications where the same person verified another account: flagged ones and
those refused because the other account is permanently restricted. Every staff role may look."""

from django.core.paginator import Paginator
from django.shortcuts import render

from channels_admin.selectors.identity import list_identity_matches
from core.permissions import staff_required


@staff_required()
def identity_matches(request):
    page = Paginator(list_identity_matches(), 50).get_page(request.GET.get("page"))
    return render(request, "staff/identity_matches.html", {"page": page})
