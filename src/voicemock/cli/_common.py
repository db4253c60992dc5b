"""Shared CLI plumbing: the app object, error translation, console helpers."""

from __future__ import annotations

import functools
import sys
from typing import Callable, TypeVar

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # an API key could be among the locals
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable)


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print ``voicemock: error: MESSAGE`` on stderr and return the Exit to raise."""
    typer.echo(f"voicemock: error: {message}", err=True)
    return typer.Exit(code)


def user_errors(func: F) -> F:
    """Turn library errors into one line on stderr and the error's exit code (1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..errors import VoicemockError

        try:
            return func(*args, **kwargs)
        except VoicemockError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("voicemock: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def print_json(obj) -> None:
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")
