"""Small field cleaners shared by every reader, so that all formats agree on what a year is."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from screener.records import (
    _DOI_LINK_VIEW,
    FIELDS,
    HTML_BLOCK_TAGS,
    INLINE_TAGS,
    JATS_BLOCK_TAGS,
    counted,
    empty_record,
    latex_signs,
    normalise_doi,
    noun,
    page_range,
    start_page,
)


@dataclass
class ReadResult:
    """What one import file held: records, any screening labels in it, and how it was read."""

    records: list[dict]
    labels: list[str | None]
    format: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    #: the sheet read, for a workbook: one workbook may hold several exports, one a sheet
    sheet: str | None = None
    #: a CSV's or TSV's rows as a spreadsheet numbers them (column names on row 1), by the file line each record
    #: starts on (its ``source_line``): a cell written on two lines puts every row below it one further down
    rows: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)


_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d|21\d\d)(?!\d)")
# "<...>" in a DOI is its own (the SICI form: "...50:4<502::AID-JCLP2270500404>3.0.CO;2-J"; a link
# encodes it as %3C...%3E): cut there, every article of that journal issue had one DOI, "...50:4"
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/(?:[^\s&?#\"'<>]|<(?!/)[^\s<>&?#\"']*>)+")
_PMID_URL = re.compile(r"(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/)(?:\?term=)?(\d{1,8})\b")
_WS = re.compile(r"\s+")


def clean(value) -> str | None:
    """Stripped text, or None for empty/missing values (so 'no abstract' is always None)."""
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v is not None)
    text = str(value).strip()
    return text or None


def clean_title(value) -> str | None:
    """Titles lose line breaks and doubled spaces, which come from wrapped export lines."""
    text = clean(value)
    return _WS.sub(" ", text) if text else None


def first(*values) -> str | None:
    for v in values:
        if isinstance(v, list):
            for item in v:
                c = clean(item)
                if c:
                    return c
        else:
            c = clean(v)
            if c:
                return c
    return None


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def extract_year(value) -> int | None:
    """First plausible four-digit year in '2020//', 'May 2020', '2019.0', '2003 Jun 12' ..."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        value = str(int(value))
    m = _YEAR.search(str(value))
    return int(m.group(1)) if m else None


def first_year(*values) -> int | None:
    """The year of the first value that holds one. A record in press has 'in press' (or 'Epub
    ahead of print') in its year field and the year in its date field; taking the first value
    that is there lost that year, which de-duplication and the records list use."""
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            year = extract_year(item)
            if year:
                return year
    return None


def doi_from_url(url: str | None) -> str | None:
    """DOI inside a resolver or publisher link (doi.org/..., getdoi.cfm?doi=..., rft_id=info:doi/...)."""
    if not url or "doi" not in url.lower():
        return None
    m = _DOI_IN_TEXT.search(unquote(url))
    return normalise_doi(_DOI_LINK_VIEW.sub("", m.group(0))) if m else None


def pmid_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = _PMID_URL.search(url)
    return m.group(1) if m else None


_PMID_LABEL = re.compile(r"^(?:pmid|pubmed(?:\s*id)?|medline|nlm)\s*[:=#]?\s*", re.I)


def clean_pmid(value) -> str | None:
    """PubMed ids are digits; spreadsheet cells may turn them into '12345.0', and lists write them
    as 'PMID: 123', 'MEDLINE:123', '123 [pmid]' or a PubMed link, PubMed's citations with a full stop
    ('PMID: 123.'). Anything else (a PubMed Central id 'PMC123', an Embase or Scopus accession number)
    is not a PubMed id: None."""
    text = clean(value)
    if not text:
        return None
    from_url = pmid_from_url(text)
    if from_url:
        return from_url
    text = _PMID_LABEL.sub("", text)
    text = re.sub(r"\s*\[pmid\]$", "", text, flags=re.I)
    if text[-1:] in ".,;" and text[-2:-1].isdigit():
        text = text[:-1]
    m = re.fullmatch(r"0*(\d{1,9})(?:\.0+)?", text)
    return m.group(1) if m else None


#: PubMed's publication types that make a record something other than a research paper, the most specific first:
#: PubMed lists "Journal Article" with them ("Journal Article", "Published Erratum"; "Letter", "Comment"), in no
#: order that puts them first. "Retracted Publication" is the article itself, marked.
_PUBMED_KINDS = ("Retraction of Publication", "Published Erratum", "Expression of Concern", "Letter", "Editorial",
                 "Comment", "News", "Newspaper Article", "Interview", "Biography", "Portrait")
_PUBMED_RANK = {k.lower(): i for i, k in enumerate(_PUBMED_KINDS)}


def pubmed_type(types) -> str | None:
    """A PubMed record's type from its publication types (PT lines, PublicationType elements): the notice, letter,
    editorial or comment it is where it is one, else the first. Its first type alone called an erratum or a
    comment "Journal Article", and de-duplication, which reads the type, took it for the article it is about."""
    values = [c for c in map(clean, as_list(types)) if c]
    kinds = [v for v in values if v.lower() in _PUBMED_RANK]
    return min(kinds, key=lambda v: _PUBMED_RANK[v.lower()]) if kinds else first(values)


def dedupe(items) -> list[str]:
    """Keywords (or other terms) cleaned, blanks and repeats left out: a keyword given twice is one."""
    return list(dict.fromkeys(clean_all(items)))


def clean_all(items) -> list[str]:
    """Names cleaned, blanks left out, in their order; a name given twice is kept twice: two co-authors both
    'Wang, Y' are two authors, and leaving one out lost an author from the record and every export of it."""
    out = []
    for it in items:
        c = clean(it)
        if c and ("  " in c or "\n" in c or "\t" in c):
            c = _WS.sub(" ", c)
        if c:
            out.append(c)
    return out


#: One name as PubMed's and (before 2023) Scopus's tables write it: surname, a space, and initials
#: alone, in capitals, with or without points ('van der Berg AB', 'Müller-Lüdenscheidt A.-B.').
_SURNAME_INITIALS = re.compile(r"\S.*\s(?:[^\W\d_]\.?[-\u2010]?){1,4}")


def _surname_initials(part: str) -> bool:
    if not _SURNAME_INITIALS.fullmatch(part):
        return False
    initials = part.rsplit(None, 1)[1]
    return initials.isupper() and part[:-len(initials)].strip() not in ("", "and")


_INITIALS_ONLY = re.compile(r"(?:[A-Z]\.?\s*){1,3}")


def split_people(value, *, initials_first: bool = False) -> list[str]:
    """Authors from one cell: 'Smith, J; Doe, K', 'Smith, J and Doe, K', or 'Smith J, Doe K'; with
    ``initials_first`` (Publish or Perish: 'J Smith, K Doe', no comma inside a name) split at each comma."""
    text = clean(value)
    if not text:
        return []
    # a part that is initials alone ('Smith, J') is a name written surname first, not two authors
    if initials_first and ";" not in text and not any(_INITIALS_ONLY.fullmatch(p.strip()) for p in text.split(",")):
        return clean_all(text.split(","))
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\s+and\s+", text) and all("," in p for p in re.split(r"\s+and\s+", text)):
        # 'Smith, J and Doe, K' (BibTeX style); 'Centers for Disease Control and Prevention' stays whole
        parts = re.split(r"\s+and\s+", text)
    elif "," in text and all(_surname_initials(p.strip()) for p in text.split(",") if p.strip()):
        # PubMed's CSV ('Smith J, Doe K') and Scopus's before 2023 ('Smith J., Doe K.'); one name
        # written 'Smith, J.' has a part without initials and stays whole
        parts = text.split(",")
    elif "\n" in text:
        parts = text.split("\n")
    else:
        parts = [text]
    return clean_all(parts)


# Where a name may have a capital inside it ('McDonald', 'DeAngelis', 'LaToya', 'MacArthur', 'FitzGerald')
_INNER_CAPITAL_PREFIXES = frozenset("mc mac de di da du le la lo van von der den ten ter fitz st del della dal dalla "
                                    "des dos das do al el abd abu ibn bin ben o d".split())


def split_run_together(value) -> list[str] | None:
    """SpringerLink's authors, written one after the other with nothing between them ('John SmithKate Doe', 'Kate
    DOEJohn Smith'), as a list; None when they cannot be told apart surely (a part would be a single word, as
    'JoAnn SmithKate Doe' gives 'Jo'): a wrong split makes up authors, and de-duplication compares the first."""
    text = clean(value)
    if not text:
        return []
    cuts, either = [0], []
    for i in range(1, len(text)):
        if text[i - 1] == "." and text[i].isupper() and text[i + 1:i + 2].islower() and text[i - 2:i - 1].islower():
            cuts.append(i)  # after a name ending in a full stop: 'Smith Jr.Kate'
            continue
        capitals = text[i - 2:i]
        if text[i].isupper() and text[i + 1:i + 2].islower() and capitals.isupper() and capitals.isalpha():
            cuts.append(i)  # after a surname in capitals: 'Kate DOEJohn', 'McDONALDAnne', 'Smith IIIKate'
            continue
        if not (text[i - 1].islower() and text[i].isupper()):  # where two names meet: 'SmithKate'
            continue
        j = i - 1
        while j > 0 and i - j < 6 and text[j - 1].islower():
            j -= 1
        word = text[j - 1:i] if j > 0 and text[j - 1].isupper() else text[j:i]  # 'Mc' of 'McDonald'
        if word.lower() not in _INNER_CAPITAL_PREFIXES:
            cuts.append(i)
        elif word.lower() in _SURNAME_PREFIXES and text[j - 2:j - 1] == " ":
            either.append(i)
    parts = _parts(text, cuts)
    if len(parts) > 1 and not _whole_names(parts):
        return None
    if any(_whole_names(_parts(text, sorted(cuts + [i]))) for i in either):
        return None  # 'Minh LeJohn Smith': 'Minh Le' and 'John Smith', or one name as 'Paul LeBlanc Smith'
    return clean_all(parts)


#: Those of the prefixes that are surnames of their own too (Vietnamese Le and Do, Chinese Du): 'Minh LeJohn'
_SURNAME_PREFIXES = frozenset("le do du di da la lo".split())


def _parts(text: str, cuts: list[int]) -> list[str]:
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]


def _whole_names(parts: list[str]) -> bool:
    """Whether each part can be a person's whole name: two words or more, the first and last capitalised."""
    return all(len(p.split()) >= 2 and p[0].isupper() and p.split()[-1][0].isupper() for p in parts)


def split_terms(value) -> list[str]:
    """Keywords from one cell: separated by ';' (commas belong to MeSH terms such as 'Analgesics, Opioid')."""
    text = clean(value)
    if not text:
        return []
    parts = re.split(r"\s*[;\n]\s*", text)
    return dedupe(parts)


# A character reference as databases write them ('&amp;', '&lt;', '&#252;', '&#x3b1;'); a bare '&'
# ('R&D', 'AT&T') is text
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


#: Inline tags a title loses where nothing closes them, as it did before tags of other names went: those exports
#: write in titles ('CO<inf>2', '<i>E. coli'); another name alone is text ('B6.SJL-Ptprc<a> mice', an allele)
_TITLE_LONE_TAGS = frozenset("i b u em strong sub sup inf span math mi mn mo mtext mrow msub msup msubsup mover munder "
                             "mstyle semantics".split())
# A tag: its name (JATS's and MathML's with their prefix, 'jats:p', 'mml:mi'), then attributes written name="value";
# 'a<b and c>d' and 'x<y>z' are signs, 'IL-6<sup' has no end
_TAG = re.compile(r"<(/?)(?:(jats|mml):)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"
                  r"((?:\s+[a-z_][\w:.-]*\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=]+))*)\s*(/?)>", re.I)


def _tag_kind(m: re.Match) -> str | None:
    """'block', 'inline', or None for a word in angle brackets that is not a tag ('x<y>z')."""
    name = m[3].lower()
    if m[2]:
        return "block" if m[2].lower() == "jats" and name in JATS_BLOCK_TAGS else "inline"
    return "block" if name in HTML_BLOCK_TAGS else "inline" if name in INLINE_TAGS else None


def _lone_tags(tags: list[tuple[re.Match, str]]) -> set[int]:
    """Which of ``tags`` may be signs: plain opening inline tags that no closing tag pairs ('3 <b> were kept');
    pairs are found one inside another too ('<b><i>Aims:</i></b>')."""
    opened: dict[tuple, list[int]] = {}
    lone = set()
    for k, (m, kind) in enumerate(tags):
        name = ((m[2] or "").lower(), m[3].lower())
        if m[1]:
            if opened.get(name):
                lone.discard(opened[name].pop())
        elif not m[5]:
            opened.setdefault(name, []).append(k)
            if kind == "inline" and not m[2] and not m[4]:
                lone.add(k)
    return lone


def _without_tags(text: str, *, lone: bool) -> str:
    """``text`` without its HTML, JATS and MathML tags (``lone``: plain opening inline tags without their closing
    tag too, those of ``_TITLE_LONE_TAGS``); a block tag leaves a space, or the line break written beside it, so
    that words do not run together ('Background</p><p>Methods')."""
    tags = [(m, kind) for m in _TAG.finditer(text) if (kind := _tag_kind(m))]
    if not tags:
        return text
    kept = _lone_tags(tags)
    if lone:
        kept = {k for k in kept if tags[k][0][3].lower() not in _TITLE_LONE_TAGS}
    parts, blocks, at = [], [], 0  # the text between the tags that go; whether each of those is a block tag
    for k, (m, kind) in enumerate(tags):
        if k not in kept:
            parts.append(text[at:m.start()])
            blocks.append(kind == "block")
            at = m.end()
    parts.append(text[at:])
    return _joined(parts, blocks) if any(blocks) else "".join(parts)


def _joined(parts: list[str], blocks: list[bool]) -> str:
    """``parts`` joined where tags were; where a block tag was (``blocks[k]``: between parts k and k + 1), the
    spaces around it are one space, or the line break written there. Each part is looked at once: a long run of
    spaces costs no more than its length, and a character of the text is never taken for a tag's place (a NUL
    stays, for the import to report)."""
    out: list[str] = []
    gap = None  # in a block tag's place: whether a line break was written there
    for k, part in enumerate(parts):
        if k and blocks[k - 1] and gap is None:
            gap = False
            while out and not out[-1].strip():  # the spaces before it, parts that inline tags left apart too
                gap |= "\n" in out.pop()
            if out:
                kept = out[-1].rstrip()
                gap |= "\n" in out[-1][len(kept):]
                out[-1] = kept
        if gap is not None:
            rest = part.lstrip()
            gap |= "\n" in part[:len(part) - len(rest)]
            if not rest:
                continue  # spaces only, or nothing: the same gap goes on
            out.append("\n" if gap else " ")
            gap, part = None, rest
        out.append(part)
    return "".join(out).strip()


def _plain_text(text: str | None, *, markup: bool) -> str | None:
    """``text`` without the character references and the HTML, JATS and MathML tags that exports write
    for sub- and superscripts, italics, paragraphs and formulas ('CO<inf>2</inf>', '<i>E. coli</i>',
    '<jats:p>', 'p &lt;.001'), as PubMed's XML reader gives it, and with '<' and '>' that a reference
    manager left as LaTeX. Only tags go: 'p<0.05' and 'x<y>z' stay; an abstract keeps an opening inline
    tag that nothing closes ('3 <b> were kept'), a title (``markup``) only one of another name than those
    exports write in titles ('Ptprc<a>', not '<i>E. coli'). ``raw`` keeps what was written."""
    if not text:
        return text
    if "&" in text and ";" in text:  # first: a tag written '&lt;i&gt;' is a tag too
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if "<" in text and ">" in text:
        plain = _without_tags(text, lone=markup)
        if markup and plain != text:
            plain = _WS.sub(" ", plain).strip()
        text = plain
    return latex_signs(text)


# What databases write where a work names no author: WoS '[Anonymous]', Scopus '[No author name
# available]', Embase 'Anonymous', PubMed's lists '[No authors listed]'. Not names: kept, the same
# unsigned editorial had a different "first author" in each database and its copies were not merged.
_NO_AUTHOR = re.compile(r"[\W_]*(?:anon|anonymous|no author name available|no authorship,? indicated"
                        r"|no authors? listed)[\W_]*", re.I)


# What PsycInfo writes where an article has no pages, whole or, in Ovid's RIS, split over its first and last page
# ('SP  - No', 'EP  - Specified')
_NO_PAGES = re.compile(r"no(?:\s+pagination)?(?:\s+|\s*-\s*)specified", re.I)


# What Scopus and others write where a record has no abstract ('[No abstract available]')
_NO_ABSTRACT = re.compile(r"[\W_]*(?:no abstract(?: is)?(?: available)?|abstract not available)[\W_]*", re.I)


#: What EBSCOhost writes after the abstracts of the journals it holds, in every export: where the abstract came from
#: ('[ABSTRACT FROM AUTHOR]') and a copyright notice of some 70 words, the same under hundreds of records
_EBSCO_NOTICE = re.compile(r"\s*Copyright of\s.{1,600}?\sis the property of\s.{1,1200}?"
                           r"\(Copyright applies to all Abstracts\.?\)", re.I | re.S)
_EBSCO_ORIGIN = re.compile(r"\s*\[ABSTRACT FROM [A-Z ]{3,30}\]\s*$")


def _without_ebsco_notice(abstract: str | None) -> str | None:
    """An abstract without EBSCOhost's notice: reviewers read it under every such abstract, and its words made
    those records look alike to the ranking (``raw`` keeps it)."""
    if not abstract or ("bstracts" not in abstract and "[ABSTRACT FROM" not in abstract):
        return abstract
    return _EBSCO_ORIGIN.sub("", _EBSCO_NOTICE.sub("", abstract)).strip() or None


#: The role label some EBSCOhost databases write after an author's name ('Smith, John (AUTHOR)')
_AUTHOR_LABEL = re.compile(r"\s*\(author\)\s*$", re.I)


def without_author_label(name: str) -> str:
    """An author's name without the '(AUTHOR)' after it, which kept the same author's records from matching."""
    return _AUTHOR_LABEL.sub("", name) if name[-1:] == ")" else name


#: The type given to a register's records (its own export's, or CENTRAL's copy of its entry): de-duplication reads it
#: as a registry entry, not a report of the trial
REGISTRY_RECORD = "Trial registry record"


def with_other_titles(abstract: str | None, title: str | None, titles) -> str | None:
    """The abstract opened by the titles a record gives beside its title ('Other title: ...', often the paper's title
    in its own language), as a register entry's scientific title is kept: screening and de-duplication read them,
    and the title stays the one other databases give. A copy of the title (case, stops) is not repeated."""
    seen = {re.sub(r"\W+", " ", title or "").strip().lower()}
    others = []
    for other in (_plain_text(clean_title(t), markup=True) for t in titles):
        words = re.sub(r"\W+", " ", other or "").strip().lower()
        if words and words not in seen:
            seen.add(words)
            others.append(f"Other title: {other}")
    return "\n".join(filter(None, [*others, abstract])) or None


def make_record(*, end_page=None, other_titles=(), **values) -> dict:
    """A canonical record; ``pages`` is joined from its start and ``end_page`` where a format
    gives them apart, and ``start_page`` is worked out from ``pages`` when not given. A missing
    title is '' (never None). ``other_titles``: every title the record gives (``with_other_titles``)."""
    rec = empty_record()
    for key, val in values.items():
        if key not in FIELDS:
            raise KeyError(key)
        rec[key] = val
    for key in ("volume", "issue", "pages", "start_page"):
        rec[key] = clean_title(rec[key])
    for key in ("title", "journal", "abstract"):
        rec[key] = _plain_text(rec[key], markup=key != "abstract")  # an abstract's '<' is often a sign
    rec["abstract"] = _without_ebsco_notice(rec["abstract"])
    if rec["abstract"] and len(rec["abstract"]) < 40 and _NO_ABSTRACT.fullmatch(rec["abstract"]):
        rec["abstract"] = None
    if other_titles:
        rec["abstract"] = with_other_titles(rec["abstract"], rec["title"], other_titles)
    if rec["authors"] and any("&" in a for a in rec["authors"]):
        rec["authors"] = [_plain_text(a, markup=False) for a in rec["authors"]]
    if rec["authors"] and any(a[-1:] == ")" for a in rec["authors"]):
        rec["authors"] = [n for n in map(without_author_label, rec["authors"]) if n]
    if rec["authors"] and any(a[:1] in "[(AaNn" and _NO_AUTHOR.fullmatch(a) for a in rec["authors"]):
        rec["authors"] = [a for a in rec["authors"] if not _NO_AUTHOR.fullmatch(a)]
    if end_page is not None or (rec["start_page"] and not rec["pages"]):
        rec["pages"] = page_range(rec["pages"] or rec["start_page"], clean(end_page))
    if rec["pages"] and rec["pages"][:1] in "Nn" and _NO_PAGES.fullmatch(rec["pages"]):
        rec["pages"] = None
    rec["start_page"] = start_page(rec["start_page"] or rec["pages"])
    if rec["title"] is None:
        # Stored as '' rather than NULL: a NULL title is read back by pandas as NaN, which every
        # screen that prints it shows as the word "nan".
        rec["title"] = ""
    return rec


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3})")  # '9-Jan': Excel's date for '1-9' (or '9-1')
_MONTH_YEAR = re.compile(r"([A-Za-z]{3})[- ](\d{2})")  # 'Dec-40': for '12-40', which has no 40th day
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")  # a workbook's date cell, as the table reader writes it


def undated_range(value) -> str | None:
    """The page or issue range a spreadsheet turned into a date ('9-Jan', 'Dec-40', or a workbook's
    date cell '2024-01-09'); '' for a date whose range cannot be told; None for anything else.
    Which number came first (the day or the month, by the computer's settings) is lost; a range
    goes up."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > 10 or not text[-1].isalnum():
        return None
    m = _DAY_MONTH.fullmatch(text) or _MONTH_YEAR.fullmatch(text)
    if m:
        a, b = m.groups()
        month, other = (b, a) if a.isdigit() else (a, b)
        if month.lower() not in _MONTHS or int(other) == 0:
            return None
        nums = [_MONTHS.index(month.lower()) + 1, int(other)]
        if m.re is _MONTH_YEAR and nums[1] <= 12:
            return None  # month and day would have been written '9-Jan'
    else:
        m = _ISO_DATE.fullmatch(text)
        if not m:
            return None
        year, month, day = map(int, m.groups())
        if day != 1:
            nums = [month, day]
        elif year < 2000:
            nums = [month, year % 100]  # '12-40' as December 1940
        else:
            return ""  # '9-1' (1 September of the year it was typed) or '9-17' (September 2017)
    a, b = sorted(nums)
    return str(a) if a == b else f"{a}-{b}"


def undate_ranges(records: list[dict], path, where: str = "line",
                  rows: dict[int, int] | None = None) -> list[str]:
    """Page and issue ranges that a spreadsheet made dates, read back as ranges, and one warning
    naming them. A table opened in Excel and saved again has them, and so does a library that was
    once imported from one: read as pages, '9-Jan' gave the first page 9, and the record was not
    merged with its copy from another database that starts on page 1 (different first pages:
    different studies)."""
    found = []
    for i, rec in enumerate(records, 1):
        for field in ("pages", "issue"):
            back = undated_range(rec[field])
            if back is None:
                continue
            found.append((i, rec, rec[field], back))
            rec[field] = back or None
            if field == "pages":
                rec["start_page"] = start_page(back) if back else None
    if not found:
        return []
    shown = "; ".join(f"{_spots([(i, rec)], where, rows)}: '{was}' " + (f"read as '{back}'" if back else "left out")
                      for i, rec, was, back in found[:5])
    more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
    return [
        f"{source_name(path)}: {counted(len(found), 'page or issue range')} had been turned into "
        f"{noun(len(found), 'a date', 'dates')} by a spreadsheet (Excel reads '1-9' as 9 January) and "
        f"{noun(len(found), 'was read back as a range', 'were read back as ranges')} ({shown}{more}); check "
        f"{noun(len(found), 'it', 'them')} in the database's own export if the pages matter."
    ]


#: Control characters that Excel cells and XML forbid (a tab, line feed or carriage return is text):
#: text pasted out of a PDF; a workbook writes them as "_x0001_"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character_warnings(records: list[dict], path, where: str = "line",
                               rows: dict[int, int] | None = None) -> list[str]:
    """Control characters (text pasted out of a PDF: a form feed, a vertical tab, NUL) in the records'
    texts made spaces, and one warning naming the records. Kept, they went into the project and from
    there into the CSV export and the web page, and a workbook export had to leave them out; a
    record is never dropped for them. ``raw`` keeps what the file wrote."""
    found: list[tuple[int, dict, list[str]]] = []
    for i, rec in enumerate(records, 1):
        fields = []
        for key, value in rec.items():
            if key == "raw" or not value:
                continue
            if isinstance(value, str):
                if CONTROL_CHARS.search(value):
                    rec[key] = _without_controls(value)
                    fields.append(key)
            elif isinstance(value, list) and any(isinstance(v, str) and CONTROL_CHARS.search(v) for v in value):
                rec[key] = (dedupe if key == "keywords" else clean_all)(
                    _without_controls(v) if isinstance(v, str) else v for v in value)
                fields.append(key)
        if fields:
            found.append((i, rec, fields))
    if not found:
        return []
    shown = "; ".join(f"{_spots([(i, rec)], where, rows)} ({', '.join(fields)})" for i, rec, fields in found[:10])
    more = f"; and {len(found) - 10} more" if len(found) > 10 else ""
    return [f"{source_name(path)}: {counted(len(found), 'record')} held control characters (invisible characters, "
            f"often from text pasted out of a PDF), each read as a space: {shown}{more}. "
            f"{noun(len(found), 'The record is', 'The records are')} kept."]


_CONTROL_RUN = re.compile(r" *(?:[\x00-\x08\x0b\x0c\x0e-\x1f] *)+")


def _without_controls(text: str) -> str:
    return _CONTROL_RUN.sub(" ", text).strip()


def without_controls(text: str) -> str:
    """``text`` with each run of control characters a space, as an import reads them today; text
    without any comes back as it is. For what a project imported before that still holds, on its
    way to a CSV file or a page (the stored text is left as it was)."""
    return _without_controls(text) if CONTROL_CHARS.search(text) else text


def source_name(path) -> str:
    return Path(str(path)).name


#: the names Google Scholar gives its downloads ('scholar.enw', '.ris', '.bib'), as a browser saves the next ones
_SCHOLAR_FILE = re.compile(r"scholar\s*(?:\(\d+\)|-\s*copy(?:\s*\(\d+\))?|copy)?", re.I)


def file_source(path) -> str:
    """The source a file's records count under in PRISMA where none of them names a database: the file's name, or
    Google Scholar for its downloads, one record a file: 'scholar (1)', 'scholar (2)' ... were a source each."""
    stem = Path(str(path)).stem
    return "Google Scholar" if _SCHOLAR_FILE.fullmatch(stem) else stem


def empty_record_warnings(records: list[dict], path, where: str = "line",
                          rows: dict[int, int] | None = None) -> list[str]:
    """One warning for records with no title, no abstract and no DOI: they are kept, but a
    reviewer cannot screen them and should look at the file."""
    bad = [(i, r) for i, r in enumerate(records, 1) if not r["title"] and not r["abstract"] and not r["doi"]]
    if not bad:
        return []
    return [
        f"{source_name(path)}: {len(bad)} {'record has' if len(bad) == 1 else 'records have'} no title, no abstract "
        f"and no DOI ({_spots(bad, where, rows)}). "
        + ("It is kept, but cannot be screened on its text; check it in the original export." if len(bad) == 1
           else "They are kept, but cannot be screened on their text; check them in the original export.")
    ]


def untitled_record_warnings(records: list[dict], path, where: str = "line",
                             rows: dict[int, int] | None = None) -> list[str]:
    """How many records came without a title (those with an abstract or DOI are real records, kept
    and screened on what they have; those with a DOI alone are said to have no text to screen); records with
    nothing at all are counted by ``empty_record_warnings``."""
    bad = [(i, r) for i, r in enumerate(records, 1) if not r["title"] and r["abstract"]]
    # no abstract either, only a DOI: nothing to screen, which 'screened on its abstract' said there was
    bare = [(i, r) for i, r in enumerate(records, 1) if not r["title"] and not r["abstract"] and r["doi"]]
    out = []
    if bad:
        out.append(
            f"{source_name(path)}: {len(bad)} of {counted(len(records), 'record')} {noun(len(bad), 'has', 'have')} "
            f"no title ({_spots(bad, where, rows)}). "
            + ("It is kept and screened on its abstract; if it should have a title, check it in the original export."
               if len(bad) == 1 else "They are kept and screened on their abstracts; if they should have titles, "
               "check them in the original export."))
    if bare:
        out.append(
            f"{source_name(path)}: {len(bare)} of {counted(len(records), 'record')} {noun(len(bare), 'has', 'have')} "
            f"no title and no abstract ({_spots(bare, where, rows)}). " + (
                "It is kept, but has no text to screen: look the study up by its DOI, or check it in the original "
                "export." if len(bare) == 1 else "They are kept, but have no text to screen: look the studies up by "
                "their DOIs, or check them in the original export."))
    return out


def _spots(records: list[tuple[int, dict]], where: str, rows: dict[int, int] | None = None) -> str:
    """Where the first ten of ``records`` (position in the file from 1, record) are: 'line 3, 9 and
    2 more'; by position for ``where`` 'record' (a file written on one line, as EndNote's XML). ``rows``: a
    CSV's rows as a spreadsheet numbers them, by the file line each starts on."""
    more = f" and {len(records) - 10} more" if len(records) > 10 else ""
    rows = rows or {}
    spots = (i if where == "record" else rows.get(r["source_line"], r["source_line"]) for i, r in records[:10])
    return f"{where} " + ", ".join(map(str, spots)) + more
