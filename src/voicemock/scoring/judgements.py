"""Answer-level judgements a coach makes about a labelled STAR answer, each with its deciding sentence.

- **result present**: a logistic regression over the labeller's *probabilities* rather than only
  its best labels (how likely any sentence is a result, the last sentences' result probability,
  from :meth:`~voicemock.scoring.star_model.StarModel.label`) and what the likely result sentences
  and the last sentence say (an outcome, a change, a plain verdict, a lesson; or a plan still
  open, a reply that decides nothing, a closing comment, a feeling, the last step). So an answer
  ending on a plan labelled R is judged to miss its result, and a result said indirectly that the
  best labels miss still counts. Decided by the result sentence (the one with a number, else the
  last; the likeliest one when none is labelled R), or, when there is none, by where the story stops.
- **result measurable**: a result sentence with a number, amount, time or clear measurable change
  (never when the result is judged missing).
- **task stated**: likewise a logistic regression over how likely any sentence is the task and
  whether the sentences that say a goal, a responsibility or an intention (``T_CUES``,
  ``T_INDIRECT``: "I needed to...", "it came down to me", "the thing nobody was doing was...")
  are the likely ones.
- **actions concrete**: at least :data:`~voicemock.targets.CONCRETE_ACTIONS_MIN` action
  sentences in which the candidate did something with an object and a detail ("I split the merge
  into partitions"), in a specific story. Each action sentence is rated ``concrete``, ``vague``
  ("I dealt with it", "worked with the team"), ``team`` (only "we") or ``hypothetical``.
- **specific story**: past events rather than what one would do or usually does.
- **rambling**: much of the answer moves no part of the story forward (O sentences), or the
  background swamps it.

Pure functions of the structure, the cleaned sentence texts and the labeller's probabilities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

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
from . import star_features
from .star_features import action_verbs

if TYPE_CHECKING:  # pragma: no cover
    from .star_model import Labelling

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


def soft_labelling(cleaned: list[str]) -> Labelling:
    """The labeller's probabilities for an answer's cleaned sentences (when the caller has none)."""
    from .star_model import load_model

    return load_model().label(star_features.answer_features(cleaned))


def answer_features(st: Structure, cleaned: list[str], soft: Labelling | None = None) -> dict[str, float]:
    """Answer-level features of the learned judgements (result present, task stated, specific story,
    concrete actions, rambling). ``soft``: the labeller's probabilities for these sentences."""
    labels = [s.label for s in st.sentences]
    if soft is None or len(soft.marginals) != len(cleaned):
        soft = soft_labelling(cleaned)
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
    f.update(_soft_result_features(cleaned, soft))
    f.update(_task_features(cleaned, labels, soft))
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


#: A feeling or verdict on how it went, said by the candidate ("I was so relieved", "it felt good").
_FEELING = re.compile(r"\b(?:i|we) (?:was|were|felt|feel) (?:so |really |very |quite |pretty |a bit |a little )?"
                      r"(?:relieved|proud|happy|glad|pleased|gutted|disappointed|exhausted|tired|nervous|"
                      r"stressed|good|great|bad|awful|terrible)\b|\bit felt\b")
#: The candidate still acting in the last sentence: the story stops at a step ("I sent the report").
_I_STEP = re.compile(r"^(?:and |so |then |also )*(?:i|we) (?:\w+ )?(?:\w+ed|" + lx.IRREGULAR_PAST + r")\b")


def _cues(c: str) -> dict[str, bool]:
    """How one cleaned sentence could close a story: an outcome, a lesson, a plan, a comment."""
    return {
        "strong": bool(lx.R_STRONG.search(c)), "change": bool(lx.R_CHANGE.search(c)),
        "verdict": bool(lx.R_VERDICT.search(c)),
        "learn": bool(lx.R_LEARN.search(c)), "metric": bool(lx.METRIC.search(c)),
        "pending": bool(lx.PENDING.search(c)), "closing": bool(lx.CLOSING.search(c)),
        "other": bool(lx.O_CUES.search(c)), "hypothetical": bool(lx.HYPOTHETICAL.search(c)),
        "feeling": bool(_FEELING.search(c)), "step": bool(_I_STEP.search(c)),
    }


def _soft_result_features(cleaned: list[str], soft: Labelling) -> dict[str, float]:
    """Evidence of an outcome from the labeller's probabilities rather than its best labels: how
    likely any sentence is a result, and what the likely result sentences and the last ones say."""
    if not cleaned:
        return {}
    p_r = [m.get("R", 0.0) for m in soft.marginals]
    mass = sum(p_r)
    f = {"soft:R_any": soft.anywhere.get("R", 0.0), "soft:R_max": max(p_r), "soft:R_last": p_r[-1],
         "soft:R_tail": max(p_r[-2:]), "soft:R_mass": min(2.0, mass) / 2}
    cues = [_cues(c) for c in cleaned]
    for name in cues[0]:
        # the share of the result probability on sentences with this cue
        f[f"rsoft:{name}"] = sum(p for p, cu in zip(p_r, cues) if cu[name]) / mass if mass > 1e-6 else 0.0
        f[f"end:{name}"] = float(cues[-1][name])
    return f


def _task_language(c: str) -> bool:
    """A goal, a responsibility or an intention is said in this cleaned sentence (also indirectly)."""
    return bool(lx.T_CUES.search(c) or lx.T_INDIRECT.search(c))


def _task_features(cleaned: list[str], labels: Sequence[str], soft: Labelling) -> dict[str, float]:
    """Evidence that the answer says what the candidate had to achieve, also when said indirectly."""
    if not cleaned:
        return {}
    p_t = [m.get("T", 0.0) for m in soft.marginals]
    said = [_task_language(c) for c in cleaned]
    first = said[: max(1, (len(cleaned) + 1) // 2)]  # a task is said before the actions
    return {
        "task:n": min(2, labels.count("T")) / 2,
        "soft:T_any": soft.anywhere.get("T", 0.0),
        "soft:T_max": max(p_t),
        "soft:T_mass": min(2.0, sum(p_t)) / 2,
        "task:cue": float(any(said)),
        "task:cue_early": float(any(first)),
        # how likely the sentences that say a goal are the task, and how likely the others are
        "task:cue_soft": max((p for p, s in zip(p_t, said) if s), default=0.0),
        "task:nocue_soft": max((p for p, s in zip(p_t, said) if not s), default=0.0),
        # a goal owned in so many words, in a sentence that is no hypothetical and no question
        "task:owned": float(any(lx.T_OWNED.search(c) and not lx.HYPOTHETICAL.search(c) and not c.endswith("?")
                                for c in cleaned)),
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


def judge_structure(st: Structure, cleaned: list[str], soft: Labelling | None = None) -> Judgements:
    """Every judgement of one labelled answer (``cleaned`` are its sentences, cleaned; ``soft`` the
    labeller's probabilities for them, computed here when not given)."""
    labels = [s.label for s in st.sentences]
    n = len(labels)
    total = sum(_words(c) for c in cleaned) or 1
    share = {lab: sum(_words(c) for c, x in zip(cleaned, labels) if x == lab) / total for lab in "STARO"}
    kinds = [action_kind(c) if lab == "A" else None for c, lab in zip(cleaned, labels)]
    general = [k for k, c in enumerate(cleaned) if _GENERAL.search(c)]
    past = sum(len(_PAST.findall(c)) for c, k in zip(cleaned, range(n)) if k not in general)
    specific = n > 0 and past >= SPECIFIC_PAST_MIN and len(general) <= SPECIFIC_GENERAL_SHARE_MAX * n
    if n and (soft is None or len(soft.marginals) != n):
        soft = soft_labelling(cleaned)
    feats = answer_features(st, cleaned, soft) if n else {}
    learned = _learned("specific_story", feats) if n else None
    specific = specific if learned is None else learned
    results = [k for k, lab in enumerate(labels) if lab == "R"]
    tasks = [k for k, lab in enumerate(labels) if lab == "T"]
    concrete = [k for k, kind in enumerate(kinds) if kind == "concrete"]
    weak = [k for k, kind in enumerate(kinds) if kind in ("vague", "team", "hypothetical")]
    actions = [k for k, lab in enumerate(labels) if lab == "A"]
    last_action = actions[-1] if actions else (n - 1 if n else None)
    concrete_ok = len(concrete) >= CONCRETE_ACTIONS_MIN and specific
    learned = _learned("actions_concrete", feats) if n else None
    # concrete actions are things the candidate did: never in an answer that tells no specific story
    concrete_ok = (concrete_ok if learned is None else (learned and bool(concrete))) and specific
    # result and task: the labeller's probabilities and the closing sentences' cues decide, so a
    # result or task said indirectly (no sentence labelled R or T) can count, and a closing comment
    # or a plan labelled R need not
    learned = _learned("result_present", feats) if n else None
    result_ok = bool(results) if learned is None else learned
    if result_ok and not results:
        results = [max(range(n), key=lambda k: soft.marginals[k].get("R", 0.0))] if soft is not None else []
        result_ok = bool(results)
    measured = ([k for k in results if lx.METRIC.search(cleaned[k]) or lx.SPOKEN_MAGNITUDE.search(cleaned[k])]
                if result_ok else [])
    learned = _learned("task_stated", feats) if n else None
    task_ok = bool(tasks) if learned is None else learned
    if task_ok and not tasks:
        tasks = [max(range(n), key=lambda k: soft.marginals[k].get("T", 0.0))] if soft is not None else []
        task_ok = bool(tasks)
    j = Judgements(
        result_present=_j(result_ok, st, (measured or results)[-1] if results else last_action,
                          "a sentence says how it ended" if result_ok else
                          "no sentence says how it ended" if not results else "the story stops without an outcome"),
        result_measurable=_j(bool(measured), st, measured[0] if measured else (results[-1] if results else None),
                             "the result has a number" if measured else "no number, amount or time in the result"),
        task_stated=_j(task_ok, st, tasks[0] if task_ok else (actions[0] if actions else None),
                       "a sentence says what you had to achieve" if task_ok else "no goal or responsibility is said"),
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
