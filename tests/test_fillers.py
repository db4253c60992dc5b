"""Fillers: transcript hesitations, discourse fillers in context, and acoustic hesitations."""

from __future__ import annotations

import pytest

from speechgen import build, filler, pause, say
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from voicemock.audio.vad import speech_segments
from voicemock.models import Word
from voicemock.scoring.fillers import detect_fillers, steady_runs, transcript_fillers
from voicemock.scoring.lexicon import is_hesitation
from voicemock.scoring.text import words_from_text


def found(text: str) -> list[str]:
    return [f.word for f in transcript_fillers(words_from_text(text))]


# --- text rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["um", "Umm,", "uh", "Uhh...", "er", "erm", "hmm", "Ah,", "mm"])
def test_hesitation_words(word):
    assert is_hesitation("".join(c for c in word if c.isalpha()))
    assert found(f"We shipped {word} it.") == ["".join(c for c in word.lower() if c.isalpha())]


@pytest.mark.parametrize("word", ["umbrella", "under", "era", "hum", "me", "ahead"])
def test_real_words_are_not_hesitations(word):
    assert not is_hesitation(word)


@pytest.mark.parametrize("text, expected", [
    # like
    ("I like Python.", []),
    ("We would like to cut costs.", []),
    ("It looks like a maze.", []),
    ("Customers like fast pages.", []),
    ("It was, like, really hard.", ["like"]),
    ("It was like really hard.", ["like"]),
    ("Like, nobody owned it.", ["like"]),
    ("It was like a maze.", []),
    ("I would, um, like to lead it.", ["um"]),
    ("It was, um, like, really hard.", ["um", "like"]),
    # you know
    ("Do you know the answer?", []),
    ("She asked if you know the owner.", []),
    ("You know, the deadline was close.", ["you know"]),
    ("The deadline was close, you know.", ["you know"]),
    ("Did you know that?", []),
    # I mean
    ("I mean, nobody owned it.", ["i mean"]),
    ("That is what I mean.", []),
    ("I mean it.", []),
    # so
    ("So I started with the data.", ["so"]),
    ("We refactored it so that teams could deploy.", []),
    ("It was so slow.", []),
    ("So far we have shipped two releases.", []),
    ("We were late, so we cut scope.", []),
    # kind of / sort of
    ("It was kind of hard.", ["kind of"]),
    ("What kind of database is it?", []),
    ("A sort of queue.", []),
    ("It sort of worked.", ["sort of"]),
    # basically / actually
    ("We basically rewrote it.", ["basically"]),
    ("Actually, the risk was the migration.", ["actually"]),
    ("That is what actually happened.", []),
])
def test_discourse_fillers_only_when_used_as_fillers(text, expected):
    assert found(text) == expected


def test_discourse_fillers_keep_word_times():
    words = [Word(word="It", start=0.0, end=0.1), Word(word="was,", start=0.1, end=0.3),
             Word(word="you", start=0.4, end=0.5), Word(word="know,", start=0.5, end=0.7),
             Word(word="hard.", start=0.8, end=1.1)]
    (f,) = transcript_fillers(words)
    assert (f.word, f.start, f.end, f.kind, f.source) == ("you know", 0.4, 0.7, "discourse", "transcript")


# --- acoustic ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    t = Transcriber()
    t.load()
    return t


@pytest.fixture(scope="module")
def hesitant(tmp_path_factory, transcriber):
    """A clip with three held hesitations; Whisper's transcript and the VAD regions."""
    tmp = tmp_path_factory.mktemp("fill")
    clip = build([pause(0.8), say("I decided to rewrite the importer."), filler("um", rate=70),
                  say("It took two weeks."), pause(1.2), filler("uh", rate=65),
                  say("The team agreed with the plan."), filler("er", rate=80),
                  say("We shipped it in March.")], tmp / "h.wav", voice="en-gb", rate=160)
    tr = transcriber.transcribe(clip.audio)
    return clip, tr, speech_segments(clip.audio)


def _near(label, fillers, tol=0.3):
    return [f for f in fillers if f.start - tol <= label.end and f.end + tol >= label.start]


def test_held_sounds_are_found_as_steady_runs(hesitant):
    clip, _, speech = hesitant
    runs = steady_runs(clip.audio, speech)
    for lab in clip.fillers:
        assert any(a - 0.1 <= lab.end and b + 0.1 >= lab.start for a, b in runs), lab


def test_fillers_whisper_dropped_are_found_in_the_audio(hesitant):
    clip, tr, speech = hesitant
    # what tiny.en does on real speech: it writes no um/uh at all
    words = [w for w in tr.words if not is_hesitation("".join(c for c in w.word if c.isalpha()))]
    fillers = detect_fillers(words, clip.audio, speech)
    hes = [f for f in fillers if f.kind == "hesitation"]
    assert len(hes) == len(clip.fillers) == 3
    for lab in clip.fillers:
        (f,) = _near(lab, hes)
        assert f.source == "acoustic"
        assert f.start == pytest.approx(lab.start, abs=0.15)
        assert f.end == pytest.approx(lab.end, abs=0.2)


def test_filler_hidden_in_a_stretched_word_is_found(hesitant):
    clip, tr, speech = hesitant
    words = [w for w in tr.words if not is_hesitation("".join(c for c in w.word if c.isalpha()))]
    lab = clip.fillers[0]  # after "importer."
    # Whisper stretched "importer." over the hesitation that follows it
    k = max(i for i, w in enumerate(words) if w.end <= lab.start + 0.3)
    words[k] = words[k].model_copy(update={"end": lab.end + 0.05})
    fillers = detect_fillers(words, clip.audio, speech)
    assert _near(lab, [f for f in fillers if f.source == "acoustic"])


def test_transcript_fillers_take_the_audio_times(hesitant):
    clip, tr, speech = hesitant
    fillers = detect_fillers(tr.words, clip.audio, speech)
    hes = [f for f in fillers if f.kind == "hesitation"]
    assert len(hes) == 3  # each hesitation once, whether Whisper wrote it or not
    for lab in clip.fillers:
        (f,) = _near(lab, hes)
        assert f.start == pytest.approx(lab.start, abs=0.15)


@pytest.mark.parametrize("voice, rate", [("en-us", 140), ("en+f3", 175), ("en-gb", 120)])
def test_fluent_speech_has_no_acoustic_fillers(tmp_path, transcriber, voice, rate):
    clip = build([pause(0.5), say("I took ownership of the incident review."), pause(0.8),
                  say("Our conversion rate went up by twelve percent."),
                  say("I learned to ask for feedback much earlier.")], tmp_path / "f.wav", voice=voice, rate=rate)
    tr = transcriber.transcribe(clip.audio)
    fillers = detect_fillers(tr.words, clip.audio, speech_segments(clip.audio))
    acoustic = [f for f in fillers if f.source == "acoustic"]
    assert acoustic == [], [(w.word, w.start, w.end) for w in tr.words]


def test_a_silence_marks_a_sentence_start_whisper_punctuation_missed():
    words = [Word(word="stakeholders,", start=0.5, end=1.4), Word(word="so", start=2.0, end=2.2),
             Word(word="I", start=2.2, end=2.3), Word(word="started.", start=2.3, end=2.8)]
    assert transcript_fillers(words) == []  # ", so I ..." reads as a conjunction
    speech = [(0.5, 1.1), (2.0, 2.8)]  # but the speaker stopped for 0.9 s before "so"
    assert [f.word for f in transcript_fillers(words, speech)] == ["so"]
    assert transcript_fillers(words, [(0.5, 2.8)]) == []  # no silence: still a conjunction
