"""The staff area's outer wall: whatever a view under /staff/ forgets, a signed-in account
that is not staff gets 404 there and an anonymous visitor is sent to sign in. Views still
check the role they need (``core.permissions.staff_required``)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse

from . import permissions


class StaffAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        if self._prefix is None:
            self._prefix = reverse("staff:home")
        if request.path_info.startswith(self._prefix):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.can_view_staff_area(user):
                raise Http404
        return self.get_response(request)
