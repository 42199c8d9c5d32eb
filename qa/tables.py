"""The statistics section of a report -> table cells, read by meaning rather than by layout.

Converted reports lay the same national tables out as tab-separated rows, Markdown pipe tables, one cell
per line, label/value rows whose label wraps, or a whole table on one line. All of them become the same
stream: label text and numbers, each with its line number. The parser walks that stream and reads the
labels against the national template (table titles, Category columns, Level rows, single-figure rows), so
the layout never matters, only the order in which labels and numbers come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import MEASURES


@dataclass(frozen=True)
class Cell:
    """One figure of a statistics table. `value` None is a "-" cell (not applicable), never 0."""

    measure: str
    category: int | None  # 1, 2, 3; None for the Total column or a single-figure row
    level: int | None  # 1, 2, 3; None for the Total row or a single-figure row
    value: float | int | None
    table: str  # the table's title as printed
    row: str  # the row label as printed
    column: str | None  # the column label as printed
    start: int  # 1-based line where the row label begins
    end: int  # 1-based line of the value


@dataclass(frozen=True)
class _Token:
    text: str
    line: int
    number: bool


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WHOLE_NUMBER = re.compile(rf"^(?:{_NUMBER}|-|–)$")
# A number standing alone in running label text, but not one that belongs to a label
# ("Level 1", "Category 2", "31 March 2025", "per 100,000", "12 months", "mid-2024").
_LOOSE_NUMBER = re.compile(
    rf"(?<![\w,./:()-])(?<!level )(?<!levels )(?<!category )(?<!categories )(?<!cat )(?<!march )"
    rf"(?<!per )(?<!and )(?<!to )(?<!or )(?<!aged )(?<!than )"
    rf"({_NUMBER}|-|–)(?![\w,./%:()-])(?! march)(?! months)(?! years)(?! and \d)"
    rf"(?! (?:january|february|april|may|june|july|august|september|october|november|december)\b)",
    re.IGNORECASE,
)

# Label events, longest and most specific first: the first alternative that matches at a position wins.
_EVENTS = [
    ("notification_rate", r"per 100,?000|total number of (?:individuals|registered|rsos?)\b"),
    ("title:eligible_l23", r"levels? 2 (?:and|&) 3 by category|\(yearly total\)"),
    ("title:eligible", r"eligible (?:individuals|offenders)(?: on 31 march(?: \d{4})?)?"),
    ("title:custody", r"(?:levels? 2 (?:and|&) 3 )?(?:individuals|offenders) returned to custody"),
    ("sub:custody_licence_breach", r"breach of licence"),
    ("sub:custody_shpo_breach", r"breach of (?:an? )?(?:shpo|sexual harm prevention order)"),
    ("sub:custody_sopo_breach", r"breach of (?:an? )?(?:sopo|sexual offences prevention order)"),
    ("title:orders", r"restrictive orders"),
    ("notification_breach", r"cautioned or convicted"),
    ("notification_breach_cautioned", r"cautioned for breach"),
    ("notification_breach_convicted", r"convicted for breach"),
    ("notification_revoked", r"revoked"),
    ("sro_breach", r"became subject|sexual risk orders?\b|\bsros?\b"),
    ("rsho_breach", r"risk of sexual harm orders?|\brsho"),
    ("shpo_travel", r"shpos? with foreign travel|foreign travel restriction"),
    ("shpo", r"sexual harm prevention orders?|\bshpos?\b"),
    ("notification_order", r"notification (?:orders?|notices?)|\bnos\b"),
    ("sopo", r"sexual offences prevention orders?|\bsopos?\b"),
    ("fto", r"foreign travel orders?|\bftos?\b"),
    ("col:1", r"category 1|registered sex(?:ual)? offenders|subject to (?:sex offender )?notification"),
    ("col:2", r"category 2|violent"),
    ("col:3", r"category 3|other dangerous"),
    ("row", r"\blevel (?:1|2|3|one|two|three)\b|\btotal\b"),
]
_EVENT_RE = re.compile("|".join(f"(?P<e{i}>{pattern})" for i, (_, pattern) in enumerate(_EVENTS)), re.IGNORECASE)
_LEVEL_WORDS = {"1": 1, "2": 2, "3": 3, "one": 1, "two": 2, "three": 3}

_STATS_START = re.compile(r"^\W*mappa statistics\W*$|eligible (individuals|offenders) on 31 march", re.IGNORECASE)
_STATS_END = re.compile(r"explanation commentary|^\W*mappa background\W*$", re.IGNORECASE)


def _is_prose(line: str) -> bool:
    """A sentence of running text: the statistics section has ended."""
    text = line.strip()
    return "\t" not in text and "|" not in text and len(text.split()) >= 12 and text.endswith(".")


def statistics_region(lines: list[str]) -> tuple[int, int] | None:
    """The 1-based, inclusive line range of the statistics section, or None when the report has none."""
    start = next((i for i, line in enumerate(lines) if _STATS_START.search(line)), None)
    if start is None:
        return None
    end = start
    for i in range(start + 1, len(lines)):
        if _is_prose(lines[i]) or _STATS_END.search(lines[i]):
            break
        end = i
    return start + 1, end + 1


def _cells(line: str) -> list[str]:
    """The cells of one line, whatever the layout: pipes, tabs, or the line itself."""
    line = re.sub(r"<br\s*/?>", " ", line, flags=re.IGNORECASE)
    parts = line.split("|") if "|" in line else line.split("\t")
    cells = []
    for part in parts:
        text = " ".join(re.sub(r"^\s*#+\s*|\*\*|__", "", part).split())
        if text and not re.fullmatch(r":?-{2,}:?", text):
            cells.append(text)
    return cells


# A year in running text after a word that dates it; only label text ever precedes a figure that way.
_A_YEAR = re.compile(r"\b(?:act|in|since|from|until|to|by|of|during|year|years|january|february|march|april|may|"
                     r"june|july|august|september|october|november|december)\s+(?:19|20)\d\d$", re.IGNORECASE)


def tokenize_region(lines: list[str], start: int, end: int) -> list[_Token]:
    """Label text and numbers of lines `start`..`end` (1-based), in reading order."""
    tokens: list[_Token] = []
    for number in range(start, end + 1):
        for cell in _cells(lines[number - 1]):
            if _WHOLE_NUMBER.match(cell):
                tokens.append(_Token(cell, number, True))
                continue
            position = 0
            for match in _LOOSE_NUMBER.finditer(cell):
                if _A_YEAR.search(cell[: match.end()]):
                    continue  # "the Criminal Justice Act 2003", "in 2005": a date in running text, not a figure
                if label := cell[position : match.start()].strip():
                    tokens.append(_Token(label, number, False))
                tokens.append(_Token(match.group(1), number, True))
                position = match.end()
            if label := cell[position:].strip():
                tokens.append(_Token(label, number, False))
    return tokens


def parse_number(text: str) -> float | int | None:
    """"1,444" -> 1444, "2.5" -> 2.5, "-" -> None (not applicable)."""
    if text in ("-", "–"):
        return None
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and "." not in text else value


@dataclass
class _Event:
    kind: str
    text: str  # what matched
    label: str  # the whole label cell it matched in, as printed
    line: int


_ORDERS = {"shpo", "shpo_travel", "notification_order", "sopo", "fto"}


class _Parser:
    """The walk over the token stream: what table we are in, its columns, and the row being read."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.table = ""  # the title of the table being read, as printed
        self.in_orders = False  # under "Restrictive orders for Category 1 offenders"
        self.grid: str | None = None  # the grid measure being read
        self.columns: list[tuple[int | None, str | None]] = []  # (category, label as printed)
        self.header = False  # reading a grid's column headers
        self.fresh_columns = False  # the columns were declared for this grid, not inherited
        self.current: _Event | None = None  # the row or single-figure label the next numbers belong to

    def label(self, events: list[_Event]) -> None:
        for event in events:
            kind = event.kind
            if kind.startswith("title:"):
                self.table, self.current = event.label, None
                self.in_orders = kind == "title:orders"
                self.grid = None if self.in_orders else "custody_licence_breach" if kind == "title:custody" else kind[6:]
                self.columns, self.header, self.fresh_columns = [], True, True
            elif kind.startswith("sub:"):
                # "Breach of SHPO" rows sit inside the returns-to-custody table and may share its columns.
                if self.grid is None or not self.grid.startswith("custody"):
                    self.table = event.label
                self.grid, self.current, self.header = kind[4:], None, True
                self.fresh_columns = not self.columns
            elif self.grid and self.header and (kind.startswith("col:") or event.text.lower() == "total"):
                if not self.fresh_columns:
                    self.columns, self.fresh_columns = [], True
                category = int(kind[4:]) if kind.startswith("col:") else None
                if all(c != category for c, _ in self.columns):
                    self.columns.append((category, event.label))
                    # The template's Total column comes last: a "total)" wrapped off a title ("... (yearly" /
                    # "total)") read first must not shift every figure one column.
                    self.columns.sort(key=lambda column: column[0] is None)
            elif kind == "row":
                if self.grid:
                    self.header, self.current = False, event
            elif not kind.startswith("col:"):  # a single-figure row
                self.grid, self.current = None, event
                self.in_orders = self.in_orders and kind in _ORDERS

    def numbers(self, tokens: list[_Token]) -> None:
        event, self.current = self.current, None
        if event is None:
            return
        if event.kind != "row":
            table = self.table if self.in_orders else event.label
            self.cells.append(
                Cell(event.kind, None, None, parse_number(tokens[0].text), table, event.label, None,
                     event.line, tokens[0].line)
            )
            return
        level = None if event.text.lower() == "total" else _LEVEL_WORDS[event.text.split()[-1].lower()]
        # A row with one figure under a multi-column header is a Total-only row ("Breach of SHPO").
        columns = [(None, None)] if len(tokens) == 1 and len(self.columns) != 1 else self.columns
        for (category, column), token in zip(columns, tokens, strict=False):
            self.cells.append(
                Cell(self.grid, category, level, parse_number(token.text), self.table, event.label, column,
                     event.line, token.line)
            )


def _events(labels: list[_Token]) -> list[_Event]:
    events = []
    for token in labels:
        for match in _EVENT_RE.finditer(token.text):
            index = int(match.lastgroup[1:])
            events.append(_Event(_EVENTS[index][0], match.group(0), token.text, token.line))
    return events


def parse_tables(lines: list[str]) -> list[Cell]:
    """Every figure of a report's tables, in reading order: the national template's, read by meaning,
    then any other grid of labels and numbers, read by its printed labels (measure None)."""
    template = parse_template(lines)
    taken = {line for cell in template for line in range(cell.start, cell.end + 1)}
    return template + parse_grids(lines, taken)


def parse_grids(lines: list[str], taken: set[int] = frozenset()) -> list[Cell]:
    """Tables outside the template: a header line of labels, then rows of a label and as many numbers,
    tab- or pipe-separated. The title is the text line above the header. Lines in `taken` are skipped."""
    cells: list[Cell] = []
    header: list[str] | None = None
    title = ""
    for number, line in enumerate(lines, start=1):
        parts = _cells(line) if ("\t" in line or "|" in line) and number not in taken else []
        numeric = [bool(_WHOLE_NUMBER.match(p)) for p in parts]
        if len(parts) >= 3 and not any(numeric):
            header = parts
        elif header and len(parts) >= 2 and not numeric[0] and all(numeric[1:]):
            columns = header[-(len(parts) - 1):] if len(header) >= len(parts) - 1 else [None] * (len(parts) - 1)
            for column, text in zip(columns, parts[1:], strict=True):
                cells.append(Cell(None, None, None, parse_number(text), title, parts[0], column, number, number))
        elif not parts:
            if line.strip() and header is None:
                title = line.strip()
            elif line.strip():
                header, title = None, line.strip()
    return cells


def parse_template(lines: list[str]) -> list[Cell]:
    """Every figure of the national statistics tables in a report's lines, in reading order."""
    region = statistics_region(lines)
    if region is None:
        return []
    parser = _Parser()
    tokens = tokenize_region(lines, *region)
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].number == tokens[i].number:
            j += 1
        if tokens[i].number:
            parser.numbers(tokens[i:j])
        else:
            parser.label(_events(tokens[i:j]))
        i = j
    return [cell for cell in parser.cells if cell.measure in MEASURES]
