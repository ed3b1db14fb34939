"""``make screenshots``: a PNG of every page of the walk, per role, language and width.

Not a test (the name keeps pytest from collecting it in ``make test``): ``make screenshots``
runs it on the demo data in a throwaway test database and writes
``var/screenshots/<role>-<language>-<width>-<page>.png``, printing each file as it goes.
"""

import os
import time
from pathlib import Path

from .site_map import visits
from .walk import WIDTHS

LANGUAGES = ("ko", "vi", "en")
OUT = Path(os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots"))


def test_screenshots(walk):
    OUT.mkdir(parents=True, exist_ok=True)
    todo = visits(LANGUAGES, tuple(WIDTHS))
    started = time.monotonic()
    wrong = []
    print(f"\nWriting {len(todo)} screenshots to {OUT}/", flush=True)
    for number, (language, width, role, page) in enumerate(todo, 1):
        path = OUT / f"{role}-{language}-{width}-{page.label}.png"
        status = walk.screenshot(role, language, width, page, path)
        expected = page.expected_status(role)
        note = "" if status == expected else f"  (answered {status}, not {expected})"
        if note:
            wrong.append(path.name + note)
        print(f"[{number:>{len(str(len(todo)))}}/{len(todo)}] {path.relative_to(OUT)}{note}", flush=True)
    print(f"{len(todo)} screenshots in {time.monotonic() - started:.0f} s, in {OUT}/", flush=True)
    assert not wrong, "pages that did not answer as expected:\n" + "\n".join(wrong)
