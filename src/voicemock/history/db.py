"""The history index database: an SQLite file at ``config.history_db_path()``.

The schema grows by *named, append-only* migrations (:data:`MIGRATIONS`); the ``_migrations``
table records which ones ran, so a database of any age is brought up to date on open.
Never edit or reorder a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..config import history_db_path
from ..errors import StoreError

log = logging.getLogger(__name__)


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


def m006_key_by_folder(db: sqlite3.Connection) -> None:
    """Rows keyed by the session folder: two sessions with the same id (started in the same second,
    or a copied folder) are two rows, not one replacing the other."""
    db.executescript("""
        CREATE TABLE sessions_v6 (
            folder TEXT PRIMARY KEY,
            id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            bank TEXT NOT NULL,
            questions INTEGER NOT NULL,
            overall REAL,
            fillers_per_minute REAL,
            words_per_minute REAL,
            judge TEXT,
            long_pauses_per_answer REAL,
            indexed_at TEXT
        );
        INSERT INTO sessions_v6 SELECT folder, id, started_at, bank, questions, overall, fillers_per_minute,
            words_per_minute, judge, long_pauses_per_answer, indexed_at FROM sessions;
        CREATE TABLE answers_v6 (
            folder TEXT NOT NULL REFERENCES sessions_v6(folder) ON DELETE CASCADE,
            session_id TEXT NOT NULL,
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
            PRIMARY KEY (folder, position)
        );
        INSERT INTO answers_v6 SELECT s.folder, a.* FROM answers a JOIN sessions s ON s.id = a.session_id;
        DROP TABLE answers;
        DROP TABLE sessions;
        ALTER TABLE sessions_v6 RENAME TO sessions;
        ALTER TABLE answers_v6 RENAME TO answers;
        CREATE INDEX sessions_started_at ON sessions(started_at);
        CREATE INDEX sessions_id ON sessions(id);
    """)


def m007_sessions_demo(db: sqlite3.Connection) -> None:
    """Demo sessions (the built-in sample) are marked, so history and progress can leave them out."""
    db.execute("ALTER TABLE sessions ADD COLUMN demo INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_sessions", m001_sessions),
    ("m002_sessions_judge", m002_sessions_judge),
    ("m003_answers", m003_answers),
    ("m004_sessions_long_pauses_indexed_at", m004_sessions_long_pauses_indexed_at),
    ("m005_sessions_started_index", m005_sessions_started_index),
    ("m006_key_by_folder", m006_key_by_folder),
    ("m007_sessions_demo", m007_sessions_demo),
]
TABLES = ("_migrations", "sessions", "answers")


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
    """Open (creating it, 0600, in a 0700 folder), check and migrate the history index.

    StoreError when the file is damaged, not a voicemock index, or cannot be opened; the message
    says that ``voicemock history --rebuild`` recreates it (the index is only a cache).
    """
    path = Path(path or history_db_path())
    db = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        new = not path.exists()
        db = sqlite3.connect(path, timeout=10)
        if new:
            path.chmod(0o600)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "_migrations" not in tables:
            raise StoreError(f"{path} is not a voicemock history index (tables: {', '.join(sorted(tables))}); "
                             "run 'voicemock history --rebuild' to set it aside and build a new one")
        migrate(db)
        missing = set(TABLES) - {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if missing:
            raise sqlite3.DatabaseError(f"table(s) {', '.join(sorted(missing))} missing")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
    except StoreError:
        if db is not None:
            db.close()
        raise
    except sqlite3.Error as exc:
        if db is not None:
            db.close()
        raise StoreError(f"{path}: the history index is damaged ({exc}); "
                         "run 'voicemock history --rebuild' to set it aside and build a new one") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the history index ({exc.strerror or exc})") from None
    return db


def set_aside(path: Path | None = None) -> Path | None:
    """Move a damaged or foreign index out of the way (kept, renamed); return where it went."""
    import time

    path = Path(path or history_db_path())
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for extra in ("-journal", "-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            side.rename(aside.with_name(aside.name + extra))
    log.info("history index %s set aside as %s", path, aside)
    return aside


def connect_or_recreate(path: Path | None = None) -> tuple[sqlite3.Connection, Path | None]:
    """For ``history --rebuild``: the index, or a new one after setting a damaged one aside."""
    try:
        return connect(path), None
    except StoreError:
        aside = set_aside(path)
        return connect(path), aside


class guarded:
    """``with guarded(path):`` turns an SQLite failure in the block into a StoreError with the fix."""

    def __init__(self, what: str = "the history index") -> None:
        self.what = what

    def __enter__(self) -> guarded:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, sqlite3.Error):
            raise StoreError(f"{self.what} is damaged ({exc}); run 'voicemock history --rebuild' "
                             "to set it aside and build a new one") from None
