"""Every option and argument of every subcommand says what it is for."""

from __future__ import annotations

import typer
from typer.main import get_command

from docclean.cli.app import app


def _commands(group):
    for name, cmd in group.commands.items():
        yield name, cmd
        if hasattr(cmd, "commands"):
            yield from ((f"{name} {n}", c) for n, c in _commands(cmd))


def test_every_option_has_help():
    root = get_command(app)
    missing = []
    for name, cmd in _commands(root):
        assert cmd.help, f"{name}: no command help"
        for param in cmd.params:
            if getattr(param, "hidden", False) or param.name == "help":
                continue
            if not (getattr(param, "help", None) or "").strip():
                missing.append(f"{name} {'/'.join(getattr(param, 'opts', [param.name]))}")
    assert not missing, "options without help: " + ", ".join(missing)
    assert {"run", "inspect", "stats", "diff", "export", "serve"} <= set(root.commands)
