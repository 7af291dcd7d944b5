"""Tagged PDF (ISO 32000-1 §14.7-14.8, as PDF/UA-1 asks): the brief's logical structure and the marked
content that ties the pages to it.

ReportLab has no tagging API, so the work is split in two:

- While the pages are drawn, each flowable that is real content (a paragraph, a heading, a caption, a
  table cell, a chart) brackets its drawing in a marked-content sequence with a per-page MCID
  (`/P <</MCID 3>> BDC ... EMC`), written with the canvas's public `addLiteral`. The flowable carries the
  structure element (`Node`) it belongs to; `tag_story` hands the elements out, in story order, before
  the layout runs. A flowable drawn a second time (a table's header repeated on a continuation page) is
  pagination, not content, and is left unmarked.
- After the build, `write_structure` (pikepdf) marks every painting operator left outside a sequence as
  an `/Artifact` (running header, footer, page numbers, table rules and backgrounds, leaders, 「续表」
  labels), writes the structure tree (StructTreeRoot, ParentTree, /MarkInfo) and ties the 目录's link
  annotations to their Link elements.

The structure is Document > P (cover) and one Sect per H1 (目录, each section, 数据说明); each finding is
a Sect with its H2 inside its section's. A figure is a Caption then a Figure whose /Alt is the chart's
alt text (the deck's); a table is a Caption then a Table of TR with TH (scope Column) and TD. Reading
order is story order, which is the order the pages draw in.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from reportlab.platypus import KeepTogether, Table
from reportlab.platypus.tableofcontents import TableOfContents

from egovdeck.compat.reportlab_internals import kept_flowables, table_cells


@dataclass(eq=False)
class Node:
    """A structure element: a standard structure type (`role`), its children in reading order, and the
    marked-content sequences (page number from 1, MCID) drawn for it, in drawing order."""

    role: str
    tree: Tags
    kids: list[Node] = field(default_factory=list)
    alt: str = ""  # Figure: the alternate description
    scope: str = ""  # TH: Column or Row
    text: str = ""  # Link: the annotation's /Contents (what the link goes to)
    marks: list[tuple[int, int]] = field(default_factory=list)

    def add(self, role: str, **kw) -> Node:
        node = Node(role, self.tree, **kw)
        self.kids.append(node)
        return node

    def begin(self, canv) -> None:
        """Open this element's next marked-content sequence on the canvas's current page."""
        page = canv.getPageNumber()
        mcid = self.tree.next_mcid.get(page, 0)
        self.tree.next_mcid[page] = mcid + 1
        self.marks.append((page, mcid))
        canv.addLiteral(f"/{self.role} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canv) -> None:
        canv.addLiteral("EMC")


class Tags:
    """The structure tree of one brief and the MCIDs handed out so far on each page."""

    def __init__(self) -> None:
        self.root = Node("Document", self)
        self.next_mcid: dict[int, int] = {}


@contextlib.contextmanager
def marked(flowable, canv):
    """Draw `flowable` (inside the with-block) as content of its structure element `flowable.tag`; a
    flowable without one, or drawn before (a repeated table header), draws unmarked (an artifact)."""
    tag = getattr(flowable, "tag", None)
    if tag is None or getattr(flowable, "drawn_once", False):
        yield
        return
    flowable.drawn_once = True
    tag.begin(canv)
    try:
        yield
    finally:
        tag.end(canv)


class Marked:
    """Mixin for a flowable that is real content: `draw` (the method ReportLab's flowables overload) runs
    inside a marked-content sequence of `self.tag`. The parts of a split flowable keep its element, so a
    paragraph continued on the next page is one P with a sequence on each page."""

    tag: Node | None = None
    role = "P"

    def draw(self) -> None:
        with marked(self, self.canv):
            super().draw()

    def split(self, availWidth: float, availHeight: float) -> list:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if part is not self and isinstance(part, Marked) and part.tag is None:
                part.tag = self.tag
        return parts


def tag_story(story: list, tags: Tags) -> None:
    """Give every Marked flowable of `story` its structure element, building `tags.root` in story order.

    Rules by what the flowable is: a Marked with role H1 opens a Sect under the document, H2 a Sect under
    the current H1's; a flowable with `alt_text` is a Figure; a table with header rows (repeatRows) is a
    Table (TR > TH/TD), one without is layout and its cells are read row by row; a TableOfContents is a
    TOC whose lines (built at wrap time) take `entry_tags`; KeepTogether is read through. A table with
    `stacked` flowables (a side-by-side row that may be laid out slot under slot instead, brief.RowGrid)
    has those tagged too, right after its own cells: only one of the two is drawn, and the elements of
    the other have no content and are left out of the tree (write_structure)."""
    doc = tags.root
    where = {"sect": doc, "h1": doc}

    def walk(f) -> None:
        if isinstance(f, KeepTogether):
            for inner in kept_flowables(f):
                walk(inner)
        elif isinstance(f, TableOfContents):
            toc = where["sect"].add("TOC")
            f.entry_tags = [toc.add("TOCI").add("Link", text=_plain(text))
                            for _level, text, _page, _key in getattr(f, "entries", ())]
        elif isinstance(f, Table):
            _table(f, where["sect"], walk)
            for inner in getattr(f, "tail", None) or ():  # a table's source and note (brief.ContinuedTable)
                walk(inner)
            for inner in getattr(f, "stacked", None) or ():
                walk(inner)
        elif isinstance(f, Marked):
            role = f.role
            if role == "H1":
                where["sect"] = where["h1"] = doc.add("Sect")
            elif role == "H2":
                where["sect"] = where["h1"].add("Sect")
            if getattr(f, "alt_text", None) is not None:
                f.tag = where["sect"].add("Figure", alt=f.alt_text)
            else:
                f.tag = where["sect"].add(role)

    for f in story:
        walk(f)


def _table(table: Table, parent: Node, walk) -> None:
    """A data table (header rows = repeatRows, an int) as Table > TR > TH/TD, its cells' Marked flowables
    the cells' content; a layout table (no header rows) read through, row by row. A cell given as a
    string is drawn by ReportLab itself, unmarked, so an artifact: the brief's cells are paragraphs."""
    rows = table_cells(table)
    head = getattr(table, "repeatRows", 0) or 0
    head = head if isinstance(head, int) else len(head)
    if not head:
        for row in rows:
            for cell in row:
                for f in _cell_flowables(cell):
                    walk(f)
        return
    node = parent.add("Table")
    for r, row in enumerate(rows):
        tr = node.add("TR")
        for cell in row:
            td = tr.add("TH", scope="Column") if r < head else tr.add("TD")
            for f in _cell_flowables(cell):
                if isinstance(f, Marked):
                    f.tag = td


def _cell_flowables(cell) -> list:
    if isinstance(cell, list | tuple):
        return list(cell)
    return [cell] if not isinstance(cell, str) and cell is not None else []


def _plain(markup: str) -> str:
    """Paragraph markup of a 目录 entry (escaped text) -> its text."""
    import html

    return html.unescape(markup)


# --- after the build: artifacts and the structure tree (pikepdf) ----------------------------------------

_PATH = {"m", "l", "c", "v", "y", "h", "re"}  # path construction (ISO 32000-1 Table 59)
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}  # path painting that marks the page (n does not)
_SHOW = {"Tj", "TJ", "'", '"'}  # text showing
_OPEN, _CLOSE = {"BMC", "BDC"}, {"EMC"}


def write_structure(pdf, tags: Tags, *, tab_order: bool = True) -> None:
    """Turn ReportLab's pages (opened in pikepdf) into a tagged PDF: artifacts for everything drawn outside
    a marked sequence, the structure tree of `tags`, /MarkInfo, the 目录's links as Link elements.
    `tab_order`: pages with links get /Tabs /S (PDF 1.5; PDF/A-1 is PDF 1.4 and has no such key)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pages = list(pdf.pages)
    for page in pages:
        _mark_artifacts(pdf, page)
    parents: dict[int, dict[int, pikepdf.Object]] = {}  # page index -> MCID -> element
    links: list[tuple[int, int, pikepdf.Object, Node]] = []  # (page, first MCID, element, node)

    def has_content(node: Node) -> bool:
        return bool(node.marks) or any(has_content(k) for k in node.kids)

    def build(node: Node, parent) -> pikepdf.Object:
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        kids = Array()
        first = node.marks[0][0] if node.marks else 0
        if first:
            elem.Pg = pages[first - 1].obj
        for page, mcid in node.marks:
            kids.append(mcid if page == first else Dictionary(Type=Name.MCR, Pg=pages[page - 1].obj, MCID=mcid))
            parents.setdefault(page - 1, {})[mcid] = elem
        for kid in node.kids:
            if has_content(kid):
                kids.append(build(kid, elem))
        elem.K = kids
        if node.alt:
            elem.Alt = pikepdf.String(node.alt)
        if node.scope:
            elem.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        if node.role == "Link" and node.marks:
            links.append((*node.marks[0], elem, node))
        return elem

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    root.K = build(tags.root, root) if has_content(tags.root) else Array()
    nums = Array()
    for index, page in enumerate(pages):
        page.obj.StructParents = index
        by_mcid = parents.get(index, {})
        if sorted(by_mcid) != list(range(len(by_mcid))):
            raise AssertionError(f"page {index + 1}: MCIDs {sorted(by_mcid)} are not 0..n-1")
        nums.extend([index, Array(by_mcid[k] for k in sorted(by_mcid))])
    key = len(pages)
    for index, page in enumerate(pages):
        annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == Name.Link]
        mine = [(elem, node) for p, _mcid, elem, node in sorted(links, key=lambda x: x[:2]) if p == index + 1]
        groups = _by_target(annots)
        if len(groups) != len(mine):
            raise AssertionError(f"page {index + 1}: links to {len(groups)} places, {len(mine)} Link elements")
        for group, (elem, node) in zip(groups, mine, strict=True):
            for annot in group:
                annot.StructParent = key
                annot.Contents = pikepdf.String(node.text)
                elem.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj))
                nums.extend([key, elem])
                key += 1
        if annots and tab_order:
            page.obj.Tabs = Name.S  # tab order follows the structure (PDF/UA 7.18.3)
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    _drop_null_unicode(pdf)


def _by_target(annots: list) -> list[list]:
    """Link annotations in page order, grouped into runs that go to the same place: a 目录 line draws
    two (its title and its page number), both for one entry and so for one Link element."""
    groups: list[list] = []
    last = None
    for annot in annots:
        target = repr(annot.get("/Dest")) + repr(annot.get("/A"))
        if groups and target == last:
            groups[-1].append(annot)
        else:
            groups.append([annot])
        last = target
    return groups


def _mark_artifacts(pdf, page) -> None:
    """Wrap every painting operator of `page` that is outside a marked-content sequence in
    `/Artifact BMC ... EMC`: a whole path object, a whole text object (or, if the text object holds
    marked content, each showing operator), an XObject (Do), a shading (sh), an inline image. State
    operators (q/Q, cm, colours) stay outside, so the sequences nest with q/Q and BT/ET."""
    import pikepdf

    ops = pikepdf.parse_content_stream(page)
    begin = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    end = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))
    out: list = []
    depth, i, n = 0, 0, len(ops)

    def op_of(inst) -> str:
        return "INLINE IMAGE" if isinstance(inst, pikepdf.ContentStreamInlineImage) else str(inst.operator)

    while i < n:
        op = op_of(ops[i])
        if depth:
            depth += (op in _OPEN) - (op in _CLOSE)
            out.append(ops[i])
            i += 1
            continue
        if op in _OPEN:
            depth = 1
            out.append(ops[i])
            i += 1
        elif op in _PATH:
            j = i
            while j < n - 1 and op_of(ops[j]) not in _PAINT | {"n"}:
                j += 1
            run = ops[i:j + 1]
            out += [begin, *run, end] if op_of(ops[j]) in _PAINT else run
            i = j + 1
        elif op == "BT":
            j = i
            while j < n - 1 and op_of(ops[j]) != "ET":
                j += 1
            run = ops[i:j + 1]
            names = [op_of(x) for x in run]
            if not any(x in _SHOW for x in names):
                out += run
            elif not any(x in _OPEN for x in names):
                out += [begin, *run, end]
            else:  # marked content inside the text object: wrap the unmarked showing operators one by one
                inner = 0
                for x, name in zip(run, names, strict=True):
                    inner += (name in _OPEN) - (name in _CLOSE)
                    out += [begin, x, end] if name in _SHOW and not inner else [x]
            i = j + 1
        elif op in {"Do", "sh", "INLINE IMAGE"}:
            out += [begin, ops[i], end]
            i += 1
        else:
            out.append(ops[i])
            i += 1
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _drop_null_unicode(pdf) -> None:
    """ReportLab's subset fonts map code 0 (.notdef, never shown) to U+0000 in their ToUnicode CMap, a
    value PDF/UA forbids (ISO 14289-1 7.21.7); the entry is dropped."""
    import re

    import pikepdf

    entry = re.compile(rb"<00> <0000>\n")
    count = re.compile(rb"(\d+) beginbfchar")
    seen: set = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            cmap = font.get("/ToUnicode")
            if not isinstance(cmap, pikepdf.Stream) or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            data = cmap.read_bytes()
            if entry.search(data):
                data = entry.sub(b"", data, count=1)
                data = count.sub(lambda m: str(int(m.group(1)) - 1).encode() + b" beginbfchar", data, count=1)
                cmap.write(data)
