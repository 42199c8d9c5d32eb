"""The seeds as other files: DOCX and PDF documents, and texts whose tables are laid out in ways the seeds do not
use, with the gold questions re-targeted to each (issue 10: the same answers whatever the file or layout).

    python eval/convert.py --out /tmp/formats eval/gold.jsonl eval/blind.jsonl
    python eval/convert.py --out /tmp/formats --kind pdf eval/gold.jsonl

For each kind, OUT/<kind>/ holds the five seeds converted (same file stems) and, for each question file given,
OUT/<kind>/<file name> with the same questions and answers; `doc` is the converted file's name and `evidence`
the lines of the text qa reads from it that hold the gold evidence's words in order (a figure's "1,066" and
"1066" are the same words). A question whose evidence cannot be found is left out and listed in
OUT/<kind>/dropped.jsonl. Then index a kind and score it:

    qa index /tmp/formats/pdf --index-dir /tmp/idx-pdf
    QA_CORPUS=/tmp/formats/pdf QA_INDEX_DIR=/tmp/idx-pdf qa eval /tmp/formats/pdf/gold.jsonl

Kinds: docx and pdf (Word tables and ruled PDF tables, built as tests/test_formats.py builds them);
pipes_commas (Markdown pipe tables, thousands written "1,234"); cells (one cell per line, a TAB first);
flat_tables (each table on one line, its cells apart by single spaces).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the qa of this checkout

from qa.formats import extract_text  # noqa: E402

# --- the seeds as blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "para" or "table"
    text: str = ""
    level: int = 0  # heading level
    rows: tuple[tuple[str, ...], ...] = ()  # table cells; "\n" inside a cell is a line break in the cell


def _pipe_cells(line: str) -> list[str]:
    return [c.strip().replace("<br>", "\n") for c in line.strip().strip("|").split("|")]


def seed_blocks(text: str) -> list[Block]:
    """A seed's lines as the blocks a report author would have made.

    Table rows are the seeds' own table layouts: Markdown pipe rows, TAB rows, and one cell per line (a line
    that is one leading TAB then a cell, continued by lines without a TAB, rows apart by a blank line).
    """
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.lstrip().startswith("|"):
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                if not re.fullmatch(r"[\s|:-]*", lines[i]):
                    rows.append(_pipe_cells(lines[i]))
                i += 1
            blocks.append(_table(rows))
        elif re.fullmatch(r"\t[^\t]*", line):  # one cell per line
            rows, blanks = [[]], 0
            while i < len(lines) and blanks < 2:
                cell_line = lines[i]
                if not cell_line.strip() and not cell_line.startswith("\t"):
                    blanks += 1
                    if rows[-1]:
                        rows.append([])
                elif re.fullmatch(r"\t[^\t]*", cell_line):
                    rows[-1].append(cell_line[1:].strip())
                    blanks = 0
                elif rows[-1]:
                    rows[-1][-1] += "\n" + cell_line.strip()
                else:
                    break
                i += 1
            blocks.append(_table([row for row in rows if row]))
        elif "\t" in line:
            rows = []
            while i < len(lines) and "\t" in lines[i] and not re.fullmatch(r"\t[^\t]*", lines[i]):
                rows.append([cell.strip() for cell in lines[i].split("\t")])
                i += 1
            blocks.append(_table(rows))
        elif m := re.match(r"(#{1,6})\s+(.*)", line):
            blocks.append(Block("heading", m.group(2).replace("**", "").strip(), level=len(m.group(1))))
            i += 1
        else:  # a paragraph: lines up to a blank line, a table or a heading, kept as lines (line breaks)
            para = []
            while i < len(lines) and lines[i].strip() and "\t" not in lines[i] and not re.match(r"\s*(#|\|)", lines[i]):
                if para and is_stats_start(Block("para", lines[i].strip())):
                    break  # "MAPPA Statistics" starts a page of its own
                para.append(lines[i].strip())
                i += 1
            blocks.append(Block("para", "\n".join(para)))
    return blocks


def _table(rows: list[list[str]]) -> Block:
    width = max(len(row) for row in rows)
    return Block("table", rows=tuple(tuple(row + [""] * (width - len(row))) for row in rows))


def is_stats_start(block: Block) -> bool:
    return block.kind != "table" and re.fullmatch(r"\W*mappa statistics\W*", block.text, re.I) is not None


def is_custody_table(block: Block) -> bool:
    return block.kind == "table" and "returned to custody" in " ".join(block.rows[0][0].split()).lower()


# --- the builders ----------------------------------------------------------------------------------------


def build_pdf(blocks: list[Block], path: Path) -> tuple[list[tuple[int, Block]], int]:
    """A PDF of `blocks` with ruled tables, a page break before each "MAPPA Statistics" and before the
    returns-to-custody table, and a page number at the foot of each page.

    Returns the tables as drawn, (page, table) each, and the number of pages.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body, cell = styles["BodyText"], styles["BodyText"].clone("cell", spaceBefore=0, spaceAfter=0)
    drawn: list[tuple[int, Block]] = []

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Table):
                drawn.append((self.page, flowable.block))

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(A4[0] / 2, 30, str(doc.page))

    doc = Doc(str(path), pagesize=A4)
    story = []
    for block in blocks:
        if is_stats_start(block) or is_custody_table(block):
            story.append(PageBreak())
        if block.kind == "table":
            width = len(block.rows[0])
            first = 0.3 if width > 2 else 0.7
            widths = [doc.width * first] + [doc.width * (1 - first) / (width - 1)] * (width - 1)
            data = [[Paragraph(escape(c).replace("\n", "<br/>"), cell) for c in row] for row in block.rows]
            table = Table(data, colWidths=widths)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            table.block = block
            story += [KeepTogether([table]), Spacer(1, 10)]
        elif block.kind == "heading":
            story.append(Paragraph(escape(block.text), styles[f"Heading{min(block.level, 4)}"]))
        else:
            story.append(Paragraph(escape(block.text).replace("\n", "<br/>"), body))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return drawn, doc.page


def build_docx(blocks: list[Block], path: Path) -> None:
    import docx

    document = docx.Document()
    for block in blocks:
        if block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    lines = text.split("\n")
                    target = table.cell(r, c)
                    target.text = lines[0]
                    for more in lines[1:]:
                        target.add_paragraph(more)
        elif block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 9))
        else:
            run = document.add_paragraph().add_run()
            for n, line in enumerate(block.text.split("\n")):
                if n:
                    run.add_break()
                run.add_text(line)
    document.save(str(path))


def build_html(blocks: list[Block], path: Path) -> None:
    parts = ["<!DOCTYPE html><html><head><title>Kent MAPPA 2019/20</title><style>p{color:red}</style></head><body>",
             "<nav><a href='/'>Home</a> Kent reports 2019/20 2019/20 2019/20</nav>",
             "<script>var period = '2018/19 Kent';</script>"]
    for block in blocks:
        if block.kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><tbody>{rows}</tbody></table>")
        elif block.kind == "heading":
            parts.append(f"<h{block.level}><strong>{escape(block.text)}</strong></h{block.level}>")
        else:
            parts.append(f"<p>{escape(block.text).replace(chr(10), '<br>')}</p>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


# --- the same blocks as text, tables in other layouts ------------------------------------------------------


def _with_commas(cell: str) -> str:
    return re.sub(r"(?<![\d,.])\d{4,}(?![\d,.])", lambda m: f"{int(m.group()):,}", cell)


def _pipe_rows(table: Block) -> list[str]:
    rows = [[_with_commas(" ".join(cell.split())) for cell in row] for row in table.rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return [lines[0], "|" + "---|" * len(rows[0]), *lines[1:]]


def _cell_rows(table: Block) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        for cell in row:
            first, *more = cell.split("\n") or [""]
            lines += ["\t" + first, *more]
        lines.append("")
    return lines + [""]


def _flat_rows(table: Block) -> list[str]:
    return [" ".join(" ".join(cell.split()) for row in table.rows for cell in row if cell.strip())]


def build_text(blocks: list[Block], path: Path, table_lines: Callable[[Block], list[str]]) -> None:
    lines: list[str] = []
    for block in blocks:
        if block.kind == "table":
            lines += table_lines(block)
        elif block.kind == "heading":
            lines.append("#" * block.level + " " + block.text)
        else:
            lines += block.text.split("\n")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


KINDS: dict[str, tuple[str, Callable[[list[Block], Path], object]]] = {
    "docx": (".docx", build_docx),
    "pdf": (".pdf", build_pdf),
    "pipes_commas": (".txt", lambda blocks, path: build_text(blocks, path, _pipe_rows)),
    "cells": (".txt", lambda blocks, path: build_text(blocks, path, _cell_rows)),
    "flat_tables": (".txt", lambda blocks, path: build_text(blocks, path, _flat_rows)),
}

# --- the gold questions re-targeted ------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+|(?<!\S)-(?!\S)")  # words, numbers, and a lone "-" (an empty cell)


def _words(text: str) -> list[str]:
    return _WORD.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text.lower()))


def retarget(evidence: str, text: str, where: float = 0.0) -> str | None:
    """The whole lines of `text` that hold the words of `evidence` in order, one after another; where they
    occur more than once (two tables with the same row), the occurrence nearest to `where`, the evidence's
    place in its seed as a fraction of the seed's length. Lines above are added until the lines are found in
    `text` only there (`qa eval` reads evidence at its first occurrence)."""
    want = _words(evidence)
    lines = text.split("\n")
    flat = [(word, number) for number, line in enumerate(lines) for word in _words(line)]
    words = [word for word, _ in flat]
    found = [i for i, word in enumerate(words) if want and word == want[0] and words[i : i + len(want)] == want]
    if not found:
        return None
    start = min(found, key=lambda i: abs(i / len(words) - where))
    first, last = flat[start][1], flat[start + len(want) - 1][1]
    offset = sum(len(line) + 1 for line in lines[:first])
    while first and text.find("\n".join(lines[first : last + 1])) != offset:
        first -= 1
        offset -= len(lines[first]) + 1
    return "\n".join(lines[first : last + 1])


def convert(seeds: Path, question_files: list[Path], out: Path, kinds: list[str]) -> dict[str, dict]:
    summary = {}
    for kind in kinds:
        suffix, build = KINDS[kind]
        folder = out / kind
        folder.mkdir(parents=True, exist_ok=True)
        names, texts, seed_texts = {}, {}, {}
        for seed in sorted(seeds.glob("*.txt")):
            target = folder / f"{seed.stem}{suffix}"
            build(seed_blocks(seed.read_text(encoding="utf-8")), target)
            names[seed.name] = target.name
            seed_texts[seed.name] = seed.read_text(encoding="utf-8")
            texts[seed.name] = extract_text(target).text
        dropped, kept = [], {}
        for questions in question_files:
            rows = []
            for line in questions.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                if item["doc"]:
                    seed_text = seed_texts[item["doc"]]
                    where = seed_text.find(item["evidence"]) / len(seed_text)
                    evidence = retarget(item["evidence"], texts[item["doc"]], where) if item["evidence"] else ""
                    if evidence is None:
                        dropped.append({"file": questions.name, **item})
                        continue
                    item = {**item, "doc": names[item["doc"]], "evidence": evidence}
                rows.append(item)
            (folder / questions.name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            kept[questions.name] = len(rows)
        (folder / "dropped.jsonl").write_text("".join(json.dumps(r) + "\n" for r in dropped), encoding="utf-8")
        summary[kind] = {"kept": kept, "dropped": len(dropped)}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="+", help="gold-format question files (.jsonl)")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=Path("/tmp/formats"))
    parser.add_argument("--kind", action="append", choices=list(KINDS), help="only these kinds (repeatable)")
    args = parser.parse_args(argv)
    for kind, row in convert(args.seeds, args.questions, args.out, args.kind or list(KINDS)).items():
        kept = ", ".join(f"{name} {n}" for name, n in row["kept"].items())
        print(f"{kind:13} {kept}; {row['dropped']} dropped")
    print(f"written: {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
