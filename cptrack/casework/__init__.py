"""The widget-free models of the apps' pages and forms: what each page shows and what each
form checks and saves, tested without a browser. Apps (``cptrack.apps``), reports and the
command line all read these; nothing here imports ``cptrack.apps``.

* ``tracking``: the caseload dashboard, one child's file, the case-tracking record.
* ``conference``: the conferences to prepare (``agenda``), the preparation checklist
  (``preparation``) and the conference record (``record``).
* ``midway``: who is due a midway review, the form and its save.
* ``importing``: an uploaded file, its dry run and its import.
* ``qa``: the Practice Observation Form (``observation``), feedback after a conference
  (``feedback``), the QA dashboard (``dashboard``) and the look-ups they share (``common``).

The escalation models are ``cptrack.casework.escalations`` (the form: its draft, checks and
save) and ``cptrack.casework.escalation_log`` (every escalation with the engine's verdict).
"""
