"""EndNote's tagged export ('.enw'), as EndNote, Google Scholar and publishers' sites write it."""

from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import read_records

#: EndNote's 'EndNote Export' of two records, the first from PubMed (its accession number the PMID), with an
#: abstract of two paragraphs, one keyword a line and a blank line between the records
ENDNOTE_ENW = """\
%0 Journal Article
%A Smith, John
%A Doe, Kate A.
%T Peer navigation for HIV care among men who have sex with men:
a randomized trial
%J AIDS and Behavior
%V 24
%N 5
%P 1234-1240
%@ 1090-7165
%D 2020
%8 May
%R 10.1007/s10461-020-00001-1
%M 32001234
%W NLM
%U https://www.ncbi.nlm.nih.gov/pubmed/32001234
%K HIV
Patient Navigation
Homosexuality, Male
%X BACKGROUND: Men who have sex with men face barriers.

METHODS: We randomised 300 men.

%0 Book Section
%A Brown, Lee
%T Syndemics in practice
%B Handbook of sexual minority health
%I Springer
%C Cham
%D 2019
%P 45-67
"""


def _write(tmp_path, name, text, encoding="utf-8", newline="\n"):
    p = tmp_path / name
    p.write_bytes(text.replace("\n", newline).encode(encoding))
    return p


def test_an_endnote_tagged_export_is_read(tmp_path):
    """EndNote's tagged export (.enw: '%0 Journal Article', '%T ', '%A '), which EndNote, Google Scholar and
    publishers' sites give as 'EndNote', was refused ('screener does not read .enw files'). Each '%0' is a record
    now, on its line, with one author per '%A', its title and abstract over several lines, and its fields."""
    res = read_records(_write(tmp_path, "citations.enw", ENDNOTE_ENW))
    assert res.format == "endnote_tagged"
    a, b = res.records
    assert (a["title"], a["authors"], a["journal"], a["volume"], a["issue"], a["pages"], a["start_page"], a["year"],
            a["doi"], a["pmid"], a["keywords"], a["type"], a["source_db"], a["source_line"], a["source_file"]) == (
        "Peer navigation for HIV care among men who have sex with men: a randomized trial",
        ["Smith, John", "Doe, Kate A."], "AIDS and Behavior", "24", "5", "1234-1240", "1234", 2020,
        "10.1007/s10461-020-00001-1", "32001234", ["HIV", "Patient Navigation", "Homosexuality, Male"],
        "Journal Article", "PubMed", 1, "citations.enw")
    assert a["abstract"] == "BACKGROUND: Men who have sex with men face barriers. METHODS: We randomised 300 men."
    assert a["raw"]["%@"] == "1090-7165" and a["raw"]["%A"] == ["Smith, John", "Doe, Kate A."]
    assert (b["title"], b["authors"], b["journal"], b["year"], b["type"], b["source_line"], b["source_db"]) == (
        "Syndemics in practice", ["Brown, Lee"], "Handbook of sexual minority health", 2019, "Book Section", 24,
        "citations")
    assert res.warnings == [] and res.labels == [None, None]


@pytest.mark.parametrize("encoding,newline,bom", [("utf-8", "\r\n", True), ("utf-16", "\r\n", False),
                                                  ("utf-8", "\n", True)])
def test_an_enw_file_with_a_bom_or_windows_line_ends_is_read_alike(tmp_path, encoding, newline, bom):
    text = ("\ufeff" if bom else "") + ENDNOTE_ENW
    res = read_records(_write(tmp_path, "scholar.txt", text, encoding=encoding, newline=newline))
    assert res.format == "endnote_tagged"
    assert [r["title"] for r in res.records] == [
        "Peer navigation for HIV care among men who have sex with men: a randomized trial", "Syndemics in practice"]
    assert [r["source_line"] for r in res.records] == [1, 24]
    assert res.records[0]["raw"]["%0"] == "Journal Article"


def test_google_scholar_enw_records_without_a_type_line_part_at_blank_lines(tmp_path):
    """A file without '%0' lines (an older 'refer' export, or one edited by hand): a blank line parts records,
    and every record is kept."""
    text = "%T First study\n%A Lee, A\n%D 2018\n\n\n%T Second study\n%A Kim, B\n%D in press\n%8 2021\n\n%T Third\n"
    res = read_records(_write(tmp_path, "refs.enw", text))
    assert [(r["title"], r["year"], r["source_line"]) for r in res.records] == [
        ("First study", 2018, 1), ("Second study", 2021, 6), ("Third", None, 11)]


def test_two_records_run_together_are_refused_with_the_line(tmp_path):
    """A record whose '%0' line was lost in an edit would be read into the one above it, its title lost: the file
    is refused, naming the line and what to add."""
    text = "%0 Journal Article\n%T First study\n%A Lee, A\n%T Second study\n%A Kim, B\n"
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "refs.enw", text))
    msg = str(err.value)
    assert "refs.enw" in msg and "line 4" in msg and "second title" in msg and "'%0 '" in msg, msg
    assert "another record whose '%0 ' line is missing" in msg, msg  # was 'whose its ...'


def test_text_before_the_first_record_is_named_not_dropped_silently(tmp_path):
    text = "Exported from my library\nsee notes\n%0 Journal Article\n%T First study\n"
    res = read_records(_write(tmp_path, "refs.enw", text))
    assert [r["title"] for r in res.records] == ["First study"]
    (note,) = [w for w in res.warnings if "before the first record" in w]
    assert "refs.enw" in note and "lines 1 to 2" in note and "line 3" in note, note


@pytest.mark.parametrize("fmt", ["enw", "endnote_tagged", "refer"])
def test_the_format_can_be_given(tmp_path, fmt):
    res = read_records(_write(tmp_path, "refs.txt", ENDNOTE_ENW), fmt=fmt)
    assert res.format == "endnote_tagged" and len(res.records) == 2


def test_another_file_given_as_enw_is_named_for_what_it_is(tmp_path):
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "refs.enw", "TY  - JOUR\nTI  - A\nER  - \n"), fmt="enw")
    msg = str(err.value)
    assert "refs.enw" in msg and "RIS" in msg and "Leave --format out" in msg, msg


def test_an_enw_file_given_as_csv_is_named_for_what_it_is(tmp_path):
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "refs.csv", ENDNOTE_ENW), fmt="csv")
    assert "EndNote tagged" in str(err.value)


def test_a_field_screener_does_not_know_is_kept_apart_not_joined_to_the_one_above(tmp_path):
    """A tag outside those screener maps ('%{ ...', '%\\ ...', written by other programs) is a field of its own,
    kept in the record as written; it is not read as the abstract's next line."""
    text = "%0 Journal Article\n%T A study\n%X The abstract.\n%\\ 2020/03/07\n%{ a note\n%K anxiety\n"
    (rec,) = read_records(_write(tmp_path, "refs.enw", text)).records
    assert rec["abstract"] == "The abstract." and rec["keywords"] == ["anxiety"]
    assert rec["raw"]["%\\"] == "2020/03/07" and rec["raw"]["%{"] == "a note"


def test_a_record_without_its_type_line_or_title_after_a_blank_line_is_refused_not_joined(tmp_path):
    """After a blank line, a field the record above already has ('%D' again) opens another record whose '%0 ' line
    was lost: read into the one above, its year and journal would have replaced nothing and been lost unseen."""
    text = "%0 Journal Article\n%T First study\n%D 2018\n\n%A Kim, B\n%D 2020\n%J Other journal\n"
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "refs.enw", text))
    msg = str(err.value)
    assert "refs.enw" in msg and "line 6" in msg and "'%D'" in msg and "'%0 '" in msg, msg


def test_given_as_endnote_an_enw_file_is_read_as_what_it_is(tmp_path):
    """'--format endnote' names EndNote's XML; a reviewer exporting from EndNote gives it for the .enw file too, which
    was refused as 'given as an EndNote XML file'. Both are EndNote's: the file's content tells which."""
    res = read_records(_write(tmp_path, "library.enw", ENDNOTE_ENW), fmt="endnote")
    assert res.format == "endnote_tagged" and len(res.records) == 2


def test_given_as_enw_an_endnote_xml_file_is_read_as_what_it_is(tmp_path):
    xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><records><record><ref-type name=\"Journal Article\">17"
           "</ref-type><titles><title>A study</title></titles></record></records></xml>")
    res = read_records(_write(tmp_path, "library.xml", xml), fmt="enw")
    assert res.format == "endnote_xml" and [r["title"] for r in res.records] == ["A study"]


RIS_RECORD = "TY  - JOUR\nTI  - An RIS study\nAU  - Kim, B\nPY  - 2019\nER  - \n"


@pytest.mark.parametrize("enw", ["%0 Journal Article\n%T An EndNote study\n%A Lee, A\n%D 2018\n",
                                 "%T An EndNote study\n%A Lee, A\n%D 2018\n"])
def test_endnote_records_joined_after_ris_records_are_refused_not_dropped(tmp_path, enw):
    """An .enw export pasted below an RIS export (one file of both, 'references.txt') was read as RIS and its
    EndNote records, text between RIS records to that reader, were dropped without a word: now it is refused,
    naming the line where the EndNote records start and what to do."""
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "references.txt", RIS_RECORD + "\n" + enw))
    msg = str(err.value)
    assert "references.txt" in msg and "line 7" in msg and "EndNote tagged" in msg and "RIS" in msg, msg
    assert "file of their own" in msg, msg


def test_ris_records_joined_after_endnote_records_are_refused_not_joined(tmp_path):
    """RIS records far down an .enw file (below the lines screener looks at to tell a file's format) were read as
    lines of the last EndNote field: its abstract took in the RIS records, which were lost as records."""
    enw = "".join(f"%0 Journal Article\n%T Study {i}\n%A Lee, A\n%D 2018\n%X An abstract.\n\n" for i in range(80))
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "references.txt", enw + RIS_RECORD))
    msg = str(err.value)
    assert "references.txt" in msg and "line 481" in msg and "RIS" in msg and "EndNote tagged" in msg, msg
    assert "file of their own" in msg, msg


#: JabRef's 'EndNote' export: each record opens with two '%0' lines, the first its 'endnotereftype' field (empty
#: unless set), then every EndNote tag, those JabRef has no value for left empty; all authors on one '%A' line
JABREF_ENW = """\
%0 
%0 Journal Article
%A Smith, John; Doe, Jane & Lee, Ann
%D 2017
%T A JabRef title
%E 
%B Journal of Things
%C 
%V 12
%6
%N 3
%P 1--10
%Z 
%@ 1234-5678
%3 article
%F Smith2017
%K keyword one, keyword two
%X Abstract here.
%Z 
%+
%^

%0 Book
%0 Conference Proceedings
%A Lee, Ann & Kim, Bo
%D 2016
%T A conference paper
%B Proc. Conf.
%3 inproceedings
%F Lee2016

"""


def test_jabrefs_two_type_lines_open_one_record_not_an_empty_one_more(tmp_path):
    """JabRef writes two '%0' lines at the top of each record: each opened a record, so every study came with an
    empty record before it (counted among the records identified, and named in a warning). One record each now,
    its type the one JabRef's first line sets where it sets one."""
    res = read_records(_write(tmp_path, "jabref.txt", JABREF_ENW))
    got = [(r["title"], r["type"], r["journal"], r["year"], r["source_id"], r["source_line"]) for r in res.records]
    assert got == [
        ("A JabRef title", "Journal Article", "Journal of Things", 2017, "Smith2017", 1),
        ("A conference paper", "Book", "Proc. Conf.", 2016, "Lee2016", 23)]
    assert res.warnings == []
    res = read_records(_write(tmp_path, "damaged.enw", "%0 Journal Article\n\n%0 Journal Article\n%T A study\n"))
    assert [r["title"] for r in res.records] == ["", "A study"]  # a record left with its type alone is kept


def test_authors_jabref_writes_on_one_line_are_each_an_author(tmp_path):
    """JabRef writes all authors on one '%A' line ('Smith, John; Doe, Jane & Lee, Ann'): they were one author, so
    de-duplication and the screen saw a single name. Each is an author now; a name with '&' in it and no comma on
    each side (a group's name) stays whole."""
    text = JABREF_ENW + "%0 Report\n%T A report\n%A Centers for Disease Control & Prevention,\n"
    a, b, c = read_records(_write(tmp_path, "jabref.txt", text)).records
    assert a["authors"] == ["Smith, John", "Doe, Jane", "Lee, Ann"]
    assert b["authors"] == ["Lee, Ann", "Kim, Bo"]
    assert c["authors"] == ["Centers for Disease Control & Prevention,"]


def test_keywords_jabref_writes_on_one_line_are_each_a_keyword(tmp_path):
    """JabRef writes all keywords on one '%K' line, parted by commas ('keyword one, keyword two'): they were one
    keyword. Each is a keyword now. EndNote's own export writes one keyword a line, and a keyword there keeps its
    comma ('Homosexuality, Male'); a line parted by semicolons is a list in either."""
    a, b = read_records(_write(tmp_path, "jabref.txt", JABREF_ENW)).records
    assert a["keywords"] == ["keyword one", "keyword two"]
    (rec, _) = read_records(_write(tmp_path, "citations.enw", ENDNOTE_ENW)).records
    assert rec["keywords"] == ["HIV", "Patient Navigation", "Homosexuality, Male"]
    text = "%0 Journal Article\n%T A study\n%K Homosexuality, Male\n%K Analgesics, Opioid; Pain\n"
    (rec,) = read_records(_write(tmp_path, "endnote.enw", text)).records
    assert rec["keywords"] == ["Homosexuality, Male", "Analgesics, Opioid", "Pain"]


@pytest.mark.parametrize("name", ["scholar.enw", "scholar (1).enw", "Scholar(12).enw", "scholar - Copy.enw"])
def test_google_scholars_one_record_files_count_as_google_scholar(tmp_path, name):
    """Google Scholar gives each record as a file of its own, 'scholar.enw', which the browser saves as 'scholar
    (1).enw', 'scholar (2).enw' ...: with no database named inside, each counted in PRISMA under its file name, a
    database of its own ('scholar (1): 1', 'scholar (2): 1' ...). They count as Google Scholar now; a file of
    another name that names no database is still counted under its name."""
    text = "%0 Journal Article\n%T A study\n%A Lee, A\n%J J\n%D 2020\n"
    (rec,) = read_records(_write(tmp_path, name, text)).records
    assert rec["source_db"] == "Google Scholar"
    (other,) = read_records(_write(tmp_path, "scholarship.enw", text)).records
    assert other["source_db"] == "scholarship"


MEDLINE_RECORD = "PMID- 31234567\nTI  - A PubMed study.\nAU  - Kim B\nDP  - 2019\nSO  - J. 2019;1:1.\n"


def test_endnote_records_joined_after_pubmed_records_are_refused_not_joined(tmp_path):
    """An .enw export pasted below a PubMed (.nbib) one was read as PubMed: the EndNote record's lines were joined
    to the PubMed record's last field, and the EndNote record lost without a word."""
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "references.txt", MEDLINE_RECORD + "\n%0 Journal Article\n%T An EndNote study\n"))
    msg = str(err.value)
    assert "references.txt" in msg and "line 7" in msg and "EndNote tagged" in msg and "MEDLINE" in msg, msg


def test_pubmed_records_joined_after_endnote_records_are_refused_not_joined(tmp_path):
    enw = "".join(f"%0 Journal Article\n%T Study {i}\n%A Lee, A\n%D 2018\n%X An abstract.\n\n" for i in range(80))
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "references.enw", enw + MEDLINE_RECORD), fmt="enw")
    msg = str(err.value)
    assert "references.enw" in msg and "line 481" in msg and "MEDLINE" in msg and "EndNote tagged" in msg, msg


def test_an_abstract_line_that_starts_with_a_percent_sign_and_punctuation_stays_in_the_abstract(tmp_path):
    """An abstract whose lines were broken where its text has them (Zotero writes an abstract's line breaks as they
    are) may have a line start '%, ...' or '%. ...' ('rose by 12\\n%, and ...'): such a line was read as a field of
    its own ('%,'), and the rest of the abstract was cut from it. No EndNote tag is a comma, a full stop or a
    colon: the line goes on with the abstract."""
    text = ("%0 Journal Article\n%T A study\n%X Uptake rose by 12\n%, and retention by 8\n%. Adherence was 95\n"
            "%; p < 0.05.\n%: see the tables\n%K HIV\n")
    (rec,) = read_records(_write(tmp_path, "zotero.txt", text)).records
    assert rec["abstract"] == ("Uptake rose by 12 %, and retention by 8 %. Adherence was 95 %; p < 0.05. "
                               "%: see the tables")
    assert rec["keywords"] == ["HIV"]


@pytest.mark.parametrize("name,text", [
    ("scholar (3).ris", "TY  - JOUR\nT1  - A study\nA1  - Lee, A\nJO  - J\nY1  - 2020\nER  - \n"),
    ("scholar.bib", "@article{lee2020study,\n  title={A study},\n  author={Lee, A},\n  journal={J},\n"
                    "  year={2020}\n}\n"),
])
def test_google_scholars_ris_and_bibtex_downloads_count_as_google_scholar_too(tmp_path, name, text):
    """Google Scholar's RefMan (RIS) and BibTeX downloads are named 'scholar.ris' and 'scholar.bib': as its .enw
    files, they count as Google Scholar, so the same search saved in two formats is one source."""
    (rec,) = read_records(_write(tmp_path, name, text)).records
    assert rec["source_db"] == "Google Scholar"


@pytest.mark.parametrize("line", ["PMID- 31234567 (PubMed), cited from the trial's protocol.",
                                  "TY - 2 diabetes was the only exclusion."])
def test_an_abstract_line_that_starts_like_another_format_stays_in_the_abstract(tmp_path, line):
    """A record's next line read as the first line of a PubMed or RIS record refused the whole file as two exports
    joined, though no record of that format follows it: the reviewer could not import her search."""
    enw = "".join(f"%0 Journal Article\n%T Study {i}\n%A Lee, A\n%D 2018\n%X An abstract.\n\n" for i in range(80))
    enw += f"%0 Journal Article\n%T Study one\n%A Lee, A\n%D 2018\n%X An abstract.\n{line}\n\n"
    enw += "%0 Journal Article\n%T Two\n"
    *_, one, two = read_records(_write(tmp_path, "references.enw", enw), fmt="enw").records
    assert one["abstract"] == f"An abstract. {line}" and two["title"] == "Two"


def test_an_unindented_pubmed_line_starting_like_an_endnote_record_stays_in_its_field(tmp_path):
    text = MEDLINE_RECORD + "AB  - Cells were counted.\n%T cells fell by half.\n\n"
    text += MEDLINE_RECORD.replace("1234", "4321")
    one, two = read_records(_write(tmp_path, "pubmed.nbib", text)).records
    assert one["abstract"] == "Cells were counted. %T cells fell by half." and two["pmid"] == "34321567"


@pytest.mark.parametrize("fmt", [None, "enw"])
def test_an_endnote_file_with_a_pubmed_like_abstract_line_near_its_top_is_read_as_endnote(tmp_path, fmt):
    """An .enw whose first abstract had a line 'PMID- 31234567 ...' was taken for a PubMed file: refused as
    'given as an EndNote tagged (.enw) but it is a PubMed MEDLINE (.nbib) file', or read as PubMed."""
    enw = ("%0 Journal Article\n%T Study one\n%A Lee, A\n%D 2018\n%X An abstract.\n"
           "PMID- 31234567 (PubMed), cited from the trial's protocol.\n\n%0 Journal Article\n%T Two\n%A Kim, B\n")
    one, two = read_records(_write(tmp_path, "references.enw", enw), fmt=fmt).records
    assert one["abstract"].endswith("trial's protocol.") and two["title"] == "Two"
