"""Choose how a probe run is split at a silence inside it, on the *training validation* clips only.

    python scripts/split_dev.py [--families espeak piper] [--probe FAMILY=FILE ...]

For each family, the validation answers of ``scripts/train_fillers.py`` (the same seeded 20 %,
never the test scripts), clean and with room noise, go through the probe fitted on that family
(``--probe espeak=FILE``; default: the shipped file), and the detector's hesitation precision,
recall and F1 are printed for each silence depth tried (0: no split). The detector is voicemock's
(transcript hesitations snapped to the probe's runs, runs left over, the ordinary-word veto); the
transcripts are voicemock's, cached. A depth is kept only if each family's own probe chooses it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_fillers import (  # noqa: E402
    N_ANSWERS,
    audio_frames,
    clip_variants,
    hesitation_spans,
    match_count,
    prf,
    validation_ids,
)

from bench_fillers import cached_transcript  # noqa: E402
from filler_corpus import make_clip, parse  # noqa: E402
from filler_train_text import training_answers  # noqa: E402
from voicemock.asr.whisper import WhisperTranscriber  # noqa: E402
from voicemock.scoring.hesitations import MIN_S, PROBE_FILE, Probe, ProbeOptions, probable_runs, split_at_silences  # noqa: E402

DEPTHS = (0.0, 10.0, 15.0, 20.0, 25.0, 30.0)


def validation_clips(family: str, tr: WhisperTranscriber) -> list:
    """(audio, times, frames, speech, hesitations, words) of the family's validation clips."""
    answers = [parse(i, t) for i, t in training_answers(N_ANSWERS)]
    val_ids = validation_ids(answers)
    out = []
    for ans in answers:
        if ans.id not in val_ids:
            continue
        clip = make_clip(ans, family, 0, "train")
        for audio, hes in clip_variants(clip, 0, []):
            times, frames, speech = audio_frames(audio, tr)
            out.append((audio, times, frames, speech, hes, cached_transcript(tr, audio).words))
    return out


def scores(val: list, probe: Probe, depth: float) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and false detections of voicemock's hesitations, runs split at ``depth`` dB."""
    on, off = float(probe.meta["threshold"]), float(probe.meta["release"])
    opts = ProbeOptions(join_s=probe.meta.get("join_s"), min_s=probe.meta.get("min_s"))
    limit = float(probe.meta.get("word_limit") or 0.0)
    tp = nf = nl = 0
    for audio, times, frames, speech, hes, words in val:
        probs = probe.probabilities(frames)
        runs = probable_runs(times, probs, speech, on, off, opts)
        if depth:
            runs = split_at_silences(runs, audio, times, probs, depth, opts.min_s or MIN_S)
        spans = hesitation_spans(words, speech, runs, limit)
        tp += match_count(hes, spans)
        nf += len(spans)
        nl += len(hes)
    return (*prf(tp, nf, nl), nf - tp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", nargs="+", default=["espeak", "piper"], choices=["espeak", "piper"])
    ap.add_argument("--probe", nargs="*", default=[], help="FAMILY=FILE: the probe fitted on that family")
    args = ap.parse_args()
    probes = dict(p.split("=", 1) for p in args.probe)
    tr = WhisperTranscriber()
    for fam in args.families:
        probe = Probe(Path(probes.get(fam, PROBE_FILE)).expanduser())
        val = validation_clips(fam, tr)
        n = sum(len(v[4]) for v in val)
        print(f"\n{fam}: {len(val)} validation clips, {n} hesitations, probe {probes.get(fam, PROBE_FILE)}")
        print("| split depth (dB) | precision | recall | F1 | false detections |")
        print("|---|---|---|---|---|")
        for depth in DEPTHS:
            p, r, f, fp = scores(val, probe, depth)
            print(f"| {depth:g} | {p:.3f} | {r:.3f} | {f:.4f} | {fp} |")


if __name__ == "__main__":
    main()
