"""Django admin for the channels_admin app: a window on the rows, not a way around the services.

Whatever the services audit (staff roles, managers and invitations, channel kinds, content a
takedown may hide, the chat policy, identity) is read-only here; the few useful changes are
actions or add forms that call the service. New accounts (email and password only, no role)
and new channels (with their master) are still added here: nothing else creates them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.roles import StaffRole

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
from .services import ManagerError, StaffRoleError, create_channel, set_staff_role


def _staff_role_action(role: str, description):
    def action(modeladmin, request, queryset):
        changed = 0
        for account in queryset:
            try:
                changed += set_staff_role(account=account, role=role, actor=request.user)
            except StaffRoleError as exc:
                modeladmin.message_user(request, f"{account.email}: {exc}", messages.ERROR)
        if changed:
            modeladmin.message_user(request, _("Staff role changed for %(count)d account(s).") % {"count": changed}, messages.SUCCESS)

    action.__name__ = f"set_staff_role_{role or 'none'}"
    action.short_description = description
    return action


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin, UserAdmin):
    """Staff roles change through ``set_staff_role`` (the actions below), which audits them."""

    ordering = ["email"]
    list_display = ["email", "full_name", "phone_number", "preferred_language", "identity_verified_at", "is_staff", "staff_role", "is_active"]
    list_filter = ["is_staff", "staff_role", "preferred_language", "is_active", ("identity_verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "full_name", "phone_number"]
    readonly_fields = ["identity_verified_at", "date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        (_("Person"), {"fields": ["full_name", "phone_number", "preferred_language", "time_zone", "identity_verified_at"]}),
        (_("Staff"), {"fields": ["is_active", "is_staff", "staff_role", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = [
        _staff_role_action(StaffRole.VIEWER, _("Make viewer")),
        _staff_role_action(StaffRole.MODERATOR, _("Make moderator")),
        _staff_role_action(StaffRole.SENIOR_MODERATOR, _("Make senior moderator")),
        _staff_role_action("", _("Revoke the staff role")),
    ]

    def has_add_permission(self, request):
        # A new account has no staff role and no channel: nothing to audit yet.
        return admin.ModelAdmin.has_add_permission(self, request)

    def add_view(self, request, form_url="", extra_context=None):
        # UserAdmin also asks for the change permission, because its change page would let the
        # person adding an account grant it permissions; here nobody has that page.
        return admin.ModelAdmin.add_view(self, request, form_url, extra_context)


class ChannelManagerInline(admin.TabularInline):
    model = ChannelManager
    extra = 0
    fields = ["account", "role", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChannelAddForm(forms.ModelForm):
    master = forms.EmailField(label=_("Master's email"), help_text=_("The account that becomes the channel's master."))

    class Meta:
        model = Channel
        fields = ["handle", "name", "kind", "business_verified_at", "description"]

    def clean_master(self):
        account = Account.objects.filter(email=self.cleaned_data["master"].strip().lower(), is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("No active account has this email address."))
        return account


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    """Added here through ``create_channel``; its kind, status and managers change only through
    their services."""

    list_display = ["public_id", "name", "kind", "status", "business_verified_at", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["handle", "name"]
    inlines = [ChannelManagerInline]

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ChannelAddForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            channel = create_channel(
                master=data["master"], handle=obj.handle, name=obj.name, kind=obj.kind,
                business_verified_at=obj.business_verified_at, description=obj.description,
            )
        except ManagerError as exc:  # pragma: no cover - the form validated the same fields
            raise forms.ValidationError(str(exc)) from exc
        obj.pk, obj._state.adding, obj._state.db = channel.pk, False, channel._state.db


@admin.register(ChannelManager)
class ChannelManagerAdmin(ReadOnlyAdmin):
    list_display = ["channel", "account", "role", "created_at"]
    list_filter = ["role", "channel__kind"]
    search_fields = ["channel__handle", "account__email"]
    list_select_related = ["channel", "account"]


@admin.register(ManagerInvitation)
class ManagerInvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "channel", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "channel__handle"]
    list_select_related = ["channel", "invited_by"]
    exclude = ["token"]  # half of the acceptance link: nobody here needs it


class ContentAdmin(ReadOnlyAdmin):
    """Content is evidence for takedowns, reports and appeals, and hiding it is audited: only
    the staff area's takedown and restore change it."""

    list_filter = [("taken_down_at", admin.EmptyFieldListFilter)]
    list_select_related = ["channel"]
    search_fields = ["channel__handle"]


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
class EndUserAdmin(ReadOnlyAdmin):
    """Deleting an end user would delete their conversations, which reports and takedowns cite."""

    list_display = ["external_id", "display_name"]
    search_fields = ["external_id", "display_name"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ["channel", "end_user", "last_message_at", "unread_count"]
    list_select_related = ["channel", "end_user"]
    search_fields = ["channel__handle", "end_user__external_id"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "conversation", "direction", "created_at", "taken_down_at"]
    list_filter = ["direction", ("taken_down_at", admin.EmptyFieldListFilter)]
    list_select_related = ["conversation__channel", "conversation__end_user"]
    search_fields = ["text"]


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
