"""Coach and progress commands: review, annotate, history, progress, plan, erase."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import app, fail, print_json, user_errors

_SESSION_HELP = "A session folder, its session.json, or a .zip of the folder."
_EXTRACT_HELP = "Where to extract a .zip (default: a folder named after the zip, beside it)."


def _load(session: str, extract: Optional[Path]):
    from ..annotations import load_annotations
    from ..report.model import build_review
    from ..sessionio import load_session

    loaded = load_session(session, extract)
    notes, problems = load_annotations(loaded.folder)
    return build_review(loaded, notes, problems)


@app.command("review")
@user_errors
def review_cmd(
    session: str = typer.Argument(..., help=_SESSION_HELP),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a self-contained HTML report here."),
    audio: str = typer.Option("embed", "--audio", help="HTML audio: embed (base64, one file) or link (relative)."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Write a Markdown report here."),
    as_json: bool = typer.Option(False, "--json", help="Print the session, notes and problems as JSON."),
    extract: Optional[Path] = typer.Option(None, "--extract", help=_EXTRACT_HELP),
) -> None:
    """Review a saved session: transcript, fillers, pauses, STAR parts, scores and coach notes."""
    if audio not in ("embed", "link"):
        raise fail(f"--audio {audio!r}: use embed or link", 2)
    view = _load(session, extract)
    for p in view.problems:
        typer.echo(f"voicemock: problem: {p}", err=True)
    if html:
        from ..report.html import HtmlOptions, render_html

        typer.echo(f"wrote {render_html(view, html, HtmlOptions(audio=audio))}", err=True)
    if markdown:
        from ..report.markdown import render_markdown

        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(render_markdown(view), encoding="utf-8")
        typer.echo(f"wrote {markdown}", err=True)
    if as_json:
        from ..report.model import review_dict

        print_json(review_dict(view))
    elif not html and not markdown:
        from ..report.terminal import render_terminal

        render_terminal(view)


@app.command("annotate")
@user_errors
def annotate_cmd(
    session: str = typer.Argument(..., help=_SESSION_HELP),
    question: str = typer.Option(..., "--question", "-q", help="The question id the note is about."),
    note: str = typer.Option("", "--note", "-n", help="The note."),
    score: List[str] = typer.Option([], "--score", help="PART=N, e.g. result=2 (1-5) or overall=70 (0-100)."),
    coach: Optional[str] = typer.Option(None, "--coach", help="Who writes the note (default: your user name)."),
    extract: Optional[Path] = typer.Option(None, "--extract", help=_EXTRACT_HELP),
) -> None:
    """Add a coach's note (and score overrides) to annotations.json beside the session."""
    from ..annotations import add_annotation, annotations_path, parse_scores
    from ..sessionio import load_session

    scores = parse_scores(score)
    loaded = load_session(session, extract)
    ids = [a.question_id for a in loaded.session.answers]
    ann = add_annotation(loaded.folder, question, note, scores, coach, known_ids=ids)
    typer.echo(f"note by {ann.coach} on {question} added to {annotations_path(loaded.folder)}", err=True)


def _dirs(dirs: List[Path]) -> List[Path]:
    if dirs:
        return dirs
    from ..config import load_config

    return [load_config().recordings_path()]


@app.command("history")
@user_errors
def history_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the index from the recordings folder(s)."),
    dirs: List[Path] = typer.Option([], "--dir", help="Recordings folder to rebuild from (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List saved sessions: date, bank, questions, overall score, fillers and words per minute."""
    from .. import history

    db = history.connect()
    try:
        if rebuild:
            count, skipped = history.rebuild(_dirs(dirs), db)
            for s in skipped:
                typer.echo(f"voicemock: skipped: {s}", err=True)
            typer.echo(f"indexed {count} session(s)", err=True)
        rows = history.list_sessions(db)
    finally:
        db.close()
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    from rich.console import Console
    from rich.table import Table

    from ..report.model import fmt

    table = Table("date", "id", "bank", "qs", "score", "fillers/min", "wpm", "judge")
    for col in table.columns[:2]:  # the id is what 'erase' and 'review' need: never cut it
        col.no_wrap = True
    for r in rows:
        table.add_row(r.started_at.replace("T", " ")[:16], r.id, r.bank, str(r.questions), fmt(r.overall),
                      fmt(r.fillers_per_minute), fmt(r.words_per_minute, "", 0), r.judge or "-")
    Console().print(table if rows else "no sessions indexed yet (try 'voicemock history --rebuild')")


@app.command("progress")
@user_errors
def progress_cmd(
    png: Optional[Path] = typer.Option(None, "--png", help="Also draw the trends into this PNG file."),
    bank: Optional[str] = typer.Option(None, "--bank", help="Only sessions of this bank."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Each metric's trend over time, as a table (and a PNG chart with --png)."""
    from .. import history

    trends = history.trends(bank=bank)
    if png:
        from ..progress_chart import write_progress_png

        typer.echo(f"wrote {write_progress_png(trends, png)}", err=True)
    if as_json:
        print_json([t.as_dict() for t in trends])
        return
    from rich.console import Console
    from rich.table import Table

    from ..report.model import fmt

    table = Table("metric", "sessions", "first", "last", "change", "trend", "values (oldest first)")
    for t in trends:
        mark = {True: "better", False: "worse", None: "-"}[t.improving]
        values = " ".join(f"{p[2]:g}" for p in t.points[-8:])
        table.add_row(t.metric.label, str(len(t.points)), fmt(t.first, "", 2), fmt(t.last, "", 2),
                      fmt(t.change, "", 2), mark, values)
    Console().print(table)


@app.command("plan")
@user_errors
def plan_cmd(
    bank: Optional[str] = typer.Option(None, "--bank", help="Plan for this bank (default: the last session's)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The three weakest areas of your recent sessions, with questions to practise next."""
    from .. import history

    p = history.plan(bank=bank)
    if as_json:
        print_json(p.as_dict())
        return
    if not p.items:
        typer.echo(p.note or "nothing to plan yet")
        return
    typer.echo(f"Based on your last {p.sessions_used} session(s) (bank {p.bank}):")
    for i, item in enumerate(p.items, start=1):
        typer.echo(f"\n{i}. {item.area.title}: {item.why}\n   {item.area.advice}")
        for qid, text in item.questions:
            typer.echo(f"   - {qid}: {text}   (voicemock practice --bank {p.bank} --question-id {qid})")
    if p.note:
        typer.echo(f"\n{p.note}")


@app.command("erase")
@user_errors
def erase_cmd(
    session: Optional[str] = typer.Argument(None, help="A session folder or id (see 'voicemock history')."),
    older_than: Optional[str] = typer.Option(None, "--older-than", help="Erase every session older than this, e.g. 30d."),
    dirs: List[Path] = typer.Option([], "--dir", help="Recordings folder to look in (repeatable)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete sessions (recordings, transcripts, notes) and their history rows. Cannot be undone."""
    from .. import history

    if (session is None) == (older_than is None):
        raise fail("give either a SESSION or --older-than AGE (e.g. 30d)", 2)
    db = history.connect()
    try:
        if session is not None:
            if not yes:
                typer.confirm(f"Erase session {session} and its recordings?", abort=True)
            gone = history.erase(session, db)
        else:
            days = history.parse_age(older_than or "")
            targets = history.sessions_older_than(days, _dirs(dirs), db)
            if not targets:
                typer.echo(f"no sessions older than {older_than}", err=True)
                return
            if not yes:
                for sid, folder in targets:
                    typer.echo(f"  {sid}  {folder}")
                typer.confirm(f"Erase these {len(targets)} session(s)?", abort=True)
            gone = history.erase_older_than(days, _dirs(dirs), db)
    finally:
        db.close()
    for g in gone:
        typer.echo(f"erased {g}", err=True)
