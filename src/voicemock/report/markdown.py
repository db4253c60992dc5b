"""The review as Markdown (for pasting into a ticket or an e-mail to the candidate).

Text from transcripts, banks and notes is escaped so it cannot turn into links, HTML or headings:
fillers are shown in bold italic, long pauses as ``⏸ 1.6s``, STAR parts as
``[S]`` ... ``[R]`` tags at the start of each part.
"""

from __future__ import annotations

import re

from ..textsafe import printable
from .model import AnswerView, ReviewView, auto_scores, fmt, judge_label

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>&~])")


def md_escape(text: str) -> str:
    """``text`` as literal Markdown on one line, escape sequences removed whole (textsafe)."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text))


def transcript_md(view: AnswerView) -> str:
    out: list[str] = []
    label = None
    for t in view.tokens:
        if t.kind == "pause":
            out.append(f"⏸ {t.text}")
            continue
        if t.kind == "filler" and t.rejected:  # a coach took it out of the count
            out.append(f"~~({md_escape(t.text)}?)~~")
            continue
        if t.kind == "filler":
            out.append(f"_({md_escape(t.text)}??)_" if t.uncertain else f"***({md_escape(t.text)}?)***")
            continue
        glue = t.glue and bool(out) and not (t.label and t.label != label)
        if t.label and t.label != label:
            out.append(f"**[{t.label}]**")
            label = t.label
        if t.rejected:  # the coach said it is not a filler
            piece = f"~~{md_escape(t.text)}~~"
        else:
            piece = f"***{md_escape(t.text)}***" if t.filler else md_escape(t.text)
        if glue:  # no space before it: "mid" "-sized" is one word on the page
            out[-1] += piece
        else:
            out.append(piece)
    return " ".join(out) or "_(no transcript)_"


def answer_md(view: AnswerView) -> list[str]:
    lines = [f"## {view.number}. {md_escape(view.title)}", "", f"**{md_escape(view.answer.question)}**", ""]
    if view.probe_line:
        lines += [f"_{md_escape(view.probe_line)}_", ""]
    if view.rejected_line:
        lines += [md_escape(view.rejected_line), ""]
    if view.question_score is not None and (view.answer.kind == "followup" or view.answer.combined is not None):
        lines += [f"Question score with follow-ups: **{view.question_score}/100**", ""]
    if view.answer.audio:
        lines += [f"Audio: `{view.answer.audio.replace('`', '')}`" + ("" if view.audio else " (missing)"), ""]
    lines += [transcript_md(view), ""]
    r = view.result
    if r:
        from ..rubric.feedback import hedge_summary  # each hedge once, with its count

        d = r.delivery
        lines += [
            f"- duration: {fmt(r.transcript.duration_s, ' s')}"
            + (f" (answer {fmt(d.answer_duration_s, ' s')}, {d.duration_verdict})" if d.duration_verdict else ""),
            f"- pace: {fmt(d.words_per_minute, ' wpm', 0)}",
            f"- fillers: {d.filler_count} ({fmt(d.fillers_per_minute, '/min')})",
            f"- long pauses: {d.long_pause_count} (longest {fmt(d.longest_pause_s, ' s')})",
            f"- lead-in: {fmt(d.lead_in_s, ' s')}",
            f"- hedges: {md_escape(hedge_summary(d)) or 'none'}",
        ]
        st = r.structure
        if st is not None:
            shares = ", ".join(f"{k} {round(v.share * 100)}%" for k, v in
                               (("situation", st.parts.situation), ("task", st.parts.task),
                                ("action", st.parts.action), ("result", st.parts.result)) if v.present)
            lines += [f"- STAR parts: {shares or 'none found'}",
                      f"- ownership: I {st.ownership.i} / we {st.ownership.we}; metric in the result: "
                      f"{'yes' if st.has_metric else 'no'}"]
        lines.append("")
    auto = auto_scores(r)
    lines += [f"Scores by the {md_escape(judge_label(r))}:", "", "| score | automatic | coach |", "|---|---|---|"]
    for k in ("overall", "situation", "task", "action", "result"):
        a, c = auto.get(k), view.coach_scores.get(k)
        lines.append(f"| {k} | {'-' if a is None else a} | {'-' if c is None else c} |")
    lines.append("")
    if r and r.rubric and r.rubric.feedback:
        lines += ["Feedback:", ""] + [f"- {md_escape(f)}" for f in r.rubric.feedback] + [""]
    if r and r.rubric and r.rubric.evidence:
        lines += ["Evidence:", ""] + [f"- {md_escape(e.part)}: \"{md_escape(e.quote)}\"" for e in r.rubric.evidence] + [""]
    if view.notes:
        lines += ["Coach notes:", ""]
        for n in view.notes:
            sc = ", ".join(f"{k}={v}" for k, v in n.scores.items())
            lines.append(f"- {md_escape(n.created_at)} {md_escape(n.coach)}: {md_escape(n.note)}"
                         + (f" \\[{sc}\\]" if sc else ""))
        lines.append("")
    return lines


def render_markdown(view: ReviewView) -> str:
    s = view.session
    lines = [f"# Review of {md_escape(s.id)}", "",
             f"Bank {md_escape(s.bank)}, started {md_escape(s.started_at)}, {len(view.answers)} answer(s).", ""]
    if view.problems:
        lines += ["Problems found while reading this session:", ""] + [f"- {md_escape(p)}" for p in view.problems] + [""]
    lines.append("Legend: **[S]**ituation **[T]**ask **[A]**ction **[R]**esult **[O]**ther, "
                 "***filler***, ***(um?)*** filler heard in the audio only, _(um??)_ maybe a filler (not counted), "
                 "⏸ long pause.")
    lines.append("")
    for v in view.answers:
        lines += answer_md(v)
    return "\n".join(lines).rstrip() + "\n"
