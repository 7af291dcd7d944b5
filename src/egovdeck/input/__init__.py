"""The input stage: a report definition (YAML), its datasets (CSV/XLSX) and fonts -> a validated `Project`.

Everything a user wrote is read and checked here; every mistake becomes a located `Problem`."""
