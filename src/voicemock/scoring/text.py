"""Tokens of a transcript: normalised words with their times and sentence boundaries.

Whisper writes words with punctuation attached ("was,", "project."); scoring works on
lower-case tokens that remember whether a comma or a sentence end touched them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Word
from .lexicon import is_hesitation

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class Token:
    text: str  # lower-case, no punctuation ("don't", "project")
    start: float | None
    end: float | None
    index: int  # position in the token list
    sentence_start: bool  # first token of a sentence (or of the transcript)
    comma_before: bool  # a comma/dash/ellipsis right before it
    comma_after: bool  # a comma/dash/ellipsis right after it
    sentence_end: bool  # ends with . ? !
    word: int = -1  # which transcript word it came from ("1:1" is two tokens of one word)

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


def words_from_text(text: str) -> list[Word]:
    """Words (untimed) of a plain-text transcript, punctuation kept attached like Whisper does."""
    return [Word(word=w) for w in text.split()]


def tokenize(words: Iterable[Word]) -> list[Token]:
    """Normalised tokens; a Whisper word like "well-known," may give several tokens."""
    tokens: list[Token] = []
    pending_comma = False
    pending_sentence = True
    for n_word, w in enumerate(words):
        raw = w.word.strip()
        parts = _WORD_RE.findall(raw)
        if not parts:  # a lone punctuation mark
            if re.search(r"[.?!]", raw):
                pending_sentence = True
            if re.search(r"[,;:\u2014\u2013-]|\.\.\.", raw):
                pending_comma = True
            continue
        lead = raw[: raw.find(parts[0])]
        tail = raw[raw.rfind(parts[-1]) + len(parts[-1]):]
        comma_before = pending_comma or bool(re.search(r"[,;:\u2014\u2013-]|\.\.\.", lead))
        ends_sentence = bool(re.search(r"[.?!]", tail)) and not tail.endswith("...") or tail.endswith("?")
        comma_after = bool(re.search(r"[,;:\u2014\u2013-]|\.\.\.", tail))
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            tokens.append(Token(
                text=part.lower().replace("’", "'"),
                start=w.start, end=w.end, index=len(tokens),
                sentence_start=pending_sentence and k == 0,
                comma_before=comma_before and k == 0,
                comma_after=comma_after and last,
                sentence_end=ends_sentence and last, word=n_word,
            ))
        pending_sentence = ends_sentence
        pending_comma = comma_after
    # a comma after token i is a comma before token i+1 (and vice versa)
    fixed = []
    for i, t in enumerate(tokens):
        before = t.comma_before or (i > 0 and tokens[i - 1].comma_after)
        after = t.comma_after or (i + 1 < len(tokens) and tokens[i + 1].comma_before)
        if before != t.comma_before or after != t.comma_after:
            t = Token(t.text, t.start, t.end, t.index, t.sentence_start, before, after, t.sentence_end, t.word)
        fixed.append(t)
    return fixed


def content_tokens(tokens: list[Token]) -> list[Token]:
    """Tokens that are words, not hesitation sounds."""
    return [t for t in tokens if not is_hesitation(t.text)]


#: The commonest English words: any English answer of a few sentences has many of them.
_ENGLISH_COMMON = frozenset("""the a an and to of in on at for with i we it was is that my our he she they this but so as
be had have were me us you from by not what when did do his her their them there then just""".split())


def looks_english(text: str) -> bool:
    """False for text that is plainly in another language: mostly letters outside the Latin
    alphabet ("去年我和同事..."), or 20 words or more with almost none of the commonest English
    words ("El año pasado tuve un conflicto con un compañero..."). Short, terse ("Reduced p99 latency
    40% via Redis caching") or mixed text counts as English."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 10 and sum(not c.isascii() for c in letters) > len(letters) / 2:
        return False
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    if len(words) < 20:
        return True
    return sum(w in _ENGLISH_COMMON for w in words) / len(words) >= 0.03
