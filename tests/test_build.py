"""Builds account for every file and clean up after themselves: the summary line, skipped files and folders,
duplicates, moved reports, and what a killed build leaves behind."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import ROOT, SEEDS
from test_cli import run
from test_index import TinyEmbedder

import qa
from qa.index import _Window, write_lock

NORFOLK = "004_b79ee1c3b7c55e1b.txt"
LONDON = "002_c7e779d3e77a4788.txt"

# A build in its own process whose embedder is slow, so that it can be killed half-way.
SLOW_BUILD = """
import sys, time
sys.path.insert(0, sys.argv[3])
from test_index import TinyEmbedder
import qa

class Slow(TinyEmbedder):
    def encode(self, texts):
        time.sleep(0.5)
        return super().encode(texts)

qa.build_index([sys.argv[1]], sys.argv[2], embedder=Slow())
"""


def leftovers(index_dir):
    return sorted(p.name for p in index_dir.iterdir() if ".tmp" in p.name)


def test_a_killed_build_leaves_the_index_answering_and_the_next_build_cleans_up(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / NORFOLK, corpus / NORFOLK)
    index_dir = tmp_path / "idx"
    qa.build_index([corpus], index_dir, embedder=TinyEmbedder())
    before = sorted(p.name for p in index_dir.iterdir())
    shutil.copy(SEEDS / LONDON, corpus / LONDON)

    build = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(corpus), str(index_dir), str(ROOT / "tests")])
    deadline = time.monotonic() + 60
    while not any(name.endswith("-journal") for name in leftovers(index_dir)):  # mid-transaction
        assert build.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.05)
    build.send_signal(signal.SIGKILL)
    build.wait()
    left = leftovers(index_dir)
    assert any(name.startswith(".qa.sqlite.") and name.endswith(".tmp") for name in left), left

    index = qa.open_index(index_dir, embedder=TinyEmbedder())  # the previous index still answers
    assert [r.area for r in index.list_reports()] == ["Norfolk"]
    assert index.ask("how many SHPOs in Norfolk 2024/25").value == 118

    with write_lock(index_dir):  # never while another build holds the lock
        with pytest.raises(qa.IndexBusy):
            qa.build_index([corpus], index_dir, embedder=TinyEmbedder())
        assert leftovers(index_dir) == left

    report = qa.build_index([corpus], index_dir, embedder=TinyEmbedder())
    assert sorted(report.removed_leftovers) == left
    assert leftovers(index_dir) == []
    assert sorted(p.name for p in index_dir.iterdir() if not p.name.startswith("vectors-")) == sorted(
        p for p in before if not p.startswith("vectors-"))
    assert [r.area for r in qa.open_index(index_dir, embedder=TinyEmbedder()).list_reports()] == ["London", "Norfolk"]


def _without_root_privileges() -> list[str]:
    """A command prefix under which file permissions apply, as they do for any user but root."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs setpriv to drop root's rights")
def test_every_file_is_accounted_for_in_one_summary_line(tmp_path):
    corpus = tmp_path / "reports"
    (corpus / "locked").mkdir(parents=True)
    shutil.copy(SEEDS / NORFOLK, corpus / "locked" / "hidden.txt")
    for copy in ("norfolk.txt", "copy-1.txt", "copy-2.txt", "copy-3.md"):
        shutil.copy(SEEDS / NORFOLK, corpus / copy)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 MAPPA".encode("latin-1"))
    (corpus / "secret.txt").write_text("MAPPA annual report")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "notes.csv").write_text("not a report, passed over")
    (corpus / "locked").chmod(0)
    (corpus / "secret.txt").chmod(0)
    index_dir = tmp_path / "idx"
    try:
        result = subprocess.run(
            [*_without_root_privileges(), sys.executable, "-m", "qa.cli", "index", str(corpus),
             str(corpus / "missing.txt"), "--index-dir", str(index_dir)],
            capture_output=True, text=True, cwd=ROOT, timeout=300)
    finally:
        (corpus / "locked").chmod(stat.S_IRWXU)
        (corpus / "secret.txt").chmod(stat.S_IRWXU)
    assert result.returncode == 2, result.stderr
    summary = result.stdout.splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"{index_dir}/: 1 reports, ")
    assert "(1 added, 0 updated, 0 unchanged, 3 duplicates skipped, 5 skipped;" in summary[0]
    assert sorted(result.stderr.splitlines()) == sorted([
        f"skipped: {corpus}/locked: cannot read the folder (Permission denied)",
        f"skipped: {corpus}/gone.txt: a link to nothing",
        f"skipped: {corpus}/latin1.txt: not UTF-8 text (byte 3); convert it, e.g. `iconv -f cp1252 -t utf-8`",
        f"skipped: {corpus}/secret.txt: cannot read it (Permission denied)",
        f"skipped: {corpus}/missing.txt: no such file or directory",
    ])
    assert [r.doc for r in qa.open_index(index_dir).list_reports()] == ["reports/copy-1.txt"]

    (corpus / "secret.txt").unlink()
    verbose = run("index", str(corpus), "--index-dir", str(index_dir), "--verbose")
    assert verbose.returncode == 2  # gone.txt and latin1.txt are still there
    assert "(0 added, 0 updated, 1 unchanged, 4 duplicates skipped, 2 skipped;" in verbose.stdout
    assert sorted(line for line in verbose.stderr.splitlines() if line.startswith("duplicate: ")) == [
        f"duplicate: reports/{name}: same text as reports/copy-1.txt, indexed once"
        for name in ("copy-2.txt", "copy-3.md", "locked/hidden.txt", "norfolk.txt")]


def test_many_copies_are_counted_not_listed(tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    text = (SEEDS / NORFOLK).read_text(encoding="utf-8").replace("Norfolk", "Norfolc")  # no area: one warning
    for number in range(30):
        (corpus / f"copy-{number:02}.txt").write_text(text, encoding="utf-8")
    report = qa.build_index([corpus], tmp_path / "idx", embedder=TinyEmbedder())
    assert (report.reports, len(report.duplicates), report.skipped) == (1, 29, ())
    assert len(report.warnings) == 1 and "no MAPPA area" in report.warnings[0]


def test_reports_keep_their_identity_when_the_index_or_a_file_moves(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (NORFOLK, LONDON):
        shutil.copy(SEEDS / name, corpus / name)
    embedder = TinyEmbedder()
    first = qa.build_index([corpus], tmp_path / "a" / "idx", embedder=embedder)
    assert sorted(first.added) == [f"corpus/{LONDON}", f"corpus/{NORFOLK}"]

    # The index is moved elsewhere and the same corpus indexed again: nothing new, nothing duplicated.
    shutil.move(tmp_path / "a" / "idx", tmp_path / "elsewhere")
    again = qa.build_index([corpus], tmp_path / "elsewhere", embedder=embedder)
    assert (len(again.unchanged), again.added, again.duplicates, again.embedded) == (2, (), (), 0)

    # A report edited in place is updated in place.
    norfolk = corpus / NORFOLK
    norfolk.write_text(norfolk.read_text(encoding="utf-8") + "\nA closing paragraph.\n", encoding="utf-8")
    edited = qa.build_index([corpus], tmp_path / "elsewhere", embedder=embedder)
    assert (edited.updated, edited.reports) == ((f"corpus/{NORFOLK}",), 2)

    # A report whose file moved (renamed within the corpus) keeps its chunks and vectors under the new name.
    norfolk.rename(corpus / "norfolk-2024-25.txt")
    moved = qa.build_index([corpus], tmp_path / "elsewhere", embedder=embedder)
    assert moved.moved == (f"corpus/{NORFOLK} -> corpus/norfolk-2024-25.txt",)
    assert (moved.added, moved.duplicates, moved.embedded, moved.reports) == ((), (), 0, 2)
    index = qa.open_index(tmp_path / "elsewhere", embedder=embedder)
    assert index.ask("how many SHPOs in Norfolk 2024/25").facts[0].doc == "corpus/norfolk-2024-25.txt"

    # A copy of a report whose file is still there is a duplicate, not a move.
    shutil.copy(corpus / LONDON, tmp_path / "london-copy.txt")
    copy = qa.build_index([tmp_path / "london-copy.txt"], tmp_path / "elsewhere", embedder=embedder)
    assert copy.duplicates == (f"{tmp_path.name}/london-copy.txt: same text as corpus/{LONDON}, indexed once",)
    assert copy.moved == () and copy.reports == 2


def test_an_index_of_absolute_names_is_renamed_in_place(tmp_path):
    """Indexes built before names were relative to the corpus root held absolute paths: matched by content."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / NORFOLK, corpus / NORFOLK)
    qa.build_index([corpus], tmp_path / "idx", embedder=TinyEmbedder())
    import sqlite3

    with sqlite3.connect(tmp_path / "idx" / "qa.sqlite") as connection:
        connection.execute("UPDATE reports SET path = ?", (str(corpus / NORFOLK),))
    report = qa.build_index([corpus], tmp_path / "idx", embedder=TinyEmbedder())
    assert report.moved == (f"{corpus / NORFOLK} -> corpus/{NORFOLK}",) and report.embedded == 0


def test_nothing_to_index_writes_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(qa.DocumentError, match="nothing to index"):
        qa.build_index([tmp_path / "empty"], tmp_path / "idx", embedder=TinyEmbedder())
    assert not (tmp_path / "idx").exists()


def test_two_different_reports_for_one_area_and_year_are_both_kept_and_flagged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SEEDS / NORFOLK).read_text(encoding="utf-8")
    (corpus / "norfolk.txt").write_text(text, encoding="utf-8")
    (corpus / "norfolk-revised.txt").write_text(text.replace("(SHPO)\t118", "(SHPO)\t120"), encoding="utf-8")
    report = qa.build_index([corpus], tmp_path / "idx", embedder=TinyEmbedder())
    assert (report.reports, report.duplicates) == (2, ())
    reports = qa.open_index(tmp_path / "idx", embedder=TinyEmbedder()).list_reports()
    assert sorted((r.doc, r.same_area_and_period) for r in reports) == [
        ("corpus/norfolk-revised.txt", ("corpus/norfolk.txt",)),
        ("corpus/norfolk.txt", ("corpus/norfolk-revised.txt",)),
    ]
    listed = run("reports", index_dir=tmp_path / "idx")
    assert listed.returncode == 0
    assert "\tanother report for Norfolk 2024/25, with different text: corpus/norfolk-revised.txt" in listed.stdout
    assert "\tanother report for Norfolk 2024/25, with different text: corpus/norfolk.txt" in listed.stdout


def test_passages_embedded_window_by_window_keep_their_own_vectors(tmp_path, monkeypatch):
    """Windows are embedded in the background while the next reports are stored: each vector still lands on
    its own passage, as when every passage is embedded at once, and the progress counts up to every passage,
    with the time left (the total estimated from the reports chunked so far, exact once all are)."""
    for name in (NORFOLK, LONDON):
        shutil.copy(SEEDS / name, tmp_path / name)
    monkeypatch.setattr(_Window, "WINDOW", 10**6)
    at_once = qa.build_index([tmp_path], tmp_path / "at-once", embedder=TinyEmbedder())
    monkeypatch.setattr(_Window, "WINDOW", 7)  # many windows in flight, and a last one part-full
    calls = []
    report = qa.build_index([tmp_path], tmp_path / "idx", embedder=TinyEmbedder(),
                            progress=lambda what, done, total: calls.append((what, done, total)))
    assert report.chunks == at_once.chunks and report.chunks % 7
    windowed, whole = (qa.open_index(tmp_path / d, embedder=TinyEmbedder()) for d in ("idx", "at-once"))
    ids = [row[0] for row in windowed.db.execute("SELECT id FROM chunks ORDER BY id")]
    assert ids == [row[0] for row in whole.db.execute("SELECT id FROM chunks ORDER BY id")]
    assert windowed.dense.index.ntotal == len(ids) == report.chunks
    assert np.array_equal(np.vstack([windowed.dense.index.reconstruct(i) for i in ids]),
                          np.vstack([whole.dense.index.reconstruct(i) for i in ids]))
    embedding = [(what, done, total) for what, done, total in calls if what.startswith("embedding passages")]
    assert [done for _, done, _ in embedding] == [0, *range(7, report.chunks, 7), report.chunks]
    assert embedding[-1][2] == report.chunks and all(total >= done for _, done, total in embedding)
    assert all(", about " in what and " s left" in what for what, _, _ in embedding[1:-1])
