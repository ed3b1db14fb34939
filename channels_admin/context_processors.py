from django.conf import settings


def admin_center(request):
    """What the page header needs on every page. Each extra is one cheap query at most."""
    context = {"languages": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from notifications.selectors import UNREAD_BADGE_CAP, count_unread_notices

        count = count_unread_notices(account=user)
        context["unread_notice_count"] = min(count, UNREAD_BADGE_CAP)
        context["unread_notice_overflow"] = count > UNREAD_BADGE_CAP
    return context
