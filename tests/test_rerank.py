"""The second ranking stage (qa/rerank.py) and the answer types it reads (qa/answertype.py), on the seeds."""

from pathlib import Path

import pytest
from conftest import seed_lines

from qa import rerank
from qa.answertype import (
    COUNT,
    DATE,
    EXPANSION,
    PERSON,
    Wanted,
    asked_for,
    asks_author,
    focus,
    holds,
    is_signature,
    items,
)


@pytest.mark.parametrize("words, expected", [
    (("referred", "referral"), "refer"), (("adviser", "advisor", "advisers"), "advis"),
    (("appointed", "appoints", "appoint"), "appoint"), (("managed", "management", "manages"), "manag"),
])
def test_roots_match_word_forms(words, expected):
    assert {rerank.root(w) for w in words} == {expected}


def test_span_share_is_the_best_window_of_close_terms():
    weights = {"curfew": 2.0, "young": 1.0, "offend": 1.0}
    words = ["young", "man"] + ["x"] * 20 + ["curfew", "for", "the", "offend"]
    assert rerank.span_share(words, weights, 4.0) == 0.75  # curfew and offend are 3 apart; young is 22 away
    assert rerank.span_share(words, weights, 4.0, width=30) == 1.0


def test_question_weights_leave_out_scope_words_years_and_filler(index):
    query = index.parse("who chairs the london mappa smb 2024/25")
    weights = index.question_weights(query)
    assert set(weights) == {"chair", "smb", "strategic", "manag", "board"}  # SMB: strategic management board
    assert all(w > 0 for w in weights.values())


@pytest.mark.parametrize("question, fused, reranked, words", [
    # The chair's signature, not the board's section, holds the name asked for.
    ("who chairs the cambridgeshire and peterborough mappa smb 2024/25", (195, 199), (15, 23), "Sarah Port"),
    # The count of chairs trained, not the course description that repeats the question's words.
    ("how many new mappa chairs were trained in london in 2024-25", (207, 211), (213, 215), "57 newly appointed"),
    # The signatures under the introduction: 21st of the fused passages, read again because CANDIDATES is 30.
    ("who signed the cambridgeshire mappa report 2014-15 for the national probation service", (124, 126), (19, 35),
     "Matthew Ryder"),
    ("what percentage of mappa offenders were managed at level 1 in cambridgeshire 2014/15", (100, 106), (100, 106),
     "93% this year"),
])
def test_second_stage_puts_the_passage_holding_the_answer_first(index, question, fused, reranked, words):
    assert index.search(question, retriever="fused")[0].lines == fused
    first = index.search(question)[0]
    assert first.lines == reranked and words in first.text
    lines = seed_lines(Path(first.doc).name)
    assert first.text == "\n".join(lines[reranked[0] - 1 : reranked[1]])


def test_second_stage_keeps_the_fused_candidates(index):
    question = "how often does the london smb meet 2024/25"
    fused = {c.lines for c in index.search(question, top_k=rerank.CANDIDATES, retriever="fused")}
    assert len(fused) == rerank.CANDIDATES == 30
    assert {c.lines for c in index.search(question, top_k=rerank.CANDIDATES)} == fused


@pytest.mark.parametrize("question, wanted", [
    ("who chairs norfolk smb 2024-25", Wanted(PERSON, ("chairs",))),
    ("when was the norfolk mappa pc role introduced (2024/25 report)", Wanted(DATE)),
    ("how many new mappa chairs were trained in london in 2024-25", Wanted(COUNT, ("chairs",))),
    ("what does MARAC stand for in cheshire mappa 2022/23", Wanted(EXPANSION, ("MARAC",))),
    ("describe the role of the lay adviser", None),
    ("how many offenders who breach their licence are recalled", Wanted(COUNT, ("offenders",))),
])
def test_what_a_question_asks_for(question, wanted):
    assert asked_for(question) == wanted


def test_focus_is_what_the_question_is_about():
    assert focus("which probation division manages terrorist risk offenders") == ("probation", "division")
    assert focus("what curfew was the young violent offender on") == ("curfew",)
    assert focus("whats the max sentence for a sex offender who doesn't comply") == ()


@pytest.mark.parametrize("kind, text, noun, found", [
    (PERSON, "Alec Wood Chief Constable Cambridgeshire Constabulary", (), ["Alec Wood"]),
    (PERSON, "ACC Chris Balmer Chair, MAPPA Strategic Management Board", (), ["ACC Chris Balmer"]),
    (PERSON, "Sexual Harm Prevention Orders and the Strategic Management Board", (), []),
    (PERSON, "That content is reviewed by a specialist behavioural analyst, and if deemed", ("reviews",),
     ["a specialist behavioural analyst"]),
    (DATE, "MAPPA training is taking place on 4th and 5th February 2026.", (), ["4th and 5th February 2026"]),
    (DATE, "will be held in the year 2025-26 and will", (), []),
    (COUNT, "three two-day MAPPA Chair Training events were delivered, training 57 newly appointed MAPPA Chairs.",
     ("chairs",), ["57", "three"]),
    (EXPANSION, "Across Cheshire Multi-Agency Risks Assessment Conferences (MARACs) are held.", ("MARAC",),
     ["Multi-Agency Risks Assessment Conferences"]),
])
def test_items_of_each_type(kind, text, noun, found):
    assert [text[a:b] for a, b in items(kind, text, noun)][: len(found) or None] == found


def test_a_count_must_count_the_noun_asked_about():
    assert holds(Wanted(COUNT, ("chairs",)), "providing training to a total of 57 newly appointed MAPPA Chairs")
    assert not holds(Wanted(COUNT, ("chairs",)), "There were 57 events in the year for the board")


@pytest.mark.parametrize("question, author", [
    ("who wrote the MPS digital management of registered sex offenders piece in london mappa 2024-25", True),
    ("which chief constable signed the cambridgeshire 2014/15 mappa annual report", True),
    ("Who wrote the foreword to London's MAPPA annual report for 2002-2003?", True),
    ("who chairs the london mappa smb 2024/25", False),
    ("how many offenders who signed up to the programme", False),  # a count, not a person
])
def test_who_wrote_or_signed_asks_for_an_author(question, author):
    assert asks_author(question) is author


@pytest.mark.parametrize("text, signature", [
    ("DC Phil Preston – Digital Tactical Policy Advisor Central Jigsaw Tea", True),
    ("Matthew Ryder — Head of Cambridgeshire LDU — National Probation Service", True),
    ("Alec Wood Chief Constable Cambridgeshire Constabulary", True),
    ("MPS Digital Management of Registered Sex Offenders", False),  # a heading: no name first
    ("Mr A is serving a life sentence for committing a sexually motivated murder.", False),  # a sentence
    ("The role was introduced by Chris Balmer", False),  # the name is not first
])
def test_a_signature_is_a_name_first_and_no_sentence(text, signature):
    assert is_signature(text) is signature
