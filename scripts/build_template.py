"""Build egovdeck's own 16:9 deck template: src/egovdeck/resources/egovdeck-16x9.pptx.

    .venv/bin/python scripts/build_template.py [--check]

The master, its five layouts ("Title", "Section", "Title and Content", "Title Only", "Blank")
and the theme are written here from scratch (only the theme's effect/fill styles and the
package plumbing come from python-pptx's bundled template), positioned for a 16:9 slide
(12192000 x 6858000 EMU). Colours come from egovdeck's Theme; the theme fonts name the
bundled family for Latin and East Asian text. The file is byte-identical on every run
(fixed timestamps, normalize_zip); --check fails if the committed file differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from egovdeck.document.theme import Theme  # noqa: E402
from egovdeck.ooxml import normalize_zip  # noqa: E402

TARGET = ROOT / "src" / "egovdeck" / "resources" / "egovdeck-16x9.pptx"
FAMILY = "Egov Sans SC"
STAMP = dt.datetime(2020, 1, 1)
NSDECL = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')

# Geometry in points on a 960 x 540 pt slide. The renderer reads these back from the layouts.
TITLE = (40, 26, 880, 46)
BODY = (40, 92, 880, 394)  # the content area under the title
FOOTER_RULE_Y = 496


def emu(v: float) -> int:
    return int(round(v * 12700))


def xfrm(box) -> str:
    x, y, w, h = box
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def rpr(size=None, bold=None, color: str | None = None, scheme: str | None = None, tag="a:defRPr",
        font="+mn") -> str:
    attrs = ""
    if size:
        attrs += f' sz="{int(size * 100)}"'
    if bold is not None:
        attrs += f' b="{1 if bold else 0}"'
    fill = ""
    if color:
        fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
    elif scheme:
        fill = f'<a:solidFill><a:schemeClr val="{scheme}"/></a:solidFill>'
    return (f'<{tag} lang="zh-CN" altLang="en-US"{attrs} kern="0">{fill}<a:latin typeface="{font}-lt"/>'
            f'<a:ea typeface="{font}-ea"/><a:cs typeface="{font}-cs"/></{tag}>')


def ppr(level: int, size: float, bold=False, scheme="tx1", bullet=False, font="+mn", algn="l",
        spacing: float = 1.2) -> str:
    indent = 0 if not bullet else 18
    marl = (level - 1) * 24 + indent
    bu = ('<a:buFont typeface="Arial"/><a:buChar char="•"/>' if bullet else "<a:buNone/>")
    return (f'<a:lvl{level}pPr marL="{emu(marl)}" indent="{-emu(indent)}" algn="{algn}" defTabSz="{emu(48)}" '
            f'eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
            f'<a:lnSpc><a:spcPct val="{int(spacing * 100000)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(size * 0.4 * 100)}"/></a:spcBef>{bu}'
            f'{rpr(size, bold, scheme=scheme, font=font)}</a:lvl{level}pPr>')


def placeholder(sp_id: int, name: str, ph: str, box=None, *, lst: str = "", anchor="t",
                prompt: str = "", insets=(0, 0, 0, 0)) -> str:
    geom = f"<p:spPr>{xfrm(box)}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr>" if box else "<p:spPr/>"
    li, ti, ri, bi = (emu(v) for v in insets)
    text = f"<a:r><a:rPr lang=\"zh-CN\" altLang=\"en-US\"/><a:t>{escape(prompt)}</a:t></a:r>" if prompt else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="{escape(name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f'</p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>{geom}'
            f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{li}" tIns="{ti}" rIns="{ri}" bIns="{bi}" '
            f'rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle>{lst}</a:lstStyle>'
            f'<a:p>{text}<a:endParaRPr lang="zh-CN" altLang="en-US"/></a:p></p:txBody></p:sp>')


def rect(sp_id: int, name: str, box, scheme: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sp_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:schemeClr val="{scheme}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="zh-CN"/></a:p>'
            f'</p:txBody></p:sp>')


def rule(sp_id: int, name: str, x1: float, x2: float, y: float, color: str) -> str:
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{sp_id}" name="{name}"/><p:cNvCxnSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvCxnSpPr><p:spPr>{xfrm((x1, y, x2 - x1, 0))}<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'<a:ln w="9525"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln></p:spPr></p:cxnSp>')


def sp_tree(*shapes: str) -> str:
    return ('<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
            '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
            f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree>')


def lvl1(size: float, bold=False, color: str | None = None, algn="l", spacing=1.1, font="+mj",
         scheme: str | None = None) -> str:
    return (f'<a:lvl1pPr marL="0" indent="0" algn="{algn}"><a:lnSpc><a:spcPct val="{int(spacing * 100000)}"/>'
            f'</a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>'
            f'{rpr(size, bold, color, scheme=scheme, font=font)}</a:lvl1pPr>')


def master_xml(t: Theme) -> str:
    footer_lst = lvl1(10, False, t.muted, font="+mn")
    shapes = sp_tree(
        placeholder(2, "Title Placeholder 1", '<p:ph type="title"/>', TITLE, anchor="ctr",
                    prompt="单击此处编辑母版标题样式"),
        placeholder(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', BODY, prompt="单击此处编辑母版文本样式"),
        placeholder(4, "Date Placeholder 3", '<p:ph type="dt" sz="half" idx="2"/>', (620, 500, 160, 20),
                    lst=footer_lst.replace('algn="l"', 'algn="r"')),
        placeholder(5, "Footer Placeholder 4", '<p:ph type="ftr" sz="quarter" idx="3"/>', (40, 500, 560, 20),
                    lst=footer_lst),
        placeholder(6, "Slide Number Placeholder 5", '<p:ph type="sldNum" sz="quarter" idx="4"/>',
                    (800, 500, 120, 20), lst=footer_lst.replace('algn="l"', 'algn="r"')),
    )
    title_style = f'<p:titleStyle>{lvl1(26, True, scheme="tx1")}</p:titleStyle>'
    body_style = "<p:bodyStyle>" + "".join(
        ppr(i, s, bullet=i > 1) for i, s in enumerate((18, 16, 14, 12, 12), start=1)) + "</p:bodyStyle>"
    other_style = "<p:otherStyle>" + "".join(
        f'<a:lvl{i}pPr marL="{emu((i - 1) * 36)}" algn="l">{rpr(18, scheme="tx1")}</a:lvl{i}pPr>'
        for i in range(1, 6)) + "</p:otherStyle>"
    layout_ids = "".join(f'<p:sldLayoutId id="{2147483649 + i}" r:id="rId{i + 1}"/>' for i in range(len(LAYOUTS)))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldMaster {NSDECL}>'
            f'<p:cSld><p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/></a:solidFill><a:effectLst/></p:bgPr>'
            f'</p:bg>{shapes}</p:cSld>'
            '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
            'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
            'folHlink="folHlink"/>'
            f'<p:sldLayoutIdLst>{layout_ids}</p:sldLayoutIdLst>'
            f'<p:txStyles>{title_style}{body_style}{other_style}</p:txStyles></p:sldMaster>')


def layout_xml(name: str, kind: str, shapes: list[str], accent_bg: bool = False) -> str:
    bg = ('<p:bg><p:bgPr><a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
          if accent_bg else "")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<p:sldLayout {NSDECL} type="{kind}" preserve="1"><p:cSld name="{escape(name)}">{bg}'
            f'{sp_tree(*shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')


def layouts(t: Theme) -> list[str]:
    decor = [rect(7, "Accent bar", (0, 0, 10, 540), "accent1"),
             rule(8, "Footer rule", BODY[0], BODY[0] + BODY[2], FOOTER_RULE_Y, t.grid)]
    title = placeholder(2, "Title 1", '<p:ph type="title"/>', prompt="单击此处编辑标题")
    return [
        layout_xml("Title", "title", [
            rect(5, "Band", (0, 380, 960, 160), "bg1"),
            placeholder(2, "Title 1", '<p:ph type="ctrTitle"/>', (60, 150, 840, 90), anchor="b",
                        lst=lvl1(40, True, "FFFFFF"), prompt="单击此处编辑标题"),
            placeholder(3, "Subtitle 2", '<p:ph type="subTitle" idx="1"/>', (60, 255, 840, 80),
                        lst=lvl1(20, False, "FFFFFF", spacing=1.3, font="+mn"), prompt="单击此处编辑副标题"),
            placeholder(4, "Meta 3", '<p:ph type="body" sz="quarter" idx="13"/>', (60, 410, 840, 90),
                        lst=lvl1(16, False, t.text, spacing=1.3, font="+mn"), prompt="机构、日期"),
        ], accent_bg=True),
        layout_xml("Section", "secHead", [
            placeholder(2, "Title 1", '<p:ph type="title"/>', (80, 120, 800, 210), anchor="b",
                        lst=lvl1(34, True, "FFFFFF"), prompt="单击此处编辑节标题"),
            placeholder(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', (80, 340, 800, 110),
                        lst=lvl1(18, False, "FFFFFF", spacing=1.3, font="+mn"), prompt="单击此处编辑导语"),
        ], accent_bg=True),
        layout_xml("Title and Content", "obj", [
            *decor, title,
            placeholder(3, "Content Placeholder 2", '<p:ph idx="1"/>', prompt="单击此处编辑文本"),
        ]),
        layout_xml("Title Only", "titleOnly", [*decor, title]),
        layout_xml("Blank", "blank", []),
    ]


APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           '<Application>egovdeck</Application><PresentationFormat>Widescreen</PresentationFormat>'
           '<Slides>0</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop>'
           '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>'
           '</Properties>')
LAYOUTS = ("Title", "Section", "Title and Content", "Title Only", "Blank")


def theme_xml(blob: bytes, t: Theme) -> bytes:
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    root = etree.fromstring(blob)
    root.set("name", "egovdeck")
    a = "{" + ns["a"] + "}"
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "egovdeck")
    for child in list(scheme):
        scheme.remove(child)
    pal = list(t.palette) + ["6B7B8C"] * 6
    colours = [("dk1", t.text), ("lt1", "FFFFFF"), ("dk2", "17406F"), ("lt2", t.background_band),
               *((f"accent{i}", pal[i - 1]) for i in range(1, 7)), ("hlink", t.accent), ("folHlink", pal[3])]
    for tag, val in colours:
        el = etree.SubElement(scheme, a + tag)
        etree.SubElement(el, a + "srgbClr").set("val", val)
    fonts = root.find(".//a:fontScheme", ns)
    fonts.set("name", "egovdeck")
    for major in fonts:
        for child in list(major):
            major.remove(child)
        for tag in ("latin", "ea", "cs"):
            etree.SubElement(major, a + tag).set("typeface", FAMILY if tag != "cs" else "")
        hans = etree.SubElement(major, a + "font")
        hans.set("script", "Hans")
        hans.set("typeface", FAMILY)
    fmt = root.find(".//a:fmtScheme", ns)
    fmt.set("name", "egovdeck")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build() -> bytes:
    from pptx.oxml import parse_xml

    t = Theme()
    prs = Presentation()
    prs.slide_width, prs.slide_height = 12192000, 6858000
    master = prs.slide_master
    layout_parts = [lay.part for lay in prs.slide_layouts]
    # keep the first five layout parts (re-written below), drop the rest and the 4:3 leftovers
    for rid, rel in list(master.part.rels.items()):
        if rel.reltype == RT.SLIDE_LAYOUT and rel.target_part not in layout_parts[:len(LAYOUTS)]:
            master.part.rels.pop(rid)
    keep = layout_parts[:len(LAYOUTS)]
    # renumber the master's relationships: rId1 theme? keep python-pptx's ids, map layouts in order
    rels = master.part.rels
    layout_rids = {rel.target_part: rid for rid, rel in rels.items() if rel.reltype == RT.SLIDE_LAYOUT}
    xml = master_xml(t)
    for i, part in enumerate(keep):
        xml = xml.replace(f'r:id="rId{i + 1}"/>', f'r:id="@{layout_rids[part]}"/>', 1)
    xml = xml.replace('r:id="@', 'r:id="')
    master.part._element = parse_xml(xml.encode("utf-8").split(b"\n", 1)[1])
    for part, text in zip(keep, layouts(t), strict=True):
        part._element = parse_xml(text.encode("utf-8").split(b"\n", 1)[1])
    theme_part = next(r.target_part for r in rels.values() if r.reltype == RT.THEME)
    theme_part._blob = theme_xml(theme_part.blob, t)
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.rels.pop(rid)
    pkg_rels = prs.part.package._rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg_rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    prs.part._element.sldSz.attrib.pop("type", None)  # python-pptx keeps "screen4x3"
    for defrpr in prs.part._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}defRPr"):
        if defrpr.get("lang") == "en-US":
            defrpr.set("lang", "zh-CN")
    cp = prs.core_properties
    cp.title, cp.author, cp.subject = "egovdeck 16:9", "egovdeck", "egovdeck deck template"
    cp.last_modified_by, cp.comments, cp.keywords = "egovdeck", "built by scripts/build_template.py", ""
    cp.created = cp.modified = cp.last_printed = STAMP
    cp.revision = 1
    cp.language = "zh-CN"
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue(), STAMP.timetuple()[:6])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed template is out of date")
    parser.add_argument("-o", "--output", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        same = args.output.exists() and args.output.read_bytes() == data
        print(f"{args.output}: {'up to date' if same else 'OUT OF DATE (run scripts/build_template.py)'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
