"""The WHO ICTRP search portal's XML export ('Export results to XML'), written here as the portal writes it: the root
<Trials_downloaded_from_ICTRP>, a <Trial> a trial, one element a field (the CSV export's columns, '_' for ' '),
each value followed by the line break and indent the portal leaves in it."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from test_io_registers import ICTRP_COLUMNS, ICTRP_ROWS, _csv

from screener.errors import InputError
from screener.io import read_records
from screener.io.export import register_link
from screener.io.tabular import register_entry
from screener.project import Project

#: the export's elements, in its order (fields a trial has no value for are written empty: <Acronym/>)
FIELDS = ["Export_date", "Internal_Number", "TrialID", "Last_Refreshed_on", "Public_title", "Scientific_title",
          "Acronym", "Primary_sponsor", "Date_registration", "Date_registration3", "Source_Register", "web_address",
          "Recruitment_Status", "other_records", "Inclusion_agemin", "Inclusion_agemax", "Inclusion_gender",
          "Date_enrollement", "Target_size", "Study_type", "Study_design", "Phase", "Countries", "Contact_Firstname",
          "Inclusion_Criteria", "Exclusion_Criteria", "Condition", "Intervention", "Primary_outcome",
          "Secondary_outcome", "Secondary_ID", "Source_Support", "Ethics_review_status", "results_date_posted"]


def _trial(row: dict, number: int) -> str:
    values = {f: row.get(f.replace("_", " "), "") for f in FIELDS}
    values.update(Export_date="12/05/2026 09:14:02", Internal_Number=str(16000000 + number))
    lines = ["  <Trial>"]
    for f in FIELDS:
        # the portal's text keeps its registers' line breaks as '&#x0D;' and its '<br>' as text
        text = escape(values[f]).replace("\r", "&#x0D;")
        lines.append(f"    <{f}>{text}\n    </{f}>" if text else f"    <{f}/>")
    return "\n".join(lines + ["  </Trial>"])


def _xml(tmp_path, rows, name="ICTRP-Results.xml", *, cut: int | None = None, encoding="utf-8") -> object:
    text = "\n".join(["<?xml version='1.0' encoding='UTF-8' ?>", "<Trials_downloaded_from_ICTRP>",
                      *(_trial(r, i) for i, r in enumerate(rows, 1)), "</Trials_downloaded_from_ICTRP>", ""])
    p = tmp_path / name
    p.write_bytes(text.encode(encoding)[:cut])
    return p


def _fields(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k not in ("raw", "source_file", "source_line")}


def test_ictrp_xml_export_is_detected_and_reads_as_its_csv_export(tmp_path):
    """The same trials exported to XML and to CSV: the same titles, labelled abstracts, years, trial ids, type,
    register, link to the register's page and criteria a screener reads."""
    rows = [dict(ICTRP_ROWS[0], **{"Inclusion Criteria": "Adults\r<br>First stroke", "Secondary ID": "NCT01234567"}),
            ICTRP_ROWS[1]]
    res = read_records(_xml(tmp_path, rows))
    csv = read_records(_csv(tmp_path, "ICTRPExport.csv", ICTRP_COLUMNS + ["Inclusion Criteria"], rows)).records
    assert res.format == "ictrp_xml"
    assert [_fields(r) for r in res.records] == [_fields(r) for r in csv]
    a, b = res.records
    assert a["title"] == "Exercise after stroke" and a["source_id"] == "ISRCTN12345678" and a["year"] == 2017
    assert a["abstract"].startswith("Scientific title: A randomised trial of walking, yoga or rest after a first")
    assert a["source_db"] == "WHO ICTRP" and a["type"] == "Trial registry record"
    assert register_link(a["raw"]) == "https://www.isrctn.com/ISRCTN12345678"
    assert a["raw"]["Secondary ID"] == "NCT01234567"  # de-duplication reads a trial's other registrations there
    assert register_entry(a["type"], a["source_id"], a["raw"])["criteria"] == [
        ("Inclusion criteria", "Adults\nFirst stroke")]
    assert b["title"] == "Sleep after stroke" and b["year"] == 2020
    assert not any("not read" in w for w in res.warnings), res.warnings


def test_ictrp_xml_records_are_named_by_the_line_their_trial_opens_on(tmp_path):
    p = _xml(tmp_path, ICTRP_ROWS)
    opened = [i for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if line == "  <Trial>"]
    assert [r["source_line"] for r in read_records(p).records] == opened and len(opened) == 2 and opened[0] == 3


def test_ictrp_xml_title_given_at_import_is_not_repeated_in_the_abstract(tmp_path):
    rec = read_records(_xml(tmp_path, ICTRP_ROWS[:1]), column_map={"title": "Scientific title"}).records[0]
    assert rec["title"] == "A randomised trial of walking, yoga or rest after a first stroke"
    assert rec["abstract"].splitlines()[0] == "Public title: Exercise after stroke"
    assert "randomised" not in rec["abstract"]


def test_ictrp_xml_trial_with_no_title_and_no_text_is_kept_and_named(tmp_path):
    res = read_records(_xml(tmp_path, [ICTRP_ROWS[0], {"TrialID": "CTRI/2020/01/000001"}]))
    assert [r["source_id"] for r in res.records] == ["ISRCTN12345678", "CTRI/2020/01/000001"]
    line = res.records[1]["source_line"]
    assert any("no title, no abstract" in w and f"line {line}" in w for w in res.warnings), res.warnings


def test_damaged_ictrp_xml_names_the_line_and_the_element_and_imports_nothing(tmp_path):
    p = _xml(tmp_path, ICTRP_ROWS)
    lines = p.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("    <Public_title>Sleep"))
    lines[at] = lines[at].replace("<Public_title>", "<Public_title><b>")  # a tag opened and never closed
    p.write_text("\n".join(lines), encoding="utf-8")
    good = _csv(tmp_path, "ICTRPExport.csv", ICTRP_COLUMNS, ICTRP_ROWS)
    with Project.init(tmp_path / "review") as project:
        with pytest.raises(InputError) as err:
            project.import_files([good, p])
        assert project.store.n_records() == 0 and project.store.sources_frame().empty
    msg = str(err.value)
    assert msg.startswith(f"{p}, line {at + 2}: ")  # the line of the closing tag that does not match
    assert "<b>" in msg and "damaged" in msg and "Export the results" in msg and "Nothing was imported" in msg


def test_ictrp_xml_download_cut_off_says_so_with_the_trial_it_stops_in(tmp_path):
    whole = _xml(tmp_path, ICTRP_ROWS).read_bytes()
    p = _xml(tmp_path, ICTRP_ROWS, cut=whole.index(b"<Condition>Stroke\n") + 5)
    trial = p.read_text(encoding="utf-8").split("\n").index("  <Trial>", 3) + 1
    with pytest.raises(InputError) as err:
        read_records(p)
    msg = str(err.value)
    assert str(p) in msg and "cut off" in msg and f"the trial that starts on line {trial}" in msg
    assert "Nothing was imported" in msg


def test_ictrp_xml_saved_as_utf16_is_read(tmp_path):
    text = _xml(tmp_path, ICTRP_ROWS).read_text(encoding="utf-8").replace("UTF-8", "UTF-16")
    p = tmp_path / "ictrp16.xml"
    p.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    res = read_records(p)
    assert [r["title"] for r in res.records] == ["Exercise after stroke", "Sleep after stroke"]
    assert res.records[0]["abstract"].splitlines()[1] == "Condition: Stroke; Hemiparesis"


def test_ictrp_xml_element_that_is_no_trial_is_named_not_dropped_unseen(tmp_path):
    p = _xml(tmp_path, ICTRP_ROWS)
    text = p.read_text(encoding="utf-8").replace("  <Trial>", "  <trial><TrialID>X1</TrialID></trial>\n  <Trial>", 1)
    p.write_text(text, encoding="utf-8")
    res = read_records(p)
    assert [r["source_id"] for r in res.records] == ["ISRCTN12345678", "ChiCTR2000012345"]
    said = [w for w in res.warnings if "<trial> on line 3" in w]
    assert len(said) == 1 and "1 element under <Trials_downloaded_from_ICTRP> is not a <Trial>" in said[0], said


def test_ictrp_xml_column_naming_no_element_says_element_and_lists_them_as_the_file_writes_them(tmp_path):
    """'--column title=Brief_title' on an ICTRP XML export said "there is no column 'Brief_title'" and listed
    'Public title', 'Scientific title': names with spaces, not the elements a reviewer sees in the file. It now
    says "element" and lists <Public_title>, <Scientific_title> as written; both spellings are still accepted."""
    path = _xml(tmp_path, ICTRP_ROWS[:1])
    with pytest.raises(InputError) as err:
        read_records(path, column_map={"title": "Brief_title"})
    said = str(err.value)
    assert "there is no element 'Brief_title' (given with --column title=)" in said, said
    assert "'Public_title', 'Scientific_title'" in said and "Public title" not in said, said
    assert "column '" not in said and "Columns" not in said, said
    for name in ("Scientific_title", "Scientific title"):
        assert read_records(path, column_map={"title": name}).records[0]["title"].startswith("A randomised trial")


def test_ictrp_xml_notes_name_the_element_not_a_column(tmp_path):
    """The notes on an ICTRP XML export spoke of columns ("the column 'Date registration'", "1 column not read
    ('Reviewer notes')"): the file has no columns, and no such names. They name each element as the file writes
    it."""
    rows = [dict(ICTRP_ROWS[0], **{"Date registration": "2O17"})]
    path = _xml(tmp_path, rows)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  </Trial>", "    <Reviewer_notes>check this one</Reviewer_notes>\n  </Trial>"), encoding="utf-8")
    warnings = read_records(path).warnings
    (year,) = [w for w in warnings if "year" in w]
    assert "from 1 value of the element <Date_registration> (line 3: '2O17')" in year, year
    (unread,) = [w for w in warnings if "not read" in w]
    assert "1 element not read (<Reviewer_notes>)" in unread, unread
    with pytest.raises(InputError) as err:
        read_records(path, column_map={"label": "Reviewer_notes"})
    assert "'check this one' in element <Reviewer_notes> is not" in str(err.value), str(err.value)
    assert all("column '" not in w and "column not" not in w for w in [*warnings, str(err.value)]), warnings
