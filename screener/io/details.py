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
