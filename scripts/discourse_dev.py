"""Discourse-filler rules on the *training* clips: precision, recall and every error, per phrase.

    python scripts/discourse_dev.py [--families espeak piper] [--answers 48] [--errors]

The clips are the generated training answers of ``benchmarks/filler_train_text.py`` (never the
test scripts), spoken by each family and transcribed by voicemock's transcriber (transcripts
cached under ~/.cache/voicemock-bench/transcripts). Matching is the benchmark's
(``bench_fillers.score_clip``): a found filler counts when the transcript word it starts at is
aligned to a marked ``[filler]`` with the same words. The rules are text rules, so after the first
run (transcription) a change to them is measured in seconds.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_fillers import cached_transcript, filler_word_index  # noqa: E402
from filler_corpus import align, make_clip, norm_word, parse  # noqa: E402
from filler_train_text import training_answers  # noqa: E402
from voicemock.asr.whisper import WhisperTranscriber  # noqa: E402
from voicemock.audio.vad import speech_segments  # noqa: E402
from voicemock.scoring.fillers import counted, transcript_fillers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", nargs="+", default=["espeak", "piper"], choices=["espeak", "piper"])
    ap.add_argument("--answers", type=int, default=48)
    ap.add_argument("--errors", action="store_true", help="list every error with its transcript context")
    args = ap.parse_args()
    tr = WhisperTranscriber()
    answers = [parse(i, t) for i, t in training_answers(args.answers)]
    for fam in args.families:
        tp: collections.Counter = collections.Counter()
        fp: collections.Counter = collections.Counter()
        fn: collections.Counter = collections.Counter()
        errors = []
        for ans in answers:
            clip = make_clip(ans, fam, 0, "train")
            transcript = cached_transcript(tr, clip.audio)
            found = [f for f in counted(transcript_fillers(transcript.words, speech_segments(clip.audio)))
                     if f.kind == "discourse"]
            ref = [tok for tok in ans.tokens if norm_word(tok.text)]
            hyp = [w for w in transcript.words if norm_word(w.word)]
            mapping = align([norm_word(t.text) for t in ref], [norm_word(w.word) for w in hyp])
            hit = set()
            for f in found:
                k = filler_word_index(f, hyp)
                r = mapping.get(k) if k is not None else None
                ok = r is not None and ref[r].kind == "filler" and ref[r].first and ref[r].phrase == f.word and r not in hit
                ctx = " ".join(w.word.strip() for w in hyp[max(0, (k or 0) - 4): (k or 0) + 5])
                if ok:
                    hit.add(r)
                    tp[f.word] += 1
                else:
                    fp[f.word] += 1
                    errors.append(f"FP {f.word!r}: ...{ctx}...")
            inv = {r: k for k, r in mapping.items()}
            for r, tok in enumerate(ref):
                if tok.kind == "filler" and tok.first and r not in hit:
                    fn[tok.phrase] += 1
                    k = inv.get(r)
                    ctx = (" ".join(w.word.strip() for w in hyp[max(0, k - 4): k + 5]) if k is not None
                           else "(not transcribed) " + " ".join(t.text for t in ref[max(0, r - 4): r + 5]))
                    errors.append(f"FN {tok.phrase!r}: ...{ctx}...")
        print(f"\n## {fam}: {len(answers)} training answers")
        print("| phrase | found right | wrong | missed | precision | recall |")
        print("|---|---|---|---|---|---|")
        for ph in sorted(set(tp) | set(fp) | set(fn)) + ["all"]:
            a, b, c = (sum(x.values()) for x in (tp, fp, fn)) if ph == "all" else (tp[ph], fp[ph], fn[ph])
            print(f"| {ph} | {a} | {b} | {c} | {a / max(1, a + b):.2f} | {a / max(1, a + c):.2f} |")
        if args.errors:
            print("\n".join(sorted(errors)))


if __name__ == "__main__":
    main()
