"""A trial register's record on the web pages: its trial id, the link to its entry in the register and, on the
record page, its inclusion and exclusion criteria, as a reviewer screening a registration reads them."""

from __future__ import annotations

import csv

from webtestdata import build_project, login, page_text

from screener.project import Project
from screener.web.app import _payload

ICTRP = {"TrialID": "ISRCTN12345678", "Public title": "Exercise after stroke", "Source Register": "ISRCTN",
         "Scientific title": "A randomised trial of walking after a first stroke", "Date registration": "02/11/2017",
         "web address": "https://www.isrctn.com/ISRCTN12345678", "Condition": "Stroke",
         "Inclusion Criteria": "Adults after a first stroke", "Exclusion Criteria": "Unable to walk 10 metres"}


def _with_register(tmp_path):
    """A 16-record review with one WHO ICTRP entry imported beside it; returns it and the entry's record id."""
    directory, _ = build_project(tmp_path / "review", n=16, xss=False)
    path = tmp_path / "ictrp.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ICTRP))
        w.writeheader()
        w.writerow(ICTRP)
    with Project.open(directory) as p:
        p.import_files([path])
        recs = p.records_frame()
        rid = int(recs.index[recs["source_ref"] == "ISRCTN12345678"][0])
    return directory, rid


def test_a_register_record_page_shows_its_trial_id_link_and_criteria(tmp_path, opened):
    directory, rid = _with_register(tmp_path)
    app = opened(directory)
    c, _ = login(app, "Ann")
    html = page_text(c.get(f"/records/{rid}"))
    assert 'href="https://www.isrctn.com/ISRCTN12345678"' in html
    assert "ISRCTN12345678" in html.split('href="https://www.isrctn.com/ISRCTN12345678"', 1)[1].split("</a>")[0]
    assert "Adults after a first stroke" in html and "Unable to walk 10 metres" in html
    before = html.split("Adults after a first stroke")[0]  # the criteria in a folded section
    assert "<details" in before and "</details>" not in before.rsplit("<details", 1)[1]
    other = page_text(c.get("/records/1"))  # a journal article: no register entry, no criteria
    assert "register entry" not in other.lower() and "criteria" not in other.lower()


def test_the_screening_payload_carries_the_trial_id_and_link(tmp_path, opened):
    directory, rid = _with_register(tmp_path)
    app = opened(directory)
    eng = app.extensions["screener"]
    rec = _payload(eng, rid, "Ann")
    assert rec["trial_id"] == "ISRCTN12345678"
    assert rec["register_url"] == "https://www.isrctn.com/ISRCTN12345678"
    assert (_payload(eng, 1, "Ann")["trial_id"], _payload(eng, 1, "Ann")["register_url"]) == ("", "")
    c, _ = login(app, "Ann")
    html = page_text(c.get("/screen"))
    assert 'id="rec-register"' in html
