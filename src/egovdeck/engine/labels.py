"""One decision of which data labels each chart shows, for the PDF and the deck (issue #16): both outputs'
frames of every chart, then `egovdeck.charts.labelplan.agree` on them, before either renderer runs.

The PDF's frames are its planned chart sizes (`render.pdf.geometry`: a ranking split into side-by-side
parts is one frame per part); the deck's are its native chart frames on the report's deck template
(`render.pptx.deck.deck_chart_frames`). The decision does not depend on which outputs are built, so
`--only pdf` gives the PDF a full build gives."""

from __future__ import annotations

from dataclasses import replace

from egovdeck.decktemplate.reader import DeckTemplate
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document
from egovdeck.document.theme import Theme
from egovdeck.engine.frames import ChartFrames
from egovdeck.text.fonts import FontSet


def _category_step(chart: ChartData, pdf: list, deck: list, fonts: FontSet) -> ChartData:
    """chart with its category_step: every k-th category named in both outputs, from the first (issue #16:
    the PDF named the Decembers of a thinned time axis, LibreOffice the Junes). k is the larger of the
    deck's (each native frame's part carries the step its viewers need, render.pptx.deck) and the PDF's
    plan's at that step, until neither asks for more; a chart the PDF splits into parts (a ranking) keeps 1."""
    from egovdeck.charts.plan import plan_chart
    from egovdeck.document.chart import ChartRenderError

    if chart.kind not in ("column", "line", "combo") or len(chart.categories) < 2:
        return chart
    step = max([part.category_step for _s, part, *_ in deck] + [chart.category_step])
    for _ in range(4):
        need = step
        for start, part, w, h, theme in pdf:
            if start or len(part.categories) != len(chart.categories):
                continue
            try:
                need = max(need, plan_chart(replace(part, category_step=step), w, h, theme, fonts).category_step)
            except ChartRenderError:
                continue
        if need == step:
            break
        step = need
    return replace(chart, category_step=step) if step != chart.category_step else chart


def agree_chart_labels(doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate,
                       frames: ChartFrames | None = None) -> Document:
    """doc with every chart's `shown_labels` decided (see the module docstring). frames: doc's (engine.frames;
    None: computed here)."""
    from egovdeck.charts.labelplan import agree
    from egovdeck.engine.frames import chart_frames
    from egovdeck.render.pptx.deck import chart_frames_of

    frames = frames or chart_frames(doc, fonts, theme, template)
    sizes, parts, deck = frames.pdf_sizes, frames.pdf_parts, chart_frames_of(frames.native)
    decided: dict[str, ChartData] = {}
    for chart in doc.charts():
        pdf = []
        if chart.id in parts:
            start = 0
            for part in parts[chart.id]:
                pdf.append((start, part, *sizes[part.id], theme))
                start += len(part.categories)
        elif chart.id in sizes:
            pdf.append((0, chart, *sizes[chart.id], theme))
        chart = _category_step(chart, pdf, deck.get(chart.id, []), fonts)
        decided[chart.id] = agree(chart, pdf, deck.get(chart.id, []), fonts)
    sections = tuple(replace(s, findings=tuple(
        replace(f, blocks={slot: decided.get(b.id, b) if isinstance(b, ChartData) else b
                           for slot, b in f.blocks.items()}) for f in s.findings)) for s in doc.sections)
    return replace(doc, sections=sections)


def series_label_warnings(doc: Document, project) -> list[str]:
    """A warning at the chart's `labels:` for each chart some of whose series of bars show no data label by
    the whole-series rule (charts.labelplan.whole_series_left_out), once per chart, with the fixes.
    project: the input.project.Project doc was resolved from (for the key's file:line:column)."""
    from egovdeck.charts.labelplan import labelled_bar_series, whole_series_left_out
    from egovdeck.errors import Problem

    where = {f"{finding.id}-{slot}": ("sections", si, "findings", fi, "slots", slot, "labels")
             for si, section in enumerate(project.report.sections)
             for fi, finding in enumerate(section.findings) for slot in finding.slots}
    out = []
    for chart in doc.charts():
        left = whole_series_left_out(chart)
        if not left or chart.id not in where:
            continue
        names = "、".join(f"“{chart.series[j].name}”" for j in left)
        why = "no label finds room beside its neighbours" if len(left) == len(labelled_bar_series(chart)) else \
            "beside the labels of the series before them most would touch a neighbour's (a series shows all its " \
            "labels or none)"
        out.append(str(Problem(
            f"chart “{chart.title}”: the data labels of {names} are left out: {why}",
            hint="show fewer series in this chart, set `labels: false`, give it a wider layout, or show the "
            "values in a table", warning=True, **project.located.where(where[chart.id]))))
    return out
