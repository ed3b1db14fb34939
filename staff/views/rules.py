"""The fraud rules the content scanner flags with."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import permissions
from core.permissions import staff_required

from ..forms.moderation import FraudRuleForm
from ..models import FraudRule
from ..presenters.rules import rule_list_html
from ..selectors import queue as selectors
from ..services import moderation
from .base import staff_context


@staff_required()
@require_GET
def fraud_rules(request):
    can_edit = permissions.can_decide_senior(request.user)
    return render(
        request,
        "staff/fraud_rules.html",
        staff_context(
            request,
            can_decide_senior=can_edit,
            rules=rule_list_html(selectors.list_fraud_rules(), can_edit=can_edit),
            threshold=moderation.fraud_threshold(),
        ),
    )


@staff_required(permissions.can_decide_senior)
def fraud_rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(FraudRule, pk=pk) if pk else None
    form = FraudRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.save_fraud_rule(actor=request.user, rule=rule, **form.cleaned_data)
        except moderation.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved. New content is scanned with it from now on."))
            return redirect(reverse("staff:fraud_rules"))
    return render(request, "staff/fraud_rule_form.html", staff_context(request, form=form, rule=rule))
