"""``voicemock practice``, ``voicemock devices``, ``voicemock demo``: the spoken mock round.

The loop itself is :mod:`voicemock.session`; this module only turns options into
:class:`~voicemock.session.PracticeOptions`, draws the UI (rich) through the loop's callbacks and
reads Enter from stdin to end an answer.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import List, Optional

import typer

from ._common import app, fail, print_json, user_errors

DEMO_RATE = 170  # words per minute for the demo answer (about 50 s)


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
        self._live = None
        self._max_s = 0.0
        self._hint = ""
        self._short = ""

    def session_started(self, folder, session) -> None:
        self.console.print(f"[dim]Session {session.id}: saving to {folder}[/dim]")

    def asking(self, number, total, question, text, kind) -> None:
        self.console.print()
        if kind == "main":
            self.console.rule(f"[bold]Question {number}/{total}[/bold]  [dim]{question.id} · {question.difficulty}[/dim]")
        else:
            self.console.print("[bold]Follow-up[/bold]")
        self.console.print(f"[bold cyan]{text}[/bold cyan]")

    def speaker_failed(self, reason) -> None:
        self.console.print(f"[yellow]Cannot speak the question ({reason}); read it above. Going on without speech.[/yellow]")

    def recording(self, path, stop, options, from_file) -> None:
        self._max_s = options.max_s
        if from_file:
            self.console.print(f"[dim]Answer from file -> {path.name}[/dim]")
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

            self._live = Live(self._meter(0.0, 0.0), console=self.console, refresh_per_second=10, transient=True)
            self._live.start()
        else:
            self.console.print(self._hint)

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
            self.console.print(f"[bold]LLM rubric[/bold] for {answer.audio} ({r.model}): overall {r.overall}/100")
            for line in r.feedback[:3]:
                self.console.print(f"  • {line}")
        elif r.llm_error:
            self.console.print(f"[yellow]LLM judge unavailable for {answer.audio} ({r.llm_error}); the offline rubric stands.[/yellow]")

    def skipped_follow_up(self, reason) -> None:
        self.console.print(f"[dim]Follow-up skipped: {reason}.[/dim]")

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
    console.print(f"[dim]“{t.text if len(t.text) < 400 else t.text[:400] + '…'}”[/dim]")
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
    if r is not None:
        judge = "offline rubric" if r.judge == "offline" else f"LLM rubric ({r.model})"
        console.print(f"[bold]Score {r.overall}/100[/bold] [dim]({judge}, {r.prompt_version}; S{r.star.situation} T{r.star.task} A{r.star.action} R{r.star.result})[/dim]")
        for line in r.feedback[:3]:
            console.print(f"  • {line}")
    if getattr(answer, "ended_by", None) == "end_of_file":  # a file is read faster than it was spoken
        console.print(f"[dim]scored in {latency_s:.2f} s[/dim]")
    else:
        console.print(f"[dim]feedback ready {latency_s:.2f} s after the answer ended[/dim]")


def _console(to_stderr: bool):
    from rich.console import Console

    return Console(stderr=to_stderr, highlight=False)


def _judge_options(kind: str, cfg):
    from ..rubric import JudgeOptions

    return JudgeOptions.from_config(cfg, judge=kind)


def run_practice(options, *, speaker, console, interactive: bool, as_json: bool, model=None, device="auto",
                 on_done=None):
    """Build the loop, run it, report where the session is. Returns the outcome."""
    from ..asr import AsrOptions, Transcriber
    from ..session import PracticeSession

    enter = EnterWatcher() if interactive else None
    ui = RichUI(console, enter, interactive)
    transcriber = Transcriber(AsrOptions(model=model, device=device))
    loop = PracticeSession(options, transcriber=transcriber, speaker=speaker, ui=ui)
    try:
        outcome = loop.run()
    finally:
        ui.close()
    s = outcome.session
    done = sum(1 for a in s.answers if a.complete)
    console.print()
    if outcome.interrupted:
        partial = [a.audio for a in s.answers if not a.complete]
        console.print(f"[yellow]Interrupted.[/yellow] {done} finished answer(s)"
                      + (f" and the partial one ({', '.join(partial)})" if partial else "")
                      + f" are saved in {outcome.folder}")
    else:
        console.print(f"Session saved: {outcome.folder} ({done} answer(s)). Review it with 'voicemock review {outcome.folder}'.")
    if on_done is not None:
        on_done(outcome)
    if as_json:
        print_json(s.model_dump(mode="json"))
    if outcome.interrupted:
        raise typer.Exit(130)
    return outcome


@app.command("practice")
@user_errors
def practice_cmd(
    bank: Optional[str] = typer.Option(None, "--bank", help="Question bank (default from config, else amazon)."),
    count: Optional[int] = typer.Option(None, "--count", min=1, help="Main questions to ask (default 3, or one per --answer-file)."),
    difficulty: Optional[str] = typer.Option(None, "--difficulty", help="easy, medium or hard (fixed; otherwise adaptive)."),
    category: Optional[str] = typer.Option(None, "--category", help="Only this category (default: behavioral questions)."),
    tag: Optional[str] = typer.Option(None, "--tag", help="Only questions with this tag, e.g. Ownership."),
    question_id: List[str] = typer.Option([], "--question-id", help="Ask this question (repeatable, in order)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Make the question choice reproducible."),
    no_tts: bool = typer.Option(False, "--no-tts", help="Print the questions only; do not speak them."),
    answer_file: List[Path] = typer.Option([], "--answer-file", help="Recorded answer instead of the microphone (repeatable, in order; non-interactive)."),
    judge: Optional[str] = typer.Option(None, "--judge", help="offline or llm (LLM result follows the offline one)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for session folders (default ./recordings)."),
    max_answer_s: Optional[float] = typer.Option(None, "--max-answer-s", min=1.0, help="Longest answer in seconds (default 300)."),
    end_on_silence: Optional[float] = typer.Option(None, "--end-on-silence", min=0.5, help="End an answer after this many seconds of silence (off by default)."),
    no_follow_up: bool = typer.Option(False, "--no-follow-up", help="Do not ask follow-up probes."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved session's JSON at the end (the UI goes to stderr)."),
    voice: Optional[str] = typer.Option(None, "--voice", help="TTS voice (id, name or language such as en-gb)."),
    rate: Optional[int] = typer.Option(None, "--rate", min=60, max=400, help="TTS speaking rate in words per minute."),
    model: Optional[str] = typer.Option(None, "--model", help="Whisper model folder or name (default: embedded tiny.en)."),
    retry: Optional[str] = typer.Option(None, "--retry", help="SESSION:QID: answer an earlier question again and compare."),
) -> None:
    """A spoken mock round: hear each question, answer out loud, get feedback about a second later."""
    from ..audio import RecordOptions
    from ..config import load_config
    from ..session import PracticeOptions
    from ..speech import make_speaker

    cfg = load_config()
    judge = judge or cfg.judge
    from ..rubric import JUDGES

    if judge not in JUDGES:
        raise fail(f"--judge must be {' or '.join(JUDGES)}, not {judge!r}", 2)
    if difficulty is not None and difficulty not in ("easy", "medium", "hard"):
        raise fail(f"--difficulty must be easy, medium or hard, not {difficulty!r}", 2)
    for p in answer_file:
        if not p.is_file():
            raise fail(f"--answer-file {p}: no such file", 2)
    target = None
    if retry:
        from ..retry import find_retry

        target = find_retry(retry, [cfg.recordings_path(out)])
        bank, question_id, count = target.bank, [target.question_id], 1
    options = PracticeOptions(
        bank=bank or cfg.bank, count=count, difficulty=difficulty, category=category, tag=tag,
        question_ids=list(question_id), seed=seed, follow_up=not no_follow_up, answer_files=list(answer_file),
        out=cfg.recordings_path(out),
        record=RecordOptions(max_s=max_answer_s or cfg.max_answer_s, end_on_silence_s=end_on_silence),
        judge=judge, judge_options=_judge_options(judge, cfg),
    )
    console = _console(as_json)
    speaker = make_speaker(no_tts=no_tts, voice=voice or cfg.tts_voice, rate=rate or cfg.tts_rate)
    reason = getattr(speaker, "reason", "")
    if reason and reason != "--no-tts":
        console.print(f"[yellow]No speech output ({reason}); the questions are printed only.[/yellow]")
    run_practice(options, speaker=speaker, console=console, interactive=not answer_file, as_json=as_json,
                 model=model or cfg.model, device=cfg.device,
                 on_done=(lambda outcome: _compare_retry(console, target, retry, outcome)) if target else None)


def _compare_retry(console, target, spec: str, outcome) -> None:
    """--retry: show how the new answer compares with the earlier one (saved in settings too)."""
    from ..retry import describe, record_retry

    changes = record_retry(outcome.folder, outcome.session, target, spec)
    if changes is None:
        return
    console.print(f"[bold]Compared with {spec}:[/bold]")
    for line in describe(changes):
        console.print(f"  {line}")


@app.command("demo")
@user_errors
def demo_cmd(
    bank: str = typer.Option("amazon", "--bank", help="Question bank."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for session folders (default ./recordings)."),
    no_tts: bool = typer.Option(False, "--no-tts", help="Do not speak the question aloud."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved session's JSON at the end."),
) -> None:
    """A complete session without a microphone: a built-in sample answer is spoken to a file and scored."""
    import tempfile

    from ..audio import RecordOptions
    from ..banks import load_bank
    from ..config import load_config
    from ..demo_answer import DEMO_ANSWER, demo_question_id
    from ..session import PracticeOptions
    from ..speech import make_speaker, synthesize_to_file

    cfg = load_config()
    qid = demo_question_id(load_bank(bank))
    console = _console(as_json)
    with tempfile.TemporaryDirectory(prefix="voicemock-demo-") as tmp:
        console.print("[dim]Speaking the sample answer to a file (text-to-speech)...[/dim]")
        wav = synthesize_to_file(DEMO_ANSWER, Path(tmp) / "demo-answer.wav", voice=cfg.tts_voice, rate=DEMO_RATE)
        options = PracticeOptions(
            bank=bank, count=1, question_ids=[qid], follow_up=False, answer_files=[wav],
            out=cfg.recordings_path(out), record=RecordOptions(max_s=cfg.max_answer_s), judge="offline",
        )
        speaker = make_speaker(no_tts=no_tts, voice=cfg.tts_voice, rate=cfg.tts_rate)
        run_practice(options, speaker=speaker, console=console, interactive=False, as_json=as_json,
                     model=cfg.model, device=cfg.device)


@app.command("devices")
@user_errors
def devices_cmd(
    seconds: float = typer.Option(5.0, "--seconds", min=0.0, help="Length of the microphone level check (0: skip)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List input and output devices and check the microphone level for a few seconds."""
    from ..audio import level_check, list_devices

    devices = list_devices()
    result: dict = {"devices": devices, "level_check": None}
    console = _console(as_json)
    if not as_json:
        from rich.table import Table

        table = Table("#", "name", "host API", "in", "out", "default")
        for d in devices:
            flags = " ".join(x for x, on in (("input", d["default_input"]), ("output", d["default_output"])) if on)
            table.add_row(str(d["index"]), d["name"], d["hostapi"], str(d["inputs"]), str(d["outputs"]), flags)
        console.print(table)
    if not any(d["inputs"] for d in devices):
        if as_json:
            print_json(result)
        raise fail("no input device found: connect a microphone, or use 'voicemock demo' / --answer-file")
    if seconds > 0:
        if not as_json:
            console.print(f"Checking the microphone for {seconds:g} s: say something...")
        live = None
        if console.is_terminal and not as_json:
            from rich.live import Live

            live = Live(meter(0, 0, seconds, "level check"), console=console, refresh_per_second=10, transient=True)
            live.start()
        try:
            check = level_check(seconds, on_level=(lambda lv, el: live.update(meter(lv, el, seconds, "level check")))
                                if live else None)
        finally:
            if live is not None:
                live.stop()
        result["level_check"] = check
        if not as_json:
            if check["all_zero"]:
                console.print("[red]The microphone delivered only zeros.[/red] On macOS allow microphone access for "
                              "this terminal (System Settings > Privacy & Security > Microphone); elsewhere unmute it.")
            elif check["peak_level"] < 0.3:
                console.print(f"[yellow]Very quiet (peak {check['peak_level']:.2f}).[/yellow] Move closer or raise the input volume.")
            else:
                console.print(f"[green]Microphone OK[/green] (peak level {check['peak_level']:.2f}, mean {check['mean_level']:.2f}).")
    if as_json:
        print_json(result)
