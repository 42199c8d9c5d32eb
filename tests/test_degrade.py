"""eval/degrade.py: each kind of damage does what it says on the real seeds, the same every time, and every
re-targeted gold question points at text that is really in its degraded file. No index is built."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from conftest import load_eval_script

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NORFOLK = SEEDS / "004_b79ee1c3b7c55e1b.txt"
LONDON = SEEDS / "002_c7e779d3e77a4788.txt"

degrade = load_eval_script("degrade")


def _copied(d) -> str:
    """The seed characters the degraded copy kept, in output order."""
    return "".join(d.text[i] for i, src in enumerate(d.source) if src >= 0)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("degraded")
    degrade.degrade_corpus(SEEDS, ROOT / "eval" / "gold.jsonl", out)
    return out


def test_source_map_is_exact_on_every_kind_and_seed():
    for kind in degrade.KINDS:
        for file in sorted(SEEDS.glob("*.txt")):
            text = file.read_text(encoding="utf-8")
            d = degrade.degrade(text, kind, file.name)
            assert len(d.source) == len(d.text)
            for out, src in enumerate(d.source):
                if src >= 0:
                    assert d.text[out] == text[src], (kind, file.name, out)
            # Only whitespace is ever lost; every other seed character is copied exactly once.
            kept = sorted(src for src in d.source if src >= 0)
            assert len(kept) == len(set(kept))
            assert all(text[i].isspace() for i in set(range(len(text))) - set(kept)), (kind, file.name)


def test_hard_wrap_wraps_prose_within_a_width_of_60_to_90_and_keeps_table_rows():
    text = LONDON.read_text(encoding="utf-8")
    d = degrade.degrade(text, "hard_wrap", LONDON.name)
    width = random.Random(f"12:hard_wrap:{LONDON.name}").randint(60, 90)
    lines = d.text.split("\n")
    prose = [line for line in lines if not degrade.is_table_line(line)]
    # A single word longer than the width is the only overflow a greedy wrap allows.
    assert all(len(line) <= width or " " not in line.strip() for line in prose)
    assert max(len(line) for line in prose) > width - 10
    table_rows = [line for line in text.split("\n") if degrade.is_table_line(line)]
    assert table_rows and all(row in lines for row in table_rows)
    assert len(lines) > 1.5 * len(text.split("\n"))
    # Wrapping only moves whitespace (and adds end-of-line hyphens): the words are the seed's.
    assert re.sub(r"-\n|\s+", "", d.text) == re.sub(r"\s+", "", text)


def test_hard_wrap_hyphenates_some_line_ends():
    d = degrade.degrade(LONDON.read_text(encoding="utf-8"), "hard_wrap", LONDON.name)
    soft_hyphens = [i for i, src in enumerate(d.source) if src == degrade.SOFT and d.text[i] == "-"]
    assert soft_hyphens
    assert all(d.text[i + 1] == "\n" and d.text[i - 1].isalpha() for i in soft_hyphens)


def test_columns_interleave_two_columns_line_by_line():
    text = NORFOLK.read_text(encoding="utf-8")
    d = degrade.degrade(text, "columns", NORFOLK.name)
    lines, start, jumps = d.text.split("\n"), 0, 0
    firsts = []
    for line in lines:
        srcs = [s for s in d.source[start:start + len(line)] if s >= 0]
        if srcs:
            firsts.append(srcs[0])
        start += len(line) + 1
    # Reading the output down, the source position goes back (left column after right) again and again.
    jumps = sum(b < a for a, b in zip(firsts, firsts[1:], strict=False))
    assert jumps > 50
    assert max(len(line) for line in lines if not degrade.is_table_line(line)) <= 55
    assert "Sexual Harm Prevention Order (SHPO)\t118" in d.text  # the table row, whole and on its own line


def test_headers_footers_number_every_page_and_repeat_the_title():
    text = NORFOLK.read_text(encoding="utf-8")
    d = degrade.degrade(text, "headers_footers", NORFOLK.name)
    junk = "".join(c if src == degrade.JUNK else "\n" for c, src in zip(d.text, d.source, strict=True))
    footers = [line for line in junk.split("\n") if re.fullmatch(r"(Page \d+ of \d+|\d+|- \d+ -|.* \| \d+)", line)]
    numbers = [int(re.findall(r"\d+", f.split(" of ")[0])[-1]) for f in footers]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5
    assert junk.count("Norfolk Annual Report 2024 to 2025") == len(numbers) - 1  # a header on every page but the first
    copied = [src for src in d.source if src >= 0]  # the report in its own order, only furniture added
    assert copied == sorted(copied)
    # Some page breaks cut a paragraph mid-sentence, as printed pages do.
    cut_mid_line = [i for i, src in enumerate(d.source) if src >= 0 and text[src] != "\n"
                    and i + 1 < len(d.source) and d.source[i + 1] == degrade.SOFT and src + 1 < len(text)
                    and text[src + 1] == " "]
    assert cut_mid_line


def test_contents_pages_come_in_every_flattened_form():
    text = NORFOLK.read_text(encoding="utf-8")
    titles = [t for t, _ in degrade.headings(text)]
    assert titles == ["Introduction", "MAPPA Training", "MAPPA background", "MAPPA '25", "How MAPPA work",
                      "MAPPA Police Offender Manager", "DWP and MAPPA"]
    assert "Norfolk Annual Report 2024 to 2025" not in titles
    one = degrade.contents(text, random.Random(1), "one_line").text
    assert ("\nNorfolk Annual Report 2024 to 2025\n\nContents Introduction 3 MAPPA Training 3 MAPPA background 4 "
            "MAPPA '25 4 How MAPPA work 4 "
            "MAPPA Police Offender Manager 8 DWP and MAPPA 9\n\n") in one
    alternating = degrade.contents(text, random.Random(1), "alternating").text
    assert "\nContents\nIntroduction\n3\nMAPPA Training\n3\nMAPPA background\n4\n" in alternating
    leaders = degrade.contents(text, random.Random(1), "leaders").text
    assert "Contents Introduction ............................ 3 MAPPA Training .......................... 3 " in leaders
    after_title = text[text.index("Norfolk Annual Report 2024 to 2025\n") + 35:]
    for form in degrade.CONTENTS_FORMS:  # the report itself follows, untouched
        assert degrade.contents(text, random.Random(1), form).text.endswith("\n\n" + after_title)


def test_one_line_is_one_line_with_tabs_kept():
    text = NORFOLK.read_text(encoding="utf-8")
    d = degrade.degrade(text, "one_line", NORFOLK.name)
    assert d.text.count("\n") == 1 and d.text.endswith("\n")
    assert "Sexual Harm Prevention Order (SHPO)\t118" in d.text
    assert "  " not in d.text.replace("\t", "")[:2000]
    assert d.text.startswith("Norfolk Annual Report 2024 to 2025 Introduction MAPPA arrangements within Norfolk")


def test_degrading_is_deterministic_and_the_seed_matters():
    text = LONDON.read_text(encoding="utf-8")
    for kind in degrade.KINDS:
        assert degrade.degrade(text, kind, LONDON.name) == degrade.degrade(text, kind, LONDON.name)
    assert degrade.degrade(text, "hard_wrap", LONDON.name).text != degrade.degrade(
        text, "hard_wrap", LONDON.name, seed=13).text
    assert degrade.degrade(text, "columns", LONDON.name).text != degrade.degrade(
        text, "columns", LONDON.name, seed=99).text


def test_corpus_written_twice_is_byte_identical(corpus, tmp_path):
    degrade.degrade_corpus(SEEDS, ROOT / "eval" / "gold.jsonl", tmp_path)
    for file in sorted(corpus.rglob("*")):
        if file.is_file():
            assert (tmp_path / file.relative_to(corpus)).read_bytes() == file.read_bytes(), file


def test_every_retargeted_evidence_is_in_its_degraded_file_and_holds_the_answer(corpus):
    gold = {item["id"]: item for item in map(json.loads, (ROOT / "eval" / "gold.jsonl").open())}
    for kind in degrade.KINDS:
        folder = corpus / kind
        kept = [json.loads(line) for line in (folder / "gold.jsonl").open()]
        dropped = [json.loads(line) for line in (folder / "dropped.jsonl").open()]
        assert len(kept) + len(dropped) == len(gold)
        assert {i["id"] for i in kept}.isdisjoint(d["id"] for d in dropped)
        for item in kept:
            seed_item = gold[item["id"]]
            assert {k: v for k, v in item.items() if k != "evidence"} == {
                k: v for k, v in seed_item.items() if k != "evidence"}
            if item["evidence"] is None:
                continue
            text = (folder / item["doc"]).read_text(encoding="utf-8")
            assert item["evidence"] in text, (kind, item["id"])
            # The evidence sits where the seed's did: the copied source behind it lies inside the seed's evidence.
            seed_text = (SEEDS / item["doc"]).read_text(encoding="utf-8")
            d = degrade.degrade(seed_text, kind, item["doc"], position=sorted(
                p.name for p in SEEDS.glob("*.txt")).index(item["doc"]))
            at = text.index(item["evidence"])
            srcs = [s for s in d.source[at:at + len(item["evidence"])] if s >= 0]
            s = seed_text.index(seed_item["evidence"])
            assert srcs and all(s <= x < s + len(seed_item["evidence"]) for x in srcs), (kind, item["id"])
            # Where the answer is printed in the seed's evidence, it is printed in the degraded one too
            # (whitespace and end-of-line hyphens aside).
            answer = str(item["answer"]).lower()
            if answer in seed_item["evidence"].lower():
                squeeze = re.sub(r"-\n|\s+", "", item["evidence"].lower())
                assert re.sub(r"\s+", "", answer) in squeeze, (kind, item["id"])


def test_kinds_that_keep_lines_whole_lose_no_question(corpus):
    summary = json.loads((corpus / "summary.json").read_text())["kinds"]
    assert summary["hard_wrap"]["dropped"] == 0
    assert summary["one_line"]["dropped"] == 0
    assert summary["contents"]["dropped"] == 0
    assert summary["columns"]["dropped"] == 19 and summary["columns"]["dropped_by_type"] == {"passage": 19}
    assert summary["headers_footers"]["dropped"] == 1


def test_page_questions_point_at_the_contents_page(corpus):
    pages = [json.loads(line) for line in (corpus / "contents" / "pages.jsonl").open()]
    assert len(pages) == 36
    for item in pages:
        text = (corpus / "contents" / item["doc"]).read_text(encoding="utf-8")
        assert text.index(item["evidence"]) > text.index("Contents")
        assert item["evidence"].endswith(item["answer"])
