"""Command line interface ``kg``: a thin layer over the Python API.

Command groups live in their own modules and register on
:data:`kg.cli.app.app`; importing this package registers them all.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.markup import escape

from kg.cli.app import app, err_console
from kg.errors import KGError


def _register_commands() -> None:
    """Import every command module of this package; each registers on ``app``."""
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in {"app"} and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register_commands()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script: user errors print one line, no traceback."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="kg", standalone_mode=False)
    except KGError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted")
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:  # pragma: no cover - `kg ... | head`
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
