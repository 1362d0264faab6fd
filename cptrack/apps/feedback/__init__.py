"""Feedback after a conference: the form and the summary by chair and quarter (``view``),
over ``cptrack.casework.qa.feedback``."""
