"""The staff and roles app: ``view`` (the ipywidgets page) over ``cptrack.casework.staff``
(the list, who is looking, the form for one person and its save; no widgets)."""
