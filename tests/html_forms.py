"""Submit a form of a rendered page the way a browser does: the control a person presses, the
form it belongs to (its ``form`` attribute, else the form around it), that form's fields
wherever they are in the page, and the button's own ``formaction``, name and value."""

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[int, dict] = {}  # index -> {"attrs": …}
        self.controls: list[tuple[dict, int | None]] = []  # (attrs, index of the form around it)
        self._open: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            index = len(self.forms)
            self.forms[index] = attrs
            self._open.append(index)
        elif tag in ("input", "button", "textarea", "select"):
            self.controls.append(({**attrs, "_tag": tag}, self._open[-1] if self._open else None))

    def handle_endtag(self, tag):
        if tag == "form" and self._open:
            self._open.pop()


def _form_of(page: _Page, attrs: dict, around: int | None) -> int | None:
    if attrs.get("form"):
        matches = [i for i, form in page.forms.items() if form.get("id") == attrs["form"]]
        assert len(matches) == 1, f"no single form with id {attrs['form']!r}"
        return matches[0]
    return around


def submit(client, html: str, *, page_url: str, fields: dict | None = None, **button) -> object:
    """POST the form the button matching ``button`` (its attributes, e.g. ``name="delivery",
    value="3"``) submits, with ``fields`` typed into its text inputs by name."""
    page = _Page()
    page.feed(html)
    pressed = [(a, around) for a, around in page.controls
               if a["_tag"] in ("button", "input") and a.get("type", "submit") == "submit"
               and all(a.get(k) == str(v) for k, v in button.items())]
    assert len(pressed) == 1, f"{len(pressed)} buttons match {button}"
    attrs, around = pressed[0]
    form = _form_of(page, attrs, around)
    assert form is not None, "the button belongs to no form"
    data: dict[str, list[str]] = {}
    for control, control_around in page.controls:
        if control["_tag"] == "button" or control.get("type") in ("submit", "checkbox", "radio") or "name" not in control:
            continue
        if _form_of(page, control, control_around) == form:
            data.setdefault(control["name"], []).append(control.get("value", ""))
    for name, value in (fields or {}).items():
        assert name in data, f"the form has no field {name!r}"
        data[name] = [value]
    if attrs.get("name"):
        data.setdefault(attrs["name"], []).append(attrs.get("value", ""))
    action = attrs.get("formaction") or page.forms[form].get("action") or page_url
    return client.post(action, data)
