from django.urls import path

from .views import appeals, audit, cases, chat_policy, home, identity_matches, queue, restrictions, rules, search, two_factor

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
    path("queue/", queue.queue, name="queue"),
    path("queue/<int:pk>/", queue.queue_item, name="queue_item"),
    path("queue/<int:pk>/<slug:action>/", queue.queue_action, name="queue_action"),
    path("search/", search.search, name="search"),
    path("channels/<str:handle>/", cases.channel_case, name="channel_case"),
    # The case page's other tabs, each loaded on demand (htmx) or opened at its own address.
    *(
        path(f"channels/<str:handle>/{slug}/", view, name=f"channel_case_{slug.replace('-', '_')}")
        for slug, view in cases.CASE_TAB_VIEWS.items()
    ),
    path("accounts/<int:pk>/", cases.account_case, name="account_case"),
    path("rules/", rules.fraud_rules, name="fraud_rules"),
    path("rules/new/", rules.fraud_rule_edit, name="fraud_rule_new"),
    path("rules/<int:pk>/", rules.fraud_rule_edit, name="fraud_rule_edit"),
    path("chat-policy/", chat_policy.chat_policy, name="chat_policy"),
    path("identity-matches/", identity_matches.identity_matches, name="identity_matches"),
    path("channels/<str:handle>/restrict/", restrictions.restrict_channel, name="restrict_channel"),
    path("accounts/<int:account_id>/restrict/", restrictions.restrict_account, name="restrict_account"),
    path("restrictions/", restrictions.restriction_list, name="restriction_list"),
    path("restrictions/<int:pk>/", restrictions.restriction_detail, name="restriction_detail"),
    path("restrictions/<int:pk>/modify/", restrictions.modify_restriction, name="modify_restriction"),
    path("restrictions/<int:pk>/lift/", restrictions.lift_restriction, name="lift_restriction"),
    path("restrictions/<int:pk>/confirm/", restrictions.confirm_restriction, name="confirm_restriction"),
    path("restrictions/<int:pk>/takedowns/", restrictions.take_down, name="take_down"),
    path("takedowns/<int:pk>/restore/", restrictions.restore_takedown, name="restore_takedown"),
    path("appeals/", appeals.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal_detail"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
]
