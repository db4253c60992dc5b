"""Filler detection per voice family, with one family held out of all fitting and tuning.

Used by ``bench_scoring.py``. The test clips speak the 50 frozen scripts of
``benchmarks/data/filler_scripts/`` in each family (espeak-ng voices; Piper), clean and with
room noise at 20 dB SNR. Detectors:

- *fitted on X*: ``voicemock score``'s pipeline with a probe trained by
  ``scripts/train_fillers.py --families X`` (only X's training clips; thresholds chosen on X);
- *shipped*: the probe in the package (fitted on both families);
- *baseline*: Whisper alone with a long filler prompt (the usual "keep the ums" prompt) and the
  same transcript rules, no acoustic detection.

A hesitation is found when a counted hesitation filler lies within 0.5 s of it (one-to-one); a
discourse filler is found when the transcript word it starts at is aligned to a ``[filler]`` of
the script with the same words.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from filler_corpus import CACHE, FAMILIES, Clip, add_noise, align, make_clip, norm_word, test_answers
from voicemock.asr.whisper import AsrOptions, WhisperTranscriber
from voicemock.audio.vad import speech_segments
from voicemock.models import Filler, Transcript
from voicemock.scoring.fillers import counted, detect_fillers
from voicemock.scoring.hesitations import PROBE_FILE, ProbeOptions
from voicemock.scoring.text import tokenize

TOL = 0.5
#: The long filler prompt of the baseline (Whisper alone).
BASELINE_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
KINDS = ("start", "mid", "discourse")


@dataclass
class Tally:
    tp: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    found: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    labels: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def add(self, other: Tally) -> None:
        for d, o in ((self.tp, other.tp), (self.found, other.found), (self.labels, other.labels)):
            for k in KINDS:
                d[k] += o[k]

    def prf(self, kinds=KINDS) -> tuple[float, float, float]:
        tp = sum(self.tp[k] for k in kinds)
        nf = sum(self.found[k] for k in kinds)
        nl = sum(self.labels[k] for k in kinds)
        p = tp / nf if nf else 1.0
        r = tp / nl if nl else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _dist(a, b) -> float:
    return max(0.0, max(a[0], b[0]) - min(a[1], b[1]))


def _match(labels: list, found: list) -> list[tuple[int, int]]:
    pairs = sorted((_dist(lab, f), i, j) for i, lab in enumerate(labels) for j, f in enumerate(found)
                   if _dist(lab, f) <= TOL)
    used_l, used_f, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_l and j not in used_f:
            used_l.add(i)
            used_f.add(j)
            out.append((i, j))
    return out


def _sentence_start_at(t: float, transcript: Transcript) -> bool:
    """Is the first word at or after ``t`` the start of a sentence?"""
    for tok in tokenize(transcript.words):
        if tok.start is not None and tok.start >= t - 0.1:
            return tok.sentence_start
    return False


def filler_word_index(f: Filler, words: list) -> int | None:
    """Index of the transcript word a discourse filler starts at: the word with the filler's start
    time and its first word. Whisper gives words of a phrase the same start at times ("You" and
    "know," both at 21.24 s), so the start alone picked the phrase's last word and a right
    detection counted as one false and one missed."""
    first = norm_word(f.word.split()[0]) if f.word.split() else ""
    at = [k for k, w in enumerate(words) if round(w.start or -1, 3) == round(f.start or -1, 3)]
    for k in at:
        if norm_word(words[k].word) == first:
            return k
    return at[0] if at else None


def score_clip(clip: Clip, transcript: Transcript, fillers: list[Filler]) -> Tally:
    t = Tally()
    fillers = counted(fillers)
    hes = [f for f in fillers if f.kind == "hesitation" and f.start is not None]
    labels = [(a, b) for a, b, _ in clip.hesitations]
    pairs = _match(labels, [(f.start, f.end) for f in hes])
    for *_span, pos in clip.hesitations:
        t.labels[pos] += 1
    matched_f = {j for _, j in pairs}
    for i, _ in pairs:
        pos = clip.hesitations[i][2]
        t.tp[pos] += 1
        t.found[pos] += 1
    for j, f in enumerate(hes):
        if j not in matched_f:
            t.found["start" if _sentence_start_at(f.start, transcript) else "mid"] += 1
    # discourse: align the transcript to the script's words
    ref = [tok for tok in clip.answer.tokens if norm_word(tok.text)]
    t.labels["discourse"] = sum(1 for tok in ref if tok.kind == "filler" and tok.first)
    hyp_words = [w for w in transcript.words if norm_word(w.word)]
    mapping = align([norm_word(tok.text) for tok in ref], [norm_word(w.word) for w in hyp_words])
    hit: set[int] = set()
    for f in fillers:
        if f.kind != "discourse":
            continue
        t.found["discourse"] += 1
        k = filler_word_index(f, hyp_words)
        r = mapping.get(k) if k is not None else None
        if r is None:
            continue
        tok = ref[r]
        if tok.kind == "filler" and tok.first and tok.phrase == f.word and r not in hit:
            hit.add(r)
            t.tp["discourse"] += 1
    return t


def test_clips(family: str, noisy: bool, limit: int | None) -> list[Clip]:
    clips = [make_clip(a, family, 0, "test") for a in test_answers()[:limit]]
    if noisy:
        for k, c in enumerate(clips):
            c.audio = add_noise(c.audio, seed=1000 + k)
    return clips


def _asr_code_hash() -> str:
    """Hash of the transcriber's code: a cached transcript is reused only while it is unchanged."""
    import hashlib

    src = ROOT / "src" / "voicemock"
    files = sorted((src / "asr").glob("*.py")) + [src / "audio" / "vad.py", src / "audio" / "__init__.py"]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]


def cached_transcript(tr: WhisperTranscriber, audio) -> Transcript:
    """``tr.transcribe(audio)``, cached on disk by audio, options and the transcriber's code (the
    filler detector is compared on the same transcripts without transcribing them again)."""
    import hashlib

    key = hashlib.sha256(audio.tobytes() + repr(tr.options).encode() + _asr_code_hash().encode()).hexdigest()[:24]
    path = CACHE / "transcripts" / f"{key}.json"
    if path.exists():
        return Transcript.model_validate_json(path.read_text())
    out = tr.transcribe(audio)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.model_dump_json())
    return out


class Runner:
    """Transcribes each test set once per transcriber and scores every detector on it."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.ours = WhisperTranscriber()
        self.baseline = WhisperTranscriber(AsrOptions(prompt_text=BASELINE_PROMPT, recover_uncovered=False))
        self._sets: dict = {}
        self._frames: dict = {}  # encoder frames per audio piece, shared by the probes compared

    def encode(self, audio):
        import hashlib

        key = hashlib.sha1(audio.tobytes()).hexdigest()
        if key not in self._frames:
            self._frames[key] = self.ours.encode(audio)
        return self._frames[key]

    def data(self, family: str, noisy: bool):
        key = (family, noisy)
        if key not in self._sets:
            clips = test_clips(family, noisy, self.limit)
            speech = [speech_segments(c.audio) for c in clips]
            ours = [cached_transcript(self.ours, c.audio) for c in clips]
            base = [cached_transcript(self.baseline, c.audio) for c in clips]
            self._sets[key] = (clips, speech, ours, base)
        return self._sets[key]

    def detector(self, family: str, noisy: bool, probe: Path | None) -> Tally:
        clips, speech, ours, base = self.data(family, noisy)
        total = Tally()
        for c, sp, tr, bt in zip(clips, speech, ours, base):
            if probe is None:
                total.add(score_clip(c, bt, detect_fillers(bt.words)))
            else:
                found = detect_fillers(tr.words, c.audio, sp, self.encode, ProbeOptions(model_path=str(probe)))
                total.add(score_clip(c, tr, found))
        return total

    def summary(self, family: str, noisy: bool) -> str:
        clips = self.data(family, noisy)[0]
        n_hes = sum(len(c.hesitations) for c in clips)
        n_disc = sum(1 for c in clips for tok in c.answer.tokens if tok.kind == "filler" and tok.first)
        return f"{len(clips)} clips, {sum(c.duration for c in clips):.0f} s, {n_hes} hesitations, {n_disc} discourse fillers"


def _training_code_hash() -> str:
    """Hash of what a fitted probe depends on (training script, text, corpus, probe code)."""
    import hashlib

    files = [ROOT / "scripts" / "train_fillers.py", HERE / "filler_train_text.py", HERE / "filler_corpus.py",
             HERE / "filler_augment.py",
             ROOT / "src" / "voicemock" / "scoring" / "hesitations.py", ROOT / "tests" / "speechgen.py"]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]


def fitted_probe(family: str, train_args: str = "") -> Path:
    """The probe fitted on one family only (trained now if none was trained by this code with
    these extra ``train_fillers.py`` arguments)."""
    import hashlib
    import shlex

    extra = hashlib.sha256(train_args.encode()).hexdigest()[:6] if train_args.strip() else ""
    path = CACHE / "models" / f"{family}-{_training_code_hash()}{'-' + extra if extra else ''}.npz"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "train_fillers.py"), "--families", family,
                        "--out", str(path), *shlex.split(train_args)], check=True)
    return path


def _cell(t: Tally, b: Tally, kinds) -> str:
    p, r, f = t.prf(kinds)
    bp, br, bf = b.prf(kinds)
    return f"{p:.2f} / {r:.2f} / **{f:.2f}** ({bp:.2f} / {br:.2f} / {bf:.2f})"


def bench(limit: int | None = None, noisy_too: bool = True, train_args: str = "", shipped: Path = PROBE_FILE) -> None:
    print("\n## Fillers per voice family (P / R / F1, prompt-only baseline in brackets)")
    print("Test text: the 50 frozen scripts of benchmarks/data/filler_scripts (never fitted or tuned on).")
    runner = Runner(limit)
    rows = []
    for noisy in ((False, True) if noisy_too else (False,)):
        for fitted in FAMILIES:
            for tested in FAMILIES:
                rows.append((noisy, f"fitted on {fitted}", tested, "held out" if fitted != tested else "in family",
                             fitted_probe(fitted, train_args)))
        for tested in FAMILIES:
            rows.append((noisy, "shipped (both)", tested, "in family", shipped))
    for fam in FAMILIES:
        print(f"- {fam}: {runner.summary(fam, False)}")
    print("\n| probe | tested on | noise | hesitation at sentence start | mid-sentence hesitation | discourse | all fillers |")
    print("|---|---|---|---|---|---|---|")
    for noisy, name, tested, rel, probe in rows:
        t = runner.detector(tested, noisy, probe)
        b = runner.detector(tested, noisy, None)
        noise = "20 dB SNR" if noisy else "clean"
        print(f"| {name} | {tested} ({rel}) | {noise} | {_cell(t, b, ('start',))} | {_cell(t, b, ('mid',))} | "
              f"{_cell(t, b, ('discourse',))} | {_cell(t, b, KINDS)} |", flush=True)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Filler detection per voice family (part of bench_scoring.py).")
    ap.add_argument("--scripts", type=int, default=None, help="use the first N test scripts (default: all 50)")
    ap.add_argument("--no-noise", action="store_true", help="skip the noisy variant")
    ap.add_argument("--train-args", default="", help="extra train_fillers.py arguments for the fitted probes")
    ap.add_argument("--shipped", type=Path, default=PROBE_FILE, help="the probe file of the 'shipped' rows")
    args = ap.parse_args()
    bench(args.scripts, not args.no_noise, args.train_args, args.shipped)
