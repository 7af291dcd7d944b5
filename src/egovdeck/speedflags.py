"""The speed tricks of a build, and the one switch that turns each off (for the benchmark).

`EGOVDECK_SPEED_OFF=name,name,...` (or `all`) is read here, once, when this module is first imported;
no other module reads it, and nothing writes it. A trick switched off must give the same bytes: each
one only changes how fast a build runs, never what it writes. scripts/bench.py measures what each
saves on the case it targets (docs/benchmarks.md, "Speed tricks"); a trick that saves under 3 % of its
case is removed, not kept switchable (removed so: a pool of chart renderers forked by the chart
process, and setting PYDANTIC_DISABLE_PLUGINS before pydantic loads).

    trick          where                          what it does
    pdf-processes  build.parallel_formats,        PDF writer and chart renderer in forked processes, the
                   pdfside.PdfProcesses           deck in this one (the longer of the two, not their sum)
    fork-warm      pdfside.PdfProcesses           those processes import ReportLab/matplotlib while this
                                                  one still loads and resolves the definition
    pool-warm      build._build                   --all-editions: the parent imports the renderers
                                                  before it forks the pool (each worker starts warm)
    chart-cache    build.render_edition           rendered charts (SVG, native chart parts) kept by content
    manifest       build.build                    an unchanged build stops after checking its inputs
    watch-warm     build.warm_up                  watch/serve build a sample once, then gc.freeze()
    server         entry.run                      `egovdeck build` hands over to a running `egovdeck serve`
    os-exit        entry.run                      exit without tearing the interpreter's heap down
    rl-accel       (ReportLab itself)             ReportLab's C accelerator (the rl_accel package)
    fontfile       fonts._read_version            font facts from a few struct reads, not fontTools
    libyaml        yamlload._load_checked         definitions read by libyaml; ruamel only for errors
"""

from __future__ import annotations

import os
import sys

TRICKS = ("pdf-processes", "fork-warm", "pool-warm", "chart-cache", "manifest", "watch-warm",
          "server", "os-exit", "rl-accel", "fontfile", "libyaml")
ENV = "EGOVDECK_SPEED_OFF"


def _read() -> frozenset[str]:
    raw = os.environ.get(ENV, "")
    names = {n.strip() for n in raw.split(",") if n.strip()}
    if "all" in names:
        return frozenset(TRICKS)
    unknown = names - set(TRICKS)
    if unknown:  # a benchmark that measured nothing would look like a trick that saves nothing
        raise SystemExit(f"{ENV}: unknown speed trick {', '.join(sorted(unknown))} (known: {', '.join(TRICKS)})")
    return frozenset(names)


OFF = _read()

if "rl-accel" in OFF:
    # ReportLab imports its accelerator as the top-level module _rl_accel and falls back to Python
    # when that import fails; a None entry in sys.modules makes it fail (ReportLab's own tests do so).
    sys.modules.setdefault("_rl_accel", None)  # type: ignore[arg-type]


def on(trick: str) -> bool:
    """Whether a speed trick is in use (all are, unless EGOVDECK_SPEED_OFF names them)."""
    if trick not in TRICKS:
        raise ValueError(f"unknown speed trick {trick!r}")
    return trick not in OFF
