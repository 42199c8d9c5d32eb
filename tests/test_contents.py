"""Contents pages (qa/contents.py): read in each flattened form, and "on what page is …" answered from them,
citing the contents lines, on the Norfolk seed with the contents page eval/degrade.py inserts."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

import qa
from qa.contents import Entry, _match, asked_title, read_contents

_spec = importlib.util.spec_from_file_location("degrade", ROOT / "eval" / "degrade.py")
degrade = importlib.util.module_from_spec(_spec)
sys.modules["degrade"] = degrade
_spec.loader.exec_module(degrade)

NORFOLK = "004_b79ee1c3b7c55e1b.txt"
NORFOLK_ENTRIES = [("Introduction", 3), ("MAPPA Training", 3), ("MAPPA background", 4), ("MAPPA '25", 4),
                   ("How MAPPA work", 4), ("MAPPA Police Offender Manager", 8), ("DWP and MAPPA", 9)]


@pytest.mark.parametrize("form", degrade.CONTENTS_FORMS)
def test_every_flattened_form_reads_as_titles_and_pages(form):
    text = degrade.contents((SEEDS / NORFOLK).read_text(encoding="utf-8"), random.Random(0), form).text
    assert [(e.title, e.page) for e in read_contents(text)] == NORFOLK_ENTRIES


def test_entries_keep_their_lines():
    text = "Report\n\nContents\nIntroduction\n3\nLevel 2 and 3 individuals returned to custody\n5\n\nIntroduction\n"
    assert read_contents(text, first_line=10) == [Entry("Introduction", 3, (13, 14)),
                                                   Entry("Level 2 and 3 individuals returned to custody", 5, (15, 16))]


def test_numbers_inside_titles_are_not_pages():
    text = ("Contents Introduction 3 MAPPA '25 3 Level 2 and 3 individuals returned to custody 5 "
            "Case Study 2: Violent Offender with Complex Needs 10")
    assert [(e.title, e.page) for e in read_contents(text)] == [
        ("Introduction", 3), ("MAPPA '25", 3), ("Level 2 and 3 individuals returned to custody", 5),
        ("Case Study 2: Violent Offender with Complex Needs", 10)]


def test_text_without_a_contents_page_has_no_entries():
    assert read_contents((SEEDS / NORFOLK).read_text(encoding="utf-8")) == []
    assert read_contents("Contents of the report are set out below. It has 3 parts.") == []


def test_the_title_asked_about():
    assert asked_title("On what page is the section 'MAPPA '25'?") == "MAPPA '25"
    assert asked_title("where in the report is the section on housing and resettlement") == "housing and resettlement"
    # The words naming the report are no part of the title.
    assert asked_title("Where in the 2017/18 national MAPPA report is revocation of lifetime notification covered?") == (
        "revocation of lifetime notification")


def test_a_long_title_is_named_by_its_first_words():
    weights = {"revoc": 4.5, "lifetim": 4.5, "notif": 3.0}
    title = "5. Revocation of lifetime notification requirement for Registered Sexual Offenders"
    assert _match("revocation of lifetime notification", title, weights) == pytest.approx(0.99)
    # The same words scattered through another title match it less well.
    assert _match("revocation of lifetime notification", "Notification and lifetime orders, and revocation", weights) < 0.99
    assert _match("revocation of lifetime notification", "Breaches of notification requirements", weights) < 0.6
    # A title starting with one of the words asked, without the others, is not named by its first words.
    assert _match("case examples", "Examples of the Impact Working with a Multi", {"case": 2.2, "exampl": 3.6}) < 0.6


@pytest.fixture(scope="module")
def contents_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contents-corpus")
    text = degrade.contents((SEEDS / NORFOLK).read_text(encoding="utf-8"), random.Random(0), "alternating").text
    (folder / NORFOLK).write_text(text, encoding="utf-8")
    directory = tmp_path_factory.mktemp("contents-index")
    qa.build_index([folder], directory)
    return qa.open_index(directory), text.split("\n")


def test_page_question_is_answered_from_the_contents_lines(contents_index):
    index, lines = contents_index
    answer = index.ask("On what page is the section 'DWP and MAPPA'?")
    assert (answer.status, answer.kind, answer.span) == ("answered", "passage", "9")
    assert answer.answer == "“DWP and MAPPA” is on page 9 of the Norfolk 2024/25 report (from its contents page)."
    citation = answer.citations[0]
    assert (Path(citation.doc).name, citation.lines, citation.text) == (NORFOLK, (19, 20), "DWP and MAPPA\n9")
    assert citation.text == "\n".join(lines[18:20])


def test_a_loose_title_still_finds_its_entry(contents_index):
    index, _ = contents_index
    answer = index.ask("which page covers the police offender manager in the norfolk report?")
    assert (answer.span, answer.citations[0].lines) == ("8", (17, 18))


def test_a_report_without_contents_answers_from_its_passages(index):
    answer = index.ask("On what page is the section 'DWP and MAPPA' in the Norfolk report?")
    assert answer.kind in (None, "passage") and "contents page" not in answer.answer
