"""Streaming transcription: chunks cut at pauses while audio arrives, merged with correct offsets."""

from __future__ import annotations

import time

import numpy as np
import pytest

from speechgen import build, pause, say
from voicemock.asr.streaming import StreamingTranscriber, StreamOptions
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from waiting import wait_until

SENTENCES = [
    "Last year I led the migration of our billing system.",
    "My goal was to finish it within one month.",
    "I wrote the validation scripts and compared every invoice.",
    "I found three hundred mismatches and fixed them myself.",
    "As a result we cut billing errors by forty percent.",
    "The customer support team thanked us for the change.",
]


@pytest.fixture(scope="module")
def transcriber():
    t = Transcriber()
    t.load()
    return t


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    parts = []
    for s in SENTENCES:
        parts += [say(s), pause(0.8)]
    return build([pause(0.5)] + parts, tmp_path_factory.mktemp("stream") / "answer.wav", rate=160)


def _feed(stream, audio, speed: float) -> None:
    """Feed 0.1 s blocks; ``speed`` x real time (0: as fast as possible)."""
    for i in range(0, len(audio), 1600):
        stream.feed(audio[i: i + 1600])
        if speed:
            time.sleep(0.1 / speed)


def _first_word_time(transcript, word: str) -> float:
    for w in transcript.words:
        if w.word.lower().strip(".,") == word:
            return w.start
    raise AssertionError(f"{word!r} not in {transcript.text!r}")


def test_chunks_are_transcribed_while_feeding_and_offsets_are_right(transcriber, answer):
    stream = StreamingTranscriber(transcriber, StreamOptions(min_speech_s=3.0, max_chunk_s=12.0))
    _feed(stream, answer.audio, speed=3.0)
    # without finish(), the worker transcribes the answer chunk by chunk, up to its last pause
    wait_until(lambda: sum(c.end_s for c in stream.stats.chunks[-1:]) >= answer.duration - 6.0, timeout=120,
               what="the worker to reach the last seconds of the answer")
    assert len([c for c in stream.stats.chunks if not c.skipped]) >= 2
    transcript = stream.finish()
    assert stream.stats.tail_s < 6.0
    text = transcript.text.lower()
    for key in ("migration", "month", "invoice", "mismatches", "customer"):
        assert key in text, text
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)  # merged in order, no overlaps
    # word times are offsets into the whole recording: compare with where each sentence was placed
    for sentence, word in ((3, "mismatches"), (5, "customer")):
        label = answer.speech[sentence]
        t = _first_word_time(transcript, word)
        assert label.start - 0.3 <= t <= label.end, (word, t, label)
    assert transcript.duration_s == pytest.approx(answer.duration, abs=0.01)
    assert all(c.end_s - c.start_s <= 12.0 + 1e-6 for c in stream.stats.chunks)


def test_file_speed_input_is_still_cut_into_chunks(transcriber, answer):
    stream = StreamingTranscriber(transcriber, StreamOptions(max_chunk_s=10.0, catch_up_chunk_s=12.0))
    _feed(stream, answer.audio, speed=0)
    transcript = stream.finish()
    real = [c for c in stream.stats.chunks if not c.skipped]
    assert len(real) >= 2 and all(c.end_s - c.start_s <= 12.0 + 1e-6 for c in real)
    assert "migration" in transcript.text.lower() and "customer" in transcript.text.lower()


def test_silence_is_never_sent_to_whisper(transcriber):
    calls = []

    class Spy:
        model_name = "spy"

        def load(self):
            pass

        def transcribe(self, audio, *, offset_s=0.0):
            calls.append(len(audio))
            return transcriber.transcribe(audio, offset_s=offset_s)

    stream = StreamingTranscriber(Spy(), StreamOptions(min_speech_s=2.0))
    rng = np.random.default_rng(0)
    _feed(stream, (rng.standard_normal(16000 * 8) * 0.001).astype(np.float32), speed=0)
    transcript = stream.finish()
    assert transcript.no_speech and transcript.words == [] and calls == []
    assert transcript.duration_s == pytest.approx(8.0)


def test_worker_errors_surface_in_finish():
    class Broken:
        model_name = "broken"

        def load(self):
            raise RuntimeError("model file damaged")

    stream = StreamingTranscriber(Broken())
    stream.feed(np.zeros(1600, dtype=np.float32))
    with pytest.raises(RuntimeError, match="damaged"):
        stream.finish()


def test_a_long_pause_at_the_end_is_transcribed_before_the_answer_ends(transcriber, tmp_path):
    clip = build([say("I fixed the build myself."), pause(2.5)], tmp_path / "short.wav", rate=160)
    stream = StreamingTranscriber(transcriber)  # min_speech_s 4: only the end pause rule can cut here
    _feed(stream, clip.audio, speed=1.5)
    wait_until(lambda: stream.stats.chunks, timeout=60, what="the end-pause cut")
    assert len(stream.stats.chunks) == 1 and not stream.stats.chunks[0].skipped
    transcript = stream.finish()
    assert len(stream.stats.chunks) == 1  # what was left at the end was silence: nothing more to transcribe
    assert "myself" in transcript.text.lower() and transcript.words[0].start < 0.5
