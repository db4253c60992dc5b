"""Speech to text behind one small interface.

:class:`Transcriber` is what the rest of voicemock needs from a speech recogniser; the real one is
:class:`~voicemock.asr.whisper.WhisperTranscriber` (faster-whisper on the embedded tiny.en), and
:class:`~voicemock.asr.streaming.StreamingTranscriber` runs any Transcriber behind the recorder
while the candidate speaks. Nothing heavy is imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..models import Transcript


@runtime_checkable
class Transcriber(Protocol):
    """Turns 16 kHz mono float32 audio into a timed :class:`~voicemock.models.Transcript`."""

    @property
    def model_name(self) -> str:
        """What produced the words, as saved in results (``asr_model``)."""
        ...

    def source(self) -> str:
        """The model to load; raises ModelError cheaply (before anything is recorded) if it cannot be."""
        ...

    def load(self) -> None:
        """Load the model (idempotent, thread-safe)."""
        ...

    def transcribe(self, audio: np.ndarray, *, offset_s: float = 0.0) -> Transcript:
        """Words with times shifted by ``offset_s`` (seconds)."""
        ...


def __getattr__(name: str):  # lazy re-exports: ``from voicemock.asr import WhisperTranscriber``
    if name in ("WhisperTranscriber", "AsrOptions"):
        from . import whisper

        return getattr(whisper, name)
    raise AttributeError(name)


__all__ = ["AsrOptions", "Transcriber", "WhisperTranscriber"]
