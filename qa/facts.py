"""Table cells -> Facts: each figure with its report's area and period, and the tables' arithmetic checked."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from .documents import Document
from .sections import CHUNKS_VERSION
from .tables import Cell, parse_tables
from .vocabulary import MEASURES, NOT_IN_TABLES, counterpart, described


@dataclass(frozen=True)
class Fact:
    """One figure of one report, as cited in answers.

    `measure` is the national template's measure id, or None for a table outside the template, which is
    known only by its printed title, row and column. `series` is what the figure counts, in words (its
    measure's vocabulary, or the table title and row as printed): facts are found by ranking it against a
    question. `cell` says which cell of that series it is (category, level, column).
    """

    area: str | None
    period: str | None
    measure: str | None
    category: int | None
    level: int | None
    table: str
    row: str
    column: str | None
    value: float | int | None
    doc: str
    lines: tuple[int, int]  # 1-based, inclusive: from the row label to the value
    kind: str = "year"  # "snapshot" (on 31 March) or "year" (1 April to 31 March)
    flag: str | None = None  # why the table's figures do not add up, if they do not

    @property
    def series(self) -> str:
        return series_text(self.measure, self.table, self.row, self.kind)

    @property
    def cell(self) -> str:
        return cell_text(self.measure, self.row, self.column, self.category, self.level)

    def to_dict(self) -> dict:
        """The fact as it appears in the answer JSON."""
        return {
            "area": self.area,
            "period": self.period,
            "measure": self.measure,
            "category": self.category,
            "level": self.level,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "doc": self.doc,
            "lines": list(self.lines),
        }


def series_text(measure: str | None, table: str, row: str, kind: str) -> str:
    """What a figure counts, in words: its measure's label and vocabulary (and, for a measure that replaced
    or was replaced by another in 2015, that one's too: a report counts one or the other), the table and
    row as printed, and whether it is a 31 March snapshot or a count over the year."""
    when = "on 31 March snapshot" if kind == "snapshot" else "during the year"
    table, row = _as_label(table), _as_label(row)
    if measure is None:
        return f"{table} | {row} | {when}"
    words = [described(measure).label, described(measure).terms]
    if other := counterpart(measure):
        words += [MEASURES[other].label, MEASURES[other].terms]
    printed = table if described(measure).grid else f"{table} | {row}"
    return f"{' '.join(words)} | {printed} | {when}"


LABEL_WORDS = 20  # a printed title or row label is a line: what runs on before it is no part of it


def _as_label(printed: str) -> str:
    """A title or row label as a description holds it: its last sentence, at most LABEL_WORDS words. Text
    extracted without line breaks runs a page of prose into the title of the table after it ("... held in the
    year 2025-26 ... MAPPA-eligible individuals on 31 March 2025"): the prose describes no figure."""
    last = re.split(r"(?<=[.!?])\s+", printed.strip())[-1]
    return " ".join(last.split()[-LABEL_WORDS:])


# What each template measure counts, described as a report would print it. Every index holds these, so
# that a measure no report in a question's scope gives is still found, and refused: "cautioned" in a
# report that gives only "cautioned or convicted" must not get the combined figure.
CATALOGUE = {series_text(m.id, m.label, m.label, m.kind): m.id for m in [*MEASURES.values(), *NOT_IN_TABLES.values()]}
# Facts, their descriptions and passages are made at build time: an index built with other words, or by
# another version of the table parser (bump TABLES_VERSION when tables.py reads differently) or of the text
# layer (qa.sections.CHUNKS_VERSION), must be rebuilt.
TABLES_VERSION = 4  # 4: a printed label is its last sentence, at most LABEL_WORDS words
VOCABULARY_VERSION = hashlib.sha256("\n".join([*sorted(CATALOGUE), f"tables {TABLES_VERSION}",
                                               f"chunks {CHUNKS_VERSION}"]).encode()).hexdigest()[:16]


def cell_text(measure: str | None, row: str, column: str | None, category: int | None, level: int | None) -> str:
    """Which cell of its series a figure is: its category and level, or its printed row and column."""
    if measure is None or MEASURES[measure].grid:
        return f"{row} | {column or ''}".strip(" |")
    return ""


def check_totals(cells: list[Cell]) -> dict[str, str]:
    """Measure -> a one-line description of every total in its grid that is not the sum of its parts.

    Rows: Category 1 + 2 + 3 = Total. Columns: Level 1 + 2 + 3 = Total ("-" counts as nothing).
    Grids with only some of the parts (no Total column, say) are checked where they can be.
    """
    grids: dict[str, dict[tuple, float | None]] = defaultdict(dict)
    for cell in cells:
        if cell.measure and MEASURES[cell.measure].grid:
            grids[cell.measure][(cell.category, cell.level)] = cell.value
    problems: dict[str, str] = {}
    for measure, grid in grids.items():
        slips = []
        for axis in (0, 1):
            keys = {key[1 - axis] for key in grid}
            for fixed in keys:
                parts = [v for k, v in grid.items() if k[1 - axis] == fixed and k[axis] is not None]
                total_key = (None, fixed) if axis == 0 else (fixed, None)
                total = grid.get(total_key)
                if total is None or len(parts) < 2:
                    continue
                if abs(sum(v or 0 for v in parts) - total) > 1e-9:
                    name = "row" if axis == 0 else "column"
                    slips.append(f"{name} {_axis_name(axis, fixed)}: parts add to {sum(v or 0 for v in parts):g}, total printed {total:g}")
        if slips:
            problems[measure] = "; ".join(slips)
    return problems


def _axis_name(axis: int, fixed: int | None) -> str:
    if axis == 0:  # a row, named by its level
        return "Total" if fixed is None else f"Level {fixed}"
    return "Total" if fixed is None else f"Category {fixed}"


def _kind_of(table: str) -> str:
    return "snapshot" if re.search(r"\bon 31(?:st)? march|\bas at\b|\bsnapshot\b", table, re.IGNORECASE) else "year"


def _first_of_each(cells: list[Cell]) -> list[Cell]:
    """The template has one figure per measure, category and level in a report: a second one is text after
    the tables misread as a row (a wrapped "... published on 30 July 2025"), so the first is kept."""
    seen, kept = set(), []
    for cell in cells:
        key = (cell.measure, cell.category, cell.level)
        if cell.measure is None or key not in seen:
            seen.add(key)
            kept.append(cell)
    return kept


def extract_facts(doc: Document) -> list[Fact]:
    """Every figure of the report's statistics tables, flagged where its table does not add up."""
    cells = _first_of_each(parse_tables(doc.lines))
    problems = check_totals(cells)
    return [
        Fact(
            area=doc.area,
            period=doc.period,
            measure=cell.measure,
            category=cell.category,
            level=cell.level,
            table=cell.table,
            row=cell.row,
            column=cell.column,
            value=cell.value,
            doc=doc.path,
            lines=(cell.start, cell.end),
            kind=MEASURES[cell.measure].kind if cell.measure else _kind_of(cell.table),
            flag=problems.get(cell.measure),
        )
        for cell in cells
    ]
