"""A virtual microphone and speaker for tests: a private PulseAudio daemon with null sinks.

Built from ``tests/audio/`` (start/stop/feed scripts and ``virtual-audio.pa``). One daemon per
test process, started on first use in a temporary ``VA_DIR`` and stopped at exit by its PID.
Processes that use audio need :attr:`VirtualAudio.env` (``XDG_RUNTIME_DIR``, ``PULSE_SERVER``).

    va = virtual_audio_or_skip()
    feeder = va.feed_answers([wav1, wav2])        # plays each WAV into the mic when a recording starts
    spk = va.record_speaker(tmp_path / "spk.wav") # what the app played
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent / "audio"
_INSTANCE: VirtualAudio | None = None
_FAILED: str | None = None


@dataclass
class VirtualAudio:
    dir: Path
    env: dict  # XDG_RUNTIME_DIR, PULSE_SERVER, VA_DIR

    def full_env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(self.env)
        env.update(extra)
        return env

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.full_env(), capture_output=True, text=True, timeout=10).stdout

    def mic_source_index(self) -> str:
        for line in self.pactl("list", "short", "sources").splitlines():
            cols = line.split("\t")
            if len(cols) > 1 and cols[1] == "virtual_mic":
                return cols[0]
        raise RuntimeError("virtual_mic not found")

    def recording_streams(self) -> int:
        """How many capture streams are open on the virtual microphone right now."""
        src = self.mic_source_index()
        return sum(1 for line in self.pactl("list", "short", "source-outputs").splitlines()
                   if line.split("\t")[1:2] == [src])

    def feed_answers(self, wavs: list[Path], timeout: float = 60.0) -> Feeder:
        """Play each WAV into the mic as soon as a recording starts (one WAV per recording)."""
        feeder = Feeder(self, [Path(w) for w in wavs], timeout)
        feeder.start()
        return feeder

    def record_speaker(self, path: Path) -> subprocess.Popen:
        """Start recording what is played on the virtual speaker (stop it with .terminate())."""
        return subprocess.Popen(
            ["parecord", "-d", "virtual_speaker.monitor", "--latency-msec=20", "--file-format=wav",
             "--rate=16000", "--channels=1", str(path)],
            env=self.full_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )


@dataclass
class Feeder:
    va: VirtualAudio
    wavs: list[Path]
    timeout: float
    started_at: list[float] = field(default_factory=list)  # monotonic time each feed began
    error: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _wait(self, want_open: bool, deadline: float) -> bool:
        while time.monotonic() < deadline:
            try:
                if (self.va.recording_streams() > 0) == want_open:
                    return True
            except (RuntimeError, OSError, subprocess.SubprocessError):  # the daemon went away
                return False
            time.sleep(0.03)
        return False

    def _run(self) -> None:
        for wav in self.wavs:
            deadline = time.monotonic() + self.timeout
            if not self._wait(True, deadline):
                self.error = f"nobody started recording for {wav.name} within {self.timeout:.0f} s"
                return
            self.started_at.append(time.monotonic())
            player = subprocess.Popen(["paplay", "-d", "mic_feed", str(wav)], env=self.va.full_env())
            try:
                while player.poll() is None:  # stop talking when the recording ends (Enter, Ctrl-C, kill)
                    try:
                        if self.va.recording_streams() == 0:
                            break
                    except (RuntimeError, OSError, subprocess.SubprocessError):
                        break
                    time.sleep(0.05)
            finally:
                if player.poll() is None:
                    player.terminate()
                player.wait(5)
            if not self._wait(False, time.monotonic() + self.timeout):
                self.error = "the recording did not stop after the answer"
                return


def _start() -> VirtualAudio:
    for tool in ("pulseaudio", "pactl", "paplay", "parecord"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (apt install pulseaudio pulseaudio-utils)")
    va_dir = Path(tempfile.mkdtemp(prefix="voicemock-va-"))
    env = dict(os.environ, VA_DIR=str(va_dir))
    proc = subprocess.run(["bash", str(SCRIPTS / "start-virtual-audio.sh"), "--print-env"], env=env,
                          capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise RuntimeError(f"virtual audio did not start: {proc.stderr.strip()}")
    xdg = va_dir / "xdg"
    va = VirtualAudio(va_dir, {"XDG_RUNTIME_DIR": str(xdg), "PULSE_SERVER": f"unix:{xdg}/pulse/native",
                               "VA_DIR": str(va_dir)})
    atexit.register(_stop, va)
    return va


def _stop(va: VirtualAudio) -> None:
    subprocess.run(["bash", str(SCRIPTS / "stop-virtual-audio.sh")], env=va.full_env(), timeout=30)
    shutil.rmtree(va.dir, ignore_errors=True)


def virtual_audio_or_skip() -> VirtualAudio:
    """The process's virtual audio daemon (started on first use); skip the test if impossible."""
    global _INSTANCE, _FAILED
    if _INSTANCE is None and _FAILED is None:
        try:
            _INSTANCE = _start()
        except Exception as exc:  # pragma: no cover - depends on the machine
            _FAILED = str(exc)
    if _INSTANCE is None:
        pytest.skip(f"no virtual audio: {_FAILED}")
    return _INSTANCE


@pytest.fixture(scope="session")
def virtual_audio() -> VirtualAudio:
    """Session-wide virtual mic/speaker; also exported to this process's environment."""
    va = virtual_audio_or_skip()
    os.environ.update(va.env)
    return va
