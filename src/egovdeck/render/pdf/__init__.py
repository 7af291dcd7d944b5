"""The PDF renderer: a resolved `Document` -> the PDF brief's bytes (ReportLab platypus, then PDF/A with pikepdf)."""
