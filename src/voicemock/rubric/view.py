"""The view rubric: questions that ask for a view, a self-assessment, a motivation or a plan.

"What is your greatest weakness?", "Describe your ideal manager", "What are your salary
expectations?", "How would you handle a refund after the return window closed?": none asks for
one past story, so STAR does not fit them (scored by STAR, 18 good answers to such questions in
``benchmarks/data/star_custom_dev`` got 13 points on average, less than the off-topic answers
beside them). A coach grades them the way the point-reason-example structure says:

- **answer** (0.30): one of the first two sentences answers plainly (a stance: "For me it's...",
  "I'd say...", "My biggest weakness is...", "I'd first..."), not a warm-up;
- **reason** (0.25): a sentence says why ("because", "that's why", "so that", "it means");
- **example** (0.30), for a view: one concrete instance from the candidate's own experience ("at
  my last job", "last year", "for example", a first-person past action); **steps** for a plan
  ("How would you...", "What would you do if..."): at least two steps in order ("first... then...");
- **close** (0.15), for a view: one of the last two sentences ties it back to this role or to what
  the candidate does now ("that's why this role...", "now I...", "these days"); **check** for a
  plan: how they would know it worked ("I'd track...", "review after a month").

``view = round(100 * sum of the weights of the parts met)``, capped at 40 when too short; then
the adjustments every kind takes (rubric/offline.py). The cues are in :mod:`..scoring.lexicon`
(``VIEW_CUES``); ``rubric.criteria`` lists the four parts with the sentence that met each.
"""

from __future__ import annotations

import re

from ..models import Criterion, Structure
from ..scoring import lexicon as lx
from ..scoring.judgements import action_kind
from ..scoring.star import clean
from .kinds import PLAN_TEXT, QuestionInfo

VIEW_WEIGHTS = {"answer": 0.20, "reason": 0.15, "example": 0.20, "close": 0.10, "specifics": 0.35}
PLAN_WEIGHTS = {"answer": 0.20, "reason": 0.15, "steps": 0.20, "check": 0.10, "specifics": 0.35}
#: A question of fact about the candidate's terms or knowledge (salary, notice, what one knows of
#: the company) asks for no example from one's work: its weight goes to the specifics.
FACT_WEIGHTS = {"answer": 0.25, "reason": 0.20, "close": 0.10, "specifics": 0.45}
#: Specific details (numbers, amounts, days; names; quoted words; a real past episode counts 2) for
#: full marks on ``specifics``; the part is "met" from half of them.
SPECIFICS_FULL = 4
#: Points each kind of weak-answer mistake costs.
MISTAKE_POINTS = {"buzzwords": 10, "evasion": 10, "complaint": 10}
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
                 "buzzwords": 9, "evasion": 9, "complaint": 9}


#: Questions that ask for reasons or motivation.
WHY_TEXT = re.compile(r"\b(?:why|what (?:motivates|drives|gets|keeps|pushes|attracts|draws|excites)|"
                      r"what'?s (?:pushing|driving|motivating)|what made you|reasons?)\b", re.I)


FACT_TEXT = re.compile(r"\b(?:what do you know about|salary|pay (?:range|expectations?)|compensation|notice period|"
                       r"when (?:can|could) you start|how much (?:do|would) you)\b", re.I)


def is_fact(info: QuestionInfo) -> bool:
    """The question asks for facts (a salary range, what one knows of the company), not a view or a plan."""
    return bool(FACT_TEXT.search(info.text or "")) and not is_plan(info)


def is_plan(info: QuestionInfo) -> bool:
    """The question asks what the candidate would do ("How would you...")."""
    return bool(PLAN_TEXT.search(info.text or ""))


def _first(texts: list[str], rx) -> str | None:
    return next((t for t in texts if rx.search(clean(t).lower())), None)


def asks_why(info: QuestionInfo) -> bool:
    """The question asks for reasons ("Why did you choose...", "What motivates you?"): its direct
    answer is the reason."""
    return bool(WHY_TEXT.search(info.text or ""))


def _shares(sentence: str, question: str) -> bool:
    """The sentence takes up the question's words (a content-word stem in common)."""
    from .coverage import _stems

    return bool(_stems(sentence) & _stems(question))


def _restates(last: str, first: str, question: str) -> bool:
    """The last sentence comes back to the first one's or the question's point (shares a content word)."""
    from .coverage import _stems

    return bool(_stems(last) & (_stems(first) | _stems(question)))


def view_criteria(info: QuestionInfo, st: Structure) -> list[Criterion]:
    texts = [s.text for s in st.sentences]
    plan = is_plan(info)
    head, tail = texts[:ANSWER_WITHIN], texts[-CLOSE_WITHIN:] if len(texts) > ANSWER_WITHIN else []
    # a plain first sentence is an answer; one that warms up or dodges ("it depends") is not
    answer = _first(head, lx.VIEW_CUES["plan_answer" if plan else "answer"]) or next(
        (t for t in texts[:1] if len(clean(t).split()) >= 3 and not lx.VIEW_WARM_UP.search(clean(t).lower())
         and _shares(t, info.text or "")), None)
    found: dict[str, str | None] = {
        "answer": answer,
        "reason": _first(texts, lx.VIEW_CUES["reason"]) or (answer if asks_why(info) else None),
    }
    if plan:
        steps = [t for t in texts if lx.VIEW_CUES["step"].search(clean(t).lower())]
        found["steps"] = steps[1] if len(steps) >= PLAN_STEPS_MIN else None
        found["check"] = _first(texts[1:], lx.VIEW_CUES["check"])
    elif is_fact(info):
        found["close"] = _close(texts, tail, info)
    else:
        # an instance, not a vague one ("we kind of dealt with it as a team" is no example)
        told = [t for t in texts if action_kind(clean(t).lower()) not in ("vague", "team")]
        found["example"] = _first(told, lx.VIEW_CUES["example"]) or _first(told, lx.I_PAST)
        found["close"] = _close(texts, tail, info)
    share, best = specificity(st)
    story = next((x.text for x in st.sentences if x.label in "SAR"), texts[0] if texts else None)
    found["specifics"] = (best or story) if share >= 0.5 else None  # a real episode alone is half of it
    out = [Criterion(name=name, kind="part", met=quote is not None, text=VIEW_ADVICE[name], quote=quote)
           for name, quote in found.items()]
    return out + _mistakes(texts)


def _close(texts: list[str], tail: list[str], info: QuestionInfo) -> str | None:
    """The sentence among the last ones that ties the answer back, or the last one if it comes back to the point."""
    return _first(list(reversed(tail)), lx.VIEW_CUES["close"]) or next(
        (t for t in tail[-1:] if _restates(t, texts[0], info.text or "")), None)


def specificity(st: Structure) -> tuple[float, str | None]:
    """(share of SPECIFICS_FULL specific details the answer gives, its most specific sentence)."""
    details, best, best_n = 0, None, 0
    seen: set[str] = set()
    for s in st.sentences:
        words = re.findall(r"[A-Za-z][\w'&-]*", s.text)
        names = {w for w in words[1:] if w[0].isupper() and w.split("'")[0] != "I" and w.lower() not in seen
                 and not lx.VIEW_NUMBER.fullmatch(w)}  # "March" is counted once, as a date
        seen |= {w.lower() for w in names}
        n = len(lx.VIEW_NUMBER.findall(s.text)) + len(names) + len(re.findall(r"[\"“‘]\w|(?:^|\s)'\w", s.text))
        details += n
        if n > best_n:
            best, best_n = s.text, n
    if st.specific_story:
        details += 2
    return min(1.0, details / SPECIFICS_FULL), best


def _mistakes(texts: list[str]) -> list[Criterion]:
    """The weak-answer mistakes (kind "mistake", met = made), each with the sentence that shows it."""
    out = []
    for name, rx, least in (("buzzwords", lx.VIEW_BUZZWORDS, 1), ("evasion", lx.VIEW_EVASION, EVASION_MIN),
                            ("complaint", lx.VIEW_COMPLAINT, 1)):
        hits = [t for t in texts for _ in rx.finditer(clean(t).lower())]
        made = len(hits) >= least
        out.append(Criterion(name=name, kind="mistake", met=made, text=VIEW_ADVICE[name],
                             quote=hits[0] if made else None))
    return out


def view_score(criteria: list[Criterion], specific_share: float) -> int:
    """The parts' weights (``specifics`` graded by its share), less the mistakes' points."""
    names = {c.name for c in criteria if c.kind == "part"}
    weights = PLAN_WEIGHTS if "steps" in names else VIEW_WEIGHTS if "example" in names else FACT_WEIGHTS
    parts = sum(weights[c.name] for c in criteria if c.kind == "part" and c.met and c.name != "specifics")
    total = 100 * (parts + weights["specifics"] * specific_share)
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
