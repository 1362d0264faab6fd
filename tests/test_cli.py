"""The command line: help for every command, and clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cptrack.cli import COMMANDS, main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cptrack.cli", *args], capture_output=True, text=True, timeout=120
    )


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


def test_serve_keeps_a_warm_kernel_for_each_app_page_unless_told_not_to():
    """By default each app page has a kernel waiting with its imports done (the report
    notebooks, run by nbconvert, have none); --no-preheat starts kernels on demand."""
    from cptrack.cli.serve import voila_command

    warm = voila_command(Path("nb"), "127.0.0.1", 8866, Path("cfg"))
    assert "--VoilaConfiguration.preheat_kernel=True" in warm
    assert "--VoilaKernelManager.preheat_denylist=['reports/']" in warm
    cold = voila_command(Path("nb"), "127.0.0.1", 8866, Path("cfg"), preheat=False)
    assert not any("preheat" in arg for arg in cold)
    assert "--Voila.ip=127.0.0.1" in cold


def test_pages_read_the_request_and_the_data_only_once_opened(monkeypatch):
    """A warm kernel runs its page before anyone opens it: every page reaches the database
    and the query string through ``open_store`` and ``query_params``, which wait for the
    request; outside a warm kernel they do not wait."""
    from cptrack.apps import widgets

    apps = Path(widgets.__file__).parent
    direct = [
        str(p.relative_to(apps))
        for p in apps.rglob("*.py")
        if p.name != "widgets.py"
        and ("Store.open(" in p.read_text() or "QUERY_STRING" in p.read_text())
    ]
    assert direct == []
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "child=C000001&chair=3")
    assert {"child": "C000001", "chair": "3"} == widgets.query_params()
