"""The routes. Each checks its scope first, then its input, then asks one selector or service."""

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from channels_admin.models import Channel
from channels_admin.selectors import decide_chat_access_pairs, look_up_chat_access
from channels_admin.services import ChatError, receive_inbound_message
from staff.services.moderation import ModerationError, file_report

from .. import selectors
from ..models import ApiScope
from .auth import require_scope
from .errors import ApiProblem, invalid, unknown_field
from .present import decision_out, restriction_out
from .schemas import (
    BatchIn,
    BatchOut,
    ChatMessageIn,
    ChatMessageOut,
    DecisionOut,
    ReportIn,
    ReportOut,
    RestrictionListOut,
)
from .site import api

PROBLEM = {400: dict, 401: dict, 403: dict, 404: dict, 429: dict}


def _only_query(request, *allowed: str) -> None:
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise invalid([unknown_field(name) for name in unknown])


def _account(value: str):
    account = selectors.find_account(value)
    if account is None:
        raise ApiProblem(404, "account_not_found", _("No account has this id or email."), field="account")
    return account


def _channel(handle: str):
    channel = selectors.find_channel(handle)
    if channel is None:
        raise ApiProblem(404, "channel_not_found", _("There is no channel %(handle)s.") % {"handle": handle}, field="channel")
    return channel


@api.get("/chat-access", response={200: DecisionOut, **PROBLEM}, summary="May this account use 1:1 chat in this channel now?")
def chat_access(request, account: str, channel: str):
    """The same decision the Admin Center's own chat pages obey (`decide_chat_access`)."""
    require_scope(request, ApiScope.CHAT_ACCESS_READ)
    _only_query(request, "account", "channel")
    who, where, decision = look_up_chat_access(account=account, handle=channel)
    if who is None:
        raise ApiProblem(404, "account_not_found", _("No account has this id or email."), field="account")
    if where is None:
        raise ApiProblem(404, "channel_not_found", _("There is no channel %(handle)s.") % {"handle": channel}, field="channel")
    # Straight to JSON: the answer has the DecisionOut shape already, and the platform asks per message.
    return JsonResponse(decision_out(decision, account=who, channel=where))


@api.post("/chat-access/batch", response={200: BatchOut, **PROBLEM}, summary="Decisions for up to 500 pairs")
def chat_access_batch(request, payload: BatchIn):
    """Decisions in the order of `pairs`, at a fixed number of queries whatever their number. A
    pair naming an unknown account or channel answers `not_a_manager`-like nulls with its
    problem code in `reason` (`account_not_found` / `channel_not_found`)."""
    require_scope(request, ApiScope.CHAT_ACCESS_READ)
    accounts = selectors.find_accounts([p.account.strip() for p in payload.pairs])
    channels = selectors.find_channels([p.channel for p in payload.pairs])
    known, answers = [], []
    for pair in payload.pairs:
        who = accounts.get(pair.account.strip())
        where = channels.get(Channel.normalize_handle(pair.channel))
        if who is None or where is None:
            answers.append({
                "account": who.pk if who else None, "channel": where.public_id if where else None, "allowed": False,
                "reason": "account_not_found" if who is None else "channel_not_found", "message": "", "restriction": None,
            })
        else:
            known.append((len(answers), who, where))
            answers.append(None)
    now = timezone.now()
    decisions = decide_chat_access_pairs(pairs=[(who, where) for _i, who, where in known], now=now)
    for (index, who, where), decision in zip(known, decisions, strict=True):
        answers[index] = decision_out(decision, account=who, channel=where, now=now)
    return {"decisions": answers}


@api.get("/channels/{handle}/restrictions", response={200: RestrictionListOut, **PROBLEM},
         summary="The restrictions on a channel")
def channel_restrictions(request, handle: str, active: bool = True):
    """With `active=true` (the default) those in force now; with `active=false` every one, newest first."""
    require_scope(request, ApiScope.RESTRICTIONS_READ)
    _only_query(request, "active")
    channel = _channel(handle)
    now = timezone.now()
    rows = selectors.list_restrictions_on(channel=channel, active=active)
    return {"restrictions": [restriction_out(r, handle=channel.public_id, now=now) for r in rows]}


@api.get("/accounts/{account_id}/restrictions", response={200: RestrictionListOut, **PROBLEM},
         summary="The restrictions on an account")
def account_restrictions(request, account_id: str, active: bool = True):
    """Restrictions on the account itself (they follow it into every channel it manages)."""
    require_scope(request, ApiScope.RESTRICTIONS_READ)
    _only_query(request, "active")
    account = _account(account_id)
    now = timezone.now()
    rows = selectors.list_restrictions_on(account=account, active=active)
    return {"restrictions": [restriction_out(r, now=now) for r in rows]}


@api.post("/reports", response={202: ReportOut, **PROBLEM}, summary="File an end user's report")
def file_a_report(request, payload: ReportIn):
    """The same as the signed report webhook. An `Idempotency-Key` header makes a repeat return the first report."""
    require_scope(request, ApiScope.REPORTS_WRITE)
    channel = _channel(payload.channel)
    target = payload.target
    key = request.headers.get("Idempotency-Key", "").strip()
    try:
        with transaction.atomic():
            report = file_report(
                channel=channel,
                reporter_external_id=payload.reporter,
                target_kind=target.kind if target else "channel",
                target_id=target.id if target else None,
                reason=payload.reason,
                text=payload.text,
                external_id=f"api:{request.auth.pk}:{key}"[:100] if key else "",
            )
    except ModerationError as exc:
        raise ApiProblem(400, "report_refused", str(exc)) from None
    return Status(202, {"report": report.pk, "queue_item": report.item_id})


@api.post("/chat/messages", response={201: ChatMessageOut, **PROBLEM}, summary="Relay an end user's message to a channel")
def relay_chat_message(request, payload: ChatMessageIn):
    """The same as the signed chat webhook: stored in the channel's inbox; a repeated `id` stores nothing new."""
    require_scope(request, ApiScope.CHAT_WRITE)
    channel = _channel(payload.channel)
    try:
        message = receive_inbound_message(
            channel=channel, user_id=payload.user.id, text=payload.text, display_name=payload.user.name,
            external_id=f"api:{request.auth.pk}:{payload.id}"[:100] if payload.id else "",
        )
    except ChatError as exc:
        raise ApiProblem(400, "chat_refused", str(exc)) from None
    return Status(201, {"message": message.pk, "conversation": message.conversation_id})
