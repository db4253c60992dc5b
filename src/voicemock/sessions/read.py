"""Tolerant reading of a saved session: a folder, its ``session.json``, or a ``.zip`` of the folder.

A coach receives sessions from candidates, so nothing here trusts the input:

* a zip is extracted entry by entry into a target folder; entries with absolute paths, ``..``
  components, drive letters or symlinks are refused (listed as problems), nothing is written
  outside the target, and the target is created readable by the owner only (0700);
* a damaged ``session.json`` or a missing/escaping audio path becomes a line in
  :attr:`LoadedSession.problems` and the rest of the session is still returned.

Only a path that does not exist, or a file that is neither JSON nor a zip, raises
:class:`~voicemock.errors.SessionError`.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from ..errors import SessionError
from ..fileio import UnreadableFile, read_json
from ..models import AnswerResult, Session, SessionAnswer, Transcript, Word
from . import SESSION_FILE
from .zipimport import open_zip

log = logging.getLogger(__name__)

_AUDIO_RE = re.compile(r"^(q\d+[\w-]*)\.wav$", re.IGNORECASE)
#: A session.json is a few hundred KB; anything far larger is refused before it is parsed.
MAX_SESSION_JSON_BYTES = 20 * 1024 * 1024
#: A round has a handful of questions; a file listing more is not read past this.
MAX_ANSWERS = 500
#: No answer is longer than this; times beyond it (or negative) are nonsense, not loops to run.
MAX_SECONDS = 24 * 3600.0


@dataclass
class LoadedSession:
    """What could be read of a session, and what could not."""

    session: Session
    folder: Path
    problems: list[str] = field(default_factory=list)
    source: Path | None = None  # what the user named (folder, session.json or zip)
    from_zip: Path | None = None  # the zip the folder came from
    extracted_now: bool = False  # the zip was extracted by this call (else an earlier one)

    def audio_path(self, answer: SessionAnswer) -> Path | None:
        """The answer's WAV inside the folder, or None when it is missing or escapes the folder."""
        return _safe_member(self.folder, answer.audio) if answer.audio else None


def load_session(path: str | Path, extract_to: str | Path | None = None) -> LoadedSession:
    """Read a session from a folder, a ``session.json`` or a ``.zip``.

    A zip is extracted into ``extract_to`` (default: a folder named after the zip, beside it);
    when that folder already holds a session it is reused, so coach notes written there are kept.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise SessionError(f"{p}: no such session folder, session.json or zip")
    problems: list[str] = []
    from_zip, extracted_now = None, False
    if p.is_file() and zipfile.is_zipfile(p):
        target = Path(extract_to) if extract_to else p.with_suffix("")
        folder, extracted_now = open_zip(p, target, problems)
        from_zip = p
    elif p.is_dir():
        folder = p
    elif p.is_file() and p.name.endswith(".json"):
        folder = p.parent
    else:
        raise SessionError(f"{p}: not a session folder, session.json or zip file")
    session = _read_session_json(folder / SESSION_FILE, problems)
    _check_audio(folder, session, problems)
    for msg in problems:
        log.info("%s", msg)  # the caller shows problems once, in its own way
    return LoadedSession(session=session, folder=folder, problems=problems, source=p, from_zip=from_zip,
                         extracted_now=extracted_now)


# --- session.json -------------------------------------------------------------------------------


def _read_session_json(path: Path, problems: list[str]) -> Session:
    folder = path.parent
    fallback = _fallback_session(folder)
    try:
        data = read_json(path, MAX_SESSION_JSON_BYTES)
    except FileNotFoundError:
        problems.append(f"{path}: missing; showing only the audio files found in the folder")
        return fallback
    except UnreadableFile as exc:
        problems.append(f"{path}: {exc}; showing only the audio files found in the folder")
        return fallback
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc}); showing only the audio files found")
        return fallback
    if not isinstance(data, dict):
        problems.append(f"{path}: expected a JSON object, found {type(data).__name__}")
        return fallback
    return _lenient_session(data, path, fallback, problems)


def _lenient_session(data: dict, path: Path, fallback: Session, problems: list[str]) -> Session:
    """Validate the top level and each answer separately, so one bad answer hides nothing else."""
    raw_answers = data.get("answers", [])
    if not isinstance(raw_answers, list):
        problems.append(f"{path}: 'answers' must be a list")
        raw_answers = []
    session = _lenient_head({k: v for k, v in data.items() if k != "answers"}, path, fallback, problems)
    _check_started(session, path, fallback, problems)
    if len(raw_answers) > MAX_ANSWERS:
        problems.append(f"{path}: {len(raw_answers)} answers; only the first {MAX_ANSWERS} are read")
        raw_answers = raw_answers[:MAX_ANSWERS]
    for i, item in enumerate(raw_answers, start=1):
        answer = _lenient_answer(item, i, path, problems)
        _check_times(answer, path, problems)
        session.answers.append(answer)
    if session.schema_version > 1:
        problems.append(f"{path}: schema_version {session.schema_version} is newer than this voicemock knows (1); "
                        "some fields may not be shown")
    return session


def _lenient_head(head: dict, path: Path, fallback: Session, problems: list[str]) -> Session:
    """The session's own fields; each one that does not validate is replaced by the folder's
    (the id, bank, date) or its default, and named, and the rest are kept (a bad ``settings`` once
    cost the session its id)."""
    base = fallback.model_dump(exclude={"answers"})
    for _ in range(len(head) + 1):
        try:
            return Session.model_validate({**head, "answers": []})
        except ValidationError as exc:
            field_name = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
            if field_name not in head:
                break
            from_folder = field_name in ("id", "bank", "started_at")  # required: the folder's stands in
            what = "the folder's" if from_folder else "its default"
            problems.append(f"{path}: {_first_error(exc)}; {field_name} ignored, {what} used instead")
            if from_folder:
                head[field_name] = base[field_name]
            else:
                head.pop(field_name)
    problems.append(f"{path}: the session's fields cannot be read; using the folder name instead")
    return Session.model_validate({**base, "answers": []})


#: Sessions are dated from this year on; anything earlier or later than tomorrow is no date of a session.
_FIRST_YEAR = 2000


def _check_started(session: Session, path: Path, fallback: Session, problems: list[str]) -> None:
    """A ``started_at`` that is no date ("yesterday", a year 9999) would sort as the latest session
    for ``plan`` and never be old enough for ``erase --older-than``: the folder's date is used."""
    from datetime import datetime, timedelta

    from ..textsafe import shorten

    value = session.started_at
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        ok = dt.year >= _FIRST_YEAR and dt <= datetime.now(dt.tzinfo) + timedelta(days=1)
    except (ValueError, TypeError, OverflowError):
        ok = False
    if not ok and value != fallback.started_at:
        problems.append(f"{path}: started_at {shorten(repr(value), 60)} is not a date a session could have; "
                        f"the folder's date ({fallback.started_at}) is used")
        session.started_at = fallback.started_at


def _lenient_answer(item, index: int, path: Path, problems: list[str]) -> SessionAnswer:
    if not isinstance(item, dict):
        problems.append(f"{path}: answer {index} is not an object; skipped")
        return SessionAnswer(question_id=f"answer-{index}", question="(unreadable answer)")
    try:
        return SessionAnswer.model_validate(item)
    except ValidationError as exc:
        qid = item.get("question_id") if isinstance(item.get("question_id"), str) else f"answer-{index}"
        problems.append(f"{path}: answer {qid}: {_first_error(exc)}; the unreadable part is left out")
        keep = {k: item[k] for k in ("question_id", "question", "kind", "audio", "started_at", "ended_at")
                if isinstance(item.get(k), str)}
        keep.setdefault("question_id", qid)
        keep.setdefault("question", "(question text unreadable)")
        if keep.get("kind") not in ("main", "followup"):
            keep.pop("kind", None)
        answer = SessionAnswer.model_validate(keep)
        answer.result = _salvage_result(item.get("result"))
        return answer


def _salvage_result(raw) -> AnswerResult | None:
    """Keep the readable parts of a damaged result (a bad rubric must not hide the transcript)."""
    if not isinstance(raw, dict):
        return None
    data = dict(raw)
    defaults: dict[str, dict | None] = {"delivery": {}, "structure": None, "rubric": None}
    for key, default in defaults.items():
        try:
            AnswerResult.model_validate({**data, **{k: v for k, v in defaults.items() if k != key}})
        except ValidationError:
            data[key] = default
    try:
        return AnswerResult.model_validate(data)
    except ValidationError:
        return None


def _times(result: AnswerResult) -> list[float]:
    t = result.transcript
    out = [t.duration_s] + [x for w in t.words for x in (w.start, w.end)]
    d = result.delivery
    out += [x for f in d.fillers for x in (f.start, f.end)] + [x for p in d.pauses for x in (p.start, p.end)]
    if result.structure is not None:
        out += [x for s in result.structure.sentences for x in (s.start, s.end)]
    return [x for x in out if x is not None]


def _check_times(answer: SessionAnswer, path: Path, problems: list[str]) -> None:
    """Times outside 0..MAX_SECONDS make the answer untimed (text and scores kept), with a problem."""
    r = answer.result
    bad = [x for x in _times(r) if not -1.0 <= x <= MAX_SECONDS] if r is not None else []
    if answer.duration_s is not None and not 0 <= answer.duration_s <= MAX_SECONDS:
        bad.append(answer.duration_s)
        answer.duration_s = None
    if not bad:
        return
    problems.append(f"{path}: answer {answer.question_id}: time {bad[0]:g} s is out of range; "
                    "its timings are ignored")
    if r is not None:
        r.transcript = Transcript(text=r.transcript.text, words=[Word(word=w.word) for w in r.transcript.words],
                                  no_speech=r.transcript.no_speech)
        r.delivery = r.delivery.model_copy(update={"fillers": [], "pauses": []})
        if r.structure is not None:
            for s in r.structure.sentences:
                s.start = s.end = None


def _first_error(exc: ValidationError) -> str:
    errs = exc.errors()
    e = errs[0]
    where = ".".join(str(x) for x in e["loc"]) or "(top level)"
    more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
    return f"field {where}: {e['msg']}{more}"


def _fallback_session(folder: Path) -> Session:
    """A session rebuilt from the folder name and the WAV files in it."""
    m = re.match(r"^(\d{8})-(\d{6})-(.+?)(?:-[0-9a-f]{4})?$", folder.name)
    started = bank = ""
    if m:
        d, t, bank = m.groups()
        started = f"{d[:4]}-{d[4:6]}-{d[6:]}T{t[:2]}:{t[2:4]}:{t[4:]}"
    answers = []
    for wav in sorted(folder.glob("*.wav")):
        mm = _AUDIO_RE.match(wav.name)
        if not mm:
            continue
        stem = mm.group(1)
        followup = stem.endswith("-followup")
        answers.append(SessionAnswer(
            question_id=stem.removesuffix("-followup"), question="(unknown: session.json unreadable)",
            kind="followup" if followup else "main", audio=wav.name,
        ))
    return Session(id=folder.name, bank=bank or "unknown", started_at=started or "unknown", answers=answers)


# --- audio --------------------------------------------------------------------------------------


#: What an answer's audio may be: the recordings voicemock writes, or audio a coach added.
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe_member(folder: Path, rel: str) -> Path | None:
    """The regular file ``rel`` names inside ``folder``; None for anything else (outside the folder,
    a link out of it, missing, a FIFO or folder, a name no file system takes)."""
    if not rel or rel.startswith("/") or "\\" in rel or ".." in PurePosixPath(rel).parts or _CONTROL.search(rel):
        return None
    try:
        root = folder.resolve()
        p = (root / rel).resolve()
        return p if root in p.parents and p.is_file() else None
    except (OSError, ValueError):  # a name too long for the file system
        return None


def _why_not_audio(folder: Path, rel: str) -> tuple[str, bool] | None:
    """(why an answer's audio name cannot be played, in words; whether the name is dropped), or None
    when it can be. A missing file keeps its name (it may be copied in later); the rest are dropped."""
    from ..textsafe import shorten

    if rel.startswith("/") or "\\" in rel or ".." in PurePosixPath(rel).parts:
        return f"audio path {shorten(repr(rel))} points outside the session folder; ignored", True
    if _CONTROL.search(rel) or len(rel.encode("utf-8", "replace")) > 1024 or any(
            len(part.encode("utf-8", "replace")) > 255 for part in PurePosixPath(rel).parts):
        return f"audio name {shorten(repr(rel))} is not a valid file name; ignored", True
    if _safe_member(folder, rel) is not None:
        if PurePosixPath(rel).suffix.lower() not in AUDIO_SUFFIXES:
            return f"audio file {shorten(rel)} is not an audio file (not .wav, .flac, .ogg or .mp3); ignored", True
        return None
    p = folder / rel
    try:
        if p.is_symlink():  # a link out of the folder is refused, not "missing"
            return f"audio file {shorten(rel)} is a link that does not lead to a file in the session folder; ignored", True
        if p.exists():
            return f"audio file {shorten(rel)} is not a regular file (a folder, FIFO or device); ignored", True
    except OSError:
        return f"audio name {shorten(repr(rel))} is not a valid file name; ignored", True
    return f"audio file {shorten(rel)} is missing from {folder}", False


def _check_audio(folder: Path, session: Session, problems: list[str]) -> None:
    for a in session.answers:
        if not a.audio:
            continue
        found = _why_not_audio(folder, a.audio)
        if found is not None:
            why, dropped = found
            problems.append(f"answer {a.question_id}: {why}; the transcript and scores are still shown")
            if dropped:
                a.audio = None
