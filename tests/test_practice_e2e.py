"""``voicemock practice`` end to end, through the real audio path.

The CLI runs as a subprocess against a private PulseAudio daemon: the question is spoken by
pyttsx3 to the virtual speaker, the answer is captured from the virtual microphone (fed with
espeak-ng speech when the recording starts), transcribed, scored and saved.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from speechgen import build, heard, pause, say
from voicemock.models import Session
from waiting import communicate_or_dump

pytestmark = pytest.mark.audio

VOICEMOCK = [str(Path(sys.executable).parent / "voicemock")]

ANSWER_1 = [
    say("Last year I led the billing migration at a logistics company."),
    pause(0.7),
    say("My goal was to move every invoice to the new system in one month."),
    pause(0.7),
    say("I wrote the validation scripts and I fixed three hundred mismatches myself."),
    pause(0.7),
    say("As a result we cut billing errors by forty percent."),
]
ANSWER_2 = [
    say("When a customer reported missing parcels, I traced the warehouse scans."),
    pause(0.7),
    say("I found a broken scanner and I replaced it the same day."),
    pause(0.7),
    say("Lost parcels dropped by half within a week."),
]


def _run(args, va, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(VOICEMOCK + args, env=va.full_env(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, **kw)


@contextmanager
def _practice_being_fed(va, wav: Path, args: list[str], **popen):
    """``voicemock practice ARGS`` with WAV fed into the virtual mic; yields once feeding began."""
    feeder = va.feed_answers([wav], timeout=60)
    proc = subprocess.Popen(VOICEMOCK + ["practice", *args], env={**va.full_env(), "PYTHONFAULTHANDLER": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
    try:
        deadline = time.monotonic() + 60
        while not feeder.started_at and time.monotonic() < deadline:
            time.sleep(0.05)
        assert feeder.started_at, feeder.error
        yield proc, feeder
    finally:
        if proc.poll() is None:
            proc.kill()


def _no_audio_env(tmp_path: Path) -> dict:
    """The environment of a machine with no sound server at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return env


def _only_session(out: Path) -> Path:
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def _load(folder: Path) -> Session:
    return Session.model_validate(json.loads((folder / "session.json").read_text()))


def test_practice_two_questions_through_virtual_mic_and_speaker(virtual_audio, tmp_path):
    va = virtual_audio
    a1 = build(ANSWER_1, tmp_path / "a1.wav", rate=170)
    a2 = build(ANSWER_2, tmp_path / "a2.wav", voice="en-gb", rate=170)
    out = tmp_path / "rec"
    speaker = va.record_speaker(tmp_path / "speaker.wav")
    feeder = va.feed_answers([a1.path, a2.path], timeout=60)
    try:
        t0 = time.monotonic()
        proc = _run(["practice", "--count", "2", "--no-follow-up", "--end-on-silence", "2.5", "--seed", "3",
                     "--out", str(out), "--max-answer-s", "60"], va, timeout=240)
    finally:
        speaker.terminate()
        speaker.wait(5)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    feeder.join(5)
    assert feeder.error is None, feeder.error
    folder = _only_session(out)
    assert (folder.stat().st_mode & 0o777) == 0o700
    session = _load(folder)
    assert [a.audio for a in session.answers] == ["q01.wav", "q02.wav"]
    assert all(a.complete and a.kind == "main" for a in session.answers)
    assert session.speaker is not None and session.speaker.startswith("Piper neural voice")
    for answer, clip in ((session.answers[0], a1), (session.answers[1], a2)):
        info = sf.info(str(folder / answer.audio))
        assert info.samplerate == 16000 and info.channels == 1
        # the whole answer plus the silence that ended it (2.5 s), and not much more
        assert clip.duration + 2.0 <= info.duration <= clip.duration + 5.0, (info.duration, clip.duration)
        assert answer.ended_by == "silence"
        spoken = " ".join(x.text for x in clip.speech)
        assert heard(answer.result.transcript.text, spoken) >= 0.6, answer.result.transcript.text
        assert answer.result.rubric is not None and 0 <= answer.result.rubric.overall <= 100
        assert answer.result.delivery.words_per_minute and answer.result.structure is not None
        assert answer.feedback_latency_s is not None and answer.feedback_latency_s >= 0
    # the two questions were really spoken on the speaker: a few seconds of sound in total
    spk, sr = sf.read(str(tmp_path / "speaker.wav"), dtype="float32")
    loud = np.abs(spk) > 0.05
    assert loud.sum() / sr > 0.5, "nothing was played on the virtual speaker"
    # each recording started only after its question had been spoken (microphone closed meanwhile)
    assert len(feeder.started_at) == 2 and feeder.started_at[0] - t0 > 1.0


def test_kill_mid_answer_keeps_audio_up_to_a_second_before(virtual_audio, tmp_path):
    va = virtual_audio
    long = build([say("I planned the migration in three phases and I reviewed every step with the team. "
                      "Then I wrote the scripts, I tested them on a copy of the data, and I fixed the errors I found.")] * 3,
                 tmp_path / "long.wav", rate=160)
    out = tmp_path / "rec"
    args = ["--count", "1", "--no-tts", "--no-follow-up", "--out", str(out)]
    with _practice_being_fed(va, long.path, args, stdin=subprocess.DEVNULL) as (proc, feeder):
        time.sleep(8.0)
        killed_after = time.monotonic() - feeder.started_at[0]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    folder = _only_session(out)
    session = _load(folder)  # written before the recording started: points at the partial WAV
    assert session.answers[0].audio == "q01.wav" and session.answers[0].complete is False
    rec, sr = sf.read(str(folder / "q01.wav"), dtype="float32")
    assert sr == 16000
    got = len(rec) / sr
    assert killed_after - 1.2 <= got <= killed_after + 0.5, (got, killed_after)
    # the samples on disk are the fed speech, sample for sample: align at the first sound and compare
    fed, _ = sf.read(str(long.path), dtype="float32")
    lag = int(np.argmax(np.abs(rec) > 0.01)) - int(np.argmax(np.abs(fed) > 0.01))
    assert 0 <= lag < sr  # the feed starts as soon as the recording opens
    n = min(len(rec) - lag, len(fed))
    a, b = rec[lag: lag + n], fed[:n]
    corr = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
    assert corr > 0.95, corr


def _signal_mid_answer(va, tmp_path: Path, out: Path, sig: int, timeout: float):
    """``practice`` on a long answer fed to the microphone, sent ``sig`` 4 s into it (without Enter
    or --end-on-silence the recording runs on): (process, stdout, stderr, seconds fed when sent)."""
    long = build([say("I started by measuring the queue and then I rewrote the worker so that it retried failed jobs.")] * 4,
                 tmp_path / "long.wav", rate=160)
    args = ["--count", "2", "--no-tts", "--out", str(out)]
    with _practice_being_fed(va, long.path, args, stdin=subprocess.DEVNULL, text=True) as (proc, feeder):
        time.sleep(4.0)  # what is asserted about the recording's length is measured, not assumed
        sent_after = time.monotonic() - feeder.started_at[0]
        proc.send_signal(sig)
        stdout, stderr = communicate_or_dump(proc, timeout)
    return proc, stdout, stderr, sent_after


def test_ctrl_c_keeps_finished_and_partial_answer(virtual_audio, tmp_path):
    out = tmp_path / "rec"
    proc, stdout, stderr, sent_after = _signal_mid_answer(virtual_audio, tmp_path, out, signal.SIGINT,
                                                          timeout=240)  # scoring the cut answer: slow when busy
    assert proc.returncode == 130, stderr
    folder = _only_session(out)
    assert str(folder) in stdout.replace("\n", "")
    assert "partial" in stdout
    session = _load(folder)
    assert session.ended_at is not None
    assert len(session.answers) == 1 and session.answers[0].complete is False
    cut = session.answers[0]
    assert cut.ended_by == "interrupted" and cut.result is not None  # scored from its saved audio
    assert heard(cut.result.transcript.text, "I started by measuring the queue") >= 0.5, cut.result.transcript.text
    review = subprocess.run(VOICEMOCK + ["review", str(folder)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "200"})
    assert "answer cut short" in review.stdout and "scored from what was recorded" in review.stdout
    info = sf.info(str(folder / "q01.wav"))
    assert sent_after - 1.5 <= info.duration <= sent_after + 1.0, (info.duration, sent_after)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_kill_or_closed_terminal_saves_the_session_like_ctrl_c(virtual_audio, tmp_path, sig):
    """Python dies at once on SIGTERM/SIGHUP by default: session.json then had no end and said
    nothing of how the answer ended. Now the session is saved, the recording so far kept (not
    scored: the process is asked to go), one line says where, and the exit code is 128 + signal."""
    out = tmp_path / "rec"
    proc, stdout, stderr, sent_after = _signal_mid_answer(virtual_audio, tmp_path, out, sig, timeout=120)
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith(f"voicemock: stopped by {sig.name}"), stderr
    folder = _only_session(out)
    assert str(folder) in stderr.replace("\n", "")
    session = _load(folder)
    assert session.ended_at is not None
    assert len(session.answers) == 1
    cut = session.answers[0]
    assert cut.complete is False and cut.ended_by == "interrupted" and cut.result is None
    info = sf.info(str(folder / "q01.wav"))
    assert sent_after - 1.5 <= info.duration <= sent_after + 1.0, (info.duration, sent_after)


def test_no_input_device_is_a_clear_error(tmp_path):
    env = _no_audio_env(tmp_path)
    proc = subprocess.run(VOICEMOCK + ["practice", "--count", "1", "--no-tts", "--out", str(tmp_path / "rec")],
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 1
    assert "no input device" in proc.stderr and "--answer-file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "rec").exists() or not any((tmp_path / "rec").iterdir())  # no empty session left


def test_demo_on_a_machine_without_audio(tmp_path):
    env = _no_audio_env(tmp_path)
    proc = subprocess.run(VOICEMOCK + ["demo", "--json", "--out", str(tmp_path / "rec")], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    session = Session.model_validate(data)
    answer = session.answers[0]
    assert answer.complete and answer.audio == "q01.wav"
    assert 40 <= answer.duration_s <= 70
    text = answer.result.transcript.text.lower()
    assert "billing" in text and "deadline" in text
    assert answer.result.rubric.overall >= 50
    folder = tmp_path / "rec" / session.id
    assert sf.info(str(folder / "q01.wav")).duration == pytest.approx(answer.duration_s, abs=0.1)


def test_enter_ends_the_answer(virtual_audio, tmp_path):
    va = virtual_audio
    long = build([say("First I listed every failing test and then I grouped them by the module they touched.")] * 3,
                 tmp_path / "long.wav", rate=160)
    out = tmp_path / "rec"
    args = ["--count", "1", "--no-tts", "--no-follow-up", "--out", str(out)]
    with _practice_being_fed(va, long.path, args, stdin=subprocess.PIPE, text=True) as (proc, feeder):
        time.sleep(3.0)  # let the answer run; what is asserted below is measured, not assumed
        sent_after = time.monotonic() - feeder.started_at[0]
        proc.stdin.write("\n")
        proc.stdin.flush()
        stdout, stderr = communicate_or_dump(proc, 120)
    assert proc.returncode == 0, stderr
    assert "press Enter" in stdout
    answer = _load(_only_session(out)).answers[0]
    assert answer.ended_by == "stop" and answer.complete
    assert sent_after - 1.5 <= answer.duration_s <= sent_after + 1.0, (answer.duration_s, sent_after)
    assert heard(answer.result.transcript.text, "First I listed every failing test") >= 0.5, \
        answer.result.transcript.text


def test_devices_lists_and_checks_the_microphone(virtual_audio, tmp_path):
    proc = _run(["devices", "--seconds", "1", "--json"], virtual_audio, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert any(d["default_input"] and d["inputs"] > 0 for d in data["devices"])
    check = data["level_check"]
    assert check["seconds"] == pytest.approx(1.0, abs=0.15)
    assert check["all_zero"] is True  # nothing fed: the virtual mic is silent
    env = _no_audio_env(tmp_path)
    proc = subprocess.run(VOICEMOCK + ["devices"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "no input device" in proc.stderr


def test_chosen_devices_are_used_and_unknown_ones_refused(virtual_audio, tmp_path):
    va = virtual_audio
    listing = json.loads(_run(["devices", "--seconds", "0", "--json"], va, timeout=60).stdout)
    mic = next(d for d in listing["devices"] if d["inputs"] and "pulse" in d["name"].lower())
    out = tmp_path / "rec"
    spoken = "I fixed the flaky deploy myself and it never failed again."
    a = build([say(spoken)], tmp_path / "a.wav")
    feeder = va.feed_answers([a.path], timeout=60)
    proc = _run(["practice", "--count", "1", "--no-tts", "--no-follow-up", "--end-on-silence", "1.5",
                 "--input-device", str(mic["index"]), "--out", str(out), "--json"], va, timeout=240)
    feeder.join(10)
    assert proc.returncode == 0, proc.stderr
    answer = Session.model_validate_json(proc.stdout.strip().splitlines()[-1]).answers[0]
    assert answer.complete and heard(answer.result.transcript.text, spoken) >= 0.6, answer.result.transcript.text
    for flag in ("--input-device", "--output-device"):
        bad = _run(["practice", "--count", "1", flag, "no_such_device", "--out", str(tmp_path / "bad")], va,
                   timeout=60)
        assert bad.returncode == 1 and "no_such_device" in bad.stderr and "voicemock devices" in bad.stderr
        assert "Traceback" not in bad.stderr
        assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())


def test_a_round_with_think_time_and_the_example_answer_on_request(virtual_audio, tmp_path):
    """Think until Enter, answer, then ask for the bank's example answer before finishing."""
    import queue

    va = virtual_audio
    a = build([say("I rewrote the slow report myself and it went from an hour to five minutes.")], tmp_path / "a.wav")
    feeder = va.feed_answers([a.path], timeout=120)
    proc = subprocess.Popen(VOICEMOCK + ["practice", "--count", "1", "--no-tts", "--no-follow-up", "--think-s", "60",
                                         "--end-on-silence", "1.5", "--question-id", "amz-lp-ownership-1",
                                         "--out", str(tmp_path / "rec")],
                            env={**va.full_env(), "COLUMNS": "200"}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def wait_for(text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return line
        raise AssertionError(f"no {text!r} on the screen")

    try:
        wait_for("press Enter to start answering")
        time.sleep(0.5)
        assert not feeder.started_at  # thinking: the microphone is not open yet
        proc.stdin.write("\n")
        proc.stdin.flush()
        wait_for("Enter to finish")
        proc.stdin.write("e\n")
        proc.stdin.flush()
        wait_for("An example of a strong answer")
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.wait(60) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    feeder.join(10)
    assert feeder.started_at
