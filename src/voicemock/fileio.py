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


class UnreadableFile(ValueError):
    """A file that cannot be used as what it claims to be; ``str()`` says why, naming no path."""


def megabytes(nbytes: int | float, *, over: bool = False) -> str:
    """A size as the README states limits: MB of 1024 x 1024 bytes, "20 MB" for a round limit,
    one decimal otherwise; ``over`` rounds up, so a size over a limit never reads as equal to it
    ("20.1 MB is more than the 20 MB allowed", not "21.0 MB ... 21 MB")."""
    import math

    mb = nbytes / (1024 * 1024)
    if over:
        mb = math.ceil(mb * 10) / 10
    return f"{mb:g} MB" if mb == int(mb) and not over else f"{mb:.1f} MB"


def check_regular(path: Path, max_bytes: int) -> int:
    """The size of ``path``; UnreadableFile for a FIFO, device or folder, or a file over ``max_bytes``."""
    import stat

    st = Path(path).stat()  # FileNotFoundError is the caller's to report
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("not a regular file (a folder, FIFO, socket or device); refusing to read it")
    if st.st_size > max_bytes:
        raise UnreadableFile(f"{megabytes(st.st_size, over=True)} is more than the {megabytes(max_bytes)} allowed")
    return st.st_size


def read_json(path: str | Path, max_bytes: int):
    """Parse a JSON file that may be hostile: regular files only, size-capped, any parse failure
    (syntax, a 5,000-digit number, 100,000-deep nesting, invalid UTF-8) is an UnreadableFile."""
    import json

    path = Path(path)
    check_regular(path, max_bytes)
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"damaged JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise UnreadableFile("JSON nested too deeply to be a voicemock file") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise UnreadableFile(f"unreadable JSON value ({exc})") from None


def remove_stale_temps(target: Path, older_than_s: float = 60.0) -> list[Path]:
    """Delete temporary files that an interrupted :func:`atomic_write_bytes` of ``target`` left behind."""
    import time

    removed = []
    now = time.time()
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if tmp.is_file() and not tmp.is_symlink() and now - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


class locked:
    """An exclusive advisory lock held on ``path`` for the ``with`` block.

    Serialises read-modify-write of a file between processes with ``fcntl.flock``. ``path`` may be
    a folder (locked in place, so no lock file is left in it) or a lock file (created 0600). On
    systems without ``fcntl``, an ``O_EXCL`` lock file beside it, with a timeout.
    """

    def __init__(self, path: str | Path, timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._fd: int | None = None

    def __enter__(self) -> locked:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            self._exclusive_file()
            return self
        if self.path.is_dir():
            self._fd = os.open(self.path, os.O_RDONLY)
        else:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def _exclusive_file(self) -> None:  # pragma: no cover - Windows
        import time

        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                lock = self.path / ".lock" if self.path.is_dir() else self.path
                self._fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE)
                self._lock_file = lock
                self._owned = True
                return
            except FileExistsError:
                if time.monotonic() > deadline:
                    raise OSError(f"{self.path} is locked by another voicemock") from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None
            if getattr(self, "_owned", False):  # pragma: no cover - Windows
                self._lock_file.unlink(missing_ok=True)
