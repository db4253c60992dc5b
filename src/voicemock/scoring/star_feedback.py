"""The STAR suggestions a coach would give, each about one whole sentence of the answer.

:func:`candidates` lists every suggestion that applies as a :class:`Tip` (priority, the index of
the sentence it is about, the message quoting that sentence whole); :func:`pick` keeps the three
most important about different sentences. The rubric (:mod:`voicemock.rubric.offline`) adds its
own tips (delivery, topic, question kind) to the same pool before picking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..models import Structure
from ..targets import JUDGE_MIN_WORDS, WEAK_PART_SCORE, WEAK_PART_TIP_PRIORITY
from .lexicon import DISCOURSE_FILLERS, NO_CONTENT_WORDS, is_hesitation
from .text import looks_english

MAX_TIPS = 3


@dataclass(frozen=True)
class Tip:
    priority: int
    sentence: int | None  # index into Structure.sentences; None when about the answer as a whole
    message: str
    topic: str = "structure"  # structure | delivery | topic | kind | nothing (no answer to judge)
    part: str | None = None  # the STAR part it would raise: situation | task | action | result
    # the same tip about other sentences, (index, message), for when another tip already quotes this one
    alternatives: tuple[tuple[int | None, str], ...] = ()


#: Words that are fillers on their own ("so", "yeah", "well"), unlike "yes" or "and".
_FILLER_WORDS = frozenset(f for f in DISCOURSE_FILLERS if " " not in f) | {"yeah", "okay", "ok", "oh", "er", "um", "uh"}
#: The longest quote of an answer with nothing to judge (only fillers, a few words).
SAID_MAX_CHARS = 160


def quote(text: str) -> str:
    """A sentence as quoted in feedback: whole, whitespace collapsed."""
    return re.sub(r"\s+", " ", text).strip()


def nothing_to_judge(st: Structure, cleaned: list[str]) -> Tip | None:
    """The one message for an answer with too little in it to judge (no speech, only fillers, a few
    words: under JUDGE_MIN_WORDS once fillers are removed), else None. STAR tips about such an
    answer ("says what you would do") would judge words that are not there."""
    if not st.sentences:
        return Tip(10, None, "No speech was transcribed: answer out loud with one specific story.", topic="nothing")
    said = quote(" ".join(s.text for s in st.sentences))
    english = looks_english(said)
    if len(said) > SAID_MAX_CHARS:  # a megabyte of "um um um" is not quoted whole
        said = said[:SAID_MAX_CHARS].rsplit(" ", 1)[0] + " ..."
    if not english:
        return Tip(10, None, f'"{said}" does not read as English: voicemock judges answers in English (its speech '
                             "model knows only English). Answer in English to get feedback.", topic="not_english")
    words = 0
    # words only: punctuation ("...", a lone dash) is no word
    for w in (w for c in cleaned for w in re.findall(r"[\w']+", c.lower())):  # stops once there is enough to judge
        words += w.strip("'") not in NO_CONTENT_WORDS and not is_hesitation(w.strip("'"))
        if words >= JUDGE_MIN_WORDS:
            return None
    if words == 0:
        spoken = re.findall(r"[\w']+", said.lower())
        fillers_only = all(is_hesitation(w) or w in _FILLER_WORDS for w in spoken)  # "Um, uh, so, yeah", not "Yes."
        only = "Only fillers were heard" if fillers_only else "Only a word or two with no content were heard"
        return Tip(10, None, f'{only} ("{said}"): there is no answer to judge yet. Answer out loud '
                             "with one specific story: the situation, what you did and how it ended.", topic="nothing")
    return Tip(10, None, f'"{said}" is {words} word{"s" * (words != 1)}: too short to judge. Answer out loud with '
                         "one specific story: the situation, what you did and how it ended.", topic="nothing")


def run_on_tip(st: Structure) -> Tip | None:
    """A tip about the longest spoken run-on (RUN_ON_WORDS words or more that never end a sentence),
    quoting its first sentence; None when there is none."""
    if not st.run_ons:
        return None

    def words(run: list[int]) -> int:
        return sum(len(s.text.split()) for s in st.sentences[run[0] : run[1] + 1])

    run = max(st.run_ons, key=words)
    first = run[0]
    advice = ('end a sentence after each step instead of joining them with "and then", and say the result in a '
              "sentence of its own.")
    others = tuple((k, f'"{quote(st.sentences[k].text)}" is part of {words(run)} words said without a sentence '
                       f"ending; {advice}") for k in range(run[0] + 1, run[1] + 1))
    return Tip(8, first, f'From "{quote(st.sentences[first].text)}" on, {words(run)} words go by without a sentence '
                         f"ending; {advice}", alternatives=others)


def candidates(st: Structure, cleaned: list[str]) -> list[Tip]:
    """Every STAR suggestion that applies, most important first (only the one message of
    :func:`nothing_to_judge` when there is no answer to judge)."""
    sents = st.sentences
    nothing = nothing_to_judge(st, cleaned)
    if nothing is not None:
        return [nothing]
    j = st.judgements
    tips: list[Tip] = []

    def add(priority: int, index: int | None, message: str, part: str | None = None,
            others: list[int] | None = None, other_message: str | None = None) -> None:
        if index is None or not 0 <= index < len(sents):
            index = len(sents) - 1
        alts = tuple((k, (other_message or message).replace("{q}", quote(sents[k].text)))
                     for k in others or [] if k != index)
        tips.append(Tip(priority, index, message.replace("{q}", quote(sents[index].text)), part=part,
                        alternatives=alts))

    last = len(sents) - 1
    labels = [s.label for s in sents]
    actions = [k for k, lab in enumerate(labels) if lab == "A"]
    we_idx = [k for k, c in enumerate(cleaned) if re.search(r"\bwe\b", c) and labels[k] in "AR"]
    # a vague-action tip quotes only what the candidate says they did themselves ("I dealt with it"):
    # a "we"-only sentence labelled A may be context ("We used Jira for everything") and is the
    # "we" tip's business
    vague = [k for k, kind in sorted(j.action_kinds.items()) if kind == "vague" and labels[k] == "A"] if j else []
    own = [k for k, kind in sorted(j.action_kinds.items()) if kind == "concrete" and labels[k] == "A"] if j else []
    if j is not None and not j.specific_story.value:
        add(10, j.specific_story.sentence if j.specific_story.sentence is not None else 0,
            '"{q}" says what you would do or usually do; tell one specific time it happened: where you '
            "were, what you did, how it ended.", "situation")
    # an answer that tells no story has no ending, task or steps to ask about: the tip above says
    # what to do ("tell one specific time"); the story tips would only send it the wrong way
    story = j is None or j.specific_story.value
    if story and j is not None and not j.result_present.value:
        add(9, j.result_present.sentence if j.result_present.sentence is not None else last,
            'The story stops at "{q}"; add how it ended: the outcome, a number, what you learned.', "result")
    elif story and j is not None and not j.result_measurable.value:
        add(6, j.result_measurable.sentence, 'Put a number on "{q}": time saved, a percentage, users, money.',
            "result")
    if story and st.missing_personal_action:
        if we_idx:
            add(9, we_idx[0], 'In "{q}" say what you did yourself: "I ..." rather than "we ...".', "action")
        else:
            add(9, next((k for k, lab in enumerate(labels) if lab in "TS"), last),
                'After "{q}" walk through the steps you took yourself: "I ...".', "action")
    elif story:
        if j is not None and not j.actions_concrete.value and vague:
            add(8, vague[0],
                '"{q}" does not say what you actually did; name the step, what it was applied to and a '
                'detail, e.g. "I split the merge into four partitions".', "action", vague)
        elif j is not None and not j.actions_concrete.value and own:
            # every own action passed the sentence rule, yet the answer's actions are judged not concrete:
            # the one with the least detail is where to add it
            by_detail = sorted(own, key=lambda k: (len(cleaned[k].split()), k))
            add(8, by_detail[0],
                '"{q}" is your step with the least detail; say exactly what you did, to what, and how: a name, '
                'a number, a tool, e.g. "I split the merge into four partitions".', "action", by_detail)
        if st.ownership.we > st.ownership.i and we_idx:
            add(7, we_idx[0], 'Most action sentences say "we"; in "{q}" name your own part.', "action", we_idx)
    if st.balance == "too_short":  # the answer as a whole, first: every other tip is about a part of too little
        words = sum(len(c.split()) for c in cleaned)
        add(10, last, f'The whole answer is {words} words; after "{{q}}" go into detail: your steps, '
            "what changed, and by how much.")
    if st.balance == "situation_heavy" or (j is not None and j.rambling.value and j.situation_share >= 0.5):
        s_idx = [k for k, lab in enumerate(labels) if lab == "S"]
        longest = max(s_idx, key=lambda k: len(sents[k].text)) if s_idx else 0
        add(8, longest, f"The background is {round(100 * st.parts.situation.share)}% of the answer; "
            'shorten "{q}" and get to what you did.', "situation")
    elif j is not None and j.rambling.value:
        add(7, j.rambling.sentence, '"{q}" does not move the story forward; cut it and keep to what '
            "happened, what you did and how it ended.")
    elif st.balance == "action_light" and not st.missing_personal_action:
        add(7, actions[0] if actions else last, 'Spend more time on your actions: expand "{q}" into the steps you took.',
            "action")
    run_on = run_on_tip(st)
    if run_on is not None:
        tips.append(run_on)
    if story and j is not None and not j.task_stated.value and actions:
        context = [k for k in range(actions[0]) if labels[k] == "S"][-1:]
        add(4, actions[0], 'Before "{q}" say what your goal or responsibility was.', "task", context,
            'After "{q}" say what your goal or responsibility was.')
    if not st.parts.situation.present:
        add(3, 0, 'Open with one sentence of context before "{q}": where, when, what was at stake.', "situation")
    return sorted(tips, key=lambda t: -t.priority)


def part_tip(st: Structure, part: str) -> Tip:
    """A tip for a STAR part that scored low when no other tip is about it, quoting the part's first
    sentence (or the answer's first when the part is missing)."""
    from ..targets import AREAS

    code = part[0].upper()
    index = next((k for k, s in enumerate(st.sentences) if s.label == code), None)
    there = index is not None
    index = index if index is not None else 0
    q = quote(st.sentences[index].text) if st.sentences else ""
    where = f'"{q}" is the {part}; make it count: ' if there else f'The answer has no {part} ("{q}" is not one): '
    return Tip(WEAK_PART_TIP_PRIORITY, index if st.sentences else None,
               where + AREAS[part].advice[0].lower() + AREAS[part].advice[1:], part=part)


def weakest_first(tips: list[Tip], st: Structure, scores: dict[str, int]) -> list[Tip]:
    """Tips that follow from the weakest parts: every STAR part scoring WEAK_PART_SCORE or less gets a
    tip (:func:`part_tip` when no other is about it), ranked at least WEAK_PART_TIP_PRIORITY, so a
    lower-priority tip (a number, a task, the context) never takes its place."""
    weak = [p for p, v in scores.items() if v <= WEAK_PART_SCORE]
    out = [replace(t, priority=max(t.priority, WEAK_PART_TIP_PRIORITY)) if t.part in weak else t for t in tips]
    have = {t.part for t in tips}
    out += [part_tip(st, p) for p in weak if p not in have and st.sentences]
    return sorted(out, key=lambda t: (-t.priority, t.part not in weak))  # a weak part's tip first among equals


def pick(tips: list[Tip], n: int = MAX_TIPS, reserve_delivery: bool = False) -> list[Tip]:
    """The ``n`` most important tips, each about a different sentence (fewer when they run out).

    With ``reserve_delivery`` the most important delivery tip takes one of the places, the last:
    the structure's tips choose their sentences first, and the delivery tip quotes another sentence
    or none (a pace tip quoting the last sentence once pushed out "The story stops at <that
    sentence>; add how it ended").
    """
    ordered = sorted(tips, key=lambda t: -t.priority)
    nothing = [t for t in ordered if t.topic in ("nothing", "not_english")]
    if nothing:  # no answer to judge: that one message, nothing about delivery or structure
        return nothing[:1]
    reserved = [t for t in ordered if t.topic == "delivery"][:1] if reserve_delivery else []
    rest = [t for t in ordered if not (reserved and t.topic == "delivery")]
    chosen: list[Tip] = []
    seen: set[int] = set()

    def add(t: Tip) -> None:
        if t.sentence is not None and t.sentence in seen:  # quoted already: the same tip about another sentence
            alt = next(((k, m) for k, m in t.alternatives if k is None or k not in seen), None)
            if alt is None:
                return
            t = replace(t, sentence=alt[0], message=alt[1])
        if t.topic == "delivery" and any(c.topic == "delivery" for c in chosen):
            return
        chosen.append(t)
        if t.sentence is not None:
            seen.add(t.sentence)

    for t in rest:
        if len(chosen) >= n - len(reserved):
            break
        add(t)
    for t in reserved:
        add(t)
    structure = [t for t in chosen if t.topic != "delivery"]
    return sorted(structure, key=lambda t: -t.priority) + [t for t in chosen if t.topic == "delivery"]


def star_feedback(st: Structure, cleaned: list[str]) -> list[str]:
    """The three most useful STAR suggestions, each quoting a whole sentence."""
    return [t.message for t in pick(candidates(st, cleaned))]
