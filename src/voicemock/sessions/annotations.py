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
from ..fileio import atomic_write_text
from ..models import SCORE_RANGES, Annotation, check_score
from . import ANNOTATIONS_FILE

log = logging.getLogger(__name__)


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
    if not path.exists():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [f"{path}: damaged ({exc}); coach notes not shown"]
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
    path = annotations_path(folder)
    raw: list = []
    if path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SessionError(f"{path} is damaged ({exc}); fix or move it away before adding notes, "
                               "so no earlier note is lost") from None
        if not isinstance(raw, list):
            raise SessionError(f"{path} is not a JSON list; fix or move it away before adding notes")
    ann = Annotation(
        question_id=question_id,
        coach=coach or default_coach(),
        created_at=(now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        note=note,
        scores=scores or {},
        not_fillers=sorted(not_fillers) if not_fillers else None,
    )
    raw.append(ann.model_dump(mode="json", exclude_none=True))
    atomic_write_text(path, json.dumps(raw, ensure_ascii=False, indent=2) + "\n")
    log.info("added a note for %s to %s", question_id, path)
    return ann


def notes_for(notes: list[Annotation], question_id: str) -> list[Annotation]:
    return [n for n in notes if n.question_id == question_id]


def latest_scores(notes: list[Annotation], question_id: str) -> dict[str, int]:
    """The coach's current override per part: the latest note that scored it wins."""
    out: dict[str, int] = {}
    for n in notes_for(notes, question_id):
        out.update(n.scores)
    return out
