"""qa.layout: text as written, not as printed. Paragraphs rebuilt from hard-wrapped lines with their exact line
spans, hyphenation undone, page furniture set aside, contents pages kept whole, columns read across found;
on small fixtures and on the seeds as eval/degrade.py damages them."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pytest
from conftest import ROOT, SEED_FILES, SEEDS, seed_lines
from test_index import TinyEmbedder

import qa
from qa.contents import contents_entries
from qa.documents import load_document
from qa.furniture import find_furniture
from qa.layout import Paragraph, analyse, reflow
from qa.lines import dehyphenate, dictionary, join_lines, known_words
from qa.sections import (
    CHUNK_WORDS,
    MAX_CHUNK_WORDS,
    SIGNATURE_WORDS,
    _line_words,
    chunk_document,
    split_sections,
)

_spec = importlib.util.spec_from_file_location("degrade", ROOT / "eval" / "degrade.py")
degrade = importlib.util.module_from_spec(_spec)
sys.modules["degrade"] = degrade
_spec.loader.exec_module(degrade)


@pytest.fixture(scope="module")
def degraded(tmp_path_factory):
    """The seeds damaged every way eval/degrade.py knows: {kind: folder}."""
    out = tmp_path_factory.mktemp("degraded")
    degrade.degrade_corpus(SEEDS, ROOT / "eval" / "gold.jsonl", out)
    return {kind: out / kind for kind in degrade.KINDS}


WRAPPED = """\
Introduction

The Strategic Management Board has overseen the work of the
agencies during the year and has made sure that each of them
plays its part in the protec-
tion of the public. Every multi-
agency panel reported to it.

Level 1\t1066\t197
Level 2\t8\t2
"""


def test_wrapped_lines_are_one_paragraph_with_their_lines():
    layout = analyse(WRAPPED.split("\n"))
    assert layout.paragraphs == (
        Paragraph((1,), "Introduction"),
        Paragraph((3, 4, 5, 6, 7), "The Strategic Management Board has overseen the work of the agencies during the "
                  "year and has made sure that each of them plays its part in the protection of the public. Every "
                  "multi-agency panel reported to it."),
        Paragraph((9, 10), "Level 1\t1066\t197\nLevel 2\t8\t2", "table"),
    )


def test_a_cited_passage_reflows_into_whole_sentences():
    assert reflow(WRAPPED) == (
        "Introduction\nThe Strategic Management Board has overseen the work of the agencies during the year and has "
        "made sure that each of them plays its part in the protection of the public. Every multi-agency panel "
        "reported to it.\nLevel 1\t1066\t197\nLevel 2\t8\t2")


def test_a_hyphen_at_a_line_end_goes_when_the_word_is_written_whole():
    words = known_words(["the protection of victims", "a multi-agency panel", "cross-border work"])
    assert join_lines(["the protec-", "tion of the public"], words) == "the protection of the public"
    assert join_lines(["every multi-", "agency panel"], words) == "every multi-agency panel"
    assert dehyphenate("cross", "border", words) is False
    # Nothing in the text decides and no dictionary knows the word: a compounding prefix keeps its hyphen, and
    # a capital after the hyphen is a name's.
    assert dehyphenate("multi", "agency") is False
    assert join_lines(["the Anglo-", "Welsh border"]) == "the Anglo-Welsh border"


@pytest.mark.skipif(not dictionary(), reason="no /usr/share/dict/british-english (Debian's wbritish)")
def test_the_dictionary_decides_a_word_the_text_never_writes_whole():
    assert join_lines(["an assess-", "ment of risk"]) == "an assessment of risk"
    assert join_lines(["a well-", "known case"]) == "a well-known case"


PAGED = """\
Foreword

The Strategic Management Board has overseen the work of
the agencies in Norfolk during the year and has made sure
that each of them plays its part in protecting the public.
Its members met four times and heard from the chairs of
- 3 -
OFFICIAL

OFFICIAL
Norfolk MAPPA Annual Report 2024/25

the level 2 and 3 meetings, and from the lay adviser, who
sits on the board.

The board also agreed its business plan for the coming year, which
sets out how it will work with the duty to co-operate agencies.
- 4 -
OFFICIAL

OFFICIAL
Norfolk MAPPA Annual Report 2024/25
Statistics
"""


def test_running_headers_footers_and_page_numbers_are_set_aside():
    lines = PAGED.split("\n")
    layout = analyse(lines)
    assert sorted(layout.furniture) == [7, 8, 10, 11, 18, 19, 21, 22]
    # The paragraph broken by the page break is one paragraph; the furniture is in none.
    assert [p.lines for p in layout.paragraphs] == [(1,), (3, 4, 5), (6, 13, 14), (16, 17), (23,)]
    assert layout.paragraphs[2].text == ("Its members met four times and heard from the chairs of the level 2 and 3 "
                                         "meetings, and from the lay adviser, who sits on the board.")


@pytest.mark.parametrize("footer", ["Page 2 of 9", "page 2 of 9", "Seite 2 von 9", "Tudalen 2 o 9", "- 2 -", "\f"])
def test_viewer_page_labels_are_furniture_on_their_own(footer):
    lines = ["Some text of the report.", footer, "More text of the report."]
    assert find_furniture(lines) == {2}


def test_lone_numbers_are_page_numbers_only_when_they_count_pages():
    prose = [f"Sentence {n} of the report." for n in range(1, 10)]
    paged = [*prose, "1", *prose, "2", *prose, "3"]
    assert sorted(find_furniture(paged)) == [10, 20, 30]
    # A contents page's numbers and a table's figures are close together: not page numbers.
    assert find_furniture(["Introduction", "3", "Statistics", "4", "Contacts", "6"]) == set()


def test_page_starts_mark_a_running_header_without_page_numbers():
    lines = ["Norfolk MAPPA Annual Report", "Text of page one.", "Norfolk MAPPA Annual Report", "Text of page two.",
             "Norfolk MAPPA Annual Report", "Text of page three."]
    assert find_furniture(lines, page_starts=(1, 3, 5)) == {1, 3, 5}


def test_chunks_leave_out_furniture_and_keep_the_page_map(tmp_path):
    path = tmp_path / "paged.txt"
    path.write_text(PAGED, encoding="utf-8")
    doc = load_document(path)
    chunks = chunk_document(doc)
    assert [(c.start, c.end) for c in chunks] == [(1, 23)]
    assert chunks[0].text == PAGED.rstrip("\n")
    assert "OFFICIAL" not in chunks[0].body and "- 3 -" not in chunks[0].body
    assert "chairs of the level 2 and 3 meetings" in chunks[0].body
    # The page map of a paged file is the extractor's; the layout reads it, never changes it.
    assert analyse(doc.lines, (1, 12)).furniture >= {7, 8, 10, 11}


@pytest.mark.parametrize("form, lines", [
    ("one line", ["Contents Introduction 3 MAPPA Statistics 5 Case Study 2: A Violent Offender 9"]),
    ("alternating", ["Contents", "Introduction", "3", "MAPPA Statistics", "5", "Case Study 2: A Violent Offender", "9"]),
    ("leaders", ["Contents Introduction ........ 3 MAPPA Statistics ........ 5 Case Study 2: A Violent Offender ... 9"]),
])
def test_a_contents_page_is_one_block_in_any_form(form, lines):
    text = [*lines, "", "Introduction", "", "The board met four times this year to review its work."]
    layout = analyse(text)
    contents = layout.paragraphs[0]
    assert contents.kind == "contents" and contents.lines == tuple(range(1, len(lines) + 1))
    assert contents_entries(contents.text) == [("Introduction", 3), ("MAPPA Statistics", 5),
                                               ("Case Study 2: A Violent Offender", 9)]
    assert layout.paragraphs[1] == Paragraph((len(lines) + 2,), "Introduction")
    assert contents.text == ("Contents\nIntroduction, page 3\nMAPPA Statistics, page 5\n"
                             "Case Study 2: A Violent Offender, page 9")


def test_contents_entries_take_numbers_in_titles_as_titles():
    assert contents_entries("Contents Section 1 Foreword 4 Section 2 Level 2 and 3 cases 5 Annex A Plans 8-9") == [
        ("Section 1 Foreword", 4), ("Section 2 Level 2 and 3 cases", 5), ("Annex A Plans", 8)]
    assert contents_entries("CONTENTS 1. Introduction 1 Release Schedule 4 2. Key findings 5") == [
        ("1. Introduction", 1), ("Release Schedule", 4), ("2. Key findings", 5)]


def test_contents_pages_of_the_degraded_seeds_are_not_headings(degraded):
    for name in SEED_FILES:
        doc = load_document(degraded["contents"] / name)
        contents = [p for p in analyse(doc.lines).paragraphs if p.kind == "contents"]
        assert len(contents) == 1 and doc.lines[contents[0].start - 1].startswith("Contents")
        assert [s.path for s in split_sections(doc)] == [s.path for s in split_sections(load_document(SEEDS / name))]


@pytest.mark.parametrize("kind", ["hard_wrap", "headers_footers", "contents"])
def test_headings_of_degraded_seeds_are_the_seeds_own(degraded, kind):
    for name in SEED_FILES:
        seed = [s.path for s in split_sections(load_document(SEEDS / name))]
        assert [s.path for s in split_sections(load_document(degraded[kind] / name))] == seed, name


def test_columns_read_across_are_found_and_only_there(degraded):
    for name in SEED_FILES:
        assert analyse(seed_lines(name)).interleaved == ()
        assert analyse(load_document(degraded["hard_wrap"] / name).lines).interleaved == ()
        doc = load_document(degraded["columns"] / name)
        assert analyse(doc.lines).interleaved
        assert any("look like two columns read across" in w for w in doc.warnings)
    assert analyse(load_document(degraded["columns"] / "002_c7e779d3e77a4788.txt").lines).interleaved == (
        (37, 230), (300, 691))


LEFT = [
    "The board met four times this year. It",
    "reviewed each case at the higher levels.",
    "The chair thanked the members for their",
    "work. The board will meet again soon.",
    "Each meeting was attended by police.",
    "The lay adviser sat on it.",
]
RIGHT = [
    "The second column is about housing for",
    "offenders who leave prison. The region",
    "has bed spaces for them, and more are",
    "planned. The council gives advice on",
    "tenancies and on the rights of those",
    "who rent their homes from it.",
]


def test_columns_read_across_are_read_one_after_the_other():
    lines = [line for pair in zip(LEFT, RIGHT, strict=True) for line in pair]  # left, right, left, right, ...
    layout = analyse(lines)
    assert layout.interleaved == ((3, 12),) and layout.read_down
    assert layout.paragraphs == (
        Paragraph((1, 3, 5, 7, 9, 11), "The board met four times this year. It reviewed each case at the higher "
                  "levels. The chair thanked the members for their work. The board will meet again soon. Each "
                  "meeting was attended by police. The lay adviser sat on it."),
        Paragraph((2, 4, 6, 8, 10, 12), "The second column is about housing for offenders who leave prison. The "
                  "region has bed spaces for them, and more are planned. The council gives advice on tenancies and "
                  "on the rights of those who rent their homes from it."),
    )
    # Read top to bottom, the lines do not flow: nothing is reordered.
    assert [p.lines for p in analyse([*LEFT, *RIGHT]).paragraphs] == [tuple(range(1, 7)), tuple(range(7, 13))]


def test_columns_read_across_are_read_back_in_the_seeds_order(degraded):
    """Every paragraph rebuilt from the seeds set in two columns (pages 25-40 lines high, read across)
    holds its lines in the order the seed wrote them, page breaks found from the text alone."""
    for name in SEED_FILES:
        text = (degraded["columns"] / name).read_text(encoding="utf-8")
        segments = json.loads((degraded["columns"] / "maps" / f"{name[:-4]}.json").read_text())["segments"]
        lines = text.split("\n")
        starts = [0, *(m.end() for m in re.finditer("\n", text))]

        def seed_offset(number, lines=lines, starts=starts, segments=segments):
            at = starts[number - 1] + len(lines[number - 1]) - len(lines[number - 1].lstrip())
            return next(source + at - first for first, end, source in segments if first <= at < end)

        paragraphs = [p for p in analyse(lines).paragraphs if p.kind == "text" and len(p.lines) > 1]
        assert len(paragraphs) > 40
        for paragraph in paragraphs:
            offsets = [seed_offset(n) for n in paragraph.lines]
            assert offsets == sorted(offsets), (name, paragraph.lines)


@pytest.mark.parametrize("kind", sorted(degrade.KINDS))
def test_every_chunk_is_the_files_own_lines_on_every_degraded_kind(degraded, kind):
    for name in SEED_FILES:
        doc = load_document(degraded[kind] / name)
        lines = doc.lines
        chunks = chunk_document(doc)
        assert chunks
        for chunk in chunks:
            assert 1 <= chunk.start <= chunk.end <= len(lines)
            if chunk.start == chunk.end and kind == "one_line":
                assert chunk.text in lines[0]  # a piece of the one long line, as it stands
            else:
                assert chunk.text == "\n".join(lines[chunk.start - 1 : chunk.end])
            assert chunk.body.strip()
            assert _line_words(chunk.text) <= MAX_CHUNK_WORDS
            assert _line_words(chunk.body) <= CHUNK_WORDS + SIGNATURE_WORDS or chunk.start == chunk.end


def test_an_index_of_a_report_read_across_columns_says_so(degraded, tmp_path):
    report = qa.build_index([degraded["columns"] / "002_c7e779d3e77a4788.txt"], tmp_path / "idx", embedder=TinyEmbedder())
    assert any("lines 37-230, 300-691 look like two columns read across, one line of each in turn: passages there "
               "are read down each column" in w for w in report.warnings)
    listed = qa.open_index(tmp_path / "idx", embedder=TinyEmbedder()).list_reports()
    assert [w for w in listed[0].warnings if "two columns" in w] == [w for w in report.warnings if "two columns" in w]
