"""Benchmark screener against a review that is already finished: its search exports + its final includes.

The final includes (a RIS of the studies that ended up in the review) are matched to the
candidate records of the search, by DOI, else PubMed id, else normalised title and year, else a
title the list cut short ("...") or written a little differently where the year and first author
confirm it. The
matched candidates become the truth of a simulation, which says where each include would have
been found, how much screening the order saves (WSS@95, WSS@100), and where each stopping method
would have told the reviewer to stop. A final include that matches no candidate is reported by
title: screening could never have found it (it came from elsewhere, or the exports are a subset).
Each final include counts once: a line that repeats an earlier one, or finds a record an earlier
one found, counts as that one (where that one found nothing, the records the repeat finds are the
study's), and an include that matches records kept as different studies is found when the first of
them is screened.
"""

from __future__ import annotations

import io
import math
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from screener.errors import InputError, ScreenerError
from screener.io.common import clean_pmid
from screener.records import SPELLING_WORDS as _SPELLING_WORDS
from screener.records import ampersand_as_and, counted, noun, normalise_doi, normalise_title
from screener.records import ordinal as _ordinal
from screener.shell import shell_quote
from screener.stopping.base import level_pct

#: How a final include was matched, strongest first.
MATCH_KINDS = ("doi", "pmid", "title+year", "title", "similar title", "title cut short")
#: A title written a little differently in the final-includes list (a typo, a word dropped or
#: added, other punctuation) matches at this ``rapidfuzz`` ratio (de-duplication's fuzzy threshold),
#: for titles of this many words or more, and only with the year and first author to confirm it.
SIMILAR_TITLE_MIN = 93.0
SIMILAR_TITLE_WORDS = 6

if TYPE_CHECKING:
    from pathlib import Path

    from screener.protocol import Protocol


def _norm_pmid(v) -> str | None:
    """The PubMed id in a value as the readers read it ("PMID: 123", "MEDLINE:123", a link), or
    None: never the digits of another identifier ("PMC4798921" is PubMed Central's)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    p = clean_pmid(v)
    return (p.lstrip("0") or None) if p else None


def _norm_year(v) -> int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    m = re.search(r"(1[89]|20)\d\d", str(v))
    return int(m.group(0)) if m else None


def _col(df: pd.DataFrame, name: str) -> list:
    return df[name].tolist() if name in df.columns else [None] * len(df)


# British and American spellings of one title ("randomised"/"randomized", "paediatric tumour
# behaviour"/"pediatric tumor behavior", "oedema"/"edema", "centre"/"center"), spelled the American
# way for matching only. A rule that also changes a word spelled the same on both sides
# ("exercise" -> "exercize") changes it on both, so it costs nothing.
_SPELLING_RULES = tuple((re.compile(a), b) for a, b in (
    (r"^ae|(?<=[a-z])ae", "e"),                       # aetiology, paediatric, haemoglobin, anaesthesia
    (r"^oe|rrhoe|(?<=p)noe|^foet|^coel|^homoeo|^amoeb", lambda m: m.group(0).replace("oe", "e")),
    (r"^(sulph)", "sulf"),                            # sulphate, sulphonylurea
    (r"(?<=[a-z]{3})our(s|al|ally|ed|ing|able|ably|ite|ites|hood|hoods|er|ers|less|ful)?$", r"or\1"),
    (r"(?<=[a-z]{2})is(e|ed|es|ing|er|ers|ation|ations|ational)$", r"iz\1"),  # randomised, organisation
    (r"(?<=[a-z])ys(e|ed|es|ing|er|ers)$", r"yz\1"),  # analysed, paralysed
    (r"ogue(s)?$", r"og\1"),                          # catalogue, dialogue
    (r"(?<=[aeiou])ll(ed|ing|er|ers)$", r"l\1"),      # modelling, labelled, counselling, signalling
))
# "U.K." and "UK", "U.S.A." and "USA": letters with full stops between them are one word
_INITIALISM = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.){2,}")


def _american(word: str, _cache: dict = {}) -> str:
    out = _cache.get(word)
    if out is None:
        out = _SPELLING_WORDS.get(word)
        if out is None:
            out = word
            for rx, to in _SPELLING_RULES:
                out = rx.sub(to, out)
        _cache[word] = out
    return out


def _match_title(cut: str) -> str:
    """A title, its database notes already cut ("[Review] [23 refs]", "[Erratum appears in ...]",
    "(Provisional abstract)", as de-duplication cuts them), as final includes are matched on:
    without case, accents, markup, punctuation and the spaces and hyphens between words
    ("pre-exposure" / "preexposure"), in American spelling, an '&' between words as 'and' (journals
    write 'Stigma, HIV & substance use', MEDLINE 'and'). Not ``dedup.title_key``, which keeps
    words apart for fuzzy comparison."""
    cut = ampersand_as_and(cut)
    if "." in cut:
        cut = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), cut)
    return "".join(_american(w) for w in normalise_title(cut).split())


def _keys(df: pd.DataFrame) -> dict[str, list]:
    """Plain lists (never a DataFrame: pandas would turn a missing key into a truthy NaN)."""
    from screener.dedup import (_country_short, _letter_kind, _notice_kind, _number, first_author_tokens, notice_note,
                                notice_type, strip_title_notes)

    types = _col(df, "type")
    titles = _col(df, "title")
    cut = [strip_title_notes(v) if isinstance(v, str) and v.strip() else "" for v in titles]
    # "the United States" / "the U.S." as "usa", as de-duplication reads them: else "states" / "usa" is a word in
    # place of another, and an include whose record names its country otherwise was reported missed
    words = [_country_short(normalise_title(c)) for c in cut]
    return {
        "doi": [normalise_doi(v) if isinstance(v, str) else None for v in _col(df, "doi")],
        "pmid": [_norm_pmid(v) for v in _col(df, "pmid")],
        "title": [_match_title(c) for c in cut],
        "words": [len(w.split()) for w in words],
        "ntitle": words,
        "year": [_norm_year(v) for v in _col(df, "year")],
        "author_name": [_first_author(a) for a in _col(df, "authors")],
        "author": [first_author_tokens(a if isinstance(a, (list, tuple, np.ndarray)) or isinstance(a, str) else None)
                   for a in _col(df, "authors")],
        "volume": [_number(v) for v in _col(df, "volume")],
        # a correction, retraction, comment or reply: a notice about a study, not the study; also one filed under
        # the study's own title, marked only by a note the title loses here ("<title> [Erratum]") or by its type
        # (Scopus's "Erratum", PubMed's "Published Erratum")
        "notice": [bool(_notice_kind(w) or (isinstance(t, str) and (_letter_kind(t) or notice_note(t)))
                        or (isinstance(k, str) and notice_type(k)))
                   for w, t, k in zip(words, titles, types)],
        "opening": [_notice_opening(w, t, k) for w, t, k in zip(words, titles, types)],
    }


#: What sets a notice's words off from the title it is about: "Erratum: <title>", "Correction - <title>"
_SET_OFF = re.compile(r"\s*(?:[:.\u2013\u2014]|\s-+\s)")


def _notice_opening(ntitle: str, title, kind) -> str | None:
    """The words a title begins with that alone make it read as a notice ("response to", "replica",
    "reply"), where nothing else does: no type, note, colon after them ("Reply to:", "Erratum:"), nor
    notice word after them. A study may be titled so ("Response to treatment with naltrexone in ...",
    "Replica exchange molecular dynamics of ...", "Reply latency in ...", "Correction of ...")."""
    from screener.dedup import _NOTICE, _letter_kind, _notice_kind, notice_note, notice_type

    m = _NOTICE.match(ntitle) if ntitle else None
    if not m or not m.group(1) or not ntitle[m.end():].strip() or _notice_kind(ntitle[m.end():].strip()):
        return None
    if isinstance(title, str) and (_letter_kind(title) or notice_note(title)
                                   or normalise_title(_SET_OFF.split(title, maxsplit=1)[0]) == m.group(1)):
        return None
    if isinstance(kind, str) and notice_type(kind):
        return None
    return m.group(1)


def _notice_apart(fk: dict, j: int, ck: dict, i: int) -> bool:
    """Whether candidate ``i`` is a notice about a study and final include ``j`` is not a notice of its kind:
    the final include is a study, or its title only begins like a notice ("Response to treatment ...") and
    the record is marked as one otherwise (its type, a note). Both titles beginning so, with nothing else
    marking either, are one study, not a reply."""
    if not ck["notice"][i]:
        return False
    if not fk["notice"][j]:
        return True
    return fk["opening"][j] is not None and ck["opening"][i] != fk["opening"][j]


def _notice_only(fk: dict, j: int) -> bool:
    """Whether final include ``j`` reads as a notice by more than the words its title begins with."""
    return fk["notice"][j] and fk["opening"][j] is None


def _first_author(v) -> str | None:
    if isinstance(v, str):
        v = v.split(";")
    if isinstance(v, (list, tuple, np.ndarray)):
        return next((str(a).strip() for a in v if isinstance(a, str) and a.strip()), None)
    return None


def _same_surname(fk: dict, j: int, ck: dict, i: int) -> bool:
    """Whether the first authors share the surname, where a side writes it before a comma ("Smith,
    John"): de-duplication's test accepts any name word in common, and "Smith, John" and "Jones,
    John" share one, too little to confirm a title of two or three words."""
    from screener.dedup import first_author_tokens

    for a, b in ((fk["author_name"][j], ck["author"][i]), (ck["author_name"][i], fk["author"][j])):
        if isinstance(a, str) and "," in a and b:
            surname = first_author_tokens(a.split(",")[0])
            if surname and not surname & b:
                return False
    return True


def _conflict(fk: dict, j: int, ck: dict, i: int) -> str | None:
    """What tells final include ``j`` and candidate ``i``, of one title, apart, or None: their
    own DOIs or PubMed ids, first authors or volumes (a conference abstract in a supplement, a
    letter or a namesake paper). Not first pages: an online-first record's ("1-7") is not its
    print one's, and lists of includes give the last page for the first."""
    from screener.dedup import authors_compatible

    for key, word in (("doi", "DOI"), ("pmid", "PubMed id")):
        a, b = fk[key][j], ck[key][i]
        if a and b and a != b:
            return f"{word} {b}, the final include's is {a}"
    if not authors_compatible(fk["author"][j], ck["author"][i]):
        return f"first author {ck['author_name'][i]}, the final include's is {fk['author_name'][j]}"
    a, b = fk["volume"][j], ck["volume"][i]
    if a and b and a != b:
        return f"volume {b}, the final include's is {a}"
    return None


#: Titles of one study as two databases write them are this alike at least (``rapidfuzz``'s token set
#: ratio, which a title inside a longer one meets): below it, with its other identifier differing too,
#: a record that carries a final include's DOI or PubMed id is another study (a PMID mistyped in the list)
SAME_STUDY_TITLE_MIN = 80.0


def _titles_alike(a: str, b: str) -> bool:
    """Whether two normalised titles may be one study's as two databases write them."""
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a, b) >= SAME_STUDY_TITLE_MIN


def _other_identifier_differs(fk: dict, j: int, ck: dict, i: int, key: str) -> str | None:
    """Why candidate ``i``, which carries final include ``j``'s DOI or PubMed id (``key``), is another
    study, or None: its other identifier differs from the final include's, and so does its title."""
    other, word = ("pmid", "PubMed id") if key == "doi" else ("doi", "DOI")
    a, b = fk[other][j], ck[other][i]
    if not (a and b and a != b and fk["ntitle"][j] and ck["ntitle"][i]):
        return None
    if _titles_alike(fk["ntitle"][j], ck["ntitle"][i]):
        return None
    return f"its {word} is {b}, the final include's {a}, and its title is another"


def _similar_title_hits(fk: dict, j: int, ck: dict, *, cand_titles: list,
                        index: dict) -> tuple[list[int], list[tuple[int, float, str]]]:
    """(candidates whose title is final include ``j``'s written a little differently, the ones
    alike but told apart: (candidate, similarity, why)). Only
    where nothing else matched, and only where the year (one apart at most) and the first author
    confirm it, no DOI, PubMed id or volume differs, and the titles differ by no word that makes
    another study (de-duplication's rules: "12-month" / "24-month", "HIV" / "HPV", a design or a
    protocol in one title only, a word added inside one title ("smokers" / "never smokers"), a
    notice about the study)."""
    from rapidfuzz import fuzz, process

    from screener.dedup import _series_numbers, title_contrast, word_insertion, word_substitution

    t, yr = fk["ntitle"][j], fk["year"][j]
    if fk["words"][j] < SIMILAR_TITLE_WORDS or _notice_only(fk, j):
        return [], []
    if "keys" not in index:
        index["keys"] = [c if n >= SIMILAR_TITLE_WORDS else "" for c, n in zip(cand_titles, ck["words"])]
    hits, close = [], []
    for _, score, i in process.extract(t, index["keys"], scorer=fuzz.ratio, score_cutoff=SIMILAR_TITLE_MIN,
                                       limit=None):
        if fk["notice"][j] and not ck["notice"][i]:
            continue  # "Response to ..." in the list only: a reply and the study it answers may be this alike
        c = cand_titles[i]
        apart = title_contrast(t, c) or word_substitution(t, c) or word_insertion(t, c)
        why = (
            "it is a notice about a study" if _notice_apart(fk, j, ck, i) else
            "no year on one side to confirm it" if yr is None or ck["year"][i] is None else
            f"it is from {ck['year'][i]}" if abs(ck["year"][i] - yr) > 1 else
            "no first author on one side to confirm it" if not fk["author"][j] or not ck["author"][i] else
            _conflict(fk, j, ck, i)
            or ("other numbers in the titles" if _series_numbers(t) != _series_numbers(c) else None)
            or (f"{apart} {'tells' if apart.endswith('only') else 'tell'} them apart" if apart else None))
        if why:
            close.append((i, score, why))
        else:
            hits.append(i)
    return sorted(hits), close


#: A title the final-includes list cut short matches on this many whole words at least: fewer begin
#: the titles of a team's other papers ("Syndemic factors and HIV risk among men who ...")
CUT_TITLE_WORDS = 8
#: The mark a reference manager or a spreadsheet leaves where it cut a long title short
_CUT_MARK = re.compile(r"\s*(?:\.\s*\.\s*\.|\u2026)\s*$")


def _cut_title_hits(fk: dict, j: int, ck: dict, final_title,
                    cand_titles: list) -> tuple[list[int], list[tuple[int, str]]]:
    """(candidates whose title final include ``j``'s begins, where the list cut it short and says so
    ("... in India: Pretest-postt…"), the ones told apart: (candidate, why)). The word cut in two is
    left out; the rest (``CUT_TITLE_WORDS`` words or more) must begin the record's title, the
    year (one apart at most) and first author (by surname, where a side writes one before a comma)
    confirm it, and no DOI, PubMed id or volume differ. Where it begins records of more than one
    title (the cut falls before "12-month" / "24-month"), none is counted: what tells them apart is
    what was cut."""
    from screener.dedup import strip_title_notes

    if not isinstance(final_title, str) or not _CUT_MARK.search(final_title) or _notice_only(fk, j):
        return [], []
    words = normalise_title(strip_title_notes(_CUT_MARK.sub("", final_title))).split()[:-1]
    if len(words) < CUT_TITLE_WORDS:
        return [], []
    begin, yr = _match_title(" ".join(words)), fk["year"][j]
    ok, close = [], []
    for i, key in enumerate(ck["title"]):
        if not key or len(key) <= len(begin) or not key.startswith(begin):
            continue
        why = (
            "it is a notice about a study" if _notice_apart(fk, j, ck, i) else
            "no year on one side to confirm it" if yr is None or ck["year"][i] is None else
            f"it is from {ck['year'][i]}" if abs(ck["year"][i] - yr) > 1 else
            "no first author on one side to confirm it" if not fk["author"][j] or not ck["author"][i] else
            _conflict(fk, j, ck, i) or (None if _same_surname(fk, j, ck, i) else
                                        f"first author {fk['author_name'][j]} shares no surname with it"))
        if why:
            close.append((i, f"begins with the final include's title, which the list cut short, but {why}"))
        else:
            ok.append(i)
    if len({ck["title"][i] for i in ok}) > 1:
        close += [(i, "begins with the final include's title, which the list cut short, but so do records of other "
                      f"titles (what tells them apart was cut): \"{_short(cand_titles[i], 120)}\"") for i in ok]
        return [], close
    return ok, close


def _cut_records(ck: dict, cand_titles: list) -> list[tuple[int, str, set[str]]]:
    """The records whose title the database cut short and says so (Google Scholar's through Publish or Perish:
    '... men who have sex with men in the …'): (candidate, the title's key without the mark and the word it may
    have cut in two, the keys of the other records' whole titles that begin so)."""
    from screener.dedup import strip_title_notes

    out = []
    for i, title in enumerate(cand_titles):
        if not isinstance(title, str) or not _CUT_MARK.search(title) or ck["notice"][i]:
            continue
        words = normalise_title(strip_title_notes(_CUT_MARK.sub("", title))).split()[:-1]
        if len(words) >= CUT_TITLE_WORDS:
            begin = _match_title(" ".join(words))
            others = {key for k, key in enumerate(ck["title"])
                      if key and len(key) > len(begin) and key.startswith(begin)
                      and not (isinstance(cand_titles[k], str) and _CUT_MARK.search(cand_titles[k]))}
            out.append((i, begin, others))
    return out


def _cut_record_hits(fk: dict, j: int, ck: dict, cut_records) -> tuple[list[int], list[tuple[int, str]]]:
    """(the records of ``cut_records`` whose cut title final include ``j``'s title begins with, the ones told apart:
    (candidate, why)), by the rules of ``_cut_title_hits`` turned around: the year and first author confirm it, and
    no other record's whole title begins as the cut one does (what tells them apart was cut)."""
    t, yr = fk["title"][j], fk["year"][j]
    if not t or _notice_only(fk, j):
        return [], []
    ok, close = [], []
    for i, begin, others in cut_records:
        if len(t) <= len(begin) or not t.startswith(begin):
            continue
        why = (
            "no year on one side to confirm it" if yr is None or ck["year"][i] is None else
            f"it is from {ck['year'][i]}" if abs(ck["year"][i] - yr) > 1 else
            "no first author on one side to confirm it" if not fk["author"][j] or not ck["author"][i] else
            _conflict(fk, j, ck, i) or (None if _same_surname(fk, j, ck, i) else
                                        f"first author {fk['author_name'][j]} shares no surname with it") or
            (None if others <= {t} else "records of other titles begin as it does (what tells them apart was cut)"))
        if why:
            close.append((i, "has the beginning of the final include's title, which the database cut short, "
                              f"but {why}"))
        else:
            ok.append(i)
    return ok, close


def _unmarked_cut_close(fk: dict, j: int, ck: dict) -> list[list[int]]:
    """Records whose title begins with final include ``j``'s whole title (``CUT_TITLE_WORDS`` words or
    more) where the list does not say it cut it (no "..."): a title copied from a table that cut it
    short. Named as close only, never counted (the rest of a title may tell two studies apart), so
    that the study is not reported as missing from the exports without a word. One list per title
    (the copies of one study from several databases are named together), five titles at most."""
    t = fk["title"][j]
    if not t or fk["notice"][j] or fk["words"][j] < CUT_TITLE_WORDS:
        return []
    by_title: dict[str, list[int]] = {}
    for i, key in enumerate(ck["title"]):
        if key and len(key) > len(t) and key.startswith(t):
            by_title.setdefault(key, []).append(i)
    return list(by_title.values())[:5]


_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s|\?\s)\s*")


def _subtitle_split(title) -> tuple[str, str] | None:
    """(main title, subtitle), normalised, where a title has a subtitle after ':', ' - ' or '? '."""
    from screener.dedup import strip_title_notes

    if not isinstance(title, str):
        return None
    parts = _SUBTITLE.split(strip_title_notes(title).strip(), maxsplit=1)
    if len(parts) < 2:
        return None
    main, sub = normalise_title(parts[0]), normalise_title(parts[1])
    return (main, sub) if main and sub else None


def _subtitle_close(fk: dict, j: int, ck: dict, final_title, cand_titles: list,
                    index: dict) -> list[tuple[int, str]]:
    """Near misses where one title is the other with a subtitle added or dropped (a reference manager
    or a database that keeps only the main title): never counted as found, since a subtitle may be what
    makes another paper of one study, but named, so that a reviewer told "not in the exports" can look.
    Each with what is known to confirm or tell them apart (year, first author, DOI, volume)."""
    if "subtitle" not in index:
        full: dict[str, list[int]] = {}
        main: dict[str, list[tuple[int, str]]] = {}
        for i, (t, n) in enumerate(zip(ck["ntitle"], ck["words"])):
            if t and n >= SIMILAR_TITLE_WORDS:
                full.setdefault(t, []).append(i)
            split = _subtitle_split(cand_titles[i])
            if split and len(split[0].split()) >= SIMILAR_TITLE_WORDS:
                main.setdefault(split[0], []).append((i, split[1]))
        index["subtitle"] = (full, main)
    full, main = index["subtitle"]
    t, yr = fk["ntitle"][j], fk["year"][j]
    found = [(i, f"with the subtitle '{sub}'") for i, sub in main.get(t, [])] if t else []
    split = _subtitle_split(final_title)
    if split and len(split[0].split()) >= SIMILAR_TITLE_WORDS:
        found += [(i, f"without the subtitle '{split[1]}'") for i in full.get(split[0], [])]
    out = []  # (candidate, what sets it apart from the final include's title, and what else)
    for i, how in found:
        why = (
            "it is a notice about a study" if _notice_apart(fk, j, ck, i) else
            "no year on one side to confirm it" if yr is None or ck["year"][i] is None else
            f"it is from {ck['year'][i]}" if abs(ck["year"][i] - yr) > 1 else
            "no first author on one side to confirm it" if not fk["author"][j] or not ck["author"][i] else
            _conflict(fk, j, ck, i))
        out.append((i, f"has its title {how}" + (f", and {why}" if why else "")))
    return out


def _unreadable_identifier(finals: pd.DataFrame, j: int) -> str:
    """What to say of a final include with no title and no DOI or PubMed id: what its DOI or
    PubMed id cell holds instead (the cell as written, where the reader kept it), or that nothing
    on its line could find it."""
    from screener.io.tabular import ALIASES, _norm

    raw = finals["raw"].iloc[j] if "raw" in finals.columns else None
    for col in ("pmid", "doi"):
        v = finals[col].iloc[j] if col in finals.columns else None
        if not (isinstance(v, str) and v.strip()) and isinstance(raw, dict):
            v = next((c for k, c in raw.items() if _norm(k) in ALIASES[col] and isinstance(c, str) and c.strip()), None)
        if isinstance(v, str) and v.strip():
            v = v.strip()
            if re.fullmatch(r"pmc\s*\d+", v, re.I):
                return (f"(no title; '{v}' is a PubMed Central id, not a PubMed id: give the study's PMID or DOI "
                        "instead)")
            if col == "doi" and clean_pmid(v):
                return f"(no title; '{v}', given as its DOI, is a PubMed id: put it under PMID instead)"
            return f"(no title; '{v}' is neither a DOI nor a PubMed id)"
    return "(no title, DOI or PubMed id: nothing to find it by; add one to this line of the file)"


def _record_ids(candidates: pd.DataFrame) -> list[str]:
    if "record_id" in candidates.columns:
        return candidates["record_id"].astype(str).tolist()
    if candidates.index.name == "record_id":
        return [str(i) for i in candidates.index]
    raise ScreenerError("the candidate records need a record_id (column or index)")


#: Titles shorter than ``min_title_words`` but of this many words or more match only where year
#: and first author, both given on both sides, confirm them; a one-word title ("Editorial") never.
SHORT_TITLE_WORDS = 2


def match_final_includes(candidates: pd.DataFrame, finals: pd.DataFrame, *,
                         min_title_words: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find each final include among the candidates.

    Returns ``(matches, unmatched)``. ``matches``: one row per (final include, candidate) pair
    with ``final`` (row position in ``finals``), ``record_id``, ``by`` (one of ``MATCH_KINDS``),
    ``final_title``. Every candidate that is the same study counts (copies from several
    databases all match). ``unmatched``: the final includes found nowhere, with ``final``,
    ``title``, ``year``, ``doi`` and ``near``: the candidates it was not matched to although they
    come close, each with why (a list of text, empty when none). Titles are compared as
    ``_match_title`` writes them. A title alone matches only when a year is missing on one side or
    the years differ by one (online-first vs print), only titles of ``min_title_words``+ words,
    since short titles ("Editorial") are shared by unrelated records (one of two or three words
    where the year and first author on both sides confirm it), and never a record whose
    own DOI, PubMed id, first author or volume tells it apart (a conference abstract
    of the trial, a letter or a namesake paper). A correction or comment that carries the
    study's DOI or PubMed id is not the study. Where nothing matched and no record came close by
    those rules, a title the list cut short ("...") matches the records it begins as "title cut
    short" (``_cut_title_hits``), as does a record's title the database cut short the include it begins
    (``_cut_record_hits``), and a title written a little differently as a "similar title"
    (``_similar_title_hits``).
    """
    ids = _record_ids(candidates)
    ck = _keys(candidates)
    fk = _keys(finals)
    index: dict[str, dict[str, list[int]]] = {"doi": {}, "pmid": {}, "title": {}}
    for key, found in index.items():
        for i, v in enumerate(ck[key]):
            if v:
                found.setdefault(v, []).append(i)

    rows = []
    unmatched = []
    similar_index: dict = {}  # built when a final include first needs it
    cut_records = None  # likewise: the records whose title the database cut short
    final_titles = _col(finals, "title")
    cand_titles = _col(candidates, "title")

    def cand(i):
        yr = ck["year"][i]
        return f"record {ids[i]}" + (f" ({yr})" if yr else "")

    for j in range(len(finals)):
        d, p, t, yr = fk["doi"][j], fk["pmid"][j], fk["title"][j], fk["year"][j]
        hits: list[int] = []
        kind = None
        near: list[str] = []
        for key, word in (("doi", "DOI"), ("pmid", "PubMed id")):
            v = fk[key][j]
            if not v or v not in index[key]:
                continue
            same = [i for i in index[key][v] if not _notice_apart(fk, j, ck, i)]
            if not same and not fk["words"][j]:
                # listed by the identifier alone: no title says the study is not a notice (a study
                # may be titled "Response to methotrexate ...")
                same = index[key][v]
            near += [f"{cand(i)} carries its {word} but is a notice about it, not the study: "
                     f"\"{_short(cand_titles[i], 120)}\"" for i in index[key][v] if i not in same]
            other = [(i, why) for i in same if (why := _other_identifier_differs(fk, j, ck, i, key))]
            near += [f"{cand(i)} carries its {word} but {why}: \"{_short(cand_titles[i], 120)}\"" for i, why in other]
            same = [i for i in same if i not in {i for i, _ in other}]
            if len(same) > 1 and fk["words"][j] >= min_title_words:
                # a DOI shared by items of other titles (a conference supplement's, a book's): the records
                # that give the include's title are the include, where some do
                alike = [i for i in same if ck["ntitle"][i] and _titles_alike(fk["ntitle"][j], ck["ntitle"][i])]
                unlike = [i for i in same if ck["ntitle"][i] and i not in alike]
                if alike and unlike:
                    same = [i for i in same if i not in unlike]
            if same:
                hits, kind = same, key
                break
        short = SHORT_TITLE_WORDS <= fk["words"][j] < min_title_words
        if not hits and t and (fk["words"][j] >= min_title_words or short) and t in index["title"]:
            ok = []
            for i in index["title"][t]:
                if yr is not None and ck["year"][i] is not None and abs(ck["year"][i] - yr) > 1:
                    continue  # the title again in another year: another paper
                # an erratum under the study's own title is a notice about it, not the study
                why = ("it is a notice about the study, not the study" if _notice_apart(fk, j, ck, i) else
                       _conflict(fk, j, ck, i))
                if not why and short and not (yr is not None and ck["year"][i] is not None
                                              and fk["author"][j] and ck["author"][i]
                                              and _same_surname(fk, j, ck, i)):
                    # a short title is shared by unrelated records: only a year and a first author
                    # on both sides confirm it ("Peer work experiences", 2019, Greer)
                    why = (f"a title of {fk['words'][j]} words matches only where the year and the first author "
                           "on both sides confirm it")
                if why:
                    near.append(f"{cand(i)} has its title but {why}")
                else:
                    ok.append(i)
            same = [i for i in ok if yr is not None and ck["year"][i] == yr]
            if same:
                hits, kind = same, "title+year"
            elif ok:
                hits, kind = ok, "title"
        if not hits and not near:
            hits, close = _cut_title_hits(fk, j, ck, final_titles[j], cand_titles)
            kind = "title cut short" if hits else None
            near += [f"{cand(i)} {how}" for i, how in close]
        if not hits and not near:
            if cut_records is None:
                cut_records = _cut_records(ck, cand_titles)
            hits, close = _cut_record_hits(fk, j, ck, cut_records)
            kind = "title cut short" if hits else None
            near += [f"{cand(i)} {how}" for i, how in close]
        if not hits and not near:
            hits, close = _similar_title_hits(fk, j, ck, cand_titles=ck["ntitle"], index=similar_index)
            kind = "similar title" if hits else None
            near += [f"{cand(i)} has a title {score:.0f}% alike but {why}: \"{_short(cand_titles[i], 120)}\""
                     for i, score, why in close]
            if not hits and not near:
                near += [f"{cand(i)} {how}" for i, how in
                         _subtitle_close(fk, j, ck, final_titles[j], cand_titles, similar_index)]
            if not hits and not near:
                near += [f"{cand(same[0])}" + (f" (and {', '.join(cand(i) for i in same[1:])})" if same[1:] else "")
                         + f" {'have' if same[1:] else 'has'} a title that begins with the final include's whole "
                         f"title (cut short in the list? give the rest of it or its DOI): "
                         f"\"{_short(cand_titles[same[0]], 120)}\"" for same in _unmarked_cut_close(fk, j, ck)]
        named = final_titles[j] if isinstance(final_titles[j], str) and final_titles[j].strip() else None
        if hits:
            # a final include listed by DOI or PubMed id alone is named by the record it matched
            title = named or next((cand_titles[i] for i in hits if isinstance(cand_titles[i], str)
                                   and cand_titles[i].strip()), None)
            for i in hits:
                rows.append({"final": j, "record_id": ids[i], "by": kind, "final_title": title})
        else:
            title = named or (f"(no title; DOI {d})" if d else f"(no title; PubMed id {p})" if p else
                              _unreadable_identifier(finals, j))
            unmatched.append({"final": j, "title": title, "year": yr, "doi": d, "near": near,
                              "sought": bool(d or p or t)})
    matches = pd.DataFrame(rows, columns=["final", "record_id", "by", "final_title"])
    return matches, pd.DataFrame(unmatched, columns=["final", "title", "year", "doi", "near", "sought"])


def repeated_final_includes(finals: pd.DataFrame, *, min_title_words: int = 4) -> dict[int, tuple[int, str]]:
    """Lines of the final-includes list that repeat an earlier one: row position -> (the earlier
    row, what they share: "DOI", "PubMed id" or "title"). A study listed twice is one include;
    counting it twice would inflate the review's total. Two lines are one study when they share a
    DOI or PubMed id, or a title (of ``min_title_words``+ words) with no year, DOI, PubMed id,
    first author or volume that tells them apart."""
    fk = _keys(finals)
    by: dict[str, dict] = {"doi": {}, "pmid": {}, "title": {}}
    out: dict[int, tuple[int, str]] = {}
    for j in range(len(finals)):
        d, p, t, yr = fk["doi"][j], fk["pmid"][j], fk["title"][j], fk["year"][j]
        first = None
        if d and d in by["doi"]:
            first, why = by["doi"][d], "DOI"
        elif p and p in by["pmid"]:
            first, why = by["pmid"][p], "PubMed id"
        elif t and fk["words"][j] >= min_title_words:
            first = next((i for i in by["title"].get(t, ())
                          if (yr is None or fk["year"][i] is None or yr == fk["year"][i])
                          and _conflict(fk, j, fk, i) is None), None)
            why = "title"
        if first is not None:
            out[j] = (first, why)
            continue
        if d:
            by["doi"][d] = j
        if p:
            by["pmid"][p] = j
        if t:
            by["title"].setdefault(t, []).append(j)
    return out


def _where(finals: pd.DataFrame, j: int) -> str:
    """A final include by its place in the file: a table's row as Excel shows it, a text export's line (by
    position when the list came without lines)."""
    place = _col(finals, "source_where")[j]
    if isinstance(place, str):
        return place
    line = _col(finals, "source_line")[j]
    return f"line {int(line)}" if line is not None and not pd.isna(line) else f"entry {j + 1}"


def _repeats_note(finals: pd.DataFrame, repeats: dict[int, tuple[int, str]], name: str | None) -> str:
    """Where the repeats are, by line of the file (by position when the list came without lines)."""
    said = [f"{_where(finals, j)} repeats {_where(finals, i)} (same {why})" for j, (i, why) in sorted(repeats.items())]
    more = f" and {len(said) - 10} more" if len(said) > 10 else ""
    unit = _where(finals, min(repeats)).split(" ", 1)[0]  # 'row' of a table, 'record' of EndNote's XML
    unit = unit if unit in ("row", "record") else "line"
    return (f"{counted(len(repeats), unit)} of {name or 'the final-includes list'} "
            f"{noun(len(repeats), 'repeats', 'repeat')} a final include listed above: {'; '.join(said[:10])}{more}. "
            "Each study is counted once.")


def _same_study(matches: pd.DataFrame) -> dict[int, tuple[int, str]]:
    """Final includes that matched a record (or a duplicate of one) an earlier final include
    matched: row position -> (the earlier one, the record they share)."""
    first: dict[str, tuple[int, str]] = {}
    out: dict[int, tuple[int, str]] = {}
    for j, g in matches.groupby("final", sort=True):
        shared = next(((p, r) for p, r in zip(g["primary"], g["record_id"]) if p in first), None)
        if shared is not None:
            out[int(j)] = (first[shared[0]][0], first[shared[0]][1])
            continue
        for p, r in zip(g["primary"], g["record_id"]):
            first.setdefault(p, (int(j), r))
    return out


def _studies(matches: pd.DataFrame) -> list[set[str]]:
    """The studies the final includes found, as sets of primary records: a final include that
    matched records kept as different studies joins them, so that it counts once."""
    parent: dict[str, str] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for _, g in matches.groupby("final", sort=True):
        prims = list(dict.fromkeys(g["primary"]))
        for q in prims[1:]:
            parent[root(q)] = root(prims[0])
        root(prims[0])
    out: dict[str, set[str]] = {}
    for x in parent:
        out.setdefault(root(x), set()).add(x)
    return list(out.values())


def _split_finals(matches: pd.DataFrame) -> pd.DataFrame:
    """The final includes that matched records of more than one study: one row each, with one
    matched record per study (``records``), for the reviewer to check."""
    rows = []
    for j, g in matches.groupby("final", sort=True):
        first = g.drop_duplicates("primary")
        if len(first) > 1:  # the primary itself when it matched, else its first matched copy
            recs = [r if r in set(g["record_id"]) else r2 for r, r2 in zip(first["primary"], first["record_id"])]
            rows.append({"final": int(j), "title": g["final_title"].iloc[0], "records": recs, "by": g["by"].iloc[0]})
    return pd.DataFrame(rows, columns=["final", "title", "records", "by"])


def _maybe_one_study(matches: pd.DataFrame, finals: pd.DataFrame, to_primary: dict[str, str],
                     possible: Sequence[tuple[str, str, str]], *, different_studies=(),
                     min_title_words: int = 4) -> pd.DataFrame:
    """Pairs of final includes, each counted as a study of its own, that may be one study: their
    records are a pair de-duplication was unsure of and kept apart, not yet merged or kept apart by a
    reviewer (``possible``: record, other record, why), or the two lines give one title and first
    author (a conference abstract and its article, listed as two reports of one study). Nobody has
    said they are one, so they still count as two; the report names them, so that a reviewer knows
    the figures may count one study twice; not where a reviewer said their records are different
    studies (``different_studies``: pairs of record ids). One row a pair: ``final``, ``other``,
    ``records`` (one of each), ``why``, ``by`` ("de-duplication" or "title")."""
    from screener.dedup import authors_compatible, journals_compatible

    final_of = {p: int(j) for j, p in zip(matches["final"], matches["primary"])}
    first = matches.drop_duplicates("final").set_index("final")["record_id"].to_dict()
    records = matches.groupby("final")["record_id"].agg(lambda r: set(map(str, r))).to_dict()
    apart = {frozenset((str(a), str(b))) for a, b in different_studies}
    rows, seen = [], set()
    for a, b, why in possible:
        ja, jb = final_of.get(to_primary.get(str(a), str(a))), final_of.get(to_primary.get(str(b), str(b)))
        if ja is None or jb is None or ja == jb or (min(ja, jb), max(ja, jb)) in seen:
            continue
        seen.add((min(ja, jb), max(ja, jb)))
        (ja, a), (jb, b) = sorted([(ja, str(a)), (jb, str(b))])
        rows.append({"final": ja, "other": jb, "records": [a, b], "why": why, "by": "de-duplication"})
    fk = _keys(finals)
    journals = _col(finals, "journal")
    by_title: dict[str, list[int]] = {}
    for j in sorted(set(final_of.values())):
        if fk["title"][j] and fk["words"][j] >= min_title_words and fk["author"][j]:
            by_title.setdefault(fk["title"][j], []).append(j)
    for same in by_title.values():
        for k, ja in enumerate(same):
            for jb in same[k + 1:]:
                if (ja, jb) in seen or not authors_compatible(fk["author"][ja], fk["author"][jb]) or \
                        any(frozenset((a, b)) in apart for a in records[ja] for b in records[jb]):
                    continue
                seen.add((ja, jb))
                ya, yb = fk["year"][ja], fk["year"][jb]
                when = "" if ya is None or yb is None else f"; {ya}" if ya == yb else f"; {ya} and {yb}"
                ja_, jb_ = (journals[x] if isinstance(journals[x], str) else "" for x in (ja, jb))
                # "Lancet" and "The Lancet", "Crit Care" and "Critical Care": one journal, as de-duplication reads it
                venue = ", in other journals" if ja_.strip() and jb_.strip() and not journals_compatible(ja_, jb_) \
                    else ""
                rows.append({"final": ja, "other": jb, "records": [str(first[ja]), str(first[jb])], "by": "title",
                             "why": f"one title and first author ({fk['author_name'][ja]}{when}){venue}"})
    return pd.DataFrame(sorted(rows, key=lambda r: (r["final"], r["other"])),
                        columns=["final", "other", "records", "why", "by"])


def _with_identifiers(split: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """``split`` with the DOI and PubMed id of each listed record (``dois``, ``pmids``; None
    where it has none), for advice that fits the records."""
    keys = _keys(candidates)
    ids = _record_ids(candidates)
    doi = dict(zip(ids, keys["doi"]))
    pmid = dict(zip(ids, keys["pmid"]))
    out = split.copy()
    out["dois"] = [[doi.get(str(x)) for x in recs] for recs in split["records"]]
    out["pmids"] = [[pmid.get(str(x)) for x in recs] for recs in split["records"]]
    return out


def _study_labels(order: np.ndarray, studies: list[set[str]]) -> np.ndarray:
    """1 where a study is first found in ``order`` (0 for its later records), so that recall and
    work saved count final includes, not records."""
    pos = {r: k for k, r in enumerate(order)}
    y = np.zeros(len(order), dtype=np.int8)
    for prims in studies:
        ks = [pos[p] for p in prims if p in pos]
        if ks:
            y[min(ks)] = 1
    return y


# --------------------------------------------------------------------------- the evaluation


@dataclass
class FinalIncludesReport:
    """What screening this search with screener would have meant for the finished review.

    ``found_at``: one row per matched final include: ``final``, ``title``, ``by`` and, per seed,
    the post-prior records screened when it was found (0 = it was a prior record).
    ``per_seed``: the order metrics per seed (``screener.metrics.ranking_metrics``), counting
    final includes (a study found twice counts once), not records.
    ``stopping``: per seed, method and target: where it said stop and what recall that meant.
    ``split``: the final includes that matched records kept as different studies (``final``,
    ``title``, ``records``: one matched record per study, ``by``: how it was matched, ``dois`` and
    ``pmids``: those of the records), each counted once; ``kept_apart`` says
    who kept them apart, ``merge_hint`` the command that would join them (a project's only).
    """

    n_candidates: int
    n_screened_records: int
    n_finals: int
    matches: pd.DataFrame
    unmatched: pd.DataFrame
    found_at: pd.DataFrame
    per_seed: pd.DataFrame
    stopping: pd.DataFrame
    config: dict = field(default_factory=dict)
    runs: list = field(default_factory=list, repr=False)
    notes: list[str] = field(default_factory=list)
    split: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["final", "title", "records"]))
    kept_apart: str = "are kept apart"
    #: pairs of final includes counted as two studies that may be one (``_maybe_one_study``), with
    #: ``title`` and ``where`` (their lines of the final-includes file)
    maybe_one: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["final", "other", "records", "why"]))
    merge_hint: str | None = None
    #: the final-includes file, as the report names it
    finals_name: str | None = None
    #: a project's own screening, per matched final include (``own_screening``): None for exports
    own: pd.DataFrame | None = None
    own_screened: int = 0
    #: (prior includes, prior excludes) each seed's replay started from: (0, 0) is a cold start
    priors: tuple[int, int] | None = None
    #: per seed (as ``runs``), 1 where a final include is first found in its order: what the figures count
    study_labels: list = field(default_factory=list, repr=False)
    #: the recall each stopping method's stop is judged against (a rapid review's 0.8 or 0.9)
    target: float = 0.95
    #: the project's own ``target`` (``screener init --target-recall``), not asked for: said where the stops are
    target_is_project_s: bool = False

    def plot(self, path) -> Path:
        """The recall curve of each seed's replay, counting final includes as the figures do, with the
        point where each stopping method would have stopped (at ``target`` recall)."""
        from screener.plots import Curve, plot_recall_curves

        s = self.summary()
        curves = [Curve(y, f"seed {r.seed}", n_priors=r.n_priors, group=str(self.config.get("name", "screener")),
                        stops=r.stop_points(self.target) if y[r.n_priors:].any() else {})
                  for r, y in zip(self.runs, self.study_labels)]  # no include left to find: no stop to mark
        among = (f"; {s['matched']} of {s['final_includes']} final includes among the records" if s["unmatched"]
                 else "")
        seeds = [r.seed for r in self.runs]
        return plot_recall_curves(curves, path, title="Final includes found while screening this search",
                                  subtitle=f"{self.config.get('name', '?')}, seed{'s' if len(seeds) > 1 else ''} "
                                           f"{', '.join(map(str, seeds))}{among}",
                                  target=self.target)

    def summary(self) -> dict:
        ps = self.per_seed
        return {
            "final_includes": self.n_finals,
            "matched": int(self.matches["final"].nunique()) if len(self.matches) else 0,
            "unmatched": len(self.unmatched),
            "matched_several_studies": len(self.split),
            "pairs_maybe_one_study": len(self.maybe_one),
            "records_screened_in_simulation": self.n_screened_records,
            "wss@95_mean": float(ps["wss@95"].mean()) if len(ps) else math.nan,
            "wss@100_mean": float(ps["wss@100"].mean()) if len(ps) else math.nan,
            "n@95_mean": float(ps["n@95"].mean()) if len(ps) else math.nan,
            "n@100_mean": float(ps["n@100"].mean()) if len(ps) else math.nan,
            "n@90_mean": float(ps["n@90"].mean()) if len(ps) else math.nan,
            "atd_mean": float(ps["atd"].mean()) if len(ps) else math.nan,
        }

    def to_markdown(self) -> str:
        s = self.summary()
        seeds = list(self.per_seed["seed"]) if len(self.per_seed) else []
        # beside every figure of recall: over which final includes it is measured
        # a record close to one not found (its title without the subtitle) may be the study: not said to be absent
        close = any(isinstance(n, list) and n for n in self.unmatched.get("near", []))
        # an entry with no title, DOI or PubMed id was never looked for: not known to be out of the search either
        unsought = not self.unmatched.get("sought", pd.Series(True, index=self.unmatched.index)).astype(bool).all()
        scope = ([f"These figures count the {counted(s['matched'], 'final include')} found among the candidate "
                  f"records, not all {s['final_includes']}: the {s['unmatched']} not found (listed below) "
                  + (f"matched no candidate record, so the figures count at most {s['matched']} of the "
                     f"{s['final_includes']} ({_p(s['matched'] / s['final_includes'])}), whatever the order"
                     + (" (one with a record close beside it may be the study all the same)" if close else "")
                     + (" (one with nothing to find it by was not looked for)" if unsought else "") + "."
                     if close or unsought else
                     f"{noun(s['unmatched'], 'is', 'are')} not in these records, so screening them finds at most "
                     f"{s['matched']} of the {s['final_includes']} ({_p(s['matched'] / s['final_includes'])}), "
                     "whatever the order."), ""] if s["unmatched"] else [])
        # the target the stops are judged at, where the table gives no column for it ('--target-recall 0.8'): its n@
        key = target_key(self.target) if target_key(self.target) in self.per_seed.columns else None
        cut = (0 if self.target < 0.9 else 1 if self.target < 0.95 else 3) if key else 0  # its place in the table
        heads = ["n@90", "n@95", "WSS@95", "n@100"]
        heads[cut:cut] = [key] if key else []
        short_scope = ([f"Recall counts the {counted(s['matched'], 'final include')} found among the candidate "
                        f"records, not all {s['final_includes']}.", ""] if s["unmatched"] else [])
        lines = [
            "# Screening this search with screener, checked against the review's final includes",
            "",
            f"- Candidate records: {self.n_candidates} ({self.n_screened_records} after de-duplication)",
            f"- Final includes: {s['final_includes']}; found among the candidates: {s['matched']}; "
            f"not found: {s['unmatched']}",
            f"- Set-up: {self.config.get('name', '?')} (ranking model {self._ranking_words()}), "
            f"{'seed' if len(seeds) == 1 else 'seeds'} {', '.join(map(str, seeds))}; {self._priors_words()}",
            *[f"- {n}" for n in self.notes],
            *([f"- {counted(len(self.split), 'final include')} matched records that {self.kept_apart} as different "
               "studies (listed at the end); each counts once, found when the first of its records is screened."]
              if len(self.split) else []),
            *([f"- {len(self.maybe_one)} pair{'' if len(self.maybe_one) == 1 else 's'} of final includes may be one "
               "study (listed at the end): each counts as an include of its own, so the figures may count one study "
               "twice."] if len(self.maybe_one) else []),
            *([f"- **Check the files:** {s['unmatched']} of the {s['final_includes']} final includes "
               f"{'is' if s['unmatched'] == 1 else 'are'} not among the candidate records. Most reviews find nearly "
               "all their includes in their database searches; so many missing suggests the final includes belong to "
               "another review or search, or an export is "
               "missing. The figures below count only the ones found."]
              if s["final_includes"] and s["unmatched"] / s["final_includes"] > 0.25 else []),
            "",
            "## Work saved (denominators leave out the prior records)",
            "",
            *scope,
            f"| seed | records | includes | {' | '.join(heads)} | WSS@100 |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if key else ""),
        ]
        for _, r in self.per_seed.iterrows():
            cells = [_i(r["n@90"]), _i(r["n@95"]), _p(r["wss@95"]), _i(r["n@100"])]
            cells[cut:cut] = [_i(r[key])] if key else []
            lines.append(f"| {int(r['seed'])} | {int(r['N'])} | {int(r['R'])} | {' | '.join(cells)} | "
                         f"{_p(r['wss@100'])} |")
        keys = ["n@90", "n@95", "wss@95", "n@100"]
        keys[cut:cut] = [key] if key else []
        lines += self._mean_row(["N", "R", *keys, "wss@100"])
        said = ["90%", "95%", "all"]
        said[min(cut, 2):min(cut, 2)] = [f"{level_pct(self.target)} (the target recall)"] if key else []
        named = ["n@90", "n@95", "n@100"]
        named[min(cut, 2):min(cut, 2)] = [key] if key else []
        lines += ["", f"{', '.join(named)}: records screened to find {', '.join(said)} of the includes.", "",
                  "## How early the includes were found", "", *short_scope,
                  "| seed | recall@5% | recall@10% | recall@20% | ATD |",
                  "|---:|---:|---:|---:|---:|"]
        for _, r in self.per_seed.iterrows():
            lines.append(f"| {int(r['seed'])} | {_p(r['recall@5%'])} | {_p(r['recall@10%'])} | {_p(r['recall@20%'])} | "
                         f"{_p(r['atd'])} |")
        lines += self._mean_row(["recall@5%", "recall@10%", "recall@20%", "atd"])
        lines += ["", "recall@5%: the share of the includes found after screening the first 5% of the records; "
                  "ATD (average time to discovery): the average share of the records screened by the time each "
                  "include is found (lower is better)."]
        # a seed with no include left after the priors has no stopping point worth the name
        empty = set(self.per_seed.loc[self.per_seed["R"] == 0, "seed"].astype(int)) if len(self.per_seed) else set()
        st = self.stopping[np.isclose(self.stopping["target"].astype(float), self.target)
                           & ~self.stopping["seed"].astype(int).isin(empty)] if len(self.stopping) else self.stopping
        target = level_pct(self.target)
        # a target the reviewer did not ask for here: where it comes from, and how to ask for another
        why = ([f"Judged at {target} recall, this project's own target (set with 'screener init --target-recall'), "
                "as 'screener status' judges its stop; --target-recall judges them at another.", ""]
               if self.target_is_project_s else [])
        if len(self.stopping) and not len(st):
            lines += ["", f"## Where each stopping method would have stopped (target recall {target})", "", *why,
                      "No stopping point is given: no include was left to find after the prior records."]
        elif len(st):
            from screener.simulate import method_name

            lines += ["", f"## Where each stopping method would have stopped (target recall {target})", "", *why,
                      *short_scope,
                      *([f"Not given for seed{'s' if len(empty) > 1 else ''} {', '.join(map(str, sorted(empty)))}: no "
                         "include was left to find after the prior records.", ""] if empty else []),
                      "| method | seed | stopped after | share screened | recall at stop |",
                      "|---|---:|---:|---:|---:|"]
            for _, r in st.iterrows():
                after = "not before the end" if r["stop_n"] is None or pd.isna(r["stop_n"]) else str(int(r["stop_n"]))
                lines.append(f"| {method_name(r['method'])} | {int(r['seed'])} | {after} | "
                             f"{_p(r['screened_at_stop'])} | {_p(r['recall_at_stop'], self.target)} |")
            n_seeds = st["seed"].nunique()
            if n_seeds > 1:  # the first figure to read (BENCHMARK.md): how often a stop missed the target
                lines += ["", f"Over the {n_seeds} seeds:", ""]
                for method, g in st.groupby("method", sort=False):
                    lines.append(f"- {method_name(method)}: {self._stops_over_seeds(g, target)}")
        lines += self._own_markdown()
        lines += ["", "## Where each final include would have been found (records screened)", ""]
        cols = [c for c in self.found_at.columns if c.startswith("seed ")]
        lines.append("| final include | matched by | " + " | ".join(cols) + " |")
        lines.append("|---|---|" + "---:|" * len(cols))
        for _, r in self.found_at.sort_values(cols[0] if cols else "final").iterrows():
            title = _short(r["title"])
            lines.append(f"| {title} | {r['by']} | " + " | ".join(
                "prior" if r[c] == 0 else _i(r[c]) for c in cols) + " |")
        if len(self.unmatched):
            absent = ("they are not among the project's records (found by other means, or a search export was not "
                      "imported)" if self.merge_hint else
                      "they are not in the exports given (found by other means, or the exports are a subset of the "
                      "search)")
            lines += ["", "## Final includes not found among the candidate records", "",
                      f"No candidate record matches these, so the figures leave them out: {absent}, except perhaps "
                      "where a record came close (named below the include): it may be the study, its title or DOI "
                      "written otherwise in one file; check it before reporting the include as found by other means "
                      "in the PRISMA flow."
                      if close else f"Screening could not have found these: {absent}." if not unsought else
                      (f"No candidate record matches these, so the figures leave them out: the ones looked for "
                       f"{absent.removeprefix('they ')}." if self.unmatched["sought"].any() else
                       "The figures leave these out."), ""]
            if unsought:
                lines[-1:-1] = ["", "An entry with no title, DOI or PubMed id (said below) could not be looked for: it "
                                "counts as not found, but whether the search found it is not known."]
            for _, r in self.unmatched.iterrows():
                yr = "" if r["year"] is None or pd.isna(r["year"]) else f" ({int(r['year'])})"
                place = r.get("where")
                where = f" [{place} of {self.finals_name or 'the final-includes file'}]" if isinstance(place, str) \
                    else ""
                lines.append(f"- {r['title'] or '(no title)'}{yr}{where}")
                near = r.get("near")
                if isinstance(near, list) and near:
                    lines.append("  - Close, but not counted as this include: " + "; ".join(near[:5])
                                 + (f"; and {len(near) - 5} more" if len(near) > 5 else "")
                                 + f". If {'it' if len(near) == 1 else 'one of them'} is the study in the review, "
                                   "correct the DOI, PubMed id or details that differ (in the search export or in "
                                   "the final-includes file) and run again; otherwise the study is not in these "
                                   "records.")
        if len(self.split):
            lines += ["", f"## Final includes that matched records that {self.kept_apart} as different studies", "",
                      "Each is counted once, found when the first of its records is screened. Check its records: "
                      "what to do is said beside each.", ""]
            for _, r in self.split.iterrows():
                lines.append(f"- {r['title'] or '(no title)'}: {self._split_advice(r)}")
        if len(self.maybe_one):
            lines += ["", "## Final includes that may be one study", "",
                      "Each of these pairs is counted as two includes, since nobody has said they are one study. "
                      "Check their records: what to do is said beside each.", ""]
            lines += [f"- {self._maybe_one_advice(r)}" for _, r in self.maybe_one.iterrows()]
        return "\n".join(lines) + "\n"

    @staticmethod
    def _stops_over_seeds(g: pd.DataFrame, target: str) -> str:
        """One method's stops over the seeds: in how many it stopped short of the target, and the share screened on
        average; a seed with no stop is said apart (it screened every record), never read as a stop."""
        none = int(g["stop_n"].isna().sum())
        if none == len(g):
            return f"never stopped before the end in the {len(g)} seeds (every record screened)"
        short = int((~g["reached_target"].astype(bool)).sum())
        mean = _p(g["screened_at_stop"].astype(float).mean())
        if not none:
            return f"below {target} recall at its stop in {short} of {len(g)} seeds; screened {mean} on average"
        return (f"below {target} recall at its stop in {short} of the {counted(len(g) - none, 'seed')} it stopped "
                f"in; no stop in {none} (every record screened); screened {mean} on average, counting those as 100%")

    def _maybe_one_advice(self, r) -> str:
        """One pair of final includes that may be one study, with what settles it."""
        a, b = (str(x) for x in r["records"])
        name = self.finals_name or "the final-includes list"
        (kind, x), (_, y) = (w.split(" ", 1) for w in r["where"])
        why = (f"which de-duplication listed as possibly one study ({r['why']})" if r["by"] == "de-duplication" else
               f"found by {r['why']}")
        said = (f"{'Lines' if kind == 'line' else 'Entries'} {x} and {y} of {name} ({_short(r['title'], 120)}): "
                f"records {a} and {b}, {why}. They count as two includes here.")
        if self.merge_hint:
            cmd = self.merge_hint
            return (f"{said} If they are one study (an article and its conference abstract, say), merge them "
                    f"({cmd} --merge {a},{b}) and run again: they then count once. If they are different studies, "
                    f"say so ({cmd} --keep-apart {a},{b}).")
        return (f"{said} If they are one study (an article and its conference abstract, say), list the study once "
                f"in {name} (leave out one of the two lines) and run again: it then counts once; or import the "
                "exports into a project, merge the two records there, and evaluate the project.")

    def _mean_row(self, keys: list[str]) -> list[str]:
        """With several seeds, the row of each figure's mean and range over them (the benchmark
        protocol's figure: one seed's replay depends on the prior records it drew)."""
        ps = self.per_seed
        if len(ps) < 2:
            return []
        cells = []
        for k in keys:
            v = ps[k].astype(float).dropna()
            show = _i if k in ("N", "R") or k.startswith("n@") else _p
            if not len(v):
                cells.append("–")
            elif v.min() == v.max():
                cells.append(show(v.iloc[0]))
            else:
                # a mean of records rounded as by hand, a half up (round() took 150.5 to 150)
                mean = math.floor(v.mean() + 0.5) if show is _i else v.mean()
                cells.append(f"{show(mean)} ({show(v.min())}–{show(v.max())})")
        return [f"| mean (range) | {' | '.join(cells)} |"]

    def _ranking_words(self) -> str:
        """The ranking model by name and in words, as the HTML report's settings give it."""
        from screener.report import RANKER_WORDS

        ranker = str(self.config.get("ranker", "?"))
        return f"{ranker}: {RANKER_WORDS[ranker]}" if ranker in RANKER_WORDS else ranker

    def _priors_words(self) -> str:
        """The prior knowledge each seed's replay started from, as it was used."""
        if self.priors is None:
            return "prior knowledge as the seed picked it"
        n_inc, n_exc = self.priors
        if not n_inc and not n_exc:
            return "no prior knowledge: a cold start from the review question"
        said = [f"{n_inc} final include{'' if n_inc == 1 else 's'}" if n_inc else "",
                f"{n_exc} other record{'' if n_exc == 1 else 's'}" if n_exc else ""]
        return (f"prior knowledge: {' and '.join(w for w in said if w)} picked at random by each seed, left out of "
                "every figure")

    def _own_markdown(self) -> list[str]:
        """The team's own title/abstract screening against the final includes (a project only)."""
        if self.own is None:
            return []
        own, n = self.own, self.own_screened
        screened = own[~own["decision"].isin(["unscreened", EXCLUDED_UNREAD])]
        passed = own[own["decision"].isin(["include", "maybe"])]
        head = ["", "## How your own screening did (the project's title/abstract decisions)", ""]
        if not n and len(own) and (own["decision"] == "unscreened").all():  # listing them all would say nothing
            k = len(own)
            return head + [f"Your team has screened no record yet, so there is nothing to set beside the replay: the "
                           f"{counted(k, 'final include')} among the project's records "
                           f"{noun(k, 'is', 'are all')} still to screen."]
        lines = [*head,
                 f"The figures above replay screening with screener; these are the decisions your team made, in the "
                 f"order it made them ({n} record{'' if n == 1 else 's'} screened so far).", ""]
        if not len(own):
            return lines + ["No final include is among the project's records."]
        lines.append(f"- Final includes screened: {len(screened)} of the {len(own)} among the project's records; "
                     f"passed on to full text (include or maybe): {len(passed)}")
        if len(passed):
            pos = np.sort(passed["position"].to_numpy(dtype=int))
            lines.append(f"- The last one passed on was the {_ordinal(pos[-1])} of the {n} records screened"
                         + self._own_reached(pos, len(own)))
            if len(passed) == len(own):
                lines += self._own_figures(pos)
        missed = own[own["decision"] == "exclude"]
        if len(missed):
            lines += ["", f"**Excluded at title and abstract ({len(missed)}):** final includes your team excluded at "
                      "title/abstract screening (check whether they were included by other means, such as a "
                      "citation search, and say so in the PRISMA flow):", ""]
            # an include changed to exclude on a second look: read early, excluded late ('the 170th record
            # screened' named where it was excluded, read as where it was screened)
            lines += [f"- record {r['record_id']} (the {_ordinal(_read_at(r))} record screened"
                      + (f"; changed to exclude after {int(r['position'])} records" if _read_at(r) != r["position"]
                         else "") + f"): {_short(r['title'])}" for _, r in missed.iterrows()]
        waiting = own[own["decision"] == AWAITING]
        if len(waiting):
            lines += ["", f"**Awaiting the two reviewers' agreement ({len(waiting)}):** final includes one reviewer has "
                      "screened, or the two disagree on:", ""]
            # whose decisions differ, or whose second reading is still to come: a place alone said neither
            lines += [f"- record {r['record_id']} (the {_ordinal(r['position'])} record screened"
                      + (f"; {r['awaits']}" if isinstance(r.get("awaits"), str) and r["awaits"] else "")
                      + f"): {_short(r['title'])}" for _, r in waiting.iterrows()]
        unread = own[own["decision"] == EXCLUDED_UNREAD]
        if len(unread):
            lines += ["", f"**Excluded without screening when screening stopped ({len(unread)}):** final includes "
                      "among the records left at the stop and excluded with them, never read (PRISMA counts them as "
                      "not screened; the stop missed them):", ""]
            lines += [f"- record {r['record_id']}: {_short(r['title'])}" for _, r in unread.iterrows()]
        left = own[own["decision"] == "unscreened"]
        if len(left):
            lines += ["", f"**Not screened yet ({len(left)}):** final includes among the records still to screen:", ""]
            lines += [f"- record {r['record_id']}: {_short(r['title'])}" for _, r in left.iterrows()]
        return lines

    def _own_reached(self, pos: np.ndarray, n_finals: int) -> str:
        """When the team had passed on 95% of the final includes among the project's records, and the target the
        stops are judged at where another ('evaluate --target-recall 0.8'): only 95% was said beside stops judged
        at 80%. ``pos``: where each was passed on, sorted (1 = the first record screened)."""
        from screener.metrics import includes_needed

        if n_finals < 2:
            return ""
        said = []
        for level in sorted({0.95, self.target}):
            k = includes_needed(n_finals, level)
            if 0 < k <= len(pos):
                mark = ", the target recall" if len({0.95, self.target}) > 1 and level == self.target else ""
                said.append((level_pct(level), f"{k}{mark}", int(pos[k - 1])))
        if not said:
            return ""
        (lv, k, at), rest = said[0], said[1:]
        return (f"; {lv} of them ({k}) had been passed on after {at} records"
                + "".join(f", and {lv} ({k}) after {at} records" for lv, k, at in rest))

    def _own_figures(self, pos: np.ndarray) -> list[str]:
        """The team's own order judged as the replay is (``metrics.ranking_metrics``), once every final
        include among the project's records is passed on (``pos``: where, 1 = the first record screened): over
        all its records, screened or not, with no prior records to leave out."""
        from screener import metrics as M

        N = self.n_screened_records
        y = np.zeros(N, dtype=np.int8)
        if not len(pos) or pos.max() > N or len(set(pos.tolist())) < len(pos):
            return []  # a place beyond the records, or two at one place: not an order to measure
        y[pos - 1] = 1
        m = M.ranking_metrics(y)
        return [f"- Your order, measured as the replay is (over the project's {N} records, no prior records to leave "
                f"out): WSS@95 {_p(m['wss@95'])}, WSS@100 {_p(m['wss@100'])}, recall after screening 10% "
                f"{_p(m['recall@10%'])}, ATD {_p(m['atd'])}"]

    def _split_advice(self, r) -> str:
        """What fits one final include that matched records kept as different studies: merging
        when they carry the identifier it was matched by (a DOI in the final-includes file cannot
        part them), the DOI or PubMed id of the right one when each has its own, and neither when
        they have none."""
        ids = [str(x) for x in r["records"]]
        idents = {"doi": list(r.get("dois") or [None] * len(ids)), "pmid": list(r.get("pmids") or [None] * len(ids))}
        records = f"records {', '.join(ids[:-1])} and {ids[-1]}"
        if self.merge_hint:
            cmd = f"{self.merge_hint} " + " ".join(f"--merge {ids[0]},{x}" for x in ids[1:])
            merge = f"merge them ({cmd})"
        else:
            merge = "de-duplication missed them (in a project, screener dedup --merge joins them)"
        word = {"doi": "DOI", "pmid": "PubMed id"}
        by = r.get("by")
        if by in word and len(set(idents[by])) == 1 and idents[by][0]:
            return (f"{records} {'both' if len(ids) == 2 else 'all'} carry {word[by]} {idents[by][0]}, by which the "
                    f"final include was matched, so they are most likely one study kept as two: {merge}. (If they "
                    f"really are different studies, one of them carries a wrong {word[by]}.)")
        own = [next(((k, v[i]) for k, v in idents.items() if v[i]), None) for i in range(len(ids))]
        if all(own) and len(set(own)) == len(own):
            listed = ", ".join(f"{i} ({word[k]} {v})" for i, (k, v) in zip(ids[:-1], own[:-1]))
            last = f"{ids[-1]} ({word[own[-1][0]]} {own[-1][1]})"
            return (f"records {listed} and {last}, matched by {'title' if by not in word else word[by]}. If they are "
                    f"one study, {merge}; if they are different studies, find the one in the review and add its "
                    f"{word[own[0][0]] if len({k for k, _ in own}) == 1 else 'DOI or PubMed id'} to the "
                    "final-includes file, which tells them apart.")
        if not any(own):
            return (f"{records}, matched by title; {'neither record' if len(ids) == 2 else 'none of them'} has a DOI "
                    f"or PubMed id, so nothing in the final-includes file can tell them apart. If they are one study, "
                    f"{merge}; if not, the include is counted once, found at the first of them.")
        having = [(i, o) for i, o in zip(ids, own) if o]
        named = ", ".join(f"{i} ({word[k]} {v})" for i, (k, v) in having)
        which = (f"record {having[0][0]}, add its {word[having[0][1][0]]}" if len(having) == 1 else
                 "one of those, add its identifier")
        return (f"{records}, matched by title; only {'record' if len(having) == 1 else 'records'} {named} "
                f"{'has' if len(having) == 1 else 'have'} a DOI or PubMed id. If they are one study, {merge}; if "
                f"the study in the review is {which} to the final-includes file, which tells them apart; if it is "
                "another, nothing in the file can.")


def target_key(target: float) -> str | None:
    """'n@80': the column of the records screened to reach a target recall the table has no column for (90%, 95% and
    all of the includes it has), or None."""
    if any(math.isclose(target, x) for x in (0.9, 0.95, 1.0)):
        return None
    return f"n@{level_pct(target).rstrip('%')}"


def _p(x, target: float | None = None) -> str:
    """A share to a tenth of a percent that never reads as the target, or 100%, where it falls short of it."""
    from screener.stopping.base import recall_pct

    return recall_pct(x, target, "–", places=1)


def _i(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else str(int(x))


def _short(t, n=90) -> str:
    t = (t or "(no title)").replace("|", "/").replace("\n", " ")
    return t if len(t) <= n else t[: n - 1] + "…"


def deduplicate(candidates: pd.DataFrame, *, merged=(), review: list | None = None
                ) -> tuple[pd.DataFrame, dict[str, str], str]:
    """(primary records, record_id -> its primary's record_id, how) using ``screener.dedup`` when
    it is there; otherwise every record stands alone (and the note says so). ``merged``: pairs of
    record ids known to be one study (a screener export's duplicate groups, which hold its
    reviewer's merges), joined whatever the evidence, as a project joins a reviewer's merge.
    ``review`` receives the pairs it was unsure of and kept apart: (record_id, other record_id, why)."""
    ids = _record_ids(candidates)
    try:
        from screener.dedup import find_duplicates_with_review
    except ImportError:
        return (candidates, {i: i for i in ids},
                "not de-duplicated (screener's de-duplication could not be loaded: reinstall screener)")
    frame = candidates.copy()
    # find_duplicates wants integer record ids: number the candidates, then map back
    frame.index = pd.Index(np.arange(1, len(ids) + 1), name="record_id")
    if "record_id" in frame.columns:
        frame = frame.drop(columns="record_id")
    num = {r: k for k, r in enumerate(ids, start=1)}
    groups, unsure = find_duplicates_with_review(frame, merged=[(num[a], num[b]) for a, b in merged])
    num_to_id = dict(zip(range(1, len(ids) + 1), ids))
    if review is not None:
        review.extend((num_to_id[int(a)], num_to_id[int(b)], why)
                      for a, b, why in zip(unsure["record_id"], unsure["other_id"], unsure["reason"]))
    rid = [num_to_id[int(r)] for r in groups["record_id"]]
    primary_of_group = {grp: r for r, grp, prim in zip(rid, groups["group_id"], groups["is_primary"]) if prim}
    to_primary = {r: primary_of_group.get(grp, r) for r, grp in zip(rid, groups["group_id"])}
    for i in ids:  # a record the de-duplicator did not mention stands alone: never drop one
        to_primary.setdefault(i, i)
    keep = [to_primary[i] == i for i in ids]
    prim = candidates[np.asarray(keep)]
    n_dup = len(ids) - int(sum(keep))
    return prim, to_primary, (f"de-duplicated as 'screener import' does: {counted(n_dup, 'duplicate record')} "
                              f"removed, {counted(len(prim), 'record')} left")


def _exported_merges(cand: pd.DataFrame) -> tuple[list[tuple[str, str]], list[str]]:
    """(pairs of records one study in a screener export given as the search, the files that hold
    such studies): its duplicate groups (``--with-duplicates``) are the project's, a reviewer's
    merges among them (an article and its conference abstract), which de-duplication here would
    keep apart, and the study would count as two includes."""
    if "exported_study" not in cand.columns:
        return [], []
    first: dict[str, str] = {}
    pairs, files = [], []
    for rid, study in zip(cand["record_id"], cand["exported_study"]):
        if not isinstance(study, str):
            continue
        if study in first:
            pairs.append((first[study], rid))
            files.append(study.rsplit("#", 1)[0])
        else:
            first[study] = rid
    return pairs, list(dict.fromkeys(files))


def _none_found(finals: pd.DataFrame, kept: list[int], unmatched: pd.DataFrame, cand: pd.DataFrame,
                name: str | None) -> str:
    """Why the run stops with no final include found: the file, and the records that came close to its lines,
    which the report would have listed (a title without its subtitle is the study all the same)."""
    said = (f"none of the final includes was found among the candidate records (the {len(kept)} listed in "
            f"{name or 'the final-includes file'})")
    close = [(j, near) for j, near in zip(unmatched["final"], unmatched["near"]) if isinstance(near, list) and near]
    if close:
        # five lines, three records each, and how many more of each: fixed and run again, the rest stopped it again
        lines = [f"{_where(finals, j)} ({_short(_col(finals, 'title')[j], 120)}): {'; '.join(near[:3])}"
                 + (f"; and {counted(len(near) - 3, 'more record')} came close to it" if len(near) > 3 else "")
                 for j, near in close[:5]]
        if len(close) > 5:
            places = [_where(finals, j) for j, _ in close[5:]]
            unit = places[0].split(" ", 1)[0]
            nums = [p.split(" ", 1)[-1] for p in places]
            shown = (", ".join(nums[:-1]) + " and " + nums[-1] if len(nums) <= 10 else
                     ", ".join(nums[:10]) + f" and {len(nums) - 10} more")
            units = noun(len(places), unit, "entries" if unit == "entry" else unit + "s")
            lines.append(f"and {len(places)} more {units} of {name or 'the final-includes file'} came close to "
                         f"records ({units} {shown})")
        one = sum(len(near) for _, near in close) == 1
        return (f"{said}, but {'a record' if one else 'records'} came close: {'. '.join(lines)}. If "
                f"{'it' if one else 'one of them'} is the study in the review, correct the DOI, PubMed id or details "
                "that differ (in the search export or in the final-includes file) and run again; otherwise check that "
                "the exports and the final-includes file are from the same review")
    return f"{said}; " + (_numbers_alone(finals.iloc[kept], cand, name)
                          or "check that the exports and the final-includes file are from the same review")


def _numbers_alone(finals: pd.DataFrame, cand: pd.DataFrame, name: str | None) -> str | None:
    """Why final includes listed by a number alone (read as a PubMed id) found nothing, or None where
    some has a title or DOI: a list of record ids (a project's, another tool's) reads so."""
    if any(isinstance(v, str) and v.strip() for c in ("title", "doi") for v in _col(finals, c)):
        return None
    numbers = [p for p in map(_norm_pmid, _col(finals, "pmid")) if p]
    if not numbers:
        return None
    theirs = ("none of the candidate records carries a PubMed id" if not any(map(_norm_pmid, _col(cand, "pmid")))
              else "none is the PubMed id of a candidate record")
    shown = ", ".join(numbers[:5]) + (" ..." if len(numbers) > 5 else "")
    return (f"{name or 'the final-includes file'} lists the final includes by a number alone ({shown}), read as a "
            f"PubMed id, and {theirs}. If the numbers are record ids, list the final includes by DOI, PMID or title "
            f"instead. {_NOT_BY_ID}")


def evaluate_final_includes(
    candidates: pd.DataFrame,
    finals: pd.DataFrame,
    *,
    config: dict | str = "default",
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    priors: int | str | tuple[int, int] = 1,
    protocol_text: "str | Protocol | None" = None,
    estimators=None,
    embedding_cache=None,
    dedup: bool = True,
    groups: dict[str, str] | None = None,
    finals_name: str | None = None,
    project: str | None = None,
    progress=None,
    finals_note: str | None = None,
    screening: pd.DataFrame | None = None,
    possible_duplicates: Sequence[tuple[str, str, str]] = (),
    different_studies: Sequence[tuple[str, str]] = (),
    target_recall: float = 0.95,
    known_relevant: "Protocol | None" = None,
) -> FinalIncludesReport:
    """Simulate screening ``candidates`` with the matched ``finals`` as the includes, per seed.

    ``groups``: record_id -> the record_id of its study's primary record, when the candidates are
    already de-duplicated (a project, whose folder ``project`` names in the advice to merge);
    otherwise ``dedup`` runs ``screener.dedup`` first. ``finals_name``: the final-includes file,
    named in the notes; ``finals_note``: a note on how they were read, shown first. Final includes are matched against every copy; each counts once, even when
    it is listed twice or matches records kept as different studies. The simulation labels every
    matched record an include (a reviewer would include each), but its recall and work saved
    count final includes: one is found when the first of its records is screened.

    ``screening``: a project's own title/abstract decisions (``decision`` per study's primary
    ``record_id``, in the order first made), for the report's account of how the team's own
    screening did against the final includes (``own_screening``). ``possible_duplicates``: with
    ``groups``, the pairs (record, other record, why) the project's de-duplication was unsure of and
    no reviewer has settled; two final includes found in such a pair are named (``maybe_one``), as two
    that give one title and first author are, unless their records are a pair a reviewer kept apart
    (``different_studies``). ``target_recall``: the recall each stopping method's stop is judged against.
    ``known_relevant``: a project's protocol; the records it names as known relevant (matched on every copy, as
    'screener next' matches them) are screened first, after the prior records, as 'next' shows them first."""
    from screener import metrics as M
    from screener.simulate import parse_priors, simulate, stopping_targets

    if len(candidates) == 0:
        raise InputError("there are no candidate records to screen")
    if len(finals) == 0:
        raise InputError("the final-includes file holds no records")
    if "title" not in candidates.columns and "abstract" not in candidates.columns:
        raise InputError("the candidate records have neither a title nor an abstract column: there is "
                         "nothing to screen them on (give the search's exports, or a table with a 'title' column)")
    cand = candidates.copy()
    if "record_id" not in cand.columns:
        cand.insert(0, "record_id", _record_ids(cand))
    cand["record_id"] = cand["record_id"].astype(str)
    cand = cand.reset_index(drop=True)
    notes = [finals_note] if finals_note else []
    if groups is not None:
        to_primary = {i: str(groups.get(i, i)) for i in cand["record_id"]}
        prim = cand[[to_primary[i] == i for i in cand["record_id"]]]
        notes.append(f"de-duplicated as the project groups its records: "
                     f"{counted(len(cand) - len(prim), 'duplicate record')} removed, "
                     f"{counted(len(prim), 'record')} left")
        kept_apart = "the project keeps"
    elif dedup:
        merged, held = _exported_merges(cand)
        unsure: list = []
        prim, to_primary, note = deduplicate(cand, merged=merged, review=unsure)
        possible_duplicates = unsure
        if held:
            note += (f"; the records screener's export {', '.join(held)} holds as one study (its duplicate groups: "
                     "the project's, with its reviewers' merges) are one study here too")
        notes.append(note)
        kept_apart = "de-duplication kept"
    else:
        prim, to_primary = cand, {i: i for i in cand["record_id"]}
        kept_apart = "are screened"
    finals = finals.reset_index(drop=True)
    repeats = repeated_final_includes(finals)
    kept = [j for j in range(len(finals)) if j not in repeats]
    # every line is matched: a repeat may carry the DOI its first line lacks, and left out before
    # matching, the study read as not in the search. Its records stand in for its first line's only
    # where that line found none (a title-only repeat may find namesakes the first line's DOI tells apart)
    matches, unmatched = match_final_includes(cand, finals)
    found = set(matches["final"])
    stand_in: dict[int, int] = {}
    for j, (i, _) in sorted(repeats.items()):
        if i not in found and j in found and i not in stand_in.values():
            stand_in[j] = i
    matches = matches[np.array([j in stand_in or j not in repeats for j in matches["final"]], dtype=bool)].copy()
    matches["final"] = [stand_in.get(j, j) for j in matches["final"]]
    matches = matches.reset_index(drop=True)
    unmatched = unmatched[unmatched["final"].isin(kept) & ~unmatched["final"].isin(set(matches["final"]))]
    unmatched = unmatched.reset_index(drop=True)
    lines = _col(finals, "source_line")
    unmatched["where"] = [_where(finals, j) if lines[j] is not None and not pd.isna(lines[j]) else None
                          for j in unmatched["final"]]
    matches["primary"] = [to_primary[r] for r in matches["record_id"]]
    # two lines that found the same study are that study twice (an online-first year on one, a
    # DOI on the other): counted once, as a line repeating another
    same = _same_study(matches)
    if same:
        repeats.update({j: (i, f"study: both match record {rec}") for j, (i, rec) in same.items()})
        matches["final"] = [same[j][0] if j in same else j for j in matches["final"]]
        matches = matches.drop_duplicates(["final", "record_id"]).reset_index(drop=True)
        kept = [j for j in kept if j not in same]
    if repeats:
        notes.append(_repeats_note(finals, repeats, finals_name))
    if "export_decision" in cand.columns:
        notes += _exported_screening(matches, cand)
    include_ids = set(matches["primary"])
    studies = _studies(matches)
    data = prim.reindex(columns=["record_id", "title", "abstract"])  # a table may lack abstracts
    for col in ("title", "abstract"):  # a column missing or all empty is float NaN: no text
        data[col] = data[col].astype(object).where(data[col].notna(), "").astype(str)
    data["label_included"] = data["record_id"].isin(include_ids).astype(int)
    if data["label_included"].sum() == 0:
        raise ScreenerError(_none_found(finals, kept, unmatched, cand, finals_name))
    n_prior_includes = parse_priors(priors)[0]  # "0" from the command line is a cold start, not true
    if n_prior_includes and len(studies) <= n_prior_includes:
        notes.append("**Nothing to measure:** "
                     + ("only one final include is among the candidates; with it as the prior there is "
                        "nothing left to find" if len(studies) == 1 else
                        f"only {len(studies)} final includes are among the candidates, and {n_prior_includes} "
                        "prior includes are asked for; with them as the priors there is nothing left to find")
                     + ". The figures are empty and no stopping point is given; start cold to leave "
                       f"{'it' if len(studies) == 1 else 'them'} to be found (--priors 0 with --question).")

    # the prior include is a final include picked at random, then one of its records: drawn among
    # the records, a study with eight companion papers was the prior eight times as often as another
    study_of = {p: k for k, prims in enumerate(studies) for p in prims}
    study_keys = [study_of.get(r, r) for r in data["record_id"]]
    first = _known_first(known_relevant, cand, data, to_primary, include_ids, notes, any(parse_priors(priors)))
    runs, per_seed, stop_rows, study_labels = [], [], [], []
    for s in seeds:
        r = simulate(data, config=config, seed=int(s), priors=priors, protocol_text=protocol_text,
                     estimators=estimators, embedding_cache=embedding_cache, dataset_name="candidates",
                     studies=study_keys, targets=stopping_targets(target_recall), first=first)
        runs.append(r)
        y = _study_labels(r.order, studies)
        study_labels.append(y)
        m = r.metrics()
        m.update(M.ranking_metrics(y, r.n_priors))
        if target_key(target_recall):  # the stops are judged there: the records screened to reach it
            m[target_key(target_recall)] = M.n_at_recall(y, target_recall, r.n_priors)
        m["seed"] = int(s)
        per_seed.append(m)
        for row in r.stopping_rows():
            row.update(M.stopping_outcome(y, row["stop_n"], row["target"], r.n_priors))
            stop_rows.append({"seed": int(s), **row})
        if progress is not None:
            progress(s)

    if runs and runs[0].n_priors and runs[0].meta.get("protocol"):  # else it reads as a replay without it
        notes.append(f"ranked with the {'review question' if isinstance(protocol_text, str) else 'protocol'} as "
                     "well as the prior records")
    found = []
    for j, g in matches.groupby("final", sort=True):
        row = {"final": int(j), "title": g["final_title"].iloc[0], "by": g["by"].iloc[0]}
        prims = set(g["primary"])
        for r in runs:
            pos = np.flatnonzero(np.isin(r.order, list(prims)))
            k = int(pos.min()) if len(pos) else -1
            row[f"seed {r.seed}"] = 0 if k < r.n_priors else k - r.n_priors + 1
        found.append(row)
    maybe_one = _maybe_one_study(matches, finals, to_primary, possible_duplicates,
                                 different_studies=different_studies)
    maybe_one["title"] = [matches.loc[matches["final"] == j, "final_title"].iloc[0] for j in maybe_one["final"]]
    maybe_one["where"] = [(_where(finals, a), _where(finals, b))
                          for a, b in zip(maybe_one["final"], maybe_one["other"])]
    return FinalIncludesReport(
        n_candidates=len(cand),
        n_screened_records=len(data),
        n_finals=len(kept),
        matches=matches,
        unmatched=unmatched,
        found_at=pd.DataFrame(found),
        per_seed=pd.DataFrame(per_seed)[["seed"] + [c for c in per_seed[0] if c != "seed"]],
        stopping=pd.DataFrame(stop_rows, columns=["seed", "method", "target", "stop_n", "stopped",
                                                  "recall_at_stop", "screened_at_stop", "excess",
                                                  "reached_target"]),
        config=runs[0].config if runs else {},
        runs=runs,
        notes=notes,
        split=_with_identifiers(_split_finals(matches), cand),
        maybe_one=maybe_one,
        kept_apart=kept_apart,
        finals_name=finals_name,
        merge_hint=f"screener dedup {shell_quote(project) if project else 'PROJECT'}" if groups is not None else None,
        own=None if screening is None else own_screening(matches, screening),
        own_screened=0 if screening is None else int((screening["decision"] != EXCLUDED_UNREAD).sum()),
        priors=parse_priors(priors),
        study_labels=study_labels,
        target=float(target_recall),
    )


def _known_first(protocol: "Protocol | None", cand: pd.DataFrame, data: pd.DataFrame, to_primary: dict[str, str],
                 include_ids: set, notes: list[str], after_priors: bool) -> list[int]:
    """The rows of ``data`` (the studies screened) that a project's ``protocol`` names as known relevant, matched on
    every copy of a study as 'screener next' matches them (``ScreeningSession._known_rows``): the replay screens
    them first, as 'next' shows them. Said in ``notes``, with the entries no record matches."""
    if protocol is None or not getattr(protocol, "known_relevant", None):
        return []
    from screener.protocol import match_known_relevant_report

    found, missing = match_known_relevant_report(protocol, cand.reindex(columns=["doi", "title"]))
    studies = {to_primary[r] for r in cand["record_id"].iloc[found]}
    rows = [i for i, r in enumerate(data["record_id"]) if r in studies]
    if rows:
        k, inc = len(rows), len(studies & include_ids)
        # a seed may pick one as a prior record: a prior record it stays
        after = ("" if not after_priors else ", right after the prior records (unless a seed picked it as one)"
                 if k == 1 else ", right after the prior records (any a seed picked as one stays one)")
        which = (("it is a final include" if inc else "it is not a final include") if k == 1 else
                 f"{inc} of them {noun(inc, 'is a final include', 'are final includes')}")
        it, was = noun(k, "it", "them"), noun(k, "was", "were")
        notes.append(f"the {counted(k, 'record')} the project's protocol names as known relevant (by DOI or title) "
                     f"{was} screened first{after}, as 'screener next' shows {it} first ({which}); the figures "
                     f"count {it} where {noun(k, 'it was', 'they were')} screened, and the stopping methods read {it} "
                     "apart, as 'screener status' does")
    if missing:
        from screener.simulate import known_missing_words

        notes.append(known_missing_words([str(e.get("doi") or e.get("title")) for e in missing],
                                         "the project's protocol", "candidate record"))
    return rows


#: From the best outcome for a final include to the worst, when its study has several records.
AWAITING = "awaiting agreement"  # dual screening: one reviewer's decision, or two that differ
#: excluded with the rest, unread, when screening stopped (``store.base.REST_EXCLUDED``): not screened
EXCLUDED_UNREAD = "excluded unread"
_OUTCOME = ("include", "maybe", AWAITING, "exclude", EXCLUDED_UNREAD, "unscreened")


def _exported_screening(matches: pd.DataFrame, cand: pd.DataFrame) -> list[str]:
    """The note on the team's own title/abstract screening where the search given is an export of the review with
    its decisions (``read_exports``' ``export_decision``): which final includes it excluded, left unread at the
    stop or never screened, which the PRISMA flow must account for (a project folder gives the whole check)."""
    said = {r: d for r, d in zip(cand["record_id"], cand["export_decision"]) if isinstance(d, str)}
    if not said:
        return []
    files = list(dict.fromkeys(r.rsplit(":", 1)[0] for r in said))
    # a screener export's decision is the title/abstract one; a labelled dataset's may be final: said as it marks it
    stage = ({r: g for r, g in zip(cand["record_id"], cand["export_stage"])} if "export_stage" in cand.columns
             else {})
    at = " at title/abstract" if all(stage.get(r) == "title/abstract" for r in said) else ""
    kinds = {"exclude": f"marked exclude{at}", EXCLUDED_UNREAD: "excluded unread when screening stopped",
             "unscreened": "never screened"}
    found: dict[str, list[str]] = {k: [] for k in kinds}
    passed = 0
    for _, g in matches.groupby("final", sort=True):
        mine = [(said[r], r) for r in g["record_id"] if r in said]
        if not mine:
            continue  # its records come from files without decisions
        best, rid = min(mine, key=lambda d: _OUTCOME.index(d[0]) if d[0] in _OUTCOME else len(_OUTCOME))
        if best in found:
            found[best].append(f"record {rid}: {_short(g['final_title'].iloc[0])}")
        else:
            passed += 1
    n = passed + sum(map(len, found.values()))
    if not n:
        return []
    parts = [f"{passed} {noun(passed, 'is', 'are')} marked include (or maybe){at}"]
    parts += [f"{len(v)} {kinds[k]} ({'; '.join(v)})" for k, v in found.items() if v]
    return [f"**Your team's own screening, as {' and '.join(files)} {noun(len(files), 'records', 'record')} it:** "
            f"of the {counted(n, 'final include')} among its records, {'; '.join(parts)}."
            + (" Check whether each was included by other means, such as a citation search, and say so in the PRISMA "
               "flow." if any(found.values()) else "")]


def _own_decisions(project) -> pd.DataFrame:
    """A project's title/abstract decision per study (``record_id`` as text, ``decision``), in the
    order first decided, with ``position``: the studies screened by the time it was first given the
    decision it has now (an include or a maybe, for a study passed on to full text). A study whose
    copies were screened apart and merged since, excluded as one and included as the other, was
    passed on when the include was made, not when the exclude was.
    Dual screening: a study one reviewer decided, or the two disagree on, is screened but awaiting
    agreement (not unscreened), placed at its first decision, with ``awaits``: the reviewers' decisions on it
    ('include by ana, exclude by bob'; 'include by ana, no second reviewer yet')."""
    from screener.store.base import rest_excluded

    cur = project.current_decisions()
    said = cur["decision"].to_dict()
    # the rest excluded unread at the stop: read as the team's excludes, a final include among them was listed as
    # 'excluded at title and abstract (screened as record 9)', never read
    said.update({int(r): EXCLUDED_UNREAD for r in cur.index[rest_excluded(cur["origin"])]})
    log = project._study_log("title_abstract")
    log = log[log["decision"] != "retract"]
    awaits = {}  # what a study awaiting agreement awaits: 'include by ana, exclude by bob'
    if project.settings.get("mode") == "dual" and len(log):
        votes = project.reviewer_decisions()
        for sid in votes.loc[~votes["group_record_id"].isin(cur.index), "group_record_id"].unique():
            said[int(sid)] = AWAITING
        votes = votes[~votes["group_record_id"].isin(cur.index) & (votes["role"] != "resolver")]
        for sid, g in votes.sort_values("decision_id").groupby("group_record_id", sort=False):
            awaits[int(sid)] = ", ".join(f"{d} by {r}" for d, r in zip(g["decision"], g["reviewer"])) + (
                ", no second reviewer yet" if len(g) == 1 else "")
    first = log.groupby("group_record_id")["decision_id"].min()
    ids = sorted(said, key=lambda r: (first.get(r, float("inf")), r))
    # an include changed to maybe (or back) was passed on to full text from the first of them on
    passed = {"include": "passed", "maybe": "passed"}
    kind = log["decision"].map(lambda d: passed.get(d, d))
    now = log["group_record_id"].map(lambda r: passed.get(said.get(r), said.get(r)))
    given = log[kind == now].groupby("group_record_id")["decision_id"].min()
    starts = np.sort([first.get(r, math.inf) for r in ids if said[r] != EXCLUDED_UNREAD])  # the records read
    position = [int(np.searchsorted(starts, given.get(r, first.get(r, math.inf)), side="right")) for r in ids]
    # where it was first read: an include changed to exclude months later was read early, excluded late
    read = [int(np.searchsorted(starts, first.get(r, math.inf), side="right")) for r in ids]
    return pd.DataFrame({"record_id": [str(r) for r in ids], "decision": [said[r] for r in ids],
                         "position": position, "read": read, "awaits": [awaits.get(r, "") for r in ids]},
                        columns=["record_id", "decision", "position", "read", "awaits"])


def _read_at(row) -> int:
    """Where a final include of ``own_screening`` was first read (its ``read``, else its ``position``)."""
    read = row.get("read")
    return int(row["position"]) if read is None or pd.isna(read) else int(read)


def own_screening(matches: pd.DataFrame, screening: pd.DataFrame) -> pd.DataFrame:
    """Per matched final include, what the team's own screening made of it: its study's
    title/abstract decision (the best of its records' when the project keeps them as different
    studies) and the place in the team's order where it was first given that decision (1 = the
    first record screened; None when unscreened). ``screening``: ``decision`` per primary ``record_id``, in
    the order first made, and ``position`` where it was given that decision (``_own_decisions``;
    without it, its place in that order)."""
    ids = screening["record_id"].astype(str).tolist()
    place = (dict(zip(ids, screening["position"].astype(int))) if "position" in screening.columns
             else {r: i + 1 for i, r in enumerate(ids)})
    read = dict(zip(ids, screening["read"].astype(int))) if "read" in screening.columns else place
    said = dict(zip(ids, screening["decision"]))
    awaits = dict(zip(ids, screening["awaits"])) if "awaits" in screening.columns else {}
    rows = []
    for j, g in matches.groupby("final", sort=True):
        prims = list(dict.fromkeys(g["primary"].astype(str)))
        outcomes = [said.get(r, "unscreened") for r in prims]
        # the first record given the best outcome: a record excluded earlier did not pass the study on
        best = min(range(len(prims)), key=lambda i: (_OUTCOME.index(outcomes[i]) if outcomes[i] in _OUTCOME else 9,
                                                      place.get(prims[i], math.inf)))
        rows.append({"final": int(j), "title": g["final_title"].iloc[0], "record_id": prims[best],
                     "decision": outcomes[best], "position": place.get(prims[best]), "read": read.get(prims[best]),
                     "awaits": awaits.get(prims[best], "")})
    return pd.DataFrame(rows, columns=["final", "title", "record_id", "decision", "position", "read", "awaits"])


def records_frame(records: list[dict], prefix: str) -> pd.DataFrame:
    """Reader output (record dicts) as a DataFrame with record ids ``prefix:1``, ``prefix:2``..."""
    df = pd.DataFrame(records)
    df.insert(0, "record_id", [f"{prefix}:{i + 1}" for i in range(len(df))])
    return df


def read_exports(paths: Sequence, column_map: dict | None = None) -> pd.DataFrame:
    """The records of several export files as one candidate table (record ids ``file:n``);
    ``column_map`` names the columns of tables, as for an import. A screener export's duplicate
    groups come as ``exported_study`` (the file's name and the group), so that its studies stay one; a file's own
    title/abstract decisions (an export of the review) as ``export_decision``, for ``_exported_screening``."""
    from pathlib import Path

    from screener.io import read_records
    from screener.io.tabular import SheetsWithData
    from screener.project import _exported_studies

    paths = [Path(p) for p in paths]
    frames = []
    for p, prefix in zip(paths, _export_names(paths)):
        try:
            res = read_records(p, column_map=column_map)
        except SheetsWithData as err:  # no --sheet here
            raise err.without_sheet_option("screener evaluate") from None
        if not res.records:
            raise InputError("the file holds no records", path=p)
        frame = records_frame(res.records, prefix)
        if any(lab is not None for lab in res.labels):  # the team's own screening: its export given as the search
            from screener.io.ris import says_excluded_unread
            from screener.io.tabular import _norm
            from screener.simulate import FULL_TEXT_COLUMNS

            frame["export_decision"] = [EXCLUDED_UNREAD if lab == "exclude" and says_excluded_unread(rec) else
                                        lab or "unscreened" for rec, lab in zip(res.records, res.labels)]
            # beside a full-text decision column (a screener export), the one read is the title/abstract decision
            raw = res.records[0].get("raw")
            frame["export_stage"] = ("title/abstract" if isinstance(raw, dict) and
                                     any(_norm(str(k)) in FULL_TEXT_COLUMNS for k in raw) else None)
        # a screener export's study of each record (its 'duplicate_group'), within this file
        studies = _exported_studies(list(range(len(res.records))), res.records, [None] * len(res.records))
        if studies:
            frame["exported_study"] = [f"{prefix}#{studies[i][0]}" if i in studies else None
                                       for i in range(len(frame))]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _export_names(paths: list) -> list[str]:
    """A name per export file for its record ids: the file name, with as many of its folders as
    tell apart two files of one name (a search and its update, both ``medline.ris``), else a
    number (one file given twice). One name for both made two records one id, and the replay
    stopped on a record id 'on rows 1 and 21'."""
    parts = [p.absolute().parts for p in paths]
    names = []
    for i, p in enumerate(paths):
        k = 1
        while k < len(parts[i]) and any(q != parts[i] and q[-k:] == parts[i][-k:] for q in parts):
            k += 1
        names.append("/".join(parts[i][-k:]))
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    return names


def parse_seeds(text) -> tuple[int, ...]:
    """The seeds of "1-5" / "1,2,3", each once: a seed given twice replays the same order, which
    would count twice in the mean and range."""
    if isinstance(text, (list, tuple)):
        return tuple(dict.fromkeys(int(x) for x in text))
    out = []
    for part in str(text).split(","):
        part = part.strip()
        try:
            if "-" in part:
                a, b = part.split("-", 1)
                out.extend(range(int(a), int(b) + 1))
            elif part:
                out.append(int(part))
        except ValueError:
            raise ScreenerError(f"--seeds must be numbers such as 1,2,3 or 1-5; got {text!r}") from None
    if not out:
        raise ScreenerError(f"no seed in --seeds {text!r}: give them such as 1,2,3 or 1-5 (a range runs upwards)")
    return tuple(dict.fromkeys(out))


def evaluate_cli(sources, final_includes, *, model="default", seeds="1,2,3,4,5", question=None, priors="1,1",
                 report=None, column_map: dict | None = None, embedding_model: str | None = None, plot=None,
                 team: bool = False, target_recall: float | None = None) -> str:
    """What ``screener evaluate`` does; returns the Markdown report (also written to ``report``), and
    draws the recall curves into ``plot`` (a PNG). ``team``: the owner's word (--team) that the team's own
    screening may be checked while dual screening is blind (``_blind_words``). ``target_recall``: the recall each
    stopping method's stop is judged against (None: a project's own, as 'screener status' takes it; else 0.95)."""
    from screener.simulate import check_plot_path, with_embedding_model

    config = with_embedding_model(model, embedding_model)  # a wrong pair refused before the search is read
    project_target = False  # the stops judged at a project's own target, not asked for: the report says why
    check_plot_path(plot)
    from pathlib import Path

    from screener.io import read_records

    sources = [Path(s) for s in sources]
    groups = screening = unsure = proto = None
    blind = ""
    apart: list = []
    text = question
    if len(sources) == 1 and not sources[0].exists() and not sources[0].suffix:
        from screener.project import Project

        Project.open(sources[0])  # a review folder mistyped: said so, with the reviews beside it
    if len(sources) == 1 and sources[0].is_dir():
        from screener.project import DB_NAME, DB_URL_FILE, Project

        if not (sources[0] / DB_NAME).exists() and not (sources[0] / DB_URL_FILE).exists():
            found = sorted(f.name for f in sources[0].iterdir() if f.is_file() and not f.name.startswith("."))
            some = f" (it holds {', '.join(found[:5])}{' ...' if len(found) > 5 else ''})" if found else ""
            raise InputError(f"this folder is not a screener project{some}. Give the search's export files "
                             f"themselves (for example {sources[0]}/*.ris), or a project folder made with "
                             "'screener init'.", path=sources[0])

        if column_map:
            raise InputError("--column names the columns of search files given as tables; the project's records "
                             "were imported already, so leave it out.", path=sources[0])
        with Project.open(sources[0]) as project:
            frame = project.records_frame(primary_only=False)
            # pairs of studies still to decide: a "different studies" said of any two of their copies holds
            unsure = project.duplicate_pairs(closest=False)
            apart = project._dedup_decisions(with_splits=True)[1]
            blind = "" if team else _blind_words(project, sources[0], final_includes)
            screening = None if blind else _own_decisions(project)
            proto = project.protocol
            if target_recall is None:
                target_recall = float(project.settings.get("target_recall") or 0.95)
                project_target = not math.isclose(target_recall, 0.95)  # 95% is what a reviewer expects unsaid
            if text is None and proto is not None:
                text = proto  # whole: its exclusion criteria and key terms rank the cold start too
        if frame.empty:
            from screener.project import no_records_message

            raise InputError(no_records_message(sources[0]) + " Or give the search's export files instead of the "
                             "project folder.")
        cand = frame.reset_index()
        cand["record_id"] = cand["record_id"].astype(str)
        primary = {g: str(r) for r, g, p in zip(frame.index, frame["group_id"], frame["is_primary"]) if p}
        groups = {str(r): primary.get(g, str(r)) for r, g in zip(frame.index, frame["group_id"])}
    else:
        for s in sources:
            if s.is_dir():
                raise InputError("give either one project folder or export files, not both", path=s)
    fin_path = Path(final_includes)
    if not fin_path.exists():
        raise InputError("file not found. Check the path and name of the review's final includes (-f).", path=fin_path)
    if fin_path.is_dir():
        raise InputError("this is a folder; give the file of the review's final includes (-f) itself: an export of "
                         "them (RIS, CSV ...) or a list of their DOIs.", path=fin_path)
    if groups is None:
        for s in sources:  # "*.ris" in a folder that holds the final includes too
            if s.exists() and s.resolve() == fin_path.resolve():
                raise InputError("this is the final-includes file (-f), given as a search export too: its studies "
                                 "would be among the records screened, so every final include would be found. "
                                 "Leave it out of the search exports.", path=s)
        cand = read_exports(sources, column_map)
    finals = read_final_includes(fin_path)
    finals_note = finals.attrs.get("note")
    if report is not None:  # made before the replay, not found missing after it
        given = [fin_path] + ([] if groups is not None else sources)
        same = next((g for g in given if g.exists() and Path(report).exists()
                     and g.resolve() == Path(report).resolve()), None)
        if same is not None:
            raise InputError("--report names one of the files this evaluation reads; writing the report over it "
                             "would lose it. Give the report another file name, e.g. evaluation.md.", path=report)
        if Path(report).is_dir():
            raise InputError("--report names a folder; give the report's file name, e.g. "
                             f"{Path(report) / 'evaluation.md'}", path=report)
        if Path(report).suffix.lower() not in (".md", ".markdown", ".txt"):  # not a .docx Word cannot open
            raise InputError("the report is Markdown text (headings and tables any text editor shows); name the "
                             f"file {Path(report).stem}.md.", path=report)
        Path(report).parent.mkdir(parents=True, exist_ok=True)
    rep = evaluate_final_includes(cand, finals, config=config, seeds=parse_seeds(seeds), priors=priors,
                                  protocol_text=text, groups=groups, finals_name=fin_path.name,
                                  project=str(sources[0]) if groups is not None else None, finals_note=finals_note,
                                  screening=screening,
                                  possible_duplicates=[] if groups is None else
                                  list(zip(unsure["record_id"].astype(str), unsure["other_id"].astype(str),
                                           unsure["reason"])),
                                  different_studies=apart, target_recall=target_recall or 0.95,
                                  known_relevant=proto if groups is not None else None)
    rep.target_is_project_s = project_target
    if blind:
        rep.notes.append(blind)
    md = rep.to_markdown()
    if report is not None:
        Path(report).write_text(md)
        md += f"\n(Report written to {report})\n"
    if plot is not None:
        md += f"{'' if report is not None else chr(10)}(Recall curve saved to {rep.plot(plot)})\n"
    return md


def _blind_words(project, directory, final_includes) -> str:
    """While dual screening is blind (``accounts.team_view_blind``), why the team's own screening is left out of the
    report ("" once it is over): record by record, it says which studies the others agreed on, passed on, excluded
    or disagree on, which 'status' and 'export' show no reviewer still screening; a list of any records given as
    the final includes would read them out. The owner who screens none is given the command that adds it, as
    'status' gives hers."""
    from screener.accounts import owner_may_not_screen, screeners, team_view_blind, waits_for

    if not team_view_blind(project):
        return ""
    where = shell_quote(directory)
    owner = (f" (the review's owner, who does not screen, adds it now with 'screener evaluate {where} -f "
             f"{shell_quote(final_includes)} --team')" if owner_may_not_screen(project) else "")
    return (f"**Your own screening is left out:** {directory} is screened blind (dual screening), and how the team's "
            "decisions met the final includes would show each reviewer the others' decisions. It is added once "
            f"{waits_for(*screeners(project))[1]}, or when the owner ends the blinding on the Conflicts page of "
            f"'screener serve {where}' or with 'screener blinding {where} --end --reviewer NAME'{owner}.")


def read_final_includes(path) -> pd.DataFrame:
    """A review's final includes, from any export screener reads, or from a plain list of DOIs or
    PMIDs (a table with a DOI or PMID column, or one DOI or PMID a line): those identify a study on their
    own, so a list of them needs no titles, as an import into a project does."""
    from pathlib import Path

    from screener.io import read_records
    from screener.io.tabular import SheetsWithData

    path = Path(path)
    try:
        res = read_records(path)
    except SheetsWithData as err:  # no --sheet here, and its rows are no list of titles
        raise err.without_sheet_option("screener evaluate") from None
    except InputError as err:
        ids = _identifier_list(path)
        refs = _reference_lines(path) if ids is None else []
        if refs:  # each whole reference would be looked for as a title, and the study said not to be in the search
            k = len(refs)
            shown = (str(refs[0]) if k == 1 else f"{', '.join(map(str, refs[:-1]))} and {refs[-1]}" if k <= 10 else
                     f"{', '.join(map(str, refs[:10]))} and {k - 10} more")
            what = "are whole references" if k > 1 else "is a whole reference"
            raise InputError(f"line{'s' if k > 1 else ''} {shown} {what} (authors, title, journal), not titles: "
                             "screener would look for the whole line as a title and find no study. For each, put the "
                             "title alone on its line, or the study's DOI or PMID (a reference that ends with its DOI "
                             "or PMID is read by it), or export the final includes from your reference manager (RIS).",
                             path=path) from None
        if ids is None and path.suffix.lower() not in (".xlsx", ".xlsm") and \
                not _list_text(path).strip():
            raise InputError("the final-includes file is empty. Export the review's included studies again, or list "
                             "their DOIs, one a line.", path=path) from None
        # titles pasted one a line, some with a comma in them, read as a table's rows of unlike lengths
        if ids is None and (err.line is not None or err.row is not None) and not _names_columns(path):
            ids = _pasted_list(path)
        # a line or a table's row of it named (a decision screener cannot read)
        if ids is None and (err.line is not None or err.row is not None
                            or "is not one screener can read" in str(err)):
            raise _fix_in_the_file(err, path) from None
        if ids is None and "no records below them" in str(err):  # a table whose rows were left out
            raise InputError(f"{str(err).split(': ', 1)[-1]} Give the review's final includes below them, one a row.",
                             path=path) from None
        if ids is None:
            ids = _pasted_list(path)
        if ids is None and (heading := _heading_only(path)):
            raise InputError(f"the table has column names ({heading}) but no records below them. Give the review's "
                             "final includes below them, one a row.", path=path) from None
        if ids is None:
            held, by_id = _columns_said(path)
            # a Word document, a PDF, a picture: what the reader knew it for
            kind = re.search(r": this (?:file )?is (.+?), not a search export", str(err))
            said = (f"this file is {kind.group(1)}, not a list of final includes screener reads." if kind else
                    f"screener cannot read the final includes from this file{held}")
            raise InputError(f"{said} Give an export of them "
                             "(RIS, PubMed, EndNote XML ...), a table with a column of titles, DOIs or PMIDs (named "
                             "title, doi or pmid), or a plain list (.txt) with one DOI, PMID or title per line."
                             + by_id, path=path) from None
        return ids
    from screener.labels import record_places
    from screener.simulate import _duplicate_copies, read_decisions, tool_notes_decisions

    # a table's rows as Excel shows them, as an import and 'screener label' name them
    finals = pd.DataFrame(res.records).assign(source_where=record_places(path, res))
    if not any(lab is not None for lab in res.labels) and tool_notes_decisions(res, path) is None:
        return finals
    # a file with screening decisions (an export of the whole review, also Rayyan's or ASReview's, which
    # write them into notes): its includes are the final includes, the full-text ones where it has
    # them; every record of it was not

    res, labels, _, which = read_decisions(path, unknown_advice="give a file of the final includes only")
    keep = [lab == "include" for lab in labels]
    if not any(keep):
        raise InputError("this file holds screening decisions and no record in it is marked include, so it names no "
                         "final include. Give the review's final includes (an export of the included studies, or "
                         "a list of their DOIs).", path=path)
    # screener's export --with-duplicates: a study's copy from another database carries its decisions too, and is
    # no second final include (nor a line of the list repeating one)
    copies = _duplicate_copies(res)
    places = record_places(path, res)
    keep = [k and i not in copies for i, k in enumerate(keep)]
    finals = pd.DataFrame(res.records).assign(source_where=places)[keep].reset_index(drop=True)
    n, k = sum(keep), len(copies)
    said = [f"its {n} {noun(n, 'study', 'studies') if k else noun(n, 'record')} {which} "
            f"{noun(n, 'is the final include', 'are the final includes')}, not the other {len(keep) - k - n}"] \
        if n < len(keep) - k else []
    if k:  # said even where every study is an include: no record is left out without a word
        said.append(f"its {k} duplicate cop{'y' if k == 1 else 'ies'} (an export with --with-duplicates) "
                    f"{noun(k, 'is', 'are')} left out: each study counts once")
    if said:
        finals.attrs["note"] = f"{path.name} holds screening decisions: " + "; ".join(said)
    return finals


#: A column name that reads as a record's id in one tool ("record_id", "ID", "Covidence #", "Ref ID", "Key")
_ID_COLUMN = re.compile(r"(?:^|[^a-z])id(?:$|[^a-z])|#|^key$|^refid$|^(?:record|ref(?:erence)?)\s*(?:no|number)\.?$",
                        re.I)
#: What a list of final includes by record id is to give instead, and where a project's comes from
_NOT_BY_ID = ("A record id will not do: each export and tool numbers the records its own way. From a screener "
              "project, 'screener export PROJECT --only final -o final_includes.ris' writes the final includes with "
              "their titles, DOIs and PMIDs.")


def _heading_only(path) -> str | None:
    """The column names of a plain text list that is one heading line naming titles, DOIs or PMIDs ('DOI') and
    nothing below it, as a .csv's header alone is said to be; None otherwise."""
    from screener.io.tabular import ALIASES, _norm

    if path.suffix.lower() not in ("", ".txt", ".text", ".md"):
        return None
    lines = [x for x in _list_text(path).splitlines() if x.strip()]
    if len(lines) != 1:
        return None
    cols = [c.strip().strip('"') for c in re.split(r"[,;\t]", lines[0])]
    if not any(_norm(c) in ALIASES[f] for c in cols for f in ("title", "doi", "pmid")):
        return None
    return ", ".join(repr(c) for c in cols)


def _columns_said(path) -> tuple[str, str]:
    """('.', '') or, for a table screener read no title, DOI or PMID from, (its columns, and where
    one is a record id, a project's 'record_id' or Covidence's '#', what to give instead)."""
    if path.suffix.lower() not in (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".xls"):
        return ".", ""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            cols = [str(c) for c in pd.read_excel(path, nrows=0).columns]
        else:
            import csv

            text = _list_text(path)
            try:
                sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t").delimiter
            except csv.Error:
                sep = ","
            cols = [str(c) for c in pd.read_csv(io.StringIO(text), sep=sep, nrows=0).columns]
    except Exception:  # not a table: nothing more to say of it
        return ".", ""
    if not cols:
        return ".", ""
    listed = ", ".join(repr(c) for c in cols[:8]) + (" ..." if len(cols) > 8 else "")
    ids = any(_ID_COLUMN.search(c.strip()) for c in cols)
    return f": none of its columns ({listed}) holds titles, DOIs or PMIDs.", (f" {_NOT_BY_ID}" if ids else "")


#: A line of a plain list that is a PubMed id ("31234567", "PMID: 31234567", "PMID: 31234567." as PubMed cites it)
_PMID_LINE = re.compile(r"\s*(?:PMID\s*:?\s*)?\d{1,9}\s*[.,;]?\s*", re.I)


def _one_identifier(line: str) -> bool:
    """Whether a line of a plain list is blank or one DOI or PMID, whole (not a DOI and more)."""
    line = line.strip()
    if not line or _PMID_LINE.fullmatch(line):
        return True
    doi = normalise_doi(line)
    return bool(doi) and line.lower().rstrip(".,;").endswith(doi)


def _list_text(path) -> str:
    """A list's text, read as the exports are: Notepad's or PowerShell's UTF-16 and Windows-1252
    too (read as UTF-8, a UTF-16 list of DOIs was 'a file screener cannot read')."""
    from screener.io.encoding import decode_bytes

    try:
        return decode_bytes(path.read_bytes(), path)[0]
    except InputError:
        return path.read_text(encoding="utf-8-sig", errors="replace")


#: A whole reference as a paper's reference list prints it (numbered or not): Vancouver's authors ("Reisner SL,
#: White Hughto JM.") opening it and its "2016;27(11):955-66" (or "2016 Feb;20(2):439") outside brackets, or APA's
#: "Surname, A. B., ... (2016)." opening it. A title citing a journal is no reference: a database's note
#: ("[erratum appears in Chest. 2005 Jan;127(1):416]") or a letter's "(Br J Surg 2007; 94: 1133-1138)".
_REFERENCE = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}[.)])?\s*(?:(?:[A-Z\u00C0-\u00DE][\w'\u2019-]*\s+){1,3}[A-Z]{1,4}[,.]"
                        r".*?\b(?:19|20)\d{2}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*\d+\s*(?:\([^)]*\))?\s*:"
                        r"\s*[A-Za-z]?\d+|[^\W\d_][\w'\u2019-]*,\s+(?:[A-Z]\.\s*)+.*?\((?:19|20)\d{2}[a-z]?\)\.)")


#: A reference's own PMID as PubMed's 'Cite' ends it ("... 2016;27(11):955-66. PMID: 26384946."), outside the
#: brackets of a note that cites another record's ("[original report in ...; PMID: 11848724]")
_REFERENCE_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.I)


def _unbracketed(line: str) -> str:
    """A line without the bracketed notes a database puts after a title ("[erratum appears in ...]")."""
    return re.sub(r"(?<=\S)\s*\[[^\]]*\]", "", line.strip())


def _names_columns(path) -> bool:
    """Whether a plain text list's first line is a table's header naming titles, DOIs or PMIDs ('Title,Year')."""
    from screener.io.tabular import ALIASES, _norm

    first = next((x for x in _list_text(path).splitlines() if x.strip()), "")
    return any(_norm(c.strip().strip('"')) in ALIASES[f] for c in re.split(r"[,;\t]", first)
               for f in ("title", "doi", "pmid"))


def _reference_lines(path) -> list[int]:
    """The lines of a plain text list (not a table naming its columns) that are whole references without a DOI or
    PMID to find them by."""
    if path.suffix.lower() not in ("", ".txt", ".text", ".md") or _names_columns(path):
        return []
    lines = _list_text(path).splitlines()
    return [i for i, x in enumerate(lines, start=1) if x.strip() and not normalise_doi(x)
            and not _PMID_LINE.fullmatch(x) and not _REFERENCE_PMID.search(_unbracketed(x))
            and _REFERENCE.search(_unbracketed(x))]


#: A line of a pasted list that reads as a title: three words or more, no tab (a table's row)
_TITLE_LINE = re.compile(r"[^\t]*?[^\W\d_]{2,}\W+[^\W\d_]{2,}\W+[^\W\d_]{2,}[^\t]*")


def _pasted_list(path) -> pd.DataFrame | None:
    """The final includes pasted into a text file as a reviewer has them, one a line: a DOI (or a
    reference with one, or with its PMID), a PMID, or else a title (a study without a DOI to hand). Only a plain
    text file (.txt, .md or none), where every line is one of these, is read so; None otherwise."""
    if path.suffix.lower() not in ("", ".txt", ".text", ".md"):
        return None
    rows, by_reference = [], False
    for i, line in enumerate(_list_text(path).splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if _PMID_LINE.fullmatch(line):
            rows.append({"doi": None, "pmid": line, "title": None, "source_line": i})
        elif normalise_doi(line):
            rows.append({"doi": normalise_doi(line), "pmid": None, "title": None, "source_line": i})
        elif pmid := _REFERENCE_PMID.search(_unbracketed(line)):  # a reference copied with its PMID
            rows.append({"doi": None, "pmid": pmid.group(1), "title": None, "source_line": i})
            by_reference = True
        elif _TITLE_LINE.fullmatch(line):
            rows.append({"doi": None, "pmid": None, "title": line, "source_line": i})
        else:
            return None
    return pd.DataFrame(rows, dtype=object) if by_reference or any(r["title"] for r in rows) else None


def _identifier_list(path) -> pd.DataFrame | None:
    """The DOIs and PMIDs of a table or a one-per-line list, with the line of each (as a note
    names it); None when it holds neither."""
    from screener.io.tabular import ALIASES, _norm

    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, dtype=str)
        else:
            import csv

            text = _list_text(path)
            head = text[:20000]
            try:  # comma, semicolon or tab; a one-column list has none
                sep = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
            except csv.Error:
                sep = ","
            table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, skip_blank_lines=False)
    except Exception:  # not a table pandas can read: not a list of identifiers either
        return None
    cols = {field: next((c for c in table.columns if _norm(str(c)) in ALIASES[field]), None)
            for field in ("doi", "pmid")}
    first_line = 2  # below the column names
    if cols["doi"] is None and cols["pmid"] is None:  # no header row: the first line is a DOI too
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            header = str(table.columns[0]) if len(table.columns) == 1 else ""
            if not normalise_doi(header):
                return None
            table = pd.concat([pd.DataFrame({header: [header]}), table], ignore_index=True)
            cols["doi"] = header
        else:  # one DOI a line, read as lines: an old Wiley DOI's ";" ("...3.0.CO;2-L") parts no columns
            # or one PMID a line (PubMed's "Save as PMID" file)
            lines = text.splitlines()
            first = next((x for x in lines if x.strip()), "")
            if not (normalise_doi(first) or _PMID_LINE.fullmatch(first)):
                return None
            if len(table.columns) > 1 and not all(map(_one_identifier, lines)):
                return None  # columns after all ("10.1000/abc,Smith 2019"): a table without its column names
            if not all(map(_one_identifier, lines)) and _pasted_list(path) is not None:
                return None  # titles among the DOIs: each title read as a 'DOI' matched nothing (``_pasted_list``)
            pm = [bool(_PMID_LINE.fullmatch(x)) for x in lines]
            table = pd.DataFrame({"doi": [None if p else x for x, p in zip(lines, pm)],
                                  "pmid": [x if p else None for x, p in zip(lines, pm)]}, dtype=object)
            cols = {"doi": "doi", "pmid": "pmid"}
        first_line = 1
    out = pd.DataFrame({f: table[c] if c is not None else None for f, c in cols.items()})
    # a cell of spaces (a line that looks blank) names no study: not a final include
    out = out.apply(lambda col: col.where(col.notna() & (col.astype(str).str.strip() != "")))
    out["source_line"] = np.arange(len(out)) + first_line
    # below column names, a spreadsheet's row (as _included_rows names it); a plain list's line
    out["source_where"] = [f"{'row' if first_line == 2 else 'line'} {n}" for n in out["source_line"]]
    keep, which = _included_rows(path, table, first_line)
    named = out.notna()[["doi", "pmid"]].any(axis=1).to_numpy()
    out = out[keep] if keep is not None else out
    out = out.dropna(subset=["doi", "pmid"], how="all").reset_index(drop=True)
    if which:
        out.attrs["note"] = (f"{path.name} holds screening decisions: its {counted(len(out), 'record')} {which} "
                             f"{noun(len(out), 'is the final include', 'are the final includes')}, not the other "
                             f"{int(named.sum()) - len(out)}")
    return out if len(out) else None


def _fix_in_the_file(err: InputError, path) -> InputError:
    """A line of the final-includes file screener cannot read, to be corrected there: without the
    advice to ignore the column with --column, which names the search files' columns only."""
    said = str(err).split(" If this column is not a screening decision", 1)[0]
    return InputError(said.split(": ", 1)[-1] + " Correct it in the file, then run the same command again.",
                      path=path, line=err.line, row=err.row)


def _included_rows(path, table: pd.DataFrame, first_line: int) -> tuple[np.ndarray | None, str]:
    """(rows to keep, which records they are) of a list of DOIs or PMIDs with a decision column
    (an export of the whole review without titles): its final includes are the rows included, at
    full text where it has full-text decisions, not every DOI it names. (None, "") without one."""
    from screener.io.label_values import full_text_labels, parse_label
    from screener.io.tabular import ALIASES, _norm
    from screener.simulate import FULL_TEXT_COLUMNS

    full_text = next((c for c in table.columns if _norm(str(c)) in FULL_TEXT_COLUMNS), None)
    decision = next((c for c in table.columns if _norm(str(c)) in ALIASES["label"]), None)
    try:
        read = {}
        for col in (full_text, decision):
            if col is not None:  # a full-text column may say 'not retrieved': no final include, nor unreadable
                with full_text_labels() if col == full_text else nullcontext():
                    # a table's row as a spreadsheet numbers it, as an import names it; a list's line
                    read[col] = [parse_label(v if isinstance(v, str) else None, path=path, column=str(col),
                                             **({"row": f"row {i + first_line}"} if first_line == 2 else
                                                {"line": i + first_line})) for i, v in enumerate(table[col])]
    except InputError as err:
        raise _fix_in_the_file(err, path) from None
    for col in (full_text, decision):
        if col is None:
            continue
        said = read[col]
        if col == full_text and decision is not None:
            if not any(v in ("include", "exclude") for v in said):
                continue  # no full-text decision yet: the one decision column says
            # passed on at title/abstract, not decided at full text: its final decision is unknown
            open_ = [i + first_line for i, (ta, ft) in enumerate(zip(read[decision], said))
                     if ft is None and ta in ("include", "maybe")]
            if open_:
                k = len(open_)
                lines = ", ".join(map(str, open_[:10])) + (f" and {k - 10} more" if k > 10 else "")
                raise InputError(
                    (f"{k} records were included (or marked maybe) at title/abstract but have" if k > 1 else
                     "1 record was included (or marked maybe) at title/abstract but has")
                    + f" no full-text decision in column {str(col)!r} ({'row' if first_line == 2 else 'line'}"
                    f"{'s' if k > 1 else ''} {lines}), so the "
                    "review's final includes are not known yet. Finish the full-text screening and export again, "
                    "or give a file of the final includes only.", path=path)
        keep = np.array([v == "include" for v in said], dtype=bool)
        if not keep.any():
            raise InputError(f"this file holds screening decisions (column {str(col)!r}) and no record in it is "
                             "marked include, so it names no final include. Give the review's final includes (an "
                             "export of the included studies, or a list of their DOIs).", path=path)
        return keep, f"included in column {str(col)!r}"
    return None, ""


__all__ = ["FinalIncludesReport", "evaluate_cli", "MATCH_KINDS", "deduplicate", "evaluate_final_includes",
           "match_final_includes", "parse_seeds", "read_exports", "records_frame"]
