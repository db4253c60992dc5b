"""Cross-validate the whole STAR pipeline (labeller, learned judgements, topic check) on the training sets.

    python scripts/cv_star.py              # train on every training set's other folds
    python scripts/cv_star.py --only star_train   # train folds on star_train only (the old data)

Answers of star_train + star_train2 are pooled and split into folds by position (one answer's
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


def run(only: str | None, folds: int = train_star.FOLDS) -> dict[str, Counter]:
    answers, ontopic = training_answers(), training_ontopic()
    extra = train_star.featurise(spoken_answers()) + train_star.featurise(shared_answers())
    counts: dict[str, Counter] = {}
    for k in range(folds):
        rest = [a for i, a in enumerate(answers) if i % folds != k and only in (None, a["set"])]
        rest_topic = [r for i, r in enumerate(ontopic) if i % folds != k and only in (None, r["set"])]
        model = train_star.fit_model(rest, extra, rest_topic, log=train_star.quiet)
        with using_model(StarModel(model)):
            for a in answers[k::folds]:
                for key in (a["set"], "all"):
                    score_answer(a, counts.setdefault(key, Counter()))
            for r in ontopic[k::folds]:
                for key in (r["set"], "all"):
                    score_topic(r, counts.setdefault(key, Counter()))
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="train the folds on this training set only (e.g. star_train)")
    ap.add_argument("--errors", action="store_true", help="list the held-out judgement mistakes")
    args = ap.parse_args(argv)
    counts = run(args.only)
    names = list(counts)
    table = {n: dict(report(c)) for n, c in counts.items()}
    rows = [r for r, _ in report(counts["all"])]
    print(f"{train_star.FOLDS}-fold cross-validation, trained on {args.only or 'every training set'}")
    print(f"{'':<28}" + "".join(f"{n:>22}" for n in names))
    for r in rows:
        print(f"{r:<28}" + "".join(f"{table[n].get(r, '-'):>22}" for n in names))
    if args.errors:
        print("\n".join(sorted(set(ERRORS))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
