"""The built-in sample answer ``voicemock demo`` speaks to a file and scores like a real one.

A first-person STAR answer of about 50 seconds at espeak's default rate, with a couple of fillers
(so the filler count is not trivially zero) and a measurable result.
"""

from __future__ import annotations

#: The bank question the sample answers (falls back to the bank's first behavioural question).
DEMO_QUESTION_ID = "amz-lp-deliver-results-1"

DEMO_ANSWER = (
    "Last spring I was the lead engineer on the billing team at a mid-sized logistics company. "
    "Two weeks before our launch deadline, the payment provider we depended on announced that "
    "it would shut down its old interface, which broke our whole invoicing flow. "
    "My task was to get invoicing working on the new interface without moving the launch date. "
    "Um, first I split the work into three parts and wrote a short plan that the team could follow. "
    "I rebuilt the invoice export myself, and I paired with a junior developer on the test suite, "
    "so that we could compare every old invoice with the new output. "
    "I also, you know, called the provider's support team every morning to unblock questions quickly. "
    "As a result, we launched on the original date, with zero failed payments in the first month, "
    "and the new checks cut invoice errors by forty percent. "
    "I learned to plan for a dependency failing, and we now review our critical vendors every quarter."
)


#: Words of a question the sample answers well (a tight deadline despite a setback).
DEMO_TOPIC = ("deadline", "setback", "pressure", "deliver")


def demo_question_id(bank) -> str:
    """The question the sample answers: DEMO_QUESTION_ID, else the bank's question about a deadline
    or a setback (a demo scored against a question it does not answer teaches the wrong thing),
    else its first behavioural one."""
    ids = [q.id for q in bank.questions]
    if DEMO_QUESTION_ID in ids:
        return DEMO_QUESTION_ID
    behavioural = [q for q in bank.questions if q.category == "behavioral"] or list(bank.questions)
    for word in DEMO_TOPIC:
        for q in behavioural:
            if word in f"{q.id} {q.text} {' '.join(q.tags)}".lower():
                return q.id
    return behavioural[0].id
