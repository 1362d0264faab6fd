"""A caseload: one pandas frame per kind of record, typed, for the engine and views.

Reads go one way: store → ``Caseload`` frames → engine → views. The parts:

* ``frames``: the ``Caseload`` itself, its frames and the kinds of record it holds;
* ``loading``: ``load``, a caseload from the store, whole or narrowed to a chair, team or
  children, through the store's own connection;
* ``columnar_read``: a whole caseload on PostgreSQL read by connectorx into Arrow;
* ``columns``: the column types every way of reading gives the frames;
* ``open_plan``: ``open_plans``, the one definition of a plan open on a day (and in SQL);
* ``summary``: ``chair_summary``, children per chair counted in the database.
"""

from cptrack.caseload.frames import CHILD_KINDS, CONFERENCE_KINDS, Caseload
from cptrack.caseload.loading import load
from cptrack.caseload.open_plan import open_plan_clause, open_plans
from cptrack.caseload.summary import chair_summary

__all__ = [
    "CHILD_KINDS",
    "CONFERENCE_KINDS",
    "Caseload",
    "chair_summary",
    "load",
    "open_plan_clause",
    "open_plans",
]
