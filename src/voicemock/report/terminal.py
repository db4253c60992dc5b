"""The review in the terminal (rich): each question with its transcript (fillers highlighted, long
pauses marked, sentences coloured by STAR part), delivery metrics, rubric scores with the judge
named, feedback, and the coach's notes and overrides beside the automatic scores.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..textsafe import printable as plain
from .model import LABEL_NAMES, AnswerView, ReviewView, auto_scores, cut_note, fmt, scored_by

STAR_STYLES = {"S": "cyan", "T": "blue", "A": "green", "R": "magenta", "O": "white"}
FILLER_STYLE = "bold black on yellow"
UNCERTAIN_FILLER_STYLE = "dim italic yellow"  # listed, not counted
PAUSE_STYLE = "bold red"


def transcript_text(view: AnswerView) -> Text:
    """The transcript with STAR parts as letters ([S] ... [R], coloured too, so piped or no-colour
    output keeps them), fillers highlighted and bracketed as *filler*, long pauses marked."""
    text = Text()
    label = None
    for tok in view.tokens:
        if tok.glue:  # no space before it: "mid" "-sized" is one word on the page
            text.rstrip()
        if tok.kind == "word" and tok.label and tok.label != label:
            label = tok.label
            text.append(f"[{label}] ", style=f"bold {STAR_STYLES.get(label, '')}".strip())
        if tok.kind == "pause":
            text.append(f" [pause {plain(tok.text)}] ", style=PAUSE_STYLE)
        elif tok.kind == "filler" and tok.rejected:  # a coach took it out of the count
            text.append(f" ~({plain(tok.text)}?)~ ", style="strike dim")
        elif tok.kind == "filler":
            text.append(f" ({plain(tok.text)}?) ", style=UNCERTAIN_FILLER_STYLE if tok.uncertain else FILLER_STYLE)
        else:
            style = (UNCERTAIN_FILLER_STYLE if tok.uncertain else FILLER_STYLE) if tok.filler \
                else STAR_STYLES.get(tok.label or "", "")
            word = plain(tok.text)
            mark = "?" if tok.uncertain else "*"  # letters too: piped or no-colour output keeps them
            if tok.rejected:  # the coach said it is not a filler: struck through, ~word~ when piped
                text.append(f"~{word}~", style="strike dim")
            else:
                text.append(f"{mark}{word}{mark}" if tok.filler else word, style=style)
            text.append(" ")
    if not view.tokens:
        text.append("(no transcript)", style="dim")
    return text


def legend() -> Text:
    t = Text("STAR: ")
    for lab, style in STAR_STYLES.items():
        t.append(f"[{lab}] {LABEL_NAMES[lab]}", style=style)
        t.append(" ")
    t.append("\n")
    t.append("*um*", style=FILLER_STYLE)
    t.append(" filler  ")
    t.append("(um?)", style=FILLER_STYLE)
    t.append(" heard in the audio only  ")
    t.append("?um?", style=UNCERTAIN_FILLER_STYLE)
    t.append(" unsure, not counted  ")
    t.append("[pause]", style=PAUSE_STYLE)
    return t


def delivery_table(view: AnswerView) -> Table:
    d = view.result.delivery if view.result else None
    table = Table("delivery", "value", box=None, show_header=False)
    if d is None:
        table.add_row("delivery", "-")
        return table
    dur = view.result.transcript.duration_s if view.result else None
    table.add_row("duration", fmt(dur, " s"))
    table.add_row("pace", fmt(d.words_per_minute, " wpm", 0))
    table.add_row("fillers", f"{d.filler_count} ({fmt(d.fillers_per_minute, '/min')})")
    table.add_row("long pauses", f"{d.long_pause_count} (longest {fmt(d.longest_pause_s, ' s')})")
    table.add_row("lead-in", fmt(d.lead_in_s, " s"))
    s = view.result.structure if view.result else None
    if s:
        parts = ", ".join(f"{k} {round(v['share'] * 100)}%" for k, v in s.parts.model_dump().items()
                          if v.get("present"))
        table.add_row("STAR parts", parts or "none found")
        table.add_row("ownership", f"I {s.ownership.i} / we {s.ownership.we}")
        table.add_row("metric", "yes" if s.has_metric else "no")
    return table


def scores_table(view: AnswerView) -> Table:
    auto = auto_scores(view.result)
    table = Table("score", "automatic", "coach")
    for key in ("overall", "situation", "task", "action", "result"):
        a = auto.get(key)
        c = view.coach_scores.get(key)
        coach = "-" if c is None else (f"[bold]{c}[/bold]" + (" (override)" if a is not None and c != a else ""))
        table.add_row(key, "-" if a is None else str(a), coach)
    return table


def answer_panel(view: AnswerView) -> Panel:
    parts: list = [Text(plain(view.answer.question), style="bold")]
    note = cut_note(view)
    if note:
        parts.append(Text(note, style="yellow"))
    if view.answer.audio and view.audio is None:
        parts.append(Text(f"audio {plain(view.answer.audio)} missing", style="red"))
    if view.probe_line:
        parts.append(Text(plain(view.probe_line), style="italic"))
    if view.rejected_line:
        parts.append(Text(plain(view.rejected_line), style="cyan"))
    parts.append(transcript_text(view))
    parts.append(Text(plain(scored_by(view)), style="bold"))
    if view.question_score is not None and (view.answer.kind == "followup" or view.answer.combined is not None):
        parts.append(Text(f"Question score with follow-ups: {view.question_score}/100", style="bold"))
    grid = Table.grid(padding=(0, 3))
    grid.add_row(delivery_table(view), scores_table(view))
    parts.append(grid)
    r = view.result.rubric if view.result else None
    if r and r.feedback:
        parts.append(Text("Feedback:", style="bold"))
        fb = Table.grid()
        fb.add_column(no_wrap=True)
        fb.add_column(overflow="fold")
        for f in r.feedback:
            fb.add_row("  - ", Text(plain(f)))  # wrapped lines hang under the text
        parts.append(fb)
    if view.notes:
        parts.append(Text("Coach notes:", style="bold"))
        for n in view.notes:
            sc = plain(" ".join(f"{k}={v}" for k, v in n.scores.items()))
            line = Text(f"  {plain(n.created_at)} {plain(n.coach)}: ", style="dim")
            line.append(plain(n.note), style="italic")
            if sc:
                line.append(f"  [{sc}]")
            parts.append(line)
    return Panel(Group(*parts), title=Text(plain(f"{view.number}. {view.title}")), title_align="left")


def render_terminal(view: ReviewView, console: Console | None = None) -> None:
    console = console or Console()
    s = view.session
    console.print(Text(plain(f"Session {s.id}  bank {s.bank}  started {s.started_at}  "
                             f"{len(view.answers)} answer(s)"), style="bold"))
    for p in view.problems:
        console.print(Text(plain(f"problem: {p}"), style="yellow"))
    console.print(legend())
    for a in view.answers:
        console.print(answer_panel(a))
