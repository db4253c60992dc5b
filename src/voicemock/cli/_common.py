"""Shared CLI plumbing: the app object, the choice types, error translation, JSON output."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

import typer

from ..textsafe import printable, shorten

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # every failure is one line (see user_errors), never a traceback
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable)


def _quiet_argument_types() -> None:
    """Typer prints an argument's Python type beside its metavar ("PATH <list[Path]>"); with a
    metavar given, the metavar alone says it."""
    from typer.core import TyperArgument

    shown = TyperArgument.display_type_rich

    def display(self, ctx):
        return "" if self.metavar else shown(self, ctx)

    TyperArgument.display_type_rich = display  # type: ignore[method-assign]


_quiet_argument_types()
log = logging.getLogger("voicemock.cli")

#: Exit code of a bug: a failure voicemock did not foresee (the message says how to report it).
EXIT_INTERNAL = 3


class JudgeChoice(str, Enum):
    offline = "offline"
    llm = "llm"


class DifficultyChoice(str, Enum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class DeviceChoice(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


class FeedbackChoice(str, Enum):
    each = "each"
    end = "end"


class AudioChoice(str, Enum):
    embed = "embed"
    link = "link"


def value(choice):
    """The plain string of an enum option (None stays None)."""
    return None if choice is None else getattr(choice, "value", choice)


#: The longest line a message prints: a hostile 5000-character name must not bury the message.
MESSAGE_MAX_CHARS = 1000


def echo_err(message: str) -> None:
    typer.echo(shorten(printable(message), MESSAGE_MAX_CHARS), err=True)


def require_utf8(option: str, *values: object) -> None:
    """Refuse (exit 2) a file name or text that is not valid UTF-8 (a Latin-1 name from an old disk
    arrives as surrogates, and the session's JSON cannot hold it): before anything is created."""
    for v in values:
        if v is None:
            continue
        try:
            str(v).encode("utf-8")
        except UnicodeEncodeError:
            shown = str(v).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise fail(f"{option} {shown}: not valid UTF-8; rename it (or retype it) in UTF-8", 2) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``voicemock: error: MESSAGE`` on stderr and return the Exit to raise."""
    echo_err(f"voicemock: error: {message}")
    return typer.Exit(code)


#: Signals that end a command the way Ctrl-C does (Python's default for them is to die at once,
#: with nothing saved): SIGTERM (kill, a service stop), SIGHUP (the terminal was closed).
STOP_SIGNALS = ("SIGTERM", "SIGHUP")


@contextlib.contextmanager
def _signals_as_interrupts():
    """Within the block, SIGTERM and SIGHUP raise :class:`~voicemock.errors.Terminated` in the main
    thread; the previous handlers come back afterwards. Nothing is installed off the main thread
    (tests calling commands from threads) or where a signal does not exist (SIGHUP on Windows)."""
    import signal
    import threading

    from ..errors import Terminated

    def handler(signum, frame):
        raise Terminated(signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in STOP_SIGNALS:
            sig = getattr(signal, name, None)
            if sig is None or signal.getsignal(sig) is signal.SIG_IGN:  # nohup: keep ignoring it
                continue
            with contextlib.suppress(ValueError, OSError):
                previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, old)


def user_errors(func: F) -> F:
    """Turn library errors into one line on stderr and the error's exit code (1); anything
    unforeseen into one line and exit 3 (the traceback only with -vv)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..errors import Terminated, VoicemockError

        try:
            with _signals_as_interrupts():
                return func(*args, **kwargs)
        except VoicemockError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except Terminated as exc:  # the terminal closed, or kill: what Ctrl-C keeps is kept
            with contextlib.suppress(OSError):  # a closed terminal cannot show it
                echo_err(f"voicemock: stopped by {exc.name}")
            raise typer.Exit(128 + exc.signum) from None
        except KeyboardInterrupt:
            echo_err("voicemock: interrupted")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except OSError as exc:  # the system refused a path or file: a file name too long, no permission
            log.debug("system error", exc_info=True)
            where = f"{shorten(str(exc.filename), 200)}: " if exc.filename else ""
            raise fail(f"{where}{exc.strerror or exc}", 1) from None
        except MemoryError:
            raise fail("out of memory (is the input far larger than an interview answer?)", EXIT_INTERNAL) from None
        except Exception as exc:  # a bug: still one line, and the details for a report
            log.debug("unexpected error", exc_info=True)
            raise fail(f"internal error: {type(exc).__name__}: {exc} (run with -vv for details and please "
                       "report it)", EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def print_json(obj) -> None:
    """One JSON document on stdout: text from files stays readable (not ASCII-escaped), but nothing
    in it can steer the terminal (json.dumps escapes C0 controls only; C1 and bidi are escaped too)."""
    import json

    from ..textsafe import json_text

    sys.stdout.write(json_text(json.dumps(obj, ensure_ascii=False, indent=None)) + "\n")
