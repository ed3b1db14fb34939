"""Error pages speak the reader's language, carry the product's look and always offer a way back."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import override_settings
from django.urls import include, path

from config import errors


def _boom(request):
    raise RuntimeError("something broke")


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), path("bad/", _bad), path("", include("config.urls"))]
handler500 = "config.errors.server_error"


@pytest.fixture
def client_ko(client):
    client.cookies["django_language"] = "ko"
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [("ko", "페이지를 찾을 수 없어요", "내 채널로 가기"), ("vi", "Không tìm thấy trang", "Đến kênh của tôi"), ("en", "Page not found", "Go to My channels")],
)
def test_an_unknown_address_gets_a_translated_page_not_found_with_a_way_back(client, language, heading, home):
    client.cookies["django_language"] = language

    response = client.get("/no/such/page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert f'<a class="btn" href="/" data-testid="error-home-link">{home}</a>' in body
    assert "/static/css/app" in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/forbidden/", HTTPStatus.FORBIDDEN, "이 페이지를 열 수 없어요"),
        ("/bad/", HTTPStatus.BAD_REQUEST, "요청을 읽을 수 없어요"),
        ("/boom/", HTTPStatus.INTERNAL_SERVER_ERROR, "죄송해요. 서비스에 문제가 생겼어요"),
    ],
)
def test_refusals_and_failures_get_their_own_korean_page_with_a_way_back(client_ko, url, status, heading):
    response = client_ko.get(url)

    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert 'data-testid="error-home-link">내 채널로 가기</a>' in body


def test_the_500_page_renders_without_a_database_or_context_processors(rf):
    with mock.patch("notifications.selectors.count_unread_notices", side_effect=RuntimeError("database down")), mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=RuntimeError("database down")
    ):
        response = errors.server_error(rf.get("/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_its_template_fails(rf):
    with mock.patch("config.errors.loader.get_template", side_effect=RuntimeError("templates broken")):
        response = errors.server_error(rf.get("/"))

    body = response.content.decode()
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "<h1>Sorry, there is a problem with the service</h1>" in body and '<a href="/">' in body


def test_the_500_page_links_the_stylesheet_even_without_a_static_manifest(rf):
    with mock.patch("config.errors.static", side_effect=ValueError("Missing staticfiles manifest entry")):
        body = errors.server_error(rf.get("/")).content.decode()

    assert 'href="/static/css/app.css"' in body
