from __future__ import annotations

import json

import pandas as pd
import pytest
from io_samples import ENDNOTE_RIS, OVID_RIS, SCOPUS_RIS

from screener.errors import InputError
from screener.io import read_records
from screener.records import FIELDS


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_ovid_export_fields_and_lines(tmp_path):
    res = read_records(_write(tmp_path, "medline.ris", OVID_RIS))
    assert res.format == "ris"
    assert len(res.records) == 2
    a, b = res.records
    assert set(a) == set(FIELDS)
    assert a["title"] == "Syndemic theory and HIV."
    assert a["abstract"] == "PURPOSE: a review."
    assert a["authors"] == ["Godley, Bria A", "Adimora, Adaora A"]
    assert a["year"] == 2020
    assert a["journal"] == "Current opinion in HIV and AIDS"
    assert a["doi"] == "10.1097/coh.0000000000000634"
    assert a["pmid"] == "32487818"  # Ovid MEDLINE's ID is the PMID
    assert a["source_db"] == "Ovid MEDLINE"
    assert a["source_line"] == 2 and b["source_line"] == 19
    assert a["source_file"] == "medline.ris"
    assert a["raw"]["NL"] == "Curr Opin HIV AIDS"  # written after ER by Ovid, kept with its record
    assert b["pmid"] is None  # a PsycInfo accession number is not a PMID
    assert b["source_db"] == "APA PsycInfo (Ovid)"
    assert b["source_id"] == "2020-32669-001"
    assert res.labels == [None, None]
    json.dumps(res.records)  # raw stays JSON-serialisable


def test_endnote_export_continuations_and_empty_record(tmp_path):
    res = read_records(_write(tmp_path, "lib.ris", ENDNOTE_RIS))
    a, b = res.records
    assert a["abstract"] == "First line of the abstract continues here."
    assert a["keywords"] == ["Adolescence", "Complex trauma", "Mental health"]
    assert a["raw"]["UR"] == [
        "http://www.scopus.com/inward/record.url?eid=2-s2.0-1",
        "http://psycnet.apa.org/index.cfm?uid=2015-40289-001",
    ]
    assert a["raw"]["CT"] == "unknown tag continued unknown tag"
    assert a["pmid"] == "25657356"  # AN with DP NLM (EndNote's PubMed import)
    assert a["source_db"] == "PubMed"
    assert a["year"] == 2015 and a["journal"] == "The British journal of psychiatry"
    assert a["source_id"] == "35"
    # a record with no title, abstract or DOI is kept, with a warning naming its line
    assert b["title"] == "" and b["abstract"] is None  # "", never None: a NULL title reads back as NaN
    assert b["source_line"] == 24 and b["type"] == "CHAP"
    assert any("no title, no abstract and no DOI" in w and "24" in w for w in res.warnings)


def test_scopus_pmid_in_c2_and_reference_dois_ignored(tmp_path):
    res = read_records(_write(tmp_path, "scopus.ris", SCOPUS_RIS), source_db="Scopus (June 2020)")
    (r,) = res.records
    assert r["pmid"] == "32160759"
    assert r["doi"] == "10.1080/09540121.2020.1739218"
    assert r["source_db"] == "Scopus (June 2020)"  # the argument wins over the DB tag
    assert r["authors"] == ["Nöstlinger, C."]


def test_doi_only_in_url(tmp_path):
    text = (
        "TY  - JOUR\nTI  - X\nUR  - http://sfx.example.org/x?sid=OVID&id=doi:10.1016%2Fj.jad.2013.01.026&issn=1\n"
        "UR  - http://www.ncbi.nlm.nih.gov/pubmed/23688093\nER  - \n"
    )
    (r,) = read_records(_write(tmp_path, "x.ris", text)).records
    assert r["doi"] == "10.1016/j.jad.2013.01.026"
    assert r["pmid"] == "23688093"
    assert r["source_db"] == "x"  # no DB/DP tag: the file's name


def test_single_space_tags_and_crlf(tmp_path):
    text = "TY - JOUR\r\nTI - Title here\r\nAB - Abstract\r\nER - \r\n"
    res = read_records(_write(tmp_path, "x.txt", text), fmt="ris")
    assert [r["title"] for r in res.records] == ["Title here"]
    assert res.records[0]["abstract"] == "Abstract"


def test_ab_and_n2_keep_the_longer_abstract(tmp_path):
    text = "TY  - JOUR\nTI  - T\nAB  - short\nN2  - a much longer abstract text\nER  - \n"
    (r,) = read_records(_write(tmp_path, "x.ris", text)).records
    assert r["abstract"] == "a much longer abstract text"


def test_truncated_last_record(tmp_path):
    text = "TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\nAB  - cut off"
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "cut.ris", text))
    msg = str(e.value)
    assert "cut.ris" in msg and "line 5" in msg and "ER" in msg


def test_missing_er_between_records(tmp_path):
    text = "TY  - JOUR\nTI  - A\n\nTY  - JOUR\nTI  - B\nER  - \n"
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "x.ris", text))
    assert "line 4" in str(e.value) and "line 1" in str(e.value)


def test_record_without_ty(tmp_path):
    text = "TY  - JOUR\nTI  - A\nER  - \n\nTI  - B\nAU  - X\nER  - \n"
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "x.ris", text))
    assert "line 5" in str(e.value) and "TY" in str(e.value)


def test_record_without_ty_at_file_start(tmp_path):
    text = "TI  - B\nAU  - X\n\nTY  - JOUR\nTI  - A\nER  - \n"
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "x.ris", text))
    assert "line 1" in str(e.value)


def test_html_saved_as_ris(tmp_path):
    p = _write(tmp_path, "search.ris", "<!DOCTYPE html>\n<html><head><title>Login</title></head><body/></html>")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "web page" in str(e.value) and "search.ris" in str(e.value)


def test_random_text_as_ris(tmp_path):
    p = _write(tmp_path, "notes.ris", "My search notes\nsyndemic AND msm\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "not an RIS file" in str(e.value)


def test_csv_claimed_as_ris(tmp_path):
    p = _write(tmp_path, "t.csv", "title,abstract\na,b\n")
    with pytest.raises(InputError) as e:
        read_records(p, fmt="ris")
    assert "not an RIS file" in str(e.value) and "table" in str(e.value)


def test_ris_claimed_as_csv(tmp_path):
    p = _write(tmp_path, "t.ris", SCOPUS_RIS)
    with pytest.raises(InputError) as e:
        read_records(p, fmt="csv")
    assert "RIS" in str(e.value)


def test_decision_notes_become_labels(tmp_path):
    text = (
        "TY  - JOUR\nTI  - A\nN1  - Screening decision (screener): include\nER  - \n"
        "TY  - JOUR\nTI  - B\nN1  - Screening decision (screener): exclude\nER  - \n"
        "TY  - JOUR\nTI  - C\nN1  - unrelated note\nER  - \n"
    )
    res = read_records(_write(tmp_path, "x.ris", text))
    assert res.labels == ["include", "exclude", None]


def test_values_with_no_space_after_the_dash_are_read_whole(tmp_path):
    """'TI  -Title': the first character of every value was cut off (the year and DOI lost)."""
    text = ("TY  -JOUR\nTI  -Effect of aspirin on stroke\nAU  -Smith, John\nPY  -2019\nAB  -Background text.\n"
            "DO  -10.1000/abc123\nER  -\n")
    (r,) = read_records(_write(tmp_path, "nospace.ris", text)).records
    assert (r["title"], r["authors"], r["year"], r["abstract"], r["doi"]) == (
        "Effect of aspirin on stroke", ["Smith, John"], 2019, "Background text.", "10.1000/abc123")


def test_an_abstract_in_several_ab_lines_is_kept_whole(tmp_path):
    """Repeated AB lines are parts of one abstract (only the longest was kept); AB and N2 are
    copies of it, and the longer of those is kept."""
    text = ("TY  - JOUR\nTI  - Main title\nAB  - First abstract part.\nAB  - Second abstract part.\nER  - \n\n"
            "TY  - JOUR\nTI  - Other\nAB  - Short.\nN2  - The same abstract, longer.\nER  - \n")
    a, b = read_records(_write(tmp_path, "parts.ris", text)).records
    assert a["abstract"] == "First abstract part. Second abstract part."
    assert b["abstract"] == "The same abstract, longer."


def test_an_ovid_txt_export_with_the_search_history_on_top_is_read_as_ris(tmp_path):
    """Ovid puts the search history (often dozens of numbered lines) above the records: the file
    was read as a CSV and refused with advice about commas."""
    history = "".join(f"{i}     exp Peer Group/ or (peer adj3 work*).tw,kf. ({100 * i} results)\n" for i in range(1, 41))
    res = read_records(_write(tmp_path, "ovid_export.txt", "Database: Ovid MEDLINE(R)\nSearch Strategy:\n"
                              "--------------------------------------------------------------------------------\n"
                              + history + "\n" + OVID_RIS))
    assert res.format == "ris"
    assert len(res.records) == len(read_records(_write(tmp_path, "ovid.ris", OVID_RIS)).records) > 0


def test_two_records_that_lost_their_er_and_ty_lines_are_not_read_as_one(tmp_path):
    """A hand-edited or pasted-together export: the first record's ER line and the second's TY line
    gone. The two studies were read as one record: the second's title dropped, its abstract joined
    to the first's, its year lost; one study never screened, nothing said."""
    text = ("TY  - JOUR\nTI  - First study of peer workers\nAU  - Smith, J\nPY  - 2019\nAB  - Abstract one.\n\n"
            "TI  - Second study on naloxone\nAU  - Doe, K\nPY  - 2020\nAB  - Abstract two.\nER  - \n")
    path = _write(tmp_path, "pasted.ris", text)
    with pytest.raises(InputError, match="second title, after its abstract") as err:
        read_records(path)
    assert "line 7" in str(err.value) and "First study of peer workers" in str(err.value)
    # a second title before the abstract (a translation) is the record's own, as before
    before = ("TY  - JOUR\nTI  - Peer workers in harm reduction\nTI  - Pairs aidants en reduction des risques\n"
              "AB  - Abstract.\nER  - \n")
    assert read_records(_write(tmp_path, "two_titles.ris", before)).records[0]["title"] == \
        "Peer workers in harm reduction"


def test_cochrane_library_central_link_is_not_the_study_doi(tmp_path):
    # The Cochrane Library writes each CENTRAL record's page as its link; the "10.1002/central/CN-..."
    # in it names the CENTRAL entry, not the article. Read as the DOI, the record never matched its
    # MEDLINE copy (records with different DOIs are different studies).
    text = ("TY  - JOUR\nID  - CN-01234567\nAU  - Smith, John\nTI  - Exercise for knee pain: a randomised trial\n"
            "JO  - Trials\nPY  - 2019\nVL  - 20\nSP  - 100\nAB  - We randomised 100 people.\n"
            "UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01234567/full\nER  - \n\n"
            "TY  - JOUR\nID  - CN-07654321\nTI  - Yoga for back pain\nPY  - 2020\nDO  - 10.1186/s13063-020-0001-2\n"
            "UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-07654321/full\nER  - \n")
    a, b = read_records(_write(tmp_path, "central.ris", text)).records
    assert a["doi"] is None and a["source_id"] == "CN-01234567"
    assert b["doi"] == "10.1186/s13063-020-0001-2"  # the article's own DOI, given in DO, stays


def test_markup_and_character_entities_written_by_databases_are_read_as_text(tmp_path):
    # Scopus writes sub- and superscripts as tags ('CO<inf>2</inf>') and escapes '<' in abstracts
    # ('p &lt;.001'); Crossref-fed exports write '<i>' and '&amp;'. A reviewer read the tags and
    # codes, and the same title from PubMed (whose reader drops them) read differently.
    text = ("TY  - JOUR\nAU  - M&#252;ller, K.\nTI  - Effect of CO<inf>2</inf> on <i>Escherichia coli</i> growth &amp; "
            "<mml:math><mml:msup><mml:mi>Ca</mml:mi><mml:mn>2+</mml:mn></mml:msup></mml:math> uptake\n"
            "T2  - Journal of Food Science &amp; Technology\nPY  - 2020\n"
            "AB  - Growth fell (p &lt;.001) when CO2 &gt; 5% &amp; pH < 6; R&D costs & 3 <b> were kept.\n"
            "DB  - Scopus\nER  - \n")
    rec = read_records(_write(tmp_path, "scopus.ris", text)).records[0]
    assert rec["title"] == "Effect of CO2 on Escherichia coli growth & Ca2+ uptake"
    assert rec["journal"] == "Journal of Food Science & Technology"
    assert rec["abstract"] == "Growth fell (p <.001) when CO2 > 5% & pH < 6; R&D costs & 3 <b> were kept."
    assert rec["authors"] == ["Müller, K."]
    assert rec["raw"]["TI"].startswith("Effect of CO<inf>2</inf>")  # the export as written stays in raw


def test_a_record_in_press_takes_its_year_from_the_date_fields(tmp_path):
    """Databases write 'in press' or 'Epub ahead of print' in PY for an article online first and
    the year in Y1 or DA: the year was lost (None), so the records list showed none and
    de-duplication could not compare years with the article's PubMed copy."""
    text = ("TY  - JOUR\nTI  - Resilience after trauma in adolescents: a cohort study\nAU  - Smith, John\n"
            "PY  - in press\nY1  - 2021///\nDA  - 2021/03/01\nJO  - J Trauma Stress\nAB  - We followed 300 teenagers.\n"
            "ER  - \n\n"
            "TY  - JOUR\nTI  - Resilience in veterans\nAU  - Doe, Jane\nPY  - Epub ahead of print\nDA  - 2019\n"
            "AB  - We followed 120 veterans.\nER  - \n\n"
            "TY  - JOUR\nTI  - Resilience in nurses\nPY  - Forthcoming\nAB  - No year anywhere.\nER  - \n")
    a, b, c = read_records(_write(tmp_path, "in_press.ris", text)).records
    assert (a["year"], b["year"], c["year"]) == (2021, 2019, None)
    assert a["raw"]["PY"] == "in press"  # what the database wrote stays in raw


CINAHL_RIS = """\
TY  - JOUR
ID  - 147887838
T1  - Hearing problems among members of the defence forces in relation to personal and occupational risk factors
AU  - Luha, Assar
Y1  - 2020/11//Nov/Dec2020
N1  - Accession Number: 147887838. Language: English. Entry Date: 20210107. Revision Date: 20210107. Publication \
Type: journal article; research. Journal Subset: Biomedical; Peer Reviewed; USA. NLM UID: 2984771R. PMID: NLM32412345.
JO  - Military Medicine
N2  - Hearing problems are common among soldiers.
DB  - CINAHL Plus with Full Text
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=rzh&AN=147887838&site=ehost-live
ER  - 

TY  - JOUR
ID  - 147880001
T1  - Noise exposure of nurses in intensive care
Y1  - 2020/10//
N1  - Accession Number: 147880001. Language: English. Entry Date: In Process. Publication Type: journal article. \
NLM UID: 9815443.
DB  - CINAHL Plus with Full Text
DP  - EBSCOhost
ER  - 
"""

EMBASE_RIS = """\
TY  - JOUR
T1  - Hearing problems among members of the defence forces in relation to personal and occupational risk factors
A1  - Luha A.
Y1  - 2020//
N2  - Hearing problems are common among soldiers.
JF  - Military Medicine
M3  - Article
DB  - Embase
DB  - Medline
U2  - L2005412345
C5  - 32412345
DO  - 10.1093/milmed/usaa123
ER  - 

TY  - JOUR
ID  - 1234567
T1  - Noise exposure of nurses: a conference abstract
Y1  - 2021//
M3  - Conference Abstract
DB  - Embase
U2  - L635123456
ER  - 
"""


def test_cinahl_and_embase_give_the_pmid_where_they_write_it(tmp_path):
    """CINAHL (EBSCOhost) writes the PubMed id as 'PMID: NLM32412345.' in its N1 note, Embase.com
    in C5: the records came in without a PMID, so the same study from a PubMed export was not
    matched by PMID. The journal's 'NLM UID' and Embase's own numbers are not PMIDs."""
    cinahl, cinahl_no = read_records(_write(tmp_path, "cinahl.ris", CINAHL_RIS)).records
    assert cinahl["pmid"] == "32412345" and cinahl["source_id"] == "147887838"
    assert cinahl_no["pmid"] is None  # 'NLM UID: 9815443.' names the journal
    embase, embase_no = read_records(_write(tmp_path, "embase.ris", EMBASE_RIS)).records
    assert embase["pmid"] == "32412345"
    assert embase_no["pmid"] is None  # an Embase record's ID is its own number


#: EBSCOhost's RIS of its MEDLINE (classic interface): the database by its code, the PMID as the accession number
EBSCO_MEDLINE_RIS = """\
TY  - JOUR
AU  - Luha, Assar
AU  - Kaart, Tanel
T1  - Hearing problems among members of the defence forces in relation to personal and occupational risk factors
JO  - Military Medicine
JF  - Military Medicine
Y1  - 2020/11//Nov/Dec2020
VL  - 185
IS  - 11-12
SP  - e2115
EP  - e2122
N1  - Accession Number: 32412345. Language: English. Date Revised: 20210107. Date Created: 20200518. Publication \
Type: Journal Article. Journal Info: Country of Publication: England NLM ID: 2984771R Subsets: MEDLINE
N2  - Hearing problems are common among soldiers.
AN  - 32412345
DB  - mdc
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=mdc&AN=32412345&site=ehost-live
ER  - 

TY  - JOUR
AU  - Kim, Jiwon
T1  - Noise exposure of nurses in intensive care
JO  - Noise & Health
Y1  - 2019/05//
AN  - 30998877
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=cmedm&AN=30998877&site=ehost-live
ER  - 

TY  - JOUR
T1  - Hearing loss among firefighters
Y1  - 2021//
AN  - 14788001
DB  - rzh
DP  - EBSCOhost
ER  - 
"""


def test_ebscohost_medline_gives_its_accession_number_as_the_pmid(tmp_path):
    """EBSCOhost's MEDLINE writes the PMID as the record's accession number (AN), and names the database by its code
    ('DB  - mdc', or only in the link: '&db=cmedm'): the records came in without a PMID, so de-duplication could not
    match them by PMID with the same studies from a PubMed export. A CINAHL accession number is no PMID."""
    mdc, cmedm, cinahl = read_records(_write(tmp_path, "ebsco-medline.ris", EBSCO_MEDLINE_RIS)).records
    assert (mdc["pmid"], mdc["source_db"]) == ("32412345", "MEDLINE")
    assert (cmedm["pmid"], cmedm["source_db"]) == ("30998877", "MEDLINE")
    assert (cinahl["pmid"], cinahl["source_db"], cinahl["source_id"]) == (None, "CINAHL", "14788001")



def test_ebscohost_medline_ultimate_is_counted_as_medline(tmp_path):
    """EBSCOhost's 'MEDLINE Ultimate' (2023) is its MEDLINE, as 'MEDLINE Complete' is: the PRISMA counts gave it as
    a database of its own beside 'MEDLINE' from the same platform's older exports."""
    text = EBSCO_MEDLINE_RIS.split("ER  - ")[0].replace("DB  - mdc", "DB  - MEDLINE Ultimate") + "ER  - \n"
    (rec,) = read_records(_write(tmp_path, "ebsco-medline.ris", text)).records
    assert (rec["source_db"], rec["pmid"]) == ("MEDLINE", "32412345")


def test_a_reference_managers_record_number_is_not_read_as_the_pmid(tmp_path):
    """EndNote's RIS writes its own record number in ID ('ID  - 57'). For a MEDLINE record with no numeric accession
    number (one from Web of Science's MEDLINE, 'AN  - MEDLINE:33412345'; one from EBSCOhost's, 'DB  - mdc', without
    its AN) that number was read as the PMID, so de-duplication joined two different studies whose record numbers
    were two studies' PMIDs. Only Ovid writes the PMID in ID, and its records link to Ovid."""
    text = ("TY  - JOUR\nAU  - Smith, John\nTI  - Sleep and stress in night-shift nurses\nPY  - 2021\n"
            "AN  - MEDLINE:33412345\nDB  - MEDLINE\nDP  - Clarivate Analytics Web of Science\nID  - 57\nER  - \n\n"
            "TY  - JOUR\nAU  - Doe, Kate\nTI  - Burnout in intensive care\nPY  - 2020\nDB  - mdc\n"
            "DP  - EBSCOhost\nID  - 58\nER  - \n\n"
            "TY  - JOUR\nID  - 32487818\nT1  - Syndemic theory, structural violence and HIV\nY1  - 2020//\n"
            "L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medp&NEWS=N&AN=32487818\nER  - \n")
    wos, ebsco, ovid = read_records(_write(tmp_path, "My EndNote Library.ris", text)).records
    assert (wos["pmid"], wos["source_id"]) == (None, "57")
    assert (ebsco["pmid"], ebsco["source_db"]) == (None, "MEDLINE")
    assert (ovid["pmid"], ovid["source_db"]) == ("32487818", "Ovid MEDLINE")


def test_a_proquest_document_id_is_not_read_as_the_pmid(tmp_path):
    """ProQuest writes its own document id as the accession number ('AN  - 67345678', the id in its link) and the
    databases the record is in as DB ('DB  - MEDLINE®; ProQuest Central'): an id of 8 digits or fewer was read as
    the PMID, which could join the record with a different study in de-duplication."""
    text = ("TY  - JOUR\nT1  - Syndemics among men who have sex with men\nAN  - 67345678\nY1  - 1995//\n"
            "UR  - https://search.proquest.com/docview/67345678?accountid=14630\nDB  - MEDLINE®; ProQuest Central\n"
            "ER  - \n")
    (rec,) = read_records(_write(tmp_path, "proquest.ris", text)).records
    assert (rec["pmid"], rec["source_id"]) == (None, "67345678")

def test_a_pmid_in_a_reference_or_twice_in_notes_is_not_taken(tmp_path):
    """Only a PMID the note gives as the record's own: Scopus writes the references in N1, each
    with its 'PMID: ...'; two different PMIDs in EBSCOhost notes leave it open which is right."""
    text = ("TY  - JOUR\nTI  - Syndemics among men who have sex with men\nPY  - 2020\n"
            "N1  - References: Murphy, E.L., Highly active antiretroviral therapy (2001) Ann Intern Med, 135, "
            "pp. 17-26. , PMID: 11434728; Ogden, C.L., Prevalence of obesity (2014) JAMA. PMID: 24570244.\n"
            "DB  - Scopus\nER  - \n\n"
            "TY  - JOUR\nTI  - Noise in nursing homes\nPY  - 2020\n"
            "N1  - Accession Number: 1. Language: English. PMID: NLM30000001.\n"
            "N1  - Accession Number: 2. Language: English. PMID: NLM30000002.\nDB  - CINAHL\nER  - \n\n"
            "TY  - JOUR\nTI  - Noise in hospitals\nPY  - 2020\nN1  - NLM30000003\nER  - \n")
    scopus, two, bare = read_records(_write(tmp_path, "notes.ris", text)).records
    assert scopus["pmid"] is None and two["pmid"] is None
    assert bare["pmid"] == "30000003"  # a note that is a labelled PMID alone


#: Scopus's erratum under the article's own title (its own DOI and page, no PMID), and the article's copy ahead of
#: print from Ovid MEDLINE (no volume, pages or DOI), as the two databases write them
SCOPUS_ERRATUM_RIS = """\
TY  - JOUR
TI  - Number of psychosocial strengths predicts reduced HIV sexual risk behaviors above and beyond syndemic \
problems among gay and bisexual men
T2  - AIDS and Behavior
J2  - AIDS Behav.
VL  - 22
IS  - 7
SP  - 2380
PY  - 2018
DO  - 10.1007/s10461-018-2154-x
AU  - Hart, T.A.
AU  - Noor, S.W.
AB  - The original version of this article unfortunately contained a mistake. In the section "Data Collection \
Procedure", the last sentence was incorrect.
KW  - erratum
N1  - Export Date: 4 June 2020
M3  - Erratum
DB  - Scopus
LA  - English
ER  - 

TY  - JOUR
TI  - Drug use and depression among PrEP users
T2  - AIDS Care
PY  - 2020
AU  - Nöstlinger, C.
M3  - Article
DB  - Scopus
ER  - 
"""

OVID_AHEAD_OF_PRINT_RIS = """\
TY  - JOUR
DB  - Ovid MEDLINE(R) Epub Ahead of Print
AN  - 29516340
T1  - Number of psychosocial strengths predicts reduced HIV sexual risk behaviors above and beyond syndemic \
problems among gay and bisexual men
A1  - Hart, Trevor A
A1  - Noor, Syed W
Y1  - 2018//
N2  - Syndemic problems are associated with increased HIV sexual risk behaviors among gay and bisexual men.
JF  - AIDS & Behavior
UR  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medp&NEWS=N&AN=29516340
ER  - 
"""


def test_a_scopus_erratum_under_the_articles_title_stays_apart_from_the_article(tmp_path):
    """Scopus's RIS gives the document type in M3 ('M3  - Erratum'), and only TY ('JOUR') was kept as the record's
    type: its erratum under the article's own title was joined with the article's copy ahead of print, one record
    short in the PRISMA count and the article hidden behind the erratum. M3 is read as the type only where it names a
    notice: PsycInfo's classification, Embase's 'Conference Abstract' and Scopus's 'Article' leave TY the type."""
    from screener.dedup import find_duplicates

    erratum, article_scopus = read_records(_write(tmp_path, "scopus.ris", SCOPUS_ERRATUM_RIS)).records
    assert erratum["type"] == "Erratum" and erratum["raw"]["TY"] == "JOUR"
    assert article_scopus["type"] == "JOUR"
    [ahead] = read_records(_write(tmp_path, "medline.ris", OVID_AHEAD_OF_PRINT_RIS)).records
    df = pd.DataFrame([erratum, article_scopus, ahead], index=pd.Index([1, 2, 3], name="record_id"))
    assert find_duplicates(df)["group_id"].tolist() == [1, 2, 3]
    # M3 that is no document type, or not a notice's, leaves the type alone
    other = ("TY  - JOUR\nT1  - Syndemics and HIV\nM3  - Psychological & Physical Disorders [3200]\nER  - \n\n"
             "TY  - JOUR\nT1  - Noise exposure of nurses\nM3  - Conference Abstract\nDB  - Embase\nER  - \n\n"
             "TY  - JOUR\nT1  - Errata in HIV registries\nM3  - 10.1007/s10461-018-2154-x\nER  - \n\n"
             "TY  - JOUR\nT1  - A retracted trial\nM3  - Retracted\nDB  - Scopus\nER  - \n\n"
             "TY  - JOUR\nT1  - A notice from an EndNote library\nM3  - Published Erratum\nER  - \n")
    kinds = [r["type"] for r in read_records(_write(tmp_path, "other.ris", other)).records]
    assert kinds == ["JOUR", "JOUR", "JOUR", "JOUR", "Published Erratum"]


#: A Scopus export holding a paper (its "Article in Press" copy: no volume or pages yet) and the journal's editorial
#: comment on it, printed after the paper under the paper's own title with no author Scopus names
SCOPUS_COMMENT_RIS = """\
TY  - JOUR
TI  - Robot-assisted versus open radical cystectomy in patients with bladder cancer: perioperative outcomes of a \
multicentre randomised trial
T2  - Journal of Urology
J2  - J. Urol.
PY  - 2021
DO  - 10.1097/JU.0000000000001561
AU  - Catto, J.W.F.
AU  - Khetrapal, P.
AB  - Purpose: We compared perioperative outcomes of robot-assisted and open radical cystectomy in a randomised trial.
N1  - Export Date: 12 March 2021
M3  - Article
DB  - Scopus
ER  - 

TY  - JOUR
TI  - Robot-assisted versus open radical cystectomy in patients with bladder cancer: perioperative outcomes of a \
multicentre randomised trial
T2  - Journal of Urology
J2  - J. Urol.
VL  - 205
IS  - 4
SP  - 1102
PY  - 2021
AU  - [No author name available]
N1  - Export Date: 12 March 2021
M3  - {kind}
DB  - Scopus
ER  - 
"""


@pytest.mark.parametrize("kind", ["Letter", "Editorial", "Note"])
def test_a_scopus_letter_editorial_or_note_under_the_articles_title_stays_apart_from_the_article(tmp_path, kind):
    """Scopus's RIS gives a letter's, an editorial's or a note's document type in M3 under 'TY  - JOUR', and only TY
    was kept: the journal's editorial comment under the paper's own title was joined with the paper's copy in press,
    one record short in the PRISMA count and the paper hidden behind the comment. M3 is its type now."""
    from screener.dedup import find_duplicates

    paper, comment = read_records(_write(tmp_path, "scopus.ris", SCOPUS_COMMENT_RIS.format(kind=kind))).records
    assert paper["type"] == "JOUR" and comment["type"] == kind and comment["raw"]["TY"] == "JOUR"
    df = pd.DataFrame([paper, comment], index=pd.Index([1, 2], name="record_id"))
    assert find_duplicates(df)["group_id"].tolist() == [1, 2]


def test_scopus_ris_article_number_in_c7_is_the_pages_of_an_online_journals_paper(tmp_path):
    """Scopus's RIS writes an online journal's article number in C7 and no SP; PubMed and Ovid give the same
    paper's pages as that number (SP 100519), and Scopus's CSV and Web of Science are read so. Read without
    pages, the Scopus copy lacked what the duplicates review and de-duplication compare it on."""
    text = ("TY  - JOUR\nTI  - Informing theoretical development of salutogenic, asset-based health improvement\n"
            "T2  - SSM - Population Health\nJ2  - SSM Popul. Health\nVL  - 10\nPY  - 2020\n"
            "DO  - 10.1016/j.ssmph.2019.100519\nAU  - McDaid, L.M.\nAB  - Globally, gay, bisexual and other men.\n"
            "N1  - Export Date: 4 June 2020\nM3  - Article\nDB  - Scopus\nC7  - 100519\nLA  - English\nER  - \n\n"
            "TY  - JOUR\nTI  - Transhealth Information Project: A Peer-Led HIV Prevention Intervention\n"
            "T2  - Health Promotion International\nVL  - 35\nIS  - 2\nPY  - 2020\nAU  - Doe, J.\nM3  - Article\n"
            "DB  - Scopus\nC7  - hlz008\nER  - \n\n"
            "TY  - JOUR\nTI  - A paper with its pages\nT2  - AIDS Behav\nVL  - 23\nPY  - 2019\nSP  - 890\nEP  - 901\n"
            "AU  - Roe, R.\nDB  - Scopus\nC7  - 890\nER  - \n\n"
            "TY  - CHAP\nTI  - A book chapter\nT2  - A Book\nPY  - 2019\nAU  - Poe, P.\nC7  - 2nd edition\nER  - \n")
    a, b, c, d = read_records(_write(tmp_path, "scopus.ris", text)).records
    assert (a["pages"], a["start_page"]) == ("100519", "100519")
    assert b["pages"] == "hlz008"
    assert (c["pages"], c["start_page"]) == ("890-901", "890")
    assert (d["pages"], d["start_page"]) == (None, None)


def test_cochrane_library_ris_names_its_database_not_the_file(tmp_path):
    """The Cochrane Library's RIS export names no database (no DB line): its records were counted in PRISMA
    under the file's name, so a CENTRAL search exported in two parts ('citation-export.ris',
    'citation-export (1).ris') was two databases, and a name with 'citation' in it was counted as citation
    searching (other methods), not as a database. A record links to its page on cochranelibrary.com."""
    def record(cn, title, kind="central"):
        doi = f"10.1002/central/{cn}" if kind == "central" else "10.1002/14651858.CD012345.pub2"
        return (f"TY  - JOUR\nID  - {cn}\nAU  - Smith J\nTI  - {title}\nJO  - Trials\nPY  - 2020\nVL  - 21\n"
                f"AB  - Abstract.\nDO  - {doi}\n"
                f"UR  - https://www.cochranelibrary.com/{kind}/doi/{doi}/full\nER  - \n\n")

    central = read_records(_write(tmp_path, "citation-export.ris", record("CN-02123456", "A trial")
                                  + record("CN-02123457", "Another trial"))).records
    assert {r["source_db"] for r in central} == {"Cochrane CENTRAL"}
    (review,) = read_records(_write(tmp_path, "reviews.ris", record("CD012345", "A review", "cdsr"))).records
    assert review["source_db"] == "Cochrane Database of Systematic Reviews"
    (other,) = read_records(_write(tmp_path, "mine.ris", "TY  - JOUR\nTI  - Mine\nER  - \n")).records
    assert other["source_db"] == "mine"


#: EBSCOhost's RIS export (its classic interface): the database by its code in DB, or only in the record's link
EBSCO_RIS = """\
TY  - JOUR
DB  - rzh
AN  - 135792468
T1  - Syndemic conditions and condomless anal sex among men in Belgium.
AU  - Vermeulen, Pieter
AU  - Dubois, Anne
Y1  - 2022/11//
N1  - Accession Number: 135792468. Language: English. Entry Date: 20221115. NLM UID: 9304118. PMID: NLM36112233.
KW  - Syndemics
KW  - HIV Infections -- Risk Factors
SP  - 2890
EP  - 2901
JO  - Addiction
JF  - Addiction
JA  - ADDICTION
VL  - 117
IS  - 11
CY  - Oxford, United Kingdom
PB  - Wiley-Blackwell
SN  - 0965-2140
AD  - Ghent University, Ghent, Belgium
U2  - PMID: 36112233.
DO  - 10.1111/add.15990
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=rzh&AN=135792468&site=ehost-live
ER  - 

TY  - JOUR
DB  - psyh
AN  - 2022-98765-001
T1  - Chemsex and HIV testing among men in France.
AU  - Martin, Claire
Y1  - 2022///
SP  - 45
EP  - 52
JO  - AIDS Care
JF  - AIDS Care
VL  - 34
IS  - 1
DO  - 10.1080/09540121.2021.1900001
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=psyh&AN=2022-98765-001&site=ehost-live
ER  - 

TY  - JOUR
AN  - 155000111
T1  - Loneliness and sexual risk among older gay men.
AU  - Novak, Jiri
Y1  - 2021///
JO  - Journal of Homosexuality
DP  - EBSCOhost
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=a9h&AN=155000111&site=ehost-live
ER  - 

"""


def test_ebscohost_ris_names_its_databases_not_their_codes(tmp_path):
    """EBSCOhost's RIS writes the database by its code ('DB  - rzh', 'DB  - psyh') or only in the record's link
    ('...&db=a9h&AN=...', 'DP  - EBSCOhost'): the records list and the PRISMA counts per database showed 'rzh', 'psyh'
    and the platform 'EBSCOhost', and a CINAHL search exported again from EBSCO's newer interface ('DB  - CINAHL
    Complete') or PsycInfo under its older name ('PsycINFO') counted as a database of its own."""
    records = read_records(_write(tmp_path, "ebsco-export.ris", EBSCO_RIS)).records
    assert [r["source_db"] for r in records] == ["CINAHL", "APA PsycInfo", "Academic Search Complete"]
    again = EBSCO_RIS.replace("DB  - rzh", "DB  - CINAHL Complete").replace("DB  - psyh", "DB  - PsycINFO")
    assert [r["source_db"] for r in read_records(_write(tmp_path, "new.ris", again)).records] == [
        "CINAHL", "APA PsycInfo", "Academic Search Complete"]
    # a database EBSCOhost names in full, or another platform's DB line, is left as written
    other = EBSCO_RIS.split("ER  - ")[0].replace("DB  - rzh", "DB  - Business Source Complete") + "ER  - \n"
    assert read_records(_write(tmp_path, "bsc.ris", other)).records[0]["source_db"] == "Business Source Complete"
    proquest = "TY  - JOUR\nTI  - A study\nDB  - psyh\nER  - \n"
    assert read_records(_write(tmp_path, "pq.ris", proquest)).records[0]["source_db"] == "psyh"


def test_web_of_science_ris_names_its_database_not_the_file(tmp_path):
    """Web of Science's RIS export names no database (no DB line, no link): a search exported in parts (at
    most 1,000 records a file: 'savedrecs.ris', 'savedrecs(1).ris') counted in PRISMA as two databases,
    'savedrecs' and 'savedrecs(1)'. Its records carry their Web of Science accession number ('AN  - WOS:...')."""
    def record(n, title):
        return (f"TY  - JOUR\nAU  - Smith, J\nTI  - {title}\nT2  - TRIALS\nDA  - MAR 2020\nPY  - 2020\nVL  - 21\n"
                f"SP  - {n}\nEP  - {n + 5}\nAB  - Abstract.\nSN  - 1745-6215\nJ9  - TRIALS\nJI  - Trials\n"
                f"AN  - WOS:0009500000{n:05d}\nWE  - Science Citation Index Expanded (SCI-EXPANDED)\nER  - \n\n")

    first = read_records(_write(tmp_path, "savedrecs.ris", record(1, "A trial") + record(2, "Another"))).records
    second = read_records(_write(tmp_path, "savedrecs(1).ris", record(3, "A third"))).records
    assert {r["source_db"] for r in first + second} == {"Web of Science"}


def test_ovid_central_ris_one_author_line_holding_every_author_is_split(tmp_path):
    """Ovid's CENTRAL (Cochrane) RIS writes all the authors on one A1 line, 'Achterbergh RCA, van der Helm JJ,
    ...': read as one author named so, the record had one author, which the records list, the export and
    the duplicates review showed, beside its MEDLINE copy with four. A name with its degree ('Higa, Darrel H,
    PhD', ProQuest) or written 'Smith, J' stays one author."""
    text = ("1. \nTY  - JOUR\nID  - CN-01413174\nT1  - Design of a syndemic based intervention\n"
            "A1  - Achterbergh RCA, van der Helm JJ, van den Brink W, de Vries HJC\nY1  - 2017//\n"
            "JA  - BMC infectious diseases\nVL  - 17\nIS  - 1\nSP  - 398\n"
            "L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=cctr&NEWS=N&AN=CN-01413174\nER  - \n\n"
            "TY  - JOUR\nT1  - A ProQuest record\nAU  - Higa, Darrel H, PhD\nAU  - Crepaz, Nicole, PhD\n"
            "AU  - Smith, J\nPY  - 2020\nER  - \n")
    a, b = read_records(_write(tmp_path, "cochrane.ris", text)).records
    assert a["authors"] == ["Achterbergh RCA", "van der Helm JJ", "van den Brink W", "de Vries HJC"]
    assert b["authors"] == ["Higa, Darrel H, PhD", "Crepaz, Nicole, PhD", "Smith, J"]


def test_y2_is_never_read_as_the_year(tmp_path):
    """RIS's Y2 is a second date, not the year of publication: Zotero and Mendeley write the date the record was
    saved there ('Y2  - 2020/03/07/17:49:49'), EndNote the date a web page was read, the Cochrane Library a copy of
    Y1, and reference managers a month alone ('Y2  - Jan') or nothing ('Y2  - /'). Where PY, Y1 or DA give the year
    it is the year; where none does the year stays unknown, since an access date years after publication would
    keep apart two copies of one study and put a study in the wrong year of a PRISMA search update."""
    text = ("TY  - JOUR\nTI  - Saved in Zotero\nPY  - 2016\nY2  - 2020/03/07/17:49:49\nER  - \n\n"
            "TY  - JOUR\nTI  - Cochrane copy\nY1  - 2017//\nY2  - 2018//\nER  - \n\n"
            "TY  - JOUR\nTI  - Dated by DA\nDA  - 2015/06/01/\nY2  - 2019/12/01/\nER  - \n\n"
            "TY  - JOUR\nTI  - Access date only\nY2  - 2020/04/13/12:09:32\nER  - \n")
    res = read_records(_write(tmp_path, "zotero.ris", text))
    assert [r["year"] for r in res.records] == [2016, 2017, 2015, None]
    assert res.records[3]["raw"]["Y2"] == "2020/04/13/12:09:32"  # kept, as written


def test_ebscohost_ris_gives_the_doi_under_di_or_l3_and_it_is_read(tmp_path):
    """Some EBSCOhost databases write a record's DOI under 'DI' or as a bare 'L3' line instead of 'DO' (Zotero's
    EBSCOhost translator turns both into 'DO'): those records came in without a DOI, so the same article from
    another database was not matched by it. An 'L3' that is a link (EndNote's related records) gives no DOI."""
    text = ("TY  - JOUR\nT1  - Peer navigation after prison.\nJO  - Example Journal\nY1  - 1993///Winter93\n"
            "DI  - 10.1000/ej.1993.12\nDP  - EBSCOhost\nDB  - a9h\nER  - \n\n"
            "TY  - JOUR\nT1  - Housing first and recovery.\nJO  - Example Review\nY1  - 2014/11//\n"
            "L3  - 10.1000/er.2014.6\nDP  - EBSCOhost\nDB  - psyh\nER  - \n\n"
            "TY  - JOUR\nT1  - A record with a link in L3.\nY1  - 2015\nL3  - https://example.org/related/42\nER  - \n")
    first, second, third = read_records(_write(tmp_path, "ebsco.ris", text)).records
    assert (first["doi"], first["year"], first["source_db"]) == ("10.1000/ej.1993.12", 1993, "Academic Search Complete")
    assert (second["doi"], second["year"], second["source_db"]) == ("10.1000/er.2014.6", 2014, "APA PsycInfo")
    assert third["doi"] is None


def test_ebscohost_ris_with_a_subtitle_in_t2_gives_the_journal_from_j1(tmp_path):
    """EBSCOhost's RIS writes an article's subtitle ('alternative title') under T2 and the journal under JO, JF or
    J1; a record with J1 alone came in with its subtitle as the journal, so its copy from another database (same
    journal) was not matched. Elsewhere T2 is the journal (Scopus, EndNote) and stays so; J1, an abbreviation
    there, comes after it."""
    text = ("TY  - JOUR\nT1  - Ruts and peaks.\nT2  - Venice's biennial exhibition\nJ1  - Time\nPY  - 1952\n"
            "DP  - EBSCOhost\nDB  - air\nER  - \n\n"
            "TY  - JOUR\nT1  - Peer navigation after prison.\nT2  - a pilot trial\nJ1  - J Example Stud\n"
            "UR  - https://search.ebscohost.com/login.aspx?direct=true&db=a9h&AN=1&site=ehost-live\nER  - \n\n"
            "TY  - JOUR\nTI  - A Scopus-like record.\nT2  - Journal of Example Studies\nJ1  - J Example Stud\n"
            "ER  - \n\n"
            "TY  - JOUR\nTI  - Only a user abbreviation.\nJ1  - J Example Stud\nER  - \n")
    records = read_records(_write(tmp_path, "ebsco.ris", text)).records
    assert [r["journal"] for r in records] == ["Time", "J Example Stud", "Journal of Example Studies",
                                              "J Example Stud"]
    assert records[0]["raw"]["T2"] == "Venice's biennial exhibition"  # kept, as written



def test_an_author_label_after_a_name_is_not_part_of_the_name(tmp_path):
    """Some EBSCOhost databases write a role label after each author ('Smith, John (AUTHOR)'): it was kept in the
    name, so the same author's record from another database did not match by its first author."""
    text = ("TY  - JOUR\nT1  - Peer navigation after prison.\nAU  - Smith, John (AUTHOR)\nAU  - Doe, Kate (Author)\n"
            "AU  - Poe, Ann\nJO  - Example Journal\nDP  - EBSCOhost\nER  - \n")
    (rec,) = read_records(_write(tmp_path, "ebsco.ris", text)).records
    assert rec["authors"] == ["Smith, John", "Doe, Kate", "Poe, Ann"]
    assert rec["raw"]["AU"][0] == "Smith, John (AUTHOR)"  # kept, as written


# CENTRAL's copies of trial register entries, as Ovid (first) and the Cochrane Library export them: the trial id where
# the author goes, the register's page (or name) where the journal goes; Ovid writes the trial's scientific title
# in T2, where a journal's name goes
CENTRAL_REGISTER_RIS = (
    "1. \nTY  - ELEC\nID  - CN-02103847\n"
    "T1  - Sexual Confidence: CBT for Social Anxiety Disorder With HIV Risk Reduction Counselling\n"
    "T2  - Integrating Cognitive-behavioural Therapy for Social Anxiety Disorder With HIV Risk Reduction "
    "Counselling: a Randomized Controlled Trial\n"
    "A1  - NCT04381559\nY1  - 2020//\nY2  - 2020//\nN2  - Social anxiety is a risk factor for condomless sex.\n"
    "KW  - Phobia, Social\nJA  - https://clinicaltrials.gov/show/NCT04381559\n"
    "L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=cctr&NEWS=N&AN=CN-02103847\nER  -  \n\n"
    "TY  - JOUR\nID  - CN-01999999\nAU  - EUCTR2019-001234-56-DE\nTI  - Yoga after stroke\n"
    "JO  - https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2019-001234-56-DE\nPY  - 2019\n"
    "AB  - A trial of yoga.\nUR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01999999/full\n"
    "ER  - \n\n"
    "TY  - JOUR\nID  - CN-01888888\nAU  - ISRCTN12345678\nTI  - Sleep after stroke\nJO  - ICTRP\nPY  - 2018\n"
    "ER  - \n\n"
    "TY  - JOUR\nID  - CN-01777777\nTI  - Walking after stroke\nJO  - CTgov\nPY  - 2017\n"
    "UR  - https://clinicaltrials.gov/show/NCT01234567\nER  - \n")


def test_central_copy_of_a_register_entry_is_a_trial_registry_record_with_its_trial_id(tmp_path):
    """CENTRAL holds ClinicalTrials.gov's and the ICTRP's entries ("CN-0..."): exported as RIS they came in with the
    trial id as their author and the register's link (Ovid: the trial's long title) as their journal, and the link
    was lost in an export. They read now as the registers' own downloads do: a trial registry record, its trial id
    its id, no author or journal, the link kept; Ovid's scientific title opens the abstract."""
    from screener.io.export import write_records
    from screener.io.tabular import REGISTRY_RECORD, register_entry

    recs = read_records(_write(tmp_path, "cochrane.ris", CENTRAL_REGISTER_RIS)).records
    assert [r["type"] for r in recs] == [REGISTRY_RECORD] * 4
    assert [r["source_id"] for r in recs] == ["NCT04381559", "EUCTR2019-001234-56-DE", "ISRCTN12345678",
                                              "NCT01234567"]
    assert [r["authors"] for r in recs] == [[]] * 4 and [r["journal"] for r in recs] == [None] * 4
    ovid = recs[0]
    assert ovid["title"].startswith("Sexual Confidence") and ovid["year"] == 2020
    assert ovid["abstract"] == ("Scientific title: Integrating Cognitive-behavioural Therapy for Social Anxiety "
                                "Disorder With HIV Risk Reduction Counselling: a Randomized Controlled Trial\n"
                                "Social anxiety is a risk factor for condomless sex.")
    assert ovid["raw"]["ID"] == "CN-02103847" and ovid["source_db"] == "Cochrane CENTRAL (Ovid)"
    assert [register_entry(r["type"], r["source_id"], r["raw"])["url"] for r in recs] == [
        "https://clinicaltrials.gov/show/NCT04381559",
        "https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2019-001234-56-DE", "",
        "https://clinicaltrials.gov/show/NCT01234567"]
    out = write_records(pd.DataFrame(recs), tmp_path / "export.ris", "ris").read_text(encoding="utf-8")
    lines = out.splitlines()
    assert [x for x in lines if x.startswith("UR  - ")] == [
        "UR  - https://clinicaltrials.gov/show/NCT04381559",
        "UR  - https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2019-001234-56-DE",
        "UR  - https://trialsearch.who.int/Trial2.aspx?TrialID=ISRCTN12345678",  # its trial's page at the ICTRP
        "UR  - https://clinicaltrials.gov/show/NCT01234567"]
    assert not [x for x in lines if x[:2] in ("AU", "A1", "T2", "JO", "JF")]
    back = read_records(_write(tmp_path, "again.ris", out)).records
    assert [(r["type"], r["source_id"]) for r in back] == [(r["type"], r["source_id"]) for r in recs]


def test_a_central_article_naming_a_trial_or_a_register_stays_an_article(tmp_path):
    """Only a record that clearly is a register's entry is read as one: an article whose group author names the trial
    number, or whose journal names a register in its title words, keeps its authors and journal."""
    text = ("TY  - JOUR\nID  - CN-01413174\nT1  - Design of a syndemic based intervention\n"
            "A1  - Achterbergh RCA, van der Helm JJ\nY1  - 2017//\nJA  - BMC infectious diseases\nER  - \n\n"
            "TY  - JOUR\nID  - CN-01555555\nTI  - Yoga after stroke: two-year results\n"
            "AU  - NCT01234567 Investigators\nJO  - Stroke\nPY  - 2021\nER  - \n\n"
            "TY  - JOUR\nID  - CN-01666666\nTI  - Registering trials\nAU  - Smith, Jane\nAU  - NCT01234567\n"
            "JO  - Trials\nPY  - 2021\nER  - \n")
    recs = read_records(_write(tmp_path, "cochrane.ris", text)).records
    assert [r["type"] for r in recs] == ["JOUR"] * 3
    assert [r["journal"] for r in recs] == ["BMC infectious diseases", "Stroke", "Trials"]
    assert [r["authors"] for r in recs] == [["Achterbergh RCA", "van der Helm JJ"], ["NCT01234567 Investigators"],
                                            ["Smith, Jane", "NCT01234567"]]
    assert [r["source_id"] for r in recs] == ["CN-01413174", "CN-01555555", "CN-01666666"]


def test_msm_central_export_reads_its_register_entries_as_registry_records(shared_dir):
    """The MSM search's CENTRAL export (Ovid) holds four ClinicalTrials.gov entries among its 15 records."""
    from screener.io.tabular import REGISTRY_RECORD, register_entry

    recs = read_records(shared_dir / "fixtures" / "msm_syndemic_search" / "cochrane.ris").records
    entries = [r for r in recs if r["type"] == REGISTRY_RECORD]
    assert sorted(r["source_id"] for r in entries) == ["NCT01817621", "NCT02859935", "NCT04199052", "NCT04381559"]
    assert all(not r["authors"] and r["journal"] is None for r in entries)
    assert all(register_entry(r["type"], r["source_id"], r["raw"])["url"]
               == f"https://clinicaltrials.gov/show/{r['source_id']}" for r in entries)
    others = [r for r in recs if r["type"] != REGISTRY_RECORD]
    assert len(others) == 11 and all(r["authors"] and r["journal"] for r in others)
    assert all(r["source_id"].startswith("CN-") for r in others)


def test_an_article_in_a_journal_whose_one_author_is_a_trial_id_stays_an_article(tmp_path):
    """A trial id alone where the author goes reads a register's entry only where no journal is named: an article
    in 'Trials' whose one author field is its trial's number kept its journal, and its journal did not open its
    abstract as a 'Scientific title'."""
    text = ("TY  - JOUR\nID  - CN-01666667\nTI  - Yoga after stroke: the trial's results\nAU  - NCT01234567\n"
            "JO  - Trials\nT2  - Trials\nPY  - 2021\nAB  - Yoga helped.\nER  - \n")
    (rec,) = read_records(_write(tmp_path, "cochrane.ris", text)).records
    assert (rec["type"], rec["journal"], rec["source_id"]) == ("JOUR", "Trials", "CN-01666667")
    assert rec["abstract"] == "Yoga helped."


def test_an_article_in_trials_by_its_trial_number_with_the_journal_only_in_t2_stays_an_article(tmp_path):
    """Zotero writes a journal under T2 alone (no JO or JF): a protocol in 'Trials' whose one author is its trial's
    number came in as a register entry (no journal, 'Scientific title: Trials' opening its abstract, its id the
    trial's, which de-duplication joins the trial's register entries by). As in EndNote XML, it stays an article; a
    record that names the register (its page) stays the register's entry."""
    from screener.io.tabular import REGISTRY_RECORD

    text = ("TY  - JOUR\nTI  - Peer support after release: protocol\nAU  - NCT01234567\nT2  - Trials\nVL  - 21\n"
            "SP  - 100\nPY  - 2020\nAB  - Protocol.\nER  - \n\n"
            "TY  - JOUR\nTI  - Peer support after release\nAU  - NCT01234568\nT2  - Peer support after release: a "
            "randomised trial\nPY  - 2020\nUR  - https://clinicaltrials.gov/show/NCT01234568\nER  - \n")
    article, entry = read_records(_write(tmp_path, "zotero.ris", text)).records
    assert (article["type"], article["journal"], article["abstract"]) == ("JOUR", "Trials", "Protocol.")
    assert article["authors"] == ["NCT01234567"]
    assert (entry["type"], entry["source_id"], entry["journal"]) == (REGISTRY_RECORD, "NCT01234568", None)


def test_a_register_entry_exported_as_ris_by_screener_reads_back_as_the_register_entry(tmp_path):
    """screener's RIS export writes a register entry with no author or journal, its register page its link: read
    again (a project moved, a co-reviewer's library) it came in as an article with no trial id, and de-duplication
    could no longer join it with the trial's other register entries. It reads back as the register's entry."""
    from screener.io.export import write_records
    from screener.io.tabular import REGISTRY_RECORD

    recs = read_records(_write(tmp_path, "cochrane.ris", CENTRAL_REGISTER_RIS)).records
    linked = [recs[0], recs[1], recs[3]]  # the third gives no register page: nothing names its trial once exported
    out = write_records(pd.DataFrame(linked).assign(record_id=[1, 2, 3]), tmp_path / "export.ris", "ris")
    again = read_records(out).records
    assert [(r["type"], r["source_id"]) for r in again] == [(REGISTRY_RECORD, r["source_id"]) for r in linked]
    assert [r["title"] for r in again] == [r["title"] for r in linked]


def test_html_tags_written_as_character_references_or_around_words_in_an_abstract_are_not_read(tmp_path):
    """Scopus and PubMed exports carry italics and sub- and superscripts as tags, in a title sometimes written
    '&lt;i&gt;' ('&lt;i&gt;in vivo&lt;/i&gt;'): a reviewer read the tags, and the title did not match its copy."""
    text = ("TY  - JOUR\nTI  - Effects of &lt;i&gt;in vivo&lt;/i&gt; CO&lt;sub&gt;2&lt;/sub&gt; &amp; aged &lt;80\n"
            "AB  - Growth <i>in vivo</i> of <i>E. coli</i>, 5 m<sup>2</sup>, &lt;i&gt;ex vivo&lt;/i&gt;;"
            " p &lt; 0.05 and a<b and c>d.\nPY  - 2020\nER  - \n")
    rec = read_records(_write(tmp_path, "scopus.ris", text)).records[0]
    assert rec["title"] == "Effects of in vivo CO2 & aged <80"
    assert rec["abstract"] == "Growth in vivo of E. coli, 5 m2, ex vivo; p < 0.05 and a<b and c>d."


def test_html_tags_one_inside_another_in_an_abstract_are_all_read_as_text(tmp_path):
    """Embase and Scopus exports write a bold italic section label as '<b><i>Background/Aims:</i></b>': the inner
    pair went and a reviewer read '<b>Background/Aims:</b>'."""
    text = ("TY  - JOUR\nTI  - Falls in older adults\nAB  - <b><i>Background/Aims:</i></b> Falls in"
            " <i><b>older</b> adults</i> (<sup><i>n</i></sup> = 12); 3 <b> were kept.\nPY  - 2020\nER  - \n")
    rec = read_records(_write(tmp_path, "embase.ris", text)).records[0]
    assert rec["abstract"] == "Background/Aims: Falls in older adults (n = 12); 3 <b> were kept."


def test_html_and_jats_tags_of_any_kind_go_and_paragraphs_stay_apart(tmp_path):
    """Crossref writes abstracts in JATS ('<jats:sec><jats:title>', '<jats:p>', '<jats:italic>'), other exports in
    HTML ('<p>', '<h3>', '<br/>', '<span class="...">'): a reviewer read those tags, and without them the words either
    side ran together ('BackgroundMethods'). Signs that are not tags stay: 'p<0.05', 'a < b', 'x<y>z', 'IL-6<sup'."""
    title = ('<jats:title>Effect of <jats:italic>in vivo</jats:italic> CO<jats:sub>2</jats:sub> on <span class="gene">'
             'IL-6</span>: x<y>z, Na+/K+ and <b id="t1">a<b and c>d</b> in adults aged <5 years</jats:title>')
    abstract = ('<jats:sec id="s1"><jats:title>Background</jats:title><jats:p>Pumps (Na+/K+), 3 m<sup>2</sup>.'
                '</jats:p></jats:sec><jats:sec><jats:title>Methods</jats:title><jats:p>p<0.05; a < b and c > d; x<y>z;'
                ' IL-6<sup</jats:p></jats:sec> <p>Results</p><p>Fewer falls<br/>(n = 12)</p><h3>Conclusion</h3>'
                '<div class="x">Exercise &lt;i&gt;helps&lt;/i&gt;.</div>')
    text = f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\nPY  - 2020\nER  - \n"
    rec = read_records(_write(tmp_path, "crossref.ris", text)).records[0]
    assert rec["title"] == "Effect of in vivo CO2 on IL-6: x<y>z, Na+/K+ and a<b and c>d in adults aged <5 years"
    assert rec["abstract"] == ("Background Pumps (Na+/K+), 3 m2. Methods p<0.05; a < b and c > d; x<y>z; IL-6<sup"
                               " Results Fewer falls (n = 12) Conclusion Exercise helps.")
    assert rec["raw"]["AB"].startswith('<jats:sec id="s1">')  # the export as written stays in raw


def test_a_control_character_beside_html_paragraphs_in_an_abstract_is_still_reported(tmp_path):
    """A NUL pasted out of a PDF into an abstract that also held '<p>' tags was read as the place of a tag: made a
    space with no word of it, where the same abstract without tags had the record named as holding control
    characters. Now it is named either way, and reads as a space."""
    text = ("TY  - JOUR\nTI  - Falls in older adults\nAB  - <p>Background: falls.\x00 Costs rise.</p>"
            "<p>Methods: a cohort.</p>\nPY  - 2020\nER  - \n")
    result = read_records(_write(tmp_path, "pdf.ris", text))
    assert result.records[0]["abstract"] == "Background: falls. Costs rise. Methods: a cohort."
    said = " ".join(" ".join(result.warnings).split())
    assert "pdf.ris: 1 record held control characters" in said and "(abstract)" in said, said


def test_a_word_in_angle_brackets_that_only_looks_like_a_tag_stays_in_a_title(tmp_path):
    """Mouse strains carry their alleles in angle brackets ('B6.SJL-Ptprc<a>'): once tags of every name went from
    titles, a reviewer read 'B6.SJL-Ptprc mice', the allele gone. A title still loses the tags exports write in
    it, closed or not ('CO<inf>2', '<i>E. coli'), and any tag of a pair."""
    text = ("TY  - JOUR\nTI  - Chimeras of B6.SJL-Ptprc<a> mice, CO<inf>2 and <i>E. coli: <small>a</small> trial\n"
            "PY  - 2020\nER  - \n")
    rec = read_records(_write(tmp_path, "pubmed.ris", text)).records[0]
    assert rec["title"] == "Chimeras of B6.SJL-Ptprc<a> mice, CO2 and E. coli: a trial"


def test_a_japanese_register_entry_without_a_link_gets_its_ictrp_page_by_the_ictrp_s_trial_id(tmp_path):
    """CENTRAL's copy of a Japanese register's entry names the trial by the register's own id (UMIN000012345,
    jRCTs031180123), which the WHO ICTRP lists under 'JPRN-' before it: the RIS export linked the ICTRP's page of
    'UMIN000012345', which it has not. The link names the ICTRP's id, and the entry reads back as the same trial."""
    from screener.dedup import registry_id
    from screener.io.export import write_records

    text = "".join(f"TY  - JOUR\nID  - CN-0177777{i}\nAU  - {tid}\nTI  - Sleep after stroke {i}\nJO  - ICTRP\n"
                   f"PY  - 2018\nER  - \n\n" for i, tid in enumerate(["UMIN000012345", "jRCTs031180123"]))
    recs = read_records(_write(tmp_path, "cochrane.ris", text)).records
    assert [r["source_id"] for r in recs] == ["UMIN000012345", "jRCTs031180123"]
    out = write_records(pd.DataFrame(recs), tmp_path / "export.ris", "ris").read_text(encoding="utf-8")
    assert [x for x in out.splitlines() if x.startswith("UR  - ")] == [
        "UR  - https://trialsearch.who.int/Trial2.aspx?TrialID=JPRN-UMIN000012345",
        "UR  - https://trialsearch.who.int/Trial2.aspx?TrialID=JPRN-jRCTs031180123"]
    back = read_records(_write(tmp_path, "again.ris", out)).records
    assert [registry_id(r["source_id"]) for r in back] == ["JPRN-UMIN000012345", "JPRN-JRCTS031180123"]


def test_a_formula_crossref_wraps_in_inline_formula_reads_as_its_text_in_a_title(tmp_path):
    """Crossref puts a title's MathML in JATS's '<inline-formula>', unprefixed: a reviewer read the tag, and
    de-duplication, which reads titles as the import does, compared its name as words."""
    text = ("TY  - JOUR\nTI  - <inline-formula><mml:math><mml:mi>β</mml:mi></mml:math></inline-formula>-cell loss\n"
            "PY  - 2020\nER  - \n")
    rec = read_records(_write(tmp_path, "crossref.ris", text)).records[0]
    assert rec["title"] == "β-cell loss"


def test_crossref_small_caps_and_jats_inline_tags_without_a_prefix_go_from_titles_and_abstracts(tmp_path):
    """Wiley's titles in Crossref set abbreviations in small caps ('<scp>COVID</scp>-19'), and exports that copy JATS
    without its 'jats:' prefix write '<italic>', '<named-content>', '<styled-content>': a reviewer read the tags, and
    de-duplication compared their names as words, so the MEDLINE copy of the same study ('COVID-19 in UK care
    homes') did not match. Words in angle brackets that are no tag stay ('p<0.05', 'a<scp> c' with nothing closing
    it)."""
    from screener.records import normalise_title

    title = ("Outcomes of <scp>COVID</scp>-19 in <scp>UK</scp> care homes: <italic>in vivo</italic> "
             "<bold>CO</bold><sub>2</sub>, <ovl>X</ovl> and <named-content content-type=\"gene\">IL-6</named-content>")
    abstract = ("<styled-content style=\"fixed-case\">PTSD</styled-content> in <monospace>x</monospace>, "
                "<underline>u</underline> <roman>r</roman> <sans-serif>s</sans-serif> <strike>t</strike> "
                "<overline>o</overline>; see <ext-link ext-link-type=\"uri\" xlink:href=\"http://x.org\">x.org"
                "</ext-link>, <uri>http://y.org</uri> and ref<xref ref-type=\"bibr\" rid=\"b1\">1</xref>; "
                "p<0.05 and a<scp> c.")
    text = f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\nPY  - 2021\nER  - \n"
    rec = read_records(_write(tmp_path, "wiley.ris", text)).records[0]
    assert rec["title"] == "Outcomes of COVID-19 in UK care homes: in vivo CO2, X and IL-6"
    assert rec["abstract"] == "PTSD in x, u r s t o; see x.org, http://y.org and ref1; p<0.05 and a<scp> c."
    assert normalise_title(title) == normalise_title("Outcomes of COVID-19 in UK care homes: in vivo CO2, X and IL-6")
    title_lone = "Mice with the a<scp> allele"  # a lone name in a title is text, as 'Ptprc<a>' is
    text = f"TY  - JOUR\nTI  - {title_lone}\nPY  - 2021\nER  - \n"
    assert read_records(_write(tmp_path, "lone.ris", text)).records[0]["title"] == title_lone


def test_psycinfo_no_pagination_specified_is_no_pages(tmp_path):
    """PsycInfo says 'No Pagination Specified' for an article without pages, and Ovid's RIS splits it over the first
    and last page ('SP  - No', 'EP  - Specified'): 32 of the 157 records of shared/fixtures' psycinfo.ris came in
    with the pages 'No-Specified', shown as pages beside the copy's real ones in the duplicate review. Read as no
    pages now, in RIS and in a table or EndNote library that writes the phrase whole; raw keeps what was written."""
    ris = ("TY  - JOUR\nID  - 2020-32669-001\nT1  - Conceptualizing LGBT stigma in Lesotho.\nA1  - Logie, Carmen H\n"
           "Y1  - 2020//\nJF  - AIDS and Behavior\nSP  - No\nEP  - Specified\nER  - \n\n"
           "TY  - JOUR\nT1  - A paged article\nY1  - 2020//\nSP  - 12\nEP  - 19\nER  - \n")
    a, b = read_records(_write(tmp_path, "psycinfo.ris", ris)).records
    assert (a["pages"], a["start_page"]) == (None, None)
    assert (a["raw"]["SP"], a["raw"]["EP"]) == ("No", "Specified")
    assert (b["pages"], b["start_page"]) == ("12-19", "12")
    table = "Title,Year,Pages\nConceptualizing LGBT stigma in Lesotho,2020,No Pagination Specified\n"
    (c,) = read_records(_write(tmp_path, "psycinfo.csv", table)).records
    assert (c["pages"], c["start_page"]) == (None, None)


def test_a_doi_line_no_doi_can_be_read_from_is_named(tmp_path):
    """ProQuest wrote a DOI without its dots and slash ('DO  - http://dx.doi.org/101521aeap2012243193', in
    shared/fixtures' proquest.ris): the record came in without a DOI and nothing said so, where a table's DOI cell
    that cannot be read is named. Now the RIS reader names the record's line and what its DO line holds."""
    ris = ("TY  - JOUR\nT1  - Resilience, syndemic factors, and serosorting\nAU  - Kurtz, Steven P.\nPY  - 2012\n"
           "DO  - http://dx.doi.org/101521aeap2012243193\nER  - \n\n"
           "TY  - JOUR\nT1  - A record with a good DOI\nPY  - 2012\nDO  - 10.1521/aeap.2012.24.3.193\nER  - \n\n"
           "TY  - JOUR\nT1  - A record whose DO line is no DOI, and its link gives one\nPY  - 2012\n"
           "DO  - doi pending\nUR  - https://doi.org/10.1000/xyz123\nER  - \n")
    res = read_records(_write(tmp_path, "proquest.ris", ris))
    a, b, c = res.records
    assert (a["doi"], b["doi"], c["doi"]) == (None, "10.1521/aeap.2012.24.3.193", "10.1000/xyz123")
    (note,) = [w for w in res.warnings if "DOI" in w]
    assert "1 record" in note and "line 1" in note and "101521aeap2012243193" in note
    assert "line 9" not in note and "line 15" not in note


def test_a_cochrane_central_doi_line_is_not_named_as_a_doi_not_read(tmp_path):
    """The Cochrane Library's RIS gives each CENTRAL trial its entry's own DOI ('DO  - 10.1002/central/CN-...'),
    which screener drops on purpose (it is not the article's): every trial of a CENTRAL export was then named as a
    record whose DOI could not be read, 'check them in the database'. Only a DOI line that is not read is named."""
    def record(cn, doi):
        return (f"TY  - JOUR\nID  - {cn}\nAU  - Smith J\nTI  - A trial {cn}\nJO  - Trials\nPY  - 2020\nDO  - {doi}\n"
                f"UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/{cn}/full\nER  - \n\n")

    res = read_records(_write(tmp_path, "citation-export.ris", record("CN-02123456", "10.1002/central/CN-02123456")
                              + record("CN-02123457", "10.1002/CENTRAL/CN-02123457")
                              + record("CN-02123458", "http://dx.doi.org/101002centralCN02123458")))
    assert [r["doi"] for r in res.records] == [None, None, None]
    (note,) = [w for w in res.warnings if "DOI" in w]
    assert "1 record" in note and "CN02123458" in note and "CN-02123456" not in note and "CN-02123457" not in note
