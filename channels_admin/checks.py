"""System checks: a misconfigured identity provider is caught at start, not at a manager's click."""

from django.conf import settings
from django.core.checks import Error, Warning, register  # noqa: A004
from django.utils.module_loading import import_string


@register()
def check_identity_provider(app_configs=None, **kwargs):
    name = settings.IDENTITY_PROVIDER
    if name == "sandbox":
        return []
    if name == "http":
        missing = [key for key in ("IDENTITY_API_BASE", "IDENTITY_API_SECRET", "IDENTITY_BROWSER_URL", "IDENTITY_WEBHOOK_SECRET")
                   if not getattr(settings, key, "")]
        if missing:
            return [Error(f"IDENTITY_PROVIDER=http needs {', '.join(missing)}.", id="channels_admin.E001")]
        return []
    try:
        import_string(name)
    except ImportError:
        return [Error(f"IDENTITY_PROVIDER={name!r} is neither 'sandbox', 'http' nor an importable class.", id="channels_admin.E002")]
    return []


_DEVELOPMENT_SECRETS = ("IDENTITY_HASH_KEY", "IDENTITY_WEBHOOK_SECRET", "CHAT_WEBHOOK_SECRET")


@register(deploy=True)
def check_identity_for_deploy(app_configs=None, **kwargs):
    """In production the sandbox would let anyone verify, and public development keys would
    let anyone forge webhooks or recompute the person hashes."""
    warnings = []
    if settings.IDENTITY_PROVIDER == "sandbox":
        warnings.append(
            Warning(
                "IDENTITY_PROVIDER is 'sandbox': anyone can verify their own identity. Set IDENTITY_PROVIDER=http.",
                id="channels_admin.W001",
            )
        )
    for key in _DEVELOPMENT_SECRETS:
        if getattr(settings, key, "") in ("", settings.DEVELOPMENT_SECRETS[key]):
            warnings.append(Warning(f"{key} is not set: it still has the development value.", id="channels_admin.W002"))
    return warnings
