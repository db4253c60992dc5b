"""``voicemock score PATH...``: transcribe and score recorded answers (or .txt transcripts)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ._common import DeviceChoice, JudgeChoice, app, echo_err, fail, print_json, require_utf8, user_errors, value
from .ui import bullets, plain, safe


@app.command("score")
@user_errors
def score_cmd(
    paths: list[Path] = typer.Argument(..., metavar="PATH", help="Audio files (wav, flac, mp3, ogg, m4a) or .txt transcripts."),
    question: str | None = typer.Option(None, "--question", metavar="TEXT", help="The question that was answered."),
    bank: str | None = typer.Option(None, "--bank", metavar="BANK", help="Bank of --question-id (default: config.toml's bank, else amazon)."),
    question_id: str | None = typer.Option(None, "--question-id", metavar="ID", help="The bank question that was answered (its kind chooses the rubric)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file, one per line."),
    model: str | None = typer.Option(None, "--model", metavar="MODEL", help="Local CTranslate2 Whisper folder or a faster-whisper model name (default: embedded tiny.en)."),
    device: DeviceChoice | None = typer.Option(None, "--device", help="Where Whisper runs (default: config.toml's device, else auto)."),
    judge: JudgeChoice | None = typer.Option(None, "--judge", help="Rubric judge (default: config.toml's judge, else offline)."),
    llm_base_url: str | None = typer.Option(None, "--llm-base-url", metavar="URL", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (default: OPENAI_BASE_URL, else OpenAI)."),
    llm_model: str | None = typer.Option(None, "--llm-model", metavar="NAME", help="Model name on that server (default: OPENAI_MODEL, else the server's first model)."),
) -> None:
    """Transcribe and score spoken answers: pace, pauses, fillers, hedges, STAR structure."""
    import logging

    from ..asr.whisper import AsrOptions, WhisperTranscriber
    from ..config import load_config
    from ..errors import VoicemockError
    from ..scoring.pipeline import score_file

    log = logging.getLogger("voicemock.cli.score")
    cfg = load_config()
    model = model or cfg.model
    device_name = value(device) or cfg.device
    require_utf8("--question", question)
    question = question.strip() if question is not None and question.strip() else None  # blank: no question
    q = _resolve_question(question, bank, question_id, cfg.bank, bank_chosen="bank" in cfg.model_fields_set)
    judge_obj = _make_judge(cfg, value(judge), llm_base_url, llm_model)
    audio_files = [p for p in paths if p.suffix.lower() != ".txt"]
    from ..threads import budget

    plan = budget(cfg.threads, parallel_files=len(audio_files))
    workers = plan.whisper_workers
    transcriber = WhisperTranscriber(AsrOptions(model=model, device=device_name, num_workers=workers,
                                                cpu_threads=plan.whisper_threads))
    if audio_files:
        transcriber.load()  # once, before any file; a bad --model fails here with one message

    def run(path: Path):
        try:
            return score_file(path, transcriber, question=q, judge=judge_obj, max_s=cfg.max_score_s), None
        except VoicemockError as exc:
            msg = str(exc)
            return None, msg if msg.startswith(str(path)) else f"{path}: {msg}"
        except Exception as exc:  # keep scoring the other files; a bug still gets reported
            log.debug("unexpected error on %s", path, exc_info=True)
            return None, f"{path}: unexpected error: {type(exc).__name__}: {exc}"

    failed = 0

    def report(outcome) -> None:  # each file as soon as it is scored: a stop later keeps what was shown
        nonlocal failed
        result, error = outcome
        if error:
            failed += 1
            echo_err(f"voicemock: error: {error}")
        elif as_json:
            print_json(result.model_dump(mode="json"))
            sys.stdout.flush()
        else:
            _print_report(result)

    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for outcome in pool.map(run, paths):  # in the order given
                report(outcome)
    else:
        for p in paths:
            report(run(p))
    if failed:
        raise typer.Exit(1)


def _make_judge(cfg, kind: str | None, base_url: str | None, model: str | None):
    from ..rubric import JudgeOptions, make_judge

    return make_judge(JudgeOptions.from_config(cfg, judge=kind, base_url=base_url, model=model))


def _resolve_question(question: str | None, bank: str | None, question_id: str | None, default_bank: str,
                      bank_chosen: bool = False):
    """--question TEXT, or --question-id ID from --bank (default: the configured bank). With no bank
    chosen (no --bank, none in config.toml), an id the default bank lacks is looked up in the others."""
    if question and question_id:
        raise fail("use either --question TEXT or --question-id ID, not both", 2)
    if question_id:
        from ..banks import load_bank, question_in_one_bank
        from ..errors import BankError

        try:
            return load_bank(bank or default_bank).question(question_id)
        except BankError:
            if bank or bank_chosen:  # the user chose the bank: its own message, with its ids
                raise
            found = question_in_one_bank(question_id)  # "gen-conflict" without --bank: the one bank that has it
            if found is None:
                raise
            return found
    if bank:
        raise fail("--bank chooses where --question-id is looked up; give --question-id too", 2)
    return question


def _print_report(result) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..rubric.coverage import covered_words

    console = Console(highlight=False)
    d = result.delivery
    t = result.transcript
    console.rule(f"[bold]{safe(result.source)}")
    if result.question:
        console.print(f"[bold]Question:[/bold] {safe(result.question)}")
    if t.no_speech and not d.filler_count:
        console.print("[yellow]No speech detected.[/yellow]")
        return
    if t.no_speech:
        console.print(f"[yellow]No words, only {d.filler_count} hesitation(s).[/yellow]")
    console.print(_marked_transcript(t, d.fillers, Text))
    table = Table("metric", "value", show_header=False, box=None, pad_edge=False)

    def row(name: str, value) -> None:
        table.add_row(name, "-" if value is None else safe(value))

    row("words", d.word_count)
    row("answer length", _secs(d.answer_duration_s) + (f" (target {d.duration_target_s[0]:.0f}-{d.duration_target_s[1]:.0f} s: {d.duration_verdict})" if d.duration_target_s and d.duration_verdict else ""))
    from ..rubric.feedback import hedge_summary, missed_aims

    aims = missed_aims(d)

    def aim(value, key: str):  # a measure that misses its aim shows the aim beside it
        return f"{value} ({aims[key]})" if key in aims and value else value

    row("pace (words/min)", aim(d.words_per_minute, "pace"))
    row("pace while speaking", d.speaking_words_per_minute)
    row("lead-in", _secs(d.lead_in_s))
    acoustic = sum(1 for f in d.fillers if f.source == "acoustic" and f.confidence >= d.filler_confidence_min)
    notes = ([f"{acoustic} heard only in the audio"] if acoustic else []) + (
        [f"{d.uncertain_filler_count} uncertain, not counted"] if d.uncertain_filler_count else [])
    row("fillers", f"{d.filler_count} ({'; '.join(notes)})" if notes else d.filler_count)
    row("fillers per minute", aim(d.fillers_per_minute, "fillers_per_minute"))
    row(f"pauses >= {d.pause_threshold_s:g} s", d.long_pause_count)
    row("longest pause", _secs(d.longest_pause_s))
    row("hedges", aim(hedge_summary(d), "hedges") or "none")
    row("repeats", ", ".join(f"{r.text} x{r.count}" for r in d.repetitions) or "none")
    if result.structure is not None:
        parts = result.structure.parts
        if result.rubric is None or result.rubric.kind == "star":  # the parts of a story, where one is asked for
            row("STAR parts", " ".join(k[0].upper() if getattr(parts, k).present else "-"
                                       for k in ("situation", "task", "action", "result")))
    r = result.rubric
    if r is not None:
        judge = "offline rubric" if r.judge == "offline" else f"LLM rubric, {r.model}"
        if r.kind == "star":
            row("score", f"{r.overall}/100 ({judge}, {r.prompt_version}; S{r.star.situation} T{r.star.task} "
                         f"A{r.star.action} R{r.star.result} of 5)")
        else:
            row("score", f"{r.overall}/100 ({judge}, {r.prompt_version}; {r.kind} rubric, covered: {covered_words(r.criteria)})")
        if r.topic is not None:
            # the offline check flags what it sees and misses many off-topic answers (docs/rubric.md):
            # a pass is "no sign", not a confirmation
            passed = "no sign of another question" if r.topic.judge == "offline" else "yes"
            if r.topic.limited and r.topic.judge == "offline":
                passed = "not checked offline beyond the kind of answer (the LLM judge can check it)"
            row("on topic", passed if r.topic.on_topic else f"no: {r.topic.why}")
    console.print(table)
    if r is not None and r.llm_error:
        console.print(f"[yellow]LLM judge not used: {safe(r.llm_error)}; the offline rubric scored this answer.[/yellow]")
    if r is not None and r.feedback:
        console.print("[bold]Feedback[/bold]")
        bullets(console, r.feedback, marker="  - ")
    if result.asr_model:
        from ..asr.embedded import display_name

        console.print(f"[dim]transcribed with {safe(display_name(result.asr_model))}[/dim]")


def _secs(v) -> str:
    return "-" if v is None else f"{v:.1f} s"


def _marked_transcript(t, fillers, Text):
    """Transcript with transcript fillers highlighted and acoustic ones inserted as [uh] ([uh?] dim when
    not sure enough to count)."""
    from ..models import glued
    from ..targets import FILLER_CONFIDENCE_MIN

    text = Text()
    acoustic = sorted((f for f in fillers if f.source == "acoustic" and f.start is not None), key=lambda f: f.start)
    spans = [(f.start, f.end) for f in fillers
             if f.source == "transcript" and f.kind == "discourse" and f.start is not None]
    k = 0
    for w in t.words:
        # before the word whose middle comes after it (Whisper often starts "The" over a leading "um")
        while k < len(acoustic) and w.start is not None and acoustic[k].start <= (w.start + (w.end or w.start)) / 2:
            sure = acoustic[k].confidence >= FILLER_CONFIDENCE_MIN
            text.append("[uh] " if sure else "[uh?] ", style="bold magenta" if sure else "dim magenta")
            k += 1
        timed_filler = _is_filler_word(w.word) or (w.start is not None and any(
            a <= w.start and w.end <= b for a, b in spans))
        if glued(w.word) and text.plain.endswith(" "):
            text.right_crop(1)  # "40" ",000" is one word on the screen, as Whisper wrote it
        text.append(plain(w.word) + " ", style="bold yellow" if timed_filler else None)
    for f in acoustic[k:]:
        sure = f.confidence >= FILLER_CONFIDENCE_MIN
        text.append("[uh] " if sure else "[uh?] ", style="bold magenta" if sure else "dim magenta")
    if not t.words:
        text.append(plain(t.text))
    return text


def _is_filler_word(word: str) -> bool:
    from ..scoring.lexicon import is_hesitation

    return is_hesitation("".join(c for c in word if c.isalpha()))
