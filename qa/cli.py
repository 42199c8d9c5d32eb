"""The `qa` command: parse options, call one API function, print. Known errors become one line and exit 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

import qa
from qa.evaluate import load_gold, run_eval, summary_markdown
from qa.export import facts_csv, facts_json
from qa.vocabulary import canonical_area, normalise_period

app = typer.Typer(
    help="Question answering over MAPPA annual reports: exact, cited numbers and passages.\n\n"
    'Example: qa ask "how many SHPOs in Norfolk 2024/25"',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

IndexDir = Annotated[
    Path | None, typer.Option("--index-dir", envvar="QA_INDEX_DIR", help="Index directory (default: index/).")
]
Area = Annotated[str | None, typer.Option("--area", help="Only this area (any alias), e.g. Norfolk.")]
Period = Annotated[str | None, typer.Option("--period", help="Only this year, e.g. 2024/25, 2024-25 or 2025.")]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _settings(index_dir: Path | None) -> qa.Settings:
    return qa.Settings.from_env(index_dir=index_dir)


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=__import__("rich.console").console.Console(stderr=True), transient=False)


def _build(settings: qa.Settings, paths: list[Path] | None, rebuild: bool = False, area=None, period=None):
    with _progress() as bar:
        task = bar.add_task("reading reports", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        return qa.build_index(paths, settings.index_dir, settings=settings, rebuild=rebuild, area=area,
                              period=period, progress=progress)


def _build_if_missing(settings: qa.Settings) -> None:
    if not (settings.index_dir / "qa.sqlite").exists():
        typer.echo(f"No index in {settings.index_dir}/ yet: indexing {settings.corpus}/ (once).", err=True)
        _build(settings, None)


def _open(settings: qa.Settings) -> qa.Index:
    _build_if_missing(settings)
    return qa.open_index(settings.index_dir)


@app.command("index")
def index_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Report files or directories (default: seeds/).")] = None,
    index_dir: IndexDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start from an empty index.")] = False,
    area: Annotated[str | None, typer.Option(help="Area for reports that do not name one.")] = None,
    period: Annotated[str | None, typer.Option(help="Period for reports that do not state one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
) -> None:
    """Index report files (.txt, .md, .pdf, .docx, .html); unchanged reports are not embedded again.

    Examples:

      qa index                      # the seeds/ corpus into index/

      qa index reports/ --index-dir /tmp/idx

      qa index norfolk.txt --area Norfolk --period 2024/25
    """
    settings = _settings(index_dir)
    if area and canonical_area(area) is None:
        _fail(f"--area {area!r} is not a MAPPA area (e.g. Norfolk, London, Cheshire)")
    period_name = normalise_period(period) if period else None
    if period and period_name is None:
        _fail(f"--period {period!r} is not a reporting year (e.g. 2024/25)")
    report = _build(settings, paths, rebuild, canonical_area(area) if area else None, period_name)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        typer.echo(
            f"{report.index_dir}/: {report.reports} reports, {report.chunks} passages, {report.facts} facts "
            f"({len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged; "
            f"{report.embedded} passages embedded in {report.seconds:.1f} s)"
        )
    for line in (*report.warnings, *report.skipped):
        typer.echo(f"warning: {line}", err=True)
    if report.skipped:
        raise typer.Exit(2)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer JSON.")] = False,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=50, help="Passages to cite.")] = 5,
    area: Area = None,
    period: Period = None,
    index_dir: IndexDir = None,
    retriever: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
    no_facts: Annotated[bool, typer.Option("--no-facts", help="Answer from passages only.")] = False,
) -> None:
    """Answer a question, citing the report lines. Exit 0 answered, 1 not found, 2 bad input.

    Examples:

      qa ask "how many SHPOs in Norfolk 2024/25"

      qa ask --json "Who chairs the Norfolk MAPPA Strategic Management Board?"

      qa ask "registered sex offenders at level 2" --area London --period 2025
    """
    index = _open(_settings(index_dir))
    answer = index.ask(question, top_k=top_k, area=area, period=period, retriever=retriever, use_facts=not no_facts)
    if as_json:
        typer.echo(answer.to_json())
    else:
        _print_answer(answer)
    raise typer.Exit(0 if answer.status == "answered" else 1)


def _print_answer(answer: qa.Answer) -> None:
    typer.echo(answer.answer)
    if answer.note:
        typer.echo(f"Note: {answer.note}")
    for number, citation in enumerate(answer.citations, start=1):
        pages = ""
        if citation.pages:
            first, last = citation.pages
            pages = f" (p. {first})" if first == last else f" (pp. {first}-{last})"
        typer.echo(f"[{number}] {citation.doc}:{citation.lines[0]}-{citation.lines[1]}{pages}  "
                   f"{citation.title} — {citation.section}")


@app.command("batch")
def batch_command(
    questions: Annotated[Path, typer.Argument(help="JSONL file, one {\"id\", \"question\"} per line.")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write answers (default: stdout).")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Answer many questions in one process: one answer JSON (plus "id") per input line.

    Example:

      qa batch questions.jsonl --out answers.jsonl
    """
    index = _open(_settings(index_dir))
    if not questions.is_file():
        _fail(f"{questions}: no such file")
    items = []
    for number, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            items.append((item["id"], str(item["question"])))
        except (json.JSONDecodeError, KeyError, TypeError):
            _fail(f"{questions}:{number}: each line must be a JSON object with \"id\" and \"question\"")
    lines = []
    for item_id, question in items:
        try:
            answer = index.ask(question).to_dict()
        except qa.BadInput as error:
            answer = qa.Answer(question=question, status="not_found", answer=str(error)).to_dict()
        lines.append(json.dumps({"id": item_id, **answer}, ensure_ascii=False))
    text = "\n".join(lines) + ("\n" if lines else "")
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{len(lines)} answers written to {out}", err=True)
    else:
        sys.stdout.write(text)


@app.command("eval")
def eval_command(
    gold: Annotated[list[Path] | None, typer.Argument(
        help="Question sets (JSONL); default: eval/gold.jsonl and the held-out eval/blind.jsonl.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for results.json and summary.md.")] = Path("eval/results"),
    index_dir: IndexDir = None,
    retriever: Annotated[list[str] | None, typer.Option(help="hybrid, bm25, dense; repeat to compare.")] = None,
    no_facts: Annotated[bool, typer.Option("--no-facts", help="Also run without the table lookup.")] = False,
) -> None:
    """Score the answers on question sets: accuracy, wrong numbers, citations, hit@k, MRR, latency.

    The first set is scored under each configuration; the others (held out) with the first configuration.

    Examples:

      qa eval                                   # eval/gold.jsonl and eval/blind.jsonl, hybrid retrieval

      qa eval eval/gold.jsonl --retriever hybrid --retriever bm25 --retriever dense --no-facts
    """
    settings = _settings(index_dir)
    paths = gold or [p for p in (Path("eval/gold.jsonl"), Path("eval/blind.jsonl")) if p.is_file() or p.name == "gold.jsonl"]
    sets = [(path, load_gold(path)) for path in paths]
    index = _open(settings)
    configs = [(r, True) for r in (retriever or ["hybrid"])]
    if no_facts:
        configs.append((configs[0][0], False))
    runs = [(path, items, name, use_facts) for path, items in sets[:1] for name, use_facts in configs]
    runs += [(path, items, *configs[0]) for path, items in sets[1:]]
    summaries, all_results = {}, {}
    for path, items, name, use_facts in runs:
        label = name + ("" if use_facts else " --no-facts")
        if path != paths[0]:
            label = f"{path.stem} {label}"
        with _progress() as bar:
            task = bar.add_task(f"eval {label}", total=len(items))
            results, summary = run_eval(index, items, settings.corpus, retriever=name, use_facts=use_facts,
                                        progress=lambda done, total, task=task: bar.update(task, completed=done))
        summaries[label], all_results[label] = summary, results
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"summary": summaries, "results": all_results}, indent=1))
    table = summary_markdown(summaries)
    (out / "summary.md").write_text(f"# qa eval on {', '.join(map(str, paths))}\n\n{table}")
    typer.echo(table)
    for label, results in all_results.items():
        if label.endswith("--no-facts") or (label != configs[0][0] and " " not in label):
            continue
        failing = [r["gold"]["id"] for r in results if not r["verdict"]["correct"]]
        if failing:
            typer.echo(f"failing ({label}): {' '.join(failing)}")
    typer.echo(f"written: {out}/results.json, {out}/summary.md")


@app.command("facts")
def facts_command(
    area: Area = None,
    period: Period = None,
    measure: Annotated[str | None, typer.Option(help="Measure id, e.g. shpo, eligible, notification_rate.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    index_dir: IndexDir = None,
) -> None:
    """Export the table facts, for a spreadsheet or pandas.

    Examples:

      qa facts --area Norfolk --format csv > norfolk.csv

      qa facts --measure shpo --format json
    """
    if output_format not in ("csv", "json"):
        _fail(f"--format {output_format!r}: use csv or json")
    facts = _open(_settings(index_dir)).facts(area=area, period=period, measure=measure)
    if output_format == "json":
        typer.echo(facts_json(facts))
    else:
        sys.stdout.write(facts_csv(facts))


@app.command("reports")
def reports_command(
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List what is indexed: area, period, title, sections, facts, and tables that do not add up.

    Example:

      qa reports --json
    """
    reports = _open(_settings(index_dir)).list_reports()
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in reports], indent=2))
        return
    for r in reports:
        typer.echo(f"{r.area or '?'}\t{r.period or '?'}\t{r.title}\t{r.sections} sections\t{r.facts} facts\t{r.doc}")
        for flag in r.flags:
            typer.echo(f"\tdoes not add up: {flag}")


@app.command("serve")
def serve_command(
    index_dir: IndexDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the HTTP API and the page to ask from (the index and encoder are loaded once, at start).

    Examples:

      qa serve                                  # http://127.0.0.1:8000/ (page), /docs (API)

      qa serve --port 8080 --index-dir index/

      curl 'http://127.0.0.1:8000/ask?q=how+many+SHPOs+in+Norfolk+2024/25'
    """
    from qa.server import serve

    settings = _settings(index_dir)
    _build_if_missing(settings)
    serve(settings.index_dir, host, port)  # opens the index in the thread that serves it


@app.command("mcp")
def mcp_command(index_dir: IndexDir = None) -> None:
    """Run the MCP server on stdin/stdout, for assistants: tools ask, search_passages, lookup_facts, list_reports.

    Examples:

      qa mcp --index-dir index/

      claude mcp add mappa-qa -- qa mcp --index-dir /path/to/index
    """
    from qa.mcp_server import run_mcp

    run_mcp(_settings(index_dir).index_dir)


def main() -> None:
    """Entry point: known errors are one line on stderr and exit code 2, never a traceback."""
    try:
        app()
    except qa.QAError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
