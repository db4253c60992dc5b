"""History, progress, plan and banks show read cleanly at 80 columns: no line wider, no id cut,
no word broken (a coach's tmux pane, a laptop terminal)."""

from __future__ import annotations

from datetime import datetime

import pytest
from typer.testing import CliRunner

from sessionfactory import AnswerSpec, make_session
from voicemock.cli import app

runner = CliRunner()


@pytest.fixture
def history(tmp_path, voicemock_home):
    rec = tmp_path / "rec"
    (voicemock_home / "config.toml").write_text(f'recordings_dir = "{rec}"\n')
    ids = []
    for i, (bank, qid) in enumerate([("amazon", "amz-lp-ownership-1"), ("general-behavioral", "gen-conflict"),
                                     ("general-behavioral", "gen-failure")]):
        ids.append(make_session(rec, [AnswerSpec(qid, overall=50 + 10 * i)], bank=bank,
                                when=datetime(2026, 11, 1 + i, 9)).name)
    assert runner.invoke(app, ["history", "--rebuild"]).exit_code == 0
    return ids


@pytest.mark.parametrize("args", [["history"], ["progress"], ["plan"], ["banks", "show", "general-behavioral"],
                                  ["banks", "show", "amazon"], ["banks", "list"]])
def test_fits_80_columns_without_cutting(history, args):
    r = runner.invoke(app, args, env={"COLUMNS": "80", "TERM": "dumb"})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    too_wide = [line for line in lines if len(line) > 80]
    assert not too_wide, too_wide
    assert "…" not in r.stdout
    if args == ["history"]:
        for sid in history:
            assert sid in r.stdout  # ids are what review, erase and --retry take: whole
    if args == ["plan"]:
        text = r.stdout.replace("\\\n", " ")  # shell line continuations
        commands = [line.strip() for line in text.splitlines() if line.strip().startswith("$ voicemock practice")]
        assert commands and all(c.split()[-1].startswith(("gen-", "amz-")) and "--question-id" in c
                                for c in commands)


def test_one_long_id_does_not_push_every_sessions_numbers_off_the_screen(history, tmp_path):
    import json

    rec = tmp_path / "rec"
    odd = make_session(rec, [AnswerSpec("gen-conflict", overall=77)], bank="general-behavioral",
                       when=datetime(2026, 11, 5, 9))
    data = json.loads((odd / "session.json").read_text())
    data["id"] = "odd-" + "x" * 150
    (odd / "session.json").write_text(json.dumps(data))
    assert runner.invoke(app, ["history", "--rebuild"]).exit_code == 0
    r = runner.invoke(app, ["history"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "score" in lines[0] and "wpm" in lines[0]
    assert [line.split()[2] for line in lines[1::2]] == ["50", "60", "70", "77"]  # every session's score shown
    for sid in history:
        assert sid in r.stdout
