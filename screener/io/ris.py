"""RIS as PubMed, Ovid, EBSCOhost, ProQuest, Scopus, Web of Science, EndNote and Zotero write it.

The tag-by-tag reading is rispy's (``rispy.RisParser``). rispy silently drops a record that has
no ``TY`` line or no final ``ER`` line, and cannot say where a record starts, so the line loop is
overridden here: it tracks line numbers, refuses broken records with the line to look at, files
the common lines itself (as rispy would, without its per-line calls) and keeps the original
tags (not rispy's long names) so ``raw`` shows what the database wrote.

Each database puts the same fact under different tags; the choices below follow the exports in
``shared/fixtures`` (Ovid writes ``T1``/``N2``/``Y1``/``JF``, Scopus puts the PubMed id in
``C2``, EndNote's PubMed imports put it in ``AN`` with ``DP  - NLM``, Ovid's in ``ID``).

Tags are upper case in RIS, but some hand-made or converted files write ``ty  - JOUR``; rispy
takes such a line for more text of the line before (an abstract filed under the authors), so
tags are read whatever their case.
"""

from __future__ import annotations

import html
import re

import rispy
from rispy.config import LIST_TYPE_TAGS, TAG_KEY_MAPPING

from screener.dedup import _REGISTRY_ID
from screener.errors import InputError
from screener.gc_pause import gc_paused
from screener.io.common import (
    REGISTRY_RECORD,
    _surname_initials,
    as_list,
    clean,
    clean_title,
    clean_all,
    dedupe,
    doi_from_url,
    file_source,
    first,
    first_year,
    make_record,
    pmid_from_url,
    source_name,
)
from screener.io.endnote_tagged import ENW_FIELD, ENW_START, joined_formats_error, starts_record
from screener.io.label_values import parse_label
from screener.records import _CENTRAL_ENTRY, counted, normalise_doi

#: Notes screener writes into exported RIS (``N1``) and reads back as labels. Reference managers
#: import N1 as a note (EndNote "Notes", Zotero child note), so the decision stays visible there.
DECISION_NOTE = "Screening decision (screener): "
DECISION_COMMENT_NOTE = "Screening note (screener): "
DUPLICATE_NOTE = "Duplicate group (screener): "
DECIDED_BY_NOTE = "Decided by (screener): "
FULL_TEXT_NOTE = "Full-text decision (screener): "
FULL_TEXT_DECIDED_BY_NOTE = "Full-text decided by (screener): "
FULL_TEXT_COMMENT_NOTE = "Full-text note (screener): "
DECISION_REASON_NOTE = "Screening reason (screener): "
FULL_TEXT_REASON_NOTE = "Full-text reason (screener): "
#: The file a record was imported from in the review it was exported from (the table exports' 'source_file'): the
#: source PRISMA counted it under there, which the database tag (ProQuest's sub-databases in DB) is not
SOURCE_FILE_NOTE = "Source file (screener): "
#: A study a copy of which is titled as retracted (the table exports' 'retracted' column): that copy may not be
#: exported with it
RETRACTED_NOTE = "Retracted (screener): "
#: A title/abstract exclude given to the records left unread when screening stopped (``store.base.REST_EXCLUDED``):
#: the export's ``excluded_unread`` column, or this RIS note, says so, so that a project it is imported or labelled
#: into counts them as excluded unscreened, not as screened
UNREAD_NOTE = "Excluded unread (screener): "
UNREAD_COLUMN = "excluded_unread"
UNREAD_CELL = "yes: excluded with the records left at the stop, without being read (not screened)"


def unread_where(table: bool) -> str:
    """Where an export says its excludes were given unread: a table's column, an RIS file's (or a library's
    built from it) notes; an RIS file has no column to look for."""
    return f"its {UNREAD_COLUMN} column" if table else "its 'Excluded unread' notes"


def screener_notes(record: dict, prefix: str) -> list[str]:
    """The texts of a read record's notes that screener's RIS export wrote with ``prefix``: RIS
    N1 lines, or the lines of an EndNote XML record's one notes field (a library built from the
    export)."""
    raw = record.get("raw") or {}
    notes = raw.get("N1")
    notes = notes if isinstance(notes, list) else [] if notes is None else [notes]
    if isinstance(raw.get("notes"), str):
        notes = notes + raw["notes"].splitlines()
    notes = [plain_note(n) for n in notes if isinstance(n, str)]
    return [n[len(prefix):].strip() for n in notes if n.startswith(prefix)]


#: The notes screener's RIS export writes: a record with one is of that export
_SCREENER_NOTES = (DECISION_NOTE, DECISION_COMMENT_NOTE, DUPLICATE_NOTE, DECIDED_BY_NOTE, FULL_TEXT_NOTE,
                   FULL_TEXT_DECIDED_BY_NOTE, FULL_TEXT_COMMENT_NOTE, DECISION_REASON_NOTE, FULL_TEXT_REASON_NOTE,
                   SOURCE_FILE_NOTE, RETRACTED_NOTE, UNREAD_NOTE)


def _screeners_export(tags: dict) -> bool:
    """Whether a record's RIS tags are screener's export of it (its notes): its ID is then a project's record id."""
    return any(plain_note(n).startswith(_SCREENER_NOTES) for n in _values(tags, "N1"))


def says_excluded_unread(record: dict) -> bool:
    """Whether a read record of screener's export says its exclude was given unread at the stop (its
    ``excluded_unread`` cell, or RIS note, saying yes); a blank cell, 'no', or a file without them: read."""
    cell = (record.get("raw") or {}).get(UNREAD_COLUMN)
    texts = [cell] if isinstance(cell, str) else []
    texts += screener_notes(record, UNREAD_NOTE)
    return any(re.match(r"\s*(yes|y|true|1|x)\b", t, re.I) for t in texts)


_HTML_TAG = re.compile(r"<[^>]*>")


def plain_note(note: str) -> str:
    """A note as screener wrote it: Zotero keeps each RIS note as HTML and exports it so
    ('<p>Screening decision (screener): include</p>'), its characters escaped ('&amp;')."""
    note = note.strip()
    if note.startswith("<"):
        note = html.unescape(_HTML_TAG.sub(" ", note)).strip()
    return note

_URL_TAGS = ("UR", "L1", "L2", "L3", "L4", "LK")
_NOTE_TAGS = ("N1", "M1", "M2", "M3", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "AN", "ID")
_WHOLE_DOI = re.compile(r"(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+", re.I)
_PMID_NOTE = re.compile(r"(?:PMID:?\s*(?:NLM)?|NLM)(\d{1,8})", re.I)
#: EBSCOhost's notes (CINAHL, and its other databases): 'Label: value.' one after another
_EBSCO_NOTE = re.compile(r"(?:Accession Number|Language|Publication Type|Entry Date): ")
_EBSCO_PMID = re.compile(r"(?:^|\.\s)PMID:\s*(?:NLM)?(\d{1,8})(?:\.|\s*$)")
_DIGITS = re.compile(r"\d{1,8}")
_OVID_DB = re.compile(r"ovid\w*\.com/.*?[?&]D=([A-Za-z0-9]+)")
_OVID_NAMES = (
    (re.compile(r"^(med|prem|mesz|mesx|ovftm)"), "Ovid MEDLINE"),
    (re.compile(r"^psyc"), "APA PsycInfo (Ovid)"),
    (re.compile(r"^cctr"), "Cochrane CENTRAL (Ovid)"),
    (re.compile(r"^(coch|cdsr)"), "Cochrane Database of Systematic Reviews (Ovid)"),
    (re.compile(r"^(emed|emez|emba|oemez|embase)"), "Embase (Ovid)"),
)
_MEDLINE_WORDS = re.compile(r"pubmed|medline|\bnlm\b", re.I)
_TAG_SINGLE_SPACE = re.compile(r"^([A-Za-z][A-Za-z0-9]) - ?")
_LETTERS = re.compile(r"[A-Za-z][A-Za-z0-9]")  # what a tag in any case is made of
_UNKNOWN = "__unknown_tags"
_ABSENT = object()


#: Document types that make a record a notice about an article, as databases write them in ``M3``: Scopus's and
#: Embase's "Erratum", the "Type of Work" of an EndNote library ("Published Erratum", "Retraction of Publication");
#: and a piece about an article, which may carry its title: Scopus's "Letter", "Editorial" and "Note", PubMed's
#: "Comment". Other exports write other things there (PsycInfo its classification, some a DOI), so only these whole
#: names count.
_NOTICE_DOCUMENT_TYPES = frozenset({
    "erratum", "errata", "published erratum", "correction", "corrigendum", "erratum/correction", "retraction",
    "retraction notice", "retraction of publication", "expression of concern", "editorial expression of concern",
    "letter", "editorial", "note", "editorial material", "letter to the editor", "comment"})


def notice_document_type(value) -> bool:
    """Whether a document type ("Erratum", "Journal Article; Published Erratum", "Letter") names a notice about an
    article or a letter, editorial or note (de-duplication reads each)."""
    return isinstance(value, str) and any(p.strip().lower() in _NOTICE_DOCUMENT_TYPES for p in value.split(";"))


_TITLE_TAGS = frozenset({"TI", "T1"})
_ABSTRACT_TAGS = frozenset({"AB", "N2"})


def _second_title(path, lineno: int, start: int, first: str) -> InputError:
    """Another title after the record's abstract: two records read as one, their ER and TY lines
    lost (a hand edit, two files pasted together). Read on, the second study's title would be
    dropped and its abstract joined to the first's."""
    shown = first if len(first) <= 60 else first[:57] + "..."
    return InputError(
        f"this line gives the record that starts on line {start} ('{shown}') a second title, after its "
        "abstract: it looks like the start of another record whose 'TY  - ' line, and the 'ER  - ' line "
        "ending the record before it, are missing. Add them (or export the records again from the "
        "database) and import the file again. Nothing was imported.",
        path=path,
        line=lineno,
    )


def _text_on_end_line(path, lineno: int, text: str, again: int | None, start: int) -> InputError:
    """An 'ER' line holding text (a mistyped tag, a hand edit): the text would be lost with it, and a second 'ER'
    after it (``again``) read as a record without its 'TY' line."""
    shown = text if len(text) <= 60 else text[:57] + "..."
    then = f", and the 'ER  - ' on line {again} ends it again" if again else ""
    fix = "remove one of the two 'ER' lines, " if again else ""
    return InputError(
        f"this line ends the record that starts on line {start} but holds text ('{shown}'){then}. An 'ER' line "
        f"holds nothing, so the text would be lost: give it its own tag (or remove it), {fix}and import the file "
        "again. Nothing was imported.",
        path=path,
        line=lineno,
    )


class _TrackingParser(rispy.RisParser):
    """rispy's tag reading, with original tags kept, line numbers, and broken records refused."""

    # Tags map to themselves; rispy files tags it does not know under the unknown bucket, whose
    # name must not be a real tag (RIS has a real "UK" tag in some exports).
    UNKNOWN_TAG = "__"
    DEFAULT_MAPPING = {**{tag: tag for tag in TAG_KEY_MAPPING if tag != "UK"}, "__": _UNKNOWN}
    DEFAULT_LIST_TAGS = LIST_TYPE_TAGS

    def __init__(self, path):
        # Repeated single-value tags (two SN, two DO) become lists instead of losing all but one.
        super().__init__(enforce_list_tags=False)
        self.path = path

    def _add_single_value(self, record, name, value, is_multi=False):
        # rispy cannot continue a wrapped line of a tag that already repeated (it would join a
        # list to a string); the continuation belongs to the last value.
        if is_multi and isinstance(record.get(name), list):
            record[name][-1] = f"{record[name][-1]} {value}"
            return
        super()._add_single_value(record, name, value, is_multi=is_multi)

    def parse_lines(self, lines) -> list[tuple[int, dict]]:  # type: ignore[override]
        """Parse a list of lines; the list is emptied (set to None) as it is read, to save memory."""
        out: list[tuple[int, dict]] = []
        record: dict | None = None
        start = 0
        last_tag: str | None = None
        # Tagged lines between an ER and the next TY. Ovid PsycInfo writes the journal
        # abbreviation ('NL  - AIDS Behav') after ER: those belong to the record before. Tagged
        # lines that end with an ER of their own are a record whose TY line is missing.
        pending: list[tuple[int, str, str]] = []
        ended: tuple[int, str] | None = None  # the last ER line, where it held text ('ER  - 1240'), and the text
        # A 100 MB export has a million lines, so the common cases skip rispy's per-line method
        # calls and give the same result: a tag's first value is stored as it is, a repeated tag
        # becomes a list, a list tag's values are appended, and a wrapped line extends the last
        # value. Delimited tags (UR) and tags rispy does not know go through rispy's methods.
        # the tag a line's first two characters are (rispy's parse_line decides it), in upper case
        # ('ti' is 'TI'), or None: text
        tag_of: dict[str, str | None] = {}
        single = {t: n for t, n in self.mapping.items() if t not in self.delimiter_map and t not in self.list_tags}
        listed = {t: n for t, n in self.mapping.items() if t not in self.delimiter_map and t in self.list_tags}
        ignore, mapping = set(self.ignore), self.mapping
        START, END = self.START_TAG, self.END_TAG
        for lineno, line in enumerate(lines, 1):
            lines[lineno - 1] = None  # values are copies; let each line go once read
            if line[2:5] == "  -":
                tag = tag_of.get(line[:2], _ABSENT)
                if tag is _ABSENT:
                    two = line[:2]
                    upper = two.upper() if _LETTERS.fullmatch(two) else two
                    tag = tag_of[two] = self.parse_line(upper + line[2:])[0]
                if tag is not None:
                    content = line[5:].strip()  # "TI  - x", or "TI  -x" (no space after the dash)
                else:
                    tag, content = None, line.strip()
            else:
                tag, content = None, line.strip()
            if record is None:
                if tag is None:
                    if content[:1] == "%" and ENW_START.match(content) and starts_record(lines, lineno, ENW_FIELD):
                        raise joined_formats_error(self.path, lineno, "EndNote tagged (.enw)", "RIS")
                    continue  # text between records, e.g. Ovid's "1." and "Link to ..." lines
                if tag == START:
                    if ended:
                        raise _text_on_end_line(self.path, *ended, None, out[-1][0])
                    self._attach(out, pending)
                    record = {START: content}
                    start, last_tag, ended = lineno, None, None
                    continue
                if tag == END:
                    if ended and not pending:
                        raise _text_on_end_line(self.path, *ended, lineno, out[-1][0])
                    first_line = pending[0][0] if pending else lineno
                    raise InputError(
                        f"the record on lines {first_line}-{lineno} has no first line 'TY  - ' (it ends "
                        "with 'ER  -' but never starts). The export may have been cut or edited; "
                        "export the records again from the database, or add 'TY  - JOUR' above it.",
                        path=self.path,
                        line=first_line,
                    )
                pending.append((lineno, tag, content))
                continue
            if tag is None:
                if not content:
                    continue
                if last_tag is None:
                    record.setdefault("_untagged", []).append(content)
                elif last_tag not in mapping:
                    # a wrapped line of a tag rispy does not know: continue its last value
                    values = record[_UNKNOWN][last_tag]
                    values[-1] = f"{values[-1]} {content}"
                else:
                    name = single.get(last_tag)
                    value = record.get(name) if name is not None else None
                    if type(value) is str:
                        record[name] = f"{value} {content}"
                    elif type(value) is list and value:
                        value[-1] = f"{value[-1]} {content}"
                    else:
                        name = listed.get(last_tag)
                        value = record.get(name) if name is not None else None
                        if type(value) is list:
                            value.append(content)
                        else:
                            self._add_tag(record, last_tag, content, extend_multiline=True)
                continue
            if tag == START:
                raise InputError(
                    f"the record that starts on line {start} has no end line ('ER  -') before the "
                    "next record begins here. The export may be damaged or two files joined "
                    "badly; export the records again, or add 'ER  - ' at the end of that record.",
                    path=self.path,
                    line=lineno,
                )
            if tag == END:
                out.append((start, record))
                record, ended = None, (lineno, content) if content else None
                continue
            if tag in ignore:
                continue
            last_tag = tag
            name = single.get(tag)
            if name is not None:
                value = record.get(name, _ABSENT)
                if value is _ABSENT:
                    record[name] = content
                    continue
                if type(value) is str:  # a repeated single-value tag becomes a list
                    if tag in _TITLE_TAGS and content != value and (_ABSTRACT_TAGS & record.keys()):
                        raise _second_title(self.path, lineno, start, value)
                    record[name] = [value, content]
                    continue
            else:
                name = listed.get(tag)
                value = record.get(name, _ABSENT) if name is not None else None
                if value is _ABSENT:
                    record[name] = [content]
                    continue
            if type(value) is list:
                value.append(content)
                continue
            self._add_tag(record, tag, content)
        if record is not None:
            raise InputError(
                "the last record, which starts on this line, has no end line ('ER  -'): the file "
                "looks cut off. Export the records again from the database (the download may not "
                "have finished), or add 'ER  - ' after the last record if it is complete.",
                path=self.path,
                line=start,
            )
        if ended:
            raise _text_on_end_line(self.path, *ended, None, out[-1][0])
        self._attach(out, pending)
        return [(line, _flatten(rec)) for line, rec in out]

    def _attach(self, out, pending) -> None:
        """Give tagged lines found after an ER to the record that ER closed."""
        if not pending:
            return
        if not out:
            raise InputError(
                f"the field '{pending[0][1]}' appears before the first record, outside any record "
                "(records start with 'TY  - '). The export may have been cut at the start; export "
                "the records again from the database.",
                path=self.path,
                line=pending[0][0],
            )
        for _, tag, content in pending:
            if tag not in self.ignore:
                self._add_tag(out[-1][1], tag, content)
        pending.clear()


def _flatten(record: dict) -> dict:
    """Original tags as keys; tags rispy does not know are kept beside the known ones."""
    unknown = record.pop(_UNKNOWN, None)
    if unknown:
        for tag, values in unknown.items():
            if tag in record:  # defensive: never overwrite a known tag
                record[tag] = as_list(record[tag]) + list(values)
            else:
                record[tag] = values[0] if len(values) == 1 else list(values)
    return record


def parse_ris_text(lines: list[str], path) -> list[tuple[int, dict]]:
    """``(start_line, tags)`` per record; raises InputError for anything that is not sound RIS."""
    if any(line.startswith("\ufeff") for line in lines[1:]):  # exports joined with 'copy /b': a mark per file
        lines = [line.lstrip("\ufeff") for line in lines]
    if any(_TAG_SINGLE_SPACE.match(line) and line[:2].upper() == "TY" for line in lines):
        # Some exporters write 'TY - JOUR' with one space; read them the same way, also in a file
        # joined from two exports (a record left in one-space tags would be skipped as stray text)
        lines = [_TAG_SINGLE_SPACE.sub(_two_spaces, line, count=1) for line in lines]
    if not any(line[:5].upper() == "TY  -" for line in lines):
        raise not_ris_error(path, lines)
    return _TrackingParser(path).parse_lines(lines)


def _two_spaces(m: re.Match) -> str:
    """'TI - x' as 'TI  - x'. In lower case only a tag RIS has: 'in - vitro' in a wrapped
    abstract is text."""
    tag = m.group(1)
    if not tag.isupper() and tag.upper() not in TAG_KEY_MAPPING:
        return m.group(0)
    return f"{tag}  - "


def not_ris_error(path, lines: list[str]) -> InputError:
    from screener.io.detect import not_this_format

    return not_this_format(path, "\n".join(lines[:50]), "an RIS file: no line starts with 'TY  - ', which begins "
                           "every RIS record", "Export the search results again choosing 'RIS' (sometimes called "
                           "'RefMan' or 'Reference Manager'), or give the right --format.")


def _values(tags: dict, *names) -> list[str]:
    """Non-empty values of the tags, in order (values are already stripped by the parser)."""
    out: list[str] = []
    for n in names:
        v = tags.get(n)
        if not v:
            continue
        if isinstance(v, list):
            out += [x for x in v if x]
        else:
            out.append(v)
    return out


def _whole_links(parts: list[str]) -> list[str]:
    """Links as written: a UR line lists several links split at ";", but a ";" inside a link is its
    own (a SICI DOI's "...3.0.CO;2-Q"): a piece that starts no link of its own is joined back on."""
    out: list[str] = []
    for p in parts:
        if out and "://" not in p and not p.lower().startswith(("www.", "doi:", "10.")):
            out[-1] = f"{out[-1]};{p}"
        else:
            out.append(p)
    return out


def _ovid_code(urls: list[str]) -> str | None:
    for url in urls:
        m = _OVID_DB.search(url)
        if m:
            return m.group(1).lower()
    return None


def _ovid_name(code: str) -> str:
    for pattern, name in _OVID_NAMES:
        if pattern.search(code):
            return name
    return f"Ovid ({code})"


def _doi(tags: dict, urls: list[str]) -> str | None:
    # some EBSCOhost databases write the DOI under 'DI'
    for v in _values(tags, "DO", "DI"):
        d = normalise_doi(v)
        if d:
            return d
    for v in urls:
        d = doi_from_url(v)
        if d:
            return d
    # ... or as a bare 'L3' line (a link tag elsewhere)
    for v in _values(tags, "L3", "N1", "M1", "M3", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"):
        if _WHOLE_DOI.fullmatch(v):  # a note that is a DOI, not a reference list citing one
            return normalise_doi(v)
    return None


def _is_pmid(value: str | None) -> str | None:
    return value if value and value.isdigit() and len(value) <= 8 else None


def _pmid(tags: dict, ovid: str | None, urls: list[str]) -> str | None:
    for v in _values(tags, "PM"):
        m = _DIGITS.search(v)
        if m:
            return m.group(0)
    for v in urls:
        p = pmid_from_url(v)
        if p:
            return p
    db_text = " ".join(_values(tags, "DB", "DP"))
    if "embase" in db_text.lower():
        # Embase.com writes its 'MEDLINE PMID' field in C5 (and 'DB  - Medline' beside 'DB  - Embase'
        # for a record also in MEDLINE: its AN and ID are Embase's own numbers, never the PMID)
        return next((v for v in _values(tags, "C5") if _is_pmid(v)), None) or _pmid_in_notes(tags)
    # EBSCOhost names MEDLINE by its code ('DB  - mdc', 'cmedm', or only its link's '&db=mnh'), and its AN is the PMID
    from_medline = (bool(_MEDLINE_WORDS.search(db_text)) or (ovid is not None and _ovid_name(ovid) == "Ovid MEDLINE")
                    or _ebsco_database(first(tags.get("DB")), first(tags.get("DP")), urls) == "MEDLINE")
    # ProQuest's AN is its own document id (the one in its link), whatever databases its DB names ('MEDLINE®; ...')
    proquest = "proquest" in db_text.lower() or any("proquest.com/docview/" in u.lower() for u in urls)
    if from_medline and not proquest:
        # ID only where Ovid wrote it (its accession number, the PMID): EndNote's RIS writes its own record number
        # there ('ID  - 57'), read as the PMID of a MEDLINE record with no numeric AN, which joined different studies
        for v in _values(tags, "AN") + (_values(tags, "ID") if ovid is not None else []):
            if _is_pmid(v):
                return v
    if "scopus" in db_text.lower():
        for v in _values(tags, "C2"):
            if _is_pmid(v):
                return v
    return _pmid_in_notes(tags)


def _pmid_in_notes(tags: dict) -> str | None:
    """A PMID a note gives with its label: a note that is one ('PMID: 123', 'NLM123'), or the
    'PMID: NLM123.' among EBSCOhost's 'Label: value.' notes (CINAHL: 'Accession Number: ...
    NLM UID: 2984771R. PMID: NLM32412345.'), when they name one PMID only. Without it a CINAHL
    record was never matched with its PubMed copy by PMID. Other notes are left alone: Scopus
    writes the references (each with its 'PMID: ...') in N1, and a cited work's PMID is not the
    record's."""
    found = []
    for v in _values(tags, *_NOTE_TAGS):
        m = _PMID_NOTE.fullmatch(v)
        if m:
            return m.group(1)
        if _EBSCO_NOTE.match(v):
            found += _EBSCO_PMID.findall(v)
    return found[0] if len(set(found)) == 1 else None


#: A register entry's page on its register's site (ClinicalTrials.gov, the WHO ICTRP's portal, the registers it
#: gathers), where CENTRAL's RIS gives it: in the journal's place or among the links
REGISTER_PAGE = re.compile(r"https?://(?:www\.|apps\.)?(?:clinicaltrials\.gov|trialsearch\.who\.int|"
                           r"who\.int/trialsearch|isrctn\.com|anzctr\.org\.au|chictr\.org|drks\.de|ctri\.nic\.in|"
                           r"clinicaltrialsregister\.eu|trialregister\.nl|onderzoekmetmensen\.nl|umin\.ac\.jp|"
                           r"jrct\.niph\.go\.jp|irct\.(?:behdasht\.gov\.)?ir|cris\.nih\.go\.kr|pactr\.samrc\.ac\.za|"
                           r"ensaiosclinicos\.gov\.br|slctr\.lk|thaiclinicaltrials\.org)/\S*", re.I)
#: The Cochrane Library's RIS names no database: its records link to their page there
_COCHRANE_LIBRARY = re.compile(r"cochranelibrary\.com/(central|cdsr)/", re.I)


#: EBSCOhost's codes for its databases, which its RIS writes in DB ('DB  - rzh', 'DP  - EBSCOhost') and its links
#: carry ('...login.aspx?direct=true&db=psyh&AN=...'): the names its newer exports write. CINAHL's several editions
#: (Complete, Plus with Full Text) are one database in a PRISMA chart.
_EBSCO_DATABASES = {
    "a9h": "Academic Search Complete", "aph": "Academic Search Premier", "asn": "Academic Search Ultimate",
    "psyh": "APA PsycInfo", "pdh": "APA PsycArticles", "rzh": "CINAHL", "ccm": "CINAHL", "cin20": "CINAHL",
    "cmedm": "MEDLINE", "mdc": "MEDLINE", "mnh": "MEDLINE", "eric": "ERIC", "sph": "SPORTDiscus", "s3h": "SPORTDiscus",
}
_EBSCO_LINK_DB = re.compile(r"ebscohost\.com/.*?[?&]db=([A-Za-z0-9]+)", re.I)
#: The names EBSCOhost's exports write for those databases, over the years and editions ('PsycINFO', 'APA PsycInfo';
#: 'CINAHL Complete', 'CINAHL Plus with Full Text'; 'MEDLINE Complete', 'MEDLINE Ultimate'): one name each
_EBSCO_NAMES = ((re.compile(r"cinahl\b", re.I), "CINAHL"), (re.compile(r"(?:apa\s*)?psycinfo$", re.I), "APA PsycInfo"),
                (re.compile(r"medline(?:\s+(?:complete|ultimate|with full text))?$", re.I), "MEDLINE"))


def _ebsco_database(db: str | None, dp: str | None, urls: list[str]) -> str | None:
    """The database an EBSCOhost record names by its code (in DB, or in its link where DB is missing) or by one of its
    names, by one name: 'rzh', 'psyh' or the platform 'EBSCOhost' were what the records list and the PRISMA counts
    showed, and one database searched twice counted as two ('rzh' and 'CINAHL Complete')."""
    links = [m.group(1).lower() for m in map(_EBSCO_LINK_DB.search, urls) if m]
    if not links and "ebsco" not in (dp or "").lower():
        return None
    code = (db or (links[0] if links else "")).strip()
    return _EBSCO_DATABASES.get(code.lower()) or next((name for p, name in _EBSCO_NAMES if p.match(code)), None)


def _source_db(tags: dict, ovid: str | None, stem: str, urls: list[str] = ()) -> str:
    db = first(tags.get("DB"))
    dp = first(tags.get("DP"))
    ebsco = _ebsco_database(db, dp, urls)
    if ebsco:
        return ebsco
    if db:
        return db
    if dp:
        return "PubMed" if dp.upper() == "NLM" else dp
    if ovid:
        return _ovid_name(ovid)
    # named after the file, a CENTRAL search exported in parts counted in PRISMA as two databases (and
    # 'citation-export.ris' as citation searching)
    library = next((m.group(1).lower() for m in map(_COCHRANE_LIBRARY.search, urls) if m), None)
    if library:
        return "Cochrane CENTRAL" if library == "central" else "Cochrane Database of Systematic Reviews"
    # Web of Science's RIS: no DB line, no link, but its accession number ('AN  - WOS:000...'), as the
    # plain-text and tab exports are named (a search exported in parts was 'savedrecs' and 'savedrecs(1)')
    if any(v.strip().upper().startswith("WOS:") for v in _values(tags, "AN", "UT")):
        return "Web of Science"
    return stem


def _keywords(tags: dict, own: bool = False) -> list[str]:
    """A record's keywords: a KW line holding ';' is several (some databases write them on one line), but in
    screener's own export (``own``) each line is one keyword, some holding a ';' ('HIV; AIDS')."""
    out = []
    for v in _values(tags, "KW"):
        out.extend(v.split(";") if ";" in v and not own else [v])
    return dedupe(out)


def _label(tags: dict, path, line: int) -> str | None:
    for note in map(plain_note, _values(tags, "N1")):
        if note.startswith(DECISION_NOTE):
            return parse_label(note[len(DECISION_NOTE):], path=path, line=line, column="N1")
    return None


def _type(tags: dict) -> str | None:
    """TY, or the document type in M3 where it says the record is a notice (Scopus's "M3  - Erratum" or "M3  - Letter"
    under "TY  - JOUR"): de-duplication reads the type to keep an erratum or a letter under the article's own title
    apart from the article."""
    notice = next((v for v in _values(tags, "M3") if notice_document_type(v)), None)
    return clean(notice or first(tags.get("TY")))


def _people(value: str) -> list[str]:
    """One author line's people: Ovid's CENTRAL writes every author on one line ('Achterbergh RCA, van der
    Helm JJ, de Vries HJC'); a name with commas ('Smith, J', 'Higa, Darrel H, PhD') is one person."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) > 1 and all(_surname_initials(p) for p in parts):
        return parts
    return [value]


_ARTICLE_NUMBER = re.compile(r"[A-Za-z]{0,4}\d[A-Za-z0-9.]{0,19}")


def _article_number(tags: dict) -> str | None:
    """A journal paper's article number (C7, where Scopus and EndNote write it), where the paper has no
    pages (SP): PubMed and Ovid give it as the pages (SP 100519), as do Scopus's CSV and Web of Science."""
    if (first(tags.get("TY")) or "").strip().upper() not in ("JOUR", "EJOUR"):
        return None
    number = (first(tags.get("C7")) or "").strip()
    return number if _ARTICLE_NUMBER.fullmatch(number) else None


def _journal(tags: dict, urls: list[str]) -> str | None:
    """The journal's name. EBSCOhost writes an article's subtitle under T2 and the journal under JO, JF or J1 (a record
    with J1 alone came in with its subtitle as the journal); elsewhere T2 is the journal and J1 an abbreviation."""
    if "ebsco" in " ".join(_values(tags, "DP")).lower() or any(_EBSCO_LINK_DB.search(u) for u in urls):
        order = ("JF", "JO", "J1", "JA", "J2", "T2")
    else:
        order = ("JF", "JO", "T2", "JA", "J2", "J1")
    return first(*(tags.get(tag) for tag in order))


#: A trial register where CENTRAL writes the journal: its page there, or its name ('ClinicalTrials.gov', 'CTgov',
#: 'WHO ICTRP')
_REGISTER_NAME = re.compile(r"(?:who\s+)?(?:clinicaltrials\.gov|ctgov|ictrp)", re.I)


def _register_entry(tags: dict, urls: list[str]) -> tuple[str, str | None] | None:
    """CENTRAL's copy of a trial register's entry (ClinicalTrials.gov's, the WHO ICTRP's: "CN-0..."), as Ovid and the
    Cochrane Library export it: its trial id, and the T2 that Ovid gives it (the trial's scientific title, in the
    journal's place). None for any other record: only one that clearly is an entry is read so, its author the trial id
    alone (and no journal named: an article in 'Trials' may give its trial's number as its group author), or the
    register named where the journal goes, with the trial id there or in its register link; or, as screener's RIS
    export writes an entry, no author and no journal, its link the register's page. T2 is the journal where no other
    journal tag is given and no link is the register's page (Zotero's RIS, EndNote's secondary title)."""
    people = _values(tags, "AU", "A1")
    own = [m.group(1) for m in (_REGISTRY_ID.fullmatch(p.strip(" .,;")) for p in people) if m]
    named = [v for v in _values(tags, "JF", "JO", "T2", "JA", "J2", "J1")
             if _REGISTER_NAME.fullmatch(v) or REGISTER_PAGE.fullmatch(v)]
    linked = [u for u in urls if REGISTER_PAGE.fullmatch(u)]
    given = _values(tags, "JF", "JO", "JA", "J2", "J1")
    journals = [v for v in given + ([] if given or linked else _values(tags, "T2")) if v not in named]
    exported = not people and not journals and not tags.get("T2") and linked
    if not ((len(people) == 1 and own and not journals) or named or exported):
        return None
    links = named + linked
    trial_id = next(iter(own), None) or next((m.group(1) for m in map(_REGISTRY_ID.search, links) if m), None)
    if trial_id is None:
        return None
    t2 = first(tags.get("T2"))
    return trial_id, None if not t2 or t2 in named else t2


def _as_register_entry(record: dict, trial_id: str, scientific: str | None) -> dict:
    """A CENTRAL register entry read as the register's own export reads (``screener.io.tabular``): a trial registry
    record, its trial id its id, no author nor journal where CENTRAL wrote the id and the register; the scientific
    title, where it differs from the title, opens the abstract."""
    record.update(type=REGISTRY_RECORD, source_id=trial_id, journal=None,
                  authors=[a for a in record["authors"] if not _REGISTRY_ID.fullmatch(a.strip(" .,;"))])
    scientific = clean_title(scientific)
    if scientific and _words(scientific) != _words(record["title"] or ""):
        record["abstract"] = "\n".join(filter(None, [f"Scientific title: {scientific}", record["abstract"]]))
    return record


#: A CENTRAL record's own id, its accession number ("CN-01234567")
_CENTRAL_ID = re.compile(r"CN-\d{6,}")
#: The table exports' column for CENTRAL's accession number of its copies of register entries (their id is the trial
#: id, which de-duplication joins a trial's entries by)
CENTRAL_COLUMN = "central_accession"


def central_accession(raw) -> str | None:
    """CENTRAL's accession number of a record read from its RIS (``raw``: its tags; or screener's RIS or table
    export of it, its ``AN`` or its ``CENTRAL_COLUMN``), or None."""
    if not isinstance(raw, dict):
        return None
    return next((v.strip() for tag in ("ID", "AN", CENTRAL_COLUMN) for v in _values(raw, tag)
                 if _CENTRAL_ID.fullmatch(v.strip())), None)


def _words(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def tags_to_record(tags: dict, *, line: int, source_db: str | None, file_name: str, stem: str) -> dict:
    """Canonical record from one record's tags; ``stem`` names the source when nothing else does."""
    urls = _whole_links(_values(tags, *_URL_TAGS))
    ovid = _ovid_code(urls)
    own = _screeners_export(tags)
    # repeated AB lines are parts of one abstract (joined); AB and N2 are copies of it (the longer kept)
    parts = list(dict.fromkeys(_values(tags, "AB")))
    abstracts = ([" ".join(parts)] if parts else []) + _values(tags, "N2")
    record = make_record(
        title=clean_title(first(tags.get("TI"), tags.get("T1"), tags.get("CT"), tags.get("BT"), tags.get("ST"))),
        abstract=max(abstracts, key=len) if abstracts else None,
        other_titles=_values(tags, "TI", "T1"),
        authors=clean_all([name for v in _values(tags, "AU", "A1") for name in _people(v)]),
        year=first_year(tags.get("PY"), tags.get("Y1"), tags.get("DA")),
        journal=clean_title(_journal(tags, urls)),
        volume=first(tags.get("VL")),
        issue=first(tags.get("IS"), tags.get("CP")),
        pages=first(tags.get("SP")) or _article_number(tags),
        end_page=first(tags.get("EP")),
        doi=_doi(tags, urls),
        pmid=_pmid(tags, ovid, urls),
        keywords=_keywords(tags, own),
        type=_type(tags),
        source_db=source_db or _source_db(tags, ovid, stem, urls),
        source_file=file_name,
        source_line=line,
        # screener's own export: ID is the record id in the project it came from, AN the database's own id
        source_id=first(tags.get("AN")) if own else first(tags.get("ID"), tags.get("AN")),
        raw=tags,
    )
    entry = _register_entry(tags, urls)
    return _as_register_entry(record, *entry) if entry else record


def read_ris(lines: list[str], path, *, source_db: str | None = None,
             warnings: list[str] | None = None) -> tuple[list[dict], list[str | None]]:
    """Records and labels (from screener's own decision notes) of an RIS file's lines.

    ``lines`` is emptied once parsed (the caller's list: a 500,000-record file's lines are
    gigabytes, and the tags hold their own copies of the values)."""
    unread: list[tuple[int, str]] = []  # (line, DO line) of the records whose DOI line gives no DOI
    with gc_paused():
        parsed = parse_ris_text(lines, path)
        lines.clear()
        name, stem = source_name(path), file_source(path)
        records, labels = [], []
        parsed.reverse()
        while parsed:  # each record's tags are let go once it is made: a 500,000-record file holds one copy
            line, tags = parsed.pop()
            records.append(tags_to_record(tags, line=line, source_db=source_db, file_name=name, stem=stem))
            labels.append(_label(tags, path, line))
            if records[-1]["doi"] is None:
                unread += [(line, v) for v in _values(tags, "DO", "DI")[:1]
                           if _DOI_MEANT.search(v) and _CENTRAL_ENTRY not in v.lower()]
    if unread and warnings is not None:
        warnings.append(_unread_doi_note(name, unread))
    return records, labels


#: A DOI line that means to give one ('10.', a 'doi' link), where none could be read from it; not the Cochrane
#: Library's DOI of a CENTRAL entry ('10.1002/central/CN-...'), which is dropped on purpose (not the article's)
_DOI_MEANT = re.compile(r"10\.|doi", re.I)


def _unread_doi_note(name: str, unread: list[tuple[int, str]]) -> str:
    """The records whose 'DO' line holds something but no DOI screener can read (ProQuest's
    'http://dx.doi.org/101521aeap2012243193', its dots and slash lost): kept without a DOI, as a table's cell
    that holds none is named (``tabular._unread_cells``)."""
    spots = "; ".join(f"line {ln}: '{v if len(v) <= 50 else v[:47] + '...'}'" for ln, v in unread[:5])
    more = f"; and {len(unread) - 5} more" if len(unread) > 5 else ""
    one = len(unread) == 1
    return (f"{name}: no DOI could be read from the 'DO' line of {counted(len(unread), 'record')} ({spots}{more}). "
            + ("The record is kept without a DOI (de-duplication cannot match it by its DOI); check it"
               if one else "The records are kept without a DOI (de-duplication cannot match them by their DOIs); "
               "check them") + " in the database: a DOI is written as '10.', a number, '/' and the rest "
            "(10.1000/xyz123), or its link (https://doi.org/10.1000/...).")

