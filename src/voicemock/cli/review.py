"""Coach commands: review a saved session and annotate it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import AudioChoice, app, echo_err, print_json, user_errors, value

_SESSION_HELP = "A session id (see 'voicemock history'), a session folder, its session.json, or a .zip of the folder."
_EXTRACT_HELP = "Where to extract a .zip (default: a folder named after the zip, beside it)."


def _recordings() -> list[Path]:
    from ..config import load_config

    return [load_config().recordings_path()]


def _load(session: str, extract: Optional[Path]):
    from ..report.model import build_review
    from ..sessions.annotations import load_annotations
    from ..sessions.resolve import open_session

    loaded = open_session(session, _recordings(), extract)
    notes, problems = load_annotations(loaded.folder)
    return build_review(loaded, notes, problems)


@app.command("review")
@user_errors
def review_cmd(
    session: str = typer.Argument(..., help=_SESSION_HELP),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a self-contained HTML report here."),
    audio: AudioChoice = typer.Option(AudioChoice.embed, "--audio", help="HTML audio: embed (base64, one file) or link (relative)."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Write a Markdown report here."),
    as_json: bool = typer.Option(False, "--json", help="Print the session, notes and problems as JSON."),
    extract: Optional[Path] = typer.Option(None, "--extract", help=_EXTRACT_HELP),
) -> None:
    """Review a saved session: transcript, fillers, pauses, STAR parts, scores and coach notes."""
    view = _load(session, extract)
    for p in view.problems:
        echo_err(f"voicemock: problem: {p}")
    if html:
        from ..report.html import HtmlOptions, render_html

        echo_err(f"wrote {render_html(view, html, HtmlOptions(audio=value(audio)))}")
    if markdown:
        from ..report.files import write_report
        from ..report.markdown import render_markdown

        echo_err(f"wrote {write_report(markdown, render_markdown(view))}")
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
    score: list[str] = typer.Option([], "--score", help="PART=N, e.g. result=2 (1-5) or overall=70 (0-100)."),
    coach: Optional[str] = typer.Option(None, "--coach", help="Who writes the note (default: your user name)."),
    not_filler: list[float] = typer.Option([], "--not-filler", metavar="SECONDS",
                                           help="A detected filler at this time (seconds into the answer) is not a filler; repeatable."),
    extract: Optional[Path] = typer.Option(None, "--extract", help=_EXTRACT_HELP),
) -> None:
    """Add a coach's note (score overrides, filler corrections) to annotations.json beside the session."""
    from ..sessions.annotations import add_annotation, annotations_path, parse_scores
    from ..sessions.corrections import check_not_fillers
    from ..sessions.resolve import open_session

    scores = parse_scores(score)
    loaded = open_session(session, _recordings(), extract)
    ids = [a.question_id for a in loaded.session.answers]
    if not_filler:
        check_not_fillers(loaded.session, question, not_filler)
    ann = add_annotation(loaded.folder, question, note, scores, coach, known_ids=ids, not_fillers=not_filler)
    echo_err(f"note by {ann.coach} on {question} added to {annotations_path(loaded.folder)}")
    if not_filler:
        from ..history.index import try_index

        try_index(loaded.folder)  # history and progress count the corrected fillers
