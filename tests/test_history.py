"""History index: migrations, indexing, rebuild, trends, plan, erase, retry lookup."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from sessionfactory import AnswerSpec, make_session, write_bank
from voicemock.config import history_db_path
from voicemock.errors import SessionError, StoreError
from voicemock.history import db as hdb
from voicemock.history import erase as herase
from voicemock.history import index as hindex
from voicemock.history import plan as hplan
from voicemock.history import trends as htrends
from voicemock.practice.retry import compare, describe, find_retry


def _columns(db, table):
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def test_migrations_from_a_blank_database(tmp_path):
    db = hdb.connect(tmp_path / "h.db")
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [n for n, _ in hdb.MIGRATIONS]
    assert {"id", "folder", "started_at", "bank", "questions", "overall", "fillers_per_minute",
            "words_per_minute", "judge", "long_pauses_per_answer", "indexed_at", "demo"} == set(_columns(db, "sessions"))
    assert "question_id" in _columns(db, "answers")
    assert hdb.migrate(db) == []  # idempotent
    db.close()


def test_migrations_from_the_oldest_schema_keep_rows(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    assert hdb.migrate(db, upto=1) == ["m001_sessions"]
    db.execute("INSERT INTO sessions VALUES ('s1', '/x/s1', '2026-01-01T10:00:00', 'amazon', 3, 55.0, 2.0, 130.0)")
    db.commit()
    assert "judge" not in _columns(db, "sessions")
    db.close()
    db = hdb.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")][1:] == \
        [n for n, _ in hdb.MIGRATIONS[1:]]
    rows = hindex.list_sessions(db)
    assert [(r.id, r.overall, r.judge) for r in rows] == [("s1", 55.0, None)]
    db.close()


def test_migration_names_are_unique_and_append_only():
    names = [n for n, _ in hdb.MIGRATIONS]
    assert len(names) == len(set(names))
    assert names[:5] == ["m001_sessions", "m002_sessions_judge", "m003_answers",
                         "m004_sessions_long_pauses_indexed_at", "m005_sessions_started_index"]


def test_a_damaged_database_says_how_to_fix_it(tmp_path):
    bad = tmp_path / "h.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="history --rebuild"):
        hdb.connect(bad)


@pytest.fixture
def rec(tmp_path, voicemock_home) -> Path:
    write_bank(voicemock_home)
    r = tmp_path / "rec"
    make_session(r, [AnswerSpec("owner-1", chunks=["We had a flaky deploy.", "So um we um fixed it and we shipped.",
                                                   "It was fine."], star=(3, 2, 2, 1), overall=40)],
                 bank="coachbank", when=datetime(2026, 9, 1, 9))
    we_chunks = ["Our team had a slow release.", "So we rewrote the cache and we split the tests.", "We shipped."]
    make_session(r, [AnswerSpec("results-1", overall=60),
                     AnswerSpec("results-1", kind="followup", overall=70, chunks=we_chunks)],
                 bank="coachbank", when=datetime(2026, 10, 15, 9))
    make_session(r, [AnswerSpec("process-1", overall=80, star=(4, 3, 4, 4))],
                 bank="coachbank", when=datetime(2026, 11, 20, 9))
    return r


def test_index_rebuild_and_list(rec):
    count, skipped = hindex.rebuild([rec])
    assert (count, skipped) == (3, [])
    assert history_db_path().exists()
    rows = hindex.list_sessions()
    assert [r.started_at for r in rows] == ["2026-09-01T09:00:00", "2026-10-15T09:00:00", "2026-11-20T09:00:00"]
    first, second, _ = rows
    assert first.bank == "coachbank" and first.questions == 1 and first.overall == 40.0 and first.judge == "offline"
    assert second.questions == 1 and second.overall == 60.0  # a follow-up is neither a question nor an answer
    assert first.fillers_per_minute > second.fillers_per_minute > 0
    assert 60 < second.words_per_minute < 250
    assert first.folder == str((rec / "20260901-090000-coachbank").resolve())


def test_history_pace_and_fillers_count_as_review_and_plan_do(tmp_path, voicemock_home):
    """History divided all words by the whole recording (193 wpm) where review and plan divide the
    answer's words by its own time (194 wpm): one session, two paces."""
    folder = make_session(tmp_path / "rec")
    data = json.loads((folder / "session.json").read_text())
    r = data["answers"][0]["result"]
    r["transcript"]["duration_s"] = 30.0
    r["delivery"].update(word_count=50, answer_duration_s=20.0, words_per_minute=150.0, filler_count=2,
                         fillers_per_minute=6.0)
    (folder / "session.json").write_text(json.dumps(data))
    hindex.rebuild([tmp_path / "rec"])
    (row,) = hindex.list_sessions()
    assert (row.words_per_minute, row.fillers_per_minute) == (150.0, 6.0)


def test_a_question_with_a_follow_up_counts_once_with_its_combined_score(tmp_path, voicemock_home):
    from voicemock.models import CombinedResult
    from voicemock.sessions.read import load_session
    from voicemock.sessions.write import save_session

    folder = make_session(tmp_path, [AnswerSpec("q1", overall=0, star=(1, 1, 1, 1)),
                                     AnswerSpec("q1", kind="followup", overall=0, star=(1, 1, 1, 5))])
    session = load_session(folder).session
    main, follow = session.answers
    assert main.result is not None and main.result.rubric is not None and main.result.structure is not None
    combined = main.result.rubric.model_copy(update={"overall": 85})
    main.combined = CombinedResult(rubric=combined, structure=main.result.structure, followups=1)
    save_session(folder, session)
    row = hindex.index_session(folder)
    assert row.overall == 85.0 and row.questions == 1
    db = hdb.connect()
    kinds = [r["kind"] for r in hindex.answer_rows(db, [row.folder])]
    db.close()
    assert kinds == ["main"]  # the follow-up is no answer of its own in history or progress


def test_rebuild_skips_a_damaged_session_and_forgets_old_rows(rec):
    hindex.rebuild([rec])
    (rec / "20261015-090000-coachbank" / "session.json").write_text("{oops")
    count, skipped = hindex.rebuild([rec])
    assert count == 2 and len(skipped) == 1 and "20261015-090000-coachbank" in skipped[0]
    assert [r.id for r in hindex.list_sessions()] == ["20260901-090000-coachbank", "20261120-090000-coachbank"]


def test_trends_per_metric(rec):
    hindex.rebuild([rec])
    t = {x.metric.key: x for x in htrends.trends()}
    assert [p[2] for p in t["overall"].points] == [40.0, 60.0, 80.0]
    assert t["overall"].improving is True and t["overall"].change == 40.0
    assert t["fillers_per_minute"].improving is True
    assert t["star_result"].first == 1.0 and t["star_result"].last == 4.0
    assert t["i_share"].first == 0.0 and t["i_share"].last == 1.0
    assert len(t["words_per_minute"].points) == 3


def test_plan_names_three_weak_areas_with_fresh_relevant_questions(rec):
    hindex.rebuild([rec])
    assert len(hplan.plan(recent=1).items) == 3
    p = hplan.plan(recent=1, n=4)  # follow-ups ("we" only here) are not answers: ownership comes fourth
    assert p.bank == "coachbank" and p.sessions_used == 3
    keys = [i.area.key for i in p.items]
    assert len(keys) == 4 and keys[0] == "fillers"
    assert "ownership" in keys
    sev = [i.severity for i in p.items]
    assert sev == sorted(sev, reverse=True)
    own = next(i for i in p.items if i.area.key == "ownership")
    assert own.questions[0][0] == "owner-1"  # tagged Ownership, not practised in the last session
    for item in p.items:
        assert "process-1" not in [q for q, _ in item.questions]  # practised in the last session
        assert item.questions


def _plan_of(monkeypatch, **row):
    base = dict(star_result=5, result_present=1, has_metric=1, star_action=5, ownership_i=6, ownership_we=0,
                situation_share=0.2, fillers_per_minute=1.0, words_per_minute=140, long_pauses=0, question_id="q")
    base.update(row)

    class _Session:
        copy_of, folder, bank = None, "f", "amazon"
        fillers_per_minute, words_per_minute = base["fillers_per_minute"], base["words_per_minute"]

    monkeypatch.setattr(hplan, "list_sessions", lambda db, bank, include_demo=False: [_Session()])
    monkeypatch.setattr(hplan, "answer_rows", lambda db, folders: [base])
    return hplan.plan(db=sqlite3.connect(":memory:"))


def test_plan_lists_only_areas_outside_their_target(monkeypatch):
    p = _plan_of(monkeypatch, star_action=4.0)  # everything else within its target
    assert [i.area.key for i in p.items] == ["action"]
    assert "the rest are on target" in p.note and "Pace" in p.note and "Fillers" in p.note
    p = _plan_of(monkeypatch)
    assert p.items == [] and p.note.startswith("Every area is on target")
    p = _plan_of(monkeypatch, fillers_per_minute=7.0, words_per_minute=200, star_result=3, long_pauses=2)
    assert [i.area.key for i in p.items][:1] == ["fillers"] and len(p.items) == 3
    assert all(i.severity > 0 for i in p.items) and "on target" not in p.note


def test_plan_skips_recently_practised_questions(rec):
    hindex.rebuild([rec])
    p = hplan.plan(recent=3)
    picked = {q for i in p.items for q, _ in i.questions}
    assert picked and not picked & {"owner-1", "results-1", "process-1"}


def test_plan_without_sessions_or_bank(tmp_path):
    assert "no sessions" in hplan.plan().note
    make_session(tmp_path / "r", [AnswerSpec()], bank="nosuchbank")
    hindex.rebuild([tmp_path / "r"])
    p = hplan.plan()
    assert len(p.items) == 3 and all(i.questions == [] for i in p.items)
    assert "nosuchbank" in p.note


def _erase(spec, dirs=(), **kw):
    db = hdb.connect()
    try:
        return herase.execute(herase.plan_erase(spec, list(dirs), db, **kw), db)
    finally:
        db.close()


def _erase_older(days, dirs, now):
    db = hdb.connect()
    try:
        return herase.execute(herase.plan_older_than(days, dirs, db, now=now), db)
    finally:
        db.close()


def test_erase_one_session_by_id_and_by_folder(rec):
    hindex.rebuild([rec])
    gone = _erase("20260901-090000-coachbank")
    assert not (rec / "20260901-090000-coachbank").exists()
    assert any("index rows" in g for g in gone)
    _erase(str(rec / "20261015-090000-coachbank"))
    assert [r.id for r in hindex.list_sessions()] == ["20261120-090000-coachbank"]
    db = hdb.connect()
    assert db.execute("SELECT COUNT(*) FROM answers WHERE session_id != '20261120-090000-coachbank'").fetchone()[0] == 0
    db.close()
    with pytest.raises(StoreError, match="no session"):
        _erase("20200101-000000-nothing")


def test_erase_refuses_a_folder_that_is_not_a_session(tmp_path):
    victim = tmp_path / "precious"
    victim.mkdir()
    (victim / "thesis.txt").write_text("x")
    with pytest.raises(StoreError):
        _erase(str(victim), force_outside=True)
    assert (victim / "thesis.txt").exists()


def test_erase_older_than_includes_unindexed_folders(rec):
    hindex.index_session(rec / "20260901-090000-coachbank")  # only one is indexed
    gone = _erase_older(30, [rec], now=datetime(2026, 11, 27, 12))
    assert sorted(p.name for p in rec.iterdir()) == ["20261120-090000-coachbank"]
    assert "index rows of 20260901-090000-coachbank" in gone
    assert hindex.list_sessions() == []


@pytest.mark.parametrize("text, days", [("30d", 30), ("2w", 14), ("12h", 0.5), ("7", 7)])
def test_parse_age(text, days):
    assert herase.parse_age(text) == days


def test_retry_finds_the_last_main_answer_and_compares(rec):
    hindex.rebuild([rec])
    target = find_retry("20261015-090000-coachbank:results-1", [rec])
    bank, qid, prev = target.bank, target.question_id, target.previous
    assert (bank, qid) == ("coachbank", "results-1")
    assert prev.rubric.overall == 60  # the main answer, not the follow-up
    by_path = find_retry(f"{rec / '20261015-090000-coachbank'}:results-1", [])
    assert by_path.previous.rubric.overall == 60
    worse = find_retry("20260901-090000-coachbank:owner-1", [rec]).previous
    changes = {c.metric: c for c in compare(worse, prev)}
    assert changes["overall"].delta == 20 and changes["overall"].better is True
    assert changes["fillers_per_minute"].better is True
    assert changes["star_result"].before == 1 and changes["star_result"].after == 3
    assert changes["long_pause_count"].better is None  # unchanged
    assert changes["i_share"].better is True
    lines = describe(compare(worse, prev))
    assert "score 40 -> 60: better" in lines
    assert "long pauses 2 -> 2: same" in lines
    assert not any("_" in line.split(" -> ")[0] for line in lines)  # no internal names


def test_retry_errors_name_what_exists(rec):
    with pytest.raises(SessionError, match="its questions: results-1"):
        find_retry("20261015-090000-coachbank:nope", [rec])
    with pytest.raises(SessionError, match="SESSION:QID"):
        find_retry("justasession", [rec])
    with pytest.raises(SessionError, match="no such session"):
        find_retry("20000101-000000-x:q01", [rec])


def test_try_index_after_save_never_raises(tmp_path, voicemock_home):
    f = make_session(tmp_path, [AnswerSpec()])
    assert hindex.try_index(f) is None
    assert [r.id for r in hindex.list_sessions()] == [f.name]
    assert "no such session" in hindex.try_index(tmp_path / "missing")
    history_db_path().write_bytes(b"garbage" * 200)
    assert "history --rebuild" in hindex.try_index(f)


def test_rebuild_keeps_sessions_of_other_recordings_folders(rec, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    hindex.rebuild([rec])
    import shutil

    moved = other / "20261120-090000-coachbank"
    shutil.copytree(rec / "20261120-090000-coachbank", moved)
    shutil.rmtree(rec / "20261120-090000-coachbank")
    hindex.index_session(moved)
    count, _ = hindex.rebuild([rec])  # only rec is rebuilt: the session in `other` stays listed
    assert count == 2
    assert {r.id for r in hindex.list_sessions()} == {
        "20260901-090000-coachbank", "20261015-090000-coachbank", "20261120-090000-coachbank"}
    shutil.rmtree(moved)  # a folder that is gone is forgotten by the next rebuild
    hindex.rebuild([rec])
    assert len(hindex.list_sessions()) == 2


def test_demo_sessions_stay_out_of_history_progress_and_plan_unless_asked(tmp_path, voicemock_home):
    from typer.testing import CliRunner

    from voicemock.cli import app

    rec = tmp_path / "r"
    mine = make_session(rec, [AnswerSpec(overall=40)], when=datetime(2026, 11, 1, 9))
    demo = make_session(rec, [AnswerSpec(overall=90)], when=datetime(2026, 11, 2, 9))
    data = json.loads((demo / "session.json").read_text())
    data["demo"] = True
    (demo / "session.json").write_text(json.dumps(data))
    hindex.rebuild([rec])
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert [r["id"] for r in listed] == [mine.name]
    both = json.loads(runner.invoke(app, ["history", "--json", "--include-demo"]).stdout)
    assert {r["id"] for r in both} == {mine.name, demo.name} and any(r["demo"] for r in both)
    overall = {t["metric"]: t for t in json.loads(runner.invoke(app, ["progress", "--json"]).stdout)}["overall"]
    assert [p["value"] for p in overall["points"]] == [40.0]
    assert json.loads(runner.invoke(app, ["plan", "--json"]).stdout)["sessions_used"] == 1
    assert json.loads(runner.invoke(app, ["plan", "--json", "--include-demo"]).stdout)["sessions_used"] == 2


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "yesterday"])
def test_progress_chart_of_a_session_with_an_absurd_date(tmp_path, when):
    """A session.json started in year 1 stopped 'progress --png' with an internal error (matplotlib)."""
    from voicemock.history.chart import write_progress_png
    from voicemock.history.trends import METRICS, MetricTrend

    trends = [MetricTrend(m, [(when, "a", 50.0), ("2026-11-20T09:30:00", "b", 60.0)]) for m in METRICS]
    out = write_progress_png(trends, tmp_path / "p.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_change_within_the_noise_is_neither_better_nor_worse():
    from voicemock.targets import TREND_STEP, is_better

    assert is_better("lower", 0.21, 0.22, TREND_STEP["situation_share"]) is None  # 21% -> 22%: the same
    assert is_better("lower", 0.21, 0.30, TREND_STEP["situation_share"]) is False
    assert is_better("higher", 70, 72, TREND_STEP["overall"]) is None
    assert is_better("higher", 70, 80, TREND_STEP["overall"]) is True


def test_plan_gives_a_session_the_pace_and_fillers_history_shows(rec):
    """history counts everything said (follow-ups too), plan counted main answers only: one
    session had two paces and two filler rates."""
    hindex.rebuild([rec])
    used = [s for s in hindex.list_sessions() if s.id == "20261015-090000-coachbank"]  # main + follow-up
    db = hdb.connect()
    rows = hplan.answer_rows(db, [s.folder for s in used])
    db.close()
    why = {key: text for key, _, text in hplan.weaknesses(rows, used)}
    alone = {key: text for key, _, text in hplan.weaknesses(rows)}
    assert why["pace"].startswith(f"{used[0].words_per_minute:.0f} words per minute")
    assert why["fillers"].startswith(f"{used[0].fillers_per_minute:.1f} fillers per minute")
    assert (why["pace"], why["fillers"]) != (alone["pace"], alone["fillers"])  # the follow-up counted
