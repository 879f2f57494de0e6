"""Commands that replay a finished review: ``simulate`` (a labelled dataset) and ``evaluate``
(a search's records against the review's final includes)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console


console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


#: --model and --priors of 'simulate' and 'evaluate' (the names are screener.simulate.CONFIGS and the rankers).
MODEL_HELP = ("Which ranking to replay: 'default' (screener's recommended one, as 'screener next' ranks), "
              "'lexical' (the same on the words alone, as with --embedding-model none), or another ranking "
              "model's name to compare; a wrong name lists them all.")
EMBEDDING_HELP = ("The language model the replay reads the records with, as for 'screener next': 'default' "
                  "(all-MiniLM-L6-v2, installed with screener), the folder of another sentence-transformers model, "
                  "or 'none' to rank on the words alone (with the default --model, the same as --model lexical).")
TARGET_HELP = ("The recall each stopping method's stop is judged against, as a proportion: 0.95 for 95% of the "
               "includes (a rapid review may aim at 0.9 or 0.8), as 'screener status --target-recall' takes it.")
PRIORS_HELP = ("The prior records, the decisions the replay knows at the start: INCLUDES,EXCLUDES picked at random "
               "(1,1: one include and one exclude), or 0 to start from the review question alone.")


def register(app: typer.Typer) -> None:
    @app.command()
    def simulate(
        dataset: Path = typer.Argument(..., help="Labelled dataset: CSV with record_id, title, abstract, "
                                                  "label_included, or an export with include/exclude decisions."),
        model: str = typer.Option("default", "--model", "-m", help=MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model", help=EMBEDDING_HELP),
        seed: str = typer.Option("1", "--seed", "--seeds", help="Seed: picks the prior records (--priors) and breaks "
                                 "ties; same seed, same result. Several (1-5 or 1,2,3) replay once each and report "
                                 "the mean and range."),
        priors: str = typer.Option("1,1", help=PRIORS_HELP),
        question: Optional[str] = typer.Option(None, help="The review question (needed with --priors 0)."),
        protocol: Optional[Path] = typer.Option(None, help="Protocol file (TOML, YAML or plain text) instead of "
                                                            "--question."),
        out: Optional[Path] = typer.Option(None, help="Save the screening order and estimates (.npz; with several seeds, "
                                                        "one file per seed, NAME-seedN.npz)."),
        plot: Optional[Path] = typer.Option(None, help="Save the recall curve as a PNG."),
        no_stopping: bool = typer.Option(False, "--no-stopping", help="Do not work out where each stopping method "
                                                                        "would have stopped (faster)."),
        target_recall: float = typer.Option(0.95, "--target-recall", help=TARGET_HELP),
        column: Optional[list[str]] = typer.Option(None, "--column", help="Which column of a table holds a field, "
                                                   "as for an import. --column label=NAME: the decisions to "
                                                   "simulate against, e.g. label=decision for the title/abstract "
                                                   "decisions of a project's export (its final includes, "
                                                   "full_text_decision, are the default)."),
    ):
        """Replay a finished review: records saved, and where each stopping method would stop."""
        from ..simulate import simulate_cli
        from . import checks
        from .project_cmds import parse_column_map

        checks.embedding_model(embedding_model)
        checks.share("--target-recall", target_recall, "the recall to judge the stops against")
        _, report = simulate_cli(dataset, model=model, seed=seed, priors=priors, question=question,
                                 protocol=protocol, out=out, plot=plot, stopping=not no_stopping,
                                 column_map=parse_column_map(column), embedding_model=embedding_model,
                                 target_recall=target_recall)
        console.print(report, highlight=False, soft_wrap=True, markup=False, emoji=False)

    @app.command()
    def evaluate(
        sources: list[Path] = typer.Argument(..., help="A review project folder, or the search's export files."),
        final_includes: Path = typer.Option(..., "--final-includes", "-f",
                                            help="The review's final includes: an export of them (RIS, CSV, "
                                            "...), a list of one DOI, PMID or title a line, or an export of the whole "
                                            "review with its decisions (the records included at full text are "
                                            "taken, else those marked include)."),
        model: str = typer.Option("default", "--model", "-m", help=MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model", help=EMBEDDING_HELP),
        seeds: str = typer.Option("1,2,3,4,5", help="Seeds to simulate, e.g. 1,2,3 or 1-5."),
        question: Optional[str] = typer.Option(None, help="Review question, for a cold start with --priors 0."),
        priors: str = typer.Option("1,1", help=PRIORS_HELP),
        target_recall: Optional[float] = typer.Option(None, "--target-recall", help=TARGET_HELP + " Default: a "
                                                      "project's own, set by 'screener init --target-recall'; 0.95 "
                                                      "unless given there, or for export files."),
        report: Optional[Path] = typer.Option(None, help="Write the report as Markdown to this file."),
        plot: Optional[Path] = typer.Option(None, help="Save the recall curve of the final includes as a PNG "
                                                       "(one curve per seed, with each stopping method's stop)."),
        column: Optional[list[str]] = typer.Option(None, "--column", help="Which column of a search file given as a "
                                                   "table holds a field, e.g. --column title=\"Article Title\"."),
        team: bool = typer.Option(False, "--team", help="Dual screening while it is blind: check the team's own "
                                  "screening against the final includes too, as the review's owner (who does not "
                                  "screen) may; without it, that part is left out until the blinding ends."),
    ):
        """Check against a review's final includes: when each was found, work saved, stopping points."""
        from ..evaluate import evaluate_cli
        from . import checks
        from .project_cmds import parse_column_map

        checks.embedding_model(embedding_model)
        checks.share("--target-recall", target_recall, "the recall to judge the stops against")
        text = evaluate_cli(sources, final_includes, model=model, seeds=seeds, question=question,
                            priors=priors, report=report, column_map=parse_column_map(column),
                            embedding_model=embedding_model, plot=plot, team=team, target_recall=target_recall)
        console.print(text, highlight=False, soft_wrap=True, markup=False, emoji=False)
