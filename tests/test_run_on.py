"""Reading a cited passage as written: lines read two columns across are read down each column, a sentence
ending in a colon with what it introduces, and a passage cut mid-sentence with the lines that finish it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import qa
from qa.columns import passage_order
from qa.sentences import continuation, split_sentences

MESSY = ROOT / "eval" / "messy" / "reports"

# Two columns read across: left and right lines alternate.
ACROSS = """The board met four times this year and
Lay advisers are members of the public
agreed a new business plan for the area.
appointed by the Minister to sit on the board.
It also reviewed two serious cases and
They ask the questions that professionals
published what it had learned from them.
closely involved in the work might not ask."""


def test_a_passage_read_across_two_columns_is_read_down_each():
    assert passage_order(ACROSS.split("\n")) == [0, 2, 4, 6, 1, 3, 5, 7]
    sentences = [(s.text, s.lines) for s in split_sentences(ACROSS, 10, passage_order(ACROSS.split("\n")))]
    assert sentences == [
        ("The board met four times this year and agreed a new business plan for the area.", (10, 12)),
        ("It also reviewed two serious cases and published what it had learned from them.", (14, 16)),
        ("Lay advisers are members of the public appointed by the Minister to sit on the board.", (11, 13)),
        ("They ask the questions that professionals closely involved in the work might not ask.", (15, 17)),
    ]


def test_a_passage_in_one_column_is_read_as_printed():
    lines = ACROSS.split("\n")[0::2] + ACROSS.split("\n")[1::2]
    assert passage_order(lines) == list(range(8))


def test_a_sentence_ending_in_a_colon_is_read_with_what_it_introduces():
    text = ("Comments on this report should be sent to one of the addresses below:\n\n"
            "Assistant Chief Officer (Offender Management)\n\nNational Probation Service")
    assert [(s.text, s.lines) for s in split_sentences(text, 44)][0] == (
        "Comments on this report should be sent to one of the addresses below: Assistant Chief Officer "
        "(Offender Management)", (44, 46))


def test_a_passage_cut_mid_sentence_goes_on_to_the_sentence_end():
    assert continuation("The review is consulting a wide range of",
                        "practitioners and key stakeholders including\nthe lay advisers. It will report\nsoon.") == [
        "practitioners and key stakeholders including", "the lay advisers. It will report"]
    assert continuation("The review reported in May.", "It found two things.") == []
    assert continuation("The review is consulting a wide range of", "\nSection 2") == []
    assert continuation("Sarah Port", "Chair of the board") == []


@pytest.fixture(scope="module")
def bedfordshire(tmp_path_factory) -> qa.Index:
    folder = tmp_path_factory.mktemp("bedfordshire")
    shutil.copy(MESSY / "bedfordshire-2005-06.txt", folder / "bedfordshire-2005-06.txt")
    directory = tmp_path_factory.mktemp("bedfordshire-index")
    qa.build_index([folder], directory)
    return qa.open_index(directory)


def test_a_citation_cut_mid_sentence_cites_the_lines_that_finish_it(bedfordshire):
    # The passage of lines 47-53 ends "The review is consulting a wide range of"; lines 54-56 finish the
    # sentence, "... including the MAPPA lay advisers, and will report around the end of the year."
    citations = bedfordshire.search("Who is the Child Sex Offender Review consulting, according to the "
                                    "Bedfordshire 2005-2006 foreword?", top_k=3)
    top = next(c for c in citations if c.lines[0] == 47)
    lines = (MESSY / "bedfordshire-2005-06.txt").read_text().split("\n")
    assert (Path(top.doc).name, top.lines) == ("bedfordshire-2005-06.txt", (47, 56))
    assert top.text == "\n".join(lines[46:56])
    assert "MAPPA lay advisers" in top.text
