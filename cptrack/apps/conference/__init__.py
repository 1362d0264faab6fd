"""The conference app: prepare a conference, then record what it decided.

``view`` is the ipywidgets app (a list of conferences, and a Preparation and a Record tab);
the Record tab is ``record`` (its layout, reading and saving) over ``record_fields`` (its
inputs). Its models, without widgets, are ``cptrack.casework.conference`` (``agenda``,
``preparation``, ``record``).
"""
