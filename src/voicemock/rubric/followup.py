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
                            r"presented|promoted|compliant|sign\w*|renew\w*|won|lost|saved|skeptical|preferred)\b")
_REASON_ASKS = {"no measurable result": "outcome", "mostly 'we'": "personal_action", "vague actions": "personal_action",
                "not a specific story": "detail"}


def _own_rubric(reason: str | None) -> bool:
    """A probe of an opening, view or coverage question ("opening: future", "view: example",
    "coverage"): its follow-up is
    judged as a detail and graded by the question's own rubric, not as a STAR part."""
    return bool(reason and reason.startswith(("opening", "coverage", "view")))


def probe_asks_for(probe: str, reason: str | None = None) -> str:
    """outcome | personal_action | lesson | detail: what a probe asks for."""
    if reason in _REASON_ASKS:
        return _REASON_ASKS[reason]
    if _own_rubric(reason):
        return "detail"
    if _LESSON.search(probe):
        return "lesson"
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
    own_rubric = _own_rubric(reason)
    measurable = asks == "outcome" and (reason == "no measurable result" or bool(_MEASURABLE.search(probe)))
    hit: int | None = None
    for k, (lab, c) in enumerate(zip(labels, cleaned)):
        if _UNKNOWN.search(c) or _GENERAL.search(c):  # a dodge, whatever its label
            continue
        if asks == "lesson" and lab == "R" and not (lx.R_LEARN.search(c) or re.search(
                r"\b(?:now i|i'd|i would|next time|that (?:the|you|i)|i (?:always|never) )", c)):
            continue
        if asks == "outcome" and lab == "R" and not (lx.R_STRONG.search(c) or lx.R_CHANGE.search(c) or lx.METRIC.search(c)
                                                     or _OUTCOME_WORDS.search(c)):
            continue
        if asks in ("outcome", "lesson") and lab == "R" and (not measurable or lx.METRIC.search(c)):
            hit = k
        elif asks == "personal_action" and lab in "AT" and action_kind(c) in (
                ("concrete",) if reason == "vague actions" else ("concrete", "vague")):
            hit = k
        elif asks == "detail" and (lab != "O" or own_rubric and len(c.split()) >= 4):
            hit = k  # an opening or a coverage answer's sentences need not be STAR parts
        if hit is not None:
            break
    if reason == "not a specific story" and joint.judgements is not None and not joint.judgements.specific_story.value:
        hit = None  # asked for one real time it happened, told what one would do again
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
