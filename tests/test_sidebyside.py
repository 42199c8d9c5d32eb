"""Two columns printed side by side on one line (qa/sidebyside.py): found, split, and read down each column by
the layout (chunks) and by the answer's sentences, on an invented text and on a real extracted report."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from qa.columns import passage_order
from qa.layout import analyse
from qa.sentences import split_sentences
from qa.sidebyside import Piece, clashes, side_by_side

MESSY = ROOT / "eval" / "messy" / "reports"

# Two columns 44 characters wide, each wrapped on its own, printed side by side with one space between.
LEFT = """The board met four times in the year and
agreed a new plan for the training of the
staff. It also reviewed the cases of those
managed at level three, and found that the
work of the agencies was sound. The chair
thanked the members of the panel."""
RIGHT = """In the coming year the board will look at
and plan housing for people leaving prison,
with the work of the lay advisers, who bring
a view from outside. The police will lead a
review of the visits made to those who are
registered, to report in the spring."""
SIDE = "\n".join(f"{left} {right}" for left, right in zip(LEFT.split("\n"), RIGHT.split("\n"), strict=True))


def test_clashes_are_junctions_running_english_does_not_make():
    assert clashes("safer and reducing", "In addition to this")  # a capitalised function word mid-sentence
    assert clashes("is so important. The", "to look at how")  # a determiner before a function word
    assert clashes("the end of the year.", "to be taken.")  # a sentence end before lower case
    assert not clashes("and one of our", "biggest challenges")
    assert not clashes("under a Duty", "To Co-operate")  # a title
    assert not clashes("- (b)", "They bring")


def test_side_by_side_columns_are_split_at_the_column_edge():
    lines = SIDE.split("\n")
    split = side_by_side(lines)
    assert sorted(split) == [1, 2, 3, 4, 5, 6]
    assert [lines[n - 1][: split[n]].strip() for n in sorted(split)] == LEFT.split("\n")
    assert [lines[n - 1][split[n] :].strip() for n in sorted(split)] == RIGHT.split("\n")


def test_the_layout_reads_each_column_as_its_own_paragraph():
    layout = analyse(["Annual report", "", *SIDE.split("\n")])
    assert layout.side_by_side == frozenset(range(3, 9))
    texts = [p.text for p in layout.paragraphs]
    assert " ".join(LEFT.split("\n")) in texts and " ".join(RIGHT.split("\n")) in texts


def test_the_answer_reads_sentences_down_each_column():
    lines = SIDE.split("\n")
    order = passage_order(lines)
    assert order[:2] == [Piece(0, 0, 41), Piece(1, 0, 42)]
    sentences = [(s.text, s.lines) for s in split_sentences(SIDE, 20, order)]
    assert ("The police will lead a review of the visits made to those who are registered, to report in the spring.",
            (23, 25)) in sentences
    assert ("It also reviewed the cases of those managed at level three, and found that the work of the agencies "
            "was sound.", (22, 24)) in sentences


def test_a_real_foreword_in_two_columns_side_by_side():
    lines = (MESSY / "bedfordshire-2005-06.txt").read_text(encoding="utf-8").split("\n")
    split = side_by_side(lines)
    assert sorted(split)[:16] == list(range(47, 63))
    assert lines[52][split[53]:].startswith("community. The review is consulting")
    sentences = [s.text for s in split_sentences("\n".join(lines[46:63]), 47, passage_order(lines[46:63]))]
    assert ("The review is consulting a wide range of practitioners and key stakeholders including the MAPPA lay "
            "advisers, and will report around the end of the year.") in sentences


@pytest.mark.parametrize("path", [*sorted(SEEDS.glob("*.txt")), MESSY / "cambridgeshire-2005-06.txt",
                                  MESSY / "thames-valley-2003-04.txt", MESSY / "kent-2003-04.txt"])
def test_text_in_one_column_is_never_split(path: Path):
    # Cambridgeshire's foreword is Bedfordshire's, in one column of lines as long as Bedfordshire's two.
    assert side_by_side(path.read_text(encoding="utf-8").split("\n")) == {}
