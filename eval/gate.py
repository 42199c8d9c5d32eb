"""CI gate on the gold set: fails when table accuracy < 98%, abstention < 100% or passage hit@3 < 90%.

Reads the summary written by the last `qa eval` (results.json under --out, or eval/results/).
"""

import json
import sys
from pathlib import Path

BARS = [("table", "accuracy", 0.98), ("unanswerable", "accuracy", 1.0), ("passage", "hit@3", 0.90)]


def main(path: str | None = None) -> int:
    results = Path(path) if path else Path("eval/results/results.json")
    summary = json.loads(results.read_text())["summary"]["hybrid"]
    failures = []
    for kind, metric, bar in BARS:
        value = summary[kind][metric]
        print(f"gate: {kind} {metric} {value:.1%} (bar {bar:.0%}): {'ok' if value >= bar else 'BELOW'}")
        if value < bar:
            failures.append(kind)
    print("gate: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
