"""What a good spoken answer aims for: every threshold and band in one place.

The rubric, the feedback, the practice plan, ``progress``, ``--retry`` comparisons and the
question choice all read these, so a number shown in one command is the number used by every
other. Each band has a "good" edge (inside it, nothing to say) and a "poor" edge (beyond it, the
area is at its weakest); :func:`severity` maps a value onto 0 (fine) .. 1 (weakest) between them.
Formulas and reasons: ``docs/rubric.md`` and ``docs/scoring.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- delivery ----------------------------------------------------------------------------------

#: Words per minute that sound neither rushed nor slow (conversational interview pace).
PACE_RANGE = (120.0, 160.0)
#: Beyond the range by this many words per minute: the pace is at its weakest.
PACE_POOR_OFFSET = 40.0
#: Filler words per minute: up to GOOD is normal speech; from POOR on it costs points.
FILLERS_PER_MINUTE_GOOD = 2.0
FILLERS_PER_MINUTE_POOR = 6.0
#: Fewer fillers than this are no rate at all: one "honestly" in a 9 s answer is 6.9 a minute, and
#: neither the filler tip nor the filler penalty should follow from it.
FILLERS_RATE_MIN_COUNT = 3
#: A filler is counted (filler_count, rates, the rubric, history) when the detector's confidence in it
#: is at least this; less sure ones are listed and shown as uncertain in the review.
FILLER_CONFIDENCE_MIN = 0.5
#: A silence of this many seconds or more is a long pause.
LONG_PAUSE_S = 1.0
#: Long pauses per answer at which the area is at its weakest.
LONG_PAUSES_POOR = 4.0
#: Target answer length (seconds) by question category.
DURATION_TARGETS: dict[str, tuple[float, float]] = {
    "behavioral": (60.0, 180.0),
    "behavioural": (60.0, 180.0),
    "situational": (60.0, 180.0),
    "leadership": (60.0, 180.0),
    "process": (45.0, 180.0),
    "technical": (45.0, 240.0),
    "general": (30.0, 120.0),
    "opening": (45.0, 150.0),
    "view": (30.0, 120.0),  # a view, a weakness, a motivation, a plan (rubric/view.py)
}

#: A typed answer (no timings) is measured against DURATION_TARGETS as if said at this pace
#: (the middle of PACE_RANGE).
TYPED_WORDS_PER_MINUTE = 140.0
#: Points an answer longer than its target loses, by how many times the target's upper end it
#: takes (first match): an answer that goes on 3x longer than it should is not a 95 (a story said
#: ten times over, 7.5 min, scored 85; pasted 60 times, 95).
LONG_PENALTIES: tuple[tuple[float, int], ...] = ((3.0, 30), (2.0, 15), (1.0, 5))

# --- structure (shares of the answer's words) --------------------------------------------------

#: The situation should be brief: up to GOOD is fine, above HEAVY the answer is mostly background.
SITUATION_SHARE_GOOD = 0.35
SITUATION_SHARE_HEAVY = 0.50
#: A task that takes more than this share is more than a statement of the goal.
TASK_SHARE_MAX = 0.25
#: The actions should carry the answer: at least this share.
ACTION_SHARE_MIN = 0.25
#: A result worth the name takes at least this share (or names an impact or lesson).
RESULT_SHARE_MIN = 0.10
#: 'we' among I/we in the action sentences: up to GOOD is fine, from POOR on the candidate's own part is hidden.
WE_SHARE_GOOD = 0.20
WE_SHARE_POOR = 0.80

#: Under this many words an answer is too short to tell a story (its score is capped).
SHORT_ANSWER_WORDS = 40
#: Under this many words once fillers are removed there is no answer to judge: one message says so,
#: and no STAR, topic or delivery tips are given.
JUDGE_MIN_WORDS = 5
#: A STAR part of the offline rubric scoring this (of 5) or less is weak: it always gets a tip, ranked at
#: least WEAK_PART_TIP_PRIORITY (tips rank 3 'no context' .. 10 'not a specific story').
WEAK_PART_SCORE = 3
WEAK_PART_TIP_PRIORITY = 8
#: Actions under this share while situation and task take over 40%: the answer is action-light.
ACTION_SHARE_LIGHT = 0.20

# --- sentence splitting (scoring/star.py) ------------------------------------------------------

#: A silence this long between two timed words ends a sentence.
SENTENCE_PAUSE_S = 1.2
#: Without any punctuation in the transcript, a discourse marker splits after this many words.
MIN_WORDS_BEFORE_MARKER = 4
#: With punctuation, a discourse marker splits only a run this long with no punctuation in it.
MARKER_SPLIT_MIN_WORDS = 40
#: A stretch of this many words with no sentence end (punctuation or a long pause) is a run-on: it is
#: cut at its discourse markers for labelling, costs points and gets a tip to say it in sentences.
RUN_ON_WORDS = 60

# --- answer-level judgements (scoring/judgements.py) ---------------------------------------------

#: "Actions concrete" needs at least this many action sentences with a verb, an object and a detail.
CONCRETE_ACTIONS_MIN = 2
#: An action sentence needs this many content words (besides the verb's subject) to be concrete.
ACTION_DETAIL_MIN_WORDS = 4
#: A specific story has at least this many past-tense verbs outside general statements ...
SPECIFIC_PAST_MIN = 3
#: ... and at most this share of sentences that say what one would do or usually does.
SPECIFIC_GENERAL_SHARE_MAX = 0.34
#: Rambling: at least this share of the words in sentences that move no part forward (O) ...
RAMBLING_OTHER_SHARE = 0.30
#: ... or at least this share of the words spent on background.
RAMBLING_SITUATION_SHARE = 0.60

# --- follow-ups (rubric/followup.py) ---------------------------------------------------------

#: Label score added to the part a probe asks for in the follow-up's sentences (the probe is context).
FOLLOWUP_PROBE_BIAS = 2.0

# --- on topic (rubric/topic.py) ------------------------------------------------------------------

#: An answer whose topic probability is below this does not address its question, unless the model file
#: carries its own cut (``topic_min``, fitted by cross-validation in scripts/star_topic_fit.py).
TOPIC_MIN = 0.4
#: An answer of fewer words is too short to tell what it answers: no topic verdict (its score is
#: capped at 40 as too short anyway, and its first tip says so).
TOPIC_MIN_WORDS = 20
#: TF-IDF cosine between answer and question material that counts as full word overlap.
TOPIC_COSINE_FULL = 0.25
#: The highest overall score an off-topic answer can get.
OFF_TOPIC_SCORE_CAP = 35

# --- non-behavioural rubrics (rubric/coverage.py) ----------------------------------------------

#: A guidance point is covered when the answer shares this share of its content-word stems.
COVERAGE_POINT_MIN_SHARE = 0.2
#: Covering this share of a question's guidance points counts as full coverage.
COVERAGE_FULL_SHARE = 0.6
#: A common mistake is made when the answer shares this share of the stems that set it apart.
MISTAKE_MIN_SHARE = 0.5

# --- delivery feedback (rubric/feedback.py) ----------------------------------------------------

#: Hedges ("I think", "maybe", "kind of") per answer from which the answer sounds unsure.
HEDGES_GOOD = 2.0
HEDGES_POOR = 6.0
#: A delivery area at or beyond this severity (0..1 between its good and poor edges) takes one of
#: the three suggestions.
DELIVERY_TIP_SEVERITY = 0.5

# --- practice ----------------------------------------------------------------------------------

#: Rubric overall at or above which the next question gets harder.
STRONG_ANSWER = 75


def severity(value: float, good: float, poor: float) -> float:
    """0 at or inside ``good``, 1 at or beyond ``poor``, linear between (either direction)."""
    if poor == good:
        return 0.0 if value <= good else 1.0
    return max(0.0, min(1.0, (value - good) / (poor - good)))


def pace_severity(wpm: float) -> float:
    off = max(PACE_RANGE[0] - wpm, wpm - PACE_RANGE[1], 0.0)
    return severity(off, 0.0, PACE_POOR_OFFSET)


def pace_verdict(wpm: float) -> str:
    """"slow", "ok" or "fast" against :data:`PACE_RANGE`."""
    lo, hi = PACE_RANGE
    return "slow" if wpm < lo else "fast" if wpm > hi else "ok"


def closer_to_target(before: float, after: float) -> bool:
    """Pace: is ``after`` better than ``before``? Inside the range is best; outside, nearer the range
    is better (both inside: equally good, so not better)."""
    return pace_severity(after) < pace_severity(before)


#: The smallest change of a metric that progress and retry call better or worse; less is the same
#: (a situation share of 21% then 22% is not "worse"). Metrics not named: any change counts.
TREND_STEP: dict[str, float] = {
    "overall": 3.0, "fillers_per_minute": 0.5, "long_pauses_per_answer": 0.25, "star_result": 0.25,
    "star_action": 0.25, "star_situation": 0.25, "star_task": 0.25, "situation_share": 0.03, "i_share": 0.05,
}


def is_better(direction: str, before: float | None, after: float | None, step: float = 0.0) -> bool | None:
    """Did a metric improve from ``before`` to ``after``? ``direction`` is "higher", "lower" or
    "range" (pace: see :func:`closer_to_target`). None when either is unknown or it changed by
    less than ``step`` (:data:`TREND_STEP`)."""
    if before is None or after is None or before == after or abs(after - before) < step:
        return None
    if direction == "range":
        if pace_severity(after) == pace_severity(before):
            return None
        return closer_to_target(before, after)
    return (after > before) == (direction == "higher")


# --- practice areas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A weakness the plan and the question choice train, and the words that find questions for it."""

    key: str
    title: str
    advice: str
    keywords: tuple[str, ...]  # matched against a question's tags, category, text and guidance
    difficulty: tuple[str, ...] = ("medium", "hard", "easy")  # preferred order


AREAS: dict[str, Area] = {a.key: a for a in (
    Area("result", "Results", "End every story with the outcome, and put a number on it.",
         ("deliver results", "result", "outcome", "impact", "measur", "metric", "customer obsession")),
    Area("action", "Actions", "Spend most of the answer on the steps you took.",
         ("bias for action", "action", "decision", "steps", "invent", "technical")),
    Area("ownership", "Ownership", "Say 'I' for what you did; keep 'we' for the team's part.",
         ("ownership", "personally", "took on", "backbone", "leadership", "earn trust", "conflict")),
    Area("task", "Task", "Say in one sentence what you had to achieve and why it was yours.",
         ("goal", "responsib", "deadline", "task", "asked")),
    Area("situation", "Situation", "Open with one or two sentences of context: where, when, what was at stake.",
         ("describe", "time you", "walk me through", "example")),
    Area("situation_too_long", "Situation too long", "Set the scene in two sentences, then move to what you did.",
         ("dive deep", "are right a lot", "frugality", "simplify", "prioriti")),
    Area("fillers", "Fillers", "Pause silently instead of saying um/uh; slow down a little.",
         ("earn trust", "general", "introduction", "resume", "tell me about"), ("easy", "medium", "hard")),
    Area("pace", "Pace", f"Aim for {PACE_RANGE[0]:.0f}-{PACE_RANGE[1]:.0f} words per minute.",
         ("general", "introduction", "resume", "customer"), ("easy", "medium", "hard")),
    Area("pauses", "Long pauses", "Outline the story (S-T-A-R) in your head before you start.",
         ("behavioral", "dive deep", "conflict"), ("easy", "medium", "hard")),
)}


def area_fit(area_key: str | None, *texts: str) -> int:
    """How many of an area's keywords occur in the given texts (a question's tags, text, guidance)."""
    if area_key is None or area_key not in AREAS:
        return 0
    hay = " ".join(texts).lower()
    return sum(k in hay for k in AREAS[area_key].keywords)
