"""Session folders: ``recordings/<YYYYmmdd-HHMMSS>-<bank>-<xxxx>/`` with ``session.json`` and the answers' WAVs.

The folder is the unit a coach receives: it is created private (mode 0700), holds only relative
paths (``q01.wav``, ``q01-followup.wav``), and ``session.json`` carries ``schema_version``.
``session.json`` is rewritten atomically (:mod:`voicemock.fileio`) after every answer, so a crash
leaves either the previous or the new version, never half a file.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Literal, Optional

from ..errors import StoreError
from ..fileio import atomic_write_text, remove_stale_temps
from ..models import Session
from . import SESSION_FILE

log = logging.getLogger(__name__)


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "bank"


def new_session_id(bank: str, when: Optional[datetime] = None) -> str:
    """``<YYYYmmdd-HHMMSS>-<bank>-<4 random hex digits>``: sortable by time, and two sessions started
    in the same second (or on two machines) still differ."""
    import secrets

    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{_safe(Path(bank).stem)}-{secrets.token_hex(2)}"


def new_session_folder(root: Path, bank: str, when: Optional[datetime] = None) -> Path:
    """Create ``root/<session id>/`` (mode 0700) for a new session."""
    root = Path(root).expanduser()
    try:
        root.mkdir(parents=True, exist_ok=True)
        for _ in range(100):
            folder = root / new_session_id(bank, when)
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                continue
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
            return folder
    except OSError as exc:
        raise StoreError(f"cannot create a session folder under {root}: {exc}. Use --out DIR.") from None
    raise StoreError(f"{root}: cannot find a free session folder name")


def audio_name(index: int, kind: Literal["main", "followup"] = "main") -> str:
    """``q01.wav`` for the first question, ``q01-followup.wav`` for its follow-up."""
    return f"q{index:02d}{'-followup' if kind == 'followup' else ''}.wav"


def save_session(folder: Path, session: Session) -> Path:
    """Write ``folder/session.json`` atomically; StoreError (e.g. disk full) says what was kept."""
    target = Path(folder) / SESSION_FILE
    remove_stale_temps(target)
    try:
        atomic_write_text(target, session.model_dump_json(indent=2))
    except OSError as exc:
        raise StoreError(
            f"cannot save {target}: {exc}. The previous session.json and the recorded WAVs in {folder} are kept; "
            "free some disk space."
        ) from None
    return target
