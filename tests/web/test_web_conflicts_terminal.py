"""Conflicts resolved and the blinding ended in a terminal ('screener conflicts', 'screener blinding'): the web's
Conflicts page then shows the same state as if the owner had done it there."""

from __future__ import annotations

import re

from test_conflicts import ANA, BEN, OWNER, PLAN, dual_team
from typer.testing import CliRunner
from webtestdata import login, page_text

from screener.cli import app as cli
from screener.project import Project
from screener.web.app import create_app

runner = CliRunner()


def _listed(client) -> list[int]:
    return [int(i) for i in re.findall(r'data-record-id="(\d+)"', page_text(client.get("/conflicts?reveal=1")))]


def test_the_conflicts_page_shows_what_the_terminal_resolved_and_ended(tmp_path):
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben has a record left
    with Project.open(d) as p:
        web = create_app(p, start=False)
        olga, _ = login(web, OWNER, "owner")
        ana, _ = login(web, ANA)
        assert _listed(olga) == [ids[1]]
        assert _listed(ana) == [] and "Screening is blind" in page_text(ana.get("/conflicts"))
        r = runner.invoke(cli, ["conflicts", str(d), "--reviewer", OWNER, "--resolve", str(ids[1]), "include"])
        assert r.exit_code == 0, r.output
        assert _listed(olga) == []
        assert "No conflicts" in page_text(olga.get("/conflicts?reveal=1"))
        last = p.decision_log().iloc[-1]
        assert (last.role, last.reviewer) == ("resolver", OWNER)
        assert "blinding is over" not in page_text(olga.get("/conflicts"))
        r = runner.invoke(cli, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
        assert r.exit_code == 0, r.output
        # the page names who ended it (the owner herself: 'You'), as 'screener blinding' does
        assert "You ended the title/abstract blinding on 20" in page_text(olga.get("/conflicts"))
        assert "Screening is blind" not in page_text(ana.get("/conflicts"))  # the reviewers see the team now
        web.extensions["screener"].stop()
