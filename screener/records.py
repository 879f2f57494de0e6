"""The one shape a bibliographic record has inside screener.

Readers turn every export format into dicts with these keys; the store, de-duplication,
features and exports read only these keys, so a new format touches one reader and nothing else.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

#: Canonical record fields. ``authors`` and ``keywords`` are lists of strings; ``year`` an int or
#: None; ``volume``, ``issue``, ``pages`` text as the database gave it, ``start_page`` the first
#: page alone ("123" from "123-9", "e1234", "S12" from "S12-S14"): the fields that tell two
#: papers with one recurring title apart, and companion papers in one issue; ``raw`` the original record as a JSON-serialisable dict (kept so nothing is lost);
#: ``source_line`` the 1-based line (or spreadsheet row) where the record starts in its file.
FIELDS = (
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "start_page",
    "doi",
    "pmid",
    "keywords",
    "type",
    "source_db",
    "source_file",
    "source_line",
    "source_id",
    "raw",
)

LIST_FIELDS = ("authors", "keywords")

DECISIONS = ("include", "exclude", "maybe")
STAGES = ("title_abstract", "full_text")
#: At full text only: the report could not be obtained. PRISMA 2020 counts it as "Reports not retrieved",
#: apart from the reports assessed and excluded with a reason; it is neither an include nor an exclusion.
NOT_RETRIEVED = "not_retrieved"
FULL_TEXT_DECISIONS = DECISIONS + (NOT_RETRIEVED,)


def stage_decisions(stage: str) -> tuple[str, ...]:
    """The decisions a stage takes: full text also 'not_retrieved' (a title and abstract are always at hand)."""
    return FULL_TEXT_DECISIONS if stage == "full_text" else DECISIONS


def decision_refused(decision: str, stage: str) -> str | None:
    """Why ``decision`` cannot be logged at ``stage`` (None: it can), in a reviewer's words."""
    if decision in stage_decisions(stage) + ("retract",):
        return None
    if decision == NOT_RETRIEVED:
        return ("'not retrieved' is a full-text decision (the full text could not be obtained); at title and "
                "abstract give include, exclude or maybe")
    return f"decision {decision!r} is not one of {', '.join(stage_decisions(stage))}"


def empty_record() -> dict:
    rec = {f: None for f in FIELDS}
    rec["authors"] = []
    rec["keywords"] = []
    rec["raw"] = {}
    return rec


#: An abstract that is only the titles a record gives beside its title (import's "Other title: ..." lines, as
#: ``io.common.with_other_titles`` writes them; MEDLINE's TT): the record has no abstract to read.
_OTHER_TITLES_ONLY = re.compile(r"\s*(?:Other title: [^\n]*(?:\n\s*|$))+$")


def only_other_titles(abstract) -> bool:
    """Whether ``abstract`` is only the record's other titles: shown, with the words a record with no abstract gets
    (shown alone, they read as the abstract)."""
    return isinstance(abstract, str) and bool(_OTHER_TITLES_ONLY.match(abstract))


_PERCENT = re.compile(r"%[0-9a-f]{2}", re.I)
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
# Stored form: printable ASCII without capitals, ending in a letter or digit (anything else takes
# the long way, which trims what a list or a link put around it)
_DOI_PLAIN = re.compile(r"10\.\d{4,9}/[!-@\[-~]*[a-z0-9]")
# Copied from a PDF or a word processor: Unicode hyphens and minus for "-", invisible characters
_DOI_CHARS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                            "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None,
                            "\ufeff": None})
# Around a DOI in a reference list, a cell holding several, a quoted or bracketed link: what ends a
# sentence or a list item, a closing quote, and a closing bracket with no opening one in the DOI
# ("10.1016/S0140-6736(20)30183-5" keeps its own); PubMed's "[doi]" tag written without a space.
_DOI_END = ".,;:'\"\u2018\u2019\u201c\u201d\u00bb)]}>"
_DOI_OPENER = {")": "(", "]": "[", "}": "{", ">": "<"}
_DOI_TAG = re.compile(r"\[(?:doi|pii)\]$")
# A link's query or fragment is no part of the DOI in it (a "?" or "#" of the DOI itself is
# percent-encoded in a link); a publisher's tracking query copied without its link goes too
_DOI_LINK_REST = re.compile(r"[?#].*$", re.S)
# A publisher link's view after the DOI ("frontiersin.org/articles/10.3389/x/full", Wiley's
# ".../doi/10.1002/x/abstract"): the page, not the DOI; read from links only
_DOI_LINK_VIEW = re.compile(r"/(?:full|fulltext|abstract|abs|pdf|epdf|pdfdirect|summary|html|references|citedby"
                            r"|suppinfo|meta)/?$", re.I)
# The Cochrane Library's name for a CENTRAL entry, in the link it exports for each trial record
# (".../central/doi/10.1002/central/CN-01234567/full"): not the article's DOI, so no DOI (read as
# one, the trial never matched its copy from MEDLINE, records with different DOIs being different studies)
_CENTRAL_ENTRY = "10.1002/central/"
_DOI_TRACKING = re.compile(r"[?&](?:via|utm_[a-z]+|af|casa_token|src|journalcode|cookieset)=.*$")
#: Tags that exports write inside a sentence: italics, sub- and superscripts (Scopus' '<inf>'), links, MathML and
#: the '<inline-formula>' Crossref wraps it in, Crossref's small caps and overline ('<scp>COVID</scp>-19' in Wiley's
#: titles), and JATS's inline tags that exports copy without their 'jats:' prefix
INLINE_TAGS = frozenset("i b u em strong sub sup inf span small big tt font a abbr cite code sc mark math mi mn "
                        "mo mtext mrow msub msup msubsup mover munder munderover mstyle semantics mfrac msqrt "
                        "mroot inline-formula scp ovl italic bold monospace underline overline roman sans-serif "
                        "strike named-content styled-content ext-link uri xref".split())
#: Tags that set a paragraph, heading or line apart, HTML's and (as '<jats:sec>') JATS's
HTML_BLOCK_TAGS = frozenset("p br hr div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table thead tbody tfoot tr td th "
                            "caption blockquote section article header footer".split())
JATS_BLOCK_TAGS = HTML_BLOCK_TAGS | frozenset("sec title list list-item label abstract trans-abstract disp-quote fig "
                                              "table-wrap boxed-text def-list def-item term def break".split())


def without_markup(title: str) -> str:
    """A title without its tags as the import reads them (``screener.io.common``): inline tags (CO<sub>2</sub>,
    <i>E. coli</i>, MathML's <mml:mn>2</mml:mn>) go without a trace, block tags leave a space; words in angle
    brackets that are no tag ('a<b and c>d', the allele 'Ptprc<a>') stay, as in the stored title."""
    from screener.io.common import _without_tags  # that module imports this one
    return _without_tags(title, lone=True)


# Characters that carry meaning in a title and would otherwise vanish with the punctuation:
# "PPAR-α" and "PPAR-γ", "aged ≥80" and "aged <80", "HIV+" are different studies. Greek letters
# become their names, so "TNF-α" and "TNF-alpha" match.
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma sigma tau "
    "upsilon phi chi psi omega").split()))
_SIGNS = {"≥": "ge", "⩾": "ge", "≧": "ge", "≤": "le", "⩽": "le", "≦": "le", "<": "lt", ">": "gt", "+": "plus",
          "±": "plus minus", "÷": "div", "×": "x", "→": "to", "↑": "up", "↓": "down", **_GREEK}
_SIGN = re.compile("[" + re.escape("".join(_SIGNS)) + "]")
_TYPED_SIGN = re.compile(r"[<>]\s*/?\s*=")
# "ß" typed for "β" (no Greek on the keyboard): "ß-blockers", "TGF-ß", "Aß42"; after a small letter it
# is German's sharp s ("Straße", "groß"), "ss"
_ESZETT = re.compile("ß")
# Latin letters that Unicode does not decompose into a plain letter and an accent: "Œdème" is
# "Oedème", "Tromsø" is "Tromso", "Łódź" is "Lodz" (without this they vanished: "Œdema" -> "dema")
_LATIN_LETTERS = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                                "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h",
                                "Ħ": "H"})
# Spacing modifier letters are marks, not letters: "Alzheimerʼs" (U+02BC) is "Alzheimer's"
_LATIN_LETTERS.update({c: " " for c in range(0x2B0, 0x300)})
_KANA_MARKS = "\u3099\u309a"  # the combining voicing marks NFKD takes out of "ベ", "パ"
# ASCII letters and digits stay, every other ASCII character becomes a space (str.translate is C)
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
# Runs of ASCII letters and digits, and runs of other scripts' letters ("вакцинации", "黄芪多糖"): a
# Chinese or Russian title is more than the Latin words in it, "TLR4/NF-κB" in two different papers
_WORD = re.compile(r"[a-z0-9]+|[^\W\d_a-z]+")


def normalise_doi(doi: str | None) -> str | None:
    """Lower-case DOI without resolver prefix or percent-encoding, or None: DOIs are
    case-insensitive, and a link may encode "(" as "%28" (Ovid's SFX links encode it twice). What a
    list or a reference put after it goes ("10.1136/bmj.l1234;", "...30183-5)." -> "...30183-5")."""
    if not doi:
        return None
    if (type(doi) is str and doi.startswith("10.") and "%" not in doi and "?" not in doi and "#" not in doi
            and _DOI_PLAIN.fullmatch(doi)):
        # already normalised, as readers store them: the common case, kept cheap
        return None if doi.startswith(_CENTRAL_ENTRY) else doi
    d = str(doi).translate(_DOI_CHARS).strip()
    if d[:4].lower() == "http" and _DOI.search(_DOI_LINK_REST.sub("", d)):
        d = _DOI_LINK_REST.sub("", d)  # "https://doi.org/10.1016/j.x.2020.1?via%3Dihub"
        d = _DOI_LINK_VIEW.sub("", d)
    d = _DOI_PREFIX.sub("", d).strip().rstrip(".").lower()
    for _ in range(3):
        if not _PERCENT.search(d):
            break
        d = unquote(d)
    m = _DOI.search(d)
    if not m:
        return None
    d = _DOI_TRACKING.sub("", _DOI_TAG.sub("", m.group(0)))
    while d and d[-1] in _DOI_END:
        opener = _DOI_OPENER.get(d[-1])
        if opener and d.count(opener) >= d.count(d[-1]):
            break  # its own bracket: "...(20)30183-5)" loses one, "...(sici)...<...>" keeps it
        d = d[:-1]
    return d if _DOI.fullmatch(d) and not d.startswith(_CENTRAL_ENTRY) else None


#: British words and their American spelling, one word each ("programme"/"program", "centre"/"center"): matching
#: reads both the American way
SPELLING_WORDS = {
    "programme": "program", "programmes": "programs", "grey": "gray", "ageing": "aging", "judgement": "judgment",
    "enrolment": "enrollment", "enrolments": "enrollments", "enrol": "enroll", "fulfil": "fulfill",
    "fulfilment": "fulfillment", "skilful": "skillful", "licence": "license", "defence": "defense",
    "offence": "offense", "offences": "offenses", "practise": "practice", "practised": "practiced",
    "aluminium": "aluminum", "centre": "center", "centres": "centers", "centred": "centered",
    "fibre": "fiber", "fibres": "fibers", "litre": "liter", "litres": "liters", "metre": "meter",
    "metres": "meters", "theatre": "theater", "theatres": "theaters", "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers", "mould": "mold", "moulds": "molds", "cheque": "check", "sceptical": "skeptical",
    "tyre": "tire", "tyres": "tires", "plough": "plow", "draught": "draft", "kerb": "curb",
}


#: "&" (or "&amp;") standing between words: the word "and" ("R&D" stays one word)
_AMPERSAND = re.compile(r"(?<!\S)&(?!\S)")
#: "&" between two letters set off by spaces ("Q & A", "R & D"): the one word "Q&A" spaced
_LETTERS_AMPERSAND = re.compile(r"(?<![^\W\d_])([^\W\d_]) +& +([^\W\d_])(?![^\W\d_])")


def ampersand_as_and(text: str) -> str:
    """The text with an '&' between words written 'and': journals write 'Stigma, HIV & substance use', MEDLINE
    'and'. "R&D" stays as it is, and so does "R & D", its copy spaced."""
    if "&" not in text:
        return text
    text = html.unescape(text) if ";" in text else text
    return _AMPERSAND.sub(" and ", _LETTERS_AMPERSAND.sub(r"\1&\2", text))


# '<' and '>' as LaTeX that a reference manager left in text ('p \\textless .001', '\\textgreater{}'), or escaped
# twice by Zotero and its braces lost on the way to a table ('p \\textbackslashtextless 0.05')
_LATEX_SIGN = re.compile(r"(?:\\|(?<![A-Za-z])\\?textbackslash\s?\\?)text(less|greater)(?![A-Za-z])(?:\{\})?")


def latex_signs(text: str) -> str:
    """``text`` with LaTeX's '\\textless' and '\\textgreater' written '<' and '>'."""
    if "text" in text and ("less" in text or "greater" in text):
        return _LATEX_SIGN.sub(lambda m: "<" if m.group(1) == "less" else ">", text)
    return text


def normalise_title(title: str | None) -> str:
    """Accent-, case- and punctuation-free title for matching the same study across databases.
    Letters of other scripts stay ("基于 tlr4 nf kappa b 信号通路..."): nothing is stored from it, so
    a project's next de-duplication reads every title this way."""
    if not title:
        return ""
    t = str(title)
    if "&" in t and ";" in t:  # HTML entities: "&#39;", "&amp;", "&alpha;"
        t = html.unescape(t)
    t = latex_signs(t)  # stored by an import that kept a reference manager's LaTeX ("\\textless 65")
    if "<" in t:  # stray markup such as <i> in Scopus titles
        t = without_markup(t)
    if not t.isascii():  # ASCII text has no accents to strip (NFKD leaves it as it is)
        if "ß" in t:
            t = _ESZETT.sub(lambda m: "ss" if m.start() and t[m.start() - 1].islower() else " beta ", t)
        t = unicodedata.normalize("NFKD", t.translate(_LATIN_LETTERS))
        t = "".join(c for c in t if not unicodedata.combining(c) or c in _KANA_MARKS)
        if "\u3099" in t or "\u309a" in t:  # kana keep their voicing: "ベ" is not "ヘ"
            t = unicodedata.normalize("NFC", t)
    t = t.lower()
    if not t.isascii() or "<" in t or ">" in t or "+" in t:
        if "=" in t:  # ">=65" and ">/=65", typed for "≥65"
            t = _TYPED_SIGN.sub(lambda m: "≥" if m.group(0)[0] == ">" else "≤", t)
        t = _SIGN.sub(lambda m: f" {_SIGNS[m.group(0)]} ", t)
    if t.isascii():  # the same as the regex below, several times faster
        return " ".join(t.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split())
    return " ".join(_WORD.findall(t))  # runs of letters and digits, one space between


# a supplement's page may carry the supplement's roman number ("viii108": Annals of Oncology's supplement 8)
_PAGE = re.compile(r"(?:[ivxlcdm]{1,5}|[A-Za-z]{0,3})\d+[A-Za-z]?|[ivxlcdm]+", re.I)


def start_page(pages) -> str | None:
    """First page of a page range, without leading zeros or a "p." ("pp. 0123-9" -> "123")."""
    if pages is None or (isinstance(pages, float) and pages != pages):
        return None
    text = str(pages).strip()
    text = re.sub(r"^(pp?\.?|pages?)\s*", "", text, flags=re.I)
    m = _PAGE.match(text)
    if not m:
        return None
    page = m.group(0)
    digits = re.match(r"([A-Za-z]*)0*(\d+[A-Za-z]?)$", page)
    return (digits.group(1) + digits.group(2)) if digits else page.lower()


def page_range(first, last=None) -> str | None:
    """``pages`` from a start and an end page as RIS (SP/EP) and others give them; ranges kept as given."""
    a = str(first).strip() if first not in (None, "") else ""
    b = str(last).strip() if last not in (None, "") else ""
    if a and b and b != a and "-" not in a:
        return f"{a}-{b}"
    return a or b or None


def record_text(title: str | None, abstract: str | None) -> str:
    """The text a model reads: title, then abstract; a record without abstract is its title."""
    title = title.strip() if isinstance(title, str) else ""  # missing fields arrive as None or NaN
    abstract = abstract.strip() if isinstance(abstract, str) else ""
    if title and abstract:
        return f"{title}. {abstract}" if not title.endswith((".", "?", "!")) else f"{title} {abstract}"
    return title or abstract


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 record', '3 records': a count with its noun as a reviewer reads it, never 'record(s)'
    (``many`` where adding 's' is wrong: 'entries')."""
    return f"{n} {noun(n, one, many)}"


def noun(n: int, one: str, many: str | None = None) -> str:
    """The noun (or verb) for ``n`` of them: 'line' or 'lines', 'was' or 'were'."""
    return one if n == 1 else (many if many is not None else one + "s")


def ordinal(k) -> str:
    """'24th': a place in the screening order, never to be read as a record number ('record 24')."""
    k = int(k)
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


#: RIS reference types (the TY codes of the RIS specification) as a reviewer reads them
RIS_TYPE_WORDS = {
    "ABST": "Abstract", "ADVS": "Audiovisual material", "AGGR": "Aggregated database", "ANCIENT": "Ancient text",
    "ART": "Artwork", "BILL": "Bill", "BLOG": "Blog", "BOOK": "Book", "CASE": "Legal case", "CHAP": "Book chapter",
    "CHART": "Chart", "CLSWK": "Classical work", "COMP": "Computer program", "CONF": "Conference proceedings",
    "CPAPER": "Conference paper", "CTLG": "Catalogue", "DATA": "Dataset", "DBASE": "Online database",
    "DICT": "Dictionary", "EBOOK": "E-book", "ECHAP": "E-book chapter", "EDBOOK": "Edited book",
    "EJOUR": "Electronic article", "ELEC": "Web page", "ENCYC": "Encyclopedia", "EQUA": "Equation",
    "FIGURE": "Figure", "GEN": "Generic", "GOVDOC": "Government document", "GRANT": "Grant", "HEAR": "Hearing",
    "ICOMM": "Internet communication", "INPR": "Article in press", "JFULL": "Journal (whole issue)",
    "JOUR": "Journal article", "LEGAL": "Legal rule or regulation", "MANSCPT": "Manuscript", "MAP": "Map",
    "MGZN": "Magazine article", "MPCT": "Film", "MULTI": "Online multimedia", "MUSIC": "Music score",
    "NEWS": "Newspaper article", "PAMP": "Pamphlet", "PAT": "Patent", "PCOMM": "Personal communication",
    "RPRT": "Report", "SER": "Serial publication", "SLIDE": "Slide", "SOUND": "Sound recording", "STAND": "Standard",
    "STAT": "Statute", "THES": "Thesis", "UNBILL": "Unenacted bill", "UNPB": "Unpublished work",
    "VIDEO": "Video recording",
}


def type_words(value: str | None) -> str | None:
    """A record's type as a reviewer reads it: an RIS code in words ('ELEC': 'Web page', 'JOUR': 'Journal
    article'), a type already in words (an erratum, a CSV's 'Journal Article') as it is."""
    if not isinstance(value, str) or not value.strip():
        return None
    return RIS_TYPE_WORDS.get(value.strip().upper(), value.strip())
