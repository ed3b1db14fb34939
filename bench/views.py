"""The two reference views every page is compared with. Mounted only when ``BENCH_VIEWS`` is
true (the benchmark turns it on), so production never serves them."""

import random

from django.http import HttpResponse
from django.template import loader

from channels_admin.models import Channel

_max_channel_id: int | None = None


def hello(request):
    """The floor: the whole middleware stack and a few bytes."""
    return HttpResponse(b"hello", content_type="text/plain")


def reference_list(request):
    """A typical list page: 50 rows from one indexed query, rendered through a template."""
    global _max_channel_id
    if _max_channel_id is None:
        _max_channel_id = Channel.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    start = random.randint(1, max(1, _max_channel_id - 50))
    channels = list(Channel.objects.filter(pk__gte=start).order_by("pk")[:50])
    template = loader.get_template("bench/reference_list.html")
    return HttpResponse(template.render({"channels": channels, "start": start}))
