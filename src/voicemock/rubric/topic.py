"""Does the answer address its question? A lexical and concept-level check, no model downloads.

Evidence, each from 0 to 1:

- **concepts**: the question's concepts (:data:`~voicemock.scoring.lexicon.TOPIC_CONCEPTS`,
  found in its text, else its tags) that the answer also mentions, in any of their wordings
  ("conflict" is also "we didn't see eye to eye"); the share found.
- **words**: TF-IDF cosine between the answer and the question with the bank's guidance, tags
  and example (word stems; IDF over the built-in banks), scaled so TOPIC_COSINE_FULL counts as 1.

``score = TOPIC_CONCEPT_WEIGHT * concepts + (1 - TOPIC_CONCEPT_WEIGHT) * words``, then capped at
TOPIC_MISMATCH_CAP when the answer announces a different question ("a time I showed leadership
was when..."), tells a past story to a process or knowledge question that its guidance does not
cover, gives feedback when asked about feedback received (or is mentored when asked about
mentoring), or answers a behavioural question with general opinions that touch none of its
concepts. Below TOPIC_MIN the answer is off topic. The LLM judge, when configured, adds its own
verdict (``rubric/llm.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..models import Structure, TopicCheck
from ..scoring import lexicon as lx
from ..targets import TOPIC_CONCEPT_WEIGHT, TOPIC_COSINE_FULL, TOPIC_MIN, TOPIC_MISMATCH_CAP, TOPIC_STORY_MIN
from .kinds import QuestionInfo

_CONCEPTS = {k: re.compile(r"\b(?:" + v + r")", re.I) for k, v in lx.TOPIC_CONCEPTS.items()}
_STOP = set("""a an the and or but so of to in on at for with from by as is was were be been am are it its this
that these those i me my we our us you your he she him her they them their there here what when where who
how why which do did does done have had has not no yes just like um uh yeah okay ok really very about into
out up over then than also can could would should will shall may might time tell give example describe
walk through one some any all more most much many thing things get got make made""".split())
_RECEIVED_Q = re.compile(r"\b(?:received|you (?:have )?(?:got|gotten|been given)|feedback you|criticism you|"
                         r"hardest feedback|critical feedback)\b", re.I)
_MENTOR_Q = re.compile(r"\b(?:you (?:coached|mentored|developed|trained)|mentored or developed|someone you "
                       r"(?:coached|mentored))\b", re.I)
_MANAGER_Q = re.compile(r"\b(?:your manager|senior leader|your boss|manager's)\b", re.I)


def concepts(text: str) -> set[str]:
    return {k for k, rx in _CONCEPTS.items() if rx.search(text)}


def _stems(text: str) -> list[str]:
    return [w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2]


@lru_cache(maxsize=1)
def _idf() -> dict[str, float]:
    from .kinds import _builtin_questions

    docs = [set(_stems(" ".join([q.text, q.guidance, q.example or "", *q.tags, *q.common_mistakes])))
            for q, _ in _builtin_questions().values()]
    df: Counter = Counter()
    for d in docs:
        df.update(d)
    n = max(1, len(docs))
    return {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()} | {"": math.log(1 + n) + 1}


def _cosine(a: str, b: str) -> float:
    idf = _idf()
    default = idf[""]
    va = {w: c * idf.get(w, default) for w, c in Counter(_stems(a)).items()}
    vb = {w: c * idf.get(w, default) for w, c in Counter(_stems(b)).items()}
    dot = sum(v * vb.get(w, 0.0) for w, v in va.items())
    na, nb = math.sqrt(sum(v * v for v in va.values())), math.sqrt(sum(v * v for v in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


_PEOPLE = ("colleague", "manager", "customer")
_PERSON_NAMES = {"colleague": "a colleague", "manager": "your manager or a senior leader", "customer": "a customer"}


def _mismatch(info: QuestionInfo, answer: str, q_concepts: set[str], a_concepts: set[str],
              structure: Structure | None, words: float) -> str | None:
    """Why the answer addresses a different question, or None."""
    q = info.text or ""
    low = answer.lower()
    opener = lx.RESTATED_QUESTION.search(low[:200])
    if opener:
        restated = concepts(opener.group(0)) - {"teamwork", "self", "career"}
        if not restated & q_concepts and not (q_concepts & {"pride"}):
            return f'it answers another question ("{opener.group(0).strip(" ,.;")}")'
    story = structure is not None and structure.specific_story and structure.parts.action.present
    if not info.asks_story and story and (words < 0.5 or _points_covered(info, structure) == 0):
        return "it tells a story where the question asks for knowledge, a plan or a view"
    if _RECEIVED_Q.search(q) and lx.GIVEN_BY_ME.search(low) and not lx.RECEIVED_BY_ME.search(low):
        return "it is about feedback you gave; the question asks about feedback you received"
    if _MENTOR_Q.search(q) and lx.MENTORED_ME.search(low) and not lx.MENTORED_BY_ME.search(low):
        return "it is about being mentored; the question asks about someone you developed"
    for person in _PEOPLE:
        if person in concepts(q) and person not in a_concepts:
            return f"the question is about {_PERSON_NAMES[person]}; the answer never mentions one"
    if info.asks_story and structure is not None and not structure.specific_story:
        if lx.DENIAL.search(low):
            return "it says this never happened instead of telling a time it did"
        if not (q_concepts & a_concepts):
            return "it gives general opinions and none of what the question asks about"
    return None


def _points_covered(info: QuestionInfo, structure: Structure | None) -> int | None:
    """Guidance points of a coverage question the answer covers (None without guidance)."""
    if info.kind != "coverage" or not info.guidance or structure is None:
        return None
    from .coverage import coverage_criteria

    return sum(c.met for c in coverage_criteria(info, structure) if c.kind == "point")


def _story_concepts(answer: str, structure: Structure | None) -> set[str]:
    """Concepts of the sentences that carry the story (not the ones that only restate or digress)."""
    if structure is None or not structure.sentences:
        return concepts(answer)
    return concepts(" ".join(s.text for s in structure.sentences if s.label != "O"))


def check_topic(info: QuestionInfo, answer: str, structure: Structure | None = None) -> TopicCheck | None:
    """The topic check of one answer; None when there is no question to check against."""
    if not info.text or not answer.strip():
        return None
    q_concepts = concepts(info.text) or concepts(" ".join(info.tags))
    q_concepts.discard("teamwork") if len(q_concepts) > 1 else None
    a_concepts = _story_concepts(answer, structure) if info.asks_story else concepts(answer)
    if info.kind == "opening" and structure is not None:
        from .coverage import opening_criteria

        concept_score = sum(c.met for c in opening_criteria(structure)) / 2
    else:
        concept_score = len(q_concepts & a_concepts) / len(q_concepts) if q_concepts else 0.5
    concept_score = min(1.0, concept_score)
    material = " ".join([info.text, info.guidance, " ".join(info.tags), info.example])
    words = min(1.0, _cosine(answer, material) / TOPIC_COSINE_FULL)
    score = TOPIC_CONCEPT_WEIGHT * concept_score + (1 - TOPIC_CONCEPT_WEIGHT) * words
    why = _mismatch(info, answer, q_concepts, a_concepts, structure, words)
    story_told = info.asks_story and structure is not None and structure.specific_story
    if why is not None:
        score = min(score, TOPIC_MISMATCH_CAP)
    elif score < TOPIC_MIN and story_told and score >= TOPIC_STORY_MIN:
        score = TOPIC_MIN  # a story that names no mismatch may address the question in other words
    elif score < TOPIC_MIN:
        why = "it shares almost nothing with the question or what a strong answer covers"
    found = sorted(q_concepts & a_concepts)
    return TopicCheck(on_topic=score >= TOPIC_MIN, score=round(score, 3), why=why or "",
                      question_concepts=sorted(q_concepts), matched_concepts=found, judge="offline")
