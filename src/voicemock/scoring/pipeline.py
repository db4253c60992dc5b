"""One path from an answer to its :class:`~voicemock.results.AnswerResult`.

``voicemock score FILE`` calls :func:`score_file`; the practice loop transcribes while it
records and calls :func:`score_answer` with the joined transcript and the whole recording.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .. import __version__
from ..errors import AudioError
from ..models import AnswerResult, Transcript
from .delivery import analyze_delivery
from .star import analyze_structure
from .text import words_from_text

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..asr import Transcriber
    from ..banks import Question
    from ..rubric import Judge
    from .hesitations import Encoder

log = logging.getLogger(__name__)

QuestionLike = Union["Question", str, None]


def _question_info(question: QuestionLike) -> tuple[str | None, str]:
    """(question text, kind for the duration target)."""
    if question is None:
        return None, "behavioral"
    if isinstance(question, str):  # the bank question it is, else its kind from its words: one target for both
        from ..rubric.kinds import question_info

        info = question_info(question)
        return question, (info.category or (info.kind if info.kind in ("opening", "view") else "behavioral"))
    return question.text, (question.category or "behavioral")


def score_answer(
    transcript: Transcript,
    audio: np.ndarray | None,
    *,
    source: str,
    question: QuestionLike = None,
    judge: Judge | None = None,
    asr_model: str | None = None,
    speech: list[tuple[float, float]] | None = None,
    encoder: Encoder | None = None,
    frames=None,
) -> AnswerResult:
    """Score a transcribed answer. ``audio`` (16 kHz float32) enables acoustic fillers and VAD
    pauses; ``speech`` passes VAD regions already computed (the practice loop has them);
    ``encoder`` is the loaded Whisper's encoder for the filler detector (default: the embedded one)."""
    text, kind = _question_info(question)
    delivery = analyze_delivery(transcript, audio, speech=speech, kind=kind, encoder=encoder, frames=frames)
    result = AnswerResult(source=source, question=text, transcript=transcript, delivery=delivery,
                          asr_model=asr_model, voicemock_version=__version__)
    _add_structure_and_rubric(result, question, judge)
    return result


def _add_structure_and_rubric(result: AnswerResult, question: QuestionLike, judge: Judge | None) -> None:
    """STAR structure for any answer with words; the rubric when a judge is given."""
    if not (result.transcript.words or result.transcript.text.strip()):
        return
    result.structure = analyze_structure(result.transcript)
    if judge is None:
        return
    from ..rubric import judge_answer

    result.rubric = judge_answer(judge, question=question, transcript=result.transcript,
                                 structure=result.structure, delivery=result.delivery)


#: A transcript of the longest answer is some tens of KB; a larger .txt is not an answer.
MAX_TRANSCRIPT_BYTES = 1024 * 1024


def load_transcript_text(path: Path) -> Transcript:
    """A ``.txt`` transcript as an untimed Transcript (AudioError naming the file on problems)."""
    from ..fileio import UnreadableFile, check_regular

    try:
        check_regular(path, MAX_TRANSCRIPT_BYTES)
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is not text
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file") from None
    except UnreadableFile as exc:
        raise AudioError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"{path}: cannot read the transcript as UTF-8 text ({exc})") from None
    from ..textsafe import plain_text

    text = " ".join(plain_text(text).split())  # no escape sequence or control character is part of an answer
    if not text:
        raise AudioError(f"{path}: the transcript is empty")
    return Transcript(text=text, words=words_from_text(text), duration_s=None)


def transcribe_file(path: Path, transcriber: Transcriber, max_s: float | None = None
                    ) -> tuple[Transcript, np.ndarray, list]:
    """Decode (at most ``max_s`` seconds, else AudioError), find speech, transcribe. No VAD speech:
    empty transcript, Whisper not even run."""
    from ..audio import SAMPLE_RATE
    from ..audio.decode import load_audio
    from ..audio.vad import speech_segments

    audio = load_audio(path, max_s)
    speech = speech_segments(audio)
    if not speech:
        log.info("%s: no speech detected", path)
        transcript = Transcript(text="", words=[], duration_s=round(len(audio) / SAMPLE_RATE, 3), no_speech=True)
    else:
        transcript = transcriber.transcribe(audio)
    return transcript, audio, speech


def score_file(path: Path, transcriber: Transcriber, *, question: QuestionLike = None,
               judge: Judge | None = None, max_s: float | None = None) -> AnswerResult:
    """Score an audio file (wav, flac, mp3, ogg, m4a) or a ``.txt`` transcript (timings null)."""
    path = Path(path)
    if path.suffix.lower() == ".txt":
        transcript = load_transcript_text(path)
        return score_answer(transcript, None, source=str(path), question=question, judge=judge)
    transcript, audio, speech = transcribe_file(path, transcriber, max_s)
    return score_answer(transcript, audio, source=str(path), question=question, judge=judge,
                        asr_model=transcriber.model_name, speech=speech, encoder=filler_encoder(transcriber))


def filler_encoder(transcriber: Transcriber | None) -> Encoder | None:
    """The transcriber's own Whisper encoder when the filler probe was trained on its frames
    (the embedded tiny.en); None (the embedded model, loaded on demand) otherwise."""
    fn = getattr(transcriber, "filler_encoder", None)
    return fn() if callable(fn) else None
