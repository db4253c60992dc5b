"""The history index: an SQLite file at ``config.history_db_path()`` listing saved sessions.

The index is a cache of the session folders (they stay the truth): ``index_session(folder)``
adds or refreshes one session, ``rebuild(dirs)`` recreates the rows from the recordings folders.
The schema grows by *named, append-only* migrations (:data:`MIGRATIONS`); the ``_migrations``
table records which ones ran, so a database of any age is brought up to date on open.
Never edit or reorder a migration that has shipped: add a new one at the end.

On top of the index: per-metric trends (``voicemock progress``), a practice plan naming the
three weakest areas with bank questions to practise next (``voicemock plan``), and erasing
sessions (folder and rows) by id or by age (``voicemock erase``).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from .config import history_db_path
from .errors import SessionError, StoreError
from .results import Session

log = logging.getLogger(__name__)


# --- migrations ---------------------------------------------------------------------------------


def m001_sessions(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            folder TEXT NOT NULL,
            started_at TEXT NOT NULL,
            bank TEXT NOT NULL,
            questions INTEGER NOT NULL,
            overall REAL,
            fillers_per_minute REAL,
            words_per_minute REAL
        )""")


def m002_sessions_judge(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN judge TEXT")


def m003_answers(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE answers (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            overall INTEGER,
            star_situation INTEGER, star_task INTEGER, star_action INTEGER, star_result INTEGER,
            duration_s REAL,
            words_per_minute REAL,
            fillers_per_minute REAL,
            long_pauses INTEGER,
            situation_share REAL,
            result_present INTEGER,
            ownership_i INTEGER,
            ownership_we INTEGER,
            has_metric INTEGER,
            PRIMARY KEY (session_id, position)
        )""")


def m004_sessions_long_pauses_indexed_at(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN long_pauses_per_answer REAL")
    db.execute("ALTER TABLE sessions ADD COLUMN indexed_at TEXT")


def m005_sessions_started_index(db: sqlite3.Connection) -> None:
    db.execute("CREATE INDEX sessions_started_at ON sessions(started_at)")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_sessions", m001_sessions),
    ("m002_sessions_judge", m002_sessions_judge),
    ("m003_answers", m003_answers),
    ("m004_sessions_long_pauses_indexed_at", m004_sessions_long_pauses_indexed_at),
    ("m005_sessions_started_index", m005_sessions_started_index),
]


def migrate(db: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Apply the migrations not yet recorded (the first ``upto`` only, for tests); return their names."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS[:upto]:
        if name in done:
            continue
        with db:
            fn(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                       (name, datetime.now().isoformat(timespec="seconds")))
        applied.append(name)
        log.info("history index: applied migration %s", name)
    return applied


def connect(path: Path | None = None) -> sqlite3.Connection:
    """Open (creating it, 0600, in a 0700 folder) and migrate the history index."""
    path = Path(path or history_db_path())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        new = not path.exists()
        db = sqlite3.connect(path)
        if new:
            path.chmod(0o600)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the history index cannot be used ({exc}); "
                         "delete it and run 'voicemock history --rebuild'") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the history index ({exc})") from None
    return db


# --- rows ---------------------------------------------------------------------------------------


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
    from .sessionio import load_session

    folder = Path(folder)
    loaded = load_session(folder)
    if not (loaded.folder / "session.json").is_file() or any("damaged JSON" in p for p in loaded.problems):
        raise StoreError(f"{folder}: no readable session.json; not indexed ({'; '.join(loaded.problems)})")
    row, answers = summarise(loaded.session, loaded.folder)
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
            found += sorted(p.parent for p in d.glob("*/session.json") if not p.parent.is_symlink())
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
    if not (folder / "session.json").is_file():
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


def find_row(spec: str, db: sqlite3.Connection) -> SessionRow | None:
    """A session by id, or by folder path."""
    r = db.execute(f"SELECT {', '.join(_ROW_COLS)} FROM sessions WHERE id = ?", (spec,)).fetchone()
    if r is None:
        p = Path(spec).expanduser()
        if p.name == "session.json":
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


# --- trends -------------------------------------------------------------------------------------

PACE_RANGE = (120.0, 160.0)


@dataclass
class Metric:
    key: str
    label: str
    better: str  # "higher" | "lower" | "range" (pace: inside PACE_RANGE)


METRICS = [
    Metric("overall", "overall score (0-100)", "higher"),
    Metric("words_per_minute", "pace (words per minute)", "range"),
    Metric("fillers_per_minute", "fillers per minute", "lower"),
    Metric("long_pauses_per_answer", "long pauses per answer", "lower"),
    Metric("star_result", "result score (1-5)", "higher"),
    Metric("star_action", "action score (1-5)", "higher"),
    Metric("situation_share", "share of the answer spent on the situation", "lower"),
    Metric("i_share", "ownership: 'I' among I/we in actions", "higher"),
]

_ANSWER_AGG = {
    "star_result": "AVG(star_result)",
    "star_action": "AVG(star_action)",
    "situation_share": "AVG(situation_share)",
    "i_share": "CAST(SUM(ownership_i) AS REAL) / NULLIF(SUM(ownership_i) + SUM(ownership_we), 0)",
}


@dataclass
class MetricTrend:
    metric: Metric
    points: list[tuple[str, str, float]]  # (started_at, session id, value), oldest first

    @property
    def first(self) -> float | None:
        return self.points[0][2] if self.points else None

    @property
    def last(self) -> float | None:
        return self.points[-1][2] if self.points else None

    @property
    def change(self) -> float | None:
        return None if len(self.points) < 2 else round(self.last - self.first, 2)  # type: ignore[operator]

    @property
    def improving(self) -> bool | None:
        """True/False when the last session is better/worse than the first; None when equal or unknown."""
        if len(self.points) < 2 or self.first == self.last:
            return None
        f, la = self.first, self.last
        if self.metric.better == "range":
            mid = sum(PACE_RANGE) / 2
            return abs(la - mid) < abs(f - mid)  # type: ignore[operator]
        return (la > f) == (self.metric.better == "higher")  # type: ignore[operator]

    def as_dict(self) -> dict:
        return {"metric": self.metric.key, "label": self.metric.label, "better": self.metric.better,
                "first": self.first, "last": self.last, "change": self.change, "improving": self.improving,
                "points": [{"started_at": t, "session": sid, "value": v} for t, sid, v in self.points]}


def trends(db: sqlite3.Connection | None = None, bank: str | None = None) -> list[MetricTrend]:
    """Each metric's value per session over time (sessions without a value are left out)."""
    own = db is None
    db = db or connect()
    try:
        sessions = list_sessions(db, bank)
        agg = ", ".join(f"{sql} AS {key}" for key, sql in _ANSWER_AGG.items())
        per_answer = {r["session_id"]: dict(r) for r in db.execute(
            f"SELECT session_id, {agg} FROM answers GROUP BY session_id")}
    finally:
        if own:
            db.close()
    out = []
    for m in METRICS:
        pts = []
        for s in sessions:
            v = getattr(s, m.key, None) if m.key not in _ANSWER_AGG else per_answer.get(s.id, {}).get(m.key)
            if v is not None:
                pts.append((s.started_at, s.id, round(float(v), 2)))
        out.append(MetricTrend(m, pts))
    return out


# --- plan ---------------------------------------------------------------------------------------


@dataclass
class Area:
    key: str
    title: str
    advice: str
    keywords: tuple[str, ...]  # matched against a question's tags, category and text
    difficulty: tuple[str, ...] = ("medium", "hard", "easy")  # preferred order


AREAS = {
    "result": Area("result", "Results", "End every story with the outcome, and put a number on it.",
                   ("deliver results", "result", "impact", "customer obsession", "metric")),
    "action": Area("action", "Actions", "Spend most of the answer on the steps you took.",
                   ("bias for action", "action", "invent", "process", "technical")),
    "ownership": Area("ownership", "Ownership", "Say 'I' for what you did; keep 'we' for the team's part.",
                      ("ownership", "leadership", "earn trust", "hire and develop", "conflict")),
    "situation_too_long": Area("situation_too_long", "Situation too long",
                               "Set the scene in two sentences, then move to what you did.",
                               ("dive deep", "are right a lot", "frugality", "simplify", "prioriti")),
    "fillers": Area("fillers", "Fillers", "Pause silently instead of saying um/uh; slow down a little.",
                    ("earn trust", "general", "introduction", "resume"), ("easy", "medium", "hard")),
    "pace": Area("pace", "Pace", "Aim for 120-160 words per minute.",
                 ("general", "introduction", "resume", "customer"), ("easy", "medium", "hard")),
    "pauses": Area("pauses", "Long pauses", "Outline the story (S-T-A-R) in your head before you start.",
                   ("behavioral", "dive deep", "conflict"), ("easy", "medium", "hard")),
}


@dataclass
class PlanItem:
    area: Area
    severity: float  # 0 (fine) .. 1 (weakest)
    why: str
    questions: list[tuple[str, str]]  # (question id, text)

    def as_dict(self) -> dict:
        return {"area": self.area.key, "title": self.area.title, "severity": round(self.severity, 2),
                "why": self.why, "advice": self.area.advice,
                "questions": [{"id": q, "text": t} for q, t in self.questions]}


@dataclass
class Plan:
    bank: str | None
    sessions_used: int
    items: list[PlanItem]
    note: str = ""

    def as_dict(self) -> dict:
        return {"bank": self.bank, "sessions_used": self.sessions_used, "note": self.note,
                "areas": [i.as_dict() for i in self.items]}


def _mean(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def weaknesses(rows: list) -> list[tuple[str, float, str]]:
    """(area key, severity 0..1, why) for every area the answers give evidence on, weakest first."""
    out = []
    res, res_present, metric = (_mean([r["star_result"] for r in rows]), _mean([r["result_present"] for r in rows]),
                                _mean([r["has_metric"] for r in rows]))
    if res is not None:
        sev = _clip(0.5 * (5 - res) / 4 + 0.3 * (1 - (res_present or 0)) + 0.2 * (1 - (metric or 0)))
        out.append(("result", sev, f"result scored {res:.1f}/5; a result stated in {100 * (res_present or 0):.0f}% "
                                   f"of answers, a number in {100 * (metric or 0):.0f}%"))
    act = _mean([r["star_action"] for r in rows])
    if act is not None:
        out.append(("action", _clip((5 - act) / 4), f"action scored {act:.1f}/5"))
    i_, we = sum(r["ownership_i"] or 0 for r in rows), sum(r["ownership_we"] or 0 for r in rows)
    if i_ + we:
        we_share = we / (i_ + we)
        out.append(("ownership", _clip((we_share - 0.2) / 0.6), f"'we' in {100 * we_share:.0f}% of I/we in actions"))
    sit = _mean([r["situation_share"] for r in rows])
    if sit is not None:
        out.append(("situation_too_long", _clip((sit - 0.25) / 0.35), f"situation is {100 * sit:.0f}% of the answer "
                                                                        "(aim for under 25%)"))
    fpm = _mean([r["fillers_per_minute"] for r in rows])
    if fpm is not None:
        out.append(("fillers", _clip((fpm - 2.0) / 4.0), f"{fpm:.1f} fillers per minute (aim for under 2)"))
    wpm = _mean([r["words_per_minute"] for r in rows])
    if wpm:
        off = max(PACE_RANGE[0] - wpm, wpm - PACE_RANGE[1], 0.0)
        out.append(("pace", _clip(off / 40), f"{wpm:.0f} words per minute (aim for 120-160)"))
    lp = _mean([r["long_pauses"] for r in rows])
    if lp is not None:
        out.append(("pauses", _clip(lp / 4), f"{lp:.1f} long pauses per answer"))
    return sorted(out, key=lambda x: -x[1])


def _pick_questions(bank, area: Area, avoid: set[str], taken: set[str], n: int = 2) -> list[tuple[str, str]]:
    def score(q) -> tuple:
        hay = " ".join([*q.tags, q.category, q.text]).lower()
        hits = sum(1 for k in area.keywords if k in hay)
        diff = area.difficulty.index(q.difficulty) if q.difficulty in area.difficulty else 9
        return (-hits, q.id in taken, diff, q.id)

    fresh = [q for q in bank.questions if q.id not in avoid] or list(bank.questions)
    picked = sorted(fresh, key=score)[:n]
    taken.update(q.id for q in picked)
    return [(q.id, q.text) for q in picked]


def plan(db: sqlite3.Connection | None = None, bank: str | None = None, last: int = 5,
         recent: int = 3, n: int = 3) -> Plan:
    """The ``n`` weakest areas over the last ``last`` sessions, each with bank questions to practise
    (matched by tag/category, skipping questions answered in the last ``recent`` sessions)."""
    from .banks import load_bank
    from .errors import BankError

    own = db is None
    db = db or connect()
    try:
        sessions = list_sessions(db, bank)
        if not sessions:
            return Plan(bank, 0, [], "no sessions in the history yet: practise first, or run 'voicemock history --rebuild'")
        used = sessions[-last:]
        rows = answer_rows(db, [s.id for s in used])
        recent_ids = {r["question_id"] for r in answer_rows(db, [s.id for s in sessions[-recent:]])}
    finally:
        if own:
            db.close()
    bank_name = bank or used[-1].bank
    note = ""
    try:
        bank_obj = load_bank(bank_name)
    except BankError as exc:
        bank_obj, note = None, f"cannot suggest questions: {exc}"
    taken: set[str] = set()
    items = []
    for key, sev, why in weaknesses(rows)[:n]:
        why = why if sev > 0 else f"{why}: within target, keep it up"
        qs = _pick_questions(bank_obj, AREAS[key], recent_ids, taken) if bank_obj else []
        items.append(PlanItem(AREAS[key], sev, why, qs))
    return Plan(bank_name, len(used), items, note)


# --- erase --------------------------------------------------------------------------------------


def _looks_like_session(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / "session.json").is_file()


def _delete_folder(folder: Path) -> None:
    import shutil

    if not _looks_like_session(folder):
        raise StoreError(f"{folder}: not a session folder (no session.json); nothing deleted")
    shutil.rmtree(folder)


def erase(spec: str, db: sqlite3.Connection | None = None) -> list[str]:
    """Delete one session (by id or folder path): its folder and its index rows. Returns what went."""
    own = db is None
    db = db or connect()
    try:
        row = find_row(spec, db)
        p = Path(spec).expanduser()
        folder = p.parent if p.name == "session.json" else p
        if not _looks_like_session(folder):
            folder = Path(row.folder) if row else folder
        if row is None and not _looks_like_session(folder):
            raise StoreError(f"no session {spec!r}: give a session folder or an id from 'voicemock history'")
        gone = []
        if folder.exists():
            _delete_folder(folder)
            gone.append(str(folder))
        sid = row.id if row else folder.name
        with db:
            db.execute("DELETE FROM answers WHERE session_id = ?", (sid,))
            n = db.execute("DELETE FROM sessions WHERE id = ?", (sid,)).rowcount
        if n:
            gone.append(f"index row {sid}")
        return gone
    finally:
        if own:
            db.close()


def sessions_older_than(days: float, dirs: Iterable[Path], db: sqlite3.Connection,
                        now: datetime | None = None) -> list[tuple[str, Path]]:
    """(id, folder) of sessions started more than ``days`` ago: indexed ones and those in ``dirs``."""
    from datetime import timedelta

    from .sessionio import load_session

    cutoff = ((now or datetime.now()) - timedelta(days=days)).isoformat(timespec="seconds")
    found: dict[str, tuple[str, Path]] = {}
    for r in list_sessions(db):
        if r.started_at and r.started_at != "unknown" and r.started_at < cutoff:
            found[r.folder] = (r.id, Path(r.folder))
    for folder in session_folders(dirs):
        key = str(folder.resolve())
        if key in found:
            continue
        s = load_session(folder).session
        when = normalise_time(s.started_at, _folder_time(folder))
        if when and when < cutoff:
            found[key] = (s.id, folder)
    return sorted(found.values())


def erase_older_than(days: float, dirs: Iterable[Path] = (), db: sqlite3.Connection | None = None,
                     now: datetime | None = None) -> list[str]:
    """Delete every session older than ``days`` (folders and index rows); return what went."""
    own = db is None
    db = db or connect()
    try:
        gone = []
        for sid, folder in sessions_older_than(days, dirs, db, now):
            if folder.exists():
                _delete_folder(folder)
                gone.append(str(folder))
            with db:
                db.execute("DELETE FROM answers WHERE session_id = ?", (sid,))
                if db.execute("DELETE FROM sessions WHERE id = ?", (sid,)).rowcount:
                    gone.append(f"index row {sid}")
        return gone
    finally:
        if own:
            db.close()


def parse_age(text: str) -> float:
    """``30d``, ``2w``, ``12h`` or a plain number of days -> days."""
    import re

    from .errors import ConfigError

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dwh]?)\s*", text.lower())
    if not m:
        raise ConfigError(f"--older-than {text!r}: use a number of days like 30d, 2w or 12h")
    n, unit = float(m.group(1)), m.group(2) or "d"
    return n * {"d": 1, "w": 7, "h": 1 / 24}[unit]
