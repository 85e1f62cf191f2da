"""Command line interface ``kg``: a thin layer over the Python API.

Command groups live in their own modules and register on
:data:`kg.cli.app.app`; importing this package registers them all.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.markup import escape

from kg.cli.app import app, err_console, settings
from kg.errors import KGError, one_line, redact


def _register_commands() -> None:
    """Import every command module of this package; each registers on ``app``."""
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in {"app"} and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register_commands()


def _classes(*paths: str) -> tuple[type[Any], ...]:
    """Exception classes of typer and of click (typer may vendor its own copy of click)."""
    import importlib

    out: list[type[Any]] = []
    for path in paths:
        module, _, name = path.rpartition(".")
        try:
            out.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(dict.fromkeys(out))


_ABORT = _classes("typer.exceptions.Abort", "click.exceptions.Abort", "typer._click.exceptions.Abort")
_EXIT = _classes("typer.exceptions.Exit", "click.exceptions.Exit")
_CLICK_ERRORS = _classes("typer._click.exceptions.ClickException", "click.exceptions.ClickException")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script: user errors print one line, no traceback."""
    command = typer.main.get_command(app)
    settings.debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        code = command.main(args=argv, prog_name="kg", standalone_mode=False)
    except KGError as exc:
        _error_line("error", str(exc))
        return exc.exit_code
    except _ABORT:
        err_console.print("aborted")
        return 130
    except _EXIT as exc:
        return exc.exit_code
    except _CLICK_ERRORS as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:  # pragma: no cover - `kg ... | head`
        return 0
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except Exception as exc:  # the last resort: one line, never a traceback unless asked for
        if settings.debug:
            import traceback

            traceback.print_exc()
        _error_line("internal error", f"{type(exc).__name__}: {exc}; run with --debug for the traceback")
        return INTERNAL_ERROR
    return code if isinstance(code, int) else 0


#: exit status of an unexpected exception (a bug, not a user error)
INTERNAL_ERROR = 3


def _error_line(kind: str, message: str) -> None:
    """Print ``kind: message`` as one line on stderr, credentials removed, never wrapped."""
    text = one_line(redact(message)) or kind
    err_console.print(f"[bold red]{kind}:[/] {escape(text)}", markup=True, highlight=False, soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
