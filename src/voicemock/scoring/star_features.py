"""Features of one cleaned sentence for the learned STAR labeller.

A sentence becomes a sparse dict ``{feature name: value}``: its words and first words, the cue
phrases of :mod:`.lexicon` (as evidence the model weighs, not as rules), person and tense, numbers,
length and position in the answer. The same function serves training (``scripts/train_star.py``)
and labelling, so the two can never drift apart. Pure Python, no third-party imports.
"""

from __future__ import annotations

import re

from . import lexicon as lx

_PRESENT = re.compile(r"\b(?:i|we) (?:am|are|do|try|tend|like|love|think|believe|always|usually|generally|"
                      r"normally|often|make|check|have)\b")
_WAS = re.compile(r"\b(?:was|were|had)\b")
_MODAL = re.compile(r"\b(?:would|will|'d|'ll|should|could|might)\b")
_NEG = re.compile(r"\b(?:not|never|no|didn't|wasn't|couldn't|hadn't|nobody)\b")
_STOP = {"the", "a", "an", "and", "of", "to", "in", "on", "it", "that", "this", "for", "with", "at", "is",
         "was", "be", "as", "but", "or", "so", "um", "uh", "like", "yeah", "just"}


def action_verbs(text: str) -> tuple[int, int]:
    """(first-person singular, plural) past-tense action verbs in a cleaned sentence."""
    i = we = 0
    last = ""
    for subj, verb in lx.I_PAST.findall(text):
        if verb in lx.NON_ACTION_ED:
            continue
        if subj == "i":
            i += 1
        else:
            we += 1
        last = subj
    if last:  # "I split the tests and ran them": the subject carries over
        extra = sum(v not in lx.NON_ACTION_ED for v in lx.AND_PAST.findall(text))
        if last == "i":
            i += extra
        else:
            we += extra
    return i, we


def _hits(rx: re.Pattern[str], text: str, cap: int = 2) -> int:
    return min(cap, len(rx.findall(text)))


def cue_features(c: str) -> dict[str, float]:
    """Lexicon and grammar evidence of one cleaned sentence (no words, no position)."""
    words = c.split()
    i_act, we_act = action_verbs(c)
    f: dict[str, float] = {}

    def put(name: str, value: float) -> None:
        if value:
            f[name] = float(value)

    put("cue:S", _hits(lx.S_CUES, c))
    put("cue:T", _hits(lx.T_CUES, c))
    put("cue:T_early", bool(lx.T_CUES.search(c[:50])))
    put("cue:T_indirect", _hits(lx.T_INDIRECT, c))
    put("cue:bare_goal", bool(lx.BARE_GOAL.match(c)))
    put("cue:i_past", min(3, i_act))
    put("cue:we_past", min(3, we_act))
    put("cue:i_action_phrase", _hits(lx.I_ACTION_PHRASE, c))
    put("cue:leading_verb", bool(lx.LEADING_VERB.match(c)) and bool(words) and words[0] not in lx.NON_ACTION_ED)
    put("cue:R_strong", _hits(lx.R_STRONG, c))
    put("cue:R_change", _hits(lx.R_CHANGE, c))
    put("cue:R_learn", _hits(lx.R_LEARN, c))
    put("cue:R_verdict", _hits(lx.R_VERDICT, c))
    put("cue:metric", bool(lx.METRIC.search(c)))
    put("cue:O", _hits(lx.O_CUES, c))
    put("cue:hypo", _hits(lx.HYPOTHETICAL, c))
    put("cue:pending", _hits(lx.PENDING, c))
    put("cue:closing", _hits(lx.CLOSING, c))
    put("cue:vague", _hits(lx.VAGUE_ACTION, c))
    put("cue:present", _hits(_PRESENT, c))
    put("cue:was", _hits(_WAS, c, 3))
    put("cue:modal", _hits(_MODAL, c))
    put("cue:neg", _hits(_NEG, c))
    put("has:i", any(w in lx.I_WORDS for w in words))
    put("has:we", any(w in lx.WE_WORDS for w in words))
    put("has:my", "my" in words)
    put("has:they", any(w in ("they", "he", "she", "them", "him", "her") for w in words))
    put("has:question", c.endswith("?"))
    n = len(words)
    f["len:" + ("1-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+")] = 1.0
    return f


def sentence_features(c: str, index: int, count: int) -> dict[str, float]:
    """All features of cleaned sentence ``c``, the ``index``-th of ``count`` in its answer."""
    words = re.findall(r"[\w'$%]+", c)
    f = cue_features(c)
    f["bias"] = 1.0
    pos = index / max(1, count - 1)
    f["pos"] = pos
    f["pos2"] = pos * pos
    f["pos:bin" + str(min(4, int(pos * 5)))] = 1.0
    if index == 0:
        f["pos:first"] = 1.0
    if index == count - 1:
        f["pos:last"] = 1.0
        # how an answer ends decides whether it has a result: the last sentence's cues on their own
        for name in ("cue:i_past", "cue:we_past", "cue:R_strong", "cue:R_change", "cue:R_learn", "cue:R_verdict", "cue:metric",
                     "cue:pending", "cue:closing", "cue:O", "cue:hypo", "cue:was", "cue:present"):
            if name in f:
                f["last+" + name] = f[name]
    for w in set(words):
        if w not in _STOP:
            f["w:" + w] = 1.0
    head = [w for w in words if w not in ("so", "um", "uh", "and", "yeah", "okay", "well", "like")]
    if head:
        f["first:" + head[0]] = 1.0
    if len(head) > 1:
        f["first2:" + " ".join(head[:2])] = 1.0
    if len(head) > 2:
        f["first3:" + " ".join(head[:3])] = 1.0
    for a, b in zip(words, words[1:]):
        if a not in _STOP or b not in _STOP:
            f["bi:" + a + "_" + b] = 1.0
    return f


def neighbour_features(feats: list[dict[str, float]]) -> list[dict[str, float]]:
    """Each sentence's features plus the cue features of the sentences before and after it."""
    out = []
    for k, f in enumerate(feats):
        g = dict(f)
        for off, tag in ((-1, "prev"), (1, "next")):
            j = k + off
            if 0 <= j < len(feats):
                for name, v in feats[j].items():
                    if name.startswith("cue:"):
                        g[f"{tag}:{name}"] = v
            else:
                g[f"{tag}:none"] = 1.0
        out.append(g)
    return out


def answer_features(cleaned: list[str]) -> list[dict[str, float]]:
    """The feature dicts of every sentence of one answer, in order."""
    n = len(cleaned)
    return neighbour_features([sentence_features(c, i, n) for i, c in enumerate(cleaned)])
