from celery import shared_task
from django.conf import settings


@shared_task(name="bench.noop")
def noop(counter_key: str) -> None:
    """The cheapest useful task: count itself in Redis. Fan-out throughput is compared with it."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).incr(counter_key)
