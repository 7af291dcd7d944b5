"""`egovdeck serve`: a warm process that runs `egovdeck build` for the command line.

A fresh `egovdeck build` spends most of a rebuild importing pydantic, ReportLab, matplotlib and
python-pptx (~0.8 s of CPU). `egovdeck serve` imports them once and waits on a Unix socket; while it
runs, `egovdeck build` hands its arguments to it and prints what comes back, so a rebuild after an
edit costs only the work itself. Each request runs in a child forked from the warm server: builds
share nothing with each other, and a crash never takes the server down.

The socket lives in a private folder of the user (0700; $XDG_RUNTIME_DIR/egovdeck where there is one):
a folder or socket owned by someone else is refused, and each side checks the other's uid
(SO_PEERCRED). Its name carries a fingerprint of egovdeck's code files, of the Python environment
(every library's version) and of the bundled fonts, so a client never talks to a server running other
code: it builds by itself then. The server reads each request in a forked child (a slow or malformed
request never holds up or kills the server) and runs only `egovdeck build`.
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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# Frames: one kind byte, a 4-byte length, the payload. r = request (JSON), o/e = stdout/stderr text,
# x = exit code.
_HEAD = struct.Struct(">cI")
# plus every EGOVDECK_* variable; the terminal's for rich's live status line
FORWARDED_ENV = ("SOURCE_DATE_EPOCH", "TERM", "COLUMNS", "NO_COLOR", "FORCE_COLOR")


def supported() -> bool:
    """Unix sockets and fork: Linux and macOS, not Windows."""
    return hasattr(socket, "AF_UNIX") and hasattr(os, "fork") and hasattr(os, "getuid")


MAX_REQUEST = 256 * 1024  # bytes of one request; a longer one is refused
REQUEST_SECONDS = 10.0  # a client has this long to send its whole request (it sends it at once)


def runtime_dir() -> Path:
    """The user's private folder for the socket: $XDG_RUNTIME_DIR/egovdeck when that folder is the
    user's own (mode 0700), else egovdeck-<uid> in the temporary folder; EGOVDECK_SERVER_DIR overrides
    the base (tests)."""
    import tempfile

    base = os.environ.get("EGOVDECK_SERVER_DIR")
    if base:
        return Path(base) / f"egovdeck-{os.getuid()}"
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg):
        with contextlib.suppress(OSError):
            if not_private(Path(xdg)) is None:
                return Path(xdg) / "egovdeck"
    return Path(tempfile.gettempdir()) / f"egovdeck-{os.getuid()}"


def not_private(folder: Path) -> str | None:
    """Why folder cannot hold our socket (None: a real folder of ours that nobody else may enter)."""
    import stat

    st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return f"{folder} is not a folder"
    if st.st_uid != os.getuid():
        return f"{folder} belongs to another user (uid {st.st_uid})"
    if st.st_mode & 0o077:
        return f"{folder} is open to other users (mode {stat.S_IMODE(st.st_mode):o}; it must be 700)"
    return None


def not_ours(path: Path) -> str | None:
    """Why the socket file at path must not be used (None: a socket of this user)."""
    import stat

    st = os.lstat(path)
    if not stat.S_ISSOCK(st.st_mode):
        return f"{path} is not a socket"
    if st.st_uid != os.getuid():
        return f"{path} belongs to another user (uid {st.st_uid})"
    return None


def peer_uid(conn: socket.socket) -> int | None:
    """The uid of the process at the other end of a Unix socket (None where the system cannot say)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return None
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def socket_path() -> Path:
    """One server per user, egovdeck code, Python environment (the versions of every library) and
    bundled fonts: a server started before an upgrade or a font change is never used."""
    import hashlib

    from egovdeck.files import code_fingerprint
    from egovdeck.text.fonts import default_fonts

    name = hashlib.sha256(code_fingerprint(default_fonts().files()).encode()).hexdigest()[:16]
    # AF_UNIX paths are limited to ~100 bytes: a short name in a short folder
    return runtime_dir() / f"{name}.sock"


def _send(conn: socket.socket, kind: bytes, payload: bytes) -> None:
    conn.sendall(_HEAD.pack(kind, len(payload)) + payload)


def _recv_exact(conn: socket.socket, n: int, deadline: float | None = None) -> bytes:
    data = b""
    while len(data) < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client is too slow")
            conn.settimeout(left)
        chunk = conn.recv(min(n - len(data), 65536))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _recv(conn: socket.socket, deadline: float | None = None, limit: int | None = None) -> tuple[bytes, bytes]:
    kind, n = _HEAD.unpack(_recv_exact(conn, _HEAD.size, deadline))
    if limit is not None and n > limit:
        raise ValueError(f"a request of {n} bytes (at most {limit})")
    return kind, _recv_exact(conn, n, deadline)


def check_request(kind: bytes, payload: bytes) -> dict:
    """The request as a dict, or ValueError saying what is wrong with it. Only `build` is served."""
    if kind != b"r":
        raise ValueError("not a request frame")
    request = json.loads(payload.decode("utf-8"))
    if not isinstance(request, dict):
        raise ValueError("the request is not a JSON object")
    argv, cwd, env = request.get("argv"), request.get("cwd"), request.get("env", {})
    umask, tty = request.get("umask", 0o022), request.get("tty", False)
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) and "\0" not in a for a in argv):
        raise ValueError('"argv" must be a non-empty list of strings')
    if argv[0] != "build":
        raise ValueError(f"the server runs only `egovdeck build`, not {argv[0]!r}")
    if not isinstance(cwd, str) or "\0" in cwd or not os.path.isabs(cwd) or not os.path.isdir(cwd):
        raise ValueError('"cwd" must be the absolute path of an existing folder')
    if not isinstance(env, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and "\0" not in k + v and "=" not in k
            and (k in FORWARDED_ENV or k.startswith("EGOVDECK_")) for k, v in env.items()):
        raise ValueError(f'"env" must map {", ".join(FORWARDED_ENV)} or EGOVDECK_* names to strings')
    if isinstance(umask, bool) or not isinstance(umask, int) or not 0 <= umask <= 0o777:
        raise ValueError('"umask" must be an integer from 0 to 0o777')
    if not isinstance(tty, bool):
        raise ValueError('"tty" must be true or false')
    return {"argv": argv, "cwd": cwd, "env": env, "umask": umask, "tty": tty}


# --------------------------------------------------------------------------- client


def run_remote(argv: list[str]) -> int | None:
    """Run `egovdeck <argv>` in a running server; None when there is none (or it stopped answering
    before the build began), so the caller builds by itself."""
    if not supported():
        return None
    path = socket_path()
    try:
        why = not_private(path.parent) or not_ours(path)
    except OSError:  # no folder or no socket: no server
        return None
    if why is not None:
        print(f"egovdeck: not using the build server: {why}; building here", file=sys.stderr)
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        uid = peer_uid(conn)
        if uid is not None and uid != os.getuid():
            print(f"egovdeck: not using the build server: {path} is served by another user (uid {uid}); "
                  "building here", file=sys.stderr)
            return None
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
            return sys.__stderr__.write(text) if sys.__stderr__ is not None else 0
        with self._lock, contextlib.suppress(OSError):  # the client has gone: nobody to tell
            _send(self._conn, self._kind, text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._tty  # the client's terminal, for rich's live status line

    def fileno(self) -> int:
        raise OSError("not a file")


def _handle(conn: socket.socket, request: dict, run: Callable[[list[str]], int]) -> int:
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
    # forked while this process has no thread yet: the client sends nothing after its request, so the
    # end of its stream means it was interrupted (Ctrl-C), and the build is interrupted too, before it
    # replaces any output
    watcher = _watch_client(conn)
    sys.stdout, sys.stderr = _Stream(conn, b"o", tty, lock), _Stream(conn, b"e", tty, lock)
    code = 3
    try:
        code = run(list(request["argv"]))
    finally:
        with contextlib.suppress(OSError):
            os.kill(watcher, signal.SIGKILL)
            os.waitpid(watcher, 0)
        with lock, contextlib.suppress(OSError):
            _send(conn, b"x", str(code).encode())
    return code


def _watch_client(conn: socket.socket) -> int:
    """A process that sends SIGINT to this one when the client closes its end; returns its pid."""
    build = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            conn.settimeout(None)
            with contextlib.suppress(OSError):
                while conn.recv(1):
                    pass
            with contextlib.suppress(OSError):
                os.kill(build, signal.SIGINT)
        finally:
            os._exit(0)
    return pid


def _prime(request: dict, parse: Callable[[list[str]], argparse.Namespace]) -> None:
    """After a good build: load and resolve its definition here, in the server, so that the next build
    of it (forked from this process) finds its narrative templates compiled (~0.05 s). Best effort."""
    try:
        args = parse(list(request["argv"]))
        if args.all_editions:
            return
        from egovdeck.engine.build import fonts_for, theme_for
        from egovdeck.input.paths import default_definition
        from egovdeck.input.project import load_project
        from egovdeck.resolve.report import build_document

        cwd = Path(request["cwd"])
        project = load_project(cwd / (args.report or default_definition(cwd)))
        spec = project.report.editions
        params = {spec.parameter: args.edition} if spec is not None and args.edition else {}
        build_document(project, theme_for(project), fonts_for(project), params=params, edition=args.edition or "")
    except (Exception, SystemExit):  # noqa: BLE001  (a broken definition is the build's business)
        return


def serve(run: Callable[[list[str]], int], parse: Callable[[list[str]], argparse.Namespace],
          idle_minutes: float = 0.0, log=print) -> int:
    """Warm up, then run builds for clients until interrupted (or idle for idle_minutes, if > 0).

    run: runs one client's command line in a forked child and returns its exit code (the command
    line's own `main`); parse: parses a command line, to prime the server with the last build's
    definition. Both come from the caller: the engine never imports the command line."""
    from egovdeck.engine.build import warm_up

    if not supported():
        log("egovdeck serve: needs Unix sockets and fork (Linux, macOS); `egovdeck build` works without it")
        return 2
    path = socket_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(path.parent)
        if st.st_uid == os.getuid() and os.path.isdir(path.parent) and not os.path.islink(path.parent):
            os.chmod(path.parent, 0o700)  # our own folder, made by an older version or another umask
        why = not_private(path.parent)
    except OSError as exc:
        why = f"cannot create {path.parent}: {exc.strerror}"
    if why is not None:
        log(f"egovdeck serve: {why}; remove it, or set XDG_RUNTIME_DIR to a folder of yours with mode 700")
        return 1
    if os.path.lexists(path):
        why = not_ours(path)
        if why is not None:
            log(f"egovdeck serve: {why}; remove it first")
            return 1
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

    stop: list[int] = []

    def _stop(signum, _frame):
        # only noted: an exception raised here could land in a fork handler, which ignores it
        stop.append(signum)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket file itself: the user's only (the folder is 0700 too)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_umask)
    listener.listen(16)
    listener.settimeout(0.25)  # how often finished builds are reaped (and their definitions primed)
    log(f"egovdeck serve: ready on {path}; `egovdeck build` now runs here (Ctrl-C to stop)")
    last = time.monotonic()
    children: dict[int, int] = {}  # pid -> the pipe on which it tells its request
    to_prime: dict | None = None
    try:
        while not stop:
            for pid in list(children):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    request = _told(children.pop(pid))
                    code = os.waitstatus_to_exitcode(status)
                    last = time.monotonic()
                    if request is None:
                        log(f"egovdeck serve: a request was refused or timed out: exit {code}")
                        continue
                    log(f"egovdeck serve: egovdeck {' '.join(request['argv'])} (in {request['cwd']}): exit {code}")
                    if code == 0:
                        to_prime = request  # once the server is idle: a build waiting now must not wait for it
            if idle_minutes > 0 and not children and time.monotonic() - last > idle_minutes * 60:
                log("egovdeck serve: idle, stopping")
                return 0
            try:
                conn, _ = listener.accept()
            except TimeoutError:  # a quarter of a second without a request
                if to_prime is not None and not children:
                    _prime(to_prime, parse)
                    to_prime = None
                continue
            except OSError:
                continue
            try:
                uid = peer_uid(conn)
            except OSError:
                uid = -1
            if uid is not None and uid != os.getuid():
                log(f"egovdeck serve: refused a connection from another user (uid {uid})")
                conn.close()
                continue
            # The request is read in the child: a slow or malformed client never holds up the server,
            # and whatever it sends cannot take the server down.
            told, tell = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: one build, then gone
                code = 3
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    signal.signal(signal.SIGINT, signal.default_int_handler)  # the watcher's interrupt
                    listener.close()
                    os.close(told)
                    code = _child(conn, tell, run)
                except BaseException:  # noqa: BLE001  (a child must never return into the server loop)
                    code = 3
                finally:
                    os._exit(code)
            os.close(tell)
            children[pid] = told
            conn.close()
        if stop[0] == signal.SIGINT:
            log("egovdeck serve: stopped")
        return 0
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if not_ours(path) is None:
                path.unlink()


def _child(conn: socket.socket, tell: int, run: Callable[[list[str]], int]) -> int:
    """Read and check the request (within REQUEST_SECONDS), tell the server what it is, run it."""
    try:
        kind, payload = _recv(conn, time.monotonic() + REQUEST_SECONDS, MAX_REQUEST)
        request = check_request(kind, payload)
    except (OSError, EOFError, struct.error):
        return 2  # gone, too slow, or cut short: nobody to answer
    except (ValueError, UnicodeDecodeError) as exc:  # json.JSONDecodeError is a ValueError
        with contextlib.suppress(OSError):
            conn.settimeout(5.0)
            _send(conn, b"e", f"egovdeck serve: bad request: {exc}\n".encode())
            _send(conn, b"x", b"2")
        return 2
    conn.settimeout(None)
    summary = json.dumps({"argv": request["argv"], "cwd": request["cwd"]}).encode()
    with contextlib.suppress(OSError):
        if len(summary) < 60000:  # fits the pipe: never blocks
            os.write(tell, summary)
        os.close(tell)
    return _handle(conn, request, run)


def _told(fd: int) -> dict | None:
    """What a finished child said its request was (None: it refused it)."""
    try:
        data = b""
        while chunk := os.read(fd, 65536):
            data += chunk
    except OSError:
        data = b""
    finally:
        os.close(fd)
    try:
        request = json.loads(data) if data else None
    except ValueError:
        return None
    return request if isinstance(request, dict) else None
