"""Scoring answers against the gold question set (eval/gold.jsonl), through the public API only.

Ranking metrics are computed here rather than with ranx or pytrec_eval: each gold question has exactly one
relevant span, so hit@k and MRR@10 are a few lines, and those libraries would add numba, pandas and more
to every install for three numbers.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer, Citation
from .errors import BadInput
from .formats import extract_text

TYPES = ("table", "passage", "unanswerable", "aggregate")
GOLD_KEYS = ("id", "question", "type", "answer", "area", "period", "doc", "evidence")


@dataclass(frozen=True)
class Verdict:
    """How one answer scored."""

    id: str
    type: str
    correct: bool
    cited: bool | None  # table/aggregate: a citation covers the evidence; None where not scored
    rank: int | None  # passage: 1-based rank of the first citation covering the evidence, within the top 10
    seconds: float
    wrong_number: bool = False  # answered with a figure that is not the gold one (or should have been refused)
    holds: bool | None = None  # passage: the answer text itself (not only a citation) holds the gold answer


def load_gold(path: Path) -> list[dict]:
    """The gold questions; raises BadInput naming the first bad line."""
    if not path.is_file():
        raise BadInput(f"{path}: no such gold file")
    items, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"{path}:{number}: not JSON ({error.msg})") from None
        if set(item) != set(GOLD_KEYS) or item["type"] not in TYPES or item["id"] in seen:
            raise BadInput(f"{path}:{number}: needs exactly the keys {', '.join(GOLD_KEYS)}, a known type and a new id")
        seen.add(item["id"])
        items.append(item)
    return items


def evidence_lines(text: str, evidence: str) -> tuple[int, int]:
    """The 1-based, inclusive line span of `evidence` in `text` (its first occurrence)."""
    start = text.index(evidence)
    first = text.count("\n", 0, start) + 1
    return first, first + evidence.count("\n")


def _covers(citation: Citation, doc: str, span: tuple[int, int]) -> bool:
    return Path(citation.doc).name == doc and citation.lines[0] <= span[1] and span[0] <= citation.lines[1]


def _asks_count(question: str) -> bool:
    from .answertype import COUNT, asked_for

    wanted = asked_for(question)
    return wanted is not None and wanted.kind == COUNT


def _same_value(answer: Answer, expected) -> bool:
    if isinstance(expected, str):
        return expected.lower() == (answer.area or "").lower() or expected.lower() in answer.answer.lower()
    return answer.value is not None and abs(float(answer.value) - float(expected)) < 1e-9


def judge(item: dict, answer: Answer, seconds: float, texts: dict[str, str]) -> Verdict:
    """Score one answer against its gold item. `texts` maps a doc's file name to its text."""
    kind = item["type"]
    span = evidence_lines(texts[item["doc"]], item["evidence"]) if item.get("evidence") else None
    cited = rank = holds = None
    if kind == "unanswerable":
        correct = answer.status == "not_found"
    elif kind in ("table", "aggregate"):
        correct = answer.status == "answered" and _same_value(answer, item["answer"])
        if span:
            cited = any(_covers(c, item["doc"], span) for c in answer.citations)
            correct = correct and cited
    else:
        wanted = str(item["answer"]).lower()
        top3 = [answer.answer, *(c.text for c in answer.citations[:3])]
        correct = answer.status == "answered" and any(wanted in text.lower() for text in top3)
        holds = answer.status == "answered" and wanted in answer.answer.lower()
        rank = next((i for i, c in enumerate(answer.citations[:10], start=1) if _covers(c, item["doc"], span)), None)
    # The one unforgivable failure: a figure given where the gold has another, or where it has none; or a figure
    # from the tables given for "how many" the text answers ("how many Serious Case Reviews" -> 12 revocations).
    wrong_number = answer.status == "answered" and answer.value is not None and (
        kind == "unanswerable" or (kind in ("table", "aggregate") and not _same_value(answer, item["answer"]))
        or (kind == "passage" and not holds and _asks_count(item["question"])))
    return Verdict(item["id"], kind, bool(correct), cited, rank, seconds, wrong_number, holds)


def summarise(verdicts: list[Verdict]) -> dict[str, dict]:
    """Per question type (and overall): count, accuracy, hit@1, hit@3, MRR@10, the share of passage answers
    holding the gold answer in their own text ("holds"), latency p50/p95 in ms."""
    summary: dict[str, dict] = {}
    groups = {kind: [v for v in verdicts if v.type == kind] for kind in TYPES}
    groups["all"] = verdicts
    for kind, group in groups.items():
        if not group:
            continue
        times = sorted(v.seconds * 1000 for v in group)
        row = {
            "n": len(group),
            "accuracy": sum(v.correct for v in group) / len(group),
            "wrong_numbers": sum(v.wrong_number for v in group),
            "latency_p50_ms": statistics.median(times),
            "latency_p95_ms": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        }
        if kind == "passage":
            row["hit@1"] = sum(v.rank == 1 for v in group) / len(group)
            row["hit@3"] = sum(v.rank is not None and v.rank <= 3 for v in group) / len(group)
            row["mrr@10"] = sum(1 / v.rank for v in group if v.rank) / len(group)
            row["holds"] = sum(bool(v.holds) for v in group) / len(group)
        cited = [v.cited for v in group if v.cited is not None]
        if cited:
            row["cited"] = sum(cited) / len(cited)
        summary[kind] = row
    return summary


def run_eval(index, gold: list[dict], corpus_dir: Path, *, retriever: str = "hybrid", use_facts: bool = True,
             progress=None) -> tuple[list[dict], dict]:
    """Ask every gold question; returns (per-question results, summary)."""
    texts = {}
    for item in gold:
        if item.get("doc") and item["doc"] not in texts:
            texts[item["doc"]] = extract_text(corpus_dir / item["doc"]).text  # the text qa reads and cites
    results, verdicts = [], []
    for number, item in enumerate(gold, start=1):
        started = time.perf_counter()
        answer = index.ask(item["question"], retriever=retriever, use_facts=use_facts)
        seconds = time.perf_counter() - started
        verdict = judge(item, answer, seconds, texts)
        verdicts.append(verdict)
        results.append({"gold": item, "answer": answer.to_dict(), "verdict": verdict.__dict__})
        if progress:
            progress(number, len(gold))
    return results, summarise(verdicts)


def summary_markdown(summaries: dict[str, dict]) -> str:
    """A Markdown table: one row per configuration and question type."""
    lines = ["| config | type | n | accuracy | wrong numbers | cited | hit@1 | hit@3 | MRR@10 | answer holds | p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def cell(row, key, pct=True):
        if key not in row:
            return ""
        return f"{100 * row[key]:.1f}%" if pct else f"{row[key]:.3f}" if key == "mrr@10" else f"{row[key]:.1f}"

    for config, summary in summaries.items():
        for kind, row in summary.items():
            lines.append(
                f"| {config} | {kind} | {row['n']} | {cell(row, 'accuracy')} | {row['wrong_numbers']} | {cell(row, 'cited')} | "
                f"{cell(row, 'hit@1')} | {cell(row, 'hit@3')} | {cell(row, 'mrr@10', False)} | {cell(row, 'holds')} | "
                f"{cell(row, 'latency_p50_ms', False)} | {cell(row, 'latency_p95_ms', False)} |"
            )
    return "\n".join(lines) + "\n"
