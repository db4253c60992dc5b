"""The topic check of questions no bank holds (the user's own --question): a rule that flags only
an answer of the wrong kind, never one that merely shares few words with the question."""

from __future__ import annotations

import pytest

from voicemock.models import Transcript
from voicemock.rubric.kinds import is_custom, question_info
from voicemock.rubric.offline import offline_rubric
from voicemock.scoring.star import analyze_structure
from voicemock.targets import OFF_TOPIC_SCORE_CAP


def _topic(question: str, answer: str):
    rubric = offline_rubric(analyze_structure(Transcript(text=answer)), None, question)
    return rubric.topic, rubric


# plainly on topic, and (before the rule) flagged off topic and capped at 35 by the check fitted on
# bank questions
ON_TOPIC = [
    ("What is your greatest weakness?",
     "Honestly my biggest weakness has been delegating. At my last job I kept the hardest tickets for myself and I "
     "became the bottleneck for the release. So I started giving one complex ticket a week to a junior engineer and "
     "pairing with her for the first hour. After two months she owned the billing module."),
    ("How do you handle stress?",
     "I handle stress by breaking the work into small pieces and writing down the next step. Last spring we had three "
     "audits in one month, so I made a list every morning and blocked two hours with no meetings."),
    ("Describe your ideal manager.",
     "My ideal manager gives clear goals and then trusts me to get there. My best manager so far met me every week "
     "for half an hour, told me honestly what wasn't working, and backed me in front of other teams."),
    ("What do you know about our company?",
     "You're a logistics startup founded in 2019, you run same day delivery in six cities, and you raised a series B "
     "last year. I read that you're moving into grocery delivery, which is why this warehouse role interests me."),
    ("If your main supplier went bankrupt tomorrow, what steps would you take?",
     "First I'd find out exactly what's in transit and what we've already paid for. Then I'd call our second "
     "supplier and ask what they could take on this month, and I'd tell the store managers which lines will run short."),
]


@pytest.mark.parametrize("question, answer", ON_TOPIC)
def test_on_topic_answers_to_ones_own_questions_are_not_flagged(question, answer):
    assert is_custom(question_info(question))
    topic, rubric = _topic(question, answer)
    assert topic is not None and topic.on_topic, topic
    assert not any("does not answer the question" in f for f in rubric.feedback)


@pytest.mark.parametrize("question, answer, said", [
    ("Tell me about a time you negotiated a better price with a supplier.",
     "I think a good supplier relationship is really about trust, not just price. I always try to pay on time and "
     "I'd rather have a partner than the cheapest quote.", "one time it happened"),
    ("How would you explain what an API is to a client who isn't technical?",
     "Last year a client asked me why their app was slow. I looked at the logs and found the database had no index, "
     "so I added one and the page loaded in two seconds.", "what you would do"),
])
def test_an_answer_of_the_wrong_kind_is_flagged_and_capped(question, answer, said):
    topic, rubric = _topic(question, answer)
    assert topic is not None and not topic.on_topic and said in topic.why
    assert rubric.overall <= OFF_TOPIC_SCORE_CAP and "does not answer the question" in rubric.feedback[0]


def test_bank_questions_keep_the_learned_check():
    info = question_info("Tell me about a time you had a conflict with a colleague. How did you resolve it?")
    assert not is_custom(info) and info.guidance
