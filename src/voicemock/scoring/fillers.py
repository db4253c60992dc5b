"""Filler words: the ones Whisper wrote, the discourse fillers, and the ones only the audio shows.

Three sources, merged into one time-sorted list of :class:`~voicemock.results.Filler`:

1. **Transcript hesitations**: um, uh, er, hmm... as Whisper wrote them (source "transcript").
2. **Discourse fillers**: "like", "you know", "I mean", "basically", "actually", "literally",
   "sort of", "kind of", a sentence-initial "so", counted only when used as fillers (rules
   below; "I like Python", "do you know the answer", "so that" are not fillers).
3. **Acoustic hesitations** (source "acoustic"): Whisper drops most um/uh because its training
   text had them removed. A classifier on Whisper's encoder frames
   (:mod:`.hesitations`) hears them; a hesitation Whisper did write takes the audio's times.

Every filler carries a ``confidence`` (0..1); only those at or above
:data:`~voicemock.targets.FILLER_CONFIDENCE_MIN` are counted (docs/scoring.md).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..models import Filler, Word
from ..targets import FILLER_CONFIDENCE_MIN
from .lexicon import is_hesitation
from .text import Token, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .hesitations import Encoder, ProbeOptions

log = logging.getLogger(__name__)

# "like" is a verb after these ("I like", "would like", "don't like", "really like")
_LIKE_VERB_BEFORE = {
    "i", "you", "we", "they", "he", "she", "who", "people", "would", "d", "i'd", "we'd", "you'd",
    "they'd", "do", "don't", "does", "doesn't", "did", "didn't", "to", "really", "also", "always",
    "might", "will", "would've", "still", "genuinely", "particularly", "especially", "not", "can",
    "could", "should", "must", "never", "all", "users", "customers", "team", "engineers",
}
# "like" is a preposition/comparison after these ("looks like", "something like", "just like")
_LIKE_PREP_BEFORE = {
    "look", "looks", "looked", "looking", "feel", "feels", "felt", "sound", "sounds", "sounded",
    "seem", "seems", "seemed", "something", "anything", "nothing", "much", "more", "less",
    "things", "stuff", "exactly", "very", "alike", "likes", "what", "act", "acted", "acting",
    "treat", "treated", "behave", "behaved", "tools", "languages", "companies", "ones",
}
# "like" straight after one of these prepositions is a filler ("for like anyone", "over like the next
# month"): a preposition cannot take "like" as its object. Not "to" ("to like it" is the verb) nor
# "of" ("kind of like a maze" is a comparison)
_LIKE_FILLER_AFTER = {"for", "over", "from", "about", "with", "at", "into", "on", "in", "by", "until",
                      "before", "after", "around", "during", "through", "across", "within", "without"}
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "my", "our", "your", "his",
                "her", "their", "its", "some", "any", "every", "each", "no"}
# "you know" is a real question/clause before these
_KNOW_OBJECT_AFTER = _DETERMINERS | {
    "what", "how", "who", "where", "when", "why", "whether", "if", "about", "him", "them", "it",
    "me", "us", "anyone", "anybody", "someone", "somebody", "which", "whom", "exactly",
    "python", "java", "sql", "yet", "already", "more", "better",
}
_KNOW_SUBJECT_BEFORE = {"do", "did", "don't", "didn't", "does", "if", "as", "would", "will", "to",
                        "can", "could", "should", "might", "must", "let", "make", "so", "that", "what",
                        "how", "may", "unless", "when", "once", "because", "since", "whether", "then"}
_KIND_OF_NOUN_BEFORE = {"a", "an", "the", "this", "that", "these", "those", "what", "which", "some",
                        "any", "every", "one", "same", "other", "another", "different", "all", "my",
                        "our", "your", "their", "his", "her", "its", "new", "certain", "right", "first",
                        "best", "worst", "only", "kinds", "sorts", "no", "each", "particular"}
_SO_NOT_FILLER_AFTER = {"that", "much", "many", "far", "long", "as", "to", "called", "yes", "no", "too",
                        "i'm", "am"}
_I_MEAN_NOT_BEFORE = {"what", "if", "do", "did", "that", "which", "don't", "didn't"}
_I_MEAN_NOT_AFTER = {"it", "that", "to", "what", "business", "well", "you"}
_MARKERS = {"actually", "literally"}
# "honestly" is a comment on what is said ("and honestly nobody...", "it was worse honestly"), except
# as the manner of a report within the few words before it ("I told him honestly", "wrote it up honestly")
_HONESTLY_MANNER_AFTER = {"told", "tell", "telling", "tells", "said", "say", "saying", "answered", "answer",
                          "answering", "wrote", "write", "writing", "written", "spoke", "speak", "speaking",
                          "talked", "talk", "reported", "report", "admitted", "admit", "replied", "reply",
                          "responded", "respond", "explained", "explain", "asked", "ask", "shared", "share"}
# words that open an answer or a turn before "so" ("Okay so I...", "Yeah, so at the front desk..."),
# where "so I'm a line cook" is the filler too
_SO_AFTER_OPENER_NOT_BEFORE = _SO_NOT_FILLER_AFTER - {"i'm", "am"}
_SO_OPENERS = {"okay", "ok", "yeah", "yes", "yep", "right", "alright", "oh", "hmm", "man", "anyway", "anyways"}
# "like" before an amount is a filler ("for like six weeks", "like a third of them")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                 "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
                 "thousand", "million", "half", "dozen", "every", "several"}
_AMOUNT_AFTER_A = {"third", "quarter", "half", "hundred", "thousand", "million", "dozen", "couple", "few",
                   "day", "week", "month", "year", "minute", "hour", "second"}
# "well" keeps its meaning before these ("well done", "well enough") and after "as"
# "right" opening a clause is a filler before a new subject ("Right, I ...", "Right so we ..."), not
# in "right now", "right after", "right away"
_RIGHT_FILLER_BEFORE = {"i", "we", "so", "you", "they", "he", "she", "okay", "and", "but"}
_WELL_NOT_BEFORE = {"done", "enough", "known", "over", "worth", "before", "after", "into", "above", "below",
                    "off", "made", "spent", "paid", "received", "written", "liked", "-"}


def transcript_fillers(words: list[Word], speech: list[tuple[float, float]] | None = None) -> list[Filler]:
    """Hesitations and discourse fillers found in the transcript text (source "transcript").

    With VAD ``speech`` regions, a word after a silence of ``BOUNDARY_PAUSE_S`` starts a clause
    even when Whisper's punctuation joined the sentences ("..., so I started").
    """
    tokens = tokenize(words)
    paused = _after_pause(tokens, speech) if speech else set()
    out: list[Filler] = []
    skip_until = -1
    for i, tok in enumerate(tokens):
        if i <= skip_until:
            continue
        if is_hesitation(tok.text):
            out.append(Filler(word=tok.text, start=tok.start, end=tok.end, source="transcript",
                              confidence=TRANSCRIBED_CONFIDENCE))
            continue
        n = _discourse_filler_len(tokens, i, i in paused)
        if n:
            last = tokens[i + n - 1]
            phrase = " ".join(t.text for t in tokens[i: i + n])
            out.append(Filler(word=phrase, start=tok.start, end=last.end, source="transcript",
                              kind="discourse", confidence=_discourse_confidence(tokens, i, n, i in paused)))
            skip_until = i + n - 1
    return out


BOUNDARY_PAUSE_S = 0.3
#: Confidence of a discourse filler set off by punctuation or a pause ("It was, like, hard"),
#: and of one found from word order alone ("it was like really hard").
DISCOURSE_MARKED_CONFIDENCE = 0.9
DISCOURSE_UNMARKED_CONFIDENCE = 0.7


def _discourse_confidence(tokens: list[Token], i: int, n: int, after_pause: bool) -> float:
    first, last = tokens[i], tokens[i + n - 1]
    marked = first.comma_before or last.comma_after or after_pause or last.sentence_end
    return DISCOURSE_MARKED_CONFIDENCE if marked else DISCOURSE_UNMARKED_CONFIDENCE


def _after_pause(tokens: list[Token], speech: list[tuple[float, float]]) -> set[int]:
    """Indexes of tokens that follow a VAD silence of at least BOUNDARY_PAUSE_S."""
    onsets = [a1 for (_, b0), (a1, _) in zip(speech, speech[1:]) if a1 - b0 >= BOUNDARY_PAUSE_S]
    out: set[int] = set()
    for i in range(1, len(tokens)):
        prev, tok = tokens[i - 1], tokens[i]
        p0, t0 = prev.start, tok.start
        if p0 is None or t0 is None:
            continue
        if any(p0 < t <= t0 + 0.15 for t in onsets):
            out.add(i)
    return out


def _discourse_filler_len(tokens: list[Token], i: int, after_pause: bool = False) -> int:
    """Number of tokens of the discourse filler starting at ``i`` (0 = not a filler)."""
    tok = tokens[i]
    prev = _prev_word(tokens, i)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    nxt_text = nxt.text if nxt else None
    starts_clause = (tok.sentence_start or tok.comma_before or prev is None or after_pause
                     or is_hesitation(prev.text))
    if tok.text == "like":
        content_prev = next((t for t in reversed(tokens[:i]) if not is_hesitation(t.text)), None)
        if content_prev is not None and content_prev is not prev and (
                content_prev.text in _LIKE_VERB_BEFORE or content_prev.text in _LIKE_PREP_BEFORE):
            return 0  # "I would, um, like to ..."
        return 1 if _like_is_filler(tok, prev, nxt, _amount_after(tokens, i)) else 0
    if tok.text == "you" and nxt is not None and nxt.text == "know":
        know = nxt
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if prev is not None and prev.text in _KNOW_SUBJECT_BEFORE and not tok.comma_before:
            return 0
        if know.comma_after or know.sentence_end or after is None:
            return 2
        if after.text in _KNOW_OBJECT_AFTER or after.text == "that":
            return 0
        return 2 if (starts_clause or tok.comma_before) else 0
    if tok.text == "i" and nxt is not None and nxt.text == "mean":
        if prev is not None and prev.text in _I_MEAN_NOT_BEFORE and not tok.comma_before:
            return 0
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if nxt.comma_after or after is None:
            return 2
        return 2 if starts_clause and after.text not in _I_MEAN_NOT_AFTER else 0
    if tok.text in ("kind", "sort") and nxt_text == "of":
        if prev is not None and prev.text in _KIND_OF_NOUN_BEFORE:
            return 0
        return 2
    if tok.text in ("kinda", "sorta"):
        return 1 if not (prev is not None and prev.text in _KIND_OF_NOUN_BEFORE) else 0
    if tok.text == "basically":
        return 1
    if tok.text == "honestly":
        before = tokens[max(0, i - 3): i]
        return 0 if any(t.text in _HONESTLY_MANNER_AFTER for t in before) and not starts_clause else 1
    if tok.text in _MARKERS:  # "what actually happened" is meaning, "Actually, ..." is a filler
        return 1 if (starts_clause or tok.comma_after) else 0
    if tok.text == "well":  # "Well, ...", ", well, I ..." open a clause; "went well" is meaning
        if not starts_clause or (prev is not None and prev.text == "as") or nxt is None:
            return 0
        return 0 if nxt_text in _WELL_NOT_BEFORE and not tok.comma_after else 1
    if tok.text == "right":  # a tag (", right?", ", right, I ..."), or "Right, ..." opening a clause
        if nxt is None or tok.sentence_end:
            return 1 if tok.comma_before or tok.sentence_start or prev is None else 0  # "Right?" alone
        if tok.comma_before and tok.comma_after:
            return 1
        if not starts_clause:
            return 0
        return 1 if tok.comma_after or nxt_text in _RIGHT_FILLER_BEFORE else 0
    if tok.text == "so":
        if prev is not None and (prev.text in _SO_OPENERS or is_hesitation(prev.text)) and not prev.sentence_end \
                and (nxt is None or nxt_text not in _SO_AFTER_OPENER_NOT_BEFORE):
            return 1  # "Okay so I ...", "Yeah, so at the front desk ..."
        if nxt is None or tok.sentence_end or nxt_text == "yeah" or (tok.comma_before and tok.comma_after):
            return 1  # a trailing "..., so." or "so yeah", or ", so, stock, vehicles"
        if not starts_clause or nxt_text in _SO_NOT_FILLER_AFTER:
            return 0
        if (prev is not None and not prev.sentence_end and not is_hesitation(prev.text)
                and not tok.sentence_start and not after_pause):
            return 0  # ", so we ..." joins two clauses: a real conjunction
        return 1
    return 0


def _prev_word(tokens: list[Token], i: int) -> Token | None:
    return tokens[i - 1] if i > 0 else None


def _amount_after(tokens: list[Token], i: int) -> bool:
    """Does an amount follow token ``i`` ("like 70%", "like six weeks", "like a third")?"""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None:
        return False
    if nxt.text[:1].isdigit() or nxt.text in _NUMBER_WORDS:
        return True
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    return nxt.text in ("a", "an") and after is not None and after.text in _AMOUNT_AFTER_A


def _like_is_filler(tok: Token, prev: Token | None, nxt: Token | None, amount: bool = False) -> bool:
    if prev is not None and not tok.sentence_start and amount and \
            prev.text not in _LIKE_VERB_BEFORE and prev.text not in _LIKE_PREP_BEFORE:
        return True  # "for like six weeks": a filler before the amount
    if prev is None or tok.sentence_start:
        return nxt is not None and (tok.comma_after or nxt.text not in _DETERMINERS)
    if prev.text in _LIKE_VERB_BEFORE or prev.text in _LIKE_PREP_BEFORE:
        return tok.comma_before and tok.comma_after
    if tok.comma_before or tok.comma_after:
        return True
    if nxt is None:
        return False
    if is_hesitation(prev.text) or is_hesitation(nxt.text) or prev.text in _LIKE_FILLER_AFTER:
        return True
    # "it was like really hard", "and like we" -> filler; "it was like a maze" -> comparison
    if prev.text in {"was", "is", "were", "are", "it's", "and", "but", "or", "just", "um", "uh", "was,"}:
        return nxt.text not in _DETERMINERS and not nxt.text.isdigit()
    return False


def merge_fillers(transcript: list[Filler], acoustic: list[Filler]) -> list[Filler]:
    """Union of both lists, time-sorted; untimed fillers (text input) keep their text order."""
    merged = list(transcript) + list(acoustic)
    if any(f.start is None for f in merged):
        return merged
    return sorted(merged, key=lambda f: (f.start, f.end))


def detect_fillers(
    words: list[Word],
    audio: np.ndarray | None = None,
    speech: list[tuple[float, float]] | None = None,
    encoder: Encoder | None = None,
    options: ProbeOptions | None = None,
    frames=None,
) -> list[Filler]:
    """All fillers of an answer: transcript (hesitations + discourse) and, with audio, acoustic.

    ``encoder`` gives Whisper encoder frames of a piece of audio (default: the embedded
    tiny.en's, loaded if it is not yet); ``frames`` are hesitation probabilities already computed
    while the answer was recorded (see :class:`~voicemock.scoring.hesitations.StreamingFrames`).
    """
    found = transcript_fillers(words, speech)
    if audio is None or speech is None or not speech:
        return found
    from .hesitations import default_encoder, find_hesitations, word_limit

    heard = find_hesitations(audio, speech, encoder or default_encoder(), options, frames=frames)
    return fillers_from_runs(words, speech, heard, word_limit(options), found)


def fillers_from_runs(words: list[Word], speech: list[tuple[float, float]], heard: list[tuple[float, float, float]],
                      limit: float, found: list[Filler] | None = None) -> list[Filler]:
    """An answer's fillers from its words and the probe's runs ``heard``: transcript hesitations
    snapped to the runs, the runs left over as acoustic ones (minus those the ordinary-word veto
    drops at ``limit``), discourse fillers; ``found`` are the transcript's, when already computed."""
    found = transcript_fillers(words, speech) if found is None else found
    acoustic, found = snap_hesitations(heard, found, words)
    acoustic = veto_ordinary_words(acoustic, words, limit)
    return merge_fillers(found, acoustic)


def veto_ordinary_words(acoustic: list[Filler], words: list[Word], limit: float) -> list[Filler]:
    """The acoustic hesitations that do not lie inside one clearly ordinary transcribed word
    (:func:`~voicemock.scoring.hesitations.inside_ordinary_word`; ``limit`` 0 keeps them all)."""
    if not limit or not acoustic:
        return acoustic
    from .hesitations import inside_ordinary_word, word_pace

    pace = word_pace(words)
    kept = [f for f in acoustic if f.start is None or f.end is None
            or not inside_ordinary_word(f.start, f.end, words, limit, pace)]
    log.debug("acoustic: %d inside ordinary words dropped", len(acoustic) - len(kept))
    return kept


#: A hesitation Whisper wrote and a run the probe heard this close (seconds) are one event.
SNAP_S = 0.3
#: Confidence of a hesitation Whisper wrote (it rarely writes one that was not said).
TRANSCRIBED_CONFIDENCE = 0.9
#: A written hesitation shorter than this (Whisper gave it no duration) that no probe run confirms
#: gets UNHEARD_CONFIDENCE: below the counting threshold, so it is listed as uncertain.
UNTIMED_S = 0.02
UNHEARD_CONFIDENCE = 0.4


def snap_hesitations(heard: list[tuple[float, float, float]], transcript: list[Filler],
                     words: list[Word]) -> tuple[list[Filler], list[Filler]]:
    """Acoustic fillers from the probe's runs, and the transcript fillers with hesitations snapped.

    A transcript um/uh near a run is the same event: it takes the run's (more exact) times and
    the higher confidence. Runs left over are acoustic fillers.
    """
    used: set[int] = set()
    snapped = []
    for f in transcript:
        if f.kind != "hesitation" or f.start is None or f.end is None:
            snapped.append(f)
            continue
        span = (f.start, f.end)
        if any(_distance((a, b), span) <= SNAP_S for k, (a, b, _) in enumerate(heard) if k in used):
            continue  # "Um, um," written twice for one held sound the audio already has
        near = [k for k, (a, b, _) in enumerate(heard) if k not in used and _distance((a, b), span) <= SNAP_S]
        if near:
            k = min(near, key=lambda k: _distance(heard[k][:2], span))
            used.add(k)
            a, b, conf = heard[k]
            f = f.model_copy(update={"start": a, "end": b, "confidence": max(f.confidence, conf)})
        elif span[1] - span[0] < UNTIMED_S:
            # Whisper wrote it with no duration and the audio has no hesitation there: its time is
            # made up (seen 8 s after the "um, uh" it stood for), so it is shown, not counted
            f = f.model_copy(update={"confidence": UNHEARD_CONFIDENCE})
        snapped.append(f)
    acoustic = [Filler(word="(hesitation)", start=a, end=b, source="acoustic", confidence=conf)
                for k, (a, b, conf) in enumerate(heard) if k not in used]
    log.debug("acoustic: %d runs, %d new hesitations, %d transcript fillers snapped", len(heard), len(acoustic), len(used))
    return acoustic, snapped


def _distance(x: tuple[float, float], y: tuple[float, float]) -> float:
    """0 when the intervals overlap, else the gap between them."""
    return max(0.0, max(x[0], y[0]) - min(x[1], y[1]))


def counted(fillers: list[Filler], minimum: float = FILLER_CONFIDENCE_MIN) -> list[Filler]:
    """The fillers sure enough to count (``confidence >= minimum``)."""
    return [f for f in fillers if f.confidence >= minimum]
