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
- **learned words** (``cross``): a second logistic regression over pairs of (a concept of the
  question, a word or word pair of the answer), e.g. ``feedback|i_told`` or ``deadline|no_rush``,
  fitted on the same labelled pairs (``topic_cross`` in the model file). It learns which words
  of an answer go with which kind of question beyond the hand-made evidence above; its score is
  one feature of the check, computed out of fold while the check is fitted. How often a kind of
  question was answered off topic in the training data is fitted apart and left out, so the
  words, not the question, decide.

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
from .kinds import QuestionInfo, asks_plan, is_custom

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
                     "adverse:trouble_sem", "central:kind")


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


def _semantic(info: QuestionInfo, answer: str, structure: Structure | None,
              story: list[str] | None = None) -> dict[str, float]:
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
        told = semantic.embed_many(story) if story else None  # the story without its lessons and denials
        lean = max((float(v @ pole) for v in told or sent_vecs or [ea]), default=0.0)
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


#: How a reason names a central concept.
_CONCEPT_WORDS = {"conflict": "a conflict", "failure": "a failure", "feedback": "feedback", "deadline": "a deadline",
                  "mentoring": "developing someone", "pressure": "pressure", "saying_no": "saying no",
                  "underperform": "someone not pulling their weight", "wellbeing": "someone struggling",
                  "customer": "a customer"}
#: Concepts that name who a story involves or frame any answer; never what a story is about.
_FRAME_CONCEPTS = frozenset({*_PEOPLE, "teamwork", "self", "career", "timeline"})
#: A concept word that is denied or reduced is not what happened ("zero failed payments",
#: "cut invoice errors by 40%", "without any conflict").
_NEGATED = re.compile(r"\b(?:no|zero|without|never|nothing|fewer|less|avoid\w*|prevent\w*|cut|reduc\w*|"
                      r"eliminat\w*|free of)\s+(?:\w+\s+){0,2}$")
#: Pieces of a sentence, so that "my colleague's release failed, and I helped" keeps its failure
#: with the colleague.
_CLAUSE = re.compile(r"[,;:]\s*|\s+(?:and|but|because|so|which|when|while|after|before|although|though|until)\s+")
_PEOPLE_WORDS = r"(?:colleague|co-?worker|teammate|manager|boss|lead|director|team|friend|client|customer|report|junior|senior|peer|partner|supervisor|engineer|developer|nurse|designer|analyst|staff|people|vp|ceo|cto|supplier|vendor|provider|contractor)s?"
#: The candidate in a sentence: a first-person pronoun, or "my"/"our" before something that is not a person.
_ME = re.compile(r"\b(?:i|i'm|i'd|i've|i'll|me|myself|we|we're|we'd|we've|us|ourselves)\b|"
                 r"\b(?:my|our)\s+(?!(?:\w+\s+)?" + _PEOPLE_WORDS + r"\b)")
#: A piece of a sentence that is about someone else ("my colleague's release failed", "the vendor
#: missed", "she clashed with the client"): a mention there is not the candidate's story.
_SOMEONE_ELSE = re.compile(r"^\s*(?:he|she|they|his|her|their|someone|somebody|(?:my|our|the|a|an|one of (?:my|our|the))\s+"
                           r"(?:\w+\s+)?" + _PEOPLE_WORDS + r"(?:'s)?)\b")


def _central(q_concepts: set[str], structure: Structure | None,
             answer: str) -> tuple[dict[str, float], set[str], list[str]]:
    """Whether what the question is about is what the story is about.

    The question's central concepts are its concepts beyond the people and framing ones ("conflict"
    in "a conflict with a colleague": a colleague mentioned is no conflict). A mention counts when it
    is neither denied nor reduced ("zero failed payments", "cut errors by 40%") and not in a lesson
    ("I learned to plan for a dependency failing"; a result or aside is read up to its lesson cue). ``central:story``: the share of central concepts
    said so in a sentence carrying the story (situation, task, action, or a result);
    ``central:said``: in any sentence; ``central:own``: said in a story sentence with the candidate in it,
    in a piece of it that is not about someone else ("I missed", "we clashed", "I planned the
    lesson and it flopped", not "my colleague's release failed and I rolled it back");
    ``central:kind``: how far the story leans to the question's kind of story rather than another
    (a deadline story told for a conflict question leans to "deadline"). Also returns the central
    concepts named only in lessons, denials or reductions, and the story sentences without their
    lessons and denied words."""
    central = q_concepts - _FRAME_CONCEPTS
    if not central:
        return {}, set(), []
    if structure is not None and structure.sentences:
        sentences = [(s.label, s.text.lower()) for s in structure.sentences]
    else:
        sentences = [("A", t) for t in re.split(r"(?<=[.!?])\s+", answer.lower()) if t]
    said: set[str] = set()
    in_story: set[str] = set()
    own: set[str] = set()
    story = []
    for label, sentence in sentences:
        lesson = lx.R_LEARN.search(sentence) if label in ("R", "O") else None
        if lesson:  # what it teaches is no part of the story: "I didn't get there, but I learned..."
            sentence = sentence[:lesson.start()].strip()
            if not sentence:
                continue
        is_story = label in ("S", "T", "A", "R")
        cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence) + 1]
        denied: list[tuple[int, int]] = []
        for name in central:
            for m in _CONCEPTS[name].finditer(sentence):
                start = max(c for c in cuts if c <= m.start())
                end = min((c for c in cuts if c > m.end()), default=len(sentence))
                if _NEGATED.search(sentence[start:m.start()]):
                    denied.append((m.start(), m.end()))
                    continue
                said.add(name)
                if is_story:
                    in_story.add(name)
                    if _ME.search(sentence) and not _SOMEONE_ELSE.search(sentence[start:end]):
                        own.add(name)
        if is_story:  # what the sentence tells, without the words it denies ("zero failed payments")
            for a, b in sorted(denied, reverse=True):
                sentence = sentence[:a] + sentence[b:]
            story.append(sentence)
    anywhere = central & concepts(answer)
    n = len(central)
    out = {"central": 1.0, "central:said": len(said) / n, "central:story": len(in_story) / n,
           "central:own": len(own) / n}
    kinds = sorted(central & set(lx.STORY_KIND_PROTOTYPES))
    if kinds and story:
        lean = _kind_lean(kinds[0], tuple(story))
        if lean is not None:
            out["central:kind"] = lean
    return out, anywhere - said, story


@lru_cache(maxsize=1)
def _kind_vectors() -> Any:
    """(kind names, one unit vector per kind of story) from lexicon.STORY_KIND_PROTOTYPES; None without the model."""
    import numpy as np

    from ..scoring import semantic

    names, vecs = [], []
    for name, texts in lx.STORY_KIND_PROTOTYPES.items():
        vs = [v for v in (semantic.embed_cached(t) for t in texts) if v is not None]
        if len(vs) != len(texts):
            return None
        m = np.mean(vs, axis=0)
        names.append(name)
        vecs.append(m / (np.linalg.norm(m) or 1.0))
    return tuple(names), np.stack(vecs)


def _kind_lean(kind: str, story: tuple[str, ...]) -> float | None:
    """How far the story sentence that leans most towards ``kind`` of story leans towards it rather
    than towards the nearest other kind (-1..1; a deadline story told for a conflict question is
    negative)."""
    from ..scoring import semantic

    table = _kind_vectors()
    vecs = semantic.embed_many(list(story))
    if table is None or not vecs:
        return None
    names, mat = table
    k = names.index(kind)
    best = -1.0
    for v in vecs:
        sims = mat @ v
        best = max(best, float(sims[k]) - max(float(x) for i, x in enumerate(sims) if i != k))
    return max(-1.0, min(1.0, best / 0.1))


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
    central, passing, story = _central(q_concepts, structure, answer) if info.asks_story else ({}, set(), [])
    # a central concept named only in a lesson or a denial is no concept of the story
    story_concepts, all_concepts = story_concepts - passing, all_concepts - passing
    a_concepts = story_concepts if info.asks_story else all_concepts
    material = " ".join([info.text or "", info.guidance, " ".join(info.tags), info.example])
    words = min(1.0, _cosine(answer, material) / TOPIC_COSINE_FULL)
    reasons = _reasons(info, answer, q_concepts, a_concepts, structure, words)
    if central.get("central:said", 1.0) == 0 and central.get("central:kind", 1.0) < 0:
        what = " and ".join(_CONCEPT_WORDS.get(c, c.replace("_", " ")) for c in sorted(q_concepts - _FRAME_CONCEPTS))
        reasons["central"] = f"the question is about {what}; the story is about something else"
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
        **central,
        **_semantic(info, answer, structure, story),
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


_WORD = re.compile(r"[a-z']+")


def cross_concepts(question: str) -> list[str]:
    """The question's side of the learned-words keys: its concepts, or "none"."""
    return sorted(concepts(question)) or ["none"]


def cross_values(question: str, answer: str) -> dict[str, float]:
    """The learned-words model's inputs: a key per (question concept, answer word or word pair),
    each 1/sqrt(the answer's distinct words and pairs), so a long answer weighs no more than a
    short one."""
    words = _WORD.findall(answer.lower())
    tokens = set(words) | {f"{a}_{b}" for a, b in zip(words, words[1:])}
    value = 1 / math.sqrt(max(1, len(tokens)))
    return {f"{c}|{t}": value for c in cross_concepts(question) for t in tokens}


def cross_score(cross: dict[str, Any], question: str, answer: str) -> float:
    """The learned-words model's log-odds that ``answer`` addresses ``question``, divided by CROSS_SCALE."""
    weights = cross.get("weights", {})
    z = float(cross.get("bias", 0.0)) + sum(weights.get(k, 0.0) * v for k, v in cross_values(question, answer).items())
    return z / CROSS_SCALE


#: The learned-words score enters the check divided by this (log-odds of about +-5 map to +-1).
CROSS_SCALE = 5.0


def _probability(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = sum(w * feats.get(k, 0.0) for k, w in weights.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def custom_check(info: QuestionInfo, answer: str, structure: Structure | None) -> TopicCheck | None:
    """The topic check of a question no bank holds (the user's own ``--question``): a rule, not
    the learned check.

    The learned check was fitted on bank questions with their guidance, tags and example, and on
    pairs whose off-topic answers were written to share the question's words; on 60 answers to
    questions no bank holds, written and labelled by a helper who never saw the code
    (``benchmarks/data/star_custom_dev``), it flagged 18 of the 30 on-topic ones, and a flag caps
    the score at 35. Word and meaning overlap did not tell those pairs apart there; what did is
    whether the answer is the kind of answer the question asks for. So an answer is off topic only
    when a question that asks for one past time gets no specific story (general views, what one
    would do), or a question that asks what one would do gets a past story that says nothing of
    what one would do. Anything else (a weakness, a motivation, what one knows of a company) is
    not flagged offline: only the LLM judge, when configured, can tell. ``score`` is 0 (flagged)
    or 1."""
    from ..scoring.star import clean

    if structure is None or not structure.sentences or structure.judgements is None:
        return None
    story = structure.judgements.specific_story.value
    plan = any(lx.HYPOTHETICAL.search(clean(s.text)) for s in structure.sentences)  # says what one would do
    why = ""
    if info.asks_story and not story:
        why = ("the question asks for one time it happened; the answer talks in general or about what you "
               "would do")
    elif asks_plan(info) and not info.asks_story and story and not plan:
        # (a question that also asks for a story, "Tell me about a conflict. How did you handle it, and
        # what would you do differently?", is answered by one)
        why = "the question asks what you would do; the answer tells what happened once and not what you would do"
    return TopicCheck(on_topic=not why, score=0.0 if why else 1.0, why=why, question_concepts=[],
                      matched_concepts=[], judge="offline", limited=True)


def check_topic(info: QuestionInfo, answer: str, structure: Structure | None = None) -> TopicCheck | None:
    """The topic check of one answer; None when there is no question to check against."""
    from ..scoring.star_model import load_model

    if not info.text or not answer.strip():
        return None
    if is_custom(info) or info.kind == "view":  # the learned check never saw a view question
        return custom_check(info, answer, structure)
    model = load_model()
    if not model.topic:
        return None
    feats, reasons = topic_features(info, answer, structure)
    if model.topic_cross:
        feats["cross"] = cross_score(model.topic_cross, info.text, answer)
    score = _probability(model.topic, feats)
    on = score >= (TOPIC_MIN if model.topic_min is None else model.topic_min)
    why = "" if on else next(iter(reasons.values()), "it reads like an answer to a different question: little of "
                                                        "it is about what this question asks")
    q_concepts = concepts(info.text) or concepts(" ".join(info.tags))
    found = sorted(q_concepts & concepts(answer))
    return TopicCheck(on_topic=on, score=round(score, 3), why=why, question_concepts=sorted(q_concepts),
                      matched_concepts=found, judge="offline")
