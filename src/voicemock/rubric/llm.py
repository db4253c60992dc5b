"""The LLM judge: any OpenAI-compatible chat server (OpenAI, Ollama, llama.cpp, vLLM, LM Studio).

Protocol, step by step:

- One ``openai.OpenAI`` client with the client's own retries off (``max_retries=0``); the
  retries here are explicit: 429 (after ``Retry-After``, capped, or an exponential backoff),
  5xx, a refused connection and an invalid reply are retried ``max_retries`` times (1 by
  default). A timeout, 401/403 and 404 are not retried: they would only fail again.
- Response formats, best first: ``json_schema`` -> ``json_object`` -> plain text with the JSON
  object cut out of the reply. A format the server refuses (HTTP 400/422/500/501, e.g.
  llama-cpp-python answers ``json_schema`` with 500) moves one step down the chain. With a
  base URL, ``json_object`` also carries the schema (llama-cpp-python turns it into a grammar,
  so even a tiny model replies in shape; other servers ignore the extra key). What a
  server accepted is remembered per (base_url, model) in memory and in
  ``<home>/llm_formats.json``.
- Temperature 0 and a fixed seed. The reply must fit :class:`prompts.Verdict`: a score out of
  range is an invalid reply (retried, then a failure), never clamped.
- Every evidence quote must occur in the transcript (normalised; fuzzy, difflib ratio >= 0.85
  over a sliding window of words); quotes that do not are dropped and counted.

Every failure raises :class:`JudgeError` with a message that says why; ``judge_answer`` turns
that into the offline rubric with ``llm_error`` set. The API key is passed to the client and
nowhere else: it is not in the options' repr, and it is scrubbed from every error message.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import threading
import time
from typing import TYPE_CHECKING, Any

from ..errors import JudgeError
from ..fileio import atomic_write_text
from ..models import Evidence, Rubric, StarScores
from . import redact_url
from .prompts import PROMPT_VERSION, Verdict, build_messages, verdict_json_schema

if TYPE_CHECKING:  # pragma: no cover
    from ..banks import Question
    from ..models import Delivery, Structure, Transcript
    from . import JudgeOptions

log = logging.getLogger(__name__)

FORMATS = ("json_schema", "json_object", "text")
#: A verdict is a few hundred bytes; a reply larger than this is refused while it arrives.
MAX_REPLY_BYTES = 256 * 1024
#: Longest feedback line kept from an LLM (longer ones are cut at a word).
MAX_FEEDBACK_CHARS = 400
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
QUOTE_MATCH_RATIO = 0.85
_FORMAT_REFUSED = {400, 422, 500, 501}
_ACCEPTED: dict[str, str] = {}  # "base_url|model" -> response format the server accepted


# --- remembering what a server accepts ------------------------------------------------------


def _key(base_url: str | None, model: str) -> str:
    return f"{redact_url(base_url) or 'openai'}|{model}"


def _cache_file():
    from ..config import home_dir

    return home_dir() / "llm_formats.json"


def remembered_format(base_url: str | None, model: str, use_file: bool = True) -> str | None:
    key = _key(base_url, model)
    if key in _ACCEPTED:
        return _ACCEPTED[key]
    if use_file:
        try:
            fmt = json.loads(_cache_file().read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError, AttributeError):
            return None
        if fmt in FORMATS:
            _ACCEPTED[key] = fmt
            return fmt
    return None


def remember_format(base_url: str | None, model: str, fmt: str, use_file: bool = True) -> None:
    key = _key(base_url, model)
    if _ACCEPTED.get(key) == fmt:
        return
    _ACCEPTED[key] = fmt
    if not use_file:
        return
    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(data, dict):
            data = {}
        data[key] = fmt
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(data, indent=1, sort_keys=True))
    except (OSError, ValueError) as exc:  # a cache, not a requirement
        log.debug("cannot write %s: %s", path, exc)


# --- checking the reply ----------------------------------------------------------------------


def extract_json(text: str) -> Any:
    """The JSON object in a reply: the whole reply, or the span from the first '{' to the last '}'."""
    t = text.strip()
    # a fenced reply: strip the fences by hand (the regex for it backtracked for 98 s over a
    # 256 kB reply of spaces)
    if t.startswith("```"):
        t = t[3:].removeprefix("json").lstrip()
    if t.endswith("```"):
        t = t[:-3].rstrip()
    try:
        return json.loads(t)
    except ValueError:
        pass
    a, b = t.find("{"), t.rfind("}")
    if a < 0 or b <= a:
        raise ValueError("the reply contains no JSON object")
    try:
        return json.loads(t[a : b + 1])
    except ValueError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc})") from None


def parse_verdict(text: str | None) -> Verdict:
    """Validate a reply; raises ValueError saying what is wrong (out-of-range scores included)."""
    if not text:
        raise ValueError("the reply is empty")
    obj = extract_json(text)
    if not isinstance(obj, dict):
        raise ValueError("the reply is JSON but not an object")
    from pydantic import ValidationError

    try:
        return Verdict.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise ValueError(f"the reply does not fit the rubric: {where}: {first['msg']}") from None


def _norm(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower().replace("\u2019", "'")).split()


#: At most this many stretches of the transcript are compared character by character with one
#: quote (those sharing most of its words): a quote in no stretch of a 750-word answer once cost
#: 12.6 s, twenty of them minutes, after the LLM had replied.
QUOTE_WINDOWS_MAX = 24


def quote_in_transcript(quote: str, transcript: str, ratio: float = QUOTE_MATCH_RATIO) -> bool:
    """True when the quote occurs in the transcript, allowing for small differences."""
    import numpy as np

    q, t = _norm(quote), _norm(transcript)
    if not q or not t:
        return False
    qs = " ".join(q)
    if f" {qs} " in f" {' '.join(t)} ":
        return True
    n = len(q)
    vocab = set(q)
    shared = np.concatenate([[0], np.cumsum([w in vocab for w in t])])  # words of the quote up to each position
    windows = []
    for size in sorted({max(1, n - 2), max(1, n - 1), n, n + 1, n + 2}):
        starts = np.arange(0, max(1, len(t) - size + 1))
        ends = np.minimum(starts + size, len(t))
        windows += [(int(c), int(i), size) for c, i in zip(shared[ends] - shared[starts], starts)]
    windows.sort(key=lambda w: (-w[0], w[1], w[2]))
    for common, i, size in windows[:QUOTE_WINDOWS_MAX]:
        if common < ratio * n - 2:  # too few of the quote's words to be it
            break
        sm = difflib.SequenceMatcher(None, qs, " ".join(t[i : i + size]), autojunk=False)
        if sm.real_quick_ratio() >= ratio and sm.quick_ratio() >= ratio and sm.ratio() >= ratio:
            return True
    return False


# --- the judge -------------------------------------------------------------------------------


class _Retry(Exception):
    def __init__(self, reason: str, delay: float) -> None:
        super().__init__(reason)
        self.delay = delay


class LLMJudge:
    """Grades with an OpenAI-compatible server; raises JudgeError on any failure."""

    def __init__(self, options: JudgeOptions) -> None:
        self.options = options
        self._client: Any = None  # openai.OpenAI, made on first use
        self.model: str | None = options.model
        #: why the server is taken for down (it timed out or refused the connection): later answers
        #: of the same run are not sent to it (``score`` of ten files waited the timeout ten times)
        self.down: str | None = None

    def __repr__(self) -> str:
        return f"LLMJudge(base_url={redact_url(self.options.base_url)!r}, model={self.model!r})"

    # where: used in every error message
    @property
    def where(self) -> str:
        return f"LLM judge ({self.model or 'model?'} at {redact_url(self.options.base_url) or 'api.openai.com'})"

    def _scrub(self, text: str) -> str:
        key = self.options.api_key
        if key and len(key) >= 4:
            text = text.replace(key, "***").replace(repr(key)[1:-1], "***")
        url = self.options.base_url
        if url:
                text = text.replace(url, redact_url(url) or "")
        return re.sub(r"(sk-[A-Za-z0-9_\-]{2})[A-Za-z0-9_\-*]{6,}", r"\1***", text)

    def _fail(self, reason: str) -> JudgeError:
        return JudgeError(self._scrub(f"{self.where}: {reason}"))

    def client(self):
        if self._client is None:
            try:
                import openai
            except ImportError as exc:  # pragma: no cover - a dependency
                raise JudgeError(f"the openai package is missing ({exc}); pip install openai") from None
            o = self.options
            if not o.base_url and not o.api_key:
                raise self._fail("no OPENAI_API_KEY and no base URL: set OPENAI_API_KEY, or "
                                 "--llm-base-url / OPENAI_BASE_URL for a local server")
            self._client = openai.OpenAI(base_url=o.base_url, api_key=o.api_key or "not-needed",
                                         timeout=o.timeout_s, max_retries=0)
        return self._client

    def resolve_model(self) -> str:
        if self.model:
            return self.model
        if not self.options.base_url:
            self.model = DEFAULT_OPENAI_MODEL
            return self.model
        try:
            models = [m.id for m in self.client().models.list()]
        except Exception as exc:
            raise self._fail(f"cannot list the server's models ({type(exc).__name__}); pass --llm-model") from None
        if not models:
            raise self._fail("the server lists no models; pass --llm-model")
        self.model = models[0]
        return self.model

    def judge(self, question: Question | str | None, transcript: Transcript,
              structure: Structure, delivery: Delivery | None) -> Rubric:
        if self.down:
            raise self._fail(f"not asked: it did not answer for an earlier answer ({self.down})")
        model = self.resolve_model()
        if not transcript.text.strip():
            raise self._fail("the transcript is empty; nothing to grade")
        messages = build_messages(question, transcript.text, delivery)
        verdict, fmt = self._ask(model, messages)
        evidence, dropped = [], 0
        for item in verdict.evidence:
            if quote_in_transcript(item.quote, transcript.text):
                evidence.append(Evidence(part=item.part, quote=item.quote.strip()))
            else:
                dropped += 1
                log.info("dropped an evidence quote not found in the transcript: %r", item.quote[:80])
        feedback = [_cut(f.strip(), MAX_FEEDBACK_CHARS) for f in verdict.feedback if f.strip()][:3]
        return Rubric(
            judge="llm", prompt_version=PROMPT_VERSION, model=model, overall=verdict.overall,
            star=StarScores(situation=verdict.situation, task=verdict.task, action=verdict.action,
                            result=verdict.result),
            feedback=feedback, evidence=evidence, response_format=fmt, dropped_quotes=dropped,
        )

    # --- the request loop ---

    def _ask(self, model: str, messages: list[dict]) -> tuple[Verdict, str]:
        """Try formats and retries within one wall-clock deadline (``timeout_s`` for the whole call)."""
        o = self.options
        deadline = time.monotonic() + o.timeout_s
        start = remembered_format(o.base_url, model, o.remember_formats) or FORMATS[0]
        formats = list(FORMATS[FORMATS.index(start):])
        retries = o.max_retries
        attempt = 0
        while True:
            fmt = formats[0]
            try:
                content = self._once(model, messages, fmt, deadline)
                remember_format(o.base_url, model, fmt, o.remember_formats)  # the server took it
                try:
                    return parse_verdict(content), fmt
                except ValueError as exc:
                    raise _Retry(f"invalid reply: {exc}", 0.0) from None
            except _Retry as r:
                if retries <= 0 or time.monotonic() + r.delay >= deadline:
                    if str(r).startswith("cannot connect"):
                        self.down = "cannot connect"
                    raise self._fail(f"{r} (gave up after {attempt + 1} attempts)") from None
                retries -= 1
                attempt += 1
                log.info("%s: %s; retrying in %.1f s", self.where, r, r.delay)
                time.sleep(r.delay)
                continue
            except _FormatRefused as r:
                log.info("%s: response format %s refused (%s); trying %s", self.where, fmt, r,
                         formats[1] if len(formats) > 1 else "nothing")
                formats.pop(0)
                attempt += 1

    def _once(self, model: str, messages: list[dict], fmt: str, deadline: float) -> str | None:
        """One request, bounded by ``deadline`` however slowly the server answers.

        The request runs in a daemon thread that reads the reply in pieces (stopping at the
        deadline or past :data:`MAX_REPLY_BYTES`); the caller waits for it until the deadline, so a
        server trickling one byte at a time cannot hold the answer hostage."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timeout()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["content"] = self._request(model, messages, fmt, deadline)
            except BaseException as exc:  # handed to the caller
                box["error"] = exc

        worker = threading.Thread(target=work, name="voicemock-llm", daemon=True)
        worker.start()
        worker.join(remaining + 0.5)
        if worker.is_alive():
            raise self._timeout()
        if "error" in box:
            raise box["error"]
        return box.get("content")

    def _timeout(self) -> JudgeError:
        self.down = f"no complete answer within {self.options.timeout_s:g} s"
        return self._fail(f"no complete answer within {self.options.timeout_s:g} s (timeout)")

    def _request(self, model: str, messages: list[dict], fmt: str, deadline: float) -> str | None:
        """The HTTP request; the reply's text. Raises _Retry, _FormatRefused or JudgeError."""
        import openai

        o = self.options
        kwargs: dict[str, Any] = dict(model=model, messages=messages, temperature=0, seed=o.seed,
                                      max_tokens=o.max_tokens, timeout=max(0.1, deadline - time.monotonic()))
        if fmt == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "star_rubric", "schema": verdict_json_schema(), "strict": True}}
        elif fmt == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
            if o.base_url:  # llama.cpp-style servers turn the schema into a grammar; others ignore it
                kwargs["response_format"]["schema"] = verdict_json_schema()
        try:
            with self.client().chat.completions.with_streaming_response.create(**kwargs) as resp:
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > MAX_REPLY_BYTES:
                        raise self._fail(f"the reply is larger than {MAX_REPLY_BYTES // 1024} KB; refusing it")
                    if time.monotonic() > deadline:
                        raise self._timeout()
        except openai.APITimeoutError:
            raise self._timeout() from None
        except openai.APIConnectionError as exc:
            raise _Retry(f"cannot connect ({self._scrub(str(exc.__cause__ or exc))[:120]})", o.backoff_s) from None
        except openai.AuthenticationError:
            raise self._fail("the server rejected the API key (HTTP 401); check OPENAI_API_KEY") from None
        except openai.PermissionDeniedError:
            raise self._fail("access denied (HTTP 403); check the API key's permissions") from None
        except openai.NotFoundError:
            raise self._fail(f"model or endpoint not found (HTTP 404); check --llm-model {model!r} "
                             "and the base URL (it usually ends in /v1)") from None
        except openai.RateLimitError as exc:
            raise _Retry("rate limited (HTTP 429)", self._retry_after(exc)) from None
        except openai.APIStatusError as exc:
            code = exc.status_code
            if code in _FORMAT_REFUSED and fmt != "text":
                raise _FormatRefused(f"HTTP {code}") from None
            if code >= 500:
                raise _Retry(f"server error (HTTP {code})", o.backoff_s) from None
            raise self._fail(f"the server refused the request (HTTP {code}: "
                             f"{self._scrub(str(exc.message))[:160]})") from None
        return _reply_text(bytes(body))

    def _retry_after(self, exc) -> float:
        o = self.options
        delay = o.backoff_s * 2
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            if value is None:
                continue
            try:
                delay = float(value) * scale
                break
            except ValueError:
                continue
        return max(0.0, min(delay, o.retry_after_cap_s))


class _FormatRefused(Exception):
    pass


def _reply_text(body: bytes) -> str | None:
    """``choices[0].message.content`` of a chat completion body (None when it has none)."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
        return data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        return None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"
