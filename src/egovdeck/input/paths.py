"""Where a project is: cheap to import (the up-to-date check runs before anything heavy loads)."""

from __future__ import annotations

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
