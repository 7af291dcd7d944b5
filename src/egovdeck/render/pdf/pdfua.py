"""The PDF/UA-1 identification (ISO 14289-1 §5) of the tagged brief, in its XMP metadata.

The brief is tagged by render/pdf/tags.py and checked by the test suite with `page` (page-validation,
veraPDF's PDF/UA-1 rules) plus tests of what a checker cannot see (the alt text is the deck's, headings
nest as the outline, the narrative reads in order). The claim is `pdfuaid:part` = 1.

PDF/A allows in XMP only the schemas it predefines and those described by an extension schema
(ISO 19005-2 §6.6.2.3; pdfuaid came after PDF/A), so a PDF/A brief also carries the standard
`pdfaExtension` description of the pdfuaid schema. pikepdf.pdfa's allowlist validator refuses every
extension schema by design (its dispositions.json: "Extension schemas ... are not permitted by the
namespace allowlist"); `allowlist_findings` drops exactly those refusals, and the test suite validates
the same files with page's PDF/A profile, which checks extension schemas as veraPDF does.
"""

from __future__ import annotations

import re

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"

# The pdfuaid schema described for PDF/A (the text ISO 14289-1 and veraPDF use).
_EXTENSION = f"""<rdf:RDF xmlns:rdf="{RDF}">
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{PDFUAID}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>"""


def declare_pdfua(pdf, *, pdfa: bool) -> None:
    """Add `pdfuaid:part` 1 to the XMP packet of `pdf` (pikepdf, metadata already written), with the
    extension schema PDF/A needs if `pdfa`. The packet stays uncompressed and byte-stable."""
    from lxml import etree

    raw = pdf.Root.Metadata.read_bytes()
    start, end = raw.index(b"<x:xmpmeta"), raw.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
    root = etree.fromstring(raw[start:end])
    rdf = root.find(f"{{{RDF}}}RDF")
    if pdfa:
        for description in etree.fromstring(_EXTENSION):
            rdf.append(description)
    ua = etree.SubElement(rdf, f"{{{RDF}}}Description", nsmap={"pdfuaid": PDFUAID})
    ua.set(f"{{{RDF}}}about", "")
    etree.SubElement(ua, f"{{{PDFUAID}}}part").text = "1"
    pdf.Root.Metadata.write(raw[:start] + etree.tostring(root, encoding="utf-8") + raw[end:])


_REFUSED = re.compile(r"XMP (namespace (pdfaExtension|pdfaSchema|pdfaProperty)=\S+|property "
                      r"(pdfaExtension:schemas|pdfuaid:part)) is not permitted")


def allowlist_findings(findings) -> list:
    """pikepdf.pdfa's findings less its refusal of the pdfuaid extension schema (see the module)."""
    return [f for f in findings if not _REFUSED.fullmatch(str(f.message))]
