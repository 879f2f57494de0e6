"""``screener open`` / ``screener close``: keep a large review in memory between commands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .. import keep_open
from ..errors import ProjectError
from ..shell import shell_quote
from . import checks

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


def _describe(info: dict) -> str:
    mem = info.get("memory_mb")
    return f"process {info['pid']}" + (f", {mem / 1024:.1f} GB of memory" if mem else "")


def register(app: typer.Typer) -> None:
    @app.command("open", short_help="Keep a review open in the background: 'next', 'label' and 'status' on it "
                                    "then answer in seconds.")
    def open_(
        directory: Path = typer.Argument(..., help="The review project folder."),
        model: Optional[str] = typer.Option(None, "--model", help=checks.MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model",
                                                      help=checks.EMBEDDING_HELP + " Give it as you will "
                                                           "to 'screener next'."),
        idle_hours: float = typer.Option(keep_open.DEFAULT_IDLE_HOURS, "--idle-hours",
                                         help="Close by itself after this many hours without a command (0: never)."),
        foreground: bool = typer.Option(False, "--foreground",
                                        help="Stay in this terminal (or under a service manager) until Ctrl-C."),
    ):
        """Keep a review open in the background: 'next', 'label' and 'status' on it then answer in seconds,
        even on hundreds of thousands of records. Everything is still saved as it happens."""
        from ..project import Project

        if not keep_open.SUPPORTED:
            raise ProjectError("keeping a review open needs Linux or macOS; here every command runs on its own.")
        checks.embedding_model(embedding_model)
        with Project.open(directory):  # a clear error for a folder that is not a project, before anything starts
            pass
        info = keep_open.ping(directory)
        if info is not None:
            console.print(f"{directory} is already open ({_describe(info)}). Close it with: "
                          f"screener close {shell_quote(directory)}", markup=False)
            return
        if foreground:
            console.print(f"Opening {directory}; Ctrl-C closes it.", markup=False)
            try:
                keep_open.serve(directory, ranker=model, embedding_model=embedding_model, idle_hours=idle_hours)
            except KeyboardInterrupt:
                console.print(f"Closed {directory}.", markup=False)
            return
        keep_open.socket_path(directory, create=True)
        log = Path(keep_open.log_path(directory))
        args = [sys.executable, "-m", "screener.keep_open", str(directory), model or "-", embedding_model or "-",
                str(idle_hours)]
        with open(log, "w", encoding="utf-8") as out:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        t0 = time.monotonic()
        try:
            with console.status(f"Opening {directory}: reading its records and features (the first time on a large "
                                f"review this builds them; progress in {log})...") as status:
                while True:
                    if proc.poll() is not None:
                        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
                        raise ProjectError(f"{directory} could not be kept open:\n" + "\n".join(tail))
                    if os.path.exists(keep_open.socket_path(directory)):
                        info = keep_open.ping(directory)  # answers once the features are in memory
                        if info is not None:
                            break
                    time.sleep(0.2)
                    status.update(f"Opening {directory} ({time.monotonic() - t0:.0f} s; progress in {log})...")
        except KeyboardInterrupt:
            proc.terminate()
            raise
        console.print(f"{directory} is open ({_describe(info)}, ready after {time.monotonic() - t0:.0f} s). "
                      f"'screener next', 'label' and 'status' on it now answer from memory. Close it with: "
                      f"screener close {shell_quote(directory)}", highlight=False, markup=False)

    @app.command("close")
    def close(directory: Path = typer.Argument(..., help="The review project folder.")):
        """Close a review kept open with 'screener open' (its memory is given back; nothing is lost)."""
        path = keep_open.socket_path(directory) if keep_open.SUPPORTED else None
        reply = None
        if path is not None and os.path.exists(path):
            try:
                reply = keep_open.request(path, {"close": True})
            except (ConnectionError, OSError):
                reply = None
        if reply is None:
            console.print(f"{directory} is not open.", markup=False)
            return
        n = reply.get("requests", 0)
        console.print(f"Closed {directory} ({_describe(reply)}; it answered {n} command{'' if n == 1 else 's'}).",
                      highlight=False, markup=False)
