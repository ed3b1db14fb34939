"""Reads for the Admin Center. Each decides its joins so a page costs the same number of
queries however many rows there are."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import Channel, ChannelManager


def list_channels_for_account(*, account) -> QuerySet[Channel]:
    return Channel.objects.filter(managers__account=account).order_by("handle")


def list_memberships_for_account(*, account) -> QuerySet[ChannelManager]:
    return ChannelManager.objects.filter(account=account).select_related("channel").order_by("channel__handle")


DASHBOARD_PAGE_SIZE = 20


def page_memberships_for_account(*, account, number, size: int = DASHBOARD_PAGE_SIZE) -> Page:
    """One page of the account's channels by handle, with the columns the dashboard shows. Two
    queries (a count and the page) however many channels. A page number past the end answers
    with the last page, an unreadable one with the first."""
    memberships = list_memberships_for_account(account=account).only(
        "id", "channel_id", "account_id", "role",
        "channel__id", "channel__handle", "channel__name", "channel__kind", "channel__status",
    )
    return Paginator(memberships, size).get_page(number)


def get_channel_for_account(*, account, handle: str) -> Channel:
    """The channel if ``account`` manages it; 404 otherwise, so others' channels stay unseen."""
    return get_object_or_404(list_channels_for_account(account=account), handle=Channel.normalize_handle(handle))


def list_channel_managers(*, channel) -> QuerySet[ChannelManager]:
    return (
        channel.managers.select_related("account")
        .only("id", "channel_id", "account_id", "role", "created_at", "account__id", "account__email", "account__full_name")
        .order_by("-role", "created_at")
    )
