"""The review protocol as a ranking signal: what to rank first before any include is labelled.

A protocol file (TOML, YAML or plain text) states the review question, inclusion and exclusion criteria,
optional key terms, and optional known relevant records (DOIs or titles), e.g.::

    title = "Experiences of peer work in drug use services"
    inclusion = ["qualitative findings", "peer workers with lived experience of drug use"]
    exclusion = ["reviews, commentaries and protocols"]
    key_terms = ["peer worker", "harm reduction"]
    known_relevant = ["10.2196/17053", "A title of a study we know belongs in the review"]

or plain text (.txt, .md) with the same sections under headings, as a team writes it::

    Question: How do peers experience work in drug use services?
    Inclusion criteria:
    - qualitative findings
    - peer workers with lived experience of drug use
    Exclusion criteria:
    - reviews, commentaries and protocols
    Key terms: peer worker, harm reduction

``protocol_scores`` turns it into one score per record: a BM25 match of the record text to the
question, criteria and key terms (terms that only the exclusion criteria use pull a record
down), blended with the embedding cosine between the record and the protocol when embeddings
are available. ``match_known_relevant`` finds the known relevant records among the imports, so
they can be labelled include before screening starts.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from screener.errors import ScreenerError
from screener.records import normalise_doi, normalise_title

PROTOCOL_KEYS = ("title", "question", "inclusion", "exclusion", "key_terms", "known_relevant")

#: English function words plus words that describe reviewing rather than a topic: they are in
#: every protocol and would make every review article look relevant.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else etc
    ever every few for from further had has have having he her here hers him his how however i if
    in into is it its itself just least less may me might more most much must my neither no nor not
    now of off on once only or other our ours out over own per rather same she should since so some
    such than that the their theirs them then there these they this those though through thus to
    too under until up upon us very via was we were what when where whether which while who whom
    whose why will with within without would yet you your
    review reviews reviewed systematic scoping meta analysis analyses study studies include
    included includes including inclusion exclude excluded excludes excluding exclusion criteria
    criterion record records article articles paper papers report reports reported reporting
    research researcher evidence primary publication published eligible eligibility relevant
    class""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in t if not unicodedata.combining(c)).lower()


def _fold_mapped(text: str) -> tuple[str, list[int]]:
    """``_fold(text)`` and, for each of its characters, where it came from in ``text``."""
    out: list[str] = []
    at: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKD", ch):
            if not unicodedata.combining(c):
                low = c.lower()
                out.append(low)
                at.extend([i] * len(low))
    return "".join(out), at


_STEM_CACHE: dict[str, str] = {}


def _stem(tok: str) -> str:
    """A light plural stripper: enough to match "peers"/"peer" and "studies"/"study"."""
    s = _STEM_CACHE.get(tok)
    if s is not None:
        return s
    s = tok.replace("'", "")
    if len(s) > 4 and s.endswith("ies"):
        s = s[:-3] + "y"
    elif len(s) > 3 and s.endswith("s") and not s.endswith(("ss", "us", "is")):
        s = s[:-1]
    _STEM_CACHE[tok] = s
    return s


def tokenize(text: str, *, bigrams: bool = True) -> list[str]:
    """Stemmed content words, plus "w1 w2" for each pair of adjacent content words."""
    raw = []
    for m in _TOKEN.finditer(_fold(text)):
        for part in m.group(0).split("-"):
            raw.append(part)
    toks = [None if (t in STOP_WORDS or len(t) < 2) else _stem(t) for t in raw]
    out = [t for t in toks if t is not None]
    if bigrams:
        out.extend(f"{a} {b}" for a, b in zip(toks, toks[1:]) if a is not None and b is not None)
    return out


#: Plain-text protocols: what a review team has at hand (a registration, a page of the protocol).
PLAIN_SUFFIXES = (".txt", ".md")

#: Section headings of a plain-text protocol -> the protocol key they fill. Registration headings
#: (PROSPERO's population, intervention, comparator, outcomes, study types) say what to include, so
#: do the frameworks qualitative reviews use: PICo (phenomenon of interest, context), SPIDER (sample,
#: design, evaluation, research type), SPICE (setting, perspective), and so do the Cochrane Handbook's (types of
#: participants, interventions, outcome measures) and PICOTS's timing. Unknown, a "Comparison" row was glued onto
#: the criterion above it, its word "comparison" searched for as one.
PLAIN_HEADINGS = {
    **dict.fromkeys(("title", "review title"), "title"),
    **dict.fromkeys(("question", "questions", "review question", "review questions", "research question",
                     "research questions", "objective", "objectives", "aim", "aims"), "question"),
    **dict.fromkeys(("inclusion", "inclusion criteria", "include", "eligibility", "eligibility criteria",
                     "criteria for considering studies for this review", "selection criteria", "population",
                     "participants", "participants/population", "condition or domain",
                     "condition or domain being studied", "intervention", "interventions",
                     "intervention(s), exposure(s)", "exposure", "exposures", "outcome", "outcomes",
                     "comparison", "comparisons", "comparator", "comparators", "comparator(s)", "comparison(s)",
                     "comparator(s)/control", "comparator(s) / control", "control", "controls", "sample",
                     "design", "evaluation", "research type", "perspective",
                     "main outcome(s)", "additional outcome(s)", "types of study", "types of studies",
                     "types of study to be included", "study design", "study designs", "context", "setting",
                     "phenomenon of interest", "phenomena of interest", "types of participants",
                     "types of interventions", "types of outcome measures", "types of outcomes", "outcome measures",
                     "primary outcomes", "secondary outcomes", "timing"), "inclusion"),
    **dict.fromkeys(("exclusion", "exclusion criteria", "exclude"), "exclusion"),
    **dict.fromkeys(("key terms", "key_terms", "keywords", "key words", "search terms"), "key_terms"),
    **dict.fromkeys(("known relevant", "known_relevant", "known relevant records", "known relevant studies",
                     "known includes", "seed studies"), "known_relevant"),
}
#: Sections that say how the review is run (search, selection, data extraction, appraisal, synthesis), why
#: (background) or who runs it (a registration's contacts, dates, funding): not which records to include. Unknown,
#: each was glued onto the criterion above it ('MEDLINE', 'two reviewers' searched for in every record), or, as a
#: Markdown heading, refused. Their text is left out, and ``Protocol.left_out`` names them for the team to see.
LEFT_OUT_HEADINGS = frozenset((
    "background", "introduction", "rationale", "description of the condition", "description of the intervention",
    "how the intervention might work", "why it is important to do this review", "methods",
    "search strategy", "search methods", "searches", "search methods for identification of studies",
    "electronic searches", "searching other resources", "information sources", "url to search strategy",
    "study selection", "selection of studies", "selection process", "data extraction",
    "data extraction and management", "data extraction (selection and coding)", "data collection",
    "data collection and analysis", "data collection process", "data items", "data management", "data synthesis",
    "strategy for data synthesis", "synthesis", "data analysis", "statistical analysis", "quality assessment",
    "quality appraisal", "critical appraisal", "risk of bias", "risk of bias assessment",
    "risk of bias (quality) assessment", "assessment of risk of bias", "assessment of risk of bias in included studies",
    "measures of effect", "measures of treatment effect", "unit of analysis issues", "dealing with missing data",
    "assessment of heterogeneity", "assessment of reporting biases", "subgroup analysis",
    "subgroup analysis and investigation of heterogeneity", "analysis of subgroups or subsets", "sensitivity analysis",
    "certainty of evidence", "summary of findings",
    "summary of findings and assessment of the certainty of the evidence", "type and method of review",
    "dissemination", "dissemination plans", "ethics", "ethics and dissemination", "funding",
    "funding sources/sponsors", "conflicts of interest", "declarations of interest", "anticipated or actual start date",
    "anticipated completion date", "stage of review at time of this submission", "named contact",
    "review team members and their organisational affiliations", "collaborators", "acknowledgements", "references",
    "contact details", "timeline", "methodology", "study methods", "contributions of authors", "sources of support",
    "appendices", "appendix", "data collection methods"))
#: Left-out headings that, inside the criteria with words on their line, name an element of what to include:
#: 'Methods: qualitative or mixed methods studies' the study design ('Data collection: interviews' a qualitative
#: review's), 'Timeline: since 2000' PICOTS's timing. Left out, the review's design went unsearched; with no words
#: after them they still open a section left out.
_LEFT_OUT_ELEMENTS = {**dict.fromkeys(("methods", "method", "study methods", "study method", "methodology",
                                       "methodologies", "study methodology", "research methods", "research method",
                                       "research methodology", "data collection", "data collection methods",
                                       "data collection method"), "Study design"), "timeline": "Timing"}
#: PROSPERO's 'Language: English only', 'Country: UK' inside the criteria say which records to include: a criterion
#: of its own, named so, not words glued onto the criterion above ('peer workers Language: English only').
_OWN_CRITERIA = frozenset(("language", "languages", "language(s)", "language of publication", "publication language",
                           "publication languages", "country", "countries", "country(ies)", "countries/regions"))
_LEFT_OUT = "left out"  # the section their text goes to, read by no key
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
#: "Inclusion criteria: ...", also in bold ("**Inclusion criteria:**" or "**Inclusion criteria**:")
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)?([A-Za-z][A-Za-z_ /(),'-]{0,60}?)\s*"
                         r"(?::\s*(?:\*\*|__)?|(?:\*\*|__)\s*:)\s*(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$")


#: A first heading of these words alone names the document, not the review ("# Systematic review
#: protocol", "# PROSPERO registration, version 2"): taken as the title, its words were the ranking's
#: query, weighted as the title is, and put study protocols and other reviews first.
_DOCUMENT_WORDS = frozenset("a an the of for our my review reviews systematic scoping rapid umbrella protocol "
                            "protocols prospero registration registered record draft version final revised updated "
                            "study v".split())


def _names_the_document(heading: str) -> bool:
    words = re.findall(r"[^\W\d_]+", heading.lower())
    return bool(words) and all(w in _DOCUMENT_WORDS for w in words)


def _heading_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().strip("*_").strip().rstrip(":").strip()).lower()


def _singular(name: str) -> str:
    return re.sub(r"\(s\)", "", re.sub(r"\b([a-z]{3,}[^s\W])s\b", r"\1", name)).strip()


#: The headings in the singular ('populations', 'intervention(s)' and 'comparators/control' name a heading too)
_SINGULAR_HEADINGS = {_singular(h): k for h, k in PLAIN_HEADINGS.items() if k != "exclusion"}


def _heading_key(name: str) -> str | None:
    """The section a heading opens; a known heading in the plural ('Populations', 'Intervention(s)') or two of one
    section ('Interventions/exposures') opens it too: refused as a typo, it stopped a PROSPERO-style protocol."""
    n = _heading_name(name)
    if n in PLAIN_HEADINGS:
        return PLAIN_HEADINGS[n]
    keys = {_SINGULAR_HEADINGS.get(_singular(n))} if _singular(n) in _SINGULAR_HEADINGS else {
        _SINGULAR_HEADINGS.get(_singular(part)) for part in n.split("/")}
    return keys.pop() if len(keys) == 1 and None not in keys else None


#: Inclusion headings that say so themselves; the others (Population, Design, Comparison ...) name an
#: element of the question, which a protocol may also use to list what it excludes.
_SAYS_INCLUDE = frozenset(("inclusion", "inclusion criteria", "include", "eligibility", "eligibility criteria",
                           "types of study to be included", "criteria for considering studies for this review",
                           "selection criteria"))


def _is_element(name: str) -> bool:
    n = _heading_name(name)
    return _heading_key(n) == "inclusion" and _singular(n) not in {_singular(h) for h in _SAYS_INCLUDE}


def _exclusion_word(word: str) -> bool:
    """'exclusion', 'excluded', 'exclusions', and their typos ('exlcusion'), never 'inclusion'."""
    if word.startswith("exclu"):
        return True
    close = max(difflib.SequenceMatcher(None, word, w).ratio() for w in ("exclusion", "excluded", "exclude"))
    return close >= 0.8 and close > difflib.SequenceMatcher(None, word, "inclusion").ratio()


def _says_exclude(name: str) -> bool:
    """Whether a heading screener does not know opens what to exclude: 'Exlcusion criteria', 'Exclusions',
    'Criteria for exclusion', 'Studies were excluded if', 'Not included' (not 'Adults excluded from housing')."""
    words = re.findall(r"[a-z]+", _heading_name(name))
    while words and words[-1] in ("if", "when", "where", "criteria", "criterion"):
        words.pop()
    if not words:
        return False
    return (_exclusion_word(words[0]) or _exclusion_word(words[-1])
            or " ".join(words[:2]) in ("not included", "not eligible") or words[0] == "ineligible")


def _misspelt_heading(name: str) -> str | None:
    """The heading a line screener does not know mistypes ('Inclusion critera' for 'Inclusion criteria:'), else
    None: read as text, it and its criteria went into the question, and 'init' said only '0 inclusion criteria'."""
    n = _heading_name(name)
    known = [h for h in PLAIN_HEADINGS if len(h) >= 8 and "_" not in h]
    close = difflib.get_close_matches(n, known, n=1, cutoff=0.9) if len(n) >= 8 else []
    return f"{close[0][0].upper()}{close[0][1:]}:" if close else None


_SINGULAR_LEFT_OUT = frozenset(_singular(h) for h in LEFT_OUT_HEADINGS)


def _left_out_heading(name: str) -> bool:
    """Whether a heading opens a section left out (``LEFT_OUT_HEADINGS``), in the plural or, of two words or more, a
    letter off too ('Data analyses', 'Data extration'): so near, it is no criterion. One word a letter off is
    another word ('Preferences', 'Searchers'), a criterion's name."""
    n = _heading_name(name)
    if n in LEFT_OUT_HEADINGS or _singular(n) in _SINGULAR_LEFT_OUT:
        return True
    return " " in n and len(n) >= 8 and bool(difflib.get_close_matches(n, LEFT_OUT_HEADINGS, n=1, cutoff=0.9))


#: "Inclusion: adults ... Exclusion: children" inside one criterion (a registration's Participants/population)
_INLINE_PART = re.compile(r"(?:^|(?<=[\s.;,]))(?:\*\*|__)?(Inclusion|INCLUSION|Exclusion|EXCLUSION)"
                          r"(?: criteria| CRITERIA)?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*")


def _parts_by_section(key: str, text: str) -> list[tuple[str, str]]:
    """(section, text) of each part of one criterion: an "Exclusion:" part inside a Participants/population
    entry is what the review excludes, not words to search for as what it includes."""
    out, at, k = [], 0, key
    for m in _INLINE_PART.finditer(text):
        out.append((k, text[at:m.start()].strip()))
        k, at = m.group(1).lower(), m.end()
    out.append((k, text[at:].strip()))
    return [(k, t) for k, t in out if t]


def plain_protocol(raw: str, source: str = "protocol", notes: list[str] | None = None,
                   left_out: list[str] | None = None, *, leave_out: bool = True) -> dict:
    """A plain-text protocol as the keys ``Protocol.from_dict`` reads.

    Sections start at a heading line, "Inclusion criteria:" (text may follow on the same line) or a
    Markdown "## Inclusion criteria"; the names understood are ``PLAIN_HEADINGS``'s. Under a
    criteria heading each list item ("-", "*", "1.") or paragraph is one criterion; key terms are
    also split at commas and semicolons; known relevant records are one DOI or title per line. A
    Markdown table's row named as a section ("| Population | adults |") is that section.
    Text before the first heading is the review question, so a file holding nothing but the
    question works too. A Markdown heading screener does not know is refused with its line (its
    text would otherwise be read as part of the section above it, and an exclusion criterion read
    as an inclusion one ranks the wrong records first); the first line's heading, when unknown, is
    the review's title (unless it only names the document: "# Systematic review protocol").

    An element line (Population, Design, Comparison ...) inside an exclusion section is an exclusion
    criterion: under a Markdown "# Exclusion criteria" (to the next heading, but for a deeper "## Population"),
    indented under "Exclusion criteria:", or straight under an empty one. After plain "Exclusion criteria:" items
    it may as well start the question's elements (as in a registration): it is read as an inclusion
    criterion and ``notes`` (given a list) gets a line saying so, for ``screener protocol`` to show.
    "Inclusion: ... Exclusion: ..." inside one entry puts each part in its section.

    A section on how the review is run or why (``LEFT_OUT_HEADINGS``: Background, Search strategy, Data
    extraction, Risk of bias ...), as a heading, a label line or a table's row, is left out: ``left_out`` (given a
    list) gets its heading, line and how many lines of text it held, for ``screener protocol`` to show;
    ``leave_out=False`` reads them as text, as a review's protocol set before they were left out was read.
    """
    sections: dict[str, list[list[str]]] = {}
    key, item, seen_heading = "question", None, False
    # the open exclusion section: the depth of its Markdown heading, or its label line (line, indent, text,
    # whether element lines are its parts, how many exclusion criteria there were before it)
    excl_md: int | None = None
    excl_label: list | None = None
    columns: list[str] | None = None  # the sections a table's columns are, under a header naming them
    skipped: list[list] = []  # [heading, line, lines of text under it] of each section left out

    def start(k: str) -> None:
        nonlocal key, item
        key, item = k, None
        sections.setdefault(k, [])

    def leave(name: str, n: int) -> None:
        nonlocal seen_heading
        seen_heading = True
        skipped.append([name.strip().strip("*_").strip().rstrip(":").strip(), n, 0])
        start(_LEFT_OUT)

    lines = raw.splitlines()
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text.startswith("|"):
            columns = None  # the table, if any, ended
        if not text:
            item = None  # a blank line ends a paragraph: the next text is a new criterion
            continue
        if text.startswith("|"):
            # a Markdown table (a PICO table): a row named as a section ("| Population | adults |") is
            # that section; read as text, its "Exclusion" row ranked what it excludes first
            cells = [c.strip() for c in text.strip().strip("|").split("|")]
            if _TABLE_RULE.match(text):
                continue
            if columns is not None:  # a row under a header of sections: each cell is a criterion of its column's
                if len(cells) > len(columns):
                    raise ScreenerError(f"{source}, line {n}: this row has {len(cells)} cells under a header of "
                                        f"{len(columns)}; give each cell its own column (or its own line)")
                for k, c in zip(columns, cells):
                    if c:
                        sections.setdefault(k, []).append([c])
                item = None
                continue
            header_keys = [_heading_key(c) for c in cells]
            if (n < len(lines) and _TABLE_RULE.match(lines[n].strip()) and len(cells) >= 2
                    and all(k is not None for k in header_keys)):
                # a PICO table by columns ("| Population | Intervention | Comparison | Outcome |"): read
                # as text, its rows were one criterion of the section above the table (an exclusion one)
                columns, seen_heading = header_keys, True
                continue
            if n < len(lines) and _TABLE_RULE.match(lines[n].strip()):  # the header, above the rule
                if len(cells) > 2 and any(_heading_key(c) == "exclusion" for c in cells):
                    raise ScreenerError(
                        f"{source}, line {n}: a table with an exclusion column beside the others is not read (its "
                        "criteria would be taken as what to include); give each section its own lines, e.g. "
                        "'Inclusion criteria:' and 'Exclusion criteria:' with one criterion a line under each")
                continue
            key_of_row = _heading_key(cells[0]) if len(cells) == 2 else None
            # '| Risk of bias | RoB 2 |'
            if key_of_row is None and len(cells) == 2 and leave_out and _left_out_heading(cells[0]):
                leave(cells[0], n)
                skipped[-1][2] += bool(cells[1])
                continue
            if key_of_row is not None:
                seen_heading = True
                start(key_of_row)
                text = cells[1]
                if not text:
                    continue
            else:  # a row of its own: one criterion of the section it is in
                text, item = " ".join(c for c in cells if c), None
                if not text:
                    continue
        md = _MD_HEADING.match(line)
        if md:
            k = _heading_key(md.group(1))
            depth = len(line.strip()) - len(line.strip().lstrip("#"))
            if k is not None and excl_md is not None and depth > excl_md and _is_element(md.group(1)):
                item = None  # "### Population" under "## Exclusion criteria": who is excluded
                continue
            excl_md, excl_label = (depth if k == "exclusion" else None), None
            if k is None and leave_out and _left_out_heading(md.group(1)):
                leave(md.group(1), n)
                continue
            if k is None:
                if not seen_heading and not any(sections.values()):
                    if not _names_the_document(md.group(1)):
                        start("title")
                        sections["title"].append([md.group(1).strip()])
                    seen_heading = True
                    start("question")
                    continue
                raise ScreenerError(
                    f"{source}, line {n}: the heading {md.group(1).strip()!r} is not one screener reads; name "
                    "sections Question, Inclusion criteria, Exclusion criteria, Key terms or Known relevant "
                    "(or Population, Intervention, Comparison, Outcomes, Types of study, Phenomenon of interest, "
                    "Context, which count as inclusion criteria), or delete the heading, then run the same command "
                    "again.")
            seen_heading = True
            start(k)
            continue
        lab = _LABEL_LINE.match(line)
        if lab and key != "exclusion" and _heading_key(lab.group(1)) is None and _says_exclude(lab.group(1)):
            raise ScreenerError(
                f"{source}, line {n}: {line.strip()!r} looks like the start of the exclusion criteria, but it is "
                "not a heading screener reads, so the criteria under it would be taken as what to include. Head "
                "them 'Exclusion criteria:' (one criterion a line under it), then run the same command again.")
        label = lab.group(1) if lab else ""
        if lab and key in ("inclusion", "exclusion") and lab.group(2).strip():
            label = _LEFT_OUT_ELEMENTS.get(_heading_name(label), label)  # 'Methods: qualitative studies'
        if lab and _heading_key(label) is None and leave_out and _left_out_heading(label):
            leave(label, n)
            excl_md = excl_label = None
            text, lab = lab.group(2).strip(), None
            if not text:
                continue
        meant = _misspelt_heading(label) if lab and _heading_key(label) is None else None
        if meant is not None:
            raise ScreenerError(
                f"{source}, line {n}: {line.strip()!r} is not a heading screener reads, so the lines under it would "
                f"be read as part of the section above it. If it is meant as {meant!r}, write it so, then run the "
                "same command again.")
        if lab and _heading_key(label) is not None:
            seen_heading = True
            text = lab.group(2).strip()
            indent = len(line) - len(line.lstrip())
            if not _is_element(label):
                start(_heading_key(label))
                excl_md = None
                excl_label = [n, indent, text, False, len(sections[key])] if key == "exclusion" else None
            elif key == "exclusion" and (excl_md is not None or (excl_label is not None and (
                    indent > excl_label[1] or excl_label[3]
                    or not (excl_label[2] or len(sections[key]) > excl_label[4])))):  # nothing under it yet
                if excl_label is not None and indent <= excl_label[1]:
                    excl_label[3] = True  # element lines straight under it: each is a part of the exclusion
                item = None
            else:
                if excl_label is not None and notes is not None:
                    where = f"the exclusion criteria (line {excl_label[0]})"
                    notes.append(
                        f"line {n}: {line.strip()!r} comes after {where} and was read as an INCLUSION criterion "
                        f"('{lab.group(1).strip().strip('*_')}' starts a section of what to include). If it is an "
                        f"exclusion criterion, make it a list item under Exclusion criteria ({'- ' + text!r}); if it "
                        "is what to include, move it above 'Exclusion criteria:'")
                start(_heading_key(label))
            if not text:
                continue
        if key == _LEFT_OUT:
            skipped[-1][2] += 1
            continue
        if lab and key in ("inclusion", "exclusion") and _heading_name(label) in _OWN_CRITERIA and lab.group(2).strip():
            text, item = f"{label.strip().strip('*_').strip()}: {lab.group(2).strip()}", None  # 'Language: English'
        li = _LIST_ITEM.match(text)
        if li:
            text, item = li.group(1).strip(), None
        bucket = sections.setdefault(key, [])
        if key == "known_relevant" or item is None:
            item = [text]
            bucket.append(item)
        else:
            item.append(text)
    sections.pop(_LEFT_OUT, None)
    said = [f"'{h}' (line {n}, {k} line{'s' * (k != 1)})" for h, n, k in skipped]
    criteria: dict[str, list[str]] = {}
    for k, items in sections.items():
        parts = [" ".join(i).strip() for i in items if " ".join(i).strip()]
        criteria.setdefault(k, [])
        for p in parts:
            for k2, t in (_parts_by_section(k, p) if k in ("inclusion", "exclusion") else [(k, p)]):
                criteria.setdefault(k2, []).append(t)
    data: dict = {}
    for k, parts in criteria.items():
        if not parts:
            continue
        if k in ("title", "question"):  # a title line and a question: two sentences, not one run-on
            data[k] = " ".join(t if t.endswith((".", "?", "!", ":")) else t + "." for t in parts[:-1]) \
                + (" " if len(parts) > 1 else "") + parts[-1]
        elif k == "key_terms":
            data[k] = [t.strip() for p in parts for t in re.split(r"[;,]", p) if t.strip()]
        else:
            # "Comparison: none", "Context: not applicable": the framework's row left empty, not a criterion
            # (its words would be searched for in every record)
            parts = [t for t in parts if _NOTHING.fullmatch(t) is None]
            if parts:
                data[k] = parts
    if not data and said:
        raise ScreenerError(f"{source}: holds only sections that say how the review is run or why, which screener "
                            f"leaves out: {', '.join(said)}. Add the review question and the inclusion criteria "
                            "(headed 'Question:' and 'Inclusion criteria:'), then run the same command again.")
    if not data:
        raise ScreenerError(f"{source}: the protocol file is empty")
    if left_out is not None:
        left_out.extend(said)
    return data


_NOTHING = re.compile(r"\s*(?:none|nil|n/?a|not applicable|not relevant|no comparators?|no comparisons?|no control"
                      r"(?: group)?|not required|none required|any|-+|\u2013|\u2014)\s*\.?\s*", re.IGNORECASE)


def _kind(value) -> str:
    """What a protocol file gave instead of text, in a reviewer's words (not Python's type names)."""
    if isinstance(value, bool):
        return "yes/no (true or false)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a table of keys"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single text"
    return f"a {type(value).__name__}"


_TOML_AT = re.compile(r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$", re.S)
_CLOSERS = {"[": "]", "{": "}"}
_QUOTES = ('"', "'", '"""', "'''")
# tomllib's words for something left open, and the marks that may have opened it
_LEFT_OPEN = {"Unclosed array": ("[",), "Unclosed inline table": ("{",), "Unterminated string": _QUOTES,
              "Illegal character '\\n'": _QUOTES, "Expected \"'\"": _QUOTES,
              "Expected ']' at the end of a table declaration": ("[",)}


def _toml_unclosed(raw: str, stop: int) -> tuple[str, int] | None:
    """The innermost list, table or text still open at offset ``stop``: its opening mark and its line.

    tomllib notices an unclosed list only where the file ends, or at the next setting after it; the
    reviewer needs the line where it was opened."""
    stack: list[tuple[str, int]] = []
    i, line = 0, 1
    while i < stop:
        c = raw[i]
        if c == "#":  # a comment: a bracket or quote in it opens nothing
            i = raw.find("\n", i)
            if i < 0:
                break
            continue
        if raw.startswith(('"""', "'''"), i):
            end = raw.find(raw[i:i + 3], i + 3)
            if end < 0 or end >= stop:
                return raw[i:i + 3], line
            line += raw.count("\n", i, end)
            i = end + 3
            continue
        if c in "\"'":
            j = i + 1
            while j < len(raw) and raw[j] not in (c, "\n"):
                j += 2 if c == '"' and raw[j] == "\\" else 1
            if j >= min(len(raw), stop) or raw[j] == "\n":
                return c, line
            i = j + 1
            continue
        if c == "\n":
            line += 1
        elif c in _CLOSERS:
            stack.append((c, line))
        elif stack and c == _CLOSERS[stack[-1][0]]:
            stack.pop()
        i += 1
    return stack[-1] if stack else None


def toml_error_words(raw: str, error: Exception) -> str:
    """tomllib's message, led by the line where an unclosed list, table or text starts and what to add."""
    said = str(error)
    m = _TOML_AT.match(said)
    if m is None:
        return said
    lines = raw.splitlines()
    if m["line"]:
        where = f"line {m['line']}, column {m['col']}"
        starts = [0] + [k + 1 for k, ch in enumerate(raw) if ch == "\n"]
        stop = starts[min(int(m["line"]), len(starts)) - 1] + int(m["col"]) - 1
    else:
        where, stop = "the end of the file", len(raw)
    found = _toml_unclosed(raw, stop)
    marks = _LEFT_OPEN.get(m["msg"], () if m["line"] else ("[", "{") + _QUOTES)
    if found is None or found[0] not in marks:
        return f"{m['msg']} (at {where})"
    mark, line = found
    text = lines[line - 1].strip() if line <= len(lines) else ""
    shown = text if len(text) <= 60 else text[:57] + "..."
    heading = mark == "[" and text.startswith("[") and "=" not in text
    what = "the heading" if heading else {"[": "the list", "{": "the table in braces"}.get(mark, "the text in quotes")
    after = "at its end" if heading else "after its last item" if mark in _CLOSERS else "where the text ends"
    return (f"{what} that starts on line {line} ({shown}) is not closed: add '{_CLOSERS.get(mark, mark)}' {after}. "
            f"(The TOML reader noticed it at {where}: {m['msg']}.)")


@dataclass
class Protocol:
    """What the review is looking for. ``text()`` is what the embedding model reads."""

    title: str = ""
    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)
    key_terms: list[str] = field(default_factory=list)
    known_relevant: list[dict] = field(default_factory=list)  # each {"doi": ..., "title": ...}
    source: str | None = None
    #: how a plain-text file's lines were read where its layout allows two readings (``plain_protocol``)
    notes: list[str] = field(default_factory=list, compare=False)
    #: the sections of a plain-text file left out, as how the review is run or why (``plain_protocol``)
    left_out: list[str] = field(default_factory=list, compare=False)

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_text(cls, question: str) -> "Protocol":
        """A protocol that is just the review question (e.g. ``review_title`` in index.csv)."""
        question = (question or "").strip()
        if not question:
            raise ScreenerError("the review question is empty; give the question or a protocol file")
        return cls(title=question)

    @classmethod
    def from_dict(cls, data: dict, source: str | None = None) -> "Protocol":
        where = source or "protocol"
        if not isinstance(data, dict):
            raise ScreenerError(f"{where}: expected keys such as title, inclusion, exclusion; found {_kind(data)}")
        unknown = sorted(set(data) - set(PROTOCOL_KEYS))
        if unknown:
            raise ScreenerError(
                f"{where}: unknown {'key' if len(unknown) == 1 else 'keys'} {', '.join(unknown)}; a protocol may "
                f"have: {', '.join(PROTOCOL_KEYS)}"
            )

        def text_value(key):
            v = data.get(key)
            if v is None:
                return ""
            if not isinstance(v, str):
                raise ScreenerError(f"{where}: '{key}' must be text, found {_kind(v)}")
            return v.strip()

        def list_value(key):
            v = data.get(key)
            if v is None:
                return []
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list):
                raise ScreenerError(f"{where}: '{key}' must be a list of text, found {_kind(v)}")
            out = []
            for i, item in enumerate(v, 1):
                if item is None:  # an empty list item ('- ' in YAML), as an empty text is
                    continue
                if not isinstance(item, str):
                    raise ScreenerError(f"{where}: item {i} of '{key}' must be text, found {_kind(item)} "
                                        "(put it in quotes to make it text)")
                if item.strip():
                    out.append(item.strip())
            return out

        title = text_value("title")
        question = text_value("question")
        if title and question and question != title:
            title = f"{title}. {question}" if not title.endswith((".", "?", "!")) else f"{title} {question}"
        else:
            title = title or question
        known = []
        raw_known = data.get("known_relevant") or []
        if isinstance(raw_known, (str, dict)):
            raw_known = [raw_known]
        if not isinstance(raw_known, list):
            raise ScreenerError(f"{where}: 'known_relevant' must be a list of DOIs or titles")
        for i, item in enumerate(raw_known, 1):
            if isinstance(item, str):
                doi = normalise_doi(item)
                known.append({"doi": doi, "title": None} if doi else {"doi": None, "title": item.strip()})
            elif isinstance(item, dict):
                bad = sorted(set(item) - {"doi", "title", "note"})
                if bad:
                    raise ScreenerError(f"{where}: item {i} of 'known_relevant' has "
                                        f"{'an unknown key' if len(bad) == 1 else 'unknown keys'} "
                                        f"{', '.join(bad)}; use doi, title and note")
                doi = normalise_doi(item.get("doi"))
                if item.get("doi") and not doi:
                    raise ScreenerError(f"{where}: item {i} of 'known_relevant': {item.get('doi')!r} is not a DOI")
                t = (item.get("title") or "").strip() or None
                if not doi and not t:
                    raise ScreenerError(f"{where}: item {i} of 'known_relevant' needs a doi or a title")
                known.append({"doi": doi, "title": t})
            else:
                raise ScreenerError(f"{where}: item {i} of 'known_relevant' must be a DOI, a title, or a table with doi/title")
        p = cls(title=title, inclusion=list_value("inclusion"), exclusion=list_value("exclusion"),
                key_terms=list_value("key_terms"), known_relevant=known, source=source)
        if not (p.title or p.inclusion or p.key_terms):
            raise ScreenerError(f"{where}: says nothing about what to include; give at least a title/question, "
                                "inclusion criteria or key terms")
        return p

    @classmethod
    def load(cls, path, *, stored: bool = False) -> "Protocol":
        """Read a protocol from a .toml, .yaml or .yml file, or from plain text (.txt, .md: see
        ``plain_protocol``). A review's ``stored`` copy, set before sections on how the review is run were left out
        and refused with them left out (a 'Background:' paragraph alone), is read as it was then: its review went on
        ranking, not stopped at every command."""
        path = Path(path)
        if path.is_dir():
            raise ScreenerError(f"{path}: this is a folder; give the protocol file itself (.toml, .yaml or .txt)")
        if not path.is_file():
            raise ScreenerError(f"{path}: protocol file not found")
        from screener.io.detect import _OLE, _ZIP, describe_binary
        from screener.io.encoding import decode_bytes

        data = path.read_bytes()
        # a Word document, PDF or other binary file: not an encoding problem ('save it as UTF-8')
        what = describe_binary(data[:8192]) or (
            "a Word document or other zipped file" if data.startswith(_ZIP) else
            "an old Word or Excel file" if data.startswith(_OLE) else "a PDF" if data.startswith(b"%PDF") else None)
        if what is not None:
            raise ScreenerError(f"{path}: this file is {what.removesuffix(', not text')}, not text. Save the protocol "
                                "as plain text (in Word: Save As, Plain Text (.txt)) with headings such as "
                                "'Question:', 'Inclusion criteria:' and 'Key terms:', and give that file.")
        # as the exports are read: Notepad's "Unicode" (UTF-16) and Word's Windows-1252 text too
        raw = decode_bytes(data, path)[0]
        suffix = path.suffix.lower()
        if suffix == ".toml":
            import tomllib

            try:
                data = tomllib.loads(raw)
            except tomllib.TOMLDecodeError as e:
                raise ScreenerError(f"{path}: not valid TOML: {toml_error_words(raw, e)}") from None
        elif suffix in (".yaml", ".yml"):
            import yaml

            try:
                data = yaml.safe_load(raw)
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark is not None else ""
                problem = getattr(e, "problem", None) or str(e)
                raise ScreenerError(f"{path}: not valid YAML{where}: {problem}") from None
            if data is None:
                raise ScreenerError(f"{path}: the protocol file is empty")
        elif suffix in PLAIN_SUFFIXES:
            notes: list[str] = []
            left_out: list[str] = []
            try:
                p = cls.from_dict(plain_protocol(raw, str(path), notes, left_out), source=str(path))
            except ScreenerError as err:
                if not stored:
                    raise
                refused = err
            else:
                p.notes, p.left_out = notes, left_out
                return p
            notes = []  # a review's copy set when such sections were read as text: read so again
            try:
                p = cls.from_dict(plain_protocol(raw, str(path), notes, leave_out=False), source=str(path))
            except ScreenerError:
                raise refused from None
            p.notes = notes
            return p
        else:
            raise ScreenerError(f"{path}: protocol files must end in .toml, .yaml or .yml, or be plain text "
                                "(.txt or .md) with headings such as 'Question:', 'Inclusion criteria:', "
                                "'Exclusion criteria:' and 'Key terms:'")
        return cls.from_dict(data, source=str(path))

    def require_words(self) -> None:
        """Refuse a protocol whose question, inclusion criteria and key terms hold no word the
        match reads: it would score every record alike, and the cold start would be a random
        order shown as a protocol ranking. Checked when a protocol is given, not when a project's
        stored one is read (a project set up before this check still opens)."""
        if not self.query_weights():
            raise ScreenerError(
                f"{self.source or 'protocol'}: has no word screener can match in the records: the words every "
                "review uses (systematic, review, studies, articles ...) are left out, and words are read in Latin "
                "letters and digits. Name the topic in the title, inclusion criteria or key_terms (the population, "
                "the intervention or exposure, the outcomes).")

    # -- using ---------------------------------------------------------------------------
    def text(self) -> str:
        """Question, inclusion criteria and key terms as one passage."""
        parts = [self.title, *self.inclusion]
        if self.key_terms:
            parts.append(", ".join(self.key_terms))
        return ". ".join(p.rstrip(". ") for p in parts if p)

    def passages(self) -> list[str]:
        """The question and each inclusion criterion separately (their embeddings are averaged)."""
        out = [p for p in [self.title, *self.inclusion] if p]
        if self.key_terms:
            out.append(", ".join(self.key_terms))
        return out

    def query_weights(self) -> dict[str, float]:
        """BM25 query: term -> weight. Key terms (and key phrases) count double, the question 1.5x."""
        w: dict[str, float] = {}
        for text, weight in [(self.title, 1.5), *[(c, 1.0) for c in self.inclusion]]:
            for t in set(tokenize(text)):
                w[t] = max(w.get(t, 0.0), weight)
        for k in self.key_terms:
            toks = set(tokenize(k))
            phrase = any(" " in t for t in toks)
            for t in toks:
                # a phrase key term counts double as a phrase; its single words as usual
                weight = 2.0 if (" " in t or not phrase) else 1.0
                w[t] = max(w.get(t, 0.0), weight)
        return w

    def negative_weights(self) -> dict[str, float]:
        """Terms that only the exclusion criteria use (shared terms are topic, not exclusion)."""
        pos = self.query_weights()
        neg: dict[str, float] = {}
        for c in self.exclusion:
            for t in tokenize(c):
                if t not in pos and " " not in t:
                    neg[t] = 1.0
        return neg

    def terms(self) -> list[str]:
        """Readable positive terms (key terms first), for highlighting and explanations."""
        seen, out = set(), []
        for t in [*self.key_terms]:
            k = t.lower()
            if k not in seen:
                seen.add(k)
                out.append(t)
        return out

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("source")
        d.pop("notes")
        d.pop("left_out")
        return d


# ---------------------------------------------------------------------------------------
class BM25:
    """Okapi BM25 over the records, for a handful of weighted query terms.

    Only query terms are counted, so scoring 100,000 records costs one pass of tokenising.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.b = b

    def score(self, texts: Sequence[str], query: dict[str, float]) -> np.ndarray:
        n = len(texts)
        out = np.zeros(n, dtype=np.float64)
        if not query or n == 0:
            return out
        tf_rows: list[Counter] = []
        lengths = np.zeros(n, dtype=np.float64)
        df: Counter = Counter()
        for i, t in enumerate(texts):
            toks = tokenize(t or "")
            lengths[i] = sum(1 for x in toks if " " not in x)
            c = Counter(x for x in toks if x in query)
            tf_rows.append(c)
            df.update(c.keys())
        avgdl = lengths.mean() if lengths.mean() > 0 else 1.0
        idf = {q: math.log(1.0 + (n - df[q] + 0.5) / (df[q] + 0.5)) for q in query}
        norm = self.k1 * (1 - self.b + self.b * lengths / avgdl)
        for i, c in enumerate(tf_rows):
            s = 0.0
            for q, tf in c.items():
                s += query[q] * idf[q] * tf * (self.k1 + 1) / (tf + norm[i])
            out[i] = s
        return out


def _z(s: np.ndarray) -> np.ndarray:
    s = np.asarray(s, dtype=np.float64)
    sd = s.std()
    return (s - s.mean()) / sd if sd > 0 else np.zeros_like(s)


def protocol_embedding(protocol: Protocol, model: str = "default") -> np.ndarray:
    """Mean of the embeddings of the question, each inclusion criterion and the key terms."""
    from screener.features.embeddings import embed_texts

    vecs = embed_texts(protocol.passages(), model=model, progress=False)
    v = vecs.mean(axis=0)
    n = np.linalg.norm(v)
    return (v / n if n > 0 else v).astype(np.float32)


def protocol_scores(protocol: Protocol, texts: Sequence[str], embeddings: np.ndarray | None = None,
                    model: str = "default", *, query_embedding: np.ndarray | None = None,
                    lexical_weight: float = 0.5, exclusion_weight: float = 0.3,
                    report: dict | None = None) -> np.ndarray:
    """One score per record: how well it matches the protocol (higher = rank earlier).

    Lexical part: BM25 of the positive terms minus ``exclusion_weight`` x BM25 of the
    exclusion-only terms. With ``embeddings`` (the records' vectors) the cosine to the protocol
    (``query_embedding``, or computed with ``model``) is blended in: ``lexical_weight`` x z(BM25) +
    (1 - ``lexical_weight``) x z(cosine). Without embeddings the score is z(BM25).
    ``report``: given a dict, ``report["records_matched"]`` is set to how many records hold a word of
    the question, inclusion criteria or key terms (0: without embeddings, no ranking at all).
    """
    texts = ["" if t is None else str(t) for t in texts]
    bm = BM25()
    lex = bm.score(texts, protocol.query_weights())
    if report is not None:
        report["records_matched"] = int((lex > 0).sum())
    neg = protocol.negative_weights()
    if neg and exclusion_weight > 0:
        lex = lex - exclusion_weight * bm.score(texts, neg)
    lex = _z(lex)
    if embeddings is None:
        return lex
    E = np.asarray(embeddings, dtype=np.float32)
    if E.shape[0] != len(texts):
        raise ScreenerError(f"{E.shape[0]} embeddings given for {len(texts)} records")
    q = protocol_embedding(protocol, model) if query_embedding is None else np.asarray(query_embedding, np.float32)
    cos = E @ q.ravel()
    return lexical_weight * lex + (1.0 - lexical_weight) * _z(cos)


def matched_terms(protocol: Protocol, text: str) -> list[str]:
    """Protocol terms found in one record, best (bigram, key term) first, for explanations:
    the terms the protocol match scored, each as the record spells it ("therapies", not the
    stem "therapy"), so that it reads as the record's words and is found when highlighted."""
    text = text or ""
    folded, at = _fold_mapped(text)
    words = []
    for m in _TOKEN.finditer(folded):
        start = m.start()
        for t in m.group(0).split("-"):
            # spelled as in the record, accents and all ("sjögren", not "sjogren"): the page marks it there
            spelled_as = text[at[start]:at[start + len(t) - 1] + 1].lower() if t else t
            words.append((None if (t in STOP_WORDS or len(t) < 2) else _stem(t), spelled_as))
            start += len(t) + 1
    spelled: dict[str, str] = {}  # term (as tokenize makes it) -> its first spelling in the record
    for (a, wa), (b, wb) in zip(words, [*words[1:], (None, "")]):
        if a is not None:
            spelled.setdefault(a, wa)
            if b is not None:
                spelled.setdefault(f"{a} {b}", f"{wa} {wb}")
    weights = protocol.query_weights()
    hits = [t for t in weights if t in spelled]
    # a bigram hit makes its two unigrams redundant
    covered = {w for t in hits if " " in t for w in t.split()}
    hits = [t for t in hits if " " in t or t not in covered]
    hits.sort(key=lambda t: (-weights[t], -(" " in t), t))
    return [spelled[t] for t in hits]


# ---------------------------------------------------------------------------------------
def _records_columns(records):
    """(dois, titles) from a DataFrame or a list of record dicts."""
    if hasattr(records, "columns"):
        n = len(records)
        dois = records["doi"].tolist() if "doi" in records.columns else [None] * n
        titles = records["title"].tolist() if "title" in records.columns else [None] * n
        return dois, titles
    recs = list(records)
    return [r.get("doi") for r in recs], [r.get("title") for r in recs]


def match_known_relevant_report(protocol: Protocol, records) -> tuple[list[int], list[dict]]:
    """(row positions of the records matching a known relevant entry, entries not found).

    A DOI matches case-insensitively, ignoring resolver prefixes; a title matches after
    normalising case, accents and punctuation, or at >= 95% similarity for titles of 30+
    characters (typos, a dropped word).
    """
    dois, titles = _records_columns(records)
    by_doi: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    for i, (d, t) in enumerate(zip(dois, titles)):
        nd = normalise_doi(d if isinstance(d, str) else None)
        if nd:
            by_doi.setdefault(nd, []).append(i)
        nt = normalise_title(t if isinstance(t, str) else None)
        if nt:
            by_title.setdefault(nt, []).append(i)
    found: set[int] = set()
    missing = []
    title_keys = None
    for entry in protocol.known_relevant:
        hit: list[int] = []
        if entry.get("doi"):
            hit = by_doi.get(entry["doi"], [])
            if len(hit) > 1 and entry.get("title"):
                # one DOI, several studies (a congress supplement's abstracts): the entry's title says which
                from rapidfuzz import fuzz

                nt = normalise_title(entry["title"])
                named = [i for i in hit if fuzz.ratio(nt, normalise_title(titles[i] if isinstance(titles[i], str)
                                                                          else None)) >= 95]
                hit = named or hit
        if not hit and entry.get("title"):
            nt = normalise_title(entry["title"])
            hit = by_title.get(nt, [])
            if not hit and len(nt) >= 30:
                from rapidfuzz import fuzz, process

                if title_keys is None:
                    title_keys = list(by_title)
                best = process.extractOne(nt, title_keys, scorer=fuzz.ratio, score_cutoff=95)
                if best is not None:
                    hit = by_title[best[0]]
        if hit:
            found.update(hit)
        else:
            missing.append(entry)
    return sorted(found), missing


def match_known_relevant(protocol: Protocol, records) -> list[int]:
    """Row positions (0-based, in ``records`` order) of the protocol's known relevant records."""
    return match_known_relevant_report(protocol, records)[0]


__all__ = [
    "BM25",
    "PROTOCOL_KEYS",
    "Protocol",
    "match_known_relevant",
    "match_known_relevant_report",
    "matched_terms",
    "protocol_embedding",
    "protocol_scores",
    "tokenize",
]


#: The setting that logs each change of the review's protocol (``protocol_change``), oldest first.
CHANGES_SETTING = "protocol_changes"
#: ``by`` of the change logged as a project is made with its protocol: before any decision, whatever the clock said
INIT_BY = "screener init --protocol"


def protocol_change(change: str, file: str, *, source: str | None, by: str, before: bytes | None,
                    after: bytes | None, kept_as: str | None = None, at: str | None = None) -> dict:
    """One entry of the protocol's change log: when (UTC), which copy, from which file, by which command and login,
    and how its text changed in lines and bytes. The earlier copies kept as protocol-earlier-N told none of this.
    ``at``: the time now by the review's store (``Store.now``, the clock its decisions are timed by: the database
    server's under PostgreSQL); this computer's clock without it."""
    import getpass
    from datetime import datetime, timezone

    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name to be had (a service, a container)
        user = None
    old = before.decode("utf-8", errors="replace").splitlines() if before is not None else None
    new = after.decode("utf-8", errors="replace").splitlines() if after is not None else None
    added = removed = None
    if old is not None and new is not None:
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        added = sum(j2 - j1 for tag, _, _, j1, j2 in ops if tag in ("insert", "replace"))
        removed = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag in ("delete", "replace"))
    # to the second, as the log has always been written ("2026-05-04T10:11:12Z")
    at = at[:19] + "Z" if at else datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"at": at, "change": change, "file": file,
            "from": source, "by": by, "user": user, "lines": len(new) if new is not None else None,
            "lines_before": len(old) if old is not None else None,
            "bytes": len(after) if after is not None else None,
            "bytes_before": len(before) if before is not None else None,
            "added": added, "removed": removed, "kept_as": kept_as}


def describe_protocol_change(c: dict) -> str:
    """One logged protocol change in a reviewer's words, for 'screener protocol DIR --history'."""
    at = str(c.get("at") or "at an unknown time").replace("T", " ").replace("Z", " UTC")
    who = f"by '{c.get('by')}'" + (f" (login {c['user']})" if c.get("user") else "")
    if c.get("change") == "removed":
        return f"{at}: {c.get('file')} removed {who}: the review has no protocol from here on (the copy stays in " \
               "the folder)."
    what = f"{at}: {c.get('file')} {c.get('change')}" + (f" from {c['from']}" if c.get("from") else "") + f" {who}"
    size = f"{c.get('lines')} line{'s' * (c.get('lines') != 1)}"
    if c.get("change") == "set again":
        return f"{what}: the same text, {size}."
    if c.get("lines_before") is not None:
        size += f" (was {c['lines_before']}): {c.get('added')} added, {c.get('removed')} removed"
    size += f"; {c.get('bytes')} bytes" + (f" (was {c['bytes_before']})" if c.get("bytes_before") is not None else "")
    kept = f"; the earlier text kept as {c['kept_as']}" if c.get("kept_as") else ""
    return f"{what}: {size}{kept}."
