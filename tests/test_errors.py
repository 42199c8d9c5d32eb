"""Every command, every kind of bad input: one line on stderr starting `error:`, exit 2, no traceback, and
nothing built or answered first.

Run in process through `qa.cli.main` (a subprocess per case would add half a minute); test_cli runs a few of
the same cases as real processes.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from qa.cli import main

NON_UTF8 = b"{\"id\": 1, \"question\": \"caf\xe9\"}\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Bad inputs of every kind, side by side in one folder."""
    folder = tmp_path_factory.mktemp("bad")
    (folder / "latin1.jsonl").write_bytes(NON_UTF8)
    (folder / "not-json.jsonl").write_text("how many SHPOs\n")
    (folder / "list.jsonl").write_text("[1, 2]\n")
    (folder / "good.jsonl").write_text('{"id": 1, "question": "how many SHPOs in Norfolk 2024/25"}\n')
    (folder / "a-file").write_text("not an index")
    (folder / "empty-dir").mkdir()
    return folder


def cases(folder, index_dir):
    missing = folder / "no-index-here"
    a_file = folder / "a-file"
    good = folder / "good.jsonl"
    return [
        # usage errors: typer's own messages, on one line
        (["nosuch"], "No such command 'nosuch'"),
        (["ask"], "Missing argument 'question'"),
        (["ask", "x", "--bogus"], "No such option: --bogus"),
        (["ask", "x", "--top-k", "0"], "Invalid value for '--top-k'"),
        (["ask", "x", "--top-k", "many"], "Invalid value for '--top-k'"),
        (["serve", "--port", "99999"], "Invalid value for '--port'"),
        (["batch"], "Missing argument"),
        # bad option values, found before any index is opened or built
        (["ask", "x", "--area", "Atlantis"], "not a MAPPA area"),
        (["ask", "x", "--period", "someday"], "not a reporting year"),
        (["ask", "x", "--retriever", "grep"], "--retriever 'grep'"),
        (["facts", "--format", "xml"], "use csv or json"),
        (["facts", "--measure", "nope"], "unknown measure 'nope'"),
        (["facts", "--area", "Atlantis"], "not a MAPPA area"),
        (["index", "--period", "someday", "--index-dir", str(missing)], "not a reporting year"),
        (["index", "--area", "Atlantis", "--index-dir", str(missing)], "not a MAPPA area"),
        (["eval", "--retriever", "grep"], "--retriever 'grep'"),
        # index directories: named but missing (never the demo), or a file
        *[([command, *rest, "--index-dir", str(missing)], f"build it with `qa index REPORTS... --index-dir {missing}`")
          for command, *rest in (["ask", "x"], ["batch", str(good)], ["facts"], ["reports"], ["serve"], ["mcp"],
                                 ["eval"])],
        *[([command, *rest, "--index-dir", str(a_file)], "a file, not a directory")
          for command, *rest in (["ask", "x"], ["reports"], ["facts"], ["index", str(ROOT / "seeds")])],
        # input files: missing, a folder, not UTF-8, not JSON lines
        (["batch", str(folder / "missing.jsonl"), "--index-dir", str(index_dir)], "no such questions file"),
        (["batch", str(folder / "empty-dir"), "--index-dir", str(index_dir)], "a directory"),
        (["batch", str(folder / "latin1.jsonl"), "--index-dir", str(index_dir)], "not UTF-8 text (byte 26)"),
        (["batch", str(folder / "not-json.jsonl"), "--index-dir", str(index_dir)], ":1: each line must be"),
        (["batch", str(folder / "list.jsonl"), "--index-dir", str(index_dir)], ":1: each line must be"),
        (["eval", str(folder / "missing.jsonl"), "--index-dir", str(index_dir)], "no such gold file"),
        (["eval", str(folder / "latin1.jsonl"), "--index-dir", str(index_dir)], "not UTF-8 text"),
        (["eval", str(folder / "not-json.jsonl"), "--index-dir", str(index_dir)], ":1: not JSON"),
        # output paths
        (["batch", str(good), "--out", str(folder / "nowhere" / "a.jsonl"), "--index-dir", str(index_dir)],
         "does not exist"),
        (["batch", str(good), "--out", str(folder / "empty-dir"), "--index-dir", str(index_dir)], "a directory"),
        (["eval", "--out", str(a_file), "--index-dir", str(index_dir)], "a file, not a directory"),
        # charts
        (["ask", "x", "--chart", str(folder / "x.pdf"), "--index-dir", str(index_dir)], "written as .png or .svg"),
        (["ask", "x", "--chart", str(folder / "nowhere" / "x.png"), "--index-dir", str(index_dir)], "does not exist"),
        (["chart", "nope", "--index-dir", str(index_dir)], "unknown measure 'nope'"),
        (["chart", "shpo", "--area", "Atlantis", "--index-dir", str(index_dir)], "not a MAPPA area"),
        (["chart", "shpo", "--period", "1990/91", "--out", str(folder / "c.png"), "--index-dir", str(index_dir)],
         "no figure for Sexual Harm Prevention Orders (SHPOs) in 1990/91"),
        (["chart", "shpo", "--out", str(folder / "c.gif"), "--index-dir", str(index_dir)], "written as .png or .svg"),
        (["chart", "shpo", "--index-dir", str(missing)], "build it with"),
        # report paths
        (["index", str(folder / "missing.txt"), "--index-dir", str(folder / "idx")], "no such file or directory"),
        (["index", str(folder / "empty-dir"), "--index-dir", str(folder / "idx")], "no reports"),
    ]


def test_every_bad_input_is_one_line_and_exit_2(inputs, index_dir, capfd, monkeypatch):
    monkeypatch.delenv("QA_INDEX_DIR", raising=False)
    for args, message in cases(inputs, index_dir):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        out, err = capfd.readouterr()
        assert (exit_.value.code, out) == (2, ""), (args, out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], (args, err)
    # Nothing was built where an index was missing, or anywhere else.
    assert sorted(p.name for p in inputs.iterdir()) == sorted(
        ["latin1.jsonl", "not-json.jsonl", "list.jsonl", "good.jsonl", "a-file", "empty-dir"])
