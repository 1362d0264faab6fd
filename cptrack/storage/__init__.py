"""Storage: the database and everything that touches it directly.

From the bottom up (each module imports only those before it; ``lint-imports`` checks it):

* ``tables``: the SQLAlchemy tables derived from the models; ``files``: files cptrack makes
  are owner-only.
* ``connection``: the database URL, an engine with cptrack's connection settings, and
  ``StoreError``.
* ``identity``: who is writing (the signed-in person, else the local user).
* ``integrity``, ``migrations/``, ``roles``, ``settings_table``: the checks a record passes
  before it is written, the Alembic migrations, who may change what, and the settings
  declared once as a table.
* ``store``: ``Store``, every read and write (each write one transaction with an audit row),
  and the bulk loading of many rows.
* ``settings`` (each setting's value: environment, database, default) and ``staff`` (the
  chair a command or report names).

Storage reads the domain (``cptrack.domain``) only; it knows nothing of rules or the engine.
"""
