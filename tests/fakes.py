"""In-process fakes for loop logic (the real model stays on every happy path that scores speech)."""

from __future__ import annotations

import threading
import time

from voicemock.models import Transcript, Word


class FakeTranscriber:
    """A :class:`voicemock.asr.Transcriber` that hears one word per second of audio, instantly (or
    after ``delay_s``), and can be held on its first call until ``release()``."""

    model_name = "fake"

    def __init__(self, delay_s: float = 0.0, hold_first: bool = False) -> None:
        self.delay_s = delay_s
        self.calls: list[tuple[float, float]] = []  # (offset_s, seconds of audio)
        self._gate = threading.Event()
        if not hold_first:
            self._gate.set()
        self.entered = threading.Event()

    def source(self) -> str:
        return "fake"

    def load(self) -> None:
        pass

    def release(self) -> None:
        self._gate.set()

    def transcribe(self, audio, *, offset_s: float = 0.0) -> Transcript:
        self.entered.set()
        self._gate.wait(60)
        if self.delay_s:
            time.sleep(self.delay_s)
        seconds = len(audio) / 16000
        self.calls.append((offset_s, seconds))
        words = [Word(word=f"w{offset_s + k:.0f}", start=offset_s + k, end=offset_s + k + 0.5)
                 for k in range(int(seconds))]
        return Transcript(text=" ".join(w.word for w in words), words=words, duration_s=seconds,
                          no_speech=not words)
