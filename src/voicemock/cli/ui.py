"""Everything the CLI draws with rich, in one place: consoles, safe text, the live practice screen.

Text that comes from a session, a bank, a note, a path or an LLM reaches the terminal only through
:func:`safe` (for rich markup strings) or :func:`plain` (for rich ``Text`` and ``typer.echo``): control
characters and escape sequences are removed (:mod:`voicemock.textsafe`) and ``[brackets]`` cannot
turn into markup.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, Optional

from ..textsafe import printable

plain = printable


def safe(text: object) -> str:
    """Untrusted text for a rich markup string: printable, with markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


class LogFormatter(logging.Formatter):
    """Library warnings as ``voicemock: warning: ...`` (with -v: level and module too), made printable."""

    def __init__(self, detailed: bool = False) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s" if detailed else "voicemock: %(levelname)s: %(message)s")
        self.detailed = detailed

    def format(self, record: logging.LogRecord) -> str:
        if not self.detailed:  # one line, never a traceback: those are for -v
            record.levelname = record.levelname.lower()
            record.message = record.getMessage()
            return plain(self.formatMessage(record))
        return plain(super().format(record), keep_newlines=True)


#: A quiet printed warning this long before --max-answer-s.
WARN_BEFORE_END_S = 30.0
#: After --end-on-silence cuts in: this long to press Enter and go on with the answer.
GO_ON_S = 2.0


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


class EnterWatcher:
    """Reads lines from stdin in a daemon thread. While an answer records, Enter ends it (sets the
    ``current`` stop event); otherwise lines wait in a queue for :meth:`read` (think time, "go on",
    "next question")."""

    def __init__(self) -> None:
        import queue

        self.current: Optional[threading.Event] = None
        self.alive = False
        self.lines: queue.Queue[str] = queue.Queue()
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            return
        self.alive = True
        threading.Thread(target=self._run, args=(stdin,), name="voicemock-enter", daemon=True).start()

    def _run(self, stdin) -> None:
        try:
            for line in stdin:
                ev = self.current
                if ev is not None:
                    ev.set()
                else:
                    self.lines.put(line.strip())
        except (OSError, ValueError):
            pass
        self.alive = False  # EOF: answers end at --max-answer-s or --end-on-silence
        self.lines.put("\x04")  # wake a reader: there will be no more input

    def read(self, timeout: Optional[float] = None) -> Optional[str]:
        """The next line (without its newline), or None at the timeout or when stdin has ended."""
        import queue

        if not self.alive and self.lines.empty():
            return None
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        return None if line == "\x04" else line

    def drain(self) -> None:
        """Forget lines typed while nothing asked (e.g. during the question)."""
        import queue

        while True:
            try:
                if self.lines.get_nowait() == "\x04":
                    self.lines.put("\x04")
                    return
            except queue.Empty:
                return


class RichUI:
    """The practice loop's callbacks drawn with rich (stderr when --json keeps stdout for JSON)."""

    def __init__(self, console, enter: Optional[EnterWatcher], interactive: bool) -> None:
        self.console = console
        self.enter = enter
        self.interactive = interactive
        self._live: Any = None  # rich.live.Live while recording on a terminal
        self._wait: Any = None  # Waiting, while the answer is being scored
        self._warned = False
        self._silence_s = 0.0
        self._scored: dict[int, float] = {}
        self._wait_live: Any = None
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
        self._silence_s = options.end_on_silence_s or 0.0
        self._warned = False
        self._from_file = from_file
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
        left = self._max_s - elapsed
        if WARN_BEFORE_END_S >= left > 0 and not self._warned and self._max_s > 2 * WARN_BEFORE_END_S:
            self._warned = True  # once per answer, above the meter
            self.console.print(f"[yellow]{WARN_BEFORE_END_S:.0f} seconds left: start wrapping up with the result.[/yellow]")
        if self._live is not None:
            self._live.update(self._meter(level, elapsed))

    # --- the flow of a round ---

    @property
    def _can_ask(self) -> bool:
        return self.interactive and self.enter is not None and self.enter.alive

    def think(self, seconds) -> None:
        if seconds <= 0 or not self._can_ask:
            return
        assert self.enter is not None
        self.enter.drain()
        self.console.print(f"[dim]Take up to {seconds:g} s to think; press Enter to start answering.[/dim]")
        self.enter.read(timeout=seconds)

    def offer_continue(self, recording) -> bool:
        if not self._can_ask:
            return False
        assert self.enter is not None
        self.enter.drain()
        self.console.print(f"[yellow]Stopped after {self._silence_s:g} s of silence.[/yellow] "
                           f"Press Enter within {GO_ON_S:g} s to go on with this answer.")
        if self.enter.read(timeout=GO_ON_S) is None:
            return False
        self.console.print("[dim]Going on...[/dim]")
        return True

    def scored(self, answer, latency_s) -> None:
        self._stop_wait()
        self._scored[id(answer)] = latency_s
        if answer.kind == "main" and answer.result is not None:
            self.console.print(f"[dim]Answer saved ({answer.duration_s or 0:.0f} s).[/dim]")

    def between(self, question, last) -> None:
        if not self._can_ask:
            return
        assert self.enter is not None
        self.enter.drain()
        extras = []
        if question.example:
            extras.append("e = example answer")
        if question.common_mistakes:
            extras.append("m = common mistakes")
        prompt = ("Enter to finish" if last else "Enter for the next question") + (
            " · " + " · ".join(extras) if extras else "")
        while True:
            self.console.print(f"[bold]{safe(prompt)}[/bold]")
            line = self.enter.read()
            if line is None or line == "":
                return
            if line.lower().startswith("e") and question.example:
                self.console.print("[bold]An example of a strong answer[/bold]")
                self.console.print(wrap(question.example, self.console.width, indent="  ", first="  "),
                                   markup=False, highlight=False)
            elif line.lower().startswith("m") and question.common_mistakes:
                self.console.print("[bold]Common mistakes[/bold]")
                bullets(self.console, question.common_mistakes)

    def recorded(self, recording) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self.enter is not None:
            self.enter.current = None
        why = {"stop": "you pressed Enter", "max": "time limit", "silence": "silence", "end_of_file": "end of file",
               "disk_full": "disk full"}.get(recording.ended_by, recording.ended_by)
        self.console.print(f"[dim]Recorded {recording.duration_s:.1f} s ({why}).[/dim]")
        self._start_wait()

    def working(self, what) -> None:
        if self._wait is not None:  # a terminal: the spinner line says it (piped output stays quiet)
            self._wait.what = what

    def _start_wait(self) -> None:
        self._stop_wait()
        if self.console.is_terminal:
            from rich.live import Live

            self._wait = Waiting("finishing the transcript")
            self._wait_live = Live(self._wait, console=self.console, refresh_per_second=8, transient=True)
            self._wait_live.start()

    def _stop_wait(self) -> None:
        if self._wait_live is not None:
            self._wait_live.stop()
        self._wait = self._wait_live = None

    def feedback(self, answer, latency_s) -> None:
        self._stop_wait()
        show_feedback(self.console, answer, latency_s, from_file=getattr(self, "_from_file", False))

    def feedback_update(self, answer) -> None:
        r = answer.result.rubric if answer.result else None
        if r is None:
            return
        if r.judge == "llm":
            self.console.print(f"[bold]LLM rubric[/bold] for {safe(answer.audio)} ({safe(r.model)}): overall {r.overall}/100")
            bullets(self.console, r.feedback[:3])
        elif r.llm_error:
            self.console.print(f"[yellow]LLM judge unavailable for {safe(answer.audio)} ({safe(r.llm_error)}); the offline rubric stands.[/yellow]")

    def index_failed(self, reason) -> None:
        self.console.print(f"[yellow]The session is saved, but the history index could not be updated "
                           f"({safe(reason)}). Practice goes on; run 'voicemock history --rebuild' later.[/yellow]")

    def skipped_follow_up(self, reason) -> None:
        self.console.print(f"[dim]Follow-up skipped: {safe(reason)}.[/dim]")

    def close(self) -> None:
        self._stop_wait()
        if self._live is not None:
            self._live.stop()
            self._live = None


class Waiting:
    """A spinner with what is being done and for how long, shown once a wait passes ``after_s``."""

    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, what: str, after_s: float = 1.0) -> None:
        import time

        self.what = what
        self.after_s = after_s
        self.t0 = time.monotonic()

    def __rich__(self):
        import time

        from rich.text import Text

        elapsed = time.monotonic() - self.t0
        if elapsed < self.after_s:
            return Text("")
        frame = self.FRAMES[int(elapsed * 8) % len(self.FRAMES)]
        return Text(f"{frame} {plain(self.what)}... {elapsed:.1f} s", style="dim")


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


def show_feedback(console, answer, latency_s: float, from_file: bool = False) -> None:
    """The feedback shown right after an answer: transcript, delivery, STAR, rubric."""
    from rich.table import Table

    res = answer.result
    if res is None:
        return
    t, d = res.transcript, res.delivery
    if t.no_speech:
        where = ("the answer file holds silence or noise" if from_file
                 else "check the microphone with 'voicemock devices'")
        console.print(f"[yellow]No speech was heard in this answer: {where}.[/yellow]")
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
        bullets(console, r.feedback[:3])
    if getattr(answer, "ended_by", None) == "end_of_file":  # a file is read faster than it was spoken
        console.print(f"[dim]scored in {latency_s:.2f} s[/dim]")
    else:
        console.print(f"[dim]feedback ready {latency_s:.2f} s after the answer ended[/dim]")




# --- 80 columns: history, progress, plan -----------------------------------------------------------

#: How progress shows each metric: a short name and how to print a value.
METRIC_VIEW = {
    "overall": ("score (0-100)", "{:.0f}"),
    "words_per_minute": ("pace (words/min)", "{:.0f}"),
    "fillers_per_minute": ("fillers per min", "{:.1f}"),
    "long_pauses_per_answer": ("long pauses/answer", "{:.1f}"),
    "star_result": ("result (1-5)", "{:.1f}"),
    "star_action": ("action (1-5)", "{:.1f}"),
    "situation_share": ("situation share", "{:.0%}"),
    "i_share": ("'I' in actions", "{:.0%}"),
}
VERDICT = {True: "better", False: "worse", None: "same"}


def _num(value, pattern: str = "{:.1f}") -> str:
    return "-" if value is None else pattern.format(value)


def history_view(console, rows) -> None:
    """Sessions oldest first. Wide terminals get one table row per session; narrow ones two lines
    per session, so the id (which review, erase and --retry need) is never cut."""
    from rich.table import Table

    if not rows:
        console.print("no sessions indexed yet (try 'voicemock history --rebuild')")
        return
    id_width = max(len(r.id) for r in rows) + (7 if any(r.copy_of for r in rows) else 0)
    if console.width < id_width + 62:
        _history_lines(console, rows)
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name in ("date", "id", "score", "fillers/min", "wpm", "qs", "judge"):
        table.add_column(name, no_wrap=True, justify="right" if name in ("score", "fillers/min", "wpm", "qs") else "left")
    for r in rows:
        sid = safe(r.id) + (" (copy)" if r.copy_of else "")
        table.add_row(safe(r.started_at.replace("T", " ")[:16]), sid, _num(r.overall, "{:.0f}"),
                      _num(r.fillers_per_minute), _num(r.words_per_minute, "{:.0f}"), str(r.questions),
                      safe(r.judge or "-"))
    console.print(table)


def _history_lines(console, rows) -> None:
    """The narrow history: the numbers on one line, the id on the next (cut only when it is wider
    than the terminal: one long id must not push every session's numbers off the screen)."""
    from rich.markup import escape

    console.print(f"[bold]{'date':<16}  {'score':>5}  {'fillers/min':>11}  {'wpm':>4}  {'qs':>3}[/bold]")
    for r in rows:
        console.print(escape(f"{safe(r.started_at.replace('T', ' ')[:16]):<16}  {_num(r.overall, '{:.0f}'):>5}  "
                             f"{_num(r.fillers_per_minute):>11}  {_num(r.words_per_minute, '{:.0f}'):>4}  "
                             f"{r.questions:>3}"), no_wrap=True, overflow="ellipsis")
        sid = safe(r.id) + (" (copy)" if r.copy_of else "")
        console.print(f"  [dim]{escape(sid)}[/dim]", no_wrap=True, overflow="ellipsis")


def progress_view(console, trends) -> None:
    """One row per metric: first, last, the change in words (better / worse / same), recent values."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name, justify in (("metric", "left"), ("first", "right"), ("last", "right"), ("trend", "left"),
                          ("recent (oldest first)", "left")):
        table.add_column(name, no_wrap=name != "recent (oldest first)", justify=justify)  # type: ignore[arg-type]
    keep = max(3, min(8, (console.width - 50) // 6))
    for t in trends:
        label, pattern = METRIC_VIEW.get(t.metric.key, (t.metric.label, "{:g}"))
        verdict = "-" if len(t.points) < 2 else VERDICT[t.improving]
        recent = " ".join(pattern.format(p[2]) for p in t.points[-keep:])
        table.add_row(label, _num(t.first, pattern), _num(t.last, pattern), verdict, recent or "-")
    console.print(table)


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> str:
    """``text`` wrapped at word boundaries to ``width``, later lines indented (hanging indent)."""
    import textwrap

    return textwrap.fill(plain(text), width=max(40, width), initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def plan_view(width: int, p, default_bank: str | None = None) -> str:
    """The plan as text that fits ``width`` columns: each area, its advice, questions and commands
    (a command is never wrapped, so it can be copied; ``--bank`` only when not the default)."""
    lines = [wrap(f"Based on your last {p.sessions_used} session(s) (bank {p.bank}):", width)]
    for i, item in enumerate(p.items, start=1):
        lines.append("")
        lines.append(wrap(f"{item.area.title}: {item.why}", width, indent="   ", first=f"{i}. "))
        lines.append(wrap(item.area.advice, width, indent="   "))
        for qid, text in item.questions:
            lines.append(wrap(f"{qid}: {text}", width, indent="     ", first="   - "))
            bank = "" if p.bank == default_bank else f" --bank {p.bank}"
            cmd = plain(f"     $ voicemock practice{bank} --question-id {qid}")
            if len(cmd) > width and bank:  # a shell line continuation keeps it copyable
                cmd = plain(f"     $ voicemock practice{bank} \\\n         --question-id {qid}", keep_newlines=True)
            lines.append(cmd)
    if p.note:
        lines += ["", wrap(p.note, width)]
    return "\n".join(lines)


def bullets(console, items, marker: str = "  • ") -> None:
    """Feedback lines with a hanging indent: wrapped lines start under the text, not the bullet."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(marker, Text(plain(item)))
    console.print(grid)
