"""Delivery and length suggestions, and the final choice of three suggestions.

A delivery area (fillers per minute, pace, long pauses, hedges) is rated by
:func:`~voicemock.targets.severity` between its documented good and poor edges (``targets.py``);
every area at or beyond DELIVERY_TIP_SEVERITY goes into one delivery suggestion, which then
takes one of the three places. The suggestion quotes the sentence with the most fillers and
hedges, and lists each hedge once with its count.
"""

from __future__ import annotations

import re
from collections import Counter

from ..models import Delivery, Structure
from ..scoring.lexicon import HESITATION_PATTERN
from ..scoring.star_feedback import Tip, quote
from ..targets import (
    DELIVERY_TIP_SEVERITY,
    FILLERS_PER_MINUTE_GOOD,
    FILLERS_PER_MINUTE_POOR,
    FILLERS_RATE_MIN_COUNT,
    HEDGES_GOOD,
    HEDGES_POOR,
    LONG_PAUSES_POOR,
    LONG_PENALTIES,
    PACE_RANGE,
    TYPED_WORDS_PER_MINUTE,
    pace_severity,
    pace_verdict,
    severity,
)

_HESITATION = re.compile(rf"\b{HESITATION_PATTERN}\b", re.I)


def hedge_counts(delivery: Delivery) -> list[tuple[str, int]]:
    """Each hedge phrase once, with how often it was said, most frequent first."""
    return Counter(h.phrase for h in delivery.hedges).most_common()


def as_said(phrase: str) -> str:
    """A lower-cased phrase as written in a sentence: "i think" -> "I think", "i'd say" -> "I'd say"."""
    return re.sub(r"\bi\b", "I", phrase)


def hedge_summary(delivery: Delivery) -> str:
    """'"I think" x4, "maybe" x2' (empty when there are none)."""
    return ", ".join(f'"{as_said(p)}" x{n}' for p, n in hedge_counts(delivery))


def missed_aims(delivery: Delivery) -> dict[str, str]:
    """The aim of each measure that misses it ("pace", "fillers_per_minute", "hedges" -> "aim for
    120-160"), from the same targets plan, progress and the tips use; measures within their aim
    are left out."""
    out = {}
    if delivery.words_per_minute is not None and pace_verdict(delivery.words_per_minute) != "ok":
        out["pace"] = f"aim for {PACE_RANGE[0]:.0f}-{PACE_RANGE[1]:.0f}"
    if delivery.fillers_per_minute is not None and delivery.fillers_per_minute > FILLERS_PER_MINUTE_GOOD:
        out["fillers_per_minute"] = f"aim for at most {FILLERS_PER_MINUTE_GOOD:g}"
    if delivery.hedge_count > HEDGES_GOOD:
        out["hedges"] = f"aim for at most {HEDGES_GOOD:g}"
    return out


def delivery_areas(delivery: Delivery | None) -> list[tuple[str, float, str]]:
    """(area, severity 0..1, what was measured) for each delivery area that can be rated."""
    if delivery is None:
        return []
    out = []
    if delivery.fillers_per_minute is not None and delivery.filler_count >= FILLERS_RATE_MIN_COUNT:
        out.append(("fillers", severity(delivery.fillers_per_minute, FILLERS_PER_MINUTE_GOOD, FILLERS_PER_MINUTE_POOR),
                    f"{delivery.fillers_per_minute:.1f} fillers a minute (aim for at most {FILLERS_PER_MINUTE_GOOD:g})"))
    if delivery.words_per_minute is not None:
        out.append(("pace", pace_severity(delivery.words_per_minute),
                    f"{delivery.words_per_minute:.0f} words a minute (aim for {PACE_RANGE[0]:.0f}-{PACE_RANGE[1]:.0f})"))
    if delivery.words_per_minute is not None:
        longest = f", longest {delivery.longest_pause_s:.1f} s" if delivery.longest_pause_s else ""
        out.append(("pauses", severity(delivery.long_pause_count, 0.0, LONG_PAUSES_POOR),
                    f"{delivery.long_pause_count} pauses of {delivery.pause_threshold_s:g} s or more{longest}"))
    if delivery.hedges or delivery.hedge_count:
        out.append(("hedges", severity(delivery.hedge_count, HEDGES_GOOD, HEDGES_POOR),
                    f"{delivery.hedge_count} hedges ({hedge_summary(delivery)})"))
    return out


def _worst_sentence(st: Structure | None, delivery: Delivery) -> int | None:
    if st is None or not st.sentences:
        return None
    phrases = [p for p, _ in hedge_counts(delivery)]

    def weight(text: str) -> int:
        low = text.lower()
        return len(_HESITATION.findall(low)) + sum(len(re.findall(rf"\b{re.escape(p)}\b", low)) for p in phrases)

    scores = [weight(s.text) for s in st.sentences]
    best = max(range(len(scores)), key=lambda k: (scores[k], -k))
    return best if scores[best] > 0 else None


def _pace_sentence(st: Structure | None, delivery: Delivery) -> int | None:
    """The timed sentence (5 words or more) said fastest when the answer is fast, slowest when slow."""
    if st is None or delivery.words_per_minute is None:
        return None
    rates = {k: len(s.text.split()) / (s.end - s.start) for k, s in enumerate(st.sentences)
             if s.start is not None and s.end is not None and s.end > s.start and len(s.text.split()) >= 5}
    if not rates:
        return None
    fast = delivery.words_per_minute > PACE_RANGE[1]
    return max(rates, key=lambda k: rates[k] if fast else -rates[k])


def delivery_tip(delivery: Delivery | None, st: Structure | None) -> Tip | None:
    """One suggestion covering every delivery area at or beyond DELIVERY_TIP_SEVERITY, or None."""
    poor = [(a, sev, what) for a, sev, what in delivery_areas(delivery) if sev >= DELIVERY_TIP_SEVERITY]
    if not poor or delivery is None:
        return None
    poor.sort(key=lambda x: -x[1])
    said = _commonest_fillers(delivery)
    advice = {"fillers": f"pause silently instead of saying {said}", "pace": "aim for a conversational pace",
              "pauses": "outline the story (S-T-A-R) in your head before you start",
              "hedges": "say what happened plainly"}
    measured = "; ".join(what for _, _, what in poor)
    steps = ", ".join(advice[a] for a, _, _ in poor)
    k = _pace_sentence(st, delivery) if poor[0][0] == "pace" else _worst_sentence(st, delivery)
    where = f' In "{quote(st.sentences[k].text)}", for example: {steps}.' if k is not None and st is not None else f" {steps[0].upper() + steps[1:]}."
    plain = f"Delivery: {measured}. {steps[0].upper() + steps[1:]}."
    return Tip(5 + round(4 * poor[0][1]), k, f"Delivery: {measured}.{where}", topic="delivery",
               alternatives=((None, plain),) if k is not None else ())


def _commonest_fillers(delivery: Delivery) -> str:
    """The fillers said most, as the tip names them ('"um", "so"'); "um or uh" when none is known."""
    from collections import Counter

    counts = Counter(f.word.lower() for f in delivery.fillers if f.confidence >= delivery.filler_confidence_min)
    named = [f'"{w}"' for w, _ in counts.most_common(2)]
    return " or ".join(named) if named else "um or uh"


def length_tips(delivery: Delivery | None) -> tuple[int, list[Tip]]:
    """Points to subtract for an answer shorter or longer than its target, and the tips that say so."""
    if delivery is None or not delivery.duration_target_s:
        return 0, []
    lo, hi = delivery.duration_target_s
    if delivery.answer_duration_s is None:  # a typed answer: its length as it would be spoken
        spoken = delivery.word_count / TYPED_WORDS_PER_MINUTE * 60
        if spoken > hi:
            points, far = _long_penalty(spoken, hi)
            return points, [Tip(8 if far else 6, None, f"At {delivery.word_count} words the answer would take about "
                                f"{spoken / 60:.0f} min to say at {TYPED_WORDS_PER_MINUTE:g} words a minute (aim for "
                                f"{lo:.0f}-{hi:.0f} s): {_CUT_FAR if far else _CUT}")]
        return 0, []
    length = delivery.answer_duration_s
    if delivery.duration_verdict == "short":
        return 10, [Tip(6, None, f"At {length:.0f} s the answer is short for this kind of question (aim for "
                                 f"{lo:.0f}-{hi:.0f} s): go into more detail.")]
    if delivery.duration_verdict == "long":
        points, far = _long_penalty(length, hi)
        return points, [Tip(8 if far else 6, None, f"At {length:.0f} s the answer runs {'far too ' if far else ''}long "
                                                   f"(aim for {lo:.0f}-{hi:.0f} s): {_CUT_FAR if far else _CUT}")]
    return 0, []


_CUT = "cut the background and get to the point sooner."
_CUT_FAR = "an interviewer would stop you long before the end; say it once, in a third of the time."


def _long_penalty(seconds: float, hi: float) -> tuple[int, bool]:
    """(points, far: past the mildest step of LONG_PENALTIES) for an answer longer than its target."""
    ratio = seconds / hi if hi > 0 else 1.0
    points = next((p for times, p in LONG_PENALTIES if ratio > times), LONG_PENALTIES[-1][1])
    return points, points > LONG_PENALTIES[-1][1]
