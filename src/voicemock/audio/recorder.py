"""Recording answers: 16 kHz mono float32 blocks to a callback and to a WAV on disk as they arrive.

A :class:`Recorder` writes every block to ``path`` while it records (the WAV header is updated and
the file flushed at least every ``flush_every_s``, so a crash or SIGKILL loses at most about a
second) and hands each block to ``on_block`` (the streaming transcriber) and a level to
``on_level`` (the live meter). Two recorders share that contract:

- :class:`SoundDeviceRecorder`: the microphone, through sounddevice/PortAudio (imported lazily).
- :class:`FileRecorder`: a recorded answer (``--answer-file``, ``demo``) replayed block by block,
  so files go through exactly the same path as the microphone.

Recording ends when ``stop`` is set (Enter), at ``max_s``, after ``end_on_silence_s`` of silence
(only when asked), or when the disk is full (what was written is kept). Ctrl-C propagates as
``KeyboardInterrupt`` after the WAV has been closed properly.
"""

from __future__ import annotations

import errno
import logging
import math
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional

from ..errors import AudioError, DeviceError
from . import SAMPLE_RATE

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

BLOCK_S = 0.1

EndReason = Literal["stop", "max", "silence", "end_of_file", "disk_full"]
BlockCallback = Callable[["np.ndarray"], None]
LevelCallback = Callable[[float, float], None]  # (level 0..1, elapsed seconds)

ZERO_MIC_MESSAGE = (
    "the microphone delivers only silence (all samples are zero) after {s:.0f} s. "
    "On macOS, allow microphone access for your terminal in System Settings > Privacy & Security > "
    "Microphone and restart the terminal; elsewhere check that the microphone is not muted "
    "(run 'voicemock devices' to see the level)."
)


@dataclass
class RecordOptions:
    """How one answer is recorded."""

    max_s: float = 300.0
    end_on_silence_s: Optional[float] = None  # None: silence never ends the answer
    silence_level: float = 0.01  # block RMS below this counts as silence (about -40 dBFS)
    zero_check_s: float = 2.0  # only-zero input for this long -> DeviceError (macOS permission)
    flush_every_s: float = 0.5
    device: Optional[int | str] = None  # sounddevice input device (None: the default)
    block_s: float = BLOCK_S


@dataclass
class Recording:
    """What a finished (or cut) recording left on disk."""

    path: Path
    duration_s: float
    ended_by: EndReason
    peak_level: float = 0.0
    heard_speech: bool = False


def level_of(block: np.ndarray) -> float:
    """A meter value 0..1 for a block: RMS mapped from -60 dBFS (0) to 0 dBFS (1)."""
    import numpy as np

    if block.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    if rms <= 1e-6:
        return 0.0
    db = 20.0 * math.log10(rms)
    return max(0.0, min(1.0, (db + 60.0) / 60.0))


#: Silence libasound's own messages ("ALSA lib pcm.c:...: underrun occurred") that it prints on
#: the terminal, in the middle of the live screen. The CLI turns this off with -v.
QUIET_ALSA = True
_alsa_handler = None  # kept alive: libasound calls it


def quiet_alsa() -> bool:
    """Install a no-op ALSA error handler (Linux; harmless elsewhere). True when installed."""
    global _alsa_handler
    if _alsa_handler is not None:
        return True
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("asound")
        if not name:
            return False
        lib = ctypes.CDLL(name)
        handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                        ctypes.c_char_p)
        _alsa_handler = handler_type(lambda *args: None)
        lib.snd_lib_error_set_handler(_alsa_handler)
        return True
    except (OSError, AttributeError):
        return False


def import_sounddevice():
    """``import sounddevice`` with the errors a user can act on."""
    if QUIET_ALSA:
        quiet_alsa()
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio shared library is missing
        raise DeviceError(
            f"PortAudio is missing ({exc}): apt install libportaudio2 (Debian/Ubuntu), "
            "brew install portaudio (macOS); or use --answer-file / 'voicemock demo' without a microphone"
        ) from None
    return sounddevice


def device_error(exc: Exception, what: str = "input") -> DeviceError:
    """Translate a PortAudioError into a DeviceError that says what to do."""
    text = str(exc)
    if "-1" in text or "querying device" in text.lower() or "no default" in text.lower():
        return DeviceError(
            f"no {what} device found ({text}). Connect a "
            + ("microphone" if what == "input" else "speaker or headphones")
            + ", check 'voicemock devices', or "
            + ("answer from a file with --answer-file / run 'voicemock demo'" if what == "input" else "use --no-tts")
        )
    return DeviceError(f"the {what} device cannot be used: {text}. Check 'voicemock devices'.")


class _Writer:
    """The WAV on disk: 16-bit PCM, header updated and flushed every ``flush_every_s``."""

    def __init__(self, path: Path, flush_every_s: float, append: bool = False) -> None:
        import soundfile

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if append and self.path.is_file():  # go on with an answer: add to the end of its WAV
            self._sf = soundfile.SoundFile(str(self.path), "r+")
            self._sf.seek(0, soundfile.SEEK_END)
            self.frames = self._sf.frames
        else:
            # the recording is personal: created owner-only before the first sample is written
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            os.chmod(self.path, 0o600)
            self._sf = soundfile.SoundFile(str(self.path), "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16")
            self.frames = 0
        self._flush_every = max(1, int(flush_every_s * SAMPLE_RATE))
        self._unflushed = 0

    def write(self, block: np.ndarray) -> None:
        self._sf.write(block)
        self.frames += len(block)
        self._unflushed += len(block)
        if self._unflushed >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        from soundfile import _ffi, _snd

        _snd.sf_command(self._sf._file, 0x1060, _ffi.NULL, 0)  # SFC_UPDATE_HEADER_NOW
        self._sf.flush()
        self._unflushed = 0

    def close(self) -> None:
        try:
            self._sf.close()
        except Exception as exc:  # disk full while closing: the flushed part stays readable
            log.warning("closing %s: %s", self.path, exc)


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    text = str(exc).lower()
    return "no space" in text or "disk full" in text or "quota" in text


class _Monitor:
    """Level, silence and length of the audio so far; says when the recording must end."""

    def __init__(self, options: RecordOptions, check_zero: bool) -> None:
        self.o = options
        self.check_zero = check_zero
        self.frames = 0
        self.level = self.peak = 0.0
        self.heard = False  # any block louder than silence_level
        self.all_zero = True
        self.silent_run = 0.0

    @property
    def elapsed(self) -> float:
        return self.frames / SAMPLE_RATE

    def room(self) -> int:
        return max(int(self.o.max_s * SAMPLE_RATE) - self.frames, 0)

    def update(self, block: np.ndarray) -> Optional[EndReason]:
        import numpy as np

        self.frames += len(block)
        self.level = level_of(block)
        self.peak = max(self.peak, self.level)
        self.all_zero = self.all_zero and not np.any(block)
        if self.check_zero and self.all_zero and self.elapsed >= self.o.zero_check_s:
            raise DeviceError(ZERO_MIC_MESSAGE.format(s=self.elapsed))
        rms = float(np.sqrt(np.mean(np.square(block)))) if len(block) else 0.0
        if rms >= self.o.silence_level:
            self.heard, self.silent_run = True, 0.0
        else:
            self.silent_run += len(block) / SAMPLE_RATE
        if self.room() == 0:
            return "max"
        if self.o.end_on_silence_s is not None and self.heard and self.silent_run >= self.o.end_on_silence_s:
            return "silence"
        return None


class Recorder:
    """The recorder contract; subclasses provide :meth:`_blocks`."""

    def record(
        self,
        path: Path,
        *,
        options: RecordOptions | None = None,
        on_block: BlockCallback | None = None,
        on_level: LevelCallback | None = None,
        stop: threading.Event | None = None,
        append: bool = False,
    ) -> Recording:
        """Record to ``path`` until stopped; return what is on disk. With ``append``, go on with the
        recording already there (the length limit counts both parts)."""
        import numpy as np

        opts = options or RecordOptions()
        stop = stop or threading.Event()
        writer = _Writer(path, opts.flush_every_s, append=append)
        mon = _Monitor(opts, self.checks_zero_input)
        mon.frames = writer.frames
        ended: Optional[EndReason] = None
        try:
            for block in self._blocks(opts, stop):
                if block is not None:  # None: no data yet, only check Enter
                    block = np.asarray(block, dtype=np.float32).reshape(-1)[: mon.room()]
                    try:
                        writer.write(block)
                    except Exception as exc:
                        if not _is_disk_full(exc):
                            raise
                        log.error("disk full while writing %s: %s", path, exc)
                        ended = "disk_full"
                        break
                    if on_block is not None and len(block):
                        on_block(block)
                    ended = mon.update(block)  # DeviceError for an all-zero microphone
                    if on_level is not None:
                        on_level(mon.level, mon.elapsed)
                    if ended:
                        break
                if stop.is_set():
                    ended = "stop"
                    break
            else:
                ended = "end_of_file"
        finally:
            try:
                if ended != "disk_full":
                    writer.flush()
            except Exception as exc:
                if not _is_disk_full(exc):
                    log.warning("flushing %s: %s", path, exc)
                ended = "disk_full"
            writer.close()
        return Recording(Path(path), mon.elapsed, ended or "stop", mon.peak, mon.heard)

    #: the microphone checks for an all-zero signal; a file may legitimately start silent
    checks_zero_input = True

    def _blocks(self, options: RecordOptions, stop: threading.Event):  # pragma: no cover - abstract
        raise NotImplementedError


class SoundDeviceRecorder(Recorder):
    """The microphone: a sounddevice InputStream at 16 kHz mono float32, opened only while recording."""

    def __init__(self, device: Optional[int | str] = None) -> None:
        self.device = device

    def _blocks(self, options: RecordOptions, stop: threading.Event):
        sd = import_sounddevice()
        q: queue.Queue = queue.Queue()
        blocksize = int(options.block_s * SAMPLE_RATE)

        def callback(indata, frames, time_info, status):  # PortAudio's thread: copy and go
            if status:
                log.debug("input status: %s", status)
            q.put(indata[:, 0].copy())

        device = options.device if options.device is not None else self.device
        try:
            stream = sd.InputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="float32", blocksize=blocksize,
                device=device, callback=callback,
            )
            stream.start()
        except sd.PortAudioError as exc:
            raise device_error(exc, "input") from None
        except ValueError as exc:  # unknown device name/index
            raise DeviceError(f"input device {device!r}: {exc}. See 'voicemock devices'.") from None
        try:
            while True:
                try:
                    yield q.get(timeout=0.2)
                except queue.Empty:
                    if not stream.active:
                        raise DeviceError("the input device stopped delivering audio (unplugged?)") from None
                    yield None
        finally:
            stream.abort()
            stream.close()


class FileRecorder(Recorder):
    """A recorded answer replayed as blocks (as fast as they can be consumed, or in real time)."""

    checks_zero_input = False

    def __init__(self, source: Path, realtime: bool = False) -> None:
        self.source = Path(source)
        self.realtime = realtime

    def _blocks(self, options: RecordOptions, stop: threading.Event):
        audio = load_answer_audio(self.source, max_s=options.max_s)
        n = int(options.block_s * SAMPLE_RATE)
        t0 = time.monotonic()
        for i in range(0, len(audio), n):
            if self.realtime:
                delay = t0 + i / SAMPLE_RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            yield audio[i : i + n]


def load_answer_audio(path: Path, max_s: float | None = None) -> np.ndarray:
    """Any audio file as 16 kHz mono float32, its first ``max_s`` seconds (AudioError naming the file)."""
    from .decode import load_audio

    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such answer file")
    return load_audio(path, max_s, truncate=max_s is not None)
