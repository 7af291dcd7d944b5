"""egovdeck serve: builds handed to a warm server give the same files, messages and exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project

HEAVY = ("matplotlib", "reportlab", "pptx", "pydantic")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "EGOVDECK_SERVER_DIR": str(tmp_path / "srv"), "SOURCE_DATE_EPOCH": "1577836800"}
    env.pop("EGOVDECK_NO_SERVER", None)
    return env


@pytest.fixture
def server(tmp_path):
    env = _env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "egovdeck", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    ready = proc.stdout.readline()  # after the warm-up build
    assert "ready on" in ready, ready + proc.stdout.read()
    socket_file = Path(ready.split("ready on ")[1].split(";")[0])
    assert socket_file.exists()
    yield env, socket_file
    proc.terminate()
    proc.wait(timeout=20)
    proc.stdout.close()
    assert not socket_file.exists()  # SIGTERM stops it cleanly


def _client(args: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, set]:
    """Run the CLI in a fresh process; also report which heavy libraries that process imported."""
    code = ("import sys, json\nfrom egovdeck.cli.main import main\nrc = main(sys.argv[1:])\n"
            "print('MODULES', json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, cwd=cwd)
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return proc, set(json.loads(line.split(" ", 1)[1])) & set(HEAVY)


def _digests(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_build_through_the_server_is_the_same_build(server, tmp_path):
    env, _socket = server
    definition = copy_project(tmp_path / "p")
    served, heavy = _client(["build", str(definition), "-o", str(tmp_path / "a")], env)
    assert served.returncode == 0, served.stderr
    assert not heavy, f"the client itself imported {heavy}: the build did not run in the server"
    assert "wrote" in served.stdout and "12 charts (12 rendered, 0 from cache)" in served.stdout
    assert "continued (续表)" in served.stdout  # the fitting notes come back too
    here, heavy = _client(["build", str(definition), "--no-server", "-o", str(tmp_path / "b")], env)
    assert here.returncode == 0, here.stderr
    assert heavy  # --no-server: built in the client
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    # a relative path is the client's, not the server's
    again, _ = _client(["build", "reports/egov-2019.yaml", "-o", "rel-out"], env, cwd=tmp_path / "p")
    assert again.returncode == 0, again.stderr
    assert _digests(tmp_path / "p" / "rel-out") == _digests(tmp_path / "a")


def test_problems_come_back_with_their_exit_code_and_nothing_is_written(server, tmp_path):
    env, _socket = server
    definition = copy_project(tmp_path / "p")
    definition.write_text(definition.read_text(encoding="utf-8") + "\n  bad: [unclosed\n", encoding="utf-8")
    proc, heavy = _client(["build", str(definition), "-o", str(tmp_path / "out")], env)
    assert proc.returncode == 1
    assert "egov-2019.yaml" in proc.stderr and "nothing was written" in proc.stderr
    assert proc.stdout == "" and not heavy
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_without_an_answering_server_the_client_builds_by_itself(tmp_path):
    env = _env(tmp_path)
    from egovdeck.engine.server import socket_path

    os.environ["EGOVDECK_SERVER_DIR"] = env["EGOVDECK_SERVER_DIR"]
    try:
        path = socket_path()
    finally:
        del os.environ["EGOVDECK_SERVER_DIR"]
    path.parent.mkdir(parents=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # a socket file nobody listens on: what a killed server leaves behind
    dead.close()
    definition = copy_project(tmp_path / "p")
    proc, heavy = _client(["build", str(definition), "-q", "-o", str(tmp_path / "out")], env)
    assert proc.returncode == 0, proc.stderr
    assert heavy and (tmp_path / "out" / "egov-2019.pdf").exists()


def test_an_idle_server_stops_by_itself_and_removes_its_socket(tmp_path):
    env = _env(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "egovdeck", "serve", "--idle-minutes", "0.01"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ready on" in proc.stdout and "idle, stopping" in proc.stdout
    assert not list((tmp_path / "srv").rglob("*.sock"))


def test_a_second_server_for_the_same_code_refuses_to_start(server):
    env, socket_file = server
    proc = subprocess.run([sys.executable, "-m", "egovdeck", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1 and "already running" in proc.stdout
    assert socket_file.exists()  # the first one keeps serving


def test_an_interrupted_client_stops_its_build_before_anything_is_replaced(server, tmp_path):
    import time

    from egovdeck.engine.server import _send

    env, socket_file = server
    definition = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    first, _ = _client(["build", str(definition), "-q", "--no-server", "-o", str(out)], env)
    assert first.returncode == 0, first.stderr
    before = _digests(out)
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("网民线上办事使用率显著提升", "网民线上办事使用率大幅提升"), encoding="utf-8")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(str(socket_file))
    request = {"argv": ["build", str(definition), "-q", "--no-cache", "-o", str(out)], "cwd": str(tmp_path),
               "env": {}, "umask": 0o022}
    _send(conn, b"r", json.dumps(request).encode())
    time.sleep(0.3)  # the build has begun (it takes about a second)
    conn.close()  # what Ctrl-C in `egovdeck build` does
    time.sleep(4)
    assert _digests(out) == before  # interrupted before replacing anything, no temporary file left
    again, _ = _client(["build", str(definition), "-q", "-o", str(out)], env)  # the server still serves
    assert again.returncode == 0, again.stderr
    assert _digests(out) != before


def _raw_build(socket_file: Path, request: dict) -> tuple[int, str, str]:
    from egovdeck.engine.server import _recv, _send

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(str(socket_file))
    _send(conn, b"r", json.dumps(request).encode())
    out, err = b"", b""
    while True:
        kind, payload = _recv(conn)
        if kind == b"x":
            conn.close()
            return int(payload), out.decode(), err.decode()
        if kind == b"o":
            out += payload
        else:
            err += payload


def test_a_client_on_a_terminal_gets_the_live_status_line(server, tmp_path):
    """What `egovdeck build` on a terminal sends: rich draws its status line through the socket."""
    _env, socket_file = server
    definition = copy_project(tmp_path / "p")
    code, out, err = _raw_build(socket_file, {"argv": ["build", str(definition), "-o", str(tmp_path / "out")],
                                              "cwd": str(tmp_path), "env": {"TERM": "xterm", "COLUMNS": "100"},
                                              "umask": 0o022, "tty": True})
    assert code == 0, err
    assert "\x1b[" in err and "rendering charts" in err  # rich's live status, not plain step lines
    assert "wrote" in out and "\x1b[" not in out


def test_without_unix_sockets_and_fork_builds_stay_local(monkeypatch):
    from egovdeck.engine import server

    monkeypatch.setattr(server, "supported", lambda: False)
    assert server.run_remote(["build"]) is None  # the CLI then builds by itself
    said = []
    assert server.serve(log=said.append) == 2
    assert "needs Unix sockets and fork" in said[0]
