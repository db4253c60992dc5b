"""Terminal, HTML and Markdown reviews built from real session folders."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from sessionfactory import AnswerSpec, make_session
from voicemock.report.html import HtmlOptions, render_html
from voicemock.report.markdown import render_markdown
from voicemock.report.model import build_review, review_dict, tokens_for
from voicemock.report.terminal import render_terminal
from voicemock.sessions.annotations import add_annotation, load_annotations
from voicemock.sessions.read import load_session

XSS = "<script>window.__pwned=1</script>"


@pytest.fixture
def folder(tmp_path) -> Path:
    f = make_session(tmp_path / "rec", answers=[
        AnswerSpec("q01"),
        AnswerSpec("q02", chunks=[f"I wrote {XSS} [bold]x[/bold] in a **doc**.", "As a result we won."],
                   judge="llm", overall=75),
    ])
    add_annotation(f, "q01", "Result needs a number.", {"result": 2, "overall": 55}, coach="Ana")
    return f


def _view(folder):
    notes, problems = load_annotations(folder)
    return build_review(load_session(folder), notes, problems)


def test_tokens_mark_fillers_pauses_and_star_parts(folder):
    view = _view(folder)
    toks = view.answers[0].tokens
    kinds = [t.kind for t in toks]
    assert kinds.count("pause") == 2
    words = [t for t in toks if t.kind == "word"]
    assert [t.text for t in words if t.filler] == ["um"]
    # every word is labelled with its sentence's STAR part, in order S ... A ... R
    labels = [t.label for t in words]
    assert labels[0] == "S" and labels[-1] == "R" and "A" in labels and None not in labels
    # the first pause sits between the last S word and the first A word
    i = kinds.index("pause")
    assert toks[i - 1].label == "S" and toks[i + 1].label == "A"
    assert toks[i].text == "1.6s"


def test_multi_word_filler_marks_every_word_it_covers(tmp_path):
    f = make_session(tmp_path, answers=[AnswerSpec("q01", chunks=["I also you know called the vendor."])])
    data = json.loads((f / "session.json").read_text())
    words = data["answers"][0]["result"]["transcript"]["words"]
    data["answers"][0]["result"]["delivery"]["fillers"] = [
        {"word": "you know", "start": words[2]["start"], "end": words[3]["end"], "source": "transcript"}]
    (f / "session.json").write_text(json.dumps(data))
    result = load_session(f).session.answers[0].result
    assert [t.text for t in tokens_for(result) if t.filler] == ["you", "know"]
    for w in result.transcript.words:
        w.start = w.end = None
    result.delivery.fillers[0].start = result.delivery.fillers[0].end = None
    assert [t.text for t in tokens_for(result) if t.filler] == ["you", "know"]


def test_a_hesitation_timed_by_the_audio_marks_its_um_never_the_word_before_it(tmp_path):
    # the acoustic times (0.10 s early here) overlap "job," and not the transcript's "um,": review
    # once marked "job," as the filler
    f = make_session(tmp_path, answers=[AnswerSpec("q01", chunks=["In my last job, um, our deploys kept failing."])])
    data = json.loads((f / "session.json").read_text())
    words = data["answers"][0]["result"]["transcript"]["words"]
    job, um = words[3], words[4]
    assert (job["word"], um["word"]) == ("job,", "um,")
    data["answers"][0]["result"]["delivery"]["fillers"] = [
        {"word": "um", "start": job["start"], "end": job["end"], "source": "transcript", "kind": "hesitation"}]
    (f / "session.json").write_text(json.dumps(data))
    result = load_session(f).session.answers[0].result
    assert [t.text for t in tokens_for(result) if t.filler] == ["um,"]


def test_tokens_without_word_times_use_sentence_order(folder):
    result = load_session(folder).session.answers[0].result
    result.transcript.words = []
    toks = tokens_for(result)
    assert toks[0].label == "S" and toks[-1].label == "R" and all(t.start is None for t in toks)


def test_terminal_shows_everything_and_keeps_markup_as_text(folder):
    console = Console(record=True, width=200, color_system=None)
    render_terminal(_view(folder), console)
    out = console.export_text()
    assert "Session 20261120-093000-amazon" in out
    assert "[pause 1.6s]" in out
    assert "offline judge (prompt offline-1)" in out
    assert "LLM judge (qwen2.5-0.5b-instruct, prompt llm-2)" in out
    assert "Result needs a number." in out and "Ana" in out
    assert "(override)" in out  # coach result 2 differs from the automatic 3
    assert "[bold]x[/bold]" in out  # rich markup in a transcript is shown, not applied
    assert XSS in out
    assert "Quantify the result." in out


def test_terminal_colours_fillers_and_star_parts(folder):
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor")
    render_terminal(_view(folder), console)
    styled = console.export_html(inline_styles=True)
    assert re.search(r'<span style="[^"]*background-color: #808000[^"]*">\*um\*</span>', styled)  # yellow filler
    assert re.search(r'<span style="color: #00?8080">At</span>', styled) or "color: #008080" in styled


def test_html_is_self_contained_escaped_and_embeds_real_audio(folder, tmp_path):
    out = render_html(_view(folder), tmp_path / "r.html")
    html = out.read_text()
    assert "http://" not in html and "https://" not in html
    assert "<link rel=\"stylesheet\"" not in html and "<script src" not in html
    assert XSS not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    m = re.search(r'<audio id="audio-1"[^>]*src="data:audio/wav;base64,([^"]+)"', html)
    assert m and base64.b64decode(m.group(1)) == (folder / "q01.wav").read_bytes()
    data = json.loads(re.search(r'<script type="application/json" id="vm-data">(.*?)</script>', html, re.S).group(1))
    words = json.loads((folder / "session.json").read_text())["answers"][0]["result"]["transcript"]["words"]
    assert data["answers"][0]["words"][3] == [words[3]["start"], words[3]["end"]]
    assert html.count('class="timeline"') == 2 and "<polyline" in html
    assert 'class="override"' in html and "Result needs a number." in html
    assert html.count('class="pause" title="long pause"') == 3  # 2 in q01, 1 in q02


def test_html_links_audio_relative_to_the_report(folder, tmp_path):
    out = render_html(_view(folder), tmp_path / "reports" / "r.html", HtmlOptions(audio="link"))
    html = out.read_text()
    src = re.search(r'<audio id="audio-2"[^>]*src="([^"]+)"', html).group(1)
    assert not src.startswith(("/", "data:", "file:"))
    assert (out.parent / src).resolve() == (folder / "q02.wav").resolve()


def test_html_json_block_escapes_angle_brackets(folder, tmp_path):
    data = json.loads((folder / "session.json").read_text())
    data["answers"][0]["result"]["transcript"]["words"][0]["end"] = None
    (folder / "session.json").write_text(json.dumps(data))
    html = render_html(_view(folder), tmp_path / "r.html").read_text()
    block = re.search(r'id="vm-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block


def test_markdown_escapes_and_shows_scores(folder):
    md = render_markdown(_view(folder))
    assert "# Review of 20261120-093000-amazon" in md
    assert "**[S]**" in md and "**[R]**" in md and "***um***" in md and "⏸ 1.6s" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*\\*doc\\*\\*" in md
    assert "| result | 3 | 2 |" in md and "| overall | 62 | 55 |" in md
    assert "Result needs a number." in md


def test_damaged_input_review_still_renders_everything_else(folder, tmp_path):
    (folder / "q01.wav").unlink()
    view = _view(folder)
    assert any("q01.wav is missing" in p for p in view.problems)
    html = render_html(view, tmp_path / "r.html").read_text()
    assert "Problems found" in html and "q01.wav is missing" in html
    assert 'id="audio-1"' not in html and 'id="audio-2"' in html
    assert "Audio file q01.wav is missing." in html
    md = render_markdown(view)
    assert "`q01.wav` (missing)" in md
    console = Console(record=True, width=120, color_system=None)
    render_terminal(view, console)
    text = console.export_text()
    assert "problem: answer q01: audio file q01.wav is missing" in text and "audio q01.wav missing" in text
    assert "Result needs a number." in text  # the rest is still shown


def test_review_json_has_notes_scores_and_problems(folder):
    d = review_dict(_view(folder))
    assert d["session"]["id"] == "20261120-093000-amazon"
    assert d["answers"][0]["auto_scores"]["result"] == 3 and d["answers"][0]["coach_scores"]["result"] == 2
    assert d["answers"][1]["judge"].startswith("LLM judge")
    assert d["annotations"][0]["coach"] == "Ana" and d["problems"] == []


def test_markdown_shows_what_the_terminal_shows(tmp_path):
    from sessionfactory import AnswerSpec, make_session
    from voicemock.report.markdown import render_markdown
    from voicemock.report.model import build_review
    from voicemock.sessions.annotations import add_annotation, load_annotations
    from voicemock.sessions.read import load_session

    folder = make_session(tmp_path, [AnswerSpec("q01")])
    add_annotation(folder, "q01", "Tighten the opening.", {"overall": 55}, coach="Ana")
    loaded = load_session(folder)
    md = render_markdown(build_review(loaded, load_annotations(folder)[0]))
    for needle in ("duration:", "STAR parts: situation", "ownership: I", "Coach notes:", "Tighten the opening.",
                   "| overall |"):
        assert needle in md, needle


def test_uncertain_fillers_are_shown_apart_and_not_counted(folder, tmp_path):
    data = json.loads((folder / "session.json").read_text())
    d = data["answers"][0]["result"]["delivery"]
    um = d["fillers"][0]
    d["fillers"] = [dict(um, confidence=0.95),
                    {"word": "(hesitation)", "start": um["end"] + 1.0, "end": um["end"] + 1.4, "source": "acoustic",
                     "kind": "hesitation", "confidence": 0.3}]
    d["filler_count"], d["uncertain_filler_count"] = 1, 1
    (folder / "session.json").write_text(json.dumps(data))
    view = _view(folder)
    toks = view.answers[0].tokens
    (heard,) = [t for t in toks if t.kind == "filler"]
    assert heard.uncertain and heard.confidence == 0.3
    assert [t.text for t in toks if t.kind == "word" and t.filler and not t.uncertain] == ["um"]
    html = render_html(view, tmp_path / "u.html").read_text()
    assert 'class="filler uncertain"' in html and "maybe a filler (not counted), confidence 0.30" in html
    assert "1 uncertain, not counted" in html and 'stroke-dasharray="3 3"' in html
    assert "_(uh??)_" in render_markdown(view)


def _counted_filler_spans(html: str, number: int) -> int:
    body = re.search(rf'id="transcript-{number}">(.*?)</p>', html, re.S).group(1)
    return sum(1 for cls in re.findall(r'<span class="([^"]*)"', body)
               if "filler" in cls.split() and "uncertain" not in cls.split())


def test_html_starts_with_a_summary_and_marks_every_counted_filler(folder, tmp_path):
    view = _view(folder)
    html = render_html(view, tmp_path / "s.html").read_text()
    table = re.search(r'<table class="summary" id="summary">(.*?)</table>', html, re.S).group(1)
    assert html.index('id="summary"') < html.index('id="answer-1"')
    rows = re.findall(r"<tr><td><a href=\"#answer-(\d)\">.*?</tr>", table, re.S)
    assert rows == ["1", "2"]
    # answer 1 carries the coach's overall 55, marked as the coach's; answer 2 its LLM score 75
    assert re.search(r"q01</td>\s*<td class=\"num\">55 <span class=\"override\"", table)
    assert re.search(r"q02</td>\s*<td class=\"num\">75</td>", table)
    session_row = re.search(r'>session</th><td class="num">65.0</td><td class="num">([\d.]+)</td>'
                            r'<td class="num">(\d+)</td>', table)
    assert session_row  # the questions' mean score; fillers and pace of the session as history shows them
    from voicemock.history.index import session_delivery

    fpm, wpm = session_delivery(view.session)
    assert (float(session_row.group(1)), int(session_row.group(2))) == (round(fpm, 1), round(wpm))
    for v in view.answers:
        assert _counted_filler_spans(html, v.number) == v.result.delivery.filler_count


def test_html_timeline_has_a_time_axis_and_the_hint_names_the_answer(folder, tmp_path):
    html = render_html(_view(folder), tmp_path / "t.html").read_text()
    svg = re.search(r'<svg class="timeline" viewBox="0 0 600.0 (\d+\.\d+)"(.*?)</svg>', html, re.S)
    assert float(svg.group(1)) > 70  # room for the axis under the band
    labels = re.findall(r'<text [^>]*>(\d+:\d\d)</text>', svg.group(2))
    assert labels[0] == "0:00" and len(labels) >= 2 and labels == sorted(labels)
    sid = json.loads((folder / "session.json").read_text())["id"]
    assert f"voicemock annotate {sid} --answer q02 --note" in html


def test_words_whisper_splits_are_joined_again_in_every_report(tmp_path):
    """Whisper gives "mid-sized" as "mid" + "-sized" and "40%" as "40" + "%": the reviews showed
    "a mid -sized team" and "by 40 %". They follow the transcript's own spacing."""
    f = make_session(tmp_path, answers=[AnswerSpec("q01", chunks=["We had a mid sized team and cut costs by 40 percent."])])
    data = json.loads((f / "session.json").read_text())
    result = data["answers"][0]["result"]
    words = result["transcript"]["words"]
    spoken = [w["word"] for w in words]
    split = {"sized": "-sized", "percent.": "%."}
    for w in words:
        w["word"] = split.get(w["word"], w["word"])
    result["transcript"]["text"] = "We had a mid-sized team and cut costs by 40%."
    (f / "session.json").write_text(json.dumps(data))
    assert "sized" in spoken and "percent." in spoken
    view = _view(f)
    console = Console(record=True, width=200, color_system=None)
    render_terminal(view, console)
    md = render_markdown(view)
    html = render_html(view, tmp_path / "g.html").read_text()
    body = re.sub(r"<[^>]+>", "", re.search(r'id="transcript-1">(.*?)</p>', html, re.S).group(1))
    for text in (console.export_text(), md, body):
        assert "mid-sized" in text and "40%." in text
        assert "mid -sized" not in text and "40 %" not in text
    assert len(re.findall(r'<span class="w[^"]*" data-n="0"', html)) == len(words)  # each word still clickable


def test_legends_explain_every_filler_mark(folder):
    view = _view(folder)
    console = Console(record=True, width=80, color_system=None)
    render_terminal(view, console)
    head = console.export_text().splitlines()[:5]
    assert any("(um?) heard in the audio only" in line and "unsure, not counted" in line for line in head)
    assert all(len(line) <= 80 for line in head)
    md = render_markdown(view)
    assert "***(um?)*** filler heard in the audio only" in md and "_(um??)_ maybe a filler (not counted)" in md


def test_markdown_lists_each_hedge_once_with_its_count(folder):
    from voicemock.models import Hedge

    view = _view(folder)
    d = view.answers[0].result.delivery
    d.hedges = [Hedge(phrase="i think")] * 3 + [Hedge(phrase="maybe")]
    d.hedge_count = 4
    md = render_markdown(view)
    assert '- hedges: "I think" x3, "maybe" x1' in md  # not "i think, i think, i think, maybe"


def test_a_note_about_no_answer_of_the_session_is_a_problem_not_silently_dropped(folder):
    add_annotation(folder, "q-gone", "About an answer this session does not have.", coach="Bo")
    view = _view(folder)
    assert any("note 2 (Bo, about 'q-gone') names no answer" in p for p in view.problems)
    assert not any("note 1" in p for p in view.problems)  # the note about q01 is shown with it
