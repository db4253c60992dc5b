"""The offline rubric: a deterministic score (no network, no model download).

The question's kind chooses the rubric (:mod:`.kinds`): STAR for behavioural questions, the
opening rubric or the coverage rubric otherwise (:mod:`.coverage`). The STAR formula (also in
``docs/rubric.md``) — each part scores 1 to 5 from the answer's judgements:

- situation: absent 1; present 3; +1 specific past story; +1 share <= 35%; -1 share > 50%.
- task: absent 1; present 4 (also when said indirectly); +1 share <= 25%.
- action: absent 1; present 2; +1 first-person ownership (I >= we, I > 0); +1 actions concrete;
  +1 actions concrete and at least 25% of the answer.
- result: absent 1; present 3; +1 measurable; +1 impact or lesson cue, or share >= 10%.

star overall = round(100 * (0.10 s + 0.15 t + 0.40 a + 0.35 r)) with each part mapped to
(score - 1) / 4, then: -20 not a specific story, -10 rambling or situation-heavy, -15 no personal
action, capped at 40 under 40 words. Every kind then: -10 shorter than the target length, -5
longer, -5 more than FILLERS_PER_MINUTE_POOR fillers a minute (when audio was scored), -15 with a
spoken run-on (RUN_ON_WORDS words or more that never end a sentence), and an
off-topic answer is capped at OFF_TOPIC_SCORE_CAP with the topic suggestion first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Delivery, Evidence, Rubric, StarScores, Structure
from ..scoring.star import clean
from ..scoring.star_feedback import Tip, candidates, nothing_to_judge, pick, run_on_tip, weakest_first
from ..targets import (
    ACTION_SHARE_MIN,
    FILLERS_PER_MINUTE_POOR,
    FILLERS_RATE_MIN_COUNT,
    OFF_TOPIC_SCORE_CAP,
    RESULT_SHARE_MIN,
    SITUATION_SHARE_GOOD,
    SITUATION_SHARE_HEAVY,
    TASK_SHARE_MAX,
    TOPIC_MIN_WORDS,
)
from .coverage import coverage_criteria, coverage_score, kind_tips, opening_criteria, opening_score
from .feedback import delivery_tip, length_tips
from .kinds import QuestionInfo, question_info
from .topic import check_topic
from .view import short_is_enough, view_rubric

if TYPE_CHECKING:  # pragma: no cover
    from ..banks import Question

PROMPT_VERSION = "offline-v3"  # v3: judgements, question kinds, topic check, delivery tip
#: Points a spoken run-on (RUN_ON_WORDS words or more without a sentence end) costs, for every kind.
RUN_ON_PENALTY = 15
WEIGHTS = {"situation": 0.10, "task": 0.15, "action": 0.40, "result": 0.35}
_LEARN = re.compile(r"\b(?:learn|learned|learnt|lesson|taught me|since then|now i|adopted|rolled out|"
                    r"promot|award|thank|review|impact|saved|reduced|increased|improved)\w*", re.I)


def _clamp(x: int) -> int:
    return max(1, min(5, x))


def _texts(st: Structure, label: str) -> list[str]:
    return [s.text for s in st.sentences if s.label == label]


def star_scores(st: Structure) -> StarScores:
    p = st.parts
    j = st.judgements
    concrete = j.actions_concrete.value if j is not None else len(_texts(st, "A")) >= 2 and st.specific_story
    measurable = j.result_measurable.value if j is not None else st.has_metric
    s = 1
    if p.situation.present:
        s = 3 + st.specific_story + (p.situation.share <= SITUATION_SHARE_GOOD) - (p.situation.share > SITUATION_SHARE_HEAVY)
    t = 1
    if (j.task_stated.value if j is not None else p.task.present):  # a task said indirectly counts too
        t = 4 + (p.task.share <= TASK_SHARE_MAX)
    a = 1
    if p.action.present:
        own = st.ownership
        a = 2 + (own.i >= own.we and own.i > 0) + concrete + (concrete and p.action.share >= ACTION_SHARE_MIN)
    r = 1
    if not st.missing_result:
        r = 3 + measurable + (any(_LEARN.search(x) for x in _texts(st, "R")) or p.result.share >= RESULT_SHARE_MIN)
    return StarScores(situation=_clamp(s), task=_clamp(t), action=_clamp(a), result=_clamp(r))


def overall_score(st: Structure, scores: StarScores) -> int:
    base = sum(WEIGHTS[k] * (getattr(scores, k) - 1) / 4 for k in WEIGHTS)
    total = round(100 * base)
    if not st.specific_story:
        total -= 20
    rambling = st.judgements is not None and st.judgements.rambling.value
    if st.balance == "situation_heavy" or rambling:
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


def delivery_adjustment(delivery: Delivery | None) -> int:
    """Points to subtract for the answer's length and filler rate."""
    penalty, _ = length_tips(delivery)
    fpm = delivery.fillers_per_minute if delivery is not None else None
    many = delivery is not None and delivery.filler_count >= FILLERS_RATE_MIN_COUNT
    if many and fpm is not None and fpm > FILLERS_PER_MINUTE_POOR:
        penalty += 5
    return penalty


def _kind_part(info: QuestionInfo, st: Structure) -> tuple[int | None, list, list[Tip]]:
    """(overall before adjustments or None for STAR, criteria, tips) of a non-STAR rubric."""
    if info.kind == "star":
        return None, [], []
    if info.kind == "view":
        score, criteria, found = view_rubric(info, st)
    else:
        criteria = opening_criteria(st) if info.kind == "opening" else coverage_criteria(info, st)
        score = opening_score(criteria) if info.kind == "opening" else coverage_score(criteria)
        found = kind_tips(info.kind, criteria)
    texts = [s.text for s in st.sentences]
    tips = [Tip(p, texts.index(q) if q in texts else None, m, topic="kind") for p, q, m in found]
    run_on = run_on_tip(st)
    if run_on is not None:
        tips.append(run_on)
    if st.balance in ("too_short", "empty") and not (info.kind == "view" and short_is_enough(info, criteria)):
        score = min(score, 40)
    return score, criteria, tips


def offline_rubric(structure: Structure, delivery: Delivery | None = None,
                   question: Question | str | QuestionInfo | None = None) -> Rubric:
    """The deterministic rubric of one answer; ``judge`` is "offline"."""
    info = question if isinstance(question, QuestionInfo) else question_info(question)
    scores = star_scores(structure)
    kind_score, criteria, tips = _kind_part(info, structure)
    total = overall_score(structure, scores) if kind_score is None else kind_score
    cleaned = [clean(s.text) for s in structure.sentences]
    if kind_score is None:
        tips = weakest_first(candidates(structure, cleaned), structure, scores.model_dump())
    nothing = nothing_to_judge(structure, cleaned)
    if nothing is not None:  # no answer to judge: one message, not the kind's or the topic check's tips
        tips = [nothing]
        if nothing.topic == "not_english":  # the English labeller's parts of it mean nothing
            scores = StarScores(situation=1, task=1, action=1, result=1)
            total = 0
    _, more = length_tips(delivery)
    tips += more
    dtip = delivery_tip(delivery, structure)
    if dtip is not None:
        tips.append(dtip)
    total -= delivery_adjustment(delivery)
    if structure.run_ons:  # the answer was not said in sentences: its parts run into each other
        total -= RUN_ON_PENALTY
    # an answer with nothing to judge is about nothing: no topic verdict on it
    text = " ".join(s.text for s in structure.sentences)
    # nor on one too short to tell what it answers (its score is capped at 40 anyway): a 12-word
    # on-topic answer was called off topic and never told it was far too short
    topic = None if nothing is not None or len(text.split()) < TOPIC_MIN_WORDS else check_topic(info, text, structure)
    chosen = pick(tips, reserve_delivery=dtip is not None)
    feedback = [t.message for t in chosen]
    if topic is not None and not topic.on_topic:
        total = min(total, OFF_TOPIC_SCORE_CAP)
        feedback = [f'This does not answer the question "{info.text}": {topic.why}. Answer what was asked '
                    "first, then use your story."] + feedback[:2]
    return Rubric(
        judge="offline", prompt_version=PROMPT_VERSION, overall=max(0, min(100, total)), star=scores,
        feedback=feedback, evidence=evidence(structure), kind=info.kind,
        criteria=criteria, topic=topic,
    )
