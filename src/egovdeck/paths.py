"""Where a project is: cheap to import (the up-to-date check runs before anything heavy loads)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_REPORT = Path("reports/egov-2019.yaml")


def project_root(definition: Path) -> Path:
    """The folder holding reports/, data/ and output/: the definition's folder, or its parent if it is reports/."""
    parent = definition.resolve().parent
    return parent.parent if parent.name == "reports" else parent
