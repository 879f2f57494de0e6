"""read_lines decodes UTF-8 a block of whole lines at a time: lines, line numbers and the fallbacks
must not depend on where a block ends (tiny blocks put a boundary inside every line)."""

from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import encoding
from screener.io.encoding import read_lines

TEXT = "TY  - JOUR\nTI  - Müller–Gómez naïve study 漢字\n\nAB  - Café\trésumé  \nER  - \n"


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize(
    "data, lines, used",
    [
        (TEXT.encode(), TEXT.split("\n")[:-1], "utf-8"),
        (TEXT.replace("\n", "\r\n").encode(), TEXT.split("\n")[:-1], "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode(), TEXT.split("\n")[:-1], "utf-8-sig"),
        (b"no newline at the end \xc3\xa9", ["no newline at the end é"], "utf-8"),
        (b"a\n\n", ["a", ""], "utf-8"),
        (b"\n", [""], "utf-8"),
        (b"", [], "utf-8"),
    ],
)
def test_lines_do_not_depend_on_block_size(tmp_path, monkeypatch, block, data, lines, used):
    monkeypatch.setattr(encoding, "_BLOCK", block)
    p = tmp_path / "f.ris"
    p.write_bytes(data)
    assert read_lines(p) == (lines, used, [])


@pytest.mark.parametrize("block", [1, 5, 1 << 20])
def test_old_mac_and_stray_carriage_returns_read_as_editors_count_lines(tmp_path, monkeypatch, block):
    monkeypatch.setattr(encoding, "_BLOCK", block)
    p = tmp_path / "mac.ris"
    p.write_bytes(b"TY  - JOUR\rAB  - Caf\xc3\xa9\rER  - \r")
    assert read_lines(p) == (["TY  - JOUR", "AB  - Café", "ER  - "], "utf-8", [])
    p.write_bytes(b"a\r\r\nb\n")  # a CR that does not end a line counts as a line end, as editors do
    assert read_lines(p)[0] == ["a", "", "b"]
    p.write_bytes(b"a\r\r\nb")
    assert read_lines(p)[0] == ["a", "", "b"]


@pytest.mark.parametrize("block", [1, 3, 1 << 20])
def test_windows_line_ends_and_stray_carriage_returns_stay_on_the_line_by_line_path(tmp_path, monkeypatch, block):
    """A big export with CRLF line ends, or one CR inside an abstract, is read a block at a time,
    never as one string of the whole file (a single character beyond U+FFFF makes such a string
    four bytes a character)."""
    def whole_file(*args, **kwargs):
        raise AssertionError("the whole file was decoded at once")

    monkeypatch.setattr(encoding, "_BLOCK", block)
    monkeypatch.setattr(encoding, "decode_bytes", whole_file)
    p = tmp_path / "win.ris"
    p.write_bytes("TY  - JOUR\r\nAB  - one\rtwo 😀\r\nER  - \r\n".encode())
    assert read_lines(p) == (["TY  - JOUR", "AB  - one", "two 😀", "ER  - "], "utf-8", [])
    p.write_bytes(b"a\r\nb\r")
    assert read_lines(p)[0] == ["a", "b"]


@pytest.mark.parametrize("block", [1, 4, 1 << 20])
def test_bytes_that_are_not_utf8_are_still_found_and_named(tmp_path, monkeypatch, block):
    monkeypatch.setattr(encoding, "_BLOCK", block)
    p = tmp_path / "mixed.ris"
    p.write_bytes("TY  - JOUR\nTI  - Müller\n".encode() + b"AB  - caf\xe9\nER  - \n")
    with pytest.raises(InputError) as err:
        read_lines(p)
    assert "mixes two text encodings" in str(err.value) and err.value.line == 3
    p.write_bytes(b"TY  - JOUR\nAB  - caf\xe9\nER  - \n")  # Windows-1252 only: read, with a warning
    lines, used, warnings = read_lines(p)
    assert lines[1] == "AB  - café" and used == "cp1252" and warnings
