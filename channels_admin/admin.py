from django.contrib import admin

from core.admin import ReadOnlyAdmin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Account,
    Broadcast,
    Channel,
    ChannelManager,
    ChatPolicy,
    Conversation,
    EndUser,
    IdentityVerification,
    ManagerInvitation,
    Message,
    PaidService,
    Post,
)


@admin.register(Account)
class AccountAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "phone_number", "preferred_language", "identity_verified_at", "is_staff", "staff_role", "is_active"]
    list_filter = ["is_staff", "staff_role", "preferred_language", "is_active", ("identity_verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "full_name", "phone_number"]
    readonly_fields = ["identity_verified_at", "date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone_number", "preferred_language", "time_zone", "identity_verified_at"]}),
        (_("Staff"), {"fields": ["is_active", "is_staff", "staff_role", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class ChannelManagerInline(admin.TabularInline):
    model = ChannelManager
    extra = 0
    autocomplete_fields = ["account"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["public_id", "name", "kind", "status", "business_verified_at", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["handle", "name"]
    inlines = [ChannelManagerInline]


@admin.register(ChannelManager)
class ChannelManagerAdmin(admin.ModelAdmin):
    list_display = ["channel", "account", "role", "created_at"]
    list_filter = ["role", "channel__kind"]
    search_fields = ["channel__handle", "account__email"]
    list_select_related = ["channel", "account"]
    autocomplete_fields = ["channel", "account"]


@admin.register(ManagerInvitation)
class ManagerInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "channel", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "channel__handle"]
    list_select_related = ["channel", "invited_by"]
    readonly_fields = ["token"]


class ContentAdmin(admin.ModelAdmin):
    list_filter = [("taken_down_at", admin.EmptyFieldListFilter)]
    list_select_related = ["channel"]
    search_fields = ["channel__handle"]
    autocomplete_fields = ["channel"]


@admin.register(Post)
class PostAdmin(ContentAdmin):
    list_display = ["title", "channel", "created_at", "taken_down_at"]
    search_fields = ["title", "body", "channel__handle"]


@admin.register(Broadcast)
class BroadcastAdmin(ContentAdmin):
    list_display = ["__str__", "channel", "created_at", "taken_down_at"]
    search_fields = ["text", "channel__handle"]


@admin.register(PaidService)
class PaidServiceAdmin(ContentAdmin):
    list_display = ["name", "kind", "price_krw", "channel", "taken_down_at"]
    list_filter = ["kind", ("taken_down_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "channel__handle"]


@admin.register(EndUser)
class EndUserAdmin(admin.ModelAdmin):
    list_display = ["external_id", "display_name"]
    search_fields = ["external_id", "display_name"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["channel", "end_user", "last_message_at", "unread_count"]
    list_select_related = ["channel", "end_user"]
    search_fields = ["channel__handle", "end_user__external_id"]
    raw_id_fields = ["channel", "end_user"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conversation", "direction", "created_at", "taken_down_at"]
    list_filter = ["direction", ("taken_down_at", admin.EmptyFieldListFilter)]
    list_select_related = ["conversation__channel", "conversation__end_user"]
    search_fields = ["text"]
    raw_id_fields = ["conversation", "sender"]


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(ReadOnlyAdmin):
    list_display = ["account", "state", "method", "provider", "created_at", "completed_at", "duplicate_of", "failure_code"]
    list_filter = ["state", "provider", "method", ("duplicate_of", admin.EmptyFieldListFilter)]
    list_select_related = ["account", "duplicate_of"]
    search_fields = ["account__email", "provider_ref"]
    # The keyed hashes are not shown: they mean nothing to a person and need not leave the database.
    exclude = ["ci_hash", "di_hash"]


@admin.register(ChatPolicy)
class ChatPolicyAdmin(ReadOnlyAdmin):
    list_display = ["effective_at", "updated_at", "updated_by"]
