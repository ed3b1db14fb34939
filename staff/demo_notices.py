"""The demo's service notice: the 1:1 chat verification policy, as published on the board."""

from datetime import datetime
from zoneinfo import ZoneInfo

from notifications.models import Audience, ServiceNotice
from notifications.services import publish_service_notice

CHAT_POLICY_TITLE = "1:1 chat will require identity verification from 4 December 2023"
CHAT_POLICY_BODY = """From Monday 4 December 2023, channel managers can use 1:1 chat after verifying the identity of their account.

Effective date: Monday 4 December 2023 (the date may change).
Applies to: all channel managers. Managers of business channels can use 1:1 chat without identity verification.

The channel guide changes as follows.

Before — 6. Restrictions on use. If a member breaks the business terms of use, the channel operation policy or the duties in this guide, the company may delete the offending posts, profiles, messages, paid services and the like, and restrict the channel's other services. It may apply temporary restrictions, warning restrictions, activity restrictions and permanent restrictions, depending on the reason for the violation. When the company restricts a member, it tells the member through their account's email, a service notice (a notice in the Admin Center), a KakaoTalk notification, and so on. Even where none of the above applies specifically, use may be restricted under the terms and the operation policy when it harms a healthy service environment.

After — 6. Compliance for a healthy service environment. To keep the service healthy, for instance to prevent impersonation fraud, the company may require members to verify their identity when they use 1:1 chat, and members must complete that verification.
7. Restrictions on use. (As before, plus:) If a member does not complete the identity verification this guide requires, the company may restrict the 1:1 chat service until the verification is complete.

Beware of anyone offering to "unlock" 1:1 chat or to skip identity verification, for free or for a fee: our staff never ask for login codes or verification documents outside the Admin Center."""
CHAT_POLICY_PUBLISHED_AT = datetime(2023, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def seed_demo_notices() -> int:
    """Publish the chat verification policy notice once. Returns how many notices were created."""
    if ServiceNotice.objects.filter(title=CHAT_POLICY_TITLE).exists():
        return 0
    publish_service_notice(
        actor=None,
        title=CHAT_POLICY_TITLE,
        body=CHAT_POLICY_BODY,
        audience=Audience.ALL,
        publish_at=CHAT_POLICY_PUBLISHED_AT,
        pinned=True,
    )
    return 1
