from __future__ import annotations

import pytest
from io_samples import ENDNOTE_XML, OVID_RIS, PUBMED_NBIB

from screener.errors import InputError
from screener.io import SUPPORTED_FORMATS, detect_format, read_records


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("ovid.txt", OVID_RIS, "ris"),  # Ovid's '1.' line before the first TY
        ("export.ris", OVID_RIS, "ris"),
        ("pubmed.txt", PUBMED_NBIB, "medline"),
        ("lib.xml", ENDNOTE_XML, "endnote_xml"),
        ("lib.txt", ENDNOTE_XML, "endnote_xml"),
        ("t.csv", "title,abstract\na,b\n", "csv"),
        ("t.txt", "title\tabstract\na\tb\n", "tsv"),
        ("t.tsv", "title\tabstract\na\tb\n", "tsv"),
        ("t", "title;abstract\na;b\n", "csv"),
    ],
)
def test_detect_format(tmp_path, name, text, expected):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    assert detect_format(p) == expected
    assert expected in SUPPORTED_FORMATS


def test_detect_xlsx_by_content(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["title", "abstract"])
    wb.active.append(["a", "b"])
    p = tmp_path / "download"  # no extension
    wb.save(p)
    assert detect_format(p) == "xlsx"
    assert read_records(p).records[0]["title"] == "a"


def test_undetectable(tmp_path):
    p = tmp_path / "notes"
    p.write_text("just some words\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "--format" in str(e.value)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(tmp_path, content):
    p = tmp_path / "empty.ris"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "empty.ris" in str(e.value) and "empty" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as e:
        read_records(tmp_path / "nope.ris")
    assert "nope.ris" in str(e.value)


def test_unknown_format_name(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("title\na\n")
    with pytest.raises(InputError) as e:
        read_records(p, fmt="refworks")
    assert "refworks" in str(e.value) and "ris" in str(e.value) and "bibtex" in str(e.value)


def test_format_aliases(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(PUBMED_NBIB, encoding="utf-8")
    assert read_records(p, fmt="nbib").format == "medline"
    assert read_records(p, fmt="PubMed").format == "medline"


def test_pdf_is_refused(tmp_path):
    p = tmp_path / "paper.pdf"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "PDF" in str(e.value)


OVID_TEXT = (
    "<1>\nAccession Number\n  31234567\nAuthors\n  Smith J. Doe K.\nTitle\n  A randomised trial of talc.\n"
    "Source\n  Thorax. 75(3):123-130, 2020 Mar.\nAbstract\n  We randomised 300 patients.\n\n"
    "<2>\nAccession Number\n  31234568\nTitle\n  Second.\n\n"
)
# the same display copied out of the browser: the values are not indented
OVID_TEXT_COPIED = (
    "<1>\nUnique Identifier\n32487818\nTitle\nSyndemic theory, structural violence and HIV among African-Americans.\n"
    "Source\nCurrent Opinion in HIV & AIDS. 15(4):250-255, 2020 07.\nAbstract\nPURPOSE OF REVIEW: This paper "
    "reviews.\n\n"
    "<2>\nUnique Identifier\n32487819\nTitle\nSecond.\n\n"
)
OVID_HISTORY = (
    "Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>\nSearch Strategy:\n" + "-" * 80 + "\n"
    "1     exp Pleural Effusion/ (21234)\n2     talc.mp. (5123)\n3     1 and 2 (812)\n\n" + "*" * 27 + "\n\n"
)


@pytest.mark.parametrize("name,text,fmt", [
    ("ovid.txt", OVID_TEXT, None),                    # was: 'the EndNote XML is damaged ... export it from EndNote'
    ("ovid.txt", OVID_HISTORY + OVID_TEXT, None),     # was: read as a table whose columns were the history line
    ("ovid.ris", OVID_TEXT, None),                    # was: 'it looks like an XML file'
    ("ovid.txt", OVID_TEXT, "ris"),
    ("ovid.txt", OVID_TEXT, "endnote_xml"),
    ("ovid.csv", OVID_HISTORY + OVID_TEXT, None),
    ("ovid.txt", OVID_TEXT_COPIED, None),             # was: 'the EndNote XML is damaged ... export it from EndNote'
    ("ovid.txt", OVID_HISTORY + OVID_TEXT_COPIED, None),
])
def test_ovid_text_export_is_named_with_the_way_to_export_ris(tmp_path, name, text, fmt):
    """Ovid's text export (records numbered <1>, <2>) cannot be read; it was taken for damaged
    EndNote XML (it starts with '<') or, below its search history, for a table."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path, fmt=fmt)
    msg = str(err.value)
    assert "Ovid's text export" in msg and "'RIS'" in msg
    assert "EndNote" not in msg and "column" not in msg


# Ovid's tagged export, as Ovid Embase writes it for EndNote (.cgi) and Citavi (.ovd) (from
# knh11545/commandline4expertsearchers, test/data/Embase_endnote_r3001-3002.cgi, shortened)
OVID_TAGGED = (
    "<3001. >\nVN  - Ovid Technologies\nDB  - Embase\nUI  - 621381829\nST  - CONFERENCE ABSTRACT\n"
    "TI  - Quality of life in patients with primary ciliary dyskinesia: A systematic review.\n"
    "SO  - BMC Proceedings. Conference: 2nd BEAT-PCD Conference. Spain. 12 (Supplement 3) (no pagination), 2018.\n"
    "AU  - Behan L.\nAU  - Rubbo B.\nIN  - (Behan, Rubbo) NIHR Southampton Biomedical Research Centre, University of\n"
    "      Southampton, United Kingdom\nAB  - Background: As in most rare diseases, little is known.\n"
    "IS  - 1753-6561\nDO  - http://dx.doi.org/10.1186/s12919-018-0099-8\nPT  - Conference Abstract\nYR  - 2018\n\n"
    "<3002. >\nVN  - Ovid Technologies\nDB  - Embase\nUI  - 621381823\n"
    "TI  - Development of a bioinformatics analysis method for diagnosis of.\nYR  - 2018\n\n\n"
)


# Ovid MEDLINE's records in its MEDLINE-style tagged display, numbered '<1>', without the VN line
OVID_MEDLINE_TAGGED = (
    "<1>\nUI  - 32487818\nTI  - Syndemic theory, structural violence and HIV among African-Americans.\n"
    "SO  - Current Opinion in HIV & AIDS. 15(4):250-255, 2020 07.\nAU  - Godley BA\nAB  - PURPOSE OF REVIEW: This.\n"
    "\n<2>\nUI  - 32487819\nTI  - Second.\n\n"
)


@pytest.mark.parametrize("name,fmt,text", [
    ("Embase_endnote_r3001-3002.cgi", None, OVID_TAGGED),  # was: 'the EndNote XML is damaged ... from EndNote'
    ("Embase_citavi_r3001-3002.ovd", None, OVID_TAGGED),
    ("embase.txt", None, OVID_TAGGED),
    ("embase.txt", "ris", OVID_TAGGED),
    ("embase.txt", "endnote_xml", OVID_TAGGED),
    ("embase.txt", None, OVID_TAGGED.replace("VN  - Ovid Technologies\n", "")),  # was: 'EndNote XML is damaged'
    ("medline.txt", None, OVID_MEDLINE_TAGGED),  # was: 'the EndNote XML is damaged ... from EndNote'
    ("medline.txt", "ris", OVID_MEDLINE_TAGGED),
])
def test_ovid_tagged_export_is_named_with_the_way_to_export_ris(tmp_path, name, fmt, text):
    """Ovid's tagged export (what it writes for EndNote, Citavi or Reference Manager: records
    numbered '<1. >', each with 'VN  - Ovid Technologies') starts with '<', so it was taken for an
    EndNote XML file and refused as damaged, with advice to export it again from EndNote; so were its
    records without the VN line, numbered '<1>'."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path, fmt=fmt)
    msg = str(err.value)
    assert "Ovid's tagged export" in msg and "'RIS'" in msg, msg
    assert "damaged" not in msg and "from EndNote" not in msg


PUBMED_ABSTRACT_TEXT = (
    "1. J Test. 2019 Mar;12(3):123-9. doi: 10.1000/abc.123.\n\nEffects of a thing: a randomized trial.\n\n"
    "Smith J(1), Doe K(2).\n\nAuthor information:\n(1)Univ X.\n\nBACKGROUND: Something.\n\n"
    "DOI: 10.1000/abc.123\nPMID: 31234567  [Indexed for MEDLINE]\n\n\n"
    "2. Other. 2020;1:1.\n\nSecond title.\n\nRoe R.\n\nPMID: 31234568\n"
)
PUBMED_SUMMARY_TEXT = (
    "1. Smith J, Doe K. Effects of a thing: a randomized trial. J Test. 2019 Mar;12(3):123-9. doi: "
    "10.1000/abc.123. Epub 2019 Jan 15. PMID: 31234567; PMCID: PMC1234567.\n\n"
    "2. Roe R. Second title. Other. 2020;1:1. PMID: 31234568.\n"
)


@pytest.mark.parametrize("name,text,fmt", [
    ("pubmed-abstract.txt", PUBMED_ABSTRACT_TEXT, None),  # was: a table; advised --column title='1. J Test. 2019 Mar'
    ("pubmed-summary.txt", PUBMED_SUMMARY_TEXT, None),
    ("pubmed-summary.txt", PUBMED_SUMMARY_TEXT, "csv"),
])
def test_pubmed_text_display_is_named_with_the_way_to_export_nbib(tmp_path, name, text, fmt):
    """PubMed's 'Abstract (text)' and 'Summary (text)' saves were read as tables: the advice named a
    line of text as the title column, which would have imported lines of text as records."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path, fmt=fmt)
    msg = str(err.value)
    assert "PubMed's text display" in msg and "Citation manager" in msg
    assert "--column" not in msg


#: ProQuest's 'TXT - Text only' save of two records: a line of underscores between them, the title alone, then
#: 'Label: value' paragraphs
PROQUEST_TEXT = (
    "____________________________________________________________\n\nReport Information from ProQuest\n"
    "June 11 2020 12:40\n____________________________________________________________\n\n"
    "Document 1 of 2\n\nPeer navigation, HIV care and men who have sex with men\n\n"
    "Author: Smith, John; Doe, Kate\n\nPublication info: AIDS and Behavior; New York Vol. 24, Iss. 5, (May 2020): "
    "1234-40.\n\nAbstract: Background, methods, results.\n\nPublication year: 2020\n\n"
    "ProQuest document ID: 2401234567\n\nDocument URL: https://search.proquest.com/docview/2401234567\n\n"
    "____________________________________________________________\n\nDocument 2 of 2\n\nSyndemics\n\n"
    "Publication year: 2019\n"
)


@pytest.mark.parametrize("name,fmt", [("ProQuestDocuments-2020-06-11.txt", None), ("proquest.txt", "csv"),
                                      ("proquest.txt", "ris")])
def test_proquests_text_export_is_named_with_the_way_to_export_ris(tmp_path, name, fmt):
    """ProQuest's 'TXT - Text only' save was refused as a file screener 'cannot tell', with the advice to give
    --format, which read it as a table of lines of text. It is named now, with the way to export RIS from ProQuest."""
    path = tmp_path / name
    path.write_text(PROQUEST_TEXT, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path, fmt=fmt)
    msg = str(err.value)
    assert name in msg and "ProQuest's text export" in msg and "'RIS'" in msg, msg
    assert "--column" not in msg and "--format (" not in msg, msg


@pytest.mark.parametrize("name, delimiter, fmt", [("methods.csv", ",", "csv"), ("methods.txt", "\t", "tsv"),
                                                 ("methods.tsv", "\t", "tsv")])
def test_a_table_whose_abstract_quotes_ris_or_pubmed_lines_is_read_as_a_table(tmp_path, name, delimiter, fmt):
    """An abstract about export formats quoting a record ('TY  - JOUR' or 'PMID- ' on lines of its own,
    inside the quoted value): the file was read as RIS or PubMed, three records became the one quoted
    in the abstract and the rest were lost without a word (and --format csv was refused)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(["Title", "Authors", "Year", "Abstract", "DOI"])
    w.writerow(["Exporting references: a methods note", "Smith, J", "2020",
                "Databases export records so:\nTY  - JOUR\nTI  - Example record\nER  - \nor so:\nPMID- 12345\n"
                "TI  - Example\nBoth are common.", "10.1000/a1"])
    w.writerow(["Second study of exports", "Doe, K", "2021", "A plain abstract.", "10.1000/a2"])
    w.writerow(["Third study of exports", "Lee, M", "2019", "Another plain abstract.", "10.1000/a3"])
    p = tmp_path / name
    p.write_text(buf.getvalue(), encoding="utf-8")
    assert detect_format(p) == fmt
    res = read_records(p)
    assert res.format == fmt
    assert [r["title"] for r in res.records] == ["Exporting references: a methods note", "Second study of exports",
                                                  "Third study of exports"]
    assert "TY  - JOUR\nTI  - Example record" in res.records[0]["abstract"]
    assert read_records(p, fmt=fmt).format == fmt  # given, the format is not refused either
    # an RIS export is still RIS, its title a list that names columns ('Title, Abstract and ...')
    (tmp_path / "r.ris").write_text("TY  - JOUR\nTI  - Title, abstract\nAB  - \"quoted,\nover lines\"\nER  - \n",
                                    encoding="utf-8")
    assert read_records(tmp_path / "r.ris").format == "ris"


# An Ovid RIS export whose texts were pasted out of PDFs: a form feed in an abstract, a NUL and a
# substitute character (what a converter writes for a letter it lost) in titles, a vertical tab in a keyword
CONTROL_RIS = (
    "1. \nTY  - JOUR\nID  - 32487818\nT1  - Syndemic theory, structural violence and HIV among\x00 African-Americans.\n"
    "A1  - Godley, Bria A\nY1  - 2020//\nN2  - PURPOSE OF REVIEW: This paper reviews syndemic frameworks.\x0c RECENT "
    "FINDINGS: Researchers used them.\nKW  - HIV\x0bInfections\nJF  - Current Opinion in HIV & AIDS\nER  - \n\n\n"
    "2. \nTY  - JOUR\nID  - 32487819\nT1  - Depression and HIV risk in Montr\x1aal: a cohort.\nY1  - 2021//\n"
    "N2  - We followed 300 men.\nER  - \n\n\n"
    "3. \nTY  - JOUR\nID  - 32487820\nT1  - A third study without control characters.\nY1  - 2021//\nER  - \n\n\n"
)


def test_control_characters_in_an_export_are_read_as_spaces_and_no_record_is_lost(tmp_path):
    """A NUL in a title (text pasted out of a PDF) had the whole export refused as 'binary data, not
    text'; other control characters (a form feed, a substitute character) went into the project as
    they were, and from there into the CSV export and the web page. They are read as spaces now, with
    a note naming the records, and every record is kept; ``raw`` keeps what the file wrote."""
    path = tmp_path / "medline.ris"
    path.write_text(CONTROL_RIS, encoding="utf-8")
    result = read_records(path)
    assert [r["title"] for r in result.records] == [
        "Syndemic theory, structural violence and HIV among African-Americans.",
        "Depression and HIV risk in Montr al: a cohort.", "A third study without control characters."]
    assert result.records[0]["abstract"] == ("PURPOSE OF REVIEW: This paper reviews syndemic frameworks. RECENT "
                                             "FINDINGS: Researchers used them.")
    assert result.records[0]["keywords"] == ["HIV Infections"]
    assert "\x00" in result.records[0]["raw"]["T1"]
    said = " ".join(" ".join(result.warnings).split())
    assert "medline.ris: 2 records held control characters" in said, said
    assert "line 2 (title, abstract, keywords); line 14 (title)" in said, said


def test_a_zip_archive_of_one_export_is_named_in_the_singular(tmp_path):
    """A database's download zipped (Embase, Web of Science): it read 'a zip archive holding 1 file(s)'."""
    import zipfile

    path = tmp_path / "records.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("embase_2024.ris", "TY  - JOUR\nTI  - Peer work\nER  - \n")
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert "a zip archive holding 1 file (embase_2024.ris). Unzip it and import the file inside" in msg, msg


#: The Cochrane Library's 'Plain text' export of two CENTRAL records, as it writes them
COCHRANE_TEXT = """\
Record #1 of 2
ID: CN-02070010
AU: Smith J
AU: Doe K
TI: Peer navigation for HIV care among men who have sex with men: a randomized trial
SO: AIDS and behavior
YR: 2020
VL: 24
NO: 5
PG: 1234-1240
XR: EMBASE 2004567890
PT: Journal Article
DOI: 10.1007/s10461-020-00001-1
US: https://www.cochranelibrary.com/central/doi/10.1002/central/CN-02070010/full


Record #2 of 2
ID: CN-02070011
TI: Syndemic conditions and condomless sex: a cluster trial
YR: 2021
"""


def test_the_cochrane_librarys_plain_text_export_is_read(tmp_path):
    """The Cochrane Library's plain-text export ('citation-export.txt') was refused, with the advice to export the
    records again as RIS. It is read now: each 'Record #n of N' is a record on that line, with its CENTRAL id, one
    author per 'AU' line, title, journal, year, volume, issue, pages, PubMed id, DOI, keywords and abstract."""
    text = COCHRANE_TEXT.replace("PT: Journal Article\n", "PM: PUBMED 32001234\nPT: Journal Article\nKY: HIV; "
                                 "Patient Navigation\nAB: BACKGROUND: Men who have sex with men...\nAIM: continued on "
                                 "a line of its own.\n")
    path = tmp_path / "citation-export.txt"
    path.write_text(text, encoding="utf-8")
    res = read_records(path)
    assert res.format == "cochrane_text"
    a, b = res.records
    assert (a["source_id"], a["authors"], a["title"], a["journal"], a["year"], a["volume"], a["issue"],
            a["pages"], a["pmid"], a["doi"], a["keywords"], a["type"], a["source_db"], a["source_line"]) == (
        "CN-02070010", ["Smith J", "Doe K"],
        "Peer navigation for HIV care among men who have sex with men: a randomized trial", "AIDS and behavior", 2020,
        "24", "5", "1234-1240", "32001234", "10.1007/s10461-020-00001-1", ["HIV", "Patient Navigation"],
        "Journal Article", "Cochrane CENTRAL", 1)
    assert a["abstract"] == "BACKGROUND: Men who have sex with men... AIM: continued on a line of its own."
    assert (b["source_id"], b["title"], b["year"], b["authors"], b["source_line"]) == (
        "CN-02070011", "Syndemic conditions and condomless sex: a cluster trial", 2021, [], 21)
    assert res.warnings == []


def test_a_cochrane_plain_text_export_missing_records_says_which(tmp_path):
    """The file names how many records it holds ('Record #1 of 3'): one cut off or taken out is named, not lost
    without a word."""
    path = tmp_path / "citation-export.txt"
    path.write_text(COCHRANE_TEXT.replace(" of 2\n", " of 3\n"), encoding="utf-8")
    res = read_records(path)
    assert len(res.records) == 2
    (note,) = [w for w in res.warnings if "Record #3" in w]
    assert "citation-export.txt" in note and "3 records" in note and "2 were found" in note, note


def test_a_central_register_entry_in_cochrane_plain_text_is_a_trial_registry_record(tmp_path):
    """CENTRAL's copy of a ClinicalTrials.gov entry ('AU: NCT...', the register's page where the journal goes) came in
    from the Cochrane Library's plain text with the trial id as its author and the link as its journal, where the
    same entry from its RIS export reads as a trial registry record, its trial id its id (which de-duplication joins
    a trial's register entries by). It reads so now; an article keeps its authors and journal."""
    from screener.io.ris import central_accession
    from screener.io.tabular import REGISTRY_RECORD

    text = COCHRANE_TEXT.replace(" of 2\n", " of 3\n") + (
        "\n\nRecord #3 of 3\nID: CN-02070012\nAU: NCT04381559\nTI: Peer navigation after prison release\n"
        "SO: https://clinicaltrials.gov/show/NCT04381559\nYR: 2020\nPT: Trial registry record\n"
        "AB: Condition: HIV\nUS: https://www.cochranelibrary.com/central/doi/10.1002/central/CN-02070012/full\n")
    path = tmp_path / "citation-export.txt"
    path.write_text(text, encoding="utf-8")
    a, _, c = read_records(path).records
    assert (c["type"], c["source_id"], c["authors"], c["journal"], c["title"]) == (
        REGISTRY_RECORD, "NCT04381559", [], None, "Peer navigation after prison release")
    assert central_accession(c["raw"]) == "CN-02070012"
    assert (a["type"], a["source_id"], a["authors"], a["journal"]) == (
        "Journal Article", "CN-02070010", ["Smith J", "Doe K"], "AIDS and behavior")


@pytest.mark.parametrize("fmt", ["ris", "csv"])
def test_a_cochrane_plain_text_export_given_as_another_format_is_named(tmp_path, fmt):
    path = tmp_path / "citation-export.txt"
    path.write_text(COCHRANE_TEXT, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path, fmt=fmt)
    msg = str(err.value)
    assert "the Cochrane Library's plain-text export" in msg and "Leave --format out" in msg, msg
    assert "--column" not in msg


_TWO_WANGS = {
    "wang.ris": "TY  - JOUR\nAU  - Wang, Y\nAU  - Wang, Y\nAU  - Li, M\nTI  - Two Wangs\nER  - \n",
    "wang.nbib": "PMID- 1\nTI  - Two Wangs\nAU  - Wang Y\nAU  - Wang Y\nAU  - Li M\n\n",
    "wang.xml": ("<xml><records><record><ref-type name=\"Journal Article\">17</ref-type><contributors><authors>"
                 "<author>Wang, Y</author><author>Wang, Y</author><author>Li, M</author></authors></contributors>"
                 "<titles><title>Two Wangs</title></titles></record></records></xml>"),
    "pubmed.xml": ("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Two Wangs"
                   "</ArticleTitle><AuthorList><Author><LastName>Wang</LastName><Initials>Y</Initials></Author>"
                   "<Author><LastName>Wang</LastName><Initials>Y</Initials></Author><Author><LastName>Li</LastName>"
                   "<Initials>M</Initials></Author></AuthorList></Article></MedlineCitation></PubmedArticle>"
                   "</PubmedArticleSet>"),
    "wang.bib": "@article{w1, title={Two Wangs}, author={Wang, Y and Wang, Y and Li, M}}\n",
    "wang.csv": 'Title,Authors\nTwo Wangs,"Wang, Y; Wang, Y; Li, M"\n',
    "pubmed.csv": 'Title,Authors\nTwo Wangs,"Wang Y, Wang Y, Li M"\n',
}


@pytest.mark.parametrize("name", list(_TWO_WANGS))
def test_two_coauthors_of_one_name_are_both_kept(tmp_path, name):
    """Two co-authors both written 'Wang, Y' (a common name, initials alone) came in as one: the record, and every
    export of it, lost an author. A repeated name is kept."""
    p = tmp_path / name
    p.write_text(_TWO_WANGS[name], encoding="utf-8")
    (rec,) = read_records(p).records
    assert len(rec["authors"]) == 3 and rec["authors"][0] == rec["authors"][1], rec["authors"]
