"""Reads for the Admin Center. Each decides its joins so a page costs the same number of
queries however many rows there are.

An account's channels (which it manages, in which role, and what those channels are) are the
frame of every channel page and the dashboard's list: they are kept in the cache per account
under a version (``core.versioned_cache``) that moves whenever they change: a manager added,
removed or given another role, a channel saved (renamed, its kind or status changed) or
deleted, its profile taken down or restored. See ``channels_changed``."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404

from core import versioned_cache

from ..models import Channel, ChannelManager

CHANNELS = "frame-channels"  # an account's channels and its memberships (core.versioned_cache)
# The dashboard keeps the whole list of an account's channels when it has no more than this
# many; an account with more pages through the database (two queries) instead.
KEPT_MEMBERSHIPS = 500


def list_channels_for_account(*, account) -> QuerySet[Channel]:
    return Channel.objects.filter(managers__account=account).order_by("handle")


def list_memberships_for_account(*, account) -> QuerySet[ChannelManager]:
    return ChannelManager.objects.filter(account=account).select_related("channel").order_by("channel__handle")


DASHBOARD_PAGE_SIZE = 20
_DASHBOARD_FIELDS = ("id", "channel_id", "account_id", "role",
                     "channel__id", "channel__handle", "channel__name", "channel__kind", "channel__status")


def _kept_memberships(account_id) -> list[ChannelManager] | tuple[()]:
    # () when there are too many to keep: the caller pages through the database.
    rows = list(list_memberships_for_account(account=account_id).only(*_DASHBOARD_FIELDS)[: KEPT_MEMBERSHIPS + 1])
    return rows if len(rows) <= KEPT_MEMBERSHIPS else ()


def list_memberships_kept(*, account) -> list[ChannelManager] | None:
    """Every membership of the account with the columns the dashboard shows, by handle; no
    query while its channels are unchanged. None past ``KEPT_MEMBERSHIPS``."""
    kept = versioned_cache.read(CHANNELS, account.pk, lambda: _kept_memberships(account.pk), part="memberships")
    return None if kept == () else kept


def page_memberships_for_account(*, account, number, size: int = DASHBOARD_PAGE_SIZE, kept=None) -> Page:
    """One page of the account's channels by handle, with the columns the dashboard shows:
    from ``kept`` (``list_memberships_kept``) when given, else two queries (a count and the
    page). A page number past the end answers with the last page, an unreadable one with the
    first."""
    memberships = kept if kept is not None else list_memberships_for_account(account=account).only(*_DASHBOARD_FIELDS)
    return Paginator(memberships, size).get_page(number)


def list_channel_ids_for_account(*, account) -> list[int]:
    """The ids of the channels ``account`` manages; no query while they are unchanged."""
    def load():
        return list(ChannelManager.objects.filter(account=account).order_by().values_list("channel_id", flat=True))

    return versioned_cache.read(CHANNELS, account.pk, load, part="channel-ids")


class _NotManaged:
    """Kept in place of a channel the account does not manage, or that does not exist (None is
    never kept)."""


def get_channel_for_account(*, account, handle: str) -> Channel:
    """The channel if ``account`` manages it; 404 otherwise, so others' channels stay unseen.
    No query while the account's channels are unchanged."""
    handle = Channel.normalize_handle(handle)

    def load():
        return list_channels_for_account(account=account).filter(handle=handle).first() or _NotManaged

    channel = versioned_cache.read(CHANNELS, account.pk, load, part=f"channel:{handle}")
    if channel is _NotManaged:
        raise Http404("No channel matches the given query.")
    return channel


BY_HANDLE = "channel-by-handle"  # channels looked up by handle, all under one version


def get_channel_by_handle(handle: str) -> Channel | None:
    """The channel with this handle, or None: what staff pages open a channel by. No query
    while no channel changed (any channel saved, deleted or taken down moves them all on: a
    handle may change, and channels change seldom)."""
    handle = Channel.normalize_handle(handle)

    def load():
        return Channel.objects.filter(handle=handle).first() or _NotManaged

    channel = versioned_cache.read(BY_HANDLE, "all", load, part=handle)
    return None if channel is _NotManaged else channel


def list_channel_managers(*, channel) -> QuerySet[ChannelManager]:
    return (
        channel.managers.select_related("account")
        .only("id", "channel_id", "account_id", "role", "created_at", "account__id", "account__email", "account__full_name")
        .order_by("-role", "created_at")
    )


def channels_changed(channel_ids) -> None:
    """What the managers of ``channel_ids`` see of their channels must be read again (after
    this transaction): for a change the model's signals do not see (``QuerySet.update``)."""
    accounts = ChannelManager.objects.filter(channel_id__in=list(channel_ids)).values_list("account_id", flat=True)
    versioned_cache.bump_many(CHANNELS, list(accounts))
    versioned_cache.bump(BY_HANDLE, "all")


@receiver(post_save, sender=Channel, dispatch_uid="frame-channel-saved")
@receiver(post_delete, sender=Channel, dispatch_uid="frame-channel-deleted")
def _channel_saved(sender, instance, **kwargs):
    channels_changed([instance.pk])


@receiver(post_save, sender=ChannelManager, dispatch_uid="frame-membership-saved")
@receiver(post_delete, sender=ChannelManager, dispatch_uid="frame-membership-deleted")
def _membership_changed(sender, instance, **kwargs):
    versioned_cache.bump(CHANNELS, instance.account_id)
