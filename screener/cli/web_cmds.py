"""``screener serve``: screen in a web browser (one reviewer or two, on this machine or a network)."""

from __future__ import annotations

import signal
import socket
import sys
from pathlib import Path

import typer
from rich.console import Console

from ..errors import ScreenerError

console = Console()


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


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        directory: Path = typer.Argument(..., help="The review project folder."),
        port: int = typer.Option(8000, "--port", help="Port to listen on (0 picks a free one)."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to listen on. The default is this computer only; any other address "
                                      "(e.g. 0.0.0.0 for the whole network) needs the access token printed at start."),
    ):
        """Screen in a web browser: one record at a time, a dashboard, the records list, dual screening."""
        server, url, flask_app = serve_project(directory, host=host, port=port)
        engine = flask_app.extensions["screener"]
        console.print(f"Screening [bold]{directory}[/] at [bold]{url}[/]", highlight=False, soft_wrap=True)
        if "?token=" in url:
            console.print("[yellow]This address is reachable from other machines.[/] Share it only with your team: "
                          "the token in it is the key. Each browser needs it once.", highlight=False)
        if not engine.ready:
            console.print("The first ranking is being prepared; the page shows the first record as soon as it is "
                          "ready.", highlight=False)
        console.print("Open it in a browser. Stop with Ctrl-C (every decision is already saved).", highlight=False)
        def _stop(signum, frame):  # a service manager's stop ends the server as Ctrl-C does
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            engine.stop()
            flask_app.config["SCREENER_PROJECT"].close()
            console.print("Stopped. Every decision is saved in the project.")
