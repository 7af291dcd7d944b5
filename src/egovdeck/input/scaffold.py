"""`egovdeck init DIR`: a small, working project to start from.

Two datasets (CSV + sidecar) whose numbers are copied, with their sources, from the bundled 2019 briefing's data/,
a definition with two sections (chart-text and kpi-row), and a README explaining how a project is laid out.
"""

from __future__ import annotations

import re
from pathlib import Path

from egovdeck.errors import EgovError, Problem

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# --------------------------------------------------------------------------- data (copied from data/ of the bundled project)

USERS_CSV = """\
period,users,share,status,provenance
2016-12,2.39,,reported,期刊文章（朱小妮，zgkjsz转载，原为繁体）引CNNIC：“在线政务服务用户规模达到2.39亿”；未注明报告期次
2018-12,3.94,47.5,reported,CNNIC第43次报告（人民日报/东南网报道）：“我国在线政务服务用户规模达3.94亿，占整体网民的47.5%”
2020-03,6.94,76.8,reported,CNNIC第45次报告（noyes88转载）：“我国在线政务服务用户规模达6.94亿，较2018年底增长76.3%，占网民整体的76.8%”；与原文一致
"""

USERS_YAML = """\
# A dataset sidecar: describes online_gov_users.csv (same stem), column by column.
title: 中国在线政务服务用户规模
file: online_gov_users.csv
source: 资料来源：CNNIC第43次、第45次《中国互联网络发展状况统计报告》；2016年数据引自期刊文章
unit: 亿人
notes:
  - 2016年12月数据引自期刊文章（朱小妮），未注明报告期次；2016年占网民比例原文仅称“三成”，故空缺。
  - 2017年12月与2019年6月数据缺失，表中不列。
key: [period]
columns:
  period: {type: period, label: 时间}
  users: {type: number, unit: 亿人, label: 在线政务服务用户规模}
  share: {type: number, unit: "%", label: 占网民比例, required: false}
  status: {type: text, label: 数据性质}
  provenance: {type: text, label: 来源与计算}
"""

WEBSITES_CSV = """\
period,websites,change,status,provenance
2018-12,17962,,reported,CNNIC第43次报告（shi-fen转载）：“截至2018年12月，我国共有政府网站17962个”
2019-12,14474,-3488,reported,CNNIC第45次报告摘要（wwwleb）：“截至2019年12月，我国共有政府网站14474个”；change为原文“比2018年减少3488个”，校核：14474 − 17962 = −3488
"""

WEBSITES_YAML = """\
title: 中国政府网站数量
file: gov_websites_total.csv
source: 资料来源：CNNIC第43次、第45次《中国互联网络发展状况统计报告》
unit: 个
notes:
  - 政府网站包括政府门户网站和部门网站，数据为年底存量。
  - 2019年较2018年减少3488个为原文数据，与CNNIC两年数据相减结果一致。
key: [period]
columns:
  period: {type: period, label: 时间}
  websites: {type: integer, unit: 个, label: 政府网站数量}
  change: {type: integer, unit: 个, label: 较上年增减, required: false}
  status: {type: text, label: 数据性质}
  provenance: {type: text, label: 来源与计算}
"""

# --------------------------------------------------------------------------- the definition

DEFINITION = """\
# A report definition: egovdeck build reports/{name}.yaml writes output/{name}.pdf and output/{name}.pptx.
# Every number in the text comes from data/ through template functions (value, latest, growth, ...).

report:
  id: {name}
  title: 在线政务服务发展简报（示例）
  subtitle: 由 egovdeck init 生成的示例项目
  organisation: egovdeck 示例
  date: 2020-05-20

datasets:
  - data/*.yaml

sections:
  - id: users
    title: 在线政务服务用户规模
    findings:
      - id: users-scale
        title: 在线政务服务用户规模达6.94亿
        layout: chart-text
        text: |
          {{%- set now = value("online_gov_users", "users", period="2020-03") -%}}
          {{%- set before = value("online_gov_users", "users", period="2018-12") -%}}
          截至2020年3月，我国在线政务服务用户规模达{{{{ now | num(2) }}}}亿人，较2018年底增加{{{{ (now - before) | num(2) }}}}亿人，{{{{ growth(now, before) | change }}}}；占网民整体的{{{{ value("online_gov_users", "share", period="2020-03") | pct }}}}。
        slots:
          chart:
            kind: column
            dataset: online_gov_users
            title: 2016—2020年中国在线政务服务用户规模
            x: period
            y: users
            format: "0.00"
            y_title: 亿人

  - id: websites
    title: 政府网站数量
    findings:
      - id: websites-total
        title: 政府网站数量精简至14,474个
        layout: kpi-row
        text: |
          {{%- set now = value("gov_websites_total", "websites", period="2019-12") -%}}
          {{%- set before = value("gov_websites_total", "websites", period="2018-12") -%}}
          截至2019年12月，我国政府网站数量为{{{{ now | num }}}}个，比2018年底减少{{{{ (before - now) | num }}}}个，{{{{ growth(now, before) | change }}}}。
        slots:
          kpis:
            - value: '{{{{ value("gov_websites_total", "websites", period="2019-12") | num }}}}个'
              label: 政府网站数量（2019年底）
              change: '较2018年底减少{{{{ (0 - value("gov_websites_total", "change", period="2019-12")) | num }}}}个'
            - value: '{{{{ growth(value("gov_websites_total", "websites", period="2019-12"), value("gov_websites_total", "websites", period="2018-12")) | abs | num(1) }}}}%'
              label: 同比降幅
              change: 2019年与2018年相比
          chart:
            kind: column
            dataset: gov_websites_total
            title: 2018—2019年中国政府网站数量
            x: period
            y: websites
            format: "#,##0"
            y_title: 个
"""

README = """\
# {name} — an egovdeck project

Build the PDF brief and the PowerPoint deck:

    egovdeck validate reports/{name}.yaml   # check everything, render nothing
    egovdeck build reports/{name}.yaml      # writes output/{name}.pdf and output/{name}.pptx

## Layout of a project

    reports/{name}.yaml      the report definition: metadata, datasets used, sections and findings
    data/NAME.csv            a dataset: a tidy table, UTF-8, one header row (GB18030 is read with a warning)
    data/NAME.yaml           its sidecar: title, file, source line, unit, notes, key, and every column's
                             type (integer, number, text, date, period), label, unit and required flag
    output/                  the built brief and deck (replaced only after a successful build)

- A dataset's id is its sidecar's file name without `.yaml` (`data/online_gov_users.yaml` -> `online_gov_users`).
- `datasets:` in the definition lists sidecars or globs (`data/*.yaml`), relative to the project folder. Files
  outside the project folder (`..`, absolute paths, links pointing out) are refused.
- Each section has findings; each finding has a `layout` (chart-text, chart-wide, two-charts, kpi-row, kpi-text,
  table, timeline) whose `slots` hold charts, KPIs or tables.
- Text fields are sandboxed templates: numbers come from the data, e.g.
  `{{{{ value("online_gov_users", "users", period="2020-03") | num(2) }}}}`, with the filters num, cn, pct, change
  and pp, and the functions latest, previous, value, total, count, rank, share, top and growth.
- An empty cell means "unknown" (never zero): mark such columns `required: false`.

## The sample data

Both datasets are copied from the egovdeck bundled 2019 briefing; every row keeps its source in the
`provenance` column and every sidecar its 「资料来源」 line:

- `online_gov_users`: CNNIC 43rd and 45th 《中国互联网络发展状况统计报告》 (2016: a journal article citing CNNIC).
- `gov_websites_total`: CNNIC 43rd and 45th reports.
"""

FILES = {
    "data/online_gov_users.csv": USERS_CSV,
    "data/online_gov_users.yaml": USERS_YAML,
    "data/gov_websites_total.csv": WEBSITES_CSV,
    "data/gov_websites_total.yaml": WEBSITES_YAML,
}


def init_project(folder: Path, name: str = "brief") -> list[Path]:
    """Write a small working project into folder (created if needed; refused if not empty)."""
    folder = Path(folder)
    if not NAME_RE.match(name):
        raise EgovError(Problem(f'"{name}" cannot name a report', key="--name",
                                hint="use letters, digits, '-', '_' or '.', e.g. brief-2020"))
    if folder.exists() and not folder.is_dir():
        raise EgovError(Problem(f"{folder} exists and is not a folder", hint="choose a new folder name"))
    if folder.is_dir() and any(folder.iterdir()):
        raise EgovError(Problem(f"{folder} is not empty; egovdeck init only writes into a new or empty folder",
                                hint="choose a new folder name, e.g. egovdeck init my-brief"))
    files = {**FILES, f"reports/{name}.yaml": DEFINITION.format(name=name), "README.md": README.format(name=name)}
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
