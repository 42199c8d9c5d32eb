"""Speed and memory of qa on this machine: cold start, warm latency, and index build at 1x/10x/50x the seeds.

    python eval/bench.py                      # everything (the 50x build takes a while)
    python eval/bench.py --scales 1,10 --runs 5
    python eval/bench.py --json > bench.json

Cold start is measured from process start to answer printed (`qa ask` in a fresh process), the median of
--runs runs. Warm latency is `index.ask` in a loop over the gold questions of each kind. Builds run in a
fresh process each on N distinct copies of the seeds (each copy gets a different last line, so none is
skipped as a duplicate); peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACT_QUESTION = "how many SHPOs in Norfolk 2024/25"
PASSAGE_QUESTION = "who chairs the norfolk strategic management board"

BUILD = """
import json, resource, sys, time
import qa
started = time.perf_counter()
report = qa.build_index([sys.argv[1]], sys.argv[2], rebuild=True)
print(json.dumps({"seconds": time.perf_counter() - started, "chunks": report.chunks, "reports": report.reports,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def copies(n: int, directory: Path) -> Path:
    """`n` distinct copies of the seed reports in `directory`."""
    directory.mkdir(parents=True)
    for i in range(n):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            (directory / f"copy{i:03d}_{seed.name}").write_text(seed.read_text() + f"\nCopy {i}\n")
    return directory


def build(corpus: Path, index_dir: Path) -> dict:
    output = subprocess.run([sys.executable, "-c", BUILD, str(corpus), str(index_dir)], check=True,
                            capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["chunks_per_s"] = result["chunks"] / result["seconds"]
    return result


def cold(question: str, index_dir: Path, runs: int) -> dict:
    qa_command = shutil.which("qa") or str(Path(sys.executable).parent / "qa")
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([qa_command, "ask", question], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": runs}


def warm(index_dir: Path, rounds: int) -> dict:
    import qa
    from qa.evaluate import load_gold

    index = qa.open_index(index_dir).load()
    gold = load_gold(ROOT / "eval" / "gold.jsonl")
    results = {}
    for kind in ("table", "passage"):
        questions = [item["question"] for item in gold if item["type"] == kind]
        times = []
        for _ in range(rounds):
            for question in questions:
                started = time.perf_counter()
                index.ask(question)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[kind] = {"questions": len(times), "p50_ms": times[len(times) // 2],
                         "p95_ms": times[int(len(times) * 0.95)]}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,50", help="seed copies to build, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="cold-start runs per question")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the gold questions, warm")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        builds = {}
        for scale in [int(s) for s in args.scales.split(",")]:
            print(f"building {scale}x ...", file=sys.stderr)
            builds[scale] = build(copies(scale, tmp / f"corpus{scale}"), tmp / f"index{scale}")
        index_dir = tmp / "seeds-index"
        build(ROOT / "seeds", index_dir)
        print("cold starts ...", file=sys.stderr)
        results = {
            "cold": {"fact": cold(FACT_QUESTION, index_dir, args.runs),
                     "passage": cold(PASSAGE_QUESTION, index_dir, args.runs)},
            "warm": warm(index_dir, args.rounds),
            "build": builds,
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(table(results))
    return 0


def table(results: dict) -> str:
    rows = ["| measure | value | target |", "|---|---|---|"]
    for kind, target in (("fact", "< 0.5 s"), ("passage", "< 1.0 s")):
        cold_run = results["cold"][kind]
        rows.append(f"| cold `qa ask`, {kind} question (median of {cold_run['runs']}) | "
                    f"{cold_run['median_s']:.2f} s (min {cold_run['min_s']:.2f}, max {cold_run['max_s']:.2f}) | {target} |")
    for kind, label in (("table", "fact"), ("passage", "passage")):
        warm_run = results["warm"][kind]
        rows.append(f"| warm `index.ask`, {label} questions (n={warm_run['questions']}) | "
                    f"p50 {warm_run['p50_ms']:.1f} ms, p95 {warm_run['p95_ms']:.1f} ms | p50 < 20 ms |")
    for scale, run in results["build"].items():
        rows.append(f"| build {scale}x seeds ({run['reports']} reports, {run['chunks']} chunks) | "
                    f"{run['seconds']:.1f} s, {run['chunks_per_s']:.1f} chunks/s, peak {run['peak_mb']:.0f} MB | linear |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
