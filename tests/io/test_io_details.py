"""Volume, issue and pages are read from every format and written back out."""

from screener.io import read_records
from screener.io.export import write_records
from screener.records import start_page

import pandas as pd


def test_start_page_is_the_first_page_alone():
    assert start_page("pp. 0123-9") == "123"
    assert start_page("S12-S14") == "S12"
    assert start_page("e1234") == "e1234"
    assert start_page("123–130") == "123"
    assert start_page(None) is None and start_page("  ") is None


def test_each_format_gives_volume_issue_pages(tmp_path):
    (tmp_path / "a.ris").write_text(
        "TY  - JOUR\nTI  - Title one\nVL  - 26\nIS  - 2\nSP  - 111\nEP  - 119\nER  - \n", encoding="utf-8")
    (tmp_path / "b.nbib").write_text(
        "PMID- 123\nTI  - Title two\nVI  - 26\nIP  - 2\nPG  - 111-9\n", encoding="utf-8")
    (tmp_path / "c.xml").write_text(
        "<xml><records><record><titles><title>Title three</title></titles><volume>26</volume>"
        "<number>2</number><pages>111-119</pages></record></records></xml>", encoding="utf-8")
    (tmp_path / "d.csv").write_text("Title,Volume,Issue,Pages\nTitle four,26,2,111-119\n", encoding="utf-8")
    (tmp_path / "e.tsv").write_text("TI\tVL\tIS\tBP\tEP\nTitle five\t26\t2\t111\t119\n", encoding="utf-8")
    for name, pages in (("a.ris", "111-119"), ("b.nbib", "111-9"), ("c.xml", "111-119"), ("d.csv", "111-119"),
                        ("e.tsv", "111-119")):
        rec = read_records(tmp_path / name).records[0]
        assert (rec["volume"], rec["issue"], rec["pages"], rec["start_page"]) == ("26", "2", pages, "111"), name


def test_exports_carry_volume_issue_pages_back(tmp_path):
    df = pd.DataFrame([{"title": "A study", "volume": "26", "issue": "2", "pages": "111-119", "start_page": "111",
                        "authors": [], "keywords": []}])
    write_records(df, tmp_path / "out.ris")
    back = read_records(tmp_path / "out.ris").records[0]
    assert (back["volume"], back["issue"], back["pages"], back["start_page"]) == ("26", "2", "111-119", "111")
    write_records(df, tmp_path / "out.csv")
    back = read_records(tmp_path / "out.csv").records[0]
    assert (back["volume"], back["issue"], back["pages"]) == ("26", "2", "111-119")


def test_a_supplement_page_with_a_roman_prefix_keeps_its_number():
    """Annals of Oncology and other Oxford journals number a supplement's pages "viii108" (supplement 8,
    page 108); the first page was read as "viii", so the abstract's copy that gives "108" read as another
    page and the two copies were never joined."""
    assert start_page("viii108") == "viii108"
    assert start_page("ii45-ii46") == "ii45"
    assert start_page("iii") == "iii" and start_page("xii-xiv") == "xii"
