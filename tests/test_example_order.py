"""A property test tries the same examples whatever ran before it in the same pytest process.

Hypothesis draws part of its values from the constants of the local modules imported so far. Before
tests/conftest.py imported every egovdeck module up front, `pytest tests/test_env.py tests/test_page_fill.py`
(the CLI, server and watch modules imported by test_env) made test_page_fill generate other reports than
`pytest tests/test_page_fill.py` alone: a failure that came and went with the order of the tests, and with
any new number in any module, looked like state leaking from one build into the next (it was not: the
failing report builds to the same bytes alone, after other builds, with and without the pie work)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

DRAW = """
import json, sys
sys.path.insert(0, {tests!r})
import conftest  # what pytest imports first: the profile (derandomized) and the modules
if sys.argv[1] == "after-cli":
    import egovdeck.cli.main, egovdeck.engine.build  # what an earlier test (tests/test_env.py) imports
from hypothesis import given, settings, strategies as st
seen = []
@settings(max_examples=60, database=None, derandomize=True)
@given(st.lists(st.integers(0, 99999) | st.floats(-1e4, 1e4) | st.text("政府网站数量0123456789.%", max_size=8),
                max_size=6))
def draw(values):
    seen.append(repr(values))
draw()
print(json.dumps(seen))
"""


def _examples(order: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", DRAW.format(tests=str(TESTS)), order], capture_output=True,
                         text=True, check=True, cwd=TESTS.parent)
    return json.loads(run.stdout)


def test_generated_examples_do_not_depend_on_the_tests_run_before():
    alone, after = _examples("alone"), _examples("after-cli")
    assert len(alone) >= 30
    assert alone == after, next((a, b) for a, b in zip(alone, after, strict=False) if a != b)
