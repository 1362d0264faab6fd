"""The conference pages' models, without widgets.

* ``agenda``: the conferences to prepare (booked, not yet held) and those recently held,
  and everything one conference's forms read (its child, caseload and findings).
* ``preparation``: the preparation checklist form.
* ``record``: the conference record form, a package: its ``words``, ``checks``, ``draft``,
  ``opening``, ``dates`` and ``saving``.
"""
