"""Offline STAR analysis of a spoken answer's transcript.

Spoken answers are run-on, self-correcting and full of fillers, so nothing here relies on
"Situation: ..." headings. The steps:

1. **Split** the words into sentences: at the punctuation Whisper emits (. ? ! ;), at long
   pauses between word timestamps, and, inside a long run without punctuation, before discourse
   markers ("and then", "in the end", "as a result", ...). Sentence text is cut from the
   transcript with Whisper's own spacing ("$40,000", "30%"), never rebuilt by joining words.
   Sentences get start/end times from their first and last word when the words are timed.
2. **Clean** each sentence for classification: fillers ("um", "you know", "I mean"),
   stutters ("I I") and self-corrections ("we, sorry, I set up" -> "I set up") are removed.
3. **Label** each sentence S/T/A/R/O with the learned labeller (:mod:`.star_model`, a
   linear-chain CRF over :mod:`.star_features`, trained by ``scripts/train_star.py``).
4. **Judge** the answer as a coach would (:mod:`.judgements`): result present and measurable,
   task stated, actions concrete, situation share, specific story, rambling; each with the
   sentence that decided it. Then the three most useful suggestions (:mod:`.star_feedback`).

Pure and deterministic; no third-party imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Ownership, PartInfo, Parts, Sentence, Structure, Transcript, glued
from ..targets import MARKER_SPLIT_MIN_WORDS, MIN_WORDS_BEFORE_MARKER, RUN_ON_WORDS, SENTENCE_PAUSE_S
from . import lexicon as lx
from .lexicon import is_hesitation, strip_fillers_pattern
from .star_features import action_verbs, answer_features

if TYPE_CHECKING:  # pragma: no cover
    from .star_model import Labelling

LABELS = ("S", "T", "A", "R", "O")
PART_NAMES = {"S": "situation", "T": "task", "A": "action", "R": "result"}

# --- splitting ----------------------------------------------------------------------------------

_END_PUNCT = re.compile(r"[.?!;]+[\"')\]]*$")
# Markers that open a new sentence in speech (matched on lower-cased, punctuation-free words).
_MARKERS = [
    m.split()
    for m in (
        "and then", "so then", "after that", "in the end", "at the end", "as a result",
        "the result was", "the outcome was", "eventually", "finally", "in the end",
        "so what i did", "what i did was", "so i decided", "my goal was", "my job was",
        "my task was", "the goal was", "the problem was", "and so i", "so my", "since then",
        "looking back", "what i learned", "i learned", "that meant", "because of that",
        "the next day", "the next week", "first i", "then i", "after a", "by the end",
        "long story short", "anyway", "so we", "and we", "so i", "and i", "but i", "but we",
        "then we", "it turned out", "which got", "now i",
    )
]
_MARKERS.sort(key=len, reverse=True)


@dataclass
class _Tok:
    raw: str
    norm: str
    start: float | None
    end: float | None
    a: int = 0  # character span of the word in the answer text
    b: int = 0


def _norm_word(w: str) -> str:
    return re.sub(r"[^\w'%$]", "", w.lower())


def answer_text(transcript: Transcript) -> tuple[str, list[tuple[int, int]]]:
    """The answer's text and each word's character span in it, with Whisper's own spacing.

    Words that carry their leading space (Whisper's raw tokens: " saved", ",000") are
    concatenated as they are; words stripped of it are found in order in ``transcript.text``;
    failing both, words are joined with a space except before closing punctuation.
    """
    words = [w.word for w in transcript.words]
    if not words:
        text = transcript.text
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        return text, spans
    if any(w[:1].isspace() for w in words[1:]):
        text, spans, pos = "", [], 0
        for w in words:
            text += w
            lead = len(w) - len(w.lstrip())
            spans.append((pos + lead, pos + len(w.rstrip())))
            pos += len(w)
        return text, spans
    located = _locate(words, transcript.text)
    if located is not None:
        return transcript.text, located
    text, spans = "", []
    for w in words:
        w = w.strip()
        if text and not glued(w):
            text += " "
        spans.append((len(text), len(text) + len(w)))
        text += w
    return text, spans


def _locate(words: list[str], text: str) -> list[tuple[int, int]] | None:
    """Each word's span in ``text``, in order, only whitespace or punctuation between; else None."""
    spans, pos = [], 0
    for w in words:
        w = w.strip()
        if not w:
            spans.append((pos, pos))
            continue
        k = text.find(w, pos)
        if k < 0 or re.search(r"\w", text[pos:k]):
            return None
        spans.append((k, k + len(w)))
        pos = k + len(w)
    return spans


def _tokens(transcript: Transcript) -> tuple[str, list[_Tok]]:
    text, spans = answer_text(transcript)
    if transcript.words:
        toks = [_Tok(w.word.strip(), _norm_word(w.word), w.start, w.end, a, b)
                for w, (a, b) in zip(transcript.words, spans)]
    else:
        toks = [_Tok(text[a:b], _norm_word(text[a:b]), None, None, a, b) for a, b in spans]
    return text, [t for t in toks if t.raw]


_SKIP = {"yeah", "like", ""}  # besides hesitations: words that never start a marker


def _skip(norm: str) -> bool:
    return norm in _SKIP or is_hesitation(norm)


def _marker_at(toks: list[_Tok], i: int) -> bool:
    """A discourse marker starts at token i (fillers inside it are skipped: "and, um, we")."""
    if _skip(toks[i].norm):
        return False
    ahead = [t.norm for t in toks[i : i + 8] if not _skip(t.norm)]
    return any(ahead[: len(m)] == m for m in _MARKERS)


def _split_at_markers(toks: list[_Tok], group: list[_Tok], start: int) -> list[list[_Tok]]:
    """A run of words cut before each discourse marker (each piece at least MIN_WORDS_BEFORE_MARKER)."""
    out: list[list[_Tok]] = []
    cur: list[_Tok] = []
    for k, tok in enumerate(group):
        if len(cur) >= MIN_WORDS_BEFORE_MARKER and _marker_at(toks, start + k):
            out.append(cur)
            cur = []
        cur.append(tok)
    if cur:
        out.append(cur)
    return out


def split_sentences(transcript: Transcript) -> list[Sentence]:
    """Sentences (label "O" for now) with start/end from word timestamps where known.

    Speech is split at its punctuation and at long pauses; a run of MARKER_SPLIT_MIN_WORDS words
    or more with neither (a spoken run-on, or a transcript without punctuation) is also cut before
    its discourse markers, so a quote never starts in the middle of a written sentence.
    """
    return split_with_run_ons(transcript)[0]


def split_with_run_ons(transcript: Transcript) -> tuple[list[Sentence], list[list[int]]]:
    """:func:`split_sentences`, and the [first, last] sentence indexes of each stretch of
    RUN_ON_WORDS words or more that never ends a sentence (neither punctuation nor a long pause)."""
    text, toks = _tokens(transcript)
    groups: list[tuple[int, list[_Tok]]] = []  # (index of the first token, tokens)
    cur: list[_Tok] = []
    for i, tok in enumerate(toks):
        if cur:
            prev = cur[-1]
            gap = tok.start - prev.end if tok.start is not None and prev.end is not None else 0.0
            if gap >= SENTENCE_PAUSE_S:
                groups.append((i - len(cur), cur))
                cur = []
        cur.append(tok)
        if _END_PUNCT.search(tok.raw):
            groups.append((i + 1 - len(cur), cur))
            cur = []
    if cur:
        groups.append((len(toks) - len(cur), cur))
    punctuated = any(_END_PUNCT.search(t.raw) for t in toks)
    long_run = MARKER_SPLIT_MIN_WORDS if punctuated else MIN_WORDS_BEFORE_MARKER
    out: list[Sentence] = []
    run_ons: list[list[int]] = []
    for start, g in groups:
        first = len(out)
        for piece in _split_at_markers(toks, g, start) if len(g) >= long_run else [g]:
            sent = text[piece[0].a : piece[-1].b].strip()
            if re.search(r"\w", sent):
                out.append(Sentence(text=sent, start=piece[0].start, end=piece[-1].end, label="O"))
        if len(g) >= RUN_ON_WORDS and len(out) > first and sum(not _skip(t.norm) for t in g) >= RUN_ON_WORDS:
            run_ons.append([first, len(out) - 1])
    return out, run_ons


# --- cleaning -----------------------------------------------------------------------------------

_FILLERS = strip_fillers_pattern()
_CORRECTION = re.compile(r"\b(?:we|they|he|she|the team|our team)\b[\s,.-]*(?:sorry|no|well|or rather|"
                         r"i mean|actually)?[\s,.-]*(?:sorry|no|well|or rather|i mean|actually)[\s,.-]+(?=i\b)")
_STUTTER = re.compile(r"\b(\w+)(?:[\s,-]+\1\b)+")


def clean(text: str) -> str:
    """Lower-cased text without fillers, stutters or self-corrections, for classification."""
    t = text.lower().replace("\u2019", "'")
    t = re.sub(r"(\w)-(\s)", r"\1\2", t)  # cut-off words: "we- we" -> "we we"
    t = _CORRECTION.sub("", t)
    t = _FILLERS.sub(" ", t)
    t = _STUTTER.sub(r"\1", t)
    t = re.sub(r"(?<=\d),(?=\d)", "", t)  # "$40,000" -> "$40000"
    t = re.sub(r"[^\w'%$.?\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


# --- labelling ----------------------------------------------------------------------------------


def label_sentences(cleaned: list[str], bias: list[dict[str, float]] | None = None) -> list[str]:
    """Labels for cleaned sentences, from the learned labeller (:mod:`.star_model`).

    ``bias`` adds per-sentence label scores to the model's (a follow-up's probe makes the part it
    asks for likelier in the follow-up's sentences)."""
    return labelling(cleaned, bias).labels


def labelling(cleaned: list[str], bias: list[dict[str, float]] | None = None) -> Labelling:
    """:func:`label_sentences` with each sentence's label probabilities and each label's chance of
    occurring in the answer at all (evidence for the judgements: a task said indirectly that the
    best labels miss still shows as a likely T)."""
    from .star_model import load_model

    return load_model().label(answer_features(cleaned), bias)


# --- analysis -----------------------------------------------------------------------------------


def analyze_structure(transcript: Transcript, *, bias_after_words: int | None = None,
                      bias: dict[str, float] | None = None) -> Structure:
    """Split, label, judge and summarise one answer. Pure and deterministic.

    With ``bias``, sentences that start after the first ``bias_after_words`` words get those
    extra label scores (follow-ups analysed together with their main answer)."""
    from .judgements import judge_structure
    from .star_feedback import star_feedback

    sents, run_ons = split_with_run_ons(transcript)
    cleaned = [clean(s.text) for s in sents]
    per: list[dict[str, float]] | None = None
    if bias and bias_after_words is not None:
        per, seen = [], 0
        for s in sents:
            per.append(bias if seen >= bias_after_words else {})
            seen += len(s.text.split())
    soft = labelling(cleaned, per)
    labels = soft.labels
    for s, lab in zip(sents, labels):
        s.label = lab  # type: ignore[assignment]
    counts = [max(1, len(c.split())) for c in cleaned]
    total = sum(counts) or 1
    parts = Parts()
    for code, name in PART_NAMES.items():
        n = sum(k for k, lab in zip(counts, labels) if lab == code)
        setattr(parts, name, PartInfo(present=n > 0, share=round(n / total, 3)))
    own = Ownership()
    personal = False
    for c, lab in zip(cleaned, labels):
        if lab != "A":
            continue
        toks = c.split()
        own.i += sum(t in lx.I_WORDS for t in toks)
        own.we += sum(t in lx.WE_WORDS for t in toks)
        i_past = action_verbs(c)[0]
        if lx.HYPOTHETICAL.search(c) and not i_past:  # "then i'd try...": a step never taken
            continue
        personal = personal or i_past > 0 or bool(lx.I_ACTION_PHRASE.search(c))
    hypo = [i for i, c in enumerate(cleaned) if lx.HYPOTHETICAL.search(c)]
    st = Structure(sentences=sents, parts=parts, ownership=own, missing_result=not parts.result.present,
                   missing_personal_action=not personal, hypothetical_sentences=hypo, run_ons=run_ons)
    st.judgements = judge_structure(st, cleaned, soft)
    st.missing_result = not st.judgements.result_present.value  # also when the R sentences give no outcome
    st.specific_story = st.judgements.specific_story.value
    st.has_metric = st.judgements.result_measurable.value
    st.balance = _balance(st, total)
    st.feedback = star_feedback(st, cleaned)
    return st


def _balance(st: Structure, words: int) -> str:
    from ..targets import ACTION_SHARE_LIGHT, SHORT_ANSWER_WORDS, SITUATION_SHARE_HEAVY

    p = st.parts
    if not st.sentences:
        return "empty"
    if words < SHORT_ANSWER_WORDS:
        return "too_short"
    if p.situation.share > SITUATION_SHARE_HEAVY:
        return "situation_heavy"
    if p.action.share < ACTION_SHARE_LIGHT and p.situation.share + p.task.share > 0.4:
        return "action_light"
    return "balanced"
