"""Shared test setup: every test gets its own empty voicemock home folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:  # helper modules such as speechgen.py live beside the tests
    sys.path.insert(0, str(TESTS))


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
