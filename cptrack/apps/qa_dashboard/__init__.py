"""The QA dashboard for the Case Audit Management meeting (``view``), over
``cptrack.casework.qa.dashboard``; its tables and heat map are ``cptrack.render.qa``."""
