from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from .models import AuditEntry, WebhookReceipt


class EstimatedCountPaginator(Paginator):
    """Django's paginator, without a ``COUNT(*)`` over a whole large table: the admin's
    unfiltered list of a table PostgreSQL estimates at ``EXACT_BELOW`` rows or more is numbered
    from the planner's estimate (``pg_class.reltuples``, kept by ANALYZE and autovacuum), so its
    last page may hold a few rows more or less than it says. A filtered or searched list, a
    smaller table and every other database count exactly."""

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.is_sliced:
            connection = connections[self.object_list.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                                   [self.object_list.model._meta.db_table])
                    row = cursor.fetchone()
                if row and row[0] >= self.EXACT_BELOW:
                    return row[0]
        return super().count


class LargeTableAdmin(admin.ModelAdmin):
    """The admin list of a table with tens of thousands of rows: no second count of the whole
    table for "show all" (``show_full_result_count``), an estimated count for the unfiltered
    list (``EstimatedCountPaginator``), fifty rows a page."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


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
