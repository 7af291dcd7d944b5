"""MkDocs hook: a line `<!-- egovdeck:NAME -->` in a page becomes the reference section NAME, generated from the
code by egovdeck.cli.reference when the site is built (so the reference never drifts from the models)."""

from __future__ import annotations

PREPARE_STEPS = "<!-- egovdeck:prepare-steps -->"


def prepare_steps() -> str:
    """The `prepare:` step models of egovdeck.input.steps as key tables: each step (its one key), then the
    models its value is made of. (Belongs in egovdeck.cli.reference.SECTIONS; kept here while only docs/ moves.)"""
    from pydantic import BaseModel

    from egovdeck.cli.reference import model_table
    from egovdeck.input import steps

    parts, nested = [], [steps.PreparedSpec, steps.ColumnText, steps.Comparison]
    for wrapper in steps.STEP_MODELS.values():
        parts.append(model_table(wrapper))
        (field,) = wrapper.model_fields.values()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            if field.annotation not in nested:
                nested.append(field.annotation)
    return "\n".join(parts + [model_table(cls) for cls in nested])


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs' hook signature
    from egovdeck.cli.reference import expand

    if PREPARE_STEPS in markdown:
        markdown = markdown.replace(PREPARE_STEPS, prepare_steps())
    return expand(markdown)
