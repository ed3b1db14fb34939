"""What the fraud rules page shows of each rule."""

from dataclasses import dataclass

from core.fragments import render_rows

from ..fraud_defaults import rule_label
from ..models import FraudCategory
from .common import labels_of, url_for_each


@dataclass(slots=True)
class RuleRow:
    name: str  # a shipped rule's label in the reader's language, or the name a moderator gave
    edit_url: str  # "" for readers who may not change rules
    category_label: str
    language: str
    weight: int
    pattern: str
    is_active: bool


def rule_list_html(rules, *, can_edit: bool) -> str:
    """The rows of the fraud rules page, each drawn once for what it shows (a link to edit it
    for those who may)."""
    return render_rows("staff/rows/fraud_rule.html", rules, present=lambda missed: rule_rows(missed, can_edit=can_edit),
                       vary=(can_edit,), name="rule")


def rule_rows(rules, *, can_edit: bool) -> list[RuleRow]:
    categories = labels_of(FraudCategory)
    edit_url = url_for_each("staff:fraud_rule_edit")
    return [
        RuleRow(
            name=rule_label(rule.name),
            edit_url=edit_url(rule.pk) if can_edit else "",
            category_label=categories.get(rule.category, rule.category),
            language=rule.language,
            weight=rule.weight,
            pattern=rule.pattern,
            is_active=rule.is_active,
        )
        for rule in rules
    ]
