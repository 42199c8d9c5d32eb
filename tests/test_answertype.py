"""What a question asks for and where a sentence holds it (qa/answertype.py), on small invented texts."""

import pytest

from qa.answertype import (
    DATE,
    NAME,
    PAGE,
    PHONE,
    PLACE,
    REASON,
    Wanted,
    asked_for,
    asks_for_text,
    focus,
    holds,
    items,
)


@pytest.mark.parametrize("question, kind", [
    # "when" after the question's own wh-word opens a clause: the question asks for the job.
    ("What job did Jane Smith hold when she wrote the foreword?", NAME),
    ("when was the unit opened", DATE),
    # A town is a place, not any capitalised name.
    ("In which town is the police headquarters?", PLACE),
    ("What is the telephone number of the probation office at Lime House?", PHONE),
    ("Which phone number is listed for the borough council?", PHONE),
    # "why" asks for a reason, whatever count the question names.
    ("Why is the number of people on the register going up?", REASON),
    ("Where in the 2017/18 national MAPPA report is revocation covered?", PAGE),
])
def test_the_kind_a_question_asks_for(question, kind):
    assert asked_for(question).kind == kind


def test_words_naming_the_type_asked_for_are_not_what_the_question_is_about():
    assert focus("in what month was the guidance published") == ()
    assert focus("what job did Jane Smith hold") == ()
    assert focus("which probation division manages the cases") == ("probation", "division")


@pytest.mark.parametrize("kind, text, found", [
    (DATE, "we published the guidance in April.", ["in April"]),
    (DATE, "The board may meet again.", []),  # "may" is no month without a preposition before it
    (PHONE, "Tel: 01228 560057, or 0118 974 6000; Newbury 01635 524493/4 (2004 2005)",
     ["01228 560057", "0118 974 6000", "01635 524493/4"]),
])
def test_items_of_the_new_kinds(kind, text, found):
    assert [text[a:b] for a, b in items(kind, text)] == found


def test_a_sentence_without_a_phone_number_does_not_hold_one():
    assert holds(Wanted(PHONE), "Slough Borough Council 01753 552288")
    assert not holds(Wanted(PHONE), "There were 1,283 people in 2025.")


def test_a_month_with_its_year_is_read_whole():
    text = "The role was introduced in July 2024 and the guidance in April."
    assert [text[a:b] for a, b in items(DATE, text)] == ["July 2024", "in April"]


@pytest.mark.parametrize("question, kind, text_item", [
    ("What number does the Thames Valley MAPPA report 2002 give for Victim Support in Newbury?", "phone", True),
    ("What number of offenders were managed at level 3 in Norfolk?", "count", False),
    ("What number does the report give for SHPOs in Norfolk?", "count", False),
    ("Which Act requires the statistics section in Scottish MAPPA annual reports?", "name", True),
])
def test_a_number_given_for_a_service_is_its_phone_number(question, kind, text_item):
    assert asked_for(question).kind == kind
    assert asks_for_text(question) is text_item
