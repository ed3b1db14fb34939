import pytest

from platform_api import services
from platform_api.api.auth import forget_cached_keys
from platform_api.models import ApiScope


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    forget_cached_keys()
    yield
    forget_cached_keys()


@pytest.fixture
def issue_key(db, senior):
    """``issue_key(*scopes)``: a new client with those scopes (all by default); its key's text."""

    def make(*scopes, name=None):
        scopes = scopes or tuple(ApiScope.values)
        make.count += 1
        return services.create_api_client(name=name or f"client {make.count}", scopes=list(scopes), actor=senior).plaintext

    make.count = 0
    return make


@pytest.fixture
def api_get(client):
    def get(path, key=None, **params):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return client.get(f"/api/v1{path}", params, headers=headers)

    return get


@pytest.fixture
def api_post(client):
    def post(path, body, key=None, **headers):
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    return post
