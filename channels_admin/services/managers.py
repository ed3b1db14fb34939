"""State changes for channels and their managers: creation, invitations, removal, master handover."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import ChannelAuditEvent
from core.audit import record_audit
from notifications.services import request_invitation_email
from restrictions.selectors import is_read_only

from ..models import Account, Channel, ChannelManager, ManagerInvitation, ManagerRole
from ..selectors.channels import channels_changed

INVITATION_LIFETIME = timedelta(days=7)


class ManagerError(Exception):
    """A change to a channel's managers that the rules do not allow. The message is for people."""


def _lock_channel(channel: Channel) -> Channel:
    return Channel.objects.select_for_update().get(pk=channel.pk)


def _require_master(*, actor: Account, channel: Channel) -> None:
    if not ChannelManager.objects.filter(channel=channel, account=actor, role=ManagerRole.MASTER).exists():
        raise ManagerError(_("Only the channel's master can change its managers."))
    if is_read_only(channel=channel, account=actor):
        raise ManagerError(_("This channel is permanently restricted; its managers can no longer be changed."))


@transaction.atomic
def create_channel(*, master: Account, handle: str, name: str, kind: str = "general", business_verified_at=None, **fields) -> Channel:
    """Create a channel with ``master`` as its master."""
    channel = Channel(handle=Channel.normalize_handle(handle), name=name, kind=kind, business_verified_at=business_verified_at, **fields)
    channel.full_clean()
    channel.save()
    ChannelManager.objects.create(channel=channel, account=master, role=ManagerRole.MASTER)
    return channel


@transaction.atomic
def invite_manager(*, actor: Account, channel: Channel, email: str) -> ManagerInvitation:
    """Invite ``email`` to manage ``channel``. Audits MANAGER_INVITED and emails the invitee
    through the outbox (one delivery, in this transaction)."""
    channel = _lock_channel(channel)
    _require_master(actor=actor, channel=channel)
    email = email.strip().lower()
    if ChannelManager.objects.filter(channel=channel, account__email=email).exists():
        raise ManagerError(_("%(email)s already manages this channel.") % {"email": email})
    ManagerInvitation.objects.filter(channel=channel, email=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = ManagerInvitation.objects.create(
        channel=channel,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    record_audit(event_type=ChannelAuditEvent.MANAGER_INVITED, actor=actor, channel=channel, data={"email": email})

    request_invitation_email(invitation=invitation, recipient=Account.objects.filter(email=email).first())
    return invitation



@transaction.atomic
def accept_invitation(*, invitation: ManagerInvitation, account: Account) -> ChannelManager:
    """Make ``account`` a manager of the invitation's channel. Audits MANAGER_ADDED."""
    invitation = ManagerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ManagerError(_("This invitation is no longer valid."))
    if invitation.email != account.email:
        raise ManagerError(_("This invitation was sent to another email address."))
    _lock_channel(invitation.channel)
    membership, _created = ChannelManager.objects.get_or_create(
        channel=invitation.channel, account=account, defaults={"role": ManagerRole.MANAGER}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_audit(event_type=ChannelAuditEvent.MANAGER_ADDED, actor=account, channel=invitation.channel, account=account)
    return membership


@transaction.atomic
def remove_manager(*, actor: Account, membership: ChannelManager) -> None:
    """Remove a manager (not the master) from a channel. Audits MANAGER_REMOVED."""
    channel = _lock_channel(membership.channel)
    _require_master(actor=actor, channel=channel)
    membership = ChannelManager.objects.select_for_update().get(pk=membership.pk)
    if membership.role == ManagerRole.MASTER:
        raise ManagerError(_("The master cannot be removed; hand the master role over first."))
    membership.delete()
    record_audit(event_type=ChannelAuditEvent.MANAGER_REMOVED, actor=actor, channel=channel, account=membership.account)


@transaction.atomic
def transfer_master(*, actor: Account, channel: Channel, new_master: ChannelManager) -> None:
    """Hand the master role to another manager; the old master stays a manager."""
    channel = _lock_channel(channel)
    _require_master(actor=actor, channel=channel)
    new_master = ChannelManager.objects.select_for_update().get(pk=new_master.pk)
    if new_master.channel_id != channel.pk:
        raise ManagerError(_("That person does not manage this channel."))
    if new_master.role == ManagerRole.MASTER:
        return
    # Demote first: the database allows one master per channel at any moment.
    ChannelManager.objects.filter(channel=channel, role=ManagerRole.MASTER).update(role=ManagerRole.MANAGER)
    channels_changed([channel.pk])  # the old master's role changed without a signal
    new_master.role = ManagerRole.MASTER
    try:
        new_master.save(update_fields=["role"])
    except IntegrityError as exc:  # pragma: no cover - guarded by the channel lock
        raise ManagerError(_("The master role changed meanwhile; try again.")) from exc
    record_audit(
        event_type=ChannelAuditEvent.MASTER_TRANSFERRED,
        actor=actor,
        channel=channel,
        account=new_master.account,
        data={"before": {"master": actor.pk}, "after": {"master": new_master.account_id}},
    )
