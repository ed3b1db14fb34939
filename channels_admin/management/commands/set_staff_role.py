"""Grant or revoke a staff role (audited)."""

import json

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account
from channels_admin.services.accounts import StaffRoleError, set_staff_role
from core.roles import StaffRole

NONE = "none"


def _account(email: str, what: str) -> Account:
    account = Account.objects.filter(email=email.strip().lower()).first()
    if account is None:
        raise CommandError(f"No account with the email {email!r} ({what}).")
    return account


class Command(BaseCommand):
    help = (
        "Grant a staff role to an account, or revoke it with the role none. The actor must be a senior "
        "moderator or a superuser, and not the account itself; the change is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="email of the account whose role changes")
        parser.add_argument("role", help=f"one of {', '.join(StaffRole.values)}, or {NONE} to revoke")
        parser.add_argument("--actor", metavar="EMAIL", required=True, help="email of the senior moderator or superuser making the change")
        parser.add_argument("--json", action="store_true", help='print {"account": …, "role": …, "changed": …}')

    def handle(self, *args, **options):
        role = options["role"].strip().lower()
        if role != NONE and role not in StaffRole.values:
            raise CommandError(f"Unknown role {options['role']!r}: use {', '.join(StaffRole.values)} or {NONE}.")
        account = _account(options["email"], "the account")
        actor = _account(options["actor"], "--actor")
        try:
            changed = set_staff_role(account=account, role="" if role == NONE else role, actor=actor)
        except StaffRoleError as exc:
            raise CommandError(str(exc)) from None
        shown = account.staff_role or NONE
        if options["json"]:
            self.stdout.write(json.dumps({"account": account.email, "role": shown, "changed": changed}))
        elif changed:
            self.stdout.write(self.style.SUCCESS(f"{account.email} is now {shown}."))
        else:
            self.stdout.write(f"{account.email} already is {shown}; nothing changed.")
