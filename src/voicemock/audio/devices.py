"""The sound devices: which exist, whether a microphone works, and a level check."""

from __future__ import annotations

from pathlib import Path

from ..errors import DeviceError
from .recorder import LevelCallback, RecordOptions, SoundDeviceRecorder, device_error, import_sounddevice


def parse_device(text: str | int | None) -> int | str | None:
    """A device as the user gives it: its number in 'voicemock devices', or part of its name."""
    if text is None or isinstance(text, int):
        return text
    text = text.strip()
    return int(text) if text.isdigit() else (text or None)


def check_input_device(device=None) -> None:
    """DeviceError (saying what to do) unless an input device can be used."""
    sd = import_sounddevice()
    try:
        sd.query_devices(device, kind="input")
    except sd.PortAudioError as exc:
        raise device_error(exc, "input") from None
    except ValueError as exc:  # unknown device name/index
        raise DeviceError(f"input device {device!r}: {exc}. See 'voicemock devices'.") from None


def list_devices() -> list[dict]:
    """Input and output devices as plain dicts (name, index, channels, default flags)."""
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise device_error(exc, "input") from None
    out = []
    for d in devices:
        out.append({
            "index": d["index"], "name": d["name"], "hostapi": sd.query_hostapis(d["hostapi"])["name"],
            "inputs": d["max_input_channels"], "outputs": d["max_output_channels"],
            "default_samplerate": d["default_samplerate"],
            "default_input": d["index"] == default_in, "default_output": d["index"] == default_out,
        })
    return out


def level_check(seconds: float = 5.0, device=None, on_level: LevelCallback | None = None) -> dict:
    """Record ``seconds`` from the microphone (nothing kept) and report peak/mean levels."""
    import tempfile

    levels: list[float] = []

    def track(level: float, elapsed: float) -> None:
        levels.append(level)
        if on_level is not None:
            on_level(level, elapsed)

    with tempfile.TemporaryDirectory(prefix="voicemock-level-") as tmp:
        rec = SoundDeviceRecorder(device).record(
            Path(tmp) / "check.wav", options=RecordOptions(max_s=seconds, zero_check_s=seconds + 1), on_level=track,
        )
    peak = max(levels, default=0.0)
    return {
        "seconds": rec.duration_s,
        "peak_level": peak,
        "mean_level": sum(levels) / len(levels) if levels else 0.0,
        "all_zero": peak == 0.0,
    }
