"""Unpacking a zipped session folder without trusting it.

Entries with absolute paths, ``..`` components, drive letters, backslashes, NUL bytes or symlinks
are refused (each listed as a problem), nothing is written outside the target folder, the whole
archive is refused when it would unpack to more than :data:`MAX_UNZIPPED_BYTES`, and what is
written is readable by the owner only (folders 0700, files 0600).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ..errors import SessionError
from ..fileio import megabytes
from . import SESSION_FILE

#: A session is minutes of 16 kHz 16-bit audio (about 2 MB a minute) and some JSON.
MAX_UNZIPPED_BYTES = 1024**3
MAX_ENTRY_BYTES = 200 * 1024**2
MAX_ENTRIES = 1000
MAX_NAME_BYTES = 255  # one path component, as most file systems allow
#: What a session folder holds; anything else in a zip is left out.
SESSION_SUFFIXES = (".json", ".wav")
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error)


def open_zip(zpath: Path, target: Path, problems: list[str]) -> tuple[Path, bool]:
    """The session folder inside ``target``, extracting ``zpath`` there unless it already was
    (coach notes written there are kept); and whether it was extracted now.

    A folder is reused only when it holds this zip's own session.json, byte for byte, where the
    zip puts it: ``--extract recordings`` must not show (and take notes about) another session
    that happens to be in there."""
    member, data = _zip_session_json(zpath)
    if target.exists() and member is not None and data is not None:
        there = target / member
        if there.is_file() and not there.is_symlink() and _holds(there, data):
            problems += refused_entries(zpath)  # said again: a coach who missed the first run learns of them
            return there.parent, False
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise SessionError(f"{target} already exists and does not hold the session of {zpath.name}; "
                           f"choose an empty folder to extract it into with --extract DIR")
    extract_zip(zpath, target, problems)
    found = find_session_json(target)
    if found is None:
        problems.append(f"{zpath}: the zip holds no {SESSION_FILE}")
        return target, True
    more = [h for h in target.rglob(SESSION_FILE) if h != found and not h.is_symlink()]
    if more:  # a zip of several sessions: say which one is shown, and where the others are
        problems.append(f"{zpath}: holds {len(more) + 1} sessions; showing {found.parent.relative_to(target)}, the "
                        f"others are in {', '.join(str(h.parent) for h in sorted(more)[:3])}"
                        + (" and more" if len(more) > 3 else ""))
    return found.parent, True


def _zip_session_json(zpath: Path) -> tuple[str | None, bytes | None]:
    """(where the zip's shallowest safe session.json goes, its bytes); None for what is missing
    or unreadable (extraction then reports the problem)."""
    from .read import MAX_SESSION_JSON_BYTES

    try:
        with zipfile.ZipFile(zpath) as zf:
            infos = [i for i in zf.infolist()[:MAX_ENTRIES] if not i.is_dir()
                     and PurePosixPath(i.filename).name == SESSION_FILE and unsafe_zip_reason(i) is None]
            if not infos:
                return None, None
            info = min(infos, key=lambda i: (len(PurePosixPath(i.filename).parts), i.filename))
            if info.file_size > MAX_SESSION_JSON_BYTES:
                return info.filename, None
            with zf.open(info) as fh:
                return info.filename, fh.read(MAX_SESSION_JSON_BYTES + 1)
    except _READ_ERRORS:
        return None, None


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def find_session_json(folder: Path) -> Path | None:
    if not folder.is_dir():
        return None
    hits = sorted(folder.rglob(SESSION_FILE), key=lambda q: (len(q.parts), str(q)))
    hits = [h for h in hits if not h.is_symlink()]
    return hits[0] if hits else None


def unsafe_zip_reason(info: zipfile.ZipInfo) -> str | None:
    """Why an entry must not be extracted, or None when it is safe."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if "\\" in name:
        return "uses backslashes (a Windows path)"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    parts = PurePosixPath(name).parts
    if ".." in parts:
        return "climbs out of the folder with '..'"
    if "\x00" in name:
        return "has a NUL byte in its name"
    if any(len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for part in parts) or len(name) > 1024:
        return "has a name too long for the file system"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in _METHODS:
        return f"uses a compression method this tool does not read ({info.compress_type})"
    if not info.is_dir() and not name.lower().endswith(SESSION_SUFFIXES):
        return "is not part of a session (only .json and .wav files are extracted)"
    if info.file_size > MAX_ENTRY_BYTES:
        return (f"unpacks to {megabytes(info.file_size, over=True)}, more than the {megabytes(MAX_ENTRY_BYTES)} "
                "allowed per file")
    return None


def refused_entries(zpath: Path) -> list[str]:
    """The problems of the entries extraction refuses (read from the listing alone, nothing written)."""
    try:
        with zipfile.ZipFile(zpath) as zf:
            infos = zf.infolist()[:MAX_ENTRIES]
    except _READ_ERRORS:
        return []
    return [f"{zpath.name}: refused entry {i.filename!r}: it {why}" for i in infos
            if (why := unsafe_zip_reason(i)) is not None]


def extract_zip(zpath: Path, target: Path, problems: list[str]) -> list[Path]:
    """Extract the safe entries of ``zpath`` into ``target`` (created 0700); list the refused ones."""
    try:
        zf = zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SessionError(f"{zpath}: not a readable zip file ({exc})") from None
    written: list[Path] = []
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise SessionError(f"{zpath}: {len(infos)} entries; a session holds a few files, refusing it")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise SessionError(f"{zpath}: unpacks to {total / 1024**3:.1f} GB (1 GB allowed); a session is far smaller, refusing it")
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(target, 0o700)  # recordings inside: owner only, even in an existing empty folder
        except OSError as exc:
            raise SessionError(f"cannot create {target} to extract {zpath.name} into ({exc.strerror or exc}); "
                               "choose another folder with --extract DIR") from None
        root = target.resolve()
        budget = MAX_UNZIPPED_BYTES
        for info in infos:
            reason = unsafe_zip_reason(info)
            dest = (root / info.filename).resolve() if reason is None else root
            if reason is None and dest != root and root not in dest.parents:
                reason = "would be written outside the folder"
            if reason:
                problems.append(f"{zpath.name}: refused entry {info.filename!r}: it {reason}")
                continue
            error = _extract_one(zf, info, dest, min(MAX_ENTRY_BYTES, budget))
            if error:
                problems.append(f"{zpath.name}: entry {info.filename!r} {error}; skipped")
                continue
            if not info.is_dir():
                budget -= dest.stat().st_size
                written.append(dest)
    return written


def _extract_one(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limit: int) -> str | None:
    """Write one entry (0600) reading at most ``limit`` bytes, whatever its header claims; the
    reason it failed, or None."""
    try:
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True, mode=0o700)
            return None
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if dest.is_symlink() or dest.exists():
            return "collides with a file or symlink already there"
        size = 0
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with zf.open(info) as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ValueError(f"unpacks to more than {megabytes(limit)}")
                out.write(chunk)
        return None
    except _READ_ERRORS as exc:
        if not info.is_dir():
            dest.unlink(missing_ok=True)
        return f"cannot be extracted ({exc})"
