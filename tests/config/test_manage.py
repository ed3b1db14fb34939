import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_argument_that_is_not_utf8_text_is_refused_plainly():
    result = subprocess.run([sys.executable, "manage.py", "chat_access", "--account", b"owner\xff@example.com",
                             "--channel", "@bakery"], cwd=ROOT, capture_output=True, timeout=60)

    assert result.returncode == 1
    assert b"is not valid UTF-8 text" in result.stderr and b"owner\xef\xbf\xbd@example.com" in result.stderr
    assert b"Traceback" not in result.stderr
