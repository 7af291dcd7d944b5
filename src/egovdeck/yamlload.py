"""Read YAML keeping line/column positions, so every error can point at its place."""

from __future__ import annotations

import re
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
        if isinstance(self.data, dict):  # a missing top-level key: the document itself
            return {"file": self.file, "line": 1, "column": 1, "key": full}
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


_QUOTED = re.compile(r"""^(\s*(?:-\s+)*(?:[^'"#\s\[{][^#]*?:\s+)?)(["'])(.*)$""")


def _closes(quote: str, rest: str) -> bool:
    """Whether a scalar opened with quote is closed in rest (the remainder of its line)."""
    i = 0
    while i < len(rest):
        c = rest[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and rest[i + 1:i + 2] == "'":  # '' is an escaped quote
                i += 2
                continue
            return True
        i += 1
    return False


def unclosed_quote(text: str, last_line: int) -> tuple[int, int, str] | None:
    """The first quoted value opened but not closed on its line, up to last_line (0-based): (line, col, quote)."""
    for n, line in enumerate(text.splitlines()[: last_line + 1]):
        m = _QUOTED.match(line)
        if m and not _closes(m.group(2), m.group(3)):
            return n, len(m.group(1)), m.group(2)
    return None


def _syntax_problem(exc: Any, path: Path, text: str) -> Problem:
    """A YAML syntax error as one located Problem with a hint for the usual causes."""
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or str(exc)).strip()
    context = (exc.context or "").strip()
    hint = "check the indentation and that every 'key: value' has a space after the colon"
    line = mark.line if mark else None
    column = mark.column if mark else None
    first = str(exc).splitlines()[0] if str(exc) else ""
    dup = re.match(r'found duplicate key "(.*?)" with value', problem)
    if dup and line is not None and column is not None:
        name = dup.group(1)
        lines = text.splitlines()
        start = exc.context_mark.line if exc.context_mark else 0
        first_at = next((n for n in range(start, line) if lines[n][column:].startswith((f"{name}:", f'"{name}":'))
                         and not lines[n][:column].strip(" -")), None)
        problem = f'duplicate key "{name}"' + (f" (first at line {first_at + 1})" if first_at is not None else "")
        hint = "each key may appear only once in a mapping: remove or rename one of them"
    elif "duplicate key" in problem or "duplicate key" in first:
        hint = "each key may appear only once in a mapping"
    elif "'\\t'" in problem:
        problem = "a tab character; YAML indentation must use spaces"
        hint = "replace the tab at the start of the line with spaces (two per level, like the lines around it)"
    else:
        quote = None
        if "quoted scalar" in context and exc.context_mark:
            quote = (exc.context_mark.line, exc.context_mark.column, text.splitlines()[exc.context_mark.line]
                     [exc.context_mark.column:exc.context_mark.column + 1] or '"')
        elif line is not None:
            quote = unclosed_quote(text, line)
        if quote:
            line, column, q = quote
            problem = f"unclosed quote: the value starting with {q} here is never closed"
            hint = f"add the closing {q} at the end of the value (or remove the opening one)"
        elif "flow sequence" in context or "flow mapping" in context:
            pair = "[ … ]" if "sequence" in context else "{ … }"
            opened = f" on line {exc.context_mark.line + 1}" if exc.context_mark else ""
            hint = f"close the {pair} opened{opened} and separate its items with commas"
        elif "mapping values are not allowed" in problem:
            problem += " (a 'key: value' where only a value can be: usually a wrong indentation)"
            hint = "indent this line exactly like the other keys of its mapping (two spaces per level)"
    return Problem(f"invalid YAML: {problem}", file=path, line=line + 1 if line is not None else None,
                   column=column + 1 if column is not None else None, hint=hint)


DATE_LIKE = re.compile(r"(?<![\w.:-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.:-])")


def _bad_scalar(exc: Exception, path: Path, text: str) -> Problem:
    """A value YAML itself cannot build, in practice an impossible date like 2020-13-01: find and locate it."""
    import datetime as dt

    for n, line in enumerate(text.splitlines()):
        code = line.split(" #", 1)[0]
        for m in DATE_LIKE.finditer(code):
            if code[:m.start()].count('"') % 2 or code[:m.start()].count("'") % 2:
                continue  # inside a quoted string: not a date for YAML
            try:
                dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError as err:
                return Problem(f'invalid YAML: "{m.group(0)}" is not a real date ({err})', file=path, line=n + 1,
                               column=m.start() + 1, hint="write a real date as YYYY-MM-DD, e.g. 2020-05-20")
    return Problem(f"invalid YAML: a value cannot be read ({exc})", file=path)


# YAML 1.2 core schema scalars (what ruamel's round-trip loader resolves), for the libyaml fast path.
_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    ("tag:yaml.org,2002:float", re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"), list("0123456789")),
]


def _core_loader():
    """A libyaml (C) safe loader resolving plain scalars by YAML 1.2 rules, or None without libyaml."""
    try:
        import yaml
    except ImportError:
        return None
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:
        return None

    class CoreLoader(base):  # type: ignore[misc,valid-type]
        yaml_implicit_resolvers: dict = {}

    for tag, regexp, first in _CORE_RESOLVERS:
        CoreLoader.add_implicit_resolver(tag, regexp, first)

    def construct_int(loader, node):
        value = loader.construct_scalar(node)
        value = value.replace("_", "")  # ruamel reads 1_000 as 1000
        return int(value[2:], 8) if value.startswith("0o") else int(value, 16) if value.startswith("0x") else int(value)

    CoreLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    return CoreLoader


def _fast_load(text: str) -> tuple[Any, dict[str, tuple[int, int]]] | None:
    """Parse with libyaml (~20x faster than pure-Python ruamel). None when anything is unusual
    (a syntax error, a duplicate key, an impossible date, tags): ruamel then reads the file and
    produces its precise, located message."""
    loader_cls = _core_loader()
    if loader_cls is None:
        return None
    import yaml

    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        positions: dict[str, tuple[int, int]] = {}
        if not _walk(node, (), positions):
            return None
        data = loader.construct_document(node)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return None
    finally:
        loader.dispose()
    return _str_keys(data), positions


def _walk(node: Any, path: tuple[Any, ...], positions: dict[str, tuple[int, int]]) -> bool:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                return False
            if key_node.value in seen:
                return False  # a duplicate key: let ruamel report it
            seen.add(key_node.value)
            sub = (*path, key_node.value)
            positions[key_path(sub)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not _walk(value_node, sub, positions):
                return False
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = (*path, i)
            positions[key_path(sub)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            if not _walk(item, sub, positions):
                return False
    return node.tag.startswith("tag:yaml.org,2002:")


def _str_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _str_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_str_keys(v) for v in data]
    return data


def load_yaml(path: Path, text: str | None = None) -> Located:
    """Parse a YAML file; syntax errors become a located Problem."""
    if text is None:
        from egovdeck.files import read_input

        try:
            raw = read_input(path)  # its digest is what the up-to-date manifest records
        except OSError as exc:
            raise EgovError(Problem(f"cannot read file: {exc.strerror}", file=path)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EgovError(Problem(
                f"not UTF-8 text (byte {exc.start})", file=path,
                hint="save the definition as UTF-8 (in VS Code: Save with Encoding > UTF-8)")) from None
    fast = _fast_load(text)
    if fast is not None:
        return Located(path, fast[0], fast[1])
    from ruamel.yaml import YAML  # ~40 ms to import: only for what the fast path declined
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        raise EgovError(_syntax_problem(exc, path, text)) from None
    except YAMLError as exc:
        raise EgovError(Problem(f"invalid YAML: {exc}", file=path)) from None
    except (ValueError, OverflowError) as exc:  # ruamel builds dates eagerly: 2020-13-01 fails here
        raise EgovError(_bad_scalar(exc, path, text)) from None
    positions: dict[str, tuple[int, int]] = {}
    data = _plain(node, (), positions)
    return Located(path, data, positions)
