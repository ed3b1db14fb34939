"""Production refuses to start on the embedded mode's public secrets or the sandbox identity
provider, and says when email would only be written to the console."""

from tests.config.test_settings import PRODUCTION_ENV, _manage

SECRETS = ["SECRET_KEY", "IDENTITY_HASH_KEY", "IDENTITY_WEBHOOK_SECRET", "CHAT_WEBHOOK_SECRET", "REPORT_WEBHOOK_SECRET"]


def test_production_refuses_every_development_secret_and_the_sandbox_naming_each():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in SECRETS} | {"SECRET_KEY": "", "IDENTITY_PROVIDER": "sandbox"}

    result = _manage("check", env_extra=env)

    assert result.returncode != 0
    refusal = result.stderr.strip().splitlines()[-1]
    assert "refuses to start on development defaults" in refusal
    for name in [*SECRETS, "IDENTITY_PROVIDER"]:
        assert name in refusal


def test_a_webhook_secret_left_at_its_development_value_is_refused():
    from django.conf import settings

    env = PRODUCTION_ENV | {"CHAT_WEBHOOK_SECRET": settings.DEVELOPMENT_SECRETS["CHAT_WEBHOOK_SECRET"]}

    result = _manage("check", env_extra=env)

    assert result.returncode != 0
    assert "CHAT_WEBHOOK_SECRET" in result.stderr


def test_a_staging_machine_may_keep_the_sandbox_when_it_says_so_but_never_the_secret_key():
    sandbox = PRODUCTION_ENV | {"IDENTITY_PROVIDER": "sandbox", "ALLOW_DEVELOPMENT_DEFAULTS": "IDENTITY_PROVIDER,SECRET_KEY"}

    allowed = _manage("check", env_extra=sandbox)
    no_key = _manage("check", env_extra=sandbox | {"SECRET_KEY": ""})

    assert allowed.returncode == 0, allowed.stderr
    assert no_key.returncode != 0 and "SECRET_KEY" in no_key.stderr


def test_production_warns_when_email_would_go_to_the_console():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)

    assert result.returncode != 0
    assert "core.W001" in result.stderr and "EMAIL_URL is not set" in result.stderr


def test_production_requires_staff_two_factor_sign_in_and_the_embedded_mode_does_not():
    show = "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)"

    production = _manage("shell", "-c", show, env_extra=PRODUCTION_ENV)
    embedded = _manage("shell", "-c", show, env_extra={"DJANGO_ENV": ""})

    assert production.stdout.strip().splitlines()[-1] == "True", production.stderr
    assert embedded.stdout.strip().splitlines()[-1] == "False", embedded.stderr


def test_production_sends_webhooks_only_over_https_to_public_hosts_and_the_embedded_mode_anywhere():
    show = "from django.conf import settings; print(settings.WEBHOOK_ALLOW_HTTP, settings.WEBHOOK_ALLOW_PRIVATE_HOSTS)"

    production = _manage("shell", "-c", show, env_extra=PRODUCTION_ENV)
    embedded = _manage("shell", "-c", show, env_extra={"DJANGO_ENV": ""})

    assert production.stdout.strip().splitlines()[-1] == "False False", production.stderr
    assert embedded.stdout.strip().splitlines()[-1] == "True True", embedded.stderr
