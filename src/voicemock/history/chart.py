"""A PNG chart of metric trends (matplotlib, Agg backend, imported lazily).

One small panel per metric that has data, x = session date, y = the metric; the pace panel shades
the 120-160 words-per-minute band.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from ..errors import StoreError
from ..targets import PACE_RANGE
from .trends import MetricTrend

log = logging.getLogger(__name__)


#: Session dates outside these years are a wrong clock or a damaged session.json; matplotlib's date
#: axis cannot even draw year 1 (its tick margins fall before it).
_YEARS = (1970, 2200)


def _xs(points: list[tuple[str, str, float]]) -> list:
    """The sessions' dates for the x axis; their order (0, 1, ...) when any date is unreadable or
    absurd, so one bad session.json neither breaks the chart nor mixes dates and numbers."""
    dates = []
    for p in points:
        try:
            when = datetime.fromisoformat(p[0])
        except ValueError:
            return list(range(len(points)))
        if not _YEARS[0] <= when.year <= _YEARS[1]:
            return list(range(len(points)))
        dates.append(when)
    return dates


def write_progress_png(trends: list[MetricTrend], out: str | Path, title: str = "voicemock progress") -> Path:
    """Draw the trends into ``out`` (PNG); StoreError when there is nothing to draw."""
    shown = [t for t in trends if t.points]
    if not shown:
        raise StoreError("no sessions with scores in the history yet: nothing to chart "
                         "(practise first, or run 'voicemock history --rebuild')")
    from ..report.files import check_target

    out = check_target(out, "progress.png")
    if out.suffix.lower() != ".png":  # the chart is a PNG whatever the name says
        raise StoreError(f"{out}: --png writes a PNG image; give a file name ending in .png, e.g. progress.png")
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise StoreError(f"the progress chart needs matplotlib: pip install matplotlib ({exc})") from None
    cols = 2
    rows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.6 * rows), squeeze=False)
    try:
        for ax, t in zip(axes.flat, shown):
            xs = _xs(t.points)
            ys = [p[2] for p in t.points]
            ax.plot(xs, ys, marker="o", color="#336")
            ax.set_ylim(*_y_range(t.metric.key, ys))  # no magnified noise: small changes look small
            if t.metric.key == "words_per_minute":
                ax.axhspan(*PACE_RANGE, color="#9c9", alpha=0.3)
            trend = {True: " (better)", False: " (worse)", None: ""}[t.improving]  # the words progress prints
            ax.set_title(t.metric.label + trend, fontsize=9)
            ax.tick_params(labelsize=7)
            for label in ax.get_xticklabels():
                label.set_rotation(20)
        for ax in list(axes.flat)[len(shown):]:
            ax.axis("off")
        fig.suptitle(title)
        fig.tight_layout()
        import io

        from ..fileio import atomic_write_bytes

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        try:
            atomic_write_bytes(out, buf.getvalue())
        except OSError as exc:
            raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    log.info("wrote %s", out)
    return out


#: Natural scales, so that a change from 96 to 100 or 2.3 to 2.7 does not fill the whole plot.
_SCALES: dict[str, tuple[float, float | None]] = {"overall": (0.0, 100.0), "words_per_minute": (0.0, 220.0)}


def _y_range(key: str, ys: list) -> tuple[float, float]:
    vals = [y for y in ys if y is not None]
    lo: float
    hi: float | None
    lo, hi = _SCALES.get(key, (0.0, None))
    if key.startswith("star_"):
        lo, hi = 1.0, 5.0
    top = max(vals, default=0.0)
    if hi is None or top > hi:
        hi = max(1.0, top * 1.25)
    return min(lo, min(vals, default=lo)), hi
