"""Pixel tests: compare a rendered PNG with its reference, write a diff image on failure.

    EGOVDECK_UPDATE_REFERENCES=1 pytest -k reference      # regenerate every reference (make references)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "_out"


def updating() -> bool:
    return os.environ.get("EGOVDECK_UPDATE_REFERENCES") == "1"


def compare(actual: Path, reference: Path, max_mean: float, max_tile: float, tile: int = 24) -> str | None:
    """None if actual matches reference (or the reference was just regenerated), else why not.

    Two limits: the mean absolute difference per channel over the whole image, and the worst
    mean over any tile (so one wrong bar cannot hide in a large, mostly white image).
    """
    import numpy as np
    from PIL import Image

    if updating():
        reference.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(actual, reference)
        return None
    if not reference.exists():
        return f"no reference {reference}; run with EGOVDECK_UPDATE_REFERENCES=1"
    a = np.asarray(Image.open(actual).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(reference).convert("RGB"), dtype=np.int16)
    if a.shape != b.shape:
        return f"{reference.name}: size {a.shape} differs from the reference {b.shape}"
    diff = np.abs(a - b)
    mean = float(diff.mean())
    per_px = diff.mean(axis=2)
    worst = max(float(per_px[y:y + tile, x:x + tile].mean())
                for y in range(0, per_px.shape[0], tile // 2) for x in range(0, per_px.shape[1], tile // 2))
    if mean < max_mean and worst < max_tile:
        return None
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stem = reference.stem
    shutil.copyfile(actual, OUT_DIR / f"{stem}-actual.png")
    vis = np.clip(diff.max(axis=2) * 4, 0, 255).astype(np.uint8)
    Image.fromarray(255 - vis).save(OUT_DIR / f"{stem}-diff.png")
    return (f"{stem}: mean abs difference {mean:.2f} (limit {max_mean}), worst tile {worst:.1f} "
            f"(limit {max_tile}); see {OUT_DIR}/{stem}-diff.png")
