"""What every report shows, computed once: per answer, the transcript as tokens (words with their
time, filler flag and STAR label, plus markers for long pauses and acoustic fillers), the coach's
notes and overrides beside the automatic scores, and the problems met while loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Annotation, AnswerResult, Filler, ReviewAnswer, ReviewDocument, SessionAnswer
from ..scoring.lexicon import is_hesitation
from ..scoring.star import answer_text
from ..sessions.annotations import latest_scores, notes_for
from ..sessions.corrections import NOT_FILLER_TOLERANCE_S, corrected_delivery, not_fillers_for, rejected_fillers
from ..sessions.read import LoadedSession

LABEL_NAMES = {"S": "situation", "T": "task", "A": "action", "R": "result", "O": "other"}
_EPS = 0.05


@dataclass
class Token:
    kind: str  # "word" | "pause" | "filler" (an acoustic filler not in the transcript)
    text: str
    start: float | None = None
    end: float | None = None
    filler: bool = False
    label: str | None = None  # S/T/A/R/O
    index: int | None = None  # position in transcript.words (kind == "word")
    uncertain: bool = False  # a filler below the confidence that counts (shown, not counted)
    confidence: float | None = None  # the filler's confidence
    rejected: bool = False  # a detected filler the coach marked as not a filler (not counted)
    glue: bool = False  # a word written with no space before it ("mid" "-sized", "40" "%")


@dataclass
class AnswerView:
    number: int
    answer: SessionAnswer
    result: AnswerResult | None
    tokens: list[Token]
    audio: Path | None
    notes: list[Annotation] = field(default_factory=list)
    coach_scores: dict[str, int] = field(default_factory=dict)
    #: detected fillers the coach marked wrong (``annotate --not-filler``); ``result`` counts without them
    rejected: list[Filler] = field(default_factory=list)

    question_score: int | None = None  # the question's one score (main answer + follow-ups)

    @property
    def title(self) -> str:
        suffix = " (follow-up)" if self.answer.kind == "followup" else ""
        return f"{self.answer.question_id}{suffix}"

    @property
    def rejected_line(self) -> str | None:
        """The coach's filler corrections, in words (None when there are none)."""
        if not self.rejected:
            return None
        items = ", ".join(f"{'uh (heard in the audio)' if f.source == 'acoustic' else f.word} at {f.start:.1f} s"
                          for f in self.rejected if f.start is not None)
        n = len(self.rejected)
        return f"coach: {n} detected filler{'s' if n > 1 else ''} marked as not a filler ({items}); not counted"

    @property
    def probe_line(self) -> str | None:
        """For a follow-up: the probe, whether it was answered and why."""
        c = self.answer.followup_check
        if self.answer.kind != "followup":
            return None
        if c is None:
            return f"Probe: {self.answer.question}"
        return f"Probe: {c.probe} — {'answered' if c.answered else 'not answered'} ({c.why})"


@dataclass
class ReviewView:
    loaded: LoadedSession
    answers: list[AnswerView]
    problems: list[str]
    notes: list[Annotation]

    @property
    def session(self):
        return self.loaded.session


def _norm(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def tokens_for(result: AnswerResult | None) -> list[Token]:
    if result is None:
        return []
    words = result.transcript.words
    if not words:
        words_text = result.transcript.text.split()
        toks = [Token("word", w, index=None) for w in words_text]
        _label_sequential(toks, result)
        return toks
    toks = [Token("word", w.word.strip(), w.start, w.end, index=i) for i, w in enumerate(words)]
    _mark_fillers(toks, result)
    if any(s.start is not None for s in (result.structure.sentences if result.structure else [])):
        _label_by_time(toks, result)
    else:
        _label_sequential(toks, result)
    toks = _insert_markers(toks, result)
    _mark_glue(toks, result)
    return toks


def _mark_glue(toks: list[Token], result: AnswerResult) -> None:
    """Flag the words that follow the previous word with no space, as the transcript spells them
    (Whisper gives "mid-sized" as "mid" + "-sized"): reports join them again."""
    _, spans = answer_text(result.transcript)
    if len(spans) != len(result.transcript.words):
        return
    for prev, t in zip(toks, toks[1:]):
        if (t.kind == "word" and prev.kind == "word" and t.index and prev.index == t.index - 1
                and spans[t.index - 1][1] == spans[t.index][0]):
            t.glue = True


def _covered(toks: list[Token], start: float, end: float) -> list[Token]:
    """The timed words that overlap start-end by more than 10 ms at each side."""
    return [t for t in toks if t.kind == "word" and t.start is not None and t.end is not None
            and t.start < end - 0.01 and t.end > start + 0.01]


#: How far from a hesitation's audio times its um/uh word may lie in the transcript (Whisper's word
#: times and the acoustic detector's differ by a few hundred milliseconds): as far as a coach's
#: "--not-filler TIME" may lie from it, so the time shown on the word finds the filler.
_HESITATION_SLACK_S = NOT_FILLER_TOLERANCE_S


def _nearest_hesitation(toks: list[Token], start: float, end: float) -> list[Token]:
    """The unmarked um/uh word nearest to a hesitation's times (within the slack), as a list."""
    near = [t for t in toks if t.kind == "word" and t.start is not None and not t.filler and is_hesitation(_norm(t.text))
            and t.start - _HESITATION_SLACK_S <= end and start <= (t.end or t.start) + _HESITATION_SLACK_S]
    return sorted(near, key=lambda t: abs(t.start - start))[:1]  # type: ignore[operator]


def _mark_fillers(toks: list[Token], result: AnswerResult) -> None:
    """Flag the words a transcript filler covers: by time overlap, else by its words in order."""
    minimum = result.delivery.filler_confidence_min
    for f in result.delivery.fillers:
        if f.source != "transcript":
            continue
        mark = {"filler": True, "uncertain": f.confidence < minimum, "confidence": f.confidence}
        if f.start is not None and f.end is not None:
            hit = _covered(toks, f.start, f.end)
            if f.kind == "hesitation":  # its times may be the audio's: mark the um/uh word itself, never
                hit = [t for t in hit if is_hesitation(_norm(t.text))] or _nearest_hesitation(toks, f.start, f.end)
            if hit:
                for t in hit:
                    t.__dict__.update(mark)
                continue
        parts = [_norm(p) for p in f.word.split()]
        for i in range(len(toks) - len(parts) + 1):
            window = toks[i:i + len(parts)]
            if not any(t.filler for t in window) and [_norm(t.text) for t in window] == parts:
                for t in window:
                    t.__dict__.update(mark)
                break


def _label_by_time(toks: list[Token], result: AnswerResult) -> None:
    sentences = result.structure.sentences  # type: ignore[union-attr]
    for t in toks:
        if t.start is None:
            continue
        for s in sentences:
            if s.start is not None and s.end is not None and s.start - _EPS <= t.start <= s.end + _EPS:
                t.label = s.label
                break


def _label_sequential(toks: list[Token], result: AnswerResult) -> None:
    if not result.structure:
        return
    i = 0
    for s in result.structure.sentences:
        n = len(s.text.split())
        for t in toks[i:i + n]:
            t.label = s.label
        i += n


def _acoustic_marker(f: Filler, minimum: float, rejected: bool = False) -> Token:
    """A hesitation heard only in the audio, as a token of its own: "uh" on the page (its word is
    "(hesitation)", and the reports bracket fillers themselves)."""
    return Token("filler", "uh", f.start, f.end, filler=True, uncertain=f.confidence < minimum,
                 confidence=f.confidence, rejected=rejected)


def _insert_markers(toks: list[Token], result: AnswerResult, extra: list[Token] | None = None,
                    own: bool = True) -> list[Token]:
    """Pause and acoustic-filler tokens (``own``) and ``extra`` ones put among the words by time."""
    markers: list[Token] = []
    if own:
        minimum = result.delivery.filler_confidence_min
        markers += [Token("pause", f"{p.end - p.start:.1f}s", p.start, p.end) for p in result.delivery.pauses]
        markers += [_acoustic_marker(f, minimum) for f in result.delivery.fillers
                    if f.source == "acoustic" and f.start is not None]
    markers += extra or []
    if not markers:
        return toks
    out = list(toks)
    for m in sorted(markers, key=lambda m: m.start or 0.0):
        key = (m.end or m.start or 0.0) - _EPS if m.kind == "pause" else (m.start or 0.0)
        # a filler goes before the word whose middle comes after it (Whisper often starts the word
        # after a leading "um" over it); a pause before the word that starts after it
        at = (lambda t: (t.start + (t.end or t.start)) / 2) if m.kind == "filler" else (lambda t: t.start)
        pos = next((i for i, t in enumerate(out) if t.kind == "word" and t.start is not None and at(t) >= key),
                   len(out))
        out.insert(pos, m)
    return out


def question_scores(answers: list[SessionAnswer]) -> list[int | None]:
    """Each answer's question score: a main answer's combined score (its own without follow-ups),
    and for a follow-up the score of the question it completes."""
    out: list[int | None] = []
    current: int | None = None
    for a in answers:
        if a.kind == "main":
            rub = a.combined.rubric if a.combined is not None else (a.result.rubric if a.result else None)
            current = rub.overall if rub is not None else None
        out.append(current)
    return out


def build_review(loaded: LoadedSession, notes: list[Annotation], note_problems: list[str] | None = None) -> ReviewView:
    views = []
    scores = question_scores(loaded.session.answers)
    for n, (a, qs) in enumerate(zip(loaded.session.answers, scores), start=1):
        result, rejected = _corrected(a, notes)
        tokens = _mark_rejected(tokens_for(result), rejected, result)
        views.append(AnswerView(
            number=n, answer=a, result=result, tokens=tokens,
            audio=loaded.audio_path(a), notes=notes_for(notes, a),
            coach_scores=latest_scores(notes, a), rejected=rejected, question_score=qs,
        ))
    shown = {id(n) for v in views for n in v.notes}
    stray = [f"note {i} ({n.coach}, about {n.answer or n.question_id!r}) names no answer of this session; not shown"
             for i, n in enumerate(notes, start=1) if id(n) not in shown]
    return ReviewView(loaded, views, list(loaded.problems) + list(note_problems or []) + stray, notes)


def _corrected(answer: SessionAnswer, notes: list[Annotation]) -> tuple[AnswerResult | None, list[Filler]]:
    """The answer's result counted without the fillers the coach rejected, and those fillers."""
    times = not_fillers_for(notes, answer)
    if answer.result is None or not times:
        return answer.result, []
    delivery = answer.result.delivery
    rejected = rejected_fillers(delivery, times)
    if not rejected:
        return answer.result, []
    fixed = answer.result.model_copy(update={"delivery": corrected_delivery(delivery, times)})
    return fixed, rejected


def _mark_rejected(toks: list[Token], rejected: list[Filler], result: AnswerResult | None) -> list[Token]:
    """Mark the transcript words a rejected filler covered, and put back the rejected hesitations
    heard only in the audio (the corrected result no longer lists them): shown struck through."""
    for f in rejected:
        if f.source != "transcript" or f.start is None or f.end is None:
            continue
        for t in _covered(toks, f.start, f.end):
            t.rejected = True
    heard = [f for f in rejected if f.source == "acoustic" and f.start is not None]
    if not heard or result is None:
        return toks
    minimum = result.delivery.filler_confidence_min
    return _insert_markers(toks, result, [_acoustic_marker(f, minimum, rejected=True) for f in heard], own=False)


def auto_scores(result: AnswerResult | None) -> dict[str, int]:
    if result is None or result.rubric is None:
        return {}
    r = result.rubric
    return {"overall": r.overall, **r.star.model_dump()}


def scored_by(view: AnswerView) -> str:
    """One line saying who scored the answer, or why nothing did."""
    if view.result is None or view.result.rubric is None:
        if not view.answer.complete and view.audio is not None:
            return "Not scored: the answer was cut before it could be (its audio is kept)"
        return "Not scored"
    return f"Scored by the {judge_label(view.result)}"


def cut_note(view: AnswerView) -> str | None:
    """Why the answer is incomplete, in words (None when it is complete)."""
    if view.answer.complete and view.answer.ended_by != "interrupted":
        return None
    secs = f" after {view.answer.duration_s:.0f} s" if view.answer.duration_s else ""
    return f"answer cut short{secs} (Ctrl-C or a crash); scored from what was recorded" if view.result \
        else f"answer cut short{secs} (Ctrl-C or a crash)"


def judge_label(result: AnswerResult | None) -> str:
    if result is None or result.rubric is None:
        return "nobody: not scored"
    r = result.rubric
    if r.judge == "llm":
        return f"LLM judge ({r.model or 'unknown model'}, prompt {r.prompt_version})"
    note = f"; LLM not used: {r.llm_error}" if r.llm_error else ""
    return f"offline judge (prompt {r.prompt_version}{note})"


def review_document(view: ReviewView) -> ReviewDocument:
    """The ``review --json`` document (:class:`~voicemock.models.ReviewDocument`)."""
    return ReviewDocument(
        session=view.session, folder=str(view.loaded.folder), problems=view.problems, annotations=view.notes,
        answers=[ReviewAnswer(question_id=v.answer.question_id, kind=v.answer.kind, audio_found=v.audio is not None,
                              judge=judge_label(v.result), auto_scores=auto_scores(v.result),
                              coach_scores=v.coach_scores,
                              probe=v.answer.question if v.answer.kind == "followup" else None,
                              probe_answered=v.answer.followup_check.answered if v.answer.followup_check else None,
                              question_score=v.question_score,
                              filler_count=v.result.delivery.filler_count if v.result else None,
                              not_fillers=[f.start for f in v.rejected if f.start is not None])
                 for v in view.answers],
    )


def review_dict(view: ReviewView) -> dict:
    return review_document(view).model_dump(mode="json")


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"
