"""``screener serve``: the screening page, records list, dashboard and conflicts, in a browser.

Server-rendered pages with a little plain JavaScript on the screening page (the next record
arrives as JSON and replaces the old one, so the page never reloads between decisions). Every
change is a new entry in the project's decision log, as in the CLI.

Who is screening comes from the signed session cookie only. Accounts switch on when the project
has any (``screener user add``), screens in dual mode, or is served to the network; otherwise
(one reviewer on this computer) the app asks for a name once. In dual mode the server keeps the
screening blind on every route (``BLIND_ROUTES``): a reviewer sees only their own decisions and
notes, and nothing that counts agreement, until everyone screening has screened every record or
the owner ends the blinding (for the records there are then: a later import is screened blind).
"""

from __future__ import annotations

import base64
import datetime as _dt
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
    current_app,
    flash,
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
from markupsafe import Markup

from ..accounts import SESSION_KEY, SIGNED_OUT  # (named here too: tests and tools read it from the app)
from ..errors import DatabaseUnavailable, InputError, ProjectBusy, ScreenerError, did_you_mean
from ..io.export import EXPORT_FORMATS
from ..io.tabular import REGISTRY_RECORD, register_entry
from ..labels import ONE_DECISION, TYPED_EXCLUDES, rest_before_note
from ..project import DB_URL_FILE, EXPORT_SETS, Project, export_set_hint, retraction_note
from ..records import STAGES, only_other_titles, stage_decisions, type_words
from ..shell import shell_quote
from ..store.base import REST_EXCLUDED, rest_excluded
from . import dashboard as dash
from ..agreement import agreement_frame, interpret_kappa
from .engine import STAGE, TEAM, DecisionChanged, WebScreener
from .highlight import highlight, term_regex
from .security import (
    ACCESS_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    StoredLoginLimiter,
    host_name,
    is_loopback,
    open_pick,
    safe_next,
    same_origin,
    seal_pick,
    tokens_equal,
)

log = logging.getLogger(__name__)

DECISIONS = ("include", "exclude", "maybe")

SECRET_NAME = SESSION_KEY
#: Pages anyone may open before saying who they are.
OPEN_ENDPOINTS = frozenset({"login", "logout", "reviewer", "static"})
#: How each route keeps dual screening blind (tests/web/test_web_blinding.py checks every route
#: of the app is listed here and behaves as it says).
BLIND_ROUTES = {
    "index": "a redirect",
    "static": "files shipped with screener",
    "login": "no review data",
    "logout": "no review data",
    "reviewer": "login-free mode only; no review data",
    "users": "the owner's page (accounts, no decisions)",
    "end_blinding": "the owner only",
    "screen": "own counts; no rank, model status or similar includes while blind",
    "api_next": "own counts; no rank, model status or similar includes while blind",
    "api_status": "own counts; model status hidden while blind",
    "api_decide": "own counts; no rank, model status or similar includes while blind",
    "api_undo": "own decisions only",
    "records": "own decisions only",
    "record_detail": "own decisions and notes only while blind",
    "record_decide": "own decisions only",
    "dashboard": "own progress; team figures (PRISMA screening, recall, agreement) hidden while blind",
    "discovery_png": "owner, or once blinding is over",
    "export_records": "own decisions and notes while blind (full-text ones until the full-text blinding is over)",
    "export_report": "owner, or once blinding is over at both stages",
    "export_agreement": "owner, or once blinding is over",
    "conflicts": "owner, or once blinding is over (full-text conflicts once the full-text blinding is over)",
    "resolve": "owner, or once blinding is over (full-text conflicts once the full-text blinding is over)",
    "duplicates": "the owner only; records' details, no decisions",
    "duplicates_decide": "the owner only; records' details, no decisions",
}

#: The dashboard's words for each format '/export/records.<fmt>' serves (a KeyError for a format added unnamed).
EXPORT_FORMAT_WORDS = {"csv": "Table (CSV)", "tsv": "Table, tab-separated (TSV)", "xlsx": "Excel workbook",
                       "ris": "RIS for a reference manager"}

BLIND_PHASE = "learns from the decisions the reviewers agree on (details hidden while screening is blind)"
BLIND_MESSAGE = ("Screening is blind: {shows}, so {opens} once {ends} (records excluded unread when screening "
                 "stopped are not screened), or when the project owner ends the blinding.")

PAGE_SIZE = 50
#: Pairs of possible duplicates shown on one page (next and previous links reach the others).
PAIRS_SHOWN = 100
PAIRS_OWNER = ("Possible duplicates (pairs of records de-duplication kept apart but was unsure about) are decided "
               "by the project owner. Nothing here changes your screening: go on screening as before.")
KEYS = [("i", "Include"), ("e", "Exclude"), ("m", "Maybe"), ("u", "Undo the last decision"),
        ("n", "Write a note (saved with the next decision)"), ("Esc", "Leave the note field")]


def _not_one(given, choices) -> str:
    """A form's value that is none of its choices, and the closest one ('exlcude': "Did you mean 'exclude'?")."""
    return f"{given!r} is not one of {', '.join(choices)}.{did_you_mean(given, choices)} " if given else ""


def _folded(name) -> str | None:
    """A database's name with case and spacing aside ('Medline ' is 'MEDLINE'), None for no name."""
    return " ".join(name.split()).casefold() if isinstance(name, str) else None


def create_app(project: Project | str | Path, *, host: str = "127.0.0.1", access_token: str | None = None,
               engine: WebScreener | None = None, session_options: dict | None = None,
               start: bool = True, behind_proxy: bool = False) -> Flask:
    """The Flask app for one project.

    ``host``: the address the server listens on; anything but loopback needs ``access_token``.
    ``engine``: a ready ``WebScreener`` (tests); otherwise one is made and started here.
    ``behind_proxy``: requests come through an HTTPS reverse proxy on this machine, which is
    reachable from elsewhere: the access token is required and the proxy's X-Forwarded-* trusted.
    """
    if not isinstance(project, Project):
        project = Project.open(project)
    loopback = is_loopback(host) and not behind_proxy
    if not loopback and not access_token:
        raise ScreenerError(f"serving on {host} (reachable from other machines) needs an access token.")
    app = Flask(__name__, template_folder="templates", static_folder="static")
    store = project.store
    # kept in the project, so a restart of the server does not sign everyone out or expire open tabs
    app.secret_key = store.get_secret(SECRET_NAME, make=lambda: secrets.token_hex(32))
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=_dt.timedelta(days=14),
                      # one cookie per project: two projects served on one machine do not log each other out
                      SESSION_COOKIE_NAME="screener_session_" + hashlib.sha1(
                          str(project.dir.resolve()).encode()).hexdigest()[:10], MAX_CONTENT_LENGTH=1 << 20,
                      SEND_FILE_MAX_AGE_DEFAULT=0)
    app.jinja_env.autoescape = True
    from ..stopping.base import recall_pct

    app.jinja_env.globals["recall_pct"] = recall_pct  # recall figures as 'status' and the report print them
    from ..report import fmt_num

    app.jinja_env.globals["fmt_num"] = fmt_num  # and the includes left
    app.jinja_env.globals["only_other_titles"] = only_other_titles  # a record's other titles, and no abstract
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
    # in the store: every worker process counts the same failures, and a restart keeps them
    limiter = StoredLoginLimiter(store)
    app.extensions["screener_login_limiter"] = limiter

    def accounts_on() -> bool:
        """Sign-in is needed once the project has accounts, screens in dual mode, or is served to the network."""
        return eng.dual or not loopback or bool(store.users())

    def ended_by_owner() -> bool:
        """The owner ended the blinding, and no records were imported since (``blinding_ended``)."""
        if "blinding_ended" not in g:
            from ..accounts import blinding_ended

            g.blinding_ended = blinding_ended(store)
        return g.blinding_ended

    def blinding_over() -> bool:
        if not eng.dual:
            return True
        # records imported since (a search update from a terminal) are not screened by everyone yet:
        # the pages that do not screen would otherwise count them out until a screening page is opened
        eng.sync_records()
        if ended_by_owner():
            return True
        from ..accounts import blinding_holds

        # the terminal's rule (``team_view_blind``): while anyone screening, the owner too if she screens, has
        # records left, a reviewer who finished would see the others' decisions as they are made. With the log's
        # tail read: on a team server a decision just saved comes back with it, and without it the answer to a
        # reviewer's last one said the screening was still blind, 'until every reviewer has screened every record'
        eng.catch_up(max_age=1.0)
        names, done = eng.screeners()
        if names and blinding_holds(names, done) and getattr(g, "reviewer", None) in done:
            # she has screened every record: whether the others have is read as the log stands now (the last
            # decision of one may have been saved by another server process a moment ago)
            eng.catch_up()
            names, done = eng.screeners()
        return bool(names) and not blinding_holds(names, done)

    def blind_message(dashboard: bool = False) -> str:
        """``BLIND_MESSAGE`` (on the dashboard, of the team's figures: they name no one's decisions); to a viewer
        who has screened every record, naming who the blinding waits for, as 'status --reviewer NAME' does
        (``accounts.waits_for``). One still screening is not told how far the others have got."""
        from ..accounts import owner_holds_words, withdraw_command

        names, done = eng.screeners()
        two = len(names) <= 2
        others = "the other reviewer" if two else "the other reviewers"
        said = BLIND_MESSAGE.format(ends=blind_ends(names, done), **(
            {"shows": f"the team's figures would show how often you and {others} agree", "opens": "they open"}
            if dashboard else {"shows": f"this shows what {others} decided or how often you agree",
                               "opens": "it opens"}))
        me = getattr(g, "reviewer", None)
        if getattr(g, "role", None) == "owner" and me in names and me not in done:
            # an owner who screened a few to try the tool, then left it to the reviewers, holds it open for good
            c = eng.counts(me)
            said += (" You screen records too, so you hold the blinding open for everyone until you have screened "
                     "every record. To lift it: " + owner_holds_words("your", c["screened"], c["left"], "'Withdraw "
                     "my decision' on each record's page, listed under Records, or in a terminal "
                     f"'{withdraw_command(project, project.dir, me)}'") + " (Conflicts page).")
        return said

    def blind_ends(names, done) -> str:
        """What the blinding waits for this viewer, in words to follow 'until' or 'once': to a viewer who has
        screened every record, who still screens (``accounts.waits_for``: 'Ben has screened every record'), and of
        them each whose account is disabled, who never will (``accounts.disabled_words``: ask the project owner to
        end the blinding); to one joining after everyone screening has finished (the blinding over for them, not
        for her until she has too: ``sees_team``), 'you have screened every record too (the others have)'; to anyone
        else (still screening, or not started while others are), what must happen ('both reviewers have screened
        every record', or in a team of three 'every reviewer has ...'), not how far the others have got."""
        from ..accounts import blinding_holds, disabled_words, waits_for

        if getattr(g, "reviewer", None) in done:
            # one who left, the owner having disabled the account, never will: said, or she waited for good
            return waits_for(names, done)[1] + disabled_words(store, names - done,
                                                              "ask the project owner to end the blinding")
        if names and not blinding_holds(names, done):  # the others have all finished: it waits for her
            return "you have screened every record too (the others have)"
        return "both reviewers have screened every record" if len(names) <= 2 else \
            "every reviewer has screened every record"

    def done_blind_words() -> str:
        """To a reviewer with nothing left to screen who is still blind: the conflicts, agreement and recall the
        screening page's end sends her to open once the others are done ('' once she sees the team)."""
        if sees_team():
            return ""
        ends = blind_ends(*eng.screeners())
        return (f"Screening is still blind, so the conflicts, the agreement and the recall estimate open once {ends}, "
                "or when the project owner ends the blinding; until then the dashboard shows your own figures and "
                "exports.")

    def waits_words() -> str:
        """For the owner's Conflicts page while the title/abstract blinding holds: who still screens and how many
        records each has left, and whose account is disabled (she waited for one who can no longer sign in)."""
        if g.role != "owner" or not sees_team():
            return ""
        names, done = eng.screeners()
        said = []
        for name in sorted(names - done):
            user = store.get_user(name)
            c = eng.counts(name)
            # the rest excluded unread at a stop is no screening: still to read, not 'none left', beside the records
            # a search update added since (the counter's 'left')
            unread = c["excluded_unscreened"]
            left = c["left"] + unread
            gone = (f"; the account is disabled, so {name} cannot sign in to screen them"
                    if user is not None and user.get("disabled_at") else "")
            said.append(f"{name} ({left} record{'' if left == 1 else 's'} left"
                        f"{', excluded unread at the stop' if unread and not c['left'] else ''}"
                        f"{f', {unread} of them excluded unread at the stop' if unread and c['left'] else ''}{gone})")
        from ..accounts import names_words

        return f"It waits for {names_words(said)}." if said else ""

    def late_joiners(over: bool) -> str:
        """For the owner's Conflicts page, the blinding over by the rule: the reviewers joining after the others
        finished, blind until they have screened every record too (``sees_team``), in words ('' for none): for
        them the owner's end still lifts it, as their pages say."""
        if g.role != "owner" or not over or ended_by_owner():
            return ""
        from ..accounts import late_joiners as late, names_words

        names = late(store, eng.screeners()[1])
        return f"{names_words(names)} {'has' if len(names) == 1 else 'have'} not screened every record" if names else ""

    def team_of_two() -> bool:
        """Dual screening by two at most (an owner who screens counting as one, as ``status.team_size`` does in the
        terminal): the pages speak of 'both reviewers'; to a team of three, of every reviewer, or the team."""
        return len(eng.screening()) <= 2

    def full_text_waits() -> str:
        """Who the full-text blinding waits for, in words: 'both reviewers', or in a team of three 'all the reviewers
        assessing full texts' (``accounts.blinding_holds``)."""
        from ..accounts import screeners

        return "both reviewers" if len(screeners(project, "full_text")[0]) <= 2 else \
            "all the reviewers assessing full texts"

    def full_text_team_words() -> dict:
        """For the Conflicts page: whether two at most assess full texts (``ft_two``: 'both reviewers', not 'every
        reviewer assessing full texts'), and whether one other than this viewer does (``ft_one_other``: 'the other
        reviewer's decisions'), and the two by name where two assess them (``ft_pair``: 'Anabel and Ben each see the
        other's', not 'every reviewer sees the others''; '' otherwise)."""
        from ..accounts import names_words, screeners

        assessed = screeners(project, "full_text")[0]
        return {"ft_two": len(assessed) <= 2, "ft_one_other": len(assessed - {getattr(g, "reviewer", None)}) == 1,
                "ft_pair": names_words(sorted(assessed)) if len(assessed) == 2 else ""}

    def sees_team() -> bool:
        """Whether this viewer may see the team's figures and the other reviewer's decisions."""
        if "sees_team" not in g:
            # over for everyone screening at once (``blinding_over``); one who has not started stays blind
            # (she would otherwise see every decision before making her own)
            # an owner who screens is one of the screeners: blind as they are (seeing a teammate's
            # decision and note on a record before deciding it is no independent screening)
            owner = getattr(g, "role", None) == "owner" and not screens()
            g.sees_team = ((not eng.dual) or owner or ended_by_owner()
                           or (blinding_over() and eng.finished(getattr(g, "reviewer", None))))
        return g.sees_team

    def sees_full_text() -> bool:
        """Whether this viewer may see the team's full-text decisions: the blinding holds at each stage
        on its own (``accounts.sees_full_text``), so the end of the title/abstract one shows nobody
        still assessing full texts the other's full-text decisions, notes and reasons."""
        if "sees_full_text" not in g:
            from ..accounts import sees_full_text as sees

            # the owner is blind at full text only if she assesses full texts herself: one who screened titles
            # and abstracts with the team, then left the full texts to the reviewers, settles their conflicts
            owner = getattr(g, "role", None) == "owner"
            g.sees_full_text = (not eng.dual) or sees(project, getattr(g, "reviewer", None), owner=owner)
        return g.sees_full_text

    def screens() -> bool:
        """Whether this viewer has title/abstract decisions of their own standing (dual screening)."""
        # with the log's tail read first: the answer to the owner's first decision on a team server (not yet read
        # back), or a page opened after she labelled records in a terminal, showed her the team
        return eng.dual and getattr(g, "reviewer", None) is not None and bool(
            eng.own_decisions(g.reviewer, fresh=True))

    def status_for() -> dict:
        st = eng.status()
        if not sees_team():  # the ranker learns from agreed decisions: its phase and fits would count them
            st = {**st, "phase": "", "phase_text": BLIND_PHASE, "generation": None, "retrains": None,
                  "n_labelled": None}
        return st

    def identify() -> tuple[str | None, str | None]:
        if g.accounts:
            name = session.get("user")
            user = store.get_user(name) if isinstance(name, str) else None
            sid = session.get("sid")
            if user is None or session.get("pwv") != _password_version(user["password_hash"]) or \
                    user.get("disabled_at") or session.get("av") != str(user["updated_at"]) or \
                    not isinstance(sid, str) or store.get_secret(SIGNED_OUT + sid) is not None:
                # removed, the password changed, disabled by the owner (enabled again since: a session from
                # before stays ended), or signed out: sign in again. The account as it was at sign-in, not
                # a time: a disable and enable dated by a clock behind the server's (a laptop's, the folder
                # on a shared drive) read as before the sign-in, and an older screener's session had no
                # time at all; either came back to life after the enable
                session.pop("user", None)
                return None, None
            return user["name"], user["role"]
        name = session.get("reviewer")
        return (name, "owner") if isinstance(name, str) and name else (None, None)

    # -- guards ---------------------------------------------------------------------------------
    # the file the server opened still the review's: its (device, inode), no server address beside it, and its
    # header's number (another project's file copied over it in place), checked with two stats and a read per request
    moved = getattr(store, "moved", None)

    def replaced_words() -> str:
        """What a request to a server whose project file was replaced (or moved) under it is told."""
        undone = " Nothing of this was saved." if request.method not in ("GET", "HEAD", "OPTIONS") else ""
        # only sign-ins (a change counted) since the copy: 'the decisions made since that copy are not in it' was
        # said of a copy holding every decision (``decisions_lost``)
        kept = getattr(store, "decisions_lost", lambda: None)() is False
        lost = ("it holds every screening decision this server saw, so none is lost: what it lacks is the other "
                "changes saved since that copy (sign-ins, and any change to accounts, settings or duplicate pairs)"
                if kept else
                "the decisions made since that copy are not in it")
        if getattr(store, "shared", False):  # a database server: an earlier dump of the review put back into it
            again = ("no screening decision was made after the dump; other changes saved after it must be made "
                     "again" if kept else "decisions made after the dump must be made again")
            return (f"An earlier copy of the review (a dump put back with pg_restore or psql) was restored into the "
                    f"review's database ({store.path}) while this server was running: {lost}, so this server no "
                    f"longer shows or saves the review (it would go on from the older state).{undone} Stop 'screener "
                    f"serve' (Ctrl-C in its terminal; every server process of this review). To go on from that copy, "
                    f"start the server again ({again}). If the restore was a mistake, put the review's latest dump "
                    f"back instead (pg_restore --clean --dbname=DATABASE LATEST.dump, see 'A team server' in the "
                    f"README) and start the server again.")
        if not project.dir.joinpath(DB_URL_FILE).exists() and not project.db_path.exists():
            # the folder renamed or moved (in a file manager, a synced folder's app): started again on the
            # same folder, the server would find no review there
            return (f"The review's project file is no longer at {project.db_path}: it was moved, renamed or "
                    f"deleted (the project folder renamed or moved?) while this server was running, so this server "
                    f"no longer shows or saves the review.{undone} Stop 'screener serve' (Ctrl-C in its terminal) "
                    f"and start it again on the folder where the review is now: screener serve FOLDER")
        if getattr(store, "went_back", bool)():  # cp: the same file, an earlier state of the review in it
            return (f"An earlier copy of the review (a backup, or the file of a copy of the project folder) was "
                    f"copied over the review's project file ({project.db_path}) while this server was running: "
                    f"{lost}, so this server no longer shows or saves "
                    f"the review (it would go on from the older state).{undone} Stop 'screener serve' (Ctrl-C in "
                    f"its terminal). To go back to that copy, copy it over {project.db_path} again (the server, as "
                    f"it stops, writes its last changes into the file) and start the server again. If the copy was "
                    f"a mistake, put the review's latest backup back instead: screener restore "
                    f"{shell_quote(project.dir)} BACKUP.sqlite (decisions made after that backup must be made "
                    f"again).")
        if getattr(store, "copied_over", bool)():  # cp: the same file, another review in it
            # the server, stopping, writes the review's last changes into the file (SQLite's log): over the copy
            return (f"Another project file was copied over the review's project file ({project.db_path}) while this "
                    f"server was running, so this server no longer shows or saves the review.{undone} Stop 'screener "
                    f"serve' (Ctrl-C in its terminal), then copy that file over {project.db_path} again (the server, "
                    f"as it stops, writes its last changes into the file), and start the server again. If the copy "
                    f"was a mistake, put the review's last backup back instead: screener restore "
                    f"{shell_quote(project.dir)} BACKUP.sqlite")
        how = ("moved to a database server ('screener migrate')" if project.dir.joinpath(DB_URL_FILE).exists() else
               "replaced (put back from a backup, or a copy put in its place)")
        return (f"The review's project file ({project.db_path}) was {how} while this server was running, so this "
                f"server no longer shows or saves the review: it would show the review as it was before, and save "
                f"decisions into the old file, where nobody reads them.{undone} Stop 'screener serve' (Ctrl-C in "
                f"its terminal) and start it again: it then serves the review as it is now.")

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
                # secure behind the HTTPS proxy, as the session's: a plain-http request would carry the key
                resp.set_cookie(ACCESS_COOKIE, access_token, httponly=True, samesite="Lax",
                                secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
                return resp
            if not tokens_equal(request.cookies.get(ACCESS_COOKIE), access_token):
                return _deny(403, "This screener needs its access token. Open the full address that "
                             "'screener serve' printed (it ends in ?token=...).", heading="Access token needed")
        # after the access checks: a visitor without the token is not told where the review lies; the
        # stylesheet still served, so that the page saying so is laid out as every other
        if moved is not None and request.endpoint != "static" and moved():
            return _deny(409, replaced_words(), heading="The review database was put back to an earlier copy"
                         if getattr(store, "shared", False) else "The project file was replaced")
        if CSRF_FIELD not in session:
            session[CSRF_FIELD] = secrets.token_urlsafe(32)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if not same_origin(request.headers.get("Origin"), request.headers.get("Referer"), request.host):
                return _deny(403, "This request came from another web site, so it was refused. Use screener's "
                             "own pages to make changes.")
            given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
            if not tokens_equal(given, session.get(CSRF_FIELD)):
                # a tab left open from before signing in again: what it sent was not done, said so
                undone = _not_done() if request.path.startswith("/api/") else ""
                return _deny(400, "This page has expired (its security token does not match)"
                             f"{', so ' + undone if undone else ''}. Reload the page and try again.")
        g.accounts = accounts_on()
        g.reviewer, g.role = identify()
        if request.endpoint in ("screen", "api_next", "api_decide", "api_status", "record_decide", "dashboard"):
            # records imported while serving join the queue, and the counts: the dashboard's Progress said
            # '4 of 60' beside its PRISMA box's 70 until a screening page was opened
            eng.sync_records()
        if g.reviewer is None and request.endpoint not in OPEN_ENDPOINTS:
            if request.path.startswith("/api/"):
                return jsonify(error=_signed_out_words()), 401
            target = "login" if g.accounts else "reviewer"
            if request.method == "GET":
                return redirect(url_for(target, next=request.full_path.rstrip("?")))
            # a form sent (a decision, a resolution): its address does nothing when opened, so sign-in
            # returns to the page it was sent from, and says that what was chosen there was not saved
            return redirect(url_for(target, next=_form_page(), unsaved=1))
        return None

    def _not_done() -> str:
        """What a screening-page request refused unread did not do ('' for others): without it, a key's
        decision read as saved."""
        if request.endpoint == "api_decide":
            data = request.get_json(silent=True)
            rid = _record_id(data.get("record_id")) if isinstance(data, dict) else None
            return f"your decision{f' on record {rid}' if rid else ''} was not saved"
        return "nothing was undone" if request.endpoint == "api_undo" else ""

    def _signed_out_words() -> str:
        """What a signed-out request to the API did not do, and what to do."""
        if request.endpoint == "api_decide":
            data = request.get_json(silent=True)
            note = data.get("note") if isinstance(data, dict) else None
            keep = " Copy your note first: reloading clears it." if isinstance(note, str) and note.strip() else ""
            return f"You are signed out, so {_not_done()}. Reload the page, sign in again, and decide it again.{keep}"
        if request.endpoint == "api_undo":
            return f"You are signed out, so {_not_done()}. Reload the page, sign in again, and undo again."
        return "You are signed out. Reload the page and sign in again."

    def _form_page() -> str:
        """The page a form sent while signed out came from (where to choose again after signing in)."""
        rid = (request.view_args or {}).get("rid")
        if request.endpoint == "record_decide" and rid is not None:  # the page as shown (its way back to the list)
            return safe_next(request.form.get("next"), url_for("record_detail", rid=rid))
        if request.endpoint in ("resolve", "end_blinding"):
            return url_for("conflicts")
        if request.endpoint == "users":
            return url_for("users")
        if request.endpoint == "duplicates_decide":
            return url_for("duplicates")
        return url_for("screen")

    def owner_only():
        if g.role != "owner":
            return _deny(403, "Only the project owner can do this.")
        return None

    def team_only():
        if not sees_team():
            return _deny(403, blind_message())
        return None

    @app.after_request
    def headers(resp: Response):
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        # same-origin: our own pages send their Origin on POST (checked above); other sites get nothing
        resp.headers["Referrer-Policy"] = "same-origin"
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
        if isinstance(exc, ProjectBusy):  # no server down: the project held by another command
            if request.path.startswith("/api/"):
                resp = _deny(503, "The project is busy: another screener command (an import, say, in a terminal) "
                             "is writing to it. Nothing was lost; your last action is sent again in a moment.")
            else:  # headed so: 'Something went wrong' read as the server failing
                resp = _deny(503, "The project is busy: another screener command (an import, say, in a terminal) "
                             "is writing to it, so this was not done and nothing was saved. Try again when that "
                             "command has finished.", heading="The review is busy")
            resp.headers["Retry-After"] = "2"
            return resp
        if request.path.startswith("/api/"):  # the screening page sends it again on its own
            resp = _deny(503, "The review database is not answering right now (restarting?). Nothing was lost; "
                         "your last action is sent again in a moment.")
        else:  # a form (sign-in, a record's decision, a conflict): nothing resends it
            resp = _deny(503, "The review database is not answering right now (restarting?), so this was not "
                         "done and nothing was saved. Try again in a moment.",
                         heading="The review database is not answering")
        resp.headers["Retry-After"] = "2"
        return resp

    @app.errorhandler(404)
    def not_found(exc):
        return _deny(404, "There is no such page or record here.")

    @app.errorhandler(405)
    def wrong_method(exc):
        # an address a button sends (Sign out, a decision, Resolve) typed in, bookmarked or reloaded
        return _deny(405, "This address does its work when its button is pressed on screener's pages; opened "
                     "in the browser it does nothing, and nothing was changed. Go back and use the button.")

    @app.errorhandler(413)
    def too_large(exc):
        return _deny(413, "That was too much to send at once (a note is kept to 2,000 characters). Shorten it "
                     "and try again; nothing was saved.")

    @app.errorhandler(500)
    def server_error(exc):
        log.exception("error in %s", request.path)
        return _deny(500, "Something went wrong on this page (the details are in the terminal running "
                     "'screener serve'). Every decision saved so far is kept.")

    # the review's folder as the pages' command lines name it, to be typed in a terminal anywhere ('DIR' was a guess);
    # the sign-in page, open to anyone who reaches the server, names the folder alone, not where it lies
    project_dir = shell_quote(project.dir.resolve())
    project_folder = shell_quote(project.dir.resolve().name)

    @app.context_processor
    def common():
        return {"csrf_token": session.get(CSRF_FIELD, ""), "reviewer": getattr(g, "reviewer", None),
                "role": getattr(g, "role", None), "accounts": getattr(g, "accounts", False),
                "dual": eng.dual, "blind": eng.dual and getattr(g, "reviewer", None) is not None and not sees_team(),
                "two": not eng.dual or team_of_two(), "project_name": project.dir.name, "keys": KEYS,
                "project_dir": project_dir, "project_folder": project_folder, "form_key": _form_key}

    # -- who is screening ----------------------------------------------------------------------
    @app.route("/reviewer", methods=["GET", "POST"])
    def reviewer():
        """Login-free mode (one reviewer on this computer): a name, kept in the signed session."""
        nxt = safe_next(request.values.get("next"), "/screen")
        if g.accounts:
            return redirect(url_for("login", next=nxt))
        error = None
        if request.method == "POST":
            from ..accounts import check_new_name

            try:
                typed = request.form.get("name")
                logged = {str(r) for r in store.decisions_frame()["reviewer"].unique()}
                name = check_new_name(typed, logged - {_nfkc(typed)})
            except ScreenerError as exc:
                error = f"That name cannot be used: {exc}"
            else:
                if session.get("reviewer") not in (None, name):
                    # a new security token: pages still open under the old name (another tab) can
                    # no longer save decisions, which would be logged under the new name
                    session[CSRF_FIELD] = secrets.token_urlsafe(32)
                session["reviewer"] = name
                session.permanent = True
                return redirect(nxt)
        return render_template("reviewer.html", next=nxt, error=error, current=getattr(g, "reviewer", None),
                               unsaved=request.args.get("unsaved") == "1"), (
            400 if error else 200)

    def locked_out_words(name: str, wait: float) -> str:
        """Sign-in refused for ``wait`` seconds, and how the owner lifts that now."""
        # the whole command, for the owner to paste (a lock-out of this address: --everyone lifts it)
        who = shell_quote(name.strip()) if name.strip() else "NAME"
        minutes = math.ceil(wait / 60)
        return (f"Too many failed sign-ins. Wait {minutes} minute{'' if minutes == 1 else 's'} and try again, or ask "
                f"the project's owner to lift the lock-out: screener user unlock {project_folder} {who}")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        nxt = safe_next(request.values.get("next"), "/screen")
        if not g.accounts:
            return redirect(url_for("reviewer", next=nxt))
        error, code = None, 200
        if request.method == "POST":
            from ..accounts import authenticate

            name = request.form.get("name") or ""
            ip = request.remote_addr or "?"
            wait = limiter.begin(ip, name)  # counted as failed until it succeeds
            if wait:
                error, code = locked_out_words(name, wait), 429
            else:
                try:
                    user = authenticate(store, name, request.form.get("password") or "")
                except DatabaseUnavailable:
                    try:
                        limiter.cancel(ip, name)
                    except DatabaseUnavailable:
                        pass  # still down: the one try stays counted (four are left)
                    raise
                if user is not None and user.get("disabled_at"):
                    from ..accounts import disabled_message

                    limiter.succeeded(ip, name)  # the right password: not a guess to count
                    error, code = disabled_message(user), 403
                elif user is not None:
                    limiter.succeeded(ip, name)
                    session.clear()  # a fresh session (and CSRF token) for the signed-in reviewer
                    session.permanent = True
                    session["user"] = user["name"]
                    session["pwv"] = _password_version(user["password_hash"])
                    session["sid"] = secrets.token_urlsafe(16)  # what 'Sign out' ends
                    session["av"] = str(user["updated_at"])  # a change to the account after this (disabled) ends it
                    session[CSRF_FIELD] = secrets.token_urlsafe(32)
                    return redirect(nxt)
                else:
                    # the same words for a name with no account: the tries are counted by the name typed
                    error = "That name and password do not match an account of this project."
                    try:
                        left = limiter.tries_left(ip, name)
                        error += (f" {left} tr{'y' if left == 1 else 'ies'} left before sign-in is refused for "
                                  f"{round(limiter.window / 60)} minutes." if left else
                                  " " + locked_out_words(name, limiter.wait(ip, name) or limiter.window))
                    except DatabaseUnavailable:
                        pass  # the password was checked: said wrong, without the count
                    code = 401
        return render_template("login.html", next=nxt, error=error, no_users=not store.users(),
                               unsaved=request.args.get("unsaved") == "1"), code

    @app.post("/logout")
    def logout():
        sid = session.get("sid")
        if g.accounts and g.reviewer is not None and isinstance(sid, str):
            # ended for good: a copy of this cookie (another browser profile, a saved request) stays signed out
            store.get_secret(SIGNED_OUT + sid, make=lambda: g.reviewer)
        session.clear()
        if g.accounts:  # else the page that asks for a name says who screened here
            flash("You are signed out. To screen again, sign in below.")
        return redirect(url_for("login" if g.accounts else "reviewer"))

    @app.route("/users", methods=["GET", "POST"])
    def users():
        denied = owner_only()
        if denied:
            return denied
        error = done = None
        existing = store.users()
        action = request.form.get("action") if request.method == "POST" else None
        if action in ("disable", "enable"):
            from ..accounts import set_disabled

            try:
                before = set_disabled(store, request.form.get("name"), disabled=action == "disable", by=g.reviewer)
            except ScreenerError as exc:
                error = f"The account was not {action}d: {exc}"
            else:
                done = _disabled_words(before, action == "disable", eng.dual)
                if action == "disable":
                    eng.release(before["name"])  # the records on their screen go to the others now
            existing = store.users()
        elif action == "unlock":
            # as 'screener user unlock NAME' does, and said in its words
            from ..accounts import find_user, record_unlock

            account = find_user(store, request.form.get("name"))
            if account is None:
                error = f"No account was unlocked: there is no account named {request.form.get('name')!r}."
            else:
                was_locked = bool(limiter.locked_names([account["name"]]))
                n = limiter.forget(account["name"])
                if was_locked:  # kept with the account, as a disable is (a wrong password or two: no lock-out lifted)
                    record_unlock(store, account["name"], g.reviewer)
                log.info("%s lifted the sign-in lock-out of %s (%d failed sign-ins forgotten)", g.reviewer,
                         account["name"], n)
                blocked = limiter.locked_addresses()
                done = (f"Lifted: {n} failed sign-in{'' if n == 1 else 's'} of {account['name']} forgotten"
                        if n else f"No failed sign-ins are on record for {account['name']} in the last "
                        f"{round(limiter.window / 60)} minutes: nothing was locked")
                done += (f". Sign-ins from {blocked} address{'' if blocked == 1 else 'es'} are still refused after "
                         f"too many failed sign-ins (an office signing in from one address): 'screener user unlock "
                         f"{project_dir} --everyone' lifts that too." if blocked else
                         "; they can sign in again now." if n else ".")
        elif request.method == "POST":
            from ..accounts import add_user

            role = request.form.get("role") or "reviewer"
            try:
                if request.form.get("password") != request.form.get("password2"):
                    raise ScreenerError("the two passwords differ; type the same password twice.")
                if not existing and role != "owner":
                    raise ScreenerError("the first account must be the owner's (you), so someone can manage "
                                        "the others.")
                name = add_user(store, request.form.get("name"), role, request.form.get("password") or "",
                                where=project_dir)
            except ScreenerError as exc:
                error = f"The account was not added: {exc}"
            else:
                done = f"Added {name} ({role})."
                if not g.accounts:  # the first account switches sign-in on: the owner signs in now
                    return redirect(url_for("login", next="/users"))
            existing = store.users()
        from ..accounts import access_words, with_enables, with_unlocks

        locked = limiter.locked_names(u["name"] for u in existing)
        existing = [{**u, "access": access_words(u)} for u in with_enables(store, with_unlocks(store, existing))]
        return render_template("users.html", users=existing, error=error, done=done, locked=locked), (
            400 if error else 200)

    @app.post("/blinding/end")
    def end_blinding():
        denied = owner_only()
        if denied:
            return denied
        if not eng.dual:
            return _deny(400, "This project screens in single mode: there is no blinding to end.")
        stage = request.form.get("stage") or STAGE  # a form from before the stages: title and abstract
        if stage not in STAGES:
            return _deny(400, _not_one(stage, STAGES) + "Say which blinding to end: at title and abstract "
                              "(title_abstract), or at full text (full_text).")
        shown = _int(request.form.get("records"), None)
        if request.form.get("records") is not None and shown is None:
            shown = -1  # no number of records a page showed: not ended
        from ..conflicts import end_blinding as end

        now = end(project, stage, g.reviewer, shown=shown)
        if now is None:
            return redirect(url_for("conflicts"))
        # a page shown before a search update was imported: ending the blinding from it would end
        # it for records the owner did not know of, whose decisions are being made now
        late = now - shown if shown >= 0 and now > shown else None
        many = {None: "Records were", 1: "1 record was"}.get(late, f"{late} records were")
        return _deny(409, f"{many} imported after this page was shown, so the "
                          "blinding was not ended: those are screened blind. Open the Conflicts page again to "
                          "end the blinding for them too.")

    # -- screening ------------------------------------------------------------------------------
    @app.get("/")
    def index():
        return redirect(url_for("screen"))

    @app.get("/screen")
    def screen():
        rid, ranking = eng.next_pick(g.reviewer) if eng.ready else (None, None)
        rec = _payload(eng, rid, g.reviewer, ranking, blind=not sees_team()) if rid is not None else None
        waiting = eng.ready and rid is None and eng.held_by_others(g.reviewer)
        done = eng.ready and rid is None and not waiting
        return render_template("screen.html", rec=rec, counts=eng.counts(g.reviewer), status=status_for(),
                               done=done, waiting=waiting, blind_words=done_blind_words() if done and eng.dual else "",
                               owner_note=owner_screens_note())

    def owner_screens_note() -> str:
        """How the screening page warns the owner, who screens nothing beside two reviewers, that a key pressed
        makes her one of the screeners (``accounts.blinding_holds``): "blind", holding the blinding open for all;
        "ended", once she ended the blinding (it stays ended whoever screens); "" for no warning."""
        if not eng.dual or g.role != "owner" or screens():
            return ""
        from ..accounts import owner_may_not_screen

        return ("ended" if ended_by_owner() else "blind") if owner_may_not_screen(project) else ""

    def next_json() -> dict:
        out = _next_json(eng, g.reviewer, status_for(), blind=not sees_team())
        if out["done"] and eng.dual:  # the page's end says whether the conflicts and recall are open to her yet
            out["blind_words"] = done_blind_words()
        return out

    @app.get("/api/next")
    def api_next():
        return jsonify(next_json())

    @app.get("/api/status")
    def api_status():
        return jsonify({**status_for(), "counts": eng.counts(g.reviewer), "worker": os.getpid()})

    @app.post("/api/decide")
    def api_decide():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error='Send a JSON object such as {"record_id": 12, "decision": "include", '
                                 '"note": "optional"}.'), 400
        decision = data.get("decision")
        if decision not in DECISIONS:
            return jsonify(error="decision must be include, exclude or maybe."), 400
        rid = _record_id(data.get("record_id"))
        if rid is None:
            return jsonify(error="record_id must be a whole number naming a record of this project."), 400
        note = data.get("note")
        if note is not None and not isinstance(note, str):
            return jsonify(error="note must be text (or left out)."), 400
        if rid not in eng.records().index:
            primary = eng.project._primary_of().get(rid)
            if primary is not None and int(primary) != rid:  # a duplicate copy: its study is screened once
                # with the next record: the page showed this one before it was merged ('screener dedup'
                # in another terminal) and would otherwise stay on it, refusing every key. That next
                # record is the study's (a more complete copy imported meanwhile is its record now),
                # unless decided already: the page said 'screen record N' and showed another
                study = int(primary)
                marked = eng.current_decision(g.reviewer, study)
                if marked:  # decided already (by a teammate, or the copies joined by 'screener dedup')
                    return jsonify(error=f"Record {rid} is a duplicate of record {study}, which stands for the "
                                         f"study and is already marked {marked}, so '{decision}' was not saved. To "
                                         f"change it, open record {study} from Records.",
                                   study=study, **next_json()), 409
                eng.show_next(g.reviewer, study)
                # 'study': the page keeps the note typed, which was for this study, for its decision
                return jsonify(error=f"Record {rid} is a duplicate of record {study}, which stands for the "
                                     f"study: screen record {study}.", study=study, **next_json()), 409
            return jsonify(error=f"There is no record {rid} to screen in this project."), 404
        expect = data.get("expect")
        # the ranking the page showed the record from (its 'ranking_id', or a blind page's sealed 'pick'): logged
        # with the decision where it is a stored ranking (``WebScreener.shown_ranking``)
        shown_from = data.get("ranking_id")
        if shown_from is None and isinstance(data.get("pick"), str):
            shown_from = open_pick(app.secret_key, data["pick"], rid, g.reviewer)
        if expect not in (None, "undecided"):
            return jsonify(error='expect must be "undecided" (or left out).'), 400
        note = (note or "").strip()[:2000] or None
        # the page's key for this keypress: sent again after a lost answer, it is logged once
        key = data.get("request_id")
        request_id = f"web:{g.reviewer}:{key}" if isinstance(key, str) and _REQUEST_ID.match(key) else None
        t = time.perf_counter()
        try:
            # the page showed the record undecided: a different decision made since, in another tab
            # or window (or, screening as one team, by a teammate), is kept, not overwritten. The
            # same decision again (a resent request, or the same choice twice) is no conflict.
            rest = eng.decide(rid, decision, g.reviewer, note=note, request_id=request_id,
                              shown="" if expect == "undecided" else None, ranking_id=shown_from)
        except DecisionChanged as exc:
            where = _decided_where(eng, rid, g.reviewer) or \
                "in another tab or window" + ("" if eng.dual else ", or by a teammate")
            joined = _joined_since(eng, rid, g.reviewer)
            if joined:  # 'screener dedup' in a terminal joined it to a record decided before: no other tab
                return jsonify(error=f"Record {rid} was joined with {joined} as duplicates of one study ('screener "
                                     f"dedup') after this page showed it; the study is marked {exc.now}, so "
                                     f"'{decision}' was not saved. To change it, open record {rid} from Records.",
                               **next_json()), 409
            return jsonify(error=f"Record {rid} was already marked {exc.now} ({where}) after this page showed "
                                 f"it, so '{decision}' was not saved. To change it, open record {rid} from "
                                 "Records.", **next_json()), 409
        g.save_ms = 1000 * (time.perf_counter() - t)
        # it leaves no record left: files of one --decision exclude just before it are the rest, unread
        said = {"message": " ".join(f"Note: {rest_before_note(name, k, 'your last decisions here')}"
                                    for name, k in rest)} if rest else {}
        return jsonify({"saved": {"record_id": rid, "decision": decision}, **said, **next_json()})

    @app.post("/api/undo")
    def api_undo():
        data = request.get_json(silent=True)
        given = data.get("record_id") if isinstance(data, dict) else None
        if given is not None:
            # the page's own last decision: the latest of all may be one made meanwhile in another
            # tab or window, which this page never showed (its undo showed that record instead)
            rid = _record_id(given)
            if rid is None or not eng.is_record(rid):
                return jsonify(error="record_id must be a whole number naming a record of this project."), 400
            study = int(eng.project._primary_of().get(rid, rid))
            withdrawn = eng.project.own_decision(study, g.reviewer, stage=STAGE, role="reviewer")
            if withdrawn is None:
                return jsonify({"undone": None, "message": f"Your decision on record {rid} was already withdrawn "
                                f"(in another tab or window), so there was nothing to undo.", **next_json()})
            rid = eng.undo(g.reviewer, study)
        else:
            last = eng.last_own_decision(g.reviewer)
            withdrawn = None if last is None else eng.project.own_decision(last, g.reviewer, stage=STAGE,
                                                                          role="reviewer")
            rid = eng.undo(g.reviewer, last) if last is not None else None
        if rid is None:
            return jsonify({"undone": None, "message": "Nothing to undo.", **next_json()})
        # the note of the decision withdrawn: the page puts it back in the note field, for the record
        # decided again (without it the note was gone from the page, and the new decision saved none)
        note = _plain(withdrawn.get("note")) if withdrawn is not None else None
        stands = None if eng.dual else eng.own_decisions(g.reviewer).get(rid)
        if stands is not None:  # single screening: a teammate's decision on the study stands again
            return jsonify({"undone": rid, "message": f"Your decision on record {rid} is withdrawn; a teammate's "
                                                      f"decision ({stands}) stands, so the record is not shown again. "
                                                      f"To change it, open record {rid} from Records.",
                            **next_json()})
        return jsonify({"undone": rid, "note": note if isinstance(note, str) and note.strip() else None,
                        **next_json()})

    # -- records --------------------------------------------------------------------------------
    @app.get("/records")
    def records():
        q = (request.args.get("q") or "").strip()
        want = request.args.get("decision") or ""
        source = request.args.get("source") or ""
        group = (request.args.get("group") or "").strip()
        page = max(1, _int(request.args.get("page"), 1))
        # filter and page on ids, groups and decisions; read the texts of the shown page only
        df = project.records_frame(primary_only=False, texts=False)
        primary = df[df["is_primary"]].reset_index().set_index("group_id")["record_id"]
        df["study"] = df["group_id"].map(primary).fillna(pd.Series(df.index, index=df.index)).astype(int)
        df["copies"] = df.groupby("group_id")["group_id"].transform("size")
        mine = eng.own_decisions(g.reviewer, fresh=True)
        df["own"] = [mine.get(int(s), "") for s in df["study"]]
        # dual screening: one who sees the team (the owner) filters on the team's decision, what PRISMA
        # and the export count (agreed, or settled on Conflicts), or on the conflicts; on their own
        # decisions if asked. Filtered on their own only, the owner who screens nothing found no include.
        # A blind reviewer: their own decisions only, whatever the address asks for
        team = eng.dual and sees_team()
        asked = request.args.get("whose") or ""
        if team and asked not in ("", "team", "mine"):  # 'mien' listed the team's decisions with no word of it
            return _deny(400, _not_one(asked, ("team", "mine")) + "Choose whose decisions Records filters on: the "
                              "team's (team: agreed, or settled on Conflicts) or your own (mine).")
        whose = "mine" if not team or asked == "mine" else "team"
        if whose == "team":
            cur = project.current_decisions(stage=STAGE)
            agreed = cur["decision"]
            split = set(int(i) for i in project.conflicts(stage=STAGE)["record_id"])
            df["decision"] = [agreed.get(int(s)) or ("conflict" if int(s) in split else "") for s in df["study"]]
            # the team's excludes of the rest left unread at the stop, which PRISMA and the dashboard count as not
            # screened (``status._excluded_at_stop``): said below as on a reviewer's own list
            unread = set(int(i) for i in cur.index[rest_excluded(cur["origin"])]) if "origin" in cur.columns \
                else set()
        else:
            df["decision"] = df["own"]
            unread = eng._excluded_at_stop(g.reviewer if eng.dual else TEAM)
        # the databases as PRISMA counts them, each under one name (its file's, spelled as first imported: a search
        # update imported as '--source Medline' after 'MEDLINE' is one choice), so a choice finds the records its
        # PRISMA count is made of; a ProQuest export counted as 'proquest' offered its records' sub-databases
        # instead, and no choice found those 66 records. Each row keeps its record's own database
        database = project.record_databases().reindex(df.index)
        same = database.map(_folded)
        sources = sorted({name for name in database if isinstance(name, str)})
        own = df["source_db"].map(_folded)  # a record's own database ('Sociological Abstracts'), as its row shows it
        if source and _folded(source) not in set(same) | set(own):  # mistyped: '0 records', as if none came from it
            return _deny(400, _not_one(source, sources) + "Choose a database from Source (as its records' rows name "
                              "it), or any for every record.")
        if group and group != "duplicates" and _int(group, None) is None:
            return _deny(400, _not_one(group, ("duplicates",)) + "Duplicate group takes a group's number (as a "
                              "record's page shows it), or duplicates for every study imported more than once.")
        if q:
            df = df[df.index.isin(project.store.search_record_ids(_search_words(q)))]
        if want in DECISIONS:
            df = df[df["decision"] == want]
        elif want == "unscreened":
            df = df[df["decision"] == ""]
        elif want == "conflict" and whose == "team":
            df = df[df["decision"] == "conflict"]
        # the rest excluded unread at the stop carries an exclude, so 'unscreened' does not list it: said, or
        # '0 records' there read as every record screened where 'screener status' says they were never read
        rest_unread = len(unread) if want == "unscreened" else 0
        # a filter left out is said: '?whose=mine&decision=conflict' (a team filter on one's own decisions) or a
        # mistyped value listed every record under 'Decision: any' with no word of it
        not_applied = want if want and want not in (*DECISIONS, "unscreened", "conflict") or (
            want == "conflict" and whose != "team") else ""
        # the closest filter to a mistyped one ('exlcude'), as the terminal's refusals say it
        meant = did_you_mean(want, (*DECISIONS, "unscreened", *(("conflict",) if whose == "team" else ()))) \
            if not_applied and want != "conflict" else ""
        if source:
            key = _folded(source)
            if key not in set(same):
                same = own
            df = df[same.reindex(df.index) == key]
        if group == "duplicates":
            df = df[df["copies"] > 1]
        elif group:
            gid = _int(group, None)
            df = df[df["group_id"] == gid] if gid is not None else df.iloc[0:0]
        # and the list of excludes holds that rest: '60 studies' beside the dashboard's 'Records excluded 20' was
        # two counts of excludes with no word of the 40 PRISMA counts as not screened
        unread_here = int(df.loc[df["study"].isin(unread), "study"].nunique()) if want == "exclude" else 0
        n = len(df)
        # the list shows each database's copy of a study; the dashboard, status and report count
        # studies: said beside, or the list's 2 included records read as a second count of includes
        studies = int(df["study"].nunique())
        pages = max(1, math.ceil(n / PAGE_SIZE))
        page = min(page, pages)
        rows = df.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        texts = project.store.records_frame(record_ids=rows.index).drop(columns=["source_db"])
        rows = rows.join(texts, how="left")
        retracted = eng.retracted_copies()  # each study a copy of which is titled as retracted: said on its other rows
        marked = eng.retracted_in_exports()  # and each its export marked retracted
        rows["retracted"] = [_retracted_note(retracted, s, r, marked) for s, r in zip(rows["study"], rows.index)]
        args = {k: v for k, v in (("q", q), ("decision", want), ("source", source), ("group", group),
                                  ("whose", "mine" if team and whose == "mine" else "")) if v}
        here = url_for("records", **args, page=page)
        return render_template("records.html", rows=[_row(r) for r in rows.reset_index().to_dict("records")],
                               n=n, studies=studies, page=page, pages=pages, q=q, want=want, source=source, group=group,
                               sources=sources, args=args, here=here, team=team, whose=whose,
                               not_applied=not_applied, meant=meant, rest_unread=rest_unread, unread_here=unread_here,
                               n_pairs=pairs_to_decide())

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
        if not sees_team():
            history = history[history["reviewer"] == g.reviewer]
        rec = {"record_id": rid, **{k: _plain(row.get(k)) for k in (
            "title", "abstract", "authors", "year", "journal", "doi", "pmid", "source_db", "keywords", "type")}}
        rx = _terms_rx(eng, study, g.reviewer)
        rec["title_html"] = highlight(rec["title"], rx)
        rec["abstract_html"] = _abstract_html(rec["abstract"], rx)
        rec["doi_url"] = _doi_url(rec["doi"])
        rec["register"] = _register_entry(project, rid, rec["type"], row.get("source_ref"))
        rec["type"] = type_words(rec["type"])  # 'ELEC' read as a code, not as 'Web page'
        rec["retracted"] = _retracted_note(eng.retracted_copies(), study, rid, eng.retracted_in_exports())
        return render_template("record.html", rec=rec, study=study, copies=[_row(r) for r in
                               group.reset_index().to_dict("records")],
                               decision=eng.own_decisions(g.reviewer, fresh=True).get(study, ""),
                               withdrawable=_own_standing(history, g.reviewer),
                               history=[{k: _plain(v) for k, v in h.items()} for h in history.to_dict("records")],
                               own_history=not sees_team(), back=safe_next(request.args.get("back"), "/records"))

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
        shown = request.form.get("shown")
        if decision in DECISIONS and eng.dual and sees_team() and eng.current_decision(g.reviewer, study) is None:
            # a study the reviewers disagree on, decided here by someone with no vote on it (the owner):
            # a third vote settles nothing, and the owner, screening now, would be blind to the conflicts.
            # Only for one who sees the team: a blind reviewer is never told the others disagree
            conf = project.conflicts(stage=STAGE)
            votes = conf[conf["record_id"] == study]
            if len(votes):
                said = ", ".join(f"{v.reviewer}: {v.decision}" for v in votes.itertuples())
                return _deny(409, f"Record {rid} is a conflict between the reviewers ({said}), so '{decision}' was "
                                  "not saved: a decision here would add a vote of yours, leave the conflict open, "
                                  "and make the screening blind for you. Settle it on the Conflicts page, where your "
                                  "choice is saved as the resolution.")
            if g.role == "owner" and not screens():
                # the team's decision (agreed, or settled on Conflicts) changed by the owner, who screens nothing:
                # her vote turned it into a conflict, and, screening now, she was blind to it
                team = _team_decision(project, study)
                if team is not None and team[0] != decision:
                    return _deny(409, f"Record {rid} has the team's decision {team[0]} ({team[1]}), so '{decision}' "
                                      "was not saved: a decision here would add a vote of yours, turn the team's "
                                      "decision into a conflict, and make the screening blind for you. To change it, a "
                                      "reviewer changes their own decision on this page; the conflict that opens is "
                                      "then settled on the Conflicts page.")
                if team is not None:  # the same: it changed nothing for the team, and made her blind
                    return _deny(409, f"Record {rid} already has the team's decision {team[0]} ({team[1]}), so your "
                                      f"'{decision}' was not saved: it would change nothing, add a vote of yours, and "
                                      "make the screening blind for you.")
        if decision in DECISIONS:
            try:
                # the page showed the study with this decision ("" for none): one made since, by a
                # teammate or in another tab, is kept, not overwritten by a choice made without seeing it
                key = _form_request(g.reviewer, decision, note)
                rest = eng.decide(study, decision, g.reviewer, note=note, shown=shown, request_id=key)
                if key and eng.current_decision(g.reviewer, study) != decision:
                    # the key logged before, its decision withdrawn since (a page the browser kept, gone back
                    # to): a choice made again, not the form sent twice
                    rest = eng.decide(study, decision, g.reviewer, note=note, shown=shown)
            except DecisionChanged as exc:
                # the study the page showed: a decision now in force on another record was joined to it since
                then = _record_id(request.form.get("study"))
                then = then if then is not None and then in full.index and full.loc[then, "group_id"] == group_id \
                    else study
                joined = _joined_since(eng, then, g.reviewer)
                if joined:  # 'screener dedup' in a terminal joined it to a record decided before: no other tab
                    return _deny(409, f"Record {rid} was joined with {joined} as duplicates of one study ('screener "
                                      f"dedup') after this page showed it; the study is marked {exc.now}, so "
                                      f"'{decision}' was not saved. Open the record again to see its decision, then "
                                      "choose.")
                by = _decided_where(eng, study, g.reviewer) or (
                    "in another tab or window" if eng.dual else "by a teammate, or in another tab or window")
                return _deny(409, f"Record {rid} was marked {exc.now} ({by}) after this page showed it "
                                  f"{shown or 'not screened'}, so '{decision}' was not saved. Open the record again "
                                  f"to see its decision, then choose.")
            # it leaves no record left: files of one --decision exclude just before it are the rest, unread.
            # Said on the page the redirect leads to, in the screening page's words
            for name, k in rest:
                flash(f"Note: {rest_before_note(name, k, 'your last decisions here')}")
        elif decision == "retract":
            role = project.own_decision_role(study, g.reviewer, stage=STAGE)
            if role is None:
                return _deny(400, "You have no decision on this record to withdraw (a decision shown here that "
                                  "a teammate made is theirs to withdraw). To change it, choose include, exclude "
                                  "or maybe.")
            eng.undo(g.reviewer, study, role=role, note=note)
        else:
            return _deny(400, _not_one(decision, DECISIONS) + "Choose include, exclude or maybe.")
        return redirect(safe_next(request.form.get("next"), url_for("record_detail", rid=rid)))

    # -- dashboard and exports ---------------------------------------------------------------------
    @app.get("/dashboard")
    def dashboard():
        team = sees_team()
        ctx = dash.dashboard_context(project, eng, g.reviewer, team=team, full_text=sees_full_text())
        ctx["status"] = status_for()
        png = dash.discovery_png(project, eng, ctx["stopping"]) if team else None
        ctx["curve_uri"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None
        # blind at full text: the team's full-text counts (agreed decisions, reasons) and the report hidden
        ctx.update(team=team, blind_message=blind_message(dashboard=True), blinding_over=blinding_over(),
                   full_text_team=sees_full_text(), n_pairs=pairs_to_decide(),
                   export_formats=[(fmt, EXPORT_FORMAT_WORDS[fmt]) for fmt in EXPORT_FORMATS])
        return render_template("dashboard.html", **ctx)

    @app.get("/dashboard/discovery.png")
    def discovery_png():
        denied = team_only()
        if denied:
            return denied
        png = dash.discovery_png(project, eng)
        if png is None:
            abort(404)
        return Response(png, mimetype="image/png")

    @app.get("/export/records.<fmt>")
    def export_records(fmt: str):
        if fmt not in EXPORT_FORMATS:  # an address typed: 'Not found' read as no export at all
            csv_link = url_for('export_records', fmt='csv', only=request.args.get('only'))
            return _deny(404, f"{fmt!r} is not a format to export to.{did_you_mean(fmt, EXPORT_FORMATS)} "
                              f"Export as csv, tsv, ris or xlsx: {csv_link}.")
        only = request.args.get("only") or None
        if only is not None and only not in EXPORT_SETS:
            return _deny(400, f"{only!r} is not a set of records to export.{export_set_hint(only)} Choose one of "
                              "included, excluded, maybe or unscreened (at title and abstract), or final (the "
                              "studies included at full text).")
        try:
            data = dash.export_bytes(project, fmt, only=only, reviewer=None if sees_team() else g.reviewer,
                                     full_text_reviewer=None if sees_full_text() else g.reviewer)
        except InputError as exc:  # final includes before any full-text decision
            return _deny(400, str(exc))
        mime = {"csv": "text/csv", "tsv": "text/tab-separated-values", "ris": "application/x-research-info-systems",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
        name = f"{_slug(project.dir.name)}-{only or 'records'}.{fmt}"
        return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)

    @app.get("/export/report.html")
    def export_report():
        denied = team_only()
        if denied:
            return denied
        if not sees_full_text():  # its methods and PRISMA flow give the full-text agreement and decisions
            return _deny(403, "The report gives the reviewers' agreement and decisions at full text, and full-text "
                              f"assessment is still blind: it opens when {full_text_waits()} have assessed every "
                              "report passed on to full text, or when the project owner ends the full-text blinding.")
        html = dash.report_html(project)
        if html is None:
            return _deny(404, "The HTML report is not available in this version of screener yet.")
        return send_file(io.BytesIO(html.encode("utf-8")), mimetype="text/html", as_attachment=True,
                         download_name=f"{_slug(project.dir.name)}-report.html")

    @app.get("/export/agreement.csv")
    def export_agreement():
        denied = team_only()
        if denied:
            return denied
        from ..io.export import csv_safe

        table = agreement_frame(project)
        for col in ("reviewer_a", "reviewer_b"):
            table[col] = table[col].map(lambda v: csv_safe(str(v)))
        buf = io.StringIO()
        table.to_csv(buf, index=False)
        # with a BOM, as the records export: Excel reads UTF-8 without one as Windows-1252 ('ZoÃ«')
        return send_file(io.BytesIO(buf.getvalue().encode("utf-8-sig")), mimetype="text/csv", as_attachment=True,
                         download_name=f"{_slug(project.dir.name)}-agreement.csv")

    # -- possible duplicates ---------------------------------------------------------------------
    # the pairs 'screener dedup --review' lists, decided as its --merge and --keep-apart do (the same
    # Project.decide_duplicate_pair), logged under the owner's name; records' details only, no decisions
    dedup_command = f"screener dedup {project_dir} "

    def pairs_page(error: str | None = None, code: int = 200):
        pairs, n, page = _review_pairs(project, _int(request.values.get("page"), 1))
        start = (page - 1) * PAIRS_SHOWN
        return render_template("duplicates.html", pairs=pairs, n_pairs=n, error=error, page=page, first=start + 1,
                               last=start + len(pairs), pages=-(-n // PAIRS_SHOWN), per_page=PAIRS_SHOWN), code

    def pairs_url() -> str:
        """The page of pairs the owner was on (page 1 has no number in its address)."""
        page = _int(request.values.get("page"), 1)
        return url_for("duplicates", page=page) if page > 1 else url_for("duplicates")

    def pairs_to_decide() -> int:
        """The pairs of possible duplicates, for the owner's link to the page that decides them (0 for others)."""
        return project.n_duplicate_pairs() if g.role == "owner" else 0

    @app.get("/duplicates")
    def duplicates():
        if g.role != "owner":
            return _deny(403, PAIRS_OWNER)
        return pairs_page()

    @app.post("/duplicates/decide")
    def duplicates_decide():
        if g.role != "owner":
            return _deny(403, PAIRS_OWNER)
        a, b = _int(request.form.get("record_id"), None), _int(request.form.get("other_id"), None)
        decision = request.form.get("decision")
        if a is None or b is None or decision not in ("merge", "separate"):
            return pairs_page("Nothing was changed: choose 'Same study' or 'Different studies' for one of the "
                              "pairs below.", 400)
        a, b = min(a, b), max(a, b)
        notes: list[str] = []
        gone = None
        try:
            with store.transaction():
                # in the writers' turn: a pair decided since this page was shown (another tab, a terminal) or
                # grouped by an import is not decided again unseen
                store.serialize("records")
                if not _pair_listed(project, a, b):
                    gone = _pair_gone(project, a, b)
                else:
                    before, after = project.decide_duplicate_pair(a, b, decision, reviewer=g.reviewer, origin="web",
                                                                  notes=notes, command=dedup_command)
        except InputError as exc:  # a merge that would undo a reviewer's keep-apart: nothing was logged
            said = str(exc)
            return pairs_page(said[:1].upper() + said[1:], 409)
        if gone:
            return pairs_page(gone, 409)
        eng.sync_records()  # the study joined (or parted): the counts and the queue follow
        if decision == "separate":
            flash(f"Records {a} and {b}: different studies (logged under {g.reviewer}). Each stays a study of its "
                  "own.")
        else:
            from ..dedup import group_members, merge_message

            ids = sorted(set(group_members(before, a) + group_members(before, b)))
            flash(merge_message(before, after, a, b, records=store.records_frame(ids),
                                splits=project.split_records(), command=dedup_command))
        for line in notes:
            flash(f"Note: {line[0].upper() + line[1:]}")
        return redirect(pairs_url())

    # -- dual screening -------------------------------------------------------------------------
    @app.get("/conflicts")
    def conflicts():
        if not eng.dual:
            return render_template("conflicts.html", single=True, items=[], table=[], revealed=False)
        over = blinding_over()
        if not sees_team():
            return render_template("conflicts.html", single=False, blind=True, blind_message=blind_message(),
                                   items=[], table=[], revealed=False, blinding_over=over,
                                   n_records=store.n_records(), full_text_ended=_full_text_ended(store),
                                   full_text_by_rule=_full_text_by_rule(project), **full_text_team_words())
        revealed = request.args.get("reveal") == "1" or over
        items, full_text = [], []
        if revealed:
            from ..conflicts import conflict_items

            # full-text conflicts too: settled here as title/abstract ones are (there is no other
            # place), else the report stays out of PRISMA's eligibility boxes, awaiting agreement
            for stage, out in ((STAGE, items), ("full_text", full_text)):
                if stage == "full_text" and not sees_full_text():  # blind at full text: not even how many
                    continue
                out.extend(conflict_items(project, stage))
        table = agreement_frame(project).to_dict("records")
        for row in table:
            row["words"] = interpret_kappa(row["kappa"], row["both_screened"])
        screened_myself = bool(eng.own_decisions(g.reviewer))
        return render_template("conflicts.html", single=False, blind=False, items=items, full_text=full_text,
                               table=table, revealed=revealed, blinding_over=over, screened_myself=screened_myself,
                               n_records=store.n_records(), full_text_blind=not sees_full_text(),
                               full_text_ended=_full_text_ended(store), owner_end=_owner_end(store, g.reviewer),
                               full_text_end=_owner_end(store, g.reviewer, "full_text"),
                               waits_words=waits_words(), late_joiners=late_joiners(over),
                               full_text_by_rule=_full_text_by_rule(project), **full_text_team_words())

    @app.post("/conflicts/<int:rid>/resolve")
    def resolve(rid: int):
        if not eng.dual:
            return _deny(400, "This project screens in single mode: there are no conflicts to resolve.")
        if not sees_team():
            return _deny(403, "Conflicts are resolved by the project owner, or by the reviewers once "
                              f"{'both have' if team_of_two() else 'every reviewer has'} screened every record.")
        decision = request.form.get("decision")
        stage = request.form.get("stage") or STAGE
        if stage not in STAGES:
            return _deny(400, _not_one(stage, STAGES) + "A conflict is at title and abstract (title_abstract) or at "
                              "full text (full_text).")
        if decision not in stage_decisions(stage):  # 'not retrieved' at full text only
            return _deny(400, _not_one(decision, stage_decisions(stage)) + (
                "Choose include, exclude, maybe or not retrieved." if stage == "full_text" else
                "Choose include, exclude or maybe."))
        if stage == "full_text" and not sees_full_text():
            return _deny(403, f"Full-text conflicts are resolved by the project owner, or by the reviewers once "
                              f"{full_text_waits()} have assessed every report passed on to full text (or the owner "
                              "ends the full-text blinding).")
        if rid not in eng.records().index:
            abort(404)
        from ..conflicts import check_conflict

        def disagree() -> None:
            """Run in the resolution's turn at the log (``conflicts.check_conflict``)."""
            check_conflict(eng.project, rid, stage, g.reviewer, project_dir)

        reason = (request.form.get("reason") or "").strip()[:2000] or None
        said = {"note": (request.form.get("note") or "").strip()[:2000] or None, "stage": stage,
                "reason": reason if decision == "exclude" else None, "check": disagree}
        key = _form_request(g.reviewer, decision, said["note"], said["reason"])
        eng.resolve(rid, decision, g.reviewer, request_id=key, **said)
        mine = eng.project.own_decision(rid, g.reviewer, stage=stage, role="resolver") if key else None
        if key and (mine is None or mine["decision"] != decision):
            # the key logged before, that resolution withdrawn since (a page the browser kept, gone back to): a
            # conflict settled again, not the form sent twice
            eng.resolve(rid, decision, g.reviewer, **said)
        # the record leaves the list: say what was saved, so a mis-click is seen, and how to settle it otherwise
        title = str(_plain(eng.records().loc[rid].get("title")) or "")
        title = title if len(title) <= 80 else title[:77].rstrip() + "…"
        flash(f"Record {rid}{f' ({title})' if title else ''} settled as {decision.replace('_', ' ')}"
              f"{' at full text' if stage == 'full_text' else ''}. To settle it otherwise, in a terminal: screener "
              f"conflicts {project_dir} --reviewer {shell_quote(g.reviewer)} --resolve {rid} DECISION"
              f"{' --stage full_text' if stage == 'full_text' else ''}")
        return redirect(url_for("conflicts", reveal=1))

    return app


# -- helpers -------------------------------------------------------------------------------------
def _terms_rx(eng: WebScreener, rid: int, reviewer: str | None):
    return term_regex(eng.extras(rid, reviewer)["terms"]) if eng.ready else None


def _authors_text(authors) -> str:
    """A record's authors as the pages show them: the first 12, and how many more."""
    authors = [] if authors is None or isinstance(authors, float) else [authors] if isinstance(authors, str) \
        else list(authors)
    return "; ".join(map(str, authors[:12])) + (f"; and {len(authors) - 12} more" if len(authors) > 12 else "")


def _review_pairs(project: Project, page: int = 1) -> tuple[list[dict], int, int]:
    """One page of ``PAIRS_SHOWN`` of the pairs 'screener dedup --review' lists (``Project.duplicate_review``),
    each record's details beside the other's; how many pairs there are; and the page shown (a page past the last,
    left by deciding its pairs, is the last)."""
    rev = project.duplicate_review()
    n = len(rev)
    page = min(max(page, 1), max(-(-n // PAIRS_SHOWN), 1))
    rev = rev.iloc[(page - 1) * PAIRS_SHOWN:page * PAIRS_SHOWN]
    ids = sorted(set(rev["record_id"]) | set(rev["other_id"])) if n else []
    authors = project.store.records_frame(ids)["authors"] if ids else {}
    pairs = []
    for r in rev.to_dict("records"):
        sides = []
        for side, rid in (("", r["record_id"]), ("other_", r["other_id"])):
            v = {k: _plain(r.get(side + k)) for k in ("title", "journal", "year", "volume", "issue", "pages", "doi",
                                                       "source_db")}
            where = [f"vol. {v['volume']}" if v["volume"] else "", f"no. {v['issue']}" if v["issue"] else "",
                     f"p. {v['pages']}" if v["pages"] else ""]
            copies = int(r.get(side + "copies") or 1)
            sides.append({**v, "record_id": int(rid), "authors": _authors_text(_plain(authors[rid])),
                          "where": ", ".join(w for w in where if w), "doi_url": _doi_url(v["doi"]),
                          "copies": (f"Record {rid} is one of {copies} copies of its study (records "
                                     f"{r[side + 'copy_ids']})") if copies > 1 else "The study's only record"})
        pairs.append({"record_id": int(r["record_id"]), "other_id": int(r["other_id"]),
                      "reason": _plain(r["reason"]), "sides": sides,
                      "copies": any(int(r.get(s + "copies") or 1) > 1 for s in ("", "other_"))})
    return pairs, n, page


def _pair_listed(project: Project, a: int, b: int) -> bool:
    """Whether records ``a`` and ``b`` are copies of two studies listed as possible duplicates (shown by these
    copies or, on a page shown before the list changed, by others of theirs: the choice is for the studies)."""
    from ..dedup import group_members

    groups = project.store.duplicate_groups_frame()
    sa, sb = set(group_members(groups, a)), set(group_members(groups, b))
    listed = project.duplicate_pairs(closest=False)
    return any((x in sa and y in sb) or (x in sb and y in sa) for x, y in zip(listed["record_id"], listed["other_id"]))


def _pair_gone(project: Project, a: int, b: int) -> str:
    """Why a pair shown on the Possible duplicates page is no longer to decide (nothing was saved): decided, by
    these two records or by two other copies of their studies, or grouped or told apart by de-duplication."""
    from ..dedup import group_members

    log = project.store.dedup_decisions_frame()
    log = log[log["decision"].isin(["merge", "separate"])]
    said = log[(log["record_id"] == a) & (log["other_id"] == b)]
    if len(said):
        last = said.iloc[-1]
        what = "one study" if last["decision"] == "merge" else "different studies"
        return (f"Records {a} and {b} were decided after this page was shown ({last['reviewer']} said they are "
                f"{what}), so your choice was not saved. The list below is as it is now.")
    groups = project.store.duplicate_groups_frame()
    sa, sb = set(group_members(groups, a)) | {a}, set(group_members(groups, b)) | {b}
    # a word on the two studies: one copy of each (not two copies of one study, as an earlier merge of them)
    one, other = log["record_id"].isin(sa), log["other_id"].isin(sb)
    said = log[(one & other) | (log["record_id"].isin(sb) & log["other_id"].isin(sa))]
    if len(said):
        last = said.iloc[-1]
        what = "one study" if last["decision"] == "merge" else "different studies"
        return (f"Records {a} and {b} were decided after this page was shown ({last['reviewer']} said records "
                f"{int(last['record_id'])} and {int(last['other_id'])}, copies of these studies, are {what}), so "
                "your choice was not saved. The list below is as it is now.")
    return (f"Records {a} and {b} are no longer a pair to decide (a later de-duplication, after an import, grouped "
            "them or told them apart), so your choice was not saved. The list below is as it is now.")


def _full_text_ended(store) -> bool:
    """Whether the owner's end of the full-text blinding holds (the Conflicts page's button says so)."""
    from ..accounts import blinding_ended

    return blinding_ended(store, "full_text")


def _owner_end(store, viewer: str | None, stage: str = STAGE) -> dict | None:
    """The owner's last end of the blinding at ``stage``, for the Conflicts page (``accounts.last_blinding_end``),
    its 'by' read 'You' by the owner who ended it. None if it was never ended."""
    from ..accounts import last_blinding_end

    end = last_blinding_end(store, stage)
    if end is None:
        return None
    by = end["by"]
    return {**end, "by": "You" if by is not None and by == viewer else by or "The project owner"}


def _full_text_by_rule(project: Project) -> bool:
    """Whether two reviewers have each assessed every report passed on to full text (the full-text blinding
    is over by the rule: the Conflicts page says so and offers no button to end it)."""
    from ..accounts import full_text_ended_by_rule

    return full_text_ended_by_rule(project)


def _team_decision(project: Project, study: int) -> tuple[str, str] | None:
    """The team's decision on ``study`` and how it stands (agreed by the reviewers, or settled on the
    Conflicts page), None when none does."""
    team = project.current_decisions(stage=STAGE)
    if study not in team.index:
        return None
    now = team.loc[study]
    log = project.decision_log()
    settled = (log.loc[log["decision_id"] == now["decision_id"], "role"] == "resolver").any()
    return str(now["decision"]), "settled on the Conflicts page" if settled else "agreed by the reviewers"


def _disabled_words(before: dict, disabled: bool, dual: bool = True) -> str:
    """What the owner is told after disabling or enabling an account (``before``: as it was; ``dual``: the review
    screens in dual mode, with conflicts and a blinding to speak of)."""
    name = before["name"]
    if not disabled:
        return (f"{name} can sign in again." if before.get("disabled_at") else f"{name} was not disabled: nothing "
                "changed.")
    if before.get("disabled_at"):
        return f"{name} was already disabled: nothing changed."
    counting = ("Their decisions stay in the review and keep counting (conflicts, agreement, whether every reviewer "
                "has screened every record); you can settle their conflicts and end the blinding on the Conflicts "
                "page." if dual else "Their decisions stay in the review and keep counting.")
    return (f"Disabled {name}: they cannot sign in, and a page they have open is signed out at its next click. "
            f"{counting} Enable the account to let them back in.")


def _password_version(password_hash: str) -> str:
    """Changes with the password, so a new password signs out the sessions made with the old one."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _nfkc(name) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", str(name or "")).split())


def _form_key() -> str:
    """A key for one decision form as shown (hex: no word a page is checked for can turn up in it)."""
    return secrets.token_hex(10)


def _form_request(reviewer: str, decision: str, *words: str | None) -> str | None:
    """The log's key for a decision sent by a form (``_form_key``): a double click, or the browser sending
    the form again, is logged once. With the choice in it: another button of the same form is another
    decision (checked against the one the page showed); and with a digest of its ``words`` (note, reason): the
    form sent again with a note written since is no resend, its note was dropped unsaid."""
    key = request.form.get("form_key")
    if not (isinstance(key, str) and _REQUEST_ID.match(key)):
        return None
    said = hashlib.sha256("\0".join(w or "" for w in words).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"form:{reviewer}:{key}:{decision}:{said}"


def _record_id(value) -> int | None:
    """A record id from JSON: a whole number (or its digits as text); never true/false, 5.9 or Infinity."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


def _joined_since(eng: WebScreener, rid: int, reviewer: str) -> str:
    """Words naming the copy whose decision now stands for ``rid``'s study, where the reviewer's own
    decision on it was made on another record of the study or entered by 'screener dedup' ('' if not)."""
    mine = eng.project.own_decision(rid, reviewer, stage=STAGE)
    if mine is None:
        return ""
    if int(mine["record_id"]) != rid:
        return f"record {int(mine['record_id'])}, which you had decided,"
    return "a record you had decided" if mine.get("origin") == "dedup" else ""


def _decided_where(eng: WebScreener, study: int, reviewer: str) -> str:
    """Where the decision standing on ``study`` (the reviewer's own in dual screening, the team's in single) was
    made when not on the web, for a refusal; on the web in single screening, by whom ('by ben', or another tab of
    this reviewer's: two reviewers deciding one record at the same moment were told 'in another tab or window, or
    by a teammate'); '' for none of these. A file labelled in a terminal while the server ran was called another
    tab, one the reviewer never had."""
    if eng.dual:
        row = eng.project.own_decision(study, reviewer, stage=STAGE)
    else:
        now = eng.project.current_decisions(stage=STAGE)
        row = now.loc[study] if study in now.index else None
    origin = "" if row is None else str(row.get("origin") or "")
    if origin.startswith(("label-file:", REST_EXCLUDED)):
        name = origin.split(":", 1)[1]
        for suffix in (*(ONE_DECISION.format(d) for d in DECISIONS), TYPED_EXCLUDES):
            name = name.removesuffix(suffix)
        return f"from the file {name}, labelled in a terminal ('screener label')"
    if origin == "screen":
        return "in a terminal ('screener screen')"
    if origin == "import":
        return "by an import of records with their decisions ('screener import')"
    by = "" if row is None or eng.dual else str(row.get("reviewer") or "")
    if by and origin == "web":
        return "in another tab or window" if by == reviewer else f"by {by}"
    return ""


def _payload(eng: WebScreener, rid: int, reviewer: str | None = None, ranking: int | None = None, *,
             blind: bool = False) -> dict:
    """The screening page's record. ``ranking``: the stored ranking it was picked from (``WebScreener.next_pick``)."""
    rec = eng.record(rid)
    extras = eng.extras(rid, reviewer)
    rx = term_regex(extras["terms"])
    rank, score = eng.rank_of(rid)
    authors = rec.get("authors") or []
    entry = _register_entry(eng.project, rid, rec.get("type"), rec.get("source_ref"))
    return {
        "record_id": rid,
        "title_html": str(highlight(rec.get("title") or "(no title)", rx)),
        "abstract_html": str(_abstract_html(rec.get("abstract"), rx)) if rec.get("abstract") else "",
        "authors": _authors_text(authors),
        "year": rec.get("year"),
        "journal": rec.get("journal") or "",
        "doi": rec.get("doi") or "",
        "doi_url": _doi_url(rec.get("doi")),
        "source_db": rec.get("source_db") or "",
        "trial_id": entry["trial_id"],
        "register_url": entry["url"],
        "reason": extras["reason"],
        "retracted": retraction_note(eng.retracted_copies(), eng.retracted_in_exports(), rid),
        "terms": extras["terms"],
        # blind: the rank moves when the two reviewers agree (an agreed record leaves the ranking)
        "rank": None if blind else rank,
        "score": None if blind or score is None or not math.isfinite(score) else round(score, 4),
        # the stored ranking the record was picked from: sent back with the decision, logged with it. Not to one
        # screening blind: a new one stored after her decision would tell her it settled a study (as 'retrains')
        "ranking_id": None if blind or not reviewer else ranking,
        # hers sealed instead, read by whichever server process saves her decision (``security.seal_pick``)
        "pick": seal_pick(current_app.secret_key, rid, ranking, reviewer) if blind and reviewer and ranking is not None
        else None,
    }


def _next_json(eng: WebScreener, reviewer: str, status: dict | None = None, *, blind: bool = False) -> dict:
    status = eng.status() if status is None else status
    out = {"status": status, "counts": None, "record": None, "done": False, "waiting": False}
    if not eng.ready:
        eng.retry_if_failed()
        out["counts"] = eng.counts(reviewer)
        return out
    rid, ranking = eng.next_pick(reviewer)
    out["counts"] = eng.counts(reviewer)  # after the pick, which read the log's tail: 'done' with the count
    if rid is None and eng.held_by_others(reviewer):
        out["waiting"] = True  # the records left are on teammates' screens: not done; the page asks again
    elif rid is None:
        out["done"] = True
    else:
        out["record"] = _payload(eng, rid, reviewer, ranking, blind=blind)
    return out


def _register_entry(project: Project, rid: int, kind, trial_id) -> dict:
    """A register's record's trial id, link and criteria (``register_entry``): the columns its register exported
    are read for that one record, and only when it is a register's."""
    raw = project.store.records_frame([rid], with_raw=True)["raw"].iloc[0] if kind == REGISTRY_RECORD else None
    return register_entry(kind, _plain(trial_id), raw)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_DOI_OK = re.compile(r"^10\.\d{4,9}/\S+$")


def _abstract_html(abstract, rx):
    """The abstract highlighted; one that is only the record's other titles (MEDLINE's TT) is followed by the words a
    record with no abstract gets: alone, they read as its abstract."""
    shown = highlight(abstract, rx)
    return shown + Markup('\n<span class="muted">No abstract.</span>') if only_other_titles(abstract) else shown


def _doi_url(doi) -> str:
    if not doi:
        return ""
    from ..records import normalise_doi

    d = normalise_doi(str(doi))
    return "https://doi.org/" + quote(d, safe="/:;()._-") if d and _DOI_OK.match(d) else ""


def _own_standing(history: pd.DataFrame, reviewer: str) -> bool:
    """Whether ``reviewer``'s own latest entry in a study's history (its copies' log, this stage), in
    either role, is a decision, not a withdrawal: only that can be withdrawn. Per role: a reviewer
    who withdrew her resolution still has her own vote to withdraw."""
    own = history[history["reviewer"] == reviewer]
    if not len(own):
        return False
    role = own["role"] if "role" in own.columns else pd.Series("reviewer", index=own.index)
    last = own.assign(role=role.fillna("reviewer")).sort_values("decision_id").groupby("role").tail(1)
    return bool((last["decision"] != "retract").any())


def _plain(v):
    from .engine import _clean

    return _clean(v)


def _retracted_note(copies: dict[int, int], study, rid, marked: set[int]) -> str:
    """What the screen says of a study a copy of which is titled as retracted (``retracted_note``), for its record
    ``rid``: '' where none is, or ``rid`` is that copy (its title says it); else of a study the export it came from
    marked retracted (``marked``, ``RETRACTED_IN_EXPORT_NOTE``): ``retraction_note``'s words."""
    return "" if copies.get(int(study)) == int(rid) else retraction_note(copies, marked, int(study))


def _row(r: dict) -> dict:
    out = {k: _plain(v) for k, v in r.items() if k != "raw"}
    out["record_id"] = int(r["record_id"])
    return out


_SEARCH_TOKEN = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


def _search_words(q: str) -> list[str]:
    """The Records search's words, lower-case: a "quoted phrase" is one (its quotes are not in the
    records' text, so searched for as characters they found nothing), curly quotes as straight ones."""
    q = q.replace("\u201c", '"').replace("\u201d", '"').replace("\u201e", '"')
    words = [" ".join((phrase or word).split()).lower() for phrase, word in _SEARCH_TOKEN.findall(q)]
    return [w for w in words if w]


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screener"


def _deny(code: int, message: str, heading: str | None = None):
    """``heading``: the page's title where the code's usual one would mislead (without the access
    token no page of the app opens, so that page also has no link back)."""
    if request.path.startswith("/api/"):
        resp = jsonify(error=message, retry=code == 503)
        resp.status_code = code
        return resp
    resp = make_response(render_template("message.html", message=message, code=code, heading=heading), code)
    return resp


__all__ = ["BLIND_ROUTES", "agreement_frame", "create_app"]
