"""The staff area's outer wall: whatever a view under /staff/ forgets, a signed-in account
that is not staff gets 404 there and an anonymous visitor is sent to sign in. Views still
check the role they need (``core.permissions.staff_required``). With ``STAFF_2FA_REQUIRED``,
staff reach the area and the Django admin only once they entered a second factor in this
session (``core.two_factor``)."""

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import permissions, two_factor


class StaffAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        if self._prefix is None:
            self._prefix = reverse("staff:home")
            self._two_factor_prefix = reverse("staff:two_factor_verify").rsplit("/", 2)[0] + "/"
            self._admin_prefix = reverse("admin:index")
            self._admin_open = (reverse("admin:login"), reverse("admin:logout"))
        path = request.path_info
        if path.startswith(self._prefix):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.can_view_staff_area(user):
                raise Http404
            if not path.startswith(self._two_factor_prefix) and (answer := self._second_factor(request)):
                return answer
        elif (
            path.startswith(self._admin_prefix)
            and not path.startswith(self._admin_open)
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and (answer := self._second_factor(request))
        ):
            return answer
        return self.get_response(request)

    def _second_factor(self, request):
        """Staff who signed in with a password but entered no code in this session go to enrol
        (first time) or to the code page, and come back afterwards."""
        if not two_factor.is_required_for(request.user) or two_factor.is_verified(request):
            return None
        page = "staff:two_factor_verify" if two_factor.is_enrolled(request.user) else "staff:two_factor_setup"
        return redirect(reverse(page) + "?" + urlencode({"next": request.get_full_path()}))


class RefuseNulMiddleware:
    """A NUL character is never valid in an address, a query or a form, and PostgreSQL cannot
    hold one: such a request is answered 400 with a plain reason before any view looks
    anything up with it. Form fields are checked only where Django reads the form anyway (views
    under CSRF protection); signed webhooks read their raw body and check it themselves
    (``core.webhooks.parse_webhook_json``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return _refuse_nul(request, "path")
        if (where := _nul_in(request.GET)) is not None:
            return _refuse_nul(request, where)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method == "POST" and not getattr(view, "csrf_exempt", False) and (where := _nul_in(request.POST)) is not None:
            return _refuse_nul(request, where)
        return None


# path prefix -> callable(request, field name) giving the refusal in that part's own shape
_NUL_REFUSERS: dict[str, Callable[[HttpRequest, str], HttpResponse]] = {}


def refuse_nul_under(prefix: str, refuse: Callable[[HttpRequest, str], HttpResponse]) -> None:
    """Answer a NUL under ``prefix`` with ``refuse(request, field)`` rather than the plain text
    400: the JSON API refuses in its problem-details shape (registered by that app)."""
    _NUL_REFUSERS[prefix] = refuse


def _nul_in(query) -> str | None:
    """The name of the first field of ``query`` whose name or value holds a NUL character (``""``
    for a field without a name), or None."""
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key
    return None


def _refuse_nul(request, field: str):
    for prefix, refuse in _NUL_REFUSERS.items():
        if request.path.startswith(prefix):
            return refuse(request, field)
    return HttpResponseBadRequest(
        _("The address or the form contains a NUL character (character code 0), which is never valid. Remove it and try again."),
        content_type="text/plain; charset=utf-8",
    )
