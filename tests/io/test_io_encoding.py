from __future__ import annotations

import pytest

from screener.errors import InputError
from screener.io import detect_format, read_records

CSV = "record_id,title,abstract,authors\n1,Müller–Gómez naïve study,Café € résumé,\"Ødegård, Å; Łukasz, Ż\"\n"
RIS = "TY  - JOUR\nTI  - Müller–Gómez naïve study\nAU  - Ødegård, Å\nAB  - Café résumé\nER  - \n"


@pytest.mark.parametrize(
    "codec, reported",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_unicode_encodings(tmp_path, codec, reported):
    data = CSV.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # Windows writes the byte-order mark
    p = tmp_path / "t.csv"
    p.write_bytes(data)
    res = read_records(p)
    assert res.encoding == reported
    (r,) = res.records
    assert r["title"] == "Müller–Gómez naïve study"
    assert r["abstract"] == "Café € résumé"
    assert r["authors"] == ["Ødegård, Å", "Łukasz, Ż"]
    assert res.warnings == []


def test_utf16_without_bom(tmp_path):
    p = tmp_path / "t.ris"
    p.write_bytes(RIS.encode("utf-16-le"))
    assert detect_format(p) == "ris"
    res = read_records(p)
    assert res.encoding == "utf-16-le" and res.records[0]["authors"] == ["Ødegård, Å"]


@pytest.mark.parametrize("written, bom, encoding, reported", [
    ("utf-32-le", b"", "utf-32", "utf-32-le"), ("utf-32-be", b"", "utf-32", "utf-32-be"),
    ("utf-32-be", b"\x00\x00\xfe\xff", "utf-32", "utf-32"),  # the BOM tells Python's utf-32 the byte order
    ("utf-32-le", b"", None, "utf-32-le"), ("utf-32-be", b"\x00\x00\xfe\xff", None, "utf-32-be")])
def test_utf32_is_read_as_utf32_with_or_without_a_bom(tmp_path, written, bom, encoding, reported):
    """--encoding utf-32 on a file without a byte-order mark (or with UTF-32's big-endian one) was read as UTF-16,
    a NUL between every two characters, and without --encoding the file was refused as binary data. It is read as
    UTF-32, its byte order told by the zero bytes every character has."""
    p = tmp_path / "t.ris"
    p.write_bytes(bom + RIS.encode(written))
    res = read_records(p, encoding=encoding)
    assert res.encoding == reported
    (r,) = res.records
    assert r["title"] == "Müller–Gómez naïve study" and r["authors"] == ["Ødegård, Å"], r


@pytest.mark.parametrize("written", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_bom_in_plain_ascii_is_read_as_utf32(tmp_path, written):
    """An RIS file of plain ASCII letters written as UTF-32 without a byte-order mark is also valid UTF-8 (a NUL
    byte is one): read so, it was refused as 'not an RIS file', where one with an accented letter was read."""
    p = tmp_path / "t.ris"
    p.write_bytes("TY  - JOUR\nTI  - A plain study\nAU  - Smith, John\nER  - \n".encode(written))
    res = read_records(p)
    assert res.encoding == written
    (r,) = res.records
    assert r["title"] == "A plain study" and r["authors"] == ["Smith, John"], r


def test_cp1252_is_read_and_flagged(tmp_path):
    p = tmp_path / "windows.ris"
    p.write_bytes(RIS.replace("Ødegård, Å", "Ødegård, A").replace("Müller–", "Müller-").encode("cp1252"))
    res = read_records(p)
    assert res.encoding == "cp1252"
    assert res.records[0]["title"] == "Müller-Gómez naïve study"
    assert any("not UTF-8" in w and "--encoding" in w for w in res.warnings)


def test_latin1_override(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("title,abstract\nGómez,naïve\n".encode("latin-1"))
    res = read_records(p, encoding="latin-1")
    assert res.encoding == "iso8859-1" and res.records[0]["title"] == "Gómez"


def test_mixed_encodings_name_first_bad_line(tmp_path):
    p = tmp_path / "joined.csv"
    p.write_bytes("title,abstract\nMüller study,ok\nplain,row\n".encode() + "Gómez trial,x\n".encode("cp1252"))
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "joined.csv" in msg and "line 4" in msg and "--encoding" in msg and "UTF-8" in msg


def test_wrong_encoding_override_names_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("title,abstract\nplain,row\nGómez,x\n".encode("cp1252"))
    with pytest.raises(InputError) as e:
        read_records(p, encoding="utf-8")
    assert "line 3" in str(e.value) and "--encoding" in str(e.value)


def test_unknown_encoding_name(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("title,abstract\na,b\n")
    with pytest.raises(InputError) as e:
        read_records(p, encoding="klingon-8")
    assert "klingon-8" in str(e.value)


def test_ris_with_bom_and_windows_line_endings(tmp_path):
    p = tmp_path / "endnote.ris"
    p.write_bytes(RIS.replace("\n", "\r\n").encode("utf-8-sig") * 1)
    res = read_records(p)
    assert res.encoding == "utf-8-sig"
    assert res.records[0]["title"] == "Müller–Gómez naïve study" and res.records[0]["source_line"] == 1


def test_ris_with_old_mac_line_endings(tmp_path):
    p = tmp_path / "mac.ris"
    p.write_bytes(RIS.replace("\n", "\r").encode("utf-8"))
    (r,) = read_records(p).records
    assert r["abstract"] == "Café résumé"


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf16_export_cut_off_in_the_middle_of_a_character_is_named_as_cut_off(tmp_path, bom):
    """A UTF-16 export (Windows 'Unicode', two bytes a character) whose download stopped after an odd
    number of bytes was refused as 'bytes that are not UTF-16-LE ... Open the file in a text editor
    and save it as UTF-8, or ... --encoding cp1252': advice that cannot bring back the records cut
    off. The message now says the file ends inside a character, looks cut off, and to export it again."""
    data = (RIS + "\n" + RIS.replace("Müller", "Second")).encode("utf-16-le")[:-3]
    p = tmp_path / "cinahl.ris"
    p.write_bytes((b"\xff\xfe" if bom else b"") + data)
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "cinahl.ris, line 11" in msg and "cut off" in msg and "export" in msg.lower(), msg
    assert "--encoding cp1252" not in msg, msg


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("text", [RIS, "Record #1 of 1\nID: CN-1\nTI: Café résumé study\nAB: Café résumé\n",
                                  "TI- Café résumé study\nAU- Lee, A\nYR- 2020\nAB- Café résumé\n"])
def test_a_utf16_text_file_cut_off_in_the_middle_of_a_character_is_named_as_cut_off_not_binary(tmp_path, bom, text):
    """The same cut-off UTF-16 export saved as '.txt' (the Cochrane Library's and EBSCOhost's text, or an RIS
    renamed), whose name does not say its format, was refused as 'binary data, not a text export': the reviewer was
    told to export it as another format, where the download only had to be done again."""
    p = tmp_path / "export.txt"
    text = text.rstrip("\n")
    p.write_bytes((b"\xff\xfe" if bom else b"") + text.replace("\n", "\r\n").encode("utf-16-le")[:-1])
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}, line {text.count(chr(10)) + 1}: ") and "cut off" in msg, msg
    assert "export" in msg.lower(), msg
    assert "binary" not in msg, msg


@pytest.mark.parametrize("bom, encoding", [(True, None), (False, None), (True, "utf-16")])
@pytest.mark.parametrize("cut", [1, 2])
def test_a_utf16_export_cut_inside_a_two_part_character_is_named_as_cut_off(tmp_path, bom, encoding, cut):
    """A UTF-16 export cut inside a character written in two parts (a surrogate pair: the '𝛽' of a title
    typed in math italics, an emoji), after its first part: 'unexpected end of data', refused as bytes that
    are not UTF-16 (or, without a marker, read as another encoding), where it looks cut off."""
    ris = RIS + "\n" + RIS.replace("Müller–Gómez naïve study", "Propranolol as a 𝛽")
    data = ris[:ris.index("𝛽") + 1].encode("utf-16-le")[:-cut]
    p = tmp_path / "cinahl.ris"
    p.write_bytes((b"\xff\xfe" if bom else b"") + data)
    with pytest.raises(InputError) as e:
        read_records(p, encoding=encoding)
    msg = str(e.value)
    assert "cinahl.ris, line 8" in msg and "cut off" in msg and "export" in msg.lower(), msg
    assert "not UTF-16" not in msg and "not valid in that encoding" not in msg, msg


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("bom, odd", [(b"", False), (b"", True), (b"\xef\xbb\xbf", False)])
def test_a_utf8_file_imported_with_encoding_utf16_says_the_encoding_given_is_wrong(tmp_path, encoding, bom, odd):
    """A UTF-8 export imported with --encoding utf-16 (kept from an earlier Windows 'Unicode' file) was called
    cut off ('the download may not have finished'), or 'not an RIS file ... plain text', with the advice to
    export it again: the --encoding given was what was wrong."""
    p = tmp_path / "medline.ris"
    p.write_bytes(bom + (RIS + ("x" if odd else "")).encode("utf-8"))
    with pytest.raises(InputError) as e:
        read_records(p, encoding=encoding)
    msg = str(e.value)
    assert msg.startswith(f"{p}: ") and f"not {encoding.upper()[:6]}" in msg and "leave --encoding out" in msg, msg
    assert "cut off" not in msg and "not an RIS file" not in msg, msg



def test_an_old_mac_file_cr_line_ends_is_read_as_mac_roman(tmp_path):
    """Excel's 'CSV (Macintosh)' and old Mac reference managers write Mac OS Roman with a CR alone at each line's end.
    Read as Windows' cp1252, 'Café' came in as 'CafŽ' and 'Müller' as 'MŸller' in every title and author, the note
    saying only that the file was not UTF-8. A file with Mac line ends is read as Mac Roman now, and the note says
    so."""
    text = "Title,Authors,Year\rCafé society and naïve users,\"Müller, Jürgen\",2019\rSecond – study,\"Doe, J\",2020\r"
    p = tmp_path / "mac.csv"
    p.write_bytes(text.encode("mac_roman"))
    res = read_records(p)
    a, b = res.records
    assert (a["title"], a["authors"], b["title"]) == ("Café society and naïve users", ["Müller, Jürgen"],
                                                       "Second – study")
    assert res.encoding == "mac_roman" and any("Mac" in w for w in res.warnings)
    ris = "TY  - JOUR\rTI  - Naïve users\rAU  - Müller, J\rER  - \r"
    p = tmp_path / "endnote.ris"
    p.write_bytes(ris.encode("mac_roman"))
    (c,) = read_records(p).records
    assert (c["title"], c["authors"]) == ("Naïve users", ["Müller, J"])
    windows = tmp_path / "windows.csv"  # a Windows file (CRLF) is still read as cp1252
    windows.write_bytes("Title,Year\r\nCafé society,2019\r\n".encode("cp1252"))
    assert read_records(windows).records[0]["title"] == "Café society"


def test_an_old_mac_file_with_a_line_break_inside_a_cell_is_still_read_as_mac_roman(tmp_path):
    """Excel writes a line break typed inside a cell (an abstract's paragraphs) as LF, in its 'CSV (Macintosh)' too,
    whose rows end with a CR alone: one such cell and the whole file was read as Windows' cp1252 again ('CafŽ',
    'MŸller'). A file whose lines end mostly with a CR alone is read as Mac Roman; a Windows file stays cp1252."""
    text = ('Title,Authors,Abstract\r"Café society","Müller, Jürgen","Background: naïve users.\nMethods: a trial."\r'
            'Second study,"Doe, J",None\r')
    p = tmp_path / "mac.csv"
    p.write_bytes(text.encode("mac_roman"))
    res = read_records(p)
    a, b = res.records
    assert (a["title"], a["authors"], b["title"]) == ("Café society", ["Müller, Jürgen"], "Second study")
    assert res.encoding == "mac_roman"
    windows = tmp_path / "windows.csv"  # CRLF rows, a CR alone inside a cell: still Windows
    windows.write_bytes('Title,Abstract\r\nCafé society,"One.\rTwo."\r\nSecond,None\r\n'.encode("cp1252"))
    assert read_records(windows).records[0]["title"] == "Café society"
