"""The conflicts and blinding of a dual screening as a Python API (``screener.conflicts``), for a notebook and the
terminal alike: the same checks and log entries as the web's Conflicts page."""

from __future__ import annotations

import pytest

from screener import conflicts as api
from screener.accounts import add_user, blinding_ended
from screener.agreement import dual_screening
from screener.errors import InputError
from screener.project import Project

PASSWORD = "correct horse battery"
OWNER, ANA, BEN = "olga", "ana", "ben"
#: each reviewer's decisions on records 1 to 4: they disagree on the 2nd and the 4th
PLAN = {ANA: ["include", "include", "exclude", "include"], BEN: ["include", "exclude", "exclude", "exclude"]}


def dual_team(tmp_path, plan=PLAN, n: int = 4, database: str | None = None) -> tuple:
    """A dual-screening review of ``n`` records with accounts for the owner olga and the reviewers ana and ben,
    who screened as ``plan`` says; its folder and record ids. ``database``: on that PostgreSQL server."""
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i},Abstract {i}\n" for i in range(n)), encoding="utf-8")
    with Project.init(tmp_path / "p", settings={"mode": "dual", "embedding_model": "none"}, database=database) as p:
        p.import_files([src], source_db="TestDB")
        ids = [int(i) for i in p.records_frame().index]
        for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
            add_user(p.store, name, role, PASSWORD)
        for who, decisions in plan.items():
            for rid, dec in zip(ids, decisions):
                p.decide(rid, dec, reviewer=who)
    return tmp_path / "p", ids


def test_the_conflicts_are_listed_with_each_reviewers_decision(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        items = api.conflict_items(p)
    assert [c["record_id"] for c in items] == [ids[1], ids[3]]
    assert items[0]["title"] == "Study 1"
    assert sorted((v["reviewer"], v["decision"]) for v in items[0]["votes"]) == [(ANA, "include"), (BEN, "exclude")]


def test_resolutions_are_logged_as_the_web_logs_them_and_counted_alike(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        api.resolve(p, [api.Resolution(ids[1], "exclude", "protocol 2b"), api.Resolution(ids[3], "include")], OWNER)
        last = p.decision_log().iloc[-2:]
        assert list(last["role"]) == ["resolver", "resolver"] and set(last["reviewer"]) == {OWNER}
        assert list(last["note"])[0] == "protocol 2b"
        assert p.conflicts().empty and api.conflict_items(p) == []
        team = p.current_decisions()
        assert team.loc[ids[1], "decision"] == "exclude" and team.loc[ids[3], "decision"] == "include"
        ds = dual_screening(p)  # the report's methods text: settled by olga
        assert ds.settled == {OWNER: 2} and ds.open == 0


def test_resolutions_are_saved_all_or_none(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        before = len(p.decision_log())
        with pytest.raises(InputError, match=f"Record {ids[0]} has no conflict to resolve"):
            api.resolve(p, [api.Resolution(ids[1], "exclude"), api.Resolution(ids[0], "include")], OWNER)
        with pytest.raises(InputError, match=f"Record {ids[1]} is resolved twice"):
            api.resolve(p, [api.Resolution(ids[1], "exclude"), api.Resolution(ids[1], "include")], OWNER)
        with pytest.raises(InputError, match="'perhaps' is not one of include, exclude, maybe"):
            api.resolve(p, [api.Resolution(ids[1], "perhaps")], OWNER)
        with pytest.raises(InputError, match="No record 99 in this review.*Nothing was saved"):
            api.resolve(p, [api.Resolution(ids[1], "exclude"), api.Resolution(99, "include")], OWNER)
        assert len(p.decision_log()) == before and len(api.conflict_items(p)) == 2


def test_a_conflict_another_resolver_settled_is_not_resolved_over(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        add_user(p.store, "pia", "owner", PASSWORD)
        api.resolve(p, [api.Resolution(ids[1], "exclude")], "pia")
        with pytest.raises(InputError, match=rf"already resolved as exclude by pia.*screener withdraw DIR {ids[1]} "
                                             "--reviewer pia"):
            api.resolve(p, [api.Resolution(ids[1], "include")], OWNER)
        api.resolve(p, [api.Resolution(ids[1], "include")], "pia")  # one's own resolution may be settled again


def test_who_may_open_the_conflicts_is_who_may_on_the_web(tmp_path):
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben has a record left
    with Project.open(d) as p:
        api.may_see_conflicts(p, OWNER, "owner")  # the owner who screens none: at any time
        for name in (ANA, BEN):  # the reviewers, while blind: refused
            with pytest.raises(InputError, match="Conflicts are resolved by the project owner, or by the reviewers "
                                                 "once both have screened every record"):
                api.may_see_conflicts(p, name, "reviewer")
        p.decide(ids[3], "exclude", reviewer=BEN)  # both have screened every record: over
        api.may_see_conflicts(p, ANA, "reviewer")


def test_the_owner_who_screens_is_blind_until_the_blinding_ends(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        p.decide(ids[0], "include", reviewer=OWNER)  # a try of the tool: she holds the blinding open
        with pytest.raises(InputError, match="olga screens records"):
            api.may_see_conflicts(p, OWNER, "owner")
        assert api.end_blinding(p, "title_abstract", OWNER) is None
        assert blinding_ended(p.store)
        api.may_see_conflicts(p, OWNER, "owner")
        api.may_see_conflicts(p, BEN, "reviewer")


def test_single_screening_has_no_conflicts_and_no_blinding(tmp_path):
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\nStudy 0,Abstract 0\n", encoding="utf-8")
    with Project.init(tmp_path / "p", settings={"mode": "single", "embedding_model": "none"}) as p:
        p.import_files([src], source_db="TestDB")
        with pytest.raises(InputError, match="single mode: there are no conflicts to resolve"):
            api.may_see_conflicts(p, OWNER, "owner")
        with pytest.raises(InputError, match="single mode: there is no blinding to end"):
            api.may_end_blinding(p, OWNER, "owner")


def test_only_the_owner_ends_the_blinding_and_not_over_records_imported_since(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        with pytest.raises(InputError, match="Only the project owner can end the blinding; ana is a reviewer"):
            api.may_end_blinding(p, ANA, "reviewer")
        assert api.end_blinding(p, "title_abstract", OWNER, shown=len(ids) - 1) == len(ids)  # one imported since
        assert not blinding_ended(p.store)
        assert api.end_blinding(p, "full_text", OWNER, shown=len(ids)) is None
        assert blinding_ended(p.store, "full_text") and not blinding_ended(p.store)


def test_acting_names_the_account_and_its_role(tmp_path):
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        assert api.acting(p, "Olga") == (OWNER, "owner")
        assert api.acting(p, ANA) == (ANA, "reviewer")
        with pytest.raises(InputError, match="no account named 'zoe'"):
            api.acting(p, "zoe")
