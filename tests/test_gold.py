import json
from collections import Counter

from conftest import ROOT, SEEDS

from qa.evaluate import GOLD_KEYS, TYPES, load_gold


def test_gold_file_is_valid():
    items = load_gold(ROOT / "eval" / "gold.jsonl")
    assert len({i["id"] for i in items}) == len(items) >= 150
    counts = Counter(i["type"] for i in items)
    assert counts["passage"] >= 40 and counts["unanswerable"] >= 15 and counts["aggregate"] >= 10
    for item in items:
        assert list(item) == list(GOLD_KEYS) and item["type"] in TYPES
        if item["evidence"] is not None:
            text = (SEEDS / item["doc"]).read_text(encoding="utf-8")
            assert item["evidence"] in text, item["id"]
        if item["type"] == "unanswerable":
            assert item["answer"] is None


def test_gold_lines_are_json():
    for line in (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_a_figure_given_for_how_many_the_text_answers_is_a_wrong_number():
    """A passage question asking how many, answered with a table's figure that is not the gold item, is the
    failure that matters most: `qa eval` counts it as a wrong number."""
    from qa.answer import Answer
    from qa.evaluate import judge

    item = {"id": "x", "question": "How many Serious Case Reviews had Norfolk commissioned?", "type": "passage",
            "answer": "two", "doc": "004_b79ee1c3b7c55e1b.txt", "evidence": "two Serious Case Reviews"}
    figure = Answer(question=item["question"], status="answered", kind="fact", answer="Norfolk had 12 ...", value=12)
    text = (SEEDS / item["doc"]).read_text(encoding="utf-8")
    assert judge(item, figure, 0.0, {item["doc"]: text}).wrong_number
