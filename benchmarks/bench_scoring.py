"""Measure the scoring instrument; prints tables.

    .venv/bin/python benchmarks/bench_scoring.py [--clips 24] [--skip-wer] [--skip-speed]

1. Fillers on a labelled synthetic set generated now with espeak-ng (4 voices x 3 rates;
   hesitations between and inside sentences, discourse fillers, sentences using like/so/
   you know as real words, pauses): precision/recall/F1 of transcript-only detection without
   and with the filler prompt (the baseline), and of prompt + acoustic detection (ours).
   A detection matches a label of its kind within 0.3 s; one-to-one.
   Pause timing: mean |start| and |end| error of detected pauses (>= 1 s) against the labels.
2. Filler recall on the human-labelled AMI clips in /work/shared/data/fillers-human/.
3. Word error rate on /work/shared/data/speech/ (Whisper's English normaliser, brackets
   stripped first), with and without the filler prompt.
4. Real-time factor and peak RSS of ``score_file`` on a 2-minute answer, in a fresh
   subprocess (VmHWM, i.e. peak resident memory); time of the acoustic filler detection alone.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import make_long_answer, make_set, wer
from voicemock.asr.whisper import AsrOptions
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from voicemock.audio.decode import load_audio
from voicemock.audio.vad import speech_segments
from voicemock.scoring.delivery import analyze_delivery
from voicemock.scoring.fillers import detect_fillers

SHARED = Path("/work/shared/data")
TOL = 0.3


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, max(a[0], b[0]) - min(a[1], b[1]))


def match(labels: list[tuple[float, float]], found: list[tuple[float, float]], tol: float = TOL):
    """Greedy one-to-one matching by interval distance; returns matched (label, found) pairs."""
    pairs = sorted(((_dist(lab, f), i, j) for i, lab in enumerate(labels) for j, f in enumerate(found)
                    if _dist(lab, f) <= tol))
    used_l, used_f, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_l and j not in used_f:
            used_l.add(i)
            used_f.add(j)
            out.append((labels[i], found[j]))
    return out


def prf(tp: int, n_found: int, n_label: int) -> tuple[float, float, float]:
    p = tp / n_found if n_found else 1.0
    r = tp / n_label if n_label else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_fillers(clips, words_by_clip, with_audio: bool, speech_by_clip) -> dict:
    tp = nf = nl = 0
    h_tp = h_nl = 0
    starts = []
    for lc, words, speech in zip(clips, words_by_clip, speech_by_clip):
        found = detect_fillers(words, lc.clip.audio if with_audio else None, speech if with_audio else None)
        hes_found = [(f.start, f.end) for f in found if f.kind == "hesitation"]
        m = match(lc.hesitations, hes_found)
        starts += [abs(a[0] - b[0]) for a, b in m]
        disc_tp = 0
        disc_found = [f for f in found if f.kind == "discourse"]
        used = set()
        for word, s, e in lc.discourse:
            for k, f in enumerate(disc_found):
                if k not in used and f.word == word and s - 0.5 <= f.start <= e + 0.5:
                    used.add(k)
                    disc_tp += 1
                    break
        tp += len(m) + disc_tp
        nf += len(found)
        nl += len(lc.hesitations) + len(lc.discourse)
        h_tp += len(m)
        h_nl += len(lc.hesitations)
    p, r, f = prf(tp, nf, nl)
    return {"precision": p, "recall": r, "f1": f, "hes_recall": h_tp / max(1, h_nl),
            "start_err": statistics.mean(starts) if starts else float("nan"), "n_labels": nl}


def _inner_pauses(clip) -> list[tuple[float, float]]:
    """Labelled silences >= 1 s with sound before and after (lead-in and trailing silence are not pauses)."""
    out, labels = [], clip.labels
    for k, lab in enumerate(labels):
        if lab.kind != "pause" or lab.duration < 1.0:
            continue
        before = any(x.kind in ("speech", "filler") for x in labels[:k])
        after = any(x.kind in ("speech", "filler") for x in labels[k + 1:])
        if before and after:
            out.append((lab.start, lab.end))
    return out


def pause_errors(clips, transcripts, speech_by_clip) -> dict:
    errs, n_lab, n_hit, n_found = [], 0, 0, 0
    for lc, tr, speech in zip(clips, transcripts, speech_by_clip):
        d = analyze_delivery(tr, lc.clip.audio, speech=speech)
        labels = _inner_pauses(lc.clip)
        found = [(p.start, p.end) for p in d.pauses]
        m = match(labels, found, tol=0.0)
        n_lab += len(labels)
        n_hit += len(m)
        n_found += len(found)
        errs += [(abs(a[0] - b[0]) + abs(a[1] - b[1])) / 2 for a, b in m]
    return {"labels": n_lab, "found": n_found, "matched": n_hit,
            "mean_err": statistics.mean(errs) if errs else float("nan"),
            "max_err": max(errs) if errs else float("nan")}


def bench_synthetic(n: int) -> None:
    print(f"\n## Fillers and pauses on {n} synthetic clips (espeak-ng, generated now)")
    with tempfile.TemporaryDirectory() as tmp:
        clips = make_set(Path(tmp), n=n)
        total = sum(c.clip.duration for c in clips)
        n_hes = sum(len(c.hesitations) for c in clips)
        n_disc = sum(len(c.discourse) for c in clips)
        print(f"{total:.0f} s of audio, {n_hes} hesitations, {n_disc} discourse fillers, "
              f"{sum(len(_inner_pauses(c.clip)) for c in clips)} pauses >= 1 s")
        speech = [speech_segments(c.clip.audio) for c in clips]
        with_prompt = Transcriber(AsrOptions(filler_prompt=True))
        no_prompt = Transcriber(AsrOptions(filler_prompt=False))
        tr_p = [with_prompt.transcribe(c.clip.audio) for c in clips]
        tr_n = [no_prompt.transcribe(c.clip.audio) for c in clips]
        rows = [
            ("transcript only, no prompt", score_fillers(clips, [t.words for t in tr_n], False, speech)),
            ("transcript only, filler prompt (baseline)", score_fillers(clips, [t.words for t in tr_p], False, speech)),
            ("no prompt + acoustic", score_fillers(clips, [t.words for t in tr_n], True, speech)),
            ("filler prompt + acoustic (voicemock)", score_fillers(clips, [t.words for t in tr_p], True, speech)),
        ]
        print("| detector | precision | recall | F1 | um/uh recall | um/uh start error |")
        print("|---|---|---|---|---|---|")
        for name, r in rows:
            print(f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                  f"{r['hes_recall']:.3f} | {r['start_err']:.3f} s |")
        pe = pause_errors(clips, tr_p, speech)
        print(f"\npauses >= 1 s: {pe['labels']} labelled, {pe['found']} found, {pe['matched']} matched; "
              f"timing error mean {pe['mean_err']:.3f} s, max {pe['max_err']:.3f} s")
        bench_noisy(clips, with_prompt)
        leaks = sum(1 for t in tr_p if "umm, uh, er, hmm" in t.text.lower())
        print(f"prompt leaks (prompt text echoed in a transcript): {leaks} of {len(tr_p)}")


def bench_noisy(clips, transcriber, level: float = 0.01) -> None:
    """The same clips with white noise at about -40 dBFS (a quiet room, a cheap microphone)."""
    import numpy as np

    rng = np.random.default_rng(0)
    clean = [c.clip.audio for c in clips]
    try:
        for c in clips:
            c.clip.audio = (c.clip.audio + rng.standard_normal(len(c.clip.audio)) * level).astype(np.float32)
        speech = [speech_segments(c.clip.audio) for c in clips]
        trs = [transcriber.transcribe(c.clip.audio) for c in clips]
        base = score_fillers(clips, [t.words for t in trs], False, speech)
        ours = score_fillers(clips, [t.words for t in trs], True, speech)
        pe = pause_errors(clips, trs, speech)
    finally:
        for c, a in zip(clips, clean):
            c.clip.audio = a
    print(f"with white noise at -40 dBFS: baseline F1 {base['f1']:.3f}; voicemock precision "
          f"{ours['precision']:.3f}, recall {ours['recall']:.3f}, F1 {ours['f1']:.3f}; pauses "
          f"{pe['matched']}/{pe['labels']} found, mean error {pe['mean_err']:.3f} s")


def bench_ami() -> None:
    folder = SHARED / "fillers-human"
    if not (folder / "labels.jsonl").exists():
        print("\n(no AMI clips found; skipped)")
        return
    print("\n## Filler recall on the human-labelled AMI clips")
    tr = Transcriber()
    print("| clip | labelled | transcript found | transcript+acoustic found | detections (all sources) |")
    print("|---|---|---|---|---|")
    tot = [0, 0, 0]
    for line in (folder / "labels.jsonl").read_text().splitlines():
        rec = json.loads(line)
        audio = load_audio(folder / rec["clip"])
        labels = [(w["start"], max(w["end"], w["start"] + 0.05)) for w in rec["words"] if w.get("filler") == "hesitation"]
        t = tr.transcribe(audio)
        speech = speech_segments(audio)
        only_t = [(f.start, f.end) for f in detect_fillers(t.words) if f.kind == "hesitation"]
        both = [(f.start, f.end) for f in detect_fillers(t.words, audio, speech) if f.kind == "hesitation"]
        m1, m2 = len(match(labels, only_t)), len(match(labels, both))
        tot[0] += len(labels)
        tot[1] += m1
        tot[2] += m2
        print(f"| {rec['clip']} | {len(labels)} | {m1} | {m2} | {len(both)} |")
    print(f"| all | {tot[0]} | {tot[1]} ({tot[1] / max(1, tot[0]):.0%}) | {tot[2]} ({tot[2] / max(1, tot[0]):.0%}) | |")


def _norm():
    from whisper_normalizer.english import EnglishTextNormalizer

    n = EnglishTextNormalizer()
    return lambda s: n(re.sub(r"[\[\]()]", " ", s)).split()


def bench_wer() -> None:
    print("\n## Word error rate on /work/shared/data/speech (Whisper English normaliser)")
    norm = _norm()
    items = []
    for folder in sorted((SHARED / "speech").iterdir()):
        ref_file = folder / "references.tsv"
        if not ref_file.exists():
            continue
        lines = ref_file.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        col = header.index("normalized_text") if "normalized_text" in header else header.index("text")
        for row in lines[1:]:
            cells = row.split("\t")
            items.append((folder / "wav" / f"{cells[0]}.wav", cells[col]))
    print("| setting | WER | words | time |")
    print("|---|---|---|---|")
    for name, fp in (("no prompt", False), ("filler prompt", True)):
        tr = Transcriber(AsrOptions(filler_prompt=fp))
        errs = words = 0
        t0 = time.perf_counter()
        for path, ref in items:
            hyp = tr.transcribe(load_audio(path)).text
            e, n = wer(norm(ref), norm(hyp))
            errs += e
            words += n
        print(f"| {name} | {errs / words:.2%} | {words} | {time.perf_counter() - t0:.1f} s |")


CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from voicemock.asr.whisper import AsrOptions, WhisperTranscriber as Transcriber
from voicemock.scoring.pipeline import score_file
path, beam, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
tr = Transcriber(AsrOptions(beam_size=beam)); tr.load()
t1 = time.perf_counter()
out = {"load": t1 - t0}
if mode == "score":
    res = score_file(path, tr)
    out["score"] = time.perf_counter() - t1
    out["words"] = len(res.transcript.words)
else:  # time the acoustic filler detection alone, on the same transcript
    from voicemock.scoring.pipeline import transcribe_file
    from voicemock.scoring.fillers import detect_fillers
    transcript, audio, speech = transcribe_file(path, tr)
    t2 = time.perf_counter(); detect_fillers(transcript.words, audio, speech)
    t3 = time.perf_counter(); detect_fillers(transcript.words)
    t4 = time.perf_counter()
    out["acoustic"] = (t3 - t2) - (t4 - t3)
# peak RSS of this process: VmHWM (ru_maxrss would include the forking parent's RSS, which
# Linux carries across execve)
try:
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
    out["maxrss_mb"] = int(hwm.split()[1]) / 1024
except (OSError, IndexError):
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _child(path: Path, beam: int, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(beam), mode],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


POOL = r"""
import sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from voicemock.asr.whisper import AsrOptions, WhisperTranscriber as Transcriber
from voicemock.scoring.pipeline import score_file
workers, paths = int(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
tr = Transcriber(AsrOptions(num_workers=workers, cpu_threads=1 if workers > 1 else 0)); tr.load()
t = time.perf_counter()
with ThreadPoolExecutor(workers) as pool:
    list(pool.map(lambda p: score_file(p, tr), paths))
print(time.perf_counter() - t)
"""


def bench_files(tmp: Path) -> None:
    """Several files (the CLI): two 1-thread workers against one 2-thread worker."""
    paths = [str(make_long_answer(tmp / f"f{i}.wav", 40.0, seed=10 + i).path) for i in range(4)]
    print("\n| 4 files of 40 s | wall time |")
    print("|---|---|")
    for workers, name in ((1, "one at a time, 2 CTranslate2 threads"), (2, "2 workers x 1 thread (voicemock score)")):
        out = subprocess.run([sys.executable, "-c", POOL, str(workers), *paths], capture_output=True,
                             text=True, check=True)
        print(f"| {name} | {float(out.stdout.strip().splitlines()[-1]):.2f} s |")


def bench_speed() -> None:
    print("\n## Speed and memory: score_file on a 2-minute answer (fresh process each, 2 cores)")
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_long_answer(Path(tmp) / "long.wav", 120.0)
        dur = clip.duration
        print(f"answer: {dur:.1f} s")
        print("| beam | load model | score_file | RTF | acoustic fillers | share of score_file | peak RSS |")
        print("|---|---|---|---|---|---|---|")
        for beam in (1, 5):
            r = _child(clip.path, beam, "score")
            a = _child(clip.path, beam, "acoustic")
            print(f"| {beam} | {r['load']:.2f} s | {r['score']:.2f} s | {r['score'] / dur:.3f} | "
                  f"{a['acoustic'] * 1000:.0f} ms | {a['acoustic'] / r['score']:.1%} | {r['maxrss_mb']:.0f} MB |")
        bench_files(Path(tmp))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=24)
    ap.add_argument("--skip-wer", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-ami", action="store_true")
    ap.add_argument("--only-synthetic", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bench_synthetic(args.clips)
    if not args.only_synthetic:
        if not args.skip_ami:
            bench_ami()
        if not args.skip_wer:
            bench_wer()
        if not args.skip_speed:
            bench_speed()
    print(f"\n(benchmark ran {time.perf_counter() - t0:.0f} s; parent peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
