import hashlib
from pathlib import Path

import pytest
from conftest import SEEDS

import qa
from qa.documents import content_hash, load_document, page_of, page_span
from qa.errors import DocumentError
from qa.formats import Extracted
from qa.vocabulary import canonical_area, find_areas, find_periods, normalise_period

EXPECTED = {
    "000_596632459647fbdf.txt": ("Cambridgeshire and Peterborough", "2024/25", "Cambridgeshire and Peterborough Annual Report 2024 to 2025"),
    "001_52bf94afc6c73e9d.txt": ("Cambridgeshire and Peterborough", "2014/15", "Annual Report 2014-2015"),
    "002_c7e779d3e77a4788.txt": ("London", "2024/25", "Annual Report 2024/25"),
    "003_6d204036d4560561.txt": ("Cheshire", "2022/23", "Cheshire MAPPA Annual Report 2022/23"),
    "004_b79ee1c3b7c55e1b.txt": ("Norfolk", "2024/25", "Norfolk Annual Report 2024 to 2025"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_area_period_title_from_the_text(name):
    doc = load_document(SEEDS / name)
    assert (doc.area, doc.period, doc.title) == EXPECTED[name]
    assert doc.warnings == ()


def test_detection_ignores_the_file_name(tmp_path):
    path = tmp_path / "norfolk-mappa-annual-report-2024-25.txt"
    path.write_text((SEEDS / "002_c7e779d3e77a4788.txt").read_text(encoding="utf-8"), encoding="utf-8")
    doc = load_document(path)
    assert (doc.area, doc.period) == ("London", "2024/25")


def test_file_name_is_the_fallback_and_a_warning_when_nothing_is_found(tmp_path):
    named = tmp_path / "norfolk-mappa-annual-report-2024-25.txt"
    named.write_text("Introduction\n\nThe board met four times.\n", encoding="utf-8")
    assert (load_document(named).area, load_document(named).period) == ("Norfolk", "2024/25")
    anonymous = tmp_path / "report.txt"
    anonymous.write_text("Introduction\n\nThe board met four times.\n", encoding="utf-8")
    doc = load_document(anonymous)
    assert (doc.area, doc.period) == (None, None)
    assert len(doc.warnings) == 2 and "--area" in doc.warnings[0]
    assert load_document(anonymous, area="Kent", period="2023/24").area == "Kent"


@pytest.mark.parametrize(
    "text, expected",
    [("2024/25", "2024/25"), ("2024-25", "2024/25"), ("2024 to 2025", "2024/25"), ("2024-2025", "2024/25"),
     ("2024 - 2025", "2024/25"), ("April 2024 to March 2025", "2024/25"), ("on 31 March 2025", "2024/25"),
     ("2025", "2024/25"), ("2014–15", "2014/15")],
)
def test_period_forms(text, expected):
    assert normalise_period(text) == expected


def test_lone_years_are_periods_only_when_asked():
    assert find_periods("Key Objectives for 2022 / 2024") == []
    assert [p for p, _, _ in find_periods("since 2020, and in 2025", bare_years=True)] == ["2019/20", "2024/25"]


def test_area_aliases_and_overlaps():
    assert [a for a, _, _ in find_areas("North Wales and Wales, West Yorkshire, Greater Manchester")] == [
        "North Wales", "West Yorkshire", "Greater Manchester"]
    assert [a for a, _, _ in find_areas("the Met and Peterborough")] == ["London", "Cambridgeshire and Peterborough"]
    assert find_areas("we met the board") == []
    assert canonical_area("teesside") == "Cleveland"


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01binary", "binary"), (b"caf\xe9 report", "not UTF-8")],
)
def test_bad_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        load_document(path)


def test_unreadable_path(tmp_path):
    with pytest.raises(DocumentError, match="cannot read"):
        load_document(Path(tmp_path / "missing.txt"))


def test_page_of_a_line():
    starts = (1, 10, 10, 25)  # page 3 has no text: it begins where page 4 does
    assert [page_of(starts, n) for n in (1, 9, 10, 24, 25, 99)] == [1, 1, 3, 3, 4, 4]
    assert page_span(starts, 5, 12) == (1, 3)
    assert page_of((), 5) is None and page_span((), 1, 2) is None


def test_text_files_have_no_pages_and_hash_their_text():
    doc = load_document(SEEDS / "004_b79ee1c3b7c55e1b.txt")
    assert doc.page_starts == () and doc.pages(1, 3) is None and doc.page(1) is None
    # The hash of a text file is the hash of its text, as before PDFs were read: existing indexes stay valid.
    assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def test_a_paged_text_hashes_where_its_pages_begin():
    one, two = Extracted("a\nb", (1, 2)), Extracted("a\nb", (1, 1))
    assert content_hash(one) != content_hash(two) != content_hash(Extracted("a\nb"))
    assert content_hash(Extracted("a\nb")) == hashlib.sha256(b"a\nb").hexdigest()


MISLEADING_YEARS = """\
MAPPA Annual Report

Norfolk Multi-Agency Public Protection Arrangements

Foreword

In 2019 we set up a new team, and since 2018/19 the number of cases has grown: 2018/19 saw more
referrals than 2017/18, and 2018/19 was our busiest year until this one. Our plan for 1 April 2015 to
31 March 2018 is done.

This report covers the period 1 April 2020 to 31 March 2021.
"""


def test_the_period_is_the_one_the_report_states_not_a_year_its_foreword_mentions(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(MISLEADING_YEARS, encoding="utf-8")
    doc = load_document(path)
    assert (doc.area, doc.period, doc.title) == ("Norfolk", "2020/21", "MAPPA Annual Report")
    for statement in ("1st April 2020 - 31st March 2021", "the year ending 31 March 2021", "April 2020 to March 2021"):
        path.write_text(MISLEADING_YEARS.replace("the period 1 April 2020 to 31 March 2021", statement), encoding="utf-8")
        assert load_document(path).period == "2020/21", statement


def test_a_title_is_never_a_sentence_of_the_body(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("On behalf of Cheshire's Strategic Management Board, I am pleased to\n"
                    "share the 2022 - 2023 MAPPA Annual Report which is intended to\n"
                    "provide an insight into the arrangements across Cheshire.\n\nIntroduction\n\nThe board met.\n",
                    encoding="utf-8")
    doc = load_document(path)
    assert (doc.area, doc.period, doc.title) == ("Cheshire", "2022/23", "Cheshire MAPPA Annual Report 2022/23")


NATIONAL = """\
Multi-Agency Public Protection Arrangements
Annual Report 2019/20
Ministry of Justice

Introduction

This bulletin gives the number of MAPPA-eligible offenders in England and Wales on 31 March 2020.
Figures for each area, from London to Kent, are in the tables published with it.
"""


def test_a_national_report_covers_england_and_wales(tmp_path):
    path = tmp_path / "national.txt"
    path.write_text(NATIONAL, encoding="utf-8")
    doc = load_document(path)
    assert (doc.area, doc.period, doc.title) == ("England and Wales", "2019/20", "Annual Report 2019/20")
    assert doc.warnings == ()
    # Its tables name every area, none much more than another: national too, whatever the cover says.
    areas = ["London", "Kent", "Norfolk", "Cheshire", "Essex", "Suffolk", "Dorset", "Gwent", "Cumbria", "Durham"]
    path.write_text("Annual Report 2019/20\n\n" + "\n".join(f"{a}\t{n}" for n, a in enumerate(areas)), encoding="utf-8")
    assert load_document(path).area == "England and Wales"
    # A bulletin whose text names no area, by the Ministry of Justice: national, though no cover line says so.
    path.write_text("Multi-Agency Public Protection Arrangements - Annual Report 2017/18 Ministry of Justice Statistics "
                    "Bulletin 25 October 2018\n\nContents\n\n1. Introduction 1\n", encoding="utf-8")
    assert (load_document(path).area, load_document(path).period) == ("England and Wales", "2017/18")
    # A local report whose area is not recognised is not national for saying it is one of the areas of England
    # and Wales.
    path.write_text((SEEDS / "004_b79ee1c3b7c55e1b.txt").read_text(encoding="utf-8").replace("Norfolk", "Norfolc"),
                    encoding="utf-8")
    assert load_document(path).area is None
    # A local report that says where MAPPA reports of England and Wales are published is still local.
    assert load_document(SEEDS / "003_6d204036d4560561.txt").area == "Cheshire"


def test_a_report_from_outside_england_and_wales_is_the_place_it_names(tmp_path):
    """A Scottish report (the real Lanarkshire excerpt) is "Lanarkshire": questions naming it reach it, and
    --area accepts it, while a place no indexed report is stays refused."""
    doc = load_document(Path(__file__).parent.parent / "eval" / "messy" / "reports" / "lanarkshire-2022-23.txt")
    assert (doc.area, doc.period) == ("Lanarkshire", "2022/23")
    qa.build_index([doc.path], tmp_path / "index")
    index = qa.open_index(tmp_path / "index")
    assert index.parse("RSOs in Lanarkshire 2022/23").areas == ("Lanarkshire",)
    assert index.parse("sex offenders", area="lanarkshire").areas == ("Lanarkshire",)
    answer = index.ask("What population estimate does the Lanarkshire MAPPA annual report 2023 use for its rate per 100,000?")
    assert (answer.status, answer.kind) == ("answered", "passage")  # no table read from it: its text answers
    assert any("661,900" in c.text for c in answer.citations[:3])
    assert index.ask("how many RSOs in Fife 2022/23").status == "not_found"
