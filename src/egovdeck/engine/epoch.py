"""The time written into the outputs: SOURCE_DATE_EPOCH, or the report's own date; never the clock.

ReportLab takes it only from the SOURCE_DATE_EPOCH environment variable (its documented interface for
reproducible builds), so a render is run with that variable pinned; the renderers get the same number
as an argument for everything they date themselves (XMP, the deck's properties).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import os
from collections.abc import Iterator


def source_epoch(date: dt.date) -> int:
    """SOURCE_DATE_EPOCH if set, else the report's own date: never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    return calendar.timegm(date.timetuple())


@contextlib.contextmanager
def pinned_epoch(epoch: int) -> Iterator[int]:
    """ReportLab reads SOURCE_DATE_EPOCH for its timestamps; pin it for the duration of a render."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield epoch
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
