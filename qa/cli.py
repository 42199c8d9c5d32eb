"""The `qa` command: parse options, call one API function, print. Known errors become one line and exit 2."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

import qa
from qa.evaluate import load_gold, run_eval, summary_markdown
from qa.export import facts_csv, facts_json
from qa.vocabulary import MEASURES, canonical_area, normalise_period

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


def _check_index_dir(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        _fail(f"--index-dir {directory}: a file, not a directory; give the directory that holds the index")


def _progress():
    """A progress bar on stderr when it is a terminal; in a log or a pipe, nothing (its last frame is noise)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False, disable=not console.is_terminal)


def _build(settings: qa.Settings, paths: list[Path] | None, rebuild: bool = False, area=None, period=None):
    with _progress() as bar:
        task = bar.add_task("reading reports", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        return qa.build_index(paths, settings.index_dir, settings=settings, rebuild=rebuild, area=area,
                              period=period, progress=progress)


def _ready(index_dir: Path | None) -> qa.Settings:
    """The settings, once the index they name exists.

    Only the default index (no --index-dir, no QA_INDEX_DIR: typer fills `index_dir` from either) is built
    from the corpus on first use; a named directory without an index is an error, so that a mistyped name
    never answers from the demo reports.
    """
    settings = _settings(index_dir)
    _check_index_dir(settings.index_dir)
    if (settings.index_dir / "qa.sqlite").exists():
        return settings
    if index_dir is not None:
        _fail(f"no index in {settings.index_dir}/: build it with `qa index REPORTS... --index-dir {settings.index_dir}`")
    typer.echo(f"No index in {settings.index_dir}/ yet: indexing {settings.corpus}/ (once).", err=True)
    _build(settings, None)
    return settings


def _open(index_dir: Path | None) -> qa.Index:
    return qa.open_index(_ready(index_dir).index_dir)


def _check_scope(area: str | None, period: str | None) -> None:
    if area and canonical_area(area) is None:
        _fail(f"--area {area!r} is not a MAPPA area (e.g. Norfolk, London, Cheshire)")
    if period and normalise_period(period) is None:
        _fail(f"--period {period!r} is not a reporting year (e.g. 2024/25, 2024-25, 2025)")


def _check_out_file(out: Path | None) -> None:
    """Fail now, not after answering, when `out` cannot be written."""
    if out is None:
        return
    if out.is_dir():
        _fail(f"--out {out}: a directory; give a file name")
    if not out.parent.is_dir():
        _fail(f"--out {out}: the folder {out.parent}/ does not exist")


def _read_text(path: Path, what: str) -> str:
    """A UTF-8 input file's text; one-line errors for a missing, unreadable or non-UTF-8 one."""
    if path.is_dir():
        _fail(f"{path}: a directory, not a {what}")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"{path}: no such {what}")
    except UnicodeDecodeError as error:
        _fail(f"{path}: not UTF-8 text (byte {error.start}); convert it, e.g. `iconv -f cp1252 -t utf-8`")
    except OSError as error:
        _fail(f"{path}: cannot read it ({error.strerror})")
    raise AssertionError  # _fail always exits


@app.command("index")
def index_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Report files or directories (default: seeds/).")] = None,
    index_dir: IndexDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start from an empty index.")] = False,
    area: Annotated[str | None, typer.Option(help="Area for reports that do not name one.")] = None,
    period: Annotated[str | None, typer.Option(help="Period for reports that do not state one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every skipped file and duplicate.")] = False,
) -> None:
    """Index report files (.txt, .md, .pdf, .docx, .html); unchanged reports are not embedded again.

    Ends with one summary line; files that could not be read are listed (one line each, on stderr) and make
    the exit code 2, after every other file is indexed. Copies of an indexed report are counted, not indexed.

    Examples:

      qa index                      # the seeds/ corpus into index/

      qa index reports/ --index-dir /tmp/idx

      qa index norfolk.txt --area Norfolk --period 2024/25
    """
    settings = _settings(index_dir)
    _check_index_dir(settings.index_dir)
    _check_scope(area, period)
    period_name = normalise_period(period) if period else None
    report = _build(settings, paths, rebuild, canonical_area(area) if area else None, period_name)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        typer.echo(build_summary(report))
    _list("warning", report.warnings, verbose)
    _list("skipped", report.skipped, verbose)
    if verbose:
        _list("duplicate", report.duplicates, verbose)
    if report.skipped:
        raise typer.Exit(2)


SHOWN = 10  # lines of one kind printed without --verbose


def build_summary(report: qa.BuildReport) -> str:
    """The one line `qa index` ends with: what is indexed now, and what this run did with every file."""
    done = [f"{len(report.added)} added", f"{len(report.updated)} updated", f"{len(report.unchanged)} unchanged"]
    if report.moved:
        done.append(f"{len(report.moved)} moved")
    if report.duplicates:
        done.append(f"{len(report.duplicates)} duplicate{'s' * (len(report.duplicates) != 1)} skipped")
    if report.skipped:
        done.append(f"{len(report.skipped)} skipped")
    return (f"{report.index_dir}/: {report.reports} reports, {report.chunks} passages, {report.facts} facts "
            f"({', '.join(done)}; {report.embedded} passages embedded in {report.seconds:.1f} s)")


def _list(kind: str, lines: tuple[str, ...], verbose: bool) -> None:
    shown = lines if verbose else lines[:SHOWN]
    for line in shown:
        typer.echo(f"{kind}: {line}", err=True)
    if len(lines) > len(shown):
        typer.echo(f"{kind}: {len(lines) - len(shown)} more (--verbose lists them)", err=True)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer JSON.")] = False,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=50, help="Passages to cite.")] = 5,
    area: Area = None,
    period: Period = None,
    index_dir: IndexDir = None,
    retriever: Annotated[str, typer.Option(help="hybrid (fused, then reranked), fused, bm25 or dense.")] = "hybrid",
    no_facts: Annotated[bool, typer.Option("--no-facts", help="Answer from passages only.")] = False,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Also draw the figures compared (areas, years) to this .png or .svg file.")] = None,
) -> None:
    """Answer a question, citing the report lines. Exit 0 answered, 1 not found, 2 bad input.

    Examples:

      qa ask "how many SHPOs in Norfolk 2024/25"

      qa ask --json "Who chairs the Norfolk MAPPA Strategic Management Board?"

      qa ask "registered sex offenders at level 2" --area London --period 2025

      qa ask "which area had the most SHPOs in 2024/25" --chart shpo.png
    """
    _check_scope(area, period)
    if chart:
        from qa.chart import check_chart_path

        check_chart_path(chart)
    if retriever not in qa.api.RETRIEVERS:
        _fail(f"--retriever {retriever!r}: use one of {', '.join(qa.api.RETRIEVERS)}")
    index = _open(index_dir)
    answer = index.ask(question, top_k=top_k, area=area, period=period, retriever=retriever, use_facts=not no_facts)
    if as_json:
        typer.echo(answer.to_json())
    else:
        _print_answer(answer)
    if chart:
        _write_answer_chart(answer, chart)
    raise typer.Exit(0 if answer.status == "answered" else 1)


def _write_answer_chart(answer: qa.Answer, path: Path) -> None:
    from qa.chart import chart_for_answer, write_chart

    data = chart_for_answer(answer)
    if data is None:
        typer.echo(f"note: no chart written to {path}: this answer compares no areas or years", err=True)
        return
    write_chart(data, path)
    typer.echo(f"chart of {len(data.points)} figures written to {path}", err=True)


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
    _check_out_file(out)
    items = []
    for number, line in enumerate(_read_text(questions, "questions file").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            items.append((item["id"], str(item["question"])))
        except (json.JSONDecodeError, KeyError, TypeError, IndexError):
            _fail(f"{questions}:{number}: each line must be a JSON object with \"id\" and \"question\"")
    index = _open(index_dir)
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
        help="Question sets (JSONL); default: eval/gold.jsonl and the held-out eval/blind.jsonl, blind2.jsonl to blind7.jsonl.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for results.json and summary.md.")] = Path("eval/results"),
    index_dir: IndexDir = None,
    retriever: Annotated[list[str] | None, typer.Option(help="hybrid, fused, bm25, dense; repeat to compare.")] = None,
    no_facts: Annotated[bool, typer.Option("--no-facts", help="Also run without the table lookup.")] = False,
) -> None:
    """Score the answers on question sets: accuracy, wrong numbers, citations, hit@k, MRR, latency.

    The first set is scored under each configuration; the others (held out) with the first configuration.

    Examples:

      qa eval                                   # eval/gold.jsonl and the blind sets (blind, blind2 to blind7), hybrid

      qa eval eval/gold.jsonl --retriever hybrid --retriever bm25 --retriever dense --no-facts
    """
    settings = _settings(index_dir)
    for name in retriever or []:
        if name not in qa.api.RETRIEVERS:
            _fail(f"--retriever {name!r}: use one of {', '.join(qa.api.RETRIEVERS)}")
    if out.exists() and not out.is_dir():
        _fail(f"--out {out}: a file, not a directory")
    defaults = ["gold", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7"]
    paths = gold or [p for p in (Path(f"eval/{name}.jsonl") for name in defaults) if p.is_file() or p.name == "gold.jsonl"]
    for path in paths:
        _read_text(path, "gold file")  # one-line errors for a missing or non-UTF-8 file, before any work
    sets = [(path, load_gold(path)) for path in paths]
    index = _open(index_dir)
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
    _check_scope(area, period)
    if measure and measure not in MEASURES:
        _fail(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    facts = _open(index_dir).facts(area=area, period=period, measure=measure)
    if output_format == "json":
        typer.echo(facts_json(facts))
    else:
        sys.stdout.write(facts_csv(facts))


@app.command("chart")
def chart_command(
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. shpo, eligible, notification_rate (see qa facts).")],
    area: Annotated[list[str] | None, typer.Option("--area", help="Only these areas; repeat for several.")] = None,
    period: Annotated[list[str] | None, typer.Option("--period", help="Only these years; repeat for several.")] = None,
    category: Annotated[int | None, typer.Option(min=1, max=4, help="Category cell of a grid measure.")] = None,
    level: Annotated[int | None, typer.Option(min=1, max=3, help="Level cell of a grid measure.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="The .png or .svg to write [default: MEASURE.png].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the chart's points as JSON.")] = False,
    index_dir: IndexDir = None,
) -> None:
    """Plot a measure across the indexed areas or years; prints each point with the report lines it comes from.

    Examples:

      qa chart shpo --period 2024/25                # SHPOs by area: shpo.png

      qa chart eligible --area Cambridgeshire --out eligible.svg

      qa chart eligible --category 1 --level 2 --json
    """
    from qa.chart import check_chart_path, measure_chart, write_chart

    if measure not in MEASURES:
        _fail(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    for name in area or []:
        _check_scope(name, None)
    for name in period or []:
        _check_scope(None, name)
    out = out or Path(f"{measure}.png")
    check_chart_path(out)
    index = _open(index_dir)
    data = measure_chart(index.facts(measure=measure), measure, area or [], period or [], category, level)
    write_chart(data, out)
    if as_json:
        typer.echo(json.dumps(data.to_dict(), indent=2, ensure_ascii=False))
    else:
        for point in data.points:
            typer.echo(f"{point.label}\t{point.value}\t{point.doc}:{point.lines[0]}-{point.lines[1]}")
    typer.echo(f"chart of {len(data.points)} figures written to {out}", err=True)


@app.command("reports")
def reports_command(
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List what is indexed: area, period, title, sections, facts, tables that do not add up, and warnings
    (a text that looks like two columns read across, say).

    Example:

      qa reports --json
    """
    reports = _open(index_dir).list_reports()
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in reports], indent=2))
        return
    for r in reports:
        typer.echo(f"{r.area or '?'}\t{r.period or '?'}\t{r.title}\t{r.sections} sections\t{r.facts} facts\t{r.doc}")
        for flag in r.flags:
            typer.echo(f"\tdoes not add up: {flag}")
        for other in r.same_area_and_period:
            typer.echo(f"\tanother report for {r.area} {r.period}, with different text: {other}")
        for warning in r.warnings:
            typer.echo(f"\twarning: {warning}")


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

    serve(_ready(index_dir).index_dir, host, port)  # opens the index in the thread that serves it


@app.command("mcp")
def mcp_command(index_dir: IndexDir = None) -> None:
    """Run the MCP server on stdin/stdout, for assistants: tools ask, search_passages, lookup_facts, list_reports.

    Examples:

      qa mcp --index-dir index/

      claude mcp add mappa-qa -- qa mcp --index-dir /path/to/index
    """
    from qa.mcp_server import run_mcp

    run_mcp(_ready(index_dir).index_dir)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: list[str] | None = None) -> None:
    """Entry point: known errors, usage errors included, are one line on stderr and exit code 2, never a
    traceback (click's own usage messages come in a box, so they are caught here rather than printed)."""
    # Libraries' progress bars (transformers' "Loading weights") would land on stderr beside ours.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        code = app(args=argv, prog_name="qa", standalone_mode=False)
    except typer.TyperException as error:  # typer's (vendored) click usage errors derive from it
        context = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and context:  # plain `qa`: the help, as usual
            typer.echo(context.get_help())
            sys.exit(0)
        where = f" (see `{context.command_path} --help`)" if context else ""
        typer.echo(f"error: {_one_line(error.format_message()).rstrip('.')}{where}", err=True)
        code = 2
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        code = 130
    except qa.QAError as error:
        typer.echo(f"error: {_one_line(error)}", err=True)
        code = 2
    except OSError as error:  # a path we were given that the system would not open or write
        where = f"{error.filename}: " if error.filename else ""
        typer.echo(f"error: {where}{error.strerror or _one_line(error)}", err=True)
        code = 2
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
