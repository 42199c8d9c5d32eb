"""The MCP tools through an in-process MCP client on the real seed index: the same JSON as the Python API."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest
from mcp import Client, StdioServerParameters

from qa.export import fact_record
from qa.mcp_server import create_mcp

SHPO = "how many SHPOs in Norfolk 2024/25"


def call(index, tool: str, arguments: dict):
    """Call one tool the way an assistant would, on this thread (where the index's SQLite connection lives)."""

    async def run():
        async with Client(create_mcp(index)) as client:
            return await client.call_tool(tool, arguments)

    return asyncio.run(run())


def test_tools_are_listed_with_descriptions(index):
    async def run():
        async with Client(create_mcp(index)) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in asyncio.run(run())}
    assert set(tools) == {"ask", "search_passages", "lookup_facts", "list_reports"}
    assert all(len(tool.description) > 80 for tool in tools.values())
    assert set(tools["ask"].input_schema["properties"]) == {"question", "area", "period", "top_k"}
    assert tools["ask"].input_schema["required"] == ["question"]


def test_ask_gives_the_answer_json(index):
    result = call(index, "ask", {"question": SHPO})
    assert not result.is_error
    answer = result.structured_content
    assert answer == index.ask(SHPO).to_dict()
    assert (answer["value"], answer["area"], answer["period"]) == (118, "Norfolk", "2024/25")
    assert answer["citations"][0]["lines"] == [109, 116]
    assert json.loads(result.content[0].text) == answer


def test_ask_with_scope(index):
    answer = call(index, "ask", {"question": "how many SHPOs", "area": "Norfolk", "period": "2024-25"}).structured_content
    assert answer["value"] == 118


def test_search_passages(index):
    question = "who chairs the Norfolk strategic management board"
    result = call(index, "search_passages", {"question": question, "top_k": 3})
    passages = result.structured_content["result"]
    assert passages == [c.to_dict() for c in index.search(question, top_k=3)]
    assert len(passages) == 3 and all(p["area"] == "Norfolk" for p in passages)
    assert len(result.content) == 1 and json.loads(result.content[0].text) == passages


def test_lookup_facts(index):
    facts = call(index, "lookup_facts", {"area": "Norfolk", "measure": "shpo"}).structured_content["result"]
    assert facts == [fact_record(f) for f in index.facts(area="Norfolk", measure="shpo")]
    assert [(f["value"], f["lines"], f["period"]) for f in facts] == [(118, [111, 111], "2024/25")]


def test_list_reports(index):
    reports = call(index, "list_reports", {}).structured_content["result"]
    assert len(reports) == 5 and reports == [r.to_dict() for r in index.list_reports()]


@pytest.mark.parametrize("tool, arguments, message", [
    ("ask", {"question": ""}, "empty question"),
    ("ask", {"question": "how many SHPOs", "area": "Atlantis"}, "not a MAPPA area"),
    ("search_passages", {"question": "x", "period": "someday"}, "not a reporting year"),
    ("lookup_facts", {"measure": "nope"}, "unknown measure 'nope'"),
    ("ask", {"question": SHPO, "top_k": 0}, "top_k"),
])
def test_bad_input_is_a_tool_error(index, tool, arguments, message):
    result = call(index, tool, arguments)
    assert result.is_error
    assert message in result.content[0].text


def test_run_mcp_speaks_mcp_on_stdio(index_dir):
    """`run_mcp` in its own process, as an assistant starts it: nothing but MCP may reach its stdout."""
    code = "import sys; from qa.mcp_server import run_mcp; run_mcp(sys.argv[1])"
    params = StdioServerParameters(command=sys.executable, args=["-c", code, str(index_dir)])

    async def run():
        async with Client(params, read_timeout_seconds=120) as client:
            return await client.call_tool("ask", {"question": SHPO})

    result = asyncio.run(run())
    assert not result.is_error and result.structured_content["value"] == 118
