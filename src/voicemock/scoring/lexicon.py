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

#: Words that say nothing on their own: an answer of only these (and hesitations) has no content to judge.
NO_CONTENT_WORDS = frozenset(f for f in DISCOURSE_FILLERS if " " not in f) | {
    "yeah", "yes", "yep", "okay", "ok", "and", "but", "or", "then", "oh", "hey", "anyway", "er", "um", "uh"}

#: Hedges: phrases that soften a claim ("I think it worked"), counted once each in the delivery.
HEDGES = (("i", "think"), ("maybe",), ("i", "guess"), ("kind", "of"), ("sort", "of"), ("probably",),
          ("perhaps",), ("i", "suppose"), ("i", "believe"), ("kinda",), ("sorta",), ("i", "feel", "like"),
          ("i", "would", "say"), ("i'd", "say"), ("more", "or", "less"), ("i'm", "not", "sure"))


def is_hesitation(text: str) -> bool:
    """um, uh, er, erm, ah, hmm, mm (with any number of repeated letters), case-insensitive."""
    return bool(_HESITATION_RE.match(text.lower()))


def strip_fillers_pattern() -> re.Pattern[str]:
    """A regex matching hesitations and filler phrases in lower-cased text, for removing them."""
    return re.compile(
        rf"\b(?:{HESITATION_PATTERN}|you know|i mean|kind of|sort of|basically|actually|literally|"
        r"like,|okay so|ok so|yeah so|so yeah|right\?)(?=\W|$)"
    )


# --- STAR cues ------------------------------------------------------------------------------------
# Cue phrases are features of the learned STAR labeller (scoring/star_model.py), not rules: the
# model weighs each one from labelled data. Matched on cleaned, lower-cased sentence text.


def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


IRREGULAR_PAST = (
    "built|wrote|made|set|took|went|met|spoke|sat|ran|led|found|brought|got|began|told|gave|"
    "sent|put|kept|felt|thought|saw|did|chose|drew|paid|sold|taught|caught|bought|held|stood|"
    "rewrote|split|cut|dug|fought|won|came|spent|dealt|drove|broke|froze|shook|threw|stuck|"
    "sought|struck|undertook|overcame|oversaw|rebuilt|rolled|pulled|had a|had an|wound|slid|fed|"
    "hid|lit|shut|swung|flew|withdrew|reran|redid|took over|sped|rang|read|laid|lent|left|let|meant|"
    "paired|rang|rode|showed|sorted|swapped"
)
#: Past forms that describe a state or a wish more than an action.
NON_ACTION_ED = {"needed", "wanted", "used", "supposed", "liked", "loved", "hated", "learned",
                 "learnt", "realized", "realised", "noticed", "believed", "assumed", "worked",
                 "joined", "inherited", "owned", "tasked", "expected", "required", "enjoyed",
                 "responsible", "allowed", "based", "involved", "thought", "hoped", "felt", "scared", "stressed",
                 "worried", "excited", "surprised", "annoyed", "frustrated", "tired", "seemed", "happened",
                 "started", "tried", "decided"}
_ADV = (r"(?:(?:also|then|first|finally|just|quickly|immediately|personally|eventually|really|even|actually|"
        r"basically|myself|again|still|literally|kind of|sort of)\s+)*")
I_PAST = re.compile(r"\b(i|we)\s+" + _ADV + r"(\w+ed|" + IRREGULAR_PAST + r")\b")
AND_PAST = re.compile(r"\band\s+(?:then\s+|also\s+)?(\w+ed|" + IRREGULAR_PAST + r")\b")
LEADING_VERB = re.compile(r"(?:and |then |so |also |first |finally )*(?:\w+ed|" + IRREGULAR_PAST + r")\b")
I_ACTION_PHRASE = _rx(r"what i did", r"so i", r"then i", r"first i", r"i started", r"i decided",
                      r"i managed to", r"i tried", r"i ended up (?:\w+ing)", r"i went ahead",
                      r"i took it", r"i reached out", r"i set up", r"i sat down", r"i pushed",
                      r"first thing i did", r"the first thing i", r"i went (?:to|and|back|through)")
S_CUES = _rx(
    r"at my (?:last|previous|old|first|current) (?:job|company|role|team|employer|internship|position)",
    r"when i was", r"i was working", r"i worked (?:at|as|on|for)", r"back (?:in|when)", r"years? ago",
    r"last (?:year|summer|spring|fall|winter|quarter|month)", r"a while (?:ago|back)", r"we had", r"there (?:was|were)",
    r"our team", r"the team (?:was|had)", r"the company", r"the (?:problem|issue|situation|context|background) was",
    r"we were", r"it was", r"i joined", r"i was (?:a|an|the|on|in|part|one)", r"we used to", r"at the time",
    r"this was", r"that was (?:at|when|in)", r"we ran", r"the client", r"the customer", r"in \d{4}",
    r"i inherited", r"i had just", r"was (?:failing|broken|slow|late|behind|down|crashing|angry|unhappy|missing)",
    r"kept (?:failing|crashing|breaking)", r"had (?:been|no)", r"this one's from", r"this is from",
)
T_CUES = _rx(
    r"my (?:goal|job|task|role|responsibility|mission|assignment|aim),? (?:(?:as|in|on|for) [^.]{0,60}?,? )?(?:was|became|is)",
    r"i needed to", r"i had to", r"i was asked to", r"i was tasked", r"i was supposed to", r"i was responsible",
    r"i was in charge", r"i was given", r"i was (?:the one|expected) to", r"the (?:goal|ask|task|target|deadline|challenge) was",
    r"we needed to", r"we had to", r"needed to (?:figure|find|get|make|fix|ship|deliver|cut|reduce)",
    r"i wanted to (?:make sure|figure|find|get|fix)", r"it was (?:on me|my job|up to me|my call)", r"fell (?:on|to) me",
    r"(?:manager|lead|boss|director) asked me", r"i owned", r"my part was", r"i took (?:on|ownership)",
    r"i volunteered to", r"the plan was to", r"on me to", r"up to me to", r"it was my (?:job|call|responsibility)",
    r"nobody (?:else )?was (?:doing|going to)", r"somebody had to", r"someone had to", r"so i had to",
    r"i was (?:trying|hoping) to", r"the idea was to", r"the point was to", r"i had (?:a|two|three|one) (?:week|day|month)s?",
)
#: A task said indirectly: ownership, a decision that was the candidate's, a self-set aim, a thing
#: nobody else was doing, a promise ("it came down to me", "the sake list is yours", "I set myself a
#: goal", "the bit nobody had done was..."). Evidence the labeller weighs, next to T_CUES.
T_INDIRECT = _rx(
    r"(?:came |was |is )?down to me", r"my (?:decision|call|mission|problem|mess|remit|patch|brief|baby|bit|part)\b",
    r"(?:was|is|were|are) (?:all )?(?:mine|yours|on me)", r"set myself", r"made it my", r"i'?m responsible",
    r"(?:i|we) (?:was|were) (?:the one )?responsible", r"i decided (?:i'?d|i would|i was going to|it was)",
    r"the (?:thing|bit|part|piece|job) (?:that )?(?:nobody|no one|no-one)", r"nobody (?:asked|else|had)",
    r"(?:had|needed|was going) to be (?:done|filed|finished|ready|delivered|in|out|fixed|sorted|signed|live)",
    r"i'?d promised", r"i promised", r"the (?:ask|brief|aim|objective|mandate|remit)(?: from [\w ]{1,30})? (?:was|is)",
    r"what (?:i|we) (?:had|needed) to", r"i wanted (?:to|us to|her to|him to|them to|everyone to)",
    r"i needed (?:us|her|him|them|everyone|the \w+) to", r"(?:i'?d|i would) see it as my", r"if i didn'?t",
    r"(?:i|we) had (?:one|two|three|a|only|just) (?:\w+ )?(?:window|chance|shot|week|weeks|days|hours)\b",
    r"(?:i|we) (?:must|have to|had to|need to|needed to|should)", r"(?:asked|told|wanted|needed) me to",
    r"(?:my|our) (?:target|deadline|objective|priority|challenge) (?:was|became|is)", r"my responsibility",
    r"i decided to (?:try|take|fix|look|make|bring|turn|push|change|find|get|sort|set|build|stop)",
    r"i thought (?:we|i) (?:could|should|ought)", r"(?:wasn'?t|was not|isn'?t) (?:really )?an option",
    r"(?:as|i was|i'?m) (?:the |a |an )?(?:only |senior |new |lead |duty |acting |head )?(?:\w+ )?"
    r"(?:manager|lead|leader|supervisor|owner|officer|coordinator|captain|preceptor|editor|organiser|organizer)"
    r",? (?:so|and so|which meant|it was|i had|i needed|i wanted|i'?m responsible|i was responsible|and i (?:felt|knew|decided))",
)
R_STRONG = _rx(
    r"as a result", r"in the end", r"at the end", r"ended up", r"the (?:result|outcome|impact) was",
    r"result(?:ed)? in", r"by the end", r"afterwards", r"since then", r"from then on", r"because of (?:that|this|it)",
    r"long story short", r"we (?:shipped|launched|delivered|hit|met|made) (?:it|the|on|in)", r"on time",
    r"(?:was|were) (?:happy|thrilled|pleased|satisfied|grateful)", r"got (?:promoted|praised|recognized)",
    r"(?:the|our|my) (?:manager|client|customer|team|boss|director) (?:was|were|said|thanked|adopted|started|kept)",
    r"by (?:the )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|second|third|end)",
    r"still (?:use|using|uses|in use)", r"became (?:the|our|a) (?:standard|default|norm)", r"went live",
    r"it worked", r"we passed", r"no (?:more|longer)", r"(?:now|today) (?:we|they|it|the)",
)
R_CHANGE = _rx(
    r"reduced|increased|saved|improved|cut|dropped|grew|doubled|tripled|halved|raised|lowered|boosted|"
    r"went (?:down|up|from)|fell|climbed|shrank|sped up|recovered|retained|won back|stopped|eliminated|"
    r"no longer|never (?:again|missed|had)|came down|went away|disappeared|closed|signed|renewed",
)
#: The candidate owning a goal in so many words ("it was my job to", "it was on me to", "I set myself
#: a goal", "made it my mission", "I decided I'd fix..."): evidence for the task judgement even where
#: the sentence also carries the background and the labeller reads it as S.
T_OWNED = _rx(
    r"(?:my|our) (?:goal|job|task|role|responsibility|mission|aim|target|brief|priority)(?: \w+)?,? (?:was|is|became|would be|will be)",
    r"(?:it was|it's|that was|that's) (?:kind of |sort of |basically |all )?(?:my (?:job|call|responsibility|decision|mission|problem)|on me|up to me|down to me|mine)",
    r"(?:on|up to|down to|fell to|fell on) me to", r"set myself", r"made it my", r"i (?:was|am|'m) (?:the one )?(?:responsible|in charge|accountable)",
    r"i (?:was|got) (?:asked|tasked|told|given|brought in|put in charge|hired) (?:to|with)", r"i decided (?:i'?d|i would|i was going to)",
    r"i took (?:it )?(?:on|upon) myself", r"i (?:owned|took ownership of|volunteered to)", r"my (?:job|task|role) (?:to|as)",
)
#: A verdict on how it went, said plainly ("it went okay", "it helped a lot", "things are a lot
#: safer now", "they started using it"): outcomes without the usual result markers.
R_VERDICT = _rx(
    r"went (?:okay|ok|well|fine|smoothly|great|really well|down well)", r"(?:is|it'?s|was) going (?:well|fine|great)",
    r"(?:it|that|this) (?:really )?(?:helped|worked|paid off)", r"savings?\b", r"(?:started|began|kept) using",
    r"(?:\w+er|better|more \w+) now\b", r"(?:found|find) it (?:useful|helpful|easier)",
    r"(?:they|he|she|people|everyone|everybody|the \w+) (?:really )?(?:liked|loved|appreciated|approved|accepted|agreed|signed)",
    r"(?:nobody|no one|no-one) (?:complained|has complained|waits|had to)", r"haven'?t had (?:a|any)", r"hasn'?t (?:\w+ed|happened) since",
    r"(?:ever )?since(?: then)?,? (?:we|they|he|she|it|nobody|no one)", r"(?:now|these days) (?:he|she|they|we|it|everyone|people|nobody)",
    r"(?:got|was|were) (?:approved|accepted|chosen|picked|shortlisted|hired|funded|selected|renewed)",
    r"(?:came|got) back (?:to|with) (?:normal|a yes)", r"(?:never|didn'?t) (?:came|come) back", r"(?:premiered|opened|aired|published|released)\b",
)
#: Note-style task lines start with a bare verb: "Fix it before the launch", "Simplify and automate".
BARE_GOAL = re.compile(r"(?:to )?(?:fix|simplify|reduce|build|make|find|deliver|improve|ensure|get|learn|provide|"
                       r"choose|convince|help|ship|cut|increase|migrate|launch|design|create|decide|resolve|"
                       r"meet|hit|lead|scale|automate|replace|speed up|prevent|stop|handle|keep|finish)\b")
R_LEARN = _rx(r"i learned", r"i learnt", r"lesson", r"taught me", r"i realized", r"i realised",
              r"(?:now|today) i (?:always|try|make|check)", r"i still", r"i now", r"takeaway",
              r"next time", r"in hindsight", r"looking back", r"i would do (?:it )?differently", r"what i took away")
METRIC = re.compile(
    r"(?:\b\d[\d,.]*\s*(?:%|percent|x\b|k\b|ms\b|seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"users?|customers?|tickets?|bugs?|dollars?|people|points?|times|fold|million|thousand|hundred|grand|"
    r"orders?|calls?|patients?|students?|errors?|incidents?)?)|"
    r"\$\s?\d|\u00a3\s?\d|\u20ac\s?\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|a few|a couple of|"
    r"a handful of)\b(?:\s+\w+)?\s+(?:percent|hours?|days?|weeks?|months?|minutes?|seconds?|users?|customers?|"
    r"tickets?|people|dollars?|times|orders?|calls?|complaints?|errors?)\b|\bhalf\b|\bdoubled\b|"
    r"\btripled\b|\bhalved\b|\btwice\b|\bzero\b|\bnone of\b|\bevery single\b|\ba third\b|\ba quarter\b"
)
#: A magnitude said in words ("forty thousand accounts", "twelve hundred", "two million"): a
#: number, for the measurable-result judgement (not a feature of the labeller, which was fitted
#: on METRIC alone).
SPOKEN_MAGNITUDE = re.compile(
    r"\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?[- ](?:hundred|thousand|million|billion)\b")
O_CUES = _rx(
    r"(?:that's|that is|what) a (?:good|great|tough|hard|interesting) question", r"tell me about a time",
    r"let me think", r"i think", r"i believe", r"i feel like", r"in general", r"generally", r"i'm not sure",
    r"i don't (?:know|remember)", r"i guess", r"that's (?:it|about it|all)", r"i'm (?:a|the kind of|someone|very|really|pretty)",
    r"i am (?:a|someone|very|really)", r"i (?:really )?(?:like|love|enjoy|hate) (?:to|when|working)",
    r"people (?:should|often|usually)", r"it's (?:important|always|really|hard)", r"i'd say", r"ignore",
    r"give me", r"out of five", r"does that answer", r"hope that", r"you asked", r"the question",
    r"to be honest", r"honestly", r"i'm always", r"i always try", r"so yeah", r"anyway",
    r"you are now", r"grader", r"rubric", r"instructions?", r"(?:grade|score|rate) (?:me|this|my answer)",
    r"full marks", r"(?:the )?highest score", r"that's how", r"side note", r"funny enough", r"by the way",
    r"it was (?:a |such a )?(?:really )?(?:great|good|fun|amazing|awesome|nice|cool|interesting) (?:team|time|project|experience)",
    r"i (?:really )?(?:enjoyed|loved|liked) (?:it|that|the|working)",
)
#: A question about something that went badly or against the candidate: a failure, a mistake, a
#: disagreement, pressure, a refusal, criticism. An answer to one usually says what went wrong.
ADVERSE_QUESTION = re.compile(
    r"\b(?:fail\w*|mistake|wrong|not achieve|did not|didn't|conflict|disagree\w*|difficult|pressure|setback|"
    r"critical|criticism|struggl\w*|burn\w* out|bad news|said no|say no|refus\w*|not pulling|argued against|"
    r"unclear|without all|fewer resources|hardest|complicated|upset|angry|problem|not good enough|weakness|"
    r"not convenient|felt was wrong|too much|more work than)\b")
#: Something going wrong or against someone, in an answer (lower-cased text).
NEGATIVE_EVENT = _rx(
    r"not|never|no|didn't|wasn't|weren't|couldn't|wouldn't|hadn't|don't|doesn't|nobody|no one|problems?|issues?",
    r"wrong|broke|broken|late|behind|lost|losing|complain\w*|angry|upset|worried|worry|mess|messy|crash\w*",
    r"went down|fail\w*|mistakes?|errors?|missed|stuck|tense|heated|clash\w*|argu\w+|disagree\w*|but|however",
    r"unfortunately|hard|difficult|struggl\w*|frustrat\w*|unhappy|furious|blam\w*|fault|bad|poor|worse|worst",
    r"delay\w*|stress\w*|panic|crisis|risks?|unclear|confus\w*|refus\w*|declin\w*|flop\w*|pushed back",
    r"too (?:much|many|long|slow|late)|short of|ran out|overrun|over budget|behind schedule|off track|sick|quit",
)
#: Something going well, in an answer (lower-cased text).
POSITIVE_OUTCOME = _rx(
    r"proud|great|won|win|awards?|doubled?|smooth\w*|went (?:fine|well|great|smoothly)|on time|early|thank\w*",
    r"grateful|loved?|really well|best|success\w*|record|easy|easily|enjoy\w*|happy|perfect\w*|excellent",
    r"brilliant|amazing|fantastic|prais\w*|reliable|beat|exceeded|ahead of|bonus|promot\w*|celebrat\w*",
    r"favourite|favorite|lovely|naturally|no problems|no issues|went without a hitch",
)
#: The frame of a behavioural question, cut before comparing its meaning with an answer's
#: ("Tell me about a time you had a conflict with a colleague" -> "had a conflict with a colleague").
QUESTION_FRAME = re.compile(
    r"^\s*(?:tell me about|describe|give me an example of|walk me through|talk me through|share)\s+"
    r"(?:a time (?:when )?|an? |the |one |someone |something )?(?:you |when you )?", re.I)
#: Two poles of meaning for the topic check's semantic evidence (scoring/semantic.py): how far an
#: answer's sentences lean towards trouble rather than things going well. Generic sentences, not
#: taken from any answer.
TROUBLE_PROTOTYPES = ("it went wrong and we had a serious problem", "i made a mistake and it failed",
                      "we disagreed and argued, it got tense", "they were angry and complained",
                      "we missed the target and fell short")
SUCCESS_PROTOTYPES = ("everything went smoothly and it was a great success", "we won and beat the target",
                      "we worked really well together", "they were happy and thanked me", "it was easy and went fine")
#: What kind of story a sentence tells, for the topic check's "is the question's concept what the
#: story is about" evidence (rubric/topic.py): generic sentences of each kind of adversity and of
#: things going well, not taken from any answer. A question's central concept (TOPIC_CONCEPTS) is
#: compared against the other kinds: a deadline story leans to "deadline", not to "conflict".
#: Pressure has no kind of its own: a deadline, a setback or a crisis story all answer it.
STORY_KIND_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "conflict": ("we disagreed about how to do it and argued", "he wanted one thing and i wanted another",
                 "we did not see eye to eye and it got tense between us", "she objected to my plan and we clashed"),
    "failure": ("i failed and it was my fault", "i got it wrong and we lost the deal",
                "my plan flopped and we missed the target", "i made a mistake that cost us money"),
    "feedback": ("my manager told me my work was not good enough", "i was criticised for how i ran the meeting",
                 "she said i interrupted people too much and i needed to improve"),
    "deadline": ("we had only two weeks left before the launch date", "the deadline was moved forward and time was short"),
    "setback": ("the supplier pulled out and our plan broke", "the system went down the night before"),
    "customer": ("an angry customer complained and demanded a refund", "the client was unhappy with the service"),
    "underperform": ("a teammate was not doing his share of the work", "she kept missing her tasks and we covered for her"),
    "mentoring": ("i coached a new hire until they could work alone", "i taught a junior colleague how to do the job"),
    "saying_no": ("i refused the request and said no", "i told them we would not do it"),
    "wellbeing": ("a colleague was struggling and burning out", "she seemed exhausted and upset at work"),
    "success": ("everything went smoothly and it was a great success", "we won and beat the target",
                "they were happy and thanked me", "i was praised and promoted"),
}
#: An ending that is still open: a plan, a date to come, a hope ("the interim analysis is scheduled
#: for next spring", "they're still deciding, fingers crossed"); evidence that a sentence is no result.
PENDING = _rx(
    r"(?:is|are|was|were) (?:scheduled|planned|due|booked|supposed) (?:for|to|in)", r"the plan is",
    r"we'?ll see", r"fingers crossed", r"still (?:deciding|waiting|mid|in progress|going on|working on|early|open|"
    r"being|to be|under)", r"(?:i'?m|we'?re|they'?re|she'?s|he'?s) (?:following up|signed up|hoping|waiting|"
    r"planning|going to|still)", r"(?:hasn't|haven't|has not|have not|didn't|did not) (?:\w+ )?yet",
    r"(?:don't|do not|didn't) (?:know|hear) (?:yet|how it|what happened|if it)", r"too early to (?:say|tell)",
    r"waiting (?:to hear|for (?:the|a|them|him|her))", r"hopefully", r"we'?ll (?:know|find out|have)",
    r"(?:next|this coming) (?:week|month|quarter|spring|summer|autumn|fall|winter)", r"in the pipeline",
    r"(?:then|and) (?:the|my|our) \w+ (?:team )?took (?:it|over|it on)", r"took it from there",
    r"we will see", r"we'?ll have to see", r"(?:said|says) (?:he|she|they)'?d (?:think|consider|get back|look|check|talk|mention|pass)",
    r"think about it", r"(?:talk|check) (?:to|with) (?:her|his|their) (?:boss|mother|manager|family|partner)",
    r"for (?:approval|sign[- ]off|review|a decision)", r"where (?:it|we|things) (?:is|are|stand)(?: now)?",
    r"(?:in|into) the (?:planning|budget|pipeline) for", r"(?:team|they|he|she) took it on", r"(?:is|are) set for",
    r"(?:come|comes|came) out (?:in|at|next)", r"waiting to (?:see|hear)", r"i'?m (?:just )?waiting", r"(?:after|from) (?:easter|christmas|the summer)",
    r"(?:is|are) (?:starting|going to start|due to (?:start|finish))",
)
#: A closing remark that says the story is over without saying how it ended ("So yeah, that was a
#: busy week", "That's what I did", "It's the kind of call you don't forget").
CLOSING = _rx(
    r"that'?s (?:what i did|what we did|how i (?:handled|dealt)|kind of how|the story|where we are|about it|"
    r"basically it|the one|it really)", r"(?:so|and) yeah,? (?:that|this|it)", r"that was (?:a|the|my) (?:\w+ )?"
    r"(?:week|day|night|month|year|time|one|period)", r"i (?:still )?think about (?:it|that|this)",
    r"(?:hardest|busiest|longest|craziest|toughest|worst) (?:week|day|night|month|year|weeks)",
    r"you don'?t forget", r"(?:i was|we were) (?:exhausted|tired|knackered|wiped|shattered|nervous)",
    r"(?:and|so) that'?s (?:it|that)", r"on top of my (?:real|normal|day) job", r"that one stuck with me",
)
HYPOTHETICAL = _rx(
    r"i would", r"i'd (?:probably|usually|just|try|first|then|go|talk|sit|make|ask|set|start)", r"i usually",
    r"i always", r"i tend to", r"i typically", r"i normally", r"what i do is", r"i try to", r"if i (?:were|was|had|ever)",
    r"you (?:would|should|need to|want to|have to)", r"i'll", r"i will", r"i generally", r"i often",
    r"my approach is", r"i like to", r"whenever", r"i'd", r"if (?:someone|a|the|there)", r"in that case",
)
#: Actions that say something was handled without saying how ("I dealt with it", "worked with the team").
VAGUE_ACTION = _rx(
    r"dealt with (?:it|that|this|them|things|everything)", r"took care of (?:it|that|this|them|things|everything)",
    r"handled (?:it|that|this|them|things|everything)", r"sorted (?:it|that|this|them|things) out",
    r"worked (?:with|on) (?:the team|it|that|them|everyone|things|together)", r"kept things (?:moving|going|on track)",
    r"made sure (?:it|that|everything|things) (?:got done|worked|happened|was fine|went well|was done)",
    r"did (?:my|our) best", r"did what (?:was|i|we) (?:needed|had|could)", r"(?:helped|helping) out",
    r"worked (?:really )?hard", r"put in (?:the|a lot of|extra) (?:work|effort|hours)", r"got it done",
    r"figured it out", r"stayed on top of", r"(?:tried|try) to help", r"communicated (?:with|well|a lot)",
    r"talked (?:it|things) (?:through|out)", r"worked it out", r"pushed (?:it|things) through", r"stepped up",
    r"took (?:charge|the lead|ownership) of (?:it|things|the situation)", r"did a lot of", r"looked into (?:it|things)",
    r"fixed (?:it|things|everything)(?:\s+up)?\s*$", r"sorted (?:it|things|everything)", r"was involved in",
    r"coordinated (?:everything|things|with everyone)", r"did (?:the|some|a bit of) (?:work|stuff|things)",
    r"managed (?:it|things|everything)", r"supported (?:the team|them|everyone)", r"kept (?:everyone|people) (?:informed|updated|in the loop)",
)
I_WORDS = {"i", "i'm", "i've", "i'd", "i'll", "me", "myself"}
WE_WORDS = {"we", "we're", "we've", "we'd", "we'll", "us", "ourselves"}


# --- topics (rubric/topic.py) --------------------------------------------------------------------
#: What a question is about, as concepts with the many ways an answer may say them. Matched on
#: lower-cased text; a question's concepts come from its text and tags, an answer's from its words.
TOPIC_CONCEPTS: dict[str, str] = {
    "conflict": r"conflict|disagree\w*|clash\w*|argu\w+|tension|eye to eye|fell out|pushed back|push back|"
                r"friction|at odds|butt\w* heads|didn't agree|did not agree|objected|dispute|standoff|heated|"
                r"back and forth|had words|fell out|(?:wasn't|was not|weren't) convinced|i didn't think|i did not think|"
                r"(?:he|she|they|(?:my|our|the) \w+) (?:wanted|insisted|kept saying)\b.{0,80}\b(?:and|but|so) i (?:thought|wanted|felt|said)|"
                r"i (?:thought|felt) (?:he|she|they|it|that|this|(?:the|our|my) \w+) (?:was|were|would|wouldn't|had got|should)|"
                r"(?:not|wasn't|weren't) happy with (?:my|me|how i)|snapp\w*|snipe|sniping",
    "failure": r"fail\w*|flop\w*|didn't work|did not work|went wrong|mistake|missed|fell short|didn't go|"
               r"did not go|not achieve|didn't achieve|didn't hit|did not hit|loss|screwed up|messed up|wrong|"
               r"didn't check|forgot|overlooked|double[- ]book\w*|my fault|slipped|oversight|error|blame",
    "feedback": r"feedback|critici\w+|critique|review\w*|told me|pointed out|said i|comments?",
    "mentoring": r"mentor\w*|coach\w*|under my wing|develop\w* (?:someone|him|her|them)|trained (?:him|her|them|up)|"
                 r"train\w* (?:up|a new|new)|taught|onboard\w*|grew|grown|junior|new hire|apprentice",
    "customer": r"customer\w*|client\w*|guest\w*|patient\w*|users?\b|buyer\w*|shopper\w*|caller\w*|review\w*|"
                r"came in|walked in|called (?:in|us)|(?:a|the) (?:woman|man|couple|father|mother|family|lady|"
                r"gentleman|partners?|parents?)\b|tenant\w*|resident\w*|passenger\w*|diner\w*|visitor\w*|"
                r"account\b|the public",
    "deadline": r"deadline|due\b|tight|in time|on time|by (?:monday|tuesday|wednesday|thursday|friday|the end)|"
                r"days? (?:to|left|before)|weeks? (?:to|left|before)|hours? (?:to|left|before)|launch date|rush|"
                r"in (?:just |only )?(?:a|one|two|three|four|five|six|seven|ten|\d+) (?:days?|hours?|weeks?)|"
                r"moved (?:the launch |it )?(?:forward|up)|last minute",
    "pressure": r"pressure|stress\w*|crisis|urgent|panic|chaos|overwhelm\w*|crash\w*|emergency|intense",
    "manager": r"manager|boss|director|vp\b|head of|senior leader|leadership|supervisor|my lead|team lead|"
               r"executive|ceo|cto|founder|partner",
    "colleague": r"colleague|coworker|co-worker|teammate|peer|another (?:engineer|nurse|designer|developer)|"
                 r"other team|team member|one of (?:the|my|our)|junior|\bhe\b|\bshe\b|\bhis\b|\bhim\b|\bher\b|"
                 r"chef|nurse|engineer|developer|analyst|designer|driver|agent|rep\b|cashier",
    "workload": r"priorit\w*|too much|more work|juggl\w*|workload|backlog|swamped|capacity|overload\w*|"
                r"several (?:things|projects)|at once|plate",
    "underperform": r"pulling (?:their|his|her) weight|not pulling|slack\w*|coast\w*|turn\w* up late|late\b|"
                     r"half[- ]done|not doing|behind|unreliable|missed (?:deadlines|shifts|standups?)|didn't (?:do|deliver|show)|"
                     r"never showed|left (?:it|things)|picking up (?:his|her|their)",
    "learning": r"learn\w*|taught myself|picked up|course|training|tutorial|new (?:tool|software|system|language)|"
                r"studied|study|read up|upskill",
    "change": r"change\w*|transition|reorg\w*|restructur\w*|new (?:process|system|way)|adopt\w*|roll\w* out|"
              r"migrat\w*|introduc\w*|drove",
    "initiative": r"initiative|nobody (?:asked|else)|no one (?:asked|else)|on my own|volunteer\w*|outside my|"
                  r"not my job|took it on|stepped in|proactive\w*|without being asked|above and beyond",
    "ambiguity": r"unclear|ambigu\w*|vague|no (?:clear|spec|brief|requirements)|nobody (?:knew|could tell)|"
                 r"undefined|fuzzy|requirements|what good looked like",
    "decision": r"decid\w*|decision|judg\w*|choice|chose|call\b|trade-?off|gamble|bet\b|passed on|went with|"
                r"opted|turned down|weigh\w*",
    "data": r"data|numbers|metric\w*|dashboard|report\w*|analys\w*|spreadsheet|figures|stats",
    "incomplete": r"incomplete|missing|without all|not all|didn't have|did not have|unknown|uncertain\w*|"
                  r"partial|gut|risk\w*",
    "cost": r"cost\w*|sav\w+|waste\w*|budget|cheap\w*|spend\w*|money|licen[cs]\w*|frugal|expens\w*|\$",
    "safety": r"safe\w*|hazard\w*|danger\w*|injur\w*|accident\w*|risk\w*|privacy|accessib\w*|security|"
              r"compliance|ladder|spill",
    "hiring": r"hir\w+|recruit\w*|candidate\w*|interview\w*|offer\b|bar raiser|headcount",
    "simplify": r"simpl\w*|complicated|complex\w*|streamlin\w*|easier|automat\w*",
    "invent": r"new idea|idea|invent\w*|innovat\w*|prototype|creative\w*|came up with",
    "quality": r"quality|standard\w*|not good enough|refus\w*|ship\w*|bug\w*|defect\w*|sign off|hand over",
    "root_cause": r"root cause|trac\w+|debug\w*|investigat\w*|dig\w*|diagnos\w*|figur\w* out why|"
                  r"turned out|found (?:that|out)|culprit|to find (?:that|out|the|why)|the cause|why it|"
                  r"kept (?:crashing|failing|breaking|happening)|every (?:monday|tuesday|wednesday|thursday|friday|night|week)",
    "big": r"bigger|think big|ambitio\w*|vision|whole (?:company|org)|scale\w*|much more|proposed",
    "fast": r"quick\w*|fast|speed|straight away|immediately|same day|moved forward|bias for action|reversible|undone",
    "influence": r"influenc\w*|persuad\w*|convinc\w*|no authority|buy-?in|win (?:them|him|her) over|"
                 r"got (?:them|him|her|everyone) (?:on board|to)|bought in|didn't manage|did not manage|"
                 r"not my (?:team|staff)|weren't my|wasn't my|(?:most )?respected|champion\w*|won (?:them|him|her) over",
    "wellbeing": r"struggl\w*|burn\w* out|burnout|exhausted|tired|overwhelm\w*|stressed|wellbeing|"
                 r"mental health|leave\b|time off|stuck|afraid|midnight|late (?:at night|nights)|online at|"
                 r"not (?:himself|herself|themselves)|withdrawn|quiet(?:er)?|upset|crying|worried about (?:him|her|them)",
    "team_culture": r"better place|morale|culture|team spirit|quiet room|social|welcom\w*|inclus\w*|"
                    r"team (?:lunch|events?)|recogni\w*|atmosphere",
    "community": r"communit\w*|environment\w*|future users|society|public|sustainab\w*|charity|neighbo\w*|"
                 r"beyond (?:our|the|my) (?:direct )?customers",
    "long_term": r"long[- ]term|short[- ]term|quick (?:win|discount|fix|sale)|in the long run|down the line|"
                 r"later|future|years? (?:from|later)|sustainab\w*|would have (?:hit|made|got)|trained (?:our |the )?customers|"
                 r"target|next year",
    "saying_no": r"said no|say no|saying no|declin\w*|turn\w* down|push\w* back|refus\w*",
    "wrong": r"wrong|unethical|uncomfortable|didn't feel right|not right|against (?:policy|the rules)|raised it",
    "salary": r"salary|salaries|compensation|pay\b|paid|base|stock|rsus?|equity|sign-?on|bonus|offer|"
              r"negotiat\w*|level\b|band\b|total comp\w*",
    "interview_process": r"interview\w*|loop|recruiter|phone screen|screen\w*|online assessment|bar raiser|"
                         r"debrief|rounds?|stages?",
    "timeline": r"weeks?|months?|days?|timeline|how long|schedul\w*|wait\w*",
    "preparation": r"prepar\w*|practi[cs]\w*|mock\w*|rehears\w*|story bank|stories|leadership principles",
    "weakness": r"weakness\w*|working on|struggle with|not (?:great|good) at|find it hard|tend to",
    "improvement": r"improv\w*|better|faster|quicker|speed\w* up|streamlin\w*|fix\w*|reduc\w*|cut\w*|"
                   r"process\w*|efficien\w*|sav\w+|simplif\w*|automat\w*",
    "career": r"career|next step|role|position|path|looking for|want to|five years|leaving|quit\w*|"
              r"opportunit\w*|move into|moving on|move on|progress\w*|promot\w*",
    "self": r"i'm a|i am a|i've been|currently|right now|background|experience|years? (?:as|in|at)|started (?:as|my)",
    "remote": r"remote\w*|cross-functional|distributed|time zones?|different (?:teams|offices|countries)|"
              r"berlin|toronto|offshore|other teams?",
    "teamwork": r"team\w*|together|group|collaborat\w*|everyone",
    "pride": r"proud\w*|achievement|accomplish\w*",
    "questions_to_ask": r"ask (?:the|my|an|them|him|her)|questions? (?:for|to)|i'd ask|i would ask|i'll ask",
    "ai_mocks": r"\bai\b|mock\w*|chatgpt|llm|tool\w*|practi[cs]e partner",
}
#: Openers that restate a different question: "a time I showed leadership was when ...".
RESTATED_QUESTION = re.compile(
    r"(?:^|[,.;]\s*|\b(?:so|say|think|honestly|well)\s+)(?:a time (?:when )?i ([\w' ]{3,60}?) was (?:when|at|in|the)|"
    r"the (?:thing|project|achievement) i'?m (?:most )?proud\w* of|my (?:greatest|biggest|proudest) "
    r"(?:achievement|strength|accomplishment)|i'?m (?:most )?proud\w* of)")
#: Who receives: "feedback I got" vs "feedback I gave"; "I mentored" vs "my mentor".
RECEIVED_BY_ME = re.compile(r"\b(?:told me|gave me|said (?:that )?i|to me|i (?:got|received|was given|heard)|"
                            r"my (?:manager|boss|lead|director|mentor|colleague|reviewer) (?:said|told|pointed|gave|wrote)|"
                            r"(?:pointed out|called out) (?:that )?(?:i|my)|feedback (?:i|that i) (?:got|received)|"
                            r"(?:hear|heard) (?:that )?i)\b")
GIVEN_BY_ME = re.compile(r"\b(?:i (?:told|gave|said to|sat (?:him|her|them) down|pointed out to|raised it with)|"
                         r"i (?:had to )?(?:give|tell) (?:him|her|them))\b")
MENTORED_BY_ME = re.compile(r"\b(?:i (?:\w+ )?(?:mentor\w*|coach\w*|train\w*|taught|paired|showed|onboarded|"
                            r"shadowed|supported|helped)|under my wing|my (?:mentee|junior|apprentice|trainee)|"
                            r"i (?:\w+ )?(?:met|sat) with (?:him|her|them))\b")
#: The answer denies the question's premise ("we've never really disagreed").
DENIAL = re.compile(r"\b(?:never (?:really |actually |ever )?(?:\w+ed|had|get|got|been|felt|disagree\w*|fail\w*)|"
                    r"(?:don't|do not|didn't|haven't) (?:really |actually |ever )?(?:get|have|had|feel|disagree|"
                    r"fail|make mistakes)|can't (?:think of|remember) a time|not (?:really )?a (?:problem|thing) for me)\b")
MENTORED_ME = re.compile(r"\b(?:my (?:mentor|coach)|mentored me|coached me|taught me|trained me|took me under)\b")


# --- opening answers (rubric/coverage.py) -------------------------------------------------------
#: The four parts of a "tell me about yourself" answer, matched per sentence (lower-cased).
#: Cues of the view rubric's parts (rubric/view.py), searched in cleaned, lower-cased sentences.
VIEW_CUES: dict[str, re.Pattern[str]] = {
    # a plain answer: a stance, a preference, a value, a number
    "answer": re.compile(r"^(?:\w+ )?because\b|\b(?:i think|i'?d say|i would say|i believe|i feel|for me|to me|honestly|"
                         r"my (?:main|biggest|greatest|ideal|real|honest|first|short|top|weakest|strongest|key)\b|"
                         r"my (?:\w+ )?(?:weakness|strength|goal|motivation|style|approach|answer|expectations?|"
                         r"priorit(?:y|ies)|view|take|plan)\b|"
                         r"the (?:main|biggest|first|short|honest|real|key) (?:thing|answer|one|reason|area)|"
                         r"what (?:gets|drives|motivates|keeps|matters|brings|excites)|"
                         r"i (?:want|like|love|enjoy|value|prefer|need|hope|expect|see myself|picture|know|chose|"
                         r"choose|picked|went into|got into|'?m looking|am looking|'?m hoping|am hoping|'?m aiming)\b|"
                         r"i'?d (?:like|love|want|be|expect|look)|(?:somewhere|in the range|around|between) (?:of )?\$?\d|"
                         r"someone who|a manager who|people who|it'?s (?:the|a|an|about|mostly|really|probably|definitely)\b|"
                         r"(?:you|you'?re|you are) (?:the|a|an|one)\b)"),
    # a plan's opening: what one would do first
    "plan_answer": re.compile(r"\b(?:i'?d|i would|i will|i'?ll|first|my first|the first thing|i'?d start|"
                              r"i'?d begin|step one|straight away|right away|immediately)\b"),
    "reason": re.compile(r"\b(?:because|since|'?cause|the reason|that'?s why|which is why|so that|that way|"
                         r"which means|it means|means (?:i|we|that|you)|otherwise|in order to|"
                         r"(?:it|that|this) (?:helps|lets|matters|gives|keeps|saves|stops|avoids)|matters (?:to|because)|"
                         r"that'?s what|based on|i'?d rather|which i (?:really |actually )?(?:like|love|value|need)|"
                         r"\w+,? so (?:that|i|we|they|nobody|no one|there|it|you|people|everyone)\b|"
                         r"(?:that'?s|it'?s) (?:it|what matters|the thing) for me)\b"),
    # one concrete instance from the candidate's own work
    "example": re.compile(r"\b(?:for example|for instance|like when|once|one time|last (?:year|month|week|quarter|"
                          r"summer|spring|autumn|fall|winter|job|role)|at my (?:last|current|previous|old|first)|"
                          r"in my (?:last|current|previous|old|first) (?:job|role|team|company)|when i was|i remember|"
                          r"(?:a|two|three|four|five|\d+) (?:years?|months?|weeks?) ago|recently|"
                          r"the other (?:day|week)|earlier this (?:year|month)|when (?:a|i|we|my|the|one)|"
                          r"my (?:best|worst|last|old|previous|first|current) (?:boss|manager|job|role|team|company|lead))\b"),
    # one step of a plan
    "step": re.compile(r"\b(?:first|firstly|then|next|after that|second|secondly|third|finally|also|step|"
                       r"i'?d|i would|i will|i'?ll|we'?d|we would|we will|we'?ll|by (?:the end of )?(?:week|month|day))\b"),
    # how a plan's success would be known
    "check": re.compile(r"\b(?:measure|track|check (?:in|back|whether|if|how|it|that|they|the)|(?:it|that|this) "
                        r"(?:worked|helped|fixed it)|review|see (?:if|whether|how)|success|"
                        r"follow(?:-| )?up|target|kpi|metric|numbers?|by the end|after (?:a|the first|two|three|\d+) "
                        r"(?:days?|weeks?|months?)|weekly|monthly|feedback|know (?:it|if|whether|that)|"
                        r"make sure|keep an eye|monitor)\b"),
    # the close: back to this role, or to what the candidate does now
    "close": re.compile(r"\b(?:this (?:role|job|position|team|company|opportunity)|the role|your (?:team|company|store|"
                        r"ward|practice|customers|clients|business|school|organisation|organization|firm|agency)|"
                        r"here|that'?s why|which is why|so that'?s|now i|these days|nowadays|going forward|"
                        r"from now on|next time|i'?m (?:working on|learning|getting better|still)|"
                        r"i'?ve (?:started|been working|learned|learnt|got better|gotten better)|i keep|"
                        r"that'?s what i|in the end|overall|so for me|for you|with you|bring|why i (?:applied|want|'?m)|"
                        r"so yeah|in short|basically|mainly|that'?s (?:roughly|basically|really|pretty much) (?:it|where))\b"),
}

#: What marks a weak view answer (rubric/view.py): interview buzzwords and clichés that say nothing
#: about the candidate, evasion and fence-sitting, and complaints about people or employers.
VIEW_BUZZWORDS = re.compile(
    r"\b(?:synerg\w*|passionate|dynamic|fast-paced|team player|hard worker|perfectionist|above and beyond|"
    r"exceed\w* (?:their |the |all )?expectations|excellence|detail-oriented|results-driven|outside the box|"
    r"people person|self-starter|go-getter|touchpoints?|natural (?:leader|problem solver)|whatever it takes|"
    r"make it happen|get things done|always deliver\w*|great leader|good with people|super organi[sz]ed|"
    r"open-minded|adapt and grow|positive energy|culture of|growth mindset|learn and grow|thrive|"
    r"best version of|add value|hit the ground running|wear many hats|can-do attitude|work too hard|"
    r"care too much|give (?:it )?(?:a )?(?:110|hundred and ten)|win-win|proactive|go the extra mile)\b")
VIEW_EVASION = re.compile(
    r"\b(?:it (?:all )?depends|pros and cons|advantages and disadvantages|both sides|on (?:the )?one hand|whatever you think|"
    r"haven'?t (?:really )?thought|hard to say|i don'?t (?:really )?know|not (?:really |totally )?sure|"
    r"(?:good|great|tough|interesting) question|lots of things|many things|do my best|try (?:really )?hard|"
    r"stay positive|somehow|we'?ll see|who knows|play it by ear)\b")
VIEW_COMPLAINT = re.compile(
    r"\b(?:nightmare|lazy|can'?t stand|terrible|toxic|useless|incompetent|"
    r"don'?t know what they'?re doing|baby them|awful|their problem|sink or swim|burnt out|"
    r"rubbish|idiots?|stupid|pathetic|ridiculous|takes? credit|"
    r"i hate (?:my|our|the (?:way|people|management|manager|boss)|working (?:for|with)|them|him|her|people|how they)|"
    r"(?:it'?s|that'?s|was|is) (?:just )?not fair (?:on|to) me|not fair given)\b")
#: A sentence that hedges and then commits ("It depends on the person, but that's what works for
#: me", "If I'm not sure I've understood, I'd ask") is no dodge.
VIEW_COMMITS = re.compile(r"\b(?:but|so i|i'?d|i would|i will|i'?ll|that'?s what|i always|i go with|my answer|"
                          r"if i'?m not sure|if i am not sure|of course)\b")
#: Numbers, amounts, days and months: the details a specific answer is made of.
VIEW_NUMBER = re.compile(
    r"(?:\$|£|€)?\b(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|half|dozen|percent|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|"
    r"august|september|october|november|december)\b", re.I)
#: When, in a plan or an account: specific times count as details too ("the same day", "a week later").
VIEW_TIME = re.compile(
    r"\b(?:(?:the )?same day|(?:the )?next (?:day|morning|week)|the day after|(?:a|one|two|three|\d+) (?:hours?|days?|"
    r"weeks?|months?) later|within (?:a|an|the|one|two|three|\d+) \w+|by (?:the end of|tomorrow|close of)|tomorrow|"
    r"tonight|this week|straight away|first thing|last (?:year|month|week|summer|spring|autumn|fall|winter|quarter)|"
    r"(?:went|dropped|fell|down) to zero)\b", re.I)
#: A first sentence that warms up or dodges instead of answering.
VIEW_WARM_UP = re.compile(
    r"^(?:(?:oh|um|uh|er|well|so|yeah|hmm|okay|right|honestly)\W+)*(?:that'?s a (?:good|great|tough|hard|"
    r"interesting|big) (?:question|one)|(?:good|great|interesting) question|let me think|i haven'?t (?:really )?"
    r"thought|i'?m not (?:really |totally )?sure|i don'?t (?:really )?know|it (?:all )?depends|there are "
    r"(?:pros and cons|many|lots of|a lot of)|lots of things|many things|that'?s (?:hard|tough|difficult) to|"
    r"i think there are|it'?s hard to say)|\b(?:good|great|tough|hard|interesting|big|difficult) question\b|"
    r"\blet me (?:think|see)\b")

OPENING_CUES: dict[str, re.Pattern[str]] = {
    "present": re.compile(r"\b(?:i'?m (?:a|an|the|currently|now|working|leading|running)|i am (?:a|an|the|currently)|"
                          r"currently|right now|at the moment|these days|today i|i work (?:as|at|in|for|on)|"
                          r"i (?:lead|run|manage|own|look after|teach|build|design)\b|my (?:current|day job)|"
                          r"for the (?:last|past) (?:\w+ )?(?:years?|months?))"),
    "past": re.compile(r"\b(?:before that|previously|prior to|earlier|i started (?:as|my|out|in|at)|i began|"
                       r"i (?:spent|worked|studied|trained|graduated|did (?:a|my))|back (?:when|in)|"
                       r"my (?:first|previous|last) (?:job|role)|(?:years?|months?) ago|originally|"
                       r"i'?ve been (?:a|an|in|at|doing|working)|i'?ve (?:spent|worked|had|led|built|trained|run|"
                       r"managed)|by training|(?:\w+ )?years (?:on|in|at) (?:a|an|the))\b"),
    "future": re.compile(r"\b(?:next step|looking (?:for|to)|i want to|i'?d (?:like|love) to|i would (?:like|love) to|"
                         r"hoping to|i hope to|going forward|in the future|long[- ]term|my goal is|"
                         r"where i want|ready for|ready to|the next (?:thing|chapter|stage)|move into|grow into|"
                         r"(?:what )?i want (?:\w+ )?next|what i want (?:now|is)|next,? i'?d|i'?m aiming|i aim to|"
                         r"i plan to|my plan is|i see myself)\b"),
    "why_role": re.compile(r"\b(?:this (?:role|position|job|team|opportunity)|your (?:team|company|platform|product|"
                           r"mission|customers)|why i applied|that'?s why|which is why|what (?:draws|excites|attracts) me|"
                           r"excited (?:about|by)|drawn to|here at|join(?:ing)? (?:you|your|the team)|"
                           r"fits? (?:what|exactly)|exactly the kind of)\b"),
}
