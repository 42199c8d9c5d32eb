"""Facts found by what they mean: descriptions, paraphrases of every measure, refusals, other tables."""

from pathlib import Path

import pytest

import qa
from qa.facts import series_text
from qa.tables import parse_tables


def test_every_fact_is_described_by_what_it_counts(index):
    facts = index.facts(area="Norfolk")
    shpo = next(f for f in facts if f.measure == "shpo")
    assert "Sexual Harm Prevention Orders" in shpo.series and "SOPO" in shpo.series  # the order it replaced
    assert "during the year" in shpo.series and "Restrictive orders for Category 1 offenders" in shpo.series
    eligible = next(f for f in facts if f.measure == "eligible" and f.category == 2 and f.level == 1)
    assert "on 31 March snapshot" in eligible.series and eligible.cell == "Level 1 | Category 2: Violent offenders"
    assert series_text(None, "Table 3", "Women", "year") == "Table 3 | Women | during the year"


# Paraphrases of every measure, none of them in the gold set's words: (question, value, measure).
PARAPHRASES = [
    ("how many people were on the sex offenders register in Norfolk on 31 March 2025", 1286, "eligible"),
    ("Norfolk: offenders managed at levels 2 and 3 over the year 2024/25", 96, "eligible_l23"),
    ("how many registered sex offenders got a caution for breaking the rules in norfolk 2024/25", 11, "notification_breach_cautioned"),
    ("number of RSOs prosecuted and convicted for failing to comply with notification, norfolk 2024/25", 23, "notification_breach_convicted"),
    ("how many people were taken off the register on appeal in norfolk 2024/25", 12, "notification_revoked"),
    ("sexual harm prevention orders granted by the courts in norfolk 2024/25", 118, "shpo"),
    ("norfolk SHPOs with a foreign travel ban 2024/25", 1, "shpo_travel"),
    ("how many notification orders were made in norfolk 2024/25", 4, "notification_order"),
    ("how many SOPOs did cambridgeshire impose in 2014/15", 69, "sopo"),
    ("foreign travel orders cambridgeshire 2014/15", 0, "fto"),
    ("people added to the register after breaching a sexual risk order, norfolk 2024/25", 0, "sro_breach"),
    ("how many offenders were sent back to prison for breaking their licence in norfolk 2024/25", 21, "custody_licence_breach"),
    ("norfolk recalls for breaching an SHPO 2024/25", 2, "custody_shpo_breach"),
    ("what is the rate of registered sex offenders per head of population in norfolk 2024/25", 151, "notification_rate"),
    ("people on the sex offender register for every 100,000 residents in norfolk 2024/25", 151, "notification_rate"),
    ("total number of people subject to MAPPA in London on 31st March 2025", 11220, "eligible"),
    ("registered sex offenders managed at level 3 in cambridgeshire at any point in 2024-25", 5, "eligible_l23"),
    ("how many foreign travel orders did cambridgeshire get in 2014-15", 0, "fto"),
]


@pytest.mark.parametrize("question, value, measure", PARAPHRASES)
def test_paraphrases_of_every_measure_find_it(index, question, value, measure):
    answer = index.ask(question)
    assert (answer.status, answer.value, answer.facts[0].measure) == ("answered", value, measure), answer.answer
    fact = answer.facts[0]
    assert answer.citations[0].lines[0] <= fact.lines[0] and fact.lines[1] <= answer.citations[0].lines[1]


@pytest.mark.parametrize(
    "question, reason",
    [
        ("how many SHPOs in Devon 2024/25", "No report for Devon and Cornwall is indexed."),
        ("how many SHPOs in Narnia 2024/25", "names no area"),
        ("how many registered sex offenders live in Norwich", "Norwich is not a MAPPA area"),
        ("how many SHPOs were issued in England and Wales in 2024/25", "area reports"),
        ("total number of registered sex offenders in Scotland 2024/25", "area reports"),
        ("how many SHPOs in each London borough 2024/25", "not by borough"),
        ("how many female registered sex offenders in Norfolk 2024/25", "by sex or gender"),
        ("how many sex offenders in norfolk are missing or wanted 2024/25", "by whereabouts"),
        ("how many SHPOs are currently in force in Norfolk 2024/25", "not how many are in force"),
        ("how many SHPOs were issued in 2024/25", "names no area"),
        ("how many sexual risk orders were granted in Norfolk 2024/25", "No MAPPA statistics table counts"),
        ("how many MAPPA offenders were there in Norfolk during 2024/25", "only on 31 March"),
        ("cheshire cat 1 cautioned (not convicted) for breach of notification 2022/23", "give no figure"),
        ("How many interim SHPOs were made in Norfolk in 2024/25?", "by kind of order"),
        ("Of the SHPOs made in Norfolk in 2024/25, how many were on a free-standing application by the police?",
         "by kind of order"),
        ("Of the SHPOs imposed in Norfolk in 2024/25, how many were standalone applications?", "by kind of order"),
        ("How many applications to come off the register (review of indefinite notification requirements) did Norfolk "
         "Constabulary receive in 2024-25?", "appeals and applications"),
        ("How many people were convicted of breaching a SHPO in Norfolk in 2024/25?", "No MAPPA statistics table counts"),
        ("What's the rate of violent offenders per 100,000 population in Cheshire (2022/23)?", "Category 1"),
        ("rate of SHPOs per 100,000 in norfolk 2024/25", "as a count, not as a rate"),
        ("?!", "Nothing in the indexed reports"),
        ("what is the capital of France", "Nothing in the indexed reports"),
    ],
)
def test_refusals_say_why_and_give_the_nearest_figure(index, question, reason):
    answer = index.ask(question)
    assert (answer.status, answer.value) == ("not_found", None), answer.answer
    assert reason in answer.answer
    assert not answer.facts or answer.note.startswith("Nearest figures held")


@pytest.mark.parametrize("question", [
    "How are people made subject to an SRO recorded on ViSOR?",
    "What is the minimum length of a Sexual Risk Order?",
])
def test_questions_about_the_text_are_not_answered_or_refused_from_the_tables(index, question):
    answer = index.ask(question)
    assert answer.kind == "passage" and answer.value is None, answer.answer


def test_a_refusal_names_each_area_when_none_is_named(index):
    answer = index.ask("how many SHPOs were issued in 2024/25")
    assert "Cambridgeshire and Peterborough 2024/25: 135" in answer.note and "London 2024/25: 559" in answer.note
    assert {f.area for f in answer.facts} == {"Cambridgeshire and Peterborough", "London", "Norfolk"}


@pytest.mark.parametrize("question", [
    "How much did Cambridgeshire's yearly total of Level 2 and 3 MAPPA offenders fall between 2014/15 and 2024/25?",
    "how many fewer level 2 and 3 offenders over the year in cambridgeshire in 2024/25 than in 2014/15",
    "The yearly count of Level 2 and 3 cases in Cambridgeshire: how big was the fall from 2014/15 to 2024/25?",
])
def test_a_fall_is_answered_with_its_size(index, question):
    answer = index.ask(question)
    assert (answer.kind, answer.value) == ("aggregate", 94), answer.answer
    assert sorted(f.value for f in answer.facts) == [62, 156]


def test_sums_over_named_areas_cite_every_operand(index):
    answer = index.ask("total SHPOs across London, Norfolk and Cambridgeshire and Peterborough in 2024/25")
    assert (answer.kind, answer.value) == ("aggregate", 812)
    assert sorted(f.value for f in answer.facts) == [118, 135, 559]


OLD_TABLE = """Annual Report 2005/06
Thames Valley MAPPA

Table 1 (INVENTED NUMBERS FOR A TEST: not from any report)
Offenders by category\tMen\tWomen\tTotal
Registered sex offenders\t1,234\t56\t1,290
Violent and other sexual offenders\t640\t31\t671

Commentary
The figures above are invented to test reading a table outside the national template.
"""


def test_a_table_outside_the_template_is_read_by_its_labels(tmp_path):
    lines = OLD_TABLE.split("\n")
    cells = [c for c in parse_tables(lines) if c.measure is None]
    assert {(c.row, c.column, c.value) for c in cells} >= {
        ("Registered sex offenders", "Women", 56), ("Violent and other sexual offenders", "Total", 671)}
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "old.txt").write_text(OLD_TABLE, encoding="utf-8")
    qa.build_index([tmp_path / "reports"], tmp_path / "index")
    index = qa.open_index(tmp_path / "index")
    answer = index.ask("how many women violent and other sexual offenders in thames valley 2005/06")
    assert (answer.status, answer.value) == ("answered", 31), answer.answer
    assert answer.facts[0].measure is None and answer.facts[0].lines == (7, 7)
    assert Path(answer.citations[0].doc).name == "old.txt"


def test_two_reports_that_disagree_give_both_values_each_cited(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "seeds" / "004_b79ee1c3b7c55e1b.txt").read_text(encoding="utf-8")
    corpus = tmp_path / "reports"
    corpus.mkdir()
    (corpus / "norfolk.txt").write_text(text, encoding="utf-8")
    (corpus / "norfolk-revised.txt").write_text(
        text.replace("Sexual Harm Prevention Order (SHPO)\t118", "Sexual Harm Prevention Order (SHPO)\t120"), encoding="utf-8")
    qa.build_index([corpus], tmp_path / "index")
    answer = qa.open_index(tmp_path / "index").ask("how many SHPOs in Norfolk 2024/25", top_k=1)
    assert "disagree" in answer.note and "118" in answer.note and "120" in answer.note
    assert answer.value == answer.facts[0].value and {f.value for f in answer.facts} == {118, 120}
    assert len(answer.citations) == 1  # --top-k bounds citations
    first, cited = answer.facts[0], answer.citations[0]
    assert cited.doc == first.doc and cited.lines[0] <= first.lines[0] <= cited.lines[1]


def test_a_national_report_answers_for_england_and_wales_and_no_other_scope(tmp_path):
    # A national report made for the test from the Norfolk seed: its figures are Norfolk's, not national ones.
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    national = "Ministry of Justice\n\n" + (seeds / "004_b79ee1c3b7c55e1b.txt").read_text(encoding="utf-8").replace(
        "Norfolk", "England and Wales")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "national.txt").write_text(national, encoding="utf-8")
    (tmp_path / "reports" / "london.txt").write_text((seeds / "002_c7e779d3e77a4788.txt").read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    qa.build_index([tmp_path / "reports"], tmp_path / "index")
    index = qa.open_index(tmp_path / "index")
    assert {r.area for r in index.list_reports()} == {"England and Wales", "London"}
    for question in ("how many SHPOs in England and Wales 2024/25", "how many SHPOs were made nationally in 2024/25"):
        answer = index.ask(question)
        assert (answer.status, answer.value, answer.area) == ("answered", 118, "England and Wales"), answer.answer
        assert Path(answer.citations[0].doc).name == "national.txt"
    for question in ("how many SHPOs in Scotland 2024/25", "how many SHPOs in the UK 2024/25"):
        assert index.ask(question).status == "not_found"
    assert index.ask("how many SHPOs in London 2024/25").value == 559
    assert index.ask("how many SHPOs", area="England and Wales", period="2024/25").value == 118


def test_framing_words_are_never_what_a_figure_is_described_by(index):
    """The words a question is framed in ("my editor wants to know", "the actual number") are left out of what
    it asks about, so none may be a word of any description."""
    from qa.lookup import roots
    from qa.text import tokenize
    from qa.vocabulary import FRAMING_WORDS

    framing = roots(tokenize(FRAMING_WORDS))
    rows, _ = index.series_table
    assert not [text for text, tokens in rows.values() if framing & tokens]


@pytest.mark.parametrize("question, value", [
    ("I live in Cheshire and want to know the size of the sex offenders register here on 31 March 2023. What was it?",
     1424),
    ("Writing a piece for the local paper: how many registered sex offenders were living in the community across "
     "Cambridgeshire and Peterborough at the end of March 2025?", 1075),
    ("How many people are on the sex offenders register in London? I'm after the MAPPA Category 1 total for 31 March "
     "2025.", 7400),
])
def test_a_figure_wrapped_in_why_it_is_asked(index, question, value):
    answer = index.ask(question)
    assert (answer.status, answer.value) == ("answered", value), answer.answer


def test_a_title_run_on_from_prose_is_cut_to_its_last_sentence():
    """Text extracted without line breaks runs a page of prose into the title of the table after it: the
    description keeps the title, not the prose ("how many people attended the event" is no MAPPA-eligible count)."""
    from qa.facts import LABEL_WORDS, series_text

    title = "The event was attended by over 800 people. Most events will be held in 2025-26. " \
            "MAPPA-eligible individuals on 31 March 2025"
    text = series_text("eligible", title, "Level 1", "snapshot")
    assert "MAPPA-eligible individuals on 31 March 2025" in text and "attended" not in text and "events" not in text
    long_row = " ".join(f"word{i}" for i in range(40))
    assert series_text(None, "Table", long_row, "year").split(" | ")[1].split() == long_row.split()[-LABEL_WORDS:]
