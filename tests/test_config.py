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


def test_device_numbers_may_be_written_without_quotes(voicemock_home):
    """'voicemock devices' lists numbers; input_device = 2 was refused ("should be a valid string")."""
    (voicemock_home / "config.toml").write_text('input_device = 2\noutput_device = "USB"\n')
    cfg = config.load_config()
    assert (cfg.input_device, cfg.output_device) == ("2", "USB")
    (voicemock_home / "config.toml").write_text("input_device = true\n")
    with pytest.raises(ConfigError, match="input_device"):
        config.load_config()


def test_unknown_key_is_named(voicemock_home):
    (voicemock_home / "config.toml").write_text('recording_dir = "x"\n')
    with pytest.raises(ConfigError, match="config.toml: recording_dir: unknown setting; known: recordings_dir"):
        config.load_config()


@pytest.mark.parametrize("line, key, words", [
    ('max_answer_s = "long"', "max_answer_s", "valid number"),
    ('judge = "gpt"', "judge", "'offline' or 'llm'"),
    ('device = 3', "device", "'auto', 'cpu' or 'cuda'"),
    ("tts_rate = 5", "tts_rate", "greater than or equal to 60"),
    ("llm_timeout_s = -1", "llm_timeout_s", "greater than 0"),
    ('api_key = "sk-123"', "api_key", "OPENAI_API_KEY"),
])
def test_bad_values_name_file_key_and_rule(voicemock_home, line, key, words):
    (voicemock_home / "config.toml").write_text(line + "\n")
    with pytest.raises(ConfigError) as err:
        config.load_config()
    msg = str(err.value)
    assert msg.startswith(f"{voicemock_home / 'config.toml'}: {key}: ") and words in msg and "\n" not in msg


def test_bad_config_value_is_one_line_and_exit_1_in_every_command(voicemock_home):
    from typer.testing import CliRunner

    from voicemock.cli import app

    (voicemock_home / "config.toml").write_text('max_answer_s = "long"\n')
    for args in (["score", "x.txt"], ["practice", "--no-tts"], ["history", "--rebuild"], ["review", "nothing"]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 1, (args, r.output)
        assert "Traceback" not in r.output and "max_answer_s" in r.output


def test_broken_toml_names_file(voicemock_home):
    p = voicemock_home / "config.toml"
    p.write_text("judge = \n")
    with pytest.raises(ConfigError, match=str(p)) as err:
        config.load_config()
    assert isinstance(err.value, VoicemockError) and err.value.exit_code == 1
