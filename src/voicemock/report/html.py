"""One self-contained HTML review (jinja2, autoescape on): inline CSS and JS, no network.

Audio is embedded as a base64 data URI (default) or linked relative to the report
(``audio="link"``). Clicking a word seeks that answer's audio to the word's start and plays.
Data for the script travels as JSON in ``<script type="application/json">`` with ``<``, ``>``,
``&`` and ``'`` escaped as ``\\u003c`` etc. (jinja2's ``tojson``), so a transcript containing
``<script>`` shows as text and never runs.
"""

from __future__ import annotations

import base64
import bisect
import logging
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from ..asr.embedded import display_name
from ..errors import ConfigError
from ..sessions.annotations import answer_key
from .files import check_target, write_report
from .model import LABEL_NAMES, AnswerView, ReviewView, auto_scores, fmt, judge_label

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
AUDIO_MIME = {".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg", ".mp3": "audio/mpeg"}
STAR_COLOURS = {"S": "#5bc0de", "T": "#428bca", "A": "#5cb85c", "R": "#b86bd6", "O": "#bbbbbb"}


#: Audio embedded in one report, at most (a longer session links the rest instead, and says so).
DEFAULT_MAX_EMBED_BYTES = 50 * 1024 * 1024
#: Points of the pace line, at most (long answers get a coarser line, not an endless loop).
MAX_PACE_POINTS = 1200


@dataclass
class HtmlOptions:
    audio: Literal["embed", "link"] = "embed"
    max_embed_bytes: int = DEFAULT_MAX_EMBED_BYTES
    notes: list[str] = field(default_factory=list)  # filled by render_html: what it did differently
    session_ref: str | None = None  # how the annotate hint names the session (default: its id)


def _link(audio: Path, out: Path) -> str:
    rel = os.path.relpath(audio.resolve(), out.resolve().parent)
    return quote(Path(rel).as_posix())


def audio_src(view: AnswerView, out: Path, mode: str, budget: list[int] | None = None,
              notes: list[str] | None = None) -> str | None:
    """The answer's audio for the page: a relative link, or a data URI while ``budget[0]`` bytes
    of embedding are left (past it the audio is linked and a note says so)."""
    if view.audio is None:
        return None
    if mode == "link":
        return _link(view.audio, out)
    size = view.audio.stat().st_size
    if budget is not None and size > budget[0]:
        if notes is not None:
            notes.append(f"audio of answer {view.number} ({view.audio.name}, {size / 1e6:.1f} MB) is linked, "
                         "not embedded: the report's embedding limit (max_embed_mb) is reached")
        return _link(view.audio, out)
    if budget is not None:
        budget[0] -= size
    mime = AUDIO_MIME.get(view.audio.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64," + base64.b64encode(view.audio.read_bytes()).decode("ascii")


AXIS_H = 14.0  # room under the STAR band for the time axis


def _tick_step(duration: float) -> float:
    """Seconds between labelled ticks: about six ticks on the axis, at round values."""
    for step in (5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600):
        if duration / step <= 8:
            return float(step)
    return 7200.0


def _mmss(t: float) -> str:
    return f"{int(t) // 60}:{int(t) % 60:02d}"


def timeline(view: AnswerView, width: float = 600.0, height: float = 70.0) -> dict | None:
    """Shapes of the inline SVG: pace line (words per minute, 4 s window), fillers, pauses, STAR
    band, and a time axis (m:ss) under it."""
    r = view.result
    if r is None or not r.transcript.words or r.transcript.words[0].start is None:
        return None
    starts: list[float] = [w.start for w in r.transcript.words if w.start is not None]
    dur = r.transcript.duration_s or (max(w.end or w.start or 0 for w in r.transcript.words) + 0.5)
    dur = max(dur, 0.1)
    band = 10.0
    plot_h = height - band - 4
    x = lambda t: round(width * min(max(t, 0.0), dur) / dur, 1)  # noqa: E731
    win = 4.0
    step = max(0.5, dur / MAX_PACE_POINTS)
    starts.sort()
    pts = []
    for k in range(int(dur / step) + 1):
        t = k * step
        n = bisect.bisect_left(starts, t + win / 2) - bisect.bisect_left(starts, t - win / 2)
        pts.append((t, n * 60.0 / win))
    top = max(200.0, max(p[1] for p in pts))
    y = lambda wpm: round(plot_h - plot_h * wpm / top + 2, 1)  # noqa: E731
    sentences = r.structure.sentences if r.structure else []
    return {
        "width": width, "height": height, "duration": round(dur, 1), "top": round(top),
        "pace": " ".join(f"{x(t)},{y(v)}" for t, v in pts),
        "fillers": [{"x": x(f.start), "word": f.word, "confidence": f.confidence,
                     "uncertain": f.confidence < r.delivery.filler_confidence_min}
                    for f in r.delivery.fillers if f.start is not None],
        "pauses": [{"x": x(p.start), "w": max(1.0, x(p.end) - x(p.start)), "len": round(p.end - p.start, 1)}
                   for p in r.delivery.pauses],
        "star": [{"x": x(s.start), "w": max(1.0, x(s.end) - x(s.start)), "colour": STAR_COLOURS[s.label],
                  "name": LABEL_NAMES[s.label]}
                 for s in sentences if s.start is not None and s.end is not None],
        "band_y": height - band, "band_h": band, "ref_y": y(140),
        "ticks": [{"x": x(k * _tick_step(dur)), "label": _mmss(k * _tick_step(dur))}
                  for k in range(int(dur // _tick_step(dur)) + 1)],
        "axis_y": height, "full_height": height + AXIS_H,
    }


def _parts(rubric, structure) -> str:
    """The STAR letters an answer has ("S T · R"), or the rubric kind it was judged by."""
    kind = getattr(rubric, "kind", "star") if rubric is not None else None
    if kind == "star" and structure is not None:
        return " ".join(k[0].upper() if getattr(structure.parts, k).present else "·"
                        for k in ("situation", "task", "action", "result"))
    return f"{kind} rubric" if kind else "-"


def _summary_row(v: AnswerView) -> dict[str, Any]:
    r, c = v.result, v.answer.combined
    d = r.delivery if r else None
    rubric = c.rubric if c is not None else (r.rubric if r else None)
    structure = c.structure if c is not None else (r.structure if r else None)
    topic = getattr(rubric, "topic", None)
    return {
        "number": v.number, "id": v.answer.question_id,
        "score": v.coach_scores.get("overall", rubric.overall if rubric is not None else None),
        "coach": "overall" in v.coach_scores,
        "fillers": d.fillers_per_minute if d else None, "pace": d.words_per_minute if d else None,
        "parts": _parts(rubric, structure),
        "off_topic": topic is not None and topic.on_topic is False,
    }


def summary(view: ReviewView) -> dict[str, Any]:
    """The top of the page: one row per question (its score with follow-ups, fillers, pace, STAR
    parts or the rubric kind, off topic) and the session's means."""
    rows = [_summary_row(v) for v in view.answers if v.answer.kind == "main"]

    def mean(key: str) -> float | None:
        vals = [float(row[key]) for row in rows if row[key] is not None]
        return round(sum(vals) / len(vals), 1) if vals else None

    from ..history.index import session_delivery

    # the session's fillers and pace as history shows them: everything said, follow-ups included
    fillers, pace = session_delivery(view.session)
    return {"rows": rows, "score": mean("score"), "fillers": fillers, "pace": pace}


def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # everything from transcripts, banks and notes is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env


def _hint_key(v: Any) -> str:
    """How the report's annotate hint names an answer, safe to paste into a shell: its key when
    that is a plain name ("q01-followup"), else its number (the key comes from the sender's file
    names and question ids: "q01$(touch x).wav" must never become a command)."""
    key = answer_key(v.answer)
    return key if re.fullmatch(r"[A-Za-z0-9][\w.-]{0,80}", key) else str(v.number)


def render_html(view: ReviewView, out: str | Path, options: HtmlOptions | None = None) -> Path:
    options = options or HtmlOptions()
    if options.audio not in ("embed", "link"):
        raise ConfigError(f"--audio {options.audio!r}: use embed or link")
    out = check_target(out)
    budget = [options.max_embed_bytes]
    notes: list[str] = []
    answers = []
    data: dict[str, list] = {"answers": []}
    for v in view.answers:
        audio_id = f"audio-{v.number}"
        words = v.result.transcript.words if v.result else []
        data["answers"].append({"audio_id": audio_id, "words": [[w.start, w.end] for w in words]})
        answers.append({
            "v": v, "audio_id": audio_id, "src": audio_src(v, out, options.audio, budget, notes),
            "timeline": timeline(v), "judge": judge_label(v.result), "auto": auto_scores(v.result),
            "rubric": v.result.rubric if v.result else None,
            "delivery": v.result.delivery if v.result else None,
            "structure": v.result.structure if v.result else None,
            "duration": v.result.transcript.duration_s if v.result else None,
        })
    html = _env().get_template("review.html.j2").render(
        session=view.session, problems=[*view.problems, *notes], answers=answers, data=data,
        summary=summary(view), asr_name=display_name(view.session.asr_model), answer_keys={v.number: _hint_key(v) for v in view.answers},
        session_ref=shlex.quote(options.session_ref or view.session.id),
        labels=LABEL_NAMES, colours=STAR_COLOURS, score_keys=("overall", "situation", "task", "action", "result"),
        folder=str(view.loaded.folder),
    )
    write_report(out, html)
    log.info("wrote %s (%d bytes)", out, len(html))
    options.notes = notes
    return out
