"""How the RIS reader files each line into a record's tags (``raw``): the reader skips rispy's
per-line calls for the common cases, so each case is pinned here, including the odd ones
rispy decides (a wrapped keyword line is a keyword of its own; a repeated tag becomes a list)."""

from __future__ import annotations

import json

import pytest

from screener.errors import InputError
from screener.io.ris import parse_ris_text

LINES = """\
TY  - JOUR
TI  - A title that wraps
  onto a second line
SN  - 1234-5678
SN  - 8765-4321
  (Electronic)
KW  - Syndemics
  HIV
KW  - Men who have sex with men
UR  - http://a.example/1; http://b.example/2
  http://c.example/3
ZZ  - a tag rispy does not know
  continued
ab  - a lower-case tag
M1  - 1
M1  - 2
AU  - Smith, J
ER  - 
NL  - AIDS Behav
""".split("\n")


def test_each_kind_of_line_lands_where_rispy_puts_it():
    ((line, tags),) = parse_ris_text(list(LINES), "f.ris")
    assert line == 1
    assert tags == {
        "TY": "JOUR",
        "TI": "A title that wraps onto a second line",  # wrapped line joins its value
        "SN": ["1234-5678", "8765-4321 (Electronic)"],  # repeated: a list; wrap joins the last value
        "KW": ["Syndemics", "HIV", "Men who have sex with men"],  # a wrapped list-tag line is an item
        "UR": ["http://a.example/1", "http://b.example/2", "http://c.example/3"],  # split at ';'
        "M1": ["1", "2"],
        "AU": ["Smith, J"],
        "ZZ": "a tag rispy does not know continued",
        "AB": "a lower-case tag",  # read as upper case (rispy takes it for text)
        "NL": "AIDS Behav",  # written after ER (Ovid): kept with the record before
    }
    # key order is the order of first appearance, with unknown tags after the known ones
    assert list(tags) == ["TY", "TI", "SN", "KW", "UR", "AB", "M1", "AU", "ZZ", "NL"]
    json.dumps(tags)


def test_lines_are_released_as_they_are_read():
    lines = list(LINES)
    parse_ris_text(lines, "f.ris")
    assert all(line is None for line in lines)


def test_text_before_the_first_tag_of_a_record_is_kept():
    ((_, tags),) = parse_ris_text(["TY  - JOUR", "  stray text", "TI  - T", "ER  - "], "f.ris")
    assert tags == {"TY": "JOUR", "_untagged": ["stray text"], "TI": "T"}


@pytest.mark.parametrize(
    "lines, line, message",
    [
        (["TY  - JOUR", "TI  - a", "TY  - JOUR", "ER  - "], 3, "no end line"),
        (["TY  - JOUR", "TI  - a"], 1, "looks cut off"),
        (["TY  - JOUR", "ER  - ", "TI  - a", "ER  - "], 3, "no first line 'TY  - '"),
    ],
)
def test_broken_records_name_the_line(lines, line, message):
    with pytest.raises(InputError) as err:
        parse_ris_text(lines, "f.ris")
    assert err.value.line == line and message in str(err.value)
