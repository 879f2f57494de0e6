"""PubMed XML (``<PubmedArticleSet>``, from E-utilities efetch or PubMed's XML download).

Titles and abstracts may hold inline markup (``<i>``, ``<sup>``), so values are the joined text
of an element; structured abstracts keep their section labels.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

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
from screener.records import normalise_doi

_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>", re.S)
_ARTICLE_OPEN = re.compile(r"<Pubmed(?:Book)?Article[\s>]")


def _text(el) -> str | None:
    if el is None:
        return None
    return clean(" ".join("".join(el.itertext()).split()))


def _abstract(art) -> str | None:
    parts = []
    for el in art.findall(".//Abstract/AbstractText"):
        text = _text(el)
        if text:
            label = el.get("Label")
            parts.append(f"{label}: {text}" if label and label.upper() != "UNLABELLED" else text)
    return " ".join(parts) or None


def _authors(node) -> list[str]:
    out = []
    lists = node.findall(".//AuthorList")
    if node.tag == "BookDocument":
        # a book's record lists its editors (under Book) beside the chapter's or book's authors
        # (StatPearls: hundreds of editors); the authors are the record's, as PubMed's own FAU
        # lines give them, and the editors stand in only where a book names no authors
        authors = [al for al in lists if al.get("Type", "authors") == "authors"]
        lists = authors or lists
    for a in (a for al in lists for a in al.findall("Author")):
        last, fore = _text(a.find("LastName")), _text(a.find("ForeName")) or _text(a.find("Initials"))
        name = f"{last}, {fore}" if last and fore else last or _text(a.find("CollectiveName"))
        if name:
            out.append(name)
    return clean_all(out)


def _raw(el) -> dict:
    raw: dict = {}

    def walk(e, prefix):
        children = list(e)
        for k, v in e.attrib.items():
            raw[f"{prefix}@{k}"] = v
        if not children or e.tag in ("ArticleTitle", "AbstractText", "Title"):
            t = _text(e)
            if t:
                prev = raw.get(prefix)
                raw[prefix] = t if prev is None else (prev if isinstance(prev, list) else [prev]) + [t]
            return
        for c in children:
            walk(c, f"{prefix}/{c.tag}")

    for c in el:
        walk(c, c.tag)
    return raw


#: Where one download ends and another begins in a file of two joined end to end (a reviewer appending a second
#: PubMed download to the first): the first's closing tag, then the second's declaration, doctype or opening tag.
_NEXT_DOCUMENT = re.compile(r"</PubmedArticleSet>\s*(?=\ufeff?\s*(?:<\?xml\b|<!DOCTYPE\b|<PubmedArticleSet[\s>]))")


def _parse_document(text: str, start: int, path, whole: str):
    """The root element of the document in ``text`` (which begins at offset ``start`` of the file's ``whole``
    text), or an InputError naming the file's line."""
    def blank(m: re.Match) -> str:  # its line breaks kept, so that the parser's lines are the file's
        return "\n" * m.group(0).count("\n")

    body = _DECL.sub(blank, text.replace("\ufeff", "", 1).lstrip(" \t"), count=1)
    body = _DOCTYPE.sub(blank, body, count=1)
    try:
        return ET.fromstring(body)
    except ET.ParseError as err:
        line, _ = err.position
        raise InputError(
            "the PubMed XML is damaged on this line (the file may be cut off); download it again.",
            path=path, line=line + whole.count("\n", 0, start),
        ) from None


def read_pubmed_xml(text: str, path, *, source_db: str | None = None) -> tuple[list[dict], list]:
    # two downloads joined end to end are two documents: each is read, where XML allows one only (the second's
    # declaration was "damaged", the file refused)
    cuts = [0] + [m.end() for m in _NEXT_DOCUMENT.finditer(text)] + [len(text)]
    roots = [_parse_document(text[a:b], a, path, text) for a, b in zip(cuts, cuts[1:])]
    for root in roots:
        if root.tag != "PubmedArticleSet":
            raise InputError(
                f"this XML file is not a PubMed XML export (its top element is <{root.tag}>, not "
                "<PubmedArticleSet>). Give the right --format.", path=path,
            )
    articles = [a for root in roots for a in root if a.tag in ("PubmedArticle", "PubmedBookArticle")]
    if not articles:
        raise InputError("this PubMed XML file holds no articles.", path=path)
    starts = [text.count("\n", 0, m.start()) + 1 for m in _ARTICLE_OPEN.finditer(text)]
    if len(starts) != len(articles):
        starts = list(range(1, len(articles) + 1))
    records = []
    for n, (line, a) in enumerate(zip(starts, articles), 1):
        cit = a.find("MedlineCitation")
        book = a.find("BookDocument")
        node = cit if cit is not None else book
        if node is None:
            raise InputError(
                f"article {n} of the file (its <{a.tag}>) has neither <MedlineCitation> nor <BookDocument>, which "
                "every article of PubMed's XML holds: the file was edited or put together by another program. "
                "Download the records from PubMed again, or export them as a .nbib file ('Send to > Citation "
                "manager'), and import that file. Nothing was imported.",
                path=path, line=line)
        art = node.find("Article") if cit is not None else book
        issue = art.find("Journal/JournalIssue") if art is not None else None
        pmid = _text(node.find("PMID"))
        ids = {e.get("IdType"): _text(e) for e in a.findall("PubmedData/ArticleIdList/ArticleId")
               + a.findall("PubmedBookData/ArticleIdList/ArticleId")}
        doi = next((_text(e) for e in art.findall("ELocationID") if e.get("EIdType") == "doi"), None) \
            if art is not None else None
        date = None
        if issue is not None:
            date = first(_text(issue.find("PubDate/Year")), _text(issue.find("PubDate/MedlineDate")))
        if date is None and art is not None:
            date = first(_text(art.find("ArticleDate/Year")), _text(node.find("DateCompleted/Year")),
                         _text(art.find("PubDate/Year")), _text(art.find("Book/PubDate/Year")),
                         _text(art.find("Book/PubDate/MedlineDate")))
        keywords = [t for t in (_text(e) for e in node.findall(".//MeshHeading/DescriptorName")) if t]
        keywords += [t for t in (_text(e) for e in node.findall(".//KeywordList/Keyword")) if t]
        records.append(make_record(
            title=clean_title(first(_text(art.find("ArticleTitle")) if art is not None else None,
                                    _text(node.find("BookTitle")), _text(node.find("Book/BookTitle")),
                                    _text(art.find("VernacularTitle")) if art is not None else None)),
            abstract=_abstract(node),
            authors=_authors(art if art is not None else node),
            year=extract_year(date),
            journal=clean_title(first(_text(art.find("Journal/Title")) if art is not None else None,
                                      _text(art.find("Journal/ISOAbbreviation")) if art is not None else None)),
            volume=_text(issue.find("Volume")) if issue is not None else None,
            issue=_text(issue.find("Issue")) if issue is not None else None,
            pages=first(_text(art.find("Pagination/MedlinePgn")) if art is not None else None,
                        _text(art.find("Pagination/StartPage")) if art is not None else None),
            doi=normalise_doi(first(doi, ids.get("doi"))),
            pmid=pmid if pmid and pmid.isdigit() else None,
            keywords=dedupe(keywords),
            # a book's publication types stand directly under BookDocument
            type=pubmed_type([_text(e) for e in node.findall(".//PublicationTypeList/PublicationType")]
                             + [_text(e) for e in node.findall("PublicationType")]),
            source_db=source_db or "PubMed",
            source_file=source_name(path),
            source_line=line,
            source_id=pmid,
            raw=_raw(a),
        ))
    return records, [None] * len(records)
