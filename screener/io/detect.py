"""Which reader a file needs: by what is inside it first, by its extension second.

Content wins because researchers rename files (a PubMed .nbib saved as .txt, an Ovid RIS saved as
.txt), while the first lines of each export are unmistakable.
"""

from __future__ import annotations

import re
from pathlib import Path

from screener.errors import InputError, did_you_mean

#: Formats ``read_records`` understands, by the name ``fmt=`` / ``--format`` takes.
SUPPORTED_FORMATS = ("ris", "medline", "endnote_xml", "csv", "tsv", "xlsx", "xls", "bibtex", "wos",
                     "pubmed_xml", "cochrane_text", "endnote_tagged", "ebsco_text", "ictrp_xml")
#: Those read from a workbook (records are sheet rows, cells carry no text encoding), and all tables.
WORKBOOK_FORMATS = ("xlsx", "xls")
TABLE_FORMATS = ("csv", "tsv", *WORKBOOK_FORMATS)

FORMAT_NAMES = {
    "ris": "RIS",
    "medline": "PubMed MEDLINE (.nbib)",
    "endnote_xml": "EndNote XML",
    "csv": "CSV table",
    "tsv": "tab-separated table",
    "xlsx": "Excel workbook (.xlsx)",
    "xls": "old Excel workbook (.xls)",
    "bibtex": "BibTeX (.bib)",
    "wos": "Web of Science plain text",
    "pubmed_xml": "PubMed XML",
    "cochrane_text": "Cochrane Library plain text",
    "endnote_tagged": "EndNote tagged (.enw)",
    "ebsco_text": "EBSCOhost tagged text",
    "ictrp_xml": "WHO ICTRP XML export",
}

_ALIASES = {
    "ris": "ris",
    "refman": "ris",
    "ovid": "ris",
    "medline": "medline",
    "nbib": "medline",
    "pubmed": "medline",
    "endnote_xml": "endnote_xml",
    "endnote": "endnote_xml",
    "xml": "endnote_xml",
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "txt_tab": "tsv",
    "xlsx": "xlsx",
    "excel": "xlsx",
    "xlsm": "xlsx",
    "xls": "xls",
    "bibtex": "bibtex",
    "bib": "bibtex",
    "wos": "wos",
    "ciw": "wos",
    "isi": "wos",
    "web_of_science": "wos",
    "pubmed_xml": "pubmed_xml",
    "cochrane_text": "cochrane_text",
    "cochrane": "cochrane_text",
    "endnote_tagged": "endnote_tagged",
    "enw": "endnote_tagged",
    "refer": "endnote_tagged",
    "ebsco_text": "ebsco_text",
    "ebsco": "ebsco_text",
    "ebscohost": "ebsco_text",
    "ictrp_xml": "ictrp_xml",
}

_EXTENSIONS = {
    ".ris": "ris",
    ".nbib": "medline",
    ".medline": "medline",
    ".xml": "endnote_xml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".bib": "bibtex",
    ".ciw": "wos",
    ".enw": "endnote_tagged",
}

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # old binary .xls / .doc
_RIS_LINE = re.compile(r"^(?i:ty)  ?- ", re.M)  # tags in lower case too (ris.py reads them)
_MEDLINE_LINE = re.compile(r"^PMID- ", re.M)
# EBSCOhost's tagged text export: 'TI- ' opens each record, then a field a line ('AU- ', 'SO- ', 'AB- ')
_EBSCO_TITLE = re.compile(r"TI- \S")
_EBSCO_FIELD = re.compile(r"^[A-Z][A-Z0-9]- \S", re.M)
_EBSCO_RECORD = re.compile(r"Record:? \d{1,6}\s*$")
# its 'Detailed Citation and Abstract' saved as plain text: 'Record: 1', then the field names ('Title:') and values
_EBSCO_DETAILED = re.compile(r"^Record:? \d{1,6}[ \t]*\n(?:[ \t]*\n)*[ \t]*(?:Title|Authors?|Source|Accession Number|"
                             r"Database|Document Type):", re.M)
#: the detailed citation's field names, at the start of a line (the value after it or on the lines below)
_EBSCO_NAMED = re.compile(r"^[ \t]{0,4}(Title|Authors|Source|Document Type|Subject Terms|Abstract|ISSN|"
                          r"Accession Number|Database):", re.M)
_TAGGED = re.compile(r"[A-Za-z][A-Za-z0-9]{1,3} *- ")  # a line of RIS ('TI  - '), MEDLINE ('PMID- ', 'TI  - ')
_ENDNOTE_XML = re.compile(r"<xml>\s*<records>|<records>\s*<record>", re.I)
_WOS = re.compile(r"^FN (Clarivate|Thomson Reuters)", re.M)
_BIBTEX = re.compile(r"^\s*@(article|book|inbook|incollection|inproceedings|conference|misc|phdthesis|mastersthesis|"
                     r"techreport|report|thesis|unpublished|proceedings|online|manual|booklet|string|preamble|comment)"
                     r"\s*[{(]", re.M | re.I)
_PUBMED_XML = re.compile(r"<PubmedArticleSet[\s>]|<!DOCTYPE PubmedArticleSet")
_ICTRP_XML = re.compile(r"<Trials_downloaded_from_ICTRP[\s/>]")  # the ICTRP search portal's 'Export results to XML'
_HTML = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
# PubMed's text displays saved as a file ("Save" as 'Abstract (text)' or 'Summary (text)'):
# records numbered '1. ', each with a 'PMID: 123' line or ending
_PUBMED_TEXT_START = re.compile(r"\d{1,6}\. \S")
_PUBMED_TEXT_PMID = re.compile(r"\bPMID: \d{1,8}\b")
# Ovid's text export and saved display: each record opens with its number alone on a line,
# '<1>', and its fields follow as a label line ('Title') and the value indented below it
# Ovid's tagged export, what it writes for EndNote (.cgi), Citavi or Reference Manager (.ovd): records
# numbered '<1. >', each opening with 'VN  - Ovid Technologies', then two-letter tags ('UI  - ', 'TI  - ')
# (its MEDLINE-style display, 'Reprint/Medlars', writes the same records without the VN line, numbered '<1>')
_OVID_TAGGED = re.compile(r"^VN  ?- Ovid Technologies"
                          r"|^<\d{1,6}(?:\. ?)?>[ \t]*\n(?:[ \t]*\n)*[A-Z][A-Z0-9]{1,3} {1,3}- ", re.M)
# the values are indented in the file Ovid writes, not where the display was copied from the browser: then the
# record number is followed by one of the field names Ovid's databases open a record with
_OVID_TEXT = re.compile(r"^<\d{1,6}>[ \t]*\n(?:[ \t]*\n)*(?:[A-Z][A-Za-z /()-]{1,40}[ \t]*\n[ \t]+\S|(?:Unique "
                        r"Identifier|Accession Number|Database|Authors?(?: Full Name)?|Title|Source|Abstract|"
                        r"Record Owner|Status|Version ID)[ \t]*\n)", re.M)


# the Cochrane Library's plain-text export ('citation-export.txt'): 'Record #1 of 15', then fields 'ID: CN-...', 'TI: '
_COCHRANE_TEXT = re.compile(r"^Record #\d{1,6} of \d{1,6}[ \t]*\n(?:[ \t]*\n)*[A-Z]{2,3}: ", re.M)
# ProQuest's 'TXT - Text only' save: records parted by a line of underscores, 'Label: value' paragraphs, each record
# with its 'ProQuest document ID: ' and a header 'Report Information from ProQuest' above several
_UNDERSCORES = re.compile(r"^_{30,}[ \t]*$", re.M)
_PROQUEST_TEXT = re.compile(r"^(?:Report Information from ProQuest|ProQuest document ID: |Document URL: \S*proquest\.)",
                            re.M)
# EndNote's tagged export (.enw): '%0 Journal Article', or (without a type line) '%T ' and '%A ' fields
_ENW_TYPE = re.compile(r"^%0 \S", re.M)
_ENW_FIELD = re.compile(r"^%[TAD] \S", re.M)
_ENW_ANY_FIELD = re.compile(r"%[^\s%] ")  # any field of a record: '%A Lee, A', '%T A study'


_READS = ("RIS, PubMed (.nbib or XML), EndNote XML or tagged (.enw), BibTeX (.bib), Web of Science, Cochrane Library "
          "plain text, the WHO ICTRP's XML, CSV, tab-separated or Excel (.xlsx or .xls)")
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program (an executable file)"), (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip-compressed file"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2-compressed file"), (b"SQLite format 3\x00", "a database file (SQLite)"),
    (b"\xfd7zXZ", "an xz-compressed file"), (b"{\\rtf", "a Rich Text (RTF) document"),
)


def describe_binary(head: bytes) -> str | None:
    """Words for a file that is not text at all (an image, a program, an archive), else None.

    Checked before any text reader: such a file renamed .ris is not an encoding problem."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(_ZIP) or head.startswith(_OLE) or head.startswith(b"%PDF"):
        return None  # workbooks, old Excel and PDFs have their own messages
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff")):
        return None  # text with a byte-order mark
    sample = head[:8192]
    if not sample:
        return None
    from screener.io.encoding import _utf16_without_bom, _utf32_without_bom

    if _utf16_without_bom(sample) or _utf32_without_bom(sample):
        return None
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    # a NUL or two in an abstract (text pasted out of a PDF) is text's: such a file was refused whole as binary
    if sample.count(b"\x00") > 0.01 * len(sample) + 2 or controls > 0.05 * len(sample):
        return "binary data, not text"
    return None


def binary_message(head: bytes, path) -> InputError | None:
    """The error for a binary file given as an export (None when it is text)."""
    what = describe_binary(head)
    if what is None:
        return None
    return InputError(f"this file is {what}, not a search export. screener reads {_READS} files: export the "
                      "records from the database again in one of those formats.", path=path)


def lock_file_error(path) -> InputError | None:
    """The error for the lock file a spreadsheet program keeps beside a file it has open ('~$batch1.xlsx' of
    Excel, '.~lock.batch1.csv#' of LibreOffice), given in the file's place: it was called binary data or no
    decisions file, and the reviewer was told to export from the database again. None for any other file."""
    path = Path(path)
    if path.name.startswith("~$") and len(path.name) > 2:
        program, name = "Excel", path.name[2:]
    elif path.name.startswith(".~lock.") and path.name.endswith("#") and len(path.name) > 8:
        program, name = "LibreOffice", path.name[len(".~lock."):-1]
    else:
        return None
    return InputError(f"this is the lock file {program} keeps while {name} is open, not the file itself. Save your "
                      f"work there and give {path.with_name(name)} instead; if screener cannot read it "
                      f"while it is open, close it in {program} first.", path=path)


def describe_zip(path) -> str | None:
    """What a zip file holds, when it is not an Excel workbook (None for a workbook)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, OSError):
        return "a damaged zip archive (or Excel workbook) that cannot be opened. Download or save it again"
    if any(n.startswith("xl/") for n in names):
        return None
    if any(n.startswith("word/") for n in names):
        return "a Word document (.docx), not a search export"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint file (.pptx), not a search export"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file (LibreOffice). Save it as .xlsx or CSV (UTF-8) and import that"
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (f"a zip archive holding {len(names)} {'file' if len(names) == 1 else 'files'} ({shown}). Unzip it and "
            f"import {'the file' if len(names) == 1 else 'the files'} inside")


def normalise_format(fmt: str | None, path=None) -> str | None:
    if fmt is None:
        return None
    key = str(fmt).strip().lower().lstrip(".").replace("-", "_").replace(" ", "_")
    if key in _ALIASES:
        return _ALIASES[key]
    raise InputError(
        f"'{fmt}' is not a format screener reads.{did_you_mean(key, SUPPORTED_FORMATS)} Use one of: "
        f"{', '.join(SUPPORTED_FORMATS)} "
        "(or leave --format out to let screener detect it).",
        path=path,
    )


def _outside_quoted_values(head: str) -> str:
    """``head`` with the lines inside a table's quoted values blanked, when it is a table (a line
    among the first ten names a title or abstract column). A CSV whose abstract quotes an RIS or
    PubMed record ('TY  - JOUR' on a line of its own) was read as RIS: three records became the
    one quoted in an abstract, and the rest were lost without a word."""
    import csv

    from screener.io.tabular import ALIASES, _norm

    lines = head.split("\n")
    names = set(ALIASES["title"]) | set(ALIASES["abstract"])
    found = None
    for i, ln in [(i, ln) for i, ln in enumerate(lines[:200]) if ln.strip()][:10]:
        if _TAGGED.match(ln):  # 'TI  - Smoking, abstract and ...': a tagged format's line, not column names
            continue
        for d in (",", ";", "\t", "|"):
            if d in ln and any(_norm(c) in names for c in next(csv.reader([ln], delimiter=d), [])):
                found = (i, d)
                break
        if found:
            break
    if found is None:
        return head
    at, delimiter = found
    out = list(lines)
    reader = csv.reader((ln + "\n" for ln in lines[at:]), delimiter=delimiter)
    prev = 0
    try:
        for _ in reader:
            for k in range(at + prev + 1, at + reader.line_num):  # a row's lines after its first
                out[k] = ""
            prev = reader.line_num
    except csv.Error:
        pass
    return "\n".join(out)


def sniff_text(head: str) -> str | None:
    """The format the first part of a text file clearly is, or None when it is not clear. A
    table's quoted values are not looked into: an abstract may quote any format's lines."""
    head = _outside_quoted_values(head)
    lines = [ln for ln in head.split("\n")[:60] if ln.strip()]
    top = "\n".join(lines[:30])
    # tagged records may start further down: Ovid writes the search history (dozens of numbered
    # lines) above the records in a .txt export
    deep = "\n".join(ln for ln in head.split("\n")[:400] if ln.strip())
    if len(lines) > 1 and _ENW_TYPE.match(lines[0].lstrip("\ufeff")) and _ENW_ANY_FIELD.match(lines[1]):
        return "endnote_tagged"  # an abstract's line below may start as a PubMed or RIS record does ('PMID- 123')
    if _RIS_LINE.search(top) or (_RIS_LINE.search(deep) and not _MEDLINE_LINE.search(top)):
        return "ris"
    if _MEDLINE_LINE.search(deep):
        return "medline"
    if _WOS.search(top):
        return "wos"
    if _BIBTEX.search(top):
        return "bibtex"
    if lines and _PUBMED_TEXT_START.match(lines[0]) and _PUBMED_TEXT_PMID.search(deep):
        return "pubmed_text"
    if _COCHRANE_TEXT.search(deep):
        return "cochrane_text"
    if _UNDERSCORES.search(top) and _PROQUEST_TEXT.search(head):
        return "proquest_text"
    if _ENW_TYPE.search(top) or (lines and lines[0].lstrip("\ufeff")[:1] == "%" and len(_ENW_FIELD.findall(top)) > 1):
        return "endnote_tagged"
    # its records open with the title, or with another field ('AN- ') or a 'Record: 1' line, a title line below
    first = lines[0].lstrip("\ufeff") if lines else ""
    if (_EBSCO_TITLE.match(first) or ((_EBSCO_FIELD.match(first) or _EBSCO_RECORD.match(first))
                                      and re.search(r"^TI- \S", top, re.M))) and len(_EBSCO_FIELD.findall(top)) > 2:
        return "ebsco_text"
    if _EBSCO_DETAILED.search(deep + "\n"):
        return "ebsco_text"
    if _ebsco_citations(deep):
        return "ebsco_citations"
    if _OVID_TAGGED.search(deep):
        return "ovid_tagged"
    if _OVID_TEXT.search(deep + "\n"):  # before XML: '<1>' opens it, and the search history may sit above
        return "ovid_text"
    stripped = head.lstrip()
    if stripped.startswith("<"):
        if _PUBMED_XML.search(head[:5000]):
            return "pubmed_xml"
        if _ICTRP_XML.search(head[:5000]):
            return "ictrp_xml"
        if _ENDNOTE_XML.search(head[:5000]):
            return "endnote_xml"
        if _HTML.search(head[:5000]):
            return "html"
        return "xml"
    return None


def _ebsco_citations(text: str) -> bool:
    """Whether the text is EBSCOhost's detailed citations without the 'Record: 1' line that opens each record."""
    names = set(_EBSCO_NAMED.findall(text))
    return "Title" in names and bool(names & {"Authors", "Source"}) and len(names) > 2


def describe_content(head: str) -> str | None:
    """Words for what a file looks like, used when it is not what the user said it was."""
    kind = sniff_text(head)
    if kind == "html":
        return "a web page (HTML), for example a saved search page or a login page rather than the export"
    if kind == "xml":
        return "an XML file, but not an EndNote XML export"
    if kind == "proquest_text":
        return "ProQuest's text export (records parted by a line of underscores, fields 'Author: ', 'Abstract: ')"
    if kind == "pubmed_text":
        return "PubMed's text display (records numbered 1., 2., ... with a 'PMID:' line each)"
    if kind == "ovid_text":
        return "Ovid's text export (records numbered <1>, <2>, ... with a field name above each value)"
    if kind == "endnote_tagged":
        return "an EndNote tagged (.enw) file (fields tagged '%0 ', '%T ', '%A ')"
    if kind == "ebsco_text":
        return "EBSCOhost's tagged text export (fields tagged 'TI- ', 'AU- ', 'AB- ')"
    if kind == "ebsco_citations":
        return ("EBSCOhost's detailed citations as plain text ('Title:', 'Authors:', 'Source:'), with no 'Record: 1' "
                "lines")
    if kind == "cochrane_text":
        return "the Cochrane Library's plain-text export (records headed 'Record #1 of ...', fields 'ID: ', 'TI: ')"
    if kind == "ovid_tagged":
        return "Ovid's tagged export (records numbered <1. > or <1>, their fields tagged 'TI  - ', 'AB  - ')"
    if kind in FORMAT_NAMES:
        name = FORMAT_NAMES[kind]
        return ("an " if name[0] in "AEIOU" else "a ") + f"{name} file"
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    if first.count(",") or first.count("\t") or first.count(";"):
        return "a table (CSV or tab-separated)"
    if first:
        return "plain text"
    return None



def not_this_format(path, head: str, what: str, then: str) -> InputError:
    """'this is not <what>; it looks like <kind>. <then>': a file read as a format it is not, said with what it
    looks like (``describe_content``) and what to do."""
    looks = describe_content(head)
    return InputError(f"this is not {what}" + (f"; it looks like {looks}" if looks else "") + f". {then}", path=path)

def ovid_text_error(path, kind: str = "ovid_text") -> InputError:
    """The message for Ovid's text export, which has no reader: its fields are named by whatever
    display the searcher chose, and a value's lines cannot be told from the next field's name; and
    for its tagged export (``kind`` 'ovid_tagged'), which has none either: it starts with '<', and
    was taken for a damaged EndNote XML file."""
    what = ("Ovid's tagged export (records numbered <1. > or <1>, their fields tagged 'TI  - ', 'AB  - '), the "
            "format Ovid writes when 'EndNote', 'Citavi' or 'Reference Manager' is chosen," if kind == "ovid_tagged"
            else "Ovid's text export (records numbered <1>, <2>, ... with a field name above each value),")
    return InputError(
        f"this is {what} which screener does not read. In Ovid, select the records, choose Export, pick the "
        "format 'RIS' (with the fields 'Complete Reference', or 'Citation + Abstract'), and import the file it "
        "gives you.",
        path=path,
    )


def ebsco_citations_error(path) -> InputError:
    """The message for EBSCOhost's detailed citations without the 'Record: 1' line above each record (copied from
    the screen, or saved by another EBSCO interface): nothing says where a record ends, and with no real sample of
    such a file its fields cannot be told apart surely. It was a file screener 'cannot tell'."""
    return InputError(
        "this looks like EBSCOhost's detailed citations saved as plain text ('Title:', 'Authors:', 'Source:' "
        "fields) but without the 'Record: 1' line above each record, so screener cannot tell where one record ends "
        "and reads none of them. In EBSCOhost, select the records, choose Export, pick 'Direct Export in RIS "
        "Format', and import the file it gives you. Nothing was imported.",
        path=path,
    )


def proquest_text_error(path) -> InputError:
    """The message for ProQuest's 'TXT - Text only' save, which has no reader: a value's later paragraphs cannot be
    told surely from the next field. It was a file screener 'cannot tell', or read as a table of lines of text."""
    return InputError(
        "this is ProQuest's text export ('TXT - Text only'), which screener does not read. In ProQuest, select the "
        "records, choose Save (or '...'), pick the format 'RIS', and import the file it gives you.",
        path=path,
    )


def pubmed_text_error(path) -> InputError:
    """The message for PubMed's 'Abstract (text)' or 'Summary (text)' saved as a file: text laid out
    to be read, not fields; read as a table, its lines became records."""
    return InputError(
        "this is PubMed's text display (saved as 'Abstract (text)' or 'Summary (text)'), which screener does "
        "not read. In PubMed, select the records and use 'Send to > Citation manager' (a .nbib file), and "
        "import that file.",
        path=path,
    )


def _tabular_kind(head: str) -> str:
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    return "tsv" if first.count("\t") > max(first.count(","), first.count(";")) else "csv"


def detect_format(path, data: bytes | None = None) -> str:
    """The reader ``path`` needs (one of SUPPORTED_FORMATS); InputError if it cannot be told."""
    path = Path(path)
    if data is None:
        with open(path, "rb") as fh:
            data = fh.read(65536)
    head_bytes = data[:65536]
    ext = path.suffix.lower()
    if head_bytes.startswith(_ZIP):
        what = describe_zip(path)
        if what is not None:
            raise InputError(f"this file is {what}. screener reads {_READS} files.", path=path)
        return "xlsx"
    err = binary_message(head_bytes, path)
    if err is not None:
        raise err
    if head_bytes.startswith(_OLE):
        return "xls"  # the reader tells an old Word file (.doc), which starts alike, from a workbook
    if ext in (".pdf",) or head_bytes.startswith(b"%PDF"):
        raise InputError(
            "this is a PDF, not a search export. Export the records from the database as RIS, "
            "PubMed (.nbib), EndNote XML, CSV or Excel.",
            path=path,
        )
    from screener.io.encoding import decode_bytes, head_text

    try:
        head, _, _ = decode_bytes(head_bytes, path)
    except InputError:  # its reader says what is wrong (a UTF-16 file cut off, two encodings): told by its content
        head = head_text(head_bytes)
    head = head.replace("\r\n", "\n").replace("\r", "\n")
    kind = sniff_text(head)
    if kind in ("ovid_text", "ovid_tagged"):
        raise ovid_text_error(path, kind)
    if kind == "pubmed_text":
        raise pubmed_text_error(path)
    if kind == "proquest_text":
        raise proquest_text_error(path)
    if kind == "ebsco_citations":
        raise ebsco_citations_error(path)
    if kind == "html" and ext == ".xls" and re.search(r"<table[\s>]", head, re.I):
        raise InputError(
            "this .xls file is a web page holding a table (an HTML table that Excel opens as a sheet), not an Excel "
            "workbook. Open it in Excel or LibreOffice, save it as .xlsx or as CSV (UTF-8), and import that file.",
            path=path,
        )
    if kind == "html":
        raise InputError(
            f"this file is {describe_content(head)}. Download the export again from the database "
            "and import the file it gives you (RIS, PubMed .nbib, EndNote XML, CSV or Excel).",
            path=path,
        )
    if kind in SUPPORTED_FORMATS:
        return kind
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if kind == "xml":
        return "endnote_xml"  # the reader explains why it is not EndNote XML
    if "\x00" in head:
        raise InputError(
            "this does not look like a text export (it contains binary data). Export the records "
            "as RIS, PubMed (.nbib), EndNote XML, CSV or Excel.",
            path=path,
        )
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    if ext not in ("", ".txt", ".dat", ".xls") and not ext[1:].isdigit():  # '.xls' saved as text: a table
        # an extension screener does not read (.json, .docx, .pdf...): a comma in its first
        # line does not make it a table
        raise InputError(
            f"screener does not read {ext} files. It reads {_READS} files: export the records from the "
            "database (or reference manager) as one of those, or give --format if this file is one.",
            path=path,
        )
    if first.count(",") or first.count("\t") or first.count(";"):
        return _tabular_kind(head)
    raise InputError(
        "screener cannot tell what kind of export this is. Give the format with --format "
        f"({', '.join(SUPPORTED_FORMATS)}), or export the records again as RIS.",
        path=path,
    )
