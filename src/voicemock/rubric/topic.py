"""Does the answer address its question? A learned check over lexical and concept evidence.

Evidence (features), each from 0 to 1:

- **concepts**: the question's concepts (:data:`~voicemock.scoring.lexicon.TOPIC_CONCEPTS`,
  found in its text, else its tags) that the answer's story sentences (not the ones that only
  restate or digress) mention, in any of their wordings ("conflict" is also "we didn't see eye to
  eye"); also the share found anywhere in the answer.
- **words**: TF-IDF cosine between the answer and the question with the bank's guidance, tags
  and example (word stems; IDF over the built-in banks), scaled so TOPIC_COSINE_FULL counts as 1;
  and against the question alone.
- **signs of another question**: the answer announces a different question ("a time I showed
  leadership was when..."), tells a past story to a process or knowledge question whose guidance
  it does not cover, gives feedback when asked about feedback received (or is mentored when asked
  about mentoring), never mentions the person the question is about, denies the premise ("we've
  never disagreed"), or gives general opinions that touch none of the question's concepts.
- **kind**: whether the question asks for a story and the answer tells one; for an opening
  question the share of its four parts covered, for a coverage question its guidance points.

A logistic regression over these (weights in ``scoring/star_model.json``, fitted by
``scripts/train_star.py`` on labelled on/off-topic pairs and on every training answer with its own
and with another question) gives the probability that the answer is on topic; below the cut
fitted with the weights (``topic_min`` in the model file, chosen by cross-validation;
TOPIC_MIN when absent) it is off topic, and the first sign found says why. The LLM judge, when
configured, adds its own verdict (``rubric/llm.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from ..models import Structure, TopicCheck
from ..scoring import lexicon as lx
from ..targets import TOPIC_COSINE_FULL, TOPIC_MIN
from .kinds import QuestionInfo

_CONCEPTS = {k: re.compile(r"\b(?:" + v + r")") for k, v in lx.TOPIC_CONCEPTS.items()}  # lower-case text
_STOP = set("""a an the and or but so of to in on at for with from by as is was were be been am are it its this
that these those i me my we our us you your he she him her they them their there here what when where who
how why which do did does done have had has not no yes just like um uh yeah okay ok really very about into
out up over then than also can could would should will shall may might time tell give example describe
walk through one some any all more most much many thing things get got make made""".split())
_RECEIVED_Q = re.compile(r"\b(?:received|you (?:have )?(?:got|gotten|been given)|feedback you|criticism you|"
                         r"hardest feedback|critical feedback)\b", re.I)
_MENTOR_Q = re.compile(r"\b(?:you (?:coached|mentored|developed|trained)|mentored or developed|someone you "
                       r"(?:coached|mentored))\b", re.I)
_MANAGER_Q = re.compile(r"\b(?:your manager|senior leader|your boss|manager's)\b", re.I)


def concepts(text: str) -> set[str]:
    """The question-area concepts (lexicon.TOPIC_CONCEPTS) the text mentions."""
    return set(_concepts(text.lower()))


@lru_cache(maxsize=256)
def _concepts(lowered: str) -> frozenset[str]:
    # 47 patterns over the whole answer: the same question and answer texts are asked about
    # several times per check, and a case-insensitive search was most of the check's time
    return frozenset(k for k, rx in _CONCEPTS.items() if rx.search(lowered))


def _stems(text: str) -> list[str]:
    return [w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2]


@lru_cache(maxsize=1)
def _idf() -> dict[str, float]:
    from .kinds import _builtin_questions

    docs = [set(_stems(" ".join([q.text, q.guidance, q.example or "", *q.tags, *q.common_mistakes])))
            for q, _ in _builtin_questions().values()]
    df: Counter = Counter()
    for d in docs:
        df.update(d)
    n = max(1, len(docs))
    return {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()} | {"": math.log(1 + n) + 1}


def _cosine(a: str, b: str) -> float:
    idf = _idf()
    default = idf[""]
    va = {w: c * idf.get(w, default) for w, c in Counter(_stems(a)).items()}
    vb = {w: c * idf.get(w, default) for w, c in Counter(_stems(b)).items()}
    dot = sum(v * vb.get(w, 0.0) for w, v in va.items())
    na, nb = math.sqrt(sum(v * v for v in va.values())), math.sqrt(sum(v * v for v in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


_PEOPLE = ("colleague", "manager", "customer")
_PERSON_NAMES = {"colleague": "a colleague", "manager": "your manager or a senior leader", "customer": "a customer"}


def _reasons(info: QuestionInfo, answer: str, q_concepts: set[str], a_concepts: set[str],
             structure: Structure | None, words: float) -> dict[str, str]:
    """Signs that the answer addresses a different question: feature name -> why, in words."""
    q = info.text or ""
    low = answer.lower()
    out: dict[str, str] = {}
    opener = lx.RESTATED_QUESTION.search(low[:200])
    if opener:
        restated = concepts(opener.group(0)) - {"teamwork", "self", "career"}
        if not restated & q_concepts and not (q_concepts & {"pride"}):
            out["restated"] = f'it answers another question ("{opener.group(0).strip(" ,.;")}")'
    story = structure is not None and structure.specific_story and structure.parts.action.present
    if not info.asks_story and story and (words < 0.5 or _points_covered(info, structure) == 0):
        out["story_to_knowledge"] = "it tells a story where the question asks for knowledge, a plan or a view"
    if _RECEIVED_Q.search(q) and lx.GIVEN_BY_ME.search(low) and not lx.RECEIVED_BY_ME.search(low):
        out["role"] = "it is about feedback you gave; the question asks about feedback you received"
    if _MENTOR_Q.search(q) and lx.MENTORED_ME.search(low) and not lx.MENTORED_BY_ME.search(low):
        out["role"] = "it is about being mentored; the question asks about someone you developed"
    for person in _PEOPLE:
        if person in concepts(q) and person not in a_concepts:
            out["person"] = f"the question is about {_PERSON_NAMES[person]}; the answer never mentions one"
            break
    if info.asks_story and structure is not None and not structure.specific_story:
        if lx.DENIAL.search(low):
            out["denial"] = "it says this never happened instead of telling a time it did"
        elif not (q_concepts & a_concepts):
            out["opinion"] = "it gives general opinions and none of what the question asks about"
    return out


def _points_covered(info: QuestionInfo, structure: Structure | None) -> int | None:
    """Guidance points of a coverage question the answer covers (None without guidance)."""
    if info.kind != "coverage" or not info.guidance or structure is None:
        return None
    from .coverage import coverage_criteria

    return sum(c.met for c in coverage_criteria(info, structure) if c.kind == "point")


def _story_concepts(answer: str, structure: Structure | None) -> set[str]:
    """Concepts of the sentences that carry the story (not the ones that only restate or digress)."""
    if structure is None or not structure.sentences:
        return concepts(answer)
    return concepts(" ".join(s.text for s in structure.sentences if s.label != "O"))


#: The features that need the embedding model (scoring/semantic.py).
SEMANTIC_FEATURES = ("sem:question", "sem:sentence", "sem:material", "sem:margin", "sem:material_margin",
                     "adverse:trouble_sem")


def _focus(question: str) -> str:
    """What a question asks about, without its frame and follow-on sentences."""
    first = re.split(r"(?<=[.?!])\s+", question.strip())[0]
    return lx.QUESTION_FRAME.sub("", first).strip(" ?.") or question


@lru_cache(maxsize=1)
def _bank_questions() -> tuple[str, ...]:
    from .kinds import _builtin_questions

    return tuple(sorted({q.text for q, _ in _builtin_questions().values()}))


@lru_cache(maxsize=1)
def _bank_vectors() -> Any:
    import numpy as np

    from ..scoring import semantic

    vecs = [semantic.embed_cached(_focus(q)) for q in _bank_questions()]
    if any(v is None for v in vecs):
        return None
    return np.stack([v for v in vecs if v is not None])


@lru_cache(maxsize=1)
def _bank_material() -> tuple[tuple[str, ...], Any]:
    """(question texts, vectors of question + guidance + example) of the built-in banks."""
    import numpy as np

    from ..scoring import semantic
    from .kinds import _builtin_questions

    texts, vecs = [], []
    for q, _ in sorted(_builtin_questions().values(), key=lambda qc: qc[0].text):
        v = semantic.embed_cached(" ".join([q.text, q.guidance, q.example or ""]))
        if v is None:
            return (), None
        texts.append(q.text)
        vecs.append(v)
    return tuple(texts), np.stack(vecs)


def _semantic(info: QuestionInfo, answer: str, structure: Structure | None) -> dict[str, float]:
    """Meaning evidence (static sentence embeddings, scoring/semantic.py); empty without the model.

    ``sem:question``: the answer against what the question asks about; ``sem:sentence``: its best
    sentence against it; ``sem:material``: the answer against question, guidance and tags;
    ``sem:margin``: how much closer the answer is to its question than to the nearest other
    built-in question (negative: it fits another question better)."""
    from ..scoring import semantic

    q = _focus(info.text or "")
    eq = semantic.embed_cached(q)
    sentences = [s.text for s in structure.sentences if s.label != "O"] if structure is not None else []
    vecs = semantic.embed_many([answer, *sentences])
    if eq is None or vecs is None:  # no embedding model: what the training answers had on average
        from ..scoring.star_model import load_model

        means = load_model().topic_means
        adverse = bool(lx.ADVERSE_QUESTION.search((info.text or "").lower()))
        return {k: v for k, v in means.items() if adverse or not k.startswith("adverse:")}
    ea, sent_vecs = vecs[0], vecs[1:]
    best = max((semantic.cosine(v, eq) for v in sent_vecs), default=semantic.cosine(ea, eq))
    material = " ".join([info.text or "", info.guidance, " ".join(info.tags)])
    own = semantic.cosine(ea, eq)
    bank = _bank_vectors()
    margin = 0.0
    if bank is not None:
        others = [float(x) for x, y in zip(bank @ ea, bank @ eq) if y < 0.9]
        margin = own - max(others, default=own)

    # the same against what strong answers to each built-in question look like (its guidance and
    # example answer): an answer that fits another question's example better tells another story
    texts, mats = _bank_material()
    mine = semantic.cosine(ea, semantic.embed_cached(" ".join([info.text or "", info.guidance, info.example])))
    rivals = [float(x) for t, x in zip(texts, mats @ ea) if t != info.text] if texts else []
    material_margin = mine - max(rivals, default=mine)

    def unit(x: float, full: float) -> float:
        return max(0.0, min(1.0, x / full))

    out = {"sem:question": unit(own, 0.5), "sem:sentence": unit(best, 0.6),
           "sem:material": unit(semantic.cosine(ea, semantic.embed_cached(material)), 0.6),
           "sem:margin": max(-1.0, min(1.0, margin / 0.2)),
           "sem:material_margin": max(-1.0, min(1.0, material_margin / 0.2))}
    if lx.ADVERSE_QUESTION.search((info.text or "").lower()):
        # the sentence that leans furthest towards trouble (vs things going well)
        pole = _trouble_pole()
        lean = max((float(v @ pole) for v in sent_vecs or [ea]), default=0.0)
        out["adverse:trouble_sem"] = max(-1.0, min(1.0, lean / 0.2))
    return out


@lru_cache(maxsize=1)
def _trouble_pole() -> Any:
    import numpy as np

    from ..scoring import semantic

    def mean(texts: tuple[str, ...]) -> Any:
        vecs = [v for v in (semantic.embed_cached(t) for t in texts) if v is not None]
        return np.mean(vecs, axis=0) if vecs else np.zeros(1, dtype=np.float32)

    return mean(lx.TROUBLE_PROTOTYPES) - mean(lx.SUCCESS_PROTOTYPES)


def _premise(info: QuestionInfo, answer: str) -> dict[str, float]:
    """Whether the answer tells of something going wrong when the question asks about that.

    A question about a failure, a mistake, a disagreement or criticism answered with a story in
    which everything went well (praise for criticism, a goal beaten for one missed) reverses the
    question's premise: no trouble in the words, success words instead."""
    if not lx.ADVERSE_QUESTION.search((info.text or "").lower()):
        return {"adverse": 0.0}
    low = answer.lower()
    n = max(1, len(low.split()))
    neg = len(lx.NEGATIVE_EVENT.findall(low)) / n
    pos = len(lx.POSITIVE_OUTCOME.findall(low)) / n
    # whose trouble: sentences with trouble in them that say "I" or "my" (not a colleague's failure)
    troubled = [t for t in re.split(r"(?<=[.!?])\s+", low) if lx.NEGATIVE_EVENT.search(t)]
    own = sum(bool(re.search(r"\b(?:i|i'm|i'd|i've|me|my)\b", t)) for t in troubled) / len(troubled) if troubled else 0.0
    return {"adverse": 1.0, "adverse:trouble": min(1.0, neg / 0.1), "adverse:success": min(1.0, pos / 0.05),
            "adverse:no_trouble": float(neg < 0.03), "adverse:own_trouble": own}


def _involvement(info: QuestionInfo, structure: Structure | None) -> dict[str, float]:
    """For a question asking for the candidate's own story: does the answer say what they did?"""
    if not info.asks_story or structure is None or not structure.sentences:
        return {}
    return {"story:no_personal_action": float(structure.missing_personal_action),
            "story:i_actions": min(1.0, structure.ownership.i / 3)}


def topic_features(info: QuestionInfo, answer: str, structure: Structure | None) -> tuple[dict[str, float], dict[str, str]]:
    """(features of the learned topic check, reasons in words) for one answer to one question."""
    q_concepts = concepts(info.text or "") or concepts(" ".join(info.tags))
    q_concepts.discard("teamwork") if len(q_concepts) > 1 else None
    story_concepts = _story_concepts(answer, structure)
    all_concepts = concepts(answer)
    a_concepts = story_concepts if info.asks_story else all_concepts
    material = " ".join([info.text or "", info.guidance, " ".join(info.tags), info.example])
    words = min(1.0, _cosine(answer, material) / TOPIC_COSINE_FULL)
    reasons = _reasons(info, answer, q_concepts, a_concepts, structure, words)
    f = {
        "bias": 1.0,
        "concepts": len(q_concepts & story_concepts) / len(q_concepts) if q_concepts else 0.5,
        "concepts_any": len(q_concepts & all_concepts) / len(q_concepts) if q_concepts else 0.5,
        "no_concepts": float(not q_concepts),
        "words": words,
        "words_question": min(1.0, _cosine(answer, info.text or "") / TOPIC_COSINE_FULL),
        "asks_story": float(info.asks_story),
        "story": float(structure is not None and structure.specific_story),
        "no_match": float(bool(q_concepts) and not q_concepts & all_concepts),
        "other_story": float(bool(q_concepts) and not q_concepts & all_concepts and structure is not None
                             and structure.specific_story),
        **{f"reason:{k}": 1.0 for k in reasons},
        **_premise(info, answer),
        **_involvement(info, structure),
        **_semantic(info, answer, structure),
    }
    if info.kind == "opening" and structure is not None:
        from .coverage import opening_criteria

        f["opening_parts"] = sum(c.met for c in opening_criteria(structure)) / 4
    if info.kind == "coverage" and info.guidance and structure is not None:
        f["points"] = min(1.0, (_points_covered(info, structure) or 0) / 2)
    if info.kind == "coverage" and structure is not None and structure.sentences:
        # a knowledge question answered with the candidate's own past (a story, a career, a grievance)
        from ..scoring.star_features import action_verbs

        mine = sum(action_verbs(s.text.lower())[0] > 0 or bool(re.search(r"\bmy (?:last|old|previous|current|former)\b",
                   s.text.lower())) for s in structure.sentences)
        f["knowledge:own_past"] = mine / len(structure.sentences)
    return f, reasons


def _probability(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = sum(w * feats.get(k, 0.0) for k, w in weights.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def check_topic(info: QuestionInfo, answer: str, structure: Structure | None = None) -> TopicCheck | None:
    """The topic check of one answer; None when there is no question to check against."""
    from ..scoring.star_model import load_model

    if not info.text or not answer.strip():
        return None
    model = load_model()
    if not model.topic:
        return None
    feats, reasons = topic_features(info, answer, structure)
    score = _probability(model.topic, feats)
    on = score >= (TOPIC_MIN if model.topic_min is None else model.topic_min)
    why = "" if on else next(iter(reasons.values()), "it shares almost nothing with the question or what a "
                                                        "strong answer covers")
    q_concepts = concepts(info.text) or concepts(" ".join(info.tags))
    found = sorted(q_concepts & concepts(answer))
    return TopicCheck(on_topic=on, score=round(score, 3), why=why, question_concepts=sorted(q_concepts),
                      matched_concepts=found, judge="offline")
