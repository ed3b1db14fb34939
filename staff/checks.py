"""Deploy checks of the moderation queue."""

from django.conf import settings
from django.core.checks import Warning, register  # noqa: A004


@register(deploy=True)
def check_report_webhook_secret(app_configs=None, **kwargs):
    """The development secret is public: with it anyone could file reports as the messenger."""
    if getattr(settings, "REPORT_WEBHOOK_SECRET", "") in ("", settings.DEVELOPMENT_SECRETS["REPORT_WEBHOOK_SECRET"]):
        return [Warning("REPORT_WEBHOOK_SECRET is not set: it still has the development value.", id="restrictions.W001")]
    return []
