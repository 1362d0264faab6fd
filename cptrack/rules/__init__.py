"""The rules as data: what the standards say, each figure with its citation.

* ``workdays``: working days (England and Wales bank holidays), months and hours.
* ``sources``: the seed standards cptrack cites, by their short prefix.
* ``profiles``: each authority's standards (``profiles/*.toml``): loaded, checked, resolved.
* ``checklist``: the conference preparation checklist, a profile section.

Rules read the domain (``cptrack.domain``) only, never the database.
"""
