"""Reading one decision cell, and listing every unreadable one of a file."""

import pytest

from screener.errors import InputError
from screener.io.label_values import collect_unreadable, parse_label


def test_unreadable_cells_are_collected_while_collecting_and_refused_otherwise():
    with collect_unreadable() as bad:
        got = [parse_label(v, row=f"row {i}", column="decision") for i, v in enumerate(["yes", "perhaps", "", "x"])]
    assert got == ["include", None, None, None]
    assert [(b.value, b.where, b.column) for b in bad] == [("perhaps", "row 1", "decision"), ("x", "row 3", "decision")]
    with pytest.raises(InputError) as e:  # outside, the first one stops the import as before
        parse_label("perhaps", line=7, column="decision")
    assert "line 7" in str(e.value) and "'perhaps'" in str(e.value)


@pytest.mark.parametrize("word, want", [("inc", "include"), ("Inc", "include"), ("exc", "exclude"),
                                        ("ex", "exclude"), ("incl", "include"), ("excl", "exclude"),
                                        ("in", "include"), ("out", "exclude"), ("i", "include"), ("e", "exclude")])
def test_the_short_forms_of_include_and_exclude_are_all_read(word, want):
    assert parse_label(word) == want


def test_the_refusal_lists_every_short_form_it_accepts(tmp_path):
    with pytest.raises(InputError) as e:
        parse_label("perhaps", path=tmp_path / "batch.csv", row="row 4", column="decision")
    msg = str(e.value)
    assert "batch.csv" in msg and "row 4" in msg and "'perhaps'" in msg
    for short in ("incl/excl", "inc/exc", "in/out", "i/e", "y/n"):
        assert short in msg, short
