"""The second ranking stage: the best few passages of the fused BM25 + dense ranking, reordered by finer
evidence of holding the answer.

Fusion ranks whole passages by rank alone. Here each of the top candidates is read again against the
question: its BM25 score relative to the best one's, the share of the question's words that one of its
sentences holds, the share within a short window of words (the question's terms close together), the share
its heading path holds, and whether it holds an item of the type the question asks for (a name for "who",
a date for "when", a number beside the counted noun for "how many"). A weighted sum of these, with the
fused rank as a small prior, orders the candidates. Words are matched by their roots ("referred",
"referral" -> "refer"; "adviser", "advisor" -> "advis"), weighted by their BM25 idf.

Pure functions over text already read; no model is run (sentence vectors were measured: see README).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .answertype import Wanted, holds
from .text import tokenize

# How many fused passages are read again: 20 left out the signatures under an introduction (fused 21st for
# "who signed … for the national probation service"); 30 cost about 1 ms more a passage question.
CANDIDATES = 30
SPAN_WORDS = 12  # the window in which the question's terms count as close together

# Weights of each kind of evidence (each feature is 0..1), tuned by grid search for hit@1, then MRR@10, on
# the 78 passage questions of eval/gold.jsonl (eval/tune_rerank.py: hit@1 92.3%, leave-one-out 89.7%): the
# best sentence's share and the type of item asked for decide between passages BM25 scores alike; the fused
# rank only breaks near-ties. The window of close terms (span) and the heading path were tried and add nothing
# on top of the sentence (weight 0).
W_BM25 = 1.0
W_SENTENCE = 0.5
W_TYPE = 0.5
W_PRIOR = 0.1
W_SPAN = 0.0
W_HEADING = 0.0

# Where a passage's sentences break, read cheaply for 20 passages a question: a sentence end, a blank line, or
# a line starting a heading, list item or table row (wrapped lines of one paragraph stay together).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:#|[-•*]\s|\||\S*\t))")
_ENDINGS = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "ors", "er", "or", "als", "al", "ed", "es",
            "ly", "s", "e")


@lru_cache(maxsize=1 << 16)  # a question reads a few thousand words, mostly the same few hundred
def root(token: str) -> str:
    """A word's root for matching a question to a passage: "referred", "referral" -> "refer"; "adviser",
    "advisor" -> "advis"; "appointed", "appoints" -> "appoint". Looser than qa.text.stem, which BM25 uses."""
    for shortest in (4, 5):  # "management" -> "manage" -> "manag"; "advisers" -> "advis", not "advi"
        for ending in _ENDINGS:
            if len(token) - len(ending) >= shortest and token.endswith(ending):
                token = token[: -len(ending)]
                break
    if len(token) > 4 and token[-1] == token[-2] and token[-1] not in "aeiouls":  # "referr" -> "refer"
        token = token[:-1]
    return token


_WORD = re.compile(r"[a-z0-9]+")


def roots(text: str) -> list[str]:
    """The roots of `text`'s words, in order (abbreviations followed by their expansion): the roots of
    qa.text.tokenize's tokens, looked up word by word."""
    return [r for word in _WORD.findall(text.lower().replace("’", "'").replace("'s", "")) for r in _word_roots(word)]


@lru_cache(maxsize=1 << 16)
def _word_roots(word: str) -> tuple[str, ...]:
    return tuple(root(t) for t in tokenize(word))


def question_weights(tokens: Iterable[str], idf: Mapping[str, float], ignore: Iterable[str] = ()) -> dict[str, float]:
    """Root -> weight (the BM25 idf of its word) of the question's words, less those in `ignore` (words of
    the reports in scope, filler) and numbers of two digits or more (years, periods)."""
    skip = set(ignore)
    weights: dict[str, float] = {}
    for token in tokens:
        if token in skip or (token.isdigit() and len(token) > 1):  # "case study 2" counts; "2024", "25" do not
            continue
        key = root(token)
        weights[key] = max(weights.get(key, 0.0), idf.get(token, 0.0))
    return {k: v for k, v in weights.items() if v > 0}


class Evidence(NamedTuple):
    """What a passage shows of the answer, each 0..1."""

    bm25: float  # its BM25 score over the best candidate's
    sentence: float  # share of the question's word weight held by its best sentence
    span: float  # share held within SPAN_WORDS consecutive words
    heading: float  # share held by its heading path
    typed: float  # 1 when it holds an item of the type asked for
    prior: float  # 1 / its rank in the fusion

    def score(self) -> float:
        return (W_BM25 * self.bm25 + W_SENTENCE * self.sentence + W_SPAN * self.span + W_HEADING * self.heading
                + W_TYPE * self.typed + W_PRIOR * self.prior)


@dataclass(frozen=True)
class Candidate:
    """A passage as the reranker reads it."""

    chunk_id: int
    section: str
    text: str
    first_line: int
    bm25: float  # its BM25 score for the question (0 when it holds none of the question's words)


def _share(held: Iterable[str], weights: Mapping[str, float], total: float) -> float:
    return sum(weights[r] for r in set(held) if r in weights) / total


def span_share(sequence: list[str], weights: Mapping[str, float], total: float, width: int = SPAN_WORDS) -> float:
    """The largest share of the question's weight held within `width` consecutive words of `sequence`."""
    hits = [(i, r) for i, r in enumerate(sequence) if r in weights]
    best, start = 0.0, 0
    for end in range(len(hits)):
        while hits[end][0] - hits[start][0] >= width:
            start += 1
        best = max(best, _share((r for _, r in hits[start : end + 1]), weights, total))
    return best


class Reading(NamedTuple):
    """What reading a passage's text against the question shows: the Evidence features that do not depend on
    the other candidates (so a passage can be read before the fusion that ranks it is done)."""

    sentence: float
    span: float
    heading: float
    typed: float


def reading(candidate: Candidate, weights: Mapping[str, float], wanted: Wanted | None, every: bool = False) -> Reading:
    """A candidate read for a question's root weights; features weighted 0 are left at 0 unless `every` (for
    tuning them)."""
    total = sum(weights.values()) or 1.0
    sentences = [roots(piece) for piece in _SENTENCE_BREAK.split(candidate.text)]
    return Reading(
        sentence=max((_share(words, weights, total) for words in sentences), default=0.0),
        span=span_share([word for words in sentences for word in words], weights, total) if W_SPAN or every else 0.0,
        heading=_share(roots(candidate.section), weights, total) if W_HEADING or every else 0.0,
        typed=1.0 if holds(wanted, candidate.text) else 0.0,
    )


def evidence(candidate: Candidate, rank: int, weights: Mapping[str, float], wanted: Wanted | None,
             best_bm25: float, every: bool = False, read: Reading | None = None) -> Evidence:
    """The evidence of one candidate at fused rank `rank` (1-based); `read`: its reading, when done before."""
    read = read or reading(candidate, weights, wanted, every)
    return Evidence(bm25=candidate.bm25 / best_bm25 if best_bm25 > 0 else 0.0, sentence=read.sentence,
                    span=read.span, heading=read.heading, typed=read.typed, prior=1.0 / rank)


def rerank(candidates: list[Candidate], weights: Mapping[str, float], wanted: Wanted | None,
           read: Mapping[int, Reading] | None = None) -> list[tuple[int, float]]:
    """(chunk id, score) of `candidates` (in fused order) by their evidence, best first; ties keep the
    fused order. `read`: readings of some of them already done (chunk id -> Reading)."""
    read = read or {}
    best_bm25 = max((c.bm25 for c in candidates), default=0.0)
    scored = [(c.chunk_id, evidence(c, rank, weights, wanted, best_bm25, read=read.get(c.chunk_id)).score())
              for rank, c in enumerate(candidates, start=1)]
    order = sorted(range(len(scored)), key=lambda i: -scored[i][1])
    return [scored[i] for i in order]
