from django.test import RequestFactory

from bench import views
from tests.factories import ChannelFactory


def test_reference_views_are_not_served_unless_turned_on(client):
    assert client.get("/bench/hello").status_code == 404
    assert client.get("/bench/list").status_code == 404


def test_the_reference_list_renders_fifty_rows_from_one_query(db, django_assert_num_queries):
    ChannelFactory.create_batch(60)
    views._max_channel_id = 1

    with django_assert_num_queries(1):
        response = views.reference_list(RequestFactory().get("/bench/list"))

    assert response.content.count(b"<tr class=") == 50
