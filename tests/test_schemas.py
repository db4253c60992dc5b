"""The JSON Schemas in docs/ are generated from the models: regenerating them changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from voicemock.models import SCHEMA_FILES, schema_text, schemas


@pytest.mark.parametrize("name", [*SCHEMA_FILES, "bank.schema.json"])
def test_docs_schema_is_what_the_models_generate(repo_root, name):
    doc = repo_root / "docs" / name
    assert doc.is_file(), f"missing {doc}: run python -m voicemock.models --write-schemas"
    assert doc.read_text(encoding="utf-8") == schema_text(schemas()[name]), (
        f"{doc} is out of date: run python -m voicemock.models --write-schemas")


def test_schema_writer_command_writes_every_file(tmp_path):
    out = subprocess.run([sys.executable, "-m", "voicemock.models", "--write-schemas", str(tmp_path)],
                         capture_output=True, text=True, check=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([*SCHEMA_FILES, "bank.schema.json"])
    assert len(out.stdout.splitlines()) == len(written)
    for p in tmp_path.iterdir():
        assert json.loads(p.read_text())["$schema"].startswith("https://json-schema.org/")


def test_session_schema_rejects_what_the_model_rejects():
    """The schema says what a session.json must hold: an answer without question_id is invalid."""
    session = schemas()["session.schema.json"]
    answer = session["$defs"]["SessionAnswer"]
    assert {"question_id", "question"} <= set(answer["required"])
    assert set(session["required"]) == {"id", "bank", "started_at"}
