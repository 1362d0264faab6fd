"""The domain: what a child protection caseload is made of, with no storage and no rules.

* ``models``: every record kind as a validated model (child, conference, plan, visit, …),
  the codes and labels they use (``INITIAL_LIKE``, ``PLAN_OUTCOMES``, …), ``FieldError`` and
  ``RecordError`` for bad input, and ``today()`` (the only way cptrack reads the date).
* ``drafts``: the steps every form's draft shares with the values a view read.
* ``values``: plain Python values from caseload frames (``as_date``, ``as_int``,
  ``row_dict``) and a date as a chair reads it (``fmt``: "4 Dec 2026").

Nothing here imports any other part of cptrack.
"""
