"""Text from files on its way to a terminal: nothing in it may control the terminal.

Sessions, banks, notes and LLM replies come from other people. Before any of their text is
printed, :func:`printable` removes escape sequences (CSI such as colours and cursor moves, OSC such
as window titles and clipboard writes, DCS, APC, PM, SOS, two-character escapes) and shows every
other control character as a visible ``\\xNN`` escape; bidirectional overrides that can disguise
text are shown the same way. Newlines and tabs become spaces unless ``keep_newlines``.
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
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            out.append(_visible(ch))
        else:
            out.append(ch)
    return "".join(out)


def has_control(text: str) -> bool:
    """True when ``text`` holds anything :func:`printable` would change (apart from newlines)."""
    return printable(text, keep_newlines=True) != text
