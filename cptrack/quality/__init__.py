"""Quality assurance records and their summaries (not pages: the pages are in
``cptrack.casework.qa``).

* ``observation``: the Practice Observation framework (``observation/standard.toml``), its
  grades, and ``observation.summary``: observations as frames and what the Case Audit
  Management meeting looks at.
* ``feedback``: the questionnaires after a conference and their summaries.
"""
