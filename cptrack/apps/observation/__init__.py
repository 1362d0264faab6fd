"""The Practice Observation Form: observe a chair at a conference against the chairs'
standards, then the chair's reflection (``view``: the page, filled from and read back into the
model, and its saves), over ``cptrack.casework.qa.observation``. The form's inputs are
``fields``, its parts laid out like the paper form ``layout``, its HTML pieces ``html``."""
