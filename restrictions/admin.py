from django.contrib import admin

from .models import AuditEntry, Restriction


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
