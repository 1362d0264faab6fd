"""The conference app: prepare a conference, then record what it decided.

``view`` is the ipywidgets app (a list of conferences, and a Preparation and a Record tab);
its models, without widgets, are ``cptrack.casework.conference`` (``agenda``, ``preparation``,
``record``).
"""
