"""The Cochrane Library's plain-text export ('citation-export.txt', Export > 'Plain text').

Each record opens with 'Record #1 of 15' and holds one field a line, a tag of two or three capitals,
a colon and the value ('ID: CN-01234567', 'AU: Smith J', one line per author, 'TI: ', 'SO: ', 'YR: ',
'VL: ', 'NO: ', 'PG: ', 'PM: PUBMED 123', 'DOI: ', 'KY: a; b', 'AB: ', 'US: <link>'). A line without a
tag continues the field above it, and so does one whose tag screener does not know inside an
abstract ('AIM: ...' on a line of its own). The 'of 15' is checked: records missing are named.
"""

from __future__ import annotations

import re

from screener.errors import InputError
from screener.io.common import (
    clean,
    clean_pmid,
    clean_title,
    clean_all,
    dedupe,
    first,
    first_year,
    make_record,
    source_name,
    split_people,
    split_terms,
)
from screener.records import counted, noun, normalise_doi

_RECORD = re.compile(r"^Record #(\d{1,6}) of (\d{1,6})\s*$")
_FIELD = re.compile(r"^([A-Z]{2,3}): ?(.*)$")
#: A Cochrane Library record's own id (CENTRAL's "CN-02070010", a review's "CD012345", an editorial's "ED000123")
_LIBRARY_ID = re.compile(r"\s*(?:CN-|CD|ED)\d", re.I)
#: the tags the export writes (CENTRAL's and the Cochrane Database of Systematic Reviews')
_KNOWN = frozenset("ID AU TI SO YR VL NO PG PM XR PT KY DOI AB US CC EM PB ED BK IS SN".split())


def parse_cochrane(lines: list[str], path=None) -> list[tuple[int, int, int, dict]]:
    """``(line, number, total, tags)`` per record: the line its 'Record #' header is on, the number and
    total that header gives, and each tag's values (a list: 'AU' is written once a name). A record whose
    header was lost starts at its own 'ID' line; without that either, its title is refused (never joined
    to the record above). Fields before the first header are the records before it, their headers lost."""
    out: list[tuple[int, int, int, dict]] = []
    last: str | None = None
    headed = False
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip()
        m = _RECORD.match(line)
        if m:
            number, total = int(m.group(1)), int(m.group(2))
            if not headed and out:  # numbered now: the records read before the first header come just before it
                if number <= len(out):
                    raise _before_first(path, out[0][0], lineno, line)
                out = [(at, number - len(out) + i, total, tags) for i, (at, _, _, tags) in enumerate(out)]
            headed = True
            out.append((lineno, number, total, {}))
            last = None
            continue
        if not line.strip():
            continue  # blank lines part records
        if not out:
            f = _FIELD.match(line)
            if not (f and f.group(1) in _KNOWN):
                continue  # text before the first record is none of it
            out.append((lineno, 0, 0, {}))  # a record's field, its header lost: numbered at the first header
        tags = out[-1][3]
        f = _FIELD.match(line)
        if f and f.group(1) == "ID" and "ID" in tags and last is not None and not _LIBRARY_ID.match(f.group(2)):
            f = None  # a line of the field above ('ID: NCT01234567' in an abstract), not a second id
        if f and (f.group(1) in _KNOWN or last != "AB"):
            if f.group(1) == "ID" and "ID" in tags:  # the next record, its 'Record #' line lost
                _, number, total, _ = out[-1]
                out.append((lineno, number + 1, total, {}))
                tags = out[-1][3]
            elif f.group(1) == "TI" and "TI" in tags and last != "TI":
                raise _run_together(path, lineno, out[-1][0])
            last = f.group(1)
            tags.setdefault(last, []).append(f.group(2).strip())
        elif last is not None:
            tags[last][-1] = f"{tags[last][-1]} {line.strip()}".strip()
        else:
            tags.setdefault("", []).append(line.strip())  # text before the record's first tag: kept in raw
    return out if headed else []


def _before_first(path, lineno: int, header: int, line: str) -> InputError:
    return InputError(
        f"this line holds a record's field before the file's first record ('{line}' on line {header}): it belongs "
        "to no record the file counts. Remove it, or add its record's 'Record #n of N' line above it (or export the "
        "records again from the Cochrane Library), and import the file again. Nothing was imported.",
        path=path, line=lineno)


def _run_together(path, lineno: int, start: int) -> InputError:
    return InputError(
        f"this line gives the record that starts on line {start} a second title, after its other fields: it looks "
        "like the start of another record whose 'Record #n of N' line is missing. Add that line above it (or export "
        "the records again from the Cochrane Library) and import the file again. Nothing was imported.",
        path=path, line=lineno)


def _database(tags: dict) -> str:
    ident = " ".join(tags.get("ID", [])).upper()
    link = " ".join(tags.get("US", [])).lower()
    if ident.startswith("CD") or "/cdsr/" in link:
        return "Cochrane Database of Systematic Reviews"
    return "Cochrane CENTRAL"  # as the Cochrane Library's RIS export is named (ris.py)


def read_cochrane_text(text: str, path, *, source_db: str | None = None) -> tuple[list[dict], list, list[str]]:
    parsed = parse_cochrane(text.split("\n"), path)
    if not parsed:
        raise InputError("this is not the Cochrane Library's plain-text export: no line 'Record #1 of ...' was found. "
                         "Give the right --format, or leave --format out to let screener detect it.", path=path)
    from screener.io.ris import _as_register_entry, _register_entry

    records = []
    for line, _, _, tags in parsed:
        def one(tag):
            return " ".join(tags[tag]) if tag in tags else None

        authors: list[str] = []
        for value in tags.get("AU", []):
            authors += split_people(value)
        keywords: list[str] = []
        for value in tags.get("KY", []):
            keywords += split_terms(value)
        record = make_record(
            title=clean_title(first(tags.get("TI"))),
            abstract=clean(one("AB")),
            other_titles=tags.get("TI", ()),
            authors=clean_all(authors),
            year=first_year(one("YR")),
            journal=clean_title(one("SO")),
            volume=clean(one("VL")),
            issue=clean(one("NO")),
            pages=clean(one("PG")),
            doi=normalise_doi(clean(one("DOI"))) if clean(one("DOI")) else None,
            pmid=clean_pmid(one("PM")),
            keywords=dedupe(keywords),
            type=clean(one("PT")),
            source_db=source_db or _database(tags),
            source_file=source_name(path),
            source_line=line,
            source_id=clean(one("ID")),
            raw={k: v if len(v) > 1 else v[0] for k, v in tags.items()},
        )
        # CENTRAL's copy of a register's entry ('AU: NCT...', its register page in SO), read as its RIS reads it
        entry = _register_entry({"AU": authors, "JO": tags.get("SO", [])}, tags.get("US", []))
        records.append(_as_register_entry(record, *entry) if entry else record)
    return records, [None] * len(records), _missing_records(parsed, path)


def _missing_records(parsed: list[tuple[int, int, int, dict]], path) -> list[str]:
    """A note naming the records the headers say the file holds and it does not ('Record #3 of 3' never
    written: an export cut off, or records taken out by hand)."""
    total = max(t for _, _, t, _ in parsed)
    present = {n for _, n, _, _ in parsed}
    missing = [n for n in range(1, total + 1) if n not in present]
    if not missing:
        return []
    shown = ", ".join(f"#{n}" for n in missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    return [f"{source_name(path)}: the file says it holds {counted(total, 'record')} ('Record #1 of {total}') but "
            f"{len(parsed)} {noun(len(parsed), 'was', 'were')} found; Record {shown} "
            f"{noun(len(missing), 'is', 'are')} not in it (the export may have been cut off, or records taken out). "
            "Export the records from the Cochrane Library again to import them all."]
