from django.contrib.auth.middleware import AuthenticationMiddleware
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from . import frame


class AccountLanguageMiddleware:
    """A signed-in account sees the Admin Center in its preferred language and reads dates in
    its own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.preferred_language:
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = user.preferred_language
            timezone.activate(user.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # the thread's next request may be someone else's


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's authentication, with the signed-in account read from the cache: no query per
    request while the account is unchanged (``channels_admin.frame``)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: frame.get_user(request))
