import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

COMMANDS = ["index", "ask", "batch", "eval", "facts", "chart", "reports", "serve", "mcp"]


def run(*args, index_dir=None, **kwargs):
    env = {**os.environ}
    if index_dir:
        env["QA_INDEX_DIR"] = str(index_dir)
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=env,
                          cwd=kwargs.get("cwd", ROOT), timeout=300)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "qa " + command in result.stdout or "Example" in result.stdout


def test_ask_json_exit_codes(index_dir):
    result = run("ask", "--json", "how many SHPOs in Norfolk 2024/25", index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["value"], data["facts"][0]["lines"]) == (118, [111, 111])
    refused = run("ask", "how many SHPOs in Norfolk 2019/20", index_dir=index_dir)
    assert refused.returncode == 1 and "2019/20" in refused.stdout


@pytest.mark.parametrize(
    "args, message",
    [(["ask", ""], "empty question"), (["ask", "x", "--area", "Atlantis"], "not a MAPPA area"),
     (["facts", "--format", "xml"], "use csv or json"), (["facts", "--measure", "nope"], "unknown measure")],
)
def test_bad_input_is_one_line_and_exit_2(index_dir, args, message):
    result = run(*args, index_dir=index_dir)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["ask", "how many SHPOs in Norfolk 2024/25"], ["reports"], ["facts"]])
def test_a_named_index_dir_without_an_index_is_an_error_not_the_demo(tmp_path, command):
    typo = tmp_path / "idx-typo"
    for by_env in (False, True):
        result = run(*command, *([] if by_env else ["--index-dir", str(typo)]), index_dir=typo if by_env else None)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == f"error: no index in {typo}/: build it with `qa index REPORTS... --index-dir {typo}`\n"
    assert not typo.exists()


def test_index_bad_files_exit_2_but_keep_the_rest(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    good = tmp_path / "good.md"
    good.write_text((ROOT / "seeds" / "004_b79ee1c3b7c55e1b.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("index", str(tmp_path / "bad.txt"), str(good), "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 2 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
    listed = run("reports", "--json", index_dir=tmp_path / "idx")
    assert [r["area"] for r in json.loads(listed.stdout)] == ["Norfolk"]


def test_batch(index_dir, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "how many SHPOs in Norfolk 2024/25", "x": 1}\n'
                         '{"id": "b", "question": ""}\n')
    out = tmp_path / "a.jsonl"
    result = run("batch", str(questions), "--out", str(out), index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(a["id"], a["status"], a["value"]) for a in answers] == [("a", "answered", 118), ("b", "not_found", None)]


def test_facts_csv_and_reports(index_dir):
    csv_out = run("facts", "--area", "Norfolk", "--measure", "shpo", index_dir=index_dir)
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[1].startswith("Norfolk,2024/25,shpo,,,118,year,")
    reports = run("reports", index_dir=index_dir)
    assert reports.returncode == 0 and len(reports.stdout.strip().splitlines()) == 5
