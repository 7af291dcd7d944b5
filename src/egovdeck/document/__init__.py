"""The resolved document model: plain dataclasses the renderers read (no pydantic, no file access)."""
