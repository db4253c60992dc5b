"""What reaches the terminal: text from banks, transcripts and sessions is shown as typed, never as
markup and never as terminal control sequences."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from voicemock.banks import Question
from voicemock.cli.ui import RichUI, safe, show_feedback
from voicemock.models import AnswerResult, Delivery, Rubric, SessionAnswer, StarScores, Transcript
from voicemock.textsafe import printable

HOSTILE = [
    "What is in [/etc]?",
    "[bold]not bold[/bold] [link=file:///etc/passwd]x[/link]",
    "title\x1b]0;pwned\x07 clear\x1b[2J\x1b[H hidden\x1b[8m clip\x1b]52;c;ZXZpbA==\x07 bell\x07 end",
    "right-to-left \u202eevil\u202c",
]


def _console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=True, color_system="truecolor", width=200, highlight=False), buf


@pytest.mark.parametrize("text", HOSTILE)
def test_printable_removes_every_escape_and_control(text):
    out = printable(text)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[/etc]" in printable("What is in [/etc]?")


def test_printable_keeps_ordinary_text_and_shows_controls_visibly():
    assert printable("I saved $40,000 — 30% faster.") == "I saved $40,000 — 30% faster."
    assert printable("a\x00b") == "a\\x00b" and printable("tab\there") == "tab here"
    assert printable("two\nlines", keep_newlines=True) == "two\nlines"


@pytest.mark.parametrize("text", HOSTILE)
def test_question_and_feedback_print_as_typed_without_escapes(text):
    console, buf = _console()
    ui = RichUI(console, None, interactive=False)
    q = Question(id="q1", text="Q", difficulty="easy", category="behavioral", guidance="g")
    ui.asking(1, 1, q, text, "main")
    result = AnswerResult(source="a", transcript=Transcript(text=text), delivery=Delivery(),
                          rubric=Rubric(judge="offline", prompt_version="v", overall=50,
                                        star=StarScores(situation=3, task=3, action=3, result=3), feedback=[text]))
    show_feedback(console, SessionAnswer(question_id="q1", question=text, result=result), 0.2)
    out = buf.getvalue()
    # rich's own colours are there, the data's sequences are not
    data_escapes = [seq for seq in ("\x1b]0;", "\x1b[2J", "\x1b[8m", "\x1b]52", "\x07", "\u202e") if seq in out]
    assert data_escapes == []
    plain_text = printable(text)
    assert plain_text.split()[0] in out


def test_safe_escapes_markup():
    console, buf = _console()
    console.print(f"[bold]{safe('[red]x[/red] [/etc]')}[/bold]")
    assert "[red]x[/red] [/etc]" in buf.getvalue()


def test_waiting_says_what_and_how_long_only_after_a_second():
    from voicemock.cli.ui import Waiting

    w = Waiting("finishing the transcript")
    assert str(w.__rich__()) == ""  # a quick answer shows nothing
    w.t0 -= 2.5
    w.what = "scoring delivery and structure"
    shown = str(w.__rich__())
    assert "scoring delivery and structure... 2.5 s" in shown


def test_practice_screen_shows_the_wait_and_clears_it_with_the_feedback():
    console, buf = _console()
    ui = RichUI(console, None, interactive=True)

    class Rec:
        duration_s, ended_by = 3.0, "stop"

    ui.recorded(Rec())
    assert ui._wait is not None
    ui.working("scoring")
    assert ui._wait.what == "scoring"
    result = AnswerResult(source="a", transcript=Transcript(text="hi"), delivery=Delivery())
    ui.feedback(SessionAnswer(question_id="q1", question="Q", result=result), 1.2)
    assert ui._wait is None and "feedback ready 1.20 s" in buf.getvalue()
