"""The bundled fonts: TrueType outlines, our family name, full coverage, reproducible from Debian's Noto."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clients import missing_client
from egovdeck.text.fonts import coverage, default_fonts, family_name, missing_chars

ROOT = Path(__file__).resolve().parents[1]


def gb2312_chars() -> list[str]:
    out = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(bytes([hi, lo]).decode("gb2312"))
    return out


def test_fonts_are_truetype_with_our_family_name():
    from fontTools.ttLib import TTFont

    fonts = default_fonts()
    for path in fonts.files():
        with TTFont(path, lazy=True) as font:
            assert "glyf" in font and "CFF " not in font, path
            assert "Noto" not in (font["name"].getDebugName(1) + font["name"].getDebugName(6))
        assert family_name(path) == "Egov Sans SC"
    assert (ROOT / "fonts" / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1


def test_fonts_cover_ascii_gb2312_and_all_8105_tongyong_guifan_characters():
    fonts = default_fonts()
    table = (ROOT / "fonts" / "tongyong-guifan-8105.tsv").read_text(encoding="utf-8").splitlines()
    hanzi = [line.split("\t")[1] for line in table if line.strip()]
    assert len(hanzi) == 8105
    ascii_ = [chr(c) for c in range(0x21, 0x7F)]
    gb = gb2312_chars()
    assert len(gb) > 7400
    assert missing_chars("".join(hanzi + ascii_ + gb), fonts) == []
    assert ord("\u2212") in coverage(fonts)  # matplotlib's minus sign


def test_committed_fonts_match_their_sha256_sums():
    sums = dict(reversed(line.split()) for line in (ROOT / "fonts" / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((ROOT / "fonts" / name).read_bytes()).hexdigest() == digest, name


def test_font_build_script_reproduces_the_committed_files_byte_for_byte(tmp_path):
    if not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists():
        missing_client("fonts-noto-cjk is not installed (needed to rebuild fonts/)")
    work = tmp_path / "repo"
    (work / "fonts").mkdir(parents=True)
    (work / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "build_fonts.py", work / "scripts")
    for name in ("subset-unicodes.txt", "SHA256SUMS"):
        shutil.copy(ROOT / "fonts" / name, work / "fonts")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run([sys.executable, str(work / "scripts" / "build_fonts.py")], capture_output=True,
                          text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("EgovSansSC-Regular.ttf", "EgovSansSC-Bold.ttf"):
        assert (work / "fonts" / name).read_bytes() == (ROOT / "fonts" / name).read_bytes()


@pytest.mark.parametrize("text,missing", [("政务服务", []), ("𠀀A", ["𠀀"]), ("😀", ["😀"])])
def test_missing_chars_names_what_the_font_lacks(text, missing):
    assert missing_chars(text, default_fonts()) == missing


@pytest.mark.parametrize("name", ["EgovSansSC-Regular.ttf", "EgovSansSC-Bold.ttf"])
def test_fast_font_reader_agrees_with_fonttools(name):
    """fontfile reads the tables itself (10x faster); every fact must equal what fontTools reports."""
    from fontTools.ttLib import TTFont

    from egovdeck.text.fontfile import _format4, _with_fonttools, read_facts

    path = default_fonts().regular.parent / name
    ours, theirs = read_facts(path), _with_fonttools(path)
    assert ours == theirs
    assert len(ours.advances) > 9000
    # the bundled fonts use a format 12 subtable; check the format 4 reader against the BMP one
    data = path.read_bytes()
    with TTFont(path, lazy=True) as font:
        table = font["cmap"].getcmap(3, 1)
        assert table is not None and table.format == 4
        expected = {cp: font.getGlyphID(g) for cp, g in table.cmap.items() if font.getGlyphID(g)}
        offset = next(o for p, e, o in _subtables(data) if (p, e) == (3, 1))
    assert _format4(data, offset) == expected


def _subtables(data: bytes):
    import struct

    from egovdeck.text.fontfile import _tables

    base = _tables(data)[b"cmap"][0]
    count = struct.unpack_from(">H", data, base + 2)[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        yield platform, encoding, base + offset


def test_font_reader_falls_back_to_fonttools_for_collections(tmp_path):
    from egovdeck.text.fontfile import read_facts

    regular = default_fonts().regular
    # a TrueType collection header in front: not a single sfnt, so fontTools reads it
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection()
    collection.fonts = [TTFont(regular)]
    target = tmp_path / "one.ttc"
    collection.save(str(target))
    facts = read_facts(target)
    assert facts.family == "Egov Sans SC" and len(facts.advances) > 9000
