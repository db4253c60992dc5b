"""The view rubric (rubric/view.py): questions that ask for a view, a weakness, a motivation or a
plan are scored by a direct answer, its reason, an example (or a plan's steps) and a close, not
by STAR, which gave good answers to them less than off-topic ones."""

from __future__ import annotations

import json

import pytest

from voicemock.models import Rubric, Transcript
from voicemock.rubric.kinds import question_info
from voicemock.rubric.offline import offline_rubric
from voicemock.rubric.prompts import question_block
from voicemock.scoring.star import analyze_structure
from voicemock.targets import OFF_TOPIC_SCORE_CAP


def _rubric(question: str, answer: str) -> Rubric:
    return offline_rubric(analyze_structure(Transcript(text=answer)), None, question)


WEAKNESS = "What is your greatest weakness?"
GOOD_WEAKNESS = (
    "My greatest weakness is that I used to find it hard to delegate. I would take on too much myself because I "
    "knew I could do it quickly. Last year that meant I was the bottleneck on our release, so I started handing "
    "the deployment scripts to a junior colleague and reviewing instead of doing. Now I plan the work at the start "
    "of each sprint and decide who owns what, and the team ships without waiting on me.")
CLICHE_WEAKNESS = (
    "My weakness is that I'm a perfectionist. I just work too hard sometimes and care too much about details, and "
    "people say that is a good thing but it is really my weakness if I had to pick one.")


@pytest.mark.parametrize("question, kind", [
    (WEAKNESS, "view"),
    ("Describe your ideal manager.", "view"),
    ("What are your salary expectations for this role?", "view"),
    ("How would you handle a customer who wants a refund after the return window closed?", "view"),
    ("Why did you choose a career in logistics?", "view"),
    ("Tell me about a time you disagreed with your manager.", "star"),
    ("Describe a situation where you had to meet a tight deadline.", "star"),
    ("How did you handle your most difficult customer?", "star"),
    ("What is your proudest achievement?", "star"),
    ("What's the hardest decision you've made?", "star"),
    ("What was your biggest challenge last year?", "star"),
    ("What are your strengths?", "view"),
    ("How do you prioritise your work?", "view"),
    ("Tell me about yourself.", "opening"),
    ("Tell me a little about yourself.", "opening"),
    ("So, tell us about yourself.", "opening"),
    ("Why do you want to work here?", "opening"),
    ("Where do you see yourself in five years?", "view"),
    ("Why do you want to leave your job?", "view"),
    ("How would you describe yourself?", "view"),
    ("What would you say is your greatest weakness?", "view"),
])
def test_a_typed_question_gets_the_rubric_of_what_it_asks_for(question: str, kind: str) -> None:
    assert question_info(question).kind == kind


@pytest.mark.parametrize("question, plan", [
    ("How would you describe yourself?", False),
    ("What would you say is your greatest weakness?", False),
    ("What would you bring to this team?", False),
    ("What would you do if a customer complained about a colleague?", True),
    ("How would you handle a refund after the return window closed?", True),
    ("If a colleague missed a deadline, what would you say to them?", True),
])
def test_only_questions_about_what_one_would_do_are_plans(question: str, plan: bool) -> None:
    """'What would you say is your greatest weakness?' was a plan: a good answer scored 0 and was told
    to lay out steps, and the topic rule flagged it as a past story (new-user pass, 2026-12-08)."""
    from voicemock.rubric.kinds import asks_plan

    assert asks_plan(question_info(question)) is plan


def test_a_good_answer_to_a_view_question_scores_high_and_names_its_parts() -> None:
    r = _rubric(WEAKNESS, GOOD_WEAKNESS)
    assert r.kind == "view"
    assert {c.name: c.met for c in r.criteria} == {"answer": True, "reason": True, "example": True, "close": True,
                                                    "specifics": True, "rambling": False, "buzzwords": False,
                                                    "evasion": False, "complaint": False}
    assert r.overall >= 80
    quotes = {c.name: c.quote for c in r.criteria}
    assert quotes["answer"].startswith("My greatest weakness")
    assert quotes["close"].startswith("Now I plan")
    # no STAR advice on a question that asks for no story
    assert not any("context" in f or "the story" in f.lower() for f in r.feedback)


def test_a_cliche_without_reason_or_example_scores_low_and_is_told_what_is_missing() -> None:
    good, cliche = _rubric(WEAKNESS, GOOD_WEAKNESS), _rubric(WEAKNESS, CLICHE_WEAKNESS)
    assert cliche.overall <= 40
    assert good.overall - cliche.overall >= 40
    assert cliche.feedback[0].startswith("Drop the stock phrases") and "perfectionist" in cliche.feedback[0]
    assert any("concrete example" in f for f in cliche.feedback)


QUESTION_PLAN = "If your main supplier went bankrupt tomorrow, what steps would you take?"
PLAN = ("First I'd find out exactly what's in transit and what we've already paid for, because that's money at risk. "
        "Then I'd call our second supplier and ask what they could take on this month. I'd also tell the store "
        "managers which lines will run short. After two weeks I'd review the stock cover with the buyers to see "
        "whether we need a third source.")
PAST_STORY = ("At my last company our packaging supplier went under in 2021. I found a new one within a week and we "
              "negotiated a better price, about 8% lower. Everyone was relieved.")


def test_a_plan_is_scored_by_its_steps_and_a_past_story_instead_is_off_topic() -> None:
    plan, story = _rubric(QUESTION_PLAN, PLAN), _rubric(QUESTION_PLAN, PAST_STORY)
    parts = {c.name: c.met for c in plan.criteria if c.kind == "part"}
    assert parts == {"answer": True, "reason": True, "steps": True, "check": True, "specifics": False}
    assert not any(c.met for c in plan.criteria if c.kind == "mistake")
    assert plan.overall >= 70
    assert story.topic is not None and not story.topic.on_topic
    assert story.overall <= OFF_TOPIC_SCORE_CAP


def test_a_plan_without_order_or_check_is_told_to_lay_out_its_steps() -> None:
    r = _rubric(QUESTION_PLAN, "Honestly it depends on the situation and on the supplier and what they supply to "
                               "us, there are lots of things to think about in a case like that one.")
    assert {c.name for c in r.criteria if not c.met} >= {"steps", "check"}
    assert any(f.startswith("Lay out the steps") for f in r.feedback)
    assert r.overall <= 40


def test_a_view_rubric_survives_json_and_the_llm_is_told_the_kind() -> None:
    r = _rubric(WEAKNESS, GOOD_WEAKNESS)
    back = Rubric.model_validate(json.loads(r.model_dump_json()))
    assert back.kind == "view" and [c.name for c in back.criteria] == [c.name for c in r.criteria]
    assert "not a story" in question_block(WEAKNESS)
    assert "not a story" not in question_block("Tell me about a time you failed.")


def test_a_view_question_in_a_bank_is_probed_for_its_missing_part_and_completed_by_it() -> None:
    """A user's bank may hold view questions (category 'view'): the probe asks for the part the
    answer left out, and an answer that gives it raises the question's one combined score."""
    import random

    from voicemock.banks import Question
    from voicemock.models import SessionAnswer
    from voicemock.practice.choice import PROBE_VIEW, follow_up_probe
    from voicemock.rubric import OfflineJudge
    from voicemock.rubric.followup import complete_question
    from voicemock.scoring.pipeline import score_answer

    question = Question(id="my-weakness", text=WEAKNESS, difficulty="easy", category="view",
                        guidance="Name a real weakness, why it matters, a time it showed, and what you do about it now.")
    answer = ("My biggest weakness is public speaking. I get nervous in front of large groups because I worry "
              "about losing my thread. These days I volunteer to present at our team meetings.")
    result = score_answer(Transcript(text=answer), None, source="a", question=question, judge=OfflineJudge())
    assert result.rubric.kind == "view"
    probe, reason = follow_up_probe(question, result, random.Random(1))
    assert (probe, reason) == (PROBE_VIEW["example"], "view: example")
    reply = ("Last month I presented our release plan to forty people at the all-hands, and I rehearsed it twice "
             "with a colleague the day before.")
    main = SessionAnswer(question_id=question.id, question=question.text, result=result)
    follow = SessionAnswer(question_id=question.id, question=probe, kind="followup", probe_reason=reason,
                           result=score_answer(Transcript(text=reply), None, source="b", question=probe,
                                               judge=OfflineJudge()))
    complete_question(main, [follow], question)
    assert follow.followup_check.answered
    assert main.combined.rubric.kind == "view"
    assert main.combined.rubric.overall > result.rubric.overall


@pytest.mark.parametrize("weak, mistake", [
    ("Honestly I think there are pros and cons. It depends on the team, and on the manager, and I can see both sides "
     "of it. I'm not really sure there is one answer, I'd do my best whatever happens.", "evasion"),
    ("My current manager is useless, honestly, and the place is toxic. They don't know what they're doing and I've "
     "been passed over twice, which is not fair after six years there.", "complaint"),
])
def test_a_weak_view_answer_is_told_its_mistake_and_scores_below_a_specific_one(weak: str, mistake: str) -> None:
    """A coach's view: dodging the question and complaining about people are what make such answers weak."""
    question = "Why do you want to leave your current job?"
    strong = ("Mainly because I've done the same credit risk models for five of my eight years there and I'm not "
              "learning anymore. I asked to move to the climate risk team in March, but it's two people and not "
              "hiring. Your role is that work at a bigger scale, which is why I applied.")
    s, w = _rubric(question, strong), _rubric(question, weak)
    assert s.kind == w.kind == "view"
    assert {c.name for c in w.criteria if c.kind == "mistake" and c.met} == {mistake}
    assert not any(c.met for c in s.criteria if c.kind == "mistake")
    assert s.overall - w.overall >= 25
    assert any(f.startswith(("Take a position", "Leave out the complaint")) for f in w.feedback[:2])



def test_how_do_you_handle_a_story_beats_platitudes_and_the_pass_says_it_is_limited() -> None:
    """'How do you handle conflict?' scored a specific story 30 and 'we kind of dealt with it as a team I
    guess' 85, which counted as the example (new-user pass, 2026-12-08)."""
    question = "How do you handle conflict?"
    story = ("Last spring two of my engineers, Priya and Tom, disagreed about whether to rewrite our billing "
             "service. I met each of them for twenty minutes, wrote down both plans with their costs, and we agreed "
             "to test the rewrite on one endpoint for two weeks. The test cut latency by 40 percent, so Tom agreed.")
    platitudes = ("Um, yeah, so conflicts happen all the time, you know. I think generally I just try to talk to "
                  "people and keep things positive. We kind of dealt with it as a team I guess.")
    s, p = _rubric(question, story), _rubric(question, platitudes)
    assert s.kind == p.kind == "view"
    assert not {c.name: c.met for c in p.criteria}["example"]
    assert s.overall > p.overall + 10
    assert s.topic is not None and s.topic.on_topic and s.topic.limited


def test_a_salary_question_asks_for_a_researched_number_not_a_work_story() -> None:
    """A researched salary range was told 'Back it with one concrete example from your own work'."""
    question = "What are your salary expectations for this role?"
    good = ("Based on what I've seen for senior QA roles in Berlin, I'm looking at around 68 to 75 thousand. I'm on "
            "64 now, and I'm a bit flexible if there's a training budget, but that's the range I had in mind.")
    dodge = ("Oh, I haven't really thought about it. I don't know, whatever you think is fair I guess, the money "
             "isn't the most important thing for me, I'm just keen to get started somewhere good.")
    g, d = _rubric(question, good), _rubric(question, dodge)
    assert [c.name for c in g.criteria if c.kind == "part"] == ["answer", "reason", "close", "specifics"]
    assert not any("example" in f for f in g.feedback)
    assert g.overall >= 80 and d.overall <= 30
    assert d.feedback[0].startswith("Take a position")


def test_a_two_part_question_that_asks_for_a_story_is_not_a_plan_mismatch() -> None:
    """'Tell me about a conflict. How did you handle it, and what would you do differently?' flagged a
    story as 'the question asks what you would do' and capped it at 35."""
    question = "Tell me about a conflict with a colleague. How did you handle it, and what would you do differently?"
    story = ("Last spring a colleague, Tom, and I disagreed about whether to rewrite our billing service. I met him "
             "for twenty minutes, wrote down both plans with their costs, and we agreed to test the rewrite on one "
             "endpoint for two weeks. The test cut latency by 40 percent and Tom agreed to go ahead.")
    r = _rubric(question, story)
    assert r.kind == "star" and r.topic is not None and r.topic.on_topic
    assert r.overall > OFF_TOPIC_SCORE_CAP



def test_ive_spent_eight_years_is_the_past_part_of_an_opening() -> None:
    r = _rubric("Tell me about yourself.", (
        "I'm a nurse by training and I've spent eight years on a busy surgical ward. Right now I lead the night shift "
        "of twelve nurses. Next I want to move into clinical education, which is why this role appeals to me."))
    assert {c.name: c.met for c in r.criteria}["past"]


@pytest.mark.parametrize("question", [
    "How would you handle a customer who is shouting at you?",
    "How do you handle a customer who is shouting at you?",
    "Imagine a customer is shouting at you. What do you do?",
    "What's your approach to dealing with an angry customer?",
    "Describe how you would handle an angry customer.",
])
def test_a_good_plan_scores_alike_however_the_scenario_is_worded(question: str) -> None:
    """One plan scored 65 or 15 by the question's wording alone (coach review, 2026-12-08)."""
    plan = ("First I'd let them finish, because people calm down once they feel heard. Then I'd repeat back what "
            "the problem is, so they know I've got it. After that I'd tell them what I can do today, and the next "
            "day I'd check the ticket to see that it worked.")
    assert _rubric(question, plan).overall >= 70


@pytest.mark.parametrize("answer", [
    "I hate to see patients wait, so first I'd find out why the clinic is running late and tell them how long.",
    "I'd first find out what happened, because it's not fair to the customer to guess, and then I'd fix it.",
])
def test_caring_phrases_are_not_complaints(answer: str) -> None:
    r = _rubric("How would you handle patients or customers kept waiting too long?", answer)
    assert not {c.name: c.met for c in r.criteria}["complaint"]


def test_a_rambling_view_answer_loses_to_a_focused_one() -> None:
    question = "What kind of work environment do you prefer?"
    focused = ("I prefer somewhere fairly quiet with clear priorities, where I can get a few hours of focus in the "
               "mornings. I do my best work that way, because a lot of what I do is detailed checking. At my current "
               "job we moved to no-meeting mornings last year and my error rate on the reconciliations went to zero.")
    rambling = ("So, um, environment, well, I think that's a really interesting question, because there are so many "
                "kinds, right, like open plan, remote, hybrid, and each has its own advantages and disadvantages. Like "
                "remote is nice because you don't commute, and I used to commute an hour each way, and I would listen "
                "to podcasts, history mostly, I really like the Romans. Then in my first job at the bank in 2015 it was "
                "all open plan and quite noisy, and then in 2020 everyone went home, and that was strange for a while "
                "and then it was fine, and now it's hybrid, two days in. So yeah, I'm pretty flexible, I can adapt to "
                "pretty much anything really, it depends on the day and on the team and on what we're doing.")
    f, r = _rubric(question, focused), _rubric(question, rambling)
    assert f.overall > r.overall + 15
    assert "example" in {c.name for c in f.criteria if c.met}

