"""Charts of table figures: the points of an answer that compares areas or years, or of one measure across
the index, each point one cited fact. matplotlib is imported only when a chart is drawn, never on the way
to an answer.

    data = chart_for_answer(index.ask("which area had the most SHPOs in 2024/25"))
    data.points[0].doc, data.points[0].lines          # where the figure is printed
    render(data, "shpo.svg")                            # or .png
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer, describe
from .errors import BadInput
from .facts import Fact
from .vocabulary import MEASURES, canonical_area, normalise_period

FORMATS = (".png", ".svg")


@dataclass(frozen=True)
class Point:
    """One bar: a figure of one report, and where it is printed."""

    label: str  # what the axis shows: the area, the period, or both
    area: str | None
    period: str | None
    value: float | int
    doc: str
    lines: tuple[int, int]

    def to_dict(self) -> dict:
        return {"label": self.label, "area": self.area, "period": self.period, "value": self.value,
                "doc": self.doc, "lines": list(self.lines)}


@dataclass(frozen=True)
class ChartData:
    """What a chart shows: a title, what the bars are (`by`: "area", "period" or "report") and the points,
    in the order drawn."""

    title: str
    measure: str
    by: str
    points: tuple[Point, ...]

    def to_dict(self) -> dict:
        return {"title": self.title, "measure": self.measure, "by": self.by,
                "points": [p.to_dict() for p in self.points]}


def chart_for_answer(answer: Answer) -> ChartData | None:
    """The chart of an answer that compares areas or years (most/fewest, totals, changes, differences):
    one point per cited fact with a value, in the answer's order. None for an answer that compares nothing
    (a single figure, a passage, cautioned + convicted of one report, not found)."""
    if answer.status != "answered" or answer.kind != "aggregate":
        return None
    facts = sorted((f for f in answer.facts if f.value is not None), key=lambda f: (f.area or "", f.period or ""))
    if len({(f.area, f.period) for f in facts}) < 2 or len({f.measure for f in facts}) != 1:
        return None
    return _chart(facts, _title(facts[0], facts[0].category, facts[0].level))


def measure_chart(facts: list[Fact], measure: str, areas: Sequence[str] = (), periods: Sequence[str] = (),
                  category: int | None = None, level: int | None = None) -> ChartData:
    """The chart of one measure's cell (`category`/`level`, default the totals) across the reports whose
    `facts` are given (e.g. `index.facts(measure=...)`), restricted to `areas` and `periods` (any written
    form). One point per report with a figure. Raises BadInput for an unknown measure, area or period, or
    when no report has a figure to plot."""
    if measure not in MEASURES:
        raise BadInput(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    area_names = {_area(a) for a in areas}
    period_names = {_period(p) for p in periods}
    grid = MEASURES[measure].grid
    chosen: dict[tuple, Fact] = {}
    for fact in facts:
        if (fact.measure != measure or fact.value is None or (area_names and fact.area not in area_names)
                or (period_names and fact.period not in period_names)):
            continue
        if grid and (fact.category, fact.level) != (category, level):
            continue
        chosen.setdefault((fact.doc, fact.area, fact.period), fact)  # one point per report: its first cell
    if not chosen:
        where = " ".join(sorted(area_names | period_names)) or "the indexed reports"
        raise BadInput(f"no figure for {MEASURES[measure].label} in {where}: see `qa facts --measure {measure}`")
    points = sorted(chosen.values(), key=lambda f: (f.area or "", f.period or ""))
    return _chart(points, _title(points[0], category, level))


def _title(fact: Fact, category: int | None, level: int | None) -> str:
    what = describe(fact, category, level)
    return what[0].upper() + what[1:]


def _area(text: str) -> str:
    name = canonical_area(text)
    if name is None:
        raise BadInput(f"--area {text!r} is not a MAPPA area (e.g. Norfolk, London, Cheshire)")
    return name


def _period(text: str) -> str:
    name = normalise_period(text)
    if name is None:
        raise BadInput(f"--period {text!r} is not a reporting year (e.g. 2024/25, 2024-25, 2025)")
    return name


def _chart(facts: list[Fact], title: str) -> ChartData:
    areas = {f.area for f in facts}
    periods = {f.period for f in facts}
    if len(periods) == 1:
        by = "area"
    elif len(areas) == 1:
        by = "period"
        facts = sorted(facts, key=lambda f: f.period or "")
    else:
        by = "report"
    points = tuple(
        Point({"area": f.area, "period": f.period}.get(by) or f"{f.area} {f.period}", f.area, f.period,
              f.value, f.doc, f.lines)
        for f in facts
    )
    if by == "area":
        title += f", {next(iter(periods))}"
    elif by == "period":
        title += f", {next(iter(areas))}"
    return ChartData(title, facts[0].measure, by, points)


def check_chart_path(path: Path) -> None:
    """Raises BadInput unless `path` ends in .png or .svg and its folder exists, before any work is done."""
    if path.suffix.lower() not in FORMATS:
        raise BadInput(f"{path}: a chart is written as .png or .svg")
    if path.is_dir():
        raise BadInput(f"{path}: a directory; give a file name ending in .png or .svg")
    if not path.parent.is_dir():
        raise BadInput(f"{path}: the folder {path.parent}/ does not exist")


def render(data: ChartData, fmt: str = "svg") -> bytes:
    """The chart as SVG or PNG bytes: one bar per point, labelled with its value; in the SVG each bar is the
    element with id "point-N" (N from 0, in `data.points` order) and text stays text."""
    import matplotlib

    matplotlib.use("Agg")  # no display; chosen before pyplot is imported
    import matplotlib.pyplot as plt

    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise BadInput(f"chart format {fmt!r}: use png or svg")
    labels = [textwrap.fill(p.label, 18) for p in data.points]
    values = [p.value for p in data.points]
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "qa", "font.size": 10}):
        figure, axes = plt.subplots(figsize=(max(4.0, 1.6 * len(labels) + 1.5), 3.4), dpi=110)
        bars = axes.bar(range(len(values)), values, color="#3b5b92", width=0.6)
        for number, bar in enumerate(bars):
            bar.set_gid(f"point-{number}")
        axes.bar_label(bars, labels=[f"{v:,}" if isinstance(v, int) else f"{v:,.2f}" for v in values], padding=2)
        axes.set_xticks(range(len(labels)), labels, rotation=0 if len(labels) <= 5 else 30,
                        ha="center" if len(labels) <= 5 else "right")
        axes.set_title(textwrap.fill(data.title, 70), loc="left", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(y=0.15)
        figure.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(buffer, format=fmt, metadata=metadata)
        plt.close(figure)
    return buffer.getvalue()


def write_chart(data: ChartData, path: Path) -> None:
    """Write the chart to `path`, as PNG or SVG by its suffix (see `check_chart_path`)."""
    check_chart_path(path)
    path.write_bytes(render(data, path.suffix))
