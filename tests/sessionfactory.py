"""Build realistic saved sessions for tests: real 16 kHz mono WAV speech (espeak-ng + sox)
and a ``session.json`` consistent with it (word times, fillers, pauses, STAR sentences, rubric).

Other test modules may reuse it::

    from sessionfactory import AnswerSpec, make_session
    folder = make_session(tmp_path, answers=[AnswerSpec("q01", ["So um I led the fix."])])

Each answer's text is a list of *chunks*; the factory speaks each chunk with espeak-ng and joins
them with ``gap_s`` of silence, so every gap is a real long pause in the audio. Word times are
spread evenly over each chunk's spoken duration (close enough to what Whisper gives).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import soundfile as sf

from voicemock.models import (
    AnswerResult,
    Delivery,
    Filler,
    Ownership,
    PartInfo,
    Parts,
    Pause,
    Rubric,
    Sentence,
    Session,
    SessionAnswer,
    StarScores,
    Structure,
    Transcript,
    Word,
)

SR = 16000
FILLERS = {"um", "uh", "er", "erm", "like"}
_CACHE = Path(tempfile.gettempdir()) / "voicemock-test-espeak"

DEFAULT_CHUNKS = [
    "At my last job our release pipeline took six hours.",
    "So um I rewrote the build cache and I split the test suite.",
    "As a result releases took forty minutes.",
]


@dataclass
class AnswerSpec:
    question_id: str = "q01"
    chunks: list[str] = field(default_factory=lambda: list(DEFAULT_CHUNKS))
    question: str = "Tell me about a time you improved a process."
    kind: str = "main"
    labels: list[str] | None = None  # one STAR label per chunk; default S, A, R, O...
    overall: int = 62
    star: tuple[int, int, int, int] = (3, 2, 4, 3)
    judge: str = "offline"
    gap_s: float = 1.6  # silence between chunks
    lead_in_s: float = 0.4
    audio: bool = True  # False: no WAV written (session.json still names it)


def _espeak(text: str, voice: str = "en-us", rate: int = 175) -> Path:
    """Speak ``text`` to a cached 16 kHz mono WAV and return its path."""
    _CACHE.mkdir(exist_ok=True)
    key = hashlib.sha1(f"{voice}|{rate}|{text}".encode()).hexdigest()[:16]
    out = _CACHE / f"{key}.wav"
    if not out.exists():
        raw = _CACHE / f"{key}.raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(out)], check=True)
        raw.unlink()
    return out


def _words(text: str) -> list[str]:
    return text.split() or [text]


def build_answer(spec: AnswerSpec, folder: Path, started: datetime, number: int = 1) -> SessionAnswer:
    """One answer with its WAV, named as voicemock names it (q01.wav, q01-followup.wav)."""
    import numpy as np

    audio_name = f"q{number:02d}{'-followup' if spec.kind == 'followup' else ''}.wav"
    pieces = [np.zeros(int(spec.lead_in_s * SR), dtype="float32")]
    t = spec.lead_in_s
    words: list[Word] = []
    sentences: list[Sentence] = []
    pauses: list[Pause] = []
    labels = spec.labels or (["S", "A", "R"] + ["O"] * 10)[: len(spec.chunks)]
    for i, chunk in enumerate(spec.chunks):
        if i:
            pieces.append(np.zeros(int(spec.gap_s * SR), dtype="float32"))
            pauses.append(Pause(start=round(t, 3), end=round(t + spec.gap_s, 3)))
            t += spec.gap_s
        data, _ = sf.read(_espeak(chunk), dtype="float32")
        pieces.append(data)
        dur = len(data) / SR
        toks = _words(chunk)
        step = dur / len(toks)
        first = len(words)
        for k, tok in enumerate(toks):
            words.append(Word(word=tok, start=round(t + k * step, 3), end=round(t + (k + 1) * step - 0.02, 3)))
        sentences.append(Sentence(text=chunk, start=words[first].start, end=words[-1].end, label=labels[i]))
        t += dur
    pieces.append(np.zeros(int(0.3 * SR), dtype="float32"))
    audio = np.concatenate(pieces)
    duration = len(audio) / SR
    if spec.audio:
        sf.write(folder / audio_name, audio, SR, subtype="PCM_16")

    fillers = [
        Filler(word=w.word, start=w.start, end=w.end, source="transcript")
        for w in words
        if w.word.lower().strip(",.") in FILLERS
    ]
    minutes = duration / 60
    n_words = len(words)
    shares = {lab: sum(len(_words(s.text)) for s in sentences if s.label == lab) / n_words for lab in "STAR"}
    text = " ".join(spec.chunks)
    low = text.lower()
    result = AnswerResult(
        source=audio_name,
        question=spec.question,
        transcript=Transcript(text=text, words=words, duration_s=round(duration, 3)),
        delivery=Delivery(
            words_per_minute=round(n_words / minutes, 1),
            fillers=fillers,
            filler_count=len(fillers),
            fillers_per_minute=round(len(fillers) / minutes, 2),
            pauses=pauses,
            long_pause_count=len(pauses),
            longest_pause_s=spec.gap_s if pauses else None,
            lead_in_s=spec.lead_in_s,
        ),
        structure=Structure(
            sentences=sentences,
            parts=Parts(**{
                name: PartInfo(present=shares[lab] > 0, share=round(shares[lab], 3))
                for name, lab in (("situation", "S"), ("task", "T"), ("action", "A"), ("result", "R"))
            }),
            ownership=Ownership(i=len(re.findall(r"\bi\b", low)), we=len(re.findall(r"\bwe\b", low))),
            has_metric=bool(re.search(r"\d|percent|minutes|hours", low)),
            specific_story=True,
            missing_result=shares["R"] == 0,
        ),
        rubric=Rubric(
            judge=spec.judge,
            prompt_version="offline-1" if spec.judge == "offline" else "llm-2",
            overall=spec.overall,
            star=StarScores(situation=spec.star[0], task=spec.star[1], action=spec.star[2], result=spec.star[3]),
            feedback=["Say what you did yourself, in the first person.", "Quantify the result."],
            model=None if spec.judge == "offline" else "qwen2.5-0.5b-instruct",
        ),
        asr_model="tiny.en",
        voicemock_version="0.1.0",
    )
    return SessionAnswer(
        question_id=spec.question_id,
        question=spec.question,
        kind=spec.kind,
        audio=audio_name,
        started_at=started.isoformat(timespec="seconds"),
        ended_at=(started + timedelta(seconds=duration)).isoformat(timespec="seconds"),
        result=result,
    )


def make_session(
    root: Path,
    answers: list[AnswerSpec] | None = None,
    bank: str = "amazon",
    when: datetime | None = None,
    judge: str = "offline",
) -> Path:
    """Write ``root/<YYYYmmdd-HHMMSS>-<bank>/`` with session.json and WAVs; return the folder."""
    when = when or datetime(2026, 11, 20, 9, 30, 0)
    answers = answers if answers is not None else [AnswerSpec()]
    sid = f"{when:%Y%m%d-%H%M%S}-{bank}"
    folder = Path(root) / sid
    folder.mkdir(parents=True, mode=0o700)
    built = []
    t = when
    number = 0
    for spec in answers:
        number += spec.kind != "followup"
        built.append(build_answer(spec, folder, t, max(1, number)))
        t += timedelta(minutes=3)
    session = Session(
        id=sid,
        bank=bank,
        started_at=when.isoformat(timespec="seconds"),
        ended_at=t.isoformat(timespec="seconds"),
        settings={"max_answer_s": 300},
        asr_model="tiny.en",
        judge=judge,
        answers=built,
    )
    (folder / "session.json").write_text(json.dumps(session.model_dump(mode="json"), indent=2), encoding="utf-8")
    return folder


def zip_folder(folder: Path, out: Path) -> Path:
    """Zip a session folder the way a candidate would send it (the folder as the top entry)."""
    base = shutil.make_archive(str(out.with_suffix("")), "zip", root_dir=folder.parent, base_dir=folder.name)
    return Path(base)


BANK_YAML = """\
name: coachbank
title: Coach test bank
questions:
  - id: results-1
    text: Tell me about a time you delivered a result against the odds.
    difficulty: medium
    category: behavioral
    tags: [Deliver Results]
    guidance: Quantify the outcome.
  - id: owner-1
    text: Tell me about a time you took ownership of a problem outside your role.
    difficulty: medium
    category: behavioral
    tags: [Ownership]
    guidance: Say I, not we.
  - id: dive-1
    text: Describe a time you had to dig into data to find a root cause.
    difficulty: hard
    category: behavioral
    tags: [Dive Deep]
    guidance: Keep the context short.
  - id: easy-1
    text: Walk me through your resume.
    difficulty: easy
    category: general
    tags: [Earn Trust]
    guidance: Two minutes, no more.
  - id: process-1
    text: Tell me about a time you improved a process.
    difficulty: easy
    category: process
    tags: [Invent and Simplify]
    guidance: Before and after numbers.
"""


def write_bank(home: Path) -> str:
    """Put the test bank ``coachbank`` in ``<home>/banks``; return its name."""
    banks = Path(home) / "banks"
    banks.mkdir(parents=True, exist_ok=True)
    (banks / "coachbank.yaml").write_text(BANK_YAML, encoding="utf-8")
    return "coachbank"
