"""Storage: the database and what lives in it.

* ``tables``: the SQLAlchemy tables (the schema); ``migrations/``: Alembic migrations that
  build exactly that schema.
* ``store``: ``Store``, the one way to read and write (every write a transaction with an
  audit record), and the bulk loading of the caseload tables.
* ``integrity``: the checks a record must pass before it is written.
* ``settings``: the database's own settings (profile, authority name, …).
* ``roles``: staff, their roles and who may do what.
* ``files``: where cptrack keeps its files beside the database.

Storage reads the domain (``cptrack.domain``) only; it knows nothing of rules or the engine.
"""
