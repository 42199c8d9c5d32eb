"""Sentences of a passage as written (qa/sentences.py), on small invented texts."""

from qa.sentences import split_sentences


def test_sentences_run_together_without_a_space_are_split():
    text = "The board met twice.It published the guidance in April.The review,e.g.in 2003, went on."
    assert [s.text for s in split_sentences(text, 7)] == [
        "The board met twice.", "It published the guidance in April.", "The review,e.g.in 2003, went on."]
