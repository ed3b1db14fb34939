"""Redis down is a slower Admin Center, not a broken one: the cache reads as empty."""

import socket

import pytest
from django.core.cache import caches
from django.urls import reverse


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def unreachable_redis(settings):
    settings.CACHES = {"default": {
        "BACKEND": "config.cache.TolerantRedisCache", "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return caches["default"]


def test_an_unreachable_redis_reads_as_a_miss_and_drops_writes(unreachable_redis):
    cache = unreachable_redis
    cache.set("key", "value")
    assert cache.get("key", "missed") == "missed"
    assert cache.get_many(["key"]) == {}
    assert cache.has_key("key") is False
    assert cache.add("key", "value") is False
    cache.delete("key")
    with pytest.raises(Exception):  # a counter cannot be faked
        cache.incr("key")


def test_a_manager_signs_in_and_reads_the_notices_while_redis_is_down(unreachable_redis, client, master):
    client.force_login(master, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.wsgi_request.user == master
