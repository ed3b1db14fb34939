"""The kinds of content a channel shows, and what the other domains need to know of each.

One entry per kind says which model holds it, the column that hides it once taken down, how to
reach its channel, what a takedown keeps of it, what text the fraud scanner reads and whether
end users may report it. The sanctions domain (``restrictions.models.TakedownKind``, the
takedown services) and the moderation queue (``staff.models.TargetKind``, ``REPORTABLE_KINDS``,
the scanner's hooks and queue texts) derive their enums and dispatch tables from it, so a new
kind of content is described here and nowhere else.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import Broadcast, Channel, EndUser, Message, MessageDirection, PaidService, Post


@dataclass(frozen=True)
class ContentKind:
    code: str  # stored in takedowns, queue items and reports
    label: Promise  # what staff read in the queue and the reports
    model: type[models.Model]
    # The lookup from the content row to its channel ("conversation__channel"); empty when the
    # row is the channel itself.
    channel_path: str = "channel"
    # The column whose time hides the content from managers and users; None: it cannot be taken down.
    hidden_field: str | None = None
    takedown_label: Promise | None = None  # the label of a takedown of it, when not ``label``
    # The restriction scope code that blocks it: a takedown needs a restriction whose scope covers it.
    feature: str | None = None
    snapshot_fields: tuple[str, ...] = ()  # what a takedown keeps of what was shown
    scan_fields: tuple[str, ...] = ()  # the fraud scanner reads these, one line each; () = not scanned
    scan_only: tuple[tuple[str, object], ...] = ()  # (field, value): only such rows are scanned
    # What a rescan "since" compares; None: the rows carry no change time, so each is rescanned.
    changed_field: str | None = None
    summary_field: str | None = None  # the short text a queue item shows of its target
    reportable: bool = False  # end users may report it (the public form and the webhook)

    @property
    def can_be_taken_down(self) -> bool:
        return self.hidden_field is not None

    @property
    def is_scanned(self) -> bool:
        return bool(self.scan_fields)

    def channel_id_of(self, obj) -> int:
        """The id of the channel a content row belongs to (without a query once its path is loaded)."""
        if not self.channel_path:
            return obj.pk
        *hops, last = self.channel_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def in_channel(self, channel) -> Q:
        """This kind's rows in ``channel``."""
        return Q(**{self.channel_path: channel}) if self.channel_path else Q(pk=channel.pk)

    def related_for_channel(self) -> tuple[str, ...]:
        """What ``select_related`` needs for ``channel_id_of`` to read no more rows."""
        hops = self.channel_path.split("__")[:-1]
        return ("__".join(hops),) if hops else ()

    def is_hidden(self, obj) -> bool:
        return self.hidden_field is not None and getattr(obj, self.hidden_field) is not None

    def snapshot(self, obj) -> dict:
        return {name: getattr(obj, name) for name in self.snapshot_fields}

    def is_scanned_row(self, obj) -> bool:
        return self.is_scanned and all(getattr(obj, name) == value for name, value in self.scan_only)

    def scan_text(self, obj) -> str:
        if not self.is_scanned:
            raise ValueError(f"not scanned: {self.code}")
        return "\n".join(f"{getattr(obj, name)}" for name in self.scan_fields)


# In the order of the queue's "about" choices.
CONTENT_KINDS: dict[str, ContentKind] = {
    kind.code: kind
    for kind in (
        ContentKind(code="channel", label=_("Channel"), model=Channel, channel_path="", reportable=True),
        ContentKind(
            code="profile", label=_("Channel profile"), model=Channel, channel_path="",
            hidden_field="profile_taken_down_at", feature="profile", snapshot_fields=("name", "picture_url", "description"),
            scan_fields=("name", "description"),
        ),
        ContentKind(
            code="post", label=_("Post"), model=Post, hidden_field="taken_down_at", feature="posts", snapshot_fields=("title", "body"),
            scan_fields=("title", "body"), changed_field="updated_at", summary_field="title", reportable=True,
        ),
        ContentKind(
            code="message", label=_("Message"), takedown_label=_("1:1 chat message"), model=Message,
            channel_path="conversation__channel", hidden_field="taken_down_at", feature="chat", snapshot_fields=("text", "direction"),
            # What end users write is theirs; the scanner reads what the channel says.
            scan_fields=("text",), scan_only=(("direction", MessageDirection.OUTBOUND),), changed_field="created_at",
            summary_field="text", reportable=True,
        ),
        ContentKind(
            code="broadcast", label=_("Broadcast message"), model=Broadcast, hidden_field="taken_down_at", feature="broadcast",
            snapshot_fields=("text",), scan_fields=("text",), changed_field="created_at", summary_field="text",
        ),
        ContentKind(
            code="paid_service", label=_("Paid service"), model=PaidService, hidden_field="taken_down_at", feature="paid_services",
            snapshot_fields=("kind", "name", "description", "price_krw"), scan_fields=("name", "description"),
            changed_field="created_at", summary_field="name", reportable=True,
        ),
        # Not content a channel shows: the end user who sent solicitations to several channels'
        # managers. The fraud scanner holds one queue item for them with every message as evidence.
        ContentKind(
            code="end_user", label=_("End user"), model=EndUser, channel_path="conversations__channel",
            summary_field="display_name",
        ),
    )
}

# The takedown column's choices were recorded in this order by its migration.
TAKEDOWN_ORDER = ("post", "profile", "message", "broadcast", "paid_service")


def takedown_kinds() -> list[ContentKind]:
    kinds = [CONTENT_KINDS[code] for code in TAKEDOWN_ORDER]
    if {kind.code for kind in kinds} != {kind.code for kind in CONTENT_KINDS.values() if kind.can_be_taken_down}:
        raise RuntimeError("TAKEDOWN_ORDER must name every kind of content that can be taken down, once.")
    return kinds


def scanned_kinds() -> list[ContentKind]:
    return [kind for kind in CONTENT_KINDS.values() if kind.is_scanned]


def text_choices(name: str, kinds: list[ContentKind], *, module: str, takedown: bool = False) -> type[models.TextChoices]:
    """A TextChoices enum of ``kinds`` (members named by upper-cased code) for a model field's choices."""
    members = [
        (kind.code.upper(), (kind.code, (kind.takedown_label or kind.label) if takedown else kind.label)) for kind in kinds
    ]
    return models.TextChoices(name, members, module=module)
