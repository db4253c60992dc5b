"""Which rubric a question gets, and the question material the rubrics read.

The bank's ``category`` chooses: ``behavioral`` (and ``behavioural``, ``situational``,
``leadership``) -> the STAR rubric; ``opening`` (tell me about yourself, pitch, why this role) ->
the opening rubric (present, past, future, why this role); ``process``, ``technical``,
``knowledge`` and ``general`` -> the coverage rubric (the bank's guidance points covered, its
common mistakes avoided). A question given as bare text (``--question``) is looked up by its text
in the built-in banks; failing that, "tell me about yourself"-style wording means ``opening`` and
anything else ``behavioral``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..banks import Question

log = logging.getLogger(__name__)

STAR_CATEGORIES = {"behavioral", "behavioural", "situational", "leadership"}
OPENING_CATEGORIES = {"opening", "pitch", "introduction"}
COVERAGE_CATEGORIES = {"process", "technical", "knowledge", "general"}
_OPENING_TEXT = re.compile(r"\b(?:tell me about yourself|walk me through your (?:resume|cv|background|career)|"
                           r"introduce yourself|why (?:do you want|this role|this company|are you interested|us\b)|"
                           r"your (?:elevator )?pitch|why are you leaving|where do you see yourself)", re.I)
#: Wording that asks for one story ("tell me about a time ...").
_STORY_TEXT = re.compile(r"\b(?:tell me about (?:a|an|the|someone|something|one)\b|describe (?:a|an|the)\b|"
                         r"give (?:me )?an example|walk me through (?:a|an|the)\b|have you ever|a time (?:when )?you|"
                         r"what is the (?:achievement|project|decision|mistake)|what was the)", re.I)


@dataclass
class QuestionInfo:
    """What the rubrics know about a question."""

    text: str | None
    kind: str  # "star" | "opening" | "coverage"
    category: str | None = None
    guidance: str = ""
    tags: list[str] = field(default_factory=list)
    example: str = ""
    common_mistakes: list[str] = field(default_factory=list)
    company: str | None = None
    asks_story: bool = True  # the question asks for one past story (STAR), not knowledge or a plan


def kind_of(category: str | None, text: str | None = None) -> str:
    c = (category or "").lower()
    if c in OPENING_CATEGORIES:
        return "opening"
    if c in COVERAGE_CATEGORIES:
        return "coverage"
    if c in STAR_CATEGORIES:
        return "star"
    return "opening" if text and _OPENING_TEXT.search(text) else "star"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@lru_cache(maxsize=1)
def _builtin_questions() -> dict[str, tuple[Question, str | None]]:
    from ..banks import builtin_banks_dir, load_bank_file
    from ..errors import BankError

    out: dict[str, tuple[Question, str | None]] = {}
    for path in sorted(builtin_banks_dir().glob("*.yaml")):
        try:
            bank = load_bank_file(path)
        except BankError as exc:  # a broken bank must not stop scoring
            log.debug("skipping %s: %s", path, exc)
            continue
        for q in bank.questions:
            out.setdefault(_norm(q.text), (q, bank.company))
    return out


def question_info(question: Question | str | None, company: str | None = None) -> QuestionInfo:
    """The rubric kind and bank material of a question (a bank Question, bare text or None)."""
    if question is None:
        return QuestionInfo(text=None, kind="star")
    if isinstance(question, str):
        found = _builtin_questions().get(_norm(question))
        if found is None:
            kind = kind_of(None, question)
            return QuestionInfo(text=question, kind=kind, asks_story=kind == "star" and bool(_STORY_TEXT.search(question)))
        question, company = found[0], company or found[1]
    return QuestionInfo(
        text=question.text, kind=kind_of(question.category, question.text), category=question.category,
        guidance=question.guidance, tags=list(question.tags), example=question.example or "",
        common_mistakes=list(question.common_mistakes), company=company,
        asks_story=kind_of(question.category, question.text) == "star",
    )
