"""How the restriction commands print a restriction with ``--json``."""

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
        "confirmed": restriction.confirmed_by_id is not None,
        "lift_reason": restriction.lift_reason,
    }
