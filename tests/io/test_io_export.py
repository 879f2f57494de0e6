from __future__ import annotations

import re

import pandas as pd
import pytest
from io_samples import ENDNOTE_RIS, OVID_RIS, SCOPUS_RIS

from screener.errors import InputError
from screener.io import read_records, write_records
from screener.io.ris import DECISION_NOTE

COMPARED = ("title", "authors", "year", "journal", "doi", "pmid", "keywords", "type", "source_db")


def _records(tmp_path) -> list[dict]:
    recs = []
    for name, text in (("a.ris", OVID_RIS), ("b.ris", ENDNOTE_RIS), ("c.ris", SCOPUS_RIS)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        recs += read_records(p).records
    return recs


def _frame(tmp_path) -> pd.DataFrame:
    df = pd.DataFrame(_records(tmp_path))
    df.insert(0, "record_id", [f"r{i}" for i in range(1, len(df) + 1)])
    df["decision"] = ["include", "exclude", "maybe", None, "include"]
    df["decision_note"] = ["fits PICO", None, "check full text,\nsays 'maybe'", None, None]
    df["duplicate_group"] = [None, None, 3, None, 3]
    return df


def _norm_ws(v):
    return " ".join(v.split()) if isinstance(v, str) else v


@pytest.mark.parametrize("fmt", ["csv", "tsv", "ris", "xlsx"])
def test_round_trip(tmp_path, fmt):
    recs = _records(tmp_path)
    df = _frame(tmp_path)  # pandas turns None into NaN and years into floats on the way
    out = write_records(df, tmp_path / f"export.{fmt}", fmt)
    back = read_records(out)
    assert back.format == fmt
    assert len(back.records) == len(recs)
    assert back.labels == ["include", "exclude", "maybe", None, "include"]
    if fmt == "ris":  # ID the record id, AN the database's own id (a table keeps it in 'source_ref')
        assert [r["raw"]["ID"] for r in back.records] == list(df["record_id"])
        assert [r["source_id"] for r in back.records] == [r["source_id"] for r in recs]
    else:
        assert [r["source_id"] for r in back.records] == list(df["record_id"])
    for field in COMPARED:
        assert [r[field] for r in back.records] == [r[field] for r in recs], field
    assert [_norm_ws(r["abstract"]) for r in back.records] == [_norm_ws(r["abstract"]) for r in recs]


def test_ris_export_is_plain_ris_for_reference_managers(tmp_path):
    df = _frame(tmp_path)
    out = write_records(df, tmp_path / "export.ris", "ris")
    raw = out.read_bytes()
    assert raw.startswith(b"TY  - JOUR\r\n")  # a record first: no byte-order mark, no '1.' lines
    text = raw.decode("utf-8")
    lines = text.split("\r\n")
    assert all(ln == "" or ln[2:6] == "  - " for ln in lines), "every line is 'XX  - value'"
    assert text.count("TY  - ") == text.count("ER  - ") == len(df)
    assert f"N1  - {DECISION_NOTE}include" in text and "LB  - include" in text
    assert "N1  - Screening note (screener): check full text, says 'maybe'" in text
    assert "N1  - Duplicate group (screener): 3" in text
    assert "UR  - https://pubmed.ncbi.nlm.nih.gov/32487818/" in text
    assert "TY  - CHAP" in text
    # bibliographic tags of the original RIS record (here LA) travel along
    back = read_records(out)
    assert back.records[4]["raw"]["LA"] == "English"


def test_ris_export_carries_who_decided_and_the_full_text_decision(tmp_path):
    """The RIS export carried the title-abstract decision alone: a study excluded at full text
    went out as 'LB  - include', and a library of includes built from it kept it."""
    df = _frame(tmp_path)
    df["decided_by"] = ["ana", "ben", "ana", None, "ana"]
    df["full_text_decision"] = ["exclude", None, None, None, "include"]
    df["full_text_note"] = ["not qualitative", None, None, None, None]
    out = write_records(df, tmp_path / "export.ris", "ris")
    text = out.read_bytes().decode("utf-8-sig")
    first = text.split("ER  - ")[0]
    assert "N1  - Full-text decision (screener): exclude" in first
    assert "N1  - Full-text note (screener): not qualitative" in first
    assert "N1  - Decided by (screener): ana" in first
    assert text.count("Full-text decision (screener)") == 2
    assert read_records(out).labels == ["include", "exclude", "maybe", None, "include"]  # still the screening's


def test_frame_indexed_by_record_id(tmp_path):
    df = pd.DataFrame(
        {"title": ["A", "B"], "abstract": ["x", None], "authors": [["Lee, K"], []], "year": [2020, None],
         "decision": ["include", "exclude"]},
        index=pd.Index([10, 11], name="record_id"),
    )
    out = write_records(df, tmp_path / "x.csv", "csv")
    back = read_records(out)
    assert [r["source_id"] for r in back.records] == ["10", "11"]
    assert [r["year"] for r in back.records] == [2020, None]
    assert back.labels == ["include", "exclude"]


def test_xlsx_text_starting_with_equals_stays_text(tmp_path):
    df = pd.DataFrame({"title": ["=SUM(A1:A2) is not a formula"], "abstract": ["a\x01b"]})
    out = write_records(df, tmp_path / "x.xlsx", "xlsx")
    (r,) = read_records(out).records
    assert r["title"] == "=SUM(A1:A2) is not a formula"
    # a control character Excel cannot store is a space, as in the CSV export: removed, the words
    # on either side ran together ("a\x01b" read "ab")
    assert r["abstract"] == "a b"


def test_xlsx_control_characters_are_spaces_as_in_csv(tmp_path):
    """The workbook holds what the CSV file holds: a control character between two words is a
    space, not deleted (which joined 'randomised' and 'trial' into one word), and the warning says so."""
    from openpyxl import load_workbook

    df = pd.DataFrame({"title": ["A randomised\x01trial\x0b\x0cof exercise"], "abstract": ["x"]},
                      index=pd.Index([7], name="record_id"))
    warnings: list[str] = []
    out = write_records(df, tmp_path / "x.xlsx", "xlsx", warnings=warnings)
    ws = load_workbook(out).active
    row = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]]))
    assert row["title"] == "A randomised trial of exercise"
    spaced: list[str] = []
    write_records(df, tmp_path / "x.csv", "csv", warnings=spaced)
    assert read_records(tmp_path / "x.csv").records[0]["title"] == row["title"]
    assert len(warnings) == 1 and "written as spaces in the workbook: record 7 (title)" in warnings[0]


def test_unknown_export_format(tmp_path):
    with pytest.raises(InputError) as e:
        write_records(pd.DataFrame({"title": ["a"]}), tmp_path / "x.bib", None)
    assert "bib" in str(e.value)


GUARDED = ["=SUM(A1:A2) is not a formula", "-Omics in depression", "+ve results", "@home care",
           "'=' signs in titles", "''-quoted twice", "'Tis the season", "Plain title"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_guarded_against_formulas_reads_back_as_it_was(tmp_path, fmt):
    """The export puts a ' before a cell that a spreadsheet would run as a formula; reading that
    export back kept the ' in titles and abstracts. Text that starts with ' of its own keeps it."""
    df = pd.DataFrame({"record_id": range(1, 9), "title": GUARDED, "abstract": GUARDED[::-1],
                       "authors": [["-Smith, J"]] * 8, "year": range(2018, 2026),
                       "source_file": "scopus.csv", "source_line": range(2, 10)})
    out = write_records(df, tmp_path / f"export.{fmt}", fmt)
    assert "'-Omics in depression" in out.read_text(encoding="utf-8-sig")  # still guarded for Excel
    back = read_records(out).records
    assert [r["title"] for r in back] == GUARDED
    assert [r["abstract"] for r in back] == GUARDED[::-1]
    assert back[0]["authors"] == ["-Smith, J"] and back[1]["year"] == 2019


def test_a_project_exported_and_imported_again_keeps_its_titles(tmp_path):
    from screener.project import Project

    f = tmp_path / "search.csv"
    pd.DataFrame({"Title": GUARDED, "Abstract": GUARDED[::-1]}).to_csv(f, index=False)
    with Project.init(tmp_path / "first") as first:
        first.import_files([f])
        first.export(tmp_path / "export.csv")
    with Project.init(tmp_path / "second") as second:
        second.import_files([tmp_path / "export.csv"])
        back = second.records_frame()
    assert sorted(back["title"]) == sorted(GUARDED) and sorted(back["abstract"]) == sorted(GUARDED)


def test_an_apostrophe_before_a_sign_in_another_table_is_kept(tmp_path):
    """Only screener's own export guards cells: elsewhere a leading ' is the title's own."""
    f = tmp_path / "scopus.csv"
    f.write_text("Title,Abstract,Year\n'-omics' and the clinic,'+' marks a gain,2020\n", encoding="utf-8")
    (r,) = read_records(f).records
    assert (r["title"], r["abstract"]) == ("'-omics' and the clinic", "'+' marks a gain")


def test_xlsx_export_never_cuts_a_long_text_without_saying_so(tmp_path):
    """An Excel cell holds 32,767 characters: a consortium paper's 3,000 authors or a proceedings
    abstract were cut there without a word (openpyxl cuts silently), and a reviewer reading the
    workbook took the cut text for the whole. The cut now shows in the cell and is named, with
    the record and the column, and the CSV export keeps the whole text."""
    authors = [f"Author{i:05d}, A. B." for i in range(3000)]
    # 31,212 characters; 33,812 for Excel (\U0001d6fc is two)
    abstract = "Background. " + "\U0001d6fc-synuclein " * 2600
    df = pd.DataFrame({"record_id": ["r1", "r2", "r3"], "title": ["ATLAS results", "Proceedings", "A study"],
                       "authors": [authors, ["Doe, K"], ["Lee, M"]], "abstract": ["Short.", abstract, "Short."]})
    warnings: list[str] = []
    out = write_records(df, tmp_path / "records.xlsx", "xlsx", warnings=warnings)
    (warning,) = warnings
    assert "2 texts longer than that were cut" in warning
    assert "record r1 (authors" in warning and "record r2 (abstract" in warning
    assert "CSV or RIS" in warning
    back = read_records(out).records
    for text in (back[0]["raw"]["authors"], back[1]["abstract"]):
        assert text.endswith("CSV or RIS export]") and "cut here" in text
        assert len(text.encode("utf-16-le")) // 2 <= 32767
    assert back[0]["raw"]["authors"].startswith("Author00000, A. B.; Author00001, A. B.")
    assert back[2]["abstract"] == "Short."
    fits: list[str] = []
    write_records(df.iloc[2:], tmp_path / "fits.xlsx", "xlsx", warnings=fits)
    assert fits == []
    full = read_records(write_records(df, tmp_path / "records.csv", "csv")).records
    assert len(full[0]["authors"]) == 3000 and full[1]["abstract"] == abstract.strip()


def test_ris_export_is_plain_utf8_without_a_byte_order_mark_and_csv_keeps_excels(tmp_path):
    """The RIS export began with a byte-order mark, which the databases' RIS exports and Zotero's
    own do not write (a reference manager can read it as part of the first tag, 'TY'); CSV and TSV
    keep theirs, without which Excel reads UTF-8 as Windows-1252 ('ZoÃ«'). Read back, the RIS file's
    accented names are still UTF-8."""
    df = _frame(tmp_path)
    df.loc[0, "authors"] = ["Müller, Zoë", "Øster, Åse"]
    ris = write_records(df, tmp_path / "export.ris", "ris").read_bytes()
    assert not ris.startswith(b"\xef\xbb\xbf") and ris.startswith(b"TY  - ")
    assert "AU  - Müller, Zoë" in ris.decode("utf-8")
    assert read_records(tmp_path / "export.ris").records[0]["authors"][:2] == ["Müller, Zoë", "Øster, Åse"]
    for fmt in ("csv", "tsv"):
        assert write_records(df, tmp_path / f"export.{fmt}", fmt).read_bytes().startswith(b"\xef\xbb\xbf")



def test_ris_export_keeps_the_type_the_database_wrote_in_ty(tmp_path):
    """A Scopus erratum's type is the 'Erratum' its M3 gives (de-duplication reads it), which RIS has no TY code for:
    the export keeps the 'TY  - JOUR' Scopus wrote, not 'GEN', so a reference manager files it as a journal item."""
    from test_io_ris import SCOPUS_ERRATUM_RIS

    (tmp_path / "scopus.ris").write_text(SCOPUS_ERRATUM_RIS, encoding="utf-8")
    recs = read_records(tmp_path / "scopus.ris").records
    assert recs[0]["type"] == "Erratum"
    out = write_records(pd.DataFrame(recs), tmp_path / "export.ris", "ris")
    assert [r["raw"]["TY"] for r in read_records(out).records] == ["JOUR", "JOUR"]


def test_a_scopus_erratum_exported_to_ris_and_imported_again_stays_a_notice(tmp_path):
    """Scopus's RIS says an erratum is one in M3 ('TY  - JOUR', 'M3  - Erratum'), which screener reads as the record's
    type. The RIS export wrote no M3, so a project built from the export joined the erratum under the article's own
    title with the article's copy ahead of print again (one record short, the article hidden). The export keeps the
    database's TY ('JOUR', not 'GEN' for a type RIS has no code for) and writes the notice's type in M3."""
    from test_io_ris import OVID_AHEAD_OF_PRINT_RIS, SCOPUS_ERRATUM_RIS

    from screener.project import Project

    (tmp_path / "scopus.ris").write_text(SCOPUS_ERRATUM_RIS, encoding="utf-8")
    (tmp_path / "medline.ris").write_text(OVID_AHEAD_OF_PRINT_RIS, encoding="utf-8")
    with Project.init(tmp_path / "first") as first:
        first.import_files([tmp_path / "scopus.ris", tmp_path / "medline.ris"])
        assert first.prisma_counts()["after_deduplication"] == 3
        first.export(tmp_path / "export.ris")
    text = (tmp_path / "export.ris").read_text(encoding="utf-8")
    erratum = next(r for r in text.split("ER  - ") if "M3  - Erratum" in r)
    assert "TY  - JOUR" in erratum and "10.1007/s10461-018-2154-x" in erratum
    assert text.count("M3  - ") == 1  # only the notice's type: other records' exports are as they were
    with Project.init(tmp_path / "second") as second:
        second.import_files([tmp_path / "export.ris"])
        back = second.records_frame()
        assert second.prisma_counts()["after_deduplication"] == 3
    assert sorted(back["type"]) == ["Erratum", "JOUR", "JOUR"]


def test_excel_warnings_on_one_text_read_in_the_singular():
    """One text cut or cleaned for Excel: the warnings read '1 text(s) longer than that were cut, each ...
    The whole texts are kept' and '1 text(s) held control characters ...; they were left out'."""
    from screener.io.export import controls_warning, cut_warning

    cut = cut_warning([("r7", "abstract", 40_000)])
    assert "1 text longer than that was cut, ending '[... cut here ...]': record r7 (abstract, 40,000" in cut
    assert "The whole text is kept in the project" in cut and "have it in full" in cut and "(s)" not in cut
    ctl = controls_warning([("r7", "title")])
    assert ctl.startswith("1 text held control characters") and "it was left out of the workbook: record r7" in ctl
    assert "The text in the project is unchanged" in ctl


def test_csv_export_of_an_older_project_writes_control_characters_as_spaces(tmp_path):
    """A project imported before screener read control characters as spaces still holds them (a form
    feed pasted out of a PDF into a title, a vertical tab in an abstract). The workbook export left them
    out, but the CSV export wrote them as they were, and Excel showed the title with a box in it (a NUL
    cut the cell short). Now the CSV and TSV exports write each run of them as a space, and say which."""
    df = pd.DataFrame(
        {"title": ["Peer support\x0cin harm reduction", "A clean title"],
         "abstract": ["BACKGROUND:\x0b\x0b Peer workers\x00 were interviewed.", "Nothing odd here."],
         "authors": [["Lee,\x1a K"], ["Kim, J"]], "year": [2020, 2021], "decision": ["include", "exclude"]},
        index=pd.Index([10, 11], name="record_id"),
    )
    for fmt in ("csv", "tsv"):
        said: list[str] = []
        out = write_records(df, tmp_path / f"x.{fmt}", fmt, warnings=said)
        text = out.read_text(encoding="utf-8-sig")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), repr(text)
        back = read_records(out).records
        assert back[0]["title"] == "Peer support in harm reduction"
        assert back[0]["abstract"] == "BACKGROUND: Peer workers were interviewed."
        assert back[0]["authors"] == ["Lee, K"] and back[1]["title"] == "A clean title"
        assert len(said) == 1, said
        assert said[0].startswith("3 texts held control characters") and "record 10 (title)" in said[0], said
        assert "record 10 (abstract)" in said[0] and "record 10 (authors)" in said[0] and "record 11" not in said[0]
        assert "written as spaces" in said[0] and "The texts in the project are unchanged" in said[0], said
    said = []
    write_records(df.iloc[1:], tmp_path / "clean.csv", "csv", warnings=said)
    assert said == []


PUBMED_NOTICES_NBIB = """PMID- 34567890
OWN - NLM
STAT- MEDLINE
DP  - 2021 Mar
TI  - Effect of a brief motivational intervention on alcohol use among university students.
PG  - 233
LID - 10.15288/jsad.2021.82.233 [doi]
FAU - Smith, John
AU  - Smith J
LA  - eng
PT  - Journal Article
PT  - Published Erratum
JT  - Journal of studies on alcohol and drugs
VI  - 82

PMID- 34567891
OWN - NLM
STAT- MEDLINE
DP  - 2021 Mar
TI  - Brief interventions for students: what the trials can and cannot tell us.
PG  - 234-235
FAU - Jones, Ann
AU  - Jones A
LA  - eng
PT  - Journal Article
PT  - Comment
JT  - Journal of studies on alcohol and drugs
VI  - 82

"""


def test_a_pubmed_erratum_or_comment_exported_to_ris_is_a_journal_item(tmp_path):
    """A PubMed record typed by its notice or comment ('Journal Article' and 'Published Erratum', or 'Comment', on its
    PT lines) has no TY of its own: the RIS export wrote 'TY  - GEN', and EndNote or Zotero filed the journal's item as
    a generic reference (it was 'TY  - JOUR' while the record's type was its first PT line). It is 'TY  - JOUR' with
    its type in M3, and reads back as the erratum or comment it is."""
    (tmp_path / "pubmed.nbib").write_text(PUBMED_NOTICES_NBIB, encoding="utf-8")
    recs = read_records(tmp_path / "pubmed.nbib").records
    assert [r["type"] for r in recs] == ["Published Erratum", "Comment"]
    out = write_records(pd.DataFrame(recs), tmp_path / "export.ris", "ris")
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"^TY  - (\w+)", text, re.M) == ["JOUR", "JOUR"]
    assert [r["type"] for r in read_records(out).records] == ["Published Erratum", "Comment"]


def test_a_workbook_export_with_texts_cut_to_fit_excels_cells_says_so_when_imported(tmp_path):
    """screener's XLSX export cuts a text longer than an Excel cell holds, and says so; imported (a review moved
    through its workbook), the records came in with the cut texts and no word. The import names the rows and
    columns, and the way to have the texts whole."""
    df = pd.DataFrame([{"record_id": 1, "title": "A long one", "abstract": "word " * 8000, "source_file": "a.ris",
                        "source_line": 1},
                       {"record_id": 2, "title": "A short one", "abstract": "Short.", "source_file": "a.ris",
                        "source_line": 9}])
    out = write_records(df, tmp_path / "export.xlsx", "xlsx", warnings=[])
    got = read_records(out)
    said = [w for w in got.warnings if "cut" in w]
    assert len(said) == 1 and said[0].startswith("export.xlsx: ") and "row 2 (abstract)" in said[0], got.warnings
    assert "CSV or RIS" in said[0], said


@pytest.mark.parametrize("kind", ["Conference Abstract", "Meeting Abstract", "Poster"])
def test_a_conference_abstract_exported_to_ris_stays_an_abstract(tmp_path, kind):
    """Embase's 'Conference Abstract' (Web of Science's 'Meeting Abstract', a poster) went to RIS as 'TY  - GEN', and
    came back from it typed 'GEN': a project the file went into no longer knew the record for a meeting's abstract,
    which de-duplication keeps apart from the article of the same title. It is written 'ABST', RIS's abstract."""
    df = pd.DataFrame([{"record_id": 1, "title": "Yoga after stroke", "type": kind, "year": 2019,
                        "source_file": "embase.csv", "source_line": 2}])
    out = write_records(df, tmp_path / "export.ris", "ris")
    assert "TY  - ABST" in out.read_text(encoding="utf-8")
    assert read_records(out).records[0]["type"] == "ABST"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "ris"])
def test_an_author_name_holding_a_semicolon_comes_back_as_one_author(tmp_path, fmt):
    """ProQuest writes some names with a ';' inside ('Vernon, Julia R; G'): a table joins authors with '; ', and the
    name came back as two authors, 'Vernon, Julia R' and 'G', after an export and an import."""
    authors = [["Vernon, Julia R; G", "Smith, J"], ["Doe, K", "Lee; M", '"Quoted" Group'], ["Lee, K"]]
    df = pd.DataFrame({"record_id": [1, 2, 3], "title": ["A", "B", "C"], "authors": authors,
                       "source_file": ["proquest.ris"] * 3, "source_line": [1, 20, 40]})
    out = write_records(df, tmp_path / f"export.{fmt}", fmt)
    assert [r["authors"] for r in read_records(out).records] == authors


def test_only_screeners_own_table_reads_a_quoted_author_whole(tmp_path):
    """The export's quotes around a name holding a ';' are read only in screener's own table (its record_id,
    source_file and source_line columns): another tool's cell, or an export written before them, is split at each ';'
    as before, its quotes kept as text."""
    cells = ['"Kim, A; B"; Lee, K', '"Kim" Lab; Lee, K', "Vernon, Julia R; G; Smith, J"]
    other = tmp_path / "other.csv"
    other.write_text("Title,Authors\n" + "".join(f'T{i},"{c.replace(chr(34), 2 * chr(34))}"\n'
                                                 for i, c in enumerate(cells)), encoding="utf-8")
    assert [r["authors"] for r in read_records(other).records] == [
        ['"Kim, A', 'B"', "Lee, K"], ['"Kim" Lab', "Lee, K"], ["Vernon, Julia R", "G", "Smith, J"]]
    own = tmp_path / "own.csv"  # screener's columns: the quoted name whole; an older export's cells as before
    own.write_text("record_id,source_file,source_line,title,authors\n" + "".join(
        f'{i},a.ris,{i},T{i},"{c.replace(chr(34), 2 * chr(34))}"\n' for i, c in enumerate(cells, 1)), encoding="utf-8")
    assert [r["authors"] for r in read_records(own).records] == [
        ["Kim, A; B", "Lee, K"], ['"Kim" Lab', "Lee, K"], ["Vernon, Julia R", "G", "Smith, J"]]


def test_a_workbook_export_that_cut_a_long_author_cell_reads_back_without_made_up_authors(tmp_path):
    """An authors cell too long for Excel was cut anywhere, inside a name (a quoted one read oddly), and its mark
    '[... cut here: ... characters; the whole text ...]' holds a ';': read back, the cell gave two made-up authors.
    It is cut after a whole name, the mark names no author, and the export says how many names it kept."""
    authors = [f"Author{i:05d}, A. B." if i % 7 else f"Vernon{i:05d}, Julia R; G" for i in range(3000)]
    df = pd.DataFrame({"record_id": ["r1", "r2"], "title": ["ATLAS results", "A study"],
                       "authors": [authors, ["Doe, K", "Doe, K"]], "source_file": ["a.ris"] * 2,
                       "source_line": [1, 9]})
    warnings: list[str] = []
    out = write_records(df, tmp_path / "records.xlsx", "xlsx", warnings=warnings)
    (warning,) = warnings
    assert "record r1 (authors" in warning and "of 3,000 names" in warning, warning
    got = read_records(out)
    back = got.records[0]["authors"]
    assert 1000 < len(back) < 3000 and back == authors[:len(back)], back[-3:]
    assert got.records[1]["authors"] == ["Doe, K", "Doe, K"]
    assert any("row 2 (authors)" in w and "cut" in w for w in got.warnings), got.warnings
    # a workbook exported before: cut inside a name, its mark holding a ';'
    from openpyxl import load_workbook

    from screener.io.export import CUT_MARKS

    book = load_workbook(out)
    cell = next(c for c in book.active[2] if isinstance(c.value, str) and c.value.endswith(CUT_MARKS[0]))
    cell.value = cell.value[:-len(CUT_MARKS[0])] + "; Author99999, A" + CUT_MARKS[1]
    book.save(tmp_path / "older.xlsx")
    assert read_records(tmp_path / "older.xlsx").records[0]["authors"] == back


def test_a_ris_export_keeps_the_databases_own_id_as_the_table_exports_do(tmp_path):
    """The RIS export wrote the project's record id as 'ID', read back as the record's own id: after a round trip
    through RIS a PsycInfo record's accession number (ProQuest's document id, Ovid's id) was the old project's
    record number, where the CSV and XLSX exports keep it. The database's id is written as 'AN' and read back; 'ID'
    still holds the record id, which 'screener label' matches by."""
    df = pd.DataFrame({"record_id": [7, 8], "title": ["Stigma and HIV testing", "Peer support"],
                       "source_ref": ["2150123456", None], "source_db": ["PsycInfo", "Embase"],
                       "source_file": ["psycinfo.ris", "embase.ris"], "source_line": [1, 30]})
    for fmt in ("csv", "xlsx", "ris"):
        back = read_records(write_records(df, tmp_path / f"export.{fmt}", fmt)).records
        assert [r["source_id"] for r in back] == ["2150123456", None], fmt
    text = (tmp_path / "export.ris").read_text(encoding="utf-8")
    assert "ID  - 7\n" in text and "AN  - 2150123456\n" in text and "ID  - 8\n" in text
    assert [r["raw"]["ID"] for r in back] == ["7", "8"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "ris"])
def test_a_keyword_holding_a_semicolon_comes_back_as_one_keyword(tmp_path, fmt):
    """EndNote's XML and PubMed's XML give each keyword its own element, and one may hold a ';' ('HIV; AIDS' as an
    author wrote it): a table joins keywords with '; ', and the keyword came back as two after an export and an
    import. It is quoted as a name holding a ';' is; each RIS KW line of screener's own export is one keyword."""
    xml = tmp_path / "pubmed.xml"
    xml.write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>A"
                   "</ArticleTitle></Article><KeywordList><Keyword>HIV; AIDS</Keyword><Keyword>stigma</Keyword>"
                   "</KeywordList></MedlineCitation></PubmedArticle></PubmedArticleSet>", encoding="utf-8")
    enl = tmp_path / "library.xml"
    enl.write_text("<xml><records><record><ref-type name=\"Journal Article\">17</ref-type><titles><title>B</title>"
                   "</titles><keywords><keyword>\"Quoted\" term</keyword><keyword>men; who have sex with men</keyword>"
                   "</keywords></record></records></xml>", encoding="utf-8")
    recs = read_records(xml).records + read_records(enl).records
    assert [r["keywords"] for r in recs] == [["HIV; AIDS", "stigma"], ['"Quoted" term', "men; who have sex with men"]]
    df = pd.DataFrame(recs).assign(record_id=[1, 2])
    out = write_records(df, tmp_path / f"export.{fmt}", fmt)
    assert [r["keywords"] for r in read_records(out).records] == [r["keywords"] for r in recs]


def test_a_workbook_export_that_cut_a_long_keyword_cell_reads_back_without_a_made_up_keyword(tmp_path):
    """A keywords cell too long for Excel was cut anywhere: inside a keyword, or inside a quoted one holding a ';'
    ('"HIV; AIDS"'), and read back its last keyword was half a keyword with the cut mark on it. It is cut after a
    whole keyword, the mark is no keyword, and the export says how many keywords it kept."""
    keywords = [f"Keyword number {i:05d}" if i % 5 else f"HIV{i:05d}; AIDS" for i in range(2000)]
    df = pd.DataFrame({"record_id": ["r1", "r2"], "title": ["A long indexed record", "A study"],
                       "keywords": [keywords, ["malaria", "HIV; AIDS"]], "source_file": ["a.ris"] * 2,
                       "source_line": [1, 9]})
    warnings: list[str] = []
    out = write_records(df, tmp_path / "records.xlsx", "xlsx", warnings=warnings)
    (warning,) = warnings
    assert "record r1 (keywords" in warning and "of 2,000 keywords kept" in warning, warning
    got = read_records(out)
    back = got.records[0]["keywords"]
    assert 1000 < len(back) < 2000 and back == keywords[:len(back)], back[-3:]
    assert got.records[1]["keywords"] == ["malaria", "HIV; AIDS"]
    assert any("row 2 (keywords)" in w and "cut" in w for w in got.warnings), got.warnings
