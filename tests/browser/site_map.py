"""Every page of the product, who opens it in the browser walk, and why the rest is not walked.

``PAGES`` names each page-rendering URL pattern with the roles that walk it and how to fill its
arguments from the demo data (``Ids``, read once the walk's data is seeded). ``EXEMPT`` names
every other URL pattern with what it answers instead of a page; ``test_site_map.py`` fails on a
pattern that is in neither list, and checks that each exempt pattern really answers what it says.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# The walk's cast: a role and the demo account that plays it (None: signed out).
ROLES = {
    "manager": "unverified@demo.example",  # a manager of @demo-bakery, identity not verified
    "master": "verified@demo.example",  # the master of @demo-bakery, verified
    "viewer": "viewer@demo.example",
    "moderator": "moderator@demo.example",
    "senior": "lead@demo.example",  # senior moderator
    "visitor": None,
}
MANAGERS = ("manager", "master")
STAFF = ("viewer", "moderator", "senior")
MODERATORS = ("moderator", "senior")
SIGNED_IN = MANAGERS + STAFF


@dataclass
class Ids:
    """Object ids of the walk's data, by what the pages need."""

    handle: str = "demo-bakery"
    post: int = 0
    conversation: int = 0
    restriction: int = 0
    appeal: int = 0
    takedown: int = 0
    queue_item: int = 0
    account: int = 0  # the unverified manager's account
    fraud_rule: int = 0
    service_notice: int = 0
    staff_notice: int = 0
    invitation_token: str = ""
    verification_ref: str = ""
    reset_uid: str = ""
    reset_token: str = ""
    notice: dict[str, int] = field(default_factory=dict)  # role -> one of its own notices


Kwargs = Callable[[Ids, str], dict]


@dataclass(frozen=True)
class Page:
    """One page of the walk: a URL name (or, for an error page, a fixed path) and its roles."""

    name: str
    roles: tuple[str, ...]
    kwargs: Kwargs | None = None
    query: str = ""
    path: str = ""
    status: int = 200
    status_for: tuple[tuple[str, int], ...] = ()  # (role, status) where a role gets another answer

    def expected_status(self, role: str) -> int:
        return dict(self.status_for).get(role, self.status)

    def url(self, ids: Ids, role: str) -> str:
        from django.urls import reverse

        if self.path:
            return self.path
        return reverse(self.name, kwargs=self.kwargs(ids, role) if self.kwargs else None) + self.query

    @property
    def label(self) -> str:
        return self.name.split(":")[-1]


def _channel(ids, role):
    return {"handle": ids.handle}


PAGES = [
    # Signed out
    Page("login", ("visitor",)),
    Page("password_reset", ("visitor",)),
    Page("password_reset_done", ("visitor",)),
    Page("password_reset_confirm", ("visitor",), lambda ids, role: {"uidb64": ids.reset_uid, "token": ids.reset_token}),
    Page("password_reset_complete", ("visitor",)),
    Page("reports:report_channel", ("visitor",), _channel),
    # Everyone signed in
    Page("channels_admin:dashboard", SIGNED_IN),
    Page("channels_admin:account_settings", SIGNED_IN),
    Page("notifications:inbox", SIGNED_IN),
    Page("notifications:board", SIGNED_IN),
    Page("notifications:service_notice_detail", SIGNED_IN, lambda ids, role: {"notice_id": ids.service_notice}),
    Page("password_change", ("master", "senior")),
    Page("password_change_done", ("master", "senior")),
    # The managers of @demo-bakery
    Page("notifications:notice_detail", MANAGERS, lambda ids, role: {"notice_id": ids.notice[role]}),
    Page("channels_admin:channel_detail", MANAGERS, _channel),
    Page("channels_admin:channel_status", MANAGERS, _channel),
    Page("channels_admin:post_list", MANAGERS, _channel),
    Page("channels_admin:post_create", MANAGERS, _channel),
    Page("channels_admin:post_edit", MANAGERS, lambda ids, role: {"handle": ids.handle, "post_id": ids.post}),
    Page("channels_admin:broadcast_list", MANAGERS, _channel),
    Page("channels_admin:profile_edit", MANAGERS, _channel),
    Page("channels_admin:paid_service_list", MANAGERS, _channel),
    # The confirmations before the master removes a manager or hands the master role over
    Page("channels_admin:remove_manager", ("master",), lambda ids, role: _membership(ids, role)),
    Page("channels_admin:transfer_master", ("master",), lambda ids, role: _membership(ids, role)),
    # Chat waits for the unverified manager's identity verification: the page says why, with a 403.
    Page("channels_admin:chat_inbox", MANAGERS, _channel, status_for=(("manager", 403),)),
    Page(
        "channels_admin:chat_conversation", MANAGERS, lambda ids, role: {"handle": ids.handle, "conversation_id": ids.conversation},
        status_for=(("manager", 403),),
    ),
    Page("channels_admin:restriction_list", MANAGERS),
    Page("channels_admin:restriction_detail", MANAGERS, lambda ids, role: {"pk": ids.restriction}),
    Page("channels_admin:identity_verify", MANAGERS),
    Page("channels_admin:identity_sandbox", ("manager",), lambda ids, role: {"ref": ids.verification_ref}),
    Page("channels_admin:accept_invitation", ("manager",), lambda ids, role: {"token": ids.invitation_token}),
    # The staff console
    Page("staff:home", STAFF),
    Page("staff:queue", STAFF),
    Page("staff:queue_item", STAFF, lambda ids, role: {"pk": ids.queue_item}),
    Page("staff:search", STAFF, query="?q=demo"),
    Page("staff:channel_case", STAFF, _channel),
    # The case page's tabs: the page with that tab open (the tab bar swaps only the tab in)
    *(Page(f"staff:channel_case_{tab}", STAFF, _channel) for tab in ("reports", "ended", "posts", "messages", "broadcasts", "paid_services", "audit")),
    Page("staff:account_case", STAFF, lambda ids, role: {"pk": ids.account}),
    Page("staff:fraud_rules", STAFF),
    Page("staff:fraud_rule_new", ("senior",)),
    Page("staff:fraud_rule_edit", ("senior",), lambda ids, role: {"pk": ids.fraud_rule}),
    Page("staff:chat_policy", ("senior",)),
    Page("staff:identity_matches", STAFF),
    Page("staff:restrict_channel", MODERATORS, _channel),
    Page("staff:restrict_account", MODERATORS, lambda ids, role: {"account_id": ids.account}),
    Page("staff:restriction_list", STAFF),
    Page("staff:restriction_detail", STAFF, lambda ids, role: {"pk": ids.restriction}),
    Page("staff:appeal_list", STAFF),
    Page("staff:appeal_detail", STAFF, lambda ids, role: {"pk": ids.appeal}),
    Page("staff:audit_list", STAFF),
    Page("staff_notifications:notices", MODERATORS),
    Page("staff_notifications:deliveries", STAFF),
    # Two-factor sign-in: the viewer and the moderator have not set it up yet, the senior moderator has
    Page("staff:two_factor_setup", ("viewer", "moderator")),
    Page("staff:two_factor_verify", ("senior",)),
    Page("platform_api:clients", ("senior",)),
    Page("platform_api:webhooks", ("senior",)),
    # Error pages: a wrong address, and a staff page beyond the viewer's role (the staff area
    # answers 404 to anybody not on staff)
    Page("error-404", ("visitor", "master", "moderator"), path="/no-such-page/", status=404),
    Page("error-403", ("viewer",), path="/staff/chat-policy/", status=403),
]


@dataclass(frozen=True)
class Exempt:
    """A URL pattern the walk does not open, what it answers instead, and why.

    ``answers`` is checked: "405" (a GET is refused: the pattern only acts on a POST),
    "302" (it only redirects), "not-html" (it answers data, not a page), "fragment" (a part of a
    page that the page itself loads, walked with it), or "" (not checked, see ``why``)."""

    answers: str
    why: str
    role: str = "master"
    kwargs: Kwargs | None = None


def _membership(ids, role):
    from channels_admin.models import ChannelManager

    membership = ChannelManager.objects.get(channel__handle=ids.handle, account__email=ROLES["manager"])
    return {"handle": ids.handle, "membership_id": membership.pk}


ACTS_ON_POST = "acts on a POST from a page that is walked; a GET is refused"
EXEMPT = {
    "set_language": Exempt("302", "Django's language switch; the Admin Center's own switch posts to switch_language"),
    "logout": Exempt("405", ACTS_ON_POST),
    "channels_admin:switch_language": Exempt("405", ACTS_ON_POST),
    "channels_admin:invite_manager": Exempt("405", ACTS_ON_POST, kwargs=_channel),
    "channels_admin:file_appeal": Exempt("405", ACTS_ON_POST, kwargs=lambda ids, role: {"pk": ids.restriction}),
    "channels_admin:chat_reply": Exempt(
        "405", ACTS_ON_POST, kwargs=lambda ids, role: {"handle": ids.handle, "conversation_id": ids.conversation}
    ),
    "channels_admin:chat_poll": Exempt(
        "fragment", "the new messages the conversation page polls for, walked with that page",
        kwargs=lambda ids, role: {"handle": ids.handle, "conversation_id": ids.conversation},
    ),
    "channels_admin:identity_return": Exempt("302", "the browser's way back from the identity provider: it redirects"),
    "channels_admin:chat_webhook": Exempt("405", "the chat platform's signed webhook", role="visitor"),
    "channels_admin:identity_webhook": Exempt("405", "the identity provider's signed webhook", role="visitor"),
    "reports:report_webhook": Exempt("405", "the report webhook", role="visitor"),
    "channels_admin:robots": Exempt("not-html", "robots.txt", role="visitor"),
    "healthz": Exempt("not-html", "the health check for the load balancer", role="visitor"),
    "notifications:mark_read": Exempt("405", ACTS_ON_POST, kwargs=lambda ids, role: {"notice_id": ids.notice[role]}),
    "notifications:mark_all_read": Exempt("405", ACTS_ON_POST),
    "staff:queue_action": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.queue_item, "action": "claim"}),
    "staff:modify_restriction": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.restriction}),
    "staff:lift_restriction": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.restriction}),
    "staff:confirm_restriction": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.restriction}),
    "staff:take_down": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.restriction}),
    "staff:restore_takedown": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": ids.takedown}),
    "staff_notifications:withdraw_notice": Exempt(
        "405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"notice_id": ids.staff_notice}
    ),
    "staff_notifications:retry": Exempt("405", ACTS_ON_POST, role="senior"),
    # A GET is refused before the object is looked up: any id shows it.
    "platform_api:rotate_key": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": 1}),
    "platform_api:revoke_client": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": 1}),
    "platform_api:webhook_action": Exempt("405", ACTS_ON_POST, role="senior", kwargs=lambda ids, role: {"pk": 1, "action": "disable"}),
}
# Whole URLconfs that are not the product's pages.
EXEMPT_PREFIXES = {
    "django-admin/": "Django's own admin for operators (superusers only, none of the walked roles opens it)",
    "bench/": "the benchmark's reference views, mounted only when BENCH_VIEWS is set",
    "api/v1/": "the platform API: JSON for the messenger's servers, and swagger-ui's docs for their developers",
}


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern; the name is namespaced, or the route when unnamed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


def exempt_prefix(route: str) -> str | None:
    route = route.lstrip("^")
    return next((prefix for prefix in EXEMPT_PREFIXES if route.startswith(prefix)), None)


def visits(languages, widths) -> list[tuple[str, int, str, Page]]:
    """Every (language, width, role, page) of a walk, grouped so a role's pages come together."""
    return [
        (language, width, role, page)
        for language in languages
        for role in ROLES
        for page in PAGES
        if role in page.roles
        for width in widths
    ]
