"""Old name of decktemplate.reader (egovdeck before the stage folders), kept for scripts that import it,
such as test harnesses that copy the bundled template (`DEFAULT_TEMPLATE`). New code imports
egovdeck.decktemplate.reader."""

from egovdeck.decktemplate.reader import DEFAULT_TEMPLATE, TemplateRef, open_template  # noqa: F401
