"""What a coach decides about an answer: judgements with their deciding sentence, follow-ups that
complete their question, the rubric of each question kind, the topic check, separated scores and
feedback about different whole sentences."""

from __future__ import annotations

import json
import re

import pytest

from voicemock.banks import load_bank
from voicemock.models import Delivery, Hedge, SessionAnswer, Transcript, Word
from voicemock.rubric import OfflineJudge
from voicemock.rubric.followup import check_followup, complete_question, probe_asks_for
from voicemock.rubric.offline import offline_rubric
from voicemock.scoring.pipeline import score_answer
from voicemock.scoring.star import analyze_structure, split_sentences
from voicemock.targets import OFF_TOPIC_SCORE_CAP

STORY = ("So last year our support team had a backlog of about six hundred tickets. It fell to me to bring it "
         "down before the holidays. I sorted every open ticket by product and I wrote canned replies for the "
         "ten most common questions. I also set up a daily triage rota with two people from each shift.")
RESULT = " In the end the backlog dropped by seventy percent within a month."
WORKLOAD = "Tell me about a time you had more work than you could possibly do. How did you decide what came first?"
#: A question the backlog story answers that the topic check also takes it for (for the workload
#: question above it now flags the story: a false flag, see test_the_worked_example_is_on_topic...)
CHANGE = "Tell me about a change you drove in your team or organisation."


def _rubric(text: str, question=WORKLOAD, delivery=None):
    return offline_rubric(analyze_structure(Transcript(text=text)), delivery, question)


def _quoted(tip: str) -> list[str]:
    return re.findall(r'"([^"]+)"', tip)


def test_sentences_keep_whispers_own_spacing():
    words = [Word(word=w) for w in ["We", " saved", " $40", ",000", " and", " 30", "%"]]
    assert [s.text for s in split_sentences(Transcript(text="", words=words))] == ["We saved $40,000 and 30%"]
    # words stripped of their spacing are cut from the transcript text instead
    stripped = [Word(word=w) for w in ["It", "was", "a", "mid", "-sized", "team.", "We", "saved", "$40", ",000."]]
    text = "It was a mid-sized team. We saved $40,000."
    assert [s.text for s in split_sentences(Transcript(text=text, words=stripped))] == [
        "It was a mid-sized team.", "We saved $40,000."]


def test_judgements_name_the_sentence_that_decided_them():
    st = analyze_structure(Transcript(text=STORY + RESULT))
    j = st.judgements
    assert j is not None
    assert j.result_present.value and j.result_measurable.value
    assert j.result_measurable.quote == "In the end the backlog dropped by seventy percent within a month."
    assert j.task_stated.value and "fell to me" in j.task_stated.quote  # a task said indirectly
    assert j.actions_concrete.value and j.concrete_actions >= 2 and j.specific_story.value
    missing = analyze_structure(Transcript(text=STORY)).judgements
    assert not missing.result_present.value and missing.result_present.quote is not None


def test_vague_actions_are_not_concrete():
    text = ("So last spring our biggest client was unhappy about late deliveries. I needed to keep them on board. "
            "I took care of it and kept things moving. I worked with the team and dealt with it. "
            "In the end they renewed for another year.")
    st = analyze_structure(Transcript(text=text))
    assert not st.judgements.actions_concrete.value
    kinds = set(st.judgements.action_kinds.values())
    assert "concrete" not in kinds
    assert any("does not say what you actually did" in f for f in st.feedback)


@pytest.mark.parametrize("context", ["We used Jira for everything and the board was a mess.",
                                     "Back then we shipped a release every two weeks."])
def test_a_vague_action_tip_quotes_an_action_the_candidate_said_they_did(context):
    # a "we" sentence of context that the labeller takes for an action is no vague action of the candidate's
    text = ("Last year our support queue doubled after a launch. I had to bring it back under control. "
            f"{context} I dealt with it. I took care of things and kept everyone on track. "
            "In the end the queue went back to normal.")
    st = analyze_structure(Transcript(text=text))
    tips = [f for f in st.feedback if "does not say what you actually did" in f]
    assert tips
    index = next(k for k, s in enumerate(st.sentences) if s.text == _quoted(tips[0])[0])
    assert st.sentences[index].label == "A" and st.judgements.action_kinds[index] == "vague"


RUN_ON = ("So last year our nightly billing export kept failing and it fell to me to make it reliable before the "
          "quarter closed and so I went through three weeks of logs and I found that the retry logic was writing "
          "duplicate rows and then I rewrote the retry logic so that every batch had its own key and I added an alert "
          "that paged me on duplicate rows and then I walked the support team through the new runbook and so in the "
          "end the failures dropped from five a week to zero and the finance team stopped reconciling by hand which "
          "saved them about ten hours a month.")


def test_a_run_on_that_never_ends_a_sentence_gets_a_tip_and_no_near_perfect_score():
    said_in_sentences = re.sub(r" (and so|and then|and) (I|in the end)", lambda m: f". {m.group(2).capitalize()}", RUN_ON)
    st = analyze_structure(Transcript(text=RUN_ON))
    assert st.run_ons == [[0, len(st.sentences) - 1]]
    r = _rubric(RUN_ON)
    tips = [f for f in r.feedback if "without a sentence ending" in f]
    assert tips and _quoted(tips[0])[0] in [s.text for s in st.sentences]
    assert r.overall <= 80
    # the run-on hides no weak part: the weakest part still gets its own tip, about another sentence
    # (which part that is depends on the labeller's call on "...kept failing and it fell to me to...",
    # background and task in one piece: context missing, or one action read as the task)
    weakest = min(r.star.model_dump().items(), key=lambda kv: kv[1])
    assert weakest[1] <= 3
    others = [f for f in r.feedback if "without a sentence ending" not in f]
    assert others and _quoted(others[0])[0] != _quoted(tips[0])[0]
    split = analyze_structure(Transcript(text=said_in_sentences))
    assert split.run_ons == [] and len(split.sentences) >= 5
    assert not any("without a sentence ending" in f for f in _rubric(said_in_sentences).feedback)


@pytest.mark.parametrize("text, question", [
    ("Last spring our biggest client was unhappy with our delivery times. I had to win them back. I looked into the "
     "orders they had placed. I talked to the warehouse manager about their orders. In the end they renewed their "
     "contract for two more years and doubled their order volume.",
     "Tell me about a time you won back an unhappy customer."),
    ("At my last job our checkout page kept timing out on busy days. My goal was to fix the timeouts before Black "
     "Friday. We profiled the slowest requests and we found two queries with no index. I added the indexes. We moved "
     "the fraud check to a background job. In the end timeouts dropped by ninety percent.", WORKLOAD),
])
def test_tips_follow_from_the_weakest_parts(text, question):
    st = analyze_structure(Transcript(text=text))
    r = offline_rubric(st, None, question)
    weak = [p for p, v in r.star.model_dump().items() if v <= 3]
    assert "action" in weak
    labels = {s.text: s.label for s in st.sentences}
    action_tips = [f for f in r.feedback if any(labels.get(q) == "A" for q in _quoted(f))]
    assert action_tips, r.feedback
    # the action tip is never out-ranked by a tip about a part that lost fewer points
    assert r.feedback.index(action_tips[0]) <= len([f for f in r.feedback if "does not answer" in f])


def test_a_weak_part_keeps_its_tip_when_another_tip_quotes_the_same_sentence():
    # the vague-action tip and the no-task tip ("Before <first action> ...") both want the first action
    text = ("When I took over the night shift the crew was tired and people kept calling in sick. So I tried to be "
            "more supportive and more available to everyone. I also moved the breaks around a bit. After a while "
            "people seemed a lot happier.")
    r = _rubric(text, "Tell me about a time you improved team morale.")
    assert r.star.task == 1 and r.star.action <= 3
    assert any("does not say what you actually did" in f for f in r.feedback)
    task = [f for f in r.feedback if "goal or responsibility" in f]
    assert task and _quoted(task[0])[0].startswith("When I took over the night shift")
    quoted = [q for f in r.feedback for q in _quoted(f)[:1]]
    assert len(quoted) == len(set(quoted))


def test_a_story_that_ends_on_a_plan_has_no_result():
    text = ("Our warehouse was losing about forty parcels a week to bad labels. I was asked to fix it before the "
            "peak season. I checked a week of returns and found most came from one printer. I replaced the printer "
            "and wrote a label check for the night shift. The review with the regional manager is scheduled for "
            "next month.")
    j = analyze_structure(Transcript(text=text)).judgements
    assert not j.result_present.value
    assert j.actions_concrete.value and j.task_stated.value


def test_hypothetical_answer_is_not_a_specific_story():
    text = ("I think with conflict the key is to listen first. I would usually take the person aside and ask "
            "what is going on. Then I'd try to find common ground. I always follow up a week later.")
    j = analyze_structure(Transcript(text=text)).judgements
    assert not j.specific_story.value and not j.actions_concrete.value


def test_the_same_story_with_and_without_its_result_differs_by_25_points():
    with_result, without = _rubric(STORY + RESULT, question=CHANGE), _rubric(STORY, question=CHANGE)
    assert with_result.topic.on_topic and without.topic.on_topic
    assert with_result.overall - without.overall >= 25
    assert with_result.overall >= 75


def test_an_unrelated_story_is_flagged_first_and_capped():
    conflict = "Tell me about a time you had a conflict with a colleague. How did you resolve it?"
    r = _rubric(STORY + RESULT, question=conflict)
    assert r.topic is not None and not r.topic.on_topic
    assert r.overall < 40 and r.overall <= OFF_TOPIC_SCORE_CAP
    assert r.feedback[0].startswith("This does not answer the question")
    on = _rubric(STORY + RESULT, question=CHANGE)
    assert on.topic.on_topic and on.overall > 40


@pytest.mark.xfail(strict=False, reason="a false flag of the offline topic check (topic probability 0.08 < cut "
                   "0.18 with the model of 2026-12-07): the story shows its priorities only by what was done first")
def test_the_worked_example_is_on_topic_for_the_workload_question():
    assert _rubric(STORY + RESULT).topic.on_topic


def test_a_success_story_does_not_answer_a_question_about_failing():
    success = ("Last year I led the launch of our new booking app at the clinic. I planned the rollout, trained the "
               "receptionists and ran two pilot weeks. Everything went smoothly, bookings doubled in three months and "
               "the board gave the team an award.")
    failed = _rubric(success, question="Tell me about a time you failed.")
    assert not failed.topic.on_topic and failed.overall <= OFF_TOPIC_SCORE_CAP
    assert _rubric(success, question="Tell me about a project you led from start to finish.").topic.on_topic
    failure = ("Last year I led the launch of our new booking app at the clinic. I skipped the pilot because we were "
               "behind, and on the first day half the bookings went to the wrong doctor. I rolled back to the old "
               "system that afternoon, called every patient who was affected, and we relaunched a month later after a "
               "two-week pilot.")
    assert _rubric(failure, question="Tell me about a time you failed.").topic.on_topic


def test_salary_question_gets_the_coverage_rubric_and_a_story_is_off_topic():
    salary = load_bank("amazon").question("amz-q07")
    story = _rubric(STORY + RESULT, question=salary)
    assert story.kind == "coverage" and not story.topic.on_topic and story.overall < 40
    good = ("It depends mostly on the level and the location, so I would confirm the level first. The offer is "
            "a base salary, a sign-on bonus spread over the first two years and restricted stock units that vest "
            "more in later years. I have looked at market data for that level and I would compare offers on "
            "total compensation per year, not on base alone.")
    r = _rubric(good, question=salary)
    assert r.kind == "coverage" and r.topic.on_topic and r.overall >= 70
    assert any(c.kind == "point" and c.met for c in r.criteria)
    # the same text given as bare text is found in the built-in banks
    assert _rubric(good, question=salary.text).kind == "coverage"


def test_tell_me_about_yourself_is_scored_present_past_future_why():
    q = "Tell me about yourself."
    full = ("I'm a backend engineer at a travel company, where I own the pricing service. Before that I spent "
            "three years at a bank building reporting tools. Next I want to work on payments at a larger scale, "
            "and that's why this role on your platform team is exactly the kind of problem I want.")
    r = _rubric(full, question=q)
    assert r.kind == "opening" and {c.name for c in r.criteria if c.met} == {"present", "past", "future", "why_role"}
    half = _rubric("I'm a backend engineer at a travel company, where I own the pricing service. "
                   "I like my team and the work is interesting most days.", question=q)
    assert half.overall < r.overall and not {c.name for c in half.criteria if c.met} >= {"future", "why_role"}


def _question_with_follow_up(answer: str, probe: str, reason: str, reply: str,
                             question: str = CHANGE) -> tuple[SessionAnswer, SessionAnswer]:
    """A scored main answer and its scored follow-up, completed as the practice loop completes them."""
    main = SessionAnswer(question_id="q", question=question,
                         result=score_answer(Transcript(text=answer), None, source="a", question=question,
                                             judge=OfflineJudge()))
    follow = SessionAnswer(question_id="q", question=probe, kind="followup", probe_reason=reason,
                           result=score_answer(Transcript(text=reply), None, source="b", question=probe,
                                               judge=OfflineJudge()))
    complete_question(main, [follow], question)
    return main, follow


def test_follow_up_with_the_outcome_completes_its_question():
    main, follow = _question_with_follow_up(STORY, "What was the measurable outcome?", "no measurable result",
                                            "In the end the backlog dropped 30% within a month.")
    before = main.result.rubric.overall
    assert follow.followup_check.answered and follow.followup_check.supplies == ["R"]
    assert main.combined is not None and main.combined.rubric.star.result >= 4
    assert main.combined.rubric.overall >= before + 25
    assert follow.result.rubric.overall == main.combined.rubric.overall  # not a lone 0/100
    assert not any("context" in f for f in main.combined.rubric.feedback)


@pytest.mark.parametrize("dodge", ["It went really well and everyone was happy.",
                                   "I'm not sure. I left the company soon after."])
def test_a_follow_up_that_does_not_answer_its_probe_leaves_the_question_score(dodge):
    main, follow = _question_with_follow_up(STORY, "What was the measurable outcome?", "no measurable result", dodge)
    assert not follow.followup_check.answered
    assert main.combined is not None and not main.combined.answered
    assert main.combined.rubric.overall == main.result.rubric.overall == follow.result.rubric.overall
    assert not any("left the company" in f for f in main.combined.rubric.feedback)


def test_follow_ups_belong_to_the_main_answer_before_them():
    from voicemock.models import followups_of

    a1 = SessionAnswer(question_id="q", question=CHANGE)
    f1 = SessionAnswer(question_id="q", question="probe", kind="followup")
    a2 = SessionAnswer(question_id="q", question=CHANGE)  # the same question asked again
    f2 = SessionAnswer(question_id="q", question="probe", kind="followup")
    f3 = SessionAnswer(question_id="q", question="probe 2", kind="followup")
    answers = [a1, f1, a2, f2, f3]
    assert followups_of(answers, a1) == [f1]
    assert followups_of(answers, a2) == [f2, f3]


@pytest.mark.parametrize("probe, reason, answer, asks, answered", [
    ("What was the measurable outcome?", "no measurable result", "It went really well and everyone was happy.",
     "outcome", False),  # a vague result to a probe for a measurable one
    ("What did you personally do?", "mostly 'we'", "I pulled every late order for a month and split them by hour.",
     "personal_action", True),
    ("What did you learn from that?", None, "Honestly, prioritising is just hard in general, it's a real skill.",
     "lesson", False),
    ("What exactly did you do yourself, step by step?", "vague actions", "I handled it and kept things moving.",
     "personal_action", False),  # asked for the steps because they were vague: vague again answers nothing
    ("What exactly did you do yourself, step by step?", "vague actions",
     "I rewrote the refund macro and I called the twelve oldest customers myself.", "personal_action", True),
])
def test_follow_ups_are_judged_against_their_probe(probe, reason, answer, asks, answered):
    main = Transcript(text=STORY)
    check, _ = check_followup(analyze_structure(main), main, Transcript(text=answer), probe, reason)
    assert probe_asks_for(probe, reason) == asks == check.asks_for
    assert check.answered is answered


def test_poor_delivery_takes_one_of_three_suggestions_about_different_whole_sentences():
    text = ("Um so I think at my last job, um, the, uh, release process was kind of broken. "
            "I think my job was maybe to fix it, I guess. I rewrote the deploy script and I added a rollback step. "
            "I think it kind of worked.")
    hedges = [Hedge(phrase=p) for p in ["i think"] * 4 + ["kind of"] * 2 + ["maybe", "i guess"]]
    delivery = Delivery(fillers_per_minute=24.0, words_per_minute=150.0, long_pause_count=5,
                        longest_pause_s=3.0, hedges=hedges, hedge_count=len(hedges))
    r = _rubric(text, question="Tell me about a time you fixed a broken process.", delivery=delivery)
    assert len(r.feedback) == 3
    delivery_tips = [f for f in r.feedback if f.startswith("Delivery:")]
    assert len(delivery_tips) == 1
    assert '"I think" x4' in delivery_tips[0] and delivery_tips[0].count('"I think"') == 1
    sentences = {s.text for s in analyze_structure(Transcript(text=text)).sentences}
    quoted = [q for f in r.feedback for q in _quoted(f) if q in sentences]
    assert quoted and len(quoted) == len(set(quoted))  # different sentences, each quoted whole


def test_the_delivery_tip_never_takes_the_sentence_of_the_missing_result_tip():
    """The delivery tip quoted the story's last sentence first, and "The story stops at <it>; add how
    it ended" was dropped (a new user's fast answer, 2026-12-08)."""
    text = STORY.replace("I also set up a daily triage rota with two people from each shift.",
                         "I think I also kind of set up a daily triage rota, I guess, maybe, with two people per shift.")
    hedges = [Hedge(phrase=p) for p in ["i think", "kind of", "i guess", "maybe"] * 2]
    delivery = Delivery(words_per_minute=150.0, hedges=hedges, hedge_count=len(hedges))
    r = _rubric(text, question="Tell me about a time you brought a backlog down.", delivery=delivery)
    assert any("stops at" in f or "how it ended" in f for f in r.feedback), r.feedback
    assert r.feedback[-1].startswith("Delivery:")  # one place, the last, whatever its severity
    assert len([f for f in r.feedback if f.startswith("Delivery:")]) == 1


def test_a_filler_or_two_is_no_filler_rate():
    """One "honestly" in a 9 s answer was 6.9 fillers a minute: 5 points off and a tip about um or uh."""
    from voicemock.models import Filler

    one = Delivery(fillers_per_minute=6.9, filler_count=1, words_per_minute=140.0,
                   fillers=[Filler(word="honestly", start=0.1, end=0.5, source="transcript")])
    many = one.model_copy(update={"filler_count": 4, "fillers": [Filler(word="honestly", source="transcript")] + [Filler(word="so", source="transcript")] * 3,
                                  "fillers_per_minute": 9.0})
    quiet, loud = _rubric(STORY + RESULT, CHANGE, one), _rubric(STORY + RESULT, CHANGE, many)
    assert not any(f.startswith("Delivery:") for f in quiet.feedback)
    assert loud.overall == quiet.overall - 5
    tip = next(f for f in loud.feedback if f.startswith("Delivery:"))
    assert '"so"' in tip and "um or uh" not in tip  # the fillers said, by name


def test_score_cli_scores_a_salary_answer_on_its_own_rubric(tmp_path):
    from typer.testing import CliRunner

    from voicemock.cli import app

    path = tmp_path / "story.txt"
    path.write_text(STORY + RESULT)
    result = CliRunner().invoke(app, ["score", str(path), "--json", "--bank", "amazon", "--question-id", "amz-q07"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.splitlines()[0])
    assert data["rubric"]["kind"] == "coverage" and data["rubric"]["topic"]["on_topic"] is False
    assert data["rubric"]["overall"] < 40
    assert data["structure"]["judgements"]["result_present"]["value"] is True


@pytest.mark.parametrize("ending", [
    "The review with the regional manager is scheduled for next month.",  # a plan
    "She said she'd think about it over the weekend.",  # a reply that decides nothing
    "So yeah, that was a long week.",  # a closing comment
    "Honestly I was exhausted by the end of it.",  # a feeling
])
def test_an_answer_that_stops_without_an_outcome_is_missing_its_result(ending):
    text = ("Our warehouse was losing about forty parcels a week to bad labels. I was asked to fix it before the "
            "peak season. I checked a week of returns and found most came from one printer. I replaced the printer "
            f"and wrote a label check for the night shift. {ending}")
    st = analyze_structure(Transcript(text=text))
    assert not st.judgements.result_present.value and st.missing_result
    assert _rubric(text).star.result == 1


@pytest.mark.parametrize("task", [
    "Somebody had to keep the orders going, and I was the one who had watched her do it the most.",
    "The choice was mine, close for the week or find another way to bake.",
    "It came down to me to decide which supplier we dropped.",
])
def test_a_task_said_indirectly_counts(task):
    text = ("Our owner always did the ordering, and then she broke her wrist and was off for six weeks. "
            f"{task} I asked her to go through her notebook with me over the phone, supplier by supplier. "
            "I counted the walk-in every Sunday night and put in the orders on Monday morning. "
            "In the end we got through the six weeks with only one night without the veal.")
    st = analyze_structure(Transcript(text=text))
    j = st.judgements
    assert j.task_stated.value and j.task_stated.quote == task
    assert j.result_present.value and _rubric(text).star.task >= 4


@pytest.mark.parametrize("ending", ["These days he calls me over himself when a new batch starts.",
                                    "We haven't had a batch rejected since."])
def test_a_result_said_indirectly_counts_and_a_story_with_no_goal_has_no_task(ending):
    text = ("The head machinist saw me as the person who rejected his parts, and he would only argue with me. "
            "I started going to the shop floor at the start of his shift to look at the first part with him. "
            "When I found something, I showed him the measurement on his own machine instead of sending a form. "
            f"{ending}")
    j = analyze_structure(Transcript(text=text)).judgements
    assert j.result_present.value and j.result_present.quote == ending
    assert not j.task_stated.value


def test_label_probabilities_match_the_crf_distribution():
    # forward-backward against brute force over every label sequence of a short answer
    import itertools
    import math

    from voicemock.scoring.star import clean
    from voicemock.scoring.star_features import answer_features
    from voicemock.scoring.star_model import load_model

    model = load_model()
    seq = answer_features([clean(s) for s in STORY.split(". ")])
    got = model.label(seq)
    ems = model._emission_rows(seq, None)
    weight = {}
    for path in itertools.product(model.labels, repeat=len(seq)):
        weight[path] = math.exp(model.start.get(path[0], 0.0) + sum(e[b] for e, b in zip(ems, path))
                                + sum(model.trans[a].get(b, 0.0) for a, b in zip(path, path[1:])))
    z = sum(weight.values())
    for lab in model.labels:
        assert got.anywhere[lab] == pytest.approx(sum(w for p, w in weight.items() if lab in p) / z, abs=1e-9)
        for k, m in enumerate(got.marginals):
            assert m[lab] == pytest.approx(sum(w for p, w in weight.items() if p[k] == lab) / z, abs=1e-9)
    assert got.labels == model.decode(seq)


def test_a_long_answer_that_keeps_to_its_story_is_not_rambling():
    """Length is no rambling: fitted on the answer's length, the judgement flagged long, complete
    answers of a writer it never saw (13 of 46)."""
    story = ("Last March our clinic's booking system went down for two days before the flu clinics. "
             "I was the practice manager, so getting four hundred patients rebooked was on me. "
             "I printed the day lists from the backup and split them between three receptionists. "
             "I wrote a short phone script so every call took under two minutes. "
             "I called the pharmacy and moved the vaccine delivery to the Thursday. "
             "I opened the side room as a second queue for people who walked in. "
             "I asked two nurses to start at seven instead of nine for that week. "
             "I put a sign on the door and a message on the phone line with the new times. "
             "Each evening I checked the lists against the vaccine count and fixed the gaps. "
             "On Friday I wrote up what we had done so the next outage would be quicker. "
             "By the end of the week we had seen three hundred and eighty patients, ninety five percent of them. "
             "Only twelve appointments were lost and we rebooked those the following Monday. "
             "The partners adopted the phone script and the backup lists for every outage since.")
    st = analyze_structure(Transcript(text=story))
    assert len(story.split()) > 180 and len(st.sentences) >= 12
    assert st.judgements is not None and not st.judgements.rambling.value


def test_a_typed_answer_far_too_long_to_say_is_told_so():
    text = " ".join(["I set up a meeting with her and we reviewed the defect data together."] * 60)
    from voicemock.scoring.delivery import analyze_delivery

    delivery = analyze_delivery(Transcript(text=text, words=[Word(word=w) for w in text.split()]), kind="behavioral")
    assert delivery.answer_duration_s is None and delivery.word_count > 600
    r = _rubric(text, question=CHANGE, delivery=delivery)
    assert any("words a minute" in f and "min to say" in f for f in r.feedback)


def test_an_answer_far_longer_than_its_target_loses_more_than_a_slightly_long_one():
    """A story pasted 60 times (9,420 words) scored 95, and a story said ten times over (7.5 min) 85."""
    from voicemock.scoring.delivery import analyze_delivery

    story = ("Last year I had to migrate our billing system in six weeks. I was responsible for the cutover plan. "
             "I wrote the data mapping, tested it on a copy of production and ran the cutover over a weekend. "
             "In the end we moved forty thousand accounts with no billing errors.")
    scores = {}
    for times in (1, 12, 40):
        text = " ".join([story] * times)
        delivery = analyze_delivery(Transcript(text=text, words=[Word(word=w) for w in text.split()]), kind="behavioral")
        r = _rubric(text, question=CHANGE, delivery=delivery)
        scores[times] = r.overall
        if times == 40:
            assert any("far too long" in f or "stop you long before the end" in f for f in r.feedback), r.feedback
    assert scores[1] - scores[40] >= 30, scores
    assert scores[1] > scores[12] > scores[40], scores


def test_a_hypothetical_answer_gets_no_story_tips():
    text = ("If I had a conflict with a colleague, I would first try to understand their point of view. "
            "I would set up a meeting with them in private. I would listen carefully and ask questions. "
            "Then I would look for a compromise that works for both of us. If that did not work, I would "
            "involve our manager.")
    r = _rubric(text, question="Tell me about a time you had a conflict with a colleague.")
    assert any("tell one specific time" in f for f in r.feedback)
    assert not any("stops at" in f or "goal or responsibility" in f or "steps you took" in f for f in r.feedback)


def test_a_pace_tip_quotes_the_sentence_said_fastest():
    from voicemock.rubric.feedback import delivery_tip

    def timed(text, start, per_word):
        return [Word(word=(" " if k else "") + w, start=start + k * per_word, end=start + (k + 1) * per_word)
                for k, w in enumerate(text.split())]

    slow = "I think that clear communication is the key to everything."
    fast = "I rewrote the importer and split the merge into four partitions."
    words = timed(slow, 0.0, 0.35) + [Word(word=" " + w.word.strip(), start=w.start, end=w.end)
                                       for w in timed(fast, 5.0, 0.2)]
    st = analyze_structure(Transcript(text=slow + " " + fast, words=words))
    tip = delivery_tip(Delivery(words_per_minute=200.0), st)
    assert tip is not None and f'"{fast}"' in tip.message and "conversational pace" in tip.message


def test_a_follow_up_never_lowers_the_question_score():
    vague = ("Last year I was a senior engineer on the payments team. A colleague on the data team and I disagreed "
             "about the checkout migration. I took care of it and kept things moving. I dealt with the situation "
             "and handled everything that came up. I made sure things got sorted out and worked on it until it was "
             "fine. In the end it all worked out.")
    main, _ = _question_with_follow_up(vague, "What exactly did you do yourself, step by step?", "vague actions",
                                       "I'm not sure. I left the company soon after.",
                                       question="Tell me about a time you had a conflict with a colleague.")
    assert main.combined is not None
    assert main.combined.rubric.overall >= main.result.rubric.overall  # it ended the story without its result
    assert not any("left the company" in f for f in main.combined.rubric.feedback)


def test_missed_aims_name_only_the_measures_that_miss_them():
    from voicemock.rubric.feedback import missed_aims

    assert missed_aims(Delivery(words_per_minute=190.0, fillers_per_minute=1.0, hedge_count=1)) == {
        "pace": "aim for 120-160"}
    assert set(missed_aims(Delivery(words_per_minute=140.0, fillers_per_minute=5.0, hedge_count=4))) == {
        "fillers_per_minute", "hedges"}


def test_opening_and_process_questions_are_probed_and_completed_by_their_own_rubric():
    """'Tell me about yourself' was probed 'What exactly did you do yourself, step by step?' and
    the salary question 'tell me about one specific time', and a follow-up that gave exactly what
    was missing was 'not answered' (a new user's session, 2026-12-08)."""
    import random

    from voicemock.practice.choice import PROBE_OPENING, follow_up_probe

    cases = [
        ("general-behavioral", "gen-tell-me-about-yourself",
         "I'm a backend engineer at a payments company, where for the past three years I've owned the service "
         "that reconciles card transactions. Before that I spent four years at a bank building reporting tools.",
         "Next I want to work on larger distributed systems, and I'm applying for this role because your "
         "fulfilment platform is exactly that scale."),
        ("amazon", "amz-q07",
         "Honestly I'm looking for about one hundred and eighty thousand dollars base. That's the number I need.",
         "I would compare the base salary, the sign-on bonus and the stock, and look at total compensation per "
         "year for my level and location, from market data for that level."),
    ]
    for bank_name, qid, answer, reply in cases:
        question = next(q for q in load_bank(bank_name).questions if q.id == qid)
        result = score_answer(Transcript(text=answer), None, source="a", question=question, judge=OfflineJudge())
        probe, reason = follow_up_probe(question, result, random.Random(1))
        if qid == "gen-tell-me-about-yourself":
            assert (probe, reason) == (PROBE_OPENING["future"], "opening: future")
        else:
            assert probe in question.follow_ups and reason == "coverage"
        main = SessionAnswer(question_id=qid, question=question.text, result=result)
        follow = SessionAnswer(question_id=qid, question=probe, kind="followup", probe_reason=reason,
                               result=score_answer(Transcript(text=reply), None, source="b", question=probe,
                                                   judge=OfflineJudge()))
        complete_question(main, [follow], question)
        assert follow.followup_check.answered, (qid, follow.followup_check)
        assert main.combined.rubric.overall > result.rubric.overall, (qid, main.combined.rubric.overall)


@pytest.mark.parametrize("ending, measured", [
    ("In the end I moved all forty thousand accounts with no billing errors.", True),
    ("In the end I moved all twelve hundred accounts with no billing errors.", True),
    ("In the end I moved all 40,000 accounts with no billing errors.", True),
    ("In the end I moved all the accounts with no billing errors.", False),
])
def test_a_number_said_in_words_is_a_measurable_result(ending, measured):
    """'forty thousand accounts' got 'Put a number on ...' and 9 points less than '40,000 accounts'."""
    base = ("Last year I had to migrate our billing system to a new provider in six weeks. I was responsible for "
            "the cutover plan. I wrote the data mapping, I tested it on a copy of production, and I ran the "
            "cutover over a weekend. ")
    st = analyze_structure(Transcript(text=base + ending))
    assert st.judgements.result_measurable.value is measured
    assert any("Put a number on" in f for f in st.feedback) is not measured


def test_what_i_want_next_is_the_future_part_of_an_opening():
    from voicemock.rubric.coverage import opening_criteria

    st = analyze_structure(Transcript(text=(
        "I'm a backend engineer at a payments company, where I own the reconciliation service. Before that I spent "
        "four years at a bank building reporting tools. What I want next is to work on larger distributed systems.")))
    assert {c.name: c.met for c in opening_criteria(st)}["future"]


def test_a_very_short_answer_is_told_so_first_and_gets_no_topic_verdict():
    """A 12-word on-topic answer was called off topic and never told it was far too short."""
    r = _rubric("I once fixed a broken build nobody owned. It worked out fine.",
                question="Tell me about a time you took on something outside your job description.")
    assert r.topic is None
    assert r.feedback[0].startswith("The whole answer is 12 words")


def test_the_length_target_is_the_questions_however_it_is_named():
    """'Tell me about yourself.' typed got 60-180 s, the bank's question 45-150 s."""
    from voicemock.scoring.pipeline import _question_info

    bank_q = next(q for q in load_bank("general-behavioral").questions if q.id == "gen-tell-me-about-yourself")
    assert _question_info("Tell me about yourself.")[1] == _question_info(bank_q)[1] == bank_q.category
    assert _question_info(bank_q.text)[1] == bank_q.category
    assert _question_info("What salary can I expect at Amazon?")[1] == "process"


def test_score_names_what_an_opening_or_process_answer_covered_in_words(tmp_path):
    """score printed internal names ('covered: present, why_role', 'point 1, point 2') and STAR parts
    for questions where STAR does not apply."""
    from typer.testing import CliRunner

    from voicemock.cli import app

    tmay = tmp_path / "tmay.txt"
    tmay.write_text("I'm a backend engineer at a payments company, where I own the reconciliation service. Before "
                    "that I spent four years at a bank. I'm applying for this role because your platform is the "
                    "scale I want.")
    out = CliRunner().invoke(app, ["score", str(tmay), "--bank", "general-behavioral", "--question-id",
                                   "gen-tell-me-about-yourself"], env={"COLUMNS": "200"}).stdout
    assert "why this role" in out and "why_role" not in out and "STAR parts" not in out
    salary = tmp_path / "salary.txt"
    salary.write_text("It depends on the level and the location. The offer is a base salary, a sign-on bonus and "
                      "stock, so I would compare total compensation per year.")
    out = CliRunner().invoke(app, ["score", str(salary), "--bank", "amazon", "--question-id", "amz-q07"],
                             env={"COLUMNS": "200"}).stdout
    assert "guidance points" in out and "point 1" not in out
