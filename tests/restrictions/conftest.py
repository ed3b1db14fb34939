"""Fixtures for the sanctions' tests."""

import pytest

from restrictions import services


@pytest.fixture
def restriction(moderator, channel):
    """A 7-day posts restriction on ``channel``, applied through the service."""
    return services.apply_restriction(
        actor=moderator, type="temporary", scope=["posts"], reason="operation_policy", channel=channel, days=7, manager_message="Ads."
    )
