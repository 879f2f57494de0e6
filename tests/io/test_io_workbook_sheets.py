"""Sheets of one workbook imported one at a time (Scopus on one sheet, Web of Science on the
next): the 'already imported' check knew the file by its bytes alone, so the second sheet was
refused as the first imported again."""

from __future__ import annotations

import pytest
from io_samples import write_xlsx
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import InputError
from screener.project import Project


def _book(path):
    return write_xlsx(path, {"Scopus": [["Title", "Abstract", "Year"], ["Trial one", "Abstract one", 2019],
                                        ["Trial two", "Abstract two", 2020]],
                             "WoS": [["Title", "Abstract", "Year"], ["Trial three", "Abstract three", 2021]]})


def test_another_sheet_of_an_imported_workbook_imports_and_the_same_sheet_is_refused(tmp_path):
    book = _book(tmp_path / "searches.xlsx")
    p = Project.init(tmp_path / "review")
    assert p.import_files([book], sheet="Scopus").records_added == 2
    assert p.import_files([book], sheet="WoS").records_added == 1
    for again in ("Scopus", "wos", "1"):  # by name, in other case, by position
        with pytest.raises(InputError, match="already imported") as e:
            p.import_files([book], sheet=again)
        assert "searches.xlsx" in str(e.value) and "sheet '" in str(e.value)
    assert p.store.n_records() == 3 and len(p.store.sources_frame()) == 2  # nothing stored
    assert p.import_files([book], sheet="Scopus", allow_reimport=True).records_added == 2
    p.close()


def test_cli_imports_the_second_sheet(tmp_path):
    book = _book(tmp_path / "searches.xlsx")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(tmp_path / "r")]).exit_code == 0
    assert runner.invoke(app, ["import", str(tmp_path / "r"), str(book), "--sheet", "Scopus"]).exit_code == 0
    second = runner.invoke(app, ["import", str(tmp_path / "r"), str(book), "--sheet", "WoS"])
    assert second.exit_code == 0, second.output
    again = runner.invoke(app, ["import", str(tmp_path / "r"), str(book), "--sheet", "WoS"])
    assert again.exit_code != 0 and "already imported" in again.output


def test_a_workbook_with_a_chart_sheet_reads_its_table_and_names_the_chart(tmp_path):
    """A screening workbook with a chart on a tab of its own stopped the import with a traceback
    (a chart sheet has no cells)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from screener.io import read_records

    wb = Workbook()
    ws = wb.active
    ws.title = "Records"
    for row in (["Title", "Abstract", "Year"], ["Trial one", "Abstract one", 2019], ["Trial two", "Abstract two", 2020]):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=3), titles_from_data=True)
    wb.create_chartsheet("Per year").add_chart(chart)
    book = tmp_path / "screening.xlsx"
    wb.save(book)
    assert [r["title"] for r in read_records(book).records] == ["Trial one", "Trial two"]
    with pytest.raises(InputError) as e:
        read_records(book, sheet="Per year")
    assert "'Per year'" in str(e.value) and "chart" in str(e.value) and "'Records'" in str(e.value)


def test_a_workbook_with_a_search_on_each_of_two_sheets_says_how_to_import_each(tmp_path):
    """Two sheets with data: the message named them and asked for the one that holds the records, where a reviewer
    who put a search on each tab needs both: it now gives the option as it is typed, with the sheet's name, and says
    to import the workbook once for each sheet. Nothing is stored."""
    book = write_xlsx(tmp_path / "searches.xlsx", {
        "Search A": [["Title", "Abstract"], ["Trial one", "Abstract one"]],
        "Search B": [["Title", "Abstract"], ["Trial two", "Abstract two"]]})
    with Project.init(tmp_path / "review") as p:
        with pytest.raises(InputError) as e:
            p.import_files([book])
        said = str(e.value)
        assert "searches.xlsx" in said and "2 sheets with data: 'Search A', 'Search B'" in said, said
        assert "--sheet 'Search A'" in said and "once for each sheet" in said, said
        assert p.store.n_records() == 0


@pytest.mark.parametrize("command, given", [("simulate", "dataset"), ("evaluate", "search"), ("evaluate", "includes")])
def test_a_workbook_with_two_sheets_for_a_command_without_sheet_says_to_save_the_sheet_alone(tmp_path, command, given):
    """'screener simulate' and 'screener evaluate' read a workbook's one sheet and have no --sheet: a workbook with
    data on two sheets was refused with 'Say which one holds the records with --sheet', an option they refuse. They
    now say to save the sheet that holds the records as a file of its own (the final includes given as such a
    workbook were said to have no column of titles)."""
    book = write_xlsx(tmp_path / "searches.xlsx", {
        "Search A": [["Title", "Abstract", "label_included"], ["Trial one", "Abstract one", 1]],
        "Search B": [["Title", "Abstract", "label_included"], ["Trial two", "Abstract two", 0]]})
    includes, search = tmp_path / "includes.txt", tmp_path / "search.csv"
    includes.write_text("Trial one\n", encoding="utf-8")
    search.write_text("Title,Abstract\nTrial one,Abstract one\nTrial two,Abstract two\n", encoding="utf-8")
    args = {"dataset": [book], "search": [book, "-f", includes], "includes": [search, "-f", book]}[given]
    args = [str(a) for a in args]
    r = CliRunner().invoke(app, [command, *args, "--embedding-model", "none"])
    said = " ".join(r.output.split())
    assert r.exit_code != 0 and "2 sheets with data: 'Search A', 'Search B'" in said, said
    assert "with --sheet" not in said and f"'screener {command}' cannot be told which sheet" in said, said
    assert "Save the sheet that holds the records as a file of its own" in said, said
