from django.urls import path

from .views import chat_policy, home, identity_matches, moderation, sanctions

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
    path("queue/", moderation.queue, name="queue"),
    path("queue/<int:pk>/", moderation.queue_item, name="queue_item"),
    path("queue/<int:pk>/<slug:action>/", moderation.queue_action, name="queue_action"),
    path("search/", moderation.search, name="search"),
    path("channels/<str:handle>/", moderation.channel_case, name="channel_case"),
    path("accounts/<int:pk>/", moderation.account_case, name="account_case"),
    path("rules/", moderation.fraud_rules, name="fraud_rules"),
    path("rules/new/", moderation.fraud_rule_edit, name="fraud_rule_new"),
    path("rules/<int:pk>/", moderation.fraud_rule_edit, name="fraud_rule_edit"),
    path("chat-policy/", chat_policy.chat_policy, name="chat_policy"),
    path("identity-matches/", identity_matches.identity_matches, name="identity_matches"),
    path("channels/<str:handle>/restrict/", sanctions.restrict_channel, name="restrict_channel"),
    path("accounts/<int:account_id>/restrict/", sanctions.restrict_account, name="restrict_account"),
    path("restrictions/", sanctions.restriction_list, name="restriction_list"),
    path("restrictions/<int:pk>/", sanctions.restriction_detail, name="restriction_detail"),
    path("restrictions/<int:pk>/modify/", sanctions.modify_restriction, name="modify_restriction"),
    path("restrictions/<int:pk>/lift/", sanctions.lift_restriction, name="lift_restriction"),
    path("restrictions/<int:pk>/confirm/", sanctions.confirm_restriction, name="confirm_restriction"),
    path("restrictions/<int:pk>/takedowns/", sanctions.take_down, name="take_down"),
    path("takedowns/<int:pk>/restore/", sanctions.restore_takedown, name="restore_takedown"),
    path("appeals/", sanctions.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", sanctions.appeal_detail, name="appeal_detail"),
    path("audit/", sanctions.audit_list, name="audit_list"),
]
