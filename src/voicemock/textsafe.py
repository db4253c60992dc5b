"""Text from files on its way to a terminal: nothing in it may control the terminal.

Sessions, banks, notes and LLM replies come from other people. Before any of their text is
printed, :func:`printable` removes escape sequences (CSI such as colours and cursor moves, OSC such
as window titles and clipboard writes, DCS, APC, PM, SOS, two-character escapes) and shows every
other control character as a visible ``\\xNN`` escape; bidirectional overrides that can disguise
text are shown the same way. Newlines and tabs become spaces unless ``keep_newlines``.

JSON printed for scripts keeps the text as it is but writes those characters as ``\\uXXXX``
escapes (:func:`json_text`): the same data for a JSON reader, and nothing for a terminal to obey.
Reports written to files (Markdown, HTML) end up in ``cat`` and ``less`` too: :func:`file_text`
treats them like :func:`printable` but keeps newlines and tabs, and runs in C, not per character,
so a report with 50 MB of embedded audio is cleaned in a moment.
"""

from __future__ import annotations

import re
import unicodedata

# ESC [ ... final | ESC ] ... (BEL | ESC \\) | ESC P/X/^/_ ... ESC \\ | 8-bit CSI/OSC | ESC + one char
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


# What json.dumps(ensure_ascii=False) leaves raw and a terminal may act on: DEL, the C1 controls
# (U+009B is CSI, U+009D OSC) and the bidirectional overrides.
_JSON_UNSAFE = re.compile("[\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")

# Every control character but newline and tab, and the bidirectional overrides.
_FILE_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print on a terminal (see the module docstring)."""
    s = _ESCAPES.sub("", str(text))
    out = []
    for ch in s:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\n\t\r":
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):  # U+2028/9 break lines too
            out.append(_visible(ch))
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int = 120) -> str:
    """``text`` cut to about ``limit`` characters for a message, saying how long it was
    (a 5000-character file name is named, not printed)."""
    return text if len(text) <= limit else f"{text[:limit - 20]}…({len(text)} characters)"


def has_control(text: str) -> bool:
    """True when ``text`` holds anything :func:`printable` would change (apart from newlines)."""
    return printable(text, keep_newlines=True) != text


def json_text(dumped: str) -> str:
    """``json.dumps(..., ensure_ascii=False)`` output with every character a terminal could obey
    written as a ``\\uXXXX`` escape. They can only occur inside JSON strings, so the document
    means exactly the same to a JSON reader."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def file_text(text: str) -> str:
    """A whole report safe to ``cat``: escape sequences removed, every other control character
    (newlines and tabs aside) and bidirectional override shown as ``\\xNN`` / ``\\uNNNN``."""
    return _FILE_UNSAFE.sub(lambda m: _visible(m.group()), _ESCAPES.sub("", text))


def plain_text(text: str) -> str:
    """Typed text as words only: escape sequences and control characters (tabs and newlines
    too) and bidirectional overrides become spaces. For a typed answer, where they are no part
    of what would be said and would glue two sentences into one ("data.\\x07 In the end")."""
    return re.sub("[\t\n\r]", " ", _FILE_UNSAFE.sub(" ", _ESCAPES.sub(" ", text)))
