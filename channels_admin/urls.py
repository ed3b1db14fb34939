from django.urls import path

from .views import account, content
from .views import chat as chat_views
from .views import core as views
from .views import identity as identity_views
from .views import status as status_views

app_name = "channels_admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("language/", views.switch_language, name="switch_language"),
    path("settings/", account.account_settings, name="account_settings"),
    path("robots.txt", views.robots, name="robots"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("channels/<str:handle>/", views.channel_detail, name="channel_detail"),
    path("channels/<str:handle>/managers/invite/", views.invite_manager, name="invite_manager"),
    path("channels/<str:handle>/managers/<int:membership_id>/remove/", views.remove_manager, name="remove_manager"),
    path("channels/<str:handle>/managers/<int:membership_id>/make-master/", views.transfer_master, name="transfer_master"),
    path("channels/<str:handle>/status/", status_views.channel_status, name="channel_status"),
    path("channels/<str:handle>/posts/", content.post_list, name="post_list"),
    path("channels/<str:handle>/posts/new/", content.post_form, name="post_create"),
    path("channels/<str:handle>/posts/<int:post_id>/edit/", content.post_form, name="post_edit"),
    path("channels/<str:handle>/broadcasts/", content.broadcast_list, name="broadcast_list"),
    path("channels/<str:handle>/profile/", content.profile_form, name="profile_edit"),
    path("channels/<str:handle>/paid-services/", content.paid_service_list, name="paid_service_list"),
    path("restrictions/", content.restriction_list, name="restriction_list"),
    path("restrictions/<int:pk>/", content.restriction_detail, name="restriction_detail"),
    path("restrictions/<int:pk>/appeal/", content.file_appeal, name="file_appeal"),
    # 1:1 chat
    path("channels/<str:handle>/chat/", chat_views.inbox, name="chat_inbox"),
    path("channels/<str:handle>/chat/<int:conversation_id>/", chat_views.conversation, name="chat_conversation"),
    path("channels/<str:handle>/chat/<int:conversation_id>/reply/", chat_views.reply, name="chat_reply"),
    path("channels/<str:handle>/chat/<int:conversation_id>/messages/", chat_views.poll_messages, name="chat_poll"),
    path("webhooks/chat/", chat_views.inbound_webhook, name="chat_webhook"),
    # Identity verification
    path("identity/verify/", identity_views.verify, name="identity_verify"),
    path("identity/verify/return/", identity_views.provider_return, name="identity_return"),
    path("identity/sandbox/<str:ref>/", identity_views.sandbox, name="identity_sandbox"),
    path("webhooks/identity/", identity_views.webhook, name="identity_webhook"),
]
