"""`egovdeck serve`: a warm process that runs `egovdeck build` for the command line.

A fresh `egovdeck build` spends most of a rebuild importing pydantic, ReportLab, matplotlib and
python-pptx (~0.8 s of CPU). `egovdeck serve` imports them once and waits on a Unix socket; while it
runs, `egovdeck build` hands its arguments to it and prints what comes back, so a rebuild after an
edit costs only the work itself. Each request runs in a child forked from the warm server: builds
share nothing with each other, and a crash never takes the server down.

The socket lives in a private folder of the user (0700) and its name carries a fingerprint of
egovdeck's code files and of the Python environment, so a client never talks to a server running
other code: it builds by itself then.
No server running, or one that fails to answer, means the same: the client builds by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path

# Frames: one kind byte, a 4-byte length, the payload. r = request (JSON), o/e = stdout/stderr text,
# x = exit code.
_HEAD = struct.Struct(">cI")
# plus every EGOVDECK_* variable; the terminal's for rich's live status line
FORWARDED_ENV = ("SOURCE_DATE_EPOCH", "TERM", "COLUMNS", "NO_COLOR", "FORCE_COLOR")


def supported() -> bool:
    """Unix sockets and fork: Linux and macOS, not Windows."""
    return hasattr(socket, "AF_UNIX") and hasattr(os, "fork") and hasattr(os, "getuid")


def socket_path() -> Path:
    """One server per user, egovdeck code and Python environment (another venv may hold other libraries)."""
    import hashlib

    from egovdeck.files import code_fingerprint

    base = os.environ.get("EGOVDECK_SERVER_DIR") or os.environ.get("XDG_RUNTIME_DIR") or \
        os.environ.get("TMPDIR") or "/tmp"
    name = hashlib.sha256(f"{code_fingerprint()}|{sys.prefix}|{sys.version}".encode()).hexdigest()[:16]
    # AF_UNIX paths are limited to ~100 bytes: a short name in a short folder
    return Path(base) / f"egovdeck-{os.getuid()}" / f"{name}.sock"


def _send(conn: socket.socket, kind: bytes, payload: bytes) -> None:
    conn.sendall(_HEAD.pack(kind, len(payload)) + payload)


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _recv(conn: socket.socket) -> tuple[bytes, bytes]:
    kind, n = _HEAD.unpack(_recv_exact(conn, _HEAD.size))
    return kind, _recv_exact(conn, n)


# --------------------------------------------------------------------------- client


def run_remote(argv: list[str]) -> int | None:
    """Run `egovdeck <argv>` in a running server; None when there is none (or it stopped answering
    before the build began), so the caller builds by itself."""
    if not supported():
        return None
    path = socket_path()
    if not path.exists():
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        env = {k: v for k, v in os.environ.items() if k in FORWARDED_ENV or k.startswith("EGOVDECK_")}
        tty = sys.stderr.isatty()
        if tty:
            import shutil

            env.setdefault("COLUMNS", str(shutil.get_terminal_size().columns))
        umask = os.umask(0)
        os.umask(umask)
        request = {"argv": argv, "cwd": os.getcwd(), "env": env, "umask": umask, "tty": tty}
        _send(conn, b"r", json.dumps(request).encode())
        started = False
        while True:
            try:
                kind, payload = _recv(conn)
            except KeyboardInterrupt:
                # closing the connection stops the build in the server before it replaces anything
                print("egovdeck: interrupted; previous outputs are untouched", file=sys.stderr)
                return 130
            except EOFError:
                if not started:
                    return None
                print("egovdeck: the build server stopped in the middle of the build", file=sys.stderr)
                return 3
            started = True
            if kind == b"x":
                return int(payload)
            stream = sys.stdout if kind == b"o" else sys.stderr
            stream.write(payload.decode("utf-8"))
            stream.flush()
    except OSError:
        return None
    finally:
        conn.close()


# --------------------------------------------------------------------------- server


class _Stream:
    """A text stream whose writes travel to the client as frames of one kind."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, conn: socket.socket, kind: bytes, tty: bool, lock):
        self._conn, self._kind, self._pid, self._tty = conn, kind, os.getpid(), tty
        self._lock = lock  # rich's status line is redrawn from a thread of its own

    def write(self, text: str) -> int:
        if not text:
            return 0
        if os.getpid() != self._pid:  # a process forked by the build: its frames could interleave ours
            return sys.__stderr__.write(text)
        with self._lock, contextlib.suppress(OSError):  # the client has gone: nobody to tell
            _send(self._conn, self._kind, text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._tty  # the client's terminal, for rich's live status line

    def fileno(self) -> int:
        raise OSError("not a file")


def _handle(conn: socket.socket, request: dict) -> int:
    """In the forked child: run one request as the CLI would, with the client's folder and environment;
    returns its exit code."""
    os.chdir(request["cwd"])
    os.umask(int(request["umask"]))
    for key in [k for k in os.environ if k in FORWARDED_ENV or k.startswith("EGOVDECK_")]:
        del os.environ[key]
    os.environ.update(request["env"])
    os.environ["EGOVDECK_NO_SERVER"] = "1"  # never hand the request on again
    import threading

    lock, tty = threading.Lock(), bool(request.get("tty"))
    sys.stdout, sys.stderr = _Stream(conn, b"o", tty, lock), _Stream(conn, b"e", tty, lock)
    finished = threading.Event()

    def watch_client() -> None:
        # the client sends nothing after its request: end of stream means it was interrupted (Ctrl-C),
        # so the build is interrupted too, before it replaces any output
        with contextlib.suppress(OSError):
            while conn.recv(1):
                pass
        if not finished.is_set():
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch_client, daemon=True).start()
    from egovdeck.cli import main

    code = 3
    try:
        code = main(list(request["argv"]))
    finally:
        finished.set()
        with lock, contextlib.suppress(OSError):
            _send(conn, b"x", str(code).encode())
    return code


def _prime(request: dict) -> None:
    """After a good build: load and resolve its definition here, in the server, so that the next build
    of it (forked from this process) finds its narrative templates compiled (~0.05 s). Best effort."""
    from egovdeck.cli import _parser

    try:
        args = _parser().parse_args(list(request["argv"]))
        if args.all_editions:
            return
        from egovdeck.build import fonts_for, theme_for
        from egovdeck.paths import default_definition
        from egovdeck.project import load_project
        from egovdeck.resolve import build_document

        cwd = Path(request["cwd"])
        project = load_project(cwd / (args.report or default_definition(cwd)))
        spec = project.report.editions
        params = {spec.parameter: args.edition} if spec is not None and args.edition else {}
        build_document(project, theme_for(project), fonts_for(project), params=params, edition=args.edition or "")
    except (Exception, SystemExit):  # noqa: BLE001  (a broken definition is the build's business)
        return


def serve(idle_minutes: float = 0.0, log=print) -> int:
    """Warm up, then run builds for clients until interrupted (or idle for idle_minutes, if > 0)."""
    from egovdeck.build import warm_up

    if not supported():
        log("egovdeck serve: needs Unix sockets and fork (Linux, macOS); `egovdeck build` works without it")
        return 2
    path = socket_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    if path.exists():
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            log(f"egovdeck serve: a server for this version is already running ({path})")
            return 1
        except OSError:
            path.unlink()  # left behind by a server that was killed
        finally:
            probe.close()
    warm_up()
    def _terminate(_signum, _frame):
        raise SystemExit(0)  # through the finally below: the socket goes with the server

    signal.signal(signal.SIGTERM, _terminate)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    listener.settimeout(0.25)  # how often finished builds are reaped (and their definitions primed)
    log(f"egovdeck serve: ready on {path}; `egovdeck build` now runs here (Ctrl-C to stop)")
    last = time.monotonic()
    children: dict[int, dict] = {}  # pid -> its request
    to_prime: dict | None = None
    try:
        while True:
            for pid in list(children):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    request = children.pop(pid)
                    code = os.waitstatus_to_exitcode(status)
                    log(f"egovdeck serve: egovdeck {' '.join(request['argv'])} (in {request['cwd']}): exit {code}")
                    if code == 0:
                        to_prime = request  # once the server is idle: a build waiting now must not wait for it
                    last = time.monotonic()
            if idle_minutes > 0 and not children and time.monotonic() - last > idle_minutes * 60:
                log("egovdeck serve: idle, stopping")
                return 0
            try:
                conn, _ = listener.accept()
            except TimeoutError:  # a quarter of a second without a request
                if to_prime is not None and not children:
                    _prime(to_prime)
                    to_prime = None
                continue
            try:
                conn.settimeout(5.0)
                kind, payload = _recv(conn)
                request = json.loads(payload) if kind == b"r" else None
                conn.settimeout(None)
            except (OSError, EOFError, ValueError):
                request = None
            if request is None:
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:  # the child: one build, then gone
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                listener.close()
                code = 3
                try:
                    code = _handle(conn, request)
                except BaseException:  # noqa: BLE001  (a child must never return into the server loop)
                    code = 3
                finally:
                    os._exit(code)
            children[pid] = request
            conn.close()
    except KeyboardInterrupt:
        log("egovdeck serve: stopped")
        return 0
    finally:
        listener.close()
        path.unlink(missing_ok=True)
