"""Commands that make a review project and move records in and out: init, import, dedup, export."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..project import Project

console = Console()


def parse_column_map(items: list[str] | None) -> dict | None:
    """``--column title="Article Title"`` pairs into a mapping of screener field to file column."""
    if not items:
        return None
    mapping = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--column {item!r}: write it as FIELD=COLUMN, for example --column title=\"Article Title\".")
        field, col = item.split("=", 1)
        mapping[field.strip().lower()] = col.strip()
    return mapping


def print_prisma(counts: dict) -> None:
    table = Table(title="PRISMA 2020: identification", show_header=True)
    table.add_column("Source")
    table.add_column("Records", justify="right")
    for src, n in counts["identified_per_source"].items():
        table.add_row(str(src), str(n))
    table.add_row("[bold]Records identified[/]", f"[bold]{counts['identified']}[/]")
    table.add_row("Duplicates removed", str(counts["duplicates_removed"]))
    table.add_row("[bold]Records to screen[/]", f"[bold]{counts['after_deduplication']}[/]")
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        directory: Path = typer.Argument(..., help="Folder for the new review project."),
        protocol: Optional[Path] = typer.Option(None, "--protocol", "-p",
                                                help="Protocol file (TOML or YAML): question, criteria, key terms."),
        mode: str = typer.Option("single", help="'single' or 'dual' (two reviewers screen blind)."),
        target_recall: float = typer.Option(0.95, help="Recall the team wants to be able to claim."),
        seed: int = typer.Option(0, help="Random seed: the same data, settings and seed give the same ranking."),
        database: Optional[str] = typer.Option(
            None, "--database", help="Keep the review on a PostgreSQL server (a team server), e.g. "
            "postgresql://screener@db.example.org/review. Default: one SQLite file in DIR."),
    ):
        """Create a review project (one SQLite file in DIR, or on a PostgreSQL server with --database)."""
        if mode not in ("single", "dual"):
            raise InputError(f"--mode must be 'single' or 'dual', not {mode!r}.")
        project = Project.init(directory, protocol=protocol, database=database,
                               settings={"mode": mode, "target_recall": target_recall, "seed": seed})
        where = project.location if database else project.db_path.name
        console.print(f"Created review project in [bold]{directory}[/] ({where}).", highlight=False)
        project.close()
        if protocol is None:
            console.print("No protocol yet: add one with 'screener init --protocol' on a new folder or "
                          "'screener protocol DIR FILE'. Without it, the first records are in random order.")
        console.print(f"Next: screener import {directory} YOUR_EXPORT.ris")

    @app.command("protocol")
    def set_protocol(directory: Path, file: Path = typer.Argument(..., help="Protocol file (TOML or YAML).")):
        """Set or replace the review protocol used for the cold start."""
        with Project.open(directory) as project:
            project.set_protocol(file)
        console.print(f"Protocol set from {file}.")

    @app.command("import")
    def import_(
        directory: Path = typer.Argument(..., help="The review project folder."),
        files: list[Path] = typer.Argument(..., help="Database exports: RIS, PubMed .nbib/.txt, EndNote XML, CSV, TSV, XLSX."),
        fmt: Optional[str] = typer.Option(None, "--format", help="ris, medline, endnote-xml, csv, tsv or xlsx; guessed if left out."),
        encoding: Optional[str] = typer.Option(None, help="Text encoding, e.g. utf-8, utf-16, cp1252; detected if left out."),
        column: Optional[list[str]] = typer.Option(None, "--column", help="Column mapping for tables, e.g. --column title=\"Article Title\"."),
        source: Optional[str] = typer.Option(None, "--source", help="Name of the database the file came from."),
        sheet: Optional[str] = typer.Option(None, help="Sheet to read from a workbook with several sheets."),
        no_dedup: bool = typer.Option(False, "--no-dedup", help="Skip de-duplication after import."),
        allow_reimport: bool = typer.Option(False, help="Import a file even if the same file was imported before."),
    ):
        """Import database exports into the project (all files or none)."""
        with Project.open(directory) as project:
            with console.status("Importing..."):
                summary = project.import_files(files, fmt=fmt, encoding=encoding, column_map=parse_column_map(column),
                                               source_db=source, sheet=sheet, dedup=not no_dedup,
                                               allow_reimport=allow_reimport)
            table = Table(title="Imported")
            for col in ("File", "Format", "Encoding", "Records", "Labels"):
                table.add_column(col, justify="right" if col in ("Records", "Labels") else "left")
            for f in summary.files:
                table.add_row(f["file"], f["format"], f["encoding"], str(f["records"]), str(f["labels"]))
            console.print(table)
            for w in summary.warnings:
                console.print(f"[yellow]Note:[/] {w}")
            if not no_dedup:
                print_prisma(project.prisma_counts())
                console.print(f"See the duplicate groups with: screener dedup {directory} --report")

    @app.command()
    def dedup(
        directory: Path,
        report: bool = typer.Option(False, "--report", help="List every duplicate group and why it was grouped."),
        split: Optional[list[int]] = typer.Option(None, "--split", help="Record id to take out of its duplicate group (repeatable)."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the group report to a CSV file."),
    ):
        """De-duplicate records across databases; show PRISMA identification counts."""
        from ..dedup import dedup_report, format_dedup_report

        with Project.open(directory) as project:
            if split:
                project.split_duplicates(split)
                console.print(f"Took record(s) {', '.join(map(str, split))} out of their duplicate group.")
            else:
                project.deduplicate()
            groups = project.store.duplicate_groups_frame()
            records = project.store.records_frame()
            rep = dedup_report(records, groups)
            if report:
                console.print(format_dedup_report(rep), highlight=False, markup=False)
            if output is not None:
                rep.to_csv(output, index=False)
                console.print(f"Wrote the duplicate groups to {output}.")
            print_prisma(project.prisma_counts())

    @app.command()
    def export(
        directory: Path,
        output: Path = typer.Option(..., "-o", "--output", help="File to write."),
        fmt: Optional[str] = typer.Option(None, "--format", help="csv, ris or xlsx (default: from the file name)."),
        only: Optional[str] = typer.Option(None, help="included, excluded, maybe or unscreened."),
        with_duplicates: bool = typer.Option(False, help="Also export the duplicate copies of each study."),
    ):
        """Export records with their screening decisions (for a reference manager or another tool)."""
        fmt = (fmt or output.suffix.lstrip(".")).lower()
        if fmt not in ("csv", "ris", "xlsx"):
            raise InputError(f"cannot export to {fmt!r}: choose --format csv, ris or xlsx.", path=output)
        with Project.open(directory) as project:
            n = project.export(output, fmt, only=only, include_duplicates=with_duplicates)
        console.print(f"Wrote {n} records to {output}.")
