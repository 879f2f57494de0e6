"""BibTeX, Web of Science plain text and PubMed XML, on small files the tests write."""

import pytest

from screener.errors import InputError
from screener.io import read_records
from screener.records import FIELDS

BIB = r"""% exported by Zotero
@article{smith2020,
  title = {A {Randomised} Trial of Talc in Pleural Effusion},
  author = {Smith, John and M{\"u}ller, Anna and {World Health Organization}},
  journal = {Thorax},
  year = {2020},
  volume = {75},
  number = {3},
  pages = {123--130},
  doi = {https://doi.org/10.1136/THORAXJNL-2019-1},
  abstract = {We randomised 300 patients.},
  keywords = {talc; pleura}
}

@inproceedings{doe2019,
  title = "Crowd work on platforms",
  author = "Doe, Kate",
  booktitle = "Proceedings of the 52nd Hawaii International Conference on System Sciences",
  year = 2019,
  pages = "1-10"
}
"""

WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, J
   Muller, A
AF Smith, John
   Muller, Anna
TI A randomised trial of talc in pleural
   effusion
SO THORAX
DT Article
DE talc; pleurodesis
ID EFFUSION
AB We randomised 300
   patients.
PY 2020
VL 75
IS 3
BP 123
EP 130
DI 10.1136/thoraxjnl-2019-1
PM 31234567
UT WOS:000512345600001
ER

PT J
AU Doe, K
TI Second record
SO JOURNAL OF TESTS
PY 2019
AR e42
UT WOS:000512345600002
ER

EF
"""

PUBMED = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">31234567</PMID>
    <Article PubModel="Print">
      <Journal>
        <JournalIssue CitedMedium="Internet"><Volume>75</Volume><Issue>3</Issue>
          <PubDate><Year>2020</Year><Month>Mar</Month></PubDate></JournalIssue>
        <Title>Thorax</Title><ISOAbbreviation>Thorax</ISOAbbreviation>
      </Journal>
      <ArticleTitle>A randomised trial of talc in <i>pleural</i> effusion.</ArticleTitle>
      <Pagination><MedlinePgn>123-130</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1136/thoraxjnl-2019-1</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND">Talc is used.</AbstractText>
        <AbstractText Label="METHODS">We randomised 300 patients.</AbstractText>
      </Abstract>
      <AuthorList><Author><LastName>Smith</LastName><ForeName>John</ForeName></Author>
        <Author><CollectiveName>Talc Trial Group</CollectiveName></Author></AuthorList>
      <PublicationTypeList><PublicationType UI="D016449">Randomized Controlled Trial</PublicationType></PublicationTypeList>
    </Article>
    <MeshHeadingList><MeshHeading><DescriptorName UI="D010996">Pleural Effusion</DescriptorName></MeshHeading></MeshHeadingList>
  </MedlineCitation>
  <PubmedData><ArticleIdList><ArticleId IdType="pubmed">31234567</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation><PMID>31234568</PMID>
    <Article><Journal><JournalIssue><PubDate><MedlineDate>2019 Nov-Dec</MedlineDate></PubDate></JournalIssue>
      <Title>Journal of Tests</Title></Journal><ArticleTitle>Second record</ArticleTitle></Article>
  </MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"""


def _check_first(rec):
    assert set(rec) == set(FIELDS)
    assert rec["title"].lower().startswith("a randomised trial of talc in pleural effusion")
    assert rec["year"] == 2020 and rec["volume"] == "75" and rec["issue"] == "3"
    assert rec["start_page"] == "123" and rec["pages"].replace("–", "-") == "123-130"
    assert rec["doi"] == "10.1136/thoraxjnl-2019-1"
    assert rec["authors"][0] in ("Smith, John", "Smith, J")


@pytest.mark.parametrize("name,text,fmt", [("refs.bib", BIB, "bibtex"), ("savedrecs.txt", WOS, "wos"),
                                           ("savedrecs.ciw", WOS, "wos"), ("pubmed.xml", PUBMED, "pubmed_xml"),
                                           ("no_extension", BIB, "bibtex")])
def test_each_format_is_detected_and_read(tmp_path, name, text, fmt):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = read_records(path)
    assert res.format == fmt
    assert len(res.records) == 2
    _check_first(res.records[0])


def test_bibtex_details(tmp_path):
    (tmp_path / "r.bib").write_text(BIB, encoding="utf-8")
    a, b = read_records(tmp_path / "r.bib").records
    assert a["authors"] == ["Smith, John", "Müller, Anna", "World Health Organization"]
    assert a["title"] == "A Randomised Trial of Talc in Pleural Effusion"
    assert a["keywords"] == ["talc", "pleura"] and a["abstract"] == "We randomised 300 patients."
    assert a["source_id"] == "smith2020" and a["source_line"] == 2 and a["type"] == "article"
    assert b["journal"].startswith("Proceedings of the 52nd") and b["start_page"] == "1"


def test_wos_details(tmp_path):
    (tmp_path / "s.txt").write_text(WOS, encoding="utf-8")
    a, b = read_records(tmp_path / "s.txt").records
    assert a["authors"] == ["Smith, John", "Muller, Anna"]
    assert a["abstract"] == "We randomised 300 patients."
    assert a["pmid"] == "31234567" and a["source_id"] == "WOS:000512345600001"
    assert a["keywords"] == ["talc", "pleurodesis", "EFFUSION"] and a["source_db"] == "Web of Science"
    assert a["source_line"] == 3 and b["source_line"] == 26
    assert b["pages"] == "e42" and b["start_page"] == "e42"


def test_pubmed_xml_details(tmp_path):
    (tmp_path / "p.xml").write_text(PUBMED, encoding="utf-8")
    a, b = read_records(tmp_path / "p.xml").records
    assert a["title"] == "A randomised trial of talc in pleural effusion."
    assert a["abstract"] == "BACKGROUND: Talc is used. METHODS: We randomised 300 patients."
    assert a["authors"] == ["Smith, John", "Talc Trial Group"] and a["pmid"] == "31234567"
    assert a["keywords"] == ["Pleural Effusion"] and a["type"] == "Randomized Controlled Trial"
    assert b["year"] == 2019 and b["volume"] is None and b["source_line"] > a["source_line"]


@pytest.mark.parametrize("name,text,words,line", [
    ("bad.bib", BIB.replace('pages = "1-10"\n}', 'pages = "1-10"\n') + "@book{x, title={Other}}\n",
     "cannot be read", 15),
    ("cut.txt", WOS.split("PT J\nAU Doe")[0] + "PT J\nAU Doe, K\nTI Cut off\n", "no 'ER' line", 26),
    ("bad.xml", PUBMED[:-40], "damaged", None),
])
def test_damaged_files_name_the_place(tmp_path, name, text, words, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    assert words in str(err.value)
    if line:
        assert err.value.line == line


def test_pubmed_xml_article_left_empty_names_its_place_and_what_to_do(tmp_path):
    """A <PubmedArticle> with nothing in it (the file edited by hand, or put together by a script) was refused as
    'this PubMed article has neither MedlineCitation nor BookDocument': a reviewer could not tell which article, or
    what to do."""
    path = tmp_path / "pubmed.xml"
    path.write_text(PUBMED.replace("<PubmedArticle>\n  <MedlineCitation><PMID>31234568",
                                   "<PubmedArticle>\n</PubmedArticle>\n<PubmedArticle>\n  <MedlineCitation><PMID>3"
                                   "1234568"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i in range(1, len(lines)) if lines[i - 1:i + 1] == ["<PubmedArticle>", "</PubmedArticle>"])
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert err.value.line == line and "article 2 of the file" in msg and "<MedlineCitation>" in msg, msg
    assert "Download the records from PubMed again" in msg and "Nothing was imported" in msg, msg


def test_format_can_be_forced(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(BIB, encoding="utf-8")
    assert read_records(path, fmt="bib").format == "bibtex"
    with pytest.raises(InputError, match="BibTeX"):
        read_records(path, fmt="wos")


PUBMED_BOOK = """<?xml version="1.0" ?>
<PubmedArticleSet>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">28613492</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK431090</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>StatPearls Publishing</PublisherName></Publisher>
      <BookTitle book="statpearls">StatPearls</BookTitle>
      <PubDate><Year>2024</Year><Month>01</Month></PubDate>
      <AuthorList Type="editors">
        <Author><LastName>Aboubakr</LastName><ForeName>Sam</ForeName></Author>
        <Author><LastName>Abu-Ghosh</LastName><ForeName>Ahmad</ForeName></Author>
      </AuthorList>
    </Book>
    <ArticleTitle book="statpearls" part="article-22604">Cardiac Tamponade</ArticleTitle>
    <AuthorList Type="authors">
      <Author><LastName>Stashko</LastName><ForeName>Evan</ForeName></Author>
      <Author><LastName>Meer</LastName><ForeName>Jehangir M</ForeName></Author>
    </AuthorList>
    <PublicationType UI="D016454">Review</PublicationType>
    <Abstract><AbstractText>Cardiac tamponade is a clinical syndrome.</AbstractText></Abstract>
  </BookDocument>
  <PubmedBookData>
    <ArticleIdList><ArticleId IdType="pubmed">28613492</ArticleId></ArticleIdList>
  </PubmedBookData>
</PubmedBookArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">20301295</PMID>
    <Book>
      <BookTitle book="gene">GeneReviews</BookTitle>
      <PubDate><MedlineDate>1993-2024</MedlineDate></PubDate>
      <AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName></Author></AuthorList>
    </Book>
  </BookDocument>
</PubmedBookArticle>
</PubmedArticleSet>
"""


def test_pubmed_xml_book_chapters_keep_their_year_authors_and_type(tmp_path):
    """PubMed searches return book chapters (StatPearls, GeneReviews, NICE guidelines) as
    <PubmedBookArticle>. Their year (under Book/PubDate) was lost, and the book's editors were
    listed first among the chapter's authors; the .nbib of the same record gives the year (DP)
    and the authors (FAU) alone."""
    (tmp_path / "books.xml").write_text(PUBMED_BOOK, encoding="utf-8")
    chapter, whole = read_records(tmp_path / "books.xml").records
    assert chapter["title"] == "Cardiac Tamponade" and chapter["pmid"] == "28613492"
    assert chapter["year"] == 2024
    assert chapter["authors"] == ["Stashko, Evan", "Meer, Jehangir M"]
    assert chapter["type"] == "Review"
    assert chapter["abstract"] == "Cardiac tamponade is a clinical syndrome."
    # a book with editors only: they are who it names, and its date is a MedlineDate
    assert whole["title"] == "GeneReviews" and whole["year"] == 1993
    assert whole["authors"] == ["Adam, Margaret P"]


def test_bibtex_entries_sharing_a_citation_key_are_each_a_record(tmp_path):
    """Two entries with one key (files joined from two exports, Google Scholar's 'smith2019')
    are two records; the import was refused as damaged, advising to look for an unclosed brace."""
    text = BIB + (
        "@article{smith2020,\n  title = {Talc Poudrage in {M{\\\"u}nchen}},\n  author = {Smith, Jane},\n"
        "  journal = {Chest},\n  year = {2020},\n  abstract = {A second study, 45% of it new.}\n}\n"
    )
    (tmp_path / "joined.bib").write_text(text, encoding="utf-8")
    res = read_records(tmp_path / "joined.bib")
    a, b, c = res.records
    assert [r["title"] for r in res.records] == [
        "A Randomised Trial of Talc in Pleural Effusion", "Crowd work on platforms", "Talc Poudrage in München"]
    assert c["authors"] == ["Smith, Jane"] and c["year"] == 2020 and c["journal"] == "Chest"
    assert c["abstract"] == "A second study, 45% of it new."
    assert a["source_id"] == c["source_id"] == "smith2020" and c["raw"]["ID"] == "smith2020"
    second = text.count("\n", 0, text.rindex("@article{smith2020")) + 1
    assert a["source_line"] == 2 and c["source_line"] == second
    assert any(f"'smith2020' on lines 2, {second}" in w and "record of its own" in w for w in res.warnings)
    said = " ".join(res.warnings)  # one key: it read '1 citation key(s) name more than one entry'
    assert "joined.bib: 1 citation key names more than one entry ('smith2020'" in said and "(s)" not in said, said


def test_bibtex_entry_with_a_field_twice_names_the_entry_and_the_field(tmp_path):
    text = "@article{k1,\n  title = {One},\n  year = {2019}\n}\n@article{k2,\n  title = {A},\n  title = {B}\n}\n"
    (tmp_path / "twice.bib").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(tmp_path / "twice.bib")
    msg = str(err.value)
    assert err.value.line == 5 and "'k2'" in msg and "'title' twice" in msg
    assert "ignore_error_block" not in msg and "unclosed" not in msg


@pytest.mark.parametrize("others", [1, 2])
def test_a_bibtex_file_with_several_damaged_entries_names_where_the_others_start(tmp_path, others):
    """The message on the first damaged entry said '(1 more entries are damaged too)': not where, so the file was
    imported again once per damaged entry. It names the lines they start on."""
    bad = "@article{k%d,\n  title = {Unclosed {brace},\n  year = {2021}\n}\n"
    text = ("@article{k1,\n  title = {A},\n  title = {B}\n}\n" + "".join(bad % (i + 2) for i in range(others))
            + "@article{k9,\n  title = {Fine},\n  year = {2022}\n}\n")
    (tmp_path / "damaged.bib").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(tmp_path / "damaged.bib")
    msg = str(err.value)
    assert err.value.line == 1 and "'k1'" in msg and "'title' twice" in msg, msg
    said = "(1 more entry is damaged too: line 5)" if others == 1 else "(2 more entries are damaged too: lines 5, 9)"
    assert said in msg and "Nothing was imported" in msg, msg


def test_bibtex_and_others_is_not_an_author(tmp_path):
    """'author = {Smith, J. and Doe, K. and others}' is BibTeX for 'Smith, Doe et al.'; 'others'
    came in as a third author."""
    text = "@article{k1,\n  title = {T},\n  author = {Smith, J. and Doe, K. and others},\n  year = {2019}\n}\n"
    (tmp_path / "etal.bib").write_text(text, encoding="utf-8")
    (rec,) = read_records(tmp_path / "etal.bib").records
    assert rec["authors"] == ["Smith, J.", "Doe, K."]


WOS_BOOK = """FN Clarivate Analytics Web of Science
VR 1.0
PT B
AU Smith, J
TI Syndemics among men who have sex with men: theory
SO HANDBOOK OF SYNDEMICS
DT Article; Book Chapter
PY 2019
BP 1
EP 20
D2 10.1007/978-3-030-12345-6
UT WOS:000000000000001
ER

PT B
AU Doe, K
TI Syndemics in the city
SO HANDBOOK OF SYNDEMICS
DT Article; Book Chapter
PY 2019
BP 21
EP 40
DI 10.1007/978-3-030-12345-6_2
D2 10.1007/978-3-030-12345-6
UT WOS:000000000000002
ER

PT B
AU Roe, R
TI Handbook of syndemics
DT Book
PY 2019
D2 10.1007/978-3-030-12345-6
UT WOS:000000000000003
ER

EF
"""


def test_wos_book_chapter_does_not_take_the_books_doi(tmp_path):
    """D2 is the DOI of the book a chapter is in: taken as the chapter's own, every chapter of the book
    shared it, and the chapter's copy from Scopus (with the chapter's DOI) was not found to be one
    study with it. A whole book's D2 is its own DOI."""
    (tmp_path / "books.txt").write_text(WOS_BOOK, encoding="utf-8")
    chapter, with_own, book = read_records(tmp_path / "books.txt").records
    assert chapter["doi"] is None
    assert with_own["doi"] == "10.1007/978-3-030-12345-6_2"
    assert book["doi"] == "10.1007/978-3-030-12345-6"


def test_placeholder_author_names_are_no_authors(tmp_path):
    # An unsigned editorial is '[Anonymous]' in Web of Science, '[No author name available]' in Scopus,
    # 'Anonymous' in Embase: kept as names, its copies had different first authors and were not merged
    wos = ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU [Anonymous]\nTI Managing empyema in adults\n"
           "SO DRUG AND THERAPEUTICS BULLETIN\nPY 2006\nVL 44\nBP 17\nEP 21\nUT WOS:000237\nER\n\nEF\n")
    ris = ("TY  - JOUR\nAU  - [No author name available]\nTI  - Managing empyema in adults\nPY  - 2006\nER  - \n\n"
           "TY  - JOUR\nA1  - Anonymous\nT1  - Managing empyema in adults\nY1  - 2006\nER  - \n\n"
           "TY  - JOUR\nAU  - Anonymous, A.\nAU  - Smith, J.\nTI  - Signed by a Dr Anonymous\nPY  - 2006\nER  - \n")
    (tmp_path / "wos.txt").write_text(wos, encoding="utf-8")
    (tmp_path / "scopus.ris").write_text(ris, encoding="utf-8")
    assert read_records(tmp_path / "wos.txt").records[0]["authors"] == []
    assert [r["authors"] for r in read_records(tmp_path / "scopus.ris").records] == [
        [], [], ["Anonymous, A.", "Smith, J."]]


def test_bibtex_entry_in_press_takes_its_year_from_the_date(tmp_path):
    """Zotero writes 'year = {in press}' for an article online first and the date beside it: the year was lost."""
    (tmp_path / "in_press.bib").write_text("@article{smith2021,\n  title = {Talc in pleural effusion},\n"
                                           "  year = {in press},\n  date = {2021-03-01}\n}\n", encoding="utf-8")
    assert read_records(tmp_path / "in_press.bib").records[0]["year"] == 2021


def test_pubmed_xml_type_is_the_erratum_not_its_first_journal_article_type(tmp_path):
    """PubMed's XML lists "Journal Article" before "Published Erratum" (and "Comment"): the record's type was the first,
    and de-duplication, which reads it, took an erratum under the article's own title for the article."""
    xml = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" \
"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="PubMed-not-MEDLINE" Owner="NLM">
    <PMID Version="1">26936529</PMID>
    <Article PubModel="Print">
      <Journal><Title>The American journal of clinical nutrition</Title>
        <JournalIssue CitedMedium="Internet"><Volume>103</Volume><Issue>2</Issue>
          <PubDate><Year>2016</Year><Month>Feb</Month></PubDate></JournalIssue></Journal>
      <ArticleTitle>Dietary fiber intake and mortality in a Mediterranean population at high cardiovascular risk.\
</ArticleTitle>
      <Pagination><MedlinePgn>543</MedlinePgn></Pagination>
      <Language>eng</Language>
      <PublicationTypeList>
        <PublicationType UI="D016428">Journal Article</PublicationType>
        <PublicationType UI="D016425">Published Erratum</PublicationType>
      </PublicationTypeList>
    </Article>
  </MedlineCitation>
  <PubmedData><ArticleIdList><ArticleId IdType="pubmed">26936529</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle>
</PubmedArticleSet>
"""
    (tmp_path / "pubmed-erratum.xml").write_text(xml, encoding="utf-8")
    (erratum,) = read_records(tmp_path / "pubmed-erratum.xml").records
    assert erratum["type"] == "Published Erratum"


#: Scopus's BibTeX export ('Export > BibTeX', all information), as it writes an entry
SCOPUS_BIB = """\
@ARTICLE{Smith2021,
author={Smith, J. and Doe, K.},
title={Sleep and stress in night-shift nurses},
journal={Sleep Medicine},
year={2021},
volume={80},
pages={12-19},
doi={10.1016/j.sleep.2021.01.001},
note={cited By 3},
url={https://www.scopus.com/inward/record.uri?eid=2-s2.0-85100000001&partnerID=40&md5=abc},
affiliations={University of Oslo, Norway},
abstract={Nurses on night shifts sleep less.},
author_keywords={sleep; stress},
keywords={Humans; Adult},
issn={13899457},
pubmed_id={33500001},
language={English},
abbrev_source_title={Sleep Med.},
document_type={Article},
publication_stage={Final},
source={Scopus},
}
"""


def test_scopus_bibtex_gives_its_pmid_and_the_authors_keywords(tmp_path):
    """Scopus's BibTeX writes the PubMed id in 'pubmed_id' and the authors' keywords in 'author_keywords': its
    records came in without a PMID (not matched by PMID with their PubMed copies) and with the index keywords
    alone."""
    (tmp_path / "scopus.bib").write_text(SCOPUS_BIB, encoding="utf-8")
    (rec,) = read_records(tmp_path / "scopus.bib").records
    assert (rec["pmid"], rec["source_db"]) == ("33500001", "Scopus")
    assert rec["keywords"] == ["sleep", "stress", "Humans", "Adult"]


def test_web_of_science_bibtex_is_named_web_of_science(tmp_path):
    """Web of Science's BibTeX names no database, but keys each entry by its accession number ('WOS:...', also in
    'Unique-ID'): its records were counted in PRISMA under the file's name ('savedrecs'; a search exported in parts
    as two databases), where its plain-text and tab-delimited exports are counted under 'Web of Science'. Another
    BibTeX file is still named after itself."""
    wos = ("@article{ WOS:000600000000001,\nAuthor = {Smith, John and Doe, Kate},\nTitle = {Sleep and stress in "
           "night-shift nurses},\nJournal = {SLEEP MEDICINE},\nYear = {2021},\nVolume = {80},\nPages = {12-19},\n"
           "DOI = {10.1016/j.sleep.2021.01.001},\nKeywords-Plus = {SHIFT WORK; INSOMNIA},\n"
           "Unique-ID = {WOS:000600000000001},\nDA = {2024-01-05},\n}\n")
    for name in ("savedrecs.bib", "savedrecs(1).bib"):
        (tmp_path / name).write_text(wos, encoding="utf-8")
        (rec,) = read_records(tmp_path / name).records
        assert (rec["source_db"], rec["source_id"]) == ("Web of Science", "WOS:000600000000001")
    (tmp_path / "zotero.bib").write_text(wos.replace("WOS:000600000000001", "smith2021sleep"), encoding="utf-8")
    assert read_records(tmp_path / "zotero.bib").records[0]["source_db"] == "zotero"


def test_bibtex_field_without_its_comma_is_named_not_read_into_the_field_above(tmp_path):
    """A comma missing after a field (a .bib edited by hand): the next field was read into it, the record imported
    titled 'First study of sleep author = Smith, J' and without its authors, with no word. The entry and the
    field are named now, and nothing is imported."""
    p = tmp_path / "refs.bib"
    p.write_text("@article{k0,\n  title = {A study {of} sleep}, year = 2018\n}\n\n"
                 "@article{k1,\n  title = {First study of sleep}\n  author = {Smith, J},\n  year = {2019}\n}\n\n"
                 "@article{k2,\n  title = {Second} # { study},\n  year = {2020}\n}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "refs.bib, line 6" in msg and "'k1'" in msg and "'title'" in msg and "'author'" in msg, msg
    assert "comma" in msg, msg


def test_bibtex_less_than_and_greater_than_signs_are_kept(tmp_path):
    """Zotero and JabRef write '<' and '>' as '{\\textless}' and '\\textgreater{}': the signs were dropped
    ('p  0.05'), and the abstract said something else than the same record from PubMed."""
    (tmp_path / "z.bib").write_text(
        "@article{kim2021,\n  title = {Outcomes in Adults Aged {\\textgreater}65 Years},\n"
        "  author = {Kim, Min},\n  abstract = {Pain fell (p {\\textless} 0.05; n \\textgreater{} 10;"
        " ratio \\textless1).},\n  year = {2021}\n}\n", encoding="utf-8")
    rec = read_records(tmp_path / "z.bib").records[0]
    assert rec["title"] == "Outcomes in Adults Aged >65 Years"
    assert rec["abstract"] == "Pain fell (p < 0.05; n > 10; ratio <1)."


def test_bibtex_math_reads_as_a_reviewer_writes_it_and_bare_dollars_stay(tmp_path):
    """Zotero and Google Scholar write Greek letters and signs in LaTeX math ('TGF-$\\beta$'): a reviewer read the
    dollars and backslashes, and 'TGF-$\\beta$' did not match 'TGF-β' from PubMed. A '$' that opens no formula
    ('US$500 and $300', as Scopus writes it) is a dollar sign."""
    (tmp_path / "m.bib").write_text(
        "@article{lee2022,\n  title = {TGF-$\\beta$ and NF-$\\kappa$B in $\\upalpha$-cells at 37$^{\\circ}$C},\n"
        "  author = {Lee, Ana},\n  abstract = {CO$_2$ at 5 kg/m$^2$ fell ($\\pm$ 2; p$<$0.05, $\\geq$ 50$\\,$mg);"
        " cost US$500 and $300 per patient.},\n  year = {2022}\n}\n", encoding="utf-8")
    rec = read_records(tmp_path / "m.bib").records[0]
    assert rec["title"] == "TGF-β and NF-κB in α-cells at 37°C"
    assert rec["abstract"] == "CO2 at 5 kg/m2 fell (± 2; p<0.05, ≥ 50 mg); cost US$500 and $300 per patient."


def test_bibtex_dollar_signs_in_a_link_are_not_read_as_math(tmp_path):
    (tmp_path / "u.bib").write_text("@article{a,\n  title = {T},\n  url = {https://x.org/a$b_c$d},\n  year = 2020\n}\n",
                                    encoding="utf-8")
    assert read_records(tmp_path / "u.bib").records[0]["raw"]["url"] == "https://x.org/a$b_c$d"


def test_bibtex_tie_between_initials_is_a_plain_space(tmp_path):
    """JabRef and Google Scholar tie initials with '~' ('Smith, A.~B.'): the name kept a no-break space, and
    'Smith, A. B.' typed or exported elsewhere was another spelling."""
    (tmp_path / "t.bib").write_text("@article{a,\n  title = {T},\n  author = {Smith, A.~B. and Lee, C.},\n"
                                    "  year = 2020\n}\n", encoding="utf-8")
    assert read_records(tmp_path / "t.bib").records[0]["authors"] == ["Smith, A. B.", "Lee, C."]


@pytest.mark.parametrize("cut", ["  abstract = {Sleep was poor, and", "  abstract = {Sleep was poor.},\n  year = {20"])
def test_a_bibtex_file_cut_off_in_its_last_entry_is_refused_as_cut_off(tmp_path, cut):
    """A BibTeX download that stopped inside its last entry was refused as an entry to fix by hand ('often an
    unclosed '{' or a missing comma'), as a damaged entry mid-file is: the file is cut off, said as the other
    formats say it, with the entry's line and what to do."""
    p = tmp_path / "scopus.bib"
    p.write_text("@article{k1,\n  title = {First study of sleep},\n  year = {2019}\n}\n\n"
                 "@article{k2,\n  title = {Second study of sleep},\n" + cut, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "scopus.bib, line 6" in msg and "last entry" in msg and "cut off" in msg and "Export" in msg, msg
