"""The HTTP API and the page to ask from: the Python API over HTTP, with no answering logic of its own.

    serve(Path("index"))                  # http://127.0.0.1:8000/ (the page), /docs (the API)

Threading: an Index is not thread-safe (lazy caches, one FAISS index, one query encoder) and its SQLite
connection may only be used by the thread that opened it. So the app's own Index lives in the thread that
runs the event loop, and every endpoint is `async def` and uses it there, with no lock. Fact questions are
answered on the loop (a few milliseconds: SQLite only). Passage questions (retrieval, the query encoder)
go to `PassageWorkers`: a few threads, each with an Index of its own, opened in that thread, so that a
burst of passage questions never makes a fact question wait behind it. `serve` opens the index in the
thread that then runs uvicorn. To host the app elsewhere, open the index in the thread that will run the
event loop.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Discriminator, Field, JsonValue, Tag
from starlette.exceptions import HTTPException

import qa
from qa.api import MAX_QUESTION_CHARS
from qa.export import facts_csv, facts_json

WEB = Path(__file__).resolve().parent / "web"
MAX_BATCH = 100  # questions per POST /batch
MAX_BODY_BYTES = 1_000_000
MAX_TOP_K = 50
LINES = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?$")
# The page loads nothing from anywhere else and runs no inline script.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
log = logging.getLogger("qa.server")

DESCRIPTION = """Question answering over MAPPA annual reports: exact figures from the statistics tables and
passages, every answer citing the report lines it comes from.

The answer JSON is the one `qa ask --json` prints (see the README). Errors are `{"error": "<one line>"}`
with status 400 (bad input), 404 (nothing of that name), 413 (too large) or 422 (malformed request)."""


class Error(BaseModel):
    """Every error response: one line naming the problem."""

    error: str


class AskRequest(BaseModel):
    """One question, with optional scope."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=MAX_QUESTION_CHARS, examples=["how many SHPOs in Norfolk 2024/25"])
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description="Passages to cite.")
    area: str | None = Field(None, description="Only this MAPPA area (any alias), e.g. Norfolk.")
    period: str | None = Field(None, description="Only this reporting year, e.g. 2024/25, 2024-25 or 2025.")


class BatchItem(BaseModel):
    """A question with the id to give back with its answer (a line of `qa batch`)."""

    model_config = ConfigDict(extra="forbid")
    id: JsonValue = Field(description="Any JSON value, given back with the answer.")
    question: str = Field(max_length=MAX_QUESTION_CHARS)


# A batch item is a string or an object, chosen by its JSON type, so that a bad object is reported as
# such rather than also as "not a string". The tags are left out of error messages.
BATCH_TAGS = ("question-text", "question-object")
Question = Annotated[str, Field(max_length=MAX_QUESTION_CHARS)]
Item = Annotated[Annotated[Question, Tag(BATCH_TAGS[0])] | Annotated[BatchItem, Tag(BATCH_TAGS[1])],
                 Discriminator(lambda item: BATCH_TAGS[0] if isinstance(item, str) else BATCH_TAGS[1])]


class BatchRequest(BaseModel):
    """Questions as strings, or as {"id", "question"} objects whose answers carry the id."""

    model_config = ConfigDict(extra="forbid")
    questions: list[Item] = Field(examples=[["how many SHPOs in Norfolk 2024/25"]])


ERRORS = {400: {"model": Error, "description": "Bad input, e.g. an unknown area"},
          422: {"model": Error, "description": "Malformed request"}}


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=2), status_code=status, media_type="application/json")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split())}, status_code=status)


def _validation_message(error: RequestValidationError) -> str:
    """'query parameter top_k: Input should be ...' for the first problem pydantic found."""
    first = error.errors()[0]
    where, *path = first.get("loc") or ("request",)
    if first.get("type") == "json_invalid":
        return f"request body is not valid JSON ({first.get('ctx', {}).get('error', 'cannot parse')})"
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path
                   if part not in BATCH_TAGS).lstrip(".")
    if where == "body":
        place = f"body field {name}" if name else "request body"
    else:
        place = f"{where} parameter {name}"
    return f"{place}: {first.get('msg', 'invalid')}"


def _lines(text: str) -> tuple[int, int]:
    match = LINES.match(text)
    if not match:
        raise qa.BadInput(f"lines {text!r}: use START-END, e.g. 109-116")
    start, end = int(match[1]), int(match[2] or match[1])
    if not 1 <= start <= end:
        raise qa.BadInput(f"lines {text!r}: START must be at least 1 and at most END")
    return start, end


def section_of(index: qa.Index, doc: str, lines: tuple[int, int]) -> dict | None:
    """The whole section holding `lines` of the indexed report `doc`, from the index's passages; None if none.

    Only the index is read: `doc` is compared with the names of the indexed reports, never opened.
    Returns doc, title, area, period, section, lines (the section's span), passages ([{lines, text}] in
    order) and text (the passages joined by a blank line).
    """
    report = next((r for r in index.reports.values() if r.doc == doc), None)
    if report is None:
        return None
    chunks = sorted((c for c in index.chunks if c.report_id == report.id), key=lambda c: c.start)
    hit = next((i for i, c in enumerate(chunks) if c.start <= lines[1] and c.end >= lines[0]), None)
    if hit is None:
        return None
    first = last = hit
    while first > 0 and chunks[first - 1].section == chunks[hit].section:
        first -= 1
    while last + 1 < len(chunks) and chunks[last + 1].section == chunks[hit].section:
        last += 1
    passages = [{"lines": [c.start, c.end], "text": c.text} for c in chunks[first:last + 1]]
    return {"doc": report.doc, "title": report.title, "area": report.area, "period": report.period,
            "section": chunks[hit].section, "lines": [chunks[first].start, chunks[last].end],
            "passages": passages, "text": "\n\n".join(p["text"] for p in passages)}


class BodyTooLarge(HTTPException):
    """A request body over MAX_BODY_BYTES (413)."""

    def __init__(self) -> None:
        super().__init__(413, f"request body over {MAX_BODY_BYTES} bytes")


class BodyLimit:
    """ASGI middleware: refuse a request body over `limit` bytes, counting the bytes actually read.

    A Content-Length over the limit is refused before anything is read; a body without one (Transfer-Encoding:
    chunked) is counted as it arrives and refused, 413, as soon as it passes the limit, so no more than
    `limit` bytes (plus one chunk) are ever held in memory.
    """

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            return await _error(413, BodyTooLarge().detail)(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge()  # FastAPI reading the body turns it into our 413 response
            return message

        await self.app(scope, counted, send)


class PassageWorkers:
    """Threads that answer questions needing retrieval, each with its own Index of `index_dir` (its own SQLite
    connection, BM25, FAISS index and query encoder), opened and loaded in that thread."""

    def __init__(self, index_dir: Path, threads: int):
        self.index_dir = index_dir
        self.threads = threads
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="qa-passages", initializer=self._open)

    def _open(self) -> None:
        self._local.index = qa.open_index(self.index_dir).load()

    def start(self) -> PassageWorkers:
        """Start every thread and load its index now, rather than on the first questions."""
        barrier = threading.Barrier(self.threads)
        for future in [self._pool.submit(barrier.wait, 300) for _ in range(self.threads)]:
            future.result()
        return self

    async def ask(self, question: str, **options) -> qa.Answer:
        call = functools.partial(self._ask, question, **options)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def _ask(self, question: str, **options) -> qa.Answer:
        return self._local.index.ask(question, **options)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def create_app(index: qa.Index, workers: PassageWorkers | None = None) -> FastAPI:
    """The FastAPI app over an opened index: the JSON API, its OpenAPI docs at /docs, and the page at /.

    With `workers`, questions that need retrieval are answered in their threads; without, on the event loop.
    """
    app = FastAPI(title="qa: MAPPA annual reports", version=qa.__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit)
    # matplotlib draws in one thread of its own (pyplot is not thread-safe), off the event loop.
    charts = ThreadPoolExecutor(1, thread_name_prefix="qa-charts")

    async def ask(question: str, **options) -> qa.Answer:
        """Questions asking for a figure here, on the loop (milliseconds); the rest in the workers' threads."""
        if workers is None or index.parse(question, options.get("area"), options.get("period")).wants_number:
            return index.ask(question, **options)
        return await workers.ask(question, **options)

    @app.exception_handler(qa.QAError)
    async def qa_error(request: Request, error: qa.QAError) -> JSONResponse:
        # BadInput is the client's to fix; anything else (a lost vectors file, say) is the index's.
        return _error(400 if isinstance(error, qa.BadInput) else 503, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        log.exception("error answering %s", request.url.path)
        return _error(500, f"internal error ({type(error).__name__}): see the server log")

    @app.middleware("http")
    async def page_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path == "/" or request.url.path.startswith("/static/"):
            response.headers.update(PAGE_HEADERS)
        return response

    async def answer(question: str, top_k: int, area: str | None, period: str | None) -> Response:
        found = await ask(question, top_k=top_k, area=area, period=period)
        return Response(found.to_json(), media_type="application/json")

    @app.get("/ask", summary="Answer a question", responses=ERRORS)
    async def ask_get(
        q: str = Query(max_length=MAX_QUESTION_CHARS, description="The question.",
                       examples=["how many SHPOs in Norfolk 2024/25"]),
        top_k: int = Query(5, ge=1, le=MAX_TOP_K, description="Passages to cite."),
        area: str | None = Query(None, description="Only this MAPPA area (any alias), e.g. Norfolk."),
        period: str | None = Query(None, description="Only this reporting year, e.g. 2024/25."),
    ) -> Response:
        """The answer JSON, byte for byte what `qa ask --json` prints: status, kind, answer, value, area,
        period, facts and citations (with the cited lines). A question about an area or year that is not
        indexed is answered with status `not_found`, not an error."""
        return await answer(q, top_k, area, period)

    @app.post("/ask", summary="Answer a question (JSON body)", responses=ERRORS)
    async def ask_post(body: AskRequest) -> Response:
        """The same as GET /ask, with the question in a JSON body."""
        return await answer(body.question, body.top_k, body.area, body.period)

    @app.post("/batch", summary="Answer many questions", responses={
        **ERRORS, 413: {"model": Error, "description": f"More than {MAX_BATCH} questions"}})
    async def batch(body: BatchRequest) -> Response:
        """A JSON list of answers in the order of the questions; an answer to an {"id", "question"} item
        also carries its "id" (as `qa batch` writes). A question that cannot be used (an empty one, say)
        gets a `not_found` answer saying why; the others are still answered."""
        if len(body.questions) > MAX_BATCH:
            return _error(413, f"{len(body.questions)} questions: send at most {MAX_BATCH} per request")
        answers = []
        for item in body.questions:
            question = item if isinstance(item, str) else item.question
            try:
                result = (await ask(question)).to_dict()
            except qa.BadInput as error:
                result = qa.Answer(question=question, status="not_found", answer=str(error)).to_dict()
            answers.append(result if isinstance(item, str) else {"id": item.id, **result})
            await asyncio.sleep(0)  # let other requests in between questions
        return _json(answers)

    @app.get("/chart", summary="The chart of an answer that compares areas or years", responses={
        **ERRORS, 404: {"model": Error, "description": "The answer compares no areas or years"}})
    async def chart(
        q: str = Query(max_length=MAX_QUESTION_CHARS, description="The question, as for GET /ask.",
                       examples=["which area had the most SHPOs in 2024/25"]),
        area: str | None = Query(None, description="Only this MAPPA area (any alias)."),
        period: str | None = Query(None, description="Only this reporting year."),
        format: Literal["svg", "png", "json"] = Query("svg", description="svg or png to draw, json for the points."),
    ) -> Response:
        """The figures an answer compares (most/fewest, totals, changes, differences), one bar per cited fact:
        an SVG or PNG, or as JSON the points with the doc and lines each comes from. The page shows it
        beside the number."""
        from qa.chart import chart_for_answer

        data = chart_for_answer(await ask(q, top_k=5, area=area, period=period))
        if data is None:
            return _error(404, "no chart: this answer compares no areas or years")
        if format == "json":
            return _json(data.to_dict())
        image = await asyncio.get_running_loop().run_in_executor(charts, _render, data, format)
        return Response(image, media_type="image/svg+xml" if format == "svg" else "image/png")

    @app.get("/facts", summary="Export table figures", responses=ERRORS)
    async def facts(
        area: str | None = Query(None, description="Only this area, e.g. Norfolk."),
        period: str | None = Query(None, description="Only this year, e.g. 2024/25."),
        measure: str | None = Query(None, description="Measure id, e.g. shpo, eligible, notification_rate."),
        format: Literal["json", "csv"] = Query("json", description="json, or csv for a spreadsheet."),
    ) -> Response:
        """Every figure of every statistics table, as `qa facts` exports it: area, period, measure,
        category, level, value, kind, table/row/column labels as printed, doc, lines and flag."""
        found = index.facts(area=area, period=period, measure=measure)
        if format == "csv":
            return Response(facts_csv(found), media_type="text/csv; charset=utf-8")
        return Response(facts_json(found), media_type="application/json")

    @app.get("/reports", summary="List the indexed reports")
    async def reports() -> Response:
        """What is indexed: doc, area, period, title, lines, sections, chunks, facts, flags (tables that do
        not add up) and warnings, as `qa reports --json`."""
        return _json([report.to_dict() for report in index.list_reports()])

    @app.get("/section", summary="The full section a citation belongs to", responses={
        **ERRORS, 404: {"model": Error, "description": "No indexed report or passage there"}})
    async def section(
        doc: str = Query(max_length=1000, description="A citation's `doc`, exactly as in the answer JSON."),
        lines: str = Query(max_length=20, description="A line or span of `doc` inside the section, e.g. 109-116."),
    ) -> Response:
        """The whole section (heading path, span, passages and text) holding those lines, read from the
        index only: `doc` must name an indexed report and is never opened as a path."""
        found = section_of(index, doc, _lines(lines))
        if found is None:
            return _error(404, f"no indexed passage at {doc}:{lines}: use a citation's doc and lines (see /reports)")
        return _json(found)

    @app.get("/health", summary="Is the server up, and on what")
    async def health() -> Response:
        """Status, index directory, model, counts of reports, passages (chunks) and facts, and qa's version."""
        reports = index.list_reports()
        return _json({"status": "ok", "index_dir": str(index.index_dir), "model": index.model_id,
                      "reports": len(reports), "chunks": len(index.chunks),
                      "facts": sum(r.facts for r in reports), "version": qa.__version__})

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB / "index.html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        # Swagger UI from the swagger-ui-py package, served here: FastAPI's default loads it from a CDN,
        # which leaves /docs blank on a machine without internet access.
        return get_swagger_ui_html(openapi_url="openapi.json", title=f"{app.title}: API",
                                   swagger_js_url="static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="static/swagger-ui/favicon-32x32.png")

    app.mount("/static/swagger-ui", StaticFiles(directory=swagger_ui_path()), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app


def _render(data, fmt: str) -> bytes:
    from qa.chart import render

    return render(data, fmt)


def swagger_ui_path() -> Path:
    """Swagger UI's files (5.x, which reads OpenAPI 3.1), installed with the swagger-ui-py package; found
    without importing it (its module imports jinja2 and PyYAML for frameworks qa does not use)."""
    import importlib.util

    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise qa.QAError("the swagger-ui-py package is missing: `pip install swagger-ui-py` (it serves /docs)")
    return Path(spec.submodule_search_locations[0]) / "static"


def serve(index_dir: Path | None = None, host: str = "127.0.0.1", port: int = 8000,
          threads: int | None = None) -> None:
    """Open and load the index once, start the passage workers (`threads`, default: one per CPU but one, at
    least 1 and at most 4), then serve the API and the page with uvicorn until interrupted.

    One CPU is left to the event loop, which answers fact questions: on 2 CPUs, two passage threads gave no
    more passage throughput than one (they share the GIL) and tripled the fact questions' p95 under load.
    """
    import uvicorn

    index = qa.open_index(index_dir).load()
    workers = PassageWorkers(index.index_dir, threads or max(1, min(4, (os.cpu_count() or 1) - 1))).start()
    try:
        # One process, and the event loop in this thread, which opened the index (see the module docstring).
        uvicorn.run(create_app(index, workers), host=host, port=port, workers=1, log_level="info")
    finally:
        workers.close()
