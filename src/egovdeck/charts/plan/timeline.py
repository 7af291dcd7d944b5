"""Plan of timelines: a band of stages left to right ending in an arrow head, each stage with its period
above the band and its title and description below, shrunk (then cut with 「…」) to fit the height.
"""

from __future__ import annotations

from egovdeck.charts.plan.canvas import PAD, Plan
from egovdeck.charts.plan.labels import clipped, wrap_whole
from egovdeck.document.chart import ChartData, ChartRenderError, Milestone


def _mix(color: str, other: str, t: float) -> str:
    """color blended towards other by t (0 = color, 1 = other), as RRGGBB."""
    a, b = color.lstrip("#"), other.lstrip("#")
    out = [round(int(a[i:i + 2], 16) * (1 - t) + int(b[i:i + 2], 16) * t) for i in (0, 2, 4)]
    return "".join(f"{v:02X}" for v in out)


def plan_timeline(cv: Plan, chart: ChartData) -> None:
    th = cv.theme
    stones: list[Milestone] = list(chart.milestones) or [Milestone(c, "") for c in chart.categories]
    if not stones:
        raise ChartRenderError(f"chart {chart.id!r}: a timeline needs milestones")
    n = len(stones)
    col = (cv.w - 2 * PAD) / n
    inner = col - 10
    pfs = th.chart_title_size + 1
    for lab_fs, txt_fs in ((th.chart_label_size + 1, th.chart_label_size), (9.0, 8.0), (8.5, 7.5),
                           (8.0, 7.0), (7.5, 6.5)):
        # a number, date or Latin word wider than the column is never cut: the sizes go down first; at the
        # last one a line takes the widest such piece, up to the column, and one still wider ends in 「…」
        lab_lines = [wrap_whole(cv, m.label, inner, lab_fs, bold=True) if m.label else [] for m in stones]
        txt_lines = [wrap_whole(cv, m.text, inner, txt_fs) if m.text else [] for m in stones]
        wide = any(cv.tw(ln, lab_fs, bold=True) > inner + 1e-6 for w in lab_lines for ln in w) or any(
            cv.tw(ln, txt_fs) > inner + 1e-6 for w in txt_lines for ln in w)
        below = max(len(a) * lab_fs * 1.3 + (len(b) * txt_fs * 1.45 + 4 if b else 0)
                    for a, b in zip(lab_lines, txt_lines, strict=True))
        above = pfs * 1.4 + 8
        band = 10.0
        total = above + band + 10 + below
        if total <= cv.h - 2 * PAD and not wide:
            break
    if wide:
        lab_lines = [[clipped(cv, ln, col - 2, lab_fs, bold=True) for ln in w] for w in lab_lines]
        txt_lines = [[clipped(cv, ln, col - 2, txt_fs) for ln in w] for w in txt_lines]
    avail_lines = None
    if total > cv.h - 2 * PAD:  # still too tall: cut the descriptions with an ellipsis
        room = cv.h - 2 * PAD - (above + band + 10) - max(len(a) for a in lab_lines) * lab_fs * 1.3 - 4
        avail_lines = max(1, int(room / (txt_fs * 1.45)))
        txt_lines = [ln if len(ln) <= avail_lines else ln[:avail_lines - 1] + [ln[avail_lines - 1][:-1] + "…"]
                     for ln in txt_lines]
        total = cv.h - 2 * PAD
    y_top = cv.h - PAD - max(0.0, (cv.h - 2 * PAD - total) * 0.5)
    band_y = y_top - above - band / 2
    # the band: one segment per stage, darker towards the present, ending in an arrow head
    x_start, x_end = PAD, cv.w - PAD
    head = min(14.0, col * 0.2)
    for i in range(n):
        xa = x_start + col * i
        xb = x_start + col * (i + 1) - (head if i == n - 1 else 0)
        shade = _mix(th.accent, "FFFFFF", 0.72 - 0.5 * (i / max(n - 1, 1)))
        cv.rect(xa, band_y - band / 2, xb - xa + (0.3 if i < n - 1 else 0), band, shade, zorder=2, role="band")
        if i == n - 1:
            cv.polygon([(xb, band_y - band / 2 - 4), (x_end, band_y), (xb, band_y + band / 2 + 4)], shade)
    for i, m in enumerate(stones):
        cx = x_start + col * (i + 0.5)
        cv.circle(cx, band_y, 6.5, th.accent, zorder=4, edge="FFFFFF", lw=1.6)
        cv.text(cx, band_y + band / 2 + 8 + pfs * 0.5, m.period, pfs, th.accent, ha="center", bold=True, role="period")
        y = band_y - band / 2 - 10
        for ln in lab_lines[i]:
            cv.text(cx, y, ln, lab_fs, th.text, ha="center", va="top", bold=True, role="milestone")
            y -= lab_fs * 1.3
        y -= 4
        for ln in txt_lines[i]:
            cv.text(cx, y, ln, txt_fs, th.muted, ha="center", va="top", role="milestone")
            y -= txt_fs * 1.45
