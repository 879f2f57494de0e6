"""A small labelled review for the web tests: 60 records with clear include / exclude words.

The truth is kept by the test (not imported as labels), so the tests screen the records
themselves through the web app, as a reviewer would.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from screener.project import Project

PASSWORD = "correct horse battery"

INCLUDE_WORDS = ["peer support", "peer workers", "harm reduction", "lived experience", "qualitative interviews",
                 "people who use drugs", "supervised consumption", "focus groups", "recovery coaching"]
EXCLUDE_WORDS = ["cardiac surgery", "randomised trial", "insulin dosing", "knee replacement", "mortality",
                 "blood pressure", "statin therapy", "hip fracture", "chemotherapy"]
FILLER = ["in a regional setting", "across three sites", "during 2019", "among adults", "in primary care",
          "with follow-up", "a mixed sample"]

# '<marquee>' is no tag a database writes for type or layout (the import reads '<b>', '<big>', '<p>' as such
# and drops them), so it reaches the pages as text, which they must escape
XSS_TITLE = 'Peer support <marquee>bold claim</marquee> & harm reduction'
XSS_ABSTRACT = ('Qualitative interviews with peer workers <script>window.__xss = 1</script> '
                '<img src=x onerror="window.__xss=2"> about harm reduction & lived experience.')

PROTOCOL = """
title = "Experiences of peer workers in harm reduction services"
inclusion = ["qualitative interviews or focus groups", "peer support by people with lived experience of drug use"]
exclusion = ["randomised trial", "surgery"]
key_terms = ["peer support", "harm reduction"]
"""


def make_records(n: int = 60, n_include: int = 15, seed: int = 0) -> tuple[list[dict], list[int]]:
    rng = random.Random(seed)
    rows, truth = [], []
    for i in range(n):
        inc = i % (n // n_include) == 0 and sum(truth) < n_include
        words = INCLUDE_WORDS if inc else EXCLUDE_WORDS
        picks = rng.sample(words, 4)
        title = f"{picks[0].capitalize()} and {picks[1]} {rng.choice(FILLER)} (study {i + 1})"
        abstract = (f"We studied {picks[0]}, {picks[1]} and {picks[2]} {rng.choice(FILLER)}. "
                    f"Findings on {picks[3]} are reported {rng.choice(FILLER)}.")
        rows.append({"title": title, "abstract": abstract, "authors": f"Author{i} A; Second{i} B",
                     "year": str(2000 + i % 24), "journal": "Journal of Tests", "doi": f"10.1234/test.{i + 1}",
                     "source": "TestDB"})
        truth.append(int(inc))
    return rows, truth


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def build_project(directory: Path, *, mode: str = "single", n: int = 60, protocol: bool = True,
                  xss: bool = True) -> tuple[Path, dict[int, int]]:
    """A project in ``directory``; returns it and the truth per record id (1 include, 0 exclude)."""
    rows, truth = make_records(n)
    if xss:
        rows[0]["title"] = XSS_TITLE
        rows[0]["abstract"] = XSS_ABSTRACT
        truth[0] = 1
    src = directory.parent / f"{directory.name}-records.csv"
    write_csv(rows, src)
    proto = None
    if protocol:
        proto = directory.parent / f"{directory.name}-protocol.toml"
        proto.write_text(PROTOCOL, encoding="utf-8")
    with Project.init(directory, protocol=proto, settings={"mode": mode, "embedding_model": "none"}) as p:
        p.import_files([src], source_db="TestDB")
        ids = list(p.records_frame().index)
    return directory, dict(zip(ids, truth))


#: two records of one journal issue, volume and first page with different titles: de-duplication keeps them
#: apart but lists them for a person to decide (the third, with the second's DOI, is its copy)
PAIR = [
    {"title": "Colchicine prevents early post-operative pericardial effusions", "authors": "Imazio, M.; Brucato, A.",
     "year": "2011", "journal": "European Heart Journal", "volume": "32", "issue": "4", "pages": "597", "doi": "",
     "source": "Embase"},
    {"title": "Post-pericardiotomy syndrome: contemporary features and prognosis", "authors": "Imazio, M.",
     "year": "2011", "journal": "European Heart Journal", "volume": "32", "issue": "", "pages": "597",
     "doi": "10.1093/eurheartj/ehq999", "source": "Embase"},
]


def with_pair(tmp_path: Path, *, mode: str = "single", copy: bool = False) -> tuple[Path, int, int]:
    """A 16-record review (``build_project``) with the pair imported from Embase; returns it and the
    pair's record ids."""
    directory, _ = build_project(tmp_path / mode, mode=mode, n=16, xss=False)
    rows = PAIR + ([dict(PAIR[1])] if copy else [])
    with Project.open(directory) as p:
        p.import_files([write_csv(rows, tmp_path / "embase.csv")], source_db="Embase")
        rev = p.duplicate_review()
        assert len(rev), "the pair should be listed for review"
        a, b = int(rev["record_id"].iloc[0]), int(rev["other_id"].iloc[0])
    return directory, a, b


# -- the web app through Flask's test client -------------------------------------------------------
TOKEN_ATTR = re.compile(r'(name="(?:csrf[-_]token|form_key)" (?:value|content)=")[^"]*(")')


def page_text(resp_or_html) -> str:
    """A page with its random form tokens and keys blanked: a name checked for absence ('Ben') can turn up in one
    by chance."""
    html = resp_or_html if isinstance(resp_or_html, str) else resp_or_html.get_data(as_text=True)
    return TOKEN_ATTR.sub(r"\1\2", html)


def form_token(c, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).get_data(as_text=True)).group(1)


def login(app, name, role="reviewer", *, client=None):
    """Sign in as a reviewer would: with an account (made here if missing) once accounts are on,
    else by typing a name. Returns the client and its CSRF token."""
    c = client or app.test_client()
    first = c.get("/screen")
    if first.status_code == 302 and "/login" in first.headers["Location"]:
        from screener.accounts import add_user

        store = app.config["SCREENER_PROJECT"].store
        if store.get_user(name) is None:
            add_user(store, name, role, PASSWORD)
        r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": form_token(c, "/login")})
        assert r.status_code == 302, r.get_data(as_text=True)
    elif first.status_code == 302:
        r = c.post("/reviewer", data={"name": name, "csrf_token": form_token(c, "/reviewer")})
        assert r.status_code == 302, r.get_data(as_text=True)
    page = c.get("/screen")
    assert page.status_code == 200
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)
    return c, token


def decide(c, token, rid, decision, note=None):
    r = c.post("/api/decide", json={"record_id": rid, "decision": decision, "note": note},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def shown_id(c):
    return c.get("/api/next").get_json()["record"]["record_id"]
