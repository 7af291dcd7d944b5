"""The handful of facts egovdeck reads from a TrueType/OpenType file, straight from its tables.

fontTools resolves every glyph to a name (the post table) and imports its table machinery first:
~0.1 s per CJK font, paid by every build for the glyph check and the deck's text measuring. These
facts need only glyph ids, so a few struct reads do it in a few milliseconds. Anything unusual (a
collection, a missing table, a cmap without a Unicode subtable) falls back to fontTools.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontFacts:
    family: str
    advances: dict[int, int]  # code point -> advance width in font units (only drawable code points)
    default_advance: int  # of .notdef, for anything unmapped
    upem: int
    ascender: int  # OS/2 sTypoAscender / sTypoDescender, font units
    descender: int


def read_facts(path: Path, fast: bool = True) -> FontFacts:
    """The facts of a font file; `fast=False` reads them with fontTools only (the benchmark's switch)."""
    if not fast:
        return _with_fonttools(path)
    data = path.read_bytes()
    try:
        return _parse(data, path)
    except (KeyError, struct.error, ValueError):
        return _with_fonttools(path)


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    version, count = struct.unpack_from(">IH", data, 0)
    if version not in (0x00010000, 0x4F54544F, 0x74727565):  # TrueType, 'OTTO', 'true' (not 'ttcf')
        raise ValueError("not a single-font sfnt file")
    return {tag: (offset, length) for tag, _sum, offset, length in
            (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count))}


def _parse(data: bytes, path: Path) -> FontFacts:
    tables = _tables(data)
    head, _ = tables[b"head"]
    upem = struct.unpack_from(">H", data, head + 18)[0]
    hhea, _ = tables[b"hhea"]
    n_metrics = struct.unpack_from(">H", data, hhea + 34)[0]
    hmtx, _ = tables[b"hmtx"]
    widths = struct.unpack_from(f">{2 * n_metrics}H", data, hmtx)[0::2]  # (advance, lsb) pairs
    os2, _ = tables[b"OS/2"]
    ascender, descender = struct.unpack_from(">hh", data, os2 + 68)
    cmap = _cmap(data, tables[b"cmap"][0])
    last = n_metrics - 1
    advances = {cp: widths[gid if gid <= last else last] for cp, gid in cmap.items()}
    return FontFacts(_family(data, tables[b"name"][0]) or path.stem, advances, widths[0], upem, ascender,
                     descender)


# fontTools' getBestCmap order: Windows full repertoire first, then the Unicode and BMP subtables.
_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _cmap(data: bytes, base: int) -> dict[int, int]:
    _version, count = struct.unpack_from(">HH", data, base)
    subtables: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        subtables.setdefault((platform, encoding), base + offset)
    for key in _PREFERENCE:
        if key in subtables:
            at = subtables[key]
            fmt = struct.unpack_from(">H", data, at)[0]
            if fmt == 12:
                return _format12(data, at)
            if fmt == 4:
                return _format4(data, at)
    raise ValueError("no Unicode cmap subtable of format 4 or 12")


def _format12(data: bytes, at: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    out: dict[int, int] = {}
    for start, end, gid in struct.iter_unpack(">III", data[at + 16:at + 16 + 12 * groups]):
        out.update(zip(range(start, end + 1), range(gid, gid + end - start + 1), strict=True))
    return {cp: g for cp, g in out.items() if g}


def _format4(data: bytes, at: int) -> dict[int, int]:
    seg = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{seg}H", data, at + 14)
    starts = struct.unpack_from(f">{seg}H", data, at + 16 + 2 * seg)
    deltas = struct.unpack_from(f">{seg}h", data, at + 16 + 4 * seg)
    range_at = at + 16 + 6 * seg
    offsets = struct.unpack_from(f">{seg}H", data, range_at)
    out: dict[int, int] = {}
    for i in range(seg):
        for cp in range(starts[i], ends[i] + 1):
            if cp == 0xFFFF:
                continue
            if offsets[i] == 0:
                gid = (cp + deltas[i]) & 0xFFFF
            else:
                gid = struct.unpack_from(">H", data, range_at + 2 * i + offsets[i] + 2 * (cp - starts[i]))[0]
                gid = (gid + deltas[i]) & 0xFFFF if gid else 0
            if gid:
                out[cp] = gid
    return out


def _family(data: bytes, base: int) -> str:
    _fmt, count, strings = struct.unpack_from(">HHH", data, base)
    found: dict[tuple[int, int], str] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", data, base + 6 + 12 * i)
        if name_id != 1:
            continue
        raw = data[base + strings + offset:base + strings + offset + length]
        if platform in (0, 3):
            found[(0 if language == 0x409 or platform == 0 else 1, platform)] = raw.decode("utf-16-be", "replace")
        elif platform == 1 and encoding == 0:
            found[(2, platform)] = raw.decode("mac_roman", "replace")
    return found[min(found)] if found else ""


def _with_fonttools(path: Path) -> FontFacts:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        hmtx = font["hmtx"].metrics
        upem = font["head"].unitsPerEm
        default = hmtx[".notdef"][0] if ".notdef" in hmtx else upem
        advances = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items() if name != ".notdef"}
        os2 = font["OS/2"]
        return FontFacts(font["name"].getDebugName(1) or path.stem, advances, default, upem,
                         os2.sTypoAscender, os2.sTypoDescender)
