"""The domain: what a child protection caseload is made of, with no storage and no rules.

* ``models``: the records (children, plans, conferences, visits, …), their codes and labels
  (``INITIAL_LIKE``, ``PLAN_OUTCOMES``, …), field checks (``FieldError``) and ``today()``.
* ``drafts``: a form's unsaved draft, kept apart from the saved record.
* ``values``: small value helpers shared by every layer (``fmt`` for a date as a chair reads
  it, ``as_date``).

Nothing here imports any other part of cptrack.
"""
