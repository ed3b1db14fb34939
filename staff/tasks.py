"""Periodic work of the staff area: the kept counts its pages show (``core.summaries``)."""

from celery import shared_task
from django.conf import settings

from channels_admin.models import Account
from notifications.selectors import refresh_delivery_summary

from .selectors.home import refresh_home_charts


@shared_task(name="staff.refresh_summaries")
def refresh_summaries() -> dict:
    """Count the staff home's charts (in the time zone of every staff account) and the
    deliveries per state again, so that no page request has to."""
    zones = {settings.TIME_ZONE}
    zones.update(z for z in Account.objects.filter(is_staff=True).exclude(time_zone="").values_list("time_zone", flat=True).distinct())
    refresh_delivery_summary()
    return {"chart_zones": refresh_home_charts(sorted(zones)), "deliveries": 1}
