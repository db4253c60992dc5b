"""Widen one voice family into many: perturbed copies of a training clip with its hesitation times.

The hesitation probe learns from synthetic speech of one or two engines; a voice it never heard
differs in pitch, vocal-tract length, tempo, microphone and room. :func:`augment` draws a random
chain of such changes (seeded, so the same call gives the same audio) and moves the labelled
hesitation times with it:

- *hesitation length*: each hesitation is cut to a short "uh" (0.12-0.3 s, the middle of the
  sound, with 10 ms fades) or held longer (sox ``tempo``, up to twice as long);
- *tempo* (sox ``tempo``, 0.8-1.25, pitch kept): every time scales by 1/tempo;
- *pitch and vocal-tract length* (sox ``pitch``, -400..+400 cents, duration kept; it moves the
  formants with the pitch, like a shorter or longer vocal tract);
- *speed* (resampling, 0.9-1.1: pitch, formants and tempo together);
- *microphone*: a band limit (telephone 300-3400 Hz, laptop 150-6000 Hz, or a random high/low
  pass) and a level change;
- *room*: sox ``reverb`` (far field);
- *noise*: room noise (:func:`filler_corpus.add_noise`) at 5-30 dB SNR, or another training
  clip's speech underneath (its own hesitations silenced) at 6-20 dB, like a second talker.

Used by ``scripts/train_fillers.py`` only (never on test clips). sox is the only tool needed.
"""

from __future__ import annotations

import random
import subprocess

import numpy as np

from filler_corpus import SR, add_noise

Hes = list[tuple[float, float, str]]


def sox(audio: np.ndarray, effects: list[str]) -> np.ndarray:
    """``audio`` (16 kHz float32) through a sox effects chain."""
    if not effects:
        return audio
    out = subprocess.run(["sox", "-t", "f32", "-r", str(SR), "-c", "1", "-", "-t", "f32", "-r", str(SR), "-c", "1", "-",
                          *effects], input=np.asarray(audio, np.float32).tobytes(), capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype=np.float32).copy()


def _fade(x: np.ndarray, n: int = int(0.01 * SR)) -> np.ndarray:
    x = x.copy()
    n = min(n, len(x) // 2)
    if n:
        ramp = np.linspace(0, 1, n, dtype=np.float32)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def reshape_hesitations(audio: np.ndarray, hes: Hes, rng: random.Random, p: float = 0.5) -> tuple[np.ndarray, Hes]:
    """Each hesitation, with probability ``p``, cut short or held longer; later times shift."""
    pieces, out, pos, shift = [], [], 0, 0.0
    for a, b, where in sorted(hes):
        i0, i1 = int(a * SR), int(b * SR)
        seg = audio[i0:i1]
        if rng.random() < p and len(seg) > int(0.15 * SR):
            if rng.random() < 0.5:  # a short "uh": the middle of the sound
                keep = int(rng.uniform(0.12, min(0.3, len(seg) / SR)) * SR)
                mid = len(seg) // 2
                seg = _fade(seg[mid - keep // 2: mid - keep // 2 + keep])
            else:  # held longer
                seg = _fade(sox(seg, ["tempo", "-s", f"{rng.uniform(0.5, 0.85):.3f}"]))
        pieces += [audio[pos:i0], seg]
        start = a + shift
        shift += len(seg) / SR - (i1 - i0) / SR
        out.append((round(start, 3), round(start + len(seg) / SR, 3), where))
        pos = i1
    pieces.append(audio[pos:])
    return np.concatenate(pieces).astype(np.float32), out


def _scale(hes: Hes, k: float) -> Hes:
    return [(round(a * k, 3), round(b * k, 3), w) for a, b, w in hes]


def augment(audio: np.ndarray, hes: Hes, seed: int, others: list[tuple[np.ndarray, Hes]] | None = None
            ) -> tuple[np.ndarray, Hes]:
    """A perturbed copy of a clip and its moved hesitation times (see the module docstring)."""
    rng = random.Random(seed)
    audio, hes = reshape_hesitations(audio, hes, rng)
    effects: list[str] = []
    k = 1.0
    if rng.random() < 0.6:
        t = rng.uniform(0.8, 1.25)
        effects += ["tempo", "-s", f"{t:.3f}"]
        k /= t
    if rng.random() < 0.6:
        effects += ["pitch", str(rng.randint(-400, 400)), "rate", "-q", str(SR)]  # back to 16 kHz before any filter
    if rng.random() < 0.4:
        f = rng.uniform(0.9, 1.1)
        effects += ["speed", f"{f:.3f}", "rate", "-q", str(SR)]
        k /= f
    r = rng.random()
    if r < 0.2:
        effects += ["sinc", "300-3400"]
    elif r < 0.45:
        effects += ["sinc", "150-6000"]
    elif r < 0.65:
        effects += ["highpass", str(rng.randint(80, 400)), "lowpass", str(rng.randint(3000, 7500))]
    if rng.random() < 0.4:
        effects += ["reverb", str(rng.randint(20, 80)), "50", str(rng.randint(30, 100))]
    n = len(audio)
    audio = sox(audio, effects)
    if "reverb" in effects:  # the tail is cut: the clip keeps its time line
        audio = audio[: int(round(n * k))]
    hes = _scale(hes, k)
    peak = float(np.max(np.abs(audio))) or 1.0
    audio = audio / peak * rng.uniform(0.1, 0.9)
    r = rng.random()
    if r < 0.4:
        audio = add_noise(audio, seed=seed, snr_db=rng.uniform(5, 30))
    elif r < 0.6 and others:
        other, other_hes = others[rng.randrange(len(others))]
        other = other.copy()
        for a, b, _ in other_hes:  # the second talker's own hesitations would be unlabelled
            other[int(a * SR): int(b * SR)] = 0
        start = rng.randrange(max(1, len(other) - len(audio))) if len(other) > len(audio) else 0
        other = np.resize(other[start:], len(audio))
        loud = lambda x: float(np.mean(x[np.abs(x) > 0.02 * max(float(np.max(np.abs(x))), 1e-6)] ** 2))  # noqa: E731
        gain = np.sqrt(loud(audio) / max(loud(other), 1e-9) / 10 ** (rng.uniform(6, 20) / 10))
        audio = audio + gain * other
    peak = float(np.max(np.abs(audio)))
    if peak > 0.99:
        audio = audio * (0.95 / peak)
    return audio.astype(np.float32), hes
