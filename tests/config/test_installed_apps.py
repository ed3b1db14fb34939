"""The benchmark's app is installed only where the benchmark runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def installed_apps(**env) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("BENCH_VIEWS", "DJANGO_SETTINGS_MODULE")}
    environ.update(env)
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.INSTALLED_APPS))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_leave_the_bench_app_out():
    apps = installed_apps(DJANGO_SETTINGS_MODULE="config.settings")
    assert "bench" not in apps
    assert apps[-7:] == ["core", "channels_admin", "restrictions", "notifications", "staff", "ninja", "platform_api"]


def test_the_benchmark_installs_it():
    assert "bench" in installed_apps(DJANGO_SETTINGS_MODULE="config.settings", BENCH_VIEWS="true")
