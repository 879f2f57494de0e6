"""Small made-up exports in the shapes the real databases write, for the reader tests."""


def write_xlsx(path, sheets: dict[str, list[list]]):
    """A workbook with one sheet per ``sheets`` item (name -> rows), as a spreadsheet saves it."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def write_xls(path, sheets: dict[str, list[list]], *, merged=()):
    """An old binary Excel workbook (.xls), as Excel 97-2003 saves it, one sheet per ``sheets`` item;
    ``merged``: (sheet, first row, last row, column) of cells merged down, counted from 0."""
    import datetime

    xlwt = __import__("pytest").importorskip("xlwt")  # writes .xls (screener reads them with xlrd)

    wb = xlwt.Workbook()
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        spans = {(r0, c): r1 for s, r0, r1, c in merged if s == name}
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if (r, c) in spans:
                    ws.write_merge(r, spans[(r, c)], c, c, v)
                elif any(r0 < r <= r1 and c == c0 for (r0, c0), r1 in spans.items()):
                    continue
                elif isinstance(v, datetime.date):
                    ws.write(r, c, v, dated)
                elif v is not None:
                    ws.write(r, c, v)
    wb.save(str(path))
    return path


PUBMED_NBIB = """\
PMID- 31234567
OWN - NLM
STAT- MEDLINE
DCOM- 20200102
IS  - 1573-6598 (Electronic)
VI  - 12
IP  - 3
DP  - 2019 Mar
TI  - Cognitive behavioural therapy for post-traumatic stress in adolescents: a
      randomised controlled trial.
PG  - 100-110
LID - 10.1000/JTS.2019.123 [doi]
LID - S0000-0000(19)00001-1 [pii]
AB  - BACKGROUND: Trauma-focused therapy is recommended. METHODS: We randomised 120
      adolescents to therapy or waiting list. RESULTS: Fewer symptoms at 12 weeks.
FAU - Müller, Anna
AU  - Müller A
AD  - University of Somewhere.
FAU - O'Brien, Seán
AU  - O'Brien S
LA  - eng
PT  - Journal Article
PT  - Randomized Controlled Trial
TA  - J Trauma Stress
JT  - Journal of traumatic stress
MH  - Adolescent
MH  - *Cognitive Behavioral Therapy/methods
OT  - PTSD
EDAT- 2019/03/01 06:00
AID - 10.1000/JTS.2019.123 [doi]
SO  - J Trauma Stress. 2019 Mar;12(3):100-110.

PMID- 30000001
OWN - NLM
DP  - 2018
TI  - Resilience after disasters: a cohort study.
FAU - Smith, John
JT  - Disaster medicine
AID - 10.1000/dm.2018.7 [doi]
AID - 30000001 [pubmed]

PMID- 30000002
DP  - 2017 Dec 5
TI  - A record without abstract or authors.
TA  - Some J
"""

ENDNOTE_XML = """\
<?xml version="1.0" encoding="UTF-8" ?><xml><records>
<record><database name="Review.enl" path="C:/Review.enl">Review.enl</database>
<source-app name="EndNote" version="20.0">EndNote</source-app><rec-number>12</rec-number>
<ref-type name="Journal Article">17</ref-type>
<contributors><authors>
<author><style face="normal" font="default" size="100%">Gómez, María</style></author>
<author><style face="normal" font="default" size="100%">Lee, K.</style></author>
</authors></contributors>
<titles><title><style face="normal" font="default" size="100%">Sleep in </style><style face="italic" font="default" size="100%">Rattus norvegicus</style><style face="normal" font="default" size="100%"> after stress</style></title>
<secondary-title><style face="normal" font="default" size="100%">Behavioural Brain Research</style></secondary-title></titles>
<periodical><full-title><style face="normal" font="default" size="100%">Behav Brain Res</style></full-title></periodical>
<keywords><keyword><style face="normal" font="default" size="100%">sleep</style></keyword><keyword><style face="normal" font="default" size="100%">stress</style></keyword></keywords>
<dates><year><style face="normal" font="default" size="100%">2015</style></year></dates>
<accession-num><style face="normal" font="default" size="100%">25550001</style></accession-num>
<electronic-resource-num><style face="normal" font="default" size="100%">10.1016/j.bbr.2015.01.001</style></electronic-resource-num>
<abstract><style face="normal" font="default" size="100%">Rats slept less after stress.</style></abstract>
<remote-database-name><style face="normal" font="default" size="100%">PubMed</style></remote-database-name>
<remote-database-provider><style face="normal" font="default" size="100%">NLM</style></remote-database-provider>
</record>
<record><rec-number>13</rec-number><ref-type name="Book Section">5</ref-type>
<titles><title><style face="normal" font="default" size="100%">A chapter with no abstract</style></title></titles>
<periodical><full-title>Handbook of Stress</full-title></periodical>
<dates><year>2011</year></dates>
<urls><related-urls><url>https://doi.org/10.5555/HANDBOOK.2011.3</url></related-urls></urls>
</record>
</records></xml>
"""

# As Ovid writes it: a number line before each record, a link line after, NL after ER,
# trailing spaces after ER, and an abstract in N2.
OVID_RIS = """\
1. 
TY  - JOUR
ID  - 32487818
T1  - Syndemic theory and HIV.
A1  - Godley, Bria A
A1  - Adimora, Adaora A
Y1  - 2020//
N2  - PURPOSE: a review.
JF  - Current opinion in HIV and AIDS
JA  - Curr Opin HIV AIDS
DO  - https://dx.doi.org/10.1097/COH.0000000000000634
L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medp&NEWS=N&AN=32487818
ER  -  
NL  - Curr Opin HIV AIDS

Link to the Ovid Full Text or citation: http://ovidsp.ovid.com/ovidweb.cgi?T=JS&D=medp&AN=32487818

2. 
TY  - JOUR
ID  - 2020-32669-001
T1  - Stigma and HIV in Lesotho.
A1  - Logie, Carmen H
Y1  - 2020//
JF  - AIDS and Behavior
L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc16&NEWS=N&AN=2020-32669-001
ER  -  
"""

# As EndNote writes it: keywords and URLs continued on untagged lines, PMID in AN with DP NLM.
ENDNOTE_RIS = """\
TY  - JOUR
AB  - First line of the abstract
continues here.
AN  - 25657356
AU  - Bryant, R. A.
AU  - Nickerson, A.
DA  - May
DO  - 10.1192/bjp.bp.114.145516
DP  - NLM
KW  - Adolescence
Complex trauma
Mental health
PY  - 2015
T2  - The British journal of psychiatry
TI  - Trajectories of PTSD after injury
UR  - http://www.scopus.com/inward/record.url?eid=2-s2.0-1
http://psycnet.apa.org/index.cfm?uid=2015-40289-001
CT  - unknown tag
continued unknown tag
ID  - 35
ER  - 


TY  - CHAP
TI  - 
AU  - Nobody, A.
PY  - 1999
ID  - 36
ER  - 
"""

SCOPUS_RIS = """\
TY  - JOUR
TI  - Drug use and depression among PrEP users
T2  - AIDS Care
PY  - 2020
DO  - 10.1080/09540121.2020.1739218
AU  - Nöstlinger, C.
KW  - depression
N1  - Export Date: 4 June 2020
N1  - References: Calabrese, S.K., HIV preexposure prophylaxis (2017) doi: 10.1000/other
M3  - Article
DB  - Scopus
C2  - 32160759
LA  - English
ER  - 
"""
