"""Commands that screen: next (write the next batch), label (read decisions back), screen (terminal)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.console import Console
from rich.table import Table

from ..errors import InputError, ScreenerError
from ..keep_open import held, open_project, screening_session
from ..project import Project, retraction_note
from ..screening import NO_TEXT_NOTE
from ..shell import shell_quote
from . import checks
from ..status import advised_sample, next_step, screening_counts, team_size

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code

#: Records from which 'next' suggests keeping the review open ('screener open').
LARGE_REVIEW = 100_000

#: What next's Score column is, by the ranking's phase: the number is the ranking's own (BM25 for the
#: protocol, cosine to the includes, a model's decision value or fused z-scores), on a scale that
#: changes with the phase and the model; read as a probability, 1.7 or 4.5 made no sense.
SCORE_MEANS = {
    "random": "none yet: there is no include or protocol to rank by, so every record scores 0 (random order)",
    "protocol": "how well the record matches the protocol",
    "similarity": "how close the record is to the includes so far",
    "model": "how strongly the model leans towards include",
}


def _team(project) -> int:
    """The team's size for ``next_step``'s words (a team of three is no 'either reviewer once both')."""
    return team_size(project) if project.settings.get("mode") == "dual" else 2


def score_caption(phase: str) -> str:
    """The line under next's table that says what its Score column means."""
    means = SCORE_MEANS.get(phase, "where the ranking puts the record")
    if phase == "random":
        return f"Score: {means}."
    return (f"Score: {means}, on this ranking's own scale (higher comes first). It is not a probability of "
            "inclusion, and scores of different rankings are not comparable.")


BATCH_COLUMNS = ["rank", "record_id", "decision", "note", "title", "authors", "year", "journal", "doi", "pmid",
                 "score", "sampled", "reason", "abstract"]


def _session(project, model, embedding_model, progress=True, reviewer=None):
    # the session already in memory when this runs inside an open review ('screener open')
    return screening_session(project, ranker=model, embedding_model=embedding_model, progress=progress,
                             reviewer=reviewer)


def _reviewer_for(project, reviewer: str | None, directory, command: str) -> str | None:
    """Dual screening needs to know whose queue this is (each reviewer screens every record);
    single screening shares one queue."""
    if reviewer is None and project.settings.get("mode") == "dual":
        raise InputError("this review is screened by two reviewers independently, so screener must know whose "
                         f"records to show: run 'screener {command} {shell_quote(directory)} --reviewer NAME', NAME "
                         "being the name you screen under (the same every time).")
    if reviewer is None:
        return None
    from ..accounts import reviewer_name

    return reviewer_name(project, reviewer)


def dual_mode(project) -> bool:
    return project.settings.get("mode") == "dual"


def _the_files_record(rid, sid, more: str = "") -> str:
    """'record 116' for the record a label file gave, with '(one study with record 583; ...)' where a search update
    grouped it under a fuller copy, the study's own record: its number alone is one the reviewer never typed."""
    also = [f"one study with record {sid}"] if rid != sid else []
    inside = "; ".join(also + ([more] if more else []))
    return f"record {rid} ({inside})" if inside else f"record {rid}"


def _say_over_the_rest(console, over: list, reviewer: str | None, read_all: str) -> None:
    """Single screening: excludes saved on records a teammate had excluded unread at the stop (``over``: (record,
    whose exclusion, the record the file gave)); they stay excluded unscreened. Said as 'labelling the same
    decisions again', the message spoke of decisions this reviewer had never labelled."""
    k = len(over)
    # the name 'label' gives a file labelled without --reviewer: "by reviewer" read as a word left out
    whose = sorted({"another account (labelled without --reviewer)" if w == "reviewer" else w for _, w, _ in over})
    names = " and ".join(whose) if len(whose) < 3 else ", ".join(whose[:-1]) + f" and {whose[-1]}"
    you = reviewer or "you"
    # the record the file gave; one a search update grouped under a fuller copy names the study's own record too
    shown = ", ".join(_the_files_record(rid, sid) for sid, _, rid in over[:10])
    shown += f" and {k - 10} more" if k > 10 else ""
    console.print(f"{k} record{'' if k == 1 else 's'} of the file {'was' if k == 1 else 'were'} excluded without "
                  f"screening at the stop by {names} (the records left, excluded unread): {shown}. The excludes of "
                  f"this file on {'it are' if k == 1 else 'them are'} saved, and "
                  f"{'it still counts' if k == 1 else 'they still count'} as excluded without screening: an exclude "
                  f"does not say the record was read. If {you} read "
                  f"{'it' if k == 1 else 'every one of them'}, say so: {read_all}", highlight=False, markup=False)


def _say_if_the_stop_is_met(project, directory) -> None:
    """After a batch is labelled: where its decisions meet the stopping rule, say so. The hint names the next
    batch, and a team following it batch after batch screened on past the stop that only 'status' told of."""
    from ..status import recall_status
    from ..stopping.base import level_pct

    st = recall_status(project)
    if st["advice"].stop and not st["advice"].confirmed:
        # the model's estimate alone: "you can stop screening" was read as the go-ahead, the test's wait missed
        d = shell_quote(directory)
        console.print(f"The stopping rule is met on the model's estimate alone: it says you can stop screening "
                      f"({level_pct(st['target_recall'])} target recall), but {st['advice'].unconfirmed}. "
                      f"'screener status {d}' says why; 'screener report {d}' writes the PRISMA counts and the "
                      "methods text.", highlight=False, markup=False)
    elif st["advice"].stop:
        d = shell_quote(directory)
        console.print(f"The stopping rule is met: 'screener status {d}' says you can stop screening "
                      f"({level_pct(st['target_recall'])} target recall) and why; 'screener report {d}' writes the "
                      "PRISMA counts and the methods text. Screening on is your choice.", highlight=False, markup=False)


def _note_rest_excluded(before: dict, counts, how: str, command: str) -> bool:
    """Every record left was excluded by one file (``how``: one decision for the whole file, or its
    rows). One decision for the whole file, or 'exclude' on each row of a file no batch of 'screener next'
    wrote, is the rest, left unread at the stop (``labels._mark_the_rest``), counted as excluded unscreened
    until the file is labelled again; rows of a batch each saying exclude were put before the reviewer, and
    count as screened (recall 100%, "all N records were screened"), which is not so if they were the records
    left unread at a stop (dual screening: rows each saying exclude count as screened too). Says which, with
    the estimate as it stood before; ``command`` says every record of the file was read (--all-read). Whether it
    said anything."""
    import math
    import re

    from ..stopping.base import level_pct, recall_pct

    was = before.get("counts")
    # the records left to screen before the file: with the rest excluded at an earlier stop and a search update
    # since, 'all 45 records that were left' was said of a file of the update's 5
    k = was.left if was is not None else before["n_remaining"]
    earlier = was.excluded_unscreened if was is not None else 0
    if earlier and counts.excluded_unscreened <= earlier:
        # the rest was excluded at an earlier stop, whose reading stands: the file's decisions are read ones (a
        # search update's records), and 'status says nothing is left to find (recall 100%)' was not so
        return False
    e = before["advice"].estimate
    est = ""
    if e is not None and before["includes_found"] and math.isfinite(e.recall_low):
        tgt = before["target_recall"]
        span = (f"{level_pct(before['confidence'])} interval {recall_pct(e.recall_low, tgt)}\u2013"
                f"{recall_pct(e.recall_high, tgt)}")
        said = f"was {recall_pct(e.recall, tgt)} ({span})" if math.isfinite(e.recall) else f"had a {span}"
        est = (f" Before this file, the estimated recall {said}, with {before['includes_found']} found in "
               f"{before['n_screened']} records screened")
        # a reading status did not stop on ("Not yet: 2 records drawn into the random sample ... are not screened
        # yet") was quoted as "recall was 100%" alone, as if the review could have stopped there
        msg = before["advice"].message
        if not before["advice"].stop:
            est += "; 'screener status' did not say you could stop then"
            if msg.startswith("Not yet: "):  # a stop held, or a reading it leaves out (``status._hold_stop``)
                est += " (" + re.split(r"[:.;] ", msg[len("Not yet: "):].rstrip("."))[0] + ")"
        est += "."
    it, they = ("it", "it was") if k == 1 else ("them", "they were")
    head = (f"{how} has excluded all {k} record{'' if k == 1 else 's'} that "
            f"{'was' if k == 1 else 'were'} left. screener counts {it} as ")
    if counts.excluded_unscreened > earlier:
        # 'exclude' typed on each row of a file no batch of 'next' wrote is the rest too (``labels._mark_the_rest``);
        # labelled again as it is, it says nothing of reading: --all-read is the reviewer's word that they were read
        said = (f"excluded without screening at the stop: 'screener status' and the report give the recall "
                f"estimated at the stop (not 100%), and the PRISMA flow counts {it} as not screened (PRISMA 2020: "
                f"records not screened). If you read {'it' if k == 1 else 'every one of them'}, say so ({command}): "
                f"{'it then counts' if k == 1 else 'they then count'} as screened.")
    else:
        said = (f"screened now: 'screener status' says nothing is left to find (recall 100%) and the report that "
                f"all {counts.records} records were screened. If {they} not read (the rest, left when screening "
                f"stopped), report {it} as not screened (PRISMA 2020: records not screened), with the "
                "recall estimated at the stop, not 100%.")
    console.print("[yellow]Note:[/] " + escape(head + said + est), highlight=False)  # a file's name: '[v2]'
    return True


def _may_hold_the_rest(project, file: Path) -> bool:
    """Whether ``file`` may name every record left unscreened: a text file has at least a line per
    record, so one with fewer lines than records left cannot (the usual batch file), and the
    estimates ``_note_rest_excluded`` quotes need not be worked out before it is read."""
    if not file.is_file() or file.suffix.lower() in (".xlsx", ".xlsm"):
        return True  # no lines to count (a missing file is named when it is read)
    left = screening_counts(project, None).left
    if not left:
        return False
    with open(file, "rb") as fh:
        return sum(1 for _ in fh) >= left


def _may_exclude_the_rest(project, file: Path, decision: str | None, sheet) -> bool:
    """Whether ``file`` may exclude every record left, as the rest after a stop: one exclude for the
    whole file, or rows each saying exclude (the export of the records left filled down, a Rayyan
    export where the rest were excluded there), at least as many as the records left. A batch of
    'screener next' (every row ranked) is not: its records were put before the reviewer."""
    if decision is not None:
        return decision == "exclude"
    from ..labels import from_a_batch, read_label_rows

    try:
        rows = read_label_rows(file, sheet=sheet)
    except ScreenerError:  # 'label' itself says what is wrong with the file
        return False
    if from_a_batch(rows):
        return False
    return sum(r.decision == "exclude" for r in rows) >= screening_counts(project, None).left


def _own_counts(project, reviewer: str | None) -> tuple:
    """(counts, whose): in dual screening a reviewer's own counts (the team's would tell them the
    other reviewer's decisions), else the project's."""
    whose = reviewer if reviewer is not None and project.settings.get("mode") == "dual" else None
    return screening_counts(project, whose), whose


def _not_passed_on(project, decisions, blind_as: str | None = None) -> list[int]:
    """Of the studies just given a full-text decision, those whose title/abstract decision is not
    include or maybe (excluded, or never screened). ``blind_as``: blind dual screening, that
    reviewer's own title/abstract decisions (the team's would tell them where the other
    reviewer disagreed)."""
    primary = project._primary_of()
    ta = project.current_decisions(reviewer=blind_as)["decision"]
    ids = sorted({int(primary.get(d.record_id, d.record_id)) for d in decisions if d.decision != "retract"})
    return [i for i in ids if ta.get(i) not in ("include", "maybe")]


def _warn_records(n_of, ids: list[int], what: str, then: str) -> None:
    """One warning naming records (the first ten): 'N records WHAT: ids. THEN'; ``what`` and ``then`` may say
    {was}, {has} or {them}, agreed with N (one record is 'it', not 'them')."""
    if not ids:
        return
    one = len(ids) == 1
    shown = ", ".join(map(str, ids[:10])) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    words = {"was": "was" if one else "were", "has": "has" if one else "have", "them": "it" if one else "them"}
    said, then = what.format(**words), then.format(**words)
    console.print(f"[yellow]{n_of(len(ids), 'record')} {escape(said)}: {shown}.[/] {escape(then)}", highlight=False)


def _assessed_at_full_text(project, decisions, blind_as: str | None = None,
                           full_text_as: str | None = None) -> list[int]:
    """Of the studies just excluded at title/abstract, those with a full-text decision in force
    (``blind_as``: that reviewer's own, as in ``_not_passed_on``; ``full_text_as``: that reviewer's own
    full-text decisions, the full texts still blind for her). Only where the exclusion stands: a file
    that also includes the study (its most inclusive decision counts) has not excluded it."""
    primary = project._primary_of()
    ft = project.current_decisions(stage="full_text", reviewer=blind_as or full_text_as)
    ta = project.current_decisions(reviewer=blind_as)["decision"]
    ids = sorted({int(primary.get(d.record_id, d.record_id)) for d in decisions if d.decision == "exclude"})
    return [i for i in ids if i in ft.index and ta.get(i) == "exclude"]


def _own_rows_disagreeing(conflicts: list) -> dict[str, list]:
    """The file's conflicts (``LabelImport.conflicts``) whose rows are all one reviewer's, by reviewer."""
    out: dict[str, list] = {}
    for sid, votes in conflicts:
        names = {who for who, _, _ in votes}
        if len(names) == 1:
            out.setdefault(next(iter(names)), []).append((sid, votes))
    return out


def _print_file_conflicts(console, conflicts: list) -> None:
    """Each record's rows of the file that disagree, the first 20 records."""
    for sid, votes in conflicts[:20]:
        said_ = ", ".join(f"{who} {dec} ({where})" for who, dec, where in votes)
        console.print(f"  record {sid}: {said_}", highlight=False, markup=False)
    if len(conflicts) > 20:
        console.print(f"  and {len(conflicts) - 20} more.", markup=False)


def blind_reviewer(project, reviewer: str | None) -> bool:
    """Dual screening, for a reviewer while the screening is blind (the owner has not ended the
    blinding for the records there are: ``blinding_ended``)."""
    from ..accounts import blinding_ended

    return reviewer is not None and dual_mode(project) and not blinding_ended(project.store)


def _keep_filled_in_batch(project, output: Path, directory, reviewer: str | None) -> None:
    """Refuse to write a batch over a file holding decisions not read into the project yet (the
    last batch, filled in but not labelled): they would be lost without a word."""
    from ..labels import unsaved_decisions

    # single screening: anyone's decision saved is the file's (a batch labelled under another name too)
    sheets: list[str] = []
    lost = unsaved_decisions(project, output, reviewer=reviewer if dual_mode(project) else None, sheets=sheets)
    if not lost:
        return
    k = len(lost)
    shown = ", ".join(lost[:10]) + (f" and {k - 10} more" if k > 10 else "")
    who = f" --reviewer {shell_quote(reviewer)}" if reviewer else ""
    who += "".join(f" --sheet {shell_quote(s)}" for s in sheets[:1])
    raise InputError(f"this file holds {k} decision{' that is' if k == 1 else 's that are'} not in the project yet "
                     f"({shown}); a new batch would write over {'it' if k == 1 else 'them'}. Read "
                     f"{'it' if k == 1 else 'them'} in first with "
                     f"'screener label {shell_quote(directory)} {shell_quote(output)}{who}', or "
                     f"write the new batch to another file (-o batch2{output.suffix.lower()}). Nothing was written.",
                     path=output)


def write_batch(batch, path: Path, *, blind: bool = False) -> list[str]:
    """A batch file the reviewer fills in (decision column) and gives back to 'screener label'.
    ``blind``: without the scores (a study the others have settled has its neighbour's score).
    Gives what the reviewer must know of the file (texts cut to fit Excel's cells)."""
    from ..io import write_records
    from ..io.common import without_controls
    from ..io.export import EXCEL_ILLEGAL, controls_warning, cut_warning, fit_cell

    fmt = path.suffix.lower().lstrip(".")
    df = batch.copy()
    df["decision"] = ""
    df["note"] = ""
    df["authors"] = df["authors"].map(lambda a: "; ".join(a) if isinstance(a, list) else (a or ""))
    if "sampled" not in df:
        df["sampled"] = False
    if "score" in df:  # as the table and a RIS batch give it (2.981), not 2.981399696609164 in the spreadsheet
        df["score"] = df["score"].astype(float).round(3)
    columns = [c for c in BATCH_COLUMNS if not (blind and c == "score")]
    if "retracted" in df:  # a copy of a study is titled as retracted (``Project.retracted_copies``): by its title
        columns.insert(columns.index("title") + 1, "retracted")
    tmp = path.with_name(path.name + ".partial")
    cut: list[tuple[str, str, int]] = []
    removed: list[tuple[str, str]] = []
    try:
        if fmt == "csv":
            from ..io.export import csv_safe_table

            # text a spreadsheet would run as a formula ('-Omics in ...' showed as #NAME?) gets a
            # leading quote, as in the export; 'label' matches by id, and titles without punctuation
            # with a BOM, so that Excel reads the file as UTF-8
            csv_safe_table(df[columns]).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif fmt == "xlsx":
            table = df[columns].copy()
            # a control character stopped the writer (IllegalCharacterError); a space, as in the .csv
            # batch (deleted, the words on either side ran together)
            for col in table.columns:
                for i, text in table[col].items():
                    if isinstance(text, str) and EXCEL_ILLEGAL.search(text):
                        removed.append((str(table.at[i, "record_id"]), col))
                        table.at[i, col] = without_controls(text)
            for col in ("title", "authors", "abstract", "journal"):
                for i, text in table[col].items():
                    fitted = fit_cell(text) if isinstance(text, str) else None
                    if fitted is not None:  # Excel's limit: cut where it shows, and said, not silently
                        cut.append((str(table.at[i, "record_id"]), col, len(text)))
                        table.at[i, col] = fitted
            table.to_excel(tmp, index=False)
            _text_not_formulas(tmp)
        elif fmt == "ris":
            out = batch.drop(columns=["score"]) if blind else batch.copy()
            out["decision"] = ""
            out["decision_note"] = [f"screener rank {r}{'' if blind else f' (score {s:.3f})'}: {why}"
                                    for r, s, why in zip(batch["rank"], batch["score"], batch.get("reason", ""))]
            if "retracted" in out:  # a reference manager shows the note
                out["decision_note"] = [f"{said} {note}" if said else note
                                        for said, note in zip(out.pop("retracted"), out["decision_note"])]
            write_records(out, tmp, "ris")
        else:
            raise InputError("write the batch as .csv, .xlsx or .ris.", path=path)
        tmp.replace(path)
    except BaseException:  # no half-written batch left under another name either
        tmp.unlink(missing_ok=True)
        raise
    return ([cut_warning(cut, "write the batch as .csv (-o batch.csv)")] if cut else []) + (
        [controls_warning(removed, kept="written as spaces in the workbook")] if removed else [])


#: the protocol's known relevant records last named as not found, by whose 'next' they were named to
KNOWN_MISSING_SAID = "known_missing_said"


def _note_known_missing(session, project, reviewer: str | None = None) -> None:
    """Name the protocol's known relevant records that no imported record matches: a DOI mistyped,
    or a study the searches did not find (worth a look at the search strategy). Said once for the same records
    (it came with every batch), again when they change; once to each reviewer (said once for the project, the
    second reviewer of a dual screening never saw it)."""
    missing = session.known_missing
    said = project.settings.get(KNOWN_MISSING_SAID)
    said = said if isinstance(said, dict) else {}  # a list: said once for the project (an older screener), to whom?
    who = reviewer or ""
    told = said.get(who)
    if not missing:
        if said:  # found since (imported, or the protocol changed): a later one missing is news again
            project.set_setting(KNOWN_MISSING_SAID, None)
        return
    k = len(missing)
    where = project.settings.get("protocol_file") or "the protocol"
    now = [str(where)] + [e["doi"] or e["title"] for e in missing]
    if told == now:
        return
    shown = ", ".join(e["doi"] or f"'{e['title']}'" for e in missing[:10]) + (f" and {k - 10} more" if k > 10 else "")

    console.print(f"[yellow]Note:[/] the protocol names {k} known relevant record{'' if k == 1 else 's'} "
                  f"that match{'es' if k == 1 else ''} "
                  f"no record imported (by DOI or title): {escape(shown)}. Check {'it' if k == 1 else 'them'} in "
                  f"{escape(where)}; a study the searches did not find is worth a look at the search strategy.",
                  highlight=False)
    project.set_setting(KNOWN_MISSING_SAID, {**said, who: now})


def _text_not_formulas(path: Path) -> None:
    """A workbook's cells as text: a title that starts with '=' was written as a formula, and the
    spreadsheet showed an error in place of the title."""
    from openpyxl import load_workbook

    with open(path, "rb") as fh:  # (a file object: the name ends in .partial until it is done)
        wb = load_workbook(fh)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    for cell in cells:
        cell.data_type = "s"
    if cells:
        wb.save(path)


def _shortened(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with a '…' where it was cut: a cut title read as the whole."""
    return text if len(text) <= width else text[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    @app.command("next")
    def next_(
        directory: Path = typer.Argument(..., help="The review project folder."),
        n: int = typer.Option(50, "--n", "-n", help="How many records in the batch."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the batch to .csv, .xlsx or .ris."),
        model: Optional[str] = typer.Option(None, "--model", help=checks.MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model",
                                                      help=checks.EMBEDDING_HELP),
        sample: Optional[int] = typer.Option(None, "--sample", help="How many of the batch to draw at random from the "
                                             "rest of the queue, for a recall check with a statistical guarantee "
                                             "(QBCB). Default: while the target allows no include to be missed "
                                             "(fewer than 19 found at 95%), the random sample 'screener status' "
                                             "asks for, at most a fifth of the batch; else none (none before the "
                                             "first include, nor while dual screening is blind)."),
        reviewer: Optional[str] = typer.Option(None, help="Whose batch (needed in dual screening: the records this "
                                                          "reviewer has not screened yet)."),
    ):
        """Rank the unscreened records and show (or write) the next batch, likely includes first."""
        checks.at_least("--n", n, 1, "how many records the batch should hold")
        checks.at_least("--sample", sample, 0, "how many records of the batch to draw at random")
        if sample is not None and sample > n:
            raise InputError(f"--sample {sample} is more than the batch (--n {n}): give at most {n}.")
        checks.embedding_model(embedding_model)
        if output is not None:
            checks.not_a_folder("-o", output, "batch.csv")
            if output.suffix.lower() not in (".csv", ".xlsx", ".ris"):  # before the ranking, not after it
                raise InputError("write the batch as .csv, .xlsx or .ris.", path=output)
            checks.output_file("-o", output, "batch.csv")
        with open_project(directory) as project:
            reviewer = _reviewer_for(project, reviewer, directory, "next")
            if output is not None:
                project.refuse_over_an_import(output)
                _keep_filled_in_batch(project, output, directory, reviewer)
            counts, whose = _own_counts(project, reviewer)
            if counts.records and not counts.left:  # nothing to rank
                console.print(next_step(counts, directory, whose, _team(project)), highlight=False, markup=False)
                return
            session = _session(project, model, embedding_model, reviewer=reviewer)
            # blind dual screening: no score (a settled study has its neighbour's: the ties would mark
            # it), and no sample unasked (the advice samples from the team's first agreed include on)
            blind = blind_reviewer(project, whose)
            if sample is None:
                with console.status("Checking the recall sample..."):
                    # a fifth of the batch as it will be: --n beyond what is left would sample nearly all of it
                    sample = 0 if blind else advised_sample(project, min(n, counts.left) if counts.left else n)
            session.prepare()  # features: a progress bar when many records are new
            with console.status(f"Ranking {len(session.record_ids):,} records..."):
                batch = session.next_batch(n, sample=sample)
            if batch.empty:
                console.print(next_step(_own_counts(project, reviewer)[0], directory, whose, _team(project)),
                              highlight=False, markup=False)
                return
            if not session.has_text:
                console.print(f"[yellow]Note:[/] {NO_TEXT_NOTE}", highlight=False)
            _note_known_missing(session, project, reviewer)
            if session.protocol_unmatched and session.last_rank_info["phase"] == "random":
                where = project.settings.get("protocol_file") or "the protocol"
                console.print(f"[yellow]Note:[/] none of the {len(session.record_ids):,} records holds a word of the "
                              f"protocol ({escape(str(where))}), so they come in random order until the first include. "
                              "Check that it names the topic as the titles and abstracts do (in their language), and "
                              f"set it again with 'screener protocol {escape(shell_quote(directory))} "
                              "YOUR_PROTOCOL.toml'.",
                              highlight=False)
            n_sampled = int(batch["sampled"].sum())
            if n_sampled and counts.excluded_unscreened:
                # drawn from the records left to screen, not from those excluded unread at the stop: the sample
                # says nothing of those, so status certifies nothing on it (``status._drawn_after_the_stop``)
                k = counts.excluded_unscreened
                one = n_sampled == 1
                console.print(f"{n_sampled} of these records {'is' if one else 'are'} a random sample of the records "
                              f"left to screen (marked 'sampled'): screen {'it' if one else 'them'} like the others. "
                              "Drawn after the rest was excluded, "
                              f"it leaves out the {k} record{'' if k == 1 else 's'} excluded without screening at the "
                              "stop, so it certifies no recall.", highlight=False, markup=False)
            elif n_sampled:
                one = n_sampled == 1
                console.print(f"{n_sampled} of these records {'is' if one else 'are'} a random sample of the rest of "
                              f"the queue (marked 'sampled'): screen {'it' if one else 'them'} like the others; "
                              f"{'it lets' if one else 'they let'} screener certify recall.", markup=False)
            elif session.sample_waits:  # dual screening: a draw now would leave out records the team has not settled
                console.print(f"[yellow]Note:[/] {escape(session.sample_waits)}", highlight=False)
            # blind dual screening: the phase changes at the first agreed include, so it is not shown
            phase = "" if whose else f" ({session.last_rank_info['phase']} ranking)"
            table = Table(title=f"Next {len(batch)} records{phase}")
            for col in ("Rank", "Id", *(() if blind else ("Score",)), "Title", "Why"):
                table.add_column(col, overflow="fold")
            retracted = project.retracted_copies(batch["record_id"])  # a copy titled as retracted: said first
            marked = project.retracted_in_exports(batch["record_id"])  # or the export the record came from said so
            if retracted or marked:  # and in a batch file's own column
                batch = batch.assign(retracted=[retraction_note(retracted, marked, int(r)) for r in batch["record_id"]])
            for r in batch.itertuples(index=False):
                # an untitled record reads back as NaN or '': named as the screening page names it
                title = r.title if isinstance(r.title, str) and r.title.strip() else "(no title)"
                if int(r.record_id) in retracted:
                    title = f"[Retracted: record {retracted[int(r.record_id)]}] {title}"
                elif int(r.record_id) in marked:
                    title = f"[Retracted] {title}"
                table.add_row(str(r.rank), str(r.record_id), *(() if blind else (f"{r.score:.3f}",)),
                              escape(_shortened(title, 90)), escape(_shortened(str(r.reason), 120)))
            if output is None:
                if not blind:  # dual screening: without the phase, as the title is
                    table.caption = score_caption("" if whose else session.last_rank_info["phase"])
                console.print(table)
            else:
                with console.status(f"Writing {output.name}..."):
                    cut = write_batch(batch, output, blind=blind)
                who = f" --reviewer {shell_quote(reviewer)}" if reviewer else ""
                if output.suffix.lower() == ".ris":  # no column to fill in: a reference manager's sets come back
                    then = (f"Screen them in your reference manager, export the ones you include as RIS and read "
                            f"them back with: screener label {shell_quote(directory)} INCLUDED.ris --decision "
                            f"include{who} (the ones you exclude likewise, with --decision exclude)")
                else:
                    then = (f"Fill in the 'decision' column (include, exclude or maybe), then: screener label "
                            f"{shell_quote(directory)} {shell_quote(output)}{who}")
                console.print(f"Wrote {len(batch)} records to {output}. {then}", highlight=False,
                              markup=False)  # a file's name is no markup ('batch[/]x.xlsx')
                for warning in cut:
                    console.print(f"[yellow]Note:[/] {escape(output.name)}: {escape(warning)}", highlight=False)
            if len(session.record_ids) >= LARGE_REVIEW and not held(project):
                console.print(f"Tip: on a review this large, 'screener open {shell_quote(directory)}' keeps it in "
                              "memory, so that each 'next', 'label' and 'status' answers in seconds.",
                              highlight=False, markup=False)

    @app.command()
    def label(
        directory: Path = typer.Argument(..., help="The review project folder."),
        file: Path = typer.Argument(..., help="Decisions: a filled-in batch file, a Rayyan or Covidence export."),
        reviewer: Optional[str] = typer.Option(None, help="Name stored with each decision the file does not name "
                                                          "(needed in dual screening; else 'reviewer')."),
        decision: Optional[str] = typer.Option(None, help="One decision for every record in the file "
                                                          "(e.g. a Covidence export of the included records)."),
        stage: str = typer.Option("title_abstract", help="title_abstract or full_text."),
        reason: Optional[str] = typer.Option(None, help="Why, for every record excluded in the file without a reason "
                                                        "of its own (e.g. --reason \"wrong population\" with a list of "
                                                        "the full texts excluded for it). A file's 'reason' column "
                                                        "gives each record's own ('exclusion reason' in a batch "
                                                        "file, whose 'reason' is screener's explanation)."),
        skip_unmatched: bool = typer.Option(False, help="Import the decisions that match, list the others."),
        sheet: Optional[str] = typer.Option(None, help="Sheet of a workbook with several sheets that holds the "
                                                       "decisions (its name or its tab's number from 1)."),
        all_read: bool = typer.Option(False, "--all-read", help="Your word that you read every record in the file: "
                                                                "its excludes count as screened, also on the records "
                                                                "left when screening stopped (without it, a file "
                                                                "excluding every record left counts them as excluded "
                                                                "without screening at the stop, however often it is "
                                                                "labelled)."),
    ):
        """Read screening decisions back into the project (matched by id, DOI, PMID or title).

        A 'reason' column (or --reason) is kept with each exclusion: PRISMA lists the full texts
        excluded per reason."""
        from ..labels import RAYYAN_NOTES, import_labels, rest_before_note

        checks.folder_first("label", directory, [file])
        stage = checks.stage(stage)

        def n_of(k: int, word: str) -> str:
            return f"{k} {word}{'' if k == 1 else 's'}"

        def said(decision_and_who) -> str:
            dec, who = decision_and_who
            return f"{dec} by {who}" if who else dec

        def read_all(name: Path = file, one: bool = False) -> str:
            """The command that says every record of ``name`` was read (in dual screening, whose they are)."""
            who = f" --reviewer {shell_quote(reviewer)}" if reviewer is not None else ""
            return (f"screener label {shell_quote(directory)} {shell_quote(name)}"
                    f"{' --decision exclude' if one else ''}{who} --all-read")

        def typed_rest_note() -> None:
            """'exclude' typed on each row of the rest, some records left (kept back to read, or under rows that matched
            none), or in dual screening: counted as excluded unscreened, said with how a reviewer who read them makes
            them count as screened (with no word of it, nothing told them)."""
            k = result.rest_excluded
            console.print(f"[yellow]Note:[/] {escape(file.name)} is no batch of 'screener next' (no rank column), "
                          f"and its {k} exclude{'' if k == 1 else 's'} on {'a record' if k == 1 else 'records'} "
                          f"left {'is' if k == 1 else 'are'} read as the rest, excluded unread when screening "
                          f"stopped: screener counts {'it' if k == 1 else 'them'} as excluded without screening at the "
                          "stop ('screener status' and the report give the recall estimated at the stop, and the "
                          f"PRISMA flow counts {'it' if k == 1 else 'them'} as not screened). If you read every "
                          f"one of {'it' if k == 1 else 'them'}, say so ({escape(read_all())}): "
                          f"{'it then counts' if k == 1 else 'they then count'} as screened.", highlight=False)

        with open_project(directory) as project:
            if reviewer is not None:
                from ..accounts import reviewer_name

                try:
                    reviewer = reviewer_name(project, reviewer)
                except InputError as exc:
                    raise InputError(f"{exc} Nothing was saved.") from None
            # one exclude for a whole file may be "the rest, unread" after a stop: what the review
            # stood at before it is what the methods must report then (read only in single mode: in
            # dual screening the team's figures are not a reviewer's to see)
            before = None
            if stage == "title_abstract" and not dual_mode(project) and _may_hold_the_rest(project, file) \
                    and _may_exclude_the_rest(project, file, decision, sheet):
                from ..status import recall_status

                before = recall_status(project)
                screened_before = project.current_decisions().index
            result = import_labels(project, file, reviewer=reviewer, decision=decision, stage=stage,
                                   skip_unmatched=skip_unmatched, reason=reason, sheet=sheet, all_read=all_read)
            if result.decisions:
                how = ", ".join(f"{k}: {v}" for k, v in sorted(result.matched_by.items()))
                # what the decisions change: one repeating a record's decision under another name is saved,
                # but "Saved 5 decisions" alone read as five records decided
                kinds = [f"{k} {what}" for k, what in ((result.new, "new"), (result.changed_decisions, "changed"))
                         if k]
                if result.outweighed:
                    k = result.outweighed
                    kinds.append(f"{k} outweighed by the file's {result.outweighed_by} of the same record"
                                 f"{'' if k == 1 else 's'} (below)")
                if result.kept:
                    kinds.append(f"{result.kept} the same as the record{'' if result.kept == 1 else 's'} held "
                                 "before, so unchanged")
                if result.read_now:
                    k = result.read_now
                    # the rest excluded unread at a stop, labelled again with --all-read: the reviewer's word
                    # one --decision for every row is no row by row
                    how = (f"with --decision {shell_quote(decision)} --all-read" if decision is not None
                           else "row by row")
                    kinds.append(f"{k} given again {how} after {'it was' if k == 1 else 'they were'} excluded "
                                 "without screening at the stop, so read: "
                                 f"{'it counts' if k == 1 else 'they count'} as screened now")
                if result.over_rest:
                    k = len(result.over_rest)
                    kinds.append(f"{k} on record{'' if k == 1 else 's'} a teammate excluded without screening "
                                 "at the stop (below)")
                if result.renoted:
                    kinds.append(f"{result.renoted} with a new note, reason or reviewer's name on "
                                 f"record{'' if result.renoted == 1 else 's'} still excluded without "
                                 "screening at the stop (below)")
                if result.same:
                    whose = ("the reviewer's own decision before, with a new note or reason" if dual_mode(project) else
                             "the decision the record already had, under another reviewer's name or with a new "
                             "note or reason")
                    kinds.append(f"{result.same} repeated ({whose})")
                console.print(f"Saved {n_of(len(result.decisions), 'decision')} from {file.name} (matched by {how}): "
                              f"{', '.join(kinds)}.", highlight=False, markup=False)
            elif result.not_over_teammate:  # its decisions are a teammate's records' (said below)
                console.print(f"No decisions saved from {file.name}.", highlight=False, markup=False)
            else:
                console.print(f"No new decisions saved from {file.name}: there was nothing new in it.",
                              highlight=False, markup=False)
            # dual screening: the one reviewer the file names is whose decisions these are, as --reviewer's
            named = reviewer if reviewer is not None or not dual_mode(project) or len(result.reviewers) != 1 \
                else result.reviewers[0]
            # blind dual screening: checked against the reviewer's own decisions only
            blind_as = named if blind_reviewer(project, named) else None
            if stage == "full_text" and result.decisions:
                not_passed = _not_passed_on(project, result.decisions, blind_as)
                _warn_records(n_of, not_passed, "assessed at full text {was} not "
                              "included (or marked maybe) at title and abstract", "The PRISMA flow counts {them} among "
                              "the reports assessed, so its boxes will not add up. Check the records, or give {them} a "
                              "title/abstract decision first.")
            if stage == "title_abstract" and result.decisions:
                from ..accounts import sees_full_text

                # the full texts blind for her (their blinding ends on its own): her own full-text decisions only.
                # The owner sees them unless she assesses full texts herself, as on the web
                account = project.store.get_user(named) if named is not None else None
                owner = bool(account) and account["role"] == "owner"
                ft_as = named if named is not None and dual_mode(project) and not sees_full_text(
                    project, named, owner=owner) else None
                assessed = _assessed_at_full_text(project, result.decisions, blind_as, ft_as)
                _warn_records(n_of, assessed, "now excluded at title and "
                              "abstract {has} a full-text decision", "The PRISMA flow still counts {them} among the "
                              "reports assessed (and a full-text include among the studies included), so its boxes "
                              "will not add up. If the full-text decision is the one that stands, enter the "
                              "title/abstract include again.")
            if result.column:
                where = result.column if result.column == RAYYAN_NOTES else f"the column {result.column}"
                console.print(f"Decisions read from {where}.", highlight=False, markup=False)
                for other in result.passed_over:  # a Cohen-style set's title/abstract column beside its final one
                    console.print(f"The file's column {other!r} was not read (a set's title and abstract decisions, "
                                  f"beside its final ones). To read it instead, delete the column {result.column} "
                                  "from the file (or rename it) and label the file again.",
                                  highlight=False, markup=False)
            if result.already:
                console.print(f"{n_of(result.already, 'decision')} {'was' if result.already == 1 else 'were'} "
                              "already in the project (the same reviewer, record and decision) and "
                              f"{'was' if result.already == 1 else 'were'} not entered again.",
                              highlight=False, markup=False)
            if result.still_rest:
                # the rest labelled again (the command run twice, a copy of the file): read as screened, 40 records
                # never read gave "Every record has been screened", recall 100%
                k = result.still_rest
                console.print(f"{n_of(k, 'decision')} {'was' if k == 1 else 'were'} already in the project as the "
                              "rest, excluded without screening at the stop, and still count so: labelling the same "
                              "decisions again does not say they were read. If you read "
                              f"{'it' if k == 1 else 'every one of them'}, say so: "
                              f"{read_all(one=decision == 'exclude')}",
                              highlight=False, markup=False)  # the batch's decision column may be empty
            if result.over_rest:
                _say_over_the_rest(console, result.over_rest, reviewer, read_all())
            if result.said_unread:
                k = result.said_unread
                console.print(f"{file.name} says ({result.said_unread_where}) that {k} of its records "
                              f"{'was' if k == 1 else 'were'} excluded unread when screening stopped in the project it "
                              f"was exported from, so screener counts {'it' if k == 1 else 'them'} as excluded "
                              "without screening here too (PRISMA: not screened), "
                              f"not as screened. If you read {'it' if k == 1 else 'every one of them'}, say so: "
                              f"{read_all(one=decision == 'exclude')}", highlight=False, markup=False)
            if result.repeated:
                k = result.repeated
                console.print(f"{n_of(k, 'row')} of the file {'repeats' if k == 1 else 'repeat'} "
                              "a decision an earlier row gave the same record and "
                              f"{'was' if k == 1 else 'were'} not entered twice.", highlight=False, markup=False)
            if result.changed:
                k = len(result.changed)
                # the record the file gave; a copy of a study whose own record is another (a search update's
                # fuller copy) names that one too, the number the records list and an export show
                shown = ", ".join(f"record {rid} ({'' if rid == sid else f'one study with record {sid}; '}"
                                  f"{said(was)} -> "
                                  f"{said(now) if now else 'the reviewers now disagree, until it is resolved'})"
                                  for sid, was, now, rid in result.changed[:10])
                more = f" and {k - 10} more" if k > 10 else ""
                console.print(f"[yellow]{n_of(k, 'record')} now {'has' if k == 1 else 'have'} a different decision "
                              f"than before:[/] {shown}{more}.", highlight=False)
            if result.not_over_teammate:
                k = len(result.not_over_teammate)
                shown = ", ".join(_the_files_record(rid, sid, f"{theirs} by {escape(by)}; {escape(who)}'s {mine} "
                                                                 "was not saved")
                                  for sid, theirs, by, mine, who, rid in result.not_over_teammate[:10])
                more = f" and {k - 10} more" if k > 10 else ""
                console.print(
                    f"[yellow]{n_of(k, 'record')} of this batch {'was' if k == 1 else 'were'} decided more "
                    f"inclusively by a teammate after the batch was written, so {'that' if k == 1 else 'their'} "
                    f"decision stands:[/] {shown}{more}. Two readings made without seeing each other count as the "
                    "more inclusive (include, then maybe), as within one file. To change "
                    f"{'it' if k == 1 else 'them'} after all, knowing the other decision, label a file of record_id "
                    "and decision (not a batch: no rank column), or decide on the record's page in 'screener "
                    "serve'.", highlight=False)
            conflicts = result.conflicts
            # one reviewer's own rows disagreeing: their most inclusive is theirs, no conflict between reviewers
            for who, own in _own_rows_disagreeing(conflicts).items():
                k = len(own)
                if dual_mode(project):
                    console.print(f"[yellow]{escape(who)} gave {n_of(k, 'record')} different decisions in this "
                                  f"file.[/] The most inclusive (include, then maybe) counts as {escape(who)}'s "
                                  "decision, not as a conflict between the reviewers:", highlight=False)
                else:
                    console.print(f"[yellow]{n_of(k, 'record')} {'is' if k == 1 else 'are'} given more than one "
                                  "decision in this file.[/] The most inclusive (include, then maybe) counts until "
                                  "you decide otherwise: put the decision you mean on every row of the record and "
                                  "run the same command again:", highlight=False)
                _print_file_conflicts(console, own)
            conflicts = [c for c in conflicts if len({who for who, _, _ in c[1]}) > 1]
            if conflicts:
                k = len(conflicts)
                # dual screening: a disagreement is a conflict, not screened until it is settled
                counts_as = ("counts as screened once the reviewers agree or its conflict is settled (the Conflicts "
                             f"page of 'screener serve {escape(shell_quote(directory))}')" if dual_mode(project) else
                             "counts as the most inclusive of them (include, then maybe) until a decision settles it")
                console.print(f"[yellow]{n_of(k, 'record')} {'has' if k == 1 else 'have'} conflicting decisions in "
                              f"this file.[/] Each reviewer's decision is kept; each record {counts_as}:",
                              highlight=False)
                _print_file_conflicts(console, conflicts)
            if result.unmatched:
                k = len(result.unmatched)
                console.print(f"[yellow]{n_of(k, 'row')} did not match a record and {'was' if k == 1 else 'were'} "
                              "not imported:[/]")
                for row in result.unmatched[:20]:
                    what = row.title or row.doi or row.pmid or (
                        f"id {row.record_id}" if row.record_id is not None else "no id, DOI, PMID or title")
                    console.print(f"  {row.where}: {what}" + (f" ({row.why})" if row.why else ""),
                                  highlight=False, markup=False)
            if result.blank and result.column == RAYYAN_NOTES:
                k, kept = result.blank - result.blank_decided, result.blank_decided
                stay = ("that record stays unscreened" if k == 1 else "those records stay unscreened") if not kept \
                    else f"{k} stay{'s' if k == 1 else ''} unscreened and {kept} keep{'s' if kept == 1 else ''} the " \
                         "decision already made in screener"
                console.print(f"{n_of(result.blank, 'record')} of the file {'has' if result.blank == 1 else 'have'} no "
                              "decision in Rayyan yet (no reviewer has included, excluded or marked "
                              f"{'it' if result.blank == 1 else 'them'} maybe); {stay}.", highlight=False, markup=False)
            elif result.blank:
                k = result.blank - result.blank_decided  # the others' records keep their decision
                if k and stage == "full_text":
                    # the records not included at title and abstract were screened: they have no full text to assess
                    out_ = result.blank_not_sought
                    wait = k - out_ if out_ is not None else 0
                    said = (f"{n_of(wait, 'record')} included at title and abstract still await"
                            f"{'s' if wait == 1 else ''} one" if wait else "")
                    if out_:
                        said += (f", and the other {out_}" if wait else
                                 f"{'its record was' if k == 1 else 'their records were'}") + (
                            f"{' was' if wait and out_ == 1 else ' were' if wait else ''} not included at title "
                            "and abstract (no full text to assess)")
                    console.print(f"{n_of(k, 'row')} of the file {'has' if k == 1 else 'have'} no full-text "
                                  f"decision{': ' + said if said else ''}; {'its' if k == 1 else 'their'} title "
                                  "and abstract decision"
                                  f"{'' if k == 1 else 's'} {'is' if k == 1 else 'are'} unchanged.",
                                  highlight=False, markup=False)
                elif k:
                    console.print(f"{n_of(k, 'row')} of the file {'has' if k == 1 else 'have'} no decision filled "
                                  f"in yet; {'that record stays' if k == 1 else 'those records stay'} unscreened.",
                                  highlight=False, markup=False)
                k = result.blank_decided
                if k:
                    console.print(f"{n_of(k, 'row')} of the file {'has' if k == 1 else 'have'} no decision, and "
                                  f"{'its record keeps' if k == 1 else 'their records keep'} the decision "
                                  f"{'it' if k == 1 else 'they'} already had (an empty cell changes nothing: to "
                                  "change a decision, fill in the new one).", highlight=False, markup=False)
            if stage == "full_text":  # the next PRISMA boxes; the title-abstract counts are unchanged
                dual = dual_mode(project)
                if not dual or named is not None:  # dual: one's own only (blinding)
                    ft = project.current_decisions(stage=stage, reviewer=named if dual else None)
                    tally = ft["decision"].value_counts()
                    maybe = f", {tally['maybe']} maybe" if tally.get("maybe", 0) else ""
                    # a report not retrieved was not assessed: PRISMA's "Reports not retrieved", said apart
                    gone = int(tally.get("not_retrieved", 0))
                    console.print(f"Full texts assessed{' by ' + named if dual else ''}: {len(ft) - gone} "
                                  f"({tally.get('include', 0)} included, {tally.get('exclude', 0)} excluded{maybe})"
                                  + (f"; {gone} {'report' if gone == 1 else 'reports'} not retrieved (the full "
                                     "text could not be obtained)" if gone else "") + ".",
                                  highlight=False, markup=False)
                    why = project.exclusion_reasons(reviewer=named if dual else None)
                    if why:
                        console.print("Reasons for the exclusions (the PRISMA flow lists them): "
                                      + ", ".join(f"{k} {n}" for k, n in why.items()) + ".",
                                      highlight=False, markup=False)
                return
            if reviewer is None and dual_mode(project) and result.reviewers:
                # dual screening, the reviewers named in the file: each one's own counts (the team's would
                # tell one reviewer the other's decisions), and their own next batch ('next' needs the name)
                for who in result.reviewers:
                    own = screening_counts(project, who)
                    console.print(f"Now {who}: {own.describe()}. {next_step(own, directory, who, _team(project))}",
                                  highlight=False, markup=False)
                if result.rest_typed:
                    typed_rest_note()
                return
            counts, whose = _own_counts(project, reviewer)
            step = next_step(counts, directory, whose, _team(project))
            console.print(f"Now {whose + ': ' if whose else ''}{counts.describe()}. {step}",
                          highlight=False, markup=False)
            if stage == "title_abstract" and counts.left > 0 and not dual_mode(project):
                _say_if_the_stop_is_met(project, directory)
            noted = False
            if before is not None and before["n_screened"] and before["n_remaining"] and result.decisions \
                    and not counts.left:
                now = project.current_decisions()["decision"]
                if (now[~now.index.isin(screened_before)] == "exclude").all():  # the rest, every one excluded
                    noted = _note_rest_excluded(before, counts, "one decision for the whole file (--decision exclude)"
                                                if decision == "exclude" else file.name,
                                                read_all(one=decision == "exclude"))
            for name, k in result.rest_before:
                # files of one --decision exclude each just before the rest's (the records left split in two): as
                # unread as the rest, once counted as screened from the ranking's top
                note = rest_before_note(name, k, file.name, read_all(Path(name), True))
                console.print(f"[yellow]Note:[/] {escape(note)}", highlight=False)
            if result.rest_typed and not noted:
                typed_rest_note()

    @app.command(short_help="Withdraw your decisions on chosen records, as 'Withdraw my decision' does on the web.")
    def withdraw(
        directory: Path = typer.Argument(..., help="The review project folder."),
        record_ids: list[int] = typer.Argument(..., metavar="RECORD_ID",
                                               help="The records (their record_id, as in a batch file or an "
                                                    "export) whose decisions you withdraw."),
        reviewer: Optional[str] = typer.Option(None, help="Whose decisions (needed in dual screening; left out, "
                                                          "the decisions entered without a name): only that reviewer's "
                                                          "own are withdrawn."),
        stage: str = typer.Option("title_abstract", help="title_abstract or full_text."),
    ):
        """Withdraw a reviewer's decisions on the records named: each record goes back to unscreened for them.

        The decisions stay in the log, with a withdrawal after each. Nothing is withdrawn if one record does not
        exist or holds no decision of the reviewer's ('screen' undoes the last decision with a key)."""
        from ..accounts import reviewer_name

        stage = checks.stage(stage)
        with open_project(directory) as project:
            if reviewer is None and dual_mode(project):
                ids = " ".join(str(i) for i in record_ids)
                raise InputError("this review is screened by two reviewers independently, so screener must know "
                                 f"whose decisions to withdraw: run 'screener withdraw {shell_quote(directory)} "
                                 f"{ids} --reviewer NAME', NAME being the name you screen under. Nothing was "
                                 "withdrawn.")
            try:
                who = reviewer_name(project, reviewer) if reviewer is not None else "reviewer"
            except InputError as exc:
                raise InputError(f"{exc} Nothing was withdrawn.") from None
            # single screening without --reviewer: the decisions entered with no name, which screener keeps
            # under its stand-in 'reviewer', a word its messages do not give as if it were someone's name
            unnamed = f"screener withdraw {shell_quote(directory)}" if reviewer is None else None
            done = project.withdraw_many(record_ids, reviewer=who, stage=stage, unnamed=unnamed)
            # the records named, a copy grouped under a fuller one (a search update's) among them: not the
            # studies' own records only, which gave a copy's title as ''
            titles = project.store.records_frame([rid for rid, _ in done])["title"]
            at = " at full text" if stage == "full_text" else ""
            said = [f"record {rid} '{_shortened(str(titles.get(rid, '')), 60)}' ({m['decision']}{at})"
                    for rid, m in done]
            k = len(done)
            whose = "" if reviewer is None else f"{who}'s "
            console.print(f"Withdrew {whose}{k} decision{'' if k == 1 else 's'}: {', '.join(said)}. The decision"
                          f"{'' if k == 1 else 's'} and the withdrawal{'' if k == 1 else 's'} stay in the decision "
                          f"log; {'the record is' if k == 1 else 'the records are'} {whose}to "
                          f"{'assess' if stage == 'full_text' else 'screen'} again.", highlight=False, markup=False)

    @app.command()
    def screen(
        directory: Path = typer.Argument(..., help="The review project folder."),
        reviewer: Optional[str] = typer.Option(None, help="Name stored with each decision (needed in dual "
                                                          "screening; else 'reviewer')."),
        model: Optional[str] = typer.Option(None, "--model", help=checks.MODEL_HELP),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model",
                                                      help=checks.EMBEDDING_HELP),
        limit: Optional[int] = typer.Option(None, help="Stop after this many decisions."),
    ):
        """Screen in the terminal, one record at a time; every key is saved at once.

        Keys: i include, e exclude, m maybe, u undo the last decision, n a note on the record shown, s skip, a the
        whole abstract (one cut to fit the screen), q quit.
        """
        from ..tui import run_screen

        checks.at_least("--limit", limit, 1, "how many decisions to take before stopping")
        checks.embedding_model(embedding_model)
        from .web_cmds import served_at

        with Project.open(directory) as project:
            served = None if project.store.shared else served_at(directory)
            if served is not None:
                # the server hands out records from what it holds in memory: a record screened here
                # could be on a teammate's screen there at the same moment
                where, pid = served
                raise ScreenerError(
                    f"{directory} is being served{f' at {where}' if where else ''} ('screener serve', process "
                    f"{pid or 'unknown'}): screen there, in a browser, so that no record is shown to two of you at "
                    "once; or stop that server first. For a team screening both ways, move the review to a "
                    "PostgreSQL server ('screener migrate').")
            reviewer = _reviewer_for(project, reviewer, directory, "screen") or "reviewer"
            counts, whose = _own_counts(project, reviewer)
            if counts.records and not counts.left:  # nothing to screen: no need to build the features
                console.print(next_step(counts, directory, whose, _team(project)), highlight=False, markup=False)
                return
            session = _session(project, model, embedding_model, reviewer=reviewer)
            session.prepare()  # features: a progress bar when many records are new
            if not session.has_text:
                console.print(f"[yellow]Note:[/] {NO_TEXT_NOTE}", highlight=False)
            run_screen(session, reviewer=reviewer, console=console, limit=limit)
            counts, whose = _own_counts(project, reviewer)
            if not counts.left and whose:  # dual: not sent to the team's figures, as 'label' and 'next' do not
                console.print(next_step(counts, directory, whose, _team(project)), highlight=False, markup=False)
            elif not counts.left:
                where = shell_quote(directory)
                console.print(f"See 'screener status {where}' for the recall and 'screener report {where}' "
                              "for the PRISMA numbers and methods text.", highlight=False, markup=False)
