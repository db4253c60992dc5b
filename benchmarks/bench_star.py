"""Evaluate the offline STAR analysis and rubric; prints tables.

    .venv/bin/python benchmarks/bench_star.py [--shared ../shared/data/star] [--errors]
    .venv/bin/python benchmarks/bench_star.py --llm-base-url http://127.0.0.1:8080/v1 [--llm-pairs 3]

Data:
- ``benchmarks/data/spoken_star.jsonl`` (ours, spoken style, written for this project): each
  answer is a list of gold-labelled sentences, gold flags and an optional weak/strong pair id.
  Rows are split into a ``dev`` half (looked at while writing the lexicons) and a ``heldout``
  half; figures are printed for both.
- ``/work/shared/data/star/`` (author-labelled written examples): ``star_labeled.jsonl``
  parts become gold sentences; ``pairs.jsonl`` gives weak-vs-strong pairs. Read at run time.

Sentence-label accuracy: the answer's gold sentences are joined into one transcript, analysed
as a whole, and each gold sentence takes the majority predicted label of its words (so wrong
splits cost accuracy too). Presence: per part, precision/recall of "part present".
Flags: share of answers lacking a result / personal action that the analysis flags.
Ranking: the strong answer of a pair must get a higher offline ``overall`` than the weak one.
Speed: median time to analyse a 300-word answer.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from voicemock.models import Transcript
from voicemock.rubric.offline import offline_rubric
from voicemock.scoring.star import PART_NAMES, analyze_structure

HERE = Path(__file__).resolve().parent
SPOKEN = HERE / "data" / "spoken_star.jsonl"
SHARED = HERE.parent.parent / "shared" / "data" / "star"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/star")


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict_gold_sentences(sentences: list[str]):
    """(structure, predicted label per gold sentence) for an answer given as gold sentences."""
    words, owner = [], []
    for k, s in enumerate(sentences):
        for w in s.split():
            words.append(w)
            owner.append(k)
    st = analyze_structure(Transcript(text=" ".join(words)))
    pred_words = []
    for s in st.sentences:
        pred_words += [s.label] * len(s.text.split())
    assert len(pred_words) == len(words), "splitting must keep every word"
    per = [Counter() for _ in sentences]
    for k, lab in zip(owner, pred_words):
        per[k][lab] += 1
    return st, [c.most_common(1)[0][0] for c in per]


class Tally:
    def __init__(self) -> None:
        self.correct = self.total = 0
        self.confusion: Counter = Counter()
        self.pres = {p: Counter() for p in "STAR"}
        self.flags = {"missing_result": [0, 0], "missing_personal_action": [0, 0], "false_alarm": [0, 0]}
        self.errors: list[str] = []

    def sentence(self, gold: str, pred: str, text: str, rid: str) -> None:
        self.total += 1
        self.correct += gold == pred
        self.confusion[(gold, pred)] += 1
        if gold != pred:
            self.errors.append(f"{rid}: gold {gold} pred {pred}: {text}")

    def presence(self, gold_labels: set[str], st) -> None:
        for p, name in PART_NAMES.items():
            g, pr = p in gold_labels, getattr(st.parts, name).present
            self.pres[p]["tp" if g and pr else "fp" if pr else "fn" if g else "tn"] += 1

    def acc(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    def pr(self, p: str) -> tuple[float, float]:
        c = self.pres[p]
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        return prec, rec


def eval_spoken(rows: list[dict]) -> tuple[Tally, list[tuple[str, int, int]]]:
    t = Tally()
    overall: dict[str, int] = {}
    for r in rows:
        texts = [s["text"] for s in r["sentences"]]
        st, preds = predict_gold_sentences(texts)
        for s, p in zip(r["sentences"], preds):
            t.sentence(s["label"], p, s["text"], r["id"])
        t.presence({s["label"] for s in r["sentences"]}, st)
        for flag in ("missing_result", "missing_personal_action"):
            if r["flags"][flag]:
                t.flags[flag][1] += 1
                t.flags[flag][0] += getattr(st, flag)
                if not getattr(st, flag):
                    t.errors.append(f"{r['id']}: missed {flag}")
            elif getattr(st, flag):
                t.errors.append(f"{r['id']}: false {flag}")
        t.flags["false_alarm"][1] += 2 - sum(r["flags"].values())
        t.flags["false_alarm"][0] += sum(getattr(st, f) and not r["flags"][f] for f in ("missing_result", "missing_personal_action"))
        overall[r["id"]] = offline_rubric(st).overall
    pairs = []
    by_pair: dict[str, dict[str, str]] = {}
    for r in rows:
        if r.get("pair"):
            by_pair.setdefault(r["pair"], {})[r["strength"]] = r["id"]
    for pid, d in sorted(by_pair.items()):
        pairs.append((pid, overall[d["strong"]], overall[d["weak"]]))
    return t, pairs


_MARKUP = re.compile(r"^\s*(?:\*\*)?(?:S|T|A|R|Situation|Task|Action|Result|Learning)\s*:\s*(?:\*\*)?\s*", re.I | re.M)


def _written_sentences(text: str) -> list[str]:
    out = []
    for line in text.replace("\u2192", "->").splitlines():
        line = re.sub(r"^[\s\-*\u2022\d.)]+", "", line).strip().strip('"')
        line = re.sub(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2705\u274C]", "", line).strip()
        if not line:
            continue
        out += [p.strip() for p in re.split(r"(?<=[.!?])\s+", line) if p.strip()]
    return out


def eval_shared(folder: Path) -> tuple[Tally, list[tuple[str, int, int]]]:
    t = Tally()
    for r in _load(folder / "star_labeled.jsonl"):
        sents, gold = [], []
        for p, name in PART_NAMES.items():
            txt = r["parts"].get(name)
            if txt:
                ss = _written_sentences(txt)
                sents += ss
                gold += [p] * len(ss)
        if not sents:
            continue
        st, preds = predict_gold_sentences([s if re.search(r"[.!?]$", s) else s + "." for s in sents])
        for g, p, s in zip(gold, preds, sents):
            t.sentence(g, p, s, r["id"])
        t.presence(set(gold), st)
    pairs = []
    for r in _load(folder / "pairs.jsonl"):
        scores = []
        for key in ("strong_answer", "weak_answer"):
            text = " ".join(s if re.search(r"[.!?]$", s) else s + "." for s in _written_sentences(_MARKUP.sub("", r[key])))
            scores.append(offline_rubric(analyze_structure(Transcript(text=text))).overall)
        pairs.append((r["id"], scores[0], scores[1]))
    return t, pairs


def bench_speed(rows: list[dict]) -> float:
    words = " ".join(s["text"] for r in rows for s in r["sentences"]).split()
    text = " ".join(words[:300])
    tr = Transcript(text=text)
    analyze_structure(tr)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        analyze_structure(tr)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench_llm(rows: list[dict], base_url: str, model: str | None, pairs: int) -> None:
    """The LLM judge on the first spoken pairs: which judge answered, format, time, ranking."""
    from voicemock.rubric import JudgeOptions, judge_answer, make_judge

    judge = make_judge(JudgeOptions(kind="llm", base_url=base_url, model=model, timeout_s=300))
    by_pair: dict[str, dict[str, dict]] = {}
    for r in rows:
        if r.get("pair"):
            by_pair.setdefault(r["pair"], {})[r["strength"]] = r
    print(f"\nLLM judge at {base_url}:")
    print(f"{'answer':<8} {'judge':<8} {'format':<12} {'secs':>6} {'overall':>7} {'dropped':>7}  error")
    ranked = total = used = 0
    for pid in sorted(by_pair)[:pairs]:
        got = {}
        for kind in ("strong", "weak"):
            r = by_pair[pid][kind]
            t = Transcript(text=" ".join(s["text"] for s in r["sentences"]))
            t0 = time.perf_counter()
            rub = judge_answer(judge, question=r["question"], transcript=t, structure=analyze_structure(t))
            secs = time.perf_counter() - t0
            used += rub.judge == "llm"
            got[kind] = rub.overall
            print(f"{r['id']:<8} {rub.judge:<8} {rub.response_format or '-':<12} {secs:6.1f} {rub.overall:>7} "
                  f"{rub.dropped_quotes:>7}  {(rub.llm_error or '')[:70]}")
        total += 1
        ranked += got["strong"] > got["weak"]
    print(f"answered by the LLM: {used}/{2 * total}; pairs ranked right: {ranked}/{total}")


def _fmt(x: float) -> str:
    return "  n/a" if x != x else f"{x:5.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--errors", action="store_true", help="list misclassified sentences")
    ap.add_argument("--llm-base-url", help="also run the LLM judge on spoken pairs (OpenAI-compatible URL)")
    ap.add_argument("--llm-model", default=None)
    ap.add_argument("--llm-pairs", type=int, default=3, help="how many spoken pairs to send (default 3)")
    args = ap.parse_args(argv)
    rows = _load(SPOKEN)
    splits = sorted({r["split"] for r in rows}, key=lambda h: ("dev", "heldout", "fresh").index(h))
    sets = [(f"spoken/{h}", *eval_spoken([r for r in rows if r["split"] == h])) for h in splits]
    sets.append(("spoken/all", *eval_spoken(rows)))
    all_index = len(sets) - 1
    if (args.shared / "star_labeled.jsonl").exists():
        sets.append(("shared(written)", *eval_shared(args.shared)))
    else:
        print(f"(shared data not found at {args.shared}; skipped)")
    head = f"{'set':<16} {'sents':>5} {'acc':>5} " + " ".join(f"{p}-P/R".rjust(11) for p in "STAR")
    head += f" {'noRes':>6} {'noAct':>6} {'falseF':>6} {'pairs':>7}"
    print(head)
    print("-" * len(head))
    for name, t, pairs in sets:
        prs = " ".join(f"{_fmt(t.pr(p)[0])}/{_fmt(t.pr(p)[1])}" for p in "STAR")
        fl = t.flags

        def ratio(a):
            return f"{a[0]}/{a[1]}" if a[1] else "-"

        ranked = sum(s > w for _, s, w in pairs)
        print(f"{name:<16} {t.total:>5} {_fmt(t.acc())} {prs} {ratio(fl['missing_result']):>6} "
              f"{ratio(fl['missing_personal_action']):>6} {ratio(fl['false_alarm']):>6} {ranked:>3}/{len(pairs):<3}")
    all_t = sets[all_index][1]
    print("\nconfusion on spoken/all (gold -> predicted):")
    print("     " + " ".join(f"{p:>4}" for p in "STARO"))
    for g in "STARO":
        print(f"  {g}  " + " ".join(f"{all_t.confusion[(g, p)]:>4}" for p in "STARO"))
    ms = bench_speed(rows)
    print(f"\nanalyze_structure on a 300-word answer: {ms:.2f} ms (median of 30)")
    fl = all_t.flags
    ranked = sum(s > w for _, s, w in sets[all_index][2])
    floors = [
        ("spoken sentence-label accuracy >= 0.80", all_t.acc() >= 0.80),
        ("missing result flagged >= 90%", fl["missing_result"][0] >= 0.9 * fl["missing_result"][1]),
        ("missing personal action flagged >= 90%", fl["missing_personal_action"][0] >= 0.9 * fl["missing_personal_action"][1]),
        ("weak-vs-strong ranked right >= 90%", ranked >= 0.9 * len(sets[all_index][2])),
        ("300-word analysis < 50 ms", ms < 50),
    ]
    print()
    for text, ok in floors:
        print(f"  [{'ok' if ok else 'FAIL'}] {text}")
    if args.errors:
        for name, t, pairs in sets:
            print(f"\n## {name} errors")
            for e in t.errors:
                print("  " + e)
            for pid, s, w in pairs:
                if s <= w:
                    print(f"  pair {pid}: strong {s} <= weak {w}")
    if args.llm_base_url:
        bench_llm(rows, args.llm_base_url, args.llm_model, args.llm_pairs)
    return 0 if all(ok for _, ok in floors) else 1


if __name__ == "__main__":
    sys.exit(main())
