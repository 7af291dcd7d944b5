"""ReportLab internals the brief's layout needs (see compat/__init__.py).

ReportLab 4.x/5.x: platypus has no public API for "is this frame still empty", a table's row
heights, the text cursor inside an onDraw callback, or the paragraphs a TableOfContents builds.
"""

from __future__ import annotations


def text_cursor(canv) -> tuple[float, float]:
    """Where the text being drawn has got to, inside an `<onDraw>` callback (points, the paragraph's own
    coordinates). ReportLab's own TableOfContents reads the same private dictionary: an onDraw callback
    receives only (canvas, kind, label)."""
    info = canv._curr_tx_info
    return info["cur_x"], info["cur_y"]


def table_cells(table) -> list[list]:
    """A Table's cells as given (rows of cell values: a string, a flowable or a list of flowables):
    ReportLab keeps no public copy of them."""
    return table._cellvalues


def toc_cells(toc) -> list:
    """The flowables in the table a TableOfContents made in wrap(): each entry's Paragraph. Public API
    offers only the finished table as a whole (drawn by the TOC itself)."""
    return [f for row in table_cells(toc._table)
            for cell in row for f in (cell if isinstance(cell, list | tuple) else (cell,))]


def retype(obj, cls) -> None:
    """Give an object a subclass of its class (the TOC's Paragraphs become TocLines that draw their end
    after their text). TableOfContents has no hook for the class of the paragraphs it makes."""
    obj.__class__ = cls


def frame_at_top(flowable) -> bool:
    """Whether the frame that asks `flowable` to split has nothing on it yet (a fresh page): platypus
    keeps this on the frame as `_atTop` and sets `flowable._frame` while splitting; no public accessor."""
    frame = getattr(flowable, "_frame", None)
    return bool(frame and getattr(frame, "_atTop", 0))


def frame_height(flowable) -> float | None:
    """The height (pt) of the frame that asks `flowable` to split, None outside a split: the frame is
    known to the flowable only as `_frame` (see frame_at_top) and keeps its height as `_height`."""
    frame = getattr(flowable, "_frame", None)
    return float(frame._height) if frame is not None else None


def row_heights(table) -> list[float]:
    """A wrapped Table's row heights (points); public API gives only the total (wrap's return value)."""
    return list(table._rowHeights)


def kept_flowables(keep) -> list:
    """The flowables a KeepTogether holds: it has no public accessor for them."""
    return list(keep._content)


def list_height(flowables: list, width: float, canv) -> float:
    """The height of flowables stacked in a frame of `width`, spaces between them included, as a frame
    measures them (platypus' own helper for KeepTogether; no public equivalent)."""
    from reportlab.platypus.flowables import _listWrapOn

    return _listWrapOn(flowables, width, canv)[1]


def fit_split_row(table, row: int) -> None:
    """Let printed row `row` of a Table part made by a split take the height of its content again, when
    every cell of it is empty or holds the rest of a cell split there (ReportLab turns such a cell's
    valign to TOP). ReportLab gives the rest of a row split inside (Table._splitRows) the row's old height
    less the part printed before the break, a fixed height (`_argH`) that keeps the slack of the whole row:
    under the repeated header, two lines of a long cell were followed by a blank before the next piece of
    the same cell. The public API takes row heights only in the constructor, which ReportLab calls
    itself. A row with a cell moved there whole is left alone: ReportLab pads such a cell to the old
    row's middle (`_cellStyles`' bottomPadding), and only the old height holds that padding."""
    cells, styles = table._cellvalues[row], table._cellStyles[row]
    if all(not value or style.valign == "TOP" for value, style in zip(cells, styles, strict=True)):
        heights = list(table._argH)
        heights[row] = None
        table._argH = heights
