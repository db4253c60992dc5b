"""The practice loop without a microphone: question choice, probes, saving, answer files, errors."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from llm_server import closed_port
from speechgen import build, pause, say
from voicemock.audio.recorder import Recorder, RecordOptions
from voicemock.banks import Bank, Question
from voicemock.errors import BankError, DeviceError, StoreError
from voicemock.models import (
    AnswerResult,
    Delivery,
    Ownership,
    PartInfo,
    Parts,
    Rubric,
    Session,
    StarScores,
    Structure,
    Transcript,
)
from voicemock.practice.choice import (
    PROBE_OUTCOME,
    PROBE_PERSONAL,
    PROBE_SPECIFIC,
    PROBE_STEPS,
    candidates,
    follow_up_probe,
    next_difficulty,
    next_question,
    weakest_area,
)
from voicemock.practice.loop import PracticeOptions, PracticeSession, QuietUI
from voicemock.sessions.read import load_session as read_session
from voicemock.sessions.write import audio_name, new_session_folder, save_session

VOICEMOCK = str(Path(sys.executable).parent / "voicemock")


def _q(qid, difficulty="medium", tags=(), follow_ups=(), category="behavioral", text=None, guidance="Be specific."):
    return Question(id=qid, text=text or f"Question {qid}?", difficulty=difficulty, category=category,
                    tags=list(tags), guidance=guidance, follow_ups=list(follow_ups))


BANK = Bank(name="t", title="Test bank", questions=[
    _q("e1", "easy"), _q("m1", "medium"), _q("m2", "medium", tags=["Deliver Results"]),
    _q("h1", "hard"), _q("h2", "hard", tags=["Ownership"], follow_ups=["Who else was involved?"]),
    _q("p1", "easy", category="process"),
])


def _result(overall=60, star=(3, 3, 3, 3), result_present=True, metric=True, i=3, we=1, fpm=1.0) -> AnswerResult:
    return AnswerResult(
        source="x.wav", transcript=Transcript(text="I did it.", words=[]), delivery=Delivery(fillers_per_minute=fpm),
        structure=Structure(parts=Parts(result=PartInfo(present=result_present)), ownership=Ownership(i=i, we=we),
                            has_metric=metric, missing_result=not result_present),
        rubric=Rubric(judge="offline", prompt_version="offline-v1", overall=overall, star=StarScores(
            situation=star[0], task=star[1], action=star[2], result=star[3])),
    )


# --- question choice ------------------------------------------------------------------------------


def test_candidates_default_to_behavioural_and_filter():
    assert "p1" not in [q.id for q in candidates(BANK, PracticeOptions())]
    assert [q.id for q in candidates(BANK, PracticeOptions(category="process"))] == ["p1"]
    assert [q.id for q in candidates(BANK, PracticeOptions(tag="ownership"))] == ["h2"]
    assert [q.id for q in candidates(BANK, PracticeOptions(difficulty="hard"))] == ["h1", "h2"]
    with pytest.raises(BankError, match="no question with difficulty=easy"):
        candidates(BANK, PracticeOptions(difficulty="easy", tag="Ownership"))


def test_next_question_follows_weakest_area_and_difficulty_and_seed():
    pool = candidates(BANK, PracticeOptions())
    weak_result = [_result(star=(4, 4, 4, 1))]
    assert weakest_area(weak_result) == "result"
    assert next_question(pool, {"m1"}, weak_result, "medium", random.Random(1)).id == "m2"
    weak_own = [_result(star=(4, 4, 4, 4), i=0, we=6)]
    assert weakest_area(weak_own) == "ownership"
    assert next_question(pool, set(), weak_own, "hard", random.Random(1)).id == "h2"
    # nearest difficulty when the target is used up
    assert next_question(pool, {"h1", "h2"}, [], "hard", random.Random(1)).difficulty == "medium"
    # reproducible with a seed
    picks = {next_question(pool, set(), [], "medium", random.Random(7)).id for _ in range(5)}
    assert len(picks) == 1
    assert next_question(pool, {q.id for q in pool}, [], "medium", random.Random(1)) is None


def test_difficulty_rises_only_after_a_strong_answer():
    assert next_difficulty("medium", _result(overall=90), fixed=False) == "hard"
    assert next_difficulty("hard", _result(overall=90), fixed=False) == "hard"
    assert next_difficulty("medium", _result(overall=50), fixed=False) == "medium"
    assert next_difficulty("easy", _result(overall=90), fixed=True) == "easy"


def test_follow_up_probe_aims_at_the_gap():
    q = BANK.question("h2")
    rng = random.Random(0)
    assert follow_up_probe(q, _result(result_present=False), rng) == (PROBE_OUTCOME, "no measurable result")
    assert follow_up_probe(q, _result(metric=False), rng)[0] == PROBE_OUTCOME
    assert follow_up_probe(q, _result(i=1, we=5), rng) == (PROBE_PERSONAL, "mostly 'we'")
    assert follow_up_probe(q, _result(), rng) == ("Who else was involved?", "bank")
    assert follow_up_probe(BANK.question("m1"), _result(), rng)[1] == "generic"


@pytest.mark.parametrize("text, probe, reason", [
    ("If I had a conflict I would first listen to them. I would set up a meeting. I would look for a compromise "
     "and I would involve our manager if that did not work.", PROBE_SPECIFIC, "not a specific story"),
    ("Last spring our release kept slipping and I was asked to get it back on track. I took care of it and kept "
     "things moving. I handled the stakeholders and made sure everything got done. In the end we shipped 20% "
     "faster.", PROBE_STEPS, "vague actions"),
])
def test_follow_up_probe_asks_for_what_the_answer_lacks(text, probe, reason):
    from voicemock.rubric import OfflineJudge
    from voicemock.scoring.pipeline import score_answer

    q = BANK.question("h2")
    result = score_answer(Transcript(text=text), None, source="a", question=q.text, judge=OfflineJudge())
    assert follow_up_probe(q, result, random.Random(0)) == (probe, reason)


# --- sessions on disk ----------------------------------------------------------------------------------------


def load_session(folder) -> Session:
    loaded = read_session(folder)
    assert not loaded.problems, loaded.problems
    return loaded.session


def test_session_folder_is_private_unique_and_relative(tmp_path):
    a = new_session_folder(tmp_path, "amazon")
    b = new_session_folder(tmp_path, "amazon")
    assert a != b and re.search(r"-amazon-[0-9a-f]{4}$", a.name) and (a.stat().st_mode & 0o777) == 0o700
    assert audio_name(2) == "q02.wav" and audio_name(2, "followup") == "q02-followup.wav"
    s = Session(id=a.name, bank="amazon", started_at="2026-11-27T10:00:00+00:00")
    save_session(a, s)
    assert load_session(a) == s and not list(a.glob(".session*"))
    (a / "session.json").write_text("{not json")
    assert any("damaged JSON" in p for p in read_session(a).problems)
    (a / "session.json").write_text(json.dumps({"schema_version": 99, "id": "x", "bank": "b", "started_at": "t"}))
    assert any("newer" in p for p in read_session(a).problems)


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    folder = new_session_folder(tmp_path, "b")
    save_session(folder, Session(id="one", bank="b", started_at="2026-11-20T09:30:00"))

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="free some disk space"):
        save_session(folder, Session(id="two", bank="b", started_at="2026-11-20T09:30:00"))
    assert load_session(folder).id == "one" and not list(folder.glob(".session*"))


# --- the loop with answer files ------------------------------------------------------------------


class SpyUI(QuietUI):
    def __init__(self, folder_holder):
        self.events = []
        self.saved_counts = []
        self.folder = None

    def session_started(self, folder, session):
        self.folder = folder

    def asking(self, number, total, question, text, kind):
        self.events.append(("ask", question.id, kind, text))

    def scored(self, answer, latency_s):
        # session.json on disk is valid and already holds this answer, complete
        saved = Session.model_validate(json.loads((self.folder / "session.json").read_text()))
        self.saved_counts.append((len(saved.answers), saved.answers[-1].complete))


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    d = tmp_path_factory.mktemp("answers")
    a = build([say("Last year I led our billing migration."), pause(0.6),
               say("We moved every invoice and we checked the totals."), pause(0.6),
               say("We finished on time.")], d / "a.wav", rate=170)
    b = build([say("I personally wrote the scripts and I reviewed every mismatch."), pause(0.6),
               say("Errors fell by forty percent.")], d / "b.wav", rate=170)
    return a.path, b.path


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_answer_files_main_then_follow_up_and_saved_after_every_answer(tmp_path, answers):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    ui = SpyUI(None)
    opts = PracticeOptions(bank="t", count=1, question_ids=["m2"], answer_files=list(answers), out=tmp_path, seed=1)
    outcome = PracticeSession(opts, transcriber=Transcriber(), ui=ui, bank=BANK).run()
    s = outcome.session
    assert [(a.kind, a.audio) for a in s.answers] == [("main", "q01.wav"), ("followup", "q01-followup.wav")]
    assert ui.saved_counts == [(1, True), (2, True)]
    fu = s.answers[1]
    # the main answer says "we" throughout and has no number: the probe goes for the gap
    assert fu.question in (PROBE_OUTCOME, PROBE_PERSONAL) and fu.probe_reason
    assert "personally" in fu.result.transcript.text.lower()
    # the follow-up is judged against its probe and completes the question: one combined score
    assert fu.followup_check is not None and fu.followup_check.probe == fu.question
    main = s.answers[0]
    assert main.combined is not None and main.combined.followups == 1
    assert fu.result.rubric.overall == main.combined.rubric.overall
    assert s.settings["answer_files"] == ["a.wav", "b.wav"]  # names only, no absolute paths
    assert load_session(outcome.folder) == s
    from voicemock.history.index import list_sessions

    [row] = list_sessions()  # the history index was updated when the session was saved
    assert row.id == s.id and row.questions == 1 and row.overall == main.combined.rubric.overall
    assert len(outcome.latencies_s) == 2 and [a.feedback_latency_s for a in s.answers] == [
        round(x, 3) for x in outcome.latencies_s]


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_follow_up_skipped_without_a_spare_file(tmp_path, answers):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    ui = SpyUI(None)
    opts = PracticeOptions(bank="t", answer_files=list(answers), out=tmp_path, seed=2)
    s = PracticeSession(opts, transcriber=Transcriber(), ui=ui, bank=BANK).run().session
    assert [a.kind for a in s.answers] == ["main", "main"]  # two files, two main questions, no probes


class BrokenMic(Recorder):
    def _blocks(self, options, stop):
        raise DeviceError("no input device found (Error querying device -1)")
        yield  # pragma: no cover


def test_device_error_keeps_the_session_file(tmp_path):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    opts = PracticeOptions(bank="t", count=1, out=tmp_path, seed=1)
    loop = PracticeSession(opts, transcriber=Transcriber(), recorder=BrokenMic(), bank=BANK)
    with pytest.raises(DeviceError, match="no input device"):
        loop.run()
    s = load_session(loop.folder)
    assert len(s.answers) == 1 and s.answers[0].complete is False and s.ended_at is not None


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_cli_answer_files_json_and_follow_up(tmp_path, answers):
    proc = subprocess.run(
        [VOICEMOCK, "practice", "--no-tts", "--count", "1", "--question-id", "amz-lp-deliver-results-1",
         "--answer-file", str(answers[0]), "--answer-file", str(answers[1]), "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    session = Session.model_validate(json.loads(proc.stdout))  # stdout holds only the JSON
    assert [a.kind for a in session.answers] == ["main", "followup"]
    assert session.answers[0].question_id == "amz-lp-deliver-results-1"
    assert "Session saved" in proc.stderr and "Follow-up" in proc.stderr
    assert (tmp_path / session.id / "q01-followup.wav").is_file()


def test_cli_rejects_bad_options(tmp_path):
    proc = subprocess.run([VOICEMOCK, "practice", "--judge", "gpt", "--out", str(tmp_path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2 and "'gpt' is not one of 'offline', 'llm'" in proc.stderr
    proc = subprocess.run([VOICEMOCK, "practice", "--answer-file", str(tmp_path / "nope.wav"), "--out", str(tmp_path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2 and "no such file" in proc.stderr
    (tmp_path / "dir.wav").mkdir()
    os.mkfifo(tmp_path / "fifo.wav")
    for name, said in (("dir.wav", "is a folder"), ("fifo.wav", "not a regular file")):
        proc = subprocess.run([VOICEMOCK, "practice", "--answer-file", str(tmp_path / name), "--out", str(tmp_path)],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        assert proc.returncode == 2 and said in proc.stderr, proc.stderr  # not "no such file"
    typed = tmp_path / "answer.txt"
    typed.write_text("I rewrote the importer and it took two weeks.")
    out = tmp_path / "rec"
    proc = subprocess.run([VOICEMOCK, "practice", "--no-tts", "--answer-file", str(typed), "--out", str(out)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2 and "cannot decode audio" in proc.stderr and "voicemock score" in proc.stderr
    assert not out.exists()  # no session folder (with a 44-byte recording) left behind


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_cli_retry_asks_the_same_question_and_compares(tmp_path, answers):
    first = subprocess.run(
        [VOICEMOCK, "practice", "--no-tts", "--no-follow-up", "--question-id", "amz-lp-ownership-1",
         "--answer-file", str(answers[0]), "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert first.returncode == 0, first.stderr
    before = Session.model_validate(json.loads(first.stdout))
    spec = f"{tmp_path / before.id}:amz-lp-ownership-1"
    again = subprocess.run(
        [VOICEMOCK, "practice", "--no-tts", "--no-follow-up", "--retry", spec, "--answer-file", str(answers[1]),
         "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert again.returncode == 0, again.stderr
    after = Session.model_validate(json.loads(again.stdout))
    assert [a.question_id for a in after.answers] == ["amz-lp-ownership-1"]
    assert after.settings["retry_of"] == spec
    changes = {c["metric"]: c for c in after.settings["retry_changes"]}
    assert changes["i_share"]["better"] is True  # "we" in the first answer, "I" in the retry
    assert "Compared with" in again.stderr
    assert load_session(tmp_path / after.id).settings["retry_of"] == spec


def test_disk_full_stops_the_session_and_keeps_what_was_saved(tmp_path, answers, monkeypatch):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber
    from voicemock.audio import recorder as audio

    real_write = audio._Writer.write

    def write(self, block):
        if self.frames >= 16000:
            raise OSError(28, "No space left on device")
        real_write(self, block)

    monkeypatch.setattr(audio._Writer, "write", write)
    opts = PracticeOptions(bank="t", count=1, answer_files=[answers[0]], out=tmp_path, seed=1)
    loop = PracticeSession(opts, transcriber=Transcriber(), bank=BANK)
    with pytest.raises(StoreError, match="disk is full") as err:
        loop.run()
    assert str(loop.folder) in str(err.value)
    s = load_session(loop.folder)
    assert s.answers[0].ended_by == "disk_full" and s.answers[0].complete is False
    assert (loop.folder / "q01.wav").stat().st_size > 30000


class OrderUI(QuietUI):
    def __init__(self):
        self.seen = []

    def feedback(self, answer, latency_s):
        self.seen.append(("feedback", answer.result.rubric.judge))

    def feedback_update(self, answer):
        r = answer.result.rubric
        self.seen.append(("update", r.judge, r.llm_error))


def _llm_session(tmp_path, answers, judge_options):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    ui = OrderUI()
    opts = PracticeOptions(bank="t", count=1, question_ids=["m2"], answer_files=[answers[1]], out=tmp_path,
                           judge="llm", judge_options=judge_options, follow_up=False)
    outcome = PracticeSession(opts, transcriber=Transcriber(), ui=ui, bank=BANK).run()
    return ui, load_session(outcome.folder)


def test_llm_rubric_arrives_after_the_offline_one(tmp_path, answers, llama_server):
    from voicemock.rubric import JudgeOptions

    opts = JudgeOptions(kind="llm", base_url=llama_server.base_url, model=llama_server.model, timeout_s=120)
    ui, saved = _llm_session(tmp_path, answers, opts)
    assert ui.seen[0] == ("feedback", "offline") and ui.seen[1][0] == "update"
    rubric = saved.answers[0].result.rubric
    # the tiny local model either grades (judge llm) or fails validation (offline kept, reason given)
    assert (rubric.judge == "llm" and rubric.model == llama_server.model) or rubric.llm_error
    assert saved.judge == "llm"


def test_unreachable_llm_keeps_the_offline_rubric_and_says_why(tmp_path, answers):
    from voicemock.rubric import JudgeOptions

    opts = JudgeOptions(kind="llm", base_url=f"http://127.0.0.1:{closed_port()}/v1", model="x", timeout_s=5,
                        max_retries=0)
    ui, saved = _llm_session(tmp_path, answers, opts)
    assert ui.seen[0] == ("feedback", "offline")
    rubric = saved.answers[0].result.rubric
    assert rubric.judge == "offline" and rubric.llm_error


def test_a_save_that_fails_when_the_llm_rubric_arrives_ends_the_run_with_an_error(tmp_path, answers, monkeypatch):
    """The judge thread's failed save printed a traceback, then "Session saved" and exit 0."""
    import threading

    from voicemock.practice import loop as loop_mod
    from voicemock.rubric import JudgeOptions

    real_save, calls, crashed = loop_mod.save_session, [], []
    monkeypatch.setattr(threading, "excepthook", lambda args: crashed.append(args.exc_value))

    def save(folder, session):
        calls.append(threading.current_thread().name)
        if threading.current_thread().name == "voicemock-judge" or (calls.count("voicemock-judge") and session.ended_at):
            raise StoreError(f"cannot save {folder}/session.json: [Errno 30] Read-only file system")
        return real_save(folder, session)

    monkeypatch.setattr(loop_mod, "save_session", save)
    opts = JudgeOptions(kind="llm", base_url=f"http://127.0.0.1:{closed_port()}/v1", model="x", timeout_s=5,
                        max_retries=0)
    with pytest.raises(StoreError, match="Read-only"):
        _llm_session(tmp_path, answers, opts)
    assert "voicemock-judge" in calls and not crashed  # no traceback from the thread


def test_ctrl_c_while_the_llm_rubric_is_awaited_still_ends_the_session(tmp_path, answers, monkeypatch):
    """It printed only 'voicemock: interrupted', and session.json kept ended_at null."""
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    def interrupted(self, timeout):
        raise KeyboardInterrupt

    monkeypatch.setattr(PracticeSession, "_wait_judges", interrupted)
    opts = PracticeOptions(bank="t", count=1, question_ids=["m2"], answer_files=[answers[1]], out=tmp_path,
                           follow_up=False)
    outcome = PracticeSession(opts, transcriber=Transcriber(), ui=QuietUI(), bank=BANK).run()
    assert outcome.interrupted
    assert read_session(outcome.folder).session.ended_at is not None


def test_ctrl_c_while_a_whole_answer_is_scored_leaves_it_complete(tmp_path, answers, monkeypatch):
    """An answer recorded to its end and interrupted while scored was marked 'cut short'."""
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    real, calls = PracticeSession._score, []

    def score_once_interrupted(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PracticeSession, "_score", score_once_interrupted)
    opts = PracticeOptions(bank="t", count=1, question_ids=["m2"], answer_files=[answers[1]], out=tmp_path,
                           follow_up=False)
    outcome = PracticeSession(opts, transcriber=Transcriber(), ui=QuietUI(), bank=BANK).run()
    saved = read_session(outcome.folder).session.answers[0]
    assert outcome.interrupted and len(calls) == 2
    assert saved.result is not None and saved.complete and saved.ended_by == "end_of_file"


@pytest.mark.parametrize("count, ids, files, expected", [
    (None, [], 0, 3), (None, [], 2, 2), (5, [], 2, 2), (1, [], 2, 1), (None, ["m1", "h1"], 0, 2),
    (None, ["m1", "h1"], 1, 1), (1, ["m1", "h1"], 0, 1), (9, [], 0, 5),
])
def test_how_many_main_questions(count, ids, files, expected, tmp_path):
    from voicemock.asr.whisper import WhisperTranscriber as Transcriber

    opts = PracticeOptions(bank="t", count=count, question_ids=ids, answer_files=[tmp_path / f"{i}.wav" for i in range(files)])
    assert PracticeSession(opts, transcriber=Transcriber(), bank=BANK)._plan()[2] == expected


# --- the flow of a round (loop logic, with an in-process fake transcriber) -------------------------


class FakeMic(Recorder):
    """A microphone that 'hears' loud noise then silence, ``rounds`` times per answer."""

    def __init__(self, loud_s=1.0, quiet_s=1.5):
        self.loud_s, self.quiet_s = loud_s, quiet_s

    def _blocks(self, options, stop):
        import numpy as np

        rng = np.random.default_rng(0)
        for _ in range(int(self.loud_s * 10)):
            yield (rng.standard_normal(1600) * 0.2).astype(np.float32)
        for _ in range(int(self.quiet_s * 10)):
            yield np.zeros(1600, dtype=np.float32) + 1e-4


class FlowUI(QuietUI):
    def __init__(self, go_on=0):
        self.events, self.go_on = [], go_on

    def asking(self, number, total, question, text, kind):
        self.events.append(("ask", kind))

    def think(self, seconds):
        self.events.append(("think", seconds))

    def offer_continue(self, recording):
        self.events.append(("silence", round(recording.duration_s)))
        self.go_on -= 1
        return self.go_on >= 0

    def feedback(self, answer, latency_s):
        self.events.append(("feedback", answer.kind))

    def between(self, question, last):
        self.events.append(("between", last))


def _flow(tmp_path, ui, **opts):
    from fakes import FakeTranscriber

    options = PracticeOptions(**{"bank": "t", "count": 2, "out": tmp_path, "seed": 1,
                                 "record": RecordOptions(max_s=20, end_on_silence_s=1.0), **opts})
    return PracticeSession(options, transcriber=FakeTranscriber(), ui=ui, bank=BANK, recorder=FakeMic()).run()


def test_the_probe_comes_before_any_feedback_and_next_waits_for_the_candidate(tmp_path):
    ui = FlowUI()
    _flow(tmp_path, ui, think_s=5.0)
    kinds = [e for e in ui.events if e[0] in ("ask", "feedback", "between", "think")]
    assert kinds == [("ask", "main"), ("think", 5.0), ("ask", "followup"), ("think", 5.0),
                     ("feedback", "main"), ("feedback", "followup"), ("between", False),
                     ("ask", "main"), ("think", 5.0), ("ask", "followup"), ("think", 5.0),
                     ("feedback", "main"), ("feedback", "followup"), ("between", True)]


def test_feedback_at_the_end_comes_after_the_last_answer(tmp_path):
    ui = FlowUI()
    _flow(tmp_path, ui, feedback="end")
    order = [e for e in ui.events if e[0] in ("ask", "feedback", "between")]
    assert [e[0] for e in order] == ["ask"] * 4 + ["feedback", "feedback", "between"] * 2
    assert order[-1] == ("between", True)


def test_going_on_after_a_silence_cut_continues_the_same_answer(tmp_path):
    ui = FlowUI(go_on=1)
    outcome = _flow(tmp_path, ui, follow_up=False, count=1)
    first = outcome.session.answers[0]
    assert [e for e in ui.events if e[0] == "silence"] == [("silence", 2), ("silence", 4)]
    assert first.duration_s == pytest.approx(4.0, abs=0.35)  # both parts, one answer
    import soundfile as sf

    assert sf.info(str(outcome.folder / first.audio)).duration == pytest.approx(first.duration_s, abs=0.05)


def test_a_silent_answer_file_is_not_blamed_on_the_microphone(tmp_path):
    import numpy as np
    import soundfile as sf

    silent = tmp_path / "silence.wav"
    sf.write(str(silent), np.zeros(16000 * 3, dtype="float32"), 16000)
    proc = subprocess.run([VOICEMOCK, "practice", "--no-tts", "--no-follow-up", "--answer-file", str(silent),
                           "--out", str(tmp_path / "rec")], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    said = " ".join((proc.stdout + proc.stderr).split())  # the terminal UI wraps lines
    assert "No speech was heard" in said and "answer file holds silence" in said
    assert "microphone" not in said
