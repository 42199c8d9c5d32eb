"""CI gate on the question sets: fails on any wrong number (gold or blind), and when gold table accuracy
< 98%, gold abstention < 100% or gold passage hit@3 < 90%.

Reads the summary written by the last `qa eval` (results.json under --out, or eval/results/).
"""

import json
import sys
from pathlib import Path

BARS = [("table", "accuracy", 0.98), ("unanswerable", "accuracy", 1.0), ("passage", "hit@3", 0.90)]


def main(path: str | None = None) -> int:
    results = Path(path) if path else Path("eval/results/results.json")
    summaries = json.loads(results.read_text())["summary"]
    failures = []
    for kind, metric, bar in BARS:
        value = summaries["hybrid"][kind][metric]
        print(f"gate: gold {kind} {metric} {value:.1%} (bar {bar:.0%}): {'ok' if value >= bar else 'BELOW'}")
        if value < bar:
            failures.append(kind)
    for config, summary in summaries.items():
        if config.endswith("--no-facts"):
            continue
        wrong = summary["all"]["wrong_numbers"]
        print(f"gate: {config} wrong numbers {wrong} (bar 0): {'ok' if wrong == 0 else 'WRONG'}")
        if wrong:
            failures.append(f"{config} wrong numbers")
    print("gate: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
