"""1:1 chat in the Admin Center: inbox, thread, reply, polling, and the signed inbound webhook.
Every view asks the chat gate first; a blocked manager sees why and what to do instead."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.fragments import render_rows
from core.ids import parse_id
from core.webhooks import WebhookError

from .. import selectors
from ..forms import ChatReplyForm
from ..selectors import chat as chat_selectors
from ..selectors.chat_access import decide_chat_access
from ..services import chat as chat_services

logger = logging.getLogger(__name__)


def _blocked(request, channel, decision, *, tag="li"):
    # htmx swaps only successful answers: the poller is replaced by the reason and stops.
    if request.htmx:
        return render(request, "channels_admin/chat/_blocked.html", {"channel": channel, "decision": decision, "tag": tag})
    return render(request, "channels_admin/chat/blocked.html", {"channel": channel, "decision": decision}, status=403)


@login_required
@require_GET
def inbox(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    decision = decide_chat_access(account=request.user, channel=channel)
    if not decision.allowed:
        return _blocked(request, channel, decision, tag="div")
    page = chat_selectors.list_inbox(channel=channel, cursor=request.GET.get("after"))
    inbox_url = reverse("channels_admin:chat_inbox", args=[channel.handle])
    rows = render_rows("channels_admin/rows/conversation.html", page.conversations, present=_unread_labels, name="c",
                       shared={"inbox_url": inbox_url})
    template = "channels_admin/chat/_inbox.html" if request.htmx else "channels_admin/chat/inbox.html"
    return render(request, template, {"channel": channel, "page": page, "rows": rows, "inbox_url": inbox_url,
                                      "cursor": request.GET.get("after", "")})


def _unread_labels(conversations):
    labels = {}  # once per distinct count, not a {% blocktranslate %} per row
    for conversation in conversations:
        count = conversation.unread_count
        if count not in labels:
            labels[count] = ngettext("%(counter)s unread message", "%(counter)s unread messages", count) % {"counter": count}
        conversation.unread_label = labels[count]
    return conversations


def _messages(messages_shown) -> str:
    """A thread's messages, each drawn once for what it shows."""
    labels = {
        "inbound": _("From the user"),
        "outbound": _("From the channel"),
        "solicitation": _(
            "Careful: this message offers to unlock chat or verify your identity for you, asks for a code or password, "
            "or claims to be staff. The Admin Center never sells or outsources verification, and its staff never ask for "
            "your codes. Do not pay or share anything; verify only in the Admin Center."
        ),
    }
    return render_rows("channels_admin/rows/message.html", messages_shown, present=list, name="message",
                       shared={"labels": labels})


def _conversation_or_404(request, handle, conversation_id):
    conversation = chat_selectors.get_conversation_for_account(account=request.user, handle=handle, conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    return conversation.channel, conversation


@login_required
@require_GET
def conversation(request, handle, conversation_id):
    channel, conversation = _conversation_or_404(request, handle, conversation_id)
    try:
        chat_services.mark_conversation_read(actor=request.user, conversation=conversation)
    except chat_services.ChatError as exc:
        return _blocked(request, channel, exc.decision)
    thread = chat_selectors.list_messages(conversation=conversation)
    return render(
        request,
        "channels_admin/chat/conversation.html",
        {
            "channel": channel,
            "conversation": conversation,
            "thread": _messages(thread),
            "last_id": thread[-1].pk if thread else 0,
            "form": ChatReplyForm(),
        },
    )


@login_required
@require_GET
def poll_messages(request, handle, conversation_id):
    """The htmx poll: messages newer than ``after`` plus the next poller."""
    channel, conversation = _conversation_or_404(request, handle, conversation_id)
    after = parse_id(request.GET.get("after")) or 0
    try:
        chat_services.mark_conversation_read(actor=request.user, conversation=conversation)
    except chat_services.ChatError as exc:
        return _blocked(request, channel, exc.decision)
    new = chat_selectors.list_messages(conversation=conversation, after_id=after)
    return render(
        request,
        "channels_admin/chat/_poll.html",
        {"channel": channel, "conversation": conversation, "new_messages": _messages(new), "last_id": new[-1].pk if new else after},
    )


@login_required
@require_POST
def reply(request, handle, conversation_id):
    channel, conversation = _conversation_or_404(request, handle, conversation_id)
    form = ChatReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["text"][0])
        return redirect("channels_admin:chat_conversation", handle=channel.handle, conversation_id=conversation.pk)
    try:
        chat_services.send_chat_reply(actor=request.user, conversation=conversation, text=form.cleaned_data["text"])
    except chat_services.ChatError as exc:
        if exc.decision is not None:
            return _blocked(request, channel, exc.decision)
        messages.error(request, str(exc))
    return redirect("channels_admin:chat_conversation", handle=channel.handle, conversation_id=conversation.pk)


_STATUS = {"missing_headers": 400, "bad_id": 400, "bad_timestamp": 400, "stale": 400, "bad_signature": 401, "replayed": 409,
           "bad_payload": 400, "unknown": 404, "not_yours": 403}


def webhook_error_response(exc: WebhookError) -> JsonResponse:
    return JsonResponse({"error": exc.code}, status=_STATUS.get(exc.code, 400))


@csrf_exempt
@require_POST
def inbound_webhook(request):
    """End users' messages from the messenger relay (Standard Webhooks signed)."""
    try:
        message = chat_services.handle_chat_webhook(headers=request.headers, body=request.body)
    except WebhookError as exc:
        return webhook_error_response(exc)
    return JsonResponse({"ok": True, "message_id": message.pk})
