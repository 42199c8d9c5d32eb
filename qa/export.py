"""Facts as rows for a spreadsheet or a program: the records `qa facts`, the HTTP API and the MCP server give."""

from __future__ import annotations

import csv
import io
import json

from .facts import Fact

FACT_COLUMNS = ("area", "period", "measure", "category", "level", "value", "kind", "table", "row", "column",
                "doc", "lines", "flag")


def fact_record(fact: Fact) -> dict:
    """A fact as in the answer JSON, plus `kind` (snapshot | year) and `flag` (why its table does not add up)."""
    return {**fact.to_dict(), "kind": fact.kind, "flag": fact.flag}


def facts_json(facts: list[Fact]) -> str:
    """The facts as a JSON list of `fact_record`s (what `qa facts --format json` prints)."""
    return json.dumps([fact_record(fact) for fact in facts], indent=1)


def facts_csv(facts: list[Fact]) -> str:
    """The facts as CSV with a header row, FACT_COLUMNS in order; `lines` is written "START-END"."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FACT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({**fact_record(fact), "lines": f"{fact.lines[0]}-{fact.lines[1]}"} for fact in facts)
    return buffer.getvalue()
