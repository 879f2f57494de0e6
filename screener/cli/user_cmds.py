"""``screener user``: the reviewer accounts that sign in to ``screener serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InputError, did_you_mean
from ..shell import shell_quote

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


def read_password(password_file: Path | None, *, confirm: bool = True) -> str:
    """The password from the first line of ``password_file``, or typed at a hidden prompt."""
    if password_file is not None:
        try:
            # utf-8-sig: Notepad's invisible byte-order mark would otherwise be the password's first character
            text = Path(password_file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("there is no such file; write the password on the first line of a text file and "
                             "give that file's path.", path=password_file) from None
        except IsADirectoryError:
            raise InputError("this is a folder; give the text file that holds the password.", path=password_file) \
                from None
        except UnicodeDecodeError:
            raise InputError("the password file is not plain text (UTF-8); save it as plain text, the password on "
                             "its first line.", path=password_file) from None
        except OSError as exc:
            raise InputError(f"cannot read the password file ({exc.strerror or exc}).", path=password_file) from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise InputError("the password file is empty; put the password on its first line.", path=password_file)
        return lines[0]
    return typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)


def _forget_failures(store, name: str | None) -> int:
    from ..web.security import StoredLoginLimiter

    return StoredLoginLimiter(store).forget(name)


def register(app: typer.Typer) -> None:
    user = typer.Typer(help="Reviewer accounts for 'screener serve' (sign-in, roles).", no_args_is_help=True)
    app.add_typer(user, name="user")

    @user.command("add")
    def add(
        directory: Path = typer.Argument(..., help="The review project folder."),
        name: str = typer.Argument(..., help="The reviewer's name as the team will see it."),
        role: str = typer.Option("reviewer", "--role",
                                 help="'owner' (adds accounts, ends the blinding, resolves conflicts) or 'reviewer'."),
        password_file: Optional[Path] = typer.Option(None, "--password-file",
                                                     help="Read the password from the first line of this file "
                                                          "instead of asking for it."),
    ):
        """Add a reviewer account. Once a project has accounts, 'screener serve' asks everyone to sign in."""
        from ..accounts import ROLES, add_user
        from ..project import Project

        if role not in ROLES:  # before the first-account rule, which said nothing of a misspelt role
            raise InputError(f"the role must be one of {', '.join(ROLES)}, not {role!r}.{did_you_mean(role, ROLES)} "
                             "Nothing was saved.")
        with Project.open(directory) as project:
            if not project.store.users() and role != "owner":
                # as the Accounts page: with no owner, nobody could add accounts or end the blinding on the web
                blinding = " and end the blinding" if project.settings.get("mode") == "dual" else ""
                raise InputError(f"the first account must be an owner's, so that someone can manage the others"
                                 f"{blinding} on the web: add it with "
                                 f"'screener user add {shell_quote(directory)} {shell_quote(name)} --role owner', "
                                 "then the "
                                 "reviewers. Nothing was saved.")
            password = read_password(password_file)
            stored = add_user(project.store, name, role, password, where=str(directory))
            n = len(project.store.users())
        console.print(f"Added {role} [bold]{escape(stored)}[/] to {escape(str(directory))} "
                      f"({n} account{'' if n == 1 else 's'}). "
                      "'screener serve' now asks everyone to sign in.", highlight=False)

    @user.command("password")
    def password(
        directory: Path = typer.Argument(..., help="The review project folder."),
        name: str = typer.Argument(..., help="The account's name."),
        password_file: Optional[Path] = typer.Option(None, "--password-file",
                                                     help="Read the new password from the first line of this file."),
    ):
        """Set a new password for an account."""
        from ..accounts import find_user, hash_password
        from ..project import Project

        with Project.open(directory) as project:
            account = find_user(project.store, name)  # 'anabel' for 'Anabel', as at sign-in
            if account is None:
                raise InputError(f"there is no account named {name!r} in {directory}."
                                 f"{did_you_mean(name, [u['name'] for u in project.store.users()])} "
                                 "See 'screener user list'.")
            name = account["name"]
            project.store.update_user(name, password_hash=hash_password(read_password(password_file)))
            _forget_failures(project.store, name)  # the new password works at once, not after a lock-out
        still = (f" The account stays disabled; 'screener user enable {shell_quote(directory)} {shell_quote(name)}' "
                 "lets them sign in again."
                 if account.get("disabled_at") else "")
        console.print(f"New password set for [bold]{escape(name)}[/].{escape(still)}", highlight=False)

    def _set_disabled(directory: Path, name: str, disabled: bool) -> None:
        from ..accounts import set_disabled
        from ..project import Project

        with Project.open(directory) as project:
            before = set_disabled(project.store, name, disabled=disabled)
            name = before["name"]
            n = int((project.store.decisions_frame()["reviewer"].astype(str) == name).sum())
            dual = project.settings.get("mode") == "dual"
        if not disabled:
            console.print(f"[bold]{escape(name)}[/] can sign in again." if before.get("disabled_at") else
                          f"[bold]{escape(name)}[/] was not disabled: nothing changed.", highlight=False)
            return
        if before.get("disabled_at"):
            console.print(f"[bold]{escape(name)}[/] was already disabled (since {str(before['disabled_at'])[:16]} "
                          "UTC): "
                          "nothing changed.", highlight=False)
            return
        console.print(f"Disabled [bold]{escape(name)}[/]: they cannot sign in to 'screener serve', and a page they "
                      "have open is signed out at its next click. "
                      + (f"Their {n} decision{'' if n == 1 else 's'} stay in the review and keep counting"
                         + (" (conflicts, agreement, whether every reviewer has screened every record); the owner "
                            "settles their conflicts and can end the blinding on the Conflicts page. " if dual else
                            ". ") if n else
                         "They had made no decisions in this review. ")
                      + f"'screener user enable {escape(shell_quote(directory))} {escape(shell_quote(name))}' "
                        "lets them back in.", highlight=False)

    @user.command("disable")
    def disable(
        directory: Path = typer.Argument(..., help="The review project folder."),
        name: str = typer.Argument(..., help="The account of a reviewer who left the team."),
    ):
        """Take sign-in away from an account (a reviewer who left); their decisions stay in the review."""
        _set_disabled(directory, name, True)

    @user.command("enable")
    def enable(
        directory: Path = typer.Argument(..., help="The review project folder."),
        name: str = typer.Argument(..., help="A disabled account."),
    ):
        """Let a disabled account sign in again (with its password as it was)."""
        _set_disabled(directory, name, False)

    @user.command("unlock", short_help="Let an account sign in again now after too many failed sign-ins (the "
                                       "lock-out lapses by itself after 15 minutes).")
    def unlock(
        directory: Path = typer.Argument(..., help="The review project folder."),
        name: Optional[str] = typer.Argument(None, help="The account locked out after failed sign-ins."),
        everyone: bool = typer.Option(False, "--everyone",
                                      help="Lift every lock-out, also of a whole office signing in from one address."),
    ):
        """Let an account sign in again now after too many failed sign-ins (the lock-out lapses by
        itself after 15 minutes)."""
        from ..accounts import find_user
        from ..project import Project

        if (name is None) == (not everyone):
            raise InputError(f"give the account's name ('screener user unlock {shell_quote(directory)} NAME'), "
                             "or --everyone to lift every lock-out; not both.")
        with Project.open(directory) as project:
            if name is not None:
                account = find_user(project.store, name)  # 'anabel' for 'Anabel', as at sign-in
                if account is None:
                    raise InputError(f"there is no account named {name!r} in {directory}."
                                     f"{did_you_mean(name, [u['name'] for u in project.store.users()])} "
                                     "See 'screener user list'.")
                name = account["name"]
            from ..accounts import record_unlock
            from ..web.security import StoredLoginLimiter

            # each account locked out that it lets in is kept, as a disable is (--everyone: each of them); one with
            # a wrong password or two, not locked out, is not: 'user list' said it was unlocked
            lifted = sorted(StoredLoginLimiter(project.store).locked_names(
                [name] if name is not None else [u["name"] for u in project.store.users()]))
            n = _forget_failures(project.store, name)
            for was_locked in lifted:
                record_unlock(project.store, was_locked)

            # an address locked by an office's failed sign-ins still refuses the account unlocked
            blocked = StoredLoginLimiter(project.store).locked_addresses() if name is not None else 0
        who = "every account and address" if name is None else f"[bold]{escape(name)}[/]"
        still = (f" Sign-ins from {blocked} address{'' if blocked == 1 else 'es'} are still refused after too many "
                 f"failed sign-ins from {'it' if blocked == 1 else 'each'} (an office signing in from one address): "
                 f"if {name} signs in from there, 'screener user unlock {shell_quote(directory)} --everyone' lifts "
                 "that too."
                 if blocked else "")
        if n:
            console.print(f"Lifted: {n} failed sign-in{'' if n == 1 else 's'} of {who} forgotten"
                          + (f".{escape(still)}" if still else "; they can sign in again now."), highlight=False)
        else:
            console.print(f"No failed sign-ins are on record for {who} in the last 15 minutes: nothing was locked."
                          + escape(still), highlight=False)

    @user.command("list")
    def list_(directory: Path = typer.Argument(..., help="The review project folder.")):
        """The project's accounts, their roles, and whether they can sign in."""
        from ..accounts import access_words, with_enables, with_unlocks
        from ..project import Project

        with Project.open(directory) as project:
            users = with_enables(project.store, with_unlocks(project.store, project.store.users()))
        if not users:
            console.print("No accounts: 'screener serve' on this computer asks only for a name (one reviewer). "
                          f"Add accounts with 'screener user add {escape(shell_quote(directory))} NAME --role owner'.",
                          highlight=False)
            return
        table = Table(show_header=True)
        for col in ("Name", "Role", "Added", "Access"):
            table.add_column(col)
        for u in users:
            table.add_row(escape(u["name"]), u["role"], str(u["created_at"])[:10], escape(access_words(u)))
        console.print(table)
