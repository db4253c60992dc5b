"""Where voicemock keeps things, and the user's config.toml.

One function owns the home folder (``VOICEMOCK_HOME`` overrides the platform default);
it holds user banks (``banks/``), ``config.toml`` and the history index (``history.db``).
Sessions are saved under ``./recordings/`` unless ``--out`` or ``recordings_dir`` says otherwise.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ENV_HOME = "VOICEMOCK_HOME"


def home_dir() -> Path:
    """The voicemock home folder (not created here)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("voicemock", appauthor=False))


def user_banks_dir() -> Path:
    return home_dir() / "banks"


def config_path() -> Path:
    return home_dir() / "config.toml"


def history_db_path() -> Path:
    return home_dir() / "history.db"


@dataclass
class Config:
    """Settings from ``config.toml``; every field has a working offline default."""

    recordings_dir: str = "recordings"
    bank: str = "amazon"
    model: str | None = None  # None: the embedded tiny.en
    device: str = "auto"
    judge: str = "offline"  # offline | llm
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 60.0
    tts_voice: str | None = None
    tts_rate: int | None = None
    max_answer_s: float = 300.0
    extra: dict = field(default_factory=dict)

    def recordings_path(self, out: str | Path | None = None) -> Path:
        return Path(out if out is not None else self.recordings_dir).expanduser()


_KNOWN = {f.name for f in fields(Config)} - {"extra"}


def load_config(path: Path | None = None) -> Config:
    """Read ``config.toml`` (missing file: defaults). Unknown keys are an error naming them."""
    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}"
        )
    if "api_key" in data or "openai_api_key" in data:  # pragma: no cover - guarded by _KNOWN
        raise ConfigError(f"{path}: keep API keys in the OPENAI_API_KEY environment variable")
    try:
        return Config(**data)
    except TypeError as exc:  # pragma: no cover
        raise ConfigError(f"{path}: {exc}") from None
