"""Questions about a report as a document (its cover title, publisher, which annual report it is), read from
the opening lines of real PDF-extracted reports (eval/messy/reports)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from qa.cover import EDITION, PUBLISHER, TITLE, _edition, _publisher, _title, cover, cover_question

MESSY = ROOT / "eval" / "messy" / "reports"


def opening(name: str, last: int = 60) -> str:
    return "\n".join(MESSY.joinpath(name).read_text(encoding="utf-8").split("\n")[:last])


@pytest.mark.parametrize("question, kind", [
    ("What is the title on the front of the Cambridgeshire MAPPA report 2005/06?", TITLE),
    ("What slogan is on the cover of the Lincolnshire 2005-06 report?", TITLE),
    ("Which government department publishes the national MAPPA annual report for 2017/18?", PUBLISHER),
    ("Who published the Cheshire report?", PUBLISHER),
    ("Which annual report number is Lancashire's MAPPA report for 2003-2004?", EDITION),
    ("Is this the sixth annual report for Cumbria?", EDITION),
    # a clause dates what is asked: the Chief Constable, not the publisher
    ("Who was Chief Constable of Cambridgeshire when the 2014/15 MAPPA annual report was published?", None),
    # a section's title is a page or heading question; a number given for a body is a phone number
    ("What is the title of the section on victims?", None),
    ("What number does the Thames Valley MAPPA report 2002 give for Victim Support in Newbury?", None),
])
def test_cover_questions(question, kind):
    assert cover_question(question) == kind


def test_the_cover_is_read_past_viewer_chrome_up_to_the_contents():
    # line 1 "You are on page 1of 36" is the viewer's; line 9 "Foreword 2" opens the contents page
    assert cover(opening("cambridgeshire-2005-06.txt"), 1) == [
        (3, "Keeping Communities Safe"), (5, "Cambridgeshire Multi-Agency Public Protection"),
        (7, "Arrangements Annual Report 2005/06")]


@pytest.mark.parametrize("name, area, span", [
    ("cambridgeshire-2005-06.txt", "Cambridgeshire and Peterborough", "Keeping Communities Safe"),
    # the first cover line that says more than "MAPPA Annual Report" and the area
    ("lincolnshire-2005-06.txt", "Lincolnshire", "Helping to keep Lincolnshire safe"),
    ("london-2002-03.txt", "London", "Protecting the Public in Partnership"),
])
def test_the_title_is_the_cover_line_that_names_more_than_the_report(name, area, span):
    assert _title(opening(name), 1, area).span == span


def test_the_publisher_is_a_published_by_line_else_a_body_on_the_cover():
    found = _publisher(opening("cheshire-2002-03.txt"), 1)
    assert (found.span, found.lines) == ("Home Office", (5, 5))
    found = _publisher(opening("england-and-wales-2017-18.txt"), 1)
    assert (found.span, found.lines) == ("Ministry of Justice", (4, 4))


def test_which_annual_report_is_read_from_the_sentence_numbering_it():
    found = _edition(opening("lancashire-2003-04.txt"), 1)
    assert (found.span, found.lines) == ("third", (37, 40))
    assert "this, the third, annual report by the Lancashire Area Responsible Authority." in found.text
