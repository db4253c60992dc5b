"""Hesitations heard in the audio, found by a small classifier on Whisper's own encoder output.

Whisper's decoder was trained on transcripts with disfluencies removed, so it leaves most
"um"/"uh" out, or folds them into the next word's time ("Um, the first..." comes back as "The"
starting 0.5 s early). Its *encoder* still hears them: each 20 ms frame of its output describes
the sound there, largely independently of the voice. A two-layer network (the *probe*) reads
each frame with the mean of its neighbours and gives the probability that the frame is inside a
hesitation; runs of probable frames become fillers whose ``confidence`` is the run's mean
probability.

The encoder runs again here on windows of at most ``window_s`` seconds cut at pauses (short
windows cost far less than Whisper's 30 s one), on the model already loaded for transcription,
so no second model is loaded. The probe's weights are a small file shipped with the package
(``data/hesitation_probe.npz``), trained by ``scripts/train_fillers.py`` on synthetic speech of
two voice families (how, and what it scores on voices it was not trained on:
docs/scoring.md).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..audio import SAMPLE_RATE
from ..errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

PROBE_FILE = Path(__file__).resolve().parent / "data" / "hesitation_probe.npz"
FRAME_S = 0.02  # one encoder frame
#: audio -> encoder frames (n, width); :meth:`voicemock.asr.whisper.WhisperTranscriber.encode`
Encoder = Callable[["np.ndarray"], "np.ndarray"]


#: Shortest run kept, and the gap under which two runs are one hesitation, for a probe file that
#: does not store its own (``min_s``/``join_s`` in its meta, chosen on its validation clips).
MIN_S = 0.12
JOIN_S = 0.10
#: A run is split in two where the audio inside it falls silent: at least ``SPLIT_GAP_S`` of
#: 10 ms frames at least ``SPLIT_DROP_DB`` below the run's loud level (its 80th percentile
#: frame energy), with ``min_s`` of run on either side. The probe hears a short silence inside a
#: hesitation as hesitation, so "um ... uh" came out as one run (and one filler). Chosen on the
#: training validation clips by ``scripts/split_dev.py`` (docs/scoring.md, "Two hesitations in one run").
SPLIT_DROP_DB = 20.0
SPLIT_GAP_S = 0.04


@dataclass(frozen=True)
class ProbeOptions:
    """How frame probabilities become hesitations (defaults: the probe file's tuned values)."""

    threshold: float | None = None  # a run starts where the smoothed probability exceeds this
    release: float | None = None  # ... and extends while it stays above this
    min_s: float | None = None  # shorter runs are dropped (None: the probe file's, else MIN_S)
    join_s: float | None = None  # runs closer than this are one hesitation (None: the probe file's, else JOIN_S)
    smooth_frames: int = 3  # moving average over this many frames
    window_s: float = 10.0  # longest piece given to the encoder at once
    margin_s: float = 0.1  # runs must overlap VAD speech widened by this
    model_path: str | None = None  # another probe file (benchmarks); None: the shipped one
    word_limit: float | None = None  # ordinary-word veto (see inside_ordinary_word); None: the probe file's, 0: off
    split_drop_db: float = SPLIT_DROP_DB  # split a run at an inner silence this far below its level (0: never)


class Probe:
    """The trained network: normalisation, two layers, and its tuned decoding thresholds."""

    def __init__(self, path: Path) -> None:
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as z:
                self.arrays = {k: z[k].astype(np.float32) for k in z.files if k != "meta"}
                self.meta: dict = json.loads(str(z["meta"]))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: cannot read the hesitation model ({exc})") from None
        self.context = int(self.meta.get("context", 3))
        self.wide = int(self.meta.get("wide", 0))

    def features(self, frames: np.ndarray) -> np.ndarray:
        """Each frame beside the mean of the ``context`` frames either side of it and, when the
        probe was trained with a ``wide`` context, the mean of that many frames either side
        minus the frame (how the sound differs from its surroundings)."""
        import numpy as np

        parts = [frames, _window_mean(frames, self.context)]
        if self.wide:
            parts.append(_window_mean(frames, self.wide) - frames)
        return np.concatenate(parts, axis=1)

    def probabilities(self, frames: np.ndarray) -> np.ndarray:
        import numpy as np

        a = self.arrays
        x = (self.features(frames) - a["mean"]) / a["std"]
        h = np.maximum(x @ a["w1"] + a["b1"], 0.0)
        z = (h @ a["w2"] + a["b2"]).reshape(-1)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _window_mean(frames: np.ndarray, k: int) -> np.ndarray:
    """Mean of the ``2k + 1`` frames centred on each frame (edges repeated)."""
    import numpy as np

    n = len(frames)
    padded = np.pad(frames, ((k, k), (0, 0)), mode="edge")
    csum = np.cumsum(np.pad(padded, ((1, 0), (0, 0))), axis=0)
    return (csum[2 * k + 1:] - csum[:n]) / (2 * k + 1)


def default_encoder() -> Encoder:
    """The embedded tiny.en's encoder (shares the model a default transcriber has loaded)."""
    from ..asr.whisper import WhisperTranscriber

    return WhisperTranscriber().encode


_probes: dict[str, Probe] = {}
_probes_lock = threading.Lock()


def load_probe(path: Path | None = None) -> Probe:
    """The probe at ``path`` (default: the shipped one), read once per process."""
    path = Path(path or PROBE_FILE)
    with _probes_lock:
        if str(path) not in _probes:
            _probes[str(path)] = Probe(path)
        return _probes[str(path)]


def encoder_windows(speech: list[tuple[float, float]], duration: float, window_s: float) -> list[tuple[float, float]]:
    """Pieces of at most ``window_s`` that hold the speech (0.2 s either side), cut in pauses.

    Speech regions less than 0.5 s apart share a piece; a longer stretch is cut in the middle of
    its longest silences (:func:`voicemock.asr.whisper.window_cuts`), or at the limit.
    """
    from ..asr.whisper import window_cuts

    spans: list[tuple[float, float, list[tuple[float, float]]]] = []
    for a, b in speech:
        a, b = max(0.0, a - 0.2), min(duration, b + 0.2)
        if spans and a - spans[-1][1] < 0.5:
            s0, s1, regions = spans[-1]
            spans[-1] = (s0, max(s1, b), regions + [(a, b)])
        else:
            spans.append((a, b, [(a, b)]))
    out: list[tuple[float, float]] = []
    for a, b, regions in spans:
        local = [(x - a, y - a) for x, y in regions]
        cuts = window_cuts(local, b - a, max_s=window_s, min_s=min(3.0, window_s / 2))
        out += [(a + c0, a + c1) for c0, c1 in zip(cuts, cuts[1:])]
    return out


def frame_probabilities(audio: np.ndarray, speech: list[tuple[float, float]], encoder: Encoder,
                        probe: Probe, window_s: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """(frame times, hesitation probabilities) over the windows that hold speech."""
    import numpy as np

    duration = len(audio) / SAMPLE_RATE
    times, probs = [], []
    for a, b in encoder_windows(speech, duration, window_s):
        piece = audio[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)]
        if len(piece) < SAMPLE_RATE // 10:
            continue
        frames = encoder(piece)
        times.append(a + (np.arange(len(frames)) + 0.5) * FRAME_S)
        probs.append(probe.probabilities(frames))
    if not times:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(times), np.concatenate(probs)


def probable_runs(times: np.ndarray, probs: np.ndarray, speech: list[tuple[float, float]],
                  on: float, off: float, opts: ProbeOptions) -> list[tuple[float, float, float]]:
    """(start, end, mean probability) of runs above ``on`` (extended while above ``off``)."""
    import numpy as np

    if not len(probs):
        return []
    k = max(1, opts.smooth_frames)
    p = np.convolve(probs, np.ones(k) / k, mode="same") if k > 1 else probs
    near = np.zeros(len(times), dtype=bool)
    for s0, s1 in speech:
        near |= (times >= s0 - opts.margin_s) & (times <= s1 + opts.margin_s)
    p = np.where(near, p, 0.0)
    join_s = JOIN_S if opts.join_s is None else opts.join_s
    min_s = MIN_S if opts.min_s is None else opts.min_s
    runs: list[list[int]] = []
    i, n = 0, len(p)
    while i < n:
        if p[i] < on:
            i += 1
            continue
        j0 = i
        while j0 > 0 and p[j0 - 1] >= off:
            j0 -= 1
        j1 = i
        while j1 + 1 < n and p[j1 + 1] >= off:
            j1 += 1
        if runs and times[j0] - times[runs[-1][1]] <= join_s + FRAME_S:
            runs[-1][1] = j1
        else:
            runs.append([j0, j1])
        i = j1 + 1
    out = []
    for j0, j1 in runs:
        start, end = times[j0] - FRAME_S / 2, times[j1] + FRAME_S / 2
        if end - start >= min_s:
            out.append((round(float(start), 3), round(float(end), 3), round(float(np.mean(probs[j0: j1 + 1])), 3)))
    return out


def find_hesitations(audio: np.ndarray, speech: list[tuple[float, float]], encoder: Encoder,
                     opts: ProbeOptions | None = None,
                     frames: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[float, float, float]]:
    """Hesitations in ``audio``: (start, end, confidence), time-sorted. ``frames`` are (times,
    probabilities) already computed piece by piece while the answer was recorded
    (:class:`StreamingFrames`); without them the encoder runs over the whole answer here."""
    opts = opts or ProbeOptions()
    if not speech:
        return []
    probe = load_probe(Path(opts.model_path) if opts.model_path else None)
    on = opts.threshold if opts.threshold is not None else float(probe.meta.get("threshold", 0.5))
    off = opts.release if opts.release is not None else float(probe.meta.get("release", on * 0.6))
    opts = replace(opts, join_s=opts.join_s if opts.join_s is not None else float(probe.meta.get("join_s", JOIN_S)),
                   min_s=opts.min_s if opts.min_s is not None else float(probe.meta.get("min_s", MIN_S)))
    times, probs = frames if frames is not None else frame_probabilities(audio, speech, encoder, probe,
                                                                          opts.window_s)
    runs = probable_runs(times, probs, speech, on, off, opts)
    if opts.split_drop_db > 0:
        runs = split_at_silences(runs, audio, times, probs, opts.split_drop_db, opts.min_s or MIN_S)
    return runs


def _frame_db(audio: np.ndarray, start: float, end: float) -> np.ndarray:
    """Energy (dB) of the 10 ms frames of ``audio`` between ``start`` and ``end`` seconds."""
    import numpy as np

    hop = SAMPLE_RATE // 100
    seg = audio[max(0, int(start * SAMPLE_RATE)): max(0, int(end * SAMPLE_RATE))]
    n = len(seg) // hop
    if n == 0:
        return np.zeros(0)
    frames = seg[: n * hop].astype(np.float64).reshape(n, hop)
    return 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10)


def split_at_silences(runs: list[tuple[float, float, float]], audio: np.ndarray, times: np.ndarray,
                      probs: np.ndarray, drop_db: float = SPLIT_DROP_DB, min_s: float = MIN_S,
                      gap_s: float = SPLIT_GAP_S) -> list[tuple[float, float, float]]:
    """Runs cut where the audio inside them falls silent (two hesitations heard as one run).

    A silence is ``gap_s`` or more of 10 ms frames ``drop_db`` below the run's 80th-percentile
    frame energy, with at least ``min_s`` of the run on both sides; each piece's confidence is
    the mean probability of its frames. Audio too short to hold the run leaves it whole."""
    import numpy as np

    out: list[tuple[float, float, float]] = []
    for start, end, conf in runs:
        db = _frame_db(audio, start, end)
        if len(db) * 0.01 < end - start - 0.02:
            out.append((start, end, conf))
            continue
        quiet = db < np.percentile(db, 80) - drop_db
        cuts: list[tuple[float, float]] = []
        k = 0
        while k < len(quiet):
            if not quiet[k]:
                k += 1
                continue
            k1 = k
            while k1 + 1 < len(quiet) and quiet[k1 + 1]:
                k1 += 1
            g0, g1 = start + k * 0.01, start + (k1 + 1) * 0.01
            last = cuts[-1][1] if cuts else start
            if g1 - g0 >= gap_s - 1e-9 and g0 - last >= min_s and end - g1 >= min_s:
                cuts.append((g0, g1))
            k = k1 + 1
        if not cuts:
            out.append((start, end, conf))
            continue
        edges = [start] + [t for gap in cuts for t in gap] + [end]
        for a, b in zip(edges[::2], edges[1::2]):
            inside = (times >= a) & (times <= b)
            c = float(np.mean(probs[inside])) if inside.any() else conf
            out.append((round(a, 3), round(b, 3), round(c, 3)))
    return out


#: Letters added to a word's length when its duration is compared with the answer's pace (a short
#: word such as "I" still takes the time of a syllable).
WORD_PAD_CHARS = 2
#: Fewest timed words an answer needs before its pace (median time per letter) is trusted.
WORD_PACE_MIN_WORDS = 5


def _letters(word: str) -> int:
    return sum(ch.isalnum() for ch in word)


def _timed_word(w) -> bool:
    """A word with times and letters that is not itself a hesitation ("um," "Uh.")."""
    from .lexicon import is_hesitation

    return (w.start is not None and w.end is not None and _letters(w.word) > 0
            and not is_hesitation(w.word.strip(" ,.?!;:").lower()))


def word_pace(words: list) -> float | None:
    """The answer's median seconds per (padded) letter over its timed non-hesitation words."""
    import statistics

    rates = [(w.end - w.start) / (_letters(w.word) + WORD_PAD_CHARS) for w in words if _timed_word(w)]
    if len(rates) < WORD_PACE_MIN_WORDS:
        return None
    return float(statistics.median(rates))


def inside_ordinary_word(start: float, end: float, words: list, limit: float, pace: float | None,
                         tol: float = FRAME_S) -> bool:
    """Is the run (start, end) entirely within one transcribed non-hesitation word of ordinary length?

    A word is ordinary when its duration is at most ``limit`` times what the answer's pace gives
    for its letters (``(letters + WORD_PAD_CHARS) * pace``). A hesitation Whisper folded into a
    word ("Um, the" written as "The" starting 0.5 s early, or "for, uh," as one long "for")
    stretches that word well past it, so those runs are kept; a run the probe hears inside a word
    spoken at the answer's own pace is the word itself. ``limit`` is chosen per probe file on its
    validation clips (``scripts/train_fillers.py``: a percentile of its family's word lengths).
    """
    if not limit or pace is None:
        return False
    return any(w.start - tol <= start and end <= w.end + tol
               and w.end - w.start <= limit * (_letters(w.word) + WORD_PAD_CHARS) * pace
               for w in words if _timed_word(w))


def word_limit(opts: ProbeOptions | None) -> float:
    """The ordinary-word limit in force: the caller's, else the probe file's (0 when it has none)."""
    opts = opts or ProbeOptions()
    if opts.word_limit is not None:
        return opts.word_limit
    probe = load_probe(Path(opts.model_path) if opts.model_path else None)
    return float(probe.meta.get("word_limit") or 0.0)


class StreamingFrames:
    """Hesitation probabilities of a recording, computed chunk by chunk as it is transcribed, so
    when the answer ends only its last chunk is left for the encoder."""

    def __init__(self, encoder: Encoder, opts: ProbeOptions | None = None) -> None:
        self.encoder = encoder
        self.opts = opts or ProbeOptions()
        self._times: list[np.ndarray] = []
        self._probs: list[np.ndarray] = []

    def add(self, audio: np.ndarray, offset_s: float, speech: list[tuple[float, float]]) -> None:
        """The chunk ``audio`` starting at ``offset_s`` (seconds), with its speech regions (absolute)."""
        probe = load_probe(Path(self.opts.model_path) if self.opts.model_path else None)
        end = offset_s + len(audio) / SAMPLE_RATE
        local = [(max(a, offset_s) - offset_s, min(b, end) - offset_s) for a, b in speech if b > offset_s and a < end]
        if not local:
            return
        times, probs = frame_probabilities(audio, local, self.encoder, probe, self.opts.window_s)
        self._times.append(times + offset_s)
        self._probs.append(probs)

    def frames(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        if not self._times:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self._times), np.concatenate(self._probs)
