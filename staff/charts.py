"""Server-rendered SVG charts for the staff home: geometry only, the template draws it.

No script, no inline styles (the CSP forbids both): colours are presentation attributes and
every chart carries a title, a description and a table with the same numbers.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.dates import format_when
from restrictions.models import RestrictionType

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36

# Colour-blind-safe palette (Okabe-Ito), one per restriction type.
TYPE_COLOURS = {
    RestrictionType.WARNING: "#E69F00",
    RestrictionType.TEMPORARY: "#56B4E9",
    RestrictionType.ACTIVITY: "#009E73",
    RestrictionType.PERMANENT: "#D55E00",
    RestrictionType.VERIFICATION_PENDING: "#7A5195",
}


@dataclass
class Tick:
    x: float
    y: float
    label: str
    anchor: str = "middle"  # the first and last x labels lean inwards, so the edge never cuts them


def _lean_inwards(ticks: list[Tick]) -> list[Tick]:
    if len(ticks) > 1:
        ticks[0].anchor, ticks[-1].anchor = "start", "end"
    return ticks


@dataclass
class LineChart:
    points: str  # the polyline's "x,y x,y ..." (days without any manager are left out)
    single_point: tuple[float, float] | None  # drawn as a dot when only one day has data
    markers: list[tuple[float, float]]  # a dot on every day when there are few, so each can be read
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    latest_percent: float | None
    table: list[tuple[str, int, int, float]]  # (day, managers, verified, percent)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def _y_ticks_percent() -> list[Tick]:
    plot_h = HEIGHT - TOP - BOTTOM
    return [Tick(LEFT - 6, TOP + plot_h * (1 - p / 100), f"{number_format(p)}%", "end") for p in (0, 25, 50, 75, 100)]


# Up to this many days the share chart names days and marks each one; beyond, it names months.
FEW_DAYS = 62


def verified_share_chart(series: list[tuple[date, int, int]]) -> LineChart | None:
    if not series:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(series)
    points, table = [], []
    coords = []
    for i, (day, total, verified) in enumerate(series):
        if not total:
            continue  # no general-channel manager yet: no share to draw
        share = verified / total * 100
        x = LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = TOP + plot_h * (1 - share / 100)
        coords.append((x, y))
        points.append(f"{x:.1f},{y:.1f}")
        # The table lists every day of a short series, else the last day of each month and the
        # latest day: enough to read the trend.
        last_of_month = i == n - 1 or series[i + 1][0].month != day.month
        if n <= 14 or last_of_month:
            table.append((format_when(day, "shortdate"), total, verified, round(share, 1)))
    # The axis starts at the policy date and names days while the series is short (a few days
    # labelled "Dec 2026" three times say nothing), months once it is long.
    style = "day" if n <= FEW_DAYS else "month"
    x_ticks: list[Tick] = []
    steps = min(6, n)
    for k in range(steps):
        i = round(k * (n - 1) / max(steps - 1, 1))
        label = format_when(series[i][0], style)
        if x_ticks and x_ticks[-1].label == label:
            continue
        x = LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        x_ticks.append(Tick(x, HEIGHT - BOTTOM + 16, label))
    last_total, last_verified = series[-1][1], series[-1][2]
    latest = round(last_verified / last_total * 100, 1) if last_total else None
    single = coords[0] if len(coords) == 1 else None
    markers = coords if 1 < len(coords) <= 31 else []
    return LineChart(" ".join(points), single, markers, _lean_inwards(x_ticks), _y_ticks_percent(), latest, table)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class BarChart:
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[str, str]]  # (colour, type label)
    table_head: list[str]
    table: list[tuple[str, list[int], int]]  # (week, counts per type, total)
    total: int
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    summary: str = ""
    types: list[str] = field(default_factory=list)


def restrictions_chart(mondays: list[date], by_type: dict[str, list[int]]) -> BarChart:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    types = [t for t in RestrictionType.values if t in by_type]
    totals = [sum(by_type[t][i] for t in types) for i in range(len(mondays))]
    peak = max(totals + [1])
    # A round top for the axis: 1, 2, 5, 10, 20, 50...
    top = 1
    while top < peak:
        for factor in (2, 2.5, 2):
            top = int(top * factor)
            if top >= peak:
                break
    slot = plot_w / max(len(mondays), 1)
    bar_w = slot * 0.7
    bars, x_ticks = [], []
    labels = dict(RestrictionType.choices)
    for i, monday in enumerate(mondays):
        x = LEFT + slot * i + (slot - bar_w) / 2
        y_cursor = TOP + plot_h
        for code in types:
            n = by_type[code][i]
            if not n:
                continue
            h = plot_h * n / top
            y_cursor -= h
            bars.append(Bar(x, y_cursor, bar_w, h, TYPE_COLOURS[code], f"{labels[code]}: {n}"))
        if i % 2 == 0 or len(mondays) <= 6:
            x_ticks.append(Tick(x + bar_w / 2, HEIGHT - BOTTOM + 16, format_when(monday, "day")))
    y_ticks = [Tick(LEFT - 6, TOP + plot_h * (1 - v / top), number_format(v, force_grouping=True), "end") for v in sorted({0, top // 2, top})]
    table = [
        (format_when(monday, "shortdate"), [by_type[t][i] for t in types], totals[i]) for i, monday in enumerate(mondays)
    ]
    total = sum(totals)
    return BarChart(
        bars=bars,
        x_ticks=_lean_inwards(x_ticks),
        y_ticks=y_ticks,
        legend=[(TYPE_COLOURS[t], str(labels[t])) for t in types],
        table_head=[str(labels[t]) for t in types],
        table=table,
        total=total,
        summary=_("%(total)s restrictions in the last %(weeks)s weeks.") % {"total": number_format(total, force_grouping=True), "weeks": len(mondays)},
        types=types,
    )
