"""A labelled synthetic answer set for the scoring benchmark, generated at run time with espeak-ng.

Every clip mixes interview-style sentences (some using "like", "so", "you know" as real words),
discourse fillers used as fillers, held hesitations (um, uh, er, hmm) between and inside
sentences, and pauses, all at known times. Nothing is read from or written to the repository.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from speechgen import Clip, build, filler, pause, say

# Plain sentences; "like", "so", "you know" appear here as real words, never as fillers.
PLAIN = [
    "I like working with Python because the tooling is mature.",
    "The old dashboard looked like a maze to new users.",
    "We refactored the billing code so that every team could deploy on its own.",
    "The queue was so slow that customers started to complain.",
    "My manager asked whether I would like to lead the migration.",
    "Customers like a checkout page that loads quickly.",
    "I wrote a short design document and shared it with the team.",
    "We set up alerts for the error rate and the latency.",
    "The project finished two weeks early and under budget.",
    "I met with each engineer to understand their concerns.",
    "Our conversion rate went up by twelve percent.",
    "I learned to ask for feedback much earlier.",
    "The service handled three times the traffic after the change.",
    "She asked me if you know the owner of that service.",
    "We tested the rollback plan on a staging cluster first.",
    "I took ownership of the incident review.",
    "The data showed that most failures came from one region.",
    "I proposed a simpler schema and the team agreed.",
    "It felt like the right decision at the time.",
    "Do you know why the build failed last night?",
]
# Sentences with a discourse filler used as a filler: (text, filler as scored)
DISCOURSE = [
    ("It was, like, really hard to get everyone aligned.", "like"),
    ("You know, the deadline was only two weeks away.", "you know"),
    ("So I started by talking to each stakeholder.", "so"),
    ("I mean, nobody had owned that service for a year.", "i mean"),
    ("We basically rewrote the whole pipeline.", "basically"),
    ("Actually, the biggest risk was the data migration.", "actually"),
    ("The tests were kind of flaky at the time.", "kind of"),
    ("So we measured the latency every single day.", "so"),
]
HESITATIONS = ["um", "uh", "er", "hmm", "umm", "uhh"]
VOICES = ["en-us", "en-gb", "en+f3", "en-us+m3"]
RATES = [135, 160, 185]


@dataclass
class LabelledClip:
    clip: Clip
    voice: str
    rate: int
    discourse: list[tuple[str, float, float]] = field(default_factory=list)  # (filler, start, end)

    @property
    def hesitations(self) -> list[tuple[float, float]]:
        return [(x.start, x.end) for x in self.clip.fillers]


def make_clip(rng: random.Random, out: Path, voice: str, rate: int, n_pieces: int = 7) -> LabelledClip:
    parts = [pause(rng.uniform(0.4, 1.5))]
    discourse_idx: list[tuple[int, str]] = []
    for _ in range(n_pieces):
        if rng.random() < 0.3:
            text, f = rng.choice(DISCOURSE)
            discourse_idx.append((len(parts), f))
            parts.append(say(text))
        else:
            text = rng.choice(PLAIN)
            words = text.split()
            if rng.random() < 0.35 and len(words) > 5:  # a hesitation inside the sentence
                cut = rng.randint(2, len(words) - 2)
                parts.append(say(" ".join(words[:cut])))
                parts.append(filler(rng.choice(HESITATIONS), rate=rng.randint(55, 95)))
                parts.append(say(" ".join(words[cut:])))
            else:
                parts.append(say(text))
        r = rng.random()
        if r < 0.35:
            parts.append(filler(rng.choice(HESITATIONS), rate=rng.randint(55, 95)))
        elif r < 0.6:
            parts.append(pause(rng.choice([0.5, 1.2, 1.6, 2.2, 3.0])))
        elif r < 0.75:
            parts.append(pause(rng.uniform(1.0, 2.5)))
            parts.append(filler(rng.choice(HESITATIONS), rate=rng.randint(55, 95)))
    parts.append(pause(0.5))
    clip = build(parts, out, voice=voice, rate=rate, seed=rng.randint(0, 10**6))
    discourse = []
    for idx, f in discourse_idx:
        lab = clip.labels[idx]
        discourse.append((f, lab.start, lab.end))
    return LabelledClip(clip=clip, voice=voice, rate=rate, discourse=discourse)


def make_set(out_dir: Path, n: int = 24, seed: int = 7) -> list[LabelledClip]:
    rng = random.Random(seed)
    clips = []
    for i in range(n):
        voice = VOICES[i % len(VOICES)]
        rate = RATES[(i // len(VOICES)) % len(RATES)]
        clips.append(make_clip(rng, out_dir / f"synth{i:02d}.wav", voice, rate))
    return clips


def make_long_answer(out: Path, seconds: float = 120.0, seed: int = 3) -> Clip:
    """About ``seconds`` of answer-like speech with fillers and pauses (for speed/memory)."""
    rng = random.Random(seed)
    parts = [pause(1.0)]
    est = 1.0
    while est < seconds:
        text = rng.choice(PLAIN + [t for t, _ in DISCOURSE])
        parts.append(say(text))
        est += len(text.split()) / 195 * 60 + 0.1  # espeak at -s 160 speaks about 195 wpm
        if rng.random() < 0.3:
            parts.append(filler(rng.choice(HESITATIONS), rate=75))
            est += 0.5
        if rng.random() < 0.3:
            parts.append(pause(1.3))
            est += 1.3
    clip = build(parts, out, voice="en-us", rate=160)
    return clip


def wer(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(edit distance, reference length) at word level."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1], len(ref)
