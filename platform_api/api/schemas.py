"""What the API takes and gives. Bodies refuse unknown fields (a typo is a 400 naming it)."""

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from core.webhooks import unstorable_text


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value):
        """Refuse text PostgreSQL cannot hold (a NUL character, a lone surrogate), as the
        webhooks do (``core.webhooks``): a 400 naming the field, not a failed write."""
        if isinstance(value, str) and unstorable_text(value):
            raise PydanticCustomError("unstorable_text", "text that cannot be stored")
        return value


class RestrictionOut(Schema):
    id: int
    channel: str | None = Field(None, description="@handle, for a restriction on a channel")
    account: int | None = Field(None, description="account id, for a restriction on an account")
    type: str = Field(..., description="warning, temporary, activity, permanent, verification_pending")
    scope: list[str] = Field(..., description="chat, posts, broadcast, profile, paid_services, all")
    reason: str
    state: str = Field(..., description="scheduled, active, expired, lifted")
    starts_at: datetime
    ends_at: datetime | None
    in_force: bool


class DecisionOut(Schema):
    account: int | None
    channel: str | None
    allowed: bool
    reason: str = Field(..., description="allowed, identity_verification_required, restricted, not_a_manager")
    message: str = Field(..., description="for the manager, in the account's language")
    restriction: RestrictionOut | None = None


class PairIn(Strict):
    account: str = Field(..., min_length=1, max_length=254, description="account id or email")
    channel: str = Field(..., min_length=1, max_length=31, description="@handle")


class BatchIn(Strict):
    pairs: list[PairIn] = Field(..., min_length=1, max_length=500)


class BatchOut(Schema):
    decisions: list[DecisionOut]


class RestrictionListOut(Schema):
    restrictions: list[RestrictionOut]


class ReportTargetIn(Strict):
    kind: str = Field(..., description="channel, post, message or paid_service")
    id: int | None = None


class ReportIn(Strict):
    channel: str = Field(..., min_length=1, max_length=31)
    reporter: str = Field(..., min_length=1, max_length=64, description="the end user's id on the messenger")
    target: ReportTargetIn | None = None
    reason: str
    text: str = Field("", max_length=2000)


class ReportOut(Schema):
    report: int
    queue_item: int


class ChatUserIn(Strict):
    id: str = Field(..., min_length=1, max_length=64)
    name: str = Field("", max_length=100)


class ChatMessageIn(Strict):
    channel: str = Field(..., min_length=1, max_length=31)
    user: ChatUserIn
    text: str = Field(..., min_length=1, max_length=2000)
    id: str = Field("", max_length=80, description="the messenger's message id; a repeat stores nothing new")


class ChatMessageOut(Schema):
    message: int
    conversation: int
