"""The browser walk: the demo data with a case in every state, a live server, one signed-in tab per role.

``Walk.visit`` opens one page as one role in one language at one width and runs the checks of
``checks.py``; ``Walk.screenshot`` writes the page to a PNG. Both ``test_walk.py`` and
``make screenshots`` (``screenshots.py``) drive it.
"""

import time

from django.conf import settings
from django.db import models

from . import checks
from .english import people_trigrams
from .site_map import ROLES, Ids, Page

WIDTHS = {1366: 768, 390: 844}  # the window's width and height: a laptop and a phone


def seed_walk_data() -> Ids:
    """The demo cast, plus what makes every page show something: a restriction of @demo-bakery
    under appeal, a takedown on @demo-shop, an open invitation, a verification under way and a
    senior moderator with two-factor sign-in set up."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from channels_admin.models import Account, Channel, Conversation, Post
    from channels_admin.services import identity
    from channels_admin.services.managers import invite_manager
    from notifications.models import Notice, ServiceNotice
    from restrictions.services import apply_restriction, file_appeal, take_down_content
    from staff.demo import seed
    from staff.fraud import invalidate_rules
    from staff.models import FraudRule, QueueItem
    from staff.services.moderation import ensure_default_rules

    ensure_default_rules()  # a transactional test before this one flushed what the data migration added
    invalidate_rules()
    seed()
    people = {role: Account.objects.get(email=email) for role, email in ROLES.items() if email}
    bakery, shop, cafe = (Channel.objects.get(handle=handle) for handle in ("demo-bakery", "demo-shop", "demo-cafe"))
    restriction = apply_restriction(
        actor=people["moderator"], type="temporary", scope="broadcast", reason="operation_policy", channel=bakery, days=7,
        staff_note="Broadcasts sent at night after two warnings.",
        manager_message="Your broadcasts went out at 3 a.m. twice after our warnings.",
    )
    appeal = file_appeal(restriction=restriction, account=people["master"], text="We changed the scheduler; it sends at 8:00 now.")
    fraud = apply_restriction(
        actor=people["moderator"], type="activity", scope="posts", reason="impersonation_fraud", channel=shop, days=30,
        staff_note="Offers to unlock 1:1 chat for a fee.", manager_message="A post offered to unlock 1:1 chat through Zalo.",
    )
    scam = Post.objects.get(channel=shop, title__startswith="Hỗ trợ")
    takedown = take_down_content(actor=people["moderator"], restriction=fraud, content=scam)
    invitation = invite_manager(actor=cafe.managers.get(role="master").account, channel=cafe, email=ROLES["manager"])
    verification = identity.start_identity_verification(account=people["manager"])
    TOTPDevice.objects.create(user=people["senior"], name="authenticator", confirmed=True)  # two-factor set up
    master = people["master"]
    return Ids(
        post=Post.objects.filter(channel=bakery).order_by("pk").first().pk,
        conversation=Conversation.objects.filter(channel=bakery).order_by("pk").first().pk,
        restriction=restriction.pk,
        appeal=appeal.pk,
        takedown=takedown.pk,
        queue_item=QueueItem.objects.order_by("pk").first().pk,
        account=people["manager"].pk,
        fraud_rule=FraudRule.objects.order_by("pk").first().pk,
        service_notice=ServiceNotice.objects.order_by("pk").first().pk,
        staff_notice=ServiceNotice.objects.order_by("pk").first().pk,
        invitation_token=invitation.token,
        verification_ref=verification.provider_ref,
        reset_uid=urlsafe_base64_encode(force_bytes(master.pk)),
        reset_token=default_token_generator.make_token(master),
        notice={role: Notice.objects.filter(recipient=people[role]).order_by("pk").first().pk for role in ("manager", "master")},
    )


def people_text() -> list[str]:
    """What people wrote (names, addresses, channels, posts, messages, notes): shown as written,
    in whatever language they wrote it, so never an untranslated string of the product."""
    from channels_admin import models as channels
    from restrictions import models as restrictions
    from staff import models as staff

    sources = [
        channels.Account, channels.Channel, channels.Post, channels.Broadcast, channels.PaidService, channels.EndUser,
        channels.Message, restrictions.Restriction, restrictions.Appeal, staff.Report, staff.QueueItem,
    ]
    texts = []
    for model in sources:
        fields = [f.name for f in model._meta.fields if isinstance(f, models.CharField | models.TextField) and not f.choices]
        for row in model.objects.values_list(*fields):
            texts.extend(str(value) for value in row if value)
    return texts


class Walk:
    def __init__(self, browser, base_url: str, ids: Ids):
        self.browser = browser
        self.base_url = base_url
        self.ids = ids
        self.people = people_trigrams(people_text())
        self.tabs = {}
        self.console: list[str] = []
        self.visits = 0
        self.started = time.monotonic()

    def tab(self, role: str):
        if role not in self.tabs:
            # Reduced motion: no transition is caught half-way by the contrast check.
            context = self.browser.new_context(base_url=self.base_url, reduced_motion="reduce")
            context.set_default_timeout(15_000)
            if ROLES[role]:
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session_for(ROLES[role]), "url": self.base_url}])
            tab = context.new_page()
            tab.on("console", lambda message: message.type == "error" and self.console.append(_console_line(message)))
            tab.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
            self.tabs[role] = tab
        return self.tabs[role]

    def open(self, role: str, language: str, width: int, page: Page):
        """Open the page; returns the tab and the HTTP status it answered."""
        from channels_admin.models import Account

        tab = self.tab(role)
        if ROLES[role]:
            Account.objects.filter(email=ROLES[role]).update(preferred_language=language)
        tab.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base_url}])
        tab.set_viewport_size({"width": width, "height": WIDTHS[width]})
        self.console.clear()
        self.visits += 1
        response = tab.goto(page.url(self.ids, role), wait_until="load")
        return tab, response.status if response else 0

    def visit(self, role: str, language: str, width: int, page: Page) -> dict[str, list[str]]:
        """Every check's findings for this page (an empty list: the check passes)."""
        tab, status = self.open(role, language, width, page)
        expected = page.expected_status(role)
        findings = {"status": [] if status == expected else [f"answered {status}, not {expected} ({tab.url})"]}
        findings["overflow"] = checks.overflow(tab)
        findings["english"] = checks.english(tab, language, self.people) if language != "en" else []
        findings["axe"] = checks.axe(tab)
        # A page answering an error status logs that status itself: not an error of the page.
        findings["console"] = [line for line in self.console if expected == 200 or f"status of {expected}" not in line]
        return findings

    def screenshot(self, role: str, language: str, width: int, page: Page, path) -> int:
        tab, status = self.open(role, language, width, page)
        tab.screenshot(path=str(path), full_page=True)
        return status

    def close(self):
        for tab in self.tabs.values():
            tab.context.close()
        self.tabs.clear()


def _session_for(email: str) -> str:
    """A signed-in session for a demo account, as the login form would make it."""
    from django.test import Client

    from channels_admin.models import Account

    client = Client()
    client.force_login(Account.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _console_line(message) -> str:
    where = message.location.get("url", "") if message.location else ""
    return f"console: {message.text}" + (f" ({where})" if where else "")
