"""matplotlib internals (see compat/__init__.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def no_artist_docstrings() -> Iterator[None]:
    """While importing matplotlib's modules: skip composing the long docstring of the set() of every
    Artist subclass (0.1-0.2 s of matplotlib's import time, a tenth of a cold build); nothing in egovdeck
    reads them, and the signatures are still made. matplotlib has no switch for it: `artist.kwdoc` is
    replaced for the duration, then put back."""
    import matplotlib.artist

    kwdoc = matplotlib.artist.kwdoc
    matplotlib.artist.kwdoc = lambda artist: ""
    try:
        yield
    finally:
        matplotlib.artist.kwdoc = kwdoc
