"""Grid-search the passage reranker's weights (qa/rerank.py) and the answer sentence's (qa/answer.py) on the
passage questions of question sets: how the constants there were set.

    python eval/tune_rerank.py eval/gold.jsonl [--index-dir DIR] [--corpus seeds]

Prints, for the reranker, hit@1 / hit@3 / MRR@10 of the best weights and their leave-one-out hit@1 (each
question scored with the weights best on the others); for the answer, the share of answers holding the gold
answer, best settings first. Tune on gold and dev sets only: never on held-out questions.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import qa
from qa import answer as answers
from qa import rerank
from qa.answertype import asked_for, focus
from qa.evaluate import evidence_lines

FEATURES = ("bm25", "sentence", "span", "heading", "typed", "prior")
RERANK_GRID = {"bm25": [1.0], "sentence": [0, 0.25, 0.5, 1.0], "span": [0, 0.25, 0.5, 1.0],
               "heading": [0, 0.25], "typed": [0, 0.25, 0.5, 0.75], "prior": [0, 0.1, 0.25]}
ANSWER_GRID = {"ITEM_BONUS": [0.25, 0.5, 0.75], "NAME_BONUS": [0, 0.25, 0.5], "FOCUS_WEIGHT": [1, 2, 3, 4],
               "RANK_PENALTY": [0.1, 0.2, 0.3], "LENGTH_PENALTY": [0, 0.002]}


def passage_items(paths: list[Path]) -> list[dict]:
    items = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [item for item in items if item["type"] == "passage"]


def candidates(index, items: list[dict], corpus: Path) -> list[list[tuple[rerank.Evidence, bool]]]:
    """Per question, each fused candidate's evidence and whether it covers the gold evidence."""
    out = []
    for item in items:
        query = index.parse(item["question"])
        hits, bm25, _ = index._first_stage(query, rerank.CANDIDATES, "hybrid")
        hits = hits[: rerank.CANDIDATES]
        rows = index._chunk_rows([h.chunk_id for h in hits])
        weights, wanted = index.question_weights(query), asked_for(query.text)
        best = max((bm25.get(h.chunk_id, 0.0) for h in hits), default=0.0)
        span = evidence_lines((corpus / item["doc"]).read_text(encoding="utf-8"), item["evidence"])
        scored = []
        for rank, hit in enumerate(hits, start=1):
            row = rows[hit.chunk_id]
            candidate = rerank.Candidate(hit.chunk_id, row["section"], row["text"], row["start_line"],
                                         bm25.get(hit.chunk_id, 0.0))
            gold = (Path(index.reports[row["report_id"]].doc).name == item["doc"]
                    and row["start_line"] <= span[1] and span[0] <= row["end_line"])
            scored.append((rerank.evidence(candidate, rank, weights, wanted, best, every=True), gold))
        out.append(scored)
    return out


def ranking(question: list[tuple[rerank.Evidence, bool]], weights: dict) -> list[bool]:
    return [gold for evidence, gold in sorted(question, key=lambda c: -sum(weights[k] * getattr(c[0], k)
                                                                            for k in FEATURES))]


def tune_rerank(questions) -> None:
    grid = [dict(zip(RERANK_GRID, values, strict=True)) for values in itertools.product(*RERANK_GRID.values())]
    per = [[ranking(q, w) for q in questions] for w in grid]
    hit1 = [[order[0] for order in orders] for orders in per]
    mrr = [sum(next((1 / n for n, g in enumerate(order[:10], 1) if g), 0) for order in orders) for orders in per]
    best = sorted(range(len(grid)), key=lambda g: (-sum(hit1[g]), -mrr[g]))
    n = len(questions)
    for g in best[:5]:
        hit3 = sum(any(order[:3]) for order in per[g])
        print(f"rerank {grid[g]}: hit@1 {sum(hit1[g]) / n:.1%} hit@3 {hit3 / n:.1%} MRR@10 {mrr[g] / n:.3f}")
    loo = sum(hit1[max(range(len(grid)), key=lambda g, i=i: (sum(hit1[g]) - hit1[g][i], mrr[g]))][i] for i in range(n))
    print(f"rerank leave-one-out hit@1 {loo / n:.1%}")


def tune_answer(index, items: list[dict]) -> None:
    asked = [(item, index.parse(item["question"])) for item in items]
    asked = [(item, query, index.search(query), index.question_weights(query)) for item, query in asked]
    results = []
    for values in itertools.product(*ANSWER_GRID.values()):
        for name, value in zip(ANSWER_GRID, values, strict=True):
            setattr(answers, name, value)
        held = 0
        for item, query, citations, weights in asked:
            choice = answers.best_sentence(weights, citations, asked_for(query.text), query.says_number,
                                           focus(query.text))
            held += choice is not None and str(item["answer"]).lower() in choice.text.lower()
        results.append((held / len(asked), dict(zip(ANSWER_GRID, values, strict=True))))
    for share, setting in sorted(results, key=lambda r: -r[0])[:5]:
        print(f"answer {setting}: holds {share:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    args = parser.parse_args()
    index = qa.open_index(args.index_dir)
    items = passage_items(args.sets)
    tune_rerank(candidates(index, items, args.corpus))
    tune_answer(index, items)


if __name__ == "__main__":
    main()
