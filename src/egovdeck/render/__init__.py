"""Renderers: Document -> PDF brief (pdf) and PPTX deck (pptx). They read only the resolved Document."""
