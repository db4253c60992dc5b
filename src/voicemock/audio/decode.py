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


#: Longest answer scored (seconds), unless config.toml's max_score_s says otherwise.
DEFAULT_MAX_SCORE_S = 30 * 60.0


def load_audio(path: Path | str, max_s: float | None = None, *, truncate: bool = False) -> np.ndarray:
    """Decode ``path`` to 16 kHz mono float32 in [-1, 1], at most ``max_s`` seconds of it.

    Raises AudioError for a missing, empty, corrupt, unsupported or non-regular file, and for a
    file longer than ``max_s`` (default :data:`DEFAULT_MAX_SCORE_S`): decoding stops there, so
    memory stays bounded whatever the file holds. With ``truncate``, the first ``max_s`` seconds are
    returned instead of an error (an answer file replayed into a recording that ends at ``max_s``).
    """
    import stat

    path = Path(path)
    limit = DEFAULT_MAX_SCORE_S if max_s is None else max_s
    try:
        st = path.stat()
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file") from None
    except OSError as exc:
        raise AudioError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise AudioError(f"{path}: is a folder, not an audio file")
    if not stat.S_ISREG(st.st_mode):
        raise AudioError(f"{path}: not a regular file (a FIFO, socket or device); refusing to read it")
    if st.st_size == 0:
        raise AudioError(f"{path}: the file is empty (0 bytes)")
    try:
        import av  # faster-whisper's decoder
    except ImportError as exc:  # pragma: no cover - a broken install
        raise AudioError(f"{path}: cannot decode audio, PyAV is missing ({exc})") from None
    try:
        audio = _decode(av, path, int(limit * SAMPLE_RATE), truncate)
    except _TooLong:
        raise AudioError(f"{path}: longer than {_mmss(limit)}; voicemock scores answers up to {_mmss(limit)} "
                         "(max_score_s in config.toml)") from None
    except Exception as exc:  # av raises its own zoo (InvalidDataError, ValueError, ...)
        raise AudioError(
            f"{path}: cannot decode audio ({type(exc).__name__}: {exc}); the file is corrupt or "
            f"not a supported format ({', '.join(SUPPORTED)})"
        ) from None
    if audio.size == 0:
        raise AudioError(f"{path}: no audio samples in the file (empty or not an audio file)")
    log.debug("loaded %s: %.2f s", path, audio.size / SAMPLE_RATE)
    return audio


class _TooLong(Exception):
    pass


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d} min"


def _decode(av, path: Path, max_samples: int, truncate: bool = False) -> np.ndarray:
    """PyAV decode of the first audio stream, resampled to 16 kHz mono s16, in bounded pieces."""
    import gc

    import numpy as np

    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    total = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                return np.zeros(0, dtype=np.float32)
            channels = container.streams.audio[0].codec_context.channels
            frames = container.decode(audio=0)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    frame = None
                except av.error.InvalidDataError:
                    continue
                if frame is not None and channels > 2:
                    frame = _downmix(av, frame)
                if frame is not None:
                    frame.pts = None
                for out in resampler.resample(frame):
                    arr = out.to_ndarray().reshape(-1)
                    if total + arr.size > max_samples:
                        if not truncate:
                            raise _TooLong()
                        pieces.append(arr[: max_samples - total].copy())
                        total = max_samples
                        frame = None
                        break
                    total += arr.size
                    pieces.append(arr.copy())
                if frame is None:
                    break
    finally:
        del resampler
        gc.collect()  # PyAV's resampler keeps buffers until collected
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return (np.concatenate(pieces).astype(np.float32) / 32768.0)


def _downmix(av, frame):
    """A frame of more than two channels as one mono float frame (the mean of its channels).

    FFmpeg's resampler knows a default layout only for some channel counts (9, 32 or 64 channels
    fail with EINVAL), so such frames are mixed down here before resampling.
    """
    import numpy as np

    arr = frame.to_ndarray()
    n = frame.samples
    ch = arr.size // max(1, n)
    data = arr.reshape(ch, n) if frame.format.is_planar else arr.reshape(n, ch).T
    kind = data.dtype
    mono = data.astype(np.float64).mean(axis=0)
    if kind == np.uint8:
        mono = (mono - 128.0) / 128.0
    elif np.issubdtype(kind, np.integer):
        mono = mono / float(np.iinfo(kind).max + 1)
    out = av.AudioFrame.from_ndarray(mono.astype(np.float32)[None, :], format="flt", layout="mono")
    out.sample_rate = frame.sample_rate
    return out
