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
