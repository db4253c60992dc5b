"""Coach commands: review a saved session and annotate it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import AudioChoice, app, echo_err, fail, print_json, user_errors, value

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
    _say_where(loaded)
    notes, problems = load_annotations(loaded.folder)
    return build_review(loaded, notes, problems)


def _session_ref(view) -> str:
    """How a command line names this session: its id when the id finds this very folder, else its
    path (the report quotes it for the shell)."""
    from ..errors import SessionError
    from ..sessions.resolve import find_session_folder

    folder = view.loaded.folder
    try:
        if find_session_folder(view.session.id, _recordings()).resolve() == folder.resolve():
            return view.session.id
    except (SessionError, OSError):
        pass
    return str(folder)


def _not_over_the_session(loaded, *targets: Optional[Path]) -> None:
    """A report never replaces the session it reports on: --markdown session.json, or --html
    q01.wav from tab completion, once destroyed the transcript or the recording."""
    from ..errors import ReportError
    from ..sessions.own import session_paths

    own = session_paths(loaded.folder, loaded.from_zip)
    named = [Path(t).expanduser().resolve() for t in targets if t is not None]
    if len(set(named)) < len(named):
        raise ReportError(f"--html and --markdown name the same file ({targets[0]}); give each report its own file")
    for target in targets:
        if target is not None and Path(target).expanduser().resolve() in own:
            raise ReportError(f"{target} is part of the session itself; write the report to a new file, "
                              "e.g. review.html or review.md")


@app.command("review")
@user_errors
def review_cmd(
    session: str = typer.Argument(..., metavar="SESSION", help=_SESSION_HELP),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Write a self-contained HTML report here."),
    audio: AudioChoice = typer.Option(AudioChoice.embed, "--audio", help="HTML audio: embed (base64, one file) or link (relative)."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", metavar="FILE", help="Write a Markdown report here."),
    as_json: bool = typer.Option(False, "--json", help="Print the session, notes and problems as JSON."),
    extract: Optional[Path] = typer.Option(None, "--extract", metavar="DIR", help=_EXTRACT_HELP),
) -> None:
    """Review a saved session: transcript, fillers, pauses, STAR parts, scores and coach notes."""
    view = _load(session, extract)
    for p in view.problems:
        echo_err(f"voicemock: problem: {p}")
    _not_over_the_session(view.loaded, html, markdown)
    if html:
        from ..config import load_config
        from ..report.html import HtmlOptions, render_html

        opts = HtmlOptions(audio=value(audio), max_embed_bytes=int(load_config().max_embed_mb * 1024 * 1024),
                           session_ref=_session_ref(view))
        written = render_html(view, html, opts)
        for note in opts.notes:
            echo_err(f"voicemock: note: {note}")
        echo_err(f"wrote {written}")
    if markdown:
        from ..report.files import write_report
        from ..report.markdown import render_markdown

        echo_err(f"wrote {write_report(markdown, render_markdown(view), 'review.md')}")
    if as_json:
        from ..report.model import review_dict

        print_json(review_dict(view))
    elif not html and not markdown:
        from ..report.terminal import render_terminal

        render_terminal(view)


@app.command("annotate")
@user_errors
def annotate_cmd(
    session: str = typer.Argument(..., metavar="SESSION", help=_SESSION_HELP),
    question: Optional[str] = typer.Option(None, "--question-id", "-q", metavar="ID", help="The question the note is about: its main answer."),
    answer: Optional[str] = typer.Option(None, "--answer", "-a", metavar="N|KEY", help="One answer: its number in the review (1, 2, ...) or key (q01-followup)."),
    note: str = typer.Option("", "--note", "-n", metavar="TEXT", help="The note."),
    score: list[str] = typer.Option([], "--score", metavar="PART=N", help="PART=N, e.g. result=2 (1-5) or overall=70 (0-100)."),
    coach: Optional[str] = typer.Option(None, "--coach", metavar="NAME", help="Who writes the note (default: your user name)."),
    not_filler: list[float] = typer.Option([], "--not-filler", metavar="SECONDS",
                                           help="A detected filler at this time (seconds into the answer) is not a filler; repeatable."),
    extract: Optional[Path] = typer.Option(None, "--extract", metavar="DIR", help=_EXTRACT_HELP),
) -> None:
    """Add a coach's note (score overrides, filler corrections) about one answer to annotations.json
    beside the session.

    The overrides and corrections are what history, progress, the plan and --retry use from then on."""
    from ..sessions.annotations import add_annotation, annotation_target, annotations_path, parse_scores
    from ..sessions.corrections import check_new_not_fillers
    from ..sessions.resolve import open_session

    if (question is None) == (answer is None):
        raise fail("give --question-id ID (its main answer) or --answer N|KEY (one answer)", 2)
    scores = parse_scores(score)
    loaded = open_session(session, _recordings(), extract)
    _say_where(loaded)
    target, key = annotation_target(loaded.session.answers, answer or question or "")
    if not_filler:
        check_new_not_fillers(loaded.folder, target, not_filler)
    ann = add_annotation(loaded.folder, target.question_id, note, scores, coach, answer=key, not_fillers=not_filler)
    echo_err(f"note by {ann.coach} on {key} added to {annotations_path(loaded.folder)}")
    if loaded.from_zip is not None:
        echo_err(f"voicemock: note: {loaded.from_zip.name} itself is unchanged; the notes live in {loaded.folder} "
                 "(review the zip again and they are shown; zip that folder to send them)")
    _reindex(loaded.folder)


def _say_where(loaded) -> None:
    """A zip is unpacked once, to a place the coach is told about."""
    if loaded.from_zip is None:
        return
    if loaded.extracted_now:
        echo_err(f"extracted {loaded.from_zip.name} to {loaded.folder}")
    else:
        echo_err(f"using {loaded.folder} (extracted from {loaded.from_zip.name} earlier; delete it to extract again)")


def _reindex(folder: Path) -> None:
    """Refresh the history index so the coach's overrides and corrections show there (a cache)."""
    from ..history.index import try_index

    problem = try_index(folder)
    if problem:
        echo_err(f"voicemock: note: the history index was not updated ({problem})")
