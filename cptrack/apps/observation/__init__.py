"""The Practice Observation Form: observe a chair at a conference against the chairs'
standards, then the chair's reflection (``view``), over ``cptrack.casework.qa.observation``."""
