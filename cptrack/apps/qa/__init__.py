"""The QA lead's apps: the Practice Observation Form, the QA dashboard for the Case Audit
Management meeting, and feedback after conferences.

Each is a widget-free model (``model.py``, tested without a browser) and a view
(``view.py``) built from ``cptrack.apps.widgets``; ``common`` holds the look-ups they share
(chairs, observers, the conferences a chair held) and ``render`` the static HTML pieces
(the heat map, tables, the trend chart).
"""
