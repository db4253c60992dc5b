"""The JSON contract: what ``voicemock score --json`` prints, what ``session.json`` and
``annotations.json`` store, and what ``voicemock review --json`` prints.

These pydantic models *are* the documentation: ``python -m voicemock.models --write-schemas``
writes their JSON Schemas (and the bank format's) into ``docs/``, and a test regenerates them and
compares whole files. Field names are a contract: add fields freely, never rename or remove one.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1


#: Counts (words, fillers, pauses, mentions...) are never negative and far below what the history
#: index (SQLite integers) and a terminal column hold: a session file from someone else with a
#: 30-digit count is a problem to report, not an overflow.
MAX_COUNT = 1_000_000
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
#: A fraction of an answer, 0..1.
Share = Annotated[float, Field(ge=0.0, le=1.0)]
#: A rate per minute (words, fillers): never negative, and bounded so a session file from someone
#: else cannot print a 309-digit pace (a one-word answer of 10 ms is 6,000 words a minute).
Rate = Annotated[float, Field(ge=0.0, le=1e9)]
#: A length of time within an answer, in seconds (at most a day).
Seconds = Annotated[float, Field(ge=0.0, le=24 * 3600.0)]


class _Model(BaseModel):
    # Infinity and NaN are refused: a session file from someone else must not make a report loop.
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


# --- transcript (asr) ---------------------------------------------------------------------------


class Word(_Model):
    word: str
    start: Optional[float] = None  # seconds from the start of the recording; None for .txt input
    end: Optional[float] = None
    probability: Optional[float] = None


#: A word that starts with one of these follows the previous one without a space: Whisper's own
#: sub-word pieces ("40" ",000", "30" "%", "mid" "-sized", "it" "'s") and closing punctuation.
_NO_SPACE_BEFORE = re.compile(r"[,.;:!?%)\]'\u2019-]")


def glued(word: str) -> bool:
    """Does ``word`` follow the previous word with no space ("40" ",000", "30" "%")?"""
    return bool(_NO_SPACE_BEFORE.match(word.strip()))


def join_words(words: list[str]) -> str:
    """Words (stripped of Whisper's leading space) as text, spaced as Whisper wrote them:
    "We saved 40,000 dollars", "30%", "mid-sized", never "40 ,000"."""
    text = ""
    for w in words:
        w = w.strip()
        if not w:
            continue
        if text and not _NO_SPACE_BEFORE.match(w):
            text += " "
        text += w
    return text


class Transcript(_Model):
    text: str
    words: list[Word] = Field(default_factory=list)
    duration_s: Optional[float] = None  # None for .txt input
    no_speech: bool = False  # True when voice activity detection found no speech


# --- delivery ---------------------------------------------------------------------------------


class Filler(_Model):
    word: str
    start: Optional[float] = None
    end: Optional[float] = None
    source: Literal["transcript", "acoustic"]
    kind: Literal["hesitation", "discourse"] = "hesitation"  # um/uh vs "like", "you know", ...
    #: How sure the detector is, 0..1 (docs/scoring.md). Counted in ``filler_count`` when at least
    #: ``Delivery.filler_confidence_min``; below it the filler is listed but shown as uncertain.
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Pause(_Model):
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class Hedge(_Model):
    phrase: str  # "i think", "maybe", "i guess", "kind of", ...
    start: Optional[float] = None
    end: Optional[float] = None


class Repetition(_Model):
    text: str  # the repeated word or phrase, e.g. "i i" -> "i", "we went we went" -> "we went"
    count: Count = 2  # how many times in a row it was said
    start: Optional[float] = None
    end: Optional[float] = None


class Delivery(_Model):
    words_per_minute: Optional[Rate] = None  # words / whole answer duration (first word to last word)
    fillers: list[Filler] = Field(default_factory=list)
    filler_count: Count = 0  # fillers with confidence >= filler_confidence_min
    fillers_per_minute: Optional[Rate] = None
    pauses: list[Pause] = Field(default_factory=list)  # silences of pause_threshold_s (1 s) or more
    long_pause_count: Count = 0
    longest_pause_s: Optional[Seconds] = None
    lead_in_s: Optional[Seconds] = None
    # added by the delivery analysis (scoring/delivery.py); see docs/scoring.md
    word_count: Count = 0
    speaking_words_per_minute: Optional[Rate] = None  # words / time actually speaking (VAD)
    speaking_time_s: Optional[Seconds] = None
    answer_duration_s: Optional[Seconds] = None  # first sound to last word
    pause_threshold_s: Seconds = 1.0
    duration_target_s: Optional[list[float]] = None  # [min, max] for the question kind
    duration_verdict: Optional[Literal["short", "ok", "long"]] = None
    hedges: list[Hedge] = Field(default_factory=list)
    hedge_count: Count = 0
    repetitions: list[Repetition] = Field(default_factory=list)
    repetition_count: Count = 0
    acoustic_fillers: bool = False  # True when audio was available for acoustic filler detection
    # fillers below this confidence are listed in ``fillers`` but not counted (targets.FILLER_CONFIDENCE_MIN)
    filler_confidence_min: Share = 0.5
    uncertain_filler_count: Count = 0  # fillers listed with a confidence below filler_confidence_min


# --- structure (STAR) -------------------------------------------------------------------------

Label = Literal["S", "T", "A", "R", "O"]


class Sentence(_Model):
    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    label: Label


class PartInfo(_Model):
    present: bool = False
    share: Share = 0.0  # fraction of the answer's words in this part, 0..1


class Parts(_Model):
    situation: PartInfo = Field(default_factory=PartInfo)
    task: PartInfo = Field(default_factory=PartInfo)
    action: PartInfo = Field(default_factory=PartInfo)
    result: PartInfo = Field(default_factory=PartInfo)


class Ownership(_Model):
    i: Count = 0  # first-person singular mentions in action sentences
    we: Count = 0  # first-person plural mentions in action sentences


class Judgement(_Model):
    """One answer-level judgement and the sentence that decided it."""

    value: bool
    sentence: Optional[Count] = None  # index into Structure.sentences; None when no sentence decides it
    quote: Optional[str] = None  # that sentence's text
    why: str = ""


class Judgements(_Model):
    """What a coach decides about an answer (docs/rubric.md, "Judgements")."""

    result_present: Judgement
    result_measurable: Judgement
    task_stated: Judgement
    actions_concrete: Judgement
    specific_story: Judgement
    rambling: Judgement = Field(default_factory=lambda: Judgement(value=False))
    situation_share: Share = 0.0
    concrete_actions: Count = 0  # action sentences with a personal verb, an object and a detail
    vague_actions: Count = 0  # action sentences that are vague, team-only ("we") or hypothetical
    action_kinds: dict[int, str] = Field(default_factory=dict)  # sentence index -> concrete|vague|team|hypothetical|none


class Structure(_Model):
    sentences: list[Sentence] = Field(default_factory=list)
    parts: Parts = Field(default_factory=Parts)
    ownership: Ownership = Field(default_factory=Ownership)
    has_metric: bool = False
    specific_story: bool = False
    # added by the STAR analysis (scoring/star.py); see docs/rubric.md
    missing_result: bool = False  # no sentence says how it ended (none labelled R, or judged no outcome)
    missing_personal_action: bool = False  # no action sentence in the first person singular
    hypothetical_sentences: list[Count] = Field(default_factory=list)  # indexes into sentences
    # spoken run-ons: [first, last] sentence indexes of each stretch of RUN_ON_WORDS words or more with no
    # sentence end (punctuation or a long pause), cut into sentences at its discourse markers
    run_ons: list[list[Count]] = Field(default_factory=list)
    balance: str = "balanced"  # balanced | situation_heavy | action_light | too_short | empty
    feedback: list[str] = Field(default_factory=list)  # up to 3 suggestions, each quoting a sentence
    judgements: Optional[Judgements] = None  # answer-level judgements (scoring/judgements.py)


# --- rubric -----------------------------------------------------------------------------------


class StarScores(_Model):
    situation: int = Field(ge=1, le=5)
    task: int = Field(ge=1, le=5)
    action: int = Field(ge=1, le=5)
    result: int = Field(ge=1, le=5)


class Evidence(_Model):
    part: str
    quote: str


class TopicCheck(_Model):
    """Does the answer address its question (rubric/topic.py)?"""

    on_topic: bool
    score: float = Field(ge=0, le=1)  # below targets.TOPIC_MIN: off topic
    why: str = ""  # why it is off topic
    question_concepts: list[str] = Field(default_factory=list)
    matched_concepts: list[str] = Field(default_factory=list)
    judge: Literal["offline", "llm"] = "offline"
    # True: only an answer of the wrong kind could be flagged (a question no bank holds, a view
    # question; rubric/topic.py custom_check), so a pass says little about what the answer is about
    limited: bool = False


class Criterion(_Model):
    """One line of a non-STAR rubric: an opening's part or a guidance point / common mistake."""

    name: str  # "present", "past", "future", "why_role"; "point 1" ...; "mistake 1" ...; view: "answer", "reason", ...
    kind: Literal["part", "point", "mistake"]
    met: bool  # part or point covered; for a mistake: the mistake was made
    text: str = ""  # the guidance point or mistake, as the bank says it
    quote: Optional[str] = None  # the answer's sentence that decided it


class Rubric(_Model):
    judge: Literal["offline", "llm", "coach"]  # "coach": a coach's override (history, progress, retry)
    prompt_version: str
    overall: int = Field(ge=0, le=100)
    star: StarScores
    feedback: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    model: Optional[str] = None  # the LLM's model name; None for the offline judge
    llm_error: Optional[str] = None  # why the LLM judge was not used, when it was asked for
    # added by the rubric (rubric/); see docs/rubric.md
    response_format: Optional[str] = None  # json_schema | json_object | text: what the LLM server accepted
    dropped_quotes: Count = 0  # LLM evidence quotes dropped because they do not occur in the transcript
    kind: Literal["star", "opening", "coverage", "view"] = "star"  # which rubric (rubric/kinds.py)
    criteria: list[Criterion] = Field(default_factory=list)  # opening, coverage and view rubrics: what was checked
    topic: Optional[TopicCheck] = None  # None when no question was given


# --- one scored answer ------------------------------------------------------------------------


class AnswerResult(_Model):
    """One line of ``voicemock score --json``; also each answer's ``result`` in session.json."""

    source: str
    question: Optional[str] = None
    transcript: Transcript
    delivery: Delivery
    structure: Optional[Structure] = None
    rubric: Optional[Rubric] = None
    asr_model: Optional[str] = None
    voicemock_version: Optional[str] = None


# --- follow-ups -------------------------------------------------------------------------------


class FollowupCheck(_Model):
    """A follow-up judged against its probe (rubric/followup.py)."""

    probe: str
    asks_for: Literal["outcome", "personal_action", "lesson", "detail"]
    answered: bool  # did it supply what the probe asked for?
    supplies: list[str] = Field(default_factory=list)  # STAR parts (S/T/A/R) its sentences add
    why: str = ""
    quote: Optional[str] = None  # the sentence that answered the probe (else its first sentence)


class CombinedResult(_Model):
    """A question's one result: the main answer and its follow-ups judged together."""

    rubric: Rubric
    structure: Structure  # main answer + follow-ups, labelled as one answer
    followups: Count = 0
    answered: bool = True  # every probe was answered


# --- a saved practice session (session.json) --------------------------------------------------


class SessionAnswer(_Model):
    question_id: str
    question: str
    kind: Literal["main", "followup"] = "main"
    audio: Optional[str] = None  # path relative to the session folder, e.g. "q01.wav"
    started_at: Optional[str] = None  # ISO 8601
    ended_at: Optional[str] = None
    complete: bool = True  # False for an answer cut short by Ctrl-C or a crash
    result: Optional[AnswerResult] = None
    # added by the practice loop (practice/loop.py)
    duration_s: Optional[float] = None  # seconds recorded
    ended_by: Optional[str] = None  # stop (Enter) | max | silence | end_of_file | disk_full | interrupted (Ctrl-C)
    feedback_latency_s: Optional[float] = None  # end of the answer -> feedback ready
    probe_reason: Optional[str] = None  # follow-ups: why this probe ("no measurable result", "bank", ...)
    followup_check: Optional[FollowupCheck] = None  # follow-ups: was the probe answered, what it supplied
    combined: Optional[CombinedResult] = None  # main answers with follow-ups: the question's one result


class Session(_Model):
    schema_version: int = SCHEMA_VERSION
    id: str  # the folder name, e.g. "20261127-101500-amazon"
    bank: str
    started_at: str
    ended_at: Optional[str] = None
    settings: dict = Field(default_factory=dict)
    asr_model: Optional[str] = None
    judge: Optional[str] = None
    answers: list[SessionAnswer] = Field(default_factory=list)
    speaker: Optional[str] = None  # the engine and voice that spoke the questions (or "no speech")
    voicemock_version: Optional[str] = None
    demo: bool = False  # True for `voicemock demo`: the built-in sample, not the user's own practice


# --- coach annotations (annotations.json) -------------------------------------------------------

#: Parts a coach may score, with their ranges (STAR parts 1-5, overall 0-100).
SCORE_RANGES = {"situation": (1, 5), "task": (1, 5), "action": (1, 5), "result": (1, 5), "overall": (0, 100)}


def followups_of(answers: list[SessionAnswer], main: SessionAnswer) -> list[SessionAnswer]:
    """The follow-ups that belong to ``main``: those right after it, up to the next main answer.

    By position, not by question id: a session may ask the same question twice, and each time's
    follow-ups complete that time's answer only."""
    out: list[SessionAnswer] = []
    after = False
    for a in answers:
        if a is main:
            after = True
        elif a.kind == "main":
            if after:
                break
        elif after:
            out.append(a)
    return out


def check_score(part: str, value: int) -> None:
    """ValueError naming the problem when ``part=value`` is not a valid coach score."""
    if part not in SCORE_RANGES:
        raise ValueError(f"unknown score {part!r}; use one of {', '.join(SCORE_RANGES)}")
    lo, hi = SCORE_RANGES[part]
    if not lo <= value <= hi:
        raise ValueError(f"score {part}={value} is out of range {lo}-{hi}")


class Annotation(_Model):
    """One coach note; ``annotations.json`` is a JSON list of these, oldest first."""

    question_id: str
    coach: str
    created_at: str  # ISO 8601, UTC
    note: str = ""
    scores: dict[str, int] = Field(default_factory=dict)  # part -> the coach's score (see SCORE_RANGES)
    #: Which answer: its key ("q01" the main answer, "q01-followup" its follow-up). None (older
    #: notes): the main answer of question_id.
    answer: Optional[str] = None
    #: Times (seconds into the answer) of fillers the coach says are not fillers; history and
    #: progress count the answer's fillers without them (voicemock.sessions.corrections).
    not_fillers: Optional[list[float]] = None

    @field_validator("scores")
    @classmethod
    def _check_scores(cls, v: dict[str, int]) -> dict[str, int]:
        for k, n in v.items():
            check_score(k, n)
        return v


# --- voicemock review --json --------------------------------------------------------------------


class ReviewAnswer(_Model):
    question_id: str
    kind: Literal["main", "followup"]
    audio_found: bool
    judge: str  # who scored it, in words
    auto_scores: dict[str, int] = Field(default_factory=dict)
    coach_scores: dict[str, int] = Field(default_factory=dict)
    probe: Optional[str] = None  # follow-ups: the probe asked
    probe_answered: Optional[bool] = None  # follow-ups: did the answer give what the probe asked for
    question_score: Optional[int] = None  # the question's one score (main answer + follow-ups together)
    #: Fillers counted after the coach's ``--not-filler`` corrections (None: not scored).
    filler_count: Optional[int] = None
    #: Start times (s) of the detected fillers the coach marked as not fillers.
    not_fillers: list[float] = Field(default_factory=list)


class ReviewDocument(_Model):
    """What ``voicemock review --json`` prints: the session as saved, plus notes and problems."""

    session: Session
    folder: str
    problems: list[str] = Field(default_factory=list)
    annotations: list[Annotation] = Field(default_factory=list)
    answers: list[ReviewAnswer] = Field(default_factory=list)


# --- schema files in docs/ ----------------------------------------------------------------------

SCHEMA_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "score.schema.json": ("voicemock score result", AnswerResult),
    "session.schema.json": ("voicemock session.json", Session),
    "annotations.schema.json": ("voicemock annotations.json (a list of notes)", Annotation),
    "review.schema.json": ("voicemock review --json", ReviewDocument),
}


def schemas() -> dict[str, dict]:
    """File name in ``docs/`` -> its JSON Schema (the bank format's included)."""
    out = {}
    for name, (title, model) in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        if name == "annotations.schema.json":
            schema = {"type": "array", "items": schema}
        out[name] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
    from .banks import bank_json_schema

    out["bank.schema.json"] = bank_json_schema()
    return out


def schema_text(schema: dict) -> str:
    import json

    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder) -> list:
    """Write every schema into ``folder``; return the paths written."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def _main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m voicemock.models",
                                     description="Write the JSON Schemas of voicemock's files into docs/.")
    parser.add_argument("--write-schemas", metavar="DIR", nargs="?", const="docs", default=None,
                        help="folder to write into (default: docs)")
    args = parser.parse_args(argv)
    if args.write_schemas is None:
        parser.print_help()
        return 2
    for path in write_schemas(Path(args.write_schemas)):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
