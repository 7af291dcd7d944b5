"""Chinese line breaking and box fitting with the bundled font's metrics."""

from __future__ import annotations

import pytest

from egovdeck.text.fonts import default_fonts, metrics
from egovdeck.text.textfit import NO_END, NO_START, fit, wrap

TEXT = ("截至2020年3月，我国在线政务服务用户规模达6.94亿人，较2018年底增加3.00亿人，增长76.1%；"
        "占网民整体的比重由47.5%提升至76.8%，提高29.3个百分点。2019年我国各级别政府网站开通栏目数量共计"
        "24.5万个（其中信息公开栏目16.24万个），“互联网+政务服务”深化发展。")


@pytest.fixture(scope="module")
def m():
    return metrics(default_fonts().regular)


@pytest.mark.parametrize("width", [60, 97, 120, 151, 200, 233, 300, 411])
def test_wrapped_lines_obey_the_kinsoku_rules_and_fit(m, width):
    lines = wrap(TEXT, width, 12, m)
    assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
    for line in lines:
        assert line[0] not in NO_START, line
        assert line[-1] not in NO_END, line
        assert m.width(line, 12) <= width + 12 * 2  # a pushed-down pair may exceed by one glyph
    for a, b in zip(lines, lines[1:], strict=False):
        # numbers are never split: a line may not end and the next begin inside 6.94 / 14,474
        assert not (a[-1].isdigit() and b[0].isdigit()), (a, b)


def test_fit_shrinks_then_returns_the_rest(m):
    f = fit([TEXT], 300, 200, m, 16, 12)
    assert not f.rest and f.size <= 16
    tight = fit([TEXT] * 4, 300, 100, m, 16, 12)
    assert tight.size == 12 and tight.rest
    assert tight.lines * 12 * 1.3 <= 100
