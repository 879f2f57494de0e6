"""Reading screening decisions back from files: our batch files, Rayyan and Covidence exports.

Each row is matched to a study in the project by screener record id, then DOI, PMID, and
finally normalised title (+ year). A row that matches nothing stops the import with the rows
named, so no decision is silently lost; ``skip_unmatched`` imports the rest and lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError
from .records import normalise_doi, normalise_title
from .store import Decision

_ID_COLUMNS = ("screener_id", "record_id")
_DECISION_COLUMNS = ("decision", "screening decision", "label", "label_included", "included", "include", "status")
_RAYYAN = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"([^"]+)"\s*=>\s*"([^"]+)"')


def parse_decision(value, *, where: str) -> str | None:
    """A decision word (include/exclude/maybe and their usual spellings) or None for blank."""
    from .io.label_values import parse_label

    return parse_label(value, row=where)


@dataclass
class LabelRow:
    line: int  # row in the file (1-based, counting the header as row 1 for tables)
    decision: str
    reviewer: str | None = None
    note: str | None = None
    record_id: int | None = None
    doi: str | None = None
    pmid: str | None = None
    title: str | None = None
    year: int | None = None


@dataclass
class LabelImport:
    decisions: list[Decision] = field(default_factory=list)
    unmatched: list[LabelRow] = field(default_factory=list)
    matched_by: dict = field(default_factory=dict)  # how many rows matched by id/doi/pmid/title


def read_label_rows(path, *, decision: str | None = None, reviewer: str | None = None) -> list[LabelRow]:
    """Rows with a decision from a label file in any format screener reads.

    ``decision`` gives one decision for every row (a Covidence or reference-manager export of
    the included, or excluded, records); otherwise each row needs its own decision (a decision
    column, or Rayyan's ``RAYYAN-INCLUSION`` notes).
    """
    path = Path(path)
    if decision is not None:
        decision = parse_decision(decision, where="--decision")
    if not path.exists():
        raise InputError("file not found. Check the path and name.", path=path)
    if path.is_dir():
        raise InputError("this is a folder, not a file. Give the decisions file itself.", path=path)
    table = _id_only_table(path)
    if table is not None:
        return _rows_from_table(path, table, decision, reviewer)
    from .io import read_records

    result = read_records(path)
    rows = []
    for i, (rec, lab) in enumerate(zip(result.records, result.labels)):
        line = rec.get("source_line") or (i + 1)
        raw = rec.get("raw") or {}
        base = dict(line=line, note=None, record_id=_as_int(_first_key(raw, _ID_COLUMNS)),
                    doi=rec.get("doi"), pmid=rec.get("pmid"), title=rec.get("title"), year=rec.get("year"))
        rayyan = _rayyan_decisions(raw)
        if decision is not None:
            rows.append(LabelRow(decision=decision, reviewer=reviewer, **base))
        elif lab is not None:
            rows.append(LabelRow(decision=lab, reviewer=reviewer, **base))
        elif rayyan:
            for who, dec in rayyan:
                rows.append(LabelRow(decision=dec, reviewer=reviewer or who, **base))
    if not rows and result.records:
        raise InputError("no decisions found: the file has no decision column and no Rayyan decisions. Add a "
                         "'decision' column (include/exclude/maybe), or give --decision include|exclude if every "
                         "record in the file has the same decision.", path=path)
    return rows


def _id_only_table(path: Path) -> pd.DataFrame | None:
    """A CSV/TSV/XLSX that names records by screener id (our batch files, or a hand-made list)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            df = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False,
                             encoding="utf-8-sig")
        elif suffix == ".xlsx":
            df = pd.read_excel(path, dtype=str).fillna("")
        else:
            return None
    except Exception:  # not a plain table: the format readers give the proper message
        return None
    cols = {c.strip().lower(): c for c in df.columns}
    if not any(c in cols for c in _ID_COLUMNS):
        return None
    return df.rename(columns={v: k for k, v in cols.items()})


def _rows_from_table(path, df, decision, reviewer) -> list[LabelRow]:
    dcol = next((c for c in _DECISION_COLUMNS if c in df.columns), None)
    if dcol is None and decision is None:
        raise InputError(f"no decision column (looked for {', '.join(_DECISION_COLUMNS)}); add one with include, "
                         "exclude or maybe, or give --decision.", path=path)
    idcol = next(c for c in _ID_COLUMNS if c in df.columns)
    rows = []
    for i, r in enumerate(df.to_dict("records")):
        line = i + 2
        dec = decision if decision is not None else parse_decision(r.get(dcol), where=f"row {line} of {path}")
        if dec is None:
            continue  # a batch row the reviewer has not decided yet
        rid = _as_int(r.get(idcol))
        if r.get(idcol) not in (None, "") and rid is None:
            raise InputError(f"record id {r.get(idcol)!r} is not a number.", path=path, line=line)
        rows.append(LabelRow(line=line, decision=dec, reviewer=reviewer or (r.get("reviewer") or None),
                             note=(r.get("note") or r.get("notes") or None), record_id=rid, doi=r.get("doi") or None,
                             pmid=r.get("pmid") or None, title=r.get("title") or None, year=_as_int(r.get("year"))))
    return rows


def match_label_rows(rows: list[LabelRow], records: pd.DataFrame, primary_of: pd.Series | None = None):
    """(matched (row, record_id, how) list, unmatched rows) against all project records."""
    ids = set(records.index)
    by_doi: dict[str, int] = {}
    by_pmid: dict[str, int] = {}
    by_title: dict[str, list[tuple[int, object]]] = {}
    for rid, doi, pmid, title, year in zip(records.index, records["doi"], records["pmid"], records["title"],
                                           records["year"]):
        if isinstance(doi, str) and normalise_doi(doi):
            by_doi.setdefault(normalise_doi(doi), rid)
        if isinstance(pmid, str) and pmid:
            by_pmid.setdefault(pmid.strip(), rid)
        nt = normalise_title(title if isinstance(title, str) else None)
        if nt:
            by_title.setdefault(nt, []).append((rid, year))
    matched, unmatched = [], []
    for row in rows:
        hit, how = None, None
        if row.record_id is not None and row.record_id in ids:
            nt = normalise_title(row.title)
            if not nt or nt == normalise_title(records.at[row.record_id, "title"]):
                hit, how = row.record_id, "id"
        if hit is None and row.doi and normalise_doi(row.doi) in by_doi:
            hit, how = by_doi[normalise_doi(row.doi)], "doi"
        if hit is None and row.pmid and str(row.pmid).strip() in by_pmid:
            hit, how = by_pmid[str(row.pmid).strip()], "pmid"
        if hit is None and row.title:
            cands = by_title.get(normalise_title(row.title), [])
            if row.year is not None and len(cands) > 1:
                cands = [c for c in cands if pd.notna(c[1]) and int(c[1]) == int(row.year)] or cands
            if cands:
                hit, how = cands[0][0], "title"
        if hit is None:
            unmatched.append(row)
        else:
            matched.append((row, int(hit), how))
    return matched, unmatched


def import_labels(project, path, *, reviewer: str = "reviewer", decision: str | None = None,
                  stage: str = "title_abstract", skip_unmatched: bool = False) -> LabelImport:
    """Read a label file and append its decisions to the project's log in one transaction."""
    rows = read_label_rows(path, decision=decision, reviewer=None)
    matched, unmatched = match_label_rows(rows, project.records_frame(primary_only=False))
    if unmatched and not skip_unmatched:
        shown = "; ".join(_describe(r) for r in unmatched[:10])
        more = f" and {len(unmatched) - 10} more" if len(unmatched) > 10 else ""
        raise InputError(f"{len(unmatched)} of {len(rows)} decisions name records that are not in this project: "
                         f"{shown}{more}. Check that the file belongs to this review (matching uses record id, DOI, "
                         "PMID, then title), or pass --skip-unmatched to import the others. Nothing was imported.",
                         path=path)
    out = LabelImport(unmatched=unmatched)
    for row, rid, how in matched:
        out.decisions.append(Decision(record_id=rid, decision=row.decision, reviewer=row.reviewer or reviewer,
                                      stage=stage, note=row.note, origin=f"label-file:{Path(path).name}"))
        out.matched_by[how] = out.matched_by.get(how, 0) + 1
    project.decide_many(out.decisions)
    return out


def _describe(row: LabelRow) -> str:
    what = f"id {row.record_id}" if row.record_id is not None else (
        f"DOI {row.doi}" if row.doi else (f"'{row.title[:60]}'" if row.title else "no id, DOI or title"))
    return f"line {row.line} ({what})"


def _rayyan_decisions(raw: dict) -> list[tuple[str, str]]:
    for key, value in raw.items():
        if isinstance(value, str) and "RAYYAN-INCLUSION" in value:
            m = _RAYYAN.search(value)
            if not m:
                return []
            out = []
            for who, verdict in _RAYYAN_PAIR.findall(m.group(1)):
                dec = parse_decision(verdict, where=f"Rayyan decision of {who}")
                if dec:
                    out.append((who, dec))
            return out
    return []


def _first_key(raw: dict, keys) -> object:
    low = {str(k).strip().lower(): v for k, v in raw.items()}
    for k in keys:
        if k in low and low[k] not in (None, ""):
            return low[k]
    return None


def _as_int(v) -> int | None:
    try:
        if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
            return None
        return int(float(str(v).strip()))
    except ValueError:
        return None
