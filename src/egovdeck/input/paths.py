"""Where a project is: cheap to import (the up-to-date check runs before anything heavy loads)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_REPORT = Path("reports/egov-2019.yaml")


def default_definition(cwd: Path | None = None) -> Path:
    """The definition `egovdeck build` uses when none is given: reports/egov-2019.yaml, or the only
    definition in reports/ (a project made by `egovdeck init` has its own name)."""
    cwd = cwd or Path()
    if (cwd / DEFAULT_REPORT).exists():
        return DEFAULT_REPORT
    found = sorted((cwd / "reports").glob("*.yaml")) if (cwd / "reports").is_dir() else []
    return found[0].relative_to(cwd) if len(found) == 1 else DEFAULT_REPORT


def project_root(definition: Path) -> Path:
    """The folder holding reports/, data/ and output/: the definition's folder, or its parent if it is reports/."""
    parent = definition.resolve().parent
    return parent.parent if parent.name == "reports" else parent


def safe_path(root: Path, rel: str, base: Path | None = None) -> Path:
    """Resolve rel (relative to base, default root) and insist it stays inside root, links included."""
    raw = Path(rel)
    candidate = raw if raw.is_absolute() else (base or root) / raw
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python < 3.13 reports a loop of links so
        raise ValueError(f'"{rel}" is a loop of symbolic links (a link pointing at itself or a parent)') from None
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        inside = Path(os.path.normpath(candidate.absolute()))
        try:
            inside.relative_to(Path(os.path.normpath(root.absolute())))
            lexically_inside = True
        except ValueError:
            lexically_inside = False
        if lexically_inside:  # only a symbolic link can lead out from here
            link = next((q for q in (candidate, *candidate.parents) if q.is_symlink()), candidate)
            why = f'"{rel}" is a link pointing outside the project' if link == candidate else \
                f'"{rel}" goes through a link pointing outside the project ({link.name})'
        elif raw.is_absolute():
            why = f'"{rel}" is an absolute path outside the project'
        else:
            why = f'"{rel}" leads outside the project'
        raise ValueError(f"{why}: it resolves to {resolved}") from None
    return resolved
