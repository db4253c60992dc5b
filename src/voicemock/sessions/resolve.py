"""From what the user typed to a session: an id, a folder, its ``session.json`` or a ``.zip``.

Every command that takes a session (review, annotate, erase, ``practice --retry``) goes through
:func:`find_session_folder` or :func:`open_session`, so they all accept the same things:

1. a path to a session folder or to its ``session.json``;
2. a path to a ``.zip`` of a session folder (:func:`open_session` only; it is extracted safely);
3. a session id (the folder name) found in the history index or directly inside one of the
   recordings folders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ..errors import SessionError, StoreError
from . import SESSION_FILE

log = logging.getLogger(__name__)

NOT_FOUND = "no such session {spec!r}: give a session folder, its session.json, a .zip of it, or an id from 'voicemock history'"


def _as_folder(p: Path) -> Path | None:
    if p.name == SESSION_FILE and p.is_file():
        return p.parent
    if p.is_dir() and (p / SESSION_FILE).is_file():
        return p
    return None


def find_session_folder(spec: str, dirs: Iterable[Path] = ()) -> Path:
    """The folder of a session named by path or id (not a zip); SessionError if none."""
    p = Path(spec).expanduser()
    folder = _as_folder(p)
    if folder is not None:
        return folder
    if p.is_dir():
        raise SessionError(f"{p}: not a voicemock session folder (no {SESSION_FILE} in it)")
    if "/" not in spec and spec not in ("", ".", ".."):
        for d in dirs:
            folder = _as_folder(Path(d).expanduser() / spec)
            if folder is not None:
                return folder
        folder = _from_index(spec)
        if folder is not None:
            return folder
    raise SessionError(NOT_FOUND.format(spec=spec))


def _from_index(session_id: str) -> Path | None:
    """The folder the history index knows for an id; the index is a cache, so a damaged one is skipped."""
    from ..history.db import connect
    from ..history.index import find_rows

    try:
        db = connect()
    except StoreError as exc:
        log.info("history index not used to find %s: %s", session_id, exc)
        return None
    try:
        for row in find_rows(session_id, db):
            folder = _as_folder(Path(row.folder))
            if folder is not None:
                return folder
    except StoreError as exc:
        log.info("history index not used to find %s: %s", session_id, exc)
    finally:
        db.close()
    return None


def open_session(spec: str, dirs: Iterable[Path] = (), extract_to: str | Path | None = None):
    """Read a session named by path, zip or id (a :class:`~voicemock.sessions.read.LoadedSession`)."""
    import zipfile

    from .read import load_session

    p = Path(spec).expanduser()
    if p.is_dir():  # a damaged folder is still shown (from its WAVs), so no session.json is needed here
        return load_session(p)
    if p.is_file() and zipfile.is_zipfile(p):
        return load_session(p, extract_to)
    if p.is_file() and p.name != SESSION_FILE and p.suffix == ".json":
        return load_session(p)
    if p.is_file() and p.suffix.lower() == ".zip":  # there, but not a zip: say so, not "no such session"
        raise SessionError(f"{p}: not a valid zip file (damaged, cut short, or not a zip at all)")
    return load_session(find_session_folder(spec, dirs))
