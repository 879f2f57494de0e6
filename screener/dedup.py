"""Find records that are the same study exported by several databases (or twice by one).

Pure functions over a DataFrame of records indexed by ``record_id``: nothing is deleted; the
project stores the groups and the reviewer can split a wrong group (:func:`split_group`) or
settle a pair the evidence left open (``merged`` / ``kept_apart``).

Titles are compared without the notes databases add to them ("[Erratum appears in ...]",
"[Review] [23 refs]", "(Provisional abstract)", "[Chinese]", Embase's "<ORIGINAL> ...", Ovid's "LA: Chi" or
"TO: <original title>" after a translated title), the mark
before a retracted article's own title ("RETRACTED ARTICLE: ..."), a conference listing's heading ("Poster: ...",
"Oral presentation: ...", which marks the record as a conference abstract), a preprint's mark ("Preprint: ...",
which marks the record as a preprint) and the Cochrane Library's "(Review)"
after a Cochrane review's title; a season written short ("2018/19") is read in full. The stored title
is not changed.
One title in two notations is one: a series' Roman numeral is read in Arabic ("phase IIb" as "phase 2b"), "COVID-19"
as "COVID", a Greek letter written in Latin after a name as printed ("TNFa", "TNF-alpha", "NF-kB" as "TNF-α",
"NF-κB"; a Roman numeral's letter stays: "stage IIIa" is "IIIA"), or as a capital in a gene's symbol ("TNFA", "IL1B"
as "TNF-α", "IL-1β"), an interleukin in words ("interleukin-6" as "IL-6"), a receptor's letter one way ("GABAa",
"GABAA", "GABA(A)" as "GABAA"), a leading "The" left out ("The burden of ..." / "Burden of ...", four words or more
after it), a correction's mark in front ("Erratum: <title>")
as the note at its end ("<title> [Erratum]"), a special issue's "Guest editorial: <title>" as "Editorial: <title>".
A kind's capital "A" after its noun ("hepatitis A", "vitamin A",
"influenza A", "group A"), in any case of the title ("hepatitis a" where all of it is in small letters), and a
capital "A" inside a title in small letters ("haemophilia A", "protein kinase A") is a word of its own, not the
article "a": "Hepatitis A vaccination" and "Hepatitis vaccination" are two studies, listed for review; its copy in
capitals or Title Case is one.
A note that makes the record a notice ("<title> [Erratum]", "<title> [Withdrawn]", "[Retraction of: ...]", "[Comment on:
...]", old MEDLINE's "[letter]") is kept as the word that says so, and so is a notice's type where the
notice carries the article's own title (Scopus's "Erratum", PubMed's "Published Erratum"). Records are
joined in six stages, strongest evidence first:

1. same DOI (case and resolver prefix ignored);
2. same PMID;
3. same cleaned title, year at most one apart (online-first and print years differ between
   databases; in the MSM fixture 22 of 659 true duplicate pairs do), compatible first authors;
4. same place: same volume and first page (or same year and first page when a volume is
   missing), compatible first authors, and titles that share enough words
   (``PLACE_TITLE_MIN``): a translated title, a cut title or a missing subtitle;
5. fuzzy title similarity at or above ``fuzzy_threshold`` with the same year and author tests;
6. a title cut short (with "..." or inside a word) or its abbreviations written short ("CF-related diabetes" or "CFRD"
   for "Cystic fibrosis-related diabetes (CFRD)"), the start of the other's, where one record has no volume nor page:
   same journal, year and first author, and no other title it starts; a pair with part of that evidence (a title
   that ends at a word: its subtitle left out, or a paper of its own; "chronic pain" beside "chronic painful
   neuropathy", a word other titles or the abstracts write whole) is listed for review.

What keeps different studies apart:

- a group is only as strong as every pair in it: two groups join only if no record of one
  differs from a record of the other in DOI, year (beyond the tolerance), volume, first page,
  first author or a word that tells near-identical titles apart ("<title> among men" / "among
  women"), so a chain of weak links (a column in the 2002, 2003 and 2004 volumes, or "<title>"
  alike to both of those) never forms. A reprint of a full paper in a book or yearbook (same
  title and author, both at least ``REPRINT_MIN_PAGES`` pages, at most one in a journal volume)
  is one report, not a difference; one title and first author at two first pages of one journal is two items (a
  yearly edition) or one paper's page mistyped or given ahead of print, kept apart and listed for review, and so are
  near-alike titles there in one year that no word tells apart (a title a database edited: "The effects" / "Effects");
- a title that recurs here (its records differ in volume, pages, years or issue) joins two
  records only when volume and first page, or volume and issue, match; when it recurs only as the
  work printed in another journal (a meeting abstract and the article), the same journal, volume and year do; its
  records in two issues of one volume at one page range are listed for review (an issue mistyped?), and so are
  records of one first author in two journals' volumes, a year apart at most (an abstract printed twice, or the
  article), and one title and first author under two DOIs (a paper and its reprint or correction);
- the same title in journals that cannot be one journal needs the same volume and first page,
  also through a third record that names no journal (unless a group already holds both names of
  one journal, joined by a DOI);
- generic titles ("Editorial", "Reply", "Poster session 3", "[Not Available]"), notices (a
  correction, a reply or "Re: ..." and its article, also in German, Spanish, French, Portuguese or Italian:
  "Korrektur zu: <title>", "Fe de errores: <title>", "Réponse à : <title>", "Resposta: <title>"),
  series numbers ("Part 1"/"Part 2", "BRCA1" /
  "BRCA2", "type I"/"type II", "Part A"/"Part B") and titles shorter than four words are never
  matched on title alone; nor is a title that is another's with words before it, or set off
  after it, naming a letter, comment, summary, abridged version or notice ("Letter regarding <title>", "Invited
  commentary on <title>", "<title> (editorial)"); nor are near-identical titles that a
  contrasting word tells apart ("men" / "women", "with" / "without", "short-term" / "long-term", "interim" /
  "final" results, two places
  alike in letters: "Iran" / "Iraq", "Niger" / "Nigeria", "Zambia" / "Namibia", "Hunan" / "Henan",
  a protocol and its results paper, a design named in one title only or two designs: ": a
  qualitative study" beside the trial, a mutation to another amino acid: "KRAS G12C" / "G12D", the same numbers in
  another order: Gleason "3+4" / "4+3"), and on title alone, near-identical titles with one word
  put in place of another that no typo, spelling, cut word or words written joined explain
  ("depression" / "anxiety", "HIV" / "HPV", "daily" / "weekly", "protected" / "unprotected", "IL-6" / "IL-6R", two
  drugs of one class: "sitagliptin" / "saxagliptin"), or words put in front of one title ("Long-term effects of
  <title>", "Mediators of <title>": a database never cuts a title's start), unless the same page range confirms them,
  nor words put after one title naming a population, setting or condition ("<title> in children", "... among older
  adults", "... in primary care": listed for review unless a page range, volume, DOI or PMID confirms them);
- at one volume and first page, titles that differ in one to three words turning the finding over ("increases" /
  "decreases", "does not improve") or, without the same page range on both, naming another drug or population
  ("metformin" / "sitagliptin") or adding one inside a title ("in preterm infants"), and, even with the same page
  range, two English titles sharing under half the shorter's words there, two drugs of named classes
  ("dapagliflozin" / "empagliflozin"), numbers or series letters that differ ("part 2" / "part 3", "group B" /
  "group C"), or a letter or comment titled after the paper ("Re: <title>", "Letter: <title>"): one author's two
  papers on one page or one record's place mistyped, listed for review;
- a marker with one sign in one title and the other sign in the other ("HER2+" / "HER2 -" / "HER2-negative",
  "CD4(+)" / "CD4−") is two populations wherever the two are printed, also through a third record (a copy that
  lost its sign);
- titles, first authors and journals in another script keep their letters: two Chinese papers on
  "TLR4/NF-κB" are more than their Latin words, "王丽" and "李明" two authors; a name or journal in
  Latin letters and one in another script ("Wang, Li" / "王丽") are not compared; one surname with given names of
  other initials ("Wang, Li" / "Wang, Yan", "Wang L" / "Wang Y") is two first authors; one title by the same authors
  in another order is listed for review (a database reordered them, or a working paper and the article), and so is one
  title at one volume and first page by two first authors (a name written two ways: "Tsai" / "Cai", or two letters);
  one surname with its particles joined or apart ("Van der Berg" / "Vandenberg"), or an umlaut written out ("Bär" /
  "Baer"), is one first author, unless the given names say two people ("Hansen, Lars" / "Hanson, Erik" too: listed);
- one DOI or PMID on two works (a book's DOI on its chapters, a supplement's DOI on its abstracts,
  a correction given its article's DOI, a mistyped PMID) does not join records one of which is a
  notice about the other, or whose titles are not one title (neither near-identical nor one
  holding the other's words) and whose other identifier, first page or first author differs, or
  one of which names the other's title as its source (a chapter and its book) or is typed a book and the other a
  chapter (an opening chapter carrying the book's title), or two English titles
  sharing under half the shorter's words without one first page to confirm them, or titles with a word that
  turns the finding over ("increases" / "decreases") or numbers that differ counted ("phase 2" / "phase 3") or
  one put inside a title ("the ACTIVE trial" / "the ACTIVE-2 trial": a sequel, not a cut), or years that differ
  however alike the rest ("Cancer statistics, 2019" / "2020"), or
  a word naming another of a study's papers in one title only ("protocol", "rationale", "baseline", "cost"; not a
  subtitle left out), an update's number in one only ("an update" / "an update 2"), or
  (without the same page range on both) words that tell titles over 85% alike apart ("in
  adolescents" / "in older adults"), two drugs' names ("sitagliptin" / "saxagliptin") or an outcome, place or group
  after "on", "in", "among" put in place of another ("on mortality" / "on hospital admissions", "in Texas" / "in
  California"; a verb reworded, "increases" / "improves", is one title), or two years' editions of a yearly report or
  a meeting's abstract book ("Abstracts from the ESMO congress", "Supplement") in two volumes; such pairs are listed
  for review (a yearly title without a volume to confirm it is two editions too);
- two kinds of record that share a title are not one record, by what the records say of themselves
  (their type, a mark in the title, the journal field): a trial's or a review's (PROSPERO)
  registration and its report, a dissertation and the article, a book and its chapter, a book review and the
  book (Web of Science's "Book Review" type, outside the review's own place), a dataset and the article whose data it
  holds (Dryad's "Data from: <title>", a "Dataset" type), a news item and the study ("News: <title>", a "News"
  type, MEDLINE's "[news]"), a preprint (by its type, its server, its server's DOI or "Preprint: <title>") or a
  working paper (by its type) and the article, a Cochrane
  protocol and its review, a protocol by its type (PubMed's "Clinical Trial Protocol") and a record not typed
  so outside its place (the results paper), a conference abstract and a full paper (``REPRINT_MIN_PAGES`` pages
  or more, or an article number: "e034567", Elsevier's "104182", or a record of its year or the next without volume or
  page that says nothing of a meeting: the paper ahead of print), a letter or editorial and another database's journal
  item of its title outside its volume and page (the article it answers),
  and two conference abstracts of one title a year apart, or an oral presentation and a poster, that
  neither the same volume nor the same page confirm (two meetings); all but the first are listed for review
  (a dissertation and its article are two reports a reviewer may link as one study).

Pairs kept apart that a person could still want joined are returned with a reason
(:func:`find_duplicates_with_review`), for ``screener dedup DIR --review``; so is a retraction notice titled after
its paper ("Retraction: <title>", "Retraction notice to <title>") with the paper, which a reviewer must know retracted.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screener.errors import InputError, ScreenerError
from screener.gc_pause import gc_paused
from screener.records import (SPELLING_WORDS, ampersand_as_and, normalise_doi, normalise_title, only_other_titles,
                              without_markup)

#: Default for stage 4, in percent. In the MSM fixture the same paper's differing titles score
#: 92.6-99.6 (typos such as "Rifor", quotes, "Correction:" in front or behind); different papers
#: reach 96.5 (a conference abstract and the protocol paper), which only the guards keep apart.
#: A false merge hides a record from screening while a missed one costs one more decision, so
#: the default leans to the safe side.
DEFAULT_FUZZY_THRESHOLD = 93.0

ASSIGNMENT_COLUMNS = ("record_id", "group_id", "is_primary", "reason")

# Titles that name a kind of item, not a study: two of them are different items, however alike.
_GENERIC_TITLES = frozenset(
    {
        "editorial", "editorials", "guest editorial", "editor s note", "editors note", "editorial comment",
        "letter", "letters", "letter to the editor", "letters to the editor", "reply", "in reply",
        "reply to letter", "author reply", "authors reply", "author s reply", "response", "author response",
        "authors response", "erratum", "errata", "correction", "corrections", "corrigendum", "corrigenda",
        "retraction", "retraction notice", "comment", "comments", "commentary", "introduction", "preface",
        "foreword", "book review", "book reviews", "abstract", "abstracts", "news", "in brief", "obituary",
        "in memoriam", "acknowledgement", "acknowledgements", "acknowledgment", "acknowledgments",
        "reviewers acknowledgement", "index", "contents", "table of contents", "front matter", "back matter",
        "announcement", "announcements", "conference report", "meeting report", "poster abstracts",
        "oral abstracts", "untitled", "no title", "title", "editorial board", "masthead", "in this issue",
        "highlights", "summary", "discussion", "conclusion", "conclusions", "notes", "case report",
        "case reports", "correspondence", "issue information", "author index", "subject index",
        "selected abstracts", "poster session", "poster sessions", "oral presentations", "oral sessions",
        "poster presentations", "free communications", "short communications", "not available",
        "title not available", "no title available", "no abstract available", "abstract not available",
        "notes on contributors", "call for papers", "call for abstracts", "list of reviewers", "reviewers",
        "thank you to our reviewers", "erratum to", "corrections and clarifications", "upcoming events",
        "research letter", "research letters", "comment on", "invited commentary", "expert commentary", "from the editor",
        "from the editors", "letter from the editor", "message from the editor", "president s message",
        "presidents message", "welcome", "overview", "proceedings", "reply to the letter to the editor",
        "response to the letter to the editor", "reply to letter to the editor", "response to letter to the editor",
        "in response", "authors response to", "publisher s note", "addendum", "withdrawn", "retracted",
        "reply to the editor", "reply to the editors", "response to the editor", "to the editor", "dear editor",
        "editorial introduction", "year in review",
        "the year in review", "from the editor s desk", "editor s choice", "research highlights",
        "highlights from the literature", "news in brief", "what s new", "notice of retraction", "retraction note",
        "retraction statement", "statement of retraction", "expression of concern", "editorial expression of concern",
        "conference abstracts", "meeting abstracts", "abstract book", "supplement", "supplements",
        # placeholders a database or a spreadsheet writes where the title is missing
        "n a", "na", "none", "null", "nan", "unknown", "untitled document", "title missing", "missing title",
        "no title provided", "title unavailable", "in process citation",
    }
)
# Languages a database names in a title's note ("[Chinese]", "[Article in German]")
_LANGUAGES = (
    "chinese|japanese|german|french|spanish|italian|russian|polish|portuguese|korean|dutch|turkish|hungarian|"
    "czech|danish|swedish|norwegian|finnish|greek|hebrew|persian|croatian|serbian|romanian|bulgarian|"
    "ukrainian|slovak|slovenian|lithuanian|english|arabic|thai|icelandic|estonian|latvian|afrikaans"
)
# Section and session headings with more words: "Poster session 3", "Guest editorial: introduction
# to the special issue", "Author index to volume 12", "The authors reply" (NEJM's letters), and recurring columns
# ("What is your diagnosis?", "Image of the month", "Images in clinical medicine").
_GENERIC_PATTERN = re.compile(
    r"^(?:poster|oral|plenary|free|short)\s+(?:sessions?|presentations?|communications?|abstracts?)"
    r"(?:\s+(?:day|part|session)?\s*[0-9a-z]{1,4})?$"
    r"|^(?:author|subject|cumulative)\s+index(?:\s+to\s+volume\s+\d+|\s+\d+)?$"
    r"|^(?:guest editorial\s*)?(?:introduction to (?:the|this) (?:special |themed )?(?:issue|section|supplement))?$"
    r"|^(?:preface|foreword|editorial|introduction) to (?:the|this) (?:special |themed )?(?:issue|section|supplement|volume)$"
    r"|^letters? to the editors?(?:\s+(?:regarding|re|about|on|concerning)\b.*)?$"
    r"|^(?:correction|retraction|erratum) notice$"
    r"|^(?:authors?\s+(?:s\s+)?)?(?:reply|response|replies|responses) to (?:the )?(?:comments?|letters?|reviewers?|"
    r"commentary|critics?)$"
    r"|^(?:reply|response|letter) to dr\s+\w+$"
    r"|^(?:the\s+)?authors?\s+(?:s\s+)?(?:reply|replies|respond|responds|response|responses)(?:\s+to)?$"
    r"|^(?:reply|replies|response|responses)\s+(?:by|from|of)\s+the\s+authors?$"
    r"|^book reviews?\b.*"
    r"|^(?:opening|closing|concluding|welcome|keynote) (?:remarks|address|speech|lecture)$"
    r"|^(?:message|letter|note) from the (?:chair|chairs|president|editor|editors|dean|guest editors?)$"
    r"|^(?:(?:article|text|abstract|paper)\s+)?(?:in\s+)?(?:" + _LANGUAGES + r")$"  # "[Article in Chinese]" alone
    r"|^what\s+(?:is|s)\s+(?:your|the)\s+diagnosis$"
    r"|^(?:case|cases|image|images|picture|photo|quiz|ecg)\s+of\s+the\s+(?:month|week|issue)$"
    r"|^images?\s+in\s+(?:\w+\s+){0,2}\w+$"
)

# A notice about another record: it shares that record's title words but is a different item.
_NOTICE_END_WORDS = (r"erratum|errata|correction|corrigendum|corrigenda|retraction|retracted|reply|author s reply|"
                     r"authors reply|comment|commentary|rejoinder|rebuttal|expression of concern")
_NOTICE = re.compile(
    r"^(erratum|errata|correction|corrigendum|corrigenda|retraction|retracted|notice of retraction|"
    r"statement of retraction|"  # Taylor & Francis's "Statement of Retraction: <title>"
    r"expression of concern|editorial expression of concern|comment on|comments on|commentary on|reply to|"
    r"response to|in reply to|in response to|authors reply|author s reply|authors replies|author reply|in reply|"
    r"reply|author correction|authors correction|author s correction|publisher correction|"
    r"publisher s correction|publisher s note|addendum|withdrawn|withdrawal notice|retraction note|"
    r"a reply to|a response to|a comment on|a rejoinder to|rejoinder to|rebuttal to|comment to|comments to|"
    r"commentary to|invited discussion on|remarks on|critique of|"
    # the same in German, Spanish and French journals (Springer Medizin's "Korrektur zu:", Elsevier España's
    # "Fe de errores:", the Deutsches Ärzteblatt's "Erwiderung")
    r"korrektur zu|berichtigung|kommentar zu|erwiderung|leserbrief zu|antwort auf|replik|stellungnahme zu|"
    r"fe de errores|fe de erratas|correccion de errores|comentario a|comentario sobre|respuesta a|carta al editor|"
    r"carta al director|replica|retractacion|rectificatif|commentaire sur|commentaire a|reponse a|"
    r"lettre a l editeur|reponse des auteurs|retractation)\b"
    r"|\b(" + _NOTICE_END_WORDS + r")$"
    # Web of Science titles a correction "<title> (vol 115, pg 456, 2020)", naming the corrected article
    r"|(?<!from )\bvol [0-9a-z]+ (?:pg |art no |artn )?[0-9a-z]+ (?:yr )?(?:1[89]|20)\d\d$"
)
#: "Re: <title>", a letter about an article (the raw title's colon tells it from "Re-examining"), and
#: "Commentary: <title>", "Letter: ...", "Response: ...", "Editorial: ..." (the colon tells them from
#: a study titled "Response of tumour cells to ..."); 'Regarding "<title>"', as J Vasc Surg titles its
#: letters (the quote tells it from "Regarding the ...").
#: A letter and the reply to it are two items: "Re: <title>" is a comment, "Response to Re: <title>" a
#: reply. "Clarification:", "Update:", "Editor's note:", "In brief:", "Journal club:" name other items.
_RE_LETTER = re.compile(r"^\s*(?:(re|comment|comments|commentary|invited commentary|expert commentary|editorial comment|"
                        r"letter|letters|response|reply|authors?'? response|author'?s response|in response|editorial|"
                        r"rebuttal|rejoinder|regarding|concerning|clarification|update|editor'?s'? note|in brief|"
                        r"journal club|discussion|invited discussion|invited comment|corr insights|correspondence|"
                        r"reader response|readers?'? comments?|"
                        # a repository's dataset or code of an article's (Dryad's and figshare's "Data from: <title>",
                        # Mendeley Data's "Data for: <title>", Zenodo's "Code for: <title>")
                        r"data (?:from|for)|data ?set(?: for)?|code for|news|"
                        # the same heads in Spanish, Portuguese and Italian journals ("Respuesta:", SciELO's
                        # "Resposta:" and "Tréplica:", "Risposta:", "Correção:", "Rettifica:")
                        r"respuesta|resposta|risposta|tr[eé]plica|coment[aá]rio|commento|correcci[oó]n|"
                        r"corre[cç][aã]o|retrata[cç][aã]o|rettifica)(?:\s*®)?(?:\s+(?:on|to|of|about))?\s*:"
                        r"|(re|regarding|concerning)\s*,?\s*[\"“”‘'«])", re.I)
_LETTER_KIND = {"response": "reply", "reply": "reply", "in response": "reply", "rebuttal": "reply", "rejoinder": "reply",
                "clarification": "correction", "editorial": "editorial", "update": "update", "in brief": "digest",
                "journal club": "digest", "respuesta": "reply", "resposta": "reply", "risposta": "reply",
                "treplica": "reply", "correccion": "correction", "correcao": "correction", "rettifica": "correction",
                "retratacao": "retraction", "data from": "dataset", "data for": "dataset", "dataset": "dataset",
                "data set": "dataset", "dataset for": "dataset", "data set for": "dataset", "code for": "dataset",
                "news": "news"}
_NOTICE_KIND = {
    "errata": "correction", "erratum": "correction", "correction": "correction", "corrigendum": "correction",
    "corrigenda": "correction", "retraction": "retraction",
    "retracted": "retracted",  # "RETRACTED: <title>" is the article renamed (Elsevier, Springer), not the notice
    "notice of retraction": "retraction", "statement of retraction": "retraction", "expression of concern": "concern",
    "comment on": "comment",
    "comments on": "comment", "commentary on": "comment", "reply to": "reply", "response to": "reply",
    "in reply to": "reply", "authors reply": "reply", "author s reply": "reply", "authors replies": "reply",
    "author reply": "reply", "in reply": "reply", "in response to": "reply",
    "editorial expression of concern": "concern", "author correction": "correction",
    "authors correction": "correction", "author s correction": "correction", "publisher correction": "correction",
    "publisher s correction": "correction", "publisher s note": "correction", "retraction note": "retraction",
    "withdrawn": "retraction", "withdrawal notice": "retraction", "a reply to": "reply", "a response to": "reply",
    "a comment on": "comment", "a rejoinder to": "reply", "rejoinder to": "reply", "rebuttal to": "reply",
    "commentary": "comment", "rejoinder": "reply", "rebuttal": "reply", "comment to": "comment",
    "comments to": "comment", "commentary to": "comment", "invited discussion on": "comment", "remarks on": "comment",
    "critique of": "comment",
    "korrektur zu": "correction", "berichtigung": "correction", "kommentar zu": "comment", "erwiderung": "reply",
    "leserbrief zu": "comment", "antwort auf": "reply", "replik": "reply", "stellungnahme zu": "comment",
    "fe de errores": "correction", "fe de erratas": "correction", "correccion de errores": "correction",
    "comentario a": "comment", "comentario sobre": "comment", "respuesta a": "reply", "carta al editor": "comment",
    "carta al director": "comment", "replica": "reply", "retractacion": "retraction", "rectificatif": "correction",
    "commentaire sur": "comment", "commentaire a": "comment", "reponse a": "reply", "lettre a l editeur": "comment",
    "reponse des auteurs": "reply", "retractation": "retraction",
}
# Numbers that tell a series apart: "Part 1"/"Part 2", "Study II", "in 2015"/"in 2016".
_SERIES_WORD = re.compile(r"\b(?:part|phase|study|wave|paper|trial|volume|vol|type|stage|grade|class|arm|cohort|"
                          r"group|section|chapter|level|step|round|year|case|experiment|sample|scenario|site)\s+"
                          r"([ivx]{1,4}|[a-h]|one|two|three|four|five)\b")
# Number words standing alone count as the number: "two-year" and "2-year" are one title, "one-year"
# and "two-year" two studies.
_NUMBER_WORDS = dict(zip("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                         "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty hundred".split(),
                         "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 30 40 50 60 100".split()))
#: A book's edition in words ("second edition"), which another database writes in digits ("2nd edition")
_EDITION_WORD = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:edition|ed)\b")
_ORDINALS = dict(zip("first second third fourth fifth sixth seventh eighth ninth tenth".split(),
                     "1 2 3 4 5 6 7 8 9 10".split()))
# Words that make near-identical titles different studies ("among men" / "among women", "with" /
# "without diabetes", "short-term" / "long-term"), and a protocol beside its results paper.
_CONTRASTS = frozenset(frozenset(p) for p in (
    ("men", "women"), ("male", "female"), ("males", "females"), ("boys", "girls"), ("man", "woman"),
    ("with", "without"), ("short", "long"), ("adults", "children"), ("adult", "child"), ("acute", "chronic"),
    ("increase", "decrease"), ("increased", "decreased"), ("high", "low"), ("higher", "lower"), ("early", "late"),
    ("before", "after"), ("positive", "negative"), ("primary", "secondary"), ("upper", "lower"),
    ("left", "right"), ("first", "second"), ("inpatient", "outpatient"), ("inpatients", "outpatients"),
    ("rural", "urban"), ("public", "private"), ("maternal", "paternal"), ("mothers", "fathers"),
    ("prenatal", "postnatal"), ("preoperative", "postoperative"), ("mild", "severe"),
    # a trial's first, interim or preliminary report and its final one: two papers, also under one DOI
    ("first", "final"), ("initial", "final"), ("interim", "final"), ("preliminary", "final"),
    # what a study measures, and whose outcomes: "Incidence" / "Prevalence of ...", "Neonatal" / "Maternal mortality"
    ("incidence", "prevalence"), ("sensitivity", "specificity"), ("mortality", "morbidity"), ("maternal", "neonatal"),
    # two analyses of one trial: "a secondary analysis" / "an exploratory analysis of ..."
    ("secondary", "exploratory"),
))
#: An organ's adjective and the organ's own names ("cardiac" / "heart"): an adjective in place of another body part
#: ("cardiac" / "hip surgery", "cardiac surgery" / "liver transplantation") names another operation or disease
_ORGAN_OF = {"cardiac": {"heart"}, "pulmonary": {"lung", "lungs"}, "renal": {"kidney", "kidneys"}, "hepatic": {"liver"},
             "cerebral": {"brain"}, "gastric": {"stomach"}, "colorectal": {"colon"}, "pancreatic": {"pancreas"},
             "ovarian": {"ovary", "ovaries"}, "prostatic": {"prostate"}, "endometrial": {"uterus"}}
_PREFIX_CONTRASTS = (("hyper", "hypo"), ("pre", "post"), ("intra", "extra"), ("sub", "supra"), ("micro", "macro"),
                     ("endo", "exo"), ("eso", "exo"), ("peri", "post"), ("peri", "pre"))
# Words of one kind that cannot stand for each other: one put in place of another ("in mice" /
# "in rats", "adolescents" / "adults", "PPAR-alpha" / "PPAR-gamma", "Japanese" / "Chinese
# participants", "6-month" / "6-year") makes another study; so does one letter for another
# ("hepatitis B" / "hepatitis C", "vitamin D" / "vitamin E", "influenza A" / "influenza B").
_CONTRAST_GROUPS = tuple(frozenset(g.split()) for g in (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon "
    "phi chi psi omega",
    "lt gt ge le",
    "mice mouse rats rat dogs dog canine pigs pig porcine piglets rabbits rabbit cats cat feline sheep ovine cattle "
    "bovine cows horses equine monkeys macaques primates humans human zebrafish chickens hamsters",
    "adults adult children child adolescents adolescent infants infant neonates neonatal newborns elderly older "
    "youth young students preschoolers toddlers",
    "day days week weeks month months year years",
    "north south east west northern southern eastern western central northeast northwest southeast southwest "
    "northeastern northwestern southeastern southwestern",
    "first second third fourth fifth sixth seventh eighth ninth tenth",
    "efficacy safety tolerability cost costs acceptability",
    "african american asian european chinese japanese korean indian thai vietnamese malaysian indonesian "
    "filipino australian canadian british english scottish welsh irish french german dutch belgian swiss "
    "austrian italian spanish portuguese greek turkish iranian israeli arab saudi egyptian nigerian kenyan "
    "ethiopian ugandan tanzanian ghanaian brazilian mexican argentinian chilean colombian peruvian swedish "
    "norwegian danish finnish polish russian ukrainian czech hungarian romanian pakistani bangladeshi nepalese "
    "taiwanese singaporean",
    "africa america asia europe china japan korea india thailand vietnam malaysia indonesia philippines australia "
    "canada britain uk england scotland wales ireland france germany netherlands belgium switzerland austria "
    "italy spain portugal greece turkey iran israel egypt nigeria kenya ethiopia uganda tanzania ghana brazil "
    "mexico argentina chile colombia peru sweden norway denmark finland poland russia ukraine hungary romania "
    "pakistan bangladesh nepal taiwan singapore usa",
    # body parts and organs ("total knee" / "total hip arthroplasty", "lung" / "liver cancer"), organs as adjectives,
    # and conditions ("with asthma" / "with COPD", "on depression" / "on fatigue"): no database puts one for another
    "knee knees hip hips shoulder shoulders elbow elbows ankle ankles wrist wrists heart lung lungs liver kidney "
    "kidneys brain pancreas stomach bladder colon prostate breast ovary cervix uterus thyroid",
    "cardiac pulmonary renal hepatic cerebral gastric colorectal pancreatic ovarian prostatic endometrial",
    "asthma copd diabetes hypertension obesity dementia epilepsy schizophrenia depression anxiety fatigue insomnia "
    "osteoarthritis osteoporosis tuberculosis malaria psoriasis eczema migraine parkinson sclerosis",
    # a cancer's site ("breast" / "cervical cancer screening") and an operation's approach ("open" / "robotic")
    "breast prostate colorectal cervical ovarian endometrial pancreatic gastric esophageal bladder thyroid",
    "open laparoscopic robotic endoscopic percutaneous",
    # an age group's care ("Paediatric" / "Adult outcomes"; not "paediatric" / "children", one group), a drug's route
    "pediatric geriatric adult adults",
    "oral intravenous subcutaneous intramuscular topical intranasal intrathecal transdermal",
))
#: Body parts and organs (in ``_CONTRAST_GROUPS``), compared with organs' adjectives by ``_other_organ``
_BODY_PARTS = next(g for g in _CONTRAST_GROUPS if "knee" in g)
#: Countries and peoples (in ``_CONTRAST_GROUPS``), compared with each other by ``_other_country``; not a continent's
#: ("African" / "Kenya": a Kenyan study is an African one)
_CONTINENTAL = frozenset("africa america asia europe african asian european arab".split())
_COUNTRIES = next(g for g in _CONTRAST_GROUPS if "kenya" in g) - _CONTINENTAL
_PEOPLES = next(g for g in _CONTRAST_GROUPS if "kenyan" in g) - _CONTINENTAL
#: A people whose country's name begins otherwise ("Dutch" / "Netherlands", "British" / "UK")
_COUNTRIES_OF = {"british": {"uk", "britain", "england", "scotland", "wales"}, "english": {"uk", "britain", "england"},
                 "scottish": {"uk", "britain", "scotland"}, "welsh": {"uk", "britain", "wales"},
                 "irish": {"uk", "ireland"}, "french": {"france"}, "dutch": {"netherlands"}, "swiss": {"switzerland"},
                 "filipino": {"philippines"}, "danish": {"denmark"}, "american": {"usa"}}
#: A word on one title only that makes it another paper about the same study (the protocol or the
#: design paper, the analysis plan, the pilot, an interim or preliminary report beside the results; a secondary,
#: follow-up, final, economic or baseline paper, an extension or an update, a title "revisited", its "sequel" or
#: "(continued)", "(cont.)", "(cont'd)", "(concluded)", which a long title gains while staying over 93% alike), or
#: another study ("HIV+ men" and "HIV- men", "non-users" and "users"), or the opposite finding ("No effect of ..." /
#: "Effect of ...", "Lack of association"), or a debate's other side ("...: the case for" / "...: the case against").
_ONE_SIDED = ("protocol", "pilot", "feasibility", "design", "rationale", "interim", "preliminary", "plus", "non",
              "not", "no", "lack", "never", "secondary", "hoc", "ancillary", "substudy", "subanalysis", "subgroup",
              "extension", "followup", "final", "update", "updated", "baseline", "economic", "cost", "replication",
              "reanalysis", "plan", "revisited", "revisiting", "sequel", "continued", "cont", "contd", "concluded",
              "reconsidered", "reappraisal", "reappraised", "against")
#: A debate's side as a title's last words ("Should we screen for ...? Yes", "...: pro", "...: the case for"), in one
#: title only: a side's piece beside the other's or the debate's, which a database does not add ("no" and "against"
#: are ``_ONE_SIDED`` anywhere)
_DEBATE_SIDE = re.compile(r"^(?:pro|con|yes|point|counterpoint|(?:the )?case for)$")
#: Words of a subtitle that name a trial's secondary paper ("<title>: mediators of effect", ": a Bayesian analysis",
#: ": treatment fidelity", ": recruitment and retention", ": sex differences", ": a sex-stratified analysis"), one
#: arm's or subpopulation's report ("<title>: the UK arm", ": the Japanese subpopulation") or a guideline's other
#: version ("<title>: short version", "(Kurzfassung)"), or a part of a study in a short subtitle (": safety
#: outcomes", ": adverse events", ": predictors of response", ": sensitivity analyses", ": patient perspectives",
#: ": lessons learned", ": methods report", ": technical report"), after the other title's whole words: that paper,
#: not a copy whose subtitle a database left out. Not a country alone: "<title>: what mapping in Nepal reveals" is
#: often the paper's own subtitle.
_COMPANION_TAIL = frozenset("mediation mediator mediators moderation moderator moderators bayesian fidelity "
                            "recruitment sex gender stratified arm subpopulation subset version kurzfassung "
                            "langfassung safety adverse predictors predictor sensitivity perspectives perspective "
                            "lessons".split())
#: ``_COMPANION_TAIL``'s words that tell only as a phrase: "<title>: the socio-technical evolution of ..." is the
#: paper's own subtitle
_COMPANION_PHRASES = re.compile(r"\b(?:technical|methods) (?:report|note)s?\b")
# "follow-up" and "followup", "sub-study" and "substudy" are one word
_JOINED = re.compile(r"\b(follow|sub|re) (up|study|analysis)\b")
#: Designs a title names, often in a subtitle ("<title>: a qualitative study", ": a cluster randomised
#: trial", ": a systematic review"). A long title with one design and the same title with another,
#: or with none, are companion papers (the qualitative arm of a trial, the trial and its pilot, a
#: review and its protocol), however alike; a database does not add or swap a design.
_DESIGNS = tuple((label, re.compile(pattern)) for label, pattern in (
    ("qualitative study", r"\bqualitative\b|\bethnograph\w*|\bphenomenolog\w*|\bgrounded theory\b"),
    ("mixed-methods study", r"\b(?:mixed|multi) ?methods?\b"),
    ("randomised trial", r"\brandomi[sz](?:ed|ation)\b|\brcts?\b"),
    ("cluster trial", r"\bcluster\b"),
    ("quasi-experimental study", r"\bquasi\b"),
    ("systematic review", r"\bsystematic (?:literature )?reviews?\b"),
    ("meta-analysis", r"\bmeta ?analys[ie]s\b"),
    ("scoping review", r"\bscoping\b"),
    # an overview (umbrella review) of the reviews on a question, beside one of those reviews by the same team
    ("overview of reviews", r"\boverviews? of (?:(?:systematic|cochrane) )*reviews?\b|\bumbrella reviews?\b"
                            r"|\breviews? of (?:systematic )?reviews\b"),
    ("realist evaluation", r"\brealist\b"),
    ("process evaluation", r"\bprocess evaluations?\b"),
    ("cohort study", r"\bcohorts?\b"),
    ("cross-sectional study", r"\bcross sectional\b"),
    ("case-control study", r"\bcase control\b"),
    ("case study", r"\bcase (?:series|reports?|stud(?:y|ies))\b"),
    ("survey", r"\bsurveys?\b"),
    ("Delphi study", r"\bdelphi\b"),
    ("observational study", r"\bobservational\b"),
    ("longitudinal study", r"\blongitudinal\b"),
    ("trial", r"\btrials?\b"),
    ("review", r"\breviews?\b"),
))


@functools.lru_cache(maxsize=1 << 16)
def title_designs(ntitle: str) -> frozenset[str]:
    """The study designs a normalised title names ("randomised trial", "qualitative study", ...)."""
    return frozenset(label for label, pattern in _DESIGNS if pattern.search(ntitle))


def _written_apart(prefix: str, word: str, ntitle: str) -> bool:
    """Whether a compared title writes a prefix and its word apart ("non smokers", of "non-smokers"): beside another
    title's "nonsmokers" it is one word, not a word and its opposite."""
    return f" {prefix} {word} " in f" {ntitle} "


def _prefix_joined(prefix: str, apart_in: str, other: str) -> bool:
    """Whether every "non <word>" of one compared title is "non<word>" in the other ("non smokers" / "nonsmokers")."""
    words = apart_in.split()
    after = [words[i + 1] for i, w in enumerate(words[:-1]) if w == prefix]
    theirs = set(other.split())
    return bool(after) and all(prefix + w in theirs for w in after)


def _tells_apart(why: str) -> str:
    """``title_contrast``'s words as a reviewer reads them in a listed pair's reason: "'men' and 'women' tell them
    apart", "'pilot' in one title only tells them apart", "one title is a protocol's, which tells them apart"."""
    if why.startswith("one title"):
        return f"{why}, which tells them apart"
    return f"{why} tells them apart" if why.endswith(" only") else f"{why} tell them apart"


def _kinds_numeral_alone(ta: str, tb: str, da: set[str], db: set[str]) -> str | None:
    """A kind's letter or Roman numeral after its noun in one compared title only, nothing in its place in the other
    ("factor v leiden" / "factor leiden"), as titles print it ("V"); not a lone "v" elsewhere ("... v placebo")."""
    if (da and db) or len(da | db) != 1:
        return None
    word = next(iter(da | db))
    if not (word in _ROMAN_VALUES or (len(word) == 1 and word.isalpha() and word != "a")):
        return None
    words = (ta if da else tb).split()
    if any(w == word and k and (words[k - 1] in _KIND_WORDS or words[k - 1][:-1] in _KIND_WORDS)
           for k, w in enumerate(words)):
        return word.upper()
    return None


def _numeral(word: str) -> bool:
    return word.isdigit() or word in _ROMAN_VALUES or word in _NUMBER_WORDS or bool(_ROMAN_NAME.fullmatch(word.upper()))


def _letter_name_swapped(ta: str, tb: str, da: set[str], db: set[str]) -> str | None:
    """A name of one or two letters in one compared title where the other has another word at that place
    ("Generation R" / "Generation XXI", two birth cohorts; "Washington DC" / "Washington State"; "DAPA-HF" /
    "DAPA-CKD", two trials; "UK" / "US" in titles all in capitals, where no abbreviation is told from a word), as
    titles print them; ``word_substitution`` passes words this short. Not a word written short ("vs" / "versus", "e" /
    "electronic", "US" / "USA", "UK" / "British"), a little word, nor numbers, which ``_series_numbers`` compares."""
    if len(da) != 1 or len(db) != 1:
        return None
    x, y = next(iter(da)), next(iter(db))
    wa, wb = ta.split(), tb.split()
    if len(wa) != len(wb) or sum(u != v for u, v in zip(wa, wb)) != 1:
        return None  # not one word in place of one, the rest in order
    short, other = sorted((x, y), key=len)
    if len(short) > 2 or not short.isalpha() or short in ("a", "s") or len(other) < 2 \
            or (other[0] == short[0] and len(other) > len(short)):
        return None
    if len(short) == 2 and len(other) == 3 and OSA.distance(short, other) <= 2:
        return None  # two abbreviations alike in letters: compared as written (``abbreviation_contrast``)
    countries = {_COUNTRY_SHORT.get(c, c) for c in _COUNTRIES_OF.get(other, ())} | _COUNTRIES_OF.get(other, set())
    if short in _STOPWORDS or short in _LITTLE_WORDS or short in countries or _COUNTRY_SHORT.get(other) == short:
        return None
    if _numeral(short) and _numeral(other):
        return None
    return "'{}' and '{}'".format(*(w.upper() if len(w) <= 3 else w for w in (x, y)))


def _other_organ(adjective: str, part: str) -> bool:
    """Whether an organ's adjective and a body part name two organs ("cardiac" / "hip"), not one ("cardiac" /
    "heart")."""
    return adjective in _ORGAN_OF and part in _BODY_PARTS and part not in _ORGAN_OF[adjective]


def _other_country(people: str, country: str) -> bool:
    """Whether a people and a country name two countries ("Australian" / "UK": a trial's two arms), not one
    ("British" / "UK", "Kenyan" / "Kenya")."""
    return (people in _PEOPLES and country in _COUNTRIES and country not in _COUNTRIES_OF.get(people, ())
            and people[:3] != country[:3])


def _spelt_out(acronym: str, title: str) -> bool:
    """Whether a title's last words spell an acronym by their first letters, little words between them skipped
    ("... of patient reported outcomes" spells "pro"): "<title> (PRO)" ends in its own acronym, not a debate's side."""
    words = [w for w in title.split() if w not in _STOPWORDS]
    return len(words) >= len(acronym) and "".join(w[0] for w in words[-len(acronym):]) == acronym


def title_contrast(ta: str, tb: str, *, one_sided: bool = True) -> str | None:
    """The words that make two near-identical titles different studies, or None. ``one_sided``:
    also a word such as "protocol" or "pilot" in one title only (off where the records' place
    already says they are one paper and a title may have lost its subtitle)."""
    if one_sided:
        ta, tb = _JOINED.sub(r"\1\2", ta), _JOINED.sub(r"\1\2", tb)
    a, b = Counter(ta.split()), Counter(tb.split())  # counted: "with diabetes ... with covid" vs "without"
    da, db = set(a - b), set(b - a)
    # read in the titles' order, not the sets': one pair of records gives one reason whatever the run
    la, lb = list(a - b), list(b - a)
    swapped = _numbers_swapped(ta, tb)
    if swapped:  # the same numbers in another order: Gleason "3+4" / "4+3" (a database never reorders them)
        return swapped
    other = db if "A" in da else da
    if ("A" in da) != ("A" in db) and "a" not in other:
        # a kind's letter on one side ("hepatitis A" / "hepatitis"): ``_designation_kept``; "a" in its place is the
        # title in Title Case or capitals, where the letter is not told from the article
        if len(other) != 1:
            return "'A' and no letter in its place"
        y = next(iter(other))
        return f"'A' and '{y.upper() if len(y) == 1 else y}'"
    numeral = _kinds_numeral_alone(ta, tb, da, db)
    if numeral:  # "factor V Leiden" / "factor Leiden": another kind, not a word a copy loses
        return f"'{numeral}' and no letter in its place"
    named = _letter_name_swapped(ta, tb, da, db)
    if named:  # "Generation R" / "Generation XXI": two cohorts, a name too short to count as a word in place
        return named
    if bool(da) != bool(db) and (countries := _other_countries(ta, tb)):
        return countries  # a word added that names another country: "Korea" / "North Korea", "Sudan" / "South Sudan"
    if not one_sided and not (da and db):
        return None  # nothing in place of anything: no word or design for another
    ga, gb = title_designs(ta), title_designs(tb)
    if one_sided:
        for x in la:  # alike in letters, opposite in meaning: not a typo ("qualitative" / "quantitative")
            for y in lb:
                if frozenset((x, y)) in _ALIKE_OPPOSITES or frozenset((x, y)) in _ALIKE_OTHERS:
                    return f"'{x}' and '{y}'"
        # a word mistyped on one side ("randomzied", "pilto") is not a word on one side only
        fixed = {y: x for y in lb for x in la if _misspelt(x, y)}
        if fixed:
            tb_fixed = " ".join(fixed.get(w, w) for w in tb.split())
            b_fixed = Counter(tb_fixed.split())
            da1, db1, gb1 = set(a - b_fixed), set(b_fixed - a), title_designs(tb_fixed)
        else:
            da1, db1, gb1 = da, db, gb
        short, whole = sorted((ta, tb), key=len)
        rest = whole[len(short) + 1:] if whole.startswith(short + " ") else ""
        if _DEBATE_SIDE.match(rest) and not _spelt_out(rest, short):
            return f"one title ends in '{rest}' (a debate's side?)"
        phrase = _COMPANION_PHRASES.search(rest)
        companion = phrase.group() if phrase else next((w for w in rest.split() if w in _COMPANION_TAIL), None)
        if companion:
            return f"'{companion}' in one title only"
        for w in _ONE_SIDED:
            if (w in da1) != (w in db1) and not (w == "non" and _prefix_joined(w, ta if w in da1 else tb,
                                                                             tb if w in da1 else ta)):
                return "one title is a protocol's" if w == "protocol" else f"'{w}' in one title only"
        if ga != gb1 and not ((ga - gb1) and (gb1 - ga)):
            return f"'{min((ga - gb1) or (gb1 - ga))}' in one title only"
    # a design in one title only is another paper, unless the place says one title lost its subtitle;
    # one design for another is another paper wherever it is printed
    if (ga - gb) and (gb - ga):
        return f"'{min(ga - gb)}' and '{min(gb - ga)}'"
    for x in la:
        for y in lb:
            if (frozenset((x, y)) in _CONTRASTS
                    or (any(x in g and y in g for g in _CONTRAST_GROUPS) and x + "s" != y and y + "s" != x)
                    or _other_organ(x, y) or _other_organ(y, x) or _other_country(x, y) or _other_country(y, x)
                    or (len(x) == len(y) == 1 and x.isalpha() and y.isalpha() and x.lower() != y.lower())  # "B" / "C"
                    or (x in _ROMAN_VALUES and y in _ROMAN_VALUES and (_ROMAN.match(x) or _ROMAN.match(y)))  # "V"/"VII"
                    or _other_code(x, y) or _code_suffixed(x, y, da) or _code_suffixed(y, x, db)):
                if len(x) == len(y) == 1 or (x in _ROMAN_VALUES and y in _ROMAN_VALUES):
                    x, y = x.upper(), y.upper()  # a kind's letter or numeral as titles print it: "'A' and 'B'"
                return f"'{x}' and '{y}'"
            for p, q in _PREFIX_CONTRASTS:
                if _prefix_swapped(x, y, p, q) or _prefix_swapped(y, x, p, q):
                    return f"'{x}' and '{y}'"
    return _other_countries(ta, tb) if da and db else None


#: Countries by their names in a compared title, one name a line: the name first, then the other ways titles write it
#: ("the USA", "the United States", "the U.S." are one country). A name of several words ("New Zealand", "Sri Lanka")
#: is one place, not words ``word_substitution`` can weigh one by one.
_COUNTRY_NAMES = tuple(line.split(",") for line in """\
usa,us,united states,united states of america
uk,united kingdom,great britain,britain,united kingdom of great britain and northern ireland
england
scotland
wales
northern ireland
ireland,republic of ireland,eire
south korea,korea,republic of korea
north korea,democratic people s republic of korea,dpr korea,dprk
china,people s republic of china,pr china,prc,mainland china
hong kong,hong kong sar
macau,macao
taiwan
japan
new zealand,aotearoa
australia
canada
mexico
south africa
saudi arabia,ksa
united arab emirates,uae
sri lanka
sierra leone
burkina faso
costa rica
puerto rico
el salvador
dominican republic
czech republic,czechia
slovakia
netherlands,holland
belgium
germany
france
italy
spain
portugal
greece
turkey,turkiye
iran,islamic republic of iran
iraq
israel
egypt
nigeria
kenya
ethiopia
uganda
tanzania
ghana
brazil
argentina
chile
colombia
peru
sweden
norway
denmark
finland
poland
russia,russian federation
ukraine
hungary
romania
pakistan
bangladesh
nepal
india
thailand
vietnam,viet nam
malaysia
indonesia
philippines
singapore
myanmar,burma
cambodia
laos,lao pdr
mongolia
kazakhstan
afghanistan
jordan
lebanon
syria
qatar
kuwait
oman
bahrain
yemen
morocco
algeria
tunisia
libya
sudan
south sudan
cameroon,cameroun
senegal
mali
niger
benin
togo
gabon
rwanda
burundi
malawi
zambia
zimbabwe
mozambique
botswana
namibia
angola
madagascar
somalia
eritrea
liberia
ivory coast,cote d ivoire
democratic republic of the congo,democratic republic of congo,dr congo,drc,dem rep congo,congo kinshasa
republic of the congo,republic of congo,congo brazzaville,congo
eswatini,swaziland
lesotho
papua new guinea,new guinea
guinea,republic of guinea
equatorial guinea
guinea bissau
fiji
cuba
haiti
jamaica
trinidad and tobago
venezuela
ecuador
bolivia
paraguay
uruguay
guatemala
honduras
nicaragua
panama
iceland
switzerland
austria
luxembourg
estonia
latvia
lithuania
slovenia
croatia
serbia
bosnia and herzegovina
montenegro
albania
north macedonia,macedonia
bulgaria
moldova
belarus
georgia
armenia
azerbaijan
cyprus
malta
uzbekistan
kyrgyzstan
tajikistan
turkmenistan
bhutan
maldives
brunei
east timor,timor leste""".splitlines())
_COUNTRY_OF = {name: names[0] for names in _COUNTRY_NAMES for name in names}
_COUNTRY = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _COUNTRY_OF), key=lambda n: (-len(n), n))) + r")\b")
#: A country's parts, named in place of it ("in England" / "in the UK": one survey)
_COUNTRY_PART_OF = {"england": "uk", "scotland": "uk", "wales": "uk", "northern ireland": "uk", "hong kong": "china",
                    "macau": "china", "puerto rico": "usa"}


@functools.lru_cache(maxsize=65536)
def _countries_named(ntitle: str) -> dict[str, str]:
    """The countries a compared title names, each as first written there by the name it is known by."""
    named: dict[str, str] = {}
    for m in _COUNTRY.finditer(ntitle):
        named.setdefault(_COUNTRY_OF[m.group()], m.group())
    return named


def _other_countries(ta: str, tb: str) -> str | None:
    """The names of two countries, each in one near-identical title only ("... in the UK" / "... in New Zealand",
    "the U.K." / "the United States"), or None: two countries' studies. A country named two ways ("the US" / "the
    United States"), or a part in place of it ("England" / "UK"), is one."""
    ca, cb = _countries_named(ta), _countries_named(tb)
    if not ca or not cb or ca.keys() == cb.keys():
        return None

    def alone(x: str, other: dict[str, str]) -> bool:
        return x not in other and not any(_COUNTRY_PART_OF.get(x) == y or _COUNTRY_PART_OF.get(y) == x for y in other)

    xa = [x for x in ca if alone(x, cb)]
    xb = [y for y in cb if alone(y, ca)]
    return f"'{ca[xa[0]]}' and '{cb[xb[0]]}'" if xa and xb else None


def _numbers_swapped(ta: str, tb: str) -> str | None:
    """The same numbers in another order, each where the other title has one among the same words, or None: Gleason
    "3 plus 4" / "4 plus 3". Not a title whose phrases stand in another order, its numbers with them (two translations
    of one Chinese paper: "120 cases of type 2 diabetes" / "type 2 diabetes: 120 cases")."""
    wa, wb = ta.split(), tb.split()
    na, nb = [w for w in wa if w.isdigit()], [w for w in wb if w.isdigit()]
    if len(na) < 2 or na == nb or sorted(na) != sorted(nb):
        return None
    sa, sb = ["#" if w.isdigit() else w for w in wa], ["#" if w.isdigit() else w for w in wb]
    aligned = [(wa[x + k], wb[y + k]) for x, y, size in difflib.SequenceMatcher(None, sa, sb, autojunk=False)
               .get_matching_blocks() for k in range(size) if sa[x + k] == "#"]
    if len(aligned) < len(na) or all(x == y for x, y in aligned):
        return None
    return f"numbers '{', '.join(na)}' and '{', '.join(nb)}'"


def _prefix_swapped(x: str, y: str, p: str, q: str) -> bool:
    """Whether ``x`` is ``y`` with prefix ``p`` for ``q`` ("hypertension" / "hypotension"), a vowel
    ending one prefix dropped before the stem's own ("hyperoxia" / "hypoxia")."""
    if not (x.startswith(p) and y.startswith(q)):
        return False
    sx, sy = x[len(p):], y[len(q):]
    return sx == sy or (q[-1] in "aeiou" and sx == q[-1] + sy) or (p[-1] in "aeiou" and sy == p[-1] + sx)


_SUBPHASE = re.compile(r"[ivx]{1,4}[a-d]")
_NUMBERED_LETTER = re.compile(r"\d+[a-z]")
#: A mutation in protein notation: the amino acid, its position, the one it becomes ("G12C", "V600E"); or a gene's
#: number and the letter of its form ("IL1a" / "IL1b")
_MUTATION = re.compile(r"([a-z]{1,3})(\d+)([a-z])")


def _other_code(x: str, y: str) -> bool:
    """Whether two words are two codes of one kind: letters and digits alike but for the digits
    ("CD4" / "CD8", "H1N1" / "H3N2", "IL6" / "IL8", wherever they stand in the title, first word
    included), a phase or stage with another letter ("phase Ia" / "Ib", "1a" / "1b"), a mutation to another amino
    acid ("KRAS G12C" / "G12D", "BRAF V600E" / "V600K": 75% alike, which the typo test passes)."""
    if _SUBPHASE.fullmatch(x) and _SUBPHASE.fullmatch(y):
        return True
    if _NUMBERED_LETTER.fullmatch(x) and _NUMBERED_LETTER.fullmatch(y):
        return True
    mx, my = _MUTATION.fullmatch(x), _MUTATION.fullmatch(y)
    if mx and my and mx.group(1, 2) == my.group(1, 2):
        return True  # the words differ, so the last letters do
    if x.isalnum() and y.isalnum() and not x.isdigit() and not y.isdigit() and not x.isalpha() and not y.isalpha():
        return re.sub(r"\d+", "0", x) == re.sub(r"\d+", "0", y)
    return False


def _code_suffixed(x: str, y: str, x_words: set[str]) -> bool:
    """Whether ``y`` is the code ``x`` (ending in a digit) with one or two letters after it: "IL-6" / "IL-6R" (the
    cytokine and its receptor), "IL6" / "IL6R", "phase 1" / "phase 1b". Not a letter the other title writes apart
    ("(18)F" / "18F"), nor the Greek letter it names there ("IL-1β" / "IL-1b", "HIF-1α" / "HIF-1a": a Greek letter
    set in the Symbol font is its Latin letter in the database that lost the font), an ordinal ("1st") nor a plural
    ("MMP9s")."""
    tail = y[len(x):]
    return (bool(x) and x[-1].isdigit() and y.startswith(x) and 1 <= len(tail) <= 2 and tail.isalpha()
            and tail not in x_words and tail not in ("s", "st", "nd", "rd", "th")
            and not any(tail in _GREEK_LATIN.get(w, ()) for w in x_words))


#: Greek letters by name (as ``normalise_title`` writes "β") and the Latin letters that stand for them: the name's
#: first letter, and the key the Symbol font sets it on ("θ" on "q", "ψ" on "y", "ω" on "w")
_GREEK_LATIN = {name: tuple(letters) for name, letters in (
    ("alpha", "a"), ("beta", "b"), ("gamma", "g"), ("delta", "d"), ("epsilon", "e"), ("zeta", "z"), ("eta", "eh"),
    ("theta", "tq"), ("iota", "i"), ("kappa", "k"), ("lambda", "l"), ("mu", "m"), ("nu", "n"), ("xi", "x"),
    ("omicron", "o"), ("pi", "p"), ("rho", "r"), ("sigma", "s"), ("tau", "t"), ("upsilon", "u"), ("phi", "pf"),
    ("chi", "c"), ("psi", "py"), ("omega", "ow"))}


#: Prefixes that turn a word into its opposite ("protected" / "unprotected", "symptomatic" /
#: "asymptomatic", "smokers" / "nonsmokers", "effective" / "ineffective").
_NEGATING_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis", "a", "anti")
#: Word pairs alike in letters yet opposite in meaning, which the typo test below would pass.
_ALIKE_OPPOSITES = frozenset(frozenset(p.split()) for p in (
    "online offline", "inflow outflow", "insiders outsiders", "input output", "northern southern", "eastern western",
    "northeastern southeastern", "northwestern southwestern", "agonist antagonist", "agonists antagonists",
    "import export", "imports exports", "importers exporters", "qualitative quantitative", "afferent efferent",
    "hydrophilic hydrophobic", "grandmother grandfather", "grandmothers grandfathers", "endothelial epithelial",
    "endothelium epithelium"))
#: Countries, provinces or cities (and their peoples) whose names are alike in letters, or one the other's start, which
#: the typo and cut-word tests would pass: two places' surveys ("... among adults in Iran" / "... in Iraq", "Zambia" /
#: "Namibia", "Hunan" / "Henan"), compared as ``_ALIKE_OPPOSITES`` are. Places whose names are not alike need no list:
#: one in place of another is a word put in place of another (``word_substitution``).
_ALIKE_PLACES = frozenset(frozenset(p.split()) for p in (
    "iran iraq", "niger nigeria", "gambia zambia", "slovakia slovenia", "mali malawi", "austria australia",
    "guinea guyana", "iceland ireland", "paraguay uruguay", "mauritania mauritius", "austrian australian",
    "iranian iraqi", "nigerien nigerian", "slovak slovene", "slovakian slovenian", "zambia namibia", "gambia namibia",
    "brunei burundi", "argentina armenia", "tanzania tasmania", "vietnam vienna", "laos lagos", "india indiana",
    "dominica dominican", "australia austrian", "austria australian", "nigeria nigerien", "hubei hebei", "hunan henan",
    "shanxi shaanxi", "fujian fijian", "serbian syrian", "algerian georgian", "algerian liberian", "nigerian georgian",
    "angolan mongolian", "armenian romanian", "croatian romanian", "omani romanian", "iranian ukrainian",
    "cambodian chadian", "cambodian gambian", "cambodian zambian", "chadian hainan", "haitian hainan",
    "gambian zambian", "gambian namibian", "zambian namibian", "malawian malaysian", "malaysia malawian",
    "malian malaysian", "somalia malian", "mauritanian mauritian", "mauritania mauritian", "taiwan italian"))
#: Terms a letter or an ending apart that name another condition, body part, movement, substance or insurer
#: ("dysphagia" / "dysphasia": swallowing and speech after a stroke, "Medicare" / "Medicaid"), which the typo test
#: would pass; compared as ``_ALIKE_PLACES`` are. Not "prostate" / "prostrate": "prostrate cancer" is a misspelling.
_ALIKE_TERMS = frozenset(frozenset(p.split()) for p in (
    "dysphagia dysphasia", "dysphagic dysphasic", "aphagia aphasia", "arthritis arteritis", "pneumonia pneumonitis",
    "perineal peroneal", "urethral ureteral", "urethra ureter", "abduction adduction", "abductor adductor",
    "abductors adductors", "ileum ilium", "ileus ileum", "palpation palpitation",
    "palpation palpitations", "medicare medicaid", "cortisol cortisone", "insulin inulin", "ethanol methanol"))
_ALIKE_OTHERS = _ALIKE_PLACES | _ALIKE_TERMS
#: Two words this alike (``fuzz.ratio``) are one word mistyped or spelled two ways ("labour" /
#: "labor", "effusions" / "effusing", "study" / "studying").
_TYPO_MIN = 75.0


def _typo(x: str, y: str) -> bool:
    """Whether two words are one mistyped or spelled two ways. A three-letter word changed in one
    letter is a typo only where a vowel took a vowel's place ("men" / "man"): "HIV" / "HPV" /
    "HCV" are three viruses. Chinese and Japanese write a phrase without spaces, and a character
    in place of another is another word ("大鼠" / "小鼠", rats / mice), not a typo."""
    if not (x.isascii() and y.isascii()) and (_CJK.search(x) or _CJK.search(y)):
        return False
    if len(x) <= 3 and len(y) <= 3:
        if len(x) != len(y):
            return False
        diff = [k for k in range(len(x)) if x[k] != y[k]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:  # two letters swapped: "sxe" / "sex"
            return x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
        return len(diff) == 1 and x[diff[0]] in "aeiouy" and y[diff[0]] in "aeiouy"
    return fuzz.ratio(x, y) >= _TYPO_MIN


# Han characters and Japanese kana: scripts written without spaces between words
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


#: Stems that end the international names of drugs of one class ("sitagliptin" / "saxagliptin", "dasatinib" /
#: "lapatinib"): two names of one stem are two drugs, however few letters apart. Stems a British and an American name
#: share ("frusemide" / "furosemide", "lignocaine" / "lidocaine") are left out.
_DRUG_STEMS = ("gliptin", "gliflozin", "glutide", "glitazone", "mab", "tinib", "ciclib", "parib", "lisib", "zomib",
               "sartan", "pril", "olol", "dipine", "statin", "floxacin", "prazole", "conazole", "vir", "cillin",
               "cycline", "oxetine", "triptan", "setron", "lukast", "afil", "tidine", "platin", "taxel", "rubicin",
               "parin", "xaban", "gatran", "grel", "lutamide", "dronate", "azepam", "azolam", "profen", "coxib")


#: Drugs and supplements often trialled whose names end in no class's stem ("metformin" / "liraglutide", "vitamin D" /
#: "calcium"): one in place of another names another treatment; each is a class of its own
_STEMLESS_DRUGS = frozenset("metformin insulin aspirin warfarin heparin paracetamol acetaminophen morphine ketamine "
                            "methotrexate tamoxifen lithium melatonin calcium vitamin magnesium folate "
                            "selenium".split())


@functools.lru_cache(maxsize=1 << 16)
def _drug_stem(word: str) -> str | None:
    """The stem (``_DRUG_STEMS``) a drug's name ends in, with a name of its own before it, or the name itself of a
    drug without one (``_STEMLESS_DRUGS``), or None. Kept per word: one author's abstracts on a supplement's page ask
    it of every word of their titles, pair by pair."""
    if word in _STEMLESS_DRUGS:
        return word
    return next((s for s in _DRUG_STEMS if word.endswith(s) and len(word) - len(s) >= 3), None)


def _other_drug(x: str, y: str, *, one_class: bool = True) -> bool:
    """Whether two words are two drugs: names ending in one stem (``_DRUG_STEMS``), more than one letter apart (one
    letter wrong, missing or swapped is a typo); not ``one_class``: in two stems too ("sitagliptin" /
    "dapagliflozin")."""
    if x == y or min(len(x), len(y)) < 6 or OSA.distance(x, y) < 2:
        return False
    sx, sy = _drug_stem(x), _drug_stem(y)
    return bool(sx and sy and (sx == sy or not one_class))


#: Letters a spelling changes inside a word, British and American ("sulphonylurea" / "sulfonylurea", "anaesthetised" /
#: "anesthetized", "analogues" / "analogs", "kilogrammes"), or a scan misreads ("treatrnent"): not another
#: word. Both words are written one way before they are compared.
_SPELT_INSIDE = tuple((re.compile(a), b) for a, b in (
    ("ogue", "og"), ("mme", "m"), ("ae|oe", "e"), ("ph", "f"), ("z", "s"), ("rn", "m")))


def _spelt_one_way(word: str) -> str:
    for pattern, to in _SPELT_INSIDE:
        word = pattern.sub(to, word)
    return word


def _changed_inside(x: str, y: str) -> bool:
    """Whether two words alike in letters, ending alike, differ inside by two letters or more: another word of one
    stem ("myelitis" / "myositis", "carcinoma" / "sarcoma", "parents" / "patients", "bronchitis" / "bronchiolitis"),
    which ``_typo`` passes. A typo changes one letter or swaps two; a spelling or an inflection changes the end
    ("labour" / "labor", "studies" / "study")."""
    if min(len(x), len(y)) < 5:
        return False
    p = len(os.path.commonprefix([x, y]))
    s = len(os.path.commonprefix([x[p:][::-1], y[p:][::-1]]))
    mx, my = x[p:len(x) - s], y[p:len(y) - s]
    return (s >= 1 and max(len(mx), len(my)) >= 2 and sorted(mx) != sorted(my)
            and _spelt_one_way(x) != _spelt_one_way(y) and OSA.distance(x, y) >= 2)


def _one_script(ta: str, tb: str) -> tuple[str, str]:
    """Two titles compared for a translation: where one title is in another script than the other
    ("基于 tlr4 nf kappa b 信号通路 ..." beside its English title), only its Latin words, the
    names, codes and numbers the two share."""
    if ta.isascii() == tb.isascii():
        return ta, tb
    if ta.isascii():
        return ta, " ".join(w for w in tb.split() if w.isascii())
    return " ".join(w for w in ta.split() if w.isascii()), tb


def _misspelt(x: str, y: str) -> bool:
    """Whether one word is the other with one letter wrong, missing, added or two letters swapped
    (two in words of eight letters or more): "randomzied", "pilto", "trail". Stricter than
    ``_typo``: "final" and "trial" are two words."""
    n = min(len(x), len(y))
    return n >= 4 and OSA.distance(x, y) <= (2 if n >= 8 else 1)


def _prefixed(x: str, y: str) -> bool:
    """Whether one word is the other with two letters or more put in front ("outpatients",
    "prediabetes", "bilateral" / "unilateral", "telehealth"), which makes another word; one letter
    in front, or another first letter ("haemorrhage" / "hemorrhage"), is a spelling ("oedema" /
    "edema")."""
    if len(x) < len(y):
        x, y = y, x
    if len(y) >= 4 and len(x) - len(y) >= 2 and x.endswith(y):
        return True
    # one prefix in place of another: "unilateral" / "bilateral", "monotherapy" / "polytherapy"
    k = 0
    while k < min(len(x), len(y)) and x[-1 - k] == y[-1 - k]:
        k += 1
    hx, hy = x[:len(x) - k], y[:len(y) - k]
    return k >= 5 and bool(hx) and bool(hy) and hx[0] != hy[0] and len(hx) + len(hy) >= 3


def _glued_typo(x: str, y: str, words: list[str]) -> bool:
    """Whether the longer of two words is the shorter with a word of the title put in front, the
    space between them mistyped ("depressionxanxiety" for "depression anxiety")."""
    if len(x) < len(y):
        x, y = y, x
    head = x[:len(x) - len(y)]
    return x.endswith(y) and len(head) >= 3 and head[:-1] in words


def word_substitution(ta: str, tb: str) -> str | None:
    """A word of one title put in place of a word of the other, or None. Near-identical titles that
    differ by a whole word ("depression" / "anxiety", "HIV" / "HPV", "daily" / "weekly", "protected"
    / "unprotected") name two studies as often as one, where the titles are the only evidence; a
    typo, a spelling, a cut word or words written joined or apart ("health care" / "healthcare",
    "fran ais" / "francais") is not a substitution."""
    ta, tb = _JOINED.sub(r"\1\2", ta), _JOINED.sub(r"\1\2", tb)
    wa, wb = ta.split(), tb.split()
    a, b = Counter(wa), Counter(wb)
    da, db = sorted(a - b), sorted(b - a)
    if not da or not db:
        return None
    for x in da:
        for y in db:
            if frozenset((x, y)) in _ALIKE_OPPOSITES or frozenset((x, y)) in _ALIKE_OTHERS:
                return f"'{x}' and '{y}'"
            for n in _NEGATING_PREFIXES:
                if min(len(x), len(y)) >= 4 and (x == n + y or y == n + x) \
                        and not _written_apart(n, min(x, y, key=len), tb if x == n + y else ta):
                    return f"'{x}' and '{y}'"

    def joined(words: list[str]) -> set[str]:
        return {"".join(words[i:i + k]) for k in (2, 3, 4) for i in range(len(words) - k + 1)}

    def unexplained(mine: list[str], theirs: list[str], their_words: list[str]) -> list[str]:
        glued = joined(their_words)
        out = []
        for x in mine:
            if len(x) < 3 or not x.isalpha() or x in _STOPWORDS or x in glued:
                continue
            if any(_prefixed(x, y) and not _glued_typo(x, y, their_words) for y in theirs):
                out.append(x)  # "patients" / "outpatients", "diabetes" / "prediabetes": not a typo
                continue
            if any(_other_drug(x, y) for y in theirs):
                out.append(x)  # "sitagliptin" / "saxagliptin": two drugs of one class, not a typo
                continue
            if any((_typo(x, y) and not _changed_inside(x, y)) or (min(len(x), len(y)) >= 3 and (
                    x.startswith(y) or y.startswith(x) or x.endswith(y) or y.endswith(x))) for y in theirs):
                continue
            out.append(x)
        return out

    def acronym(x: str, their_words: list[str], theirs: list[str]) -> bool:
        # "MSM" / "men who have sex with men", "HIV" / "human immunodeficiency virus"
        initials = "".join(w[0] for w in their_words if w in theirs)
        return (2 <= len(x) <= 8 and x.isalpha() and len(initials) >= len(x) and x[0] == initials[0]
                and x[-1] == initials[-1] and _in_order(x, initials))

    if any(acronym(x, wb, db) for x in da) or any(acronym(y, wa, da) for y in db):
        return None
    ua, ub = unexplained(da, db, wb), unexplained(db, da, wa)
    if ua and ub:
        return f"'{ua[0]}' and '{ub[0]}'"
    # a code of letters and digits in place of another ("MMP14" / "CLCA1"): two genes, proteins or strains, unless
    # one is the other mistyped, cut, reordered ("99mTc" / "Tc99m") or written apart ("IL1-RN")
    ca = [x for x in da if _is_code(x) and x not in joined(wb)]
    cb = [y for y in db if _is_code(y) and y not in joined(wa)]
    for x in ca:
        for y in cb:
            if not (_typo(x, y) or sorted(x) == sorted(y) or x.startswith(y) or y.startswith(x)
                    or x.endswith(y) or y.endswith(x)):
                return f"'{x}' and '{y}'"
    return None


def _is_code(word: str) -> bool:
    """A word of letters and digits both ("MMP14", "CLCA1", "H1N1"), three characters or more."""
    return len(word) >= 3 and word.isalnum() and not word.isalpha() and not word.isdigit()



def word_insertion(ta: str, tb: str) -> str | None:
    """Words inside one title that the other lacks, with nothing in their place, or None.
    Near-identical long titles with a word added in the middle ("in smokers" / "in never
    smokers", "in infants" / "in preterm infants", "women" / "postmenopausal women", "smokers" / "ex-smokers")
    name another population or arm as often as one
    paper, where the titles are the only evidence. Not counted: words a title ends or starts with
    (a cut or missing subtitle, a series heading), small words ("the", "of"), a possessive "s",
    words written joined or apart ("follow-up" / "followup"), and an acronym of the words just
    before it ("chronic obstructive pulmonary disease (COPD)"). Beside a word in the plural in one title only, only
    another item of a list is counted ("vitamin D and" / "vitamins D and K and": another exposure)."""
    ta, tb = _JOINED.sub(r"\1\2", ta), _JOINED.sub(r"\1\2", tb)
    wa, wb = ta.split(), tb.split()
    if len(wa) == len(wb):
        return None
    if len(wa) < len(wb):
        wa, wb = wb, wa  # wa: the longer title
    plural = bool(Counter(wb) - Counter(wa))
    if plural:  # the shorter title has words of its own: a plain insertion only beside a word in the plural
        wb = _plurals_as_in(wb, wa)
        if wb is None:
            return None
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag != "delete" or a1 == 0 or a2 == len(wa):
            continue  # only words added inside the title, with shared words on both sides
        if plural and "and" not in wa[a1:a2]:
            continue  # beside a plural, only another item of a list ("vitamins D and K") is counted
        before = wa[max(0, a1 - 8):a1]
        for x in wa[a1:a2]:
            if x in _STOPWORDS or x == "s" or x.isdigit():
                continue  # small words; numbers are compared on their own (``_series_numbers``)
            initials = "".join(w[0] for w in before)
            if 2 <= len(x) <= 8 and x.isalpha() and len(x) <= len(initials) and initials.endswith(x[-1]) \
                    and _in_order(x, initials[-2 * len(x):]):
                continue  # "obstructive pulmonary disease copd": the acronym written out before it
            return f"'{x}' in one title only"
    return None


def _plural_pair(x: str, y: str) -> bool:
    """Whether two words are one in the singular and the plural ("vitamin" / "vitamins", "study" / "studies")."""
    short, long_ = sorted((x, y), key=len)
    return long_ in (short + "s", short + "es") or (short.endswith("y") and long_ == short[:-1] + "ies")


def _plurals_as_in(short: list[str], long_: list[str]) -> list[str] | None:
    """The shorter title's words with each of its own words written as the longer title's word it is the singular or
    plural of ("vitamin" as "vitamins"), or None where a word of its own is no such word: a database writes a word in
    the plural, it does not reword the title."""
    spare = Counter(long_) - Counter(short)
    out = []
    for w in short:
        if w not in long_:
            w = next((x for x in sorted(spare) if spare[x] and _plural_pair(w, x)), None)
            if w is None:
                return None
            spare[w] -= 1
        out.append(w)
    return None if Counter(out) - Counter(long_) else out


#: A drug's development code in brackets after its name ("Osimertinib (AZD9291)", "pembrolizumab (MK-3475)")
_DRUG_CODE = re.compile(r"(?<=\w)\s*\(\s*([A-Z]{1,5}[-\s]?\d{2,7}[A-Za-z]?)\s*\)")


def drug_code_added(ta: str, tb: str, raw_a: str, raw_b: str) -> bool:
    """Whether one title is the other with only a drug's code added in brackets after a word ("Osimertinib (AZD9291)
    in ..." / "Osimertinib in ..."): one abstract whose copy names the drug twice, not another drug or arm. Compared
    titles (``ta``, ``tb``) and their stored ones (``raw_a``, ``raw_b``)."""
    wa, wb = Counter(ta.split()), Counter(tb.split())
    for more, less, raw in ((wa, wb, raw_a), (wb, wa, raw_b)):
        extra = more - less
        if extra and not less - more and "(" in raw:
            codes = Counter(w for m in _DRUG_CODE.finditer(raw) for w in _words(m.group(1)).split())
            if codes == extra:
                return True
    return False


_NEGATIONS = frozenset("not no never lack non".split())
#: Words for opposite findings beside ``_CONTRASTS`` and ``_ALIKE_OPPOSITES``, and prefixes that turn a word over
#: ("increases" / "decreases", "overweight" / "underweight").
_OPPOSITE_WORDS = frozenset(frozenset(p.split()) for p in (
    "improves worsens", "improve worsen", "improved worsened", "improvement worsening", "reduces increases",
    "reduce increase", "reduced increased", "reduction increase", "more less", "better worse", "benefit harm",
    "benefits harms", "promotes inhibits", "promote inhibit", "activates inhibits", "protects harms"))
_OPPOSITE_PREFIXES = (("in", "de"), ("over", "under"), ("up", "down"), ("hyper", "hypo"), ("pre", "post"))


#: A negation in words ("lack of effect", "no effect", "absence of effect"): one in each title at one place is one
#: finding reworded
_NEGATION_PHRASE = re.compile(r"\b(?:lack of|absence of|no|not|never)\b ?")


def _negation_reworded(ta: str, tb: str) -> bool:
    """Whether two titles say "no" in other words at one place and are alike but for that ("Lack of effect of X" /
    "No effect of X")."""
    na, nb = _NEGATION_PHRASE.subn("", ta), _NEGATION_PHRASE.subn("", tb)
    return bool(na[1] and nb[1]) and na == nb


def _non_joined(words: Counter, other: Counter) -> bool:
    """Whether a title's own words hold one that "non" is joined to where the other title writes "non" apart
    ("nonpharmacologic" / "non pharmacological")."""
    return "non" in other and any(w.startswith("non") and len(w) > 6 for w in words)


def _opposites(x: str, y: str) -> bool:
    pair = frozenset((x, y))
    if pair in _OPPOSITE_WORDS or pair in _ALIKE_OPPOSITES or pair in _ALIKE_OTHERS or pair in _CONTRASTS:
        return True
    if x.endswith("s") and y.endswith("s") and frozenset((x[:-1], y[:-1])) in _CONTRASTS:
        return True  # "increases" / "decreases"
    if min(len(x), len(y)) >= 4 and any(x == n + y or y == n + x for n in _NEGATING_PREFIXES):
        return True  # "effective" / "ineffective"
    return any(_prefix_swapped(x, y, p, q) or _prefix_swapped(y, x, p, q) for p, q in _OPPOSITE_PREFIXES)


def word_in_place(ta: str, tb: str, *, turned_only: bool = False, added_negation: bool = True) -> str | None:
    """One to three words of one title in place of as many of the other (or a negation added), the rest alike, that
    change what the paper is about, or None: a finding turned over ("increases" / "decreases", "improves" / "does
    not improve", "No effect of ..." / "Effect of ..."), and unless ``turned_only`` (both records give the same
    page range, which confirms a reworded or retranslated title, or one DOI), another drug or population
    ("metformin" / "sitagliptin"). ``added_negation``: also a negation added with nothing in its place (off where the
    same page range confirms a title a database gave another way). At one volume and first page such titles are one
    author's two papers (two short items on one page, a page mistyped), not one paper's copies, which differ only by
    a typo (one letter wrong, missing, added or two swapped), a spelling, punctuation or case (``word_substitution``
    tells these apart)."""
    if _prefix_joined("non", ta, tb):  # "non smokers" / "nonsmokers": one word written apart
        ta = re.sub(r"\bnon (?=\w)", "non", ta)
    elif _prefix_joined("non", tb, ta):
        tb = re.sub(r"\bnon (?=\w)", "non", tb)
    a, b = Counter(ta.split()), Counter(tb.split())
    da, db = a - b, b - a
    if not (da or db) or sum(da.values()) > 3 or sum(db.values()) > 3 or sum((a & b).values()) < 3:
        return None
    # "no effect" / "effect", "non-smokers" / "smokers"; not "non smokers" / "nonsmokers" (one word written apart),
    # nor a negation in other words in each title ("lack of effect" / "no effect", "absence of effect", "non
    # pharmacological" / "nonpharmacologic")
    negated = sorted(w for w in (da | db) if w in _NEGATIONS and (added_negation or (da and db)))
    if negated and _negation_reworded(ta, tb):
        negated = []
    if "non" in negated and (_non_joined(da, db) or _non_joined(db, da)):
        negated.remove("non")
    if negated:
        return f"'{negated[0]}' in one title only"
    if not da or not db:
        return None
    fixed = {y: x for y in db for x in da if min(len(x), len(y)) >= 3 and OSA.distance(x, y) <= 1
             and frozenset((x, y)) not in _ALIKE_OTHERS}
    if fixed:  # one letter mistyped: the same word ("Iran" / "Iraq" are two countries)
        tb = " ".join(fixed.get(w, w) for w in tb.split())
        db = Counter(tb.split()) - a
    turned = next((f"'{x}' and '{y}'" for x in sorted(da) for y in sorted(db) if _opposites(x, y)), None)
    if turned or turned_only:
        return turned and f"{turned} in place of each other"
    swap = word_substitution(ta, tb)
    return f"{swap} in place of each other" if swap else None


_GREEK_NAMES = _CONTRAST_GROUPS[0]


def _greek_lost(ta: str, tb: str, raw_a: str, raw_b: str, *, hyphen_only: bool = False) -> bool:
    """Whether one compared title is the other with its Greek letters lost, as an export whose characters lack them
    gives it: "tnf alpha inhibitors" / "tnf inhibitors", or "tnf negative inhibitors" where the hyphen before the
    letter stayed ("TNF-") and reads as a minus sign, not where the stored title (``raw_a``, ``raw_b``) says
    "negative" ("ER-negative" is not "ERα"). ``hyphen_only``: only the letter lost after the hyphen it leaves, which
    no author writes ("IL-1" may be the author's own name for "IL-1β"'s family)."""
    for x, y, raw in ((ta, tb, raw_b), (tb, ta, raw_a)):
        wx = x.split()
        kept = [w for w in wx if w not in _GREEK_NAMES]
        if len(kept) == len(wx) or not _GREEK_NAMES.isdisjoint(y.split()):
            continue
        signed = {wx[k - 1] for k, w in enumerate(wx) if k and w in _GREEK_NAMES}
        wy = y.split()
        if "negative" not in raw.lower():
            wy = [w for k, w in enumerate(wy) if not (w == "negative" and k and wy[k - 1] in signed)]
        if kept == wy and (not hyphen_only or len(wy) < len(y.split()) or _DANGLING_HYPHEN.search(raw)):
            return True
    return False


#: A hyphen after a name with nothing after it but a space, a mark or the end ("TNF- levels", "anti-TNF-? therapy"):
#: where an export dropped the Greek letter it could not print
_DANGLING_HYPHEN = re.compile(r"(?<=[A-Z0-9])[\-\u2010\u2011](?=\?|\s|$)")


def _greek_lost_pairs(prep: _Prepared) -> dict[tuple[int, int], str]:
    """Pairs of distinct titles (indexes into ``prep.unique_titles``, ``k < l``) that are one title but for Greek
    letters one lost ("tnf alpha levels" / "tnf negative levels" from "TNF- levels", "anti tnf therapy" from
    "anti-TNF- therapy"), which a short title's similarity leaves under the fuzzy threshold; ``_greek_lost`` judges
    each pair of records by their stored titles. Each gives the letters ("'alpha' / 'beta'") where the title
    without its letter is two letters' titles ("TNF- levels" beside "TNF-α levels" and "TNF-β levels"), the lost
    letter either of them; else ""."""
    titles = prep.unique_titles
    lettered: dict[str, list[int]] = defaultdict(list)
    plain: list[tuple[int, str]] = []
    for k, t in enumerate(titles):
        words = t.split()
        if prep.title_generic[k] or len(words) < _MIN_FUZZY_WORDS:
            continue
        if not _GREEK_NAMES.isdisjoint(words):
            lettered[" ".join(w for w in words if w not in _GREEK_NAMES)].append(k)
        else:
            plain.append((k, t))
            if "negative" in words:
                plain.append((k, " ".join(w for w in words if w != "negative")))
    letters = {key: {tuple(w for w in titles[k].split() if w in _GREEK_NAMES) for k in ks}
               for key, ks in lettered.items()}
    told = {key: " / ".join(sorted(f"'{' '.join(x)}'" for x in xs)) if len(xs) > 1 else ""
            for key, xs in letters.items()}
    return {(min(k, l), max(k, l)): told[key] for l, key in plain for k in lettered.get(key, ())}


def _word_added_inside(ta: str, tb: str) -> str | None:
    """``word_insertion`` of two titles at one volume and first page, the sign "+" (read "plus") left out: a database
    loses a sign ("HER2+" / "HER2"), which ``marker_signs`` compares on its own."""
    def unsigned(t: str) -> str:
        return " ".join(w for w in t.split() if w != "plus")

    return word_insertion(unsigned(ta), unsigned(tb))


#: Words that start a tail naming a population, setting or condition ("<title> in children", "... among older
#: adults", "... with obesity", "... in primary care", "... during pregnancy")
_TAIL_HEAD = frozenset("in among amongst with without for at during across within after".split())


def _of_one_kind(x: str, y: str) -> bool:
    """Whether two words are two groups of one kind ("women" / "men", "children" / "adolescents", "knee" / "hip"),
    not one word in the singular and the plural."""
    return x != y and x + "s" != y and y + "s" != x and (
        frozenset((x, y)) in _CONTRASTS or any(x in g and y in g for g in _CONTRAST_GROUPS))


def tail_added(ta: str, tb: str) -> str | None:
    """Words at the end of one title that the other lacks, the rest alike, starting "in", "among", "with" ...: another
    population, setting or condition of one team's study ("<title> in children"), another country ("and Uganda") or
    group of the kind the title ends with ("in women" / "in women and men"), or a subtitle a database left out; only a
    page range or identifier can tell, the titles cannot."""
    wa, wb = ta.split(), tb.split()
    if len(wa) < len(wb):
        wa, wb = wb, wa
    if len(wa) == len(wb) or not wb or wa[0] != wb[0]:
        return None
    tag, a1, a2, b1, b2 = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()[-1]
    if tag != "delete" or a2 != len(wa) or a1 == 0:
        return None
    tail = wa[a1:]
    if tail[0] == "and" and any(w in _COUNTRIES or w in _PEOPLES for w in tail):
        return " ".join(tail)  # "... in Kenya" / "... in Kenya and Uganda": a study of two countries
    if tail[0] == "and" and len(tail) > 1 and _of_one_kind(wa[a1 - 1], tail[1]):
        return " ".join(tail)  # "... in women" / "... in women and men", "total knee" / "total knee and hip"
    if tail[0] not in _TAIL_HEAD:
        return None
    return " ".join(tail) if any(w not in _STOPWORDS and not w.isdigit() for w in tail) else None


#: Words a place's name runs on with after a place ("Washington DC", "New York City", "Georgia, USA"), read from the
#: stored title: no subtitle's mark between the place and them, and the first in capitals
_PLACE_RUN_ON = re.compile(r"^,?\s+[A-Z]")
_PLACE_HEAD = frozenset("in among from across at within throughout".split())
#: The United States' states by their two letters, which a place runs on with after a comma ("St. Louis, MO"); not
#: "DC", a place of its own ("Washington" / "Washington, DC")
_US_STATES = dict(pair.replace("_", " ").split(":") for pair in (
    "al:alabama ak:alaska az:arizona ar:arkansas ca:california co:colorado ct:connecticut de:delaware fl:florida "
    "ga:georgia hi:hawaii id:idaho il:illinois in:indiana ia:iowa ks:kansas ky:kentucky la:louisiana me:maine "
    "md:maryland ma:massachusetts mi:michigan mn:minnesota ms:mississippi mo:missouri mt:montana ne:nebraska "
    "nv:nevada nh:new_hampshire nj:new_jersey nm:new_mexico ny:new_york nc:north_carolina nd:north_dakota oh:ohio "
    "ok:oklahoma or:oregon pa:pennsylvania ri:rhode_island sc:south_carolina sd:south_dakota tn:tennessee tx:texas "
    "ut:utah vt:vermont va:virginia wa:washington wv:west_virginia wi:wisconsin wy:wyoming").split())
#: A place named as a country is ("Georgia", the state and the country): its country after it tells which
_COUNTRY_NAMESAKES = frozenset({"georgia"})


def _where_it_lies(place: list[str], tail: list[str], run_on: str) -> bool:
    """Whether the words a place runs on with only say where it lies, the place the same: its country ("London, UK",
    "Washington, USA", "England, UK"), "SAR" ("Hong Kong SAR") or, after a comma, its state ("St. Louis, MO",
    "Atlanta, GA, USA"). Not a country after a place named as one ("Georgia, USA"), nor a state after its own name
    ("New York, NY": the city)."""
    words = " ".join(tail).replace("united states", "usa").replace("united kingdom", "uk").split()
    after_comma = run_on.lstrip().startswith(",")
    if not all(w in _COUNTRIES or w == "sar" or (after_comma and w in _US_STATES) for w in words):
        return False
    last, last_two = place[-1], " ".join(place[-2:])
    if last in _COUNTRY_NAMESAKES or any(_US_STATES.get(w) in (last, last_two) for w in words):
        return False
    return last not in _COUNTRIES or (words == ["uk"] and last in _COUNTRIES_OF["british"])


def place_extended(ta: str, tb: str, raw_a: str, raw_b: str) -> str | None:
    """The words a place at the end of one compared title runs on with in the other, or None: "... in Washington" /
    "... in Washington DC" (the state and the city), "New York" / "New York City", two places, one holding the other;
    only a page range or identifier can tell them, the titles cannot. The place is a name (in capitals) after "in",
    "among", "from" ...; a subtitle a database left out ("... in Washington: Results") is set off, not run on."""
    wa, wb = ta.split(), tb.split()
    if len(wa) < len(wb):
        wa, wb, raw_a, raw_b = wb, wa, raw_b, raw_a
    tail = wa[len(wb):]
    if not 1 <= len(tail) <= 2 or wa[:len(wb)] != wb or any(w in _STOPWORDS or w.isdigit() for w in tail):
        return None
    if not any(w in _PLACE_HEAD for w in wb[-4:-1]):
        return None  # the shorter title does not end in a place: "in", "among" ... a few words before its end
    # the place's last word as the shorter stored title ends with it (a name), and what follows it in the longer one
    last = wb[-1]
    short_end = re.search(r"(\w[\w'\u2019-]*)\W*$", raw_b)
    at = raw_a.lower().rfind(last)
    if not short_end or not short_end.group(1)[:1].isupper() or at < 0:
        return None
    run_on = raw_a[at + len(last):]
    if not _PLACE_RUN_ON.match(run_on) or _where_it_lies(wb, tail, run_on):
        return None
    return " ".join(tail)


#: The end of a heading set off in front of a title: "Original article: <title>", "Alcohol. <title>", "RCT - <title>"
_HEAD_END = re.compile(r"[:;.?!\u2013\u2014]|\s-+\s")


#: Words in front of a title that name the record's form, a conference listing's heading ("Poster <title>",
#: "ePoster <title>", "Oral presentation <title>", "Meeting abstract <title>"): no other paper.
_FORM_HEAD_WORDS = frozenset("poster posters eposter eposters abstract abstracts oral presentation presentations "
                             "meeting".split())


def words_put_before(ta: str, tb: str, raw_a: str = "", raw_b: str = "") -> str | None:
    """Words in front of one title that the other lacks, the rest alike, or None: "Long-term effects of <title>",
    "Mediators of the <title>", "Sustained <title>" name the follow-up or a secondary paper of the study, by the
    same team, and a database never cuts the start of a title. Not counted: small words ("The <title>"), numbers
    and codes (compared on their own: "Five-year", a poster's "P123"), a heading set off by punctuation in the
    stored title (``raw_a``/``raw_b``): "Original article: <title>", "Alcohol. <title>", and words naming the
    record's form ("Poster <title>", "Abstract <title>": ``_FORM_HEAD_WORDS``)."""
    wa, wb = ta.split(), tb.split()
    raw = raw_a
    if len(wa) < len(wb):
        wa, wb, raw = wb, wa, raw_b
    if not wb or wa[-1] != wb[-1]:
        return None  # the titles end differently: not words put before one of them (nearly every pair)
    ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    if len(ops) < 2 or ops[0][0] != "delete" or ops[1][0] != "equal":
        return None
    head = wa[:ops[0][2]]
    words = [w for w in head if len(w) > 1 and w.isalpha() and w not in _STOPWORDS and w not in _FORM_HEAD_WORDS]
    if not words:
        return None
    cut = _HEAD_END.search(strip_title_notes(raw))
    if cut:
        set_off = _words(strip_title_notes(raw)[:cut.start()]).split()
        if set_off and set_off == head[:len(set_off)]:
            return None  # a heading, or a title whose own first words end in a colon
    return f"'{' '.join(head)}' before one title only"


#: Words that, put before a paper's title, make an item about the paper: "Letter regarding <title>",
#: "Invited commentary on <title>", "Thoughts on <title>", "Synopsis of <title>", "Re <title>", a journal's
#: "Highlights: <title>" or the paper's "Abridged version: <title>" (printed in another journal), its "Infographic:",
#: "Visual abstract:", "Video abstract:" or "Podcast:", its supplementary material ("Supplement to: <title>"), and a
#: correction titled "Amendment to <title>".
_NOTICE_HEAD_WORDS = frozenset(
    "letter letters comment comments commentary commentaries correspondence reply replies response responses "
    "rejoinder rebuttal editorial editorials discussion remarks critique synopsis summary digest thoughts "
    "reflections erratum errata correction corrections corrigendum corrigenda retraction withdrawal removal "
    "concern notice re highlights abridged abridgement abridgment addendum amendment infographic infographics visual "
    "video podcast podcasts supplement supplements supplementary supplemental".split())
#: The same after a title, where punctuation sets them off: "<title> (editorial)", "<title>: reply to
#: comments", "<title> - letter to the editor", "<title> (retraction notice)", "<title> (lay summary)", "<title>
#: (Highlights)", "<title> (Abridged)", "<title> [Infographic]", "<title> (Podcast)", "<title> [Supplement]". Fewer
#: words than in front: a subtitle a database cut ("...: treatment response") is no notice.
_NOTICE_TAIL_WORDS = frozenset(
    "letter letters comment comments commentary correspondence reply replies rejoinder rebuttal editorial "
    "erratum errata correction corrigendum corrigenda retraction withdrawn summary synopsis highlights abridged "
    "abridgement abridgment addendum amendment infographic visual video podcast supplement supplementary "
    "supplemental".split())
_NOTICE_WORDS = _NOTICE_HEAD_WORDS | _NOTICE_TAIL_WORDS
_TAIL = re.compile(r"(?:[:;.(\[\u2013\u2014]|\s-+)([^:;.(\[\u2013\u2014]*?)[\s.)\]]*$")


def notice_words_added(ta: str, tb: str, raw_a: str = "", raw_b: str = "") -> str | None:
    """Words before one title only (or set off after it) that make that record a letter, comment,
    summary, abridged version or notice about the paper the other record is, or None: "Letter regarding <title>",
    "Invited commentary on <title>", "<title> (editorial)". ``ta``/``tb`` are compared titles,
    ``raw_a``/``raw_b`` the titles as stored (their punctuation sets a tail off)."""
    wa, wb = ta.split(), tb.split()
    sa, sb = set(wa), set(wb)
    if _NOTICE_WORDS.isdisjoint(sa ^ sb):
        if len(sa) == len(wa) and len(sb) == len(wb):
            return None  # no such word in one title only (nearly every pair): no need to align them
        # counted, not only as sets: "Reply to: Reply latency ..." holds the reply's "reply" beside the study's own
        ca, cb = Counter(wa), Counter(wb)
        if _NOTICE_WORDS.isdisjoint((ca - cb) + (cb - ca)):
            return None
    ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    if not ops or all(tag == "equal" for tag, *_ in ops):
        return None

    def one_side(xs: list[str], ys: list[str], words: frozenset) -> list[str] | None:
        # notice words in one chunk only, not a typo of a word in the other ("respons" / "response"),
        # nor words written apart that the other writes joined ("re thinking" / "rethinking")
        if "".join(xs) == "".join(ys):
            return None
        hits = [x for x in xs if x in words and not any(x == y or _misspelt(x, y) for y in ys)]
        return xs if hits else None

    tag, a1, a2, b1, b2 = ops[0]
    if tag != "equal" and a1 == 0 and b1 == 0 and (a2 < len(wa) or b2 < len(wb)):
        for xs, ys in ((wa[a1:a2], wb[b1:b2]), (wb[b1:b2], wa[a1:a2])):
            if one_side(xs, ys, _NOTICE_HEAD_WORDS):
                return f"'{' '.join(xs)}' before one title only"
    tag, a1, a2, b1, b2 = ops[-1]
    if tag != "equal" and a2 == len(wa) and b2 == len(wb) and (a1 > 0 or b1 > 0):
        for xs, ys, raw in ((wa[a1:a2], wb[b1:b2], raw_a), (wb[b1:b2], wa[a1:a2], raw_b)):
            if len(xs) <= 5 and one_side(xs, ys, _NOTICE_TAIL_WORDS) and not ys:
                m = _TAIL.search(strip_title_notes(raw))
                if m and _words(m.group(1)) == " ".join(xs):
                    return f"'{' '.join(xs)}' after one title only"
    return None


# Notes databases put into titles: "[Erratum appears in ...]" (in PubMed's citations "[published correction
# appears in ...]"), "[Review] [23 refs]", "(Provisional abstract)", "[abstract no: 134]", "[Chinese]",
# "[corrected]", Embase's "<ORIGINAL> ..." (the title again in its own language), Web of Science's
# "(Retracted article. See vol. 116, pg. 1201, 2021)".
# They are cut before titles are compared; the title stays as stored.
_TITLE_NOTES = re.compile(
    r"\s*<original>.*$"
    r"|(?<=\])\s+(?-i:LA|TO):\s.*$"  # Ovid's language and original title run into a translated title
    r"|\[\s*(?:erratum|errata|published erratum|published correction|corrigendum|corrigenda|retraction|retracted|"
    r"withdrawn|withdrawal notice|comment|comments|"
    r"see comment|expression of concern|editorial expression of concern|notice of retraction|"
    r"corrected|review|editorial|letter|news|case reports?|meeting abstract|english abstract|abstract|"
    r"\d+\s*refs?\b|(?:article\s+)?(?:in\s+)?(?:" + _LANGUAGES + r")\b)[^\]]*(?:\]|$)"
    r"|\(\s*(?:provisional|structured)\s+abstract\s*\)"
    r"|\(\s*retracted\s+article\b[^)]*\)"  # Web of Science's mark on a retracted article
    r"|\(\s*(?:in\s+)?(?:" + _LANGUAGES + r")(?:\s+(?:text|abstract|translation))?\s*\)\s*$",
    re.I,
)


#: MEDLINE's notes in a title (Ovid exports): "[Review]", "[35 refs]", "[see comments]", "[comment]". A record
#: carrying them comes from MEDLINE, which marks every review and counts its references.
_MEDLINE_NOTE = re.compile(r"\[\s*(review|\d+\s*refs?|see\s+comments?|comments?)\s*\]", re.I)
_REFS = re.compile(r"(\d+)\s*refs?$", re.I)


# A note that makes the record itself a notice about another item: "[Erratum]", "[Corrigendum]",
# "[Erratum for: J X. 2020;12:34]" (PubMed's "[Published correction for: ...]" now), "[Retraction of: ...]",
# "[Comment on: ...]", old MEDLINE's "[comment]", "[letter]" and "[editorial]", "[Expression of concern]", a
# withdrawal notice's "[Withdrawn]".
# Notes that point to another item from the article itself ("[Erratum appears in ...]", "[Erratum in: ...]",
# "[Comment in: ...]", "[see comments]", "[Retraction in: ...]", "[Retracted]", "[corrected]") are harmless, as
# are the rest.
_NOTICE_NOTE = re.compile(
    r"\[\s*(published erratum|published correction|erratum|errata|corrigendum|corrigenda|retraction notice|"
    r"retraction note|retraction|withdrawal notice|withdrawn|"
    r"notice of retraction|editorial expression of concern|expression of concern|commentary|comments|comment|"
    r"letter|editorial comment|editorial)\s*(?:\]|$|[.:;,]|\s+(?:for|of|to|on|from|about|regarding)\b)",
    re.I,
)
_NOTE_KIND = {"published erratum": "correction", "published correction": "correction", "erratum": "correction",
              "errata": "correction", "corrigendum": "correction", "corrigenda": "correction",
              "retraction notice": "retraction", "retraction note": "retraction", "retraction": "retraction",
              "notice of retraction": "retraction", "withdrawal notice": "retraction", "withdrawn": "retraction",
              "editorial expression of concern": "concern", "expression of concern": "concern",
              "commentary": "comment", "comments": "comment", "comment": "comment", "letter": "comment",
              "editorial comment": "comment", "editorial": "comment"}
# The word put at the end of a notice's compared title so that ``_notice_kind`` reads it as a notice
_KIND_WORD = {"correction": "erratum", "retraction": "retraction", "comment": "comment",
              "concern": "expression of concern"}


#: A record's type that makes it a notice about an article: Scopus's "Erratum", PubMed's "Published Erratum" and
#: "Retraction of Publication", Web of Science's "Correction" and "Expression of Concern". Such a notice may carry the
#: article's own title, unmarked. "Retracted Publication" and "Corrected and Republished Article" are the article.
_NOTICE_TYPE = re.compile(r"\b(errat(?:um|a)|correction|corrigend(?:um|a)|retraction|expression of concern)\b", re.I)
_NOTICE_TYPE_KIND = {"erratum": "correction", "errata": "correction", "correction": "correction",
                     "corrigendum": "correction", "corrigenda": "correction", "retraction": "retraction",
                     "expression of concern": "concern"}


def notice_type(kind: str | None) -> str | None:
    """What a record's type says it is ("correction", "retraction", "concern"), or None."""
    m = _NOTICE_TYPE.search(kind) if kind else None
    return _NOTICE_TYPE_KIND[m.group(1).lower()] if m else None


def notice_note(title: str | None) -> str | None:
    """What a database's note in a title says the record is ("correction", "retraction",
    "comment", "concern"), or None: "<title> [Erratum]" and "<title> [Retraction of: J X
    2020;12:34]" are notices about the article "<title>", not the article."""
    if not title or "[" not in str(title):
        return None
    m = _NOTICE_NOTE.search(str(title))
    return _NOTE_KIND[m.group(1).lower()] if m else None


#: A season or academic year written short ("2018/19", "2018-19"): the second year is the next one.
_YEAR_RANGE = re.compile(r"\b((?:19|20)(\d\d))(\s*[-/\u2013\u2014]\s*)(\d\d)\b")


def _full_year_range(m: re.Match) -> str:
    first, second = m.group(2), m.group(4)
    if int(second) != (int(first) + 1) % 100:
        return m.group(0)  # "Directive 2013/37", "2015-20": not written short for the next year
    return f"{m.group(1)}{m.group(3)}{int(m.group(1)) + 1}"


#: A conference listing's heading before an abstract's title, set off by a colon or a dash, with the abstract's
#: number or not: "Poster: <title>", "Oral presentation: <title>", "Poster presentation P-123: <title>", "ePoster -
#: <title>", "Meeting abstract: <title>". The form is the first group matched ("oral", "poster"; none for a plain
#: "Abstract"). After a bare "Oral"/"Poster" the number is digits or the form's own code ("O-12", "OP3", "P-123",
#: "EP-45"): "Oral B12: <title>", "Oral GLP-1: <title>" are articles on a drug or vitamin taken by mouth.
_FORM_NUMBER = r"-?\d+(?:[.-]\d+)*[a-z]?"
_FORM_HEAD = re.compile(rf"^\s*(?:(e-?poster|poster|oral)\s+(?:presentation|abstract|communication)"
                        rf"(?:\s+(?:no\.?\s*)?[a-z]{{0,3}}{_FORM_NUMBER})?"  # its number: "P-123", "no. 45"
                        rf"|(e-?poster|poster)(?:\s+(?:no\.?\s*)?(?:(?:e-?)?p[opst]?)?{_FORM_NUMBER})?"
                        rf"|(oral)(?:\s+(?:no\.?\s*)?(?:o[acprs]?)?{_FORM_NUMBER})?"
                        rf"|(?:(?:meeting|conference)\s+)?abstract(?:\s+(?:no\.?\s*)?[a-z]{{0,3}}{_FORM_NUMBER})?)"
                        r"\s*(?::|\s[-\u2013\u2014]+\s)\s*(?=\S)", re.I)


#: The same form in brackets after the title: "<title> (Poster)", "<title> [Poster presentation]", "<title> (Oral
#: presentation)".
_FORM_TAIL = re.compile(r"\s*[\[(]\s*(e-?poster|poster|oral)(?:\s+(?:presentation|abstract|communication))?\s*[\])]"
                        r"\s*\.?\s*$", re.I)


def form_head(title: str | None) -> tuple[str, str] | None:
    """The form a conference listing's heading gives an abstract ("oral", "poster" or "abstract") and the title
    after the heading (or before the same form in brackets: "<title> (Poster)"), or None: the heading is no part of
    the title the abstract has in another database. A title left under four words keeps its heading ("Poster
    presentations: a review")."""
    if not title:
        return None
    if title.rstrip()[-1:] in ")]":
        m = _FORM_TAIL.search(title)
        if m and len(normalise_title(title[:m.start()]).split()) >= _MIN_FUZZY_WORDS:
            return ("poster" if m.group(1).lower().endswith("poster") else "oral"), title[:m.start()]
    if title.lstrip()[:1] not in "AaEeMmOoPpCc":
        return None
    m = _FORM_HEAD.match(title)
    if not m or len(normalise_title(title[m.end():]).split()) < _MIN_FUZZY_WORDS:
        return None
    form = next((g for g in m.groups() if g), "abstract").lower()
    return ("poster" if form.endswith("poster") else form), title[m.end():]


#: A preprint marked as one in its title, before it or after it: "Preprint: <title>", "<title> [Preprint]" (a search
#: engine's or a reference manager's copy that names no server). Not "Preprints: ..." nor "Preprint servers ...".
_PREPRINT_MARK = re.compile(r"^\s*[\[(]?\s*pre-?print\s*[\])]?\s*(?::|\s[-\u2013\u2014]+\s)\s*(?=\S)"
                            r"|\s*[\[(]\s*pre-?print\s*[\])]\s*\.?\s*$", re.I)


def preprint_mark(title: str | None) -> str | None:
    """The title without its preprint mark ("Preprint: <title>", "<title> [Preprint]"), or None when it has none.
    A title left under four words keeps its mark."""
    if not title or "rint" not in title.lower():
        return None
    cut = _PREPRINT_MARK.sub("", title, count=1)
    if cut == title or len(normalise_title(cut).split()) < _MIN_FUZZY_WORDS:
        return None
    return cut


#: An item about a paper marked after its title ("<title> (Infographic)", "<title> [visual abstract]", "<title> -
#: Podcast", "<title>. Infographic", "<title> (lay summary)", "<title> (Addendum)"): compared as the same item marked
#: before it ("Infographic: <title>"), so that its two notations meet while both stay apart from the paper
#: (``notice_words_added``).
_ITEM_WORDS = (r"infographics?|(?:visual|video)\s+abstract|podcasts?|supplement|supplementary\s+material|highlights"
               r"|(?:lay|plain\s+language)\s+summary|commentary|editorial|correction|errat(?:um|a)"
               r"|corrigend(?:um|a)|addend(?:um|a)")
_ITEM_TAIL = re.compile(rf"\s*(?:[\[(]\s*({_ITEM_WORDS})\s*[\])]"
                        rf"|(?:[:.]|\s[-\u2013\u2014]+)\s*({_ITEM_WORDS}))\s*\.?\s*$", re.I)
_ITEM_HINT = ("graphic", "abstract", "podcast", "suppl", "highlight", "summary", "commentary", "editorial",
              "correction", "errat", "corrigend", "addend")


def item_mark_first(title: str) -> str:
    """The title with an item's mark set after it put in front: "<title> (Infographic)" as "Infographic: <title>".
    A title left under four words keeps its mark where it is."""
    low = title[-40:].lower() if title else ""
    m = _ITEM_TAIL.search(title) if any(w in low for w in _ITEM_HINT) else None
    if not m or len(normalise_title(title[:m.start()]).split()) < _MIN_FUZZY_WORDS:
        return title
    return f"{m.group(1) or m.group(2)}: {title[:m.start()]}"


#: A British word read the American way ("paediatric oesophageal tumour behaviour" / "pediatric esophageal tumor
#: behavior"): a short title is matched exactly, and several such words in one title keep it under the fuzzy
#: threshold. Whole words, each one word in both spellings (no rule: "filling" is not "filing", "Israel" stays).
_AMERICAN = {**SPELLING_WORDS, **{
    "paediatric": "pediatric", "paediatrics": "pediatrics", "paediatrician": "pediatrician",
    "paediatricians": "pediatricians", "orthopaedic": "orthopedic", "orthopaedics": "orthopedics",
    "gynaecology": "gynecology", "gynaecological": "gynecological", "gynaecologic": "gynecologic",
    "anaemia": "anemia", "anaemic": "anemic", "leukaemia": "leukemia", "leukaemias": "leukemias",
    "haemorrhage": "hemorrhage", "haemorrhages": "hemorrhages", "haemorrhagic": "hemorrhagic",
    "haemoglobin": "hemoglobin", "haematology": "hematology", "haematological": "hematological",
    "haematologic": "hematologic", "haematoma": "hematoma", "haemodialysis": "hemodialysis",
    "haemodynamic": "hemodynamic", "haemodynamics": "hemodynamics", "haemophilia": "hemophilia",
    "haemostasis": "hemostasis", "hyperglycaemia": "hyperglycemia", "hypoglycaemia": "hypoglycemia",
    "glycaemic": "glycemic", "septicaemia": "septicemia", "ischaemia": "ischemia", "ischaemic": "ischemic",
    "oedema": "edema", "oesophageal": "esophageal", "oesophagus": "esophagus", "oesophagitis": "esophagitis",
    "oestrogen": "estrogen", "oestrogens": "estrogens", "oestradiol": "estradiol", "foetal": "fetal",
    "foetus": "fetus", "diarrhoea": "diarrhea", "dyspnoea": "dyspnea", "apnoea": "apnea", "caesarean": "cesarean",
    "anaesthesia": "anesthesia", "anaesthetic": "anesthetic", "anaesthetics": "anesthetics",
    "anaesthetist": "anesthetist", "aetiology": "etiology", "faecal": "fecal", "coeliac": "celiac", "tumour": "tumor",
    "tumours": "tumors", "behaviour": "behavior", "behaviours": "behaviors", "behavioural": "behavioral",
    "colour": "color", "labour": "labor", "randomised": "randomized", "randomisation": "randomization",
    "organisation": "organization", "organisations": "organizations", "organisational": "organizational",
    "hospitalisation": "hospitalization", "hospitalisations": "hospitalizations", "hospitalised": "hospitalized",
    "optimisation": "optimization", "optimising": "optimizing", "optimise": "optimize", "optimised": "optimized",
    "standardised": "standardized", "utilisation": "utilization", "immunisation": "immunization",
    "immunisations": "immunizations", "recognised": "recognized", "generalised": "generalized",
    "localised": "localized", "specialised": "specialized", "analysed": "analyzed", "analyse": "analyze",
    "analysing": "analyzing",
}}
# after "non" written joined ("nonrandomised"), as "non-randomised" is read "non randomized" (``_prefix_joined``)
_AMERICAN.update({"non" + uk: "non" + us for uk, us in list(_AMERICAN.items())})
_BRITISH = frozenset(_AMERICAN)


def _words(text: str) -> str:
    """A title, or a part of one, normalised as ``title_key`` compares it: an '&' between words as 'and', a marker's
    sign written one way (``signs_alike``), a British word spelled the American way (``_AMERICAN``)."""
    key = normalise_title(signs_alike(ampersand_as_and(text)))
    words = key.split()
    if _BRITISH.isdisjoint(words):
        return key
    return " ".join(_AMERICAN.get(w, w) for w in words)


#: A Greek letter a gene's or protein's name carries, spelled out or cut to its Latin letter, joined to the name or
#: after a hyphen ("TNFa", "TNF-a", "TNFalpha", "IL-1b", "NF-kB", "NF-kappaB", "TGF-b1", "PPARg"), where another
#: database prints the letter ("TNF-α", "IL-1β", "NF-κB"). The name is in capitals (digits may end it: "IL-1",
#: "HIF-1a"), the Latin letter in small letters with no small letter after it: "a" alone is a word, "HbA1c", "IgA",
#: "HLA-B", "NSAIDs" carry no Greek letter.
_GREEK_CUT = re.compile(r"(?<!\w)([A-Z][A-Z0-9]*[A-Z](?:[\-\u2010\u2011]?\d+)?)([\-\u2010\u2011]?)"
                        r"([Aa]lpha|[Bb]eta|[Gg]amma|[Dd]elta|[Kk]appa|[abgdk])(?![a-z])")
_GREEK_LETTER = {"a": "alpha", "b": "beta", "g": "gamma", "d": "delta", "k": "kappa"}
_ROMAN_NAME = re.compile(r"[IVX]+")
#: Words the article "a" goes before after a dash written as a hyphen ("COVID-19-a systematic review")
_AFTER_ARTICLE = re.compile(r"\s+(?:systematic|review|new|novel|case|pilot|randomi[sz]ed|prospective|retrospective|"
                            r"qualitative|cross|meta|multi\w*|single|comparative|cohort|study|call|survey|report|"
                            r"narrative|scoping|literature|nationwide|population)\b", re.I)


def _greek_letter(m: re.Match) -> str:
    """The name and its Greek letter set apart ("TNF alpha"), or the match as written where the letter is not one:
    the article "a" after a dash, "PCa" or "BCa" (a cancer), "MAb" (an antibody), a Roman numeral's ("stage IIIa",
    "factor XIa": another database writes "IIIA", "3a")."""
    name, hyphen, letter = m.groups()
    if _ROMAN_NAME.fullmatch(name):
        return m.group(0)
    if len(letter) == 1:
        if letter == "a" and (_AFTER_ARTICLE.match(m.string, m.end()) or (not hyphen and name.endswith("C"))):
            return m.group(0)
        if letter == "b" and not hyphen and name.endswith("A"):
            return m.group(0)
        letter = _GREEK_LETTER[letter]
    return f"{name} {letter.lower()} "


def greek_spelled(title: str) -> str:
    """The title with a Greek letter written in Latin letters after a name ("TNFa", "IL-1beta", "NF-kB", "TNFA") as
    the letter's name set apart ("TNF alpha ", "IL-1 beta ", "NF kappa B"), as ``normalise_title`` reads "TNF-α": one
    title in two notations is one. A receptor's Latin letter is written one way ("GABAa" as "GABAA")."""
    if not title:
        return title
    return _GREEK_CUT.sub(_greek_letter, _greek_capital(_receptor_letter(title)))


#: A gene's symbol as HGNC writes it, its Greek letter a capital Latin letter ("TNFA", "IL1B", "TGFB1", "HIF1A",
#: "PPARG", "NFKB1"), which another database prints "TNF-α", "IL-1β", "NF-κB1". Only names known to carry a Greek
#: letter: a capital after any other name is a letter of its own ("HLA-B", "DNA", "USA", "GABAA").
_GREEK_CAPITAL = re.compile(r"(?<!\w)(?:(TNF|IL-?1|TGF|HIF-?[123]|PPAR|IFN|RAR|RXR|ROR|LXR|ERR|PKC|GSK-?3|PDGFR"
                            r"|IKK|C/?EBP|HNF-?[14]|PGC-?1)[\-\u2010\u2011]?([ABGD])(\d?)|(NF)-?(K)(B\d?))"
                            r"(?![A-Za-z0-9])")
_GREEK_CAPITAL_HINT = re.compile(r"[A-Z][A-Z0-9]")


def _greek_capital(title: str) -> str:
    """The title with a Greek letter a gene's symbol writes as a capital ("TNFA", "IL1B", "NFKB") written in Latin
    after the name ("TNF-a", "IL1-b", "NF-kB"), as ``_GREEK_CUT`` reads it."""
    if not _GREEK_CAPITAL_HINT.search(title):
        return title
    return _GREEK_CAPITAL.sub(lambda m: f"{m.group(1) or m.group(4)}-{(m.group(2) or m.group(5)).lower()}"
                                        f"{m.group(3) or m.group(6) or ''}", title)


#: A receptor's Latin letter after its ligand's name, joined, after a hyphen or in brackets ("GABAA", "GABAa",
#: "GABA-A", "GABA(A)"), or after a space before "receptor" where a subscript was lost ("GABA A receptor"): the
#: letter A or B of the receptor's type, not a Greek letter
_RECEPTOR_LETTER = re.compile(r"(?<!\w)(GABA)(?:[\-\u2010\u2011]?(?:\(([ABCabc])\)|([ABCabc])(?![a-z]))"
                              r"|\s([ABC])(?=[\s\-]*(?:[Rr]eceptor|R\b)))")


def _receptor_letter(title: str) -> str:
    """The title with a receptor's type letter written one way ("GABAa", "GABA-A" and "GABA(A)" as "GABAA"), unless
    the letter is the article after a dash written as a hyphen ("GABA-a systematic review"). The letter stays joined
    to the name: a lone "a" would be read as the article, and "GABAA receptors" joined to "GABA receptors"."""
    if "GABA" not in title:
        return title

    def one_way(m: re.Match) -> str:
        letter = m.group(2) or m.group(3) or m.group(4)
        if letter == "a" and _AFTER_ARTICLE.match(m.string, m.end()):
            return m.group(0)
        return f"{m.group(1)}{letter.upper()}"

    return _RECEPTOR_LETTER.sub(one_way, title)


#: Nouns a kind's letter or numeral follows ("hepatitis A", "factor V", "group B")
_KIND_WORDS = frozenset("vitamin hepatitis influenza type group protein factor serotype serogroup clade part phase "
                        "class subtype strain lineage genotype amyloid complement toxin cyclin coxsackievirus "
                        "immunoglobulin lipoprotein grade stage category".split())
_KIND_NOUNS = r"(?<![\w\-])((?i:" + "|".join(sorted(_KIND_WORDS)) + r")s?)"
#: A capital letter that names a kind after its noun ("hepatitis A", "vitamin A", "influenza A", "group A", "protein
#: A", "serum amyloid A"), in any case of the title ("HEPATITIS A"), not the article before a word it often goes before
#: ("... type a systematic review")
_DESIGNATION = re.compile(_KIND_NOUNS + r"\s+A\b")
#: A kind's letter in a title written all in small letters ("hepatitis a vaccination"), where it reads as the article
_DESIGNATION_SMALL = re.compile(_KIND_NOUNS + r"\s+a\b")
#: What a kind's capital "A" is compared as: a word of its own, not the article "a" nor a word left out of the title
_DESIGNATED_A = "designatedletterA"


def _designation_kept(title: str) -> str:
    """The title with a kind's capital "A" after its noun ("Hepatitis A vaccination") marked: read as the article, the
    letter was left out and the paper joined to one on "hepatitis vaccination" (on title alone) and a study left
    screening. Written "A" in the compared title; "Hepatitis B" and "Hepatitis A" stay two kinds."""
    if " a" in title and title == title.lower():  # "hepatitis a vaccination": the letter as one database writes it
        title = _DESIGNATION_SMALL.sub(lambda m: m.group(0) if _AFTER_ARTICLE.match(m.string, m.end())
                                       else f"{m.group(1)} {_DESIGNATED_A}", title)
    if " A" not in title:
        return title
    title = _DESIGNATION.sub(lambda m: m.group(0) if _AFTER_ARTICLE.match(m.string, m.end())
                             else f"{m.group(1)} {_DESIGNATED_A}", title)
    if " A" not in title or not _sentence_cased(title):
        return title
    return _LONE_CAPITAL_A.sub(lambda m: m.group(0) if _AFTER_ARTICLE.match(m.string, m.end()) else _DESIGNATED_A,
                               title)


#: A capital "A" inside a sentence, after a word (not a colon, dash or bracket where a sentence starts again)
_LONE_CAPITAL_A = re.compile(r"(?<=[A-Za-z0-9)\]]\s)A\b(?!\s*[:.;,?!])")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _sentence_cased(title: str) -> bool:
    """Whether a title writes its words in small letters after the first ("Serum amyloid A levels in ..."), where a
    capital "A" inside a sentence is a letter ("serum amyloid A"), not the article, which it would write "a"."""
    words = _LONG_WORD.findall(title)[1:]
    return len(words) >= 2 and 2 * sum(w[0].islower() for w in words) > len(words)


#: A correction's mark before the title in its several words ("Erratum: <title>", "Corrigendum to: <title>", "Erratum
#: to <title>", "Correction to: <title>"): one correction in two notations is one record. Not "Author correction:",
#: which may be another notice than the publisher's.
_CORRECTION_HEAD = re.compile(r"^\s*(?:errat(?:um|a)|corrigend(?:um|a)|correction)(?:\s+(?:to|for|of|on))?\s*:\s*"
                              r"|^\s*(?:errat(?:um|a)|corrigend(?:um|a))\s+(?:to|for)\s+(?=\S)", re.I)


#: A Roman numeral after a word that numbers a series ("phase IIb", "stage IIIa", "type II"), which another database
#: writes in Arabic numbers ("phase 2b", "stage 3a", "type 2"): one title in two notations
_SERIES_ROMAN = re.compile(r"\b(phase|stage|type|grade|class|part)\s+(i{1,3}|iv|vi{0,3}|ix|x)([a-d]?)\b")


def _series_in_arabic(key: str) -> str:
    """A compared title with a series' Roman numeral written in Arabic ("phase iib" as "phase 2b")."""
    if not any(w in key for w in ("phase", "stage", "type", "grade", "class", "part")):
        return key
    return _SERIES_ROMAN.sub(lambda m: f"{m.group(1)} {_ROMAN_VALUES[m.group(2)]}{m.group(3)}", key)


#: A part of a Chinese series marked in pinyin in brackets at the end of its title or before its subtitle ("... (yi)",
#: "(er)", "(san)": I, II, III), as the English title of a Chinese paper gives it; not an abbreviation in capitals
#: ("(ER)", "(SI)")
_PINYIN_PART = re.compile(r"[(\uff08]\s*(yi|er|san|si|wu|liu|qi|ba|jiu|shi)\s*[)\uff09]"
                          r"(?=\s*(?:$|[:;.\u2013\u2014]|-+\s))", re.I)
_PINYIN_ROMAN = dict(zip("yi er san si wu liu qi ba jiu shi".split(), "I II III IV V VI VII VIII IX X".split()))
#: A next part of a Chinese series marked "(xu)" (pinyin for "continued"), maybe numbered ("(xu 1)"), in a bracket
#: ending its title; not the surname Xu elsewhere, nor "(XU)" in capitals
_PINYIN_CONTINUED = re.compile(r"[(\uff08]\s*(xu|Xu)(\s*\d{1,2})?\s*[)\uff09](?=\W*$)")


def _pinyin_part_roman(title: str) -> str:
    """A title with a part's mark in pinyin written as its Roman numeral ("(er)" as "(II)") or in English ("(xu)" as
    "(continued)"): two parts of one series are told apart as "(I)" / "(II)" are, and one part written both ways is
    one title."""
    if "(" not in title and "\uff08" not in title:
        return title
    title = _PINYIN_CONTINUED.sub(lambda m: f"(continued{m.group(2) or ''})", title)
    return _PINYIN_PART.sub(lambda m: m.group(0) if m.group(1).isupper() else f"({_PINYIN_ROMAN[m.group(1).lower()]})",
                            title)


#: The disease named with its year ("COVID-19", "COVID19", "COVID 2019") or without ("COVID"): one name
_COVID = re.compile(r"\bcovid\s?(?:20)?19\b")


def _covid_as_one(key: str) -> str:
    """A compared title with "covid 19" read as "covid", as another database writes the disease's name."""
    return _COVID.sub("covid", key) if "covid" in key else key


def _correction_word_last(key: str) -> str:
    """A correction's compared title with its mark at the end ("correction <title>" as "<title> erratum"), where a
    note or a type puts it ("<title> [Erratum]", Scopus's "Erratum" type): one erratum in three notations."""
    rest = key[len("correction "):] if key.startswith("correction ") else ""
    return f"{rest} {_KIND_WORD['correction']}" if rest.strip() else key


#: A name's number glued to it or to its Greek letter ("IL1β", "HIF1α", "IL-1beta"), and an interleukin in words
#: ("interleukin-6"), which another database writes "IL-1β", "HIF-1α", "IL-6"
_GREEK_SPELLED = "alpha|beta|gamma|delta|kappa"
_NUMBER_GREEK = re.compile(rf"\b(\d+)({_GREEK_SPELLED})\b")
_NAME_NUMBER_GREEK = re.compile(rf"\b([a-z]{{2,}})(\d+) (?=(?:{_GREEK_SPELLED})\b)")
_INTERLEUKIN = re.compile(r"\binterleukin ?(?=\d)")


def _greek_names_spaced(key: str) -> str:
    """A compared title with a name, its number and its Greek letter set apart ("il1 beta", "il 1beta" as "il 1
    beta") and an interleukin written short ("interleukin 6" as "il 6"): one title in several notations is one."""
    if "interleukin" in key:
        key = _INTERLEUKIN.sub("il ", key)
    if not any(g in key for g in ("alpha", "beta", "gamma", "delta", "kappa")):
        return key
    return _NAME_NUMBER_GREEK.sub(r"\1 \2 ", _NUMBER_GREEK.sub(r"\1 \2", key))


def _the_dropped(key: str) -> str:
    """A compared title without its leading "the", which one database files a title without ("The burden of ..." as
    "Burden of ..."), where four words or more remain: a shorter title is matched on title alone only with more to
    confirm it, and stays so."""
    if key.startswith("the ") and key.count(" ") >= _MIN_FUZZY_WORDS:
        return key[4:]
    return key


#: A country's initials with stops, split into letters by ``normalise_title`` ("U.S." as "u s", "U.K." as "u k")
_COUNTRY_DOTTED = re.compile(r"\bu (?:s(?: a)?|k)\b")
#: Two countries' names written out, which one study's other copy writes short ("the United States" / "the USA")
_COUNTRY_WRITTEN_OUT = re.compile(r"\bunited (?:states(?: of america)?"
                                  r"|kingdom(?: of great britain and northern ireland)?)\b")


#: Other names of the UK and of South Korea ("Great Britain", "the Republic of Korea"), written as "uk" and "korea":
#: "in the UK" / "in Great Britain" read as two countries. Not New Britain, nor North Korea (the Democratic People's
#: Republic of Korea); England is a part of the UK (``_COUNTRY_PART_OF``), not another name of it
_COUNTRY_OTHER_NAME = re.compile(r"\b(?:the )?(?<!\bnew )(?:great )?britain\b"
                                 r"|\b(?:the )?(?<!\bpeople s )(?:republic of|south) korea\b")


def _country_short(key: str) -> str:
    """The key with a country's initials written with stops as one word ("u s" as "us", "u k" as "uk"): split, the
    lone letter weighed nothing, and "the U.K." beside "the United States" or "the USA" was one title; and the United
    States and Kingdom written out as "usa" and "uk": "the United States" / "the USA" read as one word in place of
    another, a copy listed or kept apart."""
    if "u " in key:
        key = _COUNTRY_DOTTED.sub(lambda m: m.group(0).replace(" ", ""), key)
    if "united " in key:
        key = _COUNTRY_WRITTEN_OUT.sub(lambda m: "usa" if m.group(0)[7] == "s" else "uk", key)
    if "britain" in key or "korea" in key:
        key = _COUNTRY_OTHER_NAME.sub(lambda m: "uk" if m.group(0).endswith("britain") else "korea", key)
    return key


def _guest_as_editorial(key: str) -> str:
    """A compared title headed "guest editorial" read as "editorial": one database heads a special issue's editorial
    "Guest editorial: <title>", another "Editorial: <title>". The heading alone, or before a heading's title ("Guest
    editorial: Introduction to the special issue", every special issue's), stays as it is: no title to join on."""
    return key[len("guest "):] if key.startswith("guest editorial ") and not _is_generic(key) else key


def title_key(title: str | None) -> str:
    """The title as de-duplication compares it: normalised, without database notes nor a conference listing's
    heading ("Poster: <title>") nor a preprint's mark ("Preprint: <title>"), a season written short in full ("2018/19"
    as "2018/2019"), a Greek letter written in Latin after a name as printed ("TNFa" as "TNF-α"), a part's mark in
    pinyin as its Roman numeral ("(er)" as "(II)"), an '&' between
    words as 'and', a marker's sign written one way (``signs_alike``); a notice that
    a note alone marks as one ("<title> [Erratum]") keeps the word that says so, so that it is not read as the
    article it is about."""
    cut = strip_title_notes(title)
    head = form_head(cut)
    if head:
        cut = head[1]
    cut = item_mark_first(preprint_mark(cut) or cut)
    headed = 0
    if cut[:1] in "CcEe \t":
        cut, headed = _CORRECTION_HEAD.subn("Correction: ", cut, count=1)
    if "19" in cut or "20" in cut:
        cut = _YEAR_RANGE.sub(_full_year_range, cut)
    cut = _designation_kept(_receptor_letter(cut))  # "GABA A receptor" is "GABAA" first
    cut = _pinyin_part_roman(cut)
    key = _the_dropped(_greek_names_spaced(_covid_as_one(_series_in_arabic(_words(greek_spelled(cut))))))
    key = _country_short(_guest_as_editorial(key))
    if _DESIGNATED_A in cut:
        key = key.replace(_DESIGNATED_A.lower(), "A")
    if headed:
        key = _correction_word_last(key)
    kind = notice_note(title) if key else None
    if kind and not _is_generic(key) and not _marked_already(key, cut, kind):
        key += " " + _KIND_WORD[kind]
    return key


#: The mark a publisher puts before a retracted article's own title: Springer's "RETRACTED ARTICLE: <title>",
#: Elsevier's "RETRACTED: <title>" (capitals; Hindawi titles its retraction notices "Retracted: <title>").
#: The record is still the article, as its unmarked copy in another database and its DOI say.
_RETRACTED_MARK = re.compile(r"^\s*(?:[Rr][Ee][Tt][Rr][Aa][Cc][Tt][Ee][Dd]\s+[Aa][Rr][Tt][Ii][Cc][Ll][Ee]|RETRACTED)"
                             r"\s*[:.\u2013\u2014-]\s*(?=\S)")


#: French's article elided before a vowel ("L'évaluation", "L’autisme"), which one database or list writes and
#: another leaves out, as catalogues file a title under its first word: "L'autisme" and "Autisme" are one study
_FRENCH_ARTICLE = re.compile(r"^\s*(\[?)\s*[Ll]\s?['\u2019\u02bc\u2018`\u00b4]\s*(?=[^\W\d_])")


def _retracted_mark_end(title: str) -> int | None:
    """Where the mark before a retracted article's own title ends ("RETRACTED: <title>"), or None."""
    if title.lstrip()[:1] not in ("R", "r"):
        return None
    m = _RETRACTED_MARK.match(title)
    if m and (m.group(0).strip()[:10].lower() == "retracted " or any(c.islower() for c in title[m.end():])):
        return m.end()  # "RETRACTED: " on a title written in capitals throughout is not Elsevier's mark
    return None


#: A database's mark after a retracted article's title: Web of Science's "(Retracted article. See ...)", MEDLINE's
#: "[Retracted]" and "[Retraction in: ...]"
_RETRACTED_NOTE = re.compile(r"\(\s*retracted\s+article|\[\s*(?:retracted|retraction\s+in)", re.I)


def marked_retracted(title: str | None) -> bool:
    """Whether a title says its article was retracted (the article's copy, not the notice)."""
    return bool(title) and bool(_retracted_mark_end(title) or _RETRACTED_NOTE.search(title))


def strip_title_notes(title: str | None) -> str:
    """The title without the notes databases add to it (kept in the record, cut for comparing),
    nor the mark before a retracted article's title ("RETRACTED ARTICLE: <title>"), nor a French
    title's elided article ("L'évaluation ..." is compared as "évaluation ...")."""
    if not title:
        return ""
    t = str(title)
    if t.lstrip()[:1] in "Ll[":
        t = _FRENCH_ARTICLE.sub(r"\1", t, count=1)
    end = _retracted_mark_end(t)
    if end:
        t = t[end:]
    if "[" in t or "(" in t or "<" in t:
        cut = _TITLE_NOTES.sub(" ", t).strip()
        if cut:
            t = cut
    return t


def _number(v) -> str | None:
    """The first run of digits in a volume or issue ("35 Suppl 1" -> "35"), or None."""
    if _missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    m = re.search(r"\d+", str(v))
    return m.group(0).lstrip("0") or "0" if m else None


def _page_count(pages: str | None) -> int | None:
    """Pages a range spans ("33-42" -> 10, "1647-53" -> 7), or None when it is not a plain range."""
    if not pages:
        return None
    m = re.fullmatch(r"\s*[A-Za-z]{0,2}(\d+)\s*(?:-+|–|—)\s*[A-Za-z]{0,2}(\d+)\s*", pages)
    if not m:
        return None
    a, b = m.group(1), m.group(2)
    if len(b) < len(a):  # "1647-53": the last page is written short
        b = a[: len(a) - len(b)] + b
    n = int(b) - int(a) + 1
    return n if 0 < n < 2000 else None


def _page(v) -> str | None:
    """A first page for comparing: digits alone ("e1234", "S12", "0811a" -> "1234", "12", "811"),
    else the lower-case text (roman numerals such as "iii")."""
    if _missing(v):
        return None
    text = str(v).strip().lower()
    if isinstance(v, float) and v.is_integer():
        text = str(int(v))
    m = re.search(r"\d+", text)
    if m:
        return m.group(0).lstrip("0") or "0"
    return text if re.fullmatch(r"[ivxlcdm]+", text) else None


_NAME_PARTICLES = frozenset(
    "van von der den de del della da das dos du di la le el al bin ibn jr sr ii iii iv".split()
)
#: A paper reprinted in another journal, a yearbook or a book is one report (the MSM gold standard's
#: unit); both printings span at least this many pages, which a conference abstract does not.
REPRINT_MIN_PAGES = 4

#: Two abstracts of at least ``ABSTRACT_MIN_WORDS`` words in one language (at least ``ABSTRACT_SAME_LANGUAGE`` of the
#: shorter's words in the other; a translation shares fewer) sharing under ``ABSTRACT_SHARED_PHRASES_MAX`` of the
#: shorter's pairs of adjacent words are two papers. One paper's copies share 0.93 or more in the three searches of
#: ``dedup_benchmark``; two papers of one topic's title in the labelled reviews of ``tuning`` 0.08 to 0.24.
ABSTRACT_MIN_WORDS = 40
ABSTRACT_SAME_LANGUAGE = 0.15
ABSTRACT_SHARED_PHRASES_MAX = 0.25
_WORD = re.compile(r"\w+")
_MIN_FUZZY_WORDS = 4  # shorter titles are matched exactly or not at all
_BLOCK_KEYS = 3  # rarest title words per record used to find fuzzy candidates
_CHUNK = 2000  # rows per similarity matrix, to bound memory on a large block
#: A finding an abstract reports: a p value, a confidence interval's bound, a ratio's value ("p=0.01", "95% CI 0.45
#: to 0.91", "hazard ratio 0.64"); a protocol names the measures without values ("with 95% confidence intervals")
_FINDING = re.compile(r"\bp\s*[<=\u2264]\s*0?\.\d"
                      r"|\b\d{2}(?:\.\d)?\s*%\s*(?:ci|confidence intervals?)\s*[:,=(]?\s*[-\u2212]?\d"
                      r"|\b(?:hazard|odds|risk|rate)\s+ratios?\s*(?:[:,=(]|\bof\b|\bwas\b)?\s*\d", re.I)
_WILL = re.compile(r"\bwill\b", re.I)


def _abstract_kind(text: str | None) -> str | None:
    """"protocol" for an abstract that says what a study will do (three times "will" or more) and reports no finding,
    "results" for one that reports a finding (``_FINDING``) and hardly says "will", else None. One paper's abstract
    is one kind in every database; a copy cut before its results is none: a trial's protocol and its results paper
    of one title are the two kinds."""
    if not text:
        return None
    wills, found = len(_WILL.findall(text)), _FINDING.search(text) is not None
    if wills >= 3 and not found:
        return "protocol"
    return "results" if found and wills <= 1 else None


#: Words in a row one abstract has in place of the other's (or in addition, inside it) that make two texts: more
#: than a structured abstract's heading ("MATERIALS AND METHODS:"), a sign or word written another way ("β" / "beta")
ABSTRACT_REWORDED_WORDS = 8
_MARKUP_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


#: Where a database's or publisher's signature begins ("Copyright \u00a9 2015 Elsevier Ltd. All rights reserved.",
#: "\u00a9 2015 The Authors. Published by ...", "(PsycINFO Database Record (c) 2016 APA, all rights reserved)")
_SIGNATURE_START = re.compile(r"copyright\b|\u00a9|\(c\) ?\d{4}|\(psycinfo database record\b", re.I)
#: A signature's words at most: more after the mark is the abstract's own text about copyright
_SIGNATURE_WORDS = 40


def _abstract_word_list(text: str | None) -> list[str]:
    """An abstract's words in order, without its markup ("<p>", "<i>edema</i>", "&ndash;") and the signature at its
    end: two databases sign one abstract with other words, ending alike ("... All rights reserved.")."""
    if not text:
        return []
    if "<" in text or "&" in text:
        text = _MARKUP_ENTITY.sub(" ", without_markup(text))
    words = _WORD.findall(text.lower())
    sign = next((m for m in _SIGNATURE_START.finditer(text) if m.start() > 0
                 and len(_WORD.findall(text[m.end():].lower())) <= _SIGNATURE_WORDS), None)
    return words[:len(words) - len(_WORD.findall(text[sign.start():].lower()))] if sign else words


def _one_text(a: list[str], b: list[str]) -> bool:
    """Whether two abstracts' words are one text: the same words in the same order but for a few in a row
    (``ABSTRACT_REWORDED_WORDS``) here and there (a heading, a sign written out), words before one (a copyright line
    put first), and the end (one cut short, or signed: "Copyright (c) 2010 ...", "(PsycINFO Database Record ...)")."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        longest, shortest = max(i2 - i1, j2 - j1), min(i2 - i1, j2 - j1)
        if i2 == len(a) or j2 == len(b):  # the end: one cut short, or its own signature
            if shortest >= ABSTRACT_REWORDED_WORDS:
                return False
        elif not (shortest == 0 and (i1 == 0 or j1 == 0)) and longest >= ABSTRACT_REWORDED_WORDS:
            return False  # not words put before one: another wording, or a passage one has and the other lacks
    return True


_STOPWORDS = frozenset(
    "a an and are as at be by for from has in into is it its of on or that the their to was were "
    "with among between within without versus vs via who which what when how".split()
)


# ----------------------------------------------------------------------------- normalisation


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _text(v) -> str | None:
    return None if _missing(v) else str(v).strip()


def _texts(values) -> list[str | None]:
    """``_text`` of each value; plain strings (nearly every value) take a shortcut."""
    return [(v.strip() or None) if type(v) is str else _text(v) for v in values]


def _present(v) -> bool:
    """``not _missing(v)``, without copying long strings such as abstracts."""
    if type(v) is str:
        return bool(v) and not v.isspace()  # str.strip and str.isspace agree on what is space
    return not _missing(v)


def _mapped(func, values: list) -> list:
    """``[func(v) for v in values]``, calling ``func`` once per distinct value."""
    cache: dict = {}
    out = []
    get, miss = cache.get, _MISS
    for v in values:
        r = get(v, miss)
        if r is miss:
            r = cache[v] = func(v)
        out.append(r)
    return out


_MISS = object()


def _norm_pmid(v) -> str | None:
    if type(v) is str and v.isdigit() and len(v) <= 9:  # nearly every PMID: plain digits
        return v.lstrip("0") or None
    if _missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    m = re.fullmatch(r"\s*(?:pmid:?\s*)?0*(\d{1,9})(?:\.0)?\s*", str(v), flags=re.I)
    return m.group(1) if m else None


def _norm_year(v) -> int | None:
    if _missing(v):
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, float):
        return int(v)
    m = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", str(v))
    return int(m.group(1)) if m else None


def _authors(v) -> list[str]:
    """A record's authors; a list's each once: an import kept one of two co-authors of one name ('Wang, Y') and
    now keeps both, and de-duplication compares the authors as it did (``authors_reordered``: 'each once')."""
    if isinstance(v, (list, tuple, np.ndarray)):
        out = []
        for a in v:  # plain strings (nearly every value) skip the general missing-value test
            if type(a) is str:
                if a.strip():
                    out.append(a)
            elif not _missing(a):
                out.append(str(a))
        return list(dict.fromkeys(out)) if len(out) > 1 else out
    if _missing(v):
        return []
    return [a for a in (s.strip() for s in str(v).split(";")) if a]


def _has_items(v) -> bool:
    """``bool(_authors(v))`` without building the list."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return any(a.strip() if type(a) is str else not _missing(a) for a in v)
    return bool(_authors(v))


def first_author_tokens(authors) -> frozenset[str]:
    """Name words of the first author, order-free, so "Vanden Berghe, Wim", "Wim, Vanden Berghe"
    and "Vanden Berghe W" compare equal; initials and particles are dropped."""
    names = _authors(authors)
    if not names:
        return frozenset()
    return _name_tokens(names[0])


_LATIN_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d",
                              "Đ": "D", "œ": "oe", "Œ": "OE", "þ": "th", "ı": "i", "?": "", "\ufffd": ""})


def authors_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two first authors' name words can be one person: a word in common, or one name a
    typo ("Talalaj"/"Taaaj" after encoding damage), a cut form ("Kuzdzal"/"Kuzdza") or another
    transliteration ("Mohammed"/"Muhammad", ``_transliterated_alike``) of the other;
    unknown authors are compatible, and so are a name in Latin letters and one in another script
    ("Wang, Li" / "王丽"), which cannot be compared."""
    if not a or not b or (a & b):
        return True
    if _all_latin(a) != _all_latin(b):
        return True
    for x in a:
        for y in b:
            if len(x) >= 4 and len(y) >= 4 and (x.startswith(y) or y.startswith(x) or fuzz.ratio(x, y) >= 80):
                return True
            if _transliterated_alike(x, y):
                return True
    return False


_DOUBLED = re.compile(r"(.)\1+")


def _transliterated_alike(x: str, y: str) -> bool:
    """Whether two name words of five letters or more are one Arabic or Persian name transliterated two ways: its
    vowels written "o" or "u" ("ou" too), "e" or "a", its letters doubled or not ("Mohammed" / "Muhammad" / "Mohamed",
    "Hossein" / "Husain", "Youssef" / "Yusef"). Not other vowels: "Nielsen" and "Nelson" are two names."""
    if len(x) < 5 or len(y) < 5 or x[0] != y[0]:
        return False
    return _vowels_one_way(x) == _vowels_one_way(y)


def _vowels_one_way(name: str) -> str:
    return _DOUBLED.sub(r"\1", name.replace("ou", "u").replace("o", "u").replace("e", "a"))


#: Trial registrations (ClinicalTrials.gov, ISRCTN, ANZCTR, ChiCTR, EU CTR, DRKS, CTRI, JPRN, IRCT, NTR,
#: CRIS, TCTR, PACTR, UMIN, jRCT, ReBEC, SLCTR, PROSPERO). CENTRAL exports put a registry entry's number
#: where the author goes: it names the trial, not a person. A Dutch ethics committee's (CCMO/ABR) number,
#: "NL12345.018.15", is no Netherlands Trial Register id ("NL12345"): it is not read. ANZCTR marks a trial registered
#: before its first participant with a "p" ("ACTRN12619000123456p") that other registers and CENTRAL may leave out:
#: one trial, read without it (the id is group 1). The Netherlands Trial Register's successor (OMON) numbers its
#: entries "NL-OMON<digits>" and lists the old "NL"/"NTR" number among their secondary ids: another register.
_REGISTRY_ID = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{6,}|(?P<anzctr>ACTRN\d{10,})|ChiCTR[-A-Za-z0-9]{6,}|EUCTR\d{4}-\d{6}-\d{2}(?:-[A-Z]{2})?|"
    r"DRKS\d{6,}|CTRI/\d{4}/\d+/\d+|JPRN-[A-Za-z]+\d+|IRCT\w{6,}|NTR\d{3,}|NL-OMON\d{3,}|NL\d{4,}(?!\.\d)|"
    r"KCT\d{5,}|TCTR\d{8,}|PACTR\d{8,}|UMIN\d{6,}|jRCT\w{6,}|RBR-\w{4,}|SLCTR/\d{4}/\d+|CRD\d{8,})"
    r"(?(anzctr)P?)\b", re.I)


def registry_id(text) -> str | None:
    """The trial registration number in an author field (or any text), upper-cased, or None."""
    if _missing(text):
        return None
    m = _REGISTRY_ID.search(str(text))
    return m.group(1).upper() if m else None


def _own_trial_id(kind, own) -> str | None:
    """A register's record's trial id: its own id, where the record is typed a registry's and the id is a trial's."""
    if _missing(kind) or _missing(own) or not _REGISTRY_TYPE.search(str(kind)):
        return None
    m = _REGISTRY_ID.fullmatch(str(own).strip())
    return m.group(1).upper() if m else None


#: A trial's EudraCT number, alone ("2017-001234-56") or in the EU register's id, which the WHO ICTRP gives once per
#: country ("EUCTR2017-001234-56-GB", "-DE"): one trial
_EUDRACT = re.compile(r"(?<![\w-])(?:EUCTR)?(\d{4}-\d{6}-\d{2})(?:-[A-Z]{2})?(?![\w-])", re.I)


#: The WHO ICTRP's prefix before a Japanese register's own id ("JPRN-UMIN000012345", "JPRN-jRCTs031180123"), which
#: the register itself, CENTRAL and ClinicalTrials.gov leave out
_JPRN = re.compile(r"^JPRN-(?=UMIN|JRCT)", re.I)


def _trial_key(trial_id: str) -> str:
    """A trial id as one trial is known by: an EU trial's EudraCT number whatever the country of its entry, a Japanese
    trial's id with or without the ICTRP's "JPRN-"."""
    m = _EUDRACT.fullmatch(trial_id)
    return f"EUCTR{m.group(1)}" if m else _JPRN.sub("", trial_id)


#: The columns a register's export lists a trial's other registrations in, normalised
_OTHER_IDS = frozenset({"secondaryid", "otherids"})


def _trial_ids(registry: str | None, raw) -> frozenset[str]:
    """The trial ids a record names its trial by: its own and the other registrations a register's record lists
    (the WHO ICTRP's 'Secondary ID' column, ClinicalTrials.gov's 'Other IDs')."""
    if not registry:
        return frozenset()
    text = next((str(v) for k, v in raw.items() if re.sub(r"[^a-z]", "", str(k).lower()) in _OTHER_IDS), "") \
        if isinstance(raw, dict) else ""
    found = [m.group(1).upper() for m in _REGISTRY_ID.finditer(text)]
    found += [f"EUCTR{m.group(1)}" for m in _EUDRACT.finditer(text)]
    return frozenset(_trial_key(t) for t in (registry, *found))


def _other_registration(ri: str | None, rj: str | None) -> bool:
    """Whether two records' own trial ids are two numbers in one register: a register gives a trial one number, so
    they are two trials (an extension study, a sub-study) even where one names the other, or both one number, among
    their secondary ids. Japan's registers are told apart ("JPRN-UMIN...", "JPRN-jRCT...": a trial moved to jRCT has
    both); jRCT's series ("jRCT1...", "jRCTs...") are one register."""
    if not (ri and rj):
        return False
    ki, kj = _trial_key(ri), _trial_key(rj)
    return ki != kj and _REGISTER_PREFIX.match(ki).group(0) == _REGISTER_PREFIX.match(kj).group(0)


_REGISTER_PREFIX = re.compile(r"JRCT|NL-OMON|(?:JPRN-)?[A-Z]+")


_NAME_WORD = re.compile(r"[^\W\d_]+")


def _all_latin(words) -> bool:
    return all(w.isascii() for w in words)


def _name_tokens(first: str) -> frozenset[str]:
    if _REGISTRY_ID.fullmatch(first.strip()):
        return frozenset()  # a registry entry's number, not a name: the author is unknown
    parts = [p.strip() for p in first.split(",")]
    # Cochrane-style "Achterbergh RCA, van der Helm JJ, ...": one string holding the whole list.
    if len(parts) > 2 or (len(parts) == 2 and re.search(r"\s[A-Z]{1,4}$", parts[0])):
        first = parts[0]
    s = first.replace("?", "")  # a letter lost to a wrong encoding
    if not s.isascii():
        s = s.translate(_LATIN_EXTRA)
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['’`]", "", s)
    has_lower = any(c.islower() for c in s)
    out = set()
    for tok in _NAME_WORD.findall(s):  # letters of any script: "王丽" and "李明" are two people
        if len(tok) < 2:
            continue
        if has_lower and tok.isupper() and len(tok) <= 4:  # initials such as "RCA", "JJ"
            continue
        tok = tok.lower()
        if tok in _NAME_PARTICLES:
            continue
        out.add(tok)
    return frozenset(out)


#: Initials as an export writes them after a surname ("Wang L", "Smith JA"), and a given name's words ("Li-Yan")
_INITIALS = re.compile(r"[A-Z]{1,3}")


def _given_names(first: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    """A first author's surname words, the initials of the given names, where the name says which is which ("Wang,
    Li", "Wang, L.", "Wang LY"), and the initials of all its words; or None (a name in another script, an author
    list, "Li Wang" in either order)."""
    first = first.strip()
    if "," in first:
        parts = first.split(",")
        if len(parts) != 2 or re.search(r"\s[A-Z]{1,4}$", parts[0].strip()):
            return None  # an author list in one string ("Achterbergh RCA, van der Helm JJ")
        surname, given = parts[0], parts[1].replace(".", " ")
        words = _NAME_WORD.findall(given)
    else:
        words = first.split()
        if len(words) < 2 or not _INITIALS.fullmatch(words[-1].replace(".", "")):
            return None
        surname, words = " ".join(words[:-1]), [words[-1].replace(".", "")]
    initials = set()
    for w in words:
        initials.update(w.lower() if _INITIALS.fullmatch(w) else w[0].lower())
    last = _name_tokens(surname)
    if not (initials and last and _all_latin(last) and _all_latin(initials)):
        return None
    return last, frozenset(initials), frozenset(initials | {w[0] for w in _name_tokens(first)})


def _surname(author: str) -> frozenset[str]:
    """An author's surname words where the name says which they are ("Zheng, Alvin" / "Zheng AZ"), else its name
    words."""
    given = _given_names(author)
    return given[0] if given else _name_tokens(author)


_UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@functools.lru_cache(maxsize=8192)
def _surname_forms(first: str) -> frozenset[str]:
    """A first author's surname as one word, its particles joined ("Van der Berg" as "vanderberg", "Abd El Rahman" as
    "abdelrahman"), and with an umlaut written out too ("Bär" as "bar" and "baer"), as another database writes it."""
    if "," in first:
        head = first.split(",")[0]
    else:  # "Van der Berg J": the initials after the surname are not part of it
        head = " ".join(w for w in first.split() if not _INITIALS.fullmatch(w.replace(".", "")))
    forms = {head, head.translate(_UMLAUT)} if any(c in head for c in "äöüÄÖÜ") else {head}
    out = set()
    for form in forms:
        if not form.isascii():
            form = unicodedata.normalize("NFKD", form.translate(_LATIN_EXTRA))
        out.add("".join(c for c in form.lower() if "a" <= c <= "z"))
    return frozenset(out)


def _surnames_alike(a: str, b: str) -> bool:
    """Whether two first authors' surnames are one written two ways: its particles joined or apart ("Abd El Rahman" /
    "Abdelrahman", "Van der Berg" / "Vandenberg"), an umlaut written out ("Bär" / "Baer"). Not one surname inside
    another ("Berg" / "Vandenberg", "Berg" / "Goldberg")."""
    if a == b:
        return True
    fa, fb = _surname_forms(a), _surname_forms(b)
    if any(len(x) >= 4 for x in fa & fb):
        return True
    return any(len(x) >= 8 and len(y) >= 8 and fuzz.ratio(x, y) >= 90 for x in fa for y in fb)


def _given_names_differ(a: tuple | None, b: tuple | None) -> bool:
    """Whether two first authors are two people of one surname: "Wang, Li" / "Wang, Yan", "Wang L" / "Wang Y". Not a
    name whose parts one export put in another order ("Si Hyun Kang, null" / "Kang, S. H."): no given name's initial
    may be an initial of any word of the other name."""
    return bool(a and b and (a[0] & b[0]) and not (a[1] & b[2]) and not (b[1] & a[2]))


#: German's "der" and "und" too: "Der Nervenarzt" is "Nervenarzt" (not "Dermatology" abbreviated before it)
_JOURNAL_STOP = frozenset("of the and in for on a an official der und".split())
# Latin words and runs of other scripts' letters: "中华护理杂志" and "护理研究" are two journals
_JOURNAL_WORD = re.compile(r"[a-z0-9]+|[^\W\d_a-z]+")


def _journal_parts(journal: str | None) -> list[list[str] | tuple[str, ...]]:
    """Word lists of the journal name and of each part around a colon ("JANAC: Journal of ..."), and as tuples its
    parallel titles, which name that journal only written out the same way (``_parallel_match``)."""
    if not journal:
        return []
    s = journal
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.translate(_LATIN_EXTRA))
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("&", " and ")
    # read whole, not as its name without the place: "Drugs (Abingdon Engl)" is not Adis's "Drugs"
    s = _MEDLINE_QUALIFIED.get(s.strip(), s)
    place = [w for q in re.findall(r"\(([^)]*)\)", s) for w in _JOURNAL_WORD.findall(q)]
    s = re.sub(r"\([^)]*\)", " ", s).strip()
    if medium := _JOURNAL_MEDIUM.match(s):
        s = s[:medium.start(1)]
    s = re.sub(r"(?<=\w)['\u2019]s\b", "s", s)  # one word, as MEDLINE writes it: "Alzheimer's" / "J Alzheimers Dis"
    s = _JOURNAL_KIND.sub(r"; \1", _JOURNAL_EDITION.sub(" ", s))
    s = _JOURNAL_KIND_ABBREVIATED.sub(r"\1", s)
    section = _journal_section(s)
    parts = [s] + (s.split(":") if ":" in s and section is None else [])
    first_cut = len(parts)
    if section is None and ":" not in s and journal.isupper() and len(_WOS_COLON.findall(s)) == 1:
        # Web of Science's hyphen in place of the colon before a subtitle: "CONTINUUM-LIFELONG LEARNING IN NEUROLOGY"
        parts += _WOS_COLON.split(s)
    cut = range(first_cut, len(parts))
    words = [w for w in _JOURNAL_WORD.findall(s) if w not in _JOURNAL_STOP]
    if len(words) >= 3 and words[0] == "".join(w[0] for w in words[1:]):
        # Embase's initials before the name they stand for ("JAMA J Am Med Assoc", "CMAJ Can Med Assoc J"): the name
        # alone is a name of its own, to meet the name written out
        parts.append(s.split(words[0], 1)[1])
    # MEDLINE's parallel titles: "Zhongguo fei ai za zhi = Chinese journal of lung cancer", "Zhonghua nei ke za zhi
    # [Chinese journal of internal medicine]": the name without its English one is a name of its own
    parallel = s.split("=") if "=" in s else []
    if "[" in s:
        parallel.append(re.sub(r"\[[^\]]*\]", " ", s))
        # and the name in brackets, of two words or more: "Chung-Hua Chung Liu Tsa Chih [Chinese Journal of Oncology]"
        # and "Zhonghua zhong liu za zhi [Chinese journal of oncology]" are one journal romanised two ways
        parallel += [n for n in re.findall(r"\[([^\]]*)\]", s) if len(_JOURNAL_WORD.findall(n)) >= 2]
    whole = _MEDLINE_SUBTITLED.get(" ".join(w for w in _JOURNAL_WORD.findall(s) if w not in _JOURNAL_STOP))
    if whole:
        parallel.append(whole)
    out: list[list[str] | tuple[str, ...]] = []
    for k, part in enumerate(parts + parallel):
        words = [w for w in _JOURNAL_WORD.findall(part) if w not in _JOURNAL_STOP]
        if words and k < len(parts):
            # the words before a subtitle ("Acta Paediatrica, International Journal of Paediatrics", "Journal of
            # Trauma - Injury, Infection and Critical Care"): ``_other_of_family`` reads the name in them
            head = _JOURNAL_SUBTITLE.split(_JOURNAL_LIST.sub(" ", part), maxsplit=1)[0]
            plain = _JOURNAL_SECTION_MARK.split(head, maxsplit=1)[0]
            out.append(_JournalName(words, len([w for w in _JOURNAL_WORD.findall(head) if w not in _JOURNAL_STOP]),
                                    section if k == 0 else None,
                                    len([w for w in _JOURNAL_WORD.findall(plain) if w not in _JOURNAL_STOP])))
            # a part of a name cut at its hyphen, maybe a compound's ("REVISTA LATINO-AMERICANA DE ENFERMAGEM"):
            # written out, it abbreviates no other name ("Revista Latinoamericana de Psicologia")
            out[-1].cut = k in cut
        elif words:
            out.append(tuple(words))
    if len(parts) >= 3 and len(out) > 1 and isinstance(out[0], _JournalName) and isinstance(out[1], _JournalName):
        out[0].before = out[1]  # the name before its colon (or Web of Science's hyphen), its subtitle after
    if out and isinstance(out[0], _JournalName) and not _JOURNAL_PLACES.isdisjoint(place):
        out[0].place = place
    if out and isinstance(out[0], _JournalName):
        out[0].letters = _journal_letters(journal)
    return out


#: MEDLINE's abbreviations of a journal named with its subtitle, which read as the name before it, a family's parent
#: ("Circulation" / "Circulation: Heart Failure"): the whole name, a name of the journal too. "Subst Abuse" may be a
#: database's abbreviation of the journal Substance Abuse too (MEDLINE's is "Subst Abus"), which it still meets
_MEDLINE_SUBTITLED = {"subst abuse": "substance abuse research treatment"}
#: A one-word journal name that is the name before the colon of another journal, not its subtitle (Adis's "Drugs",
#: "Drugs: Education, Prevention and Policy"), but for MEDLINE's name of that other journal, with its place
_OWN_JOURNAL_BEFORE_COLON = frozenset({"drugs"})
_MEDLINE_QUALIFIED = {**dict.fromkeys(("drugs (abingdon engl)", "drugs (abingdon, england)"),
                                      "drugs education prevention policy"),
                      # Jornal de Pediatria, not The Journal of Pediatrics ("J Pediatr")
                      **dict.fromkeys(("j pediatr (rio j)", "j pediatr (rio j.)", "j. pediatr. (rio j.)",
                                       "j. pediatr. (rio j)"), "jornal de pediatria")}
#: Web of Science's hyphen between two words, in place of a colon
_WOS_COLON = re.compile(r"(?<=[a-z]{2})-(?=[a-z]{2})")
#: MEDLINE's medium after a name, its brackets lost ("BMJ Online", "Pediatrics Print"): the journal, not a family's.
#: After a one-word name or "Journal" only: "Medical Education Online" is not "Medical Education"
_JOURNAL_MEDIUM = re.compile(r"^(?:the\s+)?(?:\w+|.*\b(?:journal|j))[\s.,;:-]+(online|print)\W*$")
#: MEDLINE's edition of the BMJ, outside its parentheses ("British Medical Journal Clinical Research Ed.")
_JOURNAL_EDITION = re.compile(r"\bclinical research ed\b\.?")
#: Where a journal's name ends and its subtitle or parallel name begins ("Stroke; a journal of cerebral circulation",
#: "International journal of cancer. Journal international du cancer"), a colon aside (``_journal_parts``)
_JOURNAL_SUBTITLE = re.compile(r"[;,]|\.\s|\s[-\u2013\u2014/]+\s")
#: A comma in a list of the name's subjects, not before a subtitle: "Diabetes, Obesity and Metabolism", "Brain,
#: Behavior, and Immunity" (``&`` is read "and")
_JOURNAL_LIST = re.compile(r",(?=[^;:.]*\sand\s)")
#: Where a journal of a family names its part after the family's name: "Circulation: Heart Failure", MEDLINE's
#: "Circulation. Heart failure" and "The Lancet. Oncology", Web of Science's "CIRCULATION-HEART FAILURE", Embase's
#: "European Heart Journal - Cardiovascular Imaging"
_JOURNAL_SECTION_MARK = re.compile(r":|\.\s|(?<=[a-z]{2})-(?=[a-z]{2})|\s[-\u2013\u2014]+\s")
#: A volume, series or supplement of one journal, named without it too ("Journal of Bone and Joint Surgery.
#: American volume", "European Respiratory Journal. Supplement"); and words of a subtitle that describes the journal
#: ("Alcohol Research: Current Reviews", MEDLINE's "Alcohol Res")
_JOURNAL_NOT_SECTION = frozenset("volume series section part supplement supplements suppl journal official "
                                 "publication a an the current".split())
#: At most two words name a family's journal ("Heart Failure", "Oncology", "Assistive Technology"); more is a
#: subtitle (the Journal of the American Heart Association's "Cardiovascular and Cerebrovascular Disease",
#: "CONTINUUM: Lifelong Learning in Neurology", MEDLINE's "Continuum"), but for three in ``_journal_section``
_JOURNAL_SECTION_MAX = 2
_JOURNAL_KIND_WORD = "(?:clinical|experimental|science|practice|theory|research|basic|applied)"
#: A subtitle saying what kind of work a journal prints, two words joined by "and", read as a subtitle after ";"
#: (MEDLINE leaves it out: "Human psychopharmacology"), not the name of a family's journal: "Human Psychopharmacology:
#: Clinical and Experimental", Web of Science's "CLINICAL PSYCHOLOGY-SCIENCE AND PRACTICE"; but "Substance Abuse:
#: Research and Treatment" and "Neurology: Clinical Practice" are journals of their own
_JOURNAL_KIND = re.compile(rf"\s*(?::|\.\s|-)\s*({_JOURNAL_KIND_WORD}\s+and\s+{_JOURNAL_KIND_WORD}\W*)$")
#: The same subtitle as MEDLINE abbreviates it, without its "and", after a name of two words or more, left out as Web
#: of Science leaves it out: "Adv Health Sci Educ Theory Pract", "ADVANCES IN HEALTH SCIENCES EDUCATION". Only these
#: pairs: "Neurol Clin Pract" and "Nurs Res Pract" are journals of their own
_JOURNAL_KIND_ABBREVIATED = re.compile(r"^(\s*\w+\.?\s+\w.*?)\s+((?:theory|sci)\.?\s+pract\.?)\s*$")

#: A word of Japanese written in Latin letters (Hepburn's syllables: "shinkei", "zasshi", "ryoho"), as no English
#: journal's name of two words or more is ("Lancet", "Circulation", "JACC": one word)
_ROMANIZED_JAPANESE = re.compile(r"(?:(?:[kstp](?=[kstpc]))?(?:ky|gy|sh|ch|ny|hy|by|py|my|ry|ts|[kgsztdnhbpmrjwyf])?"
                                 r"[aeiou]|n(?![aeiouy]))+")


def _journal_section(name: str) -> int | None:
    """How many words of a journal name (lower case) come before the name of the family's journal it is ("circulation:
    heart failure": 1), or None. One mark only ("J. Clin. Oncol." is an abbreviation, "Diabetes. Conference: ..."
    Embase's meeting), and not a subtitle: a description ("Brain: A Journal of Neurology"), the name's initials
    ("Journal of Magnetic Resonance Imaging: JMRI"), a volume or supplement."""
    marks = list(_JOURNAL_SECTION_MARK.finditer(name.strip(" .")))
    if len(marks) > 1 and marks[0].group() == ":" and all(m.group() == ". " for m in marks[1:]):
        marks = marks[:1]  # an abbreviated part's full stops after the colon: "Drugs: Educ. Prev. Policy"
    if len(marks) != 1 or (marks[0].group() == "-" and len(re.findall(r"\w-\w", name)) > 1):
        return None  # and not a hyphen among others: "Eur-J-Respir-Dis" (an abbreviation's words joined)
    name_words = _JOURNAL_WORD.findall(name[:marks[0].start()])
    after = _JOURNAL_WORD.findall(name[marks[0].end():])
    words = [w for w in after if w not in _JOURNAL_STOP]
    head = [w for w in name_words if w not in _JOURNAL_STOP]
    # three words after a one-word name, joined by "and", one a family's: "Circulation: Cardiovascular Quality and
    # Outcomes", "Stroke: Vascular and Interventional Neurology" (not "OTJR: Occupation, Participation and Health"),
    # or after MEDLINE's full stop, which ends a family's name, not a subtitle: "The Lancet. Child & adolescent health";
    # and an edition's, after any name: "Archives of Disease in Childhood: Fetal and Neonatal Edition" (not "Journal of
    # the American Heart Association: Cardiovascular and Cerebrovascular Disease", a subtitle)
    most = _JOURNAL_SECTION_MAX + ((len(head) == 1 and "and" in after
                                    and (not _FAMILY_WORDS.isdisjoint(words) or marks[0].group().startswith(".")))
                                   or (len(after) == 4 and after[1] == "and" and after[3] == "edition"))
    if head and head[0] in _OWN_JOURNAL_BEFORE_COLON and len(head) == 1 and words:
        return 1  # "Drugs: Education, Prevention and Policy" is not Adis's "Drugs"
    if not head or not 1 <= len(words) <= most or _JOURNAL_NOT_SECTION.intersection(after):
        return None
    if len(name_words) >= 2 and all(_ROMANIZED_JAPANESE.fullmatch(w) for w in name_words):
        return None  # MEDLINE's Japanese name and its English one: "Gan to kagaku ryoho. Cancer & chemotherapy"
    if len(words) == 1 and len(words[0]) <= 6 and words[0][0] == head[0][0] and _in_order(words[0], "".join(head)):
        return None  # the name's initials ("JMRI", "SJS", "JAPhA")
    return len(head)


#: A journal's section by its letter: "J Phys Chem A", "J Gerontol B Psychol Sci Soc Sci", "... Research. Part A",
#: "Series B", "Section A". A lone capital A-H after a word of two letters or more (not "N C Med J", "Drugs R D"),
#: not after a subtitle's mark (the article of "Chemistry - A European Journal", "Stroke; a journal of ...")
_JOURNAL_LETTER = re.compile(r"\b(?:part|series|section)\s+([a-z])\b(?![&'\u2019\-\u2010]|\.\w)"
                             r"|(?:(?<=[A-Za-z]{2}\s)|(?<=[A-Za-z]{2}\.\s))([A-H])\b"
                             r"(?![&'\u2019\-\u2010]|\.\w)(?=(.*))", re.I)
#: Words after a lone "A" that make it an article: "Brain A Journal of Neurology", a mark lost
_ARTICLE_NEXT = frozenset("journal j".split())


def _journal_letters(journal: str) -> frozenset[str]:
    """The letters naming a journal's section ("J Phys Chem A": "a"): two letters are two journals, where a name
    without one may be either, as older records and some databases write it."""
    out = set()
    for m in _JOURNAL_LETTER.finditer(journal):
        if m.group(1):
            out.add(m.group(1).lower())
        elif m.group(2).isupper() and not (m.group(2) == "A" and _ARTICLE_NEXT.intersection(
                _JOURNAL_WORD.findall(m.group(3).lower()))):
            out.add(m.group(2).lower())
    return frozenset(out)


class _JournalName(list):
    """A journal name's words, with ``head``: how many come before its subtitle, ``section``: how many before the
    name of the family's journal it is (``_journal_section``), or None, and ``plain``: how many before any mark (a
    subtitle's, or a colon, full stop or hyphen: Web of Science's "CONTINUUM-LIFELONG LEARNING IN NEUROLOGY")."""

    def __init__(self, words: list[str], head: int, section: int | None = None, plain: int | None = None):
        super().__init__(words)
        self.head = head
        self.section = section
        self.plain = head if plain is None else plain
        self.before: list[str] | None = None  # the name before a colon, a subtitle after it (``_journal_parts``)
        self.cut = False  # a part of a name cut at Web of Science's hyphen (``_journal_parts``)
        self.place: list[str] | None = None  # MEDLINE's place in brackets: "Medicine (Baltimore)" (``_other_places``)
        self.letters: frozenset[str] = frozenset()  # its section's letter: "J Phys Chem A" (``_journal_letters``)


def _is_abbreviation(short: list[str], long: list[str]) -> bool:
    """"am j public health" abbreviates "american journal public health": each word a prefix, in
    order; "dtsch med wochenschr" abbreviates "deutsche medizinische wochenschrift" (letters left
    out inside a word: each word's letters in order, from its first); and one word squashed from
    an abbreviation ("jthoraccardiovascsurg") holds the long name's letters in order; and the name's initials, every
    word's ("cmaj", "bmj", "jama": "Canadian Medical Association Journal"). A word may abbreviate a compound the
    long name hyphenates ("Eur J Cardiothorac Surg": "European Journal of Cardio-Thoracic Surgery")."""
    if len(short) == 1 and len(short[0]) == len(long) >= 2 and "".join(w[0] for w in long) == short[0]:
        return True
    k = i = 0
    while i < len(long) and k < len(short):
        w, a = long[i], short[k]
        if w.startswith(a) or (len(a) >= 3 and w[0] == a[0] and _in_order(a, w) and not _other_word(a, w)):
            k += 1
        elif i + 1 < len(long) and len(w) + 3 <= len(a) < len(w + long[i + 1]) and (w + long[i + 1]).startswith(a):
            k, i = k + 1, i + 1  # abbreviating both words, three letters or more of the second
        i += 1
    if k == len(short):
        return True
    return (len(short) == 1 and len(long) >= 2 and len(short[0]) >= 8 and short[0][0] == long[0][0]
            and _in_order(short[0], "".join(long)))


#: Words that make another journal of a family when one name is another's plus them ("Diabetes" / "Diabetes Care",
#: "BMJ" / "BMJ Open", "JAMA" / "JAMA Netw Open", "Lancet" / "Lancet Oncology", "Trials" / "Contemporary Clinical
#: Trials", "Critical Care" / "Critical Care Medicine", "J Am Med Assoc" / "J Am Med Inform Assoc", "Eur Respir J" /
#: "Eur J Respir Dis"), also abbreviated ("Lancet Oncol"). A copy's journal adds
#: other words ("Surgical Endoscopy and Other Interventional Techniques", "Applied Soft Computing Journal", "Stroke; a
#: journal of cerebral circulation") or its own initials spelled out ("CMAJ Canadian Medical Association Journal").
_FAMILY_WORDS = frozenset(
    "open care oncology neurology research reports letters medicine psychiatry pediatrics paediatrics surgery "
    "cardiology dermatology ophthalmology otolaryngology infectious endocrinology respiratory global public "
    "haematology hematology gastroenterology hepatology rheumatology digital practice clinical contemporary advances "
    "reviews therapy therapeutics technology metabolism obesity communications case quality supportive palliative "
    "nursing imaging interventions genetics nephrology urology pharmacology innovations translational "
    "international informatics diseases directors treatment biology".split())
#: Words before a name that make another journal: "Journal of Hypertension" / "Hypertension", "American Journal of
#: Hypertension" / "Journal of Hypertension"
_FAMILY_HEADS = frozenset("journal j american am european eur british br canadian can australian aust asian "
                          "chinese chin indian japanese jpn korean scandinavian scand african".split())
#: Little words an abbreviation leaves out, in the languages of journal names (and Russian's "imeni", abbreviated
#: "Im", which meets the "i" before it): not a word inside the name that makes another journal ("Tijdschr Psychiatr" /
#: "Tijdschrift voor psychiatrie", "Res Pract Persons Severe Disabil" / "... for Persons with Severe Disabilities")
_JOURNAL_LITTLE = frozenset("with from into upon about towards toward through among within voor over door naar fuer "
                            "uber ueber pour dans avec chez sous para pela pelo sobre entre dell della delle dello "
                            "degli nella nelle sulla alla alle imeni".split())
#: Articles and prepositions of three letters in other languages' journal names, no word of a name of its own
_ARTICLES = frozenset("des les del los las die das dem den fur zur von van och".split())
#: A word that runs a journal's name on, not another journal's: "... Psychiatry, and Allied Disciplines"
_RUN_ON = frozenset("allied other related".split())
#: Places MEDLINE names a journal by, in parentheses a database may leave out: "Medicine Baltimore", "Health Aff
#: Millwood", "Healthcare Basel", "Mindfulness N Y"
_JOURNAL_PLACES = frozenset("baltimore millwood basel abingdon engl england lond london oxf oxford phila philadelphia "
                            "chic chicago york paris berl berlin amst amsterdam auckl dordr thorofare bethesda "
                            "hoboken auckland malden mass dallas tex edinburgh scotland toronto ont barc kaunas "
                            "calif seoul tokyo hagerstown ny dc".split())
#: A family's journal adds one to three words to the name ("Open", "Netw Open", "Nature Reviews Clinical Oncology");
#: more is the name's subtitle run on
_FAMILY_EXTRA_MAX = 3


def _family_word(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` is one of ``words`` or, of three letters or more, abbreviates one ("oncol", "netw")."""
    return word in words or (len(word) >= 3 and any(w.startswith(word) for w in words))


def _spelt_alike(w: str, v: str) -> bool:
    """Whether two words of five letters or more are one spelled two ways ("paediatr" / "pediatr", "periodontol" /
    "periodontal"): one's letters in the other's, in order, or alike but for a letter or two."""
    short, long_ = sorted((w, v), key=len)
    return len(short) >= 5 and short[0] == long_[0] and (_in_order(short, long_) or fuzz.ratio(w, v) >= 80)


#: Little words of three letters in other languages' journal names, which an abbreviation leaves out ("Tidsskrift
#: for den Norske laegeforening", "Revista de la Sociedad Espanola del Dolor")
_LITTLE_THREE = _ARTICLES | frozenset("per sur par aux dei het een med til ved".split())
#: Databases' abbreviations of a section's "Series", "Section" ("J Gerontol Ser A Biol Sci Med Sci"): no word of a name
_SECTION_ABBREVIATED = frozenset("ser sec".split())


def _inside_word(word: str) -> bool:
    """Whether a word inside a journal's name makes another journal: four letters or more ("Am J Geriatr Psychiatry"),
    a short one of a name's ("Chem Soc Rev" / "Chem Rev"), a place's ("J Am Chem Soc" / "J Chem Soc")."""
    return len(word) >= 4 or word in _FAMILY_HEADS or (
        len(word) == 3 and word not in _LITTLE_THREE and word not in _SECTION_ABBREVIATED)


def _other_of_family(x: list[str], y: list[str]) -> bool:
    """Whether the journal names ``x`` and ``y`` (words) are two journals of one family: the shorter's words each
    one of the longer's (or abbreviating it), the longer adding a word of ``_FAMILY_WORDS`` anywhere or of
    ``_FAMILY_HEADS`` before them, not the shorter's initials spelled out nor in the longer's subtitle; or naming its
    part after the shorter's words (``_journal_section``: "Circulation: Heart Failure"); or "Journal" after a one-word
    name ("Cancer Journal"). More than ``_FAMILY_EXTRA_MAX`` words added are a subtitle unless a family's word comes
    right after the shorter's ("BMJ Open Diabetes Research & Care")."""
    short, long_ = sorted((x, y), key=len)
    if len(short) == len(long_) or "".join(short) in ("".join(long_), "".join(w[0] for w in long_)):
        return False  # one name run together ("Psychooncology") or its initials ("JAMA" / "J Am Med Assoc")
    used: set[int] = set()
    for w in short:
        k = next((k for k, v in enumerate(long_) if k not in used and (v == w or v.startswith(w) or w.startswith(v))),
                 None)
        if k is None:  # spelled another way: "Eur J Pediatr" / "Eur J Paediatr Neurol", "Periodontol" / "Periodontal"
            k = next((k for k, v in enumerate(long_) if k not in used and _spelt_alike(w, v)), None)
        if k is None:
            return False
        used.add(k)
        rest = w[len(long_[k]):]
        if rest and k + 1 < len(long_) and long_[k + 1].startswith(rest):
            used.add(k + 1)  # one word for two, the name's hyphenated: "J Neurooncol" / "Journal of Neuro-Oncology"
    extra = [k for k in range(len(long_)) if k not in used]
    first, head, section = min(used), getattr(long_, "head", len(long_)), getattr(long_, "section", None)
    if section is not None and max(used) < section:
        return True  # "Circulation" / "Circulation: Heart Failure", "Lancet" / "The Lancet. Oncology"
    after = max(used) + 1
    if len(short) == 1 and extra == [after] and long_[after] in ("journal", "j"):
        return True  # "Cancer" / "Cancer Journal" ("Cancer J"), "Circulation" / "Circulation Journal"
    if (extra == [len(long_) - 1] and extra[0] > max(used) and len(long_[-1]) == 1 and long_[-1] > "h"
            and len(long_[-2]) > 1):
        # "Pflege" / "Pflege Z", "J Biomed Inform" / "J Biomed Inform X"; not a section's letter A-H, nor the last
        # of letters apart ("Proc Natl Acad Sci U S A", its "A" lost, / "... USA")
        return True
    if (len(short) == 1 and long_[0] == short[0] and 3 <= len(long_) <= getattr(long_, "plain", 0)
            and all(w.isalpha() and len(w) >= 3 and w not in _JOURNAL_NOT_SECTION for w in long_[1:])):
        return True  # a one-word name and two words or more run on: "Brain" / "Brain, Behavior, and Immunity"
    inside = [long_[k] for k in extra if first < k < max(used) and k < head and long_[k] not in _JOURNAL_LITTLE]
    if len(short) >= 2 and 1 <= len(inside) <= 2 and all(w.isalpha() and _inside_word(w) for w in inside) \
            and _JOURNAL_NOT_SECTION.isdisjoint(inside):
        # a word inside the name: "Am J Psychiatry" / "Am J Geriatr Psychiatry"; not a foreign article ("Annales
        # Francaises d Anesthesie"), a word a database broke at a lost letter ("espa?ola") or a parallel name's
        # "Journal"
        return True
    family_next = after in extra and after < head and _family_word(long_[after], _FAMILY_WORDS)
    if (len(extra) > _FAMILY_EXTRA_MAX and not family_next) or "".join(long_[k][0] for k in extra) in short:
        return False  # a subtitle ("Journal of Trauma-Injury Infection & Critical Care"), or the initials spelled out
    if any(k > first and long_[k] == "journal" for k in extra):
        return False  # "Future Generation Computer Systems-The International Journal of eScience": its subtitle
    if any(k < head and (_family_word(long_[k], _FAMILY_WORDS) or (k < first and long_[k] in _FAMILY_HEADS))
           for k in extra):
        return True
    added = [k for k in extra if k < head and long_[k] not in _JOURNAL_LITTLE | _ARTICLES]
    # one or two words before or after the whole shorter name: "Lancet" / "Lancet HIV", "AIDS" / "AIDS Behav",
    # "Health Serv Res" / "BMC Health Serv Res", "Syst Rev" / "Cochrane Database Syst Rev"; not the name run on
    # ("Journal of Child Psychology and Psychiatry, and Allied Disciplines"), its place ("Obesity Silver Spring Md")
    # nor its volume ("JOURNAL OF BONE AND JOINT SURGERY-AMERICAN VOLUME"); three after it too ("J Vasc Surg Venous
    # Lymphat Disord", "Arch Dis Child Fetal Neonatal Ed": an edition's), or a subject's initials ("Drugs R D")
    words = [long_[k] for k in added]
    if len(words) == 2 and all(len(w) == 1 and w.isalpha() for w in words) and all(k > max(used) for k in added):
        return "".join(words) not in _JOURNAL_PLACES  # not its place's ("Mindfulness N Y")
    if len(words) == 3 and words[-1] == "ed":
        words = words[:-1]
    if (len(short) >= 2 and len(added) == 2 and added[0] < first and added[1] > max(used)
            and all(w.isalpha() and len(w) >= 3 and w not in _JOURNAL_NOT_SECTION | _JOURNAL_PLACES for w in words)):
        return True  # a word before the name and one after: "Clin Endocrinol" / "Exp Clin Endocrinol Diabetes"
    return (1 <= len(added) <= 3 and all(w.isalpha() and len(w) >= 3 for w in words)
            and (len(added) < 3 or all(k > max(used) for k in added))
            and long_[added[0]] not in _RUN_ON and _JOURNAL_PLACES.isdisjoint(long_[k] for k in added)
            and _JOURNAL_NOT_SECTION.isdisjoint(long_[k] for k in added)
            and (all(k > max(used) for k in added) or all(k < first for k in added)))


def _in_order(sub: str, text: str) -> bool:
    """Whether the letters of ``sub`` occur in ``text`` in that order (a subsequence)."""
    it = iter(text)
    return all(c in it for c in sub)


def journals_compatible(a: str | None, b: str | None) -> bool:
    """Whether two journal fields can name the same journal (abbreviations, "&"/"and", subtitles, parallel titles);
    unknown journals are compatible. Used only to keep near-identical titles in different venues
    apart (a conference abstract and the later article), and a retraction notice from another journal's paper."""
    return _parts_compatible(_journal_parts(a), _journal_parts(b))


def _parts_compatible(pa: list[list[str] | tuple[str, ...]], pb: list[list[str] | tuple[str, ...]]) -> bool:
    if not pa or not pb:
        return True
    if _all_latin(pa[0]) != _all_latin(pb[0]):
        return True  # "中国中药杂志" and "China Journal of Chinese Materia Medica": not comparable
    if _other_places(pa[0], pb[0]):
        return False  # "Medicine (Baltimore)" / "Medicina (Kaunas)"
    if _words_after_placed(pa[0], pb[0]) or _words_after_placed(pb[0], pa[0]):
        return False  # "Med Clin (Barc)" / "Med Clin North Am"
    la, lb = (getattr(p[0], "letters", None) for p in (pa, pb))
    if la and lb and la.isdisjoint(lb):
        return False  # "J Phys Chem A" / "J Phys Chem B"
    for x in pa:
        for y in pb:
            if isinstance(x, tuple) or isinstance(y, tuple):
                if _parallel_match(x, y):
                    return True
                continue
            if x == y:
                return True
            if _other_of_family(x, y) or _other_before_subtitle(x, y) or _other_before_subtitle(y, x):
                continue  # "Diabetes" / "Diabetes Care": one name's words all in the other's
            if _words_turned(x, y):
                continue  # "Conserv Biol" / "Biol Conserv"
            if _other_region_subtitles(x, y):
                continue  # "Chemistry - A European Journal" / "Chemistry - An Asian Journal"
            if fuzz.token_set_ratio(" ".join(x), " ".join(y)) >= 80 and not _word_of_each(x, y):
                return True
            if (not getattr(x, "cut", False) and _is_abbreviation(x, y)) or \
                    (not getattr(y, "cut", False) and _is_abbreviation(y, x)):  # "j infect chemother": as many words
                return True
    return False


def _other_places(x, y) -> bool:
    """Whether two journal names give MEDLINE's places in brackets, and other places: MEDLINE names a journal's place
    where two share a name ("Medicine (Baltimore)" / "Medicina (Kaunas)"), so two places are two journals; not one
    place written two ways ("(London, England)" / "(Lond Engl)"), nor a place by its initials, no word to compare
    ("(New York)" / "(NY)")."""
    pa, pb = ([w for w in getattr(z, "place", None) or () if len(w) >= 3] for z in (x, y))
    return bool(pa and pb) and not any(_journal_word_alike(w, v) for w in pa for v in pb)


def _words_after_placed(x, y) -> bool:
    """Whether ``x`` gives MEDLINE's place in brackets, and ``y``, with none, adds two words or more after its name:
    MEDLINE names the place where two journals share a name ("Med Clin (Barc)"), so a name run on ("Med Clin North
    Am") is the other; not its place with the brackets lost ("Med Clin Barc", "Rev Esp Cardiol Engl Ed")."""
    place = getattr(x, "place", None)
    if not place or getattr(y, "place", None) or isinstance(y, tuple) or len(y) < len(x) + 2:
        return False
    added = y[len(x):getattr(y, "plain", len(y))]  # not a subtitle: "OTJR (Thorofare N J)" / "OTJR: Occupation, ..."
    return (len(added) >= 2 and all(_journal_word_alike(w, v) for w, v in zip(x, y))
            and all(w.isalpha() and w not in place and w not in _JOURNAL_PLACES for w in added))


def _other_before_subtitle(x: list[str], y: list[str]) -> bool:
    """Whether ``x``, a name and its subtitle after a colon, names before it another journal of the family of ``y``,
    a shorter name, the whole holding ``y`` in its subtitle too: "Journal of clinical oncology : official journal of
    the American Society of Clinical Oncology" is not "Clinical Oncology", as "Journal of Clinical Oncology" is not. A
    longer ``y`` may name the whole ("Subst Abuse Treat Prev Policy")."""
    before = getattr(x, "before", None)
    return before is not None and len(y) < len(before) and _other_of_family(before, y)


def _other_region_subtitles(x: list[str], y: list[str]) -> bool:
    """Whether two journal names both end in a short subtitle (three words at most), each naming a region the other
    does not: "Chemistry - A European Journal" / "Chemistry - An Asian Journal" are two journals, though a name
    without its subtitle may be either."""
    subs = [z[getattr(z, "head", len(z)):] for z in (x, y)]
    if not all(1 <= len(sub) <= 3 for sub in subs):
        return False
    regions = [{w for w in sub if w in _FAMILY_HEADS and len(w) >= 5} for sub in subs]
    return bool(regions[0] - set(y)) and bool(regions[1] - set(x))


def _words_turned(x: list[str], y: list[str]) -> bool:
    """Whether two journal names are one name's words in another order: two journals ("Conservation Biology" /
    "Biological Conservation", "Review of Educational Research" / "Educational Research Review"), as a database
    keeps a name's order."""
    return len(x) >= 2 and x != y and sorted(x) == sorted(y)


def _word_of_each(x: list[str], y: list[str]) -> bool:
    """Whether each journal name has a word the other lacks, not there abbreviated or spelled another way: "Clin
    Infect Dis" / "J Infect Dis", "Drug Alcohol Depend" / "Drug Alcohol Rev" are two journals, however alike the rest
    ("Paediatrics" / "Pediatrics", "Jounral" / "Journal" are one word). Words of a subtitle are left out: databases
    write it many ways ("Nippon Kyobu Geka Gakkai Zasshi - Journal of the Japanese Association for Thoracic Surgery" /
    "[Zasshi] [Journal]. Nihon Kyobu Geka Gakkai")."""
    def lacks(a: list[str], b: list[str]) -> bool:
        # each word its own: "J" of "Bone Joint J" is not "Joint" of "Bone Joint Res", which "Joint" met
        return not _each_its_own([[k for k, v in enumerate(b) if _journal_word_alike(w, v)]
                                  for w in a[:getattr(a, "head", len(a))]])
    return lacks(x, y) and lacks(y, x)


def _each_its_own(options: list[list[int]]) -> bool:
    """Whether each item can be given one of its options, no option given twice (a matching)."""
    given: dict[int, int] = {}

    def give(i: int, seen: set[int]) -> bool:
        for k in options[i]:
            if k not in seen:
                seen.add(k)
                if k not in given or give(given[k], seen):
                    given[k] = i
                    return True
        return False
    return all(give(i, set()) for i in range(len(options)))


def _journal_word_alike(w: str, v: str) -> bool:
    """Whether two words of journal names can be one: one abbreviating the other ("J", "Infect", "Neurosurg"), or
    spelled another way, transliterated ("Problemy Ekonomiky" / "Problems of Economy", Japan's "Nihon" / "Nippon")
    or mistyped."""
    short, long_ = sorted((w, v), key=len)
    if _other_word(short, long_):
        return False
    return ((short, long_) == ("nihon", "nippon") or long_.startswith(short)
            or (len(short) >= 3 and short[0] == long_[0] and _in_order(short, long_))
            or fuzz.ratio(w, v) >= 80 or fuzz.ratio(w.replace("c", "k"), v.replace("c", "k")) >= 80)


#: Words of journal names alike in their letters, in two languages: "Jornal de Pediatria" is not "Journal of
#: Pediatrics" (MEDLINE abbreviates both "J", as it does "J Bras Pneumol", which still meets "Jornal Brasileiro ...")
_FALSE_FRIENDS = frozenset({frozenset({"jornal", "journal"})})


def _other_word(short: str, long_: str) -> bool:
    """Whether two journal words, alike in their letters, are two words: ``_stem_inside``, ``_FALSE_FRIENDS``."""
    return _stem_inside(short, long_) or frozenset({short, long_}) in _FALSE_FRIENDS


def _stem_inside(short: str, long_: str) -> bool:
    """Whether the longer journal word adds a combining stem inside the shorter, past a start of five ("psychol" /
    "psychopathol", "psychology" / "psychopathology", "neurol" / "neuroradiol"): another subject, not an abbreviation
    nor a spelling ("orthop" / "orthopaedic", "frauenheilkd" / "frauenheilkunde", "gesundhwes" /
    "gesundheitswesen")."""
    n = next((k for k, (c, d) in enumerate(zip(short, long_)) if c != d), len(short))
    if n < 5 or n == len(short):
        return False
    rest = long_[n:]
    skipped = rest[:rest.find(short[n])]
    return len(skipped) >= 3 and skipped.endswith("o") and _in_order(short[n:], rest)


def _parallel_match(x, y) -> bool:
    """Whether a journal's parallel title and another name are one, spaced or not ("Zhonghua nei ke za zhi" / "Zhonghua
    Neike Zazhi"). Not by shared words: a house's journals share all but one ("nei ke" / "er ke" za zhi, "Chinese
    journal of pediatrics" / "of geriatrics"). An abbreviation ("Chin J Lung Cancer") is one of the whole name's."""
    return "".join(x) == "".join(y)


def _is_generic(ntitle: str) -> bool:
    return not ntitle or ntitle in _GENERIC_TITLES or bool(_GENERIC_PATTERN.search(ntitle))


_ROMAN = re.compile(r"^(?:ii|iii|iv|vi|vii|viii|ix)$")  # not i, v, x: "i.e.", "v." (versus), "2 x 2"
# a roman numeral is its number: "type II" and "type 2", "phase III" and "phase 3" are one title
_ROMAN_VALUES = dict(zip("i ii iii iv v vi vii viii ix x".split(), "1 2 3 4 5 6 7 8 9 10".split()))


def _series_numbers(ntitle: str) -> frozenset[str]:
    """Numbers that tell studies apart: whole numbers ("in 2019"), digit runs inside a word
    between the first and the last ("BRCA1", "T2DM", "H1N1"; not a poster code in front such as
    "PIN12", nor a footnote digit on the last word), a roman numeral II-IX standing alone ("stage
    III", or first: "II. <title>", a part whose series heading was dropped), and letters or words
    after series words ("type I", "Part A", "phase two"). Roman numerals and number words count as
    their number ("type II" is "type 2"), and so does an edition's ordinal ("second edition" is "2nd edition")."""
    return frozenset(_series_number_counts(ntitle))


def _series_number_counts(ntitle: str) -> Counter:
    """``_series_numbers`` with how often each is given: "HER2 ... phase 2" gives 2 twice, so that a cut title's
    numbers ("HER2 ... phase 2" / "HER2 ...") are within the other's, and "HER2 ... phase 3"'s are not."""
    words = ntitle.split()
    out = Counter(w for w in words if w.isdigit())
    out.update(_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS)
    out.update(d for w in words[1:-1] if not w.isdigit() for d in re.findall(r"\d+", w))
    out.update(_ROMAN_VALUES[w] for w in words if _ROMAN.match(w))
    out.update(_ROMAN_VALUES.get(x) or _NUMBER_WORDS.get(x, x) for x in _SERIES_WORD.findall(ntitle))
    if "edition" in ntitle or " ed" in ntitle:
        out.update(_ORDINALS[x] for x in _EDITION_WORD.findall(ntitle))  # "second edition" is "2nd edition"
    return out


#: A marker's sign in a title: "HER2+", "HER2 -", "CD4(+)", "CD4−" (a minus, an en dash), "HER2-negative",
#: "ER positive". ``normalise_title`` reads "+" as "plus" and drops a minus, so "HER2- breast cancer" is compared as
#: "HER2 breast cancer", which the same place or a third record then joined with "HER2+ breast cancer" (a copy that
#: lost its "+"). The lazy marker lets "HER2-negative" read as "HER2" and its sign; "+/-", "-/+" and "±" (either
#: status), in brackets or not, or in words ("positive/negative"), are a sign of their own, "+/-", which is neither
#: "+" nor "-", and so are "low" and "ultralow" ("HER2-low": neither "HER2+" nor "HER2-negative"); a spaced hyphen
#: before "positive" ("HER2 - positive", "HER2 – Positive": a database's spacing of "HER2-positive") is no sign.
_MINUS = "\u2010\u2011\u2212\u2013-"  # the hyphen last: not a range in [...]
_MARKER_SIGN = re.compile(
    rf"(?<![\w+{_MINUS}])([A-Za-z][A-Za-z0-9]*?(?:-[A-Za-z0-9]+)*?)"
    rf"(?:\s?\(\s?([+{_MINUS}])\s?\)|\s?([+{_MINUS}])(?![\w+{_MINUS}]|/\s?[+{_MINUS}]|\s*(?i:positive|negative)\b)"
    rf"|(?:\s?[{_MINUS}]\s?|\s)?((?i:positive|negative|ultra-?low|low))\b(?!\s?/\s?(?i:positive|negative)\b)"
    rf"|(?:\s?[{_MINUS}](?=\s?[pPnN])|\s?\(?)\s?(\+\s?/\s?[{_MINUS}]|[{_MINUS}]\s?/\s?\+|\u00b1"
    rf"|(?i:positive\s?/\s?negative|negative\s?/\s?positive)\b)\s?\)?(?![/\w+{_MINUS}]))")


#: A hyphen left hanging before "and" or "or", after a list of others ("CD4- and CD8-positive", "ER-, PR- and
#: HER2-negative"): it waits for the word after the last marker, whose sign it takes ("positive"), or none ("targeted")
_SUSPENDED = re.compile(rf"(?:\s*,\s*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*?[{_MINUS}](?=[\s,]))*"
                        rf"\s*,?\s+(?:and|or|&)\s+[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*?[{_MINUS}]([A-Za-z]+)\b", re.I)


#: What a title needs to give a sign (most titles hold none: the full pattern is not run on them), a minus in
#: brackets ("CD4(-)") too
_SIGN_HINT = re.compile(r"[+\u00b1\u2010\u2011\u2212\u2013\u207a\u207b]|(?<=[A-Za-z0-9])-(?![A-Za-z0-9])|\d\s-\s|"
                        r"\(\s?-\s?\)|"
                        r"positive|negative|\w[\s-]low\b|ultra-?low", re.I)


def _is_marker(word: str) -> bool:
    """A gene, receptor or cell marker that a sign follows: letters and digits ("HER2", "CD4", "PD-L1", "Ki67"), or
    two to five capitals ("ER", "HIV", "EGFR"); not a word of the sentence ("cancer - a review", "Triple-negative")."""
    letters = word.replace("-", "")
    if not letters.isalnum() or len(letters) > 10:
        return False
    if any(c.isdigit() for c in letters):
        return True
    return 2 <= len(letters) <= 5 and letters.isupper()


def marker_signs(title: str) -> tuple[tuple[str, str, str], ...]:
    """The markers a title gives a sign (key, sign "+", "-", "+/-" for either, "low" or "ultralow", the marker as
    written): "HER2+/ER- breast cancer" -> (("her2", "+", "HER2"), ("er", "-", "ER"))."""
    if not title or not _SIGN_HINT.search(title):
        return ()
    text = unicodedata.normalize("NFKC", title)  # a superscript sign ("CD4⁺") is the sign
    out = []
    for m in _MARKER_SIGN.finditer(text):
        word = m.group(1)
        if not _is_marker(word):
            continue
        if m.group(5):
            out.append((word.replace("-", "").lower(), "+/-", word))  # either status: not "+", not "-"
            continue
        sign = m.group(2) or m.group(3) or m.group(4)
        if m.group(3) and m.group(3) != "+" and m.end(1) < m.start(3) and not any(c.isdigit() for c in word):
            continue  # "IT - a new perspective", "ERP - problems encountered": a dash after a word, no sign
        if m.group(3) and m.group(3) != "+" and (hanging := _SUSPENDED.match(text, m.end())):
            sign = hanging.group(1).lower()  # "CD4- and CD8-positive": CD4's sign is "positive"
            if sign not in ("positive", "negative"):
                continue  # "HER2- and EGFR-targeted": no sign
        sign = sign.lower().replace("-", "")
        if sign not in ("low", "ultralow"):  # "HER2-low", "HER2-ultralow": statuses of their own, not "-"
            sign = "+" if sign == "+" or sign == "positive" else "-"
        out.append((word.replace("-", "").lower(), sign, word))
    return tuple(out)


def signs_alike(title: str) -> str:
    """The title with each marker's sign written one way, as de-duplication compares it: "HER2-positive" as "HER2+"
    (the normaliser reads "+" as "plus"), "HER2-" and "CD4(-)" as "HER2-negative" and "CD4-negative" (it drops a
    minus). A sign set off by a space ("HER2 -", a subtitle's dash), hanging before "and" ("CD4- and CD8-positive"),
    or after no marker ("Ca2+", an ion, is left alone) stays as written."""
    text = title
    if "<" in text:  # "HCO<sub>3</sub><sup>-</sup>" is "HCO3-", as the normaliser reads it
        text = without_markup(text)
    if not text or not _SIGN_HINT.search(text):
        return title
    text = unicodedata.normalize("NFKC", text)  # a superscript sign ("CD4⁺") is the sign
    out, end = [], 0
    for m in _MARKER_SIGN.finditer(text):
        if not _is_marker(m.group(1)):
            continue
        if m.group(5):
            out.append(text[end:m.end(1)] + " \u00b1")  # "+/-", "+/−", "-/+": one reading ("plus minus")
        elif m.group(4):
            if m.group(4).lower() != "positive":
                continue
            out.append(text[end:m.end(1)] + "+")
        elif m.group(2) == "+" or m.group(3) == "+":
            continue
        elif m.group(2) or (m.end(1) == m.start(3) and not _SUSPENDED.match(text, m.end())):
            out.append(text[end:m.end(1)] + " negative")
        else:
            continue
        end = m.end()
    return "".join(out) + text[end:] if out else title


def sign_contrast(signs_a: Iterable[tuple[str, str, str]], signs_b: Iterable[tuple[str, str, str]]) -> str | None:
    """The marker two titles give other signs, or None: "HER2+" / "HER2-" (or "HER2-negative"), "CD4+" / "CD4 -"
    are two populations, two studies, wherever they are printed. A marker with a sign in one title only may be a
    copy that lost it, and is left to the other tests."""
    a: dict[str, set[str]] = defaultdict(set)
    b: dict[str, set[str]] = defaultdict(set)
    shown: dict[tuple[str, str], str] = {}
    for signs, into in ((signs_a, a), (signs_b, b)):
        for key, sign, word in signs:
            into[key].add(sign)
            shown.setdefault((key, sign), word + ("-" + sign if sign.isalpha() else sign))  # "HER2-low"
    for key in sorted(a.keys() & b.keys()):
        if a[key] != b[key]:
            one = min(a[key] - b[key] or a[key])
            other = min(b[key] - a[key] or b[key])
            return f"'{shown[(key, one)]}' and '{shown[(key, other)]}'"
    return None


#: A gene, marker or variant as a title writes it: two capitals or more, or a capital and a digit ("ALK", "ROS1",
#: "KRAS", "G12C", "PD-L1", "V600E")
_MARKER_WORD = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w-])")


def _marker_words(title: str) -> dict[str, tuple[str, str]]:
    """The markers a stored title writes, by their compared form, each with the word it is written in: "ALK-positive"
    -> {"alk": ("ALK", "alkpositive")}, "PD-L1" -> {"pd": ("PD", "pdl1"), "l1": ("L1", "pdl1")}; none in a title
    written in capitals, where every word would be one."""
    if not _cased(title):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for m in _MARKER_WORD.finditer(title):
        whole = m.group(0).replace("-", "").lower()
        for w in m.group(0).split("-"):
            if sum(c.isupper() for c in w) >= 2 or (any(c.isupper() for c in w) and any(c.isdigit() for c in w)):
                out.setdefault(w.lower(), (w, whole))
    return out


def marker_swap(title_a: str, title_b: str, ntitle_a: str, ntitle_b: str) -> str | None:
    """A marker of one title in place of another marker of the other, or None: "ALK-positive" / "ROS1-positive",
    "KRAS G12C" / "BRAF V600E", two populations where a word test passes over words with digits. A marker the other
    title writes in small letters, split or joined otherwise ("ros 1", "PD L1", "PDL-1" / "PD-L1"), or cut ("T2D" /
    "T2DM"), is the same."""
    ma, mb = _marker_words(title_a), _marker_words(title_b)
    if not (ma and mb) or ma.keys() == mb.keys():
        return None

    def written(key: str, ntitle: str) -> bool:
        words = ntitle.split()
        return any("".join(words[i:i + k]) == key for k in (1, 2, 3) for i in range(len(words) - k + 1))

    def own(mine: dict, theirs: dict, their_ntitle: str) -> list[str]:
        wholes = {whole for _, whole in theirs.values()}
        return sorted(x for x, (_, whole) in mine.items() if x not in theirs and whole not in wholes
                      and not written(x, their_ntitle) and not written(whole, their_ntitle))

    for x in own(ma, mb, ntitle_b):
        for y in own(mb, ma, ntitle_a):
            if not (x.startswith(y) or y.startswith(x)):  # "T2D" / "T2DM", "EGFR" / "EGFRm": one name, cut
                return f"'{ma[x][0]}' and '{mb[y][0]}'"
    return None


#: A word of a title written as an abbreviation, letters only: two capitals or more ("NSCLC", "HFrEF", "dMMR", "PsA";
#: "SARS" and "CoV" of "SARS-CoV-2"). Not a code with digits or Greek letters ("IL-1β", "HbA1c", "COL1A1"), written
#: many ways, whose numbers are compared on their own.
_ABBREVIATION = re.compile(r"(?<!\w)[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?!\w)")


#: An abbreviation split by a hyphen or a space ("CAR-T", "CAR T", "NF-kB", "ACE-I"), which another database writes
#: whole ("CART", "NFkB", "ACEI")
_ABBREVIATION_SPLIT = re.compile(r"(?<!\w)([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*)[\s\-\u2010\u2011]([A-Za-z]+)(?!\w)")


#: An abbreviation called mutant in words ("EGFR-mutant", "EGFR mutated", "EGFR-mutation positive"), which another
#: database writes short with an "m" ("EGFRm")
_ABBREVIATION_MUTANT = re.compile(r"(?<!\w)([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*)[\s\-\u2010\u2011]"
                                  r"[Mm]ut(?:ant|ated|ation)s?(?!\w)")


def _cased(title: str) -> bool:
    """Whether a title writes some words in capitals, not all: "NSCLC" is then an abbreviation as written."""
    if not title or sum(c.isupper() for c in title) < 2:
        return False
    return sum(c.islower() for c in title) >= 0.25 * sum(c.isalpha() for c in title)


def abbreviations(title: str) -> dict[str, str | None]:
    """The abbreviations a stored title writes, by their lower-case form ("hfref": "HFrEF"), and those it splits
    written whole ("cart": None for "CAR-T") or cut ("NSC..."); none in a title written in capitals, where every word
    would be one."""
    if not _cased(title):
        return {}
    title = greek_spelled(title)  # "TNFa" is "TNF-α": no abbreviation of its own beside "TNF"
    out = {}
    last = None
    coded = [m.span() for m in _MARKER_WORD.finditer(title)
             if "-" in m.group(0) and any(c.isdigit() for c in m.group(0))]
    for m in _ABBREVIATION.finditer(title):
        if any(a <= m.start() < b for a, b in coded):
            continue  # part of a code with digits ("PD-L1" / "PDL-1", "SARS-CoV-2"): written many ways
        out.setdefault(m.group(0).lower(), m.group(0))
        last = m
    cut = _TITLE_CUT.search(title)
    if cut and last and not title[last.end():cut.start()].strip():
        out[last.group(0).lower()] = None  # "... with NSC...": the list cut "NSCLC", no abbreviation of its own
    for m in _ABBREVIATION_SPLIT.finditer(title):
        out.setdefault((m.group(1) + m.group(2)).lower(), None)  # "CAR-T" is "CART" too: only a copy's, not a word
    for m in _ABBREVIATION_MUTANT.finditer(title):
        out.setdefault(m.group(1).lower() + "m", None)  # "EGFR-mutant" is "EGFRm" too; plain "EGFR" is not
    return out


#: Two words joined by a hyphen, an en dash or a space ("ON-TARGET", "IMPROVE IT"), read overlapping
_TWO_PARTS = re.compile(r"(?<![\w])(?=([A-Za-z]+)[\s\-\u2010\u2011\u2013]([A-Za-z]+)(?![\w]))")


def _capital_words(title: str, other: str) -> dict[str, str | None]:
    """The words of a title written in capitals or in small letters as abbreviations ("hfpef": "HFPEF"), any of which
    may be one: those the other title lacks, and those it has as no abbreviation of its own (None); none where the
    title writes its abbreviations in capitals. In small letters a little word ("on", "no") is no abbreviation, nor a
    part's mark in pinyin ("(er)", the other's "(II)"), nor an acronym in two parts ("ON-TARGET", "IMPROVE IT") the
    other writes whole ("ONTARGET")."""
    if not title or _cased(title):
        return {}
    title, other = _pinyin_part_roman(title), _pinyin_part_roman(other or "")
    theirs = set(re.findall(r"[a-z]+", (other or "").lower()))
    if sum(c.isupper() for c in title) < 2:
        theirs |= _STOPWORDS | _LITTLE_WORDS
    for m in _TWO_PARTS.finditer(title):
        if (m.group(1) + m.group(2)).lower() in theirs:
            theirs |= {m.group(1).lower(), m.group(2).lower()}
    return {w.lower(): None if w.lower() in theirs else w
            for w in re.findall(r"(?<![\w])[A-Za-z]{2,}(?![\w])", title)}


#: Words a title cut inside its last abbreviation keeps at least: a database cuts a long title, not a short one
_CUT_MIN_WORDS = 8


def _cut_abbreviation(ta: str, tb: str, abbr_a: dict[str, str | None],
                      abbr_b: dict[str, str | None]) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The two titles' abbreviations, the last one of a title cut inside it without a mark ("... with COP" of "...
    with COPD") counted as the other's, not as an abbreviation of its own: a database that cuts a long title does
    so where a field ends, inside a word, of a long title. Compared titles (``ta``, ``tb``) tell the cut: one is the
    other's start, of ``_CUT_MIN_WORDS`` words at least ("Immunotherapy outcomes in PD" is a title of its own)."""
    for short, whole, mine in ((ta, tb, abbr_a), (tb, ta, abbr_b)):
        if len(short) < len(whole) and whole[len(short)] != " " and whole.startswith(short) \
                and len(short.split()) >= _CUT_MIN_WORDS:
            word = short.rsplit(" ", 1)[-1]
            if mine.get(word):
                uncut = {**mine, word: None}
                return (uncut, abbr_b) if mine is abbr_a else (abbr_a, uncut)
    return abbr_a, abbr_b


#: Little words beside ``_STOPWORDS`` that a title in small letters writes as words, not abbreviations ("no", "up")
_LITTLE_WORDS = frozenset("per up do does we our not no can may new one two all but than so if over after".split())


#: A country written short two ways ("US" / "USA"): one country, no population an abbreviation names
_COUNTRY_SHORT = {"usa": "us"}


def abbreviation_contrast(abbr_a: dict[str, str], abbr_b: dict[str, str]) -> str | None:
    """The two abbreviations, one in each title, that are alike but not one ("HFrEF" / "HFpEF", "SCLC" / "NSCLC",
    "dMMR" / "pMMR", "RA" / "PsA"), or None. Fuzzy matching reads one letter more or other as a typo, but an
    abbreviation names another population; not a plural ("RCT" / "RCTs") nor one country ("US" / "USA")."""
    only_a = {x for x, written in abbr_a.items() if written} - abbr_b.keys()
    only_b = {y for y, written in abbr_b.items() if written} - abbr_a.keys()
    for x in sorted(only_a):
        for y in sorted(only_b):
            if x + "s" == y or y + "s" == x or _COUNTRY_SHORT.get(x, x) == _COUNTRY_SHORT.get(y, y):
                continue
            if OSA.distance(x, y) <= 2:
                return f"'{abbr_a[x]}' and '{abbr_b[y]}'"
    return None


def acronym_lengthened(abbr_a: dict[str, str | None], abbr_b: dict[str, str | None]) -> str | None:
    """Two acronyms, one in each title, the longer the shorter with three letters or more after it ("ACCORD" /
    "ACCORDION": a trial and its follow-on study), or None. Fuzzy matching reads the shorter as the longer cut short,
    but a database cuts a title at its end (``_cut_abbreviation``), not an acronym inside it; nearer ones are
    ``abbreviation_contrast``'s."""
    only_a = {x for x, written in abbr_a.items() if written} - abbr_b.keys()
    only_b = {y for y, written in abbr_b.items() if written} - abbr_a.keys()
    for x in sorted(only_a):
        for y in sorted(only_b):
            short, whole = sorted((x, y), key=len)
            if len(short) >= 3 and len(whole) - len(short) >= 3 and whole.startswith(short):
                return f"'{abbr_a[x]}' and '{abbr_b[y]}'"
    return None


#: A trial's acronym with its extension's or follow-up study's mark after it ("ADVANCE-ON", the ADVANCE trial's
#: post-trial follow-up; "-EXT", "-OLE", "-LTE", "-FU"), or "IT" ("REDUCE-IT", a trial of its own beside "REDUCE"):
#: joined by a hyphen, or in capitals after a space ("ADVANCE ON"); in a title in capitals or small letters, by a
#: hyphen only ("EFFECT OF CPAP ON ..." is no mark). Other marks are words fuzzy matching counts ("SPRINT MIND").
_EXTENSION_MARK = "on|ext|ole|lte|fu|ltfu|it"
_HYPHEN = "[\\-\u2010\u2011\u2013]"  # a hyphen, or the en dash some databases print for one ("ADVANCE–ON")
#: Not inside a word or a hyphenated name: no letter, digit or hyphen before (or after) it
_APART_BEFORE, _APART_AFTER = "(?<![\\w\\-\u2010\u2011\u2013])", "(?![\\w\\-\u2010\u2011\u2013])"
#: In a title that writes its abbreviations in capitals, a sub-study's name in capitals after its trial's acronym
#: ("ACCORD-MIND", "SPRINT MIND", "WHI-CACS") is a mark too
_ACRONYM_EXTENDED = re.compile(rf"{_APART_BEFORE}([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)"
                               rf"(?:{_HYPHEN}((?i:{_EXTENSION_MARK})|[A-Z]{{2,}})"
                               rf"|\s({_EXTENSION_MARK.upper()}|[A-Z]{{2,}})){_APART_AFTER}")
_WORD_EXTENDED = re.compile(rf"{_APART_BEFORE}([A-Za-z][A-Za-z0-9]{{2,}}){_HYPHEN}((?i:{_EXTENSION_MARK}))"
                            rf"{_APART_AFTER}")
#: Another trial's acronym after a little word in capitals and a hyphen ("ON-TARGET" beside "TARGET", "IN-TIME"
#: beside "TIME"), in a title that writes its abbreviations in capitals
_ACRONYM_PREFIXED = re.compile(rf"{_APART_BEFORE}(?:ON|IN|IT|AT){_HYPHEN}([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)"
                               rf"{_APART_AFTER}")
_MARK_APART = re.compile(rf"{_HYPHEN}|\s")
#: A Roman numeral after an acronym ("NHANES III", "NYHA III") numbers it, as "NHANES 3" does: no sub-study's name
_ROMAN_MARK = re.compile("X{0,3}(?:IX|IV|V?I{0,3})")


def acronym_extensions(title: str) -> dict[str, str]:
    """The acronyms a stored title writes with an extension's or follow-up's mark after them, or another trial's
    little word before them, by their lower-case acronym, as written ("advance": "ADVANCE-ON", "target":
    "ON-TARGET"); not an acronym that is a little word itself."""
    cased = _cased(title)
    found = [m for pattern in ((_ACRONYM_EXTENDED, _ACRONYM_PREFIXED) if cased else (_WORD_EXTENDED,))
             for m in pattern.finditer(title or "")]
    return {m.group(1).lower(): m.group(0) for m in found
            if len(m.group(1)) >= 3 and m.group(1).lower() not in _STOPWORDS | _LITTLE_WORDS
            and not _ROMAN_MARK.fullmatch(next((g for g in m.groups()[1:] if g), "-"))}


def acronym_extended(title_a: str, title_b: str, ntitle_a: str, ntitle_b: str, ext_a: dict[str, str],
                     ext_b: dict[str, str]) -> str | None:
    """An acronym one title writes with its extension's or follow-up's mark ("ADVANCE-ON") or another trial's little
    word ("ON-TARGET") and the other without it ("ADVANCE", "TARGET") or with another mark ("ADVANCE-EXT"), or None:
    the trial and its post-trial follow-up are two studies, and "on" is a little word no title is told apart by. Not
    the same acronym and mark written another way ("ADVANCE ON", "ADVANCEON", "advance on"). ``ext_a``, ``ext_b``:
    the titles' ``acronym_extensions``."""
    for ext, other, nother, theirs in ((ext_a, title_b, ntitle_b, ext_b), (ext_b, title_a, ntitle_a, ext_a)):
        words = f" {nother} "
        for acronym, written in ext.items():
            spaced = _MARK_APART.sub(" ", written.lower())  # "advance on", "on target"
            mark = spaced.split()[-1]
            named = mark != acronym and mark not in _EXTENSION_MARK.split("|")  # a sub-study's name, not a mark
            if named and f" {mark} " in words:
                continue  # "HIV-AIDS" beside "HIV and AIDS": the other title names that study too
            # its name in the plural ("EGFR-TKIs") is the same; a mark run on into a word ("ADVANCE ongoing") is not
            if _MARK_APART.sub(" ", theirs.get(acronym, "").lower()) == spaced or f" {spaced} " in words \
                    or (named and f" {spaced}s " in words) or f" {spaced.replace(' ', '')} " in words \
                    or f" {acronym} " not in words:
                continue
            found = re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", other, re.I)
            return f"'{written}' and '{theirs.get(acronym) or (found.group(0) if found else acronym)}'"
    return None


def mark_after_acronym(abbr: dict[str, str | None], cased: str, uncased: str, raw_uncased: str = "") -> str | None:
    """An acronym one title writes in capitals ("ADVANCE", "TARGET": ``abbr``, its ``abbreviations``) that a title all
    in one case (``raw_uncased`` as stored) has with an extension's or follow-up's mark after it ("THE ADVANCE ON
    TRIAL") or another trial's little word joined before it ("THE ON-TARGET TRIAL"), the first title not, or None.
    ``cased``, ``uncased``: the two compared titles. In capitals or small letters "ON" after an acronym is told from
    the little word only by the other title ("Effect of CPAP on ..." has it in both)."""
    words, theirs = f" {cased} ", f" {uncased} "
    for acronym, written in abbr.items():
        if not written or len(acronym) < 3 or acronym in _STOPWORDS | _LITTLE_WORDS or f" {acronym} " not in words:
            continue
        for mark in _EXTENSION_MARK.split("|"):
            if f" {acronym} {mark} " in theirs and f" {acronym} {mark} " not in words \
                    and f" {acronym}{mark} " not in words:
                return f"'{written} {mark.upper()}' and '{written}'"
        before = re.search(rf"{_APART_BEFORE}(on|in|it|at){_HYPHEN}{re.escape(acronym)}{_APART_AFTER}",
                           raw_uncased, re.I)
        if before and f" {before.group(1).lower()} {acronym} " not in words \
                and f" {before.group(1).lower()}{acronym} " not in words:
            return f"'{before.group(1).upper()}-{written}' and '{written}'"
    return None


def mark_inserted(title_a: str, title_b: str, ntitle_a: str, ntitle_b: str) -> str | None:
    """Two titles, neither with capitals to tell an acronym by ("THE ADVANCE ON TRIAL" / "THE ADVANCE TRIAL", or in
    small letters), one the other with an extension's or follow-up's mark after a word, or None: "on" after
    "ADVANCE" is the post-trial follow-up's name, and one paper's copies do not lose a word. ``ntitle_a``,
    ``ntitle_b``: the compared titles."""
    wa, wb = ntitle_a.split(), ntitle_b.split()
    if abs(len(wa) - len(wb)) != 1:
        return None
    (longer, raw_l), (shorter, raw_s) = sorted(((wa, title_a), (wb, title_b)), key=lambda x: -len(x[0]))
    k = next((k for k, (x, y) in enumerate(zip(longer, shorter)) if x != y), len(shorter))
    if not 0 < k < len(longer) or longer[k] not in _EXTENSION_MARK.split("|") or longer[k + 1:] != shorter[k:]:
        return None
    word = longer[k - 1]
    if len(word) < 3 or word in _STOPWORDS | _LITTLE_WORDS:
        return None
    named = re.search(rf"(?<!\w){re.escape(word)}\s+{longer[k]}(?!\w)", raw_l, re.I)
    alone = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", raw_s, re.I)
    return f"'{named.group(0) if named else word + ' ' + longer[k]}' and '{alone.group(0) if alone else word}'"


_NOTICE_END = re.compile(r"\b(" + _NOTICE_END_WORDS + r")$")


def _notice_kind(ntitle: str) -> str | None:
    """What a compared title's words make the record ("correction", "reply" ...), or None. A title that begins like
    a notice and ends in another kind's word is both ("reply correction"): the erratum of a study titled "Response
    to treatment ...", its type or note's word put at the end (``title_key``), is not the study."""
    m = _NOTICE.search(ntitle)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    kind = _NOTICE_KIND.get(word, word) if word else "correction"
    if m.group(1) and m.end() < len(ntitle):
        end = _NOTICE_END.search(ntitle, m.end())
        tail = end and _NOTICE_KIND.get(end.group(1), end.group(1))
        if tail and tail != kind:
            return f"{kind} {tail}"
    return kind


#: The kinds of notice that carry the article's own title, marked by a note or the record's type only
_TITLED_AS_ARTICLE = frozenset({"correction", "retraction", "retracted", "concern"})


def _marked_already(key: str, raw: str, kind: str) -> bool:
    """Whether a compared title already says it is the notice a note or type makes it (``kind``): "Erratum: <title>"
    typed Erratum, "Re: <title> [comment]". A correction, retraction or expression of concern of a study whose title
    only begins like a reply ("Response to treatment ...", "Replica exchange ...") is not: its word is put at the end.
    """
    own = _notice_kind(key) or _letter_kind(raw)
    if kind in _TITLED_AS_ARTICLE:
        return bool(own) and not _TITLED_AS_ARTICLE.isdisjoint(own.split())
    return bool(own)


#: The same words set off at the end of a raw title: "<title>: response", "<title> (Letter)", "<title>
#: - Discussion" (the discussant's piece printed after the paper), "<title> - Errata". The punctuation
#: tells them from a study of "treatment response" or "goals-of-care discussion".
_LETTER_END = re.compile(r"(?:[.:;,\u2013\u2014]|\s-)\s*(?:the\s+|an?\s+)?(?:authors?'?s?'?\s+|invited\s+)?"
                         r"(response|reply|replies|discussion|letter|errata|corrigenda)\s*\.?\s*$"
                         r"|[(\[]\s*(?:authors?'?s?'?\s+)?(response|reply|discussion|letter|letter to the editor|"
                         r"errata|"
                         r"corrigenda)\s*[)\]]\s*\.?\s*$", re.I)
_LETTER_END_KIND = {"response": "reply", "reply": "reply", "replies": "reply", "errata": "correction",
                    "corrigenda": "correction"}


def _letter_kind(title: str) -> str | None:
    """What a raw title's "Re:", "Response:", "Editorial:" ... makes the item, or None."""
    m = _RE_LETTER.match(title)
    if not m:
        m = _LETTER_END.search(title)
        if m:
            return _LETTER_END_KIND.get((m.group(1) or m.group(2)).lower(), "comment")
        return None
    word = (m.group(1) or m.group(2)).lower()
    if not word.isascii():  # "tréplica", "correção": looked up without their accents
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    if "response" in word:
        return "reply"
    if "note" in word:
        return "note"
    return _LETTER_KIND.get(word, "comment")


#: The Cochrane Database of Systematic Reviews: each version of a review (".pub2", ".pub3") and its
#: protocol (the CD number alone) is its own record, published online in one year, with one title
#: (the review's); the year tolerance for online-first and print years does not apply.
_CDSR_DOI = "10.1002/14651858."
_CDSR_JOURNAL = re.compile(r"cochrane\s+database", re.I)
#: A report that comes out every year under one title ("Annual report of the national stroke audit", "Yearly
#: statistics of ...", "Annual review of ..."), or a yearly meeting's proceedings ("Abstracts of the annual meeting of
#: ..."): two years are two editions, not one report dated twice, unless a DOI, PMID, place or volume says so.
_YEARLY = re.compile(r"\b(?:annual|yearly)\s+(?:(?:data|scientific|general|clinical)\s+)?"
                     r"(?:reports?|surveys?|statistics|summary|summaries|reviews?|meetings?|conferences?|congress"
                     r"|congresses|symposium)\b")
#: A world or national report that comes out every year under one short title without saying so ("Global tuberculosis
#: report", "World malaria report", "World health statistics", "Global status report on road safety"): the title is
#: the report's name, not a paper's (at most ten words)
_WORLD_REPORT = re.compile(r"^(?:the\s+)?(?:world|global|national|international|european)\s+"
                           r"(?:(?!(?:in|of|and|trends)\b)\w+\s+){0,3}?"  # not "national trends in ... statistics"
                           r"(?:reports?|statistics|yearbook)(?:\s+on(?:\s+\w+){1,5})?$")

#: A meeting's abstract book, which keeps its title every year without saying "annual" ("Abstracts from the ESMO
#: congress", "Proceedings of the ... conference", "ESMO Congress abstract book", "ESMO 2019 Congress abstracts")
_MEETING_BOOK = re.compile(r"^(?:the\s+)?(?:(?:selected|scientific|oral|poster|free)\s+)?(?:abstracts?|proceedings|"
                           r"abstract\s+book)\s+(?:of|from|for|presented\s+at)\s+(?:\w+\s+){0,12}?"
                           r"(?:meetings?|congress(?:es)?|conferences?|symposi(?:um|a)|conventions?|summits?)"
                           r"(?:\s+\w+){0,12}$"  # not "Abstracts presented at ... meetings: publication rates of ..."
                           r"|\b(?:meetings?|congress|conferences?|symposium)\s+"
                           r"(?:abstracts?|proceedings|abstract\s+book)$")

#: A yearly standard or statistics that keeps its title every year (a database may drop the year from it): the ADA's
#: "Standards of medical care in diabetes", the AHA's "Heart disease and stroke statistics update", "Cancer statistics";
#: not a paper on statistics ("National trends in diabetes statistics")
_YEARLY_SERIES = re.compile(r"^standards of (?:medical )?care in \w+(?:\s+\d{4})?$"
                            r"|^(?!.*\b(?:trends?|in|of|on|among|for)\b)(?:[a-z]+\s+){0,5}statistics(?:\s+\d{4})?"
                            r"(?:\s+update)?(?:\s+a report from\b.*)?$")

#: A surveillance or progress report, a world update, a yearly summary or review that keeps its short title every year
#: without saying "annual" (CDC's "HIV surveillance report", "Sexually transmitted disease surveillance", ECDC's
#: "Progress report on HIV in Europe", "Global AIDS update", "Summary of notifiable diseases, United States", "The state
#: of the world's children", "The year in cardiology: heart failure"); not a paper on surveillance ("Active
#: surveillance", "Trends in HIV surveillance")
_REPORT_SERIES = re.compile(r"^(?!active\b)(?:(?!(?:trends?|in|of|on|among|for|and)\b)\w+\s+){1,5}surveillance"
                            r"(?:\s+(?:reports?|summary|summaries|data))?(?:\s+\d{4})?$"
                            r"|^(?:\w+\s+){0,4}progress\s+reports?(?:\s+on(?:\s+\w+){1,5})?$"
                            r"|^(?:world|global)\s+(?:\w+\s+){0,3}?updates?(?:\s+\d{4})?$"
                            r"|^summary of notifiable (?:diseases|conditions)\b"
                            r"|^(?:the\s+)?state of (?:the\s+)?world s\s+\w+"
                            r"|^(?:highlights of\s+)?(?:the\s+)?year in\s+\w+")


def _yearly(ntitle: str) -> bool:
    """Whether a compared title names a report or meeting that keeps its title every year."""
    if not ntitle:
        return False
    if ("annual" in ntitle or "yearly" in ntitle) and _YEARLY.search(ntitle):
        # a study of annual reports or reviews names its own design ("a cross-sectional study"): one paper
        return title_designs(ntitle) <= {"review", "survey"}
    if _YEARLY_SERIES.match(ntitle):
        return True
    if _MEETING_BOOK.search(ntitle):
        return not title_designs(ntitle)  # "Abstracts presented at ... congresses: a systematic review" is a paper
    if len(ntitle.split()) > 10:
        return False
    return bool(_WORLD_REPORT.match(ntitle)) or (bool(_REPORT_SERIES.match(ntitle))
                                                 and title_designs(ntitle) <= {"review"})
#: A trial registry named where the journal goes ("ClinicalTrials.gov", "https://www.isrctn.com/...",
#: WHO's "trialsearch" portal): the record is the registry's entry, not a report of the trial. So is a review's
#: entry in PROSPERO ("PROSPERO International prospective register of systematic reviews", whose name holds the
#: journal Systematic Reviews'), or INPLASY's.
_REGISTRY_JOURNAL = re.compile(r"clinicaltrials\.gov|trialsearch|\bisrctn|anzctr\.org|chictr\.org|drks\.de|ctri\.nic|"
                               r"clinicaltrialsregister\.eu|trialregister\.nl|umin\.ac\.jp|\bjrct\.|\birct\.ir|"
                               r"cris\.nih\.go\.kr|pactr\.|ensaiosclinicos|slctr\.lk|thaiclinicaltrials|\bprospero\b|"
                               r"crd\.york\.ac\.uk|\binplasy\b|"
                               # the registry in words: "WHO ICTRP", "EU Clinical Trials Register", "Iranian Registry
                               # of Clinical Trials", "Clinical Trials Registry - India"
                               r"\bictrp\b|\btrials?\s+regist(?:ry|er)\b|\bregist(?:ry|er)\s+(?:of|for)\s+"
                               r"(?:clinical\s+)?trials\b", re.I)
#: A preprint: its type (Europe PMC's "Preprint", Crossref's "posted-content", RIS's unpublished work "UNPB" and
#: BibTeX's "unpublished"; a working paper's or report's, as for a preprint the article published from it is another
#: report), its server as the journal, or its
#: server's DOI (medRxiv and bioRxiv 10.1101, Research Square 10.21203, SSRN 10.2139, PsyArXiv and OSF 10.31234 /
#: 10.31219 / 10.31235 / 10.31222, Preprints.org 10.20944, arXiv 10.48550, Authorea 10.22541)
_PREPRINT_TYPE = re.compile(r"\bpre-?prints?\b|\bposted[\s-]?content\b"
                            # a working paper or report (EconLit's "Working Paper", RIS RPRT, BibTeX techreport)
                            r"|\b(?:working|discussion)[\s-]?papers?\b|^\s*(?:rprt|reports?|tech\s*reports?)\s*$"
                            # an unpublished work: RIS UNPB, its words ("Unpublished work"), BibTeX's @unpublished
                            r"|^\s*unpb\s*$|\bunpublished\b", re.I)
_PREPRINT_JOURNAL = re.compile(r"\b(?:med|bio|chem|sport|eng)rxiv\b|\b(?:psy|soc|ed|earth)?arxiv\b|\bssrn\b|"
                               r"research\s*square|\bauthorea\b|\bpre-?prints?\b", re.I)
_PREPRINT_DOI = re.compile(r"^10\.(?:1101|21203|2139|31234|31219|31235|31222|20944|48550|22541)/")
#: A registry's record by its type: "Trial registry record", "Clinical Trial Registration" (not "Registered Report",
#: a journal's article)
_REGISTRY_TYPE = re.compile(r"\btrials?\s+regist(?:ry|ration)\b|\bregistry\s+(?:record|entry)\b", re.I)


#: A Cochrane protocol marked as one: "(Protocol)" after its title (the review's title) or its type ("Protocol").
_PROTOCOL_MARK = re.compile(r"\(\s*protocol\s*\)\s*$", re.I)
#: "(Review)" after a Cochrane review's title: the Cochrane Library's mark of the review, not a word of its title.
_REVIEW_MARK = re.compile(r"\s*\(\s*review\s*\)\s*$", re.I)
_PROTOCOL_TYPE = re.compile(r"\bprotocols?\b", re.I)

#: A conference abstract marked as one by its own record: an abstract's page or number ("A28", "P4 (Abstract
#: number)"), the meeting where the journal goes (Embase's "<journal>. Conference: <meeting>"), a title note
#: ("[Abstract]", "[Meeting abstract]") or its type ("Conference Abstract", "Meeting Abstract", RIS "ABST", a poster
#: or a meeting's presentation: "Poster", "Conference Presentation", RIS "SLIDE" and its words "Slide"); and
#: a record in a supplement: its volume or issue ("94 Suppl 1", "Supplement 2", "S1") or its page ("S45") says so.
_ABSTRACT_PAGE = re.compile(r"^\s*[ap]\d|\babstract", re.I)
_MEETING_JOURNAL = re.compile(r"\.\s*conference\s*:|\b(?:meeting|conference|congress)\s+abstracts?\b", re.I)
_ABSTRACT_NOTE = re.compile(r"[\[(]\s*(?:meeting\s+|conference\s+)?abstract(?:\s+no\b[^\])]*)?\s*[\])]", re.I)
_ABSTRACT_TYPE = re.compile(r"\b(?:conference|meeting|congress)\s+abstracts?\b|^\s*abst(?:ract)?\s*$|\bposters?\b"
                            r"|\b(?:conference|meeting|congress|oral)\s+presentations?\b|^\s*slides?\s*$", re.I)
_SUPPLEMENT = re.compile(r"\bsuppl|\bsupplement|^\s*s\d+\s*$", re.I)
_SUPPLEMENT_PAGE = re.compile(r"^\s*s\d", re.I)
#: An online journal's article number where the pages go ("e034567", BMJ Open's, PLOS's): an article without a page
#: range. A record typed as a meeting's item ("Conference Paper", "Proceedings Paper") or in a supplement
#: ("15_suppl": ASCO's online-only abstracts are numbered so) is not taken for one.
#: Elsevier's and Frontiers' article numbers carry no "e" ("104182"): six digits or more, no printed volume's page.
_ELOCATOR = re.compile(r"^\s*(?:e\d{3,}|\d{6,})\s*$", re.I)
_MEETING_ITEM = re.compile(r"conf|proceed|meeting|congress|symposi|abst|cpaper|suppl", re.I)
#: A journal whose name begins "Proceedings" that is no meeting's, and numbers its articles ("e2016239118")
_PROCEEDINGS_JOURNAL = re.compile(r"proceedings\s+of\s+the\s+national\s+academy\s+of\s+sciences", re.I)


def _meeting_mark(value: str | None, abstract: re.Pattern | None, supplement: re.Pattern | None = None) -> int:
    """2 when a field's value says its record is a conference abstract, 1 when it says the record is in a
    supplement (where meetings' abstracts are printed, and symposia's papers), else 0."""
    if not value:
        return 0
    return 2 if abstract and abstract.search(value) else 1 if supplement and supplement.search(value) else 0


#: A whole book and a chapter, by their type (RIS BOOK / CHAP, EndNote "Book" / "Book Section", PsycINFO
#: "Edited Book" / "Chapter", BibTeX book / incollection): a book's opening chapter may carry the book's title.
_BOOK_TYPES = frozenset("book books ebook edbook editedbook authoredbook wholebook electronicbook".split())
_CHAPTER_TYPES = frozenset("chap echap chapter bookchapter booksection electronicbooksection incollection inbook "
                           "bookpart".split())


def _book_kind(kind: str | None) -> str | None:
    """"book", "chapter" or None, from a record's type."""
    key = re.sub(r"[^a-z]", "", kind.lower()) if kind else ""
    return "book" if key in _BOOK_TYPES else "chapter" if key in _CHAPTER_TYPES else None


#: A dissertation or thesis: its type ("THES", "Dissertation/Thesis") or Dissertation Abstracts as the journal.
#: Words, not parts of words: "Dissertationes Mathematicae" is a journal. BibTeX writes the type as one word
#: ("phdthesis", "mastersthesis").
_THESIS_TYPE = re.compile(r"\b(?:phd|masters?)?thes(?:is|es)?\b|\bdissertations?\b", re.I)
_THESIS_JOURNAL = re.compile(r"\bdissertations?\b|\btheses\b|\bthesis\b", re.I)
#: A thesis's degree where EndNote's Thesis type puts it (the volume): "Ph.D.", "M.Sc.", "Master's", "Doctoral"
_DEGREE = re.compile(r"^\s*(?:ph\.?\s?d|d\.?\s?phil|ed\.?\s?d|dr\.?\s?p\.?\s?h|m\.?\s?(?:a|sc|s|phil|ed)|masters?'?s?|"
                     r"doctoral|doctorate)\.?\s*(?:thesis|dissertation)?\s*$", re.I)
#: A catalogue's number of pages ("215 p", "xv, 215 p.", "215 leaves"): a thesis's or book's length, not its place
_PAGE_COUNT = re.compile(r"^\s*(?:[ivxlc]+\s*,\s*)?\d+\s*(?:p|pp|pages|leaves)\b\.?\s*$", re.I)
#: A paper in a journal by its type, where the journal field is empty (a reference manager's or a spreadsheet's copy):
#: RIS JOUR (EJOUR, JFULL, INPR), EndNote's and PubMed's "Journal Article", Zotero's journalArticle, Scopus's and Web of
#: Science's "Article", "Review", "Article in Press", BibTeX's article. Part of a list counts
#: ("Journal Article; Review").
_ARTICLE_TYPES = frozenset("jour ejour jfull inpr journalarticle electronicarticle article articles articleinpress "
                           "review reviewarticle originalarticle researcharticle journalpaper".split())


def _article_type(kind: str | None) -> bool:
    """Whether a record's type says it is a paper in a journal."""
    return bool(kind) and any(re.sub(r"[^a-z]", "", p.lower()) in _ARTICLE_TYPES for p in re.split(r"[;,]", kind))


#: A letter, an editorial, a comment or a note by its type (Scopus's "Letter", "Editorial" and "Note", Web of Science's
#: "Letter" and "Editorial Material", PubMed's "Letter", "Editorial" and "Comment", PsycInfo's "Comment/Reply",
#: CINAHL's "Commentary", "Response" and "Correspondence"): a piece about an article, which may carry the article's own
#: title (a letter in a journal's correspondence, an editorial comment printed after the paper, the authors' reply).
_COMMENT_TYPES = frozenset("letter letters lettertotheeditor editorial editorials editorialmaterial editorialcomment "
                           "comment comments commentreply commentary commentaries response responses reply replies "
                           "correspondence note notes".split())
#: A paper by its document type, as the databases that type letters apart name it: Scopus's and Web of Science's
#: "Article" and "Review". Not RIS's JOUR nor "Journal Article" (EndNote, Zotero, PubMed): any journal item carries
#: them, and Scopus's "Note" (a commentary or a short communication) is a "Journal Article" in MEDLINE.
_PAPER_TYPES = frozenset("article articles review reviewarticle originalarticle researcharticle".split())


def _type_parts(kind: str | None) -> set[str]:
    return {re.sub(r"[^a-z]", "", p.lower()) for p in re.split(r"[;,]", kind)} if kind else set()


#: Items that carry another work's title and are other records by their type alone: Web of Science's "Book Review"
#: (PsycINFO's "Review-Book") under the title of the book it reviews; a dataset (DataCite's "Dataset", Web of
#: Science's "Data Set", RIS DATA) under the title of the article whose data it holds; a journal's news item on a
#: study (PubMed's "News", Web of Science's "News Item", MEDLINE's "[news]" note in the title) under the study's;
#: Web of Science's "Abstract of Published Item", a digest of a paper printed elsewhere, under the paper's; a grant
#: (RIS GRANT) under the title of the study it funds; a video or sound recording (RIS VIDEO, SOUND, MPCT for a film,
#: ADVS for audiovisual material, Zotero's videoRecording and audioRecording) under the title of the study it presents.
_ITEM_TYPES = {"bookreview": "book review", "bookreviews": "book review", "reviewbook": "book review",
               "dataset": "dataset", "datasets": "dataset", "data": "dataset", "news": "news item",
               "newsitem": "news item", "newsitems": "news item", "newsarticle": "news item",
               "newspaperarticle": "news item", "abstractofpublisheditem": "digest of a paper printed elsewhere",
               "grant": "grant", "grants": "grant",
               **dict.fromkeys("video videorecording sound soundrecording audiorecording mpct film advs "
                               "audiovisualmaterial".split(), "video or sound recording")}
_NEWS_NOTE = re.compile(r"\[\s*news\s*\]", re.I)


def _item_kind(kind: str | None, title: str = "") -> str | None:
    """What a record's type (or MEDLINE's "[news]" note in its title) says it is apart from the work whose title it
    carries ("book review", "news item"), or None."""
    found = next((_ITEM_TYPES[p] for p in sorted(_type_parts(kind)) if p in _ITEM_TYPES), None)
    return found or ("news item" if "[" in title and _NEWS_NOTE.search(title) else None)


def _comment_type(kind: str | None) -> bool:
    """Whether a record's type says it is a letter, an editorial or a note."""
    return not _COMMENT_TYPES.isdisjoint(_type_parts(kind))


def _letter_type(kind: str | None) -> bool:
    """Whether a record's type says it is a letter or an editorial (not a note, which may be a short paper)."""
    return not (_COMMENT_TYPES - {"note", "notes"}).isdisjoint(_type_parts(kind))


def _paper_type(kind: str | None) -> bool:
    """Whether a record's type says it is a research article or a review (and not also a letter or an editorial)."""
    parts = _type_parts(kind)
    return not _PAPER_TYPES.isdisjoint(parts) and _COMMENT_TYPES.isdisjoint(parts)


#: The mark a list puts where it cut a title short ('... in the …', '... in the...')
_TITLE_CUT = re.compile(r"(?:…|\.\.\.)\s*$")


class _Prepared:
    """Normalised matching keys for every record, in record_id order (positions 0..n-1)."""

    def __init__(self, records: pd.DataFrame, year_tolerance: int = 1, full_abstracts=None):
        self.year_tolerance = year_tolerance
        self._full_abstracts = full_abstracts
        if not isinstance(records, pd.DataFrame):
            raise ScreenerError("find_duplicates needs a table (DataFrame) of records indexed by record_id.")
        idx = records.index
        if idx.has_duplicates:
            dup = idx[idx.duplicated()][0]
            raise InputError(f"record_id {dup} appears more than once; every record needs its own id.")
        try:
            ids = [int(i) for i in idx]
        except (TypeError, ValueError):
            raise InputError(
                f"records must be indexed by integer record_id; found index values such as {idx[0]!r}."
            ) from None
        if not any(c in records.columns for c in ("title", "doi", "pmid")):
            raise InputError(
                "the records have none of the columns title, doi or pmid, so duplicates cannot be found; "
                f"columns present: {', '.join(map(str, records.columns)) or 'none'}."
            )
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        df = records.iloc[order]
        self.ids = [ids[i] for i in order]
        n = len(df)

        def col(name):
            return df[name].tolist() if name in df.columns else [None] * n

        # Exports repeat values (one study in many databases, one journal for many records), so
        # each distinct title, DOI, first author and journal is worked out once.
        self.titles = [t or "" for t in _texts(col("title"))]
        self.ntitles = _mapped(title_key, self.titles)
        # the markers each title gives a sign as written ("HER2+", "CD4 -"), which its compared title reads as "her2
        # plus" and "cd4": a record's own, as another copy of its compared title may have lost the sign
        self.signs = _mapped(marker_signs, self.titles)
        # the abbreviations each title writes ("HFrEF", "NSCLC"), which its compared title reads in lower case
        self.abbreviations = _mapped(abbreviations, self.titles)
        self.extensions = _mapped(acronym_extensions, self.titles)
        self.dois = _mapped(normalise_doi, _texts(col("doi")))
        self.pmids = [_norm_pmid(p) for p in col("pmid")]
        self.years = [_norm_year(y) for y in col("year")]
        author_lists = self.author_lists = [_authors(a) for a in col("authors")]
        first_authors = [a[0] if a else None for a in author_lists]
        self.author_keys = _mapped(lambda a: frozenset() if a is None else _name_tokens(a), first_authors)
        self.given_names = _mapped(lambda a: None if a is None else _given_names(a), first_authors)
        self.registry = _mapped(registry_id, first_authors)
        self.sources = _texts(col("source_db"))
        self.volumes = _mapped(_number, col("volume"))
        self.issues = _mapped(_number, col("issue"))
        known = [v for v in self.issues if v is not None]
        if len(known) >= 20 and len(set(known)) >= 0.95 * len(known):
            # issues repeat (issue 1, 2, ... of many volumes); a value on every record that is never
            # repeated is a record number some exports put in the issue field: not evidence
            self.issues = [None] * n
        starts = col("start_page")
        if "start_page" not in df.columns or all(_missing(v) for v in starts):
            from screener.records import start_page

            starts = _mapped(start_page, _texts(col("pages")))
        self.starts = _mapped(_page, starts)
        # "S45" is a supplement's page 45: not the place of the article on page 45 of the volume
        self.supplement_page = _mapped(lambda v: None if _missing(v) else bool(re.match(r"\s*s\d", str(v), re.I)),
                                       starts)
        self.page_counts = _mapped(_page_count, _texts(col("pages")))
        # an abstract that is only the record's other titles is none to screen on: no reason to show that copy first
        self.has_abstract = [_present(a) and not only_other_titles(str(a)) for a in col("abstract")]
        self.title_cut = [bool(t) and _TITLE_CUT.search(t) is not None for t in self.titles]
        self.retracted = _mapped(marked_retracted, self.titles)
        self.abstracts = _texts(col("abstract"))
        self._phrases: dict[int, tuple[frozenset[str], frozenset[str]] | None] = {}
        self._abstract_kinds: dict[int, str | None] = {}
        journals = _texts(col("journal"))
        self.journals = journals
        # a review in the Cochrane Database of Systematic Reviews (its journal or its DOI says so)
        self.cochrane = [bool((d and d.startswith(_CDSR_DOI)) or (j and _CDSR_JOURNAL.search(j)))
                         for d, j in zip(self.dois, journals)]
        for i, c in enumerate(self.cochrane):
            if c and self.titles[i].endswith(")") and _REVIEW_MARK.search(self.titles[i]):
                self.ntitles[i] = title_key(_REVIEW_MARK.sub("", self.titles[i]))  # the review's copy elsewhere
        self.yearly = _mapped(_yearly, self.ntitles)
        # the years the copies of each Cochrane version (its DOI) give: two databases may date one
        # version a year apart, which is then no sign of another version
        self.cochrane_years: dict[str, set[int]] = {}
        for d, y, c in zip(self.dois, self.years, self.cochrane):
            if c and d and y is not None:
                self.cochrane_years.setdefault(d, set()).add(y)
        kinds = _texts(col("type"))
        # a register's own export (ClinicalTrials.gov's, the WHO ICTRP's) keeps the trial id as the record's id; an
        # export that leaves the author out names the trial by the registry's link where the journal goes
        own_ids = col("source_ref") if "source_ref" in df.columns else col("source_id")
        self.registry = [r or _own_trial_id(k, own) or (registry_id(j) if j and _REGISTRY_JOURNAL.search(j) else None)
                         for r, k, own, j in zip(self.registry, kinds, own_ids, journals)]
        # the trial ids each record names its trial by: its own and the other registrations the ICTRP lists
        self.trial_ids = [_trial_ids(r, raw) for r, raw in zip(self.registry, col("raw"))]
        # a trial registry's entry: CENTRAL puts its number where the author goes (the number alone: an article's
        # group author may name it, "NCT01234567 Investigators") and the registry's link where the journal goes;
        # another export names the registry in words, or types the record so
        numbered = _mapped(lambda a: bool(a and _REGISTRY_ID.fullmatch(a.strip(" .,;"))), first_authors)
        self.registration = [bool(a or (j and (_REGISTRY_ID.search(j) or _REGISTRY_JOURNAL.search(j)))
                                  or (k and _REGISTRY_TYPE.search(k)))
                             for a, j, k in zip(numbered, journals, kinds)]
        # a dissertation: its type says so, or the journal is Dissertation Abstracts (PsycINFO's copy)
        self.thesis = [bool((t and _THESIS_TYPE.search(t)) or (j and _THESIS_JOURNAL.search(j)))
                       for t, j in zip(kinds, journals)]
        # a thesis by its catalogue record too: the degree where the volume goes (EndNote's Thesis type)
        self.thesis_record = [th or bool(v and _DEGREE.match(v)) for th, v in zip(self.thesis, _texts(col("volume")))]
        self.page_count_given = [bool(p and _PAGE_COUNT.match(p)) for p in _texts(col("pages"))]
        # a journal article by its type alone (no journal named): still not the dissertation it came from
        self.article_type = _mapped(_article_type, kinds)
        # a letter, editorial or note by its type, and a research article or review by its type
        self.kinds = kinds
        self.comment_type = _mapped(_comment_type, kinds)
        self.paper_type = _mapped(_paper_type, kinds)
        self.letter_type = _mapped(_letter_type, kinds)
        self.item_kind = [_item_kind(k, t) for k, t in zip(kinds, self.titles)]
        self.preprint = [bool((k and _PREPRINT_TYPE.search(k)) or (j and _PREPRINT_JOURNAL.search(j))
                              or (d and _PREPRINT_DOI.match(d)) or preprint_mark(strip_title_notes(t)))
                         for k, j, d, t in zip(kinds, journals, self.dois, self.titles)]
        # a notice that only its type marks (an erratum under the article's own title) keeps the word that says so,
        # as ``title_key`` does for a note: it is not the article it is about
        for i, kind in enumerate(_mapped(notice_type, kinds)):
            key = self.ntitles[i]
            if kind and key and not _is_generic(key) \
                    and not _marked_already(key, strip_title_notes(self.titles[i]), kind):
                self.ntitles[i] = key + " " + _KIND_WORD[kind]
        # a Cochrane protocol that says so (in its title or type): its review has the same title and CD number
        self.cochrane_protocol = [bool(c and (_PROTOCOL_MARK.search(t) or (k and _PROTOCOL_TYPE.search(k))))
                                  for c, t, k in zip(self.cochrane, self.titles, kinds)]
        # any protocol by its type (PubMed's "Clinical Trial Protocol"): a trial's protocol may carry the title of its
        # results paper
        self.protocol_type = [bool(k and _PROTOCOL_TYPE.search(k)) for k in kinds]
        # MEDLINE's notes: every review marked "[Review]", with its count of references ("[35 refs]")
        notes = [_MEDLINE_NOTE.findall(t) if "[" in t else [] for t in self.titles]
        self.medline_noted = [bool(ns) for ns in notes]
        self.medline_review = [any(x.lower().startswith("review") for x in ns) for ns in notes]
        self.review_refs = [next((int(m.group(1)) for x in ns if (m := _REFS.match(x))), None) for ns in notes]
        # a conference abstract that says so (2), or a record in a supplement (1): one title at two years'
        # meetings is two abstracts
        fields = ((_texts(col("pages")), _ABSTRACT_PAGE, _SUPPLEMENT_PAGE),
                  (_texts(starts), _ABSTRACT_PAGE, _SUPPLEMENT_PAGE), (journals, _MEETING_JOURNAL, None),
                  (kinds, _ABSTRACT_TYPE, None), (_texts(col("volume")), None, _SUPPLEMENT),
                  (_texts(col("issue")), None, _SUPPLEMENT))
        marks = [_mapped(functools.partial(_meeting_mark, abstract=a, supplement=s), values) for values, a, s in fields]
        marks.append([2 if "bstract" in t.lower() and _ABSTRACT_NOTE.search(t) else 0 for t in self.titles])
        # a conference listing's heading ("Oral presentation: <title>"), cut from the compared title, says so too
        heads = _mapped(lambda t: form_head(strip_title_notes(t)), self.titles)
        self.form = [h[0] if h else None for h in heads]
        marks.append([2 if h else 0 for h in heads])
        self.meeting_mark = [max(m) for m in zip(*marks)]
        # an article numbered by an online journal (its volume and e-locator), not a meeting's item nor in a supplement
        located = [next((x.strip() for x in (pages, start) if x and _ELOCATOR.match(x)), None)
                   for pages, start in zip(_texts(col("pages")), _texts(starts))]
        self.elocator = [p if v and p and not any(x and _MEETING_ITEM.search(_PROCEEDINGS_JOURNAL.sub("", x))
                                                  for x in other) else None
                         for v, p, *other in zip(self.volumes, located, kinds, _texts(col("issue")),
                                                 _texts(col("volume")), journals)]
        self.book_kind = _mapped(_book_kind, kinds)
        parts: dict[str | None, list[list[str]]] = {}
        self.journal_parts = [parts[j] if j in parts else parts.setdefault(j, _journal_parts(j)) for j in journals]
        has_keywords = [_has_items(k) for k in col("keywords")]
        has_type = [bool(t) for t in _texts(col("type"))]
        self.n_fields = [
            bool(self.titles[i]) + self.has_abstract[i] + bool(author_lists[i]) + (self.years[i] is not None)
            + bool(journals[i]) + bool(self.dois[i]) + bool(self.pmids[i]) + has_keywords[i] + has_type[i]
            for i in range(n)
        ]
        # Distinct normalised titles: the title-only keys are computed, and fuzzy titles compared,
        # once per distinct title. ``title_members[k]`` lists the records (positions, ascending)
        # whose normalised title is ``unique_titles[k]``.
        index: dict[str, int] = {}
        self.unique_titles: list[str] = []
        self.title_members: list[list[int]] = []
        self.title_index: list[int] = []
        for i, t in enumerate(self.ntitles):
            k = index.get(t)
            if k is None:
                k = index[t] = len(self.unique_titles)
                self.unique_titles.append(t)
                self.title_members.append([])
            self.title_members[k].append(i)
            self.title_index.append(k)
        self._venues: dict[tuple, bool] = {}
        self._inner_words: set[str] | None = None  # ``whole_word``: computed when a cut title is first compared
        self._authors: dict[tuple, bool] = {}
        self.title_notice = [_notice_kind(t) or next(filter(None, (_letter_kind(self.titles[i]) for i in members)), None)
                             for t, members in zip(self.unique_titles, self.title_members)]
        self.title_numbers = [_series_numbers(t) for t in self.unique_titles]
        # the abbreviations each title defines ("... diabetes (CFRD)"), which another copy may write short or cut
        self.defined = [abbreviations_defined(t, k) for t, k in zip(self.titles, self.ntitles)]
        self.title_generic = [_is_generic(t) for t in self.unique_titles]
        self.title_recurring = [self._recurring(members) for members in self.title_members]
        # recurring among records of one journal (or naming none), not only across two journals
        self.title_recurring_in_journal = [r and self._recurring(members, across_journals=False)
                                           for r, members in zip(self.title_recurring, self.title_members)]

    def _recurring(self, members: list[int], *, across_journals: bool = True) -> bool:
        """Whether one title names several items here (a column such as "Editor's Comments" in each
        issue, a conference abstract and the article): two of its records differ in volume, first
        page or year (beyond a reprint), or in issue within one volume. ``across_journals=False``
        leaves out pairs in journals that cannot be one (an abstract and the article printed elsewhere)."""
        if len(members) < 2:
            return False
        if len(members) > 60:  # many copies: compare the sets of values, not every pair
            vols = {self.volumes[i] for i in members} - {None}
            starts = {self.starts[i] for i in members} - {None}
            years = {self.years[i] for i in members} - {None}
            if len(vols) > 1 or len(starts) > 1 or (years and max(years) - min(years) > self.year_tolerance):
                return True
        else:
            for a in range(len(members)):
                i = members[a]
                for b in members[a + 1:]:
                    di, db = self.dois[i], self.dois[b]
                    if (di and db and di != db) or not self.authors_compatible(i, b) or self.other_kind(i, b):
                        continue  # different works that share a title, not one title recurring
                    if not across_journals and self.journals[i] and self.journals[b] \
                            and not self.venues_compatible(i, b):
                        continue
                    if self.details_conflict(i, b) or (self.issues_differ(i, b) and self.volumes[i] == self.volumes[b]):
                        return True
            return False
        issues = {(self.volumes[i], self.issues[i]) for i in members if self.issues[i] is not None}
        return len({iss for _, iss in issues}) > 1 and len({v for v, _ in issues}) <= 1

    def details_conflict(self, i: int, j: int) -> str | None:
        """What tells records i and j apart for certain, or None: DOI, year, volume, first page, first author."""
        di, dj = self.dois[i], self.dois[j]
        if di and dj and di != dj:
            return "different DOIs"
        ti, tj = self.trial_ids[i], self.trial_ids[j]
        ri, rj = self.registry[i], self.registry[j]
        # another registration is another trial, unless a secondary id links them to another register's number
        if (ti and tj and not ti & tj) or _other_registration(ri, rj):
            return f"trial registrations {min(ri, rj)} and {max(ri, rj)}"
        other_kind = self.other_kind(i, j)
        if other_kind:
            return other_kind
        pi, pj = self.pmids[i], self.pmids[j]
        if not (di and di == dj) and not (pi and pi == pj):
            if self.abstracts_differ(i, j):
                return "different abstracts (two papers of one title?)"
            if self.title_alone(i, j) and self.abstracts_rewritten(i, j):
                return "different abstracts and nothing but the title in common (two reports of one title?)"
            if {self.abstract_kind(i), self.abstract_kind(j)} == {"protocol", "results"}:
                return "one abstract a protocol's, the other reporting results (a trial's protocol and results paper?)"
        yi, yj = self.years[i], self.years[j]
        if yi is not None and yj is not None and abs(yi - yj) > self.year_tolerance:
            return f"years {min(yi, yj)} and {max(yi, yj)}"
        if yi != yj and yi is not None and yj is not None and (self.cochrane[i] or self.cochrane[j]) \
                and not self.one_version_dated_twice(i, j) and self.venues_compatible(i, j):
            # published online only, in one year: a year apart is the protocol, or another version
            return f"years {min(yi, yj)} and {max(yi, yj)} of a Cochrane review (its protocol or an update)"
        if yi != yj and yi is not None and yj is not None and self.yearly[i] and self.yearly[j] \
                and not (di and di == dj) and not (pi and pi == pj) and not self.same_place(i, j) \
                and not self.one_volume(i, j):
            return f"two years' editions of a yearly report or meeting ({min(yi, yj)} and {max(yi, yj)})"
        mi, mj = self.meeting_mark[i], self.meeting_mark[j]
        if yi != yj and yi is not None and yj is not None and mi and mj and max(mi, mj) == 2 \
                and not self.one_supplement(i, j):
            # both say they are a meeting's abstract (or one says so and the other that it is in a supplement):
            # an abstract is printed once, in its meeting's supplement, so the same volume or abstract page a
            # year apart is one abstract dated twice, anything else the next year's meeting
            return f"conference abstracts of {min(yi, yj)} and {max(yi, yj)} (two years' meetings)"
        if max(mi, mj) == 2 and min(mi, mj) == 0:
            # an abstract is dated by its meeting, and its copies give its supplement's place or say what it is: a
            # record without volume or page that says nothing of a meeting (nor is a meeting's item by its type) is
            # the full paper ahead of print, of the meeting's year or the next
            other = j if mi == 2 else i
            if not (self.volumes[other] or self.starts[other]) \
                    and not (self.kinds[other] and _MEETING_ITEM.search(self.kinds[other])):
                if yi != yj and yi is not None and yj is not None:
                    return (f"a conference abstract and a record a year apart without volume or page ({min(yi, yj)} "
                            f"and {max(yi, yj)}: the full paper ahead of print?)")
                return "a conference abstract and a record without volume or page (the full paper ahead of print?)"
        fi, fj = self.form[i], self.form[j]
        if fi and fj and fi != "abstract" and fj != "abstract" and fi != fj and not self.one_supplement(i, j):
            # a talk and a poster of one title: two meetings' abstracts, unless one supplement's page is both
            return "conference abstracts of an oral presentation and a poster (two meetings?)"
        if self.given_names_differ(i, j):
            return "first authors of one surname with other given names (two people?)"
        if not self.authors_compatible(i, j):
            return "different first authors"
        vi, vj = self.volumes[i], self.volumes[j]
        si, sj = self.starts[i], self.starts[j]
        place = None
        if vi and vj and vi != vj:
            place = f"volumes {vi} and {vj}"
        elif si and sj and si != sj and not self.numbered_and_paged(i, j):
            place = f"first pages {si} and {sj}"
        if place and not self.reprint(i, j):
            if not (vi and vj and vi != vj) and self.one_journal_two_pages(i, j):
                # a journal prints a paper once, so two first pages there are two items (a yearly edition), or one
                # paper whose page a database mistyped or gave ahead of print: only a person can tell
                return f"one journal at two first pages ({si} and {sj}: a yearly edition, or a page mistyped?)"
            return place
        return None

    def one_journal_two_pages(self, i: int, j: int) -> bool:
        """Whether records i and j, by one first author, name one journal, and are not two issues of one volume (two
        issues' columns): two first pages there are two items, or one paper's page mistyped or given ahead of print."""
        vi = self.volumes[i]
        two_issues = bool(vi and vi == self.volumes[j] and self.issues_differ(i, j))
        return bool(self.journals[i] and self.journals[j] and self.author_keys[i] and self.author_keys[j]
                    and self.venues_compatible(i, j) and not two_issues)

    def sign_contrast(self, i: int, j: int) -> str | None:
        """``sign_contrast`` of records i and j: "HER2+" / "HER2-"; or their ``abbreviation_contrast``: "HFrEF" /
        "HFpEF", two populations as two signs are; a title cut inside its last abbreviation (``_cut_abbreviation``)
        only where one volume and first page confirm the pair ("... with COP" is a title of its own otherwise); or
        their ``acronym_lengthened``: "ACCORD" / "ACCORDION", unless the shorter title is cut there or one volume
        and first page confirm the pair; or their ``acronym_extended``: "ADVANCE" / "ADVANCE-ON" (``mark_after_acronym``
        where one title is all in one case, ``mark_inserted`` where both are), unless one volume and first page
        confirm the pair."""
        if self.signs[i] and self.signs[j]:
            why = sign_contrast(self.signs[i], self.signs[j])
            if why:
                return why
        ai, aj = self.abbreviations[i], self.abbreviations[j]
        # neither title in capitals and small letters: no acronym is told from a word ("THE ADVANCE ON TRIAL")
        uncased = not ai and not aj and not _cased(self.titles[i]) and not _cased(self.titles[j])
        if (self.extensions[i] or self.extensions[j] or bool(ai) != bool(aj) or uncased) \
                and not self.same_place(i, j):
            cased, uncased_one = (i, j) if ai else (j, i)
            why = acronym_extended(self.titles[i], self.titles[j], self.ntitles[i], self.ntitles[j],
                                   self.extensions[i], self.extensions[j]) or (
                bool(ai) != bool(aj) and mark_after_acronym(self.abbreviations[cased], self.ntitles[cased],
                                                            self.ntitles[uncased_one], self.titles[uncased_one])) or (
                uncased and mark_inserted(self.titles[i], self.titles[j], self.ntitles[i], self.ntitles[j]))
            if why:
                return why
        if bool(ai) != bool(aj):
            # a title in capitals writes no abbreviation as one: its words the other title lacks may be one ("HFPEF")
            ai = ai or _capital_words(self.titles[i], self.titles[j])
            aj = aj or _capital_words(self.titles[j], self.titles[i])
        if ai and aj and ai != aj:
            place = self.same_place(i, j)
            if place:  # a cut one volume and first page confirm ("CF" / "CFRD" in one journal: two)
                ai, aj = _cut_abbreviation(self.ntitles[i], self.ntitles[j], ai, aj)
            if self.defined[i] or self.defined[j]:
                ai, aj = _defined_alike(ai, aj, {**self.defined[j], **self.defined[i]})
            # at one place, a word in capitals cut in two places ("CHEMOTH" / "CHEMOTHERAPIE") is one paper's
            return abbreviation_contrast(ai, aj) or (None if place else acronym_lengthened(
                *_cut_abbreviation(self.ntitles[i], self.ntitles[j], ai, aj)))
        return None

    def numbered_and_paged(self, i: int, j: int) -> bool:
        """Whether one record gives the article's number ("104182", "e0234567") and the other its PDF's pages from 1
        ("1-10"): two databases' ways of placing one article, not two first pages."""
        return any(self.elocator[a] and self.starts[b] == "1" and (self.page_counts[b] or 0) > 1
                   for a, b in ((i, j), (j, i)))

    def _abstract(self, i: int) -> str | None:
        text = self.abstracts[i]
        if text and self._full_abstracts is not None:  # cut short by the store: read the whole one
            text = self._full_abstracts([self.ids[i]]).get(self.ids[i]) or text
        return text

    def abstract_kind(self, i: int) -> str | None:
        """``_abstract_kind`` of record i's abstract, worked out once."""
        if i not in self._abstract_kinds:
            self._abstract_kinds[i] = _abstract_kind(self._abstract(i))
        return self._abstract_kinds[i]

    def _abstract_words(self, i: int) -> tuple[frozenset[str], frozenset[str]] | None:
        """An abstract's words and its pairs of adjacent words, or None when it is missing or too short to tell."""
        if i not in self._phrases:
            text = self._abstract(i)
            words = _WORD.findall(text.lower()) if text else []
            self._phrases[i] = None if len(words) < ABSTRACT_MIN_WORDS else (
                frozenset(words), frozenset(zip(words, words[1:])))
        return self._phrases[i]

    def abstracts_differ(self, i: int, j: int) -> bool:
        """Two abstracts in one language (many of the shorter's words in the other) that share hardly a phrase:
        two papers of one topic's title ("Magnetic resonance imaging of the shoulder."), not one paper exported
        twice (its copies share nearly every phrase, however headed, cut or signed), nor an abstract and its
        translation (few words shared)."""
        a, b = self._abstract_words(i), self._abstract_words(j)
        if not a or not b:
            return False
        def share(x, y):
            return len(x & y) / min(len(x), len(y))
        return share(a[0], b[0]) >= ABSTRACT_SAME_LANGUAGE and share(a[1], b[1]) < ABSTRACT_SHARED_PHRASES_MAX

    def title_alone(self, i: int, j: int) -> bool:
        """Whether nothing but the title can join records i and j: not both give a first author, a year, a DOI or
        PMID, or a first page (a search exported with title and abstract only)."""
        both = (self.author_keys, self.dois, self.pmids, self.starts)
        return not (any(v[i] and v[j] for v in both) or (self.years[i] is not None and self.years[j] is not None))

    def abstracts_rewritten(self, i: int, j: int) -> bool:
        """Two abstracts in one language that are not one text (``_one_text``): a chapter's next edition with its
        first sentences rewritten, or another paper of one topic's title. For records that nothing but the title
        joins (``title_alone``); where an author and year agree, only ``abstracts_differ`` tells."""
        a, b = self._abstract_words(i), self._abstract_words(j)
        if not a or not b or len(a[0] & b[0]) / min(len(a[0]), len(b[0])) < ABSTRACT_SAME_LANGUAGE:
            return False
        return not _one_text(_abstract_word_list(self._abstract(i)), _abstract_word_list(self._abstract(j)))

    def one_version_dated_twice(self, i: int, j: int) -> bool:
        """Whether the copies with i's or j's Cochrane DOI give both their years: one version dated a
        year apart by two databases (a DOI names one version), not the protocol and the review."""
        years = {self.years[i], self.years[j]}
        return any(d and years <= self.cochrane_years.get(d, set()) for d in (self.dois[i], self.dois[j]))

    def thesis_copies(self, i: int, j: int) -> bool:
        """Whether records i and j, both a thesis, are Dissertation Abstracts' record and a library catalogue's (its
        number of pages where the page goes, its school where the journal goes), by one first author: one thesis,
        likely, that nothing but the title and author confirms."""
        return bool(self.thesis_record[i] and self.thesis_record[j] and (self.thesis[i] or self.thesis[j])
                    and self.author_keys[i] and self.author_keys[j] and self.authors_compatible(i, j)
                    and (self.page_count_given[i] or self.page_count_given[j] or not self.venues_compatible(i, j)))

    def one_volume(self, i: int, j: int) -> bool:
        """Same volume of one journal (both known), in the same issue where both give one: a yearly report's one
        edition that two databases date a year apart, as the next year's edition is in the next volume."""
        vi = self.volumes[i]
        return bool(vi and vi == self.volumes[j] and self.journals[i] and self.journals[j]
                    and self.venues_compatible(i, j) and not self.issues_differ(i, j))

    def one_supplement(self, i: int, j: int) -> bool:
        """Same volume or same first page (both known): one supplement's abstract, whatever its two years."""
        vi, si = self.volumes[i], self.starts[i]
        return bool((vi and vi == self.volumes[j]) or (si and si == self.starts[j]))

    def other_kind(self, i: int, j: int) -> str | None:
        """Whether records i and j are two kinds of item that share a title, or None: a trial's registration
        and a record naming a journal or a person (a report of the trial; the registration's author and journal
        are the registry's), a dissertation and a paper in a journal (the article from it, named by its journal or
        its type), a Cochrane protocol marked as one and a Cochrane record that is not (its review), a record typed
        as a protocol and one not typed so outside the protocol's place (the results paper), a book and a
        chapter (by their types; a chapter one database calls a book keeps its page range), a book review, dataset,
        news item or digest (``_item_kind``) and a record not typed so outside its place (the work it is about), a
        preprint and a journal's record not marked as one, a letter, editorial or note and an article (by their
        types: any database's "Article" or "Review", or the letter's own database's other records, or for a letter or
        editorial another database's item outside its volume and page; not at one volume and first page, which is one
        item)."""
        if self.registration[i] != self.registration[j]:
            other = j if self.registration[i] else i
            if self.journals[other] or self.author_keys[other]:
                return "a registration and a report of the study (a trial's or a review's)"
        if self.thesis[i] != self.thesis[j]:
            other = j if self.thesis[i] else i
            if self.journals[other] or self.article_type[other]:
                return "a dissertation and a journal article"
        ki, kj = self.item_kind[i], self.item_kind[j]
        if ki != kj and not (self.same_place(i, j) or self.same_pages(i, j)):
            # a book review under the book's title, by a reviewer an export may leave out: its copy elsewhere is at
            # its own volume and page
            return f"a {ki or kj} and a record not typed as one (the work it is about?)"
        if self.preprint[i] != self.preprint[j] and not (self.same_place(i, j) or self.same_pages(i, j)):
            # the article's copy that names no journal carries nothing else that tells it from its preprint; a copy
            # naming neither a journal nor a type, or at the preprint's pages, may be the preprint's
            other = j if self.preprint[i] else i
            if self.journals[other] or self.article_type[other]:
                return "a preprint or working paper and a record not marked as one (the article published from it?)"
        if self.cochrane_protocol[i] != self.cochrane_protocol[j] and self.cochrane[i] and self.cochrane[j]:
            # the protocol and its review share the title and CD number, often the year too
            return "a Cochrane protocol and a record not marked as one (its review?)"
        if self.protocol_type[i] != self.protocol_type[j] and not (self.cochrane[i] and self.cochrane[j]) \
                and not (self.same_place(i, j) or self.same_pages(i, j)):
            # the protocol's copy in another database is typed "Article" or JOUR, as the results paper is: only the
            # protocol's place on it says it is the copy
            return "a protocol and a record not typed as one (its results paper?)"
        ri, rj = self.review_refs[i], self.review_refs[j]
        if ri is not None and rj is not None and ri != rj:
            return f"two reviews of {min(ri, rj)} and {max(ri, rj)} references (MEDLINE's notes)"
        if self.medline_review[i] != self.medline_review[j] and self.medline_noted[i] and self.medline_noted[j]:
            # MEDLINE marks every review: its record of the same title without the mark is another paper
            return "a review and a paper MEDLINE does not mark as one"
        mi, mj = self.meeting_mark[i], self.meeting_mark[j]
        if max(mi, mj) == 2 and min(mi, mj) == 0:
            abstract, other = (i, j) if mi == 2 else (j, i)
            if self.full_paper(other) and not self.full_paper(abstract):
                return f"a conference abstract and a full paper ({self.page_counts[other]} pages)"
            if self.elocator[other] and not self.starts[abstract]:
                # an online journal's article has no page range to tell it from the abstract: its number does
                number = self.elocator[other]
                label = "e-locator" if number[0] in "eE" else "article number"
                return f"a conference abstract and a full paper ({label} {number})"
        if self.comment_type[i] != self.comment_type[j] and not self.same_place(i, j):
            # a database that types a letter, an editorial or a note as one types the article apart: its own
            # records of another type (Scopus's RIS writes the article's as JOUR), any database's "Article".
            # At one volume and first page they are one item: Scopus's "Note" is Web of Science's "Article"
            other = j if self.comment_type[i] else i
            si, sj = self.sources[i], self.sources[j]
            if self.paper_type[other] or (self.kinds[other] and si and si == sj):
                return "a letter, editorial or note and an article (their types say so)"
            comment = i if other == j else j
            vi, pi = self.volumes[i], self.starts[i]
            if self.letter_type[comment] and si != sj and not (vi and vi == self.volumes[j]) \
                    and not (pi and pi == self.starts[j]):
                # another database's journal item (RIS JOUR, or no type) may be the letter's copy or the article it
                # answers under the same title: only the letter's volume or page on it says it is the copy
                return "a letter, editorial or note and a journal item not in its volume (the article it answers?)"
        bi, bj = self.book_kind[i], self.book_kind[j]
        if bi and bj and bi != bj and not self.same_pages(i, j):
            return "a book and a chapter (an opening chapter may carry the book's title)"
        return None

    def full_paper(self, i: int) -> bool:
        """A page range of at least ``REPRINT_MIN_PAGES`` pages: a paper, not a meeting's abstract (one or two)."""
        n = self.page_counts[i]
        return bool(n and n >= REPRINT_MIN_PAGES)

    def reprint(self, i: int, j: int) -> bool:
        """One full paper printed again in a book or yearbook: the same title and first author,
        at most one of the two in a journal volume, and both page ranges at least
        ``REPRINT_MIN_PAGES`` long. A conference abstract (one or two pages) and the article, two
        issues' columns, companion papers, a guideline co-published in two journals (two
        volumes), or two years' editions of a review in one journal are not reprints."""
        ni, nj = self.page_counts[i], self.page_counts[j]
        if self.volumes[i] and self.volumes[j]:
            return False  # two journal volumes: companion papers, or a guideline co-published in two journals
        if self.journals[i] and self.journals[j] and self.venues_compatible(i, j) \
                and not any(not self.volumes[k] and self.starts[k] == "1" for k in (i, j)):
            # a journal prints a paper once: two first pages there are two items (a yearly edition), unless one copy
            # is the article ahead of print, without volume and paged from 1
            return False
        return bool(
            ni and nj and ni >= REPRINT_MIN_PAGES and nj >= REPRINT_MIN_PAGES
            and self.author_keys[i] and self.author_keys[j]
            and self.ntitles[i] == self.ntitles[j] and len(self.ntitles[i].split()) >= _MIN_FUZZY_WORDS
            and not _is_generic(self.ntitles[i])
        )

    def whole_word(self, word: str, *records: int) -> bool:
        """Whether a title's last word is one the search writes whole: inside another title, or in the records'
        abstracts ("pain", not "natio" where a database cut "national")."""
        if self._inner_words is None:
            self._inner_words = {w for t in self.unique_titles for w in t.split()[:-1]}
        return word in self._inner_words or any(
            word in re.findall(r"[a-z0-9]+", (self.abstracts[k] or "").lower()) for k in records)

    def authors_compatible(self, i: int, j: int) -> bool:
        """Whether the two first authors can be one person: not two given names' initials of one surname ("Wang, Li"
        / "Wang, Yan", whose shared word is the surname), and ``authors_compatible`` of their name words."""
        if self.given_names_differ(i, j):
            return False
        ki, kj = self.author_keys[i], self.author_keys[j]
        if ki and kj and (ki & kj) and self.surnames_differ(i, j):
            return False
        if not ki or not kj or (ki & kj):
            return True
        key = (ki, kj) if id(ki) < id(kj) else (kj, ki)
        ok = self._authors.get(key)
        if ok is None:
            ok = self._authors[key] = authors_compatible(ki, kj)
        return ok or _surnames_alike(self.author_lists[i][0], self.author_lists[j][0])

    def surnames_differ(self, i: int, j: int) -> bool:
        """Whether two first authors whose names say which word is the surname share only a given name ("Berg, Anna" /
        "Vandenberg, Anna"): two people, not one. Not a name one export wrote the other way round ("Berg, Anna" /
        "Anna, Berg"), nor one surname written two ways ("Van den Berg" / "Vandenberg")."""
        a, b = self.given_names[i], self.given_names[j]
        if not (a and b) or (a[0] & self.author_keys[j]) or (b[0] & self.author_keys[i]):
            return False
        return not (authors_compatible(a[0], b[0]) or _surnames_alike(self.author_lists[i][0], self.author_lists[j][0]))

    def given_names_differ(self, i: int, j: int) -> bool:
        """``_given_names_differ`` of records i and j's first authors, also where one surname is written two ways
        ("Van den Berg, Maria" / "Vandenberg, Johan", "Mohamed, Ahmed" / "Muhammad, Sara") or read as one mistyped
        ("Hansen, Lars" / "Hanson, Erik", ``authors_compatible``): the given names still say two people."""
        a, b = self.given_names[i], self.given_names[j]
        if _given_names_differ(a, b):
            return True
        if not (a and b) or (a[0] & b[0]) or (a[1] & b[2]) or (b[1] & a[2]):
            return False
        return _surnames_alike(self.author_lists[i][0], self.author_lists[j][0]) or authors_compatible(a[0], b[0])

    def authors_reordered(self, i: int, j: int) -> bool:
        """Whether records i and j name the same two authors or more, each once, in another order: one paper whose
        author list a database reordered, or its two versions (a working paper and the article)."""
        a, b = self.author_lists[i], self.author_lists[j]
        if len(a) < 2 or len(a) != len(b):
            return False
        left = [_surname(x) for x in b]
        for name in map(_surname, a):
            k = next((n for n, other in enumerate(left) if name & other), None)
            if k is None:
                return False
            del left[k]
        return True

    def same_place(self, i: int, j: int) -> bool:
        """Same volume and first page (both known): the place in a journal that one paper occupies."""
        vi, si = self.volumes[i], self.starts[i]
        return bool(vi and si and vi == self.volumes[j] and si == self.starts[j])

    def one_review(self, i: int, j: int) -> bool:
        """Whether both records are Cochrane reviews at one place: its number names one review, retitled between
        versions ("for palliative care patients" / "for adult palliative care patients")."""
        return self.cochrane[i] and self.cochrane[j]

    def same_pages(self, i: int, j: int) -> bool:
        """Same first page and the same page range of two pages or more (both known)."""
        si, n = self.starts[i], self.page_counts[i]
        return bool(si and n and n >= 2 and si == self.starts[j] and n == self.page_counts[j])

    def venues_compatible(self, i: int, j: int) -> bool:
        """``journals_compatible`` of the two records' journals, worked out once per pair of names."""
        key = (self.journals[i], self.journals[j])
        ok = self._venues.get(key)
        if ok is None:
            ok = self._venues[key] = _parts_compatible(self.journal_parts[i], self.journal_parts[j])
        return ok

    def same_issue(self, i: int, j: int) -> bool:
        """Same volume and issue (both known) and first pages that do not differ."""
        vi, ni = self.volumes[i], self.issues[i]
        return bool(vi and ni and vi == self.volumes[j] and ni == self.issues[j])

    def issues_differ(self, i: int, j: int) -> bool:
        a, b = self.issues[i], self.issues[j]
        return bool(a and b and a != b)

    def completeness(self, i: int) -> tuple:
        """Sort key: the most complete record first (a whole title, abstract, DOI, fields), then lowest record_id.
        A title cut short ('... men in the …', Google Scholar's through Publish or Perish) is shown only where every
        copy's is: the copy with more fields filled showed the reviewer the cut title. A copy whose title says the
        article was retracted ("RETRACTED: <title>") comes next, so that the reviewer sees it; not before a copy
        with the abstract, which the study is screened on (the project says a copy is titled as retracted)."""
        return (self.title_cut[i], not self.has_abstract[i], not self.retracted[i], self.dois[i] is None,
                -self.n_fields[i], self.ids[i])



# ----------------------------------------------------------------------------- union-find


#: Two titles of one group this alike (``fuzz.ratio``) are compared for the words that tell studies
#: apart; less alike titles (a translated title at the paper's place) are not.
_GROUP_TITLE_MIN = 85.0


class _Groups:
    """Union-find that keeps the links that joined groups (to explain them), refuses a title-based
    join between groups holding different DOIs or PMIDs, and checks every pair across two groups
    before joining them, so a chain of weak links (2002 -> 2003 -> 2004) never joins records that
    differ. Joins it refuses that a person could still want are kept in ``review``."""

    def __init__(self, prep: _Prepared, keep_apart: set[tuple[int, int]] | None = None):
        n = len(prep.ids)
        self.prep = prep
        self.parent = list(range(n))
        self.members = [[i] for i in range(n)]
        self.dois = [{d} if d else set() for d in prep.dois]
        self.pmids = [{p} if p else set() for p in prep.pmids]
        self.links: list[tuple[int, int, str]] = []  # (i, j, reason template with {other})
        self.review: dict[tuple[int, int], str] = {}  # (i, j), i < j -> why a person should look
        self.keep_apart = keep_apart or set()  # position pairs (i < j) a reviewer said are different
        self._title_conflicts: dict[tuple[int, int], str | None] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def conflict(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        di, dj = self.dois[ri], self.dois[rj]
        pi, pj = self.pmids[ri], self.pmids[rj]
        return bool(di and dj and not (di & dj)) or bool(pi and pj and not (pi & pj))

    def flag(self, i: int, j: int, why: str) -> None:
        key = (i, j) if i < j else (j, i)
        self.review.setdefault(key, why)

    def cluster_conflict(self, ri: int, rj: int) -> str | None:
        prep = self.prep
        for a in self.members[ri]:
            for b in self.members[rj]:
                why = prep.details_conflict(a, b)
                if not why and self.other_journal(a, ri, b, rj):
                    why = "different journals"
                if not why:
                    why = self.title_conflict(a, b)
                if why:
                    return f"it would put records {prep.ids[a]} and {prep.ids[b]} ({why}) in one group"
        return None

    def title_conflict(self, a: int, b: int) -> str | None:
        """The words that tell two near-identical titles apart anywhere ("men" / "women", "in mice"
        / "in rats"), or None: "<title> among men" and "<title> among women" are kept apart, and must
        not become one through a record titled "<title>" that is alike to both."""
        prep = self.prep
        k, l = prep.title_index[a], prep.title_index[b]
        if k == l:
            return prep.sign_contrast(a, b)
        key = (k, l) if k < l else (l, k)
        if key not in self._title_conflicts:
            ta, tb = _one_script(prep.unique_titles[k], prep.unique_titles[l])
            why = None
            if ta and tb and fuzz.ratio(ta, tb) >= _GROUP_TITLE_MIN:
                why = title_contrast(ta, tb, one_sided=False)
            self._title_conflicts[key] = why
        return self._title_conflicts[key] or prep.sign_contrast(a, b)

    def other_journal(self, a: int, ra: int, b: int, rb: int) -> bool:
        """Whether records a (in group ra) and b (in group rb) are in journals that cannot be one,
        not at one volume and first page or issue, and neither group already holds a journal name
        compatible with the other record's (one journal named two ways, joined by a DOI). The same title in two
        journals (a conference abstract and the article) is two records, and must not become one
        through a third record that names no journal."""
        prep = self.prep
        if not (prep.journals[a] and prep.journals[b]) or prep.venues_compatible(a, b):
            return False
        if prep.same_place(a, b) or prep.same_issue(a, b) or prep.reprint(a, b):
            return False
        return not any(prep.journals[m] and prep.venues_compatible(m, b) for m in self.members[ra]) and \
            not any(prep.journals[m] and prep.venues_compatible(m, a) for m in self.members[rb])

    def union(self, i: int, j: int, reason: str, *, guard: bool) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or (guard and self.conflict(i, j)):
            return False
        if self.keep_apart and any(((a, b) if a < b else (b, a)) in self.keep_apart
                                   for a in self.members[ri] for b in self.members[rj]):
            return False
        if guard:
            why = self.cluster_conflict(ri, rj)
            if why:
                self.flag(i, j, "kept apart: " + why)
                return False
        if rj < ri:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members[rj])
        self.members[rj] = []
        self.dois[ri] |= self.dois[rj]
        self.pmids[ri] |= self.pmids[rj]
        self.links.append((i, j, reason))
        return True


# ----------------------------------------------------------------------------- stages


def _stage_identifier(prep: _Prepared, groups: _Groups, values: list, label: str) -> None:
    by_value: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(values):
        if v:
            by_value[v].append(i)
    for v, members in sorted(by_value.items()):
        if len(members) < 2:
            continue
        if label == "DOI" and _shared_doi(prep, members):
            _join_generic_copies(prep, groups, members, v)
            continue  # one DOI given to several works (a book, a supplement): leave it to the titles
        block = _IdentifierBlock(prep, members, prep.pmids if label == "DOI" else prep.dois)
        for n, j in enumerate(members[1:], start=1):
            # joined to the first earlier record whose whole group it fits: one identifier on two
            # works (a book's DOI on two chapters, a correction given its article's DOI, a
            # mistyped PMID) is not one study when the records plainly say otherwise
            first = None  # (record, why) of the first group it does not fit
            rj = groups.find(j)
            # where the loop would stop at j's own group (joined by an earlier stage): nothing to do there
            stop = min((block.pos[m] for m in groups.members[rj] if block.pos.get(m, n) < n), default=n)
            seen: set[int] = set()
            for k in block.candidates(j, n, stop):
                if k >= stop:
                    break
                i = members[k]
                root = groups.find(i)
                if root in seen or (first and block.apart is not None and block.apart[k]):
                    continue  # a group it does not fit, and the first such group's reason is known
                seen.add(root)
                clash = next((c for c in (_identifier_conflict(prep, m, j, label) for m in groups.members[root]) if c),
                             None)
                if clash is None:
                    groups.union(j, i, f"same {label} {v} as record {{other}}", guard=False)
                    break
                if first is None:
                    first = (i, clash)
                    block.first_found()
            else:
                if stop == n:
                    groups.flag(first[0], j, f"same {label} {v}, but {first[1]}: one {label} on two works?")


#: Records sharing an identifier from which on the records that plainly do not fit are told at once
_PLAINLY_APART_MIN = 50


class _IdentifierBlock:
    """The records sharing one identifier, in order, with what tells a later record plainly apart from the earlier
    ones at once. Hundreds of records under one identifier (a meeting supplement's abstracts given its PMID, a
    database that copied one PMID on to many records) were compared pair by pair, each pair in Python, which took
    minutes for a few thousand; the pairs that plainly do not fit are now told at C speed and the rest judged whole,
    in the same order, so the groups are the same."""

    def __init__(self, prep: _Prepared, members: list[int], other: list) -> None:
        self.prep, self.members, self.other = prep, members, other
        self.pos = {m: k for k, m in enumerate(members)}
        self.large = len(members) > _PLAINLY_APART_MIN
        self.apart: np.ndarray | None = None
        self._first = False
        if self.large:
            self.titles = [prep.ntitles[i] for i in members]
            words = [set(t.split()) for t in self.titles]
            self.word_count = np.array([len(w) for w in words])
            postings: dict[str, list[int]] = defaultdict(list)
            for k, ws in enumerate(words):
                for w in ws:
                    postings[w].append(k)
            self.postings = {w: np.array(ks) for w, ks in postings.items()}
            self.ascii = np.array([t.isascii() for t in self.titles])
            self.filled = np.array([bool(t) for t in self.titles])
            self.starts = np.array([prep.starts[i] or "" for i in members], dtype=object)
            self.others = np.array([other[i] or "" for i in members], dtype=object)

    def first_found(self) -> None:
        self._first = True

    def candidates(self, j: int, n: int, stop: int) -> Iterable[int]:
        """Positions of the earlier records to look at for record j, in order: all of them, or, under a large
        identifier, all until the first group j does not fit, then those not plainly apart."""
        self._first = False
        if not self.large:
            self.apart = None
            yield from range(n)
            return
        self.apart = self._plainly_apart(j, n)
        k = 0
        while k < stop and not self._first:
            yield k
            k += 1
        for k in np.flatnonzero(~self.apart[k:stop]) + k:
            yield int(k)

    def _one_holds_the_other(self, j: int, n: int) -> np.ndarray:
        """For each of the first n titles, whether its words and title j's share one and one title's are all the
        other's: where ``fuzz.token_set_ratio`` gives 100, and only there (two titles each with a word of its own
        score below 100), told from the words' postings, not pair by pair."""
        words = set(self.prep.ntitles[j].split())
        shared = np.zeros(n, dtype=np.int64)
        for w in words:
            at = self.postings.get(w)
            if at is not None:
                shared[at[:np.searchsorted(at, n)]] += 1
        return (shared > 0) & ((shared == self.word_count[:n]) | (shared == len(words)))

    def _plainly_apart(self, j: int, n: int) -> np.ndarray:
        """For each of the first n records, whether ``_identifier_conflict`` plainly keeps it apart from record j:
        titles not near-identical (with a margin below the scores that call them near), and two first pages or two
        other identifiers. Titles not all in ASCII letters (one in another script is compared by its Latin words
        only, ``_one_script``) are judged whole."""
        prep, tj = self.prep, self.prep.ntitles[j]
        if not tj:
            return np.zeros(n, dtype=bool)
        titles = self.titles[:n]
        near = process.cdist([tj], titles, scorer=fuzz.ratio, score_cutoff=DEFAULT_FUZZY_THRESHOLD - 1,
                             dtype=np.float64, workers=1)[0] > 0
        near |= self._one_holds_the_other(j, n)
        sj, oj = prep.starts[j], self.other[j]
        pages = (self.starts[:n] != sj) & (self.starts[:n] != "") if sj else np.zeros(n, dtype=bool)
        ids = (self.others[:n] != oj) & (self.others[:n] != "") if oj else np.zeros(n, dtype=bool)
        return self.ascii[:n] & tj.isascii() & self.filled[:n] & ~near & (pages | ids)


def _stage_trial_id(prep: _Prepared, groups: _Groups) -> None:
    """One trial's entries in the registers (its id in both registers' exports, or named among the other's secondary
    ids) are one study whatever their titles: each register titles a trial its own way. Registry entries only: an
    article that reports the trial is another record (PRISMA counts both)."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, ids in enumerate(prep.trial_ids):
        if prep.registration[i]:
            for t in ids:
                by_id[t].append(i)
    for t, members in sorted(by_id.items()):
        for j in members[1:]:
            i = members[0]
            root = groups.find(i)
            if root == groups.find(j):
                continue
            # a group of entries linked through a third one's secondary ids is one trial too, unless it would hold
            # two numbers of one register (two trials naming one parent study's number)
            if not all(prep.registration[m] for m in groups.members[root]):
                continue
            other = groups.find(j)
            reg = prep.registry
            two = next(((reg[a], reg[b]) for a in groups.members[root]
                        for b in groups.members[other] if _other_registration(reg[a], reg[b])), None)
            if two:
                groups.flag(i, j, f"linked by trial registration {t} (a secondary id), but registered as {min(two)} "
                                  f"and {max(two)} in one register: two trials (an extension or sub-study), or one "
                                  "trial registered twice?")
                continue
            groups.union(j, i, f"same trial registration {t} as record {{other}}", guard=False)


def _join_generic_copies(prep: _Prepared, groups: _Groups, members: list[int], doi: str) -> None:
    """Join the copies of an item whose title only names its kind ("Editorial") under a DOI that a database gives other
    items too (an issue's): the titles, left the rest of that DOI, never match such a title alone. Copies from two
    databases (or at one place) that nothing tells apart are one record; two editorials at two pages stay two."""
    by_title: dict[int, list[int]] = defaultdict(list)
    for i in members:
        if prep.title_generic[prep.title_index[i]]:
            by_title[prep.title_index[i]].append(i)
    for same in by_title.values():
        for n, j in enumerate(same[1:], start=1):
            for i in same[:n]:
                si, sj = prep.sources[i], prep.sources[j]
                if not ((si and sj and si != sj) or prep.same_place(i, j)) or prep.details_conflict(i, j):
                    continue
                if groups.union(j, i, f"same DOI {doi} and title as record {{other}}; the DOI is also other items'",
                                guard=True):
                    break


def _identifier_conflict(prep: _Prepared, i: int, j: int, label: str) -> str | None:
    """Why two records sharing a DOI or PMID are still two works, or None: one is a notice about
    the other; their titles only name a kind of item ("Editorial") and their details tell them apart; two journals
    at two places or years far apart say two works (``_two_journals_apart``), and so do two first authors of one
    title at two pages or as a letter and an article (``_letter_under_the_papers_title``); their titles
    are not one title (not near-identical, neither holding the other's words) and their other identifier or their
    first authors differ (two abstracts of one supplement on one topic share half their title words) or their first
    pages; or their titles are plainly unlike and neither a first author on both nor the first page confirms them (a
    wrong identifier in one database), or their journals differ too; or their near-identical titles differ in their
    numbers or in a word that makes another study (companion papers, one given the other's identifier); or they are
    two English titles sharing hardly a word and no first page confirms them (a volume's DOI on two papers of one
    author). A translated title keeps its page and author; an identifier written two ways under one title is one
    work."""
    ki, kj = prep.title_index[i], prep.title_index[j]
    if prep.title_notice[ki] != prep.title_notice[kj]:
        return "one is a notice (a correction, reply or retraction) about the other"
    di, dj = prep.dois[i], prep.dois[j]
    if di and dj and di != dj and di.startswith(_CDSR_DOI) and dj.startswith(_CDSR_DOI):
        # a Cochrane review's versions keep its title; each version's DOI is its own (".pub2", ".pub3")
        return (f"DOIs of two versions of a Cochrane review ({min(di, dj)} and {max(di, dj)}: its protocol or an "
                "update?)")
    if label == "PMID" and di and dj and di != dj and _dated_or_placed_apart(prep, i, j):
        # two DOIs and two years, volumes or first pages are two items (a paper and its reprint, or its correction
        # under the copied title) more often than one database's wrong DOI; one DOI mistyped changes nothing else
        return (f"DOIs {min(di, dj)} and {max(di, dj)} and no volume and first page in common (a paper and its "
                "reprint or correction, or a DOI wrong in one database?)")
    bi, bj = prep.book_kind[i], prep.book_kind[j]
    if bi and bj and bi != bj and not prep.same_pages(i, j):
        return "a book and one of its chapters (their types say so; an opening chapter may carry the book's title)"
    editions = _two_editions(prep, i, j)
    if editions:
        return editions
    if prep.title_generic[ki] and prep.title_generic[kj]:
        # "Editorial" names the kind of item, not the item: what tells two records apart without the identifier does
        why = prep.details_conflict(i, j)
        if why:
            return f"titles naming only a kind of item, and {why}"
    apart = _two_journals_apart(prep, i, j)
    if apart:
        return apart
    ti, tj = _one_script(prep.ntitles[i], prep.ntitles[j])
    if not (ti and tj):
        return None
    sim = fuzz.token_set_ratio(ti, tj)
    if sim >= 100 or fuzz.ratio(ti, tj) >= DEFAULT_FUZZY_THRESHOLD:
        added = notice_words_added(prep.ntitles[i], prep.ntitles[j], prep.titles[i], prep.titles[j])
        if added:
            return f"{added}: a letter, comment, summary, abridged version or notice about the paper"
        letter = _letter_under_the_papers_title(prep, i, j)
        if letter:
            return letter
        # companion papers ("part 1" / "part 2", "among men" / "among women"), one given the other's
        # identifier: a cut title loses its numbers, it does not change them
        ni, nj = prep.title_numbers[ki], prep.title_numbers[kj]
        if not (ni <= nj or nj <= ni) or (ni != nj and _number_inside(prep.ntitles[i], prep.ntitles[j])) \
                or _update_number_added(prep.ntitles[i], prep.ntitles[j]):
            return "titles that differ in their numbers"
        if ni and nj:
            na, nb = _series_number_counts(prep.ntitles[i]), _series_number_counts(prep.ntitles[j])
            if not (na <= nb or nb <= na):  # "... phase 2 ... type 2" / "... phase 3 ... type 2", counted
                return "titles that differ in their numbers"
        contrast = title_contrast(ti, tj, one_sided=False) or prep.sign_contrast(i, j)
        if contrast:
            return f"titles told apart by {contrast}"
        return _other_study_word(prep, i, j, ti, tj)  # None: one title, written two ways or cut
    turned = _finding_turned(ti, tj)
    if turned:
        return turned
    years = _title_years(ti), _title_years(tj)
    if all(years) and not (years[0] <= years[1] or years[1] <= years[0]):  # "Cancer statistics, 2019" / "2020"
        return f"titles naming other years ({' and '.join(sorted(years[0] ^ years[1]))})"
    if _contains(prep, i, j) or _contains(prep, j, i):
        return "a book and one of its chapters (the chapter named in the book's title as its source)"
    other = prep.pmids if label == "DOI" else prep.dois
    if other[i] and other[j] and other[i] != other[j]:
        return f"different titles and {'PMIDs' if label == 'DOI' else 'DOIs'}"
    if not prep.authors_compatible(i, j):
        # two conference abstracts of one supplement, on one topic, share many title words
        return "different titles and first authors"
    si, sj = prep.starts[i], prep.starts[j]
    if si and sj and si != sj:
        return "different titles and first pages"
    if not prep.venues_compatible(i, j) and not _two_translations(prep, i, j):
        # a journal prints a paper under one title: another's identifier pasted on the same team's other paper
        return "different titles and journals"
    if sim < IDENTIFIER_TITLE_MIN and not (si and si == sj) and not (prep.author_keys[i] and prep.author_keys[j]):
        # a wrong DOI or PMID in one database: nothing but the identifier says these are one work
        return "titles unlike, with no first author or first page on both to confirm them"
    if not (si and si == sj) and _two_works_in_one_language(prep.titles[i], prep.titles[j], ti, tj):
        return "titles in one language that name two works (they share hardly a word)"
    return _other_study_word(prep, i, j, ti, tj)


#: A Chinese, Japanese or Korean journal's romanised name ("Zhonghua Xin Xue Guan Bing Za Zhi", "Nihon Naika Gakkai
#: Zasshi"): another database names it in English ("Chinese Journal of Cardiology") and words the translated title its
#: own way, so two names and two titles are one paper's translations
_ROMANISED_JOURNAL = re.compile(r"\b(?:za\s?zhi|xue\s?bao|zhonghua|zhongguo|zasshi|gakkai|hakhoe)\b", re.I)


def _two_translations(prep: _Prepared, i: int, j: int) -> bool:
    """Whether records i and j's titles may be two translations of one paper, each worded its own way (a design as
    "a meta-analysis" or "a systematic review", "Clinical study of <title>"): ``_translated``, or a journal named
    romanised (``_ROMANISED_JOURNAL``)."""
    return _translated(prep, i, j) or any(_ROMANISED_JOURNAL.search(prep.journals[k] or "") for k in (i, j))


#: A first author that is no person: a trial's group, which PubMed names first where another database names the first
#: person ("SPRINT Research Group"), or a database's "Anonymous"
_NO_PERSON = re.compile(r"\b(?:anonymous|group|investigators|consortium|collaborat\w*|committee|trialists|network)\b",
                        re.I)


def _dated_or_placed_apart(prep: _Prepared, i: int, j: int) -> bool:
    """Whether records i and j differ in year, volume or first page and are not at one volume and first page (an
    online-first year beside the print year keeps its place)."""
    if prep.same_place(i, j):
        return False
    yi, yj = prep.years[i], prep.years[j]
    vi, vj, si, sj = prep.volumes[i], prep.volumes[j], prep.starts[i], prep.starts[j]
    return (yi is not None and yj is not None and yi != yj) or bool(vi and vj and vi != vj) \
        or bool(si and sj and si != sj)


def _letter_under_the_papers_title(prep: _Prepared, i: int, j: int) -> str | None:
    """Why records i and j, of one title under one DOI or PMID, are two items, or None: two first authors (persons,
    ``_NO_PERSON``) at two first pages, or one typed a letter, editorial or note and the other not (a journal heads
    the letters about a paper with its title, and a database gave one the paper's identifier)."""
    if not (prep.author_keys[i] and prep.author_keys[j]) or prep.authors_compatible(i, j) \
            or any(_NO_PERSON.search(prep.author_lists[k][0]) for k in (i, j)):
        return None
    si, sj = prep.starts[i], prep.starts[j]
    if si and sj and si != sj:
        return f"two first authors at first pages {si} and {sj} (a letter about the paper, given its identifier?)"
    if prep.comment_type[i] != prep.comment_type[j]:
        return "two first authors, one typed a letter, editorial or note (a letter about the paper?)"
    return None


def _two_journals_apart(prep: _Prepared, i: int, j: int) -> str | None:
    """Why records i and j, under one DOI or PMID, are two works whatever their titles, or None: two journals with two
    volumes and two first pages, or years far apart (a conference abstract and its article, one's identifier pasted
    on the other). A database that names one paper's journal wrongly keeps its volume, page and year."""
    if not (prep.journals[i] and prep.journals[j]) or prep.venues_compatible(i, j):
        return None
    vi, vj, si, sj = prep.volumes[i], prep.volumes[j], prep.starts[i], prep.starts[j]
    if vi and vj and vi != vj and si and sj and si != sj:
        return f"two journals, volumes {vi} and {vj}, first pages {si} and {sj}"
    yi, yj = prep.years[i], prep.years[j]
    if yi is not None and yj is not None and abs(yi - yj) > prep.year_tolerance:
        return f"two journals and years {min(yi, yj)} and {max(yi, yj)}"
    return None


def _title_years(ntitle: str) -> frozenset[str]:
    """The years a compared title names ("cancer statistics 2019")."""
    return frozenset(w for w in ntitle.split() if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"))


def _two_editions(prep: _Prepared, i: int, j: int) -> str | None:
    """Why two records of a yearly report or meeting's abstracts (or of a title naming only a kind of item, such as
    "Meeting abstracts"), in two volumes and two years, are two years' editions though they share a DOI or PMID (one
    pasted on the other year's record), or None."""
    ki, kj = prep.title_index[i], prep.title_index[j]
    if not ((prep.yearly[i] and prep.yearly[j]) or (prep.title_generic[ki] and prep.title_generic[kj])):
        return None
    vi, vj, yi, yj = prep.volumes[i], prep.volumes[j], prep.years[i], prep.years[j]
    if not (vi and vj and vi != vj and yi is not None and yj is not None and yi != yj):
        return None
    return f"two years' editions of a yearly report or meeting ({min(yi, yj)} and {max(yi, yj)}, volumes {vi} and {vj})"


def _number_inside(ta: str, tb: str) -> bool:
    """Whether one title is the other with a number put inside it, between words both share ("the ACTIVE trial" /
    "the ACTIVE 2 trial"): a sequel, not a title cut before its last number."""
    wa, wb = ta.split(), tb.split()
    if len(wa) < len(wb):
        wa, wb = wb, wa
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "delete" and 0 < a1 and a2 < len(wa) \
                and all(w.isdigit() or _ROMAN.match(w) or w in _NUMBER_WORDS for w in wa[a1:a2]):
            return True
    return False


def _translated(prep: _Prepared, i: int, j: int) -> bool:
    """Whether one of two titles may be the other's translation: in another script or language, or marked translated
    (``_TRANSLATED``): its words are not the other's."""
    ni, nj = prep.ntitles[i], prep.ntitles[j]
    return ni.isascii() != nj.isascii() or bool((set(ni.split()) | set(nj.split())) & _FOREIGN_WORDS) \
        or any(_TRANSLATED.search(prep.titles[k]) for k in (i, j))


#: Words that name which of a study's papers a title is: its protocol, design or baseline paper, a pilot, an interim
#: or economic report, beside its results paper; a database does not add or drop them inside a title
_PAPER_KINDS = frozenset("protocol rationale baseline interim preliminary pilot feasibility economic cost followup "
                         "extension".split())


def _paper_kind_in_one(ta: str, tb: str) -> str | None:
    """A word naming a study's paper (``_PAPER_KINDS``) in one compared title only, the titles sharing half their words
    or more, neither title the other's start (a subtitle left out: "<title>" / "<title>: protocol for a trial",
    "<title>: interim analysis") unless the word alone ends the longer ("<title>: a systematic review protocol": no cut
    there), or None. Not a title field that holds something else (the author list)."""
    if ta.startswith(tb) or tb.startswith(ta):
        tail = max(ta, tb, key=len)[len(min(ta, tb, key=len)):].split()
        return tail[0] if len(tail) == 1 and tail[0] in _PAPER_KINDS else None
    wa, wb = set(_JOINED.sub(r"\1\2", ta).split()), set(_JOINED.sub(r"\1\2", tb).split())
    if 2 * len(wa & wb) < len(wa | wb):
        return None

    def alone(w: str) -> bool:  # "pilot" / "piloting", "economic" / "economics": one word written two ways
        other = wb - wa if w in wa else wa - wb
        return not any(y.startswith(w) or w.startswith(y) or _misspelt(w, y) for y in other if len(y) >= 4)

    return min((w for w in (wa ^ wb) & _PAPER_KINDS if alone(w)), default=None)


def _two_drugs(ta: str, tb: str) -> str | None:
    """One drug's name in one compared title in place of another's in the other ("'sitagliptin' and 'saxagliptin'",
    ``_other_drug`` of any two stems), or None: a database does not rename a drug, whatever else confirms one paper."""
    a, b = Counter(ta.split()), Counter(tb.split())
    return next((f"'{x}' and '{y}'" for x in sorted(a - b) for y in sorted(b - a)
                 if _other_drug(x, y, one_class=False)), None)


#: Designs a database may word another way ("a clinical trial" / "a randomised controlled study"): no design of
#: their own
_DESIGN_WORDS = frozenset({"trial", "review"})
#: A later part's mark after a title ("(continued)", "(cont.)", "(concluded)", ": part 2") or before it ("II.",
#: "Part 2:"): not part 1, whose mark a database may leave out
_LATER_PART = r"(?:part|pt) (?!1$|i$|one$)(?:\d{1,2}|[ivx]{1,4}|two|three|four|five)"
_PART_TAIL = re.compile(rf"^(?:continued|cont|contd|concluded|{_LATER_PART})$")
_PART_HEAD = re.compile(rf"^(?:ii|iii|iv|v|vi|vii|viii|ix|x|{_LATER_PART})$")


def _next_part_marked(ta: str, tb: str) -> str | None:
    """The mark of a later part one compared title has after or before the other's words, or None: "<title>
    (continued)", "<title>: part 2", "II. <title>" beside "<title>" (a database neither adds such a mark nor cuts a
    title's start)."""
    short, whole = sorted((ta, tb), key=len)
    if not short or whole == short:
        return None
    if whole.startswith(short + " ") and _PART_TAIL.match(whole[len(short) + 1:]):
        return whole[len(short) + 1:]
    if whole.endswith(" " + short) and _PART_HEAD.match(whole[:-len(short) - 1]):
        return whole[:-len(short) - 1]
    return None


def _other_study_word(prep: _Prepared, i: int, j: int, ti: str, tj: str) -> str | None:
    """Why two titles under one DOI or PMID, alike but for a few words, are two studies, or None: a word turning the
    finding over, or naming a study's other paper ("protocol", "rationale", "baseline", "cost" in one title only, not
    its subtitle lost: ``_paper_kind_in_one``), which no page range makes one title reworded; or (a supplement's
    abstracts, a reused DOI) unless the same page range confirms one title reworded, words that tell titles
    over 85% alike apart ("adolescents" / "older adults", as ``_Groups.title_conflict``), a design in place of another
    ("a randomised controlled trial" / "a cohort study", however unlike the titles), a later part's mark ("<title>
    (continued)": ``_next_part_marked``), words put before one title ("Long-term outcomes of <title>":
    ``words_put_before``), or one drug's name in place
    of another's ("sitagliptin" / "saxagliptin") or an organ's adjective in place of another body part ("cardiac" /
    "liver"). Another word in place of one ("increases"
    / "improves") is one title a database reworded: the DOI says one work."""
    turned = _finding_turned(ti, tj)
    kind = None if _translated(prep, i, j) else _paper_kind_in_one(ti, tj)
    if kind == "protocol":
        return "titles of which one is a protocol's (the other its results paper?)"  # not a subtitle lost
    if kind:
        return f"titles with '{kind}' in one only (the study's protocol, design, baseline or economic paper?)"
    if turned or prep.same_pages(i, j):
        return turned
    # a database does not turn a trial into a cohort; "trial" or "review" alone is another wording of a design
    ga, gb = title_designs(ti) - _DESIGN_WORDS, title_designs(tj) - _DESIGN_WORDS
    if (ga - gb) and (gb - ga) and not _two_translations(prep, i, j):
        return f"titles naming two designs ('{min(ga - gb)}' and '{min(gb - ga)}')"
    part = _next_part_marked(ti, tj)
    if part:
        return f"titles with '{part}' in one only (the paper's next part?)"
    before = None if _two_translations(prep, i, j) else words_put_before(ti, tj, prep.titles[i], prep.titles[j])
    if before:  # "Long-term outcomes of <title>": a database cuts no words at a title's start
        return f"titles with {before} (a follow-up or secondary paper?)"
    if fuzz.ratio(ti, tj) >= _GROUP_TITLE_MIN:  # "in adolescents" / "in older adults": as near-identical titles are
        contrast = title_contrast(ti, tj, one_sided=False) or prep.sign_contrast(i, j)
        if contrast:
            return f"titles told apart by {contrast}"
    drugs = _two_drugs(ti, tj)
    if drugs:
        return f"titles naming two drugs ({drugs})"
    a, b = Counter(ti.split()), Counter(tj.split())  # "cardiac surgery" / "liver transplantation": however unlike
    organs = next((f"'{x}' and '{y}'" for x in sorted(a - b) for y in sorted(b - a)
                   if _other_organ(x, y) or _other_organ(y, x)), None)
    if organs:
        return f"titles naming two organs ({organs})"
    named = None if _translated(prep, i, j) else object_substituted(ti, tj, heads=_IDENTIFIER_OBJECT_HEAD)
    return f"titles with {named} in place of each other (two outcomes, places or groups?)" if named else None


#: Words after which a title names what a study is about: the outcome ("effect on mortality"), the place ("in Kenya"),
#: the group ("among women"); "the", "a" or "an" may stand between, and the first word of a place's name ("in the
#: United States" / "United Kingdom", "in New Jersey" / "New Mexico", "in South Korea" / "South Africa")
_OBJECT_HEAD = frozenset("on in of for among with at from during across within".split())
_OBJECT_LEAD = frozenset("the a an united new south north east west northern southern eastern western central saudi "
                         "sri great hong costa puerto sierra papua burkina el san santa sao rio".split())
#: Under one DOI or PMID, also the outcome after "and" ("Exercise and depression" / "Exercise and cognitive
#: function"): two papers of one team, one's identifier pasted on the other
_IDENTIFIER_OBJECT_HEAD = _OBJECT_HEAD | {"and"}


def object_substituted(ta: str, tb: str, *, heads: frozenset[str] = _OBJECT_HEAD) -> str | None:
    """A word after "on", "in", "among" ... (``heads``) in one title put in place of another (``word_substitution``),
    or None: "effect on mortality" / "effect on hospital admissions", "in Kenya" / "in Uganda". A database may reword
    a verb ("increases" / "improves"), it does not change an outcome, place or group."""
    if not word_substitution(ta, tb):
        return None
    wa, wb = ta.split(), tb.split()
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        k = a1
        while k > 0 and wa[k - 1] in _OBJECT_LEAD:
            k -= 1
        if k > 0 and wa[k - 1] in heads:
            swap = word_substitution(" ".join(wa[a1:a2]), " ".join(wb[b1:b2]))
            if swap:
                return swap
    return None


#: Small words that only English titles use, and ones English titles do not use (German, French, Spanish,
#: Portuguese, Italian, Dutch, Scandinavian): a title with one of the first and none of the second is in English.
_ENGLISH_WORDS = frozenset("the of and for with to on among from by after during between versus without is are "
                           "their its".split())
_FOREIGN_WORDS = frozenset("der die das und mit bei zur zum fur für eine einer les des du et une dans pour avec sur "
                           "los las el y del con por para una em com uma da dos della degli il nel negli een het "
                           "bij voor och og".split())
#: Two titles under one identifier name two works when under this share of the shorter's words is in the other.
_SHARED_WORDS_MIN = 0.5


def _english(ntitle: str) -> bool:
    words = set(ntitle.split())
    return bool(words & _ENGLISH_WORDS) and not words & _FOREIGN_WORDS


def _content_words(ntitle: str) -> list[str]:
    return [w for w in dict.fromkeys(ntitle.split()) if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()]


#: A title MEDLINE gives translated: in square brackets ("[Budesonide in asthma]"), or with a note naming the paper's
#: language ("<title> [German]", "[Article in French]"), also inside quotes ('"[...]"'); another database's English
#: translation words it otherwise
_TRANSLATED = re.compile(r"^[\s\"'“‘]*\[.*\]\W*$"
                         r"|\[\s*(?:article\s+)?(?:in\s+)?(?!english\b)(?:" + _LANGUAGES + r")\b", re.I | re.S)


def _two_works_in_one_language(raw_a: str, raw_b: str, ta: str, tb: str) -> bool:
    """Whether two titles under one DOI or PMID are two English titles that share under half the shorter's words
    (counting a word cut short, mistyped or written as its acronym): a volume's DOI on two of its papers, a book's on a
    chapter, a mistyped identifier. A translation is in another language, or an English translation of a paper in
    one (``_TRANSLATED``); a title field holding an author list ("Smith, J., Jones, M., ...") says nothing of the
    work."""
    if raw_a.count(",") >= 3 or raw_b.count(",") >= 3 or not (_english(ta) and _english(tb)):
        return False
    if _TRANSLATED.search(raw_a) or _TRANSLATED.search(raw_b):
        return False
    wa, wb = _content_words(ta), _content_words(tb)
    if len(wa) > len(wb):
        wa, wb, tb = wb, wa, ta
    if len(wa) < 3 or _is_generic(ta) or _is_generic(tb):
        return False
    initials = "".join(w[0] for w in tb.split())

    def found(x: str) -> bool:
        return any(x == y or _typo(x, y) or (len(x) >= 3 and y.startswith(x)) for y in wb) or (
            2 <= len(x) <= 6 and x.isalpha() and _in_order(x, initials))

    return sum(map(found, wa)) < _SHARED_WORDS_MIN * len(wa)


def _finding_turned(ti: str, tj: str) -> str | None:
    """Why titles under one DOI or PMID that differ in a word turning the finding over ("increases" / "decreases",
    "does not improve") are two papers (a companion paper given the other's identifier), or None."""
    turned = word_in_place(ti, tj, turned_only=True)
    return f"titles with {turned}" if turned else None


def _contains(prep: _Prepared, book: int, part: int) -> bool:
    """Whether record ``part`` names record ``book``'s title as its source (a chapter's book title in the
    journal field, with or without the book's subtitle): the book and one of its chapters, which a
    database may give the book's DOI."""
    source, title = prep.journals[part], prep.ntitles[book]
    if not source or len(title.split()) < _MIN_FUZZY_WORDS:
        return False
    key = _words(source)
    return len(key.split()) >= _MIN_FUZZY_WORDS and (key == title or fuzz.token_set_ratio(key, title) >= 100)


#: Below this ``token_set_ratio`` two records with one DOI or PMID are kept apart unless both give
#: a first author (a translated title keeps its author) or the same first page (the same threshold
#: as ``PLACE_TITLE_MIN``); a different first author, first page or other identifier keeps them
#: apart whenever the titles are not one title.
IDENTIFIER_TITLE_MIN = 60.0


def _shared_doi(prep: _Prepared, members: list[int]) -> bool:
    """True when one database gives this DOI to records with plainly different titles, as happens
    with a book's DOI on each chapter or a supplement's DOI on each conference abstract."""
    by_source: dict[str | None, list[int]] = defaultdict(list)
    for i in members:
        by_source[prep.sources[i]].append(i)
    for same in by_source.values():
        for a in range(len(same)):
            for b in range(a + 1, len(same)):
                ta, tb = prep.ntitles[same[a]], prep.ntitles[same[b]]
                if ta and tb and fuzz.ratio(ta, tb) < 80:
                    return True
    return False


#: Kinds of record that ``details_conflict`` tells apart on their marks alone, listed for a person when the
#: titles are one: a mark may be missing on a copy, or wrong.
_LISTED_KINDS = ("a Cochrane protocol", "a protocol and", "conference abstracts of", "a book and a chapter",
                 "a conference abstract and", "a dissertation and", "two reviews of", "a review and a paper MEDLINE",
                 "different abstracts", "one abstract a protocol's", "a letter, editorial or note and",
                 "a preprint or working paper and", "two years' editions", "a grant and",
                 "a video or sound recording and", "first authors of one surname", "one journal at two first pages")


def _flag_two_issues_one_range(prep: _Prepared, groups: _Groups, i: int, j: int) -> None:
    """List records i and j, one title in two issues of one volume at one page range: a column recurs at other pages,
    so this is one paper's issue mistyped by a database, or a column in a journal that pages each issue anew."""
    if prep.same_place(i, j) and prep.same_pages(i, j) and not prep.title_generic[prep.title_index[i]]:
        a, b = sorted((prep.issues[i], prep.issues[j]), key=lambda x: (len(x), x))
        groups.flag(i, j, f"same title, volume ({prep.volumes[i]}) and pages, but issues {a} and {b} (an issue "
                          "mistyped, or a column in two issues?)")


def _flag_two_journals_two_volumes(prep: _Prepared, groups: _Groups, i: int, j: int) -> None:
    """List records i and j, one title and first author in two journals that cannot be one, at two volumes, in one year
    or a year apart: one meeting's abstract printed in two journals, an abstract and the article, or one paper
    published twice (the next year, elsewhere); only a person can tell."""
    if not (prep.journals[i] and prep.journals[j]) or prep.venues_compatible(i, j):
        return
    why = prep.details_conflict(i, j)
    if why and why.startswith("volumes "):
        yi, yj = prep.years[i], prep.years[j]
        same = "same title, year and first author" if yi == yj else \
            f"same title and first author (years {min(yi, yj)} and {max(yi, yj)})"
        groups.flag(i, j, f"{same}, but different journals and {why} (one abstract printed in two journals, a "
                          "conference abstract and the article, or a paper published twice?)")


def _flag_two_dois(prep: _Prepared, groups: _Groups, members: list[int], i: int, j: int) -> None:
    """List records i and j, one title and first author a year apart at most, under two DOIs that nothing else tells
    apart: a paper and its reprint, or a correction under the copied title, are two items, but one database's DOI may
    be wrong; only a person can tell. A title recurring in the search (a column) is left out."""
    if prep.cochrane[i] or prep.cochrane[j]:
        return  # a Cochrane review's versions, listed as such (``_flag_cochrane_versions``)
    if not (prep.author_keys[i] and prep.author_keys[j]) or not prep.authors_compatible(i, j) \
            or prep.title_recurring[prep.title_index[i]] or prep.title_recurring_in_journal[prep.title_index[i]]:
        return
    if len({prep.dois[m] for m in members} - {None}) > 2:
        return  # a column's editions, each under its own DOI ("Editorial notes" in every issue)
    di, dj, yi, yj = prep.dois[i], prep.dois[j], prep.years[i], prep.years[j]
    same = "same title, year and first author" if yi == yj else \
        f"same title and first author (years {min(yi, yj)} and {max(yi, yj)})"
    groups.flag(i, j, f"{same}, but DOIs {min(di, dj)} and {max(di, dj)} (a paper and its reprint or correction, "
                      "or one DOI wrong in a database?)")


def _flag_printed_again(prep: _Prepared, groups: _Groups, members: list[int], i: int, j: int) -> None:
    """List records i and j, one title by one first author in one journal at two volumes a year apart, whose abstracts
    are one text: the paper printed again (a production error put right, under a new DOI), not a column (its items
    have abstracts of their own) nor a second part; only a person can confirm one study."""
    if prep.years[i] == prep.years[j] or not (prep.journals[i] and prep.journals[j]) \
            or not prep.venues_compatible(i, j) or not (prep.author_keys[i] and prep.author_keys[j]) \
            or not prep.authors_compatible(i, j) or len({prep.volumes[m] for m in members} - {None}) != 2:
        return
    a, b = prep._abstract_words(i), prep._abstract_words(j)
    if not a or not b or not _one_text(_abstract_word_list(prep._abstract(i)), _abstract_word_list(prep._abstract(j))):
        return
    va, vb = sorted((prep.volumes[i], prep.volumes[j]), key=lambda x: (len(x), x))
    groups.flag(i, j, f"same title, first author, journal and abstract, but volumes {va} and {vb} (years "
                      f"{min(prep.years[i], prep.years[j])} and {max(prep.years[i], prep.years[j])}): the paper "
                      "printed again, or two papers?")


def _flag_cochrane_versions(prep: _Prepared, groups: _Groups, members: list[int]) -> None:
    """List records of one title in the Cochrane Database of Systematic Reviews that two years or two DOIs tell apart:
    a review's protocol and its updates (".pub2", ".pub3") are each published, so which to screen is the reviewer's
    call; the title alone never joins them."""
    cochrane = [i for i in members if prep.cochrane[i]]
    for a, i in enumerate(cochrane):
        for j in cochrane[a + 1:]:
            if groups.find(i) == groups.find(j) or not prep.authors_compatible(i, j):
                continue
            yi, yj, di, dj = prep.years[i], prep.years[j], prep.dois[i], prep.dois[j]
            if yi is not None and yj is not None and yi != yj:
                what = f"years {min(yi, yj)} and {max(yi, yj)}"
            elif di and dj and di != dj:
                what = f"DOIs {min(di, dj)} and {max(di, dj)}"
            else:
                continue
            groups.flag(i, j, f"same title of a Cochrane review, but {what} (two versions of one review: its "
                              "protocol or an update?)")


def _one_cochrane_version(prep: _Prepared, members: list[int], i: int, j: int) -> bool:
    """Whether records i and j, of one year, are copies of one version of a Cochrane review whose title recurs only as
    its versions of other years: every record of the title is dated, and those within the year tolerance of theirs are
    Cochrane records that nothing tells apart (no DOI, year or place of another version), so their year names one
    version. One review's 2008 version does not keep the 2012 version's copies apart."""
    y = prep.years[i]
    if y is None or prep.years[j] != y or not (prep.cochrane[i] and prep.cochrane[j]):
        return False
    if any(prep.years[m] is None for m in members):
        return False  # an undated copy could be any version
    near = [m for m in members if abs(prep.years[m] - y) <= prep.year_tolerance]
    return all(prep.cochrane[m] for m in near) and \
        not any(prep.details_conflict(a, b) for x, a in enumerate(near) for b in near[x + 1:])


def _flag_thesis_copies(prep: _Prepared, groups: _Groups, i: int, j: int, why: str) -> None:
    """List records i and j, a thesis in Dissertation Abstracts and in a library catalogue, whose pages or journal
    fields differ as those two sources write them: one thesis, likely, for a person to confirm."""
    yi, yj = prep.years[i], prep.years[j]
    years = f" (years {min(yi, yj)} and {max(yi, yj)})" if yi != yj else ""
    groups.flag(i, j, f"same title and first author{years}, but {why}: a thesis in Dissertation Abstracts and in a "
                      "library catalogue, which gives its number of pages and its school (one thesis?)")


def _stage_exact_title(prep: _Prepared, groups: _Groups) -> None:
    # A pair whose records are already in one group cannot join anything, so it is skipped
    # before the other tests: a study exported 30 times is 435 pairs, nearly all already joined
    # by their DOI.
    find, years, keys, volumes, tol = groups.find, prep.years, prep.author_keys, prep.volumes, prep.year_tolerance
    order = sorted(range(len(prep.unique_titles)), key=prep.unique_titles.__getitem__)
    # a title under four words ("Burnout in nurses") is matched on title and year only with the
    # same first author, or the same place, to confirm it
    short = [len(t.split()) < _MIN_FUZZY_WORDS for t in prep.unique_titles]
    for k in order:
        members = prep.title_members[k]
        if len(members) < 2 or prep.title_generic[k]:
            continue
        root = find(members[0])
        if all(find(m) == root for m in members):
            continue
        recurring = prep.title_recurring[k]
        # copies of one year first: a record of 2018 joins the 2018 edition, not the 2017 one a year apart (which
        # then stays apart, its DOI or volume another), whatever the order of the records
        for a, same_year in ((a, s) for s in (True, False) for a in range(len(members))):
            i = members[a]
            yi, ki = years[i], keys[i]
            if yi is None:
                continue
            vi = volumes[i]
            for j in members[a + 1:]:
                yj = years[j]
                if yj is None or (yi == yj) != same_year or abs(yi - yj) > tol:
                    continue  # cheap tests first: a recurring column can have hundreds of records
                if vi and volumes[j] and vi != volumes[j]:
                    if (prep.meeting_mark[i] or prep.meeting_mark[j]) and find(i) != find(j) \
                            and (why := prep.other_kind(i, j)) and why.startswith("a conference abstract and"):
                        groups.flag(i, j, f"same title, but {why}")  # the meeting's supplement and the article
                    elif ki and keys[j] and not prep.title_recurring_in_journal[k] and find(i) != find(j) \
                            and (yi == yj or not prep.venues_compatible(i, j)):
                        _flag_two_journals_two_volumes(prep, groups, i, j)
                    elif yi != yj and find(i) != find(j):
                        _flag_printed_again(prep, groups, members, i, j)
                    continue
                if find(i) == find(j):
                    continue  # the union below would do nothing
                kj = keys[j]
                why = prep.details_conflict(i, j)
                if why:
                    if why.startswith(_LISTED_KINDS):
                        groups.flag(i, j, f"same title, but {why}")
                    elif why.startswith("first pages") and prep.thesis_copies(i, j):
                        _flag_thesis_copies(prep, groups, i, j, why)
                    elif why == "different DOIs":
                        _flag_two_dois(prep, groups, members, i, j)
                    elif why == "different first authors" and prep.authors_reordered(i, j):
                        groups.flag(i, j, "same title, but different first authors: the same authors in another "
                                          "order (one paper's copies?)")
                    continue
                place = prep.same_place(i, j) or prep.same_issue(i, j)
                # a title that recurs only as the same work printed in another journal (the meeting abstract and
                # the article): two copies naming one journal, volume and year are one record
                one_journal = bool(recurring and not place and not prep.title_recurring_in_journal[k] and yi == yj
                                   and vi and vi == volumes[j] and prep.journals[i] and prep.journals[j]
                                   and prep.venues_compatible(i, j) and not prep.issues_differ(i, j))
                if short[k] and not place and not (ki and kj and prep.authors_compatible(i, j)):
                    when = "and year" if yi == yj else f"(years {min(yi, yj)} and {max(yi, yj)})"
                    groups.flag(i, j, f"same short title {when}, but no first author or place to confirm them")
                    continue
                if recurring and not place and not one_journal and not prep.reprint(i, j) \
                        and not _one_cochrane_version(prep, members, i, j):
                    if not prep.issues_differ(i, j):
                        groups.flag(i, j, "same title, but the title recurs in this search (other volumes, pages "
                                          "or years) and volume and first page do not confirm these two")
                    continue
                if recurring and prep.issues_differ(i, j):
                    _flag_two_issues_one_range(prep, groups, i, j)
                    continue
                if not place and not prep.reprint(i, j) and not prep.venues_compatible(i, j):
                    if prep.thesis_copies(i, j):
                        _flag_thesis_copies(prep, groups, i, j, "different journals")
                        continue
                    same = "same title" + (", year" if yi == yj else "") + (" and first author" if ki and kj else "")
                    years_ = "" if yi == yj else f" (years {min(yi, yj)} and {max(yi, yj)})"
                    groups.flag(i, j, f"{same}{years_}, but different journals "
                                      "(a conference abstract and the article, or a paper published twice?)")
                    continue
                if (yi != yj and not place and not (prep.journals[i] and prep.journals[j])
                        and (prep.dois[i] or prep.dois[j])):
                    # A year apart with no venue to compare: a DOI on one names one version (the
                    # proceedings paper), so the other may be an earlier working paper.
                    groups.flag(i, j, f"same title, but years {min(yi, yj)} and {max(yi, yj)}, a DOI on only one "
                                      "and no journal to tell a working paper from the published version")
                    continue
                both_authors = bool(ki) and bool(kj)
                if yi == yj:
                    reason = f"same title, year ({yj})" + (" and first author" if both_authors else "")
                else:
                    reason = "same title" + (" and first author" if both_authors else "")
                reason += " as record {other}"
                if yi != yj:
                    reason += f"; years {min(yi, yj)} and {max(yi, yj)} (online-first vs print year)"
                if place and prep.same_place(i, j):
                    reason += f"; same volume ({prep.volumes[i]}) and first page ({prep.starts[i]})"
                elif place:  # a first page missing in one: the issue is what places them
                    reason += f"; same volume ({prep.volumes[i]}) and issue ({prep.issues[i]})"
                elif one_journal:
                    reason += (f"; same journal and volume ({prep.volumes[i]}); the title is also another journal's "
                               "(a meeting abstract and the article?)")
                if not both_authors:
                    reason += "; first author missing in one"
                groups.union(j, i, reason, guard=True)
        _flag_cochrane_versions(prep, groups, members)


#: Stage "same place": two records at the same volume and first page, a year apart at most and with
#: compatible first authors, are one paper when their titles share enough words (rapidfuzz
#: ``token_set_ratio`` of the cleaned titles, in percent; a cut title or a missing subtitle scores
#: 100). Chosen on ../shared/dedup_benchmark (see benchmarks/bench_dedup.py): there, titles of one
#: paper at one place score 54-100 (54-77: a translated title) and different papers by one author at
#: one place 42-53 (conference abstracts on one page; proceedings numbered per paper). When both
#: records give the same page range of two pages or more, 50 is enough; otherwise 60 is needed.
#: Pairs below by the same first author are listed for the reviewer instead.
PLACE_TITLE_MIN = 60.0
PLACE_TITLE_MIN_SAME_RANGE = 50.0
#: A place shared by more records (a meeting's supplement whose abstracts all give its first page, page 1 of a year's
#: e-journals) is compared in blocks of records whose first authors or uncommon title words may match
#: (``_place_blocks``), each of at most this many records, not pair by pair; only pairs whose titles may be joined
#: there (``_partners_at_place``).
_PLACE_BLOCK_MAX = 200
_PLACE_TITLE_KEYS = 3  # a record's rarest title words at a big place that block it with others


#: An update, edition or version and its number, if it has one ("an update", "update 2", "update II")
_NUMBERED_UPDATE = re.compile(r"\b(?:update|edition|version|revision)\b(?: (\d+|i{1,3}|iv|vi{0,3}|ix|x|one|two|three|"
                              r"four|five)\b)?")


def _update_number_added(ta: str, tb: str) -> bool:
    """Whether one compared title numbers an update (or edition, version) the other names without a number: "<title>:
    an update" / "<title>: an update 2" are the first update and the next, not a title cut before its last number."""
    na, nb = ([_ROMAN_VALUES.get(x) or _NUMBER_WORDS.get(x, x) for x in _NUMBERED_UPDATE.findall(t)] for t in (ta, tb))
    return len(na) == len(nb) > 0 and Counter(na) != Counter(nb)


def _numbers_differ(prep: _Prepared, i: int, j: int) -> bool:
    """Whether records i and j's titles differ in their numbers ("part 1" / "part 2", "group B" / "group C"), also
    counted ("HER2 ... phase 2" / "HER2 ... phase 3"), not only where one title lost some, or one numbers an update
    the other does not."""
    ni, nj = prep.title_numbers[prep.title_index[i]], prep.title_numbers[prep.title_index[j]]
    if not (ni <= nj or nj <= ni) or _update_number_added(prep.ntitles[i], prep.ntitles[j]):
        return True
    if ni and nj:
        na, nb = _series_number_counts(prep.ntitles[i]), _series_number_counts(prep.ntitles[j])
        return not (na <= nb or nb <= na)
    return False


def _notice_between_records(prep: _Prepared, i: int, j: int) -> str | None:
    """Why record i or j is a letter, comment or reply about the other by its title alone ("Re: <title>", "Letter:
    <title>"), its compared title's words not saying so (``_notice_kind`` tells those apart), or None."""
    ti, tj = prep.ntitles[i], prep.ntitles[j]
    ni, nj = prep.title_notice[prep.title_index[i]], prep.title_notice[prep.title_index[j]]
    if ni == nj or _notice_kind(ti) != _notice_kind(tj):
        return None
    return f"one record is a {ni or nj} by its title (about the other paper, or its own copy under a heading?)"


def _flag_two_first_authors(prep: _Prepared, groups: _Groups, i: int, j: int, volume: str, page: str) -> None:
    """List records i and j at one volume and first page, their titles one or near-alike and no word telling them
    apart, whose first authors differ: one name written two ways that no rule reads as one ("Tsai" / "Cai", Wade-Giles
    and pinyin), or two items printed under one title on one page (letters); only a person can tell."""
    ti, tj = _one_script(prep.ntitles[i], prep.ntitles[j])
    if _is_generic(ti) or _is_generic(tj) or _notice_kind(ti) != _notice_kind(tj):
        return
    if ti != tj and (fuzz.ratio(ti, tj) < DEFAULT_FUZZY_THRESHOLD or title_contrast(ti, tj)):
        return
    if prep.sign_contrast(i, j):
        return
    groups.flag(i, j, f"same volume ({volume}), first page ({page}) and title, but different first authors (one name "
                      "written two ways, or two items on one page?)")


def _partners_at_place(prep: _Prepared, members: list[int], by_year: bool):
    """Each record at one place with the records after it to compare it with; at a year's first page only pairs with
    a record without volume (two with volumes met at their volume), so that a meeting's supplement, hundreds of
    abstracts at one volume and first page, is not compared pair by pair twice. At a place of more records than
    ``_PLACE_BLOCK_MAX`` only those sharing a block (``_place_blocks``), in the same order, whose titles share enough
    words to be joined there: one author's several abstracts in a meeting's supplement are expected, not each pair
    listed for the reviewer as at a journal's page."""
    loose = [a for a, i in enumerate(members) if not prep.volumes[i]] if by_year else None
    near = _place_blocks(prep, members) if len(members) > _PLACE_BLOCK_MAX else None
    for a, i in enumerate(members):
        if near is not None:
            two_volumes = by_year and prep.volumes[i]  # then a partner must have none
            yield i, [j for j in (members[b] for b in sorted(near[a])
                                  if b > a and not (two_volumes and prep.volumes[members[b]]))
                      if _titles_may_join_at_place(prep, i, j)]
        elif by_year and prep.volumes[i]:
            yield i, [members[b] for b in loose[bisect_right(loose, a):]]
        else:
            yield i, members[a + 1:]


def _titles_may_join_at_place(prep: _Prepared, i: int, j: int) -> bool:
    """Whether records i and j's titles share enough words for the same-place stage to join them (its ``need``)."""
    span = prep.page_counts[i]
    need = PLACE_TITLE_MIN_SAME_RANGE if span and span >= 2 and span == prep.page_counts[j] else PLACE_TITLE_MIN
    return fuzz.token_set_ratio(*_one_script(prep.ntitles[i], prep.ntitles[j])) >= need


def _place_blocks(prep: _Prepared, members: list[int]) -> list[set[int]]:
    """For each record at a big place (its position in ``members``), the positions of the records that share a block
    with it: a first author's name word's first four letters, the word less one letter, its vowels written one way, its
    surname's joined form (``authors_compatible``'s cut forms, typos, transliterations and particles), or one of the
    records' rarest title words there; and each record meets the records whose titles hold one of its rarest words (a
    title cut before its subtitle, whose other record's rarest words are the subtitle's, by a first author missing or
    too common there to block by). Pairs of two first authors and no uncommon title word in common, which the stage
    leaves alone (``_apart_for_certain``), are not met; nor are names two letters apart with titles sharing no
    uncommon word. A block of more than ``_PLACE_BLOCK_MAX`` records (a word most titles there hold) is not used, so
    that each record meets a bounded number of others."""
    words = [{w for w in prep.ntitles[i].split() if len(w) > 2 and w not in _STOPWORDS} for i in members]
    counts = Counter(w for ws in words for w in ws)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    holders: dict[str, list[int]] = defaultdict(list)
    rarest: list[set[str]] = []
    for a, (i, ws) in enumerate(zip(members, words)):
        keys = set()
        for t in prep.author_keys[i]:
            keys.add(("name", t[:4]))
            if len(t) >= 4:  # one letter wrong, missing or added ("Gusomimu" / "Tusomimu")
                keys.update(("typo", t[:k] + t[k + 1:]) for k in range(len(t) + 1))
            if len(t) >= 5:
                keys.add(("sound", t[0] + _vowels_one_way(t)))
        if prep.author_keys[i] and prep.author_lists[i]:
            keys.update(("surname", f[:4]) for f in _surname_forms(prep.author_lists[i][0]) if len(f) >= 4)
        rare = sorted(ws, key=lambda w: (counts[w], w))
        keys.update(("title", w) for w in rare[:_PLACE_TITLE_KEYS])
        keys.update(("title", w) for w in [w for w in rare if w.isascii()][:_PLACE_TITLE_KEYS])  # ``_one_script``
        for key in keys:
            blocks[key].append(a)
        rarest.append({w for kind, w in keys if kind == "title"})
        for w in ws:
            holders[w].append(a)
    near: list[set[int]] = [set() for _ in members]
    for block in blocks.values():
        if 1 < len(block) <= _PLACE_BLOCK_MAX:
            for a in block:
                near[a].update(block)
    for a, own in enumerate(rarest):
        for w in own:
            if 1 < counts[w] <= _PLACE_BLOCK_MAX:
                near[a].update(holders[w])
                for b in holders[w]:
                    near[b].add(a)
    return near


def _apart_for_certain(prep: _Prepared, i: int, j: int) -> bool:
    """Whether records i and j at one volume and first page are two items with nothing to list, by the quick checks:
    first authors that cannot be one person (a conflict in ``details_conflict``) and titles not near-alike (nothing
    for ``_flag_two_first_authors``), as most pairs of a meeting's supplement's abstracts are."""
    ti, tj = _one_script(prep.ntitles[i], prep.ntitles[j])
    return ti != tj and fuzz.ratio(ti, tj) < DEFAULT_FUZZY_THRESHOLD and not prep.authors_compatible(i, j)


def _stage_same_place(prep: _Prepared, groups: _Groups) -> None:
    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (v, p, y) in enumerate(zip(prep.volumes, prep.starts, prep.years)):
        if p and prep.ntitles[i]:
            if v:
                by_place[(v, p)].append(i)
            if y is not None:  # a record without volume (conference paper, online first) meets by year
                by_place[(f"year {y}", p)].append(i)
    find, keys = groups.find, prep.author_keys
    for (v, p), members in sorted(by_place.items()):
        if len(members) < 2:
            continue
        by_year = v.startswith("year ")
        for i, partners in _partners_at_place(prep, members, by_year):
            for j in partners:
                if find(i) == find(j):
                    continue
                if not by_year and _apart_for_certain(prep, i, j):
                    continue
                conflict = prep.details_conflict(i, j)
                if conflict:
                    if conflict == "different first authors" and not by_year:
                        _flag_two_first_authors(prep, groups, i, j, v, p)
                    continue
                if by_year and (prep.volumes[i] and prep.volumes[j]):
                    continue  # met by volume already
                notice = _notice_between_records(prep, i, j)
                if notice:
                    # "Re: <title>" at the paper's page: a letter about it, or the letter's copy under a database's
                    # section heading; a person tells which, a letter is never joined with the paper it is about
                    if keys[i] and keys[j]:
                        where = f"year ({v[5:]})" if by_year else f"volume ({v})"
                        groups.flag(i, j, f"same {where} and first page ({p}), but {notice}")
                    continue
                if by_year:
                    # year and first page alone are weak: one title must hold the other's words, by the same
                    # author, in the same issue if both give one, and not a title that recurs (a column)
                    ti, tj = _one_script(prep.ntitles[i], prep.ntitles[j])
                    ki, kj = keys[i], keys[j]
                    if prep.issues_differ(i, j) or prep.title_recurring[prep.title_index[i]] or \
                            prep.title_recurring[prep.title_index[j]] or title_contrast(ti, tj) or \
                            prep.sign_contrast(i, j):
                        continue
                    if not prep.venues_compatible(i, j):
                        # page 1 of two journals (BMC journals start every article there) in one year
                        if ki and kj and prep.authors_compatible(i, j) and fuzz.token_set_ratio(ti, tj) >= 100:
                            groups.flag(i, j, f"same year, first page ({p}) and first author, and one title holds "
                                              "the other's words, but different journals")
                        continue
                    if (ki and kj and len(min(ti, tj, key=len).split()) >= 3 and _notice_kind(ti) == _notice_kind(tj)
                            and not _is_generic(ti) and not _is_generic(tj) and fuzz.token_set_ratio(ti, tj) >= 100):
                        ci, cj = prep.page_counts[i], prep.page_counts[j]
                        if ti != tj and fuzz.ratio(ti, tj) < DEFAULT_FUZZY_THRESHOLD and (
                                (ci and cj and ci != cj) or (p == "1" and not prep.same_pages(i, j))):
                            # two papers by one author in one year, in a journal that starts every
                            # article on page 1 (or with their own page ranges), one title longer
                            why = f"different page ranges ({ci} and {cj} pages)" if ci and cj and ci != cj else \
                                "page 1 without the same page range"
                            groups.flag(i, j, f"same year, first page ({p}) and first author, and one title holds "
                                              f"the other's words, but {why}")
                            continue
                        # "in infants" / "in preterm infants": not a cut title, another population; a Cochrane review's
                        # number names one review, retitled between its versions
                        inside = None if prep.same_pages(i, j) or prep.one_review(i, j) \
                            or drug_code_added(ti, tj, prep.titles[i], prep.titles[j]) else _word_added_inside(ti, tj)
                        if inside:
                            groups.flag(i, j, f"same year, first page ({p}) and first author, but {inside}")
                            continue
                        groups.union(j, i, f"same year and first page ({p}) as record {{other}}, same first author; "
                                           "one title holds the other's words (a cut title or missing subtitle)",
                                     guard=True)
                    continue
                ti, tj = _one_script(prep.ntitles[i], prep.ntitles[j])
                ki, kj = keys[i], keys[j]
                if _notice_kind(ti) != _notice_kind(tj):
                    continue
                if prep.issues_differ(i, j) and (prep.title_recurring[prep.title_index[i]] or _is_generic(ti)):
                    continue
                si, sj = prep.supplement_page[i], prep.supplement_page[j]
                if si is not None and sj is not None and si != sj \
                        and not drug_code_added(ti, tj, prep.titles[i], prep.titles[j]):
                    continue  # a supplement's page and the volume's page of that number (one title: as stage 3)
                if _numbers_differ(prep, i, j):
                    # "part 1" and "part 2": a cut title loses its numbers, it does not change them; two parts do not
                    # start on one page, so a person checks which record's place or title is wrong
                    if ki and kj:
                        why = title_contrast(ti, tj, one_sided=False)
                        groups.flag(i, j, f"same volume ({v}), first page ({p}) and first author, but "
                                          + (_tells_apart(why) if why else "titles that differ in their numbers"))
                    continue
                # A place is strong evidence only in the same journal for the same pages; in a journal
                # that starts every article on page 1, or for two journals' volume 27, the titles must
                # be near-identical too, and words that make another study keep them apart.
                why = title_contrast(ti, tj, one_sided=False) or prep.sign_contrast(i, j)
                kind = None if why or _translated(prep, i, j) else _paper_kind_in_one(ti, tj)
                why = why or (kind and f"'{kind}' in one title only")  # a protocol or design paper and the results
                why = why and _tells_apart(why)  # "'men' and 'women' tell them apart"
                ci, cj = prep.page_counts[i], prep.page_counts[j]
                if not why and not prep.venues_compatible(i, j):
                    why = "different journals"
                if not why and ci and cj and ci != cj:
                    why = f"different page ranges ({ci} and {cj} pages)"
                near = fuzz.ratio(ti, tj) >= DEFAULT_FUZZY_THRESHOLD
                if not why and p == "1" and not prep.same_pages(i, j):
                    why = "page 1 without the same page range"  # journals that start every article there
                elif not why and p == "1":
                    # a journal that numbers its articles starts each on page 1, two of ten pages in one volume alike:
                    # the same range there confirms no word in place of another, and no title unlike the other
                    other = word_insertion(ti, tj) or word_substitution(ti, tj)
                    if other and not other.endswith("only"):
                        other += " in place of each other"
                    if other:
                        why = f"{other} at page 1 (where a journal that numbers its articles starts each)"
                    elif not near and fuzz.token_set_ratio(ti, tj) < 100:
                        why = "page 1 with the same page range (where a journal that numbers its articles starts each)"
                elif not why and (prep.meeting_mark[i] or prep.meeting_mark[j]):
                    # a meeting's supplement prints several abstracts on one page, an author's two among them: one
                    # word in place of another there ("EGFR-mutant" / "EGFR wild-type") is another abstract
                    other = (word_insertion(ti, tj) or word_substitution(ti, tj)
                             or marker_swap(prep.titles[i], prep.titles[j], prep.ntitles[i], prep.ntitles[j]))
                    if other and drug_code_added(ti, tj, prep.titles[i], prep.titles[j]):
                        other = None  # "Osimertinib (AZD9291)": the drug's code beside its name, not another drug
                    if other:
                        why = f"{other} on one page of a meeting's supplement (where a page holds several abstracts)"
                one_range = prep.same_pages(i, j) or prep.one_review(i, j)  # a reworded title, a retitled review
                lost = _greek_lost(ti, tj, prep.titles[i], prep.titles[j])  # "TNF-α" exported "TNF" or "TNF-"
                if not why and not lost:
                    # one author's two papers on one page
                    why = word_in_place(ti, tj, turned_only=one_range, added_negation=not one_range)
                if not why and one_range:
                    drugs = _two_drugs(ti, tj)  # the same range confirms a reworded title, not a renamed drug
                    why = drugs and _tells_apart(drugs)
                if not why and not one_range and not lost \
                        and not drug_code_added(ti, tj, prep.titles[i], prep.titles[j]):
                    why = _word_added_inside(ti, tj)  # "in infants" / "in preterm infants": another population
                if not why and _two_works_in_one_language(prep.titles[i], prep.titles[j], ti, tj):
                    # two items on one page (a translated title is in another language); the same range says one
                    # paper, and only a person tells which record's place or title is wrong
                    if one_range or (bool(ki) and bool(kj)):
                        same = "page range" if one_range else "first author"
                        groups.flag(i, j, f"same volume ({v}), first page ({p}) and {same}, but titles in one "
                                          "language that name two works (they share hardly a word)")
                    continue
                if not why and one_range and not _translated(prep, i, j):
                    # nor one outcome or place in place of another ("mortality after" / "stroke after"); two
                    # translations of a title word it two ways
                    named = object_substituted(ti, tj)
                    why = named and _tells_apart(named)
                if why and (why.startswith("'") or (not near and fuzz.token_set_ratio(ti, tj) < 100)
                            or (why != "different journals" and not near)
                            or (why == "different journals" and not near and not prep.same_pages(i, j))):
                    if bool(ki) and bool(kj):
                        groups.flag(i, j, f"same volume ({v}), first page ({p}) and first author, but {why}")
                    continue
                sim = fuzz.token_set_ratio(ti, tj)
                both_authors = bool(ki) and bool(kj)
                span = prep.page_counts[i]
                same_range = bool(span and span >= 2 and span == prep.page_counts[j])
                need = PLACE_TITLE_MIN_SAME_RANGE if same_range else PLACE_TITLE_MIN
                if sim >= need and not _is_generic(ti) and not _is_generic(tj):
                    reason = (f"same volume ({v}) and first page ({p}) as record {{other}}{{other_when}}"
                              + (", same first author" if both_authors else "")
                              + ("" if ti == tj else "; one title holds the other's words" if sim >= 100
                                 else f"; titles {math.floor(sim)}% alike"))
                    groups.union(j, i, reason, guard=True)
                elif both_authors and sim >= need:
                    generic = ti if _is_generic(ti) else tj
                    groups.flag(i, j, f"same volume ({v}), first page ({p}) and first author, but a title that only "
                                      f"names the item's kind ('{generic}')")
                elif both_authors:
                    groups.flag(i, j, f"same volume ({v}), first page ({p}) and first author, but the titles "
                                      f"differ ({math.floor(sim)}% alike): a translated title?")


def _fuzzy_title_pairs(prep: _Prepared, threshold: float) -> dict[tuple[int, int], float]:
    """Pairs of distinct titles (indexes into ``prep.unique_titles``, ``k <= l``) scoring at least
    ``threshold``; ``(k, k)`` with 100 for a title that several records share. Titles are compared
    only within blocks of titles that share one of their rarest words: a typo rarely hits all of
    them, and two titles sharing no uncommon word cannot be near-identical, so 20,000 records
    need no all-pairs comparison."""
    titles = prep.unique_titles
    sizes = [len(m) for m in prep.title_members]
    words = []
    df_count: dict[str, int] = defaultdict(int)  # in records, not titles
    for k, t in enumerate(titles):
        split = t.split()
        ws = sorted({w for w in split if w not in _STOPWORDS and len(w) > 2})
        if prep.title_generic[k] or len(split) < _MIN_FUZZY_WORDS:
            ws = []
        words.append(ws)
        for w in ws:
            df_count[w] += sizes[k]
    blocks: dict[str, list[int]] = defaultdict(list)
    for k, ws in enumerate(words):
        for w in sorted(ws, key=lambda w: (df_count[w], w))[:_BLOCK_KEYS]:
            blocks[w].append(k)
    found: dict[tuple[int, int], float] = {}
    for w in sorted(blocks):
        members = blocks[w]
        for k in members:
            if sizes[k] > 1:
                found[(k, k)] = 100.0
        if len(members) < 2:
            continue
        texts = [titles[k] for k in members]
        for start in range(0, len(members), _CHUNK):
            scores = process.cdist(
                texts[start:start + _CHUNK], texts, scorer=fuzz.ratio, score_cutoff=threshold,
                dtype=np.float32, workers=1,
            )
            rows, cols = np.nonzero(scores)
            for r, c in zip(rows.tolist(), cols.tolist()):
                a, b = members[start + r], members[c]
                if a < b:
                    found[(a, b)] = float(scores[r, c])
    return found


def _notice_between(prep: _Prepared, k: int, l: int) -> str | None:
    """``notice_words_added`` of two distinct titles (indexes into ``prep.unique_titles``), read
    with the stored titles of their records (one of them may set a tail off with punctuation)."""
    raws_k = dict.fromkeys(prep.titles[i] for i in prep.title_members[k])
    raws_l = dict.fromkeys(prep.titles[i] for i in prep.title_members[l])
    for rk in raws_k:
        for rl in raws_l:
            why = notice_words_added(prep.unique_titles[k], prep.unique_titles[l], rk, rl)
            if why:
                return why
    return None


def _words_before_between(prep: _Prepared, k: int, l: int) -> str | None:
    """``words_put_before`` of two distinct titles, unless a stored title of theirs sets the words off as a heading."""
    found = None
    for rk in dict.fromkeys(prep.titles[i] for i in prep.title_members[k]):
        for rl in dict.fromkeys(prep.titles[i] for i in prep.title_members[l]):
            why = words_put_before(prep.unique_titles[k], prep.unique_titles[l], rk, rl)
            if not why:
                return None
            found = why
    return found


def _place_between(prep: _Prepared, k: int, l: int) -> str | None:
    """``place_extended`` of two distinct titles, read with the stored titles of their records."""
    for rk in dict.fromkeys(prep.titles[i] for i in prep.title_members[k]):
        for rl in dict.fromkeys(prep.titles[i] for i in prep.title_members[l]):
            why = place_extended(prep.unique_titles[k], prep.unique_titles[l], rk, rl)
            if why:
                return why
    return None


def _spaced_otherwise(prep: _Prepared, k: int, l: int) -> bool:
    """Whether two compared titles are the same letters and digits spaced otherwise: MEDLINE's "HbA(1c)", "PM(2.5)"
    and "(18)F" ("hba 1c", "pm 2 5", "18 f") and Scopus's "HbA1c", "PM2.5", "[18F]". Their numbers differ only as
    read (a digit run at a title's head is not counted, one standing alone is), not as written."""
    return prep.unique_titles[k].replace(" ", "") == prep.unique_titles[l].replace(" ", "")


def _kinds_letters_differ(prep: _Prepared, k: int, l: int) -> bool:
    """Whether two compared titles' numbers differ only in a kind's letter on each side ("group A" / "group B", "type
    B" / "type C"): kept apart as numbers that differ, yet listed, as "hepatitis A" / "hepatitis B" are, so that a
    reviewer sees the pair. A kind's capital "A" is no number (``_designation_kept``) and stands in for one."""
    nk, nl = prep.title_numbers[k], prep.title_numbers[l]
    if not all(len(x) == 1 and x.isalpha() for x in nk ^ nl):
        return False
    return all(side or "A" in title.split() for side, title in ((nk - nl, prep.unique_titles[k]),
                                                                  (nl - nk, prep.unique_titles[l])))


def _flag_alike_at_two_pages(prep: _Prepared, groups: _Groups, i: int, j: int, score: float, why: str) -> None:
    """List records i and j, near-alike titles that no word tells apart, where only two first pages of one journal
    do, in one year: one paper whose title a database edited ("The effects" / "Effects") and whose page it mistyped or
    gave ahead of print, or two items of one author; only a person can tell."""
    if why.startswith("one journal at two first pages") and prep.years[i] == prep.years[j] \
            and prep.years[i] is not None and not prep.sign_contrast(i, j):
        groups.flag(i, j, f"titles {math.floor(score)}% alike, but {why}")


def _stage_fuzzy(prep: _Prepared, groups: _Groups, threshold: float) -> None:
    # Record pairs come from title pairs. A pair already in one group when this stage starts can
    # never be joined by it (groups only grow), so only pairs across groups are looked at.
    by_root: list[dict[int, list[int]]] = []
    for members in prep.title_members:
        split: dict[int, list[int]] = {}
        for i in members:
            split.setdefault(groups.find(i), []).append(i)
        by_root.append(split)
    years, tol = prep.years, prep.year_tolerance
    recurring = prep.title_recurring
    scored = []
    pairs = _fuzzy_title_pairs(prep, threshold)
    greek = _greek_lost_pairs(prep)
    for k, l in greek:
        pairs.setdefault((k, l), fuzz.ratio(prep.unique_titles[k], prep.unique_titles[l]))
    for (k, l), s in pairs.items():
        # a notice and the paper are two records; an addendum (which may add results) beside its paper is listed, and
        # so is "Editorial: <title>" beside "<title>" (the editorial's copy without its heading, or one on the paper)
        notices = prep.title_notice[k] != prep.title_notice[l]
        listed = notices and {prep.title_notice[k], prep.title_notice[l]} in ({"addendum", None}, {"editorial", None})
        lettered = k != l and _kinds_letters_differ(prep, k, l)
        if k != l and ((notices and not listed) or (
                prep.title_numbers[k] != prep.title_numbers[l] and not _spaced_otherwise(prep, k, l)
                and not lettered)):
            continue
        notice = _notice_between(prep, k, l) if k != l else None
        if listed and not notice:
            continue
        contrast = title_contrast(prep.unique_titles[k], prep.unique_titles[l]) if k != l and not notice else None
        if lettered and not contrast:
            continue  # numbers that differ keep them apart; only the letters' contrast lists them
        swap = word_substitution(prep.unique_titles[k], prep.unique_titles[l]) if k != l and not contrast else None
        added = (word_insertion(prep.unique_titles[k], prep.unique_titles[l]) if k != l and not contrast and not swap
                 else None)
        if k != l and not (contrast or swap or added):
            added = _words_before_between(prep, k, l)
        tail = tail_added(prep.unique_titles[k], prep.unique_titles[l]) if k != l and not (contrast or swap) else None
        if k != l and not (contrast or swap or tail):
            tail = _place_between(prep, k, l)
        in_place = word_in_place(prep.unique_titles[k], prep.unique_titles[l]) if swap else None
        turned = (word_in_place(prep.unique_titles[k], prep.unique_titles[l], turned_only=True, added_negation=False)
                  if swap else None)
        inside = _word_added_inside(prep.unique_titles[k], prep.unique_titles[l]) if added else None
        gk, gl = by_root[k], by_root[l]
        if len(gk) == 1 and gk.keys() == gl.keys():
            continue
        for rk, mk in gk.items():
            for rl, ml in gl.items():
                if rk == rl or (k == l and rk > rl):
                    continue
                for a in mk:
                    ya = years[a]
                    for b in ml:
                        yb = years[b]
                        if k == l and ya is not None and yb is not None:
                            continue  # stage 3 already judged identical titles with known years
                        if ya is not None and yb is not None and abs(ya - yb) > tol:
                            continue
                        i, j = (a, b) if a < b else (b, a)
                        lost = (k, l) in greek and _greek_lost(prep.unique_titles[k], prep.unique_titles[l],
                                                               prep.titles[i], prep.titles[j], hyphen_only=True)
                        if s < threshold and not lost:
                            continue
                        why = prep.details_conflict(i, j)
                        if why:
                            if k == l and why.startswith(_LISTED_KINDS):  # one title, a year missing in one
                                groups.flag(i, j, f"same title, but {why}")
                            elif k != l and not (notice or contrast or swap or added):
                                if why.startswith("different abstracts"):  # nothing in the titles tells them apart
                                    groups.flag(i, j, f"titles {math.floor(s)}% alike, but {why}")
                                else:
                                    _flag_alike_at_two_pages(prep, groups, i, j, s, why)
                            continue
                        place = prep.same_place(i, j)
                        # one place confirms a word in place of another, unless it is page 1, where a journal that
                        # numbers its articles starts each (two papers of ten pages in one volume share it), or a
                        # page of a meeting's supplement, which holds several abstracts
                        confirmed = ((place or prep.same_pages(i, j)) and prep.starts[i] != "1"
                                     and not (prep.meeting_mark[i] or prep.meeting_mark[j]))
                        if (recurring[k] or recurring[l]) and not place:
                            if not prep.issues_differ(i, j):
                                groups.flag(i, j, f"titles {math.floor(s)}% alike, but the title recurs in this "
                                                  "search and volume and first page do not confirm these two")
                            continue
                        if notice:
                            groups.flag(i, j, f"titles {math.floor(s)}% alike, but {notice}: a letter, comment, "
                                              "summary, abridged version or notice about the paper, not the paper?")
                            continue
                        if lost and greek[k, l]:  # "TNF-" beside "TNF-α" and "TNF-β": which one is a guess
                            groups.flag(i, j, f"titles {math.floor(s)}% alike, but one title lost its Greek letter, "
                                              f"and this title comes with {greek[k, l]}: a copy of which paper?")
                            continue
                        if lost:  # "TNF-" for "TNF-α": the letter, not a word, tells the titles apart
                            if not prep.sign_contrast(i, j) and (place or prep.venues_compatible(i, j)):
                                scored.append((-s, i, j))
                            continue
                        signs = contrast or prep.sign_contrast(i, j)
                        if signs:
                            groups.flag(i, j, f"titles {math.floor(s)}% alike, but {_tells_apart(signs)}")
                            continue
                        if swap and not confirmed:
                            groups.flag(i, j, f"titles {math.floor(s)}% alike, but {swap} tell them apart "
                                              "(one word in place of another)")
                            continue
                        one_range = prep.same_pages(i, j) or prep.one_review(i, j)
                        why = (turned if one_range else in_place) if swap else None
                        if swap and one_range and not why:  # the same range confirms a reworded title, not a drug
                            drugs = _two_drugs(prep.unique_titles[k], prep.unique_titles[l])
                            why = drugs and f"{drugs} in place of each other"
                        if why:  # one place confirms no finding turned over, nor another drug on an ordinary page
                            groups.flag(i, j, f"titles {math.floor(s)}% alike at one place, but {why} "
                                              "(one author's two papers on one page?)")
                            continue
                        # one place without the same page range confirms no population word added inside
                        if added and not (confirmed and (one_range or not inside)):
                            why = ("words put before a title can name a follow-up or secondary paper"
                                   if added.endswith("before one title only") else
                                   "a word added inside a title can name another population or arm")
                            groups.flag(i, j, f"titles {math.floor(s)}% alike, but {added} tells them apart ({why})")
                            continue
                        # a tail is confirmed by one page range, one volume (a page missing on one: page 1 of a
                        # journal that numbers its articles confirms nothing), a DOI or PMID, not by the titles
                        if tail and not (confirmed or (prep.one_volume(i, j) and not place)
                                         or (prep.dois[i] and prep.dois[i] == prep.dois[j])
                                         or (prep.pmids[i] and prep.pmids[i] == prep.pmids[j])):
                            if place or prep.venues_compatible(i, j):  # two journals' papers: two, not listed
                                groups.flag(i, j, f"titles {math.floor(s)}% alike, but '{tail}' at the end of one "
                                                  "title only (another population, setting or condition, or a subtitle "
                                                  "left out?), and no page range, volume or DOI to confirm them")
                            continue
                        if place or prep.venues_compatible(i, j):
                            scored.append((-s, i, j))
    for neg, i, j in sorted(scored):
        score = math.floor(-neg)
        if score >= 100:
            reason = "same title as record {other}{other_when}; year missing in one"
        else:
            reason = f"title {score}% similar to record {{other}}{{other_when}}"
        if prep.author_keys[i] and prep.author_keys[j]:
            reason += ", same first author"
        groups.union(j, i, reason, guard=True)


#: An abbreviation a title defines in brackets after its words ("Cystic fibrosis-related diabetes (CFRD)")
_DEFINED = re.compile(r"\(\s*([A-Z][A-Za-z]{1,7}?)s?\s*\)")


def abbreviations_defined(title: str, ntitle: str) -> dict[str, tuple[str, ...]]:
    """The abbreviations a title defines, by their compared form, with the words they stand for ("cfrd": cystic
    fibrosis related diabetes), and their starts that stand for the first words ("cf": cystic fibrosis), as another
    database writes them short ("CF-related diabetes", "CFRD in adults")."""
    if "(" not in title:
        return {}
    words, out = ntitle.split(), {}
    for m in _DEFINED.finditer(title):
        abbr = m.group(1).lower()
        k = len(abbr)
        at = next((x for x, w in enumerate(words) if w == abbr and x >= k), None)
        if at is None or "".join(w[0] for w in words[at - k:at]) != abbr:
            continue
        for n in range(k, 1, -1):
            out.setdefault(abbr[:n], tuple(words[at - k:at - k + n]))
    return out


def _defined_alike(abbr_a: dict[str, str | None], abbr_b: dict[str, str | None],
                   defined: dict[str, tuple[str, ...]]) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Two titles' abbreviations without those a title defines that stand for one another's words ("CFRD" defined
    as "cystic fibrosis-related diabetes", and "CF" in the other title for its first words): one notation, not two
    populations ("HFrEF" defined and "HFpEF" undefined stay two)."""
    def family(x: str, y: str) -> bool:
        fx, fy = defined.get(x), defined.get(y)
        return bool(fx and fy) and x != y and (fx[:len(fy)] == fy or fy[:len(fx)] == fx)

    drop_a = {x for x in abbr_a if any(family(x, y) for y in abbr_b if y not in abbr_a)}
    drop_b = {y for y in abbr_b if any(family(y, x) for x in abbr_a if x not in abbr_b)}
    if not (drop_a or drop_b):
        return abbr_a, abbr_b
    return ({x: w for x, w in abbr_a.items() if x not in drop_a}, {y: w for y, w in abbr_b.items() if y not in drop_b})


def _spelled_out(ntitle: str, defined: dict[str, tuple[str, ...]]) -> str:
    """A compared title with the abbreviations in ``defined`` written in full, and one after its own words left out
    ("cystic fibrosis related diabetes cfrd" as "cystic fibrosis related diabetes")."""
    if not defined:
        return ntitle
    out: list[str] = []
    for w in ntitle.split():
        full = defined.get(w)
        if full is None:
            out.append(w)
        elif tuple(out[-len(full):]) != full:
            out.extend(full)
    return " ".join(out)


#: Records of one first author's name and one year compared for a title cut short; more are a common name's
_CUT_BLOCK_MAX = 200


def _cut_start(prep: _Prepared, i: int, j: int) -> tuple[int, int, str, str] | None:
    """Records i and j as (cut, whole) with their compared titles, abbreviations written in full, where one starts
    the other's (or is it), or None."""
    ti, tj = prep.ntitles[i], prep.ntitles[j]
    if ti[:1] != tj[:1] and not (prep.defined[i] or prep.defined[j]):
        return None
    defined = {**prep.defined[j], **prep.defined[i]}
    ti, tj = _spelled_out(ti, defined), _spelled_out(tj, defined)
    short, whole = (i, j) if len(ti) <= len(tj) else (j, i)
    ts, tw = (ti, tj) if short == i else (tj, ti)
    if not tw.startswith(ts) or len(ts.split()) < _MIN_FUZZY_WORDS:
        return None
    return short, whole, ts, tw


def _cut_doubt(prep: _Prepared, short: int, whole: int, ts: str, tw: str) -> str | None:
    """What leaves a title (``ts``) that starts another's (``tw``) by the same first author short of strong evidence
    of one record, or None: a database cuts a long title, with a mark ("...") or inside a word, or writes its
    abbreviations short; a title that ends at a word of the other is a paper of its own or its subtitle left out as
    often ("<title>" / "<title> and its association with sleep quality"), and only the same journal and year say the
    two are one, where one of them has no volume nor page to compare."""
    words = len(ts.split())
    if words < _CUT_MIN_WORDS:
        return f"the shorter title has only {words} words (a subtitle left out, or another paper?)"
    if ts != tw and tw[len(ts)] == " " and not prep.title_cut[short]:
        return "the shorter title ends at a word, with no mark of a cut (a subtitle left out, or another paper?)"
    last = ts.rsplit(" ", 1)[-1]
    if ts != tw and not prep.title_cut[short] and prep.whole_word(last, short, whole):
        goes_on = (tw[len(ts) - len(last):] + " ").split(" ", 1)[0]
        return (f"the shorter title ends at the word '{last}', which other titles write whole, not cut inside "
                f"'{goes_on}' (another paper?)")
    ys, yw = prep.years[short], prep.years[whole]
    if ys != yw:
        return f"years {min(ys, yw)} and {max(ys, yw)}"
    if not (prep.journals[short] and prep.journals[whole]):
        return "no journal on one of them to confirm it"
    if not prep.venues_compatible(short, whole):
        return "different journals"
    if (prep.volumes[short] or prep.starts[short]) and (prep.volumes[whole] or prep.starts[whole]):
        return "each gives its own volume or page"
    if prep.title_recurring[prep.title_index[short]] or prep.title_recurring[prep.title_index[whole]]:
        return "the title recurs in this search"
    return None


#: A retraction notice's compared title before the retracted paper's: "Retraction: <title>", "Retraction notice to
#: <title>", "Notice of retraction: <title>", Hindawi's "Retracted: <title>" (Elsevier's "RETRACTED: <title>" is the
#: article renamed, cut before comparing); a note or type puts the word at the end ("<title> [Retraction of: ...]")
_RETRACTION_HEAD = re.compile(r"^(?:(?:notice|statement) of retraction|retraction (?:notice|note|statement)|retraction"
                              r"|retracted)(?: (?:to|of|for|on))? ")
_RETRACTION_TAIL = " " + _KIND_WORD["retraction"]
#: Elsevier's notice quotes the paper's title right after its head, then says where the paper appeared: 'Retraction
#: notice to “<title>” [Addict Behav 104 (2020) 106321]', whose compared title runs that place into the paper's
_QUOTED_PAPER = re.compile(r"^\s*(?:(?:notice|statement)\s+of\s+)?retract\w*(?:\s+(?:notice|note|statement))?"
                           r"(?:\s+(?:to|of|for|on))?\s*:?\s*[\"\u201c](.+)[\"\u201d]\s*[\[(][^\[\]]*[\])]\s*\.?\s*$",
                           re.I)


def _retracted_title(ntitle: str, title: str = "") -> str | None:
    """The compared title of the paper a retraction notice retracts, or None where the record is no such notice.
    ``title``: the notice's own title, where the paper's is quoted."""
    if "retract" not in ntitle or _notice_kind(ntitle) not in ("retraction", "retracted"):
        return None
    m = _RETRACTION_HEAD.match(ntitle)
    quoted = _QUOTED_PAPER.match(title) if m and title else None
    paper = title_key(quoted.group(1)) if quoted else ntitle[m.end():] if m else \
        ntitle[:-len(_RETRACTION_TAIL)] if ntitle.endswith(_RETRACTION_TAIL) else ""
    return paper if len(paper.split()) >= _MIN_FUZZY_WORDS and not _is_generic(paper) else None


def _may_retract(prep: _Prepared, notice: int, paper: int) -> bool:
    """Whether a retraction notice can be the paper's: a journal retracts its own papers, and not one published after
    the notice (a year's leeway: the paper's issue may come out after its online copy was retracted)."""
    yn, yp = prep.years[notice], prep.years[paper]
    if yn is not None and yp is not None and yp > yn + 1:
        return False
    return journals_compatible(prep.journals[notice], prep.journals[paper])


def _list_retractions(prep: _Prepared, groups: _Groups) -> None:
    """List a retraction notice with the paper of the title it carries (kept apart: a notice is not the paper), so that
    a reviewer learns the study was retracted before screening it as any other. Another paper of that title, in
    another journal or published after the notice, is not said to be retracted."""
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(prep.ntitles):
        by_title[key].append(i)
    for i, key in enumerate(prep.ntitles):
        paper = _retracted_title(key, prep.titles[i]) if key else None
        papers = [j for j in by_title.get(paper, ()) if _may_retract(prep, i, j)] if paper else ()
        for j in {groups.find(j): j for j in papers}.values():
            if groups.find(i) != groups.find(j):
                a, b = (i, j) if i < j else (j, i)
                groups.review[(a, b)] = (f"record {prep.ids[i]} is a retraction notice of the paper of record "
                                         f"{prep.ids[j]}: the study was retracted (kept apart: a notice is not the "
                                         "paper; check the retraction before including the study)")


def _title_only(prep: _Prepared, i: int) -> bool:
    """Whether record i has nothing but its title to compare: no first author, year, DOI, PMID, volume nor page."""
    return not (prep.author_keys[i] or prep.years[i] is not None or prep.dois[i] or prep.pmids[i] or prep.volumes[i]
                or prep.starts[i])


#: How ``_list_title_only_alike`` hashes its keys; a hash found is compared as the key it stands for, so two keys of
#: one hash cost a comparison, never a pair
_key_hash = hash

#: How many keys of other titles ``_list_title_only_alike`` looks up at once
_KEY_BATCH = 50_000
#: The kinds of key of ``_list_title_only_alike``: a word replaced by a gap, a word left out, the title whole
_GAP, _LEFT_OUT, _WHOLE = b"sdi"


def _list_title_only_alike(prep: _Prepared, groups: _Groups) -> None:
    """List a record that has only its title (``_title_only``) with each record of another group whose title is its
    own with one word put in place of another, added or left out: nothing else can confirm or refute them, and a fuzzy
    score under the threshold left the pair apart without a word. Titles of fewer than ``_MIN_FUZZY_WORDS`` words and
    generic titles are not compared, nor titles with other numbers ("in 2017" / "in 2018"), nor two records whose
    abstracts tell them apart (``abstracts_differ``): a search exported with titles and abstracts only gives every
    record only its title, and such pairs were listed by the dozen."""
    only = [i for i in range(len(prep.ids)) if _title_only(prep, i)]
    if not only:
        return
    # keys of the title-only records' titles: one word replaced by a gap ("s"), one word left out ("d"), whole ("i"),
    # each kept as its hash beside its title and word position (-1: whole), not as a string: a title of n words has
    # 2n + 1 keys of n words, 12 KB a title as strings, gigabytes for a search of 500,000 records exported without
    # authors. Stable-sorted by hash, one key's entries keep their order: titles, then positions, ascending.
    split = functools.lru_cache(maxsize=4096)(lambda k: prep.unique_titles[k].split())

    def key(kind: int, words: list[str], p: int) -> str:
        if kind == _GAP:
            return " ".join(words[:p] + ["\0"] + words[p + 1:])
        return " ".join(words[:p] + words[p + 1:]) if p >= 0 else " ".join(words)

    hashes, titles, places, kinds = array("q"), array("i"), array("i"), array("b")
    lengths: dict[str, set[int]] = {"s": set(), "d": set(), "i": set()}
    for k in sorted({prep.title_index[i] for i in only}):
        words = prep.unique_titles[k].split()
        if prep.title_generic[k] or len(words) < _MIN_FUZZY_WORDS:
            continue
        n = len(words)
        lengths["s"].add(n)
        lengths["d"].add(n - 1)
        lengths["i"].add(n + 1)
        hashes.append(_key_hash(" ".join(words)))
        for p in range(n):
            hashes.append(_key_hash(" ".join(words[:p] + ["\0"] + words[p + 1:])))
            hashes.append(_key_hash(" ".join(words[:p] + words[p + 1:])))
        titles.extend([k] * (2 * n + 1))
        places.extend([-1] + [p for p in range(n) for _ in "sd"])
        kinds.frombytes(bytes([_WHOLE]) + bytes([_GAP, _LEFT_OUT]) * n)
    if not hashes:
        return
    order = np.argsort(np.frombuffer(hashes, dtype=np.int64), kind="stable")
    hashes = np.frombuffer(hashes, dtype=np.int64)[order]
    titles, places = (np.frombuffer(a, dtype=np.int32)[order] for a in (titles, places))
    kinds = np.frombuffer(kinds, dtype=np.int8)[order]

    def listed(k: int, l: int, wk: str, wl: str) -> None:
        if prep.title_numbers[k] != prep.title_numbers[l]:
            return
        for i in prep.title_members[k]:
            if not _title_only(prep, i):
                continue
            for j in prep.title_members[l]:
                a, b = (i, j) if i < j else (j, i)
                if groups.find(a) == groups.find(b) or (a, b) in groups.review or prep.abstracts_differ(a, b):
                    continue
                wa, wb = (wk, wl) if a == i else (wl, wk)
                what = f"'{wa}' / '{wb}'" if wa and wb else f"'{wa or wb}' in one title only"
                groups.flag(a, b, f"titles one word apart ({what}), and record {prep.ids[i]} has only its title to "
                                  "compare (no authors, year, DOI or pages): one paper, or two?")

    # each title l's keys, a batch of titles at a time, in the order they were looked up one by one: l's title whole
    # (the "d" keys of k), a gap for each of its words (the "s" keys), each word left out (the "i" keys)
    asked, asked_titles, asked_places, asked_kinds = array("q"), array("i"), array("i"), bytearray()

    def look_up() -> None:
        wanted = np.array(asked, dtype=np.int64)  # a copy: the batch is emptied after
        by_hash = np.argsort(wanted)  # searched in order: each search starts where the last one ended
        lo = np.empty_like(wanted)
        lo[by_hash] = np.searchsorted(hashes, wanted[by_hash], side="left")
        found = np.zeros_like(wanted)
        there = np.flatnonzero(hashes[np.minimum(lo, len(hashes) - 1)] == wanted)
        found[there] = np.searchsorted(hashes, wanted[there], side="right") - lo[there]
        # each key asked (q) beside each entry of its hash (x), in turn; not those of another kind, nor a title's own
        # gaps (the same title)
        qs = np.repeat(np.arange(len(wanted)), found)
        xs = np.arange(len(qs)) - np.repeat(np.cumsum(found) - found, found) + np.repeat(lo, found)
        kind_asked = np.frombuffer(asked_kinds, dtype=np.int8)[qs]
        own = titles[xs] == np.frombuffer(asked_titles, dtype=np.int32)[qs]
        keep = (kinds[xs] == kind_asked) & ((kind_asked != _GAP) | ~own)
        for q, x in zip(qs[keep].tolist(), xs[keep].tolist()):
            l, p, kind, k, at = asked_titles[q], asked_places[q], asked_kinds[q], int(titles[x]), int(places[x])
            mine, theirs = split(l), split(k)
            if kind == _LEFT_OUT:  # l's whole title, as written, asked for k's titles with a word left out
                asked_key = prep.unique_titles[l]
            else:  # l's title with a gap for word p, or with word p left out (asked for k's whole title)
                asked_key = key(_GAP if kind == _GAP else _LEFT_OUT, mine, p)
            if key(kind, theirs, at) != asked_key:
                continue
            if kind == _LEFT_OUT:  # l's title is k's with a word left out
                listed(k, l, theirs[at], "")
            elif kind == _GAP:
                listed(k, l, theirs[at], mine[p])
            else:  # k's title is l's with a word left out
                listed(k, l, "", mine[p])
        del asked[:], asked_titles[:], asked_places[:], asked_kinds[:]

    for l, t in enumerate(prep.unique_titles):
        words = t.split()
        n = len(words)
        if prep.title_generic[l] or n < _MIN_FUZZY_WORDS - 1:
            continue
        before = len(asked)
        if n in lengths["d"]:
            asked.append(_key_hash(t))
            asked_places.append(-1)
            asked_kinds.append(_LEFT_OUT)
        if n in lengths["s"]:
            asked.extend([_key_hash(" ".join(words[:p] + ["\0"] + words[p + 1:])) for p in range(n)])
            asked_places.extend(range(n))
            asked_kinds.extend(bytes([_GAP]) * n)
        if n in lengths["i"]:
            asked.extend([_key_hash(" ".join(words[:p] + words[p + 1:])) for p in range(n)])
            asked_places.extend(range(n))
            asked_kinds.extend(bytes([_WHOLE]) * n)
        asked_titles.extend([l] * (len(asked) - before))
        if len(asked) >= _KEY_BATCH:
            look_up()
    look_up()


#: The most words of a heading set off before a title that ``_list_headed_titles`` reads as a column's name
_COLUMN_HEAD_MAX = 5


def _headed_copy(prep: _Prepared, i: int, j: int) -> bool:
    """Whether record i (a title with a heading) and record j (the title without it) can be one article: one first
    author, journal and year (give or take the tolerance), no two DOIs, PMIDs, volumes or first pages; a volume that
    is the record's year is none (a database puts the year there)."""
    yi, yj = prep.years[i], prep.years[j]
    if yi is None or yj is None or abs(yi - yj) > prep.year_tolerance:
        return False
    if not (prep.author_keys[i] and prep.author_keys[j]):
        return False
    if not prep.authors_compatible(i, j) or not (prep.journals[i] and prep.journals[j]) \
            or not prep.venues_compatible(i, j):
        return False
    for values in (prep.dois, prep.pmids, prep.starts):
        if values[i] and values[j] and values[i] != values[j]:
            return False
    vi, vj = (v if v != str(y) else None for v, y in ((prep.volumes[i], yi), (prep.volumes[j], yj)))
    return not (vi and vj and vi != vj)


def _list_headed_titles(prep: _Prepared, groups: _Groups) -> None:
    """List a title with a short heading set off before it ("How I did it ... <title>") beside the same title without
    it, by one first author in one journal and year: a magazine's column name that one database drops, whose short
    title falls below the fuzzy threshold with it; or a paper of its own under that heading, so a person decides. A
    notice's heading ("Correction: <title>") or a word that makes another paper ("Protocol: <title>") is left out."""
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(prep.ntitles):
        if key:
            by_title[key].append(i)
    for i, title in enumerate(prep.titles):
        m = _HEAD_END.search(title) if prep.author_keys[i] and prep.years[i] is not None else None
        head = _words(strip_title_notes(title[:m.start()])).split() if m else []
        if not head or len(head) > _COLUMN_HEAD_MAX or _NOTICE_WORDS.intersection(head):
            continue
        rest = title_key(title[m.end():].lstrip(" .:;-\u2013\u2014"))
        if len(rest.split()) < _MIN_FUZZY_WORDS or _is_generic(rest) or rest == prep.ntitles[i]:
            continue
        k = prep.title_index[i]
        for j in by_title.get(rest, ()):
            kj = prep.title_index[j]
            if groups.find(i) == groups.find(j) or prep.title_notice[k] != prep.title_notice[kj] \
                    or prep.title_numbers[k] != prep.title_numbers[kj] or not _headed_copy(prep, i, j) \
                    or title_contrast(prep.ntitles[i], prep.ntitles[j]):
                continue
            groups.flag(i, j, f"record {prep.ids[i]}'s title is record {prep.ids[j]}'s with '{' '.join(head)}' "
                              "before it, same first author, journal and year (a column's name one database drops, "
                              "or another paper?)")


def _stage_cut_title(prep: _Prepared, groups: _Groups) -> None:
    """Join a title cut short, or with its abbreviations written short, to the whole title of the same first author,
    journal and year where one of the two has no volume and page to compare (the place stage compares the others);
    list the pair for review where only part of that evidence is there."""
    by_author: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (key, y) in enumerate(zip(prep.author_keys, prep.years)):
        k = prep.title_index[i]
        if key and y is not None and not prep.title_generic[k] and len(prep.unique_titles[k].split()) >= \
                _MIN_FUZZY_WORDS:
            for tok in key:
                by_author[(tok, y)].append(i)
    strong: dict[int, set[int]] = defaultdict(set)  # cut record -> the whole records it starts
    seen: set[tuple[int, int]] = set()
    for (tok, y), members in sorted(by_author.items()):
        later = by_author.get((tok, y + 1), []) if prep.year_tolerance else []
        if len(members) + len(later) > _CUT_BLOCK_MAX:
            continue
        for a, i in enumerate(members):
            for j in members[a + 1:] + later:
                pair = (i, j) if i < j else (j, i)
                if pair in seen or groups.find(i) == groups.find(j) or prep.title_index[i] == prep.title_index[j]:
                    continue
                seen.add(pair)
                cut = _cut_start(prep, i, j)
                if not cut or prep.details_conflict(i, j) or not prep.authors_compatible(i, j):
                    continue
                short, whole, cut_title, whole_title = cut
                ks, kw = prep.title_index[short], prep.title_index[whole]
                if prep.title_notice[ks] != prep.title_notice[kw] \
                        or not prep.title_numbers[ks] <= prep.title_numbers[kw]:
                    continue
                ts, tw = prep.unique_titles[ks], prep.unique_titles[kw]
                why = title_contrast(ts, tw) or prep.sign_contrast(i, j)
                if why:
                    groups.flag(i, j, "one title starts the other (a title cut short?), same first author, but "
                                      + _tells_apart(why))
                    continue
                doubt = _cut_doubt(prep, short, whole, cut_title, whole_title)
                if doubt:
                    groups.flag(i, j, f"one title starts the other (a title cut short?), same first author, but "
                                      f"{doubt}")
                else:
                    strong[short].add(whole)
    for short, wholes in sorted(strong.items()):
        if len({groups.find(w) for w in wholes}) > 1:  # the start of two papers: the cut copy may be either
            for w in sorted(wholes):
                groups.flag(short, w, "one title starts the other (a title cut short?), same first author, journal "
                                      "and year, but it starts another record's title too")
            continue
        whole = min(wholes)
        groups.union(short, whole, "title of record {other}{other_when} cut or written short (one starts the "
                                   "other), same journal, year and first author", guard=True)


# ----------------------------------------------------------------------------- public API


def find_duplicates(
    records: pd.DataFrame, *, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD, year_tolerance: int = 1
) -> pd.DataFrame:
    """Group the records that are the same study; one row per record, in record_id order.

    Returns columns ``record_id, group_id, is_primary, reason``. ``group_id`` is the lowest
    record_id in the group (a record that has no duplicate is its own group); the primary record
    is the most complete one (a whole title, abstract, a title saying the article was retracted, DOI, number of
    fields; ties go to the lowest record_id);
    ``reason`` says why the record joined its group, naming the record it matched.
    ``fuzzy_threshold`` is a title similarity in percent (50-100); 100 turns fuzzy matching off.
    ``year_tolerance`` is how many years apart title matches may be (0-2; default 1, because
    databases record the online-first or the print year).
    """
    return find_duplicates_with_review(records, fuzzy_threshold=fuzzy_threshold, year_tolerance=year_tolerance)[0]


REVIEW_COLUMNS = ("record_id", "other_id", "reason")


def find_duplicates_with_review(
    records: pd.DataFrame,
    *,
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    year_tolerance: int = 1,
    merged: Iterable[tuple[int, int]] = (),
    kept_apart: Iterable[tuple[int, int]] = (),
    full_abstracts: Callable[[list[int]], dict[int, str]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``find_duplicates``, plus the uncertain pairs it kept apart for a person to look at.

    The second table has one row per pair (``record_id`` < ``other_id``, ``reason``) whose records
    ended in different groups. ``merged`` and ``kept_apart`` are a reviewer's decisions on such
    pairs (record_id pairs): a merged pair joins the two records' whole groups whatever the
    evidence (unless that would put a kept-apart pair together), kept-apart pairs are never in
    one group, not even through other records or a shared DOI. ``full_abstracts`` gives the whole
    abstracts of records (by record_id) when ``records`` holds them cut short (a store's
    ``dedup_records_frame``): two papers of one title are told apart by their abstracts.
    """
    try:
        threshold = float(fuzzy_threshold)
    except (TypeError, ValueError):
        raise ScreenerError(
            f"fuzzy_threshold must be a percentage between 50 and 100, not {fuzzy_threshold!r}."
        ) from None
    if not 50.0 <= threshold <= 100.0:
        raise ScreenerError(
            f"fuzzy_threshold must be a percentage between 50 and 100 (for example 93), not {fuzzy_threshold!r}."
        )
    if year_tolerance not in (0, 1, 2):
        raise ScreenerError(f"year_tolerance must be 0, 1 or 2 years, not {year_tolerance!r}.")
    with gc_paused():
        prep = _Prepared(records, year_tolerance=int(year_tolerance), full_abstracts=full_abstracts)
        pos = {rid: i for i, rid in enumerate(prep.ids)}

        def positions(pairs):
            out = []
            for a, b in pairs:
                a, b = int(a), int(b)
                if a in pos and b in pos and a != b:
                    i, j = pos[a], pos[b]
                    out.append((i, j) if i < j else (j, i))
            return out

        apart = set(positions(kept_apart))
        groups = _Groups(prep, keep_apart=apart)
        _stage_identifier(prep, groups, prep.dois, "DOI")
        _stage_identifier(prep, groups, prep.pmids, "PMID")
        _stage_trial_id(prep, groups)
        _stage_exact_title(prep, groups)
        _stage_same_place(prep, groups)
        if threshold < 100.0:
            _stage_fuzzy(prep, groups, threshold)
        _stage_cut_title(prep, groups)
        _list_headed_titles(prep, groups)
        # The reviewer's merges come last and join the two records' whole groups: applied first,
        # the merged record's details would veto the automatic links of the other record's group
        # (merging 1 with 2 took 2 out of its group with 96), breaking a group nobody asked to break.
        for i, j in sorted(positions(merged)):
            groups.union(j, i, "merged by the reviewer with record {other}", guard=False)
        _list_title_only_alike(prep, groups)
        _list_retractions(prep, groups)
        assignments = _assignments(prep, groups)
        # a reviewer's "different studies" on any two copies says it of the two studies: none of their pairs is listed
        decided = {frozenset((groups.find(i), groups.find(j))) for i, j in apart}
        rows = []
        for (i, j), why in groups.review.items():
            if groups.find(i) != groups.find(j) and frozenset((groups.find(i), groups.find(j))) not in decided:
                rows.append((prep.ids[i], prep.ids[j], why))
        review = pd.DataFrame(sorted(rows), columns=list(REVIEW_COLUMNS))
        review["record_id"] = review["record_id"].astype("int64")
        review["other_id"] = review["other_id"].astype("int64")
        return assignments, review


STUDY_PAIR_COLUMNS = REVIEW_COLUMNS + ("copies", "other_copies", "copy_ids", "other_copy_ids")


def study_pairs(pairs: pd.DataFrame, groups: pd.DataFrame, *, kept_apart: Iterable[tuple[int, int]] = (),
                titles: dict[int, str] | None = None) -> pd.DataFrame:
    """The pairs of records listed for review (``REVIEW_COLUMNS``) as pairs of studies: one row per two
    duplicate groups of ``groups``, shown by the two copies whose titles (``titles``, by record_id) are
    closest, lowest ids first on a tie, with each study's number of records and their ids (``copies``,
    ``copy_ids`` for ``record_id``'s study). Two studies of two copies each were four pairs, each to decide
    though one decision settles both studies. A reviewer's "different studies" on any two of their copies
    (``kept_apart``: record_id pairs, as stored) takes the two studies off the list, as de-duplication
    keeps them apart; so does their being one group now."""
    group_of = dict(zip(groups["record_id"].astype(int), groups["group_id"].astype(int))) if len(groups) else {}
    members: dict[int, list[int]] = defaultdict(list)
    for rid, gid in group_of.items():
        members[gid].append(rid)

    def study(rid: int) -> int:
        return group_of.get(rid, rid)

    decided = {frozenset((study(int(a)), study(int(b)))) for a, b in kept_apart}
    best: dict[frozenset, tuple] = {}
    for rid, oid, why in sorted(zip(pairs["record_id"].astype(int), pairs["other_id"].astype(int), pairs["reason"])):
        key = frozenset((study(rid), study(oid)))
        if len(key) < 2 or key in decided:
            continue
        score = fuzz.ratio(title_key(_text(titles.get(rid))), title_key(_text(titles.get(oid)))) if titles else 0.0
        if key not in best or score > best[key][0]:
            best[key] = (score, rid, oid, why)
    rows = []
    for _, rid, oid, why in sorted(best.values(), key=lambda b: (b[1], b[2])):
        sides = [sorted(members.get(study(r), [r])) for r in (rid, oid)]
        rows.append((rid, oid, why, len(sides[0]), len(sides[1]), ", ".join(map(str, sides[0])),
                     ", ".join(map(str, sides[1]))))
    out = pd.DataFrame(rows, columns=list(STUDY_PAIR_COLUMNS))
    for col in ("record_id", "other_id", "copies", "other_copies"):
        out[col] = out[col].astype("int64")
    return out


KEY_COLUMNS = ("title", "doi", "pmid", "year", "volume", "start_page", "type")


def related_records(keys: pd.DataFrame, new_ids: Iterable[int], *,
                    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> set[int]:
    """Record ids (new ones included) that de-duplication could join with any of ``new_ids``:
    the same DOI, PMID, cleaned title, volume and first page, or year and first page, or a title
    at least ``fuzzy_threshold`` alike. ``keys`` holds every record (``KEY_COLUMNS``), indexed by
    record_id. Adding records then compares them with the project, not the project with itself."""
    new = [int(i) for i in new_ids]
    if not new:
        return set()
    ids = np.asarray(keys.index, dtype=np.int64)
    n = len(ids)

    def col(name):
        return keys[name].tolist() if name in keys.columns else [None] * n

    pos = {int(r): i for i, r in enumerate(ids)}
    new_pos = [pos[r] for r in new if r in pos]
    titles = [t or "" for t in _texts(col("title"))]
    ntitles = _mapped(title_key, titles)
    # a Cochrane review's "(Review)" is cut where its journal is known: its title without the mark is wanted too
    unmarked = {i: title_key(_REVIEW_MARK.sub("", t)) for i, t in enumerate(titles)
                if t.endswith(")") and _REVIEW_MARK.search(t)}
    dois = _mapped(normalise_doi, _texts(col("doi")))
    pmids = _mapped(_norm_pmid, col("pmid"))
    years = _mapped(_norm_year, col("year"))
    volumes = _mapped(_number, col("volume"))
    starts = col("start_page")
    if all(_missing(v) for v in starts):
        from screener.records import start_page

        starts = _mapped(start_page, _texts(col("pages")))
    starts = _mapped(_page, starts)
    out = set(new)
    # a trial register's entries join on their trial ids, whatever their titles: the few entries are compared
    registered = [i for i, k in enumerate(_texts(col("type"))) if k and _REGISTRY_TYPE.search(k)]
    if set(registered) & set(new_pos):
        out.update(int(ids[i]) for i in registered)
    wanted: dict[str, set] = {"doi": set(), "pmid": set(), "title": set(), "place": set(), "year_place": set()}
    papers = {i: p for i, t in enumerate(ntitles) if t and (p := _retracted_title(t, titles[i]))}
    for i in new_pos:
        if dois[i]:
            wanted["doi"].add(dois[i])
        if pmids[i]:
            wanted["pmid"].add(pmids[i])
        if ntitles[i]:
            wanted["title"].add(ntitles[i])
        if papers.get(i):
            wanted["title"].add(papers[i])  # a retraction notice is listed with its paper
        if unmarked.get(i):
            wanted["title"].add(unmarked[i])
        if starts[i]:
            if volumes[i]:
                wanted["place"].add((volumes[i], starts[i]))
            if years[i] is not None:
                wanted["year_place"].add((years[i], starts[i]))
    for i in range(n):
        if ((dois[i] and dois[i] in wanted["doi"]) or (pmids[i] and pmids[i] in wanted["pmid"])
                or (ntitles[i] and ntitles[i] in wanted["title"]) or unmarked.get(i) in wanted["title"]
                or papers.get(i) in wanted["title"]
                or (starts[i] and ((volumes[i], starts[i]) in wanted["place"]
                                   or (years[i], starts[i]) in wanted["year_place"]))):
            out.add(int(ids[i]))
    queries = [ntitles[i] for i in new_pos if len(ntitles[i].split()) >= _MIN_FUZZY_WORDS]
    if queries and float(fuzzy_threshold) < 100.0:
        scores = process.cdist(queries, ntitles, scorer=fuzz.ratio, score_cutoff=float(fuzzy_threshold),
                                dtype=np.float32, workers=1)
        out.update(int(ids[c]) for c in np.nonzero(scores)[1].tolist())
    return out


def _assignments(prep: _Prepared, groups: _Groups) -> pd.DataFrame:
    n = len(prep.ids)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[groups.find(i)].append(i)
    adjacency: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for i, j, reason in groups.links:
        adjacency[i].append((j, reason))
        adjacency[j].append((i, reason))
    group_id = [0] * n
    primary = [False] * n
    reason_of = [""] * n
    for root, ms in members.items():
        gid = prep.ids[min(ms)]
        best = min(ms, key=prep.completeness)
        for i in ms:
            group_id[i] = gid
        primary[best] = True
        if len(ms) == 1:
            continue
        reason_of[best] = _primary_reason(prep, best, len(ms))
        # Walk the links outwards from the primary: each record is explained by the link that
        # brought it in, naming the record on the other side.
        seen = {best}
        queue = [best]
        while queue:
            cur = queue.pop(0)
            for nxt, reason in sorted(adjacency[cur], key=lambda x: prep.ids[x[0]]):
                if nxt not in seen:
                    seen.add(nxt)
                    year = prep.years[cur]
                    reason_of[nxt] = reason.format(other=prep.ids[cur], other_when=f" ({year})" if year else "")
                    queue.append(nxt)
    return pd.DataFrame(
        {
            "record_id": pd.array(prep.ids, dtype="int64"),
            "group_id": pd.array([int(g) for g in group_id], dtype="int64"),
            "is_primary": pd.array(primary, dtype="bool"),
            "reason": pd.array(reason_of, dtype=object),
        }
    )


def _primary_reason(prep: _Prepared, i: int, size: int) -> str:
    has = [x for x, ok in (("abstract", prep.has_abstract[i]), ("DOI", prep.dois[i] is not None)) if ok]
    what = f"has {' and '.join(has)}, " if has else ""
    if prep.retracted[i]:
        return (f"primary of {size} records: its title says the article was retracted (shown so that the retraction "
                f"is seen; {what}{prep.n_fields[i]} fields filled)")
    return f"primary of {size} records: the most complete ({what}{prep.n_fields[i]} fields filled)"


def _check_assignments(assignments: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(assignments, pd.DataFrame):
        raise ScreenerError("expected the de-duplication table (record_id, group_id, is_primary, reason).")
    a = assignments
    if "record_id" not in a.columns and a.index.name == "record_id":
        a = a.reset_index()
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in a.columns]
    if missing:
        raise ScreenerError(
            f"the de-duplication table lacks the {'column' if len(missing) == 1 else 'columns'} {', '.join(missing)}; "
            "pass the table that find_duplicates returned."
        )
    return a.loc[:, list(ASSIGNMENT_COLUMNS)].reset_index(drop=True)


def split_group(
    assignments: pd.DataFrame, record_ids: Iterable[int], *, records: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Take records out of their duplicate groups (a reviewer correcting a wrong group).

    Each taken record becomes its own group. What remains of a group keeps its primary if it
    stays; if the primary was taken out, the most complete remaining record becomes primary when
    ``records`` is given, else the lowest remaining record_id. The remaining records' reasons say
    what is left: the primary's counts the records left, and a reason naming a record taken out
    (the link that brought the record in) says so. Returns a new table.
    """
    a = _check_assignments(assignments).copy()
    take = [int(r) for r in record_ids]
    known = set(a["record_id"].astype("int64"))
    unknown = [r for r in take if r not in known]
    if unknown:
        raise ScreenerError(
            f"{'record' if len(unknown) == 1 else 'records'} {', '.join(map(str, unknown))} "
            f"{'is' if len(unknown) == 1 else 'are'} not in the de-duplication results; check the record "
            f"{'id' if len(unknown) == 1 else 'ids'} (see `screener dedup --report`)."
        )
    take_set = set(take)
    a["reason"] = a["reason"].astype(object)
    touched = set(a.loc[a["record_id"].isin(take_set), "group_id"].astype("int64"))
    rid = a["record_id"].astype("int64")
    sizes = a["group_id"].map(a["group_id"].value_counts())
    for r in sorted(take_set):
        row = rid == r
        old = int(a.loc[row, "group_id"].iloc[0])
        size = int(sizes[row].iloc[0])
        a.loc[row, "group_id"] = r
        a.loc[row, "is_primary"] = True
        if old == r:  # the group was named after it: named after the lowest record left
            left = sorted(int(x) for x in rid[(a["group_id"] == old) & ~rid.isin(take_set)])
            old = left[0] if left else old
        a.loc[row, "reason"] = f"taken out of the group of record {old} by the reviewer" if size > 1 else ""
    prep = _Prepared(records) if records is not None else None
    pos = {rid_: i for i, rid_ in enumerate(prep.ids)} if prep is not None else {}
    for old in sorted(touched):
        rest = a.index[(a["group_id"] == old) & ~rid.isin(take_set)].tolist()
        if not rest:
            continue
        ids = sorted(int(rid[i]) for i in rest)
        new_gid = ids[0]
        a.loc[rest, "group_id"] = new_gid
        current = [i for i in rest if bool(a.at[i, "is_primary"])]
        if current:
            best_id = int(rid[current[0]])
        elif prep is not None and all(r in pos for r in ids):
            best_id = prep.ids[min((pos[r] for r in ids), key=prep.completeness)]
        else:
            best_id = new_gid
        for i in rest:
            is_best = int(rid[i]) == best_id
            a.at[i, "is_primary"] = is_best
            if len(rest) == 1:
                a.at[i, "reason"] = ""
            elif is_best and not current:
                a.at[i, "reason"] = f"primary of {len(rest)} records after the reviewer split the group"
            elif is_best:
                a.at[i, "reason"] = re.sub(r"^primary of \d+ records", f"primary of {len(rest)} records",
                                           str(a.at[i, "reason"]))
            else:
                named = [int(m) for m in re.findall(r"\brecords? (\d+)", str(a.at[i, "reason"]))
                         if int(m) in take_set]
                if named:
                    a.at[i, "reason"] = (f"in the group of record {best_id}; it was matched with record {named[0]}, "
                                         "which the reviewer took out")
    a["group_id"] = a["group_id"].astype("int64")
    a["is_primary"] = a["is_primary"].astype(bool)
    return a


def group_members(assignments: pd.DataFrame, record_id: int) -> list[int]:
    """The record ids in ``record_id``'s duplicate group (itself alone when it has no group)."""
    a = _check_assignments(assignments)
    rid = a["record_id"].astype("int64")
    row = a[rid == int(record_id)]
    if row.empty:
        return [int(record_id)]
    gid = int(row["group_id"].iloc[0])
    return sorted(int(r) for r in rid[a["group_id"].astype("int64") == gid])


def merge_blockers(assignments: pd.DataFrame, a: int, b: int,
                   kept_apart: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kept-apart pairs that merging ``a`` and ``b`` would put in one group (a merge joins their
    whole groups), other than the pair itself, whose newer decision the merge replaces."""
    ga, gb = set(group_members(assignments, a)), set(group_members(assignments, b))
    out = []
    for x, y in kept_apart:
        x, y = int(x), int(y)
        if {x, y} != {int(a), int(b)} and ((x in ga and y in gb) or (x in gb and y in ga)):
            out.append((min(x, y), max(x, y)))
    return sorted(set(out))


def refuse_blocked_merge(assignments: pd.DataFrame, a: int, b: int, kept_apart: Iterable[tuple[int, int]], *,
                         command: str = "") -> None:
    """A merge joins two whole groups; stop, before it is logged, when that would undo a reviewer's
    keep-apart decision (a split between the two groups is undone by the merge:
    ``Project.decide_duplicates``). ``command``: what goes before ``--merge`` and ``--split`` in the
    words ('' in a terminal's 'screener dedup', which named them; the whole command on a web page)."""
    blockers = merge_blockers(assignments, a, b, kept_apart)
    if not blockers:
        return
    x, y = blockers[0]
    run = f"run {command}" if command else "run "
    raise InputError(
        f"records {a} and {b} were not merged (nothing was changed): merging them joins their whole duplicate "
        f"groups ({', '.join(map(str, group_members(assignments, a)))} and "
        f"{', '.join(map(str, group_members(assignments, b)))}), and a reviewer said records {x} and {y} are "
        f"different studies. If {x} and {y} are one study after all, {run}--merge {x},{y}; if not, take the wrong "
        f"record out of its group first with {command}--split RECORD_ID."
    )


def merge_message(before: pd.DataFrame, after: pd.DataFrame, a: int, b: int,
                  records: pd.DataFrame | None = None, splits: Iterable[int] = (), *, command: str = "") -> str:
    """What a reviewer's ``--merge a,b`` did, in words: every record now in the one study, which
    group joined which, and any details in which the joined records differ (so a mistaken merge
    is caught while it is fresh). ``command``: as in ``refuse_blocked_merge``."""
    a, b = int(a), int(b)
    now = group_members(after, a)
    if b not in now:
        split = sorted({a, b} & {int(x) for x in splits})
        why = (f": record {_and(split)} was taken out of its group earlier ({command}--split), and that still "
               "holds" if split else "")
        return (f"Records {a} and {b}: the merge is logged, but they are still in different groups{why} "
                f"(record {a} is with {_and(group_members(after, a))}; record {b} with {_and(group_members(after, b))}).")
    old_a, old_b = group_members(before, a), group_members(before, b)
    if b in old_a:
        others = [r for r in now if r not in (a, b)]
        also = f" (with {_and(others)})" if others else ""
        return f"Records {a} and {b} were already one study{also}; the decision is logged."
    text = f"Records {_and(now)} are now one study (logged)."
    if len(old_a) > 1 or len(old_b) > 1:
        joined = f"{_side(old_a)} joined {_side(old_b)}."
        text += " " + joined[0].upper() + joined[1:]
    why = _first_difference(records, old_a, old_b) if records is not None else None
    if why:
        text += (f" Check this: records {why[0]} and {why[1]} differ ({why[2]}). If record {a} and record {b} "
                 f"are different studies, undo with {command}--keep-apart {a},{b}.")
    return text


def _and(ids: list[int]) -> str:
    ids = [str(i) for i in ids]
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _side(ids: list[int]) -> str:
    return f"record {ids[0]}" if len(ids) == 1 else f"the group of records {_and(ids)}"


def _first_difference(records: pd.DataFrame, left: list[int], right: list[int]) -> tuple[int, int, str] | None:
    ids = [i for i in left + right if i in records.index]
    if len(ids) < 2:
        return None
    prep = _Prepared(records.loc[sorted(set(ids))])
    pos = {rid: i for i, rid in enumerate(prep.ids)}
    for x in left:
        for y in right:
            if x in pos and y in pos:
                why = prep.details_conflict(pos[x], pos[y])
                if why:
                    return min(x, y), max(x, y), why
    return None


def _source_of(records_df: pd.DataFrame) -> pd.Series:
    if "source_db" in records_df.columns:
        s = records_df["source_db"].map(lambda v: _text(v) or "unknown source")
    else:
        s = pd.Series("unknown source", index=records_df.index)
    return s


def prisma_counts(records_df: pd.DataFrame, assignments: pd.DataFrame) -> dict:
    """The identification box of a PRISMA flow chart.

    Returns ``{"identified_per_source": {source: n}, "identified": n, "duplicates_removed": n,
    "after_deduplication": n}``; every record counts once under its ``source_db``.
    """
    a = _check_assignments(assignments)
    ids = set(int(i) for i in records_df.index)
    assigned = set(a["record_id"].astype("int64"))
    if ids != assigned:
        missing = sorted(ids - assigned)[:5]
        extra = sorted(assigned - ids)[:5]
        raise ScreenerError(
            "the de-duplication results do not cover the same records as the record table "
            f"(not de-duplicated: {missing or 'none'}; unknown: {extra or 'none'}); run find_duplicates again."
        )
    per_source = _source_of(records_df).value_counts()
    identified = int(len(records_df))
    after = int(a["group_id"].nunique())
    return {
        "identified_per_source": {str(k): int(v) for k, v in sorted(per_source.items())},
        "identified": identified,
        "duplicates_removed": identified - after,
        "after_deduplication": after,
    }


def dedup_report(records_df: pd.DataFrame, assignments: pd.DataFrame, *, only_duplicates: bool = True) -> pd.DataFrame:
    """One row per record of each duplicate group (primary first), with source, year, title, DOI
    and reason, for a reviewer to check the groups; ``only_duplicates=False`` adds singletons."""
    a = _check_assignments(assignments).set_index("record_id")
    a.index = a.index.astype("int64")
    r = records_df.copy()
    r.index = r.index.astype("int64")
    sizes = a["group_id"].map(a["group_id"].value_counts())
    table = pd.DataFrame(
        {
            "group_id": a["group_id"],
            "group_size": sizes,
            "record_id": a.index,
            "is_primary": a["is_primary"],
            "source_db": _source_of(r).reindex(a.index),
            "year": r["year"].map(_norm_year).reindex(a.index) if "year" in r.columns else None,
            "title": r["title"].map(lambda t: _text(t) or "").reindex(a.index) if "title" in r.columns else "",
            "doi": r["doi"].map(lambda d: normalise_doi(_text(d)) or "").reindex(a.index) if "doi" in r.columns else "",
            "reason": a["reason"],
        }
    )
    table.index.name = None
    table["year"] = table["year"].astype("Int64")
    if only_duplicates:
        table = table[table["group_size"] > 1]
    table = table.sort_values(["group_id", "is_primary", "record_id"], ascending=[True, False, True])
    return table.reset_index(drop=True)


def format_dedup_report(report: pd.DataFrame, *, title_width: int | None = None) -> str:
    """The report as plain text: one block per group, primary marked with '*'. Titles are whole unless
    ``title_width`` cuts them: the word that makes a wrong group two works is often a title's last."""
    if report.empty:
        return "No duplicate records found."
    lines = []
    n_groups = report["group_id"].nunique()
    noun = "group" if n_groups == 1 else "groups"
    lines.append(f"{n_groups} {noun} of duplicate records ({len(report)} records).")
    lines.append("The record marked * is the one screened (the primary record); the others in its group are its "
                 "duplicates, counted as removed in PRISMA.")
    # one number per group wherever it is shown: numbered 1, 2 ... here, 'Group 1' was group 2 in the CSV beside it;
    # the gaps said only where there are some
    gids = sorted(report["group_id"].unique())
    skip = ", so the numbers skip" if list(gids) != list(range(1, len(gids) + 1)) else ""
    lines.append("Each group is numbered as in the CSV of this report (group_id), the web app's records list and an "
                 f"export (duplicate_group){skip}.")
    for gid, g in report.groupby("group_id", sort=True):
        lines.append("")
        lines.append(f"Group {gid} ({len(g)} records)")
        for row in g.itertuples(index=False):
            mark = "*" if row.is_primary else " "
            # a search without years (or a database name) read '[search, ]'
            where = ", ".join(str(x) for x in (row.source_db, row.year) if not pd.isna(x) and str(x).strip())
            title = row.title if title_width is None or len(row.title) <= title_width else \
                row.title[: title_width - 1] + "…"
            lines.append(f" {mark} record {row.record_id} [{where}] {title}")
            if row.reason:
                lines.append(f"      {row.reason}")
    return "\n".join(lines)
