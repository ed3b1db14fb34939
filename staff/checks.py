"""Deploy checks of the moderation queue."""

from django.conf import settings
from django.core.checks import Warning, register  # noqa: A004

_DEVELOPMENT_REPORT_SECRET = "whsec_ZW1iZWRkZWQtcmVwb3J0LXdlYmhvb2s="


@register(deploy=True)
def check_report_webhook_secret(app_configs=None, **kwargs):
    """The development secret is public: with it anyone could file reports as the messenger."""
    if getattr(settings, "REPORT_WEBHOOK_SECRET", "") in ("", _DEVELOPMENT_REPORT_SECRET):
        return [Warning("REPORT_WEBHOOK_SECRET is not set: it still has the development value.", id="restrictions.W001")]
    return []
