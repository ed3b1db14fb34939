import unicodedata
from functools import cache

from django.conf import settings
from django.utils.translation import get_language_info

from notifications.selectors import UNREAD_BADGE_CAP, count_unread_notices_kept


@cache
def _languages() -> tuple[tuple[str, str], ...]:
    """The language switcher's choices, each named in its own language (한국어, Tiếng Việt).
    Django spells some of those names decomposed; NFC is how the rest of the page is written."""
    return tuple(
        (code, unicodedata.normalize("NFC", get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES
    )


def admin_center(request):
    """What the page header needs on every page: no query while the unread count is kept."""
    context = {"languages": _languages()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        count = getattr(user, "kept_unread_count", None)  # read with the account (channels_admin.frame)
        if count is None:
            count = count_unread_notices_kept(account=user)
        context["unread_notice_count"] = min(count, UNREAD_BADGE_CAP)
        context["unread_notice_overflow"] = count > UNREAD_BADGE_CAP
    return context
