from __future__ import annotations

import pytest

from io_samples import write_xlsx as _xlsx

from screener.errors import InputError
from screener.io import read_records
from screener.records import FIELDS


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_scopus_style_csv(tmp_path):
    text = (
        'Authors,Article Title,Year,Source title,DOI,Abstract,Author Keywords,Index Keywords,PubMed ID,EID\n'
        '"Smith, J.; Doe, K.",Stress and sleep,2019,Sleep Med,https://doi.org/10.1000/ABC,"An abstract, with commas\n'
        'and a line break",sleep; stress,Humans; Adult,12345678,2-s2.0-1\n'
        '"Centers for Disease Control and Prevention",Second,2020.0,J,,,,,,2-s2.0-2\n'
    )
    res = read_records(_write(tmp_path, "scopus.csv", text))
    assert res.format == "csv"
    a, b = res.records
    assert set(a) == set(FIELDS)
    assert a["title"] == "Stress and sleep"
    assert a["authors"] == ["Smith, J.", "Doe, K."]
    assert a["year"] == 2019 and a["journal"] == "Sleep Med"
    assert a["doi"] == "10.1000/abc"
    assert a["abstract"] == "An abstract, with commas\nand a line break"
    assert a["keywords"] == ["sleep", "stress", "Humans", "Adult"]  # both keyword columns
    assert a["pmid"] == "12345678" and a["source_id"] == "2-s2.0-1"
    assert a["source_line"] == 2 and b["source_line"] == 4  # the file line each record starts on
    assert a["raw"]["Article Title"] == "Stress and sleep"
    assert b["authors"] == ["Centers for Disease Control and Prevention"]
    assert b["year"] == 2020 and b["abstract"] is None
    assert res.labels == [None, None]


def test_semicolon_csv_and_column_map(tmp_path):
    text = "Ref;My Title Col;Summary\nA1;First;Text one\nA2;Second;Text two\n"
    p = _write(tmp_path, "mine.csv", text)
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "'Ref', 'My Title Col', 'Summary'" in msg and "--column title=" in msg and "mine.csv" in msg
    res = read_records(p, column_map={"title": "my title col", "abstract": "Summary", "id": "Ref"})
    assert [r["title"] for r in res.records] == ["First", "Second"]
    assert [r["abstract"] for r in res.records] == ["Text one", "Text two"]
    assert [r["source_id"] for r in res.records] == ["A1", "A2"]


def test_column_map_names_missing_column(tmp_path):
    p = _write(tmp_path, "t.csv", "title,abstract\na,b\n")
    with pytest.raises(InputError) as e:
        read_records(p, column_map={"abstract": "Summary"})
    assert "'Summary'" in str(e.value) and "'title', 'abstract'" in str(e.value)


def test_title_only_table_warns_about_abstracts(tmp_path):
    res = read_records(_write(tmp_path, "t.csv", "Title,Notes\na,b\n"))
    assert res.records[0]["abstract"] is None
    assert any("no abstract column" in w and "--column abstract=" in w for w in res.warnings)


@pytest.mark.parametrize(
    "values, expected",
    [
        (["1", "0", ""], ["include", "exclude", None]),
        (["yes", "No", "maybe"], ["include", "exclude", "maybe"]),
        (["TRUE", "false", "unsure"], ["include", "exclude", "maybe"]),
        (["Included", "excluded", "-1"], ["include", "exclude", None]),
        (["1.0", "0.0", "include"], ["include", "exclude", "include"]),
    ],
)
def test_label_values(tmp_path, values, expected):
    rows = "".join(f"{i},t{i},a{i},{v}\n" for i, v in enumerate(values))
    res = read_records(_write(tmp_path, "l.csv", "record_id,title,abstract,included\n" + rows))
    assert res.labels == expected


def test_label_column_preference_and_override(tmp_path):
    text = "record_id,title,abstract,label_abstract_screening,label_included\n1,a,b,1,0\n2,c,d,1,1\n"
    p = _write(tmp_path, "cohen.csv", text)
    assert read_records(p).labels == ["exclude", "include"]  # final label preferred
    assert read_records(p, column_map={"label": "label_abstract_screening"}).labels == ["include", "include"]
    assert read_records(p, column_map={"label": None}).labels == [None, None]


def test_unreadable_label(tmp_path):
    p = _write(tmp_path, "l.csv", "id,title,abstract,decision\n1,a,b,include\n2,c,d,perhaps\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "l.csv" in msg and "row 3" in msg and "'perhaps'" in msg and "decision" in msg


def test_duplicate_ids(tmp_path):
    p = _write(tmp_path, "d.csv", "id,title,abstract\n7,a,b\n8,c,d\n7,e,f\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "'7'" in msg and "row 2" in msg and "row 4" in msg


def test_unclosed_quote(tmp_path):
    p = _write(tmp_path, "q.csv", 'title,abstract\n"a,b\nc,d\ne,f\n')
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "row 2" in str(e.value) and "(line 2 of the file" in str(e.value) and "quote" in str(e.value)


def test_too_many_cells(tmp_path):
    p = _write(tmp_path, "c.csv", "title,abstract\na,b\nc,d,e\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "line 3" in str(e.value) and "3 cells" in str(e.value)


def test_blank_rows_are_not_records_and_are_reported(tmp_path):
    res = read_records(_write(tmp_path, "b.csv", "title,abstract\na,b\n,\n\nc,d\n"))
    assert [r["title"] for r in res.records] == ["a", "c"]
    assert [r["source_line"] for r in res.records] == [2, 5]
    assert any("1 empty row" in w for w in res.warnings)


def test_header_only_table(tmp_path):
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "h.csv", "title,abstract\n"))
    assert "no records" in str(e.value)


def test_wos_tab_export(tmp_path):
    text = (
        "PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tPY\tDI\tPM\tUT\n"
        "J\tSmith, J; Lee, K\tSmith, John; Lee, Kim\tA title\tJ Psych\tptsd\tSTRESS\tAbs\t2018"
        "\t10.2000/x\t29999999\tWOS:1\n"
        "J\tDoe, A\tDoe, Ann\tB title\tJ Psych\t\tSTRESS\tAbs2\t2017\t\t\tWOS:2\n"
    )
    res = read_records(_write(tmp_path, "savedrecs.txt", text))
    assert res.format == "tsv"
    a, b = res.records
    assert a["authors"] == ["Smith, John", "Lee, Kim"]  # AF, the full names, as the plain-text export's reader
    assert a["keywords"] == ["ptsd", "STRESS"]  # ID is Keywords Plus in Web of Science
    assert (a["source_id"], b["source_id"]) == ("WOS:1", "WOS:2")
    assert a["pmid"] == "29999999" and a["doi"] == "10.2000/x" and a["journal"] == "J Psych"


def test_wos_tab_export_gives_the_authors_full_names_as_its_plain_text_export_does(tmp_path):
    """Web of Science's tab-delimited export writes each record's authors twice: AU abbreviated ('Vermeulen, P') and AF
    in full ('Vermeulen, Pieter'). The tab export's records took AU, where the same search exported as plain text
    (and PubMed, Scopus, Embase) gave full names: the reviewer screened and exported 'Vermeulen, P'. AU stands in for
    a record whose AF is empty."""
    header = ("PT\tAU\tBA\tBE\tGP\tAF\tBF\tCA\tTI\tSO\tSE\tBS\tLA\tDT\tCT\tCY\tCL\tSP\tHO\tDE\tID\tAB\tC1\tC3\tRP\t"
              "EM\tRI\tOI\tFU\tFP\tFX\tCR\tNR\tTC\tZ9\tU1\tU2\tPU\tPI\tPA\tSN\tEI\tBN\tJ9\tJI\tPD\tPY\tVL\tIS\tPN\t"
              "SU\tSI\tMA\tBP\tEP\tAR\tDI\tDL\tD2\tEA\tPG\tWC\tWE\tSC\tGA\tPM\tOA\tHC\tHP\tDA\tUT").split("\t")

    def row(**cells):
        return "\t".join(cells.get(h, "") for h in header)

    text = "\n".join([
        "\t".join(header),
        row(PT="J", AU="Vermeulen, P; Dubois, A", AF="Vermeulen, Pieter; Dubois, Anne",
            TI="Syndemic conditions and condomless anal sex among men in Belgium", SO="ADDICTION", LA="English",
            DT="Article", AB="We surveyed 1204 men.", PD="NOV", PY="2022", VL="117", IS="11", BP="2890", EP="2901",
            DI="10.1111/add.15990", PM="36112233", DA="2024-03-01", UT="WOS:000850000000001"),
        row(PT="J", AU="Okafor, C", TI="HIV testing among men who have sex with men in Lagos", SO="AIDS CARE",
            DT="Article", PY="1998", VL="10", BP="45", EP="52", DA="2024-03-01", UT="WOS:000072000000002"),
    ]) + "\n"
    vermeulen, okafor = read_records(_write(tmp_path, "savedrecs.txt", text)).records
    assert vermeulen["authors"] == ["Vermeulen, Pieter", "Dubois, Anne"]
    assert okafor["authors"] == ["Okafor, C"]


def test_wos_tab_export_pages_come_from_bp_and_ep_not_sponsors_or_page_count(tmp_path):
    """In Web of Science's tab export SP is the conference sponsors and PG the page count: read as
    the first page and the pages, a 7-page paper on pages 123-129 had first page '7' (or '129'),
    which de-duplication reads as another paper than its Scopus copy."""
    header = "PT\tAU\tTI\tSO\tSP\tAB\tPY\tVL\tIS\tBP\tEP\tAR\tDI\tPG\tUT"
    text = (header + "\n"
            "J\tSmith, J\tA title\tJ Psych\t\tAbs\t2018\t12\t3\t123\t129\t\t10.2000/x\t7\tWOS:1\n"
            "J\tDoe, A\tB title\tJ Psych\t\tAbs2\t2017\t4\t\t\t\t\t\t\tWOS:2\n")
    a, b = read_records(_write(tmp_path, "savedrecs.txt", text)).records
    assert (a["pages"], a["start_page"]) == ("123-129", "123")
    assert (b["pages"], b["start_page"]) == (None, None)


def test_zotero_csv_names(tmp_path):
    text = (
        '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Abstract Note"\n'
        '"ABCD1234","journalArticle","2021","Kim, A; Park, B","Zotero title","Zotero Journal",'
        '"10.3000/z","Zotero abstract"\n'
    )
    (r,) = read_records(_write(tmp_path, "zotero.csv", text)).records
    assert (r["title"], r["abstract"], r["journal"]) == ("Zotero title", "Zotero abstract", "Zotero Journal")
    assert r["year"] == 2021
    assert r["authors"] == ["Kim, A", "Park, B"] and r["source_id"] == "ABCD1234" and r["type"] == "journalArticle"


def test_xlsx_single_sheet_with_labels(tmp_path):
    p = _xlsx(
        tmp_path / "screened.xlsx",
        {"Sheet1": [["Covidence #", "Title", "Abstract", "Year", "PMID", "Screening decision"],
                    [101, "T1", "A1", 2019, 12345678, "Include"],
                    [None, None, None, None, None, None],
                    [102, "T2", None, 2020.0, None, "Exclude"],
                    [103, "T3", "A3", None, None, None]]},
    )
    res = read_records(p)
    assert res.format == "xlsx"
    assert [r["title"] for r in res.records] == ["T1", "T2", "T3"]
    assert [r["source_line"] for r in res.records] == [2, 4, 5]  # sheet rows
    assert res.records[0]["pmid"] == "12345678" and res.records[0]["source_id"] == "101"
    assert res.records[1]["year"] == 2020 and res.records[1]["abstract"] is None
    assert res.labels == ["include", "exclude", None]
    assert any("skipped 1 empty row between records" in w for w in res.warnings)


def test_xlsx_several_sheets_needs_sheet(tmp_path):
    p = _xlsx(
        tmp_path / "book.xlsx",
        {"Scopus": [["title", "abstract"], ["a", "b"]], "WoS": [["title", "abstract"], ["c", "d"], ["e", "f"]],
         "Empty": []},
    )
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "'Scopus', 'WoS'" in msg and "--sheet" in msg and "book.xlsx" in msg
    assert [r["title"] for r in read_records(p, sheet="WoS").records] == ["c", "e"]
    assert [r["title"] for r in read_records(p, sheet="1").records] == ["a"]
    with pytest.raises(InputError) as e:
        read_records(p, sheet="Embase")
    assert "'Scopus', 'WoS', 'Empty'" in str(e.value)


def test_xlsx_bad_label_names_row_and_sheet(tmp_path):
    p = _xlsx(
        tmp_path / "l.xlsx",
        {"Screen": [["title", "abstract", "include"], ["a", "b", "yes"], ["c", "d", "??"]], "Notes": []},
    )
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "row 3" in str(e.value) and "'??'" in str(e.value)


def test_text_file_named_xlsx(tmp_path):
    p = _write(tmp_path, "fake.xlsx", "title,abstract\na,b\n")
    with pytest.raises(InputError) as e:
        read_records(p, fmt="xlsx")
    assert "not an Excel workbook" in str(e.value)


def test_old_xls_that_cannot_be_opened_is_explained(tmp_path):
    p = tmp_path / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "old.xls" in str(e.value) and ".xlsx" in str(e.value) and "CSV" in str(e.value)


def test_a_cut_off_xls_is_explained_without_the_excel_readers_own_messages(tmp_path, capsys, monkeypatch):
    """An .xls whose download stopped part-way was refused as it should be, but xlrd, the library that reads it,
    printed its own lines first ('WARNING *** file size (2816) not 512 + multiple of sector size (512)') on the
    reviewer's screen. The reviewer reads screener's message alone."""
    import inspect
    from io import StringIO

    import xlrd
    from io_samples import write_xls

    # xlrd writes to the stdout it found when first imported (its default), which an earlier test may have imported
    # it under, out of capsys's sight: that default is watched too
    screen = StringIO()
    defaults = list(xlrd.open_workbook.__defaults__)
    defaults[list(inspect.signature(xlrd.open_workbook).parameters).index("logfile")] = screen
    monkeypatch.setattr(xlrd.open_workbook, "__defaults__", tuple(defaults))
    whole = write_xls(tmp_path / "whole.xls", {"Sheet1": _BOOK_ROWS * 3}).read_bytes()
    p = tmp_path / "savedrecs.xls"
    p.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "savedrecs.xls" in str(e.value) and "damaged" in str(e.value) and "save it again" in str(e.value)
    out, err = capsys.readouterr()
    assert out == "" and err == "" and screen.getvalue() == ""


def test_an_old_excel_workbook_xls_is_read(tmp_path):
    """Web of Science's 'Excel' export ('savedrecs.xls') and older reviewers' sheets are Excel 97-2003 files (.xls):
    they were refused, with the advice to open them in Excel and save them again. They are read now, as a .xlsx is:
    numbers as written (2019, not 2019.0), dates, decisions, the row each record is on, a cell merged down."""
    import datetime

    from io_samples import write_xls

    path = write_xls(tmp_path / "savedrecs.xls", {"Sheet1": [
        ["Title", "Authors", "Year", "DOI", "Abstract", "Published", "Included"],
        ["Sleep and stress in night-shift nurses", "Smith, J; Doe, K", 2019, "10.1000/ABC", "Nurses sleep less.",
         datetime.date(2019, 5, 1), "yes"],
        [],
        ["Burnout after night shifts", "Lee, A", 2020.0, None, "Burnout rises.", None, "no"],
        ["Coffee and alertness", "Kim, B", "2021", None, "More coffee.", None, None]]},
        merged=[("Sheet1", 3, 4, 6)])
    res = read_records(path)
    assert res.format == "xls"
    a, b, c = res.records
    assert (a["title"], a["authors"], a["year"], a["doi"], a["abstract"]) == (
        "Sleep and stress in night-shift nurses", ["Smith, J", "Doe, K"], 2019, "10.1000/abc", "Nurses sleep less.")
    assert a["raw"]["Published"] == "2019-05-01" and a["raw"]["Year"] == "2019"
    assert [r["source_line"] for r in res.records] == [2, 4, 5]  # rows as the spreadsheet numbers them
    assert (b["year"], c["year"]) == (2020, 2021)
    assert res.labels == ["include", "exclude", "exclude"]  # 'no' merged over rows 4-5
    assert any("merged" in w for w in res.warnings), res.warnings


_BOOK_ROWS = [["Title", "Year", "Abstract"], ["Sleep and stress in nurses", 2019, "Nurses sleep less."]]


@pytest.mark.parametrize("kind,other", [("xlsx", "xls"), ("xls", "xlsx")])
def test_new_and_old_excel_workbooks_are_read_alike_and_refused_alike(tmp_path, kind, other):
    """Both kinds of Excel workbook read the same rows by the same path, whatever their file's name ends in; each
    refuses a file that is not one, naming the kind given and what the file looks like."""
    from io_samples import write_xls, write_xlsx

    write = write_xlsx if kind == "xlsx" else write_xls
    for name in (f"export.{kind}", f"export.{other}", "export"):
        res = read_records(write(tmp_path / name, {"Sheet1": _BOOK_ROWS}), fmt=kind if name == "export" else None)
        assert [(r["title"], r["year"], r["source_line"]) for r in res.records] == [
            ("Sleep and stress in nurses", 2019, 2)], name
        assert (res.format, res.sheet, res.encoding) == (kind, "Sheet1", "utf-8"), name
    text = _write(tmp_path, f"table.{kind}", "Title,Year\nSleep,2019\n")
    with pytest.raises(InputError) as e:
        read_records(text, fmt=kind)
    assert f"this is not {'an' if kind == 'xlsx' else 'an old'} Excel workbook (.{kind}); it looks like" in str(
        e.value) and f"table.{kind}" in str(e.value), str(e.value)


def test_an_old_excel_workbook_given_as_another_format_is_named(tmp_path):
    from io_samples import write_xls

    path = write_xls(tmp_path / "savedrecs.xls", {"Sheet1": _BOOK_ROWS})
    with pytest.raises(InputError, match=r"an old Excel workbook \(\.xls\) or another old Office file, not a CSV"):
        read_records(path, fmt="csv")


def test_an_old_excel_workbook_without_xlrd_says_what_to_install_or_save_it_as(tmp_path, monkeypatch):
    from io_samples import write_xls

    path = write_xls(tmp_path / "savedrecs.xls", {"Sheet1": _BOOK_ROWS})
    monkeypatch.setitem(__import__("sys").modules, "xlrd", None)  # as where it is not installed
    with pytest.raises(InputError) as e:
        read_records(path)
    assert "needs the 'xlrd' package" in str(e.value) and "save it as .xlsx or as CSV" in str(e.value), str(e.value)


def test_an_xls_with_several_sheets_asks_which_and_reads_the_one_named(tmp_path):
    from io_samples import write_xls

    path = write_xls(tmp_path / "searches.xls", {
        "Scopus": [["Title", "Year"], ["Trial one of sleep", 2019]],
        "WoS": [["Title", "Year"], ["Trial two of sleep", 2020], ["Trial three of sleep", 2021]]})
    with pytest.raises(InputError, match="--sheet") as e:
        read_records(path)
    assert "searches.xls" in str(e.value) and "'Scopus'" in str(e.value) and "'WoS'" in str(e.value)
    res = read_records(path, sheet="wos")
    assert [r["title"] for r in res.records] == ["Trial two of sleep", "Trial three of sleep"] and res.sheet == "WoS"


def test_a_table_saved_as_text_under_the_name_xls_is_read_as_a_table(tmp_path):
    """Some databases write a tab-separated text file and name it '.xls' (Excel opens it): it was refused as an old
    Excel file."""
    p = _write(tmp_path, "export.xls", "Title\tYear\tAbstract\nSleep and stress in nurses\t2019\tNurses sleep less.\n")
    res = read_records(p)
    assert res.format == "tsv" and [r["title"] for r in res.records] == ["Sleep and stress in nurses"]


def test_a_word_document_of_the_old_kind_is_not_taken_for_a_workbook(tmp_path):
    """An old Word file (.doc) shares the old Excel file's first bytes."""
    p = tmp_path / "protocol.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "protocol.doc" in str(e.value) and "CSV" in str(e.value)


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    p = tmp_path / "exports.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("scopus.ris", "TY  - JOUR\nER  - \n")
    with pytest.raises(InputError) as e:
        read_records(p)
    assert "exports.xlsx" in str(e.value) and "zip archive" in str(e.value) and "scopus.ris" in str(e.value)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_table_without_a_title_column_stops_and_names_the_option(tmp_path, kind):
    rows = [["Authors", "Year", "Abstract", "Article"],
            ["Smith J", "2020", "Peer workers were interviewed.", "Peer work among sex workers"],
            ["Doe K", "2021", "A trial of PrEP uptake.", "HIV prevention for men who have sex with men"]]
    if kind == "csv":
        p = _write(tmp_path, "notitle.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        p = _xlsx(tmp_path / "notitle.xlsx", {"Sheet1": rows})
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "notitle" in msg and "nothing was imported" in msg
    assert "'Authors', 'Year', 'Abstract', 'Article'" in msg
    assert "--column title=Article" in msg  # the one column that reads like titles
    res = read_records(p, column_map={"title": "Article"})
    assert [r["title"] for r in res.records] == ["Peer work among sex workers",
                                                 "HIV prevention for men who have sex with men"]


def test_title_column_given_as_none_imports_abstract_only_records(tmp_path):
    p = _write(tmp_path, "abstracts.csv", "Abstract,Year\nPeer workers were interviewed.,2020\n")
    res = read_records(p, column_map={"title": ""})
    assert res.records[0]["title"] == "" and res.records[0]["abstract"] == "Peer workers were interviewed."
    assert any("1 of 1 record has no title (row 2)" in w for w in res.warnings)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_empty_titles_are_kept_as_empty_text_and_counted(tmp_path, kind):
    rows = [["Title", "Abstract"], ["Peer work", "Abstract one."], ["", "Only an abstract."],
            ["", "Another abstract."]]
    if kind == "csv":
        p = _write(tmp_path, "some.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        p = _xlsx(tmp_path / "some.xlsx", {"Sheet1": [[c or None for c in r] for r in rows]})
    res = read_records(p)
    assert [r["title"] for r in res.records] == ["Peer work", "", ""]  # '' not None: NULL reads back as NaN
    where = "row"
    assert any(f"2 of 3 records have no title ({where} 3, 4)" in w for w in res.warnings), res.warnings


def test_a_workbook_that_states_a_wrong_size_is_read_whole(tmp_path):
    """Some writers put a wrong size in the sheet ('A1:B2' for 3 rows and 4 columns): read-only
    loading trusted it and dropped rows and columns without a word."""
    import re
    import zipfile

    src = _xlsx(tmp_path / "ok.xlsx", {"Records": [["Title", "Abstract", "Year", "DOI"]] + [
        [f"T {i}", f"A {i}", 2019 + i, f"10.1000/{i}"] for i in range(3)]})
    bad = tmp_path / "wrong_size.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B2"/>', data)
                assert b'ref="A1:B2"' in data
            zout.writestr(item, data)
    recs = read_records(bad).records
    assert [(r["title"], r["year"], r["doi"]) for r in recs] == [
        (f"T {i}", 2019 + i, f"10.1000/{i}") for i in range(3)]


def test_rows_with_too_few_cells_are_named(tmp_path):
    """One short row read '1 row(s) have fewer cells ..., line(s) 3'; now '1 row has ..., line 3'."""
    text = ("Title,Abstract,Year,DOI\nTrial one,Abs one,2019,10.1000/one\n"
            "Trial three,Abs three missing comma 2021,10.1000/three\n")
    res = read_records(_write(tmp_path, "short.csv", text))
    assert len(res.records) == 2
    (w,) = [w for w in res.warnings if "fewer cells" in w]
    assert "1 row has fewer cells than the header names (4), row 3:" in w and "Check that row." in w
    more = "Title,Abstract,Year,DOI\nOne,A,2019,10.1/1\nTwo,A 2020,10.1/2\nThree,A 2021,10.1/3\n"
    res = read_records(_write(tmp_path, "shorter.csv", more))
    assert any("2 rows have fewer cells than the header names (4), rows 3, 4:" in w for w in res.warnings)


def test_a_quote_never_closed_that_swallows_rows_is_named(tmp_path):
    """An unclosed quote in the middle of the file took the next rows into one cell (records
    lost without a word): refused when the quotes do not pair up, noted when they happen to;
    an abstract's line breaks, even with commas, are not flagged."""
    text = ('Title,Abstract,Year\nTrial one,Abstract one,2019\n"Smoking and health,Abstract two,2020\n'
            'Trial three,Abstract three,2021\nTrial four,"Abstract four,2022\nTrial five,Abstract five,2023\n')
    with pytest.raises(InputError, match="row 3: a quote mark .* lines 4 to 5 of the file were read into that one "
                                         "value"):
        read_records(_write(tmp_path, "stray.csv", text))
    paired = ('Title,Abstract,Year\nTrial one,Abstract one,2019\n"Smoking and health,Abstract two,2020\n'
              'Trial three,Abstract three,2021\nTrial four,",2022\nTrial five,Abstract five,2023\n')
    res = read_records(_write(tmp_path, "paired.csv", paired))
    assert any("the value in row 3 (from line 3 of the file) takes in line 4" in w and "quote mark" in w
               for w in res.warnings), res.warnings
    fine = ('Title,Abstract,Year\nTrial one,"Background, aims\nMethods, results, and more\nConclusions",2019\n'
            'Trial two,Abstract two,2020\n')
    res = read_records(_write(tmp_path, "fine.csv", fine))
    assert len(res.records) == 2 and not res.warnings


def test_an_abstracts_last_paragraph_with_commas_is_not_named_as_rows_taken_in(tmp_path):
    """A quoted abstract over several lines whose last paragraph holds a comma, so that its last line (the paragraph,
    the closing quote and the row's other cells) splits into as many cells as the header names: a correct table,
    every record read, was said to have 'a quoted value that takes in lines that read as whole rows', with the
    advice to check the quotes and re-export. That line is the row's own end, not a record taken in."""
    text = ('Title,Abstract,Year,Volume\n'
            'Trial one,"Background: peers help.\nConclusions: peers help, it seems",2019,12\n'
            'Trial two,Abstract two,2020,13\n')
    res = read_records(_write(tmp_path, "covidence.csv", text))
    assert [(r["title"], r["year"], r["volume"]) for r in res.records] == [("Trial one", 2019, "12"),
                                                                          ("Trial two", 2020, "13")]
    assert res.warnings == []


def test_column_names_below_a_title_or_notes_are_found(tmp_path):
    """A banner row above the column names (an export's title, a merged heading), notes above a
    CSV's header, and Excel's 'sep=;' line: the first row was taken for the column names, and
    the advice then imported the real header as a record."""
    book = _xlsx(tmp_path / "banner.xlsx", {"Records": [
        ["Search results exported 2024-01-01"], [None], ["Title", "Abstract", "Year"],
        ["Trial of A", "Abstract A", 2019], ["Trial of B", "Abstract B", 2020]]})
    res = read_records(book)
    assert [(r["title"], r["year"]) for r in res.records] == [("Trial of A", 2019), ("Trial of B", 2020)]
    assert any("read from row 3; the 1 row above them (a title or notes, not records) was left out" in w
               for w in res.warnings)
    notes = "# Exported from the library catalogue\n# 2 records\nTitle,Abstract,Year\nT one,\"A, one\",2019\nT two,A two,2020\n"
    res = read_records(_write(tmp_path, "notes.csv", notes))
    assert [r["abstract"] for r in res.records] == ["A, one", "A two"]
    assert any("read from row 3; the 2 rows above them" in w for w in res.warnings)
    res = read_records(_write(tmp_path, "excel.csv", "sep=;\nTitle;Abstract;Year\nT one;A, one;2019\n"))
    assert [(r["title"], r["abstract"], r["year"]) for r in res.records] == [("T one", "A, one", 2019)]
    plain = read_records(_write(tmp_path, "plain.csv", "Title,Abstract\nT one,A one\n"))
    assert not plain.warnings and plain.records[0]["title"] == "T one"


def test_web_of_science_tab_export_keeps_quotes_as_text(tmp_path):
    """WoS quotes nothing: a title starting with a quote lost its quotes, and an unpaired one took
    in the rows after it."""
    f = tmp_path / "savedrecs.txt"
    f.write_text("PT\tAU\tTI\tSO\tAB\tPY\tUT\n"
                 'J\tSmith, J\t"Doing gender" in schools\tJ Educ\t"Peer" work in schools.\t2020\tWOS:1\n'
                 'J\tDoe, A\t"Nothing about us without us: peer work\tJ Educ\tabstract two\t2021\tWOS:2\n'
                 "J\tRoe, B\tThird title\tJ X\tabstract three\t2022\tWOS:3\n")
    got = read_records(f)
    assert [(r["title"], r["source_line"]) for r in got.records] == [
        ('"Doing gender" in schools', 2), ('"Nothing about us without us: peer work', 3), ("Third title", 4)]
    assert got.records[0]["abstract"] == '"Peer" work in schools.'


def test_formulas_whose_results_were_never_saved_are_named_not_read_as_blank(tmp_path):
    """A workbook written by a program (openpyxl, a script) holds formulas without their results: read
    for its values, such a cell is empty, a title made by a formula vanished and a row made only of
    formulas was skipped as blank."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Title", "Abstract", "Year"])
    ws.append(["Peer work in harm reduction", "Qualitative study.", 2020])
    ws.append(["=A2&\" (second wave)\"", "Interviews.", 2021])  # a formula with no saved result
    ws.append(["=A2", "=B2", "=C2"])  # a whole row of them: it read as an empty row
    p = tmp_path / "scripted.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "scripted.xlsx" in msg and "4 cells hold a formula" in msg and "never saved" in msg
    assert "(row 3: Title; row 4: Title, Abstract, Year)" in msg and "save it again" in msg


def test_formulas_with_their_results_saved_read_as_those_results(tmp_path):
    """What Excel writes: the formula and its last result side by side; the result is the text, an
    empty result too (a formula that gives "" is not a result missing)."""
    import re
    import zipfile

    src = _xlsx(tmp_path / "plain.xlsx", {"Sheet1": [["Title", "Year", "Notes"], ["Peer work", 2020, "a"],
                                                     ["Peer support", 2021, "b"]]})
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(saved, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):  # B3 =B2+1 with its result 2021 saved,
                data, n = re.subn(rb'(<c r="B3"[^>]*>)<v>2021</v>', rb'\1<f>B2+1</f><v>2021</v>', data)
                data, m = re.subn(rb'<c r="C3"[^>]*>.*?</c>',  # C3 a formula whose saved result is ""
                                  rb'<c r="C3" t="str"><f>IF(B3&gt;0,"","x")</f><v></v></c>', data)
                assert n == m == 1, data[:2000]
            zout.writestr(item, data)
    res = read_records(saved)
    assert [(r["title"], r["year"]) for r in res.records] == [("Peer work", 2020), ("Peer support", 2021)]


def test_covidences_published_year_is_the_year(tmp_path):
    """Covidence's CSV export calls the year 'Published Year'; it was not read, so every record
    came in without a year (which de-duplication and matching decisions by title lean on)."""
    p = tmp_path / "covidence.csv"
    p.write_text('Title,Authors,Abstract,Published Year,Published Month,Journal,DOI,Covidence #\n'
                 '"Peer work in harm reduction","Smith, J.","Interviews.",2019,Mar,Int J Drug Policy,'
                 '10.1016/j.drugpo.2019.01.001,#12\n', encoding="utf-8")
    rec = read_records(p).records[0]
    assert rec["year"] == 2019 and rec["doi"] == "10.1016/j.drugpo.2019.01.001" and rec["source_id"] == "#12"


def test_covidences_tags_are_the_teams_labels_kept_as_notes_not_keywords(tmp_path):
    """Covidence's 'Tags' column holds the review team's own labels ('Awaiting classification', 'RCT'), not the
    paper's keywords: they were read as its keywords, so the team's labels were shown as the paper's terms and fed
    the ranking. They are kept with the record now, as its 'Notes' are, and the summary names both as such,
    without advising to read the tags as keywords. Another table's 'Tags' (Zotero's) are still keywords."""
    p = tmp_path / "covidence.csv"
    p.write_text('Title,Authors,Abstract,Published Year,Journal,DOI,Covidence #,Notes,Tags\n'
                 '"Peer work in harm reduction","Smith, J.","Interviews.",2019,Int J Drug Policy,'
                 '10.1016/j.drugpo.2019.01.001,#12,"check the full text","Awaiting classification; RCT"\n',
                 encoding="utf-8")
    res = read_records(p)
    (rec,) = res.records
    assert rec["keywords"] == []
    assert rec["raw"]["Tags"] == "Awaiting classification; RCT" and rec["raw"]["Notes"] == "check the full text"
    (note,) = [w for w in res.warnings if "'Tags'" in w]
    assert "'Notes'" in note and "review team's" in note and "--column keywords" not in note, note
    p = tmp_path / "zotero.csv"
    p.write_text('Item Type,Title,Abstract Note,Publication Year,Manual Tags\n'
                 'journalArticle,A study,An abstract.,2020,HIV; Peer support\n', encoding="utf-8")
    assert read_records(p).records[0]["keywords"] == ["HIV", "Peer support"]


def test_authors_listed_with_commas_as_pubmed_and_older_scopus_tables_write_them_are_each_an_author(tmp_path):
    """PubMed's CSV ('Smith J, Doe K') and Scopus's CSV before 2023 ('Smith J., Doe K.') part
    authors with commas: the whole list came in as one author (so the first author compared in
    de-duplication was every author). A single name written 'Surname, Given' stays one."""
    text = (
        "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,NIHMS ID,DOI\n"
        '31234567,A trial.,"Smith J, Doe K, van der Berg AB",Thorax. 2020;75(3):123-130.,Smith J,Thorax,2020,'
        "2020/01/02,,,10.1136/thorax-2019-1\n"
    )
    (a,) = read_records(_write(tmp_path, "csv-pubmed.csv", text)).records
    assert a["authors"] == ["Smith J", "Doe K", "van der Berg AB"]
    text = (
        "Authors,Author(s) ID,Title,Year,Source title,Abstract,DOI\n"
        '"Smith J., Doe K., Müller-Lüdenscheidt A.-B.",1;2;3,A trial,2020,Thorax,An abstract.,\n'
        '"Smith, John",4,Other,2020,X,Abs,\n'
        '"World Health Organization, WHO",5,Third,2020,X,Abs,\n'
        '"Department of Health, UK",6,Fourth,2020,X,Abs,\n'
    )
    a, b, c, d = read_records(_write(tmp_path, "scopus.csv", text)).records
    assert a["authors"] == ["Smith J.", "Doe K.", "Müller-Lüdenscheidt A.-B."]
    assert b["authors"] == ["Smith, John"]
    assert c["authors"] == ["World Health Organization, WHO"]
    assert d["authors"] == ["Department of Health, UK"]


def test_spreadsheet_errors_are_read_as_empty_and_named(tmp_path):
    """A reviewer's sheet that looks abstracts up with a formula shows #N/A where the lookup found
    nothing; that text came in as the record's abstract (so it counted as having one, and was
    screened on '#N/A'), and a '#VALUE!' DOI or year as one too. Now read as empty and named."""
    rows = [["Title", "Abstract", "Year", "DOI", "Notes"],
            ["Talc for effusion", "We randomised 300 patients.", 2019, "10.1000/abc", "#N/A"],
            ["Second trial", "#N/A", "#VALUE!", "#REF!", ""]]
    book = _xlsx(tmp_path / "sheet.xlsx", {"Records": rows})
    text = "\n".join(",".join(str(c) for c in r) for r in rows) + "\n"
    for path, where in ((book, "row 3"), (_write(tmp_path, "sheet.csv", text), "row 3")):
        res = read_records(path)
        a, b = res.records
        assert a["abstract"] == "We randomised 300 patients." and a["doi"] == "10.1000/abc"
        assert b["title"] == "Second trial"
        assert b["abstract"] is None and b["year"] is None and b["doi"] is None
        assert b["raw"]["Abstract"] == "#N/A"  # what the file holds stays visible
        (note,) = [w for w in res.warnings if "spreadsheet error" in w]
        assert "3 cells hold a spreadsheet error" in note and f"{where}, 'Abstract': #N/A" in note
        assert "'Notes'" not in note  # a column screener does not read is left as it is


def test_a_carriage_return_inside_a_cell_does_not_split_the_row(tmp_path):
    """A lone CR pasted into a cell of a table whose rows end in LF split the row: 'line two' became a
    record of its own, and the year went into the abstract of nothing. The CR is a space now, said in a note;
    a file that ends every row in CR alone (old Mac) is read as before."""
    from screener.io.reader import read_records

    f = tmp_path / "search.csv"
    f.write_bytes(b'title,abstract,year\nFirst study,line one\rline two,2020\n"Second study","a\rb",2021\n')
    res = read_records(f)
    assert [(r["title"], r["abstract"], r["year"]) for r in res.records] == [
        ("First study", "line one line two", 2020), ("Second study", "a b", 2021)]
    assert any("2 carriage returns inside cells" in w for w in res.warnings)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"title,year\rFirst study,2020\rSecond study,2021\r")
    res = read_records(mac)
    assert [(r["title"], r["year"]) for r in res.records] == [("First study", 2020), ("Second study", 2021)]
    assert not any("carriage return" in w for w in res.warnings)


def test_xlsx_line_breaks_inside_cells_read_as_line_breaks(tmp_path):
    # Excel stores a carriage return inside a cell as "_x000D_" (and a literal "_x" text as
    # "_x005F_x"); read as it is stored, the text showed "_x000D_" to the reviewer and the title
    # no longer matched the same study's title in an RIS export
    p = _xlsx(tmp_path / "covidence.xlsx", {"Sheet1": [
        ["Title", "Abstract", "Year"],
        ["Exercise for knee pain:_x000D_\na randomised trial", "Background._x000D_\nMethods._x000D_\n", 2020],
        ["File_x005F_x000D_name kept", None, 2021],
    ]})
    a, b = read_records(p).records
    assert a["title"] == "Exercise for knee pain: a randomised trial"
    assert a["abstract"] == "Background.\r\nMethods."
    assert b["title"] == "File_x000D_name kept"


def test_page_ranges_a_spreadsheet_made_dates_are_read_as_ranges(tmp_path):
    # A CSV opened in Excel and saved again: '1-9' became '9-Jan' and '12-40' became 'Dec-40'. Read as
    # pages, the first page was 9 and the record was not merged with its copy starting on page 1.
    p = _write(tmp_path, "covidence.csv",
               "Title,Published Year,Volume,Issue,Pages\r\n"
               "Exercise for knee pain,2019,20,2-Jan,9-Jan\r\n"
               "Yoga for back pain,2020,7,3,Dec-40\r\n"
               "Tai chi for falls,2021,8,4,100-109\r\n")
    res = read_records(p)
    a, b, c = res.records
    assert (a["pages"], a["start_page"], a["issue"]) == ("1-9", "1", "1-2")
    assert (b["pages"], b["start_page"]) == ("12-40", "12")
    assert (c["pages"], c["start_page"]) == ("100-109", "100")
    assert any("3 page or issue ranges had" in w and "row 2: '9-Jan' read as '1-9'" in w for w in res.warnings)
    # in a workbook the cell holds the date itself
    from datetime import datetime
    x = _xlsx(tmp_path / "covidence.xlsx", {"Sheet1": [["Title", "Year", "Pages"],
                                                      ["Exercise for knee pain", 2019, datetime(2024, 1, 9)]]})
    assert read_records(x).records[0]["pages"] == "1-9"


def test_placeholder_abstracts_are_no_abstract(tmp_path):
    # Scopus writes '[No abstract available]' where a record has none: read as its abstract, the
    # screen showed it instead of saying the record has none, and the model read the same words in
    # every such record
    text = ('Authors,Title,Year,Abstract,EID\n'
            '"Smith J.",Editorial: sleep,2019,[No abstract available],2-s2.0-1\n'
            '"Doe K.",Letter,2020,No abstract available.,2-s2.0-2\n'
            '"Lee A.",Trial,2021,"No abstract available in English; we randomised 100 adults.",2-s2.0-3\n')
    a, b, c = read_records(_write(tmp_path, "scopus.csv", text)).records
    assert a["abstract"] is None and b["abstract"] is None
    assert c["abstract"].startswith("No abstract available in English")
    assert a["raw"]["Abstract"] == "[No abstract available]"


def test_wos_tab_export_early_access_record_takes_its_year_from_ea_not_the_export_day(tmp_path):
    # A record published online first has no PY yet; its year is in EA, as the plain-text export's
    # reader reads it (DA is the day of the export, never the year of the study)
    text = ("PT\tAU\tTI\tSO\tAB\tPD\tPY\tEA\tDA\tUT\n"
            "J\tSmith, J\tA title\tJ Psych\tAbs\tJAN\t2018\t\t2024-05-02\tWOS:1\n"
            "J\tDoe, A\tB title\tJ Psych\tAbs2\t\t\tMAR 2023\t2024-05-02\tWOS:2\n")
    a, b = read_records(_write(tmp_path, "savedrecs.txt", text)).records
    assert (a["year"], b["year"]) == (2018, 2023)


def test_a_title_line_above_column_names_screener_does_not_know_is_named_with_the_way_on(tmp_path):
    """A title row ('Search results') above column names that are not the usual ones: the title was
    taken for the only column name and offered as the titles' column (--column title="Search
    results"), whose import would have read the real column names as a record; a CSV title line
    with fewer cells was refused as 'a value contains a comma without quotes'."""
    rows = [["Article Name", "Creators", "Year", "Summary", "DOI"],
            ["Peer work in harm reduction services", "Smith, J", 2020, "We studied peers.", "10.1000/a1"],
            ["Naloxone in prisons", "Doe, K", 2021, "We studied naloxone.", "10.1000/a2"]]
    book = _xlsx(tmp_path / "export.xlsx", {"Results": [["Search results"]] + rows})
    csv_text = "My review search,,\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n"
    for path, word in ((book, "row"), (_write(tmp_path, "export.csv", csv_text), "row")):
        with pytest.raises(InputError) as err:
            read_records(path)
        msg = str(err.value)
        assert "looks like a title above the column names" in msg and f"{word} 2 ('Article Name', 'Creators'" in msg
        assert "Nothing was imported" in msg and path.name in msg
        res = read_records(path, column_map={"title": "Article Name"})  # the way the message gives
        assert [r["title"] for r in res.records] == ["Peer work in harm reduction services", "Naloxone in prisons"]
        assert any(f"the 1 {word} above them" in w for w in res.warnings)
    # a one-column table of titles whose row has an unquoted comma keeps its own message
    with pytest.raises(InputError, match="without quotes around it"):
        read_records(_write(tmp_path, "titles.csv", "Title\nSmoking, drinking and sleep\n"))


_DESCRIBED = [
    ["Title", "Authors", "Year", "Journal", "DOI", "Abstract"],
    ["Title of the article", "Authors (surname, initials; separated by semicolons)", "Year of publication",
     "Journal name", "Digital object identifier (DOI)", "Abstract of the article"],
    ["Exercise therapy for knee osteoarthritis", "Smith, J.; Doe, K.", 2019, "BMJ", "10.1136/bmj.1",
     "Background: exercise helps."],
    ["Yoga for chronic low back pain", "Lee, A.", 2020, "Lancet", "10.1016/lancet.2", "We randomised 300 adults."],
]


def _csv_of(rows):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_row_of_column_descriptions_under_the_header_is_not_a_record(tmp_path):
    """Some templates and tools write a second header row that says what each column holds; read as
    a record, 'Title of the article' entered the review as a study to screen."""
    res = read_records(_write(tmp_path, "extraction.csv", _csv_of(_DESCRIBED)))
    assert [r["title"] for r in res.records] == ["Exercise therapy for knee osteoarthritis",
                                                 "Yoga for chronic low back pain"]
    assert [r["source_line"] for r in res.records] == [3, 4]
    assert any("extraction.csv: row 2" in w and "'Title of the article'" in w and "left out" in w
               for w in res.warnings), res.warnings
    res = read_records(_xlsx(tmp_path / "extraction.xlsx", {"Records": _DESCRIBED}))
    assert [r["source_line"] for r in res.records] == [3, 4]
    assert any("extraction.xlsx: row 2" in w and "left out" in w for w in res.warnings), res.warnings


def test_first_record_that_mentions_its_columns_stays_a_record(tmp_path):
    """A study of title and abstract screening names its columns in its own words: it has a year and
    a DOI, so it is a record."""
    rows = [
        ["Title", "Year", "DOI", "Abstract"],
        ["Title and abstract screening with active learning", "2021", "10.1186/s13643-021-1",
         "Abstract screening takes reviewers weeks."],
        ["Second study", "2022", "10.1186/s13643-022-2", "Another abstract."],
    ]
    res = read_records(_write(tmp_path, "methods.csv", _csv_of(rows)))
    assert len(res.records) == 2 and not any("left out" in w for w in res.warnings)
    rows[1][1:3] = ["", ""]  # no year, no DOI, but a title and an abstract of a study, not descriptions
    rows[1][3] = ("Background: abstract screening takes reviewers weeks. Methods: we simulated screening of "
                  "title and abstract records in 20 reviews. Results: work saved was 60%.")
    res = read_records(_write(tmp_path, "methods2.csv", _csv_of(rows)))
    assert len(res.records) == 2 and not any("left out" in w for w in res.warnings)
    rows = [  # a journal named 'Journal of ...' names its column in every record
        ["Title", "Authors", "Journal"],
        ["Title pages of clinical guidelines", "Guideline Authors Group", "Journal of Clinical Guidelines"],
        ["Second study", "Lee, A.", "Journal of Pain"],
    ]
    res = read_records(_write(tmp_path, "journals.csv", _csv_of(rows)))
    assert len(res.records) == 2 and not any("left out" in w for w in res.warnings)


def test_control_characters_in_workbook_cells_are_named(tmp_path):
    """Excel stores a control character pasted from a PDF as '_x0001_'; it was read into the title
    unseen (and a batch written as .xlsx from it then failed). Each is read as a space, and the
    import's notes say which cells of which rows held one; the file is not refused."""
    p = _xlsx(tmp_path / "scopus.xlsx", {"Records": [
        ["Title", "Abstract", "Year"],
        ["Exercise for knee_x0001_ pain", "An abstract_x000B_ with a vertical tab_x0002_", 2020],
        ["Yoga for back pain", "A plain abstract", 2021],
        ["Tai chi_x001F_ for balance", "Another abstract", 2022],
    ]})
    res = read_records(p)
    a, b, c = res.records
    assert a["title"] == "Exercise for knee pain" and a["abstract"] == "An abstract  with a vertical tab"
    assert c["title"] == "Tai chi for balance" and b["title"] == "Yoga for back pain"
    assert not any(ch in str(r["raw"]) for r in res.records for ch in "\x01\x02\x0b\x1f")
    note = next(w for w in res.warnings if "control character" in w)
    assert "scopus.xlsx" in note and "3 cells held control characters" in note, note
    assert "row 2 (Title, Abstract)" in note and "row 4 (Title)" in note, note


def test_first_record_with_a_database_placeholder_stays_a_record(tmp_path):
    """MEDLINE's '[No authors listed]' and Scopus's '[No abstract available]' name their columns in a
    record's own cells: a first record titled 'Title X ...' (the US family planning programme) or a
    methods paper on screening titles, in a table without year or DOI, was left out as a row of
    column descriptions."""
    rows = [
        ["Title", "Authors", "Abstract"],
        ["Title X funding cuts and contraceptive access", "[No authors listed]", "[No abstract available]"],
        ["Effect of B on C", "Smith J", "Background: trials of many patients."],
        ["Effect of D on E", "Jones K", "Methods: a cohort of nurses."],
    ]
    res = read_records(_write(tmp_path, "family.csv", _csv_of(rows)))
    assert [r["title"] for r in res.records][0] == "Title X funding cuts and contraceptive access"
    assert len(res.records) == 3 and not any("left out" in w for w in res.warnings), res.warnings
    rows = [
        ["Title", "Abstract"],
        ["Screening titles and abstracts: a practical guide", "Abstract not available"],
        ["Effect of B on C", "Background: trials of many patients."],
    ]
    res = read_records(_write(tmp_path, "methods.csv", _csv_of(rows)))
    assert len(res.records) == 2 and not any("left out" in w for w in res.warnings), res.warnings
    # a real row of descriptions is still left out
    res = read_records(_write(tmp_path, "desc.csv", "Title,Abstract\nTitle of the article,Abstract (if available)\n"
                                                    "Effect of B on C,Background: trials.\n"))
    assert [r["title"] for r in res.records] == ["Effect of B on C"]


def test_web_of_science_tab_and_scopus_csv_exports_name_their_database_not_the_file(tmp_path):
    """Web of Science's tab-delimited export ('savedrecs.txt') and Scopus's CSV ('scopus (1).csv')
    name no database in a column, so their records counted in PRISMA under the file name: a search
    exported in parts ('savedrecs.txt', 'savedrecs(1).txt', as Web of Science gives 1,000 records a
    file) counted as two databases, 'savedrecs' and 'savedrecs(1)', while the same search's plain-text
    export counts as 'Web of Science'. Each now names its database; a column naming one still wins."""
    wos = ("\ufeffPT\tAU\tTI\tSO\tAB\tDI\tPY\tUT\r\n"
           "J\tSmith, J; Doe, A\tSyndemics among MSM in Kenya\tAIDS CARE\tBackground.\t10.1080/0954.1\t2021"
           "\tWOS:000612345600001\r\n")
    scopus = ('\ufeffAuthors,Title,Year,Source title,DOI,Abstract,Document Type,Source,EID\r\n'
              '"Lee K.",Alcohol use and HIV testing,2020,Sex Health,10.1071/SH1,An abstract.,Article,Scopus,'
              '2-s2.0-85090000001\r\n')
    own = "Title,Abstract,Database,EID\r\nA trial,Its abstract,Embase,2-s2.0-85090000002\r\n"
    assert read_records(_write(tmp_path, "savedrecs(1).txt", wos)).records[0]["source_db"] == "Web of Science"
    assert read_records(_write(tmp_path, "scopus (1).csv", scopus)).records[0]["source_db"] == "Scopus"
    assert read_records(_write(tmp_path, "mixed.csv", own)).records[0]["source_db"] == "Embase"
    plain = "Title,Abstract,EID\r\nA trial,Its abstract,\r\n"  # an EID column without Scopus's ids
    assert read_records(_write(tmp_path, "mine.csv", plain)).records[0]["source_db"] == "mine"


def test_a_second_column_of_the_same_name_is_read_where_the_first_is_empty_and_named(tmp_path):
    """A table put together by hand from two exports had two 'Abstract' columns, the first empty
    where the second held the abstracts (and two 'Title' columns likewise): every record came in
    with no abstract, without a word, and was screened on its title alone (the titles missing said
    only 'check them in the original export'). A cell of the first such column that is empty is now
    read from the next column of that name, and the import says so, naming the columns; where both
    hold different text, the first is read and the rows are named."""
    text = ("Title,Authors,Year,Abstract,Title,Abstract,DOI\r\n"
            ',"Doe, J",2019,,Peer support for PrEP adherence,"Background: peer support, a trial.",10.1000/x1\r\n'
            'Alcohol use and HIV testing,"Roe, K",2020,Alcohol is common.,Alcohol use and HIV testing: a review,'
            'Alcohol is common among MSM.,10.1000/y2\r\n')
    res = read_records(_write(tmp_path, "merged.csv", text))
    a, b = res.records
    assert (a["title"], a["abstract"]) == ("Peer support for PrEP adherence", "Background: peer support, a trial.")
    assert (b["title"], b["abstract"]) == ("Alcohol use and HIV testing", "Alcohol is common.")  # the first read
    note = " ".join(w for w in res.warnings if "more than one column named" in w)
    assert "merged.csv" in note and "'Title' (columns 1 and 5)" in note and "'Abstract' (columns 4 and 6)" in note
    assert "row 3" in note, note  # both hold different text there


def test_pubmeds_csv_export_is_named_and_its_missing_abstracts_point_to_the_nbib_export(tmp_path):
    """PubMed's 'Save > CSV' export ('csv-syndemicmsm-set.csv') holds no abstracts. Its import said
    'If the abstracts are in one of these columns, ... import with --column abstract=NAME', when none
    is, and counted the records in PRISMA under the file's name. The note now says that PubMed's CSV
    has no abstracts and to export the search with 'Send to > Citation manager' (.nbib) instead, and
    the records count under PubMed."""
    text = ("\ufeffPMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,"
            "NIHMS ID,DOI\r\n"
            '38000001,Syndemic conditions among MSM in Peru.,"Garcia A, Lopez B.",AIDS Behav. 2024 Jan;28(1):1-10.,'
            "Garcia A,AIDS Behav,2024,2023/11/20,,,10.1007/s10461-023-0001-x\r\n")
    res = read_records(_write(tmp_path, "csv-syndemicmsm-set.csv", text))
    assert res.records[0]["source_db"] == "PubMed" and res.records[0]["pmid"] == "38000001"
    note = " ".join(res.warnings)
    assert "csv-syndemicmsm-set.csv" in note and "PubMed's CSV" in note and "no abstracts" in note, note
    assert "Citation manager" in note and ".nbib" in note and "--column abstract" not in note, note


def test_embase_csv_gives_its_medline_pmid(tmp_path):
    """Embase.com's CSV export names the PubMed id 'Medline PMID' (beside 'Embase Accession ID' and
    'PUI'): it was not read, so an Embase record without a DOI was not matched to its PubMed copy by
    PMID in de-duplication. Its other columns keep their fields; PUI and the accession id are not PMIDs."""
    text = (
        '"Title","Author Names","Source","Source title","Publication Year","Volume","Issue","First Page",'
        '"Last Page","Publication Type","ISSN","Abstract","Author Keywords","Embase Accession ID","Medline PMID",'
        '"PUI","DOI","Embase Link"\n'
        '"Peer workers in harm reduction","Smith J., Doe K.","J Harm Reduct 2019 12:3 (45-52)","J Harm Reduct",'
        '"2019","12","3","45","52","Article","1234-5678","An abstract.","peer support","2001234567","31234567",'
        '"L2001234567","","https://www.embase.com/search/results?id=L2001234567"\n'
        '"A conference abstract","Lee A.","Conf 2020","Conf Suppl","2020","","","","","Conference Abstract",'
        '"","Another.","","633000001","","L633000001","",""\n'
    )
    res = read_records(_write(tmp_path, "embase.csv", text))
    a, b = res.records
    assert a["pmid"] == "31234567" and b["pmid"] is None
    assert a["title"] == "Peer workers in harm reduction" and a["year"] == 2019 and a["journal"] == "J Harm Reduct"
    assert a["start_page"] == "45" and a["abstract"] == "An abstract." and a["doi"] is None
    assert a["raw"]["PUI"] == "L2001234567"


def test_a_two_row_header_under_a_merged_heading_is_read_as_column_names(tmp_path):
    """A reviewers' workbook with a heading merged over two columns ('Publication' over 'Journal' and
    'Year') and the cells of 'Title' and 'Abstract' merged down both header rows: the second header
    row was imported as a record (no title, counted in PRISMA's records identified) and the journals
    and years were lost. The row now completes the column names; the same table saved as CSV too."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Title", "Publication", None, "Abstract", "Decision"])
    ws.append([None, "Journal", "Year", None, None])
    for cells in ("A1:A2", "B1:C1", "D1:D2", "E1:E2"):
        ws.merge_cells(cells)
    ws.append(["Peer support for depression: a randomised trial", "J Affect Disord", 2020, "We randomised 80.",
               "include"])
    ws.append(["Yoga for chronic back pain", "Pain", 2021, "A cohort of 120 adults.", "exclude"])
    wb.save(tmp_path / "screening.xlsx")
    csv_text = ("Title,Publication,,Abstract,Decision\n,Journal,Year,,\n"
                "Peer support for depression: a randomised trial,J Affect Disord,2020,We randomised 80.,include\n"
                "Yoga for chronic back pain,Pain,2021,A cohort of 120 adults.,exclude\n")
    for res, where in ((read_records(tmp_path / "screening.xlsx"), "row 2"),
                       (read_records(_write(tmp_path, "screening.csv", csv_text)), "row 2")):
        assert [(r["title"][:20], r["journal"], r["year"]) for r in res.records] == [
            ("Peer support for dep", "J Affect Disord", 2020), ("Yoga for chronic bac", "Pain", 2021)]
        assert res.labels == ["include", "exclude"]
        said = " ".join(res.warnings)
        assert f"{where} names columns under the column names above it ('Journal', 'Year'" in said, said
    # a first record whose cells are not column names is a record
    res = read_records(_write(tmp_path, "plain.csv", "Title,Notes,Year\nJournal club evaluation,Year one,2020\n"
                                                     "Second study,,2021\n"))
    assert [r["title"] for r in res.records] == ["Journal club evaluation", "Second study"]


def test_a_decision_merged_over_several_records_of_a_workbook_is_read_on_each(tmp_path):
    """A reviewer merged one 'exclude' cell over three records (rows 3-5) of their workbook: the file
    stores the value on the first row only, so the other two were read as undecided, without a word.
    Each row of the merge now has the value, as the sheet shows it, with a note naming the rows; a
    heading merged over the column names is left alone."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Screening of the 2024 search"])
    ws.merge_cells("A1:C1")
    ws.append(["Title", "Abstract", "Decision"])
    for i, decision in enumerate(["include", "exclude", None, None, "include", None]):
        ws.append([f"Study {i + 1} of peer support for depression", "An abstract.", decision])
    ws.merge_cells("C4:C6")
    ws.merge_cells("C8:C8")  # a merge of one cell is no merge
    wb.save(tmp_path / "decisions.xlsx")
    res = read_records(tmp_path / "decisions.xlsx")
    assert [r["title"][:7] for r in res.records] == [f"Study {i}" for i in range(1, 7)]
    assert res.labels == ["include", "exclude", "exclude", "exclude", "include", None]
    said = " ".join(res.warnings)
    assert "decisions.xlsx: 1 cell merged over several records ('Decision', rows 4-6) was read as its " \
           "value on each of those rows" in said, said


HAL_FR_CSV = (
    "Titre;Auteurs;Année;Revue;DOI;Résumé;Mots-clés;Pays\n"
    '"Le soutien par les pairs en réduction des risques";"Dupont, Marie; Martin, Luc";2021;"Santé Publique";'
    '10.3917/spub.211.0045;"Cette étude qualitative décrit le travail des pairs aidants.";"pair-aidance; réduction '
    'des risques";France\n'
    '"Usage de drogues et VIH à Montréal";"Tremblay, Jean";2019;"Drogues, santé et société";10.7202/1234567ar;'
    '"Une cohorte de personnes qui utilisent des drogues.";"VIH; cohorte";Canada\n'
)


def test_french_column_names_are_read(tmp_path):
    """A table exported by a French-language interface (HAL, Cairn, a reference manager set to French)
    names its columns 'Titre', 'Auteurs', 'Année', 'Revue', 'Résumé', 'Mots-clés': it was refused whole
    ('screener found no column with the titles ... add --column title=Titre'), and with that column named
    the abstracts, authors and years were still left out. Now they are read as their English names are."""
    res = read_records(_write(tmp_path, "hal.csv", HAL_FR_CSV))
    a, b = res.records
    assert a["title"] == "Le soutien par les pairs en réduction des risques"
    assert a["authors"] == ["Dupont, Marie", "Martin, Luc"] and a["year"] == 2021
    assert a["journal"] == "Santé Publique" and a["doi"] == "10.3917/spub.211.0045"
    assert a["abstract"] == "Cette étude qualitative décrit le travail des pairs aidants."
    assert a["keywords"] == ["pair-aidance", "réduction des risques"]
    assert b["journal"] == "Drogues, santé et société" and b["year"] == 2019
    assert not any("no abstract column" in w for w in res.warnings), res.warnings
    assert all("France" not in str(v) for k, v in a.items() if k != "raw")  # 'Pays' (country) is no field


@pytest.mark.parametrize("header, title, abstract", [
    # Spanish (a Spanish-language interface: SciELO, Dialnet), German, Portuguese (SciELO, LILACS)
    (["Título", "Autores", "Año", "Revista", "Resumen", "Palabras clave"], "Apoyo entre pares", "Un estudio."),
    (["Titel", "Autoren", "Jahr", "Zeitschrift", "Zusammenfassung", "Schlagwörter"], "Peer-Beratung", "Eine Studie."),
    (["Título", "Autores", "Ano", "Periódico", "Resumo", "Palavras-chave"], "Apoio entre pares", "Um estudo."),
])
def test_spanish_german_portuguese_column_names_in_a_workbook_are_read(tmp_path, header, title, abstract):
    rows = [header, [title, "García, Ana; Müller, Jan", 2020, "Revista X", abstract, "pares; drogas"]]
    (r,) = read_records(_xlsx(tmp_path / "export.xlsx", {"records": rows})).records
    assert (r["title"], r["abstract"], r["year"], r["journal"]) == (title, abstract, 2020, "Revista X")
    assert r["authors"] == ["García, Ana", "Müller, Jan"] and r["keywords"] == ["pares", "drogas"]


def test_foreign_column_names_do_not_take_other_columns(tmp_path):
    """Only whole column names count: 'Titre de la série' (a series) or 'Résumé en anglais' beside 'Résumé'
    do not become the title or the abstract."""
    text = ("Titre de la série;Titre;Résumé;Résumé traduit\n"
            '"Collection Santé";"Le titre";"Le résumé.";"The abstract."\n')
    (r,) = read_records(_write(tmp_path, "fr.csv", text)).records
    assert (r["title"], r["abstract"]) == ("Le titre", "Le résumé.")


def test_one_cell_with_a_control_character_and_one_page_range_read_in_the_singular(tmp_path):
    """One cell with a control character, one page range Excel had made a date: the notes read
    '1 cell(s) held control characters' and '1 page or issue range(s) had been turned into dates'."""
    text = "Title,Abstract,Year,Pages\nExercise for knee\x0b pain,An abstract.,2020,9-Jan\nYoga,Another.,2021,12-20\n"
    res = read_records(_write(tmp_path, "one.csv", text))
    assert res.records[0]["title"] == "Exercise for knee pain" and res.records[0]["pages"] == "1-9"
    said = " ".join(res.warnings)
    assert "one.csv: 1 cell held control characters" in said, said
    assert "one.csv: 1 page or issue range had been turned into a date by a spreadsheet" in said, said
    assert "and was read back as a range (row 2: '9-Jan' read as '1-9')" in said and "(s)" not in said, said


def test_article_number_is_the_pages_of_an_online_journals_paper_in_wos_tab_and_scopus_csv(tmp_path):
    """An online journal's paper has an article number where the pages go (Web of Science's AR, Scopus's
    'Art. No.'; PubMed writes it as the pages, PG 5432, and the Web of Science plain-text export is read
    so). The tab export and Scopus's CSV left its pages empty: the same paper read from the two exports
    of one database differed, and its pages were missing from the duplicates review."""
    header = "PT\tAU\tTI\tSO\tSP\tAB\tPY\tVL\tIS\tBP\tEP\tAR\tDI\tPG\tUT"
    text = (header + "\n"
            "J\tWang, L\tEarly access paper\tSCI REP-UK\t\tAbs\t2023\t13\t1\t\t\t5432\t10.1038/x\t9\tWOS:1\n"
            "J\tSmith, J\tA title\tJ Psych\t\tAbs\t2018\t12\t3\t123\t129\t\t10.2000/x\t7\tWOS:2\n")
    a, b = read_records(_write(tmp_path, "savedrecs.txt", text)).records
    assert (a["pages"], a["start_page"]) == ("5432", "5432")
    assert (b["pages"], b["start_page"]) == ("123-129", "123")
    scopus = ('\ufeff"Authors","Title","Year","Source title","Volume","Issue","Art. No.","Page start","Page end",'
              '"DOI","Abstract","Document Type","Source","EID"\n'
              '"Wang L.","Early access paper","2023","Scientific Reports","13","1","5432","","",'
              '"10.1038/x","Abs","Article","Scopus","2-s2.0-1"\n'
              '"Smith J.","A title","2018","J Psych","12","3","e12","123","129","10.2000/x","Abs","Article",'
              '"Scopus","2-s2.0-2"\n')
    a, b = read_records(_write(tmp_path, "scopus.csv", scopus)).records
    assert (a["pages"], a["start_page"]) == ("5432", "5432")
    assert (b["pages"], b["start_page"]) == ("123-129", "123")


def test_zotero_csv_type_is_the_item_type_not_zoteros_empty_type_field(tmp_path):
    """Zotero's CSV export has every column of its items: 'Item Type' (journalArticle, thesis) and, far
    to the right, 'Type' (a thesis's or report's kind, empty for an article). The type was read from 'Type':
    every journal article came in without a type, and a thesis as 'PhD Thesis', not as a thesis."""
    header = ('"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Abstract Note",'
              '"Pages","Issue","Volume","Publisher","Type","Library Catalog","Extra"\n')
    text = header + (
        '"ABCD1234","journalArticle","2023","Smith, John A.","A trial","The Lancet","10.1016/x","Abs","899-910",'
        '"10380","401","","","PubMed","PMID: 37000001"\n'
        '"EFGH5678","thesis","2021","Doe, Jane","A dissertation","","","Abs2","","","","Univ","PhD Thesis",'
        '"ProQuest",""\n')
    a, b = read_records(_write(tmp_path, "zotero.csv", text)).records
    assert (a["type"], b["type"]) == ("journalArticle", "thesis")


def test_zotero_csv_pmid_is_read_from_extra(tmp_path):
    """Zotero keeps an item's PMID in its 'Extra' field ('PMID: 37000001', one line of several), and its CSV
    export has no PMID column: the records of a Zotero library came in without their PMIDs, so none was
    matched with its PubMed copy by PMID."""
    text = ('"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Abstract Note",'
            '"Extra"\n'
            '"ABCD1234","journalArticle","2023","Smith, John A.","A trial","The Lancet","","Abs",'
            '"PMID: 37000001\nPMCID: PMC9000001"\n'
            '"EFGH5678","journalArticle","2021","Doe, Jane","Another trial","BMJ","","Abs2","Citation Key: doe2021"\n')
    a, b = read_records(_write(tmp_path, "zotero.csv", text)).records
    assert (a["pmid"], b["pmid"]) == ("37000001", None)


def test_pubmed_csv_volume_issue_and_pages_come_from_its_citation_column(tmp_path):
    """PubMed's CSV ('Save > CSV') has no volume, issue or pages columns: they are in its 'Citation'
    ('Lancet. 2023 Mar 18;401(10380):899-910. doi: ...'). They came in empty, so its records lacked what the
    duplicates review and de-duplication compare a record without a DOI on."""
    text = ("\ufeffPMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,"
            "NIHMS ID,DOI\n"
            '37000001,A trial.,"Smith JA, Muller A.",Lancet. 2023 Mar 18;401(10380):899-910. doi: '
            "10.1016/S0140-6736(23)00001-1. Epub 2023 Mar 1.,Smith JA,Lancet,2023,2023/03/04,,,10.1016/x\n"
            "37000002,No issue.,Doe J.,BMJ Open. 2022;12:e0123. doi: 10.1136/x.,Doe J,BMJ Open,2022,2022/01/04,,,\n"
            "37000003,Ahead of print.,Roe R.,J Clin Med. 2023 Mar 1:S0140-6736(23)00003-3. doi: 10.3390/y. "
            "Online ahead of print.,Roe R,J Clin Med,2023,2023/03/02,,,\n"
            "37000004,A review.,Poe P.,Cochrane Database Syst Rev. 2021 Mar 3;3(3):CD012345. doi: 10.1002/z.,"
            "Poe P,Cochrane Database Syst Rev,2021,2021/03/03,,,\n")
    a, b, c, d = read_records(_write(tmp_path, "csv-trial-set.csv", text)).records
    assert (a["volume"], a["issue"], a["pages"], a["start_page"]) == ("401", "10380", "899-910", "899")
    assert (b["volume"], b["issue"], b["pages"]) == ("12", None, "e0123")
    assert (c["volume"], c["issue"], c["pages"]) == (None, None, None)
    assert (d["volume"], d["issue"], d["pages"]) == ("3", "3", "CD012345")


#: Scopus's CSV export with every field chosen ('Export > CSV > All information'), as it writes its header
SCOPUS_HEADER = [
    "Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
    "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "Affiliations", "Authors with affiliations",
    "Abstract", "Author Keywords", "Index Keywords", "Molecular Sequence Numbers", "Chemicals/CAS", "Tradenames",
    "Manufacturers", "Funding Details", "Funding Texts", "References", "Correspondence Address", "Editors",
    "Publisher", "Sponsors", "Conference name", "Conference date", "Conference location", "Conference code", "ISSN",
    "ISBN", "CODEN", "PubMed ID", "Language of Original Document", "Abbreviated Source Title", "Document Type",
    "Publication Stage", "Open Access", "Source", "EID",
]


def _scopus_rows():
    first = {
        "Authors": "Smith J.; Doe K.", "Author full names": "Smith, John (57190000001); Doe, Kate (57190000002)",
        "Author(s) ID": "57190000001; 57190000002", "Title": "Sleep and stress in night-shift nurses", "Year": "2021",
        "Source title": "Sleep Medicine", "Volume": "80", "Page start": "12", "Page end": "19", "Page count": "8",
        "Cited by": "3", "DOI": "10.1016/j.sleep.2021.01.001",
        "Link": "https://www.scopus.com/inward/record.uri?eid=2-s2.0-85100000001&partnerID=40&md5=abc",
        "Affiliations": "University of Oslo, Norway", "Authors with affiliations": "Smith J., University of Oslo",
        "Abstract": "Nurses on night shifts sleep less.", "Author Keywords": "sleep; stress",
        "Index Keywords": "Humans; Adult", "Chemicals/CAS": "melatonin, 73-31-4",
        "Funding Details": "Norges Forskningsråd, NFR: 1234", "Funding Texts": "Funded by the NFR.",
        "References": "Doe K., Shift work (2019) Sleep, 42; Lee A., Burnout (2020) J Adv Nurs, 76",
        "Correspondence Address": "Smith J.; University of Oslo; email: j.smith@uio.no", "Publisher": "Elsevier B.V.",
        "ISSN": "13899457", "CODEN": "SMEDF", "PubMed ID": "33500001", "Language of Original Document": "English",
        "Abbreviated Source Title": "Sleep Med.", "Document Type": "Article", "Publication Stage": "Final",
        "Open Access": "All Open Access; Green Open Access", "Source": "Scopus", "EID": "2-s2.0-85100000001",
    }
    second = {**first, "Title": "Burnout after night shifts", "EID": "2-s2.0-85100000002", "DOI": "",
              "Conference name": "Nursing Research Days 2020", "Conference date": "3 June 2020 through 5 June 2020",
              "Conference location": "Oslo", "Conference code": "170001", "ISBN": "9781234567897"}
    return [first, second]


def _csv(tmp_path, name, header, rows):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row.get(h, "") for h in header])
    return _write(tmp_path, name, buf.getvalue())


def _not_read(res) -> list[str]:
    return [w for w in res.warnings if "not read" in w]


def test_a_scopus_export_names_none_of_the_columns_screener_does_not_need_but_names_one_a_reviewer_added(tmp_path):
    """A Scopus CSV has some 30 columns screener does not read ('Link', 'Funding Details', its 'Source', which
    says 'Scopus'): named, they would hide the one a reviewer added. That one ('My notes') is named, and
    told apart from the export's own."""
    res = read_records(_csv(tmp_path, "scopus.csv", SCOPUS_HEADER, _scopus_rows()))
    assert _not_read(res) == [], res.warnings
    assert res.records[0]["journal"] == "Sleep Medicine"
    rows = _scopus_rows()
    rows[0]["My notes"] = "ask Kate about the shift data"
    res = read_records(_csv(tmp_path, "scopus_notes.csv", SCOPUS_HEADER + ["My notes"], rows))
    (note,) = _not_read(res)
    assert "1 column not read ('My notes')" in note, note
    assert "Source" not in note and "Link" not in note and "--column" not in note


@pytest.mark.parametrize("name, header, row", [
    ("savedrecs.txt",
     "PT AU BA BE GP AF BF CA TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU FP FX CR NR TC Z9 U1 U2 "
     "PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI DL D2 EA PG WC WE SC GA PM OA HC HP DA UT".split(),
     {"PT": "J", "AU": "Smith, J", "AF": "Smith, John", "TI": "Sleep and stress", "SO": "SLEEP MEDICINE",
      "LA": "English", "DT": "Article", "C1": "[Smith, John] Univ Oslo, Oslo, Norway", "RP": "Smith, J (corresponding "
      "author), Univ Oslo", "EM": "j.smith@uio.no", "FU": "Research Council of Norway", "CR": "Doe K, 2019, SLEEP",
      "NR": "2", "TC": "3", "Z9": "3", "U1": "1", "U2": "4", "PU": "ELSEVIER", "PI": "AMSTERDAM", "SN": "1389-9457",
      "J9": "SLEEP MED", "JI": "Sleep Med.", "PD": "MAR", "PY": "2021", "VL": "80", "BP": "12", "EP": "19",
      "DI": "10.1016/j.sleep.2021.01.001", "PG": "8", "WC": "Clinical Neurology", "WE": "Science Citation Index "
      "Expanded (SCI-EXPANDED)", "SC": "Neurosciences & Neurology", "GA": "QK1AB", "PM": "33500001",
      "OA": "Green Published", "DA": "2024-01-05", "UT": "WOS:000600000000001", "AB": "Nurses sleep less."}),
    ("csv-sleep-set.csv",
     ["PMID", "Title", "Authors", "Citation", "First Author", "Journal/Book", "Publication Year", "Create Date",
      "PMCID", "NIHMS ID", "DOI"],
     {"PMID": "33500001", "Title": "Sleep and stress.", "Authors": "Smith J, Doe K.", "Citation": "Sleep Med. 2021 "
      "Mar;80:12-19. doi: 10.1016/j.sleep.2021.01.001.", "First Author": "Smith J", "Journal/Book": "Sleep Med",
      "Publication Year": "2021", "Create Date": "2021/01/26", "PMCID": "PMC7000001",
      "DOI": "10.1016/j.sleep.2021.01.001"}),
    ("zotero.csv",
     ["Key", "Item Type", "Publication Year", "Author", "Title", "Publication Title", "ISBN", "ISSN", "DOI", "Url",
      "Abstract Note", "Date", "Date Added", "Date Modified", "Access Date", "Pages", "Num Pages", "Issue", "Volume",
      "Journal Abbreviation", "Short Title", "Publisher", "Language", "Library Catalog", "Extra", "Notes",
      "File Attachments", "Manual Tags", "Automatic Tags"],
     {"Key": "ABCD1234", "Item Type": "journalArticle", "Publication Year": "2021", "Author": "Smith, John",
      "Title": "Sleep and stress", "Publication Title": "Sleep Medicine", "ISSN": "1389-9457", "DOI": "10.1/x",
      "Url": "https://doi.org/10.1/x", "Abstract Note": "Nurses sleep less.", "Date": "2021-03",
      "Date Added": "2024-01-05 10:00:00", "Date Modified": "2024-01-05 10:00:00", "Access Date": "2024-01-05",
      "Pages": "12-19", "Journal Abbreviation": "Sleep Med", "Language": "en", "Library Catalog": "PubMed",
      "Extra": "PMID: 33500001", "File Attachments": "/home/jo/Zotero/storage/X7/smith.pdf",
      "Automatic Tags": "Humans; Sleep"}),
    ("articles.csv",
     ["key", "title", "authors", "journal", "issn", "volume", "issue", "pages", "year", "month", "day", "publisher",
      "pmc_id", "pubmed_id", "url", "abstract", "notes", "doi", "keywords"],
     {"key": "rayyan-1", "title": "Sleep and stress", "authors": "Smith, J", "journal": "Sleep Med",
      "issn": "1389-9457", "volume": "80", "pages": "12-19", "year": "2021", "month": "3", "day": "1",
      "publisher": "Elsevier", "pubmed_id": "33500001", "url": "https://pubmed.ncbi.nlm.nih.gov/33500001",
      "abstract": "Nurses sleep less.", "notes": 'RAYYAN-INCLUSION: {"Jo"=>"Included"}', "doi": "10.1/x"}),
])
def test_database_and_reference_manager_exports_name_no_column_not_read(tmp_path, name, header, row):
    """Web of Science's 70 tags, PubMed's CSV, Zotero's and Rayyan's exports: the columns screener does not
    read are the database's own (Rayyan's notes hold its decisions, which the import tells of), not a wall of
    names to read through after each import."""
    if name.endswith(".txt"):
        path = _write(tmp_path, name, "\t".join(header) + "\n" + "\t".join(row.get(h, "") for h in header) + "\n")
    else:
        path = _csv(tmp_path, name, header, [row])
    res = read_records(path)
    assert res.records[0]["title"].startswith("Sleep and stress")
    assert _not_read(res) == [], res.warnings


#: Embase.com's CSV export with every field chosen: its 'Source' is the citation line ('Sleep Med 2021 80 (12-19)'),
#: the journal is in 'Source title'
EMBASE_HEADER = [
    "Title", "Author Names", "Author Addresses", "Correspondence Address", "Editors", "Source", "Source title",
    "Publication Year", "Volume", "Issue", "First Page", "Last Page", "Date of Publication", "Publication Type", "ISSN",
    "ISBN", "Book Publisher", "Abstract", "Language of Article", "Language of Summary", "Emtree Drug Index Terms",
    "Emtree Medical Index Terms", "Emtree Drug Index Terms (Major Focus)", "Emtree Medical Index Terms (Major Focus)",
    "Drug Trade Names", "Drug Manufacturers", "Device Trade Names", "Device Manufacturers", "CAS Registry Numbers",
    "Molecular Sequence Numbers", "Clinical Trial Numbers", "Author Keywords", "Embase Classification",
    "Conference Name", "Conference Location", "Conference Date", "Conference Editor", "Embase Accession ID",
    "Medline PMID", "PUI", "DOI", "Full Text Link", "Embase Link", "OpenURL Link", "Copyright",
]

#: Web of Science's export to Excel (or a tab-delimited file) with the columns named in words, not by tags
WOS_NAMED_HEADER = [
    "Publication Type", "Authors", "Book Authors", "Book Editors", "Book Group Authors", "Author Full Names",
    "Book Author Full Names", "Group Authors", "Article Title", "Source Title", "Book Series Title",
    "Book Series Subtitle", "Language", "Document Type", "Conference Title", "Conference Date", "Conference Location",
    "Conference Sponsor", "Conference Host", "Author Keywords", "Keywords Plus", "Abstract", "Addresses",
    "Affiliations", "Reprint Addresses", "Email Addresses", "Researcher Ids", "ORCIDs", "Funding Orgs",
    "Funding Name Preferred", "Funding Text", "Cited References", "Cited Reference Count", "Times Cited, WoS Core",
    "Times Cited, All Databases", "180 Day Usage Count", "Since 2013 Usage Count", "Publisher", "Publisher City",
    "Publisher Address", "ISSN", "eISSN", "ISBN", "Journal Abbreviation", "Journal ISO Abbreviation",
    "Publication Date", "Publication Year", "Volume", "Issue", "Part Number", "Supplement", "Special Issue",
    "Meeting Abstract", "Start Page", "End Page", "Article Number", "DOI", "DOI Link", "Book DOI", "Early Access Date",
    "Number of Pages", "WoS Categories", "Web of Science Index", "Research Areas", "IDS Number", "Pubmed Id",
    "Open Access Designations", "Highly Cited Status", "Hot Paper Status", "Date of Export", "UT (Unique WOS ID)",
    "Web of Science Record",
]

#: EndNote's 'Tab Delimited' output style, for a library of journal articles from PubMed
ENDNOTE_TAB_HEADER = [
    "Reference Type", "Author", "Year", "Title", "Journal", "Volume", "Issue", "Pages", "Epub Date", "Date",
    "Type of Article", "Short Title", "Alternate Journal", "ISSN", "DOI", "PMCID", "Accession Number", "Keywords",
    "Abstract", "Notes", "URL", "Author Address", "Database Provider", "Language", "Name of Database",
]


@pytest.mark.parametrize("name, header, row", [
    ("embase.csv", EMBASE_HEADER, {
        "Title": "Sleep and stress in night-shift nurses", "Author Names": "Smith J., Doe K.",
        "Author Addresses": "(Smith J.) University of Oslo, Norway", "Correspondence Address": "J. Smith, Oslo",
        "Source": "Sleep Medicine 2021 80 (12-19)", "Source title": "Sleep Medicine", "Publication Year": "2021",
        "Volume": "80", "First Page": "12", "Last Page": "19", "Date of Publication": "1 Mar 2021",
        "Publication Type": "Article", "ISSN": "1389-9457", "Book Publisher": "Elsevier B.V.",
        "Abstract": "Nurses on night shifts sleep less.", "Language of Article": "English",
        "Emtree Drug Index Terms": "melatonin", "Emtree Medical Index Terms": "human; adult; sleep",
        "Emtree Drug Index Terms (Major Focus)": "melatonin", "Emtree Medical Index Terms (Major Focus)": "sleep",
        "CAS Registry Numbers": "melatonin (73-31-4)", "Clinical Trial Numbers": "NCT01234567",
        "Author Keywords": "sleep; stress", "Embase Classification": "Psychiatry", "Embase Accession ID": "2010000001",
        "Medline PMID": "33500001", "PUI": "L2010000001", "DOI": "10.1016/j.sleep.2021.01.001",
        "Full Text Link": "https://dx.doi.org/10.1016/j.sleep.2021.01.001",
        "Embase Link": "https://www.embase.com/search/results?id=L2010000001",
        "OpenURL Link": "https://getit.example.org/?sid=EMBASE&id=pmid:33500001",
        "Copyright": "Copyright 2021 Elsevier"}),
    ("savedrecs.csv", WOS_NAMED_HEADER, {
        "Publication Type": "J", "Authors": "Smith, J; Doe, K", "Author Full Names": "Smith, John; Doe, Kate",
        "Article Title": "Sleep and stress in night-shift nurses", "Source Title": "SLEEP MEDICINE",
        "Language": "English", "Document Type": "Article", "Author Keywords": "sleep; stress",
        "Keywords Plus": "SHIFT WORK; INSOMNIA", "Abstract": "Nurses on night shifts sleep less.",
        "Addresses": "[Smith, John] Univ Oslo, Oslo, Norway", "Affiliations": "University of Oslo",
        "Reprint Addresses": "Smith, J (corresponding author), Univ Oslo", "Email Addresses": "j.smith@uio.no",
        "Researcher Ids": "Smith, John/A-1234-2010", "ORCIDs": "Smith, John/0000-0001-2345-6789",
        "Funding Orgs": "Research Council of Norway", "Funding Name Preferred": "Research Council of Norway",
        "Funding Text": "Funded by the NFR.", "Cited References": "Doe K, 2019, SLEEP, V42",
        "Cited Reference Count": "2",
        "Times Cited, WoS Core": "3", "Times Cited, All Databases": "3", "180 Day Usage Count": "1",
        "Since 2013 Usage Count": "4", "Publisher": "ELSEVIER", "Publisher City": "AMSTERDAM",
        "Publisher Address": "RADARWEG 29, 1043 NX AMSTERDAM, NETHERLANDS", "ISSN": "1389-9457", "eISSN": "1878-5506",
        "Journal Abbreviation": "SLEEP MED", "Journal ISO Abbreviation": "Sleep Med.", "Publication Date": "MAR",
        "Publication Year": "2021", "Volume": "80", "Start Page": "12", "End Page": "19",
        "DOI": "10.1016/j.sleep.2021.01.001", "DOI Link": "http://dx.doi.org/10.1016/j.sleep.2021.01.001",
        "Early Access Date": "JAN 2021", "Number of Pages": "8", "WoS Categories": "Clinical Neurology",
        "Web of Science Index": "Science Citation Index Expanded (SCI-EXPANDED)",
        "Research Areas": "Neurosciences & Neurology", "IDS Number": "QK1AB", "Pubmed Id": "33500001",
        "Open Access Designations": "Green Published", "Highly Cited Status": "N", "Hot Paper Status": "N",
        "Date of Export": "2024-01-05", "UT (Unique WOS ID)": "WOS:000600000000001", "Web of Science Record": "0"}),
    ("endnote.txt", ENDNOTE_TAB_HEADER, {
        "Reference Type": "Journal Article", "Author": "Smith, John; Doe, Kate", "Year": "2021",
        "Title": "Sleep and stress in night-shift nurses", "Journal": "Sleep Medicine", "Volume": "80",
        "Pages": "12-19",
        "Epub Date": "2021/01/26", "Date": "Mar", "Type of Article": "Journal Article",
        "Alternate Journal": "Sleep Med",
        "ISSN": "1878-5506 (Electronic) 1389-9457 (Linking)", "DOI": "10.1016/j.sleep.2021.01.001",
        "PMCID": "PMC7000001", "Accession Number": "33500001", "Keywords": "Humans; Sleep",
        "Abstract": "Nurses on night shifts sleep less.", "Author Address": "University of Oslo, Norway",
        "Database Provider": "NLM", "Language": "eng", "Name of Database": "PubMed"}),
])
def test_embase_named_web_of_science_and_endnote_exports_name_no_column_not_read(tmp_path, name, header, row):
    """Embase's CSV ('Source', its citation line; 'Emtree ... (Major Focus)', 'Clinical Trial Numbers'), Web of
    Science's export with its columns named in words ('Keywords Plus', 'Times Cited, WoS Core', 'Date of Export')
    and EndNote's tab-delimited text ('Type of Article', 'Alternate Journal', 'Epub Date'): the import named their
    own columns as not read, up to 28 of a plain Web of Science export, as if a reviewer had added them."""
    if name.endswith(".txt"):
        path = _write(tmp_path, name, "\t".join(header) + "\n" + "\t".join(row.get(h, "") for h in header) + "\n")
    else:
        path = _csv(tmp_path, name, header, [row])
    res = read_records(path)
    assert res.records[0]["title"] == "Sleep and stress in night-shift nurses"
    assert res.records[0]["journal"] in ("Sleep Medicine", "SLEEP MEDICINE")
    assert _not_read(res) == [], res.warnings
    rows = [{**row, "Reviewer notes": "ask Kate about the shift data"}]  # a reviewer's own column is still named
    if name.endswith(".txt"):
        path = _write(tmp_path, "notes_" + name, "\t".join(header + ["Reviewer notes"]) + "\n"
                      + "\t".join(rows[0].get(h, "") for h in header + ["Reviewer notes"]) + "\n")
    else:
        path = _csv(tmp_path, "notes_" + name, header + ["Reviewer notes"], rows)
    (note,) = _not_read(read_records(path))
    assert "1 column not read ('Reviewer notes')" in note, note


def test_a_reviewers_spreadsheet_names_its_notes_and_a_source_column_that_holds_the_journals(tmp_path):
    """A reviewer's own workbook: 'Source' holds the journal and 'Notes' their notes on each record. Both
    were dropped without a word: the journals came in empty and the notes were nowhere. The import's note
    names them, says that 'Source' looks like the journal and how to read it, and how to keep the notes
    with the decisions read from 'Decision' (which is read, so not named)."""
    path = _xlsx(tmp_path / "my_screening.xlsx", {"Sheet1": [
        ["Title", "Authors", "Year", "Source", "Abstract", "Decision", "Notes"],
        ["Sleep and stress in night-shift nurses", "Smith J; Doe K", 2021, "Sleep Medicine", "Nurses sleep less.",
         "include", "check the full text for shift lengths"],
        ["Burnout after night shifts", "Lee A", 2020, "Journal of Advanced Nursing", "Burnout rises.", "exclude", None],
    ]})
    res = read_records(path)
    assert [r["journal"] for r in res.records] == [None, None]
    assert res.labels == ["include", "exclude"]  # read as before
    (note,) = _not_read(res)
    assert note.startswith("my_screening.xlsx: 2 columns not read ('Source', 'Notes')"), note
    assert "'Source' may hold the journal (e.g. 'Sleep Medicine')" in note, note
    assert "--column journal=Source" in note and "'Source' renamed 'Journal'" in note, note
    assert "with it renamed 'decision_note'" in note, note
    assert "Decision" not in note
    res = read_records(path, column_map={"journal": "Source"})  # as the note says
    assert [r["journal"] for r in res.records] == ["Sleep Medicine", "Journal of Advanced Nursing"]
    (note,) = _not_read(res)
    assert "1 column not read ('Notes')" in note and "--column" not in note, note


def test_the_note_on_a_notes_column_beside_decisions_reads_as_a_sentence_and_says_where_to_import(tmp_path):
    """A table of decisions with the team's 'Notes' and 'Exclusion reason': the note read "'Notes' to keep its text with
    the decisions imported, rename it 'decision_note'", no sentence, and renamed, the file imported again into this
    project is refused (it holds the same records). It says what the columns hold and to import into a new project."""
    path = _write(tmp_path, "decisions.csv", "Title,Abstract,Decision,Notes,Exclusion reason\n"
                  "Sleep and stress,Nurses sleep less.,include,check shift lengths,\n"
                  "Burnout,Burnout rises.,exclude,,wrong population\n")
    (note,) = _not_read(read_records(path))
    assert ("'Notes' holds notes: to keep them with the decisions, import the file into a new project "
            "(screener init) with it renamed 'decision_note'") in note, note
    assert ("'Exclusion reason' holds reasons: to keep them with the decisions, import the file into a new project "
            "(screener init) with it renamed 'decision_reason'") in note, note


def test_a_source_column_naming_databases_is_not_taken_for_the_journal(tmp_path):
    """In a reviewer's table put together from several searches, 'Source' names the database (as Scopus's
    own 'Source' does): the note says so, not that it may be the journal."""
    path = _write(tmp_path, "merged.csv", "Title,Journal,Year,Source\n"
                  "Sleep and stress,Sleep Med,2021,PubMed\nBurnout,J Adv Nurs,2020,Embase\n")
    (note,) = _not_read(read_records(path))
    assert "'Source' names the database of each record (e.g. 'PubMed')" in note, note
    assert "journal" not in note and "--column source_db=Source" in note, note


def test_the_columns_not_read_are_few_named_and_empty_ones_left_out(tmp_path):
    """A data-extraction sheet with many columns of the team's own: the first six are named and the rest
    counted; a column with nothing in it loses nothing and is not named."""
    own = ["Country", "Setting", "Design", "Sample size", "Outcome", "Follow-up", "Funding", "Risk of bias"]
    text = ",".join(["Title", "Abstract", *own, "Empty"]) + "\n" + ",".join(
        ["Sleep and stress", "Nurses sleep less.", "Norway", "Hospital", "Cohort", "120", "Sleep", "6 months",
         "Public", "Low", ""]) + "\n"
    (note,) = _not_read(read_records(_write(tmp_path, "extraction.csv", text)))
    assert "8 columns not read ('Country', 'Setting', 'Design', 'Sample size', 'Outcome', 'Follow-up' and 2 more)" \
        in note, note
    assert "Empty" not in note and "Funding" not in note


def test_a_column_is_said_to_hold_a_field_only_where_its_name_and_cells_fit(tmp_path):
    """'Published' of years is said to be the year (and how to read it); 'Publication status' ('Published',
    'In press'), 'Stage' and 'Long-term outcome' are named as the team's own, not offered as the journal or
    the keywords; 'ReviewerNotes' is a note."""
    text = ("Title,Abstract,Published,Publication status,Stage,Long-term outcome,ReviewerNotes\n"
            "Sleep and stress,Nurses sleep less.,2021,Published,Pilot,Yes,JS: check\n"
            "Burnout,Burnout rises.,2020,In press,Main,No,\n")
    res = read_records(_write(tmp_path, "team.csv", text))
    assert [r["year"] for r in res.records] == [None, None]
    (note,) = _not_read(res)
    assert "5 columns not read ('Published', 'Publication status', 'Stage', 'Long-term outcome', " \
           "'ReviewerNotes')" in note, note
    assert "'Published' may hold the year (e.g. '2021')" in note and "--column year=Published " in note, note
    assert "journal" not in note and "keywords" not in note, note


def test_scopus_and_named_web_of_science_exports_give_the_authors_full_names(tmp_path):
    """Scopus's CSV ('Authors' 'Smith J.; Doe K.' beside 'Author full names' 'Smith, John (57190000001); ...') and
    Web of Science's export to Excel with its columns named in words ('Authors' 'Smith, J' beside 'Author Full
    Names' 'Smith, John'): the abbreviated names were read, where the same records from PubMed or Web of Science's
    tag export come with the full names. The full names are read now (without Scopus's author ids), the abbreviated
    ones where a record has none."""
    rows = _scopus_rows()
    rows[1]["Author full names"] = ""
    a, b = read_records(_csv(tmp_path, "scopus.csv", SCOPUS_HEADER, rows)).records
    assert a["authors"] == ["Smith, John", "Doe, Kate"]
    assert b["authors"] == ["Smith J.", "Doe K."]  # no full names on this record
    wos = {"Publication Type": "J", "Authors": "Smith, J; Doe, K", "Author Full Names": "Smith, John; Doe, Kate",
           "Article Title": "Sleep and stress in night-shift nurses", "Source Title": "SLEEP MEDICINE",
           "Document Type": "Article", "Publication Year": "2021", "Volume": "80", "Start Page": "12",
           "End Page": "19", "DOI": "10.1016/j.sleep.2021.01.001", "Pubmed Id": "33500001",
           "UT (Unique WOS ID)": "WOS:000600000000001"}
    early = {**wos, "Article Title": "Burnout after night shifts", "Publication Year": "", "Volume": "",
             "Early Access Date": "NOV 2023", "Pubmed Id": "", "UT (Unique WOS ID)": "WOS:001100000000002"}
    path = _xlsx(tmp_path / "savedrecs.xlsx", {"savedrecs": [
        WOS_NAMED_HEADER, *[[row.get(h) for h in WOS_NAMED_HEADER] for row in (wos, early)]]})
    a, b = read_records(path).records
    assert a["authors"] == ["Smith, John", "Doe, Kate"]
    # named after the database and its own id, as its tag export is: not 'savedrecs.xls' with no id
    assert (a["source_db"], a["source_id"], a["pmid"]) == ("Web of Science", "WOS:000600000000001", "33500001")
    assert (b["year"], b["source_id"]) == (2023, "WOS:001100000000002")  # published online first


def test_a_scopus_export_without_its_eid_column_is_named_scopus(tmp_path):
    """A Scopus CSV exported without the EID column ('Source' 'Scopus' and its links to scopus.com on each record)
    was named after the file ('scopus_2024-05.csv' as a database in the PRISMA counts), and its 'Source' column
    offered as the database to read with --column; it is Scopus. A reviewer's table whose 'Source' names several
    databases is not."""
    header = [h for h in SCOPUS_HEADER if h != "EID"]
    res = read_records(_csv(tmp_path, "scopus_2024-05.csv", header, _scopus_rows()))
    assert [r["source_db"] for r in res.records] == ["Scopus", "Scopus"]
    assert _not_read(res) == [], res.warnings
    links_only = [h for h in header if h != "Source"]
    res = read_records(_csv(tmp_path, "scopus_links.csv", links_only, _scopus_rows()))
    assert [r["source_db"] for r in res.records] == ["Scopus", "Scopus"]
    mixed = "Title,Year,Source\nSleep and stress,2021,Scopus\nBurnout,2020,Embase\n"
    assert {r["source_db"] for r in read_records(_write(tmp_path, "merged.csv", mixed)).records} == {"merged"}


#: IEEE Xplore's CSV export ('Export > Results > CSV', 'export2024.01.05-10.20.30.csv'), as it writes its header
IEEE_HEADER = [
    "Document Title", "Authors", "Author Affiliations", "Publication Title", "Date Added To Xplore",
    "Publication Year", "Volume", "Issue", "Start Page", "End Page", "Abstract", "ISSN", "ISBNs", "DOI",
    "Funding Information", "PDF Link", "Author Keywords", "IEEE Terms", "Mesh_Terms", "Article Citation Count",
    "Patent Citation Count", "Reference Count", "License", "Online Date", "Issue Date", "Meeting Date", "Publisher",
    "Document Identifier",
]


def test_an_ieee_xplore_export_is_named_ieee_xplore_and_its_own_columns_are_not_listed_as_not_read(tmp_path):
    """IEEE Xplore's CSV was counted in PRISMA under its file's name ('export2024.01.05-10.20.30'; each export a
    new 'database'), its index terms ('IEEE Terms') were not read as keywords, and the import listed 7 of its own
    columns as not read ('Date Added To Xplore', 'PDF Link', ...) as if a reviewer had added them."""
    row = {"Document Title": "Wearable sensing of stress in night-shift nurses", "Authors": "J. Smith; K. Doe",
           "Author Affiliations": "Dept. of Nursing, University of Oslo, Norway", "Publication Title":
           "IEEE Sensors Journal", "Date Added To Xplore": "2021-01-05", "Publication Year": "2021", "Volume": "21",
           "Issue": "3", "Start Page": "3012", "End Page": "3020", "Abstract": "We followed 40 nurses.",
           "ISSN": "1530-437X", "DOI": "10.1109/JSEN.2020.3030001", "Funding Information": "Research Council of Norway",
           "PDF Link": "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=9220001",
           "Author Keywords": "stress;wearable sensors", "IEEE Terms": "Sensors;Heart rate variability",
           "Article Citation Count": "12", "Reference Count": "35", "License": "IEEE", "Online Date": "12-Oct-20",
           "Issue Date": "Feb.1, 2021", "Publisher": "IEEE", "Document Identifier": "IEEE Journals"}
    res = read_records(_csv(tmp_path, "export2024.01.05-10.20.30.csv", IEEE_HEADER, [row]))
    (rec,) = res.records
    assert rec["source_db"] == "IEEE Xplore"
    assert rec["keywords"] == ["stress", "wearable sensors", "Sensors", "Heart rate variability"]
    assert (rec["pages"], rec["doi"]) == ("3012-3020", "10.1109/jsen.2020.3030001")
    assert _not_read(res) == [], res.warnings
    mine = {**row, "Reviewer notes": "ask about the sensor model"}
    (note,) = _not_read(read_records(_csv(tmp_path, "notes.csv", IEEE_HEADER + ["Reviewer notes"], [mine])))
    assert "1 column not read ('Reviewer notes')" in note, note


def test_a_springerlink_export_is_read_with_its_titles_dois_volumes_and_issues(tmp_path):
    """SpringerLink's CSV ('SearchResults.csv': 'Item Title', 'Item DOI', 'Journal Volume', 'Journal Issue', 'Content
    Type') was refused for want of a title column; imported with --column title="Item Title", its records came in
    without their DOIs, volumes and issues, so they were not matched with their copies from other databases by DOI,
    and counted in PRISMA under the file's name. It is read as SpringerLink's export now."""
    header = ["Item Title", "Publication Title", "Book Series Title", "Journal Volume", "Journal Issue", "Item DOI",
              "Authors", "Publication Year", "URL", "Content Type"]
    rows = [{"Item Title": "Syndemic conditions and HIV risk among men who have sex with men",
             "Publication Title": "AIDS and Behavior", "Journal Volume": "24", "Journal Issue": "5",
             "Item DOI": "10.1007/s10461-020-02800-1", "Authors": "John SmithKate Doe", "Publication Year": "2020",
             "URL": "http://link.springer.com/article/10.1007/s10461-020-02800-1", "Content Type": "Article"},
            {"Item Title": "Minority stress and substance use", "Publication Title": "Handbook of LGBT Health",
             "Item DOI": "10.1007/978-3-030-00001-2_7", "Authors": "Ana Lopez", "Publication Year": "2019",
             "URL": "http://link.springer.com/chapter/10.1007/978-3-030-00001-2_7", "Content Type": "Chapter"}]
    a, b = read_records(_csv(tmp_path, "SearchResults.csv", header, rows)).records
    assert (a["title"], a["journal"], a["volume"], a["issue"], a["doi"], a["type"], a["source_db"]) == (
        "Syndemic conditions and HIV risk among men who have sex with men", "AIDS and Behavior", "24", "5",
        "10.1007/s10461-020-02800-1", "Article", "SpringerLink")
    assert (b["doi"], b["type"], b["source_db"]) == ("10.1007/978-3-030-00001-2_7", "Chapter", "SpringerLink")


def test_a_workbook_with_the_column_names_repeated_below_the_records_does_not_import_them_as_a_record(tmp_path):
    """Two exports pasted one below the other in a sheet, the second's column names with them: the row of names was
    imported as a study titled 'Title', with no word, and counted in PRISMA (the CSV reader leaves such a line out
    and says so). It is read as column names now, and said."""
    header = ["Title", "Authors", "Year", "Abstract", "DOI"]
    path = _xlsx(tmp_path / "pubmed_and_embase.xlsx", {"Sheet1": [
        header, ["Sleep and stress in night-shift nurses", "Smith J", 2021, "Nurses sleep less.", "10.1/a"],
        header + [None], ["Burnout after night shifts", "Doe K", 2020, "Burnout rises.", "10.1/b"]]})
    res = read_records(path)
    assert [r["title"] for r in res.records] == ["Sleep and stress in night-shift nurses", "Burnout after night shifts"]
    assert [r["source_line"] for r in res.records] == [2, 4]
    assert "pubmed_and_embase.xlsx: row 3 repeats the column names (exports pasted one below the other) and was " \
           "read as column names, not as records." in res.warnings, res.warnings


def test_an_embase_csv_is_named_embase_with_its_pui_as_the_id(tmp_path):
    """Embase.com's CSV ('records.csv') names no database: its records were counted in PRISMA under the file's name
    ('records'), where its RIS export is counted under 'Embase', and came in without an id. It is named Embase now,
    each record's PUI its id."""
    rows = [{"Title": "Sleep and stress in night-shift nurses", "Author Names": "Smith J., Doe K.",
             "Source title": "Sleep Medicine", "Publication Year": "2021", "Publication Type": "Article",
             "Embase Accession ID": "2010000001", "Medline PMID": "33500001", "PUI": "L2010000001",
             "DOI": "10.1016/j.sleep.2021.01.001"},
            {"Title": "Burnout after night shifts: a conference abstract", "Author Names": "Lee A.",
             "Publication Year": "2022", "Publication Type": "Conference Abstract", "Embase Accession ID": "640000001",
             "PUI": "L640000001"}]
    a, b = read_records(_csv(tmp_path, "records.csv", EMBASE_HEADER, rows)).records
    assert [(r["source_db"], r["source_id"]) for r in (a, b)] == [("Embase", "L2010000001"), ("Embase", "L640000001")]
    assert (a["pmid"], b["pmid"]) == ("33500001", None)


#: Publish or Perish's CSV of a Google Scholar search ('PoPCites.csv'), as it writes its header
POP_HEADER = ("Cites,Authors,Title,Year,Source,Publisher,ArticleURL,CitesURL,GSRank,QueryDate,Type,DOI,ISSN,"
              "CitationURL,Volume,Issue,StartPage,EndPage,ECC,CitesPerYear,CitesPerAuthor,AuthorCount,Age,Abstract,"
              "FullTextURL,RelatedURL").split(",")


def test_a_publish_or_perish_export_of_google_scholar_is_read_with_its_journals_and_authors(tmp_path):
    """Publish or Perish, the usual way to export a Google Scholar search: its 'Source' (the journal) was not read,
    each record's authors ('J Smith, K Doe') were one author, the records were counted in PRISMA under the file's
    name ('PoPCites'), and the import listed 13 of its own columns as not read ('Cites', 'GSRank', 'QueryDate', ...).
    A reviewer's own column is still named."""
    row = {"Cites": "12", "Authors": "J Smith, K Doe, A Lee", "Title": "Syndemics among men who have sex with men",
           "Year": "2020", "Source": "AIDS and Behavior", "Publisher": "Springer",
           "ArticleURL": "https://link.springer.com/article/10.1007/s10461-020-02800-1",
           "CitesURL": "https://scholar.google.com/scholar?cites=1234567890&as_sdt=2005&sciodt=0,5&hl=en",
           "GSRank": "1", "QueryDate": "2024-01-05 10:00:00", "DOI": "10.1007/s10461-020-02800-1", "ECC": "12",
           "CitesPerYear": "3.00", "CitesPerAuthor": "4", "AuthorCount": "3", "Age": "4",
           "Abstract": "… syndemic conditions among men who have sex with men …",
           "RelatedURL": "https://scholar.google.com/scholar?q=related:abc:scholar.google.com/&hl=en"}
    res = read_records(_csv(tmp_path, "PoPCites.csv", POP_HEADER, [row]))
    (rec,) = res.records
    assert (rec["journal"], rec["authors"], rec["source_db"]) == (
        "AIDS and Behavior", ["J Smith", "K Doe", "A Lee"], "Google Scholar")
    assert _not_read(res) == [], res.warnings
    mine = {**row, "Screener notes": "grey literature"}
    (note,) = _not_read(read_records(_csv(tmp_path, "notes.csv", POP_HEADER + ["Screener notes"], [mine])))
    assert "1 column not read ('Screener notes')" in note, note


def test_a_publish_or_perish_author_written_surname_first_stays_one_author(tmp_path):
    """Publish or Perish writes 'J Smith, K Doe', split at each comma; an author it gives surname first, as a
    database it searched wrote the name ('Smith, J'), was split into two authors ('Smith' and 'J'), which the
    records list, the export and the duplicates review showed."""
    row = {"Authors": "Smith, J", "Title": "Syndemics among men who have sex with men", "Year": "2020",
           "CitesURL": "https://scholar.google.com/scholar?cites=1", "GSRank": "1", "QueryDate": "2024-01-05"}
    two = {**row, "Authors": "Smith, J; Doe, K", "GSRank": "2"}
    three = {**row, "Authors": "J Smith, K Doe", "GSRank": "3"}
    a, b, c = read_records(_csv(tmp_path, "PoPCites.csv", POP_HEADER, [row, two, three])).records
    assert (a["authors"], b["authors"], c["authors"]) == (["Smith, J"], ["Smith, J", "Doe, K"], ["J Smith", "K Doe"])


def test_a_reviewers_table_with_scopus_records_first_is_not_named_scopus(tmp_path):
    """A reviewer's table put together from several searches, its Scopus records first ('Source' says 'Scopus' on
    the first 210, 'PubMed' on the 40 below them), or with 'Scopus' on some records and nothing on the hand-searched
    ones: every record was named Scopus in the PRISMA counts, the PubMed ones too, and the note that offers 'Source'
    as the database to read with --column was left out. A Scopus export writes 'Scopus' (and a link to scopus.com)
    on every record: a table is named Scopus only where each of its records says so."""
    rows = [{"Title": f"Scopus study {i} of sleep", "Year": "2020", "Source": "Scopus",
             "Link": f"https://www.scopus.com/inward/record.uri?eid=2-s2.0-851{i:08d}"} for i in range(210)]
    rows += [{"Title": f"PubMed study {i} of diet", "Year": "2021", "Source": "PubMed"} for i in range(40)]
    res = read_records(_csv(tmp_path, "merged.csv", ["Title", "Year", "Source", "Link"], rows))
    assert {r["source_db"] for r in res.records} == {"merged"}
    (note,) = _not_read(res)
    assert "--column source_db=Source" in note, note
    hand = [{"Title": f"Study {i} of sleep", "Year": "2020", "Source": "Scopus" if i < 5 else ""} for i in range(20)]
    res = read_records(_csv(tmp_path, "own.csv", ["Title", "Year", "Source"], hand))
    assert {r["source_db"] for r in res.records} == {"own"}
    links = [{"Title": f"Study {i} of sleep", "Year": "2020",
              "Link": "https://www.scopus.com/inward/record.uri?eid=2-s2.0-85100000001" if i < 3 else ""}
             for i in range(20)]
    res = read_records(_csv(tmp_path, "linked.csv", ["Title", "Year", "Link"], links))
    assert {r["source_db"] for r in res.records} == {"linked"}


SPRINGER_HEADER = ["Item Title", "Publication Title", "Book Series Title", "Journal Volume", "Journal Issue",
                   "Item DOI", "Authors", "Publication Year", "URL", "Content Type"]


def test_springerlink_authors_written_without_separators_are_split_into_people(tmp_path):
    """SpringerLink's CSV writes a record's authors run together ('John SmithKate DoeMaría José García-López'): the
    whole list was stored as one author, shown so in the records list and the export, and its first author, the one
    de-duplication compares, was 'John SmithKate ...'. Each name is one author now; a name with a capital inside
    it ('McDonald', 'DeAngelis', 'LaToya') stays whole."""
    rows = [{"Item Title": "Exercise and depression in older adults", "Item DOI": "10.1186/s12877-020-0001-1",
             "Authors": "John SmithKate DoeMaría José García-López", "Content Type": "Article"},
            {"Item Title": "Yoga for anxiety", "Item DOI": "10.1007/s12671-019-01234-5",
             "Authors": "Peter McDonaldAnne-Marie O'NeillLaToya DeAngelis", "Content Type": "Article"},
            {"Item Title": "Sleep in shift workers", "Item DOI": "10.1007/s1-2",
             "Authors": "Ludwig van BeethovenAna Lopez", "Content Type": "Article"},
            {"Item Title": "One author", "Item DOI": "10.1007/s1-3", "Authors": "Ronald MacArthur",
             "Content Type": "Article"},
            {"Item Title": "After a full stop", "Item DOI": "10.1007/s1-4", "Authors": "John A. Smith Jr.Kate Doe",
             "Content Type": "Article"},
            {"Item Title": "Arabic names", "Item DOI": "10.1007/s1-5", "Authors": "Ahmed AlRashid MohamedMona ElSayed",
             "Content Type": "Article"}]
    res = read_records(_csv(tmp_path, "SearchResults.csv", SPRINGER_HEADER, rows))
    assert [r["authors"] for r in res.records] == [
        ["John Smith", "Kate Doe", "María José García-López"],
        ["Peter McDonald", "Anne-Marie O'Neill", "LaToya DeAngelis"],
        ["Ludwig van Beethoven", "Ana Lopez"],
        ["Ronald MacArthur"],
        ["John A. Smith Jr.", "Kate Doe"],
        ["Ahmed AlRashid Mohamed", "Mona ElSayed"]]
    assert res.records[0]["raw"]["Authors"] == "John SmithKate DoeMaría José García-López"  # as exported


def test_springerlink_authors_with_a_surname_in_capitals_are_split(tmp_path):
    """A surname SpringerLink writes in capitals ('Kate DOEJohn Smith', as many journals print French or Chinese
    surnames) has no small letter before the next name's capital: the whole list was stored as one author, 'Kate
    DOEJohn Smith', the first author de-duplication compares. The names are split where the capitals end: the last
    capital, followed by small letters, opens the next name. Capitals inside one name are left alone."""
    rows = [{"Item Title": "Exercise and depression", "Item DOI": "10.1186/s1", "Authors": "Kate DOEJohn Smith",
             "Content Type": "Article"},
            {"Item Title": "Yoga for anxiety", "Item DOI": "10.1186/s2",
             "Authors": "Jean DUPONT-MARTINWei ZHANGAna Lopez", "Content Type": "Article"},
            {"Item Title": "Sleep", "Item DOI": "10.1186/s3", "Authors": "Peter McDONALDAnne Roe",
             "Content Type": "Article"}]
    res = read_records(_csv(tmp_path, "SearchResults.csv", SPRINGER_HEADER, rows))
    assert [r["authors"] for r in res.records] == [
        ["Kate DOE", "John Smith"], ["Jean DUPONT-MARTIN", "Wei ZHANG", "Ana Lopez"], ["Peter McDONALD", "Anne Roe"]]
    assert not [w for w in res.warnings if "run together" in w], res.warnings


def test_springerlink_authors_that_cannot_be_split_surely_are_kept_as_given_and_said(tmp_path):
    """Where the run-together names cannot be told apart surely ('JoAnn SmithKate Doe' would give an author 'Jo'),
    the list is kept as SpringerLink wrote it, not split wrongly, and the import says which records."""
    rows = [{"Item Title": "Exercise and depression", "Item DOI": "10.1186/s1", "Authors": "JoAnn SmithKate Doe",
             "Content Type": "Article"},
            {"Item Title": "Yoga for anxiety", "Item DOI": "10.1186/s2", "Authors": "Kate Doe",
             "Content Type": "Article"},
            # 'Le', 'Do', 'Du' are surnames and the start of 'LeBlanc', 'DuBois': 'Minh Le' and 'John Smith', or one
            # 'Minh LeJohn Smith', cannot be told; it was kept as one author without a word
            {"Item Title": "Sleep", "Item DOI": "10.1186/s3", "Authors": "Minh LeJohn Smith",
             "Content Type": "Article"},
            {"Item Title": "Diet", "Item DOI": "10.1186/s4", "Authors": "Anh DoPeter Roe", "Content Type": "Article"}]
    res = read_records(_csv(tmp_path, "SearchResults.csv", SPRINGER_HEADER, rows))
    assert [r["authors"] for r in res.records] == [["JoAnn SmithKate Doe"], ["Kate Doe"], ["Minh LeJohn Smith"],
                                                   ["Anh DoPeter Roe"]]
    note = [w for w in res.warnings if "run together" in w]
    assert note and "rows 2, 4, 5" in note[0] and "kept as SpringerLink wrote" in note[0], res.warnings


def test_a_web_page_saved_as_xls_says_to_save_it_from_excel(tmp_path):
    """Some databases write their 'Excel' export as a web page (an HTML table) named .xls, which Excel opens as a
    sheet: it was refused as a saved search page or login page, with the advice to download it again, which gives
    the same file."""
    p = _write(tmp_path, "export.xls", "<html><body><table><tr><td>Title</td><td>Year</td></tr>"
                                       "<tr><td>Sleep study</td><td>2019</td></tr></table></body></html>\n")
    with pytest.raises(InputError) as e:
        read_records(p)
    msg = str(e.value)
    assert "export.xls" in msg and "HTML table" in msg and "save it as .xlsx or as CSV" in msg, msg
    assert "Download the export again" not in msg


def test_eppi_reviewers_table_gives_the_journal_id_and_type(tmp_path):
    """EPPI-Reviewer names its columns by its own fields: the journal is 'ParentTitle', the record's id 'ItemId', its
    type 'TypeName'. They were not read (named among the columns left unread): every record came without its
    journal, the one field de-duplication and the screen show beside the title. 'ParentAuthors' (a book's editors)
    and 'ShortTitle' ('Smith (2020)') are still not read as the authors or the title."""
    p = _write(tmp_path, "eppi.csv",
               "ItemId,ShortTitle,Title,ParentTitle,ParentAuthors,Authors,Year,Volume,Pages,Issue,DOI,Abstract,"
               "TypeName\n"
               '12345,Smith (2020),Peer navigation,AIDS and Behavior,,Smith J; Doe K,2020,24,1234-1240,5,'
               "10.1007/s10461-020-00001-1,An abstract.,Journal Article\n"
               '12346,Lee (2019),Syndemics,Handbook of health,"Ed, A; Ed, B",Lee L,2019,,45-67,,,Abstract.,'
               "Book Chapter\n")
    res = read_records(p)
    got = [(r["title"], r["authors"], r["journal"], r["source_id"], r["type"]) for r in res.records]
    assert got == [("Peer navigation", ["Smith J", "Doe K"], "AIDS and Behavior", "12345", "Journal Article"),
                   ("Syndemics", ["Lee L"], "Handbook of health", "12346", "Book Chapter")]
    assert not any("ParentTitle" in w or "ItemId" in w or "TypeName" in w for w in res.warnings), res.warnings


def test_rayyans_notes_given_as_the_decision_column_are_named_as_rayyans(tmp_path):
    """Rayyan's notes given as the decision column ('--column label=notes') were refused as a decision screener
    cannot read, with a list of the words it reads: the reviewer was not told that the notes are Rayyan's
    decisions, which 'screener label' reads, each reviewer's as their own."""
    p = _write(tmp_path, "articles.csv", 'key,title,abstract,notes\n1,A study,An abstract.,'
               '"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Bob""=>""Excluded""}"\n')
    with pytest.raises(InputError) as err:
        read_records(p, column_map={"label": "notes"})
    msg = str(err.value)
    assert "articles.csv" in msg and "row 2" in msg and "Rayyan" in msg and "screener label" in msg, msg
    assert "--column label=" in msg, msg


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_row_with_no_title_and_no_abstract_is_kept_and_not_said_to_be_screened_on_its_abstract(tmp_path, kind):
    """A row with neither title nor abstract, but a DOI, was kept with the words 'It is kept and screened on its
    abstract', which it has not. It is kept, and the note says it has no text to screen and what to do."""
    rows = [["Title", "Abstract", "DOI"], ["Peer work", "Abstract one.", "10.1000/a1"], ["", "", "10.1000/a2"],
            ["", "Only an abstract.", ""]]
    if kind == "csv":
        p = _write(tmp_path, "some.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        p = _xlsx(tmp_path / "some.xlsx", {"Sheet1": [[c or None for c in r] for r in rows]})
    res = read_records(p)
    assert [(r["title"], r["doi"]) for r in res.records] == [("Peer work", "10.1000/a1"), ("", "10.1000/a2"),
                                                             ("", None)]
    where = "row"
    said = " ".join(res.warnings)
    assert f"some.{kind}: 1 of 3 records has no title ({where} 4). It is kept and screened on its abstract" in said
    assert (f"some.{kind}: 1 of 3 records has no title and no abstract ({where} 3). It is kept, but has no text to "
            "screen: look the study up by its DOI") in said, said



@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_year_or_doi_cell_that_cannot_be_read_is_named_with_its_row(tmp_path, kind):
    """A year written '2019a' is 2019 and a DOI written as its link ('https://doi.org/10...') is the DOI; but a
    year cell with a number that is no year ('19', '2O19' with a letter O) or a DOI cell that holds no whole DOI
    ('10.1000', 'https://doi.org/') was read as no year or no DOI without a word, so de-duplication could not use
    it. The records are kept, and a note names the file, the rows, what the cells hold and what to do. A cell
    that says there is none ('n.d.', 'in press', 'not available') is no mistake and has no note."""
    rows = [["Title", "Abstract", "Year", "DOI"],
            ["S1", "A", "2019a", "https://doi.org/10.1000/A1"], ["S2", "A", "19", "10.1000"],
            ["S3", "A", "2O19", "https://doi.org/"], ["S4", "A", "n.d.", "not available"],
            ["S5", "A", "in press", ""]]
    if kind == "csv":
        p = _write(tmp_path, "years.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        p = _xlsx(tmp_path / "years.xlsx", {"Sheet1": [[c or None for c in r] for r in rows]})
    res = read_records(p)
    assert [(r["title"], r["year"], r["doi"]) for r in res.records] == [
        ("S1", 2019, "10.1000/a1"), ("S2", None, None), ("S3", None, None), ("S4", None, None), ("S5", None, None)]
    where = "row"
    said = " ".join(res.warnings)
    assert (f"years.{kind}: no year could be read from 2 cells of the column 'Year' ({where} 3: '19'; "
            f"{where} 4: '2O19')") in said, said
    assert (f"years.{kind}: no DOI could be read from 2 cells of the column 'DOI' ({where} 3: '10.1000'; "
            f"{where} 4: 'https://doi.org/')") in said, said
    assert "n.d." not in said and "in press" not in said and "not available" not in said, said
    assert said.count("kept") >= 2 and "check those cells" in said, said


def test_a_cell_merged_over_several_records_says_what_to_do_if_each_should_have_its_own(tmp_path):
    """A title merged over two records (rows 3-4) is read on each, as the sheet shows it, and both records are kept;
    the note named the rows but not what to do where each record should have had a title of its own."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Title", "Abstract", "Year"])
    ws.append(["Peer support for depression", "First abstract.", 2019])
    ws.append(["Peer work among sex workers", "Second abstract.", 2020])
    ws.append([None, "Third abstract.", 2021])
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "merged.xlsx")
    res = read_records(tmp_path / "merged.xlsx")
    assert [(r["title"], r["abstract"]) for r in res.records] == [
        ("Peer support for depression", "First abstract."), ("Peer work among sex workers", "Second abstract."),
        ("Peer work among sex workers", "Third abstract.")]
    said = " ".join(" ".join(res.warnings).split())
    assert "merged.xlsx: 1 cell merged over several records ('Title', rows 3-4) was read as its value on each" in said
    assert ("If a record there should have a value of its own, unmerge the cells in the spreadsheet, fill them in "
            "and import the corrected file into a new project (screener init): importing it again here would add "
            "its records a second time.") in said, said


def test_csv_notes_name_the_row_excel_shows(tmp_path):
    """A reviewer opens the CSV in Excel: the note names the row Excel shows (column names on row 1), not the
    file's text line, which a cell written on two lines puts one further down."""
    text = ('Title,Abstract,Year,DOI\n'
            'Alpha,"first\nsecond",2020,10.1000/a\n'
            'Beta,abs,2019,10.1000/b\n'
            'Gamma,abs,2021,not a doi\n'
            ',an abstract,2022,10.1000/d\n')
    res = read_records(_write(tmp_path, "multi.csv", text))
    note = next(w for w in res.warnings if "not a doi" in w)
    assert "(row 4: 'not a doi')" in note, note
    assert any("has no title (row 5)" in w for w in res.warnings), res.warnings
    assert [r["source_line"] for r in res.records] == [2, 4, 5, 6]  # the file's lines, as stored projects hold them


def test_csv_short_row_and_excel_sep_line_counted_as_excel_does(tmp_path):
    """Excel shows no row for its 'sep=' line: the short record below a two-line cell is on its row 3."""
    text = ('sep=,\n'
            'Title,Abstract,Year\n'
            'Alpha,"first\nsecond",2020\n'
            'Beta,abs\n')
    res = read_records(_write(tmp_path, "sep.csv", text))
    note = next(w for w in res.warnings if "fewer cells" in w)
    assert "row 3:" in note and "line" not in note, note


def test_a_stray_or_unclosed_quote_is_named_by_the_row_excel_shows_and_the_files_line(tmp_path):
    """Below an abstract written on two lines, a stray quote on the file's line 4 was said to be on 'line 4', where
    Excel shows that record on row 3 and every other note of the import names rows: it now names the row, and the
    file's line beside it for a text editor."""
    two_lines = 'Title,Abstract,Year\nTrial one,"Background\nMethods",2019\n'
    stray = two_lines + ('"Smoking and health,Abstract two,2020\nTrial three,Abstract three,2021\n'
                         'Trial four,"Abstract four,2022\nTrial five,Abstract five,2023\n')
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "stray.csv", stray))
    said = str(e.value)
    assert "stray.csv, row 3: a quote mark" in said and "(line 4 of the file" in said, said
    assert "lines 5 to 6 of the file were read into that one value" in said, said
    cut = two_lines + 'Trial two,"Background: alcohol use is common among men who'
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "cut.csv", cut))
    said = str(e.value)
    assert "cut.csv, row 3: the last record" in said and "(line 4 of the file" in said and "cut off" in said, said
    unclosed = two_lines + '"Trial two,Abstract two\nTrial three,Abstract three\n\nTrial four,Abstract four'
    with pytest.raises(InputError) as e:
        read_records(_write(tmp_path, "open.csv", unclosed))
    said = str(e.value)
    assert "open.csv, row 3: a quote mark" in said and "(line 4 of the file" in said, said


def test_less_than_and_greater_than_left_as_latex_by_a_reference_manager_read_as_the_signs(tmp_path):
    """Tables passed through Zotero carry '<' as '\\textless' or, escaped twice, '\\textbackslashtextless': a reviewer
    read 'p \\textbackslashtextless 0.0005', and the words kept the record from matching its PubMed copy."""
    text = ("title,abstract\n"
            "Knee defects \\textbackslashtextgreater= 4 cm,"
            "VAS improved (p \\textbackslashtextless 0.0005); craving fell (ps \\textless .001\\textgreater{}).\n")
    rec = read_records(_write(tmp_path, "synergy.csv", text)).records[0]
    assert rec["title"] == "Knee defects >= 4 cm"
    assert rec["abstract"] == "VAS improved (p < 0.0005); craving fell (ps < .001>)."
    assert "textless" in rec["raw"]["abstract"]  # as written


def test_a_table_with_its_byte_order_mark_written_twice_keeps_its_column_names(tmp_path):
    """A CSV saved twice with a byte-order mark (one read by the decoding, one left) kept the second in its first
    column's name: the notes named "'\\ufeffrecord_id'", the record kept it in its stored copy, and screener's own
    export was no longer known as one, its record numbers read as the records' ids."""
    p = tmp_path / "twice.csv"
    p.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfrecord_id,title,source_file,source_line,source_ref\r\n"
                  b"7,Double mark,a.ris,1,NCT01234567\r\n")
    (rec,) = read_records(p).records
    assert list(rec["raw"])[0] == "record_id" and rec["source_id"] == "NCT01234567", rec


def test_r_missing_values_na_are_read_as_empty(tmp_path):
    """R's write.csv (revtools, synthesisr, ASySD) writes a missing value as a bare NA: a record without an abstract
    came in with the abstract 'NA' (counted as having one, screened on it), its authors as one author 'NA' and its
    journal as 'NA', which two different studies then shared. Now read as empty and said once; raw keeps 'NA'."""
    text = ('"title","author","journal","year","doi","abstract"\n'
            '"Talc for effusion","Smith, J","Chest",2019,"10.1000/abc","We randomised 300 patients."\n'
            '"Second trial",NA,NA,NA,NA,NA\n')
    res = read_records(_write(tmp_path, "unique_citations.csv", text))
    a, b = res.records
    assert a["abstract"] == "We randomised 300 patients." and a["authors"] == ["Smith, J"]
    assert b["title"] == "Second trial"
    assert (b["abstract"], b["authors"], b["journal"], b["year"], b["doi"]) == (None, [], None, None, None)
    assert b["raw"]["abstract"] == "NA"  # what the file holds stays visible
    (note,) = [w for w in res.warnings if "'NA'" in w]
    assert "5 cells" in note and "row 3" in note and "R" in note


def test_pubmed_csv_last_author_loses_the_lists_full_stop(tmp_path):
    """PubMed's CSV ends each record's authors with a full stop ('Smith J, Doe JA.'): the last author came in as
    'Doe JA.' (a lone author as 'Lee K.'), where the same record's .nbib gives 'Doe JA'. The list's full stop goes."""
    text = ("PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,NIHMS ID,DOI\n"
            '31234567,A trial.,"Smith J, Doe JA.",AIDS Care. 2020;32(1):1-9.,Smith J,AIDS Care,2020,2019/07/02,,,\n'
            '31234568,Second.,Lee K.,Lancet. 2021;397(10270):100-101.,Lee K,Lancet,2021,2021/01/01,,,\n')
    a, b = read_records(_write(tmp_path, "csv-alcohol-set.csv", text)).records
    assert a["authors"] == ["Smith J", "Doe JA"] and b["authors"] == ["Lee K"]


def test_a_one_column_table_with_an_unquoted_comma_says_one_column(tmp_path):
    """A list of titles alone, one with a comma and no quotes, was refused saying the header 'names 1 columns'."""
    with pytest.raises(InputError) as err:
        read_records(_write(tmp_path, "titles.csv", "Title\nAlcohol, drugs and HIV\nSecond\n"))
    assert "names 1 column." in str(err.value) and "2 cells" in str(err.value)
