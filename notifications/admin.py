"""Django admin for the outbox and the notices: read-only; a delivery is sent again and a
service notice withdrawn through the services, which audit it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import Delivery, Notice, Notification, ServiceNotice
from .services import NotAllowed, redeliver_failed, withdraw_service_notice


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "recipient", "invitation", "restriction", "created_at"]
    list_filter = ["event"]
    search_fields = ["recipient__email", "invitation__email", "key"]
    list_select_related = ["recipient", "invitation__channel"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "notification__event", "channel", "notification__recipient", "notification__invitation", "state",
                    "attempts", "notification__created_at", "sent_at"]
    list_filter = ["state", "channel", "notification__event"]
    search_fields = ["notification__recipient__email", "notification__invitation__email", "notification__key"]
    list_select_related = ["notification__recipient", "notification__invitation__channel"]
    actions = ["send_failed_again"]

    @admin.action(description=_("Send the failed ones again"))
    def send_failed_again(self, request, queryset):
        try:
            result = redeliver_failed(actor=request.user, deliveries=queryset)
        except NotAllowed as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)d failed deliveries will be sent again.") % {"count": result.reset})


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(ReadOnlyAdmin):
    """Published on the staff area's notices page, which audits it."""

    list_display = ["title", "language", "audience", "publish_at", "expires_at", "pinned"]
    list_filter = ["audience", "pinned", "language"]
    search_fields = ["title", "body"]
    actions = ["withdraw"]

    @admin.action(description=_("Withdraw from the board"))
    def withdraw(self, request, queryset):
        withdrawn = 0
        try:
            for notice in queryset:
                withdraw_service_notice(actor=request.user, notice=notice)
                withdrawn += 1
        except NotAllowed as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)d notice(s) withdrawn.") % {"count": withdrawn})
