"""Writing files so that a crash never leaves half of one: the one atomic write of voicemock.

Every file voicemock writes for the user (``session.json``, ``annotations.json``, reports, the
LLM format cache) goes through :func:`atomic_write_text` or :func:`atomic_write_bytes`: a
temporary file in the same folder, fsync, ``chmod`` (0600 by default: recordings and transcripts
are personal), then ``os.replace`` over the target, then an fsync of the folder. A reader sees
the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE = 0o600


def atomic_write_bytes(path: str | Path, data: bytes, mode: int = PRIVATE) -> Path:
    """Replace ``path`` with ``data`` atomically (OSError on failure; the old file is kept)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def atomic_write_text(path: str | Path, text: str, mode: int = PRIVATE) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system allows it)."""
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
