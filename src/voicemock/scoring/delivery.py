"""Delivery metrics of one spoken answer: pace, pauses, lead-in, duration, fillers, hedges, repeats.

Times come from two places: Whisper's word timestamps (which word, roughly when) and Silero
VAD's speech regions (exactly when there is sound). Pauses and speaking time use the VAD regions
when audio is given, because Whisper often stretches a word over the silence after it.
Formulas are in docs/scoring.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..models import Delivery, Hedge, Pause, Repetition, Transcript
from ..targets import DURATION_TARGETS, FILLER_CONFIDENCE_MIN, LONG_PAUSE_S
from .fillers import counted, detect_fillers
from .lexicon import HEDGES, is_hesitation
from .text import Token, content_tokens, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .hesitations import Encoder

log = logging.getLogger(__name__)

_NOT_HEDGE_BEFORE_KIND = {"a", "an", "the", "this", "that", "what", "which", "some", "any", "every",
                          "one", "same", "other", "another", "different", "all", "new", "right"}
_REPEAT_OK = {"had", "that", "very", "really", "no", "bye", "ha"}  # legitimately doubled words


def analyze_delivery(
    transcript: Transcript,
    audio: np.ndarray | None = None,
    *,
    speech: list[tuple[float, float]] | None = None,
    kind: str = "behavioral",
    encoder: Encoder | None = None,
    frames=None,
) -> Delivery:
    """Delivery metrics for ``transcript`` (and its 16 kHz ``audio`` when there is one).

    ``speech`` are precomputed VAD regions (skips running VAD again); with ``audio`` and no
    ``speech`` they are computed here. Untimed transcripts (.txt input) give null timings.
    ``encoder`` is the Whisper encoder the filler detector listens with (default: the embedded one).
    """
    words = transcript.words
    tokens = tokenize(words)
    content = content_tokens(tokens)
    timed = bool(words) and all(w.start is not None and w.end is not None for w in words)
    if audio is not None and speech is None and words:
        from ..audio.vad import speech_segments

        speech = speech_segments(audio)
    if not words and audio is not None and speech:
        timed = True  # voice activity but not one word (an answer of only "um"): the probe still listens
    fillers = detect_fillers(words, audio if timed else None, speech if timed else None, encoder, frames=frames)
    n_counted = len(counted(fillers))
    hedges = find_hedges(tokens)
    reps = find_repetitions(tokens)
    out = Delivery(
        fillers=fillers, filler_count=n_counted, word_count=len(content),
        filler_confidence_min=FILLER_CONFIDENCE_MIN, uncertain_filler_count=len(fillers) - n_counted,
        hedges=hedges, hedge_count=len(hedges), repetitions=reps, repetition_count=len(reps),
        acoustic_fillers=bool(timed and audio is not None and speech),
    )
    target = DURATION_TARGETS.get((kind or "").lower())
    out.duration_target_s = list(target) if target else None
    if not timed or not content:
        return out
    _timing(out, content, speech or None, target)
    return out


def _last_sound(out: Delivery, last_word_end: float) -> float:
    """End of the answer's last sound: its last word or a counted filler after it."""
    ends = [f.end for f in counted(out.fillers) if f.end is not None]
    return max([last_word_end] + ends)


def _span(t: Token) -> tuple[float, float]:
    """A timed token's (start, end); the caller has checked that every word is timed."""
    assert t.start is not None and t.end is not None
    return t.start, t.end


def _timing(out: Delivery, content: list[Token], speech: list[tuple[float, float]] | None,
            target: tuple[float, float] | None) -> None:
    spans = [_span(t) for t in content]
    first = _snap_start(spans[0][0], speech)
    last = max(e for _, e in spans)
    if speech:
        # the answer ends where the sound of its last word ends
        last = _snap_end(last, speech)
    answer = max(last - first, 0.01)
    minutes = answer / 60.0
    out.lead_in_s = round(first, 2)
    out.answer_duration_s = round(answer, 2)
    out.words_per_minute = round(len(content) / minutes, 1)
    out.fillers_per_minute = round(out.filler_count / minutes, 2)
    if speech:
        spoken: float = sum(max(0.0, min(b, last) - max(a, first)) for a, b in speech)
        until = _last_sound(out, last)
        pauses = [(b0, a1) for (a0, b0), (a1, b1) in zip(speech, speech[1:])
                  if a1 - b0 >= LONG_PAUSE_S and b0 >= first - 0.05 and a1 <= until + 0.05]
    else:
        spoken = sum(e - s for s, e in dict.fromkeys(spans))
        pauses = [(p[1], n[0]) for p, n in zip(spans, spans[1:]) if n[0] - p[1] >= LONG_PAUSE_S]
    spoken = max(spoken, 0.01)
    out.speaking_time_s = round(spoken, 2)
    out.speaking_words_per_minute = round(len(content) / (spoken / 60.0), 1)
    out.pauses = [Pause(start=round(a, 2), end=round(b, 2)) for a, b in pauses]
    out.long_pause_count = len(out.pauses)
    out.longest_pause_s = round(max((b - a for a, b in pauses), default=0.0), 2) if pauses else None
    if target:
        lo, hi = target
        out.duration_verdict = "short" if answer < lo else "long" if answer > hi else "ok"


def _snap_start(t: float, speech: list[tuple[float, float]] | None) -> float:
    """Move a word start that falls in silence to the next speech onset (Whisper starts early)."""
    if not speech:
        return t
    for a, b in speech:
        if a <= t <= b:
            return t
        if a > t:
            return a if a - t < 2.0 else t
    return t


def _snap_end(t: float, speech: list[tuple[float, float]]) -> float:
    """Move a word end that falls in silence back to the previous speech offset."""
    prev_end = None
    for a, b in speech:
        if a <= t <= b:
            return t
        if a > t:
            break
        prev_end = b
    return prev_end if prev_end is not None and t - prev_end < 2.0 else t


def find_hedges(tokens: list[Token]) -> list[Hedge]:
    """"I think", "maybe", "I guess", "kind of" (not "a kind of") ... in speaking order."""
    texts = [t.text for t in tokens]
    out: list[Hedge] = []
    i = 0
    while i < len(tokens):
        for h in HEDGES:
            n = len(h)
            if tuple(texts[i: i + n]) != h:
                continue
            if h[0] in ("kind", "sort") and i > 0 and texts[i - 1] in _NOT_HEDGE_BEFORE_KIND:
                continue
            out.append(Hedge(phrase=" ".join(h), start=tokens[i].start, end=tokens[i + n - 1].end))
            i += n - 1
            break
        i += 1
    return out


def find_repetitions(tokens: list[Token], max_n: int = 3) -> list[Repetition]:
    """Words or phrases said twice or more in a row ("I I", "we went we went"), hesitations skipped."""
    toks = [t for t in tokens if not is_hesitation(t.text)]
    texts = [t.text for t in toks]
    out: list[Repetition] = []
    i = 0
    while i < len(toks):
        found = None
        for n in range(max_n, 0, -1):
            gram = texts[i: i + n]
            if len(gram) < n or (n == 1 and gram[0] in _REPEAT_OK):
                continue
            count = 1
            while texts[i + count * n: i + (count + 1) * n] == gram:
                count += 1
            if count > 1 and toks[i].word >= 0 and toks[i].word == toks[i + n * count - 1].word:
                count = 1  # parts of one written word ("1:1", "24/7" is not "24 24"): not said twice
            if count > 1:
                found = (n, count)
                break
        if found:
            n, count = found
            end_tok = toks[i + n * count - 1]
            out.append(Repetition(text=" ".join(texts[i: i + n]), count=count,
                                  start=toks[i].start, end=end_tok.end))
            i += n * count
        else:
            i += 1
    return out

