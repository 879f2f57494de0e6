"""EBSCOhost's tagged text export: what its databases (APA PsycInfo, CINAHL, MEDLINE ...) save as a '.txt' for
reference-management software, as opposed to its RIS; and its 'Detailed Citation and Abstract' saved as plain text.

Each field is a line of a two-character tag, '- ' and the value ('TI- A title', 'AU- Smith, John', one line per
author and per keyword); a blank line ends a record, and each record opens with its title. The fields are those
of EBSCOhost's RIS under other tags, so the RIS reader makes the records: the database from the record's link
('...&db=psyh' is APA PsycInfo), the PMID from a MEDLINE record's accession number. Other databases (Academic
Search, the H.W. Wilson ones) write the journal in 'JN', the whole citation in 'SO' ('Journal; Nov2014, Vol. 24
Issue 6, p676-684'), the date in 'PD', keywords in 'KY': the citation's parts are read where no field gives them.

The detailed citation save opens each record with 'Record: 1' and gives each field's name alone on its line
('Title:') with its value on the lines below (or after the name, on the same line).
"""

from __future__ import annotations

import re

from screener.errors import InputError
from screener.io.common import file_source, source_name, without_author_label
from screener.records import normalise_doi

#: a field's line: 'TI- value' (a tag of a capital and a capital or digit)
FIELD = re.compile(r"^([A-Z][A-Z0-9])- ?(.*)$")
#: EBSCOhost's tags as the RIS tags ris.tags_to_record reads. Not read: 'MJ' and 'MN' (the major and minor subject
#: terms, which 'SU' holds all of), 'PC' (a page count), 'PM', 'SD' (the issue's date: the year is 'YR').
_AS_RIS = {"TI": "TI", "AU": "AU", "SO": "JF", "YR": "PY", "VI": "VL", "IP": "IS", "DO": "DO", "AB": "AB",
           "KP": "KW", "SU": "KW", "AN": "AN", "UR": "UR", "LA": "LA", "SN": "SN", "PU": "PB", "AT": "TY",
           # the other layout's: journal, date, keywords and descriptors, DOI, document type, ISBN, database
           "JN": "JF", "PD": "DA", "KY": "KW", "KW": "KW", "DE": "KW", "DI": "DO", "PT": "M3", "IB": "SN",
           "DB": "DB", "PY": "PY", "VL": "VL", "PB": "PB"}
#: the detailed citation save's field names (in lower case) as RIS tags; 'Source' is the citation line
_NAMED = {"title": "TI", "authors": "AU", "author": "AU", "source": "SO", "journal": "JN", "journal title": "JN",
          "source journal": "JN", "publication year": "PY", "year": "PY", "publication date": "DA", "date": "DA",
          "volume": "VL", "issue": "IS", "pages": "SP", "abstract": "AB", "doi": "DO", "digital object identifier":
          "DO", "issn": "SN", "isbn": "SN", "language": "LA", "publisher": "PB", "document type": "TY",
          "publication type": "M3", "subject terms": "KW", "subjects": "KW", "major subjects": "KW",
          "minor subjects": "KW", "author-supplied keywords": "KW", "keywords": "KW", "mesh terms": "KW",
          "accession number": "AN", "database": "DB", "pmid": "PM", "pubmed id": "PM",
          "persistent link to this record (permalink)": "UR", "url": "UR"}
#: names of the detailed save's other fields that may follow the abstract (and never head one of its paragraphs):
#: alone on their line, they end the abstract, where another name ('Results:') is more of its text
_AFTER_ABSTRACT = {"author affiliations", "affiliation", "affiliations", "full text word count", "journal subset",
                   "special interest", "instrumentation", "medline info", "entry date", "revision date",
                   "classification", "age group", "tests & measures", "grant sponsorship", "grant information",
                   "format covered", "publication history", "release date", "correction date", "copyright",
                   "number of pages", "publication status", "references available", "update code",
                   "geographic terms", "company/entity", "naics/industry codes", "reviews & products"}
#: fields whose lines are one value each (an author, a term a line); the others' lines are one value's parts
_ONE_A_LINE = {"AU", "KW"}
#: what the detailed save writes after an author's name: the number of their affiliation(s), a role label and their
#: e-mail ('Kim, Bo1 bo.kim@example.org', 'Lee, Ann1,2', 'Smith, John1 (AUTHOR) j.smith@example.org')
_AUTHOR_EMAIL = re.compile(r"\s+\S+@\S+\.\S+$")
_AUTHOR_AFFILIATION = re.compile(r"(?<=[^\d\s,])\d{1,2}(?:,\d{1,2})*$")
RECORD_LINE = re.compile(r"^\s*Record:?\s+\d{1,6}\s*$")
_NAME_LINE = re.compile(r"^\s{0,4}([A-Z][A-Za-z&/()\- ]{0,50}):(?:[ \t]+(.*))?$")
#: the citation line's parts: 'Journal; Nov2014, Vol. 24 Issue 6, p676-684, 9p' (Academic Search), 'Journal. Nov2014,
#: Vol. ...', or CINAHL's 'Journal (ABBREVIATION), Dec2014; 70(12): 2782-2796. (15p)': the journal ends at the first ';'
#: or at the ',' or '.' before the date
_DATE = r"(?:(?:[A-Z][a-z]{2,8}[/-]?)*\s?(?:\d{1,2},?\s?)?\d{4}\b|\d{1,2}/\d{1,2}/\d{2,4})"
_SOURCE_JOURNAL = re.compile(rf"^(.+?)(?:\s*\([A-Z][A-Z0-9 &.,'-]*\))?\s*(?:;|[,.]\s+(?={_DATE}))")
_PAGES = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]?\d+[A-Za-z]?)?"
_SOURCE_CINAHL = re.compile(rf"(?<![\w.])(\d+)\s*\(([^)]+)\)\s*:\s*({_PAGES})")
_SOURCE_VOLUME = re.compile(r"\bVol\.?\s*([^\s,;.]+)", re.I)
_SOURCE_ISSUE = re.compile(r"\b(?:Issue|No\.)\s*([^\s,;]+?)[,;.]?(?:\s|$)", re.I)
_SOURCE_PAGES = re.compile(rf"(?:^|[\s,;.])p{{1,2}}\.?\s*({_PAGES})(?=[\s,;.]|$)")
_SOURCE_DOI = re.compile(r"\bDOI:?\s*(10\.\S+?)[.;,]?(?:\s|$)", re.I)
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")


def parse_ebsco_text(lines: list[str], path) -> tuple[list[tuple[int, dict]], list[int]]:
    """``(line, tags)`` per record (each tag's values, a list) and the lines of text before the first record."""
    out: list[tuple[int, dict]] = []
    before: list[int] = []
    record: dict | None = None
    last: str | None = None
    for lineno, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line.strip() or RECORD_LINE.match(line):  # 'Record: 2' above a record's fields: a break too
            record = last = None
            continue
        m = FIELD.match(line)
        if m is None:
            if record is not None and last is not None:  # a long value wrapped onto the next line
                record[last][-1] = f"{record[last][-1]} {line.strip()}".strip()
            elif out:
                raise _stray_line(path, lineno, line)
            else:
                before.append(lineno)
            continue
        tag, value = m.group(1), m.group(2).strip()
        # a title opens every record, blank line or not; a title line right after the title is the same record's
        # title as published in another language (the English one first)
        if record is None or (tag == "TI" and "TI" in record and last != "TI"):
            record = {}
            out.append((lineno, record))
        record.setdefault(tag, []).append(value)
        last = tag
    if not out:
        from screener.io.detect import ebsco_citations_error, not_this_format, sniff_text

        if sniff_text("\n".join(lines[:400])) == "ebsco_citations":
            raise ebsco_citations_error(path)

        raise not_this_format(path, "\n".join(lines[:50]), "an EBSCOhost tagged text export: no line starts with a "
                              "tag such as 'TI- ' or 'AU- '", "Give the right --format, or leave --format out to let "
                              "screener detect it.")
    return out, before


def _stray_line(path, lineno: int, line: str) -> InputError:
    """A line with no tag after a blank line, between two records: part of no record, which reading on would lose
    (a record's fields pasted without their tags, or another file's text)."""
    shown = line.strip() if len(line.strip()) <= 60 else line.strip()[:57] + "..."
    return InputError(f"this line ('{shown}') has no tag ('TI- ', 'AU- ' ...) and follows a blank line, so it "
                      "belongs to no record. Put its tag back and import the file again, or export the records "
                      "from EBSCOhost as RIS ('Direct Export in RIS Format') and import that file. Nothing was "
                      "imported.",
                      path=path, line=lineno)


def _as_ris(tags: dict) -> dict:
    out: dict = {"DP": ["EBSCOhost"]}
    citation = bool(tags.get("SO")) and (bool(tags.get("JN")) or _is_citation(tags["SO"][0]))
    for tag, values in tags.items():
        ris = None if tag == "SO" and citation else _AS_RIS.get(tag)
        if tag == "IS":  # the ISSN in one layout ('IS- 1234-5678'), the issue in the detailed citation's fields
            ris = "SN" if all(_ISSN.match(v) for v in values if v) else "IS"
        if ris is not None:
            out.setdefault(ris, []).extend(v for v in values if v)
    # 'PG' holds the pages ('676-684'), 'SP' the first page alone: the range where there is one
    pages = tags.get("PG") or tags.get("SP")
    if pages:
        out["SP"] = pages[:1]
    if "PY" not in out and tags.get("SD"):
        out["DA"] = tags["SD"][:1]  # no year line: the issue's date ('Nov, 2014')
    _date_apart(out)
    if "TY" not in out and tags.get("PT"):
        out["TY"] = tags["PT"][:1]  # the document type where no 'AT' gives the article's
    if citation:  # the citation's parts where no field gives them
        for key, value in _citation_parts(tags["SO"][0]).items():
            out.setdefault(key, [value])
    return {k: v for k, v in out.items() if v}


def _date_apart(out: dict) -> None:
    """'PD- 20190301' (or 'Publication Date: 20190301') as RIS's 'DA' writes it, '2019/03/01': its year read."""
    if out.get("DA"):
        out["DA"] = [re.sub(r"^(\d{4})(\d{2})(\d{2})$", r"\1/\2/\3", v) for v in out["DA"]]


def _is_citation(source: str) -> bool:
    """Whether 'SO' is the whole citation ('Journal; Nov2014, Vol. 24 Issue 6, p676-684'), not the journal alone."""
    return bool(_SOURCE_VOLUME.search(source) or _SOURCE_ISSUE.search(source) or _SOURCE_DOI.search(source)
                or _SOURCE_JOURNAL.match(source))


def _citation_parts(source: str) -> dict:
    """The journal, year, volume, issue, pages and DOI an EBSCOhost citation line gives, as RIS tags."""
    out = {}
    m = _SOURCE_JOURNAL.match(source)
    if m:
        out["JF"] = m.group(1).strip()
        rest = source[m.end():]
    else:
        rest = source
    cinahl = _SOURCE_CINAHL.search(rest)
    if cinahl:  # '70(12): 2782-2796'
        out.update(VL=cinahl.group(1), IS=cinahl.group(2).strip(), SP=re.sub(r"\s+", "", cinahl.group(3)))
    for key, pattern in (("VL", _SOURCE_VOLUME), ("IS", _SOURCE_ISSUE), ("SP", _SOURCE_PAGES), ("DO", _SOURCE_DOI)):
        if key in out:
            continue
        found = pattern.search(rest)
        if found:
            out[key] = re.sub(r"\s+", "", found.group(1))
    year = re.search(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)", _SOURCE_DOI.sub("", rest))
    if year:
        out["PY"] = year.group(1)
    if "DO" in out and not normalise_doi(out["DO"]):
        del out["DO"]
    return out


def parse_ebsco_detailed(lines: list[str], path) -> tuple[list[tuple[int, dict]], list[int]]:
    """``(line, tags)`` per record of the detailed citation save, its fields under RIS tags (each a list of values;
    the names screener does not know kept under their own names), and the lines of text above the first record. A
    record whose title cannot be found stops the import: its fields would be read wrong, or not at all."""
    out: list[tuple[int, dict]] = []
    before: list[int] = []
    record: dict | None = None
    field: str | None = None
    start = 0
    for lineno, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff").rstrip()
        if RECORD_LINE.match(line):
            _check_detailed(record, path, start)
            record, field, start = {}, None, lineno
            out.append((lineno, record))
            continue
        if record is None and line.strip():
            before.append(lineno)
        if record is None or not line.strip():
            continue
        m = _NAME_LINE.match(line)
        name = m.group(1).strip().lower() if m else None
        # a field's name: one screener knows, or any name alone on its line outside the abstract (whose paragraphs
        # may open with 'Results: ')
        if m and (name in _NAMED or (m.group(2) is None and (field != "AB" or name in _AFTER_ABSTRACT))):
            field = _NAMED.get(name, m.group(1).strip())
            if m.group(2):
                _add(record, field, m.group(2))
            else:
                record.setdefault(field, [])
            continue
        if field is not None:
            _add(record, field, line)
    _check_detailed(record, path, start)
    return out, before


def _add(record: dict, field: str, text: str) -> None:
    values = record.setdefault(field, [])
    text = text.strip()
    if field in _ONE_A_LINE:
        parts = (p.strip().lstrip("*") for p in text.split(";"))
        if field == "AU":
            parts = (_AUTHOR_AFFILIATION.sub("", without_author_label(_AUTHOR_EMAIL.sub("", p))) for p in parts)
        values.extend(p for p in parts if p)
    elif values:
        values[-1] = f"{values[-1]} {text}"
    else:
        values.append(text)


def _check_detailed(record: dict | None, path, line: int) -> None:
    if record is not None and not record.get("TI"):
        raise InputError("this record of EBSCOhost's saved citations has no 'Title:' field screener can find, so its "
                         "fields cannot be told apart (a 'Brief Citation' save, or field names in another language). "
                         "In EBSCOhost, select the records, choose Export, pick 'Direct Export in RIS Format', and "
                         "import the file it gives you. Nothing was imported.", path=path, line=line)


def _detailed_as_ris(tags: dict) -> dict:
    out = {"DP": ["EBSCOhost"], **{k: list(v) for k, v in tags.items() if len(k) == 2 and k.isupper()}}
    if tags.get("SO"):
        for key, value in _citation_parts(tags["SO"][0]).items():
            out.setdefault(key, [value])
    _date_apart(out)
    return {k: v for k, v in out.items() if v}


def ris_tags(raw: dict) -> dict:
    """A record's fields as the file wrote them (its ``raw``) under the RIS tags the reader read them as: the RIS
    export copies the ISSN, publisher and language from them."""
    tags = {k: v if isinstance(v, list) else [v] for k, v in raw.items()}
    return _detailed_as_ris(tags) if "TY" in tags else _as_ris(tags)  # only the detailed save's fields have a 'TY'


def _lines(numbers: list[int]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]} to {numbers[-1]}"


def read_ebsco_text(lines: list[str], path, *, source_db: str | None = None,
                    warnings: list[str] | None = None) -> tuple[list[dict], list]:
    from screener.io.ris import tags_to_record

    name, stem = source_name(path), file_source(path)
    top = [line.lstrip("\ufeff") for line in lines[:200]]
    if any(map(RECORD_LINE.match, top)) and not any(map(FIELD.match, top)):  # named fields, not tagged
        records = []
        parsed, before = parse_ebsco_detailed(lines, path)
        for line, tags in parsed:
            rec = tags_to_record(_detailed_as_ris(tags), line=line, source_db=source_db, file_name=name, stem=stem)
            rec["raw"] = {k: v if len(v) > 1 else v[0] for k, v in tags.items() if v}
            records.append(rec)
        if before and warnings is not None:
            warnings.append(f"{name}: {_lines(before)}, above the first record (line {parsed[0][0]}), not read: "
                            "each record opens with its 'Record: ' line. If they hold a record, put 'Record: 1' "
                            "above its 'Title:' and import the file again.")
        return records, [None] * len(records)
    parsed, before = parse_ebsco_text(lines, path)
    records = []
    for line, tags in parsed:
        rec = tags_to_record(_as_ris(tags), line=line, source_db=source_db, file_name=name, stem=stem)
        rec["raw"] = {k: v if len(v) > 1 else v[0] for k, v in tags.items()}  # as the file wrote them
        records.append(rec)
    if before and warnings is not None:
        shown = _lines(before)
        one = len(before) == 1
        warnings.append(f"{name}: {shown}, before the first record (line {parsed[0][0]}), {'is' if one else 'are'} "
                        f"not a field ('TI- ', 'AU- ' ...) and {'belongs' if one else 'belong'} to no record, so "
                        f"{'it was' if one else 'they were'} not read. If {'it holds' if one else 'they hold'} a "
                        "record, put 'TI- ' before its title and import the file again.")
    return records, [None] * len(records)
