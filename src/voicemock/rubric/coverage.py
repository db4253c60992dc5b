"""The rubrics of non-behavioural questions: the opening rubric and the coverage rubric.

**Opening** ("Tell me about yourself", pitch, why this role): four parts, each found in a
sentence by its cues (:data:`~voicemock.scoring.lexicon.OPENING_CUES`): *present* (what you do
now), *past* (the experience that led here), *future* (what you want next) and *why this role*.
``overall = 100 * sum(weight of each part covered)`` with the weights of :data:`OPENING_WEIGHTS`.

**Coverage** (process and knowledge questions such as the interview guide's 12): the bank's
``guidance`` is cut into points (its sentences); a point is covered when the answer shares at
least COVERAGE_POINT_MIN_SHARE of the point's content-word stems (and at least two). A common
mistake counts as made when the answer shares at least MISTAKE_MIN_SHARE of the stems that set
the mistake apart from the guidance. ``overall = round(100 * (0.8 * min(1, covered /
(COVERAGE_FULL_SHARE * points)) + 0.2 * (1 - made / mistakes)))``.

Both then take the same length, delivery and topic adjustments as the STAR rubric.
"""

from __future__ import annotations

import re

from ..models import Criterion, Structure
from ..scoring import lexicon as lx
from ..targets import COVERAGE_FULL_SHARE, COVERAGE_POINT_MIN_SHARE, MISTAKE_MIN_SHARE
from .kinds import QuestionInfo

OPENING_WEIGHTS = {"present": 0.30, "past": 0.25, "future": 0.20, "why_role": 0.25}
OPENING_ADVICE = {
    "present": "Start with what you do now: your role and one achievement that shows your level.",
    "past": "Say which experience led you here: one or two earlier roles or studies and what they taught you.",
    "future": "Say what you want to do next and why that is the logical next step.",
    "why_role": "Close with why this role or company: connect what you do to what they need.",
}
_STOP = set("""a an the and or but so of to in on at for with from by as is was were be been am are it its this
that these those i me my we our us you your he she him her they them their there here what when where who how
why which do did does have had has not no just like um uh yeah okay really very about into out up over then than
also can could would should will may might one some any all more most much each how show say said mention name
answer strong good candidates candidate interviewer interviewers""".split())


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def _points(guidance: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.;!?])\s+", guidance) if len(p.split()) >= 4]
    return parts or ([guidance.strip()] if guidance.strip() else [])


def _best_sentence(st: Structure, stems: set[str]) -> str | None:
    best, best_n = None, 0
    for s in st.sentences:
        n = len(_stems(s.text) & stems)
        if n > best_n:
            best, best_n = s.text, n
    return best


#: How the opening rubric's parts read to a candidate.
OPENING_PART_WORDS = {"present": "present", "past": "past", "future": "future", "why_role": "why this role"}


def covered_words(criteria: list[Criterion]) -> str:
    """What an opening, view or coverage answer covered, in words: its parts ("present, why this
    role", "direct answer, reason"), or how many of the bank's guidance points ("2 of 5 guidance points")."""
    from .view import VIEW_PART_WORDS

    words = {**VIEW_PART_WORDS, **OPENING_PART_WORDS}
    parts = [c for c in criteria if c.kind == "part"]
    if parts:
        return ", ".join(words.get(c.name, c.name) for c in parts if c.met) or "none of its parts"
    points = [c for c in criteria if c.kind == "point"]
    return f"{sum(c.met for c in points)} of {len(points)} guidance points" if points else "none"


def opening_criteria(st: Structure) -> list[Criterion]:
    out = []
    for part, rx in lx.OPENING_CUES.items():
        hit = next((s.text for s in st.sentences if rx.search(s.text.lower())), None)
        out.append(Criterion(name=part, kind="part", met=hit is not None, text=OPENING_ADVICE[part], quote=hit))
    return out


def opening_score(criteria: list[Criterion]) -> int:
    return round(100 * sum(OPENING_WEIGHTS[c.name] for c in criteria if c.met))


def coverage_criteria(info: QuestionInfo, st: Structure) -> list[Criterion]:
    answer = _stems(" ".join(s.text for s in st.sentences))
    out = []
    guidance_stems = _stems(info.guidance)
    for k, point in enumerate(_points(info.guidance), start=1):
        stems = _stems(point)
        shared = stems & answer
        met = len(shared) >= 2 and len(shared) >= COVERAGE_POINT_MIN_SHARE * len(stems)
        out.append(Criterion(name=f"point {k}", kind="point", met=met, text=point,
                             quote=_best_sentence(st, stems) if met else None))
    for k, mistake in enumerate(info.common_mistakes, start=1):
        own = _stems(mistake) - guidance_stems
        shared = own & answer
        made = len(own) >= 2 and len(shared) >= 2 and len(shared) >= MISTAKE_MIN_SHARE * len(own)
        out.append(Criterion(name=f"mistake {k}", kind="mistake", met=made, text=mistake,
                             quote=_best_sentence(st, own) if made else None))
    return out


def coverage_score(criteria: list[Criterion]) -> int:
    points = [c for c in criteria if c.kind == "point"]
    mistakes = [c for c in criteria if c.kind == "mistake"]
    covered = sum(c.met for c in points)
    cover = min(1.0, covered / max(1.0, COVERAGE_FULL_SHARE * len(points))) if points else 0.5
    avoided = 1 - sum(c.met for c in mistakes) / len(mistakes) if mistakes else 1.0
    return round(100 * (0.8 * cover + 0.2 * avoided))


def kind_tips(kind: str, criteria: list[Criterion]) -> list[tuple[int, str | None, str]]:
    """(priority, quoted sentence or None, message) for what the answer misses."""
    tips: list[tuple[int, str | None, str]] = []
    if kind == "opening":
        for c in criteria:
            if not c.met:
                tips.append((8 if c.name in ("present", "why_role") else 6, None, c.text))
    else:
        for c in criteria:
            if c.kind == "mistake" and c.met:
                tips.append((9, c.quote, f'Avoid a common mistake: {c.text.rstrip(".")}.'
                             + (f' ("{c.quote}")' if c.quote else "")))
        missing = [c for c in criteria if c.kind == "point" and not c.met]
        for c in missing[:3]:
            tips.append((7, None, f"Cover this point: {c.text}"))
    return tips
