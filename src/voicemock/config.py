"""Where voicemock keeps things, and the user's ``config.toml``.

One function owns the home folder (``VOICEMOCK_HOME`` overrides the platform default); it holds
user banks (``banks/``), ``config.toml`` and the history index (``history.db``). Sessions are saved
under ``./recordings/`` unless ``--out`` or ``recordings_dir`` says otherwise.

:class:`Config` is a pydantic model with ``extra="forbid"``: an unknown key, a value of the wrong
type or an unknown choice is a :class:`~voicemock.errors.ConfigError` of one line per problem,
``config.toml: key: message``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ENV_HOME = "VOICEMOCK_HOME"
MAX_CONFIG_BYTES = 1 << 20  # a config file is a few lines; refuse anything absurd

Device = Literal["auto", "cpu", "cuda"]
JudgeKind = Literal["offline", "llm"]


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


class Config(BaseModel):
    """Settings from ``config.toml``; every field has a working offline default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True)  # "5" and true are no seconds

    recordings_dir: str = Field("recordings", min_length=1, description="Where session folders are saved.")
    bank: str = Field("amazon", min_length=1, description="The default question bank (name or path).")
    model: Optional[str] = Field(None, description="A CTranslate2 Whisper folder or model name; unset: the embedded tiny.en.")
    device: Device = "auto"
    judge: JudgeKind = "offline"
    llm_base_url: Optional[str] = None
    llm_model: Optional[str] = None
    llm_timeout_s: float = Field(60.0, gt=0, le=3600)
    input_device: Optional[str] = Field(None, description="Microphone: its number or part of its name (voicemock devices).")
    output_device: Optional[str] = Field(None, description="Speaker: its number or part of its name.")
    tts_voice: Optional[str] = None
    tts_rate: Optional[int] = Field(None, ge=60, le=400)
    threads: Optional[int] = Field(None, ge=1, le=256, description="Whisper threads (default: every core available).")
    max_answer_s: float = Field(300.0, gt=0, le=3600, description="Longest answer recorded in practice (seconds).")
    max_score_s: float = Field(1800.0, gt=0, le=4 * 3600, description="Longest audio file scored (seconds).")
    max_embed_mb: float = Field(50.0, ge=0, le=2000, description="Audio embedded in an HTML review, at most (MB).")

    @field_validator("input_device", "output_device", mode="before")
    @classmethod
    def _device_number(cls, v):
        """``input_device = 2`` is the number 'voicemock devices' lists: the same as ``"2"``."""
        return str(v) if type(v) is int else v

    def recordings_path(self, out: str | Path | None = None) -> Path:
        return Path(out if out is not None else self.recordings_dir).expanduser()


def _problems(path: Path, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(x) for x in err["loc"]) or "(file)"
        if err["type"] == "extra_forbidden":
            msg = f"unknown setting; known: {', '.join(Config.model_fields)}"
        else:
            msg = err["msg"]
            if "input" in err and err["type"] not in ("missing",):
                msg += f" (got {err['input']!r})"
        lines.append(f"{path}: {key}: {msg}")
    return "; ".join(lines)


def load_config(path: Path | None = None) -> Config:
    """Read ``config.toml`` (missing file: defaults); ConfigError naming the file and key otherwise."""
    path = path or config_path()
    if not path.exists():
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: not a regular file")
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: {path.stat().st_size} bytes is far too large for a config file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be voicemock's settings") from None
    for key in ("api_key", "openai_api_key"):
        if key in data:
            raise ConfigError(f"{path}: {key}: keep API keys in the OPENAI_API_KEY environment variable")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_problems(path, exc)) from None
