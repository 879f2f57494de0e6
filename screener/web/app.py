"""``screener serve``: the screening page, records list, dashboard and conflicts, in a browser.

Server-rendered pages with a little plain JavaScript on the screening page (the next record
arrives as JSON and replaces the old one, so the page never reloads between decisions). Every
change is a new entry in the project's decision log, as in the CLI.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import math
import os
import re
import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from ..errors import DatabaseUnavailable, ScreenerError
from ..project import Project
from . import dashboard as dash
from .agreement import agreement_table, interpret_kappa
from .engine import STAGE, WebScreener
from .highlight import highlight, term_regex
from .security import (
    ACCESS_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    clean_reviewer,
    host_name,
    is_loopback,
    safe_next,
    tokens_equal,
)

log = logging.getLogger(__name__)

REVIEWER_COOKIE = "screener_reviewer"
DECISIONS = ("include", "exclude", "maybe")
PAGE_SIZE = 50
KEYS = [("i", "Include"), ("e", "Exclude"), ("m", "Maybe"), ("u", "Undo the last decision"),
        ("n", "Write a note (saved with the next decision)"), ("Esc", "Leave the note field")]


def create_app(project: Project | str | Path, *, host: str = "127.0.0.1", access_token: str | None = None,
               engine: WebScreener | None = None, session_options: dict | None = None,
               start: bool = True, secret_key: bytes | None = None, behind_proxy: bool = False) -> Flask:
    """The Flask app for one project.

    ``host``: the address the server listens on; anything but loopback needs ``access_token``.
    ``engine``: a ready ``WebScreener`` (tests); otherwise one is made and started here.
    ``secret_key``: signs the session cookie; several worker processes of one server share it.
    ``behind_proxy``: requests come through an HTTPS reverse proxy on this machine, which is
    reachable from elsewhere: the access token is required and the proxy's X-Forwarded-* trusted.
    """
    if not isinstance(project, Project):
        project = Project.open(project)
    loopback = is_loopback(host) and not behind_proxy
    if not loopback and not access_token:
        raise ScreenerError(f"serving on {host} (reachable from other machines) needs an access token.")
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.secret_key = secret_key or secrets.token_bytes(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      # one cookie per project: two projects served on one machine do not log each other out
                      SESSION_COOKIE_NAME="screener_session_" + hashlib.sha1(
                          str(project.dir.resolve()).encode()).hexdigest()[:10], MAX_CONTENT_LENGTH=1 << 20,
                      SEND_FILE_MAX_AGE_DEFAULT=0)
    app.jinja_env.autoescape = True
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
        app.config["SESSION_COOKIE_SECURE"] = True
    eng = engine or WebScreener(project, session_options=session_options)
    if start:
        eng.start()
    app.extensions["screener"] = eng
    app.config["SCREENER_PROJECT"] = project
    app.config["SCREENER_LOOPBACK"] = loopback
    app.config["SCREENER_TOKEN"] = access_token

    # -- guards ---------------------------------------------------------------------------------
    @app.before_request
    def guards():
        g.t0 = time.perf_counter()
        if loopback and not is_loopback(host_name(request.host)):
            # DNS rebinding: another site's name pointing at this machine
            return _deny(400, "This address is not allowed. Open the app at the address 'screener serve' printed.")
        if not loopback:
            given = request.args.get("token")
            if tokens_equal(given, access_token):
                args = {k: v for k, v in request.args.items(multi=False) if k != "token"}
                target = request.path + ("?" + urlencode(args) if args else "")
                resp = redirect(target)
                resp.set_cookie(ACCESS_COOKIE, access_token, httponly=True, samesite="Lax")
                return resp
            if not tokens_equal(request.cookies.get(ACCESS_COOKIE), access_token):
                return _deny(403, "This screener needs its access token. Open the full address that "
                             "'screener serve' printed (it ends in ?token=...).")
        if CSRF_FIELD not in session:
            session[CSRF_FIELD] = secrets.token_urlsafe(32)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
            if not tokens_equal(given, session.get(CSRF_FIELD)):
                return _deny(400, "This page has expired (its security token does not match). "
                             "Reload the page and try again.")
        g.reviewer = clean_reviewer(request.cookies.get(REVIEWER_COOKIE))
        if g.reviewer is None and request.endpoint not in ("reviewer", "static"):
            if request.path.startswith("/api/"):
                return jsonify(error="Tell the app who you are first: open /reviewer."), 401
            return redirect(url_for("reviewer", next=request.full_path.rstrip("?")))
        return None

    @app.after_request
    def headers(resp: Response):
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers.setdefault("Cache-Control", "no-store")
        if "t0" in g:  # the server's share of a request, for the browser's timing (bench_web.py)
            timing = f"app;dur={1000 * (time.perf_counter() - g.t0):.1f}"
            if "save_ms" in g:
                timing += f", save;dur={g.save_ms:.1f}"
            resp.headers["Server-Timing"] = timing
        return resp

    @app.errorhandler(ScreenerError)
    def screener_error(exc):
        return _deny(400, str(exc))

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(exc):
        # the database is restarting or unreachable: nothing was half-written; the page sends it again
        log.warning("%s: %s", request.path, exc)
        resp = _deny(503, "The review database is not answering right now (restarting?). Nothing was lost; "
                     "your last action is sent again in a moment.")
        resp.headers["Retry-After"] = "2"
        return resp

    @app.errorhandler(404)
    def not_found(exc):
        return _deny(404, "There is no such page or record here.")

    @app.errorhandler(500)
    def server_error(exc):
        log.exception("error in %s", request.path)
        return _deny(500, "Something went wrong on this page (the details are in the terminal running "
                     "'screener serve'). Every decision saved so far is kept.")

    @app.context_processor
    def common():
        return {"csrf_token": session.get(CSRF_FIELD, ""), "reviewer": getattr(g, "reviewer", None),
                "dual": eng.dual, "project_name": project.dir.name, "keys": KEYS}

    # -- reviewer name --------------------------------------------------------------------------
    @app.route("/reviewer", methods=["GET", "POST"])
    def reviewer():
        nxt = safe_next(request.values.get("next"), "/screen")
        error = None
        if request.method == "POST":
            name = clean_reviewer(request.form.get("name"))
            if name:
                resp = redirect(nxt)
                resp.set_cookie(REVIEWER_COOKIE, name, max_age=3600 * 24 * 365, httponly=True, samesite="Lax")
                return resp
            error = "Type your name (up to 60 characters; not 'imported' or 'resolver')."
        return render_template("reviewer.html", next=nxt, error=error, current=getattr(g, "reviewer", None))

    # -- screening ------------------------------------------------------------------------------
    @app.get("/")
    def index():
        return redirect(url_for("screen"))

    @app.get("/screen")
    def screen():
        rid = eng.next_record_id(g.reviewer) if eng.ready else None
        rec = _payload(eng, rid) if rid is not None else None
        return render_template("screen.html", rec=rec, counts=eng.counts(g.reviewer), status=eng.status(),
                               done=eng.ready and rid is None)

    @app.get("/api/next")
    def api_next():
        return jsonify(_next_json(eng, g.reviewer))

    @app.get("/api/status")
    def api_status():
        return jsonify({**eng.status(), "counts": eng.counts(g.reviewer), "worker": os.getpid()})

    @app.post("/api/decide")
    def api_decide():
        data = request.get_json(silent=True) or {}
        decision = data.get("decision")
        if decision not in DECISIONS:
            return jsonify(error="decision must be include, exclude or maybe"), 400
        try:
            rid = int(data.get("record_id"))
        except (TypeError, ValueError):
            return jsonify(error="record_id missing"), 400
        if rid not in eng.records().index:
            return jsonify(error=f"no record with id {rid} in this project"), 404
        note = (data.get("note") or "").strip()[:2000] or None
        # the page's key for this keypress: sent again after a lost answer, it is logged once
        key = data.get("request_id")
        request_id = f"web:{g.reviewer}:{key}" if isinstance(key, str) and _REQUEST_ID.match(key) else None
        t = time.perf_counter()
        eng.decide(rid, decision, g.reviewer, note=note, request_id=request_id)
        g.save_ms = 1000 * (time.perf_counter() - t)
        return jsonify({"saved": {"record_id": rid, "decision": decision}, **_next_json(eng, g.reviewer)})

    @app.post("/api/undo")
    def api_undo():
        rid = eng.undo(g.reviewer)
        if rid is None:
            return jsonify({"undone": None, "message": "Nothing to undo.", **_next_json(eng, g.reviewer)})
        return jsonify({"undone": rid, **_next_json(eng, g.reviewer)})

    # -- records --------------------------------------------------------------------------------
    @app.get("/records")
    def records():
        q = (request.args.get("q") or "").strip()
        want = request.args.get("decision") or ""
        source = request.args.get("source") or ""
        group = (request.args.get("group") or "").strip()
        page = max(1, _int(request.args.get("page"), 1))
        df = project.records_frame(primary_only=False)
        primary = df[df["is_primary"]].reset_index().set_index("group_id")["record_id"]
        df["study"] = df["group_id"].map(primary).fillna(pd.Series(df.index, index=df.index)).astype(int)
        df["copies"] = df.groupby("group_id")["title"].transform("size")
        mine = eng.own_decisions(g.reviewer)
        df["decision"] = [mine.get(int(s), "") for s in df["study"]]
        sources = sorted(str(s) for s in df["source_db"].dropna().unique())
        if q:
            text = (df["title"].fillna("") + " " + df["abstract"].fillna("")).str.lower()
            for word in q.lower().split():
                df = df[text.loc[df.index].str.contains(word, regex=False)]
        if want in DECISIONS:
            df = df[df["decision"] == want]
        elif want == "unscreened":
            df = df[df["decision"] == ""]
        if source:
            df = df[df["source_db"].astype(str) == source]
        if group == "duplicates":
            df = df[df["copies"] > 1]
        elif group:
            gid = _int(group, None)
            df = df[df["group_id"] == gid] if gid is not None else df.iloc[0:0]
        n = len(df)
        pages = max(1, math.ceil(n / PAGE_SIZE))
        page = min(page, pages)
        rows = df.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        args = {k: v for k, v in (("q", q), ("decision", want), ("source", source), ("group", group)) if v}
        here = url_for("records", **args, page=page)
        return render_template("records.html", rows=[_row(r) for r in rows.reset_index().to_dict("records")],
                               n=n, page=page, pages=pages, q=q, want=want, source=source, group=group,
                               sources=sources, args=args, here=here)

    @app.get("/records/<int:rid>")
    def record_detail(rid: int):
        full = project.records_frame(primary_only=False)
        if rid not in full.index:
            abort(404)
        row = full.loc[rid]
        group = full[full["group_id"] == row["group_id"]]
        study = int(group.index[group["is_primary"]][0]) if group["is_primary"].any() else rid
        history = project.decision_log()
        history = history[history["record_id"].isin(group.index) & (history["stage"] == STAGE)]
        if eng.dual:
            history = history[history["reviewer"] == g.reviewer]
        rec = {"record_id": rid, **{k: _plain(row.get(k)) for k in (
            "title", "abstract", "authors", "year", "journal", "doi", "pmid", "source_db", "keywords", "type")}}
        rx = _terms_rx(eng, study)
        rec["title_html"] = highlight(rec["title"], rx)
        rec["abstract_html"] = highlight(rec["abstract"], rx)
        rec["doi_url"] = _doi_url(rec["doi"])
        return render_template("record.html", rec=rec, study=study, copies=[_row(r) for r in
                               group.reset_index().to_dict("records")],
                               decision=eng.own_decisions(g.reviewer).get(study, ""),
                               history=[{k: _plain(v) for k, v in h.items()} for h in history.to_dict("records")],
                               back=safe_next(request.args.get("back"), "/records"))

    @app.post("/records/<int:rid>/decision")
    def record_decide(rid: int):
        full = project.records_frame(primary_only=False)
        if rid not in full.index:
            abort(404)
        decision = request.form.get("decision")
        note = (request.form.get("note") or "").strip()[:2000] or None
        group_id = full.loc[rid, "group_id"]
        grp = full[(full["group_id"] == group_id) & full["is_primary"]]
        study = int(grp.index[0]) if len(grp) else rid
        if decision in DECISIONS:
            eng.decide(study, decision, g.reviewer, note=note)
        elif decision == "retract":
            eng.undo(g.reviewer, study)
        else:
            return _deny(400, "Choose include, exclude or maybe.")
        return redirect(safe_next(request.form.get("next"), url_for("record_detail", rid=rid)))

    # -- dashboard and exports ---------------------------------------------------------------------
    @app.get("/dashboard")
    def dashboard():
        ctx = dash.dashboard_context(project, eng, g.reviewer)
        png = dash.discovery_png(project, eng, ctx["stopping"])
        ctx["curve_uri"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None
        return render_template("dashboard.html", **ctx)

    @app.get("/dashboard/discovery.png")
    def discovery_png():
        png = dash.discovery_png(project, eng)
        if png is None:
            abort(404)
        return Response(png, mimetype="image/png")

    @app.get("/export/records.<fmt>")
    def export_records(fmt: str):
        if fmt not in ("csv", "ris", "xlsx"):
            abort(404)
        only = request.args.get("only") or None
        data = dash.export_bytes(project, fmt, only=only)
        mime = {"csv": "text/csv", "ris": "application/x-research-info-systems",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
        name = f"{_slug(project.dir.name)}-{only or 'records'}.{fmt}"
        return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)

    @app.get("/export/report.html")
    def export_report():
        html = dash.report_html(project)
        if html is None:
            return _deny(404, "The HTML report is not available in this version of screener yet.")
        return send_file(io.BytesIO(html.encode("utf-8")), mimetype="text/html", as_attachment=True,
                         download_name=f"{_slug(project.dir.name)}-report.html")

    @app.get("/export/agreement.csv")
    def export_agreement():
        table = agreement_frame(project)
        buf = io.StringIO()
        table.to_csv(buf, index=False)
        return send_file(io.BytesIO(buf.getvalue().encode("utf-8")), mimetype="text/csv", as_attachment=True,
                         download_name=f"{_slug(project.dir.name)}-agreement.csv")

    # -- dual screening -------------------------------------------------------------------------
    @app.get("/conflicts")
    def conflicts():
        if not eng.dual:
            return render_template("conflicts.html", single=True, items=[], table=[], revealed=False)
        revealed = request.args.get("reveal") == "1"
        items = []
        if revealed:
            conf = project.conflicts(stage=STAGE)
            recs = project.records_frame()
            for rid, grp in conf.groupby("record_id", sort=True):
                rec = recs.loc[rid] if rid in recs.index else None
                items.append({
                    "record_id": int(rid),
                    "title": _plain(rec["title"]) if rec is not None else "",
                    "abstract": _plain(rec["abstract"]) if rec is not None else "",
                    "year": _plain(rec["year"]) if rec is not None else None,
                    "votes": [{"reviewer": r.reviewer, "decision": r.decision, "note": _plain(r.note)}
                              for r in grp.itertuples()]})
        table = agreement_frame(project).to_dict("records")
        for row in table:
            row["words"] = interpret_kappa(row["kappa"])
        return render_template("conflicts.html", single=False, items=items, table=table, revealed=revealed)

    @app.post("/conflicts/<int:rid>/resolve")
    def resolve(rid: int):
        if not eng.dual:
            return _deny(400, "This project screens in single mode: there are no conflicts to resolve.")
        decision = request.form.get("decision")
        if decision not in DECISIONS:
            return _deny(400, "Choose include, exclude or maybe.")
        if rid not in eng.records().index:
            abort(404)
        eng.resolve(rid, decision, g.reviewer, note=(request.form.get("note") or "").strip()[:2000] or None)
        return redirect(url_for("conflicts", reveal=1))

    return app


# -- helpers -------------------------------------------------------------------------------------
def agreement_frame(project: Project):
    votes = project.reviewer_decisions(stage=STAGE)
    if not votes.empty:
        votes = votes[votes["role"] == "reviewer"].rename(columns={"record_id": "copy_id",
                                                                    "group_record_id": "record_id"})
    return agreement_table(votes)


def _terms_rx(eng: WebScreener, rid: int):
    return term_regex(eng.extras(rid)["terms"]) if eng.ready else None


def _payload(eng: WebScreener, rid: int) -> dict:
    rec = eng.record(rid)
    extras = eng.extras(rid)
    rx = term_regex(extras["terms"])
    rank, score = eng.rank_of(rid)
    authors = rec.get("authors") or []
    return {
        "record_id": rid,
        "title_html": str(highlight(rec.get("title") or "(no title)", rx)),
        "abstract_html": str(highlight(rec.get("abstract"), rx)) if rec.get("abstract") else "",
        "authors": "; ".join(map(str, authors[:12])) + (f"; and {len(authors) - 12} more" if len(authors) > 12 else ""),
        "year": rec.get("year"),
        "journal": rec.get("journal") or "",
        "doi": rec.get("doi") or "",
        "doi_url": _doi_url(rec.get("doi")),
        "source_db": rec.get("source_db") or "",
        "reason": extras["reason"],
        "terms": extras["terms"],
        "rank": rank,
        "score": None if score is None or not math.isfinite(score) else round(score, 4),
    }


def _next_json(eng: WebScreener, reviewer: str) -> dict:
    status = eng.status()
    out = {"status": status, "counts": eng.counts(reviewer), "record": None, "done": False}
    if not eng.ready:
        eng.retry_if_failed()
        return out
    rid = eng.next_record_id(reviewer)
    if rid is None:
        out["done"] = True
    else:
        out["record"] = _payload(eng, rid)
    return out


_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_DOI_OK = re.compile(r"^10\.\d{4,9}/\S+$")


def _doi_url(doi) -> str:
    if not doi:
        return ""
    from ..records import normalise_doi

    d = normalise_doi(str(doi))
    return "https://doi.org/" + quote(d, safe="/:;()._-") if d and _DOI_OK.match(d) else ""


def _plain(v):
    from .engine import _clean

    return _clean(v)


def _row(r: dict) -> dict:
    out = {k: _plain(v) for k, v in r.items() if k != "raw"}
    out["record_id"] = int(r["record_id"])
    return out


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screener"


def _deny(code: int, message: str):
    if request.path.startswith("/api/"):
        resp = jsonify(error=message, retry=code == 503)
        resp.status_code = code
        return resp
    resp = make_response(render_template("message.html", message=message, code=code), code)
    return resp


__all__ = ["agreement_frame", "create_app"]
