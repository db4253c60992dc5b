"""Where the speech is: Silero VAD regions (the ONNX model faster-whisper ships)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import AudioError
from . import SAMPLE_RATE

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def speech_segments(
    audio: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    min_silence_s: float = 0.2,
    pad_s: float = 0.0,
    threshold: float = 0.5,
) -> list[tuple[float, float]]:
    """Speech regions ``[(start_s, end_s), ...]`` by Silero VAD (shipped with faster-whisper).

    Tight settings (short silences split regions, little padding) so the gaps are usable as
    pause times. Empty for silence or noise.
    """
    import numpy as np

    if sample_rate != SAMPLE_RATE:
        raise AudioError(f"speech_segments needs {SAMPLE_RATE} Hz audio, got {sample_rate} Hz")
    if audio is None or len(audio) == 0:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(
        threshold=threshold,
        min_silence_duration_ms=int(min_silence_s * 1000),
        speech_pad_ms=int(pad_s * 1000),
        min_speech_duration_ms=60,
    )
    stamps = get_speech_timestamps(np.asarray(audio, dtype=np.float32), opts, sampling_rate=sample_rate)
    return [(s["start"] / sample_rate, s["end"] / sample_rate) for s in stamps]
