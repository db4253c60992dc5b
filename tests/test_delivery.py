"""Delivery metrics: pace, pauses, lead-in, duration target, hedges, repetitions."""

from __future__ import annotations

import pytest

from speechgen import build, filler, pause, say
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from voicemock.audio import vad as audio_io
from voicemock.audio.vad import speech_segments
from voicemock.models import Transcript, Word
from voicemock.scoring.delivery import analyze_delivery, find_hedges, find_repetitions
from voicemock.scoring.pipeline import score_answer
from voicemock.scoring.text import tokenize, words_from_text


def timed(spec: str) -> Transcript:
    """'word@start-end word@start-end ...' -> Transcript."""
    words = []
    for item in spec.split():
        w, t = item.rsplit("@", 1)
        a, b = t.split("-")
        words.append(Word(word=w, start=float(a), end=float(b)))
    return Transcript(text=" ".join(w.word for w in words), words=words, duration_s=words[-1].end + 0.5)


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    """A synthesised answer: 1.5 s lead-in, a 2 s and a 1.3 s pause, a short pause, two fillers."""
    tmp = tmp_path_factory.mktemp("deliv")
    clip = build([pause(1.5), say("I led the move to a new payment provider."), pause(2.0),
                  say("First I mapped every call we made to the old one."), filler("um", rate=70),
                  say("Then we ran both side by side for a week."), pause(0.5),
                  say("The switch took one evening."), pause(1.3), filler("uh", rate=70),
                  say("We cut fees by a third.")], tmp / "answer.wav", voice="en-us", rate=160)
    t = Transcriber()
    transcript = t.transcribe(clip.audio)
    return clip, transcript, speech_segments(clip.audio)


def test_pauses_lead_in_and_pace_on_speech(answer):
    clip, transcript, speech = answer
    d = analyze_delivery(transcript, clip.audio, speech=speech)
    long_pauses = [p for p in clip.pauses if p.duration >= 1.0 and p.start > 0]
    assert d.long_pause_count == len(long_pauses) == 2
    for got, want in zip(d.pauses, long_pauses):
        assert got.start == pytest.approx(want.start, abs=0.15)
        assert got.end == pytest.approx(want.end, abs=0.15)
    assert d.longest_pause_s == pytest.approx(2.0, abs=0.2)
    assert d.lead_in_s == pytest.approx(1.5, abs=0.15)
    span = clip.speech[-1].end - clip.speech[0].start
    assert d.answer_duration_s == pytest.approx(span, abs=0.3)
    assert d.words_per_minute == pytest.approx(d.word_count / (d.answer_duration_s / 60), rel=0.01)
    assert d.speaking_words_per_minute > d.words_per_minute  # pauses excluded
    assert 120 < d.words_per_minute < 260
    assert d.duration_target_s == [60.0, 180.0] and d.duration_verdict == "short"
    assert d.filler_count == 2
    assert d.fillers_per_minute == pytest.approx(2 / (d.answer_duration_s / 60), rel=0.01)


def test_precomputed_speech_skips_vad(answer, monkeypatch):
    clip, transcript, speech = answer

    def boom(*a, **k):
        raise AssertionError("VAD must not run again")

    monkeypatch.setattr(audio_io, "speech_segments", boom)
    d = analyze_delivery(transcript, clip.audio, speech=speech)
    assert d.long_pause_count == 2 and d.acoustic_fillers


def test_without_audio_pauses_come_from_word_gaps():
    tr = timed("I@0.5-0.6 built@0.6-0.9 it.@0.9-1.2 Then@2.7-2.9 we@2.9-3.0 shipped.@3.0-3.4")
    d = analyze_delivery(tr)
    assert [(p.start, p.end) for p in d.pauses] == [(1.2, 2.7)]
    assert d.lead_in_s == 0.5
    assert d.word_count == 6
    assert d.words_per_minute == pytest.approx(6 / (2.9 / 60), rel=0.01)
    assert not d.acoustic_fillers


def test_untimed_transcript_has_null_timings():
    text = "Um, I think we basically rebuilt it. Maybe it was the the right call."
    d = analyze_delivery(Transcript(text=text, words=words_from_text(text)))
    assert d.words_per_minute is None and d.lead_in_s is None and d.longest_pause_s is None
    assert d.pauses == [] and d.duration_verdict is None
    assert [f.word for f in d.fillers] == ["um", "basically"]
    assert [h.phrase for h in d.hedges] == ["i think", "maybe"]
    assert [(r.text, r.count) for r in d.repetitions] == [("the", 2)]


def test_duration_targets_by_kind():
    words = " ".join(f"w{i}@{i * 0.5:.1f}-{i * 0.5 + 0.4:.1f}" for i in range(200))  # ~100 s
    tr = timed(words)
    assert analyze_delivery(tr, kind="behavioral").duration_verdict == "ok"
    assert analyze_delivery(tr, kind="general").duration_verdict == "ok"
    short = timed("Yes.@0.0-0.4 I@1.0-1.1 did.@1.1-1.5")
    assert analyze_delivery(short).duration_verdict == "short"
    assert analyze_delivery(short, kind="unknown-kind").duration_target_s is None


@pytest.mark.parametrize("text, hedges", [
    ("I think it worked and maybe we should repeat it.", ["i think", "maybe"]),
    ("I guess it was kind of late.", ["i guess", "kind of"]),
    ("What kind of database was it?", []),
    ("I'm not sure, but I'd say it was more or less fine, I would say.",
     ["i'm not sure", "i'd say", "more or less", "i would say"]),
    ("We thought it through and shipped.", []),
])
def test_hedges(text, hedges):
    assert [h.phrase for h in find_hedges(tokenize(words_from_text(text)))] == hedges


@pytest.mark.parametrize("text, reps", [
    ("I I decided to rewrite it.", [("i", 2)]),
    ("We went, we went to the client.", [("we went", 2)]),
    ("I, um, I called them.", [("i", 2)]),
    ("It had had no owner.", []),
    ("We shipped it and we tested it.", []),
    ("I set up a 1:1 with her.", []),  # one written word, not "1" said twice
    ("We were on call 24/7 for 2 2 weeks.", [("2", 2)]),
])
def test_repetitions(text, reps):
    assert [(r.text, r.count) for r in find_repetitions(tokenize(words_from_text(text)))] == reps


def test_score_answer_uses_question_kind_and_fills_the_contract():
    from voicemock.banks import Question

    q = Question(id="x", text="Explain how a hash map works.", difficulty="easy", category="technical",
                 guidance="Buckets, hashing, collisions.")
    tr = timed("A@0.2-0.3 hash@0.3-0.6 map@0.6-0.9 stores@0.9-1.3 pairs.@1.3-1.8")
    res = score_answer(tr, None, source="mem", question=q, asr_model="tiny.en")
    assert res.question == q.text and res.source == "mem" and res.asr_model == "tiny.en"
    assert res.delivery.duration_target_s == [45.0, 240.0]
    data = res.model_dump(mode="json")
    for key in ("words_per_minute", "fillers", "filler_count", "fillers_per_minute", "pauses",
                "long_pause_count", "longest_pause_s", "lead_in_s"):
        assert key in data["delivery"]
    assert set(data["transcript"]) >= {"text", "words", "duration_s"}


def test_empty_transcript_scores_without_errors():
    d = analyze_delivery(Transcript(text="", words=[], duration_s=3.0, no_speech=True))
    assert d.word_count == 0 and d.filler_count == 0 and d.words_per_minute is None


def test_filler_counts_include_the_audio_ones(answer):
    clip, transcript, speech = answer
    d = analyze_delivery(transcript, clip.audio, speech=speech)
    starts = sorted(f.start for f in d.fillers if f.kind == "hesitation")
    assert starts == pytest.approx([x.start for x in clip.fillers], abs=0.2)


def test_score_answer_passes_the_judge_through():
    from voicemock.rubric import JudgeOptions, make_judge

    text = ("At my last job our deploys failed every week. I was asked to fix it. I wrote a checklist "
            "and automated the tests. Failures dropped by eighty percent.")
    tr = Transcript(text=text, words=words_from_text(text))
    plain = score_answer(tr, None, source="x")
    assert plain.structure is not None and plain.rubric is None
    judged = score_answer(tr, None, source="x", judge=make_judge(JudgeOptions(kind="offline")))
    assert judged.rubric is not None and judged.rubric.judge == "offline"
