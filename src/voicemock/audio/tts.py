"""Speaking questions: a Speaker interface, pyttsx3 and silent implementations, synthesis to a file.

:class:`Pyttsx3Speaker` renders the text to a WAV with ``save_to_file`` in a *fresh* engine (an
engine that just spoke sometimes writes an empty file) and plays it with ``sounddevice.play`` +
``wait``, so :meth:`Speaker.say` returns exactly when the question has been spoken (pyttsx3's own
``runAndWait`` often returns before the speech plays). The microphone stays closed meanwhile.

:class:`SilentSpeaker` is used for ``--no-tts`` and when no TTS engine or output device works;
it prints nothing itself (the CLI shows the question text in any case).
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional, Protocol

from ..errors import DeviceError

log = logging.getLogger(__name__)

TTS_SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes


class Speaker(Protocol):
    """Speaks a question (blocking until it has been heard) and plays the recording cue."""

    name: str

    def say(self, text: str) -> None: ...

    def cue(self) -> None: ...


class SilentSpeaker:
    """Speaks nothing; for --no-tts, or when no TTS engine/output device is available."""

    name = "silent"

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def say(self, text: str) -> None:
        return None

    def cue(self) -> None:
        return None


def synthesize_to_file(text: str, path: Path, *, voice: Optional[str] = None, rate: Optional[int] = None) -> Path:
    """Render ``text`` to a WAV at ``path`` with pyttsx3 (fresh engine), else the espeak-ng command.

    Raises DeviceError when neither engine can produce audio.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    for _attempt in range(2):
        try:
            _pyttsx3_to_file(text, path, voice, rate)
            if _frames(path) > 0:
                return path
            errors.append("pyttsx3 wrote an empty WAV")
        except Exception as exc:  # ImportError, RuntimeError from a missing espeak library, ...
            errors.append(f"pyttsx3: {exc}")
            break
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak:
        cmd = [espeak, "-w", str(path)]
        if voice:
            cmd += ["-v", voice]
        if rate:
            cmd += ["-s", str(int(rate))]
        proc = subprocess.run(cmd + [text], capture_output=True, text=True)
        if proc.returncode == 0 and _frames(path) > 0:
            return path
        errors.append(f"{Path(espeak).name}: {proc.stderr.strip() or 'no audio'}")
    else:
        errors.append("espeak-ng not found")
    raise DeviceError(
        "no text-to-speech engine works (" + "; ".join(errors) + "). "
        "Install espeak-ng (apt install espeak-ng) or use --no-tts."
    )


def _frames(path: Path) -> int:
    import soundfile

    try:
        return soundfile.info(str(path)).frames
    except Exception:
        return 0


def _pyttsx3_to_file(text: str, path: Path, voice: Optional[str], rate: Optional[int]) -> None:
    import pyttsx3

    if path.exists():
        path.unlink()
    # pyttsx3.init() caches engines per driver; a fresh Engine avoids the empty-WAV problem.
    engine = pyttsx3.Engine()
    try:
        if voice:
            engine.setProperty("voice", _voice_id(engine, voice))
        if rate:
            engine.setProperty("rate", int(rate))
        with contextlib.redirect_stdout(io.StringIO()):  # the espeak driver prints "Audio saved to ..."
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            deadline = time.monotonic() + 10.0
            while _frames(path) == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        with contextlib.suppress(Exception):
            engine.stop()
        del engine


def _voice_id(engine, voice: str) -> str:
    """Accept a voice id, a voice name or a language like en-us / en-gb."""
    wanted = voice.lower()
    voices = engine.getProperty("voices") or []
    for v in voices:
        if wanted in (str(v.id).lower(), str(v.name).lower()):
            return v.id
    for v in voices:
        if str(v.id).lower().endswith("/" + wanted) or wanted in [str(x).lower() for x in (v.languages or [])]:
            return v.id
    return voice  # espeak accepts plain names such as "en+f3"


def play_file(path: Path, device=None) -> float:
    """Play a WAV through sounddevice and block for exactly its length. Returns the length in s."""
    import soundfile

    from .recorder import device_error, import_sounddevice

    sd = import_sounddevice()
    data, sr = soundfile.read(str(path), dtype="float32")
    try:
        log.info("playing %.2f s of audio", len(data) / sr)
        sd.play(data, sr, device=device)
        sd.wait()
    except sd.PortAudioError as exc:
        raise device_error(exc, "output") from None
    return len(data) / sr


def beep_samples(sr: int = TTS_SAMPLE_RATE, freq: float = 880.0, seconds: float = 0.15):
    import numpy as np

    t = np.arange(int(sr * seconds)) / sr
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)
    return (0.3 * np.sin(2 * np.pi * freq * t) * fade).astype(np.float32)


class Pyttsx3Speaker:
    """pyttsx3 rendering + sounddevice playback; blocks for exactly the spoken length."""

    name = "pyttsx3"

    def __init__(self, voice: Optional[str] = None, rate: Optional[int] = None, device=None) -> None:
        self.voice = voice
        self.rate = rate
        self.device = device

    def say(self, text: str) -> None:
        with tempfile.TemporaryDirectory(prefix="voicemock-tts-") as tmp:
            wav = synthesize_to_file(text, Path(tmp) / "question.wav", voice=self.voice, rate=self.rate)
            seconds = play_file(wav, self.device)
            log.debug("spoke %.2f s: %s", seconds, text)

    def cue(self) -> None:
        from .recorder import device_error, import_sounddevice

        sd = import_sounddevice()
        try:
            sd.play(beep_samples(), TTS_SAMPLE_RATE, device=self.device)
            sd.wait()
        except sd.PortAudioError as exc:
            raise device_error(exc, "output") from None


def make_speaker(no_tts: bool = False, voice: Optional[str] = None, rate: Optional[int] = None,
                 device: int | str | None = None) -> Speaker:
    """The speaker to use: silent for --no-tts or when no engine/output device is usable. An output
    ``device`` named by the user that does not exist is a DeviceError, not silence."""
    if no_tts:
        return SilentSpeaker("--no-tts")
    try:
        import pyttsx3  # noqa: F401
    except Exception as exc:
        if not (shutil.which("espeak-ng") or shutil.which("espeak")):
            return SilentSpeaker(f"no TTS engine ({exc}); install espeak-ng or pyttsx3")
    try:
        from .recorder import import_sounddevice

        sd = import_sounddevice()
        sd.query_devices(device, kind="output")
    except DeviceError as exc:
        return SilentSpeaker(str(exc))
    except ValueError as exc:  # a device the user named does not exist
        raise DeviceError(f"output device {device!r}: {exc}. See 'voicemock devices'.") from None
    except Exception as exc:  # PortAudioError: no output device
        if device is not None:
            raise DeviceError(f"output device {device!r} cannot be used ({exc}). See 'voicemock devices'.") from None
        return SilentSpeaker(f"no output device ({exc})")
    return Pyttsx3Speaker(voice, rate, device)
