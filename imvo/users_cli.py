"""`imvo users`: add, list and remove accounts, change roles, end sessions, read the audit log."""

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from imvo.definitions import definitions
from imvo.errors import ImvoError
from imvo.settings import get_settings
from imvo.terminal import literal
from imvo.users import Account, UserStore, no_account

users_app = typer.Typer(no_args_is_help=True, help="Accounts that sign in to the dashboard, "
                        "and the audit log.")
console = Console(stderr=True)
DEMO_ACCOUNTS = (("steering", "textiel"), ("evaluator", None), ("commission", "textiel"),
                 ("admin", None))


def store() -> UserStore:
    """Return the user store the settings name."""
    return UserStore(get_settings().accounts_path)


def check_covenant(covenant: str | None) -> None:
    """Refuse a covenant code the definitions do not know."""
    known = definitions().covenants
    if covenant is not None and covenant not in known:
        raise ImvoError(f"unknown covenant '{covenant}'",
                        hint="choose one of: " + ", ".join(sorted(known)))


def new_password() -> str:
    """Return a random password that is easy to type and hard to guess."""
    return secrets.token_urlsafe(12)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[str, typer.Option(help="steering, evaluator, commission (also the "
                                           "secretariat) or admin.")],
    covenant: Annotated[str | None, typer.Option(help="Covenant of a steering or commission "
                                                      "account.")] = None,
    generate: Annotated[bool, typer.Option(help="Make a random password and print it.")] = False,
) -> None:
    """Add an account; the password is asked for twice, or made with --generate."""
    check_covenant(covenant)
    password = new_password() if generate else typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    account = store().add(username, password, role, covenant)
    console.print(literal(f"Added {account.username} as {account.role}"
                          f"{' of ' + account.covenant if account.covenant else ''}."))
    if generate:
        typer.echo(f"Password: {password}")


@users_app.command("list")
def list_accounts() -> None:
    """List the accounts with their role and covenant."""
    table = RichTable("user", "role", "covenant", "signs in with", title="Accounts")
    for account in store().accounts():
        table.add_row(literal(account.username), literal(account.role),
                      literal(account.covenant or ""),
                      "password" if account.source == "local" else "OpenID Connect")
    Console().print(table)


@users_app.command("remove")
def remove(username: Annotated[str, typer.Argument(help="User name of the account.")]) -> None:
    """Remove an account; its open sessions end at once."""
    if not store().remove(username):
        raise no_account(username)
    console.print(literal(f"Removed {username}."))


@users_app.command("role")
def role(
    username: Annotated[str, typer.Argument(help="User name of the account.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="steering, evaluator, "
                                            "commission or admin.")],
    covenant: Annotated[str | None, typer.Option(help="Covenant of a steering or commission "
                                                      "account.")] = None,
) -> None:
    """Give an account another role; its open sessions end at once."""
    check_covenant(covenant)
    account = store().set_role(username, new_role, covenant)
    console.print(literal(f"{account.username} is now {account.role}"
                          f"{' of ' + account.covenant if account.covenant else ''}; "
                          "its sessions have ended."))


@users_app.command("sign-out")
def sign_out(username: Annotated[str, typer.Argument(help="User name of the account.")]) -> None:
    """End every open session of an account at once (it can sign in again)."""
    users = store()
    if users.account(username) is None:
        raise no_account(username)
    ended = users.end_sessions(username)
    console.print(literal(f"Ended {ended} session{'' if ended == 1 else 's'} of {username}."))


@users_app.command("audit")
def audit(
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
    event: Annotated[str | None, typer.Option(help="Only this event: sign_in, sign_in_failed, "
                                                   "upload, export, ...")] = None,
) -> None:
    """Show the audit log: sign-ins, failed sign-ins, uploads and exports."""
    table = RichTable("at (UTC)", "event", "user", "address", "detail", title="Audit log")
    for entry in store().audit(limit=limit, event=event):
        table.add_row(*(literal(cell or "") for cell in (entry.at, entry.event, entry.username,
                                                          entry.address, entry.detail)))
    Console(width=200).print(table)


def add_demo_accounts(path: Path) -> list[tuple[Account, str]]:
    """Create one account per role that signs in, with a new random password each."""
    demo_store = UserStore(path)
    made = []
    for role, covenant in DEMO_ACCOUNTS:
        password = new_password()
        name = f"{role}-{covenant}" if covenant else role
        made.append((demo_store.add(name, password, role, covenant), password))
    return made


def demo_accounts_table(made: list[tuple[Account, str]]) -> RichTable:
    """Return the table of demo accounts that `imvo demo` prints."""
    table = RichTable("role", "user", "password", title="Demo accounts (demo mode only)")
    table.add_row("public", "(no sign-in)", "")
    for account, password in made:
        role = f"{account.role} ({account.covenant})" if account.covenant else account.role
        table.add_row(role, account.username, password)  # names and passwords made here
    return table
