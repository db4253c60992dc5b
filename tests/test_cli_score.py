"""``voicemock score`` on the real app: the JSON contract on synthesised speech, errors, .txt input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from speechgen import build, filler, pause, say
from voicemock.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    clip = build([pause(1.2), say("I owned the release of our mobile app."), filler("um", rate=70),
                  say("We had two weeks to fix the crash rate."), pause(1.8),
                  say("So I set up crash reports and fixed the top ten issues."), filler("uh", rate=65),
                  say("The crash rate fell by half.")], tmp / "answer.wav", voice="en-gb", rate=160)
    return clip


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_score_json_contract_with_fillers_and_pauses(answer_wav):
    result = runner.invoke(app, ["score", str(answer_wav.path), "--json", "--question", "Tell me about a release."])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    assert data["source"] == str(answer_wav.path)
    assert data["question"] == "Tell me about a release."
    assert data["asr_model"].startswith("tiny.en")
    t, d = data["transcript"], data["delivery"]
    assert "crash" in t["text"].lower() and t["duration_s"] == pytest.approx(answer_wav.duration, abs=0.01)
    assert all(set(w) >= {"word", "start", "end"} for w in t["words"])
    for key in ("words_per_minute", "fillers", "filler_count", "fillers_per_minute", "pauses",
                "long_pause_count", "longest_pause_s", "lead_in_s"):
        assert key in d
    hes = [f for f in d["fillers"] if f["kind"] == "hesitation"]
    assert len(hes) == 2 and all(f["source"] in ("transcript", "acoustic") for f in hes)
    for got, want in zip(hes, answer_wav.fillers):
        assert got["start"] == pytest.approx(want.start, abs=0.2)
        assert got["end"] == pytest.approx(want.end, abs=0.25)
    (p,) = d["pauses"]
    want = [x for x in answer_wav.pauses if x.start > 0][0]
    assert p["start"] == pytest.approx(want.start, abs=0.15) and p["end"] == pytest.approx(want.end, abs=0.15)
    assert d["long_pause_count"] == 1 and d["longest_pause_s"] == pytest.approx(1.8, abs=0.2)
    assert d["lead_in_s"] == pytest.approx(1.2, abs=0.15)
    assert [f["word"] for f in d["fillers"] if f["kind"] == "discourse"] == ["so"]


def test_silence_gives_no_words(tmp_path):
    path = tmp_path / "silence.wav"
    sf.write(str(path), np.zeros(16000 * 4, dtype=np.float32), 16000)
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    assert data["transcript"]["words"] == [] and data["transcript"]["text"] == ""
    assert data["transcript"]["no_speech"] is True
    assert data["delivery"]["filler_count"] == 0 and data["delivery"]["words_per_minute"] is None


def test_bad_files_get_one_line_each_and_the_rest_is_scored(tmp_path):
    good = tmp_path / "answer.txt"
    good.write_text("So I led the project, and um we basically shipped it on time.\n")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.flac"
    corrupt.write_bytes(b"fLaC" + bytes(300))
    missing = tmp_path / "missing.mp3"
    result = runner.invoke(app, ["score", str(empty), str(good), str(missing), str(corrupt), "--json"])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert errors[0].startswith(f"voicemock: error: {empty}: ") and "empty" in errors[0]
    assert errors[1].startswith(f"voicemock: error: {missing}: no such file")
    assert errors[2].startswith(f"voicemock: error: {corrupt}: cannot decode audio")
    (data,) = _lines(result.stdout)
    assert data["source"] == str(good)


def test_txt_transcript_has_null_timings(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("I mean, I like Python. Do you know the answer? I think it was, like, kind of hard.")
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    assert data["transcript"]["duration_s"] is None
    assert all(w["start"] is None for w in data["transcript"]["words"])
    d = data["delivery"]
    assert d["words_per_minute"] is None and d["lead_in_s"] is None and d["pauses"] == []
    assert [f["word"] for f in d["fillers"]] == ["i mean", "like", "kind of"]
    assert data["asr_model"] is None


def test_question_from_a_bank(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("I set a clear goal and we met it.")
    result = runner.invoke(app, ["score", str(path), "--json", "--bank", "amazon", "--question-id", "amz-q01"])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    from voicemock.banks import load_bank

    assert data["question"] == load_bank("amazon").question("amz-q01").text
    bad = runner.invoke(app, ["score", str(path), "--bank", "amazon", "--question-id", "nope"])
    assert bad.exit_code == 1 and "has no question 'nope'" in bad.stderr


def test_usage_errors(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Fine.")
    r = runner.invoke(app, ["score", str(path), "--device", "tpu"])
    assert r.exit_code == 2 and "--device" in r.stderr
    r = runner.invoke(app, ["score", str(path), "--bank", "amazon"])
    assert r.exit_code == 2 and "--question-id" in r.stderr
    r = runner.invoke(app, ["score", str(path), "--question", "Why?", "--question-id", "amz-q01"])
    assert r.exit_code == 2 and "not both" in r.stderr
    r = runner.invoke(app, ["score", str(tmp_path / "x.wav"), "--model", str(tmp_path)])
    assert r.exit_code == 1 and "no model.bin" in r.stderr


def test_question_id_uses_the_configured_bank(tmp_path, voicemock_home):
    path = tmp_path / "a.txt"
    path.write_text("I rewrote the export.")
    r = runner.invoke(app, ["score", str(path), "--question-id", "amz-q01", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["question"] == "What is the Amazon interview process like?"
    (voicemock_home / "config.toml").write_text('bank = "general-behavioral"\n')
    r = runner.invoke(app, ["score", str(path), "--question-id", "amz-q01"])
    assert r.exit_code == 1 and "general-behavioral" in r.stderr and "no question 'amz-q01'" in r.stderr


def test_help_shows_human_metavars():
    for cmd in (["score"], ["practice"], ["review"], ["annotate"], ["history"], ["erase"], ["banks", "validate"]):
        r = runner.invoke(app, [*cmd, "--help"])
        assert r.exit_code == 0
        assert "<str>" not in r.stdout and "list[" not in r.stdout and "<path>" not in r.stdout, (cmd, r.stdout)


def test_readable_report_marks_fillers(answer_wav):
    result = runner.invoke(app, ["score", str(answer_wav.path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "fillers" in out and "pauses >= 1 s" in out and "lead-in" in out
    assert "crash" in out.lower()


def test_json_output_round_trips_through_the_contract(answer_wav):
    from voicemock.models import AnswerResult

    result = runner.invoke(app, ["score", str(answer_wav.path), "--json"])
    (data,) = _lines(result.stdout)
    assert AnswerResult.model_validate(data).model_dump(mode="json") == data


STAR_TXT = ("At my last job our nightly billing export kept failing. My goal was to make it reliable "
            "before quarter end. I rewrote the retry logic and I added an alert for duplicate rows. "
            "As a result, failures dropped from five a week to zero.")


def test_offline_rubric_is_the_default_judge(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STAR_TXT)
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    assert data["rubric"]["judge"] == "offline" and data["rubric"]["llm_error"] is None
    assert 0 <= data["rubric"]["overall"] <= 100
    assert data["structure"]["parts"]["result"]["present"] and data["structure"]["has_metric"]


def test_llm_judge_down_falls_back_visibly_with_exit_0(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-never-printed")
    path = tmp_path / "a.txt"
    path.write_text(STAR_TXT)
    result = runner.invoke(app, ["score", str(path), "--json", "--judge", "llm",
                                 "--llm-base-url", f"http://127.0.0.1:{port}/v1", "--llm-model", "m"])
    assert result.exit_code == 0, result.output
    (data,) = _lines(result.stdout)
    assert data["rubric"]["judge"] == "offline" and data["rubric"]["llm_error"]
    assert "SECRET" not in result.output
    r = runner.invoke(app, ["score", str(path), "--judge", "gpt"])
    assert r.exit_code == 2 and "--judge" in r.stderr


def test_model_from_config_is_used_and_checked_before_work(tmp_path, voicemock_home):
    (voicemock_home / "config.toml").write_text(f'model = "{tmp_path / "no-model"}"\n')
    wav = tmp_path / "a.wav"
    import numpy as np
    import soundfile as sf

    sf.write(wav, np.zeros(16000, dtype=np.float32), 16000)
    r = runner.invoke(app, ["score", str(wav)])
    assert r.exit_code == 1 and "no-model: not a CTranslate2 Whisper model folder" in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_scoring_the_same_audio_twice_gives_identical_json(answer_wav, tmp_path):
    """Two separate processes (fresh model, fresh random state) score the same file the same way."""
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).parent / "voicemock")
    # noise makes Whisper unsure, which is where sampling used to make runs differ
    audio, sr = sf.read(str(answer_wav.path), dtype="float32")
    noisy = tmp_path / "noisy.wav"
    sf.write(str(noisy), audio + np.random.default_rng(3).normal(0, 0.02, len(audio)).astype(np.float32), sr)
    runs = [subprocess.run([exe, "score", "--json", str(answer_wav.path), str(noisy)], capture_output=True,
                           text=True, timeout=300) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert len(_lines(runs[0].stdout)) == 2


@pytest.mark.parametrize("question", ["What is in [/etc]?", "[bold red]Tell me[/] about [link=x]y[/link]", "a \\[b]"])
def test_question_text_with_brackets_is_shown_as_typed(tmp_path, question):
    path = tmp_path / "a.txt"
    path.write_text(STAR_TXT)
    result = runner.invoke(app, ["score", str(path), "--question", question])
    assert result.exit_code == 0, result.output
    assert f"Question: {question}" in result.stdout


def test_report_names_the_aim_beside_a_measure_past_it(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("I think it was maybe fine. I guess I probably fixed it, I think.")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 0, result.output
    assert "(aim for at most 2)" in " ".join(result.output.split())  # 5 hedges: the aim plan and the feedback use
    path.write_text("I rewrote the importer and it took two weeks.")
    result = runner.invoke(app, ["score", str(path)])
    assert "aim for" not in " ".join(result.output.split())


def test_a_blank_question_is_no_question_and_a_byte_order_mark_is_not_text(tmp_path):
    """A blank --question was scored as a question of its own (30/100 where no question gave 100),
    and a Windows editor's byte-order mark showed up in the quoted feedback."""
    story = ("Last year I had to migrate our billing system in six weeks. I was responsible for the cutover plan. "
             "I wrote the data mapping, tested it on a copy of production and ran the cutover over a weekend. "
             "In the end we moved forty thousand accounts with no billing errors.")
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff".encode() + story.encode())
    blank = runner.invoke(app, ["score", str(path), "--json", "--question", "  "])
    none = runner.invoke(app, ["score", str(path), "--json"])
    assert blank.exit_code == none.exit_code == 0, blank.output
    b, n = _lines(blank.stdout)[0], _lines(none.stdout)[0]
    assert b["question"] is None and b["rubric"]["overall"] == n["rubric"]["overall"]
    assert b["transcript"]["text"].startswith("Last year")
    assert "\ufeff" not in blank.stdout


@pytest.mark.parametrize("voice", ["en-us", "piper"])
def test_a_spoken_weakness_answer_is_scored_by_the_view_rubric(tmp_path, voice):
    """The whole path on speech: Whisper's transcript of a specific weakness answer scores well above a
    cliché, which is told first to drop its stock phrases (not to add STAR context)."""
    strong = build([say("My biggest weakness is that I talk too fast when I'm nervous."),
                    say("Last March I presented our budget to the board and the chair asked me to slow down."),
                    say("Since then I record myself before every big meeting, because hearing it helps."),
                    say("Now I pause after each slide.")], tmp_path / "strong.wav", voice=voice, rate=150)
    weak = build([say("I'm a perfectionist. I just care too much and I'm a real team player."),
                  say("So it's honestly more of a strength. I always go above and beyond for everyone.")],
                 tmp_path / "weak.wav", voice=voice, rate=150)
    result = runner.invoke(app, ["score", str(strong.path), str(weak.path), "--json",
                                 "--question", "What is your greatest weakness?"])
    assert result.exit_code == 0, result.output
    s, w = _lines(result.stdout)
    assert s["rubric"]["kind"] == w["rubric"]["kind"] == "view"
    assert s["rubric"]["overall"] - w["rubric"]["overall"] >= 30, (s["rubric"], w["transcript"]["text"])
    assert "stock phrases" in w["rubric"]["feedback"][0]
    assert not any("context" in f for f in s["rubric"]["feedback"] + w["rubric"]["feedback"])


def test_question_id_without_bank_is_found_in_the_one_bank_that_has_it(tmp_path):
    """'--question-id gen-conflict' without --bank listed the amazon bank's 43 ids and stopped."""
    path = tmp_path / "a.txt"
    path.write_text("Last year two colleagues disagreed about a release date. I met each of them and wrote down both "
                    "plans. We shipped the smaller change first and the release went out on time.", encoding="utf-8")
    found = runner.invoke(app, ["score", str(path), "--json", "--question-id", "gen-conflict"])
    assert found.exit_code == 0, found.output
    assert _lines(found.stdout)[0]["question"].startswith("Tell me about a time you had a conflict")
    chosen = runner.invoke(app, ["score", str(path), "--question-id", "gen-conflict", "--bank", "amazon"])
    assert chosen.exit_code == 1 and "bank 'amazon' has no question 'gen-conflict'" in chosen.output
