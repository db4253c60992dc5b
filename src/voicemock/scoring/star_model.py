"""The learned STAR labeller: a linear-chain CRF over sentence features, shipped as JSON weights.

``star_model.json`` beside this file holds state weights (feature -> label -> weight) and
transition weights (label -> label -> weight), trained by ``scripts/train_star.py`` from the
labelled training data (it prints the cross-validated accuracy). Labelling a sentence sequence is
a Viterbi search for the label sequence with the highest total weight: sum of the state weights of
each sentence's features plus the transition weights between consecutive labels. The file is read
once, on first use; inference is pure Python (no scikit-learn or crfsuite at run time).
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

MODEL_FILE = Path(__file__).with_name("star_model.json")
LABELS = ("S", "T", "A", "R", "O")
_LOCK = threading.Lock()


class StarModel:
    def __init__(self, data: dict) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.version: str = data.get("version", "?")
        self.state: dict[str, dict[str, float]] = data["state"]
        self.trans: dict[str, dict[str, float]] = data["transitions"]
        self.start: dict[str, float] = data.get("start", {})
        #: answer-level logistic regressions: judgement -> feature -> weight ("bias" included)
        self.judgements: dict[str, dict[str, float]] = data.get("judgements", {})
        #: the topic check's logistic regression: feature -> weight (rubric/topic.py)
        self.topic: dict[str, float] = data.get("topic", {})
        #: below this topic probability an answer is off topic (fitted with the weights; None: TOPIC_MIN)
        self.topic_min: float | None = data.get("topic_min")
        #: the learned-words model of the topic check: {"bias", "weights": {"concept|word": weight}}
        self.topic_cross: dict = data.get("topic_cross", {})
        #: the meaning features' training means, used where the embedding model is not installed
        self.topic_means: dict[str, float] = data.get("topic_means", {})

    def emissions(self, feats: dict[str, float]) -> dict[str, float]:
        e = dict.fromkeys(self.labels, 0.0)
        for name, value in feats.items():
            w = self.state.get(name)
            if w:
                for lab, weight in w.items():
                    e[lab] += weight * value
        return e

    def _emission_rows(self, seq: list[dict[str, float]], bias: list[dict[str, float]] | None) -> list[dict[str, float]]:
        ems = [self.emissions(f) for f in seq]
        for e, extra in zip(ems, bias or []):
            for lab, v in extra.items():
                e[lab] += v
        return ems

    def decode(self, seq: list[dict[str, float]], bias: list[dict[str, float]] | None = None) -> list[str]:
        """The best label sequence for a sequence of feature dicts (Viterbi), ``bias`` added per item."""
        if not seq:
            return []
        return self.decode_emissions(self._emission_rows(seq, bias))

    def label(self, seq: list[dict[str, float]], bias: list[dict[str, float]] | None = None) -> Labelling:
        """The best labels, each sentence's label probabilities and each label's chance to occur at all."""
        ems = self._emission_rows(seq, bias)
        marginals, anywhere = self.marginals_of(ems) if ems else ([], dict.fromkeys(self.labels, 0.0))
        return Labelling(self.decode_emissions(ems) if ems else [], marginals, anywhere)

    def _forward(self, ems: list[dict[str, float]], allowed: tuple[str, ...]) -> list[dict[str, float]]:
        """Log forward scores over the labels in ``allowed`` (the others never occur)."""
        out = [{b: self.start.get(b, 0.0) + ems[0][b] for b in allowed}]
        for e in ems[1:]:
            prev = out[-1]
            out.append({b: _logsumexp([prev[a] + self.trans[a].get(b, 0.0) for a in allowed]) + e[b] for b in allowed})
        return out

    def marginals_of(self, ems: list[dict[str, float]]) -> tuple[list[dict[str, float]], dict[str, float]]:
        """(each position's label probabilities, each label's probability of occurring somewhere) under
        the CRF's distribution over label sequences (forward-backward; log space)."""
        labs = self.labels
        alpha = self._forward(ems, labs)
        log_z = _logsumexp(list(alpha[-1].values()))
        beta = [dict.fromkeys(labs, 0.0)]
        for e in reversed(ems[1:]):
            nxt = beta[0]
            beta.insert(0, {a: _logsumexp([self.trans[a].get(b, 0.0) + e[b] + nxt[b] for b in labs]) for a in labs})
        marg = [{b: math.exp(al[b] + be[b] - log_z) for b in labs} for al, be in zip(alpha, beta)]
        anywhere = {}
        for lab in labs:
            rest = tuple(b for b in labs if b != lab)
            log_without = _logsumexp(list(self._forward(ems, rest)[-1].values()))
            anywhere[lab] = max(0.0, min(1.0, 1.0 - math.exp(log_without - log_z)))
        return marg, anywhere

    def decode_emissions(self, ems: list[dict[str, float]]) -> list[str]:
        labs = self.labels
        score = {b: self.start.get(b, 0.0) + ems[0][b] for b in labs}
        back: list[dict[str, str]] = []
        for e in ems[1:]:
            new, ptr = {}, {}
            for b in labs:
                best = max(labs, key=lambda a: (score[a] + self.trans[a].get(b, 0.0), -labs.index(a)))
                new[b] = score[best] + self.trans[best].get(b, 0.0) + e[b]
                ptr[b] = best
            score = new
            back.append(ptr)
        last = max(labs, key=lambda k: (score[k], -labs.index(k)))
        path = [last]
        for p in reversed(back):
            path.append(p[path[-1]])
        return list(reversed(path))


def _logsumexp(xs: list[float]) -> float:
    top = max(xs)
    return top + math.log(sum(math.exp(x - top) for x in xs))


@dataclass
class Labelling:
    """What the labeller says about one answer: its best labels, each sentence's probability of each
    label, and each label's probability of occurring in the answer at all (the evidence a judgement
    weighs when a part is said indirectly and the best labels miss it)."""

    labels: list[str]
    marginals: list[dict[str, float]] = field(default_factory=list)
    anywhere: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _load(path: str) -> StarModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return StarModel(data)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"the STAR model {path} cannot be read ({exc}); reinstall voicemock or run "
                         "'python scripts/train_star.py'") from None


_override: list[StarModel] = []


def load_model(path: Path | None = None) -> StarModel:
    """The shipped model (or the one at ``path``), read once per process."""
    if _override and path is None:
        return _override[-1]
    with _LOCK:
        return _load(str(path or MODEL_FILE))


def use_model(model: StarModel | None) -> None:
    """Label with ``model`` instead of the shipped one (None: back to the shipped one); for training."""
    _override.clear()
    if model is not None:
        _override.append(model)


@contextlib.contextmanager
def using_model(model: StarModel) -> Iterator[StarModel]:
    """Label with ``model`` inside the block, then with the shipped one again (for training)."""
    use_model(model)
    try:
        yield model
    finally:
        use_model(None)
