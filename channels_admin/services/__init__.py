"""Every change to accounts, channels, managers, content, 1:1 chat, identity and the chat policy.
Views, commands, tasks and the Django admin call these; each checks the actor, writes in one
transaction, audits and hands messages to the outbox."""

from .accounts import (
    InactiveAccount,
    StaffRoleError,
    StaffRoleNotAllowed,
    UnknownStaffRole,
    set_preferred_language,
    set_staff_role,
    update_account_settings,
)
from .chat import (
    MAX_TEXT,
    ChatError,
    handle_chat_webhook,
    mark_conversation_read,
    receive_inbound_message,
    send_chat_reply,
    warn_of_solicitation,
)
from .chat_policy import (
    ChatPolicyError,
    set_chat_policy,
)
from .content import (
    ContentError,
    create_paid_service,
    create_post,
    edit_post,
    ensure_feature_allowed,
    send_broadcast,
    update_profile,
)
from .identity import (
    LIFT_REASON_VERIFIED,
    IdentityVerificationError,
    apply_identity_result,
    expire_identity_verifications,
    handle_identity_webhook,
    hash_person_identifier,
    provider_start_url,
    refresh_identity_verification,
    start_identity_verification,
)
from .managers import (
    INVITATION_LIFETIME,
    ManagerError,
    accept_invitation,
    create_channel,
    invite_manager,
    remove_manager,
    transfer_master,
)

__all__ = [
    "ChatError",
    "ChatPolicyError",
    "ContentError",
    "INVITATION_LIFETIME",
    "IdentityVerificationError",
    "InactiveAccount",
    "LIFT_REASON_VERIFIED",
    "MAX_TEXT",
    "ManagerError",
    "StaffRoleError",
    "StaffRoleNotAllowed",
    "UnknownStaffRole",
    "accept_invitation",
    "apply_identity_result",
    "create_channel",
    "create_paid_service",
    "create_post",
    "edit_post",
    "ensure_feature_allowed",
    "expire_identity_verifications",
    "handle_chat_webhook",
    "handle_identity_webhook",
    "hash_person_identifier",
    "invite_manager",
    "mark_conversation_read",
    "provider_start_url",
    "receive_inbound_message",
    "refresh_identity_verification",
    "remove_manager",
    "send_broadcast",
    "send_chat_reply",
    "set_chat_policy",
    "set_preferred_language",
    "set_staff_role",
    "start_identity_verification",
    "transfer_master",
    "update_account_settings",
    "update_profile",
    "warn_of_solicitation",
]
