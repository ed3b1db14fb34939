"""The fault drills of ``make drills`` at a small size: private Redis and PostgreSQL servers,
real workers and a fake KakaoTalk provider. Each drill must lose and double nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.drills import DRILLS

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the drills need PostgreSQL (set DATABASE_URL)"),
]


@pytest.mark.parametrize("name", list(DRILLS))
def test_drill_loses_and_doubles_nothing(name):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "drills.py"), "--size", "small", "--only", name, "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    reports = json.loads(proc.stdout.strip().splitlines()[-1])
    (report,) = reports
    assert report["ok"], f"expected: {report['expected']}\nhappened: {report['happened']}\n{json.dumps(report['figures'], indent=1)}"
    assert proc.returncode == 0
