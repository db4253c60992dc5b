"""Which rubric a question gets, and the question material the rubrics read.

The bank's ``category`` chooses: ``behavioral`` (and ``behavioural``, ``situational``,
``leadership``) -> the STAR rubric; ``opening`` (tell me about yourself, pitch, why this role) ->
the opening rubric (present, past, future, why this role); ``process``, ``technical``,
``knowledge`` and ``general`` -> the coverage rubric (the bank's guidance points covered, its
common mistakes avoided); ``view`` (and ``opinion``, ``motivation``, ``self``, ``hypothetical``)
-> the view rubric (a direct answer, the reason, an example or the steps of a plan, a close). A
question given as bare text (``--question``) is looked up by its text in the built-in banks;
failing that, "tell me about yourself"-style wording means ``opening``, wording that asks for one
past time ("tell me about a time", "how did you...") ``behavioral``, and anything else (a view, a
weakness, a motivation, what one would do) ``view``.
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
VIEW_CATEGORIES = {"view", "opinion", "motivation", "self", "hypothetical"}
_OPENING_TEXT = re.compile(r"\b(?:tell (?:me|us) (?:a (?:little |bit )?|a little bit |some(?:thing)? |more )*about "
                           r"yourself|walk (?:me|us) through your (?:resume|cv|background|career)|introduce yourself|"
                           r"why (?:do you want (?:this|the|our|to (?:work|join) (?:here|for us|us|our|this|the))|"
                           r"this role|this company|are you interested in (?:this|the|our|us)|us\b)|"
                           r"your (?:elevator )?pitch)", re.I)
#: Wording that asks for one story ("tell me about a time ...").
_STORY_TEXT = re.compile(r"\b(?:tell me about (?:a|an|the|someone|something|one)\b|describe (?:a|an|the)\b|"
                         r"give (?:me )?an example|walk me through (?:a|an|the)\b|have you ever|a time (?:when )?you|"
                         r"what is the (?:achievement|project|decision|mistake)|what was the|"
                         r"(?:how|what|when) did you|talk (?:me )?(?:about|through) (?:a|an|the) (?:time|situation)|"
                         r"share (?:a|an) (?:time|example|experience|situation)|can you recall|recall a|"
                         r"your (?:biggest|greatest|proudest|hardest) (?:achievement|accomplishment|failure|mistake|"
                         r"success|challenge|project|decision)|"
                         r"what(?:'s| is| was) (?:the|your) (?:\w+ )?(?:achievement|accomplishment|project|decision|"
                         r"mistake|challenge|problem|conflict|failure|setback)|"
                         r"you(?:'ve| have) (?:ever )?(?:made|faced|had|handled|led|done|worked on|dealt with|solved|"
                         r"overcome|fixed|resolved|managed))", re.I)


@dataclass
class QuestionInfo:
    """What the rubrics know about a question."""

    text: str | None
    kind: str  # "star" | "opening" | "coverage" | "view"
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
    if c in VIEW_CATEGORIES:
        return "view"
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


#: A question whose words are this much the same as a built-in one's (Jaccard) is that question.
NEAR_QUESTION_MIN = 0.8


def _near_builtin(text: str) -> tuple[Question, str | None] | None:
    """The built-in question a typed one is, near enough: its first sentence alone ("Tell me about a
    time you had a conflict with a colleague." for "... How did you resolve it?") or nearly its
    words; None when none is."""
    words = set(_norm(text).split())
    if not words:
        return None
    best, best_j = None, 0.0
    for key, found in _builtin_questions().items():
        first = _norm(re.split(r"(?<=[.?!])\s+", found[0].text.strip())[0])
        if _norm(text) == first:
            return found
        other = set(key.split())
        j = len(words & other) / len(words | other)
        if j > best_j:
            best, best_j = found, j
    return best if best_j >= NEAR_QUESTION_MIN else None


def custom_info(text: str) -> QuestionInfo:
    """What the rubrics know about a question no built-in bank holds: its text only (its kind from
    the text; no guidance, tags or example). A question that asks for no past story and no
    introduction (a weakness, an ideal manager, a salary, what one would do) gets the view rubric."""
    kind = kind_of(None, text)
    story = kind == "star" and bool(_STORY_TEXT.search(text))
    if kind == "star" and not story:
        kind = "view"
    return QuestionInfo(text=text, kind=kind, asks_story=story)


def is_custom(info: QuestionInfo) -> bool:
    """A question with no bank material (the user's own ``--question``): the topic check then has
    only the question's words to go on (rubric/topic.py: :func:`~voicemock.rubric.topic.custom_check`)."""
    return not (info.guidance or info.tags or info.example)


#: Wording that asks what the candidate would do ("How would you...", "If your supplier went
#: bankrupt, what steps would you take?"): a plan, not a past story.
PLAN_TEXT = re.compile(r"\b(?:what would you(?! (?:say|describe|bring|call|rate|define|consider|like|want|need|"
                       r"change|look for|enjoy|expect)\b)|how would you(?! (?:describe|rate|define|characteri[sz]e|"
                       r"sum|summari[sz]e|say)\b)|what will you|how will you|what steps would|"
                       r"would you (?:do|handle|approach|plan|set|start|tell|explain|decide)|"
                       r"describe how you(?:'d| would)|(?:walk|talk|take) (?:me|us) through (?:what|how) you(?:'d| would)|"
                       r"tell (?:me|us) how you(?:'d| would)|what'?s your approach (?:to|when|if)|"
                       r"^(?:imagine|suppose|say)\b[^?]{0,200}?\bwhat (?:do|would) you|what do you do (?:if|when)|"
                       r"if (?:you|your|a|an|the|one|someone)\b[^?]{0,200}?\b(?:would|will) you)\b", re.I)
#: (the scenario before "would you" is bounded: unbounded, a 140,000-character question of "if you
#: if you ..." took 23 s to read, and questions come from other people's banks and sessions too)


def asks_plan(info: QuestionInfo) -> bool:
    """The question asks what the candidate would do ("How would you...", PLAN_TEXT)."""
    return bool(PLAN_TEXT.search(info.text or ""))


def question_info(question: Question | str | None, company: str | None = None) -> QuestionInfo:
    """The rubric kind and bank material of a question (a bank Question, bare text or None)."""
    if question is None:
        return QuestionInfo(text=None, kind="star")
    if isinstance(question, str):
        found = _builtin_questions().get(_norm(question)) or _near_builtin(question)
        if found is None:
            return custom_info(question)
        question, company = found[0], company or found[1]
    return QuestionInfo(
        text=question.text, kind=kind_of(question.category, question.text), category=question.category,
        guidance=question.guidance, tags=list(question.tags), example=question.example or "",
        common_mistakes=list(question.common_mistakes), company=company,
        asks_story=kind_of(question.category, question.text) == "star",
    )
