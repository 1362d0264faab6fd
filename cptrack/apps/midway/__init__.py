"""The midway review app: ``view`` (the ipywidgets page) over ``cptrack.casework.midway``
(who is due, the form, one save; no widgets)."""
