"""The command line: help for every command, and clear errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cptrack.cli import COMMANDS, main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cptrack.cli", *args], capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    """`cptrack COMMAND --help` describes the command."""
    result = run(command, "--help")
    assert 0 == result.returncode
    assert f"usage: cptrack {command}" in result.stdout


def test_demo_then_init_from_the_command_line(tmp_path):
    """`cptrack demo` creates and fills a database; `init` leaves it up to date."""
    db = str(tmp_path / "d.sqlite")
    result = run("demo", "--db", db, "--children", "25", "--seed", "4", "--as-of", "2026-11-22")
    assert 0 == result.returncode, result.stderr
    assert "25 children" in result.stdout
    assert 0 == run("init", "--db", db).returncode


def test_no_database_is_a_clear_error(monkeypatch, capsys):
    """Without --db or CPTRACK_DB, the error says how to give one."""
    monkeypatch.delenv("CPTRACK_DB", raising=False)
    assert 2 == main(["init"])
    assert "--db PATH_OR_URL" in capsys.readouterr().err


def test_serve_refuses_a_database_without_tables(tmp_path, capsys):
    """`cptrack serve` on an empty file explains how to create the database."""
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert 2 == main(["serve", "--db", str(empty)])
    assert "cptrack init" in capsys.readouterr().err
