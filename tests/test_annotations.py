"""Coach annotations: append-only, atomic, never touching session.json or the audio."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import datetime, timezone

import pytest

from sessionfactory import AnswerSpec, make_session
from voicemock.errors import SessionError
from voicemock.models import SessionAnswer
from voicemock.sessions.annotations import (
    add_annotation,
    annotations_path,
    latest_scores,
    load_annotations,
    parse_scores,
)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.name != "annotations.json"}


@pytest.fixture
def folder(tmp_path):
    return make_session(tmp_path, answers=[AnswerSpec("q01"), AnswerSpec("q02")])


def test_notes_append_and_never_touch_the_recording(folder):
    before = _digest(folder)
    t1 = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
    add_annotation(folder, "q01", "Result is vague.", {"result": 2}, coach="Ana", known_ids=["q01", "q02"], now=t1)
    first = annotations_path(folder).read_text()
    add_annotation(folder, "q01", "Better on second listen.", {"result": 3, "overall": 70}, coach="Bo",
                   known_ids=["q01", "q02"])
    add_annotation(folder, "q02", "Good opening.", coach="Ana")
    assert _digest(folder) == before
    data = json.loads(annotations_path(folder).read_text())
    assert [d["coach"] for d in data] == ["Ana", "Bo", "Ana"]
    assert data[0] == {"question_id": "q01", "coach": "Ana", "created_at": "2026-11-21T10:00:00+00:00",
                       "note": "Result is vague.", "scores": {"result": 2}}
    assert json.dumps(json.loads(first)[0]) == json.dumps(data[0])  # the earlier note is unchanged
    notes, problems = load_annotations(folder)
    assert problems == []
    q01 = SessionAnswer(question_id="q01", question="?", audio="q01.wav")
    q02 = SessionAnswer(question_id="q02", question="?", audio="q02.wav")
    assert latest_scores(notes, q01) == {"result": 3, "overall": 70}
    assert latest_scores(notes, q02) == {}
    assert stat.S_IMODE(annotations_path(folder).stat().st_mode) == 0o600
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_unknown_question_and_empty_note_refused(folder):
    with pytest.raises(SessionError, match="no answer to question 'q09'.*q01, q02"):
        add_annotation(folder, "q09", "x", known_ids=["q01", "q02"])
    with pytest.raises(SessionError, match="give a note"):
        add_annotation(folder, "q01", "  ")
    assert not annotations_path(folder).exists()


def test_damaged_annotations_file_is_not_overwritten(folder):
    annotations_path(folder).write_text("[{broken", encoding="utf-8")
    with pytest.raises(SessionError, match="damaged"):
        add_annotation(folder, "q01", "note")
    assert annotations_path(folder).read_text() == "[{broken"
    notes, problems = load_annotations(folder)
    assert notes == [] and "damaged" in problems[0]


def test_a_note_that_would_make_the_file_unreadable_is_refused(folder, monkeypatch):
    """Notes of up to 10,000 characters each could grow annotations.json past the 5 MB that is read
    back: from then on every note of the session was 'not shown' and no note could be added."""
    import voicemock.sessions.annotations as ann_mod

    monkeypatch.setattr(ann_mod, "MAX_ANNOTATIONS_BYTES", 4000)
    added = 0
    with pytest.raises(SessionError, match="would grow past.*earlier notes are kept"):
        for _ in range(100):
            add_annotation(folder, "q01", "é" * 900, coach="Ana")
            added += 1
    notes, problems = load_annotations(folder)
    assert problems == [] and len(notes) == added > 0


def test_a_bad_note_in_the_file_is_skipped_with_a_problem(folder):
    add_annotation(folder, "q01", "fine", {"task": 4}, coach="Ana")
    data = json.loads(annotations_path(folder).read_text())
    data.append({"question_id": "q02", "coach": "x", "created_at": "now", "scores": {"result": 9}})
    annotations_path(folder).write_text(json.dumps(data))
    notes, problems = load_annotations(folder)
    assert [n.note for n in notes] == ["fine"]
    assert len(problems) == 1 and "note 2" in problems[0]


@pytest.mark.parametrize("items, expected", [
    (["result=2"], {"result": 2}),
    (["Overall = 70", "situation=5"], {"overall": 70, "situation": 5}),
    ([], {}),
])
def test_parse_scores(items, expected):
    assert parse_scores(items) == expected


@pytest.mark.parametrize("item, message", [
    ("result=6", "out of range 1-5"),
    ("overall=101", "out of range 0-100"),
    ("clarity=3", "unknown score 'clarity'"),
    ("result", "expected PART=NUMBER"),
    ("result=two", "expected PART=NUMBER"),
])
def test_parse_scores_errors_name_the_problem(item, message):
    with pytest.raises(SessionError, match=message):
        parse_scores([item])


def test_a_note_targets_one_answer_and_overrides_flow_into_history(tmp_path, voicemock_home):
    from typer.testing import CliRunner

    from sessionfactory import AnswerSpec, make_session
    from voicemock.cli import app
    from voicemock.practice.retry import find_retry

    rec = tmp_path / "rec"
    (voicemock_home / "config.toml").write_text(f'recordings_dir = "{rec}"\n')
    folder = make_session(rec, [AnswerSpec("q01", overall=70), AnswerSpec("q01", kind="followup", overall=30)])
    runner = CliRunner()
    assert runner.invoke(app, ["history", "--rebuild"]).exit_code == 0
    r = runner.invoke(app, ["annotate", folder.name, "--answer", "q01-followup", "--note", "Dodged the probe."])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["annotate", folder.name, "--question-id", "q01", "--score", "overall=20", "--note", "No."])
    assert r.exit_code == 0, r.output
    doc = json.loads(runner.invoke(app, ["review", folder.name, "--json"]).stdout)
    follow = [n["note"] for n in doc["annotations"] if n["answer"] == "q01-followup"]
    assert follow == ["Dodged the probe."]
    assert doc["answers"][0]["coach_scores"] == {"overall": 20} and doc["answers"][1]["coach_scores"] == {}
    rows = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert rows[0]["overall"] != 50.0  # the coach's 20 replaced the automatic 70
    assert find_retry(f"{folder.name}:q01", [rec]).previous.rubric.overall == 20
    r = runner.invoke(app, ["annotate", folder.name, "--answer", "7", "--note", "x"])
    assert r.exit_code == 1 and "its answers: 1 (q01), 2 (q01-followup)" in r.output


def test_not_filler_corrections_are_stored_and_change_the_count(folder):
    from voicemock.sessions.corrections import apply_corrections, check_not_fillers
    from voicemock.sessions.read import load_session

    session = load_session(folder).session
    (um,) = session.answers[0].result.delivery.fillers
    with pytest.raises(SessionError, match="no counted filler of q01 within"):
        check_not_fillers(session.answers[0], [um.start + 5.0])
    check_not_fillers(session.answers[0], [um.start + 0.1])
    with pytest.raises(SessionError, match="already marked as not a filler"):  # the same filler twice in one command
        check_not_fillers(session.answers[0], [um.start + 0.1, um.start])
    with pytest.raises(SessionError, match="already marked as not a filler"):  # ... or again after an earlier note
        check_not_fillers(session.answers[0], [um.start], earlier=[um.start + 0.1])
    add_annotation(folder, "q01", "", not_fillers=[um.start + 0.1], coach="Ana")
    notes, problems = load_annotations(folder)
    assert problems == [] and notes[0].not_fillers == [pytest.approx(um.start + 0.1)]
    fixed = apply_corrections(session, notes)
    before, after = session.answers[0].result.delivery, fixed.answers[0].result.delivery
    assert (before.filler_count, after.filler_count) == (1, 0) and after.fillers_per_minute == 0
    assert fixed.answers[1].result.delivery == session.answers[1].result.delivery  # other answers untouched
    # a note without corrections keeps the file format it always had
    add_annotation(folder, "q02", "fine", coach="Bo")
    assert "not_fillers" not in json.loads(annotations_path(folder).read_text())[1]
