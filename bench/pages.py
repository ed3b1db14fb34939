"""Every page ``make bench`` measures, and the URLs it leaves out with the reason.

``tests/bench/test_bench_covers_every_page.py`` fails when a URL pattern of the project is in
neither list, so a new page is measured from the day it exists.

A page: (label, persona, URL name, argument names, query string). The arguments come from
``bench.run.page_context`` (the heavy manager's first channel and its objects); the query
string is the page's heaviest realistic filter.
"""

CASE_TABS = ["reports", "ended", "posts", "messages", "broadcasts", "paid_services", "audit"]

PAGES = [
    # The Admin Center, as the manager of 60 channels
    ("dashboard", "manager", "channels_admin:dashboard", [], ""),
    ("channel page", "manager", "channels_admin:channel_detail", ["channel"], ""),
    ("channel status", "manager", "channels_admin:channel_status", ["channel"], ""),
    ("chat inbox", "manager", "channels_admin:chat_inbox", ["channel"], ""),
    ("conversation", "manager", "channels_admin:chat_conversation", ["channel", "conversation"], ""),
    ("conversation poll", "manager", "channels_admin:chat_poll", ["channel", "conversation"], "after=2147483647"),
    ("posts", "manager", "channels_admin:post_list", ["channel"], ""),
    ("broadcasts", "manager", "channels_admin:broadcast_list", ["channel"], ""),
    ("paid services", "manager", "channels_admin:paid_service_list", ["channel"], ""),
    ("my restrictions", "manager", "channels_admin:restriction_list", [], ""),
    ("my restriction", "manager", "channels_admin:restriction_detail", ["manager_restriction"], ""),
    ("notification inbox", "manager", "notifications:inbox", [], ""),
    ("notification", "manager", "notifications:notice_detail", ["notice"], ""),
    ("notices board", "manager", "notifications:board", [], ""),
    # The staff area, as a senior moderator
    ("staff home", "staff", "staff:home", [], ""),
    ("staff queue", "staff", "staff:queue", [], ""),
    ("queue item", "staff", "staff:queue_item", ["queue_item"], ""),
    ("staff search", "staff", "staff:search", [], "q=bakery"),
    ("case page", "staff", "staff:channel_case", ["channel"], ""),
    *((f"case tab: {tab.replace('_', ' ')}", "staff", f"staff:channel_case_{tab}", ["channel"], "") for tab in CASE_TABS),
    ("account case", "staff", "staff:account_case", ["account"], ""),
    ("apply form", "staff", "staff:restrict_channel", ["channel"], ""),
    ("staff restrictions", "staff", "staff:restriction_list", [], ""),
    ("staff restrictions, active", "staff", "staff:restriction_list", [], "state=active"),
    ("restriction page", "staff", "staff:restriction_detail", ["restriction"], ""),
    ("appeals", "staff", "staff:appeal_list", [], ""),
    ("audit trail", "staff", "staff:audit_list", [], ""),
    ("fraud rules", "staff", "staff:fraud_rules", [], ""),
    ("identity matches", "staff", "staff:identity_matches", [], ""),
    ("staff notices", "staff", "staff_notifications:notices", [], ""),
    ("deliveries", "staff", "staff_notifications:deliveries", [], ""),
    ("deliveries, failed", "staff", "staff_notifications:deliveries", [], "state=failed"),
    ("API clients", "staff", "platform_api:clients", [], ""),
    ("API webhooks", "staff", "platform_api:webhooks", [], ""),
    # The peer: Django's own admin over the same 50,000 restrictions
    ("django admin: restrictions", "admin", "admin:restrictions_restriction_changelist", [], ""),
]

# Prefixes of paths that are not the Admin Center's or the staff area's pages.
EXEMPT_PREFIXES = {
    "api/": "the API is measured by its own benchmark",
    "django-admin/": "Django's admin; its restriction list is measured as a peer",
    "bench/": "the reference views themselves",
    "i18n/": "Django's language switch: a POST that redirects",
    "accounts/": "login, logout and password pages: Django's forms, no rows",
}

# URL names that are not pages that list or count rows, each with why.
EXEMPT = {
    # actions: POST only, answer with a redirect
    "staff:queue_action": "POST only: claim, resolve, dismiss",
    "staff:modify_restriction": "POST only",
    "staff:lift_restriction": "POST only",
    "staff:confirm_restriction": "POST only",
    "staff:take_down": "POST only",
    "staff:restore_takedown": "POST only",
    "staff_notifications:withdraw_notice": "POST only",
    "staff_notifications:retry": "POST only",
    "platform_api:rotate_key": "POST only",
    "platform_api:revoke_client": "POST only",
    "platform_api:webhook_action": "POST only",
    "notifications:mark_read": "POST only",
    "notifications:mark_all_read": "POST only",
    "channels_admin:switch_language": "POST only",
    "channels_admin:remove_manager": "POST only",
    "channels_admin:transfer_master": "POST only",
    "channels_admin:chat_reply": "POST only",
    "channels_admin:file_appeal": "POST only",
    # webhooks and machine endpoints
    "reports:report_webhook": "webhook, signed POST",
    "channels_admin:chat_webhook": "webhook, signed POST",
    "channels_admin:identity_webhook": "webhook, signed POST",
    "healthz": "health probe, no page",
    "channels_admin:robots": "robots.txt",
    # forms with no list behind them
    "staff:fraud_rule_new": "an empty form",
    "staff:fraud_rule_edit": "one rule's form",
    "staff:chat_policy": "one date's form",
    "staff:two_factor_setup": "one account's two-factor enrolment form",
    "staff:two_factor_verify": "the two-factor code form",
    "staff:restrict_account": "the same form as the channel's apply form, which is measured",
    "staff:appeal_detail": "one appeal; the dataset has no appeals yet",
    "channels_admin:account_settings": "one account's form",
    "channels_admin:invite_manager": "one email's form",
    "channels_admin:post_create": "an empty form",
    "channels_admin:post_edit": "one post's form",
    "channels_admin:profile_edit": "one profile's form",
    "channels_admin:accept_invitation": "one invitation, opened from an email",
    "channels_admin:identity_verify": "hands over to the identity provider",
    "channels_admin:identity_return": "the identity provider's way back: a redirect",
    "channels_admin:identity_sandbox": "the fake identity provider of development",
    "notifications:service_notice_detail": "one notice; the dataset has no service notices yet",
    "reports:report_channel": "the public report form: no rows",
}
