"""Read YAML keeping line/column positions, so every error can point at its place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovdeck.errors import EgovError, Problem


def _template_start(text: str, at: int) -> bool:
    """Whether the YAML text at index `at` is a brace of an unquoted {{ or {% (a narrative template)."""
    return text[max(at - 1, 0):at + 1] in ("{{", "{%") or text[at:at + 2] in ("{{", "{%")


def key_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('sections', 2, 'chart', 'y') -> 'sections[2].chart.y'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --------------------------------------------------------------------------- limits

# Keys whose values are running text (paragraphs): they may be long. Every other value (titles, labels,
# sources, ids) is one line and gets the shorter limit.
TEXT_KEYS = frozenset({"text", "summary", "notes", "note", "alt", "description"})


@dataclass(frozen=True)
class Limit:
    """A documented, configurable bound on the input (docs: Exit codes and limits, generated from these objects)."""

    env: str  # the environment variable that overrides it
    default: int
    what: str

    def value(self) -> int:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            number = int(raw.replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise EgovError(Problem(f"{self.env}={raw!r}: expected a whole number of at least 1 ({self.what})",
                                    hint=f"unset {self.env} to use the default ({self.default}), or set it to a number"))
        return number

    def hint(self) -> str:
        return f"(the limit is {self.value():,}; if this is really meant, raise it with {self.env}=N)"


MAX_YAML_BYTES = Limit("EGOVDECK_MAX_YAML_BYTES", 2_000_000, "size of a definition or sidecar file, in bytes")
MAX_YAML_DEPTH = Limit("EGOVDECK_MAX_YAML_DEPTH", 40, "nesting depth of lists and mappings")
MAX_YAML_NODES = Limit("EGOVDECK_MAX_YAML_NODES", 200_000, "values in one file, with every *alias expanded")
MAX_TEXT_CHARS = Limit("EGOVDECK_MAX_TEXT_CHARS", 10_000, "characters in one running text (text, summary, notes)")
MAX_LINE_CHARS = Limit("EGOVDECK_MAX_LINE_CHARS", 500, "characters in any other value (titles, labels, sources)")
YAML_LIMITS = (MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, MAX_TEXT_CHARS, MAX_LINE_CHARS)

# Characters YAML 1.2 does not allow in a stream (§5.1): C0 controls but tab/LF/CR, DEL, C1 but NEL, surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))


# Allowed by YAML but refused too: the bidirectional embeddings/overrides/isolates, which reorder what a reader
# sees without showing themselves ("Trojan Source", CVE-2021-42574; UAX #9), so a title would read differently in
# the editor, the PDF and the deck. The data files refuse the same set (input/data.py CONTROL_CHARS).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# And NEL (U+0085): YAML 1.2 allows it as a printable character, YAML 1.1 reads it as a line break, Python's
# str.splitlines() breaks there; a font has no glyph for it (a title would lose it, or break in two).
_REFUSED = re.compile(f"{_FORBIDDEN.pattern}|{_BIDI.pattern}|\x85")


def _control_chars(text: str, path: Path) -> list[Problem]:
    out = []
    for m in _REFUSED.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        code = f"U+{ord(m.group()):04X}"
        if _BIDI.match(m.group()):
            what, hint = ("an invisible bidirectional control character", "delete it (it usually comes from copying "
                          "text out of a web page or a word processor; Chinese text never needs it)")
        else:
            what, hint = ("a control character" if m.group() == "\x85" else "invalid YAML: a control character",
                          "delete it (it usually comes from copying text out "
                          "of a terminal or a word processor); if it is really wanted, write it as "
                          f"\\u{ord(m.group()):04x} inside a double-quoted value")
        out.append(Problem(f"{what} ({code}) is not allowed", file=path, line=line, column=column, hint=hint))
        if len(out) == 10:
            break
    return out


@dataclass
class _Frame:
    path: tuple[Any, ...]
    anchor: str | None
    mapping: bool
    size: int = 1
    index: int = 0  # items seen (a mapping: keys and values)
    key: Any = None


def _show_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def check_limits(text: str, path: Path) -> list[Problem]:
    """Everything about a YAML text that must be refused before it is built into data, located: control characters,
    tags (never constructed), nesting depth, alias expansion ("billion laughs") and over-long values.

    Reads the event stream of libyaml (no recursion, no data built), so a hostile file costs milliseconds."""
    problems = _control_chars(text, path)
    if problems:
        return problems
    import yaml

    depth_limit, node_limit = MAX_YAML_DEPTH.value(), MAX_YAML_NODES.value()
    text_limit, line_limit = MAX_TEXT_CHARS.value(), MAX_LINE_CHARS.value()
    anchors: dict[str, int] = {}
    stack: list[_Frame] = []
    total = 0

    def at(event: Any, loc: tuple[Any, ...]) -> dict[str, Any]:
        return {"file": path, "line": event.start_mark.line + 1, "column": event.start_mark.column + 1,
                "key": key_path(loc)}

    def place() -> tuple[tuple[Any, ...], bool]:
        """The path of the next node and whether it is a mapping key."""
        if not stack:
            return (), False
        top = stack[-1]
        if top.mapping:
            return (*top.path, str(top.key)), top.index % 2 == 0
        return (*top.path, top.index), False

    def done(size: int, new: int, key: Any = None) -> None:
        """A node is complete: size values (with what it stands for), new of them not counted yet."""
        nonlocal total
        total += new
        if stack:
            top = stack[-1]
            top.size += size
            if top.mapping and top.index % 2 == 0:
                top.key = key
            top.index += 1

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.NodeEvent):
                loc, is_key = place()
                if is_key:
                    loc = loc[:-1]
                tag = getattr(event, "tag", None)
                if tag not in (None, "!") and tag not in _PLAIN_TAGS:
                    problems.append(Problem(
                        f'the tag "{_show_tag(tag)}" is not allowed', **at(event, loc),
                        hint="a definition holds plain values (text, numbers, lists, mappings) and egovdeck never "
                             "builds objects from tags: remove the tag (put the value in quotes to keep it as text)"))
                    if len(problems) >= 20:
                        return problems
            if isinstance(event, yaml.ScalarEvent):
                value = event.value
                name = loc[-1] if loc and isinstance(loc[-1], str) and not is_key else ""
                bound = MAX_TEXT_CHARS if name in TEXT_KEYS else MAX_LINE_CHARS
                limit = text_limit if bound is MAX_TEXT_CHARS else line_limit
                if len(value) > limit:
                    what = "a key" if is_key else "a text" if bound is MAX_TEXT_CHARS else "a one-line value"
                    problems.append(Problem(f"the {'key' if is_key else 'value'} is {len(value):,} characters long, "
                                            f"too long for {what}", **at(event, loc), hint=f"shorten it {bound.hint()}"))
                    if len(problems) >= 20:
                        return problems  # enough to show the pattern
                if event.anchor:
                    anchors[event.anchor] = 1
                done(1, 1, value if is_key else None)
            elif isinstance(event, yaml.AliasEvent):
                size = anchors.get(event.anchor, 1)
                done(size, size)
                if total > node_limit:
                    problems.append(Problem(
                        f"the aliases expand to more than {node_limit:,} values (*{event.anchor} alone stands for "
                        f"{size:,})", **at(event, loc), hint=f"use fewer nested &anchors and *aliases {MAX_YAML_NODES.hint()}"))
                    return problems
            elif isinstance(event, yaml.CollectionStartEvent):
                if is_key:
                    hint = 'keys are plain names: remove the "? " or the brackets before the colon'
                    if _template_start(text, event.start_mark.index):
                        name = next((k for k in reversed(loc) if isinstance(k, str)), "text")
                        hint = (f'a value that starts with {{{{ is a template: quote the whole value, {name}: "{{{{ … }}}}" '
                                "(YAML reads an unquoted { as the start of a mapping)")
                    problems.append(Problem("a list or mapping used as a key", **at(event, loc), hint=hint))
                    return problems
                if len(stack) >= depth_limit:
                    problems.append(Problem(f"lists and mappings nested more than {depth_limit} levels deep",
                                            **at(event, loc), hint=f"flatten the structure {MAX_YAML_DEPTH.hint()}"))
                    return problems
                stack.append(_Frame(loc, event.anchor, isinstance(event, yaml.MappingStartEvent)))
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = frame.size
                if total > node_limit:
                    problems.append(Problem(f"more than {node_limit:,} values in one file", file=path,
                                            hint=f"split the data into smaller files {MAX_YAML_NODES.hint()}"))
                    return problems
                done(frame.size, 1)  # its items are counted already
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if "nesting depth" in str(exc) and mark is not None:  # libyaml's own bound (1,000 levels)
            problems.append(Problem(f"lists and mappings nested more than {depth_limit} levels deep", file=path,
                                    line=mark.line + 1, column=mark.column + 1,
                                    hint=f"flatten the structure {MAX_YAML_DEPTH.hint()}"))
        # any other syntax error: the ruamel reader reports it with its place and a hint
    return problems


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
        at = (mark.index if mark is not None and getattr(mark, "index", None) is not None else -1)
        if at >= 0 and _template_start(text, at):
            hint = ('a value that starts with {% or {{ is a template: quote the whole value, text: "{% if … %}…" '
                    "(or write it as a block: text: | on its own line, the template indented below)")
        elif quote:
            line, column, q = quote
            problem = f"unclosed quote: the value starting with {q} here is never closed"
            hint = f"add the closing {q} at the end of the value (or remove the opening one)"
        elif "flow sequence" in context or "flow mapping" in context:
            pair = "[ … ]" if "sequence" in context else "{ … }"
            opened = f" on line {exc.context_mark.line + 1}" if exc.context_mark else ""
            hint = f"close the {pair} opened{opened} and separate its items with commas"
        elif "another document" in problem:
            problem = "a second YAML document (a --- line) in the file"
            hint = "a definition is one document: remove the --- line (and what follows, or move it into the first)"
        elif "mapping values are not allowed" in problem and line is not None and column is not None and \
                re.search(r"\{\{|\{%", text.splitlines()[line][:column] if line < len(text.splitlines()) else ""):
            problem += " (the ': ' inside this value's template reads as a new key)"
            hint = ("quote the whole value, text: '共有{{ count(\"d\", x={\"lt\": 0}) }}个' (single quotes outside, "
                    "double inside), or write it as a block: text: | on its own line, the template indented below")
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
    return Problem(f"invalid YAML: a value cannot be read ({exc})", file=path,
                   hint="quote the value (\"…\") to keep it as text, or write dates as YYYY-MM-DD")


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

    class CoreLoader(base):
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


def _too_large(path: Path, size: int) -> Problem:
    """A file over the size limit, located at its longest line (in its first 64 MB) when one line is most of it."""
    with path.open("rb") as fh:
        head = fh.read(64 << 20)
    where: dict[str, Any] = {}
    what = ""
    start, longest = 0, (0, 0, 0)  # length, line number, offset
    for number, line in enumerate(head.split(b"\n"), 1):
        if len(line) > longest[0]:
            longest = (len(line), number, start)
        start += len(line) + 1
    if longest[0] * 2 > len(head):
        prefix = head[longest[2]:longest[2] + 200]
        colon = prefix.find(b": ")  # point at the value of "key: value"
        where = {"line": longest[1], "column": len(prefix[:colon + 2].decode("utf-8", "replace")) + 1 if colon >= 0 else 1}
        what = f" (line {longest[1]} alone is {longest[0]:,} bytes)"
    return Problem(f"the file is {size:,} bytes, too large for a YAML file{what}", file=path, **where,
                   hint=f"keep definitions and sidecars small and put data in CSV/XLSX files {MAX_YAML_BYTES.hint()}")


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, path: Path) -> Problem:
    """Where the first byte that is not UTF-8 is, and what the file probably is."""
    hint = "save the file as UTF-8 (in VS Code: Save with Encoding > UTF-8)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem("the file is saved as UTF-16, not UTF-8", file=path, line=1, column=1, hint=hint)
    start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
    guess = raw[exc.start:exc.start + 8].decode("gb18030", "replace")  # 4 characters: the next may be UTF-8 again
    found = re.match(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]{2,}", guess)
    what = f' (it reads as "{found.group()}…" in GB18030/GBK, the Windows Chinese encoding)' if found else ""
    return Problem(f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read{what}", file=path, line=line,
                   column=column, hint=hint + "; retype the characters of this line if only it was pasted "
                                             "from elsewhere")


def load_yaml(path: Path, text: str | None = None) -> Located:
    """Parse a YAML file; syntax errors become a located Problem."""
    if text is None:
        from egovdeck.files import read_input

        try:
            size = path.stat().st_size
            if size > MAX_YAML_BYTES.value():
                raise EgovError(_too_large(path, size))
            raw = read_input(path)  # its digest is what the up-to-date manifest records
        except OSError as exc:
            raise EgovError(Problem(f"cannot read file: {exc.strerror}", file=path,
                                    hint="check that the file is there and readable (permissions)")) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EgovError(_not_utf8(raw, exc, path)) from None
    problems = check_limits(text, path)
    if problems:
        raise EgovError(problems)
    try:
        return _load_checked(path, text)
    except RecursionError:  # only when EGOVDECK_MAX_YAML_DEPTH was raised very high
        raise EgovError(Problem("lists and mappings nested too deeply for Python to read", file=path,
                                hint=f"flatten the structure (or lower {MAX_YAML_DEPTH.env})")) from None


def _load_checked(path: Path, text: str) -> Located:
    from egovdeck.speedflags import on as speed_trick

    fast = _fast_load(text) if speed_trick("libyaml") else None
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
        raise EgovError(Problem(f"invalid YAML: {exc}", file=path,
                                hint="check the file in a YAML-aware editor: two spaces per level, key: value, "
                                     "quotes closed")) from None
    except (ValueError, OverflowError, TypeError) as exc:  # ruamel builds dates eagerly: 2020-13-01 fails here
        raise EgovError(_bad_scalar(exc, path, text)) from None
    positions: dict[str, tuple[int, int]] = {}
    data = _plain(node, (), positions)
    return Located(path, data, positions)
