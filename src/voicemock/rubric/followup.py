"""Follow-ups judged as follow-ups: against their probe, and as the rest of the main answer.

A follow-up answer is labelled *in the context of the main answer*: the two transcripts are
analysed as one answer (main first), so "In the end the backlog dropped 30%" after a story is a
result, not a lone sentence missing its context. The follow-up's sentences then say what it
supplies (S/T/A/R) and whether it answered what the probe asked for:

- ``outcome``: a result sentence (with a number when the probe asks for something measurable);
- ``personal_action``: an action sentence in the first person singular;
- ``lesson``: a result sentence (lessons count as results);
- ``detail``: any STAR part at all (not only talk that moves nothing forward).

The question then gets one combined score: the rubric of main answer + follow-ups together
(:func:`complete_question`). The practice loop calls that after each follow-up; history,
progress and plan use the main answer's ``combined`` result and never count follow-ups as
answers of their own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import AnswerResult, CombinedResult, FollowupCheck, Structure, Transcript, Word
from ..scoring import lexicon as lx
from ..scoring.judgements import action_kind
from ..scoring.star import analyze_structure, clean
from ..targets import FOLLOWUP_PROBE_BIAS

if TYPE_CHECKING:  # pragma: no cover
    from ..banks import Question
    from ..models import SessionAnswer

_OUTCOME = re.compile(r"\b(?:outcome|result|impact|happen\w*|end|turn(?:ed)? out|go\b|went|react\w*|respond\w*|"
                      r"change\w*|differen\w*|know|grown|came of|effect|numbers?)\b", re.I)
_PERSONAL = re.compile(r"\b(?:you personally|your (?:part|role|own)|did you (?:actually |personally )?do|"
                       r"what did you do|how did you (?:manage|handle|do)|you yourself|anything about it)\b", re.I)
_LESSON = re.compile(r"\b(?:learn\w*|lesson|differently|teach|taught|take (?:from|away)|again|next time|"
                     r"looking back|hindsight)\b", re.I)
_MEASURABLE = re.compile(r"\b(?:measur\w*|number\w*|metric\w*|quantif\w*|how (?:much|many|long)|percent\w*|"
                         r"data|figures?)\b", re.I)
PROBE_PART = {"outcome": "R", "lesson": "R", "personal_action": "A"}  # the STAR part each probe asks for
_UNKNOWN = re.compile(r"\b(?:not (?:totally |really |entirely )?sure what|don't (?:really )?know|no idea|never (?:found|heard)|"
                      r"can't (?:really )?remember|i forget)\b|"
                      r"^(?:honestly )?(?:i'm|i am) not (?:totally |really |entirely |that )?sure\W*$")
_GENERAL = re.compile(r"\b(?:just like that|in general|always (?:the case|like that)|everyone (?:struggles|knows)|"
                      r"is (?:just )?hard|(?:it's|is) a (?:real )?skill|people (?:are|just)|that's (?:just )?how)\b")
_OUTCOME_WORDS = re.compile(r"\b(?:went (?:well|fine|badly|smoothly)|worked|passed|success\w*|happy|pleased|"
                            r"thrilled|upset|annoyed|understanding|agreed|accepted|approved|adopted|became|"
                            r"got (?:better|worse|fixed)|improv\w*|complain\w*|fixed|resolved|started|stopped|"
                            r"presented|promoted|compliant|sign\w*|renew\w*|won|lost|saved|skeptical|sceptical|preferred|relieved|"
                            r"confident|extended|caught|took (?:it )?over|good practice|(?:within|after) (?:a|an|one|two|three|"
                            r"\d+) (?:day|week|month|quarter|year)s?|after that|since)\b")
#: An outcome said without saying anything ("it was fine, it all worked out", "things are better").
_VAGUE_OUTCOME = re.compile(r"\b(?:(?:it|that|everything|things|all|the process)(?: all)? (?:was|went|were|is|are|worked)"
                            r"(?: all| really| pretty| just| out)? (?:fine|ok|okay|good|great|well|alright|better|"
                            r"the way it should|out)|(?:it )?(?:all )?worked out(?: fine| ok| well)?)(?: in the end| eventually| after all)?\b")
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                          r"fifty|hundred|thousand|million|half|double|twice|none|zero|every|nobody|no one)\b")
#: A lesson as people say it: "that the way you say it counts", "now I always...", "I'd ... instead".
_LESSON_SAID = re.compile(r"^(?:that(?!'s| is| was)|to|how|not to|never|always)\b|\b(?:now i|i now|these days i|since then i|"
                          r"i'd|i would|next time|instead|i (?:always|never|make sure|try to) )")
#: A detail that names nothing ("it was around communication, that kind of thing").
_VAGUE_DETAIL = re.compile(r"\b(?:that kind of thing|that sort of thing|all sorts|stuff like that|and so on|and so forth|"
                           r"things like that|in general)\b")
#: A probe for a detail, whatever else it says ("Which forms, and what did you change?").
_DETAIL = re.compile(r"^(?:and |so )?(?:which|who|what specifically|what exactly|how did you (?:decide|pick|choose|"
                     r"prioriti\w+|know which))\b|\bwhat did you change\b", re.I)
#: A probe that asks how things ended, whatever else it asks ("Who did you raise it with and what came of it?").
_OUTCOME_ASKED = re.compile(r"\b(?:outcome|result|impact|happen\w*|came of|turn(?:ed)? out|react\w*|make a difference|"
                            r"did it work)\b", re.I)
#: A sentence that opens with the candidate doing something: a step, not how things ended.
_ACTION_FIRST = re.compile(r"^(?:so |and |then |well )*i (?!was|were|think|felt|feel|got|heard|found|saw)\w+ed\b")
_REASON_ASKS = {"no measurable result": "outcome", "mostly 'we'": "personal_action", "vague actions": "personal_action",
                "not a specific story": "detail"}


def probe_asks_for(probe: str, reason: str | None = None) -> str:
    """outcome | personal_action | lesson | detail: what a probe asks for."""
    if reason in _REASON_ASKS:
        return _REASON_ASKS[reason]
    if _LESSON.search(probe):
        return "lesson"
    if _DETAIL.search(probe) and not _OUTCOME_ASKED.search(probe):
        return "detail"
    if _PERSONAL.search(probe):
        return "personal_action"
    if _OUTCOME.search(probe):
        return "outcome"
    return "detail"


def _ended(text: str) -> str:
    text = text.strip()
    return text if not text or re.search(r"[.?!]$", text) else text + "."


def joined_transcript(parts: list[Transcript]) -> Transcript:
    """One untimed transcript of several answers in order, each ending a sentence."""
    texts = [_ended(p.text or " ".join(w.word for w in p.words)) for p in parts]
    text = " ".join(t for t in texts if t)
    return Transcript(text=text, words=[Word(word=w) for w in text.split()])


#: Label score added to the sentence that gave the part a probe asked for (enough to make it that part).
_GIVEN_BIAS = 20.0


def _gives(asks: str, label: str, c: str, said: str, *, measurable: bool, strict: bool) -> bool:
    """Does one cleaned follow-up sentence give what the probe asks for?

    Decided by what the sentence says more than by its STAR label: a follow-up read together with
    its main answer is often labelled as the story's context ("All seven kits were fully stocked
    within a week" after the story reads like its situation). Dodges never count: not knowing, a
    generality, a vague "it all worked out", a step one *would* take. ``c`` is the cleaned sentence,
    ``said`` the sentence as said (cleaning drops "that kind of thing")."""
    if _UNKNOWN.search(c) or _GENERAL.search(c):
        return False
    if asks == "outcome":
        said = _VAGUE_OUTCOME.sub(" ", c)  # "it all worked out in the end" says nothing of how
        evidence = bool(lx.R_STRONG.search(said) or lx.R_CHANGE.search(said) or lx.METRIC.search(said)
                        or _OUTCOME_WORDS.search(said))
        if measurable:
            return bool(lx.METRIC.search(c) or _NUMBER_WORD.search(c)) and (label == "R" or evidence)
        return evidence and not (label in ("S", "T") and _ACTION_FIRST.match(c))
    if asks == "lesson":
        return bool(lx.R_LEARN.search(c) or _LESSON_SAID.search(c))
    if asks == "personal_action":
        return action_kind(c) in (("concrete",) if strict else ("concrete", "vague"))
    return ((label != "O" or len(c.split()) >= 8) and action_kind(c) != "vague"
            and not (_VAGUE_OUTCOME.search(c) or _VAGUE_DETAIL.search(said.lower())))


def check_followup(main: Structure, main_transcript: Transcript, followup: Transcript, probe: str,
                   reason: str | None = None) -> tuple[FollowupCheck, Structure]:
    """Did the follow-up answer its probe, and what does it supply? Also the joint structure."""
    main_words = len(joined_transcript([main_transcript]).text.split())
    asks = probe_asks_for(probe, reason)
    part = PROBE_PART.get(asks)
    joint = analyze_structure(joined_transcript([main_transcript, followup]), bias_after_words=main_words,
                              bias={part: FOLLOWUP_PROBE_BIAS} if part else None)
    n_main = seen = 0
    while n_main < len(joint.sentences) and seen < main_words:  # the main text ends a sentence
        seen += len(joint.sentences[n_main].text.split())
        n_main += 1
    own = joint.sentences[n_main:]
    labels = [s.label for s in own]
    cleaned = [clean(s.text) for s in own]
    measurable = asks == "outcome" and (reason == "no measurable result" or bool(_MEASURABLE.search(probe)))
    hit = next((k for k, (lab, c, s) in enumerate(zip(labels, cleaned, own))
                if _gives(asks, lab, c, s.text, measurable=measurable, strict=reason == "vague actions")), None)
    if reason == "not a specific story" and joint.judgements is not None and not joint.judgements.specific_story.value:
        hit = None  # asked for one real time it happened, told what one would do again
    if hit is not None and part and labels[hit] != part:  # what answered the probe is that part of the story
        joint = analyze_structure(joined_transcript([main_transcript, followup]), bias_after_words=main_words,
                                  bias={part: FOLLOWUP_PROBE_BIAS}, sentence_bias={n_main + hit: {part: _GIVEN_BIAS}})
        own = joint.sentences[n_main:]
        labels = [s.label for s in own]
    supplies = sorted({lab for lab in labels if lab != "O"}, key="STAR".index)
    want = "one specific time it happened" if reason == "not a specific story" else {
        "outcome": "a measurable outcome" if measurable else "the outcome", "personal_action": "what you did yourself",
        "lesson": "what you learned", "detail": "the detail asked for"}[asks]
    why = f"it gives {want}" if hit is not None else f"the probe asked for {want}; the answer does not give it"
    check = FollowupCheck(probe=probe, asks_for=asks, answered=hit is not None, supplies=supplies, why=why,
                          quote=own[hit].text if hit is not None else (own[0].text if own else None))
    return check, joint


def complete_question(main: SessionAnswer, followups: list[SessionAnswer], question: Question | str | None) -> None:
    """Judge each follow-up against its probe and give the question one combined result.

    Sets ``followup_check`` on each follow-up, ``combined`` on the main answer, and makes each
    follow-up's rubric the combined one (what the candidate sees after answering the probe). Only
    a follow-up that answered its probe is graded with the main answer; one that did not (a
    dodge, a vague "it went well" to a probe for a number) leaves the question's score as it was.
    """
    from . import offline_rubric

    if main.result is None or main.result.structure is None:
        return
    parts = [main.result.transcript]
    structure = main.result.structure
    judged = 0
    for f in followups:
        r = f.result
        if r is None or not (r.transcript.text.strip() or r.transcript.words):
            continue
        check, joint = check_followup(structure, joined_transcript(parts), r.transcript, f.question, f.probe_reason)
        f.followup_check = check
        judged += 1
        if check.answered:  # a dodge adds nothing: "It went really well" to a probe for a number
            parts.append(r.transcript)
            structure = joint
    if not judged:
        return
    alone = offline_rubric(main.result.structure, main.result.delivery, question)
    rubric = offline_rubric(structure, main.result.delivery, question) if len(parts) > 1 else alone
    if rubric.overall < alone.overall or len(parts) == 1:
        # nothing answered, or what was said takes away more than it adds (a last sentence "I left the
        # company soon after" that ends the story without its result): the main answer's own score
        rubric = (main.result.rubric or alone).model_copy(deep=True)
        structure, parts = main.result.structure, parts[:1]
    if len(parts) > 1 and main.result.rubric is not None and main.result.rubric.judge == "llm":  # keep who judged the main answer
        rubric.llm_error = "the combined score of a question with follow-ups is the offline rubric's"
    main.combined = CombinedResult(rubric=rubric, structure=structure, followups=judged,
                                   answered=all(f.followup_check.answered for f in followups if f.followup_check))
    for f in followups:
        if f.result is not None and f.followup_check is not None:
            f.result.rubric = rubric.model_copy(deep=True)


def question_result(answer: SessionAnswer) -> tuple[AnswerResult | None, object]:
    """(result, rubric) that stand for a main answer's question: the combined ones when there are any."""
    if answer.combined is not None and answer.result is not None:
        return answer.result, answer.combined.rubric
    return answer.result, answer.result.rubric if answer.result is not None else None
