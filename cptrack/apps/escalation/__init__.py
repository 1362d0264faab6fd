"""The escalation widgets (``view``): a form and a panel any app can embed, and the log page.
The model is ``cptrack.casework.escalations``."""
