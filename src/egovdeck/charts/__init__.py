"""Charts: a chart spec + its data -> ChartData (resolve) -> SVG for the PDF (mpl) and a native PPTX chart (native)."""
