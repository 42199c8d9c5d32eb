"""Typing slips put right before a question is read, and real words left alone."""

import pytest

from qa.spelling import correct


def _nothing_indexed(words):
    return set()


@pytest.mark.parametrize(
    "typed, read",
    [
        ("cheshire total mappa eligable 2023", "cheshire total mappa eligible 2023"),
        ("sex offenders in cambs & peterbrough", "sex offenders in cambs & peterborough"),
        ("how many SHPOs in Norflok", "how many SHPOs in norfolk"),  # two letters swapped: one edit
        ("across the whole year", "across the whole year"),  # "whole" is English, not a slip for "whose"
        ("how many sex offenders live in Chester", "how many sex offenders live in Chester"),  # a place
        ("the weather tomorrow", "the weather tomorrow"),  # near no domain word
        ("shpos in kent", "shpos in kent"),  # words under five letters are left alone
    ],
)
def test_slips_corrected_and_words_left_alone(typed, read):
    assert correct(typed, _nothing_indexed) == read


def test_a_word_the_reports_print_is_never_corrected():
    assert correct("eligable people", lambda words: {"eligable"}) == "eligable people"


def test_index_reads_the_corrected_question_and_answers_the_question_typed(index):
    answer = index.ask("how many registerd sex offenders in cambs & peterbrough as of end of march 2025?")
    assert (answer.value, answer.area, answer.period) == (1075, "Cambridgeshire and Peterborough", "2024/25")
    assert answer.question == "how many registerd sex offenders in cambs & peterbrough as of end of march 2025?"
