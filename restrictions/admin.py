from django.contrib import admin

from channels_admin.admin import ReadOnlyAdmin

from .models import Appeal, AuditEntry, Restriction, Takedown
from .moderation_models import FraudRule, QueueItem, Report


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    """Read here; change through the staff area, whose services audit and notify."""

    list_display = ["id", "type", "scope", "reason", "state", "channel", "account", "starts_at", "ends_at"]
    list_filter = ["type", "state", "reason"]
    search_fields = ["channel__handle", "account__email"]
    list_select_related = ["channel", "account"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "event_type", "actor", "channel", "account", "restriction"]
    list_filter = ["event_type", "created_at"]
    search_fields = ["channel__handle", "account__email", "actor__email"]
    list_select_related = ["actor", "channel", "account"]
    date_hierarchy = "created_at"


@admin.register(Takedown)
class TakedownAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "object_id", "channel", "restriction", "taken_down_at", "restored_at"]
    list_filter = ["kind"]
    list_select_related = ["channel", "restriction"]
    search_fields = ["channel__handle"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "restriction", "account", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["restriction", "account", "decided_by"]
    search_fields = ["account__email"]


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
