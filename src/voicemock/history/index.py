"""The index rows: one per saved session and one per answer, a cache of the session folders.

``index_session(folder)`` adds or refreshes one session, ``rebuild(dirs)`` recreates the rows from
the recordings folders; the folders stay the truth.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import SessionError, StoreError
from ..models import Session
from ..sessions import SESSION_FILE
from .db import connect

log = logging.getLogger(__name__)


@dataclass
class SessionRow:
    id: str
    folder: str
    started_at: str
    bank: str
    questions: int
    overall: float | None
    fillers_per_minute: float | None
    words_per_minute: float | None
    judge: str | None
    long_pauses_per_answer: float | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def normalise_time(value: str | None, fallback: str = "") -> str:
    """ISO 8601 local time without zone, to the second (sortable as text)."""
    if not value:
        return fallback
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return fallback or value
    if dt.tzinfo is not None:
        dt = dt.astimezone().replace(tzinfo=None)
    return dt.isoformat(timespec="seconds")


def _folder_time(folder: Path) -> str:
    try:
        return datetime.strptime(folder.name[:15], "%Y%m%d-%H%M%S").isoformat(timespec="seconds")
    except ValueError:
        return ""


def summarise(session: Session, folder: Path) -> tuple[SessionRow, list[tuple]]:
    """The index row of a session and one row per answer."""
    answers = []
    minutes = words = fillers = 0.0
    overalls, pauses = [], []
    for pos, a in enumerate(session.answers, start=1):
        r = a.result
        if r is None:
            continue
        d, s, rub = r.delivery, r.structure, r.rubric
        dur = r.transcript.duration_s
        if dur:
            minutes += dur / 60
            words += len(r.transcript.words) or len(r.transcript.text.split())
            fillers += d.filler_count
        if rub:
            overalls.append(rub.overall)
        pauses.append(d.long_pause_count)
        answers.append((
            session.id, pos, a.question_id, a.kind, rub.overall if rub else None,
            *(getattr(rub.star, k) if rub else None for k in ("situation", "task", "action", "result")),
            dur, d.words_per_minute, d.fillers_per_minute, d.long_pause_count,
            s.parts.situation.share if s else None, int(s.parts.result.present) if s else None,
            s.ownership.i if s else None, s.ownership.we if s else None, int(s.has_metric) if s else None,
        ))
    row = SessionRow(
        id=session.id,
        folder=str(folder.resolve()),
        started_at=normalise_time(session.started_at, _folder_time(folder)) or "unknown",
        bank=session.bank,
        questions=len({a.question_id for a in session.answers if a.kind == "main"}),
        overall=round(sum(overalls) / len(overalls), 1) if overalls else None,
        fillers_per_minute=round(fillers / minutes, 2) if minutes else None,
        words_per_minute=round(words / minutes, 1) if minutes else None,
        judge=session.judge or _judges(session),
        long_pauses_per_answer=round(sum(pauses) / len(pauses), 2) if pauses else None,
    )
    return row, answers


def _judges(session: Session) -> str | None:
    names = sorted({a.result.rubric.judge for a in session.answers if a.result and a.result.rubric})
    return "+".join(names) or None


_ROW_COLS = ("id", "folder", "started_at", "bank", "questions", "overall", "fillers_per_minute",
             "words_per_minute", "judge", "long_pauses_per_answer")


def index_session(folder: str | Path, db: sqlite3.Connection | None = None) -> SessionRow:
    """Add or refresh one session in the index (call it after saving a session)."""
    from ..sessions.read import load_session

    folder = Path(folder)
    loaded = load_session(folder)
    if not (loaded.folder / SESSION_FILE).is_file() or any("damaged JSON" in p for p in loaded.problems):
        raise StoreError(f"{folder}: no readable session.json; not indexed ({'; '.join(loaded.problems)})")
    from ..sessions.annotations import load_annotations
    from ..sessions.corrections import apply_corrections

    notes, _problems = load_annotations(loaded.folder)
    row, answers = summarise(apply_corrections(loaded.session, notes), loaded.folder)
    own = db is None
    db = db or connect()
    try:
        with db:
            db.execute("DELETE FROM answers WHERE session_id = ?", (row.id,))
            db.execute(
                f"INSERT OR REPLACE INTO sessions ({', '.join(_ROW_COLS)}, indexed_at) "
                f"VALUES ({', '.join('?' * len(_ROW_COLS))}, ?)",
                (*[getattr(row, c) for c in _ROW_COLS], datetime.now().isoformat(timespec="seconds")),
            )
            db.executemany(f"INSERT INTO answers VALUES ({', '.join('?' * 18)})", answers)
    finally:
        if own:
            db.close()
    return row


def try_index(folder: str | Path) -> bool:
    """``index_session`` for the practice loop: a broken index is logged, never fatal to saving."""
    try:
        index_session(folder)
        return True
    except (StoreError, SessionError) as exc:
        log.warning("session saved but not indexed: %s", exc)
        return False


def session_folders(dirs: Iterable[Path]) -> list[Path]:
    """Session folders (holding a session.json) directly inside the given recordings folders."""
    found = []
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            found += sorted(p.parent for p in d.glob(f"*/{SESSION_FILE}") if not p.parent.is_symlink())
    return found


def rebuild(dirs: Iterable[Path], db: sqlite3.Connection | None = None) -> tuple[int, list[str]]:
    """Index again every session found in ``dirs``; return (count, skipped problems).

    Rows of sessions inside ``dirs`` and rows whose folder is gone are dropped first; rows of
    sessions that still exist in other recordings folders are kept.
    """
    own = db is None
    db = db or connect()
    skipped: list[str] = []
    count = 0
    roots = [Path(d).resolve() for d in dirs]
    try:
        stale = [r[0] for r in db.execute("SELECT id, folder FROM sessions").fetchall()
                 if _forget_on_rebuild(Path(r[1]), roots)]
        with db:
            for sid in stale:
                db.execute("DELETE FROM answers WHERE session_id = ?", (sid,))
                db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        for folder in session_folders(dirs):
            try:
                index_session(folder, db)
                count += 1
            except StoreError as exc:
                skipped.append(str(exc))
                log.warning("%s", exc)
    finally:
        if own:
            db.close()
    return count, skipped


def _forget_on_rebuild(folder: Path, roots: list[Path]) -> bool:
    if not (folder / SESSION_FILE).is_file():
        return True
    folder = folder.resolve()
    return any(folder == root or root in folder.parents for root in roots)


def list_sessions(db: sqlite3.Connection | None = None, bank: str | None = None) -> list[SessionRow]:
    """Indexed sessions, oldest first."""
    own = db is None
    db = db or connect()
    try:
        sql = f"SELECT {', '.join(_ROW_COLS)} FROM sessions"
        args: tuple = ()
        if bank:
            sql, args = sql + " WHERE bank = ?", (bank,)
        rows = db.execute(sql + " ORDER BY started_at, id", args).fetchall()
        return [SessionRow(**dict(r)) for r in rows]
    finally:
        if own:
            db.close()


def find_rows(session_id: str, db: sqlite3.Connection) -> list[SessionRow]:
    """Every indexed session with this id."""
    rows = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE id = ?", (session_id,)).fetchall()
    return [SessionRow(**dict(r)) for r in rows]


def find_row(spec: str, db: sqlite3.Connection) -> SessionRow | None:
    """A session by id, or by folder path."""
    r = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE id = ?", (spec,)).fetchone()
    if r is None:
        p = Path(spec).expanduser()
        if p.name == SESSION_FILE:
            p = p.parent
        r = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE folder = ?",
                       (str(p.resolve()),)).fetchone()
    return SessionRow(**dict(r)) if r else None


def answer_rows(db: sqlite3.Connection, session_ids: list[str] | None = None) -> list[sqlite3.Row]:
    sql = ("SELECT a.*, s.started_at, s.bank FROM answers a JOIN sessions s ON s.id = a.session_id")
    args: list = []
    if session_ids is not None:
        sql += f" WHERE a.session_id IN ({', '.join('?' * len(session_ids))})"
        args = list(session_ids)
    return db.execute(sql + " ORDER BY s.started_at, a.position", args).fetchall()


