"""Cross-validate the whole STAR pipeline (labeller, learned judgements, topic check) on the training sets.

    python scripts/cv_star.py              # train on every training set's other folds
    python scripts/cv_star.py --only star_train   # train folds on star_train only (the old data)
    python scripts/cv_star.py --by-set     # each training set scored by a model fitted on the others

Answers of every training set (star_train .. star_train6) are pooled and split into folds by position (one answer's
sentences never sit in two folds); the labelled on/off-topic pairs likewise. For each fold the full
model is fitted by ``train_star.fit_model`` on the other folds (plus spoken_star and the written
notes, which are always trained on and never scored), and the held-out answers and pairs are scored
with the benchmark's definitions (``benchmarks/bench_star.py``). The frozen split is never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_star  # noqa: E402

from bench_star import FLAGS, predict  # noqa: E402
from star_data import shared_answers, spoken_answers, training_answers, training_ontopic  # noqa: E402
from voicemock.models import Transcript  # noqa: E402
from voicemock.rubric.offline import offline_rubric  # noqa: E402
from voicemock.scoring.star import analyze_structure  # noqa: E402
from voicemock.scoring.star_model import StarModel, using_model  # noqa: E402

COMPLETE_KEYS = ("result_present", "task_stated", "actions_concrete", "specific_story")
ERRORS: list[str] = []  # held-out judgement mistakes on the training sets (--errors)
SCORES: list[tuple[float, bool]] = []  # held-out topic probability and gold on-topic of each labelled pair (--curve)


def score_answer(a: dict, c: Counter) -> None:
    """Add one held-out answer's sentence and judgement counts to ``c`` (bench_star's definitions)."""
    st, preds = predict([t for t, _ in a["sentences"]])
    c["sent_right"] += sum(p == g for p, (_, g) in zip(preds, a["sentences"]))
    c["sent_total"] += len(preds)
    j, g = st.judgements, a.get("judgements") or {}
    if j is None or not g:
        return
    for name, key, raise_on in FLAGS:
        gold_flag, flag = bool(g[key]) == raise_on, getattr(j, key).value == raise_on
        c[f"{name}:{'tp' if gold_flag and flag else 'fp' if flag else 'fn' if gold_flag else 'tn'}"] += 1
        if gold_flag != flag and name != "no number in result":
            ERRORS.append(f"{a['id']}: {'missed' if gold_flag else 'false'} '{name}' labels {''.join(preds)} "
                          f"gold {''.join(lab for _, lab in a['sentences'])}")
    if all(g.get(k) for k in COMPLETE_KEYS) and not g.get("rambling"):
        c["complete_total"] += 1
        c["complete_right"] += not any(getattr(j, key).value == raise_on for _, key, raise_on in FLAGS
                                       if key != "result_measurable")


def score_topic(r: dict, c: Counter) -> None:
    t = offline_rubric(analyze_structure(Transcript(text=r["answer"])), None, r["question"]).topic
    is_off = t is not None and not t.on_topic
    if t is not None:
        SCORES.append((t.score, bool(r["on_topic"])))
    c["on_total" if r["on_topic"] else "off_total"] += 1
    c["on_flagged" if r["on_topic"] else "off_flagged"] += is_off


def report(c: Counter) -> list[tuple[str, str]]:
    def ratio(a: str, b: str) -> str:
        return f"{c[a]}/{c[b]} {c[a] / c[b]:.3f}" if c[b] else "-"

    rows = [("sentence accuracy", ratio("sent_right", "sent_total"))]
    for name, _, _ in FLAGS:
        tp, fp, fn = c[f"{name}:tp"], c[f"{name}:fp"], c[f"{name}:fn"]
        p = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        r = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        rows.append((f"{name}: P/R", f"{p}/{r} (n={tp + fn})"))
    rows.append(("complete judged complete", ratio("complete_right", "complete_total")))
    rows.append(("off-topic flagged", ratio("off_flagged", "off_total")))
    rows.append(("on-topic wrongly flagged", ratio("on_flagged", "on_total")))
    return rows


def run(only: str | None, folds: int = train_star.FOLDS, by_set: bool = False) -> dict[str, Counter]:
    """Held-out counts per training set and for all of them.

    Folds by position (``by_set`` False), or one fold per training set (``by_set``: each writer's
    answers and pairs scored by a model fitted on the other writers' only, the nearest thing to a
    new writer's answers that the training data holds)."""
    answers, ontopic = training_answers(), training_ontopic()
    extra = train_star.featurise(spoken_answers()) + train_star.featurise(shared_answers())
    counts: dict[str, Counter] = {}
    if by_set:
        sets = list(dict.fromkeys(a["set"] for a in answers))
        splits = [([i for i, a in enumerate(answers) if a["set"] == s], [i for i, r in enumerate(ontopic) if r["set"] == s])
                  for s in sets]
    else:
        splits = [(list(range(k, len(answers), folds)), list(range(k, len(ontopic), folds))) for k in range(folds)]
    for held, held_topic in splits:
        out, out_topic = set(held), set(held_topic)
        rest = [a for i, a in enumerate(answers) if i not in out and only in (None, a["set"])]
        rest_topic = [r for i, r in enumerate(ontopic) if i not in out_topic and only in (None, r["set"])]
        model = train_star.fit_model(rest, extra, rest_topic, log=train_star.quiet)
        with using_model(StarModel(model)):
            for i in held:
                for key in (answers[i]["set"], "all"):
                    score_answer(answers[i], counts.setdefault(key, Counter()))
            for i in held_topic:
                for key in (ontopic[i]["set"], "all"):
                    score_topic(ontopic[i], counts.setdefault(key, Counter()))
    return counts


def print_curve() -> None:
    """Held-out recall of off-topic pairs and false flags of on-topic ones, were the cut elsewhere."""
    offs = [p for p, on in SCORES if not on]
    ons = [p for p, on in SCORES if on]
    print(f"\n{'cut':>6} {'off-topic flagged':>18} {'on-topic flagged':>17}")
    for cut in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        print(f"{cut:>6.2f} {sum(p < cut for p in offs) / len(offs):>18.3f} {sum(p < cut for p in ons) / len(ons):>17.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="train the folds on this training set only (e.g. star_train)")
    ap.add_argument("--errors", action="store_true", help="list the held-out judgement mistakes")
    ap.add_argument("--curve", action="store_true",
                    help="held-out off-topic recall and false flags at other cuts than the fitted one")
    ap.add_argument("--by-set", action="store_true",
                    help="one fold per training set: each writer's data scored by a model fitted on the others'")
    args = ap.parse_args(argv)
    counts = run(args.only, by_set=args.by_set)
    names = list(counts)
    table = {n: dict(report(c)) for n, c in counts.items()}
    rows = [r for r, _ in report(counts["all"])]
    folds = "leave-one-training-set-out" if args.by_set else f"{train_star.FOLDS}-fold"
    print(f"{folds} cross-validation, trained on {args.only or 'every training set'}")
    print(f"{'':<28}" + "".join(f"{n:>22}" for n in names))
    for r in rows:
        print(f"{r:<28}" + "".join(f"{table[n].get(r, '-'):>22}" for n in names))
    if args.errors:
        print("\n".join(sorted(set(ERRORS))))
    if args.curve:
        print_curve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
