"""A timeline in the brief gets the height its stages' texts need (issue #16: "never lost text"): a new user's A5
report printed two of four descriptions cut with 「…」 on a page 60 % empty, at a height fixed by the layout
(pdf_heights), while the deck showed them whole. Generated timelines of 2-6 stages with descriptions of 10-110
characters, on A4 and A5, built through the whole pipeline: every description is in the PDF's text whole, with no
「…」."""

from __future__ import annotations

import csv
import subprocess
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clients import tool

HAN = "政务服务网站抽查整改考核监测机制栏目留言办理群众平台数据共享标准规范"


@st.composite
def stages(draw):
    n = draw(st.integers(2, 6))
    out = []
    for k in range(n):
        body = "".join(draw(st.lists(st.sampled_from(HAN), min_size=5, max_size=100)))
        number = draw(st.sampled_from(["", "（3–5个工作日）", "94.07%", "3488个", "2.35亿元"]))
        cut = draw(st.integers(0, len(body)))
        out.append((f"20{19 + k}-0{k + 1}", "".join(draw(st.lists(st.sampled_from(HAN), min_size=2, max_size=10))),
                    body[:cut] + number + body[cut:] + "。"))
    return out


def _build(root: Path, milestones: list[tuple[str, str, str]], size: str) -> Path:
    from egovdeck.engine.build import build

    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    with open(root / "data" / "m.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["period", "stage", "text"])
        w.writerows(milestones)
    meta = {"title": "进展", "file": "m.csv", "source": "资料来源：测试", "columns": {
        "period": {"type": "text"}, "stage": {"type": "text"}, "text": {"type": "text"}}}
    (root / "data" / "m.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    definition = {"report": {"id": "tl", "title": "时间轴", "date": "2020-05-20"}, "page": {"size": size},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "进展", "findings": [{
                      "id": "f", "title": "时间轴", "layout": "timeline", "text": "说明。",
                      "slots": {"timeline": {"dataset": "m", "period": "period", "label": "stage", "text": "text"}}}]}]}
    src = root / "reports" / "tl.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    build(src, output_dir=root / "output", use_cache=False, formats=("pdf",))
    return root / "output" / "tl.pdf"


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(milestones=stages(), size=st.sampled_from(["A4", "A5"]))
@example(milestones=[  # breaker5's A5 stages, two of which were cut
    ("2019-03", "启动全国政府网站抽查", "国务院办公厅印发通知，明确「每季度抽查比例不低于5%」的要求，并对『互动交流』栏目答复时限"
                                   "作出规定（3–5个工作日）。"),
    ("2019-07", "第一轮集中整改", "对首轮抽查发现的不合格网站（共31个）下发整改通知，整改期限为30日；涉及专项资金约2.35亿元。"),
    ("2019-12", "年度考核", "抽查合格率达94.07%，较上年提高2.3个百分点；群众留言办结量约158.6万人次。"),
    ("2020-03", "常态化监测", "建立常态化监测机制，首页链接不可用、栏目空白、长期不更新等问题实行「发现—整改—复核」闭环管理，"
                          "累计关停整合网站3488个。")], size="A5")
def test_a_timelines_descriptions_are_printed_whole(milestones, size):
    with tempfile.TemporaryDirectory(prefix="egov-tl-") as tmp:
        pdf = _build(Path(tmp) / "p", milestones, size)
        raw = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout  # reading order: each stage's column as a block
        text = "".join(raw.split())
        assert "…" not in text
        for _period, stage, description in milestones:
            assert description in text, description
            assert stage in text, stage
