"""The MCP server: the Python API as tools an assistant can call, with the same JSON as the HTTP API.

    run_mcp(Path("index"))                # speaks MCP on stdin/stdout

The tools are `async def` so that they run on the server's event loop, in the thread that opened the
index (the SDK runs plain functions on worker threads, where the index's SQLite connection cannot go).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

import qa
from qa.export import fact_record
from qa.vocabulary import MEASURES

INSTRUCTIONS = """Answers questions about MAPPA annual reports (Multi-Agency Public Protection Arrangements,
one report per area of England and Wales per year) from the reports indexed here, citing the report
lines. Use `list_reports` to see which areas and years are indexed; `ask` for an answer (a figure from
the statistics tables, or the best passage); `search_passages` for more source text; `lookup_facts` for
every table figure of an area, year or measure. Quote figures with their citation (doc and lines)."""

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                            open_world_hint=False)

Question = Annotated[str, Field(description="The question in plain English, e.g. 'how many SHPOs in Norfolk 2024/25'.",
                                max_length=1000)]
Area = Annotated[str | None, Field(description="Only this MAPPA area, e.g. 'Norfolk', 'London' (any alias).")]
Period = Annotated[str | None, Field(description="Only this reporting year, e.g. '2024/25', '2024-25' or '2025'.")]
TopK = Annotated[int, Field(ge=1, le=50, description="How many passages to cite (1-50).")]
MEASURE_IDS = f"A measure id: {', '.join(MEASURES)}."
# What a list tool returns: one text block holding the JSON list, as the HTTP API sends it, and the
# same list as structured content under "result" (structured content is an object).
Records = Annotated[CallToolResult, list[dict[str, Any]]]


def _records(records: list[dict]) -> CallToolResult:
    text = json.dumps(records, ensure_ascii=False, indent=2)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content={"result": records})


def create_mcp(index: qa.Index) -> MCPServer:
    """An MCP server whose tools answer from `index` (open it in the thread that will run the server)."""
    server = MCPServer(name="qa", title="MAPPA annual reports", version=qa.__version__, instructions=INSTRUCTIONS,
                       log_level="WARNING")

    def checked(call):
        try:
            return call()
        except qa.QAError as error:
            raise ToolError(str(error)) from None

    @server.tool(annotations=READ_ONLY)
    async def ask(question: Question, area: Area = None, period: Period = None, top_k: TopK = 5) -> dict[str, Any]:
        """Answer a question about the MAPPA annual reports, citing the source lines.

        Returns the answer JSON: `status` ("answered" or "not_found"), `kind` ("fact", "aggregate",
        "passage" or null), `answer` (one sentence), `value` (the number for figures, else null), `area`,
        `period`, `facts` (table cells used, with doc and line span), `citations` (doc, title, area,
        period, section, lines, text, score; best first) and `note` (caveats such as SOPOs counted instead
        of SHPOs, or a table that does not add up). Figures come only from the indexed reports: a question
        about an area or year that is not indexed gets status "not_found" and a list of what is.
        Examples: "how many SHPOs in Norfolk 2024/25", "which area had the most SHPOs in 2024/25",
        "who chairs the Norfolk MAPPA Strategic Management Board".
        """
        return checked(lambda: index.ask(question, top_k=top_k, area=area, period=period).to_dict())

    @server.tool(annotations=READ_ONLY)
    async def search_passages(question: Question, area: Area = None, period: Period = None,
                              top_k: TopK = 5) -> Records:
        """Find the report passages most relevant to a question (hybrid keyword + semantic search), best first.

        Each passage: doc, title, area, period, section (heading path), lines (1-based, inclusive), text
        (exactly those lines of the report) and score. An area or year named in the question, or given
        as `area`/`period`, limits the search to those reports. Use it to read around an answer.
        """
        return _records(checked(lambda: [c.to_dict() for c in index.search(question, top_k=top_k, area=area,
                                                                            period=period)]))

    @server.tool(annotations=READ_ONLY)
    async def lookup_facts(area: Area = None, period: Period = None,
                           measure: Annotated[str | None, Field(description=MEASURE_IDS)] = None) -> Records:
        """Every figure from the reports' statistics tables, filtered by area, period and measure.

        Each fact: area, period, measure, category (1-3, null for the Total column), level (1-3, null for
        the Total row), value (null for a "-" cell, which means not applicable, not zero), kind ("snapshot"
        on 31 March or "year"), table/row/column labels as printed, doc, lines (the row's span) and flag
        (why the table does not add up, if it does not).
        """
        return _records(checked(lambda: [fact_record(f) for f in index.facts(area=area, period=period,
                                                                              measure=measure)]))

    @server.tool(annotations=READ_ONLY)
    async def list_reports() -> Records:
        """The indexed reports: doc, area, period, title, lines, sections, chunks, facts, flags (tables
        that do not add up) and warnings. Call it first to know which areas and years can be asked about."""
        return _records([report.to_dict() for report in index.list_reports()])

    return server


def run_mcp(index_dir: Path | None = None) -> None:
    """Open and load the index once, then serve MCP over stdin/stdout until the client disconnects."""
    create_mcp(qa.open_index(index_dir).load()).run("stdio")
