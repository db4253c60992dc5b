"""Helpers of the scoring benchmark: a long answer-like clip (espeak-ng) for speed and memory, and WER.

The labelled filler clips are built by ``filler_corpus.py``. Nothing is written to the repository.
"""

from __future__ import annotations

import random
import sys
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
