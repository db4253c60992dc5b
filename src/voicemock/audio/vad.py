"""Where the speech is: Silero VAD regions (the ONNX model faster-whisper ships).

Silero scores each 32 ms window (512 samples) with the probability that it holds speech; regions
come from those probabilities (:func:`segments_from_probs`, the same rule as faster-whisper's
``get_speech_timestamps``, adapted from silero-vad, MIT). :class:`StreamingVad` scores audio as
it arrives, carrying the model's state, so the probabilities of a growing recording are computed
once each (identical to scoring the whole recording at once), and regions of any part of it cost
no model run at all.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..errors import AudioError
from . import SAMPLE_RATE

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

WINDOW = 512  # samples per Silero window (32 ms)
_CONTEXT = 64  # samples of the previous window the model sees
_model_lock = threading.Lock()  # one onnxruntime session: one call at a time


def _model():
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


def _run(windows: np.ndarray, state: tuple) -> tuple[np.ndarray, tuple]:
    """Probabilities of ``windows`` (n x 512) after ``state`` = (h, c, context of 64 samples)."""
    import numpy as np

    h, c, ctx = state
    contexts = np.concatenate([ctx[None, :], windows[:-1, -_CONTEXT:]], axis=0)
    x = np.concatenate([contexts, windows], axis=1).astype(np.float32, copy=False)
    with _model_lock:
        out, h, c = _model().session.run(None, {"input": x, "h": h, "c": c})
    return np.asarray(out, dtype=np.float32).reshape(-1), (h, c, windows[-1, -_CONTEXT:].copy())


def _initial_state() -> tuple:
    import numpy as np

    return (np.zeros((1, 1, 128), dtype=np.float32), np.zeros((1, 1, 128), dtype=np.float32),
            np.zeros(_CONTEXT, dtype=np.float32))


def speech_probs(audio: np.ndarray) -> np.ndarray:
    """Speech probability of every 512-sample window of ``audio`` (the last one zero-padded)."""
    import numpy as np

    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if audio.size == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.pad(audio, (0, WINDOW - audio.size % WINDOW))
    probs, _ = _run(padded.reshape(-1, WINDOW), _initial_state())
    return probs


def segments_from_probs(probs, n_samples: int, *, min_silence_s: float = 0.2, pad_s: float = 0.0,
                        threshold: float = 0.5, min_speech_s: float = 0.06, start: int = 0,
                        end: int | None = None) -> list[tuple[float, float]]:
    """Speech regions in seconds from window probabilities, over samples ``start..end`` of the audio
    (window-aligned; ``n_samples`` is the audio's length)."""
    end = n_samples if end is None else min(end, n_samples)
    first, last = start // WINDOW, -(-end // WINDOW)
    neg = max(threshold - 0.15, 0.01)
    min_silence, min_speech, pad = (int(SAMPLE_RATE * x) for x in (min_silence_s, min_speech_s, pad_s))
    speeches: list[list[int]] = []
    triggered, temp_end, cur_start = False, 0, 0
    for i in range(first, min(last, len(probs))):
        p, pos = float(probs[i]), WINDOW * i
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered, cur_start = True, pos
            continue
        if p < neg and triggered:
            if not temp_end:
                temp_end = pos
            if pos - temp_end < min_silence:
                continue
            if temp_end - cur_start > min_speech:
                speeches.append([cur_start, temp_end])
            triggered, temp_end = False, 0
    if triggered and end - cur_start > min_speech:
        speeches.append([cur_start, end])
    for k, s in enumerate(speeches):  # padding, split evenly where neighbours are close
        if k == 0:
            s[0] = max(start, s[0] - pad)
        if k + 1 < len(speeches):
            gap = speeches[k + 1][0] - s[1]
            if gap < 2 * pad:
                s[1] += gap // 2
                speeches[k + 1][0] = max(start, speeches[k + 1][0] - gap // 2)
            else:
                s[1] = min(end, s[1] + pad)
                speeches[k + 1][0] = max(start, speeches[k + 1][0] - pad)
        else:
            s[1] = min(end, s[1] + pad)
    return [(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in speeches]


def speech_segments(
    audio: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    min_silence_s: float = 0.2,
    pad_s: float = 0.0,
    threshold: float = 0.5,
) -> list[tuple[float, float]]:
    """Speech regions ``[(start_s, end_s), ...]`` of ``audio`` (16 kHz).

    Tight settings (short silences split regions, little padding) so the gaps are usable as
    pause times. Empty for silence or noise.
    """
    if sample_rate != SAMPLE_RATE:
        raise AudioError(f"speech_segments needs {SAMPLE_RATE} Hz audio, got {sample_rate} Hz")
    if audio is None or len(audio) == 0:
        return []
    return segments_from_probs(speech_probs(audio), len(audio), min_silence_s=min_silence_s, pad_s=pad_s,
                               threshold=threshold)


class StreamingVad:
    """Window probabilities of a growing recording, each window scored once."""

    def __init__(self) -> None:
        import numpy as np

        self._state = _initial_state()
        self._probs = np.zeros(0, dtype=np.float32)
        self.samples = 0  # samples scored (a multiple of WINDOW)

    def advance(self, audio: np.ndarray, upto: int) -> None:
        """Score the complete windows of ``audio[self.samples:upto]`` (``audio`` is the whole recording)."""
        import numpy as np

        n = (min(upto, len(audio)) - self.samples) // WINDOW * WINDOW
        if n <= 0:
            return
        windows = np.asarray(audio[self.samples: self.samples + n], dtype=np.float32).reshape(-1, WINDOW)
        probs, self._state = _run(windows, self._state)
        self._probs = np.concatenate([self._probs, probs])
        self.samples += n

    def segments(self, start: int = 0, end: int | None = None, **kw) -> list[tuple[float, float]]:
        """Regions (seconds from the recording's start) within samples ``start..end`` scored so far."""
        return segments_from_probs(self._probs, self.samples, start=start, end=end, **kw)
