"""BibTeX (.bib), as Web of Science, ProQuest, Scopus, Zotero and JabRef export it.

Parsed with bibtexparser 2 (LaTeX accents decoded, authors split on " and "). An entry the
parser cannot read stops the import with its line, so no record is dropped unseen.
"""

from __future__ import annotations

import logging
import re

from screener.errors import InputError
from screener.io.common import (
    clean,
    clean_pmid,
    clean_title,
    clean_all,
    dedupe,
    doi_from_url,
    file_source,
    first,
    first_year,
    make_record,
    source_name,
    split_terms,
)
from screener.io.label_values import parse_label
from screener.records import counted, noun, normalise_doi

_LABEL_FIELDS = ("screening_decision", "decision")


def _fields(entry) -> dict:
    return {f.key.lower(): f.value for f in entry.fields}


def _authors(value) -> list[str]:
    if isinstance(value, list):  # LaTeX's tie ('Smith, A.~B.') is read as a no-break space: a plain one
        names = clean_all([name.replace("\xa0", " ") for name in value])
    else:
        text = clean(value)
        names = clean_all(text.replace("\xa0", " ").split(" and ")) if text else []
    if len(names) > 1 and names[-1].lower() == "others":
        names.pop()  # BibTeX's 'and others' is "et al.", not an author named 'others'
    return names


def _wos(key: str, fields: dict) -> str | None:
    """'Web of Science' for an entry of its BibTeX export, which names no database but keys each entry by its
    accession number ('WOS:000600000000001', 'ISI:...', also in 'Unique-ID'), as its other exports are named."""
    ids = (key, clean(fields.get("unique-id")) or "")
    return "Web of Science" if any(i.upper().startswith(("WOS:", "ISI:")) for i in ids) else None


def _keywords(value) -> list[str]:
    if isinstance(value, list):
        return dedupe(value)
    text = clean(value)
    if not text:
        return []
    return split_terms(text) if ";" in text else dedupe(text.split(","))


#: Text symbols that reference managers write (Zotero's '{\\textless}', JabRef's '\\textgreater{}') and that
#: pylatexenc does not know: without them the sign was dropped, and 'p < 0.05' read 'p  0.05'
_TEXT_SYMBOLS = {"textless": "<", "textgreater": ">", "textbar": "|", "textunderscore": "_",
                 "textbraceleft": "{", "textbraceright": "}"}


def _latex_decoder():
    """bibtexparser's LaTeX decoder (links kept bare) knowing the text symbols above, and reading math as text
    ('$\\beta$' as 'β', '$\\upbeta$' too): ``_formulas`` has already escaped every '$' that opens no formula."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    upright = [MacroTextSpec("up" + name, simplify_repl=context.get_macro_spec(name).simplify_repl)
               for name in _GREEK if context.get_macro_spec(name) is not None]
    context.add_context_category(
        "screener-bibtex", prepend=True,
        macros=[MacroTextSpec("url", simplify_repl="%s")] + upright
        + [MacroTextSpec(name, simplify_repl=sign) for name, sign in _TEXT_SYMBOLS.items()])
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="text")


_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau upsilon "
          "phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()
_DOLLAR = re.compile(r"(?<!\\)\$")
_LINK_FIELDS = {"url", "doi", "file", "link", "eprint", "pdf"}
_SPACE = re.compile(r"(?:\\[,;: ]|\s)+")
#: A formula's sub- or superscript ('m$^{2}$', 'CO$_2$'), read as the plain digits a reviewer writes; a degree
_SCRIPT = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|[_^]\{([^{}$]*)\}|[_^](\\[A-Za-z]+|[A-Za-z0-9+\-])")


def _is_formula(body: str) -> bool:
    """Whether the text between two '$' is a formula as reference managers write one ('\\beta', '^{2}', '<', 'n'),
    not the text between two dollar amounts ('500 and ', '5-')."""
    if not body.strip() or len(body) > 80 or any(c in body for c in "\n/"):  # '/': a link's, not a formula's
        return False
    return any(c in body for c in "\\^_") or not any(c.isalnum() for c in body) or bool(re.fullmatch("[A-Za-z]", body))


def _formulas(text: str) -> str:
    """``text`` with every '$' that opens no formula escaped (a dollar sign, as Scopus writes 'US$500'), and the
    sub- and superscripts of the formulas read as their plain text ('m$^{2}$' as 'm$2$')."""
    if "$" not in text:
        return text
    out, i = [], 0
    while (start := _DOLLAR.search(text, i)) is not None:
        end = _DOLLAR.search(text, start.end())
        body = text[start.end():end.start()] if end else ""
        if end and _SPACE.fullmatch(body):  # '50$\\,$mg': a space
            out.append(f"{text[i:start.start()]} ")
            i = end.end()
        elif end and _is_formula(body):
            body = _SCRIPT.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2) or "\\textdegree{}", body)
            out.append(f"{text[i:start.start()]}${body}$")
            i = end.end()
        else:
            out.append(text[i:start.start()] + "\\$")
            i = start.end()
    return "".join(out) + text[i:]


#: Joins a citation key to the entry's place while the entries are parsed (see ``_parse``).
_KEY_PLACE = "\x00"


def _parse(text: str, path=None):
    """bibtexparser's parse (``parse_string`` with its default stack, LaTeX decoded and authors
    split), except that entries sharing a citation key are all kept: bibtexparser sets aside every
    entry after the first with a key as a failed block. A key only names an entry for LaTeX, and
    files joined from two exports (or Google Scholar's 'smith2019') repeat keys; each such entry
    is a record. Returns the library and, per repeated key, the lines of its entries."""
    from bibtexparser import Library, middlewares
    from bibtexparser.middlewares.parsestack import default_parse_stack
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry
    from bibtexparser.splitter import Splitter

    blocks, repeated = [], {}
    for block in Splitter(bibstr=text).split().blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            entry = block.ignore_error_block
            repeated.setdefault(entry.key, []).append(int(entry.start_line) + 1)
            entry.key = f"{entry.key}{_KEY_PLACE}{entry.start_line}"
            block = entry
        blocks.append(block)
    _refuse_missing_comma(blocks, path)
    for entry in (b for b in blocks if isinstance(b, Entry)):
        for field in entry.fields:
            if isinstance(field.value, str) and "$" in field.value:  # a link's '$' is its own, never a formula
                links = field.key.lower() in _LINK_FIELDS
                field.value = _DOLLAR.sub(r"\\$", field.value) if links else _formulas(field.value)
    try:  # a repeated @string name stays a failed block, as parse_string leaves it
        library = Library(blocks=blocks, fail_on_duplicate_key=False)
    except TypeError:  # a 2.0 beta (pyproject allows them) whose Library has no such flag
        library = Library(blocks=blocks)
    stack = default_parse_stack() + [middlewares.LatexDecodingMiddleware(decoder=_latex_decoder()),
                                     middlewares.SeparateCoAuthors()]
    for middleware in stack:
        library = middleware.transform(library=library)
    for key, lines in repeated.items():
        first_entry = next(e for e in library.entries if e.key == key)
        lines.insert(0, int(first_entry.start_line) + 1)
    return library, repeated


_NEXT_FIELD = re.compile(r"\s*([A-Za-z][\w-]*)\s*=")


def _after_value(value: str) -> str:
    """What a raw field value holds after its braced or quoted part and the parts joined to it with '#': empty
    for a well-formed value ('{A study {of} sleep}', '{A} # {B}', '2019', a macro)."""
    rest = value.strip()
    while rest[:1] in ("{", '"'):
        close, depth, end = rest[0] if rest[0] == '"' else "}", 0, None
        for i, c in enumerate(rest):
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            if i and c == close and depth == 0 and (close == "}" or rest[i - 1] != "\\"):
                end = i
                break
        if end is None:
            return ""  # not closed: the parser's own message names it
        rest = rest[end + 1:].strip()
        if not rest.startswith("#"):
            return rest
        rest = rest[1:].strip()
    return ""


def _refuse_missing_comma(blocks, path) -> None:
    """A field followed by the next without a comma between them ('title = {A}' and, on the next line,
    'author = {B}'): the parser reads the second into the first, and the record came in titled 'A author = B'
    without its authors, with no word. Refused, naming the entry and the fields."""
    from bibtexparser.model import Entry

    for block in blocks:
        if not isinstance(block, Entry):
            continue
        for field in block.fields:
            rest = _after_value(field.value) if isinstance(field.value, str) else ""
            nxt = _NEXT_FIELD.match(rest)
            if not nxt:
                continue
            raise InputError(
                f"the BibTeX entry '{block.key.split(_KEY_PLACE)[0]}' (starting on line {int(block.start_line) + 1}) "
                f"has no comma after its field '{field.key}' on this line, so the field '{nxt.group(1)}' after it "
                f"would be read as part of the {field.key}. Add the comma after the {field.key}'s closing brace, or "
                "export the file again. Nothing was imported.",
                path=path, line=int(getattr(field, "start_line", block.start_line)) + 1,
            )


def _open_to_the_end(text: str, start: int) -> bool:
    """Whether the entry on line ``start`` (from 0) is the file's last and one of its '{' is never closed: a
    download that stopped inside it, not an entry to mend by hand."""
    rest = re.sub(r"\\[{}]", "", "".join(text.splitlines(keepends=True)[start:]))
    return not re.search(r"\n\s*@\w+\s*[{(]", rest) and rest.count("{") > rest.count("}")


def _more_damaged(blocks) -> str:
    """The other damaged entries, said beside the first's message with the lines they start on: said by number
    alone ('1 more entries are damaged too'), each was found by importing the file again once more."""
    if not blocks:
        return ""
    n, lines = len(blocks), [str(int(b.start_line) + 1) for b in blocks[:10]]
    return (f" ({n} more {'entry is' if n == 1 else 'entries are'} damaged too: line{'s' if n > 1 else ''} "
            f"{', '.join(lines)}{' and more' if n > 10 else ''})")


def read_bibtex(text: str, path, *, source_db: str | None = None) -> tuple[list[dict], list, list[str]]:
    """Records, labels and notes for the reviewer."""
    from bibtexparser.model import DuplicateFieldKeyBlock

    bib_logger = logging.getLogger("bibtexparser")
    level = bib_logger.level
    bib_logger.setLevel(logging.CRITICAL)  # its own warnings are replaced by the message below
    # In a field, '%' and '&' are text ("45% of men", "Drug & Alcohol Dependence"; Scopus writes
    # them bare): escaped, so that the LaTeX decoding reads them as the characters and not as a
    # comment (which cut the title and abstract at the '%') or a table column
    text = re.sub(r"(?<!\\)([%&])", r"\\\1", text)
    try:
        library, repeated = _parse(text, path)
    finally:
        bib_logger.setLevel(level)
    if library.failed_blocks:
        bad = library.failed_blocks[0]
        more = _more_damaged(library.failed_blocks[1:])
        if isinstance(bad, DuplicateFieldKeyBlock):
            entry = bad.ignore_error_block
            keys = [f.key for f in entry.fields]
            twice = sorted({k for k in keys if keys.count(k) > 1})
            raise InputError(
                f"the BibTeX entry '{entry.key}' starting on this line has the field"
                f"{'s' if len(twice) > 1 else ''} {', '.join(repr(k) for k in twice)} twice{more}, and screener "
                "cannot tell which value is right. Delete the wrong one in the file, or export it again. Nothing was "
                "imported.",
                path=path,
                line=int(bad.start_line) + 1,
            )
        if len(library.failed_blocks) == 1 and _open_to_the_end(text, int(bad.start_line)):
            raise InputError(
                "the last entry, which starts on this line, is never closed (its '{' has no '}' before the file "
                "ends): the file looks cut off (the download may not have finished). Nothing was imported. Export "
                "the records again from the database, or add the closing '}' if the entry is complete.",
                path=path,
                line=int(bad.start_line) + 1,
            )
        what = " ".join(str(getattr(bad, "error", "") or "").split())[:160]
        raise InputError(
            f"the BibTeX entry starting on this line cannot be read{more}: {what or 'a brace or quote is not closed'}. "
            "Fix the entry (often an unclosed '{' or a missing comma), or export the file again. Nothing was "
            "imported.",
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
    stem = file_source(path)
    records, labels = [], []
    for entry in library.entries:
        f = _fields(entry)
        line = int(entry.start_line) + 1
        key = entry.key.split(_KEY_PLACE)[0]
        url = clean(f.get("url"))
        records.append(make_record(
            title=clean_title(first(f.get("title"), f.get("booktitle"))),
            abstract=clean(f.get("abstract")),
            authors=_authors(f.get("author") or f.get("editor")),
            year=first_year(f.get("year"), f.get("date")),
            journal=clean_title(first(f.get("journal"), f.get("journaltitle"), f.get("booktitle")
                                      if f.get("title") else None, f.get("series"))),
            volume=clean(f.get("volume")),
            issue=clean(first(f.get("number"), f.get("issue"))),
            pages=clean(first(f.get("pages"), f.get("eid"))),
            doi=normalise_doi(clean(f.get("doi"))) or doi_from_url(url),
            # Scopus writes the PMID in 'pubmed_id' and the authors' keywords in 'author_keywords'
            pmid=clean_pmid(first(f.get("pmid"), f.get("pubmed"), f.get("pubmed_id"), f.get("pubmed-id"))),
            keywords=dedupe(_keywords(first(f.get("author_keywords"), f.get("author-keywords")))
                            + _keywords(first(f.get("keywords"), f.get("keyword")))),
            type=entry.entry_type.lower(),
            source_db=source_db or clean(first(f.get("source"), f.get("database"))) or _wos(key, f) or stem,
            source_file=source_name(path),
            source_line=line,
            source_id=key,
            raw={"ENTRYTYPE": entry.entry_type, "ID": key,
                 **{k: v if isinstance(v, (str, list)) else str(v) for k, v in f.items()}},
        ))
        label = next((f[k] for k in _LABEL_FIELDS if clean(f.get(k))), None)
        labels.append(parse_label(label, path=path, line=line, column="decision") if label else None)
    notes = []
    if repeated:
        shown = "; ".join(f"'{k}' on lines {', '.join(map(str, lines))}" for k, lines in list(repeated.items())[:5])
        more = f"; and {len(repeated) - 5} more" if len(repeated) > 5 else ""
        notes.append(f"{source_name(path)}: {counted(len(repeated), 'citation key')} "
                     f"{noun(len(repeated), 'names', 'name')} more than one entry ({shown}{more}); each entry was "
                     "imported as a record of its own.")
    return records, labels, notes
