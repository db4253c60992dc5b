"""Which question comes next, and which follow-up probe to ask.

The next main question keeps to the target difficulty (one step harder after a strong answer,
:data:`~voicemock.targets.STRONG_ANSWER`) and, among those, trains the weakest area of the answers
so far (:data:`~voicemock.targets.AREAS` keywords in the question's tags, text and guidance).
The probe is aimed at the gap of the answer just given (no measurable result, mostly "we"), else
one of the bank's follow-ups.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Optional

from ..banks import DIFFICULTIES, Bank, Question
from ..errors import BankError
from ..models import AnswerResult
from ..targets import FILLERS_PER_MINUTE_GOOD, FILLERS_PER_MINUTE_POOR, STRONG_ANSWER, area_fit, severity

if TYPE_CHECKING:  # pragma: no cover
    from .loop import PracticeOptions

PROBE_OUTCOME = "What was the measurable outcome?"
PROBE_PERSONAL = "What did you personally do?"
PROBE_GENERIC = "What would you do differently if you faced that situation again?"
PROBE_SPECIFIC = "Can you tell me about one specific time that happened: where were you, and what did you do?"
PROBE_STEPS = "What exactly did you do yourself, step by step?"
#: Probes for the part an opening answer ("Tell me about yourself") left out (rubric/coverage.py).
PROBE_OPENING = {"present": "What do you do now, in your current role?",
                 "past": "How did you get to where you are now?",
                 "future": "What do you want to do next in your career?",
                 "why_role": "And why this role in particular?"}
#: Probes for the part a view answer (a weakness, a motivation, a plan: rubric/view.py) left out.
PROBE_VIEW = {"answer": "So, in one sentence, what is your answer?",
              "reason": "Why is that?",
              "example": "Can you give me a concrete example of that from your own work?",
              "close": "And what does that mean for you now, or for this role?",
              "steps": "What exactly would you do first, and what next?",
              "check": "How would you know it had worked?"}
#: The probe of a process, knowledge or view question whose bank gives no follow-ups.
PROBE_MORE = "Is there anything you would add to that?"



def candidates(bank: Bank, options: PracticeOptions) -> list[Question]:
    """The bank's questions matching --difficulty/--category/--tag (behavioural ones by default)."""
    qs = list(bank.questions)
    if options.category:
        qs = [q for q in qs if q.category.lower() == options.category.lower()]
    elif any(q.category == "behavioral" for q in qs) and not options.tag:
        qs = [q for q in qs if q.category == "behavioral"]
    if options.tag:
        qs = [q for q in qs if any(options.tag.lower() == t.lower() for t in q.tags)]
    if options.difficulty:
        qs = [q for q in qs if q.difficulty == options.difficulty]
    if not qs:
        raise BankError(
            f"bank {bank.name!r} has no question with difficulty={options.difficulty}, "
            f"category={options.category}, tag={options.tag}; see 'voicemock banks show {bank.name}'"
        )
    return qs


def weakest_area(results: list[AnswerResult]) -> Optional[str]:
    """The weakest of situation/task/action/result/ownership/fillers over the answers so far."""
    scores: dict[str, list[float]] = {}
    for r in results:
        if r.rubric is not None:
            for part in ("situation", "task", "action", "result"):
                scores.setdefault(part, []).append((getattr(r.rubric.star, part) - 1) / 4)
        elif r.structure is not None:
            for part in ("situation", "task", "action", "result"):
                scores.setdefault(part, []).append(1.0 if getattr(r.structure.parts, part).present else 0.0)
        if r.structure is not None:
            own = r.structure.ownership
            if own.i + own.we:
                scores.setdefault("ownership", []).append(own.i / (own.i + own.we))
        fpm = r.delivery.fillers_per_minute
        if fpm is not None:
            scores.setdefault("fillers", []).append(1.0 - severity(fpm, FILLERS_PER_MINUTE_GOOD, FILLERS_PER_MINUTE_POOR))
    if not scores:
        return None
    return min(scores, key=lambda k: (sum(scores[k]) / len(scores[k]), k))


def next_question(
    pool: list[Question], asked: set[str], results: list[AnswerResult], target: str, rng: random.Random
) -> Optional[Question]:
    """Choose the next question: the target difficulty (nearest available), fitting the weakest area."""
    left = [q for q in pool if q.id not in asked]
    if not left:
        return None
    ti = DIFFICULTIES.index(target) if target in DIFFICULTIES else 1
    best_dist = min(abs(DIFFICULTIES.index(q.difficulty) - ti) for q in left)
    left = [q for q in left if abs(DIFFICULTIES.index(q.difficulty) - ti) == best_dist]
    area = weakest_area(results)
    best_fit = max(area_fit(area, q.text, q.guidance, *q.tags) for q in left)
    left = [q for q in left if area_fit(area, q.text, q.guidance, *q.tags) == best_fit]
    return rng.choice(sorted(left, key=lambda q: q.id))


def next_difficulty(current: str, result: Optional[AnswerResult], fixed: bool) -> str:
    """One step harder after a strong answer (rubric overall >= STRONG_ANSWER)."""
    if fixed or result is None or result.rubric is None or result.rubric.overall < STRONG_ANSWER:
        return current
    i = DIFFICULTIES.index(current) if current in DIFFICULTIES else 1
    return DIFFICULTIES[min(i + 1, len(DIFFICULTIES) - 1)]


def follow_up_probe(question: Question, result: Optional[AnswerResult], rng: random.Random) -> tuple[str, str]:
    """(probe, reason): aimed at the gap when there is one, else the bank's probe.

    STAR gaps only for behavioural questions: "Tell me about yourself" is probed for the part it
    left out (present, past, future, why this role), a view question (a weakness, a plan) for its
    missing part (reason, example, steps...), a process or knowledge question with the bank's own
    follow-ups; their reasons ("opening: future", "view: example", "coverage") make the follow-up
    judged as a detail and graded by the question's own rubric."""
    from ..rubric.kinds import kind_of

    st = result.structure if result is not None else None
    kind = kind_of(question.category, question.text)
    if kind != "star":
        if kind == "opening" and st is not None and result is not None and not result.transcript.no_speech:
            from ..rubric.coverage import opening_criteria

            missing = [c.name for c in opening_criteria(st) if not c.met]
            if missing:
                return PROBE_OPENING[missing[0]], f"opening: {missing[0]}"
        if kind == "view" and st is not None and result is not None and not result.transcript.no_speech:
            from ..rubric.kinds import question_info
            from ..rubric.view import view_criteria

            missing = [c.name for c in view_criteria(question_info(question), st) if not c.met]
            if missing:
                return PROBE_VIEW[missing[0]], f"view: {missing[0]}"
        if question.follow_ups:
            return rng.choice(question.follow_ups), kind
        return PROBE_GENERIC if kind == "opening" else PROBE_MORE, kind
    if st is not None and result is not None and not result.transcript.no_speech:
        j = st.judgements  # the biggest gap first: no story, no ending, no "I", vague steps, no number
        if j is not None and not j.specific_story.value:
            return PROBE_SPECIFIC, "not a specific story"
        if st.missing_result:
            return PROBE_OUTCOME, "no measurable result"
        own = st.ownership
        if own.we > own.i:  # "we" throughout: the candidate's own part first
            return PROBE_PERSONAL, "mostly 'we'"
        if j is not None and not j.actions_concrete.value:
            return PROBE_STEPS, "vague actions"
        if not st.has_metric:
            return PROBE_OUTCOME, "no measurable result"
    if question.follow_ups:
        return rng.choice(question.follow_ups), "bank"
    return PROBE_GENERIC, "generic"
