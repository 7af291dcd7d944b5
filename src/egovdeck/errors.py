"""Errors a user can fix. Each carries where (file:line:col, key path), what, and a hint."""

from __future__ import annotations

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
