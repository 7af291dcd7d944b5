"""egovdeck: statistical datasets + a report definition -> a PDF brief and a PPTX deck."""

__version__ = "0.1.0"
