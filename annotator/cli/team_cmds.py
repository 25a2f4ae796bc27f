"""Team-server subcommands: ``server init``, ``server add-coder``, ``server blind``,
``push`` and ``pull``.

Server addresses are ``postgresql://USER@HOST:PORT/DATABASE`` URLs. Keep passwords out of
them (they would show in the shell history and the process list): libpq reads them from
``~/.pgpass`` or the ``PGPASSWORD`` variable. A new login's password is read from standard
input with ``--password-stdin``, or generated and shown once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import command


def _read_password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise SystemExit("annotator: --password-stdin given but standard input was empty.")
    return password


def _show_member(member, verb: str) -> None:
    print(f"{verb} {member.role} '{member.coder}' with login {member.login}: {member.url}")
    if member.password:
        print(f"Password (shown once; give it to {member.coder} privately): {member.password}")


def _server_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = sub.add_parser("init", help="create schema, roles and policies; make NAME the lead")
    init.add_argument("url", help="postgresql://OWNER@HOST:PORT/DATABASE (the database's owner)")
    init.add_argument("--lead", required=True, help="the lead's name as a coder")
    init.add_argument("--login", help="the lead's login (default: from the name)")
    init.add_argument("--project-name", help="a new project's name (default: the database's)")
    init.add_argument("--password-stdin", action="store_true", help="read the lead's password")
    add = sub.add_parser("add-coder", help="create a coder's login (or change its role)")
    add.add_argument("url", help="postgresql://OWNER@HOST:PORT/DATABASE (the database's owner)")
    add.add_argument("name", help="the coder's name as it appears in the project")
    add.add_argument("--role", choices=("coder", "editor", "lead"), default="coder")
    add.add_argument("--login", help="the login (default: from the name)")
    add.add_argument("--password-stdin", action="store_true", help="read the password")
    blind = sub.add_parser("blind", help="start or end the blind phase (the lead only)")
    blind.add_argument("url", help="postgresql://LEAD@HOST:PORT/DATABASE")
    blind.add_argument("state", choices=("on", "off"))


@command("server", "set up a team project on a PostgreSQL server (init, add-coder, blind)")(
    _server_args
)
def _run_server(args: argparse.Namespace) -> int:
    from annotator.services import team

    if args.action == "init":
        member = team.init_server(
            args.url,
            args.lead,
            login=args.login,
            password=_read_password(args),
            project_name=args.project_name,
        )
        _show_member(member, "Team project ready; lead")
    elif args.action == "add-coder":
        member = team.add_member(
            args.url, args.name, role=args.role, login=args.login, password=_read_password(args)
        )
        _show_member(member, "Added")
    else:
        from annotator.services.project import Project

        project = Project.open(args.url)
        try:
            team.set_blind(project, args.state == "on")
        finally:
            project.close()
        print(f"Blind phase {args.state}.")
    return 0


def _push_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file to upload")
    p.add_argument("url", help="postgresql://USER@HOST:PORT/DATABASE (an empty database)")


@command("push", "upload a project file into an empty team-server database")(_push_args)
def _run_push(args: argparse.Namespace) -> int:
    from annotator.services.team_transfer import push

    print(push(args.project, args.url).summary())
    return 0


def _pull_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="postgresql://USER@HOST:PORT/DATABASE")
    p.add_argument("out", type=Path, help="the new project file to write (.annotator)")


@command("pull", "save a complete snapshot of a team project as a new project file")(_pull_args)
def _run_pull(args: argparse.Namespace) -> int:
    from annotator.services.team_transfer import pull

    print(pull(args.url, args.out).summary())
    return 0
