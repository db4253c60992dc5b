"""Erasing sessions: the folder and its index rows together, by id, path or age."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import ConfigError, StoreError
from ..sessions import SESSION_FILE
from .db import connect
from .index import _folder_time, find_row, list_sessions, normalise_time, session_folders


def _looks_like_session(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / SESSION_FILE).is_file()


def _delete_folder(folder: Path) -> None:
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
        folder = p.parent if p.name == SESSION_FILE else p
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
    from ..sessions.read import load_session

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
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dwh]?)\s*", text.lower())
    if not m:
        raise ConfigError(f"--older-than {text!r}: use a number of days like 30d, 2w or 12h")
    n, unit = float(m.group(1)), m.group(2) or "d"
    return n * {"d": 1, "w": 7, "h": 1 / 24}[unit]
