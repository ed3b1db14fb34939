"""Start-up checks of the production configuration that no single app owns."""

import logging

from django.conf import settings
from django.core.checks import Warning, register  # noqa: A004

logger = logging.getLogger(__name__)

_CONSOLE_BACKENDS = ("django.core.mail.backends.console.EmailBackend", "notifications.mail.StderrEmailBackend")


def console_email_warning() -> str:
    """Why production mail would go nowhere, or "" when it is set up."""
    if getattr(settings, "DJANGO_ENV", "") == "production" and settings.EMAIL_BACKEND in _CONSOLE_BACKENDS:
        return (
            "EMAIL_URL is not set: in production every email (password resets, restriction notices) would be "
            "written to the console and never sent. Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example:587."
        )
    return ""


@register()
def check_production_email(app_configs=None, **kwargs):
    message = console_email_warning()
    return [Warning(message, id="core.W001")] if message else []


def warn_at_start() -> None:
    """Logged once per process at start, for servers (gunicorn, Celery) that run no checks."""
    if message := console_email_warning():
        logger.warning(message)
