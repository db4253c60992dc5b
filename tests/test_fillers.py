"""Fillers: transcript hesitations, discourse fillers in context, and acoustic hesitations."""

from __future__ import annotations

import numpy as np
import pytest

from speechgen import build, filler, pause, say
from voicemock.asr.whisper import WhisperTranscriber as Transcriber
from voicemock.audio.vad import speech_segments
from voicemock.models import Filler, Word
from voicemock.scoring.fillers import counted, detect_fillers, transcript_fillers
from voicemock.scoring.hesitations import ProbeOptions, encoder_windows, probable_runs, split_at_silences
from voicemock.scoring.lexicon import is_hesitation
from voicemock.scoring.text import words_from_text
from voicemock.targets import FILLER_CONFIDENCE_MIN


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
    # well / right
    ("Well, the first thing was the data.", ["well"]),
    ("The launch went well.", []),
    ("We tested it as well.", []),
    ("It went well, so we shipped.", []),
    ("The data was wrong, right? So I fixed it.", ["right", "so"]),
    ("If a password leaked, right, I reset it right away.", ["right"]),
    ("Right, the plan was simple.", ["right"]),
    ("We shipped it. Right? Nobody complained.", ["right"]),
    ("Uh, right I met with every engineer.", ["uh", "right"]),
    ("Right after the launch we celebrated.", []),
    ("Turn right after the bridge.", []),
    ("She got the numbers right on the first try.", []),
    # basically / actually
    ("We basically rewrote it.", ["basically"]),
    ("Actually, the risk was the migration.", ["actually"]),
    ("That is what actually happened.", []),
    # honestly: a comment wherever it stands, unless it is how something was reported
    ("Honestly, the hardest part was the data.", ["honestly"]),
    ("She was angry and honestly she had every reason to be.", ["honestly"]),
    ("More sockets would have made it worse honestly.", ["honestly"]),
    ("I told him honestly that I did not know.", []),
    ("I wrote it up honestly.", []),
    # so opening an answer after an interjection, trailing, and set off by commas
    ("Okay so I managed a climbing gym.", ["so"]),
    ("Yeah, so at the front desk there was a problem.", ["so"]),
    ("Um so I'm a line cook.", ["um", "so"]),
    ("The person we hired has been brilliant, so.", ["so"]),
    ("She covered for me when I got sick, so yeah, we're fine now.", ["so"]),
    ("Okay so far so good.", []),
    # like before an amount
    ("He sat with me for like six weeks.", ["like"]),
    ("Waste went down by like a third.", ["like"]),
    ("We were paying express rates on like 40% of parcels.", ["like"]),
    ("We collected something like 140 kilos.", []),
    ("I would like two tickets.", []),
    ("It felt like a month.", []),
    # like straight after a preposition
    ("I started a club for like anyone who wanted practice.", ["like"]),
    ("Returns went down over like the next month.", ["like"]),
    ("I grew to like the night shifts.", []),
    ("It was kind of like a maze.", ["kind of"]),
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


HESITANT = [pause(0.8), say("I decided to rewrite the importer."), filler("um", rate=70),
            say("It took two weeks."), pause(1.2), filler("uh", rate=65),
            say("The team agreed with the plan."), filler("er", rate=80), say("We shipped it in March.")]


@pytest.fixture(scope="module", params=["en-gb", "piper"])
def hesitant(request, tmp_path_factory, transcriber):
    """A clip with three held hesitations (an espeak-ng voice and Piper); transcript and VAD regions."""
    tmp = tmp_path_factory.mktemp("fill")
    clip = build(HESITANT, tmp / "h.wav", voice=request.param, rate=160)
    tr = transcriber.transcribe(clip.audio)
    return clip, tr, speech_segments(clip.audio)


def _near(label, fillers, tol=0.3):
    return [f for f in fillers if f.start - tol <= label.end and f.end + tol >= label.start]


def _without_hesitation_words(words):
    return [w for w in words if not is_hesitation("".join(c for c in w.word if c.isalpha()))]


def test_fillers_whisper_dropped_are_found_in_the_audio(hesitant, transcriber):
    clip, tr, speech = hesitant
    # what tiny.en does on real speech: it writes no um/uh at all
    fillers = detect_fillers(_without_hesitation_words(tr.words), clip.audio, speech, transcriber.encode)
    hes = [f for f in counted(fillers) if f.kind == "hesitation"]
    assert len(hes) == len(clip.fillers) == 3
    for lab in clip.fillers:
        (f,) = _near(lab, hes)
        assert f.source == "acoustic" and f.word == "(hesitation)"
        assert f.start == pytest.approx(lab.start, abs=0.15)
        assert f.end == pytest.approx(lab.end, abs=0.2)
        assert FILLER_CONFIDENCE_MIN <= f.confidence <= 1.0


def test_filler_hidden_in_a_stretched_word_is_found(hesitant, transcriber):
    clip, tr, speech = hesitant
    words = _without_hesitation_words(tr.words)
    lab = clip.fillers[0]  # after "importer."
    # Whisper stretched "importer." over the hesitation that follows it
    k = max(i for i, w in enumerate(words) if w.end <= lab.start + 0.3)
    words[k] = words[k].model_copy(update={"end": lab.end + 0.05})
    fillers = detect_fillers(words, clip.audio, speech, transcriber.encode)
    assert _near(lab, [f for f in counted(fillers) if f.source == "acoustic"])


def test_transcript_fillers_take_the_audio_times(hesitant, transcriber):
    clip, tr, speech = hesitant
    fillers = detect_fillers(tr.words, clip.audio, speech, transcriber.encode)
    hes = [f for f in counted(fillers) if f.kind == "hesitation"]
    assert len(hes) == 3  # each hesitation once, whether Whisper wrote it or not
    for lab in clip.fillers:
        (f,) = _near(lab, hes)
        assert f.start == pytest.approx(lab.start, abs=0.15)


@pytest.mark.parametrize("voice", ["en-us", "piper"])
def test_sentence_initial_hesitation_folded_into_the_next_word_is_found(tmp_path, transcriber, voice):
    clip = build([pause(0.6), filler("um", rate=70), say("the first thing I did was call the client."),
                  pause(0.5), filler("uh", rate=65), say("then we agreed on a date.")], tmp_path / "s.wav", voice=voice)
    tr = transcriber.transcribe(clip.audio)
    fillers = counted(detect_fillers(tr.words, clip.audio, speech_segments(clip.audio), transcriber.encode))
    for lab in clip.fillers:
        assert _near(lab, [f for f in fillers if f.kind == "hesitation"]), (voice, lab, fillers)


@pytest.mark.parametrize("voice, rate", [("en-us", 140), ("en+f3", 175), ("en-gb", 120), ("piper", 165)])
def test_fluent_speech_has_no_acoustic_fillers(tmp_path, transcriber, voice, rate):
    clip = build([pause(0.5), say("I took ownership of the incident review."), pause(0.8),
                  say("Our conversion rate went up by twelve percent."),
                  say("I learned to ask for feedback much earlier.")], tmp_path / "f.wav", voice=voice, rate=rate)
    tr = transcriber.transcribe(clip.audio)
    fillers = detect_fillers(tr.words, clip.audio, speech_segments(clip.audio), transcriber.encode)
    acoustic = [f for f in counted(fillers) if f.source == "acoustic"]
    assert acoustic == [], [(w.word, w.start, w.end) for w in tr.words]


@pytest.mark.parametrize("voice", ["en-gb", "piper"])
def test_two_hesitations_in_a_row_are_two_fillers(tmp_path, transcriber, voice):
    # "um" then "uh" with 60 ms between: the probe hears both and the silence as one run
    clip = build([pause(0.6), say("So the rollout was late."), filler("um", rate=70), filler("uh", rate=65),
                  say("I called the vendor that afternoon.")], tmp_path / "d.wav", voice=voice)
    tr = transcriber.transcribe(clip.audio)
    speech = speech_segments(clip.audio)
    hes = [f for f in counted(detect_fillers(_without_hesitation_words(tr.words), clip.audio, speech, transcriber.encode))
           if f.kind == "hesitation"]
    assert len(hes) == 2, hes
    for lab, f in zip(clip.fillers, hes):
        assert f.start == pytest.approx(lab.start, abs=0.15) and f.end == pytest.approx(lab.end, abs=0.15)
    joined = detect_fillers(_without_hesitation_words(tr.words), clip.audio, speech, transcriber.encode,
                            ProbeOptions(split_drop_db=0))
    assert len([f for f in counted(joined) if f.kind == "hesitation"]) == 1  # what the split is for


def _tone(seconds: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (level * np.sin(2 * np.pi * 140 * t)).astype(np.float32)


def test_a_run_is_split_only_at_a_real_silence_with_enough_on_both_sides():
    audio = np.concatenate([np.zeros(8000, np.float32), _tone(0.4), np.zeros(960, np.float32), _tone(0.4),
                            np.zeros(8000, np.float32)])
    times = np.arange(len(audio) // 320) * 0.02 + 0.01
    probs = np.full(len(times), 0.9)
    # the silence ends the run: nothing after it to be a hesitation of its own
    assert split_at_silences([(0.5, 0.96, 0.9)], audio, times, probs, min_s=0.12) == [(0.5, 0.96, 0.9)]
    pieces = split_at_silences([(0.5, 1.36, 0.9)], audio, times, probs, min_s=0.12)
    assert [(round(x, 2), round(y, 2)) for x, y, _ in pieces] == [(0.5, 0.9), (0.96, 1.36)]
    # a dip of 10 dB (a nasal, not a silence) is not a gap
    dip = np.concatenate([_tone(0.4), _tone(0.06, 0.3 / 3.2), _tone(0.4)])
    assert len(split_at_silences([(0.0, 0.86, 0.9)], dip, times, probs, min_s=0.12)) == 1
    # no audio to look at (frames computed while recording, tests): the run stays whole
    assert split_at_silences([(0.5, 1.36, 0.9)], np.zeros(1, np.float32), times, probs) == [(0.5, 1.36, 0.9)]


def test_a_hesitation_whisper_wrote_with_no_duration_and_the_audio_lacks_is_not_counted():
    from voicemock.scoring.fillers import snap_hesitations

    words = [Word(word="Um.", start=5.38, end=5.38), Word(word="hiring", start=13.6, end=13.86),
             Word(word="Uh.", start=13.86, end=13.86), Word(word="anyone.", start=13.86, end=14.2)]
    written = transcript_fillers(words)
    acoustic, found = snap_hesitations([(5.3, 5.8, 0.98)], written, words)
    um, uh = found
    assert (um.start, um.end) == (5.3, 5.8) and um.confidence >= FILLER_CONFIDENCE_MIN  # the probe heard it
    assert uh.confidence < FILLER_CONFIDENCE_MIN  # listed as uncertain, not counted
    assert counted(found) == [um] and acoustic == []
    timed = transcript_fillers([Word(word="uh,", start=2.0, end=2.3)])
    assert snap_hesitations([], timed, [])[1] == timed  # a written one with a real duration still counts


def test_words_join_as_whisper_spelled_them():
    from voicemock.models import join_words

    assert join_words(["We", "saved", "40", ",000", "dollars,", "30", "%", "more,", "a", "mid", "-sized", "team's",
                       "it", "'s", "done."]) == "We saved 40,000 dollars, 30% more, a mid-sized team's it's done."


def test_only_confident_fillers_count():
    sure = Filler(word="um", start=1.0, end=1.4, source="acoustic", confidence=0.9)
    unsure = Filler(word="(hesitation)", start=3.0, end=3.2, source="acoustic", confidence=0.3)
    assert counted([sure, unsure]) == [sure]
    assert counted([sure, unsure], minimum=0.2) == [sure, unsure]
    with pytest.raises(ValueError):
        Filler(word="um", source="acoustic", confidence=1.5)


def test_probe_runs_need_speech_and_enough_frames():
    times = np.arange(200) * 0.02 + 0.01
    probs = np.zeros(200)
    probs[50:70] = 0.95  # 0.4 s of hesitation at 1.0-1.4 s
    probs[120:123] = 0.95  # 60 ms: too short
    runs = probable_runs(times, probs, [(0.5, 3.0)], 0.6, 0.4, ProbeOptions())
    assert len(runs) == 1
    (a, b, conf), = runs
    assert a == pytest.approx(1.0, abs=0.05) and b == pytest.approx(1.4, abs=0.05) and conf > 0.8
    assert probable_runs(times, probs, [(2.0, 3.0)], 0.6, 0.4, ProbeOptions()) == []  # outside speech


def test_encoder_windows_hold_all_speech_and_stay_short():
    speech = [(0.5, 4.0), (4.2, 9.0), (9.3, 14.0), (20.0, 21.0)]
    wins = encoder_windows(speech, 22.0, 10.0)
    assert all(b - a <= 10.0 + 1e-9 for a, b in wins)
    for s0, s1 in speech:
        assert any(a <= s0 and s1 <= b for a, b in wins) or sum(
            max(0.0, min(b, s1) - max(a, s0)) for a, b in wins) >= s1 - s0 - 1e-6
    assert not any(a < 17.0 < b for a, b in wins)  # the silence 14-20 s is not encoded


def test_a_silence_marks_a_sentence_start_whisper_punctuation_missed():
    words = [Word(word="stakeholders,", start=0.5, end=1.4), Word(word="so", start=2.0, end=2.2),
             Word(word="I", start=2.2, end=2.3), Word(word="started.", start=2.3, end=2.8)]
    assert transcript_fillers(words) == []  # ", so I ..." reads as a conjunction
    speech = [(0.5, 1.1), (2.0, 2.8)]  # but the speaker stopped for 0.9 s before "so"
    assert [f.word for f in transcript_fillers(words, speech)] == ["so"]
    assert transcript_fillers(words, [(0.5, 2.8)]) == []  # no silence: still a conjunction


def test_wide_context_feature_is_the_surroundings_minus_the_frame(tmp_path):
    import json

    from voicemock.scoring.hesitations import Probe

    rng = np.random.default_rng(0)
    frames = rng.standard_normal((50, 4)).astype(np.float32)
    for wide, width in ((0, 8), (5, 12)):
        path = tmp_path / f"probe{wide}.npz"
        meta = {"context": 2, "threshold": 0.5, **({"wide": wide} if wide else {})}
        np.savez(path, mean=np.zeros(width, np.float32), std=np.ones(width, np.float32),
                 w1=np.ones((width, 3), np.float32), b1=np.zeros(3, np.float32), w2=np.ones((3, 1), np.float32),
                 b2=np.zeros(1, np.float32), meta=np.array(json.dumps(meta)))
        probe = Probe(path)
        x = probe.features(frames)
        assert x.shape == (50, width)  # a probe file without "wide" reads frames as before
        assert np.allclose(x[:, :4], frames)
        assert np.allclose(x[20, 4:8], frames[18:23].mean(0), atol=1e-5)
        if wide:
            assert np.allclose(x[20, 8:], frames[15:26].mean(0) - frames[20], atol=1e-5)
        assert probe.probabilities(frames).shape == (50,)


def test_augmented_training_copies_keep_hesitation_times_on_the_sound():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from filler_augment import augment

    sr = 16000
    t = np.arange(12 * sr) / sr
    audio = np.zeros_like(t, dtype=np.float32)
    hes = [(1.0, 1.5, "start"), (4.0, 4.2, "mid"), (7.3, 8.1, "mid")]
    for a, b, _ in hes:  # a held vowel-like tone where each hesitation is, silence elsewhere
        span = (t >= a) & (t < b)
        audio[span] = (0.5 * np.sin(2 * np.pi * 180 * t[span]) + 0.2 * np.sin(2 * np.pi * 720 * t[span])).astype(np.float32)
    copies = [augment(audio, hes, seed) for seed in range(6)]
    assert len({round(len(a) / sr, 2) for a, _ in copies}) > 1  # tempo and hesitation length do change
    for out, moved in copies:
        assert len(moved) == len(hes)
        for a, b, _ in moved:
            assert 0 <= a < b <= len(out) / sr + 0.01
            inside = np.sqrt(np.mean(out[int((a + 0.01) * sr): int((b - 0.01) * sr)] ** 2))
            before = np.sqrt(np.mean(out[int((a - 0.08) * sr): int((a - 0.02) * sr)] ** 2))
            assert inside > 1.5 * before, (a, b, inside, before)


def test_a_probe_file_may_carry_its_own_join_gap_and_shortest_run(tmp_path):
    import json

    from voicemock.scoring.hesitations import find_hesitations

    def probe_file(name: str, **meta) -> str:
        path = tmp_path / name
        np.savez(path, mean=np.zeros(8, np.float32), std=np.ones(8, np.float32), w1=np.ones((8, 3), np.float32),
                 b1=np.zeros(3, np.float32), w2=np.ones((3, 1), np.float32), b2=np.zeros(1, np.float32),
                 meta=np.array(json.dumps({"context": 3, "threshold": 0.6, "release": 0.4, **meta})))
        return str(path)

    times = np.arange(300) * 0.02 + 0.01
    probs = np.zeros(300)
    probs[50:65] = probs[75:90] = 0.95  # two 0.3 s runs 0.2 s apart
    probs[200:205] = 0.95  # one of 0.1 s
    speech = [(0.5, 5.5)]
    old = find_hesitations(np.zeros(1), speech, lambda a: a, ProbeOptions(model_path=probe_file("old.npz")),
                           frames=(times, probs))
    assert len(old) == 2  # 0.10 s join and 0.12 s shortest run: two runs kept apart, the short one dropped
    new = find_hesitations(np.zeros(1), speech, lambda a: a,
                           ProbeOptions(model_path=probe_file("new.npz", join_s=0.25, min_s=0.08)), frames=(times, probs))
    assert len(new) == 2 and new[0][1] - new[0][0] > 0.6 and new[1][1] - new[1][0] < 0.2
    forced = find_hesitations(np.zeros(1), speech, lambda a: a,
                              ProbeOptions(model_path=probe_file("new.npz", join_s=0.25, min_s=0.08), join_s=0.1,
                                           min_s=0.12), frames=(times, probs))
    assert len(forced) == 2 and forced == old  # options given by the caller win over the file's


def test_a_run_inside_an_ordinary_word_is_dropped_and_one_in_a_stretched_word_kept(tmp_path):
    """The ordinary-word veto (probe file's ``word_limit``): a run heard inside a word spoken at the
    answer's pace is the word; a run inside a word Whisper stretched over a folded "um" is not."""
    import json

    path = tmp_path / "veto.npz"
    np.savez(path, mean=np.zeros(8, np.float32), std=np.ones(8, np.float32), w1=np.ones((8, 3), np.float32),
             b1=np.zeros(3, np.float32), w2=np.ones((3, 1), np.float32), b2=np.zeros(1, np.float32),
             meta=np.array(json.dumps({"context": 3, "threshold": 0.6, "release": 0.4, "word_limit": 1.7})))
    # 0.05 s per padded letter: "work" (4 + 2 letters) takes 0.3 s
    words = [Word(word="The", start=0.0, end=0.7, probability=0.4)]  # "Um, the" folded: 0.5 s early
    t = 0.7
    for w in ["first", "thing", "was", "the", "work", "because", "we", "had", "nothing", "ready."]:
        d = (sum(ch.isalnum() for ch in w) + 2) * 0.05
        words.append(Word(word=w, start=round(t, 3), end=round(t + d, 3), probability=0.95))
        t += d
    because = next(w for w in words if w.word == "because")
    times = np.arange(int(t / 0.02) + 10) * 0.02 + 0.01
    probs = np.zeros(len(times))
    probs[(times > 0.02) & (times < 0.5)] = 0.95  # the folded "um" at the start of "The"
    probs[(times > because.start + 0.1) & (times < because.start + 0.3)] = 0.95  # inside "because"
    speech = [(0.0, t)]
    opts = ProbeOptions(model_path=str(path))
    heard = [f for f in detect_fillers(words, np.zeros(1), speech, lambda a: a, opts, frames=(times, probs))
             if f.source == "acoustic"]
    assert len(heard) == 1 and heard[0].start < 0.1  # the word-interior run is vetoed, the folded "um" kept
    off = [f for f in detect_fillers(words, np.zeros(1), speech, lambda a: a,
                                     ProbeOptions(model_path=str(path), word_limit=0), frames=(times, probs))
           if f.source == "acoustic"]
    assert len(off) == 2  # word_limit 0: no veto
    stretched = [w.model_copy(update={"end": w.end + 0.6}) if w is because else w for w in words]
    kept = [f for f in detect_fillers(stretched, np.zeros(1), speech, lambda a: a, opts, frames=(times, probs))
            if f.source == "acoustic"]
    assert len(kept) == 2  # the same run inside a "because" held 0.6 s too long is a hesitation


@pytest.mark.skipif(not __import__("shutil").which("flite"), reason="flite (a training-data voice) not installed")
@pytest.mark.parametrize("voice", ["flite:slt", "flite:kal16"])
def test_flite_training_voice_labels_each_hesitation_where_its_sound_is(tmp_path, voice):
    clip = build([pause(0.4), say("I told her"), filler("er", rate=70), say("that the plan was late."),
                  filler("hmm", rate=70), pause(0.4)], tmp_path / "a.wav", voice=voice, rate=160)
    sr = 16000
    assert [f.text for f in clip.fillers] == ["er", "hmm"]
    for f in clip.fillers:
        assert 0.25 < f.duration < 1.5  # held, as the other families' hesitations are
        inside = np.sqrt(np.mean(clip.audio[int(f.start * sr): int(f.end * sr)] ** 2))
        assert inside > 0.01
    assert clip.fillers[0].start - clip.speech[0].end == pytest.approx(0.06, abs=0.002)
