"""Volume, issue and pages from a stored record's ``raw`` fields, for projects imported before
screener kept them (the schema-3 upgrade fills them in place)."""

from __future__ import annotations

from screener.io.common import first, make_record
from screener.io.detect import TABLE_FORMATS


def details_from_raw(fmt: str | None, raw: dict) -> dict:
    """``{"volume", "issue", "pages", "start_page"}`` as the reader of ``fmt`` would give them."""
    raw = raw if isinstance(raw, dict) else {}
    got = lambda *keys: first(*(raw.get(k) for k in keys))  # noqa: E731
    if fmt == "ris":
        values = dict(volume=got("VL"), issue=got("IS", "CP"), pages=got("SP"), end_page=got("EP"))
    elif fmt == "medline":
        values = dict(volume=got("VI"), issue=got("IP"), pages=got("PG"))
    elif fmt == "endnote_xml":
        values = dict(volume=got("volume"), issue=got("number", "issue"), pages=got("pages"))
    elif fmt in TABLE_FORMATS:
        from screener.io.tabular import ALIASES, _norm

        by_name: dict[str, object] = {}
        for key, value in raw.items():
            by_name.setdefault(_norm(key), value)
        values = {}
        for field in ("volume", "issue", "pages", "start_page", "end_page"):
            values[field] = next((by_name[a] for a in ALIASES[field] if first(by_name.get(a))), None)
    else:
        return {"volume": None, "issue": None, "pages": None, "start_page": None}
    rec = make_record(**values)
    return {k: rec[k] for k in ("volume", "issue", "pages", "start_page")}


def ris_original(fmt: str | None, raw) -> dict:
    """A record's ``raw`` under RIS's tags, which the RIS export copies the ISSN, publisher, place and language
    from: an RIS record's as it is; EBSCOhost's and EndNote's tagged text under the RIS tags their readers read
    them as (their own tags, 'PU- ' or '%I', were copied by none). Other formats' as they are."""
    raw = raw if isinstance(raw, dict) else {}
    if fmt == "ebsco_text":
        from screener.io.ebsco import ris_tags
    elif fmt == "endnote_tagged":
        from screener.io.endnote_tagged import ris_tags
    else:
        return raw
    tags = {k: v[0] if len(v) == 1 else v for k, v in ris_tags(raw).items()}
    tags["TY"] = first(tags.get("TY")) or "JOUR"  # what the export writes for a record of no type
    return tags
