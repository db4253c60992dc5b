"""Reading sessions from folders, session.json files and zips; bad input is reported, not fatal."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from sessionfactory import AnswerSpec, make_session, zip_folder
from voicemock.errors import SessionError
from voicemock.sessions.read import load_session
from voicemock.sessions.zipimport import unsafe_zip_reason


@pytest.fixture
def folder(tmp_path) -> Path:
    return make_session(tmp_path / "rec", answers=[AnswerSpec("q01"), AnswerSpec("q01", kind="followup"),
                                                   AnswerSpec("q02", overall=80)])


def test_folder_and_session_json_load_the_same_session(folder):
    a = load_session(folder)
    b = load_session(folder / "session.json")
    assert a.problems == [] and b.problems == []
    assert a.folder == b.folder == folder
    assert [x.question_id for x in a.session.answers] == ["q01", "q01", "q02"]
    assert a.session.answers[1].kind == "followup"
    assert a.audio_path(a.session.answers[1]) == (folder / "q01-followup.wav").resolve()
    assert a.session.answers[2].result.rubric.overall == 80


def test_zip_is_extracted_beside_it_owner_only_and_reused(folder, tmp_path):
    z = zip_folder(folder, tmp_path / "mail" / "from-candidate.zip")
    loaded = load_session(z)
    target = z.with_suffix("")
    assert loaded.folder == target / folder.name
    assert loaded.problems == []
    assert (loaded.folder / "q01.wav").read_bytes() == (folder / "q01.wav").read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((loaded.folder / "session.json").stat().st_mode) == 0o600
    (loaded.folder / "marker").write_text("kept")
    again = load_session(z)
    assert again.folder == loaded.folder and (again.folder / "marker").exists()
    assert not again.problems and again.from_zip == z and loaded.extracted_now and not again.extracted_now


def test_zip_into_chosen_folder(folder, tmp_path):
    z = zip_folder(folder, tmp_path / "s.zip")
    loaded = load_session(z, extract_to=tmp_path / "elsewhere")
    assert loaded.folder == tmp_path / "elsewhere" / folder.name
    assert not (tmp_path / "s").exists()


def _evil_zip(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"{folder.name}/{f.name}")
        zf.writestr("../escaped.txt", "climbed out")
        zf.writestr(f"{folder.name}/../../escaped2.txt", "climbed out")
        zf.writestr("/tmp/vm-absolute-escape.txt", "absolute")
        link = zipfile.ZipInfo(f"{folder.name}/link.wav")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    return path


def test_zip_slip_absolute_and_symlink_entries_refused_rest_loaded(folder, tmp_path):
    Path("/tmp/vm-absolute-escape.txt").unlink(missing_ok=True)
    mail = tmp_path / "mail"
    mail.mkdir()
    z = _evil_zip(folder, mail / "evil.zip")
    before = set(tmp_path.rglob("*"))
    loaded = load_session(z)
    created = set(tmp_path.rglob("*")) - before
    target = (mail / "evil").resolve()
    assert created and all(p.resolve() == target or target in p.resolve().parents for p in created)
    assert not (tmp_path / "escaped.txt").exists() and not (mail / "escaped.txt").exists()
    assert not (tmp_path / "escaped2.txt").exists()
    assert not Path("/tmp/vm-absolute-escape.txt").exists()
    assert not (loaded.folder / "link.wav").exists()
    text = "\n".join(loaded.problems)
    assert "'../escaped.txt'" in text and "'..'" in text
    assert "absolute path" in text
    assert "symbolic link" in text
    # the session itself is still there
    assert len(loaded.session.answers) == 3
    assert loaded.audio_path(loaded.session.answers[0]) is not None


def test_unsafe_reason_per_entry():
    assert unsafe_zip_reason(zipfile.ZipInfo("a/b.wav")) is None
    assert "absolute" in unsafe_zip_reason(zipfile.ZipInfo("/etc/x"))
    assert "absolute" in unsafe_zip_reason(zipfile.ZipInfo("C:/x"))
    assert "'..'" in unsafe_zip_reason(zipfile.ZipInfo("a/../../x"))


def test_not_a_zip_or_missing_path_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="no such session"):
        load_session(tmp_path / "nope")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SessionError, match="not a session folder"):
        load_session(bad)


def test_damaged_session_json_still_lists_the_audio(folder):
    (folder / "session.json").write_text('{"id": "x", "answers": [', encoding="utf-8")
    loaded = load_session(folder)
    assert len(loaded.problems) == 1
    assert "damaged JSON at line 1" in loaded.problems[0] and "session.json" in loaded.problems[0]
    assert [a.audio for a in loaded.session.answers] == ["q01-followup.wav", "q01.wav", "q02.wav"]
    assert loaded.session.answers[0].kind == "followup"
    assert loaded.session.bank == "amazon" and loaded.session.started_at.startswith("2026-11-20T09:30")


def test_one_bad_answer_hides_nothing_else(folder):
    data = json.loads((folder / "session.json").read_text())
    data["answers"][1]["result"]["rubric"]["overall"] = 400
    (folder / "session.json").write_text(json.dumps(data))
    loaded = load_session(folder)
    assert len(loaded.problems) == 1
    assert "answer q01" in loaded.problems[0] and "rubric.overall" in loaded.problems[0]
    a0, a1, a2 = loaded.session.answers
    assert a0.result is not None and a2.result is not None
    assert a1.audio == "q01-followup.wav" and a1.kind == "followup"
    assert a1.result.rubric is None  # only the broken part is left out
    assert a1.result.transcript.text.startswith("At my last job") and a1.result.delivery.filler_count == 1


def test_missing_audio_and_escaping_audio_path_reported(folder):
    os.remove(folder / "q02.wav")
    data = json.loads((folder / "session.json").read_text())
    data["answers"][0]["audio"] = "../../../etc/passwd"
    (folder / "session.json").write_text(json.dumps(data))
    loaded = load_session(folder)
    text = "\n".join(loaded.problems)
    assert "q02.wav is missing" in text
    assert "outside the session folder" in text
    assert loaded.session.answers[0].audio is None
    assert loaded.audio_path(loaded.session.answers[2]) is None
    assert loaded.audio_path(loaded.session.answers[1]) is not None
    assert loaded.session.answers[2].result.transcript.text  # scores still there


def test_zip_never_extracts_into_a_folder_holding_other_files(folder, tmp_path):
    z = zip_folder(folder, tmp_path / "s.zip")
    other = tmp_path / "s"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(SessionError, match="already exists and does not hold the session of s.zip"):
        load_session(z)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    fresh = tmp_path / "fresh"
    fresh.mkdir(mode=0o755)
    fresh.chmod(0o755)
    assert load_session(z, extract_to=fresh).problems == []
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
