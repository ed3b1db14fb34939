"""What the restriction commands share: how they print a restriction, a takedown and an appeal
with ``--json``, how they find the accounts they are given, and how they call a service."""

import contextlib
import sys

from django.core.management.base import CommandError

from channels_admin.models import Account

from ... import services
from ...services.common import iso


def restriction_as_dict(restriction) -> dict:
    return {
        "id": restriction.pk,
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "state": restriction.state,
        "starts_at": iso(restriction.starts_at),
        "ends_at": iso(restriction.ends_at),
        "target": restriction.channel.public_id if restriction.channel_id else restriction.account.email,
        "channel": restriction.channel.public_id if restriction.channel_id else None,
        "account": restriction.account.email if restriction.account_id else None,
        "manager_message": restriction.manager_message,
        "created_by": restriction.created_by.email if restriction.created_by_id else None,
        "needs_confirmation": restriction.needs_confirmation,
        "confirmed": restriction.confirmed_by_id is not None,
        "lift_reason": restriction.lift_reason,
    }


def takedown_as_dict(takedown) -> dict:
    return {
        "id": takedown.pk,
        "restriction": takedown.restriction_id,
        "kind": takedown.kind,
        "object_id": takedown.object_id,
        "channel": takedown.channel.public_id,
        "taken_down_at": iso(takedown.taken_down_at),
        "taken_down_by": takedown.taken_down_by.email if takedown.taken_down_by_id else None,
        "restored_at": iso(takedown.restored_at),
        "restored_by": takedown.restored_by.email if takedown.restored_by_id else None,
        "restore_reason": takedown.restore_reason,
    }


def appeal_as_dict(appeal) -> dict:
    return {
        "id": appeal.pk,
        "restriction": appeal.restriction_id,
        "account": appeal.account.email,
        "state": appeal.state,
        "text": appeal.text,
        "created_at": iso(appeal.created_at),
        "decided_at": iso(appeal.decided_at),
        "decided_by": appeal.decided_by.email if appeal.decided_by_id else None,
        "decision_note": appeal.decision_note,
    }


def account_by_email(email: str, *, option: str = "--actor") -> Account:
    account = Account.objects.filter(email=(email or "").strip().lower()).first()
    if account is None:
        raise CommandError(f"{option}: no account with the email {email!r}.")
    return account


def call_service(function, **kwargs):
    """Run a service; its refusal becomes a CommandError (non-zero exit, nothing written)."""
    try:
        # In the embedded mode notifications are sent in-process and the console email
        # backend prints them: keep stdout for the command's own output.
        with contextlib.redirect_stdout(sys.stderr):
            return function(**kwargs)
    except services.RestrictionError as exc:
        raise CommandError(str(exc)) from exc
