"""Reviewer accounts: names people can tell apart, and passwords stored as argon2 hashes.

A dual-screening review is only independent if "ana" is really ana: names are normalised
(NFKC), may not hide control or format characters (a zero-width space, a right-to-left
override), may not mix scripts, and may not look like a name already in use (``ana`` vs
``Ana`` vs ``аna`` with a Cyrillic a). Passwords are hashed with argon2id (argon2-cffi); the
store keeps only the hash.
"""

from __future__ import annotations

import functools
import unicodedata

from .errors import InputError, did_you_mean
from .shell import shell_quote
from .store.base import ROLES

#: Names the decision log uses for itself.
RESERVED_NAMES = {"imported", "resolver", "reviewer", "team"}
MAX_NAME = 60
MIN_PASSWORD = 10
#: a secret's name for a password hash stored anew at sign-in (today's hash settings), its value the hash it
#: replaced, each by its ``hash_fingerprint`` (the weaker hash is not kept): the password did not change, and a
#: restore of a backup from before says nothing of it
REHASHED = "password stored anew:"
#: A signed-out web session's id is kept under this prefix (in the store's secrets, shared by every worker):
#: the cookie is signed, not stored, so without it a copy kept from before 'Sign out' would still work.
SIGNED_OUT = "web_signed_out:"
#: The secret the web app signs its session cookies with (kept in the project: a restart signs no one out). A restore
#: takes it out, so that every browser session from before signs in again (``restore._end_sessions``).
SESSION_KEY = "web_session_key"
#: Unicode categories a name may not contain: control, format (zero-width, bidi overrides),
#: private use, surrogates, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def normalise_name(name) -> str:
    """The name as it will be stored (NFKC, single spaces), or ``InputError`` saying why not."""
    if name is None:
        raise InputError("type a name.")
    raw = unicodedata.normalize("NFKC", str(name))
    bad = [c for c in raw if unicodedata.category(c) in _REFUSED_CATEGORIES]
    if bad:
        shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}" for c in bad[:3])
        raise InputError(f"the name contains invisible or control characters ({shown}); type it again "
                         "without them.")
    out = " ".join(raw.split())
    if not out:
        raise InputError("type a name.")
    if len(out) > MAX_NAME:
        raise InputError(f"a name can be at most {MAX_NAME} characters long.")
    if out.casefold() in RESERVED_NAMES:
        raise InputError(f"{out!r} is a word screener uses itself; choose another name.")
    from confusable_homoglyphs import confusables

    if confusables.is_mixed_script(out):
        raise InputError(f"the name {out!r} mixes letters of different alphabets (e.g. a Cyrillic 'а' among "
                         "Latin letters), so it could pass for someone else's; type it in one alphabet.")
    return out


@functools.lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each character to one representative of the characters it can be mistaken for (Unicode's
    confusables data, as shipped by confusable-homoglyphs), joined transitively."""
    from confusable_homoglyphs import confusables

    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            parent[c] = parent.get(parent[c], parent[c])
            c = parent[c]
        return c

    for ch, entries in confusables.confusables_data.items():
        for e in entries:
            other = e["c"].strip("\u200e\u200f")
            if len(ch) != 1 or len(other) != 1:
                continue
            a, b = find(ch), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {c: find(c) for c in parent}


def skeleton(name: str) -> str:
    """What a name looks like, for telling lookalikes apart: case, accents-as-separate-marks and
    confusable letters (Cyrillic a, Latin a; capital I, small l; zero, O) folded together."""
    proto = _prototypes()
    out = []
    for form in (name, name.casefold()):
        s = unicodedata.normalize("NFKD", form)
        s = "".join(c for c in s if not unicodedata.combining(c))
        out.append("".join(proto.get(c, c) for c in s))
    return "\0".join(out)


def looks_like(a: str, b: str) -> bool:
    """Whether two names could be mistaken for each other (identical names count)."""
    if a == b or a.casefold() == b.casefold():
        return True
    sa, sb = skeleton(a).split("\0"), skeleton(b).split("\0")
    return bool(set(sa) & set(sb))


def check_new_name(name, existing) -> str:
    """``normalise_name`` plus: not the same as, nor a lookalike of, any name in ``existing``."""
    out = normalise_name(name)
    for other in existing:
        if other is None:
            continue
        if looks_like(out, str(other)):
            same = out == other
            raise InputError(f"there is already {'an account named' if same else 'a reviewer whose name looks like'} "
                             f"{out!r}{'' if same else f' ({other!r})'}; choose a name the team can tell apart.")
    return out


def reviewer_name(project, name, what: str = "--reviewer", *, decides: bool = True) -> str:
    """A name given with ``--reviewer``, as the decision log will hold it.

    A variant of a name already in use ('Ana' for 'ana', a trailing space, a Cyrillic 'а') would
    log a third reviewer: the two reviewers' agreement is then never seen and the blinding never
    ends. So: the project's account of that name, or (no accounts) the spelling already in the
    log; with accounts, a name that is not one of them is refused. ``decides``: the name is one decisions are
    made under (a disabled account's is refused); False to read that reviewer's own (status, export), which
    keep counting after the owner disabled the account."""
    try:
        out = normalise_name(name)
    except InputError as exc:
        raise InputError(f"{what} {'' if name is None else str(name)!r}: {exc}") from None
    users = project.store.users()
    accounts = [str(u["name"]) for u in users]
    if accounts:
        same = [a for a in accounts if looks_like(out, a)]
        found = same[0] if len(same) == 1 else out if out in accounts else None
        if found is not None:
            return _not_disabled(project, next(u for u in users if str(u["name"]) == found), users, what) \
                if decides else found
        raise InputError(f"this review has no account named {out!r}.{did_you_mean(out, accounts)} "
                         f"Give the name of your account "
                         f"({', '.join(repr(a) for a in accounts)}), or have the owner add one with "
                         f"'screener user add {shell_quote(project.dir)} NAME'.")
    log = project.decision_log()
    logged = {str(r) for r in log["reviewer"].dropna().unique()} - RESERVED_NAMES if len(log) else set()
    if out in logged:
        return out
    same = sorted(r for r in logged if looks_like(out, r))
    return same[0] if len(same) == 1 else out


def _not_disabled(project, user: dict, users: list[dict], what: str) -> str:
    """The account's name, unless the owner disabled it: a reviewer who left the team screens no more
    (on the web they cannot sign in), and their name on a teammate's decisions would make them the
    departed reviewer's, counted in the agreement and the conflicts as someone else's."""
    name = str(user["name"])
    if not user.get("disabled_at"):
        return name
    by = f" ({user['disabled_by']})" if user.get("disabled_by") else ""
    others = [repr(str(u["name"])) for u in users if not u.get("disabled_at") and str(u["name"]) != name]
    rest = f" ({', '.join(others)})" if others else ""
    raise InputError(f"{what} {name!r}: this account was disabled by the review's owner{by} on "
                     f"{str(user['disabled_at'])[:10]}, so no decisions can be made under it. If {name} is back on "
                     "the team, enable the account first "
                     f"('screener user enable {shell_quote(project.dir)} {shell_quote(name)}'); otherwise give "
                     f"the name of an account that can screen{rest}.")


# -- passwords ------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    # argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a sign-in costs tens of ms
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher().hash(password)


def hash_fingerprint(password_hash: str) -> str:
    """SHA-256 of a stored password hash: tells two hashes apart without keeping either (``REHASHED``)."""
    import hashlib

    return hashlib.sha256(str(password_hash).encode("utf-8")).hexdigest()


def check_password(password) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in password):
        raise InputError("a password may not contain control characters (a file's line break is removed "
                         "automatically; check the file has only the password on its first line).")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists (no timing hint about which names are real)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    target = password_hash or _dummy_hash()
    try:
        ok = _hasher().verify(target, password or "")
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a real password, only here to spend the same time")


# -- the accounts of a project ---------------------------------------------------------------------
def add_user(store, name, role: str, password: str, *, where: str = "DIR") -> str:
    """A new account in ``store``; returns the stored name. ``where``: the project's folder, as the
    owner types it in a terminal (for the command a message gives)."""
    if role not in ROLES:
        raise InputError(f"the role must be one of {', '.join(ROLES)}, not {role!r}.{did_you_mean(role, ROLES)}")
    users = store.users()
    try:
        out = check_new_name(name, [u["name"] for u in users])
    except InputError:
        # a reviewer back on the team: a second account ('ben2') would make them a third reviewer, their
        # earlier decisions never meeting the new ones
        typed = " ".join(unicodedata.normalize("NFKC", str(name or "")).split())
        gone = [u for u in users if u.get("disabled_at") and typed and looks_like(typed, str(u["name"]))]
        if len(gone) == 1:
            was = gone[0]["name"]
            raise InputError(f"there is already an account named {was!r}, disabled since "
                             f"{str(gone[0]['disabled_at'])[:10]}. If {was} is back on the team, enable that "
                             f"account ('screener user enable {shell_quote(where)} {shell_quote(was)}', or Enable on "
                             "the Accounts page): their "
                             "decisions so far stay theirs, and a new password can be set with 'screener user "
                             "password'. Nothing was added.") from None
        raise
    # a name already in the decision log may get its account; a lookalike of one may not
    reviewers = store.decisions_frame()["reviewer"].astype(str)
    for other in sorted(set(reviewers) - {out}):
        if looks_like(out, other):
            # most likely the same person, who screened before the team had accounts (or in a terminal):
            # another name would make them a reviewer of their own, their decisions left under the old one
            n = int((reviewers == other).sum())
            raise InputError(f"{n} decision{'' if n == 1 else 's'} in this review {'was' if n == 1 else 'were'} made "
                             f"under the name {other!r}, which looks like {out!r}. If they are this reviewer's, add "
                             f"the account as {other!r} (that spelling exactly), so they count as theirs; if not, "
                             "choose a name the team can tell apart.")
    store.add_user(out, role, hash_password(password))
    return out


def find_user(store, name) -> dict | None:
    """The account ``name`` names as sign-in reads it (spaces collapsed, NFKC, and 'anabel' for
    'Anabel': names differing in case only are never two accounts), or None."""
    typed = unicodedata.normalize("NFKC", " ".join(str(name or "").split()))
    if "\x00" in typed:  # no account's name holds one (``normalise_name``), and PostgreSQL cannot even look it up
        return None
    user = store.get_user(typed)
    if user is None:
        same = [u["name"] for u in store.users() if str(u["name"]).casefold() == typed.casefold()]
        user = store.get_user(same[0]) if len(same) == 1 else None
    return user


def authenticate(store, name, password) -> dict | None:
    """The account when ``name`` and ``password`` match, else None (same work either way)."""
    from .errors import DatabaseUnavailable

    try:
        user = find_user(store, name)
    except DatabaseUnavailable:
        raise  # not a wrong password: the database is restarting (the page says so; no failed try counted)
    except Exception:  # a name the database cannot hold (a NUL byte): no such account
        user = None
    ok = verify_password(user["password_hash"] if user else None, str(password or ""))
    if ok and _hasher().check_needs_rehash(user["password_hash"]):
        anew = _hasher().hash(password)
        with store.transaction():
            store.update_user(user["name"], password_hash=anew)
            store.get_secret(REHASHED + hash_fingerprint(anew), make=lambda: hash_fingerprint(user["password_hash"]))
        # the account as stored now: a session marked with the old hash would end at the next page
        user = store.get_user(user["name"]) or user
    return user if ok else None


def disabled_message(user: dict) -> str:
    """What a disabled account is told when it signs in with its right password (never for a wrong
    one: that would tell a stranger the name is an account)."""
    by = user.get("disabled_by")
    return (f"This account was disabled by the review's owner{f' ({by})' if by else ''}, so it can no longer sign "
            "in. Your decisions are kept in the review. If you still need access, ask the owner to enable it again.")


def set_disabled(store, name, *, disabled: bool, by: str | None = None) -> dict:
    """Disable (or enable again) account ``name``; returns the account as it was before.

    A reviewer who leaves the team loses access; their decisions stay in the review and keep
    counting (agreement, conflicts, whether every reviewer has screened every record), because
    the review's record of who decided what must not change when someone leaves. The owner cannot
    disable their own account (``by``), nor the last owner who can still sign in: nobody could then
    add accounts, end the blinding or settle conflicts on the web. Checked and written in one
    transaction, so two owners disabling each other at once leave one of them. ``by``: the owner
    signed in on the web; None from a terminal (``screener user disable``)."""
    with store.transaction():
        store.serialize("accounts")
        user = find_user(store, name)
        if user is None:
            accounts = [u["name"] for u in store.users()]
            names = ", ".join(repr(a) for a in accounts)
            raise InputError(f"there is no account named {str(name)!r} in this review.{did_you_mean(name, accounts)}"
                             + (f" The accounts are {names}." if names else ""))
        if not disabled:
            if user.get("disabled_at"):
                store.set_user_disabled(user["name"], False)
                # the disable is cleared from the account: kept here with who let them back in
                kept = store.get_setting(ENABLES) or {}
                kept = dict(kept) if isinstance(kept, dict) else {}
                kept[user["name"]] = {"at": store.now(), "by": by, "disabled_at": user.get("disabled_at"),
                                      "disabled_by": user.get("disabled_by")}
                store.set_setting(ENABLES, kept)
            return user
        if user.get("disabled_at"):
            return user
        if by is not None and user["name"] == by:
            raise InputError("you cannot disable your own account: another owner can, or add a second owner first.")
        if user["role"] == "owner":
            others = [u for u in store.users() if u["role"] == "owner" and not u.get("disabled_at")
                      and u["name"] != user["name"]]
            if not others:
                raise InputError(f"{user['name']!r} is the last owner who can sign in, so nobody could add accounts, "
                                 "end the blinding or settle conflicts on the web; add another owner first.")
        store.set_user_disabled(user["name"], True, by)
        store.release_claims(user["name"])  # records they had on screen go to the others
    return user


#: The setting that keeps each account's last enable ({name: {"at", "by": the owner on the web, None from a terminal,
#: "disabled_at", "disabled_by": the disable it ended}}): enabling clears the account's disable, so without it the
#: review kept no record of who let a reviewer back in, nor that they had been disabled.
ENABLES = "account_enables"


def with_enables(store, users: list[dict]) -> list[dict]:
    """``users`` with the last enable of each one (``enabled``: the kept entry, or None), for the Accounts page and
    'screener user list'."""
    kept = store.get_setting(ENABLES) or {}
    kept = kept if isinstance(kept, dict) else {}
    return [{**u, "enabled": kept.get(u["name"]) if isinstance(kept.get(u["name"]), dict) else None} for u in users]


def enabled_words(user: dict) -> str:
    """'enabled again 2026-12-07 by Olga (disabled 2026-12-01 by Ben)' (or 'from a terminal'); "" for an account
    never enabled again, or disabled again since (its disable says so)."""
    last = user.get("enabled")
    if not last or not last.get("at") or user.get("disabled_at"):
        return ""
    words = _when_by("enabled again", last["at"], last.get("by"))
    if last.get("disabled_at"):
        words += f" ({_when_by('disabled', last['disabled_at'], last.get('disabled_by'))})"
    return words


def _when_by(done: str, at, by: str | None) -> str:
    """'disabled 2026-12-01 by Ben', or 'from a terminal' where no owner signed in on the web did it (``by`` None)."""
    return f"{done} {str(at)[:10]} " + (f"by {by}" if by else "from a terminal")


#: The setting that keeps each account's last lift of a sign-in lock-out ({name: {"at": when, "by": the owner on the
#: web, None from a terminal}}): as a disable is kept with the account, the review keeps who let a reviewer in
#: after too many wrong passwords, and when (a server log line is kept by no one).
UNLOCKS = "account_unlocks"


def record_unlock(store, name: str, by: str | None = None) -> None:
    """Keep that ``by`` (None: a terminal's 'screener user unlock') lifted account ``name``'s lock-out now."""
    with store.transaction():
        store.serialize(UNLOCKS)  # two owners unlocking at once: both kept
        kept = store.get_setting(UNLOCKS) or {}
        kept = dict(kept) if isinstance(kept, dict) else {}
        kept[str(name)] = {"at": store.now(), "by": by}
        store.set_setting(UNLOCKS, kept)


def with_unlocks(store, users: list[dict]) -> list[dict]:
    """``users`` with the last lift of each one's lock-out (``unlocked_at``, ``unlocked_by``; None for none), for the
    Accounts page and 'screener user list'."""
    kept = store.get_setting(UNLOCKS) or {}
    kept = kept if isinstance(kept, dict) else {}
    out = []
    for u in users:
        last = kept.get(u["name"])
        last = last if isinstance(last, dict) else {}
        out.append({**u, "unlocked_at": last.get("at"), "unlocked_by": last.get("by")})
    return out


def unlocked_words(user: dict) -> str:
    """'unlocked 2026-12-07 by Olga' (or 'from a terminal'); "" for an account never unlocked."""
    if not user.get("unlocked_at"):
        return ""
    return _when_by("unlocked", user["unlocked_at"], user.get("unlocked_by"))


def access_words(user: dict) -> str:
    """Whether account ``user`` (``with_enables``, ``with_unlocks``) can sign in, with who last disabled, enabled
    or unlocked it and when, as the Accounts page and 'screener user list' say it."""
    if user.get("disabled_at"):
        words = _when_by("disabled", user["disabled_at"], user.get("disabled_by"))
    else:
        words = "; ".join(w for w in ("can sign in", enabled_words(user)) if w)
    return "; ".join(w for w in (words, unlocked_words(user)) if w)


# -- dual screening ------------------------------------------------------------------------------
#: The setting each stage's end of the blinding is kept under, its value saying the stage too (``stage``):
#: the title/abstract end keeps the name it always had, so an older project's end reads as that one.
BLINDING_SETTINGS = {"title_abstract": "blinding_ended", "full_text": "blinding_ended_full_text"}


def blinding_ended(store, stage: str = "title_abstract") -> bool:
    """Whether the owner's 'End the blinding' for ``stage`` (the setting ``BLINDING_SETTINGS[stage]``:
    by whom, when in UTC, and the stage) still holds: it does for the records there were then. Records
    imported since (a search update) are screened blind again, until the owner ends the blinding again;
    else a reviewer would see the other's decisions and notes on them as they are made. Each stage ends
    on its own: the end of the title/abstract blinding leaves the full texts blind."""
    ended = store.get_setting(BLINDING_SETTINGS[stage])
    if not ended or not isinstance(ended, dict) or ended.get("stage", "title_abstract") != stage:
        return False
    import pandas as pd

    at = pd.to_datetime(ended.get("at"), utc=True, errors="coerce")
    if pd.isna(at):  # when is unknown, so an import since cannot be ruled out
        return False
    imported = pd.to_datetime(store.sources_frame()["imported_at"], utc=True, errors="coerce", format="ISO8601")
    return not bool((imported > at).any())


def last_blinding_end(store, stage: str = "title_abstract") -> dict | None:
    """The owner's last end of the blinding at ``stage``: who ('by'), the day in the owner's own time, as the
    report's methods text gives it ('day'), and whether it still holds ('holds', ``blinding_ended``: a search update
    imported since makes the screening blind again). None if it was never ended (or when is not known)."""
    import pandas as pd

    ended = store.get_setting(BLINDING_SETTINGS[stage])
    if not isinstance(ended, dict) or ended.get("stage", "title_abstract") != stage:
        return None
    at = pd.to_datetime(ended.get("at"), utc=True, errors="coerce")
    if pd.isna(at):
        return None
    return {"by": ended.get("by"), "day": f"{at.to_pydatetime().astimezone():%Y-%m-%d}",
            "holds": blinding_ended(store, stage)}


def blinding_holds(screening, finished) -> bool:
    """The one rule of the blinding at a stage, for the web app and the terminal alike: it holds while anyone
    screening (the owner too, if she screens) has records left, or fewer than two have finished (each record
    needs two decisions). ``screening``: who has decisions of their own at the stage; ``finished``: those of
    them who have screened every record (assessed every report passed on). The owner's end of the blinding
    (``blinding_ended``) ends it whatever this says. A reviewer who finished while another still screens is
    kept blind too: the team's figures would show her the other's decisions as they are made, and the terminal,
    which cannot tell who runs it, could not show her what the web app did."""
    screening, finished = set(screening), set(finished)
    return bool(screening) and (len(finished) < 2 or bool(screening - finished))


def names_words(names) -> str:
    """'olga', 'ben and olga', 'ana, ben and olga'."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def waits_for(screening, finished, stage: str = "title_abstract") -> tuple[list[str], str]:
    """What the blinding at ``stage`` waits for (``blinding_holds``), for the terminal and the web app to say alike:
    (who still screens, sorted; in words, who must finish: 'olga has screened every record', 'a second reviewer
    has assessed every report passed on to full text')."""
    still = sorted(set(screening) - set(finished))
    short = max(0, 2 - len(set(screening)))  # a second reviewer has not started (or no one has)
    who = still + (["a second reviewer"] if short == 1 else ["two reviewers"] if short else []) or ["every reviewer"]
    did = "screened every record" if stage == "title_abstract" else "assessed every report passed on to full text"
    many = len(who) > 1 or who == ["two reviewers"]  # 'two reviewers has screened' before anyone had
    return still, f"{names_words(who)} {'have' if many else 'has'} {did}"


def late_joiners(store, finished) -> list[str]:
    """Once everyone screening has screened every record (``blinding_holds`` over), the reviewers' accounts (not
    disabled) who have not: one who joins then is blind until she has too (the web's ``sees_team``), unless the
    owner ends the blinding, which is not over for her."""
    return sorted(str(u["name"]) for u in store.users()
                  if u["role"] == "reviewer" and not u.get("disabled_at") and str(u["name"]) not in set(finished))


def disabled_words(store, names, then: str) -> str:
    """Of ``names`` the blinding waits for, each whose account the owner disabled, in words: one who left never
    screens the rest, so she waited for good unless told ('' for none). ``then``: what to do, said to the reader."""
    gone = sorted(n for n in names if (store.get_user(n) or {}).get("disabled_at"))
    return "".join(f" ({n}'s account is disabled, so {n} cannot sign in to screen the rest: {then})" for n in gone)


def owner_holds_words(whose: str, n_own: int, n_left: int, withdraw: str) -> str:
    """To an owner who screens and has records left: the ways to lift the blinding she holds open for everyone
    (``blinding_holds``), the reviewers who have finished too. An owner who screened a few records to try the tool
    counts as a screener until her decisions are withdrawn (``whose``: "olga's", "your"; ``withdraw``: where)."""
    rec = f"{n_left} record{'' if n_left == 1 else 's'}"
    dec = f"{n_own} decision{'' if n_own == 1 else 's'}"
    was = "it was" if n_own == 1 else "they were"
    return (f"screen the {rec} left, withdraw {whose} {dec} ({withdraw}) if {was} only a try of the tool, "
            "or end the blinding")


def withdraw_command(project, directory, name: str) -> str:
    """The terminal command that withdraws ``name``'s own title/abstract decisions, naming the records when they
    are few (an owner's try of the tool): one who reads only the web app's way had to find each record's page."""
    log = project.reviewer_decisions()
    mine = sorted(int(i) for i in log[(log["reviewer"] == name) & (log["role"] == "reviewer")]["group_record_id"])
    ids = " ".join(str(i) for i in mine) if 0 < len(mine) <= 20 else "RECORD_ID ..."
    return f"screener withdraw {shell_quote(directory)} {ids} --reviewer {shell_quote(name)}"


def team_view_blind(project) -> bool:
    """Whether the team's title/abstract figures (each reviewer's decisions, the agreed ones, the conflicts, the
    recall) are still blind to someone: dual screening, the owner has not ended the blinding (``blinding_ended``),
    and not every reviewer screening has screened every record, two at least (records one excluded unread at their
    stop still theirs to read). The web app shows them to each viewer who may see them (``sees_team``); a terminal
    cannot tell who runs it, so it holds them back while anyone still screens, as the web app does for them: an
    owner who screens records too, blind on the web until she has screened every record (her few decisions end
    no one else's blinding there, but a terminal cannot tell her from them). The owner who screens none reads them
    with --team. A review no one has screened yet holds nothing of anyone's to see (as ``sees_full_text`` reads
    it at full text)."""
    if project.settings.get("mode") != "dual" or blinding_ended(project.store):
        return False
    return blinding_holds(*screeners(project))


def screeners(project, stage: str = "title_abstract") -> tuple[set[str], set[str]]:
    """(who has decisions of their own at ``stage``, an owner who screens among them; those of them who have
    finished it: screened every record, or assessed every report passed on to full text). The blinding waits for
    the rest, and the terminal's messages name them."""
    if stage == "full_text":
        passed, assessed = full_text_assessors(project)
        return set(assessed), full_text_done(passed, assessed)
    from .status import screening_counts

    votes = project.reviewer_decisions()
    if votes.empty:
        return set(), set()
    names = set(votes.loc[votes["role"] == "reviewer", "reviewer"].astype(str))
    return names, {n for n in names if _screened_all(screening_counts(project, n))}


def owner_may_not_screen(project, stage: str = "title_abstract") -> bool:
    """Whether the review can have an owner who screens nothing at ``stage``, the one --team is for: no owner's
    account (a terminal cannot tell), or an owner with no decision there beside two others who screen. In a team of an
    owner and one reviewer the owner is the second screener: --team would show her the reviewer's decisions."""
    users = [u for u in project.store.users() if not u.get("disabled_at")]
    owners = {str(u["name"]) for u in users if u["role"] == "owner"}
    if not owners:  # no account of the owner's: whoever keeps the review in a terminal may be one who screens none
        return True
    names = screeners(project, stage)[0]
    others = {str(u["name"]) for u in users if u["role"] != "owner"} | names
    return any(o not in names and len(others - {o}) >= 2 for o in owners)


def full_text_view_blind(project) -> bool:
    """Whether the team's full-text decisions (each reviewer's, the agreed ones, their notes and reasons) are still
    blind to someone, as ``team_view_blind`` reads the title/abstract ones: dual screening, the owner has not ended
    the full-text blinding, and not every reviewer assessing full texts has assessed every report passed on, two
    at least. The web app shows each viewer theirs (``sees_full_text``); a terminal holds them back, while an
    owner who assesses full texts too has reports left as well (blind on the web until she has assessed them)."""
    if project.settings.get("mode") != "dual" or blinding_ended(project.store, "full_text"):
        return False
    # (no full-text decision of anyone's: nothing to see)
    return blinding_holds(*screeners(project, "full_text"))


def _screened_all(counts) -> bool:
    return counts.records > 0 and counts.left <= 0 and not counts.excluded_unscreened


def end_blinding(store, stage: str, by: str | None) -> dict:
    """Record the owner's end of the blinding for ``stage`` (now, by the clock the imports are dated by);
    returns what was stored. An earlier end of the same stage is kept in ``earlier``: the report counts
    the decisions made in each time the blinding was ended, not in the last one only."""
    if stage not in BLINDING_SETTINGS:
        raise InputError("the blinding ends at title and abstract or at full text.")
    ended = {"by": by, "at": store.now(), "stage": stage}
    before = store.get_setting(BLINDING_SETTINGS[stage])
    if isinstance(before, dict) and before.get("at"):
        ended["earlier"] = [*before.get("earlier", []), {"by": before.get("by"), "at": before["at"]}]
    store.set_setting(BLINDING_SETTINGS[stage], ended)
    return ended


def passed_on(project) -> set[int]:
    """The reports passed on to full text: the team's title/abstract includes and maybes (their studies)."""
    cur = project.current_decisions()
    return {int(s) for s in cur.index[cur["decision"].isin(["include", "maybe"])]}


def full_text_assessors(project) -> tuple[set[int], dict[str, set[int]]]:
    """(the reports passed on to full text: the team's title/abstract includes and maybes; the studies
    each reviewer has a full-text decision of their own on, 'not retrieved' included)."""
    passed = passed_on(project)
    votes = project.reviewer_decisions(stage="full_text")
    votes = votes[votes["role"] == "reviewer"] if len(votes) else votes
    assessed = {str(r): {int(s) for s in grp["group_record_id"]} for r, grp in votes.groupby("reviewer")} \
        if len(votes) else {}
    return passed, assessed


def full_text_done(passed: set[int], assessed: dict[str, set[int]]) -> set[str]:
    """The reviewers who have assessed every report passed on to full text (none when none was passed on)."""
    return {r for r, ids in assessed.items() if passed <= ids} if passed else set()


def full_text_ended_by_rule(project) -> bool:
    """Whether two reviewers have each assessed every report passed on to full text: the full-text
    blinding is over for them without the owner's end (the Conflicts page says so, not 'until')."""
    passed, assessed = full_text_assessors(project)
    return bool(assessed) and not blinding_holds(assessed, full_text_done(passed, assessed))


def sees_full_text(project, reviewer: str | None, *, owner: bool = False) -> bool:
    """Whether ``reviewer`` may see the team's full-text decisions (the others' decisions, notes and
    reasons, agreement, the agreed decisions): not in blind dual screening until the owner ends the
    full-text blinding, or two reviewers have each assessed every report passed on to full text and
    ``reviewer`` has too (the title/abstract rule, on the full texts). Ending the title/abstract
    blinding does not end it: a reviewer still assessing full texts would see her teammate's.
    ``owner``: the project owner sees all unless she assesses full texts herself (whether she screened
    titles and abstracts or not: that stage's blinding is its own)."""
    if project.settings.get("mode") != "dual" or blinding_ended(project.store, "full_text"):
        return True
    passed, assessed = full_text_assessors(project)
    if (owner and reviewer not in assessed) or not set(assessed) - {reviewer}:
        return True  # (nobody else has a full-text decision: there is nothing of theirs to see)
    done = full_text_done(passed, assessed)
    return not blinding_holds(assessed, done) and reviewer in done


__all__ = ["BLINDING_SETTINGS", "MIN_PASSWORD", "RESERVED_NAMES", "add_user", "authenticate", "blinding_ended",
           "last_blinding_end",
           "blinding_holds", "disabled_words", "late_joiners", "names_words", "owner_holds_words", "waits_for",
           "withdraw_command",
           "check_new_name", "check_password", "disabled_message", "end_blinding", "find_user", "full_text_assessors",
           "full_text_done", "full_text_ended_by_rule", "full_text_view_blind", "hash_password", "looks_like",
           "normalise_name", "owner_may_not_screen", "passed_on", "screeners", "sees_full_text", "set_disabled",
           "skeleton", "team_view_blind", "verify_password"]
