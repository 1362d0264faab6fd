"""Alembic environment: runs on the engine cptrack hands over (see ``__init__.py``)."""

from alembic import context

from cptrack.storage.tables import metadata

engine = context.config.attributes.get("engine")
if engine is None:
    raise RuntimeError(
        "run cptrack migrations through cptrack.storage.migrations, not the alembic CLI"
    )

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
