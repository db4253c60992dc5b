"""Evaluate the STAR analysis and the offline rubric; prints one table, frozen split beside training data.

    .venv/bin/python benchmarks/bench_star.py [--no-frozen] [--errors SET]
    .venv/bin/python benchmarks/bench_star.py --llm-base-url http://127.0.0.1:8080/v1 [--llm-pairs 3]

Columns:
- ``frozen``: ``benchmarks/data/star_frozen/`` (written and labelled by someone who never saw the
  code; never tuned on: only the aggregate figures here are looked at).
- ``frozen2``: ``benchmarks/data/star_frozen2/`` (a second such split, by another writer who saw
  no code or data, written 2026-12-07 after every design choice up to then; answers, pairs and
  on-topic items only; same rule). Its rambling figure led to the rambling change of that day, so
  from then on its rambling and complete rows are no longer independent of the model.
- ``frozen3``: ``benchmarks/data/star_frozen3/`` (40 answers by a third such writer, written after
  that change; answers only).
- ``frozen5``: ``benchmarks/data/star_frozen5/`` (80 follow-up exchanges only, by another writer
  who saw no code or data, written before the follow-up check of 2026-12-07 session 22).
- ``custom``: ``benchmarks/data/star_custom_frozen/`` (100 on/off-topic pairs for questions no bank
  holds, by another writer who saw no code or data, 2026-12-08; never tuned on) and ``custom dev``
  (``star_custom_dev``, 60 more by the same writer, read and tuned on).
- ``view pairs``: ``benchmarks/data/view_pairs_frozen/`` (40 weak-vs-strong pairs for view and plan
  questions, "What is your greatest weakness?", "How would you...", by another writer who saw no code
  or data, 2026-12-08; frozen before the first measurement), with the STAR rubric's ranking beside;
  ``view pairs dev`` (``view_pairs_dev``, 40 more by a third such writer, read and tuned on).
- ``train``: ``benchmarks/data/star_train/`` (its follow-up rows also hold star_train2's) (the labeller and thresholds were fitted on it; the
  sentence accuracy in this column is 5-fold cross-validated by ``scripts/train_star.py``
  separately, here it is the shipped model on data it has seen).
- ``spoken``: ``benchmarks/data/spoken_star.jsonl`` (older spoken-style set, also trained on).
- ``written``: author-labelled written notes in ``shared/data/star`` (read at run time; trained on).

Rows:
- sentence accuracy: the gold sentences are joined into one transcript, analysed as a whole, and
  each gold sentence takes the majority label of its words (wrong splits cost accuracy too).
- judgement rows: precision/recall of each problem flag (no result, no number in the result, no
  task, vague actions, not a specific story, rambling) against the answer-level gold judgements;
  "complete judged complete": answers with every judgement positive that raise no flag.
- pairs: the strong answer of a weak/strong pair scores higher than the weak one.
- follow-ups: "probe answered" accuracy of the answered/dodged verdict; "completion": answered
  follow-ups whose gold ``supplies`` parts all appear in the follow-up's sentences, labelled
  together with the main answer.
- on topic: off-topic answers flagged (recall) and on-topic answers wrongly flagged.
- kinds (frozen only): opening parts found (precision/recall over present/past/future/why_role);
  process answers: strong scored above weak (all strong x weak pairs of the set).
- speed: median time to analyse and grade a 300-word answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from star_data import (
    CUSTOM_DEV,
    CUSTOM_FROZEN,
    FROZEN,
    FROZEN2,
    FROZEN3,
    FROZEN4,
    FROZEN5,
    SHARED,
    TRAIN,
    TRAIN2,
    VIEW_PAIRS_DEV,
    VIEW_PAIRS_FROZEN,
    labelled_answers,
    load_jsonl,
    shared_answers,
    spoken_answers,
)
from voicemock.models import Transcript
from voicemock.rubric.followup import check_followup
from voicemock.rubric.kinds import QuestionInfo, question_info
from voicemock.rubric.offline import offline_rubric
from voicemock.scoring.star import analyze_structure

FLAGS = [  # (row name, gold judgement, flag is raised when the judgement is ...)
    ("no result", "result_present", False), ("no number in result", "result_measurable", False),
    ("no task", "task_stated", False), ("vague actions", "actions_concrete", False),
    ("not a specific story", "specific_story", False), ("rambling", "rambling", True),
]


def predict(sentences: list[str]):
    """(structure, predicted label per gold sentence) for an answer given as gold sentences."""
    words, owner = [], []
    for k, s in enumerate(sentences):
        for w in s.split():
            words.append(w)
            owner.append(k)
    st = analyze_structure(Transcript(text=" ".join(words)))
    pred: list[str] = []
    for s in st.sentences:
        pred += [s.label] * len(s.text.split())
    assert len(pred) == len(words), "splitting must keep every word"
    per = [Counter() for _ in sentences]
    for k, lab in zip(owner, pred):
        per[k][lab] += 1
    return st, [c.most_common(1)[0][0] for c in per]


class Result:
    def __init__(self) -> None:
        self.rows: dict[str, str] = {}
        self.values: dict[str, float] = {}
        self.errors: list[str] = []

    def ratio(self, name: str, hit: int, total: int) -> None:
        self.rows[name] = f"{hit}/{total} {hit / total:.2f}" if total else "-"
        self.values[name] = hit / total if total else float("nan")


def _pr(tp: int, fp: int, fn: int) -> str:
    p = f"{tp / (tp + fp):.2f}" if tp + fp else "  - "
    r = f"{tp / (tp + fn):.2f}" if tp + fn else "  - "
    return f"{p}/{r} (n={tp + fn})"


def eval_answers(res: Result, answers: list[dict], judged: bool) -> None:
    right = total = 0
    counts = {name: Counter() for name, _, _ in FLAGS}
    complete = [0, 0]
    for a in answers:
        texts = [t for t, _ in a["sentences"]]
        st, preds = predict(texts)
        for (t, gold), p in zip(a["sentences"], preds):
            right += gold == p
            total += 1
            if gold != p:
                res.errors.append(f"{a['id']}: gold {gold} pred {p}: {t}")
        j, g = st.judgements, a.get("judgements") or {}
        if not judged or j is None or not g:
            continue
        for name, key, raise_on in FLAGS:
            if key not in g:
                continue
            gold_flag = bool(g[key]) == raise_on
            flag = getattr(j, key).value == raise_on
            counts[name]["tp" if gold_flag and flag else "fp" if flag else "fn" if gold_flag else "tn"] += 1
            if gold_flag != flag:
                res.errors.append(f"{a['id']}: {'missed' if gold_flag else 'false'} '{name}'")
        gold_complete = all(g.get(k) for k in ("result_present", "task_stated", "actions_concrete", "specific_story")) \
            and not g.get("rambling")
        if gold_complete:
            complete[1] += 1
            complete[0] += not any(getattr(j, key).value == raise_on for _, key, raise_on in FLAGS
                                   if key != "result_measurable")
    res.ratio("sentence accuracy", right, total)
    if judged:
        for name, _key, _ in FLAGS:
            c = counts[name]
            res.rows[f"{name}: P/R"] = _pr(c["tp"], c["fp"], c["fn"])
            res.values[f"{name}: recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        res.ratio("complete judged complete", *complete)


def _score(text: str, question: str | QuestionInfo | None) -> int:
    return offline_rubric(analyze_structure(Transcript(text=text)), None, question).overall


def eval_pairs(res: Result, pairs: list[tuple[str, str, str | None, str]]) -> None:
    """pairs: (id, strong text, question, weak text)."""
    ok = 0
    for pid, strong, q, weak in pairs:
        s, w = _score(strong, q), _score(weak, q)
        ok += s > w
        if s <= w:
            res.errors.append(f"pair {pid}: strong {s} <= weak {w}")
    res.ratio("weak < strong pairs", ok, len(pairs))


def eval_view_pairs(res: Result, pairs: list[dict]) -> None:
    """Weak-vs-strong pairs for view and plan questions: how many questions get the view rubric,
    and the pairs ranked by the STAR rubric they had before 2026-12-08, beside the row above."""
    from dataclasses import replace

    from voicemock.rubric.kinds import question_info

    view = star = 0
    for r in pairs:
        info = question_info(r["question"])
        view += info.kind == "view"
        as_star = replace(info, kind="star")
        s = offline_rubric(analyze_structure(Transcript(text=r["strong"])), None, as_star).overall
        w = offline_rubric(analyze_structure(Transcript(text=r["weak"])), None, as_star).overall
        star += s > w
    res.ratio("view pairs: question read as a view", view, len(pairs))
    res.ratio("view pairs, STAR rubric: weak < strong", star, len(pairs))


def eval_followups(res: Result, rows: list[dict]) -> None:
    right = done = answered = 0
    for r in rows:
        main = Transcript(text=r["main_answer"])
        check, _ = check_followup(analyze_structure(main), main, Transcript(text=r["followup_answer"]), r["probe"])
        right += check.answered == r["answers_probe"]
        if check.answered != r["answers_probe"]:
            res.errors.append(f"{r['id']}: probe answered gold {r['answers_probe']} pred {check.answered} "
                              f"({r['asks_for']} / {check.asks_for})")
        if r["answers_probe"]:
            answered += 1
            want = {p for p in r.get("supplies", []) if p in "STAR"}
            done += want <= set(check.supplies)
    res.ratio("follow-up probe answered", right, len(rows))
    res.ratio("follow-up completion", done, answered)


def eval_topic(res: Result, rows: list[dict]) -> None:
    off = flagged = on = false = 0
    for r in rows:
        st = analyze_structure(Transcript(text=r["answer"]))
        t = offline_rubric(st, None, r["question"]).topic
        is_off = t is not None and not t.on_topic
        if r["on_topic"]:
            on += 1
            false += is_off
        else:
            off += 1
            flagged += is_off
        if is_off == r["on_topic"]:
            res.errors.append(f"{r['id']}: on_topic {r['on_topic']} but flagged {is_off} ({t.score if t else '-'}) "
                              f"{r['question'][:50]}")
    res.ratio("off-topic flagged", flagged, off)
    res.ratio("on-topic wrongly flagged", false, on)
    eval_view(res, rows)


def eval_view(res: Result, rows: list[dict]) -> None:
    """Questions no bank holds that ask for no story (a view, a weakness, a plan): the view rubric's
    mean score of on- and off-topic answers, and how often an on-topic answer outscores an
    off-topic one to the same question; beside it the STAR rubric they had before 2026-12-08."""
    from dataclasses import replace

    from voicemock.rubric.kinds import custom_info, question_info

    scores: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for r in rows:
        info = question_info(r["question"])
        if info.kind != "view" or not r["question"].strip() or info != custom_info(r["question"]):
            continue
        st = analyze_structure(Transcript(text=r["answer"]))
        view = offline_rubric(st, None, info).overall
        star = offline_rubric(st, None, replace(info, kind="star")).overall
        scores.setdefault(r["question"], {}).setdefault("on" if r["on_topic"] else "off", []).append((view, star))
    if not scores:
        return
    for k, name in ((0, "view rubric"), (1, "STAR rubric")):
        on = [v[k] for q in scores.values() for v in q.get("on", [])]
        off = [v[k] for q in scores.values() for v in q.get("off", [])]
        pairs = [(a[k], b[k]) for q in scores.values() for a in q.get("on", []) for b in q.get("off", [])]
        if on and off:
            res.rows[f"view questions, {name}: mean on/off"] = f"{sum(on) / len(on):.0f} / {sum(off) / len(off):.0f}"
        res.ratio(f"view questions, {name}: on > off", sum(a > b for a, b in pairs), len(pairs))


def eval_swapped_topic(res: Result, answers: list[dict]) -> None:
    """Every labelled answer with its own question (on topic) and with another answer's (off topic)."""
    n = len(answers)
    own = swapped = total_swapped = 0
    for i, a in enumerate(answers):
        text = " ".join(t for t, _ in a["sentences"])
        st = analyze_structure(Transcript(text=text))
        t = offline_rubric(st, None, a["question"]).topic
        own += t is not None and not t.on_topic
        other = answers[(i + n // 3) % n]["question"]
        if other != a["question"]:
            total_swapped += 1
            t = offline_rubric(st, None, other).topic
            swapped += t is not None and not t.on_topic
    res.ratio("answers, own question: flagged", own, n)
    res.ratio("answers, another question: flagged", swapped, total_swapped)


def _answer_text(r: dict) -> str:
    for key in ("answer", "text", "transcript"):
        if isinstance(r.get(key), str):
            return r[key]
    return max((v for v in r.values() if isinstance(v, str)), key=len)


def eval_kinds(res: Result, rows: list[dict]) -> None:
    parts = Counter()
    strong, weak = [], []
    for r in rows:
        text = _answer_text(r)
        cat = r.get("category")
        info = question_info(r.get("question"))
        if cat and info.category != cat:
            info = QuestionInfo(text=info.text, kind="opening" if cat == "opening" else "coverage", category=cat,
                                guidance=info.guidance, tags=info.tags, example=info.example,
                                common_mistakes=info.common_mistakes)
        rub = offline_rubric(analyze_structure(Transcript(text=text)), None, info)
        if cat == "opening":
            gold = set(r.get("covers", []))
            for c in rub.criteria:
                parts["tp" if c.met and c.name in gold else "fp" if c.met else "fn" if c.name in gold else "tn"] += 1
        elif r.get("quality") in ("strong", "weak"):
            (strong if r["quality"] == "strong" else weak).append(rub.overall)
    if parts:
        res.rows["opening parts: P/R"] = _pr(parts["tp"], parts["fp"], parts["fn"])
    if strong and weak:
        res.ratio("process strong > weak", sum(s > w for s in strong for w in weak), len(strong) * len(weak))
        res.rows["process mean strong/weak"] = f"{statistics.mean(strong):.0f}/{statistics.mean(weak):.0f}"


def eval_bank_examples(res: Result) -> None:
    """Bank examples are strong answers of their kind: share scoring at least 70."""
    from voicemock.rubric.kinds import _builtin_questions

    scores = [_score(q.example, q) for q, _ in _builtin_questions().values() if q.example and q.category != "behavioral"]
    res.ratio("bank examples (non-STAR) >= 70", sum(s >= 70 for s in scores), len(scores))


def cross_validated_accuracy() -> float | None:
    """Sentence accuracy on star_train, 5-fold cross-validated through the whole pipeline (each
    answer joined, split and labelled by a CRF trained without it); needs python-crfsuite."""
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
        import train_star
    except ImportError:
        return None
    from voicemock.scoring.star_model import StarModel, using_model

    answers = labelled_answers(TRAIN / "answers.jsonl")
    seqs = train_star.featurise(answers)
    extra = train_star.featurise(spoken_answers()) + train_star.featurise(shared_answers())
    right = total = 0
    for k in range(5):
        with using_model(StarModel({**train_star.train([s for i, s in enumerate(seqs) if i % 5 != k] + extra)})):
            for i, a in enumerate(answers):
                if i % 5 == k:
                    _, preds = predict([t for t, _ in a["sentences"]])
                    right += sum(p == g for p, (_, g) in zip(preds, a["sentences"]))
                    total += len(preds)
    return right / total


def bench_speed(texts: list[str]) -> float:
    """Median over 30 different 300-word answers (different texts, so no cache answers for them)."""
    words = " ".join(texts).split()
    answers = [Transcript(text=" ".join(words[k * 300:(k + 1) * 300])) for k in range(31)]
    offline_rubric(analyze_structure(answers[0]), None, "Tell me about a time you failed.")
    times = []
    for tr in answers[1:]:
        t0 = time.perf_counter()
        offline_rubric(analyze_structure(tr), None, "Tell me about a time you failed.")
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def run_set(name: str, folder: Path | None) -> Result:
    res = Result()
    if name == "spoken":
        rows = spoken_answers()
        eval_answers(res, rows, judged=False)
        by: dict = {}
        for r in rows:
            if r.get("pair"):
                by.setdefault(r["pair"], {})[r["strength"]] = r
        eval_pairs(res, [(p, " ".join(t for t, _ in d["strong"]["sentences"]), d["strong"]["question"],
                          " ".join(t for t, _ in d["weak"]["sentences"])) for p, d in sorted(by.items())])
        return res
    if name == "written":
        eval_answers(res, shared_answers(), judged=False)
        return res
    assert folder is not None
    if (folder / "answers.jsonl").exists():
        eval_answers(res, labelled_answers(folder / "answers.jsonl"), judged=True)
    if (folder / "pairs.jsonl").exists():
        pairs = load_jsonl(folder / "pairs.jsonl")
        eval_pairs(res, [(r["id"], r["strong"], r["question"], r["weak"]) for r in pairs])
        if name in ("view pairs", "view pairs dev"):
            eval_view_pairs(res, pairs)
    followups = [folder / "followups.jsonl"] + ([TRAIN2 / "followups.jsonl"] if name == "train" else [])
    if followups[0].exists():  # the training column: the follow-ups of star_train and star_train2
        eval_followups(res, [r for f in followups for r in load_jsonl(f)])
    if (folder / "ontopic.jsonl").exists():
        eval_topic(res, load_jsonl(folder / "ontopic.jsonl"))
    if (folder / "kinds.jsonl").exists():
        eval_kinds(res, load_jsonl(folder / "kinds.jsonl"))
    if name == "train":
        eval_swapped_topic(res, labelled_answers(folder / "answers.jsonl"))
        eval_bank_examples(res)
        cv = cross_validated_accuracy()
        if cv is not None:
            res.rows["sentence accuracy, 5-fold CV"] = f"{cv:.2f}"
    return res


def bench_llm(base_url: str, model: str | None, pairs: int) -> None:
    """The LLM judge on the first spoken pairs: which judge answered, format, time, ranking."""
    from voicemock.rubric import JudgeOptions, judge_answer, make_judge

    judge = make_judge(JudgeOptions(kind="llm", base_url=base_url, model=model, timeout_s=300))
    by: dict[str, dict[str, dict]] = {}
    for r in spoken_answers():
        if r.get("pair"):
            by.setdefault(r["pair"], {})[r["strength"]] = r
    print(f"\nLLM judge at {base_url}:")
    print(f"{'answer':<8} {'judge':<8} {'format':<12} {'secs':>6} {'overall':>7} {'dropped':>7}  error")
    ranked = total = used = 0
    for pid in sorted(by)[:pairs]:
        got = {}
        for kind in ("strong", "weak"):
            r = by[pid][kind]
            t = Transcript(text=" ".join(s for s, _ in r["sentences"]))
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


FLOORS = [  # (text, row, minimum or maximum, value)
    ("sentence-label accuracy >= 0.85", "sentence accuracy", ">=", 0.85),
    ("missing result flagged >= 90%", "no result: recall", ">=", 0.90),
    ("vague actions flagged >= 80%", "vague actions: recall", ">=", 0.80),
    ("complete answers judged complete >= 85%", "complete judged complete", ">=", 0.85),
    ("weak-vs-strong pairs >= 90%", "weak < strong pairs", ">=", 0.90),
    ("off-topic answers flagged >= 90%", "off-topic flagged", ">=", 0.90),
    ("on-topic answers wrongly flagged <= 10%", "on-topic wrongly flagged", "<=", 0.10),
]


FROZEN_NAMES = ("frozen", "frozen2", "frozen3", "frozen4", "frozen5", "custom", "view pairs")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-frozen", action="store_true", help="training data only (while developing)")
    ap.add_argument("--errors", metavar="SET", help="list the mistakes on one set: train, spoken or written")
    ap.add_argument("--llm-base-url", help="also run the LLM judge on spoken pairs (OpenAI-compatible URL)")
    ap.add_argument("--llm-model", default=None)
    ap.add_argument("--llm-pairs", type=int, default=3, help="how many spoken pairs to send (default 3)")
    args = ap.parse_args(argv)
    if args.errors in FROZEN_NAMES:
        ap.error("the frozen split's individual mistakes are not shown: it must not be tuned on")
    sets = [(n, f) for n, f in zip(FROZEN_NAMES, (FROZEN, FROZEN2, FROZEN3, FROZEN4, FROZEN5, CUSTOM_FROZEN,
                                                             VIEW_PAIRS_FROZEN))
            if f.is_dir()] if not args.no_frozen else []
    sets += [("train", TRAIN), ("custom dev", CUSTOM_DEV), ("view pairs dev", VIEW_PAIRS_DEV), ("spoken", None)]
    if (SHARED / "star_labeled.jsonl").exists():
        sets.append(("written", None))
    results = {name: run_set(name, folder) for name, folder in sets}
    rows: list[str] = []
    for res in results.values():
        rows += [r for r in res.rows if r not in rows]
    if "sentence accuracy, 5-fold CV" in rows:  # beside the plain figure
        rows.remove("sentence accuracy, 5-fold CV")
        rows.insert(1, "sentence accuracy, 5-fold CV")
    width = max(len(r) for r in rows) + 2
    print(f"{'':<{width}}" + "".join(f"{n:>22}" for n in results))
    print("-" * (width + 22 * len(results)))
    for r in rows:
        print(f"{r:<{width}}" + "".join(f"{res.rows.get(r, '-'):>22}" for res in results.values()))
    ms = bench_speed([t for a in labelled_answers(TRAIN / "answers.jsonl") for t, _ in a["sentences"]])
    print(f"\nanalysis + offline rubric of a 300-word answer: {ms:.2f} ms (median of 30 answers)")
    ok_all = ms < 50
    for split in FROZEN_NAMES:
        if split not in results:
            continue
        print(f"\nfloors on the {split} split:")
        for text, row, op, limit in FLOORS:
            if row not in results[split].values:
                print(f"  [-] {text} (not in this split)")
                continue
            v = results[split].values[row]
            ok = v >= limit if op == ">=" else v <= limit
            ok_all = ok_all and ok
            print(f"  [{'ok' if ok else 'FAIL'}] {text} ({v:.2f})")
    print(f"  [{'ok' if ms < 50 else 'FAIL'}] 300-word analysis < 50 ms ({ms:.1f} ms)")
    if args.errors in results:
        print(f"\n## {args.errors} mistakes")
        for e in results[args.errors].errors:
            print("  " + e)
    if args.llm_base_url:
        bench_llm(args.llm_base_url, args.llm_model, args.llm_pairs)
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
