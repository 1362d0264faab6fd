"""Migrations create exactly the schema the models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cptrack.cli import main
from cptrack.storage import migrations
from cptrack.storage.connection import make_engine as _make_engine
from cptrack.storage.store import Store
from cptrack.storage.tables import metadata


def test_migrating_from_empty_matches_the_models(db_url: str):
    """After upgrading an empty database, Alembic finds no difference from cptrack.storage.tables."""
    with Store.open(db_url, migrate=True) as store:
        assert migrations.head() == store.schema_revision()
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [] == diff


def test_init_creates_then_leaves_alone(sqlite_url: str, capsys):
    """`cptrack init` creates the schema; run again it changes nothing."""
    assert 0 == main(["init", "--db", sqlite_url])
    with Store.open(sqlite_url) as store:
        store.add("teams", {"name": "Reviewing"})
    assert 0 == main(["init", "--db", sqlite_url])
    with Store.open(sqlite_url) as store:
        assert 1 == store.count("teams")
    assert "revision" in capsys.readouterr().out


def test_the_head_and_current_revisions_are_alembics(sqlite_url: str):
    """The quick readers (no Alembic import) agree with Alembic itself."""
    from alembic.script import ScriptDirectory

    assert migrations.head() == ScriptDirectory.from_config(migrations.config()).get_current_head()
    engine = Store.open(sqlite_url, migrate=True).engine
    with engine.connect() as conn:
        assert migrations.current(engine) == MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    assert migrations.current(_make_engine("sqlite:///" + sqlite_url + ".empty")) is None
