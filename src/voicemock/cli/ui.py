"""Everything the CLI draws with rich, in one place: consoles, safe text, the live practice screen.

Text that comes from a session, a bank, a note, a path or an LLM reaches the terminal only through
:func:`safe` (for rich markup strings) or :func:`plain` (for rich ``Text`` and ``typer.echo``): control
characters and escape sequences are removed (:mod:`voicemock.textsafe`) and ``[brackets]`` cannot
turn into markup.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Optional

from ..textsafe import printable

plain = printable


def safe(text: object) -> str:
    """Untrusted text for a rich markup string: printable, with markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


class EnterWatcher:
    """Reads lines from stdin in a daemon thread; each Enter sets the current answer's stop event."""

    def __init__(self) -> None:
        self.current: Optional[threading.Event] = None
        self.alive = False
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            return
        self.alive = True
        threading.Thread(target=self._run, args=(stdin,), name="voicemock-enter", daemon=True).start()

    def _run(self, stdin) -> None:
        try:
            for _line in stdin:
                ev = self.current
                if ev is not None:
                    ev.set()
        except (OSError, ValueError):
            pass
        self.alive = False  # EOF: answers end at --max-answer-s or --end-on-silence


class RichUI:
    """The practice loop's callbacks drawn with rich (stderr when --json keeps stdout for JSON)."""

    def __init__(self, console, enter: Optional[EnterWatcher], interactive: bool) -> None:
        self.console = console
        self.enter = enter
        self.interactive = interactive
        self._live: Any = None  # rich.live.Live while recording on a terminal
        self._max_s = 0.0
        self._hint = ""
        self._short = ""

    def session_started(self, folder, session) -> None:
        self.console.print(f"[dim]Session {safe(session.id)}: saving to {safe(folder)}[/dim]")

    def asking(self, number, total, question, text, kind) -> None:
        self.console.print()
        if kind == "main":
            self.console.rule(f"[bold]Question {number}/{total}[/bold]  [dim]{safe(question.id)} · {safe(question.difficulty)}[/dim]")
        else:
            self.console.print("[bold]Follow-up[/bold]")
        self.console.print(f"[bold cyan]{safe(text)}[/bold cyan]")

    def speaker_failed(self, reason) -> None:
        self.console.print(f"[yellow]Cannot speak the question ({safe(reason)}); read it above. Going on without speech.[/yellow]")

    def recording(self, path, stop, options, from_file) -> None:
        self._max_s = options.max_s
        if from_file:
            self.console.print(f"[dim]Answer from file -> {safe(path.name)}[/dim]")
            return
        if self.enter is not None:
            self.enter.current = stop
        ways = []
        if self.enter is not None and self.enter.alive:
            ways.append("press Enter")
        if options.end_on_silence_s:
            ways.append(f"stay silent {options.end_on_silence_s:g} s")
        ways.append(f"stops at {options.max_s:g} s")
        self._hint = "Recording... " + ", ".join(ways)
        if self.console.is_terminal:
            enter = self.enter is not None and self.enter.alive
            silence = f"{options.end_on_silence_s:g} s silence" if options.end_on_silence_s else ""
            self._short = " or ".join(x for x in ("Enter" if enter else "", silence) if x) + " = done" if (enter or silence) else ""
            from rich.live import Live

            live = Live(self._meter(0.0, 0.0), console=self.console, refresh_per_second=10, transient=True)
            live.start()
            self._live = live
        else:
            self.console.print(self._hint, markup=False)

    def _meter(self, level: float, elapsed: float):
        return meter(level, elapsed, self._max_s, self._short)

    def level(self, level, elapsed) -> None:
        if self._live is not None:
            self._live.update(self._meter(level, elapsed))

    def recorded(self, recording) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self.enter is not None:
            self.enter.current = None
        why = {"stop": "you pressed Enter", "max": "time limit", "silence": "silence", "end_of_file": "end of file",
               "disk_full": "disk full"}.get(recording.ended_by, recording.ended_by)
        self.console.print(f"[dim]Recorded {recording.duration_s:.1f} s ({why}); scoring...[/dim]")

    def feedback(self, answer, latency_s) -> None:
        show_feedback(self.console, answer, latency_s)

    def feedback_update(self, answer) -> None:
        r = answer.result.rubric if answer.result else None
        if r is None:
            return
        if r.judge == "llm":
            self.console.print(f"[bold]LLM rubric[/bold] for {safe(answer.audio)} ({safe(r.model)}): overall {r.overall}/100")
            for line in r.feedback[:3]:
                self.console.print(f"  • {safe(line)}")
        elif r.llm_error:
            self.console.print(f"[yellow]LLM judge unavailable for {safe(answer.audio)} ({safe(r.llm_error)}); the offline rubric stands.[/yellow]")

    def skipped_follow_up(self, reason) -> None:
        self.console.print(f"[dim]Follow-up skipped: {safe(reason)}.[/dim]")

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def meter(level: float, elapsed: float, max_s: float, hint: str = ""):
    """One line: REC, elapsed / limit, a 20-cell level bar, a hint."""
    from rich.text import Text

    width = 20
    filled = int(round(level * width))
    t = Text()
    t.append("● REC ", style="bold red")
    t.append(f"{int(elapsed) // 60:02d}:{int(elapsed) % 60:02d} / {int(max_s) // 60:02d}:{int(max_s) % 60:02d}  ")
    t.append("█" * filled, style="green" if level < 0.85 else "red")
    t.append("░" * (width - filled), style="dim")
    if hint:
        t.append(f"  {hint}", style="dim")
    return t


def show_feedback(console, answer, latency_s: float) -> None:
    """The feedback shown right after an answer: transcript, delivery, STAR, rubric."""
    from rich.table import Table

    res = answer.result
    if res is None:
        return
    t, d = res.transcript, res.delivery
    if t.no_speech:
        console.print("[yellow]No speech was heard in this answer. Check the microphone with 'voicemock devices'.[/yellow]")
        return
    console.print(f"[dim]“{safe(t.text if len(t.text) < 400 else t.text[:400] + '…')}”[/dim]")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("pace", f"{d.words_per_minute or 0:.0f} words/min", "fillers", f"{d.filler_count} ({d.fillers_per_minute or 0:.1f}/min)")
    table.add_row("long pauses", str(d.long_pause_count), "length", f"{d.answer_duration_s or t.duration_s or 0:.0f} s"
                  + (f" ({d.duration_verdict})" if d.duration_verdict else ""))
    st = res.structure
    if st is not None:
        parts = " ".join(k[0].upper() if getattr(st.parts, k).present else "·" for k in ("situation", "task", "action", "result"))
        table.add_row("STAR", parts, "I / we", f"{st.ownership.i} / {st.ownership.we}")
    console.print(table)
    r = res.rubric
    check = getattr(answer, "followup_check", None)
    if check is not None:
        console.print(f"Follow-up {'answered' if check.answered else '[yellow]not answered[/yellow]'}: {safe(check.why)}")
    if r is not None:
        judge = "offline rubric" if r.judge == "offline" else f"LLM rubric ({safe(r.model)})"
        label = "Question score with the follow-up" if check is not None else "Score"
        parts = f"S{r.star.situation} T{r.star.task} A{r.star.action} R{r.star.result}" if r.kind == "star" else f"{r.kind} rubric"
        console.print(f"[bold]{label} {r.overall}/100[/bold] [dim]({judge}, {safe(r.prompt_version)}; {parts})[/dim]")
        for line in r.feedback[:3]:
            console.print(f"  • {safe(line)}")
    if getattr(answer, "ended_by", None) == "end_of_file":  # a file is read faster than it was spoken
        console.print(f"[dim]scored in {latency_s:.2f} s[/dim]")
    else:
        console.print(f"[dim]feedback ready {latency_s:.2f} s after the answer ended[/dim]")


