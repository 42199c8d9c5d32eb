"""The parser's facts equal the hand-written list for every seed: none missing, none invented."""

import pytest
from conftest import SEED_FILES, SEEDS, seed_lines
from expected_facts import EXPECTED_FACTS
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.documents import load_document
from qa.facts import check_totals, extract_facts
from qa.tables import parse_tables


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_figure_of_every_seed(name):
    cells = parse_tables(seed_lines(name))
    got = [(c.measure, c.category, c.level, c.value, c.start, c.end) for c in cells]
    assert got == EXPECTED_FACTS[name]


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_tables_add_up(name):
    assert check_totals(parse_tables(seed_lines(name))) == {}
    facts = extract_facts(load_document(SEEDS / name))
    assert all(f.flag is None for f in facts)


def test_labels_as_printed():
    cells = parse_tables(seed_lines("004_b79ee1c3b7c55e1b.txt"))
    shpo = next(c for c in cells if c.measure == "shpo")
    assert (shpo.table, shpo.row, shpo.column, shpo.value) == (
        "Restrictive orders for Category 1 offenders", "Sexual Harm Prevention Order (SHPO)", None, 118)
    cell = next(c for c in cells if c.measure == "eligible" and c.category == 2 and c.level == 1)
    assert (cell.row, cell.column, cell.value) == ("Level 1", "Category 2: Violent offenders", 146)


FLAT = (
    "MAPPA Statistics\n"
    "MAPPA-eligible individuals on 31 March 2025 Category 1: Subject to sex offender notification requirements "
    "Category 2: Violent offenders Category 3: Other dangerous offenders Total Level 1 1,278 146 - 1,424 "
    "Level 2 8 4 7 19 Level 3 0 1 0 1 Total 1,286 151 7 1,444\n"
    "Sexual Harm Prevention Order (SHPO) 118 SHPO with foreign travel restriction 1 Notification Order 4\n"
)


def test_whole_table_on_one_line_with_thousands_separators():
    cells = parse_tables(FLAT.split("\n"))
    got = {(c.measure, c.category, c.level): c.value for c in cells}
    assert got[("eligible", 1, 1)] == 1278
    assert got[("eligible", 3, 1)] is None
    assert got[("eligible", None, None)] == 1444
    assert got[("shpo", None, None)] == 118 and got[("shpo_travel", None, None)] == 1
    assert got[("notification_order", None, None)] == 4
    assert len(cells) == 19


def test_a_table_that_does_not_add_up_is_flagged_not_changed():
    lines = seed_lines("004_b79ee1c3b7c55e1b.txt")
    lines[90] = lines[90].replace("1424", "1425")  # the printed Level 1 total
    cells = parse_tables(lines)
    assert next(c.value for c in cells if c.measure == "eligible" and c.level == 1 and c.category is None) == 1425
    problems = check_totals(cells)
    assert list(problems) == ["eligible"]
    assert "Level 1: parts add to 1424, total printed 1425" in problems["eligible"]


def test_no_statistics_section():
    assert parse_tables(["Introduction", "", "The board met four times."]) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60), max_size=30))
def test_random_text_never_crashes_the_parser(lines):
    parse_tables(["MAPPA Statistics", *lines])
