"""What add_records writes for awkward values: the stored text is what the rest of screener (and
older projects) expect, so missing lists, numbers given as text and non-ASCII raw tags keep
their exact form."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from screener.records import empty_record
from screener.store import Source

from stores import open_store


@pytest.fixture
def store(store_target):
    s = open_store(store_target, create=True)
    yield s
    s.close()


def test_stored_text_of_awkward_values(store):
    a, b = empty_record(), empty_record()
    a.update(title="Müller–Gómez", authors=("Müller, A", "Gómez, B"), keywords=["naïve"], year="2019", pmid=123,
             source_id=7, raw={"TI": "Müller–Gómez", "KW": ["naïve", "x"], "DA": dt.date(2019, 5, 1)})
    b.update(title="No lists", authors=None, keywords=[], year=float("nan"), raw=None)
    sid = store.add_source(Source(file_name="a.ris", path="/tmp/a.ris", format="ris", encoding="utf-8",
                                  source_db="x", sha256="0" * 64, n_records=2))
    with store.transaction():
        assert store.add_records([a, b], sid) == [1, 2]
    with store.transaction():  # a second file continues the numbering
        assert store.add_records([empty_record()], sid) == [3]
    rows = [tuple(r) for r in store._conn.execute(  # the stored text itself, in either database
        "SELECT authors, keywords, year, pmid, source_ref, raw FROM records ORDER BY record_id").fetchall()]
    assert rows[0] == (
        '["M\\u00fcller, A", "G\\u00f3mez, B"]', '["na\\u00efve"]', 2019, "123", "7",
        '{"TI": "Müller–Gómez", "KW": ["naïve", "x"], "DA": "2019-05-01"}',
    )
    assert rows[1] == ("[]", "[]", None, None, None, "{}")
    df = store.records_frame(with_raw=True)
    assert df.loc[1, "authors"] == ["Müller, A", "Gómez, B"] and df.loc[2, "keywords"] == []
    assert df.loc[1, "raw"] == json.loads(rows[0][5])
