"""CSV, tab-separated and Excel tables: exports from Scopus, Web of Science, Zotero, Covidence,
Rayyan, ASReview, and reviewers' own spreadsheets.

Column names differ by source, so each field has a list of names it may go by (compared without
case, spaces or punctuation: 'Article Title', 'article_title' and 'ARTICLETITLE' are one name);
``column_map`` (``--column title=...``) overrides. Rows are read with the standard ``csv`` module
rather than pandas so that every record and every error can name the line it starts on, even
when an abstract spans several lines inside quotes; workbooks are read with openpyxl for the same
reason (pandas renumbers rows). Source line for a table is the file line (CSV) or sheet row (XLSX).
A CSV screener exported is read back as it was written: its guard against spreadsheet formulas
(a ' before =, +, - or @) comes off; in other tables a leading ' is the text's own.
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
import unicodedata
from datetime import date, datetime
from io import StringIO
from pathlib import Path

from screener.errors import InputError
from screener.io.common import (
    CONTROL_CHARS,
    REGISTRY_RECORD,
    clean,
    clean_pmid,
    clean_title,
    clean_all,
    dedupe,
    extract_year,
    make_record,
    source_name,
    split_people,
    split_run_together,
    split_terms,
)
from screener.io.export import CUT_MARKS, csv_unguard, is_own_export, register_link, split_names
from screener.io.label_values import parse_label
from screener.records import counted, noun, normalise_doi

#: Names each field's column may have, in order of preference (normalised: see ``_norm``).
#: After the English names, those of French, Spanish, German and Portuguese interfaces (HAL, Cairn,
#: SciELO, LILACS, Dialnet, a reference manager set to another language), accents folded ('Année': 'annee').
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "ti", "t1", "articletitle", "documenttitle", "primarytitle", "papertitle", "studytitle",
              "itemtitle", "titre", "titredelarticle", "titulo", "titulodelarticulo", "titulodoartigo", "titel"),
    "abstract": ("abstract", "ab", "abstractnote", "abstracttext", "n2", "notesabstract",
                 "resume", "resumen", "resumo", "zusammenfassung", "kurzfassung"),
    "authors": ("authors", "author", "au", "authorfullnames", "af", "authornames", "firstauthors", "a1",
                "auteurs", "auteur", "autores", "autor", "autoren"),
    "year": ("year", "publicationyear", "publishedyear", "yearofpublication", "py", "pubyear", "yearpublished", "date",
             "publicationdate", "y1", "da", "dp",
             "annee", "anneedepublication", "ano", "anodepublicacion", "anodepublicacao", "jahr", "erscheinungsjahr",
             "publikationsjahr"),
    "journal": (
        "journal", "journaltitle", "sourcetitle", "publicationtitle", "secondarytitle", "journalname",
        "journalbook", "so", "jo", "jf", "jt", "t2", "ta", "parenttitle",  # EPPI-Reviewer: 'ParentTitle'
        "revue", "titredelarevue", "revista", "periodico", "zeitschrift",
    ),
    "volume": ("volume", "vl", "vi", "vol", "journalvolume"),
    "issue": ("issue", "is", "ip", "issuenumber", "number", "journalissue"),
    "pages": ("pages", "pg", "pagination", "pagerange", "page", "pagenumbers"),
    "start_page": ("startpage", "sp", "bp", "beginningpage", "firstpage", "pagestart", "pagebegin"),
    "end_page": ("endpage", "ep", "lastpage", "pageend", "endingpage"),
    "doi": ("doi", "di", "do", "digitalobjectidentifier", "itemdoi"),
    # Embase.com's CSV: 'Medline PMID' (its 'PUI' and 'Embase Accession ID' are Elsevier's own numbers)
    "pmid": ("pmid", "pubmedid", "pubmed", "pm", "pubmedidentifier", "medlinepmid"),
    "keywords": (
        "keywords", "keyword", "kw", "authorkeywords", "de", "indexkeywords", "meshterms", "mh", "ot",
        "manualtags", "tags", "ieeeterms", "inspeccontrolledterms", "inspecnoncontrolledterms",
        "motscles", "motcle", "palabrasclave", "palavraschave", "schlagworter", "schlagwoerter", "stichworter",
        "schlusselworter",
    ),
    # Zotero: "Item Type" (journalArticle, thesis); its "Type" is a thesis's kind, empty for an article
    "type": ("itemtype", "type", "ty", "documenttype", "publicationtype", "reftype", "referencetype", "pt",
             "contenttype", "typename"),
    "source_db": ("sourcedb", "database", "db", "sourcedatabase", "librarycatalog"),
    "id": (
        "recordid", "id", "key", "covidence#", "covidenceid", "refid", "recid", "recordnumber", "recnumber",
        "ut", "uniquewosid", "eid", "accessionnumber", "an", "pui", "itemid",
    ),
    "label": (
        "labelincluded", "included", "label", "decision", "include", "screeningdecision", "finaldecision",
        "inclusion", "relevant", "labelabstractscreening", "labelincluded1",
    ),
}

#: What Excel and LibreOffice show in a cell whose formula failed; a table saved as CSV keeps it as text.
_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                           "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "Err:502",
                           "Err:504", "Err:508", "Err:511", "Err:522"})

#: What R's write.csv and readr write for a missing value (revtools, synthesisr and ASySD export so): a bare NA
_R_MISSING = "NA"

#: Fields whose values are collected from every matching column, not just the first.
_MULTI = {"keywords"}
MAP_KEYS = tuple(ALIASES) + ("source_id",)
#: Publish or Perish's CSV (its searches of Google Scholar, Crossref, OpenAlex ...): the columns that tell it, and its
#: own columns screener does not read
_POP = frozenset({"gsrank", "querydate", "citesurl"})
_POP_COLUMNS = frozenset({"cites", "articleurl", "citesurl", "gsrank", "querydate", "citationurl", "ecc",
                          "citesperyear", "citesperauthor", "authorcount", "age", "fulltexturl", "relatedurl"})


#: The columns that tell Covidence's export (its own record number)
_COVIDENCE = frozenset({"covidence#", "covidenceid"})


def covidence_export(records: list[dict]) -> bool:
    """Whether the records are read from Covidence's export (its record number among the columns)."""
    return bool(records) and bool(_COVIDENCE & {_norm(h) for h in records[0].get("raw") or {}})


#: Trial registers' own exports, told by their columns: ClinicalTrials.gov's CSV download ('ctg-studies.csv': its
#: 'NCT Number') and the WHO ICTRP search portal's CSV export (its 'TrialID'), with one more column of each
CTGOV, ICTRP = "ClinicalTrials.gov", "WHO ICTRP"
_REGISTER_MARKS = {
    CTGOV: ("nctnumber", frozenset({"studyurl", "briefsummary", "studystatus", "firstposted"})),
    ICTRP: ("trialid", frozenset({"webaddress", "sourceregister", "lastrefreshedon", "publictitle", "scientifictitle",
                                  "dateregistration", "primarysponsor"})),
}
#: What a screener reads of a registered trial beside its title, under one label whatever the register names it:
#: (label, the register's columns, normalised)
_REGISTER_SECTIONS = (("Condition", ("conditions", "condition")), ("Intervention", ("interventions", "intervention")),
                      ("Primary outcome", ("primaryoutcomemeasures", "primaryoutcome")),
                      ("Study design", ("studydesign",)))
#: The registers' own columns, left out of the note on the columns not read (the sections above are read into the
#: abstract, the rest are the register's bookkeeping, kept with each record): a column a reviewer added is still named
_REGISTER_COLUMNS = frozenset((
    "nctnumber", "studytitle", "studyurl", "acronym", "studystatus", "briefsummary", "studyresults", "conditions",
    "interventions", "primaryoutcomemeasures", "secondaryoutcomemeasures", "otheroutcomemeasures", "sponsor",
    "collaborators", "sex", "age", "phases", "enrollment", "fundertype", "studytype", "studydesign", "otherids",
    "startdate", "primarycompletiondate", "completiondate", "firstposted", "resultsfirstposted", "lastupdateposted",
    "locations", "studydocuments",
    "trialid", "lastrefreshedon", "publictitle", "scientifictitle", "primarysponsor", "dateregistration",
    "dateregistration3", "exportdate", "sourceregister", "webaddress", "recruitmentstatus", "otherrecords",
    "inclusionagegroupmin", "inclusionagegroupmax", "inclusiongender", "dateenrollement", "targetsize", "phase",
    "countries", "contactfirstname", "contactlastname", "contactaddress", "contactemail", "contacttel",
    "contactaffiliation", "inclusioncriteria", "exclusioncriteria", "condition", "intervention", "primaryoutcome",
    "secondaryoutcome", "secondaryid", "sourcesupport", "ethicsreviewstatus", "ethicsreviewapprovaldate",
    "ethicsreviewcontactname", "ethicsreviewcontactaddress", "ethicsreviewcontactphone", "ethicsreviewcontactemail",
    "retrospectiveflag", "bridgingflagtruefalse", "bridgedchildrectrialid", "bridgedparentrectrialid",
    # the same fields as its XML export names them, and those it alone writes
    "internalnumber", "inclusionagemin", "inclusionagemax", "prospectiveregistration", "secondarysponsor",
    "bridgingflag", "bridgedtype", "childs", "typeenrolment",
))
#: A register entry's criteria, as the WHO ICTRP exports them: (label, the column, normalised)
_REGISTER_CRITERIA = (("Inclusion criteria", "inclusioncriteria"), ("Exclusion criteria", "exclusioncriteria"))


def register_entry(kind, trial_id, raw) -> dict:
    """What a reviewer screening a register's record reads beside its title and abstract: its trial id, the link to
    its entry in the register (to read it whole) and its inclusion and exclusion criteria, each line apart. Empty for
    a record that is no register's (``kind`` is the record's type, ``trial_id`` its own id)."""
    if kind != REGISTRY_RECORD:
        return {"trial_id": "", "url": "", "criteria": []}
    cells = {_norm(k): v for k, v in raw.items() if isinstance(v, str)} if isinstance(raw, dict) else {}
    criteria = [(label, re.sub(r"\s*<br\s*/?>\s*", "\n", cells[n]).strip()) for label, n in _REGISTER_CRITERIA
                if clean(cells.get(n))]
    return {"trial_id": clean(trial_id) or "", "url": register_link(raw) or "", "criteria": criteria}


#: Separators in a register's cells: ClinicalTrials.gov's '|', the ICTRP's ';' and '<br>'
_REGISTER_SPLIT = re.compile(r"\s*(?:\||;|<br\s*/?>)\s*", re.I)


def register_export(header: list[str]) -> str | None:
    """The register a table is the export of (``CTGOV``, ``ICTRP``), by its columns; None for any other table."""
    normed = {_norm(h) for h in header}
    return next((name for name, (key, others) in _REGISTER_MARKS.items() if key in normed and others & normed), None)


def _register_values(register: str, header: list[str], cells: list[str], summary: str | None,
                     title_column: str | None = None) -> dict:
    """A register entry's title and abstract. The ICTRP's public title is the title: it is the title
    ClinicalTrials.gov's download gives (its brief title; the download has no official title), so one trial exported
    from both registers reads alike and de-duplication pairs it by its title; the scientific title, where it differs,
    opens the abstract, as it names the population, intervention and design a screener decides on. The abstract then
    holds the brief summary (ClinicalTrials.gov) and the condition, intervention, primary outcome and design, each
    labelled. ``summary``: the cell read as the abstract ('Brief Summary', or an 'Abstract' column a reviewer
    added). ``title_column``: the column a reviewer named as the title (``--column title=``): its text is the title,
    so it is not said again in the abstract (the public title, then, opens it where the scientific title is read)."""
    by_name: dict[str, str] = {}
    for h, c in zip(header, cells):
        by_name.setdefault(_norm(h), clean(c) or "")
    given = _norm(title_column) if title_column else None
    lines = []
    title = None
    if register == ICTRP:
        scientific, public = by_name.get("scientifictitle"), by_name.get("publictitle")
        title = clean_title(public or scientific)
        if scientific and public and _norm(public) != _norm(scientific):
            other = ("Public title", public) if given == "scientifictitle" else ("Scientific title", scientific)
            if given != _norm(other[0]):
                lines.append(f"{other[0]}: {clean_title(other[1])}")
    if summary:
        lines.append(summary)
    for label, names in _REGISTER_SECTIONS:
        text = next((by_name[n] for n in names if by_name.get(n) and n != given), "")
        parts = [p for p in _REGISTER_SPLIT.split(text) if p]
        if parts:
            lines.append(f"{label}: {'; '.join(parts)}")
    # a registration date written without separators ('20200115'), as 'Date registration3' is
    compact = next((m for n in ("dateregistration", "dateregistration3")
                    if (m := re.fullmatch(r"((?:19|20)\d\d)(?:0[1-9]|1[0-2])\d\d", by_name.get(n) or ""))), None)
    return {"title": title, "abstract": "\n".join(lines) or None, "year": int(compact.group(1)) if compact else None}


def _register_without_titles(register: str, header: list[str], path) -> InputError:
    """The error for a register's export whose title columns were left out of the download."""
    if register == CTGOV:
        what = ("ClinicalTrials.gov's CSV download (its 'NCT Number' column), but without its 'Study Title' column. "
                "Download the search results again with 'Study Title' among the columns (and 'Brief Summary', which "
                "screener reads as the abstract)")
    else:
        what = ("the WHO ICTRP's CSV export (its 'TrialID' column), but with neither its 'Scientific title' nor its "
                "'Public title' column. Export the search results again with all columns")
    return InputError(
        f"this file looks like {what}, or name the column that holds the titles with --column title=NAME. Columns in "
        f"the file: {_column_list(header)}. Nothing was imported.",
        path=path,
    )


def covidence_source(name: str) -> str:
    """What a Covidence export counts under in PRISMA where no column names a database: its records
    were gathered and de-duplicated there, from the databases the team searched."""
    return f"Covidence export ({name})"


def _norm(name: str) -> str:
    """A column name as ``ALIASES`` spell it: lower case, letters, digits and '#' only, accents folded
    ('Mots-clés' is 'motscles': a French table's names lost their letters and matched nothing)."""
    text = str(name).lower()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9#]+", "", text)


def _resolve_columns(header: list[str], column_map: dict | None, path, *,
                     elements: list[str] | None = None) -> dict[str, list[int]]:
    """Field -> column positions, from the user's map first, then the alias lists. ``elements``: the header's
    names as an XML file writes them (the ICTRP's '<Public_title>' for 'Public title'), said in their place."""
    normed = [_norm(h) for h in header]
    aliases = dict(ALIASES)
    if _COVIDENCE & set(normed):
        # Covidence's 'Tags' are the review team's labels ('Awaiting classification'), not the paper's keywords
        aliases["keywords"] = tuple(a for a in aliases["keywords"] if a != "tags")
    if "pt" in normed and "ut" in normed:
        # Web of Science tab export: 'ID' is Keywords Plus there, not an identifier.
        aliases["id"] = tuple(a for a in aliases["id"] if a != "id")
        aliases["keywords"] = aliases["keywords"] + ("id",)
        aliases["type"] = ("dt",) + aliases["type"]
        # ... and 'SP' is the conference sponsors, 'PG' the page count: the pages are 'BP'-'EP'
        aliases["start_page"] = tuple(a for a in aliases["start_page"] if a != "sp")
        aliases["pages"] = tuple(a for a in aliases["pages"] if a != "pg")
        # ... and 'DA' the day of the export: a record published online first has no 'PY' yet, its
        # year is in 'EA' (early access), as the plain-text export's reader takes it
        aliases["year"] = ("py", "ea")
        # ... and 'AU' the authors abbreviated ('Smith, J'), 'AF' their full names ('Smith, John'), which the
        # plain-text export's reader and the other databases give: AF, or AU where a record has no AF
        aliases["authors"] = ("af", "au") + tuple(a for a in aliases["authors"] if a not in ("af", "au"))
        multi = _MULTI | {"year", "authors"}
    else:
        multi = _MULTI
    if "utuniquewosid" in normed:
        # Web of Science's export with its columns named in words (to Excel, its 'Full Record'): its id is
        # 'UT (Unique WOS ID)', and a record published online first has its year in 'Early Access Date' alone
        aliases["id"] = ("utuniquewosid",) + aliases["id"]
        aliases["year"] = ("publicationyear", "earlyaccessdate")
        multi = multi | {"year"}
    if is_own_export(header) and "sourceref" in normed:
        # screener's own export: 'record_id' is the old project's number, 'source_ref' the record's id in its
        # database (a register entry's trial id, which de-duplication joins the trial's entries by)
        aliases["id"] = ("sourceref",)
    register = register_export(header)
    if register == CTGOV:
        # its 'Brief Summary' is the abstract, 'NCT Number' the id; the year is the registration's ('First Posted'),
        # as the ICTRP dates the same trial, or its start where it has none
        aliases["abstract"] = ("briefsummary",) + aliases["abstract"]
        aliases["id"] = ("nctnumber",) + aliases["id"]
        aliases["year"] = ("firstposted", "startdate")
        multi = multi | {"year"}
    elif register == ICTRP:
        aliases["title"] = ("publictitle", "scientifictitle") + aliases["title"]
        aliases["id"] = ("trialid",) + aliases["id"]
        aliases["year"] = ("dateregistration", "dateregistration3", "dateenrollement")
        multi = multi | {"year", "title"}
    if _POP <= set(normed):
        # Publish or Perish (Google Scholar and other searches): 'Source' is the journal or the book
        aliases["journal"] = aliases["journal"] + ("source",)
    if "authorfullnames" in normed:
        # Scopus's CSV and Web of Science's named export write the authors twice: 'Authors' abbreviated ('Smith J.',
        # 'Smith, J'), 'Author full names' in full ('Smith, John (57190000001)', Scopus with its author ids): the
        # full names, as the other exports of the same records give them, or the abbreviated where a record has none
        aliases["authors"] = ("authorfullnames",) + tuple(a for a in aliases["authors"] if a != "authorfullnames")
        multi = multi | {"authors"}
    found: dict[str, list[int]] = {}
    taken: set[int] = set()
    overridden: set[str] = set()
    for key, col in (column_map or {}).items():
        field = "id" if key == "source_id" else key
        if field not in ALIASES:
            raise InputError(
                f"--column {key}=... names a field screener does not have. Fields: {', '.join(ALIASES)}.",
                path=path,
            )
        overridden.add(field)
        if col is None or str(col).strip() == "":
            continue  # the user says: this file has no such column (e.g. ignore a 'Label' column)
        idx = _find_column(header, normed, str(col))
        if idx is None:
            raise InputError(
                f"there is no column '{col}' (given with --column {key}=). Columns in the file: "
                f"{_column_list(header)}." if elements is None else
                f"there is no element '{col}' (given with --column {key}=). Elements in the file's trials: "
                f"{_column_list(elements)}.",
                path=path,
            )
        found[field] = [idx]
        taken.add(idx)
    for field, names in aliases.items():
        if field in overridden:
            continue
        hits = []
        for alias in names:
            for i, n in enumerate(normed):
                if n == alias and i not in taken and i not in hits:
                    hits.append(i)
        if hits:
            found[field] = hits if field in multi else hits[:1]
            taken.update(found[field])
    # an online journal's article number, where its papers have no pages (Scopus's 'Art. No.', Web of
    # Science's AR): PubMed writes it as the pages (PG 5432), and so are the tab export's records read
    wos = "pt" in normed and "ut" in normed
    article = next((i for i, n in enumerate(normed) if i not in taken
                    and n in (("ar",) if wos else ()) + ("artno", "articlenumber", "articleno")), None)
    if article is not None and "start_page" not in overridden and "pages" not in overridden:
        found["article_number"] = [article]
    # Zotero's CSV has no PMID column: it keeps the PMID in 'Extra' ('PMID: 37000001', one line of several)
    extra = next((i for i, n in enumerate(normed) if n == "extra" and i not in taken), None)
    if extra is not None and "pmid" not in found and "pmid" not in overridden:
        found["extra"] = [extra]
    return found


_EXTRA_PMID = re.compile(r"^\s*PMID:\s*(\d{1,9})\s*$", re.M | re.I)


def _pmid_in_extra(text: str | None) -> str | None:
    m = _EXTRA_PMID.search(text or "")
    return m.group(1) if m else None


def label_column(header: list[str], column_map: dict | None = None, path=None) -> str | None:
    """The column a table's screening decisions are read from (``column_map``'s ``label`` first,
    then the usual names), as ``read_records`` picks it; None when there is none."""
    cols = _resolve_columns(list(header), column_map, path)
    return header[cols["label"][0]] if "label" in cols else None


def _find_column(header, normed, name: str) -> int | None:
    if name in header:
        return header.index(name)
    low = [h.lower().strip() for h in header]
    if name.lower().strip() in low:
        return low.index(name.lower().strip())
    n = _norm(name)
    return normed.index(n) if n in normed else None


def _column_list(header: list[str]) -> str:
    shown = ", ".join(f"'{h}'" for h in header[:40])
    return shown + (f" and {len(header) - 40} more" if len(header) > 40 else "")


#: How a workbook stores a control character in text ("_x000D_" for the carriage return of a line
#: break typed in a cell; "_x005F_" for a "_" that starts such a sequence): openpyxl leaves them as stored
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _cell_text(value) -> str:
    """A cell as text the way a reviewer sees it: 1 not 1.0, dates as 2020-05-01, line breaks as
    line breaks."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unique_header(header: list[str]) -> list[str]:
    out, seen = [], {}
    for i, h in enumerate(header):
        h = (h or "").strip() or f"column {i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        out.append(h)
    return out


def _title_line_error(header: list[str], below, path, where_word: str) -> InputError | None:
    """The error for a table whose first line is a title above the column names ('Search results',
    a database's banner), when the names below it are not ones screener knows (known ones are found
    on their own): read as the column names, its one cell was offered as the titles' column, and
    the real column names would have been imported as a record. ``below``: (line, cells) of the
    rows under it. None when the first line names more than one column."""
    named = [h for i, h in enumerate(header) if h != f"column {i + 1}"]
    if len(named) != 1 or any(_norm(named[0]) in names for names in ALIASES.values()):
        return None  # a table of one known column ('Title') whose row holds an unquoted comma
    for at, cells in below[:10]:
        filled = [c.strip() for c in cells if c.strip()]
        if len(filled) > 1 and not any(_NUMBER.match(c) for c in filled):
            break
    else:
        return None
    names = _unique_header(cells)
    guess = _title_like_column(names, [r for r in below if r[0] > at], set())
    what = (f"add --column title={_quoted(guess)} to the same command" if guess is not None else
            "add --column title=NAME to the same command, NAME being the one of them that holds the titles")
    return InputError(
        f"the first {where_word} ('{named[0]}') looks like a title above the column names, not the column names; "
        f"they seem to be on {where_word} {at} ({_column_list(names)}). To import the file, {what}: screener then "
        f"reads the column names from that {where_word} and leaves out the {where_word}s above it. Or delete the "
        f"{where_word}s above the column names and import it again. Nothing was imported.",
        path=path,
    )


def _refuse_without_titles(header: list[str], rows, cols: dict[str, list[int]], path, where_word: str) -> None:
    """Stop before anything is stored: records imported without their titles cannot be fixed by
    importing the file again (that would add every record a second time)."""
    title_line = _title_line_error(header, rows, path, where_word)
    if title_line is not None:
        raise title_line
    taken = {i for idx in cols.values() for i in idx}
    guess = _title_like_column(header, rows, taken)
    if guess is None:
        close = difflib.get_close_matches("title", [h.lower() for h in header], n=1, cutoff=0.6)
        guess = next((h for h in header if h.lower() == close[0]), None) if close else None
    if guess is not None:
        what = f"add --column title={_quoted(guess)} to the same command"
    else:
        what = "add --column title=NAME to the same command, NAME being the column that holds the titles"
    raise InputError(
        "screener found no column with the titles, so nothing was imported. Columns in the file: "
        f"{_column_list(header)}. To import it, {what}. (If the file really has no titles, "
        "--column title= imports the records without them.)",
        path=path,
    )


def _title_like_column(header: list[str], rows, taken: set[int]) -> str | None:
    """The one unrecognised column whose cells read like titles (a few words, shorter than an
    abstract), to name in the advice; None when there is no single such column."""
    sample = rows[:200] if isinstance(rows, list) else []
    found = []
    for i, name in enumerate(header):
        if i in taken:
            continue
        cells = [row[i].strip() for _, row in sample if i < len(row) and row[i].strip()]
        if not cells:
            continue
        wordy = [c for c in cells if len(c.split()) >= 3 and len(c) <= 400 and not c.replace(" ", "").isdigit()]
        if len(wordy) >= 0.5 * len(cells):
            found.append(name)
    return found[0] if len(found) == 1 else None


_DOI_START = re.compile(r"10\.\d{4,9}/")
_FILLER = frozenset("a an and as by each for in is of on or the this to".split())
#: A record's cell saying its value is missing, as databases write it ("[No abstract available]", "[No authors
#: listed]", "Abstract not available"): it names its column, but it is a record's value, not a description
_MISSING_VALUE = re.compile(r"\b(?:no|not)\b.*\b(?:available|listed|given|provided|found)\b", re.I)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FILLER}


def _describing_row(header: list[str], rows, cols: dict[str, list[int]]) -> list[str] | None:
    """The filled cells of the first row when they say what each column holds ('Title of the article'
    under 'Title', 'Year of publication' under 'Year'), as some templates and tools write a second
    header row; None when it may be a record. Only sure cases: short texts, no number, year or DOI
    anywhere in the row, the title's cell and three in four of the filled cells naming their column
    (where no record below names it too), and records below it. A study about titles and abstracts
    has a year, a DOI or a long abstract; a database's "[No abstract available]" is a record's cell."""
    if len(rows) < 2 or "title" not in cols:
        return None
    cells = rows[0][1]
    filled = [(i, c.strip()) for i, c in enumerate(cells[: len(header)]) if c.strip()]
    if len(filled) < 2 or any(
        len(c) > 120 or _NUMBER.match(c) or _DOI_START.search(c) or extract_year(c) or _MISSING_VALUE.search(c)
        for _, c in filled
    ):
        return None

    def names_its_column(i: int, text: str) -> bool:
        return bool(_words(header[i])) and _words(header[i]) <= _words(text)

    naming = {i for i, c in filled if names_its_column(i, c)}
    if cols["title"][0] not in naming:
        return None
    # a column whose records name it too ('Journal of Pain' under 'Journal') says nothing of the first row
    naming -= {i for i in naming for _, later in rows[1:51] if i < len(later) and names_its_column(i, later[i])}
    if cols["title"][0] not in naming or len(naming) < 2 or 4 * len(naming) < 3 * len(filled):
        return None
    return [c for _, c in filled]


_KNOWN_NAMES = frozenset(n for names in ALIASES.values() for n in names)


def _names_row(header: list[str], rows) -> set[int] | None:
    """The columns the first row names, when it is the second row of a two-row header: a heading over
    several columns ('Publication', merged over the cells of 'Journal' and 'Year' below it) or a
    heading that is no field's ('Bibliographic'). Each filled cell is a column name screener knows,
    and one at least names a column whose cell above is empty or names no field. Read as a record,
    the row was imported as one (no title, counted in PRISMA) and the columns it names were lost."""
    if len(rows) < 2:
        return None
    cells = rows[0][1]
    filled = {i for i, c in enumerate(cells[: len(header)]) if c.strip()}
    if not filled or any(_norm(cells[i]) not in _KNOWN_NAMES for i in filled):
        return None
    if not any(_norm(header[i]) not in _KNOWN_NAMES or header[i] == f"column {i + 1}" for i in filled):
        return None
    return filled


def _quoted(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_.-]+", name) else f'"{name}"'


def _rows_to_records(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    *,
    path,
    column_map,
    source_db,
    where_word: str,
    where_suffix: str = "",
    file_line: dict[int, int] | None = None,
    header_rows: bool = True,
    elements: list[str] | None = None,
) -> tuple[list[dict], list, list[str]]:
    """Build records from (line or row number, cells). ``where_word`` is 'line' or 'row'. ``file_line``: a CSV
    row's first line in the file, kept as its ``source_line`` (what a stored project's records are matched by).
    ``header_rows``: whether the first row may be a second row of column names (not where the fields are named
    by the file's markup, as the ICTRP's XML names them: every row is a record). ``elements``: the header as
    that markup writes it, named in its place where a '--column' names none of them."""
    warnings: list[str] = []
    rows = rows if isinstance(rows, list) else list(rows)
    named = _names_row(header, rows) if header_rows else None
    if named:
        line = rows[0][0]
        header, rows = _unique_header([rows[0][1][i].strip() if i in named else h
                                       for i, h in enumerate(header)]), rows[1:]
        shown = ", ".join(f"'{header[i]}'" for i in sorted(named)[:4])
        warnings.append(
            f"{source_name(path)}: {where_word} {line}{where_suffix} names columns under the column names above it "
            f"({shown}, under a heading that spans them): it was read as part of the column names, not as a record.")
    cols = _resolve_columns(header, column_map, path, elements=elements)
    register = register_export(header)
    if register and "title" not in cols and not (column_map and "title" in column_map):
        raise _register_without_titles(register, header, path)
    if "title" not in cols and not (column_map and "title" in column_map):
        _refuse_without_titles(header, rows, cols, path, where_word)
    if "title" not in cols and "abstract" not in cols:
        raise InputError(
            "screener found no column with the titles or the abstracts. Columns in the file: "
            f"{_column_list(header)}. Tell screener which column holds the titles with "
            "--column title=NAME (and the abstracts with --column abstract=NAME).",
            path=path,
        )
    rows = rows if isinstance(rows, list) else list(rows)
    exported_from = register or _export_database(header, rows)
    pop = _POP <= {_norm(h) for h in header}  # Publish or Perish: its authors 'J Smith, K Doe'
    database = exported_from or Path(str(path)).stem  # when no column names one
    # PubMed's CSV has no volume, issue or pages columns: they are in its citation line
    citation = (next((i for i, h in enumerate(header) if _norm(h) == "citation"), None)
                if database == "PubMed" and not {"volume", "issue", "pages", "start_page"} & cols.keys() else None)
    if "abstract" not in cols and not (column_map and "abstract" in column_map) and database == "PubMed":
        warnings.append(
            f"{source_name(path)}: this is PubMed's CSV export, which holds no abstracts, so its records will be "
            "screened on their titles only. To screen them on their abstracts, export the search from PubMed with "
            "'Send to > Citation manager' (a .nbib file) and import that into a new project (screener init) "
            "instead: importing it here as well would count each record twice in PRISMA.")
    elif "abstract" not in cols and not (column_map and "abstract" in column_map) and not register:
        warnings.append(
            f"{source_name(path)}: no abstract column found (columns: {_column_list(header)}); records "
            "will be screened on their titles only. If the abstracts are in one of these columns, start "
            "the project again in a new folder (screener init) and import with --column abstract=NAME: "
            "importing the file again here would add its records a second time."
        )

    # a column name written twice (a table put together from two exports): where the column read is
    # empty, its cell is read from the next of that name; left out, a second 'Abstract' column's
    # abstracts were lost without a word
    twins = _twin_columns(header, cols)
    for i, others in twins.get("keywords", {}).items():
        cols["keywords"] = cols["keywords"] + [j for j in others if j not in cols["keywords"]]
    twins.pop("keywords", None)
    from_twin: dict[str, int] = {}
    differ: list[int] = []

    def get(cells, field):
        idx = cols.get(field)
        if not idx:
            return None
        return cells[idx[0]] if idx[0] < len(cells) else None

    rows = rows if isinstance(rows, list) else list(rows)
    unsplit: list[int] = []  # SpringerLink's run-together authors that could not be told apart
    described = _describing_row(header, rows, cols) if header_rows else None
    if described:
        line, shown = rows[0][0], ", ".join(f"'{c}'" for c in described[:3])
        rows = rows[1:]
        warnings.append(
            f"{source_name(path)}: {where_word} {line}{where_suffix} was left out, not imported as a record: its cells "
            f"say what each column holds ({shown}{', ...' if len(described) > 3 else ''}), as some tools write under "
            f"the column names. If it is a record after all, import that {where_word} in a file of its own.")
    if "issue" in cols and _norm(header[cols["issue"][0]]) == "number" and not (column_map and "issue" in column_map):
        # BibTeX's "number" is the issue, but some exports put a record number there; issues repeat.
        values = [v for v in (clean(get(cells, "issue")) for _, cells in rows) if v]
        if len(values) >= 20 and len(set(values)) >= 0.95 * len(values):
            warnings.append(
                f"{source_name(path)}: column '{header[cols['issue'][0]]}' holds a different value on every row, "
                "so it was taken for a record number, not the issue (give --column issue=NAME if it is the issue)."
            )
            del cols["issue"]

    label_col = header[cols["label"][0]] if "label" in cols else None
    own = "id" in cols and _norm(header[cols["id"][0]]) == "sourceref" and is_own_export(header)
    id_col = header[cols["id"][0]] if "id" in cols else None
    records, labels = [], []
    seen_ids: dict[str, int] = {}
    # columns whose cells become the record's fields (the label has its own message for text it cannot read)
    read_cols = sorted({i for field, idx in cols.items() if field != "label" for i in idx})
    failed: list[tuple[int, str, str]] = []  # (line or row, column, error value) of a formula that failed
    r_missing: list[tuple[int, list[str]]] = []  # (line or row, columns) of R's 'NA' cells
    controls: list[tuple[int, list[str]]] = []  # (line or row, columns) of cells that held control characters
    unread: dict[str, list[tuple[int, str]]] = {"year": [], "doi": []}  # (line or row, cell) of a year or DOI not read
    cut: list[tuple[int, str]] = []  # (line or row, column) of a text screener's XLSX export cut to fit its cell
    exported = is_own_export(header)
    for line, cells in rows:
        where = f"{where_word} {line}{where_suffix}"
        if exported:
            cut += [(line, header[i]) for i, c in enumerate(cells)
                    if i < len(header) and c.rstrip().endswith(CUT_MARKS)]
        if CONTROL_CHARS.search("".join(cells)):
            controls.append((line, [header[i] for i, c in enumerate(cells)
                                    if i < len(header) and CONTROL_CHARS.search(c)]))
            cells = [CONTROL_CHARS.sub(" ", c) for c in cells]
        shown = cells
        for i in read_cols:
            if i < len(cells) and cells[i].strip() in _EXCEL_ERRORS:
                if cells is shown:
                    cells = list(cells)
                failed.append((line, header[i], cells[i].strip()))
                cells[i] = ""
            elif i < len(cells) and cells[i].strip() == _R_MISSING:
                if cells is shown:
                    cells = list(cells)
                if not r_missing or r_missing[-1][0] != line:
                    r_missing.append((line, []))
                r_missing[-1][1].append(header[i])
                cells[i] = ""
        for field, pairs in twins.items():
            for i, others in pairs.items():
                for j in others:
                    other = cells[j].strip() if j < len(cells) else ""
                    mine = cells[i].strip() if i < len(cells) else ""
                    if not other or i >= len(cells):
                        continue
                    if not mine:
                        if cells is shown:
                            cells = list(cells)
                        cells[i] = cells[j]
                        from_twin[field] = from_twin.get(field, 0) + 1
                    elif mine != other and (not differ or differ[-1] != line):
                        differ.append(line)
        source_id = clean(get(cells, "id"))
        if source_id is not None and not own:  # an export's copies from two searches share their database's id
            if source_id in seen_ids:
                raise InputError(
                    f"the id '{source_id}' in column '{id_col}' is used twice: on {where_word} "
                    f"{seen_ids[source_id]} and on {where}. Each record needs its own id; fix one of "
                    "them, or name another id column with --column id=NAME (or --column id= for none).",
                    path=path,
                )
            seen_ids[source_id] = line
        keywords: list[str] = []
        for i in cols.get("keywords", []):
            if i < len(cells):  # screener's own export quotes a keyword holding a ';', as it does a name
                keywords.extend(_own_list(cells[i]) if exported else split_terms(cells[i]))
        doi_text = clean(get(cells, "doi"))
        entry = (_register_values(register, header, cells, clean(get(cells, "abstract")),
                                  header[cols["title"][0]] if "title" in (column_map or {}) and "title" in cols
                                  else None) if register else {})
        year = next((y for y in (extract_year(cells[i]) for i in cols.get("year", []) if i < len(cells)) if y),
                    None) or entry.get("year")
        if year is None and _DIGIT.search(get(cells, "year") or ""):  # '19', '2O19': a mistyped year, not 'n.d.'
            unread["year"].append((line, get(cells, "year").strip()))
        doi = normalise_doi(doi_text) if doi_text else None
        if doi is None and doi_text and _DOI_MEANT.search(doi_text):  # '10.1000', 'https://doi.org/': cut short
            unread["doi"].append((line, doi_text))
        cited = _pubmed_citation(cells[citation] if citation is not None and citation < len(cells) else "")
        records.append(
            make_record(
                # the column given as the title first; a register's entry without it keeps its other title
                title=((clean_title(get(cells, "title")) or (entry.get("title") if "title" in cols else None))
                       if "title" in (column_map or {}) else entry.get("title") or clean_title(get(cells, "title"))),
                abstract=entry["abstract"] if register and "abstract" not in (column_map or {})
                else clean(get(cells, "abstract")),
                authors=_authors(cells, cols, pop=pop, glued=exported_from == "SpringerLink", at=line,
                                 unsplit=unsplit, own=exported, listed=database == "PubMed"),
                year=year,
                journal=clean_title(get(cells, "journal")),
                volume=get(cells, "volume") or cited.get("volume"),
                issue=get(cells, "issue") or cited.get("issue"),
                pages=get(cells, "pages") or cited.get("pages"),
                start_page=clean(get(cells, "start_page")) or (None if clean(get(cells, "pages"))
                                                                else get(cells, "article_number")),
                end_page=get(cells, "end_page"),
                doi=doi,
                pmid=clean_pmid(get(cells, "pmid")) or _pmid_in_extra(get(cells, "extra")),
                keywords=dedupe(keywords),
                type=clean(get(cells, "type")) or (REGISTRY_RECORD if register else None),
                source_db=source_db or clean(get(cells, "source_db")) or database,
                source_file=source_name(path),
                source_line=file_line.get(line, line) if file_line else line,
                source_id=source_id,
                raw={h: (shown[i] if i < len(shown) else "") for i, h in enumerate(header)},
            )
        )
        if label_col is not None:
            labels.append(
                parse_label(
                    get(cells, "label"),
                    path=path,
                    line=line if where_word == "line" else None,
                    row=None if where_word == "line" else where,
                    column=elements[cols["label"][0]] if elements else label_col,
                    element=bool(elements),
                )
            )
        else:
            labels.append(None)
    if label_col is not None and any(labels):
        others = [h for h in header if h != label_col and _norm(h) in ALIASES["label"]]
        also = (f"; the file also has {', '.join(repr(o) for o in others)} (to use it instead: "
                f"--column label={others[0]!r})" if others else "")
        warnings.append(f"{source_name(path)}: decisions read from the element <{elements[cols['label'][0]]}>."
                        if elements else f"{source_name(path)}: decisions read from the column {label_col!r}{also}.")
    if twins:
        named = ", ".join(f"'{header[i]}' (columns {', '.join(str(k + 1) for k in [i, *others[:-1]])}"
                          f"{',' if len(others) > 1 else ''} and {others[-1] + 1})"
                          for pairs in twins.values() for i, others in pairs.items())
        filled = " and ".join(f"{n} {field.replace('_', ' ')}{'s' if n > 1 else ''}" for field, n in from_twin.items())
        rows_ = f"{where_word}s {_lines_list(differ)}" if len(differ) > 1 else f"{where_word} {_lines_list(differ)}"
        warnings.append(
            f"{source_name(path)}: the file has more than one column named {named}. Each record's value was read "
            "from the first of them, or from the next where that cell is empty"
            + (f" ({filled} came from a later column)" if filled else "")
            + (f"; on {rows_}{where_suffix} they hold different texts and the first was read: check "
               f"{'those rows' if len(differ) > 1 else 'that row'}" if differ else "") + ".")
    if cut:
        spots = "; ".join(f"{where_word} {ln} ({col})" for ln, col in cut[:10]) + (
            f"; and {len(cut) - 10} more" if len(cut) > 10 else "")
        warnings.append(
            f"{source_name(path)}: {counted(len(cut), 'text')} in this file {noun(len(cut), 'was', 'were')} cut by "
            f"screener's export to fit an Excel cell (32,767 characters), each ending '[... cut here ...]': {spots}"
            f"{where_suffix}. The records keep the cut texts; to have them whole, import screener's CSV or RIS export "
            "of the review instead (into a new project).")
    if controls:
        spots = "; ".join(f"{where_word} {ln} ({', '.join(cols_)})" for ln, cols_ in controls[:10])
        more = f"; and {counted(len(controls) - 10, 'more ' + where_word)}" if len(controls) > 10 else ""
        warnings.append(
            f"{source_name(path)}: {counted(sum(len(c) for _, c in controls), 'cell')}{where_suffix} held control "
            f"characters (invisible characters, often from text pasted out of a PDF), each read as a space: "
            f"{spots}{more}.")
    if failed:
        spots = "; ".join(f"{where_word} {ln}, '{col}': {val}" for ln, col, val in failed[:5])
        more = f"; and {len(failed) - 5} more" if len(failed) > 5 else ""
        warnings.append(
            f"{source_name(path)}: {counted(len(failed), 'cell')}{where_suffix} {noun(len(failed), 'holds', 'hold')} "
            f"a spreadsheet error instead of a value ({spots}{more}): a formula there failed (a lookup that found "
            "nothing gives #N/A). " + ("It was read as empty; check that record in the spreadsheet." if len(failed) == 1
                                       else "They were read as empty; check those records in the spreadsheet."))
    if r_missing:
        n = sum(len(c) for _, c in r_missing)
        spots = "; ".join(f"{where_word} {ln} ({', '.join(cols_)})" for ln, cols_ in r_missing[:5])
        more = f"; and {counted(len(r_missing) - 5, 'more ' + where_word)}" if len(r_missing) > 5 else ""
        warnings.append(
            f"{source_name(path)}: {counted(n, 'cell')}{where_suffix} read 'NA', which R writes for a missing value, "
            f"and {noun(n, 'was', 'were')} read as empty, not as a title, abstract or name: {spots}{more}.")
    for field, cells_ in unread.items():
        if cells_:
            warnings.append(_unread_cells(field, _named(cols[field][0], header, elements), cells_, path, where_word,
                                          where_suffix, unit="value" if elements else "cell"))
    if unsplit:
        warnings.append(
            f"{source_name(path)}: SpringerLink writes each record's authors run together, with nothing between "
            f"the names ('John SmithKate Doe'); on {where_word}{'s' if len(unsplit) > 1 else ''} "
            f"{_lines_list(unsplit)}{where_suffix} the names could not be told apart surely, so the authors were "
            "kept as SpringerLink wrote them, as one name.")
    read = {i for idx in cols.values() for i in idx} | ({citation} if citation is not None else set())
    unread = _unread_note(header, rows, read, cols, column_map, path, exported=exported_from is not None,
                          elements=elements,
                          decided=label_col is not None and any(labels))
    if unread:
        warnings.append(unread)
    return records, labels, warnings


_DIGIT = re.compile(r"\d")
_DOI_MEANT = re.compile(r"10\.|doi", re.I)
#: what a year and a DOI are, for the note on the cells neither could be read from: the name, what is lost (one
#: record, several) and how it is written
_WRITTEN_AS = {"year": ("year", "a year", ("de-duplication and the counts by year cannot use it",) * 2,
                        "four digits (2019)"),
               "doi": ("DOI", "a DOI", ("de-duplication cannot match it by its DOI",
                                        "de-duplication cannot match them by their DOIs"),
                       "'10.', a number, '/' and the rest (10.1000/xyz123), or its link (https://doi.org/10.1000/...)")}


def _named(i: int, header: list[str], elements: list[str] | None) -> str:
    """Column ``i`` in a note: "the column 'Title'", or where the fields are an XML file's elements (the ICTRP's
    export), "the element <Public_title>", as the file writes it."""
    return f"the element <{elements[i]}>" if elements else f"the column '{header[i]}'"


def _unread_cells(field: str, column: str, cells: list[tuple[int, str]], path, where_word: str, suffix: str,
                  unit: str = "cell") -> str:
    """The note on the year or DOI cells that hold something, but no year or DOI screener can read: without it, the
    record came in without one and nothing said so. ``column``: as ``_named`` says it; ``unit``: what holds one
    record's value ('cell', an XML element's 'value')."""
    name, what, lost, written = _WRITTEN_AS[field]
    spots = "; ".join(f"{where_word} {ln}: '{text if len(text) <= 40 else text[:37] + '...'}'"
                      for ln, text in cells[:5])
    more = f"; and {len(cells) - 5} more" if len(cells) > 5 else ""
    one = len(cells) == 1
    return (f"{source_name(path)}: no {name} could be read from {counted(len(cells), unit)}{suffix} of {column} "
            f"({spots}{more}). "
            + (f"The record is kept without {what} ({lost[0]}); check that {unit} in the file" if one else
               f"The records are kept without {what} ({lost[1]}); check those {unit}s in the file")
            + f": {what} is written as {written}.")


#: Columns that database exports and reference managers write and screener does not need (normalised, see
#: ``_norm``): Scopus, Embase, Web of Science, PubMed, Covidence, Rayyan, Zotero, EndNote, ASReview. The note on the
#: columns not read leaves them out: named, a Scopus file's 25 of them hid the one column a reviewer added.
_EXPORT_ONLY = frozenset((
    # Scopus
    "authorsid", "authorid", "pagecount", "citedby", "link", "affiliations", "authorswithaffiliations",
    "molecularsequencenumbers", "chemicalscas", "tradenames", "manufacturers", "fundingdetails", "fundingtexts",
    "fundingtext", "references", "correspondenceaddress", "editors", "publisher", "sponsors", "conferencename",
    "conferencedate", "conferencelocation", "conferencecode", "issn", "isbn", "coden", "languageoforiginaldocument",
    "abbreviatedsourcetitle", "publicationstage", "openaccess", "accesstype", "sustainabledevelopmentgoals",
    # Embase
    "pui", "embaseaccessionid", "authoraddress", "embaselink", "fulltextlink", "openurllink", "languageofarticle",
    "languageofsummary", "dateofpublication", "emtreedrugindexterms", "emtreemedicalindexterms", "casregistrynumber",
    "casregistrynumbers", "devicetradenames", "devicemanufacturers", "drugtradenames", "drugmanufacturers",
    "conferenceeditor", "sourcetype", "entrydate", "copyright", "authoraddresses", "bookpublisher",
    "emtreedrugindextermsmajorfocus", "emtreemedicalindextermsmajorfocus", "clinicaltrialnumber",
    "clinicaltrialnumbers", "embaseclassification", "embaseclassifications",
    # Web of Science exported with its columns named in words (to Excel), not by tags
    "bookauthors", "bookeditors", "bookgroupauthors", "bookauthorfullnames", "groupauthors", "bookseriestitle",
    "bookseriessubtitle", "conferencetitle", "conferencesponsor", "conferencehost", "keywordsplus", "addresses",
    "reprintaddresses", "emailaddresses", "researcherids", "orcids", "fundingorgs", "fundingnamepreferred",
    "citedreferences", "citedreferencecount", "timescitedwoscore", "180dayusagecount", "since2013usagecount",
    "publishercity", "publisheraddress", "journalisoabbreviation", "partnumber", "supplement", "specialissue",
    "meetingabstract", "doilink", "bookdoi", "earlyaccessdate", "woscategories", "webofscienceindex",
    "researchareas", "idsnumber", "openaccessdesignations", "highlycitedstatus", "hotpaperstatus", "dateofexport",
    "utuniquewosid", "webofsciencerecord",
    # IEEE Xplore
    "authoraffiliations", "dateaddedtoxplore", "isbns", "fundinginformation", "pdflink", "articlecitationcount",
    "patentcitationcount", "referencecount", "license", "onlinedate", "issuedate", "meetingdate",
    "documentidentifier",
    # PubMed
    "firstauthor", "createdate", "pmcid", "nihmsid", "citation",
    # Covidence, Rayyan
    "publishedmonth", "study", "ref", "month", "day", "pmc", "url", "urls", "location", "language",
    # Zotero, EndNote, Mendeley
    "dateadded", "datemodified", "accessdate", "automatictags", "journalabbreviation", "shorttitle", "librarycatalog",
    "fileattachments", "linkattachments", "extra", "numpages", "numberofpages", "place", "placepublished", "rights",
    "archive", "archivelocation", "callnumber", "series", "seriestitle", "seriesnumber", "seriestext", "edition",
    "editor", "serieseditor", "numberofvolumes", "isbnissn", "databaseprovider", "nameofdatabase", "typeofwork",
    "typeofarticle", "epubdate", "alternatejournal",
    "lastmodifieddate", "secondaryauthor", "tertiarytitle", "tertiaryauthor", "alternatetitle", "translatedtitle",
    "originalpublication", "reprintedition", "reviewedbook", "section", "fileattachment", "pdf", "file", "files",
    "recordnumber", "identifiers", "citationkey", "bibtexkey", "institution", "school", "address", "howpublished",
    "organization", "organisation", "affiliation", "timescited", "eissn", "timescitedalldatabases",
))
#: Web of Science's tab export names its columns by two-letter tags (and a few of three): all its own
_WOS_TAG = re.compile(r"[A-Z][A-Z0-9]{1,2}")
#: Columns the import reads after the reader: a decision's note and reason, the study of screener's export
#: (its full-text decisions have a note of their own)
_READ_LATER = frozenset({"decisionnote", "decisionreason", "fulltextdecision", "fulltextnote", "fulltextreason",
                         "duplicategroup"})
#: What a 'Source' column holds when it names the database (Scopus writes 'Scopus' there), not the journal
_DATABASE_NAMES = frozenset((
    "scopus", "pubmed", "medline", "embase", "webofscience", "wos", "webofsciencecorecollection", "cinahl", "psycinfo",
    "apapsycinfo", "cochrane", "cochranelibrary", "cochranecentral", "central", "eric", "ieeexplore", "ieee",
    "acmdigitallibrary", "proquest", "ebsco", "ebscohost", "ovid", "googlescholar", "lilacs", "scielo",
    "sciencedirect", "epistemonikos", "clinicaltrialsgov", "ictrp", "pmc", "europepmc", "openalex",
    "semanticscholar", "dimensions", "lens", "handsearch", "handsearching", "citationsearching", "other",
))
#: (field, column names that say it, what the field is in words, the columns screener reads it from), for a
#: column not read whose name says a field that no column gave: 'Published' for the year, 'Publication' the journal.
#: Names are matched as words of the column's name in lower case ('Stage' holds no tag, 'Long-term outcome' no term).
_OTHER_NAMES = (
    ("year", re.compile(r"\b(years?|dates?|published)\b"), "the year", ("Year", "Publication year")),
    ("journal", re.compile(r"\b(source|publication|venue|periodical|container|magazine|published in)\b"),
     "the journal", ("Journal", "Source title")),
    ("authors", re.compile(r"\b(authors?|creators?|author names?)\b"), "the authors", ("Authors",)),
    ("keywords", re.compile(r"\b(key ?words?|mesh|subjects?|tags?|descriptors?|index terms)\b"), "the keywords",
     ("Keywords",)),
    ("abstract", re.compile(r"\b(abstracts?|summary)\b"), "the abstracts", ("Abstract",)),
    ("label", re.compile(r"\b(decisions?|include|included|inclusion|screening|verdict|eligible|eligibility)\b"),
     "the decisions", ("decision", "included")),
)


def _looks_like(field: str, name: str, values: list[str]) -> bool:
    """Whether a column's cells can be ``field``: a year in most of them; journal names (letters, no year) in a
    column whose name says no other thing ('Publication status' holds 'Published', 'Publication type' 'Article')."""
    sample = values[:200]
    if field == "year":
        return sum(bool(extract_year(v)) for v in sample) >= 0.8 * len(sample)
    if field == "journal":
        if re.search(r"\b(status|type|types|stage|date|year|number|no|id|count|language|country)\b", name):
            return False
        return sum(bool(re.search(r"[^\W\d_]{3}", v)) and not extract_year(v) for v in sample) >= 0.8 * len(sample)
    return True


def _name_words(name: str) -> str:
    """A column's name as words in lower case: 'ReviewerNotes' and 'reviewer_notes' are 'reviewer notes'."""
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower().replace("_", " ")


_NOTE_NAME = re.compile(r"\b(notes?|comments?|remarks?|memos?|annotations?)\b")
_REASON_NAME = re.compile(r"\b(reasons?)\b")


def _unread_note(header: list[str], rows, read: set[int], cols: dict[str, list[int]], column_map, path, *,
                 exported: bool, decided: bool, elements: list[str] | None = None) -> str | None:
    """The note naming the columns with text that screener did not read (their text stays in the record's
    stored copy, but no screen, ranking or export shows it), so a reviewer's 'Notes' or a 'Source' that holds
    the journals is not lost without a word; None when there is none. Left out: empty columns, the columns
    a database export always writes (``_EXPORT_ONLY``; a Scopus file would list 25), another column of a field
    read ('Author full names' beside 'Authors', a second decision column: the decisions note names it), and
    the ones the import reads itself (``_READ_LATER``). ``exported``: the table is a database's export;
    ``decided``: decisions were read from it (a note or reason column can then go with them)."""
    own = is_own_export(header)
    normed = {_norm(h) for h in header}
    wos = {"pt", "ut"} <= normed
    pop = _POP <= normed
    embase = bool({"pui", "embaseaccessionid"} & normed)  # its 'Source' is the citation line of each record
    register = register_export(header) is not None
    mapped = {("id" if k == "source_id" else k) for k in (column_map or {})}
    named: list[tuple[int, str | None, tuple | None]] = []  # (column, what it seems to hold, (field, new name))
    for i, name in enumerate(header):
        if i in read:
            continue
        n = _norm(name)
        values = [cells[i].strip() for _, cells in rows if i < len(cells) and cells[i].strip()]
        team_tags = n == "tags" and bool(_COVIDENCE & normed)  # a field's name, but not read as one
        if not values or (n in _KNOWN_NAMES and not team_tags) or n in _READ_LATER or n.startswith("asreview"):
            continue
        if (n in _EXPORT_ONLY or re.fullmatch(r"fundingtext\d*|custom\d+|url\d*|link\d*", n)
                or (embase and n == "source") or (register and (n in _REGISTER_COLUMNS or n.startswith("results")))
                or (wos and _WOS_TAG.fullmatch(name)) or (pop and n in _POP_COLUMNS)
                or (own and re.fullmatch(r"[a-z0-9_]+", name))):
            continue
        if any("RAYYAN-" in v for v in values[:200]):
            continue  # Rayyan's notes: the reviewers' decisions, which the import's own note is about
        what = flag = None
        words = _name_words(name)
        if team_tags:
            what = (f"holds the review team's Covidence tags (e.g. '{values[0][:40]}'), which are kept as notes, "
                    "not read as the records' keywords")
        elif n == "source" and all(_norm(v) in _DATABASE_NAMES for v in values[:200]):
            if exported:
                continue  # Scopus's 'Source': 'Scopus', on every record
            what = f"names the database of each record (e.g. '{values[0]}'), which screener reads from 'Database'"
            flag = ("source_db", "Database") if "source_db" not in cols and "source_db" not in mapped else None
        elif _NOTE_NAME.search(words) or _REASON_NAME.search(words):
            if decided:
                reason = _REASON_NAME.search(words) and not _NOTE_NAME.search(words)
                to = "decision_reason" if reason else "decision_note"
                what = (f"holds {'notes' if to == 'decision_note' else 'reasons'}: to keep them with the decisions, "
                        f"import the file into a new project (screener init) with it renamed '{to}'")
        else:
            for field, says, in_words, where in _OTHER_NAMES:
                if field in cols or field in mapped or not says.search(words) or not _looks_like(field, words, values):
                    continue
                example = values[0] if len(values[0]) <= 40 else values[0][:37] + "..."
                what = f"may hold {in_words} (e.g. '{example}'), which screener reads from " + " or ".join(
                    f"'{w}'" for w in where)
                flag = (field, where[0])
                break
        named.append((i, what, flag))
    if not named:
        return None

    def name(i: int) -> str:  # an XML file's element as the file writes it ('<Reviewer_notes>')
        return f"<{elements[i]}>" if elements else f"'{header[i]}'"

    shown = ", ".join(name(i) for i, _, _ in named[:6]) + (f" and {len(named) - 6} more" if len(named) > 6 else "")
    said = "; ".join(f"{name(i)} {what}" for i, what, _ in named if what)
    flags = [((elements or header)[i], *flag) for i, _, flag in named if flag]
    renamed = ("" if elements else f" (or with '{flags[0][0]}' renamed '{flags[0][2]}')" if len(flags) == 1
               else " (or with those columns renamed)")
    again = (f" To read {'it' if len(flags) == 1 else 'them'}, import the file into a new project (screener init) with "
             + " ".join(f"--column {field}={_quoted(col)}" for col, field, _ in flags)
             + f"{renamed}: importing it again here would add its records a second time." if flags else "")
    return (f"{source_name(path)}: {counted(len(named), 'element' if elements else 'column')} not read ({shown}): "
            "screener keeps "
            f"{noun(len(named), 'its', 'their')} text with each record but does not show, rank or export it."
            + (f" {said[0].upper()}{said[1:]}." if said else "") + again)


def _twin_columns(header: list[str], cols: dict[str, list[int]]) -> dict[str, dict[int, list[int]]]:
    """Field -> {column read: the later columns of the same name} (``_unique_header`` named them
    'Abstract (2)', ...), for the fields read from a column whose name the file writes twice."""
    out: dict[str, dict[int, list[int]]] = {}
    for field, idx in cols.items():
        if field in ("label", "id"):  # a decision or an id is never taken from another column
            continue
        for i in idx:
            twin = re.compile(re.escape(header[i]) + r" \(\d+\)")
            others = [j for j, h in enumerate(header) if j > i and twin.fullmatch(h)]
            if others:
                out.setdefault(field, {})[i] = others
    return out


#: PubMed's citation line: 'Lancet. 2023 Mar 18;401(10380):899-910. doi: ...' (no ';' before the pages: ahead of print)
_PUBMED_CITATION = re.compile(r"\b(?:1[89]|20)\d\d[^;]*;\s*(?P<volume>[^():;.\s]+)?(?:\((?P<issue>[^()]*)\))?"
                              r"(?::\s*(?P<pages>[^\s;]+?))?\.(?:\s|$)")


def _pubmed_citation(text: str) -> dict:
    """Volume, issue and pages from PubMed's citation line (its CSV has no columns for them)."""
    m = _PUBMED_CITATION.search(text or "")
    return {k: v.strip() for k, v in m.groupdict().items() if v and v.strip()} if m else {}


#: Scopus's author id after a full name ('Smith, John (57190000001)')
_AUTHOR_ID = re.compile(r"\s*\(\d{6,}\)$")


def _without_author_ids(names: list[str]) -> list[str]:
    return [_AUTHOR_ID.sub("", n) for n in names] if any(n.endswith(")") for n in names) else names


def _own_list(text: str) -> list[str]:
    """The names or keywords of a cell of screener's own table export (``join_names``), each whole; a cell its
    workbook export cut (said in a warning) without the mark, which is no author or keyword."""
    cut = next((m for m in CUT_MARKS if text.rstrip().endswith(m)), None)
    if not cut:
        return split_names(text)
    names = split_names(text.rstrip()[:-len(cut)])
    # an older export cut it anywhere, its last name likely cut in two; one now cuts after a whole name
    return names if cut == CUT_MARKS[0] else names[:-1]


def _authors(cells, cols, *, pop: bool, glued: bool, at: int, unsplit: list[int], own: bool = False,
             listed: bool = False) -> list[str]:
    """A record's authors from the first filled authors column; SpringerLink's run together ('John SmithKate Doe')
    are split where that is sure, else kept whole and ``at`` noted in ``unsplit``. ``own``: screener's own export,
    whose names are split as it joined them (a name holding a ';' in double quotes), each whole. ``listed``: PubMed's
    CSV, which ends the list with a full stop ('Smith J, Doe JA.'), its initials without one."""
    text = next((c for c in (cells[i] for i in cols.get("authors", []) if i < len(cells)) if clean(c)), None)
    if own and text:
        return clean_all(_own_list(text))
    if glued and text and not any(sep in text for sep in (",", ";")):
        names = split_run_together(text)
        if names is not None:
            return names
        unsplit.append(at)
    names = _without_author_ids(split_people(text, initials_first=pop))
    if listed and names and names[-1].endswith(".") and "." not in names[-1][:-1] and names[-1][:-1].strip():
        names[-1] = names[-1][:-1].rstrip()
    return names


def _export_database(header: list[str], rows) -> str | None:
    """The database a table is the export of, where its columns say so and no column names one:
    Web of Science's tab-delimited export ('PT' and 'UT' columns), PubMed's CSV, Scopus's CSV (its
    'EID' ids, '2-s2.0-...'). Named after the file instead, a search exported in parts ('savedrecs.txt',
    'savedrecs(1).txt') counted in PRISMA as two databases, neither of them named."""
    normed = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    if "pt" in normed and "ut" in normed:
        return "Web of Science"  # as its plain-text export is named (wos.py)
    if {"pmid", "citation", "journalbook", "createdate"} <= normed.keys():
        return "PubMed"  # 'Save > CSV' ('csv-<search>-set.csv')
    if "utuniquewosid" in normed:
        return "Web of Science"  # its export with the columns named in words ('UT (Unique WOS ID)')
    if _POP <= normed.keys():
        # Publish or Perish names no database; its Google Scholar searches link each record's citations there
        at = normed["citesurl"]
        links = [cells[at] for _, cells in rows[:200] if at < len(cells) and cells[at].strip()]
        if links and all("scholar.google." in v for v in links):
            return "Google Scholar"
    if {"pui", "embaseaccessionid"} & normed.keys():
        return "Embase"  # Embase.com's CSV ('records.csv')
    if {"ieeeterms", "dateaddedtoxplore"} & normed.keys():
        return "IEEE Xplore"  # 'export2024.01.05-10.20.30.csv'
    if {"itemtitle", "itemdoi", "contenttype"} <= normed.keys():
        return "SpringerLink"  # 'SearchResults.csv'
    eid = normed.get("eid")
    if eid is not None and any(eid < len(cells) and cells[eid].strip().startswith("2-s2.0-") for _, cells in rows):
        return "Scopus"
    # a Scopus export without its EID column: 'Scopus' in its 'Source' column, or its link to scopus.com, on every
    # record, as Scopus writes them; a reviewer's table with Scopus's records first (or 'Scopus' on some records and
    # nothing on the hand-searched ones) had all its records counted as Scopus in PRISMA
    for name, says in (("source", lambda v: v.lower() == "scopus"), ("link", lambda v: "scopus.com/" in v.lower())):
        at = normed.get(name)
        if at is not None and rows and all(at < len(cells) and says(cells[at].strip()) for _, cells in rows):
            return "Scopus"
    return None


def read_delimited(text: str, path, *, delimiter: str | None, column_map=None, source_db=None,
                   rows_out: dict[int, int] | None = None):
    """CSV / TSV text -> records, labels, warnings. ``rows_out`` gets each record's row as a spreadsheet numbers
    it, by the file line it starts on (its ``source_line``): notes name the row a reviewer sees in Excel."""
    lines = text.split("\n")
    above: list[str] = []
    first_at = next((i for i, ln in enumerate(lines[:50]) if ln.strip()), None)
    if first_at is not None and re.fullmatch(r"\s*sep=(.)\s*", lines[first_at]):
        # Excel's "sep=;" line names the separator; it is not the header
        delimiter = delimiter or re.fullmatch(r"\s*sep=(.)\s*", lines[first_at]).group(1)
        lines[first_at] = ""
    sep_line = first_at is not None and lines[first_at] == ""  # Excel shows no row for it
    found = _header_line(lines, delimiter, column_map)
    if found is not None:  # lines above the column names (a title, notes, the search): left out
        at, delimiter = found
        above = [ln for ln in lines[:at] if ln.strip()]
        for i in range(at):
            lines[i] = ""
    first_line = next((ln for ln in lines[:50] if ln.strip()), "")
    if delimiter is None:
        counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    # Web of Science's tab-delimited export quotes nothing: a title that starts with a quote
    # ('"Doing gender" in schools') is text, not a quoted value (read as one it lost its quotes,
    # and an unpaired one took in the rows after it)
    wos = delimiter == "\t" and {"PT", "UT", "TI"} <= {c.strip().lstrip("\ufeff") for c in first_line.split("\t")}
    reader = csv.reader(_LineFeeder(lines), delimiter=delimiter, strict=False,
                        **({"quoting": csv.QUOTE_NONE} if wos else {}))
    rows: list[tuple[int, list[str]]] = []  # (row as a spreadsheet numbers it, cells)
    file_line: dict[int, int] = {}  # a row's first line in the file (a cell written on two lines is one row)
    row = -1 if sep_line else 0
    header: list[str] | None = None
    header_line = 0
    blank_rows = 0
    prev_end = 0
    short: list[int] = []  # rows with fewer cells than the header names
    repeated: list[int] = []  # rows that repeat the column names
    header_cells: list[str] = []
    spanning: list[tuple[int, list]] = []  # (row's line, [(line, cells)] inside its quoted value that split as a row)
    unguard = None  # for screener's own export: its guard against spreadsheet formulas taken off
    try:
        for cells in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            row += 1
            if header is None:
                if not cells or not any(c.strip() for c in cells):
                    continue
                cells = [c.lstrip("\ufeff") for c in cells]  # a byte-order mark the decoding left (written twice)
                header = _unique_header(cells)
                header_cells = [c.strip().strip("\"").strip() for c in cells]
                header_line = row
                if is_own_export(header_cells):
                    unguard = csv_unguard
                continue
            if not any(c.strip() for c in cells):
                if cells:
                    blank_rows += 1
                continue
            if len(cells) > len(header):
                extra = cells[len(header):]
                if any(c.strip() for c in extra):
                    if not (column_map and column_map.get("title")):
                        title_line = _title_line_error(header, [(row, cells)], path, "row")
                        if title_line is not None:
                            raise title_line
                    raise InputError(
                        f"this row has {len(cells)} cells but the header (row {header_line}) names "
                        f"{counted(len(header), 'column')}. A value probably contains a '{_show(delimiter)}' without "
                        "quotes around it, or the file uses another separator. Re-export the table, or "
                        f"fix the quotes on this row (line {start} of the file).",
                        path=path,
                        row=row,
                    )
                cells = cells[: len(header)]
            elif len(cells) < len(header):
                short.append(row)
            if [c.lstrip("\ufeff").strip().strip("\"").strip() for c in cells] == header_cells:
                repeated.append(row)  # files joined end to end: the second file's column names
                continue
            if prev_end > start:
                inside = _rows_inside(lines[start:prev_end], delimiter, len(header))
                _refuse_broken_quote(lines, start, prev_end, inside, delimiter, len(header), path, row)
                # the value's last line ends the row itself (its closing quote, then the row's other cells): a
                # last paragraph with commas splits there as a whole row, but it is no record taken in
                taken = [(start + k, c) for k, c in inside if start + k < prev_end]
                if taken:
                    spanning.append((start, taken))
            rows.append((row, [unguard(c) for c in cells] if unguard else cells))
            file_line[row] = start
    except csv.Error as err:
        raise InputError(
            f"the table cannot be read here ({err}). Check the quotes on this row ({_file_line(reader.line_num)}), "
            "or re-export the table as CSV (UTF-8).",
            path=path,
            row=row + 1,  # the row being read, as a spreadsheet numbers it
        ) from None
    if header is None:
        raise InputError("the file is empty: it has no header row and no records.", path=path)
    if rows_out is not None:
        rows_out.update((line, row) for row, line in file_line.items())
    if rows and not wos:  # the last row, also on one line: a download cut inside its quoted abstract
        _check_unclosed_quote(lines, file_line[rows[-1][0]], delimiter, path, rows[-1][0])
    if not rows:
        raise InputError(
            f"the table has column names ({_column_list(header)}) but no records below them.",
            path=path,
        )
    records, labels, warnings = _rows_to_records(
        header, rows, path=path, column_map=column_map, source_db=source_db, where_word="row",
        file_line=file_line,
    )
    if blank_rows:
        warnings.append(f"{source_name(path)}: skipped {counted(blank_rows, 'empty row')} (every cell blank).")
    if repeated:
        warnings.append(f"{source_name(path)}: {noun(len(repeated), 'row')} {_lines_list(repeated)} "
                        f"{noun(len(repeated), 'repeats', 'repeat')} the column names (exports joined end to end) and "
                        f"{noun(len(repeated), 'was', 'were')} read as column names, not as records.")
    if above:
        warnings.append(_above_note(path, header_line, len(above), "row"))
    if lines[-1].strip() and rows[-1][0] in short:  # no line end, cells missing: a download that stopped in it
        last = rows[-1][0]
        warnings.append(_cut_short_note(path, last, file_line[last]))
        short = [r for r in short if r != last]
    if short:
        warnings.append(
            f"{source_name(path)}: " + (f"1 row has fewer cells than the header names ({len(header)}), row "
                                        f"{short[0]}: a separator may be missing, which puts values under the wrong "
                                        "column names. Check that row." if len(short) == 1 else
                                        f"{len(short)} rows have fewer cells than the header names ({len(header)}), "
                                        f"rows {_lines_list(short)}: a separator may be missing, which puts values "
                                        "under the wrong column names. Check those rows."))
    spanning = _swallowed_rows(spanning, rows, len(header))
    row_of = {line: row for row, line in file_line.items()}  # a row as a spreadsheet numbers it, by its first line
    if spanning:
        warnings.append(
            f"{source_name(path)}: a quoted value runs over several lines and takes in lines that read as "
            "whole rows ("
            + "; ".join(f"the value in row {row_of.get(a, a)} (from line {a} of the file) takes in line {b}"
                        for a, b in spanning[:5])
            + (f"; and {len(spanning) - 5} more" if len(spanning) > 5 else "")
            + "): if records are missing, a quote mark there is not closed. Check those rows, or re-export "
            "the table.")
    return records, labels, warnings


def _cut_short_note(path, row: int, line: int) -> str:
    """The note on a table whose last row has no line end and fewer cells than the column names, as a download that
    stopped part-way through it leaves when no quote is left open (the cut fell just after a quote, or between two
    cells). A whole last row without a line end says nothing: spreadsheets (Google Sheets) write files that way."""
    return (f"{source_name(path)}: the file stops part-way through a line (its last line has no line end, and its "
            "last row fewer cells than the column names), as a download or copy that did not finish does, so its "
            f"last record (row {row}, {_file_line(line)}) "
            "may be cut short. Compare that record's last fields with the database's, and export the file again if "
            "it is cut.")


def _title_names(column_map) -> set[str]:
    names = set(ALIASES["title"])
    if column_map and column_map.get("title"):
        names.add(_norm(column_map["title"]))
    return names


def _header_at(cell_rows: list[list[str]], column_map) -> int | None:
    """Of the first rows (each a list of cells), the first that names a title column, when the
    very first does not: the column names sit below a title or notes. None: the first row is
    the header (or no row names titles, and the usual advice follows)."""
    names = _title_names(column_map)
    for k, cells in enumerate(cell_rows[:10]):
        if any(_norm(c) in names for c in cells):
            return k or None
    return None


def _header_line(lines: list[str], delimiter: str | None, column_map) -> tuple[int, str] | None:
    """(line index, separator) of the column names when lines above them hold something else
    (a title, notes, an export's search); None when the first line is the header."""
    seen = [(i, ln) for i, ln in enumerate(lines[:200]) if ln.strip()][:10]
    names = _title_names(column_map)
    for k, (i, ln) in enumerate(seen):
        for d in ([delimiter] if delimiter else [",", ";", "\t", "|"]):
            cells = next(csv.reader([ln], delimiter=d), [])
            if len(cells) > 1 and any(_norm(c) in names for c in cells):
                return (i, d) if k else None
    return None


def _above_note(path, at: int, n: int, word: str) -> str:
    return (f"{source_name(path)}: the column names were read from {word} {at}; the {counted(n, word)} above them "
            f"(a title or notes, not records) {noun(n, 'was', 'were')} left out.")


def _lines_list(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")


def _rows_inside(inner: list[str], delimiter: str, width: int) -> list[tuple[int, list[str]]]:
    """Of the lines inside one quoted value, (offset from its second line, cells) of those that
    split on their own into exactly ``width`` cells."""
    out = []
    for k, ln in enumerate(inner, 1):
        if ln.count(delimiter) != width - 1:
            continue
        cells = next(csv.reader([ln], delimiter=delimiter), [])
        if len(cells) == width:
            out.append((k, cells))
    return out


def _file_line(line: int) -> str:
    """A file's line beside the row a spreadsheet shows (a cell written on two lines is one row, not two)."""
    return f"line {line} of the file, as a text editor numbers its lines"


def _refuse_broken_quote(lines, start: int, end: int, inside, delimiter: str, width: int, path, row: int) -> None:
    """Refuse a row (``row``, as a spreadsheet numbers it) whose quoted value runs over lines ``start``..``end``
    when lines taken in read as rows and the quotes there do not pair up: a quote left open that swallowed records.

    A multi-line abstract written by a database or a spreadsheet is correct CSV (each quote is
    closed, then a separator or the row's end follows), so it is never refused, whatever its
    lines look like. A stray quote is closed, if at all, by the next quote in the file, which
    opened another value: text follows it, which correct CSV never has (strict ``csv`` raises)."""
    taken = [start + k for k, _ in inside]
    first = next(csv.reader([lines[start - 1]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    if len(first) == width:  # the stray quote's own line is a whole row when its quotes are text
        taken.insert(0, start)
    if not taken:
        return
    strict = csv.reader(_LineFeeder(lines[start - 1:end]), delimiter=delimiter, strict=True)
    try:
        for _ in strict:
            pass
        return
    except csv.Error as err:
        broke = start - 1 + strict.line_num  # the file line where the strict reading failed
        if "unexpected end of data" in str(err) and _text_only(lines[start:end], delimiter) \
                and not any(ln.strip() for ln in lines[end:]):
            # open to the file's end, and no line after its first holds a separator: the last record, cut off
            raise _cut_off_in_quotes(start, path, row) from None
    opened = _quote_opened_on(lines, start, taken[0])
    if broke <= opened:
        # the quotes go wrong on the line the value opens on, and close there: a sloppy quote
        # ('"Alpha" (reprint)') that reads as its writer meant, beside a correct multi-line value
        return
    while end > opened + 1 and not lines[end - 1].strip():
        end -= 1  # the file's last line break is not a line taken in
    span = f"line {end} of the file was" if end == opened + 1 else f"lines {opened + 1} to {end} of the file were"
    raise InputError(
        f"a quote mark (\") opened in this row ({_file_line(opened)}) is not closed where its value ends, so "
        f"{span} read into that one value and the records there would be lost; nothing was imported. Add the "
        f"missing quote (or remove the stray one) in row {row}, or re-export the table as CSV (UTF-8).",
        path=path,
        row=row,
    )


def _quote_opened_on(lines, start: int, line: int) -> int:
    """The line (from ``start``, the row's first) where the quoted value still open at the start
    of ``line`` was opened: the last line to end inside quotes after starting outside them. A
    doubled quote ("") counts twice, so leaves it as it was."""
    opened, inside = start, False
    for n in range(start, line):
        was = inside
        if lines[n - 1].count('"') % 2:
            inside = not inside
        if inside and not was:
            opened = n
    return opened


_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def _swallowed_rows(spanning, rows, width: int) -> list[tuple[int, int]]:
    """(row's line, line inside its value) where a line inside a quoted value reads as a record
    of this table: a stray quote swallowing records, not an abstract's line breaks that happen
    to hold as many separators. It must fit the table's number columns (a year, an id, a label:
    columns whose filled cells are numbers in nine rows of ten): a number, or empty, in each of
    them, and a number in one at least."""
    if not spanning:
        return []
    numeric = []
    for j in range(width):
        filled = [c[j] for _, c in rows if j < len(c) and c[j].strip()]
        if filled and sum(bool(_NUMBER.match(v)) for v in filled) >= 0.9 * len(filled):
            numeric.append(j)
    if not numeric:
        return []
    out = []
    for start, inside in spanning:
        for line, cells in inside:
            vals = [cells[j] for j in numeric]
            if all(not v.strip() or _NUMBER.match(v) for v in vals) and any(v.strip() for v in vals):
                out.append((start, line))
                break
    return out


def _show(delim: str) -> str:
    return {"\t": "tab", ",": ",", ";": ";", "|": "|"}.get(delim, delim)


class _LineFeeder:
    """Feeds csv.reader one line at a time so ``reader.line_num`` is the file line."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def __iter__(self):
        for ln in self.lines:
            yield ln + "\n"


def _cut_off_in_quotes(start: int, path, row: int) -> InputError:
    """The refusal of a table whose last record (``row``, from file line ``start``) stops inside a quoted value."""
    return InputError(
        f"the last record, in this row ({_file_line(start)}), ends inside a quoted value: a quote mark (\") "
        "opened there is never closed, so the file looks cut off (the download may not have finished). "
        "Nothing was imported. Export the table again from the database, or add the closing quote if "
        "the record is complete.",
        path=path,
        row=row,
    )


def _text_only(lines: list[str], delimiter: str) -> bool:
    """Whether lines a quoted value took in hold no separator: the value's own text (an abstract's later lines), no
    record swallowed by a stray quote."""
    return not any(delimiter in ln for ln in lines)


def _check_unclosed_quote(lines: list[str], start: int, delimiter: str, path, row: int) -> None:
    """A quote never closed swallows the rest of the file into one cell; refuse that, naming the row (``row``, as a
    spreadsheet numbers it) and its first line in the file (``start``): as cut off where the lines after it hold
    no separator (the last record's abstract, cut on a later line)."""
    reader = csv.reader(_LineFeeder(lines[start - 1:]), delimiter=delimiter, strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as err:
        if "unexpected end of data" in str(err) and _text_only(lines[start:], delimiter):
            raise _cut_off_in_quotes(start, path, row) from None
        if "unexpected end of data" in str(err):
            raise InputError(
                f"a quote mark (\") opened in this row ({_file_line(start)}) is never closed, so everything after "
                "it would be read as one value and the records below it would be lost. Add the closing quote, "
                "or re-export the table as CSV (UTF-8).",
                path=path,
                row=row,
            ) from None


def read_xlsx(path, *, sheet=None, column_map=None, source_db=None):
    """Workbook -> records, labels, warnings and the sheet's name; one sheet, chosen by ``sheet``
    when there are several."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - declared dependency
        raise InputError("reading Excel files needs the 'openpyxl' package; install it.", path=path) from None
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException

    # A file handle, not the path: openpyxl refuses paths without an .xlsx extension, and a
    # workbook downloaded as 'export' or 'export.XLSX?dl=1' is still a workbook.
    with open(path, "rb") as fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
            raise InputError(
                "this file cannot be opened as an Excel workbook (.xlsx); it may be damaged, password "
                "protected, or another kind of zip file. Open it in Excel and save it again as .xlsx, "
                "or export it as CSV (UTF-8).",
                path=path,
            ) from None
        try:
            names = wb.sheetnames
            # a chart on a tab of its own (a chart sheet) has no cells
            tables = [n for n in names if hasattr(wb[n], "iter_rows")]
            if not tables:
                raise InputError("this workbook holds only charts, no table of records. Import the workbook "
                                 "that holds the records, or export them as CSV.", path=path)
            if sheet is not None:
                name = _pick_sheet(names, sheet, path)
                if name not in tables:
                    raise InputError(
                        f"the sheet '{name}' of this workbook is a chart, not a table of records. Its sheets "
                        "with tables: " + ", ".join(f"'{n}'" for n in tables) + ".",
                        path=path,
                    )
            else:
                filled = [n for n in tables if _sheet_has_data(wb[n])]
                if len(filled) > 1:
                    raise SheetsWithData(filled, path)
                name = filled[0] if filled else tables[0]
            ws = wb[name]
            # read-only mode trusts the size the file states, which some writers get wrong (rows and
            # columns past it were silently left out): read every row and cell there is instead
            ws.reset_dimensions()
            header: list[str] | None = None
            rows: list[tuple[int, list[str]]] = []
            blank: list[int] = []
            for rownum, values in enumerate(ws.iter_rows(values_only=True), 1):
                cells = [_cell_text(v) for v in values]
                if header is None:
                    if any(c.strip() for c in cells):
                        header = _unique_header(cells)
                        header_cells = cells
                        header_row = rownum
                    continue
                if not any(c.strip() for c in cells):
                    blank.append(rownum)  # formatted-but-empty rows are common; not records
                    continue
                rows.append((rownum, cells))
        finally:
            wb.close()
        fh.seek(0)
        merges: list[tuple[int, int, int, int]] = []
        unsaved = _formulas_without_values(fh, getattr(ws, "_worksheet_path", None), merges)
    return _sheet_records(path, names, name, header, header_cells, header_row, rows, blank, unsaved, merges,
                          column_map=column_map, source_db=source_db)


def _sheet_records(path, names, name, header, header_cells, header_row, rows, blank, unsaved, merges, *,
                   column_map, source_db):
    """A sheet's rows as read (``rows``: (row number, cells) below the ``header`` on ``header_row``) -> records,
    labels, warnings and the sheet's name; ``unsaved``: (row, column) of formulas without a value; ``merges``:
    merged cells as (first row, first column, last row, last column), rows counted from 1, columns from 0."""
    above_note = None
    if header is not None and rows:
        k = _header_at([header_cells] + [c for _, c in rows], column_map)
        if k is not None:  # column names below a title row (a banner, a merged heading)
            at = header_row = rows[k - 1][0]
            above_note = _above_note(path, at, k, "row")
            header_cells = rows[k - 1][1]
            header = _unique_header(header_cells)
            rows = rows[k:]
            blank = [r for r in blank if r > at]
    if header is None:
        raise InputError(f"the sheet '{name}' is empty: it has no header row and no records.", path=path)
    suffix = f" of sheet '{name}'" if len(names) > 1 else ""
    # the column names again below the records (two exports pasted into one sheet): read as a record, the row was
    # imported as a study titled 'Title' and counted in PRISMA
    column_names = _filled(header_cells)
    repeated = [r for r, cells in rows if _filled(cells) == column_names]
    if repeated:
        rows = [(r, cells) for r, cells in rows if r not in set(repeated)]
    unsaved = [(r, c) for r, c in unsaved if r > header_row]  # in the records, not above their header
    if unsaved:
        by_row: dict[int, list[str]] = {}
        for r, c in unsaved:
            by_row.setdefault(r, []).append(header[c] if c < len(header) and header[c] else f"column {c + 1}")
        cells = "; ".join(f"row {r}: {', '.join(cols)}" for r, cols in list(by_row.items())[:5])
        more = f"; and {counted(len(by_row) - 5, 'more row')}" if len(by_row) > 5 else ""
        raise InputError(
            f"{counted(len(unsaved), 'cell')}{suffix} {noun(len(unsaved), 'holds', 'hold')} a formula whose result was "
            f"never saved in the file ({cells}{more}), so {noun(len(unsaved), 'its', 'their')} text cannot be read; "
            "the program that wrote the workbook left the results out. Open it in "
            "Excel or LibreOffice and save it again (that stores the results), or export it as CSV.",
            path=path,
        )
    if not rows:
        raise InputError(
            f"the sheet '{name}' has column names ({_column_list(header)}) but no records below them.",
            path=path,
        )
    filled_down = _fill_merged_down(rows, merges, header_row)
    records, labels, warnings = _rows_to_records(
        header, rows, path=path, column_map=column_map, source_db=source_db, where_word="row", where_suffix=suffix
    )
    if filled_down:
        spots = "; ".join(f"'{header[c] if c < len(header) else f'column {c + 1}'}', rows {a}-{b}"
                          for c, a, b in filled_down[:5])
        more = f"; and {len(filled_down) - 5} more" if len(filled_down) > 5 else ""
        warnings.append(
            f"{source_name(path)}: {counted(len(filled_down), 'cell')}{suffix} merged over several records "
            f"({spots}{more}) " + ("was read as its value on each of those rows, as the sheet shows it (the file "
                                   "stores it on the first row only)." if len(filled_down) == 1 else
                                   "were read as their value on each of those rows, as the sheet shows them (the "
                                   "file stores it on the first row only).")
            + " If a record there should have a value of its own, unmerge the cells in the spreadsheet, fill them in "
            "and import the corrected file into a new project (screener init): importing it again here would add its "
            "records a second time.")
    inner = [r for r in blank if r < rows[-1][0]]
    if inner:
        warnings.append(f"{source_name(path)}: skipped {counted(len(inner), 'empty row')} between records (every cell "
                        "blank).")
    if above_note:
        warnings.append(above_note)
    if repeated:
        warnings.append(f"{source_name(path)}: {noun(len(repeated), 'row')} {_lines_list(repeated)}{suffix} "
                        f"{noun(len(repeated), 'repeats', 'repeat')} the column names (exports pasted one below the "
                        f"other) and {noun(len(repeated), 'was', 'were')} read as column names, not as records.")
    return records, labels, warnings, name


def read_xls(path, *, sheet=None, column_map=None, source_db=None):
    """Old Excel workbook (.xls, Excel 97-2003: Web of Science's 'savedrecs.xls') -> records, labels, warnings
    and the sheet's name, read as a .xlsx is (``read_xlsx``)."""
    try:
        import xlrd
    except ImportError:  # pragma: no cover - declared dependency
        raise InputError("reading old Excel files (.xls) needs the 'xlrd' package, which is not installed. Install "
                         "it (pip install xlrd), or open the file in Excel or LibreOffice, save it as .xlsx or as CSV "
                         "(UTF-8), and import that file.", path=path) from None
    try:
        # its notes on a damaged or odd file ('WARNING *** file size ...') kept from the reviewer's screen: what
        # screener makes of the file is said in its own words
        wb = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=StringIO())
    except Exception:  # xlrd raises its own errors, and others, for files it cannot read
        raise InputError(
            "this file cannot be opened as an old Excel workbook (.xls); it may be damaged, password protected, or "
            "another old Office file (a Word .doc). Open it in Excel or LibreOffice and save it again as .xlsx, "
            "or export it as CSV (UTF-8), then import that file.",
            path=path,
        ) from None
    try:
        names = wb.sheet_names()
        if sheet is not None:
            name = _pick_sheet(names, sheet, path)
        else:
            filled = [n for n in names if _xls_has_data(wb.sheet_by_name(n))]
            if len(filled) > 1:
                raise SheetsWithData(filled, path)
            name = filled[0] if filled else names[0]
        ws = wb.sheet_by_name(name)
        header: list[str] | None = None
        header_cells: list[str] = []
        header_row = 0
        rows: list[tuple[int, list[str]]] = []
        blank: list[int] = []
        for r in range(ws.nrows):
            cells = [_xls_cell_text(c, wb.datemode) for c in ws.row(r)]
            if header is None:
                if any(c.strip() for c in cells):
                    header, header_cells, header_row = _unique_header(cells), cells, r + 1
                continue
            if not any(c.strip() for c in cells):
                blank.append(r + 1)
                continue
            rows.append((r + 1, cells))
        merges = [(r0 + 1, c0, r1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
    finally:
        wb.release_resources()
    return _sheet_records(path, names, name, header, header_cells, header_row, rows, blank, [], merges,
                          column_map=column_map, source_db=source_db)


def _xls_has_data(ws) -> bool:
    return any(str(ws.cell_value(r, c)).strip() for r in range(min(ws.nrows, 50)) for c in range(ws.ncols))


def _xls_cell_text(cell, datemode: int) -> str:
    """An .xls cell as ``_cell_text`` writes an .xlsx one: dates as dates, 2019 not 2019.0, errors as Excel shows
    them ('#N/A')."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _cell_text(xlrd.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError):
            return _cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#VALUE!")
    return _cell_text(cell.value)


def _filled(cells: list[str]) -> tuple[str, ...]:
    """A row's cells as compared with the column names: stripped, without the empty cells at its end."""
    out = [c.strip() for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def _fill_merged_down(rows: list[tuple[int, list[str]]], merges, header_row: int) -> list[tuple[int, int, int]]:
    """Give each record row of a cell merged down over several records (a reviewer's 'exclude' merged over
    rows 3-5) the merged value, as the sheet shows it; the file stores it on the first row only, and
    the other records were read without it (undecided) without a word. (column, first row, last row)
    of each cell filled; merges in the column names, or across columns of one row, are left as they are."""
    done = []
    at = {r: cells for r, cells in rows}
    for min_row, min_col, max_row, _ in merges:
        top = at.get(min_row)
        if max_row <= min_row or min_row <= header_row or top is None or min_col >= len(top) \
                or not top[min_col].strip():
            continue
        value, changed = top[min_col], False
        for r in range(min_row + 1, max_row + 1):
            cells = at.get(r)
            if cells is None:
                continue
            if len(cells) <= min_col:
                cells.extend([""] * (min_col + 1 - len(cells)))
            if not cells[min_col].strip():
                cells[min_col], changed = value, True
        if changed:
            done.append((min_col, min_row, max_row))
    return done


def _formulas_without_values(fh, sheet_part: str | None, merges: list | None = None) -> list[tuple[int, int]]:
    """(sheet row, column index from 0) of every formula cell the file holds no result for. Read
    for its results (as records are), such a cell is empty, and a row of them looks blank. Read
    from the sheet's XML, since openpyxl gives None both for a missing result and for an empty
    text one (``=IF(A2="","",A2)``): a missing result has no <v> element, or an empty one on a
    cell not typed as text (openpyxl writes ``<v/>``). ``merges`` collects the merged cells
    (first row, first column from 0, last row, last column), which read-only openpyxl does not give."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    if not sheet_part:
        return []
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    out = []
    with zipfile.ZipFile(fh) as z, z.open(sheet_part.lstrip("/")) as xml:
        for _, el in iterparse(xml):
            if el.tag == ns + "mergeCell" and merges is not None and ":" in (el.get("ref") or ""):
                try:
                    (c1, r1), (c2, r2) = (coordinate_from_string(x) for x in el.get("ref").split(":"))
                    merges.append((r1, column_index_from_string(c1) - 1, r2, column_index_from_string(c2) - 1))
                except ValueError:
                    pass
                continue
            if el.tag != ns + "c":
                continue
            v = el.find(ns + "v")
            missing = v is None or (not (v.text or "") and el.get("t") != "str")  # "" is a result only as text
            if el.find(ns + "f") is not None and missing and el.get("r"):
                col, row = coordinate_from_string(el.get("r"))
                out.append((row, column_index_from_string(col) - 1))
            el.clear()
    return out


def _sheet_has_data(ws) -> bool:
    ws.reset_dimensions()  # see read_xlsx
    for values in ws.iter_rows(max_row=50, values_only=True):
        if any(v is not None and str(v).strip() for v in values):
            return True
    return False


class SheetsWithData(InputError):
    """A workbook with more than one sheet with data (``sheets``), read without a sheet named: which to read, with
    --sheet, or each in turn (a search a sheet). ``without_sheet_option`` words it for a command that has no
    --sheet."""

    def __init__(self, sheets: list[str], path):
        from screener.shell import shell_quote

        self.sheets, self.path = list(sheets), path
        super().__init__(
            self._found() + f". Say which one holds the records with --sheet (e.g. --sheet {shell_quote(sheets[0])}); "
            "where each holds records (a search on each sheet), give the workbook once for each sheet, each time with "
            "its --sheet.", path=path)

    def _found(self) -> str:
        return f"this workbook has {len(self.sheets)} sheets with data: " + ", ".join(f"'{n}'" for n in self.sheets)

    def without_sheet_option(self, command: str) -> InputError:
        """The same refusal for ``command`` ('screener simulate'), which reads one sheet and has no --sheet."""
        return InputError(
            self._found() + f", and '{command}' cannot be told which sheet to read. Save the sheet that holds the "
            "records as a file of its own (in Excel: right-click its tab, Move or Copy, to a new book; or save it as "
            "CSV) and give that file; with a search on each sheet, save each sheet so.", path=self.path)


def _pick_sheet(names: list[str], sheet, path) -> str:
    s = str(sheet)
    if s in names:
        return s
    low = [n.lower().strip() for n in names]
    if s.lower().strip() in low:
        return names[low.index(s.lower().strip())]
    if s.isdigit() and 1 <= int(s) <= len(names):
        return names[int(s) - 1]  # the n-th tab, counted from 1 as a reviewer counts tabs
    raise InputError(
        f"this workbook has no sheet '{sheet}'. Its sheets are: " + ", ".join(f"'{n}'" for n in names) + ".",
        path=path,
    )
