"""The deterministic synthetic caseload ``cptrack demo`` builds (invented people only).

* ``synthetic``: families, plans and conferences, generated in chunks and written to a
  database (``generate``, ``populate``).
* ``plan_events``, ``conference_events``: the visits and core groups of a plan, and the
  reports, attendance and actions of a conference, made a column at a time from the specs
  the generator leaves; ``days``: dates as day ordinals for them.
* ``qa``: a year of practice observations (``observations``) and feedback (``feedback``)
  made from each chunk's conferences.
"""
