"""The deterministic synthetic caseload ``cptrack demo`` builds (invented people only).

* ``synthetic``: families, plans and conferences, generated in chunks and written to a
  database (``generate``, ``populate``).
* ``events``: the events of one plan as the generator walks through it.
* ``qa``: a year of practice observations and feedback made from each chunk's conferences.
"""
