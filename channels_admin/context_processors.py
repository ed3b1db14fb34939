from django.conf import settings


def admin_center(request):
    """What the page header needs on every page. Each extra is one cheap query at most."""
    context = {"languages": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from notifications.selectors import count_unread_notices

        context["unread_notice_count"] = count_unread_notices(account=user)
    return context
