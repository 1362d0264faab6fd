"""The rules as data: what the guidance says and when, each figure with its citation.

* ``workdays``: working days and months, bank holidays.
* ``sources``: the documents rules cite.
* ``profiles``: an authority's profile (the timescales and thresholds it applies), loaded
  from ``profiles/*.toml`` and checked.
* ``checklist``: the conference preparation checklist.

Rules read the domain (``cptrack.domain``) only: never the database.
"""
