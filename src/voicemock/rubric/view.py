"""The view rubric: questions that ask for a view, a self-assessment, a motivation, a fact or a plan.

"What is your greatest weakness?", "Describe your ideal manager", "What are your salary
expectations?", "How would you handle a refund after the return window closed?": none asks for
one past story, so STAR does not fit them (scored by STAR, 18 good answers to such questions in
``benchmarks/data/star_custom_dev`` got 13 points on average, less than the off-topic answers
beside them). Parts (weights in VIEW_WEIGHTS, PLAN_WEIGHTS, FACT_WEIGHTS):

- **answer**: one of the first two sentences that do not warm up answers plainly (a stance: "For
  me it's...", "My biggest weakness is...", "Because I've done this job..."; a first step: "I'd
  first..."), or the first takes up the question's words;
- **reason**: a sentence says why ("because", "so that", "that's why");
- **example** (a view): one concrete instance from the candidate's own work, or a way of going
  about it in three steps; **steps** (a plan, ``kinds.PLAN_TEXT``): two steps or more in order;
  none for a question of fact (FACT_TEXT);
- **close**: the end ties it back (to this role, to what one does now) or comes back to the point;
  **check** (a plan): how one would know it worked;
- **specifics**, graded: numbers, times, names, quoted words, a real episode (:func:`specificity`).

Mistakes cost MISTAKE_POINTS each: rambling, buzzwords, evasion, complaint; details in an answer
that dodges or rambles count half. The formula, the measurements behind each choice and what was
tried are in docs/rubric.md "View"; the cues are in :mod:`..scoring.lexicon` (``VIEW_*``).
"""

from __future__ import annotations

import re

from ..models import Criterion, Structure
from ..scoring import lexicon as lx
from ..scoring.judgements import action_kind
from ..scoring.star import clean
from .kinds import QuestionInfo, asks_plan

VIEW_WEIGHTS = {"answer": 0.20, "reason": 0.15, "example": 0.20, "close": 0.10, "specifics": 0.35}
PLAN_WEIGHTS = {"answer": 0.20, "reason": 0.15, "steps": 0.20, "check": 0.10, "specifics": 0.35}
#: A question of fact about the candidate's terms or knowledge (salary, notice, what one knows of
#: the company) asks for no example from one's work: its weight goes to the specifics.
FACT_WEIGHTS = {"answer": 0.25, "reason": 0.20, "close": 0.10, "specifics": 0.45}
#: Specific details (numbers, amounts, days; names; quoted words; a real past episode counts 2) for
#: full marks on ``specifics``; the part is "met" from half of them.
SPECIFICS_FULL = 4
#: A question of fact (a salary, a notice period) is answered by one or two details.
SPECIFICS_FULL_FACT = 2
#: Details count this much in an answer that dodges or rambles (a story of the Romans and 2015 in an
#: answer that never says which environment one prefers).
UNFOCUSED_DETAIL = 0.5
#: Points each kind of weak-answer mistake costs.
MISTAKE_POINTS = {"buzzwords": 10, "evasion": 10, "complaint": 10, "rambling": 10}
#: Evasion counts as a mistake from this many evasive phrases.
EVASION_MIN = 2
#: The direct answer must come in the first this many sentences; the close in the last this many.
ANSWER_WITHIN = 2
CLOSE_WITHIN = 2
#: A plan lays out at least this many steps.
PLAN_STEPS_MIN = 2
VIEW_ADVICE = {
    "specifics": "Be specific: a number, a name, a day, what someone actually said, one real time it happened.",
    "buzzwords": "Drop the stock phrases; say what you actually do instead.",
    "evasion": "Take a position: say what you think or would do, then the condition, not 'it depends' alone.",
    "complaint": "Leave out the complaint about people; say what you want and why.",
    "rambling": "Get to the point: say your answer first, then one reason and one example, and stop.",
    "answer": "Answer the question in your first sentence: say your view plainly, then explain it.",
    "reason": "Say why: one sentence with the reason behind your answer.",
    "example": "Back it with one concrete example from your own work: when it was, what you did, what happened.",
    "close": "End by tying it back: what it means for this role, or what you do about it now.",
    "steps": "Lay out the steps in order: what you would do first, then next, and what each achieves.",
    "check": "Say how you would know it worked: what you would check, and when.",
}
#: How the parts read to a candidate (``score``'s "covered" row).
VIEW_PART_WORDS = {"answer": "direct answer", "reason": "reason", "example": "example", "close": "tie-back",
                   "steps": "steps", "check": "how you'd check", "specifics": "specifics"}
#: Suggestion priorities of the missing parts (higher first; rubric/offline.py picks three).
VIEW_PRIORITY = {"answer": 8, "example": 8, "steps": 8, "reason": 6, "close": 5, "check": 5, "specifics": 7,
                 "buzzwords": 9, "evasion": 9, "complaint": 9, "rambling": 9}


#: Questions that ask for reasons or motivation.
WHY_TEXT = re.compile(r"\b(?:why|what (?:motivates|drives|gets|keeps|pushes|attracts|draws|excites)|"
                      r"what'?s (?:pushing|driving|motivating)|what made you|reasons?)\b", re.I)


FACT_TEXT = re.compile(r"\b(?:what do you know about|salary|pay (?:range|expectations?)|compensation|notice period|"
                       r"when (?:can|could) you start|how much (?:do|would) you)\b", re.I)


def is_fact(info: QuestionInfo) -> bool:
    """The question asks for facts (a salary range, what one knows of the company), not a view or a plan."""
    return bool(FACT_TEXT.search(info.text or "")) and not asks_plan(info)


def _first(texts: list[str], rx) -> str | None:
    return next((t for t in texts if rx.search(clean(t).lower())), None)


def asks_why(info: QuestionInfo) -> bool:
    """The question asks for reasons ("Why did you choose...", "What motivates you?"): its direct
    answer is the reason."""
    return bool(WHY_TEXT.search(info.text or ""))


def _shares(sentence: str, question: str) -> bool:
    """The sentence takes up the other text's words (a content-word stem in common)."""
    from .coverage import _stems

    return bool(_stems(sentence) & _stems(question))


def view_rubric(info: QuestionInfo, st: Structure) -> tuple[int, list[Criterion], list[tuple[int, str | None, str]]]:
    """(score before the adjustments every kind takes, criteria, tips) of one answer."""
    criteria, share = _parts(info, st)
    return view_score(criteria, share), criteria, view_tips(criteria)


def view_criteria(info: QuestionInfo, st: Structure) -> list[Criterion]:
    """The parts and mistakes of one answer (what a follow-up probe asks for)."""
    return _parts(info, st)[0]


def _parts(info: QuestionInfo, st: Structure) -> tuple[list[Criterion], float]:
    """(criteria, the share of the specifics part earned)."""
    texts = [s.text for s in st.sentences]
    plan, fact = asks_plan(info), is_fact(info)
    head, tail = texts[:ANSWER_WITHIN], texts[-CLOSE_WITHIN:] if len(texts) > ANSWER_WITHIN else []
    # a stance or a first step in the first sentences that do not warm up or dodge ("Good question",
    # "It depends"), or a plain first sentence on the question's words
    head = [t for t in head if not lx.VIEW_WARM_UP.search(clean(t).lower())]
    answer = _first(head, lx.VIEW_CUES["answer"]) or _first(head, lx.VIEW_CUES["plan_answer"]) or next(
        (t for t in head[:1] if len(clean(t).split()) >= 3 and _shares(t, info.text or "")), None) or (
        _first(head[:1], lx.VIEW_NUMBER) if fact else None)  # "It's one month."
    steps = [t for t in texts if lx.VIEW_CUES["step"].search(clean(t).lower())]
    found: dict[str, str | None] = {
        "answer": answer,
        "reason": _first(texts, lx.VIEW_CUES["reason"]) or (answer if asks_why(info) else None),
    }
    if plan:
        found["steps"] = steps[1] if len(steps) >= PLAN_STEPS_MIN else None
        found["check"] = _first(texts[1:], lx.VIEW_CUES["check"])
    elif fact:
        found["close"] = _close(texts, tail, info)
    else:
        # an instance, not a vague one ("we kind of dealt with it as a team" is no example)
        kinds = [action_kind(clean(t).lower()) for t in texts]
        cued = [t for t, k in zip(texts, kinds) if k != "vague"]  # "at my current job we moved to..." counts
        told = [t for t, k in zip(texts, kinds) if k not in ("vague", "team")]
        # or the way one goes about it, step by step ("How do you handle an angry customer?")
        found["example"] = _first(cued, lx.VIEW_CUES["example"]) or _first(told, lx.I_PAST) or (
            steps[1] if len(steps) >= PLAN_STEPS_MIN + 1 else None)
        found["close"] = _close(texts, tail, info) or _first(list(reversed(tail)), lx.VIEW_CUES["check"])
    share, best = specificity(st, SPECIFICS_FULL_FACT if fact else SPECIFICS_FULL)
    story = next((x.text for x in st.sentences if x.label in "SAR"), texts[0] if texts else None)
    found["specifics"] = (best or story) if share >= 0.5 else None  # a real episode alone is half of it
    out = [Criterion(name=name, kind="part", met=quote is not None, text=VIEW_ADVICE[name], quote=quote)
           for name, quote in found.items()]
    return out + _mistakes(texts, st), share


def short_is_enough(info: QuestionInfo, criteria: list[Criterion]) -> bool:
    """A short answer to a question of fact ("It's one month.") is not capped as too short when it
    answers up front."""
    return is_fact(info) and any(c.name == "answer" and c.met for c in criteria)


def _close(texts: list[str], tail: list[str], info: QuestionInfo) -> str | None:
    """The sentence among the last ones that ties the answer back, or the last one if it comes back to the point."""
    return _first(list(reversed(tail)), lx.VIEW_CUES["close"]) or next(
        (t for t in tail[-1:] if _shares(t, f"{texts[0]} {info.text or ''}")), None)


def specificity(st: Structure, full: int = SPECIFICS_FULL) -> tuple[float, str | None]:
    """(share of ``full`` specific details the answer gives, its most specific sentence)."""
    details, best, best_n = 0, None, 0
    seen: set[str] = set()
    for s in st.sentences:
        words = re.findall(r"[A-Za-z][\w'&-]*", s.text)
        names = {w for w in words[1:] if w[0].isupper() and w.split("'")[0] != "I" and w.lower() not in seen
                 and not lx.VIEW_NUMBER.fullmatch(w)}  # "March" is counted once, as a date
        seen |= {w.lower() for w in names}
        quoted = re.findall(r"[\"“‘]\w|(?:^|\s)'\w", s.text)  # what someone actually said
        n = len(lx.VIEW_NUMBER.findall(s.text)) + len(lx.VIEW_TIME.findall(s.text)) + len(names) + len(quoted)
        details += n
        if n > best_n:
            best, best_n = s.text, n
    if st.specific_story:
        details += 2
    return min(1.0, details / full), best


def _mistakes(texts: list[str], st: Structure) -> list[Criterion]:
    """The weak-answer mistakes (kind "mistake", met = made), each with the sentence that shows it;
    rambling is the learned judgement's (scoring/judgements.py), with its deciding sentence."""
    out = []
    j = st.judgements
    if j is not None:
        out.append(Criterion(name="rambling", kind="mistake", met=j.rambling.value, text=VIEW_ADVICE["rambling"],
                             quote=j.rambling.quote if j.rambling.value else None))
    lowered = [clean(t).lower() for t in texts]  # once: a sentence can hold thousands of hits
    for name, rx, least in (("buzzwords", lx.VIEW_BUZZWORDS, 1), ("evasion", lx.VIEW_EVASION, EVASION_MIN),
                            ("complaint", lx.VIEW_COMPLAINT, 1)):
        hits = [t for t, c in zip(texts, lowered) if name != "evasion" or not lx.VIEW_COMMITS.search(c)
                for _ in rx.finditer(c)]
        made = len(hits) >= least
        out.append(Criterion(name=name, kind="mistake", met=made, text=VIEW_ADVICE[name],
                             quote=hits[0] if made else None))
    return out


def view_score(criteria: list[Criterion], specific_share: float) -> int:
    """The parts' weights (``specifics`` graded by its share), less the mistakes' points."""
    names = {c.name for c in criteria if c.kind == "part"}
    weights = PLAN_WEIGHTS if "steps" in names else VIEW_WEIGHTS if "example" in names else FACT_WEIGHTS
    parts = sum(weights[c.name] for c in criteria if c.kind == "part" and c.met and c.name != "specifics")
    # details in an answer that dodges or rambles support no position: they count half
    unfocused = any(c.kind == "mistake" and c.met and c.name in ("evasion", "rambling") for c in criteria)
    total = 100 * (parts + weights["specifics"] * specific_share * (UNFOCUSED_DETAIL if unfocused else 1.0))
    for c in criteria:
        if c.kind == "mistake" and c.met:
            total -= MISTAKE_POINTS[c.name]
    return max(0, min(100, round(total)))


def view_tips(criteria: list[Criterion]) -> list[tuple[int, str | None, str]]:
    """(priority, quoted sentence or None, message) for each part missed and each mistake made."""
    tips: list[tuple[int, str | None, str]] = []
    for c in criteria:
        if c.kind == "part" and not c.met:
            tips.append((VIEW_PRIORITY[c.name], None, c.text))
        elif c.kind == "mistake" and c.met:
            tips.append((VIEW_PRIORITY[c.name], c.quote, f'{c.text} ("{c.quote}")' if c.quote else c.text))
    return tips
