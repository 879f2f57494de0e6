"""``screener demo``: a whole review in two minutes, on ILLUSTRATIVE SAMPLE DATA.

It makes a project from the built-in sample review (three invented database exports on the
peer-work question, ``data/sample_review/``), imports and de-duplicates them, starts cold from
the peer-work protocol, and then plays a reviewer who screens in batches, answering from the
sample's ``labels.csv``. After each batch it prints the includes found and the recall estimate;
it stops when the recommended stopping rule says so and writes the recall plot and the report.
Everything goes through the same API a real review uses (``Project``, ``ScreeningSession``,
``screener.stopping``, ``screener.report``), so the demo is also an end-to-end check.

Features: TF-IDF plus the protocol's lexical (BM25) match, no sentence embeddings, so the demo
needs no model and runs in well under two minutes on a laptop.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ScreenerError
from .records import counted, normalise_doi, normalise_title

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample_review"
PROTOCOL = REPO / "data" / "peer_work" / "protocol.toml"
SAMPLE_FILES = ("medline_sample.ris", "psycinfo_sample.ris", "scopus_sample.ris")
LABELS_FILE = "labels.csv"
MARKER = ".screener-demo"
SAMPLE_NOTICE = "ILLUSTRATIVE SAMPLE DATA, NOT A REAL SEARCH"
DEFAULT_DIR = Path("screener-demo")
#: What to run on one's own exports, printed at the end of the demo (each names a real command).
NEXT_STEPS = (
    "screener init my-review --protocol my_protocol.toml",
    "screener import my-review medline.ris psycinfo.ris scopus.ris",
    "screener dedup my-review --report",
    "screener screen my-review        # or in a browser: screener serve my-review",
    "screener status my-review",
    "screener report my-review -o report.html",
)
#: Files the demo writes; only these are removed when a demo folder is made again.
DEMO_OUTPUTS = ("screener.sqlite", "screener.sqlite-wal", "screener.sqlite-shm", "report.html", "recall_curve.png",
                MARKER)


@dataclass
class BatchRow:
    """What the demo printed after one batch."""

    batch: int
    screened: int
    includes_found: int
    recall: float
    recall_low: float
    recall_high: float
    method: str
    stop: bool


@dataclass
class DemoResult:
    directory: Path
    prisma: dict
    includes_in_sample: int
    batches: list[BatchRow] = field(default_factory=list)
    screened: int = 0
    includes_found: int = 0
    stopped: bool = False
    advice: str = ""
    plot_path: Path | None = None
    report_path: Path | None = None
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------
def sample_paths() -> tuple[list[Path], Path, Path]:
    """The three exports, labels.csv and the protocol; a clear error when the checkout lacks them."""
    files = [SAMPLE_DIR / f for f in SAMPLE_FILES]
    labels = SAMPLE_DIR / LABELS_FILE
    missing = [p for p in [*files, labels, PROTOCOL] if not p.is_file()]
    if missing:
        raise ScreenerError(
            "the sample review is not where screener expects it: missing "
            + ", ".join(str(p) for p in missing)
            + ". The demo runs from a source checkout of screener; rewrite the sample with "
              "'python data/sample_review/make_sample.py'.")
    return files, labels, PROTOCOL


def prepare_directory(directory: Path) -> None:
    """Refuse a folder that holds anything but an earlier demo; clear an earlier demo's files."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ScreenerError(f"{directory} is a file; give the demo a folder name (default: ./screener-demo).")
    if directory.is_dir() and any(directory.iterdir()):
        if not (directory / MARKER).is_file():
            raise ScreenerError(
                f"{directory} already exists and is not a screener demo folder; the demo will not write into it. "
                "Give another folder, e.g. 'screener demo ./screener-demo2'.")
        for name in DEMO_OUTPUTS:
            p = directory / name
            if p.is_file():
                p.unlink()
    directory.mkdir(parents=True, exist_ok=True)


def read_sample_labels(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, r in enumerate(rows, 2):
        if r.get("label") not in ("include", "exclude"):
            raise ScreenerError(f"{path}, line {i}: label must be include or exclude, not {r.get('label')!r}.")
    return rows


def sample_decisions(project, labels_path: Path) -> dict[int, str]:
    """The sample's answer for every study in the project: primary record id -> include/exclude.

    Each copy of a study is matched by DOI, else by title and year; a study whose copies disagree,
    or a record that matches nothing, is an error (the sample and the import are out of step).
    """
    rows = read_sample_labels(labels_path)
    by_doi = {normalise_doi(r["doi"]): r["label"] for r in rows if r["doi"]}
    by_title = {(normalise_title(r["title"]), int(r["year"])): r["label"] for r in rows}
    records = project.records_frame(primary_only=False)
    primary_of = records[records["is_primary"]].reset_index().set_index("group_id")["record_id"].to_dict()
    out: dict[int, str] = {}
    for rid, doi, title, year, gid, src, line in zip(records.index, records["doi"], records["title"],
                                                     records["year"], records["group_id"], records["source_db"],
                                                     records["source_line"]):
        ndoi = normalise_doi(doi) if isinstance(doi, str) else None
        label = by_doi.get(ndoi) if ndoi else None
        if label is None:
            label = by_title.get((normalise_title(title if isinstance(title, str) else None),
                                  None if year is None or year is pd.NA else int(year)))
        if label is None:
            raise ScreenerError(f"record {rid} ({src}, line {line}) is not in {labels_path}; "
                                "the sample files are out of step: rewrite them with make_sample.py.")
        primary = int(primary_of[gid])
        if out.get(primary, label) != label:
            raise ScreenerError(f"records in duplicate group {gid} have different labels in {labels_path}.")
        out[primary] = label
    return out


# ---------------------------------------------------------------------------------------------
def run_demo(directory=DEFAULT_DIR, *, batch_size: int = 25, max_batches: int | None = None, console=None,
             reviewer: str = "demo reviewer", seed: int = 0) -> DemoResult:
    """Run the whole sample review in ``directory``; returns what was printed, as numbers."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .project import Project
    from .report import StoppingSummary, recall_curve_png, prisma_numbers, summarise_stopping, write_report
    from .report.figures import save_png
    from .screening import ScreeningSession

    if batch_size < 1:
        raise ScreenerError(f"--batch-size must be 1 or more, not {batch_size}.")
    if max_batches is not None and max_batches < 1:
        raise ScreenerError(f"--max-batches must be 1 or more, not {max_batches}.")
    console = console or Console(emoji=False)
    t0 = time.perf_counter()
    directory = Path(directory)
    files, labels_path, protocol = sample_paths()
    prepare_directory(directory)

    console.rule(f"[bold]screener demo[/] \u2013 [yellow]{SAMPLE_NOTICE}[/]")
    console.print("A made-up review on the peer-work question: qualitative studies of peer workers with lived "
                  "experience of drug use inside drug services that are not peer-led. The records, authors and "
                  "DOIs are invented; a simulated reviewer answers from the sample's labels.", highlight=False)

    project = Project.init(directory, protocol=protocol, settings={
        "seed": seed, "embedding_model": "none", "sample_data": True,
        "review_title": "Sample review: experiences of peer work in drug use services (illustrative data)"})
    (directory / MARKER).write_text(f"{SAMPLE_NOTICE}\nMade by 'screener demo'; safe to delete.\n", encoding="utf-8")
    try:
        # -- import and de-duplicate ------------------------------------------------------------
        with console.status("Importing three database exports and finding duplicates..."):
            summary = project.import_files(files)
        p = prisma_numbers(project)
        table = Table(title="PRISMA 2020: identification", title_justify="left")
        table.add_column("Source")
        table.add_column("Records", justify="right")
        for src, n in p["per_source"]:
            table.add_row(src, str(n))
        table.add_row("[bold]Records identified[/]", f"[bold]{p['identified']}[/]")
        table.add_row("Duplicates removed", str(p["duplicates"]))
        table.add_row("[bold]Records to screen[/]", f"[bold]{p['after_dedup']}[/]")
        console.print(table)
        for w in summary.warnings:
            console.print(f"[yellow]Note:[/] {w}", highlight=False)

        truth = sample_decisions(project, labels_path)
        n_true = sum(1 for v in truth.values() if v == "include")
        result = DemoResult(directory=directory, prisma=p, includes_in_sample=n_true)
        console.print(f"The sample's labels say [bold]{n_true}[/] of these {p['after_dedup']} records to screen are "
                      "includes; the simulated reviewer reveals each label only when screener shows the record.",
                      highlight=False)

        # -- screen in batches ----------------------------------------------------------------
        session = ScreeningSession(project, embedding_model="none")
        console.print(f"Starting cold from the protocol ({protocol.name}): no labels yet, so the first records are "
                      "those that best match its question, criteria and key terms.", highlight=False)
        stopping: StoppingSummary | None = None
        batch_no = 0
        progress = Progress(TextColumn("[bold]Screening"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("records"), TimeElapsedColumn(), console=console, transient=True)
        with progress:
            task = progress.add_task("screen", total=p["after_dedup"])
            while True:
                batch = session.next_batch(batch_size, explain=False)
                if batch.empty:
                    break
                batch_no += 1
                for rec in batch.itertuples(index=False):
                    rid = int(rec.record_id)
                    sampled = bool(getattr(rec, "sampled", False) or False)
                    prob = getattr(rec, "sample_prob", None)
                    prob = None if prob is None or prob != prob else float(prob)
                    session.decide(rid, truth[rid], reviewer=reviewer, origin="demo", sampled=sampled,
                                   sample_prob=prob if sampled else None)
                    progress.advance(task)
                status = session.status()
                stopping = summarise_stopping(status["history"], status["estimates"], status["advice"],
                                              target_recall=status["target_recall"], confidence=status["confidence"])
                r = stopping.recommended
                done = BatchRow(batch=batch_no, screened=status["n_screened"], includes_found=status["includes_found"],
                               recall=r.recall if r else float("nan"), recall_low=r.recall_low if r else float("nan"),
                               recall_high=r.recall_high if r else float("nan"), method=r.method if r else "",
                               stop=stopping.stop)
                result.batches.append(done)
                progress.console.print(_batch_line(done, p["after_dedup"], status["confidence"],
                                                   status["target_recall"]), highlight=False)
                if stopping.stop or status["n_remaining"] == 0:
                    break
                if max_batches is not None and batch_no >= max_batches:
                    progress.console.print(f"[dim]Stopped after {counted(max_batches, 'batch', 'batches')} as asked "
                                           "(--max-batches).[/]")
                    break

        result.screened = result.batches[-1].screened if result.batches else 0
        result.includes_found = result.batches[-1].includes_found if result.batches else 0
        result.stopped = bool(stopping is not None and stopping.stop)

        # -- advice, plot, report -------------------------------------------------------------
        if stopping is not None:
            result.advice = stopping.headline
            style = "green" if stopping.stop and stopping.confirmed else "yellow"
            console.rule("Stopping advice")
            console.print(f"[bold {style}]{stopping.headline}[/]", highlight=False)
            for d in stopping.details:
                console.print(d, highlight=False)
        png = recall_curve_png(project, stopping=stopping)
        if png is not None:
            result.plot_path = save_png(png, directory / "recall_curve.png")
        result.report_path = write_report(project, directory / "report.html", stopping=stopping, plot_png=png)
        screened_ids = set(project.current_decisions().index)
        missed = sum(1 for rid, lab in truth.items() if lab == "include" and rid not in screened_ids)
        console.print(f"\nThe simulated reviewer screened [bold]{result.screened}[/] of {p['after_dedup']} records "
                      f"and found [bold]{result.includes_found}[/] of the sample's {n_true} includes"
                      + (f" ({missed} still unscreened)." if missed else " (all of them)."), highlight=False)
        if result.plot_path:
            console.print(f"Recall plot: {result.plot_path}")
        console.print(f"Report:      {result.report_path}  (open it in a browser)")
        console.rule("Your own review")
        for line in NEXT_STEPS:
            console.print(f"  [cyan]{line}[/]", highlight=False)
        console.print(f"(The protocol this demo used is {protocol}; copy it as a starting point.)", highlight=False)
    finally:
        project.close()
    result.seconds = time.perf_counter() - t0
    return result


def _batch_line(row: BatchRow, n_total: int, confidence: float, target: float = 0.95) -> str:
    from .report import fmt_pct
    from .stopping.base import level_pct

    if row.recall == row.recall:  # not NaN
        interval = (f" ({level_pct(confidence)} interval {fmt_pct(row.recall_low, target)}\u2013"
                    f"{fmt_pct(row.recall_high, target)})"
                    if row.recall_low == row.recall_low and row.recall_high == row.recall_high else "")
        est = f"estimated recall {fmt_pct(row.recall, target)}{interval}"
    else:
        est = "no recall estimate yet"
    flag = "  [bold green]stop[/]" if row.stop else ""
    return (f"Batch {row.batch:>2}: screened {row.screened:>3}/{n_total}, includes found {row.includes_found:>2}, "
            f"{est}{flag}")


__all__ = ["DemoResult", "BatchRow", "run_demo", "sample_decisions", "prepare_directory", "SAMPLE_DIR", "PROTOCOL"]
