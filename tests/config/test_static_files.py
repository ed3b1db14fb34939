from django.core.management import call_command


def test_collected_static_files_leave_out_the_redoc_bundle_that_loads_from_a_cdn(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    call_command("collectstatic", "--noinput", verbosity=0)

    collected = {p.name for p in tmp_path.rglob("*")}
    assert "swagger-ui-bundle.js" in collected  # the API docs page's own
    assert not any(name.startswith("redoc") for name in collected)
