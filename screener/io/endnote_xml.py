"""EndNote XML (File > Export > XML): ``<xml><records><record>...``.

Every text value sits in one or more ``<style>`` runs (a title with an italic species name has
several), so values are the joined text of an element, never its first child.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from screener.errors import InputError
from screener.io.common import (
    clean,
    clean_title,
    clean_all,
    dedupe,
    doi_from_url,
    first,
    first_year,
    make_record,
    pmid_from_url,
    source_name,
)
from screener.io.label_values import parse_label
from screener.records import counted, noun, normalise_doi

_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_RECORD_OPEN = re.compile(r"<record[\s>]")
_MEDLINE_WORDS = re.compile(r"pubmed|medline|\bnlm\b", re.I)


def _text(el) -> str | None:
    """An element's text, its style runs joined; EndNote writes a paragraph break as '&#xD;' (a carriage
    return), which is a line break here: kept, it glued the paragraphs together on the terminal screen
    ('paragraph.Methods:') and came back from screener's CSV export as a stray return inside a cell."""
    if el is None:
        return None
    text = "".join(el.itertext())
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return clean(text)


def _texts(parent, path: str) -> list[str]:
    return [t for t in (_text(e) for e in parent.findall(path)) if t]


def _raw(record) -> dict:
    """Every leaf value by its path ('titles/title'), repeated ones as lists; JSON-friendly."""
    raw: dict = {}

    def walk(el, prefix):
        children = [c for c in el if c.tag != "style"]
        for name, value in el.attrib.items():
            raw[f"{prefix}@{name}"] = value
        if not children:
            text = _text(el)
            if text is not None:
                if prefix in raw:
                    prev = raw[prefix]
                    raw[prefix] = (prev if isinstance(prev, list) else [prev]) + [text]
                else:
                    raw[prefix] = text
            return
        for c in children:
            walk(c, f"{prefix}/{c.tag}" if prefix else c.tag)

    for child in record:
        walk(child, child.tag)
    return raw


def _label_from_notes(notes: str | None, path, line) -> str | None:
    from screener.io.ris import DECISION_NOTE

    for note in (notes or "").splitlines():
        note = note.strip()
        if note.startswith(DECISION_NOTE):
            return parse_label(note[len(DECISION_NOTE):], path=path, line=line, column="notes")
    return None


#: Characters XML 1.0 does not allow, raw or as a character reference (tab, LF and CR are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:x0*(?:[0-8bcef]|1[0-9a-f])|0*(?:[0-8]|1[1-24-9]|2[0-9]|3[01]));",
                      re.I)


def _without_control_characters(text: str) -> tuple[str, list[int]]:
    """``text`` with each control character XML forbids made a space, and the lines they were on
    (EndNote exports them from text pasted out of PDFs; the parser refused the whole file)."""
    if not _CONTROL.search(text):
        return text, []
    lines = [text.count("\n", 0, m.start()) + 1 for m in _CONTROL.finditer(text)]
    return _CONTROL.sub(" ", text), lines


#: Where one export ends and another begins in a file of two joined end to end: the first's closing tag, then the
#: second's declaration or opening tag
_NEXT_DOCUMENT = re.compile(r"</(xml|records)>\s*(?=\ufeff?\s*(?:<\?xml\b|<xml>|<records>))")


def _parse_document(text: str, start: int, path, whole: str):
    """The root element of the document in ``text`` (at offset ``start`` of the file's ``whole`` text), or an
    InputError naming the file's line."""
    body = _DECL.sub("", text.replace("\ufeff", "", 1).lstrip(" \t"), count=1)  # may name an encoding applied
    try:
        return ET.fromstring(body)
    except ET.ParseError as err:
        line, col = err.position
        raise InputError(
            f"the EndNote XML is damaged near column {col} of this line ({_plain(err)}). The "
            "file may be cut off or edited by hand; export it again from EndNote "
            "(File > Export, 'XML').",
            path=path,
            line=line + whole.count("\n", 0, start + len(text) - len(body)),
        ) from None


def read_endnote_xml(text: str, path, *, source_db: str | None = None,
                     warnings: list[str] | None = None) -> tuple[list[dict], list]:
    if not text.lstrip().startswith("<"):
        from screener.io.detect import describe_content

        looks = describe_content(text[:65536]) or "plain text"
        raise InputError(
            f"this is not an EndNote XML file; it looks like {looks}. In EndNote use File > Export "
            "and choose 'XML', or give the right --format.",
            path=path,
        )
    text, cleaned = _without_control_characters(text)
    on = sorted(set(cleaned))
    if cleaned and warnings is not None:
        warnings.append(
            f"{source_name(path)}: {counted(len(cleaned), 'control character')} that XML does not allow (text pasted "
            f"from a PDF, as EndNote sometimes exports it) "
            f"{noun(len(cleaned), 'was read as a space', 'were read as spaces')}, "
            f"on {noun(len(on), 'line')} {', '.join(map(str, on[:10]))}"
            + (f" and {len(on) - 10} more" if len(on) > 10 else "") + ".")
    # two exports joined end to end (a second appended to the first) are two documents: each is read, where XML
    # allows one only (the second's declaration was "damaged", and exporting again could not mend it)
    cuts = [0] + [m.end() for m in _NEXT_DOCUMENT.finditer(text)] + [len(text)]
    elements = []
    for a, b in zip(cuts, cuts[1:]):
        root = _parse_document(text[a:b], a, path, text)
        container = root if root.tag == "records" else root.find("records")
        if root.tag not in ("xml", "records") or container is None:
            raise InputError(
                f"this XML file is not an EndNote XML export (its top element is <{root.tag}>, not "
                "<xml><records>). In EndNote use File > Export and choose 'XML', or export RIS instead.",
                path=path,
            )
        elements += container.findall("record")
    if not elements:
        raise InputError("this EndNote XML export holds no records.", path=path)
    offset = len(text) - len(_DECL.sub("", text, count=1))
    starts = [text.count("\n", 0, m.start()) + 1 for m in _RECORD_OPEN.finditer(text, offset)]
    if len(starts) != len(elements):  # e.g. '<record' inside a CDATA note; fall back to order
        starts = list(range(1, len(elements) + 1))
    from screener.io.ris import (_article_number, _as_register_entry, _ebsco_database, _ovid_code, _pmid,
                                 _register_entry, _source_db)

    records, labels = [], []
    for line, rec in zip(starts, elements, strict=True):
        raw = _raw(rec)
        urls = _texts(rec, "urls//url")
        remote = " ".join(_texts(rec, "remote-database-name") + _texts(rec, "remote-database-provider"))
        accession = _text(rec.find("accession-num"))
        pmid = next((p for p in (pmid_from_url(u) for u in urls) if p), None)
        # EBSCOhost names its MEDLINE by a code ('mdc', 'cmedm'), its accession number being the PMID
        named, provider = first(_texts(rec, "remote-database-name")), first(_texts(rec, "remote-database-provider"))
        medline = bool(_MEDLINE_WORDS.search(remote)) or _ebsco_database(named, provider, urls) == "MEDLINE"
        # ProQuest's accession number is its own document id, whatever databases it names ('MEDLINE®; ...')
        medline = medline and "proquest" not in remote.lower() and not any("proquest.com/docview/" in u.lower()
                                                                           for u in urls)
        if not pmid and accession and accession.isdigit() and len(accession) <= 8 and medline:
            pmid = accession
        notes = _text(rec.find("notes"))
        if not pmid:  # a CINAHL or Embase record kept in EndNote as its RIS gave it (N1 as notes, C5 as custom5)
            pmid = _pmid({"DB": remote, "N1": (notes or "").splitlines(), "C5": _text(rec.find("custom5"))}, None, [])
        doi = normalise_doi(_text(rec.find("electronic-resource-num")))
        if not doi:
            doi = next((d for d in (doi_from_url(u) for u in urls) if d), None)
        ref_type = rec.find("ref-type")
        record = make_record(
            title=clean_title(first(_text(rec.find("titles/title")), _text(rec.find("titles/short-title")))),
            abstract=_text(rec.find("abstract")),
            authors=clean_all(_texts(rec, "contributors/authors/author")),
            year=first_year(_text(rec.find("dates/year")), _text(rec.find("dates/pub-dates/date"))),
            journal=clean_title(
                first(
                    _text(rec.find("titles/secondary-title")),
                    _text(rec.find("periodical/full-title")),
                    _text(rec.find("alt-periodical/full-title")),
                    _text(rec.find("periodical/abbr-1")),
                )
            ),
            volume=_text(rec.find("volume")),
            issue=first(_text(rec.find("number")), _text(rec.find("issue"))),
            # an online journal's article number (EndNote's 'Article Number', custom7) where it has no pages
            pages=_text(rec.find("pages")) or _article_number(
                {"TY": "JOUR" if _text(ref_type) in ("17", "43") else "", "C7": _text(rec.find("custom7"))}),
            doi=doi,
            pmid=pmid,
            keywords=dedupe(_texts(rec, "keywords/keyword")),
            type=_type(ref_type, _text(rec.find("work-type"))),
            # named as the RIS reader names a record: an EBSCOhost one by its database's name, not its code
            # ('rzh'); one that names no database by its links (Ovid, the Cochrane Library) or its Web of
            # Science accession number ('WOS:...'), not after the file, where every such record of a library
            # was counted in PRISMA as one database
            source_db=source_db or _source_db({"DB": named, "DP": provider, "AN": accession}, _ovid_code(urls),
                                              Path(str(path)).stem, urls),
            source_file=source_name(path),
            source_line=line,
            source_id=_text(rec.find("rec-number")),
            raw=raw,
        )
        # CENTRAL's copy of a register's entry (its trial id the author, its register page the journal; Ovid's
        # scientific title the secondary title), read as the RIS it came from reads (with no periodical beside it,
        # the secondary title is the journal there too: an article whose group author is its trial's number stays one)
        entry = _register_entry({"AU": record["authors"], "T2": _texts(rec, "titles/secondary-title"),
                                 "JF": _texts(rec, "periodical/full-title"), "JA": _texts(rec, "periodical/abbr-1"),
                                 "J2": _texts(rec, "alt-periodical/full-title")}, urls)
        records.append(_as_register_entry(record, *entry) if entry else record)
        labels.append(_label_from_notes(notes, path, line))
    return records, labels


def _type(ref_type, work_type: str | None) -> str | None:
    """The reference type ("Journal Article"), or the Type of Work where it says the record is a notice, letter or
    comment: a PubMed record kept in EndNote has its publication types there ("Journal Article; Published
    Erratum"), and de-duplication reads the type to keep an erratum under the article's own title apart from it."""
    from screener.io.ris import notice_document_type

    if notice_document_type(work_type):
        return work_type
    number = _text(ref_type)
    return (ref_type.get("name") if ref_type is not None else None) or _REF_TYPES.get(number or "") or number


#: EndNote's reference types by their numbers, for files that write the number alone ('<ref-type>5</ref-type>', as
#: Papers does): de-duplication reads a book, a chapter, a thesis, a paper, a preprint, a dataset or a news item by its
#: type's name
_REF_TYPES = {"2": "Artwork", "3": "Audiovisual Material", "5": "Book Section", "6": "Book", "7": "Case",
              "10": "Conference Proceedings", "12": "Web Page", "13": "Generic", "17": "Journal Article",
              "19": "Magazine Article", "20": "Map", "23": "Newspaper Article", "27": "Report", "28": "Edited Book",
              "32": "Thesis", "34": "Unpublished Work", "36": "Manuscript", "43": "Electronic Article",
              "44": "Electronic Book", "46": "Government Document", "47": "Conference Paper", "54": "Grant",
              "59": "Dataset", "60": "Electronic Book Section"}


def _plain(err: ET.ParseError) -> str:
    msg = str(err)
    return re.sub(r":\s*line \d+, column \d+$", "", msg)
