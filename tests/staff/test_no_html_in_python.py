"""The staff pages' markup lives in templates: no module under staff/ marks a string safe or
builds HTML, so what people wrote is escaped by the template engine and nowhere else."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

STAFF = Path(settings.BASE_DIR) / "staff"
SAFE_MAKERS = {"mark_safe", "format_html", "format_html_join", "SafeString", "SafeData", "html_safe"}
# An opening or closing tag of an element a page draws, in a string that is not a docstring.
MARKUP = re.compile(r"</?(a|b|br|blockquote|button|div|form|input|label|li|mark|option|p|q|select|span|strong|svg|table|td|th|tr|ul)[\s>/]")


def _modules():
    return sorted(p for p in STAFF.rglob("*.py") if "migrations" not in p.parts)


def _docstrings(tree) -> set[int]:
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))]
    ids = set()
    for node in nodes:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            ids.add(id(body[0].value))
    return ids


def offences(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in SAFE_MAKERS:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in SAFE_MAKERS:
            found.append(f"line {node.lineno}: {node.attr}")
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in SAFE_MAKERS:
            found.append(f"import of {node.name}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and MARKUP.search(node.value)):
                found.append(f"line {node.lineno}: markup {node.value[:40]!r}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(STAFF)))
def test_no_staff_module_builds_html(path):
    assert offences(path.read_text()) == []


def test_the_check_sees_safe_strings_and_markup_but_not_docstrings_or_comparisons():
    assert offences("from django.utils.html import format_html\n") == ["import of format_html"]
    assert offences("from django.utils import safestring\nx = safestring.mark_safe(y)\n") == ["line 2: mark_safe"]
    assert offences('row = f"<td>{name}</td>"\n') != []
    assert offences('def f():\n    """Rendered with <mark>."""\n    return a < b > c\n') == []
