"""Write screener's built-in sample review: ILLUSTRATIVE SAMPLE DATA, NOT A REAL SEARCH.

Three RIS exports from fictional database searches on one question (qualitative studies of peer
workers with lived or living experience of drug use inside drug use services that are not
peer-led), plus ``labels.csv`` with the reviewer's decision on every study. Every study, author,
journal and DOI here is invented from the word lists below (DOIs use the 10.5555 test prefix,
which no real paper has); the text only has to look like a search result so that the demo, the
tests and a new user can try the whole workflow without a real search.

The files are written by this script alone, seeded, so the same seed gives the same bytes:

    python data/sample_review/make_sample.py            # rewrite the files beside this script
    python data/sample_review/make_sample.py --check    # exit 1 if the files are not up to date

What makes it a fair test rather than a toy: the same study is exported by two or three
databases with their own conventions (TI vs T1, AB vs N2, DOI in DO vs in UR, "Surname, Given"
vs "Surname G.", title case, "2019///" years, missing DOIs and abstracts), the includes are
rare (9 of 343 studies), and many excludes share most of their words with the includes (quantitative
peer studies, peer-run organisations, mental-health peers, reviews and commentaries, qualitative
studies of drug services without peers, peers in HIV and other health services).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240611
NOTICE = "ILLUSTRATIVE SAMPLE DATA, NOT A REAL SEARCH: invented record made by screener's make_sample.py"
DOI_PREFIX = "10.5555/ssr"  # 10.5555 is a test prefix: these DOIs resolve to nothing real

#: Studies of each kind in the sample (the includes are 9 of 343 studies, about 2.6%).
COUNTS = {
    "include": 9,
    "quantitative_peer": 22,
    "peer_run_org": 10,
    "mental_health_peer": 14,
    "review_commentary": 16,
    "informal_peers": 10,
    "qualitative_no_peer": 30,
    "hiv_other_peer": 10,
    "other_drug_health": 222,
}

#: Export file -> the database it pretends to come from (each study is in one "home" database
#: and, by chance, in the others; see ``make_studies``).
DATABASES = {
    "medline_sample.ris": "MEDLINE",
    "psycinfo_sample.ris": "APA PsycInfo (EBSCOhost)",
    "scopus_sample.ris": "Scopus",
}

# ------------------------------------------------------------------------------------------------
# Word lists, written for this sample
# ------------------------------------------------------------------------------------------------
SURNAMES = """Abernethy Achterberg Adeyemi Albrechtsen Alvarado Amarasinghe Bakshi Balogun Bellweather
Bergqvist Blackwood Brannigan Castellano Chidzambwa Colquhoun Dabrowska Delacroix Demirci Dunleavy
Eichler Elphinstone Espinoza Falconer Farahani Fenwick Gallardo Garnham Haverkamp Heikkinen Holloway
Ibarra Iwasaki Jankowski Jorgensen Kavanagh Kettleborough Kowalczyk Lachance Lindqvist Llewellyn
Macintyre Maddox Marchetti Moreland Mukherjee Nakagawa Nwachukwu Oakhurst Okonkwo Ostrowski Pemberton
Petrakis Quennell Radcliffe Ramasamy Rasmussen Rowntree Saltmarsh Santangelo Sauvageau Thistlewood
Trevelyan Uchenna Vandermeer Varga Wainwright Whitcombe Yamaguchi Zielinski Ashdown Boateng Carrow
Dlamini Ferreira Grimshaw Halvorsen Kiplagat Lavoie Mwangi Nordstrom Pietersen Quigley Soltani
Tremblay Underhill Vasquez Wetherell""".split()

GIVEN = """Aisha Alasdair Amara Anneliese Bjorn Caoimhe Chidi Colette Dagny Declan Dmitri Eilidh Emeka
Fenella Folasade Gideon Greta Halima Hamish Ines Isolde Jaswinder Jonah Kalani Keziah Leopold Linnea
Lorcan Mairead Malakai Marisol Mateus Niamh Nikolai Obiageli Odette Oskar Priya Rafferty Rosalind
Saoirse Soren Tamsin Tendai Thandiwe Tobias Ulla Valentina Wilhelmina Xiomara Yusuf Zainab Zofia
Anouk Beatriz Cormac Delphine Evander Farida Gwendolyn Hollis Imogen Joaquin Kerensa Lucian Meera
Nkechi Orla Pavel Quinn Rohan Sabine Teodor Una Viggo Wren""".split()

JOURNALS = [
    ("Journal of Drug Services Research", "J Drug Serv Res"),
    ("Harm Reduction Practice", "Harm Reduct Pract"),
    ("International Journal of Substance Use Care", "Int J Subst Use Care"),
    ("Addiction Services Quarterly", "Addict Serv Q"),
    ("Community Health and Drug Use", "Community Health Drug Use"),
    ("Qualitative Health Inquiry", "Qual Health Inq"),
    ("Drug and Alcohol Services Review", "Drug Alcohol Serv Rev"),
    ("Public Health and Substance Use", "Public Health Subst Use"),
    ("Journal of Recovery and Treatment Studies", "J Recovery Treat Stud"),
    ("Social Science in Health Care", "Soc Sci Health Care"),
    ("Journal of Overdose Prevention", "J Overdose Prev"),
    ("Urban Health Services Review", "Urban Health Serv Rev"),
]
MH_JOURNALS = [
    ("Journal of Community Mental Health Work", "J Community Ment Health Work"),
    ("Psychiatric Services Practice", "Psychiatr Serv Pract"),
]

#: (city, the region a record names alongside it)
PLACES = [("Vancouver", "British Columbia"), ("Toronto", "Ontario"), ("Montreal", "Quebec"), ("Glasgow", "Scotland"),
          ("Edinburgh", "Scotland"), ("Dublin", "Ireland"), ("Melbourne", "Victoria"), ("Sydney", "New South Wales"),
          ("Auckland", "New Zealand"), ("Oslo", "Norway"), ("Copenhagen", "Denmark"), ("Amsterdam", "the Netherlands"),
          ("Baltimore", "the United States"), ("Philadelphia", "the United States"), ("Seattle", "the United States"),
          ("Boston", "the United States"), ("Chicago", "the United States"), ("Cape Town", "South Africa"),
          ("Nairobi", "Kenya"), ("Lisbon", "Portugal"), ("Barcelona", "Spain"), ("Manchester", "England"),
          ("Bristol", "England"), ("Winnipeg", "Manitoba"), ("Adelaide", "South Australia"),
          ("Brisbane", "Queensland"), ("Frankfurt", "Germany"), ("Zurich", "Switzerland"), ("Prague", "Czechia"),
          ("Tallinn", "Estonia"), ("New York", "the United States"), ("San Francisco", "the United States")]

SERVICES = [
    ("supervised consumption site", "supervised consumption sites"),
    ("overdose prevention site", "overdose prevention sites"),
    ("needle and syringe programme", "needle and syringe programmes"),
    ("opioid agonist treatment clinic", "opioid agonist treatment clinics"),
    ("methadone maintenance programme", "methadone maintenance programmes"),
    ("community drug treatment service", "community drug treatment services"),
    ("residential rehabilitation service", "residential rehabilitation services"),
    ("hospital addiction consult service", "hospital addiction consult services"),
    ("low-threshold drop-in centre", "low-threshold drop-in centres"),
    ("supportive housing programme for people who use drugs", "supportive housing programmes for people who use drugs"),
    ("drug checking service", "drug checking services"),
    ("outreach harm reduction programme", "outreach harm reduction programmes"),
    ("primary care clinic for people who inject drugs", "primary care clinics for people who inject drugs"),
    ("emergency department", "emergency departments"),
]

#: (noun, modifier): "people who use opioids", "opioid use".
SUBSTANCES = [("opioids", "opioid"), ("methamphetamine", "methamphetamine"), ("heroin", "heroin"),
              ("cocaine", "cocaine"), ("fentanyl", "fentanyl"), ("alcohol", "alcohol"), ("cannabis", "cannabis"),
              ("benzodiazepines", "benzodiazepine"), ("stimulants", "stimulant"), ("crack cocaine", "crack cocaine"),
              ("prescription opioids", "prescription opioid"), ("ketamine", "ketamine")]

PEER_TERMS = ["peer workers", "peer support workers", "peer navigators", "peer outreach workers",
              "peer recovery coaches", "peer educators", "peer specialists"]
PEER_TERMS_SG = {"peer workers": "peer worker", "peer support workers": "peer support worker",
                 "peer navigators": "peer navigator", "peer outreach workers": "peer outreach worker",
                 "peer recovery coaches": "peer recovery coach", "peer educators": "peer educator",
                 "peer specialists": "peer specialist"}
LIVED = ["lived experience of drug use", "living experience of drug use", "lived or living experience of drug use",
         "personal experience of substance use", "lived experience of injecting drug use",
         "past or current drug use"]
QUAL_METHODS = ["semi-structured interviews", "in-depth interviews", "focus groups",
                "ethnographic fieldwork and interviews", "interviews and participant observation",
                "photovoice workshops and interviews", "narrative interviews"]
QUAL_ANALYSIS = ["thematic analysis", "reflexive thematic analysis", "interpretive description",
                 "a grounded theory approach", "framework analysis", "constant comparison"]
PEER_THEMES = [
    "being triggered by exposure to drug use at work",
    "negotiating boundaries with clients who were also friends",
    "feeling trapped by the peer identity",
    "low pay and insecure contracts",
    "tokenism and limited say in decisions",
    "unclear role descriptions",
    "building trust with clients that other staff could not reach",
    "using their own history to open conversations about safer use",
    "tension between harm reduction values and abstinence-based rules",
    "stigma from non-peer colleagues",
    "pride in keeping people alive",
    "the emotional toll of responding to overdoses",
    "a lack of clinical supervision suited to peers",
    "career progression that stopped at the peer role",
]
ORG_FACTORS = ["supervision", "fair pay", "clear role descriptions", "training for non-peer staff",
               "wellbeing support after overdose responses", "peer-specific career pathways",
               "involving peers in service decisions", "flexible work arrangements"]

QUANT_DESIGNS = ["a cluster randomised trial", "a randomised controlled trial", "a retrospective cohort study",
                 "a cross-sectional survey", "an interrupted time series analysis", "a propensity-matched cohort",
                 "a cost-effectiveness analysis", "a pre-post evaluation"]
QUANT_OUTCOMES = ["retention in treatment at 6 months", "naloxone uptake", "overdose deaths",
                  "hepatitis C testing rates", "emergency department revisits", "days of drug use",
                  "linkage to opioid agonist treatment", "HIV viral suppression", "syringe sharing",
                  "job satisfaction scores", "burnout scores"]

GENERIC_TOPICS = [
    ("Trends in {subm}-related overdose deaths in {region}, {y0}-{y1}", "epi"),
    ("Retention in {service} care among people using {sub}: a cohort study", "outcome"),
    ("Hepatitis C testing and treatment uptake at a {service} in {place}", "bbv"),
    ("Prevalence of injecting-related injuries among people who use {sub} in {place}", "epi"),
    ("Take-home naloxone distribution through {service_pl}: a service evaluation", "eval"),
    ("Predictors of treatment dropout in {service_pl} in {region}", "outcome"),
    ("Drug checking results and the changing unregulated {subm} supply in {place}", "epi"),
    ("Clinician prescribing of opioid agonist treatment after a policy change in {region}", "policy"),
    ("Emergency department presentations for {subm} use in {place}: a registry analysis", "epi"),
    ("Buprenorphine initiation in {service_pl}: outcomes at 12 months", "outcome"),
    ("HIV testing among people who inject {sub} attending {service_pl}", "bbv"),
    ("Housing instability and overdose risk among people who use {sub} in {place}", "epi"),
    ("Costs of {service} provision in {region}: an economic analysis", "econ"),
    ("Contingency management for {subm} use: a randomised trial in {service_pl}", "trial"),
    ("Wound care needs of clients of {service_pl} in {place}", "bbv"),
    ("Polysubstance use patterns among clients of a {service} in {place}", "epi"),
    ("Pharmacist attitudes to supplying sterile injecting equipment in {region}", "survey"),
    ("Mortality after release from prison among people with {subm} dependence in {region}", "epi"),
    ("Telehealth delivery of opioid agonist treatment in {region} during COVID-19", "eval"),
    ("Validation of a brief screening tool for {subm} use in {service_pl}", "measure"),
    ("Alcohol withdrawal management in {service_pl}: a clinical audit", "eval"),
    ("Sex differences in {subm} treatment outcomes in {region}", "outcome"),
    ("Injectable opioid agonist treatment in {place}: a feasibility study", "trial"),
    ("Neighbourhood effects of a {service} on public disorder in {place}", "policy"),
    ("Smartphone-based overdose response among people using {sub} alone in {region}", "trial"),
    ("Adverse childhood experiences and {subm} use in adults attending {service_pl}", "survey"),
    ("Syringe coverage and reuse among people who inject {sub} in {region}", "epi"),
    ("Methadone dose and retention in {service_pl} in {place}", "outcome"),
    ("Police encounters and syringe confiscation among people who use {sub} in {place}", "survey"),
    ("Overdose response training for staff of {service_pl}: a pre-post study", "eval"),
    ("Chronic pain among people receiving treatment for {subm} use in {region}", "survey"),
    ("Integrated hepatitis C care in {service_pl}: a stepped-wedge trial", "trial"),
    ("Stimulant use and psychosis in clients of {service_pl} in {place}", "epi"),
    ("Cannabis use and treatment engagement in {service_pl}: a secondary analysis", "outcome"),
    ("Fentanyl test strip distribution through {service_pl} in {region}", "eval"),
    ("Waiting times for {service} admission in {region}: an audit", "policy"),
    ("Tobacco smoking cessation in {service_pl} in {place}", "trial"),
    ("Dental health of people who use {sub} in {region}", "survey"),
    ("Nurse-led {service} clinics: outcomes from {place}", "eval"),
    ("Drug-related deaths after discharge from {service_pl} in {region}", "epi"),
]

GENERIC_QUAL = [
    ("Clients' experiences of {service_pl} in {place}: a qualitative study", "client"),
    ("'{quote}': women's experiences of {subm} treatment in {region}", "client"),
    ("Nurses' views on delivering {service} care: an interview study", "staff"),
    ("How managers of {service_pl} understand harm reduction: a qualitative study", "staff"),
    ("Barriers to opioid agonist treatment in {region}: perspectives of people who use {sub}", "client"),
    ("Experiences of stigma among people who use {sub} in {service_pl}", "client"),
    ("Family members' experiences of supporting a relative in {service} care", "family"),
    ("Staff perspectives on implementing a {service} in {place}", "staff"),
    ("Young people's accounts of leaving {service_pl} in {region}", "client"),
    ("Pharmacists' experiences of dispensing take-home naloxone: a qualitative study", "staff"),
]

QUOTES_INC = ["You carry it home with you", "I've been where they are", "Not quite staff, not quite client",
              "They listen to us because we've lived it", "The peer badge opens doors", "We are the bridge",
              "Sometimes it brings it all back"]
QUOTES_GEN = ["It felt like a second chance", "Nobody asked what I needed", "They treated me like a person",
              "You wait and you wait", "I just wanted to be safe", "It's a lifeline"]

GENERIC_KEYWORDS = ["substance use", "harm reduction", "opioid use disorder", "overdose", "people who inject drugs",
                    "treatment retention", "hepatitis C", "HIV", "health services", "drug policy", "naloxone",
                    "opioid agonist treatment", "epidemiology", "stigma", "public health"]


# ------------------------------------------------------------------------------------------------
@dataclass
class Study:
    """One study as the truth knows it; each database exports its own version of it."""

    sid: str
    category: str
    title: str
    abstract: str | None
    year: int
    authors: list[tuple[str, list[str]]]
    journal: tuple[str, str]
    volume: int
    issue: int
    start_page: int
    n_pages: int
    doi: str | None
    keywords: list[str]
    dbs: list[str] = field(default_factory=list)
    abstract_missing_in: set[str] = field(default_factory=set)
    doi_missing_in: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return "include" if self.category == "include" else "exclude"


_A_AN = re.compile(r"\b([Aa]) (?=[aeioAEIO])")


def _articles(text: str | None) -> str | None:
    """'a opioid clinic' -> 'an opioid clinic' after the slots are filled."""
    return _A_AN.sub(lambda m: m.group(1) + "n ", text) if text else text


def _sentence_case_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _ctx(rng: random.Random) -> dict:
    service, service_pl = rng.choice(SERVICES)
    y0 = rng.randint(2008, 2016)
    peers = rng.choice(PEER_TERMS)
    sub, subm = rng.choice(SUBSTANCES)
    place, region = rng.choice(PLACES)
    return {
        "service": service, "service_pl": service_pl, "place": place, "region": region,
        "sub": sub, "subm": subm, "peers": peers, "peer": PEER_TERMS_SG[peers], "lived": rng.choice(LIVED),
        "method": rng.choice(QUAL_METHODS), "analysis": rng.choice(QUAL_ANALYSIS), "y0": y0,
        "y1": y0 + rng.randint(3, 7), "n": rng.randint(9, 34), "m": rng.randint(5, 18),
        "N": rng.randint(180, 4200), "design": rng.choice(QUANT_DESIGNS), "outcome": rng.choice(QUANT_OUTCOMES),
        "quote": rng.choice(QUOTES_GEN),
    }


def _themes(rng, k=3):
    return rng.sample(PEER_THEMES, k)


def _join(items):
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def _structured(rng, parts: list[tuple[str, str]]) -> str:
    """MEDLINE-style structured abstract for some records, running text for others."""
    if rng.random() < 0.45:
        return " ".join(f"{head.upper()}: {text}" for head, text in parts)
    return " ".join(text for _, text in parts)


# -- one generator per category -------------------------------------------------------------------
def _include(rng, i):
    """Nine includes: five plainly on topic, and four that a screener finds less easily."""
    c = _ctx(rng)
    c["quote"] = QUOTES_INC[i % len(QUOTES_INC)]
    kind = i % 9
    if kind == 5 or kind == 6:
        return _include_mixed_methods(rng, c, kind)
    if kind == 7:
        return _include_title_only(rng, c)
    if kind == 8:
        return _include_client_view(rng, c)
    variants = [
        "'{quote}': {peers}' experiences of working in {service_pl} in {place}",
        "Lived experience at work: a qualitative study of {peers} in {service_pl}",
        "Negotiating boundaries: experiences of {peers} employed by {service_pl} in {region}",
        "Staff and client perspectives on integrating {peers} into a {service}: a qualitative study",
        "Between client and colleague: the role of {peers} with {lived} in {service_pl}",
    ]
    title = _sentence_case_first(variants[kind].format(**c))
    themes = _themes(rng, 3)
    bg = rng.choice([
        "People with {lived} are increasingly employed as {peers} in {service_pl}, yet little is known about how they experience this work in services that are not run by peers.",
        "{Peers} bring {lived} to harm reduction and treatment services. We explored their experiences of working within mainstream, non-peer-led {service_pl}.",
        "Hiring people who use or have used drugs is promoted as good practice in {service_pl}, but the experiences of these workers inside clinical organisations are rarely described.",
    ]).format(Peers=c["peers"].capitalize(), **c)
    methods = rng.choice([
        "We conducted {method} with {n} {peers} and {m} non-peer staff at {service_pl} in {place}. Transcripts were analysed using {analysis}.",
        "Using {method}, we spoke with {n} {peers} and {m} clients of a {service} in {region}; data were analysed with {analysis}.",
        "This qualitative study drew on {method} with {n} people employed as {peers} and {m} managers across {service_pl} in {region}, analysed using {analysis}.",
    ]).format(**c)
    results = rng.choice([
        "Participants described {t}. {Peers} valued their role but reported {t2}.",
        "Three themes were identified: {t}. Clients described {peers} as easier to talk to than other staff.",
        "Peers' accounts centred on {t}; managers acknowledged {t2} but had few ways to address it.",
    ]).format(t=_join(themes), t2=rng.choice(PEER_THEMES), Peers=c["peers"].capitalize(), **c)
    concl = rng.choice([
        "Organisations employing {peers} need {f} if peer work is to be sustained.",
        "Mainstream drug services can support peer workers through {f}.",
        "The findings point to {f} as conditions for meaningful peer employment in drug services.",
    ]).format(f=_join(rng.sample(ORG_FACTORS, 2)), **c)
    abstract = _structured(rng, [("Background", bg), ("Methods", methods), ("Results", results),
                                 ("Conclusions", concl)])
    kw = ["peer work", "lived experience", "qualitative research", "harm reduction", c["peer"], c["service"]]
    return title, abstract, kw


def _include_mixed_methods(rng, c, kind):
    """An evaluation whose abstract is mostly numbers; the peers' experiences are one strand."""
    title = _sentence_case_first(rng.choice([
        "Evaluation of a take-home naloxone programme in {service_pl} in {region}: a mixed-methods study",
        "Expanding {service_pl} in {place}: uptake, costs and staff experiences",
    ]).format(**c))
    abstract = _structured(rng, [
        ("Background", "{Service_pl} in {region} expanded rapidly between {y0} and {y1}.".format(
            Service_pl=c["service_pl"].capitalize(), **c)),
        ("Methods", ("We analysed service records for {N} clients and conducted interviews with {n} outreach workers "
                     "who had {lived}, and {m} nurses.").format(**c)),
        ("Results", ("Naloxone kits distributed rose by {p}% and {outcome} improved. In interviews, workers with "
                     "lived experience described {t}.").format(p=rng.randint(30, 140), t=_join(_themes(rng, 2)), **c)),
        ("Conclusions", "The expansion was feasible; the workers who delivered it need {f}.".format(
            f=_join(rng.sample(ORG_FACTORS, 2)))),
    ])
    return title, abstract, ["naloxone", "programme evaluation", "mixed methods", c["service"]]


def _include_title_only(rng, c):
    """An older record exported without an abstract: the title has to carry it."""
    title = "Working where you once used: staff with a history of drug use in a {service}".format(**c)
    return _sentence_case_first(title), None, []


def _include_client_view(rng, c):
    """Clients' view of staff with drug use histories; the word 'peer' is rare."""
    title = _sentence_case_first("'{quote}': clients' views of support from staff with {lived} in {service_pl}".format(**c))
    abstract = _structured(rng, [
        ("Background", "Many {service_pl} now employ workers who have themselves used drugs.".format(**c)),
        ("Methods", "We conducted {method} with {n} clients of {service_pl} in {place}, analysed with {analysis}.".format(**c)),
        ("Results", ("Clients said these workers understood their situation, were less judgemental and helped "
                     "them stay in treatment; some worried about confidentiality and about workers' own {t}.").format(
            t=rng.choice(["relapse", "wellbeing", "boundaries"]))),
        ("Conclusions", "Clients value staff with lived experience; services should support them in the role."),
    ])
    return title, abstract, ["client experiences", "lived experience", c["service"]]


def _hiv_peer(rng, i):
    """Peers in HIV and sexual health care: lived experience of HIV, not of drug use."""
    c = _ctx(rng)
    variants = [
        "Peer navigators in HIV care in {place}: a qualitative study of their experiences",
        "'{quote}': experiences of peer mentors living with HIV in antenatal clinics",
        "Role strain among peer health workers in HIV treatment programmes in {region}",
        "Lived experience and the HIV peer workforce: an interview study",
        "Peer educators in sexual health clinics for young people: a qualitative evaluation",
        "Community health workers with lived experience of tuberculosis in {place}: a qualitative study",
        "Peer support in cancer survivorship services: volunteers' experiences",
        "Peer counsellors for hepatitis B in primary care in {region}: staff and patient views",
        "Experiences of peer workers in diabetes self-management programmes in {place}",
        "Peer workers in homelessness services in {region}: boundaries and burnout",
    ]
    c["quote"] = rng.choice(QUOTES_INC)
    title = _sentence_case_first(variants[i % len(variants)].format(**c))
    abstract = _structured(rng, [
        ("Background", "Peers with lived experience are employed in health and social care services in {region}.".format(**c)),
        ("Methods", "We conducted {method} with {n} peer workers and {m} staff, analysed using {analysis}.".format(**c)),
        ("Results", "Peers described {t}.".format(t=_join(rng.sample(["role ambiguity", "emotional strain", "trust with patients", "low pay", "disclosure of their own diagnosis", "stigma from colleagues"], 3)))),
        ("Conclusions", "Services should define and support the peer role."),
    ])
    return title, abstract, ["peer support", "qualitative", "lived experience", "health services"]


def _quantitative_peer(rng, i):
    c = _ctx(rng)
    variants = [
        "Effect of {peer}-delivered support on {outcome}: {design}",
        "{Peers} and {outcome} in {service_pl} in {region}: {design}",
        "Does adding a {peer} to a {service} improve {outcome}? Results from {design}",
        "Job satisfaction and burnout among {peers} in harm reduction services: a national survey",
        "Peer-delivered naloxone training and overdose reversals in {place}: {design}",
        "Cost-effectiveness of {peers} in {service_pl}",
    ]
    title = _sentence_case_first(variants[i % len(variants)].format(Peers=c["peers"].capitalize(), **c))
    abstract = _structured(rng, [
        ("Background", rng.choice([
            "{Peers} with {lived} are widely employed in {service_pl}, but evidence of their effect on outcomes is limited.",
            "Peer-delivered interventions are common in harm reduction; we estimated their effect on {outcome}.",
        ]).format(Peers=c["peers"].capitalize(), **c)),
        ("Methods", "We conducted {design} involving {N} clients of {service_pl} in {region} between {y0} and {y1}. The primary outcome was {outcome}.".format(**c)),
        ("Results", rng.choice([
            "Clients assigned a {peer} had higher {outcome} (adjusted odds ratio {a:.2f}, 95% CI {lo:.2f}-{hi:.2f}).",
            "There was no significant difference in {outcome} between groups (risk ratio {a:.2f}, 95% CI {lo:.2f}-{hi:.2f}).",
            "Mean scores were {a:.1f} among {peers} compared with {lo:.1f} among other staff (p = 0.0{p}).",
        ]).format(a=rng.uniform(0.8, 2.4), lo=rng.uniform(0.5, 1.0), hi=rng.uniform(1.3, 3.1), p=rng.randint(1, 9), **c)),
        ("Conclusions", "{Peers} may change {outcome}; larger trials are needed.".format(Peers=c["peers"].capitalize(), **c)),
    ])
    kw = ["peer support", c["peer"], c["design"].split(" ", 1)[1], c["outcome"]]
    return title, abstract, kw


def _peer_run_org(rng, i):
    c = _ctx(rng)
    variants = [
        "Inside a drug user union: a qualitative study of a peer-run organisation in {place}",
        "Peer-led overdose response by a drug user organisation in {region}: members' experiences",
        "'{quote}': organising and activism among members of a peer-run harm reduction collective",
        "Running our own site: an ethnography of a peer-operated overdose prevention site in {place}",
        "Volunteers' experiences in a user-led needle exchange in {region}",
    ]
    title = _sentence_case_first(variants[i % len(variants)].format(**c))
    abstract = _structured(rng, [
        ("Background", "Organisations run by and for people who use drugs provide harm reduction outside the formal service system in {region}.".format(**c)),
        ("Methods", "We carried out {method} with {n} members and volunteers with {lived} of a peer-run organisation; data were analysed using {analysis}.".format(**c)),
        ("Results", "Members described {t}. Independence from health authorities was seen as essential to trust.".format(t=_join(rng.sample(["solidarity", "political advocacy", "burnout", "unpaid labour", "collective decision making", "police harassment"], 3)))),
        ("Conclusions", "User-led organisations play a distinct role and should be funded without compromising their autonomy."),
    ])
    return title, abstract, ["drug user organisations", "peer-led", "activism", "harm reduction", "qualitative"]


def _mental_health_peer(rng, i):
    c = _ctx(rng)
    variants = [
        "Experiences of peer support workers in community mental health teams: a qualitative study",
        "Lived experience of psychosis as a resource: peer workers in inpatient psychiatric wards",
        "'{quote}': peer support workers' accounts of boundaries in crisis mental health services",
        "Integrating peer specialists into early intervention services for psychosis in {region}",
        "Role clarity and supervision for mental health peer workers: an interview study in {place}",
        "Peer support for people with eating disorders: experiences of peer mentors",
        "Mental health peer workers and the emotional labour of disclosure",
    ]
    c["quote"] = rng.choice(QUOTES_INC)
    title = _sentence_case_first(variants[i % len(variants)].format(**c))
    abstract = _structured(rng, [
        ("Background", "Peer support workers with lived experience of mental illness are employed across mental health services in {region}.".format(**c)),
        ("Methods", "We used {method} with {n} peer support workers and {m} clinicians; transcripts were analysed using {analysis}.".format(**c)),
        ("Results", "Participants described {t}.".format(t=_join(rng.sample(["unclear roles", "boundaries with service users", "stigma from clinicians", "recovery-oriented values", "low pay", "disclosure of diagnosis"], 3)))),
        ("Conclusions", "Mental health services should clarify the peer role and provide peer supervision."),
    ])
    return title, abstract, ["peer support", "mental health", "lived experience", "qualitative", "recovery"]


def _review_commentary(rng, i):
    c = _ctx(rng)
    variants = [
        ("Peer work in harm reduction services: a scoping review", "review"),
        ("The effectiveness of peer-delivered interventions for people who use drugs: a systematic review and meta-analysis", "review"),
        ("Paying peers fairly: a commentary on employment practices in drug services", "commentary"),
        ("Protocol for a qualitative evaluation of {peers} in {service_pl} in {region}", "protocol"),
        ("Peer workers in substance use treatment: a narrative review of roles and outcomes", "review"),
        ("Lived experience is expertise: an editorial", "commentary"),
        ("Qualitative evidence on peer support in addiction recovery: a meta-synthesis protocol", "protocol"),
        ("Why drug services need peer workers now: a commentary", "commentary"),
        ("Peer navigation for people who use drugs: a rapid review", "review"),
        ("Learning from peer-led overdose responses: a letter to the editor", "commentary"),
        ("Peer support in opioid agonist treatment: an umbrella review", "review"),
        ("Supporting the peer workforce: reflections from a service manager", "commentary"),
        ("Peer workers and stigma in health care: a realist review", "review"),
        ("Study protocol: a stepped-wedge trial of {peers} in {service_pl}", "protocol"),
        ("Workforce development for {peers}: a policy analysis", "commentary"),
        ("Peer involvement in drug services research: a critical review", "review"),
    ]
    t, kind = variants[i % len(variants)]
    title = _sentence_case_first(t.format(**c))
    if kind == "review":
        ab = ("We searched {k} databases for studies of {peers} in {service_pl} and included {n} studies. Peers were associated with "
              "improved engagement; qualitative studies described {t}. More rigorous evaluations are needed.").format(
            k=rng.randint(4, 12), t=_join(rng.sample(PEER_THEMES, 2)), **c)
    elif kind == "protocol":
        ab = ("This protocol describes a planned study of {peers} with {lived} in {service_pl} in {region}. We will use {method} "
              "and {analysis}. Results are expected in {y}.").format(y=rng.randint(2020, 2025), **c)
    else:
        ab = ("People with {lived} are central to harm reduction, yet their employment in drug services is often precarious. "
              "In this commentary we argue for {f}.").format(f=_join(rng.sample(ORG_FACTORS, 2)), **c)
    return title, ab, ["peer work", kind, "harm reduction", "lived experience"]


def _informal_peers(rng, i):
    c = _ctx(rng)
    variants = [
        "Secondary syringe exchange among people who inject {sub} in {place}",
        "Peer influence and initiation of {subm} use among adolescents: a longitudinal study",
        "Social network characteristics and overdose witnessing among people who use {sub}",
        "Peer norms and alcohol use among university students in {region}",
        "Injecting with friends: social relationships and naloxone carriage in {place}",
        "Peer pressure and vaping among secondary school students in {region}",
        "Informal help-giving between people who use drugs during the COVID-19 pandemic in {place}",
        "Drug-using networks and hepatitis C transmission in {region}: a molecular epidemiology study",
        "School-based peer education on cannabis risks: a cluster trial in {region}",
        "Friendship networks and treatment entry among people who use {sub}",
    ]
    title = _sentence_case_first(variants[i % len(variants)].format(**c))
    ab = rng.choice([
        "Using data from {N} participants in {place}, we examined how peers and social networks shape {subm} use. Having a network member who used {sub} was associated with {outcome}.",
        "People who use {sub} often rely on friends and sexual partners rather than services. We interviewed {n} people in {place} about informal help between peers; they described sharing equipment, watching over each other and passing on naloxone.",
        "We followed {N} young people in {region} for {k} years. Peer use of {sub} predicted initiation (hazard ratio {a:.2f}).",
    ]).format(k=rng.randint(2, 6), a=rng.uniform(1.2, 3.0), **c)
    return title, ab, ["peer influence", "social networks", c["sub"], "substance use"]


def _qualitative_no_peer(rng, i):
    c = _ctx(rng)
    t, who = GENERIC_QUAL[i % len(GENERIC_QUAL)]
    c["quote"] = QUOTES_GEN[i % len(QUOTES_GEN)]
    title = _sentence_case_first(t.format(**c))
    participants = {"client": "clients", "staff": "staff members", "family": "family members"}[who]
    ab = _structured(rng, [
        ("Background", "Little is known about how {p} experience {service_pl} in {region}.".format(p=participants, **c)),
        ("Methods", "We conducted {method} with {n} {p}; data were analysed using {analysis}.".format(p=participants, **c)),
        ("Results", "Participants described {t}.".format(t=_join(rng.sample(["long waiting times", "stigma", "rigid rules", "supportive relationships with nurses", "fear of losing custody of children", "dosing schedules that clashed with work", "feeling judged", "the value of harm reduction supplies"], 3)))),
        ("Conclusions", "Services should be designed around the needs of the people who use them."),
    ])
    return title, ab, ["qualitative", c["service"], "experiences", c["sub"]]


def _other(rng, i):
    c = _ctx(rng)
    t, kind = GENERIC_TOPICS[i % len(GENERIC_TOPICS)]
    title = _sentence_case_first(t.format(**c))
    res = rng.choice([
        "The rate increased from {a:.1f} to {b:.1f} per 100 000 over the study period.",
        "In adjusted models, age, housing status and injecting frequency were associated with {outcome}.",
        "Of {N} participants, {p}% reported {subm} use in the past month.",
        "Uptake was {p}% overall and varied widely between sites.",
        "The intervention was feasible and acceptable; {p}% of clients completed follow-up.",
    ]).format(a=rng.uniform(2, 12), b=rng.uniform(12, 40), p=rng.randint(8, 81), **c)
    ab = _structured(rng, [
        ("Background", rng.choice([
            "People who use {sub} face high rates of overdose, infection and treatment dropout.",
            "{Service_pl} are a core part of the response to {subm}-related harm in {region}.",
            "Evidence is needed to guide the planning of {service_pl}.",
        ]).format(Service_pl=c["service_pl"].capitalize(), **c)),
        ("Methods", rng.choice([
            "We analysed routinely collected data on {N} clients of {service_pl} in {region} from {y0} to {y1}.",
            "We conducted {design} among {N} people who use {sub} in {place}.",
            "A survey was completed by {N} respondents attending {service_pl} in {place}.",
        ]).format(**c)),
        ("Results", res),
        ("Conclusions", rng.choice([
            "These findings support expanding {service_pl} in {region}.",
            "Targeted interventions are needed for people who use {sub}.",
            "Policy makers should monitor {outcome} more closely.",
        ]).format(**c)),
    ])
    kw = rng.sample(GENERIC_KEYWORDS, 4)
    return title, ab, kw


GENERATORS = {
    "include": _include, "quantitative_peer": _quantitative_peer, "peer_run_org": _peer_run_org,
    "mental_health_peer": _mental_health_peer, "review_commentary": _review_commentary,
    "informal_peers": _informal_peers, "qualitative_no_peer": _qualitative_no_peer, "hiv_other_peer": _hiv_peer,
    "other_drug_health": _other,
}


# ------------------------------------------------------------------------------------------------
def make_studies(seed: int = SEED) -> list[Study]:
    """The truth: every study once, with the databases that export it."""
    rng = random.Random(seed)
    studies: list[Study] = []
    seen_titles: set[str] = set()
    dbs = list(DATABASES)
    n = 0
    for category, count in COUNTS.items():
        made = 0
        attempt = 0
        while made < count:
            title, abstract, kw = GENERATORS[category](rng, made + attempt)
            title, abstract = _articles(title), _articles(abstract)
            key = "".join(ch for ch in title.lower() if ch.isalnum())
            if key in seen_titles:
                attempt += 1
                continue
            seen_titles.add(key)
            n += 1
            made += 1
            year = rng.randint(2009, 2023)
            k_auth = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6])
            authors = []
            for _ in range(k_auth):
                given = [rng.choice(GIVEN)] + ([rng.choice(GIVEN)] if rng.random() < 0.3 else [])
                authors.append((rng.choice(SURNAMES), given))
            journal = rng.choice(MH_JOURNALS if category == "mental_health_peer" else JOURNALS)
            doi = f"{DOI_PREFIX}.{year}.{n:04d}" if rng.random() < 0.88 else None
            # Which exports hold the study: a home database, others by chance; includes are
            # indexed more widely (as relevant studies usually are).
            home = rng.choice(dbs)
            extra = 0.45 if category == "include" else 0.17
            held = [d for d in dbs if d == home or rng.random() < extra]
            if abstract is not None and rng.random() < 0.06:
                abstract = None  # no abstract anywhere (letters, older records)
            study = Study(
                sid=f"S{n:03d}", category=category, title=title, abstract=abstract, year=year, authors=authors,
                journal=journal, volume=rng.randint(3, 48), issue=rng.randint(1, 12), start_page=rng.randint(1, 980),
                n_pages=rng.randint(5, 16), doi=doi, keywords=kw, dbs=held)
            for d in held:
                if abstract is not None and rng.random() < 0.07:
                    study.abstract_missing_in.add(d)
                if doi is not None and rng.random() < 0.1:
                    study.doi_missing_in.add(d)
            if abstract is not None and len(study.abstract_missing_in) == len(held):
                study.abstract_missing_in.discard(held[0])  # keep the "no abstract anywhere" share as set above
            studies.append(study)
    return studies


# -- per-database conventions ---------------------------------------------------------------------
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}


def title_case(title: str) -> str:
    """Scopus-style Title Case (small words stay lower case except at the start)."""
    out = []
    for i, w in enumerate(title.split(" ")):
        bare = w.strip("'\"(:")
        if i > 0 and bare.lower() in _SMALL:
            out.append(w.lower())
        elif w[:1] in "'\"(":
            out.append(w[:1] + w[1:2].upper() + w[2:])
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _initials(given: list[str], dots: bool) -> str:
    return "".join(g[0] + ("." if dots else "") for g in given)


def _pages(s: Study) -> tuple[str, str]:
    return str(s.start_page), str(s.start_page + s.n_pages - 1)


def _lines_medline(s: Study, rng: random.Random) -> list[tuple[str, str]]:
    title = s.title if s.title.endswith((".", "?", "!")) else s.title + "."
    lines = [("TY", "JOUR"), ("DB", "MEDLINE"), ("TI", title)]
    for sur, given in s.authors:
        lines.append(("AU", f"{sur}, {given[0]}" + (f" {_initials(given[1:], False)}" if len(given) > 1 else "")))
    sp, ep = _pages(s)
    lines += [("PY", str(s.year)), ("T2", s.journal[0]), ("J2", s.journal[1]), ("VL", str(s.volume)),
              ("IS", str(s.issue)), ("SP", f"{sp}-{ep[-2:] if len(ep) > 2 and ep[:-2] == sp[:-2] else ep}")]
    if s.abstract and "medline_sample.ris" not in s.abstract_missing_in:
        lines.append(("AB", s.abstract))
    for k in s.keywords:
        lines.append(("KW", k))
    if s.doi and "medline_sample.ris" not in s.doi_missing_in:
        lines.append(("DO", s.doi))
    lines.append(("AN", str(98000000 + int(s.sid[1:]))))  # 98xxxxxx: above any real PubMed id today
    lines.append(("N1", NOTICE))
    return lines


def _lines_psycinfo(s: Study, rng: random.Random) -> list[tuple[str, str]]:
    title = s.title.replace(": ", " \u2014 ", 1) if rng.random() < 0.2 else s.title  # em dash subtitle
    lines = [("TY", "JOUR"), ("T1", title)]
    for sur, given in s.authors:
        lines.append(("A1", f"{sur}, {' '.join(given)}"))
    sp, ep = _pages(s)
    lines += [("Y1", f"{s.year}///"), ("JO", s.journal[0]), ("VL", str(s.volume)), ("IS", str(s.issue)),
              ("SP", sp), ("EP", ep)]
    if s.abstract and "psycinfo_sample.ris" not in s.abstract_missing_in:
        lines.append(("N2", s.abstract))
    for k in s.keywords:
        lines.append(("KW", k.capitalize()))
    if s.doi and "psycinfo_sample.ris" not in s.doi_missing_in:
        lines.append(("UR", f"https://doi.org/{s.doi}"))
    lines += [("DB", "APA PsycInfo"), ("DP", "EBSCOhost")]
    lines.append(("N1", NOTICE))
    return lines


def _lines_scopus(s: Study, rng: random.Random) -> list[tuple[str, str]]:
    title = title_case(s.title)
    if rng.random() < 0.25:
        title = title.replace("'", "\u2018", 1).replace("'", "\u2019", 1)  # curly quotes
    lines = [("TY", "JOUR"), ("TI", title)]
    for sur, given in s.authors:
        lines.append(("AU", f"{sur}, {_initials(given, True)}"))
    sp, ep = _pages(s)
    lines += [("PY", str(s.year)), ("T2", s.journal[0]), ("VL", str(s.volume)), ("IS", str(s.issue)),
              ("SP", sp), ("EP", ep)]
    if s.abstract and "scopus_sample.ris" not in s.abstract_missing_in:
        lines.append(("AB", f"{s.abstract} \u00a9 {s.year} The Author(s)."))
    for k in s.keywords:
        lines.append(("KW", k))
    doi = s.doi if s.doi and "scopus_sample.ris" not in s.doi_missing_in else None
    if doi:
        lines.append(("DO", doi.upper() if rng.random() < 0.3 else doi))
    eid = f"2-s2.0-990000{int(s.sid[1:]):05d}"
    url = f"https://www.scopus.com/inward/record.uri?eid={eid}" + (f"&doi={doi}" if doi else "") + "&partnerID=40"
    lines += [("UR", url), ("DB", "Scopus"), ("N1", NOTICE)]
    return lines


WRITERS = {"medline_sample.ris": _lines_medline, "psycinfo_sample.ris": _lines_psycinfo,
           "scopus_sample.ris": _lines_scopus}


def render_ris(studies: list[Study], db_file: str, seed: int = SEED) -> str:
    """One database's export, in its own record order and field conventions."""
    rng = random.Random(f"{seed}-{db_file}")
    held = [s for s in studies if db_file in s.dbs]
    rng.shuffle(held)
    out = io.StringIO()
    for s in held:
        for tag, value in WRITERS[db_file](s, rng):
            out.write(f"{tag}  - {value}\n")
        out.write("ER  - \n\n")
    return out.getvalue()


def render_labels(studies: list[Study]) -> str:
    """labels.csv: the reviewer's decision on every study, keyed by DOI (else title and year)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["study_id", "doi", "title", "year", "first_author", "label", "category", "databases"])
    for s in studies:
        w.writerow([s.sid, s.doi or "", s.title, s.year, s.authors[0][0], s.label, s.category,
                    ";".join(sorted(d.replace("_sample.ris", "") for d in s.dbs))])
    return out.getvalue()


def render_all(seed: int = SEED) -> dict[str, str]:
    """File name -> text, for every file the sample holds."""
    studies = make_studies(seed)
    files = {f: render_ris(studies, f, seed) for f in DATABASES}
    files["labels.csv"] = render_labels(studies)
    return files


def summary(seed: int = SEED) -> dict:
    """Counts a test or the README can check the imported project against."""
    studies = make_studies(seed)
    per_file = {f: sum(1 for s in studies if f in s.dbs) for f in DATABASES}
    return {
        "studies": len(studies),
        "records": sum(per_file.values()),
        "per_file": per_file,
        "duplicates": sum(per_file.values()) - len(studies),
        "includes": sum(1 for s in studies if s.label == "include"),
        "no_abstract_anywhere": sum(1 for s in studies if s.abstract is None),
        "no_doi": sum(1 for s in studies if s.doi is None),
        "categories": {c: sum(1 for s in studies if s.category == c) for c in COUNTS},
    }


def write(directory: Path = HERE, seed: int = SEED) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in render_all(seed).items():
        p = directory / name
        p.write_bytes(text.encode("utf-8"))  # bytes: the same on every platform (no CRLF)
        paths.append(p)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: beside this script)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = ap.parse_args(argv)
    if args.check:
        stale = [n for n, t in render_all(args.seed).items()
                 if not (args.out / n).exists() or (args.out / n).read_bytes() != t.encode("utf-8")]
        for n in stale:
            print(f"{args.out / n} is missing or out of date; run {Path(__file__).name} to rewrite it")
        return 1 if stale else 0
    for p in write(args.out, args.seed):
        print(f"wrote {p}")
    print(summary(args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
