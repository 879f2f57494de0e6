"""``screener demo`` (the sample review end to end) and ``screener report`` (the HTML report)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import ScreenerError

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        directory: Path = typer.Argument(Path("screener-demo"), help="Folder for the demo project (made if absent; "
                                         "an existing folder is used only if an earlier demo made it)."),
        batch_size: int = typer.Option(25, "--batch-size", help="Records the simulated reviewer screens between "
                                       "recall estimates."),
        max_batches: Optional[int] = typer.Option(None, "--max-batches", help="Stop after this many batches even "
                                                  "if the stopping rule has not said stop."),
    ):
        """Try screener on ILLUSTRATIVE SAMPLE DATA: import, de-duplicate, screen, stop, report."""
        from ..demo import run_demo

        run_demo(directory, batch_size=batch_size, max_batches=max_batches, console=console)

    @app.command()
    def report(
        directory: Path = typer.Argument(..., help="The review project folder."),
        output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
        team: bool = typer.Option(False, "--team", help="Dual screening while it is blind: write the team's "
                                  "report, as the review's owner (who does not screen) may."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Dual screening: the report for this "
                                               "reviewer. While screening is blind it gives the team's figures to no "
                                               "reviewer still screening, so it writes nothing and says what gives "
                                               "her own ('status --reviewer', 'export --reviewer'); once the blinding "
                                               "is over, the team's report."),
        previous_studies: Optional[int] = typer.Option(
            None, "--previous-studies", help="This review updates an earlier one: the studies its previous version "
            "included. Kept in the project: this report and later ones draw PRISMA 2020's flow for updated reviews "
            "(previous studies, new studies, total). Every record in the project counts as new: keep the update's "
            "searches in a project of their own."),
        previous_reports: Optional[int] = typer.Option(
            None, "--previous-reports", help="With --previous-studies (or alone, once given): the reports of the "
            "studies the previous version included, if you know it."),
        new_review: bool = typer.Option(False, "--new-review", help="Take the previous version's counts out: the "
                                        "review is reported as a new one again."),
    ):
        """Write a self-contained HTML report: PRISMA numbers, recall curve, settings, methods text."""
        from ..project import Project
        from ..report import write_report
        from . import checks
        from ..shell import shell_quote
        from .status_cmds import refuse_blind_team_view

        checks.output_file("-o", output, "report.html")
        if output.suffix.lower() not in (".html", ".htm"):  # an HTML page under another name opens as nothing
            raise ScreenerError(f"{output}: the report is a web page (HTML); name the file {output.stem}.html. For a "
                                "PDF, open the report in a browser and print it to PDF.")
        if new_review and (previous_studies is not None or previous_reports is not None):
            option = "--previous-studies" if previous_studies is not None else "--previous-reports"
            raise ScreenerError(f"--new-review takes the previous version's counts out, {option} sets them: give "
                                "one or the other.")
        if previous_studies is not None:
            from ..project import check_previous_version

            check_previous_version(previous_studies, previous_reports)
        if reviewer is not None and team:
            raise ScreenerError("--reviewer writes the report a reviewer may read, --team the team's while screening "
                                "is blind: give one or the other.")
        with Project.open(directory) as project:
            if reviewer is not None:
                from ..accounts import reviewer_name
                from .status_cmds import refuse_blind_own_report

                if project.settings.get("mode") != "dual":
                    raise ScreenerError(f"--reviewer {reviewer}: this review is not screened in dual mode, so every "
                                        "decision is the team's; leave --reviewer out ('screener report "
                                        f"{shell_quote(directory)} -o {shell_quote(output)}').")
                refuse_blind_own_report(project, directory, reviewer_name(project, reviewer, decides=False))
            elif not team:  # the team's decisions, agreement and recall: the web app refuses it a reviewer too
                refuse_blind_team_view(project, directory, "report", team="writes the team's",
                                       extra=f" -o {shell_quote(output)}", own_command="status")
            _set_previous_version(project, previous_studies, previous_reports, new_review)
            with console.status("Estimating recall and drawing the curve..."):
                path = write_report(project, output)
        console.print(f"Wrote the report to [bold]{escape(str(path))}[/]; open it in a browser.", highlight=False)


def _set_previous_version(project, studies: int | None, reports: int | None, new_review: bool) -> None:
    """Store (or take out) the previous version's counts 'report' was given, and say what the report now draws."""
    if new_review:
        had = project.clear_previous_version()
        console.print("The review is no longer recorded as an update: the PRISMA flow is that of a new review."
                      if had else "The review was not recorded as an update; nothing was changed.",
                      highlight=False, markup=False)
        return
    if studies is None and reports is None:
        return
    before = project.previous_version()
    v = project.set_previous_version(studies, reports)
    of = "" if v["reports"] is None else f" ({v['reports']} report{'' if v['reports'] == 1 else 's'} of them)"
    # new studies alone take the reports given before out (they were those of the studies given then): said
    gone = before["reports"] if before is not None and before["reports"] is not None and v["reports"] is None else None
    console.print(f"This review is recorded as an update of a previous version, which included {v['studies']} "
                  f"stud{'y' if v['studies'] == 1 else 'ies'}{of}. The PRISMA flow is PRISMA 2020's for updated "
                  "reviews, in this report and later ones ('--new-review' takes it out)."
                  + ("" if gone is None else f" The {gone} report{'' if gone == 1 else 's'} given before for the "
                     f"previous version {'is' if gone == 1 else 'are'} taken out with its studies: give "
                     f"{'it' if gone == 1 else 'them'} again with --previous-reports if still right."),
                  highlight=False, markup=False)
