from django.contrib import admin

from .models import Appeal, AuditEntry, Restriction, Takedown
from .moderation_models import FraudRule, QueueItem, Report


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    """Read here; change through the staff area, whose services audit and notify."""

    list_display = ["id", "type", "scope", "reason", "state", "channel", "account", "starts_at", "ends_at"]
    list_filter = ["type", "state", "reason"]
    search_fields = ["channel__handle", "account__email"]
    list_select_related = ["channel", "account"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "event_type", "actor", "channel", "account", "restriction"]
    list_filter = ["event_type", "created_at"]
    search_fields = ["channel__handle", "account__email", "actor__email"]
    list_select_related = ["actor", "channel", "account"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Read here; takedowns and appeals change only through the services, which audit and notify."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Takedown)
class TakedownAdmin(_ReadOnlyAdmin):
    list_display = ["id", "kind", "object_id", "channel", "restriction", "taken_down_at", "restored_at"]
    list_filter = ["kind"]
    list_select_related = ["channel", "restriction"]
    search_fields = ["channel__handle"]


@admin.register(Appeal)
class AppealAdmin(_ReadOnlyAdmin):
    list_display = ["id", "restriction", "account", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["restriction", "account", "decided_by"]
    search_fields = ["account__email"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reading; changed only through the staff area, whose services audit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QueueItem)
class QueueItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "target_kind", "target_id", "reason", "state", "report_count", "score", "channel", "created_at"]
    list_filter = ["source", "state", "reason", "target_kind"]
    search_fields = ["channel__handle", "excerpt"]
    list_select_related = ["channel"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "reporter_external_id", "target_kind", "target_id", "reason", "state", "channel", "created_at"]
    list_filter = ["state", "reason", "target_kind"]
    search_fields = ["channel__handle", "reporter_external_id", "text"]
    list_select_related = ["channel"]


@admin.register(FraudRule)
class FraudRuleAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "language", "weight", "is_active", "updated_at"]
    list_filter = ["category", "language", "is_active"]
    search_fields = ["name", "pattern"]
