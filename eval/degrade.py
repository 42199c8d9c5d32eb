"""Degrade the seed reports the ways PDF and web conversions do, and re-target the gold questions to the copies.

    python eval/degrade.py [--seeds seeds] [--gold eval/gold.jsonl] [--out /tmp/degraded] [--seed 12]

writes, for each kind of damage in KINDS, `OUT/<kind>/<seed file name>` (same names as the seeds, so a gold
`doc` keeps its meaning relative to the corpus folder), `OUT/<kind>/gold.jsonl` (the questions whose answer
survives, `evidence` an exact substring of the degraded file), `OUT/<kind>/dropped.jsonl` (the others, with
the reason), `OUT/<kind>/maps/<name>.json` (which source characters each stretch of the copy came from), and
`OUT/summary.json`. The contents kind also writes `OUT/contents/pages.jsonl`: "on what page is ..." questions
answered by the inserted contents page (not part of gold.jsonl, whose questions are the seeds' own).

Every kind is built the same way: the degraded text is a sequence of characters copied from the seed, "soft"
inserts that stand for whitespace (a newline where a space was, the hyphen of a word split at a line end) and
"junk" (page furniture, contents entries, the other column). A gold evidence string is re-targeted to the
stretch of the copy that holds the same source characters in order with nothing but soft inserts between;
where junk falls inside it, to the largest clean stretch around the answer; where the answer itself is cut
by junk, the question is dropped and counted. Randomness comes from one seeded generator per (kind, file).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SOFT, JUNK = -1, -2  # what an output character is when it is not a copied source character


@dataclass(frozen=True)
class Degraded:
    """A degraded copy: `text`, and for each of its characters the source offset it was copied from
    (or SOFT / JUNK)."""

    text: str
    source: tuple[int, ...]

    def segments(self) -> list[list[int]]:
        """The copied stretches as [output start, output end, source start] (a compact, inspectable map)."""
        out, start = [], None
        for i, src in enumerate((*self.source, JUNK)):
            if start is not None and (src < 0 or src != self.source[i - 1] + 1):
                out.append([start, i, self.source[start]])
                start = None
            if start is None and src >= 0:
                start = i
        return out


class _Builder:
    def __init__(self, seed_text: str) -> None:
        self.seed = seed_text
        self.chars: list[str] = []
        self.source: list[int] = []

    def copy(self, start: int, end: int) -> None:
        self.chars.append(self.seed[start:end])
        self.source.extend(range(start, end))

    def soft(self, text: str) -> None:
        self.chars.append(text)
        self.source.extend([SOFT] * len(text))

    def junk(self, text: str) -> None:
        self.chars.append(text)
        self.source.extend([JUNK] * len(text))

    def ops(self, ops: list[tuple]) -> None:
        for op in ops:
            getattr(self, op[0])(*op[1:])

    def build(self) -> Degraded:
        text = "".join(self.chars)
        assert len(text) == len(self.source)
        return Degraded(text, tuple(self.source))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def is_table_line(line: str) -> bool:
    """Table rows as the seeds hold them (tab-separated or Markdown pipes): PDF extraction keeps rows whole."""
    return "\t" in line or line.lstrip().startswith("|")


def wrap_line(text: str, start: int, end: int, width: int, rng: random.Random,
              hyphen_rate: float = 0.1) -> list[list[tuple]]:
    """Greedy word wrap of text[start:end] at `width` characters, as builder ops per output line.

    The space at a break is dropped (the caller's newline stands for it); a long word that would overflow
    is, at `hyphen_rate`, split with an end-of-line hyphen, as typeset PDFs do. Always at least one line.
    """
    lines: list[list[tuple]] = [[]]
    lead = re.match(r"\s*", text[start:end]).end()
    if lead:
        lines[0].append(("copy", start, start + lead))
    length, cursor, words = lead, start + lead, 0  # words: on the current output line
    for match in re.finditer(r"\S+", text[start:end]):
        a, b = start + match.start(), start + match.end()
        gap = a - cursor
        if words == 0 or length + gap + (b - a) <= width:
            lines[-1].append(("copy", cursor, b))
            length, words = length + gap + b - a, words + 1
        else:
            room = width - length - gap - 1  # what fits of the word before its hyphen
            word = text[a:b]
            if room >= 3 and len(word) - room >= 3 and word.isalpha() and rng.random() < hyphen_rate:
                lines[-1].append(("copy", cursor, a + room))
                lines[-1].append(("soft", "-"))
                lines.append([("copy", a + room, b)])
                length = b - a - room
            else:
                lines.append([("copy", a, b)])
                length = b - a
            words = 1
        cursor = b
    if cursor < end:  # trailing spaces: copied, as extraction keeps them
        lines[-1].append(("copy", cursor, end))
    return lines


def hard_wrap(text: str, rng: random.Random) -> Degraded:
    """Every prose line longer than a page width (60-90 characters, one per report) wrapped at word
    boundaries, with some end-of-line hyphenation; table rows left whole."""
    width = rng.randint(60, 90)
    out = _Builder(text)
    for start, end in _lines(text):
        wrapped = [[("copy", start, end)]] if is_table_line(text[start:end]) else wrap_line(text, start, end, width, rng)
        for ops in wrapped:
            out.ops(ops)
            out.soft("\n")
    return out.build()


def columns(text: str, rng: random.Random) -> Degraded:
    """Prose set in two columns (45-55 characters, 25-40 lines a page) and read across, so the output
    alternates a left-column line and a right-column line; table rows stay whole and full-width."""
    width, height = rng.randint(45, 55), rng.randint(25, 40)
    out = _Builder(text)
    pending: list[list[tuple]] = []

    def flush() -> None:
        for page in range(0, len(pending), 2 * height):
            chunk = pending[page: page + 2 * height]
            half = math.ceil(len(chunk) / 2)
            left, right = chunk[:half], chunk[half:]
            for i, ops in enumerate(left):
                out.ops(ops)
                out.soft("\n")
                if i < len(right):
                    out.ops(right[i])
                    out.soft("\n")
        pending.clear()

    for start, end in _lines(text):
        if is_table_line(text[start:end]):
            flush()
            out.copy(start, end)
            out.soft("\n")
        else:
            pending.extend(wrap_line(text, start, end, width, rng))
    flush()
    return out.build()


def _title(text: str) -> str:
    first = next((text[a:b].strip(" #") for a, b in _lines(text) if text[a:b].strip()), "")
    return first if 0 < len(first) <= 70 else "MAPPA Annual Report"


def headers_footers(text: str, rng: random.Random) -> Degraded:
    """Pages of 2,500-3,500 characters, each ending in a footer with its page number and followed by the
    running header; a break may fall mid-sentence, as it does in a PDF. Never inside a table."""
    budget = rng.randint(2500, 3500)
    style = rng.choice(["page_of", "bare", "dashes", "title_bar"])
    official = rng.random() < 0.5  # the government protective marking many reports carry on every page
    title = _title(text)
    spans = _lines(text)
    # First decide where pages break (line index, and offset within the line or None), then render with the
    # page count known, as "Page N of M" needs.
    breaks: list[tuple[int, int | None]] = []
    used = 0
    for index, (start, end) in enumerate(spans):
        line = text[start:end]
        inside_table = is_table_line(line) or (
            not line.strip() and 0 < index < len(spans) - 1
            and is_table_line(text[slice(*spans[index - 1])]) and is_table_line(text[slice(*spans[index + 1])]))
        if used + len(line) + 1 > budget and not inside_table:
            room = budget - used
            cut = text.rfind(" ", start, start + room) if end - start > 200 and room > 80 else -1
            if cut > start:
                breaks.append((index, cut))
                used = end - cut
                continue
            breaks.append((index, None))
            used = 0
        used += len(line) + 1
    pages = len(breaks) + 1

    def footer(number: int) -> str:
        return {"page_of": f"Page {number} of {pages}", "bare": f"{number}", "dashes": f"- {number} -",
                "title_bar": f"{title} | {number}"}[style]

    def page_break(number: int, last: bool = False) -> None:
        out.soft("\n")
        out.junk("\n".join([footer(number), *(["OFFICIAL"] if official else [])]))
        out.soft("\n")
        if not last:
            out.junk("\n".join([*(["OFFICIAL"] if official else []), title]))
            out.soft("\n\n")

    out = _Builder(text)
    where = dict(breaks)
    number = 1
    for index, (start, end) in enumerate(spans):
        if index in where and where[index] is None:
            page_break(number)
            number += 1
        cut = where.get(index)
        if cut is not None:
            out.copy(start, cut)
            page_break(number)
            number += 1
            out.copy(cut + 1, end)  # the space at the cut became the page break
        else:
            out.copy(start, end)
        if end < len(text):
            out.copy(end, end + 1)
    page_break(number, last=True)
    return out.build()


def headings(text: str) -> list[tuple[str, int]]:
    """(title, offset) of the section titles a contents page would list: Markdown headings, or short
    title-like lines after a blank line and followed by a paragraph
    (which ends in a full stop: a name over a role is a signature); not the report's own title."""
    spans = _lines(text)
    lines = [text[a:b] for a, b in spans]
    found: list[tuple[str, int]] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            # Level 4 and below are by-lines and signatures in these seeds, not sections a contents page lists.
            title = stripped.lstrip("#").strip(" *") if len(stripped) - len(stripped.lstrip("#")) <= 3 else ""
        else:
            following = next((n for n in lines[i + 1:] if n.strip()), "")
            title = stripped if (
                3 <= len(stripped) <= 50 and not is_table_line(line) and stripped[0].isupper()
                and stripped[-1] not in ".,;:" and (i == 0 or not lines[i - 1].strip())
                and len(following) > 60 and following.rstrip().endswith(".") and not is_table_line(following)) else ""
        title = title.replace("**", "")  # Markdown bold is not printed on a contents page
        if title and title != _title(text) and title not in (t for t, _ in found):
            found.append((title, spans[i][0]))
    return found


CONTENTS_FORMS = ("one_line", "alternating", "leaders")


def contents_entries(text: str, form: str, page_chars: int = 3000) -> list[tuple[str, int, str]]:
    """(title, printed page, entry as printed) for each heading; pages from the heading's offset, at
    `page_chars` a page after the cover and the contents (pages 1 and 2)."""
    entries = []
    for title, offset in headings(text):
        page = 3 + offset // page_chars
        printed = {"one_line": f"{title} {page}", "alternating": f"{title}\n{page}",
                   "leaders": f"{title} {'.' * max(3, 40 - len(title))} {page}"}[form]
        entries.append((title, page, printed))
    return entries


def contents(text: str, rng: random.Random, form: str | None = None) -> Degraded:
    """A contents page, flattened as extraction leaves it, inserted after the title line: all entries on one
    line, or title and page number on alternating lines, or dot leaders run together on one line."""
    form = form or rng.choice(CONTENTS_FORMS)
    entries = contents_entries(text, form)
    joiner = "\n" if form == "alternating" else " "
    page = "Contents" + joiner + joiner.join(printed for _, _, printed in entries)
    spans = _lines(text)
    first = next((i for i, (a, b) in enumerate(spans) if text[a:b].strip()), 0)
    title_line = spans[first] if spans and spans[first][1] - spans[first][0] <= 80 else None
    at = title_line[1] + 1 if title_line else 0
    out = _Builder(text)
    out.copy(0, at)
    out.soft("\n")
    out.junk(page)
    out.soft("\n\n")
    out.copy(at, len(text))
    return out.build()


def one_line(text: str, rng: random.Random) -> Degraded:
    """The whole text on one line: every run of newlines (and the spaces around them) becomes one space,
    tabs kept, as some HTML and PDF converters deliver it."""
    out = _Builder(text)
    cursor = 0
    for match in re.finditer(r" *\n[ \n]*", text):
        out.copy(cursor, match.start())
        if match.start() > 0 and match.end() < len(text):
            out.soft(" ")
        cursor = match.end()
    out.copy(cursor, len(text))
    out.soft("\n")
    return out.build()


KINDS: dict[str, Callable[[str, random.Random], Degraded]] = {
    "hard_wrap": hard_wrap, "columns": columns, "headers_footers": headers_footers,
    "contents": contents, "one_line": one_line,
}


def degrade(text: str, kind: str, name: str, seed: int = 12, position: int | None = None) -> Degraded:
    """The `kind` damage applied to one seed `text` (file `name`), the same for the same (seed, kind, name).
    `position` (the file's place in the corpus) picks the contents form in turn, so that a corpus of three
    or more reports has every form rather than whatever the dice give."""
    rng = random.Random(f"{seed}:{kind}:{name}")
    if kind == "contents" and position is not None:
        return contents(text, rng, CONTENTS_FORMS[position % len(CONTENTS_FORMS)])
    return KINDS[kind](text, rng)


# --- re-targeting evidence ------------------------------------------------------------------------------------

class _Index:
    def __init__(self, seed_text: str, degraded: Degraded) -> None:
        self.seed, self.d = seed_text, degraded
        self.out_of = [-1] * len(seed_text)
        for out, src in enumerate(degraded.source):
            if src >= 0:
                self.out_of[src] = out

    def clean(self, a: int, b: int) -> tuple[int, int] | None:
        """The output stretch holding source [a, b) in order with only soft inserts between, or None."""
        outs = [self.out_of[i] for i in range(a, b) if self.out_of[i] >= 0]
        if not outs or any(self.out_of[i] < 0 and not self.seed[i].isspace() for i in range(a, b)):
            return None
        lo, hi = outs[0], outs[-1] + 1
        if any(x >= y for x, y in zip(outs, outs[1:], strict=False)):
            return None
        if any(src == JUNK or (src >= 0 and not a <= src < b) for src in self.d.source[lo:hi]):
            return None
        return lo, hi

    def unique(self, lo: int, hi: int) -> str | None:
        """text[lo:hi], widened to its whole line(s) where an earlier copy would be found first, since a
        gold evidence is placed by its first occurrence."""
        text = self.d.text
        for a, b in ((lo, hi), (text.rfind("\n", 0, lo) + 1, _line_end(text, hi))):
            piece = text[a:b].strip(" ")
            a = text.index(piece, a)
            if piece.strip() and text.index(piece) == a:
                return piece
        return None


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", max(at - 1, 0))
    return len(text) if end < 0 else end


def _answer_span(item: dict, evidence: str) -> tuple[int, int] | None:
    """Where the gold answer is printed inside the seed evidence, if it is."""
    answer = item["answer"]
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    if isinstance(answer, int | float):
        match = re.search(rf"(?<![\d.,]){re.escape(str(answer))}(?![\d,]|\.\d)", evidence)
        return match.span() if match else None
    at = evidence.lower().find(str(answer).lower())
    return (at, at + len(str(answer))) if at >= 0 else None


def retarget(item: dict, seed_text: str, degraded: Degraded, index: _Index | None = None) -> tuple[str | None, str]:
    """The degraded evidence for a gold item (None when none survives) and how it was found:
    'whole' (the same source text, soft inserts only), 'narrowed' (the clean stretch around the answer),
    or why it was dropped."""
    index = index or _Index(seed_text, degraded)
    s = seed_text.index(item["evidence"])
    e = s + len(item["evidence"])
    found = index.clean(s, e)
    how = "whole"
    if not found:
        span = _answer_span(item, item["evidence"])
        if not span:
            return None, "junk inside the evidence, answer not printed in it"
        a, b = s + span[0], s + span[1]
        if not index.clean(a, b):
            return None, "answer cut by junk"
        while a > s and index.clean(a - 1, b):
            a -= 1
        while b < e and index.clean(a, b + 1):
            b += 1
        found, how = index.clean(a, b), "narrowed"
    piece = index.unique(*found)
    return (piece, how) if piece else (None, "evidence found earlier in the junk")


# --- the script -----------------------------------------------------------------------------------------------

def degrade_corpus(seeds: Path, gold: Path, out: Path, seed: int = 12, kinds: list[str] | None = None) -> dict:
    """Write the degraded copies, maps and re-targeted question files under `out`; returns the summary."""
    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    files = sorted(seeds.glob("*.txt"))
    summary: dict[str, dict] = {}
    for kind in kinds or list(KINDS):
        folder = out / kind
        (folder / "maps").mkdir(parents=True, exist_ok=True)
        copies: dict[str, tuple[str, Degraded, _Index]] = {}
        pages = []
        for number, file in enumerate(files):
            text = file.read_text(encoding="utf-8")
            degraded = degrade(text, kind, file.name, seed, position=number)
            if kind == "contents":
                pages += _page_questions(file.name, text, degraded, CONTENTS_FORMS[number % len(CONTENTS_FORMS)],
                                         items)
            (folder / file.name).write_text(degraded.text, encoding="utf-8")
            (folder / "maps" / f"{file.stem}.json").write_text(json.dumps(
                {"seed": str(file), "kind": kind, "segments": degraded.segments()}))
            copies[file.name] = (text, degraded, _Index(text, degraded))
        kept, dropped, how_counts = [], [], {}
        for item in items:
            if item.get("evidence") and item.get("doc") in copies:
                text, degraded, index = copies[item["doc"]]
                evidence, how = retarget(item, text, degraded, index)
                how_counts[how] = how_counts.get(how, 0) + 1
                if evidence is None:
                    dropped.append({"id": item["id"], "type": item["type"], "reason": how})
                    continue
                item = {**item, "evidence": evidence}
            kept.append(item)
        _write_jsonl(folder / "gold.jsonl", kept)
        _write_jsonl(folder / "dropped.jsonl", dropped)
        if kind == "contents":
            _write_jsonl(folder / "pages.jsonl", pages)
        summary[kind] = {"questions": len(kept), "dropped": len(dropped), "evidence": how_counts,
                         "dropped_by_type": _count(d["type"] for d in dropped)}
    (out / "summary.json").write_text(json.dumps({"seed": seed, "kinds": summary}, indent=1))
    return summary


def _page_questions(name: str, text: str, degraded: Degraded, form: str, items: list[dict]) -> list[dict]:
    """'On what page is <section>?' for each contents entry, evidence the entry as printed."""
    about = next((i for i in items if i.get("doc") == name), {"area": None, "period": None})
    start = degraded.text.index("Contents")
    questions = []
    for number, (title, page, printed) in enumerate(contents_entries(text, form), start=1):
        if degraded.text.index(printed) < start:  # would be placed elsewhere: not a fair evidence
            continue
        questions.append({"id": f"pg-{name[:3]}-{number:02d}", "question": f"On what page is the section '{title}'?",
                          "type": "passage", "answer": str(page), "area": about["area"],
                          "period": about["period"], "doc": name, "evidence": printed})
    return questions


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/degraded"))
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--kind", action="append", choices=list(KINDS), help="only these kinds (repeatable)")
    args = parser.parse_args(argv)
    summary = degrade_corpus(args.seeds, args.gold, args.out, args.seed, args.kind)
    for kind, row in summary.items():
        print(f"{kind:16} {row['questions']:4} questions, {row['dropped']:3} dropped  {row['evidence']}")
    print(f"written: {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
