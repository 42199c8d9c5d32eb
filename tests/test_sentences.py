"""Sentences of a passage as written (qa/sentences.py), on small invented texts."""

from qa.sentences import split_sentences, with_neighbour


def test_sentences_run_together_without_a_space_are_split():
    text = "The board met twice.It published the guidance in April.The review,e.g.in 2003, went on."
    assert [s.text for s in split_sentences(text, 7)] == [
        "The board met twice.", "It published the guidance in April.", "The review,e.g.in 2003, went on."]


def test_a_sentence_is_read_with_the_neighbour_that_holds_what_is_asked():
    sentences = split_sentences("The board met in the spring. It was chaired by Jane Smith. Its plan was agreed.", 3)
    named = with_neighbour(sentences, 0, lambda text: "Jane" in text)
    assert (named.text, named.lines) == ("The board met in the spring. It was chaired by Jane Smith.", (3, 3))
    assert with_neighbour(sentences, 2, lambda text: "Jane" in text).text == (
        "It was chaired by Jane Smith. Its plan was agreed.")
    assert with_neighbour(sentences, 0, lambda text: "Bob" in text) == sentences[0]


def test_a_reason_is_the_sentence_after_the_statement():
    text = "We welcome lay members.\nThe public cannot trust a closed system.\nReaders may worry."
    sentences = split_sentences(text, 10)
    assert with_neighbour(sentences, 0, lambda text: False, next_anyway=True).text == (
        "We welcome lay members. The public cannot trust a closed system.")
    # At the passage's end, the sentence before it.
    assert with_neighbour(sentences, 2, lambda text: False, next_anyway=True).lines == (11, 12)


def test_two_signatures_side_by_side_keep_their_roles_across_blank_lines():
    text = ("If you would like to know more, a list of contact numbers is included.\n\n"
            "Christine Lawrie Sir David Phillips QPM\n\n\n"
            "Chief Officer Chief Constable\n"
            "Kent Probation Area Kent County Constabulary")
    sentences = [(s.text, s.lines) for s in split_sentences(text, 26)]
    assert ("Christine Lawrie Sir David Phillips QPM — Chief Officer Chief Constable Kent Probation Area Kent "
            "County Constabulary", (28, 32)) in sentences


def test_a_signature_holding_its_role_is_not_read_with_the_next_sentence():
    text = "Christine Graham MAPPA SMB Lay Advisor\n\nAll reports are published online at: www.gov.uk"
    assert [s.text for s in split_sentences(text)][0] == "Christine Graham MAPPA SMB Lay Advisor"
