"""Rebuilds you can trust (issue 11): one fingerprint for the manifest and every cache, a cache that heals
itself, outputs that survive kill -9 as a complete pair, and a build server nobody else can impersonate."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

EPOCH = "1577836800"
SENTENCE, EDITED = "网民线上办事使用率显著提升", "网民线上办事使用率大幅提升"


def _main(*args: str) -> tuple[int, str, str]:
    """`egovdeck ...` in this process, as a user runs it: exit code, stdout, stderr."""
    from egovdeck.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), try_server=False)
    return code, out.getvalue(), err.getvalue()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pair(out: Path) -> tuple[str, str]:
    return _sha(out / "egov-2019.pdf"), _sha(out / "egov-2019.pptx")


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# --------------------------------------------------------------------------- up to date means up to date


def test_a_data_file_edited_while_the_build_reads_it_is_never_up_to_date(tmp_path, monkeypatch, epoch):
    """The manifest records the digest of the bytes the build parsed, not of the file at the end."""
    from egovdeck import files

    definition = copy_project(tmp_path)
    data = tmp_path / "data" / "online_gov_users.csv"
    original = data.read_bytes()
    read = files.read_input

    def read_then_edit(path):
        got = read(path)
        if Path(path).name == data.name:  # another program saves the file right after the build read it
            data.write_bytes(original.replace(b"6.94", b"6.95"))
        return got

    monkeypatch.setattr(files, "read_input", read_then_edit)
    code, out, err = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert code == 0, err
    monkeypatch.setattr(files, "read_input", read)
    code, out, err = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert code == 0 and "up to date" not in out, out  # the brief was built from the old value: build again
    code, out, _ = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert "up to date" in out


def test_strict_and_source_date_epoch_are_part_of_the_fingerprint(tmp_path, monkeypatch, epoch):
    definition = copy_project(tmp_path)
    sidecar = tmp_path / "data" / "egov_milestones.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "\ncolour: blue\n", encoding="utf-8")
    code, out, err = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert code == 0 and 'unknown key "colour"' in err, err  # a warning; an error with --strict
    pdf = tmp_path / "output" / "egov-2019.pdf"
    before = pdf.read_bytes()
    code, out, err = _main("build", str(definition), "--no-server", "--only", "pdf", "--strict")
    assert code == 1 and "up to date" not in out, out + err  # what `validate --strict` says
    assert "egov_milestones.yaml" in err
    assert pdf.read_bytes() == before  # nothing written
    code, out, _ = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert code == 0 and "up to date" in out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    code, out, err = _main("build", str(definition), "--no-server", "--only", "pdf")
    assert code == 0 and "up to date" not in out and "from cache" in out, out + err
    assert pdf.read_bytes() != before
    import pikepdf  # the info dictionary sits in an object stream since the PDF/A step: read it as a reader does

    with pikepdf.open(pdf) as opened:
        assert str(opened.docinfo["/CreationDate"]).startswith("D:20200913")  # the new timestamp


def _package_copy(tmp_path: Path, monkeypatch) -> Path:
    """egovdeck's fingerprint pointed at a copy of the package, which the test may then edit."""
    from egovdeck import files

    copy = tmp_path / "pkg"
    shutil.copytree(files.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(files, "PACKAGE", copy)
    for cached in (files.code_digest, files.engine_fingerprint):
        cached.cache_clear()
    return copy


def test_a_changed_renderer_module_rerenders_every_chart_and_the_deck(tmp_path, monkeypatch, epoch):
    from egovdeck import files
    from egovdeck.engine.build import build

    definition = copy_project(tmp_path / "p")
    package = _package_copy(tmp_path, monkeypatch)
    try:
        first = build(definition, jobs=1)
        assert first.charts_rendered == 12
        native = tmp_path / "p" / ".egovdeck-cache" / "native"
        made = len(list(native.glob("*.chart.xml")))
        assert made
        assert build(definition, jobs=1).up_to_date
        scale = package / "charts" / "scale.py"
        scale.write_text(scale.read_text(encoding="utf-8") + "\n# ticks changed\n", encoding="utf-8")
        files.code_digest.cache_clear()
        files.engine_fingerprint.cache_clear()
        again = build(definition, jobs=1)
        assert not again.up_to_date
        assert (again.charts_rendered, again.charts_cached) == (12, 0)  # no chart from the old code
        parts = len(list(native.glob("*.chart.xml")))
        assert parts == 2 * made  # the deck's chart parts were made again too (new keys beside the old)
    finally:
        files.code_digest.cache_clear()
        files.engine_fingerprint.cache_clear()


def test_the_fingerprint_covers_every_library_version(monkeypatch):
    from egovdeck import files

    names = files._distributions()
    for lib in ("reportlab", "svglib", "matplotlib", "python_pptx", "lxml"):
        assert any(n.lower().startswith(lib) for n in names), (lib, names)
    before = files.environment_digest()
    upgraded = [n.replace("reportlab-", "reportlab-99.") if n.startswith("reportlab-") else n for n in names]
    monkeypatch.setattr(files, "_distributions", lambda: upgraded)
    files.environment_digest.cache_clear()
    try:
        assert files.environment_digest() != before
    finally:
        files.environment_digest.cache_clear()


# --------------------------------------------------------------------------- a damaged cache heals itself


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if how == "truncated" else b"\x00garbage" + data[200:])


def test_damaged_cache_entries_are_discarded_and_rendered_again(tmp_path, epoch):
    """Each kind of entry (chart SVG, native chart XML, embedded workbook), truncated or overwritten."""
    from openpyxl import load_workbook

    definition = copy_project(tmp_path / "p")
    out = tmp_path / "p" / "output"
    cache = tmp_path / "p" / ".egovdeck-cache"
    code, _, err = _main("build", str(definition), "--no-server", "-q", "--jobs", "1")
    assert code == 0, err
    good = _pair(out)
    for kind, how in [("svg", "truncated"), ("svg", "garbage"), ("chart.xml", "garbage"), ("chart.xml", "truncated"),
                      ("xlsx", "truncated"), ("xlsx", "garbage")]:
        entries = sorted((cache / ("charts" if kind == "svg" else "native")).glob(f"*.{kind}"))
        assert entries
        for path in entries:
            _damage(path, how)
        shutil.rmtree(cache / "manifests")  # build again, from the cache
        code, stdout, err = _main("build", str(definition), "--no-server", "--jobs", "2")
        assert code == 0, (kind, how, err)
        assert "damaged cache entry" in err and "warning" in stdout, (kind, how)  # told, not hidden
        assert _pair(out) == good, (kind, how)  # the same bytes as from a sound cache
        with zipfile.ZipFile(out / "egov-2019.pptx") as deck:
            books = [n for n in deck.namelist() if n.endswith(".xlsx")]
            assert books
            for name in books:  # every embedded workbook opens
                load_workbook(io.BytesIO(deck.read(name)), read_only=True).close()
    shutil.rmtree(cache / "manifests")
    code, stdout, err = _main("build", str(definition), "--no-server", "--jobs", "1")
    assert code == 0 and "damaged" not in err and "12 from cache" in stdout, err  # healed


def test_the_cache_holds_data_only(tmp_path, epoch):
    definition = copy_project(tmp_path / "p")
    old = tmp_path / "p" / ".egovdeck-cache" / "charts" / "0123.drawing.pickle"  # from an older version
    old.parent.mkdir(parents=True)
    old.write_bytes(b"\x80\x05never loaded")
    code, _, err = _main("build", str(definition), "--no-server", "-q")
    assert code == 0, err
    entries = [p for p in (tmp_path / "p" / ".egovdeck-cache").rglob("*") if p.is_file()]
    assert entries and not [p for p in entries if "pickle" in p.name or p.read_bytes()[:1] == b"\x80"]
    svg = next((tmp_path / "p" / ".egovdeck-cache" / "charts").glob("*.svg")).read_bytes()
    assert svg.startswith(b"egovdeck-cache-entry sha256=") and b"<svg" in svg


# --------------------------------------------------------------------------- killed at any moment


def test_kill_9_at_any_moment_leaves_the_old_or_the_new_pair_and_no_temporary_file(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "EGOVDECK_NO_SERVER": "1"}
    definition = copy_project(tmp_path / "p")
    out = tmp_path / "p" / "output"
    cmd = [sys.executable, "-m", "egovdeck", "build", str(definition), "-q", "--no-cache", "--jobs", "2"]
    subprocess.run(cmd, env=env, check=True, timeout=120)
    old = _pair(out)
    shutil.copytree(out, tmp_path / "old-out")
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace(SENTENCE, EDITED), encoding="utf-8")
    seen = []
    for i in range(5):  # from the start of the import to the replacing of the files (~1.5 s)
        shutil.copytree(tmp_path / "old-out", out, dirs_exist_ok=True)  # each time from the old pair
        proc = subprocess.Popen(cmd, env=env, start_new_session=True)
        time.sleep(0.2 + i * 0.35)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        names = sorted(p.name for p in out.iterdir())
        assert names == ["egov-2019.pdf", "egov-2019.pptx"], names  # no temporary file in output/
        seen.append(_pair(out))
    done = subprocess.run(cmd, env=env, timeout=120)
    new = _pair(out)
    assert done.returncode == 0 and new != old
    assert all(pair in (old, new) for pair in seen), seen  # never a half-written file, never a mixed pair
    leftovers = [p for p in (tmp_path / "p" / ".egovdeck-cache").rglob("*.tmp")]
    assert not leftovers, leftovers  # swept at the next start


def test_a_build_killed_between_its_two_renames_is_finished_at_the_next_start(tmp_path):
    from egovdeck.files import recover

    tmp_dir, out = tmp_path / "cache" / "tmp", tmp_path / "out"
    tmp_dir.mkdir(parents=True)
    out.mkdir()
    (out / "a.pdf").write_bytes(b"new pdf")  # the first rename happened
    (out / "a.pptx").write_bytes(b"old deck")
    (tmp_dir / ".a.pptx.999999.tmp").write_bytes(b"new deck")
    (tmp_dir / "pending.999999.json").write_text(json.dumps([
        [str(tmp_dir / ".a.pdf.999999.tmp"), str(out / "a.pdf")],
        [str(tmp_dir / ".a.pptx.999999.tmp"), str(out / "a.pptx")]]))
    (tmp_dir / ".x.pdf.999998.tmp").write_bytes(b"a killed build's half-written file")
    recover(tmp_dir)
    assert (out / "a.pptx").read_bytes() == b"new deck" and (out / "a.pdf").read_bytes() == b"new pdf"
    assert not list(tmp_dir.iterdir())


# --------------------------------------------------------------------------- egovdeck serve


def _serve_env(base: Path) -> dict[str, str]:
    env = {**os.environ, "EGOVDECK_SERVER_DIR": str(base), "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("EGOVDECK_NO_SERVER", None)
    return env


@pytest.fixture
def server(tmp_path):
    env = _serve_env(tmp_path / "srv")
    proc = subprocess.Popen([sys.executable, "-m", "egovdeck", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    ready = proc.stdout.readline()
    assert "ready on" in ready, ready + proc.stdout.read()
    yield env, Path(ready.split("ready on ")[1].split(";")[0]), proc
    proc.terminate()
    proc.wait(timeout=20)
    proc.stdout.close()


def _exchange(socket_file: Path, raw: bytes, wait: float = 15.0, close: bool = False) -> tuple[int | None, str]:
    from egovdeck.engine.server import _recv

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(str(socket_file))
    conn.settimeout(wait)
    conn.sendall(raw)
    if close:
        conn.shutdown(socket.SHUT_WR)
    said = b""
    try:
        while True:
            kind, payload = _recv(conn)
            if kind == b"x":
                return int(payload), said.decode()
            said += payload
    except (EOFError, OSError):
        return None, said.decode()
    finally:
        conn.close()


def _frame(payload: bytes, kind: bytes = b"r") -> bytes:
    from egovdeck.engine.server import _HEAD

    return _HEAD.pack(kind, len(payload)) + payload


def _served_build(socket_file: Path, definition: Path, out: Path) -> tuple[int | None, str]:
    request = {"argv": ["build", str(definition), "-q", "-o", str(out)], "cwd": str(definition.parent),
               "env": {}, "umask": 0o022}
    return _exchange(socket_file, _frame(json.dumps(request).encode()), wait=120)


def test_malformed_requests_are_refused_and_never_kill_the_server(server, tmp_path):
    _env, socket_file, proc = server
    schema = tmp_path / "schema.json"
    bad = [json.dumps([1, 2]).encode(), b"{}", json.dumps({"argv": ["build", 3], "cwd": "/"}).encode(),
           json.dumps({"argv": ["schema", "-o", str(schema)], "cwd": str(tmp_path)}).encode(),
           json.dumps({"argv": ["build"], "cwd": "relative"}).encode(),
           json.dumps({"argv": ["build"], "cwd": "/", "env": {"PATH": "/evil"}}).encode(),
           json.dumps({"argv": ["build"], "cwd": "/", "umask": "022"}).encode(),
           b"\xff\xfe not json", b"3"]
    for payload in bad:
        code, said = _exchange(socket_file, _frame(payload))
        assert code == 2 and "bad request" in said, (payload, code, said)
    assert _exchange(socket_file, _frame(b"x" * 10, kind=b"o"))[0] == 2
    assert _exchange(socket_file, _frame(b"")[:3], close=True)[0] is None  # cut short: no answer, no harm
    from egovdeck.engine.server import _HEAD

    code, said = _exchange(socket_file, _HEAD.pack(b"r", 2**31))  # a claimed 2 GB request
    assert code == 2 and "at most" in said, said
    assert not schema.exists()  # only `build` is served
    assert proc.poll() is None
    definition = copy_project(tmp_path / "p")
    code, said = _served_build(socket_file, definition, tmp_path / "out")
    assert code == 0, said
    assert (tmp_path / "out" / "egov-2019.pdf").exists()


def test_a_slow_client_does_not_hold_up_another_build(server, tmp_path):
    _env, socket_file, proc = server
    import threading

    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    slow.connect(str(socket_file))
    stop = threading.Event()

    def trickle() -> None:  # one byte a second, for as long as the other build runs
        with contextlib.suppress(OSError):
            for byte in _frame(b"{}" * 100):
                slow.sendall(bytes([byte]))
                if stop.wait(1.0):
                    return

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        definition = copy_project(tmp_path / "p")
        started = time.monotonic()
        code, said = _served_build(socket_file, definition, tmp_path / "out")
        assert code == 0, said
        # a served build takes a second or two; the old server waited for the slow request (minutes)
        assert time.monotonic() - started < 30
        assert sender.is_alive()  # the slow client was still sending all along
    finally:
        stop.set()
        sender.join()
        slow.close()
    assert proc.poll() is None


def test_a_replaced_bundled_font_changes_the_servers_name(tmp_path, monkeypatch):
    from egovdeck.engine import server
    from egovdeck.text import fonts

    copy = tmp_path / "fonts"
    shutil.copytree(fonts.bundled_dir(), copy)
    monkeypatch.setattr(fonts, "BUNDLED_DIR", copy)
    monkeypatch.setenv("EGOVDECK_SERVER_DIR", str(tmp_path / "srv"))
    before = server.socket_path()
    assert server.socket_path() == before
    regular = copy / "EgovSansSC-Regular.ttf"
    data = regular.read_bytes()
    regular.unlink()
    regular.write_bytes(data)  # the same bytes, but another file: the server's warm fonts are not it
    assert server.socket_path() != before


def test_a_changed_font_of_the_definition_is_noticed_by_the_server(server, tmp_path):
    """The server measures and checks glyphs with the font file's content, not its path: a replaced
    font gives the same result through the server as in a fresh process."""
    env, socket_file, _proc = server
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("needs a non-CJK TrueType font (fonts-dejavu-core) to replace the definition's font with")
    definition = copy_project(tmp_path / "p")
    (tmp_path / "p" / "fonts").mkdir()
    custom = tmp_path / "p" / "fonts" / "Custom.ttf"
    shutil.copy(ROOT / "fonts" / "EgovSansSC-Regular.ttf", custom)
    text = definition.read_text(encoding="utf-8")
    assert "\ntheme:" not in text
    definition.write_text(text + "\ntheme:\n  font_regular: fonts/Custom.ttf\n", encoding="utf-8")
    code, said = _served_build(socket_file, definition, tmp_path / "out")
    assert code == 0, said
    custom.write_bytes(dejavu.read_bytes())  # no Chinese glyphs any more
    code, said = _served_build(socket_file, definition, tmp_path / "out2")
    fresh = subprocess.run([sys.executable, "-m", "egovdeck", "build", str(definition), "--no-server", "-q",
                            "-o", str(tmp_path / "out3")], env=env, capture_output=True, text=True)
    assert code == fresh.returncode == 1, (said, fresh.stderr)


def _other_user() -> tuple[int, int]:
    """A second local user for the two-user test (created when running as root)."""
    import pwd

    name = "egovdeck-other"
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


IMPOSTOR = """
import os, socket, sys
folder = sys.argv[1]
os.makedirs(folder, mode=0o700)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(os.path.join(folder, sys.argv[2]))
os.chmod(os.path.join(folder, sys.argv[2]), 0o777)
os.chmod(folder, 0o777)  # so that the victim can reach it
listener.listen(1)
print("listening", flush=True)
listener.settimeout(30)
try:
    conn, _ = listener.accept()
    print("GOT", conn.recv(65536)[:200], flush=True)
except OSError:
    pass
"""


def test_a_socket_planted_by_another_user_is_refused(tmp_path):
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("useradd"):
        pytest.skip("needs root (to create a second user) and setpriv: the test runs as two users")
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("needs a system python3 the second user can run")
    from egovdeck.engine import server

    uid, gid = _other_user()
    base = Path(tempfile.mkdtemp(prefix="egovdeck-two-users-"))
    try:
        os.chmod(base, 0o1777)  # a shared temporary folder, like /tmp
        env = _serve_env(base)
        os.environ["EGOVDECK_SERVER_DIR"] = str(base)
        try:
            path = server.socket_path()  # where the victim's client will look
        finally:
            del os.environ["EGOVDECK_SERVER_DIR"]
        impostor = subprocess.Popen(
            ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", python, "-c", IMPOSTOR,
             str(path.parent), path.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert impostor.stdout.readline().strip() == "listening"
            assert path.parent.stat().st_uid == uid
            definition = copy_project(tmp_path / "p")
            victim = subprocess.run([sys.executable, "-m", "egovdeck", "build", str(definition), "-q",
                                     "-o", str(tmp_path / "out")], env=env, capture_output=True, text=True,
                                    timeout=180)
            assert victim.returncode == 0, victim.stderr
            assert "not using the build server" in victim.stderr and "another user" in victim.stderr
            assert (tmp_path / "out" / "egov-2019.pdf").exists()  # built by the victim itself
            refused = subprocess.run([sys.executable, "-m", "egovdeck", "serve"], env=env, capture_output=True,
                                     text=True, timeout=60)
            assert refused.returncode == 1 and "another user" in refused.stdout, refused.stdout
        finally:
            impostor.kill()
            out, _ = impostor.communicate(timeout=10)
        assert "GOT" not in out  # the impostor received nothing of the victim's
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_peer_credentials_are_checked(tmp_path):
    from egovdeck.engine import server

    if not hasattr(socket, "SO_PEERCRED"):
        pytest.skip("SO_PEERCRED is Linux only")
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with a, b:
        assert server.peer_uid(a) == os.getuid()


def test_the_socket_lives_in_the_users_own_runtime_folder(tmp_path, monkeypatch):
    from egovdeck.engine import server

    monkeypatch.delenv("EGOVDECK_SERVER_DIR", raising=False)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    os.chmod(runtime, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert server.socket_path().parent == runtime / "egovdeck"
    os.chmod(runtime, 0o755)  # not private: not used
    assert server.socket_path().parent == Path(tempfile.gettempdir()) / f"egovdeck-{os.getuid()}"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    assert server.socket_path().parent == Path(tempfile.gettempdir()) / f"egovdeck-{os.getuid()}"
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o777)
    os.chmod(open_folder, 0o777)
    assert "mode 777" in server.not_private(open_folder)
