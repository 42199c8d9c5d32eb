"""The HTTP API and the page's files, in process on the real seed index: exact values, exact bytes, errors."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import re
import subprocess
import sys

import httpx
import pytest
from conftest import ROOT, seed_lines

import qa
from qa.export import FACT_COLUMNS, fact_record
from qa.server import MAX_BATCH, create_app, serve

SHPO = "how many SHPOs in Norfolk 2024/25"
NORFOLK = "004_b79ee1c3b7c55e1b.txt"


class Client:
    """Requests to the app on this thread's event loop, where the session index's SQLite connection may be used.

    (Starlette's TestClient runs the app on a thread of its own, which that connection refuses.)
    """

    def __init__(self, app):
        self.loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://testserver")

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def client(index):
    client = Client(create_app(index))
    yield client
    client.close()


@pytest.fixture(scope="module")
def norfolk_doc(index) -> str:
    return next(r.doc for r in index.list_reports() if r.doc.endswith(NORFOLK))


def test_ask_gives_the_cited_table_row(client, index):
    response = client.get("/ask", params={"q": SHPO})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == index.ask(SHPO).to_json().encode()
    answer = response.json()
    assert (answer["status"], answer["kind"], answer["value"]) == ("answered", "fact", 118)
    assert (answer["area"], answer["period"]) == ("Norfolk", "2024/25")
    assert answer["facts"][0]["lines"] == [111, 111]
    assert seed_lines(NORFOLK)[111 - 1] == "Sexual Harm Prevention Order (SHPO)\t118"
    citation = answer["citations"][0]
    assert citation["doc"].endswith(NORFOLK) and citation["lines"] == [109, 116]
    assert citation["text"] == "\n".join(seed_lines(NORFOLK)[109 - 1:116])


@pytest.mark.parametrize("question, options", [
    (SHPO, {}),
    ("how many SHPOs", {"area": "norfolk", "period": "2024-25"}),
    ("Who chairs the Norfolk MAPPA Strategic Management Board?", {"top_k": 2}),
    ("How many SHPOs were there in Norfolk in 2019/20?", {}),
])
def test_get_and_post_agree_with_the_python_api(client, index, question, options):
    by_get = client.get("/ask", params={"q": question, **options})
    by_post = client.post("/ask", json={"question": question, **options})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.content == by_post.content == index.ask(question, **options).to_json().encode()


def test_not_found_is_an_answer_not_an_error(client):
    answer = client.get("/ask", params={"q": "How many SHPOs were there in Norfolk in 2019/20?"}).json()
    assert (answer["status"], answer["value"], answer["period"]) == ("not_found", None, "2019/20")


def test_batch_answers_in_order_with_ids(client, index):
    questions = [SHPO, {"id": "q2", "question": "how many SHPOs in Norfolk 2019/20"}, {"id": 3, "question": " "}]
    response = client.post("/batch", json={"questions": questions})
    assert response.status_code == 200
    answers = response.json()
    assert answers[0] == index.ask(SHPO).to_dict()
    assert answers[1] == {"id": "q2", **index.ask("how many SHPOs in Norfolk 2019/20").to_dict()}
    # As in `qa batch`: an unusable question gets a not_found answer saying why; the rest are answered.
    assert answers[2]["id"] == 3 and answers[2]["status"] == "not_found" and "empty question" in answers[2]["answer"]


def test_batch_size_is_capped(client):
    response = client.post("/batch", json={"questions": ["x"] * (MAX_BATCH + 1)})
    assert response.status_code == 413
    assert response.json() == {"error": f"{MAX_BATCH + 1} questions: send at most {MAX_BATCH} per request"}
    assert client.post("/batch", json={"questions": []}).json() == []


def test_facts_json_and_csv(client, index):
    records = client.get("/facts", params={"area": "Norfolk", "measure": "shpo"}).json()
    assert records == [fact_record(f) for f in index.facts(area="Norfolk", measure="shpo")]
    assert len(records) == 1
    assert (records[0]["value"], records[0]["lines"], records[0]["kind"], records[0]["flag"]) == (118, [111, 111], "year", None)
    csv = client.get("/facts", params={"area": "Norfolk", "period": "2024/25", "measure": "shpo", "format": "csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    header, row = csv.text.splitlines()
    assert header == ",".join(FACT_COLUMNS)
    assert row == (f"Norfolk,2024/25,shpo,,,118,year,Restrictive orders for Category 1 offenders,"
                   f"Sexual Harm Prevention Order (SHPO),,{records[0]['doc']},111-111,")
    assert len(client.get("/facts").json()) == sum(r.facts for r in index.list_reports())


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_facts_are_what_the_command_line_exports(client, index_dir, output_format):
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir)}
    cli = subprocess.run([sys.executable, "-m", "qa.cli", "facts", "--area", "Cambridgeshire", "--format", output_format],
                         capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert cli.returncode == 0, cli.stderr
    api = client.get("/facts", params={"area": "Cambridgeshire", "format": output_format})
    assert api.content.rstrip(b"\n") == cli.stdout.rstrip(b"\n")  # `qa facts` ends with a newline


def test_reports_and_health(client, index, index_dir):
    reports = client.get("/reports").json()
    assert len(reports) == 5 and reports == [r.to_dict() for r in index.list_reports()]
    assert {(r["area"], r["period"]) for r in reports} >= {("Norfolk", "2024/25")}
    assert client.get("/health").json() == {
        "status": "ok", "index_dir": str(index_dir), "model": index.model_id, "reports": 5,
        "chunks": len(index.chunks), "facts": sum(r.facts for r in index.list_reports()), "version": qa.__version__,
    }


def test_section_of_a_citation(client, norfolk_doc):
    section = client.get("/section", params={"doc": norfolk_doc, "lines": "109-116"}).json()
    assert section["section"] == "MAPPA Statistics > Restrictive orders for Category 1 offenders"
    assert (section["title"], section["area"], section["period"]) == ("Norfolk Annual Report 2024 to 2025", "Norfolk", "2024/25")
    assert section["lines"] == [109, 116]
    assert "Sexual Harm Prevention Order (SHPO)\t118" in section["text"]


def test_section_gathers_every_passage_of_a_long_section(client, norfolk_doc):
    section = client.get("/section", params={"doc": norfolk_doc, "lines": "70"}).json()
    assert section["section"] == "What is MAPPA? > How MAPPA work"
    assert [p["lines"] for p in section["passages"]] == [[59, 70], [71, 78], [79, 80], [82, 84]]
    lines = seed_lines(NORFOLK)
    for passage in section["passages"]:  # each passage is exactly those lines of the report
        start, end = passage["lines"]
        assert passage["text"] == "\n".join(lines[start - 1:end])


def _error_of(response: httpx.Response) -> str:
    body = response.json()
    assert list(body) == ["error"] and "\n" not in body["error"] and body["error"]
    return body["error"]


@pytest.mark.parametrize("method, url, kwargs, status, message", [
    ("GET", "/ask?q=", {}, 400, "empty question"),
    ("GET", "/ask?q=%20%20", {}, 400, "empty question"),
    ("GET", "/ask", {}, 422, "query parameter q: Field required"),
    ("GET", "/ask?q=x&area=Atlantis", {}, 400, "not a MAPPA area"),
    ("GET", "/ask?q=x&period=2024/99", {}, 400, "not a reporting year"),
    ("GET", "/ask?q=" + "x" * 1001, {}, 422, "at most 1000 characters"),
    ("GET", "/ask?q=x&top_k=0", {}, 422, "top_k"),
    ("GET", "/ask?q=x&top_k=many", {}, 422, "top_k"),
    ("POST", "/ask", {"content": b'{"question": "x"', "headers": {"content-type": "application/json"}}, 422, "not valid JSON"),
    ("POST", "/ask", {"json": {"question": 5}}, 422, "body field question"),
    ("POST", "/ask", {"json": ["how many SHPOs"]}, 422, "request body"),
    ("POST", "/ask", {"json": {"question": "x", "top_k": "many"}}, 422, "body field top_k"),
    ("POST", "/ask", {"json": {"question": "x", "topk": 3}}, 422, "body field topk: Extra inputs"),
    ("POST", "/ask", {"json": {"question": "x", "area": "Atlantis"}}, 400, "not a MAPPA area"),
    ("POST", "/ask", {"content": b"x" * 1_000_001}, 413, "request body over"),
    ("POST", "/batch", {"json": {"questions": "x"}}, 422, "body field questions"),
    ("POST", "/batch", {"json": {"questions": [{"id": 1}]}}, 422, "body field questions[0].question: Field required"),
    ("POST", "/batch", {"json": {"questions": [7]}}, 422, "body field questions[0]"),
    ("GET", "/facts?measure=nope", {}, 400, "unknown measure 'nope'"),
    ("GET", "/facts?area=Atlantis", {}, 400, "not a MAPPA area"),
    ("GET", "/facts?period=someday", {}, 400, "not a reporting year"),
    ("GET", "/facts?format=xml", {}, 422, "query parameter format"),
    ("GET", "/section?doc=../../etc/passwd&lines=1-5", {}, 404, "no indexed passage"),
    ("GET", "/section?doc=/etc/passwd&lines=1", {}, 404, "no indexed passage"),
    ("GET", "/section?doc=seeds/../../../../etc/passwd&lines=1", {}, 404, "no indexed passage"),
    ("GET", "/section?doc=x&lines=abc", {}, 400, "use START-END"),
    ("GET", "/section?doc=x&lines=9-3", {}, 400, "START must be"),
    ("GET", "/section?lines=1", {}, 422, "query parameter doc"),
    ("GET", "/static/..%2f..%2fserver.py", {}, 404, "Not Found"),
    ("GET", "/static/%2e%2e/server.py", {}, 404, "Not Found"),
    ("GET", "/nowhere", {}, 404, "Not Found"),
    ("DELETE", "/ask", {}, 405, "Method Not Allowed"),
])
def test_bad_requests_are_one_line_json_errors(client, method, url, kwargs, status, message):
    response = client.request(method, url, **kwargs)
    assert response.status_code == status
    assert message in _error_of(response)


def test_section_never_reads_outside_the_index(client, norfolk_doc):
    for doc in (norfolk_doc + "/../" + NORFOLK, str(ROOT / "README.md"), "qa/server.py", "index/qa.sqlite"):
        response = client.get("/section", params={"doc": doc, "lines": "1-3"})
        assert response.status_code == 404
    beyond = client.get("/section", params={"doc": norfolk_doc, "lines": "5000-5001"})
    assert beyond.status_code == 404


def test_an_unexpected_failure_is_a_500_and_the_server_goes_on(index_dir):
    broken = qa.open_index(index_dir)
    broken.db.close()  # every SQLite read now fails
    client = Client(create_app(broken))
    try:
        response = client.get("/ask", params={"q": SHPO})
        assert response.status_code == 500
        assert "internal error (ProgrammingError)" in _error_of(response)
        assert client.get("/reports").status_code == 200
    finally:
        client.close()


def test_page_and_assets_are_served_self_contained(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<label for="question">' in page.text and 'id="question"' in page.text
    script = client.get("/static/app.js")
    style = client.get("/static/style.css")
    assert script.status_code == style.status_code == 200
    assert "javascript" in script.headers["content-type"] and style.headers["content-type"].startswith("text/css")
    for text in (page.text, script.text, style.text):
        assert "://" not in text  # nothing is fetched from anywhere else
    assert "innerHTML" not in script.text  # report text goes in as text, never as HTML


def test_openapi_schema_and_docs(client):
    schema = client.get("/openapi.json").json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("qa: MAPPA annual reports", qa.__version__)
    assert set(schema["paths"]) == {"/ask", "/batch", "/chart", "/facts", "/reports", "/section", "/health"}
    assert set(schema["paths"]["/ask"]) == {"get", "post"}
    assert all(op.get("description") for path in schema["paths"].values() for op in path.values())
    assert client.get("/docs").status_code == 200


def test_serves_on_localhost_by_default():
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_importing_qa_does_not_import_the_servers():
    code = "import sys, qa; print(json.dumps(sorted(m for m in ('fastapi', 'uvicorn', 'mcp') if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_a_chunked_body_over_the_limit_is_refused_after_reading_no_more_than_the_limit(client):
    from qa.server import MAX_BODY_BYTES

    sent = 0

    async def chunks():  # 100 MB offered without a Content-Length (Transfer-Encoding: chunked)
        nonlocal sent
        for _ in range(1600):
            sent += 65536
            yield b" " * 65536

    response = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert _error_of(response) == f"request body over {MAX_BODY_BYTES} bytes"
    assert sent <= MAX_BODY_BYTES + 2 * 65536


def test_a_chunked_body_under_the_limit_is_read(client, index):
    async def chunks():
        yield b'{"question": "how many SHPOs'
        yield b' in Norfolk 2024/25"}'

    response = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json()["value"] == 118


def test_docs_are_served_from_installed_files(client):
    page = client.get("/docs")
    assert page.status_code == 200
    scripts = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert scripts and all("://" not in url for url in scripts), scripts
    assert "cdn" not in page.text
    for url in scripts:
        asset = client.get("/" + url)
        assert asset.status_code == 200 and len(asset.content) > 500, url
    assert "SwaggerUIBundle" in client.get("/static/swagger-ui/swagger-ui-bundle.js").text


def test_fact_questions_do_not_wait_behind_passage_questions(index, index_dir):
    """With every passage worker busy, a fact question is still answered at once, on the loop."""
    import threading

    from qa.server import PassageWorkers

    workers = PassageWorkers(index_dir, 2).start()
    client = Client(create_app(index, workers))
    release = threading.Event()
    try:
        busy = [workers._pool.submit(release.wait, 60) for _ in range(2)]
        fact = client.get("/ask", params={"q": SHPO})
        assert fact.status_code == 200 and fact.json()["value"] == 118
        assert not any(f.done() for f in busy)  # the passage threads were busy all along
        release.set()
        question = "Who chairs the Norfolk MAPPA Strategic Management Board?"
        passage = client.get("/ask", params={"q": question})
        assert passage.content == index.ask(question).to_json().encode()
    finally:
        release.set()
        client.close()
        workers.close()
