"""A folder of content-addressed cache entries for the renderers (the deck's finished chart parts).

The renderers never touch the disk for their caches: they get an object with `get(key)`/`put(key, data)`
(charts.native.PartCache), and this is the engine's. Every entry carries its checksum
(files.write_entry): a damaged one reads as missing and is made again. The engine's fingerprint (code
and libraries) is part of every file name, so an entry made by other code is never served.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from egovdeck.files import engine_fingerprint, read_entry, write_entry


class FolderCache:
    """key "NAME.SUFFIX" -> folder/HASH.SUFFIX, HASH = sha256(engine fingerprint | NAME)[:32]."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        name, _, suffix = key.partition(".")
        digest = hashlib.sha256(f"{engine_fingerprint()}|{name}".encode()).hexdigest()[:32]
        return self.folder / f"{digest}.{suffix}"

    def get(self, key: str) -> bytes | None:
        return read_entry(self._path(key))

    def put(self, key: str, data: bytes) -> None:
        write_entry(self._path(key), data)
