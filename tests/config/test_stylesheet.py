"""The stylesheet's promises that no template test sees: readable chat times, Korean that breaks
between words, nothing fetched from another site."""

import re
from pathlib import Path

from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()


def _variables() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _rule(selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no rule for {selector}"
    return match.group(1)


def _colour(declarations: str, prop: str) -> str:
    value = re.search(rf"(?<![-\w]){prop}:\s*([^;]+);", declarations).group(1).strip()
    variable = re.fullmatch(r"var\(--([\w-]+)\)", value)
    return _variables()[variable.group(1)] if variable else value


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_time_under_a_chat_message_reads_at_4_5_to_1_on_both_bubbles():
    time = _colour(_rule(".chat-message time"), "color")
    incoming = _colour(_rule(".chat-message"), "background")
    outgoing = _colour(_rule(".chat-out"), "background")

    assert _contrast(time, incoming) >= 4.5
    assert _contrast(time, outgoing) >= 4.5


def test_korean_breaks_between_words_and_pills_and_buttons_stay_on_one_line():
    assert "word-break: keep-all" in _rule(":lang(ko)")
    assert "white-space: nowrap" in _rule(".tag, .status")
    assert "white-space: nowrap" in _rule(".btn, .btn-small")


def test_the_stylesheet_fetches_nothing_from_another_site():
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", CSS)
    assert "@import" not in CSS


def test_on_a_phone_a_chart_keeps_a_readable_size_and_scrolls_in_its_own_frame():
    # The charts are drawn 640 units wide with 11-unit labels: squeezed into a 390 px screen
    # their labels fell to about 6 px. At 35rem (560 px) they stay near 10 px.
    phone = CSS.split("@media (max-width: 760px) {", 1)[1]
    assert "min-width: 35rem" in _rule_in(phone, ".chart-scroll .chart")
    assert "overflow-x: auto" in _rule(".chart-scroll")


def _rule_in(css: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)
