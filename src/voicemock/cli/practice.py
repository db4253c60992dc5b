"""``voicemock practice``, ``voicemock devices``, ``voicemock demo``: the spoken mock round.

The loop itself is :mod:`voicemock.practice.loop`; this module only turns options into
:class:`~voicemock.practice.loop.PracticeOptions` and hands the loop the rich screen of
:mod:`voicemock.cli.ui`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Optional

import typer

from ._common import (
    DeviceChoice,
    DifficultyChoice,
    FeedbackChoice,
    JudgeChoice,
    app,
    echo_err,
    fail,
    print_json,
    require_utf8,
    user_errors,
    value,
)
from .ui import EnterWatcher, RichUI, meter, safe
from .ui import console as make_console

DEMO_RATE = 170  # words per minute for the demo answer (about 50 s)


def _judge_options(kind: str, cfg, base_url: Optional[str] = None, model: Optional[str] = None):
    from ..rubric import JudgeOptions

    return JudgeOptions.from_config(cfg, judge=kind, base_url=base_url, model=model)


def run_practice(options, *, speaker, console, interactive: bool, as_json: bool, model=None, device="auto",
                 on_done=None):
    """Build the loop, run it, report where the session is. Returns the outcome."""
    from ..asr.whisper import AsrOptions, WhisperTranscriber
    from ..practice.loop import PracticeSession

    enter = EnterWatcher() if interactive else None
    ui = RichUI(console, enter, interactive)
    from ..config import load_config

    transcriber = WhisperTranscriber(AsrOptions(model=model, device=device, cpu_threads=load_config().threads or 0))
    loop = PracticeSession(options, transcriber=transcriber, speaker=speaker, ui=ui)
    try:
        outcome = loop.run()
    finally:
        ui.close()
    s = outcome.session
    done = sum(1 for a in s.answers if a.complete)
    if outcome.signal is not None:  # kill or a closed terminal: one line (if anyone can see it), the signal's code
        from ..errors import signal_name

        with contextlib.suppress(OSError):
            echo_err(f"voicemock: stopped by {signal_name(outcome.signal)}; {done} finished answer(s) and "
                     f"the recording so far are saved in {safe(outcome.folder)}")
        raise typer.Exit(128 + outcome.signal)
    console.print()
    if outcome.interrupted:
        partial = [a.audio or "" for a in s.answers if not a.complete]
        console.print(f"[yellow]Interrupted.[/yellow] {done} finished answer(s)"
                      + (f" and the partial one ({safe(', '.join(partial))})" if partial else "")
                      + f" are saved in {safe(outcome.folder)}")
    else:
        console.print(f"Session saved: {safe(outcome.folder)} ({done} answer(s)). "
                      f"Review it with 'voicemock review {safe(outcome.session.id)}'.")
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
    bank: Optional[str] = typer.Option(None, "--bank", metavar="BANK", help="Question bank (default from config, else amazon)."),
    count: Optional[int] = typer.Option(None, "--count", min=1, metavar="N", help="Main questions to ask (default 3, or one per --answer-file)."),
    difficulty: Optional[DifficultyChoice] = typer.Option(None, "--difficulty", help="Fixed difficulty (otherwise adaptive)."),
    category: Optional[str] = typer.Option(None, "--category", metavar="CATEGORY", help="Only this category (default: behavioral questions)."),
    tag: Optional[str] = typer.Option(None, "--tag", metavar="TAG", help="Only questions with this tag, e.g. Ownership."),
    question_id: list[str] = typer.Option([], "--question-id", metavar="ID", help="Ask this question (repeatable, in order)."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="N", help="Make the question choice reproducible."),
    no_tts: bool = typer.Option(False, "--no-tts", help="Print the questions only; do not speak them."),
    answer_file: list[Path] = typer.Option([], "--answer-file", metavar="FILE", help="Recorded answer instead of the microphone (repeatable, in order; non-interactive)."),
    judge: Optional[JudgeChoice] = typer.Option(None, "--judge", help="The rubric judge (default from config, else offline); the LLM result follows the offline one."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Folder for session folders (default ./recordings)."),
    max_answer_s: Optional[float] = typer.Option(None, "--max-answer-s", min=1.0, max=3600.0, metavar="SECONDS", help="Longest answer in seconds (default 300)."),
    end_on_silence: Optional[float] = typer.Option(None, "--end-on-silence", min=0.5, metavar="SECONDS", help="End an answer after this many seconds of silence (off by default)."),
    no_follow_up: bool = typer.Option(False, "--no-follow-up", help="Do not ask follow-up probes."),
    think_s: float = typer.Option(0.0, "--think-s", min=0.0, max=300.0, metavar="SECONDS", help="Time to think after each question before recording starts (Enter starts earlier)."),
    feedback: FeedbackChoice = typer.Option(FeedbackChoice.each, "--feedback", help="Feedback after each question (and its follow-up), or all at the end."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved session's JSON at the end (the UI goes to stderr)."),
    voice: Optional[str] = typer.Option(None, "--voice", metavar="VOICE", help="TTS voice (id, name or language such as en-gb)."),
    rate: Optional[int] = typer.Option(None, "--rate", min=60, max=400, metavar="WPM", help="TTS speaking rate in words per minute."),
    input_device: Optional[str] = typer.Option(None, "--input-device", metavar="DEVICE", help="Microphone: its number in 'voicemock devices' or part of its name."),
    output_device: Optional[str] = typer.Option(None, "--output-device", metavar="DEVICE", help="Speaker for the questions: number or part of its name."),
    model: Optional[str] = typer.Option(None, "--model", metavar="MODEL", help="Whisper model folder or name (default: embedded tiny.en)."),
    device: Optional[DeviceChoice] = typer.Option(None, "--device", help="Where Whisper runs (default: config.toml's device, else auto)."),
    llm_base_url: Optional[str] = typer.Option(None, "--llm-base-url", metavar="URL", help="OpenAI-compatible server for --judge llm (default: config, else OPENAI_BASE_URL)."),
    llm_model: Optional[str] = typer.Option(None, "--llm-model", metavar="NAME", help="Model on that server (default: config, else OPENAI_MODEL)."),
    retry: Optional[str] = typer.Option(None, "--retry", metavar="SESSION:QID", help="SESSION:QID: answer an earlier question again and compare."),
) -> None:
    """A spoken mock round: hear each question, answer out loud, get feedback about a second later."""
    from ..audio.devices import parse_device
    from ..audio.recorder import RecordOptions
    from ..audio.tts import make_speaker
    from ..config import load_config
    from ..practice.loop import PracticeOptions

    cfg = load_config()
    judge_kind = value(judge) or cfg.judge
    require_utf8("--answer-file", *answer_file)
    require_utf8("--out", out)
    for p in answer_file:
        _check_answer_file(p)  # says what the path is when it is no audio: missing, a folder, a FIFO
    target = None
    if retry:
        from ..practice.retry import find_retry

        target = find_retry(retry, [cfg.recordings_path(out)])
        bank, question_id, count = target.bank, [target.question_id], 1
    options = PracticeOptions(
        bank=bank or cfg.bank, count=count, difficulty=value(difficulty), category=category, tag=tag,
        question_ids=list(question_id), seed=seed, follow_up=not no_follow_up, answer_files=list(answer_file),
        out=cfg.recordings_path(out),
        record=RecordOptions(max_s=max_answer_s or cfg.max_answer_s, end_on_silence_s=end_on_silence,
                             device=parse_device(input_device or cfg.input_device)),
        judge=judge_kind, judge_options=_judge_options(judge_kind, cfg, llm_base_url, llm_model),
        think_s=think_s, feedback=value(feedback),
    )
    console = make_console(as_json)
    speaker = make_speaker(no_tts=no_tts, voice=voice or cfg.tts_voice, rate=rate or cfg.tts_rate,
                           device=parse_device(output_device or cfg.output_device))
    reason = getattr(speaker, "reason", "")
    if reason and reason != "--no-tts":
        console.print(f"[yellow]No speech output ({safe(reason)}); the questions are printed only.[/yellow]")
    run_practice(options, speaker=speaker, console=console, interactive=not answer_file, as_json=as_json,
                 model=model or cfg.model, device=value(device) or cfg.device,
                 on_done=(lambda outcome: _compare_retry(console, target, retry or "", outcome)) if target else None)


def _compare_retry(console, target, spec: str, outcome) -> None:
    """--retry: show how the new answer compares with the earlier one (saved in settings too)."""
    from ..practice.retry import describe, record_retry

    changes = record_retry(outcome.folder, outcome.session, target, spec)
    if changes is None:
        return
    console.print(f"[bold]Compared with {safe(spec)}:[/bold]")
    for line in describe(changes):
        console.print(f"  {safe(line)}")


@app.command("demo")
@user_errors
def demo_cmd(
    bank: Optional[str] = typer.Option(None, "--bank", metavar="BANK", help="Question bank (default from config, else amazon)."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Folder for session folders (default ./recordings)."),
    no_tts: bool = typer.Option(False, "--no-tts", help="Do not speak the question aloud."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved session's JSON at the end."),
) -> None:
    """A complete session without a microphone: a built-in sample answer is spoken to a file and scored."""
    import tempfile

    from ..audio.recorder import RecordOptions
    from ..audio.tts import make_speaker, synthesize_to_file
    from ..banks import load_bank
    from ..config import load_config
    from ..practice.demo import DEMO_ANSWER, demo_question_id
    from ..practice.loop import PracticeOptions

    cfg = load_config()
    bank = bank or cfg.bank
    qid = demo_question_id(load_bank(bank))
    console = make_console(as_json)
    with tempfile.TemporaryDirectory(prefix="voicemock-demo-") as tmp:
        console.print("[dim]Speaking the sample answer to a file (text-to-speech)...[/dim]")
        wav = synthesize_to_file(DEMO_ANSWER, Path(tmp) / "demo-answer.wav", voice=cfg.tts_voice, rate=DEMO_RATE)
        options = PracticeOptions(
            bank=bank, count=1, question_ids=[qid], follow_up=False, answer_files=[wav], demo=True,
            out=cfg.recordings_path(out), record=RecordOptions(max_s=cfg.max_answer_s), judge="offline",
        )
        speaker = make_speaker(no_tts=no_tts, voice=cfg.tts_voice, rate=cfg.tts_rate)
        run_practice(options, speaker=speaker, console=console, interactive=False, as_json=as_json,
                     model=cfg.model, device=cfg.device)


@app.command("devices")
@user_errors
def devices_cmd(
    seconds: float = typer.Option(5.0, "--seconds", min=0.0, metavar="SECONDS", help="Length of the microphone level check (0: skip)."),
    input_device: Optional[str] = typer.Option(None, "--input-device", metavar="DEVICE", help="Check this microphone (number or part of its name)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List input and output devices (with the numbers --input-device and --output-device take)
    and check the microphone level for a few seconds."""
    from ..audio.devices import check_input_device, level_check, list_devices, parse_device
    from ..config import load_config

    device = parse_device(input_device or load_config().input_device)

    devices = list_devices()
    result: dict = {"devices": devices, "level_check": None}
    console = make_console(as_json)
    if not as_json:
        from rich.table import Table

        table = Table("#", "name", "host API", "in", "out", "default")
        for d in devices:
            flags = " ".join(x for x, on in (("input", d["default_input"]), ("output", d["default_output"])) if on)
            table.add_row(str(d["index"]), safe(d["name"]), safe(d["hostapi"]), str(d["inputs"]), str(d["outputs"]), flags)
        console.print(table)
        console.print("[dim]Choose with: voicemock practice --input-device N --output-device N "
                      "(or input_device / output_device in config.toml)[/dim]")
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
            check_input_device(device)
            check = level_check(seconds, device=device, on_level=(lambda lv, el: live.update(meter(lv, el, seconds, "level check")))
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


def _check_answer_file(path: Path) -> None:
    """Refuse an answer file that is not audio before a session folder is made for it."""
    from ..audio.decode import load_audio
    from ..errors import AudioError

    try:
        load_audio(path, max_s=1.0, truncate=True)  # the first second decodes: the file is audio
    except AudioError as exc:
        hint = (" practice replays recorded answers; to score a typed answer use 'voicemock score FILE.txt'"
                if path.suffix.lower() in (".txt", ".md", ".json") else "")
        raise fail(f"--answer-file {exc}.{hint}", 2) from None
