"""Each metric's value per session over time (``voicemock progress``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..targets import TREND_STEP, is_better
from .db import connect, guarded
from .index import list_sessions


@dataclass
class Metric:
    key: str
    label: str
    better: str  # "higher" | "lower" | "range" (pace: inside PACE_RANGE)


METRICS = [
    Metric("overall", "overall score (0-100)", "higher"),
    Metric("words_per_minute", "pace (words per minute)", "range"),
    Metric("fillers_per_minute", "fillers per minute", "lower"),
    Metric("long_pauses_per_answer", "long pauses per answer", "lower"),
    Metric("star_result", "result score (1-5)", "higher"),
    Metric("star_action", "action score (1-5)", "higher"),
    Metric("situation_share", "share of the answer spent on the situation", "lower"),
    Metric("i_share", "ownership: 'I' among I/we in actions", "higher"),
]

_ANSWER_AGG = {
    "star_result": "AVG(star_result)",
    "star_action": "AVG(star_action)",
    "situation_share": "AVG(situation_share)",
    "i_share": "CAST(SUM(ownership_i) AS REAL) / NULLIF(SUM(ownership_i) + SUM(ownership_we), 0)",
}


@dataclass
class MetricTrend:
    metric: Metric
    points: list[tuple[str, str, float]]  # (started_at, session id, value), oldest first (copies left out)

    @property
    def first(self) -> float | None:
        return self.points[0][2] if self.points else None

    @property
    def last(self) -> float | None:
        return self.points[-1][2] if self.points else None

    @property
    def change(self) -> float | None:
        return None if len(self.points) < 2 else round(self.last - self.first, 2)  # type: ignore[operator]

    @property
    def improving(self) -> bool | None:
        """True/False when the last session is better/worse than the first; None when equal or unknown."""
        if len(self.points) < 2:
            return None
        return is_better(self.metric.better, self.first, self.last, TREND_STEP.get(self.metric.key, 0.0))

    def as_dict(self) -> dict:
        return {"metric": self.metric.key, "label": self.metric.label, "better": self.metric.better,
                "first": self.first, "last": self.last, "change": self.change, "improving": self.improving,
                "points": [{"started_at": t, "session": sid, "value": v} for t, sid, v in self.points]}


def trends(db: sqlite3.Connection | None = None, bank: str | None = None,
           include_demo: bool = False) -> list[MetricTrend]:
    """Each metric's value per session over time (sessions without a value, copies and, unless
    asked, demo sessions are left out)."""
    own = db is None
    db = db or connect()
    try:
        sessions = list_sessions(db, bank, include_demo=include_demo)
        agg = ", ".join(f"{sql} AS {key}" for key, sql in _ANSWER_AGG.items())
        with guarded():
            per_answer = {r["folder"]: dict(r) for r in db.execute(
                f"SELECT folder, {agg} FROM answers GROUP BY folder")}
    finally:
        if own:
            db.close()
    out = []
    for m in METRICS:
        pts = []
        for s in sessions:
            if s.copy_of:
                continue
            v = getattr(s, m.key, None) if m.key not in _ANSWER_AGG else per_answer.get(s.folder, {}).get(m.key)
            if v is not None:
                pts.append((s.started_at, s.id, round(float(v), 2)))
        out.append(MetricTrend(m, pts))
    return out


