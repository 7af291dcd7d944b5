"""File digests and atomic writes, shared by the chart cache and the up-to-date manifest."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


@functools.lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file, computed once per version of it (fonts are hashed for every edition)."""
    st = path.stat()
    return _digest(path.resolve(), st.st_mtime_ns, st.st_size)


def digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside path, then rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
