"""No visible string is translated when a module is imported: a module-level ``gettext`` runs
once, in whatever language is active at import (usually the default), and stays that way for
every reader. Module- and class-level text is marked with ``gettext_lazy`` or ``gettext_noop``
and translated when it is shown."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("channels_admin", "core", "restrictions", "notifications", "staff", "config")
EAGER = {"gettext", "ngettext", "pgettext", "npgettext", "ugettext", "ungettext"}
TRANSLATION_MODULES = {"django.utils.translation"}


def _eager_names(tree: ast.Module) -> set[str]:
    """The names this module binds to an eager translation function (``gettext as _``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def _runs_at_import(tree: ast.Module):
    """Every node evaluated when the module is imported: module and class bodies, decorators
    and default values, but not the bodies of functions (they run when called)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "translation":
        return func.attr
    return ""


def eager_translations(source: str, filename: str = "<source>") -> list[str]:
    tree = ast.parse(source, filename)
    eager = _eager_names(tree)
    found = []
    for node in _runs_at_import(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            if name in eager or (name in EAGER and isinstance(node.func, ast.Attribute)):
                found.append(f"{filename}:{node.lineno} {ast.unparse(node)[:80]}")
    return found


def test_the_scan_finds_an_eager_call_and_lets_lazy_and_deferred_ones_pass():
    source = '''
from django.utils.translation import gettext as _, gettext_lazy
from django.utils import translation
TITLE = _("Eager")
LAZY = gettext_lazy("Lazy")
class Form:
    label = _("Eager in a class")
    other = translation.gettext("Eager by attribute")
def shown():
    return _("Translated when called")
def default(text=_("Eager default")):
    return text
'''
    found = eager_translations(source)
    assert sorted(int(line.split()[0].split(":")[1]) for line in found) == [4, 7, 8, 11]


def test_no_module_of_the_product_translates_text_at_import():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += eager_translations(path.read_text(), str(path.relative_to(ROOT)))
    assert found == [], "translate these when they are shown (gettext_lazy / gettext_noop):\n" + "\n".join(found)
