"""Sentence meaning as a vector, offline: a static word-piece embedding model shipped in a wheel.

The model is WordLlama's ``l2_supercat`` (MIT licence): 32,000 token vectors of 256 dimensions,
trained so that the mean of a text's token vectors places texts of similar meaning close together.
Its weights (a 16 MB safetensors file) and its tokenizer ship inside the ``wordllama`` package on
PyPI; this module reads the two files directly (numpy and the ``tokenizers`` package, which
faster-whisper already needs), so nothing is downloaded and no torch is needed. A text's vector is
the mean of its token vectors, normalised: about 0.4 ms for 300 words.

When the package is not installed, :func:`available` is false and :func:`embed` returns None; the
topic check then works from its lexical evidence alone.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_LOCK = threading.Lock()


def _package_dir() -> Path | None:
    """Where the wordllama package's files are, without importing it (its import does much more)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def read_safetensors(path: Path, name: str) -> np.ndarray:
    """One tensor of a safetensors file: an 8-byte little-endian header length, a JSON header, the data."""
    import numpy as np

    dtypes = {"F16": np.float16, "F32": np.float32, "BF16": None}
    with path.open("rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(size))
    meta = header[name]
    dtype = dtypes.get(meta["dtype"])
    if dtype is None:
        raise ValueError(f"{path}: tensor {name} has unsupported dtype {meta['dtype']}")
    start, end = meta["data_offsets"]
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size + start, shape=(end - start,))
    return data.view(dtype).reshape(meta["shape"])


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any] | None:
    """(token vectors, tokenizer), or None when the package or its files are missing."""
    base = _package_dir()
    if base is None or not (base / WEIGHTS).is_file() or not (base / TOKENIZER).is_file():
        return None
    try:
        from tokenizers import Tokenizer

        vectors = read_safetensors(base / WEIGHTS, "embedding.weight")  # float16, memory-mapped
        tok = Tokenizer.from_file(str(base / TOKENIZER))
        tok.no_padding()
        tok.no_truncation()
    except (ImportError, OSError, ValueError, KeyError, RuntimeError):
        return None
    return vectors, tok


def available() -> bool:
    with _LOCK:
        return _model() is not None


def embed(text: str) -> np.ndarray | None:
    """The unit vector of ``text`` (zeros for a text without tokens); None without the model."""
    with _LOCK:
        model = _model()
    if model is None:
        return None
    import numpy as np

    vectors, tok = model
    ids = tok.encode(text, add_special_tokens=False).ids
    if not ids:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    v = vectors[np.clip(np.asarray(ids), 0, vectors.shape[0] - 1)].astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def embed_many(texts: list[str]) -> list[np.ndarray] | None:
    """:func:`embed` of several texts with one tokenizer call; None without the model."""
    with _LOCK:
        model = _model()
    if model is None:
        return None
    import numpy as np

    vectors, tok = model
    out = []
    for enc in tok.encode_batch(texts, add_special_tokens=False):
        if not enc.ids:
            out.append(np.zeros(vectors.shape[1], dtype=np.float32))
            continue
        v = vectors[np.clip(np.asarray(enc.ids), 0, vectors.shape[0] - 1)].astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(v))
        out.append(v / norm if norm else v)
    return out


@lru_cache(maxsize=512)
def embed_cached(text: str) -> np.ndarray | None:
    """:func:`embed` for texts asked about again and again (questions, bank material)."""
    return embed(text)


def cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(a @ b)
