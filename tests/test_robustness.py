"""Bad input never hurts: interrupted and concurrent builds, foreign or broken indexes, odd questions, and
random text thrown at the question and table parsers."""

import shutil
import sqlite3

import pytest
from conftest import SEEDS, seed_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import run
from test_index import TinyEmbedder

import qa
from qa.index import write_lock
from qa.query import parse_question
from qa.tables import parse_tables

NORFOLK = "004_b79ee1c3b7c55e1b.txt"
LONDON = "002_c7e779d3e77a4788.txt"


@pytest.fixture
def small_index(tmp_path):
    """An index of Norfolk alone, built with the stand-in embedder."""
    shutil.copy(SEEDS / NORFOLK, tmp_path / "norfolk.txt")
    qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "idx", embedder=TinyEmbedder())
    return tmp_path / "idx"


class Interrupted(Exception):
    pass


class FailingEmbedder(TinyEmbedder):
    """Fails part-way through embedding, like a build stopped with Ctrl-C or killed for memory."""

    def encode(self, texts):
        if self.calls >= 32:  # the second batch of 32
            raise Interrupted
        return super().encode(texts)


def test_an_interrupted_build_leaves_the_index_as_it_was(small_index, tmp_path):
    before = sorted(p.name for p in small_index.iterdir())
    shutil.copy(SEEDS / LONDON, tmp_path / "london.txt")
    with pytest.raises(Interrupted):
        qa.build_index([tmp_path / "london.txt"], small_index, embedder=FailingEmbedder())
    assert sorted(p.name for p in small_index.iterdir()) == before  # no temporary files left behind
    index = qa.open_index(small_index, embedder=TinyEmbedder())
    assert [r.area for r in index.list_reports()] == ["Norfolk"]
    assert index.ask("how many SHPOs in Norfolk 2024/25").value == 118
    assert index.dense.index.ntotal == len(index.chunks)


def test_a_concurrent_build_is_refused(small_index, tmp_path):
    shutil.copy(SEEDS / LONDON, tmp_path / "london.txt")
    with write_lock(small_index):
        with pytest.raises(qa.IndexBusy, match="another `qa index`"):
            qa.build_index([tmp_path / "london.txt"], small_index, embedder=TinyEmbedder())
        result = run("index", str(tmp_path / "london.txt"), "--index-dir", str(small_index))
        assert result.returncode == 2 and "another `qa index`" in result.stderr
    assert [r.area for r in qa.open_index(small_index).list_reports()] == ["Norfolk"]


def test_an_index_from_another_version_is_reported_not_used(small_index):
    with sqlite3.connect(small_index / "qa.sqlite") as connection:
        connection.execute("PRAGMA user_version = 99")
    with pytest.raises(qa.IndexStale, match="schema version 99.*qa index --rebuild"):
        qa.open_index(small_index)
    result = run("ask", "how many SHPOs in Norfolk 2024/25", index_dir=small_index)
    assert result.returncode == 2 and "qa index --rebuild" in result.stderr and "Traceback" not in result.stderr


def test_an_index_whose_model_cannot_be_loaded_is_one_line(small_index):
    result = run("ask", "who chairs the board in norfolk", index_dir=small_index)  # built with a stand-in model
    assert result.returncode == 2 and "cannot load the embedding model 'test/tiny-hash'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_broken_index_file_is_reported(small_index):
    (small_index / "qa.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(qa.IndexStale, match="not a qa index"):
        qa.open_index(small_index)


def test_a_report_without_statistics_is_indexed_for_its_prose(tmp_path):
    text = "\n".join(line for line in seed_lines(NORFOLK) if "\t" not in line and "|" not in line)
    text = text.split("MAPPA Statistics")[0]
    (tmp_path / "prose.txt").write_text(text, encoding="utf-8")
    report = qa.build_index([tmp_path / "prose.txt"], tmp_path / "idx", embedder=TinyEmbedder())
    assert (report.reports, report.facts) == (1, 0) and report.chunks > 5
    index = qa.open_index(tmp_path / "idx", embedder=TinyEmbedder())
    answer = index.ask("how many SHPOs in Norfolk 2024/25")
    assert answer.status == "not_found" and "give no figure" in answer.answer


@pytest.mark.parametrize(
    "question, exit_codes",
    [
        ("how many SHPOs in Norfolk 2024/25 " * 300, (0,)),  # 10,000 characters: read up to the first 1,000
        ("¿cuántas órdenes SHPO hubo en Norfolk 2024/25?", (0,)),
        ("诺福克 2024/25 年有多少", (0, 1)),
        ("   \t ", (2,)),
    ],
)
def test_odd_questions_get_an_answer_or_one_line(index_dir, question, exit_codes):
    result = run("ask", question, index_dir=index_dir)
    assert result.returncode in exit_codes, result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_the_question_parser_never_crashes(text):
    query = parse_question(text)
    assert all(isinstance(area, str) for area in query.areas)


TABLE_WORDS = ["Category 1", "Level 2", "Total", "SHPO", "MAPPA Statistics", "-", "|", "<br>", "\t", "1,444",
               "Returned to custody", "Notification Order", "31 March 2025", "yearly total", "12", "0", "  "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=60),
                          st.lists(st.sampled_from(TABLE_WORDS), max_size=8).map(" ".join)), max_size=40))
def test_the_table_parser_never_crashes(lines):
    for cell in parse_tables(lines):
        assert 1 <= cell.start <= cell.end <= len(lines)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_table_parser_survives_damaged_real_tables(data):
    lines = seed_lines(NORFOLK)
    start = next(i for i, line in enumerate(lines) if "MAPPA Statistics" in line)
    damaged = data.draw(st.permutations(lines[start:start + 60]))
    cut = data.draw(st.integers(0, len(damaged)))
    parse_tables(damaged[:cut])
