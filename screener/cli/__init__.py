"""The ``screener`` command: a thin layer over the Python API.

Each group of commands lives in its own module with a ``register(app)`` function. Errors the
user can fix (``ScreenerError``) are printed as a plain message with a non-zero exit code.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import select
import signal
import sqlite3
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub at run time
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# the model libraries' own progress bars ("Loading weights") are noise between screener's lines
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import typer
import typer.core
from rich.console import Console
from rich.markup import escape

from ..errors import READ_ONLY, ScreenerError

err_console = Console(stderr=True, emoji=False)


class _FriendlyGroup(typer.core.TyperGroup):
    """Shows a reviewer the message of a fixable error instead of a traceback."""

    def invoke(self, ctx):
        typed = [*getattr(ctx, "_protected_args", getattr(ctx, "protected_args", [])), *ctx.args]
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            said = _not_a_number(exc, typed)
            if said is None:
                raise
            err_console.print(f"[bold red]Error:[/] {escape(said)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except ScreenerError as exc:
            # the message as it is: a path in it may hold '[2026]' or '[/]' (markup would drop or choke on it)
            err_console.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) and "read-only" not in str(exc):
                raise
            err_console.print(f"[bold red]Error:[/] {READ_ONLY}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # a file the reviewer named cannot be read or written
            if isinstance(exc, BrokenPipeError) and _output_unread():
                # '| head', or 'less' quit early: the reader stopped reading and nothing is wrong. As click
                # does where the pipe closes before the first line: no message, exit status 1, and no second
                # error when Python flushes the closed output at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(1) from None
            # a file written through a temporary name is named as the reviewer gave it
            where = f"{str(exc.filename).removesuffix('.partial')}: " if exc.filename else ""
            # Excel on Windows keeps a file it has open from other programs: a reviewer who may write there
            held = " If it is open in Excel or another program, close it there and run the command again." \
                if isinstance(exc, PermissionError) and exc.filename else ""
            err_console.print(f"[bold red]Error:[/] {escape(where + str(exc.strerror or exc))}.{held} Check the path, "
                              "and that you may read (or write) it.", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except Terminated as exc:
            err_console.print(f"Stopped (the command was ended: {exc.signal.name}). Everything saved before is "
                              "kept; the change under way was not saved.", markup=False)
            raise typer.Exit(128 + exc.signal) from None
        except KeyboardInterrupt:
            err_console.print("Stopped. Everything saved before the interruption is kept.")
            raise typer.Exit(130) from None


def _not_a_number(exc, typed: list[str]) -> str | None:
    """A word where an option takes a number, in a reviewer's words: typer said "Input should be a valid
    integer, unable to parse string as an integer". None for any other bad value (click's words stand)."""
    text = exc.format_message()
    whole = "valid integer" in text
    if not whole and "valid number" not in text and "valid float" not in text:
        return None
    param = exc.param
    opts = list(getattr(param, "opts", None) or [])
    name = next((o for o in opts if o.startswith("--")), opts[0] if opts else "the option")
    value = None
    for i, a in enumerate(typed):
        if a in opts and i + 1 < len(typed):
            value = typed[i + 1]
        elif any(a.startswith(o + "=") for o in opts if o.startswith("--")):
            value = a.split("=", 1)[1]
    default = getattr(param, "default", None)
    example = default if isinstance(default, (int, float)) and not isinstance(default, bool) and default else (
        12 if whole else 0.95)
    what = "a whole number" if whole else "a number"
    return f"{name}{'' if value is None else ' ' + value}: give {what}, for example {name} {example}."


def _output_unread() -> bool:
    """Whether screener's output is a pipe nobody reads any more ('| head' has ended): a broken pipe
    elsewhere (a cluster worker's connection) is an error to report. Linux says so of a pipe with POLLERR;
    macOS of a pipe, and Linux of a socket, with POLLHUP."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poll.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), or not a file (a test's runner)
        return False


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a batch job's time limit, a container stopped) or SIGHUP (the terminal
    window closed), met as Ctrl-C is: it ended the command at once, leaving the temporary files of a
    save under way (a features cache as large as the real one, each time) and no word; now what is
    under way is undone and cleaned up as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signal = signal.Signals(signum)


def _terminated(signum, frame):
    raise Terminated(signum)


def _stop_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP end a command as Ctrl-C does; one ignored by whoever started screener
    ('nohup screener import ...' ignores SIGHUP) stays ignored."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(sig) == signal.SIG_DFL:
                signal.signal(sig, _terminated)
        except ValueError:  # not the main thread (a command run from a notebook's worker): as before
            pass


app = typer.Typer(
    cls=_FriendlyGroup,
    name="screener",
    help="Prioritise title/abstract screening for systematic reviews: import database exports, "
    "de-duplicate, rank the next records, estimate recall, and benchmark.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = ("project_cmds", "ranking_cmds", "status_cmds", "simulate_cmds", "demo_cmds", "web_cmds",
                    "user_cmds", "server_cmds", "embed_cmds", "open_cmds", "team_cmds")
for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def _paragraphs(doc: str) -> str:
    """A command's description with each paragraph on one line, for the terminal to wrap: typer keeps the
    line breaks of the source, and in 80 columns every other line of 'serve --help' held a word or two."""
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _reflow_help(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        doc = info.help if info.help is not None else inspect.getdoc(info.callback)
        if doc:
            info.help = _paragraphs(doc)
    for group in typer_app.registered_groups:
        _reflow_help(group.typer_instance)


_reflow_help(app)

#: What an option takes, in words: typer's help gave Python's type names ('<int>', '<list[str]>').
_TAKES = {"int": "NUMBER", "float": "NUMBER", "str": "TEXT", "path": "PATH"}


def _in_words(typer_type):
    def type_in_words(self, ctx):
        """A value as the help lists it: none for a flag (typer gave '--report <bool>', as if 'true' were to
        follow), else NUMBER, TEXT or PATH, also for an option given several times ('<list[int]>')."""
        if getattr(self, "is_flag", False):
            return None
        shown = typer_type(self, ctx)
        if not isinstance(shown, str) or not shown.startswith("<"):
            return shown  # a metavar screener names itself ('ADDRESS')
        bare = re.sub(r"^list\[(.*)\]$", r"\1", shown.strip("<>")).lower()
        return _TAKES.get(bare, shown)
    return type_in_words


for _param in (getattr(typer.core, "TyperOption", None), getattr(typer.core, "TyperArgument", None)):
    if hasattr(_param, "display_type_rich"):  # a typer without it shows its own words; the CLI still runs
        _param.display_type_rich = _in_words(_param.display_type_rich)


def _usage_in_capitals(self, ctx) -> list[str]:
    """An argument on the usage line in capitals, as the README writes what is the reader's to fill in
    ('DIRECTORY FILES...', '[DIRECTORY]' where it may be left out): typer 0.29 wrote '{directory} {files}...'."""
    name = (self.metavar or self.name or "").upper()
    name = name if self.required else f"[{name}]"
    return [name + ("..." if self.nargs != 1 else "")]


if hasattr(getattr(typer.core, "TyperArgument", None), "_usage_display_name"):  # older typers give capitals
    typer.core.TyperArgument.get_usage_pieces = _usage_in_capitals


def main() -> None:
    _stop_cleanly_on_signals()
    app()
