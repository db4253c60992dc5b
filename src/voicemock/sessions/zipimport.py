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
from pathlib import Path, PurePosixPath

from ..errors import SessionError
from . import SESSION_FILE

MAX_UNZIPPED_BYTES = 2 * 1024**3  # refuse zip bombs: a session is minutes of 16 kHz audio


def open_zip(zpath: Path, target: Path, problems: list[str]) -> Path:
    if target.exists() and find_session_json(target):
        problems.append(f"{zpath}: using the folder already extracted at {target} (delete it to extract again)")
        return find_session_json(target).parent  # type: ignore[union-attr]
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise SessionError(f"{target} already exists and holds no session; choose an empty folder "
                           f"to extract {zpath.name} into with --extract DIR")
    extract_zip(zpath, target, problems)
    found = find_session_json(target)
    if found is None:
        problems.append(f"{zpath}: the zip holds no {SESSION_FILE}")
        return target
    return found.parent


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
    return None


def extract_zip(zpath: Path, target: Path, problems: list[str]) -> list[Path]:
    """Extract the safe entries of ``zpath`` into ``target`` (created 0700); list the refused ones."""
    try:
        zf = zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SessionError(f"{zpath}: not a readable zip file ({exc})") from None
    written: list[Path] = []
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise SessionError(f"{zpath}: unpacks to {total / 1e9:.1f} GB; a session is far smaller, refusing it")
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(target, 0o700)  # recordings inside: owner only, even in an existing empty folder
        except OSError as exc:
            raise SessionError(f"cannot create {target} to extract {zpath.name} into ({exc}); "
                               "choose another folder with --extract DIR") from None
        root = target.resolve()
        for info in infos:
            reason = unsafe_zip_reason(info)
            dest = (root / info.filename).resolve()
            if reason is None and dest != root and root not in dest.parents:
                reason = "would be written outside the folder"
            if reason:
                problems.append(f"{zpath.name}: refused entry {info.filename!r}: it {reason}")
                continue
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True, mode=0o700)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if dest.is_symlink():
                problems.append(f"{zpath.name}: refused entry {info.filename!r}: a symlink is in the way")
                continue
            try:
                with zf.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                problems.append(f"{zpath.name}: entry {info.filename!r} is damaged ({exc}); skipped")
                dest.unlink(missing_ok=True)
                continue
            os.chmod(dest, 0o600)
            written.append(dest)
    return written
