"""Passage questions on real PDF-extracted report text (eval/messy/reports: hard wraps, Scribd page chrome,
flattened contents pages), indexed with the real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import qa

MESSY = ROOT / "eval" / "messy" / "reports"
REPORTS = ("lancashire-2003-04.txt", "thames-valley-2003-04.txt", "england-and-wales-2017-18.txt", "cheshire-2002-03.txt",
           "london-2002-03.txt", "thames-valley-2001-02.txt", "lanarkshire-2022-23.txt",
           "hampshire-2015-16.txt")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> qa.Index:
    folder = tmp_path_factory.mktemp("messy")
    for name in REPORTS:
        shutil.copy(MESSY / name, folder / name)
    directory = tmp_path_factory.mktemp("messy-index")
    qa.build_index([folder], directory)
    return qa.open_index(directory)


def test_a_word_in_another_form_makes_the_passage_relevant(messy):
    # "include" is printed only as "including": matched by its root, weighed by the printed word's idf.
    query = messy.parse("Apart from Lancashire itself, which areas does the Lancashire MAPPA area include?")
    top = messy.search(query, top_k=1)[0]
    assert (Path(top.doc).name, top.lines) == ("lancashire-2003-04.txt", (1, 21))
    assert messy._relevant(query, top)
    answer = messy.ask(query.text)
    assert answer.status == "answered" and answer.citations[0].lines == (1, 21)
    assert "(including Lancashire, Blackpool, and Blackburn with Darwen)" in answer.citations[0].text


def test_nonsense_is_still_refused(messy):
    answer = messy.ask("What is the airspeed of an unladen swallow in Lancashire?")
    assert (answer.status, answer.answer) == ("not_found", "Nothing in the indexed reports answers this question.")


@pytest.mark.parametrize("question, doc, lines", [
    # "the number of people": a why question asks for the reason, not a figure.
    ("Why is the number of people on the register going up in Thames Valley, according to the 2003-04 report?",
     "thames-valley-2003-04.txt", (30, 37)),
    # "what was the job title … who introduced": a title, whatever "what was the" cues.
    ("What was the job title of the minister who introduced the Cheshire 2002/3 report?", "cheshire-2002-03.txt", (1, 11)),
])
def test_who_why_where_when_questions_are_never_refused_for_want_of_a_figure(messy, question, doc, lines):
    answer = messy.ask(question)
    assert answer.status == "answered" and answer.value is None
    assert (Path(answer.citations[0].doc).name, answer.citations[0].lines) == (doc, lines)


@pytest.mark.parametrize("question, span, sentence, doc, lines, text", [
    # "by MAPPA Area" tells "12. Serious Further Offences by MAPPA Area 23" from "10. Serious Further Offences 20".
    ("Which page has serious further offences by MAPPA area in the 2017/18 bulletin?", "23",
     "“12. Serious Further Offences by MAPPA Area” is on page 23 of the England and Wales 2017/18 report (from its "
     "contents page).", "england-and-wales-2017-18.txt", (54, 54), "12. Serious Further Offences by MAPPA Area 23"),
    # "which pages": the range as printed
    ("Which pages set out 'Who We Are' (roles and responsibilities) in London's 2002-03 MAPPA report?", "18 – 21",
     "“Who We Are – Summary of roles and responsibilities” is on pages 18 – 21 of the London 2002/03 report (from "
     "its contents page).", "london-2002-03.txt", (42, 42), "Who We Are – Summary of roles and responsibilities 18 – 21"),
])
def test_page_questions_from_contents_pages(messy, question, span, sentence, doc, lines, text):
    answer = messy.ask(question)
    assert (answer.span, answer.answer) == (span, sentence)
    citation = answer.citations[0]
    assert (Path(citation.doc).name, citation.lines, citation.text) == (doc, lines, text)


@pytest.mark.parametrize("question, span, doc, lines", [
    ("Which government department publishes the national MAPPA annual report for 2017/18?", "Ministry of Justice",
     "england-and-wales-2017-18.txt", (4, 4)),
    ("Who publishes the Cheshire 2002-3 MAPPA report?", "Home Office", "cheshire-2002-03.txt", (5, 5)),
    ("Which annual report number is Lancashire's MAPPA report for 2003-2004?", "third", "lancashire-2003-04.txt", (37, 40)),
])
def test_questions_about_the_report_itself_are_answered_from_its_opening(messy, question, span, doc, lines):
    # "publishes", "annual report number": words no passage holds, so no passage is relevant; the cover is
    answer = messy.ask(question)
    assert (answer.status, answer.kind, answer.span, answer.value) == ("answered", "passage", span, None)
    assert (Path(answer.citations[0].doc).name, answer.citations[0].lines) == (doc, lines)
    assert span in answer.answer


@pytest.mark.parametrize("question, span, doc, lines", [
    # "Scottish" beside a named Scottish report, asking which Act: no wider scope of figures
    ("Which Act requires the statistics section in Scottish MAPPA annual reports, according to Lanarkshire's 2023 report?",
     None, "lanarkshire-2022-23.txt", (11, 23)),
    # Newbury is the office whose number is asked for, not a scope of figures; the passage naming it comes first
    ("What number does the Thames Valley MAPPA report 2002 give for Victim Support in Newbury?", "01635 524493/4",
     "thames-valley-2001-02.txt", (54, 75)),
])
def test_an_item_of_the_text_is_not_refused_for_the_place_it_is_in(messy, question, span, doc, lines):
    answer = messy.ask(question)
    assert (answer.status, answer.kind, answer.value, answer.span) == ("answered", "passage", None, span)
    assert (Path(answer.citations[0].doc).name, answer.citations[0].lines) == (doc, lines)


def test_a_figure_for_a_town_is_still_refused(messy):
    answer = messy.ask("How many registered sex offenders live in Newbury?")
    assert answer.status == "not_found" and answer.value is None


def test_the_area_as_the_question_names_it_is_no_word_of_what_it_asks(messy):
    # "Isle of Wight" names Hampshire's area, as "Hampshire" does: "purpose" is what is asked
    query = messy.parse("What is the purpose of the Hampshire and Isle of Wight MAPPA annual report 2015-16?")
    assert set(messy.question_weights(query)) == {"purpo"}
    answer = messy.ask(query.text)
    assert answer.answer.startswith("The purpose of this report is to is to demonstrate the accountability of MAPPA")
