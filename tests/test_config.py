"""The home folder, config.toml and the error hierarchy's promises."""

from __future__ import annotations

import pytest

from voicemock import config
from voicemock.errors import ConfigError, VoicemockError


def test_home_dir_follows_env(voicemock_home):
    assert config.home_dir() == voicemock_home
    assert config.config_path() == voicemock_home / "config.toml"
    assert config.history_db_path() == voicemock_home / "history.db"
    assert config.user_banks_dir() == voicemock_home / "banks"


def test_home_dir_default_is_platform_dir(monkeypatch):
    monkeypatch.delenv("VOICEMOCK_HOME")
    assert config.home_dir().name == "voicemock"


def test_defaults_without_file():
    cfg = config.load_config()
    assert cfg.recordings_dir == "recordings" and cfg.judge == "offline" and cfg.model is None
    assert str(cfg.recordings_path()) == "recordings"
    assert str(cfg.recordings_path("/tmp/x")) == "/tmp/x"


def test_file_overrides(voicemock_home):
    (voicemock_home / "config.toml").write_text('recordings_dir = "/data/rec"\njudge = "llm"\nllm_model = "qwen"\n')
    cfg = config.load_config()
    assert cfg.recordings_dir == "/data/rec" and cfg.judge == "llm" and cfg.llm_model == "qwen"


def test_unknown_key_is_named(voicemock_home):
    (voicemock_home / "config.toml").write_text('recording_dir = "x"\n')
    with pytest.raises(ConfigError, match="unknown setting\\(s\\) recording_dir"):
        config.load_config()


def test_broken_toml_names_file(voicemock_home):
    p = voicemock_home / "config.toml"
    p.write_text("judge = \n")
    with pytest.raises(ConfigError, match=str(p)) as err:
        config.load_config()
    assert isinstance(err.value, VoicemockError) and err.value.exit_code == 1
