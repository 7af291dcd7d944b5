"""The build engine: fast start, caching, up-to-date rebuilds, determinism, parallelism, editions."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

HEAVY = ("matplotlib", "pandas", "reportlab", "pptx")


def _modules_after(args: list[str], cwd: Path) -> set[str]:
    code = (f"import sys, json\nfrom egovdeck.cli.main import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate"]])
def test_help_version_and_validate_do_not_import_the_renderers(args):
    loaded = _modules_after(args, ROOT)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(definition: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "egovdeck", "build", str(definition), *extra], capture_output=True,
                          text=True, env=env)


def test_rebuild_is_up_to_date_and_a_narrative_edit_rerenders_no_chart(tmp_path):
    definition = copy_project(tmp_path)
    first = _build(definition)
    assert first.returncode == 0, first.stderr
    assert "12 rendered, 0 from cache" in first.stdout
    pdf, pptx = tmp_path / "output" / "egov-2019.pdf", tmp_path / "output" / "egov-2019.pptx"
    before = (pdf.stat().st_mtime_ns, pptx.stat().st_mtime_ns)
    again = _build(definition)
    assert again.returncode == 0 and "up to date" in again.stdout
    assert (pdf.stat().st_mtime_ns, pptx.stat().st_mtime_ns) == before  # nothing rewritten
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("网民线上办事使用率显著提升", "网民线上办事的使用率显著提升"), encoding="utf-8")
    edited = _build(definition)
    assert edited.returncode == 0, edited.stderr
    assert "0 rendered, 12 from cache" in edited.stdout
    from pptx import Presentation

    notes = [s.notes_slide.notes_text_frame.text for s in Presentation(pptx).slides if s.has_notes_slide]
    assert any("网民线上办事的使用率显著提升" in n for n in notes)


def test_same_inputs_same_bytes_whatever_the_number_of_jobs(tmp_path):
    definition = copy_project(tmp_path)
    digests = []
    for jobs, out in ((1, "a"), (2, "b")):
        result = _build(definition, "--no-cache", "--jobs", str(jobs), "-o", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
        digests.append({p.name: _sha(p) for p in sorted((tmp_path / out).iterdir())})
    assert digests[0] == digests[1]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: _sha(p) for p in sorted(folder.iterdir())}


def test_charts_missing_from_the_cache_are_rendered_and_the_rest_reused(tmp_path):
    """The PDF writer takes some charts from the cache while the renderer sends it the others."""
    definition = copy_project(tmp_path)
    cache = tmp_path / "cache"
    first = _build(definition, "--cache-dir", str(cache), "-o", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    svgs = sorted((cache / "charts").glob("*.svg"))
    # the 12 charts at their planned sizes, and those drawn smaller to fit a page foot (brief.FigureBlock)
    assert len(svgs) >= 12
    for path in svgs[::3]:
        path.unlink()
    again = _build(definition, "--cache-dir", str(cache), "-o", str(tmp_path / "b"))
    assert again.returncode == 0, again.stderr
    counts = re.search(r"(\d+) rendered, (\d+) from cache", again.stdout)
    assert counts and int(counts[1]) >= 1 and int(counts[1]) + int(counts[2]) == 12, again.stdout
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_a_failing_chart_renderer_stops_the_build_and_keeps_the_outputs(tmp_path, monkeypatch):
    from egovdeck.charts import mpl
    from egovdeck.engine.build import build

    definition = copy_project(tmp_path)
    out = tmp_path / "out"
    build(definition, output_dir=out, cache_dir=tmp_path / "c1", jobs=2)
    before = _digests(out)

    def broken(*_args, **_kwargs):
        raise ValueError("renderer broke")

    monkeypatch.setattr(mpl, "render_svg", broken)
    with pytest.raises(RuntimeError, match=r"rendering the charts failed: ValueError\('renderer broke'\)"):
        build(definition, output_dir=out, cache_dir=tmp_path / "c2", jobs=2)
    assert _digests(out) == before  # nothing replaced, no temporary file left behind


def test_native_chart_parts_are_reused_from_the_cache_with_the_same_bytes(tmp_path, monkeypatch):
    from egovdeck.charts import native
    from egovdeck.engine.build import build

    reused = []
    original = native._add_cached
    monkeypatch.setattr(native, "_add_cached", lambda *a, **k: reused.append(a[1].id) or original(*a, **k))
    definition = copy_project(tmp_path)
    build(definition, output_dir=tmp_path / "a", cache_dir=tmp_path / "cache", formats=("pptx",))
    assert reused == []
    build(definition, output_dir=tmp_path / "b", cache_dir=tmp_path / "cache", formats=("pptx",))
    assert len(reused) == 12  # every native chart (the timeline is drawn with shapes; the ranking is two)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_render_edition_on_its_own_forks_its_pdf_processes(tmp_path):
    """The library entry point without build(): it starts the PDF writer itself, same bytes."""
    from egovdeck.engine.build import Options, render_edition
    from egovdeck.input.project import load_project

    definition = copy_project(tmp_path)
    result = render_edition(load_project(definition), None, Options(output_dir=tmp_path / "a", use_cache=False, jobs=2))
    assert result.pages > 10 and result.slides > 10 and result.charts_rendered == 12
    single = _build(definition, "--no-cache", "--jobs", "1", "-o", str(tmp_path / "b"))
    assert single.returncode == 0, single.stderr
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_source_date_epoch_sets_the_timestamps(tmp_path):
    import os

    definition = copy_project(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1600000000"}
    assert _build(definition, "--no-cache", "-o", str(tmp_path / "a"), env=env).returncode == 0
    from pypdf import PdfReader

    assert PdfReader(tmp_path / "a" / "egov-2019.pdf").metadata["/CreationDate"].startswith("D:20200913")
    env2 = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    assert _build(definition, "--no-cache", "-o", str(tmp_path / "b"), env=env2).returncode == 0
    # without it, the report's own date (2020-05-20), never the clock
    assert PdfReader(tmp_path / "b" / "egov-2019.pdf").metadata["/CreationDate"].startswith("D:20200520")


def test_one_province_edition(tmp_path):
    copy_project(tmp_path)
    definition = tmp_path / "reports" / "egov-2019-province.yaml"
    result = _build(definition, "--edition", "西藏")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "output" / "egov-2019-province" / "西藏.pdf"
    assert pdf.exists() and (pdf.with_suffix(".pptx")).exists()
    from clients import pdftotext_pages

    text = "".join(pdftotext_pages(pdf)).replace("\n", "").replace(" ", "")
    assert "2019年西藏政府网站发展简报" in text
    assert "西藏共有政府网站215个" in text
    from pptx import Presentation

    cover = [sh.text_frame.text for sh in Presentation(str(pdf.with_suffix(".pptx"))).slides[0].shapes
             if sh.has_text_frame]
    assert "（西藏版）" in text and any("（西藏版）" in t for t in cover), cover  # the same line on both covers
    missing = _build(definition, "--edition", "火星")
    assert missing.returncode == 1 and 'no edition "火星"' in missing.stderr


def test_all_editions_through_a_plain_executor(tmp_path):
    """Editions go through any concurrent.futures executor (a cluster executor can be plugged in)."""
    from concurrent.futures import ThreadPoolExecutor

    from egovdeck.engine.build import build

    copy_project(tmp_path)
    with ThreadPoolExecutor(1) as pool:
        result = build(tmp_path / "reports" / "egov-2019-province.yaml", all_editions=True, executor=pool,
                       formats=("pptx",))
    names = sorted(p.name for p in result.outputs)
    assert len(names) == 32 and "新疆生产建设兵团.pptx" in names


def test_an_editions_report_needs_an_edition_and_validates_every_one(tmp_path):
    copy_project(tmp_path)
    definition = tmp_path / "reports" / "egov-2019-province.yaml"
    plain = _build(definition)
    assert plain.returncode == 1
    assert "builds one edition per province (32 editions)" in plain.stderr and "--all-editions" in plain.stderr
    check = subprocess.run([sys.executable, "-m", "egovdeck", "validate", str(definition)], capture_output=True,
                           text=True)
    assert check.returncode == 0 and "32 editions" in check.stdout
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace('highlight: ["{{ province }}"]', 'highlight: ["{{ province }}省"]'),
                          encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "egovdeck", "validate", str(definition)], capture_output=True,
                            text=True)
    assert broken.returncode == 1 and "highlight names categories not in the chart: 四川省" in broken.stderr


def test_build_without_arguments_finds_the_only_definition_of_an_init_project(tmp_path):
    project = tmp_path / "brief"
    made = subprocess.run([sys.executable, "-m", "egovdeck", "init", str(project)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([sys.executable, "-m", "egovdeck", "build", "--only", "pdf"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (project / "output" / "brief.pdf").exists()


@pytest.mark.parametrize("mode", [(), ("-q",)])
def test_a_warning_is_printed_once(tmp_path, mode):
    """A warning printed as it comes is not printed again after the summary (a new user saw each one twice);
    one that only the result carries is still printed."""
    definition = copy_project(tmp_path)
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("\n  title: ", "\n  subtitel: 副标题\n  title: ", 1), encoding="utf-8")
    done = _build(definition, "--only", "pdf", *mode)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count('unknown key "subtitel"') == 1, done.stderr
