"""A layout's text slot shows the finding's own text (docs/reference/definition.md: "takes no block").

Found by a new user: validate demanded a block under slots: for a text slot, with the hint "add under
slots: text: …"; what worked was an empty mapping. Now the slot needs the finding's text:, and a block
written under it is a warning (it would be ignored)."""

from __future__ import annotations

import pytest

from conftest import copy_project
from egovdeck.cli import main as cli

LAYOUT = """layouts:
  prose:
    slots:
      chart: {type: chart}
      body: {type: text}
    pdf: [[body], [chart]]
    slide:
      body: [0, 0, 0.4, 1]
      chart: [0.42, 0, 0.58, 1]

report:
"""


@pytest.fixture
def definition(tmp_path, monkeypatch):
    path = copy_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    text = path.read_text(encoding="utf-8").replace("\nreport:\n", "\n" + LAYOUT, 1)
    path.write_text(text.replace("        layout: chart-text\n", "        layout: prose\n", 1), encoding="utf-8")
    return path


def _validate(definition, capsys) -> tuple[int, str]:
    code = cli.main(["validate", str(definition)], try_server=False)
    return code, capsys.readouterr().err


def test_a_text_slot_takes_the_finding_text_without_a_block(definition, capsys):
    code, err = _validate(definition, capsys)
    assert code == 0, err
    assert "needs the slot" not in err


def test_a_text_slot_without_finding_text_is_located_at_the_finding(definition, capsys):
    text = definition.read_text(encoding="utf-8")
    start = text.index("        layout: prose\n")
    end = text.index("        notes:", start)
    definition.write_text(text[:start] + "        layout: prose\n" + text[end:], encoding="utf-8")
    code, err = _validate(definition, capsys)
    assert code == 1
    assert "shows the finding's text in its slot \"body\", and the finding has none" in err
    assert "hint: add text: … to the finding" in err and "needs the slot" not in err


def test_a_block_under_a_text_slot_is_a_warning(definition, capsys):
    text = definition.read_text(encoding="utf-8")
    at = text.index("        slots:\n", text.index("        layout: prose\n"))
    definition.write_text(text[:at] + "        slots:\n          body: 放错地方的正文\n" + text[at + len("        slots:\n"):],
                          encoding="utf-8")
    code, err = _validate(definition, capsys)
    assert code == 0, err
    assert 'warning: sections[1].findings[0].slots.body: the slot "body" shows the finding\'s text' in err
