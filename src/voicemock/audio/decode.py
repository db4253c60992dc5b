"""Audio files in, 16 kHz mono float32 out.

Decoding goes through PyAV (what faster-whisper uses), so wav, flac, mp3, ogg and m4a all
work. Every problem with a file becomes an :class:`~voicemock.errors.AudioError` naming it.
numpy, av and faster_whisper are imported lazily so importing this module is cheap.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AudioError
from . import SAMPLE_RATE

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

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
