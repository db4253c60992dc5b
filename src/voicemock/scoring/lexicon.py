"""The words scoring looks for, in one place: hesitation sounds, discourse fillers and hedges.

The filler detector (:mod:`.fillers`), the delivery metrics (:mod:`.delivery`), the STAR
analysis (:mod:`.star`, which strips fillers before labelling) and the reports all use these.
"""

from __future__ import annotations

import re

#: um, uh, er, erm, eh, ah, hmm, mm, mhm with any number of repeated letters (no anchors).
HESITATION_PATTERN = r"(?:u+h*m+|u+h+|e+r+m*|e+h+|a+h+|h+m+|m+h*m+|hm+|mhm)"
_HESITATION_RE = re.compile(rf"^{HESITATION_PATTERN}$")

#: Phrases that are fillers when used without their meaning (the rules are in :mod:`.fillers`).
DISCOURSE_FILLERS = ("like", "you know", "i mean", "kind of", "sort of", "kinda", "sorta", "basically",
                     "actually", "literally", "honestly", "so", "well", "right")

#: Hedges: phrases that soften a claim ("I think it worked"), counted once each in the delivery.
HEDGES = (("i", "think"), ("maybe",), ("i", "guess"), ("kind", "of"), ("sort", "of"), ("probably",),
          ("perhaps",), ("i", "suppose"), ("i", "believe"), ("kinda",), ("sorta",), ("i", "feel", "like"))


def is_hesitation(text: str) -> bool:
    """um, uh, er, erm, ah, hmm, mm (with any number of repeated letters), case-insensitive."""
    return bool(_HESITATION_RE.match(text.lower()))


def strip_fillers_pattern() -> re.Pattern[str]:
    """A regex matching hesitations and filler phrases in lower-cased text, for removing them."""
    return re.compile(
        rf"\b(?:{HESITATION_PATTERN}|you know|i mean|kind of|sort of|basically|actually|literally|"
        r"like,|okay so|ok so|yeah so|so yeah|right\?)(?=\W|$)"
    )
