"""Train the STAR sentence labeller and write ``src/voicemock/scoring/star_model.json``.

    python scripts/train_star.py            # cross-validate, then train on everything and write
    python scripts/train_star.py --cv-only  # only the sentence cross-validation figures

Training data: the labelled answers and on/off-topic pairs of ``benchmarks/data/star_train/``,
``star_train2/`` .. ``star_train6/`` (spoken-style, labelled sentences and answer-level
judgements; star_train4 and star_train6 have no pairs),
the on/off-topic pairs of ``benchmarks/data/star_topic/`` to ``star_topic4/``,
``benchmarks/data/spoken_star.jsonl`` and the author-labelled written notes in
``shared/data/star/star_labeled.jsonl`` (read at run time). The frozen split is never read here.
``scripts/cv_star.py`` cross-validates the whole pipeline (labeller, judgements, topic check).

The model is a linear-chain CRF (python-crfsuite, L-BFGS with L1+L2 regularisation) over the
features of :mod:`voicemock.scoring.star_features`; the learned state and transition weights are
written as JSON, and voicemock decodes with them in pure Python (:mod:`voicemock.scoring.star_model`).
Training is deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from star_topic_fit import fit_topic  # noqa: E402

from star_data import shared_answers, spoken_answers, training_answers, training_ontopic  # noqa: E402
from voicemock.models import Transcript  # noqa: E402
from voicemock.scoring.judgements import answer_features as judgement_features  # noqa: E402
from voicemock.scoring.star import analyze_structure, clean  # noqa: E402
from voicemock.scoring.star_features import answer_features  # noqa: E402
from voicemock.scoring.star_model import LABELS, MODEL_FILE, StarModel, using_model  # noqa: E402

#: Learned answer-level judgements and the features each may use (prefixes): a judgement only sees
#: evidence about what it judges, so that, say, a missing result never makes actions look vague.
JUDGEMENTS = {
    "specific_story": ("bias", "general", "hypothetical", "past_rate", "present", "actions:hypothetical", "share:O", "i_rate"),
    "actions_concrete": ("bias", "actions:", "share:A", "i_rate", "we_rate", "general", "hypothetical"),
    # not the answer's length ("words", "sentences"): fitted with them the judgement was mostly length
    # (weights 12.7 and 13.3, 0.05 for the share of O) and flagged 13 of 46 of a new writer's answers
    # that do not ramble (star_frozen2, which is therefore no longer independent for this judgement)
    "rambling": ("bias", "share:S", "share:O", "others", "fillers"),
    "result_present": ("bias", "share:R", "result:", "metric", "soft:R", "rsoft:", "end:"),
    "task_stated": ("bias", "share:T", "task:", "soft:T"),
}
#: Judgements learned only where the labeller's evidence exists (judgement -> feature that must be > 0).
#: None now: result present and task stated are fitted on every answer, from the labeller's
#: probabilities (a result or task the best labels miss can count, a closing remark labelled R need not).
ONLY_WHERE: dict[str, str] = {}

VERSION = "crf-4"
FOLDS = 5
Log = Callable[[str], None]


def quiet(_: str) -> None:
    """A log that says nothing (cross-validation folds)."""
C1, C2, MIN_FREQ, MAX_ITER = 0.05, 0.5, 2, 200


def featurise(answers: list[dict]) -> list[tuple[list[dict[str, float]], list[str]]]:
    return [(answer_features([clean(t) for t, _ in a["sentences"]]), [lab for _, lab in a["sentences"]])
            for a in answers]


def train(seqs, c1: float = C1, c2: float = C2, min_freq: int = MIN_FREQ) -> dict:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xs, ys in seqs:
        trainer.append(pycrfsuite.ItemSequence(xs), ys)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": MAX_ITER, "feature.minfreq": min_freq,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "star.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    state: dict[str, dict[str, float]] = {}
    for (attr, lab), w in sorted(info.state_features.items()):
        if abs(w) >= 1e-3:
            state.setdefault(attr, {})[lab] = round(w, 4)
    trans = {a: {} for a in LABELS}
    for (a, b), w in sorted(info.transitions.items()):
        trans.setdefault(a, {})[b] = round(w, 4)
    return {"version": VERSION, "labels": list(LABELS), "state": state, "transitions": trans,
            "trained_on": {"answers": len(seqs), "sentences": sum(len(y) for _, y in seqs)},
            "params": {"c1": c1, "c2": c2, "min_freq": min_freq}}


def accuracy(model: dict, seqs) -> tuple[float, Counter]:
    m = StarModel(model)
    right = total = 0
    conf: Counter = Counter()
    for xs, ys in seqs:
        pred = m.decode(xs)
        right += sum(p == y for p, y in zip(pred, ys))
        total += len(ys)
        conf.update(zip(ys, pred))
    return right / max(1, total), conf


def cross_validate(train_seqs, extra, folds: int = FOLDS, **params) -> float:
    """Sentence accuracy, each answer labelled by a CRF trained without it (fold = index mod folds)."""
    right = total = 0.0
    for k in range(folds):
        held = [s for i, s in enumerate(train_seqs) if i % folds == k]
        rest = [s for i, s in enumerate(train_seqs) if i % folds != k]
        acc, _ = accuracy(train(rest + extra, **params), held)
        n = sum(len(y) for _, y in held)
        right += acc * n
        total += n
    return right / total


def out_of_fold_features(answers: list[dict], train_seqs, extra, folds: int = FOLDS) -> list[dict[str, float]]:
    """Answer-level features of each training answer, labelled by a CRF that did not see it."""
    feats: list[dict[str, float]] = [{} for _ in answers]
    for k in range(folds):
        rest = [s for i, s in enumerate(train_seqs) if i % folds != k]
        with using_model(StarModel({**train(rest + extra), "judgements": {}})):
            for i, a in enumerate(answers):
                if i % folds == k:
                    st = analyze_structure(Transcript(text=" ".join(t for t, _ in a["sentences"])))
                    cleaned = [clean(s.text) for s in st.sentences]
                    feats[i] = judgement_features(st, cleaned)
    return feats


def fit_judgements(answers: list[dict], feats: list[dict[str, float]], log: Log = print) -> dict[str, dict[str, float]]:
    """One logistic regression per learned judgement; C and the class weighting chosen by 5-fold
    cross-validated log-loss (accuracy picked between near ties on one or two answers, and
    "balanced" weights it sometimes picked over-flagged another writer's answers)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    out = {}
    for key, allowed in JUDGEMENTS.items():
        names = sorted(n for n in feats[0] if n.startswith(allowed))
        rows = [(f, a) for f, a in zip(feats, answers) if key not in ONLY_WHERE or f.get(ONLY_WHERE[key], 0.0) > 0]
        X = [[f.get(n, 0.0) for n in names] for f, _ in rows]
        y = [bool(a["judgements"][key]) for _, a in rows]
        grid = [(c, w) for c in (0.3, 1.0, 3.0, 10.0, 30.0) for w in (None, "balanced")]
        best, weight = max(grid, key=lambda cw: cross_val_score(
            LogisticRegression(C=cw[0], max_iter=2000, fit_intercept=False, class_weight=cw[1]), X, y, cv=5,
            scoring="neg_log_loss").mean())
        model = LogisticRegression(C=best, max_iter=2000, fit_intercept=False, class_weight=weight)
        cv = cross_val_score(model, X, y, cv=5).mean()
        model.fit(X, y)
        out[key] = {n: round(float(w), 4) for n, w in zip(names, model.coef_[0])}
        log(f"  {key}: C={best:g} class_weight={weight}, 5-fold cross-validated accuracy {cv:.3f} (base rate {max(sum(y), len(y) - sum(y)) / len(y):.3f})")
    return out


def fit_model(answers: list[dict], extra, topic_labelled: list[dict], log: Log = print) -> dict:
    """The whole model (CRF, learned judgements, topic check) from labelled answers, extra
    sentence sequences (trained on, not judged) and labelled on/off-topic pairs."""
    seqs = featurise(answers)
    log("answer-level judgements (features from out-of-fold labels):")
    judgements = fit_judgements(answers, out_of_fold_features(answers, seqs, extra), log)
    model = train(seqs + extra)
    model["judgements"] = judgements
    with using_model(StarModel(model)):
        model["topic"], model["topic_min"], model["topic_means"], model["topic_cross"] = fit_topic(
            topic_labelled, answers, log)
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-shared", action="store_true", help="leave out the written notes")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args(argv)
    answers = training_answers()
    train_seqs = featurise(answers)
    extra = featurise(spoken_answers())
    shared = [] if args.no_shared else featurise(shared_answers())
    sets = Counter(a["set"] for a in answers)
    print(f"{', '.join(f'{k} {v}' for k, v in sets.items())} answers, spoken_star {len(extra)}, shared notes {len(shared)}")
    cv = cross_validate(train_seqs, extra + shared)
    print(f"{FOLDS}-fold cross-validated sentence accuracy on {' + '.join(sets)}: {cv:.3f}")
    if args.cv_only:
        return 0
    model = fit_model(answers, extra + shared, training_ontopic())
    acc, _ = accuracy(model, train_seqs)
    print(f"accuracy on its own training data: {acc:.3f}")
    args.out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {len(model['state'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
