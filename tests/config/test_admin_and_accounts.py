from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

APPS = ("channels_admin", "restrictions", "notifications")
MODELS = [model for app in APPS for model in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_working_admin_list(model, client):
    assert model in admin.site._registry, f"{model.__name__} is not in Django admin"
    superuser = AccountFactory(email="root@example.com", is_superuser=True, senior=True)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == HTTPStatus.OK


def test_password_reset_by_email(client, mailoutbox, password):
    # given an account that forgot its password
    AccountFactory(email="forgetful@example.com")
    # when it asks for a reset
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    # then an email with a one-time link arrives, and the link sets a new password
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["forgetful@example.com"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/"):].strip()
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == HTTPStatus.FOUND
    login = client.post(reverse("login"), {"username": "forgetful@example.com", "password": new})
    assert login.status_code == HTTPStatus.FOUND


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert mailoutbox == []
