"""Audio files in, 16 kHz mono float32 out; and where the speech is (Silero VAD).

Decoding goes through PyAV (what faster-whisper uses), so wav, flac, mp3, ogg and m4a all
work. Every problem with a file becomes an :class:`~voicemock.errors.AudioError` naming it.
numpy, av and faster_whisper are imported lazily so importing this module is cheap.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AudioError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
SUPPORTED = ("wav", "flac", "mp3", "ogg", "m4a")


def load_audio(path: Path | str) -> np.ndarray:
    """Decode ``path`` to 16 kHz mono float32 in [-1, 1].

    Raises AudioError for a missing, empty, corrupt or unsupported file.
    """
    import numpy as np

    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty (0 bytes)")
    try:
        import av  # noqa: F401  (faster-whisper's decoder)
        from faster_whisper.audio import decode_audio
    except ImportError as exc:  # pragma: no cover - a broken install
        raise AudioError(f"{path}: cannot decode audio, PyAV/faster-whisper is missing ({exc})") from None
    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # av raises its own zoo (InvalidDataError, ValueError, ...)
        raise AudioError(
            f"{path}: cannot decode audio ({type(exc).__name__}: {exc}); the file is corrupt or "
            f"not a supported format ({', '.join(SUPPORTED)})"
        ) from None
    audio = np.asarray(audio, dtype=np.float32)
    if audio.size == 0:
        raise AudioError(f"{path}: no audio samples in the file (empty or not an audio file)")
    log.debug("loaded %s: %.2f s", path, audio.size / SAMPLE_RATE)
    return audio


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
