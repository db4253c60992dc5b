"""The topic check's learned-words model (rubric/topic.py: ``cross_values``, ``cross_score``): pairs of
(question concept, answer word or word pair) with learned weights, one feature of the check."""

from __future__ import annotations

import copy
import math

from voicemock.models import Transcript
from voicemock.rubric.kinds import question_info
from voicemock.rubric.topic import CROSS_SCALE, check_topic, cross_score, cross_values
from voicemock.scoring.star import analyze_structure
from voicemock.scoring.star_model import StarModel, load_model, using_model

FEEDBACK = "Tell me about the hardest feedback you have received."
ANSWER = ("Last spring my manager told me my reports were too long. I cut them to one page with the numbers "
          "first, and she said the directors finally read them.")


def test_keys_pair_each_question_concept_with_each_answer_word_and_word_pair():
    values = cross_values(FEEDBACK, "I told him, twice.")
    assert set(values) == {"feedback|i", "feedback|told", "feedback|him", "feedback|twice", "feedback|i_told",
                           "feedback|told_him", "feedback|him_twice"}
    assert all(v == 1 / math.sqrt(7) for v in values.values())  # length is no evidence
    # a question with none of the concepts pairs its words with "none"
    assert cross_values("What is your favourite colour?", "Blue.") == {"none|blue": 1.0}


def test_the_score_is_the_bias_plus_the_weights_of_the_keys_present_scaled():
    cross = {"bias": 1.0, "weights": {"feedback|told": -2.0, "feedback|never_seen": 9.0}}
    # "she", "told", "me", "she_told", "told_me": five keys, each 1/sqrt(5)
    assert math.isclose(cross_score(cross, FEEDBACK, "She told me."), (1.0 - 2.0 / math.sqrt(5)) / CROSS_SCALE)
    assert cross_score({}, FEEDBACK, "She told me.") == 0.0


def _check_with(cross: dict) -> bool:
    data = copy.deepcopy(load_model().__dict__)
    base = {"labels": list(data["labels"]), "state": data["state"], "transitions": data["trans"],
            "start": data["start"], "judgements": data["judgements"], "topic": dict(data["topic"]),
            "topic_min": data["topic_min"], "topic_means": data["topic_means"], "topic_cross": cross}
    base["topic"]["cross"] = 2.0
    with using_model(StarModel(base)):
        t = check_topic(question_info(FEEDBACK), ANSWER, analyze_structure(Transcript(text=ANSWER)))
    assert t is not None
    assert t.on_topic or t.why  # a flag always says why, in words
    return t.on_topic


def test_the_check_follows_the_learned_words_when_they_are_strong():
    """The same answer passes with words learned to go with the question and is flagged, with a
    reason in words, when they are learned to go against it."""
    assert _check_with({"bias": 0.0, "weights": {"feedback|told_me": 150.0}})
    assert not _check_with({"bias": 0.0, "weights": {"feedback|told_me": -250.0}})
