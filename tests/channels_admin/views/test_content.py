"""Posts, broadcasts, profile and paid services in the Admin Center, behind the restriction check."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from channels_admin.models import Broadcast, Channel, ChannelManager, PaidService, Post
from restrictions import services
from restrictions.models import Appeal
from tests.factories import PostFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

# url name, extra url args, POST data, the model whose rows a success adds, the scope that blocks it
FEATURES = [
    ("channels_admin:post_create", [], {"title": "Hello", "body": "New bread"}, Post, "posts"),
    ("channels_admin:broadcast_list", [], {"text": "Sale today"}, Broadcast, "broadcast"),
    ("channels_admin:paid_service_list", [], {"kind": "coupon", "name": "5% off", "description": "", "price_krw": "500"}, PaidService, "paid_services"),
]


def restrict(actor, *, scope, type="temporary", **target):  # noqa: A002
    extra = {"days": 3} if type in ("temporary", "activity") else {}
    return services.apply_restriction(
        actor=actor, type=type, scope=scope, reason="operation_policy", manager_message="Stop the spam.", **extra, **target
    )


@pytest.mark.parametrize("url_name, args, data, model, scope", FEATURES)
def test_each_feature_works_for_a_manager_without_restrictions(client_for, channel, manager, url_name, args, data, model, scope):
    response = client_for(manager).post(reverse(url_name, args=["bakery", *args]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert model.objects.count() == 1


@pytest.mark.parametrize("url_name, args, data, model, scope", FEATURES)
def test_each_feature_is_blocked_by_a_restriction_on_its_scope(client_for, channel, manager, moderator, url_name, args, data, model, scope):
    # given a restriction on exactly this feature
    restriction = restrict(moderator, scope=[scope], channel=channel)
    client = client_for(manager)
    # when the manager opens and submits the feature
    page = client.get(reverse(url_name, args=["bakery", *args]))
    response = client.post(reverse(url_name, args=["bakery", *args]), data)
    # then nothing is created and they see which restriction, why, until when, and where to appeal
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert model.objects.count() == 0
    body = response.content.decode()
    assert "This feature is restricted" in body
    assert "Channel operation policy" in body
    assert "Stop the spam." in body
    assert "until " in body
    assert reverse("channels_admin:restriction_detail", args=[restriction.pk]) in body
    assert page.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    assert 'data-testid="feature-blocked"' in page.content.decode()


def test_editing_a_post_and_the_profile_are_blocked_too(client_for, channel, manager, moderator):
    post = PostFactory(channel=channel, title="Old")
    restrict(moderator, scope=["posts", "profile"], channel=channel)
    client = client_for(manager)
    edit = client.post(reverse("channels_admin:post_edit", args=["bakery", post.pk]), {"title": "New", "body": "x"})
    profile = client.post(reverse("channels_admin:profile_edit", args=["bakery"]), {"name": "Other", "picture_url": "", "description": ""})
    assert edit.status_code == profile.status_code == HTTPStatus.FORBIDDEN
    assert Post.objects.get().title == "Old" and Channel.objects.get(pk=channel.pk).name == "Bakery"


def test_a_restriction_on_one_feature_leaves_the_others(client_for, channel, manager, moderator):
    restrict(moderator, scope=["broadcast"], channel=channel)
    response = client_for(manager).post(reverse("channels_admin:post_create", args=["bakery"]), {"title": "Hi", "body": "x"})
    assert response.status_code == HTTPStatus.FOUND


def test_an_account_restriction_blocks_that_manager_only(client_for, channel, master, manager, moderator):
    restrict(moderator, scope=["posts"], account=manager)
    data = {"title": "Hi", "body": "x"}
    assert client_for(manager).post(reverse("channels_admin:post_create", args=["bakery"]), data).status_code == HTTPStatus.FORBIDDEN
    assert client_for(master).post(reverse("channels_admin:post_create", args=["bakery"]), data).status_code == HTTPStatus.FOUND


def test_a_warning_blocks_nothing_but_shows_a_banner(client_for, channel, manager, moderator):
    restrict(moderator, scope=["posts"], type="warning", channel=channel)
    client = client_for(manager)
    assert client.post(reverse("channels_admin:post_create", args=["bakery"]), {"title": "Hi", "body": "x"}).status_code == HTTPStatus.FOUND
    assert "Formal warning on record" in client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()


def test_the_service_checks_again_whatever_the_view_did(channel, manager, moderator):
    from channels_admin.services import content
    from restrictions.services import FeatureBlocked

    restrict(moderator, scope=["all"], type="activity", channel=channel)
    with pytest.raises(FeatureBlocked):
        content.create_post(actor=manager, channel=channel, title="x", body="y")
    with pytest.raises(FeatureBlocked):
        content.send_broadcast(actor=manager, channel=channel, text="x")
    with pytest.raises(FeatureBlocked):
        content.create_paid_service(actor=manager, channel=channel, kind="coupon", name="x", description="", price_krw=100)
    with pytest.raises(FeatureBlocked):
        content.update_profile(actor=manager, channel=channel, name="x", picture_url="", description="")


def test_a_permanently_restricted_channel_is_read_only(client_for, channel, master, manager, senior, second_senior):
    # given a confirmed permanent restriction
    restriction = restrict(senior, scope=["all"], type="permanent", channel=channel)
    client = client_for(master)
    assert client.post(reverse("channels_admin:post_create", args=["bakery"]), {"title": "x", "body": "y"}).status_code == HTTPStatus.FOUND
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    # then every change is refused, managers included, and the pages say so
    for url_name, args, data, _model, _scope in FEATURES:
        assert client.post(reverse(url_name, args=["bakery", *args]), data).status_code == HTTPStatus.FORBIDDEN
    membership = ChannelManager.objects.get(channel=channel, account=manager)
    client.post(reverse("channels_admin:remove_manager", args=["bakery", membership.pk]), {"confirmed": "yes"})
    assert ChannelManager.objects.filter(pk=membership.pk).exists()
    body = client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert "permanently restricted" in body and 'data-testid="read-only-banner"' in body
    assert "Invite" not in body and "Make master" not in body


def test_taken_down_content_disappears_for_managers(client_for, channel, manager, moderator):
    keep, remove = PostFactory(channel=channel, title="Keep me"), PostFactory(channel=channel, title="Scam post")
    restriction = restrict(moderator, scope=["posts", "profile"], channel=channel)
    services.take_down_content(actor=moderator, restriction=restriction, content=remove)
    services.take_down_content(actor=moderator, restriction=restriction, content=channel)
    client = client_for(manager)
    body = client.get(reverse("channels_admin:post_list", args=["bakery"])).content.decode()
    assert "Keep me" in body and "Scam post" not in body
    assert client.get(reverse("channels_admin:post_edit", args=["bakery", remove.pk])).status_code == HTTPStatus.NOT_FOUND
    detail = client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert "Profile taken down" in detail
    assert Post.objects.filter(pk__in=[keep.pk, remove.pk]).count() == 2  # kept, only hidden


def test_the_banner_and_dashboard_show_the_restriction(client_for, channel, manager, moderator):
    restriction = restrict(moderator, scope=["chat", "posts"], channel=channel)
    client = client_for(manager)
    detail = client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert 'data-testid="restriction-banner"' in detail and "1:1 chat, Posts" in detail
    dashboard = client.get(reverse("channels_admin:dashboard")).content.decode()
    assert 'data-testid="restriction-alerts"' in dashboard
    assert reverse("channels_admin:channel_status", args=[restriction.channel.handle]) in dashboard


def test_an_unconfirmed_permanent_is_not_shown_to_managers(client_for, channel, manager, senior):
    restriction = restrict(senior, scope=["all"], type="permanent", channel=channel)
    client = client_for(manager)
    assert 'data-testid="restriction-banner"' not in client.get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert client.get(reverse("channels_admin:restriction_detail", args=[restriction.pk])).status_code == HTTPStatus.NOT_FOUND


def test_a_manager_reads_the_restriction_and_appeals_from_the_admin_center(client_for, channel, manager, moderator, stranger):
    restriction = restrict(moderator, scope=["posts"], channel=channel)
    url = reverse("channels_admin:restriction_detail", args=[restriction.pk])
    client = client_for(manager)
    body = client.get(url).content.decode()
    assert "Stop the spam." in body and "you can appeal it once" in body
    # an empty appeal is refused with a message
    empty = client.post(reverse("channels_admin:file_appeal", args=[restriction.pk]), {"text": ""})
    assert empty.status_code == HTTPStatus.BAD_REQUEST and not Appeal.objects.exists()
    too_long = client.post(reverse("channels_admin:file_appeal", args=[restriction.pk]), {"text": "x" * 2001})
    assert too_long.status_code == HTTPStatus.BAD_REQUEST and not Appeal.objects.exists()
    # a real one is filed once
    response = client.post(reverse("channels_admin:file_appeal", args=[restriction.pk]), {"text": "We deleted the ads."})
    assert response.status_code == HTTPStatus.FOUND
    body = client.get(url).content.decode()
    assert "Waiting for a decision" in body and "We deleted the ads." in body
    again = client.post(reverse("channels_admin:file_appeal", args=[restriction.pk]), {"text": "Again"})
    assert again.status_code == HTTPStatus.BAD_REQUEST and Appeal.objects.count() == 1
    # and nobody else sees it
    client.logout()
    assert client_for(stranger).get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(reverse("channels_admin:file_appeal", args=[restriction.pk]), {"text": "x"}).status_code == HTTPStatus.NOT_FOUND


def test_forms_reject_bad_input_without_writing(client_for, channel, manager):
    client = client_for(manager)
    bad_price = client.post(reverse("channels_admin:paid_service_list", args=["bakery"]), {"kind": "coupon", "name": "x", "price_krw": "-5"})
    bad_url = client.post(reverse("channels_admin:profile_edit", args=["bakery"]), {"name": "x", "picture_url": "javascript:alert(1)"})
    empty_post = client.post(reverse("channels_admin:post_create", args=["bakery"]), {"title": "", "body": ""})
    assert bad_price.status_code == bad_url.status_code == empty_post.status_code == HTTPStatus.OK
    assert not PaidService.objects.exists() and not Post.objects.exists()
    assert Channel.objects.get(pk=channel.pk).picture_url == ""


def test_the_profile_is_saved(client_for, channel, manager):
    response = client_for(manager).post(
        reverse("channels_admin:profile_edit", args=["bakery"]),
        {"name": "Bakery Mapo", "picture_url": "https://img.example/b.png", "description": "Bread."},
    )
    assert response.status_code == HTTPStatus.FOUND
    channel.refresh_from_db()
    assert (channel.name, channel.picture_url, channel.description) == ("Bakery Mapo", "https://img.example/b.png", "Bread.")


def test_another_channels_content_pages_are_404(client_for, channel, stranger):
    client = client_for(stranger)
    for name in ["post_list", "post_create", "broadcast_list", "profile_edit", "paid_service_list"]:
        assert client.get(reverse(f"channels_admin:{name}", args=["bakery"])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", ["post_list", "broadcast_list", "paid_service_list", "channel_detail"])
def test_content_pages_cost_the_same_queries_at_10_and_1000_rows(client_for, channel, manager, moderator, name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BroadcastFactory, PaidServiceFactory

    restrict(moderator, scope=["chat"], channel=channel)
    client = client_for(manager)
    url = reverse(f"channels_admin:{name}", args=["bakery"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(ctx)

    for factory in (PostFactory, BroadcastFactory, PaidServiceFactory):
        factory.create_batch(10, channel=channel)
    count()  # the first request keeps the account and its unread count for the next
    small = count()
    for factory in (PostFactory, BroadcastFactory, PaidServiceFactory):
        factory.create_batch(990, channel=channel)
    assert count() == small


def test_a_manager_of_a_business_channel_is_not_held_by_verification_pending(business_channel):
    from restrictions.selectors import get_blocking_restriction

    biz = ChannelManager.objects.get(channel=business_channel).account
    RestrictionFactory(account=biz, type="verification_pending")
    assert get_blocking_restriction(account=biz, channel=business_channel, feature="chat") is None
