"""Transcribe while the candidate is still speaking, so feedback is ready about a second after the end.

:class:`StreamingTranscriber` takes the recorder's blocks (:meth:`feed`, cheap, any thread). A
worker thread looks at the audio not yet transcribed; once it holds at least ``min_speech_s`` of
audio followed by a pause of ``min_pause_s`` (found by Silero VAD), it cuts there and transcribes
that chunk with the already-loaded model, while recording goes on. A chunk with no pause is cut at
``max_chunk_s`` (at its longest gap, if any). Audio with no speech at all is skipped, never sent to
Whisper. When the answer ends, :meth:`finish` waits for the chunk in flight and transcribes only
the rest, then merges the chunks into one :class:`~voicemock.results.Transcript` whose word times
are offsets from the start of the recording.
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
    catch_up_chunk_s: float = 25.0  # chunk length when finish() catches up with faster-than-real-time input
    end_pause_s: float = 1.2  # a silence this long at the end of the audio so far: cut even a short chunk
    poll_s: float = 0.25  # how often the worker looks for a cut


@dataclass
class ChunkInfo:
    start_s: float
    end_s: float
    seconds: float  # time spent transcribing it (0 for skipped silence)
    words: int
    skipped: bool = False


@dataclass
class StreamStats:
    chunks: list[ChunkInfo] = field(default_factory=list)
    tail_s: float = 0.0  # audio left for finish()
    finish_s: float = 0.0  # time finish() took (waiting for the worker + the tail)


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

    def __init__(self, transcriber: Transcriber, options: StreamOptions | None = None) -> None:
        self.transcriber = transcriber
        self.options = options or StreamOptions()
        self.stats = StreamStats()
        self._buf = _Buffer()
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

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript (call once)."""
        t0 = time.perf_counter()
        with self._cond:
            self._finishing = True
            self._cond.notify()
        self._worker.join()
        if self._error is not None:
            raise self._error
        self.stats.tail_s = (self._buf.size - self._cursor) / SAMPLE_RATE
        # Audio fed faster than real time (answer files) may still be long: cut it the same way.
        # Longer chunks here (still under Whisper's 30 s window): fewer calls, nobody is speaking any more.
        longest = self.options.catch_up_chunk_s
        while (self._buf.size - self._cursor) / SAMPLE_RATE > longest:
            pending = self._buf.view(self._cursor)
            end, speech = self._find_cut(pending, longest) or (int(longest * SAMPLE_RATE), True)
            if speech:
                self._transcribe(self._cursor, self._cursor + end)
            else:
                self._cursor += end
        tail = self._buf.view(self._cursor)
        if len(tail) and self._has_speech(tail):
            self._transcribe(self._cursor, self._buf.size)
        self.stats.finish_s = time.perf_counter() - t0
        return self._merged()

    def close(self) -> None:
        """Stop the worker without transcribing the rest (Ctrl-C)."""
        with self._cond:
            self._finishing = True
            self._cond.notify()
        self._worker.join(timeout=5)

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
                    pending = self._buf.view(self._cursor, seen).copy()
                cut = self._find_cut(pending)
                if cut is None:
                    continue
                end, speech = cut
                if speech:
                    self._transcribe(self._cursor, self._cursor + end)
                else:
                    self.stats.chunks.append(ChunkInfo(self._cursor / SAMPLE_RATE, (self._cursor + end) / SAMPLE_RATE, 0.0, 0, True))
                    self._cursor += end
        except BaseException as exc:  # surfaced by finish()
            log.exception("streaming transcription failed")
            self._error = exc

    def _find_cut(self, pending: np.ndarray, max_chunk_s: Optional[float] = None) -> Optional[tuple[int, bool]]:
        """Where to cut ``pending`` (samples) and whether the chunk holds speech; None: wait."""
        from ..audio.vad import speech_segments

        o = self.options
        max_chunk_s = max_chunk_s or o.max_chunk_s
        pending = pending[: int(max_chunk_s * SAMPLE_RATE)]  # never look past one chunk
        dur = len(pending) / SAMPLE_RATE
        if dur < min(o.min_speech_s + o.min_pause_s, 1.0 + o.end_pause_s):
            return None
        segs = speech_segments(pending)
        if not segs:  # silence so far: skip it but keep the last pause's worth
            return int((dur - o.min_pause_s) * SAMPLE_RATE), False
        gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in zip(segs, segs[1:])]
        gaps.append((segs[-1][1], dur))  # trailing silence (a pause in progress)
        good = [(s, e) for s, e in gaps if e - s >= o.min_pause_s and s >= o.min_speech_s]
        trailing_s, trailing_e = gaps[-1]
        if not good and trailing_e - trailing_s >= o.end_pause_s:
            # the candidate stopped (finished, or thinking): transcribe now, so little is left at the end
            good = [gaps[-1]]
        if good:
            s, e = good[-1]
            return int((s + min(e - s, 2 * o.min_pause_s) / 2) * SAMPLE_RATE), True
        if dur >= max_chunk_s:
            inner = [(s, e) for s, e in gaps[:-1] if s >= 1.0]
            if inner:
                s, e = max(inner, key=lambda g: g[1] - g[0])
                return int((s + e) / 2 * SAMPLE_RATE), True
            return int(max_chunk_s * SAMPLE_RATE), True
        return None

    @staticmethod
    def _has_speech(audio: np.ndarray) -> bool:
        from ..audio.vad import speech_segments

        return len(audio) >= SAMPLE_RATE // 10 and bool(speech_segments(audio))

    def _transcribe(self, start: int, end: int) -> None:
        t0 = time.perf_counter()
        part = self.transcriber.transcribe(self._buf.view(start, end).copy(), offset_s=start / SAMPLE_RATE)
        took = time.perf_counter() - t0
        self._parts.append(part)
        self.stats.chunks.append(ChunkInfo(start / SAMPLE_RATE, end / SAMPLE_RATE, took, len(part.words)))
        log.debug("chunk %.2f-%.2f s: %d words in %.2f s", start / SAMPLE_RATE, end / SAMPLE_RATE, len(part.words), took)
        self._cursor = end

    def _merged(self) -> Transcript:
        words: list[Word] = [w for p in self._parts for w in p.words]
        text = " ".join(p.text.strip() for p in self._parts if p.text.strip())
        return Transcript(text=text, words=words, duration_s=round(self._buf.size / SAMPLE_RATE, 3), no_speech=not words)
