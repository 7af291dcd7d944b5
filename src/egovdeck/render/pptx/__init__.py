"""The deck renderer: a resolved `Document` -> the PPTX deck's bytes (python-pptx, native chart XML)."""
