import json

from django.core.management.base import CommandError

from channels_admin.models import Account


def staff_actor(email: str) -> Account:
    account = Account.objects.filter(email=email.strip().lower()).first()
    if account is None:
        raise CommandError(f"No account with the email {email!r}.")
    return account


def issued_as_dict(issued) -> dict:
    key = issued.key
    return {
        "client": issued.client.pk, "name": issued.client.name, "scopes": issued.client.scopes,
        "key": issued.plaintext, "key_prefix": key.prefix, "created_at": key.created_at.isoformat(),
    }


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
