"""One entry point for every import: ``read_records(path)``.

It checks the things every format shares (the file exists, is not empty, is text in a known
encoding, is the format claimed) before the format's own reader runs, and it counts: a reader
returns exactly one record per record in the file, never fewer, so nothing is dropped unseen.
"""

from __future__ import annotations

from pathlib import Path

from screener.errors import InputError
from screener.io.common import (
    ReadResult,
    control_character_warnings,
    empty_record_warnings,
    undate_ranges,
    untitled_record_warnings,
)
from screener.io.detect import (FORMAT_NAMES, TABLE_FORMATS, WORKBOOK_FORMATS, describe_content, detect_format,
                                normalise_format, sniff_text)
from screener.io.encoding import decode_bytes, head_text, read_lines

_HEAD = 65536
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # old binary Office files: .xls, .doc


def read_records(
    path,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    column_map: dict | None = None,
    source_db: str | None = None,
    sheet: str | int | None = None,
) -> ReadResult:
    """Read one export file into canonical records (``screener.records.FIELDS``).

    ``fmt``: one of ``SUPPORTED_FORMATS`` (detected from content and extension when None).
    ``encoding``: force a text encoding (detected when None: BOM, UTF-8, else Windows-1252).
    ``column_map``: for tables, field -> column name (``{"title": "Article Title"}``); a field
    mapped to None or "" is ignored (``{"label": None}`` imports no decisions).
    ``source_db``: the database name to record (else from the file's DB/DP tags, else the file name).
    ``sheet``: for workbooks with several sheets, the sheet name or its position counted from 1.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("there is no such file. Check the name and the folder.", path=path)
    if path.is_dir():
        raise InputError("this is a folder, not a file. Give the export file itself.", path=path)
    from screener.io.detect import binary_message, lock_file_error

    if (lock := lock_file_error(path)) is not None:
        raise lock
    try:
        with open(path, "rb") as fh:
            head_bytes = fh.read(_HEAD)
        size = path.stat().st_size
    except OSError as err:
        held = " If it is open in Excel or another program, close it there and run the command again; otherwise " \
            "check that you may read it." if isinstance(err, PermissionError) else ""
        raise InputError(f"the file cannot be opened ({err.strerror}).{held}", path=path) from None
    if size <= _HEAD and _blank(head_bytes):
        raise InputError(
            "the file is empty. Export the search results again; the download may not have finished.",
            path=path,
        )
    claimed = normalise_format(fmt, path)
    not_text = binary_message(head_bytes, path)
    if not_text is not None:
        raise not_text
    kind = claimed or detect_format(path, head_bytes)
    if kind == "xlsx" and head_bytes.startswith(_OLE):
        kind = "xls"  # given as Excel, and it is one: of the old kind
    warnings: list[str] = []
    rows: dict[int, int] = {}  # a CSV's rows as a spreadsheet numbers them, by the file line each starts on
    sheet_name = None
    if column_map and kind not in (*TABLE_FORMATS, "ictrp_xml"):
        warnings.append(f"{path.name}: --column only applies to CSV and Excel files (and the WHO ICTRP's XML); it "
                        "was ignored.")

    if kind in WORKBOOK_FORMATS or head_bytes.startswith(_OLE):
        records, labels, more, sheet_name = _read_workbook(path, kind, head_bytes, encoding, sheet=sheet,
                                                           column_map=column_map, source_db=source_db)
        warnings += more
        used_encoding = "utf-8"  # cells are text in Unicode: UTF-8 inside .xlsx, decoded by xlrd from a .xls
    else:
        if head_bytes.startswith(_ZIP):
            raise InputError(
                f"this is a zip archive or Excel workbook, not {_a(FORMAT_NAMES[kind])} file. Leave "
                "--format out to let screener detect it, or unzip it first.",
                path=path,
            )
        head = head_text(head_bytes, encoding)
        sniffed = sniff_text(head)
        if sniffed in ("ovid_text", "ovid_tagged"):  # no reader reads them, whatever --format says
            from screener.io.detect import ovid_text_error

            raise ovid_text_error(path, sniffed)
        if sniffed == "pubmed_text":
            from screener.io.detect import pubmed_text_error

            raise pubmed_text_error(path)
        if sniffed == "proquest_text":
            from screener.io.detect import proquest_text_error

            raise proquest_text_error(path)
        if sniffed == "html":
            raise InputError(
                f"this file is {describe_content(head)}. Download the export again from the "
                "database and import the file it gives you.",
                path=path,
            )
        if {sniffed, claimed} == {"endnote_xml", "endnote_tagged"}:
            kind = sniffed  # '--format endnote' for EndNote's tagged export, or 'enw' for its XML: EndNote's either way
        elif claimed and sniffed in FORMAT_NAMES and sniffed != claimed and {sniffed, claimed} != {"csv", "tsv"}:
            raise InputError(
                f"this file was given as {_a(FORMAT_NAMES[claimed])} but it is {describe_content(head)}. "
                "Leave --format out to let screener detect it, or give the right --format.",
                path=path,
            )
        if kind in ("ris", "medline", "endnote_tagged", "ebsco_text"):
            # line formats: decoded line by line, so a large export is never held twice in memory
            lines, used_encoding, more = read_lines(path, encoding)
            warnings += more
            if kind == "ris":
                from screener.io.ris import read_ris

                records, labels = read_ris(lines, path, source_db=source_db, warnings=warnings)
            elif kind == "ebsco_text":
                from screener.io.ebsco import read_ebsco_text

                records, labels = read_ebsco_text(lines, path, source_db=source_db, warnings=warnings)
            elif kind == "endnote_tagged":
                from screener.io.endnote_tagged import read_endnote_tagged

                records, labels = read_endnote_tagged(lines, path, source_db=source_db, warnings=warnings)
            else:
                from screener.io.medline import read_medline

                records, labels = read_medline(lines, path, source_db=source_db, warnings=warnings)
            del lines
        else:
            text, used_encoding, more = decode_bytes(path.read_bytes(), path, encoding)
            warnings += more
            if "\r" in text:
                text = text.replace("\r\n", "\n")
                stray = text.count("\r")
                if kind in ("csv", "tsv") and stray and stray < text.count("\n"):
                    # a table whose rows end in LF or CRLF: a lone CR is inside a cell (a line break
                    # pasted from a Mac program), not a row's end; read as a row end, it split the row
                    # into two records with their fields shifted
                    text = text.replace("\r", " ")
                    warnings.append(f"{path.name}: {stray} carriage return{'s' if stray > 1 else ''} inside "
                                    f"cells (not at a line's end) {'were' if stray > 1 else 'was'} read as "
                                    f"{'spaces' if stray > 1 else 'a space'}, not as the end of a row.")
                else:
                    text = text.replace("\r", "\n")
            records, labels, more = _read_text(kind, text, path, column_map=column_map, source_db=source_db,
                                               rows_out=rows)
            warnings += more
    if len(labels) != len(records):  # a reader bug, never the user's fault
        raise AssertionError(f"{len(records)} records but {len(labels)} labels from {path}")
    if kind in _UNMARKED and records and _ends_mid_line(path, size):
        warnings.append(
            f"{path.name}: the file stops part-way through a line (its last line has no line end), as a download or "
            f"copy that did not finish does, so its last record (line {records[-1]['source_line']}) may be cut short. "
            "Compare that record's last field with the database's, and export the file again if it is cut.")
    where = "row" if kind in WORKBOOK_FORMATS or rows else "line"  # a CSV's rows as Excel numbers them
    if len({r["source_line"] for r in records}) < len(records):
        where = "record"  # EndNote writes its XML on one line: every record is on line 1
    warnings += control_character_warnings(records, path, where=where, rows=rows)
    warnings += undate_ranges(records, path, where=where, rows=rows)
    warnings += untitled_record_warnings(records, path, where=where, rows=rows)
    warnings += empty_record_warnings(records, path, where=where, rows=rows)
    return ReadResult(records=records, labels=labels, format=kind, encoding=used_encoding, warnings=warnings,
                      sheet=sheet_name, rows=rows)


def _read_workbook(path, kind: str, head_bytes: bytes, encoding: str | None, **options):
    """An Excel workbook, new (.xlsx: a zip) or old (.xls: an OLE file), which its first bytes tell, each read by
    its own engine (openpyxl, xlrd) into the same records, labels, warnings and sheet's name. A file given as
    one that is not, or an old Office file given as another format, is refused with what it is."""
    from screener.io.tabular import read_xls, read_xlsx

    if kind not in WORKBOOK_FORMATS:  # an old Office file, given (or named) as text
        raise InputError(
            f"this is an old Excel workbook (.xls) or another old Office file, not {_a(FORMAT_NAMES[kind])} "
            "file. Leave --format out to let screener detect it.",
            path=path,
        )
    if not head_bytes.startswith(_ZIP if kind == "xlsx" else _OLE):
        looks = describe_content(head_text(head_bytes, encoding)) or "a text file"
        raise InputError(
            f"this is not {_a(FORMAT_NAMES[kind])}; it looks like {looks}. Give the right --format, or leave "
            "--format out to let screener detect it.",
            path=path,
        )
    return (read_xlsx if kind == "xlsx" else read_xls)(path, **options)


#: Formats whose records have no end mark (RIS's 'ER', a closing tag, a table's closing quote): a file cut off in
#: its last record reads as a whole one (PubMed's MEDLINE has its own check: its citation line)
_UNMARKED = ("endnote_tagged", "ebsco_text", "cochrane_text")


def _ends_mid_line(path: Path, size: int) -> bool:
    """Whether the file's last line has no line end (in UTF-8, UTF-16 or a one-byte encoding)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 4))
        tail = fh.read().rstrip(b"\x00")  # UTF-16's other byte of a line end
    return bool(tail) and not tail.endswith((b"\n", b"\r"))


def _blank(head: bytes) -> bool:
    body = head.strip(b" \t\r\n\x00")
    return not body or body in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _a(name: str) -> str:
    return ("an " if name[0] in "AEIOUaeiou" else "a ") + name


def _read_text(kind: str, text: str, path, *, column_map, source_db, rows_out: dict[int, int] | None = None):
    if kind == "endnote_xml":
        from screener.io.endnote_xml import read_endnote_xml

        warnings: list[str] = []
        records, labels = read_endnote_xml(text, path, source_db=source_db, warnings=warnings)
        return records, labels, warnings
    if kind == "bibtex":
        from screener.io.bibtex import read_bibtex

        return read_bibtex(text, path, source_db=source_db)
    if kind == "wos":
        from screener.io.wos import read_wos

        return (*read_wos(text, path, source_db=source_db), [])
    if kind == "cochrane_text":
        from screener.io.cochrane import read_cochrane_text

        return read_cochrane_text(text, path, source_db=source_db)
    if kind == "pubmed_xml":
        from screener.io.pubmed_xml import read_pubmed_xml

        return (*read_pubmed_xml(text, path, source_db=source_db), [])
    if kind == "ictrp_xml":
        from screener.io.ictrp_xml import read_ictrp_xml

        return read_ictrp_xml(text, path, column_map=column_map, source_db=source_db)
    if kind in ("csv", "tsv"):
        from screener.io.tabular import read_delimited

        if sniff_text(text[:65536]) in ("ris", "medline", "endnote_xml", "xml", "wos", "bibtex", "pubmed_xml",
                                     "ictrp_xml", "endnote_tagged", "cochrane_text", "ebsco_text"):
            raise InputError(
                f"this file is {describe_content(text[:65536])}, not a table. Leave --format out to "
                "let screener detect it.",
                path=path,
            )
        return read_delimited(text, path, delimiter="\t" if kind == "tsv" else None, column_map=column_map,
                              source_db=source_db, rows_out=rows_out)
    raise InputError(f"screener has no reader for the format '{kind}'.", path=path)  # pragma: no cover
