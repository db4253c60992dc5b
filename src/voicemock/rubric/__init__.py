"""Rubric judges: the deterministic offline judge (default) and the LLM judge.

    options = JudgeOptions.from_config(load_config(), judge="llm", base_url=..., model=...)
    judge = make_judge(options)
    rubric = judge_answer(judge, question=q, transcript=t, structure=s, delivery=d)

``judge_answer`` never raises for an LLM failure: it falls back to the offline rubric with
``judge: "offline"`` and the reason in ``llm_error``. The openai package is imported only when
an LLM judge is actually used.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..errors import ConfigError, JudgeError
from ..models import Rubric
from .offline import offline_rubric

if TYPE_CHECKING:  # pragma: no cover
    from ..banks import Question
    from ..config import Config
    from ..models import Delivery, Structure, Transcript

log = logging.getLogger(__name__)

JUDGES = ("offline", "llm")

__all__ = ["JUDGES", "Judge", "JudgeOptions", "OfflineJudge", "judge_answer", "make_judge", "offline_rubric"]


def redact_url(url: str | None) -> str | None:
    """``url`` without credentials: a user and password ("http://alice:pw@host/v1") and the query
    ("?token=...") become "***", wherever the URL is shown or stored."""
    if not url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"***@{host}" if "@" in parts.netloc else host
    return urlunsplit((parts.scheme, netloc, parts.path, "***" if parts.query else "", "***" if parts.fragment else ""))


@dataclass
class JudgeOptions:
    """How to grade. The API key is kept out of repr, equality and every serialised form."""

    kind: str = "offline"  # "offline" | "llm"
    base_url: str | None = None  # None: OpenAI itself
    model: str | None = None  # None: the server's first model (or gpt-4o-mini on OpenAI)
    timeout_s: float = 60.0
    max_retries: int = 1
    seed: int = 7
    max_tokens: int = 600
    backoff_s: float = 0.5  # first wait before a retry
    retry_after_cap_s: float = 10.0  # longest Retry-After honoured
    remember_formats: bool = True  # also remember accepted response formats in <home>/llm_formats.json
    api_key: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in JUDGES:
            raise ConfigError(f"judge {self.kind!r} is not known; use one of: {', '.join(JUDGES)}")
        if self.timeout_s <= 0:
            raise ConfigError(f"llm_timeout_s must be positive, not {self.timeout_s}")
        if self.api_key is not None:
            # a key read from a Windows-edited file keeps its "\r"; the HTTP library then refused the
            # header and its message, with the whole key in it, reached the terminal and session.json
            self.api_key = self.api_key.strip() or None
            if self.api_key and not re.fullmatch(r"[\x21-\x7e]+", self.api_key):
                raise ConfigError("OPENAI_API_KEY holds spaces, control or non-ASCII characters; set it to the key alone")
        if self.base_url is not None and not re.match(r"https?://", self.base_url, re.I):
            raise ConfigError(f"the LLM base URL must start with http:// or https://, not {redact_url(self.base_url)!r}")

    def describe(self) -> dict:
        """The options without the key or any credential in the URL, e.g. for a session's settings."""
        return {"judge": self.kind, "llm_base_url": redact_url(self.base_url), "llm_model": self.model}

    @classmethod
    def from_config(cls, config: Config | None = None, *, judge: str | None = None,
                    base_url: str | None = None, model: str | None = None,
                    timeout_s: float | None = None, env: Mapping[str, str] | None = None) -> JudgeOptions:
        """CLI flags over config.toml over the environment (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL)."""
        env = os.environ if env is None else env
        kind = judge or (config.judge if config else None) or "offline"
        return cls(
            kind=kind,
            base_url=base_url or (config.llm_base_url if config else None) or env.get("OPENAI_BASE_URL") or None,
            model=model or (config.llm_model if config else None) or env.get("OPENAI_MODEL") or None,
            timeout_s=timeout_s or (config.llm_timeout_s if config else 60.0),
            api_key=env.get("OPENAI_API_KEY") or None,
        )


class Judge(Protocol):
    def judge(self, question: Question | str | None, transcript: Transcript,
              structure: Structure, delivery: Delivery | None) -> Rubric: ...


class OfflineJudge:
    """The deterministic rubric of :mod:`voicemock.rubric.offline`."""

    def judge(self, question, transcript, structure, delivery) -> Rubric:
        return offline_rubric(structure, delivery, question)


def _add_topic(rubric: Rubric, question: Question | str | None, structure: Structure) -> None:
    from ..targets import OFF_TOPIC_SCORE_CAP
    from .kinds import question_info
    from .topic import check_topic

    info = question_info(question)
    rubric.kind = info.kind  # type: ignore[assignment]
    rubric.topic = check_topic(info, " ".join(s.text for s in structure.sentences), structure)
    if rubric.topic is not None and not rubric.topic.on_topic:
        rubric.overall = min(rubric.overall, OFF_TOPIC_SCORE_CAP)
        rubric.feedback = [f'This does not answer the question "{info.text}": {rubric.topic.why}.'] + rubric.feedback[:2]


def make_judge(options: JudgeOptions) -> Judge:
    if options.kind == "llm":
        from .llm import LLMJudge

        return LLMJudge(options)
    return OfflineJudge()


def judge_answer(judge: Judge, *, question: Question | str | None, transcript: Transcript,
                 structure: Structure, delivery: Delivery | None = None) -> Rubric:
    """Grade one answer. An LLM failure falls back to the offline rubric with ``llm_error`` set.

    An LLM's grade also gets the offline topic check: an answer off its question is capped and
    told so first, whoever graded it."""
    try:
        rubric = judge.judge(question, transcript, structure, delivery)
        if rubric.judge == "llm":
            _add_topic(rubric, question, structure)
        return rubric
    except JudgeError as exc:
        reason = str(exc)
    except Exception as exc:  # a bug or an unexpected client error must not lose the answer
        log.info("the LLM judge failed unexpectedly (%s); using the offline judge", type(exc).__name__, exc_info=True)
        reason = f"unexpected {type(exc).__name__} in the LLM judge"
    log.info("%s; falling back to the offline judge", reason)  # the result says so (llm_error)
    rubric = offline_rubric(structure, delivery, question)
    rubric.llm_error = reason
    return rubric
