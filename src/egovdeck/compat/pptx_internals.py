"""python-pptx internals the deck needs (see compat/__init__.py).

python-pptx 1.0 gives `.element` on shapes, slides, layouts, masters, charts and the presentation
(used directly elsewhere); runs, fonts, paragraphs, text frames, table cells and legends have no such
property, and there is no public way to add a chart part made elsewhere or to write the package's parts
without its zip writer.
"""

from __future__ import annotations

import io


def run_properties(obj):
    """The `a:rPr` of a python-pptx _Run (created if missing) or Font, else None."""
    if hasattr(obj, "_r"):  # pptx.text.text._Run
        return obj._r.get_or_add_rPr()
    if hasattr(obj, "_rPr"):  # pptx.text.text.Font
        return obj._rPr
    return None


def paragraph_element(paragraph):
    """The `a:p` element of a python-pptx paragraph."""
    return paragraph._p


def text_frame_element(text_frame):
    """The `p:txBody`/`a:txBody` element of a python-pptx text frame."""
    return text_frame._txBody


def cell_element(cell):
    """The `a:tc` element of a python-pptx table cell."""
    return cell._tc


def legend_element(legend):
    """The `c:legend` element of a python-pptx chart legend."""
    return legend._element


def base_placeholder(layout_placeholder):
    """The master's placeholder a layout placeholder inherits from (or None): python-pptx resolves it
    for its own inheritance but does not expose it."""
    return layout_placeholder._base_placeholder


def xml_part_element(part):
    """The parsed tree python-pptx keeps for an XmlPart (slides, layouts, masters, charts, notes), or None
    for a part kept as bytes (the theme). `part.blob` is a fresh serialisation: an edit to a parse of it
    would be lost, and XmlPart has no public accessor for its tree."""
    return getattr(part, "_element", None)


def add_chart_part(slide, part, left: int, top: int, width: int, height: int):
    """Put an already made ChartPart on a slide as a graphic frame; returns the GraphicFrame.
    `shapes.add_chart` only builds a new part from ChartData (the cache reuses finished parts)."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    shapes = slide.shapes
    element = shapes._add_chart_graphicFrame(slide.part.relate_to(part, RT.CHART), left, top, width, height)
    shapes._recalculate_extents()
    return shapes._shape_factory(element)


def package_entries(package) -> list[tuple[str, bytes]] | None:
    """The (member name, bytes) entries python-pptx's save would zip, in its order, uncompressed; None
    if its writer changed shape. Saves deflating every part twice (save, then ooxml.normalize_zip)."""
    from pptx.opc.serialized import PackageWriter

    entries: list[tuple[str, bytes]] = []

    class _Sink:
        def write(self, pack_uri, blob: bytes) -> None:
            entries.append((pack_uri.membername, blob))

    try:
        # no file: _Sink stands in for the physical package writer (it has the one method used)
        writer, sink = PackageWriter(None, package._rels, tuple(package.iter_parts())), _Sink()  # type: ignore[arg-type]
        writer._write_content_types_stream(sink)  # type: ignore[arg-type]
        writer._write_pkg_rels(sink)  # type: ignore[arg-type]
        writer._write_parts(sink)  # type: ignore[arg-type]
    except AttributeError:
        return None
    return entries


def saved(package) -> bytes:
    """The package as python-pptx's public save writes it."""
    buf = io.BytesIO()
    package.save(buf)
    return buf.getvalue()
