"""EBSCOhost's tagged text export: what its databases (APA PsycInfo, CINAHL, MEDLINE ...) save as a '.txt' for
reference-management software, as opposed to its RIS.

Each field is a line of a two-character tag, '- ' and the value ('TI- A title', 'AU- Smith, John', one line per
author and per keyword); a blank line ends a record, and each record opens with its title. The fields are those
of EBSCOhost's RIS under other tags, so the RIS reader makes the records: the database from the record's link
('...&db=psyh' is APA PsycInfo), the PMID from a MEDLINE record's accession number.
"""

from __future__ import annotations

import re

from screener.errors import InputError
from screener.io.common import file_source, source_name

#: a field's line: 'TI- value' (a tag of a capital and a capital or digit)
FIELD = re.compile(r"^([A-Z][A-Z0-9])- ?(.*)$")
#: EBSCOhost's tags as the RIS tags ris.tags_to_record reads. Not read: 'MJ' and 'MN' (the major and minor subject
#: terms, which 'SU' holds all of), 'PC' (a page count), 'PM', 'SD' (the issue's date: the year is 'YR').
_AS_RIS = {"TI": "TI", "AU": "AU", "SO": "JF", "YR": "PY", "VI": "VL", "IP": "IS", "DO": "DO", "AB": "AB",
           "KP": "KW", "SU": "KW", "AN": "AN", "UR": "UR", "LA": "LA", "SN": "SN", "PU": "PB", "AT": "TY"}


def parse_ebsco_text(lines: list[str], path) -> tuple[list[tuple[int, dict]], list[int]]:
    """``(line, tags)`` per record (each tag's values, a list) and the lines of text before the first record."""
    out: list[tuple[int, dict]] = []
    before: list[int] = []
    record: dict | None = None
    last: str | None = None
    for lineno, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line.strip():
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
        from screener.io.detect import not_this_format

        raise not_this_format(path, "\n".join(lines[:50]), "an EBSCOhost tagged text export: no line starts with a "
                              "tag such as 'TI- ' or 'AU- '", "Give the right --format, or leave --format out to let "
                              "screener detect it.")
    return out, before


def _stray_line(path, lineno: int, line: str) -> InputError:
    """A line with no tag after a blank line, between two records: part of no record, which reading on would lose
    (a record's fields pasted without their tags, or another file's text)."""
    shown = line.strip() if len(line.strip()) <= 60 else line.strip()[:57] + "..."
    return InputError(f"this line ('{shown}') has no tag ('TI- ', 'AU- ' ...) and follows a blank line, so it "
                      "belongs to no record. Put its tag back (or export the records again) and import the file "
                      "again. Nothing was saved.", path=path, line=lineno)


def _as_ris(tags: dict) -> dict:
    out: dict = {"DP": ["EBSCOhost"]}
    for tag, values in tags.items():
        ris = _AS_RIS.get(tag)
        if ris is not None:
            out.setdefault(ris, []).extend(v for v in values if v)
    # 'PG' holds the pages ('676-684'), 'SP' the first page alone: the range where there is one
    pages = tags.get("PG") or tags.get("SP")
    if pages:
        out["SP"] = pages[:1]
    if "PY" not in out and tags.get("SD"):
        out["DA"] = tags["SD"][:1]  # no year line: the date ('Nov, 2014')
    return {k: v for k, v in out.items() if v}


def read_ebsco_text(lines: list[str], path, *, source_db: str | None = None,
                    warnings: list[str] | None = None) -> tuple[list[dict], list]:
    from screener.io.ris import tags_to_record

    parsed, before = parse_ebsco_text(lines, path)
    name, stem = source_name(path), file_source(path)
    records = []
    for line, tags in parsed:
        rec = tags_to_record(_as_ris(tags), line=line, source_db=source_db, file_name=name, stem=stem)
        rec["raw"] = {k: v if len(v) > 1 else v[0] for k, v in tags.items()}  # as the file wrote them
        records.append(rec)
    if before and warnings is not None:
        shown = f"line {before[0]}" if len(before) == 1 else f"lines {before[0]} to {before[-1]}"
        one = len(before) == 1
        warnings.append(f"{name}: {shown}, before the first record (line {parsed[0][0]}), {'is' if one else 'are'} "
                        f"not a field ('TI- ', 'AU- ' ...) and {'belongs' if one else 'belong'} to no record, so "
                        f"{'it was' if one else 'they were'} not read. If {'it holds' if one else 'they hold'} a "
                        "record, put 'TI- ' before its title and import the file again.")
    return records, [None] * len(records)
