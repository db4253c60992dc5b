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
import threading
from collections.abc import Iterator
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

    def decode(self, seq: list[dict[str, float]], bias: list[dict[str, float]] | None = None) -> list[str]:
        """The best label sequence for a sequence of feature dicts (Viterbi), ``bias`` added per item."""
        if not seq:
            return []
        labs = self.labels
        ems = [self.emissions(f) for f in seq]
        for e, extra in zip(ems, bias or []):
            for lab, v in extra.items():
                e[lab] += v
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
