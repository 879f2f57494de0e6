"""EndNote's tagged export ('.enw', the 'refer' format): what EndNote's 'Export' with the 'Refer/BibIX'
or 'EndNote Export' style writes, and what Google Scholar, SpringerLink, JSTOR and others give as 'EndNote'.

Each field is a line that opens with '%', one character and a space ('%0 Journal Article', '%T title',
'%A author', one line per author); a line without a tag continues the field above it (an abstract's
paragraphs; for '%K', one keyword a line). '%0' opens a record; in files without it, a blank line does.
The fields are those of EndNote's RIS under other names, so the RIS reader makes the records: DOIs in
'%R' or a link, PubMed ids where the database is PubMed, the database's name from '%~' or '%W'.
"""

from __future__ import annotations

import re

from screener.errors import InputError
from screener.io.common import file_source, source_name

#: a tag: '%', a digit, capital or sign (EndNote tags with '%@', '%!', '%~' ...), then a space or the line's end;
#: never a comma, full stop, colon or semicolon: an abstract's line may start '%, and ...' after a line break
_TAG = re.compile(r"^%([^\sa-z,.;:])(?:[ \t](.*))?$")

#: EndNote's tags as the RIS tags ris.tags_to_record reads (EndNote maps them so between its RIS and tagged styles)
_AS_RIS = {
    "0": "TY", "T": "TI", "A": "AU", "D": "PY", "8": "DA", "J": "JF", "B": "T2", "X": "AB", "R": "DO", "K": "KW",
    "V": "VL", "N": "IS", "P": "SP", "@": "SN", "U": "UR", "M": "AN", "~": "DB", "W": "DP", "Z": "N1", "E": "A2",
    "I": "PB", "C": "CY", "G": "LA", "9": "M3", "7": "ET", "S": "T3", "!": "ST", "Y": "A3", "Q": "TT", "+": "AD",
    "F": "ID",
}
#: a line that starts an EndNote record, as the RIS reader meets it between two RIS records
ENW_START = re.compile(r"%[0T] \S")
#: the first line of an RIS record ('TY  - JOUR') or a PubMed one ('PMID- 123'), as this reader meets it in a field,
#: and a field of that format, as the line below it must be for the record to be one
_OTHER_STARTS = ((re.compile(r"TY {1,2}- ?\S"), re.compile(r"[A-Z][A-Z0-9] {1,2}- "), "RIS"),
                 (re.compile(r"PMID- ?\d"), re.compile(r"[A-Z][A-Z0-9]{1,3} *- "), "PubMed MEDLINE (.nbib)"))
#: fields a record has once: after a blank line, one given again opens a record whose '%0' line was lost
_ONCE = frozenset("TDJBXRVNP8@")
#: fields that name people: authors ('%A') and editors ('%E')
_PEOPLE = frozenset("AE")
#: fields a continuation line adds a value to, rather than continues: EndNote writes one keyword a line
_ONE_A_LINE = frozenset("K")


def parse_endnote_tagged(lines: list[str], path) -> tuple[list[tuple[int, dict]], list[int]]:
    """``(line, tags)`` per record (each tag's values, a list) and the lines of text before the first record."""
    typed = any(line.lstrip("\ufeff").startswith("%0") and _TAG.match(line.lstrip("\ufeff")) for line in lines)
    out: list[tuple[int, dict]] = []
    before: list[int] = []
    record: dict | None = None
    last: str | None = None
    blank = gap = False  # a blank line just above; one anywhere in the record so far
    for lineno, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff").rstrip()  # a byte-order mark also starts a file joined to another
        if not line.strip():
            blank = gap = record is not None
            continue
        m = _TAG.match(line)
        if m is None:
            for start, field, found in _OTHER_STARTS:
                if start.match(line) and starts_record(lines, lineno, field):
                    raise joined_formats_error(path, lineno, found, "EndNote tagged (.enw)")
            if record is None:
                before.append(lineno)
            elif last in _ONE_A_LINE:
                record[last].append(line.strip())
            elif last is not None:
                record[last][-1] = f"{record[last][-1]} {line.strip()}".strip()
            blank = False  # an abstract's next paragraph, not a record's end
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        # a '%0' right under a '%0' is the same record's: JabRef writes two, its 'endnotereftype' (often empty), then
        # its own; a '%0' alone above a blank line is a record, empty, kept and named as such
        if record is None or (tag == "0" and (blank or record.keys() != {"0"})) or (blank and not typed):
            record, last, gap = {}, None, False
            out.append((lineno, record))
        elif tag in record and (tag == "T" or (gap and tag in _ONCE)):
            raise _second_field(path, lineno, out[-1][0], record, tag, typed)
        blank = False
        record.setdefault(tag, []).append(value)
        last = tag
    if not out:
        from screener.io.detect import not_this_format

        raise not_this_format(path, "\n".join(lines[:50]), "an EndNote tagged (.enw) file: no line starts with a "
                              "tag such as '%0 ' or '%T '", "Give the right --format, or leave --format out to let "
                              "screener detect it.")
    return out, before


def starts_record(lines: list, lineno: int, field: re.Pattern) -> bool:
    """Whether the next line with text is a field of the format whose record line ``lineno`` seems to start: an
    abstract's line that only starts like one ("PMID- 123 (PubMed), cited...") is followed by none."""
    for line in lines[lineno:]:
        if line and line.strip():
            return bool(field.match(line.lstrip("\ufeff")))
    return False


#: a field of an EndNote record ('%A Lee, A'), as the line below an EndNote record's first line is
ENW_FIELD = re.compile(r"%\S ")


def joined_formats_error(path, lineno: int, found: str, file: str) -> InputError:
    """Records of another format below (or between) this file's: two exports joined into one file. The reader
    would take the other format's lines for text between records, or for the last field's next line, and lose
    those records unseen."""
    return InputError(
        f"this line starts a record in the {found} format, in a file of {file} records: two exports of different "
        f"formats joined into one file, and screener reads one format a file, so the {found} records would not be "
        "read. Put them in a file of their own (or export them again) and import both files together.",
        path=path, line=lineno)


def _second_field(path, lineno: int, start: int, record: dict, tag: str, typed: bool) -> InputError:
    """A second '%T' inside a record, or after a blank line a field the record has ('%D' again): two records run
    together (a '%0' line, or the blank line between them, lost in an edit or a paste). Read on, the second study's
    title, year or journal would be lost and its other fields joined to the first's."""
    title = (record.get("T") or [""])[0]
    shown = f" ('{title if len(title) <= 60 else title[:57] + '...'}')" if title else ""
    what = "title ('%T')" if tag == "T" else f"'%{tag}'"
    missing = "'%0 ' line" if typed else "blank line before it"
    return InputError(
        f"this line gives the record that starts on line {start}{shown} a second {what}: it looks like the start "
        f"of another record whose {missing} is missing. Add it (or export the records again) and import the file "
        "again. Nothing was imported.", path=path, line=lineno)


def _as_ris(tags: dict, *, jabref: bool = False) -> dict:
    """The record's tags as RIS's; ``jabref``: the file is JabRef's, whose '%K' line holds all the keywords, parted
    by commas (EndNote writes one keyword a line, and a keyword's comma is its own: 'Homosexuality, Male')."""
    out: dict = {}
    for tag, values in tags.items():
        ris = _AS_RIS.get(tag)
        if tag in _PEOPLE:
            values = [name for v in values for name in _people(v)]
        elif tag == "K" and jabref:
            values = [k.strip() for v in values for k in v.split(",")]
        if ris is not None:
            out.setdefault(ris, []).extend(v for v in values if v)
    if "AB" in out:
        out["AB"] = [" ".join(out["AB"])]  # '%X' given twice: parts of one abstract
    return {k: v for k, v in out.items() if v}


def ris_tags(raw: dict) -> dict:
    """A record's fields as the file wrote them (its ``raw``, '%@', '%I' ...) under RIS's tags, for the RIS export."""
    return _as_ris({k[1:]: v if isinstance(v, list) else [v] for k, v in raw.items() if k[:1] == "%"})


def is_jabref(lines: list[str]) -> bool:
    """Whether JabRef wrote the file: its records open with two '%0' lines (its 'endnotereftype', often empty, then
    the type), which EndNote never writes."""
    return any(a.lstrip("\ufeff").startswith("%0") and b.startswith("%0 ") for a, b in zip(lines, lines[1:]))


def _people(value: str) -> list[str]:
    """One '%A' line's people. EndNote writes one a line; JabRef writes all on one, 'Smith, John; Doe, Jane &
    Lee, Ann'. A group's name with '&' ('Centers for Disease Control & Prevention,') has no comma on each side."""
    out: list[str] = []
    for part in (p.strip() for p in value.split(";")):
        pieces = [p.strip() for p in part.split(" & ")]
        out += pieces if len(pieces) > 1 and all("," in p for p in pieces) else [part]
    return out


def read_endnote_tagged(lines: list[str], path, *, source_db: str | None = None,
                        warnings: list[str] | None = None) -> tuple[list[dict], list]:
    from screener.io.ris import tags_to_record

    parsed, before = parse_endnote_tagged(lines, path)
    name, stem = source_name(path), file_source(path)
    jabref = is_jabref(lines)
    records = []
    for line, tags in parsed:
        rec = tags_to_record(_as_ris(tags, jabref=jabref), line=line, source_db=source_db, file_name=name, stem=stem)
        rec["raw"] = {f"%{k}": v if len(v) > 1 else v[0] for k, v in tags.items()}  # as the file wrote them
        records.append(rec)
    if before and warnings is not None:
        shown = f"line {before[0]}" if len(before) == 1 else f"lines {before[0]} to {before[-1]}"
        one = len(before) == 1
        warnings.append(f"{name}: {shown}, before the first record (line {parsed[0][0]}), {'is' if one else 'are'} "
                        f"not a field ('%T ', '%A ' ...) and {'belongs' if one else 'belong'} to no record, so "
                        f"{'it was' if one else 'they were'} not read. If {'it holds' if one else 'they hold'} a "
                        "record, put '%0 ' and '%T ' before its lines and import the file again.")
    return records, [None] * len(records)
