"""Progress commands: history, progress, plan, erase."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import app, echo_err, fail, print_json, user_errors
from .ui import console, history_view, plain, plan_view, progress_view


def _dirs(dirs: list[Path]) -> list[Path]:
    if dirs:
        return dirs
    from ..config import load_config

    return [load_config().recordings_path()]


def _nothing_to_show(bank: str | None = None, include_demo: bool = False, rebuilt: bool = False) -> str:
    """Why history, progress or plan has nothing to show, and what to do about it."""
    from ..history.index import list_sessions

    which = f"sessions of bank {bank}" if bank else "sessions"
    demos = 0 if include_demo else sum(1 for r in list_sessions(bank=bank, include_demo=True) if r.demo)
    if demos:
        return (f"no {which} yet apart from {demos} made by 'voicemock demo' "
                "(add --include-demo to count them, or practise with 'voicemock practice')")
    return f"no {which} indexed yet" + ("" if rebuilt else " (practise first, or run 'voicemock history --rebuild')")


@app.command("history")
@user_errors
def history_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the index from the recordings folder(s)."),
    dirs: list[Path] = typer.Option([], "--out", metavar="DIR", help="Recordings folder to rebuild from (repeatable; default: the configured one)."),
    include_demo: bool = typer.Option(False, "--include-demo", help="Also list sessions of 'voicemock demo'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List saved sessions: date, bank, questions, overall score, fillers and words per minute."""
    from ..history.db import connect, connect_or_recreate
    from ..history.index import list_sessions
    from ..history.index import rebuild as rebuild_index

    if rebuild:
        db, aside = connect_or_recreate()
        if aside is not None:
            echo_err(f"the history index was damaged or not voicemock's: kept as {aside}, building a new one")
    else:
        db = connect()
    try:
        if rebuild:
            count, skipped = rebuild_index(_dirs(dirs), db)
            for s in skipped:
                echo_err(f"voicemock: skipped: {s}")
            kept = len(list_sessions(db, include_demo=True)) - count
            where = ", ".join(str(d) for d in _dirs(dirs))
            echo_err(f"indexed {count} session(s) in {where}" + (
                f"; {kept} more kept from other folders indexed before (give those with --out to index them again)"
                if kept > 0 else ""))
        rows = list_sessions(db, include_demo=include_demo)
    finally:
        db.close()
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    if not rows:
        typer.echo(plain(_nothing_to_show(include_demo=include_demo, rebuilt=rebuild)))
        return
    history_view(console(), rows)


@app.command("progress")
@user_errors
def progress_cmd(
    png: Optional[Path] = typer.Option(None, "--png", metavar="FILE", help="Also draw the trends into this PNG file."),
    bank: Optional[str] = typer.Option(None, "--bank", metavar="BANK", help="Only sessions of this bank."),
    include_demo: bool = typer.Option(False, "--include-demo", help="Also count sessions of 'voicemock demo'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Each metric's trend over time, as a table (and a PNG chart with --png)."""
    from ..history.trends import trends as metric_trends

    trends = metric_trends(bank=bank, include_demo=include_demo)
    if png:
        from ..history.chart import write_progress_png

        echo_err(f"wrote {write_progress_png(trends, png)}")
    if as_json:
        print_json([t.as_dict() for t in trends])
        return
    if not any(t.points for t in trends):
        typer.echo(plain(_nothing_to_show(bank, include_demo)))
        return
    progress_view(console(), trends)


@app.command("plan")
@user_errors
def plan_cmd(
    bank: Optional[str] = typer.Option(None, "--bank", metavar="BANK", help="Plan for this bank (default: the last session's)."),
    include_demo: bool = typer.Option(False, "--include-demo", help="Also use sessions of 'voicemock demo'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Up to three areas of your recent sessions outside their target, with questions to practise next."""
    from ..history.plan import plan

    p = plan(bank=bank, include_demo=include_demo)
    if as_json:
        print_json(p.as_dict())
        return
    if not p.items:
        typer.echo(plain(_nothing_to_show(bank, include_demo) if p.sessions_used == 0 else p.note or "nothing to plan yet"))
        return
    from ..config import load_config

    typer.echo(plan_view(console().width, p, load_config().bank))


@app.command("erase")
@user_errors
def erase_cmd(
    session: Optional[str] = typer.Argument(None, metavar="SESSION", help="A session id (see 'voicemock history'), a session folder or its session.json."),
    older_than: Optional[str] = typer.Option(None, "--older-than", metavar="AGE", help="Erase every session older than this, e.g. 30d."),
    dirs: list[Path] = typer.Option([], "--out", metavar="DIR", help="Recordings folder to look in (repeatable; default: the configured one)."),
    force_outside: bool = typer.Option(False, "--force-outside", help="Also erase a session folder that is not inside a recordings folder."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete sessions (recordings, transcripts, notes) and their history rows. Cannot be undone.

    Only voicemock session folders are deleted; what will go is listed first."""
    from ..history import erase as eraser
    from ..history.db import connect

    if (session is None) == (older_than is None):
        raise fail("give either a SESSION or --older-than AGE (e.g. 30d)", 2)
    search = _dirs(dirs)  # where --older-than looks and where ids are found
    roots = [*dirs, *_dirs([])]  # where a typed path may be: the given folders and the configured one
    db = connect()
    try:
        if session is not None:
            targets = eraser.plan_erase(session, roots, db, force_outside=force_outside)
        else:
            targets = eraser.plan_older_than(eraser.parse_age(older_than or ""), search, db)
            if not targets:
                echo_err(f"no sessions older than {older_than}")
                return
        echo_err(f"will erase {len(targets)} session(s):")
        for t in targets:
            echo_err(f"  {t.describe()}")
        if not yes:
            typer.confirm(f"Erase {'this session' if len(targets) == 1 else f'these {len(targets)} sessions'}?",
                          abort=True, err=True)
        gone = eraser.execute(targets, db)
    finally:
        db.close()
    for g in gone:
        echo_err(f"erased {g}")
