"""Static sentence embeddings (scoring/semantic.py): the safetensors reader, the mean of token
vectors, and the topic check without the embedding package."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from voicemock.models import Transcript
from voicemock.rubric.kinds import question_info
from voicemock.rubric.topic import SEMANTIC_FEATURES, check_topic, topic_features
from voicemock.scoring import semantic
from voicemock.scoring.star import analyze_structure


def _safetensors(path, name: str, array: np.ndarray) -> None:
    data = array.astype(np.float16).tobytes()
    header = json.dumps({name: {"dtype": "F16", "shape": list(array.shape), "data_offsets": [0, len(data)]}})
    header += " " * (-len(header) % 8)
    path.write_bytes(struct.pack("<Q", len(header)) + header.encode() + data)


def _forget_vectors() -> None:
    """Drop every cached model and vector: the topic check caches vectors of the bank and of the
    story kinds, which must not outlive a test's stand-in model (or its absence)."""
    from voicemock.rubric import topic

    semantic._model.cache_clear()
    semantic.embed_cached.cache_clear()
    for cached in (topic._bank_vectors, topic._bank_material, topic._trouble_pole, topic._kind_vectors):
        cached.cache_clear()


@pytest.fixture
def tiny_model(tmp_path, monkeypatch):
    """A three-word model laid out like the wordllama package."""
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    (tmp_path / "weights").mkdir()
    (tmp_path / "tokenizers").mkdir()
    vectors = np.array([[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 3, 4]], dtype=np.float32)
    _safetensors(tmp_path / semantic.WEIGHTS, "embedding.weight", vectors)
    tok = Tokenizer(WordLevel({"<unk>": 0, "conflict": 1, "colleague": 2, "deadline": 3}, unk_token="<unk>"))
    tok.pre_tokenizer = Whitespace()
    tok.save(str(tmp_path / semantic.TOKENIZER))
    monkeypatch.setattr(semantic, "_package_dir", lambda: tmp_path)
    _forget_vectors()
    yield vectors
    _forget_vectors()


def test_safetensors_tensor_is_read_as_written(tmp_path):
    a = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
    _safetensors(tmp_path / "t.safetensors", "w", a)
    got = semantic.read_safetensors(tmp_path / "t.safetensors", "w")
    assert got.shape == (3, 4) and np.allclose(np.asarray(got, dtype=np.float32), a)


def test_a_text_is_the_normalised_mean_of_its_token_vectors(tiny_model):
    assert semantic.available()
    v = semantic.embed("conflict colleague")
    assert np.allclose(v, np.array([1, 1, 0, 0]) / np.sqrt(2), atol=1e-3)
    assert semantic.cosine(semantic.embed("deadline"), semantic.embed("conflict")) == pytest.approx(0.0)
    assert not semantic.embed("").any()  # no tokens: zeros, not NaN


def test_without_the_embedding_package_the_topic_check_uses_the_training_means(monkeypatch):
    monkeypatch.setattr(semantic, "_package_dir", lambda: None)
    _forget_vectors()
    try:
        assert not semantic.available() and semantic.embed("anything") is None
        answer = "I argued with a colleague about the rota, so I asked her for a coffee and we split the weekends."
        info = question_info("Tell me about a time you had a conflict with a colleague. How did you resolve it?")
        feats, _ = topic_features(info, answer, analyze_structure(Transcript(text=answer)))
        from voicemock.scoring.star_model import load_model

        assert {k: feats[k] for k in SEMANTIC_FEATURES if k in feats} == {
            k: v for k, v in load_model().topic_means.items() if k in feats}
        assert check_topic(info, answer, analyze_structure(Transcript(text=answer))) is not None
    finally:
        _forget_vectors()
