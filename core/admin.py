from django.contrib import admin

from .models import AuditEntry, WebhookReceipt


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through their service (audited): browse, never edit here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "event_type", "actor", "channel", "account", "restriction"]
    list_filter = ["event_type", "created_at"]
    search_fields = ["channel__handle", "account__email", "actor__email"]
    list_select_related = ["actor", "channel", "account"]
    date_hierarchy = "created_at"


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(ReadOnlyAdmin):
    list_display = ["source", "webhook_id", "received_at"]
    list_filter = ["source"]
    search_fields = ["webhook_id"]
