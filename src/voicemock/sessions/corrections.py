"""Coach corrections of detected fillers: ``voicemock annotate ... --not-filler 12.4``.

A correction names a time; the filler of that answer whose span is nearest to it (within
:data:`NOT_FILLER_TOLERANCE_S`) is taken out of the count. The recording and ``session.json``
never change: the history index (and so ``history`` and ``progress``) applies the corrections
when it summarises a session, and ``review`` counts and shows the answer as corrected.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import SessionError
from ..models import Annotation, Delivery, Filler, Session, SessionAnswer

#: A correction applies to the filler whose span is this close to its time (seconds).
NOT_FILLER_TOLERANCE_S = 0.5


def _gap(t: float, f: Filler) -> float:
    start = f.start if f.start is not None else t
    end = f.end if f.end is not None else start
    return max(0.0, start - t, t - end)


def rejected_indices(delivery: Delivery, not_fillers: list[float]) -> set[int]:
    """Positions in ``delivery.fillers`` of the counted fillers the coach marked wrong: for each
    time, the nearest one within :data:`NOT_FILLER_TOLERANCE_S` not already taken."""
    fillers = delivery.fillers
    wrong: set[int] = set()
    for t in not_fillers:
        near = [(k, _gap(t, f)) for k, f in enumerate(fillers) if k not in wrong and f.start is not None
                and f.confidence >= delivery.filler_confidence_min and _gap(t, f) <= NOT_FILLER_TOLERANCE_S]
        if near:
            wrong.add(min(near, key=lambda kv: kv[1])[0])
    return wrong


def rejected_fillers(delivery: Delivery, not_fillers: list[float]) -> list[Filler]:
    """The counted fillers the coach marked wrong, in time order."""
    return [delivery.fillers[k] for k in sorted(rejected_indices(delivery, not_fillers))]


def corrected_delivery(delivery: Delivery, not_fillers: list[float]) -> Delivery:
    """``delivery`` with the named fillers marked wrong: not counted, rates recomputed."""
    if not not_fillers:
        return delivery
    wrong = rejected_indices(delivery, not_fillers)
    if not wrong:
        return delivery
    count = max(0, delivery.filler_count - len(wrong))
    kept = [f for k, f in enumerate(delivery.fillers) if k not in wrong]
    update: dict = {"fillers": kept, "filler_count": count}
    if delivery.fillers_per_minute is not None and delivery.filler_count:
        update["fillers_per_minute"] = round(delivery.fillers_per_minute * count / delivery.filler_count, 2)
    return delivery.model_copy(update=update)


def not_fillers_for(notes: list[Annotation], answer: SessionAnswer) -> list[float]:
    """Every --not-filler time given for this answer, oldest note first."""
    from .annotations import notes_for

    return [t for n in notes_for(notes, answer) for t in (n.not_fillers or [])]


def check_new_not_fillers(folder: Path, answer: SessionAnswer, times: list[float]) -> None:
    """:func:`check_not_fillers` for a new note on ``answer`` of the session in ``folder``,
    counting what its earlier notes already marked."""
    from .annotations import load_annotations

    notes, _ = load_annotations(folder)
    check_not_fillers(answer, times, not_fillers_for(notes, answer))


def apply_corrections(session: Session, notes: list[Annotation]) -> Session:
    """A copy of ``session`` whose answers count only the fillers the coach did not reject."""
    answers = []
    for a in session.answers:
        times = not_fillers_for(notes, a)
        if a.result is None or not times:
            answers.append(a)
            continue
        result = a.result.model_copy(update={"delivery": corrected_delivery(a.result.delivery, times)})
        answers.append(a.model_copy(update={"result": result}))
    return session.model_copy(update={"answers": answers})


def check_not_fillers(answer: SessionAnswer, times: list[float], earlier: list[float] | None = None) -> None:
    """SessionError naming a time at which this answer has no counted filler left to mark: none
    near it, or the one near it already marked wrong (``earlier``: the times of earlier notes, or
    the same filler named twice in one command)."""
    d = answer.result.delivery if answer.result else None
    fillers = d.fillers if d is not None else []
    countable = {k for k, f in enumerate(fillers) if f.start is not None and d is not None
                 and f.confidence >= d.filler_confidence_min}
    found = [fillers[k] for k in sorted(countable)]
    taken = list(earlier or [])
    for t in times:
        if not math.isfinite(t):  # nan is "near" every filler (_gap gives 0), and a note cannot store it
            raise SessionError(f"--not-filler {t}: give the filler's time in seconds into the answer, e.g. 12.4")
        left = [fillers[k] for k in sorted(countable - (rejected_indices(d, taken) if d is not None else set()))]
        if not any(_gap(t, f) <= NOT_FILLER_TOLERANCE_S for f in left):
            listed = ", ".join(f"{f.start:.1f}" for f in left) or "none"
            if any(_gap(t, f) <= NOT_FILLER_TOLERANCE_S for f in found):
                raise SessionError(f"--not-filler {t:g}: the filler of {answer.question_id} there is already marked "
                                   f"as not a filler (the fillers still counted start at: {listed})")
            raise SessionError(f"--not-filler {t:g}: no counted filler of {answer.question_id} within "
                               f"{NOT_FILLER_TOLERANCE_S:g} s of it (its fillers still counted start at: {listed})")
        taken.append(t)
