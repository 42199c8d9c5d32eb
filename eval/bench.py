"""Speed and memory of qa as the corpus grows: the seeds copied 1x, 10x, 50x (and with --huge 200x, about
every MAPPA report ever published), each built and then asked questions cold and warm.

    python eval/bench.py                       # 1x, 10x, 50x (about 15 minutes on 2 cores)
    python eval/bench.py --huge                # and 200x (40,000 passages: about 25 minutes more)
    python eval/bench.py --scales 1,10 --runs 3 --json

For each scale: build throughput (passages/s, wall clock, in a fresh process that exports the query encoder
first, as every new index does; the export is checked against sentence-transformers' vectors, which the first
build on a machine computes in a process of its own and keeps in the user's cache, so with a warm cache only
the first scale pays for that process: delete ~/.cache/qa to make every scale pay), CPU seconds per passage (the
build's and the process's that checks the export: what the wall clock would be on idle cores), how many cores other work used meanwhile (what slowed the
wall clock), the build's peak memory (maximum resident set size; and the check's process, which runs beside
it for the first seconds), the index's size on disk, cold answers (`qa ask` in a
fresh process, process start to answer printed, median of --runs) for a fact and a passage question, and warm
`index.ask` latency over the gold questions (p50/p95) in one process. Each copy of a seed gets a different
last line, so none is skipped as a duplicate; the checkout this file is in is the qa that is measured.
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
import json, os, resource, sys, time
import qa

def busy():  # CPU seconds every process on the machine has used (Linux), to tell how busy it was
    try:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
    except OSError:
        return float("nan")
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")

before, imported = busy(), resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
report = qa.build_index([sys.argv[1]], sys.argv[2], rebuild=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process that checks the exported encoder
cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({"seconds": seconds, "passages": report.chunks, "reports": report.reports, "cpu_s": cpu,
                  "peak_mb": usage.ru_maxrss / 1024, "child_peak_mb": children.ru_maxrss / 1024,
                  "other_cores": max(busy() - before - cpu + imported.ru_utime + imported.ru_stime, 0) / seconds}))
"""

WARM = """
import json, sys, time
from pathlib import Path
import qa
from qa.evaluate import load_gold
index = qa.open_index(sys.argv[1]).load()
gold = load_gold(Path(sys.argv[2]))
results = {}
for kind in ("table", "passage"):
    questions = [item["question"] for item in gold if item["type"] == kind]
    for question in questions:  # one pass to warm caches
        index.ask(question)
    times = []
    for _ in range(int(sys.argv[3])):
        for question in questions:
            started = time.perf_counter()
            index.ask(question)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    results[kind] = {"questions": len(times), "p50_ms": times[len(times) // 2], "p95_ms": times[int(len(times) * 0.95)]}
print(json.dumps(results))
"""


DENSE = """
import json, sys, time
import faiss, numpy as np
faiss.omp_set_num_threads(1)  # as qa.retrieve.DenseSearch searches
n, dim = int(sys.argv[1]), 384
rng = np.random.default_rng(0)
vectors = rng.standard_normal((n, dim)).astype(np.float32)
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
index.add_with_ids(vectors, np.arange(n, dtype=np.int64))
queries = rng.standard_normal((200, dim)).astype(np.float32)
queries /= np.linalg.norm(queries, axis=1, keepdims=True)
scoped = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.arange(0, n, 50, dtype=np.int64)))
result = {}
for name, params in (("all", None), ("one area in fifty", scoped)):
    times = []
    for query in queries:
        started = time.perf_counter()
        index.search(query.reshape(1, -1), 20, params=params)
        times.append((time.perf_counter() - started) * 1000)
    result[name] = sorted(times)[len(times) // 2]
print(json.dumps(result))
"""


def _env() -> dict:
    # Measure this checkout's qa, whichever one the virtual environment has installed.
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def copies(n: int, directory: Path) -> Path:
    """`n` distinct copies of the seed reports in `directory`."""
    directory.mkdir(parents=True)
    for i in range(n):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            (directory / f"copy{i:03d}_{seed.name}").write_text(seed.read_text() + f"\nCopy {i}\n")
    return directory


def _python(code: str, *args: str) -> dict:
    output = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
                            env=_env()).stdout
    return json.loads(output.strip().splitlines()[-1])


def build(corpus: Path, index_dir: Path) -> dict:
    result = _python(BUILD, str(corpus), str(index_dir))
    result["passages_per_s"] = result["passages"] / result["seconds"]
    result["cpu_s_per_passage"] = result["cpu_s"] / result["passages"]
    result["index_mb"] = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file()) / 1e6
    return result


def cold(question: str, index_dir: Path, runs: int) -> dict:
    qa_command = str(Path(sys.executable).parent / "qa")
    env = {**_env(), "QA_INDEX_DIR": str(index_dir)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([qa_command, "ask", question], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": runs}


def measure(scale: int, tmp: Path, runs: int, rounds: int) -> dict:
    index_dir = tmp / f"index{scale}"
    print(f"{scale}x: building ...", file=sys.stderr, flush=True)
    result = {"scale": scale, "build": build(copies(scale, tmp / f"corpus{scale}"), index_dir)}
    print(f"{scale}x: asking ...", file=sys.stderr, flush=True)
    result["cold"] = {"fact": cold(FACT_QUESTION, index_dir, runs), "passage": cold(PASSAGE_QUESTION, index_dir, runs)}
    result["warm"] = _python(WARM, str(index_dir), str(ROOT / "eval" / "gold.jsonl"), str(rounds))
    result["load_average"] = os.getloadavg()[0]  # other work on the machine slows every figure
    shutil.rmtree(tmp / f"corpus{scale}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,50", help="seed copies to build, comma-separated")
    parser.add_argument("--huge", action="store_true", help="also 200x the seeds (about every report ever published)")
    parser.add_argument("--runs", type=int, default=5, help="cold runs per question (the median is shown)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the gold questions, warm")
    parser.add_argument("--keep", type=Path, help="keep the corpora's indexes in this directory")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()

    scales = [int(s) for s in args.scales.split(",")] + ([200] if args.huge else [])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(args.keep) if args.keep else Path(tmp)
        tmp.mkdir(parents=True, exist_ok=True)
        results = {"scales": [measure(scale, tmp, args.runs, args.rounds) for scale in scales],
                   "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    # Exact (flat) dense search over 50,000 passages, about every report ever published: random unit
    # vectors cost what real ones do in a flat index.
    results["dense_50000_ms"] = _python(DENSE, "50000")
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


def table(results: dict) -> str:
    rows = ["| seeds | reports | passages | build | build CPU | other work during build | build peak | index "
            "| cold fact | cold passage | warm fact p50 / p95 | warm passage p50 / p95 | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["scales"]:
        b, c, w = r["build"], r["cold"], r["warm"]
        check = f" (+{b['child_peak_mb']:.0f} MB check)" if b["child_peak_mb"] else ""
        rows.append(
            f"| {r['scale']}x | {b['reports']} | {b['passages']:,} | {b['seconds']:.0f} s, {b['passages_per_s']:.1f} passages/s "
            f"| {b['cpu_s_per_passage'] * 1000:.0f} ms/passage | {b['other_cores']:.2f} cores "
            f"| {b['peak_mb']:.0f} MB{check} | {b['index_mb']:.0f} MB "
            f"| {c['fact']['median_s']:.2f} s | {c['passage']['median_s']:.2f} s "
            f"| {w['table']['p50_ms']:.1f} / {w['table']['p95_ms']:.1f} ms | {w['passage']['p50_ms']:.1f} / {w['passage']['p95_ms']:.1f} ms "
            f"| {r['load_average']:.1f} |")
    dense = results.get("dense_50000_ms")
    if dense:
        rows.append(f"\nExact (FAISS flat) dense search over 50,000 passages, one thread, median of 200: "
                    f"{dense['all']:.1f} ms; within one area in fifty (an ID selector): {dense['one area in fifty']:.1f} ms.")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
