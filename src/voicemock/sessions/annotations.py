"""Coach annotations: ``annotations.json`` beside ``session.json``.

The file is a JSON list of ``{question_id, coach, created_at, note, scores}``; ``scores`` maps a
STAR part (situation, task, action, result: 1-5) or ``overall`` (0-100) to the coach's score.
It is append-only (a new note never rewrites an old one) and written atomically
(:mod:`voicemock.fileio`, mode 0600). Nothing here touches ``session.json`` or the audio.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from ..errors import SessionError
from ..fileio import UnreadableFile, atomic_write_text, locked, megabytes, read_json
from ..models import SCORE_RANGES, Annotation, Session, SessionAnswer, check_score
from . import ANNOTATIONS_FILE

log = logging.getLogger(__name__)

MAX_ANNOTATIONS_BYTES = 5 * 1024 * 1024
MAX_NOTE_CHARS = 10_000


def parse_scores(items: list[str]) -> dict[str, int]:
    """``["result=2", "overall=70"]`` -> ``{"result": 2, "overall": 70}`` (ConfigError-free: SessionError)."""
    scores: dict[str, int] = {}
    for item in items:
        part, sep, value = item.partition("=")
        part = part.strip().lower()
        try:
            if not sep:
                raise ValueError("expected PART=NUMBER")
            n = int(value.strip())
            check_score(part, n)
        except ValueError as exc:
            msg = str(exc) if "score" in str(exc) else "expected PART=NUMBER"
            raise SessionError(f"--score {item!r}: {msg}, e.g. --score result=2 or --score overall=70 "
                               f"(parts: {', '.join(SCORE_RANGES)})") from None
        scores[part] = n
    return scores


def annotations_path(folder: Path) -> Path:
    return Path(folder) / ANNOTATIONS_FILE


def load_annotations(folder: Path) -> tuple[list[Annotation], list[str]]:
    """All notes of a session (oldest first) and the problems met while reading them."""
    path = annotations_path(folder)
    if path.is_symlink():  # a received folder's link to a file elsewhere: not this session's notes
        return [], [f"{path}: is a link; coach notes are read only from a file in the session folder, not shown"]
    if not path.exists():
        return [], []
    try:
        data = read_json(path, MAX_ANNOTATIONS_BYTES)
    except (OSError, UnreadableFile) as exc:
        return [], [f"{path}: {exc}; coach notes not shown"]
    if not isinstance(data, list):
        return [], [f"{path}: expected a JSON list of notes; coach notes not shown"]
    notes, problems = [], []
    for i, item in enumerate(data, start=1):
        try:
            notes.append(Annotation.model_validate(item))
        except ValidationError as exc:
            problems.append(f"{path}: note {i} skipped ({exc.errors()[0]['msg']})")
    return notes, problems


def default_coach() -> str:
    try:
        return os.environ.get("VOICEMOCK_COACH") or getpass.getuser()
    except Exception:  # pragma: no cover - no user name on this system
        return "coach"


def add_annotation(
    folder: Path,
    question_id: str,
    note: str,
    scores: dict[str, int] | None = None,
    coach: str | None = None,
    known_ids: list[str] | None = None,
    now: datetime | None = None,
    answer: str | None = None,
    not_fillers: list[float] | None = None,
) -> Annotation:
    """Append one note; refuse an unknown question id or a damaged annotations file.

    ``not_fillers`` are times (seconds) of detected fillers the coach marks as wrong."""
    folder = Path(folder)
    if known_ids is not None and question_id not in known_ids:
        raise SessionError(f"{folder}: no answer to question {question_id!r}; "
                           f"its questions: {', '.join(dict.fromkeys(known_ids)) or '(none)'}")
    if not note.strip() and not scores and not not_fillers:
        raise SessionError("give a note (--note TEXT), at least one --score PART=N or --not-filler SECONDS")
    if len(note) > MAX_NOTE_CHARS:
        raise SessionError(f"the note is {len(note)} characters; keep it under {MAX_NOTE_CHARS}")
    ann = Annotation(
        question_id=question_id,
        coach=coach or default_coach(),
        created_at=(now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        note=note,
        scores=scores or {},
        answer=answer,
        not_fillers=sorted(not_fillers) if not_fillers else None,
    )
    path = annotations_path(folder)
    with locked(folder):  # concurrent coaches (or scripts) never lose each other's notes
        raw: list = []
        if path.is_symlink():
            raise SessionError(f"{path} is a link to a file elsewhere; move it away before adding notes "
                               "(notes are kept only in a file of the session folder)")
        if path.exists():
            try:
                raw = read_json(path, MAX_ANNOTATIONS_BYTES)
            except (OSError, UnreadableFile) as exc:
                raise SessionError(f"{path}: {exc}; fix or move it away before adding notes, "
                                   "so no earlier note is lost") from None
            if not isinstance(raw, list):
                raise SessionError(f"{path} is not a JSON list; fix or move it away before adding notes")
        raw.append(ann.model_dump(mode="json", exclude_none=True))
        text = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
        if len(text.encode("utf-8")) > MAX_ANNOTATIONS_BYTES:  # past it no command would read any note
            raise SessionError(f"{path} would grow past the {megabytes(MAX_ANNOTATIONS_BYTES)} that voicemock "
                               "reads; the note was not added (the earlier notes are kept)")
        try:
            atomic_write_text(path, text)
        except OSError as exc:
            raise SessionError(f"cannot write {path}: {exc.strerror or exc}; the earlier notes are kept") from None
    log.info("added a note for %s to %s", question_id, path)
    return ann


def answer_key(answer: SessionAnswer) -> str:
    """How notes and the CLI name one answer: its audio stem ("q01", "q01-followup"), or the question
    id (plus "-followup") when it has no audio."""
    if answer.audio and answer.audio.lower().endswith(".wav"):
        return answer.audio[:-4]
    return answer.question_id + ("-followup" if answer.kind == "followup" else "")


def find_answer(answers: list[SessionAnswer], spec: str) -> SessionAnswer:
    """An answer by position (1, 2, ...), key ("q01-followup") or question id (its main answer)."""
    if spec.isdigit() and 1 <= int(spec) <= len(answers):
        return answers[int(spec) - 1]
    for a in answers:
        if answer_key(a) == spec:
            return a
    mains = [a for a in answers if a.question_id == spec and a.kind == "main"] or \
            [a for a in answers if a.question_id == spec]
    if mains:
        return mains[0]
    known = ", ".join(f"{i} ({answer_key(a)})" for i, a in enumerate(answers, start=1)) or "(none)"
    raise SessionError(f"no answer {spec!r} in this session; its answers: {known}")


def annotation_target(answers: list[SessionAnswer], spec: str) -> tuple[SessionAnswer, str]:
    """The answer a note is about (see :func:`find_answer`) and its key."""
    answer = find_answer(answers, spec)
    return answer, answer_key(answer)


def _targets(note: Annotation, answer: SessionAnswer) -> bool:
    if note.answer is not None:
        return note.answer == answer_key(answer)
    return note.question_id == answer.question_id and answer.kind == "main"


def notes_for(notes: list[Annotation], answer: SessionAnswer) -> list[Annotation]:
    """The notes about this one answer (oldest first)."""
    return [n for n in notes if _targets(n, answer)]


def latest_scores(notes: list[Annotation], answer: SessionAnswer) -> dict[str, int]:
    """The coach's current override per part for this answer: the latest note that scored it wins."""
    out: dict[str, int] = {}
    for n in notes_for(notes, answer):
        out.update(n.scores)
    return out


def with_coach_scores(session: Session, notes: list[Annotation]) -> Session:
    """A copy of the session whose rubrics carry the coach's overrides (marked ``judge`` "coach"
    when the overall was overridden): what history, progress, the plan and --retry compare."""
    out = session.model_copy(deep=True)
    for a in out.answers:
        scores = latest_scores(notes, a)
        if not scores:
            continue
        rubrics = [a.result.rubric if a.result is not None else None,
                   a.combined.rubric if a.combined is not None else None]  # the question's score too
        for rubric in rubrics:
            if rubric is None:
                continue
            if "overall" in scores:
                rubric.overall = scores["overall"]
                rubric.judge = "coach"
            for part in ("situation", "task", "action", "result"):
                if part in scores:
                    setattr(rubric.star, part, scores[part])
    return out
