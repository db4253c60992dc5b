"""Question banks: YAML files of interview questions, loaded and validated with line numbers.

A bank is found by name in this order: the user's home folder (``<home>/banks/NAME.yaml``),
then the banks shipped with voicemock. Anything with a path separator or a ``.yaml``/``.yml``
suffix is read as a path. The format is documented in the README and published as a JSON
Schema by ``voicemock banks schema``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .config import user_banks_dir
from .errors import BankError, BankNotFoundError

log = logging.getLogger(__name__)

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES = ("easy", "medium", "hard")


class Question(BaseModel):
    """One interview question with the coaching material that goes with it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique within the bank; letters, digits, '-' and '_'.",
                    pattern=r"^[A-Za-z0-9_-]+$")
    text: str = Field(description="The question as the interviewer asks it.")
    difficulty: Difficulty
    category: str = Field(description="e.g. process, behavioral, technical.")
    tags: list[str] = Field(default_factory=list, description="e.g. Amazon Leadership Principles.")
    guidance: str = Field(description="What a strong answer covers.")
    example: str = Field(default="", description="A short example of a strong answer.")
    common_mistakes: list[str] = Field(default_factory=list)
    follow_ups: list[str] = Field(default_factory=list, description="Probes the interviewer may ask next.")


class Bank(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    company: str | None = None
    title: str
    notes: str = ""
    questions: list[Question]

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
    for origin, folder in (("builtin", builtin_banks_dir()), ("user", user_banks_dir())):
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
        if not p.is_file():
            raise BankNotFoundError(f"{p}: no such bank file")
        return p
    for path, _ in _bank_files():
        if path.stem == name_or_path:
            return path
    available = ", ".join(p.stem for p, _ in _bank_files()) or "(none)"
    raise BankNotFoundError(f"unknown bank {name_or_path!r}; available banks: {available}")


def load_bank(name_or_path: str) -> Bank:
    return load_bank_file(resolve_bank_path(name_or_path))


def load_bank_file(path: Path) -> Bank:
    bank, problems = _check(path)
    if problems:
        raise BankError(
            f"{path} is not a valid bank ({len(problems)} problem(s)); first: {problems[0]}",
            problems,
        )
    assert bank is not None
    return bank


def validate_bank_file(path: Path) -> list[Problem]:
    """Every problem in the file, each with the line it is on; empty when the bank is valid."""
    return _check(path)[1]


# --- validation with line numbers ----------------------------------------------------------------

_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
_BANK_REQUIRED = ("name", "title", "questions")
_BANK_OPTIONAL = ("company", "notes")
_Q_REQUIRED = ("id", "text", "difficulty", "category", "guidance")
_Q_STR_OPTIONAL = ("example",)
_Q_LISTS = ("tags", "common_mistakes", "follow_ups")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _check(path: Path) -> tuple[Bank | None, list[Problem]]:
    spath = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(spath, 0, "no such file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(spath, 0, f"cannot read: {exc}")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(spath, line, f"YAML syntax error: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(spath, 0, f"YAML error: {exc}")]
    problems: list[Problem] = []
    if root is None:
        return None, [Problem(spath, 1, "empty file: a bank needs name, title and questions")]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(spath, _line(root), "a bank must be a mapping with name, title and questions")]

    fields = _mapping(root, spath, problems, "bank", _BANK_REQUIRED, _BANK_OPTIONAL)
    for key in ("name", "title"):
        if key in fields:
            _scalar_str(fields[key][1], spath, problems, key, required=True)
    for key in _BANK_OPTIONAL:
        if key in fields:
            _scalar_str(fields[key][1], spath, problems, key, required=False)
    if "questions" in fields:
        qnode = fields["questions"][1]
        if not isinstance(qnode, yaml.SequenceNode):
            problems.append(Problem(spath, _line(qnode), "questions: must be a list of questions"))
        elif not qnode.value:
            problems.append(Problem(spath, _line(qnode), "questions: the bank has no questions"))
        else:
            seen: dict[str, int] = {}
            for i, item in enumerate(qnode.value, start=1):
                _check_question(item, i, spath, problems, seen)
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    data = yaml.safe_load(text)
    try:
        return Bank.model_validate(data), []
    except Exception as exc:  # pydantic covers what the walk above may have missed
        return None, [Problem(spath, 1, f"invalid bank: {exc}")]


def _mapping(node, spath, problems, where, required, optional) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    allowed = set(required) | set(optional)
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if key is None or key not in allowed:
            problems.append(Problem(spath, _line(knode), f"{where}: unknown field {key!r} (allowed: {', '.join(sorted(allowed))})"))
            continue
        if key in fields:
            problems.append(Problem(spath, _line(knode), f"{where}: field {key!r} given twice"))
            continue
        fields[key] = (knode, vnode)
    for key in required:
        if key not in fields:
            problems.append(Problem(spath, _line(node), f"{where}: missing field {key!r}"))
    return fields


def _scalar_str(node, spath, problems, where, required: bool) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        if required:
            problems.append(Problem(spath, _line(node), f"{where}: must not be empty"))
        return None
    if not isinstance(node, yaml.ScalarNode):
        problems.append(Problem(spath, _line(node), f"{where}: must be text"))
        return None
    if required and not node.value.strip():
        problems.append(Problem(spath, _line(node), f"{where}: must not be empty"))
    return node.value


def _check_question(item, index, spath, problems, seen: dict[str, int]) -> None:
    where = f"question {index}"
    if not isinstance(item, yaml.MappingNode):
        problems.append(Problem(spath, _line(item), f"{where}: must be a mapping with id, text, difficulty, ..."))
        return
    for knode, vnode in item.value:  # name the question by its id in every message when it has one
        if getattr(knode, "value", None) == "id" and isinstance(vnode, yaml.ScalarNode) and vnode.value.strip():
            where = f"question {vnode.value!r}"
            break
    fields = _mapping(item, spath, problems, where, _Q_REQUIRED, _Q_STR_OPTIONAL + _Q_LISTS)
    if "id" in fields:
        qid = _scalar_str(fields["id"][1], spath, problems, f"{where}: id", required=True)
        if qid and not _ID_RE.fullmatch(qid):
            problems.append(Problem(spath, _line(fields["id"][1]),
                                    f"{where}: id {qid!r} may only use letters, digits, '-' and '_'"))
        if qid:
            line = _line(fields["id"][1])
            if qid in seen:
                problems.append(Problem(spath, line, f"{where}: duplicate id (first used on line {seen[qid]})"))
            else:
                seen[qid] = line
    for key in ("text", "category", "guidance"):
        if key in fields:
            _scalar_str(fields[key][1], spath, problems, f"{where}: {key}", required=True)
    if "example" in fields:
        _scalar_str(fields["example"][1], spath, problems, f"{where}: example", required=False)
    if "difficulty" in fields:
        node = fields["difficulty"][1]
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in DIFFICULTIES:
            problems.append(Problem(spath, _line(node), f"{where}: difficulty {value!r} must be one of easy, medium, hard"))
    for key in _Q_LISTS:
        if key in fields:
            node = fields[key][1]
            if not isinstance(node, yaml.SequenceNode):
                problems.append(Problem(spath, _line(node), f"{where}: {key} must be a list"))
                continue
            for el in node.value:
                _scalar_str(el, spath, problems, f"{where}: {key} entry", required=True)
