"""Text facts shared by both renderers: fonts and their metrics, CJK line breaking (kinsoku), number formatting, table column widths."""
