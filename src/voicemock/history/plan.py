"""The practice plan: up to three areas of recent sessions outside their target, with questions to practise next."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..targets import (
    AREAS,
    FILLERS_PER_MINUTE_GOOD,
    FILLERS_PER_MINUTE_POOR,
    LONG_PAUSES_POOR,
    PACE_RANGE,
    SITUATION_SHARE_GOOD,
    SITUATION_SHARE_HEAVY,
    WE_SHARE_GOOD,
    WE_SHARE_POOR,
    Area,
    area_fit,
    pace_severity,
    severity,
)
from .db import connect
from .index import answer_rows, list_sessions


@dataclass
class PlanItem:
    area: Area
    severity: float  # 0 (fine) .. 1 (weakest)
    why: str
    questions: list[tuple[str, str]]  # (question id, text)

    def as_dict(self) -> dict:
        return {"area": self.area.key, "title": self.area.title, "severity": round(self.severity, 2),
                "why": self.why, "advice": self.area.advice,
                "questions": [{"id": q, "text": t} for q, t in self.questions]}


@dataclass
class Plan:
    bank: str | None
    sessions_used: int
    items: list[PlanItem]
    note: str = ""

    def as_dict(self) -> dict:
        return {"bank": self.bank, "sessions_used": self.sessions_used, "note": self.note,
                "areas": [i.as_dict() for i in self.items]}


def _mean(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def weaknesses(rows: list, sessions: list | None = None) -> list[tuple[str, float, str]]:
    """(area key, severity 0..1, why) for every area the answers give evidence on, weakest first.

    With ``sessions`` (their history rows), pace and fillers are the mean of the figures
    ``history`` shows for them (everything said, follow-ups included), so the two commands never
    give one session two paces; else the answers' own."""
    out = []
    res, res_present, metric = (_mean([r["star_result"] for r in rows]), _mean([r["result_present"] for r in rows]),
                                _mean([r["has_metric"] for r in rows]))
    if res is not None:
        sev = _clip(0.5 * (5 - res) / 4 + 0.3 * (1 - (res_present or 0)) + 0.2 * (1 - (metric or 0)))
        out.append(("result", sev, f"result scored {res:.1f}/5; a result stated in {100 * (res_present or 0):.0f}% "
                                   f"of answers, a number in {100 * (metric or 0):.0f}%"))
    act = _mean([r["star_action"] for r in rows])
    if act is not None:
        out.append(("action", _clip((5 - act) / 4), f"action scored {act:.1f}/5"))
    i_, we = sum(r["ownership_i"] or 0 for r in rows), sum(r["ownership_we"] or 0 for r in rows)
    if i_ + we:
        we_share = we / (i_ + we)
        out.append(("ownership", severity(we_share, WE_SHARE_GOOD, WE_SHARE_POOR),
                    f"'we' in {100 * we_share:.0f}% of I/we in actions"))
    sit = _mean([r["situation_share"] for r in rows])
    if sit is not None:
        out.append(("situation_too_long", severity(sit, SITUATION_SHARE_GOOD, SITUATION_SHARE_HEAVY),
                    f"situation is {100 * sit:.0f}% of the answer (aim for at most {100 * SITUATION_SHARE_GOOD:.0f}%)"))
    fpm = (_mean([x.fillers_per_minute for x in sessions]) if sessions
           else _mean([r["fillers_per_minute"] for r in rows]))
    if fpm is not None:
        out.append(("fillers", severity(fpm, FILLERS_PER_MINUTE_GOOD, FILLERS_PER_MINUTE_POOR),
                    f"{fpm:.1f} fillers per minute (aim for at most {FILLERS_PER_MINUTE_GOOD:g})"))
    wpm = _mean([x.words_per_minute for x in sessions]) if sessions else _mean([r["words_per_minute"] for r in rows])
    if wpm:
        out.append(("pace", pace_severity(wpm),
                    f"{wpm:.0f} words per minute (aim for {PACE_RANGE[0]:.0f}-{PACE_RANGE[1]:.0f})"))
    lp = _mean([r["long_pauses"] for r in rows])
    if lp is not None:
        out.append(("pauses", severity(lp, 0.0, LONG_PAUSES_POOR), f"{lp:.1f} long pauses per answer"))
    return sorted(out, key=lambda x: -x[1])


def _pick_questions(bank, area: Area, avoid: set[str], taken: set[str], n: int = 2) -> list[tuple[str, str]]:
    def score(q) -> tuple:
        hits = area_fit(area.key, *q.tags, q.category, q.text)
        diff = area.difficulty.index(q.difficulty) if q.difficulty in area.difficulty else 9
        return (-hits, q.id in taken, diff, q.id)

    fresh = [q for q in bank.questions if q.id not in avoid] or list(bank.questions)
    picked = sorted(fresh, key=score)[:n]
    taken.update(q.id for q in picked)
    return [(q.id, q.text) for q in picked]


def plan(db: sqlite3.Connection | None = None, bank: str | None = None, last: int = 5,
         recent: int = 3, n: int = 3, include_demo: bool = False) -> Plan:
    """The ``n`` weakest areas over the last ``last`` sessions, each with bank questions to practise
    (matched by tag/category, skipping questions answered in the last ``recent`` sessions). Only
    areas outside their target are listed (fewer than ``n`` when fewer are); the note names the
    areas on target."""
    from ..banks import load_bank
    from ..errors import BankError

    own = db is None
    db = db or connect()
    try:
        sessions = list_sessions(db, bank, include_demo=include_demo)
        if not sessions:
            return Plan(bank, 0, [], "no sessions in the history yet: practise first, or run 'voicemock history --rebuild'")
        sessions = [s for s in sessions if not s.copy_of]
        used = sessions[-last:]
        rows = answer_rows(db, [s.folder for s in used])
        recent_ids = {r["question_id"] for r in answer_rows(db, [s.folder for s in sessions[-recent:]])}
    finally:
        if own:
            db.close()
    bank_name = bank or used[-1].bank
    note = ""
    try:
        bank_obj = load_bank(bank_name)
    except BankError as exc:
        bank_obj, note = None, f"cannot suggest questions: {exc}"
    taken: set[str] = set()
    items = []
    rated = weaknesses(rows, used)
    # only areas outside their target (severity above 0: beyond the good edge of targets.py) are weak;
    # an area within its target is never listed to make up the number
    for key, sev, why in [w for w in rated if w[1] > 0][:n]:
        qs = _pick_questions(bank_obj, AREAS[key], recent_ids, taken) if bank_obj else []
        items.append(PlanItem(AREAS[key], sev, why, qs))
    on_target = [AREAS[key].title for key, sev, _ in rated if sev <= 0]
    if len(items) < n and on_target:
        said = "Every area is on target" if not items else f"Only {len(items)} area(s) outside the target; the rest are on target"
        note = f"{said}: {', '.join(on_target)}. {note}".strip()
    return Plan(bank_name, len(used), items, note)


