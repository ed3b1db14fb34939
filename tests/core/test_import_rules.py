"""The import rules in .importlinter hold, and each domain app's list of modules that the other
domain apps, the staff back office and the platform API may not import covers every module of that app outside
its public face."""

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("channels_admin", "restrictions", "notifications")
PUBLIC_FACE = {"models", "selectors", "services"}


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _lines(value: str) -> set[str]:
    return {line.strip() for line in value.splitlines() if line.strip()}


def test_the_import_rules_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_module_outside_the_public_face_is_closed_to_the_other_apps(app):
    contract = _contracts()[f"importlinter:contract:{app}-public-face"]
    modules = {
        path.stem
        for path in (ROOT / app).iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert modules >= PUBLIC_FACE
    assert _lines(contract["forbidden_modules"]) == {f"{app}.{name}" for name in modules - PUBLIC_FACE}
    assert _lines(contract["source_modules"]) == (set(DOMAIN_APPS) - {app}) | {"staff", "platform_api"}
