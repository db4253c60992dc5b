"""The offline rubric: a deterministic score from the STAR analysis (no network, no model).

The formula (also in ``docs/rubric.md``) — each part scores 1 to 5:

- situation: absent 1; present 3; +1 specific past story; +1 share <= 35%; -1 share > 50%.
- task: absent 1; present 3; +1 stated in the first person ("my goal", "I needed to");
  +1 share <= 25%.
- action: absent 1; present 2; +1 first-person ownership (I >= we in action sentences);
  +1 share >= 25%; +1 at least two action sentences in a specific story.
- result: absent 1; present 3; +1 has a metric; +1 impact or lesson cue, or share >= 10%.

overall = round(100 * (0.15 s + 0.15 t + 0.40 a + 0.30 r)) with each part mapped to
(score - 1) / 4, then penalties: -20 a hypothetical answer (not a specific story), -10
situation-heavy balance, -15 no personal action, capped at 40 under 40 words; floor 0.
When the delivery is known (audio was scored): -10 an answer shorter than its target length,
-5 one longer than it, -5 more than 6 fillers per minute; each adds a feedback line.
"""

from __future__ import annotations

import re

from ..models import Delivery, Evidence, Rubric, StarScores, Structure
from ..targets import (
    ACTION_SHARE_MIN,
    FILLERS_PER_MINUTE_POOR,
    RESULT_SHARE_MIN,
    SITUATION_SHARE_GOOD,
    SITUATION_SHARE_HEAVY,
    TASK_SHARE_MAX,
)

PROMPT_VERSION = "offline-v2"  # v2: delivery adjustments (length against target, filler rate)
WEIGHTS = {"situation": 0.15, "task": 0.15, "action": 0.40, "result": 0.30}
_LEARN = re.compile(r"\b(?:learn|learned|learnt|lesson|taught me|since then|now i|adopted|rolled out|"
                    r"promot|award|thank|review|impact|saved|reduced|increased|improved)\w*", re.I)
_FIRST_PERSON_TASK = re.compile(r"\b(?:my|i|me)\b", re.I)


def _clamp(x: int) -> int:
    return max(1, min(5, x))


def _texts(st: Structure, label: str) -> list[str]:
    return [s.text for s in st.sentences if s.label == label]


def star_scores(st: Structure) -> StarScores:
    p = st.parts
    s = 1
    if p.situation.present:
        s = 3 + st.specific_story + (p.situation.share <= SITUATION_SHARE_GOOD) - (p.situation.share > SITUATION_SHARE_HEAVY)
    t = 1
    if p.task.present:
        t = 3 + any(_FIRST_PERSON_TASK.search(x) for x in _texts(st, "T")) + (p.task.share <= TASK_SHARE_MAX)
    a = 1
    if p.action.present:
        own = st.ownership
        a = 2 + (own.i >= own.we and own.i > 0) + (p.action.share >= ACTION_SHARE_MIN)
        a += len(_texts(st, "A")) >= 2 and st.specific_story
    r = 1
    if p.result.present:
        r = 3 + st.has_metric + (any(_LEARN.search(x) for x in _texts(st, "R")) or p.result.share >= RESULT_SHARE_MIN)
    return StarScores(situation=_clamp(s), task=_clamp(t), action=_clamp(a), result=_clamp(r))


def overall_score(st: Structure, scores: StarScores) -> int:
    base = sum(WEIGHTS[k] * (getattr(scores, k) - 1) / 4 for k in WEIGHTS)
    total = round(100 * base)
    if not st.specific_story:
        total -= 20
    if st.balance == "situation_heavy":
        total -= 10
    if st.missing_personal_action:
        total -= 15
    if st.balance in ("too_short", "empty"):
        total = min(total, 40)
    return max(0, min(100, total))


def evidence(st: Structure) -> list[Evidence]:
    """One quote per present part: its longest sentence."""
    out = []
    for code, name in (("S", "situation"), ("T", "task"), ("A", "action"), ("R", "result")):
        texts = _texts(st, code)
        if texts:
            out.append(Evidence(part=name, quote=max(texts, key=len)))
    return out


def delivery_adjustment(delivery: Delivery | None) -> tuple[int, list[str]]:
    """Points to subtract for length and filler rate, and the feedback that explains them."""
    if delivery is None:
        return 0, []
    penalty, notes = 0, []
    target = delivery.duration_target_s
    length = delivery.answer_duration_s
    if delivery.duration_verdict == "short" and target and length is not None:
        penalty += 10
        notes.append(f"At {length:.0f} s the answer is short for this kind of question (aim for "
                     f"{target[0]:.0f}-{target[1]:.0f} s): add the detail of what you did and what changed.")
    elif delivery.duration_verdict == "long" and target and length is not None:
        penalty += 5
        notes.append(f"At {length:.0f} s the answer runs long (aim for {target[0]:.0f}-{target[1]:.0f} s): "
                     f"cut the background and get to your actions sooner.")
    fpm = delivery.fillers_per_minute
    if fpm is not None and fpm > FILLERS_PER_MINUTE_POOR:
        penalty += 5
        notes.append(f"{fpm:.1f} fillers a minute: pause silently instead of saying um or uh.")
    return penalty, notes


def offline_rubric(structure: Structure, delivery: Delivery | None = None) -> Rubric:
    """The deterministic rubric; ``judge`` is "offline"."""
    scores = star_scores(structure)
    penalty, notes = delivery_adjustment(delivery)
    feedback = (list(structure.feedback) + notes)[:3]  # STAR first, then delivery
    return Rubric(
        judge="offline",
        prompt_version=PROMPT_VERSION,
        overall=max(0, overall_score(structure, scores) - penalty),
        star=scores,
        feedback=feedback,
        evidence=evidence(structure),
    )
