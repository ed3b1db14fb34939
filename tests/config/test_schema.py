"""The database the migrations build holds every index and constraint the models declare: a
migration that drops one by accident (Django's AlterField drops every index it finds on a
column) fails here, not in production."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

OWN_APPS = ("channels_admin", "restrictions", "notifications")


def test_every_declared_index_and_constraint_exists_in_the_database():
    missing = []
    with connection.cursor() as cursor:
        for app in OWN_APPS:
            for model in apps.get_app_config(app).get_models():
                present = connection.introspection.get_constraints(cursor, model._meta.db_table)
                for declared in [*model._meta.indexes, *model._meta.constraints]:
                    if declared.name not in present:
                        missing.append(f"{model._meta.label}: {declared.name}")
    assert missing == []
