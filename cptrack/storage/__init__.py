"""Storage: the database and everything that touches it directly.

From the bottom up (each module imports only those before it; ``lint-imports`` checks it):

* ``tables``: the SQLAlchemy tables derived from the models; ``files``: files cptrack makes
  are owner-only.
* ``connection``: the database URL, an engine with cptrack's connection settings, and
  ``StoreError``.
* ``identity``: who is writing (the signed-in person, else the local user).
* ``settings_table``: the settings declared once as a table.
* ``audit``, ``bulk``, ``integrity``, ``migrations/``, ``refusals``, ``roles``: the audit row
  of every write (a secret's value left out), rows turned into columns for fast loading, the
  checks a record passes before it is written, the Alembic migrations, why a write was
  refused in words for people (``StaleVersionError``, ``constraint_errors``), and who may
  change what.
* ``transaction``: ``Transaction``, every write validated, checked against the roles and
  audited, and many rows loaded at once.
* ``store``: ``Store``, opening the database and its schema, every read, and the writes
  (each one ``Transaction``).
* ``settings`` (each setting's value: environment, database, default) and ``staff`` (the
  chair a command or report names).

Storage reads the domain (``cptrack.domain``) only; it knows nothing of rules or the engine.
"""
