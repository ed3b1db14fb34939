"""Every change to restrictions, takedowns and appeals. Views, commands, tasks and admin
actions call these and nothing else; each checks the actor's role, locks its rows in one order
(channel, account, restriction, content, appeal), validates, writes, audits and asks
``notifications`` for the messages, in one transaction."""

from .appeals import decide_appeal, file_appeal
from .common import affected_managers, appeal_deadline, notification_context
from .errors import (
    AppealError,
    ConflictingRestriction,
    FeatureBlocked,
    FourEyesRequired,
    InvalidRestriction,
    NotAllowed,
    RestrictionError,
    TakedownError,
    WrongState,
)
from .sanctions import (
    UNSET,
    apply_restriction,
    confirm_restriction,
    expire_due_restrictions,
    lift_restriction,
    modify_restriction,
    normalize_scope,
)
from .takedowns import CONTENT_MODELS, get_content, restore_content, take_down_content

__all__ = [
    "CONTENT_MODELS",
    "UNSET",
    "AppealError",
    "ConflictingRestriction",
    "FeatureBlocked",
    "FourEyesRequired",
    "InvalidRestriction",
    "NotAllowed",
    "RestrictionError",
    "TakedownError",
    "WrongState",
    "affected_managers",
    "appeal_deadline",
    "apply_restriction",
    "confirm_restriction",
    "decide_appeal",
    "expire_due_restrictions",
    "file_appeal",
    "get_content",
    "lift_restriction",
    "modify_restriction",
    "normalize_scope",
    "notification_context",
    "restore_content",
    "take_down_content",
]
