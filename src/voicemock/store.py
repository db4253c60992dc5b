"""Session folders: ``recordings/<YYYYmmdd-HHMMSS>-<bank>/`` with ``session.json`` and the answers' WAVs.

The folder is the unit a coach receives: it is created private (mode 0700), holds only relative
paths (``q01.wav``, ``q01-followup.wav``), and ``session.json`` carries ``schema_version``.
``session.json`` is rewritten atomically (temp file + fsync + ``os.replace``) after every answer,
so a crash leaves either the previous or the new version, never half a file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Literal, Optional

from .errors import SessionError, StoreError
from .results import SCHEMA_VERSION, Session

log = logging.getLogger(__name__)

SESSION_FILE = "session.json"


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "bank"


def new_session_folder(root: Path, bank: str, when: Optional[datetime] = None) -> Path:
    """Create ``root/<YYYYmmdd-HHMMSS>-<bank>/`` (mode 0700); a ``-2``, ``-3``... suffix if taken."""
    root = Path(root).expanduser()
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{_safe(Path(bank).stem)}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            folder = root / (base if n == 1 else f"{base}-{n}")
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                continue
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
            return folder
    except OSError as exc:
        raise StoreError(f"cannot create a session folder under {root}: {exc}. Use --out DIR.") from None
    raise StoreError(f"{root}: too many sessions named {base}")


def audio_name(index: int, kind: Literal["main", "followup"] = "main") -> str:
    """``q01.wav`` for the first question, ``q01-followup.wav`` for its follow-up."""
    return f"q{index:02d}{'-followup' if kind == 'followup' else ''}.wav"


def save_session(folder: Path, session: Session) -> Path:
    """Write ``folder/session.json`` atomically; StoreError (e.g. disk full) says what was kept."""
    folder = Path(folder)
    target = folder / SESSION_FILE
    data = session.model_dump_json(indent=2)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".session-", suffix=".json.tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise StoreError(
            f"cannot save {target}: {exc}. The previous session.json and the recorded WAVs in {folder} are kept; "
            "free some disk space."
        ) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_session(folder: Path) -> Session:
    """Read a session folder (or its session.json) into a :class:`Session`; SessionError if damaged."""
    path = Path(folder)
    if path.is_dir():
        path = path / SESSION_FILE
    if not path.is_file():
        raise SessionError(f"{path}: no session.json here; is this a voicemock session folder?")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"{path}: damaged session file ({exc})") from None
    if not isinstance(data, dict):
        raise SessionError(f"{path}: not a session (expected a JSON object)")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SessionError(
            f"{path}: schema_version {version!r} is newer than this voicemock understands ({SCHEMA_VERSION}); upgrade voicemock"
        )
    try:
        return Session.model_validate(data)
    except Exception as exc:
        raise SessionError(f"{path}: invalid session.json: {exc}") from None
