"""Reading a bank file: YAML to plain data with the line of every value, then the pydantic model.

The rules live in one place, :class:`~voicemock.banks.Bank`; this module only knows YAML. It turns
the composed YAML tree into plain data (strings, numbers, lists, mappings) while recording where
every key and value starts, validates the data with the model, and maps each pydantic error's
location back to a line: one ``PATH:LINE: message`` :class:`~voicemock.banks.Problem` per error.

The file is untrusted (banks are shared): it must be a regular file under :data:`MAX_BANK_BYTES`;
only YAML's standard scalar tags are accepted; and expanding aliases may not produce more than
:data:`MAX_NODES` values (a "billion laughs" bank is refused, not expanded).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .banks import DIFFICULTIES, Bank, Problem

MAX_BANK_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
_Q_FIELDS = ("category", "common_mistakes", "difficulty", "example", "follow_ups", "guidance", "id", "tags", "text")
_STD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_ALLOWED = {"bank": ", ".join(sorted(Bank.model_fields)), "question": ", ".join(_Q_FIELDS)}

Loc = tuple[Any, ...]


class _Reject(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Builder:
    """Plain data from a composed YAML tree; ``values[loc]`` and ``keys[loc]`` are line numbers."""

    def __init__(self) -> None:
        self.values: dict[Loc, int] = {}
        self.keys: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int, Any]] = []  # (mapping location, line, key)
        self.nodes = 0
        self._scalar = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Reject(_line(node), f"more than {MAX_NODES} values (YAML aliases expanding?); refusing the file")
        self.values.setdefault(loc, _line(node))
        if node.tag not in _STD_TAGS:
            raise _Reject(_line(node), f"YAML tag {node.tag!r} is not allowed in a bank")
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                key = self.build_key(knode)
                if key in out:
                    self.duplicates.append((loc, _line(knode), key))
                    continue
                self.keys[loc + (key,)] = _line(knode)
                out[key] = self.build(vnode, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        try:
            return self._scalar.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            raise _Reject(_line(node), f"value {node.value[:40]!r} is not a valid {node.tag.rsplit(':', 1)[-1]} "
                          f"({type(exc).__name__})") from None

    def build_key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise _Reject(_line(node), "a key must be a plain word, not a list or mapping")
        return self.build(node, ("<key>",))


def _read(path: Path) -> str:
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise _Reject(0, "not a regular file (a folder, FIFO or device); refusing to read it")
    if st.st_size > MAX_BANK_BYTES:
        raise _Reject(0, f"{st.st_size} bytes; a bank is at most {MAX_BANK_BYTES // (1024 * 1024)} MB")
    with open(path, "rb") as fh:
        return fh.read(MAX_BANK_BYTES + 1).decode("utf-8")


_TOO_DEEP = "nested too deeply to be a bank (a bank is a mapping of questions, a few levels deep)"


def check_bank_file(path: Path) -> tuple[Bank | None, list[Problem]]:
    """The bank and no problems, or None and every problem in line order."""
    spath = str(path)
    try:
        text = _read(Path(path))
    except FileNotFoundError:
        return None, [Problem(spath, 0, "no such file")]
    except _Reject as exc:
        return None, [Problem(spath, exc.line, exc.message)]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(spath, 0, f"cannot read: {exc}")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:  # a control character: it has a position, not a line
        line = text.count("\n", 0, exc.position) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        return None, [Problem(spath, line, f"YAML error: character U+{code:04X} is not allowed in YAML; "
                                           "remove it (or write it as an escape in a double-quoted string)")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(spath, mark.line + 1 if mark else 0, f"YAML syntax error: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(spath, 0, f"YAML error: {exc}")]
    except RecursionError:  # a 2 kB file of nested brackets
        return None, [Problem(spath, 1, _TOO_DEEP)]
    if root is None:
        return None, [Problem(spath, 1, "empty file: a bank needs name, title and questions")]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(spath, _line(root), "a bank must be a mapping with name, title and questions")]
    b = _Builder()
    try:
        data = b.build(root)
    except _Reject as exc:
        return None, [Problem(spath, exc.line, exc.message)]
    except RecursionError:
        return None, [Problem(spath, _line(root), _TOO_DEEP)]
    problems = [Problem(spath, line, f"{_where(data, loc)}: field {key!r} given twice") for loc, line, key in b.duplicates]
    problems += _duplicate_ids(spath, data, b)
    try:
        bank = Bank.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(spath, err, data, b) for err in exc.errors()]
        bank = None
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    return bank, []


# --- from pydantic errors to lines and words ----------------------------------------------------


def _question_where(data: Any, index: int) -> str:
    qs = data.get("questions") if isinstance(data, dict) else None
    q = qs[index] if isinstance(qs, list) and 0 <= index < len(qs) else None
    qid = q.get("id") if isinstance(q, dict) else None
    return f"question {qid!r}" if isinstance(qid, str) and qid.strip() else f"question {index + 1}"


def _where(data: Any, loc: Loc) -> str:
    """"question 'id'" (or "question N") for a location inside a question, else "bank"."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        return _question_where(data, loc[1])
    return "bank"


def _problem(spath: str, err: ErrorDetails, data: Any, b: _Builder) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind, msg = err["type"], err["msg"].removeprefix("Value error, ")
    in_question = len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int)
    where = _where(data, loc)
    field_loc = loc[2:] if in_question else loc
    field = str(field_loc[0]) if field_loc else ""
    parent = loc[:2] if in_question else ()
    line = b.values.get(loc, b.values.get(parent, 1))
    value = err.get("input")
    if kind == "missing":
        return Problem(spath, b.values.get(parent, 1), f"{where}: missing field {field!r}")
    if kind == "extra_forbidden":
        allowed = _ALLOWED["question" if in_question else "bank"]
        return Problem(spath, b.keys.get(loc, line), f"{where}: unknown field {field!r} (allowed: {allowed})")
    if field == "difficulty" and kind == "literal_error":
        return Problem(spath, line, f"{where}: difficulty {value!r} must be one of {', '.join(DIFFICULTIES)}")
    if field == "id" and kind == "string_pattern_mismatch":
        return Problem(spath, line, f"{where}: id {value!r} may only use letters, digits, '-' and '_'")
    if loc == ("questions",) and kind == "too_short":
        return Problem(spath, line, "questions: the bank has no questions")
    if loc == ("questions",) and kind == "list_type":
        return Problem(spath, line, "questions: must be a list of questions")
    if in_question and len(loc) == 2 and kind in ("model_type", "dict_type"):
        return Problem(spath, line, f"{where}: must be a mapping with id, text, difficulty, ...")
    if kind == "list_type":
        return Problem(spath, line, f"{where}: {field} must be a list")
    what = f"{field} entry" if len(field_loc) > 1 else field
    if kind == "string_type":
        msg = "must not be empty" if value is None else f"must be text, not {type(value).__name__}"
    return Problem(spath, line, f"{where}: {what}: {msg}" if what else f"{where}: {msg}")


def _duplicate_ids(spath: str, data: Any, b: _Builder) -> list[Problem]:
    qs = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(qs, list):
        return []
    seen: dict[str, int] = {}
    out = []
    for i, q in enumerate(qs):
        qid = q.get("id") if isinstance(q, dict) else None
        if not isinstance(qid, str) or not qid.strip():
            continue
        line = b.values.get(("questions", i, "id"), 0)
        if qid in seen:
            out.append(Problem(spath, line, f"{_question_where(data, i)}: duplicate id (first used on line {seen[qid]})"))
        else:
            seen[qid] = line
    return out
