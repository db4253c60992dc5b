"""Hostile input and faults: every attack here once broke or degraded voicemock, and must not again.

Each attack is generated at test time and kept small. What is asserted: the user's data is never
lost or touched outside what they named, work stays bounded, and every command ends in one line
and an exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from llm_server import FakeLLM, Reply, verdict
from sessionfactory import AnswerSpec, make_session
from voicemock.cli import app
from voicemock.config import history_db_path

VOICEMOCK = str(Path(sys.executable).parent / "voicemock")
runner = CliRunner()
ESC = "\x1b"
NASTY = ("title\x1b]0;pwned\x07 clear\x1b[2J\x1b[H hidden\x1b[8m"
         " clip\x1b]52;c;ZXZpbA==\x07 dcs\x1bP+q\x1b\\ bell\x07 \u202eevil")


def run(*args, env=None, timeout=120, input=None) -> subprocess.CompletedProcess:
    return subprocess.run([VOICEMOCK, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL if input is None else None,
                          input=input)


def one_line_error(proc: subprocess.CompletedProcess, code: int = 1) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("voicemock: error:")]
    assert len(errors) == 1, proc.stderr
    return errors[0]


def peak_rss_mb(*args, timeout=120) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``voicemock ARGS`` through a fresh parent, so its own peak RSS (MB) is measured alone."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, file=sys.stderr); "
            "sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", code, VOICEMOCK, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    *rest, last = proc.stderr.rstrip("\n").split("\n")
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, "\n".join(rest)), float(last)


@pytest.fixture
def rec(tmp_path, voicemock_home) -> Path:
    rec = tmp_path / "recordings"
    (voicemock_home / "config.toml").write_text(f'recordings_dir = "{rec}"\n')
    return rec


# --- erase only what is ours ----------------------------------------------------------------------


def _decoy(parent: Path, name: str = "project") -> Path:
    decoy = parent / name
    (decoy / "src").mkdir(parents=True)
    (decoy / "src" / "main.py").write_text("print('precious')\n")
    (decoy / ".git").mkdir()
    (decoy / "session.json").write_text('{"name": "my web session", "cookies": []}')
    return decoy


def test_erase_refuses_a_project_folder_that_holds_a_session_json(rec, tmp_path):
    make_session(rec)
    decoy = _decoy(tmp_path)
    line = one_line_error(run("erase", decoy, "--yes"))
    assert "not a voicemock session folder" in line
    one_line_error(run("erase", decoy, "--yes", "--force-outside"))
    assert (decoy / "src" / "main.py").exists() and (decoy / ".git").is_dir()


def test_erase_older_than_never_touches_a_decoy_among_sessions(rec):
    real = make_session(rec)
    decoy = _decoy(rec, "notes-folder")
    proc = run("erase", "--older-than", "1d", "--out", rec, "--yes")
    assert proc.returncode == 0, proc.stderr
    assert not real.exists() and (decoy / "src" / "main.py").exists()
    assert f"erased {real}" in proc.stderr and "notes-folder" not in proc.stderr


def test_erase_of_a_link_to_a_session_says_it_is_a_link_and_keeps_both(rec, tmp_path):
    real = make_session(rec)
    link = rec / "link"
    os.symlink(real, link)
    line = one_line_error(run("erase", link, "--yes"))
    assert "is a link" in line and str(real) in line
    assert link.is_symlink() and (real / "session.json").exists()


def test_erase_by_path_outside_recordings_needs_force_outside(rec, tmp_path):
    outside = make_session(tmp_path / "elsewhere")
    line = one_line_error(run("erase", outside, "--yes"))
    assert "not inside a recordings folder" in line and "--force-outside" in line
    assert outside.exists()
    proc = run("erase", outside, "--yes", "--force-outside")
    assert proc.returncode == 0 and not outside.exists()


def test_erase_of_a_session_saved_among_other_files_deletes_only_voicemocks_files(rec, tmp_path):
    """A coach saves a candidate's session.json and WAV straight into Downloads and annotates it:
    Downloads is then an indexed "session". Erasing it, by id or by age, must not take the rest."""
    made = make_session(tmp_path / "staging")
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    for p in made.iterdir():
        shutil.move(str(p), downloads / p.name)
    (downloads / "taxes-2025.pdf").write_text("precious")
    (downloads / "photos").mkdir()
    (downloads / "photos" / "me.jpg").write_text("precious")
    os.symlink(downloads / "taxes-2025.pdf", downloads / "q09.wav")  # a link is never ours
    (downloads / "Q4-earnings-call.wav").write_bytes(b"precious")  # named like an answer, but not one voicemock writes
    (downloads / "family-memo.wav").write_bytes(b"precious")
    data = json.loads((downloads / "session.json").read_text())
    data["answers"][0]["audio"] = "family-memo.wav"  # the sender's session.json names the coach's file
    (downloads / "session.json").write_text(json.dumps(data))
    assert run("annotate", downloads / "session.json", "--answer", "1", "--note", "ok").returncode == 0
    sid = json.loads((downloads / "session.json").read_text())["id"]
    assert [r["folder"] for r in json.loads(run("history", "--json").stdout)] == [str(downloads)]

    proc = run("erase", sid, "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "photos/" in proc.stderr and "taxes-2025.pdf" in proc.stderr and "kept" in proc.stderr
    assert "session.json" in proc.stderr.split("kept")[0]  # what goes is named before it goes
    left = sorted(p.name for p in downloads.iterdir())
    assert left == ["Q4-earnings-call.wav", "family-memo.wav", "photos", "q09.wav", "taxes-2025.pdf"]
    assert (downloads / "taxes-2025.pdf").read_text() == "precious" and (downloads / "photos" / "me.jpg").exists()
    assert json.loads(run("history", "--json").stdout) == []


@pytest.mark.parametrize("age", ["99999999999d", "9" * 400 + "w"])
def test_erase_older_than_an_age_no_calendar_holds_is_a_message(rec, age):
    real = make_session(rec)
    line = one_line_error(run("erase", "--older-than", age, "--yes"))
    assert "--older-than" in line and "at most" in line
    assert real.exists()


def test_erase_lists_what_it_deletes_and_removes_every_copy(rec):
    original = make_session(rec)
    copy = rec / (original.name + "-copy")
    shutil.copytree(original, copy)
    assert run("history", "--rebuild").returncode == 0
    listed = json.loads(run("history", "--json").stdout)
    assert len(listed) == 2 and [r["copy_of"] is not None for r in listed].count(True) == 1
    proc = run("erase", original.name, "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "will erase 2 session(s)" in proc.stderr
    assert not original.exists() and not copy.exists()
    assert json.loads(run("history", "--json").stdout) == []


# --- the terminal is not the data's to control ----------------------------------------------------


def _escape_session(rec: Path) -> Path:
    folder = make_session(rec, [AnswerSpec(question_id="q01", chunks=[f"At my last job {NASTY} we shipped."],
                                           question=f"Tell me {NASTY}")])
    data = json.loads((folder / "session.json").read_text())
    data["bank"] = f"bank{NASTY}"
    data["answers"][0]["result"]["rubric"]["feedback"] = [f"feedback {NASTY}"]
    data["answers"][0]["audio"] = f"missing{ESC}[2J.wav"
    (folder / "session.json").write_text(json.dumps(data))
    (folder / "annotations.json").write_text(json.dumps([{
        "question_id": "q01", "coach": f"coach{NASTY}", "created_at": "2026-11-21T10:00:00+00:00",
        "note": f"note {NASTY}", "scores": {}}]))
    return folder


def test_no_report_is_written_over_any_sessions_recording_or_transcript(rec, tmp_path):
    """review refused to write over the session it reviewed, but not over another one's files, and
    progress --png wrote its chart over whatever it was given."""
    mine, other = make_session(rec), make_session(rec, when=datetime(2026, 11, 21, 9))
    assert run("history", "--rebuild").returncode == 0
    before = {p: p.read_bytes() for p in other.iterdir()}
    for cmd in (("review", mine, "--html", other / "session.json"), ("review", mine, "--markdown", other / "q01.wav"),
                ("progress", "--png", other / "q01.wav"), ("progress", "--png", other / "session.json")):
        line = one_line_error(run(*cmd))
        assert "belongs to the voicemock session" in line, line
    assert {p: p.read_bytes() for p in other.iterdir()} == before
    assert "ending in .png" in one_line_error(run("progress", "--png", tmp_path / "chart.jpg"))
    assert not (tmp_path / "chart.jpg").exists()
    same = tmp_path / "report"
    assert "same file" in one_line_error(run("review", mine, "--html", same, "--markdown", same))
    assert not same.exists()


def test_the_reports_annotate_hint_is_safe_to_paste_into_a_shell(rec, tmp_path):
    """The HTML report suggests 'voicemock annotate SESSION --answer KEY'; the key comes from the
    sender's audio names and question ids, and pasting the hint once ran their shell code."""
    import html as htmlmod
    import re

    folder = make_session(rec, [AnswerSpec(question_id="q$(touch${IFS}pwn1)"), AnswerSpec(question_id="q2")])
    data = json.loads((folder / "session.json").read_text())
    data["answers"][1]["audio"] = "q02;touch pwn2;.wav"
    shutil.copy(folder / "q02.wav", folder / "q02;touch pwn2;.wav")
    data["answers"][0]["audio"] = None
    data["id"] = "x$(touch pwn3)"
    (folder / "session.json").write_text(json.dumps(data))
    out = tmp_path / "r.html"
    assert run("review", folder, "--html", out).returncode == 0
    hints = [htmlmod.unescape(h) for h in re.findall(r"<code>(voicemock annotate [^<]*)</code>", out.read_text())]
    assert len(hints) == 2
    work = tmp_path / "shell"
    work.mkdir()
    script = "voicemock() { printf '%s\\n' \"$@\" >> args; }\n" + "\n".join(hints) + "\n"
    subprocess.run(["bash", "-c", script], cwd=work, check=True, timeout=30)
    assert sorted(p.name for p in work.iterdir()) == ["args"]  # nothing but the stub ran
    args = (work / "args").read_text().splitlines()
    assert args.count("--answer") == 2 and "1" in args and "2" in args  # the answers by number instead


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a pseudo-terminal")
@pytest.mark.parametrize("term", ["dumb", "xterm-256color"])
def test_review_of_an_escape_laden_session_through_a_pseudo_terminal(rec, tmp_path, term):
    folder = _escape_session(rec)
    out = tmp_path / "typescript"
    cmd = f"{VOICEMOCK} review {folder}; {VOICEMOCK} history --rebuild; {VOICEMOCK} history"
    subprocess.run(["script", "-qec", cmd, str(out)], env={**os.environ, "TERM": term, "COLUMNS": "120"},
                   capture_output=True, timeout=120, check=True)
    raw = out.read_bytes().decode("utf-8", errors="replace")
    body = raw.split("\n", 1)[1] if raw.startswith("Script started") else raw
    for seq in ("\x1b]", "\x1b[2J", "\x1b[H", "\x1b[8m", "\x1bP", "\x07", "\u202e"):
        assert seq not in body, repr(seq)
    if term == "dumb":
        assert ESC not in body  # no colours either: every ESC would have come from the data
    assert "title" in body and "clear" in body  # the text itself is shown


def test_markdown_and_json_outputs_carry_no_escapes_to_the_terminal(rec, tmp_path):
    folder = _escape_session(rec)
    proc = run("review", folder, "--markdown", tmp_path / "r.md")
    assert proc.returncode == 0, proc.stderr
    assert ESC not in proc.stderr and "\x07" not in proc.stderr
    proc = run("review", folder, "--json")
    assert ESC not in proc.stdout  # JSON escapes control characters itself
    assert "\\u001b" in proc.stdout


C1_AND_BIDI = ("\x9b", "\x9d", "\x85", "\x7f", "\u202e", "\u2066")


def test_json_on_stdout_escapes_c1_controls_and_bidi_overrides(rec, tmp_path):
    """json.dumps(ensure_ascii=False) escapes C0 only: U+009B (CSI) and U+202E reached the terminal."""
    folder = _escape_session(rec)
    data = json.loads((folder / "session.json").read_text())
    data["answers"][0]["question"] = "Tell me \x9b2J\x9d0;pwn\x9c \x85 \x7f \u2066 \u202eevil"
    (folder / "session.json").write_text(json.dumps(data))
    bank = tmp_path / "c1.yaml"
    bank.write_text('name: c1\ntitle: "T \\u009b2J \\u202e"\nquestions:\n  - id: q1\n    text: "Hi \\u009d0;x"\n'
                    "    difficulty: easy\n    category: behavioral\n    guidance: g\n", encoding="utf-8")
    for args in (("review", folder, "--json"), ("banks", "show", bank, "--json")):
        proc = run(*args)
        assert proc.returncode == 0, proc.stderr
        for ch in C1_AND_BIDI + (ESC, "\x07"):
            assert ch not in proc.stdout, (args[0], repr(ch))
        json.loads(proc.stdout)  # still one valid document
    doc = json.loads(run("review", folder, "--json").stdout)
    assert doc["session"]["answers"][0]["question"] == data["answers"][0]["question"]  # the same data


@pytest.mark.parametrize("kind", ["markdown", "html"])
def test_report_files_hold_no_escape_sequences(rec, tmp_path, kind):
    """A coach reads review.md with cat (and sends it on): the data's escapes stay out of the file."""
    folder = _escape_session(rec)
    out = tmp_path / f"r.{kind}"
    proc = run("review", folder, f"--{kind}", out)
    assert proc.returncode == 0, proc.stderr
    body = out.read_text(encoding="utf-8")
    for ch in C1_AND_BIDI + (ESC, "\x07", "\r"):
        assert ch not in body, repr(ch)
    assert "title" in body and "clear" in body and "pwned" not in body  # the text is there, the OSC not


# --- bounded work ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e300", "-5"])
def test_absurd_durations_are_problems_not_loops(rec, tmp_path, value):
    folder = make_session(rec)
    raw = (folder / "session.json").read_text()
    data = json.loads(raw)
    data["answers"][0]["result"]["transcript"]["duration_s"] = 0.0
    text = json.dumps(data).replace('"duration_s": 0.0', f'"duration_s": {value}', 1)
    (folder / "session.json").write_text(text)
    proc = run("review", folder, "--html", tmp_path / "r.html", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "problem:" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "r.html").stat().st_size < 5_000_000


def _zip_with(tmp_path: Path, entries: dict[str, bytes], name="s.zip", compression=zipfile.ZIP_DEFLATED) -> Path:
    z = tmp_path / name
    with zipfile.ZipFile(z, "w", compression) as zf:
        for n, data in entries.items():
            zf.writestr(n, data)
    return z


def test_zip_bomb_entry_is_refused_quickly_in_bounded_memory(rec, tmp_path):
    folder = make_session(rec)
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder / "session.json", f"{folder.name}/session.json")
        with zf.open(f"{folder.name}/q01.wav", "w", force_zip64=True) as dst:
            block = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB compressed
                dst.write(block)
    assert z.stat().st_size < 2_000_000
    proc, rss = peak_rss_mb("review", z, "--html", tmp_path / "r.html", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "refused entry" in proc.stderr and "MB allowed per file" in proc.stderr
    assert rss < 400, rss
    assert (tmp_path / "r.html").stat().st_size < 5_000_000


def test_huge_session_json_is_refused_before_parsing(rec, tmp_path):
    folder = make_session(rec)
    data = json.loads((folder / "session.json").read_text())
    data["settings"]["padding"] = "x" * (25 * 1024 * 1024)
    (folder / "session.json").write_text(json.dumps(data))
    proc = run("review", folder, timeout=60)
    assert proc.returncode == 0
    assert "MB allowed" in proc.stderr and "Traceback" not in proc.stderr


def test_html_embeds_audio_only_up_to_the_limit(rec, tmp_path, voicemock_home):
    folder = make_session(rec, [AnswerSpec("q01"), AnswerSpec("q02")])
    (voicemock_home / "config.toml").write_text(f'recordings_dir = "{rec}"\nmax_embed_mb = 0.01\n')
    proc = run("review", folder, "--html", tmp_path / "r.html")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "r.html").read_text()
    assert "data:audio" not in html and "q01.wav" in html
    assert "linked, not embedded" in proc.stderr and "linked, not embedded" in html
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o600


def test_yaml_alias_bomb_bank_is_refused_by_validate_and_show(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\nname: b\ntitle: t\nquestions: *a8\n")
    for args in (["banks", "validate", bomb], ["banks", "show", bomb, "--json"]):
        proc = run(*args, timeout=60)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "aliases" in proc.stdout + proc.stderr


@pytest.mark.parametrize("text", ["x: " + "[" * 1000 + "]" * 1000 + "\n",
                                  "x:\n" + "".join("  " * i + "a:\n" for i in range(1, 1200)) + "  " * 1200 + "b: 1\n"])
def test_a_deeply_nested_bank_is_one_problem_and_does_not_break_banks_list(tmp_path, voicemock_home, text):
    deep = tmp_path / "deep.yaml"
    deep.write_text(text)
    for args in (["banks", "validate", deep], ["banks", "show", deep]):
        proc = run(*args, timeout=60)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr + proc.stdout, proc.stderr
        assert "nested too deeply" in proc.stdout + proc.stderr
    (voicemock_home / "banks").mkdir(exist_ok=True)
    shutil.copy(deep, voicemock_home / "banks" / "deep.yaml")
    proc = run("banks", "list")
    assert proc.returncode == 0 and "amazon" in proc.stdout, proc.stderr  # the others are still listed


def test_audio_names_no_file_system_takes_are_problems_not_crashes(rec):
    """A NUL byte or a 5000-character audio name once stopped review, annotate, erase and the
    whole history rebuild; a FIFO or folder was "missing", an escape-laden name shown as another."""
    folder = make_session(rec, [AnswerSpec(question_id=f"q{i}") for i in range(1, 6)])
    data = json.loads((folder / "session.json").read_text())
    names = ["q01.wav\x00.txt", "x" * 5000 + ".wav", "fifo.wav", "q04\x1b[31m.wav", "session.json"]
    for a, name in zip(data["answers"], names):
        a["audio"] = name
    (folder / "session.json").write_text(json.dumps(data))
    os.mkfifo(folder / "fifo.wav")
    proc = run("review", folder)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if "problem:" in line]
    assert len(problems) == 5 and all(len(line) < 300 for line in problems), problems
    assert "not a valid file name" in problems[0] and "not a valid file name" in problems[1]
    assert "not a regular file" in problems[2]
    assert "\\x1b[31m" in problems[3]  # named as it is, not as the q04.wav that exists
    assert "not an audio file" in problems[4]
    assert run("annotate", folder, "--answer", "1", "--note", "ok").returncode == 0
    assert run("history", "--rebuild").returncode == 0
    assert [r["folder"] for r in json.loads(run("history", "--json").stdout)] == [str(folder)]


@pytest.mark.parametrize("started", ["yesterday", "9999-12-31T23:59:59+00:00", "1970-01-01T00:00:00", 1e308])
def test_a_session_date_no_session_could_have_is_replaced_by_the_folders(rec, started):
    """A received session dated 9999 was always 'the last session' for plan (its bank chosen) and
    never old enough for erase --older-than; a wrong type cost the session its id."""
    from voicemock.sessions.read import load_session

    folder = make_session(rec)
    data = json.loads((folder / "session.json").read_text())
    data["started_at"], data["id"] = started, "their-id"
    (folder / "session.json").write_text(json.dumps(data))
    loaded = load_session(folder)
    assert loaded.session.started_at == "2026-11-20T09:30:00"  # from the folder name
    assert loaded.session.id == "their-id"
    assert len(loaded.problems) == 1 and "started_at" in loaded.problems[0]


def test_a_wrong_type_in_one_field_drops_that_field_not_the_session_id(rec):
    from voicemock.sessions.read import load_session

    folder = make_session(rec)
    data = json.loads((folder / "session.json").read_text())
    data["settings"], data["id"] = "x", "their-id"
    (folder / "session.json").write_text(json.dumps(data))
    loaded = load_session(folder)
    assert loaded.session.id == "their-id" and loaded.session.settings == {}
    assert len(loaded.problems) == 1 and "settings ignored" in loaded.problems[0]


def test_a_damaged_zip_is_named_as_damaged_not_as_missing(rec, tmp_path):
    folder = make_session(rec)
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as z:
        for p in folder.iterdir():
            z.write(p, f"{folder.name}/{p.name}")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (tmp_path / "text.zip").write_text("hello")
    for name in ("cut.zip", "text.zip"):
        for cmd in (("review", tmp_path / name), ("annotate", tmp_path / name, "--answer", "1", "--note", "x")):
            line = one_line_error(run(*cmd))
            assert "not a valid zip file" in line and "no such session" not in line, line


def test_a_linked_annotations_file_is_neither_read_nor_written_through(rec, tmp_path):
    folder = make_session(rec)
    outside = tmp_path / "notes.json"
    outside.write_text(json.dumps([{"question_id": "q1", "coach": "x", "created_at": "2026-12-07T00:00:00+00:00",
                                    "note": "read from OUTSIDE", "scores": {"overall": 99}}]))
    os.symlink(outside, folder / "annotations.json")
    proc = run("review", folder)
    assert proc.returncode == 0 and "OUTSIDE" not in proc.stdout and "is a link" in proc.stderr
    line = one_line_error(run("annotate", folder, "--answer", "1", "--note", "mine"))
    assert "is a link" in line
    assert (folder / "annotations.json").is_symlink() and "mine" not in outside.read_text()


@pytest.mark.parametrize("field, value", [("words_per_minute", -1e308), ("fillers_per_minute", 1e300),
                                          ("lead_in_s", -5.0), ("filler_confidence_min", 7.0)])
def test_absurd_delivery_figures_are_problems_not_printed(rec, field, value):
    folder = make_session(rec)
    data = json.loads((folder / "session.json").read_text())
    data["answers"][0]["result"]["delivery"][field] = value
    (folder / "session.json").write_text(json.dumps(data))
    proc = run("review", folder)
    assert proc.returncode == 0, proc.stderr
    assert "problem:" in proc.stderr and field in proc.stderr
    assert "e+" not in proc.stdout and "0000000000" not in proc.stdout
    assert "rewrote" in proc.stdout and "cache" in proc.stdout  # the transcript is still shown


def test_a_zip_of_two_sessions_says_which_one_it_shows(rec, tmp_path):
    a, b = make_session(rec), make_session(rec, when=datetime(2026, 11, 21, 9))
    z = tmp_path / "two.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for folder, name in ((a, "a"), (b, "b")):
            for p in folder.iterdir():
                zf.write(p, f"{name}/{p.name}")
    proc = run("review", z, "--extract", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "holds 2 sessions" in proc.stderr and str(tmp_path / "out" / "b") in proc.stderr


def test_a_path_too_long_for_the_file_system_is_a_one_line_message(tmp_path, rec):
    long = "y" * 5000
    for args in (("review", long), ("review", long + ".zip"), ("review", make_session(rec), "--html", long + ".html")):
        line = one_line_error(run(*args))
        assert len(line) < 600, line


def test_an_audio_file_longer_than_the_limit_is_a_message(tmp_path, voicemock_home):
    long = tmp_path / "long.wav"
    sf.write(str(long), np.zeros(16000 * 150, dtype=np.float32), 16000)
    (voicemock_home / "config.toml").write_text("max_score_s = 120\n")
    line = one_line_error(run("score", long, timeout=60))
    assert "longer than 2:00 min" in line and "max_score_s" in line


@pytest.mark.parametrize("what", ["txt", "wav", "bank", "config", "session"])
def test_a_fifo_is_refused_instead_of_hanging(tmp_path, voicemock_home, rec, what):
    fifo = tmp_path / {"txt": "a.txt", "wav": "a.wav", "bank": "b.yaml", "config": "c", "session": "s"}[what]
    if what == "config":
        fifo = voicemock_home / "config.toml"
        fifo.unlink()
    if what == "session":
        folder = make_session(rec)
        (folder / "session.json").unlink()
        fifo = folder / "session.json"
    os.mkfifo(fifo)
    args = {"txt": ["score", fifo], "wav": ["score", fifo], "bank": ["banks", "show", fifo],
            "config": ["score", tmp_path / "none.txt"], "session": ["review", fifo.parent]}[what]
    proc = run(*args, timeout=30)
    assert "Traceback" not in proc.stderr
    assert "not a regular file" in proc.stderr + proc.stdout


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_llm_server_that_trickles_is_cut_off_at_the_deadline(tmp_path, voicemock_home):
    answer = tmp_path / "a.txt"
    answer.write_text("At my last job the export failed. My goal was to fix it. I rewrote the retry logic. "
                      "As a result failures dropped to zero.")
    (voicemock_home / "config.toml").write_text("llm_timeout_s = 2\n")
    with FakeLLM([Reply.ok(json.dumps(verdict()), trickle_s=0.5, trickle_chunks=40)]) as srv:
        proc = run("score", answer, "--json", "--judge", "llm", "--llm-base-url", srv.base_url,
                   "--llm-model", "fake-model", timeout=30)
    assert proc.returncode == 0, proc.stderr
    rubric = json.loads(proc.stdout)["rubric"]
    assert rubric["judge"] == "offline" and "timeout" in rubric["llm_error"]


def test_huge_llm_reply_is_refused_and_long_feedback_cut(tmp_path):
    from voicemock.rubric import JudgeOptions, judge_answer, make_judge
    from voicemock.scoring.pipeline import load_transcript_text
    from voicemock.scoring.star import analyze_structure

    answer = tmp_path / "a.txt"
    answer.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
    t = load_transcript_text(answer)
    st = analyze_structure(t)
    huge = verdict(feedback=["x" * 600_000])
    with FakeLLM([Reply.ok(json.dumps(huge))]) as srv:
        judge = make_judge(JudgeOptions(kind="llm", base_url=srv.base_url, model="fake-model", max_retries=0,
                                        remember_formats=False))
        r = judge_answer(judge, question=None, transcript=t, structure=st)
    assert r.judge == "offline" and "larger than" in (r.llm_error or "")
    with FakeLLM([Reply.ok(json.dumps(verdict(feedback=["word " * 300])))]) as srv:
        judge = make_judge(JudgeOptions(kind="llm", base_url=srv.base_url, model="fake-model", max_retries=0,
                                        remember_formats=False))
        r = judge_answer(judge, question=None, transcript=t, structure=st)
    assert r.judge == "llm" and len(r.feedback[0]) <= 400


# --- a message, not a traceback -------------------------------------------------------------------


def test_a_model_that_fails_to_load_mid_answer_is_one_line_and_the_recording_is_kept(rec, tmp_path):
    """A damaged model passes the up-front check (model.bin is there) and fails in the streaming
    worker: its log.exception printed a whole traceback on the 'voicemock: error:' line."""
    answer = make_session(tmp_path / "src") / "q01.wav"
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.bin").write_bytes(os.urandom(1000))
    (model / "config.json").write_text("{}")
    out = tmp_path / "out"
    proc = run("practice", "--no-tts", "--no-follow-up", "--answer-file", answer, "--model", model, "--out", out)
    line = one_line_error(proc)
    assert "Traceback" not in proc.stderr and 'File "' not in proc.stderr
    assert "cannot load Whisper model" in line and "kept in" in line
    (folder,) = out.iterdir()
    assert str(folder) in line
    assert sf.info(str(folder / "q01.wav")).duration == pytest.approx(sf.info(str(answer)).duration, abs=0.1)


@pytest.mark.parametrize("when", ["nan", "-nan", "NaN"])
def test_not_filler_at_no_time_is_a_message(rec, when):
    folder = make_session(rec)
    line = one_line_error(run("annotate", folder, "--answer", "1", f"--not-filler={when}"))
    assert "--not-filler" in line and "seconds" in line
    assert not (folder / "annotations.json").exists()


def _patch_zip(z: Path, field: str, value: int) -> None:
    """Rewrite every local and central header of a one-entry zip: flag bits or compression method."""
    data = bytearray(z.read_bytes())
    for sig, off in ((b"PK\x03\x04", {"flags": 6, "method": 8}), (b"PK\x01\x02", {"flags": 8, "method": 10})):
        i = data.find(sig)
        while i >= 0:
            data[i + off[field]: i + off[field] + 2] = value.to_bytes(2, "little")
            i = data.find(sig, i + 4)
    z.write_bytes(bytes(data))


@pytest.mark.parametrize("attack", ["long_name", "non_utf8", "encrypted", "deflate64", "outside", "not_session_file"])
def test_bad_zip_entries_are_named_and_skipped(rec, tmp_path, attack):
    folder = make_session(rec)
    sj = (folder / "session.json").read_bytes()
    if attack == "long_name":
        z = _zip_with(tmp_path, {f"{folder.name}/session.json": sj, f"{folder.name}/{'q' * 300}.wav": b"RIFF"})
    elif attack == "non_utf8":
        z = tmp_path / "s.zip"
        with zipfile.ZipFile(z, "w") as zf:
            zf.writestr(f"{folder.name}/session.json", sj)
            info = zipfile.ZipInfo(f"{folder.name}/caf\udce9.wav".encode("utf-8", "surrogateescape").decode("cp437"))
            zf.writestr(info, b"RIFF")
    elif attack in ("encrypted", "deflate64"):
        z = _zip_with(tmp_path, {f"{folder.name}/session.json": sj})
        _patch_zip(z, "flags" if attack == "encrypted" else "method", 1 if attack == "encrypted" else 9)
    elif attack == "outside":
        z = _zip_with(tmp_path, {f"{folder.name}/session.json": sj, "../../escape.json": b"{}"})
    else:
        z = _zip_with(tmp_path, {f"{folder.name}/session.json": sj, f"{folder.name}/run.sh": b"rm -rf ~"})
    proc = run("review", z, "--extract", tmp_path / "out", timeout=60)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1)
    if attack != "non_utf8":  # a cp437 name is just an odd name: extracted, shown safely
        assert "refused entry" in proc.stderr or "cannot be extracted" in proc.stderr or "error:" in proc.stderr
    assert not (tmp_path.parent / "escape.json").exists()
    assert not list((tmp_path / "out").rglob("run.sh")) if (tmp_path / "out").exists() else True
    if attack in ("outside", "not_session_file"):  # a second look at the same zip (its folder reused) says it again
        again = run("review", z, "--extract", tmp_path / "out", timeout=60)
        assert again.returncode == 0 and "refused entry" in again.stderr, again.stderr


@pytest.mark.parametrize("tagged, words", [('text: !!int "x"', "not a valid int"), ("text: !custom x", "YAML tag"),
                                           ("text: 5", "text: must be text, not int")])
def test_yaml_tags_and_scalar_types_in_banks_are_one_line_each(tmp_path, tagged, words):
    bank = tmp_path / "b.yaml"
    bank.write_text("name: b\ntitle: t\nquestions:\n  - id: q1\n    " + tagged +
                    "\n    difficulty: easy\n    category: behavioral\n    guidance: g\n")
    proc = run("banks", "validate", bank)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bank}:5: ") and words in lines[0]


@pytest.mark.parametrize("attack", ["digits", "nesting"])
def test_absurd_json_is_a_problem_and_rebuild_goes_on(rec, attack):
    bad = make_session(rec)
    good = make_session(rec, when=__import__("datetime").datetime(2026, 11, 21, 9, 0))
    payload = ("{\"x\": " + "9" * 5000 + "}") if attack == "digits" else ("[" * 100_000 + "]" * 100_000)
    (bad / "session.json").write_text(payload)
    proc = run("review", bad)
    assert proc.returncode == 0 and "problem:" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("history", "--rebuild")
    assert proc.returncode == 0, proc.stderr
    assert "indexed 1 session(s)" in proc.stderr and "skipped" in proc.stderr
    assert [r["id"] for r in json.loads(run("history", "--json").stdout)] == [good.name]


@pytest.mark.parametrize("field, value", [("long_pause_count", 10**30), ("filler_count", -7), ("ownership", 10**25)])
def test_absurd_counts_are_problems_and_never_overflow_the_index(rec, field, value):
    """A 30-digit count once stopped every rebuild with an internal error (SQLite integer overflow)."""
    bad = make_session(rec)
    good = make_session(rec, when=__import__("datetime").datetime(2026, 11, 21, 9, 0))
    data = json.loads((bad / "session.json").read_text())
    result = data["answers"][0]["result"]
    if field == "ownership":
        result["structure"]["ownership"]["we"] = value
    else:
        result["delivery"][field] = value
    (bad / "session.json").write_text(json.dumps(data))
    proc = run("history", "--rebuild")
    assert proc.returncode == 0, proc.stderr
    assert "indexed 2 session(s)" in proc.stderr
    rows = json.loads(run("history", "--json").stdout)
    assert sorted(r["id"] for r in rows) == sorted([bad.name, good.name])
    assert all(r["fillers_per_minute"] is None or 0 <= r["fillers_per_minute"] < 100 for r in rows)
    proc = run("review", bad)
    assert proc.returncode == 0 and "problem:" in proc.stderr
    if value > 0:
        assert str(value) not in proc.stdout


@pytest.mark.parametrize("kind, name", [("markdown", "session.json"), ("html", "q01.wav"),
                                        ("html", "annotations.json"), ("markdown", "../session.zip")])
def test_a_report_is_never_written_over_the_session_it_reports(rec, tmp_path, kind, name):
    """review S --markdown S/session.json (or --html S/q01.wav, from tab completion) replaced the
    transcript or the only recording with the report."""
    folder = make_session(rec)
    (folder / "annotations.json").write_text("[]")
    z = shutil.make_archive(str(folder.parent / "session"), "zip", folder)
    source = z if name.endswith(".zip") else folder
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    zipped = Path(z).read_bytes()
    line = one_line_error(run("review", source, f"--{kind}", folder / name))
    assert "part of the session" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before and Path(z).read_bytes() == zipped
    link = tmp_path / "report.html"
    link.symlink_to(folder / "session.json")
    one_line_error(run("review", folder, "--html", link))
    assert (folder / "session.json").read_bytes() == before["session.json"]


def test_a_zip_extracted_into_a_folder_with_another_session_never_shows_that_one(rec, tmp_path):
    """'review cand.zip --extract recordings' showed a session already in recordings as if it came
    from the zip ('extracted earlier'), and annotate wrote the coach's note onto it."""
    mine = make_session(rec)
    theirs = make_session(tmp_path / "cand", [AnswerSpec(chunks=["I led the billing migration myself."])],
                          when=__import__("datetime").datetime(2026, 11, 25, 8, 0))
    z = Path(shutil.make_archive(str(tmp_path / "inbox" / "cand"), "zip", theirs.parent, theirs.name))
    for cmd in (("review", z), ("annotate", z, "--answer", "1", "--note", "theirs")):
        line = one_line_error(run(*cmd, "--extract", rec))
        assert "does not hold the session of cand.zip" in line and "--extract" in line
    assert not (mine / "annotations.json").exists() and sorted(p.name for p in rec.iterdir()) == [mine.name]
    empty = tmp_path / "empty"
    proc = run("annotate", z, "--answer", "1", "--note", "theirs", "--extract", empty)
    assert proc.returncode == 0, proc.stderr
    proc = run("review", z, "--extract", empty, "--json")  # the same zip again: reused, note shown
    assert proc.returncode == 0 and "extracted from cand.zip earlier" in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["session"]["id"] == theirs.name and [n["note"] for n in doc["annotations"]] == ["theirs"]


def test_an_audio_link_out_of_the_session_is_named_as_such_and_never_read(rec, tmp_path):
    folder = make_session(rec)
    secret = tmp_path / "secret.wav"
    shutil.copy(folder / "q01.wav", secret)
    (folder / "q01.wav").unlink()
    (folder / "q01.wav").symlink_to(secret)
    proc = run("review", folder, "--html", tmp_path / "r.html")
    assert proc.returncode == 0
    assert "q01.wav is a link that does not lead to a file in the session folder" in proc.stderr
    assert "<audio id=" not in (tmp_path / "r.html").read_text()  # the linked file is never embedded


def test_review_html_to_a_folder_or_a_missing_folder(rec, tmp_path):
    folder = make_session(rec)
    line = one_line_error(run("review", folder, "--html", tmp_path))
    assert "is a folder" in line and "review.html" in line
    line = one_line_error(run("review", folder, "--markdown", tmp_path))
    assert "is a folder" in line and str(tmp_path / "review.md") in line  # the example fits the report
    proc = run("review", folder, "--html", tmp_path / "new" / "deeper" / "r.html")
    assert proc.returncode == 0 and (tmp_path / "new" / "deeper" / "r.html").is_file()


# --- the index is a cache -------------------------------------------------------------------------


def _corrupt_index() -> None:
    path = history_db_path()
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 3)):  # scribble over the pages after the header
        data[i] = 0xAB
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["corrupt_page", "missing_table", "foreign"])
def test_damaged_index_gives_messages_and_rebuild_recreates_it(rec, damage):
    make_session(rec)
    assert run("history", "--rebuild").returncode == 0
    if damage == "corrupt_page":
        _corrupt_index()
    elif damage == "missing_table":
        db = sqlite3.connect(history_db_path())
        db.execute("DROP TABLE answers")
        db.commit()
        db.close()
    else:
        history_db_path().unlink()
        db = sqlite3.connect(history_db_path())
        db.execute("CREATE TABLE invoices (n INTEGER)")
        db.commit()
        db.close()
    for args in (["history"], ["progress"], ["plan"], ["erase", "--older-than", "1d", "--yes"]):
        line = one_line_error(run(*args))
        assert "history --rebuild" in line
    proc = run("history", "--rebuild")
    assert proc.returncode == 0, proc.stderr
    assert "kept as" in proc.stderr and list(history_db_path().parent.glob("history.db.damaged-*"))
    assert len(json.loads(run("history", "--json").stdout)) == 1


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_practice_completes_every_answer_with_a_damaged_index(rec, tmp_path):
    from speechgen import build, say

    clip = build([say("I rewrote the export and the failures stopped.")], tmp_path / "a.wav")
    history_db_path().parent.mkdir(parents=True, exist_ok=True)
    history_db_path().write_bytes(b"SQLite format 3\x00" + b"\xab" * 8000)
    proc = run("practice", "--answer-file", clip.path, "--answer-file", clip.path, "--no-tts", "--json",
               "--out", rec, timeout=300)
    assert proc.returncode == 0, proc.stderr
    session = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [a["complete"] for a in session["answers"]] == [True, True]
    assert proc.stderr.count("history index could not be updated") == 1  # warned once


def test_two_sessions_started_in_the_same_second_get_different_ids(tmp_path):
    from datetime import datetime

    from voicemock.sessions.write import new_session_folder

    when = datetime(2026, 12, 2, 10, 0, 0)
    folders = {new_session_folder(tmp_path, "amazon", when).name for _ in range(20)}
    assert len(folders) == 20


# --- concurrency and hygiene ----------------------------------------------------------------------


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_twenty_concurrent_notes_are_all_kept(rec):
    folder = make_session(rec)
    procs = [subprocess.Popen([VOICEMOCK, "annotate", str(folder), "--question-id", "q01", "--note", f"note {i}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(20)]
    assert all(p.wait(120) == 0 for p in procs)
    notes = json.loads((folder / "annotations.json").read_text())
    assert sorted(n["note"] for n in notes) == sorted(f"note {i}" for i in range(20))


def test_stale_temporary_files_are_cleaned_on_the_next_save(tmp_path):
    from voicemock.models import Session
    from voicemock.sessions.write import new_session_folder, save_session

    folder = new_session_folder(tmp_path, "b")
    stale = folder / ".session.json.abc123.tmp"
    stale.write_text("half a file")
    old = os.path.getmtime(stale) - 3600
    os.utime(stale, (old, old))
    save_session(folder, Session(id=folder.name, bank="b", started_at="2026-11-20T09:30:00"))
    assert not stale.exists() and (folder / "session.json").stat().st_mode & 0o777 == 0o600


def test_recordings_reports_and_notes_are_owner_only(rec, tmp_path):
    from voicemock.audio.recorder import FileRecorder

    src = tmp_path / "src.wav"
    sf.write(str(src), np.zeros(1600, dtype=np.float32), 16000)
    FileRecorder(src).record(tmp_path / "q01.wav")
    assert (tmp_path / "q01.wav").stat().st_mode & 0o777 == 0o600
    folder = make_session(rec)
    assert run("review", folder, "--html", tmp_path / "r.html", "--markdown", tmp_path / "r.md").returncode == 0
    assert run("annotate", folder, "--question-id", "q01", "--note", "ok").returncode == 0
    for p in (tmp_path / "r.html", tmp_path / "r.md", folder / "annotations.json"):
        assert p.stat().st_mode & 0o777 == 0o600, p


def test_unforeseen_errors_are_one_line_with_exit_3(monkeypatch):
    import voicemock.cli.history as hist

    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr("voicemock.history.trends.trends", boom)
    r = runner.invoke(app, ["progress"])
    assert r.exit_code == 3 and "internal error: RuntimeError: a bug" in r.output and "Traceback" not in r.output
    assert hist is not None


def test_concurrent_saves_of_one_session_never_leave_half_a_file(tmp_path):
    from voicemock.models import Session
    from voicemock.sessions.read import load_session
    from voicemock.sessions.write import new_session_folder, save_session

    folder = new_session_folder(tmp_path, "b")
    errors = []

    def writer(n):
        try:
            for i in range(30):
                save_session(folder, Session(id=folder.name, bank=f"b{n}-{i}", started_at="2026-11-20T09:30:00"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not load_session(folder).problems


def test_a_typed_answer_loses_its_escape_sequences_but_keeps_its_sentences(tmp_path):
    from voicemock.scoring.pipeline import load_transcript_text
    from voicemock.scoring.star import analyze_structure

    answer = tmp_path / "a.txt"
    answer.write_text("Last year I had a conflict with a colleague.\x1b[31m I set up a meeting\x1b[0m and reviewed "
                      "the data.\x07 In the end we cut errors by 40%.\x00 \x1b]0;pwned\x07Done.\u202e")
    t = load_transcript_text(answer)
    assert t.text == ("Last year I had a conflict with a colleague. I set up a meeting and reviewed the data. "
                      "In the end we cut errors by 40%. Done.")
    assert [s.text for s in analyze_structure(t).sentences][:3] == [
        "Last year I had a conflict with a colleague.", "I set up a meeting and reviewed the data.",
        "In the end we cut errors by 40%."]


def test_a_size_over_a_limit_never_reads_as_equal_to_it(tmp_path):
    from voicemock.fileio import UnreadableFile, check_regular

    big = tmp_path / "session.json"
    with big.open("wb") as fh:  # sparse: 21,000,000 bytes is just over 20 MB of 1024 x 1024
        fh.truncate(21_000_000)
    with pytest.raises(UnreadableFile, match=r"^20\.1 MB is more than the 20 MB allowed$"):
        check_regular(big, 20 * 1024 * 1024)


def test_nothing_is_written_outside_voicemocks_home_nor_queued_for_telemetry(tmp_path):
    """onnxruntime (Silero VAD, the Piper voice) queued telemetry events with a device id under
    ~/.cache/Microsoft on every run."""
    home = tmp_path / "home"
    home.mkdir()
    wav = tmp_path / "a.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "I fixed the build and it took half the time."], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env |= {"HOME": str(home), "VOICEMOCK_HOME": str(tmp_path / "vm")}
    proc = subprocess.run([VOICEMOCK, "score", str(wav)], capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert "half the time" in proc.stdout  # it did run the models
    assert not (home / ".cache" / "Microsoft").exists()


def test_no_credential_in_the_llm_url_or_a_damaged_key_is_shown_or_stored(tmp_path, voicemock_home):
    """A user and password in the base URL went into every session.json, llm_formats.json and error;
    a key ending in "\\r" was printed whole in the HTTP library's message."""
    answer = tmp_path / "a.txt"
    answer.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
    with FakeLLM([Reply.ok(json.dumps(verdict()))]) as srv:
        url = srv.base_url.replace("http://", "http://alice:hunter2pass@") + "?token=QUERYSECRET"
        proc = run("score", answer, "--json", "--judge", "llm", "--llm-base-url", url, "--llm-model", "fake-model")
    said = proc.stdout + proc.stderr + "".join(p.read_text() for p in voicemock_home.rglob("*") if p.is_file())
    assert "hunter2pass" not in said and "QUERYSECRET" not in said and "alice" not in said, said[-500:]
    proc = run("score", answer, "--judge", "llm", "--llm-base-url", "http://127.0.0.1:9/v1",
               env={"OPENAI_API_KEY": "gsk_ABCDEFGHIJ1234567890SECRET\r"})  # the "\r" is dropped
    assert proc.returncode == 0 and "SECRET" not in proc.stdout + proc.stderr and "LLM judge" in proc.stdout
    line = one_line_error(run("score", answer, "--judge", "llm", "--llm-base-url", "http://127.0.0.1:9/v1",
                              env={"OPENAI_API_KEY": "gsk_ABCDEF\x01SECRET"}))
    assert "OPENAI_API_KEY" in line and "SECRET" not in line
    assert "http://" in one_line_error(run("score", answer, "--judge", "llm", "--llm-base-url", "file:///etc/passwd"))


def test_a_quote_the_answer_does_not_hold_is_checked_in_bounded_work(monkeypatch):
    """One 400-character quote in no stretch of a 750-word answer cost 12.6 s of fuzzy matching
    after the LLM had replied; an LLM may send twenty."""
    import difflib
    import random

    from voicemock.rubric import llm

    rng = random.Random(1)
    vocab = "I we the team project customer data release deadline pipeline tested built fixed week month".split()
    transcript = " ".join(rng.choice(vocab) for _ in range(750))
    quote = " ".join(rng.choice(vocab) for _ in range(70))
    calls = []
    real = difflib.SequenceMatcher

    class Counting(real):
        def ratio(self):
            calls.append(1)
            return super().ratio()

    monkeypatch.setattr(llm.difflib, "SequenceMatcher", Counting)
    assert not llm.quote_in_transcript(quote, transcript)
    assert len(calls) <= llm.QUOTE_WINDOWS_MAX
    words = transcript.split()
    near = " ".join(words[200:230]).replace(words[210], "xyz", 1)  # a real quote, one word misheard
    assert llm.quote_in_transcript(near, transcript)


@pytest.mark.parametrize("overall", [True, "60", 60.5])
def test_an_llm_score_that_is_not_a_json_integer_is_refused(overall):
    from voicemock.rubric.llm import parse_verdict

    with pytest.raises(ValueError, match="overall"):
        parse_verdict(json.dumps(verdict() | {"overall": overall}))


def test_a_deeply_nested_config_is_one_line(tmp_path, voicemock_home):
    (voicemock_home / "config.toml").write_text("a=" + "[" * 100_000 + "]" * 100_000 + "\n")
    answer = tmp_path / "a.txt"
    answer.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
    line = one_line_error(run("score", answer))
    assert "config.toml" in line and "nested too deeply" in line


@pytest.mark.parametrize("setting", ["llm_timeout_s = true", 'llm_timeout_s = "5"', "max_answer_s = true"])
def test_a_setting_of_the_wrong_type_is_refused_not_coerced(tmp_path, voicemock_home, setting):
    (voicemock_home / "config.toml").write_text(setting + "\n")
    answer = tmp_path / "a.txt"
    answer.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
    line = one_line_error(run("score", answer))
    assert "config.toml" in line and setting.split()[0] in line


def test_no_line_separator_from_data_reaches_the_terminal():
    from voicemock.textsafe import printable

    assert "\u2028" not in printable("a\u2028b\u2029c") and "\\u2028" in printable("a\u2028b")


@pytest.mark.parametrize("value", ["inf", "1e308", "nan"])
def test_an_answer_length_no_clock_holds_is_refused_up_front(tmp_path, value):
    proc = run("practice", "--no-tts", "--max-answer-s", value, "--answer-file", tmp_path / "x.wav",
               "--out", tmp_path / "rec")
    assert proc.returncode == 2 and "--max-answer-s" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "rec").exists()


def test_a_file_name_or_question_that_is_not_utf8_is_refused_before_anything_is_made(tmp_path):
    """A Latin-1 file name crashed practice (exit 3) and left an empty session folder."""
    good = tmp_path / "good.wav"
    sf.write(str(good), np.zeros(16000, dtype=np.float32), 16000)
    bad = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff.wav"))
    shutil.copy(good, bad)
    for args in (("practice", "--no-tts", "--answer-file", bad, "--out", tmp_path / "rec"),
                 ("practice", "--no-tts", "--answer-file", good, "--out", os.fsdecode(bytes(tmp_path) + b"/r\xff"))):
        proc = run(*args)
        assert proc.returncode == 2 and "not valid UTF-8" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([bad.name, "good.wav"])  # nothing made
    txt = tmp_path / "a.txt"
    txt.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
    proc = run("score", txt, "--question", os.fsdecode(b"a \x9b b"))
    assert proc.returncode == 2 and "--question" in proc.stderr and "not valid UTF-8" in proc.stderr


def test_a_server_that_did_not_answer_is_not_asked_again_for_the_next_files(tmp_path, voicemock_home):
    """score of N files against a hung LLM server waited the whole timeout for every file."""
    (voicemock_home / "config.toml").write_text("llm_timeout_s = 1\n")
    files = []
    for k in range(3):
        f = tmp_path / f"a{k}.txt"
        f.write_text("At my last job the export failed. I rewrote the retry logic. Failures dropped to zero.")
        files.append(f)
    with FakeLLM([Reply.ok(json.dumps(verdict()), delay_s=30)]) as srv:
        proc = run("score", *files, "--json", "--judge", "llm", "--llm-base-url", srv.base_url,
                   "--llm-model", "fake-model", timeout=60)
        asked = len([r for r in srv.requests if r["path"].endswith("/chat/completions")])
    assert proc.returncode == 0, proc.stderr
    errors = [json.loads(line)["rubric"]["llm_error"] for line in proc.stdout.splitlines()]
    assert "timeout" in errors[0] and all("not asked" in e for e in errors[1:])
    assert asked == 1
