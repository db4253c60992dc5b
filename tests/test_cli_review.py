"""The coach commands through the real typer app: review, annotate, history, progress, plan, erase."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sessionfactory import AnswerSpec, make_session, write_bank, zip_folder
from voicemock.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "200"})


@pytest.fixture
def folder(tmp_path) -> Path:
    return make_session(tmp_path / "rec", answers=[AnswerSpec("q01"), AnswerSpec("q02", overall=71)])


def test_coach_takes_a_zip_reviews_annotates_and_sees_the_note(folder, tmp_path):
    z = zip_folder(folder, tmp_path / "inbox" / "session.zip")
    r = run("annotate", z, "--question-id", "q02", "--note", "Strong close <b>really</b>", "--score", "result=5",
            "--coach", "Ana")
    assert r.exit_code == 0, r.output
    r = run("review", z, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout.strip().splitlines()[-1])
    assert doc["annotations"][0]["note"] == "Strong close <b>really</b>"
    assert doc["answers"][1]["coach_scores"] == {"result": 5}
    assert doc["folder"] == str(tmp_path / "inbox" / "session" / folder.name)
    out = tmp_path / "report" / "review.html"
    r = run("review", z, "--html", out, "--markdown", tmp_path / "report" / "review.md")
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "Strong close &lt;b&gt;really&lt;/b&gt;" in html and "data:audio/wav;base64," in html
    assert "Strong close" in (tmp_path / "report" / "review.md").read_text()
    r = run("review", z)
    assert r.exit_code == 0 and "Strong close <b>really</b>" in r.stdout and "Ana" in r.stdout
    assert not (folder / "annotations.json").exists()  # the original folder was not touched


def test_review_link_mode_and_bad_audio_option(folder, tmp_path):
    out = tmp_path / "r.html"
    assert run("review", folder, "--html", out, "--audio", "link").exit_code == 0
    assert "data:audio" not in out.read_text() and "q01.wav" in out.read_text()
    r = run("review", folder, "--html", out, "--audio", "stream")
    assert r.exit_code == 2 and "'stream' is not one of 'embed', 'link'" in r.output


def test_review_of_damaged_session_reports_and_still_shows(folder):
    (folder / "q02.wav").unlink()
    data = json.loads((folder / "session.json").read_text())
    data["answers"][0]["result"]["delivery"]["filler_count"] = "many"
    (folder / "session.json").write_text(json.dumps(data))
    r = run("review", folder)
    assert r.exit_code == 0
    assert "q02.wav is missing" in r.output and "answer q01" in r.output
    assert r.stdout.count("As a result releases took forty minutes.") == 2  # both transcripts still shown
    assert "fillers      -" not in r.stdout and "4.7/min" in r.stdout  # q02's delivery is intact


def test_review_of_a_missing_path_fails_cleanly(tmp_path):
    r = run("review", tmp_path / "nothing")
    assert r.exit_code == 1 and "voicemock: error:" in r.output and "no such session" in r.output


def test_annotate_errors(folder):
    r = run("annotate", folder, "--question-id", "q07", "--note", "x")
    assert r.exit_code == 1 and "no answer 'q07' in this session" in r.output
    r = run("annotate", folder, "--question-id", "q01", "--note", "x", "--score", "result=9")
    assert r.exit_code == 1 and "out of range 1-5" in r.output
    assert not (folder / "annotations.json").exists()


def test_history_progress_plan_erase(tmp_path, voicemock_home):
    write_bank(voicemock_home)
    rec = tmp_path / "rec"
    now = datetime.now().replace(microsecond=0)
    old = make_session(rec, [AnswerSpec("owner-1", overall=40)], bank="coachbank", when=now - timedelta(days=45))
    make_session(rec, [AnswerSpec("results-1", overall=75)], bank="coachbank", when=now - timedelta(days=2))
    r = run("history", "--rebuild", "--out", rec, "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["overall"] for x in rows] == [40.0, 75.0] and "indexed 2 session(s)" in r.output
    r = run("history")
    assert r.exit_code == 0 and "coachbank" in r.stdout
    png = tmp_path / "p.png"
    r = run("progress", "--png", png, "--json")
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    trends = {t["metric"]: t for t in json.loads(r.stdout)}
    assert trends["overall"]["first"] == 40 and trends["overall"]["last"] == 75 and trends["overall"]["improving"]
    r = run("progress")
    assert r.exit_code == 0 and "score (0-100)" in r.stdout and "better" in r.stdout
    r = run("plan", "--json")
    plan = json.loads(r.stdout)
    assert len(plan["areas"]) == 3 and all(a["questions"] for a in plan["areas"])
    r = run("plan")
    assert r.exit_code == 0 and "1. " in r.stdout and "voicemock practice --bank coachbank --question-id" in r.stdout
    r = run("erase", "--older-than", "30d", "--out", rec, input="n\n")
    assert r.exit_code == 1 and old.exists()  # said no
    r = run("erase", "--older-than", "30d", "--out", rec, "--yes")
    assert r.exit_code == 0 and not old.exists() and "erased" in r.output
    remaining = json.loads(run("history", "--json").stdout)
    assert [x["id"] for x in remaining] == [p.name for p in rec.iterdir()]
    r = run("erase", remaining[0]["id"], "--yes")
    assert r.exit_code == 0 and list(rec.iterdir()) == []
    assert json.loads(run("history", "--json").stdout) == []


def test_erase_needs_exactly_one_target():
    assert run("erase").exit_code == 2
    assert run("erase", "x", "--older-than", "3d").exit_code == 2
    r = run("erase", "--older-than", "soon", "--yes")
    assert r.exit_code == 1 and "30d" in r.output


def test_progress_png_without_history_is_a_clear_error(tmp_path):
    r = run("progress", "--png", tmp_path / "p.png")
    assert r.exit_code == 1 and "history --rebuild" in r.output
    assert not (tmp_path / "p.png").exists()


def test_coach_marks_a_filler_wrong_and_history_counts_without_it(tmp_path):
    rec = tmp_path / "rec"
    folder = make_session(rec, answers=[AnswerSpec("q01")])
    r = run("history", "--rebuild", "--out", rec, "--json")
    before = json.loads(r.stdout)[0]["fillers_per_minute"]
    um = json.loads((folder / "session.json").read_text())["answers"][0]["result"]["delivery"]["fillers"][0]
    r = run("annotate", folder, "--question-id", "q01", "--not-filler", f"{um['start'] + 0.05:.2f}")
    assert r.exit_code == 0, r.output
    after = json.loads(run("history", "--json").stdout)[0]["fillers_per_minute"]
    assert before > 0 and after == 0
    r = run("annotate", folder, "--question-id", "q01", "--not-filler", "99")
    assert r.exit_code == 1 and "no counted filler of q01" in r.output


def test_review_counts_and_shows_a_filler_the_coach_rejected(tmp_path):
    rec = tmp_path / "rec"
    folder = make_session(rec, answers=[AnswerSpec("q01")])
    saved = json.loads((folder / "session.json").read_text())["answers"][0]["result"]["delivery"]
    um = saved["fillers"][0]
    before = json.loads(run("review", folder, "--json").stdout)["answers"][0]
    assert before["filler_count"] == saved["filler_count"] > 0 and before["not_fillers"] == []
    assert run("annotate", folder, "--question-id", "q01", "--not-filler", f"{um['start'] + 0.05:.2f}").exit_code == 0
    after = json.loads(run("review", folder, "--json").stdout)["answers"][0]
    assert after["filler_count"] == saved["filler_count"] - 1
    assert after["not_fillers"] == [pytest.approx(um["start"])]
    assert json.loads((folder / "session.json").read_text())["answers"][0]["result"]["delivery"] == saved
    text = run("review", folder).stdout
    assert "marked as not a filler" in text and f"~{um['word'].strip(',.')}" in text
    assert f"fillers      {saved['filler_count'] - 1} " in text or f"{saved['filler_count'] - 1} (" in text
    run("review", folder, "--html", tmp_path / "r.html", "--markdown", tmp_path / "r.md")
    page = (tmp_path / "r.html").read_text()
    assert "not-filler" in page and "marked not a filler by the coach" in page
    assert "~~" in (tmp_path / "r.md").read_text()


def test_a_rejected_hesitation_heard_only_in_the_audio_stays_on_the_page_struck_through(tmp_path):
    rec = tmp_path / "rec"
    folder = make_session(rec, answers=[AnswerSpec("q01")])
    data = json.loads((folder / "session.json").read_text())
    d = data["answers"][0]["result"]["delivery"]
    words = data["answers"][0]["result"]["transcript"]["words"]
    at = round(words[2]["start"] - 0.05, 2)
    d["fillers"] = sorted(d["fillers"] + [{"word": "(hesitation)", "start": at - 0.4, "end": at, "source": "acoustic",
                                            "kind": "hesitation", "confidence": 0.97}], key=lambda f: f["start"])
    d["filler_count"] += 1
    (folder / "session.json").write_text(json.dumps(data))
    assert "(uh?)" in run("review", folder).stdout
    r = run("annotate", folder, "--question-id", "q01", "--not-filler", f"{at - 0.2:.2f}")
    assert r.exit_code == 0, r.output
    again = run("annotate", folder, "--question-id", "q01", "--not-filler", f"{at - 0.2:.2f}")
    assert again.exit_code == 1 and "already marked as not a filler" in again.output
    text = run("review", folder).stdout
    assert "~(uh?)~" in text and "((hesitation)" not in text
    run("review", folder, "--html", tmp_path / "r.html", "--markdown", tmp_path / "r.md")
    assert "~~(uh?)~~" in (tmp_path / "r.md").read_text()
    assert 'class="filler not-filler" title="marked not a filler by the coach' in (tmp_path / "r.html").read_text()


def test_a_rebuild_says_what_it_kept_from_other_folders(tmp_path):
    """'indexed 0 session(s)' and then a list of two sessions read as a contradiction."""
    make_session(tmp_path / "a", answers=[AnswerSpec("q01")])
    assert run("history", "--rebuild", "--out", tmp_path / "a").exit_code == 0
    (tmp_path / "b").mkdir()
    r = run("history", "--rebuild", "--out", tmp_path / "b")
    assert r.exit_code == 0 and "indexed 0 session(s) in" in r.output and "1 more kept from other folders" in r.output


def test_history_progress_plan_say_why_they_are_empty(tmp_path):
    """With only a demo session indexed, history said "no sessions indexed yet (try 'voicemock history
    --rebuild')", even right after a rebuild, and progress printed a table of dashes."""
    for cmd in ("history", "progress", "plan"):
        r = run(cmd)
        assert r.exit_code == 0 and r.stdout.strip().startswith("no sessions indexed yet"), (cmd, r.stdout)
    rec = tmp_path / "rec"
    demo = make_session(rec)
    data = json.loads((demo / "session.json").read_text())
    data["demo"] = True
    (demo / "session.json").write_text(json.dumps(data))
    r = run("history", "--rebuild", "--out", rec)
    assert r.exit_code == 0 and "indexed 1 session(s)" in r.output
    assert "--rebuild" not in r.stdout and "apart from 1 made by 'voicemock demo'" in r.stdout
    for cmd in ("history", "progress", "plan"):
        r = run(cmd)
        assert r.exit_code == 0 and "--include-demo" in r.stdout and "score (0-100)" not in r.stdout, (cmd, r.stdout)
        assert len(r.stdout.strip().splitlines()) == 1
    r = run("progress", "--bank", "nope")
    assert "no sessions of bank nope" in r.stdout
    assert "score (0-100)" in run("progress", "--include-demo").stdout
