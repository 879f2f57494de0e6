"""``screener migrate``: move a review from its SQLite file to a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import ProjectError

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


def register(app: typer.Typer) -> None:
    @app.command(short_help="Move a review to a PostgreSQL server and check that every record, decision and "
                            "setting arrived.")
    def migrate(
        directory: Path = typer.Argument(..., help="The review project folder (its SQLite file moves)."),
        to: str = typer.Option(..., "--to", help="The PostgreSQL database to move it to (empty), e.g. "
                                                 "postgresql://screener@db.example.org/review."),
    ):
        """Move a review to a PostgreSQL server and check that every record, duplicate group, decision
        and setting arrived (row counts and checksums). Stop 'screener serve' on it first, and
        'screener close' it if it is open."""
        from ..migrate import checks_frame, migrate_to_server

        with console.status("Moving the review..."):
            report = migrate_to_server(directory, to)
        table = Table(title=f"Moved to {report.url}")
        frame = checks_frame(report)
        for col in frame.columns:
            table.add_column(col, justify="right" if col.startswith("rows") else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        console.print(table)
        for what, same in report.review_checks.items():
            console.print(f"{escape(what)}: {'the same' if same else '[bold red]DIFFERENT[/]'}", highlight=False)
        if report.without_nul:
            n, shown = len(report.without_nul), "; ".join(report.without_nul[:10])
            more = f"; and {n - 10} more" if n > 10 else ""
            kept = "them as they were" if n != 1 else "it as it was"
            console.print(f"Note: {n} value{'s' if n != 1 else ''} held a NUL character (invisible, from text pasted "
                          "out of a PDF, which an older screener kept), and PostgreSQL cannot store one: moved as "
                          "screener reads them now, a space in a record's text and nothing in a note or reason: "
                          f"{shown}{more}. The file kept from before the move holds {kept}.",
                          highlight=False, markup=False)
        if not report.ok:
            raise ProjectError("the copy on the server does not match the file (see above); the project still uses "
                               "its SQLite file. Empty the server database and try again.")
        console.print(f"Every row arrived. {directory} now uses the server; the file from before the move is kept as "
                      f"{report.kept_file}.", highlight=False, markup=False)
