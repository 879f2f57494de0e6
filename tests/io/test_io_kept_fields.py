"""Import keeps every field a record gives, or says what it did not keep."""

from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import read_records

ENGLISH = "Peer navigation for HIV care: a randomised trial"
GERMAN = "Peer-Navigation in der HIV-Versorgung: eine randomisierte Studie"

#: one record, two titles (the English one, then the original-language one), as each format writes it
TWO_TITLES = {
    "records.ris": f"TY  - JOUR\nTI  - {ENGLISH}\nTI  - {GERMAN}\nAU  - Smith, J\nPY  - 2020\n"
                   "AB  - Men who have sex with men were offered peer navigation.\nER  - \n",
    "records.nbib": f"PMID- 123\nTI  - {ENGLISH}\nTI  - {GERMAN}\nAU  - Smith J\nDP  - 2020\n"
                    "AB  - Men who have sex with men were offered peer navigation.\n",
    "records.txt": f"TI- {ENGLISH}\nTI- {GERMAN}\nAU- Smith, J\nYR- 2020\n"
                   "AB- Men who have sex with men were offered peer navigation.\n",
    "citation-export.txt": f"Record #1 of 1\nID: CN-02070010\nTI: {ENGLISH}\nTI: {GERMAN}\nAU: Smith J\nYR: 2020\n"
                           "AB: Men who have sex with men were offered peer navigation.\n",
}


@pytest.mark.parametrize("name", TWO_TITLES)
def test_a_records_second_title_is_kept_before_its_abstract(tmp_path, name):
    """A second title (often the paper's title in its own language) was dropped without a word in RIS, MEDLINE and
    EBSCO, and joined onto the first in Cochrane's text. Each format now keeps the first as the title and opens the
    abstract with the other, as a register entry's scientific title is kept, so screening and de-duplication read
    both and the title stays the one other databases give."""
    path = tmp_path / name
    path.write_text(TWO_TITLES[name], encoding="utf-8")
    (rec,) = read_records(path).records
    assert rec["title"] == ENGLISH
    assert rec["abstract"] == f"Other title: {GERMAN}\nMen who have sex with men were offered peer navigation."


def test_a_title_given_twice_alike_is_not_kept_twice(tmp_path):
    path = tmp_path / "records.ris"
    path.write_text(f"TY  - JOUR\nTI  - {ENGLISH}\nT1  - {ENGLISH.upper()}.\nAB  - An abstract.\nER  - \n",
                    encoding="utf-8")
    (rec,) = read_records(path).records
    assert (rec["title"], rec["abstract"]) == (ENGLISH, "An abstract.")
