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
