"""Training answers for the filler detector, generated from this file's own sentences.

None of these sentences comes from ``benchmarks/data/filler_scripts/`` (the test text). The
generator strings 6-14 sentences into an answer and adds what spoken answers have: hesitations
``{um}`` at sentence starts and inside sentences (sometimes two in a row), discourse fillers
``[like]`` used as fillers, self-corrections ("we, no, I ..."), repeats ("I, I think") and the
same words used for their meaning (``<like>``), so a detector learns both sides.
"""

from __future__ import annotations

import random

STORY = [
    "Our warehouse was shipping about four hundred orders a day when the new client signed.",
    "The reporting job ran every night and it failed roughly once a week.",
    "I was the newest person on the team, which made the next part awkward.",
    "My supervisor gave me two weeks to find out why the numbers did not match.",
    "The clinic had one receptionist for three doctors and the phones never stopped.",
    "I pulled the last six months of tickets into a spreadsheet and sorted them by cause.",
    "Most of the complaints came from the same two suppliers.",
    "I called each of them and asked what changed in their process last spring.",
    "One of them had switched carriers without telling anyone.",
    "We set up a weekly call with their logistics manager.",
    "Within a month the late deliveries dropped by half.",
    "The second problem was harder, because it was our own code.",
    "I wrote a small script that compared the invoices line by line.",
    "It turned out the tax rate was rounded twice on every order.",
    "I fixed the rounding and added a test for it.",
    "Then I walked the finance team through the change before we released it.",
    "They caught one case I had missed, a discount applied after tax.",
    "The release went out on a Tuesday and nothing broke.",
    "Looking back, I would have asked finance for examples on day one.",
    "In my last role I taught maths to a class of thirty teenagers.",
    "Half of the class was failing the mock exams in October.",
    "I started a lunchtime club for anyone who wanted extra practice.",
    "At first only three students came.",
    "I asked them what would make it worth their time, and they said past papers with answers.",
    "By December the club had grown to fifteen students.",
    "Their average mark went up by eleven points.",
    "At the restaurant we had a new menu launching on a busy Friday.",
    "The kitchen and the front of house were not talking to each other.",
    "I set up a ten minute briefing before every shift.",
    "The chefs explained each dish and the servers tasted it.",
    "Returned plates went down noticeably over the next month.",
    "The customer had been waiting three weeks for a refund.",
    "She was angry, and honestly she had every reason to be.",
    "I apologised and told her exactly what I would do and by when.",
    "I escalated it to the payments team and followed up every morning.",
    "The refund arrived two days later and she wrote to thank us.",
    "After that I proposed a rule that no refund waits more than a week.",
    "Our site crew was behind schedule on a school extension.",
    "The concrete supplier kept missing its delivery slots.",
    "I rearranged the work so the roofing team could start early.",
    "We finished the building nine days before term started.",
    "During my internship I built a dashboard for the sales team.",
    "Nobody had asked for it, so I had to convince them it was useful.",
    "I showed it to one manager first and asked her to try it for a week.",
    "She started using it in her Monday meetings.",
    "Soon three other managers asked for access.",
    "The lab was losing samples because the labels smudged in the freezer.",
    "I tested four kinds of labels over a month.",
    "We switched to the one that survived, and we lost no samples that quarter.",
    "The project lead left halfway through the migration.",
    "I volunteered to keep the plan together until a new lead was hired.",
    "I met with every engineer and wrote down what they were blocked on.",
    "We moved the last database over a weekend in March.",
    "The old servers were switched off and we saved about nine thousand dollars a month.",
    "What I learned is to write down decisions, not just tasks.",
    "I still keep a short log of every decision I make on a project.",
    "The hardest part was telling my manager that the deadline was not realistic.",
    "I brought a plan with two options and the cost of each.",
    "He picked the smaller scope, and we delivered it on time.",
    "I think the main lesson was to raise bad news early.",
    "We had a volunteer who kept missing his shifts at the food bank.",
    "I asked him over coffee what was going on.",
    "He had started a night job and was too embarrassed to say.",
    "We moved him to the Saturday morning shift, and he never missed one after that.",
]

# Sentences with the marked words used for their meaning (precision), and a few with fillers.
REAL = [
    "I <like> working with people who push back on my ideas.",
    "The new layout looked <like> a spreadsheet from the nineties.",
    "We tested it <so> that nobody would be surprised on launch day.",
    "The queue was <so> long that people gave up and left.",
    "I asked her if <you know> anyone in the legal team.",
    "It was the <kind of> problem that nobody owns.",
    "What <kind of> customer calls at midnight?",
    "What <actually> happened was a cable came loose.",
    "I told him <honestly> that I did not know the answer yet.",
    "That is not what <I mean> by a good handover.",
    "She got the numbers <right> on the first try.",
    "The meeting went <well>, better than I expected.",
    "We turned <right> after the loading bay and found the missing pallets.",
    "The managers would <like> a summary every Friday.",
    "It felt <like> we were finally on the same page.",
    "Customers <like> it when you call them back before they chase you.",
    "Things were <so> busy that we stopped taking new orders.",
    "I <actually> enjoyed the night shifts.",
    "It had to be done <right>, not fast.",
    "She handled the angry caller really <well>.",
    "He spoke to me <like> an equal, which I appreciated.",
    "Do <you know> how long the backlog was?",
]

START_FILLERS = ["so", "so", "well", "honestly", "basically", "you know", "I mean", "actually", "right", "like"]
MID_FILLERS = ["like", "like", "kind of", "you know", "I mean", "basically"]
HESITATIONS = ["um", "um", "uh", "uh", "er", "hmm", "umm"]
CORRECTIONS = [("We", "we, no, I"), ("I", "I, I"), ("The", "the, the"), ("Then", "then, then I mean, then"),
               ("It", "it, it")]


def _lower_first(s: str) -> str:
    first = s.split(" ", 1)[0].rstrip(",.")
    return s if first == "I" or first.startswith("I'") else s[:1].lower() + s[1:]


def _sentence(rng: random.Random) -> str:
    s = rng.choice(REAL) if rng.random() < 0.25 else rng.choice(STORY)
    words = s.split()
    r = rng.random()
    if r < 0.18:  # a discourse filler opens the sentence
        f = rng.choice(START_FILLERS)
        sep = "," if rng.random() < 0.5 else ""
        s = f"[{f}]{sep} {_lower_first(s)}"
    elif r < 0.30 and len(words) > 5:  # one inside it
        k = rng.randint(2, len(words) - 2)
        f = rng.choice(MID_FILLERS)
        if rng.random() < 0.5:
            words[k - 1] = words[k - 1].rstrip(",") + ","
            s = " ".join(words[:k] + [f"[{f}],"] + words[k:])
        else:
            s = " ".join(words[:k] + [f"[{f}]"] + words[k:])
    elif r < 0.36:  # a self-correction or a repeat at the start
        for first, said in CORRECTIONS:
            if s.startswith(first + " "):
                s = said[:1].upper() + said[1:] + s[len(first):]
                break
    return s


def _hesitate(s: str, rng: random.Random) -> str:
    """Maybe add a hesitation at the start or inside the sentence (markup kept whole)."""
    r = rng.random()
    h = rng.choice(HESITATIONS)
    if r < 0.25:
        extra = f" {{{rng.choice(HESITATIONS)}}}" if rng.random() < 0.12 else ""
        return f"{{{h}}}{extra} {_lower_first(s)}"
    if r < 0.55:
        words = s.split()
        ok = [k for k in range(1, len(words)) if not words[k].startswith(("<", "[")) and ">" not in words[k - 1][-1:]
              and not words[k - 1].startswith(("<", "["))]
        if ok:
            k = rng.choice(ok)
            return " ".join(words[:k] + [f"{{{h}}}"] + words[k:])
    return s


def training_answers(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """``n`` answers as (id, markup), 6-14 sentences each (about 30-90 s spoken)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = [_hesitate(_sentence(rng), rng) for _ in range(rng.randint(6, 14))]
        if rng.random() < 0.15:
            sentences.insert(rng.randint(1, len(sentences) - 1), "{hmm}.")
        out.append((f"tr-{seed}-{i:03d}", " ".join(sentences)))
    return out
