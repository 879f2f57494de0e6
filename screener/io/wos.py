"""Web of Science plain text ("Other file formats > Plain text file": .txt / .ciw, ``FN Clarivate``).

Each line is a two-letter tag, a space and a value; a value continues on lines indented three
spaces (one author per line under ``AU``/``AF``); ``ER`` ends a record and ``EF`` the file.
Small enough to parse here rather than add a dependency.
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
    split_terms,
)
from screener.records import normalise_doi

_TAG = re.compile(r"^([A-Z][A-Z0-9]) (.*)$|^([A-Z][A-Z0-9])$")
# tags whose continuation lines are separate values (people), not a wrapped value
_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "GP", "ED", "C1", "CR"}


def parse_wos(lines: list[str], path) -> list[tuple[int, dict]]:
    """``(start_line, tags)`` per record; a tag maps to its text, or to a list for people and addresses."""
    out: list[tuple[int, dict]] = []
    record: dict | None = None
    start = 0
    last: str | None = None
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.startswith("   ") or line.startswith("\t"):
            if record is not None and last is not None:
                value = line.strip()
                if last in _LIST_TAGS:
                    record[last].append(value)
                else:
                    record[last][-1] = f"{record[last][-1]} {value}"
            continue
        m = _TAG.match(line)
        if not m:
            if record is None:
                continue
            raise InputError(
                f"this line of the Web of Science file is neither a tag (two capitals and a space) nor an "
                f"indented continuation: {line[:60]!r}. The file may have been edited; export it again.",
                path=path, line=lineno,
            )
        tag, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), "")
        if tag in ("FN", "VR", "EF"):
            last = None
            continue
        if tag == "ER":
            if record is not None:
                out.append((start, record))
            record, last = None, None
            continue
        if record is None:
            record, start = {}, lineno
        elif tag in ("PT", "UT") and tag in record:
            # a second record begun before this one ended: without its 'ER' line the two would be
            # read as one (its abstract and authors run together), so the file is refused
            raise InputError(
                f"the record starting on line {start} of this Web of Science file has no 'ER' line before the "
                f"next record (a second '{tag}' tag on this line): the file was edited or damaged. Export it "
                "again, or add the line 'ER' at the end of that record.", path=path, line=lineno,
            )
        record.setdefault(tag, []).append(value.strip())
        last = tag
    if record:
        raise InputError(
            "the last record of this Web of Science file has no 'ER' line: the file seems cut off. "
            "Export it again.", path=path, line=start,
        )
    return out


def _book_doi(tags: dict, d2: str | None) -> str | None:
    """D2 is the DOI of the book: the record's own only when the record is the whole book. A
    chapter's (its pages in the book, or 'Book Chapter' in DT) would give every chapter one DOI,
    and the chapter another DOI than its copy in Scopus, which then is not seen as one study."""
    if not d2 or "BP" in tags or "chapter" in " ".join(tags.get("DT", [])).lower():
        return None
    return normalise_doi(clean(d2))


def read_wos(text: str, path, *, source_db: str | None = None) -> tuple[list[dict], list]:
    lines = text.split("\n")
    head = "\n".join(lines[:5])
    if not re.search(r"^FN (Clarivate|Thomson)", head, re.M) and not re.search(r"^PT [A-Z]\s*$", head, re.M):
        from screener.io.detect import not_this_format

        raise not_this_format(path, text[:65536], "a Web of Science plain-text export (it does not start with 'FN "
                              "Clarivate')", "In Web of Science use Export > Plain text file, or give the right "
                              "--format.")
    parsed = parse_wos(lines, path)
    if not parsed:
        raise InputError("this Web of Science export holds no records (no 'ER' line).", path=path)
    records = []
    for line, tags in parsed:
        def one(*names):
            return first(*(" ".join(tags[n]) if n not in _LIST_TAGS else tags[n] for n in names if n in tags))

        keywords = []
        for tag in ("DE", "ID"):
            for v in tags.get(tag, []):
                keywords += split_terms(v)
        ut = one("UT")
        records.append(make_record(
            title=clean_title(one("TI")),
            abstract=clean(one("AB")),
            authors=clean_all(tags.get("AF") or tags.get("AU") or []),
            year=first_year(one("PY"), one("EA"), one("PD")),
            journal=clean_title(one("SO", "SE")),
            volume=clean(one("VL")),
            issue=clean(one("IS")),
            pages=clean(one("BP", "AR")),
            end_page=clean(one("EP")) if "BP" in tags else None,
            doi=normalise_doi(clean(one("DI"))) or _book_doi(tags, one("D2")),
            pmid=clean_pmid(one("PM")),
            keywords=dedupe(keywords),
            type=clean(one("DT", "PT")),
            source_db=source_db or "Web of Science",
            source_file=source_name(path),
            source_line=line,
            source_id=ut,
            raw={k: v if len(v) > 1 or k in _LIST_TAGS else v[0] for k, v in tags.items()},
        ))
    return records, [None] * len(records)
