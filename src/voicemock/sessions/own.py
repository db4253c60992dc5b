"""Which files in a session folder are the session's own: what voicemock wrote there.

``erase`` deletes only these (a session.json saved into a folder of other things must not take
the other things with it), and ``review`` never writes a report over one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import SESSION_FILE

#: The files voicemock writes into a session folder: the session, the coach's notes, one WAV per
#: answer (q01.wav, q01-followup.wav) and the temporary files of an interrupted atomic save.
_OWN_FILE = re.compile(r"^(?:session\.json|annotations\.json|(?i:q\d+[\w-]*\.wav)"
                       r"|\.(?:session|annotations)\.json\..+\.tmp|\.lock)$")


def _named_audio(folder: Path) -> set[str]:
    """The WAV files the folder's session.json names as its answers' audio (plain names only)."""
    from ..fileio import UnreadableFile, read_json
    from .read import MAX_SESSION_JSON_BYTES

    try:
        data = read_json(folder / SESSION_FILE, MAX_SESSION_JSON_BYTES)
    except (OSError, UnreadableFile):
        return set()
    answers = data.get("answers") if isinstance(data, dict) else None
    names = {a.get("audio") for a in answers if isinstance(a, dict)} if isinstance(answers, list) else set()
    return {n for n in names if isinstance(n, str) and n.lower().endswith(".wav") and "/" not in n
            and "\\" not in n and not n.startswith(".")}


def own_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(voicemock's files directly in ``folder``, everything else there). Voicemock's are the ones
    it writes and the WAVs its session.json names; symlinks and folders never are: they stay."""
    named = _named_audio(folder)
    ours: list[Path] = []
    others: list[Path] = []
    for p in sorted(folder.iterdir()):
        own = _OWN_FILE.match(p.name) or p.name in named
        (ours if own and p.is_file() and not p.is_symlink() else others).append(p)
    return ours, others


def session_paths(folder: Path, from_zip: Path | None = None) -> set[Path]:
    """Every path a report must never be written over: the session's own files (those that exist
    and session.json / annotations.json even when missing) and the zip it came from."""
    from . import ANNOTATIONS_FILE

    paths = {folder / SESSION_FILE, folder / ANNOTATIONS_FILE}
    if folder.is_dir():
        paths.update(own_files(folder)[0])
    if from_zip is not None:
        paths.add(from_zip)
    return {p.resolve() for p in paths}
