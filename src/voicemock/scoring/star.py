"""Offline STAR analysis of a spoken answer's transcript.

Spoken answers are run-on, self-correcting and full of fillers, so nothing here relies on
"Situation: ..." headings. The steps:

1. **Split** the words into sentences: at the punctuation Whisper emits (. ? ! ;), at long
   pauses between word timestamps, and before discourse markers ("and then", "in the end",
   "as a result", ...) once the running sentence has a few words. Sentences get start/end
   times from their first and last word when the transcript has word timestamps.
2. **Clean** each sentence for classification: fillers ("um", "you know", "I mean"),
   stutters ("I I") and self-corrections ("we, sorry, I set up" -> "I set up") are removed.
3. **Label** each sentence S/T/A/R/O from cue lexicons, person and tense features and its
   position, then smooth the sequence with a small Viterbi pass that prefers the STAR order.
4. **Summarise**: parts present and their share of words, ownership (I vs we) in action
   sentences, metric in the result, specific story vs hypothetical, balance, and the three
   most useful suggestions, each quoting the sentence it is about.

Pure and deterministic; no third-party imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Ownership, PartInfo, Parts, Sentence, Structure, Transcript
from ..targets import SITUATION_SHARE_HEAVY
from .lexicon import is_hesitation, strip_fillers_pattern

LABELS = ("S", "T", "A", "R", "O")
PART_NAMES = {"S": "situation", "T": "task", "A": "action", "R": "result"}

LONG_PAUSE_S = 1.2  # a silence this long between two words ends a sentence
MIN_WORDS_BEFORE_MARKER = 4  # a discourse marker splits only after this many words

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


def _norm_word(w: str) -> str:
    return re.sub(r"[^\w'%$]", "", w.lower())


def _tokens(transcript: Transcript) -> list[_Tok]:
    if transcript.words:
        toks = [_Tok(w.word.strip(), _norm_word(w.word), w.start, w.end) for w in transcript.words]
        return [t for t in toks if t.raw]
    return [_Tok(w, _norm_word(w), None, None) for w in transcript.text.split()]


_SKIP = {"yeah", "like", ""}  # besides hesitations: words that never start a marker


def _skip(norm: str) -> bool:
    return norm in _SKIP or is_hesitation(norm)


def _marker_at(toks: list[_Tok], i: int) -> bool:
    """A discourse marker starts at token i (fillers inside it are skipped: "and, um, we")."""
    if _skip(toks[i].norm):
        return False
    ahead = [t.norm for t in toks[i : i + 8] if not _skip(t.norm)]
    return any(ahead[: len(m)] == m for m in _MARKERS)


def split_sentences(transcript: Transcript) -> list[Sentence]:
    """Sentences (label "O" for now) with start/end from word timestamps where known."""
    toks = _tokens(transcript)
    groups: list[list[_Tok]] = []
    cur: list[_Tok] = []
    for i, tok in enumerate(toks):
        if cur:
            prev = cur[-1]
            gap = (
                tok.start - prev.end
                if tok.start is not None and prev.end is not None
                else 0.0
            )
            if gap >= LONG_PAUSE_S or (len(cur) >= MIN_WORDS_BEFORE_MARKER and _marker_at(toks, i)):
                groups.append(cur)
                cur = []
        cur.append(tok)
        if _END_PUNCT.search(tok.raw):
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    out = []
    for g in groups:
        text = " ".join(t.raw for t in g).strip()
        if not re.search(r"\w", text):
            continue
        out.append(Sentence(text=text, start=g[0].start, end=g[-1].end, label="O"))
    return out


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
    t = re.sub(r"[^\w'%$.\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


# --- lexicons -----------------------------------------------------------------------------------

def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


_IRREGULAR = (
    "built|wrote|made|set|took|went|met|spoke|sat|ran|led|found|brought|got|began|told|gave|"
    "sent|put|kept|felt|thought|saw|did|chose|drew|paid|sold|taught|caught|bought|held|stood|"
    "rewrote|split|cut|dug|fought|won|came|spent|dealt|drove|broke|froze|shook|threw|stuck|"
    "sought|struck|undertook|overcame|oversaw|rebuilt|rolled|pulled|had a|had an|wound|slid|fed|"
    "hid|lit|shut|swung|flew|withdrew|reran|redid|took over|sped"
)
_NON_ACTION_ED = {"needed", "wanted", "used", "supposed", "liked", "loved", "hated", "learned",
                  "learnt", "realized", "realised", "noticed", "believed", "assumed", "worked",
                  "joined", "inherited", "owned", "tasked", "expected", "required", "enjoyed",
                  "responsible", "allowed", "based", "involved", "thought", "hoped", "felt", "scared", "stressed",
                  "worried", "excited", "surprised", "annoyed", "frustrated", "tired"}
_ADV = r"(?:(?:also|then|first|finally|just|quickly|immediately|personally|eventually|really|even|actually|basically|myself)\s+)*"
_I_PAST = re.compile(r"\b(i|we)\s+" + _ADV + r"(\w+ed|" + _IRREGULAR + r")\b")
_AND_PAST = re.compile(r"\band\s+(?:then\s+|also\s+)?(\w+ed|" + _IRREGULAR + r")\b")
_LEADING_VERB = re.compile(r"(?:and |then |so |also |first |finally )*(?:\w+ed|" + _IRREGULAR + r")\b")
_I_ACTION_PHRASE = _rx(r"what i did", r"so i", r"then i", r"first i", r"i started", r"i decided",
                       r"i managed to", r"i tried", r"i ended up (?:\w+ing)", r"i went ahead",
                       r"i took it", r"i reached out", r"i set up", r"i sat down", r"i pushed")
_S_CUES = _rx(
    r"at my (?:last|previous|old|first|current) (?:job|company|role|team|employer|internship|position)",
    r"when i was", r"i was working", r"i worked (?:at|as|on|for)", r"back (?:in|when)", r"years? ago",
    r"last (?:year|summer|spring|fall|winter|quarter)", r"a while (?:ago|back)", r"we had", r"there (?:was|were)",
    r"our team", r"the team (?:was|had)", r"the company", r"the (?:problem|issue|situation|context|background) was",
    r"we were", r"it was", r"i joined", r"i was (?:a|an|the|on|in|part|one)", r"we used to", r"at the time",
    r"this was", r"that was (?:at|when|in)", r"we ran", r"the client", r"the customer", r"in \d{4}",
    r"i inherited", r"i had just", r"was (?:failing|broken|slow|late|behind|down|crashing|angry|unhappy|missing)",
    r"kept (?:failing|crashing|breaking)", r"had (?:been|no)",
)
_T_CUES = _rx(
    r"my (?:goal|job|task|role|responsibility|mission|assignment|aim),? (?:(?:as|in|on|for) [^.]{0,60}?,? )?(?:was|became|is)",
    r"i needed to",
    r"i had to", r"i was asked to", r"i was tasked", r"i was supposed to", r"i was responsible",
    r"i was in charge", r"i was given", r"i was (?:the one|expected) to", r"the (?:goal|ask|task|target|deadline|challenge) was",
    r"we needed to", r"we had to", r"needed to (?:figure|find|get|make|fix|ship|deliver|cut|reduce)",
    r"i wanted to (?:make sure|figure|find|get|fix)", r"it was (?:on me|my job|up to me)", r"fell (?:on|to) me",
    r"(?:manager|lead|boss|director) asked me", r"i owned", r"my part was", r"i took (?:on|ownership)",
    r"i volunteered to", r"the plan was to",
)
_R_STRONG = _rx(
    r"as a result", r"in the end", r"at the end", r"ended up", r"the (?:result|outcome|impact) was",
    r"result(?:ed)? in", r"by the end", r"afterwards", r"since then", r"from then on", r"because of (?:that|this|it)",
    r"long story short", r"we (?:shipped|launched|delivered|hit|met|made) (?:it|the|on|in)", r"on time",
    r"(?:was|were) (?:happy|thrilled|pleased|satisfied|grateful)", r"got (?:promoted|praised|recognized)",
    r"(?:the|our|my) (?:manager|client|customer|team|boss|director) (?:was|were|said|thanked|adopted|started|kept)",
)
_R_CHANGE = _rx(
    r"(?:reduced|increased|saved|improved|cut|dropped|grew|doubled|tripled|halved|raised|lowered|boosted|"
    r"went (?:down|up|from)|fell|climbed|shrank|sped up|recovered|retained|won back|stopped|eliminated|"
    r"no longer|never (?:again|missed|had))",
)
# Note-style task lines start with a bare verb: "Fix it before the launch", "Simplify and automate".
_BARE_GOAL = re.compile(r"(?:to )?(?:fix|simplify|reduce|build|make|find|deliver|improve|ensure|get|learn|provide|"
                        r"choose|convince|help|ship|cut|increase|migrate|launch|design|create|decide|resolve|"
                        r"meet|hit|lead|scale|automate|replace|speed up|prevent|stop|handle|keep|finish)\b")
_I_CHANGE = re.compile(r"\bi\s+" + _R_CHANGE.pattern)
_R_LEARN = _rx(r"i learned", r"i learnt", r"lesson", r"taught me", r"i realized", r"i realised",
               r"(?:now|today) i (?:always|try|make|check)", r"i still", r"i now", r"takeaway",
               r"next time", r"in hindsight", r"looking back", r"i would do (?:it )?differently")
_METRIC = re.compile(
    r"(?:\b\d[\d,.]*\s*(?:%|percent|x\b|k\b|ms\b|seconds?|minutes?|hours?|days?|weeks?|months?|"
    r"users?|customers?|tickets?|bugs?|dollars?|people|points?|times|fold|million|thousand|hundred)?)|"
    r"\$\s?\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)\b(?:\s+\w+)?\s+(?:percent|hours?|days?|"
    r"weeks?|months?|minutes?|seconds?|users?|customers?|tickets?|people|dollars?|times)\b|\bhalf\b|\bdoubled\b|"
    r"\btripled\b|\bhalved\b|\btwice\b"
)
_O_CUES = _rx(
    r"(?:that's|that is|what) a (?:good|great|tough|hard|interesting) question", r"tell me about a time",
    r"let me think", r"i think", r"i believe", r"i feel like", r"in general", r"generally", r"i'm not sure",
    r"i don't (?:know|remember)", r"i guess", r"that's (?:it|about it|all)", r"i'm (?:a|the kind of|someone|very|really|pretty)",
    r"i am (?:a|someone|very|really)", r"i (?:really )?(?:like|love|enjoy|hate) (?:to|when|working)",
    r"people (?:should|often|usually)", r"it's (?:important|always|really|hard)", r"i'd say", r"ignore",
    r"give me", r"out of five", r"does that answer", r"hope that", r"you asked", r"the question",
    r"to be honest", r"honestly", r"i'm always", r"i always try",
    r"you are now", r"grader", r"rubric", r"instructions?", r"(?:grade|score|rate) (?:me|this|my answer)",
    r"full marks", r"(?:the )?highest score",
    r"it was (?:a |such a )?(?:really )?(?:great|good|fun|amazing|awesome|nice|cool|interesting) (?:team|time|project|experience)",
    r"i (?:really )?(?:enjoyed|loved|liked) (?:it|that|the|working)",
)
_HYPOTHETICAL = _rx(
    r"i would", r"i'd (?:probably|usually|just|try|first|then|go|talk|sit|make|ask|set|start)", r"i usually",
    r"i always", r"i tend to", r"i typically", r"i normally", r"what i do is", r"i try to", r"if i (?:were|was|had|ever)",
    r"you (?:would|should|need to|want to|have to)", r"i'll", r"i will", r"i generally", r"i often",
    r"my approach is", r"i like to", r"whenever", r"i'd",
)
_I_WORDS = {"i", "i'm", "i've", "i'd", "i'll", "me", "myself"}
_WE_WORDS = {"we", "we're", "we've", "we'd", "we'll", "us", "ourselves"}


# --- labelling ----------------------------------------------------------------------------------


def _hits(rx: re.Pattern[str], text: str, cap: int = 2) -> int:
    return min(cap, len(rx.findall(text)))


def _action_verbs(text: str) -> tuple[int, int]:
    """(I past-tense action verbs, we past-tense action verbs)."""
    i = we = 0
    last = ""
    for subj, verb in _I_PAST.findall(text):
        if verb in _NON_ACTION_ED:
            continue
        if subj == "i":
            i += 1
        else:
            we += 1
        last = subj
    if last:  # "I split the tests and ran them": the subject carries over
        extra = sum(v not in _NON_ACTION_ED for v in _AND_PAST.findall(text))
        if last == "i":
            i += extra
        else:
            we += extra
    return i, we


def _emissions(c: str, pos: float) -> dict[str, float]:
    words = c.split()
    i_act, we_act = _action_verbs(c)
    hypo = _hits(_HYPOTHETICAL, c)
    e = {k: 0.0 for k in LABELS}
    e["S"] = 1.2 * _hits(_S_CUES, c) + 0.8 * (1 - pos) ** 2
    e["T"] = 2.2 * _hits(_T_CUES, c) + 1.8 * bool(_BARE_GOAL.match(c))
    e["A"] = 1.6 * min(2, i_act) + 1.4 * min(2, we_act) + 0.8 * _hits(_I_ACTION_PHRASE, c)
    if _LEADING_VERB.match(c) and c.split()[0] not in _NON_ACTION_ED:
        e["A"] += 1.6  # note style without a subject: "built a script", "then rewrote it"
    rest = _I_CHANGE.sub(" ", c)  # "I doubled my calls" is an action more than a result
    change = _hits(_R_CHANGE, rest) + 0.5 * min(2, len(_I_CHANGE.findall(c)))
    e["R"] = (2.0 * _hits(_R_STRONG, c) + 1.5 * change + 2.0 * _hits(_R_LEARN, c)
              + 1.2 * bool(_METRIC.search(rest)) + 0.8 * pos**2)
    e["O"] = 1.8 * _hits(_O_CUES, c) + 2.0 * hypo + (1.5 if len(words) < 3 else 0.0)
    if hypo and not (i_act or _hits(_R_STRONG, c)):
        e["A"] *= 0.3  # "I would talk to them" is not something that happened
    if e["T"] and i_act and not _T_CUES.search(c[:40]):
        e["T"] *= 0.6  # "I had to" later in an action sentence
    return e


# Transition bonuses: staying or moving forward through S -> T -> A -> R is cheap.
_ORDER = {"S": 0, "T": 1, "A": 2, "R": 3}


def _transition(a: str, b: str) -> float:
    if a == b:
        return 0.3
    if "O" in (a, b):
        return -0.4
    step = _ORDER[b] - _ORDER[a]
    if step > 0:
        return 0.0
    return -0.6 if (a, b) in (("R", "A"), ("A", "T")) else -1.2


_START = {"S": 0.4, "T": 0.0, "A": -0.3, "R": -1.0, "O": 0.2}


def label_sentences(cleaned: list[str]) -> list[str]:
    """Labels for cleaned sentences: cue emissions + a Viterbi pass favouring the STAR order."""
    n = len(cleaned)
    if not n:
        return []
    ems = [_emissions(c, i / max(1, n - 1)) for i, c in enumerate(cleaned)]
    score = {k: _START[k] + ems[0][k] for k in LABELS}
    back: list[dict[str, str]] = []
    for e in ems[1:]:
        new, ptr = {}, {}
        for b in LABELS:
            best = max(LABELS, key=lambda a: (score[a] + _transition(a, b), -LABELS.index(a)))
            new[b] = score[best] + _transition(best, b) + e[b]
            ptr[b] = best
        score = new
        back.append(ptr)
    last = max(LABELS, key=lambda k: (score[k], -LABELS.index(k)))
    path = [last]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return list(reversed(path))


# --- analysis -----------------------------------------------------------------------------------


def _quote(text: str, limit: int = 110) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    return t if len(t) <= limit else t[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def analyze_structure(transcript: Transcript) -> Structure:
    """Split, label and summarise one answer. Pure and deterministic."""
    sents = split_sentences(transcript)
    cleaned = [clean(s.text) for s in sents]
    labels = label_sentences(cleaned)
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
        own.i += sum(t in _I_WORDS for t in toks)
        own.we += sum(t in _WE_WORDS for t in toks)
        personal = personal or _action_verbs(c)[0] > 0 or bool(_I_ACTION_PHRASE.search(c))
    hypo = [i for i, c in enumerate(cleaned) if _HYPOTHETICAL.search(c)]
    past = sum(sum(_action_verbs(c)) + len(re.findall(r"\b(?:was|were|had)\b", c)) for c in cleaned)
    specific = past >= 2 and len(hypo) * 3 < max(1, len(sents)) + 1 and parts.action.present
    st = Structure(
        sentences=sents,
        parts=parts,
        ownership=own,
        has_metric=any(lab == "R" and _METRIC.search(c) for c, lab in zip(cleaned, labels)),
        specific_story=specific,
        missing_result=not parts.result.present,
        missing_personal_action=not personal,
        hypothetical_sentences=hypo,
    )
    st.balance = _balance(st, total)
    st.feedback = _feedback(st, cleaned)
    return st


def _balance(st: Structure, words: int) -> str:
    p = st.parts
    if not st.sentences:
        return "empty"
    if words < 40:
        return "too_short"
    if p.situation.share > SITUATION_SHARE_HEAVY:
        return "situation_heavy"
    if p.action.share < 0.2 and p.situation.share + p.task.share > 0.4:
        return "action_light"
    return "balanced"


def _first(st: Structure, label: str) -> Sentence | None:
    return next((s for s in st.sentences if s.label == label), None)


def _feedback(st: Structure, cleaned: list[str]) -> list[str]:
    """The three most useful suggestions, most important first, each quoting a sentence.

    Candidates carry a priority; a suggestion about a sentence already quoted is kept only when
    there are not three about different sentences.
    """
    sents = st.sentences
    if not sents:
        return ["No speech was transcribed: answer out loud with one specific story."]
    items: list[tuple[int, str, str]] = []  # (priority, quoted sentence, message)

    def add(priority: int, sentence: Sentence, message: str) -> None:
        items.append((priority, sentence.text, message.replace("{q}", _quote(sentence.text))))

    last = sents[-1]
    with_we = [s for s, c in zip(sents, cleaned) if re.search(r"\bwe\b", c)]
    if st.hypothetical_sentences and not st.specific_story:
        add(10, sents[st.hypothetical_sentences[0]], '"{q}" says what you would do in general; tell one '
            "specific time it happened: where you were, what you did, how it ended.")
    if st.missing_personal_action:
        we_action = next((s for s in with_we if s.label in "AR"), None)
        if we_action is not None:
            add(9, we_action, 'In "{q}" say what you did yourself: "I ..." rather than "we ...".')
        else:
            add(9, _first(st, "T") or _first(st, "S") or last,
                'After "{q}" walk through the steps you took yourself: "I ...".')
    elif st.ownership.we > st.ownership.i:
        add(7, next((s for s in with_we if s.label == "A"), last),
            'Most action sentences say "we"; in "{q}" name your own part.')
    if st.missing_result:
        add(9, next((s for s in reversed(sents) if s.label == "A"), last),
            'The story stops at "{q}"; add how it ended: the outcome, a number, what you learned.')
    elif not st.has_metric:
        add(6, next(s for s in sents if s.label == "R"),
            'Put a number on "{q}": time saved, percentage, users, money.')
    if st.balance == "too_short":
        words = sum(len(c.split()) for c in cleaned)
        add(8, last, f'The whole answer is {words} words; after "{{q}}" go into detail: your steps, '
            "what changed, and by how much.")
    if st.balance == "situation_heavy":
        add(8, max((s for s in sents if s.label == "S"), key=lambda s: len(s.text)),
            f"The background is {round(100 * st.parts.situation.share)}% of the answer; "
            'shorten "{q}" and get to what you did.')
    elif st.balance == "action_light" and not st.missing_personal_action:
        add(7, _first(st, "A") or last, 'Spend more time on your actions: expand "{q}" into the steps you took.')
    first_action = _first(st, "A")
    if not st.parts.task.present and first_action is not None:
        add(4, first_action, 'Before "{q}" say what your goal or responsibility was.')
    if not st.parts.situation.present:
        add(3, sents[0], 'Open with one sentence of context before "{q}": where, when, what was at stake.')
    other = [s for s in sents if s.label == "O"]
    if other and len(other) * 3 >= len(sents) and not st.hypothetical_sentences:
        add(3, other[0], '"{q}" does not move the story forward; cut it.')
    items.sort(key=lambda x: -x[0])
    chosen: list[tuple[int, str, str]] = []
    for item in items:  # distinct sentences first
        if len(chosen) < 3 and all(item[1] != c[1] for c in chosen):
            chosen.append(item)
    for item in items:
        if len(chosen) < 3 and item not in chosen:
            chosen.append(item)
    chosen.sort(key=lambda x: -x[0])
    return [message for _, _, message in chosen]
