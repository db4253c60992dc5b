"""Speech to text: faster-whisper on the embedded tiny.en model, word timestamps on.

The :class:`Transcriber` is cheap to build and loads nothing until :meth:`Transcriber.load`
(or the first :meth:`Transcriber.transcribe`), so the practice loop can warm it up in a
background thread. Silero VAD gates silence: silent or noise-only audio gives an empty
transcript with ``no_speech=True``, never invented text.

Whisper's training text had disfluencies removed, so it drops most "um"/"uh". A short prompt
made only of fillers brings part of them back (measured in ``benchmarks/bench_scoring.py``);
``voicemock.scoring.fillers`` adds acoustic detection for the rest.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..audio import SAMPLE_RATE
from ..errors import ModelError
from ..models import Transcript, Word, join_words
from .embedded import EMBEDDED_PACKAGE, embedded_model_path, embedded_version

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

#: Short, filler-only prompt: tiny.en writes more um/uh with it; longer filler prompts (e.g.
#: "Umm, uh, er, hmm. Uh, um...") raised WER on read speech (benchmarks/bench_scoring.py).
FILLER_PROMPT = "Uh, um."
#: Longest piece sent to Whisper in one call (its window is 30 s; see Transcriber.transcribe).
MAX_WINDOW_S = 20.0
#: VAD speech at least this long that no word covers is transcribed again on its own.
UNCOVERED_MIN_S = 0.4
#: ... with this much audio before it as context (its words are dropped again).
UNCOVERED_CONTEXT_S = 1.0
#: A recovered word this close (seconds) to the same word already transcribed is that word again.
DUPLICATE_S = 1.5
#: Whisper hears exactly this much audio after the last VAD speech (cut or padded with silence),
#: so a trailing silence of any length gives the same words.
TAIL_S = 0.5
#: A window's decoding stops once a segment ends this close to the end of its speech.
SPEECH_END_SLACK_S = 0.3

_models: dict[tuple, object] = {}  # loaded models, shared by Transcribers with the same settings
_models_lock = threading.Lock()


def release_models() -> None:
    """Free the loaded models (Whisper and the VAD's onnxruntime session) while Python still runs.

    Left to interpreter shutdown, CTranslate2's worker threads were destroyed after the module
    state they use, and the process aborted at exit ("terminate called without an active
    exception"). Registered with ``atexit``; safe to call more than once.
    """
    with _models_lock:
        _models.clear()
    try:
        from faster_whisper.vad import get_vad_model

        get_vad_model.cache_clear()
    except (ImportError, AttributeError):  # pragma: no cover - an older faster-whisper
        pass
    import gc

    gc.collect()


atexit.register(release_models)


@dataclass
class AsrOptions:
    """How to transcribe. Defaults: embedded tiny.en, int8 on CPU, filler prompt, VAD gate."""

    model: str | None = None  # None = embedded tiny.en; else a local CTranslate2 folder or a model name
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0 = the thread budget's (voicemock.threads: every core this process may use)
    num_workers: int = 1  # >1 lets several threads transcribe at the same time
    filler_prompt: bool = True
    prompt_text: str | None = None  # the filler prompt's text (None: FILLER_PROMPT)
    recover_uncovered: bool = True  # transcribe again VAD speech that no word covers (UNCOVERED_MIN_S)
    vad: bool = True
    beam_size: int = 1
    language: str = "en"
    #: Decoding never samples (temperature 0 only), so the same audio always gives the same words
    #: and the same score. Where greedy decoding misses speech that voice activity detection found,
    #: the piece is decoded again without the prompt, then with beam search (both deterministic).
    temperatures: tuple[float, ...] = (0.0,)
    retry_beam_size: int = 5


class WhisperTranscriber:
    """faster-whisper behind the :class:`~voicemock.asr.Transcriber` interface: ``load()`` once,
    ``transcribe()`` many times."""

    def __init__(self, options: AsrOptions | None = None) -> None:
        self.options = options or AsrOptions()
        self._model: Any = None  # faster_whisper.WhisperModel once loaded
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        m = self.options.model
        if m is None:
            return f"tiny.en ({EMBEDDED_PACKAGE} {embedded_version()})"
        return m

    @property
    def prompt(self) -> str:
        return self.options.prompt_text or FILLER_PROMPT

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model (thread-safe, idempotent). ModelError with a hint on failure."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            self._model = self._build()

    def source(self) -> str:
        """The model folder or name to load; ModelError now (cheap, nothing loaded) if it cannot be."""
        opts = self.options
        if opts.device not in ("auto", "cpu", "cuda"):
            raise ModelError(f"device {opts.device!r} is not one of auto, cpu, cuda")
        if opts.model is None:
            return str(embedded_model_path())
        source = opts.model
        looks_like_path = os.sep in source or source.startswith(".") or Path(source).exists()
        if looks_like_path and not (Path(source).expanduser() / "model.bin").is_file():
            raise ModelError(f"{source}: not a CTranslate2 Whisper model folder (no model.bin in it)")
        return str(Path(source).expanduser()) if looks_like_path else source

    def _build(self):
        opts = self.options
        source = self.source()
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:  # pragma: no cover
            raise ModelError(f"faster-whisper is not installed ({exc}); 'pip install faster-whisper'") from None
        from ..threads import budget

        threads = opts.cpu_threads or budget().whisper_threads
        key = (source, opts.device, opts.compute_type, threads, max(1, opts.num_workers))
        with _models_lock:
            if key in _models:
                return _models[key]
            log.info("loading Whisper model %s on %s (%s)", source, opts.device, opts.compute_type)
            try:
                model = WhisperModel(source, device=opts.device, compute_type=opts.compute_type,
                                     cpu_threads=threads, num_workers=key[-1])
            except Exception as exc:
                raise ModelError(f"cannot load Whisper model {source!r}: {exc}") from None
            _models[key] = model
            return model

    def transcribe(self, audio: np.ndarray, *, offset_s: float = 0.0) -> Transcript:
        """Transcribe 16 kHz mono float32 audio; word times are shifted by ``offset_s``.

        With the filler prompt, tiny.en sometimes jumps straight to the last timestamp of a
        window and skips all the speech in it (seen on the first 30 s of long answers). So the
        audio is cut at pauses into pieces of at most ``MAX_WINDOW_S``, and a piece whose
        transcript misses the speech that voice activity detection found there is transcribed
        again without the prompt.
        """
        import numpy as np

        from ..audio.vad import speech_segments

        self.load()
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        duration = len(audio) / SAMPLE_RATE
        speech = speech_segments(audio)
        full = duration
        if speech:  # the same tail of silence whatever the recording had
            keep = int(round((speech[-1][1] + TAIL_S) * SAMPLE_RATE))
            audio = np.pad(audio[:keep], (0, max(0, keep - len(audio))))
            duration = len(audio) / SAMPLE_RATE
        if not self.options.filler_prompt and duration <= MAX_WINDOW_S:
            whole = self._transcribe_window(audio, offset_s, prompt=False)
            texts, words = ([whole.text] if whole.text else []), list(whole.words)
        else:
            texts, words = [], []
            cuts = window_cuts(speech, duration)
            for start, end in zip(cuts, cuts[1:]):
                inside = [(max(a, start) - start, min(b, end) - start) for a, b in speech if b > start and a < end]
                piece = self._transcribe_piece(audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)], offset_s + start, inside)
                if piece.text:
                    texts.append(piece.text)
                words += piece.words
        recovered = self._recover_uncovered(audio, words, speech, offset_s) if self.options.recover_uncovered else []
        if recovered:
            words = sorted(words + recovered, key=lambda w: (w.start or 0.0, w.end or 0.0))
            texts = [join_words([w.word for w in words])]
        return Transcript(text=" ".join(texts), words=words, duration_s=round(full, 3), no_speech=not words)

    def _recover_uncovered(self, audio: np.ndarray, words: list[Word], speech: list[tuple[float, float]],
                           offset_s: float) -> list[Word]:
        """Words for VAD speech that no word covers (Whisper sometimes stops early, most often
        before a trailing silence).

        Each such stretch of at least UNCOVERED_MIN_S, with UNCOVERED_CONTEXT_S of audio before it,
        is laid into one buffer with 0.6 s of silence between stretches, and the buffer is
        transcribed in as few calls as possible, without the filler prompt (the probe hears the
        hesitations among them); a word is kept when its middle falls inside its
        stretch (the context's words are dropped again) and the same word is not already there
        within DUPLICATE_S (Whisper's first times can be off, so the context may look uncovered).
        """
        import numpy as np

        spans = [((w.start or 0.0) - offset_s, (w.end or 0.0) - offset_s) for w in words]
        gaps = uncovered(speech, spans, UNCOVERED_MIN_S)
        if not gaps:
            return []
        sep = np.zeros(int(0.6 * SAMPLE_RATE), dtype=np.float32)
        pieces: list[np.ndarray] = []
        places: list[tuple[float, float, float, float]] = []  # (buffer start, buffer end, source start, gap)
        at = 0.0
        for a, b in gaps:
            start, end = max(0.0, a - UNCOVERED_CONTEXT_S), min(len(audio) / SAMPLE_RATE, b + 0.3)
            piece = audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)]
            places.append((at, at + len(piece) / SAMPLE_RATE, start, a))
            pieces += [piece, sep]
            at += (len(piece) + len(sep)) / SAMPLE_RATE
        buffer = np.concatenate(pieces)
        heard: list[Word] = []
        cuts = window_cuts([(p[0], p[1]) for p in places], len(buffer) / SAMPLE_RATE)
        for c0, c1 in zip(cuts, cuts[1:]):
            part = buffer[int(c0 * SAMPLE_RATE): int(c1 * SAMPLE_RATE)]
            # no filler prompt: with it, tiny.en often wrote nothing for such short pieces
            tokens = int(8 * (c1 - c0)) + 16
            got = self._transcribe_window(part, c0, prompt=False, max_new_tokens=tokens).words
            if not got:  # greedy decoding gave up on the piece (it can): beam search, still deterministic
                got = self._transcribe_window(part, c0, prompt=False, max_new_tokens=tokens,
                                              beam_size=self.options.retry_beam_size).words
            heard += got
        out: list[Word] = []
        for (b0, b1, src, _), (ga, gb) in zip(places, gaps):
            shift = src - b0
            for w in heard:
                if w.start is None or w.end is None or not b0 <= (w.start + w.end) / 2 <= b1:
                    continue
                mid = (w.start + w.end) / 2 + shift
                same = _plain(w.word)
                if any(_plain(x.word) == same and abs((x.start or 0.0) - offset_s - mid) < DUPLICATE_S for x in words) \
                        or any(_plain(x.word) == same and abs((x.start + x.end) / 2 - offset_s - mid) < DUPLICATE_S
                               for x in out if x.start is not None and x.end is not None):
                    continue  # already in the transcript, or heard again in the next stretch's context
                if ga - 0.05 <= mid <= gb + 0.05:
                    out.append(w.model_copy(update={"start": round(w.start + shift + offset_s, 3),
                                                    "end": round(w.end + shift + offset_s, 3)}))
        if out:
            log.info("recovered %d word(s) Whisper left out: %s", len(out), " ".join(w.word for w in out))
        return out

    def encode(self, audio: np.ndarray) -> np.ndarray:
        """Whisper's encoder output for up to 30 s of 16 kHz audio: one row per 20 ms.

        The filler detector reads these (:mod:`voicemock.scoring.hesitations`); a 10 s piece
        costs about a seventh of a 30 s window, so pieces are kept short.
        """
        import numpy as np

        self.load()
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)[: 30 * SAMPLE_RATE]
        feats = self._model.feature_extractor(audio, padding=0)
        n = max(2, feats.shape[1] // 2 * 2)
        if feats.shape[1] < n:
            feats = np.pad(feats, ((0, 0), (0, n - feats.shape[1])), mode="edge")
        try:
            out = self._model.encode(np.ascontiguousarray(feats[:, :n], dtype=np.float32))
        except Exception as exc:
            raise ModelError(f"encoding audio failed: {exc}") from None
        return np.asarray(out, dtype=np.float32)[0]

    def filler_encoder(self):
        """:meth:`encode` when this is the embedded tiny.en (the frames the filler probe knows),
        else None: the detector then uses the embedded model's encoder."""
        return self.encode if self.options.model is None else None

    def _transcribe_piece(self, audio: np.ndarray, offset_s: float, speech: list[tuple[float, float]]) -> Transcript:
        prompt = self.options.filler_prompt
        speech_end = max((b for _a, b in speech), default=None)
        best = self._transcribe_window(audio, offset_s, prompt=prompt, speech_end=speech_end)
        ladder = ([(False, self.options.beam_size)] if prompt else []) + [(False, self.options.retry_beam_size)]
        for use_prompt, beam in ladder:
            if not _skipped_speech(best, speech, offset_s):
                break
            log.info("Whisper skipped speech at %.1f s; decoding it again (prompt %s, beam %d)", offset_s,
                     "on" if use_prompt else "off", beam)
            again = self._transcribe_window(audio, offset_s, prompt=use_prompt, beam_size=beam, speech_end=speech_end)
            if len(again.words) > len(best.words):
                best = again
        return best

    def _transcribe_window(self, audio: np.ndarray, offset_s: float, *, prompt: bool,
                           beam_size: int | None = None, max_new_tokens: int | None = None,
                           speech_end: float | None = None) -> Transcript:
        """One call of faster-whisper over ``audio`` (at most 30 s).

        ``speech_end`` (seconds into ``audio``) is where the speech voice activity detection found
        ends. faster-whisper goes on after its last segment whenever that segment ends before the
        window does, and each further step encodes a whole padded 30 s window again for what is
        only the trailing silence; once a segment reaches ``speech_end`` (within
        :data:`SPEECH_END_SLACK_S`) the rest is not decoded. Speech after it that no word covers is
        still found by the recovery pass.
        """
        import numpy as np

        opts = self.options
        duration = len(audio) / SAMPLE_RATE
        if audio.size < 1600 or not np.any(audio):  # < 0.1 s or all zeros: nothing to hear
            return Transcript(text="", words=[], duration_s=duration, no_speech=True)
        kwargs = dict(
            language=opts.language,
            beam_size=beam_size or opts.beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=opts.vad,
            initial_prompt=self.prompt if prompt else None,
            temperature=list(opts.temperatures),
        )
        if max_new_tokens:
            kwargs["max_new_tokens"] = max_new_tokens
        if opts.vad:
            kwargs["vad_parameters"] = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
        try:
            segments = []
            for seg in self._model.transcribe(audio, **kwargs)[0]:
                segments.append(seg)
                if speech_end is not None and seg.end >= speech_end - SPEECH_END_SLACK_S:
                    break
        except Exception as exc:
            raise ModelError(f"transcription failed: {exc}") from None
        words: list[Word] = []
        texts: list[str] = []
        for seg in segments:
            seg_words = [w for w in (seg.words or []) if w.word.strip()]
            if prompt and _is_prompt_echo(seg.text, self.prompt):
                log.info("dropping a segment that echoes the filler prompt: %r", seg.text)
                continue
            if _is_hallucination(seg, duration):
                log.info("dropping a likely hallucination: %r", seg.text)
                continue
            texts.append(seg.text.strip())
            for w in seg_words:
                words.append(Word(word=w.word.strip(), start=round(w.start + offset_s, 3),
                                  end=round(w.end + offset_s, 3), probability=round(w.probability, 3)))
        text = " ".join(t for t in texts if t)
        return Transcript(text=text, words=words, duration_s=round(duration, 3), no_speech=not words)


def window_cuts(speech: list[tuple[float, float]], duration: float,
                max_s: float | None = None, min_s: float = 5.0) -> list[float]:
    """Cut points (seconds, first 0, last ``duration``) so that no piece is longer than
    ``max_s``: each cut goes in the middle of the longest silence between speech regions
    inside the allowed span, or at the limit when there is no silence there."""
    max_s = max_s or MAX_WINDOW_S
    gaps = [(b[0] - a[1], (a[1] + b[0]) / 2) for a, b in zip(speech, speech[1:]) if b[0] > a[1]]
    cuts = [0.0]
    while duration - cuts[-1] > max_s:
        start = cuts[-1]
        inside = [(length, mid) for length, mid in gaps if start + min_s < mid <= start + max_s]
        cuts.append(max(inside)[1] if inside else start + max_s)
    cuts.append(duration)
    return cuts


def _plain(word: str) -> str:
    return re.sub(r"[^a-z0-9']", "", word.lower())


def uncovered(speech: list[tuple[float, float]], spans: list[tuple[float, float]],
              min_s: float) -> list[tuple[float, float]]:
    """Parts of the speech regions, at least ``min_s`` long, that no (start, end) span touches."""
    out: list[tuple[float, float]] = []
    spans = sorted(spans)
    for a, b in speech:
        cur = a
        for s, e in spans:
            if e <= cur or s >= b:
                continue
            if s - cur >= min_s:
                out.append((cur, s))
            cur = max(cur, e)
        if b - cur >= min_s:
            out.append((cur, b))
    return out


def _skipped_speech(t: Transcript, speech: list[tuple[float, float]], offset_s: float) -> bool:
    """True when at least a second of detected speech has no words, or the first word comes
    more than 3 s after the speech starts (Whisper jumped over it)."""
    if sum(b - a for a, b in speech) < 1.0:
        return False
    if not t.words:
        return True
    return (t.words[0].start or 0.0) - offset_s > speech[0][0] + 3.0


def _is_prompt_echo(text: str, prompt: str = FILLER_PROMPT) -> bool:
    """A segment that is exactly the prompt, once or repeated (acoustic detection still finds
    a real "uh, um" dropped this way)."""
    norm = re.sub(r"[^a-z ]", " ", text.lower()).split()
    prompt_norm = re.sub(r"[^a-z ]", " ", prompt.lower()).split()
    n = len(prompt_norm)
    return bool(n) and bool(norm) and len(norm) % n == 0 and norm == prompt_norm * (len(norm) // n)


#: Whisper's own limit for a decoded text's gzip compression ratio (``compression_ratio_threshold``);
#: above it the decoder is looping. faster-whisper only acts on it by sampling again at a higher
#: temperature, which voicemock never does.
COMPRESSION_RATIO_MAX = 2.4

#: What Whisper says over silence or breath (learned from subtitles); dropped when it has no real duration.
_HALLUCINATIONS = {"thank you", "thanks for watching", "thank you for watching", "you", "bye",
                   "thank you very much", "so", "okay"}


def _is_hallucination(seg, duration: float) -> bool:
    """A segment Whisper made up: unsure of its words and of there being speech at all, or a
    stock phrase ("Thank you.") with no real duration or at the very end."""
    words = [w for w in (seg.words or []) if w.word.strip()]
    if not words:
        return True
    mean_p = sum(w.probability for w in words) / len(words)
    if mean_p < 0.15 or (seg.avg_logprob < -1.0 and seg.no_speech_prob > 0.3):
        return True
    # a repetition loop ("see you next time, see you next time, ..."): nobody says 8 words a second,
    # and a text that compresses more than Whisper's own limit (2.4; "I'm sorry, I'm sorry, ..." over
    # 16 s of held hesitations came to 22.6) is the decoder repeating itself, not speech
    if len(words) > 8 * max(seg.end - seg.start, 0.5) or (seg.compression_ratio or 0.0) > COMPRESSION_RATIO_MAX:
        return True
    text = " ".join(re.sub(r"[^a-z ]", " ", seg.text.lower()).split())
    if text not in _HALLUCINATIONS:
        return False
    spoken = sum(w.end - w.start for w in words)
    at_end = bool(words) and words[0].start >= duration - 0.3
    return spoken < 0.15 or at_end or seg.no_speech_prob > 0.5 or seg.avg_logprob < -1.0
