"""Recording: the real microphone path (virtual PulseAudio mic), answer files, and device errors."""

from __future__ import annotations

import builtins
import errno
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from speechgen import build, pause, say
from voicemock.audio import recorder as audio
from voicemock.audio.recorder import FileRecorder, RecordOptions, SoundDeviceRecorder, level_of
from voicemock.errors import AudioError, DeviceError


def test_microphone_records_fed_speech_to_wav_and_callbacks(virtual_audio, tmp_path):
    clip = build([say("I measured the queue and I fixed the slow worker."), pause(0.3)], tmp_path / "a.wav")
    blocks, levels = [], []
    feeder = virtual_audio.feed_answers([clip.path], timeout=20)
    t0 = time.monotonic()
    rec = SoundDeviceRecorder().record(
        tmp_path / "q.wav", options=RecordOptions(max_s=30, end_on_silence_s=1.0),
        on_block=blocks.append, on_level=lambda lv, el: levels.append((lv, el)),
    )
    took = time.monotonic() - t0
    feeder.join(10)
    assert rec.ended_by == "silence" and rec.heard_speech
    data, sr = sf.read(str(rec.path), dtype="float32")
    assert sr == 16000 and data.ndim == 1
    assert len(data) == sum(len(b) for b in blocks)  # every block went to the file and the callback
    assert np.allclose(np.concatenate(blocks), data, atol=1 / 32768 + 1e-6)
    speech_end = max(lab.end for lab in clip.speech)  # the clip's own 0.3 s pause counts as silence too
    assert speech_end + 0.9 <= rec.duration_s <= clip.duration + 2.0
    assert took == pytest.approx(rec.duration_s, abs=0.8)  # real time: the mic is clocked
    assert max(lv for lv, _ in levels) > 0.5 and levels[-1][1] == pytest.approx(rec.duration_s, abs=0.11)


def test_enter_and_max_end_the_recording(virtual_audio, tmp_path):
    stop = threading.Event()
    threading.Timer(0.8, stop.set).start()
    rec = SoundDeviceRecorder().record(tmp_path / "a.wav", options=RecordOptions(max_s=10, zero_check_s=99), stop=stop)
    assert rec.ended_by == "stop" and 0.6 <= rec.duration_s <= 1.3
    rec = SoundDeviceRecorder().record(tmp_path / "b.wav", options=RecordOptions(max_s=1.0, zero_check_s=99))
    assert rec.ended_by == "max" and rec.duration_s == pytest.approx(1.0, abs=0.01)
    assert sf.info(str(tmp_path / "b.wav")).frames == 16000


def test_a_microphone_of_zeros_is_a_device_error(virtual_audio, tmp_path):
    # nothing fed: the virtual mic delivers exact zeros, like macOS without microphone permission
    with pytest.raises(DeviceError, match="Privacy & Security"):
        SoundDeviceRecorder().record(tmp_path / "z.wav", options=RecordOptions(max_s=10, zero_check_s=1.0))
    assert sf.info(str(tmp_path / "z.wav")).duration == pytest.approx(1.0, abs=0.15)  # closed properly


def test_portaudio_missing_is_a_device_error(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(DeviceError, match="apt install libportaudio2"):
        SoundDeviceRecorder().record(tmp_path / "x.wav")


def test_no_input_device_message(monkeypatch, tmp_path):
    sd = audio.import_sounddevice()

    class NoDevice:
        def __init__(self, *a, **k):
            raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "InputStream", NoDevice)
    with pytest.raises(DeviceError, match="no input device") as err:
        SoundDeviceRecorder().record(tmp_path / "x.wav")
    assert "--answer-file" in str(err.value)


def test_answer_file_goes_through_the_same_recorder(tmp_path):
    clip = build([pause(0.5), say("Hello there."), pause(0.5)], tmp_path / "a.wav")
    blocks = []
    rec = FileRecorder(clip.path).record(tmp_path / "q.wav", on_block=blocks.append)
    assert rec.ended_by == "end_of_file" and rec.duration_s == pytest.approx(clip.duration, abs=0.01)
    data, _ = sf.read(str(tmp_path / "q.wav"), dtype="float32")
    assert np.allclose(data, clip.audio, atol=2 / 32768)
    assert max(len(b) for b in blocks) == 1600
    with pytest.raises(AudioError, match="no such answer file"):
        FileRecorder(tmp_path / "missing.wav").record(tmp_path / "m.wav")


def test_disk_full_stops_and_keeps_what_was_written(monkeypatch, tmp_path):
    clip = build([say("I fixed the build and then I wrote the tests for it.")], tmp_path / "a.wav")
    real_write = audio._Writer.write

    def write(self, block):
        if self.frames >= 16000:  # the disk fills up after one second
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, block)

    monkeypatch.setattr(audio._Writer, "write", write)
    rec = FileRecorder(clip.path).record(tmp_path / "q.wav")
    assert rec.ended_by == "disk_full" and rec.duration_s == pytest.approx(1.0, abs=0.01)
    assert sf.info(str(tmp_path / "q.wav")).frames == 16000


def test_level_meter_values():
    assert level_of(np.zeros(1600, dtype=np.float32)) == 0.0
    assert level_of(np.full(1600, 1.0, dtype=np.float32)) == pytest.approx(1.0)
    assert level_of(np.full(1600, 0.01, dtype=np.float32)) == pytest.approx(1 / 3, abs=0.01)  # -40 dBFS


@pytest.mark.parametrize("quiet", [True, False])
def test_alsa_messages_are_hidden_unless_asked_for(quiet):
    import subprocess
    import sys

    code = (
        "import ctypes, ctypes.util\n"
        "from voicemock.audio.recorder import quiet_alsa\n"
        f"{'assert quiet_alsa()' if quiet else 'pass'}\n"
        "lib = ctypes.CDLL(ctypes.util.find_library('asound'))\n"
        "pcm = ctypes.c_void_p()\n"
        "assert lib.snd_pcm_open(ctypes.byref(pcm), b'no_such_device', 0, 0) < 0\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ("ALSA lib" in proc.stderr) is (not quiet)
