from django.utils import timezone, translation


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
