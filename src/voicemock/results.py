"""The result contract: what ``voicemock score`` prints and what ``session.json`` stores.

These pydantic models *are* the documented JSON (``docs/score.schema.json`` and
``docs/session.schema.json`` are generated from them). Field names are a contract:
add fields freely, never rename or remove one.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- transcript (asr) ---------------------------------------------------------------------------


class Word(_Model):
    word: str
    start: Optional[float] = None  # seconds from the start of the recording; None for .txt input
    end: Optional[float] = None
    probability: Optional[float] = None


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
    count: int = 2  # how many times in a row it was said
    start: Optional[float] = None
    end: Optional[float] = None


class Delivery(_Model):
    words_per_minute: Optional[float] = None  # words / whole answer duration (first word to last word)
    fillers: list[Filler] = Field(default_factory=list)
    filler_count: int = 0
    fillers_per_minute: Optional[float] = None
    pauses: list[Pause] = Field(default_factory=list)  # silences of pause_threshold_s (1 s) or more
    long_pause_count: int = 0
    longest_pause_s: Optional[float] = None
    lead_in_s: Optional[float] = None
    # added by the delivery analysis (scoring/delivery.py); see docs/scoring.md
    word_count: int = 0
    speaking_words_per_minute: Optional[float] = None  # words / time actually speaking (VAD)
    speaking_time_s: Optional[float] = None
    answer_duration_s: Optional[float] = None  # first sound to last word
    pause_threshold_s: float = 1.0
    duration_target_s: Optional[list[float]] = None  # [min, max] for the question kind
    duration_verdict: Optional[Literal["short", "ok", "long"]] = None
    hedges: list[Hedge] = Field(default_factory=list)
    hedge_count: int = 0
    repetitions: list[Repetition] = Field(default_factory=list)
    repetition_count: int = 0
    acoustic_fillers: bool = False  # True when audio was available for acoustic filler detection


# --- structure (STAR) -------------------------------------------------------------------------

Label = Literal["S", "T", "A", "R", "O"]


class Sentence(_Model):
    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    label: Label


class PartInfo(_Model):
    present: bool = False
    share: float = 0.0  # fraction of the answer's words in this part, 0..1


class Parts(_Model):
    situation: PartInfo = Field(default_factory=PartInfo)
    task: PartInfo = Field(default_factory=PartInfo)
    action: PartInfo = Field(default_factory=PartInfo)
    result: PartInfo = Field(default_factory=PartInfo)


class Ownership(_Model):
    i: int = 0  # first-person singular mentions in action sentences
    we: int = 0  # first-person plural mentions in action sentences


class Structure(_Model):
    sentences: list[Sentence] = Field(default_factory=list)
    parts: Parts = Field(default_factory=Parts)
    ownership: Ownership = Field(default_factory=Ownership)
    has_metric: bool = False
    specific_story: bool = False
    # added by the STAR analysis (scoring/star.py); see docs/rubric.md
    missing_result: bool = False  # no sentence labelled R
    missing_personal_action: bool = False  # no action sentence in the first person singular
    hypothetical_sentences: list[int] = Field(default_factory=list)  # indexes into sentences
    balance: str = "balanced"  # balanced | situation_heavy | action_light | too_short | empty
    feedback: list[str] = Field(default_factory=list)  # up to 3 suggestions, each quoting a sentence


# --- rubric -----------------------------------------------------------------------------------


class StarScores(_Model):
    situation: int = Field(ge=1, le=5)
    task: int = Field(ge=1, le=5)
    action: int = Field(ge=1, le=5)
    result: int = Field(ge=1, le=5)


class Evidence(_Model):
    part: str
    quote: str


class Rubric(_Model):
    judge: Literal["offline", "llm"]
    prompt_version: str
    overall: int = Field(ge=0, le=100)
    star: StarScores
    feedback: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    model: Optional[str] = None  # the LLM's model name; None for the offline judge
    llm_error: Optional[str] = None  # why the LLM judge was not used, when it was asked for
    # added by the rubric (rubric/); see docs/rubric.md
    response_format: Optional[str] = None  # json_schema | json_object | text: what the LLM server accepted
    dropped_quotes: int = 0  # LLM evidence quotes dropped because they do not occur in the transcript


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
    # added by the practice loop (session.py)
    duration_s: Optional[float] = None  # seconds recorded
    ended_by: Optional[str] = None  # stop (Enter) | max | silence | end_of_file | disk_full
    feedback_latency_s: Optional[float] = None  # end of the answer -> feedback ready
    probe_reason: Optional[str] = None  # follow-ups: why this probe ("no measurable result", "bank", ...)


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
    speaker: Optional[str] = None  # pyttsx3 | silent (practice loop)
    voicemock_version: Optional[str] = None
