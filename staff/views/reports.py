"""How end users report a channel or its content: a public form per channel and a signed
webhook the messenger calls when a user reports from inside a chat."""

from django.conf import settings
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels_admin.models import Channel
from core.throttle import client_ip, over_limit
from core.webhooks import WebhookError, claim_webhook, parse_webhook_json, verify_webhook

from ..forms.moderation import ReportForm
from ..models import REPORTABLE_KINDS, ReportReason
from ..services import moderation

WEBHOOK_SOURCE = "reports"
MAX_WEBHOOK_BYTES = 16 * 1024
# The public form needs no sign-in, so one address may file only so many reports an hour.
FORM_REPORTS_PER_HOUR = 20


def _over_form_limit(request) -> bool:
    return over_limit(f"report-form:{client_ip(request)}", limit=FORM_REPORTS_PER_HOUR, seconds=60 * 60)


def report_channel(request, handle: str):
    """The public report form of one channel. No sign-in: end users are not Admin Center users."""
    channel = Channel.objects.filter(handle=Channel.normalize_handle(handle)).first()
    if channel is None:
        raise Http404
    form = ReportForm(request.POST or None, initial=request.GET.dict() if request.method == "GET" else None)
    filed = None
    if request.method == "POST" and form.is_valid() and _over_form_limit(request):
        form.add_error(None, _("Too many reports from this connection. Please try again in an hour."))
        return render(request, "staff/report_form.html", {"channel": channel, "form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = moderation.file_report(
                channel=channel,
                reporter_external_id=data["reporter"],
                target_kind=data["target_kind"],
                target_id=data.get("target_id"),
                reason=data["reason"],
                text=data["text"],
            )
        except moderation.ModerationError as exc:
            form.add_error("target_id" if "item" in str(exc) else None, str(exc))
    status = 400 if request.method == "POST" and filed is None else 200
    return render(request, "staff/report_form.html", {"channel": channel, "form": form, "filed": filed}, status=status)


@csrf_exempt
@require_POST
def report_webhook(request):
    """``POST /webhooks/reports/``: a Standard Webhooks-signed JSON body
    ``{"channel": "@handle", "reporter": "U1001", "target": {"kind": "post", "id": 12},
    "reason": "fraud", "text": "..."}``. 202 with the queue item id; 4xx with a code otherwise."""
    body = request.body
    if len(body) > MAX_WEBHOOK_BYTES:
        return _refuse("too_large", 413)
    try:
        verified = verify_webhook(secrets=settings.REPORT_WEBHOOK_SECRET, headers=request.headers, body=body, source=WEBHOOK_SOURCE)
    except WebhookError as exc:
        return _refuse(exc.code, 400 if exc.code == "bad_id" else 401)
    try:
        payload = parse_webhook_json(verified, source=WEBHOOK_SOURCE)
    except WebhookError as exc:
        return _refuse(exc.code, 400, str(exc))
    try:
        channel_id = str(payload["channel"])
        target = payload.get("target") or {"kind": "channel"}
        kind, target_id = str(target.get("kind", "")), target.get("id")
        if target_id is not None and (isinstance(target_id, bool) or not isinstance(target_id, int)):
            raise ValueError("target id")
        reason = str(payload.get("reason", ""))
        reporter, text = str(payload.get("reporter", "")), str(payload.get("text", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _refuse("bad_payload", 400, _("Send JSON with channel, reporter, target, reason and text."))
    channel = Channel.objects.filter(handle=Channel.normalize_handle(channel_id)).first()
    if channel is None:
        return _refuse("unknown", 404, _("There is no such channel."))
    if kind not in REPORTABLE_KINDS or reason not in ReportReason.values:
        return _refuse("bad_payload", 400, _("Unknown target kind or reason."))
    try:
        with transaction.atomic():
            claim_webhook(source=WEBHOOK_SOURCE, webhook_id=verified.webhook_id)
            report = moderation.file_report(
                channel=channel,
                reporter_external_id=reporter,
                target_kind=kind,
                target_id=target_id,
                reason=reason,
                text=text,
                external_id=verified.webhook_id,
            )
    except WebhookError as exc:
        if exc.code == "replayed":
            return JsonResponse({"status": "duplicate"}, status=200)
        return _refuse(exc.code, 400)
    except moderation.ModerationError as exc:
        return _refuse("bad_payload", 400, str(exc))
    return JsonResponse({"status": "accepted", "report": report.pk, "queue_item": report.item_id}, status=202)


def _refuse(code: str, status: int, message: str = "") -> JsonResponse:
    return JsonResponse({"error": code, "message": message or code}, status=status)
