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
from ..models import Rubric, Session, SessionAnswer, Structure, followups_of
from ..sessions import SESSION_FILE
from .db import connect, guarded

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
    demo: bool = False
    copy_of: str | None = None  # another indexed folder holds the same session id (this one is a copy)

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


def question_scores(session: Session) -> list[tuple[int, SessionAnswer, Rubric | None, Structure | None]]:
    """(position, main answer, rubric, structure) of each question: one score per question.

    A main answer with follow-ups counts with its combined result (main + follow-ups judged
    together); follow-ups are never answers of their own."""
    out: list[tuple[int, SessionAnswer, Rubric | None, Structure | None]] = []
    for pos, a in enumerate(session.answers, start=1):
        if a.kind != "main" or a.result is None:
            continue
        if a.combined is not None:
            out.append((pos, a, a.combined.rubric, a.combined.structure))
        else:
            out.append((pos, a, a.result.rubric, a.result.structure))
    return out


def session_delivery(session: Session) -> tuple[float | None, float | None]:
    """(fillers per minute, words per minute) of a whole session: everything said, follow-ups
    included, pooled over the time said (what history, plan and the review's session row show)."""
    minutes = words = fillers = 0.0
    for a in session.answers:
        r = a.result
        if r is None:
            continue
        d = r.delivery
        # the answer's own time and words (first sound to last word, fillers apart), as its pace in
        # review and plan counts them; older or damaged results: the recording and all its words
        timed = bool(d.answer_duration_s and d.word_count)
        dur = d.answer_duration_s if timed else r.transcript.duration_s
        if dur:
            minutes += dur / 60
            words += d.word_count if timed else len(r.transcript.words) or len(r.transcript.text.split())
            fillers += d.filler_count
    if not minutes:
        return None, None
    return round(fillers / minutes, 2), round(words / minutes, 1)


def summarise(session: Session, folder: Path) -> tuple[SessionRow, list[tuple]]:
    """The index row of a session and one row per question (main answer with its follow-ups)."""
    answers = []
    key = str(folder.resolve())
    fillers_per_minute, words_per_minute = session_delivery(session)
    overalls, pauses = [], []
    for pos, a, rub, s in question_scores(session):
        r = a.result
        assert r is not None  # question_scores keeps scored main answers only
        d = r.delivery
        dur = r.transcript.duration_s
        if rub:
            overalls.append(rub.overall)
        long_pauses = d.long_pause_count + sum(f.result.delivery.long_pause_count
                                               for f in followups_of(session.answers, a) if f.result)
        pauses.append(long_pauses)
        star = rub is not None and rub.kind == "star"
        answers.append((
            key, session.id, pos, a.question_id, a.kind, rub.overall if rub else None,
            *(getattr(rub.star, k) if rub is not None and star else None for k in ("situation", "task", "action", "result")),
            dur, d.words_per_minute, d.fillers_per_minute, long_pauses,
            s.parts.situation.share if s and star else None, int(not s.missing_result) if s and star else None,
            s.ownership.i if s else None, s.ownership.we if s else None, int(s.has_metric) if s and star else None,
        ))
    row = SessionRow(
        id=session.id,
        folder=key,
        started_at=normalise_time(session.started_at, _folder_time(folder)) or "unknown",
        bank=session.bank,
        questions=sum(1 for a in session.answers if a.kind == "main"),  # a question asked twice counts twice
        overall=round(sum(overalls) / len(overalls), 1) if overalls else None,
        fillers_per_minute=fillers_per_minute,
        words_per_minute=words_per_minute,
        judge=session.judge or _judges(session),
        long_pauses_per_answer=round(sum(pauses) / len(pauses), 2) if pauses else None,
        demo=session.demo or session.settings.get("answer_files") == ["demo-answer.wav"],  # older demos too
    )
    return row, answers


def _judges(session: Session) -> str | None:
    names = sorted({a.result.rubric.judge for a in session.answers if a.result and a.result.rubric})
    return "+".join(names) or None


_ROW_COLS = ("id", "folder", "started_at", "bank", "questions", "overall", "fillers_per_minute",
             "words_per_minute", "judge", "long_pauses_per_answer", "demo")
_ANSWER_COLS = 19


def index_session(folder: str | Path, db: sqlite3.Connection | None = None) -> SessionRow:
    """Add or refresh one session in the index (call it after saving a session).

    StoreError when the folder holds no readable voicemock session or the index is damaged."""
    from ..sessions.read import load_session

    folder = Path(folder)
    loaded = load_session(folder)
    if not is_session_folder(loaded.folder):
        raise StoreError(f"{folder}: no readable voicemock session.json; not indexed "
                         f"({'; '.join(loaded.problems) or 'not a session'})")
    from ..sessions.annotations import load_annotations, with_coach_scores
    from ..sessions.corrections import apply_corrections

    notes, _ = load_annotations(loaded.folder)
    session = apply_corrections(with_coach_scores(loaded.session, notes), notes)
    row, answers = summarise(session, loaded.folder)
    own = db is None
    db = db or connect()
    try:
        with guarded(), db:
            db.execute("DELETE FROM answers WHERE folder = ?", (row.folder,))
            db.execute(
                f"INSERT OR REPLACE INTO sessions ({', '.join(_ROW_COLS)}, indexed_at) "
                f"VALUES ({', '.join('?' * len(_ROW_COLS))}, ?)",
                (*[getattr(row, c) for c in _ROW_COLS], datetime.now().isoformat(timespec="seconds")),
            )
            db.executemany(f"INSERT INTO answers VALUES ({', '.join('?' * _ANSWER_COLS)})", answers)
    finally:
        if own:
            db.close()
    return row


def try_index(folder: str | Path) -> str | None:
    """``index_session`` for the practice loop: the session on disk is the truth, so any failure of
    the index is returned as a message (None when indexed) and never raised."""
    try:
        index_session(folder)
        return None
    except (StoreError, SessionError) as exc:
        return str(exc)
    except Exception as exc:  # a damaged database can fail in many ways; never lose the practice
        return f"the history index failed ({type(exc).__name__}: {exc}); run 'voicemock history --rebuild'"


def is_session_folder(folder: Path) -> bool:
    """True when ``folder`` (not a symlink) holds a session.json that reads as a voicemock session:
    a JSON object with an integer schema_version, a string id and a list of answers."""
    from ..fileio import UnreadableFile, read_json
    from ..sessions.read import MAX_SESSION_JSON_BYTES

    folder = Path(folder)
    path = folder / SESSION_FILE
    if folder.is_symlink() or not folder.is_dir() or path.is_symlink():
        return False
    try:
        data = read_json(path, MAX_SESSION_JSON_BYTES)
    except (OSError, UnreadableFile):
        return False
    return (isinstance(data, dict) and type(data.get("schema_version")) is int
            and isinstance(data.get("id"), str) and isinstance(data.get("answers"), list))


def _with_session_json(dirs: Iterable[Path]) -> list[Path]:
    """Folders directly inside ``dirs`` that hold a session.json (readable or not), no symlinks."""
    found = []
    for d in dirs:
        d = Path(d).expanduser()
        if d.is_dir():
            found += sorted(p.parent for p in d.glob(f"*/{SESSION_FILE}")
                            if not p.parent.is_symlink() and not p.is_symlink())
    return found


def session_folders(dirs: Iterable[Path]) -> list[Path]:
    """Voicemock session folders directly inside the given recordings folders (nothing deeper)."""
    found = []
    for d in dirs:
        d = Path(d).expanduser()
        if d.is_dir():
            found += sorted(p for p in d.iterdir() if is_session_folder(p))
    return found


def rebuild(dirs: Iterable[Path], db: sqlite3.Connection | None = None) -> tuple[int, list[str]]:
    """Index again every session found in ``dirs``; return (count, skipped problems).

    Rows of sessions inside ``dirs`` and rows whose folder is gone are dropped first; rows of
    sessions that still exist in other recordings folders are kept. A session that cannot be read
    is skipped (and named) and the rebuild goes on.
    """
    own = db is None
    db = db or connect()
    skipped: list[str] = []
    count = 0
    roots = [Path(d).expanduser().resolve() for d in dirs]
    try:
        with guarded():
            stale = [r[0] for r in db.execute("SELECT folder FROM sessions").fetchall()
                     if _forget_on_rebuild(Path(r[0]), roots)]
            with db:
                for folder in stale:
                    db.execute("DELETE FROM answers WHERE folder = ?", (folder,))
                    db.execute("DELETE FROM sessions WHERE folder = ?", (folder,))
        for folder in _with_session_json(dirs):
            try:
                index_session(folder, db)
                count += 1
            except (StoreError, SessionError) as exc:
                skipped.append(str(exc))
                log.info("%s", exc)
    finally:
        if own:
            db.close()
    return count, skipped


def _forget_on_rebuild(folder: Path, roots: list[Path]) -> bool:
    if not is_session_folder(folder):
        return True
    folder = folder.resolve()
    return any(folder == root or root in folder.parents for root in roots)


def _mark_copies(rows: list[SessionRow]) -> list[SessionRow]:
    first: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: (r.started_at, r.folder)):
        if r.id in first:
            r.copy_of = first[r.id]
        else:
            first[r.id] = r.folder
    return rows


def list_sessions(db: sqlite3.Connection | None = None, bank: str | None = None,
                  include_demo: bool = True) -> list[SessionRow]:
    """Indexed sessions, oldest first; a second folder with the same session id is marked a copy."""
    own = db is None
    db = db or connect()
    try:
        sql = f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE 1 = 1"
        args: tuple = ()
        if bank:
            sql, args = sql + " AND bank = ?", (bank,)
        if not include_demo:
            sql += " AND demo = 0"
        with guarded():
            rows = db.execute(sql + " ORDER BY started_at, id, folder", args).fetchall()
        return _mark_copies([SessionRow(**{**dict(r), "demo": bool(r["demo"])}) for r in rows])
    finally:
        if own:
            db.close()


def find_rows(session_id: str, db: sqlite3.Connection) -> list[SessionRow]:
    """Every indexed session with this id (copies included)."""
    with guarded():
        rows = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE id = ? ORDER BY folder",
                          (session_id,)).fetchall()
    return [SessionRow(**dict(r)) for r in rows]


def find_folder_row(folder: Path, db: sqlite3.Connection) -> SessionRow | None:
    with guarded():
        r = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE folder = ?",
                       (str(Path(folder).resolve()),)).fetchone()
    return SessionRow(**dict(r)) if r else None


def answer_rows(db: sqlite3.Connection, folders: list[str] | None = None) -> list[sqlite3.Row]:
    """Answer rows (with their session's started_at and bank), oldest session first."""
    sql = "SELECT a.*, s.started_at, s.bank FROM answers a JOIN sessions s ON s.folder = a.folder"
    args: list = []
    if folders is not None:
        sql += f" WHERE a.folder IN ({', '.join('?' * len(folders))})"
        args = list(folders)
    with guarded():
        return db.execute(sql + " ORDER BY s.started_at, a.folder, a.position", args).fetchall()
