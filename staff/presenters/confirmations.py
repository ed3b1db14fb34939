"""The confirmation pages before staff do what is hard to undo: take content down, lift a
restriction, confirm a permanent one. Each says what will happen; the template lays it out."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from channels_admin.models.content_kinds import CONTENT_KINDS
from restrictions.models import RestrictionType, Scope, TakedownKind

from .common import labels_of


def _back(restriction) -> str:
    return reverse("staff:restriction_detail", args=[restriction.pk])


def _scopes(codes) -> str:
    labels = labels_of(Scope)
    return ", ".join(labels.get(code, code) for code in codes)


def takedown(*, restriction, kind: str, content) -> dict:
    snapshot = CONTENT_KINDS[kind].snapshot(content)
    shown = next((str(value) for value in snapshot.values() if value), "")
    return {
        "title": _("Take this content down?"),
        "lead": _("%(kind)s #%(id)s of %(channel)s: “%(text)s”") % {
            "kind": labels_of(TakedownKind).get(kind, kind), "id": content.pk,
            "channel": restriction.channel.public_id if restriction.channel_id else restriction.target_label,
            "text": shown[:200],
        },
        "facts": [
            _("Followers and the channel's managers no longer see it, from now on."),
            _("It is kept with restriction #%(id)s, not deleted: it comes back if an appeal overturns the restriction "
              "or staff restore it.") % {"id": restriction.pk},
        ],
        "button": _("Take down"),
        "back": _back(restriction),
    }


def lift(*, restriction, effect, reason: str, announced: bool) -> dict:
    facts = []
    if announced:
        if effect.usable_again:
            facts.append(_("Usable again: %(features)s.") % {"features": _scopes(effect.usable_again)})
        for other in effect.still_blocking:
            until = (formats.date_format(timezone.localtime(other.ends_at), "SHORT_DATETIME_FORMAT")
                     if other.ends_at else _("no end"))
            facts.append(_("Still blocked by #%(id)s %(type)s: %(features)s (until %(until)s).") % {
                "id": other.pk, "type": other.get_type_display(), "features": _scopes(other.scope_codes), "until": until,
            })
        facts.append(_("The managers are told at once by email, Admin Center notice and KakaoTalk, with this reason: "
                       "“%(reason)s”.") % {"reason": reason})
    else:
        facts.append(_("The permanent restriction was never confirmed: lifting declines it, and nobody is told."))
    facts.append(_("Content taken down with it stays down; restore it separately if it should come back."))
    return {
        "title": _("Lift restriction #%(id)s on %(target)s?") % {"id": restriction.pk, "target": restriction.target_label},
        "lead": _("A lifted restriction cannot be put back: a new one would have to be applied."),
        "facts": facts,
        "button": _("Lift the restriction"),
        "back": _back(restriction),
    }


def confirm_permanent(*, restriction, impact) -> dict:
    return {
        "title": _("Confirm the permanent restriction on %(target)s?") % {"target": restriction.target_label},
        "lead": _("It takes effect at once and the managers are told. It blocks every feature for good; only an "
                  "appeal or a senior moderator lifting it ends it."),
        "facts": [_("Reason: %(reason)s.") % {"reason": restriction.get_reason_display()}],
        "impact": impact,
        "button": _("Confirm the permanent restriction"),
        "back": _back(restriction),
    }


def is_announced(restriction) -> bool:
    return not (restriction.type == RestrictionType.PERMANENT and restriction.confirmed_by_id is None)
