"""Reads about restrictions. ``get_blocking_restriction`` is what every feature checks."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import get_object_or_404
from django.utils import timezone

from channels_admin.models import Account, Broadcast, Channel, ChannelManager, PaidService, Post
from channels_admin.selectors.channels import list_channel_ids_for_account
from core import versioned_cache
from core.models import AuditEntry

from .models import (
    AWAITING_CONFIRMATION,
    OPEN_RESTRICTION_STATES,
    Appeal,
    AppealState,
    Restriction,
    RestrictionState,
    RestrictionType,
    Scope,
    Standing,
    Takedown,
)

# Which restriction a blocked manager is shown when several apply: the heaviest first.
PRECEDENCE_ORDER = {
    RestrictionType.PERMANENT: 0,
    RestrictionType.ACTIVITY: 1,
    RestrictionType.TEMPORARY: 2,
    RestrictionType.VERIFICATION_PENDING: 3,
}
PRECEDENCE = Case(
    *(When(type=kind, then=Value(weight)) for kind, weight in PRECEDENCE_ORDER.items()),
    default=Value(9),
    output_field=IntegerField(),
)


def heaviest_first(restrictions) -> list[Restriction]:
    """``restrictions`` in the order of ``PRECEDENCE``, newest first within a type, as the
    database orders ``blocking_restrictions``: for rows already read."""
    return sorted(restrictions, key=lambda r: (PRECEDENCE_ORDER.get(r.type, 9), -r.starts_at.timestamp(), -r.pk))


def blocking_restrictions(*, account, channel, feature: str, now=None):
    """Active restrictions that block ``feature`` (a Scope code) for ``account`` in ``channel``
    at ``now``: those on the channel and those on the account. A warning is on the record but
    blocks nothing; business channels are exempt from ``verification_pending`` (R3)."""
    target = Q(channel=channel)
    if account is not None:
        target |= Q(account=account)
    qs = Restriction.objects.in_force(now).covering(feature).filter(target).exclude(type=RestrictionType.WARNING)
    if channel is not None and channel.is_business:
        qs = qs.exclude(type=RestrictionType.VERIFICATION_PENDING)
    return qs.annotate(precedence=PRECEDENCE).order_by("precedence", "-starts_at", "-id")


def get_blocking_restriction(*, account, channel, feature: str) -> Restriction | None:
    """The restriction to show a manager who tries ``feature``, or None. One query."""
    return blocking_restrictions(account=account, channel=channel, feature=feature).first()


# ----------------------------------------------------------------------------------------------
# Versions: what is read from the restrictions of a channel or an account may be kept in the
# cache (``core.versioned_cache``) under the version of that channel's or account's
# restrictions, and under the version of them all, which moves when a set-based change
# touches more targets than are worth naming. A saved or deleted restriction moves its
# target's (signals below); a change made with ``QuerySet.update`` or raw SQL calls
# ``restrictions_changed``.
RESTRICTIONS = "restrictions"
_NAMED_TARGETS_AT_MOST = 1000


def _target(*, channel_id=None, account_id=None) -> str:
    return f"channel:{channel_id}" if channel_id is not None else f"account:{account_id}"


def restriction_versions(*, channel_id=None, account_id=None) -> list[tuple[str, str]]:
    """The versions a value read from the restrictions of these targets is kept under."""
    versions = [(RESTRICTIONS, "all")]
    if channel_id is not None:
        versions.append((RESTRICTIONS, _target(channel_id=channel_id)))
    if account_id is not None:
        versions.append((RESTRICTIONS, _target(account_id=account_id)))
    return versions


def restrictions_changed(restrictions=(), *, account_ids=()) -> None:
    """The restrictions of the targets of ``restrictions`` (and of ``account_ids``) must be read
    again, after this transaction. More targets than ``_NAMED_TARGETS_AT_MOST`` move every
    restriction's version at once."""
    targets = [_target(channel_id=r.channel_id, account_id=r.account_id) for r in restrictions]
    targets += [_target(account_id=pk) for pk in account_ids]
    if len(targets) > _NAMED_TARGETS_AT_MOST:
        versioned_cache.bump(RESTRICTIONS, "all")
    elif targets:
        versioned_cache.bump_many(RESTRICTIONS, targets)


@receiver(post_save, sender=Restriction, dispatch_uid="restriction-saved")
@receiver(post_delete, sender=Restriction, dispatch_uid="restriction-deleted")
def _restriction_saved(sender, instance, **kwargs):
    restrictions_changed([instance])


@receiver(post_save, sender=Takedown, dispatch_uid="restriction-takedown-saved")
@receiver(post_delete, sender=Takedown, dispatch_uid="restriction-takedown-deleted")
def _takedown_saved(sender, instance, **kwargs):
    versioned_cache.bump(RESTRICTIONS, _target(channel_id=instance.channel_id))  # a channel's status lists them


@receiver(post_save, sender=Appeal, dispatch_uid="restriction-appeal-saved")
@receiver(post_delete, sender=Appeal, dispatch_uid="restriction-appeal-deleted")
def _appeal_saved(sender, instance, **kwargs):
    restrictions_changed([instance.restriction])  # what is read with a restriction includes its appeal


def list_restriction_keys(*, channel=None, account=None) -> list[tuple[int, str]]:
    """(id, state) of every restriction of a channel or an account, newest first: what a case
    page pages through. No query while the target's restrictions are unchanged."""
    target = Q(channel=channel) if channel is not None else Q(account=account)
    pk = _target(channel_id=channel.pk) if channel is not None else _target(account_id=account.pk)
    return versioned_cache.read(
        RESTRICTIONS, pk, lambda: list(Restriction.objects.filter(target).order_by("-created_at", "-id").values_list("pk", "state")),
        part="keys", also=restriction_versions(),
    )


# What managers may see: a four-eyes restriction nobody has confirmed yet was never announced.
ANNOUNCED = ~AWAITING_CONFIRMATION
OPEN = Q(state__in=OPEN_RESTRICTION_STATES)


def _manager_targets(account, channel_ids=None) -> Q:
    # The channel ids are read first (kept in the cache): "account OR channel IN (list)" lets
    # PostgreSQL combine two index scans, where joining the managers table needed a DISTINCT
    # over every restriction of every channel (0.3 s for a manager of 60 busy channels).
    if channel_ids is None:
        channel_ids = list_channel_ids_for_account(account=account)
    return Q(account=account) | Q(channel_id__in=list(channel_ids))


def list_restrictions_for_manager(*, account, open_only: bool = False, channel_ids=None) -> QuerySet[Restriction]:
    """Restrictions on the account or on any channel it manages (``channel_ids``, when the
    caller has them at hand), newest first."""
    qs = Restriction.objects.filter(_manager_targets(account, channel_ids)).filter(ANNOUNCED)
    if open_only:
        qs = qs.filter(OPEN)
    return qs.select_related("channel", "account").order_by("-starts_at", "-id")


def get_restriction_for_manager(*, account, pk: int) -> Restriction:
    """A restriction that affects ``account``; 404 for any other, so others' stay unseen."""
    return get_object_or_404(
        list_restrictions_for_manager(account=account).select_related("appeal", "appeal__decided_by"), pk=pk
    )


def list_open_restrictions_for_channel(*, channel, account) -> list[Restriction]:
    """What a manager of ``channel`` is under right now or soon: restrictions on the channel
    and on their own account (the channel pages' banners), heaviest first. No query while
    neither the channel's nor the account's restrictions changed."""
    def load():
        qs = Restriction.objects.filter(OPEN & ANNOUNCED).filter(Q(channel=channel) | Q(account=account))
        if channel.is_business:
            qs = qs.exclude(type=RestrictionType.VERIFICATION_PENDING)
        return list(qs.annotate(precedence=PRECEDENCE).order_by("precedence", "-id"))

    restrictions = versioned_cache.read(
        RESTRICTIONS, _target(channel_id=channel.pk), load, part=f"open-for:{account.pk}:{channel.kind}",
        also=restriction_versions(account_id=account.pk),
    )
    # Each is on ``channel`` or on ``account``, both at hand: no join to load them again.
    for restriction in restrictions:
        if restriction.channel_id is not None and restriction.channel_id == channel.pk:
            restriction.channel = channel
        if restriction.account_id is not None and restriction.account_id == account.pk:
            restriction.account = account
    return restrictions


def standing_among(restrictions, *, now=None) -> str:
    """The ``Standing`` that ``restrictions`` (those of ``list_open_restrictions_for_channel``)
    leave a manager in at ``now``: what ``get_standings`` says of that channel."""
    now = now or timezone.now()
    return _standing([r for r in restrictions if r.in_force_at(now)])


def blocking_among(restrictions, *, feature: str, now=None) -> Restriction | None:
    """What ``get_blocking_restriction`` answers, from the rows of
    ``list_open_restrictions_for_channel``: the heaviest in force that blocks ``feature``."""
    now = now or timezone.now()
    blocking = [r for r in restrictions if r.in_force_at(now) and r.covers(feature) and r.type != RestrictionType.WARNING]
    return heaviest_first(blocking)[0] if blocking else None


def is_read_only_among(restrictions) -> bool:
    """What ``is_read_only`` says, from the rows of ``list_open_restrictions_for_channel``."""
    return any(r.type == RestrictionType.PERMANENT and r.state == RestrictionState.ACTIVE for r in restrictions)


def _standing(restrictions) -> str:
    kinds = {r.type for r in restrictions if r.type != RestrictionType.WARNING}
    if RestrictionType.PERMANENT in kinds:
        return Standing.PERMANENTLY_RESTRICTED
    return Standing.RESTRICTED if kinds else Standing.ACTIVE


def _in_force_for(channel, account_id: int, restrictions) -> list[Restriction]:
    # What ``list_open_restrictions_for_channel`` would say of ``channel``, from rows at hand.
    return [
        r for r in restrictions
        if (r.channel_id == channel.pk or (r.account_id is not None and r.account_id == account_id))
        and not (channel.is_business and r.type == RestrictionType.VERIFICATION_PENDING)
    ]


def list_in_force(*, account, channel_ids, now=None) -> list[Restriction]:
    """The restrictions in force at ``now`` on ``account`` or on any of ``channel_ids`` that
    block something (no warnings), heaviest first as ``blocking_restrictions`` orders them:
    what ``get_standings`` and the chat decisions read, for a page that needs both. One query."""
    return list(
        Restriction.objects.in_force(now).filter(Q(account=account) | Q(channel_id__in=list(channel_ids)))
        .exclude(type=RestrictionType.WARNING)
        .annotate(precedence=PRECEDENCE).order_by("precedence", "-starts_at", "-id")
    )


def get_standings(*, account, channels, now=None, in_force=None) -> dict[int, str]:
    """The ``Standing`` of each of ``channels`` for ``account``, keyed by channel id: the
    restrictions in force on the channel or on the account. One query for the whole page, none
    when ``in_force`` (``list_in_force`` of these channels at least) is given."""
    channels = list(channels)
    if not channels:
        return {}
    if in_force is None:
        in_force = (
            Restriction.objects.in_force(now).filter(ANNOUNCED)
            .filter(Q(account=account) | Q(channel_id__in=[c.pk for c in channels]))
            .exclude(type=RestrictionType.WARNING)
            .only("id", "channel_id", "account_id", "type")
        )
    rows = list(in_force)  # in force, hence announced: a four-eyes one is scheduled until confirmed
    return {c.pk: _standing(_in_force_for(c, account.pk, rows)) for c in channels}


@dataclass
class ChannelStatus:
    """Everything that limits a manager in one channel (the channel's status page)."""

    standing: str
    in_force: list[Restriction] = field(default_factory=list)
    scheduled: list[Restriction] = field(default_factory=list)
    ended: list[Restriction] = field(default_factory=list)  # the latest, newest first
    takedowns: list[Takedown] = field(default_factory=list)  # content still taken down


ENDED_SHOWN = 10


def get_channel_status(*, channel, account, now=None) -> ChannelStatus:
    """The restrictions on ``channel`` and on ``account`` that a manager has been told of: in
    force, scheduled and the last few ended, each with its appeal; and the channel's content
    that is still taken down. Three queries, none while neither the channel's nor the account's
    restrictions, appeals and takedowns changed (their rows are kept; what is in force is worked
    out from them at ``now``)."""
    now = now or timezone.now()

    def load():
        qs = (
            Restriction.objects.filter(ANNOUNCED).filter(Q(channel=channel) | Q(account=account))
            .select_related("appeal").annotate(precedence=PRECEDENCE)
        )
        if channel.is_business:
            qs = qs.exclude(type=RestrictionType.VERIFICATION_PENDING)
        takedowns = list(
            Takedown.objects.filter(channel=channel, restored_at__isnull=True)
            .exclude(restriction__needs_confirmation=True, restriction__confirmed_by__isnull=True)
            .select_related("restriction").order_by("-taken_down_at", "-id")[:100]
        )
        return (list(qs.filter(OPEN).order_by("precedence", "starts_at", "id")),
                list(qs.exclude(OPEN).order_by("-ended_at", "-id")[:ENDED_SHOWN]), takedowns)

    open_rows, ended, takedowns = versioned_cache.read(
        RESTRICTIONS, _target(channel_id=channel.pk), load, part=f"status-for:{account.pk}:{channel.kind}",
        also=restriction_versions(account_id=account.pk),
    )
    status = ChannelStatus(standing=Standing.ACTIVE)
    for r in open_rows:
        if r.state == RestrictionState.SCHEDULED:
            status.scheduled.append(r)
        elif r.ends_at is not None and r.ends_at <= now:
            status.ended.append(r)  # past its end; the expiry task has not run yet
        else:
            status.in_force.append(r)
    status.ended += ended
    status.standing = _standing(status.in_force)
    status.takedowns = takedowns
    return status


@dataclass
class LiftEffect:
    """What lifting a restriction gives back: the features no other restriction on the same
    target still blocks, and those other restrictions."""

    usable_again: list[str]  # Scope codes, never ``all``
    still_blocking: list[Restriction]


FEATURES = [code for code in Scope.values if code != Scope.ALL]


def describe_lift(restriction, now=None) -> LiftEffect:
    """What lifting ``restriction`` now would give back to its target (one query)."""
    target = Q(channel_id=restriction.channel_id) if restriction.channel_id else Q(account_id=restriction.account_id)
    others = list(
        Restriction.objects.in_force(now).filter(target).filter(ANNOUNCED)
        .exclude(pk=restriction.pk).exclude(type=RestrictionType.WARNING)
        .annotate(precedence=PRECEDENCE).order_by("precedence", "id")
    )
    if restriction.type == RestrictionType.WARNING:
        return LiftEffect(usable_again=[], still_blocking=others)
    features = FEATURES if Scope.ALL in restriction.scope_codes else restriction.scope_codes
    usable = [code for code in features if not any(other.covers(code) for other in others)]
    return LiftEffect(usable_again=usable, still_blocking=others)


def is_read_only(*, channel, account) -> bool:
    """A channel (or account) under an active permanent restriction: the Admin Center shows
    it but changes nothing."""
    return Restriction.objects.filter(
        Q(channel=channel) | Q(account=account), type=RestrictionType.PERMANENT, state=RestrictionState.ACTIVE
    ).exists()


def list_takedowns(*, restriction) -> QuerySet[Takedown]:
    return restriction.takedowns.select_related("taken_down_by", "restored_by").order_by("taken_down_at", "id")


# Escalation: the ladder of R6, mildest first. ``verification_pending`` is not a sanction.
LADDER = [RestrictionType.WARNING, RestrictionType.TEMPORARY, RestrictionType.ACTIVITY, RestrictionType.PERMANENT]


RECENT_SANCTIONS = 10  # the newest sanctions the apply form lists; the counts cover them all
# A sanction counts toward the next step unless an appeal overturned it or it waits for (or never
# got) a second senior moderator's confirmation.
COUNTS_TOWARD_ESCALATION = ~Q(appeal__state=AppealState.OVERTURNED) & ~AWAITING_CONFIRMATION


def list_prior_sanctions(*, channel=None, account=None) -> QuerySet[Restriction]:
    """A target's sanctions (not ``verification_pending``), newest first, with their appeals."""
    target = Q(channel=channel) if channel is not None else Q(account=account)
    return (
        Restriction.objects.filter(target)
        .exclude(type=RestrictionType.VERIFICATION_PENDING)
        .select_related("appeal")
        .order_by("-created_at", "-id")
    )


def suggest_next_type(counted_types) -> str:
    """The next step of the ladder warning → temporary → activity → permanent after the
    heaviest of ``counted_types``: the types of the sanctions on record that count
    (``COUNTS_TOWARD_ESCALATION``)."""
    heaviest = max((LADDER.index(kind) for kind in counted_types if kind in LADDER), default=-1)
    return LADDER[min(heaviest + 1, len(LADDER) - 1)]


@dataclass
class SanctionCount:
    type: str
    on_record: int
    counted: int  # those that count toward the next step


@dataclass
class SanctionHistory:
    """A target's sanctions as the apply form weighs them: how many of each type, however many
    there are, and the newest few."""

    counts: list[SanctionCount]  # along the ladder, the types on record only
    recent: list[Restriction]  # the newest RECENT_SANCTIONS, with their appeals
    suggestion: str

    @property
    def total(self) -> int:
        return sum(c.on_record for c in self.counts)


def get_sanction_history(*, channel=None, account=None) -> SanctionHistory:
    """The sanctions of a channel or an account, counted by type (one aggregate query) and the
    newest ``RECENT_SANCTIONS`` (one query), with the suggested next step. Kept between requests
    under the target's restrictions' version, which a restriction or an appeal saved moves on:
    no query while they are unchanged."""
    def load():
        sanctions = list_prior_sanctions(channel=channel, account=account)
        by_type = {
            row["type"]: row for row in sanctions.order_by().values("type").annotate(
                on_record=Count("id"), counted=Count("id", filter=COUNTS_TOWARD_ESCALATION))
        }
        counts = [SanctionCount(kind, by_type[kind]["on_record"], by_type[kind]["counted"]) for kind in LADDER if kind in by_type]
        return SanctionHistory(
            counts=counts,
            recent=list(sanctions[:RECENT_SANCTIONS]),
            suggestion=suggest_next_type(c.type for c in counts if c.counted),
        )

    pk = _target(channel_id=channel.pk) if channel is not None else _target(account_id=account.pk)
    return versioned_cache.read(RESTRICTIONS, pk, load, part="sanctions", also=restriction_versions())


def describe_permanent_impact(*, channel=None, account=None) -> dict:
    """What a permanent restriction would block: the managers who lose the channel (or the
    account's channels), and how many posts, broadcasts and paid services stop."""
    if channel is not None:
        channels, target = Q(channel=channel), Channel.objects.filter(pk=channel.pk)
        managers = ChannelManager.objects.filter(channel=channel).order_by("-role", "account__email")
    else:
        channels, target = Q(channel__managers__account=account), Account.objects.filter(pk=account.pk)
        managers = ChannelManager.objects.filter(account=account).order_by("channel__handle")

    def count(model):
        return Subquery(model.objects.visible().filter(channels).order_by().values(
            n=Func(F("pk"), function="COUNT", output_field=IntegerField())))

    # The three counts in one statement, read with the target's row.
    counts = target.values_list(count(Post), count(Broadcast), count(PaidService)).first() or (0, 0, 0)
    return {
        "managers": list(managers.select_related("account", "channel").only(*_IMPACT_FIELDS)),
        **dict(zip(("posts", "broadcasts", "paid_services"), counts, strict=True)),
    }


# What the impact shows of each manager: the email, the role, the channel; and the language,
# for whom the message will be read by.
_IMPACT_FIELDS = ("id", "role", "channel_id", "account_id", "account__id", "account__email", "account__preferred_language",
                  "channel__id", "channel__handle")


def list_restrictions(*, channel=None, account=None, active: bool = False, state: str = "", type: str = "") -> QuerySet[Restriction]:  # noqa: A002
    qs = Restriction.objects.select_related("channel", "account", "created_by").order_by("-created_at", "-id")
    if channel is not None:
        qs = qs.filter(channel=channel)
    if account is not None:
        qs = qs.filter(account=account)
    if active:
        qs = qs.filter(state=RestrictionState.ACTIVE)
    if state:
        qs = qs.filter(state=state)
    if type:
        qs = qs.filter(type=type)
    return qs


def list_appeals(*, state: str = "") -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("restriction", "restriction__channel", "restriction__account", "account", "decided_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("created_at", "id") if state == AppealState.PENDING else qs.order_by("-created_at", "-id")


def list_audit_entries(*, channel=None, account=None, actor=None, date_from=None, date_to=None) -> QuerySet[AuditEntry]:
    """The audit trail, newest first, filtered, each entry with what the list shows of it (its
    actor's, channel's and account's names, not their whole rows). ``account`` matches the
    entry's subject account or, for channel entries, nothing else; ``date_to`` is inclusive (a
    date)."""
    qs = (
        AuditEntry.objects.select_related("actor", "channel", "account")
        .only("id", "created_at", "event_type", "reason", "restriction_id", "actor__email", "channel__handle", "account__email")
        .order_by("-id")
    )
    if channel is not None:
        qs = qs.filter(channel=channel)
    if account is not None:
        qs = qs.filter(account=account)
    if actor is not None:
        qs = qs.filter(actor=actor)
    if date_from is not None:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs
