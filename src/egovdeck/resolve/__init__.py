"""The resolve stage: a validated `Project` (+ edition) -> a resolved `document.report.Document`.

Narrative templates are rendered, charts and tables are bound to their data."""
