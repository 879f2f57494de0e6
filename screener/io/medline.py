"""PubMed's MEDLINE text format (the .nbib file from "Send to > Citation manager").

Each line is a tag padded to four characters, "- ", and a value (``PMID- 123``, ``TI  - ...``,
``FAU - ...``); wrapped values continue on lines indented six spaces; records are separated by a
blank line and start with ``PMID-``. Small enough to parse here rather than add a dependency.
"""

from __future__ import annotations

import re

from screener.errors import InputError
from screener.io.common import (
    clean,
    clean_title,
    clean_all,
    dedupe,
    extract_year,
    first,
    make_record,
    pubmed_type,
    source_name,
)
from screener.io.endnote_tagged import ENW_FIELD, ENW_START, joined_formats_error, starts_record
from screener.records import normalise_doi

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")


def _tag_of(line: str) -> tuple[str, str] | None:
    if len(line) < 5 or line[4] != "-" or line[0] == " ":
        return None
    m = _TAG.match(line)
    if not m or len(line[:4].rstrip()) != len(m.group(1)):
        return None
    return m.group(1), m.group(2).strip()


def _soft_blanks(lines: list[str]) -> set[int]:
    """The blank lines that are line ends, not record breaks, in a double-spaced file: a CRLF
    export copied in text mode on Windows ends every line in CR CR LF, which reads as a line and a
    blank line (records then part at three blank lines). Such a file has no two text lines in a
    row; a lone blank line between two text lines there is a line end."""
    text = [i for i, line in enumerate(lines) if line.strip()]
    if len(text) < 4 or any(b - a == 1 for a, b in zip(text, text[1:])):
        return set()
    return {a + 1 for a, b in zip(text, text[1:]) if b - a == 2}


#: Tags a record holds once: after a blank line, one the record already has begins the next record.
_ONCE = frozenset("PMID OWN STAT DCOM LR IS VI IP DP TI PG LID AB CI LA JT TA JID SO EDAT MHDA CRDT PHST PST "
                  "DEP".split())


def parse_medline(lines: list[str], path) -> list[tuple[int, dict]]:
    """``(start_line, tags)`` per record; tags map to a string or, when repeated, a list."""
    out: list[tuple[int, dict]] = []
    record: dict | None = None
    last: str | None = None
    start = 0
    blank_since_record = False

    def close():
        if record is not None:
            out.append((start, {k: (v[0] if len(v) == 1 else v) for k, v in record.items()}))

    soft = _soft_blanks(lines)
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            if lineno - 1 not in soft:
                blank_since_record = True
            continue
        if line[0] == "\ufeff":  # files joined end to end: the second's byte-order mark
            line = line.lstrip("\ufeff")
        parsed = _tag_of(line)
        if parsed is None:
            if line[:1] == "%" and ENW_START.match(line) and starts_record(lines, lineno, ENW_FIELD):
                raise joined_formats_error(path, lineno, "EndNote tagged (.enw)", "PubMed MEDLINE (.nbib)")
            if record is None:
                continue  # text before the first record
            if last is not None:  # wrapped line (normally indented six spaces)
                record[last][-1] = f"{record[last][-1]} {line.strip()}"
            continue
        tag, value = parsed
        # a blank line ends a record only where the next tag cannot continue it: a blank line inside
        # a record (an edited file) had split it in two, the first half without its abstract
        if tag == "PMID" or record is None or (blank_since_record and tag in record and tag in _ONCE):
            close()
            record, start, last = {}, lineno, None
        blank_since_record = False
        record.setdefault(tag, []).append(value)
        last = tag
    close()
    last_tags = out[-1][1] if out else {}
    if len(out) >= 2 and "SO" not in last_tags and not _book(last_tags) and all("SO" in tags for _, tags in out[:-1]):
        # PubMed ends every article's record with its citation line (SO): a last record without it, where
        # every other has one, was cut off (a download or copy that stopped part-way)
        raise InputError(
            "the last record of this PubMed file has no citation line ('SO  - '), which every other record "
            "has: the file seems cut off. Export it again from PubMed ('Send to > Citation manager').",
            path=path, line=out[-1][0])
    if len(out) == 1 and "SO" not in last_tags and not _book(last_tags) and _ends_mid_line(path):
        # one record, none to compare with: cut off when both signs are there, no SO and a last line
        # without its line end (PubMed ends every line; a download stops anywhere in one)
        raise InputError(
            "this PubMed file's only record has no citation line ('SO  - '), which PubMed ends every article "
            "with, and its last line stops without a line end: the file seems cut off (the download or copy "
            "stopped part-way). Export it again from PubMed ('Send to > Citation manager'); if the record is "
            "complete as it is, end the file with a line break.", path=path, line=out[0][0])
    if not any(line.lstrip("\ufeff").startswith("PMID-") for line in lines):
        from screener.io.detect import not_this_format

        raise not_this_format(path, "\n".join(lines[:50]), "a PubMed MEDLINE (.nbib) file: no line starts with "
                              "'PMID- '", "In PubMed, use 'Send to > Citation manager' to export, or give the right "
                              "--format.")
    return out


def _book(tags: dict) -> bool:
    """PubMed's record of a book or book chapter (Bookshelf: its book title BTI, publisher PB, or
    bookaccession id): PubMed writes no citation line (SO) for those, whole as they are."""
    return "BTI" in tags or "PB" in tags or any(v.endswith("[bookaccession]") for v in _list(tags, "AID"))


def _ends_mid_line(path) -> bool:
    """Whether the file's last line has no line end (in UTF-8, or UTF-16 either way round)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 4))
            tail = fh.read()
    except (OSError, TypeError):
        return False
    tail = tail.rstrip(b"\x00")
    return bool(tail) and tail[-1:] not in (b"\n", b"\r")


def _list(tags: dict, tag: str) -> list[str]:
    v = tags.get(tag)
    if v is None:
        return []
    return [x for x in (v if isinstance(v, list) else [v]) if x]


def _doi(tags: dict) -> str | None:
    for tag in ("LID", "AID"):
        for v in _list(tags, tag):
            if v.endswith("[doi]"):
                d = normalise_doi(v[: -len("[doi]")])
                if d:
                    return d
    return None


def tags_to_record(tags: dict, *, path, line: int, source_db: str | None) -> dict:
    authors = _list(tags, "FAU") or _list(tags, "AU")
    authors = clean_all(authors + _list(tags, "CN"))
    keywords = [k.replace("*", "") for k in _list(tags, "MH")] + _list(tags, "OT")
    pmid = first(tags.get("PMID"))
    return make_record(
        title=clean_title(first(tags.get("TI"), tags.get("BTI"), tags.get("TT"))),
        abstract=clean(" ".join(dict.fromkeys(_list(tags, "AB")))),  # one AB line a paragraph: all of them
        other_titles=_list(tags, "TI") + _list(tags, "TT"),  # TT: the title in the paper's own language
        authors=authors,
        year=extract_year(first(tags.get("DP"), tags.get("DEP"), tags.get("EDAT"))),
        journal=clean_title(first(tags.get("JT"), tags.get("TA"))),
        volume=first(tags.get("VI")),
        issue=first(tags.get("IP")),
        pages=first(tags.get("PG")),
        doi=_doi(tags),
        pmid=pmid if pmid and pmid.isdigit() else None,
        keywords=dedupe(keywords),
        type=pubmed_type(tags.get("PT")),
        # MEDLINE format is PubMed's own; without a PMID the record came from somewhere else.
        source_db=source_db or first(tags.get("DB")) or ("PubMed" if pmid else None) or _stem(path),
        source_file=source_name(path),
        source_line=line,
        source_id=pmid,
        raw=tags,
    )


def _stem(path) -> str:
    from pathlib import Path

    return Path(str(path)).stem


def read_medline(lines: list[str], path, *, source_db: str | None = None,
                 warnings: list[str] | None = None) -> tuple[list[dict], list]:
    parsed = parse_medline(lines, path)
    records = [tags_to_record(t, path=path, line=ln, source_db=source_db) for ln, t in parsed]
    if warnings is not None and len(parsed) == 1:
        warnings += _single_record_warnings(parsed[0][1], path, parsed[0][0])
    return records, [None] * len(records)


def _single_record_warnings(tags: dict, path, line: int) -> list[str]:
    """A file of one PubMed record cut at the end of a line: no citation line (SO), which PubMed ends
    every article with, though the record is PubMed's (its OWN line). Read as a whole record, its last
    fields lost (the DOI, in AID, among them) without a word; ``parse_medline`` refuses it only where the
    last line also stops without its line end, as a record without SO from another program is whole."""
    if "SO" in tags or "OWN" not in tags or _book(tags):
        return []
    pmid = first(tags.get("PMID"))
    return [f"{source_name(path)}: its only record (PMID {pmid}, line {line}) has no citation line ('SO  - '), "
            "which PubMed ends every article with: the file may be cut off (a download or copy that stopped "
            "part-way), the record's last fields missing (its DOI among them). It was imported as it is; if the "
            "record looks incomplete, export it again from PubMed ('Send to > Citation manager') and import that."]
