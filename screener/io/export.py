"""Exports a reviewer takes elsewhere: a table for Excel, RIS for a reference manager.

RIS output, by tag, so that EndNote, Zotero, Mendeley and screener itself read it back:

- ``TY`` reference type (the record's own RIS type when it has one, else mapped or ``JOUR``),
  ``TI`` title, ``AU`` one line per author, ``PY`` year, ``T2`` journal, ``AB`` abstract,
  ``VL`` volume, ``IS`` issue, ``SP``/``EP`` first and last page, ``DO`` DOI, ``KW`` one line per keyword, ``UR`` the PubMed link when there is a PMID (it carries
  the PMID back into screener and gives the reference manager a clickable link), else a trial register entry's
  page (the WHO ICTRP's page of its trial id where its register's export gave none: screener reads the entry's
  trial id back from it), ``DB`` the database the record came from, ``AN`` CENTRAL's
  accession number of its copy of a register entry, ``ID`` screener's ``record_id`` (else the
  source id);
  ``SN PB CY LA J2`` (and ``VL IS SP EP`` when the record lacks them) are copied from the original RIS record when there was one.
- ``N1  - Screening decision (screener): include|exclude|maybe`` carries the decision;
  ``N1  - Excluded unread (screener): yes: ...`` marks an exclude given to the records left unread at the stop
  (the table's ``excluded_unread`` column), which a project it goes into counts as excluded unscreened;
  ``N1  - Screening note (screener): ...`` the reviewer's note (``Screening reason``, ``Full-text
  decision``, ``Full-text note`` and ``Full-text reason`` likewise, where there are); ``N1  - Duplicate group
  (screener): ...`` the duplicate group; ``N1  - Source file (screener): ...`` the file the record was imported from
  (the source PRISMA counts it under, which DB, ProQuest's sub-databases, is not);
  ``N1  - Retracted (screener): yes: ...`` a study a copy of which is titled as retracted (the table's
  ``retracted`` column). Reference managers show N1 as a note, and screener's RIS reader turns the decision note
  back into a label.
- ``LB`` (EndNote's "Label" field) also holds the decision, so an EndNote library can be sorted
  or grouped by it.

Files are UTF-8 with a byte-order mark and Windows line endings (what EndNote and Excel need to
recognise UTF-8; Zotero and screener accept it too). Tables leave out ``raw`` (the original record
is for screener's store, not for a spreadsheet); lists are joined with "; ", an author's name that holds a ";"
itself (ProQuest's 'Vernon, Julia R; G') in double quotes, so that it reads back as one name (``join_names``).
"""

from __future__ import annotations

import csv
import json
import math
import numbers
import re
from pathlib import Path

import rispy
from rispy.config import TAG_KEY_MAPPING, TYPE_OF_REFERENCE_MAPPING

from screener.dedup import _REGISTRY_ID
from screener.errors import InputError
from screener.io.common import (CONTROL_CHARS, REGISTRY_RECORD, extract_year, split_people, split_terms,
                                without_controls)
from screener.io.ris import (CENTRAL_COLUMN, DECIDED_BY_NOTE, DECISION_COMMENT_NOTE, DECISION_NOTE,
                             DECISION_REASON_NOTE, DUPLICATE_NOTE, FULL_TEXT_COMMENT_NOTE, FULL_TEXT_DECIDED_BY_NOTE,
                             FULL_TEXT_NOTE, FULL_TEXT_REASON_NOTE, REGISTER_PAGE, RETRACTED_NOTE, SOURCE_FILE_NOTE,
                             UNREAD_NOTE, notice_document_type)
from screener.records import FIELDS

EXPORT_FORMATS = ("csv", "tsv", "ris", "xlsx")
_FRONT = ("record_id", "decision", "excluded_unread", "decided_by", "decision_note", "decision_reason",
          "ranking_id", "ranking_position", "full_text_decision", "full_text_decided_by", "full_text_note",
          "full_text_reason", "duplicate_group")
_COPY_RIS_TAGS = ("VL", "IS", "SP", "EP", "SN", "PB", "CY", "LA", "J2")
_TYPE_WORDS = {  # keys without spaces or case: 'Journal Article' and Zotero's 'journalArticle' alike
    "journalarticle": "JOUR",
    "article": "JOUR",
    "review": "JOUR",
    "preprint": "JOUR",
    "book": "BOOK",
    "booksection": "CHAP",
    "bookchapter": "CHAP",
    "chapter": "CHAP",
    "conferencepaper": "CPAPER",
    "proceedingspaper": "CPAPER",
    # a meeting's abstract (Embase's, Web of Science's) or poster: RIS's abstract, which screener reads back as one
    "conferenceabstract": "ABST",
    "meetingabstract": "ABST",
    "poster": "ABST",
    "conferenceproceedings": "CONF",
    "conferenceproceeding": "CONF",
    "thesis": "THES",
    "dissertation": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
}


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the '1.' line it puts before each record (not part of RIS)."""

    def set_header(self, count):
        return ""


def _missing(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def _text(v) -> str:
    if _missing(v):
        return ""
    if hasattr(v, "tolist") and not isinstance(v, (int, float)):  # numpy arrays from a store
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return "; ".join(_text(x) for x in v if not _missing(x))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


#: The table exports' columns of names or terms joined with '; ', one holding a ';' in double quotes: an author
#: ('Vernon, Julia R; G'), a keyword (EndNote's and PubMed's XML give each its own element: 'HIV; AIDS')
_QUOTED_LISTS = ("authors", "keywords")


def join_names(v) -> str:
    """A table's cell of authors: the names joined with "; ", a name that holds a ";" (ProQuest writes some so:
    'Vernon, Julia R; G') or starts with a double quote put in double quotes, its own quotes doubled, as CSV
    quotes a cell: '"Vernon, Julia R; G"; Smith, J'. ``split_names`` reads it back."""
    if _missing(v) or isinstance(v, str):
        return _text(v)
    if hasattr(v, "tolist"):
        v = v.tolist()
    if not isinstance(v, (list, tuple)):
        return _text(v)
    names = [_text(x) for x in v if not _missing(x)]
    return "; ".join('"' + n.replace('"', '""') + '"' if ";" in n or n.lstrip().startswith('"') else n
                     for n in names)


#: One name of a cell ``join_names`` wrote: in double quotes (its quotes doubled), or up to the next ";"
_NAME_IN_CELL = re.compile(r'\s*(?:"((?:[^"]|"")*)"\s*(?=;|$)|([^;]*))(?:;|$)')


def split_names(text: str) -> list[str]:
    """The names of a cell ``join_names`` wrote (screener's own table export), each whole."""
    names = []
    for m in _NAME_IN_CELL.finditer(text or ""):
        if m.start() == len(text) and names:
            break
        name = m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2)
        names.append(name.strip())
    return [n for n in names if n]


def _one_line(v) -> str:
    return " ".join(_text(v).split())


def _as_list(v, splitter) -> list[str]:
    if _missing(v):
        return []
    if isinstance(v, (list, tuple)):
        return [_one_line(x) for x in v if _one_line(x)]
    if hasattr(v, "tolist"):
        return [_one_line(x) for x in v.tolist() if _one_line(x)]
    return [_one_line(x) for x in splitter(str(v)) if _one_line(x)]


def _rows(df) -> tuple[list[str], list[dict]]:
    frame = df
    if "record_id" not in frame.columns and frame.index.name == "record_id":
        frame = frame.reset_index()
    cols = [c for c in _FRONT if c in frame.columns]
    cols += [c for c in FIELDS if c in frame.columns and c != "raw"]
    cols += [c for c in frame.columns if c not in cols and c != "raw"]
    return cols, frame.to_dict("records")


def write_records(df, path, fmt: str | None = None, warnings: list[str] | None = None) -> Path:
    """Write records (canonical columns plus optional record_id/decision/decision_note/
    duplicate_group) as "csv", "tsv", "ris" or "xlsx"; ``fmt`` None takes it from the extension.
    ``warnings`` gets what the reviewer must know of the file written (a text cut to fit a cell)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"screener cannot export '{fmt}'. Choose one of: {', '.join(EXPORT_FORMATS)}.", path=path
        )
    if fmt in ("csv", "tsv"):
        spaced = _write_csv(df, path, delimiter="," if fmt == "csv" else "\t")
        if spaced and warnings is not None:
            warnings.append(controls_warning(spaced, kept="written as spaces in the file"))
    elif fmt == "xlsx":
        cut, removed = _write_xlsx(df, path)
        if cut and warnings is not None:
            warnings.append(cut_warning(cut))
        if removed and warnings is not None:
            warnings.append(controls_warning(removed, kept="written as spaces in the workbook"))
    else:
        _write_ris(df, path)
    return path


def _write_csv(df, path: Path, delimiter: str) -> list[tuple[str, str]]:
    """Write the table; (record, column) of each text whose control characters (a project imported
    before screener read them as spaces still holds them) were written as spaces."""
    cols, rows = _rows(df)
    spaced: list[tuple[str, str]] = []
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(cols)
        for i, r in enumerate(rows, 1):
            # numbers stay numbers (a year, an id); text that would start a formula is neutralised
            values = [r.get(c) for c in cols]
            cells = [join_names(v) if c in _QUOTED_LISTS else _text(v) for c, v in zip(cols, values)]
            if any(CONTROL_CHARS.search(t) for t in cells):
                ids = [_one_line(r.get(k)) for k in ("record_id", "source_id")]
                rec = next((x for x in ids if x), f"in row {i + 1}")
                spaced += [(rec, c) for c, t in zip(cols, cells) if CONTROL_CHARS.search(t)]
            w.writerow([t if isinstance(v, numbers.Number) else csv_safe(t) for t, v in zip(cells, values)])
    return spaced


#: First characters that make a spreadsheet (Excel, LibreOffice, Sheets) run a cell as a formula
#: (and "\n": screener reads a "\r" back as one).
_FORMULA_START = "=+-@\t\r\n"
#: A cell ``csv_safe`` guarded: quotes, then a formula's first character. Text that starts so of
#: its own ("'=' signs") is guarded too, so taking one quote off always gives the text back.
_GUARDED = re.compile(f"'*[{re.escape(_FORMULA_START)}]")
#: Columns every table screener exports has; a table with all of them is one, its cells guarded.
_OWN_EXPORT_COLUMNS = {"record_id", "source_file", "source_line"}


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading quote
    (OWASP's advice for CSV injection), e.g. ``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``; control
    characters (kept by an import before screener read them as spaces) are spaces, which Excel shows
    as boxes or, a NUL, as the cell's end."""
    text = without_controls(text)
    return "'" + text if text and _GUARDED.match(text) else text


def csv_safe_table(table):
    """A table for a spreadsheet: each text cell as ``csv_safe`` writes it, so a title that would
    start a formula ('-Omics in ...', '=...') shows rather than #NAME?."""
    return table.apply(lambda col: col.map(lambda v: csv_safe(v) if isinstance(v, str) else v))


def csv_unguard(text: str) -> str:
    """``csv_safe`` undone: a table screener exported, imported again, gives back its text."""
    return text[1:] if text.startswith("'") and _GUARDED.match(text, 1) else text


def is_own_export(header) -> bool:
    """Whether a table's column names are those of screener's own CSV export (whose cells
    ``csv_safe`` guarded); other tables' leading quotes are their own text."""
    return _OWN_EXPORT_COLUMNS <= set(header)


#: The most characters an Excel cell holds (counted in UTF-16, as Excel does); openpyxl cuts a
#: longer text there without a word (a consortium paper's thousands of authors, a proceedings abstract)
EXCEL_CELL_LIMIT = 32767
#: No ';' in it: an authors cell is split at each ';', and the mark read as two made-up authors
CUT_MARK = (" [... cut here: an Excel cell holds at most 32,767 characters, and the whole text is in screener's "
            "CSV or RIS export]")
#: The mark as exports wrote it before (with a ';'), and the new one: what an import looks for
CUT_MARKS = (CUT_MARK, " [... cut here: an Excel cell holds at most 32,767 characters; the whole text is in "
                       "screener's CSV or RIS export]")


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit_cell(text: str) -> str | None:
    """``text`` cut to fit an Excel cell, ending in ``CUT_MARK`` so the cut shows; None when it fits."""
    if len(text) <= EXCEL_CELL_LIMIT // 2 or _utf16_len(text) <= EXCEL_CELL_LIMIT:
        return None
    keep = text[:EXCEL_CELL_LIMIT - len(CUT_MARK)]
    while _utf16_len(keep) + len(CUT_MARK) > EXCEL_CELL_LIMIT:
        keep = keep[:EXCEL_CELL_LIMIT - len(CUT_MARK) - (_utf16_len(keep) - len(keep))]
    return keep + CUT_MARK


def fit_names(names: list[str]) -> tuple[str, int] | None:
    """An authors or keywords cell (``join_names``) cut after the last whole name that fits an Excel cell, ending in
    ``CUT_MARK``, and how many names it keeps; None when the whole cell fits. Cut anywhere, a name was cut in two (a
    quoted one lost its closing quote) and read back as a made-up author or keyword."""
    if fit_cell(join_names(names)) is None:
        return None
    room = EXCEL_CELL_LIMIT - len(CUT_MARK)
    size, kept = 0, 0
    for name in names:
        n = _utf16_len(join_names([name])) + (2 if kept else 0)  # '; ' between names
        if size + n > room:
            break
        size += n
        kept += 1
    return join_names(names[:kept]) + CUT_MARK, kept


def cut_warning(cut: list[tuple],
                way: str = "export the records as CSV or RIS ('screener export' with -o records.csv)") -> str:
    """Words for the texts ``fit_cell`` cut: (record, column, length) each, and for an authors or keywords cell cut
    after a whole name or keyword (``fit_names``) the ones kept and the ones in all; ``way``: how to have them whole."""
    shown = "; ".join(f"record {c[0]} ({c[1]}, {c[2]:,} characters" + (
        f": the first {c[3]:,} of {c[4]:,} {'names' if c[1] == 'authors' else c[1]} kept" if len(c) > 3 else "")
        + ")" for c in cut[:10])
    more = f"; and {len(cut) - 10} more" if len(cut) > 10 else ""
    if len(cut) == 1:
        return (f"an Excel cell holds at most 32,767 characters, so 1 text longer than that was cut, ending "
                f"'[... cut here ...]': {shown}. The whole text is kept in the project: {way} to have it in full.")
    return (f"an Excel cell holds at most 32,767 characters, so {len(cut)} texts longer than that were cut, each "
            f"ending '[... cut here ...]': {shown}{more}. The whole texts are kept in the project: {way} to have "
            "them in full.")


#: Control characters an Excel cell cannot hold (openpyxl refuses them)
EXCEL_ILLEGAL = CONTROL_CHARS


def controls_warning(removed: list[tuple[str, str]], kept: str = "left out of the workbook") -> str:
    """Words for the texts whose control characters were left out of a workbook (``kept``: what became
    of them, e.g. written as spaces in a CSV file): (record, column) each."""
    shown = "; ".join(f"record {rec} ({field})" for rec, field in removed[:10])
    more = f"; and {len(removed) - 10} more" if len(removed) > 10 else ""
    one = len(removed) == 1
    return (f"{len(removed)} {'text' if one else 'texts'} held control characters, which Excel cannot show "
            f"(invisible characters, often from text pasted out of a PDF); {'it was' if one else 'they were'} "
            f"{kept}: {shown}{more}. The {'text' if one else 'texts'} in the project "
            f"{'is' if one else 'are'} unchanged.")


def _write_xlsx(df, path: Path) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    """Write the workbook; (record, column, length) of each text cut to fit its cell, and (record,
    column) of each text whose control characters were written as spaces (as ``_write_csv`` does)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cols, rows = _rows(df)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("records")
    header = []
    for c in cols:
        cell = WriteOnlyCell(ws, value=c)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    cut: list[tuple[str, str, int]] = []
    removed: list[tuple[str, str]] = []
    for i, r in enumerate(rows, 1):
        out = []
        ids = [_one_line(r.get(k)) for k in ("record_id", "source_id")]
        rec = next((x for x in ids if x), f"in row {i + 1}")
        for c in cols:
            v = r.get(c)
            if c == "year" and not _missing(v):
                try:
                    out.append(int(v))
                    continue
                except (TypeError, ValueError):
                    pass
            text = join_names(v) if c in _QUOTED_LISTS else _text(v)
            if EXCEL_ILLEGAL.search(text):  # a space, as in the CSV export: deleted, words ran together
                text = without_controls(text)
                removed.append((rec, c))
            names = _as_list(v, split_names) if c in _QUOTED_LISTS and not isinstance(v, str) else None
            fitted_names = fit_names([without_controls(n) for n in names]) if names else None
            if fitted_names is not None:  # after a whole name: one cut in two read back as a made-up author or keyword
                cut.append((rec, c, len(text), fitted_names[1], len(names)))
                text = fitted_names[0]
            elif (fitted := fit_cell(text)) is not None:
                cut.append((rec, c, len(text)))
                text = fitted
            cell = WriteOnlyCell(ws, value=text)
            if text.startswith("="):
                cell.data_type = "s"  # a title that starts with '=' is text, not a formula
            out.append(cell)
        ws.append(out)
    wb.save(path)
    return cut, removed


def _ris_type(value) -> str:
    t = _one_line(value)
    if not t:
        return "JOUR"
    if t.upper() in TYPE_OF_REFERENCE_MAPPING:
        return t.upper()
    kind = _TYPE_WORDS.get(re.sub(r"[^a-z]", "", t.lower()))
    if kind:
        return kind
    # a journal's notice, letter, editorial or comment (PubMed's "Published Erratum" or "Comment", EndNote's "Journal
    # Article; Comment"): a journal item, as the database that types it so files it, its type written in M3
    return "JOUR" if notice_document_type(t) else "GEN"


def _raw_dict(raw) -> dict:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw.startswith("{"):
        try:
            value = json.loads(raw)
            return value if isinstance(value, dict) else {}
        except ValueError:
            return {}
    return {}


#: Where a trial register's export gives its entry's page: ClinicalTrials.gov's 'Study URL', the ICTRP's 'web address'
_REGISTER_LINKS = ("study url", "web address")


#: The RIS tags CENTRAL writes a register entry's page in (Ovid: JA; the Cochrane Library: JO)
_RIS_LINK_TAGS = ("UR", "L1", "L2", "L3", "LK", "JA", "JO", "JF", "T2", "J2", "J1")


def register_link(raw) -> str | None:
    """A register entry's page, from its register's export (or CENTRAL's RIS of its entry): the link a reference
    manager (or a reviewer screening it) opens it by."""
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        if str(key).strip().lower() in _REGISTER_LINKS and isinstance(value, str) and value.strip().startswith("http"):
            return value.strip()
    if isinstance(raw, dict) and raw.get("TY"):
        for tag in _RIS_LINK_TAGS:
            values = raw.get(tag)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and REGISTER_PAGE.fullmatch(value.strip()):
                    return value.strip()
    return None


#: The WHO ICTRP's page of a trial, which lists every register's trials, by its trial id
ICTRP_PAGE = "https://trialsearch.who.int/Trial2.aspx?TrialID={}"


def _trial_page(r: dict) -> str | None:
    """The ICTRP's page of a register entry's trial (``r``: an exported row), for an entry whose register's export
    gave no link: without it, the entry came back from RIS as a document, its trial id lost to de-duplication."""
    if r.get("type") != REGISTRY_RECORD:
        return None
    own = _one_line(r["source_ref"] if "source_ref" in r else r.get("source_id"))  # a project's or a file's record
    if not _REGISTRY_ID.fullmatch(own):
        return None
    # the ICTRP lists a Japanese register's trials under 'JPRN-' before the register's own id (CENTRAL's copy lacks it)
    return ICTRP_PAGE.format(_ICTRP_JAPANESE.sub("JPRN-", own))


#: A Japanese register's own trial id, which the WHO ICTRP gives as 'JPRN-UMIN000012345', 'JPRN-jRCTs031180123'
_ICTRP_JAPANESE = re.compile(r"^(?=UMIN|jRCT)", re.I)


def _putter(ref: dict):
    def put(name, value):
        text = _one_line(value)
        if text:
            ref[name] = text

    return put


def _write_ris(df, path: Path) -> None:
    frame = df
    if "record_id" not in frame.columns and frame.index.name == "record_id":
        frame = frame.reset_index()
    refs = []
    for r in frame.to_dict("records"):
        raw = _raw_dict(r.get("raw"))
        # the database's own TY where the record came from RIS: its type may be the notice M3 names ("Erratum")
        ref: dict = {"type_of_reference": _ris_type(raw.get("TY") if isinstance(raw.get("TY"), str) else r.get("type"))}
        put = _putter(ref)
        if notice_document_type(r.get("type")):
            put("type_of_work", r.get("type"))  # M3, where screener's RIS reader finds that the record is a notice
        put("title", r.get("title"))
        authors = _as_list(r.get("authors"), split_people)
        if authors:
            ref["authors"] = authors
        year = extract_year(None if _missing(r.get("year")) else r.get("year"))
        put("year", year)
        put("secondary_title", r.get("journal"))
        put("volume", r.get("volume"))
        put("number", r.get("issue"))
        pages = _one_line(r.get("pages"))
        if pages:
            first_page, _, last_page = re.sub("[–—]", "-", pages).partition("-")
            put("start_page", first_page)
            put("end_page", last_page)
        else:
            put("start_page", r.get("start_page"))
        # One line, as every field: an abstract's paragraph breaks are written as spaces. RIS has no way to write a
        # line break that the reference managers read back as one. Its specification allows a long field to go on
        # over several lines only as a wrap (a line break where the text has none), and so rispy and screener join
        # an untagged line to the field above with a space, and EndNote reads it as a continuation of that field;
        # Zotero alone guesses a paragraph from the lines' lengths. A blank line inside a record can end it (EndNote's
        # record identification, other RIS readers); a paragraph starting 'ER  - ' would; some readers refuse a
        # record whose fields run over lines; a second AB line is dropped by rispy and made a note by Zotero. The
        # CSV, TSV and XLSX exports keep the line breaks.
        put("abstract", r.get("abstract"))
        put("doi", r.get("doi"))
        keywords = _as_list(r.get("keywords"), split_terms)
        if keywords:
            ref["keywords"] = keywords
        pmid = _one_line(r.get("pmid"))
        if pmid:
            ref["urls"] = [f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"]
        elif register_link(raw) or _trial_page(r):
            ref["urls"] = [register_link(raw) or _trial_page(r)]
        put("name_of_database", r.get("source_db"))
        put("accession_number", r.get(CENTRAL_COLUMN))  # CENTRAL's number of its copy of a register entry
        if _missing(r.get("record_id")):
            put("id", r.get("source_id"))
        else:  # ID: the record id, which 'screener label' matches by; AN: the database's own, as the tables keep it
            put("id", r.get("record_id"))
            if "accession_number" not in ref:
                put("accession_number", r["source_ref"] if "source_ref" in r else r.get("source_id"))
        if raw.get("TY"):
            for tag in _COPY_RIS_TAGS:
                value = raw.get(tag)
                if isinstance(value, list):
                    value = value[0] if value else None
                if TAG_KEY_MAPPING[tag] not in ref:
                    put(TAG_KEY_MAPPING[tag], value)
        notes = []
        decision = _one_line(r.get("decision"))
        if decision:
            notes.append(DECISION_NOTE + decision)
            ref["label"] = decision
        # every decision column of the CSV, as a note of its own: a library of the included
        # records built from this file must see a full-text exclusion
        for key, prefix in (("excluded_unread", UNREAD_NOTE),
                            ("decision_note", DECISION_COMMENT_NOTE), ("decision_reason", DECISION_REASON_NOTE),
                            ("decided_by", DECIDED_BY_NOTE), ("full_text_decision", FULL_TEXT_NOTE),
                            ("full_text_decided_by", FULL_TEXT_DECIDED_BY_NOTE),
                            ("full_text_note", FULL_TEXT_COMMENT_NOTE), ("full_text_reason", FULL_TEXT_REASON_NOTE)):
            if _one_line(r.get(key)):
                notes.append(prefix + _one_line(r.get(key)))
        if _one_line(r.get("duplicate_group")):
            notes.append(DUPLICATE_NOTE + _one_line(r.get("duplicate_group")))
        if _one_line(r.get("source_file")):  # the source PRISMA counted it under: DB may name sub-databases
            notes.append(SOURCE_FILE_NOTE + _one_line(r.get("source_file")))
        if _one_line(r.get("retracted")) == "yes":  # a copy titled as retracted, which may not be in the file
            notes.append(RETRACTED_NOTE + "yes: a copy of this study is titled as retracted")
        if notes:
            ref["notes"] = notes
        refs.append(ref)
    text = _RisWriter().formats(refs)
    # plain UTF-8, as the databases' RIS exports and Zotero's are: a byte-order mark (which CSV keeps
    # for Excel) can be read as part of the first record's 'TY' tag by a reference manager
    with open(path, "w", encoding="utf-8", newline="\r\n") as fh:
        fh.write(text)
