"""A screened project for the report tests: the sample review plus one record whose title is markup."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

import pytest

from screener.demo import PROTOCOL, SAMPLE_DIR, SAMPLE_FILES
from screener.project import Project
from screener.records import normalise_doi
from screener.store import Decision

# '<marquee>' is no tag a database writes for type or layout (the import drops '<b>', '<big>', '<p>'): it stays
XSS_TITLE = "<script>window.__xss = 1;</script> Peer <marquee>workers</marquee> & clients: a qualitative study"

XSS_RIS = f"""TY  - JOUR
TI  - {XSS_TITLE}
AU  - Testperson, Quill
PY  - 2021
T2  - Journal of Escaping Tests
AB  - Peer workers with lived experience of drug use in a harm reduction service were interviewed.
DO  - 10.5555/xss.2021.0001
ER  - 
"""


@pytest.fixture(scope="session")
def xss_title() -> str:
    return XSS_TITLE


@pytest.fixture(scope="package")
def screened_project(tmp_path_factory):
    """Sample + the markup record, with the first 120 studies decided: all includes among them.

    The order puts the includes early (as a good ranking would), so the estimators have a curve
    that has flattened; the markup record is decided include so it is listed in the report.
    """
    base = tmp_path_factory.mktemp("report")
    extra = base / "extra.ris"
    extra.write_text(XSS_RIS, encoding="utf-8")
    project = Project.init(base / "project", protocol=PROTOCOL, settings={"embedding_model": "none", "seed": 7})
    project.import_files([*(SAMPLE_DIR / f for f in SAMPLE_FILES), extra])
    rows = list(csv.DictReader(open(SAMPLE_DIR / "labels.csv", encoding="utf-8")))
    label_by_doi = {normalise_doi(r["doi"]): r["label"] for r in rows if r["doi"]}
    recs = project.records_frame()
    with_doi = recs[recs["doi"].notna()]
    labelled = [(rid, label_by_doi.get(normalise_doi(d), "include" if "xss" in d else None))
                for rid, d in zip(with_doi.index, with_doi["doi"])]
    inc = [rid for rid, lab in labelled if lab == "include"]
    exc = [rid for rid, lab in labelled if lab == "exclude"]
    order = inc[:4] + exc[:30] + inc[4:] + exc[30:120 - len(inc)]
    decided = {rid: "include" if rid in set(inc) else "exclude" for rid in order}
    # screened from a ranking in that order, as a reviewer does (decisions made from no ranking
    # say nothing of where the includes sit: the estimators leave them out)
    ranked = order + [int(r) for r in recs.index if int(r) not in set(order)]
    project.store.save_ranking({"phase": "model"}, pd.DataFrame({"record_id": ranked,
                                                                 "score": np.linspace(1, 0, len(ranked))}), 0)
    project.decide_many([Decision(record_id=int(r), decision=decided[r], reviewer="tester", origin="test")
                         for r in order])
    project.xss_record = int(with_doi.index[with_doi["doi"].str.contains("xss")][0])
    yield project
    project.close()
