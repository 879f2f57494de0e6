"""EBSCOhost's tagged text export ('TI- ', 'AU- ' lines, a blank line between records), as its PsycINFO and other
databases save it for reference-management software."""

from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import read_records
from screener.io.detect import detect_format

#: two made-up records in the shape EBSCOhost writes: one tag a line ('XX- value'), authors and keywords one a line,
#: the database's code in each record's link, a blank line after each record
EBSCO_TXT = """\
TI- Peer navigation for people leaving prison: a pilot trial.
PS- Publication Status: Fully Published
AU- Smith, John A.
AU- Doe, Kate
AF- Smith, John A., j.smith@example.org, School of Public Health, Example University
SO- Journal of Example Studies
VI- 24
IP- 6
SD- Nov, 2014
YR- 2014
PG- 676-684
PC- 9
SP- 676
PU- US : Example Publications
SN- 1049-7315, Print
DO- 10.1177/1049731513509897
LA- English
KP- peer navigation
KP- reentry
SU- Prisoners; Peer Counseling
AB- Objective: We tested peer navigation. Method: 80 men were randomised. Results: More kept their appointments.
MJ- Prisoners; Peer Counseling
MN- No terms assigned
CL- Health & Mental Health Services (3370)
PT- Journal
AT- Journal Article
AN- 2014-43498-004
UR- http://search.ebscohost.com/login.aspx?direct=true&db=psyh&AN=2014-43498-004&site=ehost-live

TI- Housing first and recovery.
AU- Lee, Ann
SO- Example Review
YR- 1927
AB- A short abstract.
AT- Journal Article
AN- 1927-00164-001

"""


def _write(tmp_path, name, text, encoding="utf-8", newline="\n"):
    p = tmp_path / name
    p.write_bytes(text.replace("\n", newline).encode(encoding))
    return p


def test_an_ebsco_tagged_text_export_is_read(tmp_path):
    """EBSCOhost's tagged text export (a .txt of 'TI- ', 'AU- ' lines) was refused: screener 'cannot tell what kind
    of export this is'. Each record is read now, told by its content, with its title, authors, journal, year, pages,
    DOI, abstract, keywords and subject terms, its accession number, and the database its link names."""
    path = _write(tmp_path, "delivery.txt", EBSCO_TXT)
    assert detect_format(path) == "ebsco_text"
    res = read_records(path)
    assert res.format == "ebsco_text" and res.warnings == [] and res.labels == [None, None]
    a, b = res.records
    assert (a["title"], a["authors"], a["journal"], a["volume"], a["issue"], a["pages"], a["start_page"], a["year"],
            a["doi"], a["type"], a["source_id"], a["source_db"], a["source_line"], a["source_file"]) == (
        "Peer navigation for people leaving prison: a pilot trial.", ["Smith, John A.", "Doe, Kate"],
        "Journal of Example Studies", "24", "6", "676-684", "676", 2014, "10.1177/1049731513509897",
        "Journal Article", "2014-43498-004", "APA PsycInfo", 1, "delivery.txt")
    assert a["abstract"].startswith("Objective: We tested peer navigation.")
    assert a["keywords"] == ["peer navigation", "reentry", "Prisoners", "Peer Counseling"]
    assert a["raw"]["CL"] == "Health & Mental Health Services (3370)"
    assert a["raw"]["AU"] == ["Smith, John A.", "Doe, Kate"]
    assert (b["title"], b["authors"], b["year"], b["source_line"], b["source_db"]) == (
        "Housing first and recovery.", ["Lee, Ann"], 1927, 30, "EBSCOhost")


@pytest.mark.parametrize("encoding,newline", [("utf-8-sig", "\r\n"), ("utf-16", "\r\n"), ("cp1252", "\n")])
def test_an_ebsco_text_export_in_another_encoding_or_with_windows_line_ends_is_read_alike(tmp_path, encoding,
                                                                                          newline):
    res = read_records(_write(tmp_path, "delivery.txt", EBSCO_TXT, encoding=encoding, newline=newline))
    assert [(r["title"], r["source_line"]) for r in res.records] == [
        ("Peer navigation for people leaving prison: a pilot trial.", 1), ("Housing first and recovery.", 30)]


def test_a_record_whose_blank_line_was_lost_is_its_own_record_and_a_long_value_over_lines_is_kept(tmp_path):
    """Every EBSCOhost record opens with its title: a 'TI- ' inside a record starts the next one (the blank line
    between them lost in a paste), so no record is taken into the one above. A line with no tag goes on with the
    field above it (a value wrapped by an editor)."""
    text = ("TI- First study.\nAU- Lee, Ann\nAB- The first half\nof the abstract.\nTI- Second study.\nAU- Kim, Bo\n"
            "\n\nTI- Third study.\n")
    res = read_records(_write(tmp_path, "ebsco.txt", text))
    assert [(r["title"], r["authors"], r["source_line"]) for r in res.records] == [
        ("First study.", ["Lee, Ann"], 1), ("Second study.", ["Kim, Bo"], 5), ("Third study.", [], 9)]
    assert res.records[0]["abstract"] == "The first half of the abstract."


def test_text_above_the_first_record_is_named_not_read_as_a_record(tmp_path):
    res = read_records(_write(tmp_path, "ebsco.txt", "My search, 2 March\n\n" + EBSCO_TXT), fmt="ebsco")
    assert len(res.records) == 2 and res.records[0]["source_line"] == 3
    (warning,) = res.warnings
    assert "ebsco.txt" in warning and "line 1" in warning and "not read" in warning, warning


def test_a_file_that_is_not_ebsco_text_given_as_one_is_refused(tmp_path):
    with pytest.raises(InputError, match="not an EBSCOhost"):
        read_records(_write(tmp_path, "t.txt", "Title,Year\nA study,2020\n"), fmt="ebsco")


def test_a_line_between_records_that_belongs_to_none_stops_the_import_with_its_line(tmp_path):
    stray = "Housing first: a record pasted without its tags\n"
    text = EBSCO_TXT.replace("\nTI- Housing first", "\n" + stray + "TI- Housing first")
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "ebsco.txt", text))
    msg = str(e.value)
    assert "ebsco.txt" in msg and "line 30" in msg and "belongs to no record" in msg, msg
    assert "Nothing was imported" in msg, msg
    assert "export the records from EBSCOhost as RIS" in msg, msg


def test_a_records_second_title_line_its_title_in_another_language_stays_in_the_record(tmp_path):
    """A record of an article in another language has two title lines, one after the other: the English title,
    then the title as published. The second opened a record of its own: a record with a title alone, counted in
    PRISMA and screened, and the article's record under its other-language title. It is one record, under its
    English title; a title after other fields still opens the next record (its blank line lost)."""
    text = ("TI- Peer support in German addiction services.\nTI- Peer-Unterstützung in der deutschen Suchthilfe.\n"
            "PS- Publication Status: Fully Published\nAU- Weber, Jonas\nSO- Example Addiction Journal\nYR- 2016\n"
            "AB- We surveyed services.\nAT- Journal Article\nAN- 2016-11111-003\nTI- Next study.\nAU- Kim, Bo\n")
    res = read_records(_write(tmp_path, "ebsco.txt", text))
    assert [(r["title"], r["authors"], r["year"], r["source_line"]) for r in res.records] == [
        ("Peer support in German addiction services.", ["Weber, Jonas"], 2016, 1),
        ("Next study.", ["Kim, Bo"], None, 10)]
    assert res.records[0]["raw"]["TI"][1] == "Peer-Unterstützung in der deutschen Suchthilfe."


#: EBSCOhost's other tagged layout (Academic Search, Social Sciences Abstracts ...): the journal in 'JN', the whole
#: citation in 'SO' (journal; date, volume, issue, pages), the date in 'PD', keywords in 'KY', the DOI in 'DI', the
#: ISSN in 'IS', the database's name in 'DB'
EBSCO_JN_TXT = """\
TI- Peer support and stigma among men who have sex with men.
AU- Kim, Bo
AU- Lee, Ann
JN- Example Journal of Social Health
SO- Example Journal of Social Health; Mar2019, Vol. 31 Issue 2, p101-115, 15p
PD- 20190301
KY- syndemics
KY- peer support
SU- STIGMA (Social psychology)
AB- We interviewed 40 men about peer support.
DI- 10.1000/ejsh.2019.0042
IS- 1234-5678
PU- Example Press
LA- English
PT- Article
AN- 135012345
DB- Academic Search Complete

TI- A second record with its citation only.
AU- Park, Jin
SO- Example Review of Care; Nov2014, Vol. 24 Issue 6, p676-684. 9p. DOI: 10.1000/erc.2014.6
AB- Short.
DB- Social Sciences Abstracts (H.W. Wilson)

"""


def test_ebscos_layout_with_a_journal_tag_and_a_citation_line_reads_journal_year_doi_and_keywords(tmp_path):
    """EBSCOhost's other tagged layout gives the journal in 'JN', the date in 'PD', the keywords in 'KY', the DOI
    in 'DI' and the whole citation in 'SO': the records had no journal name but the citation line, no year, no DOI
    and no keywords. They are read now, the citation line's parts where there is no field for them."""
    path = _write(tmp_path, "asc.txt", EBSCO_JN_TXT)
    assert detect_format(path) == "ebsco_text"
    res = read_records(path)
    a, b = res.records
    assert (a["title"], a["authors"], a["journal"], a["year"], a["volume"], a["issue"], a["pages"], a["doi"],
            a["type"], a["source_db"], a["source_id"]) == (
        "Peer support and stigma among men who have sex with men.", ["Kim, Bo", "Lee, Ann"],
        "Example Journal of Social Health", 2019, "31", "2", "101-115", "10.1000/ejsh.2019.0042", "Article",
        "Academic Search Complete", "135012345")
    assert a["abstract"] == "We interviewed 40 men about peer support."
    assert a["keywords"] == ["syndemics", "peer support", "STIGMA (Social psychology)"]
    assert (b["journal"], b["year"], b["volume"], b["issue"], b["pages"], b["doi"], b["source_db"]) == (
        "Example Review of Care", 2014, "24", "6", "676-684", "10.1000/erc.2014.6",
        "Social Sciences Abstracts (H.W. Wilson)")


#: EBSCOhost's 'Detailed Citation and Abstract' saved as plain text (Save / E-mail, 'Plain text'): 'Record: 1', then
#: each field's name alone on its line ('Title:') and its value on the lines below
EBSCO_DETAILED_TXT = """\
Record: 1
Title:
  Peer navigation for people leaving prison: a pilot trial.
Authors:
  Smith, John A.
  Doe, Kate
Source:
  Journal of Example Studies. Nov2014, Vol. 24 Issue 6, p676-684. 9p.
Document Type:
  Article
Subject Terms:
  *PRISONERS
  PEER counseling
Author-Supplied Keywords:
  peer navigation
Abstract:
  Objective: We tested peer navigation.
  Results: More kept their appointments.
ISSN:
  1049-7315
DOI:
  10.1177/1049731513509897
Language:
  English
Accession Number:
  99047312
Database:
  Academic Search Complete

Record: 2
Title:
  Housing first and recovery.
Authors:
  Lee, Ann
Source:
  Example Review (EXAMPLE REV), Mar2020; 3(1): 1-9. (9p)
Abstract:
  A short abstract.
Database:
  CINAHL Complete
"""


def test_ebscos_detailed_citation_saved_as_plain_text_is_read(tmp_path):
    """EBSCOhost's 'Detailed Citation and Abstract' saved as plain text ('Record: 1', 'Title:' and the value on the
    lines below) was a file screener 'cannot tell'. Each record is read, with its title, authors, journal, year,
    volume, issue, pages, DOI, abstract (all its lines), keywords, language, accession number and database."""
    path = _write(tmp_path, "delivery.txt", EBSCO_DETAILED_TXT)
    assert detect_format(path) == "ebsco_text"
    res = read_records(path)
    assert res.warnings == []
    a, b = res.records
    assert (a["title"], a["authors"], a["journal"], a["year"], a["volume"], a["issue"], a["pages"], a["doi"],
            a["type"], a["source_id"], a["source_db"], a["source_line"]) == (
        "Peer navigation for people leaving prison: a pilot trial.", ["Smith, John A.", "Doe, Kate"],
        "Journal of Example Studies", 2014, "24", "6", "676-684", "10.1177/1049731513509897", "Article",
        "99047312", "Academic Search Complete", 1)
    assert a["abstract"] == "Objective: We tested peer navigation. Results: More kept their appointments."
    assert a["keywords"] == ["PRISONERS", "PEER counseling", "peer navigation"]
    # CINAHL's citation: 'Journal (ABBREVIATION), Mar2020; volume(issue): pages'
    assert (b["title"], b["authors"], b["journal"], b["year"], b["volume"], b["issue"], b["pages"], b["source_db"],
            b["source_line"]) == ("Housing first and recovery.", ["Lee, Ann"], "Example Review", 2020, "3", "1", "1-9",
                                  "CINAHL", 30)


def test_a_detailed_citation_record_without_a_title_stops_the_import_and_says_to_export_ris(tmp_path):
    """A record of the detailed citation save whose fields screener cannot find (a 'Brief citation' save, or one
    whose field names are in another language) stops the import with its line and the way out: EBSCOhost's RIS."""
    text = "Record: 1\nTitel:\n  Eine Studie.\nAutoren:\n  Weber, Jonas\n"
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "ebsco.txt", text), fmt="ebsco")
    msg = str(e.value)
    assert "ebsco.txt" in msg and "line 1" in msg and "RIS" in msg and "Nothing was imported" in msg, msg


def test_tagged_records_that_open_with_another_field_or_a_record_number_are_read(tmp_path):
    """A tagged export whose records open with their accession number ('AN- ') rather than the title, or with a
    'Record: 1' line above the fields, was a file screener 'cannot tell'; it is read as the same export."""
    text = ("Record: 1\nAN- 135012345\nTI- Peer support and stigma.\nAU- Kim, Bo\nJN- Example Journal\nPD- 20190301\n"
            "\nRecord: 2\nAN- 135012346\nTI- A second study.\nAU- Lee, Ann\nJN- Example Review\nPD- 2018\n")
    path = _write(tmp_path, "asc.txt", text)
    assert detect_format(path) == "ebsco_text"
    res = read_records(path)
    assert [(r["title"], r["authors"], r["journal"], r["year"], r["source_id"], r["source_line"])
            for r in res.records] == [
        ("Peer support and stigma.", ["Kim, Bo"], "Example Journal", 2019, "135012345", 2),
        ("A second study.", ["Lee, Ann"], "Example Review", 2018, "135012346", 9)]
    assert res.warnings == []


def test_text_above_the_first_record_of_a_detailed_citation_save_is_named_not_read(tmp_path):
    """Lines above 'Record: 1' (a header the reviewer typed, or a record whose 'Record:' line was cut off) were left
    out without a word; the import says which lines were not read."""
    text = "Title:\n  A record whose number line was cut off.\n\n" + EBSCO_DETAILED_TXT
    res = read_records(_write(tmp_path, "ebsco.txt", text))
    assert [r["source_line"] for r in res.records] == [4, 33]
    (warning,) = res.warnings
    assert "ebsco.txt" in warning and "lines 1 to 2" in warning and "not read" in warning, warning
    assert "Record: " in warning, warning


def test_a_detailed_citations_author_affiliations_stay_out_of_the_abstract_and_the_author_names(tmp_path):
    """EBSCOhost's detailed citation gives each author with the number of their affiliation and their e-mail
    ('Kim, Bo1 bo.kim@example.org') and the affiliations in a field of their own after the abstract: the
    affiliations were read as the abstract's last sentences, and the number and e-mail as part of the author's
    name, so the same author's other records did not match. The names and the abstract are read without them."""
    text = ("Record: 1\nTitle:\n  Query planning in a made-up database system.\nAuthors:\n"
            "  KIM, Bo Ra1 bo.kim@example.org\n  LEE, Ann1,2\n  Park, Jin2 jin.park@example.edu\nSource:\n"
            "  Example Systems Journal. 2014, Vol. 5 Issue 2, p33-48. 16p.\nAbstract:\n"
            "  We describe a made-up planner.\nAuthor Affiliations:\n  1University of Example Studies, Somewhere\n"
            "  2School of Business, Example University\n"
            "Full Text Word Count:\n  5120\nISSN:\n  2069-3230\nAccession Number:\n  108773855\n")
    (rec,) = read_records(_write(tmp_path, "ebsco.txt", text)).records
    assert rec["authors"] == ["KIM, Bo Ra", "LEE, Ann", "Park, Jin"]
    assert rec["abstract"] == "We describe a made-up planner."
    assert rec["raw"]["Author Affiliations"] == ("1University of Example Studies, Somewhere 2School of Business, "
                                                 "Example University")
    assert (rec["source_id"], rec["pages"], rec["year"]) == ("108773855", "33-48", 2014)


#: the notice EBSCOhost writes after each abstract of a journal it holds (here made up around a made-up journal)
_EBSCO_NOTICE = ("Copyright of Example Journal is the property of Example Press and its content may not be copied "
                 "or emailed to multiple sites or posted to a listserv without the copyright holder's express written "
                 "permission. However, users may print, download, or email articles for individual use. This abstract "
                 "may be abridged. No warranty is given about the accuracy of the copy. Users should refer to the "
                 "original published version of the material for the full abstract. (Copyright applies to all "
                 "Abstracts.)")


def test_ebscohosts_copyright_notice_after_an_abstract_is_not_read_as_the_abstract(tmp_path):
    """EBSCOhost writes '[ABSTRACT FROM AUTHOR]' and a copyright notice of some 70 words after the abstracts of
    the journals it holds, in its RIS (on the lines below the abstract), its tagged text and its detailed citation.
    Reviewers read the notice under every such abstract, and the same words in hundreds of records made them look
    alike to the ranking. The abstract is read without them; the record's raw fields keep what the file wrote, and
    a publisher's own line ('Copyright © 2011 Elsevier B.V.') stays in its abstract."""
    ris = (f"TY  - JOUR\nT1  - Peer navigation after prison.\nN2  - We tested peer navigation. [ABSTRACT FROM AUTHOR]\n"
           f"{_EBSCO_NOTICE}\nDP  - EBSCOhost\nDB  - a9h\nER  - \n\n"
           "TY  - JOUR\nT1  - Diazepam and EEG maps.\nN2  - We mapped EEG. Copyright © 2011 Elsevier B.V.\nER  - \n")
    text = (f"TI- Housing first and recovery.\nAU- Lee, Ann\nAB- A short abstract. [ABSTRACT FROM PUBLISHER] "
            f"{_EBSCO_NOTICE}\n\nTI- A fourth study.\nAB- Its abstract, no notice. [ABSTRACT FROM AUTHOR]\n")
    detailed = ("Record: 1\nTitle:\n  A third study.\nAbstract:\n  Objective: to test.\n  Results: it worked. "
                f"[ABSTRACT FROM AUTHOR]\n\n  {_EBSCO_NOTICE}\nISSN:\n  2069-3230\n")
    a, b = read_records(_write(tmp_path, "ebsco.ris", ris)).records
    c, e = read_records(_write(tmp_path, "ebsco.txt", text)).records
    (d,) = read_records(_write(tmp_path, "detailed.txt", detailed)).records
    assert [r["abstract"] for r in (a, b, c, d, e)] == [
        "We tested peer navigation.", "We mapped EEG. Copyright © 2011 Elsevier B.V.", "A short abstract.",
        "Objective: to test. Results: it worked.", "Its abstract, no notice."]
    assert a["raw"]["N2"].endswith("(Copyright applies to all Abstracts.)")


def test_an_author_label_in_ebscos_text_exports_is_not_part_of_the_name(tmp_path):
    """EBSCOhost's detailed citation (and some tagged exports) write a role label after each author, between the
    number of their affiliation and their e-mail ('Smith, John1 (AUTHOR) j.smith@example.org'): the label, and the
    number before it, were kept in the name, so the same author's records from other databases did not match."""
    detailed = ("Record: 1\nTitle:\n  Peer navigation after prison.\nAuthors:\n"
                "  Smith, John1 (AUTHOR) j.smith@example.org\n  Doe, Kate2 (AUTHOR)\n  Lee, Ann\nSource:\n"
                "  Journal of Example Studies. Nov2014, Vol. 24 Issue 6, p676-684.\n")
    tagged = "TI- Housing first and recovery.\nAU- Lee, Ann (AUTHOR)\nAU- Kim, Bo\nSO- Example Review\nYR- 2020\n"
    (a,) = read_records(_write(tmp_path, "detailed.txt", detailed)).records
    (b,) = read_records(_write(tmp_path, "tagged.txt", tagged)).records
    assert a["authors"] == ["Smith, John", "Doe, Kate", "Lee, Ann"]
    assert b["authors"] == ["Lee, Ann", "Kim, Bo"]


#: EBSCOhost's detailed citations without the 'Record: 1' line above each record (copied from the screen, or saved
#: by a newer EBSCO interface): named fields only, nothing that says where one record ends
_DETAILED_WITHOUT_RECORD_LINES = [
    "Title: Peer navigation after prison.\nAuthors: Smith, John (AUTHOR); Doe, Kate (AUTHOR)\n"
    "Source: Journal of Example Studies. Nov2014, Vol. 24 Issue 6, p676-684.\nAbstract: We tested it.\n\n"
    "Title: Housing first.\nAuthors: Lee, Ann (AUTHOR)\nSource: Example Review. 2020, Vol. 3 Issue 1, p1-9.\n",
    "1.\nTitle:\n  Peer navigation after prison.\nAuthors:\n  Smith, John (AUTHOR)\nSource:\n  Journal of Example "
    "Studies. Nov2014.\n\n2.\nTitle:\n  Housing first.\nAuthors:\n  Lee, Ann\nDatabase:\n  CINAHL Complete\n",
]


@pytest.mark.parametrize("text", _DETAILED_WITHOUT_RECORD_LINES)
@pytest.mark.parametrize("fmt", [None, "ebsco"])
def test_detailed_citations_without_their_record_lines_are_refused_naming_the_ris_export(tmp_path, text, fmt):
    """EBSCOhost's detailed citations ('Title:', 'Authors:', 'Source:') without a 'Record: 1' line above each
    record were 'a file screener cannot tell' (or, given as EBSCOhost's export, 'plain text'), which said nothing
    of what to do in EBSCOhost. The import is refused naming the file, what it is and the export to choose."""
    path = _write(tmp_path, "ebsco-citations.txt", text)
    with pytest.raises(InputError) as e:
        read_records(path, fmt=fmt)
    msg = str(e.value)
    assert "ebsco-citations.txt" in msg and "detailed citation" in msg and "'Record: 1'" in msg, msg
    assert "Direct Export in RIS Format" in msg and "Nothing was imported" in msg, msg
