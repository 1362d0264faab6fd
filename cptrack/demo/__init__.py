"""The deterministic synthetic caseload ``cptrack demo`` builds (invented people only).

* ``synthetic``: the caseload made a chunk of children at a time, in worker processes,
  renumbered and written to a database (``generate``, ``chunks``, ``populate``).
* ``chunk``: one chunk as it is made (its rows, random draws and the specs of its events);
  ``people``: the demo's size and seed, staff, teams and pools of invented names, made once.
* ``families``: a family and the history of its plans; ``conferences``: a conference and
  who is invited; ``oversight``: midway reviews, case tracking and escalations.
* ``plan_events``, ``conference_events``: the visits and core groups of a plan, and the
  reports, attendance and actions of a conference, made a column at a time from the specs.
* ``qa``: a year of practice observations (``observations``) and feedback (``feedback``)
  made from each chunk's conferences.
* ``catalogue``: England's shares and the invented wording drawn on; ``days``: dates as day
  ordinals; ``draws``: fast and weighted random draws.
"""
