"""Question banks: YAML files of interview questions, loaded and validated with line numbers.

A bank is found by name in this order: the user's home folder (``<home>/banks/NAME.yaml``),
then the banks shipped with voicemock. Anything with a path separator or a ``.yaml``/``.yml``
suffix is read as a path. The format is documented in the README and published as a JSON
Schema by ``voicemock banks schema``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .config import user_banks_dir
from .errors import BankError, BankNotFoundError

log = logging.getLogger(__name__)

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES = ("easy", "medium", "hard")
ID_PATTERN = r"^[A-Za-z0-9_-]+$"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class Question(BaseModel):
    """One interview question with the coaching material that goes with it."""

    model_config = ConfigDict(extra="forbid")

    id: Text = Field(description="Unique within the bank; letters, digits, '-' and '_'.", pattern=ID_PATTERN)
    text: Text = Field(description="The question as the interviewer asks it.")
    difficulty: Difficulty
    category: Text = Field(description="Chooses the rubric: behavioral, opening, process, technical, ...")
    tags: list[Text] = Field(default_factory=list, description="e.g. Amazon Leadership Principles.")
    guidance: Text = Field(description="What a strong answer covers.")
    example: str = Field(default="", description="A short example of a strong answer.")
    common_mistakes: list[Text] = Field(default_factory=list)
    follow_ups: list[Text] = Field(default_factory=list, description="Probes the interviewer may ask next.")


class Bank(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    company: str | None = None
    title: Text
    notes: str = ""
    questions: list[Question] = Field(min_length=1)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise BankError(f"bank {self.name!r} has no question {qid!r}; its ids: {known}")


@dataclass(frozen=True)
class Problem:
    """One validation problem, printed as ``PATH:LINE: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class BankInfo:
    name: str
    title: str
    company: str | None
    questions: int
    path: Path
    origin: Literal["user", "builtin"]


def bank_json_schema() -> dict:
    schema = Bank.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "voicemock question bank"
    return schema


# --- locating -----------------------------------------------------------------------------------


def builtin_banks_dir() -> Path:
    """Banks shipped in the wheel (``voicemock/banks``) or, in a source checkout, ``<repo>/banks``."""
    here = Path(__file__).resolve().parent
    packaged = here / "banks"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "banks"


def _bank_files() -> list[tuple[Path, Literal["user", "builtin"]]]:
    found: dict[str, tuple[Path, Literal["user", "builtin"]]] = {}
    places: tuple[tuple[Literal["user", "builtin"], Path], ...] = (("builtin", builtin_banks_dir()),
                                                                   ("user", user_banks_dir()))
    for origin, folder in places:
        if folder.is_dir():
            for p in sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml"))):
                found[p.stem] = (p, origin)  # user banks shadow built-in ones of the same name
    return [found[k] for k in sorted(found)]


def list_banks() -> list[BankInfo]:
    infos = []
    for path, origin in _bank_files():
        try:
            bank = load_bank_file(path)
        except BankError as exc:
            log.warning("skipping bank %s: %s", path, exc)
            continue
        infos.append(BankInfo(bank.name, bank.title, bank.company, len(bank.questions), path, origin))
    return infos


def resolve_bank_path(name_or_path: str) -> Path:
    looks_like_path = "/" in name_or_path or name_or_path.endswith((".yaml", ".yml"))
    if looks_like_path:
        p = Path(name_or_path).expanduser()
        if not p.exists():
            raise BankNotFoundError(f"{p}: no such bank file")
        return p
    files = _bank_files()
    for path, _ in files:
        if path.stem == name_or_path:
            return path
    # the name a bank declares: what 'banks list' shows and sessions record, whatever its file is called
    names = []
    for path, _ in files:
        try:
            declared = load_bank_file(path).name
        except BankError:
            continue  # not offered: 'banks list' skips it too
        if declared == name_or_path:
            return path
        names.append(declared)
    available = ", ".join(dict.fromkeys(names)) or "(none)"
    raise BankNotFoundError(f"unknown bank {name_or_path!r}; available banks: {available}")


def question_in_one_bank(question_id: str) -> Question | None:
    """The question of this id when exactly one bank (built-in or the user's) holds it; None when
    none or several do. Banks that do not load are skipped."""
    found = []
    for path, _ in _bank_files():
        try:
            bank = load_bank_file(path)
        except BankError:
            continue
        found += [q for q in bank.questions if q.id == question_id]
    return found[0] if len(found) == 1 else None


def load_bank(name_or_path: str) -> Bank:
    return load_bank_file(resolve_bank_path(name_or_path))


def load_bank_file(path: Path) -> Bank:
    from .bankfile import check_bank_file

    bank, problems = check_bank_file(path)
    if problems:
        raise BankError(
            f"{path} is not a valid bank ({len(problems)} problem(s)); first: {problems[0]}",
            problems,
        )
    assert bank is not None
    return bank


def validate_bank_file(path: Path) -> list[Problem]:
    """Every problem in the file, each with the line it is on; empty when the bank is valid."""
    from .bankfile import check_bank_file

    return check_bank_file(path)[1]
