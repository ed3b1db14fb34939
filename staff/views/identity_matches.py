"""Identity verifications where the same person verified another account: flagged ones and
those refused because the other account is permanently restricted. Every staff role may look."""

from django.shortcuts import render

from channels_admin.selectors.identity import list_identity_matches
from core.fragments import render_rows
from core.paging import keyset_page
from core.permissions import staff_required


@staff_required()
def identity_matches(request):
    page = keyset_page(list_identity_matches(), request, size=50)
    # Each row drawn once for what it shows: the verification, both accounts and the restriction named.
    rows = render_rows("staff/rows/identity_match.html", page.items, present=list, name="v")
    return render(request, "staff/identity_matches.html", {"page": page, "rows": rows})
