"""How questions in users' words are read: areas, periods, measures, and what is not a request for a figure."""

import pytest

from qa.query import parse_question


@pytest.mark.parametrize(
    "question, areas, periods, measure, category, levels",
    [
        ("how many SHPOs in Norfolk 2024/25", ("Norfolk",), ("2024/25",), "shpo", None, ()),
        ("met level 3 cat 3 returned to custody 2024/25", ("London",), ("2024/25",), "custody_licence_breach", 3, (3,)),
        ("cheshire level 3 yearly total in 2023", ("Cheshire",), ("2022/23",), "eligible_l23", None, (3,)),
        ("cheshire level 2 and level 3 combined on 31 march 2023", ("Cheshire",), ("2022/23",), "eligible", None, (2, 3)),
        ("number of registered sex offenders in london 2024/25", ("London",), ("2024/25",), "eligible", 1, ()),
    ],
)
def test_fact_questions(question, areas, periods, measure, category, levels):
    query = parse_question(question)
    assert (query.areas, query.periods, query.measure, query.category, query.levels) == (
        areas, periods, measure, category, levels)


@pytest.mark.parametrize(
    "question",
    [
        "who manages category 1 nominals in norfolk 2024-25",
        "how many categories of mappa-eligible offender does the cambridgeshire 2014-15 report list",
        "how many main digital tools does the Met use to monitor registered sex offenders, london 2024-25",
        "what percentage of mappa offenders were managed at level 1 in cambridgeshire 2014/15",
        "case study 1 how long until stepped down to level 1, cambridgeshire 2024/25",
        "what was mr a convicted of in case study c, cambridgeshire 2014/15",
    ],
)
def test_questions_about_the_prose_do_not_ask_for_a_figure(question):
    assert parse_question(question).measure is None


@pytest.mark.parametrize(
    "question, periods",
    [
        ("london mappa 2024/25 june 2024 chairs forum topic", ("2024/25",)),
        ("how many new offences detected since 2020 (london 2024/25)", ("2024/25",)),
        ("what did the chairs forum in june 2024 cover", ()),
        ("norfolk shpos 2025", ("2024/25",)),
        ("the met SRO breach in 2024 to 2025", ("2024/25",)),
    ],
)
def test_dates_are_not_periods(question, periods):
    assert parse_question(question).periods == periods


def test_met_is_london_only_as_a_name():
    assert parse_question("met level 3 2024/25").areas == ("London",)
    assert parse_question("how often the board met in norfolk 2024/25").areas == ("Norfolk",)
    assert parse_question("how often the board met 2024/25").areas == ()
