"""Audit event codes. Each app declares its own codes as a ``TextChoices`` class and registers
it from its ``AppConfig.ready``; the audit trail's ``event_type`` offers every registered code
and shows each in the reader's language."""

from django.db import models

_REGISTERED: dict[str, object] = {}


def register_audit_events(choices: type[models.TextChoices]) -> None:
    """Add an app's event codes. A code registered twice with another label is a mistake."""
    for value, label in choices.choices:
        known = _REGISTERED.get(value)
        if known is not None and str(known) != str(label):
            raise ValueError(f"audit event {value!r} is already registered as {known!r}")
        _REGISTERED[value] = label


def audit_event_choices() -> list[tuple[str, object]]:
    """Every registered code with its (lazy) label, in registration order."""
    return list(_REGISTERED.items())


def audit_event_label(code: str) -> str:
    return str(_REGISTERED.get(code, code))
