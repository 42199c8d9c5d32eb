"""Load benchmark for the HTTP API (not a test): throughput and latency under concurrent requests.

Starts `qa.server.serve` on 127.0.0.1 in a subprocess, waits for /health, warms up, then sends
`--requests` GET /ask requests per question, `--concurrency` at a time, and prints one row per question.
An error is a failed request, a status other than 200, or an answer without the expected content.

Then the mixed case: `--concurrency` clients ask the passage question without pause while one more client
asks the fact question `--requests` / 4 times; the fact row is what a user asking for a figure sees while
the server is busy with passages. Last, a 100 MB request body sent with Transfer-Encoding: chunked, which
must be refused (413) without the server reading it all: its status, the bytes sent before the answer and
the server's memory before and after.

Each of the `--concurrency` workers keeps one HTTP/1.1 connection open and sends its next request when
the last one is answered (a closed loop, like wrk). The client is a few lines over asyncio streams rather
than httpx: on a 2-core machine the client shares the CPU with the server, and httpx spends several
times more CPU per request than the server does, which would measure the client.

    python eval/load.py                              # index/, 2,000 requests per question, 16 at a time
    python eval/load.py --requests 500 --concurrency 4 --json
    python eval/load.py --only mixed                 # the mixed case and the chunked body only
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (kind, question, bytes every correct answer contains)
QUESTIONS = [
    ("fact", "how many SHPOs in Norfolk 2024/25", b'"value": 118,'),
    ("passage", "who chairs the Norfolk strategic management board", b'"status": "answered"'),
]


@dataclass(frozen=True)
class Result:
    """One question's run: latencies in milliseconds, throughput in requests per second."""

    kind: str
    question: str
    requests: int
    concurrency: int
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (fraction in 0..1)."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(index_dir: Path, port: int, timeout: float = 180) -> subprocess.Popen:
    """`serve` in a subprocess, returned once GET /health answers 200."""
    code = "import sys; from qa.server import serve; serve(sys.argv[1], port=int(sys.argv[2]))"
    process = subprocess.Popen([sys.executable, "-c", code, str(index_dir), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"error: the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"error: the server did not answer /health within {timeout:.0f} s")


async def get(streams, request: bytes) -> tuple[int, bytes]:
    """Send one request on an open connection; the status code and body of its response."""
    reader, writer = streams
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    return status, await reader.readexactly(length)


async def run(port: int, kind: str, question: str, expected: bytes, requests: int, concurrency: int) -> Result:
    """Send `requests` GET /ask for `question` with `concurrency` in flight; time each one."""
    request = (f"GET /ask?{urllib.parse.urlencode({'q': question})} HTTP/1.1\r\n"
               f"Host: 127.0.0.1:{port}\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))

    async def connect():
        streams = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(5):  # warm-up
            await get(streams, request)
        return streams

    async def worker(streams) -> None:
        nonlocal errors
        for _ in remaining:
            streams, ok, ms = await timed_get(streams, request, expected, port)
            latencies.append(ms)
            errors += not ok
        streams[1].close()

    connections = await asyncio.gather(*(connect() for _ in range(concurrency)))
    started = time.perf_counter()
    await asyncio.gather(*(worker(streams) for streams in connections))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return Result(kind, question, requests, concurrency, round(requests / elapsed, 1),
                  *(round(percentile(latencies, f), 1) for f in (0.50, 0.95, 0.99)), errors)


async def timed_get(streams, request: bytes, expected: bytes, port: int):
    """One request on a connection, reconnecting after a failure: (streams, ok, milliseconds)."""
    start = time.perf_counter()
    try:
        status, body = await get(streams, request)
        ok = status == 200 and expected in body
    except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
        ok = False
        streams[1].close()
        streams = await asyncio.open_connection("127.0.0.1", port)
    return streams, ok, (time.perf_counter() - start) * 1000


async def mixed(port: int, requests: int, concurrency: int) -> list[Result]:
    """`concurrency` clients ask the passage question until one more client has asked the fact question
    `requests` times; one row for each kind, as seen under the other's load."""
    (fact_kind, fact_question, fact_expected), (passage_kind, passage_question, passage_expected) = QUESTIONS
    latencies: dict[str, list[float]] = {fact_kind: [], passage_kind: []}
    errors = {fact_kind: 0, passage_kind: 0}
    done = asyncio.Event()

    def request_for(question: str) -> bytes:
        return (f"GET /ask?{urllib.parse.urlencode({'q': question})} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\n\r\n").encode()

    async def client(kind: str, question: str, expected: bytes, count: int | None) -> None:
        request = request_for(question)
        streams = await asyncio.open_connection("127.0.0.1", port)
        sent = 0
        while not done.is_set() and (count is None or sent < count):
            streams, ok, ms = await timed_get(streams, request, expected, port)
            latencies[kind].append(ms)
            errors[kind] += not ok
            sent += 1
        streams[1].close()

    async def facts() -> None:
        await asyncio.sleep(1.0)  # let the passage load build up first
        await client(fact_kind, fact_question, fact_expected, max(requests // 4, 50))
        done.set()

    started = time.perf_counter()
    await asyncio.gather(facts(), *(client(passage_kind, passage_question, passage_expected, None)
                                    for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    rows = []
    for kind, question, clients in ((fact_kind, fact_question, 1), (passage_kind, passage_question, concurrency)):
        values = sorted(latencies[kind])
        rows.append(Result(f"mixed {kind}", question, len(values), clients, round(len(values) / elapsed, 1),
                           *(round(percentile(values, f), 1) for f in (0.50, 0.95, 0.99)), errors[kind]))
    return rows


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def chunked_body(port: int, total: int = 100 * 2**20, chunk: int = 2**16) -> tuple[int, int]:
    """POST /ask with `total` bytes in chunks and no Content-Length; (status of the answer, bytes sent by then)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST /ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n".encode())
    answer = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
    sent = 0
    piece = f"{chunk:x}\r\n".encode() + b" " * chunk + b"\r\n"
    try:
        while sent < total and not answer.done():
            writer.write(piece)
            await writer.drain()
            sent += chunk
        if not answer.done():
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except OSError:
        pass  # the server answered and closed the connection
    try:
        head = await asyncio.wait_for(answer, 60)
        status = int(head.split(b" ", 2)[1])
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        status = 0
    writer.close()
    return status, sent


def table(results: list[Result]) -> str:
    lines = ["| question | requests | concurrency | throughput (req/s) | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r.kind}: {r.question} | {r.requests} | {r.concurrency} | {r.throughput} | {r.p50_ms} | "
              f"{r.p95_ms} | {r.p99_ms} | {r.errors} |" for r in results]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=Path(os.environ.get("QA_INDEX_DIR") or ROOT / "index"),
                        help="index to serve [default: QA_INDEX_DIR or index/]")
    parser.add_argument("--requests", type=int, default=2000, help="requests per question [2000]")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight [16]")
    parser.add_argument("--only", choices=[*(kind for kind, _, _ in QUESTIONS), "mixed"],
                        help="run one question only, or only the mixed case and the chunked body")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    if not (args.index_dir / "qa.sqlite").is_file():
        raise SystemExit(f"error: no index in {args.index_dir}/: build it with `qa index` (or pass --index-dir)")
    if args.requests < 1 or args.concurrency < 1:
        raise SystemExit("error: --requests and --concurrency must be at least 1")

    port = free_port()
    server = start_server(args.index_dir, port)
    chunked = None
    try:
        results = [asyncio.run(run(port, kind, question, expected, args.requests, args.concurrency))
                   for kind, question, expected in QUESTIONS if args.only in (None, kind)]
        if args.only in (None, "mixed"):
            results += asyncio.run(mixed(port, args.requests, args.concurrency))
            before = rss_mb(server.pid)
            status, sent = asyncio.run(chunked_body(port))
            chunked = {"status": status, "bytes_sent_before_answer": sent, "server_rss_mb_before": before,
                       "server_rss_mb_after": rss_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.json:
        print(json.dumps({"results": [asdict(r) for r in results], "chunked_100mb_body": chunked}, indent=2))
    else:
        print(table(results))
        if chunked:
            print(f"\nchunked 100 MB body: status {chunked['status']} after {chunked['bytes_sent_before_answer']:,} "
                  f"bytes sent; server memory {chunked['server_rss_mb_before']} -> {chunked['server_rss_mb_after']} MB")
        print(f"\n{os.cpu_count()} CPUs; the client runs on the same machine as the server.")
    refused = chunked is None or chunked["status"] == 413
    sys.exit(1 if any(r.errors for r in results) or not refused else 0)


if __name__ == "__main__":
    main()
