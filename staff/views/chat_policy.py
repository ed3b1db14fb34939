"""The chat policy's effective date (R1): senior moderators move it; everyone on the staff
may look. Every change is audited by the service."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import ChannelAuditEvent
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from channels_admin.services.chat_policy import ChatPolicyError, set_chat_policy
from core import permissions
from core.dates import format_when
from core.models import AuditEntry
from core.permissions import staff_required
from core.two_factor import step_up_required

from ..forms.chat_policy import ChatPolicyForm

SEOUL = ZoneInfo("Asia/Seoul")


@staff_required(permissions.can_decide_senior)
@step_up_required()
def chat_policy(request):
    current = get_chat_policy_effective_at()
    # The form speaks Korea time whatever the browser's zone.
    with timezone.override(SEOUL):
        form = ChatPolicyForm(
            request.POST or None, initial={"effective_at": timezone.localtime(current, SEOUL).replace(tzinfo=None)}
        )
        valid = request.method == "POST" and form.is_valid()
    if valid:
        try:
            set_chat_policy(effective_at=form.cleaned_data["effective_at"], actor=request.user, reason=form.cleaned_data["reason"])
        except ChatPolicyError as exc:
            form.add_error("effective_at", str(exc))
        else:
            messages.success(request, _("The 1:1 chat identity rule now takes effect from %(date)s (Korea time).") % {
                "date": format_when(form.cleaned_data["effective_at"], tz=SEOUL)
            })
            return redirect("staff:chat_policy")
    history = AuditEntry.objects.filter(event_type=ChannelAuditEvent.CHAT_POLICY_CHANGED).select_related("actor").order_by("-id")[:20]
    return render(
        request,
        "staff/chat_policy.html",
        {
            "form": form,
            "current": timezone.localtime(current, SEOUL),
            "current_text": format_when(current, tz=SEOUL),
            "in_effect": timezone.now() >= current,
            "history": history,
        },
    )
