"""The banks commands through typer's CliRunner on the real app."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from voicemock import __version__
from voicemock.cli import app

runner = CliRunner()

BROKEN = """\
name: broken
title: Broken bank
questions:
  - id: a
    text: ""
    difficulty: impossible
    category: behavioral
    guidance: g
  - id: a
    text: Second?
    difficulty: easy
    category: behavioral
    guidance: g
    colour: blue
"""


def test_version_and_help():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"voicemock {__version__}"
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "banks" in r.stdout


def test_python_dash_m_runs_the_same_command():
    r = subprocess.run([sys.executable, "-m", "voicemock", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"voicemock {__version__}", r.stderr
    r = subprocess.run([sys.executable, "-m", "voicemock", "banks", "show", "no-such-bank"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.startswith("voicemock: error: ") and "Traceback" not in r.stderr


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from voicemock.cli import app; "
        "from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']); "
        "heavy = [m for m in ('faster_whisper', 'ctranslate2', 'sounddevice', 'pyttsx3', 'openai', 'numpy', 'pydantic') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_banks_list_json():
    r = runner.invoke(app, ["banks", "list", "--json"])
    assert r.exit_code == 0
    names = {b["name"]: b for b in json.loads(r.stdout)}
    assert names["amazon"]["questions"] >= 36 and names["amazon"]["origin"] == "builtin"
    assert "general-behavioral" in names


def test_banks_show_json_contract():
    r = runner.invoke(app, ["banks", "show", "amazon", "--json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert {"name", "company", "title", "questions"} <= set(data)
    assert data["company"] == "Amazon" and len(data["questions"]) >= 36
    keys = {"id", "text", "difficulty", "category", "tags", "guidance", "example", "common_mistakes", "follow_ups"}
    for q in data["questions"]:
        assert set(q) == keys
        assert all(q[k] for k in keys), q["id"]


def test_banks_show_table_mentions_questions():
    r = runner.invoke(app, ["banks", "show", "general-behavioral"])
    assert r.exit_code == 0 and "gen-" in r.stdout


def test_unknown_bank_is_user_error_listing_banks():
    r = runner.invoke(app, ["banks", "show", "nosuch"])
    assert r.exit_code == 1
    assert "unknown bank 'nosuch'" in r.stderr and "amazon" in r.stderr
    assert "Traceback" not in r.output


def test_validate_reports_path_line_message(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN)
    good = tmp_path / "good.yaml"
    good.write_text(BROKEN.replace('text: ""', "text: First?").replace("impossible", "hard")
                    .replace("id: a\n    text: Second", "id: b\n    text: Second").replace("    colour: blue\n", ""))
    r = runner.invoke(app, ["banks", "validate", str(good)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["banks", "validate", str(good), str(bad)])
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert lines == [
        f"{bad}:5: question 'a': text: must not be empty",
        f"{bad}:6: question 'a': difficulty 'impossible' must be one of easy, medium, hard",
        f"{bad}:9: question 'a': duplicate id (first used on line 4)",
        f"{bad}:14: question 'a': unknown field 'colour' (allowed: category, common_mistakes, difficulty, example, follow_ups, guidance, id, tags, text)",
    ]


def test_validate_shipped_banks(repo_root):
    files = sorted(str(p) for p in (repo_root / "banks").glob("*.yaml"))
    r = runner.invoke(app, ["banks", "validate", *files])
    assert r.exit_code == 0, r.output


def test_schema_is_json():
    r = runner.invoke(app, ["banks", "schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "voicemock question bank" and "questions" in schema["properties"]


def test_bad_usage_exits_2():
    r = runner.invoke(app, ["banks", "show"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["no-such-command"])
    assert r.exit_code == 2
