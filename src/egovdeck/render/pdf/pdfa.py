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


def to_pdfa(data: bytes, standard: str, *, language: str, producer: str, epoch: int, tags=None,
            logo: str | None = None) -> bytes:
    """ReportLab's PDF -> the same document as PDF/A of `standard`, tagged with the structure `tags`
    (render/pdf/tags.Tags) if given; a plain PDF (none) without tags passes unchanged. `logo`: the logo's
    path as the user wrote it, named in an error about what it brings in (a CMYK or transparent image)."""
    part = flavour(standard)
    if not part and tags is None:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if tags is not None:
            from egovdeck.render.pdf.tags import write_structure

            write_structure(pdf, tags, tab_order=part != "1b")
        if not part:
            if tags is not None:  # PDF/UA asks for XMP metadata with the title, whatever the PDF/A standard
                with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                    for key, prop in (("/Title", "dc:title"), ("/Subject", "dc:description")):
                        if key in pdf.docinfo:
                            meta[prop] = str(pdf.docinfo[key])
                    meta["xmp:MetadataDate"] = _when(epoch)
                    meta["pdf:Producer"] = producer
                    if language:
                        meta["dc:language"] = {language}
                _declare(pdf, pdfa=False)
            # object streams: the structure tree is hundreds of small dictionaries (+25 % file size without)
            return _save(pdf, {"deterministic_id": True, "object_stream_mode": pikepdf.ObjectStreamMode.generate})
        # PDF/UA-1 rests on PDF 1.7 and asks for /Tabs on pages with links, a key PDF/A-1 (PDF 1.4) lacks:
        # a PDF/A-1b brief is tagged all the same but does not claim PDF/UA
        return _convert(pdf, part, standard, language=language, producer=producer, epoch=epoch,
                        ua=tags is not None and part != "1b", logo=logo)


def _when(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()


def _declare(pdf, *, pdfa: bool) -> None:
    from egovdeck.render.pdf.pdfua import declare_pdfua

    declare_pdfua(pdf, pdfa=pdfa)


def _convert(pdf, part: str, standard: str, *, language: str, producer: str, epoch: int, ua: bool,
             logo: str | None = None) -> bytes:
    """`pdf` as PDF/A `part`; declared PDF/UA-1 too if `ua` (it is tagged)."""
    from pikepdf import pdfa

    when = _when(epoch)
    _tidy(pdf)
    pdfa.prepare(pdf, part, output_intent="sRGB")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["xmp:MetadataDate"] = when
        meta["pdf:Producer"] = producer
        if language:
            meta["dc:language"] = {language}
    if ua:
        _declare(pdf, pdfa=True)
    _what_the_user_brought(pdf, standard, logo)
    kwargs = pdfa.resolve_save_kwargs(part, deterministic_id=True)
    # The ID is a digest of the content (deterministic_id), not of the clock and file name. The save
    # settings are the ones pikepdf.pdfa pins for the flavour (no object streams and PDF 1.4 for
    # PDF/A-1, no encryption, the XMP packet kept as written). Validating the written bytes
    # (pikepdf.pdfa.validate_written) takes ~0.9 s, more than the rest of a warm rebuild: the test
    # suite does it on the bundled brief, its editions and each standard.
    return _save(pdf, kwargs)


def _save(pdf, kwargs: dict) -> bytes:
    """pdf saved with `kwargs`, with no stream whose data ends in a carriage return.

    qpdf writes a LF before `endstream` (not counted in /Length, as PDF/A asks: preserve_pdfa), so data
    ending in CR reads as `CR LF endstream`, which a validator may take for a CRLF end of line and find
    /Length one byte long (ISO 19005-2, 6.1.7.1; page-validation does). A deflated stream ends with the
    Adler-32 checksum of its data, whatever the compression level, so the data itself changes: a content
    stream (a page, a form) gets a trailing newline, an embedded TrueType font a trailing zero byte (its
    tables are found by offset; /Length1 follows). If the cross-reference stream qpdf writes still ends in
    CR, the file is written with a classic cross-reference table instead."""
    import zlib

    import pikepdf

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Filter") != pikepdf.Name.FlateDecode \
                or "/DecodeParms" in obj or not obj.read_raw_bytes().endswith(b"\r"):
            continue
        if obj.get("/Subtype") == pikepdf.Name.Image or "/N" in obj:  # pixels and ICC profiles: left as they are
            continue
        data = obj.read_bytes()
        if "/Length1" in obj:  # FontFile2
            data += b"\0"
            obj.Length1 = len(data)
        else:
            data += b"\n"
        obj.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
    out = io.BytesIO()
    pdf.save(out, **kwargs)
    if b"\r\nendstream" in out.getvalue() and kwargs.get("object_stream_mode") == pikepdf.ObjectStreamMode.generate:
        out = io.BytesIO()  # the cross-reference stream: a table instead (no object streams either)
        pdf.save(out, **{**kwargs, "object_stream_mode": pikepdf.ObjectStreamMode.disable})
    return out.getvalue()


def _what_the_user_brought(pdf, standard: str, logo: str | None = None) -> None:
    """egovdeck draws only RGB and gray without transparency; a logo can bring in what PDF/A does not
    allow: CMYK (the output intent is sRGB) or, under PDF/A-1, an alpha channel (a soft mask). Found
    here, it is a problem the user can fix rather than a file that claims PDF/A falsely."""
    import pikepdf

    from egovdeck.errors import display_path

    image = f"the logo {display_path(logo)}" if logo else "an image (the logo?)"  # the one image the user brings
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if obj.get("/Subtype") == "/Image" and obj.get("/ColorSpace") == "/DeviceCMYK":
            raise _not_conforming(standard, [f"{image} is in CMYK, and the brief's output intent is sRGB"],
                                  hint="save the logo as RGB (PNG or an RGB JPEG)", file=logo)
        if standard != "PDF/A-1b":
            continue
        if obj.get("/Subtype") == "/Image" and "/SMask" in obj:
            raise _not_conforming(standard, [f"{image} has a soft mask (transparency)"], file=logo)
        if (obj.get("/Type") == "/ExtGState" or "/ca" in obj or "/CA" in obj) and (
                any(float(obj.get(k, 1)) != 1 for k in ("/CA", "/ca"))
                or obj.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_):
            raise _not_conforming(standard, ["a graphics state with transparency"])


def _not_conforming(standard: str, findings: list[str], hint: str = "", file: str | None = None):
    """What the brief contains that `standard` does not allow (in practice: what the user brought in,
    such as a logo with transparency under PDF/A-1b), as a problem to fix rather than a crash."""
    from egovdeck.errors import EgovError, Problem

    return EgovError(Problem(
        f"the PDF brief cannot be {standard}: " + "; ".join(findings), file=file, key="report.pdf_standard",
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
