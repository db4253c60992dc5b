"""Transcribe while the candidate is still speaking, so feedback is ready a moment after the end.

:class:`StreamingTranscriber` takes the recorder's blocks (:meth:`feed`: a copy into a buffer, no
model work on the recorder's thread). One worker thread does everything else, one model call at
a time:

- it scores new audio with Silero VAD incrementally (:class:`~voicemock.audio.vad.StreamingVad`:
  each 32 ms window once, never the same audio twice);
- once the audio not yet transcribed holds ``min_speech_s`` followed by a pause of ``min_pause_s``
  it cuts there and transcribes that chunk with the loaded model; with no pause it cuts at
  ``max_chunk_s`` (at the longest gap, if any); after ``end_pause_s`` of silence it cuts even a
  short chunk (the candidate stopped or is thinking), so little is left for the end; audio with no
  speech is skipped, never sent to Whisper;
- it measures how far behind real time it is (audio waiting, and how long chunks take) and, when
  behind, cuts longer chunks (up to ``catch_up_chunk_s``), so it needs fewer model calls and
  catches up on a busy machine instead of falling further behind.

When the answer ends, :meth:`finish` lets the chunk in flight complete and transcribes only what is
left. Audio fed faster than real time (answer files) that is left in bulk is transcribed exactly as
``voicemock score`` would transcribe it. The merged :class:`~voicemock.models.Transcript` has word
times from the start of the recording, and :meth:`speech` gives the VAD regions already computed.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ..audio import SAMPLE_RATE
from ..models import Transcript, Word

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from . import Transcriber

log = logging.getLogger(__name__)


@dataclass
class StreamOptions:
    min_speech_s: float = 4.0  # a chunk holds at least this much audio before it may be cut
    min_pause_s: float = 0.5  # the pause a cut needs
    max_chunk_s: float = 15.0  # cut anyway at this length (at the longest gap, if any)
    catch_up_chunk_s: float = 25.0  # longest chunk, used when the worker is behind (under Whisper's 30 s)
    behind_s: float = 6.0  # this much audio waiting (beyond the chunk being cut) counts as behind
    end_pause_s: float = 1.2  # a silence this long at the end of the audio so far: cut even a short chunk
    poll_s: float = 0.25  # the worker looks for a cut after this much new audio


@dataclass
class ChunkInfo:
    start_s: float
    end_s: float
    seconds: float  # time spent transcribing it (0 for skipped silence)
    words: int
    skipped: bool = False
    behind_s: float = 0.0  # audio waiting when it was cut


@dataclass
class StreamStats:
    chunks: list[ChunkInfo] = field(default_factory=list)
    tail_s: float = 0.0  # audio left for finish()
    finish_s: float = 0.0  # time finish() took (waiting for the worker + the tail)
    max_behind_s: float = 0.0  # most audio ever waiting for the worker

    @property
    def real_time_factor(self) -> Optional[float]:
        spoken = sum(c.end_s - c.start_s for c in self.chunks if not c.skipped)
        took = sum(c.seconds for c in self.chunks)
        return took / spoken if spoken else None


class _Buffer:
    """A growing float32 array; appends are amortised O(1)."""

    def __init__(self) -> None:
        import numpy as np

        self._data = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        import numpy as np

        n = len(block)
        if self.size + n > len(self._data):
            bigger = np.zeros(max(2 * len(self._data), self.size + n), dtype=np.float32)
            bigger[: self.size] = self._data[: self.size]
            self._data = bigger
        self._data[self.size : self.size + n] = block
        self.size += n

    def view(self, start: int = 0, end: Optional[int] = None) -> np.ndarray:
        return self._data[start : self.size if end is None else end]


class StreamingTranscriber:
    """Feed blocks while recording; :meth:`finish` returns the merged transcript."""

    def __init__(self, transcriber: Transcriber, options: StreamOptions | None = None,
                 hesitations=None) -> None:
        from ..audio.vad import StreamingVad

        self.transcriber = transcriber
        #: a :class:`~voicemock.scoring.hesitations.StreamingFrames`: each chunk's hesitation
        #: probabilities are computed right after its words, by the same worker (one model call at a time)
        self.hesitations = hesitations
        self.options = options or StreamOptions()
        self.stats = StreamStats()
        self._buf = _Buffer()
        self._vad = StreamingVad()
        self._cursor = 0  # samples already transcribed (or skipped)
        self._parts: list[Transcript] = []
        self._cond = threading.Condition()
        self._finishing = False
        self._error: Optional[BaseException] = None
        self._worker = threading.Thread(target=self._run, name="voicemock-stream", daemon=True)
        self._worker.start()

    # --- producer side ------------------------------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        with self._cond:
            self._buf.append(block)
            self._cond.notify()

    def audio(self) -> np.ndarray:
        """Everything fed so far (a copy)."""
        with self._cond:
            return self._buf.view().copy()

    def speech(self) -> list[tuple[float, float]]:
        """VAD regions of the whole recording (call after :meth:`finish`)."""
        with self._cond:
            self._vad.advance(self._buf.view(), self._buf.size)
            return self._vad.segments(0, self._buf.size)

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript (call once)."""
        t0 = time.perf_counter()
        with self._cond:
            self._finishing = True
            self._cond.notify()
        self._worker.join()
        if self._error is not None:
            raise self._error
        size = self._buf.size
        self.stats.tail_s = (size - self._cursor) / SAMPLE_RATE
        self._vad.advance(self._buf.view(), size)
        if self.stats.tail_s > self.options.catch_up_chunk_s:
            # fed faster than real time: what is left is transcribed as `voicemock score` would
            self._transcribe(self._cursor, size, whole=True)
        elif self._has_speech(self._cursor, size):
            self._transcribe(self._cursor, size)
        self.stats.finish_s = time.perf_counter() - t0
        return self._merged()

    def close(self) -> None:
        """Stop the worker without transcribing the rest (Ctrl-C); waits for the chunk in flight."""
        with self._cond:
            self._finishing = True
            self._cond.notify()
        self._worker.join(timeout=30)

    # --- worker -------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self.transcriber.load()  # usually already loaded: keeps the model warm
            seen = 0
            while True:
                with self._cond:
                    while not self._finishing and self._buf.size - seen < self.options.poll_s * SAMPLE_RATE:
                        self._cond.wait(timeout=self.options.poll_s)
                    if self._finishing:
                        return
                    seen = self._buf.size
                    audio = self._buf.view()  # the buffer only grows; samples below `seen` never change
                self._vad.advance(audio, seen)
                while not self._finishing and self._step(seen):  # catch up before waiting for more
                    pass
        except BaseException as exc:  # surfaced by finish(), which the caller reports once
            log.debug("streaming transcription failed", exc_info=True)
            self._error = exc

    def _step(self, available: int) -> bool:
        """Cut and transcribe (or skip) one chunk when the audio so far allows it; False: wait."""
        behind = (available - self._cursor) / SAMPLE_RATE
        self.stats.max_behind_s = max(self.stats.max_behind_s, behind)
        longest = self.options.catch_up_chunk_s if behind > self.options.max_chunk_s + self.options.behind_s \
            else self.options.max_chunk_s
        cut = self._find_cut(available, longest)
        if cut is None:
            return False
        end, speech = cut
        if speech:
            self._transcribe(self._cursor, end, behind_s=behind)
        else:
            self.stats.chunks.append(ChunkInfo(self._cursor / SAMPLE_RATE, end / SAMPLE_RATE, 0.0, 0, True, behind))
            self._cursor = end
        return True

    def _find_cut(self, available: int, longest: float) -> Optional[tuple[int, bool]]:
        """Where to cut (absolute sample) and whether the chunk holds speech; None: wait."""
        o = self.options
        start = self._cursor
        stop = min(self._vad.samples, start + int(longest * SAMPLE_RATE))
        dur = (stop - start) / SAMPLE_RATE
        if dur < min(o.min_speech_s + o.min_pause_s, 1.0 + o.end_pause_s):
            return None
        segs = [(a - start / SAMPLE_RATE, b - start / SAMPLE_RATE) for a, b in self._vad.segments(start, stop)]
        if not segs:  # silence so far: skip it but keep the last pause's worth
            return start + int((dur - o.min_pause_s) * SAMPLE_RATE), False
        gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in zip(segs, segs[1:])]
        gaps.append((segs[-1][1], dur))  # trailing silence (a pause in progress)
        good = [(s, e) for s, e in gaps if e - s >= o.min_pause_s and s >= o.min_speech_s]
        trailing_s, trailing_e = gaps[-1]
        if not good and trailing_e - trailing_s >= o.end_pause_s:
            good = [gaps[-1]]  # the candidate stopped (finished, or thinking): transcribe now
        if good:
            s, e = good[-1]
            return start + int((s + min(e - s, 2 * o.min_pause_s) / 2) * SAMPLE_RATE), True
        if dur >= longest - 1e-6:
            inner = [(s, e) for s, e in gaps[:-1] if s >= 1.0]
            if inner:
                s, e = max(inner, key=lambda g: g[1] - g[0])
                return start + int((s + e) / 2 * SAMPLE_RATE), True
            return stop, True
        return None

    def _has_speech(self, start: int, end: int) -> bool:
        return end - start >= SAMPLE_RATE // 10 and bool(self._vad.segments(start, end))

    def _transcribe(self, start: int, end: int, *, behind_s: float = 0.0, whole: bool = False) -> None:
        t0 = time.perf_counter()
        part = self.transcriber.transcribe(self._buf.view(start, end).copy(), offset_s=start / SAMPLE_RATE)
        if self.hesitations is not None:
            self.hesitations.add(self._buf.view(start, end), start / SAMPLE_RATE,
                                 self._vad.segments(start, end))
        took = time.perf_counter() - t0
        self._parts.append(part)
        self.stats.chunks.append(ChunkInfo(start / SAMPLE_RATE, end / SAMPLE_RATE, took, len(part.words),
                                           behind_s=behind_s))
        log.debug("chunk %.2f-%.2f s (%s): %d words in %.2f s, %.1f s behind", start / SAMPLE_RATE,
                  end / SAMPLE_RATE, "rest" if whole else "live", len(part.words), took, behind_s)
        self._cursor = end

    def _merged(self) -> Transcript:
        words: list[Word] = [w for p in self._parts for w in p.words]
        text = " ".join(p.text.strip() for p in self._parts if p.text.strip())
        return Transcript(text=text, words=words, duration_s=round(self._buf.size / SAMPLE_RATE, 3), no_speech=not words)
