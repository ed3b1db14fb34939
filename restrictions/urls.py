from django.urls import path

from .views import chat_policy, home, moderation

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
]
