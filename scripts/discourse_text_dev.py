"""Discourse-filler rules on written spoken-style answers, against a reader's labels.

    python scripts/discourse_text_dev.py [--sets star_topic2 star_topic3] [--errors]

The answers are those of ``benchmarks/data/star_topic2..4`` (written by three writers who never
saw voicemock's code). Every occurrence of a candidate phrase (like, so, you know, I mean, kind
of, actually, honestly, well, right, ...) was labelled filler (F) or meaning (M) by a reader who
saw only the sentences, never the rules (``benchmarks/data/discourse_labels/``). Here each answer
goes through ``transcript_fillers`` as a ``.txt`` transcript would, and the rules' decision at
each labelled occurrence is compared with the label: precision, recall and F1 per phrase.

star_topic2 and star_topic3 are the development sets (the rules may be changed while looking
at their errors); star_topic4 is checked only after a change is decided (``--sets star_topic4``).
Written punctuation is the writer's, not Whisper's, so these figures say how the rules read the
words, not how they do on a transcript.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
LABELS = DATA / "discourse_labels" / "labels.jsonl"
#: The candidate phrases, longest first; an item is the k-th match of this in an answer.
CANDIDATES = re.compile(r"\b(you know|i mean|kind of|sort of|like|so|basically|actually|literally|honestly|"
                        r"kinda|sorta|well|right)\b", re.I)

sys.path.insert(0, str(ROOT / "src"))
from voicemock.models import Word  # noqa: E402
from voicemock.scoring.fillers import counted, transcript_fillers  # noqa: E402


def items(sets: list[str]) -> list[dict]:
    """Every candidate occurrence of the answers of ``sets``: item id, phrase, answer, word index."""
    out = []
    for name in sets:
        for line in (DATA / name / "ontopic.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            text = rec["answer"]
            for k, m in enumerate(CANDIDATES.finditer(text)):
                before = text[: m.start()]
                index = len(before.split()) - (0 if not before or before[-1].isspace() else 1)
                out.append({"item": f"{rec['id']}#{k}", "phrase": m.group(0).lower(), "text": text,
                            "index": index, "context": text[max(0, m.start() - 60): m.end() + 40]})
    return out


def found_at(text: str) -> dict[int, str]:
    """Word index -> discourse filler phrase the rules count there."""
    words = [Word(word=w, start=float(i), end=i + 0.5) for i, w in enumerate(text.split())]
    return {int(f.start): f.word for f in counted(transcript_fillers(words)) if f.kind == "discourse" and f.start is not None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["star_topic2", "star_topic3"])
    ap.add_argument("--errors", action="store_true", help="print every disagreement with its context")
    ap.add_argument("--sure-only", action="store_true", help="leave out the items the reader marked unsure")
    args = ap.parse_args()
    labels = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        labels[rec["item"]] = rec
    cache: dict[str, dict[int, str]] = {}
    tally: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    errors = []
    for it in items(args.sets):
        lab = labels.get(it["item"])
        if lab is None or (args.sure_only and lab.get("unsure")):
            continue
        if it["text"] not in cache:
            cache[it["text"]] = found_at(it["text"])
        got = cache[it["text"]].get(it["index"])
        pred = got is not None and got.split()[0] == it["phrase"].split()[0]
        gold = lab["label"] == "F"
        key = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[(pred, gold)]
        tally[it["phrase"]][key] += 1
        tally["all"][key] += 1
        if key in ("fp", "fn"):
            errors.append((key.upper(), it["phrase"], it["context"].replace("\n", " ")))
    print(f"sets: {' '.join(args.sets)}")
    print("| phrase | labelled F | labelled M | found right | wrong | missed | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for phrase in sorted(tally, key=lambda p: (p == "all", p)):
        c = tally[phrase]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {phrase} | {c['tp'] + c['fn']} | {c['fp'] + c['tn']} | {c['tp']} | {c['fp']} | {c['fn']} | "
              f"{p:.2f} | {r:.2f} | {f:.2f} |")
    if args.errors:
        for kind, phrase, ctx in sorted(errors):
            print(f"{kind} {phrase!r}: ...{ctx}...")


if __name__ == "__main__":
    main()
