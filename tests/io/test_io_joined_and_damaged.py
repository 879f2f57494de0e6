"""Exports joined end to end, or a little damaged, lose no record and no text silently: each
case here lost records or cut abstracts without a word before."""

from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import read_records

RIS_TWO = "TY  - JOUR\nTI  - First {n}\nAU  - Smith, John\nPY  - 2019\nER  - \n\n"
RIS_ONE = "TY - JOUR\nTI - Second {n}\nAU - Doe, Jane\nPY - 2020\nER - \n\n"


def test_ris_exports_with_one_and_two_space_tags_joined_keep_every_record(tmp_path):
    f = tmp_path / "joined.ris"
    f.write_text("".join(RIS_TWO.format(n=k) for k in range(3)) + "".join(RIS_ONE.format(n=k) for k in range(3)))
    titles = [r["title"] for r in read_records(f).records]
    assert titles == ["First 0", "First 1", "First 2", "Second 0", "Second 1", "Second 2"]


def test_ris_exports_joined_with_a_byte_order_mark_each_keep_every_record(tmp_path):
    f = tmp_path / "joined.ris"
    f.write_bytes(("\ufeff" + RIS_TWO.format(n=1)).encode("utf-8") + ("\ufeff" + RIS_TWO.format(n=2)).encode("utf-8"))
    assert [r["title"] for r in read_records(f).records] == ["First 1", "First 2"]


def test_bibtex_percent_and_ampersand_are_text_not_latex(tmp_path):
    f = tmp_path / "scopus.bib"
    f.write_text("@ARTICLE{Smith2021,\nauthor={Smith, J.},\ntitle={PrEP use in 45% of men},\n"
                 "journal={Drug & Alcohol Dependence},\nyear={2021},\n"
                 "abstract={Results: 45% reported use (95% CI 41-49%). Conclusions: uptake must rise.},\n}\n")
    r = read_records(f).records[0]
    assert r["title"] == "PrEP use in 45% of men"
    assert r["journal"] == "Drug & Alcohol Dependence"
    assert r["abstract"].endswith("Conclusions: uptake must rise.")


WOS = ("FN Clarivate Analytics Web of Science\nVR 1.0\n"
       "PT J\nAU Smith, J\nTI First record\nPY 2019\nAB First abstract.\nUT WOS:000000000000001\n{end}\n"
       "PT J\nAU Roe, R\nTI Second record\nPY 2020\nAB Second abstract.\nUT WOS:000000000000002\nER\n\nEF\n")


def test_web_of_science_record_without_its_er_line_is_refused_not_merged(tmp_path):
    f = tmp_path / "savedrecs.txt"
    f.write_text(WOS.format(end="ER\n"))
    assert [r["title"] for r in read_records(f).records] == ["First record", "Second record"]
    f.write_text(WOS.format(end=""))
    with pytest.raises(InputError, match="no 'ER' line before the next record") as e:
        read_records(f)
    assert "line 10:" in str(e.value)  # the second record's first line


def test_a_blank_line_inside_a_medline_record_does_not_split_it(tmp_path):
    f = tmp_path / "pubmed.nbib"
    f.write_text("PMID- 31000001\nOWN - NLM\nTI  - First record.\nAB  - First abstract.\nFAU - Doe, Jane\n\n"
                 "PMID- 31000002\nOWN - NLM\nTI  - Second record.\n\nAB  - Second abstract.\nFAU - Roe, Rick\n\n"
                 "PMID- 31000003\nOWN - NLM\nTI  - Third record.\nAB  - Third abstract.\n")
    recs = read_records(f).records
    assert [r["title"] for r in recs] == ["First record.", "Second record.", "Third record."]
    assert [r["abstract"] for r in recs] == ["First abstract.", "Second abstract.", "Third abstract."]


def test_csv_exports_joined_end_to_end_do_not_turn_the_second_header_into_a_record(tmp_path):
    head = '"Authors","Title","Year","EID"\n'
    f = tmp_path / "scopus.csv"
    f.write_bytes(("\ufeff" + head + '"Smith J.","Study one","2019","e1"\n').encode("utf-8")
                  + ("\ufeff" + head + '"Doe K.","Study two","2020","e2"\n').encode("utf-8"))
    got = read_records(f)
    assert [r["title"] for r in got.records] == ["Study one", "Study two"]
    assert any("row 3 repeats the column names" in w and "was read as column names" in w for w in got.warnings)


def test_a_cut_off_medline_file_is_refused(tmp_path):
    rec = "PMID- 3100000{n}\nOWN - NLM\nTI  - Record {n}.\nAB  - Abstract {n}.\nFAU - Doe, Jane\nSO  - J Test. 2020.\n\n"
    f = tmp_path / "pubmed.nbib"
    f.write_text(rec.format(n=1) + rec.format(n=2))
    assert len(read_records(f).records) == 2
    f.write_text(rec.format(n=1) + rec.format(n=2) + "PMID- 31000003\nOWN - NLM\nTI  - Record 3.\nAB  - Th")
    with pytest.raises(InputError, match="seems cut off") as e:
        read_records(f)
    assert "line 15" in str(e.value)


STRAY = ("Title,Abstract,Authors\nTrial one,Abstract one,Smith\n\"Smoking and health,Abstract two,Doe\n"
         "Trial three,Abstract three,Roe\nTrial four,Abstract four,Poe\nTrial five,\"Abstract, five\",Lee\n"
         "Trial six,Abstract six,Kay\n")


@pytest.mark.parametrize("name,sep", [("stray.csv", ","), ("stray.tsv", "\t")])
def test_a_quote_left_open_mid_file_is_refused_naming_its_line(tmp_path, name, sep):
    """A quote opened on line 3 and never closed took lines 4 to 6 into one title: three records
    gone, and no word at all when the table has no number column (year, id)."""
    from screener.project import Project

    f = tmp_path / name
    f.write_text(STRAY.replace(",", sep))
    with pytest.raises(InputError) as e:
        read_records(f)
    msg = str(e.value)
    assert name in msg and "row 3:" in msg and "quote" in msg and "re-export" in msg
    p = Project.init(tmp_path / "review")
    good = tmp_path / "good.csv"
    good.write_text("Title,Abstract\nA kept trial,Its abstract\n")
    with pytest.raises(InputError):
        p.import_files([good, f])
    assert p.store.n_records() == 0 and p.store.sources_frame().empty  # nothing stored
    p.close()


def test_abstracts_over_several_lines_inside_quotes_are_not_refused(tmp_path):
    """Scopus and Web of Science put line breaks inside quoted abstracts; a line of such an
    abstract with as many commas as the row has separators is still the abstract's."""
    f = tmp_path / "scopus.csv"
    f.write_text('Title,Abstract,Authors\nTrial one,"Background, aims\nMethods, results, and more\n'
                 'Conclusions, in short, yes",Smith\n"Trial ""two""","Abstract two\n\nwith a blank line",Doe\n'
                 'Trial three,Abstract three,Roe\n')
    got = read_records(f)
    assert [r["title"] for r in got.records] == ["Trial one", 'Trial "two"', "Trial three"]
    assert got.records[0]["abstract"] == "Background, aims\nMethods, results, and more\nConclusions, in short, yes"
    assert not got.warnings


def test_a_sloppy_quote_that_closes_on_its_own_line_beside_a_multi_line_abstract_is_read(tmp_path):
    """'"Alpha" (reprint)' breaks strict CSV on its own line but reads as meant; the multi-line
    abstract after it is correct: nothing is lost, so nothing is refused."""
    f = tmp_path / "sloppy.csv"
    f.write_text('Title,Abstract,Year\n"Alpha" (reprint),"Line one, with commas\nsecond, line\nthird",2020\n'
                 'Beta,plain,2021\n')
    got = read_records(f)
    assert [(r["title"], r["source_line"]) for r in got.records] == [("Alpha (reprint)", 2), ("Beta", 5)]


LOWER_RIS = ("ty  - JOUR\nti  - Lower-case title\nau  - Smith, John\npy  - 2020\nab  - Lower-case abstract.\n"
             "kw  - Syndemics\ndo  - 10.1000/low\ner  - \n\n")
MIXED_RIS = ("TY  - JOUR\nTI  - Upper title\nab  - Abstract under a lower-case tag.\nau  - Doe, Jane\n"
             "KW  - HIV\nER  - \n\n")


@pytest.mark.parametrize("name", ["lower.ris", "lower.txt"])
def test_ris_with_lower_case_tags_is_read_as_upper_case_tags(tmp_path, name):
    """'ti  - ' was read as more text of the line before (the abstract went into the authors, the
    title was lost), and a file all in lower case was refused as not RIS."""
    f = tmp_path / name
    f.write_text(LOWER_RIS + MIXED_RIS + LOWER_RIS.replace("  - ", " - "))
    got = read_records(f)
    assert got.format == "ris"
    first, mixed, one_space = got.records
    for r in (first, one_space):
        assert (r["title"], r["abstract"], r["authors"], r["year"], r["keywords"], r["doi"], r["type"]) == (
            "Lower-case title", "Lower-case abstract.", ["Smith, John"], 2020, ["Syndemics"], "10.1000/low", "JOUR")
    assert (mixed["title"], mixed["abstract"], mixed["authors"], mixed["keywords"]) == (
        "Upper title", "Abstract under a lower-case tag.", ["Doe, Jane"], ["HIV"])
    assert [r["source_line"] for r in got.records] == [1, 10, 17]


@pytest.mark.parametrize("name", ["scopus.csv", "scopus.tsv"])
def test_a_table_cut_off_inside_its_last_records_quoted_abstract_is_refused_as_cut_off(tmp_path, name):
    """A Scopus CSV whose download stopped inside the last record's quoted abstract (on that record's
    own line) was imported: the record came in with half its abstract, the journal, year and DOI
    lost, and the only note blamed 'a separator may be missing'. The quote opened there is never
    closed; like an RIS or PubMed file cut off, the file is refused, naming the line, nothing stored."""
    from screener.project import Project

    sep = "\t" if name.endswith(".tsv") else ","
    rows = [["Authors", "Title", "Abstract", "Year", "Source title", "DOI"],
            ["Smith J.", "Syndemics among MSM in Kenya", '"Background: syndemics, a cross-sectional study."', "2021",
             "AIDS Care", "10.1080/09540121.2021.1"],
            ["Lee K.", "Alcohol use and HIV testing", '"Background: alcohol use is common among men who have',
             ]]
    f = tmp_path / name
    f.write_text("\r\n".join(sep.join(r) for r in rows), encoding="utf-8-sig")
    with pytest.raises(InputError) as e:
        read_records(f)
    msg = str(e.value)
    assert name in msg and "row 3:" in msg and "cut off" in msg and "quote" in msg, msg
    p = Project.init(tmp_path / "review")
    with pytest.raises(InputError):
        p.import_files([f])
    assert p.store.n_records() == 0 and p.store.sources_frame().empty  # nothing stored
    p.close()


# PubMed's record of a book chapter (GeneReviews, as PubMed exports it): no citation line ('SO  - '),
# which PubMed writes for articles only; its last line is the Bookshelf accession
_BOOK = ("PMID- 20301770\nSTAT- Publisher\nDRDT- 20190404\nCTDT- 20090630\nPB  - University of Washington, Seattle\n"
         "DP  - 1993\nTI  - Feingold Syndrome 1.\nBTI - GeneReviews(R)\nAB  - CLINICAL CHARACTERISTICS: Feingold "
         "syndrome 1 is\n      characterized by digital anomalies.\nFAU - Marcelis, Carlo LM\nAU  - Marcelis CLM\n"
         "LA  - eng\nPT  - Review\nPT  - Book Chapter\nPL  - Seattle (WA)\nEDAT- 2019/04/04 00:00\n"
         "CRDT- 2019/04/04 00:00\nAID - NBK7050 [bookaccession]\n")
_ARTICLE = ("PMID- 3100000{n}\nOWN - NLM\nSTAT- MEDLINE\nDP  - 2020\nTI  - Record {n}.\nAB  - Abstract {n} about\n"
            "      peer workers.\nFAU - Doe, Jane\nAU  - Doe J\nSO  - J Test. 2020;1(1):1-2.\n")


def test_a_pubmed_export_ending_in_a_book_chapter_is_not_taken_for_cut_off(tmp_path):
    """PubMed writes no citation line for a book chapter: an export whose last record was one was
    refused as 'the file seems cut off' (every other record had one), a search that cannot be imported."""
    f = tmp_path / "pubmed.nbib"
    f.write_text(_ARTICLE.format(n=1) + "\n" + _ARTICLE.format(n=2) + "\n" + _BOOK)
    got = read_records(f).records
    assert [r["pmid"] for r in got] == ["31000001", "31000002", "20301770"]
    assert got[2]["title"] == "Feingold Syndrome 1."


def test_a_single_pubmed_record_cut_off_mid_line_is_refused(tmp_path):
    """A file of one PubMed record whose download stopped part-way was read as a whole record (no
    other record to compare with), its abstract cut short. It now is refused when it has both signs
    of it: no citation line ('SO  - ', which PubMed ends every article with) and a last line that
    stops without a line end. A whole record, a book chapter, or a record without SO whose file ends
    in a line break (not PubMed's, or edited) is read as before."""
    f = tmp_path / "pubmed-31000001.nbib"
    whole = _ARTICLE.format(n=1)
    for text in (whole, whole.rstrip("\n"), whole.split("SO  - ")[0], _BOOK, _BOOK.rstrip("\n")):
        f.write_text(text)
        assert [r["pmid"] for r in read_records(f).records] == [text[6:14]]
    f.write_text(whole.split("      peer")[0] + "      pe")
    with pytest.raises(InputError, match="seems cut off") as e:
        read_records(f)
    msg = str(e.value)
    assert "pubmed-31000001.nbib, line 1" in msg and "no citation line" in msg and "Export it again" in msg, msg
    f.write_bytes((whole.split("AB  - ")[0] + "AB  - Abstr").replace("\n", "\r\n").encode("utf-16"))
    with pytest.raises(InputError, match="seems cut off"):
        read_records(f)


def test_a_single_pubmed_record_cut_at_a_line_end_is_named_in_a_warning(tmp_path):
    """A one-record PubMed file whose download stopped at the end of a line (after the authors, before
    the DOI and the citation line) was read as a whole record without a word: its DOI, which
    de-duplication matches on, gone. It is imported as it is, with a warning that names the record
    and says to export it again; a whole record, a book chapter, and a record without PubMed's OWN
    line (not PubMed's own file) are read without it."""
    f = tmp_path / "pubmed-31000001.nbib"
    whole = _ARTICLE.format(n=1).replace("SO  - ", "AID - 10.1000/jt.2020.1 [doi]\nSO  - ")
    cut = whole.split("AID - ")[0]
    f.write_text(cut)
    got = read_records(f)
    assert [r["pmid"] for r in got.records] == ["31000001"] and got.records[0]["doi"] is None
    said = " ".join(got.warnings)
    assert "pubmed-31000001.nbib: its only record (PMID 31000001, line 1) has no citation line" in said, said
    assert "may be cut off" in said and "export it again from PubMed" in said, said
    for text in (whole, whole + "\n", _BOOK, cut.replace("OWN - NLM\n", "")):
        f.write_text(text)
        got = read_records(f)
        assert len(got.records) == 1 and not any("citation line" in w for w in got.warnings), (text, got.warnings)
    f.write_text(whole + "\n" + cut)  # two records: refused as before, the first has SO
    with pytest.raises(InputError, match="seems cut off"):
        read_records(f)


PUBMED_XML_DOWNLOAD = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" \
"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">{pmid}</PMID>
    <Article PubModel="Print">
      <Journal><Title>Addiction</Title>
        <JournalIssue CitedMedium="Internet"><Volume>117</Volume><PubDate><Year>2022</Year></PubDate></JournalIssue>
      </Journal>
      <ArticleTitle>{title}</ArticleTitle>
      <Abstract><AbstractText>We surveyed 1204 men.</AbstractText></Abstract>
      <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
    </Article>
  </MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"""


def test_pubmed_xml_downloads_joined_end_to_end_are_both_read(tmp_path):
    """A reviewer who appends a second PubMed XML download to the first has two documents in one file; the second's
    '<?xml ...?>' line was called damaged ('the file may be cut off; download it again'), and downloading again could
    not help. Each is read, and a damaged line is still named by its line in the whole file."""
    first = PUBMED_XML_DOWNLOAD.format(pmid="36112233", title="Syndemic conditions among men in Belgium.")
    second = PUBMED_XML_DOWNLOAD.format(pmid="36112299", title="Chemsex and HIV testing among men in France.")
    f = tmp_path / "pubmed_result.xml"
    f.write_bytes(first.encode("utf-8") + b"\xef\xbb\xbf" + second.encode("utf-8"))  # the second with its BOM
    records = read_records(f).records
    assert [(r["pmid"], r["title"], r["source_line"]) for r in records] == [
        ("36112233", "Syndemic conditions among men in Belgium.", 4),
        ("36112299", "Chemsex and HIV testing among men in France.", 21)]
    f.write_text(first + second.replace("</ArticleTitle>", "</ArticleTitel>"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(f)
    assert "pubmed_result.xml, line 28" in str(e.value) and "damaged" in str(e.value)


def test_endnote_xml_exports_joined_end_to_end_are_both_read(tmp_path):
    """Two EndNote XML exports joined end to end (the second appended to the first, as EndNote writes each: all on one
    line, a declaration first) were refused as damaged ('junk after document element ... export it again'), which
    no new export could mend. Each is read; a damaged line of the second is named by its line in the whole file."""
    style = '<style face="normal" font="default" size="100%">{}</style>'.format

    def export(*titles):
        return ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>' + "".join(
            f'<record><database name="Review.enl" path="C:/Review.enl">Review.enl</database><rec-number>{i}'
            f'</rec-number><ref-type name="Journal Article">17</ref-type><titles><title>{style(t)}</title></titles>'
            f'<dates><year>{style("2021")}</year></dates></record>' for i, t in enumerate(titles, 1))
            + "</records></xml>\n")

    f = tmp_path / "library.xml"
    f.write_text(export("Peer support study one", "Peer support study two") + export("Peer support study three"),
                 encoding="utf-8")
    assert [r["title"] for r in read_records(f).records] == [
        "Peer support study one", "Peer support study two", "Peer support study three"]
    f.write_text(export("Peer support study one") + export("Peer support study three").replace("</title>", "</titel>"),
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(f)
    assert "library.xml, line 2" in str(e.value) and "damaged" in str(e.value)


_UNMARKED = [  # formats whose records have no end mark: (file name, two records, the last one's first line)
    ("refs.enw", "%0 Journal Article\n%T Peer work\n%D 2020\n\n%0 Journal Article\n%T Harm reduction\n"
                 "%X An abstract about peer workers.\n%D 2021\n", 5),
    ("ebsco.txt", "TI- Peer work\nAU- Smith, J\nYR- 2020\nAN- 1\n\nTI- Harm reduction\nAU- Lee, A\nYR- 2021\n"
                  "AB- An abstract about peer workers.\n", 6),
    ("citation-export.txt", "Record #1 of 2\nID: CN-1\nTI: Peer work\nYR: 2020\n\n\nRecord #2 of 2\nID: CN-2\n"
                            "TI: Harm reduction\nAB: An abstract about peer workers.\n", 7),
]


@pytest.mark.parametrize("name, text, last", _UNMARKED)
def test_a_file_without_end_marks_cut_off_mid_line_names_its_last_record(tmp_path, name, text, last):
    """EndNote's tagged text, EBSCOhost's and the Cochrane Library's text mark no record's end: a download that
    stopped part-way through the last abstract was read as a whole record, its abstract cut short without a word.
    A file that stops without a line end now says which record may be cut short; a whole file says nothing."""
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    assert not any("cut short" in w for w in read_records(f).warnings)
    cut = text[:text.index("peer workers.")]
    for data in (cut.encode("utf-8"), cut.replace("\n", "\r\n").encode("utf-16")):
        f.write_bytes(data)
        got = read_records(f)
        assert len(got.records) == 2 and got.records[1]["abstract"] == "An abstract about"
        said = [w for w in got.warnings if "cut short" in w]
        assert len(said) == 1 and said[0].startswith(f"{name}: ") and f"last record (line {last})" in said[0], said
        assert "export the file again" in said[0]


_TABLE = ('Title,Year,Abstract,Journal\r\nPeer work,2020,"Short, and whole.",AIDS Care\r\n'
          'Harm reduction,2021,"Peers said ""yes"" to it, often.",Harm Reduction Journal\r\n')


@pytest.mark.parametrize("name, cut_at", [
    ("quoted.csv", 'Peers said "'),  # the quote there closes the abstract: 'Peers said '
    ("short.tsv", "Harm reduction\t2021"),  # stops after a whole cell: the abstract lost
])
def test_a_table_cut_off_where_no_quote_is_left_open_names_its_last_record(tmp_path, name, cut_at):
    """A CSV whose download stopped in its last row where no quote was left open (just after a quote, between two
    cells) was read as whole: the last record came in with half its abstract, or none, with only 'a separator may
    be missing'. Such a table now says, as the formats without an end mark do, which record may be cut short and
    what to do; a whole table says nothing."""
    sep = "\t" if name.endswith(".tsv") else ","
    f = tmp_path / name
    f.write_text(_TABLE.replace(",", sep) if sep == "\t" else _TABLE, encoding="utf-8", newline="")
    assert not any("cut" in w or "separator" in w for w in read_records(f).warnings)
    text = f.read_text(encoding="utf-8")
    f.write_text(text[:text.index(cut_at.replace(",", sep)) + len(cut_at)], encoding="utf-8", newline="")
    got = read_records(f)
    assert [r["title"] for r in got.records] == ["Peer work", "Harm reduction"]
    said = [w for w in got.warnings if "cut short" in w]
    assert len(said) == 1 and said[0].startswith(f"{name}: "), got.warnings
    assert "last record (row 3, line 3 of the file" in said[0] and "export the file again" in said[0], said
    assert not any("separator may be missing" in w for w in got.warnings), got.warnings


@pytest.mark.parametrize("first", ["Background: peers, often.", "Background: peers often."])
def test_a_table_cut_off_on_a_later_line_of_its_last_quoted_abstract_is_refused_as_cut_off(tmp_path, first):
    """A download that stopped on the second line of the last record's quoted abstract was refused as a quote left
    open that 'would lose the records below it' (or 'read line 4 into that one value'): there are none, the file
    is cut off, and it is said so (a later line with a comma may be a record a stray quote took in: that refusal
    stands)."""
    f = tmp_path / "scopus.csv"
    f.write_text('Title,Abstract,Year\r\nPeer work,"Short, and whole.",2020\r\n'
                 f'Harm reduction,"{first}\r\nMethods: a survey of', encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(f)
    msg = str(e.value)
    assert "scopus.csv, row 3:" in msg and "the last record" in msg and "cut off" in msg, msg
    assert "records" not in msg.replace("the last record", ""), msg


def test_a_whole_table_without_a_last_line_end_says_nothing_of_a_cut(tmp_path):
    """Spreadsheets (Google Sheets) write a CSV without a line end after its last row: a whole table, not a cut one.
    (A cut inside the last cell of a row that has all its cells cannot be told from it, and is not named.)"""
    f = tmp_path / "sheet.csv"
    f.write_text(_TABLE.rstrip("\r\n"), encoding="utf-8", newline="")
    got = read_records(f)
    assert [r["journal"] for r in got.records] == ["AIDS Care", "Harm Reduction Journal"]
    assert not any("cut" in w or "line end" in w or "fewer cells" in w for w in got.warnings), got.warnings
