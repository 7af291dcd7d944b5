"""What every model of a definition builds on: unknown keys refused (reported as warnings, or errors
with --strict), and `invalid`, a validation error in the user's terms located at a key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError


def invalid(message: str, key: tuple[str | int, ...] = (), hint: str = "") -> PydanticCustomError:
    """A value that cannot be right: the message (and hint) as the user reads them, `key` the path below the
    validated object that the message points at (project.pydantic_problems turns it into file:line:column)."""
    return PydanticCustomError("egov", "{message}", {"message": message, "key": tuple(key), "hint": hint})


class Strict(BaseModel):
    # Unknown keys are collected separately (warnings, or errors with --strict).
    model_config = ConfigDict(extra="forbid")
