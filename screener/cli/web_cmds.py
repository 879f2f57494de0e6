"""``screener serve``: screen in a web browser (one reviewer or a team, on this machine or a network).

The CLI serves through gunicorn: worker processes (several only for a review on PostgreSQL, where
they share everything through the database) each with a pool of threads. ``serve_project`` is
the same app on an in-process threaded server, for tests and benchmarks.
"""

from __future__ import annotations

import os
import socket
import sys
from functools import partial
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import ScreenerError
from . import checks

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code
SERVE_LOCK = ".screener-serve.lock"  # in the project folder, while 'screener serve' serves its SQLite file


def serve_project(directory: Path, *, host: str = "127.0.0.1", port: int = 8000, quiet: bool = True):
    """Build the app and a threaded server bound to host:port; returns (server, url, app).

    ``quiet`` keeps the per-request log lines out of the reviewer's terminal.
    """
    import logging

    from werkzeug.serving import make_server

    from ..project import Project
    from ..web.app import create_app
    from ..web.security import is_loopback, new_token

    if quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # The model refits in a background thread of this process; a shorter GIL switch interval
    # lets a reviewer's request in sooner while it runs (measured in benchmarks/bench_web.py).
    sys.setswitchinterval(0.001)
    project = Project.open(directory)
    try:
        _refuse_read_only(project)
    except ScreenerError:
        project.close()
        raise
    token = None if is_loopback(host) else new_token()
    app = create_app(project, host=host, access_token=token)
    try:
        server = make_server(host, port, app, threaded=True)
    except (OSError, SystemExit) as exc:  # werkzeug exits on a port in use after printing its own note
        app.extensions["screener"].stop()
        project.close()
        why = getattr(exc, "strerror", None) or "the address is in use or not available"
        raise ScreenerError(f"cannot listen on {host}:{port} ({why}). Choose another port with --port, or stop "
                            "the program that uses it.") from None
    real_port = server.server_port
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = socket.gethostname()
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    url = f"http://{shown}:{real_port}/"
    if token:
        url += f"?token={token}"
    return server, url, app


def _refuse_read_only(project) -> None:
    """A project that cannot be written is said before the server starts: serving, it saves every decision
    (and the server's own sign-in key, its rankings), and its worker ended in a traceback."""
    from ..project import DB_URL_FILE

    why = getattr(project.store, "unwritable", lambda: None)()
    if why == "full":
        raise ScreenerError(
            f"{project.dir}: the disk holding the project is full, so 'screener serve' was not started (it saves "
            "every decision into the project) and nothing was changed. Free some space on that disk, then start it "
            "again.")
    if why == "no write access":
        raise ScreenerError(
            f"{project.location}: the account screener signs in with (the address in {DB_URL_FILE} in the project "
            "folder) may only read this review, or the database server takes no changes (a standby copy, a database "
            "set read-only), so 'screener serve' was not started (it saves every decision into the review) and "
            "nothing was changed. Ask whoever runs the database server for write access to the review's tables, or "
            f"put the address of the review's own database and an account that may change it in {DB_URL_FILE}.")
    if why is None:
        return
    raise ScreenerError(
        f"{project.dir}: this project is on read-only storage (or you may not change its folder or its file "
        f"{project.db_path.name}), so 'screener serve' was not started (it saves every decision into the project) "
        "and nothing was changed. screener can still show it ('screener status', 'screener export'); to screen, "
        "copy the project folder somewhere you can write and serve the copy, or ask for write access.")


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so a busy port is a clear message (gunicorn would retry)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ScreenerError(f"cannot listen on {host}:{port} ({exc.strerror or exc}). Choose another port with --port, "
                            "or stop the program that uses it.") from None
    sock.set_inheritable(True)
    return sock


def run_server(directory: Path, *, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
               threads: int = 8, public_url: str | None = None, announce=None,
               session_options: dict | None = None) -> None:
    """Serve ``directory`` under gunicorn until stopped (Ctrl-C, SIGTERM): ``workers`` processes of
    ``threads`` threads each. Several processes need the review on PostgreSQL: they keep nothing
    that matters in memory (decisions, claims on records and rankings are in the database), so a
    worker that dies loses nothing acknowledged and the master starts another. ``session_options``
    (``ranker``, ``embedding_model``) rank as 'screener next' does with the same options."""
    from gunicorn.app.base import BaseApplication

    from ..project import Project
    from ..web.security import is_loopback, new_token

    with Project.open(directory) as project:  # a clear error (and any schema upgrade) before forking
        shared = project.store.shared
        empty = not project.store.n_records()
        _refuse_read_only(project)
    if workers is None:
        workers = 2 if shared else 1
    if workers < 1 or threads < 1:
        raise ScreenerError("--workers and --threads must be at least 1.")
    if workers > 1 and not shared:
        raise ScreenerError(f"{directory}: several worker processes need the review on a PostgreSQL server (see "
                            "'screener migrate'); with its SQLite file, serve one process with more --threads.")
    # one server on a project file: two would each hand out records and count from what they hold
    # in memory (the same record to two reviewers, each retraining on its own)
    lock = None if shared else _one_server_at_a_time(directory)
    try:
        behind_proxy = public_url is not None
        token = new_token() if behind_proxy or not is_loopback(host) else None
        sock = listen(host, port)
        real_port = sock.getsockname()[1]
        if public_url:
            url = public_url.rstrip("/") + "/"
        else:
            shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
            url = f"http://{f'[{shown}]' if ':' in shown else shown}:{real_port}/"
        if lock is not None:
            lock.truncate(0)
            lock.write(f"{url}\n{os.getpid()}\n")  # for the message a second server gives
            lock.flush()
        if token:
            url += f"?token={token}"

        def make_app():
            return _worker_app(directory, host=host, access_token=token, behind_proxy=behind_proxy,
                               session_options=session_options)

        def worker_exit(server, worker):
            _let_go_of_the_reviews()
            if getattr(worker, "pid", None) == os.getpid():  # not the server seeing a worker of it gone
                _no_collecting_at_exit()

        say_ready = announce or partial(_announce, empty=empty, host=host, behind_proxy=behind_proxy)
        options = {"bind": [f"fd://{sock.fileno()}"], "workers": workers, "threads": threads,
                   "worker_class": "gthread", "timeout": 120, "graceful_timeout": 30, "keepalive": 5,
                   "loglevel": "warning", "accesslog": None, "errorlog": "-", "proc_name": "screener",
                   "worker_exit": worker_exit,
                   "when_ready": lambda server: say_ready(directory, url, workers, threads),
                   "on_exit": lambda server: (console.print("Stopped. Every decision is saved in the project."),
                                              _no_collecting_at_exit())}

        class _Gunicorn(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return make_app()

        _Gunicorn().run()
    finally:
        if lock is not None:
            lock.close()


_running: list = []
#: How long a stopping server waits for a ranking in progress (a first fit takes 15-30 s; Ctrl+C should not)
STOP_WAIT_SECONDS = 1.0


def _let_go_of_the_reviews() -> None:
    """Stop each review this process serves. A ranking still being worked out is not waited for: its project is
    left open (closing it would let go of the file's locks under the write in progress) and the process ends,
    which leaves any unfinished write of it undone (a transaction), never half-written. Decisions are saved as
    they are made, so none is lost; the ranking is worked out again at the next start."""
    for flask_app in _running:
        if flask_app.extensions["screener"].stop(timeout=STOP_WAIT_SECONDS):
            flask_app.config["SCREENER_PROJECT"].close()
        else:
            # 'Stopped. Every decision is saved in the project.' follows (on_exit): said here too, it came twice
            console.print("Stopping without waiting for the ranking being worked out: it is worked out again at "
                          "the next start.", highlight=False, markup=False)


def _no_collecting_at_exit() -> None:
    """The process ends next: Python's exit would sweep every object for reference cycles, again and again as it
    takes its modules apart (pandas, scikit-learn, the model), about a second of each process's time after 'serve'
    has stopped. Frozen, they are left to the end of the process, which gives all its memory back."""
    import gc

    gc.freeze()


def _worker_app(directory: Path, **options):
    """The app of one worker process of 'screener serve'. A problem said to the reviewer (the project busy,
    the team's server down) ends the worker with its message, not gunicorn's traceback (read as a crash);
    gunicorn then stops the server, the worker having failed to start."""
    from ..project import Project
    from ..web.app import create_app

    sys.setswitchinterval(0.001)  # a reviewer's request gets in sooner while a refit runs (bench_web.py)
    try:
        proj = Project.open(directory)
        flask_app = create_app(proj, **options)
        if proj.store.shared:  # features built before this worker accepts a request (gunicorn waits)
            flask_app.extensions["screener"].prepare()
    except ScreenerError as exc:
        Console(stderr=True, emoji=False).print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False,
                                                soft_wrap=True)
        raise SystemExit(3) from None  # gunicorn's code for a worker that failed to start
    _running.append(flask_app)
    return flask_app


def _one_server_at_a_time(directory: Path):
    """An exclusive lock on the project folder's serve lock file, held while this server runs (and
    let go by the system when it stops, however it stops); a second server on it is refused."""
    import fcntl

    path = Path(directory) / SERVE_LOCK
    try:
        lock = open(path, "a+", encoding="utf-8")
    except OSError:
        return None  # a folder one may not write to: nothing can be saved there either
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        where, pid = _holder(lock)
        lock.close()
        raise ScreenerError(
            f"{directory} is already being served{f' at {where}' if where else ''} (by 'screener serve', process "
            f"{pid or 'unknown'}). Open that address, or stop that server first: two servers on one project file "
            "would hand the same record to two reviewers. For several server processes, move the review to a "
            "PostgreSQL server ('screener migrate').") from None
    return lock


def _holder(lock) -> tuple[str, str]:
    """(address, process) that the running server wrote into its lock file ("" where unknown)."""
    lock.seek(0)
    where, pid = (lock.read().split("\n") + ["", ""])[:2]
    return where, pid


def served_at(directory: Path) -> tuple[str, str] | None:
    """(address, process) of the 'screener serve' serving this project's file now, or None."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows, where 'serve' does not run
        return None

    path = Path(directory) / SERVE_LOCK
    try:
        probe = open(path, "r", encoding="utf-8")
    except OSError:
        return None  # never served, or a folder one may not read
    with probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(probe)
        fcntl.flock(probe, fcntl.LOCK_UN)
    return None


def _announce(directory, url, workers, threads, *, empty: bool = False, host: str = "127.0.0.1",
              behind_proxy: bool = False) -> None:
    """What 'screener serve' says once ready. ``host``: the address it listens on; ``behind_proxy``: ``url`` is the
    reverse proxy's (--public-url). On this computer only behind a proxy it said 'This address is reachable from
    other machines', of a server listening on 127.0.0.1: reviewers reach it through the proxy."""
    from ..web.security import is_loopback

    console.print(f"Screening [bold]{escape(str(directory))}[/] at [bold]{escape(url)}[/]", highlight=False,
                  soft_wrap=True)
    if "?token=" in url:
        where = "This address is reachable from other machines."
        if behind_proxy and is_loopback(host):
            where = (f"The server listens on {host} (this computer only): reviewers reach it through the reverse "
                     "proxy at this address.")
        console.print(f"[yellow]{escape(where)}[/] Share it only with your team: the token in it is the key. Each "
                      "browser needs it once.", highlight=False)
    if empty:  # 'the first record shows once ready', then 'ranking failed: no records yet', read as a fault
        from ..project import no_records_message

        console.print(f"{workers} worker process{'es' if workers > 1 else ''} x {threads} threads. "
                      f"{no_records_message(directory)} The pages show the records once they are imported; there is "
                      "no need to restart the server.", highlight=False, markup=False)
    else:
        console.print(f"{workers} worker process{'es' if workers > 1 else ''} x {threads} threads. The first ranking "
                      "may take a moment; the page shows the first record as soon as it is ready.",
                      highlight=False, markup=False)
    console.print("Open it in a browser. Stop with Ctrl-C (every decision is already saved).", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        directory: Path = typer.Argument(..., help="The review project folder."),
        port: int = typer.Option(8000, "--port", help="Port to listen on (0 picks a free one)."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to listen on. The default is this computer only; any other address "
                                      "(e.g. 0.0.0.0 for the whole network) needs the access token printed at start."),
        workers: Optional[int] = typer.Option(
            None, "--workers", help="Worker processes (default: 1; 2 for a review on PostgreSQL, which allows more)."),
        threads: int = typer.Option(8, "--threads", help="Threads per worker process (reviewers served at once)."),
        public_url: Optional[str] = typer.Option(
            None, "--public-url", help="The HTTPS address of the reverse proxy in front of this server (e.g. "
                                       "https://screener.example.org); the access token is then required."),
        model: Optional[str] = typer.Option(None, "--model", help=checks.MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(
            None, "--embedding-model", help=checks.EMBEDDING_HELP + " Give the same as to "
                                            "'screener next' for the same ranking."),
    ):
        """Screen in a web browser: one record at a time, a dashboard, the records list, dual screening.

        It serves http://127.0.0.1:8000 by default: plain HTTP, open to this computer only. For a
        team, listen on the network (--host 0.0.0.0, any free --port) and put an HTTPS reverse proxy in
        front (--public-url); reviewers then need the access token printed at start. Everything the
        review keeps is in its folder: records, decisions, rankings and the embeddings in
        screener.sqlite (or, for a review moved to PostgreSQL, on the server named in database.url,
        with the embeddings in embedding-cache.sqlite), beside the protocol. It needs no internet:
        the pages load nothing from outside, and the language model is read from this computer
        (see 'screener embed --help'). Stop it with Ctrl-C: each decision is saved when it is made."""
        checks.port(port)
        checks.embedding_model(embedding_model)
        if model is not None:
            from ..screening import resolve_ranker

            resolve_ranker(model)  # a misspelt name is named now, not on the page once served
        options = {k: v for k, v in (("ranker", model), ("embedding_model", embedding_model)) if v is not None}
        run_server(directory, host=host, port=port, workers=workers, threads=threads, public_url=public_url,
                   session_options=options)
