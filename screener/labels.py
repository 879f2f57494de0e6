"""Reading screening decisions back from files: our batch files, Rayyan and Covidence exports.

Each row is matched to a study in the project by screener record id, then DOI, PMID, and
finally normalised title (+ year). A row that matches nothing stops the import with the rows
named, so no decision is silently lost; ``skip_unmatched`` imports the rest and lists them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .io.common import clean_pmid
from .io.detect import TABLE_FORMATS, WORKBOOK_FORMATS
from .io.encoding import decode_bytes
from .io.label_values import allowed_text, collect_unreadable, full_text_labels, parse_label, says_not_retrieved
from .io.ris import (DECISION_COMMENT_NOTE, DECISION_NOTE, DECISION_REASON_NOTE, FULL_TEXT_COMMENT_NOTE, FULL_TEXT_NOTE,
                     FULL_TEXT_REASON_NOTE, says_excluded_unread, screener_notes, unread_where)
from .io.tabular import ALIASES, _norm
from .records import normalise_doi, normalise_title
from .store import Decision
from .store.base import REST_EXCLUDED, is_rest_excluded, rest_excluded

_ID_COLUMNS = ("screener_id", "record_id")
_KEY_COLUMNS = ("doi", "pmid", "title")
#: The decision columns: those an import, 'simulate' and 'evaluate' read (``ALIASES``), a batch's 'decision' first,
#: and 'status' (a hand-made list's; not an import's, where a trial registry's 'Status' is the trial's own)
_DECISION_COLUMNS = ("decision",) + tuple(n for n in ALIASES["label"] if n != "decision") + ("status",)
#: An earlier stage's decision columns, beside the final ones (a Cohen-style set's title/abstract label beside its
#: 'label_included'): the two differ by design, and the final one is read
_EARLIER_STAGE_COLUMNS = frozenset({"labelabstractscreening"})
#: Some of them, as a message names them
_DECISION_NAMES_SHOWN = "decision, included, label or final decision"
#: Columns that give why a record was excluded (PRISMA counts the full-text exclusions per reason).
_REASON_COLUMNS = ("reason", "exclusion reason", "exclusion_reason", "reason for exclusion", "exclusion reasons",
                   "full-text exclusion reason")
#: A screener export's reason columns, one per stage: read back, each gives its own stage's reason.
_STAGE_REASON_COLUMNS = {"title_abstract": "decision_reason", "full_text": "full_text_reason"}
#: Every column a decisions table is read by, in the spelling this module looks it up in.
_TABLE_COLUMNS = (_ID_COLUMNS + _KEY_COLUMNS + _DECISION_COLUMNS + _REASON_COLUMNS
                  + tuple(_STAGE_REASON_COLUMNS.values())
                  + ("full_text_decision", "full_text_note", "note", "notes", "decision_note", "reviewer", "rank"))
_RAYYAN = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"([^"]+)"\s*=>\s*"([^"]+)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)")
#: Rayyan's USER-NOTES: {"Name"=>["a note", "another"]} (Ruby's way of writing a hash: a quote in a note is \")
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_RAYYAN_USER_NOTES = re.compile(r'USER-NOTES:\s*\{((?:[^\[\]"{}]|\[(?:[^\]"]|' + _QUOTED + r")*\]|"
                                + _QUOTED + r")*)\}")
_RAYYAN_NOTE_PAIR = re.compile("(" + _QUOTED + r')\s*=>\s*\[((?:[^\]"]|' + _QUOTED + r")*)\]")
#: added to a decision's origin ('label-file:NAME') when one decision was given for every row (--decision): such
#: a file cannot tell records read from records left unread (``_the_rest_before_it``)
ONE_DECISION = " (--decision {})"
#: added to it instead for 'exclude' typed on every row of a file no batch of 'screener next' wrote (an export of
#: the records left, a batch saved without its rank column): no more able to tell them apart
TYPED_EXCLUDES = " (exclude on each row)"
#: ``LabelImport.column`` of decisions read from Rayyan's notes (the CLI words its report for them)
RAYYAN_NOTES = "Rayyan's RAYYAN-INCLUSION notes"


def parse_decision(value, *, where: str) -> str | None:
    """A decision word (include/exclude/maybe and their usual spellings) or None for blank."""
    return parse_label(value, row=where)


@dataclass
class LabelRow:
    line: int  # where in the file (1-based): a table's row (the header is row 1), a text export's line
    decision: str
    reviewer: str | None = None
    note: str | None = None
    record_id: int | None = None
    doi: str | None = None
    pmid: str | None = None
    title: str | None = None
    year: int | None = None
    why: str | None = None  # why it matched no record, when there is more to say than "not found"
    rank: int | None = None  # the record's place in a screener batch file ('rank' column)
    reason: str | None = None  # why (a 'reason' column, or --reason): PRISMA's reasons for exclusion
    stage_reasons: dict | None = None  # a screener export's reasons per stage (``_STAGE_REASON_COLUMNS``)
    #: a screener export says this record was excluded unread at its stop (``io.ris.says_excluded_unread``)
    unread: bool = False
    #: what ``line`` counts: "row" in a table (CSV, TSV, workbook: the reviewer fills it in a spreadsheet),
    #: "line" in a text export (RIS, MEDLINE ...), "record" where the records share a line (EndNote XML)
    unit: str = "row"

    @property
    def where(self) -> str:
        """'row 4', 'line 12': one word for the same place in every message on a file."""
        return f"{self.unit} {self.line}"


_RANK_NOTE = re.compile(r"screener rank (\d+)")


def _batch_rank(raw: dict) -> int | None:
    """A batch file's rank: its 'rank' column, or (RIS) the 'screener rank N' note ``next`` wrote."""
    rank = _as_int(raw.get("rank")) if raw.get("rank") not in (None, "") else None
    if rank is None:
        for text in _texts(raw):
            m = _RANK_NOTE.search(text)
            if m:
                return int(m.group(1))
    return rank


def _texts(raw: dict):
    """Every text of a record's fields: a tag repeated in RIS (N1, the notes) is a list of them."""
    for value in raw.values():
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, str):
                yield item


def from_a_batch(rows: list[LabelRow]) -> bool:
    """Whether ``rows`` are a batch 'screener next' wrote (each row carries its rank, which only
    ``next`` writes): records put before the reviewer to screen, never the rest left unread at a stop."""
    return bool(rows) and all(r.rank is not None for r in rows)


def _in_rank_order(rows: list[LabelRow]) -> list[LabelRow]:
    """A batch file's decisions in the order of its ranking, whatever order its rows were sorted
    into (e.g. by decision in a spreadsheet): the log's order is the screening order the recall
    estimate reads, and includes first would look like a far better ranking than it was."""
    if from_a_batch(rows):
        return sorted(rows, key=lambda r: r.rank)
    return rows


@dataclass
class LabelImport:
    decisions: list[Decision] = field(default_factory=list)
    unmatched: list[LabelRow] = field(default_factory=list)
    matched_by: dict = field(default_factory=dict)  # how many rows matched by id/doi/pmid/title
    conflicts: list = field(default_factory=list)  # (study id, [(reviewer, decision, line), ...])
    already: int = 0  # decisions skipped because the project already held them
    repeated: int = 0  # rows skipped because an earlier row of the file gave the same decision
    column: str | None = None  # the file's column the decisions were read from
    passed_over: list = field(default_factory=list)  # an earlier stage's filled decision columns, not read
    blank: int = 0  # rows (records of an export) with no decision filled in yet
    # of those, rows whose record already had a decision (it stands: an empty cell withdraws nothing)
    blank_decided: int = 0
    # at full text, of the blank rows with no full-text decision, those whose record was not included
    # (or marked maybe) at title and abstract: no full text to assess, not a record left unscreened
    blank_not_sought: int | None = None  # None: not counted (dual screening, the file's own reviewers)
    # records whose current decision this file changed: (study id, (decision, reviewer) before,
    # (decision, reviewer) after or None when dual reviewers now disagree, the record id the file gave); reviewer
    # None in dual mode. The file's record is named: a search update's fuller copy made the study's own record
    # another one, whose number the reviewer never typed
    changed: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)  # whose decisions the file's matched rows are
    # the decisions saved, against what the record held before the file (in dual screening, against the
    # reviewer's own decision): none (new), another decision (changed), the same one (same: another
    # reviewer's name, or a new note or reason); "Saved 5 decisions" read as five records decided
    new: int = 0
    changed_decisions: int = 0
    same: int = 0
    # single screening: rows a more inclusive decision of the same file on the same study outweighs
    # (saved, yet the study never held them: "1 new, 1 changed" for one record screened once); with
    # the decision that outweighs them
    outweighed: int = 0
    kept: int = 0  # of those studies, ones whose winning decision is the one they held before
    outweighed_by: str | None = None
    # decisions of the rest excluded unread at a stop given again with --all-read (the reviewer's word): read now,
    # so screened; "repeated (... under another reviewer's name or with a new note or reason)" said neither
    read_now: int = 0
    # the file's decisions counted as the rest excluded unread at the stop (``_mark_the_rest``), and whether they
    # were 'exclude' typed on each row (no --decision): such a file counts as screened only once labelled --all-read
    rest_excluded: int = 0
    rest_typed: bool = False
    # the excludes of files labelled just before it with one decision each, counted with the rest now
    # (``_the_rest_before_it``): (file name, how many)
    rest_before: list = field(default_factory=list)
    # single screening, a batch of 'next': rows less inclusive than a teammate's decision made after the batch was
    # written (its records were unscreened then), not saved: (study id, their decision, their name, this row's, whose,
    # the record id the file gave: a search update's fuller copy can be the study's own record, a number not typed)
    not_over_teammate: list = field(default_factory=list)
    # rows giving again the exclude the project holds as the rest excluded unread at the stop, without --all-read:
    # not entered (the same file labelled twice, or a copy of it, says nothing of reading), still the rest
    still_rest: int = 0
    renoted: int = 0  # of those, rows saved for a new note, reason or reviewer's name (still the rest)
    # single screening: rows saved as excludes on records another account excluded unread at the stop, which stay
    # the rest (an exclude given again says nothing of reading): (study id, whose exclusion it was). Said as "the
    # same decisions again", the message spoke of decisions this reviewer had never labelled. Then the record id the
    # file gave (a search update's fuller copy can be the study's own record, a number the reviewer never typed)
    over_rest: list = field(default_factory=list)
    # rows a screener export says were excluded unread at its stop (its ``excluded_unread`` column): saved so
    said_unread: int = 0
    said_unread_where: str = ""  # where the file says so (``io.ris.unread_where``)


def read_label_rows(path, *, decision: str | None = None, reviewer: str | None = None, sheet=None) -> list[LabelRow]:
    """Rows with a decision from a label file (see ``read_label_file``)."""
    return read_label_file(path, decision=decision, reviewer=reviewer, sheet=sheet)[0]


def clean_reason(value) -> str | None:
    """A reason as one line of text, None for a blank one (a cell spreadsheets leave as NaN too)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def read_label_file(path, *, decision: str | None = None, reviewer: str | None = None,
                    stage: str = "title_abstract", sheet=None,
                    passed: list | None = None) -> tuple[list[LabelRow], str | None, list[LabelRow]]:
    """``_read_label_file``; at full text, 'not retrieved' is read as a decision too (``NOT_RETRIEVED``).
    ``passed`` gets the names of an earlier stage's filled decision columns the file has beside the one read."""
    if stage != "full_text":
        return _read_label_file(path, decision=decision, reviewer=reviewer, stage=stage, sheet=sheet, passed=passed)
    with full_text_labels():
        return _read_label_file(path, decision=decision, reviewer=reviewer, stage=stage, sheet=sheet, passed=passed)


def _read_label_file(path, *, decision: str | None, reviewer: str | None, stage: str,
                     sheet, passed: list | None = None) -> tuple[list[LabelRow], str | None, list[LabelRow]]:
    """Rows with a decision from a label file in any format screener reads, the column they
    were read from, and the rows with no decision yet (their ``decision`` empty).

    ``decision`` gives one decision for every row (a Covidence or reference-manager export of
    the included, or excluded, records); otherwise each row needs its own decision (a decision
    column, or Rayyan's ``RAYYAN-INCLUSION`` notes, in its CSV or RIS export). Every unreadable
    decision in the file is named in one error, so that one round of corrections is enough.
    A screener export holds both stages' decisions: at ``stage`` "full_text" its full-text ones
    are read (``full_text_decision``, or RIS's full-text notes), never its title/abstract ones.
    ``sheet``: the workbook's sheet that holds the decisions (its name or tab number), as for an import.
    """
    path = Path(path)
    if decision is not None:
        given = decision
        with collect_unreadable() as bad:
            decision = parse_decision(given, where="--decision")
        if decision is None or bad:
            ft = (" (or, at full text, --decision not_retrieved for reports whose full text could not be obtained)"
                  if stage == "full_text" or says_not_retrieved(given) else "")
            raise InputError(f"--decision {given!r} is not a decision screener can read: give --decision include, "
                             f"--decision exclude or --decision maybe{ft}."
                             + (" 'Not retrieved' is a full-text decision: add --stage full_text."
                                if stage != "full_text" and says_not_retrieved(given) else ""))
    if not path.exists():
        raise InputError("file not found. Check the path and name.", path=path)
    if path.is_dir():
        raise InputError("this is a folder, not a file. Give the decisions file itself.", path=path)
    from .io.detect import lock_file_error

    if (lock := lock_file_error(path)) is not None:
        raise lock
    _not_empty(path)
    table = _id_only_table(path, decision, sheet)
    if table is not None:
        return _rows_from_table(path, table, decision, reviewer, stage, passed)
    from .io import read_records

    with collect_unreadable() as bad:  # with --decision, the file's own decisions are not read
        try:
            result = read_records(path, sheet=sheet)
        except InputError as err:
            if "--format" in str(err):  # an import's words: 'label' has no --format to give
                raise InputError(
                    "screener cannot read this as a decisions file. A decisions file is the batch file 'screener "
                    "next' wrote (CSV, Excel or RIS) with its decision column filled in, or a Rayyan or Covidence "
                    "export (CSV or RIS): save the decisions as one of those and label them again. Nothing was saved.",
                    path=path) from None
            if "--column" not in str(err):
                raise
            raise InputError(
                "screener cannot tell which records these decisions are for. A decisions file needs a column that "
                "names each record (record_id from a screener batch file, doi, pmid or title) and a decision "
                "column (include, exclude or maybe); rename the columns to those names and try again.",
                path=path) from None
        column = _decision_column_read(result) if decision is None else None
        labels = list(result.labels)
        # screener's own RIS export (or an EndNote library built from it): its notes hold each
        # stage's decisions and the reviewers' notes; in RIS each record's ``ID`` is its record id (a
        # record without a title has nothing else to match by)
        own_export = any(screener_notes(r, DECISION_NOTE) for r in result.records)
        own_ris = own_export and result.format == "ris"
        comment = FULL_TEXT_COMMENT_NOTE if stage == "full_text" else DECISION_COMMENT_NOTE
        if decision is None and own_export:  # the stage's decision notes (and its reasons below)
            if stage == "full_text":
                with collect_unreadable():
                    labels = [next((parse_label(n, path=path, line=r.get("source_line"), column="notes")
                                    for n in screener_notes(r, FULL_TEXT_NOTE)), None) for r in result.records]
                if not any(labels):
                    raise _own_export_at_full_text(path)
                column = "screener's full-text decision notes"
        rows, blank, from_rayyan = [], [], False
        unit, place = _places(path, result)
        if decision is not None and stage == "title_abstract":
            read = _decision_column_read(result)
            if read is not None:
                _refuse_one_decision_against_the_files(
                    path, decision, [(place(r.get("source_line"), i) or (i + 1), lab)
                                     for i, (r, lab) in enumerate(zip(result.records, labels))], read.strip("'"), unit)
        relabelled = []  # (line, record id, Label, decision note) of records whose EndNote Label was changed
        for i, (rec, lab) in enumerate(zip(result.records, labels)):
            line = place(rec.get("source_line"), i) or (i + 1)
            raw = rec.get("raw") or {}
            if own_ris and decision is None and stage == "title_abstract":
                said = _label_changed(raw, lab)
                if said is not None:
                    relabelled.append((line, _as_int(raw.get("ID")), said, lab))
            ris_reasons = {stage_: next(iter(screener_notes(rec, note)), None) for stage_, note in
                           (("title_abstract", DECISION_REASON_NOTE), ("full_text", FULL_TEXT_REASON_NOTE))}
            note = next(iter(screener_notes(rec, comment)), None) if own_export and decision is None else None
            if note is None and decision is None and result.format in TABLE_FORMATS and not _from_rayyan(raw):
                # a batch whose column names are not on its first row (a title above them): its 'note'
                note = _text_or_none(_first_key(raw, _note_columns(stage)))
            base = dict(line=line, unit=unit, note=note,
                        record_id=_as_int(_first_key(raw, _ID_COLUMNS + (("id",) if own_ris else ()))),
                        doi=rec.get("doi"), pmid=rec.get("pmid"), title=rec.get("title"), year=rec.get("year"),
                        rank=_batch_rank(raw), reason=_exclusion_reason(raw),
                        stage_reasons=_stage_reasons(raw) or {k: v for k, v in ris_reasons.items() if v} or None,
                        unread=stage == "title_abstract" and says_excluded_unread(rec))
            rayyan = _rayyan_decisions(raw, f"{unit} {line}") if decision is None else []
            if decision is not None:
                rows.append(LabelRow(decision=decision, reviewer=reviewer, **base))
            elif lab is not None:  # a table's 'reviewer' column names whose decision it is, as in a batch
                who = reviewer or (_text_or_none(_first_key(raw, ("reviewer",)))
                                   if result.format in TABLE_FORMATS else None)
                rows.append(LabelRow(decision=lab, reviewer=who, **base))
            elif rayyan:
                from_rayyan = True
                base["reason"] = base["reason"] or _rayyan_reasons(raw)
                said = _rayyan_notes(raw)
                for who, dec in rayyan:
                    rows.append(LabelRow(decision=dec, reviewer=reviewer or who, **{**base, "note": said.get(who)}))
            else:  # not screened yet (in Rayyan: no RAYYAN-INCLUSION note)
                blank.append(LabelRow(decision="", reviewer=reviewer, **base))
    if relabelled:
        raise _label_field_changed(path, relabelled)
    if bad and decision is None:
        for b in bad:  # the reader counts a CSV's lines; a message on a table names its rows
            m = re.fullmatch(r"line (\d+)(.*)", b.where or "", re.S)
            if m and unit == "row":
                b.where = f"{unit} {place(int(m.group(1)), None)}{m.group(2)}"
        raise _unreadable(path, bad)
    if decision is None and column is not None and result.format in TABLE_FORMATS:
        _refuse_decision_columns_that_disagree(path, result, labels, column, unit, place)
        if passed is not None:
            header = list(result.records[0].get("raw") or {}) if result.records else []
            passed.extend(h for h in header if _norm(h) in _EARLIER_STAGE_COLUMNS and repr(h) != column
                          and any(str((r.get("raw") or {}).get(h) or "").strip() for r in result.records))
    if not rows and result.records:
        header = result.records[0].get("raw") or {}
        empty = next((h for h in header if _norm(h) in ALIASES["label"]), None)
        if empty is not None:
            raise _no_decisions(path, repr(empty))
        if any(_from_rayyan(r.get("raw") or {}) for r in result.records):
            n = len(result.records)
            raise InputError(
                f"no record in this Rayyan export has a decision yet ({n} record{'s' * (n != 1)}, none with a "
                "RAYYAN-INCLUSION note: a reviewer's include, exclude or maybe). Screen the records in Rayyan, "
                "export them again, and run the same command with the new file. Nothing was saved.", path=path)
        raise InputError("no decisions found: the file has no decision column and no Rayyan decisions. Add a "
                         "'decision' column (include/exclude/maybe), or give --decision include|exclude if every "
                         "record in the file has the same decision. Nothing was saved.", path=path)
    if column is None and decision is None and from_rayyan:
        column = RAYYAN_NOTES
    return _in_rank_order(rows), column, blank


def _not_empty(path: Path) -> None:
    """An empty decisions file is a batch saved before it was filled in (or not saved at all), not a
    search export cut short: the reader's words ("export the search results again") did not fit it."""
    from .io.reader import _HEAD, _blank

    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD + 1)
    except OSError:
        return  # the reader says why it cannot be opened
    if len(head) <= _HEAD and _blank(head):
        raise InputError("the file is empty. Fill in the decision column of the batch (include, exclude or maybe), "
                         "save it, and label it again. Nothing was saved.", path=path)


def _unreadable(path, bad) -> InputError:
    """One error naming every unreadable decision of a file (the first ten, then how many more)."""
    n = len(bad)
    columns = {b.column for b in bad if b.column}
    col = f" in the column {next(iter(columns))!r}" if len(columns) == 1 else ""
    shown = ", ".join(f"{b.where or 'a row'} ({str(b.value)!r})" for b in bad[:10])
    more = f" and {n - 10} more" if n > 10 else ""
    what = "1 decision" + col + " is not one" if n == 1 else f"{n} decisions{col} are not ones"
    rayyan = (" Rayyan writes each record's decisions as RAYYAN-INCLUSION: {\"Name\"=>\"Included\"} (or "
              "\"Excluded\", \"Maybe\"): if the file was edited, export it from Rayyan again."
              if any("Rayyan decision" in (b.where or "") for b in bad) else "")
    ft = (" 'Not retrieved' is a full-text decision (the full text could not be obtained): read the file with "
          "--stage full_text." if any(says_not_retrieved(b.value) for b in bad) and "not retrieved" not in
          allowed_text() else "")
    err = InputError(
        f"{what} screener can read: {shown}{more}. Write each as one of {allowed_text()} (a record not screened "
        f"yet), then run the same command again.{rayyan}{ft} If the file holds only included (or only excluded) "
        "records, --decision include (or --decision exclude) gives every record that decision and this column "
        "is not read. Nothing was saved.", path=path)
    err.unreadable = bad  # (a file that holds decisions, however written: ``unsaved_decisions``)
    return err


def _no_decisions(path, column: str) -> InputError:
    return InputError(
        f"the decision column {column} is empty on every row: no record in this file has a decision filled in "
        "yet. Write include, exclude or maybe in that column for the records you have screened, save the file, "
        "and run the same command again (or give --decision include or --decision exclude if every record in "
        "the file has that decision). Nothing was saved.", path=path)


def _id_only_table(path: Path, decision: str | None = None, sheet=None) -> pd.DataFrame | None:
    """A CSV/TSV/XLSX of decisions naming records by screener id, DOI, PMID or title (our batch
    files, or a hand-made list such as ``doi,decision``); None for other files (exports).

    The index is each row's number as a spreadsheet shows it (the header is row 1), empty lines
    counted, so that a message names the row the reviewer sees; rows left empty are dropped here
    (they name no record, and are not records left undecided)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            # as an import reads it: Excel's 'CSV (semicolon)' is Windows-1252 in much of Europe, and a
            # file read only as UTF-8 went to the export readers, which keep no note
            text, _, _ = decode_bytes(path.read_bytes(), path)
            df = pd.read_csv(io.StringIO(text), sep=_separator(path, suffix), dtype=str, keep_default_na=False,
                             skip_blank_lines=False).fillna("")
        elif suffix == ".xlsx":
            df = pd.read_excel(path, dtype=str, sheet_name=_sheet_name(path, sheet)).fillna("")
        else:
            return None
    except InputError:
        raise
    except Exception:  # not a plain table: the format readers give the proper message
        return None
    df.index = range(2, len(df) + 2)
    df = df[df.astype(str).apply(lambda col: col.str.strip() != "").any(axis=1)]
    cols = _known_names(df.columns)
    if not any(c in cols for c in _ID_COLUMNS):
        # a hand-made table: DOI, PMID or title beside a decision column, and nothing else to read
        has_key = any(c in cols for c in _KEY_COLUMNS)
        has_decision = decision is not None or any(c in cols for c in _DECISION_COLUMNS)
        if not (has_key and has_decision) or "abstract" in cols:
            return None
    out = df.rename(columns={v: k for k, v in cols.items()})
    if suffix != ".xlsx":
        from .io.export import csv_unguard, is_own_export

        if is_own_export(out.columns):  # screener's own export: its guard against formulas comes off
            out = out.apply(lambda col: col.map(lambda v: csv_unguard(v) if isinstance(v, str) else v))
    out.attrs["original"] = {k: str(v) for k, v in cols.items()}
    return out


def _known_names(columns) -> dict[str, object]:
    """Each column under the name this module reads it by: lower case, and a name written with other
    spaces, hyphens or capitals ('Record ID', 'Full-text decision') as the one it stands for."""
    low = [str(c).strip().lower() for c in columns]
    known = {_norm(k): k for k in reversed(_TABLE_COLUMNS)}
    out = {}
    for name, col in zip(low, columns):
        canonical = known.get(_norm(name), name)
        out[name if canonical in low or canonical in out else canonical] = col
    return out


def _sheet_name(path: Path, sheet) -> str | int:
    """The workbook's sheet ``sheet`` names (its name or its tab's number from 1), else the first."""
    if sheet is None:
        return 0
    from openpyxl import load_workbook

    from .io.tabular import _pick_sheet

    with open(path, "rb") as fh:
        wb = load_workbook(fh, read_only=True)
        try:
            return _pick_sheet(wb.sheetnames, sheet, path)
        finally:
            wb.close()


def _own_export_at_full_text(path) -> InputError:
    return InputError(
        "this is an export of a screener project, and its decisions are the title/abstract ones; read back at "
        "full text they would replace the full-text decisions. Write the full-text decisions in its "
        "'full_text_decision' column (or a file of record_id and decision), and read that. Nothing was saved.",
        path=path)


def _separator(path: Path, suffix: str) -> str:
    """The column separator of a decisions table: a tab for .tsv, else the commonest of comma,
    semicolon (Excel in much of Europe) and tab on its first line."""
    if suffix == ".tsv":
        return "\t"
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        first = next((ln for ln in fh if ln.strip()), "")
    return max((",", ";", "\t"), key=first.count)


def _rows_from_table(path, df, decision, reviewer, stage="title_abstract",
                     passed: list | None = None) -> tuple[list[LabelRow], str | None, list[LabelRow]]:
    held = [c for c in _DECISION_COLUMNS if c in df.columns]
    filled = [c for c in held if df[c].astype(str).str.strip().ne("").any()]
    earlier = [c for c in filled if c in _EARLIER_STAGE_COLUMNS]
    # an earlier stage's column beside a final one is passed over, as an export read by title is
    # (``_refuse_decision_columns_that_disagree``): the two differ by design, and refused, the same file named by
    # record_id was not read at all
    filled = [c for c in filled if c not in _EARLIER_STAGE_COLUMNS] or filled
    dcol = (filled or held or [None])[0]  # a second decision column left empty is no doubt
    if decision is None and stage == "full_text":  # a screener export: its full-text column, never 'decision'
        from .io.export import is_own_export

        if "full_text_decision" in df.columns:
            dcol = "full_text_decision"
        elif is_own_export(df.columns):
            raise _own_export_at_full_text(path)
    if dcol is None and decision is None:
        looked = ("full_text_decision, " if stage == "full_text" else "") + _DECISION_NAMES_SHOWN
        from .io.tabular import _column_list

        own = [str(df.attrs.get("original", {}).get(c, c)) for c in df.columns]
        want = "full_text_decision" if stage == "full_text" else "decision"
        raise InputError(f"no decision column: its columns are {_column_list(own)} (looked for "
                         f"{looked}, among others). Name the column that holds the decisions '{want}' (include, "
                         "exclude or maybe), or add one, or give --decision. Nothing was saved.", path=path)
    if decision is None and dcol != "full_text_decision" and len(filled) > 1:
        raise _two_decision_columns(path, [str(df.attrs.get("original", {}).get(c, c)) for c in filled])
    idcol = next((c for c in _ID_COLUMNS if c in df.columns), None)
    name = str(df.attrs.get("original", {}).get(dcol, dcol)) if decision is None else None
    if passed is not None and decision is None:
        passed.extend(str(df.attrs.get("original", {}).get(c, c)) for c in earlier if c != dcol)
    shown = repr(name) if name is not None else None
    own = "full_text_decision" if stage == "full_text" else dcol
    if decision is not None and own in df.columns and own not in _EARLIER_STAGE_COLUMNS:
        with collect_unreadable():  # a cell that is no decision says nothing against the one given
            theirs = [(line, parse_label(r.get(own))) for line, r in zip(df.index, df.to_dict("records"))]
        _refuse_one_decision_against_the_files(path, decision, theirs,
                                               str(df.attrs.get("original", {}).get(own, own)), "row")
    rows, blank = [], []
    with collect_unreadable() as bad:
        decisions = [decision if decision is not None else parse_label(r.get(dcol), row=f"row {i}", column=name)
                     for i, r in zip(df.index, df.to_dict("records"))]
    if bad:
        raise _unreadable(path, bad)
    if len(df) and not any(decisions):
        raise _no_decisions(path, shown)
    note_cols = _note_columns("full_text" if dcol == "full_text_decision" else "title_abstract")
    for line, r, dec in zip(df.index, df.to_dict("records"), decisions):
        if dec is None:  # a batch row the reviewer has not decided yet
            blank.append(LabelRow(line=line, decision="", record_id=_as_int(r.get(idcol)) if idcol else None,
                                  doi=r.get("doi") or None, pmid=clean_pmid(r.get("pmid")),
                                  title=r.get("title") or None, year=_as_int(r.get("year"))))
            continue
        rid = _as_int(r.get(idcol)) if idcol else None
        if idcol and r.get(idcol) not in (None, "") and rid is None:
            raise InputError(_not_a_record_id(r.get(idcol), str(df.attrs.get("original", {}).get(idcol, idcol))),
                             path=path, row=line)
        rows.append(LabelRow(line=line, decision=dec, reviewer=reviewer or (r.get("reviewer") or None),
                             note=next((str(r[c]).strip() for c in note_cols if str(r.get(c) or "").strip()), None),
                             record_id=rid, doi=r.get("doi") or None,
                             pmid=clean_pmid(r.get("pmid")), title=r.get("title") if "title" in r else None,
                             year=_as_int(r.get("year")),
                             rank=_batch_rank(r), reason=_exclusion_reason(r), stage_reasons=_stage_reasons(r),
                             unread=stage == "title_abstract" and says_excluded_unread({"raw": r})))
    return _in_rank_order(rows), shown, blank


def _refuse_decision_columns_that_disagree(path, result, labels, column: str, unit: str, place) -> None:
    """An export with two decision columns filled in was read from the first name looked for (``ALIASES``), the
    other passed over without a word: where they give a row different decisions, reading one could change a
    record's decision against the other. Refused, naming the rows; columns that agree are no doubt."""
    header = list(result.records[0].get("raw") or {}) if result.records else []
    read = next((h for h in header if repr(h) == column), None)
    others = [h for h in header if h != read and _norm(h) in ALIASES["label"] and _norm(h) not in
              _EARLIER_STAGE_COLUMNS]
    if read is None or not others:
        return
    differ = []
    with collect_unreadable():  # a cell of the other column that is no decision says nothing against this one
        for i, (rec, lab) in enumerate(zip(result.records, labels)):
            for other in others:
                theirs = parse_label((rec.get("raw") or {}).get(other))
                if lab is not None and theirs is not None and theirs != lab:
                    differ.append((place(rec.get("source_line"), i) or i + 1, lab, other, theirs))
    if differ:
        names = [read] + [o for o in others if any(d[2] == o for d in differ)]
        shown = ", ".join(f"{unit} {n} ({lab} in {read!r}, {theirs} in {other!r})" for n, lab, other, theirs
                          in differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
        raise _two_decision_columns(path, names, f"they give different decisions on {shown}")


def _decision_column_read(result) -> str | None:
    """The column a table's reader took its decisions from, quoted as its note names it ("'label'"); None where it
    read none. Read from the note, where the reader says which of the file's columns it chose."""
    return next((w.split("column ", 1)[1].split(";")[0].rstrip(".") for w in result.warnings
                 if "decisions read from the column" in w), None)


def _refuse_one_decision_against_the_files(path, decision: str, theirs: list, column: str, unit: str) -> None:
    """One ``--decision`` for every row of a file whose own decision ``column`` says otherwise on some rows (a batch
    filled in, an export of every record): their own decisions, includes among them, were replaced without a word.
    Refused, naming those rows (``theirs``: each row's place and own decision, None where it has none)."""
    differ = [(where, own) for where, own in theirs if own is not None and own != decision]
    if not differ:
        return
    n = len(differ)
    shown = ", ".join(f"{unit} {where} ({own})" for where, own in differ[:10]) + (f" and {n - 10} more" if n > 10
                                                                                  else "")
    raise InputError(
        f"--decision {decision} gives every record of the file that decision, but the file's own column {column!r} "
        f"says otherwise on {n} {unit}{'s' if n != 1 else ''}: {shown}. To save the file's own decisions, run the "
        f"same command without --decision (its empty {unit}s stay unscreened); if every record in it is to be "
        f"marked {decision}, empty that column first. Nothing was saved.", path=path)


def _two_decision_columns(path, names: list[str], differ: str = "") -> InputError:
    """Two columns of decisions filled in: reading either one would pass the other over without a word.
    ``differ``: where they disagree, in words."""
    both = ", ".join(map(repr, names[:-1])) + f" and {names[-1]!r}"
    return InputError(
        f"the file has {len(names)} decision columns filled in, {both}, and screener cannot tell which holds the "
        f"decisions to save{': ' + differ if differ else ''}. Keep the decisions in one of them (delete the other "
        "column, or rename it to something "
        "that is not a decision, such as 'earlier decision'), save the file and run the same command again. Nothing "
        "was saved.", path=path)


def match_label_rows(rows: list[LabelRow], records: pd.DataFrame, primary_of: pd.Series | None = None):
    """(matched (row, record_id, how) list, unmatched rows) against all project records. A DOI,
    PubMed id or title that several copies of one study share matches the study's own record (the
    one screened), not the first copy by id: the decision stays with it if the copies are parted.

    One DOI, PubMed id or title can also belong to different studies (abstracts of one congress
    share their supplement's DOI; "Editorial" is many records' title). Such a row is matched by
    what else it says (its title, then its year); if that still leaves several studies, it is
    matched only where the file settles it: as many of its rows as there are such studies, each
    saying the same thing (an export of every record), one row to each. Otherwise it is left
    unmatched with the candidate records named: a decision put on the wrong study would be a
    wrong include or exclude the reviewer never made."""
    if "is_primary" in records.columns:
        records = records.sort_values("is_primary", ascending=False, kind="stable")
    ids = set(records.index)
    group = records["group_id"] if "group_id" in records.columns else pd.Series(records.index, index=records.index)
    by_doi: dict[str, list[int]] = {}
    by_pmid: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    titles: dict[int, str] = {}
    years: dict[int, object] = {}
    for rid, doi, pmid, title, year in zip(records.index, records["doi"], records["pmid"], records["title"],
                                           records["year"]):
        if isinstance(doi, str) and normalise_doi(doi):
            by_doi.setdefault(normalise_doi(doi), []).append(rid)
        if isinstance(pmid, str) and pmid:
            by_pmid.setdefault(pmid.strip(), []).append(rid)
        nt = normalise_title(title if isinstance(title, str) else None)
        titles[rid], years[rid] = nt, year
        if nt:
            by_title.setdefault(nt, []).append(rid)

    def studies(rids: list[int]) -> list[int]:
        """One record per study (its primary: records come primaries first), in id order."""
        seen: dict[int, int] = {}
        for rid in rids:
            seen.setdefault(int(group.get(rid, rid)), rid)
        return sorted(seen.values())

    def narrow(rids: list[int], row: LabelRow, by_title_too: bool) -> list[int]:
        """The studies among ``rids`` that the row's title, then its year, point to."""
        cands = studies(rids)
        if len(cands) > 1 and by_title_too and row.title:
            nt = normalise_title(row.title)
            same = [r for r in cands if titles.get(r) == nt] or [r for r in cands if _similar(nt, titles.get(r))]
            cands = same or cands
        if len(cands) > 1 and row.year is not None:
            cands = [r for r in cands if pd.notna(years.get(r)) and int(years[r]) == int(row.year)] or cands
        return cands

    matched, unmatched = [], []
    ambiguous: dict[tuple, list[LabelRow]] = {}  # (how, candidate records) -> rows left to settle
    for row in rows:
        hit, how, cands = None, None, []
        if row.record_id is not None and row.record_id in ids:
            nt = normalise_title(row.title)
            there = normalise_title(records.at[row.record_id, "title"])
            held = records.loc[row.record_id]
            if not nt and there and (row.title == "" or _differ(row.doi, held["doi"], normalise_doi)
                                     or _differ(row.pmid, held["pmid"], str.strip)):
                # a row without a title from a file that gives titles (an export's record without
                # one), or with another DOI or PMID: that id is another record here, as in an
                # export of another project whose records were imported in another order
                row.why = (f"record id {row.record_id} is in this project, but as "
                           f"'{str(records.at[row.record_id, 'title'])[:60]}'")
            elif not nt or nt == there:
                hit, how = row.record_id, "id"
            elif _similar(nt, there) or (row.doi and normalise_doi(row.doi) and normalise_doi(row.doi) == normalise_doi(
                    records.at[row.record_id, "doi"] if isinstance(records.at[row.record_id, "doi"], str) else "")):
                hit, how = row.record_id, "id (title edited)"
            else:
                row.why = (f"record id {row.record_id} is in this project, but as "
                           f"'{str(records.at[row.record_id, 'title'])[:60]}'")
        for key, index, by_title_too in (("doi", by_doi, True), ("pmid", by_pmid, True), ("title", by_title, False)):
            if hit is not None or cands:
                break
            value = {"doi": lambda: normalise_doi(row.doi) if row.doi else None,
                     "pmid": lambda: str(row.pmid).strip() if row.pmid else None,
                     "title": lambda: normalise_title(row.title) if row.title else None}[key]()
            if value and value in index:
                cands = narrow(index[value], row, by_title_too)
                how = key
                if len(cands) == 1:
                    hit, cands = cands[0], []
        if hit is not None:
            matched.append((row, int(hit), how))
        elif cands:
            ambiguous.setdefault((how, tuple(cands)), []).append(row)
        else:
            unmatched.append(row)
    for (how, cands), items in ambiguous.items():
        lines = list(dict.fromkeys(r.line for r in items))
        said = {line: sorted((r.reviewer or "", r.decision, r.note or "", r.reason or "") for r in items
                             if r.line == line) for line in lines}
        # rows with a title only: a list naming one study twice by a shared DOI alone is no export
        # of every record, and one row each would include a study it never named
        if len(lines) == len(cands) and all(r.title for r in items) and all(v == said[lines[0]]
                                                                             for v in said.values()):
            to = dict(zip(lines, cands))
            matched.extend((r, int(to[r.line]), how) for r in items)
            continue
        what = {"doi": "its DOI", "pmid": "its PubMed id", "title": "its title"}[how]
        for r in items:
            r.why = (f"{what} fits {len(cands)} different studies in this project, records "
                     f"{', '.join(str(c) for c in cands)}, and nothing else in the row tells which; "
                     "give the record's screener id (a batch file from 'next' has it)")
            unmatched.append(r)
    if ambiguous:  # the file's order, as the caller keeps it for rows matched later
        place = {id(r): i for i, r in enumerate(rows)}
        matched.sort(key=lambda m: place[id(m[0])])
        unmatched.sort(key=lambda r: place[id(r)])
    return matched, unmatched


def import_labels(project, path, *, reviewer: str | None = None, decision: str | None = None,
                  stage: str = "title_abstract", skip_unmatched: bool = False,
                  reason: str | None = None, sheet=None, all_read: bool = False) -> LabelImport:
    """Read a label file and append its decisions to the project's log in one transaction.

    ``all_read``: the reviewer's word that every record of the file was read (``label --all-read``): its
    decisions count as screened, also those on records left at a stop, and those giving again a decision held as
    the rest excluded unread. Without it, a file that excludes the records left is the rest (``_mark_the_rest``),
    and labelling the same decisions again (the command run twice, a copy of the file) leaves them so: read as
    screened, the second run turned 40 records never read into "Every record has been screened", recall 100%.

    ``reviewer`` names the rows the file does not name. Dual screening needs it (or names in the
    file): a made-up name would be a third reviewer, and would break the blinding.
    ``reason`` is the reason of every excluded row the file gives none (a list exported per
    reason); reasons are kept with exclusions only, and a screener export's reason column of
    this ``stage`` comes first."""
    passed: list[str] = []
    rows, column, blank = read_label_file(path, decision=decision, reviewer=None, stage=stage, sheet=sheet,
                                          passed=passed)
    named = reviewer  # whose own decisions a dual-screening file's empty rows are read against
    for r in rows:
        # an export's reason column of this stage (not another stage's), else the file's, else
        # --reason; kept with exclusions only: PRISMA's reasons are why a record was excluded
        r.reason = (r.stage_reasons or {}).get(stage) or r.reason or clean_reason(reason)
        if r.decision != "exclude":
            r.reason = None
    if not rows:
        raise InputError("the file holds no records, so there are no decisions to save. Check that it is the file "
                         "you meant: a filled-in batch file, or an export of your screening decisions. Nothing was "
                         "saved.", path=path)
    dual = project.settings.get("mode") == "dual"
    if dual:  # names from the file's reviewer column, checked as --reviewer is (a variant is a third reviewer)
        from .accounts import reviewer_name

        known: dict[str, str] = {}
        for r in rows:
            if r.reviewer:
                if r.reviewer not in known:
                    try:
                        known[r.reviewer] = reviewer_name(project, r.reviewer, what="the reviewer")
                    except InputError as exc:
                        at = {"record": str(r.line)} if r.unit == "record" else {r.unit: r.line}
                        raise InputError(f"{exc} Nothing was saved.", path=path, **at) from None
                r.reviewer = known[r.reviewer]
        _all_read_of_others(path, rows, reviewer, all_read)
    if reviewer is None:
        nameless = sum(1 for r in rows if not r.reviewer)
        if dual and nameless:
            which = "the file does" if nameless == len(rows) else f"{nameless} of its {len(rows)} decisions do"
            raise InputError(
                f"this review is screened by two reviewers independently, so screener must know whose decisions "
                f"these are, and {which} not say. Run the same command again with --reviewer NAME, NAME being "
                "the name you screen under (the same every time). Nothing was saved.", path=path)
        reviewer = "reviewer"
    # rows naming a record id (a batch file written by ``next``) are checked against those records
    # alone; all records are read only for rows left over (a 500,000-record review takes seconds)
    everyone = []  # every record, read once if rows need it
    made_from = _records_made_from(project, path, sheet)

    def from_import(row: LabelRow) -> int | None:
        """The record imported from this row (the file was imported here): the one that came with
        the row's record id, its title confirming it."""
        rid, title = made_from.get(row.record_id, (None, None)) if row.record_id is not None else (None, None)
        return rid if rid is not None and normalise_title(row.title or None) == title else None

    def match(rows: list[LabelRow]):
        if made_from:  # this very file was imported here: each row is the record made from it
            direct = [(r, from_import(r), "the row it was imported from") for r in rows if from_import(r)]
            if direct:
                place = {id(r): i for i, r in enumerate(rows)}
                rest = [r for r in rows if not from_import(r)]
                more, unmatched = match(rest) if rest else ([], [])
                return sorted(direct + more, key=lambda m: place[id(m[0])]), unmatched
        ids = sorted({r.record_id for r in rows if r.record_id is not None})
        matched, unmatched = match_label_rows(rows, project.store.records_frame(ids)) if ids else ([], rows)
        # only what the ids settle: a DOI or title met among those few records may be another study's too
        unmatched += [row for row, _, how in matched if not how.startswith("id")]
        matched = [m for m in matched if m[2].startswith("id")]
        if unmatched:
            if not everyone:
                everyone.append(project.records_frame(primary_only=False))
            more, unmatched = match_label_rows(unmatched, everyone[0])
            place = {id(r): i for i, r in enumerate(rows)}  # the screening order (``_in_rank_order``)
            matched = sorted(matched + more, key=lambda m: place[id(m[0])])
        return matched, unmatched

    matched, unmatched = match(rows)
    if unmatched and (not skip_unmatched or not matched):
        shown = "; ".join(_describe(r) for r in unmatched[:10])
        more = f" and {len(unmatched) - 10} more" if len(unmatched) > 10 else ""
        others = ", or pass --skip-unmatched to import the others" if matched else ""
        if all(r.title and not (r.why or r.record_id is not None or r.doi or r.pmid) for r in unmatched):
            # titles alone: a record of this review under a title another tool changed is no record of another's
            from .shell import shell_quote

            raise InputError(
                f"{len(unmatched)} of {len(rows)} decisions give a title no record of this project has, and the "
                f"file has no record id, DOI or PMID on those rows to match them by: {shown}{more}. A record of "
                "another review, or a title changed on its way through another tool (cut short, re-spelt), is not "
                "matched by guesswork. Check that the file belongs to this review and that those titles are the "
                f"project's ('screener export {shell_quote(project.dir)} -o records.csv' lists them), or "
                + ("add a doi or record_id column" if unmatched[0].unit == "row" else "give those records their DOI")
                + f"{others}. Nothing was imported.", path=path)
        which = ("do not name one record of this project" if any(r.why and " different studies " in r.why
                                                                   for r in unmatched)
                 else "name records that are not in this project")
        raise InputError(f"{len(unmatched)} of {len(rows)} decisions {which}: "
                         f"{shown}{more}. Check that the file belongs to this review (matching uses record id, DOI, "
                         f"PMID, then title){others}. Nothing was imported.", path=path)
    out = LabelImport(unmatched=unmatched, column=column, blank=len(blank), passed_over=passed)
    primary = project._primary_of()
    study = lambda rid: int(primary.get(rid, rid)) if len(primary) else int(rid)  # noqa: E731
    if stage == "full_text" and not dual and matched and from_a_batch(rows):
        _refuse_a_title_abstract_batch(project, path, [study(rid) for _, rid, _ in matched])
    if blank and (not dual or named is not None):  # dual: the reviewer's own decisions (blinding)
        decided = set(project.current_decisions(stage=stage, reviewer=named if dual else None).index)
        given = {study(rid) for _, rid, _ in matched}
        blank_ids = [study(rid) for _, rid, _ in match(blank)[0]]
        out.blank_decided = sum(1 for sid in blank_ids if sid in decided and sid not in given)
        if stage == "full_text":
            ta = project.current_decisions(reviewer=named if dual else None)["decision"]
            sought = set(ta.index[ta.isin(["include", "maybe"])])
            out.blank_not_sought = sum(1 for sid in blank_ids if sid not in sought and sid not in decided
                                       and sid not in given)
    matched = _in_ranking_order(project, matched, study)
    # every reviewer's decisions are kept; where decisions in this file disagree on a study, the
    # most inclusive is entered last (so it is the current one) and the disagreement is reported
    by_study: dict[int, list] = {}
    for row, rid, how in matched:
        by_study.setdefault(study(rid), []).append((row, rid, how))
    rank = {"not_retrieved": -1, "exclude": 0, "maybe": 1, "include": 2}
    ordered = []
    wins = {}  # study -> the decision that outweighs the others of this file on it
    for sid, items in by_study.items():
        if len({r.decision for r, _, _ in items}) > 1:
            out.conflicts.append((sid, [(r.reviewer or reviewer, r.decision, r.where) for r, _, _ in items]))
            items = sorted(items, key=lambda it: rank.get(it[0].decision, 1))
            wins[sid] = items[-1][0].decision
        ordered.extend((row, rid, how, i == len(items) - 1) for i, (row, rid, how) in enumerate(items))
    # a reviewer's decision the project already holds (same record, decision and note) is not
    # entered twice, so reading the same file again changes nothing; but in single screening,
    # when someone else has decided the record since, it is entered again and becomes the
    # record's current decision once more (the file's last word on the record)
    out.reviewers = sorted({row.reviewer or reviewer for row, _, _, _ in ordered})
    log = project.decision_log()
    log = log[log["stage"] == stage]
    latest = {}
    if not log.empty:
        log = log.assign(study=[study(r) for r in log["record_id"]])
        for r in log.groupby(["study", "reviewer"], sort=False).tail(1).itertuples(index=False):
            latest[(r.study, r.reviewer)] = (r.decision, r.note if isinstance(r.note, str) else None,
                                             clean_reason(getattr(r, "reason", None)), is_rest_excluded(r.origin))
    before = project.current_decisions(stage=stage)
    current = before["decision"].to_dict()
    batch = not dual and from_a_batch(rows)
    # single screening: the studies whose decision is the rest excluded unread, whoever's name it is under (the
    # file labelled again under another name counted them as screened)
    rest_now = set(before.index[rest_excluded(before["origin"])]) if not dual and "origin" in before.columns \
        else set()
    from_file = set()  # (study, reviewer) given a decision by an earlier row of this file
    # 'exclude' typed on every row of a file no batch of 'next' wrote: told apart in the log (``_the_rest_before_it``)
    typed_excludes = (decision is None and not all_read and stage == "title_abstract" and not from_a_batch(rows)
                      and all(r.decision == "exclude" for r in rows))
    for row, rid, how, last in ordered:
        who, sid = row.reviewer or reviewer, study(rid)
        held = latest.get((sid, who))  # a row without a reason leaves the reason as it is: nothing new
        # notes compared word for word (the RIS export writes a note on one line, a table trims it);
        # a row without a note (a list of the included records) leaves the note as it is
        if held is not None and held[0] == row.decision and _words(row.note) in ("", _words(held[1])) and (
                row.reason in (None, held[2])) and (
                dual or not last or current.get(sid) == row.decision) and not (held[3] and all_read):
            if (sid, who) in from_file:
                out.repeated += 1
            elif held[3]:
                out.still_rest += 1
            else:
                out.already += 1
            continue
        if batch and _less_than_a_teammates(before, sid, who, row.decision, rank):
            out.not_over_teammate.append((sid, before.at[sid, "decision"], str(before.at[sid, "reviewer"]),
                                          row.decision, who, rid))
            continue
        from_file.add((sid, who))
        # what the record held before this row (an earlier row of the file included: a second reviewer's
        # decision on a record repeats or changes the first's); in dual screening, the reviewer's own (one
        # they withdrew is none)
        had = (held or (None,))[0] if dual else current.get(sid)
        outweighed = not dual and not last and sid in wins and row.decision != wins[sid]
        # the rest's exclude given again with a new note or reason: one reason on every row says nothing of reading
        unread = not all_read and row.decision == "exclude" and (
            held is not None and held[3] and had == row.decision if dual else sid in rest_now and had == "exclude")
        # an export's exclude given unread at its stop, on a record not read here (no decision, or the rest's)
        said = not all_read and row.decision == "exclude" and row.unread and not unread and (
            had in (None, "retract") or (held is not None and held[3] if dual else sid in rest_now))
        unread = unread or said
        if outweighed:  # never the study's decision: what it held before is what the winner is weighed on
            out.outweighed += 1
            out.outweighed_by = wins[sid] if out.outweighed_by in (None, wins[sid]) else "more inclusive decision"
        elif unread and not said and not dual and not (held is not None and held[3]):  # another account's rest
            out.over_rest.append((sid, str(before.at[sid, "reviewer"]), rid))
        elif unread and not said:
            out.still_rest += 1
            out.renoted += 1
        elif held is not None and held[3] and had == row.decision:  # the rest's exclude, given with --all-read
            out.read_now += 1
        elif had is None or had == "retract":
            out.new += 1
        elif had != row.decision:
            out.changed_decisions += 1
        elif not dual and sid in wins:  # the record's decision before, given again by the file's winning row
            out.kept += 1
        else:
            out.same += 1
        out.said_unread += said
        if said:
            out.said_unread_where = unread_where(row.unit == "row")
        out.decisions.append(Decision(record_id=rid, decision=row.decision, reviewer=who, stage=stage, note=row.note,
                                      reason=row.reason, origin=REST_EXCLUDED + Path(path).name if unread else
                                      f"label-file:{Path(path).name}"
                                      + (ONE_DECISION.format(decision) if decision is not None else
                                         TYPED_EXCLUDES if typed_excludes else "")))
        out.matched_by[how] = out.matched_by.get(how, 0) + 1
        kept = held[2] if held is not None and held[0] == row.decision else None  # the reason that stands
        latest[(sid, who)] = (row.decision, row.note, row.reason or kept, unread)
        if not outweighed:
            current[sid] = row.decision
            if not unread:
                rest_now.discard(sid)
    out.rest_excluded = _mark_the_rest(project, out.decisions, before, decision, stage, dual, study,
                                       Path(path).name, unmatched=len(unmatched), batch=from_a_batch(rows),
                                       others=sorted({r.decision for r in unmatched} - {"exclude"})) \
        if not all_read else 0
    out.rest_typed = bool(out.rest_excluded) and decision is None
    settled = _unsettle(out.decisions, before, study) if dual and out.rest_excluded else []
    # the rest typed row by row too: the files of one --decision exclude just before it are as unread; so they are
    # just before a file read row by row that leaves no record left (the last records kept back to read)
    earlier = _the_rest_before_it(project, stage, study, Path(path).name, out.decisions[0].reviewer if dual else None,
                                  typed=bool(out.rest_excluded)) \
        if out.rest_excluded or _leaves_none(project, out.decisions, stage, dual, study) else []
    out.rest_before = rest_before_counts(earlier)
    project.decide_many(out.decisions + [d for _, d in earlier] + settled)
    # not in dual screening: "the reviewers now disagree" would show one reviewer the other's decision
    given = {}  # each study's record as the file gave it (its first row's)
    for d in out.decisions:
        given.setdefault(study(d.record_id), d.record_id)
    touched = [sid for sid in given if sid in before.index] if not dual else []
    if touched:
        after = project.current_decisions(stage=stage)
        for sid in touched:
            was = (before.at[sid, "decision"], None if dual else before.at[sid, "reviewer"])
            now = (after.at[sid, "decision"], None if dual else after.at[sid, "reviewer"]) \
                if sid in after.index else None
            if now is None or now[0] != was[0]:
                out.changed.append((sid, was, now, given[sid]))
        # include <-> exclude first: those move a record to the other side of the review
        out.changed.sort(key=lambda c: c[2] is None or {c[1][0], c[2][0]} != {"include", "exclude"})
    return out


def _refuse_a_title_abstract_batch(project, path, studies: list[int]) -> None:
    """A batch of 'screener next' read at full text while none of its records was passed on at title and
    abstract: the title/abstract decisions typed with --stage full_text by mistake, refused before they are
    saved as full-text ones (an include there is a study included in the review)."""
    ta = project.current_decisions()["decision"]
    if any(ta.get(s) in ("include", "maybe") for s in studies):
        return
    raise InputError(
        "this is a batch of 'screener next' (title and abstract screening), and none of its records was included "
        "(or marked maybe) at title and abstract, so none has a full text to assess. If these are your title and "
        "abstract decisions, run the same command without --stage full_text. Nothing was saved.", path=path)


def _all_read_of_others(path, rows: list[LabelRow], reviewer: str | None, all_read: bool) -> None:
    """Dual screening: --all-read with --reviewer is that reviewer's word of their own reading; rows naming a
    teammate in the file took it too (bob's 40 unread excludes counted as read on ann's word: recall 100%)."""
    others = sorted({r.reviewer for r in rows if r.reviewer and r.reviewer != reviewer})
    if not all_read or reviewer is None or not others:
        return
    names = ", ".join(others)
    raise InputError(
        f"--all-read --reviewer {reviewer} says {reviewer} read every record of the file, but its reviewer column "
        f"names {names} too, whose reading only they can vouch for. Label a file of {reviewer}'s own rows with "
        f"--reviewer {reviewer} --all-read, and the rows of {names} under their own --reviewer once they have read "
        "them. Nothing was saved.",
        path=path)


def _less_than_a_teammates(before: pd.DataFrame, sid: int, who: str, decision: str, rank: dict) -> bool:
    """Single screening: whether a batch row's ``decision`` on study ``sid`` is less inclusive than the decision
    another reviewer made on it (``before``: the current decisions before the file). 'next' gives unscreened
    records only, so that decision came after the batch was written: two readings, each blind to the other.
    The later counted, so a teammate's include became an exclude that let the stop come earlier; the more
    inclusive counts, as within one file and as the web app keeps a decision made since a page was shown."""
    if sid not in before.index or str(before.at[sid, "reviewer"]) == who:
        return False
    return rank.get(decision, 1) < rank.get(before.at[sid, "decision"], 1)


def _mark_the_rest(project, decisions: list, before: pd.DataFrame, decision: str | None, stage: str, dual: bool,
                   study, name: str, unmatched: int = 0, batch: bool = False, others=()) -> int:
    """One ``--decision exclude`` for a whole file that leaves no study unscreened, some screened
    before it, is the rest excluded unread when screening stopped (an export of the records left):
    its decisions on the studies left get the origin ``REST_EXCLUDED``, so status, the report and
    PRISMA count them as excluded unscreened, not as screened (read as screened, the review showed
    "every record has been screened" and recall 100%). At title/abstract only; in dual screening, the
    studies one reviewer had left (the team's decision on a study is its later reviewer's, so the
    rest both reviewers excluded this way counts as not screened). A batch
    of 'screener next' holding every record left is no exception: 'next -n <all left>' is how the rest is
    fetched, and one decision cannot tell records read from records left unread (read as screened, a stop
    far below the target showed recall 100%). A reviewer who read them labels it again with --all-read
    (``import_labels``): their decisions count as screened then. A file with a row for
    every study left, ``unmatched`` of its rows (fewer than it matched) skipped with --skip-unmatched, is
    the rest too (the records left exported to another tool and back by title: read as screened, the 2
    studies left under the 2 ambiguous titles, once screened, gave 'every record has been screened').

    A file that is no batch of 'screener next' (``batch``: records screener never put before the reviewer, e.g.
    the export of the records left, or a batch saved without its rank column) whose rows each say exclude on
    every study left (in dual screening, every study that reviewer had left) is the rest too: 'exclude' typed
    down its decision column cannot tell records read from records left unread, and counted as screened, status said
    "Every record has been screened: nothing is left to find" (recall 100%, every method 'yes') where the estimate
    before the file was 53%. Labelled again with --all-read, its
    decisions count as screened: a reviewer who read them says so (labelled twice, they did not). Not once the
    rest was excluded at an earlier stop: the records left then came since (a search update's), and the review
    is read at that stop whatever they hold; but a search update's records, imported since that stop and every
    one excluded so, are the rest as they would be with --decision exclude (read as screened, they were counted
    as screened records, PRISMA's among them, with nothing to tell them from records read).

    A file no batch of 'screener next' wrote (an export of the records left, in record id order) that names every
    record left but a few (``_few_kept_back``) is the rest too, whichever few were taken out of it, or left blank in
    it, to be read (blank rows read as reading in progress, the 37 unread excludes counted as screened and the 3 read
    later as the rest): kept back from the export's first rows, not the ranking's top, the 37 unread
    excludes counted as screened (a run of excludes at the ranking's end), and the 3 read ones, typed in a file of
    their own that named every record left, as the rest instead. So is a batch of 'next' given one --decision
    exclude with a few rows picked out of it to read (not its top, not its end): its 30 unread excludes counted as
    screened, and once the 10 picked were read status said 'Every record has been screened', recall 100%. Returns
    how many of ``decisions`` are the rest."""
    if stage != "title_abstract" or not decisions:
        return 0
    typed = decision is None and not batch  # 'exclude' on each row of a file no batch of 'next'
    if decision != "exclude" and not typed:
        return 0
    if dual:  # each reviewer screens every record: the rest is what this reviewer had left
        whose = {d.reviewer for d in decisions}
        if len(whose) != 1:
            return 0
        before = project.current_decisions(stage=stage, reviewer=whose.pop())
    if before.empty:
        return 0
    screened = set(before.index) - set(project.store.duplicate_ids())
    if decision == "exclude" and not dual and "origin" in before.columns:
        # excludes that came with an import (a search update from a tool writing 0 for every record not included),
        # given again with one exclude and no --all-read: the team's word, as the import's note asks, that no one
        # read them (counted as screened, the stop rested on them)
        came = set(before.index[before["origin"].astype(str) == "import"])
        screened -= came & {study(d.record_id) for d in decisions}
    new = {study(d.record_id) for d in decisions} - screened
    if typed and (others or any(d.decision != "exclude" for d in decisions if study(d.record_id) in new)
                  or _kept_back_at_an_earlier_stop(project, before, new)):
        # a decision of another kind among them (``others``: of rows --skip-unmatched left out, an include under a
        # title mangled by another tool): read, not the rest; or records kept back from the rest excluded at an
        # earlier stop, to be read, and read now
        return 0
    short = project.store.n_primary_records() - len(screened) - len(new)  # the studies left it does not name
    if not new or (short > 0 and not short <= unmatched < len(new)
                   and not ((decision == "exclude" or not batch) and _few_kept_back(short, len(new)))
                   and not (dual and _rest_before_an_update(project, new, set(before.index), stage,
                                                            decisions[0].reviewer)
                            or _rest_of_its_ranking(project, new, set(before.index), study))):
        return 0
    marked = [d for d in decisions if study(d.record_id) in new]
    for d in marked:
        d.origin = REST_EXCLUDED + name
    return len(marked)


def _unsettle(decisions: list, before: pd.DataFrame, study) -> list:
    """Dual screening: the rest excluded unread by one reviewer's --decision exclude, on studies whose team decision
    is an import's exclude (a search update from a tool writing 0 for every record not included, settled as the
    team's): that exclude settled again as the rest, so they count as excluded unscreened at the stop. The reviewer's
    own vote alone left them screened (the same decision as the settled one reopens nothing), and the import's note
    named no undo. Two reviewers' votes on them count again, as on any study (``Project.standing_resolutions``)."""
    if "origin" not in before.columns:
        return []
    out, seen = [], set()
    for d in decisions:
        sid = study(d.record_id)
        if (not is_rest_excluded(d.origin) or sid in seen or sid not in before.index
                or before.at[sid, "decision"] != "exclude" or str(before.at[sid, "origin"]) != "import"):
            continue
        seen.add(sid)
        out.append(Decision(record_id=sid, decision="exclude", reviewer=str(before.at[sid, "reviewer"]),
                            stage=d.stage, role="resolver", origin=d.origin,
                            note=f"no one on the team read it, {d.reviewer} said"))
    return out


def _the_rest_before_it(project, stage: str, study, name: str, reviewer: str | None = None, *,
                        one_by_one: set | None = None, typed: bool = False) -> list[tuple[str, Decision]]:
    """A file just read as the rest excluded unread at the stop, or one that leaves no record left: the
    excludes of the files labelled just before it with one --decision exclude each (the last decisions of the log,
    nothing else between), on records that had no decision before and still stand, as (file name, the decision
    that counts them with the rest). The records left split in two files (the queue's top 15 in the first), the
    second was the rest and the first 15 records screened from the ranking's top, a run of excludes never read
    that the reading at the stop rested on: one decision for a whole file cannot tell records read from records
    left unread. A file labelled again with --all-read counts its records as screened. In dual screening
    (``reviewer``), that reviewer's own files and decisions: each split their records left, the 15 unread excludes
    at the top of both queues counted as 15 records both screened and agreed on. ``one_by_one``: the studies of
    decisions saved one by one (the web app, 'screener open') that leave no record left; the decisions saved so
    since the files (the records kept back, read) may lie between them, fewer than the files' excludes (more, the
    files were lists of their own excluded mid-way, a keyword's records). ``typed`` (a file read as the rest): files
    with 'exclude' typed on each row, no batch of 'next' (``TYPED_EXCLUDES``), just before it too: the 40 records left
    split in two such files, the first 20 counted as screened from the ranking's top, never read."""
    log = project.decision_log()
    log = log[log["stage"] == stage].sort_values("decision_id", kind="stable")
    if reviewer is not None:
        log = log[log["reviewer"] == reviewer]
    read = set(one_by_one or ())
    if one_by_one is not None and not log.empty:
        filed = log["origin"].astype(str).map(lambda o: o.startswith("label-file:") or is_rest_excluded(o)).to_numpy()
        last = np.flatnonzero(filed).max() + 1 if filed.any() else 0
        read |= {study(r) for r in log["record_id"].iloc[last:]}
        log = log.iloc[:last]
    if log.empty:
        return []
    origin = log["origin"].astype(str)
    one = (origin.str.startswith("label-file:") & (origin.str.endswith(ONE_DECISION.format("exclude"))
                                                   | (typed & origin.str.endswith(TYPED_EXCLUDES)))
           & (log["decision"] == "exclude")).to_numpy()
    k = len(one) - (np.flatnonzero(~one).max() + 1 if (~one).any() else 0)  # the trailing run of such decisions
    if not k:
        return []
    run, earlier = log.iloc[len(log) - k:], log.iloc[:len(log) - k]
    made = {study(r) for r, d in zip(earlier["record_id"], earlier["decision"]) if d != "retract"} | read
    out, seen = [], set()
    for rid, who, org in zip(run["record_id"], run["reviewer"], run["origin"].astype(str)):
        sid = study(rid)
        if sid in made or sid in seen:
            continue
        seen.add(sid)
        file = org[len("label-file:"):].removesuffix(ONE_DECISION.format("exclude")).removesuffix(TYPED_EXCLUDES)
        out.append((file, Decision(record_id=int(rid), decision="exclude", reviewer=who, stage=stage,
                                   origin=REST_EXCLUDED + file)))
    if one_by_one is not None and len(read) >= len(out):
        return []
    return out


def _leaves_none(project, decisions: list, stage: str, dual: bool, study) -> bool:
    """Whether ``decisions`` (one reviewer's, in dual screening) leave no study without a decision at title and
    abstract: files of one --decision exclude just before them (``_the_rest_before_it``) are the rest excluded
    unread. 161 of 180 records left excluded so, more than a few kept back, counted as screened, and once the 19
    kept back were read status said 'Every record has been screened', recall 100%."""
    if stage != "title_abstract" or not decisions or (dual and len({d.reviewer for d in decisions}) != 1):
        return False
    mine = project.current_decisions(stage=stage, reviewer=decisions[0].reviewer if dual else None)
    decided = (set(mine.index) - set(project.store.duplicate_ids())) | {study(d.record_id) for d in decisions}
    return project.store.n_primary_records() <= len(decided)


def rest_before_a_decision(project, decisions: list) -> list[tuple[str, Decision]]:
    """The look-back of 'label' (``_the_rest_before_it``) for decisions saved one by one (the web app, 'screener
    open'), called in their save's turn at the log, before they are written: once they leave no record without a
    decision (in dual screening, their reviewer's), the files of one --decision exclude each labelled just before
    the decisions saved so since are the rest excluded unread, as (file name, the decision that counts them with the
    rest) to save with them. 161 of 180 records left excluded so, 19 kept back and read in the web app: status
    said 'Every record has been screened', recall 100%, with 161 records never read."""
    stage = decisions[0].stage if decisions else None
    if stage != "title_abstract" or any(d.decision == "retract" or d.stage != stage for d in decisions):
        return []
    dual = project.settings.get("mode") == "dual"
    primary = project._primary_of()
    study = lambda rid: int(primary.get(rid, rid)) if len(primary) else int(rid)  # noqa: E731
    if not _leaves_none(project, decisions, stage, dual, study):
        return []
    return _the_rest_before_it(project, stage, study, "", decisions[0].reviewer if dual else None,
                               one_by_one={study(d.record_id) for d in decisions})


def rest_before_note(name: str, k: int, before: str, command: str | None = None) -> str:
    """What the reviewer is told of ``k`` excludes of file ``name`` counted with the rest (``_the_rest_before_it``),
    labelled just before ``before``; ``command`` says they were read (``label --all-read``), where it can be given
    whole."""
    one = k == 1
    command = command or f"label {name} again with --decision exclude --all-read"
    return (f"the {k} exclude{'' if one else 's'} of {name}, labelled just before {before} with one decision for the "
            f"whole file (--decision exclude, or 'exclude' on each row) on records then left, "
            f"{'is' if one else 'are'} counted with the rest too: excluded without screening at the stop, not "
            f"screened. If you read every one of {'it' if one else 'them'}, "
            f"say so ({command}): {'it then counts' if one else 'they then count'} as screened.")


def rest_before_counts(earlier: list) -> list[tuple[str, int]]:
    """(file name, how many of its excludes) of ``_the_rest_before_it``'s pairs, in their order."""
    return list(pd.Series([name for name, _ in earlier], dtype=object).value_counts(sort=False).items())


def _kept_back_at_an_earlier_stop(project, before: pd.DataFrame, new: set) -> bool:
    """Whether the rest was excluded unread at an earlier stop and every study of ``new`` was in the review then:
    records kept back from the rest to be read (their excludes typed row by row are read ones). A study imported
    since (a search update) was left at no stop: excludes typed down an export of it cannot tell records read
    from records left unread."""
    if "origin" not in before.columns or not before["origin"].map(is_rest_excluded).any():
        return False
    from .status import _study_arrivals

    log = project.decision_log()
    first = str(log["created_at"][log["origin"].map(is_rest_excluded)].astype(str).min())
    arrived = _study_arrivals(project).reindex(sorted(new)).fillna("").astype(str)
    return bool((arrived <= first).all())


def _few_kept_back(short: int, named: int) -> bool:
    """Whether ``short`` records left out of a file of excludes on ``named`` records left are a few kept back to
    read, as a reviewer takes the top rows out of the rest before excluding it: at most 10, or a tenth of the file
    (``status.ranking_provenance`` holds a record picked far below the top by the same measure), and fewer than
    the file names. More left out, the file is a list of its own (a keyword's records excluded in one go, or one
    record's exclude typed in a file of its own with 3 left), read as screened."""
    return 0 < short <= max(10, named // 10) and short < named


def _rest_of_its_ranking(project, new: set, decided: set, study) -> bool:
    """Whether ``new`` holds every study left in the newest ranking that ranked them all, or every one
    below those it ranked first: the rest fetched with 'next -n <all left>' before a search update,
    excluded after it (the records imported since were never in that ranking; read as screened, recall
    showed 100% once they were screened), or with its top rows taken out of the file to be read first
    (read as screened, the rest's 651 excludes turned a 'not yet' at 89% into 'every record has been
    screened', recall 100%, once the 3 kept back were screened). The records drawn into the random
    sample, which 'next' writes at the bottom of its batch, are no rows of the ranking's order here.
    Only the few newest rankings are read (each is every record's id). In dual screening a ranking leaves
    out the studies the team has settled, which the reviewer whose file it is had decided too."""
    store = project.store
    drawn = {study(int(r)) for r in project._pending_sample()}
    for rid in reversed(store.rankings_frame()["ranking_id"].tolist()[-5:]):
        order = list(dict.fromkeys(study(int(r)) for r in store.ranking_order(int(rid))))
        if new <= set(order):
            if not set(order) - decided - new:
                return True
            left = [s for s in order if s not in decided and s not in drawn]
            ranked = new - drawn
            return bool(ranked) and set(left[len(left) - len(ranked):]) == ranked  # its last ones, to its end
    return False


def _rest_before_an_update(project, new: set, decided: set, stage: str, reviewer: str) -> bool:
    """Dual screening: whether ``new`` holds every study this reviewer had left but those that came in
    after their last decision: the rest fetched with 'next -n <all left> --reviewer NAME' before a search
    update, excluded after it (read as screened, the team's status said every record screened, recall 100%,
    once the update's records were screened). Told by time, not by a stored ranking as in single screening
    (``_rest_of_its_ranking``): a ranking stored in dual screening leaves out the studies the team, and the
    reviewer who asked for it, had decided, so it is no reviewer's queue."""
    from .status import _study_arrivals

    log = project.decision_log()
    log = log[(log["stage"] == stage) & (log["reviewer"] == reviewer)]
    if log.empty:
        return False
    last = str(log["created_at"].astype(str).max())
    studies = np.asarray(project.store.primary_record_ids(), dtype=np.int64)
    left = studies[~np.isin(studies, np.fromiter(decided | new, dtype=np.int64))]
    arrived = _study_arrivals(project).reindex(left).fillna("").astype(str)
    return bool((arrived > last).all())


def _records_made_from(project, path, sheet=None) -> dict[int, tuple[int, str]]:
    """The records an import made from this very file (the same bytes, imported once), by the
    record id each row of it gives, with their normalised titles: a screener export moved to a new
    project and read again for its full-text decisions. Its record ids are the old project's, and
    its DOIs and titles may fit two studies here, so each row goes to the record made from it.
    Empty for any other file, or where the file's ids do not tell its rows apart."""
    from .project import _sha256

    try:
        digest = _sha256(Path(path))
    except OSError:
        return {}
    sources = project.store.sources_frame()
    same = list(sources.index[sources["sha256"] == digest]) if "sha256" in sources.columns else []
    if len(same) != 1 or sheet is not None:  # a workbook's sheets imported apart share its bytes
        return {}
    recs = project.store.records_frame(with_raw=True)
    recs = recs[recs["source_id"] == same[0]]
    made: dict[int, tuple[int, str]] = {}
    for rid, raw, title in zip(recs.index, recs["raw"], recs["title"]):
        old = _as_int(_first_key(raw if isinstance(raw, dict) else {}, _ID_COLUMNS + ("id",)))
        if old is None or old in made:
            return {}
        made[old] = (int(rid), normalise_title(title if isinstance(title, str) else None))
    return made


def _in_ranking_order(project, matched: list, study) -> list:
    """A file without a batch's rank column (saved with only some of its columns, or sorted in a
    spreadsheet), logged in the order of screener's latest ranking: the log's order is the
    screening order the recall estimate reads, and a file sorted includes first would read as a
    far better ranking than it was. Records that ranking does not hold keep the file's order,
    after the others."""
    if not matched or all(row.rank is not None for row, _, _ in matched):
        return matched
    latest = project.store.latest_ranking_id()
    if latest is None:
        return matched
    order = np.asarray(project.store.ranking_order(latest), dtype=np.int64)
    place = dict(zip(order.tolist(), range(len(order))))
    end = len(order)
    return sorted(matched, key=lambda m: place.get(study(m[1]), end))


def _similar(a: str, b: str) -> bool:
    """Two normalised titles that are one title with small edits (a typo fixed, a word changed).
    One held inside the other counts only when it is at least half of it, as a title without its
    subtitle is: a book's "Depression" is not its chapter "Depression in the elderly" (which share
    the book's DOI), nor is a row's "Depression" record 2's "Depression in adolescents: a cohort"."""
    from difflib import SequenceMatcher

    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if short in long_ and 2 * len(short.split()) >= len(long_.split()):
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def _describe(row: LabelRow) -> str:
    if row.why:
        return f"{row.where} ({row.why})"
    what = f"id {row.record_id}" if row.record_id is not None else (
        f"DOI {row.doi}" if row.doi else (f"PMID {row.pmid}" if row.pmid else (
            f"'{row.title[:60]}'" if row.title else "no id, DOI, PMID or title")))
    return f"{row.where} ({what})"


def _places(path: Path, result) -> tuple[str, object]:
    """What a message calls a record's place in a file the import readers read, and its number from
    (``source_line``, record index): a workbook's rows and a text export's lines as the reader counts
    them; a CSV's rows as a spreadsheet numbers them (the reader counts text lines, and a cell written
    on two lines put every row below it one further down)."""
    lines = [r.get("source_line") for r in result.records]
    if len(set(lines)) < len(lines):  # EndNote writes its XML on one line
        return "record", lambda line, i: i + 1 if i is not None else line
    if result.format in WORKBOOK_FORMATS:
        return "row", lambda line, i: line
    if result.format not in ("csv", "tsv"):
        return "line", lambda line, i: line
    return "row", lambda line, i: result.rows.get(line, line)  # the reader counted them (``ReadResult.rows``)


def record_places(path: Path, result) -> list[str]:
    """Each record of ``result`` (read from ``path``) by its place as ``_places`` names it ('row 4', 'line 9'): for
    the messages of the commands that read a file of decisions or final includes themselves (simulate, evaluate)."""
    unit, place = _places(path, result)
    return [f"{unit} {place(r.get('source_line'), i) or i + 1}" for i, r in enumerate(result.records)]


def _rayyan_decisions(raw: dict, at: str | None = None) -> list[tuple[str, str]] | None:
    """(reviewer, decision) pairs of a record's RAYYAN-INCLUSION note, wherever Rayyan put it: the
    CSV's notes cell, or one of the RIS record's N1 notes beside its labels and exclusion reasons.
    None for a record with no such note (no reviewer has decided it yet). A note that is not
    readable is collected as an unreadable decision: taken for undecided, it would vanish. ``at``: where
    the record is ("line 9", "row 4")."""
    def where(who=None):
        what = f"Rayyan decision of {who}" if who else "Rayyan decision"
        return f"{at} ({what})" if at else what

    for text in _texts(raw):
        if "RAYYAN-INCLUSION" not in text:
            continue
        m = _RAYYAN.search(text)
        if not m:
            parse_decision(text[text.index("RAYYAN-INCLUSION"):].split(" | ")[0], where=where())
            return []
        out = []
        for who, verdict in _RAYYAN_PAIR.findall(m.group(1)):
            dec = parse_decision(verdict, where=where(who))
            if dec:
                out.append((who, dec))
        for rest in _RAYYAN_PAIR.sub(",", m.group(1)).split(","):  # a pair not written as Rayyan writes it
            if rest.strip():
                parse_decision(rest.strip(), where=where())
        return out
    return None


def _rayyan_reasons(raw: dict) -> str | None:
    """The exclusion reasons of a record's RAYYAN-EXCLUSION-REASONS note, as one reason (Rayyan
    joins a record's several reasons with commas), or None. Joined with '; ', as screener joins
    two reasons: PRISMA then counts the same two in another order (or beside screener's) as one."""
    for text in _texts(raw):
        m = _RAYYAN_REASONS.search(text)
        if m:
            return clean_reason("; ".join(r.strip() for r in m.group(1).split(",") if r.strip()))
    return None


def _rayyan_notes(raw: dict) -> dict[str, str]:
    """Each reviewer's notes on a record, from Rayyan's USER-NOTES note, as one note ("a; b")."""
    out: dict[str, str] = {}
    for text in _texts(raw):
        m = _RAYYAN_USER_NOTES.search(text)
        if m:
            for who, said in _RAYYAN_NOTE_PAIR.findall(m.group(1)):
                notes = [" ".join(_unquote(n).split()) for n in re.findall(_QUOTED, said)]
                if any(notes):
                    out[_unquote(who)] = "; ".join(n for n in notes if n)
            break
    return out


def _unquote(text: str) -> str:
    """A quoted string as Rayyan (Ruby) writes it, without its quotes, its \\" and \\\\ read back."""
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _from_rayyan(raw: dict) -> bool:
    """A record exported by Rayyan: its notes (RAYYAN-LABELS, ...) or its key ('rayyan-123')."""
    return any("RAYYAN-" in text or text.startswith("rayyan-") for text in _texts(raw))


def _note_columns(stage: str) -> tuple[str, ...]:
    """The reviewer's notes in a decisions table: a batch file's 'note'; in a screener export, the column
    beside the decisions read ('decision_note', or 'full_text_note' beside 'full_text_decision')."""
    return ("full_text_note",) if stage == "full_text" else ("note", "notes", "decision_note")


def _label_field(raw: dict) -> str | None:
    """The decision in a screener RIS export's LB (EndNote's Label, a copy to sort by), None if none."""
    value = raw.get("LB")
    value = value[0] if isinstance(value, list) and value else value
    if not isinstance(value, str) or not value.strip():
        return None
    with collect_unreadable():  # a Label used for something else is no decision
        return parse_label(value, path=None, line=None, column="LB")


def refuse_changed_labels(path, result) -> None:
    """Refuse screener's own RIS export (``result``, as read for an import) where a record's EndNote Label (LB)
    says another decision than its note: imported, the note's decision was saved and the Label's change lost."""
    if result.format != "ris" or not any(screener_notes(r, DECISION_NOTE) for r in result.records):
        return
    changed = []
    for i, (rec, lab) in enumerate(zip(result.records, result.labels)):
        raw = rec.get("raw") or {}
        said = _label_changed(raw, lab)
        if said is not None:
            changed.append((rec.get("source_line") or i + 1, _as_int(raw.get("ID")), said, lab))
    if changed:
        raise _label_field_changed(path, changed, todo=(
            "To change decisions, change each note to match its Label before importing (or set the Labels back, "
            "import, and give the new decisions with 'screener label'); to keep them, set the Labels back. "
            "Nothing was imported."))


def _label_changed(raw: dict, decision: str | None) -> str | None:
    """What a screener RIS export's LB (EndNote's Label) says where it is not the record's decision (from its
    note): the decision it reads as, or, on a record the export gave a decision (and so its Label), the words as
    written: 'exclude - wrong population' is a reviewer's change screener cannot read, not a Label used for
    something else. None where they agree, or where a record without a decision has a Label of the library's."""
    said = _label_field(raw)
    if said is None and decision is not None:
        value = raw.get("LB")
        value = value[0] if isinstance(value, list) and value else value
        said = " ".join(value.split()) if isinstance(value, str) and value.strip() else None
    return said if said is not None and said != decision else None


def _label_field_changed(path, relabelled: list, todo: str | None = None) -> InputError:
    """A Label changed in EndNote says another decision than the note screener reads the decision from."""
    shown = "; ".join(f"line {line} (record {rid}): Label '{said}', note '{lab or 'none'}'"
                      for line, rid, said, lab in relabelled[:10])
    k = len(relabelled)
    more = f" and {k - 10} more" if k > 10 else ""
    return InputError(
        f"{k} record{'s' * (k != 1)} of this export {'have' if k != 1 else 'has'} a Label (LB, EndNote's Label "
        "field) that says another decision than the record's note 'Screening decision (screener): ...', which is "
        f"the one screener reads: {shown}{more}. " + (todo or "To change decisions, give the new ones in a file of "
                                                     "record_id and decision (or change each note to match its "
                                                     "Label); to keep them, set the Labels back. Nothing was saved."),
        path=path)


def _text_or_none(value) -> str | None:
    """A cell's text, trimmed; None for an empty one (a spreadsheet's NaN too)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value).strip() or None


def _exclusion_reason(raw: dict) -> str | None:
    """The reviewer's reason in a row, if any. A batch file's own 'reason' column (``next`` writes
    it, beside 'rank' and 'sampled') is screener's word on why the record ranks high, not a reason
    for excluding it: only the columns named for exclusion count there."""
    low = {str(k).strip().lower() for k in raw}
    batch = {"rank", "sampled", "reason"} <= low
    return clean_reason(_first_key(raw, _REASON_COLUMNS[1:] if batch else _REASON_COLUMNS))


def _stage_reasons(raw: dict) -> dict | None:
    """A screener export's reasons per stage (its 'decision_reason' and 'full_text_reason')."""
    got = {stage: clean_reason(_first_key(raw, (col,))) for stage, col in _STAGE_REASON_COLUMNS.items()}
    return {k: v for k, v in got.items() if v} or None


def _differ(given, held, norm) -> bool:
    """Whether a row's DOI or PMID and the record's are both there and not the same."""
    a = norm(str(given)) if isinstance(given, (str, int)) and str(given).strip() else ""
    b = norm(held) if isinstance(held, str) and held.strip() else ""
    return bool(a and b and a != b)


def _words(note) -> str:
    return " ".join(note.split()) if isinstance(note, str) else ""


def _first_key(raw: dict, keys) -> object:
    low = {str(k).strip().lower(): v for k, v in raw.items()}
    for k in keys:
        if k in low and low[k] not in (None, ""):
            return low[k]
    return None


def _not_a_record_id(v, column: str = "record_id") -> str:
    """Why a record id cell is read as none, and what to do: a number a spreadsheet formatted (decimals, a thousands
    separator, a decimal comma: '1.234', '6.60', '12,0'), or no number at all (a team's own id, 'NCT01234567')."""
    if not re.fullmatch(r"[+-]?\d[\d.,'\s\u00a0]*", str(v).strip()):
        return (f"record id {v!r} is not a number: the {column} column holds screener's own record ids (as 'screener "
                "next' and 'screener export' write them). If it holds your own ids, rename the column (for example "
                "to 'my_id'), so the records are matched by DOI, PMID or title; save the file and run the same "
                "command again. Nothing was saved.")
    return (f"record id {v!r} is not a whole number: a spreadsheet writes the ids so where their column is formatted "
            "with decimals or a thousands separator. Format the column as a whole number (no decimals, no thousands "
            "separator), save the file and run the same command again. Nothing was saved.")


def _as_int(v) -> int | None:
    """A whole number, as a table or a workbook writes it ('12', '12.0'), else None: '1.234' (a thousands
    separator) or '6.60' (two decimals) cut short to 1 and 6 put a decision on another record."""
    try:
        if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
            return None
        f = float(str(v).strip())
        return int(f) if f.is_integer() else None
    except ValueError:
        return None


def unsaved_decisions(project, path, *, reviewer: str | None = None, sheets: list | None = None) -> list[str]:
    """Where an existing decisions file (a filled-in batch) holds decisions the project does not
    hold yet ("row 3 (id 6)"): writing a new batch over that file would lose them. ``reviewer``:
    only their own decisions count as saved (dual screening). A decision screener cannot read is
    the reviewer's work too; a file holding no decisions has none to lose. A workbook of several
    sheets (the batch beside a tab of notes, in any order) is checked sheet by sheet; the names of
    the sheets holding such decisions are added to ``sheets``."""
    path = Path(path)
    if not path.is_file():
        return []
    names = _sheet_names(path)
    if len(names) > 1:
        out = []
        for name in names:
            found = _unsaved_in(project, path, reviewer, name)
            if found:
                out += [f"{f} of the sheet '{name}'" for f in found]
                if sheets is not None:
                    sheets.append(name)
        return out
    return _unsaved_in(project, path, reviewer, None)


def _sheet_names(path: Path) -> list[str]:
    """A workbook's sheet names ([] for any other file, or a workbook that cannot be opened)."""
    if path.suffix.lower() != ".xlsx":
        return []
    try:
        from openpyxl import load_workbook

        with open(path, "rb") as fh:
            wb = load_workbook(fh, read_only=True)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()
    except Exception:  # not a workbook after all: the one-file check reads it as what it is
        return []


def _unsaved_in(project, path: Path, reviewer: str | None, sheet) -> list[str]:
    try:
        rows = read_label_rows(path, sheet=sheet)
    except InputError as err:
        return [f"{b.where or 'a row'} ({str(b.value)!r}, not a decision screener reads yet)"
                for b in getattr(err, "unreadable", [])]
    except (OSError, ValueError):
        return []
    # a batch file's rows name their records: those few are read, not the whole review (as ``import_labels``)
    ids = sorted({r.record_id for r in rows if r.record_id is not None})
    matched, unmatched = match_label_rows(rows, project.store.records_frame(ids)) if ids else ([], rows)
    unmatched += [row for row, _, how in matched if not how.startswith("id")]
    matched = [m for m in matched if m[2].startswith("id")]
    if unmatched:
        more, unmatched = match_label_rows(unmatched, project.records_frame(primary_only=False))
        matched += more
    log = project.decision_log()
    log = log[log["stage"] == "title_abstract"]
    if reviewer is not None:
        log = log[log["reviewer"] == reviewer]
    primary = project._primary_of()
    study = lambda rid: int(primary.get(rid, rid)) if len(primary) else int(rid)  # noqa: E731
    saved = {(study(r), d) for r, d in zip(log["record_id"], log["decision"])}
    lost = [row for row, rid, _ in matched if (study(rid), row.decision) not in saved]
    return [_describe(r) for r in sorted(lost + unmatched, key=lambda r: r.line)]
