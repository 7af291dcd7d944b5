"""MkDocs hook: a line `<!-- egovdeck:NAME -->` in a page becomes the reference section NAME, generated from the
code by egovdeck.cli.reference when the site is built (so the reference never drifts from the models)."""

from __future__ import annotations


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs' hook signature
    from egovdeck.cli.reference import expand

    return expand(markdown)
