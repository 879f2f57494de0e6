"""A review kept open in a background process, so commands on a very large review answer in seconds.

A fresh ``screener next`` on 500,000 records spends most of its time before it ranks anything:
starting Python with pandas and scikit-learn, mapping the features back in, warming the database.
``screener open DIR`` does that once, in a process that stays up; ``next``, ``label`` and
``status`` on that folder are then handed to it over a local socket that only the same user can
reach. They run there as they would here, writing to the reviewer's own terminal (its file
descriptors are passed along), and a model is refitted whenever the decisions changed, as a fresh
run would: the answers are the same either way. Decisions are still written to the project's
database as they are made: closing the review, or losing the process, loses nothing.

This module imports nothing heavy at the top: the ``screener`` command starts here, and when the
review is open it hands the command over before pandas is ever imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

#: Passing a terminal to another process needs Unix sockets with descriptor passing (Linux, macOS).
SUPPORTED = hasattr(socket, "send_fds") and hasattr(os, "getuid")
#: Commands an open review answers; the rest always run in their own process.
FORWARDED = frozenset({"next", "label", "status"})
#: Idle hours after which an open review closes itself (its memory is given back).
DEFAULT_IDLE_HOURS = 12.0
_MAX_SESSIONS = 2  # ranking set-ups kept in memory at once (each holds the review's features)

#: Settings written while screening that the held sessions are not built on (see ``_read_signature``).
#: ('known_missing_said': the known relevant records 'next' last named as not found, ``cli.ranking_cmds``)
#: ('account_unlocks', 'account_enables': who lifted a sign-in lock-out, who enabled an account again, ``accounts``)
_NOT_BUILT_ON = frozenset({"login_failures", "pending_sample", "known_missing_said", "account_unlocks",
                           "account_enables"})
_CURRENT: "OpenReview | None" = None  # the review this process holds, while it answers a request


class _Closed(BaseException):
    """Raised by SIGTERM: not an exit code of a command (those are SystemExit), the end of serving."""


# -- where an open review listens ---------------------------------------------------------------
def _socket_dir(create: bool = False) -> str | None:
    """This user's folder of open reviews (mode 0700), or None when it is missing or unsafe."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    d = os.path.join(base, f"screener-{os.getuid()}")
    if create:
        os.makedirs(d, mode=0o700, exist_ok=True)
    try:
        st = os.stat(d)
    except FileNotFoundError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        if create:
            raise PermissionError(f"{d}: this folder of open reviews belongs to someone else or others may write "
                                  "to it; remove it, or set XDG_RUNTIME_DIR to a folder only you can use.")
        return None
    return d


def _key(directory) -> str:
    # short and fixed-length: a socket's path may not exceed about 100 characters
    return hashlib.sha256(os.path.realpath(directory).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def socket_path(directory, create: bool = False) -> str | None:
    d = _socket_dir(create)
    return None if d is None else os.path.join(d, _key(directory) + ".sock")


def log_path(directory) -> str | None:
    d = _socket_dir()
    return None if d is None else os.path.join(d, _key(directory) + ".log")


# -- asking an open review ------------------------------------------------------------------------
def _read_line(sock: socket.socket, first: bytes = b"") -> bytes | None:
    buf = first
    while b"\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return buf.split(b"\n", 1)[0]


def request(path: str, message: dict, fds=()) -> dict | None:
    """Send one request to the review open at ``path`` and wait for its reply; None when nothing
    answers there (no open review, or a socket left by one that was killed)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            s.connect(path)
        except (FileNotFoundError, ConnectionRefusedError, PermissionError):
            return None
        data = (json.dumps(message) + "\n").encode()
        if fds:
            socket.send_fds(s, [data], list(fds))
        else:
            s.sendall(data)
        line = _read_line(s)
        if line is None:
            raise ConnectionError("the open review stopped before it answered")
        return json.loads(line)
    finally:
        s.close()


def ping(directory) -> dict | None:
    """What the review open on ``directory`` says of itself (process, since when, memory), or None."""
    path = socket_path(directory) if SUPPORTED else None
    if path is None or not os.path.exists(path):
        return None
    try:
        return request(path, {"ping": True})
    except (ConnectionError, OSError, ValueError):
        return None


def _project_argument(argv: list[str]) -> str | None:
    """The project folder a forwarded command names (its first argument that is a folder)."""
    if not argv or argv[0] not in FORWARDED or "--help" in argv:
        return None
    for a in argv[1:]:
        if not a.startswith("-") and os.path.isdir(a):
            return a
    return None


def _valid_fd(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def forward(argv: list[str]) -> int | None:
    """Run ``screener ARGV`` in the review it names if that review is open here; its exit code,
    or None when it is not open (the command then runs in this process as usual)."""
    directory = _project_argument(argv) if SUPPORTED else None
    if directory is None or os.environ.get("SCREENER_NO_OPEN"):
        return None
    path = socket_path(directory)
    if path is None or not os.path.exists(path) or not (_valid_fd(1) and _valid_fd(2)):
        return None
    import shutil

    message = {"argv": list(argv), "cwd": os.getcwd(), "columns": shutil.get_terminal_size().columns,
               "no_color": bool(os.environ.get("NO_COLOR"))}
    try:
        reply = request(path, message, fds=(1, 2))
    except KeyboardInterrupt:
        print("Stopped waiting. The open review finishes this command; what it saves is kept.", file=sys.stderr)
        return 130
    except (ConnectionError, OSError, ValueError) as exc:
        print(f"Error: the review open on {directory} stopped while answering ({exc}). Decisions it saved are "
              "kept; run the command again (it runs here if the review is no longer open).", file=sys.stderr)
        return 1
    return None if reply is None else int(reply.get("code", 1))


def main() -> None:
    """The ``screener`` command: handed to an open review when there is one, else run here."""
    code = forward(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    try:  # loading takes seconds: a Ctrl+C then (the wrong file typed) showed a traceback and no word on the project
        from .cli import main as cli_main
    except KeyboardInterrupt:
        print("Stopped before the command began: nothing was changed.", file=sys.stderr)
        sys.exit(130)
    cli_main()


# -- inside the command: the held review, or a fresh one ------------------------------------------
@contextmanager
def open_project(directory):
    """The project held by this process when it answers for ``directory``, else ``Project.open``."""
    review = _CURRENT
    if review is not None and os.path.realpath(directory) == str(review.directory):
        review.from_memory += 1
        yield review.project
        return
    from .project import Project

    with Project.open(directory) as project:
        yield project


def held(project) -> bool:
    """Whether ``project`` is the one this process holds open (a command answered from memory)."""
    return _CURRENT is not None and project is _CURRENT.project


def screening_session(project, *, ranker=None, embedding_model=None, progress=False, reviewer=None):
    """A ``ScreeningSession`` on ``project``: the held one (features in memory) when this process
    holds the review open, else a new one."""
    if held(project):
        return _CURRENT.session(ranker, embedding_model, reviewer=reviewer, progress=progress)
    from .screening import ScreeningSession

    return ScreeningSession(project, ranker=ranker, embedding_model=embedding_model, progress=progress,
                            reviewer=reviewer)


# -- the open review ------------------------------------------------------------------------------
class OpenReview:
    """A project, its screening sessions and their features, held in memory between commands."""

    def __init__(self, directory, *, ranker: str | None = None, embedding_model: str | None = None):
        from collections import OrderedDict

        from .project import Project

        self.directory = Path(os.path.realpath(directory))
        self.project = Project.open(self.directory)
        self.defaults = (ranker, embedding_model)
        self._sessions: OrderedDict = OrderedDict()
        self._signature = self._read_signature()
        self.requests = 0
        self.from_memory = 0  # commands that used the held project (not one they opened themselves)
        self.since = time.time()

    def _read_signature(self):
        """What the held sessions were built on: the records, the duplicate groups, the settings.
        A change made by another process (an import, a merge) makes them rebuild."""
        store = self.project.store
        dups = store.duplicate_ids()
        # not the web's failed sign-ins (``StoredLoginLimiter.SETTING``), written on every sign-in, nor
        # the records drawn in a random sample and not decided yet, written with each draw and each
        # decision on one: neither is read by a session (the sample is read from the store as needed)
        settings = {k: v for k, v in self.project.settings.items() if k not in _NOT_BUILT_ON}
        protocol = settings.get("protocol_file")
        try:  # the protocol file edited in place keeps its name
            stamp = os.stat(self.directory / protocol).st_mtime_ns if protocol else None
        except OSError:
            stamp = None
        return (store.n_records(), hashlib.sha256(dups.tobytes()).hexdigest(),
                json.dumps(settings, sort_keys=True, default=str), stamp)

    def refresh(self) -> bool:
        """Drop the held sessions if the project changed under them; True when it had."""
        moved = getattr(self.project.store, "moved", None)
        if moved is not None and moved():
            if getattr(self.project.store, "copied_over", bool)():  # the same file, another review in it
                from .errors import ProjectError
                from .shell import shell_quote

                what = ("an earlier copy of the review (a backup, or the file of a copy of the project folder) was "
                        "copied over it while this review was kept open ('screener open'): the decisions made since "
                        "that copy are not in it, so" if self.project.store.went_back() else
                        "another project file was copied over it while this review was kept open ('screener open'), so")
                raise ProjectError(
                    f"{self.project.db_path}: {what} this command was not run (nothing was saved) and the open review "
                    "no longer shows the review in the folder. Close it (screener close "
                    f"{shell_quote(self.directory)}), then copy that file over {self.project.db_path} again (the "
                    "open review, as it closes, writes its last changes into the file), and run the command again. "
                    "If the copy was a mistake, put the review's last backup back instead, after closing it: "
                    "screener restore "
                    f"{shell_quote(self.directory)} BACKUP.sqlite")
            # the file this process opened is no longer the review ('screener migrate' moved it to a
            # server, a copy was put in its place): what it answers from, and writes to, is the review now
            from .project import Project

            project = Project.open(self.directory)  # a folder left without its review says so, every time
            self.project.close()
            self.project = project
            self._sessions.clear()
            self._signature = self._read_signature()
            return True
        sig = self._read_signature()
        if sig == self._signature:
            return False
        self._sessions.clear()
        self._signature = sig
        return True

    def session(self, ranker=None, embedding_model=None, *, reviewer=None, progress=False):
        key = (ranker, embedding_model, reviewer)
        s = self._sessions.pop(key, None)
        if s is None:
            from .screening import ScreeningSession

            s = ScreeningSession(self.project, ranker=ranker, embedding_model=embedding_model, progress=progress,
                                 reviewer=reviewer)
            s.refit_on_change = True  # what a fresh run would rank: a model fitted on every decision so far
        s.progress = progress
        self._sessions[key] = s
        while len(self._sessions) > _MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return s

    def warm(self) -> None:
        """Read the records and features (building them if the project has none yet) and the
        decision log, so that the first command is as quick as the next."""
        s = self.session(*self.defaults, progress=True)
        s.prepare()
        from .status import recall_status

        recall_status(self.project)

    def describe(self) -> dict:
        return {"pid": os.getpid(), "directory": str(self.directory), "since": self.since,
                "requests": self.requests, "from_memory": self.from_memory, "memory_mb": _rss_mb(),
                "peak_memory_mb": _rss_mb("VmHWM")}

    def answer(self, message: dict, fds: list[int]) -> int:
        """Run one forwarded command, writing to the caller's terminal; its exit code."""
        global _CURRENT
        import io
        import traceback
        from contextlib import redirect_stderr, redirect_stdout

        from .errors import ScreenerError

        self.requests += 1
        out = io.TextIOWrapper(io.FileIO(fds[0], "w", closefd=True), encoding="utf-8", errors="replace",
                               line_buffering=True)
        err = io.TextIOWrapper(io.FileIO(fds[1], "w", closefd=True), encoding="utf-8", errors="replace",
                               line_buffering=True)
        here = os.getcwd()
        swapped = _swap_consoles(out, err, message.get("columns"), message.get("no_color", False))
        _CURRENT = self
        try:
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    os.chdir(message["cwd"])
                    self.refresh()
                    from .cli import app

                    app(args=[str(a) for a in message["argv"]], prog_name="screener")
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                    if isinstance(exc.code, str):
                        print(exc.code, file=err)
                except ScreenerError as exc:  # the folder's review gone from under it, say
                    print(f"Error: {exc}", file=err)
                    code = 1
                except Exception:  # a fault in screener: report it, keep the review open
                    traceback.print_exc(file=err)
                    code = 1
        finally:
            _CURRENT = None
            for mod, attr, old in swapped:
                setattr(mod, attr, old)
            os.chdir(here)
            for f in (out, err):
                try:
                    f.close()
                except OSError:  # the caller went away
                    pass
        return int(code)


def _rss_mb(field: str = "VmRSS") -> float | None:
    """This process's resident memory now (``VmHWM``: at its peak), MB; None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _swap_consoles(out, err, columns, no_color):
    """Point the commands' rich consoles at the caller's streams for one request; what to put back."""
    from rich.console import Console

    swapped = []
    for name, mod in list(sys.modules.items()):
        if name != "screener.cli" and not name.startswith("screener.cli."):
            continue
        for attr, stream in (("console", out), ("err_console", err)):
            old = getattr(mod, attr, None)
            if isinstance(old, Console):
                swapped.append((mod, attr, old))
                tty = stream.isatty()
                # emoji off, as the commands' own consoles have it: a title's ':100:' is text
                setattr(mod, attr, Console(file=stream, width=int(columns) if columns else None,
                                           force_terminal=tty or None, no_color=bool(no_color) or None,
                                           stderr=attr == "err_console", emoji=False))
    return swapped


def serve(directory, *, ranker: str | None = None, embedding_model: str | None = None,
          idle_hours: float = DEFAULT_IDLE_HOURS, log=None) -> None:
    """Hold ``directory`` open and answer forwarded commands until closed, killed or idle."""
    import fcntl
    import signal

    log = log or (lambda msg: print(msg, flush=True))
    path = socket_path(directory, create=True)
    lock = open(path[:-5] + ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        from .errors import ProjectError
        from .shell import shell_quote

        raise ProjectError(f"{directory} is already open (see 'screener close {shell_quote(directory)}').") from None
    if os.path.exists(path):
        os.unlink(path)  # left by an open review that was killed: the lock says none holds it now
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    def _closed(*_):
        raise _Closed()

    old_term = signal.signal(signal.SIGTERM, _closed)
    review = None
    try:
        old_mask = os.umask(0o177)
        try:
            server.bind(path)  # listening before the features load: commands sent meanwhile wait for them
        finally:
            os.umask(old_mask)
        server.listen(16)
        log(f"opening {directory} (process {os.getpid()})")
        t0 = time.perf_counter()
        review = OpenReview(directory, ranker=ranker, embedding_model=embedding_model)
        review.warm()
        log(f"open after {time.perf_counter() - t0:.1f} s; memory {review.describe()['memory_mb'] or 0:.0f} MB")
        server.settimeout(idle_hours * 3600 if idle_hours and idle_hours > 0 else None)
        while True:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                log(f"closing: nothing asked for {idle_hours:g} hours")
                return
            with conn:
                conn.settimeout(None)
                if not _answer_one(review, conn, log):
                    log("closing: asked to")
                    return
    except _Closed:
        log("closing: stopped (SIGTERM)")
    finally:
        signal.signal(signal.SIGTERM, old_term)
        server.close()
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        if review is not None:
            review.project.close()
        lock.close()


def _answer_one(review: OpenReview, conn: socket.socket, log) -> bool:
    """Answer one connection; False when it asked the review to close."""
    try:
        data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 4)
        line = _read_line(conn, data)
        message = json.loads(line) if line else {}
    except (OSError, ValueError) as exc:
        log(f"a request could not be read ({exc})")
        return True
    reply: dict
    if message.get("close"):
        reply = {"closing": True, **review.describe()}
    elif message.get("ping"):
        reply = review.describe()
    elif "argv" in message and len(fds) >= 2:
        for extra in fds[2:]:
            os.close(extra)
        t0 = time.perf_counter()
        code = review.answer(message, fds[:2])
        log(f"screener {' '.join(map(str, message['argv']))} -> exit {code} in {time.perf_counter() - t0:.2f} s")
        reply = {"code": code}
    else:
        for fd in fds:
            os.close(fd)
        reply = {"error": "not understood"}
    try:
        conn.sendall((json.dumps(reply) + "\n").encode())
    except OSError:  # the caller went away (Ctrl-C): the command's work is saved all the same
        pass
    return not message.get("close")


def _serve_main(argv: list[str]) -> None:
    """``python -m screener.keep_open DIR [RANKER|- [EMBEDDING_MODEL|- [IDLE_HOURS]]]``: what
    ``screener open`` starts in the background."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    directory = argv[0]
    ranker = argv[1] if len(argv) > 1 and argv[1] != "-" else None
    model = argv[2] if len(argv) > 2 and argv[2] != "-" else None
    idle = float(argv[3]) if len(argv) > 3 else DEFAULT_IDLE_HOURS
    from .errors import ScreenerError

    try:
        serve(directory, ranker=ranker, embedding_model=model, idle_hours=idle)
    except ScreenerError as exc:
        print(f"Error: {exc}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    # ``python -m screener.keep_open`` runs this file as ``__main__``, a module apart from the
    # ``screener.keep_open`` the commands import: the review must be held in that one, or every
    # command opens the project afresh and nothing is answered from memory
    from screener.keep_open import _serve_main as _main

    _main(sys.argv[1:])
