"""A module that passes 500 lines becomes a package with the same public names (benchmark,
tests and migrations aside), so no file of the product is too long to read through."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "channels_admin", "restrictions", "notifications", "staff", "config")
LIMIT = 500


def test_no_module_of_the_product_passes_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}
