"""A time axis that skips periods of its own rhythm (breaker7: a monthly line of 124 months missing six ran straight
across them, and nothing said so). The line chart warns at `x:` naming the periods; an uneven series on purpose
(the bundled CNNIC half-years: 2016-12 … 2018-12, 2020-03, 2020-06) says nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import chartcheck as cc
from egovdeck.resolve.charts import resolve_chart, skipped_periods


def _label(k: int, monthly: bool) -> str:
    return f"{k // 12}-{k % 12 + 1:02d}" if monthly else str(k)


@given(monthly=st.booleans(), rhythm=st.sampled_from([1, 3, 6, 12]), n=st.integers(6, 60), start=st.integers(0, 40),
       data=st.data())
def test_the_periods_a_series_skips_are_those_left_out(monthly, rhythm, n, start, data):
    step = rhythm if monthly else 1
    first = (2000 + start) * 12 if monthly else 1990 + start
    every = [first + i * step for i in range(n)]
    # leave out interior periods, never two neighbours, fewer than a fifth: the rhythm stays the common step
    out = data.draw(st.sets(st.integers(1, n - 2), max_size=max(0, n // 5 - 1)))
    out = {i for i in out if i - 1 not in out}
    kept = [_label(k, monthly) for i, k in enumerate(every) if i not in out]
    assert skipped_periods(kept) == [_label(every[i], monthly) for i in sorted(out)]


def test_an_uneven_series_on_purpose_skips_nothing():
    assert skipped_periods(["2016-12", "2017-06", "2017-12", "2018-06", "2018-12", "2020-03", "2020-06"]) == []
    assert skipped_periods(["2019", "2019-06", "2020", "2021"]) == []  # mixed: no rhythm to judge
    assert skipped_periods(["2020", "2019", "2018", "2017"]) == []  # not in time order


def test_a_line_that_skips_months_is_warned_at_x():
    months = [f"2023-{m:02d}" for m in range(1, 13) if m not in (4, 11)]
    ds = cc.dataset([{"p": p, "v": float(i)} for i, p in enumerate(months)], {"p": "period", "v": "number"})
    said: list[tuple[str, str, str]] = []
    for kind in ("line", "column"):
        resolve_chart("c", cc.ChartSpec(dataset=ds.id, kind=kind, x="p", y="v", title="月度"), ds, cc.THEME,
                      lambda t, _k: t, lambda message, key, hint: said.append((message, key, hint)))
    assert len(said) == 1, said  # the line only: a column chart shows each month it has as a bar of its own
    message, key, hint = said[0]
    assert key == "x" and "2023年4月" in message and "2023年11月" in message and "empty value" in hint
