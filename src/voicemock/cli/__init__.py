"""The voicemock command line: a thin typer layer over the library.

Each command group lives in its own module and registers itself on ``app``. Library errors
(:class:`voicemock.errors.VoicemockError`) become one clear line on stderr and exit code 1;
bad usage exits 2 (click's own handling). Heavy libraries are imported inside commands only,
so ``voicemock --help`` stays fast.
"""

from __future__ import annotations

import typer

from .. import __version__
from . import banks as _banks  # noqa: F401,E402
from . import history as _history  # noqa: F401,E402

# Register command groups (each module only imports typer and the standard library at import time).
# Registration order is the order of 'voicemock --help'.
from . import practice as _practice  # noqa: F401,E402
from . import review as _review  # noqa: F401,E402
from . import score as _score  # noqa: F401,E402
from ._common import app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"voicemock {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-v info, -vv debug)."),
) -> None:
    """voicemock: practise interview answers out loud and get scored on delivery, STAR structure and a rubric."""
    import logging

    from .ui import LogFormatter

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler()
    handler.setFormatter(LogFormatter(detailed=verbose > 0))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    if verbose:
        from ..audio import recorder

        recorder.QUIET_ALSA = False  # -v: show the sound system's own messages too


def main() -> None:
    app()
