"""Erasing sessions: the folder and its index rows together, by id, path or age; only what is ours.

A folder is erased only when it holds a session.json that reads as a voicemock session
(:func:`~voicemock.history.index.is_session_folder`), it is not a symlink, and (for a path the user
typed) it lies inside a known recordings folder: the configured one, one given with ``--dir``, or
one where an indexed session lives. ``--force-outside`` lifts only that last rule. Erasing happens
in two steps, :func:`plan_erase` / :func:`plan_older_than` (what would go, for the user to see and
confirm) and :func:`execute`.

Only the files voicemock writes into a session folder are deleted (:func:`own_files`): a
``session.json`` saved straight into a folder of other things (a coach's Downloads) makes that
folder a "session", and erasing it must not take the other things with it. They stay, named, and
the folder is removed only when nothing else is left in it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import ConfigError, StoreError
from ..sessions import SESSION_FILE
from ..sessions.own import own_files
from .db import guarded
from .index import (
    _folder_time,
    find_folder_row,
    find_rows,
    is_session_folder,
    list_sessions,
    normalise_time,
    session_folders,
)

_SHOWN_OTHERS = 5


def _names(paths: list[Path]) -> str:
    shown = ", ".join(p.name + ("/" if p.is_dir() and not p.is_symlink() else "") for p in paths[:_SHOWN_OTHERS])
    return shown + (f" and {len(paths) - _SHOWN_OTHERS} more" if len(paths) > _SHOWN_OTHERS else "")


@dataclass
class EraseTarget:
    session_id: str
    folder: Path
    on_disk: bool  # False: the folder is gone, only index rows remain
    files: int = 0  # voicemock's files in the folder: what is deleted
    size_bytes: int = 0
    others: list[Path] = field(default_factory=list)  # anything else in the folder: kept
    names: list[Path] = field(default_factory=list)  # voicemock's files: what is deleted, shown by name

    def describe(self) -> str:
        if not self.on_disk:
            return f"{self.session_id}: index rows only (folder {self.folder} is gone)"
        kept = (f"; {len(self.others)} other item(s) in it are not voicemock's and are kept: {_names(self.others)}"
                if self.others else "")
        return (f"{self.session_id}: {self.folder} ({self.files} file(s): {_names(self.names)}; "
                f"{self.size_bytes / 1e6:.1f} MB{kept})")


def _target(session_id: str, folder: Path) -> EraseTarget:
    if not folder.exists():
        return EraseTarget(session_id, folder, on_disk=False)
    ours, others = own_files(folder)
    return EraseTarget(session_id, folder, True, len(ours), sum(p.stat().st_size for p in ours), others, ours)


def _session_id(folder: Path) -> str:
    from ..sessions.read import load_session

    return load_session(folder).session.id


def known_roots(dirs: Iterable[Path], db: sqlite3.Connection) -> list[Path]:
    """Recordings folders: the given ones and every folder an indexed session lives in."""
    roots = {Path(d).expanduser().resolve() for d in dirs}
    roots |= {Path(r.folder).parent for r in list_sessions(db)}
    return sorted(roots)


def _inside(folder: Path, roots: list[Path]) -> bool:
    folder = folder.resolve()
    return any(root in folder.parents for root in roots)


def plan_erase(spec: str, dirs: Iterable[Path], db: sqlite3.Connection, force_outside: bool = False) -> list[EraseTarget]:
    """What erasing ``spec`` (a session id, folder or session.json) would delete; StoreError when
    it names nothing of ours."""
    dirs = list(dirs)
    p = Path(spec).expanduser()
    if p.exists() or "/" in spec:
        folder = p.parent if p.name == SESSION_FILE else p
        if folder.is_symlink():
            raise StoreError(f"{folder} is a link; erase never follows links: give the folder it leads to "
                             f"({folder.resolve()}) if that is the session to erase")
        if not is_session_folder(folder):
            raise StoreError(f"{folder}: not a voicemock session folder (no readable voicemock session.json); "
                             "nothing deleted")
        if not force_outside and not _inside(folder, known_roots(dirs, db)):
            raise StoreError(f"{folder} is not inside a recordings folder voicemock knows "
                             f"({', '.join(str(d) for d in dirs) or 'none'}); nothing deleted. Give --dir with its "
                             "recordings folder, or --force-outside if you are sure")
        return [_target(_session_id(folder), folder.resolve())]
    targets = {Path(r.folder): r.id for r in find_rows(spec, db)}
    for d in dirs:
        cand = (Path(d).expanduser() / spec)
        if is_session_folder(cand):
            targets.setdefault(cand.resolve(), spec)
    out = []
    for folder, sid in sorted(targets.items()):
        if folder.exists() and not is_session_folder(folder):
            continue  # an indexed path that now holds something else: never touched
        out.append(_target(sid, folder))
    if not out:
        raise StoreError(f"no session {spec!r}: give a session folder or an id from 'voicemock history'")
    return out


def plan_older_than(days: float, dirs: Iterable[Path], db: sqlite3.Connection,
                    now: datetime | None = None) -> list[EraseTarget]:
    """Sessions started more than ``days`` ago: indexed ones and those directly inside ``dirs``."""
    cutoff = ((now or datetime.now()) - timedelta(days=days)).isoformat(timespec="seconds")
    found: dict[Path, str] = {}
    for r in list_sessions(db):
        folder = Path(r.folder)
        if r.started_at and r.started_at != "unknown" and r.started_at < cutoff:
            if not folder.exists() or is_session_folder(folder):
                found[folder] = r.id
    for folder in session_folders(dirs):
        key = folder.resolve()
        if key in found:
            continue
        from ..sessions.read import load_session

        s = load_session(folder).session
        when = normalise_time(s.started_at, _folder_time(folder))
        if when and when < cutoff:
            found[key] = s.id
    return [_target(sid, folder) for folder, sid in sorted(found.items(), key=lambda kv: (kv[1], str(kv[0])))]


def execute(targets: list[EraseTarget], db: sqlite3.Connection) -> list[str]:
    """Delete each target's folder (checked again just before) and its index rows; what went."""
    gone = []
    for t in targets:
        if t.on_disk:
            if not is_session_folder(t.folder):
                gone.append(f"skipped {t.folder}: no longer a voicemock session folder")
                continue
            ours, others = own_files(t.folder)
            # session.json last: a folder left half-erased still reads as a session, to erase again
            ours.sort(key=lambda p: p.name == SESSION_FILE)
            try:
                for p in ours:
                    p.unlink()
                if not others:
                    t.folder.rmdir()
            except OSError as exc:
                raise StoreError(f"cannot delete {t.folder}: {exc.strerror or exc}") from None
            if others:
                gone.append(f"the voicemock files of {t.folder} ({len(ours)} file(s)); kept the folder and the "
                            f"{len(others)} other item(s) in it: {_names(others)}")
            else:
                gone.append(f"{t.folder} ({len(ours)} file(s))")
        with guarded(), db:
            db.execute("DELETE FROM answers WHERE folder = ?", (str(t.folder),))
            if db.execute("DELETE FROM sessions WHERE folder = ?", (str(t.folder),)).rowcount:
                gone.append(f"index rows of {t.session_id}")
    return gone


#: The oldest age --older-than takes, in days.
MAX_AGE_DAYS = 36_500


def parse_age(text: str) -> float:
    """``30d``, ``2w``, ``12h`` or a plain number of days -> days."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dwh]?)\s*", text.lower())
    if not m:
        raise ConfigError(f"--older-than {text!r}: use a number of days like 30d, 2w or 12h")
    n, unit = float(m.group(1)), m.group(2) or "d"
    days = n * {"d": 1, "w": 7, "h": 1 / 24}[unit]
    if days > MAX_AGE_DAYS:  # past this the cutoff date is before year 1: no calendar holds it
        raise ConfigError(f"--older-than {text!r}: at most {MAX_AGE_DAYS} days (100 years)")
    return days


__all__ = ["EraseTarget", "execute", "find_folder_row", "known_roots", "parse_age", "plan_erase", "plan_older_than"]
