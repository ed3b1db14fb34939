"""Fixtures for the staff area's tests."""

import pytest

from staff import fraud
from staff.services.moderation import ensure_default_rules


@pytest.fixture
def fraud_rules(db):
    """The default fraud rules, stored and freshly compiled, as a deployed site has them."""
    ensure_default_rules()
    fraud.invalidate_rules()
