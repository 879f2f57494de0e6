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


#: two CENTRAL records of the Cochrane Library's text export, the second's 'Record #2 of 2' line lost
NO_SECOND_HEADER = """\
Record #1 of 2
ID: CN-02070010
AU: Smith J
TI: Peer navigation for HIV care among men who have sex with men: a randomized trial
YR: 2020
AB: Men who have sex with men were offered peer navigation.
US: https://www.cochranelibrary.com/central/doi/10.1002/central/CN-02070010/full

ID: CN-02070011
TI: Syndemic conditions and condomless sex: a cluster trial
YR: 2021
"""


def test_a_cochrane_record_whose_record_line_is_lost_is_read_on_its_own(tmp_path):
    """A record whose 'Record #n of N' line was lost was joined to the one above (the two titles run together) and
    the note said 'Record #2 is not in it'. Its own CENTRAL id line starts it: two records, and no note."""
    path = tmp_path / "citation-export.txt"
    path.write_text(NO_SECOND_HEADER, encoding="utf-8")
    res = read_records(path)
    a, b = res.records
    assert (a["source_id"], a["year"], a["title"]) == (
        "CN-02070010", 2020, "Peer navigation for HIV care among men who have sex with men: a randomized trial")
    assert (b["source_id"], b["year"], b["title"], b["source_line"]) == (
        "CN-02070011", 2021, "Syndemic conditions and condomless sex: a cluster trial", 9)
    assert "Other title" not in (a["abstract"] or "")
    assert res.warnings == []


def test_a_cochrane_record_run_into_the_one_above_without_its_id_is_refused(tmp_path):
    """Without its id line either, the second record's title (after the first's other fields) was joined onto the
    first's. It is refused now, naming the line, and nothing is saved; a title right after the title (the same
    record's title in another language) is still read."""
    path = tmp_path / "citation-export.txt"
    path.write_text(NO_SECOND_HEADER.replace("ID: CN-02070011\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert err.value.line == 9 and "'Record #" in msg and "line 1" in msg and "Nothing was imported" in msg, msg


def test_an_ris_end_line_holding_text_before_another_end_line_is_named(tmp_path):
    """'ER  - 1240' (text on a record's end line) ended the record, its text lost, and the 'ER  - ' after it was
    taken for a record without its first line: the advice was to add 'TY  - JOUR'. The message now names the end
    line that holds text and says what to do with it."""
    path = tmp_path / "records.ris"
    path.write_text("TY  - JOUR\nTI  - Peer work\nSP  - 1234\nER  - 1240\nER  - \n\nTY  - JOUR\nTI  - Other\nER  - \n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert err.value.line == 4 and "'1240'" in msg and "line 5" in msg and "Nothing was imported" in msg, msg
    assert "TY  - JOUR" not in msg


def test_an_id_line_in_a_cochrane_abstract_does_not_start_another_record(tmp_path):
    """An abstract's line that reads as an id ('ID: NCT01234567', a trial's registration) after the record's own
    CENTRAL id started a record of its own: an empty record, counted in PRISMA and warned about as having no title.
    Only a Cochrane Library id (CN-, CD, ED) starts a record whose 'Record #' line was lost."""
    path = tmp_path / "citation-export.txt"
    path.write_text(NO_SECOND_HEADER.replace("AB: Men who have sex with men were offered peer navigation.\n",
                                             "AB: Men who have sex with men were offered peer navigation.\n"
                                             "Trial registration:\nID: NCT01234567\n"), encoding="utf-8")
    res = read_records(path)
    assert [r["source_id"] for r in res.records] == ["CN-02070010", "CN-02070011"]
    assert res.records[0]["abstract"].endswith("Trial registration: ID: NCT01234567")
    assert res.warnings == []


@pytest.mark.parametrize("after", ["\nTY  - JOUR\nTI  - Other\nER  - \n",
                                   "\nNL  - AIDS Behav\n\nTY  - JOUR\nTI  - Other\nER  - \n", ""])
def test_an_ris_end_line_holding_text_before_the_next_record_is_named(tmp_path, after):
    """'ER  - 1240' (a mistyped 'EP' tag) followed by the next record, or by the end of the file, was read without a
    word and its text lost. The import now names the end line that holds text, as it does when another 'ER' follows."""
    path = tmp_path / "records.ris"
    path.write_text("TY  - JOUR\nTI  - Peer work\nSP  - 1234\nER  - 1240\n" + after, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert err.value.line == 4 and "'1240'" in msg and "line 1" in msg and "Nothing was imported" in msg, msg
    assert "TY  - JOUR" not in msg


def test_a_cochrane_first_record_whose_record_line_is_lost_is_read(tmp_path):
    """The first record's 'Record #1 of 2' line lost: its fields, before any 'Record #' line, were skipped and only
    the note 'Record #1 is not in it' said so. They are read as record 1 now, and there is no note."""
    path = tmp_path / "citation-export.txt"
    text = NO_SECOND_HEADER.replace("Record #1 of 2\n", "Exported from the Cochrane Library\n\n")
    path.write_text(text.replace("ID: CN-02070011", "Record #2 of 2\nID: CN-02070011"), encoding="utf-8")
    res = read_records(path)
    a, b = res.records
    assert (a["source_id"], a["year"], a["source_line"]) == ("CN-02070010", 2020, 3)
    assert a["title"] == "Peer navigation for HIV care among men who have sex with men: a randomized trial"
    assert (b["source_id"], b["title"]) == ("CN-02070011", "Syndemic conditions and condomless sex: a cluster trial")
    assert res.warnings == []


def test_cochrane_fields_before_record_one_are_refused(tmp_path):
    """Fields before the 'Record #1 of N' line belong to no record the file counts: they are refused, naming the
    line, instead of being skipped without a word."""
    path = tmp_path / "citation-export.txt"
    text = NO_SECOND_HEADER.replace("ID: CN-02070011", "Record #2 of 2\nID: CN-02070011")
    path.write_text("TI: A stray title\nYR: 2019\n\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records(path)
    msg = str(err.value)
    assert err.value.line == 1 and "'Record #1 of 2'" in msg and "line 4" in msg and "Nothing was imported" in msg, msg
