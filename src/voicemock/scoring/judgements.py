"""Answer-level judgements a coach makes about a labelled STAR answer, each with its deciding sentence.

- **result present**: a sentence labelled R; decided by the result sentence (the one with a
  number, else the last), or, when there is none, by the sentence the story stops at.
- **result measurable**: a result sentence with a number, amount, time or clear measurable change.
- **task stated**: a sentence labelled T (also when said indirectly: "I needed to...", "it fell to
  me to..." — the labeller learned those from data).
- **actions concrete**: at least :data:`~voicemock.targets.CONCRETE_ACTIONS_MIN` action
  sentences in which the candidate did something with an object and a detail ("I split the merge
  into partitions"), in a specific story. Each action sentence is rated ``concrete``, ``vague``
  ("I dealt with it", "worked with the team"), ``team`` (only "we") or ``hypothetical``.
- **specific story**: past events rather than what one would do or usually does.
- **rambling**: much of the answer moves no part of the story forward (O sentences), or the
  background swamps it.

Pure functions of the structure and the cleaned sentence texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Judgement, Judgements, Structure
from ..targets import (
    ACTION_DETAIL_MIN_WORDS,
    CONCRETE_ACTIONS_MIN,
    RAMBLING_OTHER_SHARE,
    RAMBLING_SITUATION_SHARE,
    SPECIFIC_GENERAL_SHARE_MAX,
    SPECIFIC_PAST_MIN,
)
from . import lexicon as lx
from .star_features import action_verbs

_STOP = {"the", "a", "an", "and", "of", "to", "in", "on", "it", "that", "this", "for", "with", "at", "is",
         "was", "were", "be", "as", "but", "or", "so", "um", "uh", "like", "yeah", "just", "i", "we", "me",
         "my", "our", "us", "them", "they", "he", "she", "him", "her", "then", "also", "really", "some",
         "sort", "kind", "things", "thing", "stuff", "everything", "everyone", "lot", "bit", "out", "up",
         "there", "got", "did", "had", "made", "make", "sure", "basically", "actually", "all",
         "way", "could", "would", "where", "what", "when", "how", "about", "around", "more", "much"}
#: Words that add no detail to an action ("I worked with the stakeholders to improve things").
_GENERIC = {"stakeholders", "everybody", "people", "team", "teams", "process", "processes", "things", "changes",
            "necessary", "best", "practices", "practice", "ways", "working", "communication", "materials",
            "improve", "improved", "better", "good", "research", "problems", "issues", "solution", "solutions",
            "plan", "new", "together", "basically", "properly", "everyone", "help", "helped", "support"}
#: Generic action phrases beyond the lexicon's vague actions (judgements only; the labeller does not see them).
_GENERIC_ACTION = re.compile(r"\b(?:worked (?:closely )?with|made sure (?:we|that|everyone)|did (?:some|a bit of) "
                             r"research|best practices?|ways of working|the necessary|improve things|as a team|"
                             r"(?:good|better|clear) communication|came up with a (?:better|new) (?:process|plan|way))\b")
_GENERAL = re.compile(r"\b(?:i|we|you) (?:always|usually|generally|normally|tend to|typically|often|try to|"
                      r"like to|would|'d|will|should|need to|have to)\b|\b(?:i think|i believe|in general|"
                      r"whenever|every time|my approach|the key is|it's important)\b")
_PAST = re.compile(r"\b(?:was|were|had|did|went|got|made|told|asked|said|took|came|ended|started|"
                   r"decided|realised|realized|noticed|found)\b|\b\w+ed\b")


def action_kind(c: str) -> str:
    """concrete | vague | team | hypothetical | none, for one cleaned action sentence."""
    words = c.split()
    if lx.HYPOTHETICAL.search(c) and not action_verbs(c)[0]:
        return "hypothetical"
    i_act, we_act = action_verbs(c)
    personal = i_act > 0 or bool(lx.I_ACTION_PHRASE.search(c)) or (
        bool(lx.LEADING_VERB.match(c)) and not any(w in lx.WE_WORDS for w in words[:2]))
    if not personal and "i" in words and not we_act:
        personal = bool(re.search(r"\bi (?:\w+ )?(?:\w+ed|" + lx.IRREGULAR_PAST + r")\b", c))
    if not personal:
        return "team" if (we_act or any(w in lx.WE_WORDS for w in words)) else "none"
    detail = [w for w in words if w not in _STOP and w.strip(",.") not in _GENERIC and not lx.is_hesitation(w)
              and len(w) > 2]
    vague = len(lx.VAGUE_ACTION.findall(c)) + len(_GENERIC_ACTION.findall(c))
    if vague and len(detail) < ACTION_DETAIL_MIN_WORDS + 2 * vague:
        return "vague"
    if len(detail) < ACTION_DETAIL_MIN_WORDS and not lx.METRIC.search(c):
        return "vague"
    return "concrete"


#: A capitalised word after the first one that is not "I" (a name, a place, a product).
_NAME = re.compile(r"(?<=[a-z,;:] )(?!I\b|I'\w)[A-Z][a-z]+")


def _detail(c: str) -> int:
    """Content words of a cleaned sentence that add detail (not stop words, generic words or fillers)."""
    return sum(1 for w in c.split() if w not in _STOP and w.strip(",.") not in _GENERIC
               and not lx.is_hesitation(w) and len(w) > 2)


def _j(value: bool, st: Structure, index: int | None, why: str) -> Judgement:
    quote = st.sentences[index].text if index is not None and 0 <= index < len(st.sentences) else None
    return Judgement(value=value, sentence=index if quote is not None else None, quote=quote, why=why)


def _words(c: str) -> int:
    return max(1, len(c.split()))


_FILLER = lx.strip_fillers_pattern()


def answer_features(st: Structure, cleaned: list[str]) -> dict[str, float]:
    """Answer-level features of the learned judgements (specific story, concrete actions, rambling)."""
    labels = [s.label for s in st.sentences]
    n = max(1, len(labels))
    total = sum(_words(c) for c in cleaned) or 1
    f = {f"share:{lab}": sum(_words(c) for c, x in zip(cleaned, labels) if x == lab) / total for lab in "STARO"}
    kinds = [action_kind(c) if lab == "A" else None for c, lab in zip(cleaned, labels)]
    for kind in ("concrete", "vague", "team", "hypothetical"):
        f[f"actions:{kind}"] = min(4, sum(k == kind for k in kinds)) / 4
    acts = [k for k, kind in enumerate(kinds) if kind in ("concrete", "vague")]  # the candidate's own actions
    if acts:
        # how much an action sentence names: content words that are not generic, and specifics
        # (a number, or a name said mid-sentence: "I called Dave at the plant")
        f["actions:detail"] = sum(min(12, _detail(cleaned[k])) for k in acts) / (12 * len(acts))
        f["actions:specifics"] = sum(bool(lx.METRIC.search(cleaned[k]) or _NAME.search(st.sentences[k].text))
                                     for k in acts) / len(acts)
        f["actions:generic"] = sum(bool(lx.VAGUE_ACTION.search(cleaned[k]) or _GENERIC_ACTION.search(cleaned[k]))
                                   for k in acts) / len(acts)
    general = sum(bool(_GENERAL.search(c)) for c in cleaned)
    f["general"] = general / n
    f["hypothetical"] = sum(bool(lx.HYPOTHETICAL.search(c)) for c in cleaned) / n
    f["past"] = min(20, sum(len(_PAST.findall(c)) for c in cleaned)) / 20
    f["past_rate"] = sum(len(_PAST.findall(c)) for c in cleaned) / total
    f["present"] = sum(len(re.findall(r"\b(?:is|are|am|do|does|i'm|it's|you)\b", c)) for c in cleaned) / total
    f["i_rate"] = sum(c.split().count("i") for c in cleaned) / total
    f["we_rate"] = sum(c.split().count("we") for c in cleaned) / total
    f["words"] = min(400, total) / 400
    f["sentences"] = min(15, n) / 15
    f["others"] = min(6, labels.count("O")) / 6
    raw = " ".join(s.text.lower() for s in st.sentences)
    f["fillers"] = len(_FILLER.findall(raw)) / total
    f["metric"] = float(any(lx.METRIC.search(c) for c, lab in zip(cleaned, labels) if lab == "R"))
    f.update(_result_features(cleaned, labels))
    f["bias"] = 1.0
    return f


def _result_features(cleaned: list[str], labels: Sequence[str]) -> dict[str, float]:
    """Evidence that the sentences labelled R really say how the story ended."""
    res = [c for c, lab in zip(cleaned, labels) if lab == "R"]
    return {
        "result:n": min(3, len(res)) / 3,
        "result:last": float(bool(labels) and labels[-1] == "R"),
        "result:strong": float(any(lx.R_STRONG.search(c) for c in res)),
        "result:change": float(any(lx.R_CHANGE.search(c) for c in res)),
        "result:learn": float(any(lx.R_LEARN.search(c) for c in res)),
        "result:past": float(any(_PAST.search(c) for c in res)),
        "result:hypothetical": float(any(lx.HYPOTHETICAL.search(c) for c in res)),
        "result:pending": float(any(lx.PENDING.search(c) for c in res)),
        "result:closing": float(bool(res) and all(lx.CLOSING.search(c) or lx.O_CUES.search(c) for c in res)),
        "result:last_pending": float(bool(res) and bool(labels) and labels[-1] == "R"
                                     and bool(lx.PENDING.search(cleaned[-1]) or lx.CLOSING.search(cleaned[-1]))),
        "result:words": min(40, sum(_words(c) for c in res)) / 40,
    }


def _learned(name: str, feats: dict[str, float]) -> bool | None:
    """A learned judgement from the shipped model (None when the model has none for it)."""
    import math

    from .star_model import load_model

    lr = load_model().judgements.get(name)
    if not lr:
        return None
    z = sum(w * feats.get(k, 0.0) for k, w in lr.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) >= 0.5


def judge_structure(st: Structure, cleaned: list[str]) -> Judgements:
    """Every judgement of one labelled answer (``cleaned`` are its sentences, cleaned)."""
    labels = [s.label for s in st.sentences]
    n = len(labels)
    total = sum(_words(c) for c in cleaned) or 1
    share = {lab: sum(_words(c) for c, x in zip(cleaned, labels) if x == lab) / total for lab in "STARO"}
    kinds = [action_kind(c) if lab == "A" else None for c, lab in zip(cleaned, labels)]
    general = [k for k, c in enumerate(cleaned) if _GENERAL.search(c)]
    past = sum(len(_PAST.findall(c)) for c, k in zip(cleaned, range(n)) if k not in general)
    specific = n > 0 and past >= SPECIFIC_PAST_MIN and len(general) <= SPECIFIC_GENERAL_SHARE_MAX * n
    feats = answer_features(st, cleaned) if n else {}
    learned = _learned("specific_story", feats) if n else None
    specific = specific if learned is None else learned
    results = [k for k, lab in enumerate(labels) if lab == "R"]
    measured = [k for k in results if lx.METRIC.search(cleaned[k])]
    tasks = [k for k, lab in enumerate(labels) if lab == "T"]
    concrete = [k for k, kind in enumerate(kinds) if kind == "concrete"]
    weak = [k for k, kind in enumerate(kinds) if kind in ("vague", "team", "hypothetical")]
    actions = [k for k, lab in enumerate(labels) if lab == "A"]
    last_action = actions[-1] if actions else (n - 1 if n else None)
    concrete_ok = len(concrete) >= CONCRETE_ACTIONS_MIN and specific
    learned = _learned("actions_concrete", feats) if n else None
    # concrete actions are things the candidate did: never in an answer that tells no specific story
    concrete_ok = (concrete_ok if learned is None else (learned and bool(concrete))) and specific
    learned = _learned("result_present", feats) if results else None
    result_ok = bool(results) and learned is not False
    j = Judgements(
        result_present=_j(result_ok, st, (measured or results)[-1] if results else last_action,
                          "a sentence says how it ended" if result_ok else
                          "no sentence says how it ended" if not results else "the story stops without an outcome"),
        result_measurable=_j(bool(measured), st, measured[0] if measured else (results[-1] if results else None),
                             "the result has a number" if measured else "no number, amount or time in the result"),
        task_stated=_j(bool(tasks), st, tasks[0] if tasks else (actions[0] if actions else None),
                       "a sentence says what you had to achieve" if tasks else "no goal or responsibility is said"),
        actions_concrete=_j(concrete_ok, st, concrete[0] if concrete_ok
                            else (weak[0] if weak else (actions[0] if actions else None)),
                            f"{len(concrete)} concrete action sentence(s), {len(weak)} vague or team-only"),
        specific_story=_j(specific, st, (general[0] if general else None) if not specific else
                          (actions[0] if actions else None),
                          "past events" if specific else "what you would do or usually do, not one time it happened"),
        situation_share=round(share["S"], 3),
        concrete_actions=len(concrete),
        vague_actions=len(weak),
        action_kinds={k: kind for k, kind in enumerate(kinds) if kind is not None},
    )
    other = [k for k, lab in enumerate(labels) if lab == "O"]
    rambling = n >= 4 and (share["O"] >= RAMBLING_OTHER_SHARE or share["S"] >= RAMBLING_SITUATION_SHARE)
    learned = _learned("rambling", feats) if n else None
    rambling = rambling if learned is None else learned
    longest_other = max(other, key=lambda k: _words(cleaned[k])) if other else None
    longest_s = max((k for k, lab in enumerate(labels) if lab == "S"), key=lambda k: _words(cleaned[k]), default=None)
    j.rambling = _j(rambling, st, longest_other if share["O"] >= RAMBLING_OTHER_SHARE else longest_s,
                    f"{round(100 * share['O'])}% of the answer moves no part of the story forward, "
                    f"{round(100 * share['S'])}% is background")
    return j
