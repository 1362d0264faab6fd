"""The conference app: prepare a conference, then record what it decided.

* ``agenda``: the conferences to prepare (booked, not yet held) and those recently held,
  and everything one conference's forms read (its child, caseload and findings).
* ``preparation``: the preparation checklist form (model, no widgets).
* ``record``: the conference record form (model, no widgets).
* ``view``: the ipywidgets app: a list of conferences, and a Preparation and a Record tab.
"""
