"""Bank loading and every validation error, with the line it is reported on."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from voicemock.banks import (
    bank_json_schema,
    builtin_banks_dir,
    list_banks,
    load_bank,
    validate_bank_file,
)
from voicemock.errors import BankError, BankNotFoundError

GOOD = """\
name: mini
company: Acme
title: Acme mini bank
notes: two questions
questions:
  - id: q-one
    text: Tell me about a time you failed.
    difficulty: medium
    category: behavioral
    tags: [Ownership]
    guidance: Name the failure, what you did, and what changed after.
    example: I shipped a migration that broke billing...
    common_mistakes: [Blaming others]
    follow_ups: ["What would you do differently?"]
  - id: q-two
    text: Why Acme?
    difficulty: easy
    category: motivation
    guidance: Tie your experience to the product.
"""


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def lines_of(problems) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems]


def test_valid_bank_loads_with_defaults(tmp_path):
    bank = load_bank(str(write(tmp_path, GOOD)))
    assert bank.name == "mini" and len(bank.questions) == 2
    q2 = bank.question("q-two")
    assert q2.tags == [] and q2.follow_ups == [] and q2.example == ""
    with pytest.raises(BankError, match="no question 'nope'.*q-one, q-two"):
        bank.question("nope")


def test_yaml_syntax_error_has_line(tmp_path):
    p = write(tmp_path, GOOD.replace("    difficulty: easy", "    difficulty: [easy"))
    problems = validate_bank_file(p)
    assert len(problems) == 1
    assert problems[0].line in (17, 18)  # the unclosed flow sequence is reported where it breaks
    assert "YAML syntax error" in problems[0].message
    assert str(problems[0]).startswith(f"{p}:{problems[0].line}: ")


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00"])
def test_control_character_is_named_at_its_line(tmp_path, char):
    """PyYAML reports a raw control character by position only: it was 'PATH:0: ...' over two lines."""
    p = write(tmp_path, GOOD.replace("Why Acme?", f"Why {char}Acme?"))
    (problem,) = validate_bank_file(p)
    assert problem.line == 16 and f"U+{ord(char):04X}" in problem.message and "\n" not in problem.message


def test_missing_field_named_at_question_line(tmp_path):
    p = write(tmp_path, GOOD.replace("    guidance: Tie your experience to the product.\n", ""))
    assert lines_of(validate_bank_file(p)) == [(15, "question 'q-two': missing field 'guidance'")]


def test_unknown_field_named_at_its_line(tmp_path):
    p = write(tmp_path, GOOD.replace("    category: motivation\n", "    category: motivation\n    answer: x\n"))
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 19 and "unknown field 'answer'" in msg and "question 'q-two'" in msg


def test_unknown_top_level_field(tmp_path):
    p = write(tmp_path, "colour: red\n" + GOOD)
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 1 and "bank: unknown field 'colour'" in msg


def test_bad_difficulty(tmp_path):
    p = write(tmp_path, GOOD.replace("difficulty: medium", "difficulty: brutal"))
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 8 and "difficulty 'brutal' must be one of easy, medium, hard" in msg


def test_duplicate_ids(tmp_path):
    p = write(tmp_path, GOOD.replace("id: q-two", "id: q-one"))
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 15 and "duplicate id" in msg and "line 6" in msg


def test_empty_text(tmp_path):
    p = write(tmp_path, GOOD.replace("text: Why Acme?", 'text: ""'))
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 16 and msg == "question 'q-two': text: must not be empty"


def test_null_text_and_wrong_list_type(tmp_path):
    p = write(tmp_path, GOOD.replace("text: Why Acme?", "text:").replace("tags: [Ownership]", "tags: Ownership"))
    found = lines_of(validate_bank_file(p))
    assert (10, "question 'q-one': tags must be a list") in found
    assert any(line == 16 and "text: must not be empty" in msg for line, msg in found)


def test_several_problems_all_reported_in_line_order(tmp_path):
    bad = GOOD.replace("difficulty: medium", "difficulty: hardest").replace("id: q-two", "id: q-one")
    bad = bad.replace("title: Acme mini bank\n", "")
    found = lines_of(validate_bank_file(write(tmp_path, bad)))
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    assert any("missing field 'title'" in m for _, m in found)
    assert len(found) == 3


def test_empty_and_non_mapping_files(tmp_path):
    assert "empty file" in validate_bank_file(write(tmp_path, "", "e.yaml"))[0].message
    assert "must be a mapping" in validate_bank_file(write(tmp_path, "- a\n- b\n", "l.yaml"))[0].message
    assert validate_bank_file(tmp_path / "missing.yaml")[0].message == "no such file"


def test_load_invalid_bank_raises_with_problems(tmp_path):
    p = write(tmp_path, GOOD.replace("difficulty: easy", "difficulty: trivial"))
    with pytest.raises(BankError) as err:
        load_bank(str(p))
    assert err.value.problems and err.value.problems[0].line == 17


def test_unknown_bank_lists_available(voicemock_home):
    (voicemock_home / "banks").mkdir(exist_ok=True)
    (voicemock_home / "banks" / "broken.yaml").write_text("name: [unclosed\n")
    write(voicemock_home / "banks", GOOD, "acme-file.yaml")
    with pytest.raises(BankNotFoundError) as err:
        load_bank("no-such-bank")
    listed = str(err.value).split("available banks: ")[1].split(", ")
    assert {"amazon", "general-behavioral", "mini"} <= set(listed)  # the names banks list shows
    assert "broken" not in listed and "acme-file" not in listed


def test_a_bank_is_found_by_the_name_it_declares_whatever_its_file_is_called(voicemock_home, tmp_path):
    """'banks list' showed 'mini' for banks/acme-2026.yaml, but 'banks show mini' (and plan and
    --retry, which use the name a session records) said unknown bank."""
    from typer.testing import CliRunner

    from voicemock.cli import app

    (voicemock_home / "banks").mkdir()
    write(voicemock_home / "banks", GOOD, "acme-2026.yaml")
    assert "mini" in [b.name for b in list_banks()]
    assert load_bank("mini").name == "mini" and load_bank("acme-2026").name == "mini"
    r = CliRunner().invoke(app, ["banks", "show", "mini", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["name"] == "mini"


def test_user_bank_from_home_folder(voicemock_home, tmp_path):
    (voicemock_home / "banks").mkdir()
    write(voicemock_home / "banks", GOOD, "mini.yaml")
    assert load_bank("mini").title == "Acme mini bank"
    infos = {b.name: b for b in list_banks()}
    assert infos["mini"].origin == "user" and infos["amazon"].origin == "builtin"


def test_every_shipped_bank_validates():
    files = sorted(builtin_banks_dir().glob("*.yaml"))
    assert {f.stem for f in files} >= {"amazon", "general-behavioral"}
    for f in files:
        assert validate_bank_file(f) == [], f


def test_amazon_bank_content():
    bank = load_bank("amazon")
    assert len(bank.questions) >= 36
    for q in bank.questions:
        for field in ("text", "guidance", "example", "category"):
            assert getattr(q, field).strip(), (q.id, field)
        assert q.common_mistakes and 1 <= len(q.follow_ups) <= 3, q.id
    principles = {
        "Customer Obsession", "Ownership", "Invent and Simplify", "Are Right, A Lot",
        "Learn and Be Curious", "Hire and Develop the Best", "Insist on the Highest Standards",
        "Think Big", "Bias for Action", "Frugality", "Earn Trust", "Dive Deep",
        "Have Backbone; Disagree and Commit", "Deliver Results",
        "Strive to be Earth's Best Employer", "Success and Scale Bring Broad Responsibility",
    }
    tags = {t for q in bank.questions for t in q.tags}
    assert principles <= tags, principles - tags
    behavioral = [q for q in bank.questions if q.category == "behavioral"]
    assert len(behavioral) >= 24
    # The 12 questions of the seed guide come first, with the guide's difficulty.
    assert bank.questions[0].text == "What is the Amazon interview process like?"
    assert bank.questions[0].difficulty == "easy" and bank.questions[3].difficulty == "hard"


def test_general_bank_content():
    bank = load_bank("general-behavioral")
    assert len(bank.questions) >= 20
    assert all(q.guidance and q.common_mistakes and q.follow_ups for q in bank.questions)
    assert len({q.text for q in bank.questions}) == len(bank.questions)


def test_schema_describes_question_fields():
    schema = bank_json_schema()
    q = schema["$defs"]["Question"]
    assert set(q["properties"]) == {
        "id", "text", "difficulty", "category", "tags", "guidance", "example", "common_mistakes", "follow_ups"
    }
    assert set(q["required"]) == {"id", "text", "difficulty", "category", "guidance"}
    assert q["properties"]["difficulty"]["enum"] == ["easy", "medium", "hard"]
    json.dumps(schema)


def test_id_with_spaces_or_punctuation_is_refused(tmp_path):
    p = write(tmp_path, GOOD.replace("id: q-two", 'id: "bad id!"'))
    [(line, msg)] = lines_of(validate_bank_file(p))
    assert line == 15 and msg == "question 'bad id!': id 'bad id!' may only use letters, digits, '-' and '_'"


@pytest.mark.parametrize("name", ["amazon", "general-behavioral"])
def test_demo_answers_a_question_it_fits_in_every_shipped_bank(name):
    """The demo's sample answer is about a tight deadline; with general-behavioral it was scored
    90/100 as an answer to 'Tell me about a time you had a conflict with a colleague'."""
    from voicemock.practice.demo import demo_question_id

    bank = load_bank(name)
    assert "deadline" in bank.question(demo_question_id(bank)).text.lower()


def test_demo_uses_the_configured_bank(voicemock_home, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import voicemock.audio.tts as tts
    import voicemock.cli.practice as cli_practice
    from voicemock.cli import app

    (voicemock_home / "config.toml").write_text('bank = "general-behavioral"\n')
    seen = {}
    monkeypatch.setattr(tts, "synthesize_to_file", lambda text, path, **kw: path)
    monkeypatch.setattr(cli_practice, "run_practice", lambda options, **kw: seen.update(options=options))
    r = CliRunner().invoke(app, ["demo", "--no-tts", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert seen["options"].bank == "general-behavioral" and seen["options"].question_ids == ["gen-tight-deadline"]
