"""State changes for what channels publish: posts, broadcast messages, the profile and paid
services. Each checks the restrictions for its feature inside the transaction, so a blocked
manager cannot slip through whichever door (view, command, API) they use."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restrictions.models import Scope
from restrictions.selectors import get_blocking_restriction
from restrictions.services.errors import FeatureBlocked

from ..models import Account, Broadcast, Channel, ChannelManager, PaidService, Post


class ContentError(Exception):
    """A content change the rules do not allow. The message is for people."""


def ensure_feature_allowed(*, account: Account, channel: Channel, feature: str) -> None:
    """Raise ``FeatureBlocked`` (carrying the restriction) if ``feature`` is blocked for
    ``account`` in ``channel``."""
    restriction = get_blocking_restriction(account=account, channel=channel, feature=feature)
    if restriction is not None:
        raise FeatureBlocked(restriction)


def _lock_for(*, actor: Account, channel: Channel, feature: str) -> Channel:
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if not ChannelManager.objects.filter(channel=channel, account=actor).exists():
        raise ContentError(_("Only the channel's managers can do this."))
    ensure_feature_allowed(account=actor, channel=channel, feature=feature)
    return channel


@transaction.atomic
def create_post(*, actor: Account, channel: Channel, title: str, body: str) -> Post:
    channel = _lock_for(actor=actor, channel=channel, feature=Scope.POSTS)
    post = Post(channel=channel, author=actor, title=title, body=body)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def edit_post(*, actor: Account, post: Post, title: str, body: str) -> Post:
    _lock_for(actor=actor, channel=post.channel, feature=Scope.POSTS)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_taken_down:
        raise ContentError(_("This post was taken down and cannot be edited."))
    post.title, post.body = title, body
    post.full_clean()
    post.save(update_fields=["title", "body", "updated_at"])
    return post


@transaction.atomic
def send_broadcast(*, actor: Account, channel: Channel, text: str) -> Broadcast:
    channel = _lock_for(actor=actor, channel=channel, feature=Scope.BROADCAST)
    broadcast = Broadcast(channel=channel, author=actor, text=text, created_at=timezone.now())
    broadcast.full_clean()
    broadcast.save()
    return broadcast


@transaction.atomic
def update_profile(*, actor: Account, channel: Channel, name: str, picture_url: str, description: str) -> Channel:
    channel = _lock_for(actor=actor, channel=channel, feature=Scope.PROFILE)
    if channel.profile_taken_down_at is not None:
        raise ContentError(_("The channel profile was taken down; it cannot be edited until staff restore it."))
    channel.name, channel.picture_url, channel.description = name, picture_url, description
    channel.full_clean()
    channel.save(update_fields=["name", "picture_url", "description"])
    return channel


@transaction.atomic
def create_paid_service(*, actor: Account, channel: Channel, kind: str, name: str, description: str, price_krw: int) -> PaidService:
    channel = _lock_for(actor=actor, channel=channel, feature=Scope.PAID_SERVICES)
    service = PaidService(channel=channel, kind=kind, name=name, description=description, price_krw=price_krw)
    service.full_clean()
    service.save()
    return service
