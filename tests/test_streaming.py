"""Streaming transcription: chunks cut at pauses while audio arrives, merged with correct offsets."""

from __future__ import annotations

import time

import numpy as np
import pytest

from fakes import FakeTranscriber
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


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_chunks_are_transcribed_while_feeding_and_offsets_are_right(transcriber, answer):
    opts = StreamOptions(min_speech_s=3.0, max_chunk_s=12.0)
    stream = StreamingTranscriber(transcriber, opts)
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
    # a worker that fell behind (a busy machine: fed at 3x real time) cuts longer catch-up chunks
    for c in stream.stats.chunks:
        behind = c.behind_s > opts.max_chunk_s + opts.behind_s
        assert c.end_s - c.start_s <= (opts.catch_up_chunk_s if behind else opts.max_chunk_s) + 1e-6, c


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_file_speed_input_is_transcribed_like_score(transcriber, answer):
    """Answer files arrive faster than real time; what the worker has not reached is transcribed the
    way `voicemock score` transcribes a file, so practice --answer-file and score agree."""
    stream = StreamingTranscriber(transcriber, StreamOptions(max_chunk_s=10.0, catch_up_chunk_s=12.0))
    _feed(stream, answer.audio, speed=0)
    transcript = stream.finish()
    whole = transcriber.transcribe(answer.audio)
    words = [w.word for w in transcript.words]
    assert "migration" in transcript.text.lower() and "customer" in transcript.text.lower()
    if stream.stats.chunks[-1].start_s == 0.0:  # the worker had not started: one call, like score
        assert words == [w.word for w in whole.words]
    else:
        assert abs(len(words) - len(whole.words)) <= 3


def test_vad_regions_of_the_stream_are_those_of_the_whole_recording(transcriber, answer):
    from voicemock.audio.vad import speech_segments

    stream = StreamingTranscriber(transcriber)
    _feed(stream, answer.audio, speed=0)
    stream.finish()
    streamed, whole = stream.speech(), speech_segments(answer.audio)
    assert streamed[:-1] == whole[:-1] and abs(streamed[-1][1] - whole[-1][1]) < 0.04


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


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_a_long_pause_at_the_end_is_transcribed_before_the_answer_ends(transcriber, tmp_path):
    clip = build([say("I fixed the build myself."), pause(2.5)], tmp_path / "short.wav", rate=160)
    stream = StreamingTranscriber(transcriber)  # min_speech_s 4: only the end pause rule can cut here
    _feed(stream, clip.audio, speed=1.5)
    wait_until(lambda: stream.stats.chunks, timeout=60, what="the end-pause cut")
    assert len(stream.stats.chunks) == 1 and not stream.stats.chunks[0].skipped
    transcript = stream.finish()
    assert len(stream.stats.chunks) == 1  # what was left at the end was silence: nothing more to transcribe
    assert "myself" in transcript.text.lower() and transcript.words[0].start < 0.5


def test_a_worker_that_fell_behind_catches_up_with_longer_chunks(answer):
    """Held on its first chunk while the answer keeps coming (a busy machine), the worker then cuts
    longer chunks than usual: fewer model calls, so it catches up instead of falling further behind."""
    fake = FakeTranscriber(hold_first=True)
    opts = StreamOptions(min_speech_s=2.0, max_chunk_s=5.0, behind_s=2.0, catch_up_chunk_s=12.0)
    stream = StreamingTranscriber(fake, opts)
    _feed(stream, answer.audio[: 16000 * 8], speed=0)
    fake.entered.wait(30)  # the first chunk is in flight; everything else arrives meanwhile
    _feed(stream, answer.audio[16000 * 8:], speed=0)
    fake.release()
    wait_until(lambda: stream.stats.chunks and stream.stats.chunks[-1].end_s > answer.duration - 6.0, timeout=60,
               what="the worker to catch up")
    stream.finish()
    live = [c for c in stream.stats.chunks if not c.skipped and c.behind_s > 0]
    caught_up = [c for c in live if c.behind_s > opts.max_chunk_s + opts.behind_s]
    assert caught_up and all(opts.max_chunk_s < c.end_s - c.start_s <= opts.catch_up_chunk_s + 1e-6
                             for c in caught_up)
    assert stream.stats.max_behind_s > opts.max_chunk_s
    assert stream.stats.tail_s < opts.catch_up_chunk_s  # caught up before the end: only a tail was left


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_hesitations_found_chunk_by_chunk_match_the_whole_file(transcriber, tmp_path):
    """While the answer is recorded, each chunk's hesitation probabilities are computed right after
    its words, so at the end only the last chunk is left; the fillers found are those of scoring
    the whole file at once."""
    from speechgen import filler
    from voicemock.scoring.hesitations import StreamingFrames
    from voicemock.scoring.pipeline import score_answer

    parts = []
    for s in SENTENCES[:4]:
        parts += [filler("um"), say(s), pause(0.8)]
    clip = build(parts, tmp_path / "hes.wav", rate=160)
    frames = StreamingFrames(transcriber.encode)
    stream = StreamingTranscriber(transcriber, StreamOptions(min_speech_s=3.0, max_chunk_s=8.0), hesitations=frames)
    _feed(stream, clip.audio, speed=4.0)
    wait_until(lambda: stream.stats.chunks and stream.stats.chunks[-1].end_s > clip.duration - 4.0, timeout=120)
    transcript = stream.finish()
    assert len([c for c in stream.stats.chunks if not c.skipped]) >= 2
    streamed = score_answer(transcript, clip.audio, source="s", speech=stream.speech(), frames=frames.frames(),
                            encoder=transcriber.encode)
    whole = score_answer(transcript, clip.audio, source="w", encoder=transcriber.encode)
    s_times = [f.start for f in streamed.delivery.fillers if f.kind == "hesitation"]
    w_times = [f.start for f in whole.delivery.fillers if f.kind == "hesitation"]
    assert len(s_times) >= 3 and abs(len(s_times) - len(w_times)) <= 1
    matched = sum(any(abs(a - b) < 0.3 for b in w_times) for a in s_times)
    assert matched >= len(s_times) - 1
