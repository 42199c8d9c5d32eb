"""How questions in users' words are read: scope, cell, operation, intent, and the words of what is counted."""

import pytest

from qa.query import parse_question
from qa.vocabulary import find_scopes


@pytest.mark.parametrize(
    "question, areas, periods, category, levels, terms",
    [
        ("how many SHPOs in Norfolk 2024/25", ("Norfolk",), ("2024/25",), None, (), ("shpo", "sexual", "harm", "prevention", "order")),
        ("met level 3 cat 3 returned to custody 2024/25", ("London",), ("2024/25",), 3, (3,), ("returned", "custody")),
        ("cheshire level 3 yearly total in 2023", ("Cheshire",), ("2022/23",), None, (3,), ()),
        ("cheshire level 2 and level 3 combined on 31 march 2023", ("Cheshire",), ("2022/23",), None, (2, 3), ()),
        ("number of registered sex offenders in london 2024/25", ("London",), ("2024/25",), 1, (), ()),
        ("cheshire cat 1 cautioned (not convicted) for breach 2022/23", ("Cheshire",), ("2022/23",), 1, (), ("cautioned", "breach")),
    ],
)
def test_scope_cell_and_terms(question, areas, periods, category, levels, terms):
    query = parse_question(question)
    assert (query.areas, query.periods, query.category, query.levels, query.terms) == (areas, periods, category, levels, terms)
    assert query.wants_number


@pytest.mark.parametrize(
    "question, levels",
    [
        ("violent offenders whose risk needed several agencies to meet and plan, cheshire 2022-23", (2,)),
        ("offenders needing active involvement from more than one agency, but not senior-level oversight", (2,)),
        ("violent offenders needing several agencies to plan, short of senior-level involvement", (2,)),
        ("offenders managed at the senior-level tier in london 2024/25", (3,)),
        ("offenders managed by the lead agency alone in norfolk 2024/25", (1,)),
    ],
)
def test_levels_in_the_words_of_their_definitions(question, levels):
    assert parse_question(question).levels == levels


@pytest.mark.parametrize(
    "question, unheld",
    [
        ("london offenders who fall outside the sex offender and violent offender categories at level 3",
         ("a category described by what it is not",)),
        ("violent offenders (locked up for 12 months or more) at level 2 in cambridgeshire 2014/15", ()),
        ("how many SHPOs were made each month in norfolk 2024/25", ("month or quarter",)),
    ],
)
def test_breakdowns_and_durations(question, unheld):
    assert parse_question(question).unheld == unheld


@pytest.mark.parametrize(
    "question",
    [
        "who manages category 1 nominals in norfolk 2024-25",
        "how many categories of mappa-eligible offender does the cambridgeshire 2014-15 report list",
        "case study 1 how long until stepped down to level 1, cambridgeshire 2024/25",
        "what was mr a convicted of in case study c, cambridgeshire 2014/15",
    ],
)
def test_questions_about_the_prose_do_not_ask_for_a_figure(question):
    query = parse_question(question)
    assert query.about_prose and not query.wants_number


@pytest.mark.parametrize("question, share", [
    ("what percentage of mappa offenders were managed at level 1 in cambridgeshire 2014/15", ((None, 1), (None, None))),
    ("what share of category 1 offenders were at level 2 in norfolk", ((1, 2), (1, None))),
    ("what proportion of level 3 offenders are violent in london", ((2, 3), (None, 3))),
    ("what percentage of category 1 offenders were category 2", None),  # no part of that whole
    ("What is DWP attendance like at Norfolk MAPPA meetings now? (100%)", None),
])
def test_a_share_of_one_grid_names_its_part_and_its_whole(question, share):
    query = parse_question(question)
    assert query.share == share and (query.operation == "share") == bool(share)


@pytest.mark.parametrize(
    "question, places, wider, unheld, when",
    [
        ("how many SHPOs in Norwich 2024/25", ("Norwich",), None, (), None),
        ("registered sex offenders in kings lynn", ("kings lynn",), None, (), None),
        ("how many SHPOs in England and Wales 2024/25", (), "England and Wales", (), None),
        ("how many female sex offenders in norfolk", (), None, ("sex or gender",), None),
        ("how many SHPOs are currently in force in norfolk", (), None, (), "point"),
        ("how many offenders were managed at level 3 over the whole of 2014/15", (), None, (), "year"),
        ("how many SHPOs were issued in Norfolk in January 2025", (), None, ("month or quarter",), None),
    ],
)
def test_what_puts_a_question_outside_the_tables(question, places, wider, unheld, when):
    query = parse_question(question)
    assert (query.places, query.wider, query.unheld, query.when) == (places, wider, unheld, when)


def test_short_forms_are_areas_and_longest_names_win():
    assert parse_question("how many SHPOs in Devon 2024/25").areas == ("Devon and Cornwall",)
    assert parse_question("manchester shpos").areas == ("Greater Manchester",)
    assert parse_question("north wales rsos").areas == ("North Wales",)
    assert parse_question("sex offenders in East Sussex").places == ("East Sussex",)
    assert parse_question("Reading the report").places == ("Reading",) and parse_question("reading the report").places == ()


@pytest.mark.parametrize(
    "question, operation",
    [
        ("which area had the most SHPOs in 2024/25", "max"),
        ("total SHPOs across London, Norfolk and Cambridgeshire in 2024/25", "sum_areas"),
        ("change in shpos in cambridgeshire between 2014/15 and 2024/25", "change"),
        ("how many more SHPOs did London have than Norfolk in 2024/25", "difference"),
        ("Increase in MAPPA-eligible offenders in Cambridgeshire from March 2015 to March 2025?", "change"),
        ("whats the max sentence for a sex offender who fails to sign the register?", None),
        ("What is the minimum length of a Sexual Risk Order?", None),
        ("where were the fewest RSOs per 100k in 2024/25", "min"),
    ],
)
def test_operations(question, operation):
    assert parse_question(question).operation == operation


@pytest.mark.parametrize(
    "question, periods",
    [
        ("london mappa 2024/25 june 2024 chairs forum topic", ("2024/25",)),
        ("how many new offences detected since 2020 (london 2024/25)", ("2024/25",)),
        ("what did the chairs forum in june 2024 cover", ()),
        ("norfolk shpos 2025", ("2024/25",)),
        ("the met SRO breach in 2024 to 2025", ("2024/25",)),
        ("level 3 offenders in Cambridgeshire as at 31/03/2015", ("2014/15",)),
        ("from March 2015 to March 2025", ("2014/15", "2024/25")),
        ("norfolk shpos in the year to March 2025", ("2024/25",)),
        ("how many SHPOs in March 2024 in Norfolk", ("2023/24",)),  # the year ending then; the month is unheld
        ("under the Freedom of Information Act 2000, london cautions in the year to March 2025", ("2024/25",)),
        ("offences under the Sexual Offences Act 2003 in london", ()),
        ("yearly total at level 3, Cambridgeshire, 1 April 2014 - 31 March 2015", ("2014/15",)),
        ("cat 2 offenders at level 2 or 3 between April 2024 and March 2025", ("2024/25",)),
    ],
)
def test_dates_are_not_periods(question, periods):
    assert parse_question(question).periods == periods


def test_met_is_london_only_as_a_name():
    assert parse_question("met level 3 2024/25").areas == ("London",)
    assert parse_question("how often the board met in norfolk 2024/25").areas == ("Norfolk",)
    assert parse_question("how often the board met 2024/25").areas == ()


@pytest.mark.parametrize(
    "question, when",
    [
        ("offenders managed at level 2 in Cambridgeshire across the whole year ending 31 March 2015", "year"),
        ("cat 2 offenders who went through level 2 or 3 management between April 2024 and March 2025", "year"),
        ("registered sex offenders at level 3 at any point in 2024-25", "year"),
        ("how many SHPOs are in force in norfolk", "point"),
        ("level 2 offenders on 31 March 2025", None),
    ],
)
def test_counts_over_the_year_or_at_one_time(question, when):
    assert parse_question(question).when == when


def test_a_level_the_question_rules_out_is_not_asked_for():
    query = parse_question("people convicted of breaching a SHPO in norfolk 2024/25 (all offenders, not just level 2/3 recalls)")
    assert query.levels == () and "recall" not in query.terms


@pytest.mark.parametrize(
    "question, categories, levels, operation",
    [
        ("how many Category 2 and Category 3 offenders were recalled in Norfolk 2024/25", (2, 3), (), "sum_cells"),
        ("how many more at Level 2 than at Level 3 in Cheshire 2022/23", (), (2, 3), "difference_cells"),
        ("violent and sex offenders at level 1 in london 2024/25", (2, 1), (1,), "sum_cells"),
        ("London cases at the most senior multi-agency level over 2024/25", (), (3,), None),
    ],
)
def test_several_cells_of_a_grid(question, categories, levels, operation):
    query = parse_question(question)
    assert (query.categories, query.levels, query.operation) == (categories, levels, operation)


@pytest.mark.parametrize(
    "question, wider, wants_number",
    [
        ("Who was the National Probation Service representative on the Kent SMB?", None, False),  # a body, not a scope
        ("What is the telephone number of the Newbury office?", None, False),  # not a figure
        ("How many areas of England and Wales have MAPPA?", "England and Wales", False),  # counted in the text
        ("how many RSOs in England and Wales 2024/25", "England and Wales", True),
        ("Scottish MAPPA statistics: number of RSOs", "Scottish", True),
    ],
)
def test_bodies_phone_numbers_and_prose_counts(question, wider, wants_number):
    query = parse_question(question)
    assert (query.wider, query.wants_number) == (wider, wants_number)


@pytest.mark.parametrize(
    "question, pairs, operation",
    [
        ("Which recorded more SHPOs: Cheshire in 2022/23 or Norfolk in 2024/25?",
         (("Cheshire", "2022/23"), ("Norfolk", "2024/25")), "max"),
        ("how many more SHPOs did Cheshire have in 2022/23 than Norfolk in 2024/25",
         (("Cheshire", "2022/23"), ("Norfolk", "2024/25")), "difference"),
        ("total SHPOs in Cheshire (2022/23) and Norfolk (2024/25) combined",
         (("Cheshire", "2022/23"), ("Norfolk", "2024/25")), "sum_areas"),
        ("SHPOs in Cheshire and Norfolk in 2024/25", (), None),  # one year for both
        ("how did cambridgeshire change between 2014/15 and 2024/25", (), "change"),  # one area
        ("Which report shows more SHPOs - Cheshire's for 2022/23 or Cambridgeshire & Peterborough's for 2024/25?",
         (("Cheshire", "2022/23"), ("Cambridgeshire and Peterborough", "2024/25")), "max"),
        ("Who managed more people at level 2 or 3 over the year - Cheshire in 2022/23 or Norfolk in 2024/25?",
         (("Cheshire", "2022/23"), ("Norfolk", "2024/25")), "max"),
        # a run of areas sharing one year; an area named again needs no year of its own
        ("Of Cambridgeshire 2014/15, Cheshire 2022/23, and Cambridgeshire and Peterborough, London and Norfolk "
         "2024/25, which had the most SHPOs?", (("Cambridgeshire and Peterborough", "2014/15"), ("Cheshire", "2022/23"),
                                              ("Cambridgeshire and Peterborough", "2024/25"), ("London", "2024/25"),
                                              ("Norfolk", "2024/25")), "max"),
        ("Norfolk in 2024/25 versus Cheshire in 2022/23: how many more SHPOs did Norfolk record?",
         (("Norfolk", "2024/25"), ("Cheshire", "2022/23")), "difference"),
    ],
)
def test_each_area_in_its_own_year(question, pairs, operation):
    query = parse_question(question)
    assert (query.pairs, query.operation) == (pairs, operation)


@pytest.mark.parametrize(
    "question, areas, place, sub_area, terms",
    [
        # The place of a first-person clause is the scope only when the question names none.
        ("I'm a councillor in a London borough and I'd like the overall London figure: how many MAPPA-eligible "
         "people were living in the community across London on 31 March 2025?", ("London",), (), None,
         ("eligible", "community")),
        ("We've just moved to Norfolk with two young kids and I'm a bit anxious. How many people are on the sex "
         "offenders register in the county? (2025 figures)", ("Norfolk",), (), None, ()),
        ("As a parent in Cambridge I'm worried. How many SHPOs in Norfolk in 2024/25?", ("Norfolk",), (), None,
         ("shpo", "sexual", "harm", "prevention", "order")),
        ("I live in a London borough. How many RSOs are there near me?", ("London",), (), "borough", ("near",)),
        # A clause that asks nothing but holds all the question counts is read with it.
        ("I read that Norfolk had 120 SHPOs in 2024/25. Is that right?", ("Norfolk",), (), None,
         ("shpo", "sexual", "harm", "prevention", "order")),
    ],
)
def test_who_asks_and_why_is_context(question, areas, place, sub_area, terms):
    query = parse_question(question)
    assert (query.areas, query.places, query.sub_area, query.terms) == (areas, place, sub_area, terms)
    assert query.wants_number


@pytest.mark.parametrize(
    "question, periods, levels, wants_number",
    [
        ("London 24/25 - RSOs let off with a caution for breach of notification requirements?", ("2024/25",), (), True),
        ("Cambridgeshire 14-15 violent offenders", ("2014/15",), (), True),
        ("is the helpline open 24/7 or 9/10 of the day?", (), (), False),  # no year is one less than the next
        ("At the end of March 2015, how many of Cambridgeshire's offenders were at the highest management level?",
         ("2014/15",), (3,), True),
        ("is it right that only 7 sex offenders got a caution in cambs in 2024-25?", ("2024/25",), (), True),
        ("Does Norfolk have a MAPPA coordinator?", (), (), False),  # a yes/no question about the text
        ("What is DWP attendance like at Norfolk MAPPA level 2 and 3 meetings now?", (), (2, 3), False),
    ],
)
def test_years_written_short_levels_in_words_and_claims(question, periods, levels, wants_number):
    query = parse_question(question)
    assert (query.periods, query.levels, query.wants_number) == (periods, levels, wants_number)
    if "is it right" in question:
        assert "7" not in query.terms  # a figure claimed is checked, not a word of what is counted


def test_short_forms_that_are_words_are_areas_only_with_a_capital():
    assert [name for _, name, _, _ in find_scopes("short-term beds for people leaving custody")] == []
    assert [name for _, name, _, _ in find_scopes("SHPOs in Beds 2024/25")] == ["Bedfordshire"]


@pytest.mark.parametrize(
    "question, areas, places, periods, terms",
    [
        ("A Norwich councillor claimed a dozen sex offenders were cautioned in Norfolk in 2024-25. How many cautions "
         "does the report show?", ("Norfolk",), (), ("2024/25",), ("cautioned", "caution")),
        ("Met / London MAPPA 2024-25: number of Category 2 violent offenders on 31 March 2025, all levels",
         ("London",), (), ("2024/25",), ()),
        ("C&P MAPPA - cat 3 at level 2 on 31 Mar 2025?", ("Cambridgeshire and Peterborough",), (), ("2024/25",), ()),
        ("the overall number of MAPPA-eligible individuals in Norfolk on 31 March 2025, every category and level "
         "combined", ("Norfolk",), (), ("2024/25",), ("eligible",)),
    ],
)
def test_sources_short_forms_and_every_level(question, areas, places, periods, terms):
    query = parse_question(question)
    assert (query.areas, query.places, query.periods, query.terms) == (areas, places, periods, terms)
