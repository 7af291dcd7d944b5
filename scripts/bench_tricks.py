"""What each speed trick saves on the case it targets (scripts/bench.py --tricks; part of make bench).

For every trick of src/egovdeck/speedflags.py the case it is for is timed with the trick on and off
(EGOVDECK_SPEED_OFF=<trick>, the one switch), the two alternating run by run so that a machine that
slows down for a minute slows both; the saving is the median over the pairs of (off - on) / off.
A trick that saves under THRESHOLD of its case is to be removed (issue #17), and the table says so.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

THRESHOLD = 0.03
EGOVDECK = [sys.executable, "-m", "egovdeck"]
SENTENCE = "网民线上办事使用率显著提升"


def _time(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return seconds


class Cases:
    """The target cases, each a function env -> seconds of one run (fresh processes, as a user runs them)."""

    def __init__(self, tmp: Path, definition: Path, province: Path, syn50: Path):
        self.tmp, self.definition, self.province, self.syn50 = tmp, definition, province, syn50
        self.out = tmp / "out"
        self.runs = 0
        self.text = definition.read_text(encoding="utf-8")
        self.warm_cache = tmp / "cache-warm"
        _time([*EGOVDECK, "build", str(definition), "-q", "--cache-dir", str(self.warm_cache), "-o", str(self.out)],
              self._env({}))

    @staticmethod
    def _env(env: dict) -> dict:
        return {**env, "PYTHONDONTWRITEBYTECODE": "1"}

    def _fresh(self) -> Path:
        self.runs += 1
        return self.tmp / f"cache-{self.runs}"

    def cold(self, env: dict) -> float:
        return _time([*EGOVDECK, "build", str(self.definition), "-q", "--cache-dir", str(self._fresh()), "-o",
                      str(self.out)], self._env(env))

    def edit(self, env: dict) -> float:
        self.runs += 1
        self.definition.write_text(self.text.replace(SENTENCE, SENTENCE + "又" * (self.runs % 7 + 1)), encoding="utf-8")
        try:
            return _time([*EGOVDECK, "build", str(self.definition), "-q", "--cache-dir", str(self.warm_cache), "-o",
                          str(self.out)], self._env(env))
        finally:
            self.definition.write_text(self.text, encoding="utf-8")

    def same(self, env: dict) -> float:
        cmd = [*EGOVDECK, "build", str(self.definition), "-q", "--cache-dir", str(self.warm_cache), "-o", str(self.out)]
        _time(cmd, self._env(env))  # the edit cases leave another version recorded
        return _time(cmd, self._env(env))

    def editions(self, env: dict) -> float:
        return _time([*EGOVDECK, "build", str(self.province), "--all-editions", "-q", "--cache-dir",
                      str(self._fresh()), "-o", str(self.out)], self._env(env))

    def sections50(self, env: dict) -> float:
        return _time([*EGOVDECK, "build", str(self.syn50), "-q", "--cache-dir", str(self._fresh()), "-o",
                      str(self.out)], self._env(env))

    def watch(self, env: dict) -> float:
        """Median of 3 rebuilds after a one-sentence edit inside one process that warmed up as `egovdeck watch`
        does (the warm-up itself is not timed: the user waits for it once)."""
        code = f"""
import pathlib, statistics, time
from egovdeck.engine.build import build, warm_up
p = pathlib.Path({str(self.definition)!r})
kw = dict(cache_dir=pathlib.Path({str(self.warm_cache)!r}), output_dir=pathlib.Path({str(self.out)!r}))
build(p, **kw)
warm_up()
text = p.read_text(encoding="utf-8")
times = []
for i in range(3):
    p.write_text(text.replace({SENTENCE!r}, {SENTENCE!r} + "再" * (i + 1)), encoding="utf-8")
    t = time.perf_counter(); build(p, **kw); times.append(time.perf_counter() - t)
p.write_text(text, encoding="utf-8")
print(statistics.median(times))
"""
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=self._env(env))
        if done.returncode != 0:
            raise SystemExit(f"watch case failed:\n{done.stderr}")
        return float(done.stdout.split()[-1])

    def served_edit(self, env: dict) -> float:
        """One-sentence edit by the CLI while an `egovdeck serve` runs (started once, see serve())."""
        return self.edit({**env, "EGOVDECK_SERVER_DIR": str(self.tmp / "srv")})


# trick -> (the case it targets, described; the Cases method; pairs to time)
TARGETS: dict[str, tuple[str, str, int]] = {
    "pdf-processes": ("bundled report, cold", "cold", 3),
    "fork-warm": ("bundled report, cold", "cold", 3),
    "rl-accel": ("bundled report, cold", "cold", 3),
    "pool-warm": ("32 province editions, cold", "editions", 2),
    "chart-cache": ("one narrative sentence changed", "edit", 3),
    "fontfile": ("one narrative sentence changed", "edit", 3),
    "libyaml": ("one narrative sentence changed", "edit", 3),
    "os-exit": ("one narrative sentence changed", "edit", 3),
    "manifest": ("nothing changed", "same", 3),
    "watch-warm": ("one sentence changed, in a running `egovdeck watch`", "watch", 2),
    "server": ("one sentence changed, `egovdeck serve` running", "served_edit", 3),
}


def measure(cases: Cases, trick: str, env: dict, log: Callable[[str], None],
            pairs: int | None = None) -> tuple[list[float], list[float]]:
    _label, method, default_pairs = TARGETS[trick]
    pairs = pairs or default_pairs
    run = getattr(cases, method)
    on, off = [], []
    for i in range(pairs):
        order = ((on, ""), (off, trick)) if i % 2 == 0 else ((off, trick), (on, ""))
        for into, flag in order:
            into.append(run({**env, "EGOVDECK_SPEED_OFF": flag}))
    log(f"{trick}: on {statistics.median(on):.2f} s, off {statistics.median(off):.2f} s")
    return on, off


def serve(env: dict, folder: Path) -> subprocess.Popen:
    served = {k: v for k, v in env.items() if k != "EGOVDECK_NO_SERVER"}
    served["EGOVDECK_SERVER_DIR"] = str(folder)
    server = subprocess.Popen([*EGOVDECK, "serve"], env=served, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    ready = server.stdout.readline()
    if "ready on" not in ready:
        server.terminate()
        raise SystemExit(f"egovdeck serve did not start: {ready}")
    return server


def trick_rows(root: Path, env: dict, make_project: Callable[[Path], Path], make_synthetic: Callable[[Path, int], Path],
               only: list[str] | None = None, log: Callable[[str], None] = print,
               pairs: int | None = None) -> list[str]:
    """The markdown lines of the speed-trick table."""
    from egovdeck.speedflags import TRICKS

    assert set(TARGETS) == set(TRICKS), set(TARGETS) ^ set(TRICKS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="egovdeck-tricks-") as tmp_str:
        tmp = Path(tmp_str)
        definition = make_project(tmp / "p")
        syn50 = make_synthetic(tmp / "syn50", 50)
        cases = Cases(tmp, definition, definition.parent / "egov-2019-province.yaml", syn50)
        for trick in only or TRICKS:
            server = None
            if trick == "server":
                server = serve(env, tmp / "srv")
                cases.served_edit({k: v for k, v in env.items() if k != "EGOVDECK_NO_SERVER"})  # its first build
            try:
                case_env = {k: v for k, v in env.items() if k != "EGOVDECK_NO_SERVER"} if server else env
                on, off = measure(cases, trick, case_env, log, pairs)
            finally:
                if server is not None:
                    server.terminate()
                    server.wait(timeout=30)
                    server.stdout.close()
            saving = statistics.median((b - a) / b for a, b in zip(on, off, strict=True))
            verdict = "kept" if saving >= THRESHOLD else f"under {THRESHOLD:.0%}: removed"
            rows.append(f"| {trick} | {TARGETS[trick][0]} | {statistics.median(on):.2f} s | "
                        f"{statistics.median(off):.2f} s | {saving:+.0%} | {len(on)} | {verdict} |")
    return ["## Speed tricks", "",
            "Each trick of `src/egovdeck/speedflags.py` timed on the case it targets with the trick on and switched off",
            "(`EGOVDECK_SPEED_OFF=<trick>`; `scripts/bench.py --off TRICK,...` runs the whole table so), the two",
            "alternating run by run. Saving = median over the pairs of (off − on) / off. Tricks saving under "
            f"{THRESHOLD:.0%} of their case are removed.", "",
            "| trick | case it targets | on (median) | off (median) | saving | pairs | verdict |",
            "|---|---|---|---|---|---|---|", *rows, "", *NOT_SWITCHED, ""]


NOT_SWITCHED = [
    "Not switched, and why: the lazy imports (heavy libraries load only in the commands that use them; "
    "`tests/test_engine.py` checks that `--help`, `--version` and `validate` import none) are the structure of "
    "the code, not an option; the in-process memos (font facts and file digests keyed by content, the "
    "narrative's parsed templates) are what make a second edition or a watch rebuild cheap and cannot be "
    "separated from the `watch-warm`/`pool-warm` rows; `gc.freeze()` is part of `watch-warm`, the fork per "
    "request part of `server`, the deck's native-chart cache part of `chart-cache`. The pickle cache of "
    "ReportLab Drawings is gone already (the SVG cache replaced it; a build only sweeps old `*.pickle` files). "
    "On a Dask cluster each worker loads a project once per bundle and keeps the last few "
    "(`cluster.KEEP_PROJECTS`).",
]
