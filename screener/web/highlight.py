"""Mark key terms in record text without ever trusting the text as HTML.

Matches are found on the plain text and every piece, matched or not, is escaped before the
``<mark>`` tags go around it, so an abstract holding ``<script>`` shows as those characters.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Iterable

from markupsafe import Markup


def _term_pattern(term: str) -> str | None:
    term = " ".join(str(term).split())
    if not term or len(term.strip("*")) < 2:
        return None
    parts = []
    for word in term.split(" "):
        stem = word.rstrip("*")
        wild = word.endswith("*")
        body = re.escape(stem)
        # plural-tolerant; a protocol's "peer*" style wildcard takes any ending
        parts.append(body + (r"\w*" if wild else r"(?:s|es)?"))
    return r"(?<!\w)" + r"[\s\-]+".join(parts) + r"(?!\w)"


def term_regex(terms: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive pattern, longest terms first so "peer support" beats "peer"."""
    return _compiled(tuple(sorted({str(t) for t in terms if t}, key=lambda s: (-len(s), s))))


@lru_cache(maxsize=512)
def _compiled(terms: tuple[str, ...]) -> re.Pattern | None:
    pats = []
    for t in terms:
        p = _term_pattern(t)
        if p and p not in pats:
            pats.append(p)
    if not pats:
        return None
    return re.compile("|".join(pats), re.IGNORECASE)


def highlight(text: str | None, terms: Iterable[str] | re.Pattern | None) -> Markup:
    """``text`` as safe HTML with each term wrapped in ``<mark>``."""
    if text is None or (isinstance(text, float) and text != text):
        return Markup("")
    text = str(text)
    rx = terms if isinstance(terms, re.Pattern) or terms is None else term_regex(terms)
    if rx is None:
        return Markup(html.escape(text, quote=True))
    out = []
    pos = 0
    for m in rx.finditer(text):
        if m.end() == m.start():
            continue
        out.append(html.escape(text[pos:m.start()], quote=True))
        out.append("<mark>" + html.escape(m.group(0), quote=True) + "</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=True))
    return Markup("".join(out))


__all__ = ["highlight", "term_regex"]
