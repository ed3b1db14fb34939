from django.contrib import admin

from core.admin import LargeTableAdmin, ReadOnlyAdmin

from .models import Appeal, Restriction, Takedown


@admin.register(Restriction)
class RestrictionAdmin(LargeTableAdmin, ReadOnlyAdmin):
    """Read here; change through the staff area, whose services audit and notify."""

    list_display = ["id", "type", "scope", "reason", "state", "channel", "account", "starts_at", "ends_at"]
    list_filter = ["type", "state", "reason"]
    search_fields = ["channel__handle", "account__email"]
    list_select_related = ["channel", "account"]

    def get_queryset(self, request):
        # The list shows a channel's handle and an account's email; their other columns (an
        # account's phone number is parsed on load) stay in the database.
        return super().get_queryset(request).only(
            "id", "type", "scope", "reason", "state", "channel_id", "account_id", "starts_at", "ends_at",
            "channel__id", "channel__handle", "account__id", "account__email",
        )


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
