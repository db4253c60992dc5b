"""Spoken-answer clips with fillers at known times, in voice families (espeak-ng, Piper; Flite for training).

Texts use one markup (the one of ``benchmarks/data/filler_scripts/``): ``{um}`` a hesitation
spoken as its own piece, ``[like]`` a discourse filler, ``<like>`` the same words used for their
meaning. Two sources:

- :func:`training_answers` generates answers from this file's own sentences and templates
  (the only text the detector is fitted and tuned on);
- :func:`test_answers` reads ``benchmarks/data/filler_scripts/scripts.jsonl`` (written by
  someone who never saw the detector; only ever used for testing).

:func:`make_clip` speaks an answer in a family's voice: each run of text and each hesitation is
synthesised on its own and joined, so every hesitation's time is exact; discourse fillers are
located later by aligning the transcript to the text (:func:`align`). Clips are cached as WAV +
JSON under ``~/.cache/voicemock-bench`` (nothing is written to the repository).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from speechgen import build, filler, pause, say  # noqa: E402

CACHE = Path.home() / ".cache" / "voicemock-bench"
TEST_SCRIPTS = HERE / "data" / "filler_scripts" / "scripts.jsonl"
SR = 16000

_TOKEN = re.compile(r"\{([^{}]*)\}|\[([^\[\]]*)\]|<([^<>]*)>")

# --- voices -----------------------------------------------------------------------------------

ESPEAK_VOICES = ["en-us", "en-gb", "en+f3", "en-us+m3", "en+f2", "en-gb-scotland", "en-us+m1", "en+m4",
                 "en-gb-x-rp", "en+f4", "en-us+m7", "en-029"]
FLITE_VOICES = ["kal16", "awb", "rms", "slt"]
#: The families the detector is tested on (each held out in turn).
FAMILIES = ("espeak", "piper")
#: A third family, only ever used as extra training data (``train_fillers.py --extra-families flite``).
EXTRA_FAMILIES = ("flite",)


def voice_for(family: str, rng: random.Random) -> tuple[str, int]:
    """A voice and speaking rate (words per minute) of a family, drawn by ``rng``."""
    if family == "espeak":
        return rng.choice(ESPEAK_VOICES), rng.randint(135, 185)
    if family == "flite":
        return f"flite:{rng.choice(FLITE_VOICES)}", rng.randint(135, 185)
    return f"piper:{rng.choice([0.45, 0.55, 0.667, 0.75, 0.85])}", rng.randint(140, 190)


# --- parsing the markup -----------------------------------------------------------------------


@dataclass
class Token:
    text: str  # a plain word (punctuation attached) as spoken
    kind: str = "word"  # word | filler | real
    phrase: str = ""  # for filler/real: the marked phrase, lower case
    first: bool = False  # first word of a marked phrase


@dataclass
class Answer:
    id: str
    text: str  # the markup
    pieces: list[tuple[str, str]] = field(default_factory=list)  # ("text", words) | ("hes", "um")
    hes_pos: list[str] = field(default_factory=list)  # "start" | "mid", one per hesitation piece
    tokens: list[Token] = field(default_factory=list)  # the spoken words, fillers marked


def parse(answer_id: str, markup: str) -> Answer:
    """Pieces to synthesise, each hesitation's position, and the spoken words with their marks."""
    ans = Answer(answer_id, markup)
    buf: list[str] = []
    pos = 0
    for m in list(_TOKEN.finditer(markup)) + [None]:
        plain = markup[pos: m.start() if m else len(markup)]
        words = plain.split()
        buf += words
        ans.tokens += [Token(w) for w in words]
        if m is None:
            break
        pos = m.end()
        hes, fill, real = m.groups()
        if hes is not None:
            spoken = " ".join(buf).strip()
            if spoken:
                ans.pieces.append(("text", spoken))
            buf = []
            ans.pieces.append(("hes", hes))
            ans.hes_pos.append(_position(markup[: m.start()]))
            continue
        phrase = fill if fill is not None else real
        # punctuation right after the markup belongs to its last word ("[so],")
        tail = re.match(r"[,.;:!?]*", markup[pos:])
        punct = tail.group() if tail else ""
        pos += len(punct)
        words = phrase.split()
        words[-1] += punct
        buf += words
        for k, w in enumerate(words):
            ans.tokens.append(Token(w, "filler" if fill is not None else "real", phrase.lower(), k == 0))
    spoken = " ".join(buf).strip()
    if spoken:
        ans.pieces.append(("text", spoken))
    return ans


def _position(before: str) -> str:
    """"start" when a hesitation opens a sentence (other fillers before it ignored), else "mid"."""
    b = re.sub(r"(\s*(\[[^\]]*\]|\{[^}]*\}),?)+\s*$", "", before).rstrip()
    return "start" if not b or b[-1] in ".!?" else "mid"


def test_answers() -> list[Answer]:
    out = []
    for line in TEST_SCRIPTS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        out.append(parse(rec["id"], rec["script"]))
    return out


# --- building and caching clips ---------------------------------------------------------------


@dataclass
class Clip:
    answer: Answer
    family: str
    voice: str
    rate: int
    audio: np.ndarray
    hesitations: list[tuple[float, float, str]]  # (start, end, position)
    path: Path

    @property
    def duration(self) -> float:
        return len(self.audio) / SR


def make_clip(ans: Answer, family: str, seed: int, tag: str) -> Clip:
    """Speak ``ans`` in a voice of ``family`` (cached under CACHE/tag)."""
    rng = random.Random(f"{tag}:{ans.id}:{family}:{seed}")
    voice, rate = voice_for(family, rng)
    key = hashlib.sha256(json.dumps([ans.text, family, voice, rate, seed, 2]).encode()).hexdigest()[:16]
    folder = CACHE / tag / family
    wav, meta = folder / f"{ans.id}-{key}.wav", folder / f"{ans.id}-{key}.json"
    if wav.exists() and meta.exists():
        audio, _ = sf.read(str(wav), dtype="float32")
        m = json.loads(meta.read_text())
        return Clip(ans, family, voice, rate, audio, [tuple(h) for h in m["hesitations"]], wav)
    folder.mkdir(parents=True, exist_ok=True)
    parts = [pause(rng.uniform(0.3, 1.0))]
    for kind, text in ans.pieces:
        if kind == "hes":
            parts.append(filler(text, rate=rng.randint(55, 95)))
        else:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if not any(c.isalnum() for c in sentence):
                    continue
                parts.append(say(sentence))
                if sentence[-1:] in ".!?" and rng.random() < 0.3:
                    parts.append(pause(rng.choice([0.3, 0.5, 0.8, 1.2])))
    parts.append(pause(rng.uniform(0.4, 1.0)))
    built = build(parts, wav, voice=voice, rate=rate, seed=seed)
    hes_labels = [lab for lab in built.labels if lab.kind == "filler"]
    hes = [(round(lab.start, 3), round(lab.end, 3), p) for lab, p in zip(hes_labels, ans.hes_pos)]
    meta.write_text(json.dumps({"voice": voice, "rate": rate, "hesitations": hes}))
    audio, _ = sf.read(str(wav), dtype="float32")  # as stored (16-bit): the same audio a cached run reads
    return Clip(ans, family, voice, rate, audio, hes, wav)


def add_noise(audio: np.ndarray, seed: int, snr_db: float = 20.0) -> np.ndarray:
    """Room-like noise: white hiss plus a low hum and rumble, ``snr_db`` below the speech."""
    rng = np.random.default_rng(seed)
    n = len(audio)
    t = np.arange(n) / SR
    white = rng.standard_normal(n)
    rumble = np.convolve(rng.standard_normal(n), np.ones(40) / 40, mode="same") * 4
    hum = 0.5 * np.sin(2 * np.pi * rng.choice([50.0, 60.0]) * t)
    noise = white + rumble + hum
    loud = audio[np.abs(audio) > 0.02]
    p_speech = float(np.mean(loud ** 2)) if loud.size else 1e-4
    noise *= np.sqrt(p_speech / 10 ** (snr_db / 10) / float(np.mean(noise ** 2)))
    return np.clip(audio + noise, -1, 1).astype(np.float32)


# --- aligning a transcript to the text --------------------------------------------------------


def norm_word(w: str) -> str:
    return re.sub(r"[^a-z0-9']", "", w.lower().replace("’", "'"))


def align(ref: list[str], hyp: list[str]) -> dict[int, int]:
    """Word alignment (Levenshtein, backtrace): hyp index -> ref index for equal words."""
    n, m = len(ref), len(hyp)
    d = np.zeros((n + 1, m + 1), dtype=np.int32)
    d[:, 0] = np.arange(n + 1)
    d[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]))
    out: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        if d[i, j] == d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] == hyp[j - 1]:
                out[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif d[i, j] == d[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return out
