from django.contrib import admin

from .models import Delivery, Notice, ServiceNotice


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "channel", "recipient", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["recipient__email", "idempotency_key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "restriction", "subject_channel"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "delivery"]


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "publish_at", "expires_at", "pinned"]
    list_filter = ["audience", "pinned"]
    search_fields = ["title", "body"]
