"""Commands that make a review project and move records in and out: init, import, dedup, export."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InputError, did_you_mean
from ..io.detect import WORKBOOK_FORMATS
from ..io.export import EXPORT_FORMATS
from ..project import EXPORT_SETS, Project
from ..shell import shell_quote
from . import checks
from . import err_console
from .status_cmds import TEAM_HELP, refuse_blind_team_view

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


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
    other = counts.get("other_methods_per_source") or {}
    registers = counts.get("registers_per_source") or {}
    if not other and not registers:
        for src, n in counts["identified_per_source"].items():
            table.add_row(escape(str(src)), str(n))
    else:  # PRISMA 2020's boxes, as the report and the dashboard give them: a register or hand search is no database
        for per_source, words, n_all in ((counts["databases_per_source"], "databases", "identified_databases"),
                                         (registers, "registers", "identified_registers"),
                                         (other, "other methods", "identified_other")):
            for src, n in per_source.items():
                table.add_row(escape(str(src)), str(n))
            if per_source or words == "databases":
                table.add_row(f"Records from {words}", str(counts[n_all]))
    table.add_row("[bold]Records identified[/]", f"[bold]{counts['identified']}[/]")
    searches = counts.get("searches") or []
    for s in searches if len(searches) > 1 else []:  # each search by the day imported, as the report's flow
        u = s.get("unchecked", 0)  # imported with --no-dedup: not known to be new
        found = ("not checked for duplicates yet" if u and u == s["records"] else
                 f"{s['new'] - u} new after de-duplication" + (f", {u} not checked for duplicates yet" if u else ""))
        table.add_row(f"  search update imported {s['imported']}, after screening began ({found})" if s["is_update"]
                      else f"  imported {s['imported']}", str(s["records"]))
    table.add_row("Duplicates removed", str(counts["duplicates_removed"]))
    table.add_row("[bold]Records to screen[/]", f"[bold]{counts['after_deduplication']}[/]")
    console.print(table)


def print_duplicates_found(counts: dict, directory: Path) -> None:
    """Where to see the duplicate groups, or that there are none: a pointer to an empty report reads as if there
    were groups to check."""
    if counts["duplicates_removed"]:
        console.print(f"See the duplicate groups with: screener dedup {shell_quote(directory)} --report", markup=False)
    else:
        n = counts["identified"]
        console.print(f"No duplicates found among {n} record{'s' * (n != 1)}.", markup=False)


def print_protocol_read(proto) -> None:
    """How the protocol was read: its criteria by section, the sections left out (how the review is run), and each
    line a layout leaves open to two readings (an element line after the exclusion criteria), so the team sees which
    section it went to."""
    def count(n: int, what: str, many: str) -> str:
        return f"{n} {what if n == 1 else many}"

    said = [count(len(proto.inclusion), "inclusion criterion", "inclusion criteria"),
            count(len(proto.exclusion), "exclusion criterion", "exclusion criteria")]
    if proto.key_terms:
        said.append(count(len(proto.key_terms), "key term", "key terms"))
    if proto.known_relevant:  # they decide the first records shown: say they were read
        said.append(count(len(proto.known_relevant), "known relevant record", "known relevant records"))
    console.print(f"Read as {', '.join(said)}.", highlight=False, markup=False)
    if proto.notes:
        for name, items in (("Inclusion criteria (ranked first)", proto.inclusion),
                            ("Exclusion criteria (ranked lower)", proto.exclusion)):
            console.print(f"{name}:", highlight=False, markup=False)
            for c in items:
                console.print(f"  - {c}", highlight=False, markup=False)
    if proto.left_out:
        console.print("Left out, as they say how the review is run or why, not which records to include: "
                      f"{', '.join(proto.left_out)}.", highlight=False, markup=False)
    for note in proto.notes:
        console.print(f"[yellow]Check:[/] {escape(note)}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        directory: Path = typer.Argument(..., help="Folder for the new review project."),
        protocol: Optional[Path] = typer.Option(None, "--protocol", "-p",
                                                help="Protocol file (TOML, YAML, or .txt/.md with headings): question, "
                                                     "criteria, key terms."),
        mode: str = typer.Option("single", help="'single' or 'dual' (two reviewers screen blind)."),
        target_recall: float = typer.Option(0.95, help="Recall the team wants to be able to claim."),
        seed: int = typer.Option(0, help="Random seed: the same data, settings and seed give the same ranking."),
        database: Optional[str] = typer.Option(
            None, "--database", help="Keep the review on a PostgreSQL server (a team server), e.g. "
            "postgresql://screener@db.example.org/review. Default: one SQLite file in the review's folder."),
    ):
        """Create a review project (one SQLite file in its folder, or on a PostgreSQL server with --database)."""
        if mode not in ("single", "dual"):
            raise InputError(f"--mode must be 'single' or 'dual', not {mode!r}."
                             f"{did_you_mean(mode, ('single', 'dual'))}")
        checks.share("--target-recall", target_recall, "the recall the team wants to claim")
        project = Project.init(directory, protocol=protocol, database=database,
                               settings={"mode": mode, "target_recall": target_recall, "seed": seed})
        where = project.location if database else project.db_path.name
        console.print(f"Created review project in [bold]{escape(str(directory))}[/] ({escape(str(where))}).",
                      highlight=False)
        project.close()
        if protocol is not None:
            from ..protocol import Protocol

            print_protocol_read(Protocol.load(protocol))
        if protocol is None:
            console.print("No protocol yet: add one with 'screener init --protocol' on a new folder or "
                          f"'screener protocol {shell_quote(directory)} "
                          "YOUR_PROTOCOL.toml'. Without it, the first records are in "
                          "random order.",
                          markup=False, highlight=False)
        console.print(f"Next: screener import {shell_quote(directory)} YOUR_EXPORT.ris", markup=False)

    @app.command("protocol")
    def set_protocol(directory: Path = typer.Argument(..., help="The review project folder."),
                     file: Optional[Path] = typer.Argument(
            None, help="Protocol file: TOML, YAML, or plain text (.txt/.md) with headings Question:, "
                       "Inclusion criteria:, Exclusion criteria:, Key terms:."),
            remove: bool = typer.Option(False, "--remove", help="Take the protocol out of the review (no FILE)."),
            history: bool = typer.Option(False, "--history", help="List the protocol's changes: when, which file, by "
                                         "which command, and how its text changed (no FILE).")):
        """Set, replace or remove the review protocol: its question, criteria and key terms rank the first records."""
        if history:
            if remove or file is not None:
                raise InputError("--history lists the protocol's changes and changes nothing: give it alone "
                                 f"('screener protocol {shell_quote(directory)} --history').")
            _print_protocol_history(directory)
            return
        if remove and file is not None:
            where = shell_quote(directory)
            raise InputError(f"give a protocol file or --remove, not both: 'screener protocol {where} "
                             "YOUR_PROTOCOL.toml' sets "
                             f"it, 'screener protocol {where} --remove' takes it out.")
        if not remove and file is None:
            where = shell_quote(directory)
            raise InputError(f"give the protocol file: 'screener protocol {where} "
                             "YOUR_PROTOCOL.toml' (.toml, .yaml, .txt or "
                             f".md), or take the protocol out with 'screener protocol {where} --remove'.")
        with Project.open(directory) as project:
            if remove:
                name = project.remove_protocol()
                if name is None:
                    console.print("This review has no protocol; nothing was changed.")
                    return
                console.print(f"Protocol removed: the review now has no protocol, so the records come in random order "
                              f"until the first include ({name} stays in {directory}; delete it if you wish).",
                              highlight=False, markup=False)
                return
            proto = project.set_protocol(file)
            earlier, earlier_removed = project.earlier_protocol, project.earlier_removed
            logged = project.protocol_changes()
            again = bool(logged) and logged[-1].get("change") == "set again"  # as --history words it
        console.print(f"Protocol set again from {file}: the same text as the protocol in force, so nothing changed."
                      if again else f"Protocol set from {file}.", highlight=False, markup=False)
        if earlier is not None:
            console.print(f"The protocol it replaces is kept as {earlier} (to report the amendment); 'screener "
                          f"protocol {shell_quote(directory)} --history' lists every change.",
                          highlight=False, markup=False)
        if earlier_removed is not None:
            console.print(f"The protocol taken out earlier, whose copy this one was put over, is kept as "
                          f"{earlier_removed}.", highlight=False, markup=False)
        print_protocol_read(proto)

    def _print_protocol_history(directory: Path) -> None:
        from ..protocol import describe_protocol_change

        with Project.open(directory) as project:
            changes = project.protocol_changes()
            now = project.store.get_setting("protocol_file")
        if not changes:
            console.print("No protocol change logged (changes are logged from this version of screener on; an "
                          "earlier protocol replaced before is kept as protocol-earlier-N in the review's folder).",
                          highlight=False, markup=False)
        else:
            console.print(f"{len(changes)} protocol change{'s' * (len(changes) != 1)}, oldest first:",
                          highlight=False, markup=False)
            for c in changes:
                console.print(f"- {describe_protocol_change(c)}", highlight=False, markup=False)
        console.print(f"In force now: {now}." if now else "In force now: no protocol.", highlight=False, markup=False)

    @app.command("backup", short_help="Back up the project file, safe while the review is served or open: a dated "
                                      "copy in the review's backups folder, checked, never over a file.")
    def backup_(
        project: Path = typer.Argument(..., help="The review project folder."),
        out: Optional[str] = typer.Argument(  # as typed: 'STICK/backups/' names a folder, not a file 'backups'
            None, help="A new file for the backup, or a folder to put a dated one in (a USB stick, a synced folder). "
                       "Default: backups/screener-DATE.sqlite in the review's folder (DATE: the date and time, UTC).",
            metavar="OUT"),
    ):
        """Back up the project file: one consistent moment of the review (the decisions a running 'screener serve'
        has not yet written into the file included), checked, under a new name, never over a file."""
        from ..backup import backup

        summary = backup(project, out)
        # said unwrapped: the paths and the command to put it back are copied from here
        console.print(f"Backed up {summary.project_file} to {summary.backup}.",
                      highlight=False, soft_wrap=True, markup=False)
        holds = summary.holds.describe() if summary.holds is not None else "(its contents could not be counted)"
        console.print(f"The backup holds the review as it was just now: {holds}; the settings and accounts too.",
                      highlight=False, soft_wrap=True, markup=False)
        if summary.files:
            earlier = [f.name for f in summary.files if f != summary.protocol]
            what = (f"the protocol, {summary.protocol.name}" if summary.protocol in summary.files else "")
            what += (" and " if what and earlier else "") + (
                f"the earlier protocol{'s' * (len(earlier) != 1)} kept for the amendments ({', '.join(earlier)})"
                if earlier else "")
            console.print(f"In it too: {what}; 'screener restore' puts {'them' if len(summary.files) > 1 else 'it'} "
                          "back in the project folder.", highlight=False, soft_wrap=True, markup=False)
        if summary.protocol is not None and summary.protocol not in summary.files:
            console.print(f"Not in it: the protocol, {summary.protocol}, which the review names but which is not in "
                          "the project folder; put it back there, or set it again (screener protocol "
                          f"{shell_quote(project)} YOUR_PROTOCOL.toml).", highlight=False, soft_wrap=True, markup=False)
        console.print(f"To put it back: screener restore {shell_quote(project)} {shell_quote(summary.backup)}",
                      highlight=False, soft_wrap=True, markup=False)

    @app.command("restore", short_help="Put a backup of the project file back: checked, refused while the review is "
                                       "served or open, the file it replaces kept beside it, dated.")
    def restore_(
        project: Path = typer.Argument(..., help="The review project folder to put the backup back into."),
        backup: Path = typer.Argument(..., help="The backup: a copy of screener.sqlite, or of the project folder."),
    ):
        """Put a backup of the project file back: checked first (a screener project, of a format this screener
        reads), refused while the review is served or open, the file it replaces kept beside it, dated."""
        from ..restore import restore
        from ..store.sqlite import SCHEMA_VERSION

        summary = restore(backup, project)
        # said unwrapped: the paths and the command to go back are copied from here
        console.print(f"Restored {summary.backup} as {summary.project_file}.",
                      highlight=False, soft_wrap=True, markup=False)
        console.print(f"The review is now as in the backup: {summary.restored.describe()}.", highlight=False,
                      soft_wrap=True, markup=False)
        if summary.upgraded_from is not None:
            console.print(f"The backup was saved by an older screener (project format {summary.upgraded_from}); the "
                          f"restored project was brought up to format {SCHEMA_VERSION}, the one this screener reads "
                          "(the backup itself is unchanged); a screener not updated since cannot open the project any "
                          "more.", highlight=False, soft_wrap=True, markup=False)
        if summary.kept is None:
            console.print(f"{project} had no project file, so nothing was replaced.",
                          highlight=False, soft_wrap=True, markup=False)
        else:
            what = f": {summary.before.describe()}" if summary.before is not None else ""
            # the project file alone goes back: the protocol it screened by, replaced from the backup, is put back
            # by its own command, or the review goes on by the backup's protocol
            protocol = [kept for put, kept in summary.files_kept if put.name == summary.restored.protocol]
            then = f", then screener protocol {shell_quote(project)} {shell_quote(protocol[0])}" if protocol else ""
            linked = project / summary.restored.protocol if protocol else None
            if linked is not None and linked.is_symlink():  # the text went where the link points: back there too
                then = (f", then put the text of {protocol[0].name} back into {os.path.realpath(linked)} (where "
                        f"{linked.name}'s link points)")
            console.print(f"The project file it replaced is kept as {summary.kept}{what}. To go back to it: "
                          f"screener restore {shell_quote(project)} {shell_quote(summary.kept)}{then}",
                          highlight=False, soft_wrap=True, markup=False)
            if summary.another_review:
                console.print(f"Note: the backup holds another review than the one it replaced: none of its records' "
                              f"titles is among those of the file replaced. If you meant another backup, go back "
                              f"with the command{'s' * bool(then)} above.", highlight=False, soft_wrap=True,
                              markup=False)
        if summary.accounts_back:
            where = shell_quote(project)
            said = {"enabled": "{name}, disabled since the backup, can sign in again (to disable the account again: "
                               "screener user disable {where} {who})",
                    "disabled": "{name}, let back in since the backup, is disabled again (to let them back in: "
                                "screener user enable {where} {who})",
                    "password": "{name}'s password is the one before the backup again (to set the new one again: "
                                "screener user password {where} {who})",
                    "gone": "{name}, added since the backup, has no account (to add it again: screener user add "
                            "{where} {who})",
                    "gone owner": "{name}, the owner, added since the backup, has no account (to add it again: "
                                  "screener user add {where} {who} --role owner)"}
            console.print("Accounts are as they were in the backup: " + "; ".join(
                said[how].format(name=name, where=where, who=shell_quote(name)) for name, how in summary.accounts_back)
                + ".", highlight=False, soft_wrap=True, markup=False)
            if summary.no_accounts:
                console.print("The backup holds no account, so 'screener serve' asks no one to sign in until the "
                              "owner's account is added again (first, as above).", highlight=False, soft_wrap=True,
                              markup=False)
        if summary.sessions_ended:  # a session a new password or a disable since the backup ended stays ended
            console.print("Everyone signed in on the web before the restore signs in again, with the accounts as "
                          "they were in the backup.", highlight=False, soft_wrap=True, markup=False)
        from ..accounts import names_words

        stage_words = {"title_abstract": "at title and abstract", "full_text": "at full text"}
        for stage, by in summary.blinding_back:
            console.print(f"The blinding {stage_words.get(stage, stage)}, ended"
                          f"{f' by {by}' if by else ''} since the backup, holds again: each reviewer sees only their "
                          f"own decisions there (to end it again: the owner's 'End the blinding' on the Conflicts page "
                          f"of screener serve {shell_quote(project)}, or 'screener blinding {shell_quote(project)} "
                          f"--end --reviewer NAME{' --stage full_text' if stage == 'full_text' else ''}').",
                          highlight=False, soft_wrap=True, markup=False)
        for stage, ids, by in summary.resolutions_back:
            n = len(ids)
            shown = [str(i) for i in ids[:10]] + (["more"] if n > 10 else [])
            records = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
            console.print(f"The resolution{'s' * (n != 1)} of {n} conflict{'s' * (n != 1)} made since the backup "
                          f"(record{'s' * (n != 1)} {records} {stage_words.get(stage, stage)}, by "
                          f"{names_words(by)}) {'are' if n != 1 else 'is'} not in it: where the reviewers still "
                          f"disagree, resolve {'them' if n != 1 else 'it'} again on the Conflicts page of screener "
                          f"serve {shell_quote(project)}, or with 'screener conflicts {shell_quote(project)} "
                          "--reviewer NAME'.", highlight=False, soft_wrap=True, markup=False)
        if summary.dedup_back:
            n = len(summary.dedup_back)
            how = {"merge": "records {a} and {b} joined as one study", "separate": "records {a} and {b} kept apart",
                   "split": "record {a} taken out of the study of record {b}",
                   "unsplit": "record {a} put back with record {b}"}
            each = [how.get(d, "records {a} and {b}: " + d).format(a=a, b=b) + f" by {who}"
                    for d, a, b, who in summary.dedup_back[:5]] + ([f"{n - 5} more"] if n > 5 else [])
            console.print(f"{n} de-duplication decision{'s' * (n != 1)} made since the backup ({'; '.join(each)}) "
                          f"{'are' if n != 1 else 'is'} not in it: make {'them' if n != 1 else 'it'} again on the "
                          f"Possible duplicates page of screener serve {shell_quote(project)}, or with 'screener dedup "
                          f"{shell_quote(project)}' and --merge A,B, --keep-apart A,B or --split ID.",
                          highlight=False, soft_wrap=True, markup=False)
        if summary.files_put_back:
            names = [f"{f.name} (into {os.path.realpath(f)}, where its link points)" if f.is_symlink() else f.name
                     for f in summary.files_put_back]
            console.print(f"Put back with it from the backup: {', '.join(names)}.",
                          highlight=False, soft_wrap=True, markup=False)
        for replaced, kept in summary.files_kept:
            console.print(f"The protocol {replaced.name} it replaced, whose text differed, is kept as {kept.name}; "
                          f"to screen by it again: screener protocol {shell_quote(project)} {shell_quote(kept)}",
                          highlight=False, soft_wrap=True, markup=False)
        if summary.files_failed:
            names = ", ".join(name for name, _ in summary.files_failed)
            console.print(f"Not put back: {names}, held in the backup, could not be written into {project} "
                          f"({summary.files_failed[0][1]}); the project file is restored. Free some room there (or "
                          f"make the folder writable) and restore again: "
                          f"screener restore {shell_quote(project)} {shell_quote(summary.backup)}",
                          highlight=False, soft_wrap=True, markup=False)
        if summary.protocol_missing is not None:  # else 'screener next' stops at it, unsaid here
            name = summary.protocol_missing.name
            console.print(f"The review's protocol, {name}, is not in {project}: the backup holds the project file "
                          f"only. Copy the protocol kept with the backup there as {name}, or set it again (screener "
                          f"protocol {shell_quote(project)} "
                          "YOUR_PROTOCOL.toml); until then 'screener next' refuses to go on "
                          "without it.",
                          highlight=False, soft_wrap=True, markup=False)
        console.print(f"Next: screener status {shell_quote(project)}", highlight=False, soft_wrap=True, markup=False)

    @app.command("import")
    def import_(
        directory: Path = typer.Argument(..., help="The review project folder."),
        files: list[Path] = typer.Argument(..., help="Database exports: RIS, PubMed .nbib/.txt or XML, EndNote XML "
                                           "or .enw, BibTeX .bib, Web of Science .txt/.ciw, Cochrane Library .txt, "
                                           "EBSCOhost .txt, the WHO ICTRP's XML, CSV, TSV, XLSX, XLS."),
        fmt: Optional[str] = typer.Option(None, "--format", help="ris, medline, pubmed-xml, endnote-xml, enw, ebsco, "
                                          "bibtex, wos, cochrane, ictrp-xml, csv, tsv, xlsx or xls; guessed if left "
                                          "out."),
        encoding: Optional[str] = typer.Option(None, help="Text encoding, e.g. utf-8, utf-16, cp1252; detected if left out."),
        column: Optional[list[str]] = typer.Option(None, "--column", help="Column mapping for tables, e.g. --column title=\"Article Title\"."),
        source: Optional[str] = typer.Option(None, "--source", help="Name of the database the files came from (PRISMA counts every file of this import under it, "
                                             "whatever database their records name)."),
        sheet: Optional[str] = typer.Option(None, help="Sheet to read from a workbook with several sheets."),
        no_dedup: bool = typer.Option(False, "--no-dedup", help="Skip de-duplication after import."),
        allow_reimport: bool = typer.Option(False, help="Import a file even if the same file was imported before."),
    ):
        """Import database exports into the project (all files or none)."""
        checks.folder_first("import", directory, files)
        with Project.open(directory) as project:
            with console.status("Importing..."):
                summary = project.import_files(files, fmt=fmt, encoding=encoding, column_map=parse_column_map(column),
                                               source_db=source, sheet=sheet, dedup=not no_dedup,
                                               allow_reimport=allow_reimport)
            table = Table(title="Imported")
            # the decisions the file came with (a label_included or decision column): 'Labels' was ours
            for col in ("File", "Format", "Encoding", "Records", "Decisions"):
                table.add_column(col, justify="right" if col in ("Records", "Decisions") else "left")
            for f in summary.files:  # a workbook has no text encoding to check or to give with --encoding
                no_text = f["format"] in WORKBOOK_FORMATS
                table.add_row(escape(f["file"]), f["format"], "\u2013" if no_text else f["encoding"],
                              str(f["records"]), str(f["labels"]))
            console.print(table)
            for w in summary.warnings:  # a note quotes the file's column names and cells: '[JS]' is no markup
                console.print(f"[yellow]Note:[/] {escape(w)}", highlight=False)
            if not no_dedup:
                counts = project.prisma_counts()
                print_prisma(counts)
                print_duplicates_found(counts, directory)
                print_pairs_to_review(project, directory)

    @app.command()
    def dedup(
        directory: Path = typer.Argument(..., help="The review project folder."),
        report: bool = typer.Option(False, "--report", help="List every duplicate group and why it was grouped."),
        review: bool = typer.Option(False, "--review", help="List the pairs de-duplication was unsure about and kept apart."),
        split: Optional[list[int]] = typer.Option(None, "--split", help="Record id to take out of its duplicate group (repeatable)."),
        merge: Optional[list[str]] = typer.Option(None, "--merge", help="Two record ids that are one study, e.g. --merge 12,345 (repeatable)."),
        keep_apart: Optional[list[str]] = typer.Option(None, "--keep-apart", help="Two record ids that are different studies, e.g. --keep-apart 12,345."),
        reviewer: str = typer.Option("reviewer", help="Your name, logged with --merge and --keep-apart."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the group report (or, with --review, the pairs) to a CSV file."),
    ):
        """De-duplicate records across databases; show PRISMA identification counts."""
        from ..dedup import _and, dedup_report, format_dedup_report, merge_message
        from ..io.export import csv_safe_table

        if output is not None:
            checks.output_file("-o", output, "duplicates.csv")
            if output.suffix.lower() != ".csv":  # CSV text in a file named .xlsx: Excel refuses to open it
                raise InputError(f"{'the pairs to review are' if review else 'the duplicate groups are'} written as a "
                                 f"CSV table, which Excel opens; name the file {output.stem}.csv.", path=output)
        pairs = [(_pair(p, "--merge"), "merge") for p in merge or []]
        pairs += [(_pair(p, "--keep-apart"), "separate") for p in keep_apart or []]
        with Project.open(directory) as project:
            done = []  # said once the whole command is saved: a refused merge rolls every change back
            joined: list[str] = []  # studies joined that were decided differently (``Project.deduplicate``)
            with project.store.transaction():
                apart = project._dedup_decisions()[1] + [p for p, d in pairs if d == "separate"]
                if split:
                    groups_before = project.store.duplicate_groups_frame()
                    project.split_duplicates(split, reviewer=reviewer, notes=joined)
                    one = len(set(split)) == 1
                    # two records of one group: 'out of their duplicate groups ... those groups' read as two groups
                    gids = groups_before.set_index(groups_before["record_id"].astype("int64"))["group_id"]
                    n_groups = len({int(gids[r]) if r in gids.index else -r for r in map(int, split)})
                    group, those = ("group", "that group") if n_groups == 1 else ("groups", "those groups")
                    done.append(f"Took record {split[0]} out of its duplicate group: it is kept apart from the records "
                                "of that group from now on (copies of it in later imports still join it)." if one else
                                f"Took records {_and(sorted(set(map(int, split))))} out of their duplicate {group}: "
                                f"they are kept apart from the records of {those} from now on (copies of each in later "
                                "imports still join it).")
                    done += _decisions_taken_along(project, split, groups_before)
                for (a, b), decision in pairs:
                    # the groups before: after this command's earlier pairs
                    before, after = project.decide_duplicate_pair(a, b, decision, reviewer=reviewer, notes=joined,
                                                                  kept_apart=apart)
                    if decision == "separate":
                        done.append(f"Records {a} and {b}: different studies (logged){_studies_apart(after, a, b)}.")
                        done += _decisions_kept_apart(project, a, b, before)
                        continue
                    ids = sorted(set(_members(before, a) + _members(before, b)))
                    done.append(merge_message(before, after, a, b, records=project.store.records_frame(ids),
                                              splits=project.split_records()))
            if not split and not pairs:
                before = project.store.duplicate_groups_frame()
                with console.status(f"Looking for duplicates among {project.store.n_records():,} records..."):
                    after = project.deduplicate(notes=joined)
                done += _groups_parted(project, before, after, directory)
            for line in done:
                console.print(line, highlight=False, markup=False)
            for line in joined:
                console.print(f"[yellow]Note:[/] {escape(line[0].upper() + line[1:])}", highlight=False)
            if review:
                rev = project.duplicate_review()
                console.print(format_review(rev, directory), highlight=False, markup=False)
                if output is not None:
                    csv_safe_table(rev).to_csv(output, index=False, encoding="utf-8-sig")  # a BOM, for Excel
                    console.print(f"Wrote the pairs to review to {output}." if len(rev) else
                                  f"Wrote {output} with its column names only: no pair to review.",
                                  highlight=False, markup=False)
                return
            groups = project.store.duplicate_groups_frame()
            records = project.store.records_frame()
            rep = dedup_report(records, groups)
            if report:
                console.print(format_dedup_report(rep), highlight=False, markup=False)
            if output is not None:
                csv_safe_table(rep).to_csv(output, index=False, encoding="utf-8-sig")  # a BOM, for Excel
                console.print(f"Wrote the duplicate groups to {output}." if len(rep) else
                              f"Wrote {output} with its column names only: no duplicate group.",
                              highlight=False, markup=False)
            counts = project.prisma_counts()
            print_prisma(counts)
            if not counts["identified"]:  # a table of zeros read as a search that found no records
                from ..project import no_records_message

                console.print(no_records_message(directory), highlight=False, markup=False)
            print_pairs_to_review(project, directory)

    @app.command()
    def export(
        directory: Path = typer.Argument(..., help="The review project folder."),
        output: Path = typer.Option(..., "-o", "--output", help="File to write."),
        fmt: Optional[str] = typer.Option(None, "--format", help="csv, tsv, ris or xlsx (default: from the file "
                                          "name)."),
        only: Optional[str] = typer.Option(None, help="Export one set only: " + "; ".join(
            f"{k}: {v}" for k, v in EXPORT_SETS.items()) + ". Default: every record."),
        with_duplicates: bool = typer.Option(False, help="Also export the duplicate copies of each study."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Dual screening: this reviewer's own "
                                               "decisions and notes in place of the team's (as the web app exports "
                                               "them while screening is blind)."),
        team: bool = typer.Option(False, "--team", help=TEAM_HELP),
    ):
        """Export records with their screening decisions (for a reference manager or another tool)."""
        if reviewer is not None and team:
            raise InputError("--reviewer exports one reviewer's own decisions, --team the team's: give one or the "
                             "other.")
        checks.not_a_folder("-o", output, f"records.{(fmt or 'csv').lower()}")
        fmt = (fmt or output.suffix.lstrip(".")).lower()
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"cannot export to {fmt!r}.{did_you_mean(fmt, EXPORT_FORMATS)} "
                             "Choose --format csv, tsv, ris or xlsx.", path=output)
        checks.output_file("-o", output, f"records.{fmt}")
        # '-o /dev/stdout' (or a pipe): the records go there, so what is said of them goes to stderr
        say = err_console if output.exists() and not output.is_file() and not output.is_dir() else console
        with Project.open(directory) as project:
            project.refuse_over_an_import(output)
            if reviewer is not None:
                reviewer = _own_export_reviewer(project, directory, reviewer)
            elif not team:
                refuse_blind_team_view(project, directory, "export", "exports their own decisions",
                                       "exports the team's", f" -o {shell_quote(output)}")
            cut: list[str] = []
            with say.status(f"Writing {output.name}..."):
                existed = output.exists()
                n = project.export(output, fmt, only=only, include_duplicates=with_duplicates, warnings=cut,
                                   skip_empty=True, reviewer=reviewer)
                # the maybes go on to full text too (the PRISMA flow counts them there): a team
                # fetching the full texts from the includes alone never assessed them
                maybe = len(project.export_frame(only="maybe", reviewer=reviewer)) if only == "included" else 0
                # the words below count the team's decisions: none of them beside one reviewer's own
                team_words = reviewer is None
                # the final includes while full texts are still open: they may be more than this
                pending = _full_texts_open(project.prisma_counts()) if only == "final" and team_words else ""
                # the rest excluded unread at the stop: 'exclude' in the file, not screened in PRISMA
                unread = _excluded_unread(project.prisma_counts(), only, with_duplicates) \
                    if only in (None, "excluded") and team_words else ""
                awaiting = _awaiting_agreement(project, only, directory) if only != "final" and team_words else ""
                # with the copies, the file's records are not the studies the words below count
                studies = len(project.export_frame(only=only, reviewer=reviewer)) if with_duplicates else n
        if not n:
            say.print(_nothing_written(only, output, existed), markup=False, highlight=False)
        else:
            say.print(f"Wrote {n} record{'' if n == 1 else 's'} to {output}"
                      + (f": {studies} stud{'y' if studies == 1 else 'ies'} and {n - studies} duplicate "
                         f"cop{'y' if n - studies == 1 else 'ies'} of them." if studies != n else "."), markup=False)
        for warning in cut:
            say.print(f"[yellow]Note:[/] {escape(output.name)}: {escape(warning)}", highlight=False)
        if awaiting:
            say.print(awaiting, highlight=False, markup=False)
        if unread:
            say.print(unread, highlight=False, markup=False)
        if pending:
            say.print(f"Not decided at full text yet, so not in this file: {pending}.", highlight=False, markup=False)
        if maybe:
            say.print(_maybes_not_exported(maybe, written=bool(n)), markup=False)


def _own_export_reviewer(project, directory, reviewer: str) -> str:
    """'export --reviewer NAME': the name as the decision log holds it; dual screening only."""
    from ..accounts import reviewer_name

    if project.settings.get("mode") != "dual":
        raise InputError(f"--reviewer {reviewer}: this review is not screened in dual mode, so every decision is the "
                         f"team's; leave --reviewer out ('screener export {shell_quote(directory)} -o FILE').")
    return reviewer_name(project, reviewer, decides=False)  # a disabled reviewer's count still


def _maybes_not_exported(maybe: int, *, written: bool) -> str:
    """What 'export --only included' says of the maybes, which go on to full text too: not in the file
    written, or (no includes, so no file) to be exported on their own."""
    them, s = ("them", "s") if maybe > 1 else ("it", "")
    if not written:
        return (f"{maybe} record{s} marked maybe at title and abstract go{'es' if maybe == 1 else ''} on to full "
                f"text: export {them} with --only maybe.")
    return (f"{maybe} record{s} marked maybe at title and abstract also go{'es' if maybe == 1 else ''} on to full "
            f"text and {'are' if maybe > 1 else 'is'} not in this file: export {them} with --only maybe.")


#: 'export' of a set with no records, by --only: why nothing was written
EMPTY_SET_WORDS = {
    None: "The project holds no records yet",
    "included": "No records are included at title and abstract yet",
    "excluded": "No records are excluded at title and abstract yet",
    "maybe": "No records are marked maybe at title and abstract",
    "unscreened": "No records are left unscreened (every record has a title/abstract decision)",
    "final": "No studies are included at full text yet",
}


def _nothing_written(only: str | None, output: Path, existed: bool) -> str:
    """No records in the set: no file of column names only, and a file already there is no export of now."""
    said = EMPTY_SET_WORDS.get(only, "No records are in this set") + ", so nothing was written"
    if not existed:
        return f"{said}: {output} was not made."
    if output.is_file():
        return f"{said}: the file {output} already there was left as it was (it is not an export of this set now)."
    return f"{said} to {output}."


def _awaiting_agreement(project, only: str | None, directory: Path) -> str:
    """Dual screening: the records one reviewer has screened, or the two disagree on, have no
    title/abstract decision yet, so the export leaves them blank (or out of a set, or among the
    'unscreened'), in words ('' when none). A conflict one reviewer included, left out of the
    includes without a word, never reached full text."""
    import numpy as np

    from ..status import dual_waiting, team_size

    pending = dual_waiting(project)  # not the records one reviewer excluded unread at her stop: still to screen
    if pending is None or not (len(pending[0]) or len(pending[1])):
        return ""
    conflicts, one = len(pending[0]), len(pending[1])
    ids = np.concatenate(pending)
    votes = project.reviewer_decisions()
    votes = votes[votes["group_record_id"].isin(ids) & votes["decision"].isin(["include", "maybe"])]
    passed = int(votes["group_record_id"].nunique())
    k = conflicts + one
    parts = ([f"{conflicts} conflict{'' if conflicts == 1 else 's'}"] if conflicts else []) + (
        [f"{one} screened by one reviewer so far"] if one else [])
    # a team of three: each record needs two decisions, any reviewer's ('the two reviewers' named nobody)
    many = team_size(project) > 2
    what = (f"{k} record{' awaits' if k == 1 else 's await'} the {'' if many else 'two '}reviewers' agreement "
            f"({', '.join(parts)}; {passed} included or marked maybe by a reviewer)")
    where = {None: f"{'its' if k == 1 else 'their'} decision is blank in this file",
             "unscreened": f"{'it is' if k == 1 else 'they are'} in this file, though screened"}.get(
        only, f"{'it is' if k == 1 else 'they are'} not in this file, whatever "
              f"{'it becomes' if k == 1 else 'they become'}")
    serve = f"'screener serve {shell_quote(directory)}'"
    # in a team of three there is no 'second reviewer' to name: another one screens it, as 'status' says
    who = "the second reviewer" if team_size(project) <= 2 else "another reviewer"
    todo = ([f"settle the conflicts on the Conflicts page of {serve}"] if conflicts else []) + (
        [f"have {who} screen {'the others' if conflicts else 'it' if one == 1 else 'them'}"] if one else [])
    return f"{what}: {where}. To give {'it' if k == 1 else 'them'} a decision, {' and '.join(todo)}, then export again."


def _excluded_unread(c: dict, only: str | None, copies: bool = False) -> str:
    """The records excluded unread when screening stopped, among the exclusions of an export, in
    words ('' when none): the file gives them 'exclude' like the records screened and excluded,
    and its count of them was not PRISMA's records excluded. ``copies``: the file holds the
    studies' duplicate copies too, and these counts are studies."""
    from ..status import REST_WORDS

    k = c.get("excluded_unscreened", 0)
    if not k:
        return ""
    among = ("the studies in this file" if only == "excluded" else "the studies excluded in this file") if copies \
        else ("them" if only == "excluded" else "the records excluded in this file")
    return (f"{k} of {among} "
            f"{'was' if k == 1 else 'were'} {REST_WORDS}: PRISMA counts {'it' if k == 1 else 'them'} as not "
            f"screened, and its records excluded ({c['excluded']}) are the others.")


def _full_texts_open(c: dict) -> str:
    """The studies that may still become final includes, in words ('' when none)."""
    parts = [(c.get("full_text_maybe", 0), "still undecided (maybe)", "still undecided (maybe)"),
             (c.get("full_text_awaiting", 0), "awaits the two reviewers' agreement",
              "await the two reviewers' agreement"),
             (c.get("full_text_not_assessed", 0), "passed on at title and abstract is not assessed yet",
              "passed on at title and abstract are not assessed yet")]
    return "; ".join(f"{k} {'full text' if k == 1 else 'full texts'} {one if k == 1 else many}"
                     for k, one, many in parts if k)


def _studies_apart(groups, a: int, b: int) -> str:
    """What "different studies" on records ``a`` and ``b`` says of their copies (their other copies are not listed
    with each other again), naming each study's records in ``groups``, those the command leaves (the groups before
    a keep-apart that undoes a merge hold the two as one study): '' where each is a study's only record."""
    from ..dedup import _and

    sides = [_members(groups, r) for r in (a, b)]
    if all(len(s) == 1 for s in sides):
        return ""
    one, other = (f"record{'s' if len(s) > 1 else ''} {_and(s)}" for s in sides)
    return f", every copy of each: {one} {'are' if len(sides[0]) > 1 else 'is'} one study, {other} the other"


def _members(groups, record_id: int) -> list[int]:
    from ..dedup import group_members

    return group_members(groups, record_id)


_STAGE_WORDS = {"title_abstract": "title/abstract", "full_text": "full text"}


def _decisions_kept_apart(project, a: int, b: int, before) -> list[str]:
    """What a keep-apart says of the decisions on the group it parts, as a split does
    (``_decisions_taken_along``): a part with no decision of its own is a study not screened yet
    (the count of records to screen grew by one without a word), and the decisions made on the
    records parted from the group's first record go with them."""
    former = _members(before, a)
    if b not in former:
        return []
    return _parted_decisions(project, before, former)


def _parted_decisions(project, before, former: list[int], after=None, full=None) -> list[str]:
    """``_decisions_kept_apart`` of the group ``former`` (its records in ``before``), parted in the
    groups as they are now (``after``; ``full``: the decision log, when read already)."""
    after = project.store.duplicate_groups_frame() if after is None else after
    full = project.decision_log() if full is None else full
    decided = _decided_records(full) & set(former)
    primary = before.loc[before["record_id"].isin(former) & before["is_primary"].astype(bool), "record_id"]
    first = int(primary.iloc[0]) if len(primary) else former[0]
    parts = sorted({tuple(_members(after, r)) for r in former}, key=lambda part: (first not in part, part))
    out = []
    for part in parts if decided else []:
        if decided & set(part):
            continue
        one, on = len(part) == 1, sorted(decided)
        its = "its" if one else "their"
        out.append(f"Record{'' if one else 's'} {', '.join(map(str, part))} {'has' if one else 'have'} no decision "
                   f"of {its} own ({its} former group's was made on record{'s' if len(on) > 1 else ''} "
                   f"{', '.join(map(str, on))}): as a study of {its} own {'it is' if one else 'they are'} not "
                   "screened yet, and 'screener next' will offer it.")
    moved = [r for part in parts[1:] for r in part if r in decided]
    return out + _decisions_taken_along(project, moved)


def _groups_parted(project, before, after, directory) -> list[str]:
    """What a de-duplication run says of the decided studies it parted (its rules changed with an
    update of screener, as when a conference abstract stopped joining its article): a record with
    no decision of its own is a study not screened yet, and the count of records to screen grew
    with no word of why (``_parted_decisions``)."""
    if before.empty or after is None or after.empty:
        return []
    now = before[["record_id", "group_id"]].merge(after[["record_id", "group_id"]], on="record_id",
                                                  suffixes=("", "_now"))
    parted = now.groupby("group_id")["group_id_now"].nunique()
    parted = parted.index[parted > 1]
    if not len(parted):
        return []
    full = project.decision_log()
    decided = _decided_records(full)
    out = []
    for gid in parted:
        former = sorted(int(r) for r in now.loc[now["group_id"] == gid, "record_id"])
        if not decided & set(former):
            continue  # no decision was on the study: the records to screen say so
        lines = _parted_decisions(project, before, former, after, full)
        if lines:
            ids = ", ".join(map(str, former))
            # the studies the group is parted into: in a group of three or more, two records may still be one
            # ("--merge 2,3" named two records still one study, and record 4 stayed apart)
            parts = sorted({tuple(sorted(set(_members(after, r)) & set(former))) for r in former})
            what = "different studies" if len(former) == 2 else f"{len(parts)} different studies (" + "; ".join(
                f"record{'' if len(part) == 1 else 's'} {', '.join(map(str, part))}" for part in parts) + ")"
            merges = " ".join(f"--merge {parts[0][0]},{part[0]}" for part in parts[1:])
            out.append(f"De-duplication now takes records {ids}, one study until this run, as {what} "
                       f"(de-duplication has changed since they were grouped); if they are one study, merge them "
                       f"again: screener dedup {shell_quote(directory)} {merges}.")
            out += lines
    return out


def _decided_records(full: pd.DataFrame) -> set[int]:
    """The records with a decision standing on them (each reviewer's latest at each stage, not withdrawn). A
    record whose only decision was withdrawn ('undo') is not screened: counted as decided, a copy taken out of
    its group after its decision was undone got no word that it is now a study not screened yet (the records
    to screen grew by one), and "its former group's was made on record 1" was said of a withdrawn decision."""
    if full.empty:
        return set()
    last = full.sort_values("decision_id").groupby(["record_id", "stage", "reviewer", "role"], sort=False).tail(1)
    return set(last.loc[last["decision"] != "retract", "record_id"].astype(int))


def _decisions_taken_along(project, split, groups_before=None) -> list[str]:
    """What a split says of the decisions logged on the records taken out: they go with those
    records, no longer with the study they were grouped in (a decision matched by title or DOI
    to one copy of a study moved with it without a word). A record taken out of a decided study
    with no decision of its own is a study not screened yet: said too (the team's count of records
    to screen grows by one)."""
    full = project.decision_log()
    log = full[full["record_id"].isin([int(i) for i in split])]
    out = []
    if groups_before is not None:
        decided = _decided_records(full)
        for rid in (int(i) for i in split):
            if rid in decided:
                continue
            on = sorted(m for m in _members(groups_before, rid) if m != rid and m in decided)
            if on:
                out.append(f"Record {rid} has no decision of its own (its former group's was made on record"
                           f"{'s' if len(on) > 1 else ''} {', '.join(map(str, on))}): as a study of its own it is "
                           "not screened yet, and 'screener next' will offer it.")
    for rid, g in log.groupby("record_id"):
        last = g.groupby(["stage", "reviewer"]).tail(1)
        said = sorted({f"{_STAGE_WORDS.get(st, st)}: {d}"
                       for st, d in zip(last["stage"], last["decision"]) if d != "retract"})
        if said:
            out.append(f"Record {rid} keeps the decisions made on it ({'; '.join(said)}): they are now its own, no "
                       "longer its former group's. If they were meant for that study, enter them again on its record "
                       "('screener label').")
    return out


def _pair(text: str, option: str) -> tuple[int, int]:
    parts = [p for p in str(text).replace(" ", ",").split(",") if p]
    try:
        a, b = (int(p) for p in parts)
    except ValueError:
        raise InputError(f"{option} takes two record ids joined by a comma, such as {option} 12,345; got {text!r}.") from None
    return a, b


def print_pairs_to_review(project, directory, n_review: int | None = None) -> None:
    """Say how many pairs de-duplication kept apart but listed, and the command that shows them."""
    if n_review is None:
        n_review = project.n_duplicate_pairs()
    if n_review:
        pairs = "1 pair of records may be duplicates but was kept apart; check it" if n_review == 1 else \
            f"{n_review} pairs of records may be duplicates but were kept apart; check them"
        console.print(f"{pairs} with: screener dedup {shell_quote(directory)} --review", markup=False)


def format_review(rev, directory=None) -> str:
    """The uncertain pairs as plain text, the two records under each other; the commands that decide them name
    ``directory`` (the review folder as given)."""
    if rev.empty:
        return ("No pairs of possible duplicates left to decide: each was grouped as one study, told apart by "
                "de-duplication, or decided by a reviewer (--merge or --keep-apart).")
    cmd = f"screener dedup {shell_quote(directory)} " if directory is not None else ""
    if len(rev) == 1:
        ids = f"{rev['record_id'].iloc[0]},{rev['other_id'].iloc[0]}"
        lines = [f"1 pair of records may be the same study but was kept apart. Decide it with '{cmd}--merge {ids}' "
                 f"(one study) or '{cmd}--keep-apart {ids}' (different studies)."]
    else:
        lines = [f"{len(rev)} pairs of records may be the same study but were kept apart. Decide each with "
                 f"'{cmd}--merge A,B' (one study) or '{cmd}--keep-apart A,B' (different studies), A and B the "
                 "pair's record ids."]

    def show(v):
        return "" if v is None or (isinstance(v, float) and v != v) else str(v)

    def authors(r, side):
        """The first three authors, then how many more: a pair listed for its authors is judged on them."""
        names = [a for a in show(r.get(side + "authors")).split("; ") if a] or [show(r[side + "first_author"])]
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        return "; ".join(n for n in names[:3] if n) + more

    for r in rev.to_dict("records"):
        lines.append("")
        lines.append(f"Records {r['record_id']} and {r['other_id']}: {r['reason']}")
        for side, rid in (("", r["record_id"]), ("other_", r["other_id"])):
            where = ", ".join(x for x in (show(r[side + "journal"]), show(r[side + "year"]),
                                          ("vol. " + show(r[side + "volume"])) if show(r[side + "volume"]) else "",
                                          ("no. " + show(r[side + "issue"])) if show(r[side + "issue"]) else "",
                                          ("p. " + show(r[side + "pages"])) if show(r[side + "pages"]) else "",
                                          ("doi " + show(r.get(side + "doi"))) if show(r.get(side + "doi")) else "")
                              if x)
            # the whole title: the word that makes two works of a pair is often its last (the ACTIVE-2 trial)
            author = authors(r, side)
            lines.append(f"  record {rid} [{show(r[side + 'source_db'])}] {author + ': ' if author else ''}"
                         f"{show(r[side + 'title']) or '(no title)'}")
            if where:
                lines.append(f"      {where}")
            copies = int(r.get(side + "copies") or 1)
            if copies > 1:  # one decision on the pair decides the study's every copy
                lines.append(f"      record {rid} is one of {copies} copies of its study (records "
                             f"{r[side + 'copy_ids']}): the decision is for them all")
    return "\n".join(lines)
