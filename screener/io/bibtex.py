"""BibTeX (.bib), as Web of Science, ProQuest, Scopus, Zotero and JabRef export it.

Parsed with bibtexparser 2 (LaTeX accents decoded, authors split on " and "). An entry the
parser cannot read stops the import with its line, so no record is dropped unseen.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from screener.errors import InputError
from screener.io.common import (
    clean,
    clean_pmid,
    clean_title,
    dedupe,
    doi_from_url,
    extract_year,
    first,
    make_record,
    source_name,
    split_terms,
)
from screener.io.label_values import parse_label
from screener.records import normalise_doi

_LABEL_FIELDS = ("screening_decision", "decision")


def _fields(entry) -> dict:
    return {f.key.lower(): f.value for f in entry.fields}


def _authors(value) -> list[str]:
    if isinstance(value, list):
        return dedupe(value)
    text = clean(value)
    return dedupe(text.split(" and ")) if text else []


def _keywords(value) -> list[str]:
    if isinstance(value, list):
        return dedupe(value)
    text = clean(value)
    if not text:
        return []
    return split_terms(text) if ";" in text else dedupe(text.split(","))


def read_bibtex(text: str, path, *, source_db: str | None = None) -> tuple[list[dict], list]:
    import bibtexparser
    from bibtexparser import middlewares

    bib_logger = logging.getLogger("bibtexparser")
    level = bib_logger.level
    bib_logger.setLevel(logging.CRITICAL)  # its own warnings are replaced by the message below
    # In a field, '%' and '&' are text ("45% of men", "Drug & Alcohol Dependence"; Scopus writes
    # them bare): escaped, so that the LaTeX decoding reads them as the characters and not as a
    # comment (which cut the title and abstract at the '%') or a table column
    text = re.sub(r"(?<!\\)([%&])", r"\\\1", text)
    try:
        library = bibtexparser.parse_string(
            text, append_middleware=[middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()])
    finally:
        bib_logger.setLevel(level)
    if library.failed_blocks:
        bad = library.failed_blocks[0]
        more = f" ({len(library.failed_blocks) - 1} more entries are damaged too)" if len(library.failed_blocks) > 1 else ""
        what = " ".join(str(getattr(bad, "error", "") or "").split())[:160]
        raise InputError(
            f"the BibTeX entry starting on this line cannot be read{more}: {what or 'a brace or quote is not closed'}. "
            "Fix the entry (often an unclosed '{' or a missing comma), or export the file again.",
            path=path,
            line=int(bad.start_line) + 1,
        )
    if not library.entries:
        from screener.io.detect import describe_content

        looks = describe_content(text[:65536])
        raise InputError(
            "this BibTeX file holds no entries (no '@article{...}' or similar)"
            + (f"; it looks like {looks}" if looks and "BibTeX" not in looks else "")
            + ". Export the records again as BibTeX, or give the right --format.",
            path=path,
        )
    stem = Path(str(path)).stem
    records, labels = [], []
    for entry in library.entries:
        f = _fields(entry)
        line = int(entry.start_line) + 1
        url = clean(f.get("url"))
        records.append(make_record(
            title=clean_title(first(f.get("title"), f.get("booktitle"))),
            abstract=clean(f.get("abstract")),
            authors=_authors(f.get("author") or f.get("editor")),
            year=extract_year(first(f.get("year"), f.get("date"))),
            journal=clean_title(first(f.get("journal"), f.get("journaltitle"), f.get("booktitle")
                                      if f.get("title") else None, f.get("series"))),
            volume=clean(f.get("volume")),
            issue=clean(first(f.get("number"), f.get("issue"))),
            pages=clean(first(f.get("pages"), f.get("eid"))),
            doi=normalise_doi(clean(f.get("doi"))) or doi_from_url(url),
            pmid=clean_pmid(first(f.get("pmid"), f.get("pubmed"))),
            keywords=_keywords(first(f.get("keywords"), f.get("keyword"))),
            type=entry.entry_type.lower(),
            source_db=source_db or clean(first(f.get("source"), f.get("database"))) or stem,
            source_file=source_name(path),
            source_line=line,
            source_id=entry.key,
            raw={"ENTRYTYPE": entry.entry_type, "ID": entry.key,
                 **{k: v if isinstance(v, (str, list)) else str(v) for k, v in f.items()}},
        ))
        label = next((f[k] for k in _LABEL_FIELDS if clean(f.get(k))), None)
        labels.append(parse_label(label, path=path, line=line, column="decision") if label else None)
    return records, labels
