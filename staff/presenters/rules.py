"""What the fraud rules page shows of each rule."""

from dataclasses import dataclass

from django.urls import reverse

from ..models import FraudCategory
from .common import labels_of


@dataclass(slots=True)
class RuleRow:
    name: str
    edit_url: str  # "" for readers who may not change rules
    category_label: str
    language: str
    weight: int
    pattern: str
    is_active: bool


def rule_rows(rules, *, can_edit: bool) -> list[RuleRow]:
    categories = labels_of(FraudCategory)
    return [
        RuleRow(
            name=rule.name,
            edit_url=reverse("staff:fraud_rule_edit", args=[rule.pk]) if can_edit else "",
            category_label=categories.get(rule.category, rule.category),
            language=rule.language,
            weight=rule.weight,
            pattern=rule.pattern,
            is_active=rule.is_active,
        )
        for rule in rules
    ]
