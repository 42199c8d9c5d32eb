"""The index's SQLite database: the one place its schema lives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .errors import IndexMissing, IndexStale

SCHEMA_VERSION = 4  # 2: reports.page_starts; 3: the lexical index (terms, postings, lexicon),
# reports.sections/chunks/facts/flags (opening reads one table), and series: what facts count, described;
# 4: postings by block of reports (a question reads a row per term and block, not per term and report)
DB_NAME = "qa.sqlite"
MANIFEST_NAME = "manifest.json"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,      -- as shown in citations
    sha256 TEXT NOT NULL,           -- of the text, after line endings are normalised
    area TEXT,
    period TEXT,
    title TEXT NOT NULL,
    lines INTEGER NOT NULL,
    page_starts TEXT NOT NULL DEFAULT '',  -- PDFs: the line where each page begins, space-separated
    warnings TEXT NOT NULL DEFAULT '',
    sections INTEGER NOT NULL DEFAULT 0,   -- counted when the report is indexed, so that opening the index
    chunks INTEGER NOT NULL DEFAULT 0,     -- reads no passage or fact
    facts INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '[]'       -- JSON [[measure, why its table does not add up], ...]
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- also the vector's id in the FAISS index
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL             -- BM25 tokens, space-separated
);
CREATE TABLE series (               -- what facts count, described in words; shared by reports
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE,       -- measure vocabulary or printed table/row labels (qa.facts.series_text)
    tokens TEXT NOT NULL,            -- lexical tokens, space-separated, as for passages
    vector BLOB                      -- float32 unit vector of `text` from the index's model
);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    chunk_id INTEGER REFERENCES chunks(id) ON DELETE SET NULL,
    series_id INTEGER NOT NULL REFERENCES series(id),
    measure TEXT,                    -- national template measure id; NULL for other tables
    cell TEXT NOT NULL DEFAULT '',   -- the cell within its series: row and column as printed
    category INTEGER,
    level INTEGER,
    value NUMERIC,                   -- NULL is a "-" cell: not applicable
    kind TEXT NOT NULL,              -- snapshot | year
    table_title TEXT NOT NULL,
    row_label TEXT NOT NULL,
    column_label TEXT,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    flag TEXT                        -- why the table does not add up, if it does not
);
-- The lexical index (qa/lexical.py): BM25Okapi's statistics and postings, read per question term.
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,          -- in order of first appearance, as rank-bm25 meets the words
    term TEXT NOT NULL UNIQUE,
    df INTEGER NOT NULL              -- passages holding the term
);
CREATE TABLE postings (
    term_id INTEGER NOT NULL,        -- terms(id); no foreign key: removal is qa/lexical.py's, term by term
    block INTEGER NOT NULL,          -- report id // qa.lexical.BLOCK: an area/period filter reads only its blocks
    chunks BLOB NOT NULL,            -- little-endian int32 triples (chunk id, term frequency, passage tokens)
    PRIMARY KEY (term_id, block)
) WITHOUT ROWID;
CREATE TABLE lexicon (
    passages INTEGER NOT NULL,       -- N
    tokens INTEGER NOT NULL,         -- sum of passage lengths: avgdl = tokens / passages
    average_idf REAL NOT NULL        -- over the whole vocabulary: floors the idf of very common terms
);
INSERT INTO lexicon VALUES (0, 0, 0.0);
CREATE INDEX chunks_report ON chunks(report_id);
CREATE INDEX facts_measure ON facts(measure, report_id);
CREATE INDEX facts_report ON facts(report_id);
"""


def create(path: Path) -> sqlite3.Connection:
    """A new, empty database at `path` with the current schema."""
    connection = connect(path)
    connection.executescript(SCHEMA)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return connection


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def open_existing(index_dir: Path) -> sqlite3.Connection:
    """The index database in `index_dir`, checked for the current schema.

    Raises IndexMissing when there is none and IndexStale when it has another schema version.
    """
    path = index_dir / DB_NAME
    if not path.is_file():
        raise IndexMissing(f"no index in {index_dir}/: build it with `qa index` (or pass --index-dir)")
    try:
        connection = connect(path)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise IndexStale(f"{path} is not a qa index database: run `qa index --rebuild`") from None
    if version != SCHEMA_VERSION:
        raise IndexStale(
            f"{index_dir}/ was written with schema version {version}, this qa reads {SCHEMA_VERSION}: "
            "run `qa index --rebuild`"
        )
    return connection


def read_manifest(connection: sqlite3.Connection) -> dict:
    row = connection.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
    return json.loads(row[0]) if row else {}


def write_manifest(connection: sqlite3.Connection, manifest: dict) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('manifest', ?)", (json.dumps(manifest, sort_keys=True),)
    )


def chunk_ids(connection: sqlite3.Connection, report_ids: list[int]):
    """The ids of the passages of `report_ids`, ascending, as an int64 array.

    A report's passages are stored together, so their ids are one range: the chunks' report index gives
    each report's first, last and count without a row per passage reaching Python.
    """
    import numpy as np

    parts = []
    for start in range(0, len(report_ids), 500):
        part = report_ids[start : start + 500]
        for report_id, first, last, count in connection.execute(
                "SELECT report_id, MIN(id), MAX(id), COUNT(*) FROM chunks"
                f" WHERE report_id IN ({','.join('?' * len(part))}) GROUP BY report_id", part):
            if last - first + 1 == count:
                parts.append(np.arange(first, last + 1, dtype=np.int64))
            else:  # not one range (not written by this qa): list them
                parts.append(np.array([r[0] for r in connection.execute(
                    "SELECT id FROM chunks WHERE report_id = ?", (report_id,))], dtype=np.int64))
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
