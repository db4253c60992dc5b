"""``voicemock banks ...``: list, show, validate question banks and print their JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from ._common import app, fail, print_json, user_errors

banks_app = typer.Typer(no_args_is_help=True, help="List, show and validate question banks.")
app.add_typer(banks_app, name="banks")


@banks_app.command("list")
@user_errors
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the available banks (built-in and from the home folder)."""
    from ..banks import list_banks

    infos = list_banks()
    if as_json:
        print_json([
            {"name": b.name, "title": b.title, "company": b.company, "questions": b.questions,
             "origin": b.origin, "path": str(b.path)}
            for b in infos
        ])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "questions", "company", "title", "origin")
    for b in infos:
        table.add_row(b.name, str(b.questions), b.company or "-", b.title, b.origin)
    Console().print(table)


@banks_app.command("show")
@user_errors
def show_cmd(
    name: str = typer.Argument(..., help="Bank name (see 'voicemock banks list') or a path to a YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a bank's questions."""
    from ..banks import load_bank

    bank = load_bank(name)
    if as_json:
        print_json(bank.model_dump(mode="json"))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{bank.title}[/bold]  ({bank.name}, {len(bank.questions)} questions)")
    if bank.notes:
        console.print(bank.notes.strip(), style="dim")
    table = Table("id", "level", "question")
    table.columns[0].no_wrap = True  # --question-id needs the whole id
    table.columns[1].no_wrap = True
    for q in bank.questions:
        about = ", ".join(dict.fromkeys([q.category, *q.tags]))
        table.add_row(q.id, q.difficulty, f"{escape(q.text)}\n[dim]{escape(about)}[/dim]")
    console.print(table)


@banks_app.command("validate")
def validate_cmd(paths: List[Path] = typer.Argument(..., help="Bank YAML files to check.")) -> None:
    """Check bank files; print PATH:LINE: message per problem. Exit 1 if any file is invalid."""
    from ..banks import validate_bank_file

    bad = 0
    for path in paths:
        problems = validate_bank_file(path)
        for p in problems:
            typer.echo(str(p))
        if problems:
            bad += 1
        else:
            typer.echo(f"{path}: ok", err=True)
    if bad:
        raise typer.Exit(1)


@banks_app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the bank format."""
    from ..banks import bank_json_schema

    import json

    typer.echo(json.dumps(bank_json_schema(), indent=2))
