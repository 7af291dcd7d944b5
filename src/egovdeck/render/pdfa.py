"""The brief as PDF/A (ISO 19005, GB/T 23286): a post-processing step on ReportLab's bytes, with pikepdf.

pikepdf.pdfa does the conversion (`prepare`: the sRGB output intent shipped with pikepdf, XMP metadata
written from the document info with the pdfaid declaration, Print flags on the link annotations) and
validates the bytes it writes (`save`: its allowlist validator, built on veraPDF's rules, approves a file
only if every construct in it is known to conform). Two things are pinned here so every build gives the
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
    """ReportLab's PDF -> the same document as PDF/A of `standard`, validated; plain PDFs pass unchanged."""
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
        out = io.BytesIO()
        try:
            # the ID is a digest of the content (deterministic_id), not of the clock and file name
            pdfa.save(pdf, out, part, repair=False, deterministic_id=True)
        except pdfa.PdfaError as exc:
            raise _not_conforming(standard, exc.report) from None
    return out.getvalue()


def _not_conforming(standard: str, report):
    """What the brief contains that `standard` does not allow (in practice: what the user brought in,
    such as a logo with transparency under PDF/A-1b), as a problem to fix rather than a crash."""
    from egovdeck.errors import EgovError, Problem

    findings = list(report.findings)
    listed = "; ".join(str(f) for f in findings[:5]) + (f" (and {len(findings) - 5} more)" if len(findings) > 5 else "")
    return EgovError(Problem(
        f"the PDF brief does not conform to {standard}: {listed}", key="report.pdf_standard",
        hint="PDF/A-1b forbids transparency (use a logo without an alpha channel, or pdf_standard: PDF/A-2b); "
             "pdf_standard: none (or --pdf-standard none) writes a plain PDF"))


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
            pikepdf.Dictionary({k: v for k, v in item.items()}) if isinstance(item, pikepdf.Dictionary) else item
            for item in labels.Nums)
