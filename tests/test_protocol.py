from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from screener.errors import ScreenerError
from screener.protocol import (BM25, Protocol, match_known_relevant, match_known_relevant_report, matched_terms,
                               protocol_scores, tokenize)

REPO = Path(__file__).resolve().parents[1]

TOML = """
title = "Peer work in drug use services"
inclusion = ["qualitative findings", "peer workers with lived experience of drug use"]
exclusion = ["commentaries and editorials"]
key_terms = ["harm reduction", "peer navigator"]
known_relevant = ["https://doi.org/10.2196/17053", "Peer workers at a supervised injection site",
                  { doi = "10.1186/S12954-020-00453-5", note = "Austin 2021" }]
"""

YAML = """
question: Peer work in drug use services
inclusion:
  - qualitative findings
  - peer workers with lived experience of drug use
key_terms: [harm reduction]
known_relevant:
  - doi: 10.2196/17053
"""


def test_load_toml(tmp_path):
    f = tmp_path / "protocol.toml"
    f.write_text(TOML, encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "Peer work in drug use services"
    assert p.inclusion[1].startswith("peer workers") and p.exclusion == ["commentaries and editorials"]
    assert p.key_terms == ["harm reduction", "peer navigator"]
    assert p.known_relevant == [
        {"doi": "10.2196/17053", "title": None},
        {"doi": None, "title": "Peer workers at a supervised injection site"},
        {"doi": "10.1186/s12954-020-00453-5", "title": None},
    ]
    assert "harm reduction" in p.text() and "qualitative findings" in p.text()
    assert p.source == str(f)


def test_load_yaml(tmp_path):
    f = tmp_path / "protocol.yaml"
    f.write_text(YAML, encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "Peer work in drug use services" and len(p.inclusion) == 2
    assert p.known_relevant == [{"doi": "10.2196/17053", "title": None}]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("p.toml", 'title = "x\ninclusion = []', "not valid TOML"),
        ("p.yaml", "title: [unclosed\n", "not valid YAML at line"),
        ("p.toml", 'title = "x"\ninclusoin = ["typo"]', "unknown key inclusoin;"),
        ("p.toml", 'title = "x"\ninclusoin = ["typo"]\nexlusion = ["typo"]', "unknown keys exlusion, inclusoin;"),
        ("p.toml", 'title = "x"\nknown_relevant = [{ doi = "10.1/x", nots = "y" }]',
         "item 1 of 'known_relevant' has an unknown key nots;"),
        ("p.toml", "title = 3", "'title' must be text"),
        ("p.toml", 'title = "x"\ninclusion = [1, 2]', "item 1 of 'inclusion' must be text"),
        ("p.toml", 'exclusion = ["reviews"]', "says nothing about what to include"),
        ("p.yaml", "", "empty"),
        ("p.toml", 'title = "x"\nknown_relevant = [{ doi = "not a doi" }]', "is not a DOI"),
        ("p.json", "{}", "must end in .toml, .yaml or .yml, or be plain text"),
    ],
)
def test_bad_protocol_names_file_and_problem(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ScreenerError, match=message) as err:
        Protocol.load(f)
    assert str(f) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ScreenerError, match="not found"):
        Protocol.load(tmp_path / "nope.toml")


def test_from_text():
    p = Protocol.from_text("Drug class review: triptans for migraine")
    assert p.title.startswith("Drug class") and not p.inclusion
    with pytest.raises(ScreenerError):
        Protocol.from_text("  ")


def test_tokenize_stems_plurals_and_makes_bigrams():
    toks = tokenize("Peer workers' experiences in harm-reduction services; a review of studies")
    assert "peer" in toks and "worker" in toks and "peer worker" in toks
    assert "harm reduction" in toks and "service" in toks
    assert "review" not in toks and "study" not in toks and "a" not in toks  # not topic words


def test_bm25_prefers_more_specific_and_repeated_matches():
    texts = ["peer worker peer worker in services", "peer in services", "cardiac surgery outcomes",
             "services services services"]
    s = BM25().score(texts, {"peer": 1.0, "worker": 1.0, "service": 1.0})
    assert s[0] > s[1] > s[3] > s[2] == 0.0


def test_protocol_scores_rank_matches_first_and_exclusion_pulls_down():
    texts = [
        "Cardiac surgery outcomes in older patients.",
        "Peer workers in harm reduction: qualitative interviews on lived experience.",
        "Commentary: peer workers in harm reduction.",
        "Enzyme activity in mouse kidney.",
    ]
    p = Protocol(title="Experiences of peer workers in harm reduction services",
                 exclusion=["commentaries and editorials"], key_terms=["lived experience"])
    s = protocol_scores(p, texts)
    assert np.argmax(s) == 1 and s[2] > s[0]
    no_excl = protocol_scores(p, texts, exclusion_weight=0.0)
    assert (s[2] - s[1]) < (no_excl[2] - no_excl[1])
    # embeddings blend in (here: the record vectors and a protocol vector given directly)
    E = np.eye(4, dtype=np.float32)
    blended = protocol_scores(p, texts, embeddings=E, query_embedding=E[3], lexical_weight=0.5)
    assert blended[3] > s[3]
    assert "lived experience" in matched_terms(p, texts[1])


def test_matched_terms_keep_the_records_accents_so_the_page_highlights_them():
    """The 'Why' named a matched term with its accents taken off ('protocol terms: sjogren syndrome',
    'hemophilie'), which is not how the record spells it, and the screening page, which marks the
    terms in the record as written, marked nothing: the terms are now the record's own spelling."""
    from screener.web.highlight import highlight

    p = Protocol(title="Dry eye treatment in Sjögren's syndrome", key_terms=["hemophilie", "Ménière disease"])
    record = "Treating dry eye in primary Sjögren syndrome, Ménière's disease and hémophilie A"
    terms = matched_terms(p, record)
    assert set(terms) == {"dry eye", "sjögren syndrome", "hémophilie", "ménière's disease"}
    marked = str(highlight(record, terms))
    for word in ("Sjögren syndrome", "hémophilie", "Ménière&#x27;s disease", "dry eye"):
        assert f"<mark>{word}</mark>" in marked


def test_a_pico_table_in_a_markdown_protocol_is_read_by_its_rows(tmp_path):
    """A Markdown table ('| Population | People with haemophilia A |') was read as words of the review
    question, its 'Exclusion' row too, so 'animal studies' ranked the animal studies first, and its
    header's 'Element' and 'Description' were searched for in every record. A row named as a section
    is that section; the header and the rule under it are left out; a table with an exclusion
    column beside the inclusion one is refused with its line."""
    f = tmp_path / "protocol.md"
    f.write_text("Question: What are the pharmacokinetics of emicizumab?\n\n"
                 "| Element | Description |\n|---|:---|\n| Population | People with haemophilia A |\n"
                 "| Intervention | Emicizumab prophylaxis |\n| Exclusion | Animal studies |\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "What are the pharmacokinetics of emicizumab?"
    assert p.inclusion == ["People with haemophilia A", "Emicizumab prophylaxis"]
    assert p.exclusion == ["Animal studies"]
    assert "animal" not in p.query_weights() and "element" not in p.query_weights()
    f.write_text("Question: emicizumab pharmacokinetics\n\n| | Inclusion | Exclusion |\n|---|---|---|\n"
                 "| Population | haemophilia A | animal studies |\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match=r"protocol.md, line 3: .*exclusion.*column"):
        Protocol.load(f)


def test_comparison_and_the_qualitative_frameworks_rows_are_read_as_their_sections(tmp_path):
    """A PICO table's '| Comparison | none |' became the criterion 'Comparison none' (the word
    'comparison' searched for in every record), 'Comparator: placebo' was glued onto the intervention
    above it, and a '## Comparison' or SPIDER's '## Sample' heading was refused. They are inclusion
    sections like Population; a row left empty ('none', 'not applicable') is no criterion."""
    f = tmp_path / "protocol.md"
    f.write_text("# Varenicline for smoking cessation\n\n| PICO | Criteria |\n|---|---|\n"
                 "| Population | adults who smoke |\n| Intervention | varenicline |\n| Comparison | none |\n"
                 "| Outcome | abstinence at six months |\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke", "varenicline", "abstinence at six months"]
    assert "comparison" not in p.query_weights() and "none" not in p.query_weights()
    f.write_text("Population: adults who smoke\nIntervention: varenicline\nComparator: placebo or usual care\n"
                 "Outcomes: abstinence at six months\nExclusion criteria:\n- animal studies\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke", "varenicline", "placebo or usual care", "abstinence at six months"]
    assert p.exclusion == ["animal studies"]
    f.write_text("Question: how is peer work experienced in drug use services?\n\n"
                 "## Sample\npeer workers with lived experience of drug use\n"
                 "## Phenomenon of interest\nexperiences of peer work\n## Design\ninterviews, focus groups\n"
                 "## Evaluation\nviews, experiences\n## Research type\nqualitative or mixed methods\n"
                 "## Context\nnot applicable\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["peer workers with lived experience of drug use", "experiences of peer work",
                           "interviews, focus groups", "views, experiences", "qualitative or mixed methods"]


def test_a_pico_table_by_columns_reads_each_cell_as_its_columns_section(tmp_path):
    """A PICO table with the elements across its header ('| Population | Intervention | Comparison |
    Outcome |') had each row read as one criterion of the section above the table: under an
    exclusion list, 'adults who smoke varenicline placebo ...' became an exclusion criterion and
    pushed the review's own studies down. Each cell is a criterion of its column's section."""
    f = tmp_path / "protocol.md"
    f.write_text("Question: Does varenicline help adults stop smoking?\nExclusion criteria:\n- animal studies\n\n"
                 "| Population | Intervention | Comparison | Outcome |\n|---|---|---|---|\n"
                 "| adults who smoke | varenicline | placebo | abstinence at six months |\n"
                 "| pregnant smokers | | none | |\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.exclusion == ["animal studies"]
    assert p.inclusion == ["adults who smoke", "varenicline", "placebo", "abstinence at six months", "pregnant smokers"]
    f.write_text("| Inclusion | Exclusion |\n|---|---|\n| adults | children |\n| randomised trials | reviews |\n",
                 encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults", "randomised trials"] and p.exclusion == ["children", "reviews"]
    f.write_text("| Population | Outcome |\n|---|---|\n| adults | abstinence | extra |\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match=r"protocol.md, line 3: this row has 3 cells under a header of 2"):
        Protocol.load(f)


def test_match_known_relevant_by_doi_and_title():
    p = Protocol.from_dict({
        "title": "x",
        "known_relevant": ["10.2196/17053", "Peer workers at a supervised injection site: an ethnography",
                           "A title that is nowhere in the records at all", {"doi": "10.1234/none"}],
    })
    df = pd.DataFrame({
        "title": ["Something else", "Peer Workers at a Supervised Injection Site - an ethnography.",
                  "Another", "Almeida: peer work"],
        "doi": [None, None, "10.5/x", "https://doi.org/10.2196/17053"],
    })
    assert match_known_relevant(p, df) == [1, 3]
    found, missing = match_known_relevant_report(p, df)
    assert [m.get("title") or m.get("doi") for m in missing] == ["A title that is nowhere in the records at all", "10.1234/none"]
    # typos in a long title still match; list-of-dicts records work too
    recs = [{"title": "Peer workers at a supervised injecton site: an ethnography", "doi": None}]
    assert match_known_relevant(p, recs) == [0]
    # a DOI that two studies share (a congress supplement): the entry's title says which one
    shared = Protocol.from_dict({"title": "x", "known_relevant": [
        {"doi": "10.1111/add.99999", "title": "Peer workers in needle exchange: a qualitative study"}]})
    recs = [{"title": "Methadone dosing and retention in treatment", "doi": "10.1111/add.99999"},
            {"title": "Peer workers in needle exchange: a qualitative study.", "doi": "10.1111/add.99999"}]
    assert match_known_relevant(shared, recs) == [1]


def test_peer_work_protocol_in_repo():
    p = Protocol.load(REPO / "data" / "peer_work" / "protocol.toml")
    assert {k["doi"] for k in p.known_relevant} == {
        "10.2196/17053", "10.1016/j.jsat.2022.108721", "10.1186/s12954-020-00453-5", "10.1016/j.drugalcdep.2018.05.023"}
    assert p.inclusion and p.exclusion and "harm reduction" in p.key_terms
    s = protocol_scores(p, ["Peer workers' experiences at a supervised consumption site: a qualitative study",
                            "Peer support groups for breast cancer survivors", "Opioid agonist dosing trial"])
    assert np.argmax(s) == 0


@pytest.mark.parametrize("content", ['title = "A systematic review of studies"',
                                     'title = "Systematic review"\ninclusion = ["primary research articles"]',
                                     'key_terms = ["吸烟"]'])
def test_a_protocol_with_no_word_to_match_is_refused_when_given(tmp_path, content):
    """Its match scores every record 0: 'next' showed a 'protocol ranking' that was a random order."""
    from screener.project import Project

    f = tmp_path / "protocol.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ScreenerError, match="no word screener can match") as err:
        Project.init(tmp_path / "review", protocol=f)
    assert str(f) in str(err.value)
    assert not (tmp_path / "review").exists()
    project = Project.init(tmp_path / "other")
    with pytest.raises(ScreenerError, match="no word screener can match"):
        project.set_protocol(f)
    assert project.protocol is None


def test_setting_a_protocol_deletes_no_file_but_the_copy_it_replaces(tmp_path):
    """Every 'protocol.*' in the project folder was deleted before the copy: the team's
    protocol.pdf went, and a new protocol kept there as protocol.v2.toml was deleted before it
    was read, leaving a project whose every command failed on its missing protocol."""
    from screener.project import Project

    d = tmp_path / "review"
    d.mkdir()
    (d / "protocol.pdf").write_bytes(b"%PDF the registered protocol")
    first = tmp_path / "first.yaml"
    first.write_text("title: Peer workers in harm reduction\n", encoding="utf-8")
    project = Project.init(d, protocol=first)
    assert (d / "protocol.pdf").exists() and (d / "protocol.yaml").exists()
    (d / "protocol.v2.toml").write_text('title = "Peer navigators in drug services"\n', encoding="utf-8")
    project.set_protocol(d / "protocol.v2.toml")
    assert project.protocol.title == "Peer navigators in drug services"
    # the copy replaced, protocol.yaml, goes; its text is kept (the protocol screened by until now)
    assert sorted(p.name for p in d.glob("protocol*")) == ["protocol-earlier-1.yaml", "protocol.pdf", "protocol.toml",
                                                            "protocol.v2.toml"]



def test_setting_the_protocol_again_keeps_the_one_it_replaces(tmp_path):
    """'screener protocol DIR amended.toml' put the amended protocol over protocol.toml, the only copy
    of the protocol the team had screened by until then (their draft set from Downloads was gone), with
    nothing said: the text for reporting the amendment (PRISMA 2020 item 24c) was lost. The earlier copy
    is kept now as protocol-earlier-1.toml (then -2 ...), and 'screener protocol' says where."""
    from typer.testing import CliRunner

    from screener.cli import app

    d = tmp_path / "review"
    first = tmp_path / "draft.toml"
    first.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative studies"]\n',
                     encoding="utf-8")
    res = CliRunner().invoke(app, ["init", str(d), "--protocol", str(first)])
    assert res.exit_code == 0, res.output
    first_text = first.read_bytes()
    first.unlink()  # the draft in Downloads, cleared away
    amended = tmp_path / "amended.toml"
    amended.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative or mixed-methods '
                       'studies"]\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["protocol", str(d), str(amended)])
    assert res.exit_code == 0, res.output
    kept = d / "protocol-earlier-1.toml"
    assert kept.read_bytes() == first_text
    assert (d / "protocol.toml").read_bytes() == amended.read_bytes()
    said = " ".join(res.output.replace("\n", "").split())
    assert f"kept as {kept}" in said, res.output
    res = CliRunner().invoke(app, ["protocol", str(d), str(amended)])  # the same again: nothing to keep
    assert res.exit_code == 0 and "kept as" not in res.output
    third = tmp_path / "third.yaml"
    third.write_text("title: Peer navigators in harm reduction\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["protocol", str(d), str(third)])
    assert res.exit_code == 0, res.output
    assert (d / "protocol-earlier-2.toml").read_bytes() == amended.read_bytes()
    assert kept.read_bytes() == first_text and not (d / "protocol.toml").exists()
    assert sorted(p.name for p in d.glob("protocol*")) == ["protocol-earlier-1.toml", "protocol-earlier-2.toml",
                                                            "protocol.yaml"]


def test_a_protocol_not_set_for_a_full_disk_leaves_no_earlier_copy_beside_it(tmp_path, monkeypatch):
    """The disk full as the amended protocol was copied: the protocol stays as it was, and no copy of it
    is left as protocol-earlier-1.toml (a second try would keep it again, as -2)."""
    import errno

    import screener.project as P
    from screener.project import Project

    d = tmp_path / "review"
    first, amended = tmp_path / "draft.toml", tmp_path / "amended.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    amended.write_text('title = "Peer workers and navigators in harm reduction"\n', encoding="utf-8")
    project = Project.init(d, protocol=first)

    def disk_full(src, dst, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(P.shutil, "copyfile", disk_full)
    with pytest.raises(OSError, match="No space left"):
        project.set_protocol(amended)
    assert sorted(p.name for p in d.glob("protocol*")) == ["protocol.toml"]
    assert project.protocol.title == "Peer workers in harm reduction"
    monkeypatch.undo()
    project.set_protocol(amended)
    assert project.earlier_protocol == d / "protocol-earlier-1.toml"
    assert project.earlier_protocol.read_bytes() == first.read_bytes()

def test_a_plain_text_protocol_is_not_copied_over_the_teams_own_file_of_that_name(tmp_path):
    """Plain-text protocols are kept as protocol.txt / protocol.md: a team's own protocol.md in the
    project folder (their document, not screener's copy) is left as it was, and said."""
    from screener.project import Project

    d = tmp_path / "review"
    d.mkdir()
    (d / "protocol.md").write_text("# Our registered protocol\nBackground, methods, analysis.\n", encoding="utf-8")
    criteria = tmp_path / "criteria.md"
    criteria.write_text("Question: peer work in drug use services\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match="protocol.md is already there and is not screener's copy") as err:
        Project.init(d, protocol=criteria)
    assert not (d / "screener.sqlite").exists()
    # the project is not made: 'screener protocol' on it would fail ('not a screener project')
    assert f"screener init {d} --protocol {d / 'protocol.md'} (nothing was created)" in str(err.value)
    project = Project.init(d)
    with pytest.raises(ScreenerError, match="not screener's copy"):
        project.set_protocol(criteria)
    assert (d / "protocol.md").read_text(encoding="utf-8").startswith("# Our registered protocol")
    assert project.protocol is None
    plain = tmp_path / "criteria.txt"
    plain.write_text("Question: peer work in drug use services\n", encoding="utf-8")
    project.set_protocol(plain)
    assert project.protocol.title == "peer work in drug use services"
    plain.write_text("Question: peer navigators in drug use services\n", encoding="utf-8")
    project.set_protocol(plain)  # screener's own copy is replaced
    assert Project.open(d).protocol.title == "peer navigators in drug use services"


def test_a_project_whose_protocol_file_is_gone_says_how_to_set_it_again(tmp_path):
    from screener.project import Project

    f = tmp_path / "p.toml"
    f.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    project = Project.init(tmp_path / "review", protocol=f)
    (tmp_path / "review" / "protocol.toml").unlink()
    with pytest.raises(ScreenerError, match="screener protocol .*review YOUR_PROTOCOL.toml") as err:
        project.protocol
    assert "protocol.toml" in str(err.value)


PLAIN = """Peer work in drug use services

Review question: How do peers experience working in drug use services?

Inclusion criteria:
- Qualitative findings, alone or within a mixed-methods design
- Peer workers with lived experience of drug use,
  employed inside a mainstream service

**Exclusion criteria:**
1. Commentaries and editorials
2) Peer-run organisations

Key terms: harm reduction; peer navigator, naloxone
Known relevant:
10.2196/17053
Peer workers at a supervised injection site, a study
"""


def test_load_plain_text(tmp_path):
    f = tmp_path / "protocol.txt"
    f.write_text(PLAIN, encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "Peer work in drug use services. How do peers experience working in drug use services?"
    assert p.inclusion == ["Qualitative findings, alone or within a mixed-methods design",
                           "Peer workers with lived experience of drug use, employed inside a mainstream service"]
    assert p.exclusion == ["Commentaries and editorials", "Peer-run organisations"]
    assert p.key_terms == ["harm reduction", "peer navigator", "naloxone"]
    assert p.known_relevant == [{"doi": "10.2196/17053", "title": None},
                                {"doi": None, "title": "Peer workers at a supervised injection site, a study"}]
    # the exclusion criteria's words pull records down rather than up: they are not in the query
    assert "editorial" not in " ".join(p.query_weights())


def test_plain_text_markdown_and_registration_headings(tmp_path):
    f = tmp_path / "protocol.md"
    f.write_text("# Peer work review\n\n## Objectives\nTo explore peer work.\n\n## Participants/population\n"
                 "Peer workers who use drugs.\n\n## Types of study to be included\nQualitative studies.\n\n"
                 "## Exclusion criteria\n* Trials\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "Peer work review. To explore peer work."
    assert p.inclusion == ["Peer workers who use drugs.", "Qualitative studies."]
    assert p.exclusion == ["Trials"]


@pytest.mark.parametrize("heading", ["Systematic review protocol", "PROSPERO registration (version 2)",
                                     "Protocol", "Review protocol - draft"])
def test_a_first_heading_that_names_the_document_is_not_the_reviews_title(tmp_path, heading):
    """"# Systematic review protocol" was read as the review's title: its words became the ranking's
    query, weighted as the title is, and put study protocols and other reviews first."""
    f = tmp_path / "protocol.md"
    f.write_text(f"# {heading}\n\nHow do peers experience working in drug use services?\n\n"
                 "## Inclusion criteria\n* Qualitative studies of peer workers\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "How do peers experience working in drug use services?"
    assert not {"protocol", "systematic", "prospero"} & set(" ".join(p.query_weights()).split())
    kept = tmp_path / "kept.md"
    kept.write_text("# Peer work review protocol\n\n## Inclusion criteria\n* Peer workers\n", encoding="utf-8")
    assert Protocol.load(kept).title == "Peer work review protocol"  # it names the topic: kept


def test_plain_text_only_the_question(tmp_path):
    f = tmp_path / "question.txt"
    f.write_text("\ufeffHow do peers experience working in drug use services?\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.title == "How do peers experience working in drug use services?" and p.inclusion == []


@pytest.mark.parametrize("content, message", [
    ("\n  \n", "the protocol file is empty"),
    ("# Review\n## Our team\nWho we are.\n", "line 2: the heading 'Our team' is not one screener reads"),
    ("Exclusion criteria:\n- trials\n", "says nothing about what to include"),
])
def test_plain_text_refused(tmp_path, content, message):
    f = tmp_path / "protocol.txt"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ScreenerError, match=message):
        Protocol.load(f)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_plain_text_protocol_saved_by_windows_editors(tmp_path, encoding):
    """Notepad's "Unicode" is UTF-16 and Word's plain text Windows-1252: both were refused as not UTF-8."""
    f = tmp_path / "protocol.txt"
    f.write_bytes("Question: Peers\u2019 experiences of work in drug use services\n".encode(encoding))
    assert Protocol.load(f).title == "Peers\u2019 experiences of work in drug use services"


def test_a_protocol_that_is_not_text_or_is_a_folder_is_named_as_such(tmp_path):
    """A Word document or binary file saved as protocol.txt was called 'a file that mixes two text
    encodings' with advice to pass --encoding, which 'screener protocol' has not; a folder was
    'protocol file not found'."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "protocol.txt", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ScreenerError, match=r"protocol.txt: this file is a Word document .*not text\. Save the "
                                            r"protocol as plain text") as err:
        Protocol.load(tmp_path / "protocol.txt")
    assert "--encoding" not in str(err.value)
    (tmp_path / "protocol.toml").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ScreenerError, match="protocol.toml: this file is binary data, not text. Save"):
        Protocol.load(tmp_path / "protocol.toml")
    (tmp_path / "protocol.md").mkdir()
    with pytest.raises(ScreenerError, match="protocol.md: this is a folder; give the protocol file itself"):
        Protocol.load(tmp_path / "protocol.md")


def test_protocol_values_of_the_wrong_kind_are_named_in_a_reviewers_words(tmp_path):
    """An empty list item ('- ' in YAML) was refused as 'found NoneType', while an empty text item
    is skipped; a year given as a criterion was 'found int'."""
    (tmp_path / "p.yaml").write_text("title: peer workers\ninclusion:\n  - qualitative studies\n  - \n")
    assert Protocol.load(tmp_path / "p.yaml").inclusion == ["qualitative studies"]
    (tmp_path / "p.yaml").write_text("title: peer workers\ninclusion:\n  - 2020\n")
    with pytest.raises(ScreenerError, match=r"p.yaml: item 1 of 'inclusion' must be text, found a number \(2020\) "
                                            r"\(put it in quotes to make it text\)"):
        Protocol.load(tmp_path / "p.yaml")
    (tmp_path / "p.yaml").write_text("title: peer workers\nexclusion: {a: b}\n")
    with pytest.raises(ScreenerError, match="'exclusion' must be a list of text, found a table of keys"):
        Protocol.load(tmp_path / "p.yaml")


def test_an_element_line_inside_an_exclusion_section_stays_an_exclusion_criterion(tmp_path):
    """'Design: case reports, editorials' and 'Population: people who do not use drugs' under a
    '# Exclusion criteria' heading were read as inclusion criteria (a Design or Population line starts
    an inclusion section), so the records to exclude ranked first. Under a Markdown heading the
    section lasts to the next heading; a deeper heading, an indented line, or element lines straight
    under an empty 'Exclusion criteria:' are part of the exclusion too. 'Key terms:' still starts its own."""
    f = tmp_path / "protocol.md"
    f.write_text("# Inclusion criteria\n- Qualitative studies of peer workers in drug use services\n\n"
                 "# Exclusion criteria\n- Peer-led organisations\n"
                 "Design: case reports, editorials, quantitative surveys\nPopulation: people who do not use drugs\n\n"
                 "# Key terms\nharm reduction\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["Qualitative studies of peer workers in drug use services"]
    assert p.exclusion == ["Peer-led organisations", "case reports, editorials, quantitative surveys",
                           "people who do not use drugs"]
    assert p.key_terms == ["harm reduction"] and p.notes == []
    assert "editorial" not in " ".join(p.query_weights())
    f.write_text("## Inclusion criteria\n### Population\nadults who smoke\n## Exclusion criteria\n### Population\n"
                 "pregnant smokers\n### Study design\nreviews\n## Key terms\nvarenicline\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke"] and p.exclusion == ["pregnant smokers", "reviews"]
    f.write_text("Inclusion criteria:\nPopulation: adults who smoke\nIntervention: varenicline\nExclusion criteria:\n"
                 "Population: pregnant smokers\nDesign: reviews\nKey terms: varenicline\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke", "varenicline"] and p.exclusion == ["pregnant smokers", "reviews"]
    assert p.key_terms == ["varenicline"] and p.notes == []
    f.write_text("Inclusion criteria:\n- adults who smoke\nExclusion criteria:\n- animal studies\n"
                 "  Population: pregnant smokers\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.exclusion == ["animal studies", "pregnant smokers"] and p.notes == []


def test_an_element_line_after_an_exclusion_list_is_named_as_read(tmp_path):
    """After plain 'Exclusion criteria:' items, 'Population: ...' may start the PICO (as in a
    registration) or go on with the exclusions: it is read as before, an inclusion criterion, and
    the protocol's notes say so with its line, which 'screener protocol' prints."""
    f = tmp_path / "protocol.txt"
    f.write_text("Question: Does varenicline help adults stop smoking?\nExclusion criteria:\n- animal studies\n"
                 "Population: adults who smoke\nIntervention: varenicline\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke", "varenicline"] and p.exclusion == ["animal studies"]
    assert len(p.notes) == 2
    assert p.notes[0].startswith("line 4: 'Population: adults who smoke' comes after the exclusion criteria "
                                 "(line 2) and was read as an INCLUSION criterion")
    assert "exclusion criterion" in p.notes[0] and "'- adults who smoke'" in p.notes[0]
    assert p.notes[1].startswith("line 5: 'Intervention: varenicline'")


def test_a_registrations_inclusion_and_exclusion_parts_go_to_their_sections(tmp_path):
    """PROSPERO's 'Participants/population: Inclusion: adults ... Exclusion: children' was one inclusion
    criterion, its exclusion words searched for as what to include; each part is its own section's."""
    f = tmp_path / "protocol.txt"
    f.write_text("Review question: Does varenicline help adults stop smoking?\n"
                 "Participants/population: Inclusion: adults who smoke. Exclusion: pregnant smokers; people\n"
                 "with psychosis.\nIntervention(s), exposure(s): varenicline\n"
                 "Types of study to be included: Inclusion criteria: randomised trials. Exclusion criteria: "
                 "cohort studies\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke.", "varenicline", "randomised trials."]
    assert p.exclusion == ["pregnant smokers; people with psychosis.", "cohort studies"]
    assert p.notes == []
    f.write_text("Participants/population:\nInclusion: adults who smoke\nExclusion: pregnant smokers\n"
                 "Intervention(s), exposure(s): varenicline\n", encoding="utf-8")
    p = Protocol.load(f)
    assert p.inclusion == ["adults who smoke", "varenicline"] and p.exclusion == ["pregnant smokers"]


def test_an_amended_protocol_is_set_on_a_shared_folder_that_refuses_file_times_and_modes(tmp_path, monkeypatch):
    """On a network share (an SMB folder mounted without the owner's id) a file's mode and times cannot be set:
    copying the earlier protocol's time of change onto its kept copy failed with 'Operation not permitted', the
    kept copy was taken away again and the amended protocol was refused whole. The time is a nicety: the text is
    kept and the amended protocol set."""
    import errno

    import screener.project as P
    from screener.project import Project

    d = tmp_path / "review"
    first, amended = tmp_path / "draft.toml", tmp_path / "amended.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    amended.write_text('title = "Peer workers and navigators in harm reduction"\n', encoding="utf-8")
    project = Project.init(d, protocol=first)

    def not_permitted(src, dst, *a, **k):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(dst))

    monkeypatch.setattr(P.shutil, "copystat", not_permitted)
    project.set_protocol(amended)
    assert project.protocol.title == "Peer workers and navigators in harm reduction"
    assert project.earlier_protocol == d / "protocol-earlier-1.toml"
    assert project.earlier_protocol.read_bytes() == first.read_bytes()


def test_a_protocol_set_again_after_it_was_taken_out_replaces_screeners_own_copy(tmp_path):
    """'screener protocol DIR --remove' leaves screener's copy (protocol.toml) in the folder; setting
    a new .toml protocol later was refused as 'not screener's copy of the protocol', though it was.
    It is replaced now, the removed text kept as protocol-earlier-1.toml; a file the team wrote there
    since (other text) is still refused."""
    from screener.project import Project

    d = tmp_path / "review"
    first, second = tmp_path / "draft.toml", tmp_path / "amended.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    second.write_text('title = "Peer workers and navigators in harm reduction"\n', encoding="utf-8")
    project = Project.init(d, protocol=first)
    assert project.remove_protocol() == "protocol.toml"
    assert project.protocol is None
    project.set_protocol(second)
    assert Project.open(d).protocol.title == "Peer workers and navigators in harm reduction"
    assert project.earlier_protocol == d / "protocol-earlier-1.toml"
    assert project.earlier_protocol.read_bytes() == first.read_bytes()
    project.remove_protocol()
    (d / "protocol.toml").write_text('title = "The team\'s own notes"\n', encoding="utf-8")
    with pytest.raises(ScreenerError, match="not screener's copy"):
        project.set_protocol(first)
    assert (d / "protocol.toml").read_text(encoding="utf-8") == 'title = "The team\'s own notes"\n'


def test_a_toml_protocol_taken_out_then_amended_as_yaml_can_be_set_as_toml_again(tmp_path):
    """protocol.toml taken out ('--remove', its copy left in the folder), the amended protocol set as
    a .yaml, then set back as a .toml: refused as 'protocol.toml is already there and is not screener's
    copy of the protocol', though screener had made it and nobody had touched it (setting the .yaml
    forgot it). It is replaced now, the text taken out kept as protocol-earlier-1.toml and the .yaml
    screened by since as protocol-earlier-2.yaml (numbered in the order they were screened by)."""
    from typer.testing import CliRunner

    from screener.cli import app

    d = tmp_path / "review"
    first, amended, final = tmp_path / "draft.toml", tmp_path / "amended.yaml", tmp_path / "final.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    amended.write_text("title: Peer workers and navigators in harm reduction\n", encoding="utf-8")
    final.write_text('title = "Peer workers and navigators in drug use services"\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d), "--protocol", str(first)]).exit_code == 0
    assert runner.invoke(app, ["protocol", str(d), "--remove"]).exit_code == 0
    assert runner.invoke(app, ["protocol", str(d), str(amended)]).exit_code == 0
    result = runner.invoke(app, ["protocol", str(d), str(final)])
    assert result.exit_code == 0, result.output
    from screener.project import Project

    with Project.open(d) as project:
        assert project.protocol.title == "Peer workers and navigators in drug use services"
    assert (d / "protocol-earlier-1.toml").read_bytes() == first.read_bytes()
    assert (d / "protocol-earlier-2.yaml").read_bytes() == amended.read_bytes()
    assert not (d / "protocol.yaml").exists() and not (d / "protocol-earlier-1.yaml").exists()
    # a file the team wrote over the copy taken out is still theirs: refused, left as it is
    assert runner.invoke(app, ["protocol", str(d), "--remove"]).exit_code == 0
    (d / "protocol.toml").write_text('title = "The team\'s own notes"\n', encoding="utf-8")
    assert runner.invoke(app, ["protocol", str(d), str(amended)]).exit_code == 0
    result = runner.invoke(app, ["protocol", str(d), str(first)])
    assert result.exit_code == 1 and "not screener's copy" in result.output
    assert (d / "protocol.toml").read_text(encoding="utf-8") == 'title = "The team\'s own notes"\n'


def test_earlier_protocols_are_numbered_in_the_order_they_were_screened_by_whatever_their_format(tmp_path):
    """A protocol set from a .txt, amended as a .toml, then set from the .txt again kept
    protocol-earlier-1.txt and protocol-earlier-1.toml: two 'first' versions, so the order of the
    amendments (reported in PRISMA 2020 item 24c and on PROSPERO) was lost. The numbers run across
    formats now, in time order: -1 the oldest, then -2, -3."""
    from typer.testing import CliRunner

    from screener.cli import app

    d = tmp_path / "review"
    first, amended, third = tmp_path / "criteria.txt", tmp_path / "amended.toml", tmp_path / "third.txt"
    first.write_text("Question: peer work in drug use services\n", encoding="utf-8")
    amended.write_text('title = "Peer navigators in drug use services"\n', encoding="utf-8")
    third.write_text("Question: peer navigators and peer workers in harm reduction\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d), "--protocol", str(first)]).exit_code == 0
    assert runner.invoke(app, ["protocol", str(d), str(amended)]).exit_code == 0
    res = runner.invoke(app, ["protocol", str(d), str(third)])
    assert res.exit_code == 0, res.output
    assert (d / "protocol-earlier-1.txt").read_bytes() == first.read_bytes()
    assert (d / "protocol-earlier-2.toml").read_bytes() == amended.read_bytes()
    assert f"kept as {d / 'protocol-earlier-2.toml'}" in " ".join(res.output.replace("\n", "").split())
    assert runner.invoke(app, ["protocol", str(d), str(amended)]).exit_code == 0
    assert (d / "protocol-earlier-3.txt").read_bytes() == third.read_bytes()
    assert sorted(p.name for p in d.glob("protocol*")) == ["protocol-earlier-1.txt", "protocol-earlier-2.toml",
                                                            "protocol-earlier-3.txt", "protocol.toml"]


def test_a_review_that_already_kept_two_first_versions_takes_the_next_number_above_all(tmp_path):
    """A review amended before this fix holds protocol-earlier-1.txt and protocol-earlier-1.toml (and
    perhaps a gap: -3.yaml). Those files stay as they are, under their names; the next protocol replaced
    is kept above every number there (-4), never over nor beside an earlier copy."""
    from screener.project import Project

    d = tmp_path / "review"
    first, amended = tmp_path / "draft.toml", tmp_path / "amended.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    amended.write_text('title = "Peer workers and navigators in harm reduction"\n', encoding="utf-8")
    project = Project.init(d, protocol=first)
    before = {"protocol-earlier-1.txt": b"Question: peer work\n", "protocol-earlier-1.toml": b'title = "Peer"\n',
              "protocol-earlier-3.yaml": b"title: Peer navigators\n"}
    for name, text in before.items():
        (d / name).write_bytes(text)
    project.set_protocol(amended)
    assert project.earlier_protocol == d / "protocol-earlier-4.toml"
    assert project.earlier_protocol.read_bytes() == first.read_bytes()
    assert all((d / name).read_bytes() == text for name, text in before.items())
    assert sorted(p.name for p in d.glob("protocol-earlier-*")) == sorted([*before, "protocol-earlier-4.toml"])
    project.close()


def test_setting_the_protocol_of_a_project_naming_another_folders_file_leaves_that_file_alone(tmp_path):
    """A project file copied by hand whose protocol setting names a path (edited, or written by another
    program: '../statins/protocol.toml'): setting the protocol took that file for the copy it replaces,
    kept its text as protocol-earlier-1.toml in the other review's folder and deleted the other review's
    protocol. Only a file of the project folder is ever taken for its copy now."""
    from screener.project import Project

    ours, theirs = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    ours.write_text('title = "Peer support"\ninclusion = ["peer support"]\n', encoding="utf-8")
    theirs.write_text('title = "Statins"\ninclusion = ["statins"]\n', encoding="utf-8")
    Project.init(tmp_path / "statins", protocol=theirs).close()
    project = Project.init(tmp_path / "review")
    project.set_setting("protocol_file", "../statins/protocol.toml")
    project.set_protocol(ours)
    assert sorted(p.name for p in (tmp_path / "statins").iterdir()) == ["protocol.toml", "screener.sqlite"]
    assert (tmp_path / "statins" / "protocol.toml").read_bytes() == theirs.read_bytes()
    assert project.protocol.title == "Peer support"
    assert (tmp_path / "review" / "protocol.toml").read_bytes() == ours.read_bytes()
    project.close()


def test_a_protocol_kept_as_a_link_is_not_replaced_by_a_copy_unsaid(tmp_path):
    """protocol.toml a link to the team's protocol in a shared folder: setting another protocol put a
    plain copy in place of the link, so the review no longer followed the shared file, nothing said.
    The link and the file it points to stay as they are, and the reviewer is told what to do."""
    from screener.errors import ProjectError
    from screener.project import Project

    shared = tmp_path / "team" / "protocol.toml"
    shared.parent.mkdir()
    shared.write_text('title = "Peer support"\ninclusion = ["peer support"]\n', encoding="utf-8")
    d = tmp_path / "review"
    project = Project.init(d, protocol=shared)
    (d / "protocol.toml").unlink()
    (d / "protocol.toml").symlink_to(shared)
    amended = tmp_path / "amended.toml"
    amended.write_text('title = "Peer navigators"\ninclusion = ["peer navigators"]\n', encoding="utf-8")
    with pytest.raises(ProjectError, match="is a link to .*team.*protocol.toml"):
        project.set_protocol(amended)
    assert (d / "protocol.toml").is_symlink()
    assert shared.read_text(encoding="utf-8").startswith('title = "Peer support"')
    assert sorted(p.name for p in d.glob("protocol*")) == ["protocol.toml"]
    project.set_protocol(d / "protocol.toml")  # the shared file itself, through its link: nothing to copy
    assert (d / "protocol.toml").is_symlink() and project.protocol.title == "Peer support"
    project.close()


@pytest.mark.parametrize("heading", ["Exlcusion criteria:", "Exclusions:", "Criteria for exclusion:",
                                     "Studies were excluded if:", "Excluded: trials", "Not included:"])
def test_an_exclusion_heading_screener_does_not_know_is_refused_not_read_as_inclusion(tmp_path, heading):
    """'Exlcusion criteria:' (a typo) or 'Exclusions:' was glued to the inclusion criterion above it,
    and the exclusion criteria under it were read as inclusion ones: what to leave out ranked first."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peers in drug services\nInclusion criteria:\n- adults\n{heading}\n- children\n",
                 encoding="utf-8")
    with pytest.raises(ScreenerError, match=r"protocol.txt, line 4: .*'Exclusion criteria:'") as err:
        Protocol.load(f)
    assert heading.strip() in str(err.value)


@pytest.mark.parametrize("heading, meant", [("Inclusion critera:", "Inclusion criteria:"),
                                            ("Keyterms:", "Key terms:"), ("Known relevent:", "Known relevant:")])
def test_a_mistyped_heading_is_refused_not_read_into_the_question(tmp_path, heading, meant):
    """'Inclusion critera:' (a typo) was no heading: it and its criteria were read as part of the question, and
    'init' said only "Read as 0 inclusion criteria". It is refused with its line and the heading meant."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peers in drug services\n{heading}\n- qualitative findings\nExclusion criteria:\n"
                 "- reviews\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match=r"protocol.txt, line 2: ") as err:
        Protocol.load(f)
    assert heading in str(err.value) and repr(meant) in str(err.value), str(err.value)


@pytest.mark.parametrize("text", ["Inclusion criteria:\n- adults\nExclusion criteria:\n- children\n"
                                  "Excluded designs: reviews\n",
                                  "Inclusion criteria:\n- adults, including those excluded from housing: any age\n",
                                  "Inclusion criteria:\n- adults\nIncluded: trials\n"])
def test_a_line_that_only_mentions_exclusion_in_its_place_is_still_read(tmp_path, text):
    f = tmp_path / "protocol.txt"
    f.write_text(text, encoding="utf-8")
    assert Protocol.load(f).inclusion


@pytest.mark.parametrize(
    "content, words",
    [
        # an unclosed list at the end of the file: tomllib says only 'at end of document'
        ('title = "x"\nkey_terms = ["alpha", "beta",\n  "gamma"\n', ["line 2", "the list", "add ']'"]),
        # an unclosed list followed by more settings: tomllib names the line after it
        ('title = "x"\nkey_terms = ["alpha",\n  "gamma"\ninclusion = ["adults"]\n',
         ["line 2", "the list", "add ']'"]),
        ('title = "x"\nknown_relevant = [{ doi = "10.1/x"\n', ["line 2", "add '}'"]),
        ('title = """x\ninclusion = ["adults"]\n', ["line 1", 'add \'"""\'']),
        ('title = "x\ninclusion = []', ["line 1", "add '\"'"]),
    ],
)
def test_an_unclosed_toml_list_or_text_names_the_line_it_starts_on(tmp_path, content, words):
    """An unclosed list read 'not valid TOML: Unclosed array (at end of document)': the reviewer was left to
    search the whole file. The message names the line where the list (or text) starts and what to add."""
    f = tmp_path / "p.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ScreenerError) as err:
        Protocol.load(f)
    message = str(err.value)
    assert str(f) in message and "end of document" not in message, message
    for w in words:
        assert w in message, message


def test_every_protocol_change_is_logged_with_when_which_file_what_command_and_how_it_changed(tmp_path):
    """The review kept its protocol copies' numbers only (protocol-earlier-1, -2): when each change came, from which
    file, by which command and what it changed could not be told. 'screener protocol DIR --history' lists them, each
    logged with the change itself."""
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.project import Project

    d = tmp_path / "review"
    first = tmp_path / "draft.toml"
    first.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative studies"]\n',
                     encoding="utf-8")
    assert CliRunner().invoke(app, ["init", str(d), "--protocol", str(first)]).exit_code == 0
    amended = tmp_path / "amended.toml"
    amended.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative studies", '
                       '"mixed-methods studies"]\nexclusion = ["opinion pieces"]\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["protocol", str(d), str(amended)])
    assert r.exit_code == 0 and f"'screener protocol {d} --history' lists every change" in " ".join(r.output.split())
    assert CliRunner().invoke(app, ["protocol", str(d), "--remove"]).exit_code == 0
    with Project.open(d) as p:
        log = p.protocol_changes()
    assert [(c["change"], c["file"], c["from"], c["by"]) for c in log] == [
        ("set", "protocol.toml", "draft.toml", "screener init --protocol"),
        ("replaced", "protocol.toml", "amended.toml", "screener protocol"),
        ("removed", "protocol.toml", None, "screener protocol --remove")]
    assert (log[1]["lines"], log[1]["lines_before"], log[1]["added"], log[1]["removed"]) == (3, 2, 2, 1)
    assert log[1]["kept_as"] == "protocol-earlier-1.toml" and all(c["at"].endswith("Z") for c in log)
    r = CliRunner().invoke(app, ["protocol", str(d), "--history"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "3 protocol changes" in said
    assert said.index("set from draft.toml") < said.index("replaced from amended.toml") < said.index("removed")
    assert "3 lines (was 2): 2 added, 1 removed" in said and "earlier text kept as protocol-earlier-1.toml" in said
    assert "by 'screener protocol --remove'" in said


def test_a_protocol_change_that_fails_is_not_logged(tmp_path, monkeypatch):
    """The log is written with the change: a protocol not set (the project file refused the write) logs nothing."""
    from screener.project import Project

    d = tmp_path / "review"
    first, amended = tmp_path / "draft.toml", tmp_path / "amended.toml"
    first.write_text('title = "Peer workers in harm reduction"\n', encoding="utf-8")
    amended.write_text('title = "Peer workers and navigators in harm reduction"\n', encoding="utf-8")
    project = Project.init(d, protocol=first)
    real = project.store.set_setting

    def refused(key, value):
        if key == "protocol_file":
            raise OSError("disk I/O error")
        real(key, value)

    monkeypatch.setattr(project.store, "set_setting", refused)
    with pytest.raises(OSError):
        project.set_protocol(amended)
    monkeypatch.undo()
    assert [c["change"] for c in project.protocol_changes()] == ["set"]
    project.close()


def test_setting_the_same_protocol_again_says_nothing_changed_as_the_history_does(tmp_path):
    """'screener protocol DIR FILE' run again with the same text said 'Protocol set from FILE.', as for a new text,
    while --history logged 'set again ... the same text': the reviewer could not tell whether an amendment was made."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    d = tmp_path / "review"
    f = tmp_path / "protocol.toml"
    f.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative studies"]\n', encoding="utf-8")
    assert runner.invoke(app, ["init", str(d), "--protocol", str(f)]).exit_code == 0
    r = runner.invoke(app, ["protocol", str(d), str(f)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert f"Protocol set again from {f}: the same text as the protocol in force, so nothing changed." in said, said
    f.write_text('title = "Peer workers in harm reduction"\ninclusion = ["qualitative interviews"]\n',
                 encoding="utf-8")
    said = " ".join(runner.invoke(app, ["protocol", str(d), str(f)]).output.split())
    assert f"Protocol set from {f}." in said and "nothing changed" not in said, said


@pytest.mark.parametrize("text", ["Question: peers\nInclusion criteria:\n- adults\nExlcusion criteria:\n- children\n",
                                  "# Peer work\n## Inclusion criteria\n- adults\n## Exclusions\n- children\n"])
def test_a_refused_heading_ends_with_what_to_do_once_it_is_put_right(tmp_path, text):
    """'Exlcusion criteria:' ended "... then set the protocol again" and an unknown Markdown heading "... or delete
    the heading", each with no full stop, and the first with no word of how to set it ('init --protocol' or
    'protocol'): both now end by saying to run the same command again."""
    f = tmp_path / "protocol.md"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ScreenerError) as err:
        Protocol.load(f)
    assert str(err.value).endswith(", then run the same command again."), str(err.value)


@pytest.mark.parametrize("heading", ["Populations:", "Inclusions:", "Main outcomes:", "Intervention(s):",
                                     "Exposure(s):", "Study design(s):", "Comparators/control:", "Evaluations:",
                                     "Settings:", "Interventions/exposures:"])
def test_a_known_heading_in_the_plural_is_read_as_that_heading_not_refused(tmp_path, heading):
    """'Populations:' or 'Intervention(s):' (a PROSPERO-style heading) came within one letter of a heading screener
    reads and was refused as a typo; an existing project with it in its protocol no longer opened. It is read as the
    heading it names: its criteria are inclusion criteria of their own."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peers in drug services\nInclusion criteria:\n- adults\n{heading}\n- qualitative findings\n"
                 "Exclusion criteria:\n- reviews\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["adults", "qualitative findings"] and proto.exclusion == ["reviews"], proto.inclusion


@pytest.mark.parametrize("heading", ["Population:", "Populations:", "Study design(s):"])
def test_an_element_heading_in_the_plural_under_exclusion_criteria_says_who_is_excluded(tmp_path, heading):
    """'Populations: children' under 'Exclusion criteria:' is who is excluded, as 'Population: children' is; read as
    an inclusion heading, the children (and every exclusion under it) would have been ranked first."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: exercise\nInclusion criteria:\n- adults\nExclusion criteria:\n{heading} children\n"
                 "- reviews\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["adults"] and proto.exclusion == ["children", "reviews"], (proto.inclusion,
                                                                                          proto.exclusion)


@pytest.mark.parametrize("heading", ["Types of participants:", "Types of interventions:", "Types of outcome measures:",
                                     "Outcome measures:", "Primary outcomes:", "Secondary outcome(s):",
                                     "Types of studies:", "Criteria for considering studies for this review:",
                                     "Selection criteria:", "Timing:"])
def test_a_cochrane_handbook_heading_is_read_as_its_section_not_joined_to_the_criterion_above(tmp_path, heading):
    """'Types of participants:' or 'Outcome measures:' (the Cochrane Handbook's headings) was no heading: the line
    was glued onto the criterion above it ('adults Types of participants:'), its words searched for in every record.
    Each is read as an inclusion section of its own."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: exercise for low back pain\nInclusion criteria:\n- adults\n{heading}\n- chronic pain\n"
                 "Exclusion criteria:\n- reviews\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["adults", "chronic pain"] and proto.exclusion == ["reviews"], proto.inclusion
    f.write_text(f"# Exercise for low back pain\n\n## {heading.rstrip(':')}\nchronic pain\n", encoding="utf-8")
    assert Protocol.load(f).inclusion == ["chronic pain"]


@pytest.mark.parametrize("heading", ["Data extraction:", "Data synthesis:", "Search strategy:", "Quality assessment:",
                                     "Risk of bias:", "Study selection:", "Background:", "Data analyses:",
                                     "Risk of bias (quality) assessment:", "**Search methods for identification of "
                                     "studies:**"])
def test_a_methods_or_background_section_is_left_out_with_a_word_not_joined_to_a_criterion(tmp_path, heading):
    """'Data extraction:', 'Search strategy:' or 'Background:' was no heading: the line and the text under it were
    glued onto the criterion above, so 'two reviewers', 'MEDLINE' and 'Embase' were searched for in every record as
    what to include. How the review is run (or why) says nothing of which records to include: the section is left
    out of the criteria and the question, and the protocol names it (its line and how many lines it held)."""
    name = heading.strip("*").rstrip(":")
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: exercise for low back pain\nInclusion criteria:\n- adults\n{heading}\n"
                 "- MEDLINE and Embase, two reviewers\n- GRADE\nExclusion criteria:\n- reviews\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["adults"] and proto.exclusion == ["reviews"], proto.inclusion
    assert proto.title == "exercise for low back pain"
    assert proto.left_out == [f"'{name}' (line 4, 2 lines)"], proto.left_out
    f.write_text(f"Question: exercise for low back pain\n{heading} MEDLINE and Embase\n\nInclusion criteria:\n"
                 "- adults\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.title == "exercise for low back pain" and proto.inclusion == ["adults"], proto.title
    assert proto.left_out == [f"'{name}' (line 2, 1 line)"], proto.left_out


def test_a_methods_heading_in_markdown_or_a_table_is_left_out_not_refused_nor_the_title(tmp_path):
    """'## Data extraction' was refused as a heading screener does not read (a Cochrane-style protocol could not be
    given as it is), and a first '# Background' was taken as the review's title, its word searched for as the
    title's. Both are left out with a word, as a table's '| Risk of bias | ... |' row is."""
    f = tmp_path / "protocol.md"
    f.write_text("# Background\nLow back pain is common.\n\n## Objectives\nTo assess exercise for low back pain.\n\n"
                 "## Types of participants\nAdults with chronic pain.\n\n## Search methods\nMEDLINE, Embase.\n\n"
                 "## Data extraction\nTwo reviewers.\n\n| Element | Description |\n|---|---|\n"
                 "| Intervention | exercise therapy |\n| Risk of bias | RoB 2 |\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.title == "To assess exercise for low back pain."
    assert proto.inclusion == ["Adults with chronic pain.", "exercise therapy"], proto.inclusion
    assert proto.left_out == ["'Background' (line 1, 1 line)", "'Search methods' (line 10, 1 line)",
                              "'Data extraction' (line 13, 1 line)", "'Risk of bias' (line 19, 1 line)"]
    f.write_text("## Search strategy\nMEDLINE, Embase\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match=r"protocol.md: .*only .*'Search strategy' \(line 1, 1 line\)"):
        Protocol.load(f)


@pytest.mark.parametrize("heading", ["Preferences:", "Searchers:"])
def test_a_criterion_named_a_letter_off_a_methods_heading_is_still_read(tmp_path, heading):
    """One word a letter off 'References' or 'Searches' is another word, a criterion's name: it is read, not
    left out as a section on how the review is run."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: fertility care\nInclusion criteria:\n- couples\n\n{heading} any\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["couples", f"{heading} any"] and proto.left_out == [], proto.inclusion


@pytest.mark.parametrize("label, words", [("Methods:", "qualitative or mixed methods studies"),
                                          ("**Methods:**", "qualitative or mixed methods studies"),
                                          ("Study methods:", "qualitative studies"),
                                          ("Methodology:", "qualitative studies"), ("Design:", "qualitative studies"),
                                          ("Research methods:", "qualitative studies"),
                                          ("Timeline:", "published since 2000")])
def test_a_methods_or_timeline_line_with_its_words_inside_the_criteria_is_a_criterion_not_left_out(tmp_path, label,
                                                                                                   words):
    """'Methods: qualitative or mixed methods studies' inside the inclusion criteria names the study design the
    review includes (as 'Study design:' does), 'Timeline: published since 2000' its timing: both were left out as a
    section on how the review is run, and the review's design went unsearched. Inside the criteria, with its words
    on its line, such a line is an inclusion criterion; with none it still opens a section left out."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peer work in drug use services\nInclusion criteria:\n- peer workers\n{label} {words}\n"
                 "Exclusion criteria:\n- editorials\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["peer workers", words] and proto.exclusion == ["editorials"], proto.inclusion
    assert proto.left_out == [], proto.left_out
    f.write_text(f"Question: peer work in drug use services\nInclusion criteria:\n- peer workers\n{label}\n"
                 "- two reviewers will screen\n", encoding="utf-8")
    proto = Protocol.load(f)
    if label == "Design:":  # SPIDER's Design is a section of what to include
        assert proto.inclusion == ["peer workers", "two reviewers will screen"], proto.inclusion
    else:
        assert proto.inclusion == ["peer workers"] and len(proto.left_out) == 1, (proto.inclusion, proto.left_out)


@pytest.mark.parametrize("text", [
    "Question: peer work\nMethods: we will search MEDLINE\n\nInclusion criteria:\n- peer workers\n",
    "# Peer work\n\n## Methods\nWe will search MEDLINE\n\n## Inclusion criteria\n- peer workers\n",
    "# Peer work\n\n## Methods\n\n### Eligibility criteria\n- peer workers\n\n### Search methods\nMEDLINE\n",
    "Question: peer work\nMethods:\nEligibility criteria:\n- peer workers\nSearch strategy: MEDLINE\n",
    "Question: peer work\nInclusion criteria:\n- peer workers\n\n## Methods\nMethods: we will search MEDLINE\n",
    "Question: peer work\nInclusion criteria:\n- peer workers\nMethods:\nwe will search MEDLINE\n"])
def test_methods_as_a_container_of_the_review_s_running_is_still_left_out(tmp_path, text):
    """A 'Methods' heading, or a 'Methods:' line outside the criteria or with nothing after it, holds how the review
    is run: its text stays out of the criteria, and criteria headed under it are read."""
    f = tmp_path / "protocol.md"
    f.write_text(text, encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["peer workers"], proto.inclusion
    assert "MEDLINE" not in proto.text() + " ".join(proto.exclusion), proto.text()


def test_a_review_whose_stored_protocol_is_all_background_still_opens_and_ranks_as_before(tmp_path):
    """A plain-text protocol of a 'Background:' paragraph alone was read as the review question when the review was
    set up; once such sections were left out, its review's every ranking stopped ('holds only sections that say how
    the review is run'). The review's own protocol is read as it was; a new one is still refused."""
    from screener.project import Project

    text = ("Background: peer workers with lived experience of drug use in harm reduction services.\n"
            "We ask how peers experience this work.\n")
    d = tmp_path / "review"
    project = Project.init(d, protocol=_write(tmp_path / "first.txt", "Question: peer work in harm reduction\n"))
    (d / "protocol.txt").write_text(text, encoding="utf-8")  # as an earlier screener kept it
    assert project.protocol.title == ("Background: peer workers with lived experience of drug use in harm reduction "
                                      "services. We ask how peers experience this work."), project.protocol.title
    assert project.protocol.left_out == [] and project.protocol.inclusion == []
    with pytest.raises(ScreenerError, match="holds only sections"):
        project.set_protocol(_write(tmp_path / "again.txt", text))
    with pytest.raises(ScreenerError, match="holds only sections"):
        Project.init(tmp_path / "new", protocol=tmp_path / "again.txt")
    (d / "protocol.txt").write_text(text + "Exclusion criteria:\n- editorials\n", encoding="utf-8")
    assert project.protocol.title.startswith("Background: peer workers") and project.protocol.exclusion == [
        "editorials"], project.protocol


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("heading", ["Summary of findings and assessment of the certainty of the evidence",
                                     "Contributions of authors", "Sources of support", "Appendices"])
def test_a_cochrane_protocol_s_closing_sections_are_left_out_not_refused(tmp_path, heading):
    """A Cochrane protocol, given as it is, was refused at its template's 'Summary of findings and assessment of
    the certainty of the evidence' or 'Contributions of authors' heading ('not one screener reads'), though its
    other methods sections were left out: they say how the review is run or who runs it, and are left out too."""
    f = tmp_path / "protocol.md"
    f.write_text("# Exercise for low back pain\n\n## Methods\n### Types of participants\nAdults with chronic pain.\n"
                 f"### {heading}\nGRADE; two authors.\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["Adults with chronic pain."], proto.inclusion
    assert proto.left_out == ["'Methods' (line 3, 0 lines)", f"'{heading}' (line 6, 1 line)"], proto.left_out


@pytest.mark.parametrize("label", ["Data collection:", "**Data collection:**", "Data collection methods:",
                                   "Data collection method:"])
def test_a_data_collection_line_with_its_words_inside_the_criteria_is_a_criterion_not_left_out(tmp_path, label):
    """'Data collection: interviews or focus groups' inside the criteria of a qualitative review names the studies it
    includes, as 'Methods: qualitative studies' does: it was left out as how the review is run, and the review's
    design went unsearched. With no words after it, or outside the criteria, it still opens a section left out."""
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peer work in drug use services\nInclusion criteria:\n- peer workers\n{label} interviews or "
                 "focus groups\nExclusion criteria:\n- editorials\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["peer workers", "interviews or focus groups"], proto.inclusion
    assert proto.exclusion == ["editorials"] and proto.left_out == [], (proto.exclusion, proto.left_out)
    for text in (f"Question: peer work\nInclusion criteria:\n- peer workers\n{label}\n- two reviewers will extract\n",
                 f"Question: peer work\n{label} two reviewers will extract\n\nInclusion criteria:\n- peer workers\n"):
        f.write_text(text, encoding="utf-8")
        proto = Protocol.load(f)
        assert proto.inclusion == ["peer workers"] and len(proto.left_out) == 1, (proto.inclusion, proto.left_out)
        assert "reviewers" not in proto.text(), proto.text()


@pytest.mark.parametrize("label, words", [("Language:", "English only"), ("**Language:**", "English only"),
                                          ("Languages:", "English or French"), ("Country:", "UK"),
                                          ("Countries:", "high-income countries"),
                                          ("Language of publication:", "English")])
def test_a_language_or_country_line_inside_the_criteria_is_a_criterion_of_its_own(tmp_path, label, words):
    """PROSPERO's 'Language: English only' or 'Country: UK' inside the criteria says which records to include: it was
    joined to the criterion above ('peer workers Language: English only'), the two read as one."""
    name = label.strip("*").rstrip(":")
    f = tmp_path / "protocol.txt"
    f.write_text(f"Question: peer work\nInclusion criteria:\n- peer workers\n{label} {words}\nExclusion criteria:\n"
                 f"- editorials\n{label} not {words}\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["peer workers", f"{name}: {words}"], proto.inclusion
    assert proto.exclusion == ["editorials", f"{name}: not {words}"] and proto.left_out == [], proto.exclusion
    f.write_text(f"Question: peer work\nInclusion criteria:\npeer workers in drug services\n{label} {words}\n",
                 encoding="utf-8")
    assert Protocol.load(f).inclusion == ["peer workers in drug services", f"{name}: {words}"]


def test_a_registration_s_language_and_country_after_its_left_out_fields_stay_left_out(tmp_path):
    """Below 'Type and method of review', PROSPERO's Language and Country are the review's own, not criteria."""
    f = tmp_path / "protocol.txt"
    f.write_text("Question: peer work\nInclusion criteria:\n- peer workers\nType and method of review: systematic "
                 "review\nLanguage: English\nCountry: England\n", encoding="utf-8")
    proto = Protocol.load(f)
    assert proto.inclusion == ["peer workers"] and len(proto.left_out) == 1, (proto.inclusion, proto.left_out)
