"""Charts: every point is a cited fact of the answer (or of the index), drawn as SVG or PNG."""

from __future__ import annotations

import json
import re

import pytest
from test_cli import run
from test_server import Client

from qa.chart import chart_for_answer, measure_chart, render
from qa.server import create_app

COMPARISONS = [
    ("which area had the most SHPOs in 2024/25", "area",
     [("Cambridgeshire and Peterborough", "2024/25", 135), ("London", "2024/25", 559), ("Norfolk", "2024/25", 118)]),
    ("how many SHPOs in total across all areas in 2024/25", "area",
     [("Cambridgeshire and Peterborough", "2024/25", 135), ("London", "2024/25", 559), ("Norfolk", "2024/25", 118)]),
    ("how did the number of MAPPA-eligible individuals in Cambridgeshire change between 2014/15 and 2024/25",
     "period", [("Cambridgeshire and Peterborough", "2014/15", 939), ("Cambridgeshire and Peterborough", "2024/25", 1283)]),
    ("how many more SHPOs did Norfolk have than London in 2024/25", "area",
     [("London", "2024/25", 559), ("Norfolk", "2024/25", 118)]),
]


def _covered(point, citations) -> bool:
    return any(c.doc == point.doc and c.lines[0] <= point.lines[0] and point.lines[1] <= c.lines[1] for c in citations)


@pytest.mark.parametrize("question, by, expected", COMPARISONS)
def test_the_chart_of_an_answer_is_its_cited_facts(index, question, by, expected):
    answer = index.ask(question)
    data = chart_for_answer(answer)
    assert data.by == by and data.measure == answer.facts[0].measure
    assert sorted((p.area, p.period, p.value) for p in data.points) == expected
    assert answer.facts[0].value == answer.value or answer.kind == "aggregate"  # the figure answered comes first
    assert sorted((p.area, p.period, p.value, p.doc, p.lines) for p in data.points) == sorted(
        (f.area, f.period, f.value, f.doc, f.lines) for f in answer.facts)
    assert all(_covered(point, answer.citations) for point in data.points)


@pytest.mark.parametrize("question", ["how many SHPOs in Norfolk 2024/25", "who chairs the norfolk strategic management board",
                                      "how many SHPOs in Norfolk 2019/20"])
def test_answers_that_compare_nothing_have_no_chart(index, question):
    assert chart_for_answer(index.ask(question)) is None


def test_a_measure_across_the_index(index):
    data = measure_chart(index.facts(measure="eligible"), "eligible")
    cells = {(f.doc, f.lines): f.value for f in index.facts(measure="eligible") if f.category is None and f.level is None}
    assert [(p.label, p.value) for p in data.points] == [
        ("Cambridgeshire and Peterborough 2014/15", 939), ("Cambridgeshire and Peterborough 2024/25", 1283),
        ("Cheshire 2022/23", 1791), ("London 2024/25", 11220), ("Norfolk 2024/25", 1444)]
    assert all(cells[(p.doc, p.lines)] == p.value for p in data.points)
    by_year = measure_chart(index.facts(measure="eligible"), "eligible", areas=["cambridgeshire"])
    assert (by_year.by, [p.label for p in by_year.points]) == ("period", ["2014/15", "2024/25"])
    level = measure_chart(index.facts(measure="eligible"), "eligible", periods=["2024-25"], category=1, level=1)
    assert [(p.area, p.value) for p in level.points] == [
        (f.area, f.value) for f in index.facts(period="2024/25", measure="eligible") if (f.category, f.level) == (1, 1)]


def test_the_drawing_has_one_bar_per_point_and_its_labels(index):
    data = chart_for_answer(index.ask(COMPARISONS[0][0]))
    svg = render(data, "svg").decode()
    assert re.findall(r'<g id="(point-\d+)"', svg) == ["point-0", "point-1", "point-2"]
    for text in ("559", "135", "118", "London", "Norfolk", "Sexual Harm Prevention Orders (SHPOs), 2024/25"):
        assert text in svg
    assert render(data, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_qa_ask_chart_and_qa_chart(index_dir, tmp_path, index):
    svg = tmp_path / "most.svg"
    asked = run("ask", "--json", COMPARISONS[0][0], "--chart", str(svg), index_dir=index_dir)
    assert asked.returncode == 0 and asked.stderr == f"chart of 3 figures written to {svg}\n"
    assert json.loads(asked.stdout)["value"] == 559 and svg.read_text().count('<g id="point-') == 3
    single = run("ask", "how many SHPOs in Norfolk 2024/25", "--chart", str(tmp_path / "one.png"), index_dir=index_dir)
    assert single.returncode == 0 and "no chart" in single.stderr and not (tmp_path / "one.png").exists()

    png = tmp_path / "shpo.png"
    charted = run("chart", "shpo", "--period", "2024/25", "--out", str(png), "--json", index_dir=index_dir)
    assert charted.returncode == 0, charted.stderr
    points = json.loads(charted.stdout)["points"]
    facts = {(f.doc, tuple(f.lines)): f.value for f in index.facts(period="2024/25", measure="shpo")}
    assert [(p["area"], p["value"]) for p in points] == [
        ("Cambridgeshire and Peterborough", 135), ("London", 559), ("Norfolk", 118)]
    assert all(facts[(p["doc"], tuple(p["lines"]))] == p["value"] for p in points)
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_chart_endpoint(index):
    client = Client(create_app(index))
    try:
        question = COMPARISONS[0][0]
        data = client.get("/chart", params={"q": question, "format": "json"})
        assert data.status_code == 200 and data.json() == chart_for_answer(index.ask(question)).to_dict()
        svg = client.get("/chart", params={"q": question})
        assert svg.headers["content-type"] == "image/svg+xml" and svg.text.count('<g id="point-') == 3
        none = client.get("/chart", params={"q": "how many SHPOs in Norfolk 2024/25"})
        assert none.status_code == 404 and none.json() == {"error": "no chart: this answer compares no areas or years"}
    finally:
        client.close()
