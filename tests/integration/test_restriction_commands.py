"""The restriction commands as a script runs them: separate processes, the embedded mode
(notifications sent in-process, emails printed on the console), stdout kept for the JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_json_output_stays_parseable_and_bad_input_exits_non_zero(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "consolemail://",
        "KAKAOTALK_BACKEND": "console",
    }
    assert manage(env, "migrate", "--noinput").returncode == 0
    assert manage(env, "seed_demo").returncode == 0

    applied = manage(
        env, "apply_restriction", "--channel", "@demo-bakery", "--type", "temporary", "--scope", "chat,posts",
        "--reason", "operation_policy", "--days", "7", "--actor", "moderator@demo.example", "--message", "Stop.", "--json",
    )
    assert applied.returncode == 0, applied.stderr
    restriction = json.loads(applied.stdout)  # the emails went to stderr
    assert (restriction["target"], restriction["scope"], restriction["state"]) == ("@demo-bakery", ["chat", "posts"], "active")

    listed = json.loads(manage(env, "list_restrictions", "--channel", "@demo-bakery", "--active", "--json").stdout)
    assert [r["id"] for r in listed] == [restriction["id"]]

    bad = manage(env, "apply_restriction", "--channel", "@demo-bakery", "--type", "temporary", "--scope", "chat",
                 "--reason", "operation_policy", "--actor", "moderator@demo.example", "--message", "No end.")
    assert bad.returncode != 0 and "needs an end" in bad.stderr

    lifted = manage(env, "lift_restriction", str(restriction["id"]), "--actor", "moderator@demo.example", "--reason", "Done.", "--json")
    assert json.loads(lifted.stdout)["state"] == "lifted"
    again = manage(env, "lift_restriction", str(restriction["id"]), "--actor", "moderator@demo.example", "--reason", "Done.")
    assert again.returncode != 0 and "already ended" in again.stderr

    assert json.loads(manage(env, "verify_audit_chain", "--json").stdout)["ok"] is True
    assert json.loads(manage(env, "expire_restrictions", "--json").stdout) == {"changed": 0}
