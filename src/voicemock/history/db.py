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


