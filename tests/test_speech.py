"""Speaking questions: pyttsx3 rendering to a file, blocking playback, silent fallback."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf

from voicemock.audio import tts as speech
from voicemock.audio.tts import Pyttsx3Speaker, SilentSpeaker, make_speaker, synthesize_to_file
from voicemock.errors import DeviceError

QUESTION = "Tell me about a time you disagreed with your manager."


def test_synthesize_to_file_is_never_empty(tmp_path, capfd):
    lengths = []
    for i in range(4):  # fresh engine each time: no empty WAVs after a previous utterance
        p = synthesize_to_file(QUESTION, tmp_path / f"q{i}.wav")
        info = sf.info(str(p))
        assert info.samplerate == 22050 and info.channels == 1
        lengths.append(info.duration)
    assert min(lengths) > 1.5 and max(lengths) < 1.2 * min(lengths)
    assert "Audio saved" not in capfd.readouterr().out  # pyttsx3's print is swallowed


def test_rate_changes_the_length(tmp_path):
    slow = sf.info(str(synthesize_to_file(QUESTION, tmp_path / "s.wav", rate=120))).duration
    fast = sf.info(str(synthesize_to_file(QUESTION, tmp_path / "f.wav", rate=260))).duration
    assert slow > 1.5 * fast


def test_espeak_fallback_when_pyttsx3_fails(monkeypatch, tmp_path):
    def broken(*a, **k):
        raise RuntimeError("no espeak driver")

    monkeypatch.setattr(speech, "_pyttsx3_to_file", broken)
    p = synthesize_to_file(QUESTION, tmp_path / "q.wav", voice="en-gb")
    assert sf.info(str(p)).frames > 0


def test_no_engine_at_all_is_a_device_error(monkeypatch, tmp_path):
    monkeypatch.setattr(speech, "_pyttsx3_to_file", lambda *a, **k: (_ for _ in ()).throw(ImportError("pyttsx3")))
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    with pytest.raises(DeviceError, match="--no-tts"):
        synthesize_to_file(QUESTION, tmp_path / "q.wav")


def test_say_blocks_for_the_spoken_length_and_reaches_the_speaker(virtual_audio, tmp_path):
    clip_s = sf.info(str(synthesize_to_file(QUESTION, tmp_path / "ref.wav"))).duration
    spk = virtual_audio.record_speaker(tmp_path / "spk.wav")
    time.sleep(0.3)
    t0 = time.monotonic()
    Pyttsx3Speaker().say(QUESTION)
    took = time.monotonic() - t0
    time.sleep(0.3)
    spk.terminate()
    spk.wait(5)
    assert clip_s - 0.1 <= took <= clip_s + 2.0  # espeak output length varies by a few ms between runs
    heard, sr = sf.read(str(tmp_path / "spk.wav"), dtype="float32")
    loud = np.nonzero(np.abs(heard) > 0.02)[0]
    assert len(loud) and (loud[-1] - loud[0]) / sr == pytest.approx(clip_s, abs=0.4)


def test_make_speaker_choices(virtual_audio, monkeypatch):
    assert isinstance(make_speaker(no_tts=True), SilentSpeaker)
    s = make_speaker(voice="en-gb", rate=150)
    assert isinstance(s, Pyttsx3Speaker) and s.voice == "en-gb" and s.rate == 150
    sd = speech.__dict__.get("sd") or __import__("sounddevice")

    def no_output(*a, **k):
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "query_devices", no_output)
    silent = make_speaker()
    assert isinstance(silent, SilentSpeaker) and "output" in silent.reason
    silent.say(QUESTION)  # prints and plays nothing, returns at once


def test_the_default_interviewer_voice_is_piper_and_reaches_the_speaker(virtual_audio, tmp_path):
    from voicemock.audio.tts import PiperSpeaker

    s = make_speaker()
    assert isinstance(s, PiperSpeaker) and "Piper" in s.description
    s.load()  # loading is not part of speaking
    spk = virtual_audio.record_speaker(tmp_path / "spk.wav")
    time.sleep(0.3)
    t0 = time.monotonic()
    s.say(QUESTION)
    took = time.monotonic() - t0
    time.sleep(0.3)
    spk.terminate()
    spk.wait(5)
    heard, sr = sf.read(str(tmp_path / "spk.wav"), dtype="float32")
    loud = np.nonzero(np.abs(heard) > 0.02)[0]
    assert len(loud) and (loud[-1] - loud[0]) / sr > 1.5  # the question was heard
    assert took >= (loud[-1] - loud[0]) / sr - 0.3  # say() returned only once it had been spoken


def test_an_unknown_voice_is_refused_with_the_choices(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).parent / "voicemock")
    proc = subprocess.run([exe, "practice", "--voice", "klingon-xx", "--answer-file", str(tmp_path / "x.wav")],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
    with pytest.raises(Exception, match="unknown voice 'klingon-xx'.*piper.*en-us"):
        speech.check_voice("klingon-xx")
    speech.check_voice("en-gb")
    speech.check_voice("en+f3")


def test_spoken_questions_are_cached_so_later_rounds_start_at_once(tmp_path, monkeypatch):
    from voicemock.audio import piper
    from voicemock.audio.tts import PiperSpeaker

    s = PiperSpeaker(cache_dir=tmp_path / "cache")
    first, sr = s.audio_for(QUESTION)
    assert len(list((tmp_path / "cache").glob("*.wav"))) == 1

    def no_synthesis(*a, **k):
        raise AssertionError("the cached question was synthesised again")

    fresh = PiperSpeaker(cache_dir=tmp_path / "cache")
    monkeypatch.setattr(piper.PiperVoice, "load", classmethod(no_synthesis))
    again, sr2 = fresh.audio_for(QUESTION)
    assert sr2 == sr and len(again) == len(first) and np.max(np.abs(again - first)) < 1e-3
    assert fresh._voice is None  # the voice was not even loaded
