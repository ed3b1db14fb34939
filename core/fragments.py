"""Rows that render once: a list page draws each row from a template fragment kept in the
cache under a key made of everything the row shows.

``render_rows(template, items, present=…)`` reads every row's fragment with one ``get_many``,
asks ``present`` for the rows it did not find (one call, the missed items only), renders each
of those through the row template, keeps them with one ``set_many`` and hands back the rows'
HTML in order, as the template engine rendered it.

The key is the content, not a version someone has to move: the row template, the reader's
language and time zone, the facts about the reader the page names (``vary``: a role that adds
buttons), what every row is rendered with (``shared``), and the row's own state — every value
loaded on the item, its annotations and attached attributes, and the same of each related
object read with it (``select_related``) or prefetched. A changed row has a new key, so no
service has to say that it changed something a list shows, and none can forget to: the next
request draws the row afresh. What a row shows beyond its item (the reader holds it, how long
ago it was opened) goes in ``vary_row``. A fragment never holds what belongs to one request or
one person's session: a row template (in a ``rows/`` folder) has no ``request`` and no CSRF
token (a row's buttons submit a form drawn outside the rows, through the ``form`` attribute);
``tests/core/test_fragments.py`` reads every row template, and what it includes, for them.

The fragments live in the ``fragments`` cache, memory of the process by default (a fragment
cannot go stale, so a cache that no other process can tell about a change is safe, and needs no
network): a deploy starts new processes and with them new fragments. Under ``DEBUG`` it keeps
nothing, so an edited template shows at once."""

import hashlib
import pickle
from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.cache import caches
from django.db.models import Model
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

CACHE_ALIAS = "fragments"
FRAGMENT_SECONDS = 24 * 3600
# Moves on when what the key is made of changes shape.
_KEY_FORMAT = 1

# Row templates live in a ``rows/`` folder, where the check finds them all.
ROW_FOLDER = "/rows/"


def render_rows(
    template_name: str,
    items: Sequence,
    *,
    present: Callable[[list], Sequence],
    shared: dict | None = None,
    vary: tuple = (),
    vary_row: Callable[[object], object] | None = None,
    name: str = "row",
) -> SafeString:
    """The rows of ``items``, each drawn by ``template_name`` with ``{name: row, **shared}``,
    where ``present(items)`` turns items into rows (labels, URLs, dates: a presenter) in the
    same order; it is called once, with the items whose fragment was not kept. ``shared`` and
    ``vary`` must hold every fact about the reader or the page that ``present`` or the template
    reads besides the items; ``vary_row(item)`` what one row shows besides its item."""
    if ROW_FOLDER not in template_name:
        raise ValueError(f"{template_name}: row templates live in a rows/ folder, where their check reads them")
    if not items:
        return SafeString("")
    shared = shared or {}
    page = hashlib.blake2b(
        pickle.dumps((_KEY_FORMAT, template_name, translation.get_language(), timezone.get_current_timezone_name(),
                      shared, vary), pickle.HIGHEST_PROTOCOL),
        digest_size=16,
    )
    keys = [_row_key(page, item, vary_row) for item in items]
    cache = caches[CACHE_ALIAS]
    found = cache.get_many(keys)
    missed = [i for i, key in enumerate(keys) if key not in found]
    if missed:
        template = get_template(template_name)
        rows = present([items[i] for i in missed])
        drawn = {keys[i]: template.render({name: row, **shared}) for i, row in zip(missed, rows, strict=True)}
        cache.set_many(drawn, FRAGMENT_SECONDS)
        found.update(drawn)
    # Each piece is the template engine's output for one row, escaped by it: joined, not built.
    return mark_safe("".join([found[key] for key in keys]))


def _row_key(page, item, vary_row) -> str:
    digest = page.copy()
    digest.update(pickle.dumps((state_of(item), vary_row(item) if vary_row else None), pickle.HIGHEST_PROTOCOL))
    return "row:" + digest.hexdigest()


def state_of(item, _path: frozenset = frozenset()) -> object:
    """What a row can show of ``item``: for a model instance every value loaded on it (fields,
    annotations, attributes a selector attached) and the state of each related object read with
    it; for a dataclass or a list, the state of each of its values; anything else as it is (it
    must pickle). An object met again on its own path (a one-to-one read from both ends) is
    named, not followed."""
    if not isinstance(item, Model):
        if hasattr(item, "__dataclass_fields__"):  # a selector's row: its fields, each as here
            return (item.__class__.__name__, [state_of(getattr(item, name), _path) for name in item.__dataclass_fields__])
        if isinstance(item, list | tuple):
            return [state_of(value, _path) for value in item]
        return item
    if id(item) in _path:
        return (item.__class__.__name__, item.pk)
    path = _path | {id(item)}
    values = item.__dict__.copy()
    model_state = values.pop("_state")
    prefetched = values.pop("_prefetched_objects_cache", None)
    related = model_state.fields_cache
    if related:
        values["_related"] = {field: state_of(obj, path) if obj is not None else None for field, obj in related.items()}
    if prefetched:
        values["_prefetched"] = {field: [state_of(obj, path) for obj in objs] for field, objs in prefetched.items()}
    return (item.__class__.__name__, values)


def age_step(value: datetime | None, now: datetime) -> tuple[str, int] | None:
    """How long ago ``value`` was, in the unit a relative date ("3 minutes ago", "2 hours ago",
    "4 days, 3 hours ago") counts in at that age: a row that shows one is kept per step, so it
    changes on the step it would have changed on when drawn each time."""
    if value is None:
        return None
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return ("s", seconds)
    if seconds < 3600:
        return ("m", seconds // 60)
    return ("h", seconds // 3600)
