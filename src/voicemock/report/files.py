"""Writing a report where the user asked: a file path, never a folder, owner-only (0600)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from ..fileio import atomic_write_text
from ..textsafe import file_text


def check_target(path: str | Path, example: str = "review.html") -> Path:
    """``path`` as a report file to (over)write; ReportError when it cannot be one."""
    out = Path(path).expanduser()
    if out.is_dir():
        raise ReportError(f"{out} is a folder; give a file name, e.g. {out / example}")
    if out.exists() and not out.is_file():
        raise ReportError(f"{out} exists and is not a regular file; refusing to write over it")
    if out.parent.exists() and not out.parent.is_dir():
        raise ReportError(f"{out.parent} is not a folder; cannot write {out.name} into it")
    if _is_session_file(out):
        raise ReportError(f"{out} belongs to the voicemock session in {out.parent}; write the report to a new "
                          f"file, e.g. {out.parent / example}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create {out.parent} for {out.name}: {exc}") from None
    return out


def _is_session_file(out: Path) -> bool:
    """A session's recording, transcript or notes, of any session (not only the one reported on):
    a WAV or JSON beside a session.json, or a file named as voicemock names its own."""
    from ..sessions import SESSION_FILE
    from ..sessions.own import is_own_name

    try:
        in_session = (out.parent / SESSION_FILE).is_file()
    except OSError:
        return False
    return in_session and (out.suffix.lower() in (".wav", ".json") or is_own_name(out.name))


def write_report(path: str | Path, text: str, example: str = "review.html") -> Path:
    """Write a report; text from sessions may hold escape sequences, and a report is read with
    ``cat`` as often as in a browser or editor, so none reach the file (textsafe.file_text)."""
    out = check_target(path, example)
    try:
        atomic_write_text(out, file_text(text))
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc}") from None
    return out
