"""Quality assurance records and their summaries (not pages: the pages are in
``cptrack.casework.qa``).

* ``observation``: the Practice Observation framework (``observation/standard.toml``), its
  grades, and ``observation.summary``: observations as frames and what the Case Audit
  Management meeting looks at.
* ``questionnaires``: the questions a child, parent or professional answers after a
  conference, each cited from the seeds.
* ``feedback``: the answers loaded and summarised (by chair, period and question).
"""
