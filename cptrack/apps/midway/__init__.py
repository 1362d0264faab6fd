"""The midway review app: ``model`` (who is due, the form, one save; no widgets) and ``view``
(the ipywidgets page)."""
