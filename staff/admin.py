from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import FraudRule, QueueItem, Report


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
