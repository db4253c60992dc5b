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
from ..targets import is_better


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
    from ..sessions.resolve import open_session

    loaded = open_session(session_spec, dirs)
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
    assert last.result is not None
    return RetryTarget(loaded.session.bank, qid, last.result, loaded.folder, last.question)


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
        m["result_present"] = (float(s.parts.result.present), "higher")
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
        out.append(Change(key, b, a, is_better(direction, b, a)))
    return out


def describe(changes: list[Change]) -> list[str]:
    """One line per metric that was measured both times, e.g. ``overall: 60 -> 72 (+12, better)``."""
    lines = []
    for c in changes:
        if c.before is None or c.after is None:
            continue
        verdict = {True: "better", False: "worse", None: "same"}[c.better]
        delta = f"{c.delta:+g}, " if c.delta else ""
        lines.append(f"{c.metric}: {c.before:g} -> {c.after:g} ({delta}{verdict})")
    return lines


def record_retry(folder: Path, session, target: RetryTarget, spec: str) -> list[Change] | None:
    """Compare the session's first scored main answer with ``target.previous``, store the
    comparison in the session's settings (``retry_of``, ``retry_changes``) and save it.
    None when the retry produced no scored answer."""
    from ..sessions.write import save_session

    new = next((a for a in session.answers if a.kind == "main" and a.result is not None), None)
    if new is None:
        return None
    changes = compare(target.previous, new.result)
    session.settings["retry_of"] = spec
    session.settings["retry_changes"] = [c.as_dict() for c in changes]
    save_session(folder, session)
    return changes
