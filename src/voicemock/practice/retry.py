"""``voicemock practice --retry SESSION:QID``: find the earlier attempt, then compare the new one.

``find_retry`` resolves ``SESSION`` (an id, a folder, its session.json or a zip:
:mod:`voicemock.sessions.resolve`) and returns the bank, the question id and the last
main answer to that question. ``compare`` lists the change of each metric between two results,
saying whether it got better.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import SessionError
from ..models import AnswerResult
from ..targets import PACE_RANGE, TREND_STEP, is_better, pace_verdict


@dataclass
class RetryTarget:
    bank: str
    question_id: str
    previous: AnswerResult
    folder: Path
    question: str


def find_retry(spec: str, dirs: Iterable[Path] | None = None) -> RetryTarget:
    """``"SESSION:QID"`` -> the bank, the question id and the previous result for that question."""
    session_spec, sep, qid = spec.rpartition(":")
    if not sep or not session_spec or not qid:
        raise SessionError(f"--retry {spec!r}: use SESSION:QID, e.g. 20261127-101500-amazon:ownership-1")
    if dirs is None:
        from ..config import load_config

        dirs = [load_config().recordings_path()]
    from ..sessions.annotations import load_annotations, with_coach_scores
    from ..sessions.resolve import open_session

    loaded = open_session(session_spec, dirs)
    loaded.session = with_coach_scores(loaded.session, load_annotations(loaded.folder)[0])  # the coach's word counts
    answers = [a for a in loaded.session.answers if a.question_id == qid]
    if not answers:
        ids = ", ".join(dict.fromkeys(a.question_id for a in loaded.session.answers)) or "(none)"
        raise SessionError(f"session {loaded.session.id} has no answer to {qid!r}; its questions: {ids}")
    scored = [a for a in answers if a.result is not None]
    if not scored:
        raise SessionError(f"session {loaded.session.id}: the answer to {qid!r} has no readable result "
                           f"({'; '.join(loaded.problems) or 'not scored'})")
    main = [a for a in scored if a.kind == "main"] or scored
    last = main[-1]
    return RetryTarget(loaded.session.bank, qid, question_result(last), loaded.folder, last.question)


def question_result(answer) -> AnswerResult:
    """The answer's result with the question's score: its follow-ups' combined rubric and
    structure when it has them (what a retry is compared on)."""
    assert answer.result is not None
    result = answer.result.model_copy(deep=True)
    if answer.combined is not None:
        result.rubric, result.structure = answer.combined.rubric, answer.combined.structure
    return result


@dataclass
class Change:
    metric: str
    before: float | None
    after: float | None
    better: bool | None  # None: unchanged or not comparable

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)

    def as_dict(self) -> dict:
        return {"metric": self.metric, "before": self.before, "after": self.after,
                "delta": self.delta, "better": self.better}


def _metrics(r: AnswerResult) -> dict[str, tuple[float | None, str]]:
    d, s, rub = r.delivery, r.structure, r.rubric
    m: dict[str, tuple[float | None, str]] = {
        "overall": (rub.overall if rub else None, "higher"),
        "words_per_minute": (d.words_per_minute, "range"),
        "fillers_per_minute": (d.fillers_per_minute, "lower"),
        "filler_count": (d.filler_count, "lower"),
        "long_pause_count": (d.long_pause_count, "lower"),
        "lead_in_s": (d.lead_in_s, "lower"),
    }
    if rub:
        for part in ("situation", "task", "action", "result"):
            m[f"star_{part}"] = (getattr(rub.star, part), "higher")
    if s:
        m["situation_share"] = (s.parts.situation.share, "lower")
        m["result_present"] = (float(not s.missing_result), "higher")
        m["has_metric"] = (float(s.has_metric), "higher")
        tot = s.ownership.i + s.ownership.we
        m["i_share"] = (round(s.ownership.i / tot, 2) if tot else None, "higher")
    return m


def compare(previous: AnswerResult, new: AnswerResult) -> list[Change]:
    """Each metric before and after, and whether it improved (pace: :func:`~voicemock.targets.closer_to_target`)."""
    before, after = _metrics(previous), _metrics(new)
    out = []
    for key, (b, direction) in before.items():
        a = after.get(key, (None, direction))[0]
        out.append(Change(key, b, a, is_better(direction, b, a, TREND_STEP.get(key, 0.0))))
    return out


#: How each compared metric is said: its name and how a value is written.
_WORDS: dict[str, tuple[str, str]] = {
    "overall": ("score", "{:.0f}"),
    "words_per_minute": ("pace", "{:.0f} words/min"),
    "fillers_per_minute": ("fillers", "{:.1f} a minute"),
    "filler_count": ("filler words", "{:.0f}"),
    "long_pause_count": ("long pauses", "{:.0f}"),
    "lead_in_s": ("time to the first word", "{:.1f} s"),
    "star_situation": ("situation", "{:.0f}/5"),
    "star_task": ("task", "{:.0f}/5"),
    "star_action": ("action", "{:.0f}/5"),
    "star_result": ("result", "{:.0f}/5"),
    "situation_share": ("time on the situation", "{:.0%}"),
    "result_present": ("result stated", "{}"),
    "has_metric": ("result with a number", "{}"),
    "i_share": ("'I' in your actions", "{:.0%}"),
}


def _say(key: str, value: float) -> str:
    pattern = _WORDS.get(key, (key, "{:g}"))[1]
    if pattern == "{}":
        return "yes" if value else "no"
    return pattern.format(value)


def describe(changes: list[Change]) -> list[str]:
    """One plain line per metric measured both times, e.g. ``score 60 -> 72: better`` or
    ``pace 136 -> 195 words/min: faster than the 120-160 range``."""
    lines = []
    for c in changes:
        if c.before is None or c.after is None:
            continue
        name = _WORDS.get(c.metric, (c.metric, ""))[0]
        before, after = _say(c.metric, c.before), _say(c.metric, c.after)
        unit = ""
        if c.metric == "words_per_minute":  # "136 -> 195 words/min"
            before, unit = before.split(" ", 1)[0], " words/min"
            after = after.split(" ", 1)[0]
        verdict = {True: "better", False: "worse", None: "same"}[c.better]
        if c.metric == "words_per_minute" and pace_verdict(c.after) != "ok":
            lo, hi = PACE_RANGE
            side = "faster" if pace_verdict(c.after) == "fast" else "slower"
            verdict = f"{side} than the {lo:.0f}-{hi:.0f} range" + ("" if c.better is None else f" ({verdict})")
        elif c.metric == "words_per_minute":
            verdict = f"inside the {PACE_RANGE[0]:.0f}-{PACE_RANGE[1]:.0f} range" + (
                "" if c.better is None else f" ({verdict})")
        lines.append(f"{name} {before} -> {after}{unit}: {verdict}")
    return lines


def record_retry(folder: Path, session, target: RetryTarget, spec: str) -> list[Change] | None:
    """Compare the session's first scored main answer with ``target.previous``, store the
    comparison in the session's settings (``retry_of``, ``retry_changes``) and save it.
    None when the retry produced no scored answer."""
    from ..sessions.write import save_session

    new = next((a for a in session.answers if a.kind == "main" and a.result is not None), None)
    if new is None:
        return None
    changes = compare(target.previous, question_result(new))
    session.settings["retry_of"] = spec
    session.settings["retry_changes"] = [c.as_dict() for c in changes]
    save_session(folder, session)
    return changes
