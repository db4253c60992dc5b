"""Shared test setup: every test gets its own empty voicemock home folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:  # helper modules such as speechgen.py live beside the tests
    sys.path.insert(0, str(TESTS))

# Fixtures that live in helper modules: the virtual microphone/speaker and the llama.cpp server.
pytest_plugins = ["virtual_audio", "llm_server"]


#: Test lanes. ``pytest`` alone runs the fast lane (development); ``bash scripts/test.sh`` and CI run
#: every lane (``-m ""``). Markers come from the fixtures a test uses, or from its module.
LANES = {
    "audio": "uses the virtual microphone/speaker (PulseAudio) or runs the CLI as a subprocess",
    "llm": "starts a real llama.cpp server with SmolLM2",
    "browser": "drives headless Chromium",
    "slow": "takes more than a few seconds on its own",
}
_FIXTURE_LANES = {"virtual_audio": "audio", "llama_server": "llm"}


def pytest_configure(config):
    for name, doc in LANES.items():
        config.addinivalue_line("markers", f"{name}: {doc}")
    restore_ctrl_c()


def restore_ctrl_c() -> None:
    """Let Ctrl-C reach the programs the tests start, as it does from a terminal.

    A shell without job control starts background commands (``.ci/run &``, ``nohup ...&``) with
    SIGINT ignored, every child inherits that, and Python then installs no KeyboardInterrupt
    handler: the Ctrl-C tests' SIGINT did nothing and ``voicemock practice`` recorded on until the
    test's deadline. A handler here (not SIG_IGN) makes exec'd children start with SIGINT at its
    default again."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, lane in _FIXTURE_LANES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(lane)


@pytest.fixture(autouse=True)
def voicemock_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("vmhome")
    monkeypatch.setenv("VOICEMOCK_HOME", str(home))
    # Never talk to a real LLM service from tests unless a test sets these itself.
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def repo_root() -> Path:
    return REPO
