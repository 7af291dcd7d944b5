"""The brief as PDF/A (ISO 19005, GB/T 23286): a post-processing step on ReportLab's bytes, with pikepdf.

pikepdf.pdfa does the conversion (`prepare`: the sRGB output intent shipped with pikepdf, XMP metadata
written from the document info with the pdfaid declaration, Print flags on the link annotations) and
chooses the save settings the flavour needs. Its allowlist validator (built on veraPDF's rule set, it
approves a file only if every construct in it is known to conform) runs in the test suite. Two things are pinned here so every build gives the
same bytes: the metadata date and producer (pikepdf records the clock and itself) and the document ID
(derived from the content). The language (dc:language) and the title's display are added too.
"""

from __future__ import annotations

import datetime as dt
import io

STANDARDS = {"PDF/A-2b": "2b", "PDF/A-1b": "1b", "none": ""}
DEFAULT = "PDF/A-2b"


def flavour(standard: str) -> str:
    """'PDF/A-2b' -> '2b'; 'none' -> '' (a plain PDF)."""
    return STANDARDS[standard]


def to_pdfa(data: bytes, standard: str, *, language: str, producer: str, epoch: int) -> bytes:
    """ReportLab's PDF -> the same document as PDF/A of `standard`; a plain PDF (none) passes unchanged."""
    part = flavour(standard)
    if not part:
        return data
    import pikepdf
    from pikepdf import pdfa

    when = dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _tidy(pdf)
        pdfa.prepare(pdf, part, output_intent="sRGB")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            meta["xmp:MetadataDate"] = when
            meta["pdf:Producer"] = producer
            if language:
                meta["dc:language"] = {language}
        _what_the_user_brought(pdf, standard)
        out = io.BytesIO()
        # The ID is a digest of the content (deterministic_id), not of the clock and file name. The save
        # settings are the ones pikepdf.pdfa pins for the flavour (no object streams and PDF 1.4 for
        # PDF/A-1, no encryption, the XMP packet kept as written). Validating the written bytes
        # (pikepdf.pdfa.validate_written) takes ~0.9 s, more than the rest of a warm rebuild: the test
        # suite does it on the bundled brief, its editions and each standard.
        pdf.save(out, **pdfa.resolve_save_kwargs(part, deterministic_id=True))
    return out.getvalue()


def _what_the_user_brought(pdf, standard: str) -> None:
    """egovdeck draws only RGB and gray without transparency; a logo can bring in what PDF/A does not
    allow: CMYK (the output intent is sRGB) or, under PDF/A-1, an alpha channel (a soft mask). Found
    here, it is a problem the user can fix rather than a file that claims PDF/A falsely."""
    import pikepdf

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if obj.get("/Subtype") == "/Image" and obj.get("/ColorSpace") == "/DeviceCMYK":
            raise _not_conforming(standard, ["an image (the logo?) is in CMYK, and the brief's output intent "
                                             "is sRGB"], hint="save the logo as RGB (PNG or an RGB JPEG)")
        if standard != "PDF/A-1b":
            continue
        if obj.get("/Subtype") == "/Image" and "/SMask" in obj:
            raise _not_conforming(standard, ["an image (the logo?) has a soft mask (transparency)"])
        if (obj.get("/Type") == "/ExtGState" or "/ca" in obj or "/CA" in obj) and (
                any(float(obj.get(k, 1)) != 1 for k in ("/CA", "/ca"))
                or obj.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_):
            raise _not_conforming(standard, ["a graphics state with transparency"])


def _not_conforming(standard: str, findings: list[str], hint: str = ""):
    """What the brief contains that `standard` does not allow (in practice: what the user brought in,
    such as a logo with transparency under PDF/A-1b), as a problem to fix rather than a crash."""
    from egovdeck.errors import EgovError, Problem

    return EgovError(Problem(
        f"the PDF brief cannot be {standard}: " + "; ".join(findings), key="report.pdf_standard",
        hint=(hint or "PDF/A-1b forbids transparency: use a logo without an alpha channel, or pdf_standard: "
              "PDF/A-2b (which allows it)") + "; pdf_standard: none (or --pdf-standard none) writes a plain PDF"))


def _tidy(pdf) -> None:
    """Two harmless ReportLab habits the validator cannot vouch for, written the plain way: an empty
    page transition (/Trans << >>, meaningless) is dropped, and the page-label dictionaries are
    written in place instead of by reference."""
    import pikepdf

    for page in pdf.pages:
        trans = page.obj.get("/Trans")
        if isinstance(trans, pikepdf.Dictionary) and not trans.keys():
            del page.obj["/Trans"]
    labels = pdf.Root.get("/PageLabels")
    if labels is not None and "/Nums" in labels:
        labels.Nums = pikepdf.Array(
            pikepdf.Dictionary(dict(item.items())) if isinstance(item, pikepdf.Dictionary) else item
            for item in labels.Nums)
