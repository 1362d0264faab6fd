"""The QA lead's apps: the Practice Observation Form, the QA dashboard for the Case Audit
Management meeting, and feedback after conferences.

Each is a view (``*_view.py``) built from ``cptrack.apps.widgets`` over a widget-free model in
``cptrack.casework.qa``; the static HTML pieces are ``cptrack.render.qa``.
"""
