"""``voicemock banks ...``: list, show, validate question banks and print their JSON Schema."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import app, print_json, user_errors
from .ui import plain, safe

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
        table.add_row(safe(b.name), str(b.questions), safe(b.company or "-"), safe(b.title), b.origin)
    Console(highlight=False).print(table)


@banks_app.command("show")
@user_errors
def show_cmd(
    name: str = typer.Argument(..., metavar="BANK", help="Bank name (see 'voicemock banks list') or a path to a YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a bank's questions."""
    from ..banks import load_bank

    bank = load_bank(name)
    if as_json:
        print_json(bank.model_dump(mode="json"))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]{safe(bank.title)}[/bold]  ({safe(bank.name)}, {len(bank.questions)} questions)")
    if bank.notes:
        console.print(plain(bank.notes.strip(), keep_newlines=True), style="dim", markup=False)
    table = Table("id", "level", "question")
    table.columns[0].no_wrap = True  # --question-id needs the whole id
    table.columns[1].no_wrap = True
    for q in bank.questions:
        about = ", ".join(dict.fromkeys([q.category, *q.tags]))
        table.add_row(safe(q.id), q.difficulty, f"{safe(q.text)}\n[dim]{safe(about)}[/dim]")
    console.print(table)


@banks_app.command("validate")
@user_errors
def validate_cmd(paths: list[Path] = typer.Argument(..., metavar="FILE", help="Bank YAML files to check.")) -> None:
    """Check bank files; print PATH:LINE: message per problem. Exit 1 if any file is invalid."""
    from ..banks import validate_bank_file

    bad = 0
    for path in paths:
        problems = validate_bank_file(path)
        for p in problems:
            typer.echo(plain(str(p)))
        if problems:
            bad += 1
        else:
            typer.echo(plain(f"{path}: ok"), err=True)
    if bad:
        raise typer.Exit(1)


@banks_app.command("schema")
@user_errors
def schema_cmd() -> None:
    """Print the JSON Schema of the bank format."""
    import json

    from ..banks import bank_json_schema

    typer.echo(json.dumps(bank_json_schema(), indent=2))
