"""Which files in a session folder are the session's own: what voicemock wrote there.

``erase`` deletes only these (a session.json saved into a folder of other things must not take
the other things with it), and ``review`` never writes a report over one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import SESSION_FILE

#: The files voicemock writes into a session folder, by their exact names: the session, the
#: coach's notes, one WAV per answer (q01.wav, q01-followup.wav: ``sessions.write.audio_name``)
#: and the temporary files of an interrupted atomic save. Nothing else is ever its own: not a
#: "Q4-earnings-call.wav" that happens to start like one, and not a WAV that a received
#: session.json names as its audio (the session.json is the sender's: naming "family.wav" there
#: must not make erase delete the coach's own family.wav).
_OWN_FILE = re.compile(r"^(?:session\.json|annotations\.json|q\d{2,}(?:-followup)?\.wav"
                       r"|\.(?:session|annotations)\.json\..+\.tmp|\.lock)$")


def is_own_name(name: str) -> bool:
    """Whether voicemock names a file of a session folder so (session.json, q01.wav, ...)."""
    return bool(_OWN_FILE.match(name))


def own_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(voicemock's files directly in ``folder``, everything else there). Voicemock's are the ones
    it writes, by name; symlinks and folders never are: they stay."""
    ours: list[Path] = []
    others: list[Path] = []
    for p in sorted(folder.iterdir()):
        own = _OWN_FILE.match(p.name) and p.is_file() and not p.is_symlink()
        (ours if own else others).append(p)
    return ours, others


def session_paths(folder: Path, from_zip: Path | None = None) -> set[Path]:
    """Every path a report must never be written over: the session's own files (those that exist
    and session.json / annotations.json even when missing) and the zip it came from."""
    from . import ANNOTATIONS_FILE

    paths = {folder / SESSION_FILE, folder / ANNOTATIONS_FILE}
    if folder.is_dir():  # and any recording or JSON there, whatever the sender named it
        paths.update(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".json") or _OWN_FILE.match(p.name))
    if from_zip is not None:
        paths.add(from_zip)
    return {p.resolve() for p in paths}
