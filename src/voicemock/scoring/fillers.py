"""Filler words: the ones Whisper wrote, the discourse fillers, and the ones only the audio shows.

Three sources, merged into one time-sorted list of :class:`~voicemock.results.Filler`:

1. **Transcript hesitations**: um, uh, er, hmm... as Whisper wrote them (source "transcript").
2. **Discourse fillers**: "like", "you know", "I mean", "basically", "actually", "literally",
   "sort of", "kind of", a sentence-initial "so", counted only when used as fillers (rules
   below; "I like Python", "do you know the answer", "so that" are not fillers).
3. **Acoustic hesitations** (source "acoustic"): Whisper drops most um/uh because its training
   text had them removed. We look for held vowels and nasals: stretches of at least 0.2 s inside
   VAD speech that are voiced and spectrally steady, and that no transcribed word explains
   (no word there, or a word stretched far beyond its expected length).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..audio import SAMPLE_RATE
from ..models import Filler, Word
from .lexicon import is_hesitation
from .text import Token, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

# "like" is a verb after these ("I like", "would like", "don't like", "really like")
_LIKE_VERB_BEFORE = {
    "i", "you", "we", "they", "he", "she", "who", "people", "would", "d", "i'd", "we'd", "you'd",
    "they'd", "do", "don't", "does", "doesn't", "did", "didn't", "to", "really", "also", "always",
    "might", "will", "would've", "still", "genuinely", "particularly", "especially", "not", "can",
    "could", "should", "must", "never", "all", "users", "customers", "team", "engineers",
}
# "like" is a preposition/comparison after these ("looks like", "something like", "just like")
_LIKE_PREP_BEFORE = {
    "look", "looks", "looked", "looking", "feel", "feels", "felt", "sound", "sounds", "sounded",
    "seem", "seems", "seemed", "something", "anything", "nothing", "much", "more", "less",
    "things", "stuff", "exactly", "very", "alike", "likes", "what", "act", "acted", "acting",
    "treat", "treated", "behave", "behaved", "tools", "languages", "companies", "ones",
}
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "my", "our", "your", "his",
                "her", "their", "its", "some", "any", "every", "each", "no"}
# "you know" is a real question/clause before these
_KNOW_OBJECT_AFTER = _DETERMINERS | {
    "what", "how", "who", "where", "when", "why", "whether", "if", "about", "him", "them", "it",
    "me", "us", "anyone", "anybody", "someone", "somebody", "which", "whom", "exactly",
    "python", "java", "sql", "yet", "already", "more", "better",
}
_KNOW_SUBJECT_BEFORE = {"do", "did", "don't", "didn't", "does", "if", "as", "would", "will", "to",
                        "can", "could", "should", "might", "must", "let", "make", "so", "that", "what",
                        "how", "may", "unless", "when", "once", "because", "since", "whether", "then"}
_KIND_OF_NOUN_BEFORE = {"a", "an", "the", "this", "that", "these", "those", "what", "which", "some",
                        "any", "every", "one", "same", "other", "another", "different", "all", "my",
                        "our", "your", "their", "his", "her", "its", "new", "certain", "right", "first",
                        "best", "worst", "only", "kinds", "sorts", "no", "each", "particular"}
_SO_NOT_FILLER_AFTER = {"that", "much", "many", "far", "long", "as", "to", "called", "yes", "no", "too",
                        "i'm", "am"}
_I_MEAN_NOT_BEFORE = {"what", "if", "do", "did", "that", "which", "don't", "didn't"}
_I_MEAN_NOT_AFTER = {"it", "that", "to", "what", "business", "well", "you"}
_MARKERS = {"actually", "literally", "honestly"}


def transcript_fillers(words: list[Word], speech: list[tuple[float, float]] | None = None) -> list[Filler]:
    """Hesitations and discourse fillers found in the transcript text (source "transcript").

    With VAD ``speech`` regions, a word after a silence of ``BOUNDARY_PAUSE_S`` starts a clause
    even when Whisper's punctuation joined the sentences ("..., so I started").
    """
    tokens = tokenize(words)
    paused = _after_pause(tokens, speech) if speech else set()
    out: list[Filler] = []
    skip_until = -1
    for i, tok in enumerate(tokens):
        if i <= skip_until:
            continue
        if is_hesitation(tok.text):
            out.append(Filler(word=tok.text, start=tok.start, end=tok.end, source="transcript"))
            continue
        n = _discourse_filler_len(tokens, i, i in paused)
        if n:
            last = tokens[i + n - 1]
            phrase = " ".join(t.text for t in tokens[i: i + n])
            out.append(Filler(word=phrase, start=tok.start, end=last.end, source="transcript",
                              kind="discourse"))
            skip_until = i + n - 1
    return out


BOUNDARY_PAUSE_S = 0.3


def _after_pause(tokens: list[Token], speech: list[tuple[float, float]]) -> set[int]:
    """Indexes of tokens that follow a VAD silence of at least BOUNDARY_PAUSE_S."""
    onsets = [a1 for (_, b0), (a1, _) in zip(speech, speech[1:]) if a1 - b0 >= BOUNDARY_PAUSE_S]
    out: set[int] = set()
    for i in range(1, len(tokens)):
        prev, tok = tokens[i - 1], tokens[i]
        p0, t0 = prev.start, tok.start
        if p0 is None or t0 is None:
            continue
        if any(p0 < t <= t0 + 0.15 for t in onsets):
            out.add(i)
    return out


def _discourse_filler_len(tokens: list[Token], i: int, after_pause: bool = False) -> int:
    """Number of tokens of the discourse filler starting at ``i`` (0 = not a filler)."""
    tok = tokens[i]
    prev = _prev_word(tokens, i)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    nxt_text = nxt.text if nxt else None
    starts_clause = (tok.sentence_start or tok.comma_before or prev is None or after_pause
                     or is_hesitation(prev.text))
    if tok.text == "like":
        content_prev = next((t for t in reversed(tokens[:i]) if not is_hesitation(t.text)), None)
        if content_prev is not None and content_prev is not prev and (
                content_prev.text in _LIKE_VERB_BEFORE or content_prev.text in _LIKE_PREP_BEFORE):
            return 0  # "I would, um, like to ..."
        return 1 if _like_is_filler(tok, prev, nxt) else 0
    if tok.text == "you" and nxt is not None and nxt.text == "know":
        know = nxt
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if prev is not None and prev.text in _KNOW_SUBJECT_BEFORE and not tok.comma_before:
            return 0
        if know.comma_after or know.sentence_end or after is None:
            return 2
        if after.text in _KNOW_OBJECT_AFTER or after.text == "that":
            return 0
        return 2 if (starts_clause or tok.comma_before) else 0
    if tok.text == "i" and nxt is not None and nxt.text == "mean":
        if prev is not None and prev.text in _I_MEAN_NOT_BEFORE and not tok.comma_before:
            return 0
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if nxt.comma_after or after is None:
            return 2
        return 2 if starts_clause and after.text not in _I_MEAN_NOT_AFTER else 0
    if tok.text in ("kind", "sort") and nxt_text == "of":
        if prev is not None and prev.text in _KIND_OF_NOUN_BEFORE:
            return 0
        return 2
    if tok.text in ("kinda", "sorta"):
        return 1 if not (prev is not None and prev.text in _KIND_OF_NOUN_BEFORE) else 0
    if tok.text == "basically":
        return 1
    if tok.text in _MARKERS:  # "what actually happened" is meaning, "Actually, ..." is a filler
        return 1 if (starts_clause or tok.comma_after) else 0
    if tok.text == "so":
        if not starts_clause or nxt is None or nxt_text in _SO_NOT_FILLER_AFTER:
            return 0
        if (prev is not None and not prev.sentence_end and not is_hesitation(prev.text)
                and not tok.sentence_start and not after_pause):
            return 0  # ", so we ..." joins two clauses: a real conjunction
        return 1
    return 0


def _prev_word(tokens: list[Token], i: int) -> Token | None:
    return tokens[i - 1] if i > 0 else None


def _like_is_filler(tok: Token, prev: Token | None, nxt: Token | None) -> bool:
    if prev is None or tok.sentence_start:
        return nxt is not None and (tok.comma_after or nxt.text not in _DETERMINERS)
    if prev.text in _LIKE_VERB_BEFORE or prev.text in _LIKE_PREP_BEFORE:
        return tok.comma_before and tok.comma_after
    if tok.comma_before or tok.comma_after:
        return True
    if nxt is None:
        return False
    if is_hesitation(prev.text) or is_hesitation(nxt.text):
        return True
    # "it was like really hard", "and like we" -> filler; "it was like a maze" -> comparison
    if prev.text in {"was", "is", "were", "are", "it's", "and", "but", "or", "just", "um", "uh", "was,"}:
        return nxt.text not in _DETERMINERS and not nxt.text.isdigit()
    return False


def merge_fillers(transcript: list[Filler], acoustic: list[Filler]) -> list[Filler]:
    """Union of both lists, time-sorted; untimed fillers (text input) keep their text order."""
    merged = list(transcript) + list(acoustic)
    if any(f.start is None for f in merged):
        return merged
    return sorted(merged, key=lambda f: (f.start, f.end))


def detect_fillers(
    words: list[Word],
    audio: np.ndarray | None = None,
    speech: list[tuple[float, float]] | None = None,
) -> list[Filler]:
    """All fillers of an answer: transcript (hesitations + discourse) and, with audio, acoustic."""
    found = transcript_fillers(words, speech)
    if audio is None or speech is None or not speech:
        return found
    acoustic, found = find_hesitations(audio, words, speech, found)
    return merge_fillers(found, acoustic)


# --- acoustic hesitations ---------------------------------------------------------------------

SR = SAMPLE_RATE
HOP = 160  # 10 ms frames
WIN = 400  # 25 ms window


@dataclass(frozen=True)
class AcousticOptions:
    """Thresholds of the held-sound detector (tuned on benchmarks/bench_scoring.py)."""

    min_run_s: float = 0.20  # shortest steady stretch that can be a hesitation
    min_piece_s: float = 0.08  # steady pieces shorter than this are ignored before joining
    join_s: float = 0.12  # pieces this close are one held sound (vowel -> nasal transition)
    max_run_s: float = 1.5
    voicing: float = 0.45  # share of the 80 Hz-8 kHz power below 1.5 kHz (vowels, nasals)
    flux_db: float = 2.5  # mean band-energy change (dB) over 20 ms of a steady frame
    floor_db: float = 30.0  # frames quieter than the loudest speech minus this are not counted
    margin_s: float = 0.05  # also search this far either side of VAD speech regions
    max_gap_frames: int = 3  # bridge this many unsteady frames inside a run
    word_cover: float = 0.5  # a word overlapping this share of a run may explain it
    snap_s: float = 0.6  # a transcript um/uh within this distance takes the run's times
    final_lengthening: float = 1.4  # expected length factor of a word before punctuation
    stretch_cover: float = 0.6  # a stretched word's excess length covers this share of the run
    room: float = 1.0  # ... and its time outside the run holds this share of its plain length


def frame_features(audio: np.ndarray, block: int = 2000) -> dict:
    """Per 10 ms frame: energy (dB), spectral flux (dB), voicing (0..1).

    Spectra are computed ``block`` frames at a time, so memory stays small on long answers.
    """
    import numpy as np

    x = np.asarray(audio, dtype=np.float32)
    if x.size < WIN:
        x = np.pad(x, (0, WIN - x.size))
    frames = np.lib.stride_tricks.sliding_window_view(x, WIN)[::HOP]
    win = np.hanning(WIN).astype(np.float32)
    edges = np.unique(np.geomspace(4, 128, 21).astype(int))  # bins of 31.25 Hz: 125 Hz .. 4 kHz
    energy, logb, voicing = [], [], []
    for k in range(0, len(frames), block):
        fr = frames[k: k + block]
        fr = (fr - fr.mean(axis=1, keepdims=True)) * win
        spec = np.fft.rfft(fr, n=512, axis=1)
        power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
        del spec
        energy.append(10 * np.log10(power.sum(axis=1) / 512 + 1e-10))
        bands = np.add.reduceat(power[:, : edges[-1]], edges[:-1], axis=1)[:, : len(edges) - 1]
        lb = 10 * np.log10(bands + 1e-8)
        logb.append(np.maximum(lb, lb.max(axis=1, keepdims=True) - 35.0))  # ignore near-empty bands
        # voicing proxy: share of the 80 Hz - 8 kHz power that lies below 1.5 kHz (vowels, nasals)
        voicing.append(power[:, 3:48].sum(axis=1) / (power[:, 3:].sum(axis=1) + 1e-10))
    lb = np.concatenate(logb)
    flux = np.zeros(len(lb), dtype=np.float32)
    if len(lb) > 2:
        flux[2:] = np.mean(np.abs(lb[2:] - lb[:-2]), axis=1)
        flux[:2] = flux[2]
    return {"energy_db": np.concatenate(energy), "flux": flux, "voicing": np.concatenate(voicing)}


def steady_runs(audio: np.ndarray, speech: list[tuple[float, float]],
                opts: AcousticOptions | None = None) -> list[tuple[float, float]]:
    """Stretches of VAD speech that are loud, voiced and spectrally steady (held sounds)."""
    import numpy as np

    opts = opts or AcousticOptions()
    if not speech or len(audio) < WIN:
        return []
    f = frame_features(audio)
    n = len(f["flux"])
    times = np.arange(n) * HOP / SR
    in_speech = np.zeros(n, dtype=bool)
    near = np.zeros(n, dtype=bool)
    for s0, s1 in speech:
        in_speech |= (times >= s0) & (times < s1)
        near |= (times >= s0 - opts.margin_s) & (times < s1 + opts.margin_s)
    if not in_speech.any():
        return []
    loudest = float(np.percentile(f["energy_db"][in_speech], 95))
    loud = f["energy_db"] > loudest - opts.floor_db
    steady = near & loud & (_median3(f["flux"]) < opts.flux_db) & (f["voicing"] > opts.voicing)
    runs: list[tuple[float, float]] = []
    for i, j in _runs(steady, opts.max_gap_frames):
        dur = (j - i) * HOP / SR
        if dur >= opts.min_piece_s:
            start = i * HOP / SR
            runs.append((round(start, 3), round(start + dur + (WIN - HOP) / SR, 3)))
    # a held "um" is a steady vowel then a steady nasal: join pieces a short transition apart
    return [(a, b) for a, b in _merge_close(runs, opts.join_s) if opts.min_run_s <= b - a <= opts.max_run_s]


def _median3(x):
    import numpy as np

    if len(x) < 3:
        return x
    y = np.stack([np.r_[x[:1], x[:-1]], x, np.r_[x[1:], x[-1:]]])
    return np.median(y, axis=0)


def _runs(mask, max_gap: int) -> list[tuple[int, int]]:
    """[start, end) index pairs of True runs, bridging gaps of up to ``max_gap`` False frames."""
    out: list[tuple[int, int]] = []
    start = None
    gap = 0
    for k, v in enumerate(list(mask) + [False] * (max_gap + 1)):
        if v:
            if start is None:
                start = k
            gap = 0
            last = k
        elif start is not None:
            gap += 1
            if gap > max_gap:
                out.append((start, last + 1))
                start = None
    return out


def _merge_close(runs: list[tuple[float, float]], gap_s: float = 0.15) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(runs):
        if out and a - out[-1][1] <= gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _char_rate(words: list[tuple[float, float, str]]) -> float:
    """Median seconds per letter of the transcribed (start, end, word)s: the speaker's articulation rate."""
    import numpy as np

    rates = [(e - s) / max(1, len(_letters(w))) for s, e, w in words if e > s and len(_letters(w)) >= 3]
    return float(np.clip(np.median(rates), 0.045, 0.12)) if rates else 0.075


def _letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


def _spoken_len(word: str) -> int:
    """Rough number of letters it takes to say ``word`` ("12%" is "twelve percent")."""
    digits = sum(c.isdigit() for c in word)
    return len(_letters(word)) + 4 * digits + 7 * word.count("%") + 6 * word.count("$")


def find_hesitations(
    audio: np.ndarray,
    words: list[Word],
    speech: list[tuple[float, float]],
    transcript: list[Filler],
    opts: AcousticOptions | None = None,
) -> tuple[list[Filler], list[Filler]]:
    """Acoustic hesitations, and the transcript fillers with their times snapped to the audio.

    A steady run is a hesitation when no transcribed word explains it: no word covers it, or
    the word covering it lasts far longer than its letters need (Whisper stretched it over the
    hesitation). A transcript um/uh near a run takes the run's (more exact) times instead.
    """
    opts = opts or AcousticOptions()
    runs = steady_runs(audio, speech, opts)
    timed = [(w.start, w.end, w.word) for w in words if w.start is not None and w.end is not None]
    per_char = _char_rate(timed)
    hes = {k: (f.start, f.end if f.end is not None else f.start) for k, f in enumerate(transcript)
           if f.kind == "hesitation" and f.start is not None}
    snapped = list(transcript)
    used: set[int] = set()
    acoustic: list[Filler] = []
    for a, b in runs:
        length = b - a
        # a transcript hesitation close by: same event, keep the audio's times
        near = [k for k, span in hes.items() if k not in used and _distance((a, b), span) <= opts.snap_s]
        if near:
            k = min(near, key=lambda k: _distance((a, b), hes[k]))
            used.add(k)
            snapped[k] = transcript[k].model_copy(update={"start": a, "end": b})
            continue
        if _explained_by_word(a, b, timed, per_char, opts):
            continue
        if length < opts.min_run_s:
            continue
        acoustic.append(Filler(word="(hesitation)", start=a, end=b, source="acoustic"))
    log.debug("acoustic: %d runs, %d hesitations, %d transcript fillers snapped", len(runs), len(acoustic), len(used))
    return acoustic, snapped


def _distance(x: tuple[float, float], y: tuple[float, float]) -> float:
    """0 when the intervals overlap, else the gap between them."""
    return max(0.0, max(x[0], y[0]) - min(x[1], y[1]))


def _explained_by_word(a: float, b: float, words: list[tuple[float, float, str]], per_char: float,
                       opts: AcousticOptions) -> bool:
    length = b - a
    for w_start, w_end, word in words:
        overlap = min(b, w_end) - max(a, w_start)
        if overlap <= 0 or overlap < opts.word_cover * length:
            continue
        if is_hesitation(_letters(word).lower()):
            return True
        plain = max(2, _spoken_len(word)) * per_char
        expected = plain * opts.final_lengthening if word.rstrip()[-1:] in ".?!,;:" else plain
        stretched = (w_end - w_start) - expected
        # Whisper stretched the word over a hesitation: the word is longer than it needs, and
        # outside the run there is still room for the whole word (the run is extra sound)
        room = max(a - w_start, w_end - b)
        if stretched >= opts.stretch_cover * length and room >= opts.room * plain:
            return False
        return True
    return False
