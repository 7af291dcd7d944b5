"""Read YAML keeping line/column positions, so every error can point at its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovdeck.errors import EgovError, Problem


def key_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('sections', 2, 'chart', 'y') -> 'sections[2].chart.y'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Located:
    """Plain Python data from a YAML file plus the position of every key and item."""

    file: Path
    data: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # 1-based

    def where(self, loc: tuple[Any, ...] | list[Any] | str) -> dict[str, Any]:
        """Keyword arguments for Problem(): the position of loc, or of its nearest parent."""
        parts = [loc] if isinstance(loc, str) else list(loc)
        full = key_path(parts)
        for n in range(len(parts), 0, -1):
            pos = self.positions.get(key_path(parts[:n]))
            if pos:
                return {"file": self.file, "line": pos[0], "column": pos[1], "key": full}
        return {"file": self.file, "key": full}


def _plain(node: Any, path: tuple[Any, ...], positions: dict[str, tuple[int, int]]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            sub = (*path, str(key))
            try:
                line, col = node.lc.key(key)
                positions[key_path(sub)] = (line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            out[str(key)] = _plain(value, sub, positions)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, value in enumerate(node):
            sub = (*path, i)
            try:
                line, col = node.lc.item(i)
                positions[key_path(sub)] = (line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            out_list.append(_plain(value, sub, positions))
        return out_list
    if hasattr(node, "__str__") and type(node).__module__.startswith("ruamel"):
        # ruamel's scalar subclasses (ScalarFloat, folded strings) -> plain types
        for base in (bool, int, float, str):
            if isinstance(node, base):
                return base(node)
    return node


def load_yaml(path: Path, text: str | None = None) -> Located:
    """Parse a YAML file; syntax errors become a located Problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise EgovError(Problem(f"cannot read file: {exc.strerror}", file=path)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EgovError(Problem(
                f"not UTF-8 text (byte {exc.start})", file=path,
                hint="save the definition as UTF-8 (in VS Code: Save with Encoding > UTF-8)")) from None
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or str(exc)).strip()
        hint = "check the indentation and that every 'key: value' has a space after the colon"
        if "duplicate key" in problem or "found duplicate key" in str(exc):
            hint = "each key may appear only once in a mapping"
            problem = str(exc).splitlines()[0] if "duplicate" in str(exc).splitlines()[0] else problem
        raise EgovError(Problem(
            f"invalid YAML: {problem}", file=path,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint=hint)) from None
    except YAMLError as exc:
        raise EgovError(Problem(f"invalid YAML: {exc}", file=path)) from None
    positions: dict[str, tuple[int, int]] = {}
    data = _plain(node, (), positions)
    return Located(path, data, positions)
