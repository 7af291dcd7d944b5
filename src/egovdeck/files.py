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


@functools.cache
def code_digest() -> str:
    """egovdeck's own code and resources: a changed renderer must never leave outputs 'up to date',
    nor a build server run old code."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".pptx"):
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def code_fingerprint() -> str:
    """Which egovdeck code this is, from the files' sizes and times only (~1 ms; code_digest reads
    them all): enough to keep a client away from a server started on other code."""
    package = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # walked in this order
        for name in sorted(files):
            if name.endswith((".py", ".yaml", ".pptx")):
                st = os.stat(os.path.join(folder, name))
                h.update(f"{os.path.relpath(folder, package)}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
