"""File digests, the build fingerprint, checksummed cache entries and atomic writes.

One fingerprint decides whether anything can be reused: `engine_fingerprint()` (every file of the
installed package, the Python version and the version of every installed library) is part of the
up-to-date manifest's key and of every cache key; the manifest adds the options, SOURCE_DATE_EPOCH
and the digest of every input as it was read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, ctime_ns: int, size: int, ino: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file, computed once per version of it (fonts are hashed for every edition).
    The change time and inode are in the key too: a replaced file is always read again."""
    st = path.stat()
    return _digest(path.resolve(), st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


# --------------------------------------------------------------------------- inputs as read

_READ: dict[str, str] = {}  # resolved path -> sha256 of the bytes the build actually parsed


def read_input(path: Path) -> bytes:
    """The bytes of an input file, remembering their digest: the manifest records what was read,
    not what the file holds by the time the build ends."""
    data = Path(path).read_bytes()
    _READ[str(Path(path).resolve())] = hashlib.sha256(data).hexdigest()
    return data


def read_digest(path: Path) -> str | None:
    """The digest of path as this process last read it through read_input (None: not read that way)."""
    return _READ.get(str(Path(path).resolve()))


# --------------------------------------------------------------------------- the fingerprint


def _package_files():
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # walked in this order
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                yield os.path.join(folder, name)


@functools.cache
def code_digest() -> str:
    """Every file of the installed egovdeck package (code, layouts, template): a changed renderer
    must never leave outputs 'up to date', nor serve a chart from the cache."""
    h = hashlib.sha256()
    for path in _package_files():
        h.update(os.path.relpath(path, PACKAGE).encode() + b"\0")
        with open(path, "rb") as fh:
            h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def _distributions() -> list[str]:
    """name-version of every installed library (the dist-info folders on sys.path: ~1 ms)."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


@functools.cache
def environment_digest() -> str:
    """The Python interpreter and the versions of every installed library (ReportLab, svglib,
    matplotlib, python-pptx, lxml, ... and whatever they draw with)."""
    text = "\n".join([sys.version, sys.platform, sys.prefix, *_distributions()])
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def engine_fingerprint() -> str:
    """What the bytes of an output depend on besides the inputs and options: the code and the libraries."""
    return hashlib.sha256(f"{code_digest()}|{environment_digest()}".encode()).hexdigest()


def code_fingerprint(extra_files: tuple[Path, ...] = ()) -> str:
    """Which egovdeck code, libraries and fonts these are, from the files' sizes, times and inodes only
    (~1 ms; code_digest reads them all): enough to keep a client away from a server started on other
    code, other libraries or other fonts."""
    h = hashlib.sha256()
    for path in [*_package_files(), *map(str, extra_files)]:
        try:
            st = os.stat(path)
        except OSError:
            h.update(f"{path}|missing\n".encode())
            continue
        h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}\n".encode())
    h.update("\n".join([sys.version, sys.prefix, *_distributions()]).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- cache entries

_MAGIC = b"egovdeck-cache-entry sha256="
CACHE_WARNINGS: list[str] = []  # damaged entries found by this process (the build reports them)


def write_entry(path: Path, data: bytes) -> None:
    """A cache entry: a header with the sha256 of the body, then the body (written atomically)."""
    write_atomic(path, _MAGIC + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


def read_entry(path: Path) -> bytes | None:
    """The body of a cache entry; None if there is none. A truncated or damaged entry is deleted
    (so it is rendered again) and reported in CACHE_WARNINGS."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _damaged(path, f"unreadable ({exc.strerror})")
        return None
    head, sep, body = raw.partition(b"\n")
    if sep and head.startswith(_MAGIC) and head[len(_MAGIC):] == hashlib.sha256(body).hexdigest().encode():
        return body
    _damaged(path, "checksum mismatch")
    return None


def _damaged(path: Path, why: str) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    CACHE_WARNINGS.append(f"warning: damaged cache entry {path} ({why}) discarded; rendered again")


# --------------------------------------------------------------------------- atomic writes


def temp_dir_for(target_dir: Path, preferred: Path | None = None) -> Path:
    """Where temporary files for target_dir go: `preferred` (the cache's tmp/ folder, never looked at by
    a reader of output/) when it is on the same file system (a rename must not copy), else a hidden
    folder inside target_dir."""
    if preferred is not None:
        # st_dev alone is not enough: two mounts of one file system (a bind mount, read-only or not) share
        # it, yet a rename between them fails (EXDEV). So a rename is tried, with an empty probe file.
        probe = preferred / f".probe.{os.getpid()}.tmp"
        landed = target_dir / probe.name
        try:
            preferred.mkdir(parents=True, exist_ok=True)
            if os.stat(preferred).st_dev == os.stat(target_dir).st_dev:
                probe.touch()
                os.replace(probe, landed)
                landed.unlink()
                return preferred
        except OSError:
            for path in (probe, landed):
                with contextlib.suppress(OSError):
                    path.unlink()
    folder = target_dir / ".egovdeck-tmp"
    folder.mkdir(exist_ok=True)
    return folder


def sweep_temp(folder: Path) -> None:
    """Remove temporary files left by processes that are gone (a build killed with kill -9)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _left_by_dead_process(name, "tmp"):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def _left_by_dead_process(name: str, suffix: str) -> bool:
    """Whether a file named NAME.<pid>.<suffix> was left by a process that is gone (killed mid-build)."""
    parts = name.split(".")
    return len(parts) >= 3 and parts[-1] == suffix and parts[-2].isdigit() and not _alive(int(parts[-2]))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def write_atomic(path: Path, data: bytes, temp_dir: Path | None = None) -> None:
    """Write to a temporary file (in temp_dir, default beside path), then rename: readers never see a
    half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = temp_dir or path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_together(pairs: list[tuple[Path, Path]], tmp_dir: Path) -> None:
    """Rename every (temporary, target) pair into place. A journal listing them is written first: a build
    killed between two renames is finished by the next start (recover), so the outputs are always the
    old complete pair or the new one."""
    if len(pairs) < 2:
        for tmp, target in pairs:
            os.replace(tmp, target)
        return
    tmp_dir.mkdir(parents=True, exist_ok=True)
    journal = tmp_dir / f"pending.{os.getpid()}.json"
    write_atomic(journal, json.dumps([[str(t), str(d)] for t, d in pairs]).encode(), temp_dir=tmp_dir)
    for tmp, target in pairs:
        os.replace(tmp, target)
    journal.unlink()


def recover(tmp_dir: Path) -> None:
    """Finish the renames of a build killed in replace_together; then remove the temporary files of
    builds that are gone."""
    try:
        names = os.listdir(tmp_dir)
    except OSError:
        return
    for name in names:
        if not (name.startswith("pending.") and _left_by_dead_process(name, "json")):
            continue
        journal = tmp_dir / name
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
            for tmp, target in pairs:
                if os.path.exists(tmp):
                    os.replace(tmp, target)
        except (OSError, ValueError, TypeError):
            pass
        journal.unlink(missing_ok=True)
    sweep_temp(tmp_dir)
