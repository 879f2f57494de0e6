"""The paths and names in the command lines messages suggest, as a shell reads them."""

import shlex

from screener.shell import shell_quote


def test_a_name_with_spaces_or_brackets_is_one_word_and_a_plain_path_stays_as_it_is(monkeypatch):
    monkeypatch.setattr("os.name", "posix")
    for name in ("/tmp/peer support review", "search [central].ris", "O'Brien's review", "a;b", ""):
        assert shlex.split(f"screener import {shell_quote(name)} x.ris") == ["screener", "import", name, "x.ris"]
    for plain in ("/tmp/review", "next.csv", "msm-review/batch_2.csv", "ana"):
        assert shell_quote(plain) == plain


def test_on_windows_a_name_that_needs_it_goes_in_double_quotes(monkeypatch):
    monkeypatch.setattr("os.name", "nt")
    assert shell_quote(r"C:\Users\ana\peer support review") == r'"C:\Users\ana\peer support review"'
    assert shell_quote(r"C:\Users\ana\review") == r"C:\Users\ana\review"
