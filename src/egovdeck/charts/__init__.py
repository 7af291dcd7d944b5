"""Charts: a resolved ChartData -> a Plan (every mark placed, per kind: plan/) -> SVG for the PDF (paint, mpl) and the native PowerPoint chart XML (native)."""
