from __future__ import annotations

import json

import pytest
from io_samples import ENDNOTE_XML, PUBMED_NBIB

from screener.errors import InputError
from screener.io import detect_format, read_records
from screener.records import FIELDS


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_pubmed_nbib(tmp_path):
    res = read_records(_write(tmp_path, "pubmed-ptsd-set.nbib", PUBMED_NBIB))
    assert res.format == "medline"
    assert len(res.records) == 3
    a, b, c = res.records
    assert set(a) == set(FIELDS)
    assert a["title"] == (
        "Cognitive behavioural therapy for post-traumatic stress in adolescents: a randomised controlled trial."
    )
    assert a["abstract"].startswith("BACKGROUND: Trauma-focused") and "120 adolescents" in a["abstract"]
    assert a["authors"] == ["Müller, Anna", "O'Brien, Seán"]  # full names (FAU) preferred
    assert a["year"] == 2019
    assert a["journal"] == "Journal of traumatic stress"
    assert a["doi"] == "10.1000/jts.2019.123"
    assert a["pmid"] == "31234567" and a["source_id"] == "31234567"
    assert "Cognitive Behavioral Therapy/methods" in a["keywords"] and "PTSD" in a["keywords"]
    assert a["type"] == "Journal Article"
    assert a["source_db"] == "PubMed"
    assert [r["source_line"] for r in res.records] == [1, 33, 42]
    assert b["doi"] == "10.1000/dm.2018.7" and b["abstract"] is None
    assert c["authors"] == [] and c["journal"] == "Some J" and c["year"] == 2017
    assert res.labels == [None, None, None]
    json.dumps(res.records)


def test_nbib_saved_as_txt_is_detected(tmp_path):
    p = _write(tmp_path, "export.txt", PUBMED_NBIB)
    assert detect_format(p) == "medline"


def test_not_medline(tmp_path):
    p = _write(tmp_path, "x.nbib", "title,abstract\na,b\n")
    with pytest.raises(InputError) as e:
        read_records(p, fmt="nbib")
    assert "PMID" in str(e.value) and "x.nbib" in str(e.value)


def test_endnote_xml(tmp_path):
    res = read_records(_write(tmp_path, "library.xml", ENDNOTE_XML))
    assert res.format == "endnote_xml"
    a, b = res.records
    assert a["title"] == "Sleep in Rattus norvegicus after stress"  # style runs joined
    assert a["authors"] == ["Gómez, María", "Lee, K."]
    assert a["journal"] == "Behavioural Brain Research"
    assert a["year"] == 2015
    assert a["doi"] == "10.1016/j.bbr.2015.01.001"
    assert a["pmid"] == "25550001"  # accession number from PubMed
    assert a["keywords"] == ["sleep", "stress"]
    assert a["abstract"] == "Rats slept less after stress."
    assert a["source_db"] == "PubMed" and a["source_id"] == "12"
    assert a["type"] == "Journal Article"
    assert a["raw"]["titles/secondary-title"] == "Behavioural Brain Research"
    assert a["source_line"] == 2 and b["source_line"] == 20
    assert b["abstract"] is None and b["journal"] == "Handbook of Stress"
    assert b["doi"] == "10.5555/handbook.2011.3" and b["pmid"] is None
    assert b["source_db"] == "library"
    json.dumps(res.records)


def test_endnote_xml_cut_off(tmp_path):
    p = _write(tmp_path, "library.xml", ENDNOTE_XML[: len(ENDNOTE_XML) // 2])
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "library.xml" in str(e.value) and "line" in str(e.value) and "export it again" in str(e.value)


def test_other_xml_is_refused(tmp_path):
    p = _write(tmp_path, "feed.xml", "<?xml version='1.0'?><rss><channel><item/></channel></rss>")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "not an EndNote XML" in str(e.value)


def _same_but_lines(a, b):
    drop = {"source_line", "source_file"}
    return [{k: v for k, v in r.items() if k not in drop} for r in a] == \
        [{k: v for k, v in r.items() if k not in drop} for r in b]


def test_nbib_with_every_line_ending_in_cr_cr_lf_reads_as_the_same_records(tmp_path):
    """A CRLF export copied in text mode on Windows ends each line in CR CR LF, a line and a blank
    line: every tag after a blank line started a record (28 junk records from 3)."""
    plain = read_records(_write(tmp_path, "plain.nbib", PUBMED_NBIB)).records
    doubled = read_records(_write(tmp_path, "doubled.nbib", PUBMED_NBIB.replace("\n", "\r\r\n"))).records
    assert len(doubled) == 3 and _same_but_lines(plain, doubled)


def test_nbib_files_joined_with_a_byte_order_mark_between_keep_every_record(tmp_path):
    """The second file's byte-order mark hid its first PMID: its record was read into the last
    record of the first file (a PMID lost, an abstract and DOI given to the wrong study)."""
    second = "PMID- 40000001\nTI  - Second file record.\nAB  - Abstract of the second file.\n"
    res = read_records(_write(tmp_path, "joined.nbib", PUBMED_NBIB + "\n\ufeff" + second))
    assert [r["pmid"] for r in res.records] == ["31234567", res.records[1]["pmid"], res.records[2]["pmid"], "40000001"]
    assert res.records[3]["abstract"] == "Abstract of the second file."
    assert _same_but_lines(res.records[:3], read_records(_write(tmp_path, "p.nbib", PUBMED_NBIB)).records)


def test_endnote_xml_with_control_characters_from_a_pdf_is_read(tmp_path):
    """EndNote exports control characters pasted from PDFs (raw, or as '&#x1;'), which XML does
    not allow: the whole file was refused as 'cut off or edited by hand', and exporting it again
    gave the same file. They are read as spaces, and the import's notes name the lines."""
    bad = ENDNOTE_XML.replace("<abstract><style", "<abstract>\x0b<style", 1)
    bad = bad.replace("</abstract>", "&#x1;</abstract>", 1)
    res = read_records(_write(tmp_path, "library.xml", bad))
    good = read_records(_write(tmp_path, "good.xml", ENDNOTE_XML))
    assert len(res.records) == len(good.records)
    assert res.records[0]["abstract"].strip() == good.records[0]["abstract"].strip()
    assert len(res.warnings) == 1 and "2 control characters that" in res.warnings[0], res.warnings
    assert "were read as spaces, on line 16." in res.warnings[0], res.warnings
    assert not good.warnings
    one = read_records(_write(tmp_path, "one.xml", ENDNOTE_XML.replace("</abstract>", "&#x1;</abstract>", 1)))
    # one character: it read '1 control character(s) ... were read as spaces, on line(s) 16'
    assert "one.xml: 1 control character that XML does not allow" in one.warnings[0], one.warnings
    assert "was read as a space, on line 16." in one.warnings[0] and "(s)" not in one.warnings[0], one.warnings


def test_an_abstract_given_in_several_ab_lines_of_a_medline_record_is_kept_whole(tmp_path):
    """Tools that write MEDLINE format with one AB line per paragraph: only the first paragraph was
    kept, the rest of the abstract lost without a word (RIS joins its repeated AB lines)."""
    text = ("PMID- 1\nTI  - T one.\nAB  - BACKGROUND: part one.\nAB  - RESULTS: part two.\nFAU - A, B\nSO  - J. 2020.\n\n"
            "PMID- 2\nTI  - T two.\nAB  - Only.\nSO  - J. 2020.\n")
    a, b = read_records(_write(tmp_path, "two_ab.nbib", text)).records
    assert a["abstract"] == "BACKGROUND: part one. RESULTS: part two."
    assert b["abstract"] == "Only."


def test_endnote_xml_on_one_line_names_records_by_their_place_not_line_1(tmp_path):
    """EndNote writes its whole XML export on one line: the notes on records without a title said
    'line 1, 1, 1', which names none of them."""
    rec = ('<record><rec-number>{n}</rec-number><ref-type name="Journal Article">17</ref-type>'
           '<titles><title>{t}</title></titles>{ab}</record>')
    body = "".join(rec.format(n=n + 10, t=t, ab=ab) for n, t, ab in [
        (1, "One", ""), (2, "Two", ""), (3, "", "<abstract>An abstract only.</abstract>"), (4, "Four", ""),
        (5, "", ""), (6, "", "<abstract>Another.</abstract>")])
    p = _write(tmp_path, "library.xml", f'<?xml version="1.0" encoding="UTF-8" ?><xml><records>{body}</records></xml>')
    warnings = " ".join(read_records(p).warnings)
    assert "2 of 6 records have no title (record 3, 6)" in warnings
    assert "1 record has no title, no abstract and no DOI (record 5). It is kept" in warnings


def test_endnote_xml_pages_a_spreadsheet_made_dates_are_read_as_ranges(tmp_path):
    # Libraries once passed through Excel keep '21-Apr' for pages 4-21 (as in the respiratory
    # benchmark's EndNote file); read as written, the first page was 21 and the record was not
    # merged with its copy from another database that starts on page 4
    rec = ("<record><rec-number>{n}</rec-number><titles><title>{t}</title></titles><dates><year>2010</year></dates>"
           "<volume>12</volume><pages>{p}</pages></record>")
    text = ("<xml><records>" + rec.format(n=1, t="Talc for pleural effusion", p="21-Apr")
            + rec.format(n=2, t="Drains for empyema", p="Sep-17") + rec.format(n=3, t="Steroids", p="515-523")
            + "</records></xml>")
    res = read_records(_write(tmp_path, "library.xml", text))
    assert [(r["pages"], r["start_page"]) for r in res.records] == [("4-21", "4"), ("9-17", "9"), ("515-523", "515")]
    assert any("2 page or issue ranges had" in w and "record 1: '21-Apr' read as '4-21'" in w for w in res.warnings)


def test_endnote_xml_record_in_press_takes_its_year_from_the_date(tmp_path):
    """'In press' in the year field and the date in pub-dates: the year was lost."""
    text = ENDNOTE_XML.replace("<year><style face=\"normal\" font=\"default\" size=\"100%\">2015</style></year>",
                               "<year>In press</year><pub-dates><date>2015/03/01</date></pub-dates>")
    assert read_records(_write(tmp_path, "library.xml", text)).records[0]["year"] == 2015


def test_endnote_xml_cinahl_and_embase_records_keep_their_pmid(tmp_path):
    """A CINAHL record (its 'PMID: NLM...' in the notes) or an Embase.com one (its MEDLINE PMID in
    Custom 5) imported into EndNote and exported as XML came in without its PubMed id."""
    cinahl = ("<record><rec-number>1</rec-number><titles><title>Noise and hearing in soldiers</title></titles>"
              "<notes>Accession Number: 147887838. Language: English. NLM UID: 2984771R. PMID: NLM32412345.</notes>"
              "<remote-database-name>CINAHL Plus with Full Text</remote-database-name>"
              "<remote-database-provider>EBSCOhost</remote-database-provider><accession-num>147887838</accession-num>"
              "</record>")
    embase = ("<record><rec-number>2</rec-number><titles><title>Noise and hearing in soldiers</title></titles>"
              "<custom5>32412345</custom5><remote-database-name>Embase</remote-database-name>"
              "<accession-num>L2005412345</accession-num></record>")
    other = ("<record><rec-number>3</rec-number><titles><title>Noise in nursing</title></titles>"
             "<custom5>32412399</custom5><remote-database-name>PsycINFO</remote-database-name></record>")
    text = f'<?xml version="1.0" encoding="UTF-8" ?><xml><records>{cinahl}{embase}{other}</records></xml>'
    recs = read_records(_write(tmp_path, "library.xml", text)).records
    assert [r["pmid"] for r in recs] == ["32412345", "32412345", None]


def test_endnote_xml_paragraph_breaks_in_a_styled_abstract_are_line_breaks(tmp_path):
    """EndNote writes each paragraph break of an abstract as '&#xD;' (a carriage return) inside its
    style runs; kept as it was, the terminal screen showed 'first.Methods:' glued together, and
    screener's own CSV export came back with stray returns inside cells. Styled runs (a bold 'n', an
    italic species name) are joined as they read."""
    text = ENDNOTE_XML.replace(
        '<abstract><style face="normal" font="default" size="100%">Rats slept less after stress.</style></abstract>',
        '<abstract><style face="normal" font="default" size="100%">Background: first.&#xD;&#xD;Methods: </style>'
        '<style face="bold" font="default" size="100%">n</style><style face="normal" font="default" size="100%"> = '
        '30.&#xD;</style></abstract>', 1)
    assert "&#xD;" in text
    rec = read_records(_write(tmp_path, "library.xml", text)).records[0]
    assert rec["title"] == "Sleep in Rattus norvegicus after stress"
    assert rec["abstract"] == "Background: first.\n\nMethods: n = 30."


def test_endnote_xml_article_number_in_custom7_is_the_pages_of_an_online_journals_paper(tmp_path):
    """EndNote keeps a journal article's article number in 'Article Number' (custom7; a Scopus RIS's C7 lands
    there) and its pages empty: read without pages, the paper lacked what PubMed's copy (PG 5432) and the
    duplicates review compare it on."""
    def style(text):
        return f'<style face="normal" font="default" size="100%">{text}</style>'

    def record(number, ref_type, title, extra):
        return (f'<record><rec-number>{number}</rec-number><ref-type name="{ref_type}">17</ref-type>'
                f'<contributors><authors><author>{style("Wang, Li")}</author></authors></contributors>'
                f'<titles><title>{style(title)}</title><secondary-title>{style("Scientific Reports")}'
                f'</secondary-title></titles><volume>{style("13")}</volume><dates><year>{style("2023")}</year>'
                f'</dates>{extra}</record>')

    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + record(1, "Journal Article", "Early access paper", f"<custom7>{style('5432')}</custom7>")
            + record(2, "Journal Article", "A paper with pages",
                     f"<pages>{style('899-910')}</pages><custom7>{style('899')}</custom7>")
            + record(3, "Book Section", "A chapter", f"<custom7>{style('2nd edition')}</custom7>")
            + "</records></xml>")
    a, b, c = read_records(_write(tmp_path, "library.xml", text)).records
    assert (a["pages"], a["start_page"]) == ("5432", "5432")
    assert b["pages"] == "899-910"
    assert c["pages"] is None


#: A PubMed download (Send to > Citation manager): an article, its erratum under the article's own title (no DOI of
#: its own), and a comment on it; PubMed lists "Journal Article" before the kind that says what the record is.
ARTICLE_ERRATUM_COMMENT_NBIB = """\
PMID- 36112233
OWN - NLM
STAT- MEDLINE
DCOM- 20221020
IS  - 1360-0443 (Electronic)
VI  - 117
IP  - 11
DP  - 2022 Nov
TI  - Syndemic conditions and condomless anal sex among gay, bisexual and other men who
      have sex with men in Belgium: a cross-sectional survey.
PG  - 2890-2901
LID - 10.1111/add.15990 [doi]
AB  - BACKGROUND: Syndemic conditions cluster among men who have sex with men. METHODS: We
      surveyed 1204 men. RESULTS: Each added condition raised the odds of condomless sex.
FAU - Vermeulen, Pieter
AU  - Vermeulen P
FAU - Dubois, Anne
AU  - Dubois A
LA  - eng
PT  - Journal Article
PT  - Research Support, Non-U.S. Gov't
DEP - 20220801
PL  - England
TA  - Addiction
JT  - Addiction (Abingdon, England)
JID - 9304118
EDAT- 2022/08/02 06:00
PST - ppublish
SO  - Addiction. 2022 Nov;117(11):2890-2901. doi: 10.1111/add.15990. Epub 2022 Aug 1.

PMID- 36554411
OWN - NLM
STAT- PubMed-not-MEDLINE
IS  - 1360-0443 (Electronic)
VI  - 118
IP  - 2
DP  - 2023 Feb
TI  - Syndemic conditions and condomless anal sex among gay, bisexual and other men who
      have sex with men in Belgium: a cross-sectional survey.
PG  - 402
FAU - Vermeulen, Pieter
AU  - Vermeulen P
FAU - Dubois, Anne
AU  - Dubois A
LA  - eng
PT  - Journal Article
PT  - Published Erratum
PL  - England
TA  - Addiction
JT  - Addiction (Abingdon, England)
JID - 9304118
EFR - Addiction. 2022 Nov;117(11):2890-2901. PMID: 36112233
EDAT- 2023/01/10 06:00
PST - ppublish
SO  - Addiction. 2023 Feb;118(2):402.

PMID- 36598877
OWN - NLM
STAT- MEDLINE
IS  - 1360-0443 (Electronic)
VI  - 118
IP  - 3
DP  - 2023 Mar
TI  - Syndemic conditions and condomless anal sex among gay, bisexual and other men who
      have sex with men in Belgium: a cross-sectional survey.
PG  - 560-561
FAU - Vermeulen, Pieter
AU  - Vermeulen P
LA  - eng
PT  - Journal Article
PT  - Comment
PL  - England
TA  - Addiction
JT  - Addiction (Abingdon, England)
JID - 9304118
CON - Addiction. 2022 Nov;117(11):2890-2901. PMID: 36112233
EDAT- 2023/02/10 06:00
PST - ppublish
SO  - Addiction. 2023 Mar;118(3):560-561.

"""


def test_pubmed_type_is_the_erratum_or_comment_not_its_first_journal_article_line(tmp_path):
    """PubMed lists "Journal Article" before "Published Erratum" or "Comment"; the record's type was its first PT line,
    so an erratum or a comment under the article's own title was a "Journal Article", and beside the article's copy
    ahead of print (Scopus's, no volume or pages) de-duplication took it for the article and hid the article."""
    import pandas as pd

    from screener.dedup import find_duplicates

    article, erratum, comment = read_records(_write(tmp_path, "pubmed-2024-03-01.nbib",
                                                    ARTICLE_ERRATUM_COMMENT_NBIB)).records
    assert (article["type"], erratum["type"], comment["type"]) == ("Journal Article", "Published Erratum", "Comment")
    for tags, kind in ((["Letter", "Comment"], "Letter"), (["Comment", "Journal Article"], "Comment"),
                       (["Journal Article", "Retraction of Publication"], "Retraction of Publication"),
                       (["Journal Article", "Retracted Publication"], "Journal Article"),
                       (["Comparative Study", "Journal Article"], "Comparative Study")):
        nbib = ARTICLE_ERRATUM_COMMENT_NBIB.split("\n\n")[0].replace("PT  - Journal Article\nPT  - Research Support, "
                                                                     "Non-U.S. Gov't\n", "".join(f"PT  - {t}\n"
                                                                                                 for t in tags))
        assert read_records(_write(tmp_path, "one.nbib", nbib + "\n")).records[0]["type"] == kind
    scopus = dict(article, source_db="Scopus", type="Article", volume=None, issue=None, pages=None, start_page=None,
                  pmid=None, doi=None, source_id="2-s2.0-85135000001")
    for notice in (erratum, comment):
        table = pd.DataFrame([scopus, notice], index=pd.Index([1, 2], name="record_id"))
        assert find_duplicates(table)["group_id"].tolist() == [1, 2], notice["type"]


def test_endnote_xml_reads_a_pubmed_erratum_or_comment_from_its_type_of_work(tmp_path):
    """A PubMed record kept in EndNote has its publication types in 'Type of Work' (<work-type>): "Journal Article;
    Published Erratum", "Journal Article; Comment". The record's type was the reference type alone ("Journal
    Article"), so de-duplication took an erratum under the article's own title for the article, as it did in RIS."""
    def record(number, title, work_type, pages):
        style = '<style face="normal" font="default" size="100%">{}</style>'.format
        return (f'<record><database name="Review.enl" path="C:/Review.enl">Review.enl</database>'
                f'<source-app name="EndNote" version="21.0">EndNote</source-app><rec-number>{number}</rec-number>'
                '<ref-type name="Journal Article">17</ref-type>'
                f'<contributors><authors><author>{style("Vermeulen, Pieter")}</author></authors></contributors>'
                f'<titles><title>{style(title)}</title><secondary-title>{style("Addiction")}</secondary-title>'
                f'</titles><pages>{style(pages)}</pages><volume>{style("118")}</volume>'
                f'<dates><year>{style("2023")}</year></dates><work-type>{style(work_type)}</work-type>'
                f'<remote-database-name>{style("PubMed")}</remote-database-name>'
                f'<remote-database-provider>{style("NLM")}</remote-database-provider></record>')

    title = "Syndemic conditions and condomless anal sex among men in Belgium: a cross-sectional survey"
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + record(1, title, "Journal Article; Research Support, Non-U.S. Gov't", "2890-2901")
            + record(2, title, "Journal Article; Published Erratum", "402")
            + record(3, title, "Journal Article; Comment", "560-561") + "</records></xml>\n")
    kinds = [r["type"] for r in read_records(_write(tmp_path, "library.xml", text)).records]
    assert kinds == ["Journal Article", "Journal Article; Published Erratum", "Journal Article; Comment"]


def test_endnote_xml_names_an_ebscohost_database_as_the_ris_reader_does(tmp_path):
    """A record EBSCOhost sent to EndNote keeps the database's code as its Name of Database ('rzh', 'psyh') and
    'EBSCOhost' as its provider: the records list and the PRISMA counts showed 'rzh', where the same search's RIS
    export is counted under 'CINAHL'."""
    style = '<style face="normal" font="default" size="100%">{}</style>'.format

    def record(number, title, code):
        link = style(f"https://search.ebscohost.com/login.aspx?direct=true&amp;db={code}&amp;AN=135792468")
        return (f'<record><rec-number>{number}</rec-number><ref-type name="Journal Article">17</ref-type>'
                f'<titles><title>{style(title)}</title></titles><dates><year>{style("2022")}</year></dates>'
                f'<accession-num>{style("135792468")}</accession-num><urls><related-urls><url>{link}'
                f'</url></related-urls></urls><remote-database-name>{style(code)}</remote-database-name>'
                f'<remote-database-provider>{style("EBSCOhost")}</remote-database-provider></record>')

    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>' + record(1, "Nurse-led HIV testing", "rzh")
            + record(2, "Chemsex and mental health", "psyh") + "</records></xml>\n")
    assert [r["source_db"] for r in read_records(_write(tmp_path, "ebsco.xml", text)).records] == [
        "CINAHL", "APA PsycInfo"]


def test_endnote_xml_of_ebscohost_medline_keeps_the_pmid_its_accession_number_gives(tmp_path):
    """EBSCOhost's MEDLINE sent to EndNote: its Name of Database is the code 'mdc' (or 'cmedm'), its provider
    'EBSCOhost', and its accession number the PMID. Read without it, the record was not matched by PMID with
    its copy from PubMed. A CINAHL accession number is not a PMID."""
    style = '<style face="normal" font="default" size="100%">{}</style>'.format

    def record(number, title, code, accession):
        link = style(f"https://search.ebscohost.com/login.aspx?direct=true&amp;db={code}&amp;AN={accession}")
        return (f'<record><rec-number>{number}</rec-number><ref-type name="Journal Article">17</ref-type>'
                f'<titles><title>{style(title)}</title></titles><dates><year>{style("2020")}</year></dates>'
                f'<accession-num>{style(accession)}</accession-num><urls><related-urls><url>{link}'
                f'</url></related-urls></urls><remote-database-name>{style(code)}</remote-database-name>'
                f'<remote-database-provider>{style("EBSCOhost")}</remote-database-provider></record>')

    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + record(1, "Hearing problems among members of the defence forces", "mdc", "32412345")
            + record(2, "Noise exposure of nurses in intensive care", "cmedm", "30998877")
            + record(3, "Hearing loss among firefighters", "rzh", "14788001") + "</records></xml>\n")
    recs = read_records(_write(tmp_path, "ebsco.xml", text)).records
    assert [(r["pmid"], r["source_db"]) for r in recs] == [
        ("32412345", "MEDLINE"), ("30998877", "MEDLINE"), (None, "CINAHL")]


def test_endnote_xml_names_records_that_name_no_database_as_the_ris_reader_does(tmp_path):
    """An EndNote library built from several searches, exported as XML: a Web of Science record (its accession
    number 'WOS:...', no Name of Database) and a Cochrane Library one (only its link) were counted in PRISMA under
    the file's name, all of them as one database; the RIS reader names them 'Web of Science' and 'Cochrane
    CENTRAL'. A record that gives nothing to go by is still named after the file."""
    style = '<style face="normal" font="default" size="100%">{}</style>'.format

    def record(number, title, inside):
        return (f'<record><rec-number>{number}</rec-number><ref-type name="Journal Article">17</ref-type>'
                f'<titles><title>{style(title)}</title></titles><dates><year>{style("2020")}</year></dates>'
                f'{inside}</record>')

    link = style("https://www.cochranelibrary.com/central/doi/10.1002/central/CN-02070010/full")
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + record(1, "Syndemics among men who have sex with men",
                     f'<accession-num>{style("WOS:000600000000001")}</accession-num>')
            + record(2, "Peer navigation for HIV care: a randomized trial",
                     f"<urls><related-urls><url>{link}</url></related-urls></urls>")
            + record(3, "Chemsex and mental health", "") + "</records></xml>\n")
    recs = read_records(_write(tmp_path, "library.xml", text)).records
    assert [r["source_db"] for r in recs] == ["Web of Science", "Cochrane CENTRAL", "library"]


def test_endnote_xml_of_a_proquest_record_keeps_its_document_id_out_of_the_pmid(tmp_path):
    """ProQuest sent to EndNote: the accession number is ProQuest's own document id (the one in its link), the Name
    of Database every database the record is in ('MEDLINE®; ProQuest Central'). An id of 8 digits or fewer was read
    as the PMID, which could join the record with a different study in de-duplication."""
    style = '<style face="normal" font="default" size="100%">{}</style>'.format
    link = style("https://search.proquest.com/docview/67345678?accountid=14630")
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><rec-number>1</rec-number>'
            '<ref-type name="Journal Article">17</ref-type><titles><title>'
            + style("Syndemics among men who have sex with men") + '</title></titles><dates><year>'
            + style("1995") + '</year></dates><accession-num>' + style("67345678") + '</accession-num><urls>'
            '<related-urls><url>' + link + '</url></related-urls></urls><remote-database-name>'
            + style("MEDLINE®; ProQuest Central") + '</remote-database-name><remote-database-provider>'
            + style("ProQuest") + '</remote-database-provider></record></records></xml>\n')
    (rec,) = read_records(_write(tmp_path, "proquest.xml", text)).records
    assert rec["pmid"] is None


def test_endnote_xml_reference_type_given_by_its_number_alone_is_named(tmp_path):
    """Papers and other programs write EndNote XML's reference type as its number alone ('<ref-type>5</ref-type>',
    no name): a book chapter came in typed '5' and a thesis '32', so de-duplication could not tell a chapter from
    its book nor a thesis from the paper made of it. The number is read as EndNote's name for it now."""
    def record(number, kind, title):
        return ('<record><source-app name="Papers" version="1.9.3">Papers</source-app>'
                f'<rec-number>{number}</rec-number>'
                f'<ref-type>{kind}</ref-type><titles><title>{title}</title></titles>'
                '<dates><year>2019</year></dates></record>')

    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>' + record(1, 17, "A trial of peer support")
            + record(2, 5, "Peer support in prisons") + record(3, 6, "Prison health") + record(4, 32, "Peer support")
            + record(5, 99, "An unknown kind") + "</records></xml>\n")
    kinds = [r["type"] for r in read_records(_write(tmp_path, "papers.xml", text)).records]
    assert kinds == ["Journal Article", "Book Section", "Book", "Thesis", "99"]


def test_endnote_xml_central_register_entry_is_a_trial_registry_record(tmp_path):
    """CENTRAL's copy of a ClinicalTrials.gov entry, kept in EndNote and exported as XML, came in with the trial id as
    its author and the register's page as its journal (the same entry's RIS reads as a trial registry record, its
    trial id its id, which de-duplication joins a trial's register entries by). It reads as the RIS does now; Ovid's
    scientific title, in the secondary title there, opens the abstract. An article keeps its author and journal."""
    from screener.io.tabular import REGISTRY_RECORD

    def record(number, author, title, secondary, abbreviation=""):
        return (f'<record><rec-number>{number}</rec-number><ref-type name="Journal Article">17</ref-type>'
                f'<contributors><authors><author>{author}</author></authors></contributors>'
                f'<titles><title>{title}</title><secondary-title>{secondary}</secondary-title></titles>'
                f'<periodical><full-title>{secondary}</full-title>{abbreviation}</periodical>'
                '<dates><year>2020</year></dates><abstract>Social anxiety and condomless sex.</abstract>'
                '<accession-num>CN-02103847</accession-num></record>')

    link = "https://clinicaltrials.gov/show/NCT04381559"
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + record(1, "NCT04381559", "Sexual Confidence", link)
            + record(2, "NCT04381559", "Sexual Confidence", "Integrating CBT With HIV Risk Reduction Counselling",
                     f"<abbr-1>{link}</abbr-1>")
            + record(3, "Hart, Trevor A", "Sexual Confidence: the trial's results", "AIDS and Behavior")
            + "</records></xml>\n")
    a, b, c = read_records(_write(tmp_path, "library.xml", text)).records
    for r in (a, b):
        assert (r["type"], r["source_id"], r["authors"], r["journal"]) == (REGISTRY_RECORD, "NCT04381559", [], None)
    assert a["abstract"] == "Social anxiety and condomless sex."
    assert b["abstract"] == ("Scientific title: Integrating CBT With HIV Risk Reduction Counselling\n"
                             "Social anxiety and condomless sex.")
    assert (c["type"], c["authors"], c["journal"]) == ("Journal Article", ["Hart, Trevor A"], "AIDS and Behavior")


def test_endnote_xml_edited_book_and_other_types_by_number_alone_are_named(tmp_path):
    """An edited book (28), an electronic book (44) and its section (60), a newspaper article (23), an unpublished
    work (34), a grant (54) and a dataset (59) written by their numbers alone came in typed '28', '60', ..., so
    de-duplication could not tell an edited book from its opening chapter, nor a dataset or a news item from the
    article it is about. They are read by EndNote's names for them now."""
    def record(number, kind):
        return (f'<record><rec-number>{number}</rec-number><ref-type>{kind}</ref-type>'
                f'<titles><title>Peer support, {number}</title></titles><dates><year>2019</year></dates></record>')

    numbers = [28, 44, 60, 23, 34, 54, 59]
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
            + "".join(record(i, n) for i, n in enumerate(numbers, 1)) + "</records></xml>\n")
    kinds = [r["type"] for r in read_records(_write(tmp_path, "papers.xml", text)).records]
    assert kinds == ["Edited Book", "Electronic Book", "Electronic Book Section", "Newspaper Article",
                     "Unpublished Work", "Grant", "Dataset"]


def test_endnote_xml_article_by_its_trial_number_in_a_journal_named_only_as_secondary_title_stays_an_article(
        tmp_path):
    """EndNote's journal is the secondary title; a file may give no periodical beside it. A protocol in 'Trials' whose
    group author is its trial's number alone came in as a register entry (no journal, 'Scientific title: Trials'
    opening its abstract, its id the trial's, which de-duplication joins the trial's register entries by). Only a
    record that names the register, or has no journal, is read so; as in RIS, an article keeps its journal."""
    text = ('<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><rec-number>1</rec-number>'
            '<ref-type name="Journal Article">17</ref-type>'
            '<contributors><authors><author>NCT01234567</author></authors></contributors>'
            '<titles><title>Peer support after release: protocol</title><secondary-title>Trials</secondary-title>'
            '</titles><volume>21</volume><pages>100</pages><dates><year>2020</year></dates>'
            '<abstract>Protocol.</abstract></record></records></xml>\n')
    (rec,) = read_records(_write(tmp_path, "library.xml", text)).records
    assert (rec["type"], rec["journal"], rec["abstract"]) == ("Journal Article", "Trials", "Protocol.")
