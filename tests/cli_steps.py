"""Steps a reviewer takes in a terminal ('screener label', 'screener export'), for the tests of several files that
set a review up through them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from screener.cli import app

runner = CliRunner()


def first_20_file(tmp_path: Path) -> Path:
    """first.csv: records 1 to 20 read, the first an include and 19 excludes."""
    first = tmp_path / "first.csv"
    pd.DataFrame({"record_id": range(1, 21), "decision": ["include"] + ["exclude"] * 19}).to_csv(first, index=False)
    return first


def first_20_read(d, tmp_path: Path, *options: str) -> Path:
    """'screener label' of first.csv (``first_20_file``) into the project folder ``d``; ``options``: --reviewer
    NAME. The file."""
    first = first_20_file(tmp_path)
    assert runner.invoke(app, ["label", str(d), str(first), *options]).exit_code == 0
    return first


def exclude_the_rest_unread(d, tmp_path: Path) -> Path:
    """The records left at the stop excluded unread, as a reviewer does it: 'screener export --only unscreened',
    then 'label rest.csv --decision exclude', into the project folder ``d``. The file of them."""
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(d), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    assert runner.invoke(app, ["label", str(d), str(rest), "--decision", "exclude"]).exit_code == 0
    return rest
