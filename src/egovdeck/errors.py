"""Errors a user can fix. Each carries where (file:line:col, key path), what, and a hint."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.relative_to(Path.cwd()))
        except (ValueError, OSError):
            return str(p)
    return str(p)


@dataclass
class Problem:
    """One mistake in the user's input."""

    message: str
    file: Path | str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str = ""  # e.g. sections[2].chart.y
    hint: str = ""
    warning: bool = False

    def location(self) -> str:
        parts = [display_path(self.file)] if self.file else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: " if where else ""
        text += "warning: " if self.warning else "error: "
        if self.key:
            text += f"{self.key}: "
        text += self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class EgovError(Exception):
    """Base class: problems in the user's input (exit code 1)."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Collector:
    """Gathers every problem before anything is rendered, then raises them together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, **where) -> None:
        self.problems.append(Problem(message, **where))

    def warn(self, message: str, **where) -> None:
        self.problems.append(Problem(message, warning=True, **where))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise EgovError(list(self.problems))  # the warnings too: they often explain the errors


def _blocking_file(path: Path) -> Path | None:
    """The first existing component of path that is a file where a folder is needed."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def os_problem(exc: OSError, fallback: Path | str | None = None) -> Problem:
    """An error of the machine (read-only or full disk, a file in the way, permissions) as a Problem
    naming the path and what to do: it is the user's environment, not egovdeck's bug (exit 1)."""
    import errno

    raw = exc.filename2 if exc.errno in (errno.EISDIR,) and exc.filename2 else exc.filename
    path = Path(os.fsdecode(raw)) if raw is not None else (Path(fallback) if fallback is not None else None)
    if path is not None:
        import re

        temporary = re.fullmatch(r"\.(.+)\.\d+\.tmp", path.name)  # files.write_atomic's: name what it becomes
        if temporary:
            path = path.with_name(temporary.group(1))
    shown = display_path(path) if path is not None else "a file"
    other = " (or build into another folder with -o DIR)"
    code = exc.errno
    verb = "write"
    if code == errno.EROFS:
        what, hint = "read-only file system", "make the folder writable" + other
    elif code in (errno.EACCES, errno.EPERM):
        verb = "open"
        what, hint = "permission denied", "give yourself access to it (read, or write for outputs)" + other
    elif code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what, hint = "no space left on the device", "free some space on that disk" + other
    elif code == errno.EISDIR or (path is not None and path.is_dir() and code in (errno.EEXIST, errno.ENOTEMPTY)):
        what, hint = "a folder is in the way of a file", f"remove or rename the folder {shown}"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        blocker = _blocking_file(path) if path is not None else None
        if blocker is None and path is not None and path.exists() and not path.is_dir():
            blocker = path
        shown_blocker = display_path(blocker) if blocker is not None else shown
        what = f"{shown_blocker} is a file where a folder is needed"
        hint = f"remove or rename the file {shown_blocker}"
        if blocker is not None and blocker.name == ".egovdeck-cache":
            hint += " (egovdeck keeps its cache in that folder), or give another with --cache-dir"
    elif code == errno.ELOOP:
        verb = "open"
        what, hint = "a loop of symbolic links", "remove the link that points back at itself or a parent folder"
    elif code == errno.ENAMETOOLONG:
        what, hint = "the path is too long", "use a shorter name or output folder"
    else:
        verb = "open"
        what, hint = (exc.strerror or str(exc)).lower(), "check the disk and the folder" + other
    return Problem(f"cannot {verb} {shown}: {what}", file=path, hint=hint)
